"""Fused events record when they last changed (``fused_events.settled_at``), so an as-of view
recomputes only the events that changed after its day and reads the others' current rows; the
country index rows carry the event's type and that date, so a country's events of one type are
one index walk; and events are indexed by their last update (the "reported" order).

Existing events get a date no earlier than their true one: the latest assignment date, report
date and correction date over every report that was ever assigned to them (a report that moved
on counts all its later moves too), and the event's own date if later. A later date only sends
an event through the recomputation. ``born_at`` is the earliest report date of any report ever
assigned to an event, from the same log.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None
# The value of meta.schema_version once this revision is applied.
schema_version = "6"
# The settled date of an event with a report of no date: it is always recomputed.
NEVER = "9999-12-31"


def upgrade() -> None:
    op.add_column("fused_events", sa.Column("settled_at", sa.String(10).with_variant(sa.Text(collation="C"), "postgresql")))
    op.add_column("fused_events", sa.Column("born_at", sa.String(10).with_variant(sa.Text(collation="C"), "postgresql")))
    # Per report: the latest of its assignment dates, its report date (a report without one is
    # never settled) and its correction date; per event, the latest over every report it had.
    greatest = "max" if op.get_bind().dialect.name == "sqlite" else "greatest"
    op.execute(f"""
        CREATE TEMPORARY TABLE settled_per_report AS
        SELECT e.id AS mention_id,
               {greatest}(b.last_at, coalesce(e.reported_at, '{NEVER}'), coalesce(e.superseded_at, '')) AS latest
        FROM events e JOIN (SELECT mention_id, max(at) AS last_at FROM assignments GROUP BY mention_id) b
             ON b.mention_id = e.id
    """)
    op.execute("""
        CREATE TEMPORARY TABLE settled_per_event AS
        SELECT a.fused_id AS fused_id, max(p.latest) AS latest
        FROM assignments a JOIN settled_per_report p ON p.mention_id = a.mention_id
        GROUP BY a.fused_id
    """)
    op.execute("CREATE INDEX settled_per_event_id ON settled_per_event (fused_id)")
    op.execute("UPDATE fused_events SET settled_at = "
               "(SELECT s.latest FROM settled_per_event s WHERE s.fused_id = fused_events.id)")
    op.execute("CREATE TEMPORARY TABLE born_per_event AS "
               "SELECT a.fused_id AS fused_id, min(coalesce(e.reported_at, '')) AS earliest "
               "FROM assignments a JOIN events e ON e.id = a.mention_id GROUP BY a.fused_id")
    op.execute("CREATE INDEX born_per_event_id ON born_per_event (fused_id)")
    op.execute("UPDATE fused_events SET born_at = "
               "(SELECT b.earliest FROM born_per_event b WHERE b.fused_id = fused_events.id)")
    op.execute("DROP TABLE born_per_event")
    op.execute(f"UPDATE fused_events SET settled_at = {greatest}(settled_at, when_from) "
               "WHERE settled_at IS NOT NULL AND when_from IS NOT NULL")  # no earlier than its own date
    op.execute("DROP TABLE settled_per_event")
    op.execute("DROP TABLE settled_per_report")
    string = sa.String(16).with_variant(sa.Text(collation="C"), "postgresql")
    op.add_column("fused_countries", sa.Column("type", string))
    op.add_column("fused_countries", sa.Column("settled_at", string))
    op.execute("UPDATE fused_countries SET "
               "type = (SELECT f.type FROM fused_events f WHERE f.id = fused_countries.fused_id), "
               "settled_at = (SELECT f.settled_at FROM fused_events f WHERE f.id = fused_countries.fused_id)")
    op.create_index("ix_fused_countries_type", "fused_countries", ["country", "type", "when_from", "settled_at"])
    op.create_index("ix_fused_reported", "fused_events", ["status", "last_updated", "id"])
    op.create_index("ix_fused_type_settled", "fused_events", ["type", "settled_at", "born_at"])
    op.create_index("ix_fused_settled", "fused_events", ["settled_at", "born_at"])
    meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    op.execute(meta.update().where(meta.c.key == "schema_version").values(value=schema_version))


def downgrade() -> None:
    op.drop_index("ix_fused_countries_type", table_name="fused_countries")
    with op.batch_alter_table("fused_countries") as batch:
        batch.drop_column("settled_at")
        batch.drop_column("type")
    op.drop_index("ix_fused_settled", table_name="fused_events")
    op.drop_index("ix_fused_reported", table_name="fused_events")
    op.drop_index("ix_fused_type_settled", table_name="fused_events")
    with op.batch_alter_table("fused_events") as batch:
        batch.drop_column("born_at")
        batch.drop_column("settled_at")
    meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    op.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(int(schema_version) - 1)))
