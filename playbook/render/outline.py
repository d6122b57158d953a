"""Outline: the headings of a rendered page, for "On this page" lists and anchor links.

Works on HTML this program produced (layouts plus sanitised content), where
every heading worth linking to carries an ``id``. Pure string functions.

A page asks for both of a body (its list of h2 headings, then the body with
anchors), so the headings found in the last body are kept for the second
question instead of searching tens of kilobytes again.
"""
from __future__ import annotations

import html
import re
from functools import lru_cache

from markupsafe import Markup, escape

_HEADING = re.compile(r'<(h[23]) id="([^"<>]+)"([^>]*)>(.*?)</\1>', re.S)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=4096)  # the same headings recur on page after page; bounded for a long `serve`
def _text(inner: str) -> str:
    return _SPACE.sub(" ", html.unescape(_TAG.sub("", inner))).strip()


_last: tuple = (None, "", [])
"""(markup asked about, it as plain text, its headings); holding the markup keeps its id from being reused."""


def _matches(markup: str) -> tuple[str, list[re.Match]]:
    """``markup`` as plain text and its headings, kept for the next question about the same object."""
    global _last
    if _last[0] is not markup:
        text = str(markup)  # Markup's slicing is wrapped in Python; plain text's is not
        _last = (markup, text, list(_HEADING.finditer(text)))
    return _last[1], _last[2]


def headings(markup: str, level: str = "h2") -> list[tuple[str, str]]:
    """(id, text) of every heading of ``level`` that has an id, in page order."""
    return [(html.unescape(m.group(2)), _text(m.group(4))) for m in _matches(markup)[1] if m.group(1) == level]


def _anchored(m: re.Match) -> str:
    return _anchor(m.group(0))


@lru_cache(maxsize=4096)  # most headings of a key task page are on every key task page
def _anchor(heading: str) -> str:
    """One heading (all of what the pattern matched) with its '#' link beside it."""
    tag, ident, attrs, inner = _HEADING.match(heading).groups()
    label = escape("Link to section " + _text(inner))
    return (f'<div class="pb-heading pb-heading--{tag}"><{tag} id="{ident}"{attrs}>{inner}</{tag}>'
            f'<a class="pb-anchor" href="#{ident}" aria-label="{label}" data-pagefind-ignore></a></div>')


def anchors(markup: str) -> Markup:
    """Give every h2 and h3 with an id a visible '#' link to itself.

    The link sits beside the heading, not inside it, so the heading's
    accessible name stays its own text; the link's name says where it goes.
    The '#' itself comes from the stylesheet, so copied or indexed text has none.
    """
    if _last[0] is not markup:  # no list asked for this body first: one substitution is quickest
        return Markup(_HEADING.sub(_anchored, str(markup)))
    text, found = _last[1], _last[2]
    out, done = [], 0
    for m in found:
        out.append(text[done:m.start()])
        out.append(_anchored(m))
        done = m.end()
    out.append(text[done:])
    return Markup("".join(out))
