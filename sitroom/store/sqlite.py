"""SQLite specifics of the store: file checks, connection pragmas, write locking and FTS5 search.

Everything here runs only when the engine's dialect is ``sqlite``; the schema itself
(:mod:`sitroom.store.schema`) is dialect-neutral, and :mod:`sitroom.store.postgres` is this
module's counterpart for PostgreSQL.

Connections run in WAL mode with ``synchronous=NORMAL`` (a crash loses at most the last commits,
never consistency), enforce foreign keys, and wait up to :data:`BUSY_TIMEOUT_MS` for a lock.
pysqlite's own implicit transactions are switched off; SQLAlchemy's ``begin`` emits ``BEGIN``
itself, ``BEGIN IMMEDIATE`` for writes (see :data:`WRITE_OPTION`). Taking the write lock at the
start, not at the first INSERT, is what lets two processes write one file safely: in WAL mode a
deferred transaction that read an older snapshot fails at once with ``SQLITE_BUSY_SNAPSHOT``
instead of waiting.

Full-text search uses a standalone FTS5 table ``documents_fts(doc_id UNINDEXED, title, body)``
kept in step with ``documents`` by triggers (insert, delete, update of title/body/doc_id), so any
writer, including a user in the sqlite3 shell, keeps it right. It is keyed by ``doc_id`` rather
than borrowing ``documents.rowid`` (an external-content table) because ``documents`` has a text
primary key and ``VACUUM`` may renumber the rowids of such a table.
"""

from __future__ import annotations

import os
import re
from typing import Any

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

SQLITE_HEADER = b"SQLite format 3\x00"
# Writers wait this long for another writer's transaction; a batch of a few hundred pages
# commits in well under a second, so 30 s only runs out when something holds the lock for good.
BUSY_TIMEOUT_MS = 30_000
# Page cache per connection (KiB) and how much of the file is memory-mapped.
CACHE_KIB = 131_072
MMAP_BYTES = 1 << 30
# Execution option that makes the next transaction on a connection ``BEGIN IMMEDIATE``.
WRITE_OPTION = "sitroom_write"
FTS_TABLE = "documents_fts"
# bm25 column weights for (doc_id, title, body): a title hit counts three body hits. Chosen by
# judgement (headlines name the event), not calibrated on a benchmark.
BM25_WEIGHTS = (0.0, 3.0, 1.0)

