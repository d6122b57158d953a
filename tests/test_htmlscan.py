"""The fast start-tag scan sees exactly the tags and attributes html.parser sees."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from playbook.publish import htmlscan
from playbook import pipeline

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
    from playbook.publish import linkcheck

    res = pipeline.build(pipeline.Options(content=ROOT / "content", output=tmp_path / "site", search=False))
    assert res.ok()
    for p in sorted((tmp_path / "site").rglob("*.html")):
        text = p.read_text(encoding="utf-8")
        slow = _Links()
        slow.feed(text)
        slow.close()
        assert linkcheck.parse_page(text) == slow.page, p


class _Links(HTMLParser):
    """What the link checker takes from each tag, as html.parser reads the tags."""

    def __init__(self):
        from playbook.publish import linkcheck

        super().__init__(convert_charrefs=True)
        self.page = linkcheck.Page()
        self.take = linkcheck._take

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is not None:
                self.take(tag, name, value, self.page.links.append, self.page.anchors.add)

    handle_startendtag = handle_starttag


# --- the link check's reading of pages this generator wrote ---------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from playbook.publish import linkcheck  # noqa: E402


def _same_reading(text: str) -> None:
    fast, general = linkcheck.parse_built_page(text), linkcheck.parse_page(text)
    assert (fast.links, fast.anchors) == (general.links, general.anchors)


def _read_directly(text: str) -> bool:
    """Whether :func:`linkcheck.parse_built_page` reads ``text`` without the general reading."""
    try:
        list(map(linkcheck._LINES.__getitem__, text.split("\n")))
    except linkcheck._NotPlain:
        return False
    return True


LONG = "".join(f'<a href="/{i}.1/" title="{i}.1 Task (copy {i})">{i}.1</a>, ' for i in range(40))
PLAIN = [
    # pages as the layouts and nh3 write them
    '<a href="/a/" id="x">a</a><img src="/i.png" alt=""><link rel="x" href="/s.css"><a name="top"></a>',
    '<source srcset="/a.png 1x, /b.png 2x"><form action="/f"></form><object data="/o.svg"></object>',
    '<img src="/a.png" srcset="/a.png 1x,/b.png 2x, , /c.png" id="i"><a name="n" href="/h" id="j">x</a>',
    '<map name="m"><area href="/area" alt=""></map><meta name="description" content="x"><span name="no">',
    '<p>text that only looks like one: id="fake" href="/fake"</p><div id="real"></div>',
    '<a href="/a?b=1&amp;c=2" title="x &quot;y&quot;">l</a><div id="&lt;x&gt; &amp; y"></div>',
    '<a data-id="not" hreflang="en" href="/y" data-href="/not">x</a><div data="/not-object"></div>',
    '<a href="href=" rel="noopener noreferrer">the original 2.1 writes this</a>',
    '<svg viewBox="0 0 9 9"><marker id="m" refX="9" markerWidth="9"><path d="M0,0 z"/></marker>'
    '<a href="/svg-link" dataId="x" xlink:href="/no"><text x="1">t</text></a></svg>',
    '<a href="" id="">empty</a><br><br/><img src="/x.png" alt="" /><input disabled>',
    '<!DOCTYPE html>\n<html lang="en">\n<script src="/s.js"></script><a href="/after-script">a</a>\n',
    '<ul>\n  <li><a href="/1/">1</a></li>\n  <li id="two">\n</ul>\ntext id="x" on a line of its own\n',
    LONG + '<span id="after">x</span>\n' + LONG + "\n" + LONG.replace("/7.1/", "/7.1/#frag"),
]
GENERAL = [
    # a '<' or '>' in a value or in text hides where a tag starts or ends
    '<a title="a > b" href="/after-gt/">x</a><p id="p">t</p>',
    '<a title="a < b" href="/after-lt/">x</a><p>id="not"</p>',
    '<a title="<img src=" href="/real">x</a>',
    '<p>a > b <a href="/x" id="y">x</a></p>',
    # comments and raw text
    '<!-- <a href="/hidden"> --><a href="/shown">s</a>',
    '<script>var s = \'<a href="/no">\';</script><a href="/yes">y</a>',
    '<style><a href="/not-a-link"></style><div id="r"></div>',
    '<script src="/s.js">\n</script><a href="/after">a</a>',
    # a value that ends like the start of a wanted attribute
    '<a title=" id=" href="/x">x</a>',
    '<a title="x href=" id="y" href="/z">x</a>',
    # other spellings: case, quotes, spacing, a tag over two lines
    '<A HREF="/Up" ID="Mixed">x</A><IMG SRC="/i.png">',
    '<a hRef="/mixed">x</a>', '<div Id="mixed"></div>', '<svg><linearGradient id="g"/></svg>',
    '<a href=/unquoted>x</a><a name=top></a><div id=bare></div>',
    "<a href='/single' id='q'>x</a>",
    '<a  href="/two-spaces">x</a><div\tid="tab"></div>',
    '<a\nhref="/two-lines">x</a>',
    '<a href = "/spaced">x</a>',
    # cut into runs at '<a ': one run that is not plain
    LONG + "<!-- " + LONG + " -->",
]


def _short(text: str) -> str:
    return text[:60]


@pytest.mark.parametrize("text", PLAIN + GENERAL, ids=_short)
def test_fast_reading_equals_the_general_one(text):
    _same_reading(text)
    _same_reading(text)  # and again, from what it keeps of the pieces it read


@pytest.mark.parametrize("text", PLAIN, ids=_short)
def test_pages_in_the_one_spelling_are_read_directly(text):
    assert _read_directly(text)


@pytest.mark.parametrize("text", GENERAL, ids=_short)
def test_anything_else_is_read_the_general_way(text):
    assert not _read_directly(text)


def test_each_line_is_read_once(monkeypatch):
    read = []
    monkeypatch.setattr(linkcheck._LINES, "_read", lambda line: read.append(line) or linkcheck._read_line(line))
    linkcheck._LINES.clear()
    _same_reading('<a href="/a/">a</a>\n<p id="one">1</p>\n')
    _same_reading('<a href="/a/">a</a>\n<p id="two">2</p>\n')
    assert read == ['<a href="/a/">a</a>', '<p id="one">1</p>', "", '<p id="two">2</p>']


def test_a_long_line_is_read_by_its_runs_between_links():
    linkcheck._LINES.clear()
    linkcheck._RUNS.clear()
    _same_reading(LONG + '<span id="a">x</span>')
    runs = len(linkcheck._RUNS)
    assert runs == 41  # what comes before the first '<a ', and each run from one '<a ' to the next
    _same_reading(LONG + '<span id="b">y</span>')
    assert len(linkcheck._RUNS) == runs + 1  # only the last run is new


def test_a_full_table_of_pieces_starts_again(monkeypatch):
    monkeypatch.setattr(linkcheck._Readings, "LIMIT", 200)
    linkcheck._LINES.clear()
    for text in PLAIN:
        _same_reading(text)
        assert sum(map(len, linkcheck._LINES)) <= 200 + max(map(len, text.split("\n")))


PIECES = st.sampled_from([
    '<a href="/x">', '<a href="/y/#f" id="i">', "</a>", '<img src="/i.png" srcset="/a 1x, /b 2x">',
    '<div id="d">', "</div>", '<a name="n">', '<span name="s">', '<form action="/f">', '<object data="/o">',
    ' id="t"', ' href="/t"', "text", " ", "\n", "<!--", "-->", "<script>", "</script>", "<style>", "</style>",
    '<script src="/s.js">', "<", ">", '"', "'", "=", "&amp;", "&lt;", '<A HREF="/U">', "<a href=/u>",
    '<a title="', '" href="/v">', " id=", "<br/>", "<!DOCTYPE html>", "<a ",
])


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.lists(PIECES, max_size=30))
def test_fast_reading_equals_the_general_one_on_any_mix(pieces):
    _same_reading("".join(pieces))


def test_fast_reading_equals_the_general_one_on_every_built_page(tmp_path, corpus):
    for content in (ROOT / "content", corpus):
        out = tmp_path / content.name
        res = pipeline.build(pipeline.Options(content=content, output=out, search=False))
        assert res.written
        pages = sorted(out.rglob("*.html"))
        assert len(pages) > 70
        for p in pages:
            text = p.read_text(encoding="utf-8")
            _same_reading(text)
            assert _read_directly(text), p  # a layout that breaks the one spelling slows every build
