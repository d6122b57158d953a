"""Rebuilds for ``playbook serve``: after a save, the whole site made again the way ``build`` makes it.

What reading and checking each file found stays in memory from one save to the
next; a save reads only the changed files again (and walks the folder again when
a file comes or goes). Then the site is checked, given its addresses and linked
as a whole by the build's own code (:func:`playbook.pipeline.link_docs`). The
pages of the files saved (a key task's page and its phase page; a phase,
glossary or plain page) are rendered and written at once, before the browser
is told to reload. Every other page and generated file of the new site is
*stale* until :meth:`DevBuild.render_stale` makes it: the server's background
thread makes them all, and a page a browser asks for is made first. A newer
save replaces the stale set with its own site's; pages the new site no longer
has are removed. A save that breaks the content changes nothing on disk.

Pages are written in place into the served folder (a development server, not
the atomic build), and the layouts compiled once are kept between rebuilds.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from playbook import pipeline
from playbook.diagnostics import Diagnostic, Diagnostics
from playbook.load import documents as load
from playbook.publish import assets
from playbook.publish.files import published
from playbook.publish.writer import FolderWriter
from playbook.render import parallel


@dataclass
class Outcome:
    """What one (re)build did."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Every problem in the content now, sorted."""
    ok: bool = True
    """False when errors kept the pages from being rendered."""
    rendered: list[str] = field(default_factory=list)
    """Site paths rendered and written before returning (empty when nothing could be)."""
    full: bool = False
    """True when the whole site was rendered."""
    deferred: int = 0
    """Pages and generated files left stale, for :meth:`DevBuild.render_stale`."""
    seconds: float = 0.0
    """Wall time of the rebuild."""