_FTS_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "doc_id UNINDEXED, title, body, tokenize = 'porter unicode61 remove_diacritics 2')",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON documents BEGIN
        INSERT INTO {FTS_TABLE}(doc_id, title, body)
        VALUES (new.doc_id, coalesce(new.title, ''), new.body);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON documents BEGIN
        DELETE FROM {FTS_TABLE} WHERE doc_id = old.doc_id;
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF doc_id, title, body ON documents
    BEGIN
        DELETE FROM {FTS_TABLE} WHERE doc_id = old.doc_id;
        INSERT INTO {FTS_TABLE}(doc_id, title, body)
        VALUES (new.doc_id, coalesce(new.title, ''), new.body);
    END""",
)

# Evidence sentences of event mentions, an external-content FTS5 table over ``events`` (whose
# integer primary key is its rowid, so VACUUM keeps them in step).
EVIDENCE_FTS = "evidence_fts"
_EVIDENCE_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {EVIDENCE_FTS} USING fts5(evidence_text, content='events', "
    "content_rowid='id', tokenize = 'porter unicode61 remove_diacritics 2')",
    f"""CREATE TRIGGER IF NOT EXISTS {EVIDENCE_FTS}_ai AFTER INSERT ON events BEGIN
        INSERT INTO {EVIDENCE_FTS}(rowid, evidence_text) VALUES (new.id, coalesce(new.evidence_text, ''));
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {EVIDENCE_FTS}_ad AFTER DELETE ON events BEGIN
        INSERT INTO {EVIDENCE_FTS}({EVIDENCE_FTS}, rowid, evidence_text)
        VALUES ('delete', old.id, coalesce(old.evidence_text, ''));
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {EVIDENCE_FTS}_au AFTER UPDATE OF evidence_text ON events BEGIN
        INSERT INTO {EVIDENCE_FTS}({EVIDENCE_FTS}, rowid, evidence_text)
        VALUES ('delete', old.id, coalesce(old.evidence_text, ''));
        INSERT INTO {EVIDENCE_FTS}(rowid, evidence_text) VALUES (new.id, coalesce(new.evidence_text, ''));
    END""",
)

_TERM = re.compile(r"\S+")
_WORDISH = re.compile(r"\w", re.UNICODE)


def check_path(path: str) -> str | None:
    """Why a database file path cannot be used, before SQLite touches it.

    Args:
        path: the file path from the database URL.

    Returns:
        A reason to show the user, or ``None`` when the path looks usable (an existing SQLite
        file, an empty file, or a new file in an existing writable directory).
    """
    if path in ("", ":memory:") or path.startswith("file:"):
        return None
    if os.path.isdir(path):
        return "it is a directory, not a database file"
    if os.path.exists(path):
        try:
            with open(path, "rb") as fh:
                head = fh.read(len(SQLITE_HEADER))
        except OSError as exc:
            return f"cannot read the file ({exc.strerror or exc})"
        if head and head != SQLITE_HEADER:  # an empty file is a new, empty database to SQLite
            return "the file exists but is not a SQLite database; it was left untouched (give another --db path)"
        return None
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        return f"the directory {parent} does not exist"
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"cannot create the database file: the directory {parent} is not writable"
    return None


def explain(exc: BaseException) -> str:
    """A short reason for a database error, in words a user can act on."""
    orig = getattr(exc, "orig", None) or exc
    message = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    lowered = message.lower()
    if "file is not a database" in lowered or "file is encrypted" in lowered:
        return "not a SQLite database file"
    if "unable to open database file" in lowered:
        return "cannot open or create the database file (does the directory exist and is it writable?)"
    if "readonly database" in lowered:
        return "the database is read-only (check the file's and its directory's permissions)"
    if "database is locked" in lowered or "database is busy" in lowered:
        return f"the database stayed locked by another writer for over {BUSY_TIMEOUT_MS // 1000} s"
    if "disk i/o error" in lowered or "database or disk is full" in lowered:
        return f"disk error ({message})"
    if "malformed" in lowered:
        return "the database file is damaged (malformed); restore it from a copy"
    return message


def configure(engine: Engine) -> None:
    """Install the pragmas and the transaction handling on a SQLite engine.

    Args:
        engine: an engine whose dialect is ``sqlite`` (any driver built on ``sqlite3``).
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # no implicit BEGIN/COMMIT from pysqlite
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            # A large store's indexes do not fit SQLite's default 2 MB page cache; every miss is
            # then a read call. Pages are still shared through the OS cache (and mapped).
            cursor.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            cursor.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def fts_supported(conn: Connection) -> bool:
    """Whether this SQLite build has FTS5 (or the table already exists)."""
    if has_fts_table(conn):
        return True
    try:
        return bool(conn.exec_driver_sql("SELECT sqlite_compileoption_used('ENABLE_FTS5')").scalar())
    except SQLAlchemyError:
        return False


def has_fts_table(conn: Connection, name: str = FTS_TABLE) -> bool:
    """Whether the full-text table ``name`` (default ``documents_fts``) exists in this database."""
    row = conn.execute(
        text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"), {"name": name}
    ).first()
    return row is not None


def create_fts(conn: Connection) -> bool:
    """Create the FTS5 table and its triggers if missing, and index documents stored without it.

    Args:
        conn: a connection inside a write transaction.

    Returns:
        ``True`` if full-text search is available, ``False`` if this SQLite lacks FTS5.
    """
    if not fts_supported(conn):
        return False
    existed = has_fts_table(conn)
    for ddl in _FTS_DDL:
        conn.exec_driver_sql(ddl)
    if not existed:  # documents written by a SQLite without FTS5, or before FTS existed
        conn.exec_driver_sql(
            f"INSERT INTO {FTS_TABLE}(doc_id, title, body) "
            "SELECT doc_id, coalesce(title, ''), body FROM documents"
        )
    evidence_existed = has_fts_table(conn, EVIDENCE_FTS)
    for ddl in _EVIDENCE_DDL:
        conn.exec_driver_sql(ddl)
    if not evidence_existed:
        conn.exec_driver_sql(f"INSERT INTO {EVIDENCE_FTS}({EVIDENCE_FTS}) VALUES ('rebuild')")
    return True


def drop_fts(conn: Connection) -> None:
    """Remove the FTS5 tables and their triggers (the baseline revision's downgrade)."""
    for name in (FTS_TABLE, EVIDENCE_FTS):
        for suffix in ("ai", "ad", "au"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}_{suffix}")
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {name}")


