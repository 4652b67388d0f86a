"""The store's tables, in SQLAlchemy Core, with portable column types only.

Every column is a String, Text, Integer, Float or LargeBinary (JSON is kept as Text), so the same
:data:`metadata` describes the tables on SQLite and PostgreSQL. On PostgreSQL every string column
is ``TEXT COLLATE "C"`` (:func:`_string`): SQLite enforces no ``VARCHAR`` length, so PostgreSQL
must not either (a long role name would otherwise fail a whole batch), and SQLite compares text
byte by byte, which ``"C"`` does too, so sorting and the prefix ranges of place search agree on
both backends whatever the database's locale. Dialect specifics (pragmas, write locking,
full-text search) live beside it: :mod:`sitroom.store.sqlite` and :mod:`sitroom.store.postgres`.
The tables are created and upgraded by the Alembic revisions of :mod:`sitroom.store.migrate`.

Tables:
    documents: one row per stored ``sitroom.document/1`` record, its main fields as columns and
        the full record as JSON text.
    inputs: one row per raw page ingested (keyed by the SHA-256 of its decoded text), naming the
        document it became, so a re-run skips pages already stored.
    entities, mentions, events: rows unpacked from the record's arrays, for queries across
        documents. An ``events`` row is one *mention* of an event: what one document said.
    fused_events: one row per real-world event, the fusion of every mention that reports it
        (:mod:`sitroom.store.fuse`), with summary fields derived from its current mentions;
        ``fused_actors`` and ``fused_countries`` index it for the common filters,
        ``assignments`` logs which fused event each mention belonged to from when (the as-of
        view) and ``fused_history`` records creations, joins, merges, splits and retractions.
    meta: key/value pairs; ``schema_version`` says which layout the file has.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.sql.dml import Insert
from sqlalchemy.types import TypeEngine

SCHEMA_VERSION = "6"
# Versions this code upgrades in place when it opens a store (see sitroom.store.migrate).
UPGRADABLE_VERSIONS = frozenset({"1", "2", "3"})



def _string(length: int | None = None) -> TypeEngine[str]:
    """``VARCHAR(length)`` on SQLite, ``TEXT COLLATE "C"`` on PostgreSQL (see the module)."""
    return String(length).with_variant(Text(collation="C"), "postgresql")


def _text() -> TypeEngine[str]:
    """``TEXT`` on SQLite, ``TEXT COLLATE "C"`` on PostgreSQL (see the module)."""
    return Text().with_variant(Text(collation="C"), "postgresql")


metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("doc_id", _string(64), primary_key=True),
    Column("url", _text()),
    Column("path", _text()),
    Column("site", _string(255)),
    Column("title", _text()),
    Column("published", _string(10)),  # YYYY-MM-DD
    Column("published_from", _string(16)),
    Column("byline", _text()),
    Column("language", _string(16)),
    Column("body", _text(), nullable=False),
    Column("words", Integer, nullable=False, default=0),  # whitespace-separated words in body
    Column("credits", _text()),  # JSON list of agency/photo credits
    Column("teasers", Integer, nullable=False, default=0),  # teasers found on the page
    Column("record", _text(), nullable=False),  # the full contract record as JSON
    Column("duplicate_of", _string(64)),
    Column("superseded_by", _string(64)),  # a later corrected version of the same page (v4)
    Column("minhash", LargeBinary),  # DuplicateIndex.signature(body)
    Column("ingested_at", _string(32), nullable=False),  # ISO 8601 UTC, fixed width, sortable
)
Index("ix_documents_published", documents.c.published)
Index("ix_documents_site", documents.c.site)
Index("ix_documents_duplicate_of", documents.c.duplicate_of)
Index("ix_documents_ingested_at", documents.c.ingested_at)

inputs = Table(
    "inputs",
    metadata,
    Column("raw_sha", _string(64), primary_key=True),  # sha256 of the decoded page text
    Column("input", _text(), nullable=False),  # the label as the user gave it
    Column("doc_id", _string(64), ForeignKey("documents.doc_id", ondelete="CASCADE"), nullable=False),
    Column("url", _text()),
    Column("fetched_at", _string(40)),
)
Index("ix_inputs_doc_id", inputs.c.doc_id)

actors = Table(
    "actors",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # One actor across documents: "kb:<kb_id>" when linked to the knowledge base, else
    # "name:<normalised name>|<country or ->|<type>".
    Column("key", _string(300), nullable=False, unique=True),
    Column("kb_id", _string(128)),
    Column("name", _text(), nullable=False),
    Column("type", _string(16), nullable=False),
    Column("country", _string(3)),
    Column("sector", _string(64)),
    Column("names", _text()),  # every spelling seen, one per line (v4), so name search reads this table only
)
Index("ix_actors_kb_id", actors.c.kb_id)
Index("ix_actors_name", actors.c.name)

entities = Table(
    "entities",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", _string(64), ForeignKey("documents.doc_id", ondelete="CASCADE"), nullable=False),
    Column("local_id", _string(32), nullable=False),  # the record's id, e.g. "e1"
    Column("name", _text(), nullable=False),
    Column("type", _string(16), nullable=False),
    Column("country", _string(3)),
    Column("sector", _string(64)),
    Column("role", _string(64)),
    Column("kb_id", _string(128)),
    Column("aliases", _text()),  # JSON list
    Column("actor_id", Integer, ForeignKey("actors.id")),
)
Index("ix_entities_doc_id", entities.c.doc_id)
Index("ix_entities_actor_id", entities.c.actor_id)
Index("ix_entities_name", entities.c.name)
Index("ix_entities_kb_id", entities.c.kb_id)

mentions = Table(
    "mentions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", _string(64), ForeignKey("documents.doc_id", ondelete="CASCADE"), nullable=False),
    Column("entity_id", Integer, ForeignKey("entities.id", ondelete="CASCADE")),
    Column("kind", _string(16), nullable=False, default="entity"),  # what the span is a mention of
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", _text(), nullable=False),
)
Index("ix_mentions_doc_id", mentions.c.doc_id)
Index("ix_mentions_entity_id", mentions.c.entity_id)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", _string(64), ForeignKey("documents.doc_id", ondelete="CASCADE"), nullable=False),
    Column("local_id", _string(32), nullable=False),
    Column("type", _string(16), nullable=False),
    Column("mode", _string(64)),
    Column("cameo", _string(8)),
    Column("modality", _string(16)),
    Column("attributed_to", _text()),  # an entity's name, or the cited phrase
    Column("confidence", Float),
    Column("place", _string(32)),  # the record's place id
    Column("place_name", _text()),
    Column("place_country", _string(3)),
    Column("place_admin1", _text()),
    Column("lat", Float),
    Column("lon", Float),
    Column("when_from", _string(10)),
    Column("when_to", _string(10)),
    Column("precision", _string(16)),
    Column("killed", Integer),
    Column("injured", Integer),
    Column("arrested", Integer),
    Column("size", Integer),
    Column("evidence_start", Integer),
    Column("evidence_end", Integer),
    Column("evidence_text", _text()),
    Column("section", _string(16)),
    # Version 4: fusion.
    Column("place_kind", _string(16)),
    Column("place_gid", _string(32)),  # the place's gazetteer id
    Column("context_places", _text()),  # JSON: the document's most-named local places, for fusion
    Column("reported_at", _string(10)),  # the report's date: published, else the ingest day
    Column("fuse_from", _string(10)),  # the interval fusion compares: the event's, or the report window
    Column("fuse_to", _string(10)),
    Column("superseded_at", _string(10)),  # report date of a correction that replaced this mention
    Column("fused_id", Integer, ForeignKey("fused_events.id")),
)
Index("ix_events_doc_id", events.c.doc_id)
# Fusion reads an event's latest reports by walking this index backwards (v5).
Index("ix_events_fused_recent", events.c.fused_id, events.c.reported_at, events.c.id)
Index("ix_events_type", events.c.type)
Index("ix_events_place_country", events.c.place_country)
Index("ix_events_when_to", events.c.when_to)
Index("ix_events_when_from", events.c.when_from)

# Who took part in each event, as cross-document actors.
event_actors = Table(
    "event_actors",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("actor_id", Integer, ForeignKey("actors.id"), nullable=False),
    Column("role", _string(8), nullable=False),  # "source" or "target"
)
Index("ix_event_actors_event_id", event_actors.c.event_id)
Index("ix_event_actors_actor_id", event_actors.c.actor_id)

fused_events = Table(
    "fused_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("status", _string(12), nullable=False, default="active"),  # active | merged | retracted
    Column("merged_into", Integer),
    Column("type", _string(16), nullable=False),
    Column("mode", _string(64)),
    Column("cameo", _string(8)),
    Column("modality", _string(16)),
    Column("contested", Integer, nullable=False, default=0),  # 1 when some mention denies it
    Column("confidence", Float),
    Column("place_name", _text()),
    Column("place_country", _string(3)),
    Column("place_admin1", _text()),
    Column("place_kind", _string(16)),
    Column("place_gid", _string(32)),
    Column("place_key", _text()),  # name_key of the place's name, for prefix search by index
    Column("admin1_key", _text()),
    Column("lat", Float),
    Column("lon", Float),
    Column("when_from", _string(10)),
    Column("when_to", _string(10)),
    Column("precision", _string(16)),
    Column("fuse_from", _string(10)),  # the narrowest interval of its mentions, for candidates
    Column("fuse_to", _string(10)),
    Column("killed_min", Integer), Column("killed_max", Integer),
    Column("injured_min", Integer), Column("injured_max", Integer),
    Column("arrested_min", Integer), Column("arrested_max", Integer),
    Column("size_min", Integer), Column("size_max", Integer),
    Column("first_reported", _string(10)),
    Column("last_updated", _string(10)),
    Column("n_mentions", Integer, nullable=False, default=0),
    Column("n_documents", Integer, nullable=False, default=0),
    Column("n_sources", Integer, nullable=False, default=0),  # independent sources
    Column("evidence", _text()),  # the best mention's evidence sentence
    Column("tally", _text()),  # the running summary as JSON (store/summary.py; v5)
    # The latest report date at which anything about it changed (a report joined or moved in:
    # its date and the date it was reported; a report moved out; a report was corrected), or its
    # own event date if that is later. From that date on, what the store knew of it is its
    # current row (the as-of view, sitroom.store.query; v6).
    Column("settled_at", _string(10)),
    # The earliest report date of any report ever assigned to it: no report it has or had was
    # reported before that day (v6).
    Column("born_at", _string(10)),
)
Index("ix_fused_type_from", fused_events.c.status, fused_events.c.type, fused_events.c.fuse_from)
# when_to rides along so a date-range walk tests overlap from the index alone.
Index("ix_fused_when_from", fused_events.c.status, fused_events.c.when_from, fused_events.c.when_to)
Index("ix_fused_type_when", fused_events.c.status, fused_events.c.type, fused_events.c.when_from)
Index("ix_fused_modality", fused_events.c.modality)
Index("ix_fused_place_key", fused_events.c.place_key)
Index("ix_fused_admin1_key", fused_events.c.admin1_key)
Index("ix_fused_n_sources", fused_events.c.n_sources)
# Best-corroborated first, overall and within a type, newest first among equals.
Index("ix_fused_sources_when", fused_events.c.status, fused_events.c.n_sources, fused_events.c.when_from)
Index("ix_fused_type_sources", fused_events.c.status, fused_events.c.type, fused_events.c.n_sources, fused_events.c.when_from)
# Latest update first (sort=reported), newest first among equals (v6).
Index("ix_fused_reported", fused_events.c.status, fused_events.c.last_updated, fused_events.c.id)
# The events an as-of view must recompute (changed after its day), within a type or overall.
Index("ix_fused_type_settled", fused_events.c.type, fused_events.c.settled_at, fused_events.c.born_at)
Index("ix_fused_settled", fused_events.c.settled_at, fused_events.c.born_at)
# Covers the places listing (every active event's place) without reading the rows.
Index("ix_fused_places", fused_events.c.status, fused_events.c.place_name, fused_events.c.place_country,
      fused_events.c.place_admin1, fused_events.c.place_kind, fused_events.c.lat, fused_events.c.lon)

fused_actors = Table(
    "fused_actors",
    metadata,
    Column("fused_id", Integer, ForeignKey("fused_events.id", ondelete="CASCADE"), primary_key=True),
    Column("actor_id", Integer, ForeignKey("actors.id"), primary_key=True),
    Column("role", _string(8), primary_key=True),  # "source" or "target"
    Column("when_from", _string(10)),  # copied from the event, so actor pages sort by an index
)
Index("ix_fused_actors_actor", fused_actors.c.actor_id, fused_actors.c.when_from)

fused_countries = Table(
    "fused_countries",
    metadata,
    Column("fused_id", Integer, ForeignKey("fused_events.id", ondelete="CASCADE"), primary_key=True),
    Column("country", _string(3), primary_key=True),  # the place's country or an actor's
    Column("when_from", _string(10)),
    # Copied from the event too (v6): a country's events of one type are walked by date from one
    # index, and an as-of view tells settled ones from the index alone.
    Column("type", _string(16)),
    Column("settled_at", _string(10)),
)
Index("ix_fused_countries_country", fused_countries.c.country, fused_countries.c.when_from)
Index("ix_fused_countries_type", fused_countries.c.country, fused_countries.c.type, fused_countries.c.when_from,
      fused_countries.c.settled_at)

# Where fusion looks for candidates: one row per active fused event and country ("" for an event
# with none), with its type and fusion interval, so a new report reads only its own countries'
# events of its type in its window (see sitroom.store.fuse._candidates).
fusion_keys = Table(
    "fusion_keys",
    metadata,
    Column("fused_id", Integer, ForeignKey("fused_events.id", ondelete="CASCADE"), primary_key=True),
    Column("country", _string(3), primary_key=True),
    Column("type", _string(16), nullable=False),
    Column("fuse_from", _string(10)),
    Column("fuse_to", _string(10)),
)
Index("ix_fusion_keys_lookup", fusion_keys.c.type, fusion_keys.c.country, fusion_keys.c.fuse_from)

assignments = Table(
    "assignments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("mention_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("fused_id", Integer, ForeignKey("fused_events.id"), nullable=False),
    Column("at", _string(10), nullable=False),  # report date from which this assignment holds
)
Index("ix_assignments_mention", assignments.c.mention_id, assignments.c.at)
Index("ix_assignments_fused", assignments.c.fused_id)

fused_history = Table(
    "fused_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("fused_id", Integer, nullable=False),
    # created | joined | merged | absorbed | split | left | superseded | retracted
    Column("action", _string(16), nullable=False),
    Column("other_id", Integer),  # the other fused event of a merge or split
    Column("mention_id", Integer),
    Column("doc_id", _string(64)),
    Column("report_date", _string(10)),
    Column("at", _string(32), nullable=False),  # store time (UTC)
    Column("detail", _text()),
)
Index("ix_fused_history_fused", fused_history.c.fused_id)

meta = Table(
    "meta",
    metadata,
    Column("key", _string(64), primary_key=True),
    Column("value", _text()),
)

TABLE_NAMES = frozenset(metadata.tables)


def insert_ignore(dialect_name: str, table: Table, index_elements: list[str]) -> Insert:
    """An INSERT that does nothing when a row with the same key already exists.

    Args:
        dialect_name: the engine's dialect (``sqlite``, ``postgresql``).
        table: the table to insert into.
        index_elements: the key columns whose conflict means "already there".

    Returns:
        The statement; its result's ``rowcount`` is 0 when the row was already present.

    Raises:
        NotImplementedError: for a dialect without ``ON CONFLICT DO NOTHING``.
    """
    module: Any
    if dialect_name == "sqlite":
        from sqlalchemy.dialects import sqlite as module
    elif dialect_name == "postgresql":
        from sqlalchemy.dialects import postgresql as module
    else:
        raise NotImplementedError(f"no INSERT ... ON CONFLICT for {dialect_name}")
    # SQLAlchemy keeps an INSERT's rowcount only when asked (psycopg's is -1 otherwise).
    return module.insert(table).on_conflict_do_nothing(index_elements=index_elements).execution_options(
        preserve_rowcount=True)
