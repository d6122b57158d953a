"""Artifacts: the registry, and the index of which key tasks create, update and use each one.

Pure functions over the model. Names are matched by dictionary lookups on the
forms of :mod:`playbook.link.names`, never by comparing tasks or names pairwise,
so linking is linear in the number of input and output references:

* an artifact is every output name whose forms meet (or that the registry ties
  together); the first task in playbook order that outputs it creates it, later
  ones update it, and tasks that input it use it;
* an input names the artifact its forms reach with the cheapest rules, or, by
  rule ``split``, several artifacts;
* an input's producer is the nearest earlier producer, found by one sweep in
  playbook order; with none earlier, the nearest later one that creates it
  (flagged): an output named as an update ("Updated X", "X updated in Y") is no
  source for an earlier task.

Every match records the rules that made it, so pages can show an inferred
link as such and the build can count the links each rule made.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field, replace
from typing import Iterable

from playbook.link import names
from playbook.diagnostics import INFO, WARNING, Diagnostics
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
UPDATE_ONLY = "update-only"
"""No task creates it at or before the input's task; later tasks only update it."""
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


class _Matched:
    """What an input or output shows of the rules that matched its name to its artifact's."""

    artifact: Artifact | None
    rules: tuple

    @property
    def inferred(self) -> bool:
        """Matched by a rule that infers the link (not the same name, not a name declared in artifacts.yaml)."""
        return names.inferred(self.rules)

    @property
    def how(self) -> str:
        """The inferring rules as a page says them: 'acronym, version word'."""
        return names.how(self.rules)

    @property
    def matched(self) -> str:
        """'matched as Data Migration Plan (acronym, version word)' for an inferred link, else ''."""
        return matched(self.artifact.name, self.rules) if self.artifact and self.inferred else ""


@dataclass(frozen=True)
class InputLink(_Matched):
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
    rules: tuple = ()
    """The rules of :mod:`playbook.link.names` that matched the name to the artifact (() for the same name)."""
    also: tuple = ()
    """The other artifacts the input names (rule ``split``), each an :class:`InputLink` of the same reference."""
    candidates: tuple = ()
    """For an ambiguous input: the artifacts its name fits equally well."""

    @property
    def linked(self) -> bool:
        """True when the reference resolved to an artifact that some task produces."""
        return self.status in LINKED

    @property
    def loose(self) -> bool:
        """Linked only after dropping a qualifier from the name."""
        return "qualifier" in self.rules

    @property
    def parts(self) -> tuple:
        """This link and the :attr:`also` links: one per artifact the input names."""
        return (self, *self.also)


@dataclass(frozen=True)
class OutputLink(_Matched):
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
    rules: tuple = ()
    """The rules that matched this output's name to the artifact's name (() for the same name)."""


def matched(name: str, rules: tuple) -> str:
    """What a page says beside a name matched to the artifact ``name`` by inferring ``rules``."""
    return f"matched as {name} ({names.how(rules)})"


