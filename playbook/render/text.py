"""Content text to safe HTML: inline Markdown and HTML, sanitised with an allowlist.

Authors write inline Markdown and HTML in any text field (the original files
use ``<A HREF>`` and ``<B>``). Text is rendered, then cleaned by nh3 with the
allowlist below, and root-relative links are moved under the base path. The
result is wrapped as :class:`markupsafe.Markup` so templates do not escape it
twice; anything not cleaned here is escaped by Jinja's autoescape.
"""
from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Callable
from urllib.parse import urlsplit

import nh3
from markupsafe import Markup

INLINE_TAGS = {"a", "abbr", "b", "br", "code", "del", "em", "i", "s", "small", "span", "strong", "sub", "sup", "u"}
BLOCK_TAGS = INLINE_TAGS | {"blockquote", "dd", "div", "dl", "dt", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol",
                            "p", "pre", "table", "tbody", "td", "th", "thead", "tr", "ul"}
BODY_TAGS = BLOCK_TAGS | {"img"}
"""A Markdown body may also show images: published with the site, with alt text (see :meth:`TextRenderer._attr`)."""
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    **{h: {"id"} for h in ("h2", "h3", "h4", "h5", "h6")},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# Text that needs no Markdown or HTML processing: the common case, kept fast.
_MARKDOWN = re.compile(r"[*`\[]|(?:^|\s)_|^\s*(?:[-+#>]|\d+[.)])\s|\n")
_HTMLISH = re.compile(r"[<>&]")
# Bidirectional overrides can make text display differently from what it is.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_TAG = re.compile(r"<[^>]*>")
# An image as nh3 writes it: attributes double-quoted, '>' in a value escaped.
_IMG = re.compile(r"<img(?: [^>]*)?>")
_SRC = re.compile(r' src="([^"]*)"')
_SPACE = re.compile(r"\s+")


# Python-Markdown slows down sharply (and can exhaust the stack) on some inputs:
# many '[' or '<', long runs of emphasis marks, deeply indented lists. Such
# text is cleaned as HTML without Markdown, which stays linear.
MAX_MARKDOWN = 50_000
MAX_TAGS = 5000
_EMPH_RUN = re.compile(r"[*_`~]{8,}")
_DEEP_INDENT = re.compile(r"^[ \t]{33,}\S", re.M)


def too_complex(text: str) -> str:
    """Why ``text`` is not run through Markdown ('' when it is fine)."""
    if len(text) > MAX_MARKDOWN:
        return f"over {MAX_MARKDOWN:,} characters"
    # the cost of each '[' and '<' grows with the length of the text after it
    if text.count("[") * len(text) > 3_000_000:
        return "too many '[' characters for its length"
    if text.count("<") * len(text) > 3_000_000:
        return "too many '<' characters for its length"
    if text.count("*") + text.count("_") > 5000 or _EMPH_RUN.search(text):
        return "too many emphasis marks"
    if _DEEP_INDENT.search(text):
        return "lines indented more than 32 spaces"
    return ""


_URL_UNSAFE = re.compile(r"[\x00-\x20\x7f\"<>\\^`{|}]")
"""Characters an address must not contain as written (WHATWG URL); each is written %XX instead."""


def _percent(m: re.Match) -> str:
    return "%" + format(ord(m.group()), "02X")


def strip_bidi(text: str) -> str:
    """Remove bidirectional control characters."""
    return _BIDI.sub("", text)


