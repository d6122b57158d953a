"""Link: relations that need the whole playbook known. Pure functions, no I/O.

Prev/next order, tasks by phase and workstream, phase-file names matched to key
tasks, related pages, glossary lookups for stakeholder names, and the artifact
index (:mod:`playbook.artifacts`).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable, NamedTuple

from playbook.link import artifacts
from playbook.diagnostics import Diagnostics, did_you_mean
from playbook.model.types import WORKSTREAMS, KeyTask, Phase, Playbook
from playbook.link.names import listed_task, name_key, role_key, suggest


@dataclass(frozen=True)
class Site:
    """The playbook with every cross-reference resolved once."""

    playbook: Playbook
    """The validated model."""
    tasks_by_phase: dict = field(default_factory=dict)
    """Phase number -> its key tasks in order."""
    phase_of: dict = field(default_factory=dict)
    """Phase number -> Phase (phases with no file have none)."""
    prev: dict = field(default_factory=dict)
    """Task id -> previous task across the whole playbook."""
    next: dict = field(default_factory=dict)
    """Task id -> next task across the whole playbook."""
    phase_listing: dict = field(default_factory=dict)
    """Phase number -> (matched task ids, phase-file entries matching no task)."""
    pages_by_slug: dict = field(default_factory=dict)
    """Slug -> plain page."""
    terms: dict = field(default_factory=dict)
    """Role key -> glossary term name, for linking stakeholders."""
    artifacts: object = None
    """The artifact index (:class:`playbook.artifacts.ArtifactIndex`), once linked."""

    def phase_numbers(self) -> list[int]:
        """Every phase number that has a phase file or a key task, in order."""
        return sorted(set(self.phase_of) | set(self.tasks_by_phase))

    def by_workstream(self, number: int) -> list[tuple[str, list[KeyTask]]]:
        """A phase's tasks grouped by workstream, in workstream order, empty ones left out."""
        tasks = self.tasks_by_phase.get(number, ())
        return [(ws, [t for t in tasks if t.workstream == ws]) for ws in WORKSTREAMS
                if any(t.workstream == ws for t in tasks)]


def _match_phase_listing(phase: Phase, tasks: list[KeyTask], everywhere: dict, diags: Diagnostics) -> tuple[set, list]:
    """Match the names a phase file lists to its key tasks; report those that match none.

    ``everywhere`` maps the name key of every task in the playbook to the task, so a
    name that belongs to another phase's task is pointed out as such."""
    by_name = {name_key(t.name): t for t in tasks}
    matched, unmatched = set(), []
    for ws, entries in phase.activities:
        for e in entries:
            key = name_key(e.name)
            task = listed_task(e.name, by_name)
            if task is None:
                unmatched.append((ws, e))
                elsewhere = everywhere.get(key)
                hint = (f"that is key task {elsewhere.id}, in phase {elsewhere.phase}" if elsewhere else
                        suggest(e.name, [t.name for t in tasks]) or "list the key task's name exactly")
                diags.warning(phase.path, e.line, "activities", f"'{e.name}' matches no key task of phase {phase.number}",
                              hint)
            else:
                matched.add(task.id)
    return matched, unmatched


def _phase_listings(phases, tasks_by_phase: dict, tasks, diags: Diagnostics) -> dict:
    """Phase number -> :func:`_match_phase_listing` of its phase file, for each of ``phases``."""
    everywhere = {name_key(t.name): t for t in tasks}
    return {p.number: _match_phase_listing(p, list(tasks_by_phase.get(p.number, ())), everywhere, diags)
            for p in phases}


def _listing_phases(phases, renamed: list[tuple[KeyTask, KeyTask]]) -> list[Phase]:
    """The phases whose list of key tasks may match differently after renaming tasks (old, new).

    A phase file's entry is matched against its own phase's tasks, and an
    entry matching none is pointed to the task of that name elsewhere: so
    only the renamed tasks' phases and phases listing one of the old or new
    names can change.
    """
    keys = {name_key(t.name) for pair in renamed for t in pair}
    numbers = {t.phase for pair in renamed for t in pair}
    return [p for p in phases if p.number in numbers
            or any(name_key(e.name) in keys for _ws, entries in p.activities for e in entries)]


