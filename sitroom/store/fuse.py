"""Cross-document fusion: one fused event per real-world event, however many reports name it.

Every stored event row is a *mention*: what one document said about one event. When a mention
arrives, :func:`fuse_mention` looks for fused events that could be the same event (same type,
overlapping time, a shared country or none known; the :data:`MAX_CANDIDATES` likeliest) and scores
the mention against each one's :data:`COMPARE_AT_MOST` most recent current mentions with
:func:`pair_score`, a sum of explainable parts:

========================  ===============================================================
time                      intervals must overlap; both known to the day and equal: +1.0
place                     different countries, or two towns over 25 km apart: not the same;
                          same place: +1.5; one inside the other: +0.5; no place given but
                          the other's place among the document's main places: +0.75
actors                    shared source actor +1.5, shared target +1.0, a source of one the
                          target of the other +1.0 (each 0.5 less when only states are
                          shared); else: named persons/organisations as
                          sources on both sides, none shared, -1.5 (+0.5 if two share country
                          and sector: two names for one body); a shared source country +0.5
evidence                  +2.5 × cosine of the two sentences' content words (names count
                          double)
counts                    the same kind within a factor 1.6: +0.5; over 4× apart: -1.0
same document             -1.5 (one article naming two events usually means two events)
syndicated copies         +1.0 when one document is a near-duplicate of the other
========================  ===============================================================

A mention joins the best fused event scoring at least :data:`SAME`; with none it founds a new
one. If a second fused event also scores :data:`MERGE` or more and the two agree on time and
place, they are merged: the older id stays, the other is marked ``merged`` and the merge is
logged. Ids never change otherwise. Deleting a report can disconnect a fused event's mentions:
:func:`resplit` then splits it, the largest part keeping the id, and logs the split.

A fused event's summary (:func:`summarise`) is derived from its *current* mentions (not
superseded by a correction) by fixed rules: the most precise date, the most specific place,
every count as a min–max range with each source's value, the union of actors, modality
``asserted`` if any mention asserts it (``contested`` when another denies it), and the number
of independent sources: distinct sites, with near-duplicate bodies (syndicated copies) counted
once. The stored row is kept up to date by a running tally (:mod:`sitroom.store.summary`), so a
report joining a large event costs no more than one joining a small one.

The weights were set by reasoning about the cases above, then checked (not fitted) on the
fusion gold set in ``bench/fusion``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Date, and_, bindparam, case, cast, delete, exists, func, insert, literal, or_, select, update

from sitroom.places.gazetteer import distance_km
from sitroom.store.actors import name_key
from sitroom.store.schema import (
    actors,
    assignments,
    documents,
    event_actors,
    events,
    fused_actors,
    fused_countries,
    fused_events,
    fused_history,
    fusion_keys,
)
from sitroom.store.mention import Mention
from sitroom.store.summary import COUNT_KINDS, Tally, tally

# Scores: a mention joins a fused event at SAME or above; a second candidate at MERGE or above
# is merged into the first. Set by reasoning over the cases in the module docstring.
SAME = 2.0
MERGE = 3.0
# Two town-level places further apart than this are two events.
SAME_PLACE_KM = 25.0
# A mention whose date is unknown (or vaguer than LONGEST_INTERVAL_DAYS) is compared over the
# REPORT_WINDOW_DAYS up to its report: news reports events of the last few days.
REPORT_WINDOW_DAYS = 7
LONGEST_INTERVAL_DAYS = 40
# A mention with no place of its own whose document names the other's place.
CONTEXT_PLACE = 0.75
# At most this many fused events are scored against a new mention (the likeliest first; see
# _candidates). In tests and the gold set a mention has a handful; a busy store thousands.
MAX_CANDIDATES = 30
# At most this many mentions of one fused event are compared with a new mention (most recent).
COMPARE_AT_MOST = 10
# Where a write transaction keeps the mentions fusion has read (see _recent_mentions), and how
# many at most.
MENTION_CACHE = "sitroom.fuse.mentions"
MENTION_CACHE_SIZE = 50_000
# The settled date (fused_events.settled_at) of an event with a report of no date: never settled.
NEVER = "9999-12-31"

_LOCAL_KINDS = frozenset({"facility", "city", "admin2", "other"})
_NAMED_TYPES = frozenset({"PERSON", "ORG"})
_STATE_TYPES = frozenset({"GPE", "NORP"})
# ------------------------------------------------------------------------------------ dates


def fusion_interval(when_from: str | None, when_to: str | None, precision: str | None, reported_at: str | None) -> tuple[str | None, str | None]:
    """The interval fusion compares: the event's own when known and narrow, else the report window."""
    if when_from and when_to and precision not in (None, "unknown"):
        days = (dt.date.fromisoformat(when_to) - dt.date.fromisoformat(when_from)).days
        if days <= LONGEST_INTERVAL_DAYS:
            return when_from, when_to
    if not reported_at:
        return None, None
    day = dt.date.fromisoformat(reported_at[:10])
    return (day - dt.timedelta(days=REPORT_WINDOW_DAYS)).isoformat(), day.isoformat()


