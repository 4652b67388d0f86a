"""Bytes to text: charset detection, mojibake repair, and content sniffing.

Everything here is a pure function of bytes or text, so the other ingest modules (files, web,
feeds, WARC) share one notion of "what is this content" and "what does it say".
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer
import ftfy
from ftfy.badness import is_bad

# --------------------------------------------------------------------------------------------
# Binary detection
# --------------------------------------------------------------------------------------------

# Leading bytes of common non-text formats people pass by mistake, with the name shown in E003.
BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Microsoft Office document"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"\x28\xb5\x2f\xfd", "zstd archive"),
    (b"\x7fELF", "ELF executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"ID3", "MP3 audio"),
    (b"OggS", "Ogg media"),
    (b"\x1a\x45\xdf\xa3", "WebM/Matroska video"),
    (b"wOFF", "web font"),
    (b"wOF2", "web font"),
)

GZIP_MAGIC = b"\x1f\x8b"

# How much of the start is inspected when sniffing (bytes). Enough to get past a long <head> of
# scripts in the markup test and small enough to be instant on any input.
SNIFF_BYTES = 8192

# Share of control bytes (other than tab, newline, CR, form feed, ESC) in the sniffed prefix above
# which the data is called binary. Calibrated by hand: text pages, even badly encoded ones, stay
# under 0.5%; images, archives and executables sit between 10% and 40%.
MAX_CONTROL_RATIO = 0.05

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_CONTROL_BYTES = frozenset(set(range(0x00, 0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B})


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding a byte-order mark names, and the mark's length, or ``None`` without one."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """``utf-16-le``/``-be`` if NULs sit in every other byte as in BOM-less UTF-16 ASCII text."""
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.8 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.8 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def binary_kind(data: bytes) -> str | None:
    """Say whether the bytes are binary rather than text, and what they look like.

    Args:
        data: the raw bytes (only the first :data:`SNIFF_BYTES` are examined).

    Returns:
        A short description such as ``"PDF document"`` or ``"contains NUL bytes"``, or ``None``
        for text (including UTF-16/32 text, with or without a byte-order mark).
    """
    for magic, what in BINARY_MAGIC:
        if data.startswith(magic):
            return what
    if data.startswith(GZIP_MAGIC):
        return "gzip-compressed data"
    if bom_encoding(data):
        return None
    sample = data[:SNIFF_BYTES]
    if b"\x00" in sample:
        if _utf16_without_bom(sample):
            return None
        return "contains NUL bytes"
    if sample:
        controls = sum(1 for byte in sample if byte in _CONTROL_BYTES)
        if controls / len(sample) > MAX_CONTROL_RATIO:
            return f"{100 * controls / len(sample):.0f}% control characters"
    return None


# --------------------------------------------------------------------------------------------
# Content sniffing on the start of the data
# --------------------------------------------------------------------------------------------


def head_text(data: bytes, size: int = SNIFF_BYTES) -> str:
    """The start of the data as text, good enough for sniffing (never raises)."""
    sample = data[:size]
    found = bom_encoding(sample)
    encoding = found[0] if found else (_utf16_without_bom(sample) or "latin-1")
    start = found[1] if found else 0
    return sample[start:].decode(encoding, errors="replace")


_PROLOG = re.compile(r"^(?:\s+|<\?[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*", re.S | re.I)
_FEED_ROOT = re.compile(r"<(?:rss|feed|(?:[\w.-]+:)?RDF)[\s>/]", re.I)
_HTML_STRONG = re.compile(r"<!DOCTYPE\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<title>", re.I)
_HTML_TAG = re.compile(
    r"</?(?:p|div|span|a|br|hr|h[1-6]|article|section|header|footer|nav|main|ul|ol|li|table|tr|td"
    r"|img|figure|figcaption|blockquote|em|strong|b|i|script|style|link)(?:\s[^<>]*)?/?>",
    re.I,
)
# Tags (from the list above) needed in plain-looking text before it is called HTML. A news text
# quoting one "<b>" stays text; a scraped fragment of paragraphs and links has dozens.
MIN_HTML_TAGS = 3


def looks_like_feed(data: bytes) -> bool:
    """True if the document's root element is RSS (``<rss>``, RSS 1.0 ``<rdf:RDF>``) or Atom (``<feed>``)."""
    text = head_text(data, 4096)
    rest = text[_PROLOG.match(text).end():]  # type: ignore[union-attr]  # the pattern always matches
    return bool(_FEED_ROOT.match(rest))


def looks_like_warc(data: bytes) -> bool:
    """True if the (uncompressed) data starts with a WARC record header."""
    return data.lstrip(b"\r\n")[:5] == b"WARC/"


