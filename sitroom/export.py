"""Exports of fused events: GDELT-like TSV, ACLED-like CSV, PLOVER JSON Lines, GeoJSON, GraphML.

Pure functions over the fused-event dicts the store produces (one dict per real-world event, with
its summary fields and every mention; see ``docs/EXPORTS.md`` for the input shape and, for each
format, the field-by-field mapping and the rules behind it). Nothing here touches a database.

Every writer iterates its input once and writes as it goes, except GraphML, whose nodes must come
before its edges: it collects actors and edges and writes them at the end.

Example:
    >>> import io
    >>> buf = io.StringIO()
    >>> write_export([], "geojson", buf)
    0
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
from collections.abc import Callable, Iterable
from typing import Any, TextIO
from xml.sax.saxutils import escape, quoteattr

FORMATS: dict[str, str] = {
    "gdelt": "GDELT 2.0 Events-like TSV (61 GDELT columns + sitroom extras), one row per event, with a header",
    "acled": "ACLED-like CSV: event/sub-event types mapped from PLOVER, actors, location, fatalities, notes",
    "plover": "PLOVER-style JSON Lines, one object per event, with every mention under 'sitroom'",
    "geojson": "GeoJSON FeatureCollection of Point features (events without coordinates are left out)",
    "graphml": "GraphML for Gephi: actors as nodes, one directed edge per source-target pair of each event",
}

# --- shared tables -------------------------------------------------------------------------------

# CAMEO root (first two digits) → GDELT QuadClass: 1 verbal cooperation, 2 material cooperation,
# 3 verbal conflict, 4 material conflict (the GDELT 2.0 Event codebook's grouping).
QUAD_BY_ROOT: dict[str, int] = {
    **{f"{r:02d}": 1 for r in range(1, 6)}, **{f"{r:02d}": 2 for r in range(6, 9)},
    **{f"{r:02d}": 3 for r in range(9, 14)}, **{f"{r:02d}": 4 for r in range(14, 21)},
}

# PLOVER type → quad category, from the PLOVER manual's quad table (INVESTIGATE is sitroom's
# ACCUSE mode "investigate", DEMAND is REQUEST). Used when an event has no CAMEO code.
QUAD_BY_PLOVER: dict[str, int] = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1,
    "COOPERATE": 2, "AID": 2, "RETREAT": 2,
    "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "SANCTION": 3, "THREATEN": 3,
    "PROTEST": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
}

# Goldstein scale (-10 most conflictual .. +10 most cooperative) by CAMEO root: the value the
# standard CAMEO Goldstein table (the one GDELT ships) gives the root's base code (010, 020, ...
# 200). Approximate: finer codes differ (0871 "declare ceasefire" is far above root 08's 5.0).
GOLDSTEIN_BY_ROOT: dict[str, float] = {
    "01": 0.0, "02": 3.0, "03": 4.0, "04": 1.0, "05": 3.5, "06": 6.0, "07": 7.0, "08": 5.0,
    "09": -2.0, "10": -5.0, "11": -2.0, "12": -4.0, "13": -4.4, "14": -6.5, "15": -7.2,
    "16": -4.0, "17": -7.0, "18": -9.0, "19": -10.0, "20": -10.0,
}

# A mention whose evidence starts within this many code points of the body start is taken to be
# in the lead paragraph (GDELT's IsRootEvent). Not calibrated: a news lead is one or two
# sentences, 200-400 characters; the rule only needs to separate the lead from the rest.
ROOT_EVENT_CHARS = 400

# Contract place kinds → GDELT geo type (1 country, 2 US state, 3 US city, 4 world city,
# 5 world state) for places outside the US; US places use 2 and 3 instead of 5 and 4.
GDELT_GEO_TYPE: dict[str, int] = {"country": 1, "admin1": 5, "region": 5, "admin2": 4, "city": 4,
                                  "facility": 4, "water": 4, "other": 4}
GDELT_US_GEO_TYPE: dict[int, int] = {5: 2, 4: 3}

# Contract place kinds → ACLED geo_precision (1 the town itself, 2 a part of a region or a nearby
# town, 3 a larger region: the provincial capital or the region's centre).
ACLED_GEO_PRECISION: dict[str, int] = {"city": 1, "facility": 1, "admin2": 2, "region": 2,
                                       "water": 2, "other": 2, "admin1": 3, "country": 3}

# sitroom sector → CAMEO spelling (GDELT) and PLOVER spelling. sitroom keeps CAMEO's MED (media)
# and HLH (health) but spells CAMEO's PTY as POL; PLOVER renamed media to JRN and health to MED.
CAMEO_SECTORS: dict[str, str] = {"POL": "PTY"}
PLOVER_SECTORS: dict[str, str] = {"POL": "PTY", "MED": "JRN", "HLH": "MED"}

# --- ACLED mapping -------------------------------------------------------------------------------

BATTLES = "Battles"
REMOTE = "Explosions/Remote violence"
VAC = "Violence against civilians"
PROTESTS = "Protests"
RIOTS = "Riots"
STRATEGIC = "Strategic developments"

# ACLED event type → disorder type.
ACLED_DISORDER: dict[str, str] = {
    BATTLES: "Political violence", REMOTE: "Political violence", VAC: "Political violence",
    PROTESTS: "Demonstrations", RIOTS: "Demonstrations", STRATEGIC: "Strategic developments",
}

# (PLOVER type, mode) → (ACLED event type, sub-event type). A (type, None) row is the type's
# default. Rows absent here are decided by the rules in :func:`acled_types` (ASSAULT by the target,
# PROTEST by what was done to the protesters, COERCE by arrests) or fall back to "Other".
ACLED_TYPES: dict[tuple[str, str | None], tuple[str, str]] = {
    ("ASSAULT", "aerial"): (REMOTE, "Air/drone strike"),
    ("ASSAULT", "shelling"): (REMOTE, "Shelling/artillery/missile attack"),
    ("ASSAULT", "explosives"): (REMOTE, "Remote explosive/landmine/IED"),
    ("ASSAULT", "abduct"): (VAC, "Abduction/forced disappearance"),
    ("ASSAULT", "sexual"): (VAC, "Sexual violence"),
    ("ASSAULT", "torture"): (VAC, "Attack"),
    ("ASSAULT", "beat"): (VAC, "Attack"),
    ("ASSAULT", "destroy"): (STRATEGIC, "Looting/property destruction"),
    ("PROTEST", "riot"): (RIOTS, "Violent demonstration"),
    ("COERCE", "arrest"): (STRATEGIC, "Arrests"),
    ("COERCE", "seize"): (STRATEGIC, "Looting/property destruction"),
    ("COERCE", "destroy"): (STRATEGIC, "Looting/property destruction"),
    ("COERCE", "repress"): (VAC, "Attack"),
    ("MOBILIZE", "base"): (STRATEGIC, "Headquarters or base established"),
    ("MOBILIZE", None): (STRATEGIC, "Change to group/activity"),
    ("RETREAT", "withdraw"): (STRATEGIC, "Non-violent transfer of territory"),
    ("RETREAT", "surrender"): (STRATEGIC, "Agreement"),
    ("RETREAT", "demobilize"): (STRATEGIC, "Change to group/activity"),
    ("RETREAT", "defect"): (STRATEGIC, "Change to group/activity"),
    ("CONCEDE", "release"): (STRATEGIC, "Agreement"),
    ("AGREE", None): (STRATEGIC, "Agreement"),
}

# Sectors of armed actors (a target with one makes an attack a battle), and of unarmed ones.
ARMED_SECTORS = frozenset({"MIL", "REB", "COP", "SPY", "UAF", "PRM"})
CIVILIAN_SECTORS = frozenset({"CVL", "OPP", "MED", "HLH", "EDU", "LAB", "AGR", "REF", "REL", "BUS",
                              "NGO", "ETH", "JRN", "SOC", "ELI"})
STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "SPY"})

# ACLED inter codes: 1 state forces, 2 rebel groups, 3 political militias, 4 identity militias,
# 5 rioters, 6 protesters, 7 civilians, 8 external/other forces.
INTER_BY_SECTOR: dict[str, int] = {"GOV": 1, "MIL": 1, "COP": 1, "SPY": 1, "REB": 2, "UAF": 3,
                                   "PRM": 3, "IGO": 8, **{s: 7 for s in CIVILIAN_SECTORS}}

# Leading characters that make a spreadsheet read a CSV cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@")

# Characters that end a line for some reader (str.splitlines) or separate TSV fields.
_TSV_BREAKS = re.compile("[\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Characters XML 1.0 does not allow, even escaped.
_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def write_export(events: Iterable[dict[str, Any]], fmt: str, out: TextIO) -> int:
    """Write events in format ``fmt`` to ``out``.

    Args:
        events: fused-event dicts as the store produces them (iterated once).
        fmt: one of :data:`FORMATS` (``gdelt``, ``acled``, ``plover``, ``geojson``, ``graphml``).
        out: a text stream; nothing is written to it before ``fmt`` is known to be valid.

    Returns:
        How many events were written: every event for gdelt, acled and plover; the events with
        coordinates for geojson; the events that gave at least one edge for graphml.

    Raises:
        ValueError: ``fmt`` is not a known format.
    """
    writer = _WRITERS.get(fmt)
    if writer is None:
        raise ValueError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    return writer(events, out)


# --- small readers of the input shape ------------------------------------------------------------


def _as_time(value: Any) -> dt.date | dt.datetime | None:
    """A date or timestamp from ``YYYY-MM-DD``, an ISO 8601 timestamp, or a date object."""
    if isinstance(value, dt.date):  # datetime is a date too
        return value
    if not isinstance(value, str) or len(value) < 10:
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def _day(value: Any) -> dt.date | None:
    """The calendar day of a date or timestamp (as written: a timestamp's local date)."""
    found = _as_time(value)
    if isinstance(found, dt.datetime):
        return found.date()
    return found


def _iso_day(value: Any) -> str | None:
    day = _day(value)
    return day.isoformat() if day else None


def _event_day(event: dict[str, Any]) -> dt.date | None:
    """The event's date: ``when_from``, else the day it was first reported."""
    return _day(event.get("when_from")) or _day(event.get("first_reported"))


def _actors(event: dict[str, Any], side: str) -> list[dict[str, Any]]:
    return [a for a in event.get(side) or [] if isinstance(a, dict)]


def _first(event: dict[str, Any], side: str) -> dict[str, Any]:
    found = _actors(event, side)
    return found[0] if found else {}


def _place(event: dict[str, Any]) -> dict[str, Any]:
    place = event.get("place")
    return place if isinstance(place, dict) else {}


def _number(value: Any) -> float | None:
    """A finite number (not a bool), else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return value


def _coordinates(place: dict[str, Any]) -> tuple[float, float] | None:
    """(lat, lon) when both are finite numbers in range, else None."""
    lat, lon = _number(place.get("lat")), _number(place.get("lon"))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def _count(event: dict[str, Any], kind: str, bound: str) -> int | None:
    """The ``min`` or ``max`` of a fused count (``killed``, ``injured`` ...), or None."""
    counts = event.get("counts") or {}
    entry = counts.get(kind) if isinstance(counts, dict) else None
    value = entry.get(bound) if isinstance(entry, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _names(actors: list[dict[str, Any]]) -> list[str]:
    return [a["name"] for a in actors if isinstance(a.get("name"), str) and a["name"]]


def _cameo(event: dict[str, Any]) -> str | None:
    code = event.get("cameo")
    return code if isinstance(code, str) and code.isdigit() and len(code) >= 2 else None


def country_name(iso3: str | None) -> str | None:
    """The short English name of an ISO3 country code from the actor KB ("PSE" -> "Palestine").

    Args:
        iso3: an ISO 3166 alpha-3 code, or None.

    Returns:
        The name, or None when the code is unknown or the KB cannot be read.
    """
    if not iso3:
        return None
    try:
        from sitroom.actors.kb import load_kb  # imported late: only exports that name countries need it

        return load_kb().country_name(iso3)
    except (OSError, ValueError, KeyError):
        return None


def place_kind(place: dict[str, Any]) -> str | None:
    """The contract kind of a place (``country``, ``admin1``, ``city`` ...), given or inferred.

    The place's own ``kind`` wins. Without one: a name equal to its admin1 is an admin1, a name
    equal to its country (code or KB name) with no admin1 is a country, any other name a city.

    Args:
        place: the event's ``place`` dict (may be empty).

    Returns:
        The kind, or None when the place has neither a name nor a country.
    """
    kind = place.get("kind")
    if isinstance(kind, str) and kind in GDELT_GEO_TYPE:
        return kind
    name = (place.get("name") or "").strip()
    country, admin1 = place.get("country"), place.get("admin1")
    if not name:
        return "country" if country else None
    if admin1 and name.casefold() == str(admin1).casefold():
        return "admin1"
    if country and not admin1 and name.casefold() in {str(country).casefold(),
                                                      (country_name(country) or "").casefold()}:
        return "country"
    return "city"


# --- cell helpers --------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A cell's text: empty for None, 1/0 for booleans, shortest repr for numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ""
    return str(value)


def _tsv(value: Any) -> str:
    """A TSV cell: tabs, newlines and other line separators become spaces."""
    return _TSV_BREAKS.sub(" ", _text(value))


def spreadsheet_safe(value: Any) -> str:
    """A free-text CSV cell that a spreadsheet will not run as a formula (``'`` prefixed)."""
    text = _text(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _xml_text(value: Any) -> str:
    return _XML_INVALID.sub("", _text(value))


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _json(obj: Any) -> str:
    """Compact JSON, UTF-8 as is, with U+2028/U+2029 escaped so no reader splits the line."""
    text = json.dumps(obj, ensure_ascii=False, default=_json_default)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


# --- GDELT ---------------------------------------------------------------------------------------

_GDELT_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
                "Religion2Code", "Type1Code", "Type2Code", "Type3Code")
_GDELT_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{c}" for c in _GDELT_ACTOR), *(f"Actor2{c}" for c in _GDELT_ACTOR),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"Actor1Geo_{c}" for c in _GDELT_GEO), *(f"Actor2Geo_{c}" for c in _GDELT_GEO),
    *(f"ActionGeo_{c}" for c in _GDELT_GEO),
    "DATEADDED", "SOURCEURL",
)
GDELT_EXTRAS: tuple[str, ...] = ("PLOVERType", "PLOVERMode", "Modality", "Fatalities", "Evidence")


def _gdelt_actor(actor: dict[str, Any], prefix: str) -> dict[str, Any]:
    country = actor.get("country")
    sector = actor.get("sector")
    sector = CAMEO_SECTORS.get(sector, sector) if sector else None
    return {f"{prefix}Code": f"{country or ''}{sector or ''}", f"{prefix}Name": actor.get("name"),
            f"{prefix}CountryCode": country, f"{prefix}Type1Code": sector}


def _current_mentions(event: dict[str, Any]) -> list[dict[str, Any]]:
    """The event's mentions not replaced by a correction (``superseded_at`` empty)."""
    return [m for m in event.get("mentions") or [] if isinstance(m, dict) and not m.get("superseded_at")]


def _root_event(event: dict[str, Any]) -> int | None:
    starts = [m["evidence"].get("start") for m in _current_mentions(event) if isinstance(m.get("evidence"), dict)]
    starts = [s for s in starts if isinstance(s, int)]
    return int(min(starts) < ROOT_EVENT_CHARS) if starts else None


def _gdelt_added(value: Any) -> str | None:
    """GDELT 2.0's DATEADDED, YYYYMMDDHHMMSS in UTC (000000 when only the day is known)."""
    found = _as_time(value)
    if isinstance(found, dt.datetime):
        if found.tzinfo is not None:
            found = found.astimezone(dt.timezone.utc)
        return found.strftime("%Y%m%d%H%M%S")
    return found.strftime("%Y%m%d000000") if found else None


def _full_name(place: dict[str, Any]) -> str | None:
    parts: list[str] = []
    for part in (place.get("name"), place.get("admin1"), country_name(place.get("country"))
                 or place.get("country")):
        if part and str(part).casefold() not in {p.casefold() for p in parts}:
            parts.append(str(part))
    return ", ".join(parts) or None


def gdelt_row(event: dict[str, Any]) -> dict[str, Any]:
    """One event as a GDELT 2.0 Events row (column name → value; absent columns are empty).

    Args:
        event: a fused-event dict.

    Returns:
        The row, keyed by :data:`GDELT_COLUMNS` and :data:`GDELT_EXTRAS` names.
    """
    row: dict[str, Any] = {"GLOBALEVENTID": event.get("id")}
    day = _event_day(event)
    if day:
        year_days = 366 if (day.year % 4 == 0 and (day.year % 100 != 0 or day.year % 400 == 0)) else 365
        row.update(SQLDATE=day.strftime("%Y%m%d"), MonthYear=day.strftime("%Y%m"), Year=day.year,
                   FractionDate=f"{day.year + day.timetuple().tm_yday / year_days:.4f}")
    row.update(_gdelt_actor(_first(event, "sources"), "Actor1"))
    row.update(_gdelt_actor(_first(event, "targets"), "Actor2"))
    cameo = _cameo(event)
    root = cameo[:2] if cameo else None
    row.update(IsRootEvent=_root_event(event), EventCode=cameo,
               EventBaseCode=cameo[:3] if cameo else None, EventRootCode=root,
               QuadClass=QUAD_BY_ROOT.get(root) if root else QUAD_BY_PLOVER.get(event.get("type") or ""),
               GoldsteinScale=GOLDSTEIN_BY_ROOT.get(root) if root else None,
               NumMentions=event.get("n_mentions"), NumSources=event.get("n_sources"),
               NumArticles=event.get("n_documents"))
    place = _place(event)
    kind = place_kind(place)
    if kind:
        geo_type = GDELT_GEO_TYPE[kind]
        if place.get("country") == "USA":
            geo_type = GDELT_US_GEO_TYPE.get(geo_type, geo_type)
        coords = _coordinates(place)
        row.update(ActionGeo_Type=geo_type, ActionGeo_FullName=_full_name(place),
                   ActionGeo_CountryCode=place.get("country"), ActionGeo_ADM1Code=place.get("admin1"),
                   ActionGeo_Lat=coords[0] if coords else None, ActionGeo_Long=coords[1] if coords else None,
                   ActionGeo_FeatureID=place.get("gid") or place.get("id"))
    url = next((m["url"] for m in _current_mentions(event) if m.get("url")), None)
    row.update(DATEADDED=_gdelt_added(event.get("last_updated")), SOURCEURL=url,
               PLOVERType=event.get("type"), PLOVERMode=event.get("mode"), Modality=event.get("modality"),
               Fatalities=_count(event, "killed", "max"), Evidence=event.get("evidence"))
    return row


def _write_gdelt(events: Iterable[dict[str, Any]], out: TextIO) -> int:
    columns = GDELT_COLUMNS + GDELT_EXTRAS
    writer = csv.writer(out, delimiter="\t", quoting=csv.QUOTE_NONE, quotechar=None, lineterminator="\n")
    writer.writerow(columns)
    written = 0
    for event in events:
        row = gdelt_row(event)
        writer.writerow([_tsv(row.get(c)) for c in columns])
        written += 1
    return written


# --- ACLED ---------------------------------------------------------------------------------------

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "country", "admin1", "location", "latitude", "longitude",
    "geo_precision", "source", "source_scale", "notes", "fatalities",
    "sitroom_modality", "sitroom_sources_n", "sitroom_fatalities_max", "sitroom_country_iso3",
    "sitroom_plover_type", "sitroom_plover_mode",
)
# Free-text ACLED columns (formula-guarded).
_ACLED_TEXT = frozenset({"actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "country", "admin1",
                         "location", "source", "notes"})


