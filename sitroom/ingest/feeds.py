"""RSS and Atom feeds: one :class:`~sitroom.model.RawPage` per item (feedparser does the parsing)."""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import re
import time
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import urlsplit

import feedparser

from sitroom.errors import Code, SitroomError
from sitroom.ingest.decode import looks_like_html, repair_text
from sitroom.model import RawPage

# A feed item's fetched page (or pages), given the item link and the item's input label.
ItemFetcher = Callable[[str, str], Iterable["RawPage | SitroomError"]]

_TAG = re.compile(r"<[^>]+>")


def _plain(value: str | None, kind: str | None) -> str | None:
    """Feed titles may be HTML; return them as plain, single-spaced text."""
    if not value:
        return None
    if kind and "html" in kind:
        value = html.unescape(_TAG.sub("", value))
    value = " ".join(repair_text(value).split())
    return value or None


def parse_feed_date(raw: str | None, parsed: time.struct_time | None = None) -> dt.date | None:
    """The calendar date of a feed timestamp, in the timezone the feed wrote it in.

    feedparser's ``*_parsed`` values are converted to UTC, which moves a late-evening American
    item to the next day; the raw string keeps the publisher's own date, so it is read first.

    Args:
        raw: the raw date string (RFC 822 for RSS, ISO 8601 for Atom and Dublin Core).
        parsed: feedparser's parsed value, used if the raw string cannot be read.

    Returns:
        The date, or ``None``.
    """
    if raw:
        text = raw.strip()
        try:
            return email.utils.parsedate_to_datetime(text).date()
        except (TypeError, ValueError, IndexError):
            pass
        try:
            return dt.datetime.fromisoformat(text.replace("z", "Z")).date()
        except ValueError:
            pass
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            pass
    if parsed:
        try:
            return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
        except ValueError:
            return None
    return None


def _item_body(entry: feedparser.FeedParserDict) -> tuple[str, str] | None:
    """The item's full content, else its summary, as ``(text, kind)``."""
    for part in entry.get("content") or []:
        value = (part.get("value") or "").strip()
        if value:
            return value, _kind(value, part.get("type"))
    summary = (entry.get("summary") or "").strip()
    if summary:
        detail = entry.get("summary_detail") or {}
        return summary, _kind(summary, detail.get("type"))
    return None


def _kind(value: str, declared: str | None) -> str:
    if declared and "plain" in declared:
        return "text"
    return "html" if looks_like_html(value, min_tags=1) or re.search(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+);", value, re.I) else "text"


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def iter_feed(
    data: bytes,
    label: str,
    *,
    path: str | None = None,
    feed_url: str | None = None,
    fetched_at: dt.datetime | None = None,
    content_type: str | None = None,
    fetch_item: ItemFetcher | None = None,
) -> Iterator[RawPage | SitroomError]:
    """Yield one page per feed item.

    An item's text is its full content (``content:encoded``, Atom ``content``), else its summary;
    kind ``html`` if it holds markup. An item with neither is fetched from its link when
    ``fetch_item`` is given (feeds read from a URL), else skipped.

    Args:
        data: the feed's bytes (feedparser reads the encoding from them).
        label: the input's name; item ``N`` (from 1) is labelled ``label#N``.
        path: the file the feed came from, if any.
        feed_url: the URL the feed came from, if any (its host is the fallback ``site``).
        fetched_at: when the feed was fetched (or the file's mtime).
        content_type: the HTTP ``Content-Type`` the feed was served with, if any.
        fetch_item: fetches an item link, for items with no text.

    Yields:
        A :class:`RawPage` per readable item, or a :class:`SitroomError` (E013 for a feed that
        cannot be parsed, or errors from fetching an item's link).
    """
    headers = {"content-type": content_type} if content_type else None
    parsed = feedparser.parse(data, response_headers=headers, sanitize_html=False, resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    if not entries and (parsed.get("bozo") or not parsed.get("version")):
        exc = parsed.get("bozo_exception")
        detail = str(exc) if exc else "no RSS or Atom feed element found"
        yield SitroomError(Code.BAD_FEED, label, detail=detail)
        return
    feed = parsed.get("feed") or {}
    site = _plain(feed.get("title"), (feed.get("title_detail") or {}).get("type")) or _host(feed.get("link")) or _host(feed_url)
    for number, entry in enumerate(entries, start=1):
        item_label = f"{label}#{number}"
        link = entry.get("link") or (entry.get("id") if str(entry.get("id", "")).startswith(("http://", "https://")) else None)
        title = _plain(entry.get("title"), (entry.get("title_detail") or {}).get("type"))
        published = parse_feed_date(entry.get("published"), entry.get("published_parsed")) or parse_feed_date(
            entry.get("updated"), entry.get("updated_parsed")
        )
        body = _item_body(entry)
        if body is None:
            if fetch_item is None or not link:
                continue
            for got in fetch_item(link, item_label):
                if isinstance(got, RawPage):
                    got.title = got.title or title
                    got.published = got.published or published
                    got.site = got.site or site
                yield got
            continue
        text, kind = body
        yield RawPage(
            input=item_label,
            text=repair_text(text),
            kind=kind,  # type: ignore[arg-type]  # "html" or "text"
            url=link,
            path=path,
            fetched_at=fetched_at,
            published=published,
            title=title,
            site=site,
            byline=_plain(entry.get("author"), None) or None,
        )
