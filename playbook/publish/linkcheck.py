"""Check a built site: every internal link, asset and #anchor must resolve.

This module reads the HTML files of a site that is already written (the
temporary folder of a running build, or a published folder given to
``playbook check --links``). It parses them with :mod:`html.parser`, so a
page's links are seen the way a browser sees them (entities decoded), and
reports each broken one as a :class:`~playbook.diagnostics.Diagnostic` on the
content file the page was made from.

Severity: a broken link the generator made (navigation, assets, cross-links)
is an error; a link to a template file under ``/assets/files/`` that the
content folder does not ship, and an address an author wrote into content text
(the original M3 files link to paths on their old host), are warnings, which
``--strict`` turns into errors. An unsafe link (``javascript:`` and the like)
is always an error.

External links (``http``/``https``) are checked only when asked for, with
short timeouts and a bounded number of requests at a time.
"""
from __future__ import annotations

import json
import os
import posixpath
import re
from dataclasses import dataclass, field
from html import unescape
from itertools import chain
from operator import itemgetter
from pathlib import Path
from urllib.parse import unquote, urlsplit

from playbook.publish import htmlscan
from playbook.diagnostics import Diagnostics

MANIFEST = ".playbook-sources.json"
"""File in the built site naming the content file of each page, for ``check --links``."""
TEMPLATE_FILES = "/assets/files/"
"""Where template and example files named in content are served."""

# (tag, attribute) pairs whose value is a URL the browser follows or loads.
_URL_ATTRS = {("a", "href"), ("area", "href"), ("link", "href"), ("script", "src"), ("img", "src"),
              ("source", "src"), ("iframe", "src"), ("embed", "src"), ("video", "src"), ("audio", "src"),
              ("track", "src"), ("form", "action"), ("object", "data")}
_SRCSET = {("img", "srcset"), ("source", "srcset")}
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# Browsers drop these before reading a URL: C0 controls and space at the ends, tab/newline anywhere.
_STRIP_ENDS = "".join(chr(c) for c in range(0x21))
_TAB_NL = re.compile(r"[\t\n\r]")
_UNSAFE_SCHEMES = {"javascript", "vbscript", "data"}
# Attribute text of a tag that may hold an anchor or a URL (a superset: 'data-id=' matches too).
# Spelled out in both cases rather than (?i), which is slower; it only pre-filters tags, and the
# attribute names are compared lower-cased afterwards.
_WANTED = re.compile(r"\b(?:[iI][dD]|[nN][aA][mM][eE]|[hH][rR][eE][fF]|[sS][rR][cC](?:[sS][eE][tT])?"
                     r"|[aA][cC][tT][iI][oO][nN]|[dD][aA][tT][aA])\s*=")


@dataclass
class Page:
    """What one HTML file links to and which anchors it offers."""

    links: list = field(default_factory=list)
    """(tag, attribute, value) for every URL-valued attribute, in document order."""
    anchors: set = field(default_factory=set)
    """Every id and a[name] on the page."""


def _take(tag: str, name: str, value: str, add_link, add_anchor) -> None:
    """Pass on what attribute ``name="value"`` of a ``tag`` offers: an anchor, or URLs."""
    if name == "id" or (name == "name" and tag in ("a", "map")):
        add_anchor(value)
    if (tag, name) in _URL_ATTRS:
        add_link((tag, name, value))
    elif (tag, name) in _SRCSET:
        for part in value.split(","):
            url = part.strip().split(" ")[0]
            if url:
                add_link((tag, name, url))


def parse_page(text: str) -> Page:
    """Links and anchors of one HTML document."""
    page = Page()
    add_link, add_anchor = page.links.append, page.anchors.add
    for tag, attrs in htmlscan.start_tags(text, _WANTED):  # HTMLParser's reading, at regex speed
        for name, value in attrs:
            if value is not None:
                _take(tag, name, value, add_link, add_anchor)
    same = _interner()
    page.links = [same(x, x) for x in page.links]
    page.anchors = {same(x, x) for x in page.anchors}
    return page


_SAME: dict = {}


def _interner():
    """``setdefault`` of the table that keeps one object per distinct link and anchor.

    Pages of one site repeat the same links (navigation, assets): one object
    for each keeps small the pages a build holds for the link check and the
    reports workers send back.
    """
    if len(_SAME) > 1_000_000:  # a long-running `serve` must not grow without bound
        _SAME.clear()
    return _SAME.setdefault