def _sectors(actors: list[dict[str, Any]]) -> set[str]:
    return {a["sector"] for a in actors if isinstance(a.get("sector"), str)}


def _is_state(actor: dict[str, Any]) -> bool:
    return actor.get("sector") in STATE_SECTORS or (actor.get("type") == "GPE" and not actor.get("sector"))


def acled_types(event: dict[str, Any]) -> tuple[str, str, str]:
    """ACLED's disorder type, event type and sub-event type for a PLOVER event.

    The table :data:`ACLED_TYPES` first; then ASSAULT by its target (an armed target, a state, or
    a clash with no civilian target is a battle, anything else an attack on civilians; occupying
    ground is a battle over territory), PROTEST by what was done to the protesters (deaths:
    excessive force, injuries or arrests: intervention, else peaceful), COERCE by arrests;
    everything else is a strategic development of sub-type "Other".

    Args:
        event: a fused-event dict.

    Returns:
        (disorder_type, event_type, sub_event_type).
    """
    typ, mode = event.get("type") or "", event.get("mode")
    found = ACLED_TYPES.get((typ, mode)) or ACLED_TYPES.get((typ, None))
    if found is None and typ == "ASSAULT":
        targets = _actors(event, "targets")
        if mode == "occupy":
            state = any(_is_state(a) for a in _actors(event, "sources"))
            found = (BATTLES, "Government regains territory" if state else "Non-state actor overtakes territory")
        elif (_sectors(targets) & ARMED_SECTORS or any(_is_state(a) for a in targets)
              or (mode == "clashes" and not _sectors(targets) & CIVILIAN_SECTORS)):
            found = (BATTLES, "Armed clash")
        else:
            found = (VAC, "Attack")
    elif found is None and typ == "PROTEST":
        if (_count(event, "killed", "max") or 0) > 0:
            return "Political violence; Demonstrations", PROTESTS, "Excessive force against protesters"
        hurt = (_count(event, "injured", "max") or 0) + (_count(event, "arrested", "max") or 0)
        found = (PROTESTS, "Protest with intervention" if hurt else "Peaceful protest")
    elif found is None and typ == "COERCE":
        found = (STRATEGIC, "Arrests" if (_count(event, "arrested", "max") or 0) > 0 else "Other")
    elif found is None:
        found = (STRATEGIC, "Other")
    return ACLED_DISORDER[found[0]], found[0], found[1]


