"""Artifact cross-linking: name normalisation rule by rule, the registry, producer choice, diagnostics."""
from __future__ import annotations

import pytest

from playbook.link import names

from conftest import linked, phase, task, task_links


# --- normalisation, one rule at a time ---------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("Vision Statement", "VISION statement"),                                  # case
    ("Vision Statement", "  Vision \n\t Statement "),                           # white space
    ("Vision Statement", "Vision\u00a0Statement"),                              # no-break space
    ("Agency's Plan", "Agency\u2019s Plan"),                                   # curly apostrophe
    ('The "Final" Plan', "The \u201cFinal\u201d Plan"),                         # curly quotes
    ("Risk \u2013 Register", "Risk - Register"),                                # dashes
    ("Verification & Validation Plan", "Verification and Validation Plan"),     # & and "and"
    ("Verification &amp; Validation Plan", "Verification and Validation Plan"), # entity
    ('<a href="https://x.gov/">Vision Statement</a>', "Vision Statement"),      # HTML stripped
    ("<b>Vision</b> <i>Statement</i>", "Vision Statement"),
    ("Requirements Traceability Matrix (RTM)", "Requirements Traceability Matrix"),  # trailing abbreviation
    ("Service Level Agreements (SLAs)", "Service Level Agreements"),
    ("Service Level Agreements", "Service Level Agreement"),                    # plurals
    ("Data Cleansing Scripts", "Data Cleansing Script"),
    ("Status Reports/Dashboards", "Status Reports/Dashboard"),
    ("Lessons Learned Activities", "Lessons Learned Activity"),
    ("Business Processes", "Business Process"),
    ("In-scope Service Area(s)", "In-scope Service Areas"),                     # plural marker (s)
    ("As-Is Systems Environment", "As Is Systems Environment"),                 # punctuation
])
def test_names_that_normalise_alike(a, b):
    assert names.key(a) == names.key(b)


@pytest.mark.parametrize("a, b", [
    ("Change Readiness Assessment", "Initial Change Readiness Assessment"),
    ("Investment Action Plan (if applicable)", "Investment Action Plan"),  # a qualifier, not an abbreviation
    ("Status", "Statu"),
    ("Cost Estimates", "Cost Estimates from Provider"),
])
def test_names_that_stay_apart(a, b):
    assert names.key(a) != names.key(b)


@pytest.mark.parametrize("word, expected", [
    ("plans", "plan"), ("activities", "activity"), ("processes", "process"), ("approaches", "approach"),
    ("boxes", "box"), ("status", "status"), ("analysis", "analysis"), ("business", "business"),
    ("slas", "sla"), ("gas", "gas"), ("its", "its"), ("plan", "plan"),
])
def test_singular(word, expected):
    assert names.singular(word) == expected


def test_plain_keeps_the_words_and_drops_markup():
    assert names.plain('<A HREF="x">Capital Planning</A> &amp;\u00a0Control ') == "Capital Planning & Control"


def test_an_abbreviation_standing_for_its_words_gives_a_second_key():
    assert names.keys("Risks, Actions, Issues, and\u00a0Decisions\u00a0 (RAID) Log") == (
        "risk action issue and decision log", "raid log")
    assert names.keys("Requirements Traceability Matrix (RTM)") == ("requirement traceability matrix", "rtm")
    assert names.keys("Independent Verification & Validation (IV&V)  Plan")[1] == "iv and v plan"
    assert names.keys("Service Level Agreements (SLAs)")[1] == "sla"
    # letters in order, from each word: the abbreviation of those words too
    assert names.keys("Target State Concept of Operations (CONOPS)") == ("target state concept of operation",
                                                                          "target state conop")
    # nor initials nor letters: a qualifier, kept in the key
    assert names.keys("Test Results (UAT)") == ("test result uat",)


@pytest.mark.parametrize("name, expected", [
    ("Scope of Services updated in Business Needs Workbook", "scope of service"),
    ("Cost Estimates from Provider", "cost estimate"),
    ("Investment Action Plan (if applicable)", "investment action plan"),
    ("Provider Agreement (IAA, if Federal )", "provider agreement"),
    ("Request for Proposal (RFP) (Commercial Only)", "request for proposal"),
    ("Vision Statement", ""),
    ("(Draft)", ""),
])
def test_loose_key_drops_one_trailing_qualifier(name, expected):
    assert names.loose_key(name) == expected


