"""One stored report of an event as fusion and the summary rules see it (:class:`Mention`),
built from its row by :func:`sitroom.store.fuse.load_mentions`."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

_STOP = frozenset(
    "a an the of in on at to for from by with and or but as is are was were be been has have had "
    "it its their his her they he she this that these those which who said says told after before "
    "over into than near about also would will could may might more most least at some".split()
)
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)


@dataclass(eq=False)
class Mention:
    """One stored event mention with what fusion compares. Built by :func:`load_mentions`."""

    id: int
    doc_id: str
    type: str
    mode: str | None
    cameo: str | None
    modality: str | None
    confidence: float | None
    attributed_to: str | None
    place: dict[str, Any]
    when_from: str | None
    when_to: str | None
    precision: str | None
    fuse_from: str | None
    fuse_to: str | None
    counts: dict[str, int | None]
    evidence: dict[str, Any]
    reported_at: str | None
    superseded_at: str | None
    fused_id: int | None
    document: dict[str, Any]
    sources: dict[int, dict[str, Any]] = field(default_factory=dict)
    targets: dict[int, dict[str, Any]] = field(default_factory=dict)
    context: list[dict[str, Any]] = field(default_factory=list)

    @cached_property
    def words(self) -> Counter[str]:
        """Content words of the evidence sentence, crudely stemmed (first five letters); a
        capitalised word (a name) weighs double, as names are what two reports share."""
        found: Counter[str] = Counter()
        for word in _WORD.findall(self.evidence.get("text") or ""):
            low = word.lower()
            if low not in _STOP:
                found[low[:5]] += 2 if word[0].isupper() else 1
        return found

    @property
    def countries(self) -> set[str]:
        """The place's country and every actor's."""
        found = {a["country"] for a in (*self.sources.values(), *self.targets.values()) if a.get("country")}
        if self.place.get("country"):
            found.add(self.place["country"])
        return found
