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
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz
from spacy.tokens import Doc
from spacy.util import filter_spans

from sitroom.actors.ruler import GROUPS_KEY, _kb
from sitroom.actors.sectors import (
    GROUP_NORP,
    PAST_MODIFIERS,
    ROLE_HEADS,
    TITLE_LINKS,
    TITLE_MODIFIERS,
    TITLE_SECTORS,
    group_sector,
    heads_match,
    normalise_sector,
    role_head,
    title_sector,
)
from sitroom.model import Entity, Span

# Labels whose mentions are harmonised across a document.
HARMONISED = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP")
# Longest entity (in tokens) propagated to unlabelled repeats of its text.
PROPAGATE_MAX_TOKENS = 6

EntTriple = tuple[int, int, str]  # (start_char, end_char, label) in the paragraph's doc


def group_spans(doc: Doc) -> list[EntTriple]:
    """The group-actor spans of a doc (``doc.spans["sitroom_groups"]``), longest first wins, that do
    not cut through a named entity other than a NORP."""
    if GROUPS_KEY not in doc.spans:
        return []
    named = [e for e in doc.ents if e.label_ != "NORP"]
    out: list[EntTriple] = []
    for span in filter_spans(list(doc.spans[GROUPS_KEY])):
        if any(e.start < span.end and span.start < e.end for e in named):
            continue
        out.append((span.start_char, span.end_char, span.label_))
    return out


def _merge_groups(triples: list[EntTriple], groups: list[EntTriple]) -> list[EntTriple]:
    """Entities with group spans in place of the NORP entities they cover."""
    if not groups:
        return triples
    kept = [t for t in triples if not any(g[0] <= t[0] and t[1] <= g[1] for g in groups)]
    return sorted(kept + groups)


def harmonize_labels(
    docs: Sequence[Doc], propagate: bool = True, vote: bool = True, surnames: bool = True, groups: bool = True
) -> list[list[EntTriple]]:
    """Make one document's entity labels consistent across its paragraphs.

    * **vote**: every mention of one text gets the label most of its mentions have;
    * **surnames**: a lone token equal to the last word of a multi-word PERSON is a PERSON
      ("Campese" after "David Campese"), whether the model left it unlabelled or labelled it otherwise;
    * **propagate**: an unlabelled repeat of a labelled name gets its label.

    Args:
        docs: the document's paragraph (or sentence) docs, in order.

    Returns:
        For each doc, its entities as ``(start_char, end_char, label)`` sorted by start.
    """
    ents: list[list[EntTriple]] = [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in docs]
    if groups:
        ents = [_merge_groups(triples, group_spans(d)) for triples, d in zip(ents, docs)]
    votes: dict[str, Counter[str]] = {}
    for doc, triples in zip(docs, ents):
        for s, e, label in triples:
            if label in HARMONISED:
                votes.setdefault(doc.text[s:e], Counter())[label] += 1
    surname_set: set[str] = set()
    if surnames:
        for text, counter in votes.items():
            words = text.split()
            if counter.most_common(1)[0][0] == "PERSON" and len(words) >= 2 and len(words[-1]) > 2 and words[-1][:1].isupper():
                surname_set.add(words[-1])
    best = {text: counter.most_common(1)[0][0] for text, counter in votes.items()}
    for text in surname_set:
        if text not in best or best[text] != "PERSON":
            best[text] = "PERSON"
    out: list[list[EntTriple]] = []
    for doc, triples in zip(docs, ents):
        new: list[EntTriple] = []
        taken = [False] * (len(doc.text) + 1)
        for s, e, label in triples:
            if label in HARMONISED and (vote or doc.text[s:e] in surname_set):
                label = best.get(doc.text[s:e], label)
            new.append((s, e, label))
            for i in range(s, e):
                taken[i] = True
        if propagate or surnames:
            i = 0
            tokens = list(doc)
            while i < len(tokens):
                token = tokens[i]
                hit = None
                if token.text[:1].isupper() and not taken[token.idx]:
                    for n in range(min(PROPAGATE_MAX_TOKENS, len(tokens) - i), 0, -1):
                        last = tokens[i + n - 1]
                        text = doc.text[token.idx : last.idx + len(last.text)]
                        if any(taken[token.idx : last.idx + len(last.text)]):
                            continue
                        if (propagate and text in best) or (n == 1 and text in surname_set):
                            hit = (token.idx, last.idx + len(last.text), best.get(text, "PERSON"), n)
                            break
                if hit:
                    new.append(hit[:3])
                    i += hit[3]
                else:
                    i += 1
        out.append(sorted(new))
    return out