class TextRenderer:
    """Renders content text for one build (its link rewriting depends on the base path)."""

    def __init__(self, rewrite: Callable[[str], str] = lambda h: h):
        self._rewrite = rewrite
        self._found: list | None = None
        self._refs: dict[tuple[bool, str], tuple] = {}
        self._md = None
        self.inline = lru_cache(maxsize=None)(lambda text: self._collecting(False, text, self._inline))
        self.block = lru_cache(maxsize=None)(lambda text: self._collecting(True, text, self._block))
        self.plain = lru_cache(maxsize=None)(self._plain)

    def _markdown(self):
        if self._md is None:
            import markdown  # imported on first use: most text never needs it
            self._md = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists", "toc"],
                                         extension_configs={"toc": {"permalink": False}},
                                         output_format="html")
        self._md.reset()
        return self._md

    def links_in(self, text: str, block: bool = False) -> tuple[tuple[str, str, str], ...]:
        """(tag, address as written, address as linked) of every link and image in ``text`` rendered inline
        or as a block, in order: what the sanitiser's attribute hook saw while rendering it. An image not
        shown has '' as its address, and the tag 'img-no-alt' when it lacked alt text."""
        (self.block if block else self.inline)(text)
        return self._refs.get((block, text), ())

    def _collecting(self, block: bool, text: str, render: Callable[[str], Markup]) -> Markup:
        """``render(text)``, keeping the links the attribute hook sees on the way (for :meth:`links_in`)."""
        found = self._found = []
        try:
            out = render(text)
        finally:
            self._found = None
        if found:
            self._refs[(block, text)] = tuple(found)
        return out

    def _attr(self, tag: str, attr: str, value: str) -> str | None:
        # nh3 asks about the attributes of elements it then removes (an svg's <use href>): only the
        # links of elements the allowlist keeps are rewritten and recorded
        if (attr == "href" and tag == "a") or (attr == "src" and tag == "img"):
            written = value
            # a space or quote is not allowed in an address as written ('Phase 1 Review.pptx'): escaped,
            # it still names the same file
            value = _URL_UNSAFE.sub(_percent, self._rewrite(value.strip()))
            if tag == "img" and (urlsplit(value).scheme or value.startswith("//")):
                value = ""  # only images published with the site: a remote one would tell its host who reads
            if self._found is not None:
                self._found.append((tag, written, value))
            return value or None
        return value

    def _clean(self, markup: str, tags: set) -> str:
        if markup.count("<") > MAX_TAGS:  # deep nesting makes HTML parsing slow: show it as text
            return html.escape(markup, quote=False)
        out = nh3.clean(markup, tags=tags, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                        attribute_filter=self._attr, link_rel="noopener noreferrer", strip_comments=True)
        return _IMG.sub(self._image, out) if "<img" in out else out

    def _image(self, m: re.Match) -> str:
        """An image kept when it has a source left and alt text; removed (and recorded) when not."""
        tag = m.group()
        src = _SRC.search(tag)
        if src and ' alt="' in tag:
            return tag
        if src and self._found is not None:
            self._found.append(("img-no-alt", html.unescape(src.group(1)), ""))
        return ""

    def _inline(self, text: str) -> Markup:
        """Inline Markdown/HTML to safe HTML without a wrapping paragraph."""
        text = strip_bidi(text or "").strip()
        if _MARKDOWN.search(text) and not too_complex(text):
            out = self._clean(self._markdown().convert(text), BLOCK_TAGS).strip()
            if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
                out = out[3:-4]
            return Markup(out)
        if _HTMLISH.search(text):
            # HTML without Markdown goes straight to the parser, which reads
            # sloppy markup (unquoted or doubled attributes) as a browser would
            return Markup(self._clean(text, INLINE_TAGS))
        return Markup(text)

    def _block(self, text: str) -> Markup:
        """A Markdown body to safe HTML."""
        text = strip_bidi(text or "")
        if not text.strip():
            return Markup("")
        if too_complex(text):
            return Markup("<p>" + self._clean(text, BODY_TAGS) + "</p>")
        return Markup(self._clean(self._markdown().convert(text), BODY_TAGS))

    def _plain(self, text: str) -> str:
        """Text with markup removed, for titles, descriptions and data exports."""
        text = strip_bidi(text or "")
        if "<" in text or "&" in text or "*" in text or "`" in text or "[" in text:
            text = html.unescape(_TAG.sub("", str(self._inline(text))))
        return _SPACE.sub(" ", text).strip()
