"""Where and when an event happened, and the evidence span, from the trigger's place in the parse.

The search widens in steps and stops at the first step that finds something:

1. an event noun's own phrase ("a similar meeting between the two ministers in Paris last week");
2. the trigger's clause: its verb's subtree without embedded clauses (ccomp, advcl, relcl,
   coordinated verbs) that do not hold the trigger, plus a time fronted just before the clause
   ("..., the following month, Putin had a call");
3. the sentence.

At every step the phrases of the sentence's other triggers are left out, so two events in one
sentence do not swap places and dates. With nothing found, the place is null and the time is
unknown: the article date is never used as the event date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from sitroom.model import DATELINE_EXTENSION, Place, Span, Time, When, doc_text

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

    from sitroom.events.index import DocIndex, Paragraph

CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "parataxis", "csubj", "xcomp", "acl", "pcomp"})
# Prepositions that put a place where the event happened ("clashes in Sweida", "met in Baku").
LOCATIVE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "across", "around", "within",
                            "throughout", "on", "into", "along", "off"})
# Class nouns a place name hangs on through "of" ("the city of Basra", "the province of Aceh"):
# the name takes the class noun's position, so "outside the city of Basra" is locative.
PLACE_CLASS_NOUNS = frozenset({"city", "town", "village", "province", "region", "district", "port",
                               "capital", "state", "island", "county", "area"})
# Modes whose destination ("visit to Moscow") is also where the event takes place.
DESTINATION_MODES = frozenset({"visit"})
# Smaller ranks win among places found at the same step: the most specific place.
KIND_RANK = {"facility": 0, "city": 1, "admin2": 2, "admin1": 3, "other": 3, "region": 4,
             "water": 5, None: 5, "country": 6}
# Token window around the trigger for very long sentences (flattened tables, run-ons), so a
# 500-word "sentence" costs no more than a normal one per trigger.
MAX_SCOPE_TOKENS = 60
# Evidence longer than this (characters) is cut to the trigger's clause, then to a window.
MAX_EVIDENCE_CHARS = 600
EVIDENCE_WINDOW_CHARS = 250


def token_range(token: Token) -> range:
    """The token indices of the token's subtree."""
    return range(token.left_edge.i, token.right_edge.i + 1)


def _clause_head(token: Token) -> Token:
    """The verb heading the clause a token sits in (the token itself for a verb)."""
    current = token
    for _ in range(12):
        if current.pos_ in ("VERB", "AUX") or current.dep_ == "ROOT" or current.head.i == current.i:
            return current
        current = current.head
    return current


def _clause(head: Token, trigger: Token, window: range) -> list[int]:
    """Indices of the clause headed by ``head`` (within ``window``), without embedded clauses that
    lack the trigger."""
    cut: list[range] = []
    for child in head.children:
        is_clause = child.dep_ in CLAUSE_DEPS or (child.dep_ == "conj" and child.pos_ in ("VERB", "AUX"))
        if is_clause:
            span = token_range(child)
            if trigger.i not in span:
                cut.append(span)
    own = token_range(head)
    lo, hi = max(own.start, window.start), min(own.stop, window.stop)
    return [i for i in range(lo, hi) if not any(i in r for r in cut)]


def _window(trigger: Token, sent: SpacySpan) -> range:
    return range(max(sent.start, trigger.i - MAX_SCOPE_TOKENS), min(sent.end, trigger.i + MAX_SCOPE_TOKENS + 1))


def scopes(trigger: Token, is_noun: bool, light: Token | None, others: Sequence[range]) -> list[list[int]]:
    """The token-index sets searched in turn for a place and a time (see the module docstring).

    Args:
        trigger: the trigger token.
        is_noun: whether it is an event noun.
        light: the support verb governing the noun, if any.
        others: the phrases of the sentence's other triggers (left out unless they hold this one).
    """
    sent = trigger.sent
    window = _window(trigger, sent)
    cut = [r for r in others if trigger.i not in r and r.start < window.stop and r.stop > window.start]

    def keep(indices: Iterable[int]) -> list[int]:
        return [i for i in indices if i in window and not any(i in r for r in cut)]

    steps: list[list[int]] = []
    if is_noun:
        own = token_range(trigger)
        steps.append(keep(range(max(own.start, window.start), min(own.stop, window.stop))))
    head = light if light is not None else (_clause_head(trigger.head) if is_noun else trigger)
    steps.append(keep(_clause(head, trigger, window)))
    steps.append(keep(window))
    return steps