# --------------------------------------------------------------------------------------------
# Resolution
# --------------------------------------------------------------------------------------------

# spaCy labels → the contract's entity types (dates, numbers are not actors).
ENTITY_TYPES: dict[str, str] = {
    "PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "NORP": "NORP", "FAC": "FAC",
    "EVENT": "OTHER", "WORK_OF_ART": "OTHER", "LAW": "OTHER", "PRODUCT": "OTHER", "LANGUAGE": "OTHER",
}
# Arabic (and similar) name particles dropped before comparing names ("al-Shaibani" = "Shaibani").
PARTICLES = frozenset({"al", "el", "ul", "ad", "ar", "as", "ash", "at", "az", "ed", "er", "es", "ud", "an", "ibn"})
# rapidfuzz ratio (0-100) two surnames / given names must reach to be the same name. Calibrated on
# transliteration pairs (Shaibani/Shibani 93, Sharaa/Shara 91, Ahmad/Ahmed 80) against different
# names (Bashar/Hafez 18, Assad/Asaad is caught by the skeleton, Lavrov/Larov 91 is accepted).
SURNAME_RATIO = 85
GIVEN_RATIO = 80
# Names shorter than this (characters) only join on exact skeletons: fuzzy ratios on 2-3 letter
# strings (and on short names in non-Latin scripts) merge unrelated names.
FUZZY_MIN_CHARS = 4
# KB fuzzy-match score (0-1) needed to link a person whose name is not an exact KB alias.
KB_FUZZY_LINK = 0.9
# Role heads that are informal descriptions; a formal title ("President") is preferred as the role.
INFORMAL_HEADS = frozenset({"ruler", "leader", "counterpart", "official", "head", "chief", "diplomat"})
# Determiners and possessives that open a role reference ("the former president", "his counterpart").
REFERENCE_OPENERS = frozenset({"the", "his", "her", "their", "its"})
_VOWELS = re.compile(r"[aeiouy]")
_DOUBLE = re.compile(r"(.)\1+")
_WORDS = re.compile(r"\w+")


def fold(text: str) -> str:
    """Lower-case, diacritics removed, apostrophes and hyphens as spaces (``"Al-Shibani"`` → ``"al shibani"``)."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[-‐‑–'’`´ʼ.]", " ", stripped.lower())


def name_tokens(text: str) -> list[str]:
    """A name's folded words without particles ("Bashar al-Assad" → ``["bashar", "assad"]``)."""
    words = _WORDS.findall(fold(text))
    kept = [w for w in words if w not in PARTICLES]
    return kept or words


def skeleton(word: str) -> str:
    """A transliteration-tolerant key: first letter, then consonants, doubled letters collapsed."""
    if not word:
        return word
    return _DOUBLE.sub(r"\1", word[0] + _VOWELS.sub("", word[1:]))


def same_word(a: str, b: str, ratio: int) -> bool:
    """Whether two folded name words are the same name (equal skeletons or a close fuzzy ratio)."""
    if a == b or skeleton(a) == skeleton(b):
        return True
    if min(len(a), len(b)) < FUZZY_MIN_CHARS:
        return False
    return fuzz.ratio(a, b) >= ratio


@dataclass
class Title:
    """A title read around a person's name."""

    role: str | None = None
    country: str | None = None
    org: str | None = None
    sector: str | None = None
    past: bool = False
    tokens: set[int] = field(default_factory=set)
    phrase: tuple[int, int] | None = None  # an appositive role phrase's tokens, a mention itself


@dataclass
class Mention:
    """One mention of an actor, in body offsets."""

    start: int
    end: int
    text: str
    label: str
    para: int
    tok_start: int
    tok_end: int
    kind: str = "name"  # name | group | role
    title: Title | None = None


@dataclass
class Cluster:
    """Mentions resolved to one actor, and what the text says about it."""

    label: str
    mentions: list[Mention] = field(default_factory=list)
    titles: list[Title] = field(default_factory=list)
    forms: list[list[str]] = field(default_factory=list)  # person name tokens per distinct form
    country: str | None = None
    sector: str | None = None
    key: str | None = None

    @property
    def first(self) -> int:
        return min(m.start for m in self.mentions)


