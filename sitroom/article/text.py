"""The cleaner for already-scraped text: a page another tool turned into lines of text.

Such text holds the article and whatever else the page showed: navigation, a byline, share and
advertisement lines, captions and credits, and after the article blocks of teasers for other
articles (related, popular, editor's choice), often twice. The cleaner works from general cues,
not from one site's phrases:

- **section markers**: a short line that names a block of other content ("Related articles",
  "Popular", "You may also like", "Tags") ends the article or, mid-article, opens a teaser box;
- **repetition**: a line that repeats an earlier one is a duplicate; a headline followed by its
  own repetition is a teaser's title (sites print the link and the heading);
- **shape**: short lines without sentence punctuation are labels or headlines, not prose; a
  paragraph that ends mid-sentence after a headline is a teaser's summary;
- **position**: the first headline-like line is the title; labels before the first sentence are
  navigation; everything after the article's end is judged as teasers, never as body.

Lines are grouped into units first: one line each, except hard-wrapped paragraphs (consecutive
lines of similar length), which are joined.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from sitroom.article.credits import dateline, looks_like_caption, parse_credit_line
from sitroom.model import ArticleParts, Removed, TeaserParts

# Section markers: the heading of a block that is not the article. Matched against a whole short
# line (lower-cased, punctuation stripped), so prose that uses these words is never cut.
MARKER_RE = re.compile(
    r"^(?:(?:more\s+)?related(?:\s+(?:articles?|stories|news|content|posts?|coverage|reading|topics?|links?))?"
    r"|(?:most\s+)?popular(?:\s+(?:now|today|this week|articles?|stories|news|posts?))?"
    r"|most\s+(?:read|viewed|shared|commented|watched|emailed)(?:\s+\w+)?|trending(?:\s+\w+)?"
    r"|editor'?s?\s*(?:choice|picks?)|editors'?\s*(?:choice|picks?)|top\s+stories|top\s+news|latest(?:\s+\w+)?"
    r"|recommended(?:\s+\w+)?(?:\s+for\s+you)?|you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy|be interested in)"
    r"|also\s+read|read\s+(?:more|also|next)|more\s+(?:stories|news|articles|from\s+[\w .]+|on\s+this(?:\s+\w+)?|in\s+[\w .]+)"
    r"|further\s+reading|see\s+also|what\s+to\s+read\s+next|don'?t\s+miss|in\s+case\s+you\s+missed\s+it"
    r"|(?:tags?|topics?|keywords?|categories|filed\s+under)|(?:\d+\s+)?comments?|leave\s+a\s+(?:comment|reply)"
    r"|share\s+this(?:\s+\w+)?|sign\s+up(?:\s+for\s+[\w ]+)?|newsletter|subscribe(?:\s+\w+)*"
    r"|follow\s+us(?:\s+on\s+[\w ]+)?|about\s+the\s+author)$"
)
# Markers after which a tag list follows (short lines that are keywords, not teasers).
TAGS_RE = re.compile(r"^(?:tags?|topics?|keywords?|categories|filed\s+under)\b\s*[:：]?\s*(?P<rest>.*)$", re.I)
# A tag list on one line: "Tags: floods, weather".
TAG_LINE_RE = re.compile(r"^(?:tags?|topics?|keywords?|categories|filed\s+under|related\s+topics)\s*[:：]", re.I)
# One-line chrome: share/advertisement/subscription prompts and comment prompts.
CHROME_RE = re.compile(
    r"^(?:advertisement|advertising|sponsored(?:\s+content)?|ad|scroll to continue|continue reading(?:\s+below)?"
    r"|share(?:\s+(?:this|on|via)\b.*)?|(?:share|tweet|email|print|copy link|whatsapp|facebook|twitter|x|linkedin|telegram|reddit)"
    r"(?:\s*[|/·•]\s*(?:share|tweet|email|print|copy link|whatsapp|facebook|twitter|x|linkedin|telegram|reddit))*"
    r"|click here\b.*|subscribe\b.*|sign up\b.*|log ?in\b.*|register\b.*|listen to (?:this )?article\b.*"
    r"|\d+\s*min(?:ute)?s?\s+read|read time\b.*|skip to (?:main )?content|back to top|image|photo|video|watch|"
    r"play video|close|menu|search|home)$",
    re.I,
)
COMMENT_RE = re.compile(
    r"^(?:(?:\d+\s+)?comments?(?:\s*\(\d+\))?|leave a (?:comment|reply)|join the (?:conversation|discussion)"
    r"|add (?:a|your) comment|post a comment|be the first to comment|comments are closed|show comments|view comments)\b",
    re.I,
)
# An inline promo: "Read more: <headline>", "RELATED: <headline>".
PROMO_RE = re.compile(
    r"^(?:read\s+(?:more|also|next)|also\s+read|related|see\s+also|more|watch|listen|recommended|opinion)\s*[:：|>»-]\s*(?P<title>\S.{8,})$",
    re.I,
)
BYLINE_RE = re.compile(r"^(?i:by|written by|words by|reported by)\s+(?P<name>[A-Z][\w.'’ -]+(?:\s*(?:,|and|&)\s*[A-Z][\w.'’ -]+)*)$")
BREADCRUMB_RE = re.compile(r"^\S.*\s(?:>|»|›|/|\|)\s\S.*$")
_DATE_WORDS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
DATE_LINE_RE = re.compile(
    rf"^(?:(?:published|posted|updated|last updated|first published|date)\s*(?:on|at)?\s*[:：]?\s*)?"
    rf"(?:(?:mon|tue|wed|thu|fri|sat|sun)\w*,?\s*)?"
    rf"(?:\d{{1,2}}\s+{_DATE_WORDS}\.?,?\s+\d{{4}}|{_DATE_WORDS}\.?\s+\d{{1,2}},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}})"
    rf"(?:\s*(?:,|at|-|–|\|)?\s*\d{{1,2}}[:.]\d{{2}}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{{2,4}})?)?\s*$",
    re.I,
)

# A unit of at most this many words without sentence-final punctuation is a label or headline,
# not prose. Calibrated on teaser headlines (median 12 words in news pages) and prose paragraphs
# (rarely under 15 words without a full stop).
HEADLINE_MAX_WORDS = 30
# A label ("News", "Editor's choice", "World") is a non-sentence line of at most this many words.
LABEL_MAX_WORDS = 4
# A body paragraph repeating an earlier one is cut as a duplicate only from this many words on:
# shorter lines legitimately repeat (an interview's recurring questions, a recipe's lines, a
# refrain). Calibrated on the AEB benchmark, where every repeated line under 25 words (and every
# repeated question) was genuine body; scraped duplicate blocks are whole paragraphs.
DUPLICATE_MIN_WORDS = 25
# A line after a teaser's title that ends mid-sentence is its (cut-off) summary from this many
# words on; headlines in link lists are shorter (median 12 words, rarely over 15 in news pages).
SUMMARY_MIN_WORDS = 16
# Category labels above a headline at the top of an HTML body ("World", "Nation & World").
LEADING_LABELS = 2
# Hard-wrapped text: lines of a block are joined when all but the last are at least this long and
# most of them do not end a sentence (scrapers wrap at 60-80 characters).
WRAP_MIN_CHARS = 50


@dataclass
class _Unit:
    text: str
    index: int
    key: str = ""
    words: int = 0
    sentence: bool = False
    blank_after: bool = True

    def __post_init__(self) -> None:
        self.key = normalise_key(self.text)
        self.words = len(self.text.split())
        self.sentence = is_sentence(self.text)


@dataclass
class _State:
    parts: ArticleParts = field(default_factory=ArticleParts)
    seen_body: dict[str, int] = field(default_factory=dict)
    seen_teasers: set[str] = field(default_factory=set)


def normalise_key(text: str) -> str:
    """A comparison key: case, accents, punctuation and spacing folded away."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


