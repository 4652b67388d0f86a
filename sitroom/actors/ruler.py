"""Better entity spans than the small model gives alone: an entity ruler and span fixes.

:func:`add_entity_ruler` adds these components to a loaded English pipeline:

``sitroom_entity_ruler`` (a :class:`~sitroom.actors.phrases.PhraseRuler` before ``ner``)
    Patterns from the actor KB (``KB.ruler_patterns()``: countries, IGOs, armed groups, persons)
    and the gazetteer (``sitroom.places.toponym_patterns()``: "Hmeimim", "Sweida" ...). Placed
    before ``ner`` so the model fills the gaps around them and never tags a known place a person.
``sitroom_truecase`` (after ``ner``)
    An all-caps line (a headline, a sports table row) is re-tagged from a re-cased copy of it
    (:class:`TrueCaser`): known names written as the KB and gazetteer write them, common words
    lower-cased. The small model tags "JAPAN GET LUCKY WIN" as one organisation otherwise.
``sitroom_span_fixes`` (after ``ner``)
    General repairs of the model's spans: a leading "the" and trailing possessive, digits or
    punctuation cut off; honorifics and titles cut off a person ("President Vladimir Putin" →
    "Vladimir Putin"; the title is read back by the resolver); a date run into the next clause
    ("Dec. 8, hours") cut at the comma; ethnic and religious group words ("Druze", "Sunni") made
    NORP instead of PERSON/ORG; a place the KB knows only as a person made a PERSON; a city
    beside a score in a results line ("Leeds 2 Chelsea 1") made the ORG it stands for (its team).
``sitroom_groups`` (a ``SpanRuler`` after the fixes, writing ``doc.spans["sitroom_groups"]``)
    Group actors: "Druze fighters", "Sunni Bedouin tribes", "insurgent groups", "armed groups",
    "Syrian government forces". They go to a span group, not ``doc.ents``: they overlap the
    model's NORP entities, and they are actors rather than named entities (the NER benchmarks do
    not annotate them). :func:`sitroom.actors.resolve.resolve_actors` reads both.

What each part is worth on the NER benchmark is printed by ``sitroom eval ner`` (see
``sitroom.eval.ner``); parts that did not help were left out (noted at each constant).
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Any

from spacy.attrs import IS_ALPHA, IS_UPPER, LENGTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from sitroom.actors.dateline import DATELINE_NAME
from sitroom.actors.phrases import FACTORY as PHRASE_FACTORY
from sitroom.actors.sectors import (
    GROUP_ADJECTIVES,
    GROUP_NORP,
    GROUP_NOUNS,
    ORG_GROUP_NOUNS,
    TITLE_LINKS,
    TITLE_MODIFIERS,
    TITLE_SECTORS,
)

log = logging.getLogger(__name__)

RULER_NAME = "sitroom_entity_ruler"
GAPS_NAME = "sitroom_gap_ruler"
FIXES_NAME = "sitroom_span_fixes"
CASING_NAME = "sitroom_truecase"
GROUPS_NAME = "sitroom_groups"
GROUPS_KEY = "sitroom_groups"
# KB pattern labels matched *before* the model (the model then fills around them). Measured on the
# NER benchmark (F1 CoNLL/WikiGold/re3d, span fixes on): ORG before +.001/.000/+.021; PERSON before
# .000/.000/+.002; GPE and NORP before -.003/-.021/-.007 (country names and demonyms cut through
# longer names: "American Airlines", "Bank of England"), so those go *after* the model, where they
# only fill gaps (+.002/.000/+.002), together with the gazetteer's toponyms (before: -.002/-.003/0).
BEFORE_NER_LABELS = frozenset({"ORG", "PERSON"})
# Entity labels the span fixes touch (dates are handled separately).
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"})
# Honorifics cut off a person's span; titles (TITLE_SECTORS/TITLE_MODIFIERS) are cut too, but only
# when they start with a capital and a name of at least one token remains.
HONORIFICS = frozenset(
    "mr mr. mrs mrs. ms ms. dr dr. sir dame lord lady prof prof. rev rev. sen. sen rep. gov. gen. col. lt. maj. capt. sgt. "
    "st. mister madam president".split()
)
# Sport positions and other role nouns that prefix names in news ("Defender Hassan Abbas").
# A closed list of common English role nouns, not names.
EXTRA_TITLES = frozenset(
    "defender midfielder striker goalkeeper forward captain coach manager skipper batsman bowler "
    "champion veteran rookie singer actor actress author writer director producer officer "
    "analyst economist chairman".split()
)
# A line whose number tokens are at least this share of its words is a results or standings line
# ("Leeds 2 Chelsea 1", "FLORIDA 17 4 6 83 53 40"): places followed by a score there are teams.
# Calibrated on CoNLL-2003 sports pages (prose with a score, "won 2-1 in Leeds", stays below it).
SCORE_LINE_NUMBERS = 0.5
# Words after a comma that show a DATE span has run into the next clause ("Dec. 8, hours after").
_DATE_TAIL_OK = re.compile(
    r"\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|spring|summer|autumn|fall|winter",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _kb() -> Any:
    """The actor KB, loaded once per process; ``None`` while the KB module is not there."""
    try:
        from sitroom.actors.kb import load_kb
    except ImportError:
        log.info("sitroom.actors.kb not available: the entity ruler runs without KB patterns")
        return None
    try:
        return load_kb()
    except (OSError, ValueError) as exc:  # the KB data file not built yet
        log.warning("actor KB could not be loaded (%s): the entity ruler runs without KB patterns", exc)
        return None


def kb_patterns() -> list[dict[str, Any]]:
    """The KB's ruler patterns (empty when the KB is not available)."""
    kb = _kb()
    return list(kb.ruler_patterns()) if kb is not None else []


