"""Within-document actor resolution: one entity per person, group or state in a page.

:func:`resolve_actors` turns one body's parse into the record's ``entities``:

1. **Spans.** The model's entities after the ruler and span fixes (``sitroom.actors.ruler``),
   made consistent across the page by :func:`harmonize_labels` (one label per name; a lone
   surname of a known person is a person; unlabelled repeats of a name get its label), with the
   group actors ("Druze fighters", "Syrian government forces") in place of the NORP words inside
   them. A demonym that modifies something ("Syrian Foreign Minister", "Russian forces") gives a
   country and is not an entity of its own.
2. **Titles.** The words left of a person's name ("Syrian Foreign Minister", "Russia's President",
   "Israeli Minister of Strategic Affairs", "the Secretary General of NATO,") give the role as
   stated, the country (demonym, possessive, "of <country>") or organisation ("of NATO"), and the
   sector (``sitroom.actors.sectors``).
3. **Names.** Person names are grouped over a normalised skeleton (diacritics folded, al-/el-
   particles dropped, vowels and doubled letters collapsed) with rapidfuzz: two full names join
   when both surname and given name agree, so "Asaad Al-Shibani" joins "Asaad al-Shaibani" and
   "Bashar al-Assad" never joins "Hafez al-Assad". A surname alone joins the person of that
   surname mentioned most recently before it. Names are blocked by surname so a page with
   thousands of names stays near-linear.
4. **Role references.** "his Syrian counterpart", "Syria's foreign minister", "the Nato chief",
   "the former president" become mentions of the one person whose stated role, country or
   organisation fits, and only when exactly one does (or when an apposition names the person).
   No pronoun coreference.
5. **Linking.** Each entity is looked up in the actor KB (exact, then fuzzy for persons); a link
   needs the type, and any country the text gives, to agree. A linked entity takes the KB's name,
   and the role the KB says it held on the publication date when the text states none.

Countries (GPE entities that are countries) get ``country`` = themselves and **no sector**: a
country named alone is the state as a whole (CAMEO codes it with the country code alone, e.g.
"SYR", and so does the PLOVER gold), while "the Syrian government" or "Syrian forces" are group
actors with sector GOV or MIL.
"""


from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from spacy.tokens import Doc

from sitroom.actors.attributes import build_entities, context_countries, place_country, word_country
from sitroom.actors.grouping import cluster_mentions
from sitroom.actors.harmonize import group_spans, harmonize_labels
from sitroom.actors.mentions import ENTITY_TYPES, Mention, Title, country_of
from sitroom.actors.names import fold, name_tokens, same_word, skeleton
from sitroom.actors.ruler import _kb
from sitroom.actors.sectors import GROUP_NORP
from sitroom.actors.titles import add_role_references, read_title
from sitroom.model import Entity, doc_text

__all__ = [
    "fold", "group_spans", "harmonize_labels", "name_tokens", "place_country", "resolve_actors",
    "same_word", "skeleton", "word_country",
]


def modifies(doc: Doc, start: int, end: int) -> bool:
    """Whether the entity at tokens [start, end) modifies a word after it ("Syrian forces")."""
    if end >= len(doc):
        return False
    following = doc[end]
    if following.is_punct and following.text not in ("-", "–"):
        return False
    if following.text in ("-", "–"):
        return True
    if not following.is_alpha:
        return False
    if following.pos_ in ("VERB", "AUX", "ADP", "CCONJ", "SCONJ", "PART", "ADV", "DET", "PRON") and doc.has_annotation("POS"):
        return False  # "Young Algerians blocked roads": the people, not a modifier
    return True


def possessor_country(doc: Doc, start: int, kb: Any, ents: dict[int, tuple[int, int, str]]) -> Title | None:
    """The country of a group named as a country's ("Israel's Cabinet", "Syria's army") or after a
    demonym ("Iraqi Kurds", "Bosnian Serbs"), or None."""
    if start >= 1 and doc[start - 1].text[:1].isupper() and doc[start - 1].lower_ not in ("'s", "’s"):
        found = country_of(kb, doc[start - 1].text)
        return Title(country=found) if found else None
    if start < 2 or doc[start - 1].lower_ not in ("'s", "’s"):
        return None
    ent = ents.get(start - 2)
    if ent is None or ent[2] != "GPE":
        return None
    found = country_of(kb, doc[ent[0] : ent[1]].text)
    return Title(country=found) if found else None


def resolve_actors(
    parsed: Sequence[tuple[int, Doc]],
    body: str,
    published: dt.date | None,
    kb: Any = None,
) -> list[Entity]:
    """Resolve one body's entity mentions into the record's entities.

    Args:
        parsed: each paragraph's doc with its offset in ``body`` (``sitroom.nlp.Parsed``).
        body: the article body the offsets index.
        published: the publication date (for the KB role held on that day), if known.
        kb: the actor KB; the shipped one (``sitroom.actors.kb.load_kb``) when not given. Pass
            ``False`` to resolve without a KB.

    Returns:
        Entities with ids ``e1``, ``e2`` ... in order of first mention; every mention's
        ``body[start:end] == text``.
    """
    if kb is None:
        kb = _kb()
    elif kb is False:
        kb = None
    docs = [doc for _, doc in parsed]
    triples = harmonize_labels(docs)
    mentions: list[Mention] = []
    ent_maps: list[dict[int, tuple[int, int, str]]] = []
    group_sets = [set(group_spans(d)) for d in docs]
    for para, ((offset, doc), ents) in enumerate(zip(parsed, triples)):
        tok_map: dict[int, tuple[int, int, str]] = {}
        for s, e, label in ents:
            span = doc.char_span(s, e, alignment_mode="expand")
            if span is None or not len(span):
                continue
            for i in range(span.start, span.end):
                tok_map[i] = (span.start, span.end, label)
            if label not in ENTITY_TYPES:
                continue
            start, end = offset + span.start_char, offset + span.end_char
            text = body[start:end]
            if not text.strip():
                continue
            kind = "group" if (s, e, label) in group_sets[para] else "name"
            if kind == "name" and label == "NORP" and text.lower() not in GROUP_NORP and modifies(doc, span.start, span.end):
                continue  # a demonym modifying something ("Syrian forces"): a country, not an actor
            mentions.append(Mention(start, end, text, label, para, span.start, span.end, kind))
        ent_maps.append(tok_map)
    for m in mentions:
        if m.label == "PERSON":
            m.title = read_title(docs[m.para], m.tok_start, kb, ent_maps[m.para])
        elif m.label in ("ORG", "NORP"):
            m.title = possessor_country(docs[m.para], m.tok_start, kb, ent_maps[m.para])
    absorbed = {(m.para, i) for m in mentions if m.label == "PERSON" and m.title is not None for i in m.title.absorbed}
    mentions = [m for m in mentions if (m.para, m.tok_start) not in absorbed]  # "British Defence" of a title
    clusters = cluster_mentions(mentions, kb)
    for cluster in clusters:
        for m in list(cluster.mentions):
            if m.title is not None and m.title.phrase is not None:
                first, end = m.title.phrase
                offset, doc = parsed[m.para]
                start, stop = offset + doc[first].idx, offset + doc[end - 1].idx + len(doc[end - 1].text)
                cluster.mentions.append(Mention(start, stop, body[start:stop], "PERSON", m.para, first, end, "role"))
    add_role_references(clusters, parsed, body, ent_maps, kb)
    entities = build_entities(clusters, kb, published)
    context_countries(entities, [(offset, offset + len(doc_text(doc))) for offset, doc in parsed], body)
    return entities
