"""Patterns for temporal expressions and the rules that turn each match into a TIMEX3 value.

Each :class:`Rule` is a regular expression over a paragraph's text and a handler. The handler gets
the match and a :class:`Context` (publication date, the tense of the clause, the neighbouring time
expressions) and returns a :class:`Reading` (type, value, what it was anchored on), or ``None`` to
reject the match. When the publication date is needed but unknown, the value is ``None``: never a
guess.

Extents follow TimeML: prepositions ("in", "on", "since") stay outside; a pattern that needs its
left context to be trusted captures it outside the ``x`` group, and only ``x`` is the extent.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from sitroom.article.dates import MONTHS
from sitroom.times.calendar import (
    SEASON_WORDS,
    add_months,
    make_day,
    pick_year,
    quarter_of,
    season_of,
    shift_day,
    valid_year,
    week_value,
)


@dataclass
class Anchor:
    """A neighbouring, already resolved time expression."""

    id: str
    value: str
    day: dt.date  # the first day it covers
    precision: str


@dataclass
class Context:
    """What a rule may use besides its match."""

    published: dt.date | None
    tense: str | None = None  # "past", "future", "present" or None
    previous: Anchor | None = None
    following: Anchor | None = None


@dataclass
class Reading:
    """A rule's result: TIMEX3 type and value, and what it was resolved against."""

    type: str
    value: str | None
    anchor: str | None = None  # "published", "previous", "following" or None
    reference: bool = True  # whether later expressions may count from it ("the following month")


Handler = Callable[[re.Match[str], Context], "Reading | None"]


@dataclass
class Rule:
    """A named pattern with its handler; ``bare`` rules run only on spans the model found."""

    name: str
    pattern: re.Pattern[str]
    handler: Handler
    bare: bool = False


WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "a hundred": 100, "a couple of": 2, "couple of": 2, "a dozen": 12, "dozen": 12,
}
VAGUE = ("several", "a few", "few", "many", "some", "numerous", "a number of", "countless")
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
UNIT_CODES = {
    "second": "S", "minute": "M", "hour": "H", "day": "D", "night": "D", "week": "W", "weekend": "WE",
    "fortnight": "W2", "month": "M", "quarter": "Q", "year": "Y", "decade": "DE", "century": "CE",
    "centurie": "CE",
}
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
HOLIDAYS = {
    "christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24), "new year's day": (1, 1),
    "new year's eve": (12, 31), "independence day": (7, 4), "halloween": (10, 31),
    "valentine's day": (2, 14), "boxing day": (12, 26),
}

def number(text: str) -> float | None:
    """A cardinal written in digits or words; ``None`` for vague quantities ("several")."""
    text = text.lower().strip()
    if text in VAGUE:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if "-" in text:
        tens, _, ones = text.partition("-")
        return float(NUMBERS.get(tens, 0) + NUMBERS.get(ones, 0)) or None
    value = NUMBERS.get(text)
    return float(value) if value is not None else None


def _fmt(amount: float | None) -> str:
    if amount is None:
        return "X"
    return str(int(amount)) if amount == int(amount) else str(amount)


def _unit(word: str) -> str:
    word = word.lower()
    if word.endswith("ies"):
        word = word[:-3] + "y"
    elif word.endswith("s"):
        word = word[:-1]
    return UNIT_CODES.get(word, "")


def duration_value(amount: float | None, unit: str) -> str | None:
    """A TIMEX3 duration: ``P5Y``, ``PXM``, ``PT3H``, ``P10Y`` for a decade."""
    if unit in ("DE", "CE"):
        factor = 10 if unit == "DE" else 100
        return f"P{_fmt(amount * factor)}Y" if amount is not None else f"PX{unit}"
    if unit == "WE":
        return f"P{_fmt(amount * 2)}D" if amount is not None else "PXWE"
    if unit == "W2":
        return f"P{_fmt(amount * 2)}W" if amount is not None else "PXW"
    if unit in ("H", "S") or unit == "MI":
        return f"PT{_fmt(amount)}{unit}"
    return f"P{_fmt(amount)}{unit}"


