"""`playbook serve`: pages carry the live-reload script, saves reach the browser as events, errors as an overlay."""
from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from playbook.serve import server as serve
from playbook.diagnostics import Diagnostic

from conftest import ROOT, task


def test_overlay_escapes_and_names_file_and_line():
    d = Diagnostic("content/phase1/1.3.md", 6, "name", "bad <script>alert(1)</script> value", "fix it")
    markup = serve.overlay_html([d])
    assert "<script>" not in markup
    assert ("<li><code>content/phase1/1.3.md:6</code> name: bad &lt;script&gt;alert(1)&lt;/script&gt; "
            "value; fix it</li>") in markup
    assert "Build failed: 1 error</h2>" in markup


def test_inject_adds_script_before_body_end():
    assert serve.inject(b"<html><body><p>x</p></body></html>") == \
        b'<html><body><p>x</p><script src="/__playbook/live.js" defer></script></body></html>'


def read_event(resp) -> tuple[str, dict]:
    """The next named event on an event stream."""
    event = None
    while True:
        line = resp.fp.readline().decode().rstrip("\n")
        if line.startswith("event: "):
            event = line[7:]
        elif line.startswith("data: ") and event:
            return event, json.loads(line[6:])


@pytest.fixture
def server(site, tmp_path):
    site.add("phase1/1.1.md", task(1, 1))
    site.add("phase1/1.2.md", task(1, 2))
    srv = serve.Server(site.options(search=False), port=0, echo=lambda line: None, out=tmp_path / "served")
    assert srv.first_build().ok
    t = threading.Thread(target=srv.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    t.start()
    yield srv
    srv.httpd.shutdown()
    srv.close()


def get(srv, path):
    c = http.client.HTTPConnection("127.0.0.1", srv.httpd.server_address[1], timeout=10)
    c.request("GET", path)
    return c.getresponse()


def test_pages_served_with_script_and_events_follow_saves(site, server):
    page = get(server, "/1.1/").read()
    assert b'<script src="/__playbook/live.js" defer></script></body>' in page
    assert get(server, serve.SCRIPT).read().decode() == serve.LIVE_JS
    events = get(server, serve.EVENTS)
    assert events.getheader("Content-Type") == "text/event-stream"
    assert read_event(events) == ("hello", {"version": 1, "overlay": ""})

    bad = site.add("phase1/1.2.md", task(1, 2, responsibleParty="qsm0"))
    server.on_changes({str(bad)})
    event, data = read_event(events)
    assert event == "errors"
    assert "1.2.md:6</code> responsibleParty: unknown party &#x27;qsm0&#x27;; did you mean &#x27;qsmo&#x27;?" \
        in data["overlay"]
    # a page opened while the content is broken gets the overlay on connecting
    again = get(server, serve.EVENTS)
    assert read_event(again)[1]["overlay"] == data["overlay"]

    good = site.add("phase1/1.2.md", task(1, 2, name="Fixed name"))
    server.on_changes({str(good)})
    assert read_event(events) == ("reload", {"version": 2})
    assert b"Fixed name" in get(server, "/1.2/").read()


def test_missing_page_gets_404(server):
    resp = get(server, "/no/such/page/")
    assert resp.status == 404
    assert b"/__playbook/live.js" in resp.read()


def test_watcher_rebuilds_on_save(site, server):
    stop = server.stop
    from playbook.serve.watch import watch
    seen = []

    def on_batch(paths):
        seen.append(server.on_changes(paths))

    t = threading.Thread(target=watch, args=([site.content], on_batch, stop), daemon=True)
    t.start()
    time.sleep(0.3)  # the watcher is ready once its thread runs
    site.add("phase1/1.1.md", task(1, 1, objective="Saved by an editor."))
    deadline = time.time() + 10
    while not seen and time.time() < deadline:
        time.sleep(0.02)
    stop.set()
    assert seen and seen[0].ok and "/1.1/" in seen[0].rendered
    assert b"Saved by an editor." in get(server, "/1.1/").read()


def test_stale_page_is_made_before_it_is_served(site, server, tmp_path):
    saved = site.add("phase1/1.2.md", task(1, 2, activities=[{"text": "A new step", "responsibleParty": "qsmo"}]))
    out = server.on_changes({str(saved)})
    assert out.ok and out.rendered == ["/1.2/", "/phase1/"] and out.deferred
    assert "activities/index.html" in server.dev.stale  # no background thread in this fixture
    for path, rel in [("/activities/", "activities/index.html"), ("/sitemap.xml", "sitemap.xml"),
                      ("/parties/qsmo/index.html", "parties/qsmo/index.html")]:
        body = get(server, path).read()
        assert rel not in server.dev.stale
        assert body.replace(serve.inject(b"").strip(), b"") == (server.out / rel).read_bytes()
    assert b"A new step" in get(server, "/activities/").read()


def test_background_thread_makes_every_stale_page(site, server):
    t = threading.Thread(target=server.background, daemon=True)
    t.start()
    saved = site.add("phase1/1.1.md", task(1, 1, name="Renamed"))
    assert server.on_changes({str(saved)}).deferred
    deadline = time.time() + 10
    while server.dev.stale and time.time() < deadline:
        time.sleep(0.02)
    assert server.dev.stale == {}
    assert b"Renamed" in (server.out / "1.2" / "index.html").read_bytes()  # its pager names 1.1


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl+C"])
def test_stopped_serve_removes_its_temporary_site(site, tmp_path, stop):
    site.add("phase1/1.1.md", task(1, 1))
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "playbook", "serve", str(site.content), "--port", "0"],
                            env=env, stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        while not any(line.startswith("serving ") for line in lines):
            line = proc.stderr.readline()
            assert line, "".join(lines)
            lines.append(line)
        address = re.search(r" at (http://127\.0\.0\.1:(\d+)/) ", lines[-1])
        assert address and address.group(2) != "0", lines[-1]
        with urllib.request.urlopen(address.group(1) + "1.1/", timeout=10) as resp:
            assert resp.status == 200 and b"Task 1.1" in resp.read()
        served = [p.name for p in tmp.iterdir()]
        assert len(served) == 1 and served[0].startswith("playbook-serve-")
        proc.send_signal(stop)
        rest = proc.stderr.read()
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert rest == "stopped\n"
    assert list(tmp.iterdir()) == []
