"""Cross-document fusion in the store: one event per real event, its reports kept, as-of views,
corrections, deletions, merges and splits. Records are built by hand (no model needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sitroom.store import Store, StoredItem
from records import add_docs, make_doc
from sitroom.store.fuse import pair_score, place_relation
from sitroom.store.mention import Mention
from sitroom.store.summary import independent_sources

ISRAEL = ("Israel", "GPE", "ISR", "country:ISR")
HAMAS = ("Hamas", "ORG", "PSE", "org:hamas")
KHAN_YUNIS = {"name": "Khan Younis", "kind": "city", "country": "PSE", "lat": 31.34, "lon": 34.30, "gid": "281133"}
RAFAH = {"name": "Rafah", "kind": "city", "country": "PSE", "lat": 31.29, "lon": 34.25, "gid": "281102"}
GAZA_CITY = {"name": "Gaza City", "kind": "city", "country": "PSE", "lat": 31.50, "lon": 34.47, "gid": "281133x"}
ANKARA = {"name": "Ankara", "kind": "city", "country": "TUR", "lat": 39.93, "lon": 32.86, "gid": "323786"}


def strike(text: str, when: str | None = "2025-03-04", place: dict | None = None, killed: int | None = None,
           **more: Any) -> dict[str, Any]:
    return {"text": text, "type": "ASSAULT", "mode": "aerial", "sources": [ISRAEL], "when": when,
            "place": KHAN_YUNIS if place is None else place, "killed": killed, **more}


@pytest.fixture
def store(db_target: str) -> Store:  # each test once per backend (tests/conftest.py)
    with Store.open(db_target) as opened:
        yield opened


def test_two_outlets_one_strike_keep_both_numbers(store: Store) -> None:
    add_docs(store, make_doc("a1", "alpha.example", "2025-03-04", [strike("Israeli jets struck a house in Khan Younis, killing at least 13 people.", killed=13)]))
    add_docs(store, make_doc("b1", "beta.example", "2025-03-05", [strike("An Israeli air strike on Khan Younis killed 14 people and injured 22.", killed=14, injured=22)]))
    (event,) = store.events()
    assert event["n_sources"] == 2 and event["n_mentions"] == 2
    assert (event["counts"]["killed"]["min"], event["counts"]["killed"]["max"]) == (13, 14)
    assert {(s["site"], s["value"]) for s in event["counts"]["killed"]["by_source"]} == {("alpha.example", 13), ("beta.example", 14)}
    assert event["counts"]["injured"]["by_source"] == [{"site": "beta.example", "doc_id": "b1", "mention_id": event["mentions"][1]["mention_id"], "value": 22}]
    assert (event["first_reported"], event["last_updated"]) == ("2025-03-04", "2025-03-05")
    assert [m["site"] for m in event["mentions"]] == ["alpha.example", "beta.example"]


def test_strikes_a_day_apart_in_one_town_stay_two(store: Store) -> None:
    add_docs(store, make_doc("a1", "alpha.example", "2025-03-04", [strike("Israeli jets struck a house in Khan Younis on Tuesday.", when="2025-03-04")]))
    add_docs(store, make_doc("b1", "beta.example", "2025-03-05", [strike("Israeli jets struck a house in Khan Younis on Wednesday.", when="2025-03-05")]))
    assert len(store.events()) == 2


def test_same_day_strikes_in_distant_towns_stay_two(store: Store) -> None:
    add_docs(store, make_doc("a1", "alpha.example", "2025-03-04", [strike("Israeli jets struck Gaza City, killing five.", place=GAZA_CITY, killed=5)]))
    add_docs(store, make_doc("b1", "beta.example", "2025-03-04", [strike("Israeli jets struck Rafah, killing five.", place=RAFAH, killed=5)]))
    assert len(store.events()) == 2


def test_undated_report_joins_within_its_report_window(store: Store) -> None:
    add_docs(store, make_doc("a1", "alpha.example", "2025-03-04", [strike("Israeli jets struck a house in Khan Younis, killing 13.", killed=13)]))
    add_docs(store, make_doc("b1", "beta.example", "2025-03-06", [strike("An Israeli strike on a house in Khan Younis killed 13 people.", when=None, killed=13)]))
    add_docs(store, make_doc("c1", "gamma.example", "2025-04-20", [strike("An Israeli strike on a house in Khan Younis killed 13 people.", when=None, killed=13)]))
    events = store.events()
    assert sorted(e["n_mentions"] for e in events) == [1, 2]  # six weeks later is another event


def test_syndicated_copy_counts_once(store: Store) -> None:
    text = "Israeli jets struck a house in Khan Younis, killing at least 13 people."
    add_docs(store, make_doc("a1", "wire.example", "2025-03-04", [strike(text, killed=13)]))
    add_docs(store, make_doc("a2", "reprint.example", "2025-03-04", [strike(text, killed=13)], duplicate_of="a1"))
    add_docs(store, make_doc("a3", "wire.example", "2025-03-05", [strike("Israel's strike in Khan Younis killed 13, medics said.", killed=13)]))
    (event,) = store.events()
    assert (event["n_mentions"], event["n_documents"], event["n_sources"]) == (3, 3, 1)
    assert event["sites"] == ["reprint.example", "wire.example"]


def test_different_protests_by_named_groups_stay_apart(store: Store) -> None:
    teachers = ("Teachers Union", "ORG", "TUR", None)
    farmers = ("Farmers Council", "ORG", "TUR", None)
    add_docs(store, make_doc("a1", "alpha.example", "2025-03-04", [{"text": "The Teachers Union marched in Ankara over pay.", "type": "PROTEST",
                                                           "sources": [teachers], "when": "2025-03-04", "place": ANKARA}]))
    add_docs(store, make_doc("b1", "beta.example", "2025-03-04", [{"text": "The Farmers Council rallied in Ankara against fuel prices.", "type": "PROTEST",
                                                          "sources": [farmers], "when": "2025-03-04", "place": ANKARA}]))
    assert len(store.events()) == 2


def test_as_of_answers_with_what_was_known(store: Store) -> None:
    add_docs(store, make_doc("a1", "alpha.example", "2025-03-04", [strike("Israeli jets struck a house in Khan Younis, killing at least 13 people.", killed=13)]))
    add_docs(store, make_doc("b1", "beta.example", "2025-03-06", [strike("The Israeli air strike on Khan Younis killed 20 people, medics said.", killed=20)]))
    (then,) = store.events(as_of="2025-03-05")
    assert then["counts"]["killed"]["max"] == 13 and then["n_sources"] == 1 and len(then["mentions"]) == 1
    (now,) = store.events(as_of="2025-03-06")
    assert now["counts"]["killed"]["max"] == 20 and now["n_sources"] == 2 and now["id"] == then["id"]
    assert store.events(as_of="2025-03-03") == []
    assert store.events(as_of="2025-03-05", min_sources=2) == []


def test_a_correction_replaces_the_earlier_version(store: Store) -> None:
    url = "https://alpha.example/strike"
    add_docs(store, make_doc("v1", "alpha.example", "2025-03-04", [strike("Israeli jets struck a house in Khan Younis, killing 13 people.", killed=13)], url=url))
    add_docs(store, make_doc("v2", "alpha.example", "2025-03-05", [strike("Israeli jets struck a house in Khan Younis, killing 15 people.", killed=15)],
                     url=url, duplicate_of="v1"))
    (event,) = store.events()
    assert event["counts"]["killed"]["by_source"][0]["value"] == 15 and event["n_mentions"] == 1
    (before,) = store.events(as_of="2025-03-04")
    assert before["counts"]["killed"]["max"] == 13
    detail = store.event(event["id"])
    assert [m["superseded_at"] for m in detail["mentions"]] == ["2025-03-05", None]
    assert "superseded" in [h["action"] for h in detail["history"]]


def test_deleting_the_only_report_retracts_the_event(store: Store) -> None:
    add_docs(store, make_doc("a1", "alpha.example", "2025-03-04", [strike("Israeli jets struck a house in Khan Younis.")]))
    (event,) = store.events()
    done = store.delete_document("a1")
    assert done == {"doc_id": "a1", "events": [event["id"]], "split": []}
    assert store.events() == []
    detail = store.event(event["id"])
    assert detail["status"] == "retracted" and [h["action"] for h in detail["history"]][-1] == "retracted"
    assert store.delete_document("a1") is None


def test_a_bridging_report_merges_and_its_deletion_splits(store: Store) -> None:
    # Two reports too different to fuse, then a third that matches both: one event, merge logged.
    add_docs(store, make_doc("a1", "alpha.example", "2025-03-04", [strike("Israeli jets bombed a target overnight.", place={}, targets=[HAMAS])]))
    add_docs(store, make_doc("b1", "beta.example", "2025-03-04", [{"text": "Nine pupils died at the Tal Hawa school, medics said.", "type": "ASSAULT",
                                                          "when": "2025-03-04", "killed": 9}]))
    assert len(store.events()) == 2
    add_docs(store, make_doc("c1", "gamma.example", "2025-03-05", [strike("Israeli jets bombed a Hamas target: nine pupils died at the Tal Hawa school, medics said.",
                                                                  place={}, targets=[HAMAS], killed=9)]))
    events = store.events()
    assert len(events) == 1 and events[0]["n_mentions"] == 3
    history = [h["action"] for h in store.event(events[0]["id"])["history"]]
    assert "absorbed" in history
    done = store.delete_document("c1")
    assert len(done["split"]) == 1
    after = store.events()
    assert sorted(e["n_mentions"] for e in after) == [1, 1]
    assert events[0]["id"] in {e["id"] for e in after}  # the older id survives the split
    assert "split" in [h["action"] for h in store.event(done["split"][0])["history"]]


def test_filters_and_search(store: Store) -> None:
    add_docs(store, make_doc("a1", "alpha.example", "2025-03-04", [strike("Israeli jets struck a house in Khan Younis, killing 13.", killed=13)]))
    add_docs(store, make_doc("b1", "beta.example", "2025-03-04", [strike("Israeli jets struck a house in Khan Younis, killing 13 people.", killed=13)]))
    add_docs(store, make_doc("c1", "gamma.example", "2025-03-10", [{"text": "Turkey's foreign minister met his Syrian counterpart in Ankara.",
                                                           "type": "CONSULT", "when": "2025-03-10", "place": ANKARA}]))
    assert [e["type"] for e in store.events(min_sources=2)] == ["ASSAULT"]
    assert [e["type"] for e in store.events(search="counterpart")] == ["CONSULT"]
    assert [e["type"] for e in store.events(country="pse")] == ["ASSAULT"]
    assert [e["type"] for e in store.events(actor="israel")] == ["ASSAULT"]
    assert [e["type"] for e in store.events(sort="sources")] == ["ASSAULT", "CONSULT"]
    assert store.events(search="\"unbalanced") == []  # hostile FTS input never raises


def test_score_parts() -> None:
    def mention(place: dict, when: str | None, text: str, doc: str = "d", site: str = "s") -> Mention:
        return Mention(id=1, doc_id=doc, type="ASSAULT", mode=None, cameo=None, modality="asserted", confidence=None,
                       attributed_to=None, place=place, when_from=when, when_to=when, precision="day" if when else "unknown",
                       fuse_from=when or "2025-03-01", fuse_to=when or "2025-03-08", counts={}, evidence={"text": text},
                       reported_at="2025-03-08", superseded_at=None, fused_id=None, document={"site": site, "duplicate_of": None})

    assert place_relation(KHAN_YUNIS, RAFAH) == 1.0  # neighbouring towns under 25 km
    assert place_relation(KHAN_YUNIS, GAZA_CITY) == 1.0
    assert place_relation(KHAN_YUNIS, ANKARA) is None  # another country
    assert place_relation(KHAN_YUNIS, {"name": "Palestine", "kind": "country", "country": "PSE"}) == 0.5
    assert place_relation(KHAN_YUNIS, {}) == 0.0
    a = mention(KHAN_YUNIS, "2025-03-04", "Jets struck Khan Younis")
    assert pair_score(a, mention(KHAN_YUNIS, "2025-03-05", "Jets struck Khan Younis")) is None
    same = pair_score(a, mention(KHAN_YUNIS, "2025-03-04", "Jets struck Khan Younis", doc="e"))
    in_doc = pair_score(a, mention(KHAN_YUNIS, "2025-03-04", "Jets struck Khan Younis"))
    assert same == pytest.approx(1.5 + 1.0 + 2.5) and in_doc == pytest.approx(same - 1.5)
    assert independent_sources([a, mention({}, None, "", doc="e"), mention({}, None, "", doc="f", site="t")]) == 2


def test_the_same_body_ingested_again_changes_nothing(store: Store) -> None:
    text = "Israeli jets struck a house in Khan Younis, killing 13."
    add_docs(store, make_doc("a1", "alpha.example", "2025-03-04", [strike(text, killed=13)]))
    before = store.events()
    again = make_doc("a1", "beta.example", "2025-03-05", [strike(text, killed=13)])
    counts = store.add_batch([StoredItem(document=again, raw_sha="raw-other", input="copy", signature=b"")])
    assert (counts.added, counts.unchanged) == (0, 1)
    assert store.events() == before  # the first stored version stands; its reports are not doubled


def test_cli_events_export_and_delete(tmp_path: Path, db_target: str) -> None:
    import json

    from click.testing import CliRunner

    from sitroom.cli import main

    db = db_target
    with Store.open(db) as opened:
        add_docs(opened, make_doc("a1aaaaaaaaaa", "alpha.example", "2025-03-04", [strike("Israeli jets struck a house in Khan Younis, killing 13.", killed=13)]))
        add_docs(opened, make_doc("b1bbbbbbbbbb", "beta.example", "2025-03-06", [strike("An Israeli strike on Khan Younis killed 20 people.", killed=20)]))
    runner = CliRunner()
    listed = runner.invoke(main, ["events", "--db", db, "--format", "json"])
    assert listed.exit_code == 0, listed.stderr
    (event,) = [json.loads(line) for line in listed.stdout.splitlines()]
    assert event["counts"]["killed"]["min"] == 13 and len(event["mentions"]) == 2
    then = runner.invoke(main, ["events", "--db", db, "--format", "json", "--as-of", "2025-03-05"])
    assert [json.loads(line)["counts"]["killed"]["max"] for line in then.stdout.splitlines()] == [13]
    shown = runner.invoke(main, ["events", "--db", db, "--id", str(event["id"])])
    assert "killed: 13-20" in shown.stdout and "alpha.example" in shown.stdout
    assert runner.invoke(main, ["events", "--db", db, "--id", "999"]).stderr.startswith("sitroom: E024 event 999:")
    out = tmp_path / "events.geojson"
    exported = runner.invoke(main, ["export", "--db", db, "--format", "geojson", "--min-sources", "2", "-o", str(out)])
    assert exported.exit_code == 0 and "exported 1 events" in exported.stderr
    assert json.loads(out.read_text())["features"][0]["properties"]["n_sources"] == 2
    bad = runner.invoke(main, ["export", "--db", db, "--format", "xls"])
    assert bad.exit_code == 1 and bad.stderr.startswith("sitroom: E025 --format:")
    deleted = runner.invoke(main, ["delete", "--db", db, "b1bbbbbb", "nothere1"])
    assert deleted.exit_code == 1 and "deleted b1bbbbbbbbbb: 1 events updated" in deleted.stderr and "E024 nothere1" in deleted.stderr
    after = runner.invoke(main, ["events", "--db", db, "--format", "json"])
    assert [json.loads(line)["counts"]["killed"]["max"] for line in after.stdout.splitlines()] == [13]


def test_as_of_filters_read_only_matching_events_and_answer_as_a_full_scan(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    # Reports across two countries and dates, a merge after the first day, and a correction.
    add_docs(store, make_doc("a1", "alpha.example", "2025-03-04", [strike("Israeli jets bombed a target overnight.", place={}, targets=[HAMAS])]))
    add_docs(store, make_doc("b1", "beta.example", "2025-03-04", [{"text": "Nine pupils died at the Tal Hawa school, medics said.", "type": "ASSAULT",
                                                                   "when": "2025-03-04", "killed": 9}]))
    add_docs(store, make_doc("c1", "gamma.example", "2025-03-05", [strike("Israeli jets bombed a Hamas target: nine pupils died at the Tal Hawa school, medics said.",
                                                                          place={}, targets=[HAMAS], killed=9)]))
    add_docs(store, make_doc("d1", "delta.example", "2025-03-06", [{"text": "Police in Ankara detained 40 protesters.", "type": "COERCE",
                                                                    "place": ANKARA, "when": "2025-03-06", "modality": "claimed"}]))
    add_docs(store, make_doc("e1", "alpha.example", "2025-03-07", [strike("Israeli jets struck Rafah on Friday.", when="2025-03-07", place=RAFAH)]))
    asks = [{"country": "PSE"}, {"country": "ISR"}, {"country": "TUR"}, {"actor": "hamas"}, {"actor": "israel", "type_": "ASSAULT"},
            {"modality": "claimed"}, {"date_from": "2025-03-05"}, {"date_to": "2025-03-04"}, {"country": "PSE", "date_from": "2025-03-07"}]
    answers = {}
    for day in ("2025-03-04", "2025-03-05", "2025-03-07"):
        for i, ask in enumerate(asks):
            answers[day, i] = store.events(as_of=day, **ask)
    assert any(len(found) >= 1 for found in answers.values()) and any(not found for found in answers.values())
    monkeypatch.setattr("sitroom.store.query._as_of_seeds", lambda *args, **kwargs: None)  # the full scan of every report
    monkeypatch.setattr("sitroom.store.query.AS_OF_SETTLED", False)
    for (day, i), found in answers.items():
        assert store.events(as_of=day, **asks[i]) == found, (day, asks[i])


def test_a_placeless_candidate_does_not_crowd_out_one_at_the_same_place(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    # Only the likeliest candidate is scored here. An event with no place must rank below one at
    # the report's own place on every backend (PostgreSQL sorts NULL first in descending order).
    monkeypatch.setattr("sitroom.store.fuse.MAX_CANDIDATES", 1)
    argentina, germany = ("Argentina", "GPE", "ARG", "country:ARG"), ("Germany", "GPE", "DEU", "country:DEU")
    formosa = {"name": "Formosa", "kind": "city", "country": "ARG", "lat": -26.18, "lon": -58.17, "gid": "3433899"}
    talks = {"type": "CONSULT", "sources": [argentina], "targets": [germany], "when": "2025-06-22", "place": formosa,
             "text": "The foreign minister of Argentina met his German counterpart in Formosa on Sunday."}
    add_docs(store, make_doc("b1", "beta.example", "2025-06-23", [talks]))
    add_docs(store, make_doc("a1", "alpha.example", "2025-06-24", [{
        "type": "CONSULT", "targets": [germany], "text": "German diplomats held consultations with Latin American envoys."}]))
    add_docs(store, make_doc("c1", "gamma.example", "2025-06-24", [{**talks, "text": talks["text"] + " They discussed trade."}]))
    found = store.events()
    assert sorted(e["n_mentions"] for e in found) == [1, 2]
    assert {e["place"]["name"] for e in found if e["n_mentions"] == 2} == {"Formosa"}


def test_pages_without_mentions_show_what_the_mentions_give(store: Store) -> None:
    # Reports arriving out of publication order, with different actors and counts, a syndicated
    # copy, a correction and a merge: a page shown without its mentions (the API's and the web
    # page's) reads actors, each source's counts and the sites from lean columns; it must equal
    # the page built from every mention, as the CLI's JSON is.
    url = "https://delta.example/strike"
    add_docs(store, make_doc("c1", "gamma.example", "2025-03-06", [strike("Israeli jets bombed a Hamas target: nine pupils died at the Tal Hawa school.",
                                                                          place={}, targets=[HAMAS], killed=9, injured=4)]))
    add_docs(store, make_doc("a1", "alpha.example", "2025-03-04", [strike("Israeli jets bombed a target overnight.", place={}, targets=[HAMAS])]))
    add_docs(store, make_doc("b1", "beta.example", "2025-03-05", [{"text": "Nine pupils died at the Tal Hawa school, medics said.", "type": "ASSAULT",
                                                                   "sources": [("Hamas", "ORG", "PSE", "org:hamas")], "when": "2025-03-04",
                                                                   "killed": 9}]))
    add_docs(store, make_doc("d1", "delta.example", "2025-03-05", [strike("Israeli jets struck Khan Younis, killing 12.", killed=12)], url=url))
    add_docs(store, make_doc("d2", "delta.example", "2025-03-07", [strike("Israeli jets struck Khan Younis, killing 14.", killed=14, injured=30)],
                             url=url, duplicate_of="d1"))
    add_docs(store, make_doc("e1", "epsilon.example", "2025-03-06", [strike("Israeli jets struck Khan Younis, killing 12.", killed=12)],
                             duplicate_of="d1"))
    add_docs(store, make_doc("f1", "alpha.example", "2025-03-08", [{"text": "Police in Ankara detained 40 protesters.", "type": "COERCE",
                                                                    "place": ANKARA, "when": "2025-03-08"}]))
    for ask in ({}, {"sort": "sources"}, {"sort": "reported"}, {"country": "PSE"}, {"type_": "ASSAULT", "min_sources": 2}):
        full = store.events(**ask)
        assert any(e["counts"] for e in full) and any(len(e["sources"]) + len(e["targets"]) > 1 for e in full)
        assert store.events(**ask, with_mentions=False) == [{k: v for k, v in e.items() if k != "mentions"} for e in full], ask


def test_a_search_walking_the_events_finds_what_listing_the_matches_finds(store: Store, backend: str,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # SQLite answers a search matching many mentions by walking the events and looking each
    # one's mentions up in the matches; both ways must give the same page in the same order.
    for n in range(12):
        day = f"2025-03-{n + 1:02d}"
        add_docs(store, make_doc(f"s{n}", f"site{n % 3}.example", day, [
            strike(f"Israeli jets struck a house in Khan Younis on day {n}, killing {n + 1}.", when=day, killed=n + 1),
            {"text": f"Police in Ankara detained {n + 10} protesters on day {n}.", "type": "COERCE", "place": ANKARA, "when": day}]))
    asks = [{"search": "struck"}, {"search": "detained protesters"}, {"search": "day 3"}, {"search": "nothing like it"},
            {"search": "struck", "country": "PSE"}, {"search": "detained", "sort": "sources"}, {"search": "struck", "limit": 4, "offset": 3}]
    listed = [store.events(**ask, with_mentions=False) for ask in asks]
    assert [len(found) for found in listed] == [12, 12, 3, 0, 12, 12, 4]  # "day 3": also "day 2, killing 3"
    import sitroom.store.sqlite as sqlite_store

    probes: list[str] = []
    real = sqlite_store.evidence_probe
    monkeypatch.setattr(sqlite_store, "evidence_probe", lambda words: probes.append(words) or real(words))
    monkeypatch.setattr("sitroom.store.query._walk_above", lambda conn: 0)
    assert [store.events(**ask, with_mentions=False) for ask in asks] == listed
    assert bool(probes) == (backend == "sqlite")  # the walk was taken (PostgreSQL has its own search)


def _fill_busy(store: Store) -> None:
    """Reports arriving out of order, bridging reports that merge events (one dated before a
    report it moves), a correction and a deletion (which splits)."""
    import random

    rng = random.Random(5)
    places = [KHAN_YUNIS, RAFAH, ANKARA]
    docs = []
    for n in range(36):
        day = 3 + rng.randrange(8)
        place = rng.choice(places)
        kind = "COERCE" if place is ANKARA else "ASSAULT"
        report = {"text": f"Report {n}: forces acted in {place['name']}, {rng.choice(['officials said', 'medics said'])}.",
                  "type": kind, "sources": [rng.choice([ISRAEL, HAMAS])], "place": place if rng.random() < 0.8 else {},
                  "when": f"2025-03-{day:02d}" if rng.random() < 0.7 else None, "killed": rng.choice([None, 3, 4, 9])}
        published = f"2025-03-{day + rng.randrange(3):02d}"
        docs.append(make_doc(f"d{n:02d}", f"site{n % 5}.example", published, [report]))
    rng.shuffle(docs)  # arrival order is not publication order
    # Two reports too different to fuse, then a bridge published before the second: a merge
    # dated before one of the reports it moves.
    docs += [make_doc("a1", "alpha.example", "2025-03-04", [strike("Israeli jets bombed a target overnight.", place={}, targets=[HAMAS])]),
             make_doc("b1", "beta.example", "2025-03-06", [{"text": "Nine pupils died at the Tal Hawa school, medics said.",
                                                            "type": "ASSAULT", "when": "2025-03-04", "killed": 9}]),
             make_doc("c1", "gamma.example", "2025-03-05", [strike("Israeli jets bombed a Hamas target: nine pupils died at the Tal Hawa "
                                                                   "school, medics said.", place={}, targets=[HAMAS], killed=9)])]
    # A meeting announced for a later day: an event dated after its report.
    docs += [make_doc("p1", "alpha.example", "2025-03-05", [{"text": "Officials will meet in Ankara on March 10.", "type": "CONSULT",
                                                            "place": ANKARA, "when": "2025-03-10", "modality": "planned"}])]
    # The same in publication order, two weeks later: the merged event shows apart until the bridge.
    docs += [make_doc("a2", "alpha.example", "2025-03-20", [strike("Israeli jets bombed a target overnight.", when="2025-03-20",
                                                                   place={}, targets=[HAMAS])]),
             make_doc("b2", "beta.example", "2025-03-20", [{"text": "Nine pupils died at the Tal Hawa school, medics said.",
                                                            "type": "ASSAULT", "when": "2025-03-20", "killed": 9}]),
             make_doc("c2", "gamma.example", "2025-03-22", [strike("Israeli jets bombed a Hamas target: nine pupils died at the Tal Hawa "
                                                                   "school, medics said.", when="2025-03-20", place={}, targets=[HAMAS],
                                                                   killed=9)])]
    # Again, arriving latest-first: the older event (first stored) was first reported after the
    # bridge's date, so the merge gives it a report from before its first one.
    docs += [make_doc("b3", "beta.example", "2025-03-27", [{"text": "Nine pupils died at the Tal Hawa school, medics said.",
                                                            "type": "ASSAULT", "when": "2025-03-25", "killed": 9}]),
             make_doc("a3", "alpha.example", "2025-03-25", [strike("Israeli jets bombed a target overnight.", when="2025-03-25",
                                                                   place={}, targets=[HAMAS])]),
             make_doc("c3", "gamma.example", "2025-03-26", [strike("Israeli jets bombed a Hamas target: nine pupils died at the Tal Hawa "
                                                                   "school, medics said.", when="2025-03-25", place={}, targets=[HAMAS],
                                                                   killed=9)])]
    for doc in docs:
        add_docs(store, doc)
    fixed = make_doc("d05fix", docs[5].source.site, "2025-03-12", [{"text": "Report 5 corrected: forces acted in Rafah.", "type": "ASSAULT",
                                                                     "sources": [ISRAEL], "place": RAFAH, "when": "2025-03-06", "killed": 7}],
                     url=docs[5].source.url, duplicate_of=docs[5].doc_id)
    add_docs(store, fixed)
    store.delete_document(docs[9].doc_id)


AS_OF_ASKS = [{}, {"country": "PSE"}, {"type_": "ASSAULT", "country": "ISR"}, {"actor": "hamas"}, {"place": "raf"},
              {"min_sources": 2, "sort": "sources"}, {"sort": "reported", "limit": 5, "offset": 2}, {"date_from": "2025-03-06"}]
AS_OF_DAYS = [f"2025-03-{d:02d}" for d in (*range(2, 15), 20, 21, 22, 23, 25, 26, 27, 28)]


def _as_of_answers(store: Store, with_mentions: bool = True) -> dict[tuple[str, int], list[dict[str, Any]]]:
    return {(day, i): store.events(as_of=day, with_mentions=with_mentions, **ask)
            for day in AS_OF_DAYS for i, ask in enumerate(AS_OF_ASKS)}


def _recomputed(store: Store, monkeypatch: pytest.MonkeyPatch, with_mentions: bool = True) -> dict[tuple[str, int], list[dict[str, Any]]]:
    with monkeypatch.context() as patch:
        patch.setattr("sitroom.store.query.AS_OF_SETTLED", False)
        patch.setattr("sitroom.store.query._as_of_seeds", lambda *args, **kwargs: None)  # every report, every event
        return _as_of_answers(store, with_mentions)


def test_as_of_from_settled_rows_equals_recomputing_every_event(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    # Every as-of answer, read from the rows of the events settled by its day, must equal the
    # full recomputation of every event, with and without mentions.
    # Settled events are read whole while they are few, else walked in page order: both ways.
    _fill_busy(store)
    assert any(h["action"] in ("absorbed", "merged") for e in store.events(limit=100) for h in store.event(e["id"])["history"])
    answers, lean = _as_of_answers(store), _as_of_answers(store, with_mentions=False)
    assert sum(len(found) for found in answers.values()) > 100
    assert answers == _recomputed(store, monkeypatch)
    assert lean == _recomputed(store, monkeypatch, with_mentions=False)
    with monkeypatch.context() as patch:
        patch.setattr("sitroom.store.query.LIST_AT_LEAST", 0)
        patch.setattr("sitroom.store.query.LIST_BALANCE", 0)
        assert _as_of_answers(store) == answers


def test_a_version_5_store_gets_settled_dates_that_answer_alike(db_target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from alembic import command

    from sitroom.store import migrate

    with Store.open(db_target) as opened:
        _fill_busy(opened)
    url = db_target if "://" in db_target else f"sqlite:///{db_target}"
    command.downgrade(migrate.alembic_config(url=url.replace("postgresql://", "postgresql+psycopg://")), "0005")
    with Store.open(db_target) as upgraded:  # revision 0006 fills settled_at from the fusion log
        assert _as_of_answers(upgraded) == _recomputed(upgraded, monkeypatch)


def test_pages_read_from_a_filter_list_equal_pages_walked_in_order(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    # An actor, place or search matching few events is read from its list (each event looked up
    # by key, the few sorted); one matching many is answered by walking every event in page
    # order. Both must give the same pages.
    _fill_busy(store)
    asks = [{"actor": "hamas"}, {"actor": "israel", "sort": "sources"}, {"place": "raf"}, {"place": "ank", "type_": "COERCE"},
            {"search": "forces acted"}, {"actor": "israel", "country": "PSE"}, {"actor": "israel", "min_sources": 2},
            {"place": "raf", "sort": "reported", "offset": 1, "limit": 3}, {"search": "medics", "place": "raf"}]
    listed = [store.events(**ask) for ask in asks]
    assert all(listed[:5])
    import sitroom.store.query as query

    calls: list[bool] = []
    real = query._few
    monkeypatch.setattr(query, "_few", lambda *args: calls.append(real(*args)) or calls[-1])
    monkeypatch.setattr(query, "LIST_AT_LEAST", 0)
    monkeypatch.setattr(query, "LIST_BALANCE", 0)
    assert [store.events(**ask) for ask in asks] == listed
    assert calls and not any(calls)  # every page above was walked this time