def test_suggest_uses_rapidfuzz_and_stays_quiet_when_nothing_is_close():
    assert names.suggest("Projct Busines Case", ["Vision Statement", "Project Business Case"]) == \
        "did you mean 'Project Business Case'?"
    assert names.suggest("Position Descriptions", ["Vision Statement", "Project Business Case"]) == ""
    assert names.suggest("anything", []) == ""


# --- the index over a small site -----------------------------------------------------------------

def test_nearest_earlier_producer_with_the_others_listed(site):
    site.add("phase1/1.1.md", task(1, 1, outputs=["Plan"]))
    site.add("phase1/1.2.md", task(1, 2, inputs=["Plan"]))
    site.add("phase1/1.3.md", task(1, 3, inputs=["Plan"], outputs=["Plan"]))
    site.add("phase1/1.4.md", task(1, 4, inputs=["Plan"]))
    s, d = linked(site.content)
    i2, i3, i4 = (task_links(s, x).inputs[0] for x in ("1.2", "1.3", "1.4"))
    assert (i2.status, i2.producer.id, [t.id for t in i2.others]) == ("earlier", "1.1", ["1.3"])
    assert (i3.status, i3.producer.id, [t.id for t in i3.others]) == ("earlier", "1.1", [])
    assert (i4.status, i4.producer.id, [t.id for t in i4.others]) == ("earlier", "1.3", ["1.1"])
    assert s.artifacts.stats.line() == "artifacts: 3 of 3 input references linked (100%)"


def test_created_updated_used(site):
    site.add("phase1/1.1.md", task(1, 1, outputs=["Plan"]))
    site.add("phase1/1.2.md", task(1, 2, inputs=["Plan"]))
    site.add("phase1/1.3.md", task(1, 3, outputs=["Plans"]))
    site.add("phase2/_index.md", phase(2))
    site.add("phase2/2.1.md", task(2, 1, inputs=["plan"]))
    s, _ = linked(site.content)
    o1, o3 = task_links(s, "1.1").outputs[0], task_links(s, "1.3").outputs[0]
    assert o1.created_here and [t.id for t in o1.updates] == ["1.3"] and [t.id for t in o1.used_by] == ["1.2"]
    assert not o3.created_here and o3.created_by.id == "1.1" and [t.id for t in o3.used_by] == ["2.1"]
    a = o1.artifact
    assert (a.name, a.slug, a.producers, a.consumers) == ("Plan", "plan", [0, 2], [1, 3])
    assert [(n.task.id, n.artifacts) for n in task_links(s, "1.1").downstream] == [("1.2", ("Plan",))]
    assert [(n.task.id, n.artifacts) for n in task_links(s, "2.1").upstream] == [("1.3", ("Plan",))]


def test_no_earlier_producer_takes_the_nearest_later_one_and_says_so(site):
    site.add("phase1/1.1.md", task(1, 1, inputs=["Plan"]))
    site.add("phase1/1.2.md", task(1, 2, outputs=["Plan"]))
    site.add("phase1/1.3.md", task(1, 3, outputs=["Plan"]))
    s, _ = linked(site.content)
    link_ = task_links(s, "1.1").inputs[0]
    assert (link_.status, link_.producer.id, link_.linked) == ("later", "1.2", True)
    assert [(n.task.id, n.out_of_order) for n in task_links(s, "1.1").upstream] == [("1.2", True)]
    assert site.messages() == [
        "phase1/1.1.md:12: info: inputs[0]: input 'Plan' is output only by later key tasks, first by 1.2; "
        "check the order of the tasks",
        "phase1/1.3.md:13: info: outputs[0]: output 'Plan' is used by no later key task",
    ]


def test_an_input_the_task_itself_creates(site):
    site.add("phase1/1.1.md", task(1, 1, inputs=["Plan"], outputs=["Plan"]))
    site.add("phase1/1.2.md", task(1, 2, inputs=["Plan"]))
    s, _ = linked(site.content)
    assert task_links(s, "1.1").inputs[0].status == "self"
    assert task_links(s, "1.2").inputs[0].producer.id == "1.1"
    assert site.messages() == [
        "phase1/1.1.md:12: info: inputs[0]: input 'Plan' is output by no earlier key task; this task creates it; "
        "check the order of the tasks, or drop it from the inputs"]


