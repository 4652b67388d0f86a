"""The store on PostgreSQL: full-text search in its own terms, Alembic migrations (on both
backends), and concurrent writer processes (on both backends).

The PostgreSQL tests need a server: ``SITROOM_TEST_PG=postgresql://USER:PASSWORD@HOST:PORT/postgres``
(see tests/conftest.py); without it they are skipped. Records are built by hand (no model).
"""

from __future__ import annotations

import multiprocessing
import queue
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, text

from conftest import SKIP_PG, PgDatabases, pg_server
from records import add_docs, make_doc, overlapping_corpus, undo_v5, write_batches
from sitroom.errors import SitroomError
from sitroom.model import Article, Document, Source
from sitroom.store import Store, StoredItem, migrate
from sitroom.store.schema import SCHEMA_VERSION, TABLE_NAMES

KHAN_YUNIS = {"name": "Khan Younis", "kind": "city", "country": "PSE", "lat": 31.34, "lon": 34.30, "gid": "281133"}
ANKARA = {"name": "Ankara", "kind": "city", "country": "TUR", "lat": 39.93, "lon": 32.86, "gid": "323786"}
TEACHERS = ("Teachers Union", "ORG", "TUR", None)


def _doc(doc_id: str, title: str, body: str, site: str = "a.example") -> StoredItem:
    document = Document(doc_id=doc_id, source=Source(url=f"https://{site}/{doc_id}", path=None, site=site),
                        article=Article(title=title, published="2025-03-04", body=body, removed=[]))
    return StoredItem(document=document, raw_sha="raw-" + doc_id, input=doc_id, signature=b"")


def _scalar(store: Store, sql: str, **params: Any) -> Any:
    with store._engine.connect() as conn:  # noqa: SLF001 (tests look inside)
        return conn.execute(text(sql), params).scalar()


def _fill(store: Store) -> Store:
    store.add_batch([
        _doc("d1", "Ceasefire talks resume", "Negotiators met in Doha on Monday. The Druze fighters held their positions."),
        _doc("d2", "Budget passes", "Parliament approved the budget. A ceasefire was mentioned once by the speaker."),
        _doc("d3", "Storm hits the coast", "Heavy rain flooded the coastal roads near Latakia.", site="b.example"),
        _doc("d4", "Fighters negotiating", "Druze fighters were negotiating an exchange of prisoners."),
    ])
    return store


@pytest.fixture(scope="module")
def search_store() -> Iterator[Store]:
    """One filled store for the tests that only search (a database per test costs ~0.4 s)."""
    server = pg_server()
    if server is None:
        pytest.skip(SKIP_PG)
    databases = PgDatabases(server)
    try:
        with Store.open(databases.create()) as store:
            yield _fill(store)
    finally:
        databases.close()


@pytest.fixture
def pg_store(pg_target: str) -> Iterator[Store]:
    with Store.open(pg_target) as store:
        yield _fill(store)


# ------------------------------------------------------------------------------ full-text search