def place_patterns() -> list[dict[str, Any]]:
    """The gazetteer's toponym patterns (empty when the places module is not available)."""
    try:
        from sitroom.places import toponym_patterns
    except ImportError:
        return []
    return list(toponym_patterns())


@lru_cache(maxsize=1)
def _place_labels() -> dict[str, str]:
    """Exact texts the gazetteer or the KB knows as places, countries or demonyms → their label."""
    labels: dict[str, str] = {}
    for pattern in kb_patterns() + place_patterns():
        if pattern["label"] in ("GPE", "LOC", "FAC", "NORP") and isinstance(pattern["pattern"], str):
            labels.setdefault(pattern["pattern"], pattern["label"])
    return labels


def group_patterns() -> list[dict[str, Any]]:
    """SpanRuler patterns for group actors ("Druze fighters", "armed groups", "Syrian government forces").

    A group phrase is: optional group words or demonyms (NORP), optional group adjectives, then a
    group noun; at least one word before the noun.
    """
    noun = {"LOWER": {"IN": sorted(GROUP_NOUNS - ORG_GROUP_NOUNS)}}
    body = {"LOWER": {"IN": sorted(ORG_GROUP_NOUNS)}}
    norp = {"ENT_TYPE": "NORP"}
    groupword = {"LOWER": {"IN": sorted(GROUP_NORP)}}
    adjective = {"LOWER": {"IN": sorted(GROUP_ADJECTIVES)}}
    local = {"LOWER": {"IN": ["local", "rival", "pro", "anti"]}, "OP": "?"}
    return [
        {"label": "NORP", "pattern": [local, norp, {"ENT_TYPE": "NORP", "OP": "*"}, adjective | {"OP": "*"}, noun]},
        {"label": "ORG", "pattern": [local, norp, {"ENT_TYPE": "NORP", "OP": "*"}, adjective | {"OP": "*"}, body]},
        {"label": "NORP", "pattern": [local, groupword, {"LOWER": {"IN": sorted(GROUP_NORP)}, "OP": "*"}, noun]},
        {"label": "ORG", "pattern": [local, adjective, {"LOWER": {"IN": sorted(GROUP_ADJECTIVES)}, "OP": "*"}, noun]},
        {"label": "ORG", "pattern": [local, adjective, {"LOWER": {"IN": sorted(GROUP_ADJECTIVES)}, "OP": "*"}, body]},
    ]


def _is_title(token: Any) -> bool:
    lower = token.lower_
    if lower in HONORIFICS:
        return True
    if not token.text[:1].isupper():
        return False
    return lower in TITLE_SECTORS or lower in TITLE_MODIFIERS or lower in EXTRA_TITLES


