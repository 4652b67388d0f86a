"""The document store: ``sitroom.document/1`` records in SQLite (default) or PostgreSQL.

Usage::

    with Store.open("sitroom.db") as store:
        if store.stored_doc_for_input(raw_sha) is None:
            store.add_batch([StoredItem(document=doc, raw_sha=raw_sha, input=label, signature=sig)])
        for row in store.documents(search="Damascus"):
            ...

Every :meth:`Store.add_batch` is one transaction, so a run killed between (or during) batches
leaves the file consistent, and a re-run resumes: pages whose raw text is already recorded in
``inputs`` can be skipped, and a document already stored is never rewritten. Several processes
may write the same store: one SQLite file (WAL, ``BEGIN IMMEDIATE``, busy timeout; see
:mod:`.sqlite`) or one PostgreSQL database (``postgresql://user:password@host/db``; idempotent
inserts and a fusion lock, see :meth:`Store.add_batch` and :mod:`.postgres`). Tables are created
and upgraded by Alembic revisions (:mod:`.migrate`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, delete, func, select, update
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from sitroom.article.dedup import DuplicateIndex
from sitroom.errors import Code, SitroomError
from sitroom.model import Document
from sitroom.store import schema
from sitroom.store import sqlite as sqlite_store
from sitroom.store import actors as store_actors
from sitroom.store import events as store_events
from sitroom.store import fuse
from sitroom.store import postgres as pg_store
from sitroom.store import query as store_query
from sitroom.store.schema import documents, entities, events, inputs, mentions

__all__ = [
    "DEFAULT_DB",
    "BatchCounts",
    "Store",
    "StoredItem",
    "resolve_target",
]

DEFAULT_DB = "sitroom.db"
ENV_DB = "SITROOM_DB"
_SCHEMES = {"sqlite": "sqlite", "postgresql": "postgresql", "postgres": "postgresql"}
_T = TypeVar("_T")

_LIST_COLUMNS = (
    documents.c.doc_id,
    documents.c.title,
    documents.c.published,
    documents.c.published_from,
    documents.c.site,
    documents.c.url,
    documents.c.path,
    documents.c.words,
    documents.c.duplicate_of,
    documents.c.ingested_at,
    documents.c.credits,
    documents.c.teasers,
)


@dataclass
class StoredItem:
    """One document to store, with the raw page it came from.

    Attributes:
        document: the ``sitroom.document/1`` record.
        raw_sha: SHA-256 (hex) of the decoded page text as ingested.
        input: the input label as the user gave it (path, URL, ``file.warc.gz#3``).
        signature: the body's MinHash signature, from :meth:`DuplicateIndex.signature`.
        fetched_at: when the page was fetched (ISO 8601), if known; else the record's.
    """

    document: Document
    raw_sha: str
    input: str
    signature: bytes
    fetched_at: str | None = None


@dataclass
class BatchCounts:
    """What :meth:`Store.add_batch` did: documents newly written, and ones already there."""

    added: int = 0
    unchanged: int = 0


def _target_and_scheme(target: str) -> tuple[str, str | None]:
    """Split a target into (target, dialect) where dialect is None for a plain path."""
    if "://" not in target:
        return target, None
    scheme = target.split("://", 1)[0].lower()
    dialect = _SCHEMES.get(scheme.split("+", 1)[0])
    if dialect is None:
        raise SitroomError(
            Code.STORE,
            target,
            detail=f"unsupported database URL scheme {scheme!r}; give a file path, sqlite:///path or postgresql://...",
        )
    return target, dialect


def resolve_target(db: str | None = None) -> str:
    """The SQLAlchemy URL of the store to use.

    Args:
        db: a file path or a database URL; when empty, ``$SITROOM_DB``, else ``sitroom.db``.

    Returns:
        ``sqlite:///<path>`` for a path; ``sqlite://`` and ``postgresql://`` URLs unchanged
        (``postgres://`` is spelled ``postgresql://``).

    Raises:
        SitroomError: E015 for a URL with another scheme.
    """
    target = db or os.environ.get(ENV_DB) or DEFAULT_DB
    target, dialect = _target_and_scheme(target)
    if dialect is None:
        return "sqlite:///" + os.path.expanduser(target)
    if target.lower().startswith("postgres://"):
        return "postgresql://" + target.split("://", 1)[1]
    return target


def _utc_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _document_row(item: StoredItem, ingested_at: str) -> dict[str, Any]:
    doc = item.document
    article = doc.article
    return {
        "doc_id": doc.doc_id,
        "url": doc.source.url,
        "path": doc.source.path,
        "site": doc.source.site,
        "title": article.title,
        "published": article.published,
        "published_from": article.published_from,
        "byline": article.byline,
        "language": article.language,
        "body": article.body,
        "words": len(article.body.split()),
        "credits": json.dumps(article.credits, ensure_ascii=False),
        "teasers": len(article.teasers),
        "record": json.dumps(doc.to_json_dict(), ensure_ascii=False),
        "duplicate_of": doc.duplicate_of,
        "minhash": item.signature,
        "ingested_at": ingested_at,
    }


def _insert_children(conn: Connection, doc: Document, ingested_at: str) -> None:
    """Write the entity, mention and event rows unpacked from a newly stored record."""
    mention_rows: list[dict[str, Any]] = []
    actor_ids: dict[str, int] = {}
    for entity in doc.entities:
        actor_ids[entity.id] = store_actors.upsert_actor(conn, entity)
        result = conn.execute(
            entities.insert(), dict(
                actor_id=actor_ids[entity.id],
                doc_id=doc.doc_id,
                local_id=entity.id,
                name=entity.name,
                type=entity.type,
                country=entity.country,
                sector=entity.sector,
                role=entity.role,
                kb_id=entity.kb_id,
                aliases=json.dumps(entity.aliases, ensure_ascii=False),
            )
        )
        entity_row = result.inserted_primary_key[0]
        mention_rows.extend(
            {"doc_id": doc.doc_id, "entity_id": entity_row, "kind": "entity",
             "start": m.start, "end": m.end, "text": m.text}
            for m in entity.mentions
        )
    if mention_rows:
        conn.execute(mentions.insert(), mention_rows)
    store_events.insert_events(conn, doc, actor_ids, ingested_at[:10])


def _correction_of(conn: Connection, doc: Document, later: frozenset[str] = frozenset()) -> str | None:
    """The stored document this one corrects: a near-duplicate body at the same URL (or path).

    ``later`` are documents of the same batch stored after this one: not yet there for it.
    """
    if not doc.duplicate_of or doc.duplicate_of in later:
        return None
    row = conn.execute(select(documents.c.url, documents.c.path, documents.c.superseded_by)
                       .where(documents.c.doc_id == doc.duplicate_of)).first()
    if row is None or row.superseded_by:
        return None
    same_url = doc.source.url and row.url == doc.source.url
    same_path = doc.source.path and row.path == doc.source.path
    return doc.duplicate_of if same_url or same_path else None


def _report_date(conn: Connection, doc_id: str) -> str | None:
    row = conn.execute(select(documents.c.published, documents.c.ingested_at).where(documents.c.doc_id == doc_id)).first()
    return None if row is None else (row.published or row.ingested_at[:10])


def _fuse_new(conn: Connection, doc: Document, later: frozenset[str] = frozenset()) -> None:
    """Fusion for a newly stored document: corrections first (the later report replaces the
    earlier one), then its mentions join or found fused events."""
    earlier = _correction_of(conn, doc, later)
    fuse.fuse_document(conn, doc.doc_id)
    if earlier is not None:
        old_date, new_date = _report_date(conn, earlier), _report_date(conn, doc.doc_id)
        if old_date and new_date and new_date < old_date:  # the "correction" is the older report
            fuse.supersede(conn, doc.doc_id, earlier, old_date)
        else:
            fuse.supersede(conn, earlier, doc.doc_id, new_date)


def _explain(engine: Engine, exc: BaseException) -> str:
    return pg_store.explain(exc) if engine.dialect.name == "postgresql" else sqlite_store.explain(exc)


def _list_row(row: Any) -> dict[str, Any]:
    out = dict(row._mapping)
    try:
        out["credits"] = json.loads(out["credits"]) if out["credits"] else []
    except ValueError:
        out["credits"] = []
    out["teasers"] = out["teasers"] or 0
    out["words"] = out["words"] or 0
    return out


class Store:
    """An open document store. Create with :meth:`open`; close with :meth:`close` or ``with``.

    Args:
        engine: a configured SQLAlchemy engine whose tables exist.
        target: how the user named the store (for messages; a URL's password hidden).
        fts: whether full-text search is available (SQLite FTS5, PostgreSQL text search).
    """

    def __init__(self, engine: Engine, target: str, *, fts: bool) -> None:
        self._engine = engine
        self.target = target
        self.dialect = engine.dialect.name
        self.fts = fts

    # ---------------------------------------------------------------- opening and closing

    @classmethod
    def open(cls, db: str | None = None) -> Store:
        """Open (creating if needed) the store named by ``db``, ``$SITROOM_DB`` or ``sitroom.db``.

        Args:
            db: a file path, ``sqlite:///path`` or ``postgresql://user:password@host:port/database``
                URL (``postgres://`` too; the driver is psycopg 3). The PostgreSQL database must
                exist; its tables are created on first use.

        Returns:
            The open store, its tables created or upgraded (Alembic, see :mod:`.migrate`).

        Raises:
            SitroomError: E015 naming the target and the reason: unsupported URL scheme,
                missing or unwritable directory, a file that is not a SQLite database (left
                untouched), a database that is not a sitroom store, a store written by a
                newer sitroom, a missing database driver, an unreachable server.
        """
        label = db or os.environ.get(ENV_DB) or DEFAULT_DB
        target, dialect = _target_and_scheme(label)
        if dialect is None:
            url: URL = URL.create("sqlite", database=os.path.expanduser(target))
        else:
            try:
                url = make_url(resolve_target(target))
            except ArgumentError as exc:
                raise SitroomError(Code.STORE, label, detail=f"invalid database URL ({exc})") from None
            if dialect == "postgresql":
                url = pg_store.driver_url(url)
                label = url.set(drivername=label.split("://", 1)[0]).render_as_string(hide_password=True)
        engine_args: dict[str, Any] = {}
        if dialect in (None, "sqlite"):
            reason = sqlite_store.check_path(url.database or "")
            if reason:
                raise SitroomError(Code.STORE, label, detail=reason)
            engine_args["connect_args"] = {
                "timeout": sqlite_store.BUSY_TIMEOUT_MS / 1000,
                "check_same_thread": False,
            }
        elif dialect == "postgresql":
            engine_args["connect_args"] = {"application_name": "sitroom", "connect_timeout": 10}
        try:
            engine = create_engine(url, **engine_args)
        except ImportError as exc:
            raise SitroomError(
                Code.STORE,
                label,
                detail=f"no database driver for this URL is installed (module {exc.name or exc}); "
                "PostgreSQL needs psycopg 3: pip install 'psycopg[binary]'",
            ) from None
        except (ArgumentError, SQLAlchemyError) as exc:
            raise SitroomError(Code.STORE, label, detail=str(exc)) from None
        if engine.dialect.name == "sqlite":
            sqlite_store.configure(engine)
        elif engine.dialect.name == "postgresql":
            pg_store.configure(engine)
        try:
            fts = cls._prepare(engine, label)
        except SitroomError:
            engine.dispose()
            raise
        except (SQLAlchemyError, OSError) as exc:
            engine.dispose()
            raise SitroomError(Code.STORE, label, detail=_explain(engine, exc)) from None
        return cls(engine, label, fts=fts)

    @staticmethod
    def _prepare(engine: Engine, label: str) -> bool:
        """Check the database is ours (or empty), create or upgrade it; return FTS availability."""
        from sitroom.store import migrate as store_migrate  # here, so `python -m sitroom.store.migrate` runs clean

        with engine.connect() as conn:
            conn.execution_options(**{sqlite_store.WRITE_OPTION: True})
            with conn.begin():
                store_migrate.prepare(conn, label)
                if engine.dialect.name == "sqlite":
                    return sqlite_store.create_fts(conn)  # also for a file first written without FTS5
                return engine.dialect.name == "postgresql"

    def close(self) -> None:
        """Close every pooled connection. The store cannot be used afterwards."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.target!r})"

    # ---------------------------------------------------------------- plumbing

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        try:
            yield
        except SQLAlchemyError as exc:
            raise SitroomError(
                Code.STORE, self.target, detail=f"{action}: {_explain(self._engine, exc)}"
            ) from exc

    @contextmanager
    def _read(self, action: str) -> Iterator[Connection]:
        with self._errors(action), self._engine.connect() as conn:
            yield conn

    @contextmanager
    def _write(self, action: str) -> Iterator[Connection]:
        with self._errors(action), self._engine.connect() as conn:
            conn.execution_options(**{sqlite_store.WRITE_OPTION: True})
            fuse.forget(conn)
            with conn.begin():
                yield conn

    def _transaction(self, action: str, work: Callable[[Connection], _T]) -> _T:
        """Run ``work`` in one write transaction; on PostgreSQL, run it again (a few times, after
        a short random pause) when the server aborted it to break a deadlock. ``work`` must not
        change anything outside the database before it returns."""
        attempts = pg_store.RETRIES if self.dialect == "postgresql" else 1
        with self._errors(action):
            for attempt in range(1, attempts + 1):
                try:
                    with self._engine.connect() as conn:
                        conn.execution_options(**{sqlite_store.WRITE_OPTION: True})
                        fuse.forget(conn)
                        with conn.begin():
                            return work(conn)
                except SQLAlchemyError as exc:
                    if attempt == attempts or not pg_store.is_retryable(exc):
                        raise
                    time.sleep(random.uniform(0.01, 0.05) * attempt)
        raise AssertionError("unreachable")

    def _lock_fusion(self, conn: Connection) -> None:
        """Serialise fusion across writers (PostgreSQL; a SQLite writer already has the file)."""
        if self.dialect == "postgresql":
            pg_store.lock(conn, pg_store.FUSION_LOCK)

    # ---------------------------------------------------------------- lookups

    def stored_doc_for_input(self, raw_sha: str) -> str | None:
        """The doc_id this exact raw page became, if it was already stored.

        Args:
            raw_sha: SHA-256 (hex) of the decoded page text.

        Returns:
            The doc_id, or ``None`` if the page has not been stored.
        """
        with self._read("could not look up an input") as conn:
            return conn.execute(select(inputs.c.doc_id).where(inputs.c.raw_sha == raw_sha)).scalar()

    def has_document(self, doc_id: str) -> bool:
        """Whether a document with this id is stored."""
        with self._read("could not look up a document") as conn:
            return conn.execute(select(documents.c.doc_id).where(documents.c.doc_id == doc_id)).first() is not None

    def count(self) -> int:
        """How many documents are stored."""
        with self._read("could not count documents") as conn:
            return int(conn.execute(select(func.count()).select_from(documents)).scalar_one())

    def get_record(self, doc_id: str) -> dict[str, Any] | None:
        """The stored ``sitroom.document/1`` record (contract JSON), or ``None`` if absent."""
        with self._read("could not read a record") as conn:
            raw = conn.execute(select(documents.c.record).where(documents.c.doc_id == doc_id)).scalar()
        return json.loads(raw) if raw is not None else None

    def load_signatures(self, index: DuplicateIndex) -> int:
        """Register every stored document's MinHash signature in a duplicate index.

        Signatures of another length than the index's ``num_perm`` (a store written with other
        settings) are skipped.

        Args:
            index: the index to seed, so new pages are checked against everything stored.

        Returns:
            How many signatures were added.
        """
        expected = index.num_perm * 8
        added = 0
        query = select(documents.c.doc_id, documents.c.minhash).where(documents.c.minhash.is_not(None))
        with self._read("could not read signatures") as conn:
            for doc_id, signature in conn.execute(query):
                if len(signature) != expected or doc_id in index:
                    continue
                index.add_signature(doc_id, bytes(signature))
                added += 1
        return added

    # ---------------------------------------------------------------- writing

    def add_batch(self, items: Sequence[StoredItem]) -> BatchCounts:
        """Store a batch of documents in one transaction.

        Idempotent: a document whose doc_id is already stored is not rewritten (it counts as
        unchanged), and an ``inputs`` row whose raw_sha is already recorded is kept as it is.
        Entities, mentions and events of newly added documents are unpacked into their tables.

        Args:
            items: the documents with their raw-page facts.

        Returns:
            How many documents were added and how many were already there.

        Raises:
            SitroomError: E015 if the batch could not be written; nothing of it is then stored.
        """
        if not items:
            return BatchCounts()
        return self._transaction("could not store a batch", lambda conn: self._add_batch(conn, items))

    def _add_batch(self, conn: Connection, items: Sequence[StoredItem]) -> BatchCounts:
        """The two parts of a batch in one transaction: rows first, then fusion.

        The rows (documents, inputs, actors, entities, mentions, event mentions) are written in
        batch order with idempotent inserts, so concurrent writers of the same document or actor
        wait for each other and then find it there. Fusion then runs for the new documents in
        the same order. On PostgreSQL it holds the advisory lock ``postgres.FUSION_LOCK`` until
        commit: one writer at a time compares mentions with the fused events, and (``READ
        COMMITTED``) sees every event the previous writer committed, so two reports of one event
        in concurrent batches still fuse and no fused event is made twice. The row part of one
        writer overlaps another's fusion. On SQLite the transaction holds the file's write lock.
        A batch's result is that of storing and fusing its documents one by one: a document
        fuses before the next one's events are compared (they have no fused event yet), and a
        correction only corrects a document stored before it.
        """
        counts = BatchCounts()
        added: list[Document] = []
        add_doc = schema.insert_ignore(self.dialect, documents, ["doc_id"])
        add_input = schema.insert_ignore(self.dialect, inputs, ["raw_sha"])
        for item in items:
            doc = item.document
            now = _utc_now()
            if conn.execute(add_doc, _document_row(item, now)).rowcount:
                counts.added += 1
                _insert_children(conn, doc, now)
                added.append(doc)
            else:
                counts.unchanged += 1
            conn.execute(
                add_input,
                {
                    "raw_sha": item.raw_sha,
                    "input": item.input,
                    "doc_id": doc.doc_id,
                    "url": doc.source.url,
                    "fetched_at": item.fetched_at or doc.source.fetched_at,
                },
            )
        if added:
            self._lock_fusion(conn)
            for position, doc in enumerate(added):
                _fuse_new(conn, doc, frozenset(d.doc_id for d in added[position + 1:]))
        return counts

    # ---------------------------------------------------------------- actors

    def actors(self, *, search: str | None = None, country: str | None = None, type: str | None = None,
               limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Actors across documents, most documents first (see :mod:`sitroom.store.actors`)."""
        with self._read("could not list actors") as conn:
            return store_actors.list_actors(conn, search=search, country=country, type_=type, limit=limit, offset=offset)

    def actor(self, ref: str) -> dict[str, Any] | None:
        """One actor by id, key, kb_id or unambiguous name: aliases, roles, documents, events."""
        with self._read("could not read the actor") as conn:
            actor_id = store_actors.find_actor(conn, ref)
            return store_actors.actor_detail(conn, actor_id) if actor_id is not None else None

    def events(self, **filters: Any) -> list[dict[str, Any]]:
        """Fused events matching the filters of :func:`sitroom.store.query.list_events`."""
        with self._read("could not list events") as conn:
            return store_query.list_events(conn, **filters)

    def iter_events(self, **filters: Any) -> Iterator[dict[str, Any]]:
        """Every fused event matching the filters, a page at a time (for exports)."""
        with self._read("could not read events") as conn:
            yield from store_query.iter_events(conn, **filters)

    def event(self, fused_id: int) -> dict[str, Any] | None:
        """One fused event with all its mentions (superseded ones too) and its history."""
        with self._read("could not read the event") as conn:
            return store_query.get_event(conn, fused_id)

    def count_events(self, **filters: Any) -> int:
        """How many active fused events match the filters (all of them without filters)."""
        with self._read("could not count events") as conn:
            return store_query.count_events(conn, **filters)

    def fused_ids_of(self, doc_id: str) -> dict[str, int]:
        """A stored document's event ids ("v1" ...) and the fused events they belong to."""
        with self._read("could not read the document's events") as conn:
            rows = conn.execute(select(events.c.local_id, events.c.fused_id)
                                .where(events.c.doc_id == doc_id, events.c.fused_id.is_not(None)))
            return {local_id: int(fused_id) for local_id, fused_id in rows}

    def mentions(self, **filters: Any) -> list[dict[str, Any]]:
        """Event mentions, one per document's event, with the filters of
        :func:`sitroom.store.events.list_mentions` (teaser events are only here)."""
        with self._read("could not list event mentions") as conn:
            return store_events.list_mentions(conn, **filters)

    # ---------------------------------------------------------------- deleting

    def delete_document(self, doc_id: str) -> dict[str, Any] | None:
        """Delete a stored document with its entities, inputs and event mentions.

        Fused events it reported lose its mentions: their summaries are recomputed, an event
        left with no report is marked ``retracted``, one whose reports no longer hang together
        is split (the largest part keeps the id), and a document it had corrected counts again.
        Every change is in the events' history.

        Args:
            doc_id: the full document id, or a unique prefix of at least 8 characters.

        Returns:
            ``{"doc_id", "events": [affected fused ids], "split": [new fused ids]}``, or
            ``None`` when no such document is stored.
        """
        return self._transaction("could not delete the document", lambda conn: self._delete(conn, doc_id))

    def _delete(self, conn: Connection, doc_id: str) -> dict[str, Any] | None:
        self._lock_fusion(conn)
        full = self._full_doc_id(conn, doc_id)
        if full is None:
            return None
        affected = sorted({row[0] for row in conn.execute(
            select(events.c.fused_id).where(events.c.doc_id == full, events.c.fused_id.is_not(None)))})
        restored = [row[0] for row in conn.execute(select(documents.c.doc_id).where(documents.c.superseded_by == full))]
        if restored:  # the deleted document had corrected these: they count again
            conn.execute(update(documents).where(documents.c.doc_id.in_(restored)).values(superseded_by=None))
            conn.execute(update(events).where(events.c.doc_id.in_(restored)).values(superseded_at=None))
            affected = sorted(set(affected) | {row[0] for row in conn.execute(
                select(events.c.fused_id).where(events.c.doc_id.in_(restored), events.c.fused_id.is_not(None)))})
        for fused_id in affected:
            fuse.log(conn, fused_id, "left", detail=f"document {full} was deleted")
        conn.execute(delete(documents).where(documents.c.doc_id == full))
        split: list[int] = []
        for fused_id in affected:
            split += fuse.resplit(conn, fused_id, f"document {full} was deleted")
        return {"doc_id": full, "events": affected, "split": split}

    @staticmethod
    def _full_doc_id(conn: Connection, doc_id: str) -> str | None:
        exact = conn.execute(select(documents.c.doc_id).where(documents.c.doc_id == doc_id)).scalar()
        if exact is not None or len(doc_id) < 8:
            return exact
        found = conn.execute(select(documents.c.doc_id).where(documents.c.doc_id.startswith(doc_id, autoescape=True)).limit(2)).all()
        return found[0][0] if len(found) == 1 else None

    # ---------------------------------------------------------------- listing

    def documents(
        self,
        *,
        limit: int = 50,
        offset: int = 0,
        search: str | None = None,
        site: str | None = None,
    ) -> list[dict[str, Any]]:
        """List stored documents: newest ingested first, or best match first when searching.

        Args:
            limit: at most this many rows.
            offset: skip this many rows first.
            search: full-text query over title and body (SQLite: FTS5 syntax when valid, else
                all the words; PostgreSQL: web-search syntax, see :mod:`.postgres`; never raises
                on odd input).
            site: only documents from this site.

        Returns:
            One dict per document with ``doc_id, title, published, published_from, site, url,
            path, words, duplicate_of, ingested_at, credits`` (list) and ``teasers`` (count).
        """
        limit, offset = max(0, int(limit)), max(0, int(offset))
        query = select(*_LIST_COLUMNS)
        if site is not None:
            query = query.where(documents.c.site == site)
        search = (search or "").strip() or None
        with self._read("could not list documents") as conn:
            if search and self.fts:
                searcher = pg_store.search_ids if self.dialect == "postgresql" else sqlite_store.search_ids
                ids = searcher(conn, search, site=site, limit=limit, offset=offset)
                if not ids:
                    return []
                rows = {row.doc_id: row for row in conn.execute(query.where(documents.c.doc_id.in_(ids)))}
                return [_list_row(rows[i]) for i in ids if i in rows]
            if search:  # no FTS (a SQLite built without FTS5): every word somewhere in title or body
                for word in search.split():
                    query = query.where(
                        documents.c.title.icontains(word, autoescape=True)
                        | documents.c.body.icontains(word, autoescape=True)
                    )
            query = query.order_by(documents.c.ingested_at.desc(), documents.c.doc_id).limit(limit).offset(offset)
            return [_list_row(row) for row in conn.execute(query)]

    # ---------------------------------------------------------------- aggregates (the API's stats, places, network)

    def stats(self, **filters: Any) -> dict[str, Any]:
        """Counts of the matching events by type, country and day (see :mod:`sitroom.store.stats`)."""
        from sitroom.store import stats as store_stats

        with self._read("could not count events") as conn:
            return store_stats.event_stats(conn, **filters)

    def places(self, *, limit: int = 500, **filters: Any) -> list[dict[str, Any]]:
        """The places of the matching events with their event counts, most events first."""
        from sitroom.store import stats as store_stats

        with self._read("could not list places") as conn:
            return store_stats.event_places(conn, limit=limit, **filters)

    def network(self, *, limit: int = 500, sort: str = "when", **filters: Any) -> dict[str, Any]:
        """Actors as nodes and typed, directed edges over at most ``limit`` matching events."""
        from sitroom.store import stats as store_stats

        with self._read("could not build the actor network") as conn:
            return store_stats.actor_network(conn, limit=limit, sort=sort, **filters)
