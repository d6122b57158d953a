"""Link one key task's inputs again without the whole playbook, for ``playbook serve``.

An input is linked to the nearest earlier task that outputs its artifact
(:mod:`playbook.artifacts`). Which artifacts there are, who produces them,
their order and their pages come from outputs and the registry alone. So when
a task's inputs are all that changed, a full link differs from the last one
only in:

- the task's own input links, and what was said about them;
- the consumers of the artifacts it starts or stops using;
- who uses their producers' outputs, and so those producers' downstream;
- whether the last producer of each such artifact has a later user;
- the edges into the task, and the counts;
- when a name that matches no artifact comes or goes, the hints that name
  unmatched inputs (on outputs no later task uses, and on unused registry
  entries), and the registry's warnings.

:func:`relink_inputs` works these out on a copy of the sweep's state (the old
index stays whole, for when the edited site fails).
"""
from __future__ import annotations

import copy
from bisect import bisect_left, insort
from dataclasses import dataclass, replace

from . import names
from .artifacts import (EXTERNAL, UNRESOLVED, Artifact, ArtifactIndex, InputLink, Stats, TaskLinks, _Linker,
                        named_positions, task_outputs)
from .diagnostics import Diagnostics
from .model import KeyTask


@dataclass(frozen=True)
class Relinked:
    """What :func:`relink_inputs` made."""

    index: ArtifactIndex
    """The index a full link would make, but still holding the task's old object outside the
    cross-links worked out again (:meth:`ArtifactIndex.replacing` swaps it in)."""
    dropped: tuple
    """What the sweep said about the tasks whose cross-links were worked out again, before the edit."""
    added: tuple
    """What it says about them now."""
    positions: frozenset
    """Positions of the tasks whose cross-links were worked out again."""


class _ProducedBefore:
    """Artifact id -> its producer nearest before ``pos``: what the sweep's ``last`` holds when it reaches ``pos``."""

    def __init__(self, arts: list[Artifact], pos: int):
        self.arts, self.pos = arts, pos

    def __contains__(self, aid: int) -> bool:
        prods = self.arts[aid].producers
        return bool(prods) and prods[0] < self.pos

    def __getitem__(self, aid: int) -> int:
        prods = self.arts[aid].producers
        return prods[bisect_left(prods, self.pos) - 1]


class _Relinker(_Linker):
    """A finished sweep's state, copied where a task's inputs are linked again (the original stays as it was)."""

    def __init__(self, done: _Linker, tasks: tuple, diags: Diagnostics):  # noqa: super() would start a new sweep
        self.__dict__.update(done.__dict__)
        self.tasks, self.diags = tasks, diags
        self.b = copy.copy(done.b)
        self.arts = self.b.arts = list(done.arts)
        self.b.outputs = list(done.b.outputs)
        self.uses = dict(done.uses)
        self.counts = dict(done.counts)
        self.unmatched = dict(done.unmatched)
        self.unmatched_seen = dict(done.unmatched_seen)
        self.suggestions = dict(done.suggestions)
        self.in_said, self.out_said = dict(done.in_said), dict(done.out_said)
        self.inputs: dict[int, list[InputLink]] = {}
        self.new_edges: dict[tuple[int, int], list[Artifact]] = {}
        self._copied: set[tuple[int, int]] = set()

    # the artifacts met here are copies already; the lists of uses are copied when first changed
    def _consumed(self, a: Artifact, pos: int) -> None:
        if pos not in a.consumers:
            insort(a.consumers, pos)

    def _own(self, key: tuple[int, int]) -> list[int]:
        if key not in self._copied:
            self.uses[key] = list(self.uses.get(key, ()))
            self._copied.add(key)
        return self.uses[key]

    def _used(self, key: tuple[int, int], pos: int) -> None:
        insort(self._own(key), pos)

    def unused(self, key: tuple[int, int], pos: int) -> None:
        """Forget that the task at ``pos`` uses the artifact and producer of ``key``."""
        kept = [c for c in self._own(key) if c != pos]
        if kept:
            self.uses[key] = kept
        else:
            del self.uses[key]
            self._copied.discard(key)

    def _unmatched_at(self, key: str, seen: tuple[int, int, str]) -> None:
        met = list(self.unmatched_seen.get(key, ()))
        insort(met, seen)
        self.unmatched_seen[key] = met

    def unmatched_now(self) -> dict[str, str]:
        """What the sweep's ``unmatched`` holds after it: each key, where first met, with the name met there."""
        firsts = sorted((met[0], k) for k, met in self.unmatched_seen.items())
        return {k: first[2] for first, k in firsts}

    def unmatched_from(self, pos: int, before: list[InputLink]) -> None:
        """Forget the unmatched inputs ``before`` of the task at ``pos`` (their lists are copied)."""
        for k in {names.key(i.ref.name) for i in before if i.status == UNRESOLVED}:
            kept = [s for s in self.unmatched_seen[k] if s[0] != pos]
            if kept:
                self.unmatched_seen[k] = kept
            else:
                del self.unmatched_seen[k]

    def _carried(self, key: tuple[int, int], a: Artifact) -> None:
        carried = self.new_edges.setdefault(key, [])
        if a not in carried:
            carried.append(a)


