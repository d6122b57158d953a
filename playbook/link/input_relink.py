"""Link the inputs of some key tasks again without the whole playbook, for ``playbook serve``.

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
index stays whole, for when the edited site fails). :func:`relink` does the
same for several tasks at once, against artifacts that an edit of outputs
made again (:mod:`playbook.output_relink`): the tasks that hold those
artifacts without linking to another producer have the numbers beside them
worked out again (:class:`_Patcher`) instead.
"""
from __future__ import annotations

import copy
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field, replace

from playbook.link import names
from playbook.link.artifacts import (AMBIGUOUS, EXTERNAL, LINKED, UNRESOLVED, Artifact, ArtifactIndex, InputLink, Stats,
                        TaskLinks, _Builder, _Linker, listed_beside, named_positions, task_outputs, updates_after)
from playbook.diagnostics import Diagnostics
from playbook.model.types import KeyTask


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
    """Positions of the tasks whose cross-links were worked out again (they may read differently)."""
    differ: frozenset = frozenset()
    """Positions of other tasks whose cross-links read differently (the numbers beside an artifact made
    again from outputs, or its slug)."""


@dataclass
class Plan:
    """What :func:`relink` is to work out again, besides the inputs of :attr:`positions`."""

    positions: set
    """Positions of the tasks whose inputs are linked again (the edited task among them)."""
    replaced: dict = field(default_factory=dict)
    """id() of an artifact of the old index -> the object that takes its place (same id)."""
    remade: set = field(default_factory=set)
    """Ids of the artifacts made again from outputs, as they were and as they are: the numbers beside
    them are worked out again."""
    again: set = field(default_factory=set)
    """Further positions whose cross-links are worked out again in full (their outputs changed)."""
    holders: set = field(default_factory=set)
    """Positions whose cross-links hold a replaced artifact, and may read differently."""
    renumbered: dict = field(default_factory=dict)
    """Id of an artifact of the old index -> the id of the one that carries it on, where they differ."""
    restructured: bool = False
    """Artifacts came, went or changed: their order comes from the sweep, the registry is checked again."""


class _ProducedBefore:
    """Artifact id -> its producer nearest before ``pos``: what the sweep's ``last`` holds when it reaches ``pos``."""

    def __init__(self, arts: dict[int, Artifact], pos: int):
        self.arts, self.pos = arts, pos

    def __contains__(self, aid: int) -> bool:
        prods = self.arts[aid].producers
        return bool(prods) and prods[0] < self.pos

    def __getitem__(self, aid: int) -> int:
        prods = self.arts[aid].producers
        return prods[bisect_left(prods, self.pos) - 1]


class _Relinker(_Linker):
    """A finished sweep's state, copied where inputs are linked again (the original stays as it was)."""

    def __init__(self, done: _Linker, tasks: tuple, diags: Diagnostics,  # noqa: super() would start a new sweep
                 builder: _Builder | None = None):
        self.__dict__.update(done.__dict__)
        self.tasks, self.diags = tasks, diags
        if builder is None:
            builder = copy.copy(done.b)
            builder.arts = dict(done.arts)
            builder.outputs = list(done.b.outputs)
        self.b, self.arts = builder, builder.arts
        self.uses = dict(done.uses)
        self.counts = dict(done.counts)
        self.unmatched = dict(done.unmatched)
        self.unmatched_seen = dict(done.unmatched_seen)
        self.ambiguous_at = dict(done.ambiguous_at)
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

    def _ambiguous(self, name: str, seen: tuple[int, int]) -> None:
        met = list(self.ambiguous_at.get(name, ()))
        insort(met, seen)
        self.ambiguous_at[name] = met

    def unmatched_now(self) -> dict[str, str]:
        """What the sweep's ``unmatched`` holds after it: each key, where first met, with the name met there."""
        firsts = sorted((met[0], k) for k, met in self.unmatched_seen.items())
        return {k: first[2] for first, k in firsts}

    def unmatched_from(self, pos: int, before: list[InputLink]) -> None:
        """Forget the unmatched and ambiguous inputs ``before`` of the task at ``pos`` (their lists are copied)."""
        for seen, k in [(self.unmatched_seen, names.key(i.ref.name)) for i in before if i.status == UNRESOLVED] + \
                [(self.ambiguous_at, i.ref.name) for i in before if i.status == AMBIGUOUS]:
            if k in seen:
                kept = [s for s in seen[k] if s[0] != pos]
                if kept:
                    seen[k] = kept
                else:
                    del seen[k]

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
    fields = record.__dict__.copy()
    fields.update(changed)
    return _as(record, fields)


