"""Inputs linked again by themselves (input_relink.py): after every edit, exactly what linking it all gives."""
from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import replace

import pytest

from playbook.link import artifacts
from playbook.link import site as link
from playbook.load import documents as load
from playbook.model import validate
from playbook.diagnostics import Diagnostics

from test_devbuild import _reachable_tasks, fill, subject

REGISTRY = ("artifacts:\n  - name: Review Notes\n    aliases: [Review Note]\n"
            "external:\n  - name: Strategic Goals\n")


def linked(content, path: str):
    """(site linked editable, the task at ``path`` and its file, what linking reported)."""
    docs = load.load_tree(content, Diagnostics())
    pb = validate.build_playbook(docs, Diagnostics())
    diags = Diagnostics()
    site = link.link(pb, diags, editable=True)
    doc = next(d for d in docs if d.path == path)
    return site, next(t for t in pb.tasks if t.path == path), doc, Counter(diags.items)


def _tasks(ts) -> tuple:
    return tuple(t.id for t in ts)


def summary(index: artifacts.ArtifactIndex) -> dict:
    """Everything in an index that a page, a file or a later edit can read, as plain values (copies).

    Artifact ids come from the outputs that start them (:func:`playbook.artifacts.output_id`), so the
    state kept for the next edit (the builder's artifacts and keys, the sweep's uses and records) is
    held here too, ids and all."""
    def inp(i):
        return (i.ref, i.status, i.artifact.slug if i.artifact else None, i.producer.id if i.producer else None,
                _tasks(i.others), i.more, i.loose)

    def out(o):
        return (o.ref, o.artifact.slug, o.created_by.id, o.created_here, _tasks(o.updates), o.more_updates,
                _tasks(o.used_by), o.more_uses, o.from_activity)

    def nb(n):
        return n.task.id, n.artifacts, n.out_of_order

    lk, b = index.linker, index.linker.b
    met = {r.name for t in index.tasks for r in t.inputs}
    return {
        "links": {tid: ([inp(i) for i in x.inputs], [out(o) for o in x.outputs], [nb(n) for n in x.upstream],
                        [nb(n) for n in x.downstream], x.more_downstream) for tid, x in index.links.items()},
        "artifacts": [(a.id, a.slug, a.name, tuple(a.names), tuple(a.producers), tuple(a.consumers), a.template,
                       a.external) for a in index.artifacts],
        "edges": [(k, [a.slug for a in v]) for k, v in index.edges.items()],
        "stats": index.stats, "keys": {k: a.slug for k, a in index.keys.items()},
        "referrers": dict(index.referrers()), "tasks": _tasks(index.tasks),
        "unmatched": list(lk.unmatched.items()), "unmatched seen": {k: tuple(v) for k, v in lk.unmatched_seen.items()},
        "ambiguous": {k: tuple(v) for k, v in lk.ambiguous_at.items()},
        "said": ({p: Counter(ds) for p, ds in lk.in_said.items()},
                 {p: Counter(ds) for p, ds in lk.out_said.items()}, Counter(lk.reg_said)),
        "uses": {k: tuple(v) for k, v in lk.uses.items()}, "counts": dict(lk.counts),
        "resolved": {n: lk.cache.get(n) for n in sorted(met)}, "artifact names": lk.artifact_names(),
        "built": ([(a.id, a.name, tuple(a.names), tuple(a.producers), a.template, a.entry, b.find(a.id))
                   for a in b.arts.values()], dict(b.by_key), dict(b.keys),
                  {k: sorted(v) for k, v in b.loose.items()}, [tuple(x) for x in b.outputs], set(b.clashes)),
    }


def hints(index: artifacts.ArtifactIndex, fresh: artifacts.ArtifactIndex) -> dict:
    """The hints a fresh link worked out, as the sweep kept for the next edit has them."""
    return {k: index.linker.suggestions.get(k) for k in fresh.linker.suggestions}


def held_artifacts(index: artifacts.ArtifactIndex) -> list:
    """Every artifact object the cross-links, keys and edges hold."""
    found = [*index.keys.values(), *(a for v in index.edges.values() for a in v)]
    for x in index.links.values():
        found += [i.artifact for i in x.inputs if i.artifact is not None] + [o.artifact for o in x.outputs]
    return found


