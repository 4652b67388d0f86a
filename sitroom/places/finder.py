"""Gazetteer-driven toponym finder: place names the small NER model misses or mislabels.

The standard way to lift toponym recall above an NER model: scan the capitalised token runs of the
parse and take the longest prefix of a run that names a place the gazetteer knows well (a country,
a first- or second-level division, a curated place, a continent, or a city of some size by its own
name). It recovers names the model left out ("Aleppo", "Kentucky"), names inside organisation spans
("Laurel County Sheriff's Office" → "Laurel County", "Ohio State" → "Ohio") and all-caps datelines
("EDMONTON, Alberta —"). Guards keep people and common words off the map: no match inside a person
span, none that continues a capitalised run ("Governor Paterson"), and a single-word city only when
the tagger reads it as a proper noun.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitroom.model import DATELINE_EXTENSION
from sitroom.places.gazetteer import Gazetteer, GazetteerEntry

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from sitroom.model import Parsed

# Longest run of tokens tried as one name ("Bosnia and Herzegovina" is handled as three tokens).
MAX_NAME_TOKENS = 4
# A city is found by its own (primary) name from this population on. Calibrated on GeoWebNews:
# 10k found local towns of US news without letting through the villages whose names are also
# surnames and words (1k-5k); measured 5k/10k/20k/50k.
FINDER_CITY_POP = 10_000
# A city found by an alternate name, or as the first words of a longer capitalised run ("Paris
# Saint-Germain", "Dublin City Schools"), must be at least this big.
FINDER_STRONG_CITY_POP = 100_000
# Take a country, a division or a big city that ends a longer capitalised run ("Environment
# Canada", "CTV Edmonton"); +0.5 found on GeoWebNews and TR-News.
SUFFIX_DIVISIONS = True
# Entity labels whose spans the finder never looks into: people, and the non-name types whose
# capitalised words are not places ("Christmas", "Boeing 737", "the Treaty of Paris" as LAW).
SKIP_LABELS = frozenset({"PERSON", "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL", "WORK_OF_ART", "LAW", "PRODUCT", "EVENT", "LANGUAGE"})
# Words before a name that may stand inside the same capitalised run ("Northern Ireland" is its own
# name, but "Southern Illinois" and "Greater Manchester" are found by their last word).
RUN_OPENERS = frozenset({"the", "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "greater", "downtown", "rural", "upper", "lower", "far", "in", "at", "a", "an"})
# Titles that make the rest of a run a person's name ("Mr Jackson", "President Lincoln").
TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "lord", "lady", "president", "governor", "gov", "senator", "sen", "rep", "mayor", "judge", "justice", "king", "queen", "prince", "princess", "pope", "saint", "st", "general", "gen", "col", "capt", "sgt", "officer", "coach", "father", "rev", "professor", "prof"})


def _capitalised(token: Token) -> bool:
    text = token.text
    return bool(text) and text[0].isupper() and any(c.isalpha() for c in text)


def _strong(gazetteer: Gazetteer, text: str) -> bool:
    """A span the model labels DATE, PRODUCT... ("Winnipeg") whose whole text is a division or big city."""
    return any(
        entry.kind in ("country", "admin1") or entry.curated or (primary and entry.kind == "city" and entry.population >= FINDER_STRONG_CITY_POP)
        for entry, primary in gazetteer.matches(text)
    ) and not gazetteer.is_demonym(text)


def _findable(entry: GazetteerEntry, primary: bool, whole_run: bool) -> bool:
    """True when a match on ``entry`` is strong enough to be taken without the NER model."""
    if entry.kind in ("country", "admin1", "admin2") or entry.curated or entry.fcode == "CONT":
        return True
    if entry.kind != "city":
        return False
    if primary and whole_run:
        return entry.population >= FINDER_CITY_POP
    return entry.population >= FINDER_STRONG_CITY_POP


def _accept(gazetteer: Gazetteer, tokens: list[Token], whole_run: bool) -> bool:
    text = tokens[0].doc[tokens[0].i : tokens[-1].i + 1].text
    if gazetteer.is_demonym(text):
        return False
    matches = gazetteer.matches(text)
    if not matches:
        return False
    if len(tokens) == 1:
        token = tokens[0]
        letters = [c for c in token.text if c.isalpha()]
        if token.text.isupper() and len(letters) <= 3 and "." not in token.text:
            # "US", "UK", "UAE" name countries; other short all-caps words are acronyms
            return any(entry.kind == "country" for entry, _ in matches)
        if (token.is_stop and not token.text.isupper()) or (token.lower_ in RUN_OPENERS and not whole_run):
            return False  # "Southern" of "Southern Syria" is no Zambian province
        strong = any(entry.kind in ("country", "admin1") or entry.curated or entry.fcode == "CONT" for entry, _ in matches)
        if not strong and token.pos_ != "PROPN" and not token.text.isupper():
            return False  # a word the tagger reads as a noun or adjective ("Mobile", "Reading")
    return any(_findable(entry, primary, whole_run) for entry, primary in matches)


def _runs(doc: Doc, skip: set[int]) -> list[list[Token]]:
    """Maximal runs of capitalised tokens (hyphens and "&" inside a run kept), outside skipped spans."""
    runs: list[list[Token]] = []
    current: list[Token] = []
    for token in doc:
        joined = current and token.text in ("-", "&") and token.i + 1 < len(doc) and _capitalised(doc[token.i + 1])
        if token.i not in skip and (_capitalised(token) or joined):
            current.append(token)
            continue
        if current:
            runs.append(current)
        current = []
    if current:
        runs.append(current)
    return runs


def _tail(gazetteer: Gazetteer, tokens: list[Token]) -> tuple[int, int] | None:
    """The last words of a run when they name a country or a first-level division."""
    for start in range(max(0, len(tokens) - MAX_NAME_TOKENS), len(tokens)):
        text = tokens[0].doc[tokens[start].i : tokens[-1].i + 1].text
        if gazetteer.is_demonym(text) or (tokens[start].text.isupper() and len(text) <= 3):
            continue
        for entry, primary in gazetteer.matches(text):
            big_city = entry.kind == "city" and entry.population >= FINDER_STRONG_CITY_POP
            if primary and (entry.kind in ("country", "admin1") or big_city):
                return tokens[start].i, tokens[-1].i + 1
    return None


def gazetteer_spans(doc: Doc, gazetteer: Gazetteer) -> list[tuple[int, int]]:
    """Token spans ``(start, end)`` of the gazetteer's places in the capitalised runs of ``doc``."""
    skip = {t.i for ent in doc.ents if ent.label_ in SKIP_LABELS and not _strong(gazetteer, ent.text) for t in ent}
    dateline_end = doc._.get(DATELINE_EXTENSION) if doc.has_extension(DATELINE_EXTENSION) else 0
    if dateline_end:  # in "CITY, Date (Agency) -" only the city and its region are places
        named = {t.i for ent in doc.ents if ent.end_char <= dateline_end for t in ent}
        skip |= {t.i for t in doc if t.idx < dateline_end and t.i not in named}
    found: list[tuple[int, int]] = []
    for run in _runs(doc, skip):
        start = 0
        while start < len(run):
            if start > 0 and run[start - 1].lower_ not in RUN_OPENERS:
                # inside a longer name ("Governor Paterson", "Lake Erie"): only a country or a division
                # that ends the run is taken ("Environment Canada", "Team Alberta")
                titled = run[0].lower_.rstrip(".") in TITLES
                tail = _tail(gazetteer, run[start:]) if SUFFIX_DIVISIONS and not titled else None
                if tail:
                    found.append(tail)
                break
            hit = None
            for length in range(min(MAX_NAME_TOKENS, len(run) - start), 0, -1):
                tokens = run[start : start + length]
                if tokens[-1].text in ("-", "&"):
                    continue
                if _accept(gazetteer, tokens, whole_run=start + length == len(run)):
                    hit = (tokens[0].i, tokens[-1].i + 1)
                    break
            if hit:
                found.append(hit)
                break
            start += 1
    return found


def compound_spans(doc: Doc, gazetteer: Gazetteer) -> list[tuple[int, int]]:
    """Character spans (in ``doc``) of places before a hyphenated lower-case suffix ("U.S.-led", "Texas-based")."""
    found = []
    for token in doc:
        text = token.text
        cut = text.rfind("-")
        if cut <= 0 or not text[0].isupper() or not text[cut + 1 :].islower():
            continue
        head = text[:cut]
        if not gazetteer.is_demonym(head) and _strong(gazetteer, head):
            found.append((token.idx, token.idx + cut))
    return found


def finder_spans(parsed: Parsed, gazetteer: Gazetteer) -> list[tuple[int, int, int, Doc]]:
    """All finder hits of a parse as ``(offset, start_token, end_token, doc)``."""
    return [(offset, s, e, doc) for offset, doc in parsed for s, e in gazetteer_spans(doc, gazetteer)]