def is_sentence(text: str) -> bool:
    """Whether a unit reads as prose: ends like a sentence, or is long and punctuated inside."""
    stripped = text.rstrip()
    if re.search(r"[.!?…][\"'”’»)\]]*$", stripped) and len(stripped.split()) >= 3:
        return True
    return len(stripped.split()) > HEADLINE_MAX_WORDS


def is_marker(text: str) -> bool:
    """Whether a short line names a block of other content (related, popular, tags ...)."""
    if TAG_LINE_RE.match(text):
        return True
    key = normalise_key(text).replace(" s ", "s ")
    key = re.sub(r"\s+", " ", key.replace("’", "'"))
    return len(key.split()) <= 6 and bool(MARKER_RE.match(key) or MARKER_RE.match(key.replace(" s ", " ")))


def _units(text: str) -> list[_Unit]:
    """Lines grouped into units: one line each, hard-wrapped paragraphs joined."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\u200b", "")
    blocks: list[list[str]] = [[]]
    for raw in text.split("\n"):
        line = re.sub(r"[ \t\f\v]+", " ", raw).strip()
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    units: list[_Unit] = []
    for block in blocks:
        if not block:
            continue
        lines = [" ".join(block)] if _hard_wrapped(block) else block
        for i, line in enumerate(lines):
            units.append(_Unit(line, len(units), blank_after=i == len(lines) - 1))
    return units


def _hard_wrapped(block: list[str]) -> bool:
    if len(block) < 2:
        return False
    head = block[:-1]
    if any(len(line) < WRAP_MIN_CHARS for line in head):
        return False
    lengths = [len(line) for line in head]
    if max(lengths) - min(lengths) > 40:  # paragraphs, not a wrapped one
        return False
    ends = sum(1 for line in head if re.search(r"[.!?][\"'”’)]*$", line))
    return ends <= len(head) // 2


def _is_title_like(unit: _Unit) -> bool:
    return 2 <= unit.words <= HEADLINE_MAX_WORDS and not re.search(r"[.:;,]$", unit.text) and not is_marker(unit.text)


def _is_label(unit: _Unit) -> bool:
    return unit.words <= LABEL_MAX_WORDS and not unit.sentence and not re.search(r"[.!?]$", unit.text)


def clean_text(text: str, title_hint: str | None = None) -> ArticleParts:
    """Clean an already-scraped page into an article.

    Args:
        text: the page as text, one paragraph or line of the page per line.
        title_hint: a title known from elsewhere (a feed item); a first line repeating it is dropped.

    Returns:
        The article's parts: title, body paragraphs (every sentence of the article kept),
        byline, credits, photo caption, teasers, and what was removed.
    """
    units = _units(text)
    state = _State()
    parts = state.parts
    i = 0
    # --- title: the hint, or the first headline-like line --------------------------------------
    if title_hint:
        parts.title = title_hint.strip()
        if units and normalise_key(units[0].text) == normalise_key(title_hint):
            i = 1
    else:
        start = _title_position(units)
        for unit in units[:start]:
            _header_line(unit, state)
        if start < len(units) and _is_title_like(units[start]):
            parts.title = units[start].text
            i = start + 1
    if parts.title:
        title_key = normalise_key(parts.title)
        while i < len(units) and units[i].key == title_key:
            parts.removed.append(Removed("duplicate", units[i].text))
            i += 1
    # --- header: labels, bylines, dates and breadcrumbs before the first sentence ----------------
    while i < len(units) and not units[i].sentence and not _starts_tail(units, i):
        unit = units[i]
        if _header_line(unit, state):
            i += 1
            continue
        break
    # --- body, up to the first section marker or teaser structure -------------------------------
    while i < len(units):
        if _starts_tail(units, i) and parts.paragraphs:
            resumed = _teaser_zone(units, i, state)
            if resumed > i:
                i = resumed
                continue
        _body_line(units[i], state)
        i += 1
    _finish(parts)
    return parts


def _is_navigation(unit: _Unit) -> bool:
    """A line that is page furniture whatever its length: breadcrumbs, date lines, bylines, chrome, credits."""
    text = unit.text
    return bool(
        (BYLINE_RE.match(text) and unit.words <= 12)
        or DATE_LINE_RE.match(text)
        or (BREADCRUMB_RE.match(text) and unit.words <= 12)
        or CHROME_RE.match(text)
        or parse_credit_line(text) is not None
    )


def _title_position(units: list[_Unit]) -> int:
    """Where the headline is: after leading furniture, and after a category label above it."""
    j = 0
    while j < len(units) and not units[j].sentence and _is_navigation(units[j]):
        j += 1
    if (
        j + 1 < len(units)
        and _is_label(units[j])
        and _is_title_like(units[j + 1])
        and not units[j + 1].sentence
        and units[j + 1].words > units[j].words
    ):
        j += 1  # "World" above "Ministers meet in Baku to discuss the border"
    return j


def _header_line(unit: _Unit, state: _State) -> bool:
    """Handle a non-sentence line before the body. Returns False if it belongs to the body."""
    parts = state.parts
    byline = BYLINE_RE.match(unit.text)
    if byline and unit.words <= 12:
        parts.byline = parts.byline or byline.group("name").strip()
        parts.removed.append(Removed("other", unit.text))
        return True
    credit = parse_credit_line(unit.text)
    if credit is not None:
        _take_credit(unit.text, credit.credits, credit.caption, state)
        return True
    if DATE_LINE_RE.match(unit.text) or BREADCRUMB_RE.match(unit.text) and unit.words <= 12:
        parts.removed.append(Removed("navigation", unit.text))
        return True
    if CHROME_RE.match(unit.text) or _is_label(unit):
        parts.removed.append(Removed("navigation", unit.text))
        return True
    return False  # a subheading or standfirst without a full stop: body


def _starts_tail(units: list[_Unit], i: int) -> bool:
    """Whether the unit at ``i`` opens a block of other content."""
    unit = units[i]
    if is_marker(unit.text) and not PROMO_RE.match(unit.text):
        return True
    # A headline followed by its own repetition (with at most two labels before it).
    for j in range(i, min(i + 3, len(units) - 1)):
        if units[j].key == units[j + 1].key and _is_title_like(units[j]):
            return all(_is_label(units[k]) for k in range(i, j))
        if not _is_label(units[j]):
            break
    return False


def _teaser_zone(units: list[_Unit], i: int, state: _State) -> int:
    """Read a block of teasers starting at marker/labels ``i``. Returns where the body resumes."""
    parts = state.parts
    current: TeaserParts | None = None
    tags = False
    while i < len(units):
        unit = units[i]
        nxt = units[i + 1] if i + 1 < len(units) else None
        if is_marker(unit.text):
            tags = bool(TAGS_RE.match(normalise_key(unit.text)))
            kind = "comment" if COMMENT_RE.match(unit.text) else "navigation" if tags else "related"
            parts.removed.append(Removed(kind, unit.text))
            current = None
        elif tags and _is_label(unit):
            parts.removed.append(Removed("navigation", unit.text))
        elif unit.key in _teaser_keys(parts):
            parts.removed.append(Removed("duplicate", unit.text))
        elif current is not None and current.summary is None and _reads_as_summary(units, i, current):
            current.summary = unit.text
            _record_teaser_text(unit.text, "related", state)
        elif (not unit.sentence or _is_question_headline(unit)) and (_is_title_like(unit) or _is_label(unit)) and not _is_label_only(unit, nxt):
            tags = False
            current = _add_teaser(unit.text, None, state)
        elif _is_label(unit) or CHROME_RE.match(unit.text):
            parts.removed.append(Removed("navigation", unit.text))
        else:
            credit = parse_credit_line(unit.text)
            if credit is not None:
                _take_credit(unit.text, credit.credits, credit.caption, state)
            elif unit.key in state.seen_body:
                parts.removed.append(Removed("duplicate", unit.text))
            else:
                return i  # prose that is no teaser: the article goes on
        i += 1
    return i


def _teaser_keys(parts: ArticleParts) -> set[str]:
    keys = {normalise_key(t.title) for t in parts.teasers}
    return keys | {normalise_key(t.summary) for t in parts.teasers if t.summary}


def _is_question_headline(unit: _Unit) -> bool:
    """A headline that asks ("What happens now to the naval base?"): sentence-shaped, but a headline."""
    return unit.text.rstrip().endswith("?") and unit.words <= SUMMARY_MIN_WORDS


def _is_label_only(unit: _Unit, nxt: _Unit | None) -> bool:
    """A short label that precedes a headline ("News", then the headline) is not a headline itself."""
    return _is_label(unit) and nxt is not None and not nxt.sentence and nxt.words > unit.words


def _reads_as_summary(units: list[_Unit], i: int, current: TeaserParts) -> bool:
    """Whether the unit at ``i``, right after a teaser's title, is that teaser's summary.

    A summary is prose (or prose cut off mid-sentence, as teasers are: a long line ending in a
    lower-case word or an ellipsis) that directly follows the title or its repetition, and is one
    paragraph long.
    """
    unit = units[i]
    title_key = normalise_key(current.title)
    if i == 0 or units[i - 1].key != title_key or _is_question_headline(unit):
        return False
    truncated = unit.words >= SUMMARY_MIN_WORDS and bool(re.search(r"(?:[a-z,;]|…|\.\.\.)$", unit.text))
    return (unit.sentence or truncated) and _summary_ends(units, i)


def _summary_ends(units: list[_Unit], i: int) -> bool:
    """A teaser summary is one paragraph: next comes a label, headline, marker, or the end."""
    if i + 1 >= len(units):
        return True
    nxt = units[i + 1]
    return not nxt.sentence or is_marker(nxt.text) or nxt.key in {u.key for u in units[:i]}


def _add_teaser(title: str, summary: str | None, state: _State) -> TeaserParts:
    key = normalise_key(title)
    if key in state.seen_teasers:
        state.parts.removed.append(Removed("duplicate", title))
        # keep the object so its repeated summary is recognised as a duplicate too
        return next(t for t in state.parts.teasers if normalise_key(t.title) == key)
    state.seen_teasers.add(key)
    teaser = TeaserParts(title=title, summary=summary)
    state.parts.teasers.append(teaser)
    state.parts.removed.append(Removed("teaser", title))
    return teaser


def _record_teaser_text(text: str, kind: str, state: _State) -> None:
    key = normalise_key(text)
    if any(normalise_key(r.text) == key for r in state.parts.removed if r.kind in ("related", "teaser")):
        state.parts.removed.append(Removed("duplicate", text))
    else:
        state.parts.removed.append(Removed(kind, text))  # type: ignore[arg-type]


def _take_credit(text: str, credits: list[str], caption: str | None, state: _State) -> None:
    parts = state.parts
    for name in credits:
        if name not in parts.credits:
            parts.credits.append(name)
    if caption and not parts.photo_caption:
        parts.photo_caption = caption
    parts.removed.append(Removed("caption" if caption and not credits else "credit", text))


def _body_line(unit: _Unit, state: _State) -> None:
    """Keep a body unit, or move it out when it is chrome, a credit, a caption, a promo or a repeat."""
    parts = state.parts
    text = unit.text
    if unit.key in state.seen_body and unit.words >= DUPLICATE_MIN_WORDS and not text.rstrip().endswith("?"):
        parts.removed.append(Removed("duplicate", text))
        return
    if COMMENT_RE.match(text) and unit.words <= 8:
        parts.removed.append(Removed("comment", text))
        return
    if CHROME_RE.match(text) or (is_marker(text) and unit.words <= 3):
        parts.removed.append(Removed("navigation" if not is_marker(text) else "related", text))
        return
    promo = PROMO_RE.match(text)
    if promo and not unit.sentence or promo and len(promo.group("title").split()) <= HEADLINE_MAX_WORDS and not text.endswith("."):
        _add_teaser(promo.group("title").strip(), None, state)
        return
    credit = parse_credit_line(text)
    if credit is not None:
        _take_credit(text, credit.credits, credit.caption, state)
        return
    caption = looks_like_caption(text) if not unit.sentence or unit.words <= 40 else None
    if caption is not None and (not parts.paragraphs or unit.words <= 40):
        description, names = caption
        _take_credit(text, names, description, state)
        return
    if not parts.paragraphs:
        found = dateline(text)
        if found and found[0] and found[0] not in parts.credits:
            parts.credits.append(found[0])
    state.seen_body[unit.key] = len(parts.paragraphs)
    parts.paragraphs.append(text)


def _finish(parts: ArticleParts) -> None:
    """Last checks over the whole result."""
    # A caption repeated as a body paragraph (some scrapers print it twice): drop it from the body.
    if parts.photo_caption:
        cap = normalise_key(parts.photo_caption)
        kept = []
        for paragraph in parts.paragraphs:
            if normalise_key(paragraph) == cap:
                parts.removed.append(Removed("caption", paragraph))
            else:
                kept.append(paragraph)
        parts.paragraphs = kept


def _drop_leading_title(parts: ArticleParts) -> None:
    """Cut the headline from the top of a body, with the category labels printed above it.

    Pages that do not wrap their headline in a header element hand it to the extractor as the
    body's first block, often after a category link ("Nation & World"). Labels are cut only when
    the headline follows them, so a body that merely starts with a short line keeps it.
    """
    if not parts.title:
        return
    title_key = normalise_key(parts.title)
    for k, paragraph in enumerate(parts.paragraphs[:LEADING_LABELS + 1]):
        if normalise_key(paragraph) == title_key:
            for label in parts.paragraphs[:k]:
                parts.removed.append(Removed("navigation", label))
            parts.removed.append(Removed("duplicate", paragraph))
            del parts.paragraphs[: k + 1]
            return
        if not _is_label(_Unit(paragraph, k)):
            return


def tidy_paragraphs(parts: ArticleParts) -> ArticleParts:
    """Run the body's line checks over paragraphs another extractor produced (HTML).

    Credit and caption lines, inline promos, chrome and repeated paragraphs that survived the
    HTML extractor are moved out exactly as in scraped text; everything else stays in order.
    """
    state = _State(parts=parts)
    _drop_leading_title(parts)
    paragraphs, parts.paragraphs = parts.paragraphs, []
    for index, paragraph in enumerate(paragraphs):
        _body_line(_Unit(paragraph, index), state)
    _finish(parts)
    return parts