def step(content, rel: str, state: tuple, data: str) -> tuple:
    """Save ``data`` as the task at ``rel``; check the swapped site against a fresh link; the new state."""
    site, diags = state
    path = (content / rel).as_posix()
    (content / rel).write_text(data, encoding="utf-8")
    fresh, edited, doc, want = linked(content, path)
    was = summary(site.artifacts)
    swap = link.replace_tasks(site, [edited], {path: doc})
    assert swap is not None and swap.relinked
    assert summary(site.artifacts) == was  # the old site stays whole, for when the edit fails the build
    got = swap.site.artifacts
    assert summary(got) == summary(fresh.artifacts)
    assert hints(got, fresh.artifacts) == fresh.artifacts.linker.suggestions
    # no copy left behind: the cross-links hold the index's own artifacts and the playbook's own tasks
    listed = {id(a) for a in got.artifacts}
    assert all(id(a) in listed for a in held_artifacts(got))
    canonical = {t.id: t for t in swap.site.playbook.tasks}
    held = list(got.tasks)
    for x in got.links.values():
        _reachable_tasks(x, held)
    assert all(t is canonical[t.id] for t in held)
    # what linking said: dropped where it was, the rest moved with the lines, the new added
    moved = swap.lines.get(path, {})
    now = diags.copy()
    now.subtract(swap.dropped)
    now = Counter({replace(d, line=moved.get(d.line, d.line)) if d.path == path else d: n for d, n in now.items()})
    now.update(swap.added)
    assert +now == want
    return swap.site, want


def dump(data: dict) -> str:
    from conftest import front_matter
    return front_matter(data)


INPUT_EDITS = [
    ("an input made earlier", {"inputs": ["Plan", "Report", "Mystery file", "Business Case"]}),
    ("an input made later", {"inputs": ["Budget", "Plan", "Report", "Mystery file", "Business Case"]}),
    ("an external input instead", {"inputs": ["Strategic Goals", "Report", "Mystery file"]}),
    ("a new unmatched name, twice", {"inputs": ["Plan", "Mystery file", "Another mystery", "Another mystery"]}),
    ("a registry artifact no task outputs", {"inputs": ["Plan", "Review Notes", "Report"]}),
    ("taken loosely", {"inputs": ["Plan (draft)", "Report"]}),
    ("no inputs", {"inputs": []}),
    ("lines moved too", {"activities": [{"text": "Gather the facts", "responsibleParty": "customer"},
                                        {"text": "Write it up", "responsibleParty": "provider", "output": "Report"},
                                        {"text": "Send it", "responsibleParty": "customer"}],
                         "inputs": ["Plan", "Business Case"]}),
    ("renamed too", {"name": "Write the final report", "inputs": ["Plan", "Report", "Budget"]}),
    ("as it was", {}),
]


def test_each_input_edit_in_turn_gives_what_linking_gives(site):
    fill(site)
    site.add("artifacts.yaml", REGISTRY)
    site.add("phase2/2.2.md", subject(phase=2, keyTask=2, inputs=["Report", "Mystery file"], outputs=[]))
    first, _t, _d, diags = linked(site.content, (site.content / "phase1/1.3.md").as_posix())
    state = (first, diags)
    for _name, fields in INPUT_EDITS:
        state = step(site.content, "phase1/1.3.md", state, dump(subject(**fields)))


@pytest.mark.parametrize("name, fields", INPUT_EDITS, ids=[n for n, _ in INPUT_EDITS])
def test_input_edit_gives_what_linking_gives(site, name, fields):
    fill(site)
    site.add("artifacts.yaml", REGISTRY)
    first, _t, _d, diags = linked(site.content, (site.content / "phase1/1.3.md").as_posix())
    if not fields:
        fields = {"inputs": ["Plan"]}
    step(site.content, "phase1/1.3.md", (first, diags), dump(subject(**fields)))


def corpus_task(corpus, tmp_path) -> tuple:
    """(a copy of the corpus, the text of its 1.6, the state :func:`step` starts from)."""
    content = tmp_path / "content"
    shutil.copytree(corpus, content)
    target = content / "keyTask" / "1.6.md"
    first, _t, _d, diags = linked(content, target.as_posix())
    return content, target.read_text(encoding="utf-8"), (first, diags)


def test_corpus_input_edits_give_what_linking_gives(corpus, tmp_path):
    content, text, state = corpus_task(corpus, tmp_path)
    for added in ("  - Project Charter\n", "  - Project Business Case\n  - Vision Statement\n",
                  "  - Master Schedule\n", ""):
        state = step(content, "keyTask/1.6.md", state, text.replace("\ninputs:\n", "\ninputs:\n" + added, 1))


def test_an_index_built_for_a_build_is_not_kept_for_edits(site):
    fill(site)
    docs = load.load_tree(site.content, Diagnostics())
    pb = validate.build_playbook(docs, Diagnostics())
    old = link.link(pb, Diagnostics())
    assert old.artifacts.linker is None
    site.add("phase1/1.3.md", subject(inputs=["Plan"]))
    docs = load.load_tree(site.content, Diagnostics())
    edited = next(t for t in validate.build_playbook(docs, Diagnostics()).tasks if t.id == "1.3")
    assert link.replace_tasks(old, [edited], {d.path: d for d in docs}) is None