def month_number(text: str) -> int:
    """1-12 for a month name or abbreviation."""
    return MONTHS[text.lower().rstrip(".")]


def direction(ctx: Context) -> str:
    """Where a date without a year lies: ``past`` in a past clause, ``future`` in a future one, else
    :data:`UNMARKED` (a present, modal or verbless clause)."""
    if ctx.tense in ("past", "future"):
        return ctx.tense
    return UNMARKED


# Where a weekday or month/day without a year lies when the clause has no past or future marker
# ("must be returned by Jan. 14", "as soon as Tuesday", headlines): "nearest" (to the publication
# date) or "past". Calibrated on TBAQ-cleaned: "nearest" values more gold expressions right.
UNMARKED = "nearest"


def _weekday_day(weekday: int, ctx: Context, rel: str | None = None) -> dt.date | None:
    pub = ctx.published
    if pub is None:
        return None
    if rel in ("last", "the previous", "previous", "this past", "past"):
        back = (pub.weekday() - weekday) % 7 or 7
        return pub - dt.timedelta(days=back)
    if rel in ("next", "the following", "following", "this coming", "coming"):
        ahead = (weekday - pub.weekday()) % 7 or 7
        return pub + dt.timedelta(days=ahead)
    way = direction(ctx)
    if rel == "this" and ctx.tense == "future":
        way = "future"
    if way == "past":
        return pub - dt.timedelta(days=(pub.weekday() - weekday) % 7)
    if way == "future":
        return pub + dt.timedelta(days=(weekday - pub.weekday()) % 7)
    ahead = (weekday - pub.weekday()) % 7
    return pub + dt.timedelta(days=ahead if ahead <= 3 else ahead - 7)


# ---------------------------------------------------------------------------------------------
# Handlers


def _g(m: re.Match[str], name: str) -> str | None:
    """A named group's text, ``None`` when the group is absent from the pattern or did not match."""
    return m.groupdict().get(name)


def h_full_date(m: re.Match[str], ctx: Context) -> Reading | None:
    """A month and day, with or without year ("Dec. 8", "Thursday 31 July", "July 9, 2025")."""
    month = month_number(_g(m, "mon"))
    day = int(_g(m, "day"))
    if _g(m, "year"):
        found = make_day(int(_g(m, "year")), month, day)
        return Reading("DATE", found.isoformat() if found else None)
    if not 1 <= day <= 31:
        return Reading("DATE", None)
    if ctx.published is None:
        valid = make_day(2000, month, day)  # a leap year: only the month/day pair is checked
        return Reading("DATE", f"XXXX-{month:02d}-{day:02d}" if valid else None)
    year = pick_year(month, day, ctx.published, direction(ctx))
    found = make_day(year, month, day)
    if found is None and month == 2 and day == 29:
        found = make_day(year - 1 if direction(ctx) != "future" else year + 1, month, day)
    return Reading("DATE", found.isoformat() if found else None, "published")


def h_iso(m: re.Match[str], ctx: Context) -> Reading | None:
    """An ISO date ("2025-07-31")."""
    found = make_day(int(_g(m, "year")), int(_g(m, "month")), int(_g(m, "day")))
    return Reading("DATE", found.isoformat() if found else None)


def h_numeric(m: re.Match[str], ctx: Context) -> Reading | None:
    """A US numeric date ("7/31/2025")."""
    year = int(_g(m, "year"))
    if year < 100:
        year += 2000 if year < 50 else 1900
    found = make_day(year, int(_g(m, "month")), int(_g(m, "day")))
    return Reading("DATE", found.isoformat() if found else None) if found else None


def h_month_year(m: re.Match[str], ctx: Context) -> Reading | None:
    """A month with its year ("May 2010")."""
    year = int(_g(m, "year"))
    return Reading("DATE", f"{year:04d}-{month_number(_g(m, 'mon')):02d}" if valid_year(year) else None)


