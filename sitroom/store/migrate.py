"""Creating and upgrading stores: Alembic revisions shared by SQLite and PostgreSQL.

The schema's history is an Alembic environment inside the package,
``sitroom/store/migrations/`` (``env.py``, ``versions/``). Its first revision, ``0004``, is a
baseline: it creates a complete version-4 store (tables, indexes, and the dialect's full-text
objects) on an empty database. :meth:`sitroom.store.Store.open` calls :func:`prepare`, which
runs in the transaction that holds the store's write lock (SQLite ``BEGIN IMMEDIATE``, a
PostgreSQL advisory lock), so two processes opening one new store do not both build it:

- an empty database: ``alembic upgrade head`` (the baseline, then every later revision);
- a store written before Alembic (``meta.schema_version`` 1, 2 or 3, SQLite only, since
  PostgreSQL stores did not exist then): the missing version-4 tables are created from the
  baseline's frozen table list, the manual steps below (:data:`STEPS`) bring the old tables
  and rows to version 4, the store is stamped at the baseline without running it, then
  upgraded to head. A version-4 store without a version table gets its indexes and FTS
  objects checked and is stamped likewise;
- an Alembic-managed store: upgraded to head if it is behind;
- a store whose schema version or Alembic revision this sitroom does not know (a newer
  sitroom wrote it): refused, untouched.

``meta.schema_version`` stays meaningful: every revision sets it (the baseline to "4", the next
one to "5" ...) and :data:`sitroom.store.schema.SCHEMA_VERSION` names the head's, so a store
can be told apart by older code and by people with the sqlite3 shell.

Adding the next migration (say, a column):

1. Change :mod:`sitroom.store.schema` (the Table, and ``SCHEMA_VERSION = "5"``).
2. Write the revision: ``python -m sitroom.store.migrate revision -m "add events.source_url"``
   writes ``versions/<id>_add_events_source_url.py`` with ``down_revision`` set to the current
   head; with ``--autogenerate --db sqlite:///scratch.db`` (a store at the previous head) Alembic
   fills in the operations by comparing it with the metadata. Rename the file to start with
   the next number and set ``revision = "0005"`` (the file's id) and ``schema_version = "5"``.
3. Write the operations for both backends: ``op.add_column`` works everywhere; on SQLite wrap
   other table changes in ``with op.batch_alter_table("events") as batch:`` (SQLite cannot
   alter columns in place). Dialect specifics (FTS, indexes on expressions) go through
   ``op.get_bind().dialect.name``. The template's last line bumps ``meta.schema_version``.
4. Test an upgrade from the previous head on both backends (``SITROOM_TEST_PG``, see
   tests/test_store_pg.py) and the fresh path, which now runs baseline + 0005.

Never edit a revision that has been released, the baseline included: stores in the field have
run it. Mind the old steps: :data:`STEPS` write rows through today's Table objects, so a new
column on a table they fill (documents, entities, actors, events, fused_*) must be nullable
without a Python-side default, or the upgrade of a version-1 to -3 store breaks.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Sequence
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, select, update

from sitroom.errors import Code, SitroomError
from sitroom.store import postgres
from sitroom.store import sqlite as sqlite_store
from sitroom.store.actors import migrate_1_to_2
from sitroom.store.events import fuse_all, migrate_2_to_3, migrate_3_to_4
from sitroom.store.schema import SCHEMA_VERSION, TABLE_NAMES, UPGRADABLE_VERSIONS, meta

MIGRATIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "migrations")
BASELINE = "0004"
BASELINE_VERSION = "4"  # meta.schema_version at the baseline
VERSION_TABLE = "alembic_version"
# The manual upgrade steps of stores written before Alembic: each takes a version to the next.
STEPS = {"1": migrate_1_to_2, "2": migrate_2_to_3, "3": migrate_3_to_4}


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """An Alembic Config built in code: the package's migrations, and a connection or a URL."""
    config = Config(stdout=sys.stdout)  # the current stdout, not the one at import
    config.set_main_option("script_location", MIGRATIONS)
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@functools.cache
def script_directory() -> ScriptDirectory:
    """The package's revisions (read once per process)."""
    return ScriptDirectory.from_config(alembic_config())


def head() -> str:
    """The newest revision this sitroom knows."""
    found = script_directory().get_current_head()
    assert found is not None
    return found


def upgrade_legacy(conn: Connection, version: str) -> None:
    """Run the manual steps from ``version`` (1-3) to 4, inside the caller's transaction (after
    the missing tables were created), and record version 4 in ``meta``."""
    while version != BASELINE_VERSION:
        STEPS[version](conn)
        version = str(int(version) + 1)
    conn.execute(update(meta).where(meta.c.key == "schema_version").values(value=BASELINE_VERSION))


