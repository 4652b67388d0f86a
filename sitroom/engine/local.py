"""The local engine: a pool of worker processes on this machine, each loading the model once.

Workers are started with ``spawn`` (not ``fork``): the parent may hold a store connection and a
progress thread, and a clean interpreter behaves the same on Linux, macOS and Windows. Each
worker's initializer loads the spaCy pipeline into :func:`sitroom.nlp.load_nlp`'s per-process
cache, so every chunk it then runs reuses it.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from sitroom.engine.base import run_ordered, warm_model, work_chunk
from sitroom.errors import SitroomError
from sitroom.model import RawPage
from sitroom.pipeline import Pipeline, Result, batch_size, model_name


class LocalBackend:
    """A :class:`~concurrent.futures.ProcessPoolExecutor` that runs :func:`work_chunk`, rebuilt
    once when a worker process dies (the chunks it held are sent again)."""

    def __init__(self, workers: int, stage: str, published: dt.date | None, model: str | None,
                 batch: int, debug: bool) -> None:
        self.workers = workers
        self.args = (stage, published, model, batch, debug)
        self.generation = 0
        self.pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=warm_model, initargs=(self.args[2],))

    def submit(self, pages: list[RawPage]) -> Future[Any]:
        return self.pool.submit(work_chunk, pages, *self.args)

    def recover(self, exc: BaseException, generation: int) -> bool:
        if not isinstance(exc, BrokenProcessPool):
            return False
        if generation == self.generation:  # the first chunk to notice rebuilds the pool
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = self._start()
            self.generation += 1
        return True

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def run_local(items: Iterable[RawPage | SitroomError], pipeline: Pipeline, *, workers: int,
              chunk_pages: int) -> Iterator[Result]:
    """Run ``pipeline``'s stages on a local process pool; see :func:`sitroom.engine.run_pages`.

    ``pipeline`` supplies the settings, the stage, ``skip`` and the duplicate index; its model is
    never loaded in the parent.
    """
    model = model_name(pipeline.settings) if pipeline.stage != "article" else None
    backend = LocalBackend(workers, pipeline.stage, pipeline.published, model,
                           batch_size(pipeline.settings), pipeline.debug)
    try:
        yield from run_ordered(items, pipeline, backend, workers=workers, chunk_pages=chunk_pages)
    finally:
        backend.close()