def test_activity_outputs_count_as_outputs_of_their_task(site):
    acts = [{"text": "Write it", "responsibleParty": "customer", "output": "Charter"}]
    site.add("phase1/1.1.md", task(1, 1, activities=acts))
    site.add("phase1/1.2.md", task(1, 2, inputs=["Charter"]))
    s, _ = linked(site.content)
    out = task_links(s, "1.1").outputs[0]
    assert out.from_activity and out.created_here and [t.id for t in out.used_by] == ["1.2"]
    assert task_links(s, "1.2").inputs[0].producer.id == "1.1"


def test_copies_link_inside_their_own_copy(site):
    """Names repeat across copies of a playbook; the nearest earlier producer is the one in the same copy."""
    site.add("phase2/_index.md", phase(2))
    for p in (1, 2):
        site.add(f"phase{p}/{p}.1.md", task(p, 1, outputs=["Charter"]))
        site.add(f"phase{p}/{p}.2.md", task(p, 2, inputs=["Charter"]))
    s, _ = linked(site.content)
    assert task_links(s, "1.2").inputs[0].producer.id == "1.1"
    assert task_links(s, "2.2").inputs[0].producer.id == "2.1"
    assert [t.id for t in task_links(s, "1.1").outputs[0].used_by] == ["1.2"]


def test_unresolved_input_is_a_warning_with_did_you_mean(site):
    site.add("phase1/1.1.md", task(1, 1, outputs=["Project Business Case"]))
    site.add("phase1/1.2.md", task(1, 2, inputs=["Projct Busines Case", "Position Descriptions"]))
    assert site.messages() == [
        "phase1/1.1.md:13: info: outputs[0]: output 'Project Business Case' is used by no later key task; "
        "is it the unmatched input 'Projct Busines Case'?",
        "phase1/1.2.md:12: warning: inputs[0]: input 'Projct Busines Case' is output by no key task and not declared "
        "external; did you mean 'Project Business Case'?",
        "phase1/1.2.md:13: warning: inputs[1]: input 'Position Descriptions' is output by no key task and not declared "
        "external; declare it under 'external:' in artifacts.yaml, or add it to the outputs of the task that "
        "produces it",
    ]
    assert site.check().ok()  # warnings alone pass ...
    assert not site.check(strict=True).ok(strict=True)  # ... and fail under --strict


def test_a_qualifier_is_dropped_only_as_a_fallback_and_said(site):
    site.add("phase1/1.1.md", task(1, 1, outputs=["Scope of Services updated in Business Needs Workbook",
                                                   "Cost Estimates"]))
    site.add("phase1/1.2.md", task(1, 2, inputs=["Scope of Services", "Cost Estimates from Provider"]))
    s, _ = linked(site.content)
    got = task_links(s, "1.2").inputs
    assert [(x.status, x.rules, x.artifact.name) for x in got] == [
        ("earlier", ("stage",), "Scope of Services updated in Business Needs Workbook"),
        ("earlier", ("qualifier",), "Cost Estimates")]
    assert not got[0].loose and got[1].loose
    msgs = site.messages()
    assert "phase1/1.2.md:12: info: inputs[0]: input 'Scope of Services' matched as 'Scope of Services updated in " \
           "Business Needs Workbook' (version word); if that is right, add the name as an alias in " \
           "artifacts.yaml" in msgs
    assert "phase1/1.2.md:13: info: inputs[1]: input 'Cost Estimates from Provider' matched as 'Cost Estimates' " \
           "(qualifier dropped); if that is right, add the name as an alias in artifacts.yaml" in msgs


def test_ambiguous_name_is_not_linked(site):
    site.add("phase1/1.1.md", task(1, 1, outputs=["Status Reports/Dashboards", "Status Reports/Metrics"]))
    site.add("phase1/1.2.md", task(1, 2, inputs=["Status Report"]))
    s, _ = linked(site.content)
    assert task_links(s, "1.2").inputs[0].status == "ambiguous"
    assert "phase1/1.2.md:12: warning: inputs[0]: input 'Status Report' could be any of 'Status Reports/Dashboards', " \
           "'Status Reports/Metrics'; add the name as an alias of one of them in artifacts.yaml" in site.messages()
    assert s.artifacts.stats.line() == "artifacts: 0 of 1 input references linked (0%): 1 unlinked"