def h_month(m: re.Match[str], ctx: Context) -> Reading | None:
    """A month without a year ("in December", "last July"), placed by the clause's tense."""
    if not (_g(m, "ctx") or _g(m, "rel") or _g(m, "mod") or _g(m, "x") == m.string):
        return None  # a bare capitalised "May"/"March" with no temporal context: not trusted
    if _g(m, "mon").lower() == "may" and not (_g(m, "ctx") or _g(m, "rel") or _g(m, "mod")):
        return None
    month = month_number(_g(m, "mon"))
    pub = ctx.published
    if pub is None:
        return Reading("DATE", f"XXXX-{month:02d}" if not _g(m, 'rel') else None)
    rel = (_g(m, "rel") or "").lower()
    if rel in ("last", "this past", "past"):
        year = pub.year if month < pub.month else pub.year - 1
    elif rel in ("next", "this coming", "coming"):
        year = pub.year if month > pub.month else pub.year + 1
    elif rel == "this":
        year = pub.year
    else:
        year = pick_year(month, None, pub, direction(ctx))
    return Reading("DATE", f"{year:04d}-{month:02d}", "published")


def h_year(m: re.Match[str], ctx: Context) -> Reading | None:
    """A year ("since 1967", "the 1973 war")."""
    before = m.string[max(0, m.start() - 5) : m.start()]
    if before.endswith(("-", "–")) and not re.fullmatch(r"(?:1[0-9]|20)\d\d[-–]", before[-5:]):
        return None  # "555-1990" is not a year; "2009-2010" is two
    year = int(_g(m, "year"))
    if not valid_year(year):
        return Reading("DATE", None)
    return Reading("DATE", f"{year:04d}")


def h_decade(m: re.Match[str], ctx: Context) -> Reading | None:
    """A decade ("the 1970s", "the '90s" → ``197``, ``199``)."""
    if _g(m, "full"):
        return Reading("DATE", _g(m, "full")[:3])
    two = int(_g(m, "short"))
    century = 19
    if ctx.published is not None and 2000 + two <= ctx.published.year:
        century = 20
    return Reading("DATE", f"{century}{two // 10}")


def h_century(m: re.Match[str], ctx: Context) -> Reading | None:
    """A century ("the 20th century" → ``19``)."""
    ordinal = _g(m, "num").lower()
    words = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
             "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
             "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
             "twentieth": 20, "twenty-first": 21}
    value = words.get(ordinal) or int(re.sub(r"\D", "", ordinal) or 0)
    if not 1 <= value <= 22:
        return Reading("DATE", None)
    return Reading("DATE", f"{value - 1:02d}")


def _relative_unit(unit: str, step: int, ctx: Context) -> str | None:
    pub = ctx.published
    if pub is None:
        return None
    if unit == "week":
        return week_value(pub + dt.timedelta(weeks=step))
    if unit == "weekend":
        return week_value(pub + dt.timedelta(weeks=step)) + "-WE"
    if unit == "month":
        year, month = add_months(pub.year, pub.month, step)
        return f"{year:04d}-{month:02d}"
    if unit in ("year", "fiscal year"):
        return f"{pub.year + step:04d}"
    if unit == "quarter":
        year, month = add_months(pub.year, pub.month, 3 * step)
        return f"{year:04d}-Q{(month - 1) // 3 + 1}"
    if unit == "decade":
        return f"{(pub.year // 10 + step):03d}"
    if unit == "century":
        return f"{(pub.year // 100 + step):02d}"
    if unit in SEASON_WORDS:
        code = SEASON_WORDS[unit]
        return f"{pub.year + step:04d}-{code}"  # "the previous summer": a year back
    return None


