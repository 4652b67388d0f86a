"""HTML article extraction: body paragraphs and metadata from trafilatura, plus our own extras.

:func:`extract_html` parses the page once, reads captions, credits and teasers
(:mod:`sitroom.article.html_extras`; credit strings by :mod:`sitroom.article.credits`), cuts those
blocks from a copy of the tree, and extracts the body from the cleaned copy with trafilatura in
precision mode. readability-lxml gives a second opinion on the same cleaned copy;
:func:`choose_body` takes it only when general cues say the first extraction stopped short (see
the constants below for how they were calibrated).
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
import re
from collections import Counter

import lxml.html
from lxml.html import HtmlElement

from sitroom.article.credits import canonical_agency, credit_names, dateline_credit, norm_ws, split_caption_credit
from sitroom.article.html_extras import PageExtras, find_extras
from sitroom.model import ArticleParts, Removed

log = logging.getLogger(__name__)

_TOKEN = re.compile(r"\w+")
_BLOCK_TAGS = frozenset(
    "p div li h1 h2 h3 h4 h5 h6 blockquote pre tr td th dd dt ul ol table section article "
    "header footer figure figcaption aside main br hr".split()
)


# ------------------------------------------------------------------------------------------
# Candidates
# ------------------------------------------------------------------------------------------


def _load(html: str) -> HtmlElement | None:
    from trafilatura.utils import load_html

    if not html or not html.strip():
        return None
    try:
        return load_html(html)
    except (ValueError, TypeError, lxml.etree.ParserError) as exc:  # odd markup: no tree
        log.debug("could not parse HTML: %s", exc)
        return None


def _paragraphs_from_text(text: str | None) -> list[str]:
    return [p for p in (norm_ws(line) for line in (text or "").split("\n")) if p]


def _trafilatura(tree: HtmlElement, url: str | None, precision: bool = True):  # noqa: ANN202
    from trafilatura import bare_extraction

    try:
        return bare_extraction(
            copy.deepcopy(tree),
            url=url,
            favor_precision=precision,
            include_comments=False,
            with_metadata=True,
        )
    except Exception as exc:  # noqa: BLE001 - a library failure on one page is an empty extraction
        log.debug("trafilatura failed: %s", exc)
        return None


def _readability_paragraphs(tree: HtmlElement) -> list[str]:
    from readability import Document

    try:
        html = lxml.html.tostring(tree, encoding="unicode")
        summary = Document(html).summary(html_partial=True)
    except Exception as exc:  # noqa: BLE001 - readability raises on pages it cannot score
        log.debug("readability failed: %s", exc)
        return []
    return html_fragment_paragraphs(summary)


def html_fragment_paragraphs(fragment: str) -> list[str]:
    """Split an HTML fragment into text blocks, one per block-level element.

    Args:
        fragment: HTML (e.g. readability's summary).

    Returns:
        Paragraph strings, whitespace collapsed, empty ones dropped.
    """
    if not fragment or not fragment.strip():
        return []
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return []
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag in _BLOCK_TAGS:
            el.tail = "\n" + (el.tail or "")
            if el.tag != "br":
                el.text = "\n" + (el.text or "")
    return _paragraphs_from_text(root.text_content())


# ------------------------------------------------------------------------------------------
# Second opinion
# ------------------------------------------------------------------------------------------

# Take readability's body only if it holds at least this share of trafilatura's tokens: the two
# then agree on where the article is and readability merely continues it. Calibrated on the AEB
# benchmark (181 pages): the score is flat for any value in .80-.98; .90 is the middle.
SECOND_MIN_CONTAINMENT = 0.90
# ... and only if it is at least this many times longer (trafilatura stopped short: a body split
# over several containers, a dropped second half). Calibrated on AEB: flat for 1.2-2.0 (pages it
# rescued were 2.2x-10x longer), falling above 2.0; 1.5 is the middle of the flat range.
SECOND_MIN_LENGTH_RATIO = 1.5
# The extra paragraphs readability adds must read like prose: this many words on average.
# Set by hand (AEB is flat for 0-20): body paragraphs average 25-60 words, boilerplate lines 2-8.
SECOND_MIN_EXTRA_WORDS = 12
# When trafilatura returns a stub (fewer tokens than this: a paywall or licence notice, a
# "text size" widget), readability's body is taken if it has SECOND_FALLBACK_MIN_TOKENS tokens of
# prose. AEB is flat for stubs of 40-150 and fallbacks of 50-300; values chosen inside both ranges.
FIRST_STUB_TOKENS = 60
# A body shorter than this many tokens is a stray label or link ("Home"), not an article. Set by
# hand, far below any real article (AEB's shortest gold body has 66 tokens).
MIN_BODY_TOKENS = 5
SECOND_FALLBACK_MIN_TOKENS = 120


def _tokens(paragraphs: list[str]) -> Counter[str]:
    return Counter(t.lower() for p in paragraphs for t in _TOKEN.findall(p))


def _contained(paragraph: str, bag: Counter[str]) -> float:
    toks = [t.lower() for t in _TOKEN.findall(paragraph)]
    return sum(1 for t in toks if t in bag) / len(toks) if toks else 1.0


def choose_body(first: list[str], second: list[str]) -> tuple[list[str], str]:
    """Pick the body from trafilatura's paragraphs (``first``) or readability's (``second``).

    The second opinion wins only when it contains nearly all of the first, is much longer, and
    what it adds reads as prose; or when the first is empty or a stub and the second is not.

    Args:
        first: trafilatura (precision) paragraphs.
        second: readability paragraphs.

    Returns:
        ``(paragraphs, "first" | "second")``.
    """
    if not second:
        return first, "first"
    ta, tb = _tokens(first), _tokens(second)
    na, nb = sum(ta.values()), sum(tb.values())
    if na < FIRST_STUB_TOKENS:
        extra = [p for p in second if _contained(p, ta) < 0.5]
        if nb >= SECOND_FALLBACK_MIN_TOKENS and _prose(extra or second):
            return second, "second"
        return first, "first"
    containment = sum((ta & tb).values()) / na
    if containment < SECOND_MIN_CONTAINMENT or nb < SECOND_MIN_LENGTH_RATIO * na:
        return first, "first"
    extra = [p for p in second if _contained(p, ta) < 0.5]
    if not extra or not _prose(extra):
        return first, "first"
    return _merge(first, second), "second"


def _prose(paragraphs: list[str]) -> bool:
    words = [len(p.split()) for p in paragraphs]
    return bool(words) and sum(words) / len(words) >= SECOND_MIN_EXTRA_WORDS


def _merge(first: list[str], second: list[str]) -> list[str]:
    """``second`` in its order, with ``first``'s paragraphs it lacks (e.g. embedded posts) kept."""
    tb = _tokens(second)
    out = list(second)
    anchor = -1
    norm_out = [p.lower() for p in out]
    for p in first:
        low = p.lower()
        hit = next((i for i, q in enumerate(norm_out) if low in q or q in low), None)
        if hit is not None:
            anchor = hit
            continue
        if _contained(p, tb) >= 0.8:
            continue
        anchor += 1
        out.insert(anchor, p)
        norm_out.insert(anchor, low)
    return out


# ------------------------------------------------------------------------------------------
# Metadata and clean-up
# ------------------------------------------------------------------------------------------


def _parse_date(value: object) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _language(tree: HtmlElement, doc: object) -> str | None:
    lang = getattr(doc, "language", None) if doc is not None else None
    if not lang:
        lang = tree.get("lang") or tree.get("xml:lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not lang:
        return None
    lang = lang.strip().lower().replace("_", "-").split("-")[0]
    return lang if re.fullmatch(r"[a-z]{2,3}", lang) else None


def _cut(tree: HtmlElement, extras: PageExtras) -> HtmlElement:
    """Remove the elements in ``extras.cut`` from ``tree`` (in place) and return it."""
    for el in extras.cut:
        if el.getparent() is not None:
            el.drop_tree()  # keeps the tail text, which belongs to the parent
    return tree


def _strip_known(paragraphs: list[str], extras: PageExtras) -> list[str]:
    """Drop body paragraphs that are captions, credits or teaser headlines, and record them."""
    captions = {c.lower() for c in extras.captions} | {c.lower() for c in extras.caption_texts}
    teasers = {t.title.lower() for t in extras.teasers}
    keep = []
    for p in paragraphs:
        low = p.lower()
        if low in captions or split_caption_credit(p)[0].lower() in captions:
            if not any(r.kind == "caption" and r.text.lower() == low for r in extras.removed):
                extras.removed.append(Removed(kind="caption", text=p))
            continue
        if low in teasers:
            extras.removed.append(Removed(kind="related", text=p))
            continue
        keep.append(p)
    return keep


def _same_title(paragraph: str, title: str) -> bool:
    a = [t.lower() for t in _TOKEN.findall(paragraph)]
    b = [t.lower() for t in _TOKEN.findall(title)]
    return bool(a) and (a == b or (len(a) >= 4 and b[: len(a)] == a))


def extract_html(html: str, url: str | None = None) -> ArticleParts:
    """Extract an article's body, metadata, captions, credits and teasers from an HTML page.

    Args:
        html: the page source.
        url: the page's URL, if known (helps metadata).

    Returns:
        :class:`ArticleParts`; ``paragraphs`` is empty when no article text was found (the
        caller decides whether that is an error).
    """
    tree = _load(html)
    if tree is None:
        return ArticleParts()
    try:
        extras = find_extras(tree)
        clean = _cut(tree, extras)
    except Exception as exc:  # noqa: BLE001 - extras are best effort; the body still matters
        log.debug("extras failed: %s", exc)
        extras, clean = PageExtras(), tree
    doc = _trafilatura(clean, url)
    first = _paragraphs_from_text(getattr(doc, "text", None) if doc is not None else None)
    second = _readability_paragraphs(clean)
    paragraphs, _which = choose_body(_strip_known(first, extras), _strip_known(second, PageExtras(
        captions=extras.captions, caption_texts=extras.caption_texts, teasers=extras.teasers)))
    if sum(len(_TOKEN.findall(p)) for p in paragraphs) < MIN_BODY_TOKENS:
        paragraphs = []  # a stray link or label is not an article
    title = (norm_ws(getattr(doc, "title", None)) or None) if doc is not None else None
    if paragraphs and title and _same_title(paragraphs[0], title):
        paragraphs = paragraphs[1:]  # the headline repeated as the body's first block
    # teasers must not come from the body
    body_low = "\n".join(paragraphs).lower()
    extras.teasers = [t for t in extras.teasers if t.title.lower() not in body_low]
    byline = norm_ws(getattr(doc, "author", None)) or None if doc is not None else None
    if byline:
        for part in re.split(r"\s*(?:,|;|/|\band\b|\|)\s*", byline):
            canon = canonical_agency(part)
            if canon:
                extras.add_credit([canon])
    if paragraphs:
        agency = dateline_credit(paragraphs[0])
        if agency:
            extras.add_credit([agency])
    site = None
    declared = None
    if doc is not None:
        site = norm_ws(getattr(doc, "sitename", None)) or norm_ws(getattr(doc, "hostname", None)) or None
        declared = norm_ws(getattr(doc, "url", None)) or None
        if declared and not re.match(r"https?://[^/\s]+", declared):
            declared = None
    return ArticleParts(
        url=declared,
        title=title,
        paragraphs=paragraphs,
        byline=byline,
        credits=extras.credits,
        photo_caption=extras.captions[0] if extras.captions else None,
        published=_parse_date(getattr(doc, "date", None)) if doc is not None else None,
        site=site,
        language=_language(tree, doc),
        removed=extras.removed,
        teasers=extras.teasers,
    )


__all__ = ["extract_html", "choose_body", "html_fragment_paragraphs", "credit_names"]
