"""Entries for artifacts.yaml that would link or settle every input left unlinked (``playbook artifacts suggest``).

Each input that no rule linked gets one proposal, grouped by name: an alias of
the artifact it most likely names, or an external declaration. An alias is
proposed when the input's words, in order, are in one of the artifact's names
(:func:`playbook.link.names.words_in_order`: "Workforce Strategy" in "Workforce
Design Strategy"), an artifact output before the input's task first, or when
the names are alike (:func:`playbook.link.names.similarity`, for typing slips);
a name that fits several artifacts equally takes the closest. Anything else,
and every name for a document from before the migration ("Existing ..."), is
proposed as external. Comparing the few unlinked names with every artifact's
names is pairwise, which linking itself never is.

The fragment is YAML in the registry's format (:data:`playbook.model.schema.REGISTRY`),
each entry with a comment giving the file:line of the inputs it settles and the
rule or similarity that proposed it, for QSMO to review before merging it.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from playbook.link import names
from playbook.link.artifacts import AMBIGUOUS, UNRESOLVED, UPDATE_ONLY, Artifact

SIMILAR = 85.0
"""Names at least this alike (rapidfuzz ratio of their keys) may be the same."""
MAX_PLACES = 5
"""Places listed in an entry's comment before 'and N more'."""

_HREF = re.compile(r"""href\s*=\s*["'](https?://[^"']+)["']""", re.I)
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ,.()/&'+-]*")


@dataclass
class Proposal:
    """One name left unlinked, and what would settle it."""

    name: str
    """The input's name as plain text, as first written."""
    places: list = field(default_factory=list)
    """'path:line' of every input of that name."""
    artifact: Artifact | None = None
    """The artifact to add the name to as an alias; None for an external declaration or none."""
    external: bool = False
    """True to declare the name external."""
    why: str = ""
    """The rule or similarity that proposed it."""
    url: str = ""
    """For an external: the address the input links to, if any."""


def proposals(site) -> list[Proposal]:
    """A proposal per name of the inputs of ``site`` (a linked :class:`~playbook.link.site.Site`) left unlinked."""
    index = site.artifacts
    known = [a for a in index.artifacts if a.producers or a.external]
    got: dict[str, Proposal] = {}
    for pos, t in enumerate(index.tasks):
        for x in index.task_links(t).inputs:
            if x.status not in (UNRESOLVED, AMBIGUOUS, UPDATE_ONLY):
                continue
            k = names.key(x.ref.name)
            p = got.get(k)
            if p is None:
                p = got[k] = _propose(x, pos, t, known, index.tasks)
            p.places.append(f"{t.path}:{x.ref.line}")
    return list(got.values())


def _propose(x, pos: int, t, known: list[Artifact], tasks: tuple) -> Proposal:
    """What would settle input ``x`` of the task ``t`` at ``pos`` (``tasks``: every task, by position)."""
    name = names.plain(x.ref.name)
    href = _HREF.search(x.ref.name)
    url = href.group(1) if href else (x.ref.url if x.ref.url.startswith(("http://", "https://")) else "")
    if names.preexisting(name):
        return Proposal(name, external=True, url=url, why="it names a document from before the migration")
    if x.status == AMBIGUOUS:
        best = max(x.candidates, key=lambda a: (_likeness(name, a)[0], -_rank(a, pos)[0], -_rank(a, pos)[1]))
        others = " and ".join(f"'{a.name}'" for a in x.candidates if a is not best)
        score, said = _likeness(name, best)
        return Proposal(name, artifact=best, why=f"it fits {others} as well; '{said}' is the closest name "
                                                 f"(similarity {score:.0f})")
    skip = x.artifact if x.status == UPDATE_ONLY else None
    fits = [(a, n) for a in known if a is not skip for n in _names(a) if names.words_in_order(name, n)]
    if fits:
        a, n = min(fits, key=lambda an: _rank(an[0], pos))
        more = len({id(b) for b, _n in fits}) - 1
        also = f"; {more} other artifact{'s' * (more != 1)} also fit{'s' * (more == 1)}" if more else ""
        return Proposal(name, artifact=a, why=f"its words, in order, are in '{n}' ({_where(a, pos, tasks)}){also}")
    scored = [(names.similarity(name, n), a, n) for a in known if a is not skip for n in _names(a)]
    best = max(scored, key=lambda s: s[0], default=None)
    if best and best[0] >= SIMILAR:
        score, a, n = best
        return Proposal(name, artifact=a, why=f"a similar name: '{n}' (similarity {score:.0f}), {_where(a, pos, tasks)}")
    if x.status == UPDATE_ONLY:
        return Proposal(name, why=f"{x.producer.id} only updates it later, and no artifact output before {t.id} "
                                  "has a name like it: add the output that creates it, or alias the one it is")
    return Proposal(name, external=True, url=url,
                    why="no artifact has a name like it; if a key task makes it, add it to that task's outputs instead")