# The one spelling our layouts and the sanitiser write: text without '<' or '>' (Jinja and nh3
# escape both in text, Jinja in values too; nh3 leaves them in values, and such a value is not
# plain), lower-case tags, attributes separated by one space, double-quoted or bare,
# no comments, no style, scripts with nothing inside. `htmlscan.start_tags` reads plain text tag
# by tag and attribute by attribute: exactly the ' name="value"' strings inside each tag. The
# patterns below find those strings directly, so they read the same, but for one case, refused
# here: a value that ends like the start of an attribute the check wants (' id='), as that
# attribute would then seem to start where the value ends.
_VALUE = (r'="[^"<>]*+(?:(?<!=)|(?<! id=)(?<! name=)(?<! href=)(?<! src=)(?<! srcset=)(?<! action=)'
          r'(?<! data=))"')
# SVG writes some names in mixed case (viewBox); a wanted one in any case but lower is not plain
_ATTR = (r" (?:[a-z_:][a-z0-9_:.-]*+(?![A-Z])|(?!(?i:id|name|href|src|srcset|action|data)[= />])"
         r"[a-zA-Z_:][a-zA-Z0-9_:.-]*+)(?:" + _VALUE + r")?+")
_TAG = r"[a-z][a-z0-9-]*+"
_PLAIN = re.compile(r"[^<>]*+(?:<(?:(?!script|style)" + _TAG + r"(?:" + _ATTR + r")*+ ?/?|/" + _TAG
                    + r"|script(?:" + _ATTR + r")*+></script|!DOCTYPE html)>[^<>]*+)*+")
# Ids, but not text that only looks like one (in text, a '<' comes before any '>').
_ID = re.compile(r' id="([^"<>]*+)"(?=[^<>]*+>)')
# A tag that can hold a URL or a[name]: its name, the first such attribute, and the rest of the
# tag when that holds more (an img with src and srcset).
_LINKISH = r"href|src|srcset|action|data|name"
_FIRST_LINK = re.compile(
    r"<(a|link|img|script|area|source|iframe|embed|video|audio|track|form|object|map)"
    r'(?: [^ "<>=]++(?:="[^"<>]*+")?+)*? (' + _LINKISH + r')="([^"<>]*+)"'
    r'(?:(?: (?!' + _LINKISH + r'=)[^ "<>=]++(?:="[^"<>]*+")?+)*+ ?/?>|([^<>]*+)>)')
_MORE_LINKS = re.compile(r" (" + _LINKISH + r')="([^"<>]*+)"')
_NOTHING = ()  # what most pieces hold; false, so that joining pieces skips it
_LONG_LINE = 400  # characters from which a line is read by its runs between '<a ' tags


class _NotPlain(Exception):
    """A piece of a page is not in the one spelling :func:`parse_built_page` reads directly."""


def _read_plain(piece: str) -> tuple:
    """(links, anchors) of a plain piece of a page, as tuples, or ``_NOTHING``; :class:`_NotPlain` if not plain."""
    if _PLAIN.fullmatch(piece) is None:
        raise _NotPlain
    if '="' not in piece:
        return _NOTHING
    entities = "&" in piece
    links: list = []
    anchors = _ID.findall(piece)
    if entities:
        anchors = list(map(unescape, anchors))
    add_link, add_anchor = links.append, anchors.append
    for tag, attr, value, more in _FIRST_LINK.findall(piece):
        if entities:
            value = unescape(value)
        if not more and (tag, attr) in _URL_ATTRS:  # most tags: one link, nothing else wanted
            add_link((tag, attr, value))
            continue
        _take(tag, attr, value, add_link, add_anchor)
        for attr, value in _MORE_LINKS.findall(more):
            _take(tag, attr, unescape(value), add_link, add_anchor)
    if not links and not anchors:
        return _NOTHING
    same = _interner()
    return tuple([same(x, x) for x in links]), tuple([same(x, x) for x in anchors])


class _Readings(dict):
    """Piece of a page -> what :func:`_read_plain` found in it, each piece read once.

    The pages of a site repeat most of their lines (banner, header, navigation,
    footer, the lists of cross-links), so each line is looked up and only the
    lines no page had before are read.
    """

    LIMIT = 32_000_000
    """Characters of pieces kept before the table starts again, so that it stays bounded."""

    def __init__(self, read):
        super().__init__()
        self._read, self._size = read, 0

    def __missing__(self, piece: str) -> tuple:
        found = self._read(piece)
        self._size += len(piece)
        if self._size > self.LIMIT:
            self.clear()
            self._size = len(piece)
        self[piece] = found
        return found


