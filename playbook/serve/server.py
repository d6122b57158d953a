"""Development server (``playbook serve``): build, serve on 127.0.0.1, rebuild on save, reload the page.

The browser learns about rebuilds through server-sent events on
``/__playbook/events``; a small script, added to HTML pages only by this
server (never by ``build``), reloads the page after a rebuild, or shows the
diagnostics in an overlay when a save broke the content. The terminal shows
the same diagnostics. Pages are served from a temporary folder that the
rebuild (:mod:`playbook.serve.rebuild`) writes into; a background thread
renders the pages a save left stale, and a page a browser asks for is
rendered first.
"""
from __future__ import annotations

import html
import json
import queue
import tempfile
import threading
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

from playbook.diagnostics import Diagnostic
from playbook.serve.rebuild import DevBuild, Outcome
from playbook.urls import Urls

EVENTS = "/__playbook/events"
SCRIPT = "/__playbook/live.js"
HOST = "127.0.0.1"
KEEPALIVE_S = 15.0

LIVE_JS = """\
(function () {
  "use strict";
  var version = null;
  var events = new EventSource("%(events)s");
  function overlay(markup) {
    var old = document.getElementById("playbook-overlay");
    if (old) { old.remove(); }
    var box = document.createElement("div");
    box.innerHTML = markup;  // built and escaped by the server
    document.body.appendChild(box.firstElementChild);
  }
  events.addEventListener("hello", function (e) {
    var data = JSON.parse(e.data);
    if (version !== null && data.version !== version) { location.reload(); }
    version = data.version;
    if (data.overlay) { overlay(data.overlay); }
  });
  events.addEventListener("reload", function () { location.reload(); });
  events.addEventListener("errors", function (e) { overlay(JSON.parse(e.data).overlay); });
})();
""" % {"events": EVENTS}

_TAG = f'<script src="{SCRIPT}" defer></script>'.encode()


def overlay_html(diagnostics: list[Diagnostic]) -> str:
    """The error overlay: every error and warning as file:line and message, all escaped."""
    shown = [d for d in diagnostics if d.severity == "error"] or diagnostics
    items = "".join(
        f'<li><code>{html.escape(f"{d.path}:{d.line}" if d.line else d.path)}</code> '
        f'{html.escape(d.format()[len(f"{d.path}:{d.line}" if d.line else d.path) + 2:])}</li>'
        for d in shown)
    errors = sum(1 for d in diagnostics if d.severity == "error")
    return (
        '<div id="playbook-overlay" role="alertdialog" aria-modal="true" aria-labelledby="playbook-overlay-title" '
        'style="position:fixed;inset:0;z-index:99999;overflow:auto;background:rgba(27,27,27,.92);color:#fff;'
        'font:16px/1.5 system-ui,sans-serif;padding:2rem">'
        f'<h2 id="playbook-overlay-title" style="color:#fff;margin-top:0">Build failed: {errors} '
        f'error{"s" * (errors != 1)}</h2>'
        '<p>The page reloads by itself once the file is fixed.</p>'
        f'<ul style="font-family:monospace;padding-left:1.2rem">{items}</ul></div>'
    )


def inject(page: bytes) -> bytes:
    """Add the live-reload script to an HTML page (before ``</body>``, or at the end)."""
    i = page.rfind(b"</body>")
    return page[:i] + _TAG + page[i:] if i >= 0 else page + _TAG


class Hub:
    """The latest build state, and every browser waiting for the next one."""

    def __init__(self):
        self._lock = threading.Lock()
        self._clients: list[queue.Queue] = []
        self.version = 0
        self.overlay = ""

    def subscribe(self) -> queue.Queue:
        """A queue that receives (event, data) pairs, starting with the current state."""
        q: queue.Queue = queue.Queue()
        with self._lock:
            self._clients.append(q)
            q.put(("hello", {"version": self.version, "overlay": self.overlay}))
        return q

    def unsubscribe(self, q: queue.Queue) -> None:
        with self._lock:
            if q in self._clients:
                self._clients.remove(q)

    def publish(self, outcome: Outcome) -> None:
        """Tell every browser: reload after a good build, or show the errors."""
        with self._lock:
            if outcome.ok:
                self.version += 1
                self.overlay = ""
                event = ("reload", {"version": self.version})
            else:
                self.overlay = overlay_html(outcome.diagnostics)
                event = ("errors", {"overlay": self.overlay})
            for q in self._clients:
                q.put(event)


