"""Incremental rebuilds for ``playbook serve``: the site stays in memory, a save redoes what it touches.

On a change, only the changed files are read and checked again (the others'
results are reused, diagnostics included), then the whole playbook is
assembled and linked again, which is linear and cheap. Only the pages the
change can show up on are rendered:

- the key task itself, its phase page and its previous and next tasks;
- the tasks linked to it through artifacts (producers of its inputs,
  consumers of its outputs, before and after the edit);
- every page of its phase, when its title changed (the side navigation
  lists the phase's tasks by title);
- the index pages (home, activities, parties, artifacts, ...), always.

Anything else (a file added or removed, a phase, glossary, page or registry
file, a new number or permalink, a layout) renders the whole site again.
Pages are written straight into the served folder: this is a development
server, not the atomic ``build``.
"""
from __future__ import annotations

import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import assets, link, load, parallel, pipeline, validate
from .diagnostics import Diagnostic, Diagnostics
from .link import name_key
from .model import KeyTask
from .urls import Urls

CONTENT_KINDS = {"task.html", "phase.html", "glossary.html", "page.html"}
"""Templates of pages made from one content file; every other page is an index."""


@dataclass
class Outcome:
    """What one (re)build did."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Every problem in the content now, sorted."""
    ok: bool = True
    """False when errors kept the pages from being rendered."""
    rendered: list[str] = field(default_factory=list)
    """Site paths rendered (empty when nothing could be)."""
    full: bool = False
    """True when the whole site was rendered."""
    deferred: int = 0
    """Index pages left to :meth:`DevBuild.render_stale`."""
    seconds: float = 0.0
    """Wall time of the rebuild."""