def _trim(span: Span) -> tuple[int, int]:
    """Token bounds of ``span`` without a leading determiner/title or trailing possessive/digits."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end - 1 and doc[start].lower_ in ("the", "a", "an"):
        start += 1
    while start < end - 1 and (doc[start].is_punct or doc[start].like_num):
        start += 1
    while end > start + 1 and (doc[end - 1].lower_ in ("'s", "’s", "'", "’") or doc[end - 1].is_punct or doc[end - 1].like_num):
        end -= 1
    if span.label_ == "PERSON":
        while start < end - 1 and _is_title(doc[start]):
            start += 1
        # "Russian Foreign Minister Sergey Lavrov": a capitalised run ending in a title word
        heads = [i for i in range(start, end - 1) if _is_title(doc[i]) and doc[i].lower_ not in TITLE_MODIFIERS]
        if heads:
            k = max(heads)
            lead_ok = all(t.text[:1].isupper() or t.lower_ in TITLE_LINKS or t.text in ("-", "'s", "’s") for t in doc[start:k])
            if lead_ok and doc[k + 1].text[:1].isupper():
                start = k + 1
    return start, end


def _date_end(span: Span) -> int:
    """Where a DATE span should end: at a comma followed by no date word ("Dec. 8, hours")."""
    for token in span:
        if token.text == "," and token.i > span.start:
            tail = span.doc[token.i + 1 : span.end].text
            if not _DATE_TAIL_OK.search(tail):
                return token.i
    return span.end


def _only_person_in_kb(text: str) -> bool:
    """Whether the KB knows ``text`` and only as a person (not a country or place)."""
    kb = _kb()
    if kb is None:
        return False
    try:
        entries = kb.lookup(text)
    except Exception:
        return False
    return bool(entries) and all(getattr(e, "type", "") == "PERSON" for e in entries)


def _is_score_line(doc: Doc) -> bool:
    """Whether a line reads as sports results or a standings row: numbers make up at least
    :data:`SCORE_LINE_NUMBERS` of it and it has two or more."""
    numbers = sum(1 for t in doc if t.is_digit and len(t.text) <= 3)
    words = sum(1 for t in doc if t.is_alpha)
    return numbers >= 2 and numbers >= SCORE_LINE_NUMBERS * max(words, 1)


def _gazetteer_candidates(name: str) -> list[Any]:
    """The gazetteer's entries for a name, most likely first (none when no gazetteer is shipped)."""
    gazetteer = _casing_gazetteer()
    return gazetteer.candidates(name) if gazetteer is not None else []


def _is_city(name: str) -> bool:
    """Whether the most populous place of this name is a city (not a country or a province:
    national teams such as "Japan 2 Syria 1" are written as their country)."""
    found = _gazetteer_candidates(name)
    return bool(found) and found[0].kind == "city"


def _team_position(doc: Doc, end: int) -> bool:
    """Whether a place ending at token ``end`` is followed by a score ("Leeds 2", "Charleroi (
    Belgium ) 9")."""
    j = end
    if j < len(doc) and doc[j].text == "(":
        while j < len(doc) and doc[j].text != ")":
            j += 1
        j += 1
    return j < len(doc) and doc[j].is_digit and len(doc[j].text) <= 3 and not (j + 1 < len(doc) and doc[j + 1].text in ("-", "/"))


def fix_spans(doc: Doc) -> Doc:
    """The ``sitroom_span_fixes`` component: repair the model's entity spans in place."""
    fixed: list[Span] = []
    score_line: list[bool] = []  # whether the line is a results line, worked out on first need

    def is_score_line() -> bool:
        if not score_line:
            score_line.append(_is_score_line(doc))
        return score_line[0]

    for ent in doc.ents:
        label = ent.label_
        start, end = ent.start, ent.end
        if label in NAME_LABELS:
            start, end = _trim(ent)
            words = [t.lower_ for t in doc[start:end] if not t.is_punct]
            if label in ("PERSON", "ORG", "GPE") and words and all(w in GROUP_NORP for w in words):
                label = "NORP"
            elif label in ("GPE", "LOC", "FAC") and _only_person_in_kb(doc[start:end].text):
                label = "PERSON"
            elif label == "PERSON" and doc[start:end].text in _place_labels():
                label = _place_labels()[doc[start:end].text]
            if label in ("GPE", "LOC") and _team_position(doc, end) and is_score_line() and _is_city(doc[start:end].text):
                label = "ORG"  # a city named beside its score is the city's team
        elif label in ("DATE", "TIME"):
            end = _date_end(ent)
        if end > start:
            fixed.append(Span(doc, start, end, label=label, kb_id=ent.kb_id_, span_id=ent.id_))
    taken = {i for span in fixed for i in range(span.start, span.end)}
    for token in doc:
        if token.i not in taken and token.lower_ in GROUP_NORP and token.text[:1].isupper():
            fixed.append(Span(doc, token.i, token.i + 1, label="NORP"))
    doc.ents = sorted(fixed, key=lambda s: s.start)
    return doc


if not Language.has_factory(FIXES_NAME):
    Language.component(FIXES_NAME, func=fix_spans)


# --------------------------------------------------------------------------------------------
# All-caps lines (headlines, sports tables): tag a re-cased copy
# --------------------------------------------------------------------------------------------

