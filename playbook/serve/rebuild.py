"""Incremental rebuilds for ``playbook serve``: the site stays in memory, a save redoes what it touches.

On a change, only the changed files are read and checked again (the others'
results are reused, diagnostics included). Then, by what the edit changed:

- key tasks whose link fields (:func:`playbook.link.link_fields`) are as
  they were but for the name and the lines, with the permalink kept: the
  playbook is not linked again. The linked site is the old one with the new
  task objects swapped in (:func:`playbook.link.replace_tasks`) and the
  diagnostics are the old ones with the edited files' own problems swapped,
  what linking said about them moved with their lines, and the phase files'
  lists matched again after a rename. Rendered: the task's page; its phase
  page when the quick view there changed; the home, activities and party
  pages that show what changed (:mod:`playbook.appearances`); after a rename,
  every page that names the task (:func:`playbook.appearances.relinked_pages`);
- one key task's inputs or outputs: linked again by themselves on a copy of
  the kept sweep (:mod:`playbook.input_relink`, :mod:`playbook.output_relink`,
  through :func:`playbook.link.replace_tasks`), and the pages rendered are the
  task's page and phase page, and every key task, artifact and index page
  whose view of the cross-links changed;
- key tasks in other fields linking reads (a related page, or the inputs or
  outputs of several tasks saved together), with their ids and addresses
  kept: the whole playbook is linked again, and the pages rendered are found
  as above;
- anything else (a file added or removed, a phase, glossary, page or registry
  file, a new number or permalink, a name that now looks up an artifact with
  another page, a layout): the whole site is rendered again.

With ``defer_indexes``, all but the edited tasks' pages and their phase pages
(other key task pages, index pages and generated files such as the tracker
and flow picture) are left to :meth:`DevBuild.render_stale`, which the server
runs after the browser has been told to reload, or for one page as soon as a
browser asks for it. Pages are written straight into the served
folder: this is a development server, not the atomic ``build``.
"""
from __future__ import annotations

import shutil
import threading
import time
from bisect import bisect_left, insort
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from playbook.serve import appearances
from playbook.publish import assets
from playbook import collector
from playbook.link import site as link
from playbook.load import documents as load
from playbook.render import parallel
from playbook import pipeline
from playbook.model import validate
from playbook.diagnostics import Diagnostic, Diagnostics
from playbook.model.types import KeyTask
from playbook.urls import Urls

Maker = Callable[[object], list]
"""Renderer -> [(site path, text or bytes)]: how to make a stale page or files."""


def _page_maker(make: appearances.PageMaker) -> Maker:
    """A :data:`Maker` for one page, from a renderer -> (template, site path, context) function."""
    def made(renderer) -> list:
        template, path, ctx = make(renderer)
        return [(path, parallel.render_one(renderer, (path, template, ctx)))]
    return made


class _ContentMaker:
    """A :data:`Maker` for the page of a key task or phase, as the site holds it when the page is made.

    One per stale page, and an edit may leave thousands stale: a small object, not closures."""

    __slots__ = ("key", "phase", "task")

    def __init__(self, obj):
        self.task = isinstance(obj, KeyTask)
        self.key, self.phase = (obj.id, obj.phase) if self.task else (obj.number, None)

    def __call__(self, renderer) -> list:
        site = renderer.site
        if self.task:
            now = next((t for t in site.tasks_by_phase.get(self.phase, ()) if t.id == self.key), None)
        else:
            now = site.phase_of.get(self.key)
        if now is None or not renderer.urls.has(now):
            return []
        template, path, ctx = renderer.task_page(now) if self.task else renderer.phase_page(now)
        return [(path, parallel.render_one(renderer, (path, template, ctx)))]


def _resorted(ordered: list[Diagnostic], gone: list[Diagnostic], came: list[Diagnostic]) -> list[Diagnostic]:
    """``ordered`` (sorted by :meth:`Diagnostic.sort_key`) without ``gone`` and with ``came``, still sorted:
    a few found by halving instead of sorting thousands again."""
    out = list(ordered)
    for d in gone:
        i = bisect_left(out, d.sort_key(), key=Diagnostic.sort_key)
        while out[i] != d:  # another one with the same key
            i += 1
        del out[i]
    for d in came:
        insort(out, d, key=Diagnostic.sort_key)
    return out


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
    """Index pages and generated files left to :meth:`DevBuild.render_stale`."""
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

    def remove(self, rel: str) -> None:
        """Delete one file below the served folder, and its folder once empty."""
        target = self._target(rel)
        target.unlink(missing_ok=True)
        try:
            target.parent.rmdir()
            self._dirs.discard(target.parent)
        except OSError:  # not empty
            pass

    def copy(self, src: Path, rel: str) -> None:
        """Copy one file below the served folder."""
        shutil.copyfile(src, self._target(rel))
        self.count += 1