def _inter(actor: dict[str, Any], event_type: str, side: str, place_country: str | None) -> int | None:
    """ACLED's inter code of an actor (see INTER_BY_SECTOR); protesters and rioters by the event."""
    if not actor:
        return None
    if side == "sources" and event_type in (PROTESTS, RIOTS):
        return 6 if event_type == PROTESTS else 5
    sector = actor.get("sector")
    if side == "sources" and sector == "ETH":
        return 4
    code = 1 if _is_state(actor) else INTER_BY_SECTOR.get(sector or "")
    if code == 1 and place_country and actor.get("country") and actor["country"] != place_country:
        return 8  # state forces acting outside their country
    return code


def _time_precision(event: dict[str, Any]) -> int:
    start = _day(event.get("when_from"))
    if start is None:
        return 3
    precision = event.get("precision")
    if precision == "day":
        return 1
    if precision == "week":
        return 2
    end = _day(event.get("when_to"))
    if precision == "interval" and end is not None:
        span = (end - start).days
        return 1 if span <= 0 else 2 if span <= 7 else 3
    return 2 if precision == "interval" else 3


def acled_row(event: dict[str, Any]) -> dict[str, Any]:
    """One event as an ACLED-like row (column name → value).

    Args:
        event: a fused-event dict.

    Returns:
        The row, keyed by :data:`ACLED_COLUMNS`.
    """
    day = _event_day(event)
    disorder, event_type, sub_type = acled_types(event)
    sources, targets = _actors(event, "sources"), _actors(event, "targets")
    place = _place(event)
    iso3 = place.get("country")
    inter1 = _inter(sources[0] if sources else {}, event_type, "sources", iso3)
    inter2 = _inter(targets[0] if targets else {}, event_type, "targets", iso3)
    interaction = None
    if inter1 and inter2:
        interaction = f"{min(inter1, inter2)}{max(inter1, inter2)}"
    elif inter1 or inter2:
        interaction = f"{inter1 or inter2}0"
    kind = place_kind(place)
    coords = _coordinates(place)
    killed_min, killed_max = _count(event, "killed", "min"), _count(event, "killed", "max")
    return {
        "event_id_cnty": f"SR{event['id']}" if event.get("id") is not None else None, "event_date": day.isoformat() if day else None,
        "year": day.year if day else None, "time_precision": _time_precision(event),
        "disorder_type": disorder, "event_type": event_type, "sub_event_type": sub_type,
        "actor1": sources[0].get("name") if sources else None,
        "assoc_actor_1": "; ".join(_names(sources[1:])) or None, "inter1": inter1,
        "actor2": targets[0].get("name") if targets else None,
        "assoc_actor_2": "; ".join(_names(targets[1:])) or None, "inter2": inter2,
        "interaction": interaction,
        "civilian_targeting": "Civilian targeting" if event_type == VAC or (
            event_type == REMOTE and inter2 == 7) else None,
        "country": country_name(iso3) or iso3, "admin1": place.get("admin1"), "location": place.get("name"),
        "latitude": coords[0] if coords else None, "longitude": coords[1] if coords else None,
        "geo_precision": ACLED_GEO_PRECISION.get(kind or ""),
        "source": "; ".join(s for s in event.get("sites") or [] if s) or None, "source_scale": None,
        "notes": event.get("evidence"),
        "fatalities": killed_min if killed_min is not None else (killed_max or 0),
        "sitroom_modality": event.get("modality"), "sitroom_sources_n": event.get("n_sources"),
        "sitroom_fatalities_max": killed_max, "sitroom_country_iso3": iso3,
        "sitroom_plover_type": event.get("type"), "sitroom_plover_mode": event.get("mode"),
    }


