"""The time stage: temporal expressions found, normalised to TIMEX3 values and resolved.

:func:`resolve_times` reads each paragraph's spaCy ``Doc``: the rules in
:mod:`sitroom.times.rules` find the expressions (and the model's ``DATE``/``TIME`` spans add the
ones no rule knows, valued ``null``), the dependency parse gives each one the tense of its
clause, and expressions without a year or relative to "now" are resolved against the publication
date (or, for "the following month", against the previous expression).

News rules: a weekday or a month/day without a year is the most recent one on or before the
publication date, unless its clause is future ("will visit Moscow on Thursday", "is due to",
"plans to"), when it is the next one on or after; a date after the publication date in a past
clause moves back a year. Without a publication date, relative expressions get a ``null`` value
and ``unknown`` precision.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sitroom.model import Time, doc_text
from sitroom.times.calendar import interval, valid_year
from sitroom.times.patterns import BARE_RULES, RULES
from sitroom.times.rules import Anchor, Context, Reading, Rule

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from sitroom.model import Parsed

__all__ = ["resolve_times", "clause_tense", "find_expressions"]

# Auxiliaries and verbs that make a clause future (lemma-free: the lemmatizer is disabled).
FUTURE_AUX = {"will", "'ll", "’ll", "shall", "wo", "gonna"}
FUTURE_HEADS = {
    "plan", "plans", "planned", "planning", "schedule", "scheduled", "due", "expect", "expected", "expects",
    "set", "going", "intend", "intends", "intended", "aim", "aims", "prepare", "prepares", "preparing",
    "slated", "poised", "likely", "hope", "hopes", "to",
}
# Words trimmed from the edges of a model span (TimeML extents leave prepositions outside).
EDGE_WORDS = {
    "in", "on", "at", "since", "during", "by", "until", "till", "from", "for", "of", "about", "around",
    "approximately", "roughly", "some", "nearly", "over", "within", "before", "after", "between",
    "and", "or", "as", "to", "through", "throughout", "'s", "’s", ",", ".", "-", "–", "—", "(", ")",
    '"', "“", "”", "'", "per", "than", "more", "less", "least", "almost", "just", "only", "up",
}
# The model's spans kept without a rule's reading must hold one of these (it tags ages, counts
# and money as DATE too).
TEMPORAL_WORDS = re.compile(
    r"\b(?:year|month|week|day|decade|centur|hour|minute|quarter|season|summer|winter|spring|autumn|fall|"
    r"night|morning|evening|afternoon|weekend|\d{4}|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
    re.I,
)


_YEAR_PREFIX = re.compile(r"^\d{4}")
_PART_OF = re.compile(r"(?:the\s+)?(?:morning|afternoon|evening|night)$", re.I)
_PART_OF_NEXT = re.compile(r"\s+of\s", re.I)


@dataclass
class Found:
    """One expression found in a paragraph, before resolution."""

    start: int  # body offsets
    end: int
    rule: Rule | None
    match: re.Match[str] | None
    tense: str | None
    label: str  # DATE or TIME from the model, or the rule's guess


def clause_tense(span: Span) -> str | None:
    """The tense of the clause a span belongs to: ``past``, ``future``, ``present`` or ``None``.

    Climbs from the span's root to its governing verb; a future auxiliary ("will", "'ll"), or a
    verb under "plans to", "is due to", "is scheduled to", "is expected to", makes it ``future``;
    a past-tense verb or a perfect makes it ``past``.
    """
    token = span.root
    for _ in range(8):
        if token.pos_ in ("VERB", "AUX") and token.dep_ not in ("aux", "auxpass"):
            break
        if token.head is token:
            break
        token = token.head
    if token.pos_ not in ("VERB", "AUX"):
        return None
    verb = token
    for _ in range(4):  # the verb and the verbs it is the complement of
        auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
        words = {c.lower_ for c in auxes}
        if words & FUTURE_AUX or (words & {"going"} and any(c.lower_ == "to" for c in auxes)):
            return "future"
        if verb.lower_ in FUTURE_HEADS and (verb is not token or any(c.dep_ == "xcomp" for c in verb.children)):
            return "future"
        if verb.tag_ == "VBD" or any(c.tag_ == "VBD" for c in auxes) or words & {"has", "have", "had", "'ve"}:
            return "past"
        if verb.dep_ in ("xcomp", "ccomp", "advcl") and verb.dep_ == "xcomp" and verb.head is not verb:
            head = verb.head
            if head.lower_ in FUTURE_HEADS:
                return "future"
            verb = head
            continue
        if verb.tag_ == "MD" or words & {"would", "could", "might", "may", "should", "can"}:
            return None
        if verb.tag_ in ("VBZ", "VBP") or words & {"is", "are", "am", "'s", "'re"}:
            return "present"
        if verb.tag_ == "VBN" and verb.dep_ in ("acl", "relcl", "amod"):
            return "past"
        break
    return None


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token-trim a model span's character range to TimeML's extent."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return start, end
    tokens = list(span)
    while tokens and tokens[0].lower_ in EDGE_WORDS:
        tokens.pop(0)
    while tokens and tokens[-1].lower_ in EDGE_WORDS | {"the"}:
        tokens.pop()
    if not tokens:
        return start, start
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _tense_at(doc: Doc, start: int, end: int) -> str | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    return clause_tense(span) if span is not None and len(span) else None


def find_expressions(doc: Doc, offset: int = 0) -> list[Found]:
    """The temporal expressions of one paragraph, non-overlapping, in text order.

    The rules' matches win over the model's spans; among overlapping matches the longest wins
    (then the earlier rule). A model ``DATE``/``TIME`` span no rule covers is kept (trimmed) if
    it holds a temporal word, for a ``null`` value.
    """
    text = doc_text(doc)
    matches: list[tuple[int, int, int, Rule, re.Match[str]]] = []
    for order, rule in enumerate(RULES):
        for m in rule.pattern.finditer(text):
            start, end = m.span("x") if "x" in rule.pattern.groupindex and m.group("x") else m.span()
            if end > start:
                matches.append((start, end, order, rule, m))
    matches.sort(key=lambda t: (-(t[1] - t[0]), t[2], t[0]))
    taken: list[tuple[int, int]] = []
    chosen: list[tuple[int, int, Rule | None, re.Match[str] | None, str]] = []
    for start, end, _order, rule, m in matches:
        if any(start < e and s < end for s, e in taken):
            continue
        if rule.name == "year" and _counts_something(doc, start, end):
            continue
        taken.append((start, end))
        chosen.append((start, end, rule, m, "DATE"))
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        start, end = _trim(doc, ent.start_char, ent.end_char)
        if end <= start or any(start < e and s < end for s, e in taken):
            continue
        piece = text[start:end]
        if _PART_OF.match(piece) and _PART_OF_NEXT.match(text, end) and any(e > end for _s, e in taken):
            continue  # "the morning of Dec. 8": the date is the expression
        rule, m = _bare_match(piece)
        if rule is None and not TEMPORAL_WORDS.search(piece):
            continue
        if m is not None:
            m = rule.pattern.fullmatch(text, start, end) if rule else None  # type: ignore[union-attr]
        taken.append((start, end))
        chosen.append((start, end, rule, m, ent.label_))
    chosen.sort(key=lambda t: t[0])
    return [Found(offset + s, offset + e, rule, m, _tense_at(doc, s, e), label) for s, e, rule, m, label in chosen]


def _counts_something(doc: Doc, start: int, end: int) -> bool:
    """Whether a year-like number counts things ("1400 people", "2000 troops") rather than naming a year."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    token = span[-1]
    return token.dep_ == "nummod" and token.head.tag_ in ("NNS", "NNPS") and token.head.i > token.i


