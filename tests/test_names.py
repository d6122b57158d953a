"""The name rules one by one, with invented names: what each links, what none of them may link,
and how a link each made is labelled, said and counted."""
from __future__ import annotations

import doctest

import openpyxl
import pytest

from playbook.link import names

from conftest import linked, task, task_links


def test_the_examples_in_the_docstrings_hold():
    assert doctest.testmod(names).failed == 0


# --- forms: two names meet when they share a key, with the rules of both ---------------------------

def meet(a: str, b: str, namer: names.Namer | None = None) -> tuple | None:
    """The cheapest rules by which input ``a`` reaches output ``b``, or None."""
    namer = namer or names.Namer()
    theirs = dict(namer.forms(b)) | dict(namer.parts(b))
    got = [names.rules_of(r, theirs[k]) for k, r in namer.input_forms(a) if k in theirs]
    return min(got, key=names.cost) if got else None


@pytest.mark.parametrize("a, b, rules", [
    ("Roles/Responsibilities/Approvals Matrix", "Roles, Responsibilities, and Approvals Matrix", ("separators",)),
    ("Roles, Responsibilities and Approvals Matrix", "Roles/Responsibilities/Approvals Matrix", ("separators",)),
    ("Test and Evaluation Plan", "Evaluation and Test Plan", ("order",)),
    ("Test & Evaluation Plan", "Evaluation/Test Plan", ("order",)),
    ("Final Test Plan", "Test Plan", ("stage",)),
    ("Test Plan", "Initial Test Plan", ("stage",)),
    ("Draft Charter", "Approved Charter", ("stage",)),
    ("Cost Model from Provider", "Cost Model", ("qualifier",)),
    ("Scope Statement", "Scope Statement recorded in Needs Workbook", ("stage",)),
    ("Test Plan", "Test Plan (Draft)", ("stage",)),
    ("Test Results", "Test Results (UAT)", ("qualifier",)),
    ("Target State CONOPS", "Target State Concept of Operations (CONOPS)", ("acronym",)),
    ("Provider's Transition Plan", "Transition Plan", ("owner",)),
    ("Customer Transition Plan", "Transition Plan", ("owner",)),
    ("QSMO\u2019s Catalog Review", "Catalog Review", ("owner",)),
    ("Training Report", "Training Reports/Metrics", ("part",)),
    ("Training Metrics", "Training Reports/Metrics", ("part",)),
    ("Cutover Strategy", "Migration Plan / Cutover Strategy", ("part",)),
    ("Provider's Final Transition Plan", "Transition Plan", ("stage", "owner")),
])
def test_each_rule_matches_what_a_reader_matches(a, b, rules):
    assert meet(a, b) == rules


@pytest.mark.parametrize("a, b", [
    ("Existing Test Plan", "Test Plan"),                       # a document from before the migration
    ("Current Interface Inventory", "Interface Inventory"),
    ("Legacy Data Dictionary", "Data Dictionary"),
    ("Government-wide Hiring Standards", "Hiring Standards"),  # from outside: not an owner
    ("Agency Position Descriptions", "Position Descriptions"),
    ("Position Descriptions", "Position Description Updates"),
    ("Test Plan", "Test Evaluation Plan"),                     # a word more is another artifact
    ("Data Plan", "Data Migration Plan"),
    ("Transition Plan", "Provider's Transition Plan"),         # the owner is dropped from inputs only
    ("Test Plan", "Plan Test"),                                # order only moves words joined by "and"
    ("Training Report", "Training Reports and Metrics"),       # only a slash-joined output answers to its parts
])
def test_names_no_rule_matches(a, b):
    assert meet(a, b) is None


def test_an_abbreviation_defined_anywhere_is_known_everywhere_both_ways():
    namer = names.Namer(names.acronyms(["Data Migration Plan (DMP)", "Other Name"]))
    assert namer.defined == {"DMP": "Data Migration Plan"}
    assert meet("Final DMP", "Data Migration Plan", namer) == ("acronym", "stage")
    assert meet("Data Migration Plan", "DMP", namer) == ("acronym",)
    assert meet("DMPs", "Data Migration Plan", namer) == ("acronym",)
    assert meet("DMP Appendix", "Data Migration Plan Appendix", namer) == ("acronym",)
    # without the definition, only the name that spells it out meets the short form
    assert meet("DMP Appendix", "Data Migration Plan Appendix") is None
    assert meet("DMP", "Data Migration Plan (DMP)") == ("acronym",)


def test_glossary_abbreviations_count_and_two_meanings_cancel():
    terms = [("IMS", "Integrated Master Schedule"), ("ICAM", "Identity, Credentials, and Access Management Framework"),
             ("SSP", "Shared Services Providers"), ("IV&V", "Independent Verification and Validation")]
    got = names.acronyms(["System Security Plan (SSP)"], terms)
    assert got == {"IMS": "Integrated Master Schedule", "IV&V": "Independent Verification and Validation"}