def _write_acled(events: Iterable[dict[str, Any]], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ACLED_COLUMNS)
    written = 0
    for event in events:
        row = acled_row(event)
        writer.writerow([spreadsheet_safe(row[c]) if c in _ACLED_TEXT else _text(row[c]) for c in ACLED_COLUMNS])
        written += 1
    return written


# --- PLOVER JSON Lines ---------------------------------------------------------------------------


# Mention fields copied into ``sitroom.mentions`` (null when absent), and the store's report-time,
# correction and syndication marks, copied when present.
PLOVER_MENTION_KEYS: tuple[str, ...] = ("mention_id", "doc_id", "url", "path", "site", "title", "published",
                                        "evidence", "counts", "modality", "attributed_to")
PLOVER_MENTION_MARKS: tuple[str, ...] = ("reported_at", "superseded_at", "duplicate_of")


def _plover_actor(actor: dict[str, Any]) -> dict[str, Any]:
    sector = actor.get("sector")
    return {"actor_id": actor.get("actor_id"), "name": actor.get("name"), "code": actor.get("country"),
            "agent": PLOVER_SECTORS.get(sector, sector) if sector else None, "type": actor.get("type"),
            "kb_id": actor.get("kb_id")}


def plover_record(event: dict[str, Any]) -> dict[str, Any]:
    """One event as a PLOVER-style JSON object (first source and target flattened, all under
    ``sitroom``).

    Args:
        event: a fused-event dict.

    Returns:
        The object (JSON-ready).
    """
    source, target = _first(event, "sources"), _first(event, "targets")
    place = _place(event)
    coords = _coordinates(place)
    day = _event_day(event)
    mentions = [{**{key: m.get(key) for key in PLOVER_MENTION_KEYS},
                 **{key: m[key] for key in PLOVER_MENTION_MARKS if key in m}}
                for m in event.get("mentions") or [] if isinstance(m, dict)]
    return {
        "event_id": event.get("id"), "event_date": day.isoformat() if day else None,
        "end_date": _iso_day(event.get("when_to")),
        "event_type": event.get("type"), "mode": event.get("mode"), "context": [],
        "quad_code": QUAD_BY_PLOVER.get(event.get("type") or ""),
        "source_actor": source.get("name"), "source_country": source.get("country"),
        "source_agent": PLOVER_SECTORS.get(source.get("sector"), source.get("sector")),
        "target_actor": target.get("name"), "target_country": target.get("country"),
        "target_agent": PLOVER_SECTORS.get(target.get("sector"), target.get("sector")),
        "country": place.get("country"), "admin1": place.get("admin1"), "location": place.get("name"),
        "geo": {"lat": coords[0], "lon": coords[1]} if coords else None,
        "event_text": event.get("evidence"),
        "sitroom": {
            "modality": event.get("modality"), "contested": event.get("contested"), "cameo": event.get("cameo"),
            "date_from": _iso_day(event.get("when_from")), "date_to": _iso_day(event.get("when_to")),
            "precision": event.get("precision"), "counts": event.get("counts") or {},
            "n_mentions": event.get("n_mentions"), "n_documents": event.get("n_documents"),
            "n_sources": event.get("n_sources"), "sites": event.get("sites") or [],
            "confidence": _number(event.get("confidence")),
            "first_reported": event.get("first_reported"), "last_updated": event.get("last_updated"),
            "sources": [_plover_actor(a) for a in _actors(event, "sources")],
            "targets": [_plover_actor(a) for a in _actors(event, "targets")],
            "mentions": mentions,
        },
    }