# A line is "all caps" when at least this share of its words of 2+ letters are upper case (and it
# has 2 or more such words, or one of 3+ letters: table rows such as "FLORIDA 17 4 6 83").
CAPS_SHARE = 0.75
# A common English word that is also a place is written as a name only when the place is this
# populous (so "FLORIDA", "CALGARY" become names and "SURPRISE" (Arizona, 143k) stays a word).
CASING_PLACE_MIN_POP = 250_000
# Longest known name (words) looked up when re-casing ("LOS ANGELES", "NEW JERSEY").
CASING_MAX_WORDS = 4


@lru_cache(maxsize=1)
def _known_names() -> tuple[dict[str, str], frozenset[str]]:
    """KB and gazetteer-pattern names by lower-cased text → their written form, and exact acronyms."""
    names: dict[str, str] = {}
    acronyms: set[str] = set()
    for pattern in kb_patterns() + place_patterns():
        value = pattern["pattern"]
        if isinstance(value, str):
            if len(value.split()) <= CASING_MAX_WORDS:
                names.setdefault(value.lower(), value)
        elif len(value) == 1 and isinstance(value[0].get("TEXT"), str):
            acronyms.add(value[0]["TEXT"])
    return names, frozenset(acronyms)


@lru_cache(maxsize=1)
def _casing_gazetteer() -> Any:
    try:
        from sitroom.places.gazetteer import load_gazetteer

        return load_gazetteer()
    except (ImportError, OSError, ValueError):
        return None


@lru_cache(maxsize=65536)
def _big_place(name: str) -> bool:
    """Whether the gazetteer has a place of exactly this name that is a country, a first-level
    division or a populous city."""
    found = _gazetteer_candidates(name)
    low = name.lower()
    return any(
        e.name.lower() == low and (e.kind in ("country", "admin1") or e.population >= CASING_PLACE_MIN_POP) for e in found
    )


def is_caps_line(words: list[str]) -> bool:
    """Whether a line's words are (nearly) all upper case: a headline or a table row."""
    lettered = [w for w in words if len(w) >= 2 and w.isalpha()]
    upper = [w for w in lettered if w.isupper()]
    if not upper or len(upper) < CAPS_SHARE * len(lettered):
        return False
    return len(upper) >= 2 or len(upper[0]) >= 3


def _may_be_caps(doc: Doc) -> bool:
    """:func:`is_caps_line` of the doc's words, from its lexeme flags (alphabetic, upper case,
    length) as arrays."""
    if not len(doc):
        return False
    alpha, upper, length = doc.to_array([IS_ALPHA, IS_UPPER, LENGTH]).T
    lettered = (alpha == 1) & (length >= 2)
    capital = lettered & (upper == 1)
    n_upper = int(capital.sum())
    if not n_upper or n_upper < CAPS_SHARE * int(lettered.sum()):
        return False
    return n_upper >= 2 or int(length[capital][0]) >= 3