class Handler(SimpleHTTPRequestHandler):
    """Static files from the served folder, the event stream, and the live-reload script."""

    hub: Hub
    dev: DevBuild

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass  # one line per request would drown the rebuild messages

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self):  # noqa: N802 - http.server's naming
        path = self.path.split("?", 1)[0]
        if path == EVENTS:
            return self._events()
        if path == SCRIPT:
            return self._send(LIVE_JS.encode(), "text/javascript; charset=utf-8")
        # a page or file still stale after the latest save is made before it is served
        try:
            self.dev.render_stale(Urls.output_file(path))
        except ValueError:  # not a path the site could have
            pass
        fs = Path(self.translate_path(self.path))
        if fs.is_dir() and path.endswith("/"):
            fs = fs / "index.html"
        if fs.suffix == ".html" and fs.is_file():
            return self._send(inject(fs.read_bytes()), "text/html; charset=utf-8")
        if not fs.exists():
            nf = Path(self.directory) / "404.html"
            if nf.is_file():
                return self._send(inject(nf.read_bytes()), "text/html; charset=utf-8", HTTPStatus.NOT_FOUND)
        return super().do_GET()

    def _send(self, body: bytes, ctype: str, status=HTTPStatus.OK) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "keep-alive")
        self.end_headers()
        q = self.hub.subscribe()
        try:
            self.wfile.write(b"retry: 500\n\n")
            while True:
                try:
                    event, data = q.get(timeout=KEEPALIVE_S)
                    self.wfile.write(f"event: {event}\ndata: {json.dumps(data)}\n\n".encode())
                except queue.Empty:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass
        finally:
            self.hub.unsubscribe(q)


class Server:
    """One ``playbook serve`` session: the dev build, the HTTP server and the watcher."""

    def __init__(self, options, port: int = 8000, echo: Callable[[str], None] = print, out: Path | None = None):
        self.options = options
        self._tmp = None if out else tempfile.TemporaryDirectory(prefix="playbook-serve-")
        self.out = Path(out or self._tmp.name)
        self.dev = DevBuild(options, self.out)
        self.hub = Hub()
        self.echo = echo
        self.stop = threading.Event()
        self.more = threading.Event()
        """Set after a rebuild that left pages stale, for the background thread."""
        handler = type("BoundHandler", (Handler,), {"hub": self.hub, "dev": self.dev})
        try:
            self.httpd = ThreadingHTTPServer((HOST, port), partial(handler, directory=str(self.out)))
        except OSError:
            if self._tmp is not None:
                self._tmp.cleanup()
            raise
        self.httpd.daemon_threads = True
        self.last: Outcome | None = None

    @property
    def url(self) -> str:
        """The address the site answers on."""
        return f"http://{HOST}:{self.httpd.server_address[1]}/"

    def report(self, outcome: Outcome, what: str) -> None:
        """Print the diagnostics and one summary line, as ``build`` does."""
        for d in outcome.diagnostics:
            if d.severity != "info":
                self.echo(d.format())
        errors = sum(1 for d in outcome.diagnostics if d.severity == "error")
        if outcome.ok:
            n = len(outcome.rendered)
            more = f", {outcome.deferred} more pages and files next" if outcome.deferred else ""
            self.echo(f"{what}: {n} page{'s' * (n != 1)}{' (all)' if outcome.full else ''} in "
                      f"{outcome.seconds * 1000:.0f} ms{more}")
        else:
            self.echo(f"{what}: {errors} error{'s' * (errors != 1)}; the browser shows them until the file is fixed")

    def first_build(self) -> Outcome:
        """Build everything once, before serving."""
        out = self.dev.build()
        self.last = out
        self.hub.publish(out)
        self.report(out, "built")
        return out

    def on_changes(self, paths: set[str]) -> Outcome | None:
        """Rebuild for one burst of saved files and tell the browsers."""
        from playbook.serve.watch import sort_changes

        if self.stop.is_set():
            return None
        batch = sort_changes(paths, self.dev.is_content, self.options.layouts,
                             [self.options.static, Path(self.options.content) / "assets"])
        if not batch:
            return None
        came_or_went = [f for f in batch.files if not self.dev.copy_file(f)]
        if batch.content or batch.layouts or came_or_went or self.dev.site is None:
            out = self.dev.update(batch.content)
            if self.stop.is_set():  # stopped while rebuilding: nothing was written
                return None
        else:
            out = Outcome(diagnostics=self.last.diagnostics if self.last else [], ok=True)
        self.last = out
        self.hub.publish(out)
        names = ", ".join(sorted({Path(p).name for p in paths}))[:80]
        self.report(out, f"rebuilt after {names}")
        if out.deferred:
            self.more.set()
        return out

    def background(self) -> None:
        """Make the pages the saves left stale, until stopped (a browser's request may take one first)."""
        while not self.stop.is_set():
            if self.more.wait(0.2):
                self.more.clear()
                self.dev.render_stale()

    def serve_forever(self) -> None:
        """Serve and watch until interrupted."""
        from playbook.serve.watch import watch

        folders = [Path(self.options.content), Path(self.options.layouts), Path(self.options.static)]
        for work, args in ((watch, (folders, self.on_changes, self.stop)), (self.background, ())):
            threading.Thread(target=work, args=args, daemon=True).start()
        try:
            self.httpd.serve_forever(poll_interval=0.2)
        finally:
            self.close()

    def close(self) -> None:
        """Stop watching, rebuilding and serving, and remove the temporary folder."""
        self.stop.set()
        self.dev.close()  # waits for a rebuild or page under way: nothing is written after
        self.httpd.server_close()
        if self._tmp is not None:
            self._tmp.cleanup()