def _country(kb: Any, text: str) -> str | None:
    if kb is None or not text.strip():
        return None
    try:
        return kb.country_of(text)
    except Exception:
        return None


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
                        title.country = title.country or _country(kb, text)
                words.extend(range(e_start - 1, j + 1))
                title.tokens.update(range(e_start - 1, j + 1))
                j = e_start - 2
                continue
            found = _country(kb, text)
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
            found = _country(kb, text)
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
        elif token.text[:1].isupper() and words and not token.ent_type_ and _country(kb, token.text):
            title.country = title.country or _country(kb, token.text)
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


def _person_form_matches(a: list[str], b: list[str]) -> bool:
    """Whether two multi-word person names are one person (surnames and given names agree)."""
    if not same_word(a[-1], b[-1], SURNAME_RATIO):
        return False
    return same_word(a[0], b[0], GIVEN_RATIO)


class _PersonIndex:
    """Person clusters blocked by surname skeleton, so matching stays near-linear."""

    def __init__(self) -> None:
        self.by_block: dict[str, list[Cluster]] = {}

    @staticmethod
    def block(word: str) -> str:
        return skeleton(word)[:2]

    def add(self, cluster: Cluster, form: list[str]) -> None:
        bucket = self.by_block.setdefault(self.block(form[-1]), [])
        if cluster not in bucket:
            bucket.append(cluster)

    def full_match(self, form: list[str]) -> Cluster | None:
        for cluster in self.by_block.get(self.block(form[-1]), []):
            if any(len(f) > 1 and _person_form_matches(form, f) for f in cluster.forms):
                return cluster
        return None

    def surname_matches(self, word: str) -> list[Cluster]:
        return [
            c for c in self.by_block.get(self.block(word), [])
            if any(len(f) > 1 and same_word(word, f[-1], SURNAME_RATIO) for f in c.forms)
        ]


def _modifies(doc: Doc, start: int, end: int) -> bool:
    """Whether the entity at tokens [start, end) modifies a word after it ("Syrian forces")."""
    if end >= len(doc):
        return False
    following = doc[end]
    if following.is_punct and following.text not in ("-", "–"):
        return False
    return following.is_alpha or following.text in ("-", "–")


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
            if kind == "name" and label == "NORP" and text.lower() not in GROUP_NORP and _modifies(doc, span.start, span.end):
                continue  # a demonym modifying something ("Syrian forces"): a country, not an actor
            mentions.append(Mention(start, end, text, label, para, span.start, span.end, kind))
        ent_maps.append(tok_map)
    for m in mentions:
        if m.label == "PERSON":
            m.title = read_title(docs[m.para], m.tok_start, kb, ent_maps[m.para])
    clusters = _cluster(mentions, kb)
    for cluster in clusters:
        for m in list(cluster.mentions):
            if m.title is not None and m.title.phrase is not None:
                first, end = m.title.phrase
                offset, doc = parsed[m.para]
                start, stop = offset + doc[first].idx, offset + doc[end - 1].idx + len(doc[end - 1].text)
                cluster.mentions.append(Mention(start, stop, body[start:stop], "PERSON", m.para, first, end, "role"))
    _role_references(clusters, parsed, body, ent_maps, kb)
    return _entities(clusters, kb, published)


