"""The ingest stage: inputs (files, directories, standard input, URLs) to :class:`RawPage` records.

Ingest reads bytes, unwraps containers (gzip, WARC, RSS/Atom, JSON) and decodes text; it does no
parsing of the page itself. Problems with one input are yielded as :class:`SitroomError` values so
the caller can report them and go on.

Example:
    >>> from sitroom.config import load_settings
    >>> options = IngestOptions.from_settings(load_settings())
    >>> for item in iter_pages(["pages/"], options):
    ...     print(item)
"""

from __future__ import annotations

import dataclasses
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from sitroom.errors import Code, SitroomError
from sitroom.ingest.decode import decode_bytes
from sitroom.ingest.files import iter_dir, iter_file, read_stdin
from sitroom.ingest.web import address_problem, check_url, iter_url
from sitroom.model import RawPage

__all__ = ["IngestOptions", "iter_pages", "decode_bytes", "address_problem"]

MB = 1024 * 1024

_URL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


@dataclass
class IngestOptions:
    """How inputs are read.

    Attributes:
        max_bytes: the largest file, HTTP response, decompressed page or WARC record read.
        timeout_s: the connect/read timeout for URLs, in seconds.
        max_redirects: how many redirects are followed (E018 past that).
        user_agent: the ``User-Agent`` header sent.
        allow_private: fetch from loopback, private and reserved addresses too.
        url: the page's URL when a single page is read from a file or standard input (``--url``).
    """

    max_bytes: int = 20 * MB
    timeout_s: float = 20.0
    max_redirects: int = 5
    user_agent: str = "sitroom/0.1"
    allow_private: bool = False
    url: str | None = None

    @classmethod
    def from_settings(cls, settings: dict[str, Any], **overrides: Any) -> IngestOptions:
        """Options from the layered settings (``sitroom.config.load_settings()``) and flags.

        Args:
            settings: the settings dict; ``[input] max_size_mb`` and ``[fetch]`` keys are read.
            **overrides: field values that win over the settings (``None`` values are ignored).

        Returns:
            The options.

        Raises:
            TypeError: for an override that is not an :class:`IngestOptions` field.
        """
        values: dict[str, Any] = {}
        section_input = settings.get("input") or {}
        section_fetch = settings.get("fetch") or {}
        if section_input.get("max_size_mb") is not None:
            values["max_bytes"] = int(float(section_input["max_size_mb"]) * MB)
        for key, kind in (("timeout_s", float), ("max_redirects", int), ("user_agent", str), ("allow_private", bool)):
            if section_fetch.get(key) is not None:
                values[key] = kind(section_fetch[key])
        names = {f.name for f in dataclasses.fields(cls)}
        for key, value in overrides.items():
            if key not in names:
                raise TypeError(f"unknown ingest option {key!r}")
            if value is not None:
                values[key] = value
        return cls(**values)


def _one_input(item: str, options: IngestOptions, stdin: BinaryIO | None, url: str | None) -> Iterator[RawPage | SitroomError]:
    if item == "-":
        yield from read_stdin(stdin if stdin is not None else sys.stdin.buffer, options, url)
    elif _URL_LIKE.match(item):
        if not item.lower().startswith(("http://", "https://")):
            yield SitroomError(Code.BAD_URL, item, value=item)
        else:
            yield from iter_url(item, options)
    elif os.path.isdir(item):
        yield from iter_dir(item, options)
    else:
        yield from iter_file(item, options, url)


def iter_pages(inputs: Sequence[str], options: IngestOptions, stdin: BinaryIO | None = None) -> Iterator[RawPage | SitroomError]:
    """Read inputs in order, yielding pages and per-input errors.

    Args:
        inputs: file paths, directories (read recursively in sorted path order, skipping hidden
            and unsupported files), ``-`` for standard input, or http(s) URLs.
        options: how to read them. ``options.url`` is set on the page when there is a single
            input holding a single page (a file or standard input).
        stdin: the binary stream ``-`` reads (default ``sys.stdin.buffer``).

    Yields:
        One :class:`RawPage` per page (a feed item and a WARC record are pages), or a
        :class:`SitroomError` for an input or record that cannot be read. Nothing is raised for
        a problem with one input.
    """
    page_url = options.url if len(inputs) == 1 else None
    if page_url:
        try:
            check_url(page_url, page_url)
        except SitroomError as exc:
            yield exc
            page_url = None
    for item in inputs:
        try:
            yield from _one_input(item, options, stdin, page_url)
        except SitroomError as exc:
            yield exc
        except OSError as exc:
            yield SitroomError(Code.UNREADABLE, item, detail=exc.strerror or str(exc))
