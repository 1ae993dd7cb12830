"""Fetching pages and feeds over HTTP(S), politely and within bounds.

A batch of URLs is someone else's server load and our own time and memory,
so every request is bounded: a connect and a read timeout, an overall
deadline per URL (a server that trickles bytes forever must not stall the
batch), a maximum body size enforced while streaming (a mislabelled video or
a decompression bomb is abandoned, not buffered), a redirect limit (loops
end quickly), and a pause between two requests to the same host.  Every
failure becomes a :class:`FetchError` whose message is a one-line reason,
which the caller turns into an ``IngestProblem``: a dead link is a logged
skip, never a crash.

httpx is imported lazily: most runs read local files and never pay for it.
"""

from __future__ import annotations

import codecs
import ipaddress
import logging
import re
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ._options import IngestOptions

if TYPE_CHECKING:
    import httpx

log = logging.getLogger("tidings.ingest")

#: Media types worth downloading: pages we can extract an article from, and
#: feeds whose items we can follow.  Generic XML is accepted because many
#: servers label RSS as ``text/xml``; the body is sniffed afterwards.
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/feed+xml",
        "application/xml",
        "text/xml",
    }
)
ACCEPT_HEADER = (
    "text/html,application/xhtml+xml;q=0.9,application/rss+xml;q=0.8,"
    "application/atom+xml;q=0.8,application/xml;q=0.5,text/xml;q=0.5"
)
_META_CHARSET_RE = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I
)


class FetchError(Exception):
    """A URL could not be turned into a usable body; the message says why, in one line."""


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """A downloaded body with what is needed to interpret it."""

    url: str  # the final URL, after redirects
    media_type: str  # lower-cased, without parameters; "" when the server sent none
    charset: str | None
    body: bytes

    def text(self) -> str:
        """The body decoded as HTML would be by a browser, approximately.

        The HTTP charset wins, then a ``<meta charset>`` near the top, then a
        byte-order mark, then UTF-8; undecodable bytes become replacement
        characters rather than losing the page.
        """
        return decode_html(self.body, self.charset)


def decode_html(body: bytes, charset: str | None = None) -> str:
    """Decode an HTML or XML body, guessing the encoding as browsers do."""
    candidates: list[str] = []
    if charset:
        candidates.append(charset)
    if body.startswith(codecs.BOM_UTF8):
        candidates.insert(0, "utf-8-sig")
    elif body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates.insert(0, "utf-16")
    match = _META_CHARSET_RE.search(body[:4096])
    if match:
        candidates.append(match.group(1).decode("ascii", "replace"))
    candidates.append("utf-8")
    for name in candidates:
        try:
            codecs.lookup(name)
        except LookupError:
            continue
        try:
            return body.decode(name)
        except UnicodeDecodeError:
            continue
    return body.decode("utf-8", errors="replace")


def is_url(text: str) -> bool:
    """Whether an input names an HTTP(S) URL rather than a path."""
    return text[:8].lower().startswith(("http://", "https://"))


def _host_key(url: str) -> str:
    """``host:port`` of a URL, the unit of politeness; the URL itself if it cannot be parsed."""
    try:
        parts = urlsplit(url)
        return f"{(parts.hostname or '').lower()}:{parts.port or ''}"
    except ValueError:
        return url


