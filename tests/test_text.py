"""Content text: inline Markdown and the originals' HTML, sanitised by an allowlist."""
import pytest

from playbook.render.text import TextRenderer

T = TextRenderer(lambda h: "/base" + h if h.startswith("/") else h)


@pytest.mark.parametrize("source,html", [
    ("plain text", "plain text"),
    ("Use **bold** here", "Use <strong>bold</strong> here"),
    ("Read [the guide](https://gsa.gov/g)", 'Read <a href="https://gsa.gov/g" rel="noopener noreferrer">the guide</a>'),
    ('<A HREF="https://ussm.gsa.gov/qsmo/">QSMOs</A> and <B>bold</B>',
     '<a href="https://ussm.gsa.gov/qsmo/" rel="noopener noreferrer">QSMOs</a> and <b>bold</b>'),
    ('<a href="/assets/files/T.docx">T</a>', '<a href="/base/assets/files/T.docx" rel="noopener noreferrer">T</a>'),
    ('x <font style="font-weight: normal;">y</font>', "x y"),
    ("a < b & c", "a &lt; b &amp; c"),
    ("snake_case_name", "snake_case_name"),
    ("{{ 7*7 }} {% include x %}", "{{ 7*7 }} {% include x %}"),
])
def test_inline(source, html):
    assert str(T.inline(source)) == html


@pytest.mark.parametrize("attack", [
    "<script>alert(1)</script>", '<img src=x onerror="alert(1)">', '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>', '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<svg onload="alert(1)"></svg>', '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<iframe src="https://evil.test"></iframe>', '<b onclick="alert(1)">x</b>',
])
def test_attacks_are_removed(attack):
    out = str(T.inline(attack)).lower()
    assert "<script" not in out and "javascript:" not in out and "onerror" not in out
    assert "onload" not in out and "onclick" not in out and "<iframe" not in out and "data:" not in out


def test_bidi_controls_are_removed():
    assert str(T.inline("abc\u202edef")) == "abcdef"


def test_block_markdown_keeps_heading_ids():
    out = str(T.block("## Why it matters\n\nText with *emphasis*.\n\n- one\n- two\n"))
    assert '<h2 id="why-it-matters">Why it matters</h2>' in out
    assert "<em>emphasis</em>" in out and "<li>one</li>" in out


def test_plain_text():
    assert T.plain('Use **bold** &amp; <A HREF="/x">link</A>') == "Use bold & link"
