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


def test_a_body_keeps_local_images_with_alt_text_and_records_them():
    from playbook.urls import Urls

    r = TextRenderer(Urls("/m3/").rewrite)
    body = ('<p><img src="{{site.baseurl}}/assets/images/logo.svg" alt="M3 logo" height="35" onerror="x()"></p>'
            '<img src="https://tracker.example/p.png" alt="remote"><img src="//cdn.example/p.png" alt="remote too">'
            '<img src="data:image/png;base64,AA==" alt="data"><img src="javascript:alert(1)" alt="script">'
            '<img src="/assets/images/no-alt.png">\n\n![A chart](/assets/images/chart.png)\n')
    assert str(r.block(body)) == ('<p><img src="/m3/assets/images/logo.svg" alt="M3 logo" height="35"></p>\n'
                                  '<p></p>\n<p><img alt="A chart" src="/m3/assets/images/chart.png"></p>')
    assert r.links_in(body, block=True) == (
        ("img", "{{site.baseurl}}/assets/images/logo.svg", "/m3/assets/images/logo.svg"),
        ("img", "https://tracker.example/p.png", ""), ("img", "//cdn.example/p.png", ""),
        ("img", "/assets/images/no-alt.png", "/m3/assets/images/no-alt.png"),
        ("img", "/assets/images/chart.png", "/m3/assets/images/chart.png"),
        ("img-no-alt", "/m3/assets/images/no-alt.png", ""))
    assert "<img" not in str(r.inline('<img src="/assets/images/logo.svg" alt="x"> text'))  # bodies only


def test_links_in_a_text_are_what_the_sanitiser_kept():
    body = '<svg><use xlink:href="/assets/sprite.svg#x"></use></svg><a href="/1.2/">next</a>'
    assert T.links_in(body, block=True) == (("a", "/1.2/", "/base/1.2/"),)
    assert T.links_in("no links here") == ()
