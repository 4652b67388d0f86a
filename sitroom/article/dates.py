"""The publication date: from the command line, the page's metadata, its URL, or its text.

The text is read in this order: a date line in the page's header, a wire dateline, the latest
date the article mentions.

The first source that gives a date no later than the fetch date wins, and ``published_from``
says which (``input``, ``metadata``, ``url``, ``text``, ``none``). A page never gets a date after
it was fetched: such a date is a typo, a time-zone slip or an event date, not a publication date.
"""

from __future__ import annotations

import datetime as dt
import re

from sitroom.article.credits import dateline
from sitroom.errors import Code, SitroomError
from sitroom.model import ArticleParts

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
        ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
        ("october", "oct"), ("november", "nov"), ("december", "dec"),
    ],
    start=1,
):
    for _name in _names:
        MONTHS[_name] = _number
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = r"(?:(?P<weekday>" + "|".join(_WEEKDAYS) + r"|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?,?\s+)?"

# "31 July 2025", "Thursday 31 July", "July 31, 2025", "Jul. 31", "2025-07-31", "2025/07/31"
_DATE_RES = (
    re.compile(rf"\b{_WEEKDAY}(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+(?P<year>\d{{4}}))?\b", re.I),
    re.compile(rf"\b{_WEEKDAY}{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{{4}}))?\b", re.I),
    re.compile(r"\b(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})\b"),
)
# URL paths: /2025/07/31/, /2025-07-31-, /20250731/, /2025/jul/31/
_URL_RES = (
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})[/_-](?P<month>\d{1,2})[/_-](?P<day>\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})(?P<month>[01]\d)(?P<day>[0-3]\d)(?!\d)"),
    re.compile(r"/(?P<year>(?:19|20)\d{2})/(?P<month>[a-z]{3,9})/(?P<day>\d{1,2})(?:/|$)", re.I),
)
# A future date in metadata/URL beyond this is not trusted even if the fetch date is unknown.
MAX_FUTURE_DAYS = 1


def parse_published(value: str, today: dt.date | None = None) -> dt.date:
    """Parse a ``--published`` value (``YYYY-MM-DD``); E011 if invalid or after today."""
    today = today or dt.date.today()
    try:
        day = dt.date.fromisoformat(value.strip())
    except (ValueError, AttributeError) as exc:
        raise SitroomError(Code.BAD_PUBLISHED, "--published", value=value) from exc
    if day > today + dt.timedelta(days=MAX_FUTURE_DAYS):
        raise SitroomError(Code.BAD_PUBLISHED, "--published", value=value)
    return day


def _month(value: str) -> int | None:
    if value.isdigit():
        number = int(value)
        return number if 1 <= number <= 12 else None
    return MONTHS.get(value.lower().rstrip("."))


def _make(year: int, month: int | None, day: int) -> dt.date | None:
    if month is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def latest_on_or_before(month: int, day: int, limit: dt.date, weekday: int | None = None) -> dt.date | None:
    """The most recent ``month``/``day`` on or before ``limit`` (with that weekday, if given)."""
    for year in range(limit.year, limit.year - 12, -1):
        candidate = _make(year, month, day)
        if candidate is None or candidate > limit:
            continue
        if weekday is None or candidate.weekday() == weekday:
            return candidate
        if weekday is not None and year < limit.year - 7:
            break
    return None


def find_dates(text: str, limit: dt.date) -> list[dt.date]:
    """Explicit calendar dates in a text, each no later than ``limit``.

    A date without a year counts only with its weekday ("Thursday 31 July"), which fixes the year
    (the latest such year on or before ``limit``); a bare "31 July" is too vague for a
    publication date.
    """
    found: list[dt.date] = []
    for pattern in _DATE_RES:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            month = _month(groups["month"])
            day = int(groups["day"])
            if groups.get("year"):
                candidate = _make(int(groups["year"]), month, day)
            elif groups.get("weekday") and month:
                weekday = next(i for i, name in enumerate(_WEEKDAYS) if name.startswith(groups["weekday"].lower()[:3]))
                candidate = latest_on_or_before(month, day, limit, weekday)
            else:
                continue
            if candidate is not None and candidate <= limit and candidate.year >= 1900:
                found.append(candidate)
    return found


def date_from_url(url: str | None, limit: dt.date) -> dt.date | None:
    """A full date in a URL's path (``/2025/07/31/``, ``-20250731-``, ``/2025/jul/31/``)."""
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]+", "", url, flags=re.I).split("?")[0]
    for pattern in _URL_RES:
        match = pattern.search(path)
        if match:
            found = _make(int(match["year"]), _month(match["month"]), int(match["day"]))
            if found and found <= limit:
                return found
    return None


def date_from_dateline(paragraph: str, limit: dt.date, floor: dt.date | None = None) -> dt.date | None:
    """The date of a wire dateline ("RADDA, Yemen, Dec. 13 (UPI) --").

    A dateline rarely states the year. A report is published on or after every day it narrates,
    so the year is the one that puts the date on or after ``floor`` (the latest full date the
    article mentions), else the latest such day on or before ``limit``.
    """
    found = dateline(paragraph)
    if not found or not found[1]:
        return None
    dates = find_dates(found[1], limit)
    if dates:
        return dates[0]
    match = re.match(rf"{_MONTH}\s+(?P<day>\d{{1,2}})", found[1], re.I)
    month = _month(match["month"]) if match else None
    if not match or not month:
        return None
    day = int(match["day"])
    if floor is not None:
        for year in (floor.year, floor.year + 1):
            candidate = _make(year, month, day)
            if candidate is not None and floor <= candidate <= limit:
                return candidate
    return latest_on_or_before(month, day, limit)


def date_from_header(parts: ArticleParts, limit: dt.date) -> dt.date | None:
    """A full date on a line of the page's header ("Published: 31 July 2025", "July 19, 2025 / 9:42 AM")."""
    for removed in parts.removed:
        if removed.kind in ("navigation", "other"):
            dates = find_dates(removed.text, limit)
            if dates:
                return max(dates)
    return None


def date_from_body(parts: ArticleParts, limit: dt.date) -> dt.date | None:
    """The latest explicit date the article mentions: a report is published on or after every day it narrates."""
    mentioned = find_dates("\n".join(parts.paragraphs), limit)
    return max(mentioned) if mentioned else None


def resolve_published(
    parts: ArticleParts,
    *,
    given: dt.date | None = None,
    container: dt.date | None = None,
    url: str | None = None,
    fetched: dt.date | None = None,
) -> tuple[dt.date | None, str]:
    """Settle the publication date.

    Args:
        parts: the article (its metadata date, header lines, body).
        given: ``--published`` from the command line.
        container: a date the container states (feed pubDate, JSON field): counts as metadata.
        url: the page's URL.
        fetched: the fetch date; nothing later is accepted (default: today).

    Returns:
        ``(date, published_from)`` with ``published_from`` one of ``input``, ``metadata``, ``url``,
        ``text``, ``none``.
    """
    limit = fetched or dt.date.today()
    if given is not None:
        return given, "input"
    for candidate in (container, parts.published):
        if candidate is not None and candidate <= limit:
            return candidate, "metadata"
    from_url = date_from_url(url, limit)
    if from_url is not None:
        return from_url, "url"
    from_header = date_from_header(parts, limit)
    if from_header is not None:
        return from_header, "text"
    from_body = date_from_body(parts, limit)
    if parts.paragraphs:
        from_dateline = date_from_dateline(parts.paragraphs[0], limit, floor=from_body)
        if from_dateline is not None:
            return from_dateline, "text"
    if from_body is not None:
        return from_body, "text"
    return None, "none"

