"""Outline: the headings of a rendered page, for "On this page" lists and anchor links.

Works on HTML this program produced (layouts plus sanitised content), where
every heading worth linking to carries an ``id``. Pure string functions.

A page asks for both of a body (its list of h2 headings, then the body with
anchors), so the headings found in the last body are kept for the second
question; and they are found by looking for where a heading can start rather
than by running the pattern over every tag of a page of tens of kilobytes.
"""
from __future__ import annotations

import html
import re
from functools import lru_cache

from markupsafe import Markup, escape

_HEADING = re.compile(r'<(h[23]) id="([^"<>]+)"([^>]*)>(.*?)</\1>', re.S)
_STARTS = ('<h2 id="', '<h3 id="')
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=4096)  # the same headings recur on page after page; bounded for a long `serve`
def _text(inner: str) -> str:
    return _SPACE.sub(" ", html.unescape(_TAG.sub("", inner))).strip()


def _find(markup: str) -> list[re.Match]:
    """What ``_HEADING.finditer(markup)`` finds: a match can only start where '<h2 id="' or '<h3 id="' does."""
    out = []
    at = markup.find("<h")
    while at >= 0:
        m = _HEADING.match(markup, at) if markup.startswith(_STARTS, at) else None
        if m is not None:
            out.append(m)
            at = markup.find("<h", m.end())
        else:
            at = markup.find("<h", at + 1)
    return out


_last: tuple = (None, "", [])
"""(markup asked about, it as plain text, its headings); holding the markup keeps its id from being reused."""


def _matches(markup: str) -> tuple[str, list[re.Match]]:
    """``markup`` as plain text and its headings, kept for the next question about the same object."""
    global _last
    if _last[0] is not markup:
        text = str(markup)  # Markup's slicing is wrapped in Python; plain text's is not
        _last = (markup, text, _find(text))
    return _last[1], _last[2]


def headings(markup: str, level: str = "h2") -> list[tuple[str, str]]:
    """(id, text) of every heading of ``level`` that has an id, in page order."""
    return [(html.unescape(m.group(2)), _text(m.group(4))) for m in _matches(markup)[1] if m.group(1) == level]


def anchors(markup: str) -> Markup:
    """Give every h2 and h3 with an id a visible '#' link to itself.

    The link sits beside the heading, not inside it, so the heading's
    accessible name stays its own text; the link's name says where it goes.
    The '#' itself comes from the stylesheet, so copied or indexed text has none.
    """
    text, found = _matches(markup)
    out, done = [], 0
    for m in found:
        tag, ident, attrs, inner = m.groups()
        label = escape("Link to section " + _text(inner))
        out.append(text[done:m.start()])
        out.append(f'<div class="pb-heading pb-heading--{tag}"><{tag} id="{ident}"{attrs}>{inner}</{tag}>'
                   f'<a class="pb-anchor" href="#{ident}" aria-label="{label}" data-pagefind-ignore></a></div>')
        done = m.end()
    out.append(text[done:])
    return Markup("".join(out))