def _overlap(a_from: str | None, a_to: str | None, b_from: str | None, b_to: str | None) -> bool:
    if not (a_from and a_to and b_from and b_to):
        return True
    return a_from <= b_to and b_from <= a_to


# ------------------------------------------------------------------------------------ scoring


def place_relation(a: dict[str, Any], b: dict[str, Any]) -> float | None:
    """Score two places: None when they cannot be one event's, else a bonus (0 when unknown)."""
    if not a.get("name") or not b.get("name"):
        return 0.0
    if a.get("country") and b.get("country") and a["country"] != b["country"]:
        return None
    if (a.get("gid") and a.get("gid") == b.get("gid")) or name_key(a["name"]) == name_key(b["name"]):
        return 1.5
    a_local, b_local = a.get("kind") in _LOCAL_KINDS, b.get("kind") in _LOCAL_KINDS
    if a_local and b_local:
        if None in (a.get("lat"), a.get("lon"), b.get("lat"), b.get("lon")):
            return 0.0
        if distance_km(a["lat"], a["lon"], b["lat"], b["lon"]) > SAME_PLACE_KM:
            return None
        return 1.0
    for inner, outer in ((a, b), (b, a)):
        if outer.get("kind") == "country" or (outer.get("kind") == "admin1" and inner.get("admin1")
                                               and name_key(inner["admin1"]) == name_key(outer["name"])):
            return 0.5
    return 0.0


def _context_score(m: Mention, n: Mention) -> float:
    """When a mention names no place ("in the city"), its document's own places stand in, weakly."""
    if m.place.get("name") and n.place.get("name"):
        return 0.0
    if not m.place.get("name") and not n.place.get("name"):
        pairs = [(a, b) for a in m.context for b in n.context]
    elif not m.place.get("name"):
        pairs = [(a, n.place) for a in m.context]
    else:
        pairs = [(m.place, b) for b in n.context]
    return CONTEXT_PLACE if any((place_relation(a, b) or 0.0) >= 1.0 for a, b in pairs) else 0.0


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b[k] for k, v in a.items() if k in b)
    return dot / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))


def _actor_score(m: Mention, n: Mention) -> float:
    def shared(a: dict[int, dict[str, Any]], b: dict[int, dict[str, Any]], full: float) -> float:
        common = set(a) & set(b)
        if not common:
            return 0.0
        # A state shared by two reports says less than a shared group or person: most events in
        # a country involve it.
        return full if any(a[i].get("type") not in _STATE_TYPES for i in common) else full - 0.5

    score = shared(m.sources, n.sources, 1.5) + shared(m.targets, n.targets, 1.0)
    score += max(shared(m.sources, n.targets, 1.0), shared(m.targets, n.sources, 1.0))
    if score:
        return score
    m_named = [a for a in m.sources.values() if a.get("type") in _NAMED_TYPES]
    n_named = [a for a in n.sources.values() if a.get("type") in _NAMED_TYPES]
    if m_named and n_named:
        # Two names for one body ("the Israeli army", "the IDF") share country and sector;
        # otherwise two named groups or people mean two events.
        same_body = {(a.get("country"), a.get("sector")) for a in m_named if a.get("country") and a.get("sector")}
        if same_body & {(a.get("country"), a.get("sector")) for a in n_named}:
            return 0.5
        return -1.5
    m_countries = {a["country"] for a in m.sources.values() if a.get("country")}
    n_countries = {a["country"] for a in n.sources.values() if a.get("country")}
    return 0.5 if m_countries & n_countries else 0.0