class DirectWriter:
    """Writes files into the served folder in place (the interface of :class:`playbook.write.SiteWriter`)."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.tmp = self.root
        self.count = 0
        self._dirs: set[Path] = set()

    def _target(self, rel: str) -> Path:
        if ".." in Path(rel).parts or Path(rel).is_absolute():
            raise ValueError(f"refusing to write outside the served folder: {rel}")
        target = self.root / rel
        if target.parent not in self._dirs:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(target.parent)
        return target

    def write(self, rel: str, data: str | bytes) -> None:
        """Write one file below the served folder."""
        self._target(rel).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        self.count += 1

    def copy(self, src: Path, rel: str) -> None:
        """Copy one file below the served folder."""
        shutil.copyfile(src, self._target(rel))
        self.count += 1


class DevBuild:
    """The loaded site of one ``playbook serve`` session, and how to bring it up to date."""

    def __init__(self, options, out: Path, workers: int | None = None, defer_indexes: bool = False):
        self.options = options
        self.defer_indexes = defer_indexes
        """After an edit, leave index pages to :meth:`render_stale` (the server does them next)."""
        self.stale: dict[str, tuple] = {}
        """Site path -> (renderer, planned page) of index pages not yet rendered for the latest edit."""
        self.lock = threading.RLock()
        """Held while the site or the served folder changes (watcher and HTTP threads share it)."""
        self.out = Path(out)
        self.content = Path(options.content)
        self.base = self.content.resolve()
        self.workers = workers
        self.docs: dict[str, load.RawDoc] = {}
        """Shown path -> loaded document."""
        self.load_diags: dict[str, list[Diagnostic]] = {}
        """Shown path -> problems found while reading it."""
        self.tree_diags: list[Diagnostic] = []
        self.cache: dict = {}
        """Validation results per document (see :func:`playbook.validate.build_playbook`)."""
        self.site = None
        """The last site that rendered without errors."""
        self.renderer = None
        self.dirty: set[str] | None = None
        """Changed files not yet rendered (after an edit that broke the build); None: render everything."""
        self.writer = DirectWriter(self.out)
        conf_diags = Diagnostics()
        self.conf = pipeline.settings(options, conf_diags)
        self.conf_diags = conf_diags.items
        self.history = None
        self._mentions: dict = {}
        """id(site) -> (site, who mentions whom), for the last two linked sites."""

    # --- reading ---------------------------------------------------------------
    def _shown(self, p: Path) -> tuple[str, str]:
        rel = p.resolve().relative_to(self.base).as_posix()
        return (self.content / rel).as_posix(), rel

    def _read(self, p: Path) -> str:
        shown, rel = self._shown(p)
        d = Diagnostics()
        doc = load.load_file(p, rel, d, shown) if p.is_file() else None
        self.load_diags[shown] = d.items
        if doc is None:
            self.docs.pop(shown, None)
        else:
            self.docs[shown] = doc
        return shown

    def _read_all(self) -> None:
        d = Diagnostics()
        if not self.content.is_dir():
            d.error(str(self.content), 0, "", "content folder does not exist")
            found = []
        else:
            found = load.find_content(self.content, d, self.content.as_posix())
        self.tree_diags = d.items
        self.docs, self.load_diags = {}, {}
        for p in found:
            self._read(p)

    def is_content(self, p: Path) -> bool:
        """True for a content file (Markdown or artifact registry) inside the content folder."""
        try:
            rel = Path(p).resolve().relative_to(self.base)
        except ValueError:
            return False
        if rel.parts and rel.parts[0] == load.CONTENT_FILES.split("/")[0]:
            return False
        name = rel.name
        return name.endswith(load.CONTENT_SUFFIXES) or name in ("artifacts.yaml", "artifacts.yml")

    def _assemble(self):
        diags = Diagnostics()
        diags.extend(self.conf_diags)
        diags.extend(self.tree_diags)
        for shown in sorted(self.load_diags):
            diags.extend(self.load_diags[shown])
        docs = [self.docs[k] for k in sorted(self.docs, key=lambda s: self._sort_key(s))]
        self.cache = {k: v for k, v in self.cache.items() if k in self.docs}
        playbook = validate.build_playbook(docs, diags, self.cache)
        urls = Urls("/")  # served at the root of 127.0.0.1, whatever the configured base URL
        urls.assign(playbook, diags)
        site = link.link(playbook, diags)
        return site, urls, diags

    def _sort_key(self, shown: str):
        # the order load_tree gives: os.walk with sorted names, files before subfolders
        parts = self.docs[shown].rel.split("/")
        return tuple((1, p) for p in parts[:-1]) + ((0, parts[-1]),)

    # --- rendering -------------------------------------------------------------
    def _renderer(self, site, urls):
        from . import history, render

        if self.history is None:  # one git log per session: dates do not change while editing
            self.history = history.read(self.content, self.content.absolute().parent)
        # no search index and no downloads (PDF, exports) while editing: they are for `build`
        r = render.Renderer(site, urls, self.options.layouts, info=self.conf, search=False, history=self.history)
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
            r.env = env
        return r

    def _copy_assets(self) -> None:
        w = self.writer
        for src, rel in assets.uswds_files(assets.find_uswds()):
            w.copy(src, "assets/uswds/" + rel)
        static = Path(self.options.static)
        if static.is_dir():
            for src in sorted(p for p in static.rglob("*") if p.is_file()):
                w.copy(src, "assets/" + src.relative_to(static).as_posix())
        for src, rel in load.find_files(self.content, load.CONTENT_FILES, Diagnostics()):
            w.copy(src, "assets/files/" + rel)

    def copy_static(self, p: Path) -> bool:
        """Copy one changed static or published file; False when it is neither."""
        p = Path(p)
        for root, prefix in ((Path(self.options.static), "assets/"),
                             (self.content / load.CONTENT_FILES, "assets/files/")):
            try:
                rel = p.resolve().relative_to(root.resolve()).as_posix()
            except ValueError:
                continue
            if p.is_file():
                self.writer.copy(p, prefix + rel)
            else:
                (self.out / (prefix + rel)).unlink(missing_ok=True)
            return True
        return False

    def build(self) -> Outcome:
        """Load everything and render the whole site into the served folder."""
        start = time.perf_counter()
        self._read_all()
        self.dirty = None
        self.out.mkdir(parents=True, exist_ok=True)
        self._copy_assets()
        out = self._refresh(set(), fork=True)
        out.seconds = time.perf_counter() - start
        return out

    def update(self, changed: list[Path], layouts_changed: bool = False) -> Outcome:
        """Bring the site up to date after ``changed`` content files were saved, added or removed."""
        with self.lock:
            return self._update(changed, layouts_changed)

    def render_stale(self, path: str | None = None) -> int:
        """Render the index page at site path ``path`` if it is stale, or every stale one; returns pages rendered."""
        done = 0
        while True:
            with self.lock:
                if path is not None:
                    item = self.stale.pop(path, None)
                elif self.stale:
                    item = self.stale.pop(next(iter(self.stale)))
                else:
                    item = None
                if item is None:
                    return done
                renderer, job = item
                self.writer.write(renderer.urls.output_file(job[0]), parallel.render_one(renderer, job))
                done += 1
            if path is not None:
                return done

    def _update(self, changed: list[Path], layouts_changed: bool) -> Outcome:
        start = time.perf_counter()
        touched = set()
        structural = layouts_changed
        for p in changed:
            shown, _ = self._shown(p)
            existed = shown in self.docs
            self._read(p)
            touched.add(shown)
            if existed != (shown in self.docs):
                structural = True
        if self.dirty is not None:
            self.dirty |= touched
        if structural:
            self.dirty = None
        out = self._refresh(self.dirty or set(), fork=False)
        out.seconds = time.perf_counter() - start
        return out

    def _refresh(self, touched: set[str], fork: bool) -> Outcome:
        site, urls, diags = self._assemble()
        outcome = Outcome(diagnostics=diags.sorted())
        if diags.failed(self.options.strict):
            outcome.ok = False
            return outcome
        old = self.site
        affected = None if old is None or self.dirty is None else self._affected(old, site, urls, touched)
        renderer = self._renderer(site, urls)
        jobs = parallel.plan(renderer)
        self.stale = {}
        if affected is None:
            chosen = jobs
            self._clear_pages()
        elif self.defer_indexes:
            chosen = [j for j in jobs if j[0] in affected and j[1] in CONTENT_KINDS]
            self.stale = {j[0]: (renderer, j) for j in jobs if j[1] not in CONTENT_KINDS}
        else:
            chosen = [j for j in jobs if j[0] in affected or j[1] not in CONTENT_KINDS]
        if fork and affected is None:  # first build, before any server thread exists
            paths, _ = parallel.render_pages(renderer, self.writer, workers=self.workers)
        else:
            for job in chosen:
                self.writer.write(urls.output_file(job[0]), parallel.render_one(renderer, job))
            paths = [j[0] for j in chosen]
        if affected is None:
            for path, text in renderer.extra_files([j[0] for j in jobs]):
                self.writer.write(urls.output_file(path), text)
        self.site, self.renderer, self.dirty = site, renderer, set()
        outcome.rendered = paths
        outcome.full = affected is None
        outcome.deferred = len(self.stale)
        return outcome

    def _clear_pages(self) -> None:
        """Remove the HTML of an earlier full render, so pages of deleted files disappear."""
        if not self.out.is_dir():
            return
        for p in self.out.rglob("*.html"):
            if "assets" not in p.relative_to(self.out).parts[:1]:
                p.unlink()

    # --- what a change touches -------------------------------------------------
    def _affected(self, old, new, urls: Urls, touched: set[str]) -> set[str] | None:
        """Site paths to render again, or None when the whole site must be."""
        old_by_path = {t.path: t for t in old.playbook.tasks}
        new_by_path = {t.path: t for t in new.playbook.tasks}
        paths: set[str] = set()
        for shown in touched:
            a, b = old_by_path.get(shown), new_by_path.get(shown)
            if a is None or b is None or a.id != b.id or a.permalink != b.permalink or not urls.has(b):
                return None  # not a key task, or one that moved: every listing may change
            paths.add(urls.of(b))
            for site, t in ((old, a), (new, b)):
                for n in (site.prev.get(t.id), site.next.get(t.id)):
                    if n is not None:
                        paths.add(urls.of(n))
                phase = site.phase_of.get(t.phase)
                if phase is not None and urls.has(phase):
                    paths.add(urls.of(phase))
                for other in self._neighbours(site, t):
                    if urls.has(other):
                        paths.add(urls.of(other))
            if a.name != b.name or a.workstream != b.workstream:
                for t in new.tasks_by_phase.get(b.phase, ()):
                    paths.add(urls.of(t))
        return paths

    def _neighbours(self, site, task: KeyTask) -> list:
        """Tasks whose pages show ``task`` through an artifact.

        With the linker's artifact index, exactly the tasks whose cross-links
        (producer, other producers, users, neighbours) name ``task``; without
        one, producers of its inputs and consumers of its outputs by loose
        name, which can only find more tasks, never fewer.
        """
        names = self._mentions.get(id(site))
        if names is None or names[0] is not site:  # one pass per linked site (the old and the new one)
            links = getattr(getattr(site, "artifacts", None), "links", None)
            names = (site, mentioned_by(site, links) if isinstance(links, dict) else artifact_names(site))
            self._mentions = {k: v for k, v in self._mentions.items() if v[0] in (self.site, site)}
            self._mentions[id(site)] = names
        names = names[1]
        if isinstance(names, dict):
            found = dict(names.get(task.path, {}))
        else:
            producers, consumers = names
            found = {}
            for key in task_artifacts(task, "in"):
                found.update(producers.get(key, {}))
            for key in task_artifacts(task, "out"):
                found.update(consumers.get(key, {}))
        found.pop(task.path, None)
        return list(found.values())

def task_artifacts(task: KeyTask, side: str) -> set[str]:
    """Loose keys of the artifacts a task takes in (``in``) or produces (``out``)."""
    if side == "in":
        return {name_key(r.name) for r in task.inputs}
    return {name_key(r.name) for r in task.outputs} | {name_key(a.output) for a in task.all_activities if a.output}


def artifact_names(site) -> tuple[dict, dict]:
    """(producers, consumers): loose artifact key -> {path: task}."""
    producers: dict[str, dict] = {}
    consumers: dict[str, dict] = {}
    for t in site.playbook.tasks:
        for key in task_artifacts(t, "out"):
            producers.setdefault(key, {})[t.path] = t
        for key in task_artifacts(t, "in"):
            consumers.setdefault(key, {})[t.path] = t
    return producers, consumers


def _link_tasks(links, out: list) -> None:
    """The key tasks a task's cross-links name (the fields of :class:`playbook.artifacts.TaskLinks`)."""
    try:
        for i in links.inputs:
            out.append(i.producer)
            out.extend(i.others)
        for o in links.outputs:
            out.append(o.created_by)
            out.extend(o.updates)
            out.extend(o.used_by)
        out.extend(n.task for n in links.upstream)
        out.extend(n.task for n in links.downstream)
    except AttributeError:  # a shape this module does not know: look at every field
        _tasks_in(links, out)


def _tasks_in(value, out: list) -> None:
    """Collect the key tasks inside a cross-link record (artifact records are not entered)."""
    if isinstance(value, KeyTask):
        out.append(value)
    elif isinstance(value, (tuple, list)):
        for v in value:
            _tasks_in(v, out)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            if name not in ("artifact", "ref"):
                _tasks_in(getattr(value, name), out)


def mentioned_by(site, links: dict) -> dict[str, dict]:
    """Task path -> {path: task} of the tasks whose page names it in a cross-link."""
    out: dict[str, dict] = {}
    for t in site.playbook.tasks:
        found: list = []
        tl = links.get(t.id)
        if tl is not None:
            _link_tasks(tl, found)
        for x in found:
            if isinstance(x, KeyTask):
                out.setdefault(x.path, {})[t.path] = t
    return out
