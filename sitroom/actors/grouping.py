"""Grouping mentions into clusters: persons by name, other actors by KB id or folded text."""

from __future__ import annotations

import re
from typing import Any

from sitroom.actors.mentions import ENTITY_TYPES, Cluster, Mention
from sitroom.actors.names import PersonIndex, fold, name_tokens, skeleton

_WORDS = re.compile(r"\w+")


def cluster_mentions(mentions: list[Mention], kb: Any) -> list[Cluster]:
    """Group mentions into clusters: persons by name, other actors by KB id or folded text."""
    clusters: list[Cluster] = []
    people = PersonIndex()
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
        key = actor_key(m, kb)
        cluster = by_key.get(key)
        if cluster is None:
            cluster = Cluster(m.label, key=key)
            by_key[key] = cluster
            clusters.append(cluster)
        cluster.mentions.append(m)
    merge_acronyms(clusters)
    for cluster in clusters:
        cluster.mentions.sort(key=lambda x: x.start)
        cluster.titles = [m.title for m in cluster.mentions if m.title is not None]
    return [c for c in clusters if c.mentions]


def actor_key(m: Mention, kb: Any) -> str:
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


def merge_acronyms(clusters: list[Cluster]) -> None:
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
