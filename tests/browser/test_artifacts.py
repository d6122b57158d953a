"""Artifact pages in a real browser: narrow screens, the flow picture's keyboard highlight, and print."""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import SiteDir, phase, task

from .conftest import AXE_TAGS, _build, _serve, screenshot

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


@pytest.fixture(scope="module")
def inferred(tmp_path_factory):
    """A small site whose inputs and outputs link through the name rules: an acronym and a version word,
    an input naming two artifacts, an output joined by its version word, an input only updated later."""
    root = tmp_path_factory.mktemp("inferred")
    s = SiteDir(root)
    s.add("phase1/_index.md", phase(1))
    s.add("phase1/1.1.md", task(1, 1, inputs=["Scope Statement"], outputs=[
        "Data Migration Plan (DMP)", "Initial Cutover Plan", "Risk Log", "Issue Log"]))
    s.add("phase1/1.2.md", task(1, 2, inputs=["Final DMP", "Risk and Issue Logs"],
                                outputs=["Cutover Plan", "Scope Statement updated in Needs Workbook"]))
    _build(s.content, root / "site")
    server, served = _serve(root / "site", "/", "inferred")
    yield served
    server.shutdown()
    server.server_close()


def test_pages_showing_inferred_links_pass_axe(inferred, page, watch):
    axe = Axe()
    failures = []
    for path in ["/1.1/", "/1.2/", "/artifacts/", "/artifacts/data-migration-plan-dmp/", "/artifacts/cutover-plan/"]:
        page.goto(inferred.url(path), wait_until="load")
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        if results.violations_count:
            failures.append(f"{path}: {results.generate_report()}")
    assert failures == [] and watch == []
    page.goto(inferred.url("/1.2/"), wait_until="load")
    assert page.get_by_text("matched as Data Migration Plan (DMP) (acronym, version word)").is_visible()
    item = page.locator("ul.pb-artifacts").first.locator(":scope > li").nth(1)
    assert item.inner_text().startswith("Risk and Issue Logs\nNames 2 artifacts:")
    screenshot(page, "inferred-task-inputs")