def looks_like_html(text: str, min_tags: int = MIN_HTML_TAGS) -> bool:
    """True if the text is HTML markup rather than plain text.

    Args:
        text: decoded text.
        min_tags: how many common HTML tags make plain-looking text HTML (feeds use 1: their
            summaries are either markup or not, and one ``<p>`` settles it).

    Returns:
        True when the start has a doctype or an ``<html>``/``<head>``/``<body>`` tag, or the text
        holds at least ``min_tags`` common HTML tags.
    """
    if _HTML_STRONG.search(text[:SNIFF_BYTES]):
        return True
    count = 0
    for _ in _HTML_TAG.finditer(text):
        count += 1
        if count >= min_tags:
            return True
    return False


# --------------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------------

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""", re.I)

# Legacy labels that browsers (WHATWG Encoding) read as windows-1252: its extra printable
# characters in 0x80-0x9F (curly quotes, dashes) are what such pages really contain.
_AS_CP1252 = {"latin1", "latin_1", "iso8859_1", "iso_8859_1", "l1", "cp819", "ascii", "us_ascii", "cp1252", "windows_1252"}

# charset-normalizer's chaos scores within this of its best guess count as a tie, broken in
# favour of UTF-8, then windows-1252 (the Web's most common legacy encoding). Calibrated on short
# English/French/German cp1252 samples, where it otherwise picks cp1250 ("naďve", "Săo Paulo").
CHAOS_TIE = 0.01
_PREFERRED_ON_TIE = ("utf_8", "cp1252")

_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,  # HTML source must keep its entities
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=True,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)


def _codec(label: str | None) -> str | None:
    """Python's codec name for a charset label, or ``None`` if unknown."""
    if not label:
        return None
    try:
        return codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None


def _declared_in_document(data: bytes) -> str | None:
    head = data[:SNIFF_BYTES]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def _is_ascii(data: bytes) -> bool:
    return data.isascii()


def _try(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _decode_declared(data: bytes, label: str | None) -> str | None:
    """Decode with a declared charset if that works cleanly; valid UTF-8 wins over single-byte labels."""
    codec = _codec(label)
    if codec is None:
        return None
    if codec.replace("-", "_") in {"utf_16", "utf_32", "utf_16_le", "utf_16_be", "utf_32_le", "utf_32_be"}:
        return _try(data, codec)
    if codec != "utf-8" and not _is_ascii(data):
        # Pages often declare latin-1 (or nothing matching) while being UTF-8: valid multi-byte
        # UTF-8 is practically never an accident in legacy-encoded text.
        as_utf8 = _try(data, "utf-8")
        if as_utf8 is not None:
            return as_utf8
    if codec.replace("-", "_") in _AS_CP1252:
        return _try(data, "cp1252") or _try(data, "latin-1")
    return _try(data, codec)


def _detect(data: bytes) -> str:
    """charset-normalizer's best reading, with ties broken towards UTF-8 and windows-1252."""
    results = charset_normalizer.from_bytes(data)
    best = results.best()
    if best is None:
        return _try(data, "cp1252") or data.decode("utf-8", errors="replace")
    for preferred in _PREFERRED_ON_TIE:
        for match in results:
            if match.encoding == preferred and match.chaos <= best.chaos + CHAOS_TIE:
                return str(match)
    return str(best)


def repair_text(text: str) -> str:
    """Repair mojibake only on lines that are clearly broken, and normalise newlines to ``\\n``.

    Lines that :func:`ftfy.badness.is_bad` does not flag (such as correct accented or curly-quoted
    text) are returned unchanged; flagged lines get ftfy's encoding fixes only (no quote
    uncurling, no HTML unescaping, no Unicode normalisation).

    Args:
        text: decoded text.

    Returns:
        The repaired text.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    if not is_bad(text):
        return text
    lines = text.split("\n")
    return "\n".join(ftfy.fix_text(line, _FTFY_CONFIG) if is_bad(line) else line for line in lines)


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode a page's bytes to text.

    The encoding is taken from, in order: a byte-order mark; the ``declared`` charset (an HTTP
    header); a ``<meta charset>`` or XML declaration in the document; strict UTF-8;
    charset-normalizer. A declaration is used only if it decodes cleanly. Mojibake is then repaired
    where clearly broken (:func:`repair_text`) and newlines become ``\\n``.

    Args:
        data: the raw bytes.
        declared: a charset label from outside the document (e.g. HTTP ``Content-Type``).

    Returns:
        The decoded text.
    """
    found = bom_encoding(data)
    if found:
        name, length = found
        text = data[length:].decode(name, errors="replace")
        return repair_text(text)
    text = _decode_declared(data, declared) if declared else None
    if text is None:
        text = _decode_declared(data, _declared_in_document(data))
    if text is None:
        utf16 = _utf16_without_bom(data[:SNIFF_BYTES]) if b"\x00" in data[:SNIFF_BYTES] else None
        text = _try(data, utf16) if utf16 else None
    if text is None:
        text = _try(data, "utf-8")
    if text is None:
        text = _detect(data)
    return repair_text(text)


def charset_from_content_type(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a ``Content-Type`` header value, if any."""
    if not content_type:
        return None
    match = re.search(r"charset\s*=\s*[\"']?([^\s;\"']+)", content_type, re.I)
    return match.group(1) if match else None
