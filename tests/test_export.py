"""Exports of fused events: each format parsed back and checked against hand-built events."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import pytest

from sitroom.export import FORMATS, GDELT_COLUMNS, GDELT_EXTRAS, acled_types, write_export

EVIL = 'Israel struck\tKhan "Younis"\non Tuesday,\r\n <script>alert(1)</script> & more\u2028end'
GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"


def _actor(actor_id: int | None, name: str, country: str | None, sector: str | None,
           typ: str = "ORG") -> dict[str, Any]:
    return {"actor_id": actor_id, "name": name, "country": country, "sector": sector, "type": typ,
            "kb_id": None}


def _mention(mention_id: int, site: str | None, url: str | None, start: int,
             published: str | None = "2025-03-04") -> dict[str, Any]:
    return {"mention_id": mention_id, "doc_id": f"doc{mention_id}", "url": url, "path": None, "site": site,
            "title": "Strike", "published": published,
            "evidence": {"start": start, "end": start + 40, "text": "the evidence"},
            "counts": {"killed": 13, "injured": None, "arrested": None, "size": None},
            "modality": "asserted", "attributed_to": "the health ministry", "when_from": "2025-03-04",
            "when_to": "2025-03-04", "precision": "day", "place_name": "Khan Younis", "confidence": 0.8}


def strike() -> dict[str, Any]:
    """An air strike reported by two sites, with several sources, non-ASCII names, awkward text."""
    return {
        "id": 17, "type": "ASSAULT", "mode": "aerial", "cameo": "195", "modality": "asserted",
        "when_from": "2025-03-04", "when_to": "2025-03-04", "precision": "day",
        "place": {"name": "Ḫān Yūnis", "country": "PSE", "admin1": "Gaza Strip", "lat": 31.34, "lon": 34.30},
        "sources": [_actor(3, "Israel", "ISR", "GOV", "GPE"),
                    _actor(4, "Tsahal <script>&\"\x01", "ISR", "MIL"),
                    _actor(9, "Shin Bet", "ISR", "SPY")],
        "targets": [_actor(5, "Gazaer Zivilisten ü", "PSE", "CVL", "NORP")],
        "counts": {"killed": {"min": 13, "max": 14, "by_source": [
                       {"site": "a.example", "doc_id": "doc1", "value": 13, "qualifier": "at least"},
                       {"site": "b.example", "doc_id": "doc2", "value": 14, "qualifier": None}]},
                   "injured": {"min": 22, "max": 22, "by_source": [
                       {"site": "b.example", "doc_id": "doc2", "value": 22, "qualifier": None}]}},
        "first_reported": "2025-03-04", "last_updated": "2025-03-06T10:15:30+02:00",
        "n_mentions": 4, "n_documents": 3, "n_sources": 2, "sites": ["a.example", "b.example"],
        "confidence": 0.82, "evidence": EVIL,
        "mentions": [_mention(101, "a.example", None, 812),
                     _mention(102, "b.example", "https://b.example/news?id=1&x=<2>", 35)],
    }


def bare() -> dict[str, Any]:
    """A planned meeting with nothing known: no place, actors, dates, CAMEO code or counts."""
    return {
        "id": 18, "type": "CONSULT", "mode": None, "cameo": None, "modality": "planned",
        "when_from": None, "when_to": None, "precision": "unknown", "place": None,
        "sources": [], "targets": [], "counts": {},
        "first_reported": "2025-03-05T01:30:00+03:00", "last_updated": None,
        "n_mentions": 1, "n_documents": 1, "n_sources": 1, "sites": ["c.example"], "confidence": 0.5,
        "evidence": "=HYPERLINK(\"http://evil.example\",\"click\")",
        "mentions": [_mention(103, "c.example", None, 0, published=None)],
    }


def protest() -> dict[str, Any]:
    """A US protest with arrests; its place has no kind (a state: name equals admin1), one source
    has no store id, there is no target."""
    return {
        "id": 19, "type": "PROTEST", "mode": "demonstrate", "cameo": "141", "modality": "claimed",
        "when_from": "2025-02-24", "when_to": "2025-03-02", "precision": "week",
        "place": {"name": "Oregon", "country": "USA", "admin1": "Oregon", "lat": 44.0, "lon": -120.5},
        "sources": [_actor(7, "Protesters", "USA", "OPP"), _actor(None, "Students", "USA", "EDU")],
        "targets": [],
        "counts": {"arrested": {"min": 20, "max": 25, "by_source": []}},
        "first_reported": "2025-03-01", "last_updated": "2025-03-02",
        "n_mentions": 2, "n_documents": 2, "n_sources": 1, "sites": ["d.example"], "confidence": 0.7,
        "evidence": "Thousands marched.", "mentions": [],
    }


def clash() -> dict[str, Any]:
    """Army-rebel clashes over several days, located only by country, killed count unknown."""
    return {
        "id": 20, "type": "ASSAULT", "mode": "clashes", "cameo": "190", "modality": "asserted",
        "when_from": "2025-03-01", "when_to": "2025-03-05", "precision": "interval",
        "place": {"name": "Syria", "country": "SYR", "admin1": None, "lat": 35.0, "lon": 38.0},
        "sources": [_actor(11, "Syrian army", "SYR", "MIL")],
        "targets": [_actor(12, "Druze fighters", "SYR", "REB"), _actor(3, "Israel", "ISR", "GOV", "GPE")],
        "counts": {}, "first_reported": "2025-03-02", "last_updated": "2025-03-05",
        "n_mentions": 1, "n_documents": 1, "n_sources": 1, "sites": [], "confidence": 0.6,
        "evidence": "Clashes went on.", "mentions": [],
    }


def _export(fmt: str, events: list[dict[str, Any]]) -> tuple[int, str]:
    buf = io.StringIO()
    count = write_export(events, fmt, buf)
    return count, buf.getvalue()


def test_formats_and_unknown_format() -> None:
    assert set(FORMATS) == {"gdelt", "acled", "plover", "geojson", "graphml"}
    buf = io.StringIO()
    with pytest.raises(ValueError, match="csv"):
        write_export([strike()], "csv", buf)
    assert buf.getvalue() == ""


@pytest.mark.parametrize("fmt", ["gdelt", "acled", "plover", "geojson"])
def test_streaming_writes_each_event_before_reading_the_next(fmt: str) -> None:
    buf = io.StringIO()
    seen: list[int] = []

    def events() -> Iterator[dict[str, Any]]:
        yield strike()
        seen.append(len(buf.getvalue()))
        yield clash()

    assert write_export(events(), fmt, buf) == 2
    assert "31.34" in buf.getvalue()[:seen[0]]  # the first event was out before the second was read
    assert "Syrian army" in buf.getvalue()[seen[0]:]


# --- GDELT ---------------------------------------------------------------------------------------


def _gdelt(events: list[dict[str, Any]]) -> tuple[int, str, list[dict[str, str]]]:
    count, text = _export("gdelt", events)
    rows = list(csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
    header = rows[0]
    assert all(len(r) == len(header) for r in rows)
    return count, text, [dict(zip(header, r)) for r in rows[1:]]


def test_gdelt_columns_and_mapping() -> None:
    count, text, rows = _gdelt([strike(), bare()])
    assert count == 2
    assert len(text.splitlines()) == 3  # header + 2: no field breaks a line for any reader
    header = text.split("\n", 1)[0].split("\t")
    assert header[:61] == list(GDELT_COLUMNS) and header[61:] == list(GDELT_EXTRAS)
    assert header[26:28] == ["EventCode", "EventBaseCode"] and header[59:61] == ["DATEADDED", "SOURCEURL"]
    row = rows[0]
    assert row["GLOBALEVENTID"] == "17" and row["SQLDATE"] == "20250304"
    assert row["MonthYear"] == "202503" and row["Year"] == "2025" and row["FractionDate"] == "2025.1726"
    assert (row["Actor1Code"], row["Actor1Name"], row["Actor1CountryCode"], row["Actor1Type1Code"]) == (
        "ISRGOV", "Israel", "ISR", "GOV")
    assert (row["Actor2Code"], row["Actor2Name"], row["Actor2Type1Code"]) == ("PSECVL", "Gazaer Zivilisten ü", "CVL")
    assert (row["EventCode"], row["EventBaseCode"], row["EventRootCode"]) == ("195", "195", "19")
    assert row["QuadClass"] == "4" and row["GoldsteinScale"] == "-10.0"
    assert (row["NumMentions"], row["NumSources"], row["NumArticles"]) == ("4", "2", "3")
    assert row["IsRootEvent"] == "1"  # the b.example mention starts at 35, in the lead
    assert row["AvgTone"] == "" and row["Actor1Geo_Type"] == ""
    assert row["ActionGeo_Type"] == "4"  # a world city
    assert row["ActionGeo_FullName"] == "Ḫān Yūnis, Gaza Strip, Palestine"
    assert (row["ActionGeo_CountryCode"], row["ActionGeo_ADM1Code"]) == ("PSE", "Gaza Strip")
    assert (row["ActionGeo_Lat"], row["ActionGeo_Long"]) == ("31.34", "34.3")
    assert row["DATEADDED"] == "20250306081530"  # UTC
    assert row["SOURCEURL"] == "https://b.example/news?id=1&x=<2>"  # first mention with a URL
    assert (row["PLOVERType"], row["PLOVERMode"], row["Modality"], row["Fatalities"]) == (
        "ASSAULT", "aerial", "asserted", "14")
    assert row["Evidence"] == 'Israel struck Khan "Younis" on Tuesday,   <script>alert(1)</script> & more end'


def test_gdelt_event_with_nothing_known_gives_empty_cells() -> None:
    _, _, rows = _gdelt([bare()])
    row = rows[0]
    assert row["SQLDATE"] == "20250305"  # first_reported, the day as written (not UTC)
    assert row["Actor1Code"] == row["Actor1Name"] == row["Actor2Code"] == ""
    assert row["EventCode"] == row["EventRootCode"] == row["GoldsteinScale"] == ""
    assert row["QuadClass"] == "1"  # CONSULT: verbal cooperation, from the PLOVER quad table
    assert row["IsRootEvent"] == "1" and row["DATEADDED"] == "" and row["SOURCEURL"] == ""
    assert row["ActionGeo_Type"] == row["ActionGeo_FullName"] == row["ActionGeo_Lat"] == ""
    assert row["Fatalities"] == ""  # no report is not zero


def test_gdelt_geo_types_and_four_digit_cameo() -> None:
    agree = {**clash(), "id": 21, "type": "AGREE", "mode": "ceasefire", "cameo": "0871"}
    _, _, rows = _gdelt([protest(), clash(), agree])
    assert rows[0]["ActionGeo_Type"] == "2"  # a US state
    assert rows[0]["IsRootEvent"] == ""  # no mention offsets
    assert rows[0]["DATEADDED"] == "20250302000000"
    assert rows[1]["ActionGeo_Type"] == "1" and rows[1]["ActionGeo_FullName"] == "Syria"
    assert (rows[2]["EventCode"], rows[2]["EventBaseCode"], rows[2]["EventRootCode"]) == ("0871", "087", "08")
    assert rows[2]["QuadClass"] == "2" and rows[2]["GoldsteinScale"] == "5.0"


def test_superseded_mentions_give_no_source_url_but_are_kept_in_plover() -> None:
    corrected = _mention(104, "e.example", "https://e.example/old", 5)
    corrected.update(reported_at="2025-03-04", superseded_at="2025-03-05", duplicate_of=None)
    event = {**strike(), "contested": True, "mentions": [corrected, *strike()["mentions"]]}
    _, _, rows = _gdelt([event])
    assert rows[0]["SOURCEURL"] == "https://b.example/news?id=1&x=<2>"
    assert rows[0]["IsRootEvent"] == "1"
    record = json.loads(_export("plover", [event])[1])
    assert record["sitroom"]["contested"] is True
    first = record["sitroom"]["mentions"][0]
    assert (first["url"], first["superseded_at"], first["duplicate_of"]) == ("https://e.example/old", "2025-03-05", None)
    assert "superseded_at" not in record["sitroom"]["mentions"][1]  # marks only when the store gives them


# --- ACLED ---------------------------------------------------------------------------------------


def _acled(events: list[dict[str, Any]]) -> tuple[int, list[dict[str, str]]]:
    count, text = _export("acled", events)
    return count, list(csv.DictReader(io.StringIO(text)))


def test_acled_mapping() -> None:
    count, rows = _acled([strike(), bare(), protest(), clash()])
    assert count == 4
    s, b, p, c = rows
    assert (s["event_id_cnty"], s["event_date"], s["year"], s["time_precision"]) == ("SR17", "2025-03-04", "2025", "1")
    assert (s["disorder_type"], s["event_type"], s["sub_event_type"]) == (
        "Political violence", "Explosions/Remote violence", "Air/drone strike")
    assert s["actor1"] == "Israel" and s["assoc_actor_1"] == 'Tsahal <script>&"\x01; Shin Bet'
    assert s["actor2"] == "Gazaer Zivilisten ü" and s["assoc_actor_2"] == ""
    assert (s["inter1"], s["inter2"], s["interaction"]) == ("8", "7", "78")  # Israel acting in Palestine
    assert s["civilian_targeting"] == "Civilian targeting"
    assert (s["country"], s["admin1"], s["location"]) == ("Palestine", "Gaza Strip", "Ḫān Yūnis")
    assert (s["latitude"], s["longitude"], s["geo_precision"]) == ("31.34", "34.3", "1")
    assert s["source"] == "a.example; b.example" and s["source_scale"] == ""
    assert s["notes"] == EVIL  # CSV quoting keeps tabs, quotes and newlines
    assert s["fatalities"] == "13" and s["sitroom_fatalities_max"] == "14"  # ACLED: most conservative
    assert (s["sitroom_modality"], s["sitroom_sources_n"], s["sitroom_country_iso3"]) == ("asserted", "2", "PSE")

    assert b["event_date"] == "2025-03-05" and b["time_precision"] == "3"
    assert (b["event_type"], b["sub_event_type"]) == ("Strategic developments", "Other")
    assert b["actor1"] == b["country"] == b["latitude"] == b["geo_precision"] == b["interaction"] == ""
    assert b["fatalities"] == "0"
    assert b["notes"] == "'=HYPERLINK(\"http://evil.example\",\"click\")"  # no formula for spreadsheets

    assert (p["disorder_type"], p["event_type"], p["sub_event_type"]) == (
        "Demonstrations", "Protests", "Protest with intervention")
    assert (p["inter1"], p["inter2"], p["interaction"]) == ("6", "", "60")
    assert p["time_precision"] == "2" and p["geo_precision"] == "3" and p["country"] == "United States"
    assert p["assoc_actor_1"] == "Students" and p["source"] == "d.example"

    assert (c["event_type"], c["sub_event_type"]) == ("Battles", "Armed clash")
    assert c["time_precision"] == "2"  # a five-day interval
    assert (c["actor2"], c["assoc_actor_2"]) == ("Druze fighters", "Israel")
    assert (c["inter1"], c["inter2"], c["interaction"]) == ("1", "2", "12")
    assert c["source"] == "" and c["fatalities"] == "0"


@pytest.mark.parametrize(("typ", "mode", "targets", "counts", "expected"), [
    ("ASSAULT", "firearms", [_actor(1, "villagers", "NGA", "CVL")], {},
     ("Political violence", "Violence against civilians", "Attack")),
    ("ASSAULT", "firearms", [_actor(1, "soldiers", "NGA", "MIL")], {},
     ("Political violence", "Battles", "Armed clash")),
    ("ASSAULT", "kill", [_actor(1, "Nigeria", "NGA", None, "GPE")], {},
     ("Political violence", "Battles", "Armed clash")),
    ("ASSAULT", "clashes", [], {}, ("Political violence", "Battles", "Armed clash")),
    ("ASSAULT", "clashes", [_actor(1, "protesters", "NGA", "OPP")], {},
     ("Political violence", "Violence against civilians", "Attack")),
    ("ASSAULT", None, [], {}, ("Political violence", "Violence against civilians", "Attack")),
    ("ASSAULT", "shelling", [], {}, ("Political violence", "Explosions/Remote violence",
                                     "Shelling/artillery/missile attack")),
    ("ASSAULT", "explosives", [], {}, ("Political violence", "Explosions/Remote violence",
                                       "Remote explosive/landmine/IED")),
    ("ASSAULT", "abduct", [], {}, ("Political violence", "Violence against civilians",
                                   "Abduction/forced disappearance")),
    ("ASSAULT", "occupy", [], {}, ("Political violence", "Battles", "Non-state actor overtakes territory")),
    ("PROTEST", "riot", [], {}, ("Demonstrations", "Riots", "Violent demonstration")),
    ("PROTEST", None, [], {}, ("Demonstrations", "Protests", "Peaceful protest")),
    ("PROTEST", "demonstrate", [], {"killed": {"min": 2, "max": 3}},
     ("Political violence; Demonstrations", "Protests", "Excessive force against protesters")),
    ("COERCE", "arrest", [], {}, ("Strategic developments", "Strategic developments", "Arrests")),
    ("COERCE", "raid", [], {"arrested": {"min": 4, "max": 4}},
     ("Strategic developments", "Strategic developments", "Arrests")),
    ("COERCE", "raid", [], {}, ("Strategic developments", "Strategic developments", "Other")),
    ("COERCE", "seize", [], {}, ("Strategic developments", "Strategic developments",
                                 "Looting/property destruction")),
    ("AGREE", "ceasefire", [], {}, ("Strategic developments", "Strategic developments", "Agreement")),
    ("MOBILIZE", "troops", [], {}, ("Strategic developments", "Strategic developments",
                                    "Change to group/activity")),
    ("CONSULT", "meet", [], {}, ("Strategic developments", "Strategic developments", "Other")),
])
def test_acled_type_table(typ: str, mode: str | None, targets: list[dict[str, Any]],
                          counts: dict[str, Any], expected: tuple[str, str, str]) -> None:
    event = {"type": typ, "mode": mode, "sources": [_actor(2, "gunmen", None, "UAF")], "targets": targets,
             "counts": counts}
    assert acled_types(event) == expected


def test_acled_occupation_by_a_state() -> None:
    event = {"type": "ASSAULT", "mode": "occupy", "sources": [_actor(1, "Israel", "ISR", None, "GPE")],
             "targets": []}
    assert acled_types(event)[1:] == ("Battles", "Government regains territory")


# --- PLOVER --------------------------------------------------------------------------------------


def test_plover_json_lines() -> None:
    count, text = _export("plover", [strike(), bare()])
    assert count == 2
    assert len(text.splitlines()) == 2  # U+2028 in the evidence is escaped
    assert "\u2028" not in text and "\\u2028" in text
    assert "Ḫān Yūnis" in text  # non-ASCII written as is
    first, second = (json.loads(line) for line in text.splitlines())
    assert (first["event_id"], first["event_date"], first["end_date"]) == (17, "2025-03-04", "2025-03-04")
    assert (first["event_type"], first["mode"], first["context"], first["quad_code"]) == ("ASSAULT", "aerial", [], 4)
    assert (first["source_actor"], first["source_country"], first["source_agent"]) == ("Israel", "ISR", "GOV")
    assert (first["target_actor"], first["target_agent"]) == ("Gazaer Zivilisten ü", "CVL")
    assert (first["country"], first["admin1"], first["location"]) == ("PSE", "Gaza Strip", "Ḫān Yūnis")
    assert first["geo"] == {"lat": 31.34, "lon": 34.3}
    assert first["event_text"] == EVIL
    extra = first["sitroom"]
    assert extra["modality"] == "asserted" and extra["n_sources"] == 2 and extra["cameo"] == "195"
    assert extra["counts"]["killed"]["by_source"][0] == {"site": "a.example", "doc_id": "doc1", "value": 13,
                                                         "qualifier": "at least"}
    assert [a["name"] for a in extra["sources"]] == ["Israel", 'Tsahal <script>&"\x01', "Shin Bet"]
    assert extra["sources"][1]["agent"] == "MIL"
    assert [m["doc_id"] for m in extra["mentions"]] == ["doc101", "doc102"]
    assert extra["mentions"][1]["url"] == "https://b.example/news?id=1&x=<2>"
    assert extra["mentions"][0]["evidence"] == {"start": 812, "end": 852, "text": "the evidence"}
    assert extra["mentions"][0]["attributed_to"] == "the health ministry"
    assert second["event_date"] == "2025-03-05" and second["end_date"] is None
    assert second["source_actor"] is None and second["geo"] is None and second["location"] is None
    assert second["sitroom"]["counts"] == {} and second["sitroom"]["sources"] == []


def test_plover_sectors_use_plover_spelling() -> None:
    event = {**bare(), "sources": [_actor(1, "Al Jazeera", "QAT", "MED")],
             "targets": [_actor(2, "doctors", "PSE", "HLH")]}
    record = json.loads(_export("plover", [event])[1])
    assert (record["source_agent"], record["target_agent"]) == ("JRN", "MED")


# --- GeoJSON -------------------------------------------------------------------------------------


def test_geojson_features() -> None:
    no_coords = {**strike(), "id": 22, "place": {"name": "Somewhere", "country": "PSE", "admin1": None,
                                                 "lat": None, "lon": None}}
    nan_coords = {**strike(), "id": 23, "place": {**strike()["place"], "lat": float("nan")}}
    count, text = _export("geojson", [strike(), bare(), no_coords, nan_coords, protest()])
    data = json.loads(text)
    assert count == 2
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 2
    first, second = data["features"]
    assert first["type"] == "Feature" and first["geometry"] == {"type": "Point", "coordinates": [34.3, 31.34]}
    props = first["properties"]
    assert (props["id"], props["type"], props["mode"], props["modality"]) == (17, "ASSAULT", "aerial", "asserted")
    assert (props["date_from"], props["date_to"], props["place"], props["country"]) == (
        "2025-03-04", "2025-03-04", "Ḫān Yūnis", "PSE")
    assert props["sources"] == ["Israel", 'Tsahal <script>&"\x01', "Shin Bet"]
    assert props["targets"] == ["Gazaer Zivilisten ü"]
    assert props["killed"] == 14 and props["n_sources"] == 2 and props["evidence"] == EVIL
    assert second["geometry"]["coordinates"] == [-120.5, 44.0]
    assert second["properties"]["killed"] is None and second["properties"]["targets"] == []


def test_geojson_empty_is_valid() -> None:
    count, text = _export("geojson", [bare()])
    assert count == 0 and json.loads(text) == {"type": "FeatureCollection", "features": []}


# --- GraphML -------------------------------------------------------------------------------------


def test_graphml_nodes_edges_and_keys() -> None:
    count, text = _export("graphml", [strike(), bare(), protest(), clash()])
    assert count == 2  # the strike and the clash have edges; the meeting and the protest none
    root = ET.fromstring(text.encode("utf-8"))
    keys = {k.get("id"): (k.get("for"), k.get("attr.name"), k.get("attr.type")) for k in root.iter(f"{GRAPHML_NS}key")}
    assert keys["e_weight"] == ("edge", "weight", "double") and keys["n_label"] == ("node", "label", "string")
    graph = root.find(f"{GRAPHML_NS}graph")
    assert graph is not None and graph.get("edgedefault") == "directed"

    def data(element: ET.Element) -> dict[str, str | None]:
        out = {}
        for d in element.findall(f"{GRAPHML_NS}data"):
            domain, name, _ = keys[d.get("key") or ""]
            assert domain == element.tag.removeprefix(GRAPHML_NS)  # each value's key is declared for it
            out[name] = d.text
        return out

    nodes = {n.get("id"): data(n) for n in graph.findall(f"{GRAPHML_NS}node")}
    assert set(nodes) == {"a3", "a4", "a9", "a5", "a11", "a12", "a7"}  # "Students" has no store id
    assert nodes["a4"]["name"] == 'Tsahal <script>&"'  # escaped; the control character dropped
    assert nodes["a5"] == {"label": "Gazaer Zivilisten ü", "name": "Gazaer Zivilisten ü", "country": "PSE",
                           "sector": "CVL", "type": "NORP"}
    edges = [(e.get("source"), e.get("target"), data(e)) for e in graph.findall(f"{GRAPHML_NS}edge")]
    assert len({e.get("id") for e in graph.findall(f"{GRAPHML_NS}edge")}) == len(edges) == 5
    assert [(s, t) for s, t, _ in edges] == [("a3", "a5"), ("a4", "a5"), ("a9", "a5"), ("a11", "a12"), ("a11", "a3")]
    first = edges[0][2]
    assert first == {"label": "ASSAULT", "event_id": "17", "type": "ASSAULT", "mode": "aerial", "cameo": "195",
                     "date": "2025-03-04", "modality": "asserted", "n_sources": "2", "weight": "1.0"}
    assert edges[3][2]["date"] == "2025-03-01" and edges[3][2]["cameo"] == "190"


def test_graphml_empty() -> None:
    count, text = _export("graphml", [])
    root = ET.fromstring(text)
    assert count == 0 and root.find(f"{GRAPHML_NS}graph") is not None
