"""The print stylesheet, as Chromium applies it: content only, addresses shown, activities kept whole."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import SCREENSHOTS, screenshot

pytestmark = pytest.mark.browser


def test_print_shows_content_only_with_addresses_and_whole_activities(sites, page):
    served = sites["corpus"]
    page.goto(served.url("/1.1/"))
    page.emulate_media(media="print")
    for selector in (".pb-header", ".pb-sidenav", ".usa-breadcrumb", ".usa-footer", ".usa-banner", ".pb-toc",
                     ".pb-pager", ".pb-anchor"):
        expect(page.locator(selector).first).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    link = page.locator("main a[href^='/']").first
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert link.get_attribute("href") in after
    activity = page.locator(".pb-activity").first
    assert activity.evaluate("e => getComputedStyle(e).breakInside") == "avoid"
    # black on white, whatever colour a party tag has on screen
    tag = page.locator(".pb-party").first
    assert tag.evaluate("e => getComputedStyle(e).color") == "rgb(0, 0, 0)"
    assert page.locator("main").evaluate("e => e.getBoundingClientRect().width") > 600  # one full-width column
    screenshot(page, "corpus-task-print")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = page.pdf(path=str(SCREENSHOTS / "corpus-task-print.pdf"), format="Letter")
    assert pdf[:4] == b"%PDF"
