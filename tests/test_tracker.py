"""The document tracker: rows of marks, CSV text, and an XLSX that is byte-identical between builds."""
from __future__ import annotations

import csv
import io
import time
import zipfile

import openpyxl

from playbook.publish import tracker

from conftest import phase, task


def _tracker_site(site):
    site.add("phase1/1.1.md", task(1, 1, outputs=[{"text": "Charter", "filename": "Charter.docx"}]))
    site.add("phase1/1.2.md", task(1, 2, inputs=["Charter"], outputs=["=HYPERLINK(\"x\")"]))
    site.add("phase2/_index.md", phase(2))
    site.add("phase2/2.1.md", task(2, 1, inputs=["Charter", "=HYPERLINK(\"x\")"], outputs=["Charter"]))
    site.add("phase2/2.2.md", task(2, 2, inputs=["Charter"]))
    res = site.build(search=False)
    assert res.ok(), [d.format() for d in res.diagnostics.sorted()]
    return site.out / "artifacts"


def test_csv_has_one_row_per_artifact_and_marks_per_phase(site):
    out = _tracker_site(site)
    rows = list(csv.reader(io.StringIO((out / "tracker.csv").read_bytes().decode("utf-8"), newline="")))
    assert rows == [
        ["Artifact", "Kind", "Phase 1: Phase name 1", "Phase 2: Phase name 2", "Template"],
        ["Charter", "Produced", "Created 1.1; Used 1.2", "Updated 2.1; Used 2.1, 2.2", "Charter.docx"],
        ["'=HYPERLINK(\"x\")", "Produced", "Created 1.2", "Used 2.1", ""],  # never run as a formula
    ]
    assert (out / "tracker.csv").read_bytes().count(b"\r\n") == 3


def test_xlsx_reads_back_with_openpyxl_and_holds_text_not_formulas(site):
    out = _tracker_site(site)
    wb = openpyxl.load_workbook(out / "tracker.xlsx")
    ws = wb.active
    assert ws.title == "Document tracker"
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0] == ["Artifact", "Kind", "Phase 1: Phase name 1", "Phase 2: Phase name 2", "Template"]
    assert values[1] == ["Charter", "Produced", "Created 1.1; Used 1.2", "Updated 2.1; Used 2.1, 2.2", "Charter.docx"]
    assert ws.cell(row=3, column=1).data_type == "s" and ws.cell(row=3, column=1).value == '=HYPERLINK("x")'
    assert wb.properties.created.year == 2000 and wb.properties.modified.year == 2000


def test_xlsx_is_byte_identical_whatever_the_clock_says(site, monkeypatch):
    data = [["Artifact", "Kind"], ["Charter", "Produced"]]
    first = tracker.to_xlsx(data)
    real = time.localtime
    monkeypatch.setattr(time, "localtime", lambda secs=None: real((secs or time.time()) + 86400 * 400))
    second = tracker.to_xlsx(data)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {tracker.FIXED_TIME}


def test_two_builds_write_the_same_tracker_files(site, tmp_path):
    out = _tracker_site(site)
    before = {f: (out / f).read_bytes() for f in ("tracker.csv", "tracker.xlsx", "flow.svg")}
    time.sleep(2.1)  # past the 2-second resolution of zip times
    res = site.build(search=False)
    assert res.ok()
    assert {f: (out / f).read_bytes() for f in before} == before


def test_rows_mark_created_updated_used_per_phase(site):
    _tracker_site(site)
    from playbook.diagnostics import Diagnostics
    from playbook.link.site import link
    from playbook.load.documents import load_tree
    from playbook.model.validate import build_playbook
    d = Diagnostics()
    s = link(build_playbook(load_tree(site.content, d), d), d)
    (charter, _formula) = tracker.rows(s.artifacts)
    assert charter.kind == "Produced"
    assert {n: c.marks for n, c in charter.cells.items()} == {
        1: {"Created": ["1.1"], "Used": ["1.2"]}, 2: {"Updated": ["2.1"], "Used": ["2.1", "2.2"]}}


def test_every_tracker_names_phases_as_the_pages_do_and_the_workbook_is_made_once(site, monkeypatch):
    """The artifacts page's workbook, the downloads page's and ``playbook export xlsx`` are one file, and
    the tracker reads a phase name written with Markdown and curly quotes as the pages show it."""
    from click.testing import CliRunner

    from playbook.cli import main

    made = []
    real = tracker.to_xlsx
    monkeypatch.setattr(tracker, "to_xlsx", lambda table: made.append(1) or real(table))
    site.add("phase1/1.1.md", task(1, 1, outputs=["Charter"]))
    site.add("phase2/_index.md", phase(2, name="Get **Ready** “now”"))
    site.add("phase2/2.1.md", task(2, 1, inputs=["Charter"]))
    assert site.build(search=False).ok()
    out = site.out / "artifacts"
    assert made == [1]
    assert (out / "tracker.xlsx").read_bytes() == (site.out / "downloads" / "document-tracker.xlsx").read_bytes()
    rows = list(csv.reader(io.StringIO((out / "tracker.csv").read_bytes().decode("utf-8"), newline="")))
    assert rows[0][3] == "Phase 2: Get Ready “now”"
    exported = site.out.parent / "exported.xlsx"
    res = CliRunner().invoke(main, ["export", "xlsx", str(site.content), "-o", str(exported)])
    assert res.exit_code == 0, res.output
    assert exported.read_bytes() == (out / "tracker.xlsx").read_bytes()
