"""The patterns that find temporal expressions, each paired with its rule in :mod:`sitroom.times.rules`.

Patterns are compiled case-insensitively, but month and weekday names must be capitalised
(``(?-i:...)``), so "may" and "march" as words are not months. A pattern that needs left context
to be trusted ("in May") captures it outside the ``x`` group; ``x`` is then the extent.
"""

from __future__ import annotations

import re

from sitroom.times.rules import (
    Rule,
    h_ago,
    h_bare_units,
    h_century,
    h_decade,
    h_deictic,
    h_duration,
    h_duration_rel,
    h_edge,
    h_edge_year,
    h_fiscal,
    h_full_date,
    h_half,
    h_holiday,
    h_iso,
    h_month,
    h_month_year,
    h_numeric,
    h_quarter,
    h_ref,
    h_relative,
    h_season,
    h_set,
    h_that_unit,
    h_time_day,
    h_time_of_day,
    h_weekday,
    h_weekday_set,
    h_weekend,
    h_year,
    h_year_ago,
)

_WD = r"(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MON = (
    r"(?-i:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.|Apr\.?|Jun\.|Jul\.|Aug\.?|Sept?\.|Sept|Oct\.?|Nov\.?|Dec\.?)"
)
_NUMWORD = (
    r"(?:\d+(?:\.\d+)?|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-(?:one|two|three|four|five|six|seven|eight|nine)"
    r"|a couple of|couple of|a dozen|dozen|a hundred|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred"
    r"|several|a few|few|many|some|numerous|a number of)"
)
_UNIT = r"(?:second|minute|hour|day|night|week|weekend|fortnight|month|quarter|year|decade|centur(?:y|ie))"
_UNITS = _UNIT + r"s?"
_YEAR = r"(?:1[0-9]\d\d|20\d\d|21\d\d)"
_ZONE = r"(?-i:GMT|UTC|BST|CET|CEST|EST|EDT|CST|CDT|MST|MDT|PST|PDT|ET|PT|local\s+time)"
_END = r"(?![\w-])"
_CTX = r"(?:\b(?:in|since|until|till|by|of|during|through|throughout|before|after|from|to|and|or|between|since|as of|starting|ending|until)\s+(?:the\s+)?(?:end\s+of\s+|beginning\s+of\s+|start\s+of\s+|middle\s+of\s+)?)"
_MOD = r"(?:(?:early|late|mid|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of)[\s-]+)"


def _p(text: str) -> re.Pattern[str]:
    return re.compile(text, re.I)