def _repointed(record, new: Artifact) -> tuple[dict, bool]:
    """The fields of a cross-link record with ``new`` for its artifact, and whether a page shows the new
    artifact otherwise (its address or name)."""
    fields = record.__dict__.copy()
    fields["artifact"] = new
    return fields, new.slug != record.artifact.slug or new.name != record.artifact.name


def _as(record, fields: dict):
    """A record of the type of ``record`` with ``fields`` (all of them) as its fields (see :func:`_but`)."""
    out = object.__new__(type(record))
    object.__setattr__(out, "__dict__", fields)
    return out


class _Patcher:
    """Cross-links of tasks that hold replaced artifacts, made to read as a full link makes them.

    Each artifact whose id() is in ``fresh`` is replaced by its new version;
    beside an artifact in ``remade``, the other producers listed and the
    later updates are worked out again from its producers now (the producer
    each input takes from, and the uses of each output, are as they were).
    """

    def __init__(self, lk: _Linker, fresh: dict[int, Artifact], remade: set[int], where: dict[int, int]):
        self.lk, self.fresh, self.remade, self.where = lk, fresh, remade, where
        self.windows: dict[tuple[int, int], tuple] = {}
        """(artifact id, producer) -> what :func:`listed_beside` gives a task that does not produce the
        artifact, and whether its list of other producers is as it was."""
        self.edges: set[tuple[int, int]] = set()
        """(producer, consumer) of the edges that carry a replaced artifact into a task patched."""

    def beside(self, old: Artifact, a: Artifact, producer: int, pos: int) -> tuple[list[int], int, bool]:
        """:func:`listed_beside` for the input at ``pos`` taking ``a`` (which was ``old``) from
        ``producer``, worked out once per producer; and whether the other producers listed are as they were
        (None: not known)."""
        prods = a.producers
        k = bisect_left(prods, pos)
        if k < len(prods) and prods[k] == pos:
            return (*listed_beside(prods, producer, pos), None)
        got = self.windows.get((a.id, producer))
        if got is None:
            window, more = listed_beside(prods, producer, -1)
            k = bisect_left(old.producers, pos)
            was = None if k < len(old.producers) and old.producers[k] == pos else \
                listed_beside(old.producers, producer, -1)[0] == window
            got = self.windows[a.id, producer] = window, more, was
        return got

    def patched(self, pos: int, links: TaskLinks, outputs: bool = True) -> tuple[TaskLinks, bool, bool]:
        """(the links of the task at ``pos`` patched, whether they name other tasks, whether they read
        differently); its outputs are left as they are when not ``outputs``. The edges into the task that
        hold a replaced artifact are noted in :attr:`edges`.

        Runs for every task that takes an artifact most tasks take: fields are set in place of
        copies made by keyword."""
        fresh, where, remade = self.fresh, self.where, self.remade
        renamed = shown = False
        inputs = outs = None
        for n, i in enumerate(links.inputs):
            new = fresh.get(id(i.artifact))
            if new is None:
                continue
            if inputs is None:
                inputs = list(links.inputs)
            fields, looks = _repointed(i, new)
            shown = shown or looks
            if i.status in LINKED:
                producer = where[id(i.producer)]
                if producer != pos:
                    self.edges.add((producer, pos))
                if new.id in remade:
                    window, fields["more"], kept = self.beside(i.artifact, new, producer, pos)
                    if not kept:
                        fields["others"] = self.listed(i.others, window)
                        renamed = renamed or fields["others"] is not i.others
                    shown = shown or renamed or fields["more"] != i.more
            inputs[n] = _as(i, fields)
        for n, o in enumerate(links.outputs if outputs else ()):
            new = fresh.get(id(o.artifact))
            if new is None:
                continue
            if outs is None:
                outs = list(links.outputs)
            fields, looks = _repointed(o, new)
            shown = shown or looks
            if new.id in remade:
                prods = new.producers
                later, fields["more_updates"] = updates_after(prods, pos)
                fields["created_here"] = prods[0] == pos
                if where[id(o.created_by)] != prods[0]:
                    fields["created_by"] = self.lk.tasks[prods[0]]
                fields["updates"] = self.listed(o.updates, later)
                renamed = renamed or fields["created_by"] is not o.created_by or fields["updates"] is not o.updates
                shown = shown or renamed or fields["more_updates"] != o.more_updates
            outs[n] = _as(o, fields)
        if inputs is None and outs is None:
            return links, False, False
        fields = links.__dict__.copy()
        if inputs is not None:
            fields["inputs"] = tuple(inputs)
        if outs is not None:
            fields["outputs"] = tuple(outs)
        return _as(links, fields), renamed, shown

    def listed(self, old: tuple, now: list[int]) -> tuple:
        """The tasks at positions ``now``: the tuple ``old`` itself when it holds them."""
        where = self.where
        if len(old) == len(now) and all(where[id(t)] == q for t, q in zip(old, now)):
            return old
        return tuple(self.lk.tasks[q] for q in now)


