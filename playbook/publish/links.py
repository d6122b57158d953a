"""The build's link check: what the pages were made with, checked against the files written.

Nothing here reads a page back. While rendering, :class:`playbook.urls.Urls`
records every site path a layout or fragment linked to (``href``), with the
page that first made the link, and the renderer records the ids of the pages
that links with a #fragment point into. After every file is written (pages,
generated files, copied assets, the search index), each recorded path must
name a written file, and each fragment an id of its page:

- a link the generator made that leads nowhere is a bug of the layouts: an
  error, naming the page that made it (and its content file);
- a link to a file that content names and no folder holds was reported
  already, at the line that names it (:mod:`playbook.link.refs`);
- an anchor written in content (``/1.2/#objective``) that its page lacks is a
  warning at the content line.
"""
from __future__ import annotations

from urllib.parse import unquote

from playbook.diagnostics import Diagnostics
from playbook.link import refs


def written_paths(files: set[str]) -> set[str]:
    """The site paths that the files written answer to: '/a/index.html' and '/a/' for 'a/index.html'."""
    out = set()
    for rel in files:
        out.add("/" + rel)
        if rel == "index.html" or rel.endswith("/index.html"):
            out.add("/" + rel[:-len("index.html")])
    return out


def check(urls, renderer, files: set[str], checked: refs.Checked, shown: str, diags: Diagnostics) -> None:
    """Check the links recorded while rendering; ``files`` are those written (relative to the site folder),
    ``shown`` how the output folder is named for pages made from no content file."""
    known = refs.finder(written_paths(files))
    anchors = renderer.anchors

    def where(page: str | None) -> str:
        if page is None:
            return shown
        return renderer.sources.get(page) or f"{shown}/{urls.output_file(page)}"

    for linked, page in sorted(urls.linked.items()):
        path, _, fragment = linked.partition("#")
        path = unquote(path)
        target = known(path)
        on = f" on page {urls.base_path + page}" if page is not None else ""
        if target is None:
            if path not in checked.missing:
                diags.error(where(page), 0, "link", f"broken link '{urls.base_path + linked}'{on}",
                            "no file in the site answers to it")
            continue
        fragment = unquote(fragment)
        if not fragment or fragment == "top":
            continue
        ids = anchors.get(target)
        if ids is None:
            diags.error(where(page), 0, "link", f"link '{urls.base_path + linked}'{on} points into a page whose ids "
                        "were not recorded", "add the page to Renderer.fragment_pages")
        elif fragment not in ids:
            diags.error(where(page), 0, "link", f"broken anchor '{urls.base_path + linked}'{on}",
                        f"page {urls.base_path + target} has no element with id '{fragment}'")
    for target, wanted in sorted(checked.fragments.items()):
        ids = anchors.get(target, frozenset())
        missing: dict[str, list] = {}
        for fragment, ref in wanted:
            if fragment not in ids:
                missing.setdefault(fragment, []).append(ref)
        for fragment, where_refs in missing.items():
            first, also = refs.first_of(where_refs)
            diags.warning(first.path, first.line, first.field, f"broken anchor '{first.written}'{also}",
                          f"page {urls.base_path + target} has no element with id '{fragment}'")
