"""Calendar arithmetic for TIMEX3 values: shifting, choosing a year, and value → day interval.

Values follow TIMEX3 (ISO 8601 with TimeML extensions): ``2025-07-31``, ``2025-07-31TMO``,
``2025-W30``, ``2025-W30-WE``, ``2025-07``, ``2025-Q3``, ``2025-H1``, ``2025-SU``, ``2025``,
``197`` (the 1970s), ``19`` (the 1900s), ``P5Y`` (a duration), ``PRESENT_REF``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

Precision = str
SEASONS: dict[str, tuple[int, int]] = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}
SEASON_WORDS: dict[str, str] = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
# Years a normalised value may take; anything outside is treated as a misreading (value null).
MIN_YEAR, MAX_YEAR = 1000, 2199

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(T.*)?$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})(-WE)?$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-(Q|H)(\d)$")
_SEASON = re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")
_DURATION = re.compile(r"^PT?([\dX.]+)([YMWDHSQ]|DE|CE)$")


def last_day(year: int, month: int) -> int:
    """The number of days in a month."""
    return calendar.monthrange(year, month)[1]


def add_months(year: int, month: int, months: int) -> tuple[int, int]:
    """``(year, month)`` shifted by ``months``."""
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def shift_day(day: dt.date, amount: int, unit: str) -> dt.date | None:
    """``day`` moved by ``amount`` days, weeks, months or years (clamped to the month's end)."""
    try:
        if unit == "D":
            return day + dt.timedelta(days=amount)
        if unit == "W":
            return day + dt.timedelta(weeks=amount)
        months = amount * {"M": 1, "Q": 3, "Y": 12, "DE": 120, "CE": 1200}[unit]
        year, month = add_months(day.year, day.month, months)
        return dt.date(year, month, min(day.day, last_day(year, month)))
    except (OverflowError, ValueError, KeyError):
        return None


def valid_year(year: int) -> bool:
    """Whether a year is plausible for a news text (see :data:`MIN_YEAR`, :data:`MAX_YEAR`)."""
    return MIN_YEAR <= year <= MAX_YEAR


def make_day(year: int, month: int, day: int) -> dt.date | None:
    """A date, or ``None`` when it does not exist ("February 30")."""
    if not valid_year(year):
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def week_value(day: dt.date) -> str:
    """The ISO week of a day as a TIMEX3 value (``2025-W30``)."""
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def quarter_of(day: dt.date) -> int:
    """The calendar quarter (1-4) of a day."""
    return (day.month - 1) // 3 + 1


def season_of(day: dt.date) -> tuple[int, str]:
    """``(year, code)`` of the meteorological season a day falls in (December counts to its year's winter)."""
    for code, (first, last) in SEASONS.items():
        if code != "WI" and first <= day.month <= last:
            return day.year, code
    return (day.year if day.month == 12 else day.year - 1), "WI"


def pick_year(month: int, day: int | None, reference: dt.date, direction: str) -> int:
    """The year that puts ``month`` (and ``day``) on the requested side of ``reference``.

    Args:
        month: 1-12.
        day: the day of the month, or ``None`` for the whole month.
        reference: usually the publication date.
        direction: ``past`` (the most recent on or before), ``future`` (the next on or after) or
            ``nearest`` (the closest to it) or ``same`` (the reference's own year).
    """
    if direction == "same":
        return reference.year
    if direction == "nearest":
        def distance(year: int) -> int:
            day_ = make_day(year, month, day or 15) or make_day(year, month, 28)
            return abs((day_ - reference).days) if day_ else 10**6
        return min((reference.year - 1, reference.year, reference.year + 1), key=distance)
    key = (month, day or 0)
    ref = (reference.month, reference.day if day is not None else 0)
    if direction == "past":
        return reference.year if key <= ref else reference.year - 1
    return reference.year if key >= ref else reference.year + 1


def interval(value: str | None) -> tuple[str | None, str | None, Precision]:
    """The day interval (ISO ``from``, ``to``) and precision a TIMEX3 value covers.

    Durations, sets and references return no interval; a duration's precision is its unit's.
    """
    if not value:
        return None, None, "unknown"
    if m := _DAY.match(value):
        day = make_day(int(m[1]), int(m[2]), int(m[3]))
        return (day.isoformat(), day.isoformat(), "day") if day else (None, None, "unknown")
    if m := _WEEK.match(value):
        try:
            monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        except ValueError:
            return None, None, "unknown"
        if m[3]:
            return (monday + dt.timedelta(days=5)).isoformat(), (monday + dt.timedelta(days=6)).isoformat(), "week"
        return monday.isoformat(), (monday + dt.timedelta(days=6)).isoformat(), "week"
    if m := _MONTH.match(value):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            return None, None, "unknown"
        return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last_day(year, month):02d}", "month"
    if m := _QUARTER.match(value):
        year, size, number = int(m[1]), (3 if m[2] == "Q" else 6), int(m[3])
        if not 1 <= number <= 12 // size:
            return None, None, "unknown"
        first = (number - 1) * size + 1
        last = first + size - 1
        return f"{year:04d}-{first:02d}-01", f"{year:04d}-{last:02d}-{last_day(year, last):02d}", "season"
    if m := _SEASON.match(value):
        year = int(m[1])
        first, last = SEASONS[m[2]]
        end_year = year + 1 if last < first else year
        return f"{year:04d}-{first:02d}-01", f"{end_year:04d}-{last:02d}-{last_day(end_year, last):02d}", "season"
    if re.fullmatch(r"\d{4}", value):
        if not valid_year(int(value)):
            return None, None, "unknown"
        return f"{value}-01-01", f"{value}-12-31", "year"
    if re.fullmatch(r"\d{3}", value):
        return f"{value}0-01-01", f"{value}9-12-31", "decade"
    if re.fullmatch(r"\d{2}", value):
        return f"{value}00-01-01", f"{value}99-12-31", "century"
    if m := _DURATION.match(value):
        unit = m[2]
        if value.startswith("PT"):
            return None, None, "day"
        return None, None, {"Y": "year", "M": "month", "W": "week", "D": "day", "Q": "season", "DE": "decade", "CE": "century"}.get(unit, "unknown")
    return None, None, "unknown"