def _bare_match(piece: str) -> tuple[Rule | None, re.Match[str] | None]:
    for rule in (*BARE_RULES, *(r for r in RULES if r.bare)):
        m = rule.pattern.fullmatch(piece)
        if m:
            return rule, m
    return None, None


def _anchor_of(time: Time) -> Anchor | None:
    if time.type not in ("DATE", "TIME") or not time.from_ or time.precision == "unknown" or not time.value:
        return None
    if time.value.endswith("_REF"):
        return None
    try:
        day = dt.date.fromisoformat(time.from_)
    except ValueError:
        return None
    return Anchor(id="", value=time.value, day=day, precision=time.precision)


def _time(found: Found, body: str, reading: Reading | None, published: dt.date | None) -> Time:
    value = reading.value if reading else None
    kind = reading.type if reading else found.label
    if value and _YEAR_PREFIX.match(value) and not valid_year(int(value[:4])):
        value = None  # arithmetic ran off the plausible calendar: say nothing
    start, end = interval(value)[:2] if kind in ("DATE", "TIME") else (None, None)
    precision = interval(value)[2] if value else "unknown"
    if value == "PRESENT_REF" and published is not None:
        start = end = published.isoformat()
        precision = "day"
    elif value == "PAST_REF" and published is not None:
        end = published.isoformat()
    elif value == "FUTURE_REF" and published is not None:
        start = published.isoformat()
    return Time(
        text=body[found.start : found.end],
        start=found.start,
        end=found.end,
        type=kind,  # type: ignore[arg-type]
        value=value,
        **{"from": start},
        to=end,
        precision=precision,  # type: ignore[arg-type]
        anchor=reading.anchor if reading and value else None,
    )


