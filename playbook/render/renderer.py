"""Render: the linked site to HTML pages with Jinja2 (autoescape, StrictUndefined).

Returns ``(site path, text)`` pairs; writing them is :mod:`playbook.write`'s job.
"""
from __future__ import annotations

import re
from html import unescape
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

import jinja2
from markupsafe import Markup, escape

from playbook.render import artifact_pages as artifact_views
from playbook.render import browse
from playbook.render import layout_cache
from playbook.render import outline
from playbook.render import templating
from playbook.config import Config
from playbook.render.fragments import Fragments
from playbook.load.history import History
from playbook.link.names import role_key
from playbook.link.site import Site
from playbook.render.sidenav import SideNav
from playbook.model.types import PARTIES, PARTY_LABELS, SHARED, WORKSTREAM_LABELS, WORKSTREAMS, KeyTask
from playbook.render.text import TextRenderer
from playbook.publish import files
from playbook.urls import Urls, slugify

# An element id as the layouts and the sanitiser write it: inside a tag (no '<' before the next '>').
_ID = re.compile(r' id="([^"<>]*+)"(?=[^<>]*+>)')
_slug = lru_cache(maxsize=4096)(slugify)
"""The layouts' slug filter: the same ids and labels are made into anchors on page after page."""


class Renderer:
    """Holds the Jinja environment and the helpers layouts call."""

    def __init__(self, site: Site, urls: Urls, layouts: Path, info: Config | None = None, search: bool = False,
                 history: History | None = None):
        self.site, self.urls, self.info = site, urls, info or Config()
        self.search = search
        """True when pages carry the search box, so the build must make the index they load."""
        self.history = history or History()
        self._once: dict = {}
        self._link_for: dict = {}
        self._downloads: tuple = ()
        self.text = TextRenderer(urls.rewrite)
        self.sources: dict[str, str] = {}
        """Site path -> content file, for every page made from one content file."""
        self.anchor_pages: frozenset = frozenset()
        """Site paths of the pages that links with a #fragment point to; set before rendering."""
        self.anchors: dict[str, frozenset] = {}
        """Site path -> the ids on that page, for each page of :attr:`anchor_pages` rendered."""
        self.files: dict | None = None
        """Site path -> source file of each file content links that the build publishes (None: not known,
        as in the PDF); the Resources page shows their sizes."""
        self.env = templating.Environment(
            loader=jinja2.FileSystemLoader(str(layouts)), autoescape=True, undefined=jinja2.StrictUndefined,
            bytecode_cache=layout_cache.bytecode_cache(), trim_blocks=True, lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters.update(inline=self.text.inline, block=self.text.block, plain=self.text.plain,
                                slug=_slug)
        self.env.globals.update(
            site=site, info=self.info, urls=urls, href=urls.href, url_of=self.url_of, link_for=self.link_for,
            PARTIES=PARTIES, PARTY_LABELS=PARTY_LABELS, SHARED=SHARED, WORKSTREAMS=WORKSTREAMS,
            WORKSTREAM_LABELS=WORKSTREAM_LABELS, stakeholder_groups=self.stakeholder_groups,
            term_href=self.term_href, party_keys=lambda r: " ".join(browse.party_keys(r)),
        )
        # publishing (issue 6): dates, edit links, downloads
        self.env.globals.update(updated=self.history.updated, updated_iso=self.history.iso, edit_url=self.edit_url,
                                download_for=self.download_for, downloads=lambda: self.downloads, once=self.once,
                                kept_macro=self.kept_macro, resource_sections=self.resource_sections,
                                resource_item=self.resource_item, introduction=self.introduction)
        # artifact cross-linking (issue 3): task inputs/outputs, artifact pages, tracker, flow picture
        self.artifacts = artifact_views.Views(site, urls, self.info.title, self.text.plain)
        self.env.globals.update(self.artifacts.globals())
        self.env.globals.update(Fragments(self.text.inline, self.text.plain, self.url_of, self.link_for,
                                          self.artifacts.index.lookup, self.artifacts.url, self.term_href,
                                          urls.href).globals())
        self.env.globals["sidenav_html"] = SideNav(site, urls, self.url_of, self.text.plain).html
        # browsing and search (issue 4): filters, party pages, outlines, Pagefind attributes
        self.env.filters.update(anchors=outline.anchors, groupby_title=browse.runs)
        self.env.globals.update(
            search=search, outline=outline.headings, browse_count=browse.count, parties_of=browse.parties_of,
            workstream_counts=browse.workstream_counts,
            FILTER_PARTIES=browse.FILTER_PARTIES, party_intro=browse.PARTY_INTROS,
        )

    @property
    def downloads(self) -> tuple:
        """Generated files (:class:`playbook.publish.Download`) the site links to; set before :meth:`pages`."""
        return self._downloads

    @downloads.setter
    def downloads(self, files) -> None:
        self._downloads = tuple(files)
        self._once.clear()  # the footer lists them

    # --- helpers for layouts -------------------------------------------------
    def once(self, name: str) -> Markup:
        """The partial ``name``, rendered with the layouts' globals alone, once for every page.

        For what is the same on every page (banner, footer, stylesheet links):
        included, it took a template context and a render on each of thousands
        of pages. A partial that reads anything of the page it is on fails
        here (StrictUndefined) rather than showing one page's value on all.
        """
        got = self._once.get(name)
        if got is None:
            got = self._once[name] = templating.markup(self.env.get_template(name).render())
        return got

    def kept_macro(self, template: str, name: str):
        """The macro ``name`` of ``template``, whose output is kept per arguments.

        For macros that, like an import without context, read only their
        arguments and the layouts' globals, and are called with the same
        arguments on many pages (the filter form of every key task page).
        """
        def call(*args):
            key = (template, name, args)
            got = self._once.get(key)
            if got is None:
                got = self._once[key] = getattr(self.env.get_template(template).module, name)(*args)
            return got
        return call

    def edit_url(self, obj) -> str | None:
        """"Edit this page" address of a content object's file; None when no repository is configured."""
        if not self.info.repository:
            return None
        return self.urls.edit(self.info.repository, self.info.branch, self.history.repo_path(obj.rel))

    def download_for(self, kind: str, phase: int | None = None):
        """The generated download of one kind ('pdf', 'json', ...) for the playbook or a phase, or None."""
        return next((d for d in self.downloads if d.kind == kind and d.phase == phase), None)

    def url_of(self, obj) -> str:
        """Link to a content object's page, under the base path."""
        return self.urls.href(self.urls.of(obj))

    def link_for(self, value: str) -> str | None:
        """Href for a template/example/url value (:meth:`Urls.address`), worked out once per value."""
        try:
            return self._link_for[value]
        except KeyError:  # worked out once per value: template files recur on many pages
            target = self._link_for[value] = self.urls.address(value)
            return target

    def introduction(self):
        """The M3 site's introduction page (``layout: m3/m3-layout``), which the home page links, or None."""
        return next((p for p in self.site.playbook.pages if p.introduction and self.urls.has(p)), None)

    @staticmethod
    def resource_sections(resources) -> list[tuple]:
        """(section, its anchor) of each section of the Resources page."""
        return list(zip(resources.sections, Urls.section_ids(s.name for s in resources.sections)))

    def resource_item(self, item) -> Markup:
        """One download of the Resources page as a list item: its link, type and size. A file that no folder
        holds is named, not linked (it was warned about)."""
        name, value = self.text.inline(item.name), item.filename or item.url
        target = self.link_for(value)
        suffix = value.rsplit("/", 1)[-1]
        kind = files.kind_of(suffix) if "." in suffix else ""
        if target is None:
            return Markup(f'<li>{name} <span class="pb-muted">({escape(value)})</span></li>\n')
        if item.filename and target.startswith(self.urls.folder(files.TEMPLATE_FILES)) and self.files is not None:
            src = self.files.get(files.TEMPLATE_FILES + item.filename.strip())
            if src is None:
                return Markup(f'<li>{name} <span class="pb-muted">({escape(kind)}; not available)</span></li>\n')
            kind = f"{kind}, {files.size_text(src.stat().st_size)}"
        about = f' <span class="pb-muted">({escape(kind)})</span>' if kind else ""
        cls = ' class="pb-download"' if item.filename else ""
        return Markup(f'<li><a{cls} href="{escape(target)}">{name}</a>{about}</li>\n')

    def fragment_pages(self) -> set[str]:
        """The pages the layouts link with a #fragment: the home page (#phases), the artifacts page
        (#flow) and the glossary (each term)."""
        g = self.site.playbook.glossary
        return {self.urls.home, self.urls.artifacts} | ({self.urls.of(g)} if g and self.urls.has(g) else set())

    def term_href(self, name: str) -> str | None:
        """Link to a stakeholder's glossary entry, when the glossary defines the role."""
        g = self.site.playbook.glossary
        term = self.site.terms.get(role_key(name))
        if not g or not term or not self.urls.has(g):
            return None
        return self.urls.href(self.urls.glossary_term(self.urls.of(g), term))

    @staticmethod
    def stakeholder_groups(task: KeyTask) -> list[tuple[str, list]]:
        """Stakeholders by party: Customer, Provider, QSMO, then Shared; empty groups left out."""
        groups = {p: [] for p in (*PARTIES, SHARED)}
        for s in task.stakeholders:
            groups[s.responsibility.key].append(s)
        return [(PARTY_LABELS[k], v) for k, v in groups.items() if v]

    # --- pages ---------------------------------------------------------------
    def _page(self, template: str, path: str, **ctx) -> tuple[str, str]:
        ctx.setdefault("current", path)
        src = ctx.get("task") or ctx.get("phase") or ctx.get("glossary") or ctx.get("doc") or ctx.get("resources")
        if src is not None and hasattr(src, "path"):
            self.sources[path] = src.path  # the link checker reports a page's problems on its file
        self.urls.page = path
        html = self.env.get_template(template).render(page_path=path, **ctx)
        if path in self.anchor_pages:
            self.anchors[path] = frozenset(unescape(i) if "&" in i else i for i in _ID.findall(html))
        return path, html

    def _made(self, job: tuple[str, str, dict]) -> tuple[str, str]:
        template, path, ctx = job
        return self._page(template, path, **ctx)

    # (template, site path, context) of the pages that `playbook serve` renders
    # on their own after an edit, without planning the rest (some contexts,
    # such as a party's listing, take long to make)
    def home_page(self) -> tuple[str, str, dict]:
        """The home page as (template, site path, context)."""
        return "home.html", self.urls.home, dict(title=self.info.title, description=self.info.description)

    def phase_page(self, phase) -> tuple[str, str, dict]:
        """A phase's page as (template, site path, context)."""
        return "phase.html", self.urls.of(phase), dict(
            phase=phase, title=f"Phase {phase.number}: {self.text.plain(phase.name)}",
            description=self.text.plain(phase.description or phase.objective))

    def task_page(self, t: KeyTask) -> tuple[str, str, dict]:
        """A key task's page as (template, site path, context)."""
        site = self.site
        return "task.html", self.urls.of(t), dict(
            task=t, phase=site.phase_of.get(t.phase), title=f"{t.id} {self.text.plain(t.name)}",
            description=self.text.plain(t.description or t.objective),
            prev=site.prev.get(t.id), next=site.next.get(t.id))

    def glossary_page(self, g) -> tuple[str, str, dict]:
        """The glossary's page as (template, site path, context)."""
        return "glossary.html", self.urls.of(g), dict(
            glossary=g, title=self.text.plain(g.title),
            description=f"Definitions of the terms and roles used in the {self.info.title}.")

    def resources_page(self, r) -> tuple[str, str, dict]:
        """The Resources page as (template, site path, context)."""
        return "resources.html", self.urls.of(r), dict(
            resources=r, title=self.text.plain(r.title),
            description=self.text.plain(r.description) or f"Templates and documents of the {self.info.title} to download.")

    def plain_page(self, p) -> tuple[str, str, dict]:
        """A plain page as (template, site path, context)."""
        return "page.html", self.urls.of(p), dict(
            doc=p, title=self.text.plain(p.title),
            description=self.text.plain(p.description) or self.text.plain(p.title))

    def activities_page(self) -> tuple[str, str, dict]:
        """The playbook-wide activities page as (template, site path, context)."""
        return "activities.html", self.urls.activities, dict(
            listing=browse.all_activities(self.site), title="Activities across the playbook",
            description="Every activity of every key task, by phase, filterable by responsible party, "
                        "phase and workstream.")

    def party_page(self, party: str) -> tuple[str, str, dict]:
        """One responsible party's page as (template, site path, context)."""
        label = PARTY_LABELS[party]
        return "party.html", self.urls.party(party), dict(
            party=party, listing=browse.for_party(self.site, party), title=f"{label}: activities and key tasks",
            description=f"Every key task and activity that involves {browse.PARTY_WHO[party]}, "
                        "across all phases of the playbook.")

    def downloads_page(self) -> tuple[str, str, dict]:
        """The downloads page as (template, site path, context); it shows each download's size."""
        return "downloads.html", self.urls.downloads, dict(
            files=self.downloads, title="Downloads",
            description=f"The {self.info.title} as a PDF, a spreadsheet and data files.")

    def single_pages(self) -> list[tuple[object, Callable]]:
        """(content object, its page maker) for the glossary, the Resources page and the plain pages that
        have pages, in the order the site lists them."""
        pb = self.site.playbook
        makers = [(pb.glossary, self.glossary_page), (pb.resources, self.resources_page),
                  *((p, self.plain_page) for p in pb.pages)]
        return [(obj, make) for obj, make in makers if obj is not None and self.urls.has(obj)]

    def pages(self) -> Iterator[tuple[str, str]]:
        """Every HTML page of the site, in a stable order."""
        site, urls = self.site, self.urls
        yield self._made(self.home_page())
        for number in site.phase_numbers():
            phase = site.phase_of.get(number)
            if phase is None or not urls.has(phase):
                continue
            yield self._made(self.phase_page(phase))
        for t in site.playbook.tasks:
            if not urls.has(t):
                continue
            yield self._made(self.task_page(t))
        for obj, make in self.single_pages():
            yield self._made(make(obj))
        yield self._made(self.activities_page())
        for party in browse.FILTER_PARTIES:
            yield self._made(self.party_page(party))
        for template, path, ctx in self.artifacts.pages():
            yield self._page(template, path, **ctx)
        if self.downloads:
            yield self._made(self.downloads_page())
        yield self._page("404.html", urls.not_found, title="Page not found",
                         description="The page you asked for is not here.")

    def sitemap(self, page_paths: list[str]) -> str:
        """sitemap.xml for a site of these pages (site paths)."""
        return self.env.get_template("sitemap.xml").render(paths=sorted(p for p in page_paths if p.endswith("/")))

    def extra_files(self, page_paths: list[str]) -> Iterator[tuple[str, str | bytes]]:
        """sitemap.xml, robots.txt, and the artifact tracker (CSV, XLSX) and flow picture (SVG)."""
        yield self.urls.sitemap, self.sitemap(page_paths)
        yield self.urls.robots, self.env.get_template("robots.txt").render()
        yield from self.artifacts.files()
