"""`sitroom ingest` and `sitroom documents`: idempotent storage, dedup against the store, listings."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from sitroom.cli import main

BASE = " ".join(
    f"Sentence {i} of the wire report says the delegations met again in the capital to discuss the border."
    for i in range(25)
)


def _page(tmp: Path, name: str, title: str, body: str) -> Path:
    path = tmp / name
    path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return path


def _invoke(*args: str):  # noqa: ANN202
    return CliRunner().invoke(main, list(args))


def test_ingest_is_idempotent_and_lists(tmp_path: Path) -> None:
    db = str(tmp_path / "store.db")
    pages = tmp_path / "pages"
    pages.mkdir()
    _page(pages, "a.txt", "Delegations meet in capital", BASE)
    _page(pages, "b.txt", "Harbour strike ends", "Dock workers ended their strike on Tuesday after a pay deal, the union said. Cargo moved again.")
    (pages / "c.txt").write_text("", encoding="utf-8")

    first = _invoke("ingest", "--stage", "article", "--db", db, str(pages))
    assert first.exit_code == 1  # the empty page failed, the others were stored
    assert "E002" in first.stderr and "c.txt" in first.stderr
    assert "stored 2 new documents" in first.stderr

    again = _invoke("ingest", "--stage", "article", "--db", db, str(pages))
    assert "stored 0 new documents" in again.stderr
    assert "2 inputs skipped as already ingested" in again.stderr

    listed = _invoke("documents", "--db", db, "--format", "json")
    assert listed.exit_code == 0
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert sorted(r["title"] for r in rows) == ["Delegations meet in capital", "Harbour strike ends"]

    found = _invoke("documents", "--db", db, "--format", "json", "--search", "dock workers")
    assert [json.loads(line)["title"] for line in found.stdout.splitlines()] == ["Harbour strike ends"]

    as_csv = _invoke("documents", "--db", db, "--format", "csv")
    table = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert len(table) == 2 and "doc_id" in table[0]

    as_table = _invoke("documents", "--db", db)
    assert "2 of 2 stored documents" in as_table.stdout


def test_duplicate_of_points_into_the_store_across_runs(tmp_path: Path) -> None:
    db = str(tmp_path / "store.db")
    original = _page(tmp_path, "one.txt", "Delegations meet in capital", BASE)
    assert _invoke("ingest", "--stage", "article", "--db", db, str(original)).exit_code == 0
    copy = _page(tmp_path, "two.txt", "Delegations meet again", BASE + " A second outlet added this closing sentence.")
    assert _invoke("ingest", "--stage", "article", "--db", db, str(copy)).exit_code == 0
    rows = {json.loads(line)["title"]: json.loads(line) for line in _invoke("documents", "--db", db, "--format", "json").stdout.splitlines()}
    assert rows["Delegations meet again"]["duplicate_of"] == rows["Delegations meet in capital"]["doc_id"]
    assert rows["Delegations meet in capital"]["duplicate_of"] is None


def test_sitroom_db_environment_default(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("SITROOM_DB", str(tmp_path / "env.db"))
    page = _page(tmp_path, "a.txt", "Delegations meet in capital", BASE)
    assert _invoke("ingest", "--stage", "article", str(page)).exit_code == 0
    assert (tmp_path / "env.db").is_file()


def test_store_that_is_not_a_database_is_a_coded_error(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("my notes, not a database\n", encoding="utf-8")
    result = _invoke("documents", "--db", str(bogus))
    assert result.exit_code == 1
    assert result.stderr.startswith("sitroom: E015 ")
    assert bogus.read_text(encoding="utf-8") == "my notes, not a database\n"


def test_actors_command_lists_and_shows(tmp_path: Path) -> None:
    from sitroom.model import Article, Document, Entity, Source, Span
    from sitroom.store import Store, StoredItem

    db = str(tmp_path / "store.db")
    items = []
    for doc_id, spelling in (("d1", "Asaad al-Shaibani"), ("d2", "Asaad Al-Shibani")):
        body = f"{spelling} met his counterpart."
        entity = Entity(id="e1", name=spelling, type="PERSON", country="SYR", kb_id="person:asaad-al-shaibani",
                        mentions=[Span(text=spelling, start=0, end=len(spelling))])
        document = Document(doc_id=doc_id, source=Source(url=None, path=None, site=None),
                            article=Article(title=doc_id, published="2025-07-31", body=body, removed=[]), entities=[entity])
        items.append(StoredItem(document=document, raw_sha=doc_id, input=doc_id, signature=b"\0" * 8))
    with Store.open(db) as store:
        store.add_batch(items)
    listed = _invoke("actors", "--db", db, "--format", "json", "shibani")
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(rows) == 1 and rows[0]["documents"] == 2
    shown = _invoke("actors", "--db", db, "--show", "asaad al-shibani")
    assert shown.exit_code == 0
    assert "Asaad al-Shaibani" in shown.stdout and "2 documents" in shown.stdout
    missing = _invoke("actors", "--db", db, "--show", "Nobody")
    assert missing.exit_code == 1 and "no single actor" in missing.stderr


def test_ingest_reads_a_manifest(tmp_path: Path) -> None:
    db = str(tmp_path / "store.db")
    first = _page(tmp_path, "a.txt", "Delegations meet in capital", BASE)
    second = _page(tmp_path, "b.txt", "Harbour strike ends", "Dock workers ended their strike on Tuesday after a pay deal.")
    manifest = tmp_path / "inputs.txt"
    manifest.write_text(f"# two pages\n{first}\n\n   {second}  \n", encoding="utf-8")
    done = _invoke("ingest", "--stage", "article", "--db", db, "--manifest", str(manifest))
    assert done.exit_code == 0, done.stderr
    assert "stored 2 new documents" in done.stderr
    missing = _invoke("ingest", "--db", db, "--manifest", str(tmp_path / "none.txt"))
    assert missing.exit_code == 1 and missing.stderr.startswith("sitroom: E001 ")
    nothing = _invoke("ingest", "--db", db)
    assert nothing.exit_code == 2 and "give INPUTS or --manifest FILE" in nothing.stderr
