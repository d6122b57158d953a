"""Outputs linked again by themselves (output_relink.py): after every edit, exactly what linking it all gives."""
from __future__ import annotations

import random

import pytest

from playbook.link import site as link
from playbook.link import output_relink

from conftest import task
from test_devbuild import subject
from test_input_relink import corpus_task, dump, linked, step

REGISTRY = ("artifacts:\n  - name: Review Notes\n    aliases: [Review Note]\n  - name: Charter\n"
            "external:\n  - name: Strategic Goals\n")
EDITED = "phase1/1.3.md"
REPORT = {"text": "Report", "filename": "report.docx"}
SAYS = [{"text": "Gather the facts", "responsibleParty": ["customer", "qsmo"]},
        {"text": "Write it up", "responsibleParty": "provider", "output": "Report"}]


def fill(site, registry: bool) -> None:
    """Tasks around 1.3 whose inputs and outputs an edit of 1.3's outputs can reach: producers before and
    after it, loose and ambiguous inputs, two artifacts one name can join, and names no task outputs."""
    site.add("guide.md", {"title": "Guide"}, "How to use the playbook.\n")
    site.add("phase1/1.1.md", task(1, 1, inputs=["Strategic Goals"], outputs=["Business Case", "RAID Log",
                                                                             "Kickoff Notes"]))
    site.add("phase1/1.2.md", task(1, 2, inputs=["Business Case"], outputs=["Plan", "Schedule (draft)"]))
    site.add(EDITED, subject())
    site.add("phase1/1.4.md", task(1, 4, inputs=["Plan", "Report", "Strategic Goals", "Schedule (v2)",
                                                 "Plan (draft)"]))
    site.add("phase2/_index.md", {"phase": 2, "name": "Later", "objective": "Go on."})
    site.add("phase2/2.1.md", task(2, 1, inputs=["Plan", "Report", "RAID Log"],
                                   outputs=["Budget", "Risks, Actions, Issues, and Decisions Log",
                                            "Schedule (final)", "C+ Plan"]))
    site.add("phase2/2.2.md", task(2, 2, inputs=["Report", "Mystery file", "Findings",
                                                 "Risks, Actions, Issues, and Decisions Log", "Review Notes"],
                                   outputs=["Plan"]))
    site.add("phase2/2.3.md", task(2, 3, inputs=["Plan", "Budget", "C+ Plan", "Charter"]))
    # two outputs that one name can join into one artifact, by a task no later one takes from
    site.add("phase2/2.4.md", task(2, 4, outputs=["RAID Log", "Risks, Actions, Issues, and Decisions Log"]))
    site.add("phase2/2.5.md", task(2, 5, outputs=["RAID Log", "Risks, Actions, Issues, and Decisions Log"]))
    if registry:
        site.add("artifacts.yaml", REGISTRY)


def outputs(*more, activity: str | None = "Report", first=REPORT) -> dict:
    """1.3's fields with these outputs after its first, and its activity's output."""
    says = [SAYS[0], {**SAYS[1], "output": activity}] if activity else [SAYS[0], {k: v for k, v in SAYS[1].items()
                                                                                   if k != "output"}]
    return {"outputs": ([first] if first else []) + list(more), "activities": says}