def h_relative(m: re.Match[str], ctx: Context) -> Reading | None:
    """"Last week", "this year", "next summer", "the following month"."""
    rel = re.sub(r"\s+", " ", _g(m, "rel").lower())
    unit = re.sub(r"\s+", " ", _g(m, "unit").lower())
    if unit == "autumn":
        unit = "fall"
    if unit in ("decade", "century") and rel in ("following", "the following", "the next", "next", "the coming", "coming"):
        return Reading("DURATION", "P10Y" if unit == "decade" else "P100Y")
    if rel in ("following", "the following", "the next", "previous", "the previous", "the preceding", "preceding", "the prior", "prior", "the same", "same"):
        return _anchored(rel, unit, ctx)
    if rel in ("past", "the past", "last", "the last") and unit in ("decade", "century"):
        return Reading("DURATION", "P10Y" if unit == "decade" else "P100Y")
    step = {"last": -1, "past": -1, "previous": -1, "this past": -1, "next": 1, "coming": 1, "this coming": 1,
            "the coming": 1, "this": 0, "current": 0, "the current": 0, "the last": -1, "the past": -1}.get(rel, 0)
    if unit in SEASON_WORDS and rel in ("last", "past", "this past", "the past", "the last") and ctx.published is not None:
        season_year, current = season_of(ctx.published)
        code = SEASON_WORDS[unit]
        # the most recent such season that is over (or under way, for "this past")
        for year in (ctx.published.year, ctx.published.year - 1, ctx.published.year - 2):
            first = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[code]
            start = dt.date(year, first, 1)
            if start <= ctx.published and not (code == current and year == season_year and rel in ("last", "the last")):
                return Reading("DATE", f"{year:04d}-{code}", "published")
        return Reading("DATE", None)
    if unit in SEASON_WORDS and step == 1 and ctx.published is not None:
        code = SEASON_WORDS[unit]
        first = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[code]
        year = ctx.published.year if dt.date(ctx.published.year, first, 1) > ctx.published else ctx.published.year + 1
        return Reading("DATE", f"{year:04d}-{code}", "published")
    value = _relative_unit(unit, step, ctx)
    return Reading("DATE", value, "published")


def _anchored(rel: str, unit: str, ctx: Context) -> Reading | None:
    step = 0 if rel.endswith("same") else (1 if rel.endswith(("following", "next")) else -1)
    unit_code = {"day": "D", "week": "W", "weekend": "W", "month": "M", "year": "Y", "quarter": "Q",
                 "morning": "D", "night": "D", "evening": "D", "afternoon": "D"}.get(unit)
    if unit_code is None:
        return Reading("DATE", None)
    anchor = ctx.previous
    finest = {"D": ("day",), "W": ("day", "week"), "M": ("day", "week", "month"), "Q": ("day", "week", "month", "season"),
              "Y": ("day", "week", "month", "season", "year")}[unit_code]
    if anchor is None or anchor.precision not in finest:
        return Reading("DATE", None)
    moved = shift_day(anchor.day, step, unit_code)
    if moved is None:
        return Reading("DATE", None)
    kind = "DATE"
    if unit_code == "D":
        value = moved.isoformat()
        if unit in PARTS_OF_DAY:
            value += "T" + PARTS_OF_DAY[unit]
            kind = "TIME"
    elif unit_code == "W":
        value = week_value(moved) + ("-WE" if unit == "weekend" else "")
    elif unit_code == "M":
        value = f"{moved.year:04d}-{moved.month:02d}"
    elif unit_code == "Q":
        value = f"{moved.year:04d}-Q{quarter_of(moved)}"
    else:
        value = f"{moved.year:04d}"
    return Reading(kind, value, "previous")


def h_that_unit(m: re.Match[str], ctx: Context) -> Reading | None:
    """"That day", "later that month": the previous expression's unit."""
    return _anchored("same", _g(m, "unit").lower(), ctx)


def h_weekday(m: re.Match[str], ctx: Context) -> Reading | None:
    """A weekday ("on Wednesday", "last Friday", "Sunday night"), placed by the clause's tense."""
    weekday = WEEKDAYS[_g(m, "wd").lower()]
    rel = (_g(m, "rel") or "").lower() or None
    day = _weekday_day(weekday, ctx, rel)
    if day is None:
        return Reading("DATE", None)
    part = (_g(m, "part") or "").lower()
    if part:
        return Reading("TIME", day.isoformat() + "T" + PARTS_OF_DAY[part], "published")
    return Reading("DATE", day.isoformat(), "published")


def h_weekday_set(m: re.Match[str], ctx: Context) -> Reading | None:
    """A plural weekday ("on Fridays"): a set."""
    return Reading("SET", f"XXXX-WXX-{WEEKDAYS[_g(m, 'wd').lower()] + 1}")


