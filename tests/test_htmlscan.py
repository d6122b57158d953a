"""The fast start-tag scan sees exactly the tags and attributes html.parser sees."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from playbook import htmlscan, pipeline

from conftest import ROOT


class Reference(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def reference(text: str) -> list:
    p = Reference()
    p.feed(text)
    p.close()
    return p.tags


@pytest.mark.parametrize("text", [
    '<p id=a class="x y">t</p><a href="/a?b=1&amp;c=2" title=\'q "x"\'>l</a><br/><img src=/i.png alt>',
    '<!-- <a href="/hidden"> --><script>if (a < b) { x = "<a href=/no>"; }</script><a href="/yes">y</a>',
    '<!DOCTYPE html><STYLE>a>b{}</STYLE><A HREF="/Up" ID="Mixed">x</A><input disabled value="a>b">',
    '<a href="/x"\ntitle="multi\nline">x</a><source srcset="/a.png 1x, /b.png 2x"><a name=top></a>',
    '<div data-x="&lt;a href=/no&gt;" id="&quot;q"></div><script src="/s.js"></script><p>after</p>',
])
def test_same_as_html_parser(text):
    assert list(htmlscan.start_tags(text)) == reference(text)


def test_same_as_html_parser_on_every_built_page(tmp_path):
    res = pipeline.build(pipeline.Options(content=ROOT / "content", output=tmp_path / "site", search=False))
    assert res.ok()
    pages = sorted((tmp_path / "site").rglob("*.html"))
    assert len(pages) > 20
    for p in pages:
        text = p.read_text(encoding="utf-8")
        assert list(htmlscan.start_tags(text)) == reference(text), p


def test_link_checker_reads_pages_as_html_parser_does(tmp_path):
    from playbook import linkcheck

    res = pipeline.build(pipeline.Options(content=ROOT / "content", output=tmp_path / "site", search=False))
    assert res.ok()
    for p in sorted((tmp_path / "site").rglob("*.html")):
        text = p.read_text(encoding="utf-8")
        slow = linkcheck._Parser()
        slow.feed(text)
        slow.close()
        assert linkcheck.parse_page(text) == slow.page, p