def _count_score(m: Mention, n: Mention) -> float:
    score = 0.0
    for kind in COUNT_KINDS:
        a, b = m.counts.get(kind), n.counts.get(kind)
        if not a or not b:
            continue
        ratio = max(a, b) / min(a, b)
        if ratio <= 1.6:
            score = max(score, 0.5)
        elif ratio > 4 and max(a, b) >= 10:
            return -1.0
    return score


def pair_score(m: Mention, n: Mention) -> float | None:
    """How strongly two mentions look like one event; None when they cannot be (see the module)."""
    if m.type != n.type or not _overlap(m.fuse_from, m.fuse_to, n.fuse_from, n.fuse_to):
        return None
    place = place_relation(m.place, n.place)
    if place is None:
        return None
    score = place or _context_score(m, n)
    if m.precision == n.precision == "day" and m.when_from == n.when_from:
        score += 1.0
    score += _actor_score(m, n)
    score += 2.5 * _cosine(m.words, n.words)
    score += _count_score(m, n)
    if m.doc_id == n.doc_id:
        score -= 1.5
    elif m.document.get("duplicate_of") == n.doc_id or n.document.get("duplicate_of") == m.doc_id:
        score += 1.0
    return score


def _group_score(m: Mention, group: Sequence[Mention], stored: dict[str, Any]) -> float | None:
    """The best pair score of ``m`` with the group's most recent mentions; None on any hard conflict
    with the group's stored summary (its narrowest interval and most specific place, as
    :func:`refresh` last wrote them from these same mentions)."""
    if not group:
        return None
    if not _overlap(m.fuse_from, m.fuse_to, stored["fuse_from"], stored["fuse_to"]):
        return None
    if stored["place"]["name"] and place_relation(m.place, stored["place"]) is None:
        return None
    recent = sorted(group, key=lambda g: (g.reported_at or "", g.id))[-COMPARE_AT_MOST:]
    scores = [s for s in (pair_score(m, g) for g in recent) if s is not None]
    return max(scores) if scores else None


def _place_keys(place: dict[str, Any]) -> dict[str, Any]:
    return {"name": place.get("name"), "country": place.get("country"), "admin1": place.get("admin1"),
            "kind": place.get("kind"), "gid": place.get("gid"), "lat": place.get("lat"), "lon": place.get("lon")}


# ------------------------------------------------------------------------------------ summary


def summarise(mentions: Sequence[Mention]) -> dict[str, Any]:
    """The summary fields of a fused event from its current mentions, by the rules of the module.

    The fields stored with the event come from :class:`sitroom.store.summary.Tally`; this adds
    what a reader sees besides: every count with each source's value (``counts``), the actors
    (``sources``, ``targets``) and the ``sites``.
    """
    ordered = sorted(mentions, key=lambda m: (m.reported_at or "", m.id))
    s = tally(ordered).summary()
    counts: dict[str, dict[str, Any]] = {}
    for kind, span in s["count_ranges"].items():
        by_source = [{"site": m.document.get("site"), "doc_id": m.doc_id, "mention_id": m.id, "value": m.counts[kind]}
                     for m in ordered if m.counts.get(kind)]
        counts[kind] = {**span, "by_source": by_source}
    sources: dict[int, dict[str, Any]] = {}
    targets: dict[int, dict[str, Any]] = {}
    for m in ordered:
        sources.update(m.sources)
        targets.update(m.targets)
    return {**s, "counts": counts, "sources": sources, "targets": targets,
            "sites": sorted({m.document["site"] for m in ordered if m.document.get("site")})}


# ------------------------------------------------------------------------------------ loading


