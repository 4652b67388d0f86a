"""What every engine shares: the wire format of a chunk's work and the in-order runner.

An engine only decides *where* a chunk of pages is processed (:func:`work_chunk` in a worker
process, a Dask worker, ...). The parent reads the input lazily, cuts it into chunks, computes each
page's ``raw_sha`` and applies ``skip``, keeps a bounded number of chunks in flight, and — as each
chunk at the head of the queue comes back — marks near-duplicates against everything before it and
yields its :class:`~sitroom.pipeline.Result` objects. So the output (records, ``duplicate_of``,
order) is the same as :meth:`sitroom.pipeline.Pipeline.run`'s whichever engine ran it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future
from concurrent.futures import wait as wait_futures
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sitroom.errors import Code, SitroomError
from sitroom.model import RawPage
from sitroom.nlp import load_nlp
from sitroom.pipeline import Pipeline, Result, fill_results, prepare_chunk, process_pages

# A chunk that failed for a reason outside its pages (a worker process died) is sent again this
# many times on a fresh pool before its pages are reported as E022 errors.
MAX_RETRIES = 1
# Chunks kept in flight per worker: one running, one queued, so a worker never waits on the parent.
INFLIGHT_PER_WORKER = 2
# How often a Dask run looks whether a chunk finished while an earlier one still runs.
POLL_SECONDS = 0.01

# One page's outcome on the wire: ("doc", Document) or ("error", code, input, details).
# SitroomError does not survive pickling (its constructor wants the code, not the message), so
# errors cross process boundaries as plain tuples and are rebuilt in the parent.
Wire = tuple[Any, ...]


def default_workers() -> int:
    """Worker processes when none are asked for: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def error_to_wire(error: SitroomError) -> Wire:
    return ("error", error.code.value, error.input, dict(error.details))


def error_from_wire(wire: Wire) -> SitroomError:
    _, code, input, details = wire
    return SitroomError(Code(code), input, **details)


def work_chunk(pages: Sequence[RawPage], stage: str, published: dt.date | None, model: str | None,
               batch_size: int, debug: bool) -> tuple[Wire | None, list[Wire]]:
    """Run in a worker: :func:`~sitroom.pipeline.process_pages` over one chunk.

    The model comes from :func:`~sitroom.nlp.load_nlp`'s per-process cache, which the worker's
    initializer (or Dask worker plugin) filled once when the worker started.

    Returns:
        ``(fatal, outcomes)``: ``fatal`` is a run-level error (the model is not installed) or
        ``None``; ``outcomes`` one wire tuple per page, in order.
    """
    try:
        outcomes = process_pages(pages, stage=stage, published=published,
                                 get_nlp=(lambda: load_nlp(model)) if model else None,
                                 batch_size=batch_size, debug=debug)
    except SitroomError as exc:  # E016 from the model load: ends the run, as in-process
        return error_to_wire(exc), []
    return None, [error_to_wire(o) if isinstance(o, SitroomError) else ("doc", o) for o in outcomes]


def warm_model(model: str | None) -> None:
    """Load the model into this process's cache (a worker's start-up); a failure is reported by
    the first chunk instead, as a coded error."""
    if model:
        try:
            load_nlp(model)
        except SitroomError:
            pass


class Backend(Protocol):
    """Where chunks run. ``submit`` returns a future-like object with ``result()``."""

    generation: int

    def submit(self, pages: list[RawPage]) -> Any: ...

    def recover(self, exc: BaseException, generation: int) -> bool:
        """Whether the failure was the backend's own (a dead worker) and it is usable again."""
        ...


@dataclass
class _Slot:
    results: list[Result]
    work: list[tuple[int, RawPage]]
    future: Any = None
    generation: int = 0
    retries: int = 0
    pages: list[RawPage] = field(default_factory=list)


def _take(iterator: Iterator[Any], size: int) -> list[Any]:
    return list(itertools.islice(iterator, size))


def run_ordered(items: Iterable[RawPage | SitroomError], pipeline: Pipeline, backend: Backend, *,
                workers: int, chunk_pages: int) -> Iterator[Result]:
    """Run chunks on ``backend`` with at most ``INFLIGHT_PER_WORKER * workers`` in flight, and
    yield every item's :class:`Result` in input order, duplicates marked by ``pipeline.dedup``.

    Raises:
        SitroomError: a run-level error from a worker (E016: the model is not installed).
    """
    iterator = iter(items)
    pending: deque[_Slot] = deque()
    inflight = max(1, INFLIGHT_PER_WORKER * workers)
    exhausted = False

    def submit(slot: _Slot) -> None:
        for attempt in range(2):
            slot.generation = backend.generation
            try:
                slot.future = backend.submit(slot.pages)
                return
            except Exception as exc:  # the pool broke before this chunk went out
                if pipeline.debug:
                    raise
                if attempt == 0 and backend.recover(exc, slot.generation):
                    continue
                slot.future = Future()
                slot.future.set_exception(exc)
                return

    while True:
        # Top up: chunks still running count against the limit, finished ones waiting for their
        # turn (an earlier chunk is slower) do not, so no worker idles behind a long chunk.
        running = sum(1 for s in pending if s.future is not None and not s.future.done())
        while not exhausted and running < inflight and len(pending) < 4 * inflight:
            chunk = _take(iterator, chunk_pages)
            if not chunk:
                exhausted = True
                break
            results, work = prepare_chunk(chunk, pipeline.skip)
            slot = _Slot(results, work, pages=[page for _, page in work])
            if work:
                submit(slot)
                running += 1
            pending.append(slot)
        if not pending:
            return
        head = pending[0]
        if head.future is not None and not head.future.done():
            active = [s.future for s in pending if s.future is not None and not s.future.done()]
            if exhausted or len(active) >= inflight or len(pending) >= 4 * inflight:
                _wait_first(active)  # else a chunk finished since the top-up: top up again
            continue
        slot = pending.popleft()
        if slot.future is not None:
            fatal, outcomes = _wait(slot, pending, backend, pipeline.debug, submit)
            if fatal is not None:
                raise error_from_wire(fatal)
            fill_results(slot.results, slot.work,
                         [error_from_wire(o) if o[0] == "error" else o[1] for o in outcomes])
        pipeline.mark_duplicates(slot.results)
        yield from slot.results


def _wait_first(futures: list[Any]) -> None:
    """Block until one of the futures is done (a process pool's futures, or a Dask client's,
    which are polled)."""
    if all(isinstance(f, Future) for f in futures):
        wait_futures(futures, return_when=FIRST_COMPLETED)
        return
    while not any(f.done() for f in futures):
        time.sleep(POLL_SECONDS)


def _succeeded(future: Any) -> bool:
    try:
        return bool(future.done()) and future.exception(timeout=0) is None
    except Exception:
        return False


def _wait(slot: _Slot, pending: deque[_Slot], backend: Backend, debug: bool,
          submit: Any) -> tuple[Wire | None, list[Wire]]:
    while True:
        try:
            return slot.future.result()
        except Exception as exc:
            if debug:
                raise
            if slot.retries < MAX_RETRIES and backend.recover(exc, slot.generation):
                # The pool was rebuilt: send again every chunk whose future died with the old one.
                for other in (slot, *pending):
                    if other.future is not None and other.generation != backend.generation \
                            and not _succeeded(other.future):
                        other.retries += 1
                        submit(other)
                continue
            detail = f"{type(exc).__name__}: {exc}".strip()
            return None, [error_to_wire(SitroomError(Code.INTERNAL, page.input, detail=detail))
                          for page in slot.pages]