def test_fts_objects_are_postgresql_text_search(search_store: Store) -> None:
    pg_store = search_store
    assert pg_store.dialect == "postgresql" and pg_store.fts
    with pg_store._engine.connect() as conn:  # noqa: SLF001
        columns = {(r.table_name, r.column_name): (r.data_type, r.is_generated) for r in conn.execute(text(
            "SELECT table_name, column_name, data_type, is_generated FROM information_schema.columns "
            "WHERE column_name IN ('search_vector', 'evidence_vector')"))}
        assert columns == {("documents", "search_vector"): ("tsvector", "ALWAYS"),
                           ("events", "evidence_vector"): ("tsvector", "ALWAYS")}
        indexes = dict(conn.execute(text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN ('ix_documents_search', 'ix_events_evidence_search')")).all())
        assert all("USING gin" in d for d in indexes.values()) and len(indexes) == 2
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(r[0] for r in conn.execute(text(
            "EXPLAIN SELECT doc_id FROM documents WHERE search_vector @@ websearch_to_tsquery('english', 'ceasefire')")))
        assert "ix_documents_search" in plan


def test_search_ranks_title_over_body_and_stems(search_store: Store) -> None:
    pg_store = search_store
    assert [h["doc_id"] for h in pg_store.documents(search="ceasefire")] == ["d1", "d2"]  # title hit first
    assert {h["doc_id"] for h in pg_store.documents(search="negotiations")} == {"d1", "d4"}  # negotiators, negotiating
    assert {h["doc_id"] for h in pg_store.documents(search="fighter")} == {"d1", "d4"}
    assert pg_store.documents(search="zzzunknownword") == []


def test_search_syntax(search_store: Store) -> None:
    pg_store = search_store
    ids = lambda q, **kw: [h["doc_id"] for h in pg_store.documents(search=q, **kw)]  # noqa: E731
    assert set(ids('"Druze fighters"')) == {"d1", "d4"}
    assert ids('"fighters Druze"') == []  # a phrase keeps its order
    assert set(ids("budget or storm")) == {"d2", "d3"}
    assert set(ids("budget OR storm")) == {"d2", "d3"}
    assert ids("druze -prisoners") == ["d1"]
    assert ids("druze NOT prisoners") == ["d1"]  # FTS5's spelling of the same
    assert set(ids("negot*")) == {"d1", "d4"}  # prefix: negotiators, negotiating
    assert ids("coast*", site="b.example") == ["d3"] and ids("ceasefire", site="b.example") == []
    assert len(ids("ceasefire", limit=1)) == 1 and ids("ceasefire", limit=1, offset=1) == ["d2"]


@pytest.mark.parametrize("query", ['"', "'", "\\", "&", "|", "!", "!!", "<->", "a:*", ":*", "(", ")", "a & | b",
                                   "NOT", "OR", "-", "--x", "x\x00y", "\x00", "' OR 1=1 --", "*", "**a", "a*b*",
                                   "title:", "%_", "us-iran", "e" * 5000, "‮", "Ω≈ç√", "    "])
def test_hostile_queries_never_raise(search_store: Store, query: str) -> None:
    pg_store = search_store
    assert isinstance(pg_store.documents(search=query), list)
    assert isinstance(pg_store.events(search=query), list)
    assert isinstance(pg_store.count_events(search=query), int)


def test_vectors_follow_updates_and_deletes(pg_store: Store) -> None:
    with pg_store._engine.begin() as conn:  # noqa: SLF001
        conn.execute(text("UPDATE documents SET title = 'Truce holds' WHERE doc_id = 'd3'"))
        conn.execute(text("DELETE FROM documents WHERE doc_id = 'd2'"))
    assert [h["doc_id"] for h in pg_store.documents(search="truce")] == ["d3"]
    assert [h["doc_id"] for h in pg_store.documents(search="ceasefire")] == ["d1"]


def test_evidence_search_uses_text_search(pg_target: str) -> None:
    with Store.open(pg_target) as store:
        add_docs(store, make_doc("a1", "alpha.example", "2025-03-04", [{
            "text": "The Teachers Union marched in Ankara over pay.", "type": "PROTEST", "sources": [TEACHERS],
            "when": "2025-03-04", "place": ANKARA}]))
        add_docs(store, make_doc("b1", "beta.example", "2025-03-04", [{
            "text": "Israeli jets struck a house in Khan Younis.", "type": "ASSAULT", "when": "2025-03-04",
            "place": KHAN_YUNIS}]))
        assert [e["type"] for e in store.events(search="marching")] == ["PROTEST"]  # stemmed: march
        assert [e["type"] for e in store.events(search="teachers pay")] == ["PROTEST"]
        assert store.events(search="teachers jets") == []  # every word in one sentence
        assert [e["type"] for e in store.events(search="hous*")] == ["ASSAULT"]
        assert store.count_events(search="union OR jets") == 2
        assert store.events(search="the") == []  # only a stop word: nothing to find


def test_nul_characters_are_dropped_not_fatal(pg_target: str) -> None:
    with Store.open(pg_target) as store:
        store.add_batch([_doc("n1", "Odd\x00title", "A body with a NUL\x00 inside.")])
        assert store.documents(search="oddtitle")[0]["title"] == "Oddtitle"
        assert store.actors(search="\x00") == [] and store.events(actor="x\x00") == []


def test_a_long_role_fits(pg_target: str) -> None:
    """PostgreSQL would enforce VARCHAR lengths that SQLite ignores: the store uses TEXT there."""
    with Store.open(pg_target) as store:
        doc = make_doc("r1", "alpha.example", "2025-03-04", [{"text": "The Teachers Union marched.", "type": "PROTEST",
                                                             "sources": [TEACHERS], "when": "2025-03-04"}])
        long_role = "Deputy Assistant Secretary of State for Near Eastern Affairs and Regional Coordination"
        doc = doc.model_copy(update={"entities": [doc.entities[0].model_copy(update={"role": long_role})]})
        add_docs(store, doc)
        assert store.actor("Teachers Union")["roles"][0]["role"] == long_role


# ------------------------------------------------------------------------------ migrations


def test_alembic_builds_an_empty_database(db_target: str, backend: str) -> None:
    with Store.open(db_target) as store:
        with store._engine.connect() as conn:  # noqa: SLF001
            tables = set(inspect(conn).get_table_names())
            assert TABLE_NAMES | {"alembic_version"} <= tables
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == migrate.head()
            assert conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).scalar() == SCHEMA_VERSION
            if backend == "sqlite":
                assert {"documents_fts", "evidence_fts"} <= tables
            else:
                columns = {c["name"] for c in inspect(conn).get_columns("documents")}
                assert "search_vector" in columns
        store.add_batch([_doc("m1", "Ceasefire", "A ceasefire began.")])
    with Store.open(db_target) as store:  # reopening changes nothing
        assert store.count() == 1 and store.documents(search="ceasefire")[0]["doc_id"] == "m1"


def test_downgrade_to_base_and_back(db_target: str) -> None:
    from alembic import command

    Store.open(db_target).close()
    url = db_target if "://" in db_target else f"sqlite:///{db_target}"
    command.downgrade(migrate.alembic_config(url=url.replace("postgresql://", "postgresql+psycopg://")), "base")
    with Store.open(db_target) as store:  # empty again: built anew
        assert store.count() == 0
        with store._engine.connect() as conn:  # noqa: SLF001
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == migrate.head()


def test_a_version_4_store_upgrades_to_5_and_keeps_fusing(db_target: str) -> None:
    from alembic import command

    strike = {"text": "Israeli jets struck Khan Younis on Monday, killing 13 people.", "type": "ASSAULT",
              "sources": [("Israel", "GPE", "ISR", "country:ISR")], "when": "2025-03-03", "time_text": "Monday",
              "place": {"name": "Khan Younis", "kind": "city", "country": "PSE", "lat": 31.34, "lon": 34.30}, "killed": 13}
    with Store.open(db_target) as store:
        add_docs(store, make_doc("k1", "alpha.example", "2025-03-04", [strike]))
    url = db_target if "://" in db_target else f"sqlite:///{db_target}"
    command.downgrade(migrate.alembic_config(url=url.replace("postgresql://", "postgresql+psycopg://")), "0004")
    with Store.open(db_target) as store:  # upgraded again: the event has no tally until a report joins
        with store._engine.connect() as conn:  # noqa: SLF001
            assert conn.execute(text("SELECT tally FROM fused_events")).scalar() is None
            assert conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).scalar() == SCHEMA_VERSION
        add_docs(store, make_doc("k2", "beta.example", "2025-03-04", [{**strike, "killed": 14}]))
        (event,) = store.events()
        assert (event["n_mentions"], event["n_sources"], event["counts"]["killed"]["max"]) == (2, 2, 14)
        with store._engine.connect() as conn:  # noqa: SLF001
            assert conn.execute(text("SELECT tally FROM fused_events")).scalar()