def _outputs_now(entries: list, task: KeyTask, doc) -> list:
    """The sweep's record of a task's outputs (number, ref, field, from activity, artifact id) with the refs
    at their lines now."""
    now = task_outputs(task, doc)
    return [(n, now[n][0], *rest) for n, _ref, *rest in entries]


def relink_inputs(index: ArtifactIndex, task: KeyTask, doc) -> Relinked | None:
    """What a full link gives after ``task``'s inputs changed; None for an index not built editable.

    ``task`` is the edited version of a task of ``index`` (built editable),
    with the same link fields but for its inputs and the lines things are at
    (:func:`playbook.link.link_fields`); ``doc`` is its loaded file. Takes
    time in proportion to the references of the artifacts its old and new
    inputs name.
    """
    start = editing(index, task)
    if start is None:
        return None
    done, p, tasks = start
    lk = _Relinker(done, tasks, Diagnostics())
    lk.b.outputs[p] = _outputs_now(done.b.outputs[p], task, doc)
    return relink(index, lk, task, Plan({p}))


def editing(index: ArtifactIndex, task: KeyTask) -> tuple[_Linker, int, tuple] | None:
    """(the sweep kept with ``index``, the position of the task ``task`` is an edited version of, the
    tasks with ``task`` in its place), or None for an index not built editable or a task it does not know."""
    done = index.linker
    p = index.position(task.id)
    if done is None or p is None:
        return None
    return done, p, (*index.tasks[:p], task, *index.tasks[p + 1:])


