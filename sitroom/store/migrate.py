"""Upgrading a store written by an earlier sitroom, in place, keeping everything stored.

Each step takes one schema version to the next; :func:`upgrade` runs the steps a store needs,
inside the caller's transaction (after ``create_all`` has added any new tables).
"""

from __future__ import annotations

from sqlalchemy import Connection, update

from sitroom.store.actors import migrate_1_to_2
from sitroom.store.events import migrate_2_to_3, migrate_3_to_4
from sitroom.store.schema import SCHEMA_VERSION, meta

STEPS = {"1": migrate_1_to_2, "2": migrate_2_to_3, "3": migrate_3_to_4}


def upgrade(conn: Connection, version: str) -> None:
    """Run every step from ``version`` to the current schema version."""
    while version != SCHEMA_VERSION:
        STEPS[version](conn)
        version = str(int(version) + 1)
    conn.execute(update(meta).where(meta.c.key == "schema_version").values(value=SCHEMA_VERSION))