def test_names_meet_through_an_abbreviation_without_a_registry(site):
    site.add("phase1/1.1.md", task(1, 1, outputs=["RAID Log"]))
    site.add("phase1/1.2.md", task(1, 2, inputs=["Risks, Actions, Issues, and Decisions (RAID) Log"],
                                   outputs=["Risks, Actions, Issues, and Decisions (RAID) Log"]))
    site.add("phase1/1.3.md", task(1, 3, inputs=["RAID Logs"]))
    s, _ = linked(site.content)
    assert task_links(s, "1.2").inputs[0].producer.id == "1.1"
    assert task_links(s, "1.3").inputs[0].producer.id == "1.2"
    assert len(s.artifacts.artifacts) == 1


# --- the registry ----------------------------------------------------------------------------------

REGISTRY = """\
artifacts:
  - name: Target State Concept of Operations
    abbreviation: CONOPS
    aliases:
      - Target State CONOPS
    template: M3-Playbook-Target-State-CONOPS-Template.docx
    description: How the organization will work after the migration.
  - Requirements Traceability Matrix
external:
  - name: Organization Strategic Goals and Objectives
    url: https://www.performance.gov/
"""


def test_registry_aliases_externals_and_templates(site):
    site.add("artifacts.yaml", REGISTRY)
    site.add("assets/files/M3-Playbook-Target-State-CONOPS-Template.docx", b"PK")  # the template it names
    site.add("phase1/1.1.md", task(1, 1, outputs=["Target State Concept of Operations",
                                                   "Requirements Traceability Matrix (RTM)"]))
    site.add("phase1/1.2.md", task(1, 2, inputs=["Target State CONOPS", "CONOPS", "RTM",
                                                 "Organization Strategic Goals and Objectives"]))
    s, d = linked(site.content)
    got = task_links(s, "1.2").inputs
    assert [x.status for x in got] == ["earlier", "earlier", "earlier", "external"]
    conops = got[0].artifact
    assert conops is got[1].artifact and conops.template.endswith("CONOPS-Template.docx")
    assert conops.description.startswith("How the organization")
    assert got[3].artifact.external and got[3].artifact.url == "https://www.performance.gov/"
    assert s.artifacts.stats.line() == "artifacts: 3 of 4 input references linked (75%): 1 declared external"
    assert [m for m in site.messages() if "warning" in m or "error" in m] == []


def test_registry_schema_errors_have_path_line_and_did_you_mean(site):
    site.add("artifacts.yaml", "artifacts:\n  - name: Plan\n    aliasses: [Plans]\n  - abbreviation: X\nexternals: []\n")
    site.add("phase1/1.1.md", task(1, 1, outputs=["Plan"]))
    assert site.messages() == [
        "artifacts.yaml:3: warning: artifacts[0].aliasses: unknown field; did you mean 'aliases'?",
        "artifacts.yaml:4: artifacts[1].name: required field 'name' is missing; add 'name:' "
        "(Canonical name of the artifact, e.g. Requirements Traceability Matrix)",
        "artifacts.yaml:5: warning: externals: unknown field; did you mean 'external'?",
        "phase1/1.1.md:13: info: outputs[0]: output 'Plan' is used by no later key task",
    ]


def test_registry_name_given_to_two_entries_is_an_error(site):
    site.add("artifacts.yaml", "artifacts:\n  - name: RAID Log\n  - name: Risk Register\n    aliases:\n"
                               "      - RAID logs\n")
    msgs = site.messages()
    assert "artifacts.yaml:5: artifacts[1].aliases[0]: 'RAID logs' also names 'RAID Log' (artifacts[0], line 2); " \
           "give each name to one entry only" in msgs


def test_registry_entries_nothing_uses_and_externals_that_are_produced(site):
    site.add("artifacts.yaml", "artifacts:\n  - name: Charter\n  - name: Goverance Plan\nexternal:\n"
                               "  - name: Vision Statement\n")
    site.add("phase1/1.1.md", task(1, 1, outputs=["Charter", "Vision Statement", "Governance Plan"]))
    site.add("phase1/1.2.md", task(1, 2, inputs=["Charter", "Vision Statement", "Governance Plan"]))
    msgs = site.messages()
    assert "artifacts.yaml:3: warning: artifacts[1]: 'Goverance Plan' is used by no key task; " \
           "did you mean 'Governance Plan'?" in msgs
    assert "artifacts.yaml:5: warning: external[0]: 'Vision Statement' is declared external, but 1.1 outputs it; " \
           "move it from 'external:' to 'artifacts:'" in msgs
    assert not any("artifacts[0]" in m for m in msgs)