def h_deictic(m: re.Match[str], ctx: Context) -> Reading | None:
    """"Today", "yesterday", "tomorrow", "tonight", "this morning", "last night"."""
    word = re.sub(r"\s+", " ", _g(m, "word").lower())
    offsets = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "this": 0, "last": -1,
               "the day before yesterday": -2, "the day after tomorrow": 2}
    base, _, part = word.partition(" ")
    if word in offsets:
        base, part = word, ""
    if ctx.published is None:
        return Reading("TIME" if part or word == "tonight" else "DATE", None)
    day = ctx.published + dt.timedelta(days=offsets.get(base, 0))
    if word == "tonight":
        return Reading("TIME", day.isoformat() + "TNI", "published")
    if part in PARTS_OF_DAY:
        return Reading("TIME", day.isoformat() + "T" + PARTS_OF_DAY[part], "published")
    return Reading("DATE", day.isoformat(), "published")


def h_ref(m: re.Match[str], ctx: Context) -> Reading | None:
    """"Now", "currently" (PRESENT_REF), "recently" (PAST_REF), "the future" (FUTURE_REF)."""
    word = re.sub(r"\s+", " ", _g(m, "word").lower())
    if word in ("now", "right now", "currently", "current", "nowadays", "at present", "presently", "these days", "at the moment"):
        value = "PRESENT_REF"
    elif word == "soon" and ctx.tense == "past":
        return None  # "but soon saw ...": soon after then, not the future
    elif word in ("future", "the future", "soon", "the near future", "the long term", "the short term", "the long run", "the coming years"):
        value = "FUTURE_REF"
    else:
        value = "PAST_REF"
    return Reading("DATE", value, "published")


def h_ago(m: re.Match[str], ctx: Context) -> Reading | None:
    """"A decade ago", "two days later", "a year earlier"."""
    amount = number(_g(m, "num"))
    unit = _unit(_g(m, "unit"))
    word = _g(m, "dir").lower()
    previous = ctx.previous
    if unit == "Y" and amount == 1 and word in ("ago", "earlier") and previous is not None and _QUARTER_VALUE.match(previous.value):
        # financial reports: "rose 5% from a year ago" compares with the same quarter a year before
        return Reading("DATE", f"{int(previous.value[:4]) - 1:04d}{previous.value[4:]}", "previous", reference=False)
    if word in ("before", "after") and ctx.following is not None:
        base, anchor = ctx.following.day, "following"
        sign = -1 if word == "before" else 1
        finest = ctx.following.precision
    elif word in ("earlier", "later", "before", "after") and ctx.previous is not None and ctx.previous.precision in ("day", "week", "month", "year"):
        base, anchor = ctx.previous.day, "previous"
        sign = -1 if word in ("earlier", "before") else 1
        finest = ctx.previous.precision
    elif word in ("before", "after"):
        return Reading("DURATION", duration_value(amount, unit))
    else:
        base, anchor = ctx.published, "published"
        sign = 1 if word in ("later", "from now", "hence") else -1
        finest = "day"
    if base is None or amount is None or amount != int(amount) or unit in ("H", "S", "WE", "W2", ""):
        return Reading("DATE", "PAST_REF" if sign < 0 and amount is None else None, anchor if base else None)
    moved = shift_day(base, sign * int(amount), unit)
    if moved is None or not valid_year(moved.year):
        return Reading("DATE", None)
    if unit == "D" and finest == "day":
        value = moved.isoformat()
    elif unit == "W" or (unit == "D" and finest == "week"):
        value = week_value(moved)
    elif unit == "M" and finest in ("day", "week", "month"):
        value = f"{moved.year:04d}-{moved.month:02d}"
    elif unit == "Q":
        value = f"{moved.year:04d}-Q{quarter_of(moved)}"
    else:
        value = f"{moved.year:04d}"
    return Reading("DATE", value, anchor)


_QUARTER_VALUE = re.compile(r"^\d{4}-Q\d$")


