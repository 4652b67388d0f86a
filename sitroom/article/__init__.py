"""The article stage: from a raw page to title, body, credits, caption, teasers and what was cut.

HTML goes through :mod:`sitroom.article.html` (trafilatura plus our captions, credits and
teasers); already-scraped text through :mod:`sitroom.article.text`. Both end in the same body
line checks, so a "Source:" line is a credit whichever way the page arrived.
"""

from __future__ import annotations

from sitroom.article.html import extract_html
from sitroom.article.text import clean_text, tidy_paragraphs
from sitroom.errors import Code, SitroomError
from sitroom.model import ArticleParts, RawPage


def extract_article(page: RawPage) -> ArticleParts:
    """Extract the article from one page.

    Args:
        page: a decoded page from the ingest stage.

    Returns:
        The article's parts; ``paragraphs`` holds at least one paragraph.

    Raises:
        SitroomError: E014 when the page holds no article text.
    """
    if page.kind == "html":
        parts = tidy_paragraphs(extract_html(page.text, url=page.url))
        if page.title and not parts.title:
            parts.title = page.title
    else:
        parts = clean_text(page.text, title_hint=page.title)
    if not parts.paragraphs:
        raise SitroomError(Code.NO_TEXT, page.input)
    parts.site = parts.site or page.site
    parts.byline = parts.byline or page.byline
    return parts


__all__ = ["extract_article"]
