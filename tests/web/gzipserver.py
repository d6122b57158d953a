"""A static file server that answers as static hosts do: gzip for text, cache headers for all.

Lighthouse's figures ("served gzipped, as static hosts serve it") need a server
that compresses; Python's http.server does not. This handler compresses HTML,
CSS, JavaScript, JSON, SVG, XML and text on the fly at level 6 (what nginx's
``gzip_comp_level`` and most hosts use) when the request accepts gzip, leaves
already compressed files (woff2, png, Pagefind's index) as they are, and sends
``Cache-Control: max-age=600`` with a validator, as GitHub Pages does, so a
second page in the same browser takes what the first one fetched from cache.
Only 127.0.0.1 is listened on.
"""
from __future__ import annotations

import email.utils
import functools
import gzip
import hashlib
import http.server
import os
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".csv"}
MAX_AGE = 600


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder like a static host: gzip, ETag, Cache-Control, 404.html for missing pages."""

    protocol_version = "HTTP/1.1"  # keep-alive, as real hosts do
    compress = True

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _answer(self, body: bool) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", urlsplit(self.path).path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            path = path / "index.html"
        status = 200
        if not path.is_file():
            status, path = 404, Path(self.directory) / "404.html"
            if not path.is_file():
                self.send_error(404)
                return
        data = path.read_bytes()
        etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
        if status == 200 and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", f"max-age={MAX_AGE}")
            self.end_headers()
            return
        gzipped = (self.compress and path.suffix.lower() in COMPRESSIBLE
                   and "gzip" in self.headers.get("Accept-Encoding", ""))
        if gzipped:
            data = gzip.compress(data, compresslevel=6, mtime=0)
        self.send_response(status)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Last-Modified", email.utils.formatdate(os.stat(path).st_mtime, usegmt=True))
        self.send_header("ETag", etag)
        self.send_header("Cache-Control", f"max-age={MAX_AGE}")
        self.send_header("Vary", "Accept-Encoding")
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def translate_path(self, path: str) -> str:
        return super().translate_path(unquote(urlsplit(path).path))

    def log_message(self, format, *args) -> None:  # quiet tests
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A browser that drops a connection it no longer needs is no error worth a traceback."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve(folder: Path, compress: bool = True) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``folder`` on a free port of 127.0.0.1 in a daemon thread; (server, root address ending in '/')."""
    handler = type("Handler", (GzipHandler,), {"compress": compress})
    server = _Server(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


if __name__ == "__main__":  # python3 tests/web/gzipserver.py FOLDER [--plain]: serve by hand, for measuring
    import sys
    import time

    srv, root = serve(Path(sys.argv[1]), compress="--plain" not in sys.argv)
    print(root, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        srv.shutdown()