@pytest.mark.parametrize("name, expected", [
    ("Charter and Governance Plan", [("Charter", "Governance Plan"), ("Charter Plan", "Governance Plan")]),
    ("Vision, Benefits & Timelines", [("Vision", "Benefits", "Timelines")]),
    ("Implementation Approach/Schedule", [("Implementation Approach", "Implementation Schedule")]),
    ("Existing Architecture Documents & System Specifications", []),
    ("Current Roles and Responsibilities", []),
    ("Vision Statement", []),
])
def test_readings_of_an_input_that_may_name_several_artifacts(name, expected):
    assert names.readings(name) == expected


@pytest.mark.parametrize("name, update", [
    ("Updated Charter", True), ("Final Test Plan", True), ("Scope updated in Needs Workbook", True),
    ("Charter (Final)", True), ("Initial Master Schedule", False), ("Draft Charter", False), ("Charter", False),
    ("Final", False),
])
def test_names_that_say_they_are_an_update(name, update):
    assert names.is_update(name) is update


def test_words_in_order_for_suggestions():
    assert names.words_in_order("Workforce Strategy", "Workforce Design Strategy")
    assert names.words_in_order("Scope of Services", "In-scope Service Area(s) and Function(s)")
    assert not names.words_in_order("Strategy Workforce", "Workforce Design Strategy")
    assert not names.words_in_order("Workforce Strategy", "Workforce Strategy")
    assert not names.words_in_order("Business Process Documentation", "As-Is Workforce Documentation")


def test_labels_costs_and_what_pages_say():
    assert names.label(()) == "name"
    assert names.label(("stage", "acronym")) == "acronym+stage"
    assert names.how(("stage", "acronym")) == "acronym, version word"
    assert names.how(("registry",)) == "" and not names.inferred(("registry",))
    assert names.cost(("owner",)) > names.cost(("stage",)) > names.cost(("acronym",)) > names.cost(())


def test_phase_listing_and_role_keys():
    by_key = {names.name_key(n): n for n in ("Conduct Market Research and Analysis", "Develop Acquisition Strategy")}
    assert names.listed_task("conduct market research &  analysis", by_key) == "Conduct Market Research and Analysis"
    assert names.listed_task("Conduct Market Research and", by_key) == "Conduct Market Research and Analysis"
    assert names.listed_task("Conduct", by_key) is None
    assert names.role_key("PMO Team, if on boarded") == names.role_key("PMO Team (optional)") == "pmo team"


# --- the rules in a playbook --------------------------------------------------------------------

def test_each_rule_links_an_input_and_says_so(site):
    site.add("phase1/1.1.md", task(1, 1, outputs=[
        "Data Migration Plan (DMP)", "Roles, Responsibilities, and Approvals Matrix", "Evaluation and Test Plan",
        "Initial Master Schedule", "Transition Plan", "Training Reports/Metrics", "Cost Model",
        "Program Charter", "Governance Plan"]))
    site.add("phase1/1.2.md", task(1, 2, inputs=[
        "Final DMP", "Roles/Responsibilities/Approvals Matrix", "Test and Evaluation Plan", "Master Schedule",
        "Provider's Transition Plan", "Training Report", "Cost Model from Provider", "Program Charter and Governance Plan",
        "Program Charter"]))
    s = linked(site.content)[0]
    got = task_links(s, "1.2").inputs
    assert [(x.producer.id, x.artifact.name, x.rules) for x in got] == [
        ("1.1", "Data Migration Plan (DMP)", ("acronym", "stage")),
        ("1.1", "Roles, Responsibilities, and Approvals Matrix", ("separators",)),
        ("1.1", "Evaluation and Test Plan", ("order",)),
        ("1.1", "Initial Master Schedule", ("stage",)),
        ("1.1", "Transition Plan", ("owner",)),
        ("1.1", "Training Reports/Metrics", ("part",)),
        ("1.1", "Cost Model", ("qualifier",)),
        ("1.1", "Program Charter", ("split",)),
        ("1.1", "Program Charter", ()),
    ]
    assert [(x.artifact.name, x.rules) for x in got[7].also] == [("Governance Plan", ("split",))]
    assert got[0].matched == "matched as Data Migration Plan (DMP) (acronym, version word)"
    assert not got[8].inferred and got[8].matched == ""
    msgs = site.messages()
    assert "phase1/1.2.md:12: info: inputs[0]: input 'Final DMP' matched as 'Data Migration Plan (DMP)' (acronym, " \
           "version word); if that is right, add the name as an alias in artifacts.yaml" in msgs
    assert "phase1/1.2.md:19: info: inputs[7]: input 'Program Charter and Governance Plan' matched as 'Program " \
           "Charter' and 'Governance Plan' (one of the artifacts it names); if that is right, list each artifact as " \
           "an input of its own" in msgs
    stats = s.artifacts.stats
    assert stats.line() == "artifacts: 9 of 9 input references linked (100%)"
    assert stats.rules_line() == ("artifacts: links by rule: name 1, acronym+stage 1, separators 1, order 1, "
                                  "stage 1, qualifier 1, owner 1, part 1, split 1")


