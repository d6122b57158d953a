"""Work out again the artifacts an edit of one key task's outputs touches, for ``playbook serve``.

An artifact is the set of output names whose lookup keys meet (and the
registry entry they meet); the first task to output it creates it
(:mod:`playbook.artifacts`). So an output added, removed or renamed can only
change the artifacts that the task's old outputs belong to and those that its
new outputs' names meet: they may grow, shrink, merge, split, come or go.
:func:`relink_outputs` makes these again from their outputs alone, in
playbook order, exactly as the whole sweep would (the same ids, names,
templates and producers; the registry's entries among them), and swaps them
into a copy of the sweep's state. What follows from them:

- the inputs whose names now look up something else (a new key, a key gone,
  another artifact, a loose or ambiguous match that changed), and those that
  take the remade artifacts from another producer than before, are linked
  again (:func:`playbook.input_relink.relink`), and so are unmatched inputs
  whose did-you-mean hint changed with the artifact names;
- every other task holding a remade artifact has the other producers and
  later updates listed beside it worked out again;
- the last producers of the remade artifacts (whose "used by no later key
  task" may change), tasks whose outputs now fall in other artifacts, the
  artifact order and slugs, and the registry's warnings.

Falls back (returns None, and the caller links the whole playbook) when one of
the outputs involved names two registry entries: which of them it joins
depends on outputs this does not replay.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace

from playbook.link import names
from playbook.link.artifacts import EARLIER, EXTERNAL, LATER, SELF, UNPRODUCED, Artifact, ArtifactIndex, _Builder, slugs, \
    task_outputs
from playbook.diagnostics import Diagnostics
from playbook.link.input_relink import Plan, Relinked, _Relinker, editing, relink
from playbook.model.types import KeyTask


def relink_outputs(index: ArtifactIndex, task: KeyTask, doc) -> Relinked | None:
    """What a full link gives after ``task``'s outputs (and perhaps its inputs) changed; None when it
    cannot be told this way (an index not built editable, or an output naming two registry entries).

    ``task`` is the edited version of a task of ``index``, with the same
    link fields but for its inputs, outputs and the lines things are at
    (:func:`playbook.link.link_fields`); ``doc`` is its loaded file. Takes
    time in proportion to the references of the artifacts its old and new
    outputs meet.
    """
    start = editing(index, task)
    if start is None:
        return None
    done, p, tasks = start
    b = done.b
    outs = [(n, ref, f, act) for n, (ref, f, act) in enumerate(task_outputs(task, doc)) if names.keys(ref.name)]
    # the artifacts the edit can change: the old outputs', and those the new outputs' names meet
    hit = {b.find(aid) for *_, aid in b.outputs[p]}
    hit.update(b.keys[k] for _n, ref, _f, _a in outs for k in names.keys(ref.name) if k in b.keys)
    positions = sorted({q for r in hit for q in b.arts[r].producers} | {p})
    if b.clashes.intersection(positions):
        return None
    part = _Builder(b.pb, Diagnostics())
    part.registry_artifacts({r for r in hit if r < b.n_reg})
    for q in positions:
        met = outs if q == p else [(n, ref, f, act) for n, ref, f, act, aid in b.outputs[q] if b.find(aid) in hit]
        for n, ref, fname, act in met:
            part.add_output(q, n, ref, fname, act)
    if part.clashes:
        return None
    part.settle(positions)
    nb = _rebuilt(b, part, hit, positions, p)
    same = _continued(b, nb, hit)
    now = _Carried(same, hit)
    lk = _Relinker(done, tasks, Diagnostics(), nb)
    plan = Plan({p}, remade=set(part.arts) | _members(b, hit, positions), restructured=True,
                renumbered={r: s for r, s in same.items() if r != s})
    _rekeyed(lk, b, hit, same)
    _resolve_again(lk, done, b, nb, hit, part, now, plan, tasks)
    _hints_again(lk, done, b, hit, part, plan, tasks)
    for r in hit:  # the tasks that take a remade artifact from another producer, or that show its name
        old = b.arts[r]
        new = nb.arts[same[r]] if r in same else None
        # the inputs of a task outside plan.positions that took the old artifact look up the new one
        plan.positions.update(c for c in old.consumers if c not in plan.positions and _taken(new, c) != _taken(old, c))
    was = {s: r for r, s in same.items()}
    for a in part.roots():  # the consumers outside plan.positions take it as they did: they stay
        a.consumers = [c for c in b.arts[was[a.id]].consumers if c not in plan.positions] if a.id in was else []
    _ordered(lk, part, plan)
    for r in hit:
        old = b.arts[r]
        if r in same:
            plan.replaced[id(old)] = nb.arts[same[r]]
        plan.holders.update(old.producers, old.consumers)
        if old.producers:  # its last producer may have a later user now, or none
            plan.again.add(old.producers[-1])
    for a in part.roots():
        plan.holders.update(a.producers)
        if a.producers:
            plan.again.add(a.producers[-1])
    plan.again.add(p)
    for q in positions:  # tasks whose outputs now fall in other artifacts, or in fewer
        if q != p and [(f, act, now[r]) for _ref, f, act, r in b.kept(q)] != [x[1:] for x in nb.kept(q)]:
            plan.again.add(q)
    return relink(index, lk, task, plan)


class _Carried:
    """Id of an artifact before the edit -> the id of the one that carries it on now; :data:`GONE` for a
    remade one that none carries on (its id may be another artifact's now, started by the same output)."""

    def __init__(self, same: dict[int, int], hit: set[int]):
        self.same, self.hit = same, hit

    def __getitem__(self, aid: int | None) -> int | None:
        return self.same.get(aid, GONE) if aid in self.hit else aid


GONE = -1
"""No artifact's id."""


def _continued(b: _Builder, nb: _Builder, hit: set[int]) -> dict[int, int]:
    """Old artifact of ``hit`` -> the artifact that carries it on: the one its display name looks up now
    (one old artifact to each; an artifact that merged into another, or lost its name, has none)."""
    same: dict[int, int] = {}
    taken: set[int] = set()
    for r in sorted(hit):
        now = nb.keys.get(names.keys(b.arts[r].name)[0])
        if now is not None and now not in taken:
            same[r] = now
            taken.add(now)
    return same


def _rekeyed(lk: _Relinker, b: _Builder, hit: set[int], same: dict[int, int]) -> None:
    """Who uses each producer's version of the artifacts ``hit``, under the ids carrying them on."""
    moved = {}
    for r in hit:
        for q in b.arts[r].producers:
            got = lk.uses.pop((r, q), None)
            if got is not None and r in same:
                moved[same[r], q] = got
    lk.uses.update(moved)


def _members(b: _Builder, hit: set[int], positions: list[int]) -> set[int]:
    """Ids of every artifact (merged ones too) of the roots ``hit``; their outputs are at ``positions``."""
    return {aid for q in positions for *_, aid in b.outputs[q] if b.find(aid) in hit} | {r for r in hit if r < b.n_reg}


def _rebuilt(b: _Builder, part: _Builder, hit: set[int], positions: list[int], p: int) -> _Builder:
    """A copy of the finished builder ``b`` with the artifacts ``hit`` taken out and those of ``part`` put in."""
    nb = _Builder.__new__(_Builder)
    nb.__dict__.update(b.__dict__)
    arts, parent = dict(b.arts), dict(b.parent)
    for m in _members(b, hit, positions):
        del arts[m], parent[m]
    for aid, a in part.arts.items():
        arts[aid], parent[aid] = a, part.find(aid)
    nb.arts, nb.parent = dict(sorted(arts.items())), parent
    nb.keys, nb.by_key = dict(b.keys), dict(b.by_key)
    for k in [k for k, r in b.keys.items() if r in hit]:
        del nb.keys[k], nb.by_key[k]
    nb.keys.update(part.keys)
    nb.by_key.update(part.by_key)
    nb.loose = dict(b.loose)
    for k in _loose_keys(b, hit):
        left = b.loose[k] - hit
        if left:
            nb.loose[k] = left
        else:
            del nb.loose[k]
    for k, ids in part.loose.items():
        nb.loose[k] = nb.loose.get(k, set()) | ids
    nb.outputs = list(b.outputs)
    for q in positions:
        remade = iter(part.outputs[q])
        nb.outputs[q] = list(remade) if q == p else [next(remade) if b.find(e[-1]) in hit else e for e in b.outputs[q]]
    return nb


def _loose_keys(b: _Builder, hit: set[int]) -> set[str]:
    """The loose keys of the names of the artifacts ``hit``."""
    return {names.loose_key(n) for r in hit for n in set(b.arts[r].names)} - {""}


def _resolve_again(lk: _Relinker, done, b: _Builder, nb: _Builder, hit: set[int], part: _Builder,
                   now: _Carried, plan: Plan, tasks: tuple) -> None:
    """Look up again the input names whose lookups meet a key or loose key the remade artifacts have, or
    had; the inputs whose names now give another answer are linked again (``plan.positions``)."""
    keys = {k for k, r in b.keys.items() if r in hit} | set(part.keys)
    keys = {k for k in keys if now[b.keys.get(k)] != nb.keys.get(k)}
    loose = {k for k in _loose_keys(b, hit) | set(part.loose) if {now[r] for r in b.loose.get(k, ())}
             != nb.loose.get(k, set())}
    renamed = {r for r, s in now.same.items() if nb.arts[s].name != b.arts[r].name}
    lk.cache = dict(done.cache)
    for name, (aid, loosely, candidates) in done.cache.items():
        ks, lo = names.keys(name), names.loose_key(name)
        if not (aid in hit or hit.intersection(candidates) or lo in keys or lo in loose or (ks and ks[0] in loose)
                or any(k in keys for k in ks)):
            continue
        got = lk.cache[name] = nb.resolve(name)
        if got == (now[aid], loosely, [now[c] for c in candidates]) \
                and not renamed.intersection(candidates):  # an ambiguous input lists its candidates by name
            continue
        if aid is not None:
            met = [c for c in b.arts[aid].consumers if any(r.name == name for r in tasks[c].inputs)]
        elif candidates:
            met = [q for q, _n in done.ambiguous_at.get(name, ())]
        else:
            met = [q for q, n, _s in done.unmatched_seen.get(names.key(name), ())
                   if n < len(tasks[q].inputs) and tasks[q].inputs[n].name == name]
        plan.positions.update(met)


def _hints_again(lk: _Relinker, done, b: _Builder, hit: set[int], part: _Builder, plan: Plan, tasks: tuple) -> None:
    """When the artifact names changed, the did-you-mean hints of unmatched inputs are worked out again:
    the inputs whose hint changed are linked again (``plan.positions``)."""
    def named(a: Artifact) -> tuple:
        return tuple(dict.fromkeys((a.name, *a.names)))

    now = part.roots()
    if sorted(hit) == [a.id for a in now] and all(named(b.arts[a.id]) == named(a) for a in now):
        return  # the same artifacts, by the same names, in the same order
    lk.choices = None
    if lk.artifact_names() == done.artifact_names():
        return
    lk.suggestions = {k: v for k, v in done.suggestions.items() if k.startswith("\0")}
    changed = {name for name, hint in done.suggestions.items() if name[:1] != "\0" and lk.suggest(name) != hint}
    for met in done.unmatched_seen.values() if changed else ():
        for q, n, _shown in met:
            if q not in plan.positions and tasks[q].inputs[n].name in changed:
                plan.positions.add(q)


def _taken(a: Artifact | None, pos: int) -> tuple:
    """(status, producer position, name) of an input at ``pos`` that takes the artifact ``a`` (None: gone)."""
    if a is None:
        return ()
    prods = a.producers
    if not prods:
        return (EXTERNAL if a.entry and a.entry.external else UNPRODUCED), None, a.name
    if prods[0] < pos:
        return EARLIER, prods[bisect_left(prods, pos) - 1], a.name
    return (SELF, pos, a.name) if prods[0] == pos else (LATER, prods[0], a.name)


def _ordered(lk: _Relinker, part: _Builder, plan: Plan) -> None:
    """Give the artifacts their slugs in the new order; one that is not remade and whose slug moves is copied."""
    ranked = lk.ranked()
    for a, slug in zip(ranked, slugs(ranked)):
        if a.slug == slug:
            continue
        if a.id in part.arts:
            a.slug = slug
        else:
            moved = lk.arts[a.id] = replace(a, slug=slug)
            plan.replaced[id(a)] = moved
            plan.holders.update(a.producers, a.consumers)
