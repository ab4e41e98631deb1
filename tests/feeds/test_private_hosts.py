"""SSRF: a feed whose host resolves to a non-public address (loopback, private, link-local,
...) is refused before any request, redirects included, unless
NQ57_FEEDS_ALLOW_PRIVATE_HOSTS is set; and the request goes to the address that was
checked (no DNS rebinding between the check and the connect)."""

import re
import socket
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.config import get_settings
from app.feeds import fetch
from app.feeds.fetch import FeedError, FetchLimits, fetch_feed
from app.feeds.sync import sync_feeds
from tests.feeds.feed_server import FeedServer, feed_server, rss

REFUSED = re.compile(r"^error: feed host resolves to a private address (\S+); refused$")
OFF = FetchLimits(timeout_seconds=1.0, allow_private_hosts=False)
PUBLIC = "93.184.216.34"
RSS_BODY = rss(
    [
        {
            "guid": "bai-1",
            "title": "Chuyển đổi số ở Cao Bằng",
            "link": "https://caobang.gov.vn/bai-1",
            "date": "Tue, 03 Mar 2026 08:00:00 +0700",
        }
    ]
)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with feed_server() as running:
        running.bodies["/rss.xml"] = RSS_BODY
        yield running


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    get_settings.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    get_settings.cache_clear()


def _channel(client: TestClient, headers: dict[str, str], feed_url: str) -> int:
    response = client.post(
        "/api/v1/channels",
        json={
            "agency_code": "xa-bao-lam",
            "kind": "portal_section",
            "name": "Chuyên mục",
            "feed_url": feed_url,
        },
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _recording(
    answer: Callable[[httpx.Request], httpx.Response],
) -> tuple[httpx.Client, list[httpx.Request]]:
    """A client whose every request is kept (as sent: URL, headers, extensions) and
    answered by ``answer`` instead of going anywhere."""
    sent: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return answer(request)

    return httpx.Client(transport=httpx.MockTransport(handle)), sent


def _resolving(monkeypatch: pytest.MonkeyPatch, *answers: list[str]) -> list[str]:
    """Make getaddrinfo answer each call with the next list of addresses (the last one
    repeats); returns the hosts that were looked up."""
    looked_up: list[str] = []

    def getaddrinfo(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        looked_up.append(host)
        addresses = answers[min(len(looked_up), len(answers)) - 1]
        return [
            (
                socket.AF_INET6 if ":" in a else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (a, port),
            )
            for a in addresses
        ]

    monkeypatch.setattr(fetch.socket, "getaddrinfo", getaddrinfo)
    return looked_up


def test_loopback_and_localhost_feeds_are_refused_unrequested(
    client: TestClient,
    session: Session,
    admin_headers: dict[str, str],
    server: FeedServer,
    settings_env: pytest.MonkeyPatch,
) -> None:
    settings_env.delenv("NQ57_FEEDS_ALLOW_PRIVATE_HOSTS", raising=False)
    by_ip = _channel(client, admin_headers, server.url("/rss.xml"))
    by_name = _channel(client, admin_headers, server.url("/rss.xml", host="localhost"))
    # The default limits leave it to the setting, which is off by default.
    results = {o.channel_id: o.result for o in sync_feeds(session)}
    first = REFUSED.match(results[by_ip])
    assert first and first.group(1) == "127.0.0.1", results[by_ip]
    second = REFUSED.match(results[by_name])
    assert second and second.group(1) in ("127.0.0.1", "::1"), results[by_name]
    assert server.hits == []  # nothing was requested
    shown = client.get(f"/api/v1/channels/{by_ip}", headers=admin_headers).json()
    assert shown["feed_sync_result"] == results[by_ip]


def test_the_setting_lets_an_operator_read_internal_portals(
    client: TestClient,
    session: Session,
    admin_headers: dict[str, str],
    server: FeedServer,
    settings_env: pytest.MonkeyPatch,
) -> None:
    settings_env.setenv("NQ57_FEEDS_ALLOW_PRIVATE_HOSTS", "true")
    get_settings.cache_clear()
    channel = _channel(client, admin_headers, server.url("/rss.xml", host="localhost"))
    results = {o.channel_id: o.result for o in sync_feeds(session)}
    assert results[channel].startswith("ok: 1 created"), results[channel]
    assert server.hits == [("/rss.xml", 200)]


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("http://db:5432/", "172.18.0.2"),
        ("http://metadata.internal/latest/meta-data/", "169.254.169.254"),
        ("http://portal.example/rss", "10.0.0.5"),
        ("http://[::1]:8080/rss", "::1"),
        ("https://portal.example/rss", "::ffff:192.168.1.1"),
        ("http://portal.example/rss", "0.0.0.0"),
        ("http://portal.example/rss", "224.0.0.1"),
    ],
)
def test_every_non_global_address_is_refused(
    monkeypatch: pytest.MonkeyPatch, url: str, address: str
) -> None:
    _resolving(monkeypatch, [PUBLIC, address])  # one bad address among good ones is enough
    client, sent = _recording(lambda request: httpx.Response(200, content=RSS_BODY))
    with client, pytest.raises(FeedError) as caught:
        fetch_feed(client, url, limits=OFF)
    assert str(caught.value) == f"feed host resolves to a private address {address}; refused"
    assert sent == []


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://portal.example/rss", "gopher://x/"])
def test_non_http_schemes_are_refused(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    looked_up = _resolving(monkeypatch, [PUBLIC])
    client, sent = _recording(lambda request: httpx.Response(200, content=RSS_BODY))
    with client, pytest.raises(FeedError, match="only http and https feeds are read"):
        fetch_feed(client, url, limits=FetchLimits(allow_private_hosts=True))
    assert sent == [] and looked_up == []


def test_the_request_goes_to_the_checked_address(monkeypatch: pytest.MonkeyPatch) -> None:
    looked_up = _resolving(monkeypatch, [PUBLIC])
    client, sent = _recording(lambda request: httpx.Response(200, content=RSS_BODY))
    with client:
        fetched = fetch_feed(client, "https://cổng.example:8443/rss?x=1", limits=OFF)
    assert fetched.body == RSS_BODY
    assert looked_up == ["xn--cng-qmz.example"]
    (request,) = sent
    assert str(request.url) == f"https://{PUBLIC}:8443/rss?x=1"
    assert request.headers["host"] == "xn--cng-qmz.example:8443"
    assert request.extensions["sni_hostname"] == "xn--cng-qmz.example"


def test_a_redirect_to_a_private_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # The same host, looked up again for the redirect, now answers an internal address
    # (DNS rebinding): the redirect is refused before it is requested.
    looked_up = _resolving(monkeypatch, [PUBLIC], ["10.0.0.5"])
    client, sent = _recording(lambda request: httpx.Response(302, headers={"Location": "/in"}))
    with client, pytest.raises(FeedError) as caught:
        fetch_feed(client, "http://portal.example/rss", limits=OFF)
    assert str(caught.value) == "feed host resolves to a private address 10.0.0.5; refused"
    assert looked_up == ["portal.example", "portal.example"]
    assert [str(r.url) for r in sent] == [f"http://{PUBLIC}/rss"]
