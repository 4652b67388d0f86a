"""Events in the store: one row per event of a document, its actors, and the queries over them.

Each event row carries what users filter on (type, modality, dates, place, counts) next to its
evidence, and ``event_actors`` ties its sources and targets to cross-document actors, so "every
event of al-Shaibani this month" is one indexed query whichever way pages spelled him.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, and_, delete, or_, select, text

from sitroom.model import Document
from sitroom.store.actors import fill_spellings
from sitroom.store.fuse import fuse_document, fusion_interval
from sitroom.store.schema import (
    actors,
    assignments,
    documents,
    entities,
    event_actors,
    events,
    fused_actors,
    fused_countries,
    fused_events,
    fused_history,
    fusion_keys,
)

# Columns added to ``events`` in schema version 3 (ALTERed onto older stores).
V3_COLUMNS = {
    "cameo": "VARCHAR(8)", "attributed_to": "TEXT", "confidence": "FLOAT", "place_name": "TEXT",
    "place_country": "VARCHAR(3)", "place_admin1": "TEXT", "lat": "FLOAT", "lon": "FLOAT",
    "killed": "INTEGER", "injured": "INTEGER", "arrested": "INTEGER", "size": "INTEGER",
}


# Columns added to ``events`` and ``documents`` in schema version 4 (fusion).
V4_COLUMNS = {
    "events": {"place_kind": "VARCHAR(16)", "place_gid": "VARCHAR(32)", "context_places": "TEXT", "reported_at": "VARCHAR(10)",
               "fuse_from": "VARCHAR(10)", "fuse_to": "VARCHAR(10)", "superseded_at": "VARCHAR(10)",
               "fused_id": "INTEGER REFERENCES fused_events (id)"},
    "documents": {"superseded_by": "VARCHAR(64)"},
    "actors": {"names": "TEXT"},
}


# How many of a document's places fusion keeps as the context of its events.
CONTEXT_PLACES = 3


def context_places(doc: Document) -> list[dict[str, Any]]:
    """The document's most-named places below country level (a story's "the city" is one of them)."""
    local = [p for p in doc.places if p.kind not in (None, "country", "water") and p.name]
    local.sort(key=lambda p: (-len(p.mentions), p.mentions[0].start if p.mentions else 0))
    return [{"name": p.name, "kind": p.kind, "country": p.country, "admin1": p.admin1, "gid": p.gazetteer_id,
             "lat": p.lat, "lon": p.lon} for p in local[:CONTEXT_PLACES]]


def insert_events(conn: Connection, doc: Document, actor_ids: dict[str, int], reported_at: str | None = None) -> None:
    """Write a newly stored document's events (mentions) and their actor links.

    Args:
        conn: an open write transaction.
        doc: the record.
        actor_ids: the record's entity ids ("e1" ...) mapped to their actor rows.
        reported_at: the report's date (YYYY-MM-DD): the article's publication date, else the
            day it was stored.
    """
    reported_at = doc.article.published or reported_at
    places = {p.id: p for p in doc.places}
    context = json.dumps(context_places(doc), ensure_ascii=False)
    names = {e.id: e.name for e in doc.entities}
    for event in doc.events:
        place = places.get(event.place or "")
        fuse_from, fuse_to = fusion_interval(event.when.from_, event.when.to, event.when.precision, reported_at)
        result = conn.execute(
            events.insert(), dict(
                doc_id=doc.doc_id, local_id=event.id, type=event.type, mode=event.mode, cameo=event.cameo,
                modality=event.modality,
                attributed_to=names.get(event.attributed_to or "", event.attributed_to),
                confidence=event.confidence, place=event.place,
                place_name=place.name if place else None, place_country=place.country if place else None,
                place_admin1=place.admin1 if place else None, lat=place.lat if place else None,
                lon=place.lon if place else None, when_from=event.when.from_, when_to=event.when.to,
                precision=event.when.precision, killed=event.counts.killed, injured=event.counts.injured,
                arrested=event.counts.arrested, size=event.counts.size, evidence_start=event.evidence.start,
                evidence_end=event.evidence.end, evidence_text=event.evidence.text, section=event.section,
                place_kind=place.kind if place else None, place_gid=place.gazetteer_id if place else None,
                reported_at=reported_at, fuse_from=fuse_from, fuse_to=fuse_to, context_places=context,
            )
        )
        event_row = result.inserted_primary_key[0]
        links = [{"event_id": event_row, "actor_id": actor_ids[e], "role": "source"} for e in event.sources if e in actor_ids]
        links += [{"event_id": event_row, "actor_id": actor_ids[e], "role": "target"} for e in event.targets if e in actor_ids]
        if links:
            conn.execute(event_actors.insert(), links)


def migrate_2_to_3(conn: Connection) -> None:
    """Give a version-2 store the version-3 event columns (the rows are re-derived by 3 -> 4)."""
    _add_columns(conn, "events", V3_COLUMNS)
    for name in ("place_country", "when_to"):
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS ix_events_{name} ON events ({name})"))


def _add_columns(conn: Connection, table: str, columns: dict[str, str]) -> None:
    if conn.dialect.name == "sqlite":
        present = {row[1] for row in conn.execute(text(f"PRAGMA table_info({table})"))}
    else:
        present = {row[0] for row in conn.execute(
            text("SELECT column_name FROM information_schema.columns WHERE table_name = :t"), {"t": table})}
    for name, sql_type in columns.items():
        if name not in present:
            conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {name} {sql_type}"))


def migrate_3_to_4(conn: Connection) -> None:
    """Give a version-3 store the fusion columns and re-derive its event rows (the new tables come
    from the caller's ``create_all``); :func:`fuse_all` fuses them after the last revision."""
    for table, columns in V4_COLUMNS.items():
        _add_columns(conn, table, columns)
    fill_spellings(conn)
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_events_fused_id ON events (fused_id)"))
    for table in (fused_actors, fused_countries, fusion_keys, assignments, fused_history):
        conn.execute(delete(table))
    conn.execute(delete(events))
    conn.execute(delete(fused_events))
    stored = conn.execute(select(documents.c.doc_id, documents.c.record, documents.c.ingested_at)
                          .order_by(documents.c.ingested_at, documents.c.doc_id)).all()
    for doc_id, record, ingested_at in stored:
        document = Document.model_validate(json.loads(record))
        if document.events:
            actor_ids = dict(conn.execute(
                select(entities.c.local_id, entities.c.actor_id).where(entities.c.doc_id == doc_id)
            ).all())
            insert_events(conn, document, {k: v for k, v in actor_ids.items() if v is not None}, (ingested_at or "")[:10] or None)


def fuse_all(conn: Connection) -> None:
    """Fuse every stored document's events in the order the documents were stored: the last
    step of upgrading a version 1-3 store, run once the store is at the head revision (fusion
    writes today's columns)."""
    for (doc_id,) in conn.execute(select(documents.c.doc_id).order_by(documents.c.ingested_at, documents.c.doc_id)).all():
        fuse_document(conn, doc_id)


def _actor_filter(ref: str):  # noqa: ANN202 - a SQL expression
    """Events with an actor whose name or any spelling contains every word of ``ref``."""
    spelled = select(entities.c.actor_id)
    named = select(actors.c.id)
    for word in ref.split():
        spelled = spelled.where(entities.c.name.icontains(word, autoescape=True) | entities.c.aliases.icontains(word, autoescape=True))
        named = named.where(actors.c.name.icontains(word, autoescape=True))
    ids = select(event_actors.c.event_id).where(event_actors.c.actor_id.in_(spelled.union(named)))
    return events.c.id.in_(ids)


def list_mentions(
    conn: Connection,
    *,
    search: str | None = None,
    actor: str | None = None,
    country: str | None = None,
    type_: str | None = None,
    modality: str | None = None,
    place: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    section: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Stored event mentions (one per document's event), newest event date first, each with its
    document and named sources/targets.

    A date range keeps events whose interval overlaps it (events of unknown date are left out
    then). ``country`` matches an actor's country or the place's.
    """
    query = (
        select(events, documents.c.title, documents.c.site, documents.c.url, documents.c.published)
        .select_from(events.join(documents, events.c.doc_id == documents.c.doc_id))
    )
    conditions = []
    if search:
        conditions += [events.c.evidence_text.icontains(word, autoescape=True) for word in search.split()]
    if actor:
        conditions.append(_actor_filter(actor))
    if country:
        by_actor = select(event_actors.c.event_id).join(actors, actors.c.id == event_actors.c.actor_id).where(
            actors.c.country == country.upper())
        conditions.append(or_(events.c.place_country == country.upper(), events.c.id.in_(by_actor)))
    if type_:
        conditions.append(events.c.type == type_.upper())
    if modality:
        conditions.append(events.c.modality == modality.lower())
    if place:
        conditions.append(events.c.place_name.icontains(place, autoescape=True))
    if date_from:
        conditions.append(events.c.when_to >= date_from)
    if date_to:
        conditions.append(events.c.when_from <= date_to)
    if section:
        conditions.append(events.c.section == section)
    if conditions:
        query = query.where(and_(*conditions))
    query = query.order_by(events.c.when_from.desc().nulls_last(), events.c.doc_id, events.c.id)
    rows = [row._asdict() for row in conn.execute(query.limit(max(0, limit)).offset(max(0, offset)))]
    _add_actors(conn, rows)
    return rows


def _add_actors(conn: Connection, rows: list[dict[str, Any]]) -> None:
    by_event: dict[int, dict[str, list[str]]] = {row["id"]: {"sources": [], "targets": []} for row in rows}
    if not by_event:
        return
    links = conn.execute(
        select(event_actors.c.event_id, event_actors.c.role, actors.c.name, actors.c.country)
        .join(actors, actors.c.id == event_actors.c.actor_id)
        .where(event_actors.c.event_id.in_(list(by_event)))
        .order_by(event_actors.c.id)
    )
    for event_id, role, name, country in links:
        by_event[event_id][role + "s"].append(f"{name} ({country})" if country else name)
    for row in rows:
        row.update(by_event[row["id"]])
