"""The PDFs (issue 6): one tagged PDF/UA-1 of the whole playbook and one per phase, built once per session."""
from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from conftest import SiteDir, need, phase, task
from playbook.cli import main


def _weasyprint() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


@pytest.fixture(scope="session")
def pdf_site(tmp_path_factory):
    """A two-phase site with a glossary, built twice with --pdf; the first build's files are kept."""
    need(_weasyprint(), "WeasyPrint and Pango (pip install '.[pdf]'; apt-get install libpango-1.0-0 libpangoft2-1.0-0)")
    s = SiteDir(tmp_path_factory.mktemp("pdf"))
    s.add("phase1/_index.md", phase(1, name="Readiness", downloads={"playbook": "https://old.example.gov/2018.pdf",
                                                                    "guidance": "https://agency.gov/g.pdf"}))
    s.add("phase1/1.1.md", task(1, 1, name="Assess readiness", outputs=["Readiness Report"], activities=[
        {"text": "Assess", "responsibleParty": "customer", "output": "Readiness Report", "template": "readiness.docx"}]))
    s.add("assets/files/readiness.docx", b"PK\x05\x06" + bytes(18))  # an empty zip: only its link matters here
    s.add("phase1/1.2.md", task(1, 2, name="Set up the program office", category="technology"))
    s.add("phase2/_index.md", phase(2, name="Selection"))
    s.add("phase2/2.1.md", task(2, 1, name="Choose a provider", inputs=["Readiness Report"]))
    s.add("glossary.md", {"layout": "glossary", "title": "Glossary", "sections": [{"name": "Roles", "terms": [
        {"name": "Program Manager", "description": "Runs the program."}]}]})
    (s.root / "playbook.toml").write_text('title = "Test Playbook"\n')
    first = s.build(pdf=True, base_url="https://agency.gov/m3/")
    assert first.ok(), [d.format() for d in first.diagnostics.sorted()]
    assert not [d for d in first.diagnostics.items if d.severity != "info"]
    files = {p.name: p.read_bytes() for p in (s.out / "downloads").iterdir()}
    pages = {path: s.page(path) for path in ("/downloads/", "/phase1/", "/phase2/")}
    second = s.build(pdf=True, base_url="https://agency.gov/m3/")
    assert second.ok()
    again = {p.name: p.read_bytes() for p in (s.out / "downloads").iterdir()}
    return s, files, pages, again


def reader(data: bytes):
    import pypdf

    return pypdf.PdfReader(io.BytesIO(data))


def outline(items, depth=0):
    out = []
    for item in items:
        if isinstance(item, list):
            out.extend(outline(item, depth + 1))
        else:
            out.append(("  " * depth) + item.title)
    return out


def test_whole_playbook_pdf_pages_and_outline(pdf_site):
    _, files, _, _ = pdf_site
    pdf = reader(files["playbook.pdf"])
    # cover, contents, phase 1, 1.1, 1.2, phase 2, 2.1, glossary: every key task starts a page
    assert len(pdf.pages) == 8
    assert outline(pdf.outline) == ["Phase 1: Readiness", "  1.1 Assess readiness", "  1.2 Set up the program office",
                                    "Phase 2: Selection", "  2.1 Choose a provider", "Glossary"]
    assert pdf.metadata.title == "Test Playbook"


def test_pdf_is_tagged_pdf_ua(pdf_site):
    _, files, _, _ = pdf_site
    for name in ("playbook.pdf", "phase-1.pdf", "phase-2.pdf"):
        pdf = reader(files[name])
        root = pdf.trailer["/Root"]
        assert bool(root["/MarkInfo"]["/Marked"]), name
        assert "/StructTreeRoot" in root and root["/Lang"] == "en", name
        assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data(), name  # PDF/UA identification
        assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]), name


def test_running_headers_page_numbers_and_contents(pdf_site):
    _, files, _, _ = pdf_site
    pdf = reader(files["playbook.pdf"])
    text = [p.extract_text() for p in pdf.pages]
    assert "Page" not in text[0]  # the cover has no running header or footer
    assert "Page 2 of 8" in text[1]
    contents = " ".join(text[1].split())
    assert "Phase 1: Readiness" in contents and "1.2 Set up the program office" in contents
    assert contents.index("1.1 Assess readiness") < contents.index(" 4 ") < contents.index("1.2 Set up")
    task_page = " ".join(text[4].split())
    assert "Phase 1: Readiness" in task_page and "1.2 Set up the program office" in task_page
    assert "Page 5 of 8" in task_page
    assert "Glossary" in text[7] and "Program Manager" in text[7]


def test_one_pdf_per_phase(pdf_site):
    _, files, _, _ = pdf_site
    one = reader(files["phase-1.pdf"])
    assert len(one.pages) == 5  # cover, contents, phase 1, 1.1, 1.2
    assert outline(one.outline) == ["Phase 1: Readiness", "  1.1 Assess readiness",
                                    "  1.2 Set up the program office"]
    assert one.metadata.title == "Test Playbook, Phase 1: Readiness"
    assert len(reader(files["phase-2.pdf"]).pages) == 4


