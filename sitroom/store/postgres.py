"""PostgreSQL specifics of the store: URLs, connection set-up, writer locking and full-text search.

Everything here runs only when the engine's dialect is ``postgresql`` (driver: psycopg 3); the
schema itself (:mod:`sitroom.store.schema`) is dialect-neutral. It mirrors
:mod:`sitroom.store.sqlite`.

Full-text search uses PostgreSQL's own machinery. ``documents.search_vector`` is a stored
generated column, ``setweight(to_tsvector(title), 'A') || setweight(to_tsvector(body), 'B')``,
and ``events.evidence_vector`` one over the evidence sentence; each has a GIN index. Both use the
``english`` configuration (Snowball stemming, like SQLite's porter tokenizer: "strikes" finds
"strike"). Being generated columns, they follow every insert and update, from any writer, as the
SQLite triggers do. They are not in :data:`sitroom.store.schema.metadata`: the Alembic baseline
creates them with :func:`create_fts`, and the migration environment ignores them when comparing.

Queries go through ``websearch_to_tsquery`` (``"exact phrase"``, ``or``, ``-word``), which never
raises on odd input; a standalone ``NOT`` is read as ``-`` (FTS5 spelling) and ``prefix*`` terms
are added as prefix lexemes. Documents are ranked by ``ts_rank`` with a title hit worth three
body hits, as SQLite's bm25 weights.

Writers run in ``READ COMMITTED`` transactions (each statement sees what others committed
before it). ``INSERT ... ON CONFLICT DO NOTHING`` makes the inserts of documents, inputs and
actors idempotent across concurrent writers, and the fusion step of a batch holds the
transaction-level advisory lock :data:`FUSION_LOCK` (see :meth:`sitroom.store.Store.add_batch`).
PostgreSQL may still abort one of two transactions that wait on each other's rows (a deadlock,
e.g. two batches holding the same new documents in opposite orders); :func:`is_retryable` says
when a failed transaction is worth running again.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

# The text-search configuration of both vectors and of every query.
TS_CONFIG = "english"
# Only the first characters of a body are indexed: to_tsvector fails on a text whose distinct
# lexemes exceed 1 MB, which no news article nears (the longest bodies seen are ~100k characters)
# but a page of base64 or tables might.
MAX_INDEXED_CHARS = 300_000
# ts_rank weights for {D, C, B, A}: the title (A) counts three body (B) hits, as sqlite.BM25_WEIGHTS.
RANK_WEIGHTS = "{0.1, 0.2, 0.3333, 1.0}"
# Keys of the transaction-level advisory locks (fixed, arbitrary 64-bit numbers, "sitroom" in ASCII
# plus a digit): fusion is serialised across writers; opening (migrating) a store too.
FUSION_LOCK = 0x73697472_6F6F6D01
MIGRATION_LOCK = 0x73697472_6F6F6D02
# How often a transaction aborted by a deadlock or serialisation failure is run again.
RETRIES = 5
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})  # deadlock_detected, serialization_failure

DOCUMENT_VECTOR = "search_vector"
EVIDENCE_VECTOR = "evidence_vector"
# Columns and indexes that exist only on PostgreSQL (outside the SQLAlchemy metadata).
FTS_COLUMNS = {("documents", DOCUMENT_VECTOR), ("events", EVIDENCE_VECTOR)}
FTS_INDEXES = frozenset({"ix_documents_search", "ix_events_evidence_search"})

_CONFIG = f"'{TS_CONFIG}'::regconfig"
FTS_DDL = (
    f"""ALTER TABLE documents ADD COLUMN IF NOT EXISTS {DOCUMENT_VECTOR} tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector({_CONFIG}, coalesce(title, '')), 'A')
        || setweight(to_tsvector({_CONFIG}, left(body, {MAX_INDEXED_CHARS})), 'B')) STORED""",
    f"CREATE INDEX IF NOT EXISTS ix_documents_search ON documents USING GIN ({DOCUMENT_VECTOR})",
    f"""ALTER TABLE events ADD COLUMN IF NOT EXISTS {EVIDENCE_VECTOR} tsvector GENERATED ALWAYS AS (
        to_tsvector({_CONFIG}, left(coalesce(evidence_text, ''), {MAX_INDEXED_CHARS}))) STORED""",
    f"CREATE INDEX IF NOT EXISTS ix_events_evidence_search ON events USING GIN ({EVIDENCE_VECTOR})",
)
FTS_DROP = (
    "DROP INDEX IF EXISTS ix_events_evidence_search",
    f"ALTER TABLE events DROP COLUMN IF EXISTS {EVIDENCE_VECTOR}",
    "DROP INDEX IF EXISTS ix_documents_search",
    f"ALTER TABLE documents DROP COLUMN IF EXISTS {DOCUMENT_VECTOR}",
)

_WORDISH = re.compile(r"\w", re.UNICODE)
_WORDS = re.compile(r"[^\W_]+", re.UNICODE)
_NOT = re.compile(r"(^|\s)NOT\s+(?=\S)")


def driver_url(url: URL) -> URL:
    """The URL with psycopg 3 as its driver: ``postgresql://`` and ``postgres://`` mean psycopg."""
    if url.drivername in ("postgresql", "postgres"):
        return url.set(drivername="postgresql+psycopg")
    return url


