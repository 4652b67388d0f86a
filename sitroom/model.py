"""The record types that flow between stages, and the ``sitroom.document/1`` output record.

Stage records (:class:`RawPage`, :class:`ArticleParts`) are plain dataclasses. The output record
(:class:`Document` and its parts) is pydantic, so the project's own JSON schema is generated from it
(``Document.json_schema()``) and checked against ``../shared/contract/document.schema.json``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from spacy.tokens import Doc

SCHEMA_ID = "sitroom.document/1"

Parsed = list[tuple[int, "Doc"]]
"""One body's parse: each paragraph's spaCy ``Doc`` with the paragraph's offset in the body."""

# The Doc extension holding where a paragraph's wire dateline ends (a character offset, 0 for
# none); set by the actors stage (sitroom.actors.dateline), read by the places stage.
DATELINE_EXTENSION = "sitroom_dateline"


def doc_text(doc: Doc) -> str:
    """A paragraph Doc's text, built once. (spaCy rebuilds ``Doc.text`` from every token on each
    read, which made the stages that read it per entity cost more than the parse itself.)"""
    text = doc.user_data.get("sitroom.text")
    if text is None:
        text = doc.user_data["sitroom.text"] = doc.text
    return text

# --------------------------------------------------------------------------------------------
# Stage records
# --------------------------------------------------------------------------------------------

PageKind = Literal["html", "text"]


@dataclass
class RawPage:
    """One page as ingest delivers it: decoded text plus what is known about where it came from.

    Attributes:
        input: how the user named it (a path, a URL, ``-``, or ``file.warc.gz#3`` for a record).
        text: the decoded page (HTML source or plain text), mojibake already repaired.
        kind: ``html`` or ``text``; decides which article extractor runs.
        url: the page's URL if known (given with --url, fetched, a feed link, a WARC target URI).
        path: the file it was read from, if any.
        fetched_at: when it was fetched (WARC date, HTTP fetch time, file mtime), timezone-aware.
        published: a publication date the container states (feed pubDate, JSON field).
        title: a title the container states (feed item title, JSON field).
        site: a publisher or domain the container states.
        byline: an author the container states (feed dc:creator/author, JSON field).
    """

    input: str
    text: str
    kind: PageKind
    url: str | None = None
    path: str | None = None
    fetched_at: dt.datetime | None = None
    published: dt.date | None = None
    title: str | None = None
    site: str | None = None
    byline: str | None = None


@dataclass
class Removed:
    """A piece cut from the page, kept so a reader can check the cut."""

    kind: Literal["related", "teaser", "navigation", "duplicate", "credit", "caption", "comment", "other"]
    text: str


@dataclass
class TeaserParts:
    """A headline (and summary) of another article found on the page."""

    title: str
    summary: str | None = None


@dataclass
class ArticleParts:
    """What an article extractor (HTML or text) found, before dates and ids are settled.

    ``paragraphs`` are the body's paragraphs in order; the body is ``"\\n\\n".join(paragraphs)``.
    """

    title: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    byline: str | None = None
    credits: list[str] = field(default_factory=list)
    photo_caption: str | None = None
    published: dt.date | None = None  # from page metadata
    site: str | None = None
    url: str | None = None  # the URL the page declares for itself (canonical link, og:url)
    language: str | None = None
    removed: list[Removed] = field(default_factory=list)
    teasers: list[TeaserParts] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# The output record: sitroom.document/1
# --------------------------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="forbid", json_schema_serialization_defaults_required=True)


class Span(_Model):
    """A piece of ``article.body``: ``body[start:end] == text`` (code points, end-exclusive)."""

    text: str
    start: int
    end: int


class Source(_Model):
    url: str | None
    path: str | None
    site: str | None
    fetched_at: str | None = None


RemovedKind = Literal["related", "teaser", "navigation", "duplicate", "credit", "caption", "comment", "other"]


class RemovedBlock(_Model):
    kind: RemovedKind
    text: str


class Teaser(_Model):
    title: str
    summary: str | None = None


class Article(_Model):
    title: str | None
    published: str | None = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    published_from: Literal["input", "metadata", "url", "text", "none"] = "none"
    byline: str | None = None
    credits: list[str] = Field(default_factory=list)
    photo_caption: str | None = None
    language: str | None = None
    body: str
    removed: list[RemovedBlock]
    teasers: list[Teaser] = Field(default_factory=list)


EntityType = Literal["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "OTHER"]


class Entity(_Model):
    id: str
    name: str
    type: EntityType
    country: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    sector: str | None = None
    role: str | None = None
    aliases: list[str] = Field(default_factory=list)
    kb_id: str | None = None
    mentions: list[Span]


class Place(_Model):
    id: str
    name: str
    kind: Literal["country", "admin1", "admin2", "city", "facility", "region", "water", "other"] | None = None
    country: str | None = Field(pattern=r"^[A-Z]{3}$")
    admin1: str | None = None
    lat: float | None
    lon: float | None
    gazetteer_id: str | None = None
    mentions: list[Span]


Precision = Literal["day", "week", "month", "season", "year", "decade", "century", "unknown"]
_DAY = r"^\d{4}-\d{2}-\d{2}$"


class Time(_Model):
    """A temporal expression. ``id`` ("t1" ...) is what ``anchor`` and an event's ``when.time`` name
    (an addition to the contract, which allows added fields)."""

    id: str | None = None
    text: str
    start: int
    end: int
    type: Literal["DATE", "TIME", "DURATION", "SET"] | None = None
    value: str | None
    from_: str | None = Field(alias="from", pattern=_DAY)
    to: str | None = Field(pattern=_DAY)
    precision: Precision
    anchor: str | None = None


class When(_Model):
    from_: str | None = Field(alias="from", pattern=_DAY)
    to: str | None = Field(pattern=_DAY)
    precision: Precision
    time: str | None = None


class Counts(_Model):
    killed: int | None = None
    injured: int | None = None
    arrested: int | None = None
    size: int | None = None


EventType = Literal[
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
]


class Event(_Model):
    id: str
    type: EventType
    mode: str | None = None
    cameo: str | None = None
    sources: list[str]
    targets: list[str]
    place: str | None
    when: When
    counts: Counts
    modality: Literal["asserted", "planned", "hypothetical", "negated", "claimed"]
    attributed_to: str | None = None
    confidence: float | None = Field(default=None, ge=0, le=1)
    evidence: Span
    section: Literal["main", "teaser"]
    teaser: int | None = Field(
        default=None,
        description="For section 'teaser': the index in article.teasers; evidence offsets then index that "
        "teaser's text (title, blank line, summary), not the body. An addition to the contract.",
    )


class Quote(_Model):
    speaker: str | None
    text: str
    start: int
    end: int


class Document(_Model):
    """One ``sitroom.document/1`` record: the cleaned article and everything found in it."""

    schema_: Literal["sitroom.document/1"] = Field(default=SCHEMA_ID, alias="schema")
    doc_id: str
    source: Source
    article: Article
    entities: list[Entity] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    times: list[Time] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    duplicate_of: str | None = None

    def to_json_dict(self) -> dict[str, Any]:
        """The record as the contract spells it (``schema``, ``from``), ready for ``json.dumps``."""
        return self.model_dump(by_alias=True, mode="json")

    @classmethod
    def json_schema(cls) -> dict[str, Any]:
        """The project's own JSON schema for the record, generated from these models."""
        schema = cls.model_json_schema(by_alias=True, mode="serialization")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = SCHEMA_ID
        return schema