def evidence_match(query: str) -> Any:
    """A SQL condition on ``events.id``: mentions whose evidence matches the words of ``query``
    (every word, quoted, so user input is never FTS5 syntax)."""
    quoted = quote_query(query) or '""'
    return text(f"events.id IN (SELECT rowid FROM {EVIDENCE_FTS} WHERE {EVIDENCE_FTS} MATCH :evidence_q)").bindparams(
        evidence_q=quoted)


def evidence_count(conn: Connection, query: str, at_most: int) -> int:
    """How many mentions' evidence matches ``query``, counted no further than ``at_most``."""
    quoted = quote_query(query) or '""'
    return int(conn.execute(text(f"SELECT count(*) FROM (SELECT 1 FROM {EVIDENCE_FTS} WHERE {EVIDENCE_FTS} MATCH :q "
                                 "LIMIT :n)"), {"q": quoted, "n": at_most}).scalar_one())


def evidence_probe(query: str) -> Any:
    """A SQL condition on ``events.id`` like :func:`evidence_match`, for a query that probes a few
    mentions at a time (an event's, found by its own index): the matching ids are listed once per
    statement and each probe looks its mention up in that list; the ``+`` keeps SQLite from
    driving the probe by the list (a key lookup per match)."""
    quoted = quote_query(query) or '""'
    return text(f"+events.id IN (SELECT rowid FROM {EVIDENCE_FTS} WHERE {EVIDENCE_FTS} MATCH :evidence_q)").bindparams(
        evidence_q=quoted)


def quote_query(query: str) -> str | None:
    """Turn free text into a safe FTS5 query: every term a quoted string, all terms required.

    A trailing ``*`` on a term is kept as a prefix search (``negot*``); terms with no letter or
    digit (``-``, ``"``, ``*``) are dropped.

    Args:
        query: what the user typed.

    Returns:
        The FTS5 query, or ``None`` when nothing searchable is left.
    """
    parts = []
    for term in _TERM.findall(query):
        prefix = term.endswith("*")
        core = term.rstrip("*").strip('"')
        if not _WORDISH.search(core):
            continue
        parts.append('"' + core.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(parts) or None


def search_ids(
    conn: Connection, query: str, *, site: str | None = None, limit: int = 50, offset: int = 0
) -> list[str]:
    """Doc ids matching a full-text query, best bm25 match first.

    The query is first tried as FTS5 syntax (so ``"exact phrase"``, ``OR``, ``NEAR`` and
    ``prefix*`` work); if SQLite rejects it, its terms are quoted (:func:`quote_query`) and all
    required. A hostile query never raises.

    Args:
        conn: a connection to a store that has the FTS table.
        query: the user's search text.
        site: only documents from this site.
        limit: at most this many ids.
        offset: skip this many best matches first.

    Returns:
        Matching doc ids, best first.
    """
    weights = ", ".join(str(w) for w in BM25_WEIGHTS)
    sql = (
        f"SELECT {FTS_TABLE}.doc_id FROM {FTS_TABLE} JOIN documents AS d ON d.doc_id = {FTS_TABLE}.doc_id "
        f"WHERE {FTS_TABLE} MATCH :q{' AND d.site = :site' if site is not None else ''} "
        f"ORDER BY bm25({FTS_TABLE}, {weights}), d.ingested_at DESC, d.doc_id LIMIT :limit OFFSET :offset"
    )
    params: dict[str, Any] = {"site": site, "limit": limit, "offset": offset}
    raw = query.strip()
    if raw:
        try:
            return [row[0] for row in conn.execute(text(sql), {**params, "q": raw})]
        except OperationalError:  # an FTS5 syntax error: fall back to the quoted form
            pass
    quoted = quote_query(query)
    if quoted is None:
        return []
    return [row[0] for row in conn.execute(text(sql), {**params, "q": quoted})]


class unindexed(FunctionElement[Any]):  # noqa: N801 - used like a SQL function
    """A column the query planner must not reach through an index: ``+column`` on SQLite (its
    documented way to rule an index out), the bare column elsewhere.

    SQLite's planner has no statistics by default and takes an equality on any indexed column
    for a selective one: given ``type = 'ASSAULT'`` it walks every assault instead of the
    country's events newest first. A query that knows its driving index marks the other
    table's conditions with this.
    """

    inherit_cache = True
    name = "unindexed"

    def __init__(self, column: Any) -> None:
        super().__init__(column)
        self.type = column.type


@compiles(unindexed)
def _unindexed(element: unindexed, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(unindexed, "sqlite")
def _unindexed_sqlite(element: unindexed, compiler: Any, **kw: Any) -> str:
    return "+" + str(compiler.process(element.clauses, **kw))
