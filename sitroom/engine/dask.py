"""The Dask engine: chunks run on a ``distributed`` cluster, the model loaded once per worker.

With ``scheduler`` (``tcp://host:8786``) the run uses that cluster (its workers need sitroom and
the model installed); without it, a :class:`distributed.LocalCluster` of ``workers`` processes
with one thread each is started for the run and closed after it. A :class:`LoadModel` worker
plugin fills :func:`sitroom.nlp.load_nlp`'s cache on every worker, including workers that join
later. The parent keeps input order and marks near-duplicates (see :mod:`sitroom.engine.base`).

This is the only sitroom module that imports ``dask``/``distributed``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from typing import Any

from distributed import Client, LocalCluster, WorkerPlugin

from sitroom.engine.base import run_ordered, warm_model, work_chunk
from sitroom.errors import Code, SitroomError
from sitroom.model import RawPage
from sitroom.pipeline import Pipeline, Result, batch_size, model_name

# Seconds to wait for an external scheduler before giving up with a coded error.
CONNECT_TIMEOUT_S = 10


class LoadModel(WorkerPlugin):
    """Loads the spaCy pipeline once when a worker starts (or joins the cluster)."""

    def __init__(self, model: str) -> None:
        self.model = model

    def setup(self, worker: Any) -> None:
        warm_model(self.model)


class DaskBackend:
    """Submits :func:`work_chunk` to a Dask client; Dask itself reschedules work of dead workers."""

    def __init__(self, workers: int, scheduler: str | None, stage: str, published: dt.date | None,
                 model: str | None, batch: int, debug: bool) -> None:
        self.args = (stage, published, model, batch, debug)
        self.generation = 0
        self.cluster: LocalCluster | None = None
        self.client: Client | None = None
        try:
            if scheduler:
                self.client = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
            else:
                self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                            dashboard_address=None, silence_logs=logging.ERROR)
                self.client = Client(self.cluster)
            if model:
                self.client.register_plugin(LoadModel(model), name=f"sitroom-load-model-{model}")
        except OSError as exc:
            self.close()
            raise SitroomError(Code.BAD_OPTION, scheduler,
                               detail=f"could not reach the Dask scheduler ({exc})") from exc
        except BaseException:
            self.close()
            raise

    def submit(self, pages: list[RawPage]) -> Any:
        assert self.client is not None
        return self.client.submit(work_chunk, pages, *self.args, pure=False)

    def recover(self, exc: BaseException, generation: int) -> bool:
        return False

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None


def run_dask(items: Iterable[RawPage | SitroomError], pipeline: Pipeline, *, workers: int,
             scheduler: str | None, chunk_pages: int) -> Iterator[Result]:
    """Run ``pipeline``'s stages on a Dask cluster; see :func:`sitroom.engine.run_pages`."""
    model = model_name(pipeline.settings) if pipeline.stage != "article" else None
    backend = DaskBackend(workers, scheduler, pipeline.stage, pipeline.published, model,
                          batch_size(pipeline.settings), pipeline.debug)
    try:
        # In-flight chunks are sized to the cluster's workers, not the local default.
        assert backend.client is not None
        size = sum(backend.client.nthreads().values()) or workers
        yield from run_ordered(items, pipeline, backend, workers=size, chunk_pages=chunk_pages)
    finally:
        backend.close()
