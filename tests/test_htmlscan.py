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


# --- the link check's reading of pages this generator wrote ---------------------------------

from playbook import linkcheck  # noqa: E402


def _same_reading(text: str) -> None:
    fast, general = linkcheck.parse_built_page(text), linkcheck.parse_page(text)
    assert (fast.links, fast.anchors) == (general.links, general.anchors)


@pytest.mark.parametrize("text", [
    # plain pages as the layouts write them
    '<a href="/a/" id="x">a</a><img src="/i.png" alt=""><link rel="x" href="/s.css"><a name="top"></a>',
    '<source srcset="/a.png 1x, /b.png 2x"><form action="/f"></form><object data="/o.svg"></object>',
    '<p>text that only looks like one: id="fake" href="/fake"</p><div id="real"></div>',
    '<a href="/a?b=1&amp;c=2" title="x &quot;y&quot;">l</a><span name="no"></span>',
    # what forces the general reading: a '>' or '<' inside a value, comments, raw text
    '<a title="a > b" href="/after-gt/">x</a><p id="p">t</p>',
    '<a title="a < b" href="/after-lt/">x</a><p>id="not"</p>',
    '<a title="x<y" id="z">x</a>',
    '<!-- <a href="/hidden"> --><a href="/shown">s</a>',
    '<script>var s = \'<a href="/no">\';</script><a href="/yes">y</a>',
    '<style>a[id="q"]{}</style><div id="r"></div>',
    '<script src="/s.js"></script><a href="/after-script">a</a>',
])
def test_fast_reading_equals_the_general_one(text):
    _same_reading(text)


def test_fast_reading_equals_the_general_one_on_every_built_page(tmp_path):
    for content in (ROOT / "content", ROOT.parent / "shared" / "m3-corpus"):
        out = tmp_path / content.name
        res = pipeline.build(pipeline.Options(content=content, output=out, search=False))
        assert res.written
        pages = sorted(out.rglob("*.html"))
        assert len(pages) > 70
        for p in pages:
            _same_reading(p.read_text(encoding="utf-8"))