class Fetcher:
    """One HTTP client for a whole ingest run, shared by pages and feed items.

    Sharing it gives connection reuse and, above all, one politeness clock
    per host across every input of the run.  Use it as a context manager, or
    call :meth:`close`.

    The overall deadline is checked whenever data arrives and each wait for
    data is bounded by the read timeout (itself capped by the deadline), so
    a URL costs at most about twice ``timeout`` plus the connect timeout.
    """

    def __init__(
        self,
        options: IngestOptions,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.options = options
        self._clock = clock
        self._sleep = sleep
        self._last_request: dict[str, float] = {}
        self._client: httpx.Client | None = None

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _get_client(self) -> httpx.Client:
        if self._client is None:
            import httpx

            opts = self.options
            self._client = httpx.Client(
                follow_redirects=False,  # followed by _fetch, which checks each address
                max_redirects=opts.max_redirects,
                timeout=httpx.Timeout(
                    connect=opts.connect_timeout,
                    read=min(opts.read_timeout, opts.timeout),
                    write=opts.read_timeout,
                    pool=opts.connect_timeout,
                ),
                headers={"User-Agent": opts.agent, "Accept": ACCEPT_HEADER},
            )
        return self._client

    def _wait_for_turn(self, url: str) -> None:
        """Sleep until ``politeness_delay`` has passed since the host's last request."""
        delay = self.options.politeness_delay
        last = self._last_request.get(_host_key(url))
        if delay > 0 and last is not None:
            remaining = last + delay - self._clock()
            if remaining > 0:
                self._sleep(remaining)

    def fetch(self, url: str) -> FetchedPage:
        """Download ``url``; raise :class:`FetchError` for anything unusable.

        Unusable means: an HTTP error status, a timeout or the overall
        deadline passed, too many redirects, a body over ``max_bytes``, a
        media type that is neither HTML nor a feed, or a network failure.
        """
        import httpx

        self._wait_for_turn(url)
        try:
            return self._fetch(url)
        except FetchError:
            raise
        except httpx.TooManyRedirects:
            raise FetchError(
                f"too many redirects (more than {self.options.max_redirects})"
            ) from None
        except httpx.TimeoutException as exc:
            raise FetchError(f"timed out ({_timeout_kind(exc)})") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"request failed: {type(exc).__name__}: {exc}") from None
        except (httpx.InvalidURL, ValueError) as exc:
            raise FetchError(f"invalid URL: {exc}") from None
        finally:
            self._last_request[_host_key(url)] = self._clock()

    def _fetch(self, url: str) -> FetchedPage:
        opts = self.options
        deadline = self._clock() + opts.timeout
        for _hop in range(opts.max_redirects + 1):
            _check_public(url, opts)
            page = self._fetch_one(url, deadline)
            if isinstance(page, FetchedPage):
                return page
            url = page  # a redirect, followed here so that every hop is checked
        raise FetchError(f"too many redirects (more than {opts.max_redirects})")

    def _fetch_one(self, url: str, deadline: float) -> FetchedPage | str:
        """The page at ``url``, or the URL it redirects to."""
        opts = self.options
        with self._get_client().stream("GET", url) as response:
            final_url = str(response.url)
            _check_peer(response, url, opts)
            if response.is_redirect and response.next_request is not None:
                return str(response.next_request.url)
            if response.status_code >= 400:
                reason = response.reason_phrase or "error"
                raise FetchError(f"HTTP {response.status_code} {reason}")
            if response.status_code >= 300:  # a redirect without a usable Location
                raise FetchError(f"HTTP {response.status_code} without a usable redirect")
            media_type, charset = _content_type(response.headers.get("content-type", ""))
            if media_type and media_type not in HTML_TYPES | FEED_TYPES:
                raise FetchError(f"not HTML or a feed (Content-Type {media_type})")
            declared = _content_length(response.headers)
            if declared is not None and declared > opts.max_bytes:
                raise FetchError(
                    f"body too large ({declared} bytes declared; limit {opts.max_bytes})"
                )
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():  # as received, so the deadline is checked
                size += len(chunk)
                if size > opts.max_bytes:
                    raise FetchError(f"body too large (over {opts.max_bytes} bytes)")
                if self._clock() > deadline:
                    raise FetchError(f"timed out (overall deadline of {opts.timeout:g} s)")
                chunks.append(chunk)
        log.debug("fetched %s (%d bytes) from %s", final_url, size, url)
        return FetchedPage(
            url=final_url, media_type=media_type, charset=charset, body=b"".join(chunks)
        )


def _is_public(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _check_public(url: str, options: IngestOptions) -> None:
    """Refuse a URL whose host resolves to a non-public address (see IngestOptions)."""
    if options.allow_private_addresses:
        return
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError as exc:
        raise FetchError(f"invalid URL: {exc}") from None
    if not host:
        raise FetchError("invalid URL: no host")
    try:
        infos = socket.getaddrinfo(host, port or 80, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise FetchError(
            f"cannot resolve {host}: {getattr(exc, 'strerror', None) or exc}"
        ) from None
    for info in infos:
        address = str(info[4][0])
        if not _is_public(address):
            raise FetchError(
                f"refused: {host} resolves to non-public address {address} "
                "(use --allow-private-addresses to fetch from it)"
            )


def _check_peer(response: Any, url: str, options: IngestOptions) -> None:
    """Refuse a response from a non-public peer (a name that changed its address
    between the check and the connection)."""
    if options.allow_private_addresses:
        return
    stream = response.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    if peer and not _is_public(str(peer[0])):
        raise FetchError(f"refused: {urlsplit(url).hostname} connected to non-public {peer[0]}")


def _content_type(value: str) -> tuple[str, str | None]:
    """Split ``text/html; charset=UTF-8`` into its media type and charset."""
    media_type, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val.strip(" \"'"):
            charset = val.strip(" \"'")
    return media_type.strip().lower(), charset


def _content_length(headers: Any) -> int | None:
    try:
        return int(headers.get("content-length", ""))
    except ValueError:
        return None


def _timeout_kind(exc: Exception) -> str:
    """Name the timeout in words a user understands."""
    import httpx

    if isinstance(exc, httpx.ConnectTimeout):
        return "connect"
    if isinstance(exc, httpx.ReadTimeout):
        return "no data received in time"
    return type(exc).__name__