def _counted(link: InputLink) -> str:
    """The count of :class:`playbook.artifacts.Stats` an input link adds to."""
    return "linked" if link.linked else "external" if link.status == EXTERNAL else "unresolved"


def _unmatched(links) -> set[tuple[str, str]]:
    return {(names.key(i.ref.name), names.plain(i.ref.name)) for i in links if i.status == UNRESOLVED}


def _but(record, **changed):
    """A copy of a frozen record with some fields changed, without running its checks again.

    For records copied by the thousand (an artifact most tasks use is held by most tasks'
    cross-links): :func:`dataclasses.replace` costs several times more."""
    out = object.__new__(type(record))
    out.__dict__.update(record.__dict__, **changed)
    return out


def _with_artifacts(links: TaskLinks, fresh: dict[int, Artifact]) -> TaskLinks:
    """``links`` with each artifact whose id() is in ``fresh`` replaced by its copy."""
    inputs = tuple(_but(i, artifact=fresh[id(i.artifact)]) if id(i.artifact) in fresh else i for i in links.inputs)
    outputs = tuple(_but(o, artifact=fresh[id(o.artifact)]) if id(o.artifact) in fresh else o for o in links.outputs)
    return _but(links, inputs=inputs, outputs=outputs)


def _outputs_now(entries: list, task: KeyTask, doc) -> list:
    """The sweep's record of a task's outputs (ref, field, from activity, artifact id) with the refs at their lines now."""
    now = {f: ref for ref, f, _a in task_outputs(task, doc)}
    return [(now[f], f, act, aid) for _ref, f, act, aid in entries]


