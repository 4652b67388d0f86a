"""The Alembic environment of the sitroom store (see :mod:`sitroom.store.migrate`).

:meth:`sitroom.store.Store.open` runs it with an open connection inside the transaction that
holds the store's write lock (``config.attributes["connection"]``); the developer commands of
``python -m sitroom.store.migrate`` give a database URL instead. Alembic's version table is
``alembic_version``. The full-text objects that live outside the SQLAlchemy metadata (SQLite's
FTS5 tables, PostgreSQL's ``tsvector`` columns and GIN indexes) are left out of autogenerate's
comparison, so it does not propose to drop them.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection, create_engine, pool

from sitroom.store import postgres, schema
from sitroom.store import sqlite as sqlite_store

config = context.config
_FTS_TABLES = (sqlite_store.FTS_TABLE, sqlite_store.EVIDENCE_FTS)


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Whether autogenerate compares this object (not the dialect's full-text machinery)."""
    if type_ == "table" and name and name.startswith(_FTS_TABLES):
        return False
    if type_ == "column" and (getattr(obj, "table", None) is not None) and (obj.table.name, name) in postgres.FTS_COLUMNS:
        return False
    return not (type_ == "index" and name in postgres.FTS_INDEXES)


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=schema.metadata,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():  # a no-op inside the caller's transaction
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("sitroom's revisions need a database connection: run them online (no --sql)")
connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "", poolclass=pool.NullPool)
    with engine.begin() as opened:
        run(opened)