def h_year_ago(m: re.Match[str], ctx: Context) -> Reading | None:
    """"Year-earlier", "the year-ago period": the previous quarter expression a year back, else last year."""
    if ctx.previous is not None and _QUARTER_VALUE.match(ctx.previous.value):
        return Reading("DATE", f"{int(ctx.previous.value[:4]) - 1:04d}{ctx.previous.value[4:]}", "previous", reference=False)
    if ctx.published is None:
        return Reading("DATE", None)
    return Reading("DATE", f"{ctx.published.year - 1:04d}", "published", reference=False)


def h_weekend(m: re.Match[str], ctx: Context) -> Reading | None:
    """"The weekend": the last one in a past clause (or the current one on a Saturday or Sunday), else the next."""
    pub = ctx.published
    if pub is None:
        return Reading("DATE", None)
    if pub.weekday() >= 5 or direction(ctx) != "past":
        return Reading("DATE", week_value(pub) + "-WE", "published")
    return Reading("DATE", week_value(pub - dt.timedelta(weeks=1)) + "-WE", "published")


def h_time_day(m: re.Match[str], ctx: Context) -> Reading | None:
    """A time of day with its day: "noon Thursday", "midnight Friday", "mid-afternoon yesterday"."""
    day_word = _g(m, "day").lower()
    if ctx.published is None:
        return Reading("TIME", None)
    if day_word in WEEKDAYS:
        day = _weekday_day(WEEKDAYS[day_word], ctx)
    else:
        day = ctx.published + dt.timedelta(days={"today": 0, "yesterday": -1, "tomorrow": 1}[day_word])
    if day is None:
        return Reading("TIME", None)
    tod = re.sub(r"[\s-]+", "", _g(m, "tod").lower())
    if tod in ("noon", "midday"):
        clock = "12:00"
    elif tod == "midnight":
        clock = "24:00"
    elif tod.removeprefix("mid").removeprefix("late").removeprefix("early") in PARTS_OF_DAY:
        clock = PARTS_OF_DAY[tod.removeprefix("mid").removeprefix("late").removeprefix("early")]
    elif _g(m, "h24"):
        clock = f"{int(_g(m, 'h24')):02d}:{_g(m, 'mi24')}"
    else:
        hour, minute = int(_g(m, "h")), int(_g(m, "mi") or 0)
        ampm = (_g(m, "ap") or "").lower().replace(".", "")
        if not (1 <= hour <= 12 and minute < 60):
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
        clock = f"{hour:02d}:{minute:02d}"
    return Reading("TIME", f"{day.isoformat()}T{clock}", "published")


def h_duration_rel(m: re.Match[str], ctx: Context) -> Reading | None:
    """"A year after the war", "eight years from now": TimeML marks the length (a duration),
    anchored on the expression it counts from when one follows, else on the publication date."""
    reading = h_duration(m, ctx)
    if reading is None:
        return None
    word = (_g(m, "dir") or "").lower()
    if word in ("before", "after") and ctx.following is not None:
        reading.anchor = "following"
    elif word in ("from now", "hence") and ctx.published is not None:
        reading.anchor = "published"
    return reading


def h_duration(m: re.Match[str], ctx: Context) -> Reading | None:
    """A quantified duration ("five years", "the past two months", "a three-month")."""
    unit = _unit(_g(m, "unit"))
    if not unit:
        return None
    amount = number(_g(m, "num")) if _g(m, "num") else None
    if _g(m, "num") is None and not _g(m, "unit").lower().endswith("s"):
        amount = 1.0
    if amount is not None and amount > 1 and not _g(m, "unit").lower().endswith("s") and "-" not in m.group(0):
        return None  # "the 1988 second quarter", "a 12 month": not a duration
    if unit == "M" and _g(m, "unit").lower().startswith("minute"):
        return Reading("DURATION", f"PT{_fmt(amount)}M")
    if _g(m, 'half'):
        amount = (amount or 0) + 0.5
    return Reading("DURATION", duration_value(amount, unit))


def h_bare_units(m: re.Match[str], ctx: Context) -> Reading | None:
    """Unquantified durations ("for years", "minutes before")."""
    unit = _unit(_g(m, "unit"))
    if unit == "M" and _g(m, "unit").lower().startswith("minute"):
        return Reading("DURATION", "PTXM")
    return Reading("DURATION", duration_value(None, unit)) if unit else None


