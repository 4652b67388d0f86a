"""Aggregates over fused events for the situation room: counts (by type, country and day),
places with their event counts, and the actor network.

Every function takes an open connection and the event filters of
:func:`sitroom.store.query.list_events` (``search, actor, country, type_, modality, place,
date_from, date_to, min_sources`` and ``as_of``) and reuses
:func:`sitroom.store.query.event_conditions`, so a chart, a map and the list always agree on
which events they show. The counts are SQL aggregates (``GROUP BY``) over ``fused_events``,
``fused_countries`` and ``fused_actors``; nothing is loaded per event.

The as-of view has no index of its own (a summary as it was on a past day is recomputed from
the mentions then visible), so with ``as_of`` the same answers are computed in Python from
:func:`sitroom.store.query.list_events`' events. That is as slow as the as-of list itself.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import Connection, and_, func, select

from sitroom.store.query import event_conditions, list_events
from sitroom.store.schema import actors, fused_actors, fused_countries, fused_events

# The filters event_conditions knows (as_of and the page arguments aside).
_CONDITION_KEYS = ("search", "actor", "country", "type_", "modality", "place", "date_from", "date_to", "min_sources")
# Enough for "every event" in the as-of path (list_events needs a limit).
_ALL = 10**9


def _conditions(conn: Connection, filters: dict[str, Any]) -> list[Any] | None:
    unknown = set(filters) - set(_CONDITION_KEYS) - {"as_of"}
    if unknown:
        raise TypeError(f"unknown event filters: {', '.join(sorted(unknown))}")
    return event_conditions(conn, **{k: v for k, v in filters.items() if k in _CONDITION_KEYS})


def _as_of_events(conn: Connection, filters: dict[str, Any]) -> list[dict[str, Any]]:
    return list_events(conn, **filters, limit=_ALL, with_mentions=False)


def _ordered(counts: Counter[str]) -> dict[str, int]:
    """Most first, then by key (stable output for equal counts)."""
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


# ------------------------------------------------------------------------------------- stats


def event_stats(conn: Connection, **filters: Any) -> dict[str, Any]:
    """Counts of the active fused events matching the filters.

    Returns:
        ``{"total", "by_type": {type: n}, "by_country": {iso3: n}, "by_day": [{"day", "type",
        "n"}]}``. ``by_type`` and ``by_country`` are ordered most first; an event counts once
        for each country it involves (its place's and its actors', as ``fused_countries``
        holds them), so ``by_country`` may add up to more than ``total``. ``by_day`` uses the
        first day of the event's interval (``when_from``), in day order; events of unknown
        date are left out of it.
    """
    if filters.get("as_of"):
        return _stats_from(_as_of_events(conn, filters))
    conditions = _conditions(conn, filters)
    if conditions is None:
        return {"total": 0, "by_type": {}, "by_country": {}, "by_day": []}
    f = fused_events.c
    where = and_(*conditions)
    by_type = Counter({t: int(n) for t, n in conn.execute(
        select(f.type, func.count()).where(where).group_by(f.type))})
    if any(filters.get(k) for k in _CONDITION_KEYS):
        by_country = Counter({c: int(n) for c, n in conn.execute(
            select(fused_countries.c.country, func.count())
            .select_from(fused_countries.join(fused_events, fused_countries.c.fused_id == f.id))
            .where(where).group_by(fused_countries.c.country))})
    else:
        by_country = _all_countries(conn)
    by_day = [{"day": day, "type": t, "n": int(n)} for day, t, n in conn.execute(
        select(f.when_from, f.type, func.count()).where(where, f.when_from.is_not(None))
        .group_by(f.when_from, f.type).order_by(f.when_from, f.type))]
    return {"total": sum(by_type.values()), "by_type": _ordered(by_type), "by_country": _ordered(by_country),
            "by_day": by_day}


def _all_countries(conn: Connection) -> Counter[str]:
    """Events per country over every active event, without a join per event: all the rows of
    ``fused_countries`` (one pass over its country index), less those of events no longer active
    (fusion removes them, so there are normally none; found by the status index)."""
    c, f = fused_countries.c, fused_events.c
    counts = Counter({country: int(n) for country, n in conn.execute(
        select(c.country, func.count()).group_by(c.country))})
    inactive = select(f.id).where((f.status < "active") | (f.status > "active"))  # by index, unlike !=
    counts.subtract({country: int(n) for country, n in conn.execute(
        select(c.country, func.count()).where(c.fused_id.in_(inactive)).group_by(c.country))})
    return +counts  # drops countries left at zero


def _countries(event: dict[str, Any]) -> set[str]:
    found = {a["country"] for a in (*event["sources"], *event["targets"]) if a.get("country")}
    if event["place"] and event["place"].get("country"):
        found.add(event["place"]["country"])
    return found


def _stats_from(events: list[dict[str, Any]]) -> dict[str, Any]:
    by_type: Counter[str] = Counter(e["type"] for e in events)
    by_country: Counter[str] = Counter(c for e in events for c in _countries(e))
    by_day: Counter[tuple[str, str]] = Counter((e["when_from"], e["type"]) for e in events if e["when_from"])
    return {"total": len(events), "by_type": _ordered(by_type), "by_country": _ordered(by_country),
            "by_day": [{"day": d, "type": t, "n": n} for (d, t), n in sorted(by_day.items())]}


# ------------------------------------------------------------------------------------ places


def event_places(conn: Connection, *, limit: int = 500, **filters: Any) -> list[dict[str, Any]]:
    """The places of the matching events, with how many events each has, most events first.

    Events without a place are left out. One row per place as the fused events name it
    (name, country, province, kind and coordinates together).

    Returns:
        ``[{"name", "country", "admin1", "kind", "lat", "lon", "events"}]``.
    """
    limit = max(0, int(limit))
    if filters.get("as_of"):
        counts: Counter[tuple[Any, ...]] = Counter()
        for e in _as_of_events(conn, filters):
            p = e["place"]
            if p and p.get("name"):
                counts[(p["name"], p["country"], p["admin1"], p["kind"], p["lat"], p["lon"])] += 1
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0], kv[0][1] or ""))[:limit]
        return [_place_row(key, n) for key, n in ranked]
    conditions = _conditions(conn, filters)
    if conditions is None:
        return []
    f = fused_events.c
    n = func.count().label("n")
    columns = (f.place_name, f.place_country, f.place_admin1, f.place_kind, f.lat, f.lon)
    rows = conn.execute(
        select(*columns, n).where(*conditions, f.place_name.is_not(None))
        .group_by(*columns).order_by(n.desc(), f.place_name, f.place_country.nulls_first()).limit(limit))
    return [_place_row(tuple(row[:6]), int(row[6])) for row in rows]


def _place_row(key: tuple[Any, ...], n: int) -> dict[str, Any]:
    name, country, admin1, kind, lat, lon = key
    return {"name": name, "country": country, "admin1": admin1, "kind": kind, "lat": lat, "lon": lon, "events": n}


# ----------------------------------------------------------------------------------- network


def actor_network(conn: Connection, *, limit: int = 500, sort: str = "when", **filters: Any) -> dict[str, Any]:
    """Actors as nodes and events as typed, directed edges (source -> target), over at most
    ``limit`` of the matching events (the first ones in ``sort`` order, as the list shows them).

    An event with several sources and targets gives an edge for every source-target pair;
    edges of the same pair and event type are one edge with the count and ids of its events.
    An actor of an event without the other side is a node without that edge.

    Returns:
        ``{"nodes": [{"id", "name", "country", "sector", "type", "events"}], "edges":
        [{"source", "target", "type", "events", "event_ids"}]}``, most-connected first:
        nodes by how many of the events they take part in, edges by how many events they
        carry.
    """
    limit = max(0, int(limit))
    if filters.get("as_of"):
        links = []
        for e in list_events(conn, **filters, sort=sort, limit=limit, with_mentions=False):
            links += [(e["id"], e["type"], a["actor_id"], "source") for a in e["sources"]]
            links += [(e["id"], e["type"], a["actor_id"], "target") for a in e["targets"]]
        return _network(conn, links)
    conditions = _conditions(conn, filters)
    if conditions is None or not limit:
        return {"nodes": [], "edges": []}
    f = fused_events.c
    order = {
        "reported": (f.last_updated.desc().nulls_last(), f.id.desc()),
        "sources": (f.n_sources.desc(), f.when_from.desc().nulls_last(), f.id.desc()),
    }.get(sort, (f.when_from.desc().nulls_last(), f.id.desc()))
    chosen = select(f.id, f.type).where(*conditions).order_by(*order).limit(limit).subquery()
    rows = conn.execute(
        select(chosen.c.id, chosen.c.type, fused_actors.c.actor_id, fused_actors.c.role)
        .select_from(chosen.join(fused_actors, fused_actors.c.fused_id == chosen.c.id)))
    return _network(conn, [tuple(row) for row in rows])


def _network(conn: Connection, links: list[tuple[int, str, int, str]]) -> dict[str, Any]:
    """Nodes and edges from (event id, event type, actor id, role) rows."""
    ends: dict[int, tuple[str, list[int], list[int]]] = {}
    for event_id, type_, actor_id, role in links:
        _t, sources, targets = ends.setdefault(event_id, (type_, [], []))
        (sources if role == "source" else targets).append(actor_id)
    node_events: Counter[int] = Counter()
    edges: dict[tuple[int, int, str], list[int]] = {}
    for event_id, (type_, sources, targets) in ends.items():
        node_events.update(set(sources) | set(targets))
        for s in sources:
            for t in targets:
                edges.setdefault((s, t, type_), []).append(event_id)
    info: dict[int, dict[str, Any]] = {}
    ids = sorted(node_events)
    for start in range(0, len(ids), 500):
        for row in conn.execute(select(actors.c.id, actors.c.name, actors.c.country, actors.c.sector, actors.c.type)
                                .where(actors.c.id.in_(ids[start:start + 500]))):
            info[row.id] = row._asdict()
    nodes = [{"id": a, "name": info.get(a, {}).get("name"), "country": info.get(a, {}).get("country"),
              "sector": info.get(a, {}).get("sector"), "type": info.get(a, {}).get("type"), "events": n}
             for a, n in sorted(node_events.items(), key=lambda kv: (-kv[1], kv[0]))]
    edge_rows = [{"source": s, "target": t, "type": type_, "events": len(found), "event_ids": sorted(found)}
                 for (s, t, type_), found in edges.items()]
    edge_rows.sort(key=lambda e: (-e["events"], e["source"], e["target"], e["type"]))
    return {"nodes": nodes, "edges": edge_rows}
