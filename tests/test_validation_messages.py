"""Exact diagnostics for each kind of bad key-task input (issue: core generator, point 4)."""
from conftest import phase, task
from playbook import pipeline
from playbook.diagnostics import Diagnostics


def test_missing_required_fields(site):
    site.add("phase1/1.1.md", task(1, 1, name=None, objective=None))
    assert site.messages() == [
        "phase1/1.1.md:1: name: required field 'name' is missing; add 'name:' (Task title)",
        "phase1/1.1.md:1: objective: required field 'objective' is missing; add 'objective:' (Why the task exists)",
    ]


def test_wrong_types(site):
    site.add("phase1/1.1.md", dict(task(1, 1, bestPractice={"a": 1}), keyTask="two"))
    assert site.messages() == [
        "phase1/1.1.md:3: keyTask: expected a whole number, found text 'two'",
        "phase1/1.1.md:16: bestPractice: expected text, found a mapping",
    ]


def test_unknown_party_with_did_you_mean(site):
    site.add("phase1/1.1.md", task(1, 1, activities=[
        {"text": "a", "responsibleParty": "customer"},
        {"text": "b", "responsibleParty": ["customer", "qsm0"]},
        {"text": "c", "responsibleParty": "vendor"},
    ]))
    assert site.messages() == [
        "phase1/1.1.md:14: activities[1].responsibleParty[1]: unknown party 'qsm0'; did you mean 'qsmo'?",
        "phase1/1.1.md:16: activities[2].responsibleParty: unknown party 'vendor'; "
        "expected one of: customer, provider, qsmo, shared",
    ]


def test_unknown_workstream_with_did_you_mean(site):
    site.add("phase1/1.1.md", task(1, 1, category="tech"))
    assert site.messages() == ["phase1/1.1.md:7: category: unknown workstream 'tech'; did you mean 'technology'?"]


def test_organization_is_the_workforce_workstream(site):
    site.add("phase1/1.1.md", task(1, 1, category="organization"))
    assert site.messages() == []


def test_duplicate_task_id(site):
    site.add("phase1/1.1.md", task(1, 1))
    site.add("phase1/copy.md", task(1, 1))
    assert site.messages() == [
        "phase1/copy.md:3: keyTask: duplicate key task 1.1 (also in phase1/1.1.md:3); give each task its own number",
    ]


def test_duplicate_number_is_reported_on_the_file_just_edited(site):
    for n in (1, 2, 3):
        site.add(f"phase1/1.{n}.md", task(1, n))
    site.add("phase1/1.2.md", task(1, 3))  # 1.2 edited to say 3: 1.3.md is untouched, and 1.2 is now missing
    assert site.messages() == [
        "phase1/1.2.md:3: keyTask: duplicate key task 1.3 (also in phase1/1.3.md:3); "
        "the file name says 1.2: did you mean keyTask: 2?",
    ]
    site.add("phase1/1.2.md", task(1, 1))  # an earlier number: still the edited file
    assert site.messages() == [
        "phase1/1.2.md:3: keyTask: duplicate key task 1.1 (also in phase1/1.1.md:3); "
        "the file name says 1.2: did you mean keyTask: 2?",
    ]


def test_duplicate_number_in_the_jekyll_layout_and_across_phases(empty_site):
    site = empty_site
    for ph in (0, 1):
        site.add(f"phase/{ph}.md", dict(phase(ph), layout="m3/phase"))
    for ph, n in ((0, 1), (0, 2), (1, 1), (1, 2), (1, 3)):
        site.add(f"keyTask/{ph}.{n}.md", dict(task(ph, n), layout="m3/keyTask"))
    site.add("keyTask/1.3.md", dict(task(0, 2), layout="m3/keyTask"))  # 1.3 given 0.2's numbers
    assert site.messages() == [
        "keyTask/1.3.md:3: keyTask: duplicate key task 0.2 (also in keyTask/0.2.md:3); "
        "the file name says 1.3: did you mean phase: 1 and keyTask: 3?",
    ]


