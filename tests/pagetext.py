"""Helpers to read built pages as a person would: visible text, links, ids."""
from __future__ import annotations

import re
from html.parser import HTMLParser

_SPACE = re.compile(r"\s+")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(page: str) -> str:
    """The text of a page with tags removed and white space folded."""
    p = _Text()
    p.feed(page)
    return _SPACE.sub(" ", "".join(p.parts)).strip()


def plain(text: str) -> str:
    """Content text as it should read on the page: markup removed, white space folded."""
    from playbook.render.text import TextRenderer
    return TextRenderer().plain(text)