def test_the_same_name_fits_better_than_an_owner_dropped(site):
    site.add("phase1/1.1.md", task(1, 1, outputs=["Transition Plan", "Provider Transition Plan"]))
    site.add("phase1/1.2.md", task(1, 2, inputs=["Provider's Transition Plan", "Customer's Transition Plan"]))
    s = linked(site.content)[0]
    got = task_links(s, "1.2").inputs
    assert [(x.artifact.name, x.rules) for x in got] == [("Provider Transition Plan", ()),
                                                         ("Transition Plan", ("owner",))]


def test_versions_of_an_output_are_one_artifact_named_without_the_version_word(site):
    site.add("phase1/1.1.md", task(1, 1, outputs=["Initial Readiness Assessment", "Plan (draft)"]))
    site.add("phase1/1.2.md", task(1, 2, inputs=["Readiness Assessment"], outputs=["Plan (final)"]))
    site.add("phase1/1.3.md", task(1, 3, inputs=["Readiness Assessment", "Plan"],
                                   outputs=["Readiness Assessment"]))
    s = linked(site.content)[0]
    a = task_links(s, "1.2").inputs[0].artifact
    assert (a.name, a.producers, a.names) == ("Readiness Assessment", [0, 2],
                                              ["Initial Readiness Assessment", "Readiness Assessment"])
    assert [(x.producer.id, x.rules) for x in task_links(s, "1.3").inputs] == [("1.1", ()), ("1.2", ("stage",))]
    t1 = s.artifacts.task_links(s.playbook.tasks[0])
    assert t1.outputs[0].matched == "matched as Readiness Assessment (version word)"
    assert "phase1/1.1.md:13: info: outputs[0]: output 'Initial Readiness Assessment' matched as 'Readiness " \
           "Assessment' (version word); if they are different artifacts, declare each in artifacts.yaml" \
           in site.messages()
    assert s.artifacts.stats.rules_line() == ("artifacts: links by rule: name 2, stage 1; "
                                              "outputs joined by rule: stage 2")


def test_outputs_that_differ_in_a_qualifier_stay_two_artifacts(site):
    site.add("phase1/1.1.md", task(1, 1, outputs=["Test Results (UAT)", "Test Results (SIT)", "Cost Model from Provider",
                                                   "Cost Model from Customer"]))
    site.add("phase1/1.2.md", task(1, 2, inputs=["Test Results", "Test Results (UAT)", "Cost Model from Provider"]))
    s = linked(site.content)[0]
    assert [a.name for a in s.artifacts.artifacts] == ["Test Results (UAT)", "Test Results (SIT)",
                                                       "Cost Model from Provider", "Cost Model from Customer"]
    got = task_links(s, "1.2").inputs
    assert [x.status for x in got] == ["ambiguous", "earlier", "earlier"]
    assert [a.name for a in got[0].candidates] == ["Test Results (UAT)", "Test Results (SIT)"]


def test_two_registry_entries_keep_versions_apart(site):
    site.add("artifacts.yaml", "artifacts:\n  - Test Plan\n  - Final Test Plan\n")
    site.add("phase1/1.1.md", task(1, 1, outputs=["Test Plan", "Final Test Plan", "Draft Test Plan"]))
    site.add("phase1/1.2.md", task(1, 2, inputs=["Final Test Plan", "Test Plan"]))
    s = linked(site.content)[0]
    assert [x.artifact.name for x in task_links(s, "1.2").inputs] == ["Final Test Plan", "Test Plan"]
    assert not any("matches two registry entries" in m for m in site.messages())


def test_an_input_names_two_artifacts_only_when_both_are_outputs(site):
    site.add("phase1/1.1.md", task(1, 1, outputs=["Program Charter", "Risk Log", "Issue Log"]))
    site.add("phase1/1.2.md", task(1, 2, inputs=["Program Charter and Position Descriptions", "Risk and Issue Logs",
                                                 "Existing Risk Log & Issue Log"]))
    s = linked(site.content)[0]
    got = task_links(s, "1.2").inputs
    assert [x.status for x in got] == ["unresolved", "earlier", "unresolved"]
    assert [p.artifact.name for p in got[1].parts] == ["Risk Log", "Issue Log"]
    assert s.artifacts.stats.line() == "artifacts: 1 of 3 input references linked (33%): 2 unlinked"


