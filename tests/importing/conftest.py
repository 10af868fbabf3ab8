"""A local web server for the import tests: the fixture pages under ``pages/`` (short invented
articles, plainly test fixtures) and the answers an import must cope with: a redirect, a PDF,
an oversized page, a slow server, an error, a page with no text."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

PAGES = Path(__file__).parent / "pages"
BIG = 300_000  # bytes; the tests that serve it set IMPORT_MAX_BYTES below it
SLOW = 3  # seconds; the tests that ask for it set IMPORT_TIMEOUT below it


def page(name):
    return PAGES.joinpath(name).read_bytes()


HTML = "text/html; charset=utf-8"
ROUTES = {
    "/world/london-talks.html": (200, HTML, lambda: page("london-talks.html")),
    "/paywalled.html": (200, HTML, lambda: page("paywalled.html")),
    "/explainers/rare-earths.html": (200, HTML, lambda: page("undated.html")),
    "/2025/06/10/rare-earths.html": (200, HTML, lambda: page("undated.html")),
    "/empty.html": (
        200,
        HTML,
        lambda: b"<html><body><nav><a href='/'>Home</a></nav></body></html>",
    ),
    "/report.pdf": (200, "application/pdf", lambda: b"%PDF-1.4\n%fixture\n"),
    "/chart.png": (200, "image/png", lambda: b"\x89PNG\r\n\x1a\nfixture"),
    "/missing.html": (404, HTML, lambda: b"<html><body><p>Not found</p></body></html>"),
    "/broken.html": (500, HTML, lambda: b"<html><body><p>Server error</p></body></html>"),
}
REDIRECTS = {
    "/old/london": "/world/london-talks.html",
    "/short/london": "/old/london",  # two hops
    "/loop": "/loop",
    "/to-ftp": "ftp://127.0.0.1/article.html",
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *args):  # quiet: the tests say what went wrong
        pass

    def do_GET(self):
        path = self.path.split("?")[0]
        if path in REDIRECTS:
            self.send_response(301)
            self.send_header("Location", REDIRECTS[path])
            self.end_headers()
            return
        if path == "/big.html":  # says its size up front
            self.send_response(200)
            self.send_header("Content-Type", HTML)
            self.send_header("Content-Length", str(BIG))
            self.end_headers()
            self._stream(BIG)
            return
        if path == "/big-unannounced.html":  # does not: the reader must stop by itself
            self.send_response(200)
            self.send_header("Content-Type", HTML)
            self.end_headers()
            self._stream(BIG)
            return
        if path == "/slow.html":
            time.sleep(SLOW)
        status, content_type, body = ROUTES.get(path, (None, None, None))
        if path == "/slow.html":
            status, content_type, body = ROUTES["/world/london-talks.html"]
        if status is None:
            status, content_type, body = ROUTES["/missing.html"]
        content = body()
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)
        except OSError:
            pass  # the importer gave up waiting (the slow page), as it should

    def _stream(self, size):
        chunk = b"<p>" + b"tariffs " * 1000 + b"</p>\n"
        try:
            self.wfile.write(b"<html><body>")
            sent = 0
            while sent < size:
                self.wfile.write(chunk)
                sent += len(chunk)
        except OSError:
            pass  # the importer hung up once it had read enough, as it should


@pytest.fixture(scope="session")
def pages_server():
    """The base address of the local test server, e.g. http://127.0.0.1:40123."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
