"""Fetching http(s) URLs with httpx, behind an SSRF guard.

Every hop (the URL and each redirect) is checked before any byte is sent:

1. the URL must be ``http``/``https`` with a host (E012);
2. the host is resolved once with :func:`socket.getaddrinfo`, and if *any* address is loopback,
   private, link-local, multicast, reserved, unspecified or otherwise not globally routable
   (including IPv4-mapped, 6to4 and NAT64 forms of those) the URL is refused (E009), unless
   ``allow_private`` is set;
3. the connection goes to the address that was checked: a custom httpcore network backend maps the
   (host, port) of the hop to the checked IP, and refuses any other destination, so a second DNS
   answer (DNS rebinding) is never used. The URL is unchanged, so the ``Host`` header, TLS SNI and
   certificate verification all use the original host name. Environment proxies are ignored
   (``trust_env=False``): a proxy would make its own, unchecked, DNS lookup.

Redirects are followed by hand, at most ``max_redirects`` (E018 past that); non-2xx answers are
E010; network failures and timeouts E008; bodies are streamed and abandoned past ``max_bytes``
(E005).
"""

from __future__ import annotations

import datetime as dt
import functools
import ipaddress
import socket
import ssl
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpcore
import httpx

from sitroom.errors import Code, SitroomError, human_size
from sitroom.ingest.decode import charset_from_content_type
from sitroom.ingest.files import iter_data
from sitroom.model import RawPage

if TYPE_CHECKING:
    from sitroom.ingest import IngestOptions

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

# A response must arrive in full within this many times the per-operation timeout. The timeout
# itself bounds each connect/read; this bounds a server that drips bytes just fast enough.
TOTAL_TIMEOUT_FACTOR = 3

