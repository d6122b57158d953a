"""Artifacts: the registry, and the index of which key tasks create, update and use each one.

Pure functions over the model. Names are matched by dictionary lookups on the
keys of :mod:`playbook.names`, never by comparing tasks or names pairwise, so
linking is linear in the number of input and output references:

* an artifact is every output name whose keys meet (or that the registry ties
  together); the first task in playbook order that outputs it creates it, later
  ones update it, and tasks that input it use it;
* an input's producer is the nearest earlier producer, found by one sweep in
  playbook order; with none earlier, the nearest later one (flagged).
"""
from __future__ import annotations

import copy
from bisect import bisect_left
from dataclasses import dataclass, field, replace

from . import names
from .diagnostics import INFO, WARNING, Diagnostic, Diagnostics
from .load import RawDoc, field_name
from .model import ArtifactRef, KeyTask, Playbook
from .registry import Registry, RegistryEntry
from .urls import slugify

MAX_LISTED = 6
"""Other producers listed beside an input, and later updates beside an output."""
MAX_USES = 12
"""Tasks listed as using an output, or downstream of a task, before 'and N more'."""

# how an input was resolved
EARLIER, LATER, SELF = "earlier", "later", "self"
EXTERNAL, UNPRODUCED, AMBIGUOUS, UNRESOLVED = "external", "unproduced", "ambiguous", "unresolved"
LINKED = (EARLIER, LATER, SELF)


# --- the index -----------------------------------------------------------------

@dataclass(eq=False)
class Artifact:
    """One artifact (or external input) and the tasks that create, update and use it."""

    id: int
    """Number given while indexing (registry entries first); stable within one build."""
    name: str
    """Display name, plain text: the registry's name, else the first output's."""
    entry: RegistryEntry | None = None
    """Its registry entry, if any."""
    slug: str = ""
    """URL segment of its page, unique."""
    names: list = field(default_factory=list)
    """Every plain name it goes by, first seen first."""
    producers: list = field(default_factory=list)
    """Positions (in playbook order) of the tasks that output it, ascending."""
    consumers: list = field(default_factory=list)
    """Positions of the tasks that input it, ascending."""
    template: str = ""
    """Template file name or address: the registry's, else the first output's."""

    @property
    def external(self) -> bool:
        """Declared external and output by no task."""
        return bool(self.entry and self.entry.external and not self.producers)

    @property
    def description(self) -> str:
        """Description from the registry, if the artifact is declared there."""
        return self.entry.description if self.entry else ""

    @property
    def abbreviation(self) -> str:
        """Short form from the registry, if any."""
        return self.entry.abbreviation if self.entry else ""

    @property
    def url(self) -> str:
        """Address of an external input from the registry, if any."""
        return self.entry.url if self.entry else ""

    @property
    def other_names(self) -> list[str]:
        """Names other than the display name (aliases and variants met in the content)."""
        seen, out = {self.name.casefold()}, []
        for n in self.names:
            k = n.casefold()
            if k not in seen and n != self.name and n != self.abbreviation:
                seen.add(k)
                out.append(n)
        return out


@dataclass(frozen=True)
class InputLink:
    """One input of a task, resolved."""

    ref: ArtifactRef
    status: str
    """'earlier', 'later' or 'self' (linked); 'external'; 'unproduced', 'ambiguous' or 'unresolved'."""
    artifact: Artifact | None = None
    producer: KeyTask | None = None
    """The task it comes from: the nearest earlier producer, else the nearest later one."""
    others: tuple = ()
    """Other producers nearest to this task, in playbook order."""
    more: int = 0
    """Further producers not listed."""
    loose: bool = False
    """Linked only after dropping a qualifier from the name."""

    @property
    def linked(self) -> bool:
        """True when the reference resolved to an artifact that some task produces."""
        return self.status in LINKED


@dataclass(frozen=True)
class OutputLink:
    """One output of a task: where the artifact is created, updated, and who uses this version."""

    ref: ArtifactRef
    artifact: Artifact
    created_by: KeyTask
    created_here: bool
    updates: tuple = ()
    """Later tasks that update it, nearest first."""
    more_updates: int = 0
    used_by: tuple = ()
    """Tasks whose input resolves to this task's output."""
    more_uses: int = 0
    from_activity: bool = False
    """Named only by an activity's ``output:`` field."""