OUTPUT_EDITS = [
    ("a name like that of unmatched inputs", outputs("Mystery filed")),
    ("a new artifact that a later unmatched input names", outputs("Findings")),
    ("one that an unmatched input of its own names", outputs("Findings", "Mystery file")),
    ("joins an artifact earlier and later tasks make and take", outputs("Plan")),
    ("an activity's output joins one a later task makes", outputs("Plan", activity="Budget")),
    ("joins two artifacts into one", outputs("Risks, Actions, Issues, and Decisions (RAID) Log")),
    ("parts them again", outputs()),
    ("first to make what three later tasks make", outputs("Risks, Actions, Issues, and Decisions Log")),
    ("takes the name a loose input gives", outputs("Plan (draft)")),
    ("one more candidate for an ambiguous input", outputs("Schedule (final draft)")),
    ("the candidate's name written otherwise", outputs("Schedule (Final Draft)")),
    ("makes an ambiguous input link", outputs("Schedule")),
    ("one an earlier task makes and no task takes", outputs("Kickoff Notes")),
    ("a registry artifact, by its alias", outputs("Review Note")),
    ("an input declared external", outputs("Strategic Goals")),
    ("renamed, the same artifact", outputs(first={**REPORT, "text": "Reports"})),
    ("another template", outputs(first={**REPORT, "filename": "report-v2.docx"})),
    ("a slug a later artifact had", outputs("C Plan")),
    ("inputs too", {**outputs("Budget"), "inputs": ["Plan", "Business Case", "Findings"]}),
    ("no outputs: the last producer of its artifact", outputs(activity=None, first=None)),
    ("as it was", {}),
]


@pytest.mark.parametrize("registry", [True, False], ids=["registry", "no-registry"])
def test_each_output_edit_in_turn_gives_what_linking_gives(site, registry):
    fill(site, registry)
    first, _t, _d, diags = linked(site.content, (site.content / EDITED).as_posix())
    state = (first, diags)
    for _name, fields in OUTPUT_EDITS:
        state = step(site.content, EDITED, state, dump(subject(**fields)))


@pytest.mark.parametrize("name, fields", OUTPUT_EDITS, ids=[n for n, _ in OUTPUT_EDITS])
def test_output_edit_gives_what_linking_gives(site, name, fields):
    fill(site, True)
    first, _t, _d, diags = linked(site.content, (site.content / EDITED).as_posix())
    if subject(**fields) == subject():  # as the task was: another edit instead
        fields = outputs("Budget")
    step(site.content, EDITED, (first, diags), dump(subject(**fields)))


def test_edits_of_other_tasks_outputs_follow_on(site):
    fill(site, True)
    first, _t, _d, diags = linked(site.content, (site.content / EDITED).as_posix())
    state = step(site.content, EDITED, (first, diags), dump(subject(**outputs("Plan", "Findings"))))
    # the later producer of the plan stops making it, then makes what the earlier ones read
    for outs in (["Budget2"], ["Business Case", "Report"], ["Plan"]):
        state = step(site.content, "phase2/2.2.md", state, dump(task(2, 2, inputs=["Report", "Mystery file"],
                                                                    outputs=outs)))
    state = step(site.content, EDITED, state, dump(subject()))


def test_corpus_output_edits_give_what_linking_gives(corpus, tmp_path):
    content, text, state = corpus_task(corpus, tmp_path)
    for added in ("  - Project Business Case\n", "  - text: Metrics Review Notes\n", "  - Vision Statement\n",
                  "  - Program Charter\n  - Governance Plan\n", ""):
        state = step(content, "keyTask/1.6.md", state, text.replace("\noutputs:\n", "\noutputs:\n" + added, 1))
    gone = text.replace("  - text: Baseline and Target Performance Success Metrics\n", "", 1)
    state = step(content, "keyTask/1.6.md", state, gone.replace(
        "    filename: M3-Playbook-Baseline-and-Target-Performance-Success-Metrics.pptx\n", "", 1))
    step(content, "keyTask/1.6.md", state, text)


NAMES = ["Report", "Reports", "Plan", "Plan (draft)", "Schedule", "Schedule (draft)", "Schedule (final draft)",
         "RAID Log", "Risks, Actions, Issues, and Decisions (RAID) Log", "Risks, Actions, Issues, and Decisions Log",
         "Findings", "Mystery file", "Mystery filed", "Review Note", "Review Notes", "Charter", "Strategic Goals",
         "Budget", "C Plan", "C+ Plan", "Kickoff Notes", "Business Case", "Business Case (BC)", "BC"]
