"""Credit, caption and dateline strings: who a report credits, and what a photo shows.

The one home of credit-string logic, shared by the text cleaner (:mod:`sitroom.article.text`) and
the HTML extractor (:mod:`sitroom.article.html_extras`, :mod:`sitroom.article.html`). Everything
here works on one string (a line, a paragraph, an element's text) and knows nothing of a
particular site or of the DOM: it relies on the conventions news pages share ("Source:",
"Photo:", "(Reuters)", "RADDA, Yemen, Dec. 13 (UPI) --", "- AFP" at the end of a caption).

Agencies are always reported under one canonical name ("Associated Press" and "AP Photo" give
"AP"), so the same agency counts once whichever path or spelling it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# ------------------------------------------------------------------------------------------
# Agencies
# ------------------------------------------------------------------------------------------

# News and photo agencies named in credits, datelines and caption suffixes: canonical name ->
# the spellings seen on pages (matched case-insensitively). A credit not in this table is still
# taken when a line is explicitly labelled ("Source: commonspace.eu").
_AGENCY_VARIANTS: dict[str, tuple[str, ...]] = {
    "AFP": ("AFP", "Agence France-Presse", "Agence France Presse", "AFP via Getty Images"),
    "Reuters": ("Reuters", "Thomson Reuters"),
    "AP": ("AP", "Associated Press", "The Associated Press", "AP Photo", "AP Images"),
    "Getty Images": ("Getty Images", "Getty", "Getty Images/iStockphoto", "iStock", "iStockphoto"),
    "UPI": ("UPI", "United Press International"),
    "EPA": ("EPA", "EPA-EFE", "EFE", "EPA/EFE"),
    "Xinhua": ("Xinhua", "Xinhua News Agency"),
    "TASS": ("TASS", "Tass", "ITAR-TASS"),
    "Anadolu Agency": ("Anadolu Agency", "Anadolu", "AA"),
    "dpa": ("dpa", "Deutsche Presse-Agentur"),
    "ANSA": ("ANSA",),
    "Kyodo": ("Kyodo", "Kyodo News"),
    "Yonhap": ("Yonhap", "Yonhap News Agency"),
    "PA": ("PA", "PA Images", "PA Media", "PA Wire", "Press Association"),
    "AAP": ("AAP", "Australian Associated Press"),
    "Bloomberg": ("Bloomberg", "Bloomberg News"),
    "Shutterstock": ("Shutterstock", "Rex/Shutterstock", "Rex Features"),
    "Alamy": ("Alamy", "Alamy Stock Photo"),
    "Sputnik": ("Sputnik", "RIA Novosti"),
    "IANS": ("IANS",),
    "PTI": ("PTI", "Press Trust of India"),
    "ANI": ("ANI",),
    "Interfax": ("Interfax",),
    "WAFA": ("WAFA",),
    "SANA": ("SANA",),
    "IRNA": ("IRNA",),
    "NurPhoto": ("NurPhoto",),
    "SOPA Images": ("SOPA Images",),
    "Zuma Press": ("Zuma Press", "Zuma", "Zuma Wire"),
    "Sipa": ("Sipa", "Sipa USA"),
    "CNN": ("CNN",),
    "BBC": ("BBC",),
    "Al Jazeera": ("Al Jazeera",),
    "KCNA": ("KCNA",),
    "Bernama": ("Bernama",),
    "Antara": ("Antara",),
    "CNA": ("CNA",),
    "MENA": ("MENA",),
    "QNA": ("QNA",),
    "SPA": ("SPA",),
    "WAM": ("WAM",),
    "KUNA": ("KUNA",),
    "Petra": ("Petra",),
    "APA": ("APA",),
    "Trend": ("Trend",),
    "Ukrinform": ("Ukrinform",),
    "UNIAN": ("UNIAN", "Unian"),
}
# Lowercased spelling -> canonical name.
AGENCIES: dict[str, str] = {v.lower(): canon for canon, vs in _AGENCY_VARIANTS.items() for v in vs}
# Spellings that are acronyms ("EPA", "SANA", "AP"): they only count written in capitals, so
# "(ePA)", "Sana" or "Spa" name no agency.
_ACRONYMS = frozenset(v.lower() for vs in _AGENCY_VARIANTS.values() for v in vs if v.isupper() and len(v) <= 5) - {
    v.lower() for vs in _AGENCY_VARIANTS.values() for v in vs if not v.isupper()
}
# Any spelling, longest first (for regexes; compile with re.IGNORECASE).
_AGENCY_RE = "|".join(sorted((re.escape(v) for vs in _AGENCY_VARIANTS.values() for v in vs), key=len, reverse=True))

_WS = re.compile(r"\s+")


def norm_ws(text: str | None) -> str:
    """Collapse runs of whitespace to one space and strip the ends."""
    return _WS.sub(" ", text or "").strip()


def canonical_agency(name: str) -> str | None:
    """The canonical agency name for ``name`` ("Associated Press" -> "AP"), or None.

    Case does not matter ("REUTERS", "Getty images"), except that an acronym must be written in
    capitals ("EPA", not "ePA").
    """
    text = norm_ws(name).strip(" .,;:()[]-–—")
    if text.lower() not in AGENCIES:
        text = re.sub(r"\s+(photos?|images?|pictures?)$", "", text, flags=re.I)
    key = text.lower()
    if key in _ACRONYMS and not text.isupper():
        return None
    return AGENCIES.get(key)


def leading_agency(part: str) -> str | None:
    """The agency that one credit part starts with ("AP Photo", "Getty Images Facebook"), or None.

    The longest leading run of up to four words naming an agency wins. A one-word run in a
    longer part only counts when written in capitals (or "Reuters"), so a person called
    "Sana Ahmed" is not the SANA agency.
    """
    words = part.split()
    for n in range(min(4, len(words)), 0, -1):
        canon = canonical_agency(" ".join(words[:n]))
        if canon and (n > 1 or len(words) == 1 or words[0].isupper() or words[0] == "Reuters"):
            return canon
    return None


# ------------------------------------------------------------------------------------------
# Names in a credit
# ------------------------------------------------------------------------------------------

# Words that name no one in particular in a credit list ("with AFP and agencies").
GENERIC_CREDITS = frozenset(
    "agencies agency wires wire staff reporters reporter correspondents news agencies "
    "wire services agency reports others pool handout".split()
)
_NO_NAME_WORDS = GENERIC_CREDITS | {"photo", "image", "images", "file"}
# Where a credit list divides into names: "A, B and C", "Jane Doe/AFP", "Getty Images via AFP",
# "Jane Doe for AFP" ("for" only before an agency: "Ministry for Foreign Affairs" stays whole).
_NAME_SEP = re.compile(
    rf"\s*(?:,|;|&|\+|/|\||\(|\)|\bwith\b|\band\b|\bvia\b|\bfor\b(?=\s+(?:{_AGENCY_RE})\b))\s*|\s+[-–—]+\s+",
    re.IGNORECASE,
)
# What a credit string may start with before the names: "Photo:", "Image by", "©", "Credit |" ...
_CREDIT_PREFIX = re.compile(
    r"^(?:\(|\[)?\s*(?:photo(?:graph)?s?|images?|pictures?|pics?|video|credits?|sources?|copyright|foto|"
    r"illustration|graphic)(?:\s+(?:by|credit|courtesy(?:\s+of)?))?\s*[:|]?\s*|^\s*(?:©|\(c\))\s*|"
    r"^\s*(?:photo(?:graph)?|image)\s+by\s+",
    re.I,
)
_NOT_NAME = re.compile(
    r"\b(rights? reserved|all rights?|terms|privacy|policy|advertis\w*|cookies?|subscribe|contact|"
    r"inc|ltd|llc|plc|gmbh|share|email|facebook|twitter)\b",
    re.I,
)


def _name_parts(text: str) -> list[str]:
    """The parts of a credit list, cleaned; generic words ("agencies", "staff") dropped."""
    text = re.sub(r"^\s*(?:by|from|via|courtesy(?: of)?)\s+", "", norm_ws(text), flags=re.I)
    parts: list[str] = []
    for part in _NAME_SEP.split(text.strip(" .;:-–—()[]")):
        part = (part or "").strip(" .;:-–—()[]'\"")
        part = re.sub(r"\s+(?:photo|images?|pool|file photo)$", "", part, flags=re.I)
        if part and len(part) <= 60 and part.lower() not in _NO_NAME_WORDS:
            parts.append(part)
    return parts


def _dedupe(names: list[str]) -> list[str]:
    return list(dict.fromkeys(n for n in names if n))


def split_names(text: str) -> list[str]:
    """Split a credit list ("commonspace.eu with AFP, Arab News and agencies") into names.

    Agencies come out under their canonical name; generic words ("agencies", "staff") are
    dropped; order is kept, duplicates removed.
    """
    return _dedupe([leading_agency(part) or part for part in _name_parts(text)])


def looks_like_name(name: str) -> bool:
    """Whether a credited string reads as a name: short, capitalised, no sentence punctuation."""
    words = name.split()
    if not 1 <= len(words) <= 6 or len(name) > 60:
        return False
    if re.search(r"[.!?]\s|\d{3,}|https?:|www\.|[()]", name) or _NOT_NAME.search(name):
        return False
    caps = sum(1 for w in words if w[:1].isupper())
    return caps >= max(1, len(words) - 2) and words[0][:1].isupper()


def credit_names(credit: str, agencies_only: bool = False) -> list[str]:
    """The names in a photo or source credit: agencies under their canonical name, else the stated name.

    Args:
        credit: e.g. ``"Photo: Jane Doe/AFP"``, ``"AP Photo/Jane Doe"``, ``"© Reuters"``.
        agencies_only: return only known agencies (for loose sources such as copyright lines).

    Returns:
        Agencies found (``["AFP"]``); if none, the credited name itself when it looks like a
        name (see :func:`looks_like_name`); else an empty list.
    """
    text = norm_ws(credit).strip(" ()[].")
    for _ in range(2):
        text = _CREDIT_PREFIX.sub("", text).strip(" ()[].:")
    parts = _name_parts(text) if text else []
    found = _dedupe([leading_agency(part) or "" for part in parts])
    if found or agencies_only:
        return found
    return [parts[-1]] if parts and looks_like_name(parts[-1]) else []


# ------------------------------------------------------------------------------------------
# Captions
# ------------------------------------------------------------------------------------------

_PHOTO_WORD = re.compile(r"\b(?:photos?|images?|pictures?|pics?|credits?|courtesy)\b", re.I)
# A caption's trailing credit: "(Photo: Reuters)", "(AP Photo/Jane Doe)", "Photo: Jane Doe/AFP",
# "...marmotsCredit: EPA", "© Jane Doe", "- AFP", "REUTERS/Jane Doe".
_SUFFIX_PATTERNS = (
    re.compile(r"\s*[(\[]\s*(?P<c>(?:[^()\[\]]*?\b(?:photos?|images?|pictures?|pics?|credits?|courtesy)\b[^()\[\]]*"
               r"|[A-Z][\w.&'/ -]{0,40}))\s*[)\]]\s*\.?$", re.I),
    re.compile(r"\s*(?P<c>(?:photo(?:graph)?s?|image|picture|credit|source|foto)\s*(?:by|credit)?\s*[:|]\s*"
               r"[^:|]{2,80})$", re.I),
    re.compile(r"(?<=[a-z.!?)])(?P<c>(?:Credit|Photo|Picture|Image)\s*:\s*[^:]{2,80})$"),
    re.compile(r"\s*(?P<c>(?:©|\(c\))\s*[^©]{2,80})$", re.I),
    re.compile(r"\s+[-–—|/]\s*(?P<c>(?:[^-–—|]|(?<=\w)-(?=\w)){2,60})$"),
    re.compile(rf"\s+(?P<c>(?:{_AGENCY_RE})(?:\s*(?:photo|images?))?\s*/\s*[A-Z][\w.' -]{{1,50}})$", re.I),
    re.compile(r"\s+(?P<c>(?:Photo(?:graph)?|Image)\s+by\s+[^.]{2,80})$"),
)
# Tails these patterns catch that need not be credits: they count only when they say "photo" or
# "credit" or name an agency ("(pictured)", "- the minister" are not credits).
_QUALIFIED = frozenset({0, 4, 5})


def split_caption_credit(caption: str) -> tuple[str, str | None]:
    """Split a trailing credit off a caption.

    Args:
        caption: caption text.

    Returns:
        ``(caption without credit, credit text or None)``; whitespace is collapsed. A dash- or
        paren-separated tail only counts as a credit when it names an agency or says
        "photo"/"credit".
    """
    text = norm_ws(caption)
    for index, pattern in enumerate(_SUFFIX_PATTERNS):
        match = pattern.search(text)
        if not match or match.start() == 0:
            continue
        credit = match.group("c").strip()
        if index in _QUALIFIED and not (_PHOTO_WORD.search(credit) or credit_names(credit, agencies_only=True)):
            continue
        return text[: match.start()].rstrip(" -–—|,;([").rstrip(), credit
    return text, None


def split_caption_suffix(caption: str) -> tuple[str, list[str]]:
    """Split a trailing photo credit off a caption, as names.

    Returns:
        The caption without the credit, and the credited names (``["AFP"]``; see
        :func:`credit_names`), or the whole caption and ``[]``.
    """
    text, credit = split_caption_credit(caption)
    return text, credit_names(credit) if credit else []


# ------------------------------------------------------------------------------------------
# Credit lines (scraped text)
# ------------------------------------------------------------------------------------------

# A label that starts a credit or caption line: "Source:", "Photo credit:", "Image:" ...
_LABEL = (
    r"(?:sources?|photos?|photo ?credits?|photograph(?:y|s)?|pictures?|pic|images?|image ?credits?|"
    r"image ?source|credits?|cover ?(?:photo|image)|featured ?image|top ?image|main ?image|"
    r"header ?image|lead ?image|caption|image ?caption|photo ?caption|video|illustration|"
    r"with (?:additional )?(?:reporting|inputs) (?:from|by)|additional reporting(?: by)?|"
    r"reporting by|written by|edited by|editing by|compiled by)"
)
LABEL_RE = re.compile(rf"^\s*\(?\s*({_LABEL})\s*[:：]\s*", re.IGNORECASE)
# Labels inside a line ("... agencies. Photo: ..."): only the picture-ish ones, after a sentence end.
_INNER_RE = re.compile(
    r"(?<=[.;)])\s+((?:photos?|photo ?credits?|images?|pictures?|credits?|caption|image ?caption|"
    r"cover ?(?:photo|image)|featured ?image|main ?image|top ?image)\s*[:：])\s*",
    re.IGNORECASE,
)
_PICTURE_LABELS = re.compile(r"^(?:photo|picture|pic|image|cover|featured|top|main|header|lead|caption|illustration|video)", re.I)
_COPYRIGHT_RE = re.compile(r"^\s*(?:©|\(c\)|copyright\b|all rights reserved)", re.IGNORECASE)
# A wire sign-off: "Example Wire reporting, with Reuters." / "Staff reporting from Kyiv; with AFP".
_SIGNOFF_RE = re.compile(
    r"^\s*[(\[]?\s*[A-Z][\w.&'’-]*(?:\s+[A-Z&][\w.&'’-]*){0,3}\s+(?:reporting|reported|contributed(?:\s+reporting)?)"
    r"(?:\s+(?:from|in)\s+[A-Z][\w.'’ -]{1,30}?)?"
    r"(?:\s*[,;]?\s*(?:with|and)\s+(?P<with>[^.()\[\]]{2,60}?))?\s*[.)\]]?\s*$"
)
_REPORTING_RE = re.compile(
    r"^\s*[(\[]?\s*(?:additional\s+)?(?:reporting|writing|editing|compiled|translated)\s+by\b.*[)\]]?\s*$",
    re.IGNORECASE,
)


# An unlabelled caption needs this many words before its credit: a shorter head ("Main image
# credit: Getty", "June 10 – Tampa, PA") is a label or a listing, not a description. Set by hand.
CAPTION_MIN_WORDS = 3


@dataclass
class CreditLine:
    """What a credit/caption line holds."""

    credits: list[str] = field(default_factory=list)
    caption: str | None = None
    kind: str = "credit"  # "credit" or "caption"


def parse_credit_line(line: str) -> CreditLine | None:
    """Recognise a credit or caption line and take it apart.

    ``"Source: site.eu with AFP and agencies. Photo: Ministers meet in Baku - AFP."`` gives credits
    ``["site.eu", "AFP"]`` and caption ``"Ministers meet in Baku"``. Returns ``None`` for a line that
    is not a credit or caption line.
    """
    stripped = line.strip()
    if not stripped:
        return None
    if _COPYRIGHT_RE.match(stripped):
        body = re.sub(r"^\s*(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*", "", stripped, flags=re.I)
        body = re.sub(r"all rights reserved\.?", "", body, flags=re.I)
        return CreditLine(credits=split_names(body) if len(body) < 80 else [])
    if _REPORTING_RE.match(stripped) and len(stripped) < 300:
        return CreditLine(credits=[])
    signoff = _SIGNOFF_RE.match(stripped)
    if signoff and len(stripped.split()) <= 16:
        return CreditLine(credits=split_names(signoff.group("with") or ""))
    agency = canonical_agency(stripped.strip(" ()[]-–—."))
    if agency:
        return CreditLine(credits=[agency])
    match = LABEL_RE.match(stripped)
    if not match:
        return None
    result = CreditLine()
    # Cut the line into labelled segments: "Source: ... . Photo: ..."
    segments: list[tuple[str, str]] = []
    label, rest = match.group(1), stripped[match.end():]
    while True:
        inner = _INNER_RE.search(rest)
        if not inner:
            segments.append((label, rest))
            break
        segments.append((label, rest[: inner.start()]))
        label, rest = inner.group(1).rstrip(" :："), rest[inner.end():]
    for label, text in segments:
        text = text.strip()
        if _PICTURE_LABELS.match(label) and not re.match(r"^(?:photo|image|picture)?\s*credits?", label, re.I):
            caption, names = split_caption_suffix(text)
            if len(caption.split()) >= 4:  # a description, not just "Photo: AFP"
                result.caption = result.caption or caption.rstrip(".")
                result.kind = "caption" if not result.credits else result.kind
            elif caption:
                names = split_names(caption) + names
            result.credits.extend(n for n in names if n not in result.credits)
        elif re.match(r"^(?:with|additional|reporting|written|edited|editing|compiled)", label, re.I):
            continue  # people, not sources
        else:
            result.credits.extend(n for n in split_names(text) if n not in result.credits)
    return result


def looks_like_caption(line: str) -> tuple[str, list[str]] | None:
    """An unlabelled caption line: a short description ending in a photo credit.

    ``"Protesters gather in the square on Monday. REUTERS/Jane Doe"`` gives the description and
    ``["Reuters"]``. Returns ``None`` for anything else (ordinary prose that merely mentions an
    agency does not end in a credit and is left alone).
    """
    stripped = line.strip()
    if len(stripped) > 400:
        return None
    caption, credit = split_caption_credit(stripped)
    names = credit_names(credit) if credit else []
    if not names or len(caption.split()) < CAPTION_MIN_WORDS:
        return None
    # Prose that cites an agency mid-sentence ("..., a diplomat told AFP.") is not a caption: a
    # caption's credit follows a separator or sits in brackets, which split_caption_credit requires.
    if stripped.rstrip(". ").endswith(("told " + names[0], "said " + names[0])):
        return None
    return caption, names


# ------------------------------------------------------------------------------------------
# Datelines
# ------------------------------------------------------------------------------------------

# "RADDA, Yemen, Dec. 13 (UPI) --"   "LONDON (Reuters) -"   "Kyiv, Ukraine (AP) —"
DATELINE_RE = re.compile(
    r"^\s*(?P<place>[A-Z][\w'’.-]*(?:[ -][A-Z][\w'’.-]*)*(?:,\s*[A-Z][A-Za-z'’. -]{1,30}?)?)"
    r"(?:,\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?))?"
    r"\s*\((?P<agency>[^()]{1,40})\)\s*(?:[-–—]{1,2}|:)\s*"
)


def dateline(paragraph: str) -> tuple[str | None, str | None, int] | None:
    """Read a wire dateline at the start of a paragraph.

    Returns:
        ``(agency, date_text, end)``: the credited agency under its canonical name, or an
        all-capitals source ("UPI"), or ``None`` if the parentheses hold something else; the date
        as written (``"Dec. 13"``) or ``None``; and the offset where the dateline ends. ``None`` if
        the paragraph does not start with a dateline (or holds neither agency nor date).
    """
    match = DATELINE_RE.match(paragraph)
    if not match:
        return None
    place = match.group("place")
    first = place.split(",")[0]
    if len(place) > 60 or not (place.isupper() or first.istitle() or first.isupper()):
        return None
    names = split_names(match.group("agency"))
    agency: str | None = None
    if names and (canonical_agency(names[0]) or re.fullmatch(r"[A-Z]{2,8}", names[0])):
        agency = names[0]
    if agency is None and not match.group("date"):
        return None
    return agency, match.group("date"), match.end()


def dateline_credit(paragraph: str) -> str | None:
    """The agency named in a dateline ("LONDON (Reuters) -" -> "Reuters"), or None."""
    found = dateline(paragraph)
    return found[0] if found else None