class TrueCaser:
    """The ``sitroom_truecase`` component: re-tag an all-caps line from a re-cased copy.

    The small model reads "JAPAN GET LUCKY WIN" as one organisation; written "Japan get lucky
    win" it finds Japan. Each upper-case word is written as a known name when the KB or the
    gazetteer knows it ("LOS ANGELES" → "Los Angeles"), kept upper case when it is a known acronym
    or has at most two letters ("UN", "NY"), lower-cased when it is a common English word (the
    model's lemma index, stop words), and title-cased otherwise (a name the model may know).
    The copy has the same tokens, so its entities map back one to one.
    """

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self._common: frozenset[str] | None = None

    def common_words(self) -> frozenset[str]:
        """Lower-case English words from the pipeline's lemmatizer index and stop words."""
        if self._common is None:
            words: set[str] = set(self.nlp.Defaults.stop_words)
            if "lemmatizer" in self.nlp.component_names:
                lookups = getattr(self.nlp.get_pipe("lemmatizer"), "lookups", None)
                if lookups is not None and lookups.has_table("lemma_index"):
                    for values in lookups.get_table("lemma_index").values():
                        words.update(values)
            self._common = frozenset(words)
        return self._common

    def _is_common(self, low: str) -> bool:
        common = self.common_words()
        if low in common:
            return True
        return any(low.endswith(end) and low[: -len(end)] + add in common for end, add in (("s", ""), ("es", ""), ("ies", "y")))

    def recase(self, words: list[str]) -> list[str]:
        """The re-cased words of an all-caps line (same number of words)."""
        names, acronyms = _known_names()
        out = list(words)
        i = 0
        while i < len(words):
            word = words[i]
            if not (word.isupper() and any(c.isalpha() for c in word)):
                i += 1
                continue
            done = False
            for n in range(min(CASING_MAX_WORDS, len(words) - i), 1, -1):
                gram = words[i : i + n]
                if not all(w.isupper() or not w.isalpha() for w in gram):
                    continue
                text = " ".join(gram)
                known = names.get(text.lower())
                if known is None and _big_place(text.title()):
                    known = text.title()
                if known is not None and len(known.split()) == n:
                    out[i : i + n] = known.split()
                    i += n
                    done = True
                    break
            if done:
                continue
            low = word.lower()
            if word in acronyms or (len(word) <= 2 and not self._is_common(low)):
                out[i] = word
            elif low in names and names[low] != low:
                out[i] = names[low]
            elif _big_place(word.title()):
                out[i] = word.title()
            elif self._is_common(low):
                out[i] = low
            else:
                out[i] = word[:1] + word[1:].lower()
            i += 1
        for k, word in enumerate(out):  # the line's first word is capitalised, as in prose
            if word[:1].isalpha():
                out[k] = word[:1].upper() + word[1:]
                break
        return out

    def __call__(self, doc: Doc) -> Doc:
        if not _may_be_caps(doc):  # most lines: decided from the lexeme flags, no Token made
            return doc
        words = [t.text for t in doc]
        if not is_caps_line(words):
            return doc
        cased = Doc(doc.vocab, words=self.recase(words), spaces=[bool(t.whitespace_) for t in doc])
        for name in (RULER_NAME, "ner", GAPS_NAME):
            if name in self.nlp.pipe_names:
                cased = self.nlp.get_pipe(name)(cased)
        doc.ents = [Span(doc, e.start, e.end, label=e.label_, kb_id=e.kb_id_) for e in cased.ents]
        return doc


if not Language.has_factory(CASING_NAME):

    @Language.factory(CASING_NAME)
    def make_truecaser(nlp: Language, name: str) -> TrueCaser:
        """Factory of the ``sitroom_truecase`` component."""
        return TrueCaser(nlp)


def add_entity_ruler(
    nlp: Language, kb: bool = True, places: bool = True, fixes: bool = True, groups: bool = True, casing: bool = True
) -> None:
    """Add the sitroom entity rulers, span fixes and group rules to a loaded English pipeline.

    Idempotent: a pipeline that already has the components is left as it is.

    Args:
        nlp: a pipeline with an ``ner`` component (e.g. from :func:`sitroom.nlp.load_nlp`).
        kb: add the actor KB's patterns.
        places: add the gazetteer's toponym patterns.
        fixes: add the span fixes.
        groups: add the group-actor span ruler.
        casing: add the all-caps re-tagging (:class:`TrueCaser`).

    With a model NER, the wire-dateline component (:mod:`sitroom.actors.dateline`) runs after
    the fixes.
    """
    if any(name in nlp.pipe_names for name in (RULER_NAME, GAPS_NAME, CASING_NAME, FIXES_NAME, GROUPS_NAME, DATELINE_NAME)):
        return
    has_ner = "ner" in nlp.pipe_names
    kb_list = kb_patterns() if kb else []
    before = [p for p in kb_list if p["label"] in BEFORE_NER_LABELS]
    after = [p for p in kb_list if p["label"] not in BEFORE_NER_LABELS] + (place_patterns() if places else [])
    if before:
        ruler = nlp.add_pipe(PHRASE_FACTORY, name=RULER_NAME, before="ner" if has_ner else None)
        ruler.add_patterns(before)  # type: ignore[attr-defined]
    last = "ner" if has_ner else None
    if casing and has_ner:
        nlp.add_pipe(CASING_NAME, after=last)
        last = CASING_NAME
    if after:
        gaps = nlp.add_pipe(PHRASE_FACTORY, name=GAPS_NAME, after=last)
        gaps.add_patterns(after)  # type: ignore[attr-defined]
        last = GAPS_NAME
    if fixes:
        nlp.add_pipe(FIXES_NAME, after=last)
        last = FIXES_NAME
    if has_ner:
        nlp.add_pipe(DATELINE_NAME, after=last)
        last = DATELINE_NAME
    if groups:
        group_ruler = nlp.add_pipe(
            "span_ruler", name=GROUPS_NAME, after=last, config={"spans_key": GROUPS_KEY, "annotate_ents": False, "overwrite": True}
        )
        with nlp.select_pipes(enable=[]):
            group_ruler.add_patterns(group_patterns())  # type: ignore[attr-defined]
