"""Streaming a writer's output: :func:`sitroom.export.write_export` writes to a text stream, a
streaming response pulls bytes. A worker thread runs the writer into a small bounded queue and
the response iterates the queue, so an export of the whole store goes out as it is written, in
constant memory, and stops (the writer is interrupted) when the client goes away.
"""

from __future__ import annotations

import io
import queue
import threading
from collections.abc import Callable, Iterator
from typing import TextIO

CHUNK_CHARS = 64 * 1024
QUEUE_CHUNKS = 8


class _Cancelled(Exception):
    """The reader is gone: the writer stops."""


class _Failed:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


_DONE = object()


class _QueueWriter(io.TextIOBase):
    """A text stream that hands UTF-8 chunks of about CHUNK_CHARS to a queue."""

    def __init__(self, chunks: queue.Queue[object], cancelled: threading.Event) -> None:
        super().__init__()
        self._chunks = chunks
        self._cancelled = cancelled
        self._parts: list[str] = []
        self._size = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._parts.append(text)
        self._size += len(text)
        if self._size >= CHUNK_CHARS:
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self._parts:
            data = "".join(self._parts).encode("utf-8", "surrogatepass")
            self._parts, self._size = [], 0
            put(self._chunks, data, self._cancelled)


def put(chunks: queue.Queue[object], item: object, cancelled: threading.Event) -> None:
    """Put ``item``, giving up (``_Cancelled``) once the reader is gone."""
    while True:
        if cancelled.is_set():
            raise _Cancelled
        try:
            chunks.put(item, timeout=0.5)
            return
        except queue.Full:
            continue


def stream_text(write: Callable[[TextIO], object]) -> Iterator[bytes]:
    """The bytes ``write(stream)`` writes, as they are written (UTF-8).

    Args:
        write: called once, in a worker thread, with a text stream.

    Yields:
        Chunks of the output. An exception in ``write`` is raised here, after the chunks
        written before it.
    """
    chunks: queue.Queue[object] = queue.Queue(maxsize=QUEUE_CHUNKS)
    cancelled = threading.Event()

    def work() -> None:
        writer = _QueueWriter(chunks, cancelled)
        try:
            write(writer)  # type: ignore[arg-type]
            writer.flush()
            put(chunks, _DONE, cancelled)
        except _Cancelled:
            return
        except BaseException as exc:  # handed to the reader, which raises it
            try:
                put(chunks, _Failed(exc), cancelled)
            except _Cancelled:
                return

    worker = threading.Thread(target=work, name="sitroom-export", daemon=True)
    worker.start()
    try:
        while True:
            item = chunks.get()
            if item is _DONE:
                return
            if isinstance(item, _Failed):
                raise item.exc
            yield item  # type: ignore[misc]
    finally:
        cancelled.set()
