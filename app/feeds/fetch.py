"""Reading a feed over HTTP, defensively: the URL is typed by an agency's key holder and
the server is someone else's, so every answer is bounded in time and size, and the sync
never requests an internal address (SSRF) unless the operator allows private hosts."""

import ipaddress
import socket
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from app.core.config import get_settings

DEFAULT_TIMEOUT_SECONDS = 20.0
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
USER_AGENT = "nq57-tracker feed sync (+https://caobang.gov.vn)"


class FeedError(Exception):
    """A feed that could not be read or understood; the message is shown on the channel."""


@dataclass(frozen=True)
class FetchLimits:
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS  # each step, and the whole read
    max_bytes: int = DEFAULT_MAX_BYTES
    # None: NQ57_FEEDS_ALLOW_PRIVATE_HOSTS decides (read when the feed is fetched).
    allow_private_hosts: bool | None = None

    def private_hosts_allowed(self) -> bool:
        if self.allow_private_hosts is None:
            return get_settings().feeds_allow_private_hosts
        return self.allow_private_hosts


@dataclass(frozen=True)
class Fetched:
    """A 200 (``body`` set) or a 304 (``body`` None), with the validators to keep."""

    body: bytes | None
    etag: str | None
    last_modified: str | None


def _check_redirect(current: str, location: str) -> str:
    # Only within the same host: a feed must not be able to send the sync to another
    # server (an internal one, say) that its URL does not name.
    target = urljoin(current, location)
    here, there = urlsplit(current), urlsplit(target)
    if there.scheme not in ("http", "https"):
        raise FeedError(f"redirect to a non-HTTP URL refused: {target[:200]}")
    if (there.hostname or "").lower() != (here.hostname or "").lower():
        raise FeedError(f"redirect to another host refused: {there.hostname}")
    if here.scheme == "https" and there.scheme == "http":
        raise FeedError("redirect from https to http refused")
    return target


def _is_global(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    # An IPv4-mapped IPv6 address (::ffff:10.0.0.5) is judged by the IPv4 one it maps.
    mapped = getattr(ip, "ipv4_mapped", None)
    return all(
        # is_global alone lets multicast (224.0.0.0/4) through.
        a.is_global and not a.is_multicast
        for a in (ip, mapped)
        if a is not None
    )


@dataclass(frozen=True)
class _Pinned:
    """One request's target: the URL with the host replaced by the address that was
    checked, and what keeps the server seeing the real host name."""

    url: httpx.URL
    host_header: str
    extensions: dict[str, Any]


def _pin(url: str, *, allow_private: bool) -> _Pinned:
    """Resolve ``url``'s host and refuse it when any address is not global (unless private
    hosts are allowed); return the request to send to the first address.

    Connecting to the checked address, not to the name again, is what closes DNS
    rebinding (a name answering a public address to the check, then 127.0.0.1 to the
    connect). The Host header keeps the name for virtual hosts, and so does TLS: httpcore's
    ``sni_hostname`` extension sends it as SNI and checks the certificate against it."""
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise FeedError(f"only http and https feeds are read, not {scheme or 'no scheme'!r}")
    try:
        parsed = httpx.URL(url)
        port = parsed.port or (443 if scheme == "https" else 80)
    except (httpx.InvalidURL, ValueError) as exc:
        raise FeedError(f"invalid feed URL: {exc}"[:500]) from exc
    host = parsed.raw_host.decode("ascii")  # IDNA-encoded; an IPv6 literal unbracketed
    if not host:
        raise FeedError("feed URL has no host")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise FeedError(f"could not resolve feed host {host[:200]}: {exc}") from exc
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise FeedError(f"could not resolve feed host {host[:200]}")
    if not allow_private:
        for address in addresses:
            if not _is_global(address):
                raise FeedError(f"feed host resolves to a private address {address}; refused")
    return _Pinned(
        url=parsed.copy_with(host=addresses[0]),
        host_header=parsed.netloc.decode("ascii"),
        extensions={"sni_hostname": host},
    )


def _read_body(response: httpx.Response, limits: FetchLimits, deadline: float) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise FeedError(f"feed larger than {limits.max_bytes} bytes ({declared} declared)")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        # Stop reading as soon as the limit is passed: never hold a hostile body.
        if size > limits.max_bytes:
            raise FeedError(f"feed larger than {limits.max_bytes} bytes")
        # httpx's timeouts bound each read; a server trickling bytes needs a total bound.
        if time.monotonic() > deadline:
            raise FeedError(f"feed took longer than {limits.timeout_seconds:g} s")
        chunks.append(chunk)
    return b"".join(chunks)


def _conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "application/rss+xml, application/atom+xml, "
        "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def fetch_feed(
    client: httpx.Client,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    limits: FetchLimits = FetchLimits(),
) -> Fetched:
    """GET ``url`` (conditional when validators are given), following redirects within
    its host only. Raises FeedError for anything but a usable 200 or a 304."""
    deadline = time.monotonic() + limits.timeout_seconds
    headers = _conditional_headers(etag, last_modified)
    allow_private = limits.private_hosts_allowed()
    current = url
    try:
        for _ in range(MAX_REDIRECTS + 1):
            # Checked before every request, the first and each redirect's: a same-host
            # redirect is a new lookup, which may answer another address.
            pinned = _pin(current, allow_private=allow_private)
            with client.stream(
                "GET",
                pinned.url,
                headers={**headers, "Host": pinned.host_header},
                extensions=pinned.extensions,
                follow_redirects=False,
                timeout=limits.timeout_seconds,
            ) as response:
                if response.is_redirect and "location" in response.headers:
                    current = _check_redirect(current, response.headers["location"])
                    continue
                if response.status_code == 304:
                    return Fetched(None, etag, last_modified)
                if response.status_code != 200:
                    raise FeedError(f"HTTP {response.status_code} from {current[:200]}")
                body = _read_body(response, limits, deadline)
                return Fetched(
                    body, response.headers.get("etag"), response.headers.get("last-modified")
                )
    except httpx.TimeoutException as exc:
        raise FeedError(
            f"timed out after {limits.timeout_seconds:g} s ({type(exc).__name__})"
        ) from exc
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise FeedError(f"could not fetch: {type(exc).__name__}: {exc}"[:500]) from exc
    raise FeedError(f"more than {MAX_REDIRECTS} redirects")