def link(playbook: Playbook, diags: Diagnostics, editable: bool = False) -> Site:
    """Resolve the playbook's cross-references.

    ``editable`` keeps what :func:`replace_tasks` needs to link an edit of one
    task's inputs or outputs again by itself (``playbook serve``)."""
    tasks_by_phase: dict[int, list[KeyTask]] = {}
    for t in playbook.tasks:
        tasks_by_phase.setdefault(t.phase, []).append(t)
    phase_of = {p.number: p for p in playbook.phases}
    for number, ts in tasks_by_phase.items():
        if number not in phase_of:
            diags.warning(ts[0].path, ts[0].line, "phase", f"phase {number} has no phase file",
                          f"add a phase file for phase {number} (content/phase{number}/_index.md)")
    order = list(playbook.tasks)
    prev = {b.id: a for a, b in zip(order, order[1:])}
    nxt = {a.id: b for a, b in zip(order, order[1:])}
    listing = _phase_listings(playbook.phases, tasks_by_phase, playbook.tasks, diags)
    pages = {p.slug: p for p in playbook.pages}
    for t in playbook.tasks:
        for i, slug in enumerate(t.related):
            if slug not in pages:
                src = playbook.sources.get(t.path)
                diags.error(t.path, src.line("related", i) if src else 0, f"related[{i}]", f"no page '{slug}'",
                            did_you_mean(slug, pages) or "name the file stem of a page in the content folder")
    terms = {}
    if playbook.glossary:
        for s in playbook.glossary.sections:
            for term in s.terms:
                terms.setdefault(role_key(term.name), term.name)
    index = artifacts.build_index(playbook, diags, editable)
    return Site(playbook, {k: tuple(v) for k, v in tasks_by_phase.items()}, phase_of, prev, nxt, listing, pages,
                terms, index)


class LinkFields(NamedTuple):
    """Everything about a key task that :func:`link` reads (see :func:`link_fields`)."""

    shape: tuple
    """What is read but the outputs, the inputs, the name and the lines."""
    outputs: tuple
    """The outputs, then the activities' outputs, but their lines."""
    inputs: tuple
    """The inputs, but their lines."""
    name: str
    lines: tuple
    """The lines of the task and its related pages."""
    output_lines: tuple
    """The lines of its outputs, in the order of :attr:`outputs`."""
    input_lines: tuple
    """The lines of its inputs."""


def link_fields(task: KeyTask, doc) -> LinkFields:
    """Everything about a key task that :func:`link` reads, lines included.

    ``doc`` is the task's loaded file (:class:`playbook.load.RawDoc`), where
    the lines of ``related`` entries and activity outputs come from. Two
    versions of a task with equal link fields are linked alike and give the
    same diagnostics; what else differs between them (objective, description,
    activities' text and parties, stakeholders, lessons learned, body, ...)
    only changes what pages show.
    """
    related_lines = tuple(doc.line("related", i) for i in range(len(task.related))) if doc else ()
    outputs = artifacts.task_outputs(task, doc)
    return LinkFields((task.path, task.phase, task.number, task.related),
                      tuple(((r.name, r.filename, r.url), f, act) for r, f, act in outputs),
                      tuple((r.name, r.filename, r.url) for r in task.inputs), task.name,
                      (task.line, *related_lines), tuple(r.line for r, _f, _a in outputs),
                      tuple(r.line for r in task.inputs))


def _line_map(before: tuple, after: tuple) -> dict[int, int] | None:
    """Old line -> new line for the lines two versions of a task are linked at; None if one line splits."""
    moved: dict[int, int] = {}
    for a, b in zip(before, after):
        if moved.setdefault(a, b) != b:
            return None
    return moved


@dataclass(frozen=True)
class Swap:
    """What :func:`replace_tasks` made: the new site, and how the diagnostics of linking changed."""

    site: Site
    """The site :func:`link` would make of the edited playbook."""
    lines: dict = field(default_factory=dict)
    """Source path of an edited task whose linked lines moved -> {old line: new line}.

    Whatever linking reports about a key task's own file is at one of these
    lines (or at none), so its diagnostics there move the same way."""
    dropped: tuple = ()
    """What linking the old site said that is worked out again: after a rename, about the lists of
    key tasks in the phase files matched again (:func:`_listing_phases`); after an edit of inputs,
    about the tasks in :attr:`relinked` (at the lines they were at)."""
    added: tuple = ()
    """What linking the new site says about the same."""
    relinked: frozenset = frozenset()
    """After an edit of inputs or outputs: positions of the key tasks whose cross-links were worked out
    again, and may read differently (what linking said about them is in :attr:`dropped` and :attr:`added`)."""
    differ: frozenset = frozenset()
    """After an edit of outputs: positions of other key tasks whose cross-links read differently."""