def _write_plover(events: Iterable[dict[str, Any]], out: TextIO) -> int:
    written = 0
    for event in events:
        out.write(_json(plover_record(event)) + "\n")
        written += 1
    return written


# --- GeoJSON -------------------------------------------------------------------------------------


def geojson_feature(event: dict[str, Any]) -> dict[str, Any] | None:
    """One event as a GeoJSON Point feature, or None when it has no usable coordinates.

    Args:
        event: a fused-event dict.

    Returns:
        The feature (coordinates are [lon, lat], RFC 7946), or None.
    """
    place = _place(event)
    coords = _coordinates(place)
    if coords is None:
        return None
    return {
        "type": "Feature", "id": event.get("id"),
        "geometry": {"type": "Point", "coordinates": [coords[1], coords[0]]},
        "properties": {
            "id": event.get("id"), "type": event.get("type"), "mode": event.get("mode"),
            "modality": event.get("modality"), "date_from": _iso_day(event.get("when_from")),
            "date_to": _iso_day(event.get("when_to")), "precision": event.get("precision"),
            "place": place.get("name"), "admin1": place.get("admin1"), "country": place.get("country"),
            "sources": _names(_actors(event, "sources")), "targets": _names(_actors(event, "targets")),
            "killed": _count(event, "killed", "max"), "n_sources": event.get("n_sources"),
            "evidence": event.get("evidence"),
        },
    }


