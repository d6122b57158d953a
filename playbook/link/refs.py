"""Content links: every link, image and file an author wrote, with its file, line and field, checked once.

They are gathered from the loaded files, not from built pages: every text field
and body goes through the text renderer, whose sanitiser hook sees each link
the pages will hold, and the fields that name a file or an address
(``template``, ``example``, ``filename``, ``url``, ``downloads``) go through
:meth:`playbook.urls.Urls.address`, as the pages link them. ``check`` and
``build`` both report what is wrong with them, each problem once, at the line
that causes it, however many pages show the text. Anchors (``/1.2/#objective``)
need the rendered page; the build checks them after rendering
(:mod:`playbook.publish.links`).
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import unquote, urlsplit

from playbook.diagnostics import Diagnostics
from playbook.load.documents import field_name
from playbook.urls import LIQUID_BASEURL, PLACEHOLDER_ADDRESS, address_scheme

LINK, IMAGE, FILE, REMOTE, NO_ALT = "link", "image", "file", "remote image", "image without alt text"
ADDRESS_FIELDS = frozenset({"template", "example", "filename", "url"})
"""Fields whose value is a file name or an address, linked as :meth:`Urls.address` makes it."""
_NOT_TEXT = frozenset({"layout", "permalink", "related", "responsibleParty", "category"})
"""Fields that are never shown as text."""
FILES = "/assets/"
"""Site paths below this are files published from the content's assets folders."""


@dataclass(frozen=True, slots=True)
class Ref:
    """One link, image or file named in content."""

    path: str
    """Content file as shown in diagnostics."""
    line: int
    """Line of the field (or, in a body, of the link)."""
    field: str
    """Field path, e.g. ``activities[2].template``; ``body`` for the Markdown body."""
    written: str
    """The address as the author wrote it."""
    target: str
    """The address as the pages link it (moved under the base path, or to the host site)."""
    kind: str
    """:data:`LINK`, :data:`IMAGE`, :data:`FILE` (a file name or address field), or an image the page does
    not show: :data:`REMOTE` (from another site) or :data:`NO_ALT`."""
    page: str | None
    """Site path of the content object's own page (relative links resolve against it), if it has one."""

    def where(self) -> str:
        """'file:line', for naming the other places of one problem."""
        return f"{self.path}:{self.line}" if self.line else self.path


def _objects(playbook) -> list:
    """The model objects made from content files: only their links reach a page."""
    out = [*playbook.phases, *playbook.tasks, *playbook.pages]
    out += [x for x in (playbook.glossary, playbook.resources, playbook.registry) if x is not None]
    return out


def gather(playbook, urls, text, diags: Diagnostics, cache: dict | None = None) -> list[Ref]:
    """Every link, image and file the content names, in file order, then line order.

    The same walk over each file's text warns, at the field that holds it, about a link left as a
    placeholder (``www.example.com``, ``#``, ``TBD``: shown as text, never linked) and, once per file,
    about Liquid other than ``{{ site.baseurl }}`` (playbook runs none of it, so it stays as text).

    ``cache`` (``playbook serve``'s, kept from one save to the next) holds what each file gave: a file
    loaded the same and at the same page, among the same pages, gives it again without a walk."""
    refs: list[Ref] = []
    add = refs.append
    addresses: dict[str, str | None] = {}  # the same template file is named in many places
    if cache is not None:
        pages = urls.page_paths()  # where a root-relative link goes depends on them
        if cache.get(None) != pages:
            cache.clear()
            cache[None] = pages
    all_said = diags
    for obj in sorted(_objects(playbook), key=lambda o: o.path):
        doc = playbook.sources.get(obj.path)
        if doc is None:
            continue
        page = urls.of(obj) if hasattr(obj, "rel") and urls.has(obj) else None
        if cache is not None:
            hit = cache.get(doc.path)
            if hit is not None and hit[0] is doc and hit[1] == page:
                refs.extend(hit[2])
                all_said.extend(hit[3])
                continue
            diags, start = Diagnostics(), len(refs)
        liquid: list[tuple[int, str, str]] = []  # (line, field, the Liquid) of the file

        def placeholder(values, at: tuple) -> None:
            """Warn about the first of ``values`` (addresses as written in the field at ``at``) left as a placeholder."""
            for value in values:
                if is_placeholder(value):
                    diags.warning(doc.path, doc.line(*at), field_name(at), f"placeholder link '{value.strip()}'",
                                  "replace it with the real address, or remove it")
                    return

        def walk(container, path: tuple, key) -> None:
            # a field's path is made only for containers and for the few values that link something
            named = type(container) is dict
            for k, v in (container.items() if named else enumerate(container)):
                kind = type(v)
                if kind is str:
                    if "{" in v:
                        liquid.extend((doc.line(*path, k), field_name(path + (k,)), m.group())
                                      for m in _LIQUID.finditer(v) if not LIQUID_BASEURL.fullmatch(m.group()))
                    field = k if named else key
                    if field in _NOT_TEXT:
                        continue
                    if field in ADDRESS_FIELDS or (path or (k,))[0] == "downloads":
                        target = addresses.get(v, False)
                        if target is False:
                            target = addresses[v] = urls.address(v)
                        if target is not None:
                            at = path + (k,)
                            add(Ref(doc.path, doc.line(*at), field_name(at), v.strip(), target, FILE, page))
                        elif field in ADDRESS_FIELDS:
                            placeholder((v,), path + (k,))
                    elif "<" in v or "[" in v:  # a link in a field is an <a> or a Markdown link
                        found = text.links_in(v)
                        if found:
                            at = path + (k,)
                            line, name = doc.line(*at), field_name(at)
                            placeholder([w for tag, w, _t in found if tag == "a"], at)
                            for written, linked, what in _kinds(found):
                                add(Ref(doc.path, line, name, written, linked, what, page))
                elif kind is dict or kind is list:
                    walk(v, path + (k,), k if named else key)

        walk(doc.data, (), None)
        if doc.body.strip():
            for written, target, kind in _kinds(text.links_in(doc.body, block=True)):
                at = doc.body.find(written)
                line = doc.body_line + doc.body.count("\n", 0, at) if at >= 0 else doc.body_line
                add(Ref(doc.path, line, "body", written, target, kind, page))
            if "{" in doc.body:
                liquid.extend((doc.body_line + doc.body.count("\n", 0, m.start()), "body", m.group())
                              for m in _LIQUID.finditer(doc.body) if not LIQUID_BASEURL.fullmatch(m.group()))
        if liquid:
            _liquid(doc.path, liquid, diags)
        if cache is not None:
            cache[doc.path] = (doc, page, refs[start:], diags.items)
            all_said.extend(diags.items)
    return refs


