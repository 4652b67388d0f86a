"""Engines: where the pipeline's per-chunk work runs, with the same output whichever runs it.

* ``inline``: this process (:meth:`sitroom.pipeline.Pipeline.run`).
* ``local``: a pool of worker processes on this machine (:mod:`sitroom.engine.local`).
* ``dask``: a Dask cluster, or a LocalCluster started for the run (:mod:`sitroom.engine.dask`).

Workers run the article, NLP and enrichment stages (:func:`sitroom.pipeline.process_pages`) and
load the language model once each; the parent reads the input, applies ``skip``, marks
near-duplicates in input order and yields one :class:`~sitroom.pipeline.Result` per input item in
input order, as soon as the chunks before it are done.

Example:
    >>> for result in run_pages(pages, settings, engine="local", workers=2):  # doctest: +SKIP
    ...     print(result.input, result.error or result.document.doc_id)
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator

from sitroom.article.dedup import DuplicateIndex
from sitroom.engine.base import default_workers
from sitroom.errors import Code, SitroomError
from sitroom.model import RawPage
from sitroom.pipeline import Pipeline, Result

ENGINES = ("inline", "local", "dask")
# Input items per chunk on the local and Dask engines: smaller than inline's CHUNK_PAGES so the
# last chunks of a run keep both workers busy (16 left one of 2 workers idle ~6 s at the end of
# 200 AEB bodies); 8 bodies still give nlp.pipe ~100 paragraphs per call.
ENGINE_CHUNK_PAGES = 8

__all__ = ["ENGINES", "ENGINE_CHUNK_PAGES", "default_workers", "run_pages"]


def run_pages(
    items: Iterable[RawPage | SitroomError],
    settings: dict,
    *,
    stage: str = "events",
    published: dt.date | None = None,
    engine: str = "inline",
    workers: int | None = None,
    scheduler: str | None = None,
    skip: Callable[[str], bool] | None = None,
    dedup: DuplicateIndex | None = None,
    debug: bool = False,
    chunk_pages: int | None = None,
) -> Iterator[Result]:
    """Run pages through the stages on the chosen engine.

    Args:
        items: pages (and ingest errors, passed through) from :func:`sitroom.ingest.iter_pages`.
        settings: the layered settings.
        stage: the last stage to run (``article``, ``nlp`` or ``events``).
        published: a publication date for every page.
        engine: ``inline``, ``local`` or ``dask``.
        workers: worker processes (``local``, and a ``dask`` LocalCluster); default: the cores.
        scheduler: a Dask scheduler address (``tcp://host:8786``); only with ``engine="dask"``;
            without it a LocalCluster is started for the run and closed after it.
        skip: called in the parent with each page's ``raw_sha``; true means already stored.
        dedup: the near-duplicate index to mark against (seeded from the store); fresh if absent.
        debug: let unexpected exceptions through instead of turning them into E022 results.
        chunk_pages: input items per chunk (a worker's unit of work and ``nlp.pipe`` call);
            default ``ENGINE_CHUNK_PAGES`` (``local``, ``dask``); ``inline`` always uses
            :data:`sitroom.pipeline.CHUNK_PAGES` (chunking does not change the records).

    Returns:
        An iterator of one :class:`Result` per item, in input order. Worker processes and
        clusters are started on the first ``next()`` and closed when the iterator ends or is
        closed.

    Raises:
        SitroomError: E025 for an unknown engine, a bad worker count, a scheduler without
            ``engine="dask"``, Dask not installed or its scheduler unreachable; E016 (while
            iterating) when the model is not installed.
        ValueError: an unknown stage.
    """
    if engine not in ENGINES:
        raise SitroomError(Code.BAD_OPTION, detail=f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if workers is not None and workers < 1:
        raise SitroomError(Code.BAD_OPTION, detail=f"--workers must be at least 1, not {workers}")
    if scheduler and engine != "dask":
        raise SitroomError(Code.BAD_OPTION, detail="--scheduler is only used with --engine dask")
    if chunk_pages is not None and chunk_pages < 1:
        raise SitroomError(Code.BAD_OPTION, detail=f"chunk size must be at least 1, not {chunk_pages}")
    pipeline = Pipeline(settings, stage=stage, published=published, dedup=dedup, debug=debug, skip=skip)
    if engine == "inline":
        return pipeline.run(items)
    count = workers or default_workers()
    chunk_pages = chunk_pages or ENGINE_CHUNK_PAGES
    if engine == "local":
        # One chunk or one worker: starting processes would only add their start-up (a model
        # load each), and the records are the same inline.
        items = iter(items)
        head = list(itertools.islice(items, chunk_pages + 1))
        if count == 1 or len(head) <= chunk_pages:
            return pipeline.run(itertools.chain(head, items))
        items = itertools.chain(head, items)
        from sitroom.engine.local import run_local

        return run_local(items, pipeline, workers=count, chunk_pages=chunk_pages)
    try:
        from sitroom.engine.dask import run_dask
    except ImportError as exc:
        raise SitroomError(Code.BAD_OPTION, detail=f"--engine dask needs Dask: pip install 'dask[distributed]' ({exc})") from exc
    return run_dask(items, pipeline, workers=count, scheduler=scheduler, chunk_pages=chunk_pages)