def _cluster(mentions: list[Mention], kb: Any) -> list[Cluster]:
    """Group mentions into clusters: persons by name, other actors by KB id or folded text."""
    clusters: list[Cluster] = []
    people = _PersonIndex()
    by_key: dict[str, Cluster] = {}
    persons = [m for m in mentions if m.label == "PERSON"]
    # full names first (in order), then lone surnames against them
    for m in persons:
        form = name_tokens(m.text)
        if len(form) < 2:
            continue
        cluster = people.full_match(form)
        if cluster is None:
            cluster = Cluster("PERSON")
            clusters.append(cluster)
        if form not in cluster.forms:
            cluster.forms.append(form)
        people.add(cluster, form)
        cluster.mentions.append(m)
    singles: dict[str, Cluster] = {}
    for m in persons:
        form = name_tokens(m.text)
        if len(form) != 1:
            continue
        candidates = people.surname_matches(form[0])
        if candidates:
            before = [(max((x.start for x in c.mentions if x.start < m.start), default=-1), c) for c in candidates]
            latest, chosen = max(before, key=lambda pair: pair[0])
            if latest < 0:  # no full name before: only an unambiguous surname joins
                chosen = candidates[0] if len(candidates) == 1 else None  # type: ignore[assignment]
            if chosen is not None:
                chosen.mentions.append(m)
                continue
        key = skeleton(form[0]) if form else fold(m.text)
        cluster = singles.get(key)
        if cluster is None:
            cluster = Cluster("PERSON", forms=[form])
            singles[key] = cluster
            clusters.append(cluster)
        cluster.mentions.append(m)
    for m in mentions:
        if m.label == "PERSON":
            continue
        key = _actor_key(m, kb)
        cluster = by_key.get(key)
        if cluster is None:
            cluster = Cluster(m.label, key=key)
            by_key[key] = cluster
            clusters.append(cluster)
        cluster.mentions.append(m)
    _merge_acronyms(clusters)
    for cluster in clusters:
        cluster.mentions.sort(key=lambda x: x.start)
        cluster.titles = [m.title for m in cluster.mentions if m.title is not None]
    return [c for c in clusters if c.mentions]


def _actor_key(m: Mention, kb: Any) -> str:
    """The grouping key of a non-person mention: its KB id when the KB knows it, else its folded text."""
    entity_type = ENTITY_TYPES.get(m.label, "OTHER")
    if kb is not None and entity_type in ("ORG", "GPE", "NORP") and m.kind != "group":
        try:
            entries = kb.lookup(m.text)
        except Exception:
            entries = []
        for entry in entries:
            if entry.type == entity_type or (entity_type in ("GPE", "NORP") and entry.type in ("GPE", "NORP")):
                return f"{entity_type}:{entry.kb_id}"
    words = [w for w in _WORDS.findall(fold(m.text)) if w != "the"]
    return f"{entity_type}:{' '.join(words)}"


def _merge_acronyms(clusters: list[Cluster]) -> None:
    """Join an ORG written as an acronym ("SOHR") to the ORG it abbreviates, when exactly one does."""
    orgs = [c for c in clusters if c.label == "ORG" and c.mentions]
    initials: dict[str, list[Cluster]] = {}
    for c in orgs:
        words = [w for w in _WORDS.findall(c.mentions[0].text) if w.lower() not in ("of", "for", "the", "and", "on", "in")]
        if len(words) >= 2:
            initials.setdefault("".join(w[0] for w in words).upper(), []).append(c)
    for c in orgs:
        text = c.mentions[0].text
        if text.isupper() and text.isalpha() and len(initials.get(text, [])) == 1:
            target = initials[text][0]
            if target is not c:
                target.mentions.extend(c.mentions)
                c.mentions = []


# Modifiers too vague to tell two roles apart ("the new foreign minister" = "Foreign Minister").
_VAGUE = frozenset({"new", "top", "senior", "then", "longtime", "long-time", "interim", "acting"})


def _cluster_country(cluster: Cluster) -> str | None:
    counts = Counter(t.country for t in cluster.titles if t.country)
    return counts.most_common(1)[0][0] if counts else None


def _reference_phrase(doc: Doc, head: int, ents: dict[int, tuple[int, int, str]], kb: Any) -> tuple[int, int, Title] | None:
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
            found = _country(kb, text)
            title.country, title.org = (found, None) if found else (None, text)
            opener = e_start
            break
        if ent is not None and ent[2] in ("NORP", "GPE", "ORG"):
            text = doc[ent[0] : ent[1]].text
            found = _country(kb, text)
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
        if token.text[:1].isupper() and _country(kb, token.text):
            title.country = _country(kb, token.text)
            j -= 1
            continue
        return None
    if opener is None:
        return None
    end = head + 1
    if end + 1 < len(doc) and doc[end].lower_ == "of" and ents.get(end + 1) and ents[end + 1][2] in ("GPE", "ORG"):
        e_start, e_end, e_label = ents[end + 1]
        text = doc[e_start:e_end].text
        found = _country(kb, text)
        if found:
            title.country = found
        else:
            title.org = text
        end = e_end
    ordered = sorted(words)
    title.role = re.sub(r"\s*-\s*", "-", " ".join(doc[i].text for i in ordered))
    title.past = any(doc[i].lower_ in PAST_MODIFIERS for i in ordered)
    return opener, end, title