_links_of, _anchors_of = itemgetter(0), itemgetter(1)


def _joined(readings) -> tuple:
    """What a run of pieces holds, from what each holds."""
    readings = list(filter(None, readings))
    if not readings:
        return _NOTHING
    return (tuple(chain.from_iterable(map(_links_of, readings))),
            tuple(chain.from_iterable(map(_anchors_of, readings))))


# A long line is new on most pages (a list of cross-links that starts with the page's own task),
# but its runs from one '<a ' to the next are not. Plain text has '<' only where a tag starts, so it
# can be cut there, and each run read alone.
_RUNS = _Readings(_read_plain)


def _read_line(line: str) -> tuple:
    if len(line) < _LONG_LINE or "<a " not in line:
        return _read_plain(line)
    first, *runs = line.split("<a ")
    return _joined([_RUNS[first], *map(_RUNS.__getitem__, ["<a " + run for run in runs])])


_LINES = _Readings(_read_line)


def parse_built_page(text: str) -> Page:
    """Links and anchors of a page this generator wrote: :func:`parse_page`'s result, several times faster.

    A plain page (see ``_PLAIN``) holds no tag, comment or raw text across a
    line end, so each line is read alone, once, however many pages repeat it,
    and the page holds what its lines hold, in their order. A page with any
    other line (comments, raw text, a '<' or '>' in a value or text, other
    quoting, case or spacing, a tag over two lines) is read the general way.
    A test holds both equal on every page of real builds.
    """
    try:
        readings = list(filter(None, map(_LINES.__getitem__, text.split("\n"))))
    except _NotPlain:
        return parse_page(text)
    return Page(list(chain.from_iterable(map(_links_of, readings))),
                set(chain.from_iterable(map(_anchors_of, readings))))


def clean_url(value: str) -> str:
    """A URL as a browser reads it from an attribute: ends stripped, tabs and newlines removed."""
    return _TAB_NL.sub("", value.strip(_STRIP_ENDS))


def scheme_of(url: str) -> str:
    """The lower-cased scheme of a URL, or '' for a relative one."""
    m = _SCHEME.match(url)
    return m.group(1).lower() if m else ""