def replace_tasks(site: Site, edited: Iterable[KeyTask], docs: dict) -> Swap | None:
    """What :func:`link` would make after some key tasks were edited, or None.

    ``edited`` holds the new versions of tasks of ``site`` (matched by source
    path) and ``docs`` their loaded files by path. When every one of them has
    the same :func:`link_fields` as the task it replaces, but for its name and
    the lines they are at, linking the edited playbook would resolve every
    artifact as before; so the new site is the old one with each old task
    object swapped for its new version wherever the site holds it (the
    playbook and its sources, tasks by phase, previous and next, the artifact
    index and its cross-links), made in time proportional to the tasks linked
    to the edited ones. A new name changes only how phase files' lists match
    key tasks, which is worked out again for the phases it can change
    (:func:`_listing_phases`). When the one task edited also has other inputs
    or outputs, a site linked ``editable`` has them linked again by themselves
    (:func:`playbook.input_relink.relink_inputs`,
    :func:`playbook.output_relink.relink_outputs`). Returns None when another
    link field changed, several tasks' inputs or outputs did, or a task is not
    in ``site``: call :func:`link` then.
    """
    pb = site.playbook
    where = {t.path: i for i, t in enumerate(pb.tasks)}
    tasks, sources, swap, lines = list(pb.tasks), dict(pb.sources), {}, {}
    renamed: list[tuple[KeyTask, KeyTask]] = []
    relink: list[KeyTask] = []  # tasks with other inputs
    reshaped: list[KeyTask] = []  # tasks with other outputs (their inputs are linked again too)
    for new in edited:
        i = where.get(new.path)
        if i is None:
            return None
        old = tasks[i]
        doc = docs.get(new.path, pb.sources.get(new.path))
        a, b = link_fields(old, pb.sources.get(old.path)), link_fields(new, doc)
        if a.shape != b.shape:
            return None
        # what linking says about inputs and outputs linked again is worked out again, at their new lines
        lines_a, lines_b = a.lines, b.lines
        if a.outputs != b.outputs:
            reshaped.append(new)
        elif a.inputs != b.inputs:
            relink.append(new)
            lines_a, lines_b = lines_a + a.output_lines, lines_b + b.output_lines
        else:
            lines_a, lines_b = lines_a + a.output_lines + a.input_lines, lines_b + b.output_lines + b.input_lines
        if lines_a != lines_b:
            moved = _line_map(lines_a, lines_b)
            if moved is None:
                return None
            lines[new.path] = moved
        if a.name != b.name:
            renamed.append((old, new))
        tasks[i], sources[new.path], swap[old.id] = new, doc, new
    if not swap:
        return Swap(site)
    index, said_before, said_after, relinked, differ = site.artifacts, (), (), frozenset(), frozenset()
    if relink or reshaped:
        # the name rules are the whole playbook's (its abbreviations, its artifacts' forms): an edit of
        # inputs or outputs is linked with the whole playbook (input_relink and output_relink predate them)
        return None
    by_phase, prev, nxt = dict(site.tasks_by_phase), dict(site.prev), dict(site.next)
    for tid, new in swap.items():
        by_phase[new.phase] = tuple(swap.get(t.id, t) for t in by_phase[new.phase])
        # the task before this one names it as its next, the task after it as its previous
        if tid in site.prev:
            nxt[site.prev[tid].id] = new
        if tid in site.next:
            prev[site.next[tid].id] = new
    # the references of a task whose inputs were linked again are at their new lines already
    own = {t.path for t in relink + reshaped}
    moved_refs = {t.id: lines[t.path] for t in swap.values() if t.path in lines and t.path not in own}
    index = index.replacing(swap, moved_refs) if index is not None else None
    listing, dropped, added = site.phase_listing, (), ()
    if renamed:
        phases, before, after = _listing_phases(pb.phases, renamed), Diagnostics(), Diagnostics()
        _phase_listings(phases, site.tasks_by_phase, pb.tasks, before)
        listing = {**listing, **_phase_listings(phases, by_phase, tasks, after)}
        dropped, added = tuple(before.items), tuple(after.items)
    new_site = replace(site, playbook=replace(pb, tasks=tuple(tasks), sources=sources), tasks_by_phase=by_phase,
                       prev=prev, next=nxt, phase_listing=listing, artifacts=index)
    return Swap(new_site, lines, (*dropped, *said_before), (*added, *said_after), relinked, differ)
