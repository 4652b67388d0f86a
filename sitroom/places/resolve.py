"""Toponym resolution with document context: which place each place name in a page means.

Mentions come from the parse (spaCy GPE/LOC/FAC spans, cleaned of "the", possessives and
directions: "southern Syria" names Syria) plus the curated names found in the text (bases,
crossings, regions the small model misses) plus the gazetteer-driven finder's names in capitalised
runs (:mod:`sitroom.places.finder`: "Kentucky" in "Kentucky State Police", "U.S." in "U.S.-led"). Each distinct name is resolved once per document (one
sense per discourse) in two passes: a prior (population, kind, "province"/"county" cues), then the
same prior plus the document's context (the countries it is about, the divisions it names).
Demonyms ("Syrian") and names the actor stage holds as people or organisations never become places.
Names the gazetteer does not know are left out of the array: a place without coordinates or a
gazetteer id would only put noise on the map, and the text keeps the name.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from sitroom.model import Entity, Place, Span, doc_text
from sitroom.places.finder import compound_spans, finder_spans
from sitroom.places.gazetteer import Gazetteer, GazetteerEntry, key, load_gazetteer, toponym_patterns

if TYPE_CHECKING:
    from sitroom.model import Parsed

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Words after a name that say which kind of place it is ("Idlib province", "Laurel County").
ADMIN1_CUES = frozenset({"province", "governorate", "oblast", "region", "state", "prefecture", "voivodeship", "krai", "kray", "emirate"})
ADMIN2_CUES = frozenset({"county", "parish", "district", "borough"})
CITY_CUES = frozenset({"city", "town", "village"})
DIRECTIONS = frozenset({
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern", "southeastern",
    "southwestern", "north-east", "north-west", "south-east", "south-west", "north-eastern",
    "north-western", "south-eastern", "south-western", "upper", "lower", "coastal", "rural", "greater",
})
_DETERMINERS = frozenset({"the"})
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})

# --- scoring (calibrated on GeoWebNews dev articles, then checked on TR-News/LGL) ---------------
# Prior: log10(population); GeoNames populations run 1e3 (villages) to 1e9 (China).
KIND_BONUS = {"country": 2.0, "admin1": 0.5, "admin2": 0.0, "city": 0.0}
CAPITAL_BONUS = 1.5  # a capital beats a same-named province or state ("Washington", "Mexico City")
PRIMARY_NAME_BONUS = 0.5  # the place's own name, not one of its alternate names
ALT_NAME_PENALTY = 0.5  # alternate names of small places are often foreign or historical forms
CURATED_PRIOR = 8.0  # curated names are deliberate: they beat any city but a metropolis
CONTINENT_PRIOR = 8.5
CUE_BONUS = 4.0  # "province" after the name: a province, not the city of the same name
QUALIFIER_BONUS = 4.0  # "Paris, Texas": the Paris in the named state or country
# Context: share of the document's place weight on the candidate's country (0..1) times this.
# 3.0 moves a 25k-people Paris, Texas (4.9) past Paris, France (7.8) only with Texas named too.
COUNTRY_CONTEXT = 3.0
ADMIN1_CONTEXT = 2.0  # the candidate lies in a division the document names
# A village (below this population) in a country the document never mentions is more likely a
# wrong reading (a person, a word) than the place: leave it out.
FOREIGN_VILLAGE_POP = 5000
# A span the model labels ORG/PERSON/NORP ("EDMONTON", "Kentucky" as ORG; "Aleppo" as NORP) is still
# read as a place when its whole text is a country, a division, a curated place or a city of at
# least this population by its own name: the small model mislabels those far more often than a
# person or an organisation is named exactly like them.
STRONG_CITY_POP = 100_000
DEMONYM_WEIGHT = 0.5  # "Syrian" says the story is about Syria, more weakly than "Syria" does


@dataclass
class Mention:
    """One place name in the body: the span to report and the name to look up."""

    start: int
    end: int
    text: str
    name: str
    cue: str | None = None  # "admin1", "admin2", "city"
    qualifier: str | None = None  # "Texas" in "Paris, Texas"


@dataclass
class _Group:
    name: str
    mentions: list[Mention] = field(default_factory=list)
    cues: Counter = field(default_factory=Counter)
    within: set[tuple[str | None, str | None]] = field(default_factory=set)  # (country, admin1) qualifiers


_QUALIFIER = re.compile(r",\s*((?:[A-Z][\w.'’-]*)(?:\s+[A-Z][\w.'’-]*){0,2})")


def _strip(tokens: list, gazetteer: Gazetteer | None = None) -> list:
    """Drop leading determiners and directions and trailing possessives from a token list.

    With a gazetteer, directions stay when they are part of a known name ("North Carolina",
    "South Africa", "Western Australia"): only "northern Syria" loses its direction.
    """
    while len(tokens) > 1 and tokens[0].lower_ in _DETERMINERS:
        tokens = tokens[1:]
    while len(tokens) > 1 and tokens[-1].text in _POSSESSIVE:
        tokens = tokens[:-1]
    if gazetteer is not None and len(tokens) > 1 and gazetteer.matches(tokens[0].doc[tokens[0].i : tokens[-1].i + 1].text):
        return tokens
    while len(tokens) > 1 and (tokens[0].lower_ in _DETERMINERS or tokens[0].lower_ in DIRECTIONS):
        tokens = tokens[1:]
    return tokens


def _cue_of(word: str) -> str | None:
    word = word.lower()
    if word in ADMIN1_CUES:
        return "admin1"
    if word in ADMIN2_CUES:
        return "admin2"
    if word in CITY_CUES:
        return "city"
    return None


def strong_toponym(gazetteer: Gazetteer, name: str) -> bool:
    """True when ``name`` is, by its own name, a country, a division, a curated place or a big city."""
    for entry, primary in gazetteer.matches(name):
        if entry.kind in ("country", "admin1") or entry.curated or entry.fcode == "CONT":
            return True
        if primary and entry.kind == "city" and entry.population >= STRONG_CITY_POP:
            return True
    return False


def spacy_mentions(parsed: Parsed, gazetteer: Gazetteer) -> list[Mention]:
    """Place-name mentions from the parse's GPE/LOC/FAC spans (and mislabelled strong names), in body offsets."""
    mentions: list[Mention] = []
    for offset, doc in parsed:
        for ent in doc.ents:
            if ent.label_ not in PLACE_LABELS:
                if ent.label_ not in ("ORG", "PERSON", "NORP") or gazetteer.is_demonym(ent.text):
                    continue
                core = _strip(list(ent), gazetteer)
                if not strong_toponym(gazetteer, doc[core[0].i : core[-1].i + 1].text):
                    continue
            tokens = _strip(list(ent), gazetteer)
            cue = None
            # a cue word inside the span ("Idlib province") unless the whole is a known name ("Gaza Strip")
            full = doc[tokens[0].i : tokens[-1].i + 1].text
            if len(tokens) > 1 and _cue_of(tokens[-1].text) and not gazetteer.matches(full):
                cue = _cue_of(tokens[-1].text)
                name_tokens = tokens[:-1]
            else:
                name_tokens = tokens
            end_token = tokens[-1].i + 1
            if cue is None and end_token < len(doc) and _cue_of(doc[end_token].text):
                cue = _cue_of(doc[end_token].text)
                end_token += 1  # report "Sweida province", look up "Sweida"
            first = tokens[0].i
            if cue is None and first >= 2 and doc[first - 1].lower_ == "of" and _cue_of(doc[first - 2].text):
                cue = _cue_of(doc[first - 2].text)  # "the coastal province of Latakia"
            if len(name_tokens) > 2 and name_tokens[1].lower_ == "of" and _cue_of(name_tokens[0].text) and cue is None:
                cue = _cue_of(name_tokens[0].text)  # "the City of Montreal", "Province of Ontario"
                name_tokens = name_tokens[2:]
            name = doc[name_tokens[0].i : name_tokens[-1].i + 1].text
            start_char = doc[first].idx
            end_char = doc[end_token - 1].idx + len(doc[end_token - 1].text)
            text = doc_text(doc)[start_char:end_char]
            mentions.append(Mention(offset + start_char, offset + end_char, text, name, cue))
    return mentions


