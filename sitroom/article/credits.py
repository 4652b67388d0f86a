"""Credit, caption and dateline lines: who a report credits, and what a photo shows.

Shared by the text cleaner and the HTML extractor. Everything here works on one line (or one
paragraph) of text and knows nothing of a particular site: it relies on the conventions news
pages share ("Source:", "Photo:", "(Reuters)", "RADDA, Yemen, Dec. 13 (UPI) --", "- AFP" at the end
of a caption).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# News agencies and photo agencies named in credits, datelines and caption suffixes. A credit not
# in this list is still taken when a line is explicitly labelled ("Source: commonspace.eu").
AGENCIES: tuple[str, ...] = (
    "AFP", "Agence France-Presse", "Reuters", "AP", "Associated Press", "UPI", "dpa", "DPA",
    "EPA", "EPA-EFE", "EFE", "ANSA", "Xinhua", "TASS", "Tass", "RIA Novosti", "Interfax", "Anadolu",
    "Anadolu Agency", "AA", "Kyodo", "Yonhap", "IRNA", "SANA", "WAFA", "PTI", "IANS", "ANI", "AAP",
    "PA", "PA Media", "Getty Images", "Getty", "Shutterstock", "Bloomberg", "Sipa", "Sputnik",
    "KCNA", "Bernama", "Antara", "CNA", "MENA", "QNA", "SPA", "WAM", "KUNA", "Petra", "APA",
    "Trend", "Ukrinform", "Unian", "BBC", "CNN", "Al Jazeera", "NurPhoto", "SOPA Images",
    "Alamy", "Pool", "Handout",
)
_AGENCY_RE = "|".join(sorted((re.escape(a) for a in AGENCIES), key=len, reverse=True))

# Words that name no one in particular in a credit list ("with AFP and agencies").
GENERIC_CREDITS = frozenset(
    "agencies agency wires wire staff reporters reporter correspondents news agencies "
    "wire services agency reports others".split()
)

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
_REPORTING_RE = re.compile(
    r"^\s*[(\[]?\s*(?:additional\s+)?(?:reporting|writing|editing|compiled|translated)\s+by\b.*[)\]]?\s*$",
    re.IGNORECASE,
)
# The end of a caption that names its photographer or agency:
#   "... on July 9, 2025 - AFP."  "... (Photo: Reuters)"  "... REUTERS/John Smith"  "... (AP Photo/Jane Doe)"
_SUFFIX_RES = (
    re.compile(r"\s*[(\[]\s*((?:photo|image|picture|credit|pic)s?\s*(?:by|:)?\s*[^()\[\]]{2,60})[)\]]\s*\.?\s*$", re.I),
    re.compile(rf"\s*[(\[]\s*((?:{_AGENCY_RE})(?:\s*(?i:photo|images?|pool))?(?:\s*/\s*[^()\[\]]{{2,40}})?)\s*[)\]]\s*\.?\s*$"),
    re.compile(rf"\s+[-–—|]\s*((?:{_AGENCY_RE})(?:\s*(?i:photo|images?))?(?:\s*/\s*[\w .'-]{{2,40}})?)\s*\.?\s*$"),
    re.compile(rf"\s+((?:{_AGENCY_RE})(?:\s*(?i:photo|images?))?\s*/\s*[A-Z][\w .'-]{{1,40}})\s*\.?\s*$", re.I),
    re.compile(r"\s+[-–—|]\s*((?:photo|image|picture)\s*(?:by|:)\s*[^.]{2,60})\s*\.?\s*$", re.I),
)
# "RADDA, Yemen, Dec. 13 (UPI) --"   "LONDON (Reuters) -"   "Kyiv, Ukraine (AP) —"
DATELINE_RE = re.compile(
    r"^(?P<place>[A-Z][\w'’.-]*(?:[ -][A-Z][\w'’.-]*)*(?:,\s*[A-Z][\w'’. -]{1,30}?)?)"
    r"(?:,\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?))?"
    r"\s*\((?P<agency>[^()]{1,40})\)\s*(?:[-–—]{1,2}|:)\s*"
)
_AGENCY_ONLY = re.compile(rf"^(?:{_AGENCY_RE})$")


@dataclass
class CreditLine:
    """What a credit/caption line holds."""

    credits: list[str] = field(default_factory=list)
    caption: str | None = None
    kind: str = "credit"  # "credit" or "caption"


def split_names(text: str) -> list[str]:
    """Split a credit list ("commonspace.eu with AFP, Arab News and agencies") into names.

    Generic words ("agencies", "staff") are dropped; order is kept, duplicates removed.
    """
    text = re.sub(r"^\s*(?:by|from|via|courtesy(?: of)?)\s+", "", text.strip(), flags=re.I)
    text = text.strip(" .;:-–—()[]")
    parts = re.split(r"\s*(?:,|;|&|\+|/|\bwith\b|\band\b|\bvia\b)\s*", text, flags=re.I)
    names: list[str] = []
    for part in parts:
        part = part.strip(" .;:-–—()[]'\"")
        if not part or part.lower() in GENERIC_CREDITS or len(part) > 60:
            continue
        part = re.sub(r"\s+(?:photo|images?|pool|file photo)$", "", part, flags=re.I)
        if part.lower() in {"photo", "image", "images", "file"}:
            continue
        if part not in names:
            names.append(part)
    return names


def split_caption_suffix(caption: str) -> tuple[str, list[str]]:
    """Split a trailing photo credit off a caption.

    Returns:
        The caption without the credit, and the credited names (e.g. ``["AFP"]``).
    """
    for pattern in _SUFFIX_RES:
        match = pattern.search(caption)
        if match and match.start() > 0:
            credit = match.group(1)
            credit = re.sub(r"^(?:photos?|images?|pictures?|credits?|pic)s?\s*(?:by|:)?\s*", "", credit, flags=re.I)
            names = [n for n in split_names(credit) if n]
            # "AP Photo/Jane Doe": keep the agency first; the photographer is a name too.
            return caption[: match.start()].rstrip(" -–—|,;"), names
    return caption.strip(), []


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
    if _AGENCY_ONLY.match(stripped.strip(" ()[]-–—.")):
        return CreditLine(credits=[stripped.strip(" ()[]-–—.")])
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
    ``["REUTERS", "Jane Doe"]``. Returns ``None`` for anything else (ordinary prose that merely
    mentions an agency does not end in a credit and is left alone).
    """
    stripped = line.strip()
    if len(stripped) > 400:
        return None
    caption, names = split_caption_suffix(stripped)
    if not names or caption == stripped:
        return None
    # Prose that cites an agency mid-sentence ("..., a diplomat told AFP.") is not a caption: a
    # caption's credit follows a separator or sits in brackets, which split_caption_suffix requires.
    if stripped.rstrip(". ").endswith(("told " + names[0], "said " + names[0])):
        return None
    return caption, names


def dateline(paragraph: str) -> tuple[str | None, str | None, int] | None:
    """Read a wire dateline at the start of a paragraph.

    Returns:
        ``(agency, date_text, end)``: the credited agency (``None`` if the parentheses hold
        something else), the date as written (``"Dec. 13"``) or ``None``, and the offset where the
        dateline ends. ``None`` if the paragraph does not start with a dateline.
    """
    match = DATELINE_RE.match(paragraph)
    if not match:
        return None
    place = match.group("place")
    if len(place) > 60 or not (place.isupper() or place.split(",")[0].istitle() or place.split(",")[0].isupper()):
        return None
    agency = match.group("agency").strip()
    names = split_names(agency)
    agency_name = names[0] if names and (re.match(rf"^(?:{_AGENCY_RE})\b", names[0]) or names[0].isupper()) else None
    if agency_name is None and not match.group("date"):
        return None
    return agency_name, match.group("date"), match.end()