@dataclass
class Site:
    """The files of a built site and what is known about where its pages came from."""

    root: Path
    """The site folder."""
    files: set
    """Every file, relative to ``root`` with forward slashes."""
    base_path: str = ""
    """Path the site is served under, '' or like '/m3'."""
    sources: dict = field(default_factory=dict)
    """Output file -> content file it was made from."""
    content_links: frozenset = frozenset()
    """Link targets that authors wrote into content text."""
    shown: str = ""
    """How the site folder is named in diagnostics of pages with no content file."""
    parsed: dict = field(default_factory=dict)
    """Output file -> :class:`Page` already read while rendering, so it is not read from disk again."""

    def page_url(self, rel: str) -> str:
        """The address a file answers to: 'a/index.html' -> '/base/a/'."""
        path = rel[: -len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel
        return self.base_path + "/" + path

    def where(self, rel: str) -> str:
        """The file a page's problems are reported on."""
        return self.sources.get(rel) or (f"{self.shown}/{rel}" if self.shown else rel)

    def resolve(self, path: str) -> str | None:
        """The file serving a site path below the root, or None when there is none."""
        rel = path.lstrip("/")
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        if rel in self.files:
            return rel
        if rel + "/index.html" in self.files:  # servers redirect /a to /a/
            return rel + "/index.html"
        return None


def list_files(root: Path) -> set:
    """Every regular file below ``root`` (symbolic links are not followed; unreadable folders are skipped)."""
    out: set[str] = set()
    folders = [("", os.fspath(root))]
    while folders:
        prefix, folder = folders.pop()
        try:
            with os.scandir(folder) as entries:
                for e in entries:
                    if e.is_dir(follow_symlinks=False):
                        folders.append((prefix + e.name + "/", e.path))
                    elif e.is_file(follow_symlinks=False):
                        out.add(prefix + e.name)
        except OSError:
            continue
    return out


def read_manifest(root: Path) -> dict:
    """The manifest a build wrote into the site; empty when missing or unreadable."""
    try:
        data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def manifest(base_path: str, sources: dict, content_links) -> str:
    """The manifest text: stable bytes for the same site."""
    return json.dumps({"base_path": base_path, "pages": dict(sorted(sources.items())),
                       "content_links": sorted(set(content_links))}, indent=1, sort_keys=True) + "\n"


def check_site(site: Site, diags: Diagnostics, external: bool = False, timeout: float = 5.0,
               workers: int = 8) -> int:
    """Check every HTML page of ``site``; returns the number of links looked at."""
    pages: dict[str, Page] = {}
    for rel in sorted(f for f in site.files if f.endswith((".html", ".htm"))):
        if rel in site.parsed:
            pages[rel] = site.parsed[rel]
            continue
        try:
            text = (site.root / rel).read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            diags.error(site.where(rel), 0, "link", f"cannot read page: {exc.strerror or exc}")
            continue
        pages[rel] = parse_page(text)
    outside: dict[str, list] = {}
    missing_files: dict[str, list] = {}
    # What an attribute value means is worked out once: a root-relative address ('/a/b/#x') and a
    # full one ('https://...') mean the same on every page, whatever the tag, so their problem is
    # kept; a '#fragment' points into the page it is on, so only its fragment is. Navigation
    # repeats the same few hundred of them on every page of a big site.
    rooted: dict[str, tuple | None] = {}
    known: dict[str, tuple] = {}  # attribute value -> (its URL, what it is, the problem or the fragment)
    seen = 0
    for rel, page in pages.items():
        reported = set()
        seen += len(page.links)
        for tag, attr, raw in page.links:
            hit = known.get(raw)
            if hit is None:
                hit = known[raw] = _meaning(site, pages, rel, tag, raw, rooted)
            if hit is _FINE:  # most links: fine on every page
                continue
            url, kind, problem = hit
            if kind is _FRAGMENT:
                # the page's own address leads back to its own file (a file below the root answers
                # to the address it is listed at), so a fragment among its anchors is fine; any
                # other is checked in full
                if problem in page.anchors:
                    continue
                problem = _check_one(site, pages, rel, tag, url, outside)
            elif kind is _FULL:
                if problem is not None:
                    outside.setdefault(problem, []).append(rel)
                continue
            elif kind is _HERE:
                problem = _check_one(site, pages, rel, tag, url, outside)
            if problem is None:
                continue
            key = (url, attr)
            if key in reported:
                continue
            reported.add(key)
            severity, message, hint = problem
            if message == "missing template file":  # one report per file, not one per page
                missing_files.setdefault(hint, []).append(rel)
                continue
            diags.add(site.where(rel), 0, "link", f"{message} '{raw}' on page {site.page_url(rel)}", hint, severity)
    for name, rels in sorted(missing_files.items()):
        first = min(rels, key=lambda r: (r not in site.sources, site.where(r), r))
        others = len(set(rels)) - 1
        also = f" (and {others} other page{'s' * (others != 1)})" if others else ""
        diags.warning(site.where(first), 0, "link",
                      f"missing template file '{name}' linked from page {site.page_url(first)}{also}",
                      f"add '{name}' to the content folder's assets/files/ to publish it")
    if external and outside:
        check_external(site, outside, diags, timeout, workers)
    return seen


_ROOTED, _FULL, _FRAGMENT, _HERE = "rooted", "full", "fragment", "here"
_FINE = (None, _ROOTED, None)  # fine on every page, with nothing to tell an external check


def _meaning(site: Site, pages: dict, rel: str, tag: str, raw: str, rooted: dict) -> tuple:
    """(URL, kind, problem) of an attribute value, as far as it is the same on every page.

    ``_FINE`` when it is fine wherever it is. ``_ROOTED``: its problem. ``_FULL``: a fine
    address elsewhere, and the address an external check requests. ``_FRAGMENT``: '#x' alone, and
    its decoded fragment. ``_HERE``: anything else (a relative path, a data: URL), checked on
    each page.
    """
    url = clean_url(raw)
    if url[:1] == "/" and url[1:2] not in ("/", "\\"):
        problem = rooted.get(url, False)
        if problem is False:
            problem = rooted[url] = _check_one(site, pages, rel, tag, url, {})
        return _FINE if problem is None else (url, _ROOTED, problem)
    if url[:1] == "#":
        return url, _FRAGMENT, unquote(url[1:])
    scheme = scheme_of(url)
    if (scheme and scheme not in _UNSAFE_SCHEMES) or url.startswith("//"):
        requested = url.split("#", 1)[0] if scheme in ("http", "https", "") else None
        return _FINE if requested is None else (url, _FULL, requested)
    return url, _HERE, None


def _check_one(site: Site, pages: dict, rel: str, tag: str, url: str, outside: dict):
    """None when ``url`` on page ``rel`` is fine, else (severity, message, hint)."""
    scheme = scheme_of(url)
    if scheme in _UNSAFE_SCHEMES and not (scheme == "data" and tag in ("img", "source")):
        return "error", "unsafe link", f"'{scheme}:' addresses are never allowed"
    if scheme or url.startswith("//"):
        if scheme in ("http", "https") or url.startswith("//"):
            outside.setdefault(url.split("#", 1)[0], []).append(rel)
        return None
    parts = urlsplit(url)
    path, fragment = unquote(parts.path), unquote(parts.fragment)
    here = site.page_url(rel)
    if path.startswith("/"):
        if site.base_path and not (path == site.base_path or path.startswith(site.base_path + "/")):
            return _broken(site, url, path, "it is outside the site's base path " + site.base_path)
        site_path = path[len(site.base_path):] or "/"
    elif path:
        site_path = posixpath.join(posixpath.dirname(here[len(site.base_path):]), path)
        if path.endswith("/") and not site_path.endswith("/"):
            site_path += "/"
    else:
        site_path = here[len(site.base_path):]
    norm = _normalise(site_path)
    if norm is None:
        return _broken(site, url, path, "it leads above the site's root")
    target = site.resolve(norm)
    if target is None:
        return _broken(site, url, path, "no file in the site answers to it")
    if fragment and fragment != "top" and target in pages and fragment not in pages[target].anchors:
        hint = f"page {site.page_url(target)} has no element with id '{fragment}'"
        severity = "warning" if _authored(site, url) else "error"
        return severity, "broken anchor", hint
    return None


def _normalise(site_path: str) -> str | None:
    """'/a/./b/../c/' -> '/a/c/'; None when '..' climbs above the root (normpath would hide that)."""
    out: list[str] = []
    for part in site_path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not out:
                return None
            out.pop()
        else:
            out.append(part)
    trailing = "/" if site_path.endswith(("/", "/.", "/..")) and out else ""
    return "/" + "/".join(out) + trailing


def _authored(site: Site, url: str) -> bool:
    return url in site.content_links or url.split("#", 1)[0] in site.content_links


def _broken(site: Site, url: str, path: str, why: str):
    if path.startswith(site.base_path + TEMPLATE_FILES):
        return "warning", "missing template file", path[len(site.base_path + TEMPLATE_FILES):]
    if _authored(site, url):
        return "warning", "broken link", why + "; the address is written in the content"
    return "error", "broken link", why


def _status(url: str, timeout: float) -> str | None:
    """None when ``url`` answers, else why not. HEAD first; GET where HEAD is refused."""
    import urllib.error  # only external checks need HTTP: kept out of every build's start-up
    import urllib.request

    if url.startswith("//"):
        url = "https:" + url
    last = ""
    for method in ("HEAD", "GET"):
        req = urllib.request.Request(url, method=method, headers={"User-Agent": "playbook-linkcheck"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                if resp.status < 400:
                    return None
                last = f"HTTP {resp.status}"
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}"
            if exc.code not in (403, 405, 501):
                return last
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            return f"no answer ({reason})"
    return last


def check_external(site: Site, outside: dict, diags: Diagnostics, timeout: float = 5.0, workers: int = 8) -> None:
    """Request every external address once, a few at a time; report those that fail."""
    from concurrent.futures import ThreadPoolExecutor

    urls = sorted(outside)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        results = list(pool.map(lambda u: _status(u, timeout), urls))
    for url, problem in zip(urls, results):
        if problem is None:
            continue
        for rel in sorted(set(outside[url])):
            diags.error(site.where(rel), 0, "link", f"broken external link '{url}' on page {site.page_url(rel)}",
                        problem)


def check_folder(root: Path, diags: Diagnostics, base_path: str | None = None, external: bool = False,
                 timeout: float = 5.0) -> int:
    """Check a site already on disk, using the manifest its build left there."""
    root = Path(root)
    if not root.is_dir():
        diags.error(str(root), 0, "", "site folder does not exist", "build the site first")
        return 0
    info = read_manifest(root)
    pages = info.get("pages") if isinstance(info.get("pages"), dict) else {}
    links = info.get("content_links") if isinstance(info.get("content_links"), list) else []
    if base_path is None:
        base_path = info.get("base_path") if isinstance(info.get("base_path"), str) else ""
    site = Site(root, list_files(root), base_path.rstrip("/"), {str(k): str(v) for k, v in pages.items()},
                frozenset(str(x) for x in links), root.as_posix())
    return check_site(site, diags, external, timeout)