def finder_mentions(parsed: Parsed, gazetteer: Gazetteer) -> list[Mention]:
    """Place names found by the gazetteer in capitalised runs (:mod:`sitroom.places.finder`), in body offsets."""
    mentions = []
    for offset, start, end, doc in finder_spans(parsed, gazetteer):
        cue = _cue_of(doc[end].text) if end < len(doc) else None
        name = doc[start:end].text
        last = end + 1 if cue else end
        start_char, end_char = doc[start].idx, doc[last - 1].idx + len(doc[last - 1].text)
        mentions.append(Mention(offset + start_char, offset + end_char, doc_text(doc)[start_char:end_char], name, cue))
    for offset, doc in parsed:
        for start_char, end_char in compound_spans(doc, gazetteer):
            text = doc_text(doc)[start_char:end_char]
            mentions.append(Mention(offset + start_char, offset + end_char, text, text))
    return mentions


@lru_cache(maxsize=1)
def _curated_regex() -> re.Pattern[str] | None:
    names = sorted({p["pattern"] for p in toponym_patterns()}, key=len, reverse=True)
    if not names:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")


def curated_mentions(body: str) -> list[Mention]:
    """Curated place names (bases, crossings, regions, spellings) found in the body text."""
    regex = _curated_regex()
    if regex is None:
        return []
    return [Mention(m.start(), m.end(), m.group(), m.group()) for m in regex.finditer(body)]


