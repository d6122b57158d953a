"""Bytes a phone downloads: a first visit to a key task page and a second page after it (issue 18).

Chromium, through Playwright, opens pages of the bundled and the corpus build
served gzipped (gzipserver.py: level 6, with Cache-Control: max-age=600 as
GitHub Pages sends). The bytes are Chromium's own count of what came over the
network (Network.loadingFinished's encodedDataLength: compressed bodies and
headers); what a later page takes from the cache costs nothing. Targets: at
most 150 kB for the first visit and at most 60 kB for any second page.
"""
from __future__ import annotations

import json

import pytest

from .conftest import PAGE_TYPES, RESULTS, site_named

pytestmark = pytest.mark.browser
FIRST_VISIT = 150_000
SECOND_PAGE = 60_000


class _Meter:
    """Bytes received over the network by one page, from the DevTools protocol."""

    def __init__(self, page):
        self.bytes = 0
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.cdp.on("Network.loadingFinished", self._finished)

    def _finished(self, event):
        self.bytes += int(event["encodedDataLength"])

    def take(self) -> int:
        got, self.bytes = self.bytes, 0
        return got


def _visit(page, meter, url: str) -> int:
    meter.take()
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")  # fonts and deferred scripts have arrived
    return meter.take()


@pytest.mark.parametrize("name", ["bundled", "corpus"])
def test_first_visit_and_second_pages_stay_small(web_sites, browser, name):
    site = site_named(web_sites, name)
    kinds = PAGE_TYPES[name]
    figures = {}
    # a phone-sized window, so what a phone loads (images, fonts) is what is counted
    context = browser.new_context(viewport={"width": 412, "height": 823}, device_scale_factor=1.75, is_mobile=True)
    page = context.new_page()
    meter = _Meter(page)
    figures["first visit: key task"] = _visit(page, meter, site.url(kinds["key task"]))
    for kind, path in kinds.items():
        if kind != "key task":
            figures[f"second page: {kind}"] = _visit(page, meter, site.url(path))
    context.close()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"transfer-{name}.json").write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    print(f"\n{name}: " + ", ".join(f"{k} {v / 1000:.1f} kB" for k, v in figures.items()))
    assert figures["first visit: key task"] <= FIRST_VISIT, figures
    too_big = {k: v for k, v in figures.items() if k.startswith("second") and v > SECOND_PAGE}
    assert too_big == {}, figures
