"""Engines: inline, a local process pool and a Dask LocalCluster give the same records in the same
order, near-duplicates marked in input order, a failing page kept as its own coded error."""

from __future__ import annotations

import datetime as dt
import sys
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import pytest

from sitroom.config import load_settings
from sitroom.engine import run_pages
from sitroom.engine.base import run_ordered, work_chunk
from sitroom.errors import Code, SitroomError
from sitroom.model import RawPage
from sitroom.pipeline import Pipeline, Result, process_pages

WIRE = " ".join([
    "Syria's foreign minister Asaad al-Shaibani and Israel's strategic affairs minister Ron Dermer held talks",
    "in Baku on Thursday, according to a diplomat briefed on the meeting who spoke to AFP.",
    "It was the second time in a little over a week that the two men met, after a first round in Paris last week.",
    "The diplomat said the agenda was dominated by security arrangements for southern Syria.",
    "Fighting broke out earlier this month in Sweida province between Druze militias and Bedouin clans.",
    "Israel carried out air strikes on the defence ministry compound in Damascus, saying it was acting to shield the Druze.",
    "A monitoring group based in Britain puts the death toll at more than 1,400.",
    "Washington brokered a truce that took effect during the night of July 18.",
])

TEXTS = [
    ("baku.txt", f"Syrian and Israeli ministers meet again in Baku\n\n{WIRE}\n"),
    ("strike.txt", "Harbour strike ends after pay deal\n\nDock workers in Rotterdam ended their strike on Tuesday "
                   "after a pay deal, the FNV union said. Police arrested two protesters outside the port "
                   "authority on Monday. Cargo moved again on Wednesday morning.\n"),
    ("empty.txt", "   \n\n  \n"),  # no article text: E014 from the article stage
    ("tbilisi.html", "<html><head><title>Protesters rally in Tbilisi</title></head><body><article>"
                     "<h1>Protesters rally in Tbilisi</h1>"
                     "<p>Thousands of protesters marched to the parliament in Tbilisi on Sunday, demanding new "
                     "elections, the opposition said.</p><p>Georgian police detained 12 people and used water "
                     "cannon near Rustaveli Avenue, the interior ministry said on Monday.</p>"
                     "<p>The European Union called on the government to respect the right to protest.</p>"
                     "</article></body></html>"),
    ("nato.txt", "NATO condemns missile strike\n\nNATO Secretary General Mark Rutte condemned the Russian missile "
                 "strike on Kyiv on Friday, which killed at least nine people, Ukrainian officials said. "
                 "Ukraine's president Volodymyr Zelensky asked allies for more air defence systems.\n"),
    ("baku-copy.txt", f"Ministers hold Baku talks, diplomat says\n\n{WIRE} The talks lasted about three hours, he added.\n"),  # near-dup of baku
    ("aid.txt", "Aid convoy reaches Gaza\n\nA United Nations convoy of 40 trucks crossed into Gaza on Monday, "
                "the World Food Programme said. Egypt reopened the Rafah crossing for the deliveries.\n"),
    ("talks.txt", "Armenia and Azerbaijan resume talks\n\nArmenian and Azerbaijani negotiators met in Washington "
                  "on Wednesday to discuss a peace treaty, the U.S. State Department said.\n"),
]
PUBLISHED = dt.date(2025, 8, 1)
CHUNK = 3  # several chunks in flight, and the duplicate pair in different chunks


def _items() -> list[RawPage | SitroomError]:
    items: list[RawPage | SitroomError] = [
        RawPage(input=name, text=text, kind="html" if name.endswith(".html") else "text", path=name)
        for name, text in TEXTS
    ]
    items.insert(4, SitroomError(Code.EMPTY, "zero.txt"))  # an ingest error, passed through
    return items


def _summary(results: list[Result]) -> list[tuple[Any, ...]]:
    return [
        (r.input, r.raw_sha, r.signature, r.skipped, str(r.error) if r.error else None,
         r.document.to_json_dict() if r.document else None)
        for r in results
    ]


def _run(engine: str, **kwargs: Any) -> list[Result]:
    settings = load_settings()
    return list(run_pages(_items(), settings, published=PUBLISHED, engine=engine, chunk_pages=CHUNK, **kwargs))


@pytest.fixture(scope="module")
def inline() -> list[Result]:
    return _run("inline")


def _check_inline(results: list[Result]) -> None:
    assert [r.input for r in results] == [i.input for i in _items()]
    by_input = {r.input: r for r in results}
    assert by_input["empty.txt"].error is not None and by_input["empty.txt"].error.code is Code.NO_TEXT
    assert by_input["zero.txt"].error is not None and by_input["zero.txt"].error.code is Code.EMPTY
    baku, copy = by_input["baku.txt"].document, by_input["baku-copy.txt"].document
    assert baku is not None and copy is not None
    assert baku.duplicate_of is None and copy.duplicate_of == baku.doc_id
    assert all(r.document is not None for r in results if r.input not in ("empty.txt", "zero.txt"))
    assert any(r.document.events for r in results if r.document)  # the NLP stages ran


@pytest.mark.model
def test_inline_matches_pipeline_run(inline: list[Result]) -> None:
    _check_inline(inline)
    settings = load_settings()
    direct = list(Pipeline(settings, published=PUBLISHED).run(_items()))
    assert _summary(direct) == _summary(inline)


