"""A fast scan of the start tags of an HTML page: what the link checker needs, at regex speed.

:class:`html.parser.HTMLParser` calls back into Python for every tag and piece
of text; on a 2,800-page site that cost more than rendering. The link checker
only needs each start tag's name and attributes, so this module finds start
tags with one regular expression, skips comments and the raw text of
``<script>``/``<style>``, and reads attributes the way ``HTMLParser`` does
(same attribute pattern, names lower-cased, values unquoted and unescaped).
A test holds its output equal to ``HTMLParser``'s on every page of real builds.
"""
from __future__ import annotations

import re
from html import unescape
from typing import Iterator

# A start tag, a comment, a declaration or processing instruction, or an end
# tag of a raw-text element; quoted attribute values may contain '>'.
_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<[!?][^>]*>?"
    # attribute text as runs of plain characters between quoted values (unrolled: one step per run,
    # not per character, which made this pattern a quarter faster on real pages)
    r"|<([a-zA-Z][^\t\n\r\f />\x00]*)([^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*)>",
    re.S,
)
# HTMLParser's own attribute pattern (html.parser.attrfind_tolerant).
_ATTR = re.compile(
    r"((?<=['\"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*"
    r"('[^']*'|\"[^\"]*\"|(?!['\"])[^>\s]*))?(?:\s|/(?!>))*")
_RAW_TEXT = {"script": re.compile(r"</script\s*>|\Z", re.I), "style": re.compile(r"</style\s*>|\Z", re.I)}


def start_tags(text: str, only: re.Pattern | None = None) -> Iterator[tuple[str, list[tuple[str, str | None]]]]:
    """Every start tag as (lower-case name, [(lower-case attribute, value or None)]).

    With ``only``, tags whose attribute text does not match it are skipped
    (``<script>`` and ``<style>`` are still stepped over): most tags carry
    nothing but a class, and reading their attributes is the slow part.
    """
    pos = 0
    find = _TOKEN.search
    while True:
        m = find(text, pos)
        if m is None:
            return
        pos = m.end()
        tag = m.group(1)
        if tag is None:
            continue  # comment, doctype, processing instruction
        tag = tag.lower()
        raw = m.group(2)
        attrs = []
        if only is not None and not only.search(raw):
            pass
        elif raw and not raw.isspace():
            # the pattern looks behind for a quote, space or '/', as after the tag name
            for a in _ATTR.finditer(" " + raw):
                name, rest, value = a.group(1, 2, 3)
                if not rest:
                    value = None
                elif value[:1] == value[-1:] and value[:1] in ("'", '"'):
                    value = value[1:-1]
                if value:
                    value = unescape(value)
                attrs.append((name.lower(), value))
        if attrs or only is None:
            yield tag, attrs
        end = _RAW_TEXT.get(tag)
        if end is not None and not raw.rstrip().endswith("/"):
            pos = end.search(text, pos).end()