_MENTION_COLUMNS = (
    events.c.id, events.c.doc_id, events.c.type, events.c.mode, events.c.cameo, events.c.modality,
    events.c.confidence, events.c.attributed_to, events.c.place_name, events.c.place_country,
    events.c.place_admin1, events.c.place_kind, events.c.place_gid, events.c.lat, events.c.lon, events.c.context_places,
    events.c.when_from, events.c.when_to, events.c.precision, events.c.fuse_from, events.c.fuse_to,
    events.c.killed, events.c.injured, events.c.arrested, events.c.size, events.c.evidence_start,
    events.c.evidence_end, events.c.evidence_text, events.c.reported_at, events.c.superseded_at,
    events.c.fused_id, documents.c.site, documents.c.url, documents.c.path, documents.c.title,
    documents.c.published, documents.c.duplicate_of,
)


def load_mentions(conn: Connection, condition: Any, context: bool = True) -> list[Mention]:
    """Mentions matching a SQL condition on ``events``, with their documents and actors (and the
    places their documents name, which only fusion compares, unless ``context`` is False)."""
    rows = conn.execute(
        select(*_MENTION_COLUMNS).select_from(events.join(documents, events.c.doc_id == documents.c.doc_id)).where(condition)
    ).all()
    found = [_mention(row._mapping, context) for row in rows]
    if found:
        by_id = {m.id: m for m in found}
        for chunk in chunks(list(by_id), 500):
            links = conn.execute(
                select(event_actors.c.event_id, event_actors.c.role, actors.c.id, actors.c.name, actors.c.country,
                       actors.c.sector, actors.c.type, actors.c.kb_id)
                .join(actors, actors.c.id == event_actors.c.actor_id)
                .where(event_actors.c.event_id.in_(chunk))
                .order_by(event_actors.c.id)
            )
            for event_id, role, actor_id, name, country, sector, type_, kb_id in links:
                actor = {"actor_id": actor_id, "name": name, "country": country, "sector": sector, "type": type_, "kb_id": kb_id}
                (by_id[event_id].sources if role == "source" else by_id[event_id].targets)[actor_id] = actor
    return found


def chunks(items: list[Any], size: int = 500) -> Iterable[list[Any]]:
    """``items`` in lists of at most ``size`` (for IN lists a database takes)."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _mention(row: Any, context: bool = True) -> Mention:
    return Mention(
        id=row["id"], doc_id=row["doc_id"], type=row["type"], mode=row["mode"], cameo=row["cameo"],
        modality=row["modality"], confidence=row["confidence"], attributed_to=row["attributed_to"],
        place={"name": row["place_name"], "country": row["place_country"], "admin1": row["place_admin1"],
               "kind": row["place_kind"], "gid": row["place_gid"], "lat": row["lat"], "lon": row["lon"]},
        when_from=row["when_from"], when_to=row["when_to"], precision=row["precision"],
        fuse_from=row["fuse_from"], fuse_to=row["fuse_to"],
        counts={k: row[k] for k in COUNT_KINDS},
        evidence={"start": row["evidence_start"], "end": row["evidence_end"], "text": row["evidence_text"]},
        reported_at=row["reported_at"], superseded_at=row["superseded_at"], fused_id=row["fused_id"],
        context=json.loads(row["context_places"] or "[]") if context else [],
        document={"doc_id": row["doc_id"], "site": row["site"], "url": row["url"], "path": row["path"],
                  "title": row["title"], "published": row["published"], "duplicate_of": row["duplicate_of"]},
    )


def _current(condition: Any) -> Any:
    return and_(condition, events.c.superseded_at.is_(None))


# ------------------------------------------------------------------------------------ writing


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def log(conn: Connection, fused_id: int, action: str, *, other_id: int | None = None, mention: Mention | None = None,
        detail: str | None = None) -> None:
    """Append one line to a fused event's history."""
    conn.execute(insert(fused_history), dict(
        fused_id=fused_id, action=action, other_id=other_id, mention_id=mention.id if mention else None,
        doc_id=mention.doc_id if mention else None, report_date=mention.reported_at if mention else None,
        at=_now(), detail=detail,
    ))


# Bound, so SQLAlchemy compiles it once (``.values(...)`` with literals is compiled per call).
_UPDATE_FUSED = update(fused_events).where(fused_events.c.id == bindparam("fused_key"))


