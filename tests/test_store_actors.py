"""Actors across documents: one actor per KB id, or per normalised name, country and type."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from records import undo_v5
from sitroom.model import Article, Document, Entity, Source, Span
from sitroom.store import Store, StoredItem
from sitroom.store.schema import SCHEMA_VERSION


def _entity(local: str, name: str, type_: str, country: str | None, kb_id: str | None = None,
            role: str | None = None, aliases: list[str] | None = None) -> Entity:
    return Entity(id=local, name=name, type=type_, country=country, kb_id=kb_id, role=role,
                  aliases=aliases or [], mentions=[Span(text=name, start=0, end=len(name))])


def _doc(doc_id: str, published: str, *ents: Entity) -> StoredItem:
    body = " ".join(e.name for e in ents) + f" {doc_id}"
    document = Document(
        doc_id=doc_id,
        source=Source(url=None, path=f"{doc_id}.txt", site="example.org"),
        article=Article(title=f"Story {doc_id}", published=published, body=body, removed=[]),
        entities=list(ents),
    )
    return StoredItem(document=document, raw_sha=doc_id * 4, input=f"{doc_id}.txt", signature=b"\0" * 8)


def _fill(db: str) -> None:
    with Store.open(db) as store:
        store.add_batch([
            _doc("d1", "2025-07-24", _entity("e1", "Asaad al-Shaibani", "PERSON", "SYR", "person:asaad-al-shaibani", "Foreign Minister"),
                 _entity("e2", "Druze", "NORP", "SYR"), _entity("e3", "Georgia", "GPE", "GEO")),
            _doc("d2", "2025-07-31", _entity("e1", "Asaad Al-Shibani", "PERSON", "SYR", "person:asaad-al-shaibani", "foreign minister"),
                 _entity("e2", "Druze", "NORP", "SYR"), _entity("e3", "Georgia", "GPE", "USA")),
        ])


def test_one_actor_per_kb_id_and_per_name_country_type(db_target: str) -> None:
    db = db_target
    _fill(db)
    with Store.open(db) as store:
        rows = {(r["name"], r["country"]): r for r in store.actors()}
    shaibani = rows[("Asaad al-Shaibani", "SYR")]
    assert shaibani["documents"] == 2 and shaibani["mentions"] == 2
    assert set(shaibani["aliases"]) == {"Asaad al-Shaibani", "Asaad Al-Shibani"}
    assert rows[("Druze", "SYR")]["documents"] == 2
    # the same name in two countries is two actors
    assert rows[("Georgia", "GEO")]["documents"] == 1 and rows[("Georgia", "USA")]["documents"] == 1


def test_actor_detail_by_any_spelling(db_target: str) -> None:
    db = db_target
    _fill(db)
    with Store.open(db) as store:
        detail = store.actor("Asaad Al-Shibani")
        assert detail is not None and detail["kb_id"] == "person:asaad-al-shaibani"
        assert [d["doc_id"] for d in detail["documents"]] == ["d2", "d1"]  # newest first
        assert {r["role"] for r in detail["roles"]} == {"Foreign Minister", "foreign minister"}
        assert store.actor("Georgia") is None  # ambiguous: two actors
        assert store.actor("Nobody Here") is None
        assert store.actors(search="shibani")[0]["name"] == "Asaad al-Shaibani"
        assert [r["country"] for r in store.actors(search="georgia", country="usa")] == ["USA"]


def test_a_version_1_store_is_upgraded_in_place(tmp_path: Path) -> None:
    db = str(tmp_path / "old.db")
    _fill(db)
    with sqlite3.connect(db) as conn:  # make it look like a store written before actors existed
        conn.execute("PRAGMA foreign_keys = OFF")
        undo_v5(conn)
        columns = "id, doc_id, local_id, name, type, country, sector, role, kb_id, aliases"
        conn.execute(
            "CREATE TABLE v1 (id INTEGER PRIMARY KEY AUTOINCREMENT, doc_id VARCHAR(64) NOT NULL REFERENCES documents (doc_id) "
            "ON DELETE CASCADE, local_id VARCHAR(32) NOT NULL, name TEXT NOT NULL, type VARCHAR(16) NOT NULL, "
            "country VARCHAR(3), sector VARCHAR(64), role VARCHAR(64), kb_id VARCHAR(128), aliases TEXT)"
        )
        conn.execute(f"INSERT INTO v1 ({columns}) SELECT {columns} FROM entities")
        conn.execute("DROP TABLE entities")
        conn.execute("ALTER TABLE v1 RENAME TO entities")
        conn.execute("DROP TABLE actors")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.close()
    with Store.open(db) as store:
        assert store.count() == 2
        names = {r["name"] for r in store.actors()}
    assert names == {"Asaad al-Shaibani", "Druze", "Georgia"}
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (SCHEMA_VERSION,)
    conn.close()
