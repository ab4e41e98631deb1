"""A local feed server for the sync tests: well-behaved RSS 2.0 (with ETag) and Atom
feeds, and hostile ones, on 127.0.0.1 from a thread."""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Route = Callable[[BaseHTTPRequestHandler], None]

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss version="2.0"><channel><item><title>&lol4;</title></item></channel></rss>
"""


def rss(items: list[dict[str, str]]) -> bytes:
    parts = [
        f"<item><title>{i['title']}</title><link>{i['link']}</link>"
        f'<guid isPermaLink="false">{i["guid"]}</guid>'
        f"<description>{i.get('summary', '')}</description>"
        f"<pubDate>{i['date']}</pubDate></item>"
        for i in items
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        "<title>Chuyên mục</title><link>http://127.0.0.1/</link><description>d</description>"
        + "".join(parts)
        + "</channel></rss>"
    ).encode()


def atom(entries: list[dict[str, str]]) -> bytes:
    parts = [
        f"<entry><id>{e['id']}</id><title>{e['title']}</title>"
        f'<link rel="alternate" href="{e["link"]}"/><summary>{e.get("summary", "")}</summary>'
        f"<published>{e['date']}</published><updated>{e['date']}</updated></entry>"
        for e in entries
    ]
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Trang</title><id>urn:x</id><updated>2026-03-01T00:00:00Z</updated>"
        + "".join(parts)
        + "</feed>"
    ).encode()


@dataclass
class FeedServer:
    port: int
    bodies: dict[str, bytes] = field(default_factory=dict)
    routes: dict[str, Route] = field(default_factory=dict)
    hits: list[tuple[str, int]] = field(default_factory=list)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


def _handler(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet test output
            pass

        def do_GET(self) -> None:
            if self.path in server.routes:
                server.routes[self.path](self)
                return
            body = server.bodies.get(self.path)
            if body is None:
                self.send_error(404)
                return
            # ETag support only on .xml feeds: the Atom one answers 200 every time, so the
            # push's own "unchanged" is what a re-sync meets there.
            etag = f'"{hash(body) & 0xFFFFFFFF:x}"' if self.path.endswith(".xml") else None
            if etag and self.headers.get("If-None-Match") == etag:
                server.hits.append((self.path, 304))
                self.send_response(304)
                self.end_headers()
                return
            server.hits.append((self.path, 200))
            self.send_response(200)
            self.send_header("Content-Type", "application/xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            if etag:
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

    return Handler


def huge(handler: BaseHTTPRequestHandler) -> None:
    """50 MB streamed without a Content-Length: only reading stops it."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml")
    handler.end_headers()
    chunk = b"<rss>" + b" " * 65531
    try:
        for _ in range(50 * 1024 * 1024 // len(chunk)):
            handler.wfile.write(chunk)
    except (BrokenPipeError, ConnectionResetError):
        pass


def slow(handler: BaseHTTPRequestHandler) -> None:
    time.sleep(3)
    try:
        handler.send_response(200)
        handler.end_headers()
        handler.wfile.write(b"<rss/>")
    except (BrokenPipeError, ConnectionResetError):
        pass


def redirect(to: str) -> Route:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", to)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return answer


@contextmanager
def feed_server() -> Iterator[FeedServer]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    httpd.daemon_threads = True
    state = FeedServer(port=httpd.server_address[1])
    httpd.RequestHandlerClass = _handler(state)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
