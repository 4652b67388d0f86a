"""WARC files (plain or gzip), read record by record with warcio.

Only HTML captures are pages: ``response`` records with HTTP status 200 and an HTML content type,
and ``resource`` records of type ``text/html``. warcio itself tolerates damage silently (a
truncated gzip member just ends the iteration, a short record is returned short, a corrupt block
is reported on standard error); :class:`_CheckedReader` and the record-length check below turn
those into an E007 after the pages read before the damage.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import DecompressingBufferedReader
from warcio.exceptions import ArchiveLoadFailed

from sitroom.errors import Code, SitroomError, human_size
from sitroom.ingest.decode import binary_kind, charset_from_content_type, decode_bytes
from sitroom.model import RawPage

HTML_TYPES = ("text/html", "application/xhtml+xml")


class _Damaged(Exception):
    """The archive's gzip stream is corrupt or ends early."""


class _CheckedReader(DecompressingBufferedReader):
    """warcio's reader, raising instead of printing on corrupt gzip and noticing truncation."""

    def _init_decomp(self, decomp_type: str | None) -> None:
        super()._init_decomp(decomp_type)
        self._fed = False  # has the current gzip member's decompressor been given data?

    def _decompress(self, data: bytes) -> bytes:
        if self.decompressor and data and self._fed:
            try:
                return self.decompressor.decompress(data)
            except zlib.error as exc:
                raise _Damaged(f"corrupt gzip data: {exc}") from exc
        out = super()._decompress(data)  # the first block: warcio decides gzip or not
        if self.decompressor and data:
            self._fed = True
        return out

    def _process_read(self, data: bytes) -> None:
        decompressor = self.decompressor
        if not data and decompressor is not None and self._fed and not decompressor.eof:
            raise _Damaged("the gzip stream ends in the middle of a record")
        super()._process_read(data)


class _CheckedIterator(ArchiveIterator):
    """warcio's iterator over :class:`_CheckedReader`, noticing a file that ends inside a header."""

    def __init__(self, fileobj: BinaryIO) -> None:
        super().__init__(fileobj)
        self.reader = _CheckedReader(self.fh, block_size=self.reader.block_size)

    def _consume_blanklines(self) -> tuple[bytes | None, int]:
        """warcio's version, minus the warning on standard error, and strict at the end of file.

        The line after a record should be blank; warcio skips a non-blank one (a slightly wrong
        Content-Length) and warns. A non-blank line followed by the end of the file is the start
        of a record cut off, so it is damage.
        """
        empty_size = 0
        first_line = True
        skipped = False
        while True:
            line = self.reader.readline()
            if not line:
                if skipped:
                    raise _Damaged("the file ends inside a record header")
                return None, empty_size
            stripped = line.rstrip()
            if not stripped or first_line:
                empty_size += len(line)
                if stripped:
                    skipped = True
                    self.err_count += 1
                first_line = False
                continue
            return line, empty_size

    def _next_record(self, next_line: bytes | None) -> object:
        start = self.reader.tell()
        try:
            return super()._next_record(next_line)
        except EOFError:
            # warcio ends the iteration quietly here; that is only right if nothing was read.
            if (next_line and next_line.strip()) or self.reader.tell() > start:
                raise _Damaged("the file ends inside a record header") from None
            raise


def _http_date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        stamp = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.timezone.utc)


def _wanted(record: object) -> tuple[bool, str | None]:
    """Whether a record is an HTML capture, and its content type."""
    rec_type = record.rec_type  # type: ignore[attr-defined]
    if rec_type == "response":
        http = record.http_headers  # type: ignore[attr-defined]
        if http is None or http.get_statuscode() != "200":
            return False, None
        content_type = http.get_header("Content-Type")
    elif rec_type == "resource":
        content_type = record.rec_headers.get_header("Content-Type")  # type: ignore[attr-defined]
    else:
        return False, None
    media = (content_type or "").split(";")[0].strip().lower()
    return media in HTML_TYPES, content_type


def _remaining(record: object) -> int:
    """Bytes of the record block declared but not present (after reading it to the end)."""
    raw = record.raw_stream  # type: ignore[attr-defined]
    while raw.read(65536):
        pass
    return getattr(raw, "limit", 0)


def iter_warc(stream: BinaryIO, label: str, max_bytes: int, *, path: str | None = None) -> Iterator[RawPage | SitroomError]:
    """Yield the HTML pages of a WARC file, then an E007 if the file is damaged.

    Args:
        stream: the open WARC (gzip or not; warcio detects which).
        label: the input's name; record ``N`` (1-based ordinal over all records) is ``label#N``.
        max_bytes: the size limit for one record (E005 for a larger record, which is skipped).
        path: the file's path, if any.

    Yields:
        :class:`RawPage` per HTML capture (url = WARC-Target-URI, fetched_at = WARC-Date), errors
        for unreadable records, and a final E007 if the archive is truncated or corrupt.
    """

    number = 0
    try:
        iterator = _CheckedIterator(stream)
        for record in iterator:
            number += 1
            record_label = f"{label}#{number}"
            if record.format != "warc":  # warcio also reads the older ARC format, and guesses it for junk
                raise _Damaged("not a WARC file" if number == 1 else f"record {number} is not a WARC record")
            if not (record.rec_headers.get_header("Content-Length") or "").strip().isdigit():
                raise _Damaged(f"record {number} has no valid Content-Length (the header is cut off or damaged)")
            wanted, content_type = _wanted(record)
            too_large = wanted and bool(record.length) and record.length > max_bytes
            body = record.content_stream().read(max_bytes + 1) if wanted and not too_large else b""
            missing = _remaining(record)  # every record is checked, wanted or not
            if missing > 0:
                raise _Damaged(f"record {number} is {missing} bytes shorter than its header says")
            if not wanted:
                continue
            if too_large or len(body) > max_bytes:
                size = human_size(record.length) if too_large else "the record"
                yield SitroomError(Code.TOO_LARGE, record_label, size=size, limit=human_size(max_bytes))
                continue
            what = binary_kind(body)
            if what:
                yield SitroomError(Code.BINARY, record_label, what=what)
                continue
            text = decode_bytes(body, charset_from_content_type(content_type))
            if not text.strip():
                yield SitroomError(Code.EMPTY, record_label)
                continue
            uri = (record.rec_headers.get_header("WARC-Target-URI") or "").strip().strip("<>") or None
            yield RawPage(
                input=record_label,
                text=text,
                kind="html",
                url=uri,
                path=path,
                fetched_at=_http_date(record.rec_headers.get_header("WARC-Date")),
            )
    except _Damaged as exc:
        yield SitroomError(Code.BAD_WARC, label, detail=str(exc))
    except ArchiveLoadFailed as exc:
        detail = "not a WARC file" if number == 0 else str(exc).strip().splitlines()[0]
        yield SitroomError(Code.BAD_WARC, label, detail=detail)
    except Exception as exc:  # noqa: BLE001  # warcio raises bare Exception for some damage
        yield SitroomError(Code.BAD_WARC, label, detail=f"{type(exc).__name__}: {exc}")
