"""The HTML pages: the situation room, one event with every report of it, one document.

Everything is rendered by Jinja2 with autoescaping on. Article text is attacker-controlled, so
the highlighted bodies are built here from escaped pieces (:func:`highlight`) and never from a
``|safe`` of stored text. Links to a page's original URL are made only for http(s) URLs.

Every filter lives in the query string, with the API's names (``q, actor, country, type,
modality, place, from, to, as_of, min_sources``) plus ``sort`` and ``page``, so a view can be
shared; ``/partials/events`` answers the event list alone for htmx.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup, escape

from sitroom.model import EventType

STATIC_DIR = Path(__file__).parent / "static"
TEMPLATE_DIR = Path(__file__).parent / "templates"
router = APIRouter()

EVENT_TYPES: tuple[str, ...] = get_args(EventType)
MODALITIES = ("asserted", "planned", "hypothetical", "negated", "claimed")
SORTS = ("when", "reported", "sources")
PAGE_SIZE = 25
COUNT_KINDS = ("killed", "injured", "arrested", "size")

# The vendored files (tools/vendor_web.sh; sitroom/web/static/vendor/VENDORED.md).
VENDOR = {
    "leaflet_js": "vendor/leaflet-1.9.4.js",
    "leaflet_css": "vendor/leaflet-1.9.4.css",
    "markercluster_js": "vendor/leaflet.markercluster-1.5.3.js",
    "markercluster_css": "vendor/MarkerCluster-1.5.3.css",
    "markercluster_default_css": "vendor/MarkerCluster.Default-1.5.3.css",
    "cytoscape_js": "vendor/cytoscape-3.35.0.min.js",
    "htmx_js": "vendor/htmx-2.0.11.min.js",
    "topojson_js": "vendor/topojson-client-3.1.0.min.js",
    "countries_json": "vendor/countries-110m-2.0.2.json",
    "iso_numeric_json": "vendor/iso3-numeric.json",
}


def static_path(path: str) -> str:
    """The root-relative URL of a static file (relative, so a proxy's host never leaks in)."""
    return "/static/" + path.lstrip("/")


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(vendor=VENDOR, event_types=EVENT_TYPES, modalities=MODALITIES, sorts=SORTS, static=static_path)
    env.filters.update(when=when_label, actor=actor_label, counts=counts_labels, safe_url=safe_url,
                       mark_words=mark_words)
    return env



# --------------------------------------------------------------------------------------------
# Filters
# --------------------------------------------------------------------------------------------

_ISO3 = re.compile(r"^[A-Za-z]{3}$")


@dataclass
class Filters:
    """The page's state, read from the query string (bad values are dropped with a note)."""

    q: str = ""
    actor: str = ""
    country: str = ""
    type: str = ""
    modality: str = ""
    place: str = ""
    date_from: str = ""
    date_to: str = ""
    as_of: str = ""
    min_sources: int | None = None
    sort: str = "when"
    page: int = 1
    problems: list[str] = field(default_factory=list)

    @classmethod
    def from_request(cls, request: Request) -> Filters:
        p = request.query_params
        f = cls()

        def text(name: str, limit: int = 200) -> str:
            return (p.get(name) or "").strip()[:limit]

        f.q, f.actor, f.place = text("q"), text("actor"), text("place")
        country = text("country", 3)
        if country and not _ISO3.match(country):
            f.problems.append(f"country {country!r} is not an ISO3 code")
        else:
            f.country = country.upper()
        type_ = text("type").upper()
        if type_ and type_ not in EVENT_TYPES:
            f.problems.append(f"unknown event type {type_!r}")
        else:
            f.type = type_
        modality = text("modality").lower()
        if modality and modality not in MODALITIES:
            f.problems.append(f"unknown modality {modality!r}")
        else:
            f.modality = modality
        for name, attr in (("from", "date_from"), ("to", "date_to"), ("as_of", "as_of")):
            value = text(name, 10)
            if value:
                try:
                    dt.date.fromisoformat(value)
                except ValueError:
                    f.problems.append(f"{name} {value!r} is not a date (YYYY-MM-DD)")
                else:
                    setattr(f, attr, value)
        f.min_sources = _int(text("min_sources", 6), 1, f.problems, "min_sources")
        sort = text("sort") or "when"
        f.sort = sort if sort in SORTS else "when"
        f.page = _int(text("page", 6), 1, f.problems, "page") or 1
        return f

    def store_args(self) -> dict[str, Any]:
        """Keyword arguments for ``Store.events`` / ``Store.count_events``."""
        return {"search": self.q or None, "actor": self.actor or None, "country": self.country or None,
                "type_": self.type or None, "modality": self.modality or None, "place": self.place or None,
                "date_from": self.date_from or None, "date_to": self.date_to or None,
                "min_sources": self.min_sources, "as_of": self.as_of or None, "sort": self.sort}

    def params(self, **override: Any) -> dict[str, str]:
        """The non-empty filters as query parameters (page and sort only when not the default)."""
        values: dict[str, Any] = {"q": self.q, "actor": self.actor, "country": self.country, "type": self.type,
                                  "modality": self.modality, "place": self.place, "from": self.date_from,
                                  "to": self.date_to, "as_of": self.as_of, "min_sources": self.min_sources,
                                  "sort": self.sort if self.sort != "when" else "", "page": self.page if self.page > 1 else ""}
        values.update(override)
        return {k: str(v) for k, v in values.items() if v not in (None, "")}

    def query(self, **override: Any) -> str:
        return urlencode(self.params(**override))

    @property
    def active(self) -> bool:
        return any(self.params(sort="", page="").values())


def _int(value: str, minimum: int, problems: list[str], name: str) -> int | None:
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        problems.append(f"{name} {value!r} is not a number")
        return None
    return max(minimum, number)


# --------------------------------------------------------------------------------------------
# Labels (Jinja filters)
# --------------------------------------------------------------------------------------------


def when_label(row: dict[str, Any]) -> str:
    """``2025-03-04``, ``2025-03-01 – 2025-03-31 (month)``, or ``date unknown``."""
    start, end, precision = row.get("when_from"), row.get("when_to"), row.get("precision") or "unknown"
    if not start and not end:
        return "date unknown"
    span = start if start == end or not end else f"{start or '?'} – {end}"
    return span if precision == "day" else f"{span} ({precision})"


def actor_label(actor: dict[str, Any] | str) -> str:
    if isinstance(actor, str):
        return actor
    return f"{actor['name']} ({actor['country']})" if actor.get("country") else actor["name"]


def counts_labels(counts: dict[str, Any]) -> list[str]:
    """``["killed 13–16 (3 sources)", ...]``: the range reported and how many reports gave one."""
    out = []
    for kind in sorted(counts, key=lambda k: COUNT_KINDS.index(k) if k in COUNT_KINDS else 9):
        c = counts[kind]
        value = str(c["min"]) if c["min"] == c["max"] else f"{c['min']}–{c['max']}"
        n = len({s.get("site") or s.get("doc_id") for s in c.get("by_source", [])}) or 1
        out.append(f"{kind} {value} ({n} source{'s' if n != 1 else ''})")
    return out


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s) (never ``javascript:`` and friends), else None."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def mark_words(text: str | None, words: str | None) -> Markup:
    """``text`` escaped, with each search word marked (case-insensitive)."""
    text = text or ""
    terms = [w for w in re.findall(r"\w+", words or "") if len(w) > 1]
    if not terms:
        return escape(text)
    pattern = re.compile("|".join(re.escape(w) for w in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    spans = [(m.start(), m.end(), "hl hl-q", None) for m in pattern.finditer(text)]
    return highlight(text, [Highlight(s, e, c, t) for s, e, c, t in spans])


# --------------------------------------------------------------------------------------------
# Highlighting
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Highlight:
    """One span to mark in a text: ``[start, end)``, its CSS classes, a tooltip, an anchor."""

    start: int
    end: int
    classes: str
    title: str | None = None
    anchor: str | None = None
    layer: int = 1  # lower layers are opened first (outside)


def highlight(text: str, spans: list[Highlight], tag: str = "mark") -> Markup:
    """``text`` escaped, with every span wrapped in ``<mark class=...>``.

    Spans may nest or cross: crossing ones are split so the HTML stays properly nested. Spans
    outside the text or empty are dropped. Every piece of text and every attribute value is
    escaped; the result is safe to insert as is.
    """
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    if not spans:
        return escape(text)
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    order = sorted(range(len(spans)), key=lambda i: (spans[i].layer, spans[i].start, -spans[i].end, i))
    rank = {i: r for r, i in enumerate(order)}
    out: list[Markup] = []
    stack: list[int] = []
    opened: set[int] = set()
    for a, b in zip(cuts, cuts[1:]):
        want = sorted((i for i, s in enumerate(spans) if s.start <= a and b <= s.end), key=rank.__getitem__)
        keep = 0
        while keep < len(stack) and keep < len(want) and stack[keep] == want[keep]:
            keep += 1
        for _ in range(len(stack) - keep):
            stack.pop()
            out.append(Markup(f"</{tag}>"))
        for i in want[keep:]:
            s = spans[i]
            attrs = Markup(' class="{}"').format(s.classes)
            if s.title:
                attrs += Markup(' title="{}"').format(s.title)
            if s.anchor and i not in opened:
                attrs += Markup(' id="{}"').format(s.anchor)
            opened.add(i)
            out.append(Markup(f"<{tag}") + attrs + Markup(">"))
            stack.append(i)
        out.append(escape(text[a:b]))
    out.extend(Markup(f"</{tag}>") for _ in stack)
    return Markup("").join(out)


def paragraph_of(body: str, start: int, end: int, text: str | None = None) -> tuple[str, int, int] | None:
    """The paragraph (``\\n\\n``-separated) holding ``body[start:end]`` and the span's offsets in it.

    When the offsets do not hold ``text`` (an older record), the text is looked up instead.
    """
    if text and body[start:end] != text:
        found = body.find(text)
        if found < 0:
            return None
        start, end = found, found + len(text)
    if not (0 <= start < end <= len(body)):
        return None
    p_start = body.rfind("\n\n", 0, start)
    p_start = 0 if p_start < 0 else p_start + 2
    p_end = body.find("\n\n", end)
    p_end = len(body) if p_end < 0 else p_end
    return body[p_start:p_end], start - p_start, end - p_start


def document_highlights(record: dict[str, Any]) -> list[Highlight]:
    """Every span of a record's body worth marking: events' evidence (outermost), then places,
    entities and times."""
    spans: list[Highlight] = []
    entities = {e["id"]: e for e in record.get("entities", [])}
    places = {p["id"]: p for p in record.get("places", [])}
    for ev in record.get("events", []):
        if ev.get("section", "main") != "main":
            continue
        evd = ev["evidence"]
        who = ", ".join(entities[s]["name"] for s in ev.get("sources", []) if s in entities)
        whom = ", ".join(entities[t]["name"] for t in ev.get("targets", []) if t in entities)
        title = f"{ev['type']}{'/' + ev['mode'] if ev.get('mode') else ''} ({ev['modality']})"
        if who or whom:
            title += f": {who or '?'} → {whom or '?'}"
        spans.append(Highlight(evd["start"], evd["end"], f"hl hl-ev type-{ev['type']}", title, f"ev-{ev['id']}", 0))
    place_spans = set()
    for p in places.values():
        label = f"place: {p['name']}" + (f" ({p['kind']}, {p['country']})" if p.get("kind") else f" ({p.get('country')})")
        for m in p.get("mentions", []):
            place_spans.add((m["start"], m["end"]))
            spans.append(Highlight(m["start"], m["end"], "hl hl-place", label, None, 2))
    for e in entities.values():
        label = f"{e['type']}: {e['name']}" + (f" ({e['country']})" if e.get("country") else "")
        for m in e.get("mentions", []):
            if (m["start"], m["end"]) in place_spans and e["type"] in ("GPE", "LOC", "FAC"):
                continue  # the place mark says it already
            spans.append(Highlight(m["start"], m["end"], f"hl hl-ent ent-{e['type']}", label, None, 3))
    for t in record.get("times", []):
        value = t.get("from") or t.get("value")
        label = f"time: {value or '?'}" + (f" – {t['to']}" if t.get("to") and t.get("to") != t.get("from") else "")
        label += f" ({t.get('precision', 'unknown')})"
        spans.append(Highlight(t["start"], t["end"], "hl hl-time", label, None, 4))
    return spans


# --------------------------------------------------------------------------------------------
# Routes
# --------------------------------------------------------------------------------------------


templates = Jinja2Templates(env=_environment())


def _store(request: Request) -> Any:
    return request.app.state.store


def _event_page(request: Request, filters: Filters) -> dict[str, Any]:
    store = _store(request)
    args = filters.store_args()
    offset = (filters.page - 1) * PAGE_SIZE
    events = store.events(**args, limit=PAGE_SIZE + 1, offset=offset, with_mentions=False)
    more = len(events) > PAGE_SIZE
    events = events[:PAGE_SIZE]
    total = None if filters.as_of else store.count_events(**args)
    pages = None if total is None else max(1, -(-total // PAGE_SIZE))
    return {"events": events, "total": total, "pages": pages, "more": more, "offset": offset,
            "filters": filters, "page_size": PAGE_SIZE}


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def index(request: Request) -> HTMLResponse:
    """The situation room: filters, map, timeline, network and the first page of events."""
    filters = Filters.from_request(request)
    context = _event_page(request, filters)
    return templates.TemplateResponse(request, "index.html", context)


@router.get("/partials/events", response_class=HTMLResponse, include_in_schema=False)
def events_partial(request: Request) -> HTMLResponse:
    """The event list alone (htmx swaps it in when a filter changes)."""
    filters = Filters.from_request(request)
    return templates.TemplateResponse(request, "_events.html", _event_page(request, filters))


@router.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
def event_page(request: Request, event_id: int) -> HTMLResponse:
    """One fused event with every report of it: evidence in its paragraph, counts per source."""
    store = _store(request)
    event = store.event(event_id)
    if event is None:
        return _not_found(request, f"No event has the id {event_id}.")
    bodies: dict[str, str | None] = {}
    mentions = []
    for m in event.get("mentions", []):
        if m["doc_id"] not in bodies:
            record = store.get_record(m["doc_id"])
            bodies[m["doc_id"]] = record["article"]["body"] if record else None
        body, evd = bodies[m["doc_id"]], m.get("evidence") or {}
        found = paragraph_of(body, evd.get("start", -1), evd.get("end", -1), evd.get("text")) if body else None
        if found:
            para, start, end = found
            context = highlight(para, [Highlight(start, end, "hl hl-evidence")])
        else:
            context = Markup('<mark class="hl hl-evidence">{}</mark>').format(evd.get("text") or "")
        mentions.append({**m, "context": context, "link": safe_url(m.get("url")),
                         "count_labels": [f"{k} {v}" for k, v in (m.get("counts") or {}).items() if v is not None]})
    return templates.TemplateResponse(request, "event.html", {"event": event, "mentions": mentions})


@router.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
def document_page(request: Request, doc_id: str) -> HTMLResponse:
    """One stored document: its cleaned body with entities, places, times and events marked."""
    store = _store(request)
    record = store.get_record(doc_id)
    if record is None:
        return _not_found(request, f"No document has the id {doc_id!r}.")
    body = record["article"]["body"]
    fused = _fused_ids(store, doc_id)
    events = [{**ev, "fused_id": fused.get(ev["id"])} for ev in record.get("events", [])]
    return templates.TemplateResponse(request, "document.html", {
        "record": record, "body_html": highlight(body, document_highlights(record)), "events": events,
        "link": safe_url(record["source"].get("url")),
    })


def _not_found(request: Request, message: str) -> HTMLResponse:
    return templates.TemplateResponse(request, "not_found.html", {"message": message}, status_code=404)


def _fused_ids(store: Any, doc_id: str) -> dict[str, int]:
    """The record's event ids ("v1" ...) and the fused events they belong to."""
    return store.fused_ids_of(doc_id)