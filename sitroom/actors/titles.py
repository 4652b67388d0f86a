"""Titles and role references: what the words around a person say about them.

* :func:`read_title` reads the title left of a name ("Syrian Foreign Minister", "Russia's
  President", "Israeli Minister of Strategic Affairs", "the Secretary General of NATO,"): the role
  as stated, the country (demonym, possessive, "of <country>") or organisation ("of NATO"), and the
  sector (``sitroom.actors.sectors``).
* :func:`add_role_references` makes "his Syrian counterpart", "Syria's foreign minister", "the
  Nato chief", "the former president" mentions of the one person whose stated role, country or
  organisation fits, and only when exactly one does (or when an apposition names the person).
  No pronoun coreference.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from spacy.attrs import LOWER
from spacy.strings import get_string_id
from spacy.tokens import Doc

from sitroom.actors.mentions import Cluster, Mention, Title, cluster_country, country_of
from sitroom.actors.names import fold
from sitroom.actors.sectors import (
    PAST_MODIFIERS,
    ROLE_HEADS,
    TITLE_LINKS,
    TITLE_MODIFIERS,
    TITLE_SECTORS,
    heads_match,
    role_head,
    title_sector,
)

# Determiners and possessives that open a role reference ("the former president", "his counterpart").
REFERENCE_OPENERS = frozenset({"the", "his", "her", "their", "its"})
_WORDS = re.compile(r"\w+")


def read_title(doc: Doc, start: int, kb: Any, ents: dict[int, tuple[int, int, str]]) -> Title | None:
    """Read the title left of the name starting at token ``start`` ("Syrian Foreign Minister ...").

    Args:
        doc: the paragraph's doc.
        start: the name's first token.
        kb: the actor KB (for demonyms and countries), or None.
        ents: token index → (ent start token, ent end token, label) for the paragraph's entities.

    Returns:
        The title, or None when no title word precedes the name.
    """
    j = start - 1
    appositive = j >= 0 and doc[j].text == ","
    if appositive:  # "the Secretary General of NATO, Mark Rutte"
        j -= 1
    title = Title()
    words: list[int] = []
    has_head = False
    while j >= 0:
        token = doc[j]
        low = token.lower_
        ent = ents.get(j)
        if ent is not None and ent[2] in ("GPE", "ORG", "NORP") and not (ent[2] == "PERSON"):
            e_start, _, e_label = ent
            link = doc[e_start - 1].lower_ if e_start >= 1 else ""
            before_link = doc[e_start - 2].lower_ if e_start >= 2 else ""
            text = doc[e_start : j + 1].text
            if link in TITLE_LINKS and (before_link in TITLE_SECTORS or before_link in TITLE_MODIFIERS):
                if link in ("of", "for"):
                    if e_label == "ORG":
                        title.org = title.org or text
                    else:
                        title.country = title.country or country_of(kb, text)
                words.extend(range(e_start - 1, j + 1))
                title.tokens.update(range(e_start - 1, j + 1))
                j = e_start - 2
                continue
            rest = range(e_start + 1, j + 1)
            demonym = country_of(kb, doc[e_start].text) if e_label == "ORG" and words else None
            if demonym and len(rest) and all(doc[i].lower_ in TITLE_SECTORS or doc[i].lower_ in TITLE_MODIFIERS for i in rest):
                # the model's "British Defence" ORG in "British Defence Secretary Tom King": a demonym
                # and the title's own words
                title.country = title.country or demonym
                words.extend(rest)
                title.tokens.update(range(e_start, j + 1))
                title.absorbed.add(e_start)
                j = e_start - 1
                continue
            found = country_of(kb, text)
            if words and (found or e_label == "ORG"):
                if found:
                    title.country = title.country or found
                else:
                    title.org = title.org or text
                title.tokens.update(range(e_start, j + 1))
                j = e_start - 1
                if j >= 0 and doc[j].lower_ in PAST_MODIFIERS | TITLE_MODIFIERS:
                    continue
                break
            break
        if low in ("'s", "’s") and j >= 1 and ents.get(j - 1) and ents[j - 1][2] in ("GPE", "ORG") and words:
            e_start = ents[j - 1][0]
            text = doc[e_start:j].text
            found = country_of(kb, text)
            if found:
                title.country = title.country or found
            else:
                title.org = title.org or text
            title.tokens.update(range(e_start, j + 1))
            break
        if low in TITLE_SECTORS or low in ROLE_HEADS:
            has_head = True
            words.append(j)
        elif low in TITLE_MODIFIERS or low in PAST_MODIFIERS or (low == "-" and words):
            words.append(j)
        elif low in TITLE_LINKS and words and j >= 1 and (doc[j - 1].lower_ in TITLE_SECTORS or doc[j - 1].lower_ in TITLE_MODIFIERS):
            words.append(j)
        elif token.text[:1].isupper() and words and not token.ent_type_ and country_of(kb, token.text):
            title.country = title.country or country_of(kb, token.text)
            title.tokens.add(j)
        else:
            break
        title.tokens.add(j)
        j -= 1
    if not has_head:
        return None if title.country is None else Title(country=title.country)
    ordered = sorted(words)
    while ordered and doc[ordered[-1]].lower_ in TITLE_LINKS:
        ordered.pop()
    pieces = "".join(doc[i].text + ((doc[i].whitespace_ or "") if i + 1 in ordered else " ") for i in ordered)
    title.role = re.sub(r"\s*-\s*", "-", pieces).strip() or None
    if appositive and j >= 0 and (doc[j].lower_ in REFERENCE_OPENERS or doc[j].lower_ in ("'s", "’s")):
        first = j if doc[j].lower_ in REFERENCE_OPENERS else min(title.tokens | {j})
        title.phrase = (first, start - 1)  # "his Syrian counterpart," / "the Secretary General of NATO,"
    title.past = any(doc[i].lower_ in PAST_MODIFIERS for i in ordered)
    title.sector = title_sector([doc[i].text for i in ordered], kb)
    return title



# Modifiers too vague to tell two roles apart ("the new foreign minister" = "Foreign Minister").
_VAGUE = frozenset({"new", "top", "senior", "then", "longtime", "long-time", "interim", "acting"})


def reference_phrase(doc: Doc, head: int, ents: dict[int, tuple[int, int, str]], kb: Any) -> tuple[int, int, Title] | None:
    """The role reference ending at token ``head`` ("his Syrian counterpart", "Syria's foreign
    minister", "the Nato chief"), as (first token, end token, what it says), or None."""
    title = Title()
    words = [head]
    j = head - 1
    opener = None
    while j >= 0:
        token = doc[j]
        low = token.lower_
        ent = ents.get(j)
        if low in REFERENCE_OPENERS:
            opener = j
            break
        if low in ("'s", "’s") and ents.get(j - 1) and ents[j - 1][2] in ("GPE", "ORG"):
            e_start = ents[j - 1][0]
            text = doc[e_start:j].text
            found = country_of(kb, text)
            title.country, title.org = (found, None) if found else (None, text)
            opener = e_start
            break
        if ent is not None and ent[2] in ("NORP", "GPE", "ORG"):
            text = doc[ent[0] : ent[1]].text
            found = country_of(kb, text)
            if found:
                title.country = found
            elif ent[2] == "ORG":
                title.org = text
            else:
                return None
            j = ent[0] - 1
            continue
        if low in TITLE_MODIFIERS or low in PAST_MODIFIERS or low in TITLE_SECTORS or low == "-":
            words.append(j)
            j -= 1
            continue
        if token.text[:1].isupper() and country_of(kb, token.text):
            title.country = country_of(kb, token.text)
            j -= 1
            continue
        return None
    if opener is None:
        return None
    end = head + 1
    if end + 1 < len(doc) and doc[end].lower_ == "of" and ents.get(end + 1) and ents[end + 1][2] in ("GPE", "ORG"):
        e_start, e_end, e_label = ents[end + 1]
        text = doc[e_start:e_end].text
        found = country_of(kb, text)
        if found:
            title.country = found
        else:
            title.org = text
        end = e_end
    ordered = sorted(words)
    title.role = re.sub(r"\s*-\s*", "-", " ".join(doc[i].text for i in ordered))
    title.past = any(doc[i].lower_ in PAST_MODIFIERS for i in ordered)
    return opener, end, title


def fits_role(ref: Title, cluster: Cluster) -> bool:
    """Whether a role reference fits one of a person cluster's stated titles."""
    if ref.role is None:
        return False
    ref_head = role_head(ref.role)
    ref_words = {w for w in _WORDS.findall(ref.role.lower())[:-1] if w in TITLE_MODIFIERS and w not in _VAGUE}
    country = cluster_country(cluster)
    if ref.country and country != ref.country:
        return False
    for obs in cluster.titles:
        if obs.role is None or obs.past != ref.past:
            continue
        if ref.org and (obs.org is None or fold(obs.org).strip() != fold(ref.org).strip()):
            continue
        obs_words = set(_WORDS.findall(obs.role.lower().replace("-", " "))) | {obs.role.lower()}
        if ref_head and heads_match(ref_head, role_head(obs.role) or "") and ref_words <= obs_words:
            return True
    return False


@lru_cache(maxsize=1)
def _role_head_ids() -> np.ndarray:
    return np.array(sorted(get_string_id(word) for word in ROLE_HEADS), dtype=np.uint64)


def _role_head_positions(doc: Doc) -> list[int]:
    """Positions of the tokens whose lower-case form is in ROLE_HEADS, in order."""
    if not len(doc):
        return []
    return [int(i) for i in np.flatnonzero(np.isin(doc.to_array(LOWER), _role_head_ids()))]


def add_role_references(
    clusters: list[Cluster], parsed: Sequence[tuple[int, Doc]], body: str, ent_maps: list[dict[int, tuple[int, int, str]]], kb: Any
) -> None:
    """Add role references ("the former president") as mentions of the one person they fit."""
    people = [c for c in clusters if c.label == "PERSON"]
    if not people:
        return
    starts: dict[tuple[int, int], Cluster] = {}
    used: dict[int, set[int]] = {}
    for c in people:
        for m in c.mentions:
            starts[(m.para, m.tok_start)] = c
            if m.title:
                used.setdefault(m.para, set()).update(m.title.tokens)
    for para, (offset, doc) in enumerate(parsed):
        ents = ent_maps[para]
        taken = used.get(para, set())
        for i in _role_head_positions(doc):  # the few tokens that can head a role, found without a Token each
            token = doc[i]
            if token.i in ents or token.i in taken or token.tag_ in ("NNS", "NNPS"):
                continue
            nxt = token.i + 1
            if nxt < len(doc) and doc[nxt].text in ("-", "‑"):
                continue  # the first half of "secretary-general"
            if nxt < len(doc) and ents.get(nxt, (0, 0, ""))[2] == "PERSON":
                continue  # a title before a name, read with the name
            found = reference_phrase(doc, token.i, ents, kb)
            if found is None:
                continue
            first, end, ref = found
            target: Cluster | None = None
            if end + 1 < len(doc) and doc[end].text == "," and (para, end + 1) in starts:
                target = starts[(para, end + 1)]  # apposition: "his Syrian counterpart, Asaad Al-Shibani"
                if ref.country and not cluster_country(target):
                    target.titles.append(Title(country=ref.country))
            elif token.lower_ == "counterpart":
                pool = [c for c in people if ref.country and cluster_country(c) == ref.country]
                target = pool[0] if len(pool) == 1 else None
            else:
                pool = [c for c in people if fits_role(ref, c)]
                target = pool[0] if len(pool) == 1 else None
            if target is None:
                continue
            start, stop = offset + doc[first].idx, offset + doc[end - 1].idx + len(doc[end - 1].text)
            target.mentions.append(Mention(start, stop, body[start:stop], "PERSON", para, first, end, "role"))
            taken.update(range(first, end))
    for c in people:
        c.mentions.sort(key=lambda x: x.start)