def h_set(m: re.Match[str], ctx: Context) -> Reading | None:
    """Sets ("every Friday", "weekly", "twice a year")."""
    word = _g(m, "word").lower()
    # "annually" is XXXX (every year) in the TimeML corpora, the other adverbs a period
    fixed = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "yearly": "XXXX", "annually": "XXXX",
             "quarterly": "P3M", "hourly": "PT1H", "nightly": "P1D", "biweekly": "P2W"}
    if word in fixed:
        return Reading("SET", fixed[word])
    unit = word.split()[-1]
    if unit.capitalize() in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        return Reading("SET", f"XXXX-WXX-{WEEKDAYS[unit] + 1}")
    if unit.rstrip(".") in MONTHS:
        return Reading("SET", f"XXXX-{MONTHS[unit.rstrip('.')]:02d}")
    if unit in SEASON_WORDS or unit == "season":
        return Reading("SET", f"XXXX-{SEASON_WORDS.get(unit, 'XX')}")
    if unit in PARTS_OF_DAY:
        return Reading("SET", f"XXXX-XX-XXT{PARTS_OF_DAY[unit]}")
    code = _unit(unit)
    if not code:
        return Reading("SET", None)
    step = 2 if "other" in word else 1
    return Reading("SET", duration_value(float(step), code))


def h_quarter(m: re.Match[str], ctx: Context) -> Reading | None:
    """Quarters ("the third quarter", "third-quarter", "the year-ago quarter")."""
    text = m.group(0).lower()
    ordinal = (_g(m, "ord") or "").lower()
    explicit = _g(m, "year") or _g(m, "year2")
    if explicit:
        year = int(explicit)
    elif ctx.published is None:
        return Reading("DATE", None)
    else:
        year = ctx.published.year + {"last": -1, "next": 1}.get((_g(m, "yrel") or "").lower(), 0)
    if ordinal in ORDINALS:
        quarter = ORDINALS[ordinal]
        if not explicit and not _g(m, "yrel") and ctx.published is not None:
            current = quarter_of(ctx.published)
            # the latest such quarter (results are reported after it ends), unless the clause is
            # future and the quarter is at least two quarters behind ("will rise in the first quarter")
            if "next" in text or (ctx.tense == "future" and current - quarter >= 2):
                year += 1 if quarter <= current else 0
            elif quarter > current:
                year -= 1
    else:
        if ctx.published is None:
            return Reading("DATE", None)
        current = quarter_of(ctx.published)
        if "current" in text or "this" in text:
            quarter = current
        elif "next" in text or "coming" in text:
            quarter = current + 1
        else:  # "the quarter", "the latest quarter", "last quarter": the last one reported (completed)
            quarter = current - 1
        if quarter < 1:
            quarter, year = quarter + 4, year - 1
        elif quarter > 4:
            quarter, year = quarter - 4, year + 1
    if re.search(r"year[- ](?:earlier|ago)", text):
        if not ordinal and ctx.previous is not None and _QUARTER_VALUE.match(ctx.previous.value):
            return Reading("DATE", f"{int(ctx.previous.value[:4]) - 1:04d}{ctx.previous.value[4:]}", "previous", reference=False)
        year -= 1
    anchor = None if explicit else "published"
    return Reading("DATE", f"{year:04d}-Q{quarter}", anchor)


def h_half(m: re.Match[str], ctx: Context) -> Reading | None:
    """Half years ("the first half of 2024")."""
    half = 1 if _g(m, "ord").lower() in ("first", "1st") else 2
    if _g(m, "year"):
        return Reading("DATE", f"{int(_g(m, 'year')):04d}-H{half}")
    if ctx.published is None:
        return Reading("DATE", None)
    year = ctx.published.year
    if direction(ctx) == "past" and half == 2 and ctx.published.month <= 6:
        year -= 1
    return Reading("DATE", f"{year:04d}-H{half}", "published")


