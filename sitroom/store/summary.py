"""A fused event's summary fields, folded one report at a time.

:class:`Tally` holds everything the summary rules of :mod:`sitroom.store.fuse` need, in a form
that takes one more report in time independent of how many it already holds: per mode, CAMEO
code, modality and place name a count and the first report that gave it; the best dated, the
narrowest and the most confident report so far; the count ranges; the actors; and the
independent-source partition over sites. It is stored as JSON with the fused event, so a report
joining an event of ten thousand reports costs what joining an event of two does. A full
recomputation (after a deletion, correction or merge) folds every current report in order; the
store's tests check that both ways give the same row.

Ties are broken by report order, ``(reported_at, id)``: the first report to give a value wins.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sitroom.store.actors import name_key
from sitroom.store.mention import Mention

PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "interval": 3, "year": 4, "unknown": 5}
PLACE_RANK = {"facility": 0, "city": 1, "admin2": 2, "other": 3, "region": 4, "water": 4, "admin1": 5, "country": 6}
MODALITY_ORDER = ("asserted", "claimed", "planned", "hypothetical", "negated")
COUNT_KINDS = ("killed", "injured", "arrested", "size")

# What the tally needs to know about a document before a report from it joins: whether the event
# already has a report from it, and that document's site (None when it has none or is absent).
DocLookup = Callable[[str], tuple[bool, str | None]]


def _order(m: Mention) -> list[Any]:
    return [m.reported_at or "", m.id]


def _days(a: str | None, b: str | None) -> int:
    if not a or not b:
        return 10**6
    return (dt.date.fromisoformat(b) - dt.date.fromisoformat(a)).days


class Tally:
    """The running summary of one fused event's current reports (see the module)."""

    def __init__(self, state: dict[str, Any] | None = None) -> None:
        self.s: dict[str, Any] = state or {
            "type": None, "n": 0, "docs": 0, "mode": {}, "cameo": {}, "modality": {}, "confidence": 0.0,
            "when": None, "narrow": None, "places": {}, "best": None, "counts": {}, "first": None, "last": None,
            "sources": {}, "targets": {}, "uf": {}, "solo": 0,
        }

    @classmethod
    def loads(cls, text: str) -> Tally:
        """A tally from its stored JSON."""
        return cls(json.loads(text))

    def dumps(self) -> str:
        """The tally as compact JSON, for the fused event's row."""
        return json.dumps(self.s, separators=(",", ":"))

    # ------------------------------------------------------------------ taking a report

    def add(self, m: Mention, lookup: DocLookup) -> None:
        """Fold in one report. ``lookup`` answers for the event as it was before this report."""
        s, order = self.s, _order(m)
        s["type"] = s["type"] or m.type
        s["n"] += 1
        for key, value in (("mode", m.mode), ("cameo", m.cameo)):
            if value:
                seen = s[key].setdefault(value, [0, order])
                seen[0] += 1
                seen[1] = min(seen[1], order)
        if m.modality:
            s["modality"][m.modality] = s["modality"].get(m.modality, 0) + 1
        s["confidence"] = max(s["confidence"], m.confidence or 0.0)
        if m.when_from and m.precision not in (None, "unknown"):
            when = [PRECISION_RANK.get(m.precision or "unknown", 5), int(m.modality != "asserted"), order,
                    m.when_from, m.when_to, m.precision]
            if s["when"] is None or when[:3] < s["when"][:3]:
                s["when"] = when
        narrow = [_days(m.fuse_from, m.fuse_to), m.id, m.fuse_from, m.fuse_to]
        if s["narrow"] is None or narrow[:2] < s["narrow"][:2]:
            s["narrow"] = narrow
        if m.place.get("name"):
            rank = PLACE_RANK.get(m.place.get("kind") or "other", 3)
            entry = s["places"].setdefault(name_key(m.place["name"]), [0, rank, order, dict(m.place)])
            entry[0] += 1
            if [rank, order] < entry[1:3]:
                entry[1:4] = [rank, order, dict(m.place)]
        best = [int(m.modality == "asserted"), m.confidence or 0.0, order, m.evidence.get("text")]
        if s["best"] is None or best[:2] > s["best"][:2] or (best[:2] == s["best"][:2] and order < s["best"][2]):
            s["best"] = best
        for kind in COUNT_KINDS:
            if value := m.counts.get(kind):
                low, high = s["counts"].get(kind, [value, value])
                s["counts"][kind] = [min(low, value), max(high, value)]
        if m.reported_at:
            s["first"] = min(s["first"] or m.reported_at, m.reported_at)
            s["last"] = max(s["last"] or m.reported_at, m.reported_at)
        for role, actors in (("sources", m.sources), ("targets", m.targets)):
            for actor_id, actor in actors.items():
                s[role][str(actor_id)] = actor.get("country")
        present, _ = lookup(m.doc_id)
        if not present:
            s["docs"] += 1
            self._add_source(m.doc_id, m.document.get("site"), m.document.get("duplicate_of"), lookup)

    def _find(self, node: str) -> str:
        parent = self.s["uf"]
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def _add_source(self, doc: str, site: str | None, duplicate_of: str | None, lookup: DocLookup) -> None:
        """Independent sources: documents joined by a shared site or a near-duplicate link.

        The partition keeps a node for every site and for each document in a duplicate link;
        a document with neither is a component of its own, only counted (``solo``).
        """
        s = self.s
        links = []
        if site:
            links.append("site:" + site.lower())
        if duplicate_of:
            links.append(self._doc_node(duplicate_of, lookup))
        if "doc:" + doc in s["uf"]:  # an earlier report's document named this one as its original
            links.append("doc:" + doc)
        if not links:
            s["solo"] += 1
            return
        node = "doc:" + doc
        for link in links:
            s["uf"][self._find(node)] = self._find(link)

    def _doc_node(self, doc: str, lookup: DocLookup) -> str:
        """The node of a document named as an original, joined to its site or taken out of the
        solo count when it already reports this event."""
        node = "doc:" + doc
        if node in self.s["uf"]:
            return node
        present, site = lookup(doc)
        if present and site:
            self.s["uf"][node] = self._find("site:" + site.lower())
        elif present:
            self.s["solo"] -= 1
        return node

    # ------------------------------------------------------------------ reading it out

    def summary(self) -> dict[str, Any]:
        """The summary fields (see :func:`sitroom.store.fuse.summarise` for their meaning)."""
        s = self.s
        roots = {self._find(node) for node in list(s["uf"])}
        modality, contested = None, False
        for name in MODALITY_ORDER:
            if s["modality"].get(name):
                modality = name
                contested = bool(s["modality"].get("negated")) and name in ("asserted", "claimed")
                break
        place = None
        if s["places"]:
            place = min(s["places"].values(), key=lambda e: (e[1], -e[0], e[2]))[3]
        when = s["when"]
        return {
            "type": s["type"],
            "mode": _first_most_common(s["mode"]),
            "cameo": _first_most_common(s["cameo"]),
            "modality": modality,
            "contested": contested,
            "confidence": s["confidence"],
            "when_from": when[3] if when else None,
            "when_to": when[4] if when else None,
            "precision": when[5] if when else "unknown",
            "fuse_from": s["narrow"][2] if s["narrow"] else None,
            "fuse_to": s["narrow"][3] if s["narrow"] else None,
            "place": dict(place) if place else None,
            "count_ranges": {k: {"min": v[0], "max": v[1]} for k, v in s["counts"].items()},
            "first_reported": s["first"],
            "last_updated": s["last"],
            "n_mentions": s["n"],
            "n_documents": s["docs"],
            "n_sources": len(roots) + s["solo"],
            "source_ids": [int(i) for i in s["sources"]],
            "target_ids": [int(i) for i in s["targets"]],
            "countries": sorted({c for c in (*s["sources"].values(), *s["targets"].values()) if c}
                                | ({place["country"]} if place and place.get("country") else set())),
            "evidence": s["best"][3] if s["best"] else None,
        }


def _first_most_common(seen: dict[str, list[Any]]) -> str | None:
    if not seen:
        return None
    return min(seen.items(), key=lambda kv: (-kv[1][0], kv[1][1]))[0]


def tally(mentions: Sequence[Mention]) -> Tally:
    """Fold every report of one event, in report order."""
    ordered = sorted(mentions, key=lambda m: (m.reported_at or "", m.id))
    site_of = {m.doc_id: m.document.get("site") for m in ordered}
    seen: set[str] = set()
    result = Tally()
    for m in ordered:
        result.add(m, lambda doc: (doc in seen, site_of.get(doc) if doc in seen else None))
        seen.add(m.doc_id)
    return result


def independent_sources(mentions: Iterable[Mention]) -> int:
    """Distinct sites among the mentions' documents, near-duplicate bodies counted once.

    Documents are grouped when they share a site or one is a near-duplicate of the other; each
    group is one independent source. A document with no site is its own source.
    """
    return tally(list(mentions)).summary()["n_sources"]