@pytest.mark.model
def test_local_engine_gives_the_same_records(inline: list[Result]) -> None:
    local = _run("local", workers=2)
    assert _summary(local) == _summary(inline)


@pytest.mark.model
def test_dask_local_cluster_gives_the_same_records(inline: list[Result]) -> None:
    pytest.importorskip("distributed")
    dask = _run("dask", workers=2)
    assert _summary(dask) == _summary(inline)
    assert "distributed" in sys.modules


# --- no model: the runner's contract on the article stage, without processes ---------------------


def test_skip_and_seeded_dedup_in_the_parent() -> None:
    settings = load_settings()
    first = list(run_pages(_items(), settings, stage="article", chunk_pages=CHUNK))
    skipped = first[1].raw_sha
    seeded = Pipeline(settings).dedup
    seeded.add("stored-baku", first[0].document.article.body)  # type: ignore[union-attr]
    again = list(run_pages(_items(), settings, stage="article", skip=lambda sha: sha == skipped, dedup=seeded,
                           engine="local", workers=1, chunk_pages=CHUNK))
    assert again[1].skipped and again[1].document is None
    assert again[0].document is not None and again[0].document.duplicate_of == "stored-baku"


class _FlakyBackend:
    """Runs chunks in-process; the first chunk's first attempt dies as a broken pool would."""

    def __init__(self) -> None:
        self.generation = 0
        self.calls = 0

    def submit(self, pages: list[RawPage]) -> Future[Any]:
        self.calls += 1
        future: Future[Any] = Future()
        if self.calls == 1:
            future.set_exception(BrokenProcessPool("a worker died"))
        else:
            future.set_result(work_chunk(pages, "article", None, None, 64, False))
        return future

    def recover(self, exc: BaseException, generation: int) -> bool:
        if isinstance(exc, BrokenProcessPool) and generation == self.generation:
            self.generation += 1
        return isinstance(exc, BrokenProcessPool)


def test_a_dead_worker_chunk_is_sent_again() -> None:
    settings = load_settings()
    expected = _summary(list(run_pages(_items(), settings, stage="article", chunk_pages=CHUNK)))
    backend = _FlakyBackend()
    results = list(run_ordered(_items(), Pipeline(settings, stage="article"), backend, workers=2, chunk_pages=CHUNK))
    assert _summary(results) == expected


def test_a_page_that_breaks_the_nlp_batch_fails_alone() -> None:
    class Broken:
        def pipe(self, texts: list[str], batch_size: int = 64) -> Any:
            for text in texts:
                if "Rotterdam" in text:
                    raise RuntimeError("boom")
            raise RuntimeError("never parsed")  # any batch with the bad page fails

    pages = [i for i in _items() if isinstance(i, RawPage)][:2]
    outcomes = process_pages(pages, get_nlp=Broken)  # the run goes on; each page is its own error
    assert all(isinstance(o, SitroomError) and o.code is Code.INTERNAL for o in outcomes)
    assert "strike.txt" in str(outcomes[1]) and "boom" in str(outcomes[1])
    assert "baku.txt" in str(outcomes[0]) and "never parsed" in str(outcomes[0])


def test_a_missing_model_ends_a_local_run_with_e016() -> None:
    settings = load_settings(nlp__model="no_such_model_xyz")
    with pytest.raises(SitroomError) as info:
        list(run_pages(_items(), settings, engine="local", workers=1))
    assert info.value.code is Code.NO_MODEL


def test_bad_options_are_coded_errors() -> None:
    settings = load_settings()
    for kwargs in ({"engine": "spark"}, {"engine": "local", "workers": 0}, {"scheduler": "tcp://x:8786"}):
        with pytest.raises(SitroomError) as info:
            run_pages([], settings, **kwargs)
        assert info.value.code is Code.BAD_OPTION


class _SlowHeadBackend:
    """Runs chunks on threads; the first chunk is held until three later chunks have been sent."""

    def __init__(self) -> None:
        import threading
        from concurrent.futures import ThreadPoolExecutor

        self.generation = 0
        self.sent = 0
        self.release = threading.Event()
        self.pool = ThreadPoolExecutor(4)

    def submit(self, pages: list[RawPage]) -> Future[Any]:
        self.sent += 1
        if self.sent == 4:
            self.release.set()
        first = self.sent == 1

        def run() -> Any:
            if first and not self.release.wait(timeout=10):
                raise TimeoutError("no chunk went out while the first one ran")
            return work_chunk(pages, "article", None, None, 64, False)

        return self.pool.submit(run)

    def recover(self, exc: BaseException, generation: int) -> bool:
        return False


def test_chunks_keep_going_out_while_the_first_one_runs() -> None:
    # Two workers keep four chunks in flight; finished chunks waiting behind a slow first one do
    # not count, so a fourth (and later) chunk is sent before the first comes back.
    settings = load_settings()
    expected = _summary(list(run_pages(_items(), settings, stage="article", chunk_pages=1)))
    backend = _SlowHeadBackend()
    results = list(run_ordered(_items(), Pipeline(settings, stage="article"), backend, workers=1, chunk_pages=1))
    assert _summary(results) == expected and backend.sent >= 4
