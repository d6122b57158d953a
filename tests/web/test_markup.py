"""Markup every page of both builds must keep: unique ids, sized images, robots.txt and sitemap (issue 18)."""
from __future__ import annotations

import html.parser
import re
from collections import Counter

import pytest

from .conftest import site_named


class _Tags(html.parser.HTMLParser):
    """Every id, and every <img> with its attributes, of one page."""

    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.images: list[dict] = []
        self.forms = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "img":
            self.images.append(a)
        if tag == "form":
            self.forms += 1

    handle_startendtag = handle_starttag


def _scan(path) -> _Tags:
    tags = _Tags()
    tags.feed(path.read_text(encoding="utf-8"))
    return tags


@pytest.mark.parametrize("name", ["bundled", "corpus"])
def test_every_id_on_every_page_is_unique(web_sites, name):
    site = site_named(web_sites, name)
    pages = site.pages()
    assert len(pages) > 70
    repeated = {}
    for page in pages:
        twice = sorted(i for i, n in Counter(_scan(page).ids).items() if n > 1)
        if twice:
            repeated[page.relative_to(site.folder).as_posix()] = twice
    assert repeated == {}


@pytest.mark.parametrize("name", ["bundled", "corpus"])
def test_every_image_has_its_size_and_no_page_has_a_form(web_sites, name):
    """Sized images take their space before they arrive (no layout shift); the filters are no form."""
    site = site_named(web_sites, name)
    unsized, forms = [], []
    for page in site.pages():
        tags = _scan(page)
        unsized += [f"{page.name}: {img.get('src')}" for img in tags.images
                    if not (img.get("width") and img.get("height"))]
        if tags.forms:
            forms.append(page.relative_to(site.folder).as_posix())
    assert unsized == [] and forms == []


def test_robots_and_sitemap_use_full_addresses(web_sites):
    site = web_sites["bundled"]  # built with its server's address as base URL
    robots = (site.folder / "robots.txt").read_text(encoding="utf-8")
    assert robots == f"User-agent: *\nAllow: /\nSitemap: {site.root}sitemap.xml\n"
    locs = re.findall(r"<loc>([^<]+)</loc>", (site.folder / "sitemap.xml").read_text(encoding="utf-8"))
    assert len(locs) > 70 and all(loc.startswith(site.root) for loc in locs)
