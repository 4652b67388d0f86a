"""Local inputs: files, directories, standard input, and the formats they come in.

Also the content dispatcher shared with URL fetching: :func:`iter_data` takes bytes of unknown
format (standard input, an HTTP response) and sniffs gzip, WARC, feed, binary, HTML or text.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import os
import stat
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from sitroom.errors import Code, SitroomError, human_size
from sitroom.ingest.decode import (
    GZIP_MAGIC,
    binary_kind,
    decode_bytes,
    head_text,
    looks_like_feed,
    looks_like_html,
    looks_like_warc,
    repair_text,
)
from sitroom.ingest.feeds import ItemFetcher, iter_feed
from sitroom.ingest.warc import iter_warc
from sitroom.model import RawPage

if TYPE_CHECKING:
    from sitroom.ingest import IngestOptions

# Extension (lower case) -> format. ``.gz`` may wrap any of them (``page.html.gz``).
FORMATS: dict[str, str] = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".json": "json",
    ".jsonl": "json",
    ".warc": "warc",
}

# Fields of a JSON record holding the page, in order of preference, with the kind they imply
# (None: sniffed from the text).
JSON_TEXT_FIELDS: tuple[tuple[str, str | None], ...] = (("html", "html"), ("text", None), ("body", None), ("content", None))


def format_of(name: str) -> tuple[str | None, bool, str]:
    """The format a file name announces.

    Args:
        name: a file name or path.

    Returns:
        ``(format, gzipped, extension)``: format is one of ``html``, ``text``, ``feed``, ``json``,
        ``warc`` or ``None`` if unsupported; ``extension`` is what was looked at (for E004).
    """
    lower = Path(name).name.lower()
    gzipped = lower.endswith(".gz")
    if gzipped:
        lower = lower[:-3]
    ext = Path(lower).suffix
    shown = ext + (".gz" if gzipped else "") if ext else (".gz" if gzipped else "(no extension)")
    return FORMATS.get(ext), gzipped, shown


def mtime_utc(st: os.stat_result) -> dt.datetime:
    """A file's modification time as an aware UTC datetime."""
    return dt.datetime.fromtimestamp(st.st_mtime, tz=dt.timezone.utc)


# --------------------------------------------------------------------------------------------
# Single pages and sniffed data
# --------------------------------------------------------------------------------------------


def page_from_bytes(
    data: bytes,
    label: str,
    kind: str | None = None,
    *,
    declared: str | None = None,
    **meta: Any,
) -> RawPage | SitroomError:
    """One page from its bytes: binary check, decoding, emptiness check, kind.

    Args:
        data: the page's bytes.
        label: the input's name.
        kind: ``html`` to force HTML; ``text`` or ``None`` to sniff (text holding markup is HTML).
        declared: a charset declared outside the document (HTTP header).
        **meta: further :class:`RawPage` fields (url, path, fetched_at, ...).

    Returns:
        The page, or an E002/E003 error.
    """
    if not data.strip():
        return SitroomError(Code.EMPTY, label)
    what = binary_kind(data)
    if what:
        return SitroomError(Code.BINARY, label, what=what)
    text = decode_bytes(data, declared)
    if not text.strip():
        return SitroomError(Code.EMPTY, label)
    if kind != "html":
        kind = "html" if looks_like_html(text) else "text"
    return RawPage(input=label, text=text, kind=kind, **meta)  # type: ignore[arg-type]