def fronted_time(para: Paragraph, clause: Sequence[int], sent: SpacySpan) -> str | None:
    """A time expression standing alone just before the clause ("..., and the following month,
    Putin had a call": the parser often hangs it on the previous clause).

    Only commas and "and" may sit between it and the clause, and it must start a segment (the
    sentence, or after a comma or conjunction): "since 1967, annexing it" is no fronted time.
    """
    if not clause:
        return None
    doc = para.doc
    j = min(clause) - 1
    while j >= sent.start and (doc[j].is_punct or doc[j].dep_ == "cc"):
        j -= 1
    if j < sent.start:
        return None
    ident = para.time_at.get(j)
    if ident is None:
        return None
    first = j
    while first - 1 >= sent.start and para.time_at.get(first - 1) == ident:
        first -= 1
    before = doc[first - 1] if first - 1 >= sent.start else None
    return ident if before is None or before.is_punct or before.dep_ == "cc" else None


def _usable(time: Time) -> bool:
    """Whether a time says when: not a set ("every week"), not a vague "recent", not a bare
    duration ("a year") the time stage could not place."""
    if time.type == "SET" or time.precision == "unknown":
        return False
    return not (time.from_ is None and time.to is None)


def belongs_elsewhere(token: Token, trigger: Token, owners: dict[int, int]) -> bool:
    """Whether a time or place token belongs to another trigger of the sentence.

    The first trigger (or its support verb) above the token in the tree owns it ("visited
    Damascus in January, and the following month ..."); with none above it (it hangs on a verb
    that is no trigger: "follows a similar meeting ... last week"), the nearest trigger does.

    Args:
        token: the time or place token.
        trigger: the trigger asking.
        owners: token index of every trigger and support verb of the sentence → its trigger's index.
    """
    current = token
    for _ in range(12):
        if current.i in owners:
            return owners[current.i] != trigger.i
        if current.head.i == current.i:
            break
        current = current.head
    mine = abs(token.i - trigger.i)
    return any(abs(token.i - other) < mine for other in set(owners.values()) if other != trigger.i)


def _since(para: Paragraph, first: int, trigger: Token) -> bool:
    """Whether the time expression at token ``first`` is governed by "since"."""
    doc = para.doc
    if first > 0 and doc[first - 1].lower_ == "since":
        return True
    current = doc[first]
    for _ in range(6):
        if current.lower_ == "since" or current.i == trigger.i:
            return current.lower_ == "since"
        if current.head.i == current.i:
            return False
        current = current.head
    return False


def pick_time(index: DocIndex, para: Paragraph, steps: list[list[int]], trigger: Token,
              published: dt.date | None, owners: dict[int, int] | None = None) -> When:
    """The event's ``when``: the nearest usable time at the first step that has one.

    A time belonging to another trigger of the sentence (:func:`belongs_elsewhere`) is left to it.
    """
    sent = trigger.sent
    owners = owners or {}
    for number, step in enumerate(steps):
        found: dict[str, int] = {}
        for i in step:
            ident = para.time_at.get(i)
            if ident is None or ident in found:
                continue
            if belongs_elsewhere(para.doc[i], trigger, owners):
                continue
            found[ident] = i
        if number == len(steps) - 2 and not found:  # the clause step also takes a fronted time
            ident = fronted_time(para, step, sent)
            if ident is not None:
                found[ident] = min(step) - 1
        candidates = [(ident, i) for ident, i in found.items() if ident in index.times and _usable(index.times[ident])]
        if not candidates:
            continue
        candidates.sort(key=lambda c: (index.times[c[0]].type == "DURATION", abs(c[1] - trigger.i)))
        ident, first = candidates[0]
        time = index.times[ident]
        # the first token of the expression, for "since" look-up
        while first - 1 >= 0 and para.time_at.get(first - 1) == ident:
            first -= 1
        if _since(para, first, trigger) and time.from_:
            end = published.isoformat() if published else None
            return When(**{"from": time.from_, "to": end, "precision": time.precision, "time": ident})
        return When(**{"from": time.from_, "to": time.to, "precision": time.precision, "time": ident})
    return When(**{"from": None, "to": None, "precision": "unknown", "time": None})