def relink_inputs(index: ArtifactIndex, task: KeyTask, doc) -> Relinked | None:
    """What a full link gives after ``task``'s inputs changed; None for an index not built editable.

    ``task`` is the edited version of a task of ``index`` (built editable),
    with the same link fields but for its inputs and the lines things are at
    (:func:`playbook.link.link_fields`); ``doc`` is its loaded file. Takes
    time in proportion to the references of the artifacts its old and new
    inputs name.
    """
    done = index.linker
    p = index.position(task.id)
    if done is None or p is None:
        return None
    before = index.links[task.id]
    tasks = (*index.tasks[:p], task, *index.tasks[p + 1:])
    said = Diagnostics()
    lk = _Relinker(done, tasks, said)
    lk.b.outputs[p] = _outputs_now(done.b.outputs[p], task, doc)
    was = {i.artifact.id for i in before.inputs if i.artifact is not None}
    now = {aid for aid in (lk.resolved(r.name)[0] for r in task.inputs) if aid is not None}
    # the artifacts this task starts or stops using: copies, with their consumers changed
    affected = was ^ now
    fresh: dict[int, Artifact] = {}  # id() of the old artifact -> its copy
    for aid in affected:
        a = done.arts[aid]
        fresh[id(a)] = lk.arts[aid] = replace(a, consumers=[c for c in a.consumers if c != p])
    for i in before.inputs:
        lk.counts[_counted(i)] -= 1
        if i.linked:
            lk.unused((i.artifact.id, index.position(i.producer.id)), p)
    lk.unmatched_from(p, before.inputs)
    lk.in_said.pop(p, None)
    lk.inputs[p] = [lk.link_input(p, task, n, ref, _ProducedBefore(lk.arts, p)) for n, ref in enumerate(task.inputs)]
    # the tasks whose cross-links change: this one and the producers it takes from, or took from (among
    # them, the last producer of an artifact when this task comes after it, whose output may now be
    # used, or no longer be used, by a later task)
    again = {p}
    again.update(index.position(i.producer.id) for i in (*before.inputs, *lk.inputs[p]) if i.linked)
    dropped = list(done.in_said.get(p, ()))
    check_registry = any(lk.arts[aid].entry is not None for aid in affected)
    if _unmatched(before.inputs) != _unmatched(lk.inputs[p]):
        lk.unmatched = lk.unmatched_now()
        if list(lk.unmatched.items()) != list(done.unmatched.items()):
            # the hints on outputs no later task uses, and on unused registry entries, name unmatched inputs
            lk.suggestions = {k: v for k, v in lk.suggestions.items() if not k.startswith("\0")}
            again.update(done.out_said)
            check_registry = True
    if check_registry and lk.b.registry:
        dropped.extend(done.reg_said)
        lk.registry_checks()
    links = dict(index.links)
    for q in sorted(again):
        if q != p:
            lk.inputs[q] = list(_with_artifacts(index.links[tasks[q].id], fresh).inputs)
        dropped.extend(done.out_said.get(q, ()))
        lk.out_said.pop(q, None)
        links[tasks[q].id] = lk.task_links(q, tasks[q])
    holders: set[int] = set()
    for aid in affected:
        holders.update(lk.arts[aid].producers, lk.arts[aid].consumers, done.arts[aid].consumers)
    for q in holders - again:
        links[tasks[q].id] = _with_artifacts(links[tasks[q].id], fresh)
    # the edges in sweep order: by the task taking the artifacts, then the order of its inputs
    carried = [(k, v) for k, v in index.edges.items() if k[1] != p] + list(lk.new_edges.items())
    carried.sort(key=lambda kv: kv[0][1])
    edges = dict(carried)
    copies = {id(a) for a in fresh.values()}
    for q in holders:  # an edge holds an artifact when the task it goes to takes that artifact through it
        for i in links[tasks[q].id].inputs:
            if i.linked and id(i.artifact) in copies:
                key = (index.position(i.producer.id), q)
                if key in edges and key[1] != p:
                    edges[key] = [fresh.get(id(a), a) for a in edges[key]]
    c = lk.counts
    out = ArtifactIndex(index.tasks, [fresh.get(id(a), a) for a in index.artifacts], links, edges,
                        Stats(sum(c.values()), c["linked"], c["external"], c["unresolved"]),
                        {k: fresh.get(id(a), a) for k, a in index.keys.items()})
    lk.edges, lk.inputs, lk.new_edges, lk.diags = edges, None, {}, None
    out.linker = lk
    out.set_referrers(_referrers(index, links, task, again))
    return Relinked(out, tuple(dropped), tuple(said.items), frozenset(again))


def _referrers(index: ArtifactIndex, links: dict, task: KeyTask, again: set[int]) -> dict:
    """:meth:`ArtifactIndex.referrers` of the index with ``links``, where only the tasks at ``again`` changed."""
    refs = dict(index.referrers())
    where = {id(t): i for i, t in enumerate(index.tasks)}
    where[id(task)] = index.position(task.id)
    changed = {index.tasks[q].id for q in again}
    now = {tid: named_positions(links[tid], where) for tid in changed}
    spots = set().union(*now.values(), *(named_positions(index.links[tid], where) for tid in changed))
    for spot in spots:
        ids = [i for i in refs.get(spot, ()) if i not in changed] + [i for i in changed if spot in now[i]]
        ids.sort(key=index.position)
        if ids:
            refs[spot] = tuple(ids)
        else:
            refs.pop(spot, None)
    return refs
