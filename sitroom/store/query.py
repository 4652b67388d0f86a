"""Queries over fused events: the list with filters, one event with its mentions and history,
and the as-of view of what the store knew on a given day.

Every function returns plain dicts of one shape (see :func:`event_dict`), the shape the CLI
prints as JSON and :mod:`sitroom.export` writes in other formats: the summary fields, then
``mentions``, one per report with its document, site, evidence span, own counts, modality and
attribution, so every summary field can be checked against its sources.

The as-of view (``as_of="YYYY-MM-DD"``) keeps only mentions reported on or before that day and
not yet replaced by a correction, groups them as the fusion log says they were grouped then
(the last ``assignments`` row dated at or before the day), and recomputes each summary from them.
Only events that changed after the day need that: an event whose ``settled_at`` (the latest date
at which a report joined, left or was corrected, or was reported, or the event's own date if
later) is on or before the day is exactly its current row, so those are read like any page and
merged with the recomputed ones.
A search recomputes every event (its words are matched in the reports visible then).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, and_, exists, func, or_, select, union_all

from sitroom.store import postgres as pg_store
from sitroom.store import sqlite as sqlite_store
from sitroom.store.actors import name_key
from sitroom.store.fuse import COUNT_KINDS, chunks, load_mentions, summarise
from sitroom.store.mention import Mention
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
)

SORTS = ("when", "reported", "sources")


def _actor_ids(ref: str) -> Any:
    """Actor ids whose name or any stored spelling contains every word of ``ref``."""
    named = select(actors.c.id)
    for word in ref.split():
        named = named.where(actors.c.name.icontains(word, autoescape=True) | actors.c.names.icontains(word, autoescape=True))
    return named


def _place_ids(key: str) -> Any:
    """Ids of events whose place name_key, or its first-level division's, starts with ``key``:
    two index ranges (an OR of them made SQLite scan every event)."""
    upper = key + "\uffff"
    f = fused_events.c
    return union_all(select(f.id).where(f.place_key >= key, f.place_key < upper),
                     select(f.id).where(f.admin1_key >= key, f.admin1_key < upper))


def _place_match(place: str) -> Any:
    """Events whose place name, or its first-level division's, starts with ``place`` (any case,
    accents and Arabic articles folded), by index."""
    key = name_key(place)
    if not key:
        return fused_events.c.id.is_(None)
    return fused_events.c.id.in_(_place_ids(key))


# SQLite: a search matching many mentions walks the events in the page's order and looks each
# one's mentions up in the list of matches (~2 us an event), instead of reading every match's
# event first (a key lookup per match, ~1.3 us: 300 ms for a word in a fifth of a million
# mentions). Walking passes over about page/share events, so the two cost the same at
# sqrt(SEARCH_BALANCE * mentions) matches, SEARCH_BALANCE being the page (50) times the cost ratio.
# Measured on the synthetic store of bench/store_scale.py.
SEARCH_BALANCE = 80
# The page (50) times the cost of a walked event over that of a listed one (about 1): see _few.
LIST_BALANCE = 50
LIST_AT_LEAST = 1000


def _crossover(conn: Connection, rows_of: Any, balance: int, at_least: int = 1000) -> int:
    """sqrt(balance * rows): the size of a list at which reading it whole and walking every
    event in page order cost about the same (the walk passes over page/share events, where the
    share is the list's size over ``rows``, the table's highest id)."""
    rows = conn.execute(select(func.max(rows_of))).scalar() or 0
    return max(at_least, int(math.sqrt(balance * rows)))


def _walk_above(conn: Connection) -> int:
    """Matches above which a search walks instead of listing (see SEARCH_BALANCE)."""
    return _crossover(conn, events.c.id, SEARCH_BALANCE)


def _search(conn: Connection, words: str) -> Any:
    """A condition on ``fused_events``: a mention's evidence has every word (full-text: stemmed
    words); None when nothing searchable was given."""
    f = fused_events.c
    mentions = select(events.c.fused_id)
    if conn.dialect.name == "postgresql":  # websearch_to_tsquery over the evidence vector (GIN)
        condition = pg_store.evidence_match(words)
        if condition is None:
            return None
        mentions = mentions.where(condition)
    elif conn.dialect.name == "sqlite" and sqlite_store.has_fts_table(conn, sqlite_store.EVIDENCE_FTS):
        if sqlite_store.quote_query(words) is None:
            return None
        walk_above = _walk_above(conn)
        if sqlite_store.evidence_count(conn, words, walk_above + 1) > walk_above:
            return exists(select(events.c.id).where(events.c.fused_id == f.id, sqlite_store.evidence_probe(words))
                          .correlate(fused_events))  # by the (fused_id, reported_at, id) index
        mentions = mentions.where(sqlite_store.evidence_match(words))
    else:
        for word in words.split():
            mentions = mentions.where(events.c.evidence_text.icontains(word, autoescape=True))
    return f.id.in_(mentions)


def list_events(
    conn: Connection,
    *,
    search: str | None = None,
    actor: str | None = None,
    country: str | None = None,
    type_: str | None = None,
    modality: str | None = None,
    place: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    min_sources: int | None = None,
    as_of: str | None = None,
    sort: str = "when",
    limit: int = 50,
    offset: int = 0,
    with_mentions: bool = True,
) -> list[dict[str, Any]]:
    """Fused events matching every filter given, one page of them.

    Args:
        search: words that must all occur in one of the event's evidence sentences.
        actor: words of an actor's name or any spelling (source or target).
        country: ISO3 of an actor's country or the place's.
        type_, modality: exact PLOVER type and modality (of the summary).
        place: the start of the place's name or of its province's (``khan`` finds Khan Younis).
        date_from, date_to: keep events whose interval overlaps this range (undated events
            are then left out).
        min_sources: at least this many independent sources.
        as_of: answer with what the store knew on that day (see the module).
        sort: ``when`` (event date, newest first, undated last), ``reported`` (last update
            first) or ``sources`` (best corroborated first).
        limit, offset: the page.
        with_mentions: include each event's mentions.

    Returns:
        Events in the shape of :func:`event_dict`.
    """
    limit, offset = max(0, int(limit)), max(0, int(offset))
    filters = dict(search=search, actor=actor, country=country, type_=type_, modality=modality, place=place,
                   date_from=date_from, date_to=date_to, min_sources=min_sources)
    if as_of:
        return _as_of(conn, as_of[:10], filters, sort=sort, limit=limit, offset=offset, with_mentions=with_mentions)
    return _with_parts(conn, _rows(conn, filters, sort, limit, offset), with_mentions)


def _rows(conn: Connection, filters: dict[str, Any], sort: str, limit: int, offset: int,
          settled_by: str | None = None, when_upto: str | None = None, undated: bool = False,
          by_settled: bool = False) -> list[dict[str, Any]]:
    """One page of active fused rows matching ``filters``; with ``settled_by``, only events
    settled by that day (see :func:`_as_of`), read by the settled-date index if ``by_settled``;
    with ``when_upto`` only events dated on or before it (the date walk starts there), with
    ``undated`` only undated ones."""
    search, actor, country, type_, modality, place, date_from, date_to, min_sources = (
        filters["search"], filters["actor"], filters["country"], filters["type_"], filters["modality"], filters["place"],
        filters["date_from"], filters["date_to"], filters["min_sources"])
    # An actor, place or search with few events is read from its list of them, each looked up by
    # key and the few sorted. Otherwise, without dates, a country's events are walked newest first
    # by its own index; with dates, the date range bounds the walk and each event's country is
    # checked by key.
    few = by_settled or _few(conn, search, actor, place)
    by_country = not few and bool(country) and sort not in ("reported", "sources") and not (date_from or date_to)
    conditions = event_conditions(conn, search=search, actor=actor, country=None if by_country else country, type_=type_,
                                  modality=modality, place=place, date_from=date_from, date_to=date_to,
                                  min_sources=min_sources, probe=by_country or few)
    if conditions is None:
        return []
    f, fc = fused_events.c, fused_countries.c
    if settled_by and by_settled:  # the (type,) settled_at index drives; the rest is checked on the row
        conditions += [f.settled_at <= settled_by, *([f.type == type_.upper()] if type_ else [])]
    elif settled_by:  # checked on the row; on the country's index entry first when walking it
        conditions.append(sqlite_store.unindexed(f.settled_at) <= settled_by)
        if by_country:
            conditions.append(fc.settled_at <= settled_by)
        if sort == "reported":  # a settled event was last updated by then: the walk starts there
            conditions.append(f.last_updated <= settled_by)
    when = fc.when_from if by_country else f.when_from
    if when_upto:
        conditions.append(when <= when_upto)
    if undated:
        conditions.append(when.is_(None))
    order = {
        "reported": (f.last_updated.desc().nulls_last(), f.id.desc()),
        "sources": (f.n_sources.desc(), f.when_from.desc().nulls_last(), f.id.desc()),
    }.get(sort, (f.when_from.desc().nulls_last(), f.id.desc()))
    query = select(fused_events)
    if by_country:
        # Walk the country's events newest first by the (country, when_from) index, instead of
        # every event in date order probing a list of the country's ids: a rare country would
        # read the whole table.
        query = query.join(fused_countries, fc.fused_id == f.id)
        conditions.append(fc.country == (country or "").upper())
        if type_:  # the (country, type, when_from) index: only the type's events are walked
            conditions.append(fc.type == type_.upper())
        order = (fc.when_from.desc().nulls_last(), fc.fused_id.desc())
    rows = conn.execute(query.where(and_(*conditions)).order_by(*order).limit(limit).offset(offset)).all()
    return [row._asdict() for row in rows]


def _list_at_most(conn: Connection) -> int:
    """How many events a list may hold and still be read whole rather than walked (see _few)."""
    return _crossover(conn, fused_events.c.id, LIST_BALANCE, LIST_AT_LEAST)


def _few(conn: Connection, search: str | None, actor: str | None, place: str | None) -> bool:
    """Whether one of these filters matches so few events that reading their list beats walking
    every event in page order: fewer than sqrt(LIST_BALANCE * events) (the walk passes over
    about page/share events, the list costs a key lookup each)."""
    if not (search or actor or place):
        return False
    at_most = _list_at_most(conn)
    lists = []
    if actor:
        lists.append(select(fused_actors.c.fused_id).where(fused_actors.c.actor_id.in_(_actor_ids(actor))))
    if place and name_key(place):
        lists.append(_place_ids(name_key(place)))
    for found in lists:
        if conn.execute(select(func.count()).select_from(found.limit(at_most + 1).subquery())).scalar_one() <= at_most:
            return True
    if search and conn.dialect.name == "sqlite" and sqlite_store.has_fts_table(conn, sqlite_store.EVIDENCE_FTS) \
            and sqlite_store.quote_query(search) is not None:
        return sqlite_store.evidence_count(conn, search, at_most + 1) <= at_most
    return False


def event_conditions(
    conn: Connection,
    *,
    search: str | None = None,
    actor: str | None = None,
    country: str | None = None,
    type_: str | None = None,
    modality: str | None = None,
    place: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    min_sources: int | None = None,
    probe: bool = False,
) -> list[Any] | None:
    """SQL conditions on ``fused_events`` for the filters of :func:`list_events` (active events
    only); None when the filters can match nothing (a search with no searchable word).

    With ``probe``, the caller walks another table's index (a country's events newest first) and
    each event is looked up by key: its own columns are then checked on the row, never used to
    pick an index (see :class:`sitroom.store.sqlite.unindexed`).
    """
    f = fused_events.c
    col = sqlite_store.unindexed if probe else (lambda c: c)
    conditions: list[Any] = [col(f.status) == "active"]
    if search:
        matching = _search(conn, search)
        if matching is None:
            return None
        conditions.append(matching)
    if actor:
        conditions.append(f.id.in_(select(fused_actors.c.fused_id).where(fused_actors.c.actor_id.in_(_actor_ids(actor)))))
    if country:  # correlated, so it is a key lookup per event rather than a list of all the country's ids
        of_country = fused_countries.alias("of_country")  # its own name: callers join fused_countries too
        conditions.append(exists().where(of_country.c.fused_id == f.id, of_country.c.country == country.upper())
                          .correlate(fused_events))
    if type_:
        conditions.append(col(f.type) == type_.upper())
    if modality:
        conditions.append(col(f.modality) == modality.lower())
    if place:
        conditions.append(_place_match(place))
    if date_from:
        conditions.append(col(f.when_to) >= date_from)
    if date_to:
        conditions.append(col(f.when_from) <= date_to)
    if min_sources and probe:
        conditions.append(col(f.n_sources) >= int(min_sources))
    elif min_sources:  # a subquery, so the n_sources index is used (not a scan in date order)
        conditions.append(f.id.in_(select(f.id).where(f.n_sources >= int(min_sources))))
    return conditions


def count_events(conn: Connection, **filters: Any) -> int:
    """How many active fused events match the filters of :func:`list_events` (``as_of`` aside)."""
    conditions = event_conditions(conn, **{k: v for k, v in filters.items() if k not in ("as_of", "sort")})
    if conditions is None:
        return 0
    return int(conn.execute(select(func.count()).select_from(fused_events).where(and_(*conditions))).scalar_one())


def iter_events(conn: Connection, batch: int = 500, **filters: Any) -> Iterator[dict[str, Any]]:
    """Every event matching the filters of :func:`list_events`, fetched a page at a time."""
    offset = 0
    while True:
        page = list_events(conn, limit=batch, offset=offset, **filters)
        yield from page
        if len(page) < batch:
            return
        offset += batch


def get_event(conn: Connection, fused_id: int) -> dict[str, Any] | None:
    """One fused event (any status) with every mention, superseded ones included, and its history."""
    row = conn.execute(select(fused_events).where(fused_events.c.id == fused_id)).first()
    if row is None:
        return None
    out = _with_parts(conn, [row._asdict()], True, include_superseded=True)[0]
    out["history"] = [
        dict(r._mapping) for r in conn.execute(
            select(fused_history.c.action, fused_history.c.other_id, fused_history.c.mention_id, fused_history.c.doc_id,
                   fused_history.c.report_date, fused_history.c.at, fused_history.c.detail)
            .where(fused_history.c.fused_id == fused_id).order_by(fused_history.c.id))
    ]
    return out


def _with_parts(conn: Connection, rows: list[dict[str, Any]], with_mentions: bool, include_superseded: bool = False) -> list[dict[str, Any]]:
    """Turn fused rows into event dicts: actors and counts from the mentions (loaded once per page)."""
    if not rows:
        return []
    if not with_mentions:
        parts = _reader_parts(conn, [row["id"] for row in rows])
        return [event_dict(row, parts.get(row["id"]), None) for row in rows]
    ids = [row["id"] for row in rows]
    condition = events.c.fused_id.in_(ids)
    if not include_superseded:
        condition = and_(condition, events.c.superseded_at.is_(None))
    by_fused: dict[int, list[Mention]] = {}
    for m in load_mentions(conn, condition, context=False):
        by_fused.setdefault(m.fused_id or 0, []).append(m)
    out = []
    for row in rows:
        group = by_fused.get(row["id"], [])
        current = [m for m in group if not m.superseded_at]
        out.append(event_dict(row, _mention_parts(current) if current else None, group))
    return out


def _mention_parts(current: list[Mention]) -> dict[str, Any]:
    """What :func:`~sitroom.store.fuse.summarise` adds to the stored row, from loaded current
    mentions (the row's own fields are not recounted): as :func:`_reader_parts` reads them."""
    part: dict[str, Any] = {"sources": {}, "targets": {}, "counts": {}, "sites": set()}
    for m in sorted(current, key=lambda m: (m.reported_at or "", m.id)):
        site = m.document.get("site")
        if site:
            part["sites"].add(site)
        for kind in COUNT_KINDS:
            if value := m.counts.get(kind):
                part["counts"].setdefault(kind, []).append({"site": site, "doc_id": m.doc_id, "mention_id": m.id, "value": value})
        part["sources"].update(m.sources)
        part["targets"].update(m.targets)
    return _finish_parts(part)


def _reader_parts(conn: Connection, ids: list[int]) -> dict[int, dict[str, Any]]:
    """What :func:`~sitroom.store.fuse.summarise` adds to the stored row (actors, each source's
    counts, sites), for events shown without their mentions: read from the current reports'
    count, site and actor columns alone, in report order, as ``summarise`` reads them."""
    parts: dict[int, dict[str, Any]] = {}
    e, d = events.c, documents.c
    current = and_(e.fused_id.in_(ids), e.superseded_at.is_(None))
    order = (e.reported_at, e.id)
    for row in conn.execute(select(e.fused_id, e.id, e.doc_id, d.site, *(e[k] for k in COUNT_KINDS))
                            .join(documents, d.doc_id == e.doc_id).where(current).order_by(*order)):
        part = parts.setdefault(row.fused_id, {"sources": {}, "targets": {}, "counts": {}, "sites": set()})
        if row.site:
            part["sites"].add(row.site)
        for kind in COUNT_KINDS:
            if value := row._mapping[kind]:
                part["counts"].setdefault(kind, []).append(
                    {"site": row.site, "doc_id": row.doc_id, "mention_id": row.id, "value": value})
    a, ea = actors.c, event_actors.c
    for row in conn.execute(select(e.fused_id, ea.role, a.id, a.name, a.country, a.sector, a.type, a.kb_id)
                            .select_from(events.join(event_actors, ea.event_id == e.id).join(actors, a.id == ea.actor_id))
                            .where(current).order_by(*order, ea.id)):
        part = parts.setdefault(row.fused_id, {"sources": {}, "targets": {}, "counts": {}, "sites": set()})
        actor = {"actor_id": row.id, "name": row.name, "country": row.country, "sector": row.sector, "type": row.type,
                 "kb_id": row.kb_id}
        part["sources" if row.role == "source" else "targets"][row.id] = actor
    return {fused_id: _finish_parts(part) for fused_id, part in parts.items()}


def _finish_parts(part: dict[str, Any]) -> dict[str, Any]:
    part["sites"] = sorted(part["sites"])
    part["counts"] = {kind: {"min": min(v["value"] for v in values), "max": max(v["value"] for v in values),
                             "by_source": values} for kind, values in part["counts"].items()}
    return part


def _place(row: dict[str, Any]) -> dict[str, Any] | None:
    if not row.get("place_name"):
        return None
    return {"name": row["place_name"], "country": row["place_country"], "admin1": row["place_admin1"],
            "kind": row.get("place_kind"), "gid": row.get("place_gid"), "lat": row["lat"], "lon": row["lon"]}


def event_dict(row: dict[str, Any], summary: dict[str, Any] | None, mentions: list[Mention] | None) -> dict[str, Any]:
    """The public shape of a fused event.

    Keys: ``id, status, merged_into, type, mode, cameo, modality, contested, confidence,
    when_from, when_to, precision, place {name, country, admin1, kind, lat, lon}, sources,
    targets`` (actors: ``actor_id, name, country, sector, type, kb_id``), ``counts`` (per kind
    reported: ``min, max, by_source [{site, doc_id, mention_id, value}]``), ``first_reported,
    last_updated, n_mentions, n_documents, n_sources, sites, evidence`` and, when asked,
    ``mentions`` (see :func:`mention_dict`).
    """
    summary = summary or {}
    out = {
        "id": row["id"], "status": row.get("status", "active"), "merged_into": row.get("merged_into"),
        "type": row["type"], "mode": row["mode"], "cameo": row["cameo"], "modality": row["modality"],
        "contested": bool(row.get("contested")), "confidence": row["confidence"],
        "when_from": row["when_from"], "when_to": row["when_to"], "precision": row["precision"] or "unknown",
        "place": _place(row),
        "sources": list(summary.get("sources", {}).values()),
        "targets": list(summary.get("targets", {}).values()),
        "counts": summary.get("counts", {}),
        "first_reported": row["first_reported"], "last_updated": row["last_updated"],
        "n_mentions": row["n_mentions"], "n_documents": row["n_documents"], "n_sources": row["n_sources"],
        "sites": summary.get("sites", []),
        "evidence": row["evidence"],
    }
    if mentions is not None:
        out["mentions"] = [mention_dict(m) for m in sorted(mentions, key=lambda m: (m.reported_at or "", m.id))]
    return out


def mention_dict(m: Mention) -> dict[str, Any]:
    """One report of an event: its document and what it said."""
    return {
        "mention_id": m.id, "doc_id": m.doc_id, "url": m.document["url"], "path": m.document["path"],
        "site": m.document["site"], "title": m.document["title"], "published": m.document["published"],
        "reported_at": m.reported_at, "superseded_at": m.superseded_at, "duplicate_of": m.document["duplicate_of"],
        "evidence": dict(m.evidence), "counts": dict(m.counts), "modality": m.modality,
        "attributed_to": m.attributed_to, "when_from": m.when_from, "when_to": m.when_to,
        "precision": m.precision or "unknown", "place_name": m.place.get("name"), "confidence": m.confidence,
        "mode": m.mode,
        "sources": [a["name"] for a in m.sources.values()], "targets": [a["name"] for a in m.targets.values()],
    }


# ------------------------------------------------------------------------------------ as of

# Whether as-of views read events settled by their day from the events' rows (False recomputes
# every event: the slow reference the tests hold the shortcut to).
AS_OF_SETTLED = True


def _as_of(conn: Connection, day: str, filters: dict[str, Any], *, sort: str, limit: int, offset: int,
           with_mentions: bool) -> list[dict[str, Any]]:
    """The as-of view (see the module): settled events from their rows, the others recomputed."""
    shortcut = AS_OF_SETTLED and not filters["search"]
    recomputed = _recompute(conn, day, filters, with_mentions, changed_after=day if shortcut else None)
    if not shortcut:  # words are matched in the reports visible then, so every event is recomputed
        found = recomputed
    else:
        taken = {e["id"] for e in recomputed}
        settled = [row for row in _settled_rows(conn, day, filters, sort, offset + limit) if row["id"] not in taken]
        found = recomputed + _with_parts(conn, settled, with_mentions)
    key = {"reported": lambda e: (e["last_updated"] or "", e["id"]),
           "sources": lambda e: (e["n_sources"], e["when_from"] or "", e["id"])}.get(
        sort, lambda e: (e["when_from"] is not None, e["when_from"] or "", e["id"]))
    found.sort(key=key, reverse=True)
    return found[offset:offset + limit]


def _settled_rows(conn: Connection, day: str, filters: dict[str, Any], sort: str, n: int) -> list[dict[str, Any]]:
    """The first ``n`` rows, in page order, of the events settled by ``day``: what their rows say
    is what the store knew then. While few are settled (an early day), they are read whole by
    the settled-date index. Otherwise they are walked in page order: a settled event is dated and
    last updated on or before its settled date, so by event date or by last update the walk
    starts at the day; undated events come after every dated one."""
    f = fused_events.c
    settled = select(f.id).where(f.settled_at <= day, *([f.type == filters["type_"].upper()] if filters["type_"] else []))
    at_most = _list_at_most(conn)
    if conn.execute(select(func.count()).select_from(settled.limit(at_most + 1).subquery())).scalar_one() <= at_most:
        return _rows(conn, filters, sort, n, 0, settled_by=day, by_settled=True)  # few settled yet: read them all
    if sort in ("reported", "sources"):
        return _rows(conn, filters, sort, n, 0, settled_by=day)
    rows = _rows(conn, filters, sort, n, 0, settled_by=day, when_upto=day)
    if len(rows) < n:
        rows += _rows(conn, filters, sort, n - len(rows), 0, settled_by=day, undated=True)
    return rows


def _recompute(conn: Connection, day: str, filters: dict[str, Any], with_mentions: bool,
               changed_after: str | None) -> list[dict[str, Any]]:
    """Events as they stood at the end of ``day``, rebuilt from the reports visible then and the
    fusion log, that match ``filters``: every event, or with ``changed_after`` only those whose
    ``settled_at`` is later (the others are their current rows)."""
    search, actor, country, type_, modality = (filters[k] for k in ("search", "actor", "country", "type_", "modality"))
    e, f = events.c, fused_events.c
    # Walking the changed events, a report's own columns are checked on the row (see below).
    col = sqlite_store.unindexed if changed_after is not None else (lambda c: c)
    condition = and_(
        col(e.section) == "main", e.fused_id.is_not(None), e.reported_at <= day,
        or_(e.superseded_at.is_(None), e.superseded_at > day),
    )
    if type_:
        condition = and_(condition, col(e.type) == type_.upper())
    seeds = _as_of_seeds(actor, country, modality, filters["date_from"], filters["date_to"], probe=changed_after is not None)
    query = select(e.id)
    if changed_after is not None:
        # A report's owner then changed since (or owns it now and changed) only if its owner now
        # has: walk the events changed since the day (by their (type,) settled_at index), then
        # their reports of the day or before (by the (fused_id, reported_at) index).
        # An event none of whose reports, now or ever, was reported by the day holds no report
        # visible then (born_at).
        query = query.select_from(fused_events.join(events, e.fused_id == f.id))
        seeds = [*(seeds or []), f.settled_at > changed_after, f.born_at <= day,
                 *([f.type == type_.upper()] if type_ else [])]
    if seeds is not None:
        # Only events with a report matching a filter can match it (each summary field comes
        # from some report): find their owners as of the day, then read those events whole.
        seed_ids = conn.execute(query.where(condition, *seeds)).scalars().all()
        wanted = set(_owners(conn, seed_ids, day).values())
        if changed_after is not None and wanted:
            wanted = {i for chunk in chunks(sorted(wanted)) for i in conn.execute(
                select(f.id).where(f.id.in_(chunk), or_(f.settled_at.is_(None), f.settled_at > changed_after))).scalars()}
        members = {row[0] for chunk in chunks(sorted(wanted)) for row in conn.execute(
            select(assignments.c.mention_id).where(assignments.c.fused_id.in_(chunk), assignments.c.at <= day))}
        owner = {m: fid for m, fid in _owners(conn, sorted(members), day).items() if fid in wanted}
        visible = [m for chunk in chunks(sorted(owner)) for m in load_mentions(conn, and_(condition, e.id.in_(chunk)),
                                                                                context=False)]
    else:
        visible = load_mentions(conn, condition, context=False)
        owner = _owners(conn, [m.id for m in visible], day)
    groups: dict[int, list[Mention]] = {}
    for m in visible:
        groups.setdefault(owner.get(m.id, m.fused_id or 0), []).append(m)
    actor_ids = {row[0] for row in conn.execute(_actor_ids(actor))} if actor else None
    found = []
    for fused_id, group in groups.items():
        s = summarise(group)
        if _keep(s, group, search, actor_ids, country, modality, filters["place"], filters["date_from"],
                 filters["date_to"], filters["min_sources"]):
            found.append(event_dict(_summary_row(fused_id, s), s, group if with_mentions else None))
    return found


def _owners(conn: Connection, mention_ids: list[int], day: str) -> dict[int, int]:
    """The fused event each mention belonged to at the end of ``day``: the assignment made last
    among those dated on or before it (a report that arrived late can date a merge before an
    assignment made earlier)."""
    owner: dict[int, int] = {}
    for chunk in chunks(mention_ids):
        for mention_id, fused_id in conn.execute(
            select(assignments.c.mention_id, assignments.c.fused_id)
            .where(assignments.c.mention_id.in_(chunk), assignments.c.at <= day)
            .order_by(assignments.c.id)
        ):
            owner[mention_id] = fused_id  # the latest decision dated by then wins
    return owner


def _as_of_seeds(actor: str | None, country: str | None, modality: str | None, date_from: str | None,
                 date_to: str | None, probe: bool = False) -> list[Any] | None:
    """Conditions on single reports that every event matching the filters has a report meeting
    (its place, actors, modality and date come from its reports); None without such filters.
    With ``probe``, each is checked on a report found by another index (never lists every
    report of a country or an actor)."""
    e, ea = events.c, event_actors.c
    col = sqlite_store.unindexed if probe else (lambda c: c)
    seeds: list[Any] = []
    if country:
        linked = select(ea.event_id).join(actors, actors.c.id == ea.actor_id).where(actors.c.country == country.upper())
        seeds.append(or_(col(e.place_country) == country.upper(),
                         exists(linked.where(ea.event_id == e.id)) if probe else e.id.in_(linked)))
    if actor:
        named = select(ea.event_id).where(ea.actor_id.in_(_actor_ids(actor)))
        seeds.append(exists(named.where(ea.event_id == e.id)) if probe else e.id.in_(named))
    if modality:
        seeds.append(col(e.modality) == modality.lower())
    if date_from:
        seeds.append(col(e.when_to) >= date_from)
    if date_to:
        seeds.append(col(e.when_from) <= date_to)
    return seeds or None


def _keep(s: dict[str, Any], group: list[Mention], search: str | None, actor_ids: set[int] | None, country: str | None,
          modality: str | None, place: str | None, date_from: str | None, date_to: str | None,
          min_sources: int | None) -> bool:
    if search and not any(all(w.lower() in (m.evidence.get("text") or "").lower() for w in search.split()) for m in group):
        return False
    if actor_ids is not None and not (actor_ids & (set(s["sources"]) | set(s["targets"]))):
        return False
    if country:
        countries = {a["country"] for a in (*s["sources"].values(), *s["targets"].values()) if a.get("country")}
        if s["place"] and s["place"].get("country"):
            countries.add(s["place"]["country"])
        if country.upper() not in countries:
            return False
    if modality and s["modality"] != modality.lower():
        return False
    if place and not (s["place"] and any(name_key(s["place"].get(k) or "").startswith(name_key(place))
                                         for k in ("name", "admin1") if s["place"].get(k))):
        return False
    if date_from and not (s["when_to"] and s["when_to"] >= date_from):
        return False
    if date_to and not (s["when_from"] and s["when_from"] <= date_to):
        return False
    return not (min_sources and s["n_sources"] < int(min_sources))


def _summary_row(fused_id: int, s: dict[str, Any]) -> dict[str, Any]:
    place = s["place"] or {}
    row = {
        "id": fused_id, "status": "active", "merged_into": None, "type": s["type"], "mode": s["mode"], "cameo": s["cameo"],
        "modality": s["modality"], "contested": s["contested"], "confidence": s["confidence"],
        "when_from": s["when_from"], "when_to": s["when_to"], "precision": s["precision"],
        "place_name": place.get("name"), "place_country": place.get("country"), "place_admin1": place.get("admin1"),
        "place_kind": place.get("kind"), "place_gid": place.get("gid"), "lat": place.get("lat"), "lon": place.get("lon"),
        "first_reported": s["first_reported"], "last_updated": s["last_updated"], "n_mentions": s["n_mentions"],
        "n_documents": s["n_documents"], "n_sources": s["n_sources"], "evidence": s["evidence"],
    }
    for kind in COUNT_KINDS:
        row[f"{kind}_max"] = s["counts"].get(kind, {}).get("max")
    return row


# ------------------------------------------------------------------------------------ flat rows

FLAT_COLUMNS = ("id", "when", "precision", "type", "mode", "modality", "contested", "sources", "targets", "place",
                  "country", "lat", "lon", "counts", "n_sources", "n_mentions", "first_reported", "last_updated",
                  "sites", "evidence")


def count_range(count: dict[str, Any]) -> str:
    """A count summary as people write it: "13" or "13-16"."""
    return str(count["min"]) if count["min"] == count["max"] else f"{count['min']}-{count['max']}"


def when_text(row: dict[str, Any]) -> str:
    """An event's date or interval as text, "unknown" without one."""
    if not row.get("when_from"):
        return "unknown"
    return row["when_from"] if row["when_from"] == row["when_to"] else f"{row['when_from']}..{row['when_to'] or '?'}"


def actor_label(actor: dict[str, Any]) -> str:
    """An actor as "Name (ISO3)"."""
    return f"{actor['name']} ({actor['country']})" if actor.get("country") else actor["name"]


def flat_event(row: dict[str, Any]) -> dict[str, Any]:
    """One event as a flat row (the columns of :data:`FLAT_COLUMNS`) for tables and CSV."""
    place = row["place"] or {}
    return {
        **{k: row[k] for k in ("id", "precision", "type", "mode", "modality", "contested", "n_sources", "n_mentions",
                               "first_reported", "last_updated", "evidence")},
        "when": when_text(row), "sources": [actor_label(a) for a in row["sources"]],
        "targets": [actor_label(a) for a in row["targets"]], "place": place.get("name"), "country": place.get("country"),
        "lat": place.get("lat"), "lon": place.get("lon"),
        "counts": ", ".join(f"{k} {count_range(v)}" for k, v in row["counts"].items()), "sites": row["sites"],
    }
