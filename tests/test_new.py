"""`playbook new`: skeleton files that pass `playbook check`, never overwriting."""
from __future__ import annotations

from click.testing import CliRunner

from playbook import cli

from conftest import task


def run(*args):
    return CliRunner().invoke(cli.main, [str(a) for a in args])


def test_new_task_takes_next_number_and_passes_check(site):
    site.add("phase1/1.1.md", task(1, 1))
    site.add("phase1/1.2.md", task(1, 2))
    res = run("new", "task", site.content, "--phase", 1, "--name", "Map the data",
              "--workstream", "technology", "--party", "QSMO")
    assert res.exit_code == 0, res.output
    made = site.content / "phase1" / "1.3.md"
    assert res.output == f"wrote {made}\n"
    text = made.read_text()
    assert "keyTask: 3\n" in text and "name: Map the data\n" in text and "responsibleParty: qsmo\n" in text
    assert site.messages() == []
    checked = run("check", site.content)
    assert checked.exit_code == 0, checked.output


def test_new_task_in_empty_phase_starts_at_one(site):
    res = run("new", "task", site.content, "--phase", 1, "--name", "First", "--workstream", "process",
              "--party", "shared")
    assert res.exit_code == 0, res.output
    assert (site.content / "phase1" / "1.1.md").exists()
    assert site.messages() == []


def test_new_task_refuses_to_overwrite(site):
    p = site.add("phase1/1.4.md", task(1, 4))
    before = p.read_text()
    res = run("new", "task", site.content, "--phase", 1, "--number", 4, "--name", "X",
              "--workstream", "process", "--party", "customer")
    assert res.exit_code == 2
    assert res.output == f"error: {p} already exists; it was left as it is\n"
    assert p.read_text() == before


def test_new_task_bad_party_and_workstream(site):
    res = run("new", "task", site.content, "--phase", 1, "--name", "X", "--workstream", "process",
              "--party", "qsm0")
    assert res.exit_code == 2
    assert res.output == "error: unknown party 'qsm0'; did you mean 'qsmo'?\n"
    res = run("new", "task", site.content, "--phase", 1, "--name", "X", "--workstream", "tecnology",
              "--party", "qsmo")
    assert res.output == "error: unknown workstream 'tecnology'; did you mean 'technology'?\n"
    assert not list((site.content / "phase1").glob("1.*.md"))


def test_new_phase_next_number_and_refusal(site):
    res = run("new", "phase", site.content, "--name", "Engagement")
    assert res.exit_code == 0, res.output
    assert (site.content / "phase2" / "_index.md").exists()
    run("new", "task", site.content, "--phase", 2, "--name", "Kick off", "--workstream", "programManagement",
        "--party", "provider")
    assert site.messages() == []
    again = run("new", "phase", site.content, "--name", "Other", "--number", 2)
    assert again.exit_code == 2
    assert again.output.endswith("already exists; it was left as it is\n")