def h_season(m: re.Match[str], ctx: Context) -> Reading | None:
    """Seasons ("last summer", "in the winter of 1994")."""
    code = SEASON_WORDS[_g(m, "season").lower()]
    if _g(m, "year"):
        return Reading("DATE", f"{int(_g(m, 'year')):04d}-{code}")
    if ctx.published is None:
        return Reading("DATE", None)
    first = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[code]
    year = ctx.published.year
    if direction(ctx) == "past" and dt.date(year, first, 1) > ctx.published:
        year -= 1
    return Reading("DATE", f"{year:04d}-{code}", "published")


def h_time_of_day(m: re.Match[str], ctx: Context) -> Reading | None:
    """A clock time ("8 p.m.", "15:00 GMT", "noon") on the previous day mentioned or the publication day."""
    word = (_g(m, "word") or "").lower()
    if word:
        hour, minute = (12, 0) if word == "noon" else (24, 0)
    elif _g(m, "h24"):
        hour, minute = int(_g(m, "h24")), int(_g(m, "mi24"))
    else:
        hour = int(_g(m, "h"))
        minute = int(_g(m, "mi") or 0)
        ampm = _g(m, "ap").lower().replace(".", "")
        if not (1 <= hour <= 12 and 0 <= minute < 60):
            return None
        if ampm == "pm" and hour != 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
    day, anchor = None, None
    if ctx.previous is not None and ctx.previous.precision == "day":
        day, anchor = ctx.previous.day, "previous"
    elif ctx.published is not None:
        day, anchor = ctx.published, "published"
    if day is None:
        return Reading("TIME", None)
    return Reading("TIME", f"{day.isoformat()}T{hour:02d}:{minute:02d}", anchor)


def h_holiday(m: re.Match[str], ctx: Context) -> Reading | None:
    """Fixed and computed holidays ("Christmas", "Thanksgiving")."""
    name = re.sub(r"\s+", " ", _g(m, "name").lower()).replace("’", "'")
    if name.startswith("thanksgiving"):
        month, day_of = 11, None
    elif name in HOLIDAYS:
        month, day_of = HOLIDAYS[name]
    else:
        return None
    if ctx.published is None:
        return Reading("DATE", None)
    if _g(m, "year") and not valid_year(int(_g(m, "year"))):
        return Reading("DATE", None)
    year = int(_g(m, "year")) if _g(m, "year") else pick_year(month, day_of or 22, ctx.published, direction(ctx))
    if day_of is None:  # fourth Thursday of November
        first = dt.date(year, 11, 1)
        day = first + dt.timedelta(days=(3 - first.weekday()) % 7 + 21)
    else:
        found = make_day(year, month, day_of)
        if found is None:
            return Reading("DATE", None)
        day = found
    return Reading("DATE", day.isoformat(), None if _g(m, "year") else "published")


def h_edge_year(m: re.Match[str], ctx: Context) -> Reading | None:
    """"Year-end", "the end of the year": the publication year (last year's, told in the past early in a year)."""
    if ctx.published is None:
        return Reading("DATE", None)
    year = ctx.published.year
    if ctx.tense == "past" and ctx.published.month <= EDGE_PAST_MONTH:
        year -= 1
    return Reading("DATE", f"{year:04d}", "published")


def h_fiscal(m: re.Match[str], ctx: Context) -> Reading | None:
    """A fiscal year ("fiscal 1989")."""
    return Reading("DATE", f"{int(_g(m, 'year')):04d}")


def h_edge(m: re.Match[str], ctx: Context) -> Reading | None:
    """"The end of the year", "the beginning of the month": the unit the edge belongs to."""
    unit = _g(m, "unit").lower()
    rel = (_g(m, "rel") or "the").lower()
    pub = ctx.published
    if pub is None:
        return Reading("DATE", None)
    step = {"last": -1, "next": 1, "this": 0, "the": 0}.get(rel, 0)
    if rel == "the" and unit == "year" and ctx.tense == "past" and pub.month <= EDGE_PAST_MONTH and "end" in m.group(0).lower():
        step = -1  # "at the end of the year" told in the past, early in a year: the year before
    return Reading("DATE", _relative_unit(unit, step, ctx), "published")


# Up to this month of the publication year, a past-tense "the end of the year" is last year's end.
EDGE_PAST_MONTH = 6
