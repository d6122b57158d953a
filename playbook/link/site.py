"""Link: relations that need the whole playbook known. Pure functions, no I/O.

Prev/next order, tasks by phase and workstream, phase-file names matched to key
tasks, related pages, glossary lookups for stakeholder names, and the artifact
index (:mod:`playbook.artifacts`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

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


def link(playbook: Playbook, diags: Diagnostics) -> Site:
    """Resolve the playbook's cross-references."""
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
    index = artifacts.build_index(playbook, diags)
    return Site(playbook, {k: tuple(v) for k, v in tasks_by_phase.items()}, phase_of, prev, nxt, listing, pages,
                terms, index)