def _merge(model: list[Mention], curated: list[Mention], blocked: list[tuple[int, int]]) -> list[Mention]:
    """The model's mentions plus the curated ones that overlap none of them nor a longer other entity."""
    taken = sorted((m.start, m.end) for m in model)
    merged = list(model)
    for mention in curated:
        if any(s < mention.end and mention.start < e for s, e in taken):
            continue
        if any(s < mention.end and mention.start < e and (e - s) > (mention.end - mention.start) for s, e in blocked):
            continue  # inside a longer organisation or person name ("Gaza Health Ministry")
        merged.append(mention)
        taken.append((mention.start, mention.end))
    return sorted(merged, key=lambda m: m.start)


def _not_places(parsed: Parsed, entities: Sequence[Entity], gazetteer: Gazetteer) -> tuple[set[tuple[int, int]], set[str], list[tuple[int, int]]]:
    """Spans and names held as people/organisations/groups, and other entity spans of the parse.

    An entity whose name is itself a strong toponym ("Canada" labelled ORG) is not held against
    the place; a person's name and, for names of two or more words, its last word ("Jordan" after
    "Michael Jordan") are.
    """
    spans: set[tuple[int, int]] = set()
    names: set[str] = set()
    for entity in entities:
        if entity.type in ("PERSON", "ORG", "NORP"):
            if strong_toponym(gazetteer, entity.name) and not gazetteer.is_demonym(entity.name):
                continue  # "Canada" as ORG, "Aleppo" as NORP: the model's label is the error
            spans.update((m.start, m.end) for m in entity.mentions)
            if entity.type == "PERSON":
                for name in [entity.name, *entity.aliases]:
                    names.add(key(name))
                    last = name.split()[-1] if len(name.split()) > 1 else ""
                    if last and not strong_toponym(gazetteer, last):
                        names.add(key(last))  # "Jordan" after "Michael Jordan", not "Wisconsin" after "Trump -"
    others = [(offset + e.start_char, offset + e.end_char) for offset, doc in parsed for e in doc.ents if e.label_ not in PLACE_LABELS]
    return spans, names, others


