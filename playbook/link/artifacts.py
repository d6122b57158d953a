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

from bisect import bisect_left
from dataclasses import dataclass, field

from playbook.link import names
from playbook.diagnostics import INFO, WARNING, Diagnostic, Diagnostics
from playbook.load.documents import RawDoc, field_name
from playbook.model.types import ArtifactRef, KeyTask, Playbook
from playbook.model.registry import Registry, RegistryEntry
from playbook.urls import slugify

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
    """Registry entries 0, 1, 2, ...; else the :func:`output_id` of the output that started it (the
    first met of its names), so ids sort in the order a sweep meets artifacts."""
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


def output_id(pos: int, number: int) -> int:
    """The id of an artifact that output ``number`` of the task at position ``pos`` starts.

    Registry entries take 0, 1, 2, ...; these ids come after them, in the
    order a sweep meets the outputs: so the merging below, which keeps the
    lowest id, keeps the first met.
    """
    return (pos + 1) << 32 | number


class _Builder:
    """One pass over the playbook; see :func:`build_index`."""

    def __init__(self, playbook: Playbook, diags: Diagnostics):
        self.pb, self.diags = playbook, diags
        self.tasks = playbook.tasks
        self.registry = playbook.registry if isinstance(playbook.registry, Registry) else None
        self.n_reg = len(self.registry.entries) if self.registry else 0
        self.arts: dict[int, Artifact] = {}
        """Artifact id -> artifact, in id order: every artifact started, merged ones too."""
        self.parent: dict[int, int] = {}
        self.by_key: dict[str, int] = {}
        """Lookup key -> the artifact that first claimed it (merged or not)."""
        self.outputs: list[list] = [[] for _ in self.tasks]
        """Per position: (output number, ref, field, from activity, artifact id when met) of each named output."""

    # union-find over artifact ids; registry entries come first and are never merged together
    def find(self, i: int) -> int:
        """The representative of artifact ``i`` after merges (union-find with path halving)."""
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def new(self, aid: int, name: str, entry: RegistryEntry | None = None) -> Artifact:
        """Start a new artifact named ``name`` with id ``aid``."""
        a = self.arts[aid] = Artifact(aid, name, entry)
        self.parent[aid] = aid
        return a

    def registry_artifacts(self) -> None:
        """Make one artifact per registry entry and index every name it declares."""
        if not self.registry:
            return
        for i, e in enumerate(self.registry.entries):
            a = self.new(i, e.name, e)
            a.names.extend(names.plain(n) for n in e.names)
            a.template = e.template
        for k, idx in self.registry.keys.items():
            self.by_key[k] = idx

    def collect_outputs(self) -> None:
        """Give every output (and activity output) of every task an artifact, by lookup key."""
        for pos, t in enumerate(self.tasks):
            for n, (ref, fname, from_activity) in enumerate(task_outputs(t, self.pb.sources.get(t.path))):
                self.add_output(pos, n, ref, fname, from_activity)

    def add_output(self, pos: int, number: int, ref: ArtifactRef, fname: str, from_activity: bool) -> None:
        """Give output ``number`` of the task at ``pos`` an artifact: the one its keys meet, else a new one."""
        ks = names.keys(ref.name)
        if not ks:
            return
        hits = list(dict.fromkeys(self.find(self.by_key[k]) for k in ks if k in self.by_key))
        if not hits:
            aid = self.new(output_id(pos, number), names.plain(ref.name)).id
        else:
            aid = hits[0]
            for other in hits[1:]:
                aid, other = self.find(aid), self.find(other)
                if aid < self.n_reg and other < self.n_reg:
                    self.diags.warning(self.tasks[pos].path, ref.line, fname,
                                       f"output '{names.plain(ref.name)}' matches two registry entries, "
                                       f"'{self.arts[aid].name}' and '{self.arts[other].name}'",
                                       "make the names in artifacts.yaml distinct")
                    continue
                keep, gone = min(aid, other), max(aid, other)
                self.parent[gone] = keep
                aid = keep
        for k in ks:
            self.by_key.setdefault(k, aid)
        a = self.arts[aid]
        a.names.append(names.plain(ref.name))
        if not from_activity and not a.template and (ref.url or ref.filename):
            a.template = ref.url or ref.filename
        self.outputs[pos].append((number, ref, fname, from_activity, aid))

    def settle(self) -> None:
        """Merge unioned artifacts into their roots and fill in producers."""
        for a in self.arts.values():
            root = self.find(a.id)
            if root != a.id:
                r = self.arts[root]
                r.names.extend(a.names)
                r.template = r.template or a.template
        for pos in range(len(self.tasks)):
            seen = set()
            for *_, aid in self.outputs[pos]:
                root = self.find(aid)
                if root not in seen:
                    seen.add(root)
                    self.arts[root].producers.append(pos)
        self.keys = {k: self.find(i) for k, i in self.by_key.items()}
        """Lookup key -> the artifact (root) it stands for."""
        self.loose: dict[str, set] = {}
        """Key with a qualifier dropped -> the artifacts (roots) with a name that has it."""
        for a in self.roots():
            for n in a.names:
                lk = names.loose_key(n)
                if lk:
                    self.loose.setdefault(lk, set()).add(a.id)

    def roots(self) -> list[Artifact]:
        """The artifacts that outputs and the registry make, merged ones left out, in id order."""
        return [a for a in self.arts.values() if self.find(a.id) == a.id]

    def kept(self, pos: int) -> list[tuple]:
        """(ref, field, from activity, artifact) of the outputs of the task at ``pos``, one per artifact."""
        seen, out = set(), []
        for _n, ref, fname, from_activity, aid in self.outputs[pos]:
            root = self.find(aid)
            if root not in seen:
                seen.add(root)
                out.append((ref, fname, from_activity, root))
        return out

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