@dataclass(frozen=True)
class Neighbour:
    """A task linked to another through artifacts."""

    task: KeyTask
    artifacts: tuple
    """Names of the artifacts passed between the two."""
    out_of_order: bool = False
    """True for a producer that comes later, or a consumer that comes earlier, in playbook order."""


@dataclass(frozen=True)
class TaskLinks:
    """A key task's place in the artifact flow."""

    inputs: tuple = ()
    """:class:`InputLink` per input, in the order written."""
    outputs: tuple = ()
    """:class:`OutputLink` per output (the task's, then its activities'), one per artifact."""
    upstream: tuple = ()
    """:class:`Neighbour` tasks it takes artifacts from, in playbook order."""
    downstream: tuple = ()
    """:class:`Neighbour` tasks that take its outputs, in playbook order."""
    more_downstream: int = 0


@dataclass(frozen=True)
class Stats:
    """How input references resolved."""

    total: int = 0
    linked: int = 0
    external: int = 0
    unresolved: int = 0
    """Unresolved, ambiguous, or naming a registry artifact that no task outputs."""

    def line(self) -> str:
        """'artifacts: 83 of 99 input references linked (83%)', then how many are external or unlinked."""
        pct = 100 * self.linked // self.total if self.total else 100
        text = f"artifacts: {self.linked} of {self.total} input references linked ({pct}%)"
        extra = [f"{self.external} declared external"] if self.external else []
        extra += [f"{self.unresolved} unlinked"] if self.unresolved else []
        return text + (": " + ", ".join(extra) if extra else "")


@dataclass
class ArtifactIndex:
    """Every artifact with its producers and consumers, and each task's resolved references."""

    tasks: tuple
    """Key tasks in playbook order; positions index into this."""
    artifacts: list = field(default_factory=list)
    """Artifacts in display order: by first creation, then registry-only, then external."""
    links: dict = field(default_factory=dict)
    """Task id -> :class:`TaskLinks`."""
    edges: dict = field(default_factory=dict)
    """(producer position, consumer position) -> the artifacts it carries."""
    stats: Stats = field(default_factory=Stats)
    keys: dict = field(default_factory=dict, repr=False)
    """Lookup key -> artifact."""

    def lookup(self, name: str) -> Artifact | None:
        """The artifact a name stands for, by exact key (no qualifier dropping)."""
        for k in names.keys(name):
            if k in self.keys:
                return self.keys[k]
        return None

    def task_links(self, task: KeyTask) -> TaskLinks:
        """How a task's inputs and outputs resolved (empty for a task the index does not know)."""
        return self.links.get(task.id) or TaskLinks()

    def related(self, task: KeyTask) -> list[KeyTask]:
        """Every other task that creates, updates or uses an artifact this task inputs or outputs.

        A change to ``task``'s inputs or outputs can change what the pages of these tasks show
        (producers, later updates, uses). Linear in the artifacts' references.
        """
        links = self.task_links(task)
        found: set[int] = set()
        for a in {x.artifact for x in (*links.inputs, *links.outputs) if x.artifact is not None}:
            found.update(a.producers)
            found.update(a.consumers)
        me = self._pos.get(task.id)
        return [self.tasks[p] for p in sorted(found) if p != me]

    def referrers(self) -> dict[int, tuple[str, ...]]:
        """Position of a task -> ids of the tasks whose cross-links name it; worked out once per index.

        A task's cross-links name few of the tasks sharing its artifacts (each
        list stops after a few), so this is far shorter than :meth:`related`.
        """
        if self._referrers is None:
            pos = {id(t): i for i, t in enumerate(self.tasks)}
            found: dict[int, list] = {}
            for tid, links in self.links.items():
                for p in named_positions(links, pos):
                    found.setdefault(p, []).append(tid)
            self._referrers = {p: tuple(ids) for p, ids in found.items()}
        return self._referrers

    def set_referrers(self, referrers: dict[int, tuple[str, ...]]) -> None:
        """Take :meth:`referrers` worked out elsewhere (from an index this one was made from)."""
        self._referrers = referrers

    def position(self, task_id: str) -> int | None:
        """Where the task with this id is in playbook order (None for one the index does not know)."""
        return self._pos.get(task_id)

    def replacing(self, edited: dict[str, KeyTask], lines: dict | None = None) -> ArtifactIndex:
        """This index with key tasks (task id -> edited task) swapped for edited versions of themselves.

        Only for edits that leave what the index is built from as it was
        (inputs, outputs, activity outputs, but for the lines they are on; see
        :func:`playbook.link.link_fields`): artifacts, positions and
        resolutions then stay the same, and only the task objects change, in
        :attr:`tasks` and in every cross-link that names them. ``lines`` maps
        the id of an edited task whose references moved to {old line: new
        line}; its own cross-links then hold its references at their new
        lines. Artifacts and edges hold no task and are shared with this
        index, and so are the :meth:`referrers`.
        """
        refs = self.referrers()
        swap = {id(self.tasks[self._pos[i]]): t for i, t in edited.items()}
        touched = set(edited)
        for i in edited:
            touched.update(refs.get(self._pos[i], ()))
        links = dict(self.links)
        for tid in touched:
            if tid in links:
                links[tid] = _swapped(links[tid], swap)
        for tid, moved in (lines or {}).items():
            if tid in links:
                links[tid] = _moved(links[tid], moved)
        out = ArtifactIndex(tuple(swap.get(id(t), t) for t in self.tasks), self.artifacts, links, self.edges,
                            self.stats, self.keys)
        out._referrers = refs
        if self.linker is not None:
            out.linker = self.linker.moved(out.tasks, {self._pos[i]: m for i, m in (lines or {}).items()})
        return out

    def __post_init__(self):
        self._pos = {t.id: i for i, t in enumerate(self.tasks)}
        self._referrers: dict | None = None
        self.linker: _Linker | None = None
        """The sweep that made this index, kept when it was built editable (see :func:`build_index`)."""