def test_a_gap_the_edited_duplicate_did_not_leave_is_still_reported(site):
    for n in (1, 2, 4):
        site.add(f"phase1/1.{n}.md", task(1, n))
    site.add("phase1/1.4.md", task(1, 2))  # 1.3 was missing before the edit too
    assert site.messages() == [
        "phase1/1.4.md:3: keyTask: duplicate key task 1.2 (also in phase1/1.2.md:3); "
        "the file name says 1.4: did you mean keyTask: 4?",
        "phase1/1.4.md:3: warning: keyTask: phase 1 has no key task 1.3; numbers jump to 1.4; "
        "renumber or add the missing task",
    ]


def test_duplicate_permalink(site):
    site.add("phase1/1.1.md", task(1, 1, permalink="/start/"))
    site.add("phase1/1.2.md", task(1, 2, permalink="/start"))
    assert site.messages() == [
        "phase1/1.2.md:18: permalink: duplicate permalink '/start/' (also used by phase1/1.1.md); "
        "give each page its own permalink",
    ]


def test_unknown_field_is_a_warning(site):
    site.add("phase1/1.1.md", task(1, 1, objectiv="typo"))
    assert site.messages() == ["phase1/1.1.md:18: warning: objectiv: unknown field; did you mean 'objective'?"]
    assert site.check().ok() and not site.check().ok(strict=True)


def test_unknown_field_is_kept_on_the_page(site):
    site.add("phase1/1.1.md", task(1, 1, owner="Office of Shared Services"))
    assert site.build().ok()
    assert "Office of Shared Services" in site.page("/1.1/")


def test_malformed_yaml_gives_line_and_column(site):
    site.add("phase1/1.1.md", "---\nphase: 1\nkeyTask: 1\nname: Plan: the work\nobjective: x\n---\n")
    assert site.messages() == [
        "phase1/1.1.md:4: invalid YAML: mapping values are not allowed in this context (column 11); "
        "check indentation, colons and quotes around this line",
    ]


def test_unclosed_bracket_is_reported_where_it_opens_and_where_libyaml_noticed(site):
    site.add("phase1/1.1.md", "---\nphase: 1\nkeyTask: 1\nname: [unclosed\nobjective: x\n---\n")
    site.add("phase1/1.2.md", "---\nphase: 1\nkeyTask: 2\ninputs: {a: 1\n\nobjective: x\n---\n")
    site.add("phase1/1.3.md", "---\nphase: 1\nkeyTask: 3\noutputs: [a, [b], c\n---\n")  # the first '[' is open
    site.add("phase1/1.4.md", "---\nphase: 1\nkeyTask: 4\nname: x\nbestPractice: [\n---\n")
    assert site.messages() == [
        "phase1/1.1.md:4: invalid YAML: '[' at column 7 is never closed (libyaml noticed at line 5, column 10: "
        "did not find expected ',' or ']'); end the list with ']', or put text that starts with '[' in quotes",
        "phase1/1.2.md:4: invalid YAML: '{' at column 9 is never closed (libyaml noticed at line 6, column 10: "
        "did not find expected ',' or '}'); end the mapping with '}', or put text that starts with '{' in quotes",
        "phase1/1.3.md:4: invalid YAML: '[' at column 10 is never closed (libyaml noticed at line 5, column 1: "
        "did not find expected ',' or ']'); end the list with ']', or put text that starts with '[' in quotes",
        "phase1/1.4.md:5: invalid YAML: '[' at column 15 is never closed (libyaml noticed at line 6, column 1: "
        "did not find expected node content); end the list with ']', or put text that starts with '[' in quotes",
    ]