def build_index(playbook: Playbook, diags: Diagnostics) -> ArtifactIndex:
    """Resolve every input and output of the playbook; report what does not resolve."""
    b = _Builder(playbook, diags)
    b.registry_artifacts()
    b.collect_outputs()
    b.settle()
    return _Linker(b).run()


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
        self.suggestions: dict[str, str] = {}
        """Hints by the name they are for: an unmatched input's did-you-mean (by its name as written), and
        an unused output's 'is it the unmatched input' (by NUL and the output's name)."""
        self.choices: list[str] | None = None
        """Every name of every artifact, for did-you-mean hints; made when first needed."""
        self.counts = {"linked": 0, "external": 0, "unresolved": 0}

    # what one resolved input records; the sweep meets consumers in playbook order
    def _consumed(self, a: Artifact, pos: int) -> None:
        if not a.consumers or a.consumers[-1] != pos:
            a.consumers.append(pos)

    def _used(self, key: tuple[int, int], pos: int) -> None:
        self.uses.setdefault(key, []).append(pos)

    def _carried(self, key: tuple[int, int], a: Artifact) -> None:
        carried = self.edges.setdefault(key, [])
        if a not in carried:
            carried.append(a)

    def resolved(self, name: str) -> tuple[int | None, bool, list]:
        """(artifact id, linked loosely, ambiguous candidates) for an input name, worked out once per name."""
        if name not in self.cache:
            self.cache[name] = self.b.resolve(name)
        return self.cache[name]

    def run(self) -> ArtifactIndex:
        """Resolve every reference in one pass in playbook order and build the index."""
        last: dict[int, int] = {}
        for pos, t in enumerate(self.tasks):
            for i, ref in enumerate(t.inputs):
                self.inputs[pos].append(self.link_input(pos, t, i, ref, last))
            for *_, aid in self.b.kept(pos):
                last[aid] = pos
        order = self.order()
        index = ArtifactIndex(self.tasks, order, edges=self.edges,
                              keys={k: self.arts[i] for k, i in self.b.keys.items()},
                              stats=Stats(sum(self.counts.values()), self.counts["linked"],
                                          self.counts["external"], self.counts["unresolved"]))
        for pos, t in enumerate(self.tasks):
            index.links[t.id] = self.task_links(pos, t)
        self.registry_checks()
        return index

    def link_input(self, pos: int, t: KeyTask, i: int, ref: ArtifactRef, last: dict) -> InputLink:
        """Resolve one input: the nearest earlier producer, else a later one, else unlinked (with a diagnostic)."""
        aid, loose, candidates = self.resolved(ref.name)
        fname, shown = f"inputs[{i}]", names.plain(ref.name)

        def say(severity: str, message: str, hint: str) -> None:
            self.diags.add(t.path, ref.line, fname, message, hint, severity)

        if aid is None:
            self.counts["unresolved"] += 1
            if candidates:
                listed = ", ".join(f"'{self.arts[c].name}'" for c in candidates)
                say(WARNING, f"input '{shown}' could be any of {listed}",
                    "add the name as an alias of one of them in artifacts.yaml")
                return InputLink(ref, AMBIGUOUS)
            self.unmatched.setdefault(names.key(ref.name), shown)
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
        window, more = listed_beside(prods, producer, pos)
        return InputLink(ref, status, a, self.tasks[producer], tuple(self.tasks[p] for p in window), more, loose)

    def suggest(self, name: str) -> str:
        """A did-you-mean hint for an unresolved name, from the known artifact names."""
        if name not in self.suggestions:
            self.suggestions[name] = names.suggest(name, self.artifact_names())
        return self.suggestions[name]

    def artifact_names(self) -> list[str]:
        """Every name of every artifact, each once, in id order (see :attr:`choices`)."""
        if self.choices is None:
            self.choices = list(dict.fromkeys(n for a in self.b.roots() for n in (a.name, *a.names)))
        return self.choices

    def unmatched_hint(self, name: str) -> str:
        """'is it the unmatched input X?' for an output that an unmatched input may mean."""
        k = "\0" + name
        if k not in self.suggestions:
            hint = names.suggest(name, self.unmatched.values())
            self.suggestions[k] = hint.replace("did you mean", "is it the unmatched input", 1)
        return self.suggestions[k]

    def task_links(self, pos: int, t: KeyTask) -> TaskLinks:
        """Everything a task page shows about its inputs and outputs."""
        outputs, downstream = [], {}
        for ref, fname, from_activity, aid in self.b.kept(pos):
            a = self.arts[aid]
            prods = a.producers
            later, more_updates = updates_after(prods, pos)
            used = self.uses.get((aid, pos), ())
            for c in used:
                downstream.setdefault(c, []).append(a.name)
            outputs.append(OutputLink(ref, a, self.tasks[prods[0]], prods[0] == pos,
                                      tuple(self.tasks[p] for p in later), more_updates,
                                      tuple(self.tasks[c] for c in used[:MAX_USES]), max(0, len(used) - MAX_USES),
                                      from_activity))
            if not later and (not a.consumers or a.consumers[-1] <= pos):
                self.diags.info(t.path, ref.line, fname, f"output '{names.plain(ref.name)}' is used by no later "
                                "key task", self.unmatched_hint(ref.name))
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
        """Roots in display order, with unique slugs."""
        out = self.ranked()
        for a, slug in zip(out, slugs(out)):
            a.slug = slug
        return out

    def ranked(self) -> list[Artifact]:
        """Roots in display order: by first producer (then id), then registry-only, then external."""
        roots = self.b.roots()
        produced = sorted((a for a in roots if a.producers), key=lambda a: (a.producers[0], a.id))
        declared = [a for a in roots if not a.producers and not (a.entry and a.entry.external)]
        external = [a for a in roots if not a.producers and a.entry and a.entry.external]
        return produced + declared + external

    def registry_checks(self) -> None:
        """Warn about registry entries nothing uses and externals that a task produces."""
        reg = self.b.registry
        if not reg:
            return
        used_names = None
        said = []
        for i, e in enumerate(reg.entries):
            a = self.arts[i]  # a registry entry is never merged into another artifact
            if e.external and a.producers:
                said.append(Diagnostic(reg.path, e.line, e.field, f"'{e.name}' is declared external, but "
                                       f"{self.tasks[a.producers[0]].id} outputs it",
                                       "move it from 'external:' to 'artifacts:'", WARNING))
            elif not a.producers and not a.consumers:
                if used_names is None:
                    used_names = [n for a in self.arts.values() if a.entry is None for n in a.names]
                    used_names += list(self.unmatched.values())
                said.append(Diagnostic(reg.path, e.line, e.field, f"'{e.name}' is used by no key task",
                                       names.suggest(e.name, used_names) or "remove it, or use the name in a key task",
                                       WARNING))
        self.diags.extend(said)