def _prior(entry: GazetteerEntry, primary: bool, cue: str | None) -> float:
    if entry.curated:
        score = CURATED_PRIOR
    elif entry.fcode == "CONT":
        score = CONTINENT_PRIOR
    else:
        score = math.log10(entry.population + 10) + KIND_BONUS.get(entry.kind, 0.0)
        score += CAPITAL_BONUS if entry.fcode == "PPLC" else 0.0
        score += PRIMARY_NAME_BONUS if primary else -ALT_NAME_PENALTY
    if cue == "admin1" and (entry.kind == "admin1" or (entry.curated and entry.kind == "region")):
        score += CUE_BONUS
    elif cue == "admin2" and entry.kind == "admin2":
        score += CUE_BONUS
    elif cue == "city" and entry.kind == "city":
        score += CUE_BONUS / 2
    return score


def _lookup(gazetteer: Gazetteer, group: _Group) -> list[tuple[GazetteerEntry, bool]]:
    found = gazetteer.matches(group.name)
    if group.cues.get("admin2"):
        for suffix in ("County", "Parish", "District", "Borough"):
            found += gazetteer.matches(f"{group.name} {suffix}")
    seen: set[str] = set()
    unique = []
    for entry, primary in found:
        if entry.gid not in seen:
            seen.add(entry.gid)
            unique.append((entry, primary))
    return unique


@dataclass
class _Context:
    countries: Counter = field(default_factory=Counter)
    admin1s: set[tuple[str | None, str | None]] = field(default_factory=set)

    def share(self, country: str | None) -> float:
        total = sum(self.countries.values())
        return self.countries[country] / total if total and country else 0.0


def _score(entry: GazetteerEntry, primary: bool, group: _Group, cue: str | None, context: _Context | None) -> float:
    score = _prior(entry, primary, cue)
    if group.within and ((entry.country, None) in group.within or (entry.country, entry.admin1) in group.within):
        score += QUALIFIER_BONUS
    if context is not None:
        score += COUNTRY_CONTEXT * context.share(entry.country)
        if entry.kind != "admin1" and entry.admin1 and (entry.country, entry.admin1) in context.admin1s:
            score += ADMIN1_CONTEXT
    return score


def _choose(candidates: list[tuple[GazetteerEntry, bool]], group: _Group, cue: str | None, context: _Context | None) -> GazetteerEntry | None:
    if not candidates:
        return None
    return max(candidates, key=lambda c: (_score(c[0], c[1], group, cue, context), c[0].population))[0]


def _context(picks: dict[str, GazetteerEntry], groups: dict[str, _Group], candidates: dict[str, list], demonyms: Counter,
             leave_out: str | None = None) -> _Context:
    """The document's countries (weighted by mentions) and divisions, without the group ``leave_out``."""
    context = _Context()
    for name, entry in picks.items():
        if name == leave_out:
            continue
        weight = len(groups[name].mentions)
        if entry.country:
            context.countries[entry.country] += weight
        if entry.kind == "admin1":
            context.admin1s.add((entry.country, entry.name))
        elif entry.admin1 and len(candidates[name]) == 1:
            context.admin1s.add((entry.country, entry.admin1))
    for country, count in demonyms.items():
        context.countries[country] += DEMONYM_WEIGHT * count
    return context


