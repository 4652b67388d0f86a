"""Tests for the document store (SQLite). Documents are built by hand: no model, no network."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

import sitroom.store as store_module
from sitroom.article.dedup import DuplicateIndex, doc_id_for
from sitroom.errors import Code, SitroomError
from sitroom.model import Article, Counts, Document, Entity, Event, Source, Span, Teaser, When
from sitroom.store import DEFAULT_DB, BatchCounts, Store, StoredItem, resolve_target

INDEX = DuplicateIndex()
BASE_BODY = (
    "Israeli jets struck the defence ministry in Damascus on Wednesday, officials said. "
    "The strikes followed clashes between Druze fighters and Bedouin tribes in Sweida province. "
    "Syria's foreign ministry condemned the attack as a violation of its sovereignty, and the "
    "United States said it was working with both sides to restore calm across the south."
)


def make_doc(n: int, body: str | None = None, *, site: str = "a.example", title: str | None = None) -> Document:
    """A record numbered ``n`` with an entity (one mention) for each of Damascus and Syria in its body."""
    body = body if body is not None else f"Report number {n}. " + BASE_BODY + f" Filed as item {n}."
    found = [(f"e{i}", name, aliases) for i, (name, aliases) in enumerate((("Damascus", []), ("Syria", ["Syrian"])), 1) if name in body]
    return Document(
        doc_id=doc_id_for(body),
        source=Source(url=f"https://{site}/news/{n}", path=None, site=site),
        article=Article(
            title=title or f"Strikes on Damascus, report {n}",
            published="2025-07-31",
            published_from="metadata",
            body=body,
            removed=[],
            credits=["AFP"],
            teasers=[Teaser(title="Other story"), Teaser(title="Another")],
        ),
        entities=[
            Entity(
                id=local_id,
                name=name,
                type="GPE",
                country="SYR",
                aliases=aliases,
                mentions=[Span(text=name, start=body.index(name), end=body.index(name) + len(name))],
            )
            for local_id, name, aliases in found
        ],
    )


def item(doc: Document, label: str | None = None) -> StoredItem:
    raw = f"<raw page for {doc.doc_id} {label or ''}>"
    return StoredItem(
        document=doc,
        raw_sha=hashlib.sha256(raw.encode()).hexdigest(),
        input=label or f"{doc.doc_id}.html",
        signature=INDEX.signature(doc.article.body),
        fetched_at="2025-07-31T10:00:00+00:00",
    )


def table_count(store: Store, table: str) -> int:
    with store._engine.connect() as conn:  # noqa: SLF001 (tests look inside)
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "store.db")


@pytest.fixture
def any_db(db_target: str) -> str:
    """A fresh store on each backend (tests/conftest.py): for the tests that hold on both."""
    return db_target


# -------------------------------------------------------------------------- basics


def test_create_add_list(any_db: str) -> None:
    db = any_db
    with Store.open(db) as store:
        assert store.count() == 0
        assert store.documents() == []
        first = [item(make_doc(1)), item(make_doc(2))]
        assert store.add_batch(first) == BatchCounts(added=2, unchanged=0)
        time.sleep(0.002)
        assert store.add_batch([item(make_doc(3, site="b.example"))]) == BatchCounts(added=1)
        assert store.count() == 3
        rows = store.documents()
        assert rows[0]["doc_id"] == make_doc(3).doc_id and rows[0]["site"] == "b.example"  # newest first
        row = next(r for r in rows if r["doc_id"] == make_doc(1).doc_id)
        assert set(row) == {
            "doc_id", "title", "published", "published_from", "site", "url", "path", "words",
            "duplicate_of", "ingested_at", "credits", "teasers",
        }
        assert row["title"] == "Strikes on Damascus, report 1"
        assert row["published"] == "2025-07-31" and row["published_from"] == "metadata"
        assert row["words"] == len(make_doc(1).article.body.split())
        assert row["credits"] == ["AFP"] and row["teasers"] == 2
        assert row["ingested_at"].endswith("Z")
        assert [r["site"] for r in store.documents(site="b.example")] == ["b.example"]
        assert len(store.documents(limit=2)) == 2
        assert len(store.documents(limit=2, offset=2)) == 1
        assert store.has_document(make_doc(2).doc_id)
        assert not store.has_document("nope")
        assert store.get_record(make_doc(1).doc_id) == make_doc(1).to_json_dict()
        assert store.get_record("nope") is None
    # reopening an existing store works and keeps everything
    with Store.open(db) as store:
        assert store.count() == 3
        assert table_count(store, "meta") == 1


def test_readd_is_idempotent(db: str) -> None:
    batch = [item(make_doc(n)) for n in range(4)]
    with Store.open(db) as store:
        assert store.add_batch(batch) == BatchCounts(added=4, unchanged=0)
        before = {t: table_count(store, t) for t in ("documents", "inputs", "entities", "mentions", "documents_fts")}
        stamps = {r["doc_id"]: r["ingested_at"] for r in store.documents()}
        assert store.add_batch(batch) == BatchCounts(added=0, unchanged=4)
        after = {t: table_count(store, t) for t in before}
        assert after == before
        assert {r["doc_id"]: r["ingested_at"] for r in store.documents()} == stamps  # not rewritten
        # the same document twice within one batch: stored once
        doc = make_doc(9)
        assert store.add_batch([item(doc, "a.html"), item(doc, "b.html")]) == BatchCounts(added=1, unchanged=1)
        assert store.add_batch([]) == BatchCounts()


def test_inputs_resume_lookup(any_db: str) -> None:
    db = any_db
    doc = make_doc(1)
    a, b = item(doc, "one.html"), item(doc, "copy-of-one.html")
    with Store.open(db) as store:
        assert store.stored_doc_for_input(a.raw_sha) is None
        store.add_batch([a])
        assert store.stored_doc_for_input(a.raw_sha) == doc.doc_id
        assert store.stored_doc_for_input(b.raw_sha) is None
        store.add_batch([b])  # another raw page, same body: document unchanged, input recorded
        assert store.stored_doc_for_input(b.raw_sha) == doc.doc_id
        assert table_count(store, "inputs") == 2 and store.count() == 1
        with store._engine.connect() as conn:  # noqa: SLF001
            row = conn.execute(text("SELECT input, url, fetched_at FROM inputs WHERE raw_sha = :s"), {"s": a.raw_sha}).one()
        assert tuple(row) == ("one.html", "https://a.example/news/1", "2025-07-31T10:00:00+00:00")


def test_failed_batch_writes_nothing(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    real = store_module._insert_children  # noqa: SLF001
    calls = []

    def failing(conn, doc, now):  # type: ignore[no-untyped-def]
        calls.append(doc.doc_id)
        if len(calls) == 2:
            raise RuntimeError("killed mid-batch")
        real(conn, doc, now)

    with Store.open(db) as store:
        store.add_batch([item(make_doc(0))])
        monkeypatch.setattr(store_module, "_insert_children", failing)
        with pytest.raises(RuntimeError):
            store.add_batch([item(make_doc(1)), item(make_doc(2)), item(make_doc(3))])
        assert store.count() == 1
        assert {t: table_count(store, t) for t in ("inputs", "entities", "mentions", "documents_fts")} == {
            "inputs": 1, "entities": 2, "mentions": 2, "documents_fts": 1,
        }


# -------------------------------------------------------------------------- search


def test_search_finds_body_and_title_words(db: str) -> None:
    with Store.open(db) as store:
        assert store.fts
        store.add_batch([item(make_doc(1)), item(make_doc(2, site="b.example"))])
        other = "Parliament in Baku approved the budget after a long debate about pensions and roads."
        store.add_batch([item(make_doc(3, body=other + " Damascus was not mentioned.", title="Budget passes"))])
        hits = store.documents(search="Bedouin")
        assert {h["doc_id"] for h in hits} == {make_doc(1).doc_id, make_doc(2).doc_id}
        assert [h["doc_id"] for h in store.documents(search="pensions")] == [make_doc(3, body=other + " Damascus was not mentioned.").doc_id]
        assert len(store.documents(search="strike")) == 2  # porter stemming: strikes/strike
        assert store.documents(search="zzzunknownword") == []
        # the title counts: two docs have Damascus in the title, one only in the body
        ranked = store.documents(search="damascus")
        assert len(ranked) == 3 and ranked[-1]["title"] == "Budget passes"
        assert [h["site"] for h in store.documents(search="Bedouin", site="b.example")] == ["b.example"]
        assert len(store.documents(search="Bedouin", limit=1)) == 1
        assert len(store.documents(search="Bedouin", limit=1, offset=1)) == 1
        # FTS5 syntax works when valid
        assert len(store.documents(search='"Druze fighters"')) == 2
        assert len(store.documents(search="pensions OR Bedouin")) == 3
        assert len(store.documents(search="Damascus NOT pensions")) == 2


@pytest.mark.parametrize(
    "query",
    ['"', "AND", "OR", "NOT", "-foo", "*", "foo AND", "(", ")", "'", "^", ":", "NEAR(", "x:y",
     'Druze"', "-Druze", "Druze -", "us-iran", "a\x00b", "Druze*", "\"\"\"", "title:", "    ", "%_"],
)
def test_search_hostile_queries_do_not_raise(any_db: str, query: str) -> None:
    db = any_db
    with Store.open(db) as store:
        store.add_batch([item(make_doc(1))])
        result = store.documents(search=query)
        assert isinstance(result, list)


def test_search_falls_back_to_quoted_terms(db: str) -> None:
    with Store.open(db) as store:
        store.add_batch([item(make_doc(1))])
        assert len(store.documents(search="-Druze")) == 1  # syntax error raw; quoted: druze
        assert len(store.documents(search="Druze AND")) == 1
        assert len(store.documents(search='Druze "Bedouin')) == 1
        assert len(store.documents(search="Bedou*")) == 1
        assert store.documents(search='"') == []


def test_fts_follows_deletes_and_updates(db: str) -> None:
    with Store.open(db) as store:
        d1, d2 = make_doc(1), make_doc(2)
        store.add_batch([item(d1), item(d2)])
        with store._engine.begin() as conn:  # noqa: SLF001
            conn.execute(text("DELETE FROM documents WHERE doc_id = :d"), {"d": d1.doc_id})
            conn.execute(text("UPDATE documents SET title = 'Ceasefire holds' WHERE doc_id = :d"), {"d": d2.doc_id})
        assert table_count(store, "documents_fts") == 1
        assert [h["doc_id"] for h in store.documents(search="Bedouin")] == [d2.doc_id]
        assert [h["doc_id"] for h in store.documents(search="ceasefire")] == [d2.doc_id]
        # foreign keys cascade: the deleted document's rows are gone
        assert table_count(store, "entities") == 2 and table_count(store, "inputs") == 1


# -------------------------------------------------------------------------- rows from the record


def test_entities_mentions_events_rows(any_db: str) -> None:
    db = any_db
    doc = make_doc(1)
    ev_start = doc.article.body.index("Israeli jets struck")
    evidence = "Israeli jets struck the defence ministry in Damascus on Wednesday"
    doc = doc.model_copy(
        update={
            "events": [
                Event(
                    id="v1",
                    type="ASSAULT",
                    mode="aerial",
                    sources=[],
                    targets=["e1"],
                    place=None,
                    when=When.model_validate({"from": "2025-07-16", "to": "2025-07-16", "precision": "day"}),
                    counts=Counts(),
                    modality="asserted",
                    evidence=Span(text=evidence, start=ev_start, end=ev_start + len(evidence)),
                    section="main",
                )
            ]
        }
    )
    with Store.open(db) as store:
        store.add_batch([item(doc)])
        with store._engine.connect() as conn:  # noqa: SLF001
            ents = conn.execute(text("SELECT id, local_id, name, type, country, aliases FROM entities ORDER BY local_id")).all()
            ments = conn.execute(text('SELECT entity_id, kind, start, "end", text FROM mentions ORDER BY start')).all()
            evs = conn.execute(text("SELECT local_id, type, mode, modality, when_from, when_to, precision, evidence_start, evidence_text, section FROM events")).all()
        assert [(e.local_id, e.name, e.type, e.country) for e in ents] == [("e1", "Damascus", "GPE", "SYR"), ("e2", "Syria", "GPE", "SYR")]
        assert ents[1].aliases == '["Syrian"]'
        by_id = {e.id: e.local_id for e in ents}
        for m in ments:
            assert doc.article.body[m.start : m.end] == m.text and m.kind == "entity"
        assert {by_id[m.entity_id]: m.text for m in ments} == {"e1": "Damascus", "e2": "Syria"}
        assert [tuple(e) for e in evs] == [("v1", "ASSAULT", "aerial", "asserted", "2025-07-16", "2025-07-16", "day", ev_start, evidence, "main")]
        assert store.get_record(doc.doc_id)["events"][0]["when"]["from"] == "2025-07-16"


# -------------------------------------------------------------------------- duplicates


def test_signatures_round_trip_and_find_near_duplicate(any_db: str) -> None:
    db = any_db
    docs = [make_doc(n) for n in range(3)]
    unrelated = make_doc(7, body="Parliament in Baku approved the budget after a long debate about Damascus roads.")
    with Store.open(db) as store:
        store.add_batch([item(d) for d in docs] + [item(unrelated)])
    with Store.open(db) as store:
        index = DuplicateIndex()
        assert store.load_signatures(index) == 4
        assert len(index) == 4 and docs[0].doc_id in index
        assert store.load_signatures(index) == 0  # already there
        near = docs[1].article.body + " Copyright AFP 2025, all rights reserved."
        assert index.find(near) == docs[1].doc_id
        reference = DuplicateIndex()  # the same answer as an index fed the bodies themselves
        for d in docs + [unrelated]:
            reference.add(d.doc_id, d.article.body)
        assert reference.find(near) == docs[1].doc_id
        assert index.find("A completely different text about elections in Norway and fishing quotas.") is None
        # an index with other settings skips signatures it cannot use
        assert store.load_signatures(DuplicateIndex(num_perm=64)) == 0


# -------------------------------------------------------------------------- concurrency and crashes


def test_concurrent_writers_threads(db: str) -> None:
    Store.open(db).close()
    docs = [make_doc(n) for n in range(60)]
    errors: list[BaseException] = []
    totals: list[BatchCounts] = []

    def writer(offset: int) -> None:
        try:
            with Store.open(db) as store:
                for start in range(0, 40, 5):  # writer 0: docs 0-39, writer 1: docs 20-59
                    chunk = docs[offset + start : offset + start + 5]
                    totals.append(store.add_batch([item(d) for d in chunk]))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(o,)) for o in (0, 20, 10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store.open(db) as store:
        assert store.count() == 60
        assert sum(c.added for c in totals) == 60
        assert sum(c.added + c.unchanged for c in totals) == 120
        assert table_count(store, "inputs") == 60
        assert table_count(store, "entities") == 120
        assert table_count(store, "documents_fts") == 60


def test_concurrent_open_of_a_new_file(tmp_path: Path) -> None:
    path = str(tmp_path / "fresh.db")
    errors: list[BaseException] = []

    def opener() -> None:
        try:
            Store.open(path).close()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=opener) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store.open(path) as store:
        assert table_count(store, "meta") == 1


WRITER_SCRIPT = textwrap.dedent(
    """
    import sys, hashlib
    sys.path.insert(0, {tests!r})
    from test_store import item, make_doc
    from sitroom.store import Store
    db, first, last, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    with Store.open(db) as store:
        n = first
        while last < 0 or n < last:
            c = store.add_batch([item(make_doc(k)) for k in range(n, n + size)])
            print(c.added, c.unchanged, flush=True)
            n += size
    """
)


def _writer(db: str, first: int, last: int, size: int) -> subprocess.Popen[str]:
    code = WRITER_SCRIPT.format(tests=str(Path(__file__).parent))
    return subprocess.Popen(
        [sys.executable, "-c", code, db, str(first), str(last), str(size)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def test_concurrent_writer_processes(db: str) -> None:
    Store.open(db).close()
    procs = [_writer(db, 0, 50, 5), _writer(db, 25, 75, 5)]  # docs 25-49 written by both
    outputs = [p.communicate(timeout=120) for p in procs]
    for p, (_out, err) in zip(procs, outputs):
        assert p.returncode == 0, err
    added = sum(int(line.split()[0]) for out, _ in outputs for line in out.splitlines())
    unchanged = sum(int(line.split()[1]) for out, _ in outputs for line in out.splitlines())
    assert (added, unchanged) == (75, 25)
    with Store.open(db) as store:
        assert store.count() == 75
        assert table_count(store, "inputs") == 75
        assert table_count(store, "documents_fts") == 75


def test_killed_writer_leaves_a_consistent_store(db: str) -> None:
    Store.open(db).close()
    proc = _writer(db, 0, -1, 7)  # writes batches of 7 until killed
    assert proc.stdout is not None
    for _ in range(3):  # wait until a few batches are committed, then kill mid-run
        assert proc.stdout.readline(), proc.stderr.read() if proc.stderr else ""
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    with Store.open(db) as store:
        n = store.count()
        assert n >= 21 and n % 7 == 0  # whole batches only
        assert table_count(store, "inputs") == n
        assert table_count(store, "entities") == 2 * n
        assert table_count(store, "documents_fts") == n
        with store._engine.connect() as conn:  # noqa: SLF001
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
        # a re-run resumes: what is stored is skipped
        assert store.add_batch([item(make_doc(k)) for k in range(n + 7)]) == BatchCounts(added=7, unchanged=n)


def test_sqlite_pragmas(db: str) -> None:
    with Store.open(db) as store, store._engine.connect() as conn:  # noqa: SLF001
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 1000


# -------------------------------------------------------------------------- opening errors


def test_not_a_database_file_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("These are my notes, not a database.\n" * 50)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    with pytest.raises(SitroomError) as info:
        Store.open(str(path))
    assert info.value.code is Code.STORE
    assert str(path) in str(info.value) and "not a SQLite database" in str(info.value)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]  # no -wal/-shm left


def test_open_errors_name_target_and_reason(tmp_path: Path) -> None:
    cases = {
        str(tmp_path / "missing" / "x.db"): "does not exist",
        str(tmp_path): "is a directory",
        "mysql://user@host/db": "unsupported database URL scheme",
    }
    for target, reason in cases.items():
        with pytest.raises(SitroomError) as info:
            Store.open(target)
        assert info.value.code is Code.STORE and info.value.input == target
        assert reason in str(info.value)
    # a SQLite database that belongs to something else is not taken over
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
    conn.close()
    with pytest.raises(SitroomError, match="not a sitroom store"):
        Store.open(str(other))
    with sqlite3.connect(other) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")] == ["photos"]
    conn.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_directory(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(SitroomError, match="not writable"):
            Store.open(str(locked / "x.db"))
    finally:
        locked.chmod(0o700)


def test_newer_schema_version_is_refused(db: str) -> None:
    Store.open(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.close()
    with pytest.raises(SitroomError, match="schema version 99"):
        Store.open(db)


def test_empty_file_becomes_a_store(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with Store.open(str(path)) as store:
        assert store.count() == 0


# -------------------------------------------------------------------------- naming the store


def test_resolve_target_and_env_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SITROOM_DB", raising=False)
    assert resolve_target(None) == f"sqlite:///{DEFAULT_DB}"
    assert resolve_target("data/x.db") == "sqlite:///data/x.db"
    assert resolve_target("/abs/x.db") == "sqlite:////abs/x.db"
    assert resolve_target("sqlite:///y.db") == "sqlite:///y.db"
    assert resolve_target("postgresql://u@h/db") == "postgresql://u@h/db"
    assert resolve_target("postgres://u@h/db") == "postgresql://u@h/db"
    with pytest.raises(SitroomError, match="unsupported"):
        resolve_target("http://example.com/db")
    env_db = tmp_path / "from-env.db"
    monkeypatch.setenv("SITROOM_DB", str(env_db))
    assert resolve_target(None) == f"sqlite:///{env_db}"
    assert resolve_target("other.db") == "sqlite:///other.db"  # the argument wins
    with Store.open() as store:
        store.add_batch([item(make_doc(1))])
        assert store.target == str(env_db)
    assert env_db.exists()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SITROOM_DB")
    Store.open().close()
    assert (tmp_path / DEFAULT_DB).exists()


def test_postgresql_without_driver_is_e015() -> None:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("a PostgreSQL driver is installed")
    with pytest.raises(SitroomError) as info:
        Store.open("postgresql://user@localhost/sitroom")
    assert info.value.code is Code.STORE and "PostgreSQL needs psycopg" in str(info.value)


def test_sqlite_url_target(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'u.db'}"
    with Store.open(url) as store:
        store.add_batch([item(make_doc(1))])
    assert (tmp_path / "u.db").exists()