def _attached(token: Token, anchors: Sequence[Token]) -> bool:
    """Whether a place token is an object of the trigger or its support verb ("visited Damascus",
    "carried out strikes on Syria"), not a possessor of the trigger ("Moscow's intervention")."""
    current = token
    for _ in range(5):
        if current.dep_ in ("poss", "nsubj", "nsubjpass"):
            return False
        head = current.head
        if head.i == current.i:
            return False
        if any(head.i == a.i for a in anchors):
            return current.dep_ in ("dobj", "prep", "pobj", "conj", "appos", "npadvmod", "dative")
        if current.dep_ not in ("compound", "amod", "appos", "conj", "pobj", "prep", "dobj", "case", "dative"):
            return False
        current = head
    return False


def _locative(token: Token, trigger: Token, mode: str | None) -> bool:
    """Whether a place token sits where a location of the event goes."""
    current = token
    for _ in range(4):
        if current.dep_ == "pobj":
            prep = current.head.lower_
            if prep == "of" and current.head.head.lower_ in PLACE_CLASS_NOUNS:
                current = current.head.head  # "the city of Basra" stands where "Basra" would
                continue
            return prep in LOCATIVE_PREPS or (prep == "to" and mode in DESTINATION_MODES)
        if current.head.i == trigger.i and current.dep_ in ("compound", "nmod", "npadvmod"):
            return True  # "the Paris meeting", "Sweida clashes"
        if current.dep_ not in ("compound", "poss", "amod", "appos", "nmod", "conj", "case"):
            return False
        current = current.head
    return False


def pick_place(index: DocIndex, para: Paragraph, steps: list[list[int]], trigger: Token, mode: str | None,
               blocked: set[int], anchors: Sequence[Token] = (), physical: bool = True,
               owners: dict[int, int] | None = None) -> str | None:
    """The event's place id: at the first step with a place, the most specific kind, then the
    nearest.

    A place counts when it sits in a locative phrase ("in Baku", "the Paris meeting"), or, for
    physical events (attacks, arrests, visits, deployments), when it is the trigger's object
    ("visited Damascus", "strikes on Syria"). Tokens in ``blocked`` (the sources' names) and
    places belonging to another trigger of the sentence are skipped.
    """
    anchors = anchors or (trigger,)
    owners = owners or {}
    # "BOGOTA, July 17 (Atlas) - Rebels attacked a base in Arauca": the dateline says where the
    # story was filed, not where the event happened.
    dateline_end = para.doc._.get(DATELINE_EXTENSION) if para.doc.has_extension(DATELINE_EXTENSION) else 0
    for step in steps:
        seen: dict[str, tuple[int, int, int]] = {}
        for i in step:
            ident = para.place_at.get(i)
            if ident is None or i in blocked or ident not in index.places:
                continue
            token = para.doc[i]
            if token.idx < dateline_end or belongs_elsewhere(token, trigger, owners):
                continue
            locative = _locative(token, trigger, mode)
            if not locative and not (physical and _attached(token, anchors)):
                continue
            place: Place = index.places[ident]
            rank = (0 if locative else 1, KIND_RANK.get(place.kind, 5), abs(i - trigger.i))
            if ident not in seen or rank < seen[ident]:
                seen[ident] = rank
        if seen:
            return min(seen, key=lambda k: seen[k])
    return None


def evidence(body: str, para: Paragraph, trigger: Token, clause: Sequence[int]) -> Span:
    """The sentence holding the trigger as a body span; a long sentence is cut to the clause,
    then to a window around the trigger, on token boundaries."""
    doc = para.doc
    sent = trigger.sent
    start, end = sent.start_char, sent.end_char
    if end - start > MAX_EVIDENCE_CHARS and clause:
        start, end = doc[min(clause)].idx, doc[max(clause)].idx + len(doc[max(clause)].text)
    if end - start > MAX_EVIDENCE_CHARS:
        lo = max(start, trigger.idx - EVIDENCE_WINDOW_CHARS)
        hi = min(end, trigger.idx + len(trigger.text) + EVIDENCE_WINDOW_CHARS)
        left = doc.char_span(lo, hi, alignment_mode="contract")
        if left is not None and len(left):
            start, end = left.start_char, left.end_char
    text = doc_text(doc)[start:end]
    stripped = text.strip()
    start += len(text) - len(text.lstrip())
    body_start = para.offset + start
    span = Span(text=stripped, start=body_start, end=body_start + len(stripped))
    if body[span.start:span.end] != span.text:  # never hand out a span that does not match the body
        return Span(text=body[span.start:span.end], start=span.start, end=span.end)
    return span
