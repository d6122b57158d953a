"""Search (Pagefind) and in-page navigation in a real browser, at the site root and under /m3/."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import screenshot

pytestmark = pytest.mark.browser


def _search(page, word: str):
    """Open the search dialog by keyboard and type ``word``."""
    trigger = page.locator("button[data-search-open]")
    expect(trigger).to_be_visible()
    trigger.focus()
    page.keyboard.press("Enter")
    box = page.locator("pagefind-modal dialog input[type=search], pagefind-modal dialog input").first
    expect(box).to_be_focused()
    page.keyboard.type(word)
    results = page.locator("pagefind-modal dialog pagefind-results a")
    expect(results.first).to_be_visible(timeout=10_000)
    return results


@pytest.mark.parametrize("site_name", ["bundled", "subpath"])
def test_search_finds_a_key_task_and_opens_it(sites, page, watch, site_name):
    served = sites[site_name]
    page.goto(served.url("/m3phase1/"))
    results = _search(page, "baselines")
    first = results.filter(has_text="1.6 Define Target Performance Metrics").first
    expect(first).to_be_visible()
    if site_name == "bundled":
        screenshot(page, "bundled-search", full_page=False)
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(served.url("/1.6/"))))
    expect(page.locator("h1")).to_have_text("1.6 Define Target Performance Metrics")
    assert watch == []
    assert served.errors == []


def test_search_filters_by_party(sites, page):
    served = sites["corpus"]
    page.goto(served.url("/"))
    _search(page, "plan")
    pane = page.locator("pagefind-filter-pane")
    for name in ("Party", "Phase", "Workstream", "Type"):
        expect(pane.locator("summary", has_text=name)).to_be_visible()
    before = page.locator("pagefind-modal dialog pagefind-results a").count()
    pane.locator("summary", has_text="Party").click()
    pane.get_by_role("checkbox", name=re.compile(r"^Provider")).check()
    page.wait_for_timeout(800)
    after = page.locator("pagefind-modal dialog pagefind-results a")
    assert 0 < after.count() <= before

def test_search_dialog_is_accessible(sites, page):
    from axe_playwright_python.sync_playwright import Axe

    from .conftest import AXE_TAGS
    page.goto(sites["bundled"].url("/1.6/"))
    _search(page, "metrics")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, results.generate_report()


def test_on_this_page_and_heading_anchors(sites, page):
    page.goto(sites["bundled"].url("/1.6/"))
    toc = page.get_by_role("navigation", name="On this page")
    expect(toc.get_by_role("link", name="Activities")).to_be_visible()
    anchor = page.get_by_role("link", name="Link to section Activities")
    expect(anchor).to_be_visible()
    anchor.focus()
    expect(anchor).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#activities$"))  # the jump to the fragment lands a moment later
    # headings keep their own names
    expect(page.get_by_role("heading", name="Activities", exact=True)).to_be_visible()


def test_titles_descriptions_sidenav_and_glossary_links(sites, page):
    served = sites["bundled"]
    page.goto(served.url("/1.6/"))
    assert page.title() == "1.6 Define Target Performance Metrics | M3 Playbook"
    description = page.locator('meta[name="description"]').get_attribute("content")
    assert description and description.startswith("Define the program")
    current = page.locator('.usa-sidenav a[aria-current="page"]')
    expect(current).to_have_count(1)
    expect(current).to_have_text("1.6 Define Target Performance Metrics")
    link = page.get_by_role("link", name="Program Manager", exact=True)
    href = link.get_attribute("href")
    assert href.startswith("/glossary/#")
    link.click()
    expect(page.locator(f"[id='{href.split('#')[1]}']")).to_be_in_viewport()
    titles = set()
    for path in ("/", "/m3phase1/", "/1.1/", "/activities/", "/parties/qsmo/", "/glossary/"):
        page.goto(served.url(path))
        titles.add(page.title())
        assert page.locator('meta[name="description"]').get_attribute("content")
    assert len(titles) == 6


def test_search_finds_glossary_terms_and_artifacts(sites, page):
    served = sites["bundled"]
    page.goto(served.url("/"))
    results = _search(page, "subject matter expert")
    glossary = results.filter(has_text="Glossary").first
    expect(glossary).to_be_visible()
    assert "/glossary/" in glossary.get_attribute("href")
    box = page.locator("pagefind-modal dialog input").first
    box.fill("Baseline Performance")
    artifact = page.locator("pagefind-modal dialog pagefind-results a[href*='/artifacts/']").first
    expect(artifact).to_be_visible(timeout=10_000)
