"""Artifact pages in a real browser: narrow screens, the flow picture's keyboard highlight, and print."""
from __future__ import annotations

import pytest

from .conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/artifacts/", "/artifacts/change-management-plan/", "/1.8/"])
def test_no_sideways_scroll_at_320px(sites, page, path):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(sites["corpus"].url(path), wait_until="load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_focusing_a_task_in_the_flow_highlights_its_arrows(sites, page, watch):
    page.goto(sites["corpus"].url("/artifacts/"), wait_until="load")
    node = page.locator("a.pbflow-node[aria-label^='1.8 ']")
    pos = node.get_attribute("id").removeprefix("pbflow-n")
    edge = page.locator(f"path.t{pos}").first  # an arrow into 1.8
    before = edge.evaluate("e => getComputedStyle(e).strokeWidth")
    node.focus()
    after = edge.evaluate("e => getComputedStyle(e).strokeWidth")
    assert (before, after) == ("1.3px", "3px")
    screenshot(page, "corpus-artifacts-flow-focus")
    assert watch == []


def test_print_fits_the_flow_picture_to_the_page(sites, page):
    page.goto(sites["corpus"].url("/artifacts/"), wait_until="load")
    page.emulate_media(media="print")
    box = page.locator(".pb-flow svg").bounding_box()
    main = page.locator("main").bounding_box()
    assert box["width"] <= main["width"] + 1
    assert page.locator(".pb-flow__scroll").evaluate("e => getComputedStyle(e).overflow") == "visible"