def test_head_revision_names_the_schema_version() -> None:
    script = migrate.script_directory()
    assert script.get_revision(script.get_current_head()).module.schema_version == SCHEMA_VERSION
    assert script.get_revision(migrate.BASELINE).down_revision is None
    revisions = list(script.walk_revisions())
    assert len({r.revision for r in revisions}) == len(revisions) and len(script.get_heads()) == 1


def test_developer_commands(db_target: str, capsys: pytest.CaptureFixture[str]) -> None:
    Store.open(db_target).close()
    assert migrate.main(["current", "--db", db_target]) == 0
    assert migrate.head() in capsys.readouterr().out
    assert migrate.main(["heads"]) == 0


def test_a_version_4_sqlite_store_from_before_alembic_is_stamped(tmp_path: Path) -> None:
    db = str(tmp_path / "v4.db")
    with Store.open(db) as store:
        store.add_batch([_doc("o1", "Old store", "Written before Alembic.")])
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE alembic_version")
        conn.execute("DROP INDEX ix_fused_places")  # an index an older version-4 store lacked
        undo_v5(conn)
    conn.close()
    with Store.open(db) as store:
        assert store.count() == 1 and store.documents(search="alembic")[0]["doc_id"] == "o1"
        store.add_batch([_doc("o2", "Old store", "Written after the upgrade.")])
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(migrate.head(),)]
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'ix_fused_places'").fetchone() == (1,)
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (SCHEMA_VERSION,)
    conn.close()


