"""Entity attributes: KB links, the role held on the date, country and sector of each cluster."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from sitroom.actors.mentions import ENTITY_TYPES, Cluster, Title, cluster_country, country_of
from sitroom.actors.names import name_tokens
from sitroom.actors.sectors import GROUP_NORP, group_sector, normalise_sector, role_head, title_sector
from sitroom.model import Entity, Span

# KB fuzzy-match score (0-1) needed to link a person whose name is not an exact KB alias.
KB_FUZZY_LINK = 0.9
# Role heads that are informal descriptions; a formal title ("President") is preferred as the role.
INFORMAL_HEADS = frozenset({"ruler", "leader", "counterpart", "official", "head", "chief", "diplomat"})
_WORDS = re.compile(r"\w+")


def best_title(cluster: Cluster) -> Title | None:
    """The stated title to report: the first formal one ("President"), else the first."""
    with_role = [t for t in cluster.titles if t.role]
    formal = [t for t in with_role if role_head(t.role or "") not in INFORMAL_HEADS]
    return (formal or with_role or [None])[0]


def link_person(cluster: Cluster, names: list[str], kb: Any, published: dt.date | None) -> Any:
    """The KB entry of a person cluster, when the names, the country and the date fit."""
    if kb is None:
        return None
    country = cluster_country(cluster)
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


def build_entities(clusters: list[Cluster], kb: Any, published: dt.date | None) -> list[Entity]:
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
            best = best_title(cluster)
            role = best.role if best else None
            country = cluster_country(cluster)
            sector = best.sector if best else None
            if best and best.org and kb is not None:
                org = next((e for e in safe_lookup(kb, best.org) if e.type == "ORG"), None)
                if org is not None and (org.sector in ("IGO", "NGO") or org.country is None):
                    sector = org.sector or sector
            entry = link_person(cluster, texts_by_fullness, kb, published)
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
            # The longest spelling; of equal ones, not a capitals-only dateline or headline copy.
            name = texts[0] if len(texts) == 1 else max(texts, key=lambda t: (len(t), not (t.isupper() and len(t) > 4)))
            if cluster.key and ":" in cluster.key[len(entity_type) + 1 :] and kb is not None:
                entry = kb.get(cluster.key[len(entity_type) + 1 :]) if hasattr(kb, "get") else None
                if entry is not None:
                    kb_id, name = entry.kb_id, entry.name
                    country = entry.country
                    sector = normalise_sector(entry.sector) if entity_type != "GPE" else None
            is_group = any(m.kind == "group" for m in cluster.mentions)
            if entity_type in ("ORG", "NORP"):
                country = country or cluster_country(cluster)  # "Israel's Cabinet"
            if entity_type in ("GPE", "LOC", "FAC"):
                country = country or country_of(kb, name) or place_country(name)
            elif entity_type in ("NORP", "ORG"):
                country = country or country_of(kb, name) or word_country(kb, name)
                if sector is None and country is None and entity_type == "ORG" and looks_international(name):
                    sector = "IGO"  # "European Community": not the ethnic "community"
                if is_group or entity_type == "NORP":
                    sector = sector or GROUP_NORP.get(name.lower()) or group_sector(name)
                    if sector is None and country and entity_type == "NORP":
                        sector = "CVL"  # a people named by nationality ("the Libyans")
                else:
                    sector = sector or title_sector(_WORDS.findall(name), groups=False)
                    if sector is None and country is None and looks_international(name):
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


def context_countries(entities: list[Entity], paragraphs: list[tuple[int, int]], body: str = "") -> None:
    """Give a domestic actor the text does not place (no country, no KB link) the one country its
    paragraph, else its document, names ("President Dos Santos ... Angola", "Shona rebels ... the
    Mozambique government"), when exactly one country is named there.

    Args:
        entities: the document's entities (changed in place).
        paragraphs: each paragraph's (start, end) offsets in the body, in order.
        body: the body; an "ethnic <demonym>" group ("ethnic Albanians in Serbia") is coded by
            where it lives, the one other country its paragraph names, as CAMEO codes minorities.
    """
    def para_of(offset: int) -> int:
        for k, (start, end) in enumerate(paragraphs):
            if start <= offset < end:
                return k
        return -1

    named: dict[int, set[str]] = {}
    everywhere: set[str] = set()
    for entity in entities:
        if entity.country and (entity.type in ("GPE", "NORP") or entity.sector in DOMESTIC_SECTORS):
            for m in entity.mentions:
                named.setdefault(para_of(m.start), set()).add(entity.country)
            everywhere.add(entity.country)
    for entity in entities:
        first = entity.mentions[0].start if entity.mentions else 0
        if entity.country and entity.type in ("NORP", "ORG") and body[max(0, first - 7) : first].lower() == "ethnic ":
            others = named.get(para_of(first), set()) - {entity.country}
            if len(others) == 1:
                entity.country = next(iter(others))
            continue
        if entity.country or entity.kb_id or not entity.mentions:
            continue
        if entity.type == "PERSON":
            if not (entity.role or entity.sector) or entity.sector in ("IGO", "NGO"):
                continue
        elif entity.type not in ("ORG", "NORP") or entity.sector not in DOMESTIC_SECTORS:
            continue
        local = named.get(para_of(entity.mentions[0].start), set())
        if len(local) == 1:
            entity.country = next(iter(local))
        elif not local and len(everywhere) == 1:
            entity.country = next(iter(everywhere))


def word_country(kb: Any, text: str) -> str | None:
    """The country of the first capitalised word of a name or group that denotes one ("Syrian
    government forces" → SYR)."""
    words = _WORDS.findall(text)
    for i, word in enumerate(words):
        if word[:1].isupper():
            for gram in (" ".join(words[i : i + 2]), word):  # "Ivory Coast" before "Ivory"
                found = country_of(kb, gram)
                if found:
                    return found
    return None


# Sectors of actors that belong to one country: a country-less actor of these sectors takes the
# country its paragraph names (``context_countries``); international ones (IGO, NGO) never do.
DOMESTIC_SECTORS = frozenset({"GOV", "MIL", "REB", "OPP", "POL", "JUD", "COP", "LEG", "SPY", "MED", "BUS", "EDU", "LAB"})
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


def looks_international(name: str) -> bool:
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


def safe_lookup(kb: Any, text: str) -> list[Any]:
    try:
        return list(kb.lookup(text))
    except Exception:
        return []