"""Names that meet, merge, part, match loosely or ambiguously, and look like one another."""
RANDOM_TASKS = {
    EDITED: lambda outs, acts, ins: subject(outputs=outs, activities=acts, **({"inputs": ins} if ins else {})),
    "phase2/2.2.md": lambda outs, acts, ins: task(2, 2, inputs=ins or ["Report", "Mystery file", "Findings"],
                                                  outputs=outs, activities=acts),
    "phase1/1.2.md": lambda outs, acts, ins: task(1, 2, inputs=ins or ["Business Case"], outputs=outs,
                                                  activities=acts),
}


@pytest.mark.parametrize("seed", [47, 51, 55])  # chains that once found an old artifact's id taken by a new one
def test_random_chains_of_output_edits_give_what_linking_gives(site, seed):
    rnd = random.Random(seed)
    fill(site, rnd.random() < 0.6)
    state, now, made = None, {}, 0
    while made < 25:
        rel = rnd.choice(list(RANDOM_TASKS))
        outs = [rnd.choice(NAMES) for _ in range(rnd.randint(0, 3))]
        acts = [{"text": "Do it", "responsibleParty": "customer",
                 **({"output": rnd.choice(NAMES)} if rnd.random() < 0.5 else {})}]
        ins = [rnd.choice(NAMES) for _ in range(rnd.randint(1, 3))] if rnd.random() < 0.3 else None
        data = dump(RANDOM_TASKS[rel](outs, acts, ins))
        if (outs, acts[0].get("output")) == now.get(rel):
            continue  # not an edit of the outputs
        if state is None:
            first, _t, _d, diags = linked(site.content, (site.content / rel).as_posix())
            state = (first, diags)
        state = step(site.content, rel, state, data)
        now[rel], made = (outs, acts[0].get("output")), made + 1


CLASH = "artifacts:\n  - name: RAID Log\n  - name: Risks, Actions, Issues, and Decisions Log\n"
BOTH = "Risks, Actions, Issues, and Decisions (RAID) Log"
"""An output name with a key of each of :data:`CLASH`'s entries: it joins the first it meets."""


@pytest.mark.parametrize("other, fields", [
    (None, outputs(BOTH)),  # the edited task's new output names both
    (BOTH, outputs("Risks, Actions, Issues, and Decisions Log")),  # it joins an artifact another output of which does
], ids=["own output", "another task's output"])
def test_an_output_naming_two_registry_entries_links_the_whole_playbook(site, other, fields):
    fill(site, False)
    site.add("artifacts.yaml", CLASH)
    if other:
        site.add("phase1/1.4.md", task(1, 4, inputs=["Plan"], outputs=[other]))
    path = (site.content / EDITED).as_posix()
    old, _t, _d, _diags = linked(site.content, path)
    site.add(EDITED, subject(**fields))
    _fresh, edited, doc, want = linked(site.content, path)
    assert any("matches two registry entries" in d.message for d in want)
    assert output_relink.relink_outputs(old.artifacts, edited, doc) is None
    assert link.replace_tasks(old, [edited], {path: doc}) is None


def test_an_output_naming_two_registry_entries_elsewhere_is_not_in_the_way(site):
    fill(site, False)
    site.add("artifacts.yaml", CLASH)
    site.add("phase1/1.4.md", task(1, 4, inputs=["Plan"], outputs=[BOTH]))  # it joins the second entry
    first, _t, _d, diags = linked(site.content, (site.content / EDITED).as_posix())
    state = step(site.content, EDITED, (first, diags), dump(subject(**outputs("RAID Log"))))
    step(site.content, EDITED, state, dump(subject()))


def test_two_tasks_outputs_saved_together_link_the_whole_playbook(site):
    fill(site, True)
    old, _t, _d, _diags = linked(site.content, (site.content / EDITED).as_posix())
    site.add(EDITED, subject(**outputs("Findings")))
    site.add("phase2/2.2.md", task(2, 2, outputs=["Budget"]))
    _fresh, a, da, _ = linked(site.content, (site.content / EDITED).as_posix())
    _fresh, b, db, _ = linked(site.content, (site.content / "phase2/2.2.md").as_posix())
    assert link.replace_tasks(old, [a, b], {a.path: da, b.path: db}) is None