def _fits(ref: Title, cluster: Cluster) -> bool:
    """Whether a role reference fits one of a person cluster's stated titles."""
    if ref.role is None:
        return False
    ref_head = role_head(ref.role)
    ref_words = {w for w in _WORDS.findall(ref.role.lower())[:-1] if w in TITLE_MODIFIERS and w not in _VAGUE}
    country = _cluster_country(cluster)
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


def _role_references(
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
        for token in doc:
            if token.lower_ not in ROLE_HEADS or token.i in ents or token.i in taken or token.tag_ in ("NNS", "NNPS"):
                continue
            nxt = token.i + 1
            if nxt < len(doc) and doc[nxt].text in ("-", "‑"):
                continue  # the first half of "secretary-general"
            if nxt < len(doc) and ents.get(nxt, (0, 0, ""))[2] == "PERSON":
                continue  # a title before a name, read with the name
            found = _reference_phrase(doc, token.i, ents, kb)
            if found is None:
                continue
            first, end, ref = found
            target: Cluster | None = None
            if end + 1 < len(doc) and doc[end].text == "," and (para, end + 1) in starts:
                target = starts[(para, end + 1)]  # apposition: "his Syrian counterpart, Asaad Al-Shibani"
                if ref.country and not _cluster_country(target):
                    target.titles.append(Title(country=ref.country))
            elif token.lower_ == "counterpart":
                pool = [c for c in people if ref.country and _cluster_country(c) == ref.country]
                target = pool[0] if len(pool) == 1 else None
            else:
                pool = [c for c in people if _fits(ref, c)]
                target = pool[0] if len(pool) == 1 else None
            if target is None:
                continue
            start, stop = offset + doc[first].idx, offset + doc[end - 1].idx + len(doc[end - 1].text)
            target.mentions.append(Mention(start, stop, body[start:stop], "PERSON", para, first, end, "role"))
            taken.update(range(first, end))
    for c in people:
        c.mentions.sort(key=lambda x: x.start)


def _best_title(cluster: Cluster) -> Title | None:
    """The stated title to report: the first formal one ("President"), else the first."""
    with_role = [t for t in cluster.titles if t.role]
    formal = [t for t in with_role if role_head(t.role or "") not in INFORMAL_HEADS]
    return (formal or with_role or [None])[0]


def _link_person(cluster: Cluster, names: list[str], kb: Any, published: dt.date | None) -> Any:
    """The KB entry of a person cluster, when the names, the country and the date fit."""
    if kb is None:
        return None
    country = _cluster_country(cluster)
    candidates: list[Any] = []
    for name in names:
        try:
            candidates = [e for e in kb.lookup(name) if e.type == "PERSON"]
        except Exception:
            candidates = []
        if candidates:
            break
    if not candidates and len(name_tokens(names[0])) > 1:
        try:
            candidates = [e for e, score in kb.fuzzy(names[0], 3) if e.type == "PERSON" and score >= KB_FUZZY_LINK]
        except Exception:
            candidates = []
    if country:
        candidates = [
            e for e in candidates if e.country in (None, country) or any(r.country == country for r in e.roles)
        ]
    if published is not None and len(candidates) > 1:
        dated = [e for e in candidates if kb.role_on(e, published) is not None]
        candidates = dated or candidates
    return candidates[0] if candidates else None


def _entities(clusters: list[Cluster], kb: Any, published: dt.date | None) -> list[Entity]:
    """The contract's entities from clusters, numbered in order of first mention."""
    entities: list[Entity] = []
    for number, cluster in enumerate(sorted(clusters, key=lambda c: c.first), start=1):
        name_mentions = [m for m in cluster.mentions if m.kind != "role"]
        texts = list(dict.fromkeys(m.text for m in name_mentions)) or [cluster.mentions[0].text]
        entity_type = ENTITY_TYPES.get(cluster.label, "OTHER")
        kb_id = role = country = sector = None
        if entity_type == "PERSON":
            texts_by_fullness = sorted(texts, key=lambda t: (-len(name_tokens(t)), -len(t)))
            name = texts_by_fullness[0]
            best = _best_title(cluster)
            role = best.role if best else None
            country = _cluster_country(cluster)
            sector = best.sector if best else None
            if best and best.org and kb is not None:
                org = next((e for e in _safe_lookup(kb, best.org) if e.type == "ORG"), None)
                if org is not None and (org.sector in ("IGO", "NGO") or org.country is None):
                    sector = org.sector or sector
            entry = _link_person(cluster, texts_by_fullness, kb, published)
            if entry is not None:
                kb_id, name = entry.kb_id, entry.name
                held = kb.role_on(entry, published)
                if held is not None:
                    role = role or (held.title if held.source != "phoenix" else None)
                    country = country or held.country
                    sector = sector or normalise_sector(held.sector)
                country = country or entry.country
                sector = sector or normalise_sector(entry.sector)
        else:
            name = Counter(texts).most_common(1)[0][0] if len(texts) == 1 else max(texts, key=len)
            if cluster.key and ":" in cluster.key[len(entity_type) + 1 :] and kb is not None:
                entry = kb.get(cluster.key[len(entity_type) + 1 :]) if hasattr(kb, "get") else None
                if entry is not None:
                    kb_id, name = entry.kb_id, entry.name
                    country = entry.country
                    sector = normalise_sector(entry.sector) if entity_type != "GPE" else None
            is_group = any(m.kind == "group" for m in cluster.mentions)
            if entity_type in ("GPE", "LOC", "FAC"):
                country = country or _country(kb, name) or place_country(name)
            elif entity_type in ("NORP", "ORG"):
                country = country or _country(kb, name) or _word_country(kb, name)
                if is_group or entity_type == "NORP":
                    sector = sector or GROUP_NORP.get(name.lower()) or group_sector(name)
                    if sector is None and country and entity_type == "NORP":
                        sector = "CVL"  # a people named by nationality ("the Libyans")
                else:
                    sector = sector or title_sector(_WORDS.findall(name), groups=False)
                    if sector is None and country is None and _looks_international(name):
                        sector = "IGO"
            if entity_type in ("GPE", "LOC", "FAC"):
                sector = None if entity_type != "GPE" or country else sector
        aliases = [t for t in texts if t != name]
        spans = sorted({(m.start, m.end, m.text) for m in cluster.mentions})
        entities.append(
            Entity(
                id=f"e{number}",
                name=name,
                type=entity_type,  # type: ignore[arg-type]
                country=country,
                sector=sector,
                role=role,
                aliases=aliases,
                kb_id=kb_id,
                mentions=[Span(text=t, start=s, end=e) for s, e, t in spans],
            )
        )
    return entities


def _word_country(kb: Any, text: str) -> str | None:
    """The country of the first capitalised word of a name or group that denotes one ("Syrian
    government forces" → SYR)."""
    words = _WORDS.findall(text)
    for i, word in enumerate(words):
        if word[:1].isupper():
            for gram in (" ".join(words[i : i + 2]), word):  # "Ivory Coast" before "Ivory"
                found = _country(kb, gram)
                if found:
                    return found
    return None


# An unlinked organisation whose name has one of these words and one of INSTITUTION_WORDS and no
# country is an IGO ("European Community", "International Labor Office", "Asia-Pacific Economic
# Cooperation"); calibrated on the PLOVER gold IGO actors the KB lacks.
INTERNATIONAL_WORDS = frozenset(
    "international european african asian arab pacific world global united nations regional "
    "atlantic islamic inter-american commonwealth".split()
)
INSTITUTION_WORDS = frozenset(
    "community union council organization organisation office cooperation bank fund commission "
    "league agency court forum programme program alliance association assembly parliament".split()
)


def _looks_international(name: str) -> bool:
    words = {w.lower() for w in _WORDS.findall(name.replace("-", " "))}
    return bool(words & INTERNATIONAL_WORDS) and bool(words & INSTITUTION_WORDS)


@lru_cache(maxsize=1)
def _gazetteer() -> Any:
    try:
        from sitroom.places.gazetteer import load_gazetteer
    except ImportError:
        return None
    try:
        return load_gazetteer()
    except (OSError, ValueError):
        return None


def place_country(name: str) -> str | None:
    """The country of the most populous place the gazetteer knows by this name, or None."""
    gazetteer = _gazetteer()
    if gazetteer is None:
        return None
    try:
        found = gazetteer.candidates(name)
    except Exception:
        return None
    return found[0].country if found else None


def _safe_lookup(kb: Any, text: str) -> list[Any]:
    try:
        return list(kb.lookup(text))
    except Exception:
        return []