def test_unclosed_quote_is_reported_where_it_opens_and_where_libyaml_noticed(site):
    site.add("phase1/1.1.md", '---\nphase: 1\nkeyTask: 1\nname: "Plan the work\nobjective: x\ncategory: process\n---\n')
    site.add("phase1/1.2.md", "---\nphase: 1\nkeyTask: 2\nbestPractice:\n  - 'Start early\n  - Keep going\n---\n")
    assert site.messages() == [
        "phase1/1.1.md:4: invalid YAML: '\"' at column 7 is never closed (libyaml noticed at line 7, column 1: "
        "found unexpected end of stream); end the text with '\"', or write a '\"' inside it as '\\\"'",
        "phase1/1.2.md:5: invalid YAML: \"'\" at column 5 is never closed (libyaml noticed at line 7, column 1: "
        "found unexpected end of stream); end the text with \"'\", or write a \"'\" inside it as \"''\"",
    ]


def test_brackets_and_quotes_closed_on_later_lines_are_read(site):
    site.add("phase1/1.1.md", task(1, 1))
    text = site.content.joinpath("phase1/1.1.md").read_text()
    site.add("phase1/1.1.md", text.replace("inputs: []", 'inputs: [\n  "Project\n  Charter", {text: Plan,\n'
                                                      '    url: "https://agency.gov/"}\n  ]'))
    assert [m for m in site.messages() if ": warning: " not in m and ": info: " not in m] == []
    read, _urls = pipeline.read_site(site.options(), Diagnostics())
    assert [r.name for r in read.playbook.tasks[0].inputs] == ["Project Charter", "Plan"]


def test_tabs_in_yaml(site):
    site.add("phase1/1.1.md", "---\nphase: 1\nkeyTask: 1\nname: x\n\tobjective: y\n---\n")
    assert site.messages() == [
        "phase1/1.1.md:5: invalid YAML: found a tab character that violates indentation (column 1); "
        "indent with spaces, not tabs",
    ]


def test_gap_in_numbering_is_a_warning(site):
    site.add("phase1/1.1.md", task(1, 1))
    site.add("phase1/1.4.md", task(1, 4))
    assert site.messages() == [
        "phase1/1.4.md:3: warning: keyTask: phase 1 has no key task 1.2 to 1.3; numbers jump to 1.4; "
        "renumber or add the missing task",
    ]


def test_placeholder_links_are_warnings(site):
    site.add("phase1/1.1.md", task(1, 1, activities=[
        {"text": "Fill the <a href='https://www.example.com/x'>form</a>", "responsibleParty": "customer",
         "template": "www.example.com"}]))
    assert site.messages() == [
        "phase1/1.1.md:9: warning: activities[0].text: placeholder link 'https://www.example.com/x'; "
        "replace it with the real address, or remove it",
        "phase1/1.1.md:11: warning: activities[0].template: placeholder link 'www.example.com'; "
        "replace it with the real address, or remove it",
    ]


def test_every_problem_is_reported_in_one_run(site):
    site.add("phase1/1.1.md", task(1, 1, category="tech", responsibleParty="vendor"))
    site.add("phase1/1.2.md", "---\nphase: [\n---\n")
    site.add("phase1/1.3.md", task(1, 3, name=None))
    errors = [m for m in site.messages() if ": warning: " not in m]
    assert [m.split(": ")[0] + ": " + m.split(": ")[1] for m in errors] == [
        "phase1/1.1.md:6: responsibleParty", "phase1/1.1.md:7: category",
        "phase1/1.2.md:2: invalid YAML", "phase1/1.3.md:1: name"]


def test_phase_file_problems(site):
    site.add("phase2/_index.md", phase(2, activities={"tech": [{"name": "A"}]}, tollageInfo=[{"name": "T"}]))
    assert site.messages() == [
        "phase2/_index.md:6: activities.tech: unknown workstream 'tech'; did you mean 'technology'?",
    ]


def test_diagnostics_sorted_by_file_then_line(site):
    site.add("phase1/1.2.md", task(1, 2, category="x"))
    site.add("phase1/1.1.md", task(1, 1, responsibleParty="x"))
    msgs = site.messages()
    assert [m.split(":")[0] for m in msgs] == sorted(m.split(":")[0] for m in msgs)