def test_pdfs_are_byte_identical_between_builds(pdf_site):
    _, files, _, again = pdf_site
    assert set(files) == {"index.html", "playbook.pdf", "phase-1.pdf", "phase-2.pdf", "playbook.json",
                          "activities.csv"} | ({"document-tracker.xlsx"} & set(files))
    assert files == again


def test_site_links_the_pdfs(pdf_site):
    _, files, pages, _ = pdf_site
    assert '<a href="/m3/downloads/playbook.pdf" download>The whole playbook (PDF)</a>' in pages["/downloads/"]
    assert '<a href="/m3/downloads/phase-2.pdf" download>Phase 2: Selection (PDF)</a>' in pages["/downloads/"]
    p1 = pages["/phase1/"]
    assert '<a href="/m3/downloads/phase-1.pdf">Phase 1: Readiness (PDF)</a>' in p1
    assert "old.example.gov/2018.pdf" not in p1  # the generated PDF replaces the stale one
    assert 'href="https://agency.gov/g.pdf"' in p1


def test_pdf_pages_render_to_images(pdf_site, tmp_path):
    need(shutil.which("pdftoppm") is not None, "pdftoppm (apt-get install poppler-utils)")
    _, files, _, _ = pdf_site
    src = tmp_path / "p.pdf"
    src.write_bytes(files["playbook.pdf"])
    subprocess.run(["pdftoppm", "-r", "40", "-gray", "-f", "1", "-l", "4", str(src), str(tmp_path / "pg")],
                   check=True, capture_output=True)
    images = sorted(tmp_path.glob("pg-*.pgm"))
    assert len(images) == 4
    for img in images:
        data = img.read_bytes()
        pixels = data.split(b"\n", 3)[3]  # P5 header: magic, size, max value, then the pixels
        dark = sum(1 for b in pixels if b < 128)
        assert dark > 100, f"{img.name} looks blank"  # text was drawn


def test_pdf_command_writes_the_same_files(pdf_site, tmp_path):
    s, files, _, _ = pdf_site
    res = CliRunner().invoke(main, ["pdf", str(s.content), "-o", str(tmp_path / "pdf"),
                                    "--base-url", "https://agency.gov/m3/"])
    assert res.exit_code == 0, res.output
    assert "wrote " in res.output
    assert (tmp_path / "pdf" / "playbook.pdf").read_bytes() == files["playbook.pdf"]
    assert (tmp_path / "pdf" / "phase-1.pdf").read_bytes() == files["phase-1.pdf"]


def links(data: bytes) -> list[str]:
    """The address of every link annotation that leaves the PDF (links within it name a destination)."""
    out = []
    for page in reader(data).pages:
        for annot in page.get("/Annots") or ():
            action = annot.get_object().get("/A")
            if action is not None and action.get_object().get("/S") == "/URI":
                out.append(str(action.get_object()["/URI"]))
    return out


def test_links_in_the_pdf_are_absolute_with_a_full_base_url(pdf_site):
    _, files, _, _ = pdf_site
    for name in ("playbook.pdf", "phase-1.pdf"):
        assert sorted(set(links(files[name]))) == ["https://agency.gov/m3/artifacts/readiness-report/",
                                                   "https://agency.gov/m3/assets/files/readiness.docx"], name


NO_ADDRESS = ("warning: base_url: links in the PDFs are paths on the site, which do not work outside it; give the "
              "site's full address, e.g. --base-url https://agency.gov/m3/ or base_url in playbook.toml")


def test_without_a_full_address_pdf_and_build_warn_once(tmp_path):
    need(_weasyprint(), "WeasyPrint and Pango (pip install '.[pdf]'; apt-get install libpango-1.0-0 libpangoft2-1.0-0)")
    s = SiteDir(tmp_path)
    s.add("phase1/_index.md", phase(1))
    s.add("phase1/1.1.md", task(1, 1, outputs=["Readiness Report"], activities=[
        {"text": "Assess", "responsibleParty": "customer", "output": "Readiness Report"}]))
    s.add("phase2/_index.md", phase(2))
    s.add("phase2/2.1.md", task(2, 1, inputs=["Readiness Report"]))
    out = tmp_path / "pdf"
    res = CliRunner().invoke(main, ["pdf", str(s.content), "-o", str(out), "--base-url", "/m3/"])
    assert res.exit_code == 0, res.output
    assert [line for line in res.output.splitlines() if "warning" in line] == [f"{out}: {NO_ADDRESS}"]
    assert links((out / "playbook.pdf").read_bytes()) == ["/m3/artifacts/readiness-report/"]  # a path, as warned
    built = s.build(pdf=True)
    assert built.ok() and not built.ok(strict=True)
    assert [d.format() for d in built.diagnostics.sorted() if d.severity == "warning"] == [
        f"{tmp_path / 'playbook.toml'}: warning: base_url: '/' is a path, not a full address: robots.txt names no "
        "sitemap, sitemap.xml lists paths, which search engines do not read, and links in the PDFs work only on "
        "the site; set base_url to the address the site is served at, e.g. 'https://agency.gov/', in playbook.toml "
        "or with --base-url"]
