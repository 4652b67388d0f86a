"""The phrase ruler: the same entities as spaCy's EntityRuler, and its tokenization cache."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Span

from sitroom.actors import phrases
from sitroom.actors.phrases import FACTORY, PhraseRuler, tokenize_texts

PATTERNS = [
    {"label": "ORG", "pattern": "Free Syrian Army", "id": "org:fsa"},
    {"label": "GPE", "pattern": "Syria", "id": "country:SYR"},
    {"label": "ORG", "pattern": "Syrian Army"},
    {"label": "GPE", "pattern": "United Arab Emirates", "id": "country:ARE"},
    {"label": "GPE", "pattern": "United Arab Emirates", "id": "sitroom:uae"},  # same text and label, two ids
    {"label": "GPE", "pattern": "Emirates", "id": "country:ARE"},
    {"label": "ORG", "pattern": "Abu Dhabi Investment Authority"},
    {"label": "GPE", "pattern": "Abu Dhabi"},
    {"label": "ORG", "pattern": "Dhabi Investment"},  # as long as "Abu Dhabi", overlapping it
    {"label": "LOC", "pattern": "al-Tanf", "id": "base:tanf"},  # the tokenizer splits the hyphen
    {"label": "GPE", "pattern": "U.S.", "id": "country:USA"},
    {"label": "ORG", "pattern": [{"TEXT": "UN"}], "id": "org:un"},
    {"label": "ORG", "pattern": [{"TEXT": "NATO"}]},
    {"label": "PERSON", "pattern": "Ahmed al-Sharaa", "id": "person:sharaa"},
]
WORDS = ["Free", "Syrian", "Army", "Syria", "United", "Arab", "Emirates", "Abu", "Dhabi", "Investment", "Authority",
         "al-Tanf", "U.S.", "UN", "un", "NATO", "Ahmed", "al-Sharaa", "the", "said", "in", ",", "."]


@pytest.fixture()
def nlp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> spacy.language.Language:
    monkeypatch.setenv(phrases.CACHE_ENV, str(tmp_path / "cache"))
    return spacy.blank("en")


def _pair(nlp: spacy.language.Language) -> tuple[object, object]:
    ours = nlp.add_pipe(FACTORY, name="ours")
    ours.add_patterns(PATTERNS)
    theirs = nlp.add_pipe("entity_ruler", name="theirs", config={"overwrite_ents": False})
    theirs.add_patterns(PATTERNS)
    return ours, theirs


def _ents(doc: spacy.tokens.Doc) -> list[tuple[int, int, str, str]]:
    return [(e.start, e.end, e.label_, e.id_) for e in doc.ents]


def test_same_entities_as_entity_ruler_on_random_text(nlp: spacy.language.Language) -> None:
    ours, theirs = _pair(nlp)
    rng = random.Random(3)
    for n in range(400):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 14)))
        a, b = nlp.make_doc(text), nlp.make_doc(text)
        if n % 3 == 0 and len(a) > 2:  # an entity already there (as the model's would be) is kept
            start = rng.randrange(len(a) - 1)
            a.ents = [Span(a, start, start + 2, label="DATE")]
            b.ents = [Span(b, start, start + 2, label="DATE")]
        assert _ents(ours(a)) == _ents(theirs(b)), text


def test_longest_match_wins_and_ids_are_kept(nlp: spacy.language.Language) -> None:
    ours, _ = _pair(nlp)
    doc = ours(nlp.make_doc("The Free Syrian Army left al-Tanf, the UN said; un is French."))
    assert [(e.text, e.label_, e.id_) for e in doc.ents] == [
        ("Free Syrian Army", "ORG", "org:fsa"), ("al-Tanf", "LOC", "base:tanf"), ("UN", "ORG", "org:un")]
    end = ours(nlp.make_doc("Talks with Abu Dhabi"))  # a pattern ending the document
    assert [e.text for e in end.ents] == ["Abu Dhabi"]
    tie = ours(nlp.make_doc("Abu Dhabi Investment funds"))  # equally long: the leftmost
    assert [e.text for e in tie.ents] == ["Abu Dhabi"]


def test_other_token_patterns_are_refused(nlp: spacy.language.Language) -> None:
    ruler = PhraseRuler(nlp)
    with pytest.raises(ValueError, match="one-token TEXT"):
        ruler.add_patterns([{"label": "ORG", "pattern": [{"LOWER": "un"}]}])


def test_tokenizations_are_cached_and_a_bad_cache_is_rebuilt(nlp: spacy.language.Language, tmp_path: Path) -> None:
    texts = ["al-Tanf", "U.S. Army", "Abu Dhabi"]
    first = tokenize_texts(nlp, texts)
    assert first == [["al", "-", "Tanf"], ["U.S.", "Army"], ["Abu", "Dhabi"]]
    [cached] = list((tmp_path / "cache").glob("phrases-*.json"))

    calls: list[int] = []
    real = type(nlp.tokenizer).pipe

    class Counting:
        def __init__(self, tokenizer: object) -> None:
            self.tokenizer = tokenizer

        def pipe(self, texts: list[str]) -> object:
            calls.append(len(texts))
            return real(self.tokenizer, texts)

    fresh = spacy.blank("en")
    fresh.tokenizer = Counting(fresh.tokenizer)  # type: ignore[assignment]
    assert tokenize_texts(fresh, texts) == first and calls == []
    cached.write_text("[1, 2", encoding="utf-8")  # a half-written or damaged file
    assert tokenize_texts(fresh, texts) == first and calls == [3]
    assert tokenize_texts(fresh, texts + ["Syria"])[-1] == ["Syria"]  # other texts: another key


def test_an_unwritable_cache_only_costs_time(nlp: spacy.language.Language, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv(phrases.CACHE_ENV, str(blocker / "cache"))
    assert tokenize_texts(nlp, ["Abu Dhabi"]) == [["Abu", "Dhabi"]]