def named_positions(links: TaskLinks, pos: dict[int, int]) -> set[int]:
    """Positions of the tasks a task's cross-links name (``pos``: id() of a task -> its position)."""
    named = []
    for i in links.inputs:
        named.append(i.producer)
        named.extend(i.others)
    for o in links.outputs:
        named.append(o.created_by)
        named.extend(o.updates)
        named.extend(o.used_by)
    named.extend(n.task for n in links.upstream)
    named.extend(n.task for n in links.downstream)
    return {pos[id(t)] for t in named if t is not None}


def _swapped(links: TaskLinks, swap: dict) -> TaskLinks:
    """``links`` with each task object whose id() is in ``swap`` replaced by its new version."""
    def hit(*tasks) -> bool:
        return any(id(t) in swap for t in tasks)

    def many(ts):
        return tuple(swap.get(id(t), t) for t in ts)

    inputs = tuple(replace(i, producer=swap.get(id(i.producer), i.producer), others=many(i.others))
                   if hit(i.producer, *i.others) else i for i in links.inputs)
    outputs = tuple(replace(o, created_by=swap.get(id(o.created_by), o.created_by), updates=many(o.updates),
                            used_by=many(o.used_by))
                    if hit(o.created_by, *o.updates, *o.used_by) else o for o in links.outputs)
    upstream = tuple(replace(n, task=swap[id(n.task)]) if id(n.task) in swap else n for n in links.upstream)
    downstream = tuple(replace(n, task=swap[id(n.task)]) if id(n.task) in swap else n for n in links.downstream)
    return replace(links, inputs=inputs, outputs=outputs, upstream=upstream, downstream=downstream)


def _moved(links: TaskLinks, moved: dict[int, int]) -> TaskLinks:
    """``links`` with the task's own references at the new lines ``moved`` gives (old line -> new line)."""
    def at(ref: ArtifactRef) -> ArtifactRef:
        return replace(ref, line=moved.get(ref.line, ref.line))

    return replace(links, inputs=tuple(replace(i, ref=at(i.ref)) for i in links.inputs),
                   outputs=tuple(replace(o, ref=at(o.ref)) for o in links.outputs))


def task_outputs(task: KeyTask, doc: RawDoc | None) -> list[tuple[ArtifactRef, str, bool]]:
    """(ref, field, from activity) for a task's outputs, then its activities' ``output:`` fields."""
    out = [(ref, f"outputs[{i}]", False) for i, ref in enumerate(task.outputs)]
    spots = [(("activities", i), a) for i, a in enumerate(task.activities)]
    spots += [(("activitiesGroups", g, "activities", i), a) for g, grp in enumerate(task.groups)
              for i, a in enumerate(grp.activities)]
    for path, a in spots:
        if a.output:
            line = doc.line(*path, "output") if doc else a.line
            out.append((ArtifactRef(a.output, line=line), field_name((*path, "output")), True))
    return out


