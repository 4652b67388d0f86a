"""Fused events keep their running summary (``fused_events.tally``); reports are indexed by
event and report date, so fusion reads an event's latest reports without reading them all.

Existing fused events get no tally: the first report to join one recomputes it in full and
stores it (:func:`sitroom.store.fuse.refresh`).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None
# The value of meta.schema_version once this revision is applied.
schema_version = "5"


def upgrade() -> None:
    op.add_column("fused_events", sa.Column("tally", sa.Text().with_variant(sa.Text(collation="C"), "postgresql")))
    op.create_index("ix_events_fused_recent", "events", ["fused_id", "reported_at", "id"])
    op.drop_index("ix_events_fused_id", table_name="events")
    meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    op.execute(meta.update().where(meta.c.key == "schema_version").values(value=schema_version))


def downgrade() -> None:
    op.create_index("ix_events_fused_id", "events", ["fused_id"])
    op.drop_index("ix_events_fused_recent", table_name="events")
    with op.batch_alter_table("fused_events") as batch:
        batch.drop_column("tally")
    meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    op.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(int(schema_version) - 1)))