def slugs(ranked: list[Artifact]) -> list[str]:
    """Unique URL segments for artifacts in display order: the first of a name gets it plain, later ones -2, -3, ..."""
    taken: set[str] = set()
    out = []
    for a in ranked:
        base = slugify(a.name)
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        out.append(slug)
    return out


def listed_beside(prods: list[int], producer: int, pos: int) -> tuple[list[int], int]:
    """(other producers shown beside an input, how many more) for the task at ``pos`` taking from ``producer``.

    ``prods`` are the artifact's producers, ascending: those nearest the
    producer are shown, but for the producer itself and the task."""
    j, k = bisect_left(prods, producer), bisect_left(prods, pos)
    here = producer != pos and k < len(prods) and prods[k] == pos
    lo = max(0, j - MAX_LISTED // 2)
    window = [p for p in prods[lo: lo + MAX_LISTED + 2] if p != producer and p != pos][:MAX_LISTED]
    return window, len(prods) - 1 - here - len(window)


def updates_after(prods: list[int], pos: int) -> tuple[list[int], int]:
    """(the later producers shown beside an output of the task at ``pos``, how many more)."""
    j = bisect_left(prods, pos)
    later = prods[j + 1: j + 1 + MAX_LISTED]
    return later, len(prods) - j - 1 - len(later)