def configure(engine: Engine) -> None:
    """Install the connection set-up on a PostgreSQL (psycopg) engine.

    PostgreSQL text cannot hold the NUL character, which SQLite stores and a hostile query may
    contain; strings are sent with NULs removed rather than failing the statement.
    """
    dumper = _nul_free_dumper()

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        if dumper is not None and hasattr(dbapi_connection, "adapters"):
            dbapi_connection.adapters.register_dumper(str, dumper)


def _nul_free_dumper() -> type | None:
    try:
        from psycopg.types.string import StrDumperUnknown
    except ImportError:  # another driver: leave strings alone
        return None

    class NulFreeStrDumper(StrDumperUnknown):  # type: ignore[misc, valid-type]
        def dump(self, obj: str) -> Any:
            return super().dump(obj.replace("\x00", "") if "\x00" in obj else obj)

    return NulFreeStrDumper


def explain(exc: BaseException) -> str:
    """A short reason for a PostgreSQL error, in words a user can act on."""
    orig = getattr(exc, "orig", None) or exc
    message = " ".join(str(orig).split()) or type(orig).__name__
    lowered = message.lower()
    if "connection refused" in lowered or "could not connect" in lowered or "connection failed" in lowered:
        if "password authentication failed" in lowered:
            return "the PostgreSQL server refused the user name or password"
        if "does not exist" in lowered and "database" in lowered:
            return "the PostgreSQL database does not exist (create it first: createdb NAME)"
        return f"cannot connect to the PostgreSQL server ({message})"
    if "permission denied" in lowered:
        return f"the database user lacks a privilege ({message})"
    return message


def is_retryable(exc: BaseException) -> bool:
    """Whether a failed transaction was aborted by a deadlock or a serialisation failure."""
    if not isinstance(exc, DBAPIError):
        return False
    return getattr(exc.orig, "sqlstate", None) in RETRYABLE_SQLSTATES


def lock(conn: Connection, key: int) -> None:
    """Wait for the transaction-level advisory lock ``key``; it is released at commit or rollback."""
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def create_fts(conn: Connection) -> bool:
    """Add the search vectors and their GIN indexes if missing (existing rows are indexed too).

    Returns:
        ``True``: full-text search is always available on PostgreSQL.
    """
    for ddl in FTS_DDL:
        conn.exec_driver_sql(ddl)
    return True


def drop_fts(conn: Connection) -> None:
    """Remove what :func:`create_fts` added."""
    for ddl in FTS_DROP:
        conn.exec_driver_sql(ddl)


def tsquery(query: str, name: str = "q") -> tuple[str, dict[str, Any]] | None:
    """SQL for a ``tsquery`` from what a user typed, with its parameters; never raises.

    Words ending in ``*`` become prefix lexemes (stemmed and as typed, either may match); the
    rest goes to ``websearch_to_tsquery`` with a standalone ``NOT`` read as ``-``. All parts are
    required.

    Args:
        query: the user's search text.
        name: prefix of the bind parameters (two queries in one statement need two names).

    Returns:
        ``(sql, params)``, or ``None`` when no letter or digit is left to search for.
    """
    query = query.replace("\x00", " ")
    if not _WORDISH.search(query):
        return None
    parts: list[str] = []
    params: dict[str, Any] = {}
    plain: list[str] = []
    for term in query.split():
        core = term.rstrip("*")
        if term.endswith("*") and _WORDS.search(core):
            for word in _WORDS.findall(core):
                key = f"{name}_p{len(params)}"
                params[key] = word.lower() + ":*"
                parts.append(f"(to_tsquery('simple'::regconfig, :{key}) || to_tsquery({_CONFIG}, :{key}))")
        else:
            plain.append(term)
    rest = _NOT.sub(r"\1-", " ".join(plain)).strip()
    if rest and _WORDISH.search(rest):
        params[name] = rest
        parts.insert(0, f"websearch_to_tsquery({_CONFIG}, :{name})")
    if not parts:
        return None
    return "(" + " && ".join(parts) + ")", params


def evidence_match(query: str) -> Any:
    """A SQL condition on ``events``: mentions whose evidence matches ``query`` (see :func:`tsquery`);
    ``None`` when the query has nothing to search for."""
    found = tsquery(query, "evidence_q")
    if found is None:
        return None
    sql, params = found
    return text(f"events.{EVIDENCE_VECTOR} @@ {sql}").bindparams(**params)


def search_ids(
    conn: Connection, query: str, *, site: str | None = None, limit: int = 50, offset: int = 0
) -> list[str]:
    """Doc ids matching a full-text query, best ``ts_rank`` first (then newest, then by id).

    Args:
        conn: a connection to a PostgreSQL store.
        query: the user's search text (see :func:`tsquery`); odd input never raises.
        site: only documents from this site.
        limit: at most this many ids.
        offset: skip this many best matches first.

    Returns:
        Matching doc ids, best first.
    """
    found = tsquery(query)
    if found is None:
        return []
    sql, params = found
    statement = (
        f"WITH wanted AS (SELECT {sql} AS q) SELECT d.doc_id FROM documents AS d, wanted "
        f"WHERE d.{DOCUMENT_VECTOR} @@ wanted.q{' AND d.site = :site' if site is not None else ''} "
        f"ORDER BY ts_rank('{RANK_WEIGHTS}'::float4[], d.{DOCUMENT_VECTOR}, wanted.q) DESC, d.ingested_at DESC, d.doc_id "
        "LIMIT :limit OFFSET :offset"
    )
    params.update(site=site, limit=limit, offset=offset)
    return [row[0] for row in conn.execute(text(statement), params)]