class DevBuild:
    """The site of one ``playbook serve`` session, and how to bring it up to date after a save."""

    def __init__(self, options, out: Path, workers: int | None = None):
        # served at the root of 127.0.0.1, whatever the configured base URL
        self.options = replace(options, base_url="/")
        self.out = Path(out)
        self.content = Path(options.content)
        self.workers = workers
        """Render processes for the first build (None: as many as pay off)."""
        self.lock = threading.RLock()
        """Held while the site or the served folder changes (watcher, background and HTTP threads)."""
        self.writer = FolderWriter(self.out)
        conf_diags = Diagnostics()
        self.conf = pipeline.settings(self.options, conf_diags)
        self.conf_diags = conf_diags.items
        self.dates = None
        """Git dates, read once a session: they do not change while editing."""
        self.files: dict[str, tuple[Path, str]] = {}
        """Shown path -> (file, path below the content folder) of each content file, in the order a build reads them."""
        self.walk_diags: list[Diagnostic] = []
        """What finding the files reported (links out of the content folder)."""
        self.docs: dict = {}
        """Shown path -> loaded document (:class:`playbook.load.documents.RawDoc`)."""
        self.said: dict[str, list[Diagnostic]] = {}
        """Shown path -> what reading that file reported."""
        self.checked: dict = {}
        """What checking each document found (:func:`playbook.model.validate.document`'s cache)."""
        self.refs: dict = {}
        """What gathering each file's content links found (:func:`playbook.link.refs.gather`'s cache)."""
        self.touched: set[str] = set()
        """Files saved since the last site that rendered, whose pages come first."""
        self.site = self.urls = self.renderer = None
        """The last site without errors, its addresses and its renderer."""
        self.stale: dict[str, object] = {}
        """Output file -> how to make it: a planned page (:func:`playbook.render.parallel.plan`), or a function
        that makes the generated files (one function under each of their names)."""
        self.pages: set[str] = set()
        """Output files of the pages of :attr:`site`."""
        self.generated: list[str] = []
        """Site paths of the generated files (sitemap, robots.txt, tracker, flow picture)."""
        self.published: dict[str, Path] = {}
        """Output file -> source of each file content links, as served now."""
        self.written: dict[str, int] = {}
        """Output file -> hash of what this session last wrote there: a page made again the same is not
        written again (most pages, after most saves; writing them was most of a background pass)."""
        self.closed = False

    # --- reading ---------------------------------------------------------------
    def _walk(self) -> dict[str, tuple[Path, str]]:
        """Every content file, as :func:`playbook.load.documents.load_tree` finds them."""
        d = Diagnostics()
        if not self.content.is_dir():
            d.error(str(self.content), 0, "", "content folder does not exist")
            found = []
        else:
            found = load.find_content(self.content, d, self.content.as_posix(), self.conf.include,
                                      self.conf.exclude)
        self.walk_diags = d.items
        base = self.content.resolve()
        files = {}
        for p in found:
            rel = p.relative_to(base).as_posix()
            files[(self.content / rel).as_posix()] = (p, rel)
        return files

    def _read(self, shown: str) -> None:
        p, rel = self.files[shown]
        d = Diagnostics()
        doc = load.load_file(p, rel, d, shown)
        self.said[shown] = d.items
        if doc is None:
            self.docs.pop(shown, None)
        else:
            self.docs[shown] = doc

    def _shown(self, p: Path) -> str | None:
        """The path diagnostics give for file ``p`` (a symbolic link is not followed), or None outside the content."""
        p = Path(p).absolute()
        try:
            rel = (p.parent.resolve() / p.name).relative_to(self.content.resolve()).as_posix()
        except ValueError:
            return None
        return (self.content / rel).as_posix()

    def _reread(self, changed: list[Path]) -> set[str]:
        """Read the changed files again, and walk the folder again when one came or went; their shown paths."""
        shown = {s for s in map(self._shown, changed) if s is not None}
        if any(s not in self.files or not self.files[s][0].is_file() for s in shown):
            before, self.files = self.files, self._walk()
            for s in before.keys() - self.files.keys():
                self.docs.pop(s, None)
                self.said.pop(s, None)
                self.checked.pop(s, None)
            shown |= self.files.keys() - before.keys()
        for s in sorted(shown):
            if s in self.files:
                self._read(s)
        return shown

    def is_content(self, p: Path) -> bool:
        """True for a content file (Markdown or artifact registry) inside the content folder."""
        shown = self._shown(p)
        if shown is None:
            return False
        rel = shown[len(self.content.as_posix()):].lstrip("/")
        if rel.split("/")[0] == load.CONTENT_FILES.split("/")[0]:
            return False
        name = rel.rsplit("/", 1)[-1]
        return (name.endswith(load.CONTENT_SUFFIXES) or name in ("artifacts.yaml", "artifacts.yml")) \
            and load.selected(rel, self.conf.include, self.conf.exclude)

    # --- making the site -------------------------------------------------------
    def _renderer(self, r):
        """The renderer ``r`` of the new site, with the compiled layouts of the last one."""
        self.dates = r.history
        if self.renderer is not None:
            # keep the compiled templates: move this renderer's globals and
            # filters into the previous environment (Jinja still reloads a
            # layout whose file changed)
            env = self.renderer.env
            env.globals.clear()
            env.globals.update(r.env.globals)
            env.filters.clear()
            env.filters.update(r.env.filters)
            env.tests.update(r.env.tests)
            # a layout imported with {% from %} keeps the module it made the first time, whose
            # macros read the globals as they were then (the last site): it is made again
            for template in list(env.cache.values()) if env.cache is not None else ():
                template._module = None
            r.env = env
        return r

    def _rebuild(self, fork: bool) -> Outcome:
        """Check and link the whole site; render the saved files' pages now and leave the rest stale.

        The first site without errors is rendered whole (in forked processes when ``fork``)."""
        diags = Diagnostics()
        diags.extend(self.conf_diags)
        diags.extend(self.walk_diags)
        for s in self.files:
            diags.extend(self.said.get(s, ()))
        docs = [self.docs[s] for s in self.files if s in self.docs]
        site, urls = pipeline.link_docs(docs, diags, self.options.base_url, self.checked, host_url=self.conf.host_url)
        made = pipeline.make_renderer(self.options, site, urls, self.conf, self.dates)
        checked, _unlinked = pipeline.check_content_links(
            self.options, self.conf, site, urls, made.text, urls.page_paths() | pipeline.built_in_paths(site, urls),
            diags, also=lambda p: p.startswith(urls.downloads), cache=self.refs)
        out = Outcome(diagnostics=diags.sorted())
        if diags.failed(self.options.strict):
            out.ok = False
            return out
        renderer = self._renderer(made)
        self._publish(dict((rel, src) for src, rel in published(checked.files)))
        if self.site is None:
            self._render_all(renderer, fork, out)
        else:
            first = self._saved_pages(renderer)
            for job in first:
                self._write_page(renderer, job)
            out.rendered = [job[0] for job in first]
            self._plan(renderer, {urls.output_file(p) for p in out.rendered})
        self.site, self.urls, self.renderer, self.touched = site, urls, renderer, set()
        out.deferred = len(self.stale)
        return out

    def _saved_pages(self, renderer) -> list[tuple]:
        """Planned pages of the files saved: a key task's page and its phase page; a phase, glossary, Resources
        or plain page."""
        site, urls, touched = renderer.site, renderer.urls, self.touched
        pb = site.playbook
        found: dict[str, tuple] = {}

        def add(obj, make) -> None:
            if obj is not None and urls.has(obj):
                template, path, ctx = make(obj)
                found.setdefault(path, (path, template, ctx))

        for t in pb.tasks:
            if t.path in touched:
                add(t, renderer.task_page)
                add(site.phase_of.get(t.phase), renderer.phase_page)
        for p in pb.phases:
            if p.path in touched:
                add(p, renderer.phase_page)
        for obj, make in renderer.single_pages():
            if obj.path in touched:
                add(obj, make)
        return list(found.values())

    def _publish(self, files: dict[str, Path]) -> None:
        """Serve the files content links now (output file -> source): copy those new to it, remove those no
        page links any more."""
        for rel in sorted(self.published.keys() - files.keys()):
            self.writer.remove(rel)
        for rel, src in sorted(files.items()):
            if self.published.get(rel) != src:
                self.writer.copy(src, rel)
        self.published = files

    def _write_page(self, renderer, job: tuple) -> None:
        self._put(renderer.urls.output_file(job[0]), parallel.render_one(renderer, job))

    def _put(self, rel: str, data: str | bytes) -> None:
        """Write a page or generated file, unless it holds that already."""
        digest = hash(data)
        if self.written.get(rel) != digest:
            self.writer.write(rel, data)
            self.written[rel] = digest

    def _render_all(self, renderer, fork: bool, out: Outcome) -> None:
        """Render every page and generated file now; nothing is stale after."""
        paths, _ = parallel.render_pages(renderer, self.writer, workers=self.workers if fork else 1)
        self.generated = []
        for path, data in renderer.extra_files(paths):
            self._put(renderer.urls.output_file(path), data)
            self.generated.append(path)
        self.pages = {renderer.urls.output_file(p) for p in paths}
        self.stale = {}
        out.rendered, out.full = paths, True

    def _plan(self, renderer, done: set[str]) -> None:
        """Make every page and generated file of the new site stale but those in ``done``; remove pages it lost."""
        urls = renderer.urls
        jobs = parallel.plan(renderer)
        pages = {urls.output_file(job[0]): job for job in jobs}
        for rel in sorted(self.pages - pages.keys()):
            self.writer.remove(rel)
            self.written.pop(rel, None)
        self.pages = set(pages)
        self.stale = {rel: job for rel, job in pages.items() if rel not in done}
        make_files = partial(renderer.extra_files, [job[0] for job in jobs])
        for path in self.generated:
            self.stale[urls.output_file(path)] = make_files

    def _make(self, rel: str) -> int:
        """Make the stale page or files at output file ``rel``; how many stale items that made."""
        job = self.stale.pop(rel)
        if isinstance(job, tuple):
            self._write_page(self.renderer, job)
            return 1
        made = 1
        for path, data in job():  # the generated files, made together
            other = self.urls.output_file(path)
            self._put(other, data)
            if other != rel and self.stale.get(other) is job:
                del self.stale[other]
                made += 1
        return made

    # --- the session's calls -------------------------------------------------------
    def build(self) -> Outcome:
        """Read everything, copy the assets and render the whole site into the served folder."""
        with self.lock, pipeline.fewer_collections():
            start = time.perf_counter()
            self.files = self._walk()
            for s in self.files:
                self._read(s)
            assets.copy_all(self.writer, assets.uswds_files(assets.find_uswds()), self.options.static, [])
            out = self._rebuild(fork=True)
            out.seconds = time.perf_counter() - start
            return out

    def update(self, changed: list[Path]) -> Outcome:
        """Bring the site up to date after ``changed`` content files were saved, added or removed (or, with none,
        after a layout changed)."""
        with self.lock, pipeline.fewer_collections():
            start = time.perf_counter()
            if self.closed:
                return Outcome(ok=False)
            self.touched |= self._reread(changed)
            out = self._rebuild(fork=False)
            out.seconds = time.perf_counter() - start
            return out

    def render_stale(self, rel: str | None = None) -> int:
        """Make the stale page or file at output file ``rel``, or every stale one; returns how many were made.

        The lock is taken for one page at a time, so a save or a browser's request waits for one page at most."""
        done = 0
        while True:
            with self.lock:
                key = rel if rel is not None else next(iter(self.stale), None)
                if key is None or key not in self.stale:
                    return done
                done += self._make(key)
            if rel is not None:
                return done

    def copy_file(self, p: Path) -> bool:
        """Serve a changed static file, or a changed file that content links, as it is now; False when the
        change needs a rebuild instead (a file of the content's folders came or went: what is published,
        and what is missing, may change)."""
        p = Path(p).absolute()
        here = p.parent.resolve() / p.name  # a symbolic link itself, not where it points
        static = Path(self.options.static).resolve()
        with self.lock:
            if here.is_relative_to(static):
                rel = "assets/" + here.relative_to(static).as_posix()
                if p.is_file():
                    self.writer.copy(p, rel)
                else:
                    self.writer.remove(rel)
                return True
            for rel, src in self.published.items():
                if src.absolute() == here and p.is_file():
                    self.writer.copy(p, rel)
                    return True
        return False

    def close(self) -> None:
        """Stop: no rebuild or stale page is made after this returns."""
        with self.lock:
            self.closed = True
            self.stale = {}