def relink(index: ArtifactIndex, lk: _Relinker, task: KeyTask, plan: Plan) -> Relinked:
    """Link the inputs of the tasks at ``plan.positions`` again, on ``lk``, and what follows from that.

    ``lk`` is a copy of the sweep of ``index`` for the edited playbook (its
    ``tasks``), with ``task`` the edited one; the artifacts of ``plan.remade``
    are made again in it already, with their producers and with the consumers
    outside ``plan.positions``.
    """
    done, tasks, said = index.linker, lk.tasks, lk.diags
    relinked = sorted(plan.positions)
    before = {q: index.links[tasks[q].id].inputs for q in relinked}
    fresh = dict(plan.replaced)  # id() of an artifact of the old index -> its new version
    # the artifacts (not made again) these tasks start or stop using: copies, with their consumers changed
    was = {q: {i.artifact.id for i in before[q] if i.artifact is not None} for q in relinked}
    now = {q: {aid for aid in (lk.resolved(r.name)[0] for r in tasks[q].inputs) if aid is not None}
           for q in relinked}
    affected = {aid for q in relinked for aid in was[q] ^ now[q]} - plan.remade
    for aid in affected:
        stop = {q for q in relinked if aid in was[q] and aid not in now[q]}
        fresh[id(done.arts[aid])] = lk.arts[aid] = replace(
            lk.arts[aid], consumers=[c for c in lk.arts[aid].consumers if c not in stop])
    for q in relinked:
        for i in before[q]:
            lk.counts[_counted(i)] -= 1
            if i.linked:
                lk.unused((plan.renumbered.get(i.artifact.id, i.artifact.id), index.position(i.producer.id)), q)
        lk.unmatched_from(q, before[q])
    dropped = [d for q in relinked for d in done.in_said.get(q, ())]
    for q in relinked:
        lk.in_said.pop(q, None)
        lk.inputs[q] = [lk.link_input(q, tasks[q], n, ref, _ProducedBefore(lk.arts, q))
                        for n, ref in enumerate(tasks[q].inputs)]
    # the tasks whose cross-links change: these and the producers they take from, or took from (among
    # them, the last producer of an artifact when such a task comes after it, whose output may now be
    # used, or no longer be used, by a later task)
    again = set(relinked) | plan.again
    again.update(index.position(i.producer.id) for q in relinked for i in (*before[q], *lk.inputs[q]) if i.linked)
    check_registry = plan.restructured or any(lk.arts[aid].entry is not None for aid in affected)
    if any(_unmatched(before[q]) != _unmatched(lk.inputs[q]) for q in relinked):
        lk.unmatched = lk.unmatched_now()
        if list(lk.unmatched.items()) != list(done.unmatched.items()):
            # the hints on outputs no later task uses, and on unused registry entries, name unmatched inputs
            lk.suggestions = {k: v for k, v in lk.suggestions.items() if not k.startswith("\0")}
            again.update(done.out_said)
            check_registry = True
    if check_registry and lk.b.registry:
        dropped.extend(done.reg_said)
        lk.registry_checks()
    links, ids = dict(index.links), index.task_ids()
    where = {id(t): i for i, t in enumerate(index.tasks)}
    where[id(task)] = index.position(task.id)
    patch = _Patcher(lk, fresh, plan.remade, where)
    renamed = set(again)  # positions whose cross-links may name other tasks now
    for q in sorted(again):
        tid = ids[q]
        if q not in plan.positions:
            lk.inputs[q] = list(patch.patched(q, index.links[tid], False)[0].inputs)
        dropped.extend(done.out_said.get(q, ()))
        lk.out_said.pop(q, None)
        links[tid] = lk.task_links(q, tasks[q])
    holders = set(plan.holders)
    for aid in affected:
        holders.update(lk.arts[aid].producers, lk.arts[aid].consumers, done.arts[aid].consumers)
    differ = set()
    for q in holders - again:
        tid = ids[q]
        links[tid], named, shown = patch.patched(q, links[tid])
        if named:
            renamed.add(q)
        if shown:
            differ.add(q)
    edges = _edges_now(index.edges, lk.new_edges, relinked)
    for key in patch.edges:  # an edge holds an artifact when the task it goes to takes it through it
        if key[1] not in plan.positions:
            edges[key] = [fresh.get(id(a), a) for a in edges[key]]
    c = lk.counts
    order = lk.ranked() if plan.restructured else [fresh.get(id(a), a) for a in index.artifacts]
    out = ArtifactIndex(index.tasks, order, links, edges, Stats(sum(c.values()), c["linked"], c["external"],
                                                                c["unresolved"]),
                        {k: lk.arts[i] for k, i in lk.b.keys.items()})
    out.same_places(index)
    lk.edges, lk.inputs, lk.new_edges, lk.diags = edges, None, {}, None
    out.linker = lk
    out.set_referrers(_referrers(index, links, renamed, where))
    return Relinked(out, tuple(dropped), tuple(said.items), frozenset(again), frozenset(differ))


def _edges_now(edges: dict, new: dict, relinked: list[int]) -> dict:
    """``edges`` with those into the tasks at ``relinked`` (ascending) replaced by ``new``, in sweep order:
    by the task taking the artifacts, then the order of its inputs."""
    items = list(edges.items())
    ends = [k[1] for k, _v in items]
    into: dict[int, list] = {}
    for k, v in new.items():
        into.setdefault(k[1], []).append((k, v))
    out, start = [], 0
    for q in relinked:
        lo = bisect_left(ends, q, start)
        out += items[start:lo]
        out += into.get(q, ())
        start = bisect_right(ends, q, lo)
    out += items[start:]
    return dict(out)


def _referrers(index: ArtifactIndex, links: dict, changed: set[int], where: dict[int, int]) -> dict:
    """:meth:`ArtifactIndex.referrers` of the index with ``links``, where only the tasks at ``changed``
    may name other tasks than before (``where``: id() of a task -> its position)."""
    refs = dict(index.referrers())
    gone: dict[int, set[str]] = {}
    came: dict[int, list[str]] = {}
    for q in changed:
        tid = index.tasks[q].id
        before, now = named_positions(index.links[tid], where), named_positions(links[tid], where)
        for spot in before - now:
            gone.setdefault(spot, set()).add(tid)
        for spot in now - before:
            came.setdefault(spot, []).append(tid)
    for spot in gone.keys() | came.keys():
        ids = [i for i in refs.get(spot, ()) if i not in gone.get(spot, ())]
        if spot in came:  # the ids stay in playbook order
            ids += came[spot]
            ids.sort(key=index.position)
        if ids:
            refs[spot] = tuple(ids)
        else:
            del refs[spot]
    return refs
