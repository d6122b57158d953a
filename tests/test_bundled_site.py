"""The bundled demo links nothing it does not ship: its templates are real documents, and html-proofer,
the checker the M3 site's own tests run, finds no broken link, image or script in its build."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import pytest

from conftest import ROOT, need
from playbook import pipeline

FILES = ROOT / "content" / "assets" / "files"
PROOFER_ARGS = ["--disable-external",  # CI reaches package registries only
                # the banner's flag and icons are decorative: alt="" is what WCAG asks of them, and what
                # html-proofer 3 reports as missing unless told
                "--empty-alt-ignore"]


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    """The bundled content built as `playbook build content` builds it (search included)."""
    out = tmp_path_factory.mktemp("bundled") / "_site"
    result = pipeline.build(pipeline.Options(content=ROOT / "content", output=out, search=True))
    return out, result


def linked_files() -> set[str]:
    """Every file name the bundled content gives in a template, filename or example field."""
    names = set()
    for p in (ROOT / "content").rglob("*"):
        if p.suffix in (".md", ".yaml") and FILES not in p.parents:
            names.update(re.findall(r"^\s*-?\s*(?:template|filename|example):\s*(\S+)\s*$",
                                    p.read_text(encoding="utf-8"), re.M))
    return {n for n in names if "://" not in n}


def test_the_bundled_build_has_no_warnings_but_the_base_url(bundled):
    """Built without a full address (as the README's first command does), the one warning says robots.txt
    can name no sitemap (tests/test_robots.py); the Pages workflow gives the address."""
    _, result = bundled
    said = [d for d in result.diagnostics.sorted() if d.severity != "info"]
    assert [(d.severity, d.field) for d in said] == [("warning", "base_url")], [d.format() for d in said]


def test_every_linked_template_is_shipped_and_every_shipped_one_is_linked():
    shipped = {p.name for p in FILES.iterdir()}
    assert len(shipped) == 16
    assert linked_files() == shipped
    assert {p.suffix for p in FILES.iterdir()} == {".docx", ".xlsx"}


def test_the_templates_are_documents_to_fill_in():
    import openpyxl  # a test dependency (pyproject.toml)
    for p in sorted(FILES.glob("*.docx")):
        with zipfile.ZipFile(p) as z:
            assert z.testzip() is None, p.name
            body = z.read("word/document.xml").decode("utf-8")
            core = z.read("docProps/core.xml").decode("utf-8")
        title = re.search(r"<dc:title>([^<]+)</dc:title>", core)[1]
        assert f'<w:pStyle w:val="Title"/></w:pPr><w:r><w:t xml:space="preserve">{title}</w:t>' in body, p.name
        assert body.count('w:val="Heading1"') >= 3 and "<w:tblHeader/>" in body, p.name  # headings, table headers
        assert "[" in body and "How to use this template" in body, p.name  # prompts to replace, and how
    for p in sorted(FILES.glob("*.xlsx")):
        wb = openpyxl.load_workbook(p)
        assert wb.sheetnames[0] == "How to use" and wb.properties.title == wb["How to use"]["A1"].value, p.name
        for ws in wb.worksheets[1:]:
            assert len(ws.tables) == 1 and ws.freeze_panes == "A2", (p.name, ws.title)
            assert all(c.value for c in ws[1]), (p.name, ws.title)  # every column has a heading


def test_html_proofer_finds_no_broken_link_image_or_script(bundled):
    exe = shutil.which("htmlproofer")
    need(exe is not None, "html-proofer (apt-get install ruby-html-proofer)")
    out, _ = bundled
    proc = subprocess.run([exe, str(out), *PROOFER_ARGS], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    assert "HTML-Proofer finished successfully." in proc.stdout + proc.stderr
    files = int(re.search(r"Ran on (\d+) files", proc.stdout + proc.stderr)[1])
    assert files == len(list(out.rglob("*.html")))  # it read every page


def test_html_proofer_finds_a_missing_template(tmp_path, bundled):
    exe = shutil.which("htmlproofer")
    need(exe is not None, "html-proofer (apt-get install ruby-html-proofer)")
    out, _ = bundled
    broken = tmp_path / "_site"
    shutil.copytree(out, broken)
    (broken / "assets" / "files" / "M3-Playbook-RAID-Log-Template.xlsx").unlink()
    proc = subprocess.run([exe, str(broken), *PROOFER_ARGS], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1
    assert "internally linking to /assets/files/M3-Playbook-RAID-Log-Template.xlsx, which does not exist" in \
        proc.stdout + proc.stderr
