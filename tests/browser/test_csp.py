"""The README's Content-Security-Policy works (issue 7, point 8).

The bundled site is built with search and served with the exact header line the
README documents; pages of every kind are opened and a search is run. Any CSP
violation (reported by the browser as a securitypolicyviolation event and as a
console error) fails the test, as does a search that finds nothing.
"""
from __future__ import annotations

import functools
import http.server
import re
import threading

import pytest
from playwright.sync_api import expect

from conftest import ROOT

from .conftest import _build

pytestmark = pytest.mark.browser

PAGES = ["/", "/m3phase1/", "/1.6/", "/glossary/", "/performance-management/", "/activities/",
         "/parties/provider/", "/artifacts/", "/404.html"]


def readme_policy() -> str:
    """The policy from the README's Security section, so the two cannot drift apart."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.findall(r"^Content-Security-Policy: (.+)$", text, re.M)
    assert len(found) == 1, "the README documents exactly one Content-Security-Policy line"
    return found[0].strip()


@pytest.fixture(scope="module")
def csp_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("csp") / "site"
    _build(ROOT / "content", folder)
    policy = readme_policy()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def end_headers(self):
            self.send_header("Content-Security-Policy", policy)
            self.send_header("X-Content-Type-Options", "nosniff")
            super().end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", folder
    server.shutdown()
    server.server_close()


def test_readme_policy_allows_the_site_and_its_search(page, csp_site):
    root, folder = csp_site
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.add_init_script("""document.addEventListener('securitypolicyviolation', e =>
        console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile))""")
    for path in PAGES:
        if not (folder / (path.strip("/") + "/index.html" if path.endswith("/") else path.lstrip("/"))).exists() \
                and path != "/":
            continue
        page.goto(root + path, wait_until="load")
        page.wait_for_timeout(100)
        assert problems == [], f"{path}: {problems}"
    page.goto(root + "/m3phase1/")
    trigger = page.locator("button[data-search-open]")
    expect(trigger).to_be_visible()
    trigger.click()
    box = page.locator("pagefind-modal dialog input[type=search], pagefind-modal dialog input").first
    box.fill("baselines")
    results = page.locator("pagefind-modal dialog pagefind-results a")
    expect(results.first).to_be_visible(timeout=10_000)
    assert problems == []


def test_policy_is_strict():
    policy = readme_policy()
    directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    assert "'wasm-unsafe-eval'" in directives["script-src"]
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"
    assert directives["style-src"] == "'self'" and "*" not in policy and "http:" not in policy