def _baseline_tables() -> Any:
    module = script_directory().get_revision(BASELINE).module  # type: ignore[union-attr]
    return module.tables()


def _newer(version: str) -> bool:
    return not version.isdigit() or int(version) > int(SCHEMA_VERSION)


def prepare(conn: Connection, label: str) -> None:
    """Check the database is a sitroom store (or empty) and bring it to the head revision.

    Args:
        conn: a connection inside a write transaction (SQLite: ``BEGIN IMMEDIATE``).
        label: how the user named the store, for messages.

    Raises:
        SitroomError: E015 for a database that is not a sitroom store, or a store written by a
            newer sitroom; nothing is changed then.
    """
    sqlite = conn.dialect.name == "sqlite"
    if conn.dialect.name == "postgresql":
        postgres.lock(conn, postgres.MIGRATION_LOCK)  # one opener at a time builds or upgrades
    existing = set(inspect(conn).get_table_names())
    version = None
    if "meta" in existing:
        version = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
    current = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE}).get_current_heads() \
        if VERSION_TABLE in existing else ()
    others = existing - {VERSION_TABLE}  # an empty version table is left by a downgrade to base
    if version is None and (others & TABLE_NAMES or current or (sqlite and others)):
        shown = ", ".join(sorted(existing)[:6])
        raise SitroomError(Code.STORE, label, detail=f"a database that is not a sitroom store (it has tables: {shown}); "
                           "give another --db")
    if version is not None and _newer(version):
        raise SitroomError(Code.STORE, label, detail=f"the store has schema version {version}, this sitroom reads "
                           f"version {SCHEMA_VERSION}; upgrade sitroom or use another --db")
    script = script_directory()
    known = {rev.revision for rev in script.walk_revisions()}
    unknown = [rev for rev in current if rev not in known]
    if unknown:
        raise SitroomError(Code.STORE, label, detail=f"the store is at migration {unknown[0]}, which this sitroom "
                           "does not know (a newer sitroom wrote it); upgrade sitroom or use another --db")
    config = alembic_config(conn)
    if version in UPGRADABLE_VERSIONS or (version == BASELINE_VERSION and not current):
        _adopt(conn, version)
        command.stamp(config, BASELINE, purge=True)
        current = (BASELINE,)
    if tuple(current) != (script.get_current_head(),):
        command.upgrade(config, "head")
    if version in UPGRADABLE_VERSIONS:  # events re-derived by the old steps are fused last
        fuse_all(conn)


def _adopt(conn: Connection, version: str) -> None:
    """Bring a store written before Alembic (versions 1-4) to the baseline's layout."""
    tables = _baseline_tables()
    tables.create_all(conn, checkfirst=True)
    if version in UPGRADABLE_VERSIONS:
        upgrade_legacy(conn, version)
    for table in tables.sorted_tables:  # indexes added since the store was made (create_all skips existing tables)
        for index in table.indexes:
            index.create(conn, checkfirst=True)
    if conn.dialect.name == "sqlite":
        sqlite_store.create_fts(conn)
    elif conn.dialect.name == "postgresql":
        postgres.create_fts(conn)


# ---------------------------------------------------------------------------- developer commands


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m sitroom.store.migrate``: write a revision, or show or apply them on a store.

    ``revision -m MSG [--autogenerate --db URL]``, ``heads``, ``history``, ``current --db URL``,
    ``upgrade --db URL`` (what opening the store does), ``downgrade REV --db URL``.
    """
    parser = argparse.ArgumentParser(prog="python -m sitroom.store.migrate", description=main.__doc__)
    parser.add_argument("command", choices=("revision", "heads", "history", "current", "upgrade", "downgrade"))
    parser.add_argument("target", nargs="?", help="downgrade: the revision to go back to")
    parser.add_argument("-m", "--message", default="")
    parser.add_argument("--autogenerate", action="store_true")
    parser.add_argument("--db", help="a store: a SQLite path or a database URL")
    args = parser.parse_args(argv)
    if args.command == "upgrade":
        from sitroom.store import Store

        Store.open(args.db).close()
        return 0
    url = None
    if args.db:
        from sqlalchemy.engine import make_url

        from sitroom.store import resolve_target

        url = postgres.driver_url(make_url(resolve_target(args.db))).render_as_string(hide_password=False)
    config = alembic_config(url=url)
    if args.command == "revision":
        command.revision(config, message=args.message, autogenerate=args.autogenerate)
    elif args.command == "heads":
        command.heads(config)
    elif args.command == "history":
        command.history(config)
    elif args.command == "current":
        command.current(config)
    elif args.command == "downgrade":
        command.downgrade(config, args.target or "-1")
    return 0


if __name__ == "__main__":
    sys.exit(main())
