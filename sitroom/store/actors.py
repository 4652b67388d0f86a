"""Actors across documents: one row per real-world actor, whichever way each page spelled it.

A record's entities are local to their document. In the store, every entity row points to an
``actors`` row chosen by a key: the knowledge-base id when the entity is linked (so "Asaad
al-Shaibani" and "Asaad Al-Shibani" meet under ``kb:person:...``), else the normalised name with
its country and type (so two pages' "Druze" NORP groups meet, but a "Georgia" in USA and one in
GEO do not).
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from sqlalchemy import Connection, func, select, text, update

from sitroom.model import Entity
from sitroom.store.schema import actors, documents, entities, insert_ignore, mentions

# Spellings kept on an actor row for name search (the first ones seen).
MAX_SPELLINGS = 40

_PARTICLE = re.compile(r"\b(?:al|el|ul|ad|ash|as|an|ar|at|az)[\s-]+", re.I)


def name_key(name: str) -> str:
    """A spelling-insensitive key for a name: case, diacritics, punctuation and Arabic articles folded."""
    text_ = unicodedata.normalize("NFKD", name)
    text_ = "".join(c for c in text_ if not unicodedata.combining(c)).lower()
    text_ = _PARTICLE.sub("al ", text_)
    text_ = re.sub(r"^the\s+", "", text_)
    return re.sub(r"[\W_]+", " ", text_).strip()


def actor_key(entity: Entity) -> str:
    """The cross-document key of an entity's actor."""
    if entity.kb_id:
        return f"kb:{entity.kb_id}"
    return f"name:{name_key(entity.name)}|{entity.country or '-'}|{entity.type}"


def upsert_actor(conn: Connection, entity: Entity | dict[str, Any]) -> int:
    """The id of the entity's actor, created on first sight; new spellings are added to its row.

    Safe with concurrent writers: the row is inserted with ``ON CONFLICT (key) DO NOTHING`` and
    read back when another writer made it first (on PostgreSQL the insert waits for that
    writer's commit), and a row gaining spellings is re-read ``FOR UPDATE`` (PostgreSQL) so
    two writers adding spellings at once keep both.
    """
    if isinstance(entity, dict):
        entity = Entity(id="e0", mentions=[], **{k: entity[k] for k in ("name", "type", "country", "sector", "kb_id")})
    key = actor_key(entity)
    spellings = [entity.name, *entity.aliases]
    found = conn.execute(select(actors.c.id, actors.c.names).where(actors.c.key == key)).first()
    if found is None:
        inserted = conn.execute(
            insert_ignore(conn.dialect.name, actors, ["key"]).returning(actors.c.id), dict(
                key=key, kb_id=entity.kb_id, name=entity.name, type=entity.type,
                country=entity.country, sector=entity.sector,
                names="\n".join(list(dict.fromkeys(n for n in spellings if n))[:MAX_SPELLINGS]),
            )
        ).scalar()
        if inserted is not None:
            return int(inserted)
        found = conn.execute(select(actors.c.id, actors.c.names).where(actors.c.key == key)).one()  # another writer's
    if _new_spellings(found.names, spellings):
        found = conn.execute(select(actors.c.id, actors.c.names).where(actors.c.id == found.id).with_for_update()).one()
        new = _new_spellings(found.names, spellings)
        if new:
            known = [n for n in (found.names or "").split("\n") if n]
            conn.execute(update(actors).where(actors.c.id == found.id), {"names": "\n".join([*known, *new][:MAX_SPELLINGS])})
    return int(found.id)


def _new_spellings(names: str | None, spellings: list[str]) -> list[str]:
    """Spellings not yet on an actor row, while it has room for more."""
    known = (names or "").split("\n")
    if len(known) >= MAX_SPELLINGS:
        return []
    return [n for n in dict.fromkeys(spellings) if n and n not in known]


def fill_spellings(conn: Connection) -> None:
    """Give every actor row its spellings from the stored entities (the store upgrade to v4)."""
    spellings: dict[int, dict[str, None]] = {}
    for actor_id, name, aliases in conn.execute(select(entities.c.actor_id, entities.c.name, entities.c.aliases)
                                                .where(entities.c.actor_id.is_not(None))):
        found = spellings.setdefault(actor_id, {})
        for spelling in [name, *json.loads(aliases or "[]")]:
            if spelling and len(found) < MAX_SPELLINGS:
                found[spelling] = None
    for actor_id, found in spellings.items():
        conn.execute(update(actors).where(actors.c.id == actor_id), {"names": "\n".join(found)})


