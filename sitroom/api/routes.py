"""The REST API under ``/api/v1``: events, actors, places, documents, stats, the actor network
and exports (read), plus ingest and delete (write, token-gated; :mod:`sitroom.api.write`).

The contract is ``docs/API.md``. Every answer is JSON (``application/json``) unless a ``format``
asks for CSV or GeoJSON or an export is downloaded. Routes are plain functions: FastAPI runs them
in its thread pool, so a slow query never blocks the event loop.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Annotated, Any, Literal, TextIO

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from fastapi.responses import Response, StreamingResponse

from sitroom.api.deps import store_of
from sitroom.api.params import (
    ENTITY_TYPES,
    JSON,
    MAX_AGGREGATE_LIMIT,
    MAX_LIMIT,
    check_choice,
    check_country,
    clamp_limit,
    event_filters,
)
from sitroom.api.streaming import stream_text
from sitroom.api.write import router as write_router
from sitroom.store import Store

router = APIRouter(default_response_class=JSON)

StoreDep = Annotated[Store, Depends(store_of)]
Filters = Annotated[dict[str, Any], Depends(event_filters)]
Sort = Literal["when", "reported", "sources"]
SORT_DOC = ("`when`: event date, newest first, undated last; `reported`: last updated first; "
            "`sources`: best corroborated first.")
NOT_FOUND = {404: {"description": "Not in the store: `{\"detail\": \"...\"}`."}}
BAD_INPUT = {400: {"description": "A malformed filter: `{\"error\": {\"code\", \"input\", \"reason\"}}` "
                                  "(E023 for a bad date, E025 for another bad value)."}}

# Export format -> (media type, file extension).
EXPORT_TYPES: dict[str, tuple[str, str]] = {
    "gdelt": ("text/tab-separated-values; charset=utf-8", "tsv"),
    "acled": ("text/csv; charset=utf-8", "csv"),
    "plover": ("application/x-ndjson; charset=utf-8", "jsonl"),
    "geojson": ("application/geo+json", "geojson"),
    "graphml": ("application/graphml+xml; charset=utf-8", "graphml"),
}
_ALL = 10**9


def _attachment(ext: str) -> dict[str, str]:
    return {"Content-Disposition": f"attachment; filename=sitroom-events.{ext}"}


# --------------------------------------------------------------------------------------- events


def _csv(events: list[dict[str, Any]]) -> str:
    """Events flattened as ``sitroom events --format csv`` prints them (lists joined with
    ``; ``), free text guarded so a spreadsheet never runs a cell as a formula."""
    from sitroom.export import spreadsheet_safe
    from sitroom.store.query import FLAT_COLUMNS, flat_event

    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(FLAT_COLUMNS), extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for event in events:
        flat = flat_event(event)
        writer.writerow({k: spreadsheet_safe("; ".join(map(str, v))) if isinstance(v, list)
                         else spreadsheet_safe(v) if isinstance(v, str) else v for k, v in flat.items()})
    return buf.getvalue()


@router.get(
    "/events", tags=["events"], summary="List fused events",
    description="One page of real-world events, each the fusion of every report of it, matching every filter "
                "given. JSON: `{\"total\", \"limit\", \"offset\", \"events\": [event]}` (`total` counts every match; "
                "it is null with `as_of`). `format=csv` gives the page as CSV (the columns of `sitroom events "
                "--format csv`), `format=geojson` as a GeoJSON FeatureCollection (events without coordinates left "
                "out). Each event's reports are included only with `mentions=1`.",
    response_description="The page of events.", responses={**BAD_INPUT},
)
def list_events(
    store: StoreDep,
    filters: Filters,
    sort: Annotated[Sort, Query(description=SORT_DOC)] = "when",
    limit: Annotated[int, Query(ge=0, description=f"Events per page (at most {MAX_LIMIT}; more is capped).")] = 50,
    offset: Annotated[int, Query(ge=0, description="Skip this many events first.")] = 0,
    mentions: Annotated[bool, Query(description="1: include every event's reports (slower).")] = False,
    format: Annotated[Literal["json", "csv", "geojson"], Query(description="json, csv or geojson.")] = "json",  # noqa: A002
) -> Response:
    limit = clamp_limit(limit)
    events = store.events(**filters, sort=sort, limit=limit, offset=offset,
                          with_mentions=mentions and format == "json")
    if format == "csv":
        return Response(_csv(events), media_type="text/csv; charset=utf-8", headers=_attachment("csv"))
    if format == "geojson":
        from sitroom.export import write_export

        buf = io.StringIO()
        write_export(events, "geojson", buf)
        return Response(buf.getvalue(), media_type="application/geo+json")
    total = None if filters["as_of"] else store.count_events(**filters)
    return JSON({"total": total, "limit": limit, "offset": offset, "events": events})


@router.get(
    "/events/{event_id}", tags=["events"], summary="One fused event with every report",
    description="The event (any status: active, merged or retracted) with `mentions` (every report of it, "
                "superseded ones too: document, site, evidence span, own counts, modality, attribution) and "
                "`history` (creations, joins, merges, splits, corrections).",
    response_description="The event.", responses={**NOT_FOUND},
)
def get_event(store: StoreDep, event_id: Annotated[int, Path(description="The fused event's id.")]) -> JSON:
    event = store.event(event_id)
    if event is None:
        raise HTTPException(status_code=404, detail=f"no event {event_id}")
    return JSON(event)


# --------------------------------------------------------------------------------------- actors


@router.get(
    "/actors", tags=["actors"], summary="List actors",
    description="Actors across documents (one per real-world actor, whichever way pages spelled it), most "
                "documents first: `{\"actors\": [{\"id\", \"name\", \"type\", \"country\", \"sector\", \"kb_id\", "
                "\"documents\", \"mentions\", \"aliases\"}]}`.",
    response_description="The actors.", responses={**BAD_INPUT},
)
def list_actors(
    store: StoreDep,
    q: Annotated[str | None, Query(description="Words of the actor's name or of any spelling a page used.")] = None,
    country: Annotated[str | None, Query(description="The actor's country (ISO3).")] = None,
    type: Annotated[str | None, Query(description="Entity type: " + ", ".join(ENTITY_TYPES) + ".")] = None,  # noqa: A002
    limit: Annotated[int, Query(ge=0, description=f"At most this many (capped at {MAX_LIMIT}).")] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> JSON:
    rows = store.actors(search=(q or "").strip() or None, country=check_country(country),
                        type=check_choice(type, "type", ENTITY_TYPES, upper=True), limit=clamp_limit(limit), offset=offset)
    return JSON({"actors": rows})


@router.get(
    "/actors/{actor_id}", tags=["actors"], summary="One actor",
    description="One actor by id (or key, knowledge-base id, or an unambiguous name): its fields, every "
                "spelling (`aliases`), the roles documents gave it, the documents that name it and the events "
                "it took part in.",
    response_description="The actor.", responses={**NOT_FOUND},
)
def get_actor(store: StoreDep, actor_id: Annotated[str, Path(description="The actor's id (or key, kb id, name).")]) -> JSON:
    actor = store.actor(actor_id)
    if actor is None:
        raise HTTPException(status_code=404, detail=f"no single actor matches {actor_id!r}")
    return JSON(actor)


# --------------------------------------------------------------------------------------- places


@router.get(
    "/places", tags=["places"], summary="Places of the matching events",
    description="The places where the events matching the filters happened, with how many events each, most "
                "first: `{\"places\": [{\"name\", \"country\", \"admin1\", \"kind\", \"lat\", \"lon\", \"events\"}]}`. "
                "`q`, `country` and every other parameter are the event filters (use `place` for the start of a "
                "place's name); events without a place are left out.",
    response_description="The places.", responses={**BAD_INPUT},
)
def list_places(
    store: StoreDep,
    filters: Filters,
    limit: Annotated[int, Query(ge=0, description=f"At most this many places (capped at {MAX_AGGREGATE_LIMIT}).")] = 500,
) -> JSON:
    return JSON({"places": store.places(limit=clamp_limit(limit, MAX_AGGREGATE_LIMIT), **filters)})


# ------------------------------------------------------------------------------------ documents


@router.get(
    "/documents", tags=["documents"], summary="List stored documents",
    description="Stored documents, newest ingested first, or best match first with `q` (full-text over title "
                "and body): `{\"documents\": [{\"doc_id\", \"title\", \"published\", \"published_from\", \"site\", "
                "\"url\", \"path\", \"words\", \"duplicate_of\", \"ingested_at\", \"credits\", \"teasers\"}]}`.",
    response_description="The documents.",
)
def list_documents(
    store: StoreDep,
    q: Annotated[str | None, Query(description="Full-text search over titles and bodies.")] = None,
    site: Annotated[str | None, Query(description="Only documents from this site (e.g. apnews.com).")] = None,
    limit: Annotated[int, Query(ge=0, description=f"At most this many (capped at {MAX_LIMIT}).")] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> JSON:
    rows = store.documents(limit=clamp_limit(limit), offset=offset, search=q, site=(site or "").strip() or None)
    return JSON({"documents": rows})


@router.get(
    "/documents/{doc_id}", tags=["documents"], summary="One stored document",
    description="The stored `sitroom.document/1` record: source, the cleaned article body, and the entities, "
                "places, times and events found in it, each with its character spans in the body. The text is "
                "as the page had it (attacker-controlled): escape it before showing it.",
    response_description="The record.", responses={**NOT_FOUND},
)
def get_document(store: StoreDep, doc_id: Annotated[str, Path(description="The document's id.")]) -> JSON:
    record = store.get_record(doc_id)
    if record is None:
        raise HTTPException(status_code=404, detail=f"no document {doc_id!r}")
    return JSON(record)


# --------------------------------------------------------------------------------- aggregates


@router.get(
    "/stats", tags=["aggregates"], summary="Counts of the matching events",
    description="`{\"total\", \"by_type\": {type: n}, \"by_country\": {iso3: n}, \"by_day\": [{\"day\", \"type\", "
                "\"n\"}]}`. `by_type` and `by_country` are ordered most first; an event counts for every country "
                "it involves (its place's and its actors'). `by_day` is by the first day of the event's interval, "
                "in day order; events of unknown date are left out of it.",
    response_description="The counts.", responses={**BAD_INPUT},
)
def get_stats(store: StoreDep, filters: Filters) -> JSON:
    return JSON(store.stats(**filters))


@router.get(
    "/network", tags=["aggregates"], summary="The actor network of the matching events",
    description="Actors as nodes and events as typed, directed edges (source to target) over at most `limit` "
                "of the matching events (the first in `sort` order): `{\"nodes\": [{\"id\", \"name\", \"country\", "
                "\"sector\", \"type\", \"events\"}], \"edges\": [{\"source\", \"target\", \"type\", \"events\", "
                "\"event_ids\"}]}`. Edges of one pair and event type are one edge; nodes and edges come "
                "most-connected first. Node ids are actor ids (`/actors/{id}`).",
    response_description="The network.", responses={**BAD_INPUT},
)
def get_network(
    store: StoreDep,
    filters: Filters,
    limit: Annotated[int, Query(ge=0, description=f"Events to draw at most (capped at {MAX_AGGREGATE_LIMIT}).")] = 500,
    sort: Annotated[Sort, Query(description="Which events come first when there are more than `limit`. " + SORT_DOC)] = "when",
) -> JSON:
    return JSON(store.network(limit=clamp_limit(limit, MAX_AGGREGATE_LIMIT), sort=sort, **filters))


# ----------------------------------------------------------------------------------- exports


def _matching(store: Store, filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
    if filters["as_of"]:  # the as-of view is recomputed per call: one call, not one per page
        yield from store.events(**filters, limit=_ALL)
    else:
        yield from store.iter_events(**filters)


@router.get(
    "/export/{format}", tags=["exports"], summary="Export the matching events",
    description="Every event matching the filters, as a file to download (streamed): `gdelt` (GDELT 2.0-like "
                "TSV), `acled` (ACLED-like CSV), `plover` (JSON Lines), `geojson` (FeatureCollection of points) "
                "or `graphml` (actor network for Gephi). Field mappings: docs/EXPORTS.md.",
    response_description="The export file.", responses={**NOT_FOUND, **BAD_INPUT},
    response_class=StreamingResponse,
)
def export(
    store: StoreDep,
    filters: Filters,
    format: Annotated[str, Path(description="gdelt, acled, plover, geojson or graphml.")],  # noqa: A002
) -> StreamingResponse:
    from sitroom.export import write_export

    if format not in EXPORT_TYPES:
        raise HTTPException(status_code=404, detail=f"no export format {format!r}; one of {', '.join(EXPORT_TYPES)}")
    media_type, ext = EXPORT_TYPES[format]

    def write(out: TextIO) -> None:
        events = _matching(store, filters)
        try:
            write_export(events, format, out)
        finally:
            events.close()

    return StreamingResponse(stream_text(write), media_type=media_type, headers=_attachment(ext))


router.include_router(write_router)