def resolve_times(parsed: Parsed, body: str, published: dt.date | None) -> list[Time]:
    """Find and resolve the temporal expressions of one document.

    Args:
        parsed: the document's paragraphs as spaCy docs with their offsets into ``body``.
        body: the article body (``body[start:end] == text`` for every time returned).
        published: the publication date, or ``None`` (relative expressions are then left ``null``).

    Returns:
        The times in body order, with ids ``t1``, ``t2`` ...: TIMEX3 ``type`` and ``value``, the
        ``from``/``to`` day interval, ``precision`` and ``anchor`` (``"published"``, the id of
        the time it was resolved against, or ``None`` for absolute dates, durations and sets).
    """
    if published is not None and not valid_year(published.year):
        published = None  # an impossible publication date anchors nothing
    found: list[Found] = []
    for offset, doc in parsed:
        found.extend(find_expressions(doc, offset))
    found.sort(key=lambda f: f.start)
    times: list[Time | None] = [None] * len(found)
    derived: set[int] = set()  # times later expressions do not count from
    rejected: set[int] = set()
    # Pass 1: everything that does not look forward; pass 2: "a year after <next expression>".
    for needs_next in (False, True):
        previous: Anchor | None = None
        for index, item in enumerate(found):
            current = times[index]
            if index in rejected:
                continue
            if current is not None:
                anchor = _anchor_of(current) if index not in derived else None
                if anchor is not None:
                    previous = Anchor(f"t{index + 1}", anchor.value, anchor.day, anchor.precision)
                continue
            forward = item.match is not None and (item.match.groupdict().get("dir") or "").lower() in ("before", "after")
            if forward != needs_next:
                continue
            following = None
            if forward and index + 1 < len(found) and found[index + 1].start - item.end <= FOLLOW_GAP:
                nxt = times[index + 1]
                anchor = _anchor_of(nxt) if nxt is not None else None
                if anchor is not None:
                    following = Anchor(f"t{index + 2}", anchor.value, anchor.day, anchor.precision)
            ctx = Context(published=published, tense=item.tense, previous=previous, following=following)
            reading = _read(item, ctx)
            if reading is None and item.rule is not None:
                rejected.add(index)  # the rule declined its match ("but soon saw ...")
                continue
            if reading is not None and reading.anchor == "previous" and previous is not None:
                reading.anchor = previous.id
            elif reading is not None and reading.anchor == "following" and following is not None:
                reading.anchor = following.id
            time = _time(item, body, reading, published)
            times[index] = time
            if reading is not None and not reading.reference:
                derived.add(index)
            anchor = _anchor_of(time) if reading is None or reading.reference else None
            if anchor is not None:
                previous = Anchor(f"t{index + 1}", anchor.value, anchor.day, anchor.precision)
    return _renumber(times)


def _renumber(times: list[Time | None]) -> list[Time]:
    """Drop rejected slots and number the times ``t1``, ``t2`` ... in body order (anchors follow)."""
    kept = [(index, t) for index, t in enumerate(times) if t is not None]
    new_id = {f"t{index + 1}": f"t{number}" for number, (index, _t) in enumerate(kept, start=1)}
    out = []
    for number, (_index, time) in enumerate(kept, start=1):
        time.id = f"t{number}"
        if time.anchor and time.anchor.startswith("t"):
            time.anchor = new_id.get(time.anchor)
        out.append(time)
    return out


# "A year after the 1973 war": how far (characters) the expression it counts from may follow.
FOLLOW_GAP = 12


def _read(item: Found, ctx: Context) -> Reading | None:
    """The rule's reading of an expression; an arithmetic failure on odd input gives no value."""
    if item.rule is None or item.match is None:
        return None
    try:
        return item.rule.handler(item.match, ctx)
    except (ValueError, OverflowError, KeyError, TypeError):
        return Reading(item.label if item.label in ("DATE", "TIME") else "DATE", None)
