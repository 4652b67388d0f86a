"""The REST API (/api/v1), in process over a store filled with hand-built records (no model needed,
except for the one upload test marked ``model``)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sitroom.api import create_app
from sitroom.api.app import CSP
from sitroom.store import Store
from records import add_docs, make_doc

TOKEN = "s3cret-token"
ISRAEL = ("Israel", "GPE", "ISR", "country:ISR")
HAMAS = ("Hamas", "ORG", "PSE", "org:hamas")
TURKEY = ("Turkey", "GPE", "TUR", "country:TUR")
SYRIA = ("Syria", "GPE", "SYR", "country:SYR")
TEACHERS = ("Teachers Union", "ORG", "TUR", None)
KHAN_YUNIS = {"name": "Khan Younis", "kind": "city", "country": "PSE", "lat": 31.34, "lon": 34.30, "gid": "281133",
              "admin1": "Khan Yunis"}
ANKARA = {"name": "Ankara", "kind": "city", "country": "TUR", "lat": 39.93, "lon": 32.86, "gid": "323786", "admin1": "Ankara"}
XSS = "Protesters chanted <script>alert(1)</script> and <img src=x onerror=alert(2)> outside the ministry in Ankara."


def strike(text: str, when: str | None = "2025-03-04", killed: int | None = None) -> dict[str, Any]:
    return {"text": text, "type": "ASSAULT", "mode": "aerial", "sources": [ISRAEL], "targets": [HAMAS], "when": when,
            "place": KHAN_YUNIS, "killed": killed}


def _fill(path: Path) -> None:
    """Five events: one strike told by two outlets, a meeting, a planned protest, an undated threat, and a
    protest whose evidence holds markup."""
    with Store.open(str(path)) as store:
        add_docs(store, make_doc("a1", "alpha.example", "2025-03-04", [strike("Israeli jets struck a house in Khan Younis, killing at least 13 people.", killed=13)]))
        add_docs(store, make_doc("b1", "beta.example", "2025-03-05", [strike("An Israeli air strike on Khan Younis killed 14 people.", killed=14)]))
        add_docs(store, make_doc("c1", "gamma.example", "2025-03-10", [{"text": "Turkey's foreign minister met his Syrian counterpart in Ankara.",
                                                               "type": "CONSULT", "sources": [TURKEY], "targets": [SYRIA],
                                                               "when": "2025-03-10", "place": ANKARA}]))
        add_docs(store, make_doc("d1", "delta.example", "2025-03-12", [{"text": "The Teachers Union will march in Ankara over pay next week.",
                                                               "type": "PROTEST", "sources": [TEACHERS], "when": "2025-03-19",
                                                               "place": ANKARA, "modality": "planned"}]))
        add_docs(store, make_doc("e1", "gamma.example", "2025-03-11", [{"text": "Syria threatened to close the border with Turkey.",
                                                               "type": "THREATEN", "sources": [SYRIA], "targets": [TURKEY]}]))
        add_docs(store, make_doc("x1", "evil.example", "2025-03-13", [{"text": XSS, "type": "PROTEST", "when": "2025-03-13", "place": ANKARA}]))


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("api") / "api.db"
    _fill(path)
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    """A read-only client (no token: writing is off)."""
    with TestClient(create_app(str(db), token="")) as c:
        yield c


@pytest.fixture
def writer(tmp_path: Path) -> Iterator[TestClient]:
    """A client over its own store, with a write token configured."""
    path = tmp_path / "write.db"
    _fill(path)
    with TestClient(create_app(str(path), token=TOKEN)) as c:
        yield c


def _events(client: TestClient, **params: Any) -> dict[str, Any]:
    r = client.get("/api/v1/events", params=params)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    return r.json()


def _types(client: TestClient, **params: Any) -> list[str]:
    return [e["type"] for e in _events(client, **params)["events"]]


def _error(r: Any, status: int, code: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/json"
    body = r.json()["error"]
    assert body["code"] == code and body["reason"]
    return body


# ------------------------------------------------------------------------------------ events


def test_events_list_is_a_page_with_the_total(client: TestClient) -> None:
    page = _events(client)
    assert (page["total"], page["limit"], page["offset"]) == (5, 50, 0)
    assert [e["type"] for e in page["events"]] == ["PROTEST", "PROTEST", "CONSULT", "ASSAULT", "THREATEN"]  # newest first, undated last
    strike_ = page["events"][3]
    assert "mentions" not in strike_  # fast path: no reports unless asked
    assert strike_["n_sources"] == 2 and strike_["sites"] == ["alpha.example", "beta.example"]
    assert (strike_["counts"]["killed"]["min"], strike_["counts"]["killed"]["max"]) == (13, 14)
    assert [a["name"] for a in strike_["sources"]] == ["Israel"] and [a["name"] for a in strike_["targets"]] == ["Hamas"]
    assert strike_["place"]["name"] == "Khan Younis" and strike_["place"]["lat"] == 31.34


def test_events_with_mentions(client: TestClient) -> None:
    (strike_,) = _events(client, type="ASSAULT", mentions=1)["events"]
    assert [m["site"] for m in strike_["mentions"]] == ["alpha.example", "beta.example"]
    assert strike_["mentions"][0]["evidence"]["text"].startswith("Israeli jets struck")


@pytest.mark.parametrize(("params", "expected"), [
    ({"type": "ASSAULT"}, ["ASSAULT"]),
    ({"type": "assault"}, ["ASSAULT"]),
    ({"modality": "planned"}, ["PROTEST"]),
    ({"country": "pse"}, ["ASSAULT"]),
    ({"country": "SYR"}, ["CONSULT", "THREATEN"]),
    ({"actor": "teachers"}, ["PROTEST"]),
    ({"actor": "israel"}, ["ASSAULT"]),
    ({"q": "counterpart"}, ["CONSULT"]),
    ({"q": "struck house"}, ["ASSAULT"]),
    ({"place": "khan"}, ["ASSAULT"]),
    ({"place": "ank"}, ["PROTEST", "PROTEST", "CONSULT"]),
    ({"from": "2025-03-10"}, ["PROTEST", "PROTEST", "CONSULT"]),
    ({"to": "2025-03-10"}, ["CONSULT", "ASSAULT"]),
    ({"from": "2025-03-05", "to": "2025-03-12"}, ["CONSULT"]),
    ({"min_sources": 2}, ["ASSAULT"]),
    ({"type": "PROTEST", "modality": "asserted"}, ["PROTEST"]),
    ({"q": "", "type": "", "country": "", "from": "", "min_sources": ""}, ["PROTEST", "PROTEST", "CONSULT", "ASSAULT", "THREATEN"]),
])
def test_event_filters(client: TestClient, params: dict[str, Any], expected: list[str]) -> None:
    page = _events(client, **params)
    assert [e["type"] for e in page["events"]] == expected
    assert page["total"] == len(expected)


def test_as_of_shows_what_was_known_and_no_total(client: TestClient) -> None:
    page = _events(client, as_of="2025-03-04")
    assert page["total"] is None
    (strike_,) = page["events"]
    assert strike_["n_sources"] == 1 and strike_["counts"]["killed"]["max"] == 13
    assert _events(client, as_of="2025-03-03")["events"] == []


def test_pagination_and_sort(client: TestClient) -> None:
    everything = [e["id"] for e in _events(client)["events"]]
    page = _events(client, limit=2, offset=1)
    assert [e["id"] for e in page["events"]] == everything[1:3] and page["total"] == 5
    assert _events(client, limit=2, offset=10)["events"] == []
    assert _events(client, limit=100000)["limit"] == 500
    assert _types(client, sort="sources")[0] == "ASSAULT"
    assert _types(client, sort="reported")[0] == "PROTEST"
    assert client.get("/api/v1/events", params={"sort": "loudest"}).status_code == 422
    assert client.get("/api/v1/events", params={"offset": -1}).status_code == 422


@pytest.mark.parametrize(("name", "value"), [("from", "2025-13-01"), ("to", "20250304"), ("as_of", "yesterday"),
                                             ("from", "2025-02-30"), ("to", "2025-W10-1")])
def test_bad_dates_are_coded_errors(client: TestClient, name: str, value: str) -> None:
    for path in ("/api/v1/events", "/api/v1/stats", "/api/v1/network", "/api/v1/places", "/api/v1/export/acled"):
        body = _error(client.get(path, params={name: value}), 400, "E023")
        assert body["input"] == name and value in body["reason"]


@pytest.mark.parametrize("params", [{"type": "BOMBING"}, {"modality": "rumoured"}, {"country": "Syria"}, {"min_sources": "two"},
                                    {"min_sources": "-1"}])
def test_bad_filter_values_are_coded_errors(client: TestClient, params: dict[str, str]) -> None:
    body = _error(client.get("/api/v1/events", params=params), 400, "E025")
    assert body["input"] == next(iter(params))


def test_events_as_csv(client: TestClient) -> None:
    r = client.get("/api/v1/events", params={"type": "ASSAULT", "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 1
    row = rows[0]
    assert row["type"] == "ASSAULT" and row["when"] == "2025-03-04" and row["sources"] == "Israel (ISR)"
    assert row["place"] == "Khan Younis" and row["country"] == "PSE" and row["counts"] == "killed 13-14"
    assert row["sites"] == "alpha.example; beta.example" and row["n_sources"] == "2"
    everything = list(csv.DictReader(io.StringIO(client.get("/api/v1/events", params={"format": "csv"}).text)))
    assert len(everything) == 5


def test_csv_cells_never_run_as_formulas(client: TestClient) -> None:
    from sitroom.api.routes import _csv

    (event,) = _events(client, type="ASSAULT")["events"]
    event["evidence"] = "=HYPERLINK(\"http://evil.example\")"
    (row,) = csv.DictReader(io.StringIO(_csv([event])))
    assert row["evidence"].startswith("'=")


def test_events_as_geojson(client: TestClient) -> None:
    r = client.get("/api/v1/events", params={"format": "geojson"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/geo+json"
    collection = r.json()
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 4  # the undated threat has no place
    strike_ = next(f for f in collection["features"] if f["properties"]["type"] == "ASSAULT")
    assert strike_["geometry"] == {"type": "Point", "coordinates": [34.30, 31.34]}
    assert strike_["properties"]["killed"] == 14


def test_one_event_with_mentions_and_history(client: TestClient) -> None:
    (strike_,) = _events(client, type="ASSAULT")["events"]
    r = client.get(f"/api/v1/events/{strike_['id']}")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    detail = r.json()
    assert detail["id"] == strike_["id"] and len(detail["mentions"]) == 2
    assert detail["history"] and detail["history"][0]["action"] == "created"
    assert client.get("/api/v1/events/999999").status_code == 404
    assert client.get("/api/v1/events/999999").json() == {"detail": "no event 999999"}
    assert client.get("/api/v1/events/abc").status_code == 422


# ------------------------------------------------------------------------------------ actors


def test_actors(client: TestClient) -> None:
    actors = client.get("/api/v1/actors").json()["actors"]
    assert {"Israel", "Hamas", "Turkey", "Syria", "Teachers Union"} <= {a["name"] for a in actors}
    assert [a["name"] for a in client.get("/api/v1/actors", params={"q": "teach"}).json()["actors"]] == ["Teachers Union"]
    assert {a["name"] for a in client.get("/api/v1/actors", params={"country": "tur"}).json()["actors"]} == {"Turkey", "Teachers Union"}
    assert {a["name"] for a in client.get("/api/v1/actors", params={"type": "org"}).json()["actors"]} == {"Hamas", "Teachers Union"}
    assert len(client.get("/api/v1/actors", params={"limit": 2}).json()["actors"]) == 2
    _error(client.get("/api/v1/actors", params={"type": "ALIEN"}), 400, "E025")
    israel = next(a for a in actors if a["name"] == "Israel")
    detail = client.get(f"/api/v1/actors/{israel['id']}").json()
    assert detail["name"] == "Israel" and "Israel" in detail["aliases"]
    assert {d["doc_id"] for d in detail["documents"]} == {"a1", "b1"}
    assert [e["type"] for e in detail["events"]] == ["ASSAULT", "ASSAULT"]
    assert client.get("/api/v1/actors/999999").status_code == 404


# ------------------------------------------------------------------------------------ places


def test_places(client: TestClient) -> None:
    places = client.get("/api/v1/places").json()["places"]
    assert [(p["name"], p["events"]) for p in places] == [("Ankara", 3), ("Khan Younis", 1)]
    assert places[0] == {"name": "Ankara", "country": "TUR", "admin1": "Ankara", "kind": "city", "lat": 39.93,
                         "lon": 32.86, "events": 3}
    assert [(p["name"], p["events"]) for p in client.get("/api/v1/places", params={"type": "PROTEST"}).json()["places"]] == [("Ankara", 2)]
    assert [p["name"] for p in client.get("/api/v1/places", params={"place": "khan"}).json()["places"]] == ["Khan Younis"]
    assert len(client.get("/api/v1/places", params={"limit": 1}).json()["places"]) == 1
    as_of = client.get("/api/v1/places", params={"as_of": "2025-03-20"}).json()["places"]
    assert as_of == places


# --------------------------------------------------------------------------------- documents


def test_documents(client: TestClient) -> None:
    docs = client.get("/api/v1/documents").json()["documents"]
    assert {d["doc_id"] for d in docs} == {"a1", "b1", "c1", "d1", "e1", "x1"}
    assert [d["doc_id"] for d in client.get("/api/v1/documents", params={"site": "gamma.example"}).json()["documents"]] in (["c1", "e1"], ["e1", "c1"])
    assert [d["doc_id"] for d in client.get("/api/v1/documents", params={"q": "counterpart"}).json()["documents"]] == ["c1"]
    assert len(client.get("/api/v1/documents", params={"limit": 2, "offset": 1}).json()["documents"]) == 2
    record = client.get("/api/v1/documents/c1").json()
    assert record["doc_id"] == "c1" and record["article"]["body"].startswith("Turkey's foreign minister")
    assert [e["type"] for e in record["events"]] == ["CONSULT"]
    assert {e["name"] for e in record["entities"]} == {"Turkey", "Syria"}
    assert client.get("/api/v1/documents/nope").status_code == 404


def test_markup_in_a_document_comes_back_as_json_text(client: TestClient) -> None:
    r = client.get("/api/v1/documents/x1")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json" and r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["content-security-policy"] == CSP
    record = r.json()
    assert record["article"]["body"] == XSS  # the text itself, unchanged: escaping is the page's job
    assert record["events"][0]["evidence"]["text"] == XSS
    assert not r.text.lstrip().startswith("<")
    (event,) = _events(client, q="chanted")["events"]
    assert event["evidence"] == XSS


# -------------------------------------------------------------------------------- aggregates


def test_stats(client: TestClient) -> None:
    r = client.get("/api/v1/stats")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    stats = r.json()
    assert stats["total"] == 5
    assert stats["by_type"] == {"PROTEST": 2, "ASSAULT": 1, "CONSULT": 1, "THREATEN": 1}
    assert list(stats["by_type"])[0] == "PROTEST"
    assert stats["by_country"] == {"TUR": 4, "SYR": 2, "ISR": 1, "PSE": 1}
    assert stats["by_day"] == [  # the undated threat is not in it
        {"day": "2025-03-04", "type": "ASSAULT", "n": 1}, {"day": "2025-03-10", "type": "CONSULT", "n": 1},
        {"day": "2025-03-13", "type": "PROTEST", "n": 1}, {"day": "2025-03-19", "type": "PROTEST", "n": 1},
    ]
    filtered = client.get("/api/v1/stats", params={"country": "SYR"}).json()
    assert filtered["total"] == 2 and filtered["by_type"] == {"CONSULT": 1, "THREATEN": 1}
    assert filtered["by_day"] == [{"day": "2025-03-10", "type": "CONSULT", "n": 1}]
    assert client.get("/api/v1/stats", params={"q": "nothing-like-this"}).json() == {"total": 0, "by_type": {}, "by_country": {}, "by_day": []}


def test_stats_as_of_agree_with_the_sql_counts_once_everything_is_known(client: TestClient) -> None:
    now = client.get("/api/v1/stats").json()
    assert client.get("/api/v1/stats", params={"as_of": "2025-03-31"}).json() == now
    early = client.get("/api/v1/stats", params={"as_of": "2025-03-04"}).json()
    assert early["total"] == 1 and early["by_type"] == {"ASSAULT": 1}


def test_stats_leave_out_events_no_longer_active(tmp_path: Path) -> None:
    from sqlalchemy import update

    from sitroom.store.schema import fused_events

    path = tmp_path / "stale.db"
    _fill(path)
    with Store.open(str(path)) as store:
        (strike_,) = store.events(type_="ASSAULT")
        with store._write("test") as conn:  # as a store whose index rows outlived the event would be
            conn.execute(update(fused_events).where(fused_events.c.id == strike_["id"]).values(status="retracted"))
        stats = store.stats()  # no filter: fused_countries counted whole, less the inactive event's rows
        assert stats["total"] == 4 and "ASSAULT" not in stats["by_type"]
        assert stats["by_country"] == {"TUR": 4, "SYR": 2}
        dated = store.stats(date_to="2025-03-31")  # a filter: joined per event (the undated threat is out)
        assert dated["total"] == 3 and dated["by_country"] == {"TUR": 3, "SYR": 1}


def test_network(client: TestClient) -> None:
    net = client.get("/api/v1/network").json()
    names = {n["id"]: n["name"] for n in net["nodes"]}
    assert set(names.values()) == {"Israel", "Hamas", "Turkey", "Syria", "Teachers Union"}
    edges = {(names[e["source"]], names[e["target"]], e["type"]): e for e in net["edges"]}
    assert set(edges) == {("Israel", "Hamas", "ASSAULT"), ("Turkey", "Syria", "CONSULT"), ("Syria", "Turkey", "THREATEN")}
    strike_ = edges[("Israel", "Hamas", "ASSAULT")]
    assert strike_["events"] == 1
    assert strike_["event_ids"] == [e["id"] for e in _events(client, type="ASSAULT")["events"]]
    nodes = {n["name"]: n for n in net["nodes"]}
    assert nodes["Syria"]["events"] == 2 and nodes["Syria"]["country"] == "SYR" and nodes["Syria"]["type"] == "GPE"
    assert net["nodes"][0]["events"] == 2  # most-connected first
    only = client.get("/api/v1/network", params={"type": "CONSULT"}).json()
    assert [(e["type"], e["events"]) for e in only["edges"]] == [("CONSULT", 1)] and len(only["nodes"]) == 2
    newest = client.get("/api/v1/network", params={"limit": 1}).json()  # the newest event: the protest by the union
    assert [n["name"] for n in newest["nodes"]] == ["Teachers Union"] and newest["edges"] == []
    assert client.get("/api/v1/network", params={"as_of": "2025-03-31"}).json() == net


# ----------------------------------------------------------------------------------- exports


@pytest.mark.parametrize(("fmt", "media", "ext"), [
    ("gdelt", "text/tab-separated-values", "tsv"), ("acled", "text/csv", "csv"), ("plover", "application/x-ndjson", "jsonl"),
    ("geojson", "application/geo+json", "geojson"), ("graphml", "application/graphml+xml", "graphml"),
])
def test_exports(client: TestClient, fmt: str, media: str, ext: str) -> None:
    r = client.get(f"/api/v1/export/{fmt}")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(media)
    assert r.headers["content-disposition"] == f"attachment; filename=sitroom-events.{ext}"
    assert r.headers["content-security-policy"] == CSP
    if fmt == "plover":
        lines = [json.loads(line) for line in r.text.splitlines()]
        assert len(lines) == 5
        assert len(client.get(f"/api/v1/export/{fmt}", params={"type": "PROTEST"}).text.splitlines()) == 2
        assert len(client.get(f"/api/v1/export/{fmt}", params={"as_of": "2025-03-04"}).text.splitlines()) == 1
    elif fmt == "geojson":
        assert len(r.json()["features"]) == 4
    elif fmt in ("gdelt", "acled"):
        assert len(r.text.strip().splitlines()) == 6  # a header and five events
    else:
        assert r.text.startswith("<?xml") and r.text.count("<edge ") == 3


def test_unknown_export_format(client: TestClient) -> None:
    r = client.get("/api/v1/export/xlsx")
    assert r.status_code == 404 and "gdelt" in r.json()["detail"]


def test_a_large_export_streams_whole(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitroom.api import streaming

    monkeypatch.setattr(streaming, "CHUNK_CHARS", 16)  # many small chunks through the queue
    whole = client.get("/api/v1/export/plover").text
    assert len(whole.splitlines()) == 5 and all(json.loads(line) for line in whole.splitlines())


# ---------------------------------------------------------------------------------- the app


def test_security_headers_everywhere(client: TestClient) -> None:
    for path in ("/api/v1/events", "/api/v1/events/999999", "/api/v1/stats?from=bad", "/api/v1/openapi.json",
                 "/static/no-such-file.js", "/api/v1/events?format=csv"):
        r = client.get(path)
        assert r.headers["content-security-policy"] == CSP, path
        assert r.headers["x-content-type-options"] == "nosniff", path
        assert r.headers["x-frame-options"] == "DENY", path
    static = Path(__file__).resolve().parents[1] / "sitroom" / "web" / "static"
    shipped = sorted(p for p in static.rglob("*") if p.is_file())
    if shipped:  # a real file too, once the page's assets are there
        r = client.get("/static/" + shipped[0].relative_to(static).as_posix())
        assert r.status_code == 200 and r.headers["content-security-policy"] == CSP


def test_openapi_documents_every_route(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    ours = {path: ops for path, ops in spec["paths"].items() if path.startswith("/api/v1/")}
    expected = {"/api/v1/events", "/api/v1/events/{event_id}", "/api/v1/actors", "/api/v1/actors/{actor_id}",
                "/api/v1/places", "/api/v1/documents", "/api/v1/documents/{doc_id}", "/api/v1/stats", "/api/v1/network",
                "/api/v1/export/{format}", "/api/v1/ingest"}
    assert expected <= set(ours)
    for path, ops in ours.items():
        for method, op in ops.items():
            assert op.get("summary") and len(op.get("description", "")) > 40, (method, path)
    params = {p["name"] for p in ours["/api/v1/events"]["get"]["parameters"]}
    assert {"q", "actor", "country", "type", "modality", "place", "from", "to", "as_of", "min_sources", "sort", "limit",
            "offset", "mentions", "format"} <= params
    assert set(ours["/api/v1/ingest"]["post"]["requestBody"]["content"]) == {"application/json", "multipart/form-data"}


# ---------------------------------------------------------------------------------- writing


def test_writing_is_off_without_a_token(client: TestClient) -> None:
    r = client.delete("/api/v1/documents/a1", headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 403 and "SITROOM_TOKEN" in r.json()["detail"]
    assert client.post("/api/v1/ingest", json={"url": "https://example.com/"}).status_code == 403
    assert client.get("/api/v1/documents/a1").status_code == 200  # nothing was deleted


def test_delete_needs_the_right_token(writer: TestClient) -> None:
    assert writer.delete("/api/v1/documents/a1").status_code == 401
    assert writer.delete("/api/v1/documents/a1", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert writer.delete("/api/v1/documents/a1", headers={"Authorization": TOKEN}).status_code == 401
    assert writer.get("/api/v1/documents/a1").status_code == 200
    (strike_,) = _events(writer, type="ASSAULT")["events"]
    r = writer.delete("/api/v1/documents/a1", headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200 and r.json() == {"doc_id": "a1", "events": [strike_["id"]], "split": []}
    assert writer.get("/api/v1/documents/a1").status_code == 404
    (after,) = _events(writer, type="ASSAULT")["events"]
    assert after["n_sources"] == 1 and after["sites"] == ["beta.example"]
    assert writer.delete("/api/v1/documents/a1", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 404
    r = writer.delete("/api/v1/documents/b1", headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200 and _events(writer, type="ASSAULT")["events"] == []
    assert writer.get(f"/api/v1/events/{strike_['id']}").json()["status"] == "retracted"


def test_ingest_needs_the_right_token(writer: TestClient) -> None:
    assert writer.post("/api/v1/ingest", json={"url": "https://example.com/"}).status_code == 401
    r = writer.post("/api/v1/ingest", json={"url": "https://example.com/"}, headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401


@pytest.mark.parametrize("body", [{"url": "/etc/passwd"}, {"url": "file:///etc/passwd"}, {"url": "ftp://example.com/x"},
                                  {"url": "../sitroom.db"}])
def test_ingest_reads_only_http_urls(writer: TestClient, body: dict[str, str]) -> None:
    r = writer.post("/api/v1/ingest", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    _error(r, 400, "E012")


def test_ingest_rejects_malformed_requests(writer: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    _error(writer.post("/api/v1/ingest", json={"link": "https://example.com/"}, headers=auth), 400, "E025")
    _error(writer.post("/api/v1/ingest", json=["https://example.com/"], headers=auth), 400, "E025")
    _error(writer.post("/api/v1/ingest", content=b"{not json", headers={**auth, "Content-Type": "application/json"}), 400, "E019")
    assert writer.post("/api/v1/ingest", content=b"url", headers={**auth, "Content-Type": "text/plain"}).status_code == 415
    _error(writer.post("/api/v1/ingest", data={"other": "x"}, files={"notfile": ("a.html", b"<p>x</p>")}, headers=auth), 400, "E025")


def test_ingest_refuses_private_addresses(writer: TestClient) -> None:
    r = writer.post("/api/v1/ingest", json={"url": "http://127.0.0.1:9/admin"}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["added"], out["failed"], out["doc_ids"]) == (0, 1, [])
    assert out["errors"][0]["code"] == "E009"


@pytest.mark.model
def test_ingest_an_uploaded_page(writer: TestClient) -> None:
    page = (b"<html><head><title>Strike in Rafah</title></head><body><article><h1>Strike in Rafah</h1>"
            b"<p>RAFAH, March 20, 2025 - Israeli aircraft struck a house in Rafah on Thursday, killing six people, "
            b"the Gaza health ministry said.</p><p>Hamas condemned the attack and said it would respond.</p>"
            b"<p>The Israeli military said it had targeted a militant commander.</p></article></body></html>")
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = writer.post("/api/v1/ingest", files={"file": ("rafah-strike.html", page, "text/html")}, headers=auth)
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["added"], out["unchanged"], out["failed"], out["errors"]) == (1, 0, 0, [])
    (doc_id,) = out["doc_ids"]
    record = writer.get(f"/api/v1/documents/{doc_id}").json()
    assert "Rafah" in record["article"]["body"] and record["events"]
    again = writer.post("/api/v1/ingest", files={"file": ("rafah-strike.html", page, "text/html")}, headers=auth).json()
    assert (again["added"], again["unchanged"], again["doc_ids"]) == (0, 1, [doc_id])
    assert any(d["doc_id"] == doc_id for d in writer.get("/api/v1/documents").json()["documents"])


def test_ingest_without_the_model_is_the_servers_fault(writer: TestClient) -> None:
    from sitroom.config import load_settings

    writer.app.state.settings = load_settings(nlp__model="no_such_spacy_model")
    page = b"<html><body><article><p>Israeli aircraft struck a house in Rafah on Thursday, killing six people.</p></article></body></html>"
    r = writer.post("/api/v1/ingest", files={"file": ("page.html", page, "text/html")}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 503 and r.json()["error"]["code"] == "E016"
    assert {d["doc_id"] for d in writer.get("/api/v1/documents").json()["documents"]} == {"a1", "b1", "c1", "d1", "e1", "x1"}