ACCEPT = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,text/plain;q=0.9,*/*;q=0.5"

FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+xml"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
BINARY_TYPE_PREFIXES = ("image/", "audio/", "video/", "font/")
BINARY_TYPES = {"application/pdf": "PDF document", "application/zip": "ZIP archive"}

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


# --------------------------------------------------------------------------------------------
# The guard
# --------------------------------------------------------------------------------------------


def _plain_problem(ip: IPAddress) -> str | None:
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if ip.is_private:
        return "private"
    if ip.is_reserved:
        return "reserved"
    if not ip.is_global:
        return "not globally routable"
    return None


def address_problem(address: str | IPAddress) -> str | None:
    """Why an address must not be fetched from, or ``None`` if it is a public address.

    IPv6 forms that carry an IPv4 address (IPv4-mapped ``::ffff:a.b.c.d``, 6to4 ``2002::/16``,
    NAT64 ``64:ff9b::/96``) are judged by the IPv4 address they carry.

    Args:
        address: an IP address (a string may carry an IPv6 ``%scope``).

    Returns:
        A short reason such as ``"loopback"`` or ``"IPv4-mapped private"``, or ``None``.
    """
    ip = ipaddress.ip_address(address.split("%")[0] if isinstance(address, str) else address)
    if isinstance(ip, ipaddress.IPv6Address):
        carried: list[tuple[str, ipaddress.IPv4Address]] = []
        if ip.ipv4_mapped is not None:
            carried.append(("IPv4-mapped", ip.ipv4_mapped))
        if ip.sixtofour is not None:
            carried.append(("6to4", ip.sixtofour))
        if ip in _NAT64:
            carried.append(("NAT64", ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)))
        if ip.teredo is not None:
            carried.extend(("Teredo", inner) for inner in ip.teredo)
        for form, inner in carried:
            problem = _plain_problem(inner)
            if problem:
                return f"{form} {problem}"
        if ip.ipv4_mapped is not None:
            return None  # a mapped public IPv4 address is that public address
    return _plain_problem(ip)


def check_url(url: str, label: str | None = None) -> httpx.URL:
    """Parse a URL and require ``http``/``https`` with a host.

    Args:
        url: the URL.
        label: the input to name in the error (default: the URL).

    Returns:
        The parsed URL.

    Raises:
        SitroomError: E012 for anything else.
    """
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError):
        raise SitroomError(Code.BAD_URL, label or url, value=url) from None
    if parsed.scheme not in ("http", "https") or not parsed.raw_host:
        raise SitroomError(Code.BAD_URL, label or url, value=url)
    return parsed


def resolve_checked(host: str, port: int, allow_private: bool, label: str | None = None) -> str:
    """Resolve a host and return the one address to connect to, after checking them all.

    Args:
        host: the host name or IP literal (no brackets).
        port: the port.
        allow_private: accept loopback/private/reserved addresses.
        label: the input to name in errors (default: the host).

    Returns:
        The first resolved address (the connection is pinned to it).

    Raises:
        SitroomError: E008 if the name does not resolve; E009 if any address is not public and
            ``allow_private`` is false.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise SitroomError(Code.UNREACHABLE, label or host, detail=f"cannot resolve {host}: {reason}") from None
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise SitroomError(Code.UNREACHABLE, label or host, detail=f"cannot resolve {host}")
    if not allow_private:
        for address in addresses:
            problem = address_problem(address)
            if problem:
                raise SitroomError(Code.PRIVATE_ADDRESS, label or host, host=host, address=f"{address}, {problem}")
    return addresses[0]


# --------------------------------------------------------------------------------------------
# Pinned connections
# --------------------------------------------------------------------------------------------


class _PinnedBackend(httpcore.SyncBackend):
    """Connects only to pre-checked addresses: ``(host, port)`` -> IP."""

    def __init__(self, pins: dict[tuple[str, int], str]) -> None:
        self.pins = pins

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None, socket_options: Any = None) -> httpcore.NetworkStream:
        address = self.pins.get((host.lower(), port))
        if address is None:
            raise httpcore.ConnectError(f"refusing to connect to unchecked destination {host}:{port}")
        return super().connect_tcp(address, port, timeout=timeout, local_address=local_address, socket_options=socket_options)

    def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Any = None) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not used")


@functools.lru_cache(maxsize=1)
def _ssl_context() -> ssl.SSLContext:
    """The TLS context (system CA bundle via certifi, hostname checking on), built once."""
    return httpx.create_ssl_context()


class _PinnedTransport(httpx.HTTPTransport):
    """httpx's transport over a connection pool whose network backend is :class:`_PinnedBackend`."""

    def __init__(self, pins: dict[tuple[str, int], str]) -> None:
        super().__init__(trust_env=False)
        # httpx.HTTPTransport offers no network_backend argument; swap in a pool that has one.
        self._pool = httpcore.ConnectionPool(ssl_context=_ssl_context(), network_backend=_PinnedBackend(pins))


# --------------------------------------------------------------------------------------------
# Fetching
# --------------------------------------------------------------------------------------------


@dataclass
class Fetched:
    """A successful response: final URL, status, content type, body and fetch time."""

    url: str
    status: int
    content_type: str | None
    body: bytes
    fetched_at: dt.datetime


def _read_capped(response: httpx.Response, max_bytes: int, deadline: float, label: str) -> bytes:
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise SitroomError(Code.TOO_LARGE, label, size=human_size(int(length)), limit=human_size(max_bytes))
    chunks: list[bytes] = []
    total = 0
    for chunk in response.iter_bytes():
        total += len(chunk)
        if total > max_bytes:
            raise SitroomError(Code.TOO_LARGE, label, size="the response", limit=human_size(max_bytes))
        if time.monotonic() > deadline:
            raise SitroomError(Code.UNREACHABLE, label, detail="the response took too long to arrive")
        chunks.append(chunk)
    return b"".join(chunks)


def fetch(url: str, options: IngestOptions, label: str | None = None) -> Fetched:
    """GET a URL through the guard, following redirects by hand.

    Args:
        url: an http(s) URL.
        options: ingest options (timeout, size cap, redirects, user agent, allow_private).
        label: the input to name in errors (default: the URL).

    Returns:
        The response.

    Raises:
        SitroomError: E005, E008, E009, E010, E012 or E018.
    """
    label = label or url
    current = url
    deadline = time.monotonic() + options.timeout_s * TOTAL_TIMEOUT_FACTOR
    headers = {"User-Agent": options.user_agent, "Accept": ACCEPT}
    for _hop in range(options.max_redirects + 1):
        target = check_url(current, label)
        host = target.raw_host.decode("ascii").lower()
        port = target.port or (443 if target.scheme == "https" else 80)
        address = resolve_checked(host, port, options.allow_private, label)
        transport = _PinnedTransport({(host, port): address})
        try:
            with httpx.Client(transport=transport, timeout=options.timeout_s, follow_redirects=False, trust_env=False, headers=headers) as client:
                with client.stream("GET", target) as response:
                    status = response.status_code
                    location = response.headers.get("location")
                    if status in REDIRECT_STATUSES and location:
                        try:
                            current = str(target.join(location))
                        except (httpx.InvalidURL, ValueError):
                            raise SitroomError(Code.BAD_URL, label, value=location) from None
                        continue
                    if not 200 <= status < 300:
                        raise SitroomError(Code.HTTP_STATUS, label, status=status)
                    body = _read_capped(response, options.max_bytes, deadline, label)
                    return Fetched(
                        url=str(response.url),
                        status=status,
                        content_type=response.headers.get("content-type"),
                        body=body,
                        fetched_at=dt.datetime.now(dt.timezone.utc),
                    )
        except httpx.TimeoutException:
            raise SitroomError(Code.UNREACHABLE, label, detail=f"timed out after {options.timeout_s:g} s") from None
        except httpx.HTTPError as exc:
            raise SitroomError(Code.UNREACHABLE, label, detail=str(exc) or type(exc).__name__) from None
    raise SitroomError(Code.TOO_MANY_REDIRECTS, label, limit=options.max_redirects)


def iter_url(url: str, options: IngestOptions, label: str | None = None, *, fetch_items: bool = True) -> Iterator[RawPage | SitroomError]:
    """Pages from a URL: one page, or one per feed item (or WARC record) if that is what it serves.

    Args:
        url: an http(s) URL.
        options: ingest options.
        label: the input's name (default: the URL).
        fetch_items: for a feed, fetch the links of items that carry no text.

    Yields:
        Pages and errors.
    """
    label = label or url
    try:
        got = fetch(url, options, label)
    except SitroomError as exc:
        yield exc
        return
    media = (got.content_type or "").split(";")[0].strip().lower()
    if media.startswith(BINARY_TYPE_PREFIXES) or media in BINARY_TYPES:
        yield SitroomError(Code.BINARY, label, what=BINARY_TYPES.get(media, media))
        return
    hint = "feed" if media in FEED_TYPES else "html" if media in HTML_TYPES else None

    def fetch_item(link: str, item_label: str) -> Iterator[RawPage | SitroomError]:
        return iter_url(link, options, item_label, fetch_items=False)

    yield from iter_data(
        got.body,
        label,
        options,
        kind_hint=hint,
        declared=charset_from_content_type(got.content_type),
        content_type=got.content_type,
        url=got.url,
        fetched_at=got.fetched_at,
        fetch_item=fetch_item if fetch_items else None,
    )