def migrate_1_to_2(conn: Connection) -> None:
    """Version 1 had no ``actors`` table: it is created (by the caller's ``create_all``) and every
    stored entity is linked to its actor here."""
    columns = {row[1] for row in conn.execute(text("PRAGMA table_info(entities)"))} if conn.dialect.name == "sqlite" else set()
    if "actor_id" not in columns:
        conn.execute(text("ALTER TABLE entities ADD COLUMN actor_id INTEGER REFERENCES actors(id)"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_entities_actor_id ON entities (actor_id)"))
    rows = conn.execute(select(entities.c.id, entities.c.name, entities.c.type, entities.c.country,
                               entities.c.sector, entities.c.kb_id)).all()
    for row in rows:
        actor_id = upsert_actor(conn, row._asdict())
        conn.execute(update(entities).where(entities.c.id == row.id).values(actor_id=actor_id))


def _aliases(conn: Connection, actor_id: int) -> list[str]:
    names: dict[str, int] = {}
    rows = conn.execute(select(entities.c.name, entities.c.aliases).where(entities.c.actor_id == actor_id))
    for name, aliases in rows:
        for alias in [name, *json.loads(aliases or "[]")]:
            names[alias] = names.get(alias, 0) + 1
    return sorted(names, key=lambda n: (-names[n], n))


def list_actors(conn: Connection, *, search: str | None = None, country: str | None = None,
                type_: str | None = None, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Actors with how many documents and mentions name them, most documents first.

    ``search`` matches the actor's name or any spelling a document used (case-insensitive).
    """
    docs = func.count(func.distinct(entities.c.doc_id)).label("documents")
    mention_count = (
        select(func.count(mentions.c.id))
        .select_from(mentions.join(entities, mentions.c.entity_id == entities.c.id))
        .where(entities.c.actor_id == actors.c.id)
        .scalar_subquery()
        .label("mentions")
    )
    query = (
        select(actors.c.id, actors.c.name, actors.c.type, actors.c.country, actors.c.sector,
               actors.c.kb_id, docs, mention_count)
        .select_from(actors.join(entities, entities.c.actor_id == actors.c.id))
        .group_by(actors.c.id)
    )
    if country:
        query = query.where(actors.c.country == country.upper())
    if type_:
        query = query.where(actors.c.type == type_.upper())
    if search:
        for word in search.split():
            spelled = select(entities.c.actor_id).where(
                entities.c.name.icontains(word, autoescape=True) | entities.c.aliases.icontains(word, autoescape=True)
            )
            query = query.where(actors.c.name.icontains(word, autoescape=True) | actors.c.id.in_(spelled))
    query = query.order_by(docs.desc(), actors.c.name, actors.c.id).limit(max(0, limit)).offset(max(0, offset))
    out = []
    for row in conn.execute(query):
        item = row._asdict()
        item["aliases"] = _aliases(conn, row.id)
        out.append(item)
    return out


def find_actor(conn: Connection, ref: str) -> int | None:
    """An actor by id, key, kb_id, or (unambiguous) name or spelling."""
    if ref.isdigit():
        found = conn.execute(select(actors.c.id).where(actors.c.id == int(ref))).scalar()
        if found is not None:
            return int(found)
    for column in (actors.c.key, actors.c.kb_id):
        found = conn.execute(select(actors.c.id).where(column == ref)).scalar()
        if found is not None:
            return int(found)
    key = name_key(ref)
    if not key:
        return None
    longest = max(key.split(), key=len)
    rows = conn.execute(
        select(entities.c.actor_id, entities.c.name, entities.c.aliases).where(
            entities.c.name.icontains(longest, autoescape=True) | entities.c.aliases.icontains(longest, autoescape=True)
        )
    )
    candidates = {
        row.actor_id
        for row in rows
        if row.actor_id is not None
        and (name_key(row.name) == key or key in {name_key(a) for a in json.loads(row.aliases or "[]")})
    }
    return candidates.pop() if len(candidates) == 1 else None


def actor_detail(conn: Connection, actor_id: int) -> dict[str, Any] | None:
    """One actor: its fields, every spelling, the roles documents gave it, and where it appears."""
    row = conn.execute(select(actors).where(actors.c.id == actor_id)).first()
    if row is None:
        return None
    detail = row._asdict()
    detail["aliases"] = _aliases(conn, actor_id)
    roles = conn.execute(
        select(entities.c.role, func.min(documents.c.published), func.max(documents.c.published))
        .select_from(entities.join(documents, entities.c.doc_id == documents.c.doc_id))
        .where(entities.c.actor_id == actor_id, entities.c.role.is_not(None))
        .group_by(entities.c.role)
    )
    detail["roles"] = [{"role": r, "first_seen": a, "last_seen": b} for r, a, b in roles]
    appearances = conn.execute(
        select(documents.c.doc_id, documents.c.title, documents.c.published, documents.c.site,
               entities.c.local_id, entities.c.name, func.count(mentions.c.id).label("mentions"))
        .select_from(
            entities.join(documents, entities.c.doc_id == documents.c.doc_id)
            .outerjoin(mentions, mentions.c.entity_id == entities.c.id)
        )
        .where(entities.c.actor_id == actor_id)
        .group_by(entities.c.id, documents.c.doc_id)
        .order_by(documents.c.published.desc().nulls_last(), documents.c.doc_id)
    )
    detail["documents"] = [a._asdict() for a in appearances]
    detail["events"] = _events(conn, actor_id)
    return detail


def _events(conn: Connection, actor_id: int) -> list[dict[str, Any]]:
    """Events whose sources or targets are this actor (read from the stored records)."""
    local = conn.execute(
        select(entities.c.doc_id, entities.c.local_id).where(entities.c.actor_id == actor_id).order_by(entities.c.id)
    ).all()
    by_doc: dict[str, set[str]] = {}
    for doc_id, local_id in local:
        by_doc.setdefault(doc_id, set()).add(local_id)
    found: list[dict[str, Any]] = []
    for doc_id, ids in by_doc.items():
        record = conn.execute(select(documents.c.record).where(documents.c.doc_id == doc_id)).scalar()
        for event in json.loads(record or "{}").get("events", []):
            role = "source" if ids & set(event.get("sources", [])) else "target" if ids & set(event.get("targets", [])) else None
            if role:
                found.append({"doc_id": doc_id, "role": role, "type": event["type"], "modality": event["modality"],
                              "when": event["when"], "evidence": event["evidence"]["text"]})
    return found