class _Builder:
    """One pass over the playbook; see :func:`build_index`."""

    def __init__(self, playbook: Playbook, diags: Diagnostics):
        self.pb, self.diags = playbook, diags
        self.tasks = playbook.tasks
        self.registry = playbook.registry if isinstance(playbook.registry, Registry) else None
        self.arts: list[Artifact] = []
        self.parent: list[int] = []
        self.by_key: dict[str, int] = {}
        self.outputs: list[list] = [[] for _ in self.tasks]  # per position: (ref, field, from_activity, id)

    # union-find over artifact ids; registry entries come first and are never merged together
    def find(self, i: int) -> int:
        """The representative of artifact ``i`` after merges (union-find with path halving)."""
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def new(self, name: str, entry: RegistryEntry | None = None) -> int:
        """Start a new artifact named ``name``; returns its index."""
        i = len(self.arts)
        self.arts.append(Artifact(i, name, entry))
        self.parent.append(i)
        return i

    def registry_artifacts(self) -> None:
        """Make one artifact per registry entry and index every name it declares."""
        if not self.registry:
            return
        for e in self.registry.entries:
            self.new(e.name, e)
        for k, idx in self.registry.keys.items():
            self.by_key[k] = idx
        for i, e in enumerate(self.registry.entries):
            self.arts[i].names.extend(names.plain(n) for n in e.names)
            self.arts[i].template = e.template

    def collect_outputs(self) -> None:
        """Give every output (and activity output) of every task an artifact, by lookup key."""
        n_reg = len(self.registry.entries) if self.registry else 0
        for pos, t in enumerate(self.tasks):
            for ref, fname, from_activity in task_outputs(t, self.pb.sources.get(t.path)):
                ks = names.keys(ref.name)
                if not ks:
                    continue
                hits = list(dict.fromkeys(self.find(self.by_key[k]) for k in ks if k in self.by_key))
                if not hits:
                    aid = self.new(names.plain(ref.name))
                else:
                    aid = hits[0]
                    for other in hits[1:]:
                        aid, other = self.find(aid), self.find(other)
                        if aid < n_reg and other < n_reg:
                            self.diags.warning(t.path, ref.line, fname,
                                               f"output '{names.plain(ref.name)}' matches two registry entries, "
                                               f"'{self.arts[aid].name}' and '{self.arts[other].name}'",
                                               "make the names in artifacts.yaml distinct")
                            continue
                        keep, gone = min(aid, other), max(aid, other)
                        self.parent[gone] = keep
                        aid = keep
                for k in ks:
                    self.by_key.setdefault(k, aid)
                self.arts[aid].names.append(names.plain(ref.name))
                if not from_activity and not self.arts[aid].template and (ref.url or ref.filename):
                    self.arts[aid].template = ref.url or ref.filename
                self.outputs[pos].append((ref, fname, from_activity, aid))

    def settle(self) -> None:
        """Merge unioned artifacts into their roots and fill in producers."""
        for a in self.arts:
            root = self.find(a.id)
            if root != a.id:
                r = self.arts[root]
                r.names.extend(a.names)
                r.template = r.template or a.template
        for pos, outs in enumerate(self.outputs):
            seen = set()
            kept = []
            for ref, fname, from_activity, aid in outs:
                root = self.find(aid)
                if root in seen:
                    continue
                seen.add(root)
                kept.append((ref, fname, from_activity, root))
                self.arts[root].producers.append(pos)
            self.outputs[pos] = kept
        self.keys = {k: self.find(i) for k, i in self.by_key.items()}
        self.loose: dict[str, set] = {}
        for a in self.arts:
            if self.find(a.id) == a.id:
                for n in a.names:
                    lk = names.loose_key(n)
                    if lk:
                        self.loose.setdefault(lk, set()).add(a.id)

    def resolve(self, name: str) -> tuple[int | None, bool, list]:
        """(artifact id, linked loosely, ambiguous candidates) for an input name."""
        ks = names.keys(name)
        for k in ks:
            if k in self.keys:
                return self.keys[k], False, []
        if not ks:
            return None, False, []
        lk = names.loose_key(name)
        for k, table in ((ks[0], "loose"), (lk, "keys"), (lk, "loose")):
            if not k:
                continue
            got = {self.keys[k]} if table == "keys" and k in self.keys else set(self.loose.get(k, ()))
            if len(got) == 1:
                return got.pop(), True, []
            if got:
                return None, False, sorted(got)
        return None, False, []


