"""Wire datelines: "ISTANBUL, Oct 16 (Levant Wire) - Turkish police detained ..." opens a story.

The small model reads an all-caps dateline as an organisation ("ISTANBUL" as ORG, which then
becomes an event's actor) and the agency in brackets as a place ("Levant"). The
``sitroom_dateline`` component, run after the entity rulers, finds a dateline at the start of a
paragraph and rewrites its entities: the city (and a region or country after it) become GPE,
everything else inside the dateline (the agency, the date) stops being an entity. The dateline's
end is kept on the Doc (``doc._.sitroom_dateline``, a character offset, 0 when there is none) so
later stages can tell where the story itself begins.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from sitroom.model import DATELINE_EXTENSION

DATELINE_NAME = "sitroom_dateline"
EXTENSION = DATELINE_EXTENSION

_UPPER = "A-ZÀ-ÖØ-Þ"
# The city in capitals (at least three letters; words joined by spaces, hyphens, apostrophes or
# dots), then optionally ", Region" in title case, ", Date", "(Agency)", and a dash or colon.
DATELINE_RE = re.compile(
    rf"^(?P<city>[{_UPPER}][{_UPPER}'’.\-]*(?: [{_UPPER}][{_UPPER}'’.\-]*){{0,3}})"
    r"(?:,\s*(?P<region>[A-Z][\w'’.\-]*(?: [A-Za-z][\w'’.\-]*){0,3}))?"
    r"(?:,\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?))?"
    r"\s*(?:\((?P<agency>[^()]{1,40})\))?"
    r"\s*(?:—|–|--?|:)\s+"
)

if not Doc.has_extension(EXTENSION):
    Doc.set_extension(EXTENSION, default=0)


def find_dateline(text: str) -> re.Match[str] | None:
    """The dateline at the start of a paragraph, if any (a city of at least three capitals)."""
    match = DATELINE_RE.match(text)
    if match is None or sum(c.isalpha() for c in match.group("city")) < 3:
        return None
    if match.group("region") is None and match.group("agency") is None and match.group("date") is None:
        # A bare "CITY —" needs the dash: "NATO: ..." or "UPDATE - ..." are not datelines.
        if not re.search(r"[—–]|--", match.group(0)) or len(match.group("city").split()) > 3:
            return None
    return match


def mark_dateline(doc: Doc) -> Doc:
    """The component: rewrite the entities inside a paragraph-opening dateline (see the module)."""
    match = find_dateline(doc.text)
    if match is None:
        return doc
    end = match.end()
    doc._.set(EXTENSION, end)
    keep = [e for e in doc.ents if e.start_char >= end]
    places = []
    for group in ("city", "region"):
        if match.group(group):
            span = doc.char_span(match.start(group), match.end(group), label="GPE", alignment_mode="contract")
            if span is not None and len(span):
                places.append(span)
    doc.ents = sorted(places + keep, key=lambda e: e.start)
    return doc


if not Language.has_factory(DATELINE_NAME):

    @Language.factory(DATELINE_NAME)
    def make_dateline(nlp: Language, name: str):  # noqa: ANN201 - a spaCy component
        """Factory of the ``sitroom_dateline`` component."""
        return mark_dateline


__all__ = ["DATELINE_NAME", "DATELINE_RE", "find_dateline", "mark_dateline"]
