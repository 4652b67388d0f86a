"""Better entity spans than the small model gives alone: an entity ruler and span fixes.

:func:`add_entity_ruler` adds three components to a loaded English pipeline:

``sitroom_entity_ruler`` (an ``EntityRuler`` before ``ner``)
    Patterns from the actor KB (``KB.ruler_patterns()``: countries, IGOs, armed groups, persons)
    and the gazetteer (``sitroom.places.toponym_patterns()``: "Hmeimim", "Sweida" ...). Placed
    before ``ner`` so the model fills the gaps around them and never tags a known place a person.
``sitroom_span_fixes`` (after ``ner``)
    General repairs of the model's spans: a leading "the" and trailing possessive, digits or
    punctuation cut off; honorifics and titles cut off a person ("President Vladimir Putin" →
    "Vladimir Putin"; the title is read back by the resolver); a date run into the next clause
    ("Dec. 8, hours") cut at the comma; ethnic and religious group words ("Druze", "Sunni") made
    NORP instead of PERSON/ORG; a place the KB knows only as a person made a PERSON.
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

from spacy.language import Language
from spacy.tokens import Doc, Span

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


def fix_spans(doc: Doc) -> Doc:
    """The ``sitroom_span_fixes`` component: repair the model's entity spans in place."""
    fixed: list[Span] = []
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


def add_entity_ruler(nlp: Language, kb: bool = True, places: bool = True, fixes: bool = True, groups: bool = True) -> None:
    """Add the sitroom entity rulers, span fixes and group rules to a loaded English pipeline.

    Idempotent: a pipeline that already has the components is left as it is.

    Args:
        nlp: a pipeline with an ``ner`` component (e.g. from :func:`sitroom.nlp.load_nlp`).
        kb: add the actor KB's patterns.
        places: add the gazetteer's toponym patterns.
        fixes: add the span fixes.
        groups: add the group-actor span ruler.
    """
    if any(name in nlp.pipe_names for name in (RULER_NAME, GAPS_NAME, FIXES_NAME, GROUPS_NAME)):
        return
    has_ner = "ner" in nlp.pipe_names
    kb_list = kb_patterns() if kb else []
    before = [p for p in kb_list if p["label"] in BEFORE_NER_LABELS]
    after = [p for p in kb_list if p["label"] not in BEFORE_NER_LABELS] + (place_patterns() if places else [])
    if before:
        ruler = nlp.add_pipe("entity_ruler", name=RULER_NAME, before="ner" if has_ner else None, config={"overwrite_ents": False})
        ruler.add_patterns(before)  # type: ignore[attr-defined]
    last = "ner" if has_ner else None
    if after:
        gaps = nlp.add_pipe("entity_ruler", name=GAPS_NAME, after=last, config={"overwrite_ents": False})
        gaps.add_patterns(after)  # type: ignore[attr-defined]
        last = GAPS_NAME
    if fixes:
        nlp.add_pipe(FIXES_NAME, after=last)
        last = FIXES_NAME
    if groups:
        group_ruler = nlp.add_pipe(
            "span_ruler", name=GROUPS_NAME, after=last, config={"spans_key": GROUPS_KEY, "annotate_ents": False, "overwrite": True}
        )
        group_ruler.add_patterns(group_patterns())  # type: ignore[attr-defined]