def refresh(conn: Connection, fused_id: int, joined: Mention | None = None) -> dict[str, Any] | None:
    """Recompute a fused event's summary row and its actor/country index rows.

    With ``joined`` (a mention just assigned to the event), the stored tally takes that one
    mention; otherwise, or when the event has no tally yet, every current mention is folded
    again (after deletions, corrections, merges and splits).

    Returns:
        The summary (see :meth:`Tally.summary`), or None when no current mention is left (the
        event is then ``retracted``).
    """
    stored = conn.execute(select(fused_events.c.tally).where(fused_events.c.id == fused_id)).scalar() if joined else None
    if stored:
        running = Tally.loads(stored)
        running.add(joined, lambda doc: _doc_in_event(conn, fused_id, doc, joined.id))
    else:
        group = load_mentions(conn, _current(events.c.fused_id == fused_id))
        if not group:
            _retract(conn, fused_id)
            return None
        running = tally(group)
    s = running.summary()
    place = s["place"] or {}
    values = {
        "type": s["type"], "mode": s["mode"], "cameo": s["cameo"], "modality": s["modality"],
        "contested": int(s["contested"]), "confidence": s["confidence"],
        "place_name": place.get("name"), "place_country": place.get("country"), "place_admin1": place.get("admin1"),
        "place_kind": place.get("kind"), "place_gid": place.get("gid"), "lat": place.get("lat"), "lon": place.get("lon"),
        "place_key": name_key(place["name"]) if place.get("name") else None,
        "admin1_key": name_key(place["admin1"]) if place.get("admin1") else None,
        "when_from": s["when_from"], "when_to": s["when_to"], "precision": s["precision"],
        "fuse_from": s["fuse_from"], "fuse_to": s["fuse_to"],
        "first_reported": s["first_reported"], "last_updated": s["last_updated"],
        "n_mentions": s["n_mentions"], "n_documents": s["n_documents"], "n_sources": s["n_sources"],
        "evidence": s["evidence"], "status": "active", "tally": running.dumps(),
    }
    for kind in COUNT_KINDS:
        values[f"{kind}_min"] = s["count_ranges"].get(kind, {}).get("min")
        values[f"{kind}_max"] = s["count_ranges"].get(kind, {}).get("max")
    conn.execute(_UPDATE_FUSED, {**values, "fused_key": fused_id})
    if s["when_from"]:  # settled no earlier than its own date (see schema: as-of pages walk dates from the day)
        _settle(conn, fused_id, s["when_from"])
    _drop_index_rows(conn, fused_id)
    links = [{"fused_id": fused_id, "actor_id": a, "role": "source", "when_from": s["when_from"]} for a in s["source_ids"]]
    links += [{"fused_id": fused_id, "actor_id": a, "role": "target", "when_from": s["when_from"]} for a in s["target_ids"]]
    if links:
        conn.execute(insert(fused_actors), links)
    if s["countries"]:
        settled = conn.execute(select(fused_events.c.settled_at).where(fused_events.c.id == fused_id)).scalar()
        conn.execute(insert(fused_countries), [{"fused_id": fused_id, "country": c, "when_from": s["when_from"], "type": s["type"],
                                                "settled_at": settled} for c in s["countries"]])
    conn.execute(insert(fusion_keys), [{"fused_id": fused_id, "country": c, "type": s["type"], "fuse_from": s["fuse_from"],
                                        "fuse_to": s["fuse_to"]} for c in (s["countries"] or [""])])
    return s


def _drop_index_rows(conn: Connection, fused_id: int) -> None:
    """Remove a fused event's actor, country and candidate-key rows (refresh writes them anew)."""
    conn.execute(delete(fused_actors).where(fused_actors.c.fused_id == fused_id))
    conn.execute(delete(fused_countries).where(fused_countries.c.fused_id == fused_id))
    conn.execute(delete(fusion_keys).where(fusion_keys.c.fused_id == fused_id))


def _retract(conn: Connection, fused_id: int) -> None:
    _drop_index_rows(conn, fused_id)
    status = conn.execute(select(fused_events.c.status).where(fused_events.c.id == fused_id)).scalar()
    if status == "active":
        conn.execute(update(fused_events).where(fused_events.c.id == fused_id).values(
            status="retracted", n_mentions=0, n_documents=0, n_sources=0, tally=None))
        log(conn, fused_id, "retracted", detail="no current report names it any more")