def test_an_output_named_as_an_update_is_no_source_for_an_earlier_task(site):
    site.add("phase1/1.1.md", task(1, 1, inputs=["Scope Statement", "Charter"]))
    site.add("phase1/1.2.md", task(1, 2, outputs=["Scope Statement updated in Needs Workbook", "Final Charter"]))
    site.add("phase1/1.3.md", task(1, 3, inputs=["Scope Statement"]))
    s = linked(site.content)[0]
    early = task_links(s, "1.1").inputs
    assert [(x.status, x.producer.id, x.linked) for x in early] == [("update-only", "1.2", False)] * 2
    assert task_links(s, "1.3").inputs[0].status == "earlier"
    assert "phase1/1.1.md:12: warning: inputs[0]: input 'Scope Statement' is output by no earlier key task, and 1.2 " \
           "only updates it ('Scope Statement updated in Needs Workbook'); name the output it comes from as an alias " \
           "in artifacts.yaml, or declare it under 'external:'" in site.messages()
    res = site.build(search=False)
    assert res.ok()
    page = site.page("/1.1/")
    assert '<strong>Unlinked:</strong> no key task before it creates it; <a class="xref" href="/1.2/">1.2 Task 1.2</a>' \
           " only updates it" in page


def test_a_glossary_abbreviation_links_its_short_form(site):
    site.add("glossary.md", {"layout": "glossary", "sections": [{"name": "Abbreviations", "terms": [
        {"name": "IMS", "description": "Integrated Master Schedule"}]}]})
    site.add("phase1/1.1.md", task(1, 1, outputs=["Integrated Master Schedule"]))
    site.add("phase1/1.2.md", task(1, 2, inputs=["Final IMS"]))
    s = linked(site.content)[0]
    x = task_links(s, "1.2").inputs[0]
    assert (x.producer.id, x.rules) == ("1.1", ("acronym", "stage"))


def test_inferred_links_are_visible_on_pages_and_in_the_tracker(site):
    site.add("phase1/1.1.md", task(1, 1, outputs=["Data Migration Plan (DMP)", "Initial Cutover Plan",
                                                   "Risk Log", "Issue Log"]))
    site.add("phase1/1.2.md", task(1, 2, inputs=["Final DMP", "Risk and Issue Logs"], outputs=["Cutover Plan"]))
    res = site.build(search=False)
    assert res.ok(), [d.format() for d in res.diagnostics.sorted()]
    page = site.page("/1.2/")
    assert ('<a class="pb-artifact" href="/artifacts/data-migration-plan-dmp/">Final DMP</a> '
            '<span class="pb-muted">matched as Data Migration Plan (DMP) (acronym, version word)</span>') in page
    assert '<span class="pb-artifact">Risk and Issue Logs</span>\n<span class="pb-xref">Names 2 artifacts:</span>' \
        in page
    assert '<li>matched as <a class="pb-artifact" href="/artifacts/issue-log/">Issue Log</a>\n' \
           '<span class="pb-xref">From <a class="xref" href="/1.1/">1.1 Task 1.1</a></span></li>' in page
    first = site.page("/1.1/")
    assert ('Initial Cutover Plan</a> <span class="pb-muted">matched as Cutover Plan (version word)</span>') in first
    art = site.page("/artifacts/data-migration-plan-dmp/")
    assert '<span class="pb-xref">\u201cFinal DMP\u201d matched as Data Migration Plan (DMP) (acronym, version ' \
           'word)</span></td>' in art
    csv = (site.out / "artifacts" / "tracker.csv").read_text(encoding="utf-8")
    assert 'Data Migration Plan (DMP),Produced,"Created 1.1; Used 1.2 \u201cFinal DMP\u201d matched as Data ' \
           'Migration Plan (DMP) (acronym, version word)",' in csv
    assert "Cutover Plan,Produced,Created 1.1 \u201cInitial Cutover Plan\u201d matched as Cutover Plan " \
           "(version word); Updated 1.2," in csv
    index = site.page("/artifacts/")
    assert "1.2 \u201cFinal DMP\u201d matched as Data Migration Plan (DMP) (acronym, version word)</span>" in index
    sheet = openpyxl.load_workbook(site.out / "artifacts" / "tracker.xlsx").active
    row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Data Migration Plan (DMP)")
    assert row[2] == "Created 1.1; Used 1.2 \u201cFinal DMP\u201d matched as Data Migration Plan (DMP) (acronym, version word)"
