"""The real M3 corpus, with no artifact registry: names alone must link at least 80% of the inputs,
and `playbook check` must report every input left unlinked with its file and line."""
from __future__ import annotations

from click.testing import CliRunner

from playbook import cli
from playbook.diagnostics import Diagnostics
from playbook.link.site import link
from playbook.load.documents import load_tree
from playbook.model.validate import build_playbook


def test_normalisation_alone_links_most_inputs_and_check_reports_the_rest(corpus):
    d = Diagnostics()
    playbook = build_playbook(load_tree(corpus, d), d)
    assert playbook.registry is None  # nothing written for this corpus
    index = link(playbook, d).artifacts
    stats = index.stats
    assert stats.total >= 90 and stats.external == 0
    assert stats.linked / stats.total >= 0.80, stats.line()

    unlinked = [(t, i, x) for t in playbook.tasks for i, x in enumerate(index.task_links(t).inputs) if not x.linked]
    assert len(unlinked) == stats.unresolved > 0
    out = CliRunner().invoke(cli.main, ["check", str(corpus)])
    lines = out.output.splitlines()
    for t, i, x in unlinked:
        prefix = f"{t.path}:{x.ref.line}: warning: inputs[{i}]: input '"
        assert any(line.startswith(prefix) for line in lines), prefix
    assert f"info: {stats.line()}" in lines
    assert stats.line().startswith(f"artifacts: {stats.linked} of {stats.total} input references linked (")


def test_corpus_links_the_names_the_issue_lists(corpus):
    """Pairs from the real playbook that exact matching misses."""
    d = Diagnostics()
    playbook = build_playbook(load_tree(corpus, d), d)
    index = link(playbook, d).artifacts
    raid = index.lookup("RAID Log")
    assert raid is index.lookup("Risks, Actions, Issues, and\u00a0Decisions\u00a0 (RAID) Log")
    assert [index.tasks[p].id for p in raid.producers] == ["1.4", "2.4"]
    ivv = index.lookup("Independent Verification & Validation (IV&V) Plan")
    assert ivv is index.lookup("Independent Verification & Validation (IV&V)  Plan")
    assert index.lookup("Status Reports/Dashboard") is index.lookup("Status Reports/Dashboards")
    migration = next(x for t in playbook.tasks if t.id == "1.11" for x in index.task_links(t).inputs
                     if x.ref.name == "Migration and O&M Training needs")
    assert migration.producer.id == "1.8"