def _doc_in_event(conn: Connection, fused_id: int, doc_id: str, besides: int) -> tuple[bool, str | None]:
    """Whether a current mention other than ``besides`` from ``doc_id`` is in the event, and the
    document's site (for :meth:`Tally.add`)."""
    row = conn.execute(
        select(documents.c.site).select_from(events.join(documents, events.c.doc_id == documents.c.doc_id))
        .where(events.c.doc_id == doc_id, events.c.fused_id == fused_id, events.c.superseded_at.is_(None),
               events.c.id != besides).limit(1)
    ).first()
    return (True, row[0]) if row else (False, None)


def _candidates(conn: Connection, m: Mention) -> dict[int, dict[str, Any]]:
    """The likeliest fused events for ``m``, each with its stored interval and place."""
    if not (m.fuse_from and m.fuse_to):
        return {}
    earliest = (dt.date.fromisoformat(m.fuse_from) - dt.timedelta(days=LONGEST_INTERVAL_DAYS)).isoformat()
    k = fusion_keys.c
    keys = select(k.fused_id).where(k.type == m.type, k.fuse_from >= earliest, k.fuse_from <= m.fuse_to,
                                    k.fuse_to >= m.fuse_from)
    countries = m.countries
    if countries:  # events sharing a country, or naming none
        keys = keys.where(k.country.in_(sorted(countries | {""})))
    # fusion_keys holds active events only, so no status test: with one, SQLite walked every
    # active event probing the key list instead of reading the few keyed events by id.
    query = select(fused_events.c.id).where(fused_events.c.id.in_(keys))
    # In a busy country and week there can be thousands of candidates; only the likeliest are
    # scored: those at the same place, then with a shared actor, then the nearest in time.
    f = fused_events.c
    place_key = name_key(m.place["name"]) if m.place.get("name") else None
    actor_ids = set(m.sources) | set(m.targets)
    # case(), not a bare comparison: an event without a place compares as NULL, which PostgreSQL
    # sorts first in descending order and SQLite last; both backends must pick the same events.
    ranking = [case((f.place_key == place_key, 0), else_=1)] if place_key else []
    if actor_ids:
        ranking.append(exists().where(fused_actors.c.fused_id == f.id, fused_actors.c.actor_id.in_(actor_ids)).desc())
    ranking.append(func.abs(func.julianday(f.fuse_from) - func.julianday(m.fuse_from)) if conn.dialect.name == "sqlite"
                   else func.abs(cast(f.fuse_from, Date) - dt.date.fromisoformat(m.fuse_from)))
    query = query.with_only_columns(f.id, f.fuse_from, f.fuse_to, f.place_name, f.place_country, f.place_admin1,
                                    f.place_kind, f.place_gid, f.lat, f.lon)
    return {row.id: {"fuse_from": row.fuse_from, "fuse_to": row.fuse_to,
                     "place": {"name": row.place_name, "country": row.place_country, "admin1": row.place_admin1,
                               "kind": row.place_kind, "gid": row.place_gid, "lat": row.lat, "lon": row.lon}}
            for row in conn.execute(query.order_by(*ranking, f.id).limit(MAX_CANDIDATES))}


def _settle(conn: Connection, fused_id: int, day: str, born: str | None = None) -> None:
    """Move a fused event's ``settled_at`` on to ``day`` (never back): something about it changed
    then, so as-of views of earlier days recompute it. With ``born`` (the report date of a report
    assigned to it), move ``born_at`` back to it (never on): none of its reports, now or ever, was
    reported before that day. See :mod:`sitroom.store.query`."""
    f = fused_events.c
    values: dict[str, Any] = {"settled_at": case((or_(f.settled_at.is_(None), f.settled_at < day), day), else_=f.settled_at)}
    if born is not None:
        values["born_at"] = case((or_(f.born_at.is_(None), f.born_at > born), born), else_=f.born_at)
    conn.execute(update(fused_events).where(f.id == fused_id).values(**values))