def gunzip(data: bytes, label: str, max_bytes: int) -> bytes | SitroomError:
    """Decompress gzip data, at most ``max_bytes`` of output (E005 past it, E006 if damaged)."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            out = stream.read(max_bytes + 1)
    except (EOFError, OSError, zlib.error) as exc:
        return SitroomError(Code.BAD_GZIP, label, detail=str(exc) or type(exc).__name__)
    if len(out) > max_bytes:
        return SitroomError(Code.TOO_LARGE, label, size="the decompressed data", limit=human_size(max_bytes))
    return out


def iter_data(
    data: bytes,
    label: str,
    options: IngestOptions,
    *,
    kind_hint: str | None = None,
    declared: str | None = None,
    content_type: str | None = None,
    url: str | None = None,
    path: str | None = None,
    fetched_at: dt.datetime | None = None,
    fetch_item: ItemFetcher | None = None,
) -> Iterator[RawPage | SitroomError]:
    """Pages from bytes of unknown format (standard input, an HTTP response body).

    Sniffs, in order: gzip (unwrapped, then sniffed again), WARC, RSS/Atom feed, binary data, and
    finally HTML vs text.

    Args:
        data: the bytes.
        label: the input's name.
        options: ingest options (``max_bytes``).
        kind_hint: ``html`` or ``feed`` when a content type says so; otherwise sniffed.
        declared: a charset declared outside the document.
        content_type: the HTTP ``Content-Type``, passed on to the feed parser.
        url: the page's (or feed's) URL.
        path: the file the bytes came from.
        fetched_at: when they were fetched.
        fetch_item: fetches feed item links (feeds from a URL only).

    Yields:
        Pages and errors.
    """
    if data.startswith(GZIP_MAGIC):
        if looks_like_warc(_gzip_head(data)):  # a .warc.gz: read record by record
            yield from iter_warc(io.BytesIO(data), label, options.max_bytes, path=path)
            return
        unwrapped = gunzip(data, label, options.max_bytes)
        if isinstance(unwrapped, SitroomError):
            yield unwrapped
            return
        data = unwrapped
    if looks_like_warc(data):
        yield from iter_warc(io.BytesIO(data), label, options.max_bytes, path=path)
        return
    if kind_hint == "feed" or looks_like_feed(data):
        yield from iter_feed(data, label, path=path, feed_url=url, fetched_at=fetched_at, content_type=content_type, fetch_item=fetch_item)
        return
    yield page_from_bytes(data, label, "html" if kind_hint == "html" else None, declared=declared, url=url, path=path, fetched_at=fetched_at)


def _gzip_head(data: bytes) -> bytes:
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[:4096], 64)
    except zlib.error:
        return b""


def read_stdin(stdin: BinaryIO, options: IngestOptions, url: str | None) -> Iterator[RawPage | SitroomError]:
    """The page (or feed, or WARC) on standard input, labelled ``-``.

    Args:
        stdin: a binary stream.
        options: ingest options (``max_bytes``).
        url: the page's URL (``--url``), set on a single page.

    Yields:
        Pages and errors.
    """
    try:
        data = stdin.read(options.max_bytes + 1)
    except OSError as exc:
        yield SitroomError(Code.UNREADABLE, "-", detail=str(exc))
        return
    if len(data) > options.max_bytes:
        yield SitroomError(Code.TOO_LARGE, "-", size="the input", limit=human_size(options.max_bytes))
        return
    results = list(iter_data(data, "-", options))
    if url and len(results) == 1 and isinstance(results[0], RawPage) and results[0].url is None:
        results[0].url = url
    yield from results


# --------------------------------------------------------------------------------------------
# Files and directories
# --------------------------------------------------------------------------------------------


def _read(path: str, size_limit: int | None) -> bytes | SitroomError:
    try:
        with open(path, "rb") as handle:
            return handle.read() if size_limit is None else handle.read(size_limit + 1)
    except PermissionError as exc:
        return SitroomError(Code.UNREADABLE, path, detail=exc.strerror or "permission denied")
    except OSError as exc:
        return SitroomError(Code.UNREADABLE, path, detail=exc.strerror or str(exc))


def iter_file(path: str, options: IngestOptions, url: str | None = None) -> Iterator[RawPage | SitroomError]:
    """Pages from one file, by its extension (and content, for .txt and gzip).

    Args:
        path: the file's path (used as its input label).
        options: ingest options.
        url: the page's URL (``--url``), set on a single-page file.

    Yields:
        Pages and errors.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        yield SitroomError(Code.NOT_FOUND, path)
        return
    except OSError as exc:
        yield SitroomError(Code.UNREADABLE, path, detail=exc.strerror or str(exc))
        return
    fmt, gzipped, ext = format_of(path)
    if fmt is None:
        yield SitroomError(Code.UNSUPPORTED, path, what=ext)
        return
    fetched_at = mtime_utc(st)
    if fmt == "warc":  # the size limit applies per record; never read whole
        if st.st_size == 0:
            yield SitroomError(Code.EMPTY, path)
            return
        try:
            handle = open(path, "rb")
        except OSError as exc:
            yield SitroomError(Code.UNREADABLE, path, detail=exc.strerror or str(exc))
            return
        with handle:
            yield from iter_warc(handle, path, options.max_bytes, path=path)
        return
    if stat.S_ISREG(st.st_mode) and st.st_size > options.max_bytes:
        yield SitroomError(Code.TOO_LARGE, path, size=human_size(st.st_size), limit=human_size(options.max_bytes))
        return
    if stat.S_ISREG(st.st_mode) and st.st_size == 0:
        yield SitroomError(Code.EMPTY, path)
        return
    data = _read(path, options.max_bytes)
    if isinstance(data, SitroomError):
        yield data
        return
    if len(data) > options.max_bytes:  # not a regular file (a pipe), or it grew
        yield SitroomError(Code.TOO_LARGE, path, size=f"more than {human_size(options.max_bytes)}", limit=human_size(options.max_bytes))
        return
    if gzipped or data.startswith(GZIP_MAGIC):
        unwrapped = gunzip(data, path, options.max_bytes)
        if isinstance(unwrapped, SitroomError):
            yield unwrapped
            return
        data = unwrapped
    meta: dict[str, Any] = {"path": path, "fetched_at": fetched_at}
    if fmt in ("feed", "json"):
        if not data.strip():
            yield SitroomError(Code.EMPTY, path)
            return
        what = binary_kind(data)
        if what:
            yield SitroomError(Code.BINARY, path, what=what)
            return
    if fmt == "feed":
        if not looks_like_feed(data) and looks_like_html(head_text(data)):
            yield page_from_bytes(data, path, "html", url=url, **meta)  # an XHTML page saved as .xml
            return
        yield from iter_feed(data, path, **meta)
    elif fmt == "json":
        yield from iter_json(data, path, **meta)
    else:
        yield page_from_bytes(data, path, "html" if fmt == "html" else None, url=url, **meta)


