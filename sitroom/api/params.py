"""Query parameters the API shares: the event filters (named as in ``docs/API.md``), checked and
mapped to the store's names, and the JSON response every route answers with.

A filter given empty (``?q=&type=``, as a form sends an untouched field) is the same as a filter
not given. A malformed value answers 400 with a coded error body (``{"error": {"code",
"input", "reason"}}``): E023 for a date that is not YYYY-MM-DD, E025 for another bad value.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, get_args

from fastapi import Query
from fastapi.responses import JSONResponse

from sitroom.errors import Code, SitroomError
from sitroom.model import EntityType, EventType

EVENT_TYPES: tuple[str, ...] = get_args(EventType)
MODALITIES: tuple[str, ...] = ("asserted", "planned", "hypothetical", "negated", "claimed")
ENTITY_TYPES: tuple[str, ...] = get_args(EntityType)
MAX_LIMIT = 500  # events per page
MAX_AGGREGATE_LIMIT = 5000  # places and network events

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO3 = re.compile(r"^[A-Za-z]{3}$")


class JSON(JSONResponse):
    """``application/json`` (UTF-8, compact). Routes return it directly: FastAPI's generic
    encoder walks every value in Python first, which costs more than the query on a full page."""

    media_type = "application/json"


def _blank(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def check_day(value: str | None, name: str) -> str | None:
    """A YYYY-MM-DD day, or None when not given.

    Raises:
        SitroomError: E023 naming the parameter.
    """
    value = _blank(value)
    if value is None:
        return None
    try:
        if not _DAY.match(value):
            raise ValueError(value)
        dt.date.fromisoformat(value)
    except ValueError:
        raise SitroomError(Code.BAD_DATE, name, value=value) from None
    return value


def _bad(name: str, detail: str) -> SitroomError:
    return SitroomError(Code.BAD_OPTION, name, detail=detail)


def check_choice(value: str | None, name: str, choices: tuple[str, ...], *, upper: bool) -> str | None:
    """One of ``choices`` (case-insensitive), or None when not given."""
    value = _blank(value)
    if value is None:
        return None
    value = value.upper() if upper else value.lower()
    if value not in choices:
        raise _bad(name, f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def check_country(value: str | None, name: str = "country") -> str | None:
    """An ISO 3166-1 alpha-3 code (upper-cased), or None."""
    value = _blank(value)
    if value is None:
        return None
    if not _ISO3.match(value):
        raise _bad(name, f"{name} must be an ISO3 country code such as SYR, not {value!r}")
    return value.upper()


def clamp_limit(limit: int, most: int = MAX_LIMIT) -> int:
    """The page size asked for, at most ``most``."""
    return max(0, min(int(limit), most))


Q_DOC = "Words that must all occur in one of the event's evidence sentences."
ACTOR_DOC = "Words of an actor's name or any spelling of it (the event's source or target)."
COUNTRY_DOC = "ISO3 code of an actor's country or of the event's place (SYR, PSE ...)."
TYPE_DOC = "PLOVER event type: " + ", ".join(EVENT_TYPES) + "."
MODALITY_DOC = "What was said of the event: " + ", ".join(MODALITIES) + "."
PLACE_DOC = "The start of the place's name or of its province's (khan finds Khan Younis)."
FROM_DOC = "YYYY-MM-DD: events whose date interval ends on or after this day (undated events are left out)."
TO_DOC = "YYYY-MM-DD: events whose date interval starts on or before this day (undated events are left out)."
AS_OF_DOC = ("YYYY-MM-DD: answer with what the store knew that day (reports published by then, grouped as they "
             "were then). Slower: summaries are recomputed.")
MIN_SOURCES_DOC = "At least this many independent sources (a positive integer)."


def event_filters(
    q: Annotated[str | None, Query(description=Q_DOC)] = None,
    actor: Annotated[str | None, Query(description=ACTOR_DOC)] = None,
    country: Annotated[str | None, Query(description=COUNTRY_DOC)] = None,
    type: Annotated[str | None, Query(description=TYPE_DOC)] = None,  # noqa: A002 - the public name
    modality: Annotated[str | None, Query(description=MODALITY_DOC)] = None,
    place: Annotated[str | None, Query(description=PLACE_DOC)] = None,
    date_from: Annotated[str | None, Query(alias="from", description=FROM_DOC)] = None,
    date_to: Annotated[str | None, Query(alias="to", description=TO_DOC)] = None,
    as_of: Annotated[str | None, Query(description=AS_OF_DOC)] = None,
    min_sources: Annotated[str | None, Query(description=MIN_SOURCES_DOC, examples=["2"])] = None,
) -> dict[str, Any]:
    """The event filters as keyword arguments of the store's event queries (a dependency)."""
    sources = _blank(min_sources)
    if sources is not None:
        if not sources.isdigit():
            raise _bad("min_sources", f"min_sources must be a positive integer, not {sources!r}")
        sources = int(sources) or None
    return {
        "search": _blank(q),
        "actor": _blank(actor),
        "country": check_country(country),
        "type_": check_choice(type, "type", EVENT_TYPES, upper=True),
        "modality": check_choice(modality, "modality", MODALITIES, upper=False),
        "place": _blank(place),
        "date_from": check_day(date_from, "from"),
        "date_to": check_day(date_to, "to"),
        "as_of": check_day(as_of, "as_of"),
        "min_sources": sources,
    }