def _names(a: Artifact) -> list[str]:
    return list(dict.fromkeys((a.name, *a.names)))


def _likeness(name: str, a: Artifact) -> tuple[float, str]:
    """(similarity, the name of ``a`` most like ``name``)."""
    return max((names.similarity(name, n), n) for n in _names(a))


def _rank(a: Artifact, pos: int) -> tuple[int, int]:
    """Artifacts output nearest before ``pos`` first, then external ones, then those output only later."""
    before = [p for p in a.producers if p < pos]
    if before:
        return 0, pos - before[-1]
    if not a.producers:
        return 1, 0
    return 2, a.producers[0]


def _where(a: Artifact, pos: int, tasks: tuple) -> str:
    """'output by 2.5' (the nearest before), 'declared external' or 'output later, first by 3.1'."""
    if a.external:
        return "declared external"
    before = [p for p in a.producers if p < pos]
    return f"output by {tasks[before[-1]].id}" if before else f"output later, first by {tasks[a.producers[0]].id}"


def fragment(site, props: list[Proposal], registry_file: str = "artifacts.yaml") -> str:
    """The proposals as an artifacts.yaml fragment (YAML, commented), '' when there are none."""
    if not props:
        return ""
    index = site.artifacts
    aliases: dict[int, list[Proposal]] = {}
    for p in props:
        if p.artifact is not None:
            aliases.setdefault(p.artifact.id, []).append(p)
    by_id = {a.id: a for a in index.artifacts}
    n = sum(len(p.places) for p in props)
    out = [f"# Suggested by `playbook artifacts suggest` for {n} input{'s' * (n != 1)} that no key task's output",
           f"# answers. Review each entry, then merge it into {registry_file}."]
    if aliases:
        out.append("artifacts:")
        for aid, group in aliases.items():
            a = by_id[aid]
            if a.entry is not None:
                out.append(f"  # add to the aliases of '{a.entry.name}' ({registry_file}:{a.entry.line})")
            for p in group:
                out.append(f"  # {_places(p)} '{p.name}': {p.why}")
            out.append(f"  - name: {_scalar(a.entry.name if a.entry else a.name)}")
            out.append("    aliases:")
            out.extend(f"      - {_scalar(p.name)}" for p in group)
    external: dict[str, list[Proposal]] = {}
    for p in props:
        if p.external:  # names of one document with different qualifiers make one entry
            external.setdefault(names.loose_key(p.name) or names.key(p.name), []).append(p)
    if external:
        out.append("external:")
        for group in external.values():
            out.extend(f"  # {_places(p)} '{p.name}': {p.why}" for p in group)
            first = group[0]
            if len(group) == 1:
                out.append(f"  - name: {_scalar(first.name)}")
            else:
                out.append(f"  - name: {_scalar(names.without_qualifier(first.name))}")
                out.append("    aliases:")
                out.extend(f"      - {_scalar(p.name)}" for p in group)
            url = next((p.url for p in group if p.url), "")
            if url:
                out.append(f"    url: {_scalar(url)}")
    left = [p for p in props if p.artifact is None and not p.external]
    for p in left:
        out.append(f"# not settled here: {_places(p)} '{p.name}': {p.why}")
    return "\n".join(out) + "\n"


def _places(p: Proposal) -> str:
    shown = ", ".join(p.places[:MAX_PLACES])
    return shown + (f" and {len(p.places) - MAX_PLACES} more" if len(p.places) > MAX_PLACES else "")


def _scalar(text: str) -> str:
    """A YAML scalar: plain when that reads back the same, else double-quoted."""
    if _PLAIN.fullmatch(text) and not text.endswith(" ") and text.casefold() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}