def test_a_second_registry_is_an_error(site):
    site.add("artifacts.yaml", "artifacts: []\n")
    site.add("artifacts.yml", "artifacts: []\n")
    assert any(m.startswith("artifacts.yml:1: a second artifact registry (the first is") for m in site.messages())


def test_registry_artifact_that_no_task_outputs(site):
    site.add("artifacts.yaml", "artifacts:\n  - name: Charter\n")
    site.add("phase1/1.1.md", task(1, 1, inputs=["Charter"]))
    assert site.messages() == [
        "phase1/1.1.md:12: warning: inputs[0]: input 'Charter' is the registry artifact 'Charter', which no key "
        "task outputs; add it to the outputs of the task that produces it, or list it under 'external:'"]


# --- phase listings --------------------------------------------------------------------------------

def test_phase_listing_name_matching_no_task_suggests_with_rapidfuzz(site):
    site.add("phase1/_index.md", phase(1, activities={"programManagement": [
        {"name": "Develop Lifecycle Cost in the Business Case"}, {"name": "Task 2.1"}, {"name": "Something else"}]}))
    site.add("phase1/1.1.md", task(1, 1, name="Develop Life Cycle Cost in the Business Case"))
    site.add("phase2/_index.md", phase(2))
    site.add("phase2/2.1.md", task(2, 1))
    msgs = [m for m in site.messages() if "_index" in m]
    assert msgs == [
        "phase1/_index.md:7: warning: activities: 'Develop Lifecycle Cost in the Business Case' matches no key task "
        "of phase 1; did you mean 'Develop Life Cycle Cost in the Business Case'?",
        "phase1/_index.md:8: warning: activities: 'Task 2.1' matches no key task of phase 1; "
        "that is key task 2.1, in phase 2",
        "phase1/_index.md:9: warning: activities: 'Something else' matches no key task of phase 1; "
        "list the key task's name exactly",
    ]


# --- pages -----------------------------------------------------------------------------------------

def test_pages_link_inputs_to_producers_and_artifacts(site):
    site.add("artifacts.yaml", REGISTRY)
    site.add("phase1/1.1.md", task(1, 1, outputs=["Target State Concept of Operations"]))
    site.add("phase1/1.2.md", task(1, 2, inputs=["Target State CONOPS", "Organization Strategic Goals and Objectives",
                                                 "Nowhere Plan"]))
    res = site.build(search=False)
    assert res.ok(), [d.format() for d in res.diagnostics.sorted()]
    page = site.page("/1.2/")
    assert '<a class="pb-artifact" href="/artifacts/target-state-concept-of-operations/">Target State CONOPS</a>' \
        in page
    assert 'From <a class="xref" href="/1.1/">1.1 Task 1.1</a>' in page
    assert "From outside the playbook" in page
    assert "<strong>Unlinked:</strong> no key task in this playbook outputs it" in page
    assert 'id="artifact-flow"' in page
    art = site.page("/artifacts/target-state-concept-of-operations/")
    assert "Target State Concept of Operations (CONOPS)" in art and "Also called" in art
    assert '<th scope="row"><a href="/1.2/">1.2 Task 1.2</a></th>' in art
    index = site.page("/artifacts/")
    assert "<caption" in index and '<th scope="col">Artifact</th>' in index and "<svg" in index
    assert '<span class="pb-mark pb-mark--created">Created</span> 1.1' in index
    for f in ("tracker.csv", "tracker.xlsx", "flow.svg"):
        assert (site.out / "artifacts" / f).is_file()


def test_content_cannot_take_a_path_among_the_artifact_pages(site):
    site.add("pages/about.md", {"title": "About", "permalink": "/artifacts/about/"})
    assert site.messages() == ["pages/about.md:3: permalink: permalink '/artifacts/about/' is inside /artifacts/, "
                               "where the artifact pages are; pick a path outside it"]
