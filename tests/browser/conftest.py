"""Browser test set-up: build the bundled content and the M3 corpus once, serve them on 127.0.0.1.

Each site is built with search (Pagefind) into a session temporary folder and
served by a threaded http.server on a random port, optionally under a subpath
(/m3/) to prove the site and its search work below a base URL. Every request the
server answers with an error is recorded, so a test can fail on a 404 for any
asset, whatever the page asked for.
"""
from __future__ import annotations

import functools
import http.server
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from playbook import pipeline
from conftest import CORPUS, ROOT, need_shared

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "section508"]


@dataclass
class Served:
    """A built site and the address it is served at."""

    name: str
    folder: Path
    root: str
    """Address of the site root, ending in '/': http://127.0.0.1:PORT/ or .../m3/."""
    errors: list = field(default_factory=list)
    """(status, path) of every request answered with an error."""

    def url(self, site_path: str) -> str:
        """Full address of a site path such as '/1.6/'."""
        return self.root + site_path.lstrip("/")


class _Handler(http.server.SimpleHTTPRequestHandler):
    prefix = ""
    errors: list = []

    def translate_path(self, path: str) -> str:
        p = unquote(urlsplit(path).path)
        if self.prefix:
            if not (p + "/").startswith(self.prefix + "/"):
                return str(Path(self.directory) / ".no-such-file")
            p = p[len(self.prefix):] or "/"
        return super().translate_path(p)

    def send_error(self, code, message=None, explain=None):
        self.errors.append((code, self.path))
        super().send_error(code, message, explain)

    def log_message(self, format, *args):  # keep test output quiet
        pass


def _serve(folder: Path, prefix: str, name: str):
    handler = type("Handler", (_Handler,), {"prefix": prefix.rstrip("/"), "errors": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    served = Served(name, folder, f"http://127.0.0.1:{server.server_address[1]}{prefix.rstrip('/')}/",
                    handler.errors)
    return server, served


def _build(content: Path, out: Path, base_url: str = "/") -> None:
    result = pipeline.build(pipeline.Options(content=content, output=out, base_url=base_url, search=True))
    errors = [d.format() for d in result.diagnostics.sorted() if d.severity == "error"]
    assert result.ok(), f"build of {content} failed: {result.fatal} {errors[:5]}"


class Sites(dict):
    """The served sites by name; asking for the corpus where it is missing goes through need_shared."""

    def __missing__(self, name):
        if name == "corpus":
            need_shared(CORPUS, "the M3 corpus")
        raise KeyError(name)


@pytest.fixture(scope="session")
def sites(tmp_path_factory):
    """name -> Served: 'bundled', 'corpus', and 'subpath' (bundled under /m3/)."""
    root = tmp_path_factory.mktemp("browser-sites")
    plan = {"bundled": (ROOT / "content", "/"), "corpus": (CORPUS, "/"), "subpath": (ROOT / "content", "/m3/")}
    if not CORPUS.is_dir():  # the tests that ask for it skip or fail (Sites); the others still run
        del plan["corpus"]
    servers, out = [], Sites()
    for name, (content, base) in plan.items():
        folder = root / name
        _build(content, folder, base)
        server, served = _serve(folder, base, name)
        servers.append(server)
        out[name] = served
    yield out
    for s in servers:
        s.shutdown()
        s.server_close()


@pytest.fixture
def watch(page):
    """Collect console errors, page errors and failed responses of ``page``."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} ({r.failure})"))
    return problems


def screenshot(page, name: str, full_page: bool = True) -> Path:
    """Save a screenshot (of the whole page, or of the viewport for dialogs) as a test artifact."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
