"""`playbook serve`'s incremental rebuild: after each save, the served pages equal a fresh full build."""
from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from playbook.serve import appearances
from playbook.serve import rebuild as devbuild
from playbook.link import site as link
from playbook.load import documents as load
from playbook import pipeline
from playbook.model import validate
from playbook.diagnostics import Diagnostics

from conftest import phase, task


def pages(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.html"))}


def files(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (pages, generated files and assets) by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def fresh(site, tmp: Path) -> dict[str, bytes]:
    dev = devbuild.DevBuild(site.options(search=False), tmp)
    assert dev.build().ok
    return pages(tmp)


def fresh_build(site, tmp: Path) -> tuple[dict[str, bytes], list]:
    """Every file a first build of the content as it is now writes, and its diagnostics."""
    out = devbuild.DevBuild(site.options(search=False), tmp).build()
    return files(tmp), out.diagnostics


@pytest.fixture
def dev(site, tmp_path):
    site.add("phase1/1.1.md", task(1, 1, outputs=["Business Case"]))
    site.add("phase1/1.2.md", task(1, 2, inputs=["Business Case"], outputs=["Plan"]))
    site.add("phase1/1.3.md", task(1, 3))
    site.add("phase1/1.4.md", task(1, 4, inputs=["Plan"]))
    site.add("phase2/_index.md", {"phase": 2, "name": "Later", "objective": "Go on."})
    site.add("phase2/2.1.md", task(2, 1, inputs=["Plan"]))
    d = devbuild.DevBuild(site.options(search=False), tmp_path / "served")
    first = d.build()
    assert first.ok and first.full, [x.format() for x in first.diagnostics]
    return d


def save(site, dev, rel, data):
    return dev.update([site.add(rel, data)])


def content_pages(rendered: list[str]) -> set[str]:
    """Key-task and phase pages among rendered site paths ('1.2', 'phase1'); indexes left out."""
    names = {p.strip("/") for p in rendered}
    return {n for n in names if n.startswith("phase") or n.replace(".", "").isdigit()}


@pytest.mark.parametrize("rel, data, expected", [
    # linking sees no change: the task and its phase page (the objective is in its quick view)
    ("phase1/1.3.md", task(1, 3, objective="New."), {"1.3", "phase1"}),
    ("phase1/1.2.md", task(1, 2, inputs=["Business Case"], outputs=["Plan"], objective="New."), {"1.2", "phase1"}),
    # a new name is on its neighbours' pagers and its phase's side navigation
    ("phase1/1.3.md", task(1, 3, name="Renamed"), {"1.1", "1.2", "1.3", "1.4", "phase1"}),
    # 1.2 no longer passes its plan to 2.1
    ("phase2/2.1.md", task(2, 1, inputs=["Budget"]), {"1.2", "2.1", "phase2"}),
])
def test_edit_renders_only_what_it_touches_and_equals_full_build(site, dev, tmp_path, rel, data, expected):
    out = save(site, dev, rel, data)
    assert out.ok and not out.full
    assert content_pages(out.rendered) == expected
    assert pages(dev.out) == fresh(site, tmp_path / "fresh")


def test_broken_save_keeps_pages_and_reports_then_recovers(site, dev, tmp_path):
    before = pages(dev.out)
    out = save(site, dev, "phase1/1.3.md", task(1, 3, responsibleParty="qsm0"))
    assert not out.ok and out.rendered == []
    errors = [d.format().replace(site.content.as_posix() + "/", "") for d in out.diagnostics if d.severity == "error"]
    assert errors == ["phase1/1.3.md:6: responsibleParty: unknown party 'qsm0'; did you mean 'qsmo'?"]
    assert pages(dev.out) == before
    fixed = save(site, dev, "phase1/1.3.md", task(1, 3, objective="Fixed."))
    assert fixed.ok and "/1.3/" in fixed.rendered
    assert pages(dev.out) == fresh(site, tmp_path / "fresh")


def test_new_file_renders_everything(site, dev, tmp_path):
    out = save(site, dev, "phase1/1.5.md", task(1, 5))
    assert out.ok and out.full
    assert pages(dev.out) == fresh(site, tmp_path / "fresh")
    (site.content / "phase1" / "1.5.md").unlink()
    gone = dev.update([site.content / "phase1" / "1.5.md"])
    assert gone.ok and gone.full
    assert "1.5/index.html" not in pages(dev.out)
    assert pages(dev.out) == fresh(site, tmp_path / "fresh2")


def test_deferred_indexes_render_later_and_equal_full_build(site, tmp_path):
    site.add("phase1/1.1.md", task(1, 1))
    site.add("phase1/1.2.md", task(1, 2))
    d = devbuild.DevBuild(site.options(search=False), tmp_path / "served", defer_indexes=True)
    assert d.build().ok
    out = save(site, d, "phase1/1.2.md", task(1, 2, activities=[{"text": "A new step", "responsibleParty": "qsmo"}]))
    assert out.ok and content_pages(out.rendered) == {"1.2", "phase1"}
    assert set(d.stale) == {"/activities/", "/parties/customer/", "/parties/qsmo/"} and out.deferred == 3
    assert b"A new step" not in (d.out / "activities" / "index.html").read_bytes()
    assert d.render_stale("/activities/") == 1 and "/activities/" not in d.stale
    assert b"A new step" in (d.out / "activities" / "index.html").read_bytes()
    assert d.render_stale() == out.deferred - 1 and d.stale == {}
    assert pages(d.out) == fresh(site, tmp_path / "fresh")


def test_rename_of_a_second_producer_reaches_every_page_naming_it(site, tmp_path):
    site.add("phase1/1.1.md", task(1, 1, outputs=["Plan"]))
    site.add("phase1/1.2.md", task(1, 2))
    site.add("phase1/1.3.md", task(1, 3, outputs=["Plan"]))
    site.add("phase2/_index.md", {"phase": 2, "name": "Later", "objective": "Go on."})
    site.add("phase2/2.1.md", task(2, 1, inputs=["Plan"]))
    site.add("phase2/2.2.md", task(2, 2))
    d = devbuild.DevBuild(site.options(search=False), tmp_path / "served")
    assert d.build().ok
    out = save(site, d, "phase1/1.3.md", task(1, 3, outputs=["Plan"], name="Revise the plan"))
    assert out.ok and not out.full
    assert {"1.1", "2.1"} <= content_pages(out.rendered)
    assert "2.2" not in content_pages(out.rendered)
    assert pages(d.out) == fresh(site, tmp_path / "fresh")


# --- every kind of edit: the served folder equals a fresh build, file for file ----------------------

def subject(**over) -> dict:
    """Key task 1.3 with something of everything: parties, an activity output, inputs that link, one that
    is also its own output, one that does not link, a related page and an unknown field (a warning
    with a line). Keyword arguments replace fields in place, so the order of the lines stays."""
    d = {"phase": 1, "keyTask": 3, "name": "Write the report", "objective": "Say what was found.",
         "description": "The report task.", "responsibleParty": "customer", "category": "process",
         "related": ["guide"],
         "activities": [{"text": "Gather the facts", "responsibleParty": ["customer", "qsmo"]},
                        {"text": "Write it up", "responsibleParty": "provider", "output": "Report"}],
         "inputs": ["Plan", "Report", "Mystery file"],
         "outputs": [{"text": "Report", "filename": "report.docx"}],
         "stakeholders": [{"text": "Program Manager", "responsibleParty": "customer"}],
         "bestPractice": ["Write plainly"],
         "colour": "blue"}
    d.update(over)
    return d


def fill(site) -> None:
    site.add("guide.md", {"title": "Guide"}, "How to use the playbook.\n")
    site.add("phase1/1.1.md", task(1, 1, outputs=["Business Case"],
                                   activities=[{"text": "Draft it", "responsibleParty": "customer"},
                                               {"text": "Check it", "responsibleParty": "provider"}]))
    site.add("phase1/1.2.md", task(1, 2, inputs=["Business Case"], outputs=["Plan"]))
    site.add("phase1/1.3.md", subject())
    site.add("phase1/1.4.md", task(1, 4, inputs=["Plan", "Report", "Strategic Goals"]))
    site.add("phase2/_index.md", phase(2))
    site.add("phase2/2.1.md", task(2, 1, inputs=["Plan", "Report"], outputs=["Budget"]))
    site.add("artifacts.yaml", "external:\n  - name: Strategic Goals\n")


@pytest.fixture(params=[True, False], ids=["deferred", "at-once"])
def served(request, site, tmp_path):
    fill(site)
    d = devbuild.DevBuild(site.options(search=False), tmp_path / "served", defer_indexes=request.param)
    first = d.build()
    assert first.ok and first.full
    return d


def no_linking(monkeypatch) -> None:
    """Make linking the whole playbook fail the test."""
    def refuse(*_a, **_k):
        raise AssertionError("the whole playbook was linked again")
    monkeypatch.setattr(link, "link", refuse)


def settled(site, d, tmp_path, out) -> None:
    """After the background work, the served folder and the diagnostics are a fresh build's."""
    d.render_stale()
    assert d.stale == {}
    want_files, want_diags = fresh_build(site, tmp_path / "fresh")
    assert out.diagnostics == want_diags
    assert files(d.out) == want_files


ACTIVITIES = "/activities/"
PARTIES = {p: f"/parties/{p}/" for p in ("customer", "provider", "qsmo", "shared")}

QUICK_EDITS = {
    # edit: (fields changed, pages rendered at once, index pages left stale)
    "objective": ({"objective": "Say what was found, and what it means."}, ["/1.3/", "/phase1/"], set()),
    "description": ({"description": "Writing the report."}, ["/1.3/"], set()),
    "stakeholder": ({"stakeholders": [{"text": "Chief Financial Officer", "responsibleParty": "customer"}]},
                    ["/1.3/"], set()),
    "best practice": ({"bestPractice": ["Write it plainly"]}, ["/1.3/"], set()),
    # the activity is the customer's and the QSMO's, so shared: those party pages show it
    "activity text": ({"activities": [{"text": "Gather every fact", "responsibleParty": ["customer", "qsmo"]},
                                      {"text": "Write it up", "responsibleParty": "provider", "output": "Report"}]},
                      ["/1.3/", "/phase1/"],
                      {ACTIVITIES, PARTIES["customer"], PARTIES["qsmo"], PARTIES["shared"]}),
    "workstream": ({"category": "technology"}, ["/1.3/", "/phase1/"], {"/", ACTIVITIES, *PARTIES.values()}),
    # a second lesson moves the unknown field's warning down a line; nothing linking reads moves
    "line added late": ({"bestPractice": ["Write plainly", "Keep it short"]}, ["/1.3/"], set()),
}


@pytest.mark.parametrize("edit", QUICK_EDITS)
def test_edit_linking_does_not_read_renders_few_pages_and_equals_full_build(site, served, tmp_path, monkeypatch,
                                                                          edit):
    fields, rendered, stale = QUICK_EDITS[edit]
    no_linking(monkeypatch)
    out = save(site, served, "phase1/1.3.md", subject(**fields))
    assert out.ok and not out.full
    if served.defer_indexes:
        assert out.rendered == rendered and set(served.stale) == stale and out.deferred == len(stale)
    else:
        assert out.rendered[:len(rendered)] == rendered and set(out.rendered[len(rendered):]) == stale
        assert served.stale == {} and out.deferred == 0
    monkeypatch.undo()
    settled(site, served, tmp_path, out)


def test_moved_warning_line_is_reported_on_the_new_line(site, served, tmp_path):
    out = save(site, served, "phase1/1.3.md", subject(bestPractice=["Write plainly", "Keep it short"]))
    lines = [d.line for d in out.diagnostics if d.field == "colour"]
    assert lines == [int(load.load_file(site.content / "phase1/1.3.md", "x", Diagnostics()).line("colour"))]
    settled(site, served, tmp_path, out)


SWAPPED_EDITS = {
    "name": {"name": "Write the final report"},
    # a third activity pushes the inputs and outputs (and their diagnostics) down a line
    "line added early": {"activities": [{"text": "Gather the facts", "responsibleParty": ["customer", "qsmo"]},
                                        {"text": "Write it up", "responsibleParty": "provider", "output": "Report"},
                                        {"text": "Send it", "responsibleParty": "customer"}]},
    "activity with output dropped": {"activities": [{"text": "Gather the facts",
                                                     "responsibleParty": ["customer", "qsmo"]}],
                                     "inputs": ["Plan", "Mystery file"]},
    "name and a line": {"name": "Write the final report", "related": ["guide"], "description": "Two\nlines."},
}


@pytest.mark.parametrize("edit", SWAPPED_EDITS)
def test_edit_of_name_or_lines_is_swapped_in_without_linking_and_equals_full_build(site, served, tmp_path,
                                                                                   monkeypatch, edit):
    fields = SWAPPED_EDITS[edit]
    before = save(site, served, "phase1/1.3.md", subject())
    if "inputs" in fields:  # not a swap: the report is no longer produced here
        out = save(site, served, "phase1/1.3.md", subject(**fields))
        assert out.ok and before.ok
        settled(site, served, tmp_path, out)
        return
    no_linking(monkeypatch)
    out = save(site, served, "phase1/1.3.md", subject(**fields))
    assert out.ok and not out.full
    if served.defer_indexes:  # the task and its phase at once; the pages that name it next
        assert out.rendered == ["/1.3/", "/phase1/"][: len(out.rendered)] and out.deferred == len(served.stale)
    monkeypatch.undo()
    settled(site, served, tmp_path, out)


INPUT_EDITS = {
    "input made earlier": {"inputs": ["Plan", "Report", "Mystery file", "Business Case"]},
    "input made later, and one gone": {"inputs": ["Budget", "Report", "Mystery file"]},
    "new unmatched input": {"inputs": ["Plan", "Report", "Mystery file", "Unknown sheet"]},
    "inputs and a line above them": {"description": "Two\nlines.", "inputs": ["Report", "Plan"]},
}


@pytest.mark.parametrize("edit", INPUT_EDITS)
def test_edit_of_inputs_links_them_by_themselves_and_equals_full_build(site, served, tmp_path, monkeypatch, edit):
    save(site, served, "phase1/1.3.md", subject())
    no_linking(monkeypatch)
    out = save(site, served, "phase1/1.3.md", subject(**INPUT_EDITS[edit]))
    assert out.ok and not out.full
    if served.defer_indexes:  # the task and its phase at once; its producers' pages and the indexes next
        assert out.rendered == ["/1.3/", "/phase1/"][: len(out.rendered)] and out.deferred == len(served.stale)
        assert "/artifacts/" in served.stale
    monkeypatch.undo()
    settled(site, served, tmp_path, out)


REPORT = {"text": "Report", "filename": "report.docx"}
WRITE_UP = {"text": "Write it up", "responsibleParty": "provider"}
GATHER = {"text": "Gather the facts", "responsibleParty": ["customer", "qsmo"]}
OUTPUT_EDITS = {
    "a new artifact": {"outputs": [REPORT, "Findings"]},
    # 1.2 makes the plan and 1.4 and 2.1 take it: from 1.3 now
    "one that earlier and later tasks share": {"outputs": [REPORT, "Plan"]},
    "an activity's output joins a later one": {"activities": [GATHER, {**WRITE_UP, "output": "Budget"}]},
    "one an unmatched input names": {"outputs": [REPORT, "Mystery file"]},
    "another template": {"outputs": [{**REPORT, "filename": "report-v2.docx"}]},
    "the last producer of its artifact": {"outputs": [], "activities": [GATHER, WRITE_UP]},
    "inputs too": {"outputs": [REPORT, "Budget"], "inputs": ["Plan", "Business Case"]},
    "and a line above them": {"description": "Two\nlines.", "outputs": ["Plan", REPORT]},
    "renamed too": {"name": "Write the final report", "outputs": [REPORT, "Findings"]},
}


@pytest.mark.parametrize("edit", OUTPUT_EDITS)
def test_edit_of_outputs_links_them_by_themselves_and_equals_full_build(site, served, tmp_path, monkeypatch, edit):
    no_linking(monkeypatch)
    out = save(site, served, "phase1/1.3.md", subject(**OUTPUT_EDITS[edit]))
    assert out.ok and not out.full
    if served.defer_indexes:  # the task and its phase at once; the pages whose cross-links changed next
        assert out.rendered == ["/1.3/", "/phase1/"] and out.deferred == len(served.stale)
        assert "/artifacts/" in served.stale
    monkeypatch.undo()
    settled(site, served, tmp_path, out)


def test_output_edits_in_turn_equal_full_builds(site, served, tmp_path, monkeypatch):
    for n, fields in enumerate([*OUTPUT_EDITS.values(), {}]):
        no_linking(monkeypatch)
        out = save(site, served, "phase1/1.3.md", subject(**fields))
        monkeypatch.undo()
        assert out.ok and not out.full
        settled(site, served, tmp_path / str(n), out)


CLASH = "artifacts:\n  - name: RAID Log\n  - name: Risks, Actions, Issues, and Decisions Log\n"
BOTH = "Risks, Actions, Issues, and Decisions (RAID) Log"
"""An output name with a key of each of :data:`CLASH`'s entries."""


def test_output_naming_two_registry_entries_links_the_whole_playbook_and_equals_full_build(site, served, tmp_path,
                                                                                          monkeypatch):
    save(site, served, "artifacts.yaml", CLASH)
    linked = []
    real = link.link
    monkeypatch.setattr(link, "link", lambda *a, **k: linked.append(1) or real(*a, **k))
    out = save(site, served, "phase1/1.3.md", subject(outputs=[REPORT, BOTH]))
    assert out.ok and linked == [1]
    assert "matches two registry entries" in " ".join(d.message for d in out.diagnostics)
    monkeypatch.undo()
    settled(site, served, tmp_path, out)


def test_input_edit_moves_the_warning_on_an_output_naming_two_registry_entries(site, served, tmp_path, monkeypatch):
    save(site, served, "artifacts.yaml", CLASH)
    save(site, served, "phase1/1.3.md", subject(outputs=[REPORT, BOTH]))
    no_linking(monkeypatch)  # an input more: the outputs and the warning on one of them move a line down
    out = save(site, served, "phase1/1.3.md", subject(outputs=[REPORT, BOTH],
                                                      inputs=["Plan", "Report", "Mystery file", "Budget"]))
    assert out.ok and not out.full
    monkeypatch.undo()
    settled(site, served, tmp_path, out)


def test_output_edit_failing_a_strict_build_keeps_the_site_and_the_next_is_linked_by_itself(site, tmp_path,
                                                                                          monkeypatch):
    site.add("artifacts.yaml", "external:\n  - name: Strategic Goals\n")
    site.add("phase1/1.1.md", task(1, 1, inputs=["Strategic Goals"], outputs=["Plan"]))
    site.add("phase1/1.2.md", task(1, 2, inputs=["Plan"], outputs=["Budget"]))
    site.add("phase1/1.3.md", task(1, 3, inputs=["Budget", "Plan"]))
    d = devbuild.DevBuild(site.options(search=False, strict=True), tmp_path / "served")
    assert d.build().ok
    before = files(d.out)
    no_linking(monkeypatch)
    bad = save(site, d, "phase1/1.2.md", task(1, 2, inputs=["Plan"], outputs=["Budget", "Strategic Goals"]))
    assert not bad.ok and files(d.out) == before
    assert [x.message for x in bad.diagnostics if x.severity == "warning"] == \
        ["'Strategic Goals' is declared external, but 1.2 outputs it"]
    good = save(site, d, "phase1/1.2.md", task(1, 2, inputs=["Plan"], outputs=["Budget", "Plan"]))
    assert good.ok and not good.full
    monkeypatch.undo()
    d.render_stale()
    want = devbuild.DevBuild(site.options(search=False, strict=True), tmp_path / "fresh")
    assert good.diagnostics == want.build().diagnostics
    assert files(d.out) == files(tmp_path / "fresh")


RELINKED_EDITS = {
    "input renamed": {"inputs": ["Plan", "Report", "Business Case"]},
    "related page dropped": {"related": []},
    "renamed and an input": {"name": "Write the final report", "inputs": ["Plan", "Report"]},
}


@pytest.mark.parametrize("edit", RELINKED_EDITS)
def test_edit_linking_reads_equals_full_build(site, served, tmp_path, edit):
    out = save(site, served, "phase1/1.3.md", subject(**RELINKED_EDITS[edit]))
    assert out.ok and not out.full
    settled(site, served, tmp_path, out)


OTHER_EDITS = {
    # no other task's cross-links name 1.4 through this artifact: only its page's list of users shows it
    "renamed, on an outside input's page": ("phase1/1.4.md", task(1, 4, name="Check the plan",
                                                                  inputs=["Plan", "Report", "Strategic Goals"])),
    "outside input dropped": ("phase1/1.4.md", task(1, 4, inputs=["Plan", "Report"])),
    # 1.4 comes before 2.1 and shares no artifact with it: only its pager shows the new name
    "renamed, first of its phase": ("phase2/2.1.md", task(2, 1, name="Spend the budget", inputs=["Plan", "Report"],
                                                          outputs=["Budget"])),
}


@pytest.mark.parametrize("edit", OTHER_EDITS)
def test_edit_shows_where_no_cross_link_names_the_task(site, served, tmp_path, edit):
    out = save(site, served, *OTHER_EDITS[edit])
    assert out.ok and not out.full
    settled(site, served, tmp_path, out)


def test_new_permalink_renders_everything_and_equals_full_build(site, served, tmp_path):
    out = save(site, served, "phase1/1.3.md", subject(permalink="/report/"))
    assert out.ok and out.full
    assert not (served.out / "1.3" / "index.html").exists()
    settled(site, served, tmp_path, out)


def test_artifact_that_comes_and_goes_has_its_page_made_and_deleted_and_equals_full_build(site, served, tmp_path,
                                                                                         monkeypatch):
    # another phase lists the artifact among its documents: linked to its page while there is one
    save(site, served, "phase2/_index.md", phase(2, documentation=[{"name": "Findings"}]))
    findings = served.out / "artifacts" / "findings" / "index.html"
    no_linking(monkeypatch)
    out = save(site, served, "phase1/1.3.md", subject(outputs=[{"text": "Findings", "filename": "report.docx"}]))
    assert out.ok and not out.full
    monkeypatch.undo()
    settled(site, served, tmp_path, out)
    assert findings.is_file() and b'href="/artifacts/findings/"' in (served.out / "phase2" / "index.html").read_bytes()
    no_linking(monkeypatch)
    out = save(site, served, "phase1/1.3.md", subject())
    assert out.ok and not out.full
    monkeypatch.undo()
    settled(site, served, tmp_path / "again", out)
    assert not findings.parent.exists()


@pytest.mark.parametrize("broken", [
    {"responsibleParty": "qsm0"},  # checking the file fails; nothing linking reads changed
    {"outputs": [{"filename": "report.docx"}]},  # checking fails, and the outputs changed
    {"related": ["nopage"]},  # linking fails
], ids=["party", "output", "related"])
def test_error_then_fix_reports_like_a_full_build_and_recovers(site, served, tmp_path, broken):
    before = files(served.out)
    bad = save(site, served, "phase1/1.3.md", subject(**broken))
    want = devbuild.DevBuild(site.options(search=False), tmp_path / "fresh-bad").build()
    assert not bad.ok and not want.ok and bad.rendered == []
    assert bad.diagnostics == want.diagnostics
    assert files(served.out) == before
    good = save(site, served, "phase1/1.3.md", subject(objective="Fixed."))
    assert good.ok and not good.full
    settled(site, served, tmp_path, good)


def test_two_neighbours_saved_together(site, served, tmp_path, monkeypatch):
    no_linking(monkeypatch)
    a = site.add("phase1/1.2.md", task(1, 2, inputs=["Business Case"], outputs=["Plan"], bestPractice=["New"]))
    b = site.add("phase1/1.3.md", subject(bestPractice=["Also new"]))
    out = served.update([a, b])
    assert out.ok and out.rendered[:2] == ["/1.2/", "/1.3/"]
    monkeypatch.undo()
    settled(site, served, tmp_path, out)


def test_quick_edit_while_index_pages_are_stale_renders_them_from_the_latest_site(site, tmp_path, monkeypatch):
    fill(site)
    d = devbuild.DevBuild(site.options(search=False), tmp_path / "served", defer_indexes=True)
    assert d.build().ok
    # 2.1 stops using the report: the report's artifact page and the artifact index go stale ...
    first = save(site, d, "phase2/2.1.md", task(2, 1, inputs=["Plan"], outputs=["Budget"]))
    assert "/artifacts/report/" in d.stale and "/artifacts/" in d.stale
    # ... and are made after 1.3, which creates the report and uses it, changed in place
    no_linking(monkeypatch)
    out = save(site, d, "phase1/1.3.md", subject(objective="Later.", activities=[
        {"text": "Gather the facts", "responsibleParty": ["provider", "qsmo"]},
        {"text": "Write it up", "responsibleParty": "provider", "output": "Report"}]))
    assert out.ok and first.ok
    assert {"/artifacts/report/", "/artifacts/", "/artifacts/tracker.csv", ACTIVITIES} <= set(d.stale)
    monkeypatch.undo()
    settled(site, d, tmp_path, out)


def test_corpus_edits_equal_full_build(corpus, tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(corpus, content)
    options = pipeline.Options(content=content, search=False)
    d = devbuild.DevBuild(options, tmp_path / "served", defer_indexes=True)
    assert d.build().ok
    target = content / "keyTask" / "1.6.md"
    text = target.read_text(encoding="utf-8")

    def check(out, name):
        d.render_stale()
        again = devbuild.DevBuild(options, tmp_path / name)
        want = again.build()
        assert out.diagnostics == want.diagnostics
        assert files(d.out) == files(tmp_path / name)

    no_linking(monkeypatch)
    target.write_text(text.replace("objective: ", "objective: (edited) ", 1), encoding="utf-8")
    out = d.update([target])
    assert out.ok and out.rendered == ["/1.6/", "/m3phase1/"] and d.stale == {}
    monkeypatch.undo()
    check(out, "fresh1")
    no_linking(monkeypatch)
    # renamed: its phase files' lists and the pages that name it change; nothing is linked again
    renamed = text.replace("name: Define Target", "name: Set Target", 1)
    target.write_text(renamed, encoding="utf-8")
    out = d.update([target])
    assert out.ok and not out.full and out.rendered == ["/1.6/", "/m3phase1/"]
    assert {"/1.5/", "/1.7/"} <= set(d.stale)
    monkeypatch.undo()
    check(out, "fresh2")
    # an activity added above the inputs moves their lines, and the warnings about them
    no_linking(monkeypatch)
    added = renamed.replace("\ninputs:", "\n  - text: Agree the metrics\n    responsibleParty: customer\ninputs:", 1)
    target.write_text(added, encoding="utf-8")
    out = d.update([target])
    assert out.ok and not out.full and out.rendered == ["/1.6/", "/m3phase1/"]
    monkeypatch.undo()
    check(out, "fresh3")
    assert [d.line for d in out.diagnostics if d.path.endswith("1.6.md") and d.field == "inputs[0]"] == \
        [added.splitlines().index("inputs:") + 2]
    # an output that 0.2 makes and later tasks take: they take it from 1.6 now; nothing is linked again
    no_linking(monkeypatch)
    target.write_text(added.replace("\noutputs:\n", "\noutputs:\n  - Project Business Case\n", 1), encoding="utf-8")
    out = d.update([target])
    assert out.ok and not out.full and out.rendered == ["/1.6/", "/m3phase1/"]
    assert {"/1.7/", "/1.14/", "/artifacts/project-business-case/"} <= set(d.stale)
    monkeypatch.undo()
    check(out, "fresh4")


# --- replace_tasks: the site link() would make ----------------------------------------------------

def _linked(site) -> tuple:
    """(linked site, documents by path, what linking alone reported)."""
    docs = load.load_tree(site.content, Diagnostics())
    pb = validate.build_playbook(docs, Diagnostics())
    diags = Diagnostics()
    return link.link(pb, diags), {d.path: d for d in docs}, diags.sorted()


def _reachable_tasks(value, out: list) -> None:
    """Every key task object inside a cross-link record (artifact records are not entered)."""
    if isinstance(value, link.KeyTask):
        out.append(value)
    elif isinstance(value, (tuple, list)):
        for v in value:
            _reachable_tasks(v, out)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            if name not in ("artifact", "ref"):
                _reachable_tasks(getattr(value, name), out)


@pytest.mark.parametrize("fields", [
    {"objective": "Changed.", "bestPractice": ["Changed too"]},
    {"name": "Write the final report"},
    {"description": "Two\nlines more\nthan before.", "name": "Write the final report"},
], ids=["objective", "name", "lines and name"])
def test_replace_tasks_gives_the_site_link_gives(site, fields):
    fill(site)
    # phase 1 lists 1.3 by name, and phase 2 lists it too (a task of another phase, with a hint)
    site.add("phase1/_index.md", phase(1, activities={"process": [{"name": "Write the report"}]}))
    site.add("phase2/_index.md", phase(2, activities={"process": [{"name": "Write the report"}]}))
    old, _, old_diags = _linked(site)
    site.add("phase1/1.3.md", subject(**fields))
    new, docs, new_diags = _linked(site)
    edited = next(t for t in new.playbook.tasks if t.id == "1.3")
    swap = link.replace_tasks(old, [edited], docs)
    assert swap is not None
    got = swap.site
    # the diagnostics linking gives: the old ones, moved with the lines, and the phase lists' again
    moved = swap.lines.get(edited.path, {})
    want = Counter(replace(d, line=moved.get(d.line, d.line)) if d.path == edited.path else d for d in old_diags)
    want.subtract(swap.dropped)
    want.update(swap.added)
    assert +want == Counter(new_diags)
    if "name" in fields:
        assert swap.dropped != swap.added  # the phase file lists 1.3 by its old name
    assert got.playbook == new.playbook and got.playbook.sources[edited.path] is docs[edited.path]
    assert got.tasks_by_phase == new.tasks_by_phase and got.prev == new.prev and got.next == new.next
    assert got.phase_listing == new.phase_listing
    assert got.artifacts.tasks == new.artifacts.tasks
    for t in new.playbook.tasks:
        assert appearances.same_cross_links(got.artifacts.links[t.id], new.artifacts.links[t.id])
        for side in ("inputs", "outputs"):  # the references too, at their lines
            a, b = getattr(got.artifacts.links[t.id], side), getattr(new.artifacts.links[t.id], side)
            assert [x.ref for x in a] == [y.ref for y in b]
    # the old 1.3 is gone from every place that held it: identity checks in the views stay true
    canonical = {t.id: t for t in got.playbook.tasks}
    held = [*got.prev.values(), *got.next.values(), *got.artifacts.tasks,
            *(t for ts in got.tasks_by_phase.values() for t in ts)]
    for links in got.artifacts.links.values():
        _reachable_tasks(links, held)
    assert held and all(t is canonical[t.id] for t in held)
    own = got.artifacts.task_links(edited).inputs[1]
    assert own.status == "self" and own.producer is edited


@pytest.mark.parametrize("fields", [{"inputs": ["Plan"]}, {"related": []}, {"keyTask": 5},
                                   {"outputs": [{"text": "Report", "filename": "report-v2.docx"}]}])
def test_replace_tasks_refuses_a_change_linking_reads(site, fields):
    fill(site)
    old, _, _ = _linked(site)
    site.add("phase1/1.3.md", subject(**fields))
    new, docs, _ = _linked(site)
    edited = next(t for t in new.playbook.tasks if t.path.endswith("1.3.md"))
    assert link.replace_tasks(old, [edited], docs) is None


def test_imported_macros_read_the_new_site_after_an_edit(site, dev, tmp_path):
    """Macros a layout imports (the activities page's phase filter) show what the latest save says,
    though the compiled layouts are kept from one rebuild to the next."""
    out = save(site, dev, "phase2/_index.md", {"phase": 2, "name": "Renamed later", "objective": "Go on."})
    assert out.ok
    page = (dev.out / "activities" / "index.html").read_text()
    assert 'for="filter-phase-2">Phase 2: Renamed later</label>' in page
    assert pages(dev.out) == fresh(site, tmp_path / "fresh")
