"""`playbook artifacts suggest`: the artifacts.yaml fragment that links or settles every input left unlinked."""
from __future__ import annotations

import shutil

import yaml
from click.testing import CliRunner

from playbook import cli
from playbook.link.names import plain

from conftest import linked, task
from test_corpus_names import score


def _suggest(content, *more) -> tuple[str, str, int]:
    """(fragment, what the command said on stderr, exit code)."""
    got = CliRunner().invoke(cli.main, ["artifacts", "suggest", str(content), *more])
    return got.stdout, got.stderr, got.exit_code


def test_once_accepted_no_input_of_the_corpus_is_left_unlinked_or_unsettled(corpus, tmp_path):
    fragment, said, code = _suggest(corpus)
    assert code == 0 and said == "suggested 2 aliases and 15 external names for 17 unlinked inputs\n"
    data = yaml.safe_load(fragment)
    assert [e["name"] for e in data["artifacts"]] == ["In-scope Service Area(s) and Function(s)",
                                                      "Workforce Design Strategy"]
    content = tmp_path / "m3"
    shutil.copytree(corpus, content)
    (content / "artifacts.yaml").write_text(fragment, encoding="utf-8")
    site, d = linked(content)
    assert site.playbook.registry is not None
    stats = site.artifacts.stats
    assert stats.line() == "artifacts: 84 of 99 input references linked (84%): 15 declared external"
    assert [m.format() for m in d.items if "artifacts.yaml" in m.path] == []
    got = score(site)
    assert got["unsettled"] == [] and got["wrong"] == []
    # the two aliases link what the rules could not, to the right producers
    assert ("1.5", "Scope of Services", ["0.1"]) in got["right"]
    assert ("2.6", "Workforce Strategy", ["2.5"]) in got["right"]
    assert ("2.7", "Data Quality Assessment Results", "external") in got["missed"]  # a person adds 1.10's output
    assert _suggest(content) == ("", "suggested 0 aliases and 0 external names for 0 unlinked inputs\n", 0)


def test_each_entry_says_where_its_inputs_are_and_what_proposed_it(corpus):
    fragment, _said, _code = _suggest(corpus)
    lines = fragment.splitlines()
    assert lines[:2] == ["# Suggested by `playbook artifacts suggest` for 17 inputs that no key task's output",
                         f"# answers. Review each entry, then merge it into {corpus}/artifacts.yaml."]
    assert f"  # {corpus}/keyTask/2.6.md:27 'Workforce Strategy': its words, in order, are in 'Workforce Design " \
           "Strategy' (output by 2.5)" in lines
    assert f"  # {corpus}/keyTask/1.9.md:47 'Existing Enterprise Architecture Documents & System Specifications': " \
           "it names a document from before the migration" in lines
    assert f"  # {corpus}/keyTask/1.7.md:32 'Position Descriptions': no artifact has a name like it; if a key task " \
           "makes it, add it to that task's outputs instead" in lines
    i = lines.index("  - name: Government-wide Standards")
    assert lines[i + 1:i + 6] == [
        "    aliases:", "      - Government-wide Standards defined through the FIBF website",
        "      - Government-wide Standards defined through the Federal Integrated Business Framework (FIBF) website",
        "      - Government-wide Standards Defined through FIBF", '    url: "https://www.ussm.gov/fibf/"']


def test_typos_ambiguous_names_and_an_existing_registry(site, tmp_path):
    site.add("artifacts.yaml", "artifacts:\n  - name: Risk Register\n    aliases: [Risk Log]\n")
    site.add("phase1/1.1.md", task(1, 1, outputs=["Project Business Case", "Status Reports/Dashboards",
                                                   "Status Reports/Metrics", "Risk Register"]))
    site.add("phase1/1.2.md", task(1, 2, inputs=["Projct Busines Case", "Status Report", "Register of Risks",
                                                 "Risk Registr", "Status Report"]))
    out = tmp_path / "suggested.yaml"
    fragment, said, code = _suggest(site.content, "-o", str(out))
    assert fragment == "" and code == 0
    assert said == f"suggested 3 aliases and 1 external name for 5 unlinked inputs, written to {out}\n"
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[2:] == [
        "artifacts:",
        f"  # {site.content}/phase1/1.2.md:12 'Projct Busines Case': a similar name: 'Project Business Case' "
        "(similarity 92), output by 1.1",
        "  - name: Project Business Case",
        "    aliases:",
        "      - Projct Busines Case",
        f"  # {site.content}/phase1/1.2.md:13, {site.content}/phase1/1.2.md:16 'Status Report': it fits "
        "'Status Reports/Dashboards' as well; 'Status Reports/Metrics' is the closest name (similarity 79)",
        "  - name: Status Reports/Metrics",
        "    aliases:",
        "      - Status Report",
        f"  # add to the aliases of 'Risk Register' ({site.content}/artifacts.yaml:2)",
        f"  # {site.content}/phase1/1.2.md:15 'Risk Registr': a similar name: 'Risk Register' (similarity 96), "
        "output by 1.1",
        "  - name: Risk Register",
        "    aliases:",
        "      - Risk Registr",
        "external:",
        f"  # {site.content}/phase1/1.2.md:14 'Register of Risks': no artifact has a name like it; if a key task "
        "makes it, add it to that task's outputs instead",
        "  - name: Register of Risks",
    ]


def test_an_input_only_updated_later_with_nothing_like_it_before_needs_a_person(site):
    site.add("phase1/1.1.md", task(1, 1, inputs=["Scope Statement"]))
    site.add("phase1/1.2.md", task(1, 2, outputs=["Scope Statement updated in Needs Workbook"]))
    fragment, said, code = _suggest(site.content)
    assert code == 0 and said == "suggested 0 aliases and 0 external names for 1 unlinked input; 1 name needs a person\n"
    assert fragment.splitlines()[2:] == [
        f"# not settled here: {site.content}/phase1/1.1.md:12 'Scope Statement': 1.2 only updates it later, and no "
        "artifact output before 1.1 has a name like it: add the output that creates it, or alias the one it is"]


def test_names_that_need_quotes_read_back_as_written(site):
    odd = ["Yes", "Plan: Final #2", "\u201cQuoted\u201d Plan", "- Dash Plan"]
    site.add("phase1/1.1.md", task(1, 1, inputs=odd))
    fragment, _said, _code = _suggest(site.content)
    assert [e["name"] for e in yaml.safe_load(fragment)["external"]] == [plain(n) for n in odd]


def test_content_with_errors_is_reported_not_suggested(site):
    site.add("phase1/1.1.md", task(1, 1, name=None))
    fragment, said, code = _suggest(site.content)
    assert code == 1 and fragment == ""
    assert said.endswith("failed: 1 error, 0 warnings\n")