def _assign(conn: Connection, mentions: Sequence[Mention], fused_id: int, at: str | None) -> None:
    ids = [m.id for m in mentions]
    for chunk in chunks(ids, 500):
        conn.execute(update(events).where(events.c.id == bindparam("mention_key")),
                     [{"mention_key": i, "fused_id": fused_id} for i in chunk])
    conn.execute(insert(assignments), [{"mention_id": m.id, "fused_id": fused_id, "at": at or m.reported_at or ""} for m in mentions])
    _settle(conn, fused_id, max(max(at or "", m.reported_at or NEVER) for m in mentions),
            min(m.reported_at or "" for m in mentions))
    for m in mentions:
        m.fused_id = fused_id


def fuse_mention(conn: Connection, m: Mention) -> int:
    """Attach one new mention to its fused event (joining, founding or merging) and refresh it.

    Each candidate is scored over its :data:`COMPARE_AT_MOST` most recent mentions and checked
    against its stored summary, so the cost of a new report does not grow with the size of the
    events it could join.

    Returns:
        The fused event's id.
    """
    candidates = _candidates(conn, m)
    groups = _recent_mentions(conn, list(candidates))
    scored = sorted(((score, fid) for fid, group in groups.items()
                     if (score := _group_score(m, group, candidates[fid])) is not None and score >= SAME), reverse=True)
    if not scored:
        fused_id = int(conn.execute(insert(fused_events), {"type": m.type, "status": "active"}).inserted_primary_key[0])
        _assign(conn, [m], fused_id, m.reported_at)
        log(conn, fused_id, "created", mention=m)
        refresh(conn, fused_id)
        return fused_id
    keep = scored[0][1]
    _assign(conn, [m], keep, m.reported_at)
    log(conn, keep, "joined", mention=m, detail=f"score {scored[0][0]:.2f}")
    joined = refresh(conn, keep, m)
    for score, other in scored[1:]:
        if joined:  # a merge is checked against the event as it is with the new mention
            candidates[keep] = {"fuse_from": joined["fuse_from"], "fuse_to": joined["fuse_to"],
                                "place": _place_keys(joined["place"] or {})}
        if score < MERGE or not _compatible(candidates[keep], candidates[other]):
            continue
        older, newer = min(keep, other), max(keep, other)
        _move(conn, newer, older, m.reported_at)
        conn.execute(update(fused_events).where(fused_events.c.id == newer)
                     .values(status="merged", merged_into=older, tally=None))
        _drop_index_rows(conn, newer)
        log(conn, older, "absorbed", other_id=newer, mention=m, detail=f"score {score:.2f}")
        log(conn, newer, "merged", other_id=older, mention=m, detail=f"score {score:.2f}")
        keep = older
        joined = refresh(conn, keep)
    return keep


def _recent_mentions(conn: Connection, fused_ids: Sequence[int]) -> dict[int, list[Mention]]:
    """Each fused event's :data:`COMPARE_AT_MOST` most recently reported current mentions.

    Mentions already read in this transaction are taken from its cache (:func:`forget`): the
    reports of one batch meet the same candidates again and again, and a stored mention's
    compared fields never change.
    """
    e = events.c
    wanted: dict[int, list[int]] = {}
    for fused_id in fused_ids:  # one short index walk each: a LIMIT per group
        wanted[fused_id] = conn.execute(
            select(e.id).where(e.fused_id == fused_id, e.superseded_at.is_(None))
            .order_by(e.reported_at.desc(), e.id.desc()).limit(COMPARE_AT_MOST)).scalars().all()
    cache: dict[int, Mention] = conn.info.setdefault(MENTION_CACHE, {})
    if len(cache) > MENTION_CACHE_SIZE:
        cache.clear()
    missing = [i for ids in wanted.values() for i in ids if i not in cache]
    for chunk in chunks(missing, 500):
        cache.update((n.id, n) for n in load_mentions(conn, e.id.in_(chunk)))
    return {fused_id: [cache[i] for i in ids] for fused_id, ids in wanted.items() if ids}


def forget(conn: Connection) -> None:
    """Drop the mentions cached on this connection (the store calls it as a transaction begins)."""
    conn.info.pop(MENTION_CACHE, None)