RULES: list[Rule] = [
    Rule("iso", _p(rf"\b(?P<year>{_YEAR})-(?P<month>\d{{2}})-(?P<day>\d{{2}})\b"), h_iso),
    Rule("numeric", _p(r"(?<![\d/])(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4}|\d{2})(?![\d/])"), h_numeric),
    Rule("mdy", _p(rf"\b(?:{_WD},?\s+)?(?:the\s+)?(?P<mon>{_MON})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>{_YEAR}))?(?![\d:,]\d)(?!\w)"), h_full_date),
    Rule("dmy", _p(rf"\b(?:{_WD},?\s+)?(?:the\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MON})(?:,?\s+(?P<year>{_YEAR}))?{_END}"), h_full_date),
    Rule("month_year", _p(rf"\b(?:{_MOD})?(?P<mon>{_MON}),?\s+(?:of\s+)?(?P<year>{_YEAR}){_END}"), h_month_year),
    Rule("month", _p(rf"(?P<ctx>{_CTX})?(?P<x>(?P<mod>{_MOD})?(?:(?P<rel>last|next|this past|this coming|this)\s+)?(?P<mon>{_MON}))(?!\s*\d)(?![\w-])"), h_month),
    Rule("fiscal", _p(rf"\b(?:fiscal|FY)\s*(?:year\s+)?(?P<year>{_YEAR}){_END}"), h_fiscal),
    Rule("decade", _p(rf"\b(?:the\s+)?(?:{_MOD})?(?:(?P<full>(?:1[0-9]|20)\d0)s|['’](?P<short>\d0)s){_END}"), h_decade),
    Rule("century", _p(r"\b(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?P<num>\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty-first)[\s-]+century\b"), h_century),
    Rule("year", _p(rf"(?<![\d$€£.,/:])(?:(?:early|late|mid)[\s-]+)?(?P<year>{_YEAR})(?![\d%]|,\d|\.\d|-\d{{2}}-|\s*(?:percent|per cent))\b"), h_year),
    Rule("half", _p(rf"\b(?:the\s+)?(?P<ord>first|second|1st|2nd)\s+half(?:\s+of\s+(?:(?:fiscal|the)\s+)?(?:year\s+)?(?P<year>{_YEAR}))?\b"), h_half),
    Rule("quarter", _p(rf"\b(?:(?:the|this|last|next|(?P<yrel>this|last|next)\s+year['’]s)\s+)?(?:(?P<year2>{_YEAR})\s+)?(?:(?:year-earlier|year-ago|year\s+earlier|fiscal|latest|current|same|previous|past|most\s+recent|recent|coming|final|comparable|corresponding)[\s-]+)*(?:(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+(?:fiscal[\s-]+)?)?quarter(?:\s+of\s+(?:fiscal\s+)?(?P<year>{_YEAR}))?\b"), h_quarter),
    Rule("period", _p(r"\b(?:the\s+)?(?:latest|most\s+recent|year-earlier|year-ago|comparable|corresponding|same)(?:[\s-]+(?:year-earlier|year-ago))?\s+period\b"), h_quarter),
    Rule("year_ago", _p(r"\b(?:the\s+)?(?:year-earlier|year-ago)\b(?!\s+(?:\w+\s+)?(?:quarter|period))"), h_year_ago),
    Rule("year_end", _p(r"\b(?:the\s+)?(?:year-end|year['’]s\s+end|year\s+end|end\s+of\s+(?:the\s+)?year|(?:full|whole|entire)\s+year)\b"), h_edge_year),
    Rule("weekend", _p(r"\bthe\s+weekend\b"), h_weekend),
    Rule("time_day", _p(rf"\b(?P<tod>noon|midday|midnight|(?:mid|late|early)[\s-]?(?:morning|afternoon|evening)|(?P<h>\d{{1,2}})(?::(?P<mi>\d{{2}}))?\s*(?P<ap>a\.m\.?|p\.m\.?|am|pm)(?:\s+{_ZONE})?|(?P<h24>[01]?\d|2[0-3]):(?P<mi24>[0-5]\d)\s+{_ZONE})(?:\s+|,\s+|\s+on\s+)(?P<day>today|yesterday|tomorrow|{_WD})\b"), h_time_day),
    Rule("season", _p(rf"\b(?:(?:early|late|mid)[\s-]+)?(?:the\s+)?(?P<season>summer|winter|autumn)(?:\s+(?:of\s+)?(?P<year>{_YEAR}))?\b(?!\s+(?:of|\w+ing)\b)"), h_season, bare=True),
    Rule("season_year", _p(rf"\b(?:(?:early|late|mid)[\s-]+)?(?:the\s+)?(?P<season>spring|fall)\s+(?:of\s+)?(?P<year>{_YEAR}){_END}"), h_season),
    Rule("season_ctx", _p(rf"(?:\b(?:in|during|by|until|this|last|next)\s+)(?P<x>(?:(?:early|late|mid)[\s-]+)?(?:the\s+)?(?P<season>summer|winter|spring|autumn|fall)(?:\s+(?:of\s+)?(?P<year>{_YEAR}))?)\b(?!\s+of\s+(?!\d))"), h_season),
    Rule("edge", _p(r"\b(?P<x>the\s+(?:end|beginning|start|middle|close|turn)\s+of\s+(?:the\s+)?(?:(?P<rel>this|last|next)\s+)?(?P<unit>year|month|week|decade|century))\b"), h_edge),
    Rule("relative", _p(r"\b(?:(?:early|late|mid|earlier|later)[\s-]+)?(?P<rel>this\s+past|this\s+coming|the\s+coming|the\s+past|the\s+last|the\s+following|the\s+next|the\s+previous|the\s+preceding|the\s+prior|the\s+same|the\s+current|last|next|this|past|coming|previous|current|following)\s+(?P<unit>week|weekend|month|year|fiscal\s+year|quarter|decade|century|summer|winter|spring|fall|autumn)\b(?!\s+(?:ago|earlier|later))"), h_relative),
    Rule("that_unit", _p(r"\b(?:(?:later|earlier)\s+)?that\s+(?P<unit>day|week|month|year|morning|afternoon|evening|night)\b"), h_that_unit),
    Rule("anchored_day", _p(r"\b(?P<rel>the\s+following|the\s+next|the\s+previous|the\s+preceding|the\s+prior|the\s+same)\s+(?P<unit>day|morning|afternoon|evening|night)\b"), h_relative),
    Rule("weekday", _p(rf"\b(?:(?P<rel>last|next|this\s+past|this\s+coming|this|the\s+previous|the\s+following)\s+)?(?P<wd>{_WD})(?:\s+(?P<part>morning|afternoon|evening|night))?\b(?!,?\s+(?:\d|{_MON}))(?!s\b)"), h_weekday),
    Rule("weekday_set", _p(rf"\b(?:on\s+)(?P<x>(?P<wd>{_WD})s)\b"), h_weekday_set),
    Rule("deictic", _p(r"\b(?P<word>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|(?:yesterday|tomorrow|this|last)\s+(?:morning|afternoon|evening|night)|today|tonight|yesterday|tomorrow)\b"), h_deictic),
    Rule("ref", _p(r"(?<![\w-])(?P<word>right\s+now|now|currently|nowadays|at\s+present|presently|these\s+days|at\s+the\s+moment|recently|lately|previously|formerly|the\s+near\s+future|the\s+future|future|soon|the\s+past|in\s+the\s+past|current|recent|the\s+long\s+term|the\s+short\s+term|the\s+long\s+run)(?![\w-])"), h_ref),
    Rule("at_the_time", _p(r"\bat\s+(?P<x>(?P<word>the\s+time|that\s+time))\b(?!\s+of\b)"), h_ref),
    Rule("ago", _p(rf"\b(?P<num>{_NUMWORD})\s+(?P<unit>{_UNITS})\s+(?P<dir>ago|earlier|later)\b(?!\s+than\b)"), h_ago),
    Rule("units_rel", _p(r"\b(?P<x>(?P<unit>(?:second|minute|hour|day|week|month|year|decade)s))\s+(?:before|after|later|earlier|ago|from\s+now)\b"), h_bare_units),
    Rule("duration_rel", _p(rf"\b(?P<x>(?P<num>{_NUMWORD})\s+(?:more\s+|full\s+)?(?P<unit>{_UNITS}))\s+(?P<dir>before|after|from\s+now|hence|earlier\s+than|later\s+than)\b"), h_duration_rel),
    Rule("duration", _p(rf"\b(?:(?:the|a|an|another|over|within|for)\s+)?(?:(?:past|last|next|first|final|coming|previous|following|remaining|initial|additional|further|other|full|entire|whole|latest)\s+)?(?P<num>{_NUMWORD})(?:\s+(?:more|additional|full|straight|consecutive|long|other|further))?\s+(?P<unit>{_UNITS})(?P<half>\s+and\s+a\s+half)?\b(?!['’]?\s+(?:ago|earlier|later|old)\b)"), h_duration),
    Rule("duration_adj", _p(rf"\b(?P<num>{_NUMWORD})-(?P<unit>{_UNIT})(?:-long|-old)?\b"), h_duration),
    Rule("bare_units", _p(rf"(?P<ctx>\b(?:for|within|in|over|after|of|took|take|takes|lasted|lasting|last|recent|coming|the\s+past|the\s+last|the\s+next|the\s+coming|past|next)\s+(?:the\s+)?)(?P<x>(?:(?:past|last|next|coming|recent)\s+)?(?P<unit>(?:second|minute|hour|day|week|month|year|decade)s))\b(?!\s+(?:ago|of\s+\w+ing))"), h_bare_units),
    Rule("duration_the", _p(rf"\b(?:the\s+)?(?:past|last|next|coming|recent|previous|first|final)\s+(?P<num>several|few|many|couple\s+of)?\s*(?P<unit>(?:second|minute|hour|day|week|month|year|decade)s)\b"), h_duration),
    Rule("set", _p(rf"\b(?P<word>(?:every|each|per)\s+(?:other\s+)?(?:day|week|month|year|morning|night|evening|afternoon|season|quarter|weekend|hour|minute|summer|winter|spring|fall|autumn|{_WD}|{_MON})|daily|weekly|monthly|yearly|annually|quarterly|hourly|nightly|biweekly)\b"), h_set),
    Rule("rate", _p(r"(?:(?:\d[\d,.]*\s*(?:%|percent|million|billion|dollars|euros|pounds|cents)?|times|twice|once)\s+)(?P<x>(?P<word>(?:a|per)\s+(?:day|week|month|year|hour)))\b"), h_set),
    Rule("clock", _p(rf"(?<![\d:])(?P<h>\d{{1,2}})(?::(?P<mi>\d{{2}}))?\s*(?P<ap>a\.m\.?|p\.m\.?|am|pm)(?![a-z])(?:\s+{_ZONE})?|(?<![\d:])(?P<h24>[01]?\d|2[0-3]):(?P<mi24>[0-5]\d)\s+{_ZONE}|\b(?P<word>noon|midnight)\b"), h_time_of_day),
    Rule("holiday", _p(r"\b(?P<name>(?-i:Christmas(?:\s+(?:Day|Eve))?|New\s+Year['’]s\s+(?:Day|Eve)|Thanksgiving(?:\s+Day)?|Independence\s+Day|Halloween|Valentine['’]s\s+Day|Boxing\s+Day))(?:,?\s+(?P<year>\d{4}))?\b"), h_holiday),
]
BARE_RULES: list[Rule] = [
    Rule("bare_month", _p(rf"(?P<ctx>)(?P<x>(?P<mod>{_MOD})?(?:(?P<rel>last|next|this)\s+)?(?P<mon>{_MON}))"), h_month),
]