def _write_geojson(events: Iterable[dict[str, Any]], out: TextIO) -> int:
    out.write('{"type": "FeatureCollection", "features": [')
    written = 0
    for event in events:
        feature = geojson_feature(event)
        if feature is None:
            continue
        out.write(("," if written else "") + "\n" + _json(feature))
        written += 1
    out.write("\n]}\n")
    return written


# --- GraphML -------------------------------------------------------------------------------------

GRAPHML_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"'
                ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
                ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns'
                ' http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
# (key id, domain, attribute name, GraphML type). Gephi reads "label" as the label and "weight"
# as the edge weight.
GRAPHML_KEYS: tuple[tuple[str, str, str, str], ...] = (
    ("n_label", "node", "label", "string"), ("n_name", "node", "name", "string"),
    ("n_country", "node", "country", "string"), ("n_sector", "node", "sector", "string"),
    ("n_type", "node", "type", "string"), ("n_kb_id", "node", "kb_id", "string"),
    ("e_label", "edge", "label", "string"), ("e_event_id", "edge", "event_id", "long"),
    ("e_type", "edge", "type", "string"), ("e_mode", "edge", "mode", "string"),
    ("e_cameo", "edge", "cameo", "string"), ("e_date", "edge", "date", "string"),
    ("e_modality", "edge", "modality", "string"), ("e_n_sources", "edge", "n_sources", "int"),
    ("e_weight", "edge", "weight", "double"),
)