def noted(written: str, note: str) -> str:
    """'“Final DMP” matched as Data Migration Plan (acronym, version word)': a note with the name as written."""
    return f"\u201c{names.plain(written)}\u201d {note}" if note else ""


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
    rules: tuple = ()
    """(rule label, input references linked by it), e.g. ('acronym+stage', 2), in the order of the rules."""
    joined: tuple = ()
    """(rule label, outputs joined to an artifact of another name by it)."""

    def rules_line(self) -> str:
        """'artifacts: links by rule: name 80, stage 2, qualifier 4; outputs joined by rule: stage 2' ('' when
        no input is linked)."""
        if not self.rules:
            return ""
        text = "artifacts: links by rule: " + ", ".join(f"{r} {n}" for r, n in self.rules)
        if self.joined:
            text += "; outputs joined by rule: " + ", ".join(f"{r} {n}" for r, n in self.joined)
        return text

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
    """Lookup key (a form of an output's or the registry's name) -> artifact."""
    key_rules: dict = field(default_factory=dict, repr=False)
    """Lookup key -> the rules that made it a key of its artifact (() for a name as written)."""
    namer: names.Namer = field(default_factory=names.Namer, repr=False)
    """The name rules of this playbook (its abbreviations)."""

    def lookup(self, name: str) -> Artifact | None:
        """The artifact a name stands for: the one its forms reach with the cheapest rules (None if none or several)."""
        best, found, got = None, set(), None
        for k, r in self.namer.forms(name):
            if k in self.keys:
                a = self.keys[k]
                c = names.cost(names.rules_of(r, self.key_rules[k]))
                if best is None or c < best:
                    best, found = c, {a.id}
                    got = a
                elif c == best and a.id not in found:
                    found.add(a.id)
        return got if best is not None and len(found) == 1 else None

    def task_links(self, task: KeyTask) -> TaskLinks:
        """How a task's inputs and outputs resolved (empty for a task the index does not know)."""
        return self.links.get(task.id) or TaskLinks()

    def notes(self, a: Artifact) -> dict[int, tuple[str, str]]:
        """Position -> (note on its use, note on its output) of each task whose name for ``a`` was inferred.

        Each note reads '“Final DMP” matched as Data Migration Plan (acronym,
        version word)' (:func:`noted`); tasks that name ``a`` as it is are left out."""
        out: dict[int, tuple[str, str]] = {}
        for p in dict.fromkeys((*a.producers, *a.consumers)):
            links = self.task_links(self.tasks[p])
            used = next((noted(x.ref.name, x.matched) for i in links.inputs for x in i.parts
                         if x.artifact is a and x.matched), "")
            made = next((noted(o.ref.name, o.matched) for o in links.outputs if o.artifact is a and o.matched), "")
            if used or made:
                out[p] = (used, made)
        return out

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
    order a sweep meets the outputs, and do not depend on any other task: so
    the merging below, which keeps the lowest id, keeps the first met, and an
    edit of one task's outputs leaves the ids of every other artifact alone.
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
        self.by_key: dict[str, tuple[int, tuple]] = {}
        """Form key -> (the artifact that first claimed it, merged or not; the cheapest rules it was claimed with)."""
        self.weak_keys: dict[str, dict[int, tuple]] = {}
        """Form key made by a rule that never joins outputs (``qualifier``, ``part``) -> {artifact: rules}."""
        self.listed = [task_outputs(t, playbook.sources.get(t.path)) for t in self.tasks]
        """Per position: the task's (ref, field, from activity) outputs."""
        self.outputs: list[list] = [[] for _ in self.tasks]
        """Per position: (output number, ref, field, from activity, artifact id when met, rules it joined with)."""
        self.updating: set[tuple[int, int]] = set()
        """(artifact, position) where the task's outputs of the artifact are all named as updates."""
        self.namer = names.Namer(names.acronyms(self.all_names(), self.glossary_terms()))
        self.related: dict[tuple[str, int], tuple] = {}
        """(output name, artifact) -> :meth:`relation` (copies of a playbook repeat them)."""
        self.met: dict[str, int] = {}
        """Output name -> the artifact it was given, once its forms are all claimed for that artifact."""

    def all_names(self) -> Iterable[str]:
        """Every artifact name the playbook writes: outputs, inputs and the registry's names."""
        for t, outs in zip(self.tasks, self.listed):
            yield from (ref.name for ref, _f, _a in outs)
            yield from (ref.name for ref in t.inputs)
        if self.registry:
            yield from (n for e in self.registry.entries for n in e.names)

    def glossary_terms(self) -> list[tuple[str, str]]:
        """(term, description) of every glossary term: where abbreviations are written out."""
        g = self.pb.glossary
        return [(term.name, term.description) for s in g.sections for term in s.terms] if g else []

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

    def claim(self, k: str, aid: int, rules: tuple) -> None:
        """Record that artifact ``aid`` has a name with form ``k`` reached by ``rules``.

        The first claim keeps the key; a cheaper claim by the same artifact, or
        one that is the content's own name rather than the registry's, keeps
        its rules."""
        old = self.by_key.get(k)
        if old is None:
            self.by_key[k] = (aid, rules)
        elif old[1] != rules and self.find(old[0]) == self.find(aid):
            c, oc = names.cost(rules), names.cost(old[1])
            if c < oc or (c == oc and "registry" in old[1] and "registry" not in rules):
                self.by_key[k] = (old[0], rules)

    def registry_artifacts(self) -> None:
        """Make one artifact per registry entry and index every form of every name it declares."""
        if not self.registry:
            return
        for i, e in enumerate(self.registry.entries):
            a = self.new(i, e.name, e)
            a.names.extend(names.plain(n) for n in e.names)
            a.template = e.template
        for i, e in enumerate(self.registry.entries):
            for n in e.names:
                for k, r in self.namer.forms(n):
                    if "qualifier" in r:
                        self.weak_keys.setdefault(k, {}).setdefault(i, names.rules_of(r, ("registry",)))
                    else:
                        self.claim(k, i, names.rules_of(r, ("registry",)))

    def collect_outputs(self) -> None:
        """Give every output (and activity output) of every task an artifact, by its forms."""
        for pos, outs in enumerate(self.listed):
            for n, (ref, fname, from_activity) in enumerate(outs):
                self.add_output(pos, n, ref, fname, from_activity)

    def add_output(self, pos: int, number: int, ref: ArtifactRef, fname: str, from_activity: bool) -> None:
        """Give output ``number`` of the task at ``pos`` an artifact: those its forms reach most cheaply, joined,
        else a new one."""
        seen = self.met.get(ref.name)
        if seen is not None:  # the same name again: its forms are claimed, by this artifact or one joined to it
            self._add(pos, number, ref, fname, from_activity, self.find(seen), ())
            return
        forms = self.namer.forms(ref.name)
        if not forms:
            return
        hits: dict[int, tuple] = {}
        for k, r in forms:
            if k in self.by_key and "qualifier" not in r:
                aid, rr = self.by_key[k]
                root, rules = self.find(aid), names.rules_of(r, rr)
                if root not in hits or names.cost(rules) < names.cost(hits[root]):
                    hits[root] = rules
        joined: tuple = ()
        clash = False
        if not hits:
            aid = self.new(output_id(pos, number), names.plain(ref.name)).id
        else:
            best = min(names.cost(r) for r in hits.values())
            roots = [root for root, r in hits.items() if names.cost(r) == best]
            aid, joined = roots[0], hits[roots[0]]
            for other in roots[1:]:
                aid, other = self.find(aid), self.find(other)
                if aid < self.n_reg and other < self.n_reg:
                    clash = True
                    self.diags.warning(self.tasks[pos].path, ref.line, fname,
                                       f"output '{names.plain(ref.name)}' matches two registry entries, "
                                       f"'{self.arts[aid].name}' and '{self.arts[other].name}'",
                                       "make the names in artifacts.yaml distinct")
                    continue
                keep, gone = min(aid, other), max(aid, other)
                self.parent[gone] = keep
                aid = keep
        for k, r in forms:
            if "qualifier" in r:
                self.weak_keys.setdefault(k, {}).setdefault(aid, r)
            else:
                self.claim(k, aid, r)
        for k, r in self.namer.parts(ref.name):
            self.weak_keys.setdefault(k, {}).setdefault(aid, r)
        if not clash:  # a name that meets two registry entries is said again wherever it is written
            self.met[ref.name] = aid
        self._add(pos, number, ref, fname, from_activity, aid, joined)

    def _add(self, pos: int, number: int, ref: ArtifactRef, fname: str, from_activity: bool, aid: int,
             joined: tuple) -> None:
        """Record output ``number`` of the task at ``pos`` as a name of artifact ``aid``."""
        a = self.arts[aid]
        a.names.append(names.plain(ref.name))
        if not from_activity and not a.template and (ref.url or ref.filename):
            a.template = ref.url or ref.filename
        self.outputs[pos].append((number, ref, fname, from_activity, aid, joined))

    def settle(self) -> None:
        """Merge joined artifacts into their roots, name them, fill in producers and the lookup tables."""
        for a in self.arts.values():
            root = self.find(a.id)
            if root != a.id:
                r = self.arts[root]
                r.names.extend(a.names)
                r.template = r.template or a.template
        for a in self.roots():
            if a.entry is None:  # a name with no version word or qualifier, if it has one
                a.name = next((n for n in a.names if not names.is_staged(n)), a.name)
        for pos in range(len(self.tasks)):
            update: dict[int, bool] = {}
            for _n, ref, *_rest, aid, _j in self.outputs[pos]:
                root = self.find(aid)
                update[root] = update.get(root, True) and names.is_update(ref.name)
            for root, only in update.items():
                self.arts[root].producers.append(pos)
                if only:
                    self.updating.add((root, pos))
        self.keys = {k: (self.find(i), r) for k, (i, r) in self.by_key.items()}
        """Form key -> (the artifact (root) it stands for, rules)."""
        self.kept_at = [self._kept(pos) for pos in range(len(self.tasks))]
        weak: dict[str, dict[int, tuple]] = {}
        for k, got in self.weak_keys.items():
            for aid, r in got.items():
                root, have = self.find(aid), weak.setdefault(k, {})
                if root not in have or names.cost(r) < names.cost(have[root]):
                    have[root] = r
        self.weak = weak
        """Form key made by a rule that never joins outputs -> {artifact (root): rules}."""

    def roots(self) -> list[Artifact]:
        """The artifacts that outputs and the registry make, merged ones left out, in id order."""
        return [a for a in self.arts.values() if self.find(a.id) == a.id]

    def kept(self, pos: int) -> list[tuple]:
        """(ref, field, from activity, artifact) of the outputs of the task at ``pos``, one per artifact."""
        return self.kept_at[pos]

    def _kept(self, pos: int) -> list[tuple]:
        seen, out = set(), []
        for _n, ref, fname, from_activity, aid, _joined in self.outputs[pos]:
            root = self.find(aid)
            if root not in seen:
                seen.add(root)
                out.append((ref, fname, from_activity, root))
        return out

    def relation(self, name: str, aid: int, pos: int) -> tuple:
        """The rules that match an output's ``name`` to the name of its artifact ``aid`` (the task at ``pos``)."""
        got = self.related.get((name, aid))
        if got is None:
            got = self.related[name, aid] = self._relation(name, aid, pos)
        return got

    def _relation(self, name: str, aid: int, pos: int) -> tuple:
        a = self.arts[aid]
        mine = dict(self.namer.forms(name))
        best = None
        for k, r in self.namer.forms(a.name):
            if k in mine:
                rules = names.rules_of(r, mine[k])
                if best is None or names.cost(rules) < names.cost(best):
                    best = rules
        if best is None:  # met through another of its names
            best = next((j for _n, ref, *_r, _aid, j in self.outputs[pos] if ref.name == name), ())
        return tuple(r for r in best if r != "registry") if a.entry is None else best

    def match(self, name: str) -> tuple[list[tuple[int, tuple]], list[int]]:
        """([(artifact, rules)] for the cheapest artifact an input name's forms reach, [candidates when several])."""
        found: dict[int, tuple] = {}
        for k, r in self.namer.input_forms(name):
            hit = self.keys.get(k)
            if hit is not None:
                rules = names.rules_of(r, hit[1])
                if hit[0] not in found or names.cost(rules) < names.cost(found[hit[0]]):
                    found[hit[0]] = rules
            for root, rr in self.weak.get(k, {}).items():
                rules = names.rules_of(r, rr)
                if root not in found or names.cost(rules) < names.cost(found[root]):
                    found[root] = rules
        if not found:
            return [], []
        best = min(names.cost(r) for r in found.values())
        winners = sorted(a for a, r in found.items() if names.cost(r) == best)
        if len(winners) > 1:
            return [], winners
        return [(winners[0], found[winners[0]])], []

    def resolve(self, name: str) -> tuple[list[tuple[int, tuple]], list[int]]:
        """([(artifact, rules)] an input name stands for, [ambiguous candidates]).

        One artifact by :meth:`match`; else, by rule ``split``, the artifacts of
        the first reading (:func:`playbook.link.names.readings`) whose every part
        matches a distinct artifact that some task outputs."""
        got, candidates = self.match(name)
        if got or candidates:
            return got, candidates
        for reading in names.readings(name):
            parts = [self.match(p)[0] for p in reading]
            if all(p and self.arts[p[0][0]].producers for p in parts) and \
                    len({p[0][0] for p in parts}) == len(parts):
                return [(aid, names.rules_of(r, ("split",))) for (aid, r), in parts], []
        return [], []


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
        self.by_rule: dict[str, int] = {}
        """Rule label -> input references linked by it."""
        self.joined: dict[str, int] = {}
        """Rule label -> outputs joined to an artifact of another name by it."""

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

    def resolved(self, name: str) -> tuple[list, list]:
        """([(artifact id, rules)], ambiguous candidates) for an input name, worked out once per name."""
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
                              keys={k: self.arts[i] for k, (i, _r) in self.b.keys.items()},
                              key_rules={k: r for k, (_i, r) in self.b.keys.items()}, namer=self.b.namer)
        for pos, t in enumerate(self.tasks):
            index.links[t.id] = self.task_links(pos, t)
        index.stats = Stats(sum(self.counts.values()), self.counts["linked"], self.counts["external"],
                            self.counts["unresolved"], _by_rule(self.by_rule), _by_rule(self.joined))
        self.registry_checks()
        return index

    def link_input(self, pos: int, t: KeyTask, i: int, ref: ArtifactRef, last: dict) -> InputLink:
        """Resolve one input: the artifacts it names, each from the nearest earlier producer, else a later one
        that creates it, else unlinked (with a diagnostic)."""
        hits, candidates = self.resolved(ref.name)
        fname, shown = f"inputs[{i}]", names.plain(ref.name)

        def say(severity: str, message: str, hint: str) -> None:
            self.diags.add(t.path, ref.line, fname, message, hint, severity)

        if not hits:
            self.counts["unresolved"] += 1
            if candidates:
                listed = ", ".join(f"'{self.arts[c].name}'" for c in candidates)
                say(WARNING, f"input '{shown}' could be any of {listed}",
                    "add the name as an alias of one of them in artifacts.yaml")
                return InputLink(ref, AMBIGUOUS, candidates=tuple(self.arts[c] for c in candidates))
            self.unmatched.setdefault(names.key(ref.name), shown)
            say(WARNING, f"input '{shown}' is output by no key task and not declared external",
                self.suggest(ref.name) or "declare it under 'external:' in artifacts.yaml, "
                "or add it to the outputs of the task that produces it")
            return InputLink(ref, UNRESOLVED)
        parts = [self.link_part(pos, t, ref, aid, rules, last, say) for aid, rules in hits]
        rules = parts[0].rules if len(parts) == 1 else names.rules_of(*(p.rules for p in parts))
        if rules and names.inferred(rules) and all(p.linked or p.status == EXTERNAL for p in parts):
            matched = " and ".join(f"'{p.artifact.name}'" for p in parts)
            say(INFO, f"input '{shown}' matched as {matched} ({names.how(rules)})",
                "if that is right, list each artifact as an input of its own" if len(parts) > 1 else
                "if that is right, add the name as an alias in artifacts.yaml")
        if all(p.linked for p in parts):
            self.counts["linked"] += 1
            label = names.label(rules)
            self.by_rule[label] = self.by_rule.get(label, 0) + 1
        elif parts[0].status == EXTERNAL:
            self.counts["external"] += 1
        else:
            self.counts["unresolved"] += 1
        return replace(parts[0], also=tuple(parts[1:])) if len(parts) > 1 else parts[0]

    def link_part(self, pos: int, t: KeyTask, ref: ArtifactRef, aid: int, rules: tuple, last: dict, say) -> InputLink:
        """Link an input to one artifact it names, and say what is doubtful about it."""
        shown = names.plain(ref.name)
        a = self.arts[aid]
        self._consumed(a, pos)
        if not a.producers:
            if a.entry and a.entry.external:
                return InputLink(ref, EXTERNAL, a, rules=rules)
            say(WARNING, f"input '{shown}' is the registry artifact '{a.name}', which no key task outputs",
                "add it to the outputs of the task that produces it, or list it under 'external:'")
            return InputLink(ref, UNPRODUCED, a, rules=rules)
        prods = a.producers
        if aid in last:
            producer, status = last[aid], EARLIER
        else:  # every producer is this task or a later one: the first that creates it, not one that updates it
            producer = next((p for p in prods if (aid, p) not in self.b.updating), None)
            if producer is None:
                first = self.tasks[prods[0]]
                said = next(r.name for r, *_x, o in self.b.kept(prods[0]) if o == aid)
                say(WARNING, f"input '{shown}' is output by no earlier key task, and {first.id} only updates it "
                    f"('{names.plain(said)}')",
                    "name the output it comes from as an alias in artifacts.yaml, or declare it under 'external:'")
                return InputLink(ref, UPDATE_ONLY, a, first, rules=rules)
            if producer == pos:
                status = SELF
                say(INFO, f"input '{shown}' is output by no earlier key task; this task creates it",
                    "check the order of the tasks, or drop it from the inputs")
            else:
                status = LATER
                say(INFO, f"input '{shown}' is output only by later key tasks, first by {self.tasks[producer].id}",
                    "check the order of the tasks")
        self._used((aid, producer), pos)
        if producer != pos:
            self._carried((producer, pos), a)
        window, more = listed_beside(prods, producer, pos)
        return InputLink(ref, status, a, self.tasks[producer], tuple(map(self.tasks.__getitem__, window)), more, rules)

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
            rules = self.b.relation(ref.name, aid, pos)
            if rules and names.inferred(rules):
                label = names.label(rules)
                self.joined[label] = self.joined.get(label, 0) + 1
                self.diags.info(t.path, ref.line, fname,
                                f"output '{names.plain(ref.name)}' matched as '{a.name}' ({names.how(rules)})",
                                "if they are different artifacts, declare each in artifacts.yaml")
            outputs.append(OutputLink(ref, a, self.tasks[prods[0]], prods[0] == pos,
                                      tuple(map(self.tasks.__getitem__, later)), more_updates,
                                      tuple(map(self.tasks.__getitem__, used[:MAX_USES])), max(0, len(used) - MAX_USES),
                                      from_activity, rules))
            if not later and (not a.consumers or a.consumers[-1] <= pos):
                self.diags.info(t.path, ref.line, fname, f"output '{names.plain(ref.name)}' is used by no later "
                                "key task", self.unmatched_hint(ref.name))
        upstream: dict[int, list] = {}
        for x in self.inputs[pos]:
            for link in x.parts:
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
        for i, e in enumerate(reg.entries):
            a = self.arts[i]  # a registry entry is never merged into another artifact
            if e.external and a.producers:
                self.diags.warning(reg.path, e.line, e.field, f"'{e.name}' is declared external, but "
                                   f"{self.tasks[a.producers[0]].id} outputs it", "move it from 'external:' to 'artifacts:'")
            elif not a.producers and not a.consumers:
                if used_names is None:
                    used_names = [n for a in self.arts.values() if a.entry is None for n in a.names]
                    used_names += list(self.unmatched.values())
                self.diags.warning(reg.path, e.line, e.field, f"'{e.name}' is used by no key task",
                                   names.suggest(e.name, used_names) or "remove it, or use the name in a key task")


def _by_rule(counts: dict[str, int]) -> tuple:
    """(label, count) pairs in the order of the rules (:data:`playbook.link.names.RULES`), then by label."""
    order = {r: i for i, r in enumerate(names.RULES)}
    return tuple(sorted(counts.items(), key=lambda kv: ([order[r] for r in kv[0].split("+")], kv[0])))


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