def test_unknown_revision_is_refused(db_target: str) -> None:
    with Store.open(db_target) as store, store._engine.begin() as conn:  # noqa: SLF001
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00dfeed'"))
    with pytest.raises(SitroomError, match="does not know"):
        Store.open(db_target)


def test_postgresql_database_of_something_else(pg_target: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(pg_target)
    with engine.begin() as conn:  # another program's tables beside ours are fine; its Alembic is not
        conn.execute(text("CREATE TABLE photos (id integer PRIMARY KEY)"))
    Store.open(pg_target).close()
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE meta"))
    engine.dispose()
    with pytest.raises(SitroomError, match="not a sitroom store"):
        Store.open(pg_target)


def test_open_errors_hide_the_password() -> None:
    with pytest.raises(SitroomError) as info:
        Store.open("postgresql://someone:s3cret@127.0.0.1:1/nowhere")
    assert "s3cret" not in str(info.value) and "***" in str(info.value)
    assert "cannot connect" in str(info.value)


# ------------------------------------------------------------------------------ concurrent writers


def _snapshot(target: str) -> dict[str, Any]:
    """What a store holds, without the ids and times that differ between runs."""
    with Store.open(target) as store, store._engine.connect() as conn:  # noqa: SLF001
        rows = lambda sql: [tuple(r) for r in conn.execute(text(sql))]  # noqa: E731
        mentions = {fid: frozenset() for (fid,) in rows("SELECT id FROM fused_events")}
        for fid, doc_id, local_id in rows("SELECT fused_id, doc_id, local_id FROM events WHERE fused_id IS NOT NULL"):
            mentions[fid] = mentions[fid] | {(doc_id, local_id)}
        actor_key = dict(rows("SELECT id, key FROM actors"))
        fused = Counter()
        for r in rows("SELECT id, status, type, n_mentions, n_documents, n_sources, killed_min, killed_max, place_name, "
                      "when_from FROM fused_events"):
            actors = frozenset((actor_key[a], role) for a, role in rows(
                f"SELECT actor_id, role FROM fused_actors WHERE fused_id = {r[0]}"))
            fused[(mentions[r[0]], *r[1:], actors)] += 1
        return {
            "documents": sorted(rows("SELECT doc_id, title, site, url, published, words, body FROM documents")),
            "inputs": sorted(rows("SELECT raw_sha, input, doc_id FROM inputs")),
            "actors": sorted((k, n, t, c, kb, tuple(sorted((names or "").split("\n"))))
                             for k, n, t, c, kb, names in rows("SELECT key, name, type, country, kb_id, names FROM actors")),
            "entities": Counter((d, l, n, actor_key[a]) for d, l, n, a in rows(
                "SELECT doc_id, local_id, name, actor_id FROM entities")),
            "mentions": Counter(rows('SELECT doc_id, start, "end", text FROM mentions')),
            "events": Counter(rows("SELECT doc_id, local_id, type, when_from, place_name, evidence_text FROM events")),
            "event_actors": Counter((d, l, actor_key[a], role) for d, l, a, role in rows(
                "SELECT e.doc_id, e.local_id, ea.actor_id, ea.role FROM event_actors ea JOIN events e ON e.id = ea.event_id")),
            "fused": fused,
            "history": Counter(a for (a,) in rows("SELECT action FROM fused_history")),
            "assignments": len(rows("SELECT id FROM assignments")),
        }


def test_concurrent_writer_processes_give_the_sequential_result(db_targets: Any) -> None:
    """Three processes store overlapping batches of the same records in different orders at once:
    every document, actor and fused event is there once, exactly as one writer storing them in
    turn leaves them (fusion is serialised; inserts are idempotent; deadlocks are retried)."""
    ids = [d.doc_id for d in overlapping_corpus()]
    concurrent, sequential = db_targets(), db_targets()
    write_batches(concurrent, [["seed"]])
    # Every process starts with a different report of each event, so at the start all of them
    # fuse mentions of the same five events at once (the race a fusion lock must settle), and
    # every record is offered by all three, in batches that overlap in different orders.
    stories: dict[str, list[str]] = {}
    for doc_id in ids:
        stories.setdefault(doc_id.split("r")[0] if doc_id.startswith("s") else doc_id, []).append(doc_id)
    plans = []
    for k, size in ((0, 4), (1, 3), (2, 5)):
        order = [group[(k + n) % len(group)] for n in range(max(map(len, stories.values())))
                 for group in stories.values() if n < len(group)]
        order = order if k != 1 else order[:5] + order[5:][::-1]
        plans.append([order[i:i + size] for i in range(0, len(order), size)])
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(len(plans)), context.Queue()
    workers = [context.Process(target=write_batches, args=(concurrent, plan, start, results)) for plan in plans]
    for worker in workers:
        worker.start()
    totals: list[tuple[int, int]] = []
    deadline = time.monotonic() + 180
    while len(totals) < len(workers):
        try:
            totals.append(results.get(timeout=1))
        except queue.Empty:
            failed = [w.exitcode for w in workers if w.exitcode not in (None, 0)]
            assert not failed and time.monotonic() < deadline, f"a writer failed (exit codes {failed})"
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    assert sum(a for a, _ in totals) == len(ids) and sum(u for _, u in totals) == 2 * len(ids)
    write_batches(sequential, [["seed"], *([i] for i in ids)])
    got, want = _snapshot(concurrent), _snapshot(sequential)
    assert len(want["fused"]) == 5 and set(want["history"]) == {"created", "joined"}  # five events, no merges
    assert len(want["actors"]) == 5 and len(want["documents"]) == len(ids) + 1
    for key in want:
        assert got[key] == want[key], key


def test_both_backends_fuse_the_same_reports_the_same_way(pg_target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sitroom.store.fuse.MAX_CANDIDATES", 1)  # where ranking ties and NULLs decide
    germany = ("Germany", "GPE", "DEU", "country:DEU")
    formosa = {"name": "Formosa", "kind": "city", "country": "ARG", "lat": -26.18, "lon": -58.17, "gid": "3433899"}
    talks = {"type": "CONSULT", "targets": [germany], "when": "2025-06-22", "place": formosa,
             "text": "The foreign minister of Argentina met his German counterpart in Formosa on Sunday."}
    placeless = {"type": "CONSULT", "targets": [germany], "text": "German diplomats held consultations with envoys."}
    docs = [make_doc("t1", "beta.example", "2025-06-23", [talks]), make_doc("p1", "alpha.example", "2025-06-24", [placeless]),
            make_doc("t2", "gamma.example", "2025-06-24", [{**talks, "text": talks["text"] + " They discussed trade."}]),
            *overlapping_corpus()]
    groupings = []
    for target in (str(tmp_path / "s.db"), pg_target):
        with Store.open(target) as store:
            for doc in docs:
                add_docs(store, doc)
            with store._engine.connect() as conn:  # noqa: SLF001
                groupings.append(conn.execute(text("SELECT id, fused_id FROM events ORDER BY id")).all())
    assert [tuple(r) for r in groupings[0]] == [tuple(r) for r in groupings[1]]