def resolve_places(parsed: Parsed, body: str, entities: list[Entity], gazetteer: Gazetteer | None = None) -> list[Place]:
    """The places a page names, resolved to gazetteer entries with the document's context.

    Args:
        parsed: the body's parse (each paragraph's Doc with its offset).
        body: ``article.body``; every mention satisfies ``body[start:end] == text``.
        entities: the actor stage's entities (people, organisations and groups are not places).
        gazetteer: a gazetteer to use instead of the shipped one (tests).

    Returns:
        One :class:`Place` per distinct place, ids ``p1``, ``p2``... in order of first mention.
    """
    gazetteer = gazetteer or load_gazetteer()
    blocked_spans, person_names, other_spans = _not_places(parsed, entities, gazetteer)
    mentions = _merge(spacy_mentions(parsed, gazetteer), curated_mentions(body), other_spans)
    # names the gazetteer does not know ("Montreal East") leave room for the finder's ("Montreal")
    mentions = [m for m in mentions if gazetteer.matches(m.name) or m.cue == "admin2"]
    mentions = _merge(mentions, finder_mentions(parsed, gazetteer), [])
    demonyms: Counter = Counter()
    for _offset, doc in parsed:
        for ent in doc.ents:
            if ent.label_ == "NORP" and gazetteer.demonym_country(ent.text):
                demonyms[gazetteer.demonym_country(ent.text)] += 1
    groups: dict[str, _Group] = {}
    for mention in mentions:
        if (mention.start, mention.end) in blocked_spans or body[mention.start : mention.end] != mention.text:
            continue
        folded = key(mention.name)
        if len(folded) < 2 or folded in person_names or gazetteer.is_demonym(mention.name) or mention.name.islower():
            continue
        group = groups.setdefault(folded, _Group(mention.name))
        group.mentions.append(mention)
        qualifier = _QUALIFIER.match(body, mention.end)
        if qualifier:
            for entry, _primary in gazetteer.matches(qualifier.group(1)):
                if entry.kind == "admin1":
                    group.within.add((entry.country, entry.name))
                elif entry.kind == "country":
                    group.within.add((entry.country, None))
        if mention.cue:
            group.cues[mention.cue] += 1
    candidates = {name: _lookup(gazetteer, group) for name, group in groups.items()}
    cue_of = {name: (group.cues.most_common(1)[0][0] if group.cues else None) for name, group in groups.items()}
    picks = {n: e for n in groups if (e := _choose(candidates[n], groups[n], cue_of[n], None)) is not None}
    for _round in range(2):
        # each name is judged by the context of the other names (its own first guess must not vote)
        picks = {
            n: e for n in groups
            if (e := _choose(candidates[n], groups[n], cue_of[n], _context(picks, groups, candidates, demonyms, n))) is not None
        }
    context = _context(picks, groups, candidates, demonyms)
    by_place: dict[str, list[Mention]] = defaultdict(list)
    entry_of: dict[str, GazetteerEntry] = {}
    for name, entry in picks.items():
        if entry.kind == "city" and entry.population < FOREIGN_VILLAGE_POP and context.countries and not context.share(entry.country) > (
            len(groups[name].mentions) / max(sum(context.countries.values()), 1)
        ):
            continue  # a village in a country the rest of the page never mentions
        by_place[entry.gid].extend(groups[name].mentions)
        entry_of[entry.gid] = entry
    ordered = sorted(by_place.items(), key=lambda item: min(m.start for m in item[1]))
    return [_place(f"p{number}", entry_of[gid], mentions) for number, (gid, mentions) in enumerate(ordered, start=1)]


def _place(place_id: str, entry: GazetteerEntry, mentions: list[Mention]) -> Place:
    kind = "region" if entry.fcode == "CONT" else entry.kind
    if kind not in ("country", "admin1", "admin2", "city", "facility", "region", "water", "other"):
        kind = "other"
    unique = sorted({(m.start, m.end): m for m in mentions}.values(), key=lambda m: m.start)
    return Place(
        id=place_id,
        name=entry.name,
        kind=kind,  # type: ignore[arg-type]
        country=entry.country,
        admin1=entry.name if entry.kind == "admin1" else entry.admin1,
        lat=round(entry.lat, 4),
        lon=round(entry.lon, 4),
        gazetteer_id=entry.gid,
        mentions=[Span(text=m.text, start=m.start, end=m.end) for m in unique],
    )