def iter_dir(root: str, options: IngestOptions) -> Iterator[RawPage | SitroomError]:
    """Pages from every supported file under a directory, recursively, in sorted path order.

    Hidden files and directories (names starting with ``.``) and files of unsupported extension
    are skipped silently.

    Args:
        root: the directory as given; file labels are ``root`` joined with the relative path.
        options: ingest options.

    Yields:
        Pages and errors (E021 for a subdirectory that cannot be listed).
    """
    found: list[tuple[tuple[str, ...], str]] = []
    problems: list[SitroomError] = []

    def on_error(exc: OSError) -> None:
        problems.append(SitroomError(Code.UNREADABLE, exc.filename or root, detail=exc.strerror or str(exc)))

    for current, dirs, files in os.walk(root, onerror=on_error):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        for name in files:
            if name.startswith(".") or format_of(name)[0] is None:
                continue
            full = os.path.join(current, name)
            found.append((Path(os.path.relpath(full, root)).parts, full))
    yield from problems
    for _, full in sorted(found):
        yield from iter_file(full, options)


# --------------------------------------------------------------------------------------------
# JSON records
# --------------------------------------------------------------------------------------------


def _load_json(text: str) -> list[Any]:
    """An object, an array, or JSON Lines, as a list of values (raises ValueError with a reason)."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as first:
        lines = [(number, line) for number, line in enumerate(text.split("\n"), start=1) if line.strip()]
        if len(lines) < 2:
            raise ValueError(f"{first.msg} at line {first.lineno} column {first.colno}") from first
        values = []
        for number, line in lines:
            try:
                values.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"line {number}: {exc.msg} at column {exc.colno}") from exc
        return values
    return value if isinstance(value, list) else [value]


def _published(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(value)
    text = value.strip()
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text).date()
    except ValueError:
        raise ValueError(value) from None


def _opt_str(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def iter_json(data: bytes, label: str, **meta: Any) -> Iterator[RawPage | SitroomError]:
    """Pages from a JSON object, an array of objects, or JSON Lines.

    Each record has ``html`` (kind html) or ``text``/``body``/``content`` (kind sniffed), plus
    optional ``url``, ``title``, ``published`` (``YYYY-MM-DD`` or an ISO datetime) and ``site``.

    Args:
        data: the file's bytes.
        label: the input's name; with more than one record, record ``N`` is ``label#N``.
        **meta: further :class:`RawPage` fields (path, fetched_at).

    Yields:
        Pages, E019 for unreadable JSON or a record without text, E011 for a bad date, E002 for
        an empty text.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = decode_bytes(data)
    try:
        records = _load_json(text)
    except ValueError as exc:
        yield SitroomError(Code.BAD_JSON, label, detail=str(exc))
        return
    for number, record in enumerate(records, start=1):
        record_label = f"{label}#{number}" if len(records) > 1 else label
        if not isinstance(record, dict):
            yield SitroomError(Code.BAD_JSON, record_label, detail=f"record {number} is not an object")
            continue
        field = next(((name, kind) for name, kind in JSON_TEXT_FIELDS if isinstance(record.get(name), str)), None)
        if field is None:
            yield SitroomError(Code.BAD_JSON, record_label, detail=f"record {number} has no 'html' or 'text' string")
            continue
        page_text = repair_text(record[field[0]])
        if not page_text.strip():
            yield SitroomError(Code.EMPTY, record_label)
            continue
        try:
            published = _published(record.get("published"))
        except ValueError:
            yield SitroomError(Code.BAD_PUBLISHED, record_label, value=record.get("published"))
            continue
        kind = field[1] or ("html" if looks_like_html(page_text) else "text")
        yield RawPage(
            input=record_label,
            text=page_text,
            kind=kind,  # type: ignore[arg-type]
            url=_opt_str(record.get("url")),
            title=_opt_str(record.get("title")),
            published=published,
            site=_opt_str(record.get("site")),
            byline=_opt_str(record.get("byline") or record.get("author")),
            **meta,
        )
