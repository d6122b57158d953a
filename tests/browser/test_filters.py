"""Filtering activities by responsible party, phase and workstream, in a real browser."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import screenshot

pytestmark = pytest.mark.browser

VISIBLE = ".pb-activity[data-party]:visible"


def _shown(page) -> int:
    return page.locator(VISIBLE).count()


def tick(page, name) -> None:
    """Click a filter's label, as a person does: USWDS draws the box and hides the input itself."""
    page.locator("[data-filter-form] label", has_text=name).first.click()


def _count_text(page) -> str:
    return page.locator("[data-filter-count]").inner_text()


def test_provider_filter_shows_only_provider_work_and_count_matches(sites, page, watch):
    served = sites["corpus"]
    page.goto(served.url("/activities/"))
    total = page.locator(".pb-activity[data-party]").count()
    expect(page.locator("[data-filter-count]")).to_have_text(f"Showing all {total} activities")
    tick(page, "Provider")
    parties = page.locator(VISIBLE).evaluate_all("els => els.map(e => e.dataset.party.split(' '))")
    assert parties and all("provider" in p for p in parties)
    shown = len(parties)
    expect(page.locator("[data-filter-count]")).to_have_text(f"Showing {shown} of {total} activities")
    screenshot(page, "corpus-activities-provider", full_page=False)
    # every activity naming the provider is shown; bare 'shared' ones are not
    in_page = page.locator(".pb-activity[data-party]").evaluate_all(
        "els => els.filter(e => e.dataset.party.split(' ').includes('provider')).length")
    assert shown == in_page < total
    # the static page for readers without JavaScript lists the same activities
    static = page.context.new_page()
    static.goto(served.url("/parties/provider/"))
    assert static.locator(".pb-activity").count() == shown
    assert "provider=" not in page.url or re.search(r"[?&]party=provider(&|$)", page.url)
    assert watch == []


def test_filtered_url_reloads_in_the_same_state(sites, page):
    served = sites["corpus"]
    page.goto(served.url("/activities/"))
    tick(page, "Provider")
    tick(page, "Phase 2")
    tick(page, "Program Management")
    assert re.search(r"\?party=provider&phase=2&workstream=programManagement$", page.url), page.url
    before, text = _shown(page), _count_text(page)
    assert before == 4 and text.startswith("Showing 4 of ")
    page.reload()
    expect(page.get_by_role("checkbox", name="Provider")).to_be_checked()
    expect(page.get_by_role("checkbox", name=re.compile(r"^Phase 2\b"))).to_be_checked()
    expect(page.get_by_role("checkbox", name="Program Management")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Customer")).not_to_be_checked()
    assert _shown(page) == before and _count_text(page) == text
    # a shared link opens in the same state in a fresh tab
    other = page.context.new_page()
    other.goto(page.url)
    assert other.locator(VISIBLE).count() == before
    workstreams = other.locator(VISIBLE).evaluate_all(
        "els => els.map(e => [e.closest('[data-phase]').dataset.phase, e.closest('[data-workstream]').dataset.workstream])")
    assert workstreams and all(w == ["2", "programManagement"] for w in workstreams)


def test_keyboard_reaches_and_operates_every_filter(sites, page):
    served = sites["bundled"]
    page.goto(served.url("/activities/"))
    wanted = set(page.locator("[data-filter-form] input").evaluate_all("els => els.map(e => e.id)"))
    assert len(wanted) >= 4 + 1 + 4
    reached, search_reached = set(), False
    for _ in range(250):
        page.keyboard.press("Tab")
        info = page.evaluate("(() => { const a = document.activeElement;"
                             " return [a.id, a.tagName, a.hasAttribute('data-search-open')]; })()")
        if info[2]:
            search_reached = True
        if info[0] in wanted:
            reached.add(info[0])
            if info[0] in ("filter-party-provider", "filter-phase-1", "filter-workstream-programmanagement"):
                page.keyboard.press("Space")
                expect(page.locator("#" + info[0])).to_be_checked()
                assert re.match(r"Showing \d+ of \d+ activities", _count_text(page))
        if reached == wanted:
            break
    assert search_reached, "Tab never reached the search button"
    assert reached == wanted, f"not reached by Tab: {wanted - reached}"
    assert page.url.endswith("?party=provider&phase=1&workstream=programManagement"), page.url
    shown = page.locator(VISIBLE).evaluate_all(
        "els => els.map(e => [e.dataset.party.split(' ').includes('provider'),"
        " e.closest('[data-workstream]').dataset.workstream])")
    assert shown and all(p and w == "programManagement" for p, w in shown)
    expect(page.locator("[data-filter-count]")).to_have_text(re.compile(rf"^Showing {len(shown)} of \d+ activities$"))
    # the clear button is reachable once a filter is on, and clears by keyboard
    clear = page.get_by_role("button", name="Clear filters")
    clear.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#filter-party-provider")).not_to_be_checked()
    assert "party=" not in page.url
    expect(page.locator("[data-filter-count]")).to_have_text(re.compile(r"^Showing all \d+ activities$"))


def test_task_page_filter_by_party(sites, page):
    page.goto(sites["bundled"].url("/1.6/?party=provider"))
    expect(page.locator("#filter-party-provider")).to_be_checked()
    shown = page.locator(VISIBLE).evaluate_all("els => els.map(e => e.dataset.party)")
    assert shown and all("provider" in p.split() for p in shown)
    expect(page.locator("[data-filter-count]")).to_have_text(f"Showing {len(shown)} of 6 activities")
    # numbering keeps each activity's place in the task
    assert page.locator(VISIBLE).first.evaluate("e => e.value") == 2


def test_without_javascript_static_pages_and_quick_view_work(sites, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    served = sites["bundled"]
    page.goto(served.url("/activities/"))
    expect(page.locator("[data-filter]")).to_be_hidden()
    page.get_by_role("link", name="Provider").click()
    assert page.url.endswith("/parties/provider/")
    assert page.locator(".pb-activity").count() > 0
    parties = page.locator(".pb-activity").evaluate_all("els => els.map(e => e.dataset.party)")
    assert all("provider" in p.split() for p in parties)
    page.goto(served.url("/m3phase1/"))
    first = page.locator("details.pb-quick").first
    expect(first.locator(".pb-quick__body")).to_be_hidden()
    first.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(first.locator(".pb-quick__body")).to_be_visible()
    expect(first.get_by_role("link", name=re.compile(r"^Open 1\.1 "))).to_be_visible()
    # search shows a pointer to pages that need no script, and no button that would do nothing
    expect(page.locator(".pb-search__noscript")).to_be_visible()
    expect(page.locator("[data-search-open]")).to_be_hidden()
    context.close()
