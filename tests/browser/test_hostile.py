"""Hostile content in Chromium (issue 7, point 1): nothing runs, nothing leaves 127.0.0.1.

The site of tests/fixtures/hostile.py (an attack in every text field) is built
with search and served on 127.0.0.1. Every page is opened; the test fails on
any dialog (alert, confirm, prompt, print, beforeunload), any request to
another host, any console error or uncaught page error, and when the attacks'
text is not shown literally (template syntax unevaluated).
"""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from fixtures import hostile

from .conftest import _build, _serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hostile_served(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-browser")
    hostile.write(root / "content")
    _build(root / "content", root / "site")
    server, served = _serve(root / "site", "/", "hostile")
    yield served
    server.shutdown()
    server.server_close()


def html_pages(served) -> list[str]:
    out = []
    for f in sorted(served.folder.rglob("*.html")):
        rel = f.relative_to(served.folder).as_posix()
        out.append("/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel))
    return out


def test_hostile_site_runs_nothing_and_shows_the_text(page, hostile_served):
    dialogs: list[str] = []
    outside: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(f"{d.type}: {d.message}"), d.dismiss()))
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))

    def on_request(request):
        host = urlsplit(request.url).hostname
        if request.url.startswith(("data:", "blob:", "about:")):
            return
        if host != "127.0.0.1":
            outside.append(request.url)

    # abort anything bound elsewhere, so a leak is recorded without leaving the machine
    page.route("**/*", lambda route: route.abort() if urlsplit(route.request.url).hostname not in
               ("127.0.0.1", None) else route.continue_())
    page.on("request", on_request)

    paths = html_pages(hostile_served)
    assert len(paths) >= 8
    seen_text = []
    for path in paths:
        page.goto(hostile_served.url(path), wait_until="load")
        page.mouse.move(300, 300)  # mouseover handlers, if any survived
        page.mouse.move(5, 5)
        page.keyboard.press("Tab")
        page.wait_for_timeout(50)
        seen_text.append(page.inner_text("body"))
        assert dialogs == [], f"{path}: {dialogs}"
        assert outside == [], f"{path}: {outside}"
        assert errors == [], f"{path}: {errors}"

    # javascript: links must not exist to click; check every link the browser resolved
    page.goto(hostile_served.url("/1.1/"), wait_until="load")
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    assert hrefs and not [h for h in hrefs if h.split(":", 1)[0].lower() in ("javascript", "data", "vbscript")]

    task = page.inner_text("main")
    assert "{{ 7*7 }} marker-jinja" in task
    assert "{% include 'base.html' %} marker-jinja-include" in task
    assert hostile.JINJA_RESULT not in task.replace("7*7", "")
    everything = "\n".join(seen_text)
    assert [m for m in hostile.MARKERS if m not in everything] == []
    assert dialogs == [] and outside == [] and errors == []
