"""The M3 repository sample in Chromium: the introduction's images load, and its pages pass axe.

Built as it is (no configuration) below a subpath, so the images that the
introduction links as ``{{site.baseurl}}/assets/images/...`` must follow the
base URL to load.
"""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import SHARED, need_shared
from .conftest import AXE_TAGS, _build, _serve, screenshot

pytestmark = pytest.mark.browser


def problems(watch) -> list[str]:
    """What went wrong on a page but the missing image (its 404 response, and the console's note of it)."""
    if any(MISSING in w for w in watch):
        watch = [w for w in watch if MISSING not in w and "Failed to load resource" not in w]
    return watch

SAMPLE = SHARED / "ussm-sample"
MISSING = "test-paths.webp"
"""The one image the sample's introduction links that its repository lacks (the build warns about it)."""


@pytest.fixture(scope="module")
def ussm(tmp_path_factory):
    need_shared(SAMPLE, "the M3 repository sample")
    folder = tmp_path_factory.mktemp("ussm") / "site"
    _build(SAMPLE / "_pages" / "m3", folder, "/m3/")
    server, served = _serve(folder, "/m3/", "ussm")
    yield served
    server.shutdown()
    server.server_close()


def test_the_introduction_images_load(ussm, page, watch):
    page.goto(ussm.url("/m3/"), wait_until="load")
    images = page.evaluate("""Array.from(document.querySelectorAll('main img')).map(
        i => [i.getAttribute('src'), i.getAttribute('alt'), i.complete && i.naturalWidth > 0])""")
    assert len(images) >= 8
    assert all(src.startswith("/m3/assets/images/") and alt for src, alt, _ok in images), images
    assert [src for src, _alt, ok in images if not ok] == [f"/m3/assets/images/{MISSING}"]
    assert problems(watch) == []
    screenshot(page, "ussm-introduction")


@pytest.mark.parametrize("path", ["/m3/", "/m3resources/", "/1.3/"])
def test_the_repository_pages_pass_axe(ussm, page, watch, path):
    page.goto(ussm.url(path), wait_until="load")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, results.generate_report()
    assert problems(watch) == []


def test_a_template_download_and_the_resources_anchor_work(ussm, page):
    page.goto(ussm.url("/1.3/"), wait_until="load")
    href = page.get_attribute("a.pb-download", "href")
    assert href == "/m3/assets/files/M3-Playbook-Governance-Plan-Template.docx"
    assert page.request.get(ussm.url(href[len("/m3"):])).body() == \
        (SAMPLE / "assets" / "files" / "M3-Playbook-Governance-Plan-Template.docx").read_bytes()
    page.goto(ussm.url("/m3/"), wait_until="load")
    page.click("text=View Templates")
    page.wait_for_url("**/m3resources/#ProgressReviewTemplates")
    assert page.evaluate("document.getElementById('ProgressReviewTemplates') !== null")
