"""What no extraction library returns: photo captions, agency credits and teasers of other articles.

These helpers work on an lxml tree of the whole page. :func:`find_extras` finds caption blocks,
credit elements and related/popular/recommended blocks, reads what they say, and lists the
elements so the caller can cut them from the tree before the body is extracted. This module does
the DOM work only: what a caption or credit string says is read by :mod:`sitroom.article.credits`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml.html import HtmlElement

from sitroom.article.credits import canonical_agency, credit_names, norm_ws, split_caption_credit
from sitroom.model import Removed, TeaserParts

# Upper bound on a caption block's text; longer "caption" elements are containers, not captions.
# Calibrated by hand: real captions on news pages run to ~450 characters; 700 leaves headroom.
CAPTION_MAX_CHARS = 700
# A caption-classed element (other than <figcaption>) needs this many words to count as a caption;
# shorter ones are widget labels ("Always enabled", a one-word tab). Set by hand.
CAPTION_MIN_WORDS = 3
# Upper bound on a credit element's text ("Photo: Jane Doe/AFP"); longer ones are prose.
# Calibrated by hand on credit spans seen on news pages (mostly under 60 characters).
CREDIT_MAX_CHARS = 100
# A related block must be this link-heavy (link text / all text): teaser lists are mostly links,
# article bodies rarely exceed 0.1. Chosen by hand between those two, on the conservative side.
RELATED_MIN_LINK_DENSITY = 0.25
# A related block containing a paragraph with this much non-link text is treated as body.
# Chosen by hand: teaser summaries are one or two sentences (under ~300 characters).
RELATED_MAX_PLAIN_PARAGRAPH = 400
# A "comments" block holding more than this share of the page's text is a wrapper, not comments.
# Set by hand, generously: comment threads rarely exceed half a page's text when the article is there.
COMMENT_MAX_SHARE = 0.5
# Headline links shorter than this many words are navigation ("More", "Sports"), not teasers.
TEASER_MIN_WORDS = 3

_CAPTION_ATTR = re.compile(r"caption|figcap|wp-caption-text", re.I)
_CREDIT_ATTR = re.compile(r"credit|copyright|(?<![a-z])source(?![a-z])|photographer|byline-photo", re.I)
_RELATED_ATTR = re.compile(
    r"related|popular|recommend|most[-_ ]?(read|viewed|shared|commented)|read[-_ ]?(more|next|also)"
    r"|more[-_ ]?(stories|news|articles|from)|also[-_ ]?(read|like|on)|you[-_ ]?may[-_ ]?(also[-_ ]?)?like"
    r"|trending|further[-_ ]?reading|editors?[-_ ]?picks?|top[-_ ]?stories|outbrain|taboola",
    re.I,
)
_RELATED_HEADING = re.compile(
    r"^\s*(related|popular|most (read|popular|viewed|shared)|read (more|next|also)|more (stories|news|"
    r"articles|from|on)\b|also (read|on|see)\b|you may (also )?like|you might (also )?like|recommended|"
    r"trending|further reading|editors?'?s?'? picks?|top stories|what to read next|see also|"
    r"latest (news|stories))",
    re.I,
)
_COMMENT_ATTR = re.compile(r"(?:^|[-_ ])(?:comments?|comment-?list|commentlist|disqus_thread|respond)(?:[-_ ]|$)", re.I)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_ITEM_ATTR = re.compile(r"item|card|story|teaser|post|entry|article|tile|headline", re.I)
_SUMMARY_ATTR = re.compile(r"summary|dek|excerpt|description|standfirst|teaser[-_]?text|intro|blurb", re.I)


def _attrs(el: HtmlElement) -> str:
    return f"{el.get('class', '')} {el.get('id', '')}"


def _text(el: HtmlElement) -> str:
    return norm_ws(" ".join(el.itertext()))


@dataclass
class PageExtras:
    """What :func:`find_extras` read from a page, and the elements to cut before extraction."""

    captions: list[str] = field(default_factory=list)  # caption texts, credit split off
    caption_texts: list[str] = field(default_factory=list)  # captions as printed (with credit)
    credits: list[str] = field(default_factory=list)
    teasers: list[TeaserParts] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    cut: list[HtmlElement] = field(default_factory=list)

    def add_credit(self, names: list[str]) -> None:
        """Add credit names, keeping order and dropping repeats."""
        for name in names:
            if name and name not in self.credits:
                self.credits.append(name)


def _inside(el: HtmlElement, chosen: list[HtmlElement]) -> bool:
    ids = {id(c) for c in chosen}
    return any(id(a) in ids for a in el.iterancestors())


def _caption_elements(tree: HtmlElement) -> list[HtmlElement]:
    found: list[HtmlElement] = []
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("html", "body", "head", "script", "style", "img"):
            continue
        if el.tag != "figcaption" and not _CAPTION_ATTR.search(_attrs(el)):
            continue
        if _inside(el, found):
            continue
        text = _text(el)
        if not text or len(text) > CAPTION_MAX_CHARS or el.tag in ("article", "button", "a"):
            continue
        if el.tag != "figcaption" and len(text.split()) < CAPTION_MIN_WORDS:
            continue
        if any(a.tag in ("nav", "form", "button") for a in el.iterancestors()):
            continue
        if len(el.findall(".//p")) > 3:
            continue
        found.append(el)
    return found


def _credit_elements(tree: HtmlElement, skip: list[HtmlElement]) -> list[HtmlElement]:
    found: list[HtmlElement] = []
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("html", "body", "head", "script", "style", "meta", "link"):
            continue
        if not _CREDIT_ATTR.search(_attrs(el)) or _inside(el, found):
            continue
        text = _text(el)
        if not text or len(text) > CREDIT_MAX_CHARS or _in_footer(el) or len(el.findall(".//a")) > 1:
            continue
        found.append(el)
    return found


def _in_footer(el: HtmlElement) -> bool:
    for anc in el.iterancestors():
        if anc.tag == "footer" or re.search(r"footer", _attrs(anc), re.I):
            return True
    return False


def _link_density(el: HtmlElement) -> tuple[float, int]:
    total = len(_text(el))
    links = sum(len(_text(a)) for a in el.iter("a"))
    return (links / total if total else 0.0), total


def _block_heading(el: HtmlElement) -> str:
    for h in el.iter(*_HEADINGS):
        return _text(h)
    for child in el.iter():
        if child is el or not isinstance(child.tag, str):
            continue
        if re.search(r"title|heading|header|label", _attrs(child), re.I) and len(_text(child)) < 60:
            return _text(child)
        break
    return ""


def _is_related_block(el: HtmlElement) -> bool:
    if el.tag in ("html", "body", "head", "article", "main"):
        return False
    attrs = f"{_attrs(el)} {el.get('aria-label', '')} {el.get('data-component', '')}"
    cue = bool(_RELATED_ATTR.search(attrs))
    if not cue:
        heading = _block_heading(el)
        cue = bool(heading) and len(heading) < 60 and bool(_RELATED_HEADING.search(heading))
        if cue and el.tag not in ("aside", "section", "div", "ul", "ol", "nav"):
            return False
    if not cue:
        return False
    density, total = _link_density(el)
    if total == 0 or density < RELATED_MIN_LINK_DENSITY:
        return False
    for p in el.iter("p"):
        plain = len(_text(p)) - sum(len(_text(a)) for a in p.iter("a"))
        if plain > RELATED_MAX_PLAIN_PARAGRAPH:
            return False
    # a block holding the article itself is not a related block
    if el.find(".//article") is not None and len(el.findall(".//p")) > 8:
        return False
    return True


def _related_blocks(tree: HtmlElement, skip: list[HtmlElement]) -> list[HtmlElement]:
    found: list[HtmlElement] = []
    for el in tree.iter("aside", "section", "div", "ul", "ol", "nav"):
        if _inside(el, found) or _inside(el, skip) or any(el is s for s in skip):
            continue
        if _is_related_block(el):
            found.append(el)
    return found


def teasers_from_block(block: HtmlElement) -> list[TeaserParts]:
    """Headlines and summaries of the articles a related block points to.

    Args:
        block: a related/popular/recommended block.

    Returns:
        One :class:`TeaserParts` per distinct headline link (at least ``TEASER_MIN_WORDS`` words).
    """
    teasers: list[TeaserParts] = []
    seen: set[str] = set()
    for a in block.iter("a"):
        title = _text(a)
        if len(title.split()) < TEASER_MIN_WORDS or title.lower() in seen:
            continue
        # prefer a heading inside or around the link as the title
        item = a
        for anc in a.iterancestors():
            if anc is block:
                break
            item = anc
            if anc.tag in ("li", "article") or _ITEM_ATTR.search(_attrs(anc)):
                break
        heads = [h for h in item.iter(*_HEADINGS) if _text(h)]
        if heads and len(heads[0].findall(".//a")) <= 1 and _text(heads[0]) in title:
            title = _text(heads[0])
        summary = None
        if item is not a:
            for s in item.iter():
                if s is a or not isinstance(s.tag, str) or _inside(s, [a]) or s in a.iterancestors():
                    continue
                if s.tag == "p" or _SUMMARY_ATTR.search(_attrs(s)):
                    st = _text(s)
                    if st and st != title and title not in st and len(st.split()) >= 4:
                        summary = st
                        break
        seen.add(title.lower())
        teasers.append(TeaserParts(title=title, summary=summary))
    return teasers


_META_AGENCY_FIELDS = ("author", "byl", "dc.creator", "article:author", "sailthru.author", "source",
                       "dc.source", "original-source", "parsely-author", "cxenseparse:author")


def meta_agencies(tree: HtmlElement) -> list[str]:
    """Agencies named in author/source ``<meta>`` fields (other names are ignored)."""
    found: list[str] = []
    for meta in tree.iter("meta"):
        key = (meta.get("name") or meta.get("property") or "").lower()
        if key not in _META_AGENCY_FIELDS:
            continue
        for part in re.split(r"\s*(?:,|/|;|\band\b|\|)\s*", meta.get("content") or ""):
            canon = canonical_agency(re.sub(r"^by\s+", "", part, flags=re.I))
            if canon and canon not in found:
                found.append(canon)
    return found


def _comment_blocks(tree: HtmlElement, skip: list[HtmlElement]) -> list[HtmlElement]:
    """Reader-comment sections: whole blocks named "comments", "disqus_thread", "respond"."""
    total = len(_text(tree)) or 1
    found: list[HtmlElement] = []
    for el in tree.iter("section", "div", "ol", "ul", "aside"):
        if _inside(el, found) or _inside(el, skip) or not _COMMENT_ATTR.search(_attrs(el)):
            continue
        # a wrapper that also holds the article is not a comment block
        if el.find(".//article") is not None or len(_text(el)) > COMMENT_MAX_SHARE * total:
            continue
        found.append(el)
    return found


def find_extras(tree: HtmlElement) -> PageExtras:
    """Read captions, credits and teasers from a page, and list the elements to cut.

    Args:
        tree: the parsed page (not modified).

    Returns:
        A :class:`PageExtras`; ``cut`` holds caption, credit and related elements.
    """
    extras = PageExtras()
    body = tree.find(".//body")
    root = body if body is not None else tree
    captions = _caption_elements(root)
    for el in captions:
        printed = _text(el)
        text, credit = split_caption_credit(printed)
        # a separate credit element inside the caption
        for c in el.iter():
            if c is not el and isinstance(c.tag, str) and _CREDIT_ATTR.search(_attrs(c)):
                ctext = _text(c)
                if ctext and len(ctext) <= CREDIT_MAX_CHARS:
                    credit = credit or ctext
                    if text.endswith(ctext):
                        text = text[: -len(ctext)].rstrip(" -–—|,")
        if credit:
            extras.add_credit(credit_names(credit))
        if text and text not in extras.captions:
            extras.captions.append(text)
            extras.caption_texts.append(printed)
            extras.removed.append(Removed(kind="caption", text=printed))
        extras.cut.append(el)
    credits = [c for c in _credit_elements(root, captions) if not _inside(c, captions)]
    for el in credits:
        text = _text(el)
        loose = not re.search(r"credit|photographer", _attrs(el), re.I)
        extras.add_credit(credit_names(text, agencies_only=loose))
        extras.removed.append(Removed(kind="credit", text=text))
        extras.cut.append(el)
    extras.add_credit(meta_agencies(tree))
    for block in _related_blocks(root, captions + credits):
        teasers = teasers_from_block(block)
        if not teasers:
            continue
        extras.teasers.extend(teasers)
        extras.removed.append(Removed(kind="related", text=_text(block)))
        extras.cut.append(block)
    for block in _comment_blocks(root, extras.cut):
        text = _text(block)
        if text:
            extras.removed.append(Removed(kind="comment", text=text))
        extras.cut.append(block)
    return extras