PLACEHOLDER_WORDS = ("#", "tbd", "todo", "xxx")
"""Link values that stand for an address still to be written."""
_LIQUID = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


def is_placeholder(value: str) -> bool:
    """True for an address left as a placeholder: www.example.com, '#', 'TBD', 'TODO', 'xxx'."""
    value = value.strip()
    return bool(PLACEHOLDER_ADDRESS.match(value)) or value.lower() in PLACEHOLDER_WORDS


def _liquid(path: str, found: list[tuple[int, str, str]], diags: Diagnostics) -> None:
    """One warning for a file's Liquid, at the first, naming the other lines."""
    line, field, text = found[0]
    others = sorted({n for n, _f, _t in found[1:] if n != line})
    also = ""
    if others:
        shown = ", ".join(map(str, others[:5])) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
        also = f" (also on line{'s' * (len(others) != 1)} {shown})"
    short = text if len(text) <= 60 else text[:57] + "..."
    diags.warning(path, line, field, f"Liquid '{short}' stays as text{also}",
                  "playbook runs no Liquid but {{ site.baseurl }}; write out the text it would make")


def _kinds(found: tuple) -> list[tuple[str, str, str]]:
    """(as written, as linked, kind) of what the text renderer found in one text: links, images shown,
    and images it did not show (remote, or without alt text)."""
    no_alt = {src for tag, src, _t in found if tag == "img-no-alt"}
    out = []
    for tag, written, target in found:
        if tag == "a":
            out.append((written, target, LINK))
        elif tag == "img":
            out.append((written, target, REMOTE if not target else NO_ALT if target in no_alt else IMAGE))
    return out


@dataclass
class Checked:
    """What checking the content links found."""

    files: dict = field(default_factory=dict)
    """Site path -> source file, for every linked file found (the files to publish)."""
    missing: set = field(default_factory=set)
    """Site paths of linked files that no folder holds (the pages still link them)."""
    fragments: dict = field(default_factory=dict)
    """Page site path -> [(fragment, ref)]: the anchors to look for once the page is rendered."""
    targets: set = field(default_factory=set)
    """Every address the pages link for content (for ``check --links``: those are the authors')."""


def finder(paths: set[str], also: Callable[[str], bool] | None = None) -> Callable[[str], str | None]:
    """``known(site path)`` for :func:`check`: the page or file of ``paths`` that answers to a site path
    (a server answers '/a' and '/a/index.html' with '/a/'), or None; ``also`` accepts other paths as they are."""
    def known(path: str) -> str | None:
        if path in paths:
            return path
        if not path.endswith("/") and path + "/" in paths:
            return path + "/"
        if path.endswith("/index.html") and path[:-len("index.html")] in paths:
            return path[:-len("index.html")]
        return path if also is not None and also(path) else None
    return known