def _data(prefix: str, values: dict[str, Any]) -> str:
    return "".join(f'<data key="{prefix}{name}">{escape(_xml_text(value))}</data>'
                   for name, value in values.items() if value is not None and _text(value) != "")


def _node_id(actor: dict[str, Any]) -> str | None:
    ident = actor.get("actor_id")
    return f"a{ident}" if isinstance(ident, int) and not isinstance(ident, bool) else None


def _write_graphml(events: Iterable[dict[str, Any]], out: TextIO) -> int:
    nodes: dict[str, dict[str, Any]] = {}
    edges: list[str] = []
    written = 0
    for event in events:
        ends: dict[str, list[str]] = {"sources": [], "targets": []}
        for side, found in ends.items():
            for actor in _actors(event, side):
                node = _node_id(actor)
                if node is None:
                    continue
                attrs = nodes.setdefault(node, {})
                for key in ("name", "country", "sector", "type", "kb_id"):
                    if attrs.get(key) is None and actor.get(key) is not None:
                        attrs[key] = actor[key]
                if node not in found:
                    found.append(node)
        day = _event_day(event)
        values = {"label": event.get("type"), "event_id": event.get("id"), "type": event.get("type"),
                  "mode": event.get("mode"), "cameo": event.get("cameo"),
                  "date": day.isoformat() if day else None, "modality": event.get("modality"),
                  "n_sources": event.get("n_sources"), "weight": 1.0}
        before = len(edges)
        for source in ends["sources"]:
            for target in ends["targets"]:
                edge_id = quoteattr(f"e{event.get('id')}_{len(edges) - before + 1}")
                edges.append(f'<edge id={edge_id} source="{source}" target="{target}">'
                             f'{_data("e_", values)}</edge>\n')
        written += len(edges) > before
    out.write(GRAPHML_HEAD)
    for key, domain, name, typ in GRAPHML_KEYS:
        out.write(f'<key id="{key}" for="{domain}" attr.name="{name}" attr.type="{typ}"/>\n')
    out.write('<graph id="sitroom" edgedefault="directed">\n')
    for node, attrs in nodes.items():
        out.write(f'<node id="{node}">{_data("n_", {"label": attrs.get("name"), **attrs})}</node>\n')
    out.writelines(edges)
    out.write("</graph>\n</graphml>\n")
    return written


_WRITERS: dict[str, Callable[[Iterable[dict[str, Any]], TextIO], int]] = {
    "gdelt": _write_gdelt, "acled": _write_acled, "plover": _write_plover,
    "geojson": _write_geojson, "graphml": _write_graphml,
}
