"""Events in the store: rows, actor links, filters, and the upgrade of a version-2 store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from records import undo_v5
from sitroom.model import Article, Counts, Document, Entity, Event, Place, Source, Span, When
from sitroom.store import Store, StoredItem

BODY = "Israel struck Damascus on Wednesday. Officials met in Baku."


def _span(text: str) -> Span:
    start = BODY.index(text)
    return Span(text=text, start=start, end=start + len(text))


def _document(doc_id: str = "d1") -> Document:
    entities = [
        Entity(id="e1", name="Israel", type="GPE", country="ISR", kb_id="country:ISR", mentions=[_span("Israel")]),
        Entity(id="e2", name="Syria", type="GPE", country="SYR", kb_id="country:SYR", mentions=[_span("Damascus")]),
    ]
    places = [
        Place(id="p1", name="Damascus", kind="city", country="SYR", lat=33.5, lon=36.3, mentions=[_span("Damascus")]),
        Place(id="p2", name="Baku", kind="city", country="AZE", lat=40.4, lon=49.9, mentions=[_span("Baku")]),
    ]
    events = [
        Event(id="v1", type="ASSAULT", mode="aerial", sources=["e1"], targets=["e2"], place="p1",
              when=When(from_="2025-07-16", to="2025-07-16", precision="day"), counts=Counts(killed=3),
              modality="asserted", evidence=_span("Israel struck Damascus on Wednesday."), section="main"),
        Event(id="v2", type="CONSULT", mode="meet", sources=[], targets=[], place="p2",
              when=When(from_=None, to=None, precision="unknown"), counts=Counts(),
              modality="planned", evidence=_span("Officials met in Baku."), section="main"),
    ]
    return Document(doc_id=doc_id, source=Source(url="https://news.example/a", path=None, site="news.example"),
                    article=Article(title="Strike", published="2025-07-17", body=BODY, removed=[]),
                    entities=entities, places=places, events=events)


def _store(db: str) -> None:
    with Store.open(db) as store:
        store.add_batch([StoredItem(document=_document(), raw_sha="r1", input="a", signature=b"\0" * 8)])


def test_events_are_stored_with_actors_and_place(db_target: str) -> None:
    db = db_target
    _store(db)
    with Store.open(db) as store:
        rows = store.events()
        assert [r["type"] for r in rows] == ["ASSAULT", "CONSULT"]  # dated first, unknown date last
        strike = rows[0]
        assert [a["name"] for a in strike["sources"]] == ["Israel"] and [a["country"] for a in strike["targets"]] == ["SYR"]
        assert (strike["place"]["name"], strike["place"]["country"], strike["counts"]["killed"]["max"]) == ("Damascus", "SYR", 3)
        assert strike["evidence"] == "Israel struck Damascus on Wednesday."
        (mention,) = strike["mentions"]
        assert mention["title"] == "Strike" and mention["site"] == "news.example" and mention["reported_at"] == "2025-07-17"
        assert mention["evidence"]["text"] == strike["evidence"] and BODY[mention["evidence"]["start"]:mention["evidence"]["end"]] == strike["evidence"]
        reports = store.mentions()
        assert [r["type"] for r in reports] == ["ASSAULT", "CONSULT"] and reports[0]["fused_id"] == strike["id"]


def test_event_filters(db_target: str) -> None:
    db = db_target
    _store(db)
    with Store.open(db) as store:
        assert [r["type"] for r in store.events(actor="israel")] == ["ASSAULT"]
        assert [r["type"] for r in store.events(country="syr")] == ["ASSAULT"]  # a target's country
        assert [r["type"] for r in store.events(country="AZE")] == ["CONSULT"]  # the place's country
        assert [r["type"] for r in store.events(type_="consult", modality="planned")] == ["CONSULT"]
        assert [r["type"] for r in store.events(date_from="2025-07-16", date_to="2025-07-20")] == ["ASSAULT"]
        assert store.events(date_from="2025-07-17") == []  # overlap, not containment; unknown dates excluded
        assert [r["type"] for r in store.events(place="bak")] == ["CONSULT"]
        assert [r["type"] for r in store.events(search="struck")] == ["ASSAULT"]


def test_a_version_2_store_gets_event_columns_and_rows(tmp_path: Path) -> None:
    db = str(tmp_path / "old.db")
    _store(db)
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        undo_v5(conn)
        conn.execute("DROP TABLE event_actors")
        conn.execute("DROP TABLE events")
        conn.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, doc_id VARCHAR(64) NOT NULL REFERENCES documents (doc_id) "
            "ON DELETE CASCADE, local_id VARCHAR(32) NOT NULL, type VARCHAR(16) NOT NULL, mode VARCHAR(64), modality VARCHAR(16), "
            "place VARCHAR(32), when_from VARCHAR(10), when_to VARCHAR(10), precision VARCHAR(16), evidence_start INTEGER, "
            "evidence_end INTEGER, evidence_text TEXT, section VARCHAR(16))"
        )
        conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    conn.close()
    with Store.open(db) as store:
        rows = store.events()
    assert [r["type"] for r in rows] == ["ASSAULT", "CONSULT"]
    assert [a["name"] for a in rows[0]["sources"]] == ["Israel"] and rows[0]["place"]["country"] == "SYR"
    assert rows[0]["n_sources"] == 1 and rows[0]["first_reported"] == "2025-07-17"


def test_events_command(db_target: str) -> None:
    import json

    from click.testing import CliRunner

    from sitroom.cli import main

    db = db_target
    _store(db)
    result = CliRunner().invoke(main, ["events", "--db", db, "--format", "json", "--actor", "israel"])
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["type"], r["when_from"], r["counts"]["killed"]["max"]) for r in rows] == [("ASSAULT", "2025-07-16", 3)]
    assert rows[0]["mentions"][0]["counts"]["killed"] == 3
    table = CliRunner().invoke(main, ["events", "--db", db])
    assert "2 events" in table.stdout
    bad = CliRunner().invoke(main, ["events", "--db", db, "--from", "July"])
    assert bad.exit_code == 1 and bad.stderr.startswith("sitroom: E023 --from:")
