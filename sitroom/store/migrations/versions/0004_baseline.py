"""Baseline: the store as schema version 4 left it (documents, actors, events, fusion).

Creates every table, index and full-text object of a version-4 store on an empty database:
FTS5 tables and triggers on SQLite (:mod:`sitroom.store.sqlite`), the ``tsvector`` columns
and GIN indexes on PostgreSQL (:mod:`sitroom.store.postgres`). Stores written before Alembic
(versions 1 to 4) are brought to this point by the manual steps of :mod:`sitroom.store.migrate`
and then stamped with this revision, without running it.

The tables below are a frozen copy of :mod:`sitroom.store.schema` at version 4: later changes
to the schema go in later revisions, never here. :func:`tables` is also what the manual
upgrade of an old SQLite store creates its missing tables from.

Revision ID: 0004
Revises: (none)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = None
branch_labels = None
depends_on = None
# The value of meta.schema_version once this revision is applied.
schema_version = "4"


def _string(length: int) -> sa.types.TypeEngine[str]:
    return sa.String(length).with_variant(sa.Text(collation="C"), "postgresql")


def _text() -> sa.types.TypeEngine[str]:
    return sa.Text().with_variant(sa.Text(collation="C"), "postgresql")


def tables() -> sa.MetaData:
    """The version-4 tables with their indexes, as a fresh MetaData."""
    md = sa.MetaData()
    sa.Table(
        "actors",
        md,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", _string(300), nullable=False),
        sa.Column("kb_id", _string(128)),
        sa.Column("name", _text(), nullable=False),
        sa.Column("type", _string(16), nullable=False),
        sa.Column("country", _string(3)),
        sa.Column("sector", _string(64)),
        sa.Column("names", _text()),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
        sa.Index("ix_actors_kb_id", "kb_id"),
        sa.Index("ix_actors_name", "name"),
    )
    sa.Table(
        "documents",
        md,
        sa.Column("doc_id", _string(64), nullable=False),
        sa.Column("url", _text()),
        sa.Column("path", _text()),
        sa.Column("site", _string(255)),
        sa.Column("title", _text()),
        sa.Column("published", _string(10)),
        sa.Column("published_from", _string(16)),
        sa.Column("byline", _text()),
        sa.Column("language", _string(16)),
        sa.Column("body", _text(), nullable=False),
        sa.Column("words", sa.Integer(), nullable=False),
        sa.Column("credits", _text()),
        sa.Column("teasers", sa.Integer(), nullable=False),
        sa.Column("record", _text(), nullable=False),
        sa.Column("duplicate_of", _string(64)),
        sa.Column("superseded_by", _string(64)),
        sa.Column("minhash", sa.LargeBinary()),
        sa.Column("ingested_at", _string(32), nullable=False),
        sa.PrimaryKeyConstraint("doc_id"),
        sa.Index("ix_documents_duplicate_of", "duplicate_of"),
        sa.Index("ix_documents_ingested_at", "ingested_at"),
        sa.Index("ix_documents_published", "published"),
        sa.Index("ix_documents_site", "site"),
    )
    sa.Table(
        "fused_events",
        md,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", _string(12), nullable=False),
        sa.Column("merged_into", sa.Integer()),
        sa.Column("type", _string(16), nullable=False),
        sa.Column("mode", _string(64)),
        sa.Column("cameo", _string(8)),
        sa.Column("modality", _string(16)),
        sa.Column("contested", sa.Integer(), nullable=False),
        sa.Column("confidence", sa.Float()),
        sa.Column("place_name", _text()),
        sa.Column("place_country", _string(3)),
        sa.Column("place_admin1", _text()),
        sa.Column("place_kind", _string(16)),
        sa.Column("place_gid", _string(32)),
        sa.Column("place_key", _text()),
        sa.Column("admin1_key", _text()),
        sa.Column("lat", sa.Float()),
        sa.Column("lon", sa.Float()),
        sa.Column("when_from", _string(10)),
        sa.Column("when_to", _string(10)),
        sa.Column("precision", _string(16)),
        sa.Column("fuse_from", _string(10)),
        sa.Column("fuse_to", _string(10)),
        sa.Column("killed_min", sa.Integer()),
        sa.Column("killed_max", sa.Integer()),
        sa.Column("injured_min", sa.Integer()),
        sa.Column("injured_max", sa.Integer()),
        sa.Column("arrested_min", sa.Integer()),
        sa.Column("arrested_max", sa.Integer()),
        sa.Column("size_min", sa.Integer()),
        sa.Column("size_max", sa.Integer()),
        sa.Column("first_reported", _string(10)),
        sa.Column("last_updated", _string(10)),
        sa.Column("n_mentions", sa.Integer(), nullable=False),
        sa.Column("n_documents", sa.Integer(), nullable=False),
        sa.Column("n_sources", sa.Integer(), nullable=False),
        sa.Column("evidence", _text()),
        sa.PrimaryKeyConstraint("id"),
        sa.Index("ix_fused_admin1_key", "admin1_key"),
        sa.Index("ix_fused_modality", "modality"),
        sa.Index("ix_fused_n_sources", "n_sources"),
        sa.Index("ix_fused_sources_when", "status", "n_sources", "when_from"),
        sa.Index("ix_fused_type_sources", "status", "type", "n_sources", "when_from"),
        sa.Index("ix_fused_place_key", "place_key"),
        sa.Index("ix_fused_places", "status", "place_name", "place_country", "place_admin1", "place_kind", "lat", "lon"),
        sa.Index("ix_fused_type_from", "status", "type", "fuse_from"),
        sa.Index("ix_fused_type_when", "status", "type", "when_from"),
        sa.Index("ix_fused_when_from", "status", "when_from", "when_to"),
    )
    sa.Table(
        "fused_history",
        md,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fused_id", sa.Integer(), nullable=False),
        sa.Column("action", _string(16), nullable=False),
        sa.Column("other_id", sa.Integer()),
        sa.Column("mention_id", sa.Integer()),
        sa.Column("doc_id", _string(64)),
        sa.Column("report_date", _string(10)),
        sa.Column("at", _string(32), nullable=False),
        sa.Column("detail", _text()),
        sa.PrimaryKeyConstraint("id"),
        sa.Index("ix_fused_history_fused", "fused_id"),
    )
    sa.Table(
        "meta",
        md,
        sa.Column("key", _string(64), nullable=False),
        sa.Column("value", _text()),
        sa.PrimaryKeyConstraint("key"),
    )
    sa.Table(
        "entities",
        md,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("doc_id", _string(64), nullable=False),
        sa.Column("local_id", _string(32), nullable=False),
        sa.Column("name", _text(), nullable=False),
        sa.Column("type", _string(16), nullable=False),
        sa.Column("country", _string(3)),
        sa.Column("sector", _string(64)),
        sa.Column("role", _string(64)),
        sa.Column("kb_id", _string(128)),
        sa.Column("aliases", _text()),
        sa.Column("actor_id", sa.Integer()),
        sa.ForeignKeyConstraint(["actor_id"], ["actors.id"]),
        sa.ForeignKeyConstraint(["doc_id"], ["documents.doc_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.Index("ix_entities_actor_id", "actor_id"),
        sa.Index("ix_entities_doc_id", "doc_id"),
        sa.Index("ix_entities_kb_id", "kb_id"),
        sa.Index("ix_entities_name", "name"),
    )
    sa.Table(
        "events",
        md,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("doc_id", _string(64), nullable=False),
        sa.Column("local_id", _string(32), nullable=False),
        sa.Column("type", _string(16), nullable=False),
        sa.Column("mode", _string(64)),
        sa.Column("cameo", _string(8)),
        sa.Column("modality", _string(16)),
        sa.Column("attributed_to", _text()),
        sa.Column("confidence", sa.Float()),
        sa.Column("place", _string(32)),
        sa.Column("place_name", _text()),
        sa.Column("place_country", _string(3)),
        sa.Column("place_admin1", _text()),
        sa.Column("lat", sa.Float()),
        sa.Column("lon", sa.Float()),
        sa.Column("when_from", _string(10)),
        sa.Column("when_to", _string(10)),
        sa.Column("precision", _string(16)),
        sa.Column("killed", sa.Integer()),
        sa.Column("injured", sa.Integer()),
        sa.Column("arrested", sa.Integer()),
        sa.Column("size", sa.Integer()),
        sa.Column("evidence_start", sa.Integer()),
        sa.Column("evidence_end", sa.Integer()),
        sa.Column("evidence_text", _text()),
        sa.Column("section", _string(16)),
        sa.Column("place_kind", _string(16)),
        sa.Column("place_gid", _string(32)),
        sa.Column("context_places", _text()),
        sa.Column("reported_at", _string(10)),
        sa.Column("fuse_from", _string(10)),
        sa.Column("fuse_to", _string(10)),
        sa.Column("superseded_at", _string(10)),
        sa.Column("fused_id", sa.Integer()),
        sa.ForeignKeyConstraint(["doc_id"], ["documents.doc_id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["fused_id"], ["fused_events.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.Index("ix_events_doc_id", "doc_id"),
        sa.Index("ix_events_fused_id", "fused_id"),
        sa.Index("ix_events_place_country", "place_country"),
        sa.Index("ix_events_type", "type"),
        sa.Index("ix_events_when_from", "when_from"),
        sa.Index("ix_events_when_to", "when_to"),
    )
    sa.Table(
        "fused_actors",
        md,
        sa.Column("fused_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("role", _string(8), nullable=False),
        sa.Column("when_from", _string(10)),
        sa.ForeignKeyConstraint(["actor_id"], ["actors.id"]),
        sa.ForeignKeyConstraint(["fused_id"], ["fused_events.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("fused_id", "actor_id", "role"),
        sa.Index("ix_fused_actors_actor", "actor_id", "when_from"),
    )
    sa.Table(
        "fused_countries",
        md,
        sa.Column("fused_id", sa.Integer(), nullable=False),
        sa.Column("country", _string(3), nullable=False),
        sa.Column("when_from", _string(10)),
        sa.ForeignKeyConstraint(["fused_id"], ["fused_events.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("fused_id", "country"),
        sa.Index("ix_fused_countries_country", "country", "when_from"),
    )
    sa.Table(
        "fusion_keys",
        md,
        sa.Column("fused_id", sa.Integer(), nullable=False),
        sa.Column("country", _string(3), nullable=False),
        sa.Column("type", _string(16), nullable=False),
        sa.Column("fuse_from", _string(10)),
        sa.Column("fuse_to", _string(10)),
        sa.ForeignKeyConstraint(["fused_id"], ["fused_events.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("fused_id", "country"),
        sa.Index("ix_fusion_keys_lookup", "type", "country", "fuse_from"),
    )
    sa.Table(
        "inputs",
        md,
        sa.Column("raw_sha", _string(64), nullable=False),
        sa.Column("input", _text(), nullable=False),
        sa.Column("doc_id", _string(64), nullable=False),
        sa.Column("url", _text()),
        sa.Column("fetched_at", _string(40)),
        sa.ForeignKeyConstraint(["doc_id"], ["documents.doc_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("raw_sha"),
        sa.Index("ix_inputs_doc_id", "doc_id"),
    )
    sa.Table(
        "assignments",
        md,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mention_id", sa.Integer(), nullable=False),
        sa.Column("fused_id", sa.Integer(), nullable=False),
        sa.Column("at", _string(10), nullable=False),
        sa.ForeignKeyConstraint(["fused_id"], ["fused_events.id"]),
        sa.ForeignKeyConstraint(["mention_id"], ["events.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.Index("ix_assignments_fused", "fused_id"),
        sa.Index("ix_assignments_mention", "mention_id", "at"),
    )
    sa.Table(
        "event_actors",
        md,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("role", _string(8), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["actors.id"]),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.Index("ix_event_actors_actor_id", "actor_id"),
        sa.Index("ix_event_actors_event_id", "event_id"),
    )
    sa.Table(
        "mentions",
        md,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("doc_id", _string(64), nullable=False),
        sa.Column("entity_id", sa.Integer()),
        sa.Column("kind", _string(16), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", _text(), nullable=False),
        sa.ForeignKeyConstraint(["doc_id"], ["documents.doc_id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["entity_id"], ["entities.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.Index("ix_mentions_doc_id", "doc_id"),
        sa.Index("ix_mentions_entity_id", "entity_id"),
    )
    return md


def upgrade() -> None:
    bind = op.get_bind()
    tables().create_all(bind)
    if bind.dialect.name == "sqlite":
        from sitroom.store import sqlite as sqlite_store

        sqlite_store.create_fts(bind)
    elif bind.dialect.name == "postgresql":
        from sitroom.store import postgres

        postgres.create_fts(bind)
    meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    op.execute(meta.delete().where(meta.c.key == "schema_version"))
    op.bulk_insert(meta, [{"key": "schema_version", "value": schema_version}])


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        from sitroom.store import sqlite as sqlite_store

        sqlite_store.drop_fts(bind)
    elif bind.dialect.name == "postgresql":
        from sitroom.store import postgres

        postgres.drop_fts(bind)
    tables().drop_all(bind)