def site_path(urls, ref: Ref) -> tuple[str, str] | None:
    """(site path, fragment) a content link points to on this site, or None when it leaves it."""
    url = ref.target.strip()
    if address_scheme(url) or url.startswith("//"):
        return None
    parts = urlsplit(url)
    path, fragment = unquote(parts.path), unquote(parts.fragment)
    base = urls.base_path
    if path.startswith("/"):
        if base and not (path == base or path.startswith(base + "/")):
            return None
        path = path[len(base):] or "/"
    elif ref.page is None:
        return None
    elif path:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(ref.page), path))
        path = joined + "/" if path.endswith("/") and not joined.endswith("/") else joined
        if path.startswith("//") or ".." in path.split("/"):
            return None
    else:
        path = ref.page
    return path, fragment


def check(refs: list[Ref], urls, known: Callable[[str], str | None], files, diags: Diagnostics) -> Checked:
    """Report what is wrong with the content links, each problem once; what the build needs from them.

    ``known(site path)`` is the site path of the page or generated file that answers to it, or None;
    ``files`` (:class:`playbook.publish.files.Files`) finds the files content links below /assets/."""
    out = Checked()
    problems: dict[tuple, list[Ref]] = {}
    found_files: dict[str, tuple] = {}  # site path -> what files.find said, asked once
    for ref in refs:
        if ref.kind in (REMOTE, NO_ALT):
            problems.setdefault((ref.kind, ref.written), []).append(ref)
            continue
        out.targets.add(ref.target)
        got = site_path(urls, ref)
        if got is None:
            if urls.host and ref.target.startswith(urls.host + "/") and ref.target != ref.written:
                problems.setdefault(("host", ref.target), []).append(ref)
            continue
        path, fragment = got
        if path.startswith(FILES):
            got = found_files.get(path)
            if got is None:
                got = found_files[path] = files.find(path)
            found, problem = got
            if found is not None:
                out.files[path] = found
            else:
                out.missing.add(path)
                problems.setdefault((problem, path), []).append(ref)
            continue
        page = known(path)
        if page is None:
            problems.setdefault(("no page", path), []).append(ref)
        elif fragment and fragment != "top":
            out.fragments.setdefault(page, []).append((fragment, ref))
    pages = sorted(urls.page_paths()) if any(problem == "no page" for problem, _path in problems) else []
    for (problem, path), where in problems.items():
        _report(problem, path, where, urls, files, pages, diags)
    return out


def spelled_like(value: str, choices) -> str | None:
    """The choice spelled most like ``value`` (a typo or another case: a path or file name), or None."""
    from rapidfuzz import fuzz, process  # only needed when something is wrong

    got = process.extractOne(value, choices, scorer=fuzz.ratio, processor=str.lower, score_cutoff=90)
    return got[0] if got else None


def first_of(where: list[Ref]) -> tuple[Ref, str]:
    """The place one problem is reported at (the first in file and line order), and ' (also at a.md:3,
    b.md:9 and 2 more places)' naming the others."""
    first = min(where, key=lambda r: (r.path, r.line))
    others = list(dict.fromkeys(r.where() for r in where if r.where() != first.where()))
    if not others:
        return first, ""
    more = len(others) - 3
    return first, f" (also at {', '.join(others[:3])}{f' and {more} more place' + 's' * (more != 1) if more > 0 else ''})"


def _report(problem: str, path: str, where: list[Ref], urls, files, pages: list[str], diags: Diagnostics) -> None:
    first, also = first_of(where)
    if problem == "host":
        diags.info(first.path, first.line, first.field, f"link '{first.written}' goes to the host site: {path}{also}")
        return
    if problem == REMOTE:
        diags.warning(first.path, first.line, first.field, f"image '{first.written}' is not shown: it is on another "
                      f"site{also}", "publish it with the playbook, e.g. in assets/images/, and link it from there")
        return
    if problem == NO_ALT:
        diags.warning(first.path, first.line, first.field, f"image '{first.written}' is not shown: it has no alt "
                      f"text{also}", 'say what it shows in alt="...", or alt="" when it only decorates')
        return
    if problem == "no page":
        near = spelled_like(path, pages)
        diags.warning(first.path, first.line, first.field, f"link '{first.written}' matches no page of the "
                      f"playbook{also}", f"did you mean '{near}'?" if near else
                      "if it is a page of the site the playbook is part of, set host_url in playbook.toml"
                      if not urls.host and first.target.startswith("/") else "")
        return
    name = files.name(path)
    folder = files.folder_of(path)
    if problem == "missing":
        near = files.closest(path)
        diags.warning(first.path, first.line, first.field, f"missing file '{name}'{also}",
                      f"did you mean '{near}'?" if near else f"add it to {folder} to publish it")
    else:
        diags.error(first.path, first.line, first.field, f"file '{name}' is not published{also}: {problem}",
                    files.hint(problem))