def _move(conn: Connection, from_id: int, to_id: int, at: str | None) -> None:
    """Reassign every current mention of one fused event to another, logging each assignment."""
    e = events.c
    current = and_(e.fused_id == from_id, e.superseded_at.is_(None))
    latest, earliest = conn.execute(select(func.max(func.coalesce(e.reported_at, literal(NEVER))),
                                           func.min(func.coalesce(e.reported_at, literal("")))).where(current)).one()
    conn.execute(insert(assignments).from_select(
        ["mention_id", "fused_id", "at"],
        select(e.id, literal(to_id), func.coalesce(literal(at), e.reported_at, literal(""))).where(current)))
    conn.execute(update(events).where(current).values(fused_id=to_id))
    if latest is None:  # no current report to move
        return
    _settle(conn, from_id, at or latest)
    _settle(conn, to_id, max(at or "", latest), earliest)


def _compatible(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two fused events' stored summaries agree on time and place (so they may merge)."""
    if not _overlap(a["fuse_from"], a["fuse_to"], b["fuse_from"], b["fuse_to"]):
        return False
    return place_relation(a["place"], b["place"]) is not None


def fuse_document(conn: Connection, doc_id: str) -> list[int]:
    """Fuse every main-section mention of a newly stored document; returns the fused ids."""
    mentions = load_mentions(conn, and_(events.c.doc_id == doc_id, events.c.section == "main"))
    return [fuse_mention(conn, m) for m in sorted(mentions, key=lambda m: m.id)]


def supersede(conn: Connection, old_doc: str, new_doc: str, report_date: str | None) -> None:
    """A correction: ``new_doc`` replaces ``old_doc``, whose mentions stop counting from ``report_date``
    (they stay visible to as-of views before it)."""
    old = load_mentions(conn, _current(events.c.doc_id == old_doc))
    day = report_date or dt.date.today().isoformat()
    conn.execute(update(events).where(events.c.doc_id == old_doc, events.c.superseded_at.is_(None))
                 .values(superseded_at=day))
    conn.execute(update(documents).where(documents.c.doc_id == old_doc).values(superseded_by=new_doc))
    for fused_id in sorted({m.fused_id for m in old if m.fused_id}):
        log(conn, fused_id, "superseded", detail=f"document {old_doc} corrected by {new_doc}")
        _settle(conn, fused_id, day)
        refresh(conn, fused_id)


def resplit(conn: Connection, fused_id: int, reason: str) -> list[int]:
    """Split a fused event whose current mentions no longer hang together (after a deletion).

    The mentions are regrouped by single link over :func:`pair_score` ≥ :data:`SAME`; the largest
    group (ties: the oldest mention) keeps the id, every other group becomes a new fused event,
    and both sides log the split. Returns the ids of the new events.
    """
    group = load_mentions(conn, _current(events.c.fused_id == fused_id))
    parts = _components(group)
    if len(parts) <= 1:
        refresh(conn, fused_id)
        return []
    parts.sort(key=lambda p: (-len(p), min(m.id for m in p)))
    created = []
    for part in parts[1:]:
        new_id = int(conn.execute(insert(fused_events).values(type=part[0].type, status="active")).inserted_primary_key[0])
        ids = [m.id for m in part]
        conn.execute(delete(assignments).where(assignments.c.mention_id.in_(ids)))
        _assign(conn, part, new_id, None)
        log(conn, new_id, "split", other_id=fused_id, detail=reason)
        log(conn, fused_id, "left", other_id=new_id, detail=f"{len(part)} mention(s) split off: {reason}")
        refresh(conn, new_id)
        created.append(new_id)
    refresh(conn, fused_id)
    return created


def _components(group: Sequence[Mention]) -> list[list[Mention]]:
    remaining = list(group)
    parts: list[list[Mention]] = []
    while remaining:
        part = [remaining.pop(0)]
        grew = True
        while grew:
            grew = False
            for other in list(remaining):
                if any((s := pair_score(other, p)) is not None and s >= SAME for p in part):
                    part.append(other)
                    remaining.remove(other)
                    grew = True
        parts.append(part)
    return parts