def build_index(playbook: Playbook, diags: Diagnostics, editable: bool = False) -> ArtifactIndex:
    """Resolve every input and output of the playbook; report what does not resolve.

    ``editable`` keeps the state of the sweep with the index, so that an edit
    to one task's inputs can be linked again without the whole playbook
    (:mod:`playbook.input_relink`; ``playbook serve`` asks for it, ``build`` does not
    hold the memory).
    """
    b = _Builder(playbook, diags)
    b.registry_artifacts()
    b.collect_outputs()
    b.settle()
    return _Linker(b).run(editable)


class _Linker:
    """The sweep in playbook order that picks each input's producer, then the per-task views."""

    def __init__(self, b: _Builder):
        self.b, self.tasks, self.arts, self.diags = b, b.tasks, b.arts, b.diags
        self.pos = {t.id: i for i, t in enumerate(self.tasks)}
        self.uses: dict[tuple[int, int], list[int]] = {}
        self.edges: dict[tuple[int, int], list[Artifact]] = {}
        self.inputs: list[list[InputLink]] = [[] for _ in self.tasks]
        self.cache: dict[str, tuple] = {}
        self.unmatched: dict[str, str] = {}  # main key -> plain name of inputs that matched nothing
        self.unmatched_seen: dict[str, list[tuple[int, int, str]]] = {}
        """Main key -> (position, input number, plain name) of each input with that key that matched nothing."""
        self.suggestions: dict[str, str] = {}
        self.counts = {"linked": 0, "external": 0, "unresolved": 0}
        self.in_said: dict[int, list[Diagnostic]] = {}
        """Position -> what resolving that task's inputs reported."""
        self.out_said: dict[int, list[Diagnostic]] = {}
        """Position -> what working out that task's outputs' uses reported."""
        self.reg_said: list[Diagnostic] = []
        """What checking the registry's entries reported."""

    def _say(self, said: dict, pos: int, severity: str, path: str, line: int, fname: str, message: str,
             hint: str) -> None:
        """Report a problem of the task at ``pos``, and remember it there."""
        d = Diagnostic(path, line, fname, message, hint, severity)
        self.diags.items.append(d)
        said.setdefault(pos, []).append(d)

    # what one resolved input records; the sweep meets consumers in playbook order
    def _consumed(self, a: Artifact, pos: int) -> None:
        if not a.consumers or a.consumers[-1] != pos:
            a.consumers.append(pos)

    def _used(self, key: tuple[int, int], pos: int) -> None:
        self.uses.setdefault(key, []).append(pos)

    def _unmatched_at(self, key: str, seen: tuple[int, int, str]) -> None:
        self.unmatched_seen.setdefault(key, []).append(seen)

    def _carried(self, key: tuple[int, int], a: Artifact) -> None:
        carried = self.edges.setdefault(key, [])
        if a not in carried:
            carried.append(a)

    def moved(self, tasks: tuple, lines: dict[int, dict[int, int]]) -> _Linker:
        """A copy of this finished sweep for the same playbook with edited task objects ``tasks``
        (same positions and link fields); ``lines`` maps a position whose linked lines moved to
        {old line: new line}, where its outputs and what was said about it move too."""
        out = copy.copy(self)
        out.tasks = tasks
        if lines:
            out.b = copy.copy(self.b)
            out.b.outputs = list(self.b.outputs)
            out.in_said, out.out_said = dict(self.in_said), dict(self.out_said)
            for pos, m in lines.items():
                out.b.outputs[pos] = [(replace(r, line=m.get(r.line, r.line)), *rest) for r, *rest in self.b.outputs[pos]]
                for said in (out.in_said, out.out_said):
                    if pos in said:
                        said[pos] = [replace(d, line=m.get(d.line, d.line)) for d in said[pos]]
        return out

    def resolved(self, name: str) -> tuple[int | None, bool, list]:
        """(artifact id, linked loosely, ambiguous candidates) for an input name, worked out once per name."""
        if name not in self.cache:
            self.cache[name] = self.b.resolve(name)
        return self.cache[name]

    def run(self, editable: bool = False) -> ArtifactIndex:
        """Resolve every reference in one pass in playbook order and build the index."""
        last: dict[int, int] = {}
        for pos, t in enumerate(self.tasks):
            for i, ref in enumerate(t.inputs):
                self.inputs[pos].append(self.link_input(pos, t, i, ref, last))
            for _ref, _f, _a, aid in self.b.outputs[pos]:
                last[aid] = pos
        order = self.order()
        index = ArtifactIndex(self.tasks, order, edges=self.edges,
                              keys={k: self.arts[i] for k, i in self.b.keys.items()},
                              stats=Stats(sum(self.counts.values()), self.counts["linked"],
                                          self.counts["external"], self.counts["unresolved"]))
        for pos, t in enumerate(self.tasks):
            index.links[t.id] = self.task_links(pos, t)
        self.registry_checks()
        if editable:
            self.inputs = None  # the index's cross-links hold them
            index.linker = self
        return index

    def link_input(self, pos: int, t: KeyTask, i: int, ref: ArtifactRef, last: dict) -> InputLink:
        """Resolve one input: the nearest earlier producer, else a later one, else unlinked (with a diagnostic)."""
        aid, loose, candidates = self.resolved(ref.name)
        fname, shown = f"inputs[{i}]", names.plain(ref.name)

        def say(severity: str, message: str, hint: str) -> None:
            self._say(self.in_said, pos, severity, t.path, ref.line, fname, message, hint)

        if aid is None:
            self.counts["unresolved"] += 1
            if candidates:
                listed = ", ".join(f"'{self.arts[c].name}'" for c in candidates)
                say(WARNING, f"input '{shown}' could be any of {listed}",
                    "add the name as an alias of one of them in artifacts.yaml")
                return InputLink(ref, AMBIGUOUS)
            self.unmatched.setdefault(names.key(ref.name), shown)
            self._unmatched_at(names.key(ref.name), (pos, i, shown))
            say(WARNING, f"input '{shown}' is output by no key task and not declared external",
                self.suggest(ref.name) or "declare it under 'external:' in artifacts.yaml, "
                "or add it to the outputs of the task that produces it")
            return InputLink(ref, UNRESOLVED)
        a = self.arts[aid]
        self._consumed(a, pos)
        if loose:
            say(INFO, f"input '{shown}' taken as '{a.name}' (a qualifier was ignored)",
                "if that is right, add the name as an alias in artifacts.yaml")
        if not a.producers:
            if a.entry and a.entry.external:
                self.counts["external"] += 1
                return InputLink(ref, EXTERNAL, a, loose=loose)
            self.counts["unresolved"] += 1
            say(WARNING, f"input '{shown}' is the registry artifact '{a.name}', which no key task outputs",
                "add it to the outputs of the task that produces it, or list it under 'external:'")
            return InputLink(ref, UNPRODUCED, a, loose=loose)
        prods = a.producers
        if aid in last:
            producer, status = last[aid], EARLIER
        elif prods[0] == pos:
            producer, status = pos, SELF
            say(INFO, f"input '{shown}' is output by no earlier key task; this task creates it",
                "check the order of the tasks, or drop it from the inputs")
        else:
            producer, status = prods[0], LATER
            say(INFO, f"input '{shown}' is output only by later key tasks, first by {self.tasks[producer].id}",
                "check the order of the tasks")
        self.counts["linked"] += 1
        self._used((aid, producer), pos)
        if producer != pos:
            self._carried((producer, pos), a)
        j, k = bisect_left(prods, producer), bisect_left(prods, pos)
        here = producer != pos and k < len(prods) and prods[k] == pos
        lo = max(0, j - MAX_LISTED // 2)
        window = [p for p in prods[lo: lo + MAX_LISTED + 2] if p != producer and p != pos][:MAX_LISTED]
        more = len(prods) - 1 - here - len(window)
        return InputLink(ref, status, a, self.tasks[producer], tuple(self.tasks[p] for p in window), more, loose)

    def suggest(self, name: str) -> str:
        """A did-you-mean hint for an unresolved name, from the known artifact names."""
        k = names.key(name)
        if k not in self.suggestions:
            choices = [n for a in self.arts if self.b.find(a.id) == a.id for n in (a.name, *a.names)]
            self.suggestions[k] = names.suggest(name, choices)
        return self.suggestions[k]

    def unmatched_hint(self, name: str) -> str:
        """'is it the unmatched input X?' for an output that an unmatched input may mean."""
        k = "\0" + names.key(name)
        if k not in self.suggestions:
            hint = names.suggest(name, self.unmatched.values())
            self.suggestions[k] = hint.replace("did you mean", "is it the unmatched input", 1)
        return self.suggestions[k]

    def task_links(self, pos: int, t: KeyTask) -> TaskLinks:
        """Everything a task page shows about its inputs and outputs."""
        outputs, downstream = [], {}
        doc_outputs = self.b.outputs[pos]
        for ref, fname, from_activity, aid in doc_outputs:
            a = self.arts[aid]
            prods = a.producers
            j = bisect_left(prods, pos)
            later = prods[j + 1: j + 1 + MAX_LISTED]
            used = self.uses.get((aid, pos), ())
            for c in used:
                downstream.setdefault(c, []).append(a.name)
            outputs.append(OutputLink(ref, a, self.tasks[prods[0]], prods[0] == pos,
                                      tuple(self.tasks[p] for p in later), len(prods) - j - 1 - len(later),
                                      tuple(self.tasks[c] for c in used[:MAX_USES]), max(0, len(used) - MAX_USES),
                                      from_activity))
            if not later and (not a.consumers or a.consumers[-1] <= pos):
                self._say(self.out_said, pos, INFO, t.path, ref.line, fname,
                          f"output '{names.plain(ref.name)}' is used by no later key task", self.unmatched_hint(ref.name))
        upstream: dict[int, list] = {}
        for link in self.inputs[pos]:
            if link.linked and link.producer is not t:
                upstream.setdefault(self.pos[link.producer.id], []).append(link.artifact.name)
        down = sorted(downstream)
        return TaskLinks(tuple(self.inputs[pos]), tuple(outputs),
                         tuple(Neighbour(self.tasks[p], tuple(dict.fromkeys(n)), p > pos)
                               for p, n in sorted(upstream.items())),
                         tuple(Neighbour(self.tasks[p], tuple(dict.fromkeys(downstream[p])), p < pos)
                               for p in down[:MAX_USES]),
                         max(0, len(down) - MAX_USES))

    def order(self) -> list[Artifact]:
        """Roots in display order, with unique slugs and ids renumbered to match."""
        roots = [a for a in self.arts if self.b.find(a.id) == a.id]
        produced = sorted((a for a in roots if a.producers), key=lambda a: (a.producers[0], a.id))
        declared = [a for a in roots if not a.producers and not (a.entry and a.entry.external)]
        external = [a for a in roots if not a.producers and a.entry and a.entry.external]
        taken: set[str] = set()
        for a in produced + declared + external:
            base = slugify(a.name)
            slug, n = base, 2
            while slug in taken:
                slug, n = f"{base}-{n}", n + 1
            taken.add(slug)
            a.slug = slug
        return produced + declared + external

    def registry_checks(self) -> None:
        """Warn about registry entries nothing uses and externals that a task produces."""
        reg = self.b.registry
        if not reg:
            return
        used_names = None
        said = self.reg_said = []
        for i, e in enumerate(reg.entries):
            a = self.arts[self.b.find(i)]
            if e.external and a.producers:
                said.append(Diagnostic(reg.path, e.line, e.field, f"'{e.name}' is declared external, but "
                                       f"{self.tasks[a.producers[0]].id} outputs it",
                                       "move it from 'external:' to 'artifacts:'", WARNING))
            elif not a.producers and not a.consumers:
                if used_names is None:
                    used_names = [n for a in self.arts if a.entry is None for n in a.names]
                    used_names += list(self.unmatched.values())
                said.append(Diagnostic(reg.path, e.line, e.field, f"'{e.name}' is used by no key task",
                                       names.suggest(e.name, used_names) or "remove it, or use the name in a key task",
                                       WARNING))
        self.diags.extend(said)
