"""The outline finds what the heading pattern finds, and each body's own headings, however they are asked for."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup, escape

from playbook.render import outline

PIECES = ['<h2 id="a">', '<h3 id="b-c">', '<h2 id="x" class="k">', "</h2>", "</h3>", "<h2>", '<h4 id="d">',
          "</h4>", "<hr>", "<header>", '<h2 id="q&amp;">', "<em>", "</em>", "A &amp; B", " ", "\n", "<h", 'id="',
          '"', ">", "<"]


def _anchored(m) -> str:
    tag, ident, attrs, inner = m.groups()
    label = escape("Link to section " + outline._text(inner))
    return (f'<div class="pb-heading pb-heading--{tag}"><{tag} id="{ident}"{attrs}>{inner}</{tag}>'
            f'<a class="pb-anchor" href="#{ident}" aria-label="{label}" data-pagefind-ignore></a></div>')


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_anchors_and_headings_are_what_the_pattern_makes_of_the_text(pieces):
    text = "".join(pieces)
    want = outline._HEADING.sub(_anchored, text)
    assert outline.anchors(Markup(text)) == want  # asked alone
    body = Markup(text)
    outline.headings(body)
    assert outline.anchors(body) == want  # after the list of the same body
    assert outline.headings(text, "h3") == [(m.group(2), outline._text(m.group(4)))
                                            for m in re.finditer(outline._HEADING, text) if m.group(1) == "h3"]


def test_each_body_gets_its_own_headings():
    one, two = Markup('<h2 id="one">One</h2>'), Markup('<h2 id="two">Two</h2><h2 id="three">Three</h2>')
    assert outline.headings(one) == [("one", "One")]
    assert 'href="#two"' in outline.anchors(two) and 'href="#one"' not in outline.anchors(two)
    assert outline.headings(one) == [("one", "One")]
    assert outline.headings(Markup(str(two))) == [("two", "Two"), ("three", "Three")]


def test_text_around_the_headings_is_kept_as_it_is():
    body = Markup('<p>a</p>\n<h2 id="x">X <em>y</em></h2>\n<p>b &amp; c</p>')
    assert outline.anchors(body) == (
        '<p>a</p>\n<div class="pb-heading pb-heading--h2"><h2 id="x">X <em>y</em></h2><a class="pb-anchor" '
        'href="#x" aria-label="Link to section X y" data-pagefind-ignore></a></div>\n<p>b &amp; c</p>')
