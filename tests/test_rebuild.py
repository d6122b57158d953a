"""`playbook serve`'s rebuild: after each save and the background pass, the served folder is a fresh build's.

Every test compares every file of the served folder (pages, generated files and
assets) with a first build of the content as it is now, and the diagnostics with
a fresh `pipeline.check`.
"""
from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from playbook import pipeline
from playbook.serve import rebuild

from conftest import overridden, phase, task


def files(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def fresh(site, tmp: Path, **kw) -> tuple[dict[str, bytes], list]:
    """Every file a first serve build of the content as it is now writes, and its diagnostics."""
    out = rebuild.DevBuild(site.options(search=False, **kw), tmp).build()
    return files(tmp), out.diagnostics


def settled(site, d: rebuild.DevBuild, tmp: Path, out: rebuild.Outcome, **kw) -> None:
    """After the background pass, the served folder and the diagnostics are a fresh build's and a fresh check's."""
    d.render_stale()
    assert d.stale == {}
    want_files, want_diags = fresh(site, tmp, **kw)
    assert out.diagnostics == want_diags == site.check(**kw).diagnostics.sorted()
    got = files(d.out)
    assert got.keys() == want_files.keys()
    assert [k for k in got if got[k] != want_files[k]] == []


def save(site, d, rel, data, body: str = "") -> rebuild.Outcome:
    return d.update([site.add(rel, data, body)])


# --- a small site with several phases, artifacts, a registry, a glossary and a page -----------------

REPORT = {"text": "Report", "filename": "report.docx"}
GATHER = {"text": "Gather the facts", "responsibleParty": ["customer", "qsmo"]}
WRITE_UP = {"text": "Write it up", "responsibleParty": "provider", "output": "Report"}
BODY = "## Notes\n\nWrite for the program office.\n"


def subject(**over) -> dict:
    """Key task 1.3 with something of every field: parties, activities with an output and a template, a
    group of activities, inputs that link (one it also outputs, one external, one that links to nothing),
    outputs, stakeholders, lessons, a related page and an unknown field (a warning with a line).
    Keyword arguments replace fields in place, so the order of the lines stays (None removes one)."""
    d = {"phase": 1, "keyTask": 3, "name": "Write the report", "objective": "Say what was found.",
         "description": "The report task.", "responsibleParty": "customer", "category": "process",
         "related": ["guide"], "activitiesText": "In this order:",
         "activities": [GATHER, WRITE_UP],
         "activitiesGroups": [{"group": "Review", "activities": [
             {"text": "Check the figures", "responsibleParty": "qsmo", "output": "Review notes",
              "template": "review.xlsx"}]}],
         "inputs": ["Plan", "Report", "Strategic Goals", "Mystery file"],
         "outputs": [REPORT],
         "stakeholders": [{"text": "Program Manager", "responsibleParty": "customer"}],
         "bestPractice": ["Write plainly"],
         "colour": "blue"}
    return overridden(d, over)


def fill(site) -> None:
    site.add("guide.md", {"title": "Guide"}, "How to use the playbook.\n")
    site.add("glossary.md", {"layout": "glossary", "sections": [{"name": "Roles", "terms": [
        {"name": "Program Manager", "description": "Runs the program."}]}]})
    site.add("phase1/_index.md", phase(1, activities={"process": [{"name": "Write the report"}]}))
    site.add("phase1/1.1.md", task(1, 1, outputs=["Business Case"],
                                   activities=[{"text": "Draft it", "responsibleParty": "customer"},
                                               {"text": "Check it", "responsibleParty": "provider"}]))
    site.add("phase1/1.2.md", task(1, 2, inputs=["Business Case"], outputs=["Plan"]))
    site.add("phase1/1.3.md", subject(), BODY)
    site.add("phase1/1.4.md", task(1, 4, inputs=["Plan", "Report", "Strategic Goals"]))
    site.add("phase2/_index.md", phase(2, documentation=[{"name": "Findings"}]))
    site.add("phase2/2.1.md", task(2, 1, inputs=["Plan", "Report"], outputs=["Budget"]))
    site.add("phase3/_index.md", phase(3))
    site.add("phase3/3.1.md", task(3, 1, inputs=["Budget", "Review notes"]))
    site.add("artifacts.yaml", "external:\n  - name: Strategic Goals\n")


@pytest.fixture
def served(site, tmp_path) -> rebuild.DevBuild:
    fill(site)
    d = rebuild.DevBuild(site.options(search=False), tmp_path / "served")
    first = d.build()
    assert first.ok and first.full and d.stale == {}, [x.format() for x in first.diagnostics]
    assert any(x.field == "colour" for x in first.diagnostics)  # a warning with a line, to follow
    return d


# every field of a key task, edited in turn: (label, fields replaced, body)
EDITS = [
    ("name", {"name": "Write the final report"}, BODY),
    ("objective", {"objective": "Say what was found, and what it means."}, BODY),
    ("responsible party", {"responsibleParty": "provider"}, BODY),
    ("category", {"category": "technology"}, BODY),
    ("activity text", {"activities": [{**GATHER, "text": "Gather every fact"}, WRITE_UP]}, BODY),
    ("activity party", {"activities": [{**GATHER, "responsibleParty": "provider"}, WRITE_UP]}, BODY),
    ("activity output", {"activities": [GATHER, {**WRITE_UP, "output": "Findings"}]}, BODY),
    ("activity template", {"activities": [GATHER, {**WRITE_UP, "template": "write-up.docx"}]}, BODY),
    ("activity added", {"activities": [GATHER, WRITE_UP, {"text": "Send it", "responsibleParty": "shared"}]},
     BODY),
    ("activities groups", {"activitiesGroups": [{"group": "Review again", "activities": [
        {"text": "Check the totals", "responsibleParty": "provider", "output": "Budget"}]}]}, BODY),
    ("activities text", {"activitiesText": "In any order:"}, BODY),
    ("input made earlier", {"inputs": ["Plan", "Report", "Strategic Goals", "Mystery file", "Business Case"]},
     BODY),
    ("input made later, one gone", {"inputs": ["Budget", "Report", "Strategic Goals"]}, BODY),
    ("output new", {"outputs": [REPORT, "Findings"]}, BODY),
    ("output others make and take", {"outputs": [REPORT, "Plan"]}, BODY),
    ("output template", {"outputs": [{**REPORT, "filename": "report-v2.docx"}]}, BODY),
    ("last producer of an artifact gone", {"outputs": [], "activities": [GATHER]}, BODY),
    ("stakeholders", {"stakeholders": [{"text": "Chief Financial Officer", "responsibleParty": "customer"}]},
     BODY),
    ("best practice", {"bestPractice": ["Write plainly", "Keep it short"]}, BODY),
    ("description", {"description": "Two\nlines."}, BODY),
    ("related", {"related": []}, BODY),
    ("permalink", {"permalink": "/report/"}, BODY),
    ("key task number", {"keyTask": 5}, BODY),
    ("body", {}, BODY + "\nAnd keep a copy.\n"),
    ("back as it was", {}, BODY),
]


def test_each_field_edited_in_turn_serves_a_fresh_build(site, served, tmp_path):
    for n, (label, fields, body) in enumerate(EDITS):
        out = save(site, served, "phase1/1.3.md", subject(**fields), body)
        assert out.ok and not out.full, label
        # the task's page and its phase page at once; the rest in the background
        page = fields.get("permalink") or f"/1.{fields.get('keyTask', 3)}/"
        assert out.rendered == [page, "/phase1/"], label
        assert out.deferred == len(served.stale) > 0, label
        settled(site, served, tmp_path / f"fresh{n}", out)


def test_edits_one_after_another_before_the_background_pass(site, served, tmp_path):
    """A newer save replaces the stale set with its own site's."""
    for label, fields, body in EDITS:
        out = save(site, served, "phase1/1.3.md", subject(**fields), body)
        assert out.ok, label
        served.render_stale("activities/index.html")  # a browser asks for a page now and then
    settled(site, served, tmp_path / "fresh", out)


def test_artifact_page_made_and_removed(site, served, tmp_path):
    findings = served.out / "artifacts" / "findings" / "index.html"
    assert not findings.exists()
    out = save(site, served, "phase1/1.3.md", subject(outputs=[REPORT, "Findings"]), BODY)
    settled(site, served, tmp_path / "made", out)
    assert findings.is_file() and b'href="/artifacts/findings/"' in (served.out / "phase2" / "index.html").read_bytes()
    out = save(site, served, "phase1/1.3.md", subject(), BODY)
    assert not findings.exists(), "gone as soon as the site without it is linked"
    settled(site, served, tmp_path / "removed", out)
    assert not findings.parent.exists()


def test_stale_page_asked_for_is_made_first(site, served, tmp_path):
    out = save(site, served, "phase1/1.3.md", subject(activities=[{**GATHER, "text": "Gather every fact"}, WRITE_UP]),
               BODY)
    page = served.out / "activities" / "index.html"
    assert "activities/index.html" in served.stale and b"Gather every fact" not in page.read_bytes()
    assert served.render_stale("activities/index.html") == 1
    assert "activities/index.html" not in served.stale and b"Gather every fact" in page.read_bytes()
    # the generated files are made together, whichever of them is asked for
    assert served.render_stale("artifacts/tracker.csv") == 6
    assert served.render_stale("artifacts/flow.svg") == 0
    settled(site, served, tmp_path / "fresh", out)


def test_page_asked_for_during_the_background_pass_is_fresh(site, served, tmp_path):
    out = save(site, served, "phase1/1.3.md", subject(name="Write the final report"), BODY)
    last = list(served.stale)[-1]  # the generated files, or the page made last
    background = threading.Thread(target=served.render_stale)
    background.start()
    served.render_stale("404.html")
    served.render_stale(last)
    asked = {rel: (served.out / rel).read_bytes() for rel in ("404.html", last)}
    background.join()
    want, _ = fresh(site, tmp_path / "fresh")
    assert asked == {rel: want[rel] for rel in asked}
    settled(site, served, tmp_path / "fresh2", out)


@pytest.mark.parametrize("broken, message", [
    ({"responsibleParty": "qsm0"}, "phase1/1.3.md:7: responsibleParty: unknown party 'qsm0'; did you mean 'qsmo'?"),
    ({"related": ["nopage"]}, "phase1/1.3.md:10: related[0]: no page 'nopage'; "
                              "name the file stem of a page in the content folder"),
], ids=["checking", "linking"])
def test_broken_save_keeps_the_last_good_site_then_recovers(site, served, tmp_path, broken, message):
    before = files(served.out)
    bad = save(site, served, "phase1/1.3.md", subject(**broken), BODY)
    assert not bad.ok and bad.rendered == [] and bad.deferred == 0
    assert bad.diagnostics == site.check().diagnostics.sorted()
    errors = [d.format().replace(site.content.as_posix() + "/", "") for d in bad.diagnostics if d.severity == "error"]
    assert errors == [message]
    assert files(served.out) == before
    # another file saved while the first is broken: nothing is written either
    assert not save(site, served, "phase1/1.1.md", task(1, 1, outputs=["Business Case"], objective="New.")).ok
    assert files(served.out) == before
    good = save(site, served, "phase1/1.3.md", subject(objective="Fixed."), BODY)
    assert good.ok and good.rendered == ["/1.1/", "/phase1/", "/1.3/"]  # both saved files' pages first
    settled(site, served, tmp_path / "fresh", good)


def test_strict_warning_keeps_the_last_good_site(site, tmp_path):
    site.add("artifacts.yaml", "external:\n  - name: Strategic Goals\n")
    site.add("phase1/1.1.md", task(1, 1, inputs=["Strategic Goals"], outputs=["Plan"]))
    site.add("phase1/1.2.md", task(1, 2, inputs=["Plan"]))
    d = rebuild.DevBuild(site.options(search=False, strict=True), tmp_path / "served")
    assert d.build().ok
    before = files(d.out)
    bad = save(site, d, "phase1/1.2.md", task(1, 2, inputs=["Plan"], outputs=["Strategic Goals"]))
    assert not bad.ok and files(d.out) == before
    assert [x.message for x in bad.diagnostics if x.severity == "warning"] == \
        ["'Strategic Goals' is declared external, but 1.2 outputs it"]
    good = save(site, d, "phase1/1.2.md", task(1, 2, inputs=["Plan"], outputs=["Budget"]))
    assert good.ok
    settled(site, d, tmp_path / "fresh", good, strict=True)


def test_new_and_deleted_files(site, served, tmp_path):
    out = save(site, served, "phase2/2.2.md", task(2, 2, inputs=["Budget"]))
    assert out.ok and out.rendered == ["/2.2/", "/phase2/"]
    settled(site, served, tmp_path / "added", out)
    (site.content / "phase1" / "1.4.md").unlink()
    gone = served.update([site.content / "phase1" / "1.4.md"])
    assert gone.ok and gone.rendered == []
    assert not (served.out / "1.4").exists(), "its page is removed at once"
    settled(site, served, tmp_path / "deleted", gone)
    shutil.rmtree(site.content / "phase3")  # a folder: the watcher reports the files in it
    out = served.update([site.content / "phase3" / "_index.md", site.content / "phase3" / "3.1.md"])
    assert out.ok and not (served.out / "phase3").exists() and not (served.out / "3.1").exists()
    settled(site, served, tmp_path / "folder", out)


def test_a_new_page_answers_a_link_in_an_unchanged_file(site, tmp_path):
    """What an unchanged file's links say is kept between saves only while the playbook has the same pages:
    with a host site, a link to no page goes there, until a new page answers it."""
    fill(site)
    (site.root / "playbook.toml").write_text('host_url = "https://agency.gov"\n', encoding="utf-8")
    site.add("phase2/2.3.md", task(2, 3, objective="See [the next task](/2.4/)."))
    d = rebuild.DevBuild(site.options(search=False), tmp_path / "served")
    first = d.build()
    assert first.ok and 'href="https://agency.gov/2.4/"' in (d.out / "2.3" / "index.html").read_text()
    out = save(site, d, "phase2/2.4.md", task(2, 4))
    assert out.ok and out.rendered == ["/2.4/", "/phase2/"]
    settled(site, d, tmp_path / "after", out)
    assert 'href="/2.4/"' in (d.out / "2.3" / "index.html").read_text()


def test_unreadable_file_then_fixed(site, served, tmp_path):
    bad = save(site, served, "phase1/1.4.md", "---\nphase: [1\n---\n")
    assert not bad.ok and bad.diagnostics == site.check().diagnostics.sorted()
    good = save(site, served, "phase1/1.4.md", task(1, 4, inputs=["Plan"]))
    assert good.ok and good.rendered == ["/1.4/", "/phase1/"]
    settled(site, served, tmp_path / "fresh", good)


OTHER_FILES = [
    # (file, new content, body, pages rendered at once)
    ("phase2/_index.md", phase(2, name="Renamed later", documentation=[{"name": "Findings"}]), "", ["/phase2/"]),
    ("phase1/_index.md", phase(1, activities={"process": [{"name": "Write the reprot"}]}), "", ["/phase1/"]),
    ("glossary.md", {"layout": "glossary", "sections": [{"name": "Roles", "terms": [
        {"name": "Program Manager", "description": "Runs the whole program."},
        {"name": "Chief Financial Officer", "description": "Holds the budget."}]}]}, "", ["/glossary/"]),
    ("guide.md", {"title": "The guide"}, "How to use the playbook, again.\n", ["/guide/"]),
    ("resources.md", {"layout": "resources", "title": "Resources", "sections": [
        {"name": "Elsewhere", "description": "Sites to read first.",
         "items": [{"name": "The agency's site", "url": "https://agency.example.gov/"}]}]}, "", ["/resources/"]),
    ("artifacts.yaml", "artifacts:\n  - name: Report\n    aliases: [Final report]\n"
                       "external:\n  - name: Strategic Goals\n  - name: Mystery file\n", "", []),
]


@pytest.mark.parametrize("rel, data, body, first", OTHER_FILES, ids=[f[0] for f in OTHER_FILES])
def test_other_files_edited(site, served, tmp_path, rel, data, body, first):
    out = save(site, served, rel, data, body)
    assert out.ok and out.rendered == first
    settled(site, served, tmp_path / "fresh", out)


def test_layout_edited(site, tmp_path):
    fill(site)
    layouts = tmp_path / "layouts"
    shutil.copytree(pipeline.PROJECT / "layouts", layouts)
    d = rebuild.DevBuild(site.options(search=False, layouts=layouts), tmp_path / "served")
    assert d.build().ok
    task_html = layouts / "task.html"
    text = task_html.read_text()
    assert "</article>" in text
    task_html.write_text(text.replace("</article>", "<p>Edited layout</p></article>", 1))
    out = d.update([])
    assert out.ok and out.rendered == [] and "1.3/index.html" in d.stale
    settled(site, d, tmp_path / "fresh", out, layouts=layouts)
    assert b"<p>Edited layout</p>" in (d.out / "1.3" / "index.html").read_bytes()


def test_imported_macros_read_the_new_site_after_an_edit(site, served, tmp_path):
    """Macros a layout imports (the activities page's phase filter) show what the latest save says,
    though the compiled layouts are kept from one rebuild to the next."""
    out = save(site, served, "phase2/_index.md", phase(2, name="Renamed later"))
    assert out.ok
    served.render_stale()
    page = (served.out / "activities" / "index.html").read_text()
    assert 'for="filter-phase-2">Phase 2: Renamed later</label>' in page
    settled(site, served, tmp_path / "fresh", out)


def test_published_files_follow_what_content_links(site, served):
    """A file content links is served once it exists and gone once deleted, each after a rebuild that also
    updates the missing-file warning; a linked file edited in place is copied at once; a file no page links
    is never served."""
    task_file = site.content / "phase1" / "1.1.md"
    site.add("phase1/1.1.md", task(1, 1, outputs=[{"text": "Review", "filename": "checklist.xlsx"}]))
    out = served.update([task_file])
    line = task_file.read_text(encoding="utf-8").splitlines().index("  filename: checklist.xlsx") + 1
    missing = [d.format() for d in out.diagnostics if "checklist.xlsx" in d.message]
    assert missing == [f"{task_file}:{line}: warning: outputs[0].filename: missing file 'checklist.xlsx'; add it "
                       f"to {site.content}/assets/files/ to publish it"]
    files_dir = site.content / "assets" / "files"
    added = site.add("assets/files/checklist.xlsx", b"sheet")
    assert not served.copy_file(added)  # it came: a rebuild publishes it
    out = served.update([])
    assert out.ok and not [d for d in out.diagnostics if "checklist.xlsx" in d.message]
    assert (served.out / "assets" / "files" / "checklist.xlsx").read_bytes() == b"sheet"
    added.write_bytes(b"sheet, edited")
    assert served.copy_file(added)
    assert (served.out / "assets" / "files" / "checklist.xlsx").read_bytes() == b"sheet, edited"
    unlinked = site.add("assets/files/notes.xlsx", b"notes")
    assert not served.copy_file(unlinked)
    served.update([])
    assert not (served.out / "assets" / "files" / "notes.xlsx").exists(), "a build does not publish it"
    (files_dir / "checklist.xlsx").unlink()
    assert not served.copy_file(files_dir / "checklist.xlsx")
    out = served.update([])
    assert not (served.out / "assets" / "files" / "checklist.xlsx").exists()
    assert [d.format() for d in out.diagnostics if "checklist.xlsx" in d.message] == missing
    assert not served.copy_file(task_file)


def test_corpus_edits_serve_a_fresh_build(corpus, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(corpus, content)
    options = pipeline.Options(content=content, search=False)
    d = rebuild.DevBuild(options, tmp_path / "served")
    assert d.build().ok
    target = content / "keyTask" / "1.6.md"
    text = target.read_text(encoding="utf-8")
    renamed = text.replace("name: Define Target", "name: Set Target", 1)
    added = renamed.replace("\ninputs:", "\n  - text: Agree the metrics\n    responsibleParty: customer\ninputs:", 1)
    shared = added.replace("\noutputs:\n", "\noutputs:\n  - Project Business Case\n", 1)
    for n, new in enumerate([text.replace("objective: ", "objective: (edited) ", 1), renamed, added, shared]):
        target.write_text(new, encoding="utf-8")
        out = d.update([target])
        assert out.ok and out.rendered == ["/1.6/", "/m3phase1/"]
        d.render_stale()
        again = rebuild.DevBuild(options, tmp_path / f"fresh{n}")
        assert out.diagnostics == again.build().diagnostics == pipeline.check(options).diagnostics.sorted()
        assert files(d.out) == files(tmp_path / f"fresh{n}")
