"""Check a published site (``playbook check --links DIR``): every internal link, asset and #anchor must resolve.

This module reads the HTML files of a site already written, with
:mod:`html.parser`, so a page's links are seen the way a browser sees them
(entities decoded), and reports each broken one as a
:class:`~playbook.diagnostics.Diagnostic` on the content file the page was made
from (the manifest the build leaves in the site names it). The build itself
reads nothing back: it checks what it recorded while rendering
(:mod:`playbook.publish.links`).

Severity: a broken link the generator made (navigation, assets, cross-links)
is an error; a link to a template file under ``/assets/files/`` that the
site does not hold, and an address an author wrote into content text, are
warnings, which ``--strict`` turns into errors. An unsafe link
(``javascript:`` and the like) is always an error.

External links (``http``/``https``) are checked only when asked for, with
short timeouts and a bounded number of requests at a time.
"""
from __future__ import annotations

import json
import os
import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

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


@dataclass
class Page:
    """What one HTML file links to and which anchors it offers."""

    links: list = field(default_factory=list)
    """(tag, attribute, value) for every URL-valued attribute, in document order."""
    anchors: set = field(default_factory=set)
    """Every id and a[name] on the page."""


class _Reader(HTMLParser):
    """Collects a page's links and anchors as a browser reads them (entities decoded, names lower-cased)."""

    def __init__(self, page: Page):
        super().__init__(convert_charrefs=True)
        self.page = page

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag in ("a", "map")):
                self.page.anchors.add(value)
            if (tag, name) in _URL_ATTRS:
                self.page.links.append((tag, name, value))
            elif (tag, name) in _SRCSET:
                for part in value.split(","):
                    url = part.strip().split(" ")[0]
                    if url:
                        self.page.links.append((tag, name, url))

    handle_startendtag = handle_starttag


def parse_page(text: str) -> Page:
    """Links and anchors of one HTML document."""
    page = Page()
    reader = _Reader(page)
    reader.feed(text)
    reader.close()
    return page


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
        try:
            text = (site.root / rel).read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            diags.error(site.where(rel), 0, "link", f"cannot read page: {exc.strerror or exc}")
            continue
        pages[rel] = parse_page(text)
    outside: dict[str, list] = {}
    missing_files: dict[str, list] = {}
    seen = 0
    for rel, page in pages.items():
        reported = set()
        seen += len(page.links)
        for tag, attr, raw in page.links:
            url = clean_url(raw)
            if url.startswith("#") and unquote(url[1:]) in page.anchors:
                continue  # an anchor of this very page
            problem = _check_one(site, pages, rel, tag, url, outside)
            if problem is None or (url, attr) in reported:
                continue
            reported.add((url, attr))
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
