"""Every page type in a real browser: axe finds nothing, no console errors, no 404s, no sideways scroll at 320 px."""
from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import AXE_TAGS, screenshot

pytestmark = pytest.mark.browser

# One page of each type on each site, for screenshots and the narrow-screen check.
# The corpus keeps its original permalinks (/m3phase1/, /m3glossary/).
TYPES = {
    "bundled": {"/": "home", "/m3phase1/": "phase", "/1.6/": "task", "/glossary/": "glossary",
                "/performance-management/": "page", "/activities/": "activities", "/parties/provider/": "party",
                "/404.html": "not-found"},
    "corpus": {"/": "home", "/m3phase2/": "phase", "/2.1/": "task", "/m3glossary/": "glossary",
               "/activities/": "activities", "/parties/shared/": "party", "/404.html": "not-found"},
}
NARROW = [(site, path, kind) for site, pages in TYPES.items() for path, kind in pages.items()]


def every_page(served) -> list[str]:
    """Site paths of every page in sitemap.xml, plus the 404 page."""
    sitemap = (served.folder / "sitemap.xml").read_text(encoding="utf-8")
    base = served.root.split("/", 3)[3] if served.root.count("/") > 3 else ""
    paths = []
    for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap):
        path = re.sub(r"^[a-z]+://[^/]+", "", loc)
        paths.append("/" + path[len("/" + base):].lstrip("/") if base and path.startswith("/" + base) else path)
    return paths + ["/404.html"]


def sample(paths: list[str], per_kind: int = 4) -> list[str]:
    """Up to ``per_kind`` pages of each kind (key tasks, artifacts, parties, ...): pages of one kind
    come from one layout, and checking every one of ~80 pages would take minutes on two cores."""
    seen: dict[str, int] = {}
    out = []
    for path in paths:
        parts = path.strip("/").split("/")
        kind = re.sub(r"\d+", "N", parts[0]) + ("/*" if len(parts) > 1 else "")
        seen[kind] = seen.get(kind, 0) + 1
        if seen[kind] <= per_kind:
            out.append(path)
    return out


@pytest.mark.parametrize("site_name", ["bundled", "corpus"])
def test_every_page_type_passes_axe_without_errors(sites, page, watch, site_name):
    served = sites[site_name]
    paths = every_page(served)
    for path, kind in TYPES[site_name].items():
        assert path in paths, f"{site_name} has no {kind} page at {path}"
    axe = Axe()
    failures = []
    checked = list(dict.fromkeys([*TYPES[site_name], *sample(paths)]))  # the screenshot pages, then a sample
    for path in checked:
        watch.clear()
        page.goto(served.url(path), wait_until="load")
        page.wait_for_timeout(150)  # let deferred scripts and the search component settle
        if path in TYPES[site_name]:
            screenshot(page, f"{site_name}-{TYPES[site_name][path]}")
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        if results.violations_count:
            failures.append(f"{path}: {results.violations_count} axe violations\n{results.generate_report()}")
        unexpected = [w for w in watch if not (path == "/404.html" and "404" in w)]
        if unexpected:
            failures.append(f"{path}: {unexpected}")
    assert len(paths) > 10
    assert failures == [], "\n".join(failures)
    assert [e for e in served.errors if not e[1].endswith("404.html")] == [], served.errors


@pytest.mark.parametrize("site_name,path,kind", NARROW, ids=[f"{s}-{k}" for s, _, k in NARROW])
def test_no_horizontal_scroll_at_320px(sites, page, site_name, path, kind):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(sites[site_name].url(path), wait_until="load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{path} is {width}px wide at a 320px viewport"
    if site_name == "bundled" and kind in ("task", "activities", "phase"):
        screenshot(page, f"{site_name}-{kind}-320px")
