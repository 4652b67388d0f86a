"""The resolver's working records: titles read around names, mentions, and clusters of mentions."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

# spaCy labels → the contract's entity types (dates, numbers are not actors).
ENTITY_TYPES: dict[str, str] = {
    "PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "NORP": "NORP", "FAC": "FAC",
    "EVENT": "OTHER", "WORK_OF_ART": "OTHER", "LAW": "OTHER", "PRODUCT": "OTHER", "LANGUAGE": "OTHER",
}


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
    absorbed: set[int] = field(default_factory=set)  # first tokens of entities that are title words


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


def country_of(kb: Any, text: str) -> str | None:
    """The ISO3 country the KB gives a name, demonym or country word, or None (no KB, no match)."""
    if kb is None or not text.strip():
        return None
    try:
        return kb.country_of(text)
    except Exception:
        return None


def cluster_country(cluster: Cluster) -> str | None:
    """The country most of a cluster's titles give, or None."""
    counts = Counter(t.country for t in cluster.titles if t.country)
    return counts.most_common(1)[0][0] if counts else None