class DevBuild:
    """The loaded site of one ``playbook serve`` session, and how to bring it up to date."""

    def __init__(self, options, out: Path, workers: int | None = None, defer_indexes: bool = False):
        self.options = options
        self.defer_indexes = defer_indexes
        """After an edit, leave all but the edited tasks' and their phases' pages to :meth:`render_stale`
        (the server does them next)."""
        self.stale: dict[str, Maker] = {}
        """Site path -> how to make it, for pages and files an edit changed that are not made yet."""
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
        """Validation results per document (see :func:`playbook.validate.document`)."""
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
        self.urls: Urls | None = None
        """The site paths of :attr:`site`."""
        self._counts: Counter = Counter()
        """Every diagnostic of :attr:`site` as reported (a multiset: the same one may come twice)."""
        self._own: dict[str, list[Diagnostic]] = {}
        """Shown path -> what reading and checking that file alone reported, for :attr:`site`."""
        self._sorted: list[Diagnostic] = []
        """The diagnostics of :attr:`site`, as :meth:`Diagnostics.sorted` gives them."""

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
            found = load.find_content(self.content, d, self.content.as_posix(), self.conf.include, self.conf.exclude)
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
        return (name.endswith(load.CONTENT_SUFFIXES) or name in ("artifacts.yaml", "artifacts.yml")) \
            and load.selected(rel.as_posix(), self.conf.include, self.conf.exclude)

    def _assemble(self):
        diags = Diagnostics()
        diags.extend(self.conf_diags)
        diags.extend(self.tree_diags)
        for shown in sorted(self.load_diags):
            diags.extend(self.load_diags[shown])
        docs = [self.docs[k] for k in sorted(self.docs, key=lambda s: self._sort_key(s))]
        self.cache = {k: v for k, v in self.cache.items() if k in self.docs}
        playbook = validate.build_playbook(docs, diags, self.cache)
        urls = Urls("/", self.conf.host_url)  # served at the root of 127.0.0.1, whatever the configured base URL
        urls.assign(playbook, diags)
        site = link.link(playbook, diags, editable=True)
        return site, urls, diags

    def _sort_key(self, shown: str):
        # the order load_tree gives: os.walk with sorted names, files before subfolders
        parts = self.docs[shown].rel.split("/")
        return tuple((1, p) for p in parts[:-1]) + ((0, parts[-1]),)

    # --- rendering -------------------------------------------------------------
    def _renderer(self, site, urls):
        from playbook.load import history
        from playbook.render import renderer as render

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
            # a layout imported with {% from %} keeps the module it made the first time, whose
            # macros read the globals as they were then (the last site): it is made again
            for template in list(env.cache.values()) if env.cache is not None else ():
                template._module = None
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

    @collector.fewer_collections()
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

    @collector.fewer_collections()
    def update(self, changed: list[Path], layouts_changed: bool = False) -> Outcome:
        """Bring the site up to date after ``changed`` content files were saved, added or removed."""
        with self.lock:
            return self._update(changed, layouts_changed)

    def render_stale(self, path: str | None = None) -> int:
        """Make the stale page or file at site path ``path``, or every stale one; returns how many were made."""
        done = 0
        while True:
            with self.lock:
                key = path if path is not None else next(iter(self.stale), None)
                if key not in self.stale:
                    return done
                done += self._make(key, self.renderer)
            if path is not None:
                return done

    def _make(self, key: str, renderer) -> int:
        """Make the stale item at ``key`` with ``renderer``; returns how many stale items that made."""
        make = self.stale.pop(key)
        done = 1
        for path, data in make(renderer):
            if data is None:  # a page the edit took away
                self.writer.remove(renderer.urls.output_file(path))
            else:
                self.writer.write(renderer.urls.output_file(path), data)
            if path != key and self.stale.get(path) is make:  # made together, as the tracker files are
                del self.stale[path]
                done += 1
        return done

    def _update(self, changed: list[Path], layouts_changed: bool) -> Outcome:
        start = time.perf_counter()
        # a file added, removed or unreadable is not a key task of both the old and the new site,
        # which both ways of rebuilding below check: it renders the whole site
        touched = {self._read(p) for p in changed}
        if self.dirty is not None:
            self.dirty |= touched
        if layouts_changed:
            self.dirty = None
        out = self._refresh(self.dirty if self.dirty is not None else set(), fork=False)
        out.seconds = time.perf_counter() - start
        return out

    def _refresh(self, touched: set[str], fork: bool) -> Outcome:
        if self.site is not None and self.dirty is not None:
            out = self._quick(touched)
            if out is not None:
                return out
        return self._relink(touched, fork)

    def _commit(self, site, urls: Urls, renderer, counts: Counter, own: dict, diagnostics: list) -> None:
        self.site, self.urls, self.renderer, self.dirty = site, urls, renderer, set()
        self._counts, self._own, self._sorted = counts, own, diagnostics

    def _own_problems(self, shown: str) -> list[Diagnostic]:
        """What reading and checking the file ``shown`` alone reports now."""
        found = list(self.load_diags.get(shown, ()))
        doc, hit = self.docs.get(shown), self.cache.get(shown)
        if doc is not None and hit is not None and hit[0] is doc:
            found += hit[2]
        return found

    # --- edits that linking does not see ---------------------------------------
    def _quick(self, touched: set[str]) -> Outcome | None:
        """Rebuild after edits to key tasks that leave their link fields and permalink alone; None otherwise."""
        old = self.site
        before = {t.path: t for t in old.playbook.tasks}
        edits = []
        for shown in sorted(touched):
            doc, a, old_doc = self.docs.get(shown), before.get(shown), old.playbook.sources.get(shown)
            if doc is None or a is None or old_doc is None or doc.kind != load.KEY_TASK:
                return None
            b, _ = validate.document(doc, self.cache)
            # the address, and the line an address problem would be reported on, must stay
            if b is None or b.permalink != a.permalink or doc.line("permalink") != old_doc.line("permalink"):
                return None
            edits.append((a, b))
        swap = link.replace_tasks(old, [b for _, b in edits], {b.path: self.docs[b.path] for _, b in edits})
        problems = None if swap is None else self._swap_problems(touched, swap)
        if problems is None:
            return None
        site, (counts, own, diagnostics) = swap.site, problems
        outcome = Outcome(diagnostics=diagnostics)
        if diagnostics is not self._sorted and Diagnostics(diagnostics).failed(self.options.strict):
            outcome.ok = False
            return outcome
        urls = self.urls
        renderer = self._renderer(site, urls)
        renamed = any(a.name != b.name for a, b in edits)
        if renamed or swap.relinked:  # every page that names the task, or shows the cross-links worked out again
            plan = appearances.relinked_pages(old, site, edits, urls, None if renamed else swap.relinked,
                                              swap.differ)
            if plan is None:
                return None
            self._render_some(renderer, *plan, outcome, edits)
        else:
            content: dict[str, object] = {}
            pages: dict = {}
            for a, b in edits:
                if urls.has(b):
                    content[urls.of(b)] = b
                phase = site.phase_of.get(b.phase)
                if phase is not None and urls.has(phase) and appearances.phase_card(a) != appearances.phase_card(b):
                    content[urls.of(phase)] = phase
                pages.update(appearances.index_pages(a, b, urls))
            self._render_some(renderer, list(content.values()), pages, {}, outcome, edits)
        self._commit(site, urls, renderer, counts, own, diagnostics)
        return outcome

    def _swap_problems(self, touched: set[str], swap: link.Swap) -> tuple[Counter, dict, list] | None:
        """The diagnostics of :attr:`site` after the edit ``swap`` describes, or None if they cannot be told.

        The touched files' own problems are swapped for what they report now.
        What linking, site paths and the whole-playbook checks report stays,
        but for a touched task whose linked lines moved, where it moves with
        them (None when one of them is at a line that did not move with the
        link fields), and for phase listings after a rename, which
        ``swap`` lists before and after. The counts keep a problem reported
        twice until both reports are gone. Returns the previous sorted list
        itself when no problem came or went.
        """
        counts, own = self._counts.copy(), dict(self._own)
        seen: set[Diagnostic] = set()

        def drop(ds) -> None:
            for d in ds:
                counts[d] -= 1
                if counts[d] <= 0:
                    del counts[d]

        drop(swap.dropped)  # at the lines they were reported at, before the rest moves
        for shown in touched:
            was, now = own.get(shown, []), self._own_problems(shown)
            drop(was)
            moved = swap.lines.get(shown)
            if moved:
                rest = [(d, n) for d, n in counts.items() if d.path == shown]
                if any(d.line and d.line not in moved for d, _n in rest):
                    return None
                for d, _n in rest:
                    del counts[d]
                for d, n in rest:
                    there = replace(d, line=moved.get(d.line, d.line))
                    counts[there] += n
                    seen.update((d, there))
            counts.update(now)
            own[shown] = now
            seen.update(was, now)
        counts.update(swap.added)
        seen.update(swap.dropped, swap.added)
        gone = [d for d in seen if d in self._counts and d not in counts]
        came = [d for d in seen if d in counts and d not in self._counts]
        if not gone and not came:
            return counts, own, self._sorted
        return counts, own, _resorted(self._sorted, gone, came)

    # --- edits that need linking again -------------------------------------------
    def _relink(self, touched: set[str], fork: bool) -> Outcome:
        """Load, check and link the whole playbook, then render what changed (or everything)."""
        site, urls, diags = self._assemble()
        diagnostics = diags.sorted()
        outcome = Outcome(diagnostics=diagnostics)
        if diags.failed(self.options.strict):
            outcome.ok = False
            return outcome
        old = self.site
        plan = None if old is None or self.dirty is None else self._affected(old, site, urls, touched)
        renderer = self._renderer(site, urls)
        if plan is None:
            self._render_all(renderer, fork, outcome)
        else:
            content, pages, files, edits = plan
            self._render_some(renderer, content, pages, files, outcome, edits)
        own = {shown: self._own_problems(shown) for shown in self.load_diags.keys() | self.docs.keys()}
        self._commit(site, urls, renderer, Counter(diags.items), own, diagnostics)
        site.artifacts.referrers()  # worked out now, so the next quick edit does not wait for it
        return outcome

    def _affected(self, old, new, urls: Urls, touched: set[str]) -> tuple | None:
        """(content pages, index pages, files, edits) to make again, or None when the whole site must be."""
        old_by_path = {t.path: t for t in old.playbook.tasks}
        new_by_path = {t.path: t for t in new.playbook.tasks}
        edits = []
        for shown in sorted(touched):
            a, b = old_by_path.get(shown), new_by_path.get(shown)
            if a is None or b is None or a.id != b.id or a.permalink != b.permalink or not urls.has(b):
                return None  # not a key task, or one that moved: every listing may change
            edits.append((a, b))
        plan = appearances.relinked_pages(old, new, edits, urls)
        return None if plan is None else (*plan, edits)

    # --- writing -------------------------------------------------------------------
    def _render_all(self, renderer, fork: bool, outcome: Outcome) -> None:
        """Render every page and generated file; nothing is stale after."""
        self.stale = {}
        self._clear_pages()
        if fork:  # first build, before any server thread exists
            paths, _ = parallel.render_pages(renderer, self.writer, workers=self.workers)
        else:
            jobs = parallel.plan(renderer)
            for job in jobs:
                self.writer.write(renderer.urls.output_file(job[0]), parallel.render_one(renderer, job))
            paths = [j[0] for j in jobs]
        for path, text in renderer.extra_files(paths):
            self.writer.write(renderer.urls.output_file(path), text)
        outcome.rendered, outcome.full = paths, True

    def _render_some(self, renderer, content: list, pages: dict, files: dict, outcome: Outcome,
                     edits: list[tuple[KeyTask, KeyTask]] = ()) -> None:
        """Render the edited key tasks' pages and their phase pages now; the rest now or, deferred, later.

        The rest is the other key task and phase pages in ``content`` (whose
        cross-links or navigation name an edited task), index pages and
        generated files.
        """
        urls = renderer.urls
        first = {b.id for _a, b in edits} | {b.phase for _a, b in edits}
        later: dict[str, Maker] = {}
        for obj in content:
            path = urls.of(obj)
            if self.defer_indexes and (obj.id if isinstance(obj, KeyTask) else obj.number) not in first:
                later[path] = _ContentMaker(obj)
                continue
            template, path, ctx = renderer.task_page(obj) if isinstance(obj, KeyTask) else renderer.phase_page(obj)
            self.writer.write(urls.output_file(path), parallel.render_one(renderer, (path, template, ctx)))
            outcome.rendered.append(path)
            self.stale.pop(path, None)
        # still stale from an earlier edit: kept, and made with the latest site when their turn comes
        self.stale.update(later)
        self.stale.update({path: _page_maker(make) for path, make in pages.items()})
        self.stale.update(files)
        if not self.defer_indexes:
            outcome.rendered.extend(self.stale)
            while self.stale:
                self._make(next(iter(self.stale)), renderer)
        outcome.deferred = len(self.stale)

    def _clear_pages(self) -> None:
        """Remove the HTML of an earlier full render, so pages of deleted files disappear."""
        if not self.out.is_dir():
            return
        for p in self.out.rglob("*.html"):
            if "assets" not in p.relative_to(self.out).parts[:1]:
                p.unlink()
