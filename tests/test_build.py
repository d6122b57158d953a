"""Building sites: pages, what they show, atomic output, byte-identical builds, the CLI."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from conftest import ROOT, need, phase, task
from pagetext import visible_text
from playbook.cli import main


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_pages_of_a_small_site(site):
    site.add("phase1/1.1.md", task(1, 1, outputs=[{"text": "Charter", "filename": "Charter Template.docx"}]))
    site.add("phase1/1.2.md", task(1, 2, category="technology", responsibleParty=["customer", "provider"]))
    site.add("phase2/_index.md", phase(2))
    site.add("phase2/2.1.md", task(2, 1))
    site.add("glossary.md", {"layout": "glossary", "sections": [{"name": "Roles", "terms": [
        {"name": "Program Manager", "description": "Runs the program."}]}]})
    site.add("pages/about.md", {"title": "About this site"}, "## Purpose\n\nIt explains things.\n")
    result = site.build()
    assert result.ok() and result.written
    for path in ["/", "/phase1/", "/phase2/", "/1.1/", "/1.2/", "/2.1/", "/glossary/", "/about/", "/404.html",
                 "/sitemap.xml", "/robots.txt"]:
        assert site.page(path)
    assert result.pages == len(list(site.out.rglob('*.html')))

    home = visible_text(site.page("/"))
    assert home.index("Phase 1: Phase name 1") < home.index("Phase 2: Phase name 2")
    assert "Program Management" in home and "Technology" in home

    phase_page = site.page("/phase1/")
    assert "<h3 id=\"ws-programmanagement\">Program Management</h3>" in phase_page
    assert "Shared (Customer, Provider)" in visible_text(phase_page)

    t = site.page("/1.1/")
    assert '<nav class="usa-breadcrumb" aria-label="Breadcrumbs">' in t
    assert '<title>1.1 Task 1.1 | M3 Playbook</title>' in t
    assert 'rel="next"' in t and 'rel="prev"' not in t
    assert 'href="/assets/files/Charter%20Template.docx"' in t
    assert 'href="/glossary/#program-manager"' in t
    assert "usa-banner" in t and "usa-identifier" in t
    last = site.page("/2.1/")
    assert 'rel="prev"' in last and 'href="/1.2/" rel="prev"' in last and 'rel="next"' not in last

    sitemap = site.page("/sitemap.xml")
    assert "<loc>/1.1/</loc>" in sitemap and "404" not in sitemap


def test_pages_of_plain_content_hold_no_character_beyond_latin_1(site):
    """The layouts write wider punctuation as entities: one such character made every page a
    two-byte string, slower to encode, split and scan (the bundled banner had one)."""
    site.add("phase1/1.1.md", task(1, 1))
    site.add("phase1/1.2.md", task(1, 2, responsibleParty=["customer", "provider"]))
    site.add("glossary.md", {"layout": "glossary", "sections": [{"name": "Roles", "terms": [
        {"name": "Program Manager", "description": "Runs the program."}]}]})
    assert site.build().ok()
    wide = {p.relative_to(site.out).as_posix(): sorted({c for c in p.read_text(encoding="utf-8") if ord(c) > 0xFF})
            for p in site.out.rglob("*.html")}
    assert {page: chars for page, chars in wide.items() if chars} == {}
    assert "Here&rsquo;s how you know" in site.page("/1.1/")


def test_shared_activities_and_stakeholders_name_each_party(site):
    site.add("phase1/1.1.md", task(1, 1, activities=[
        {"text": "Agree the plan", "responsibleParty": ["customer", "qsmo"]},
        {"text": "Joint work", "responsibleParty": "shared"}],
        stakeholders=[{"text": "PMO Lead", "responsibleParty": "customer"},
                      {"text": "Change Lead", "responsibleParty": ["customer", "provider"]},
                      {"text": "QSMO Lead", "responsibleParty": "qsmo"}]))
    assert site.build().ok()
    text = visible_text(site.page("/1.1/"))
    assert "Agree the plan Responsible: Shared (Customer, QSMO)" in text
    assert "Joint work Responsible: Shared" in text
    assert "Stakeholders Customer PMO Lead QSMO QSMO Lead Shared Change Lead (Shared (Customer, Provider))" in text


def test_activity_output_template_and_example_links(site):
    site.add("phase1/1.1.md", task(1, 1, activities=[{
        "text": "Draft it", "responsibleParty": "customer", "output": "Plan",
        "template": "Plan-Template.docx", "example": "https://www.gsa.gov/example-plan"}]))
    assert site.build().ok()
    page = site.page("/1.1/")
    assert "Targeted output: Plan" in visible_text(page)
    assert 'href="/assets/files/Plan-Template.docx"' in page
    assert 'href="https://www.gsa.gov/example-plan"' in page


def test_base_url_subpath(site):
    site.add("phase1/1.1.md", task(1, 1, objective='See <a href="/1.1/">this</a>'))
    assert site.build(base_url="https://agency.gov/m3/").ok()
    page = site.page("/1.1/")
    assert 'href="/m3/phase1/"' in page and 'href="/m3/assets/css/uswds.css"' in page
    assert 'href="/m3/1.1/"' in page
    assert "<loc>https://agency.gov/m3/1.1/</loc>" in site.page("/sitemap.xml")


def test_failed_build_leaves_the_previous_site(site):
    site.add("phase1/1.1.md", task(1, 1))
    assert site.build().ok()
    before = tree(site.out)
    site.add("phase1/1.1.md", task(1, 1, responsibleParty="nobody"))
    result = site.build()
    assert not result.ok() and not result.written
    assert tree(site.out) == before
    assert [p.name for p in site.root.iterdir() if p.name.startswith(".")] == []


def test_warnings_fail_only_under_strict(site):
    site.add("phase1/1.1.md", task(1, 1, extra="x"))
    assert site.build().ok()
    before = tree(site.out)
    result = site.build(strict=True)
    assert not result.ok(strict=True) and not result.written
    assert tree(site.out) == before


def test_two_builds_are_byte_identical(site, tmp_path):
    site.add("phase1/1.1.md", task(1, 1))
    site.add("phase1/1.2.md", task(1, 2))
    assert site.build().ok()
    first = tree(site.out)
    assert site.build().ok()
    assert tree(site.out) == first


def test_output_folder_that_is_not_a_playbook_build_is_not_replaced(site):
    site.add("phase1/1.1.md", task(1, 1))
    site.out.mkdir()
    (site.out / "thesis.docx").write_text("precious")
    result = site.build()
    assert result.fatal == (f"output folder {site.out} is not empty and was not made by playbook; "
                            "remove it or pick another")
    assert (site.out / "thesis.docx").read_text() == "precious"


def test_output_folder_may_not_hold_the_content(site):
    site.add("phase1/1.1.md", task(1, 1))
    from playbook import pipeline
    result = pipeline.build(pipeline.Options(content=site.content, output=site.root))
    assert "would replace the content" in result.fatal
    assert (site.content / "phase1" / "1.1.md").exists()


def test_bundled_content_builds_with_its_phase_glossary_and_page(tmp_path):
    from playbook import pipeline
    out = tmp_path / "site"
    result = pipeline.build(pipeline.Options(content=ROOT / "content", output=out))
    assert result.ok(), [d.format() for d in result.diagnostics.sorted()]
    assert [d for d in result.diagnostics.items if d.severity == "error"] == []
    for n in range(1, 15):
        assert (out / f"1.{n}" / "index.html").is_file()
    assert (out / "m3phase1" / "index.html").is_file()
    assert (out / "glossary" / "index.html").is_file()
    perf = (out / "performance-management" / "index.html").read_text()
    assert "Data-Driven Performance Management" in perf
    assert 'href="/performance-management/"' in (out / "1.6" / "index.html").read_text()


# --- command line ---------------------------------------------------------------
def test_cli_build_summary_and_exit_code(site):
    site.add("phase1/1.1.md", task(1, 1))
    # a full base URL: with only a path the build warns that the sitemap cannot be named (test_robots.py)
    r = CliRunner().invoke(main, ["build", str(site.content), "-o", str(site.out), "--quiet",
                                  "--base-url", "https://agency.gov/"])
    assert r.exit_code == 0, r.output
    last = r.output.strip().splitlines()[-1]
    assert re.fullmatch(rf"built \d+ pages \(\d+ files\) into {re.escape(str(site.out))}: "
                        r"0 errors, 0 warnings, \d+\.\d\d s", last), last


def test_cli_check_exit_codes(site):
    site.add("phase1/1.1.md", task(1, 1, extra="x"))
    runner = CliRunner()
    r = runner.invoke(main, ["check", str(site.content)])
    assert r.exit_code == 0
    assert r.output.splitlines()[-1].startswith("check passed: 0 errors, 1 warning,")
    r = runner.invoke(main, ["check", str(site.content), "--strict"])
    assert r.exit_code == 1
    site.add("phase1/1.2.md", "---\nphase: [\n---\n")
    r = runner.invoke(main, ["check", str(site.content)])
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert r.output.splitlines()[-1].startswith("check failed: 1 error, 1 warning,")


def test_cli_missing_content_folder_or_a_file_for_it_is_misuse(tmp_path):
    nope, readme = tmp_path / "nope", tmp_path / "README.md"
    readme.write_text("# notes\n")
    for command in (["check"], ["build", "-o", str(tmp_path / "_site")], ["pdf"], ["export", "json"], ["serve"]):
        r = CliRunner().invoke(main, [*command, str(nope)])
        assert r.exit_code == 2, r.output
        assert r.output.splitlines()[-1] == f"Error: Invalid value for '[CONTENT]': folder '{nope}' does not exist"
        r = CliRunner().invoke(main, [*command, str(readme)])
        assert r.exit_code == 2, r.output
        assert r.output.splitlines()[-1] == f"Error: Invalid value for '[CONTENT]': '{readme}' is a file, not a folder"
    assert not (tmp_path / "_site").exists()
    r = CliRunner().invoke(main, ["new", "phase", str(readme), "--name", "Readiness"])
    assert r.exit_code == 2 and r.output.endswith(f"'{readme}' is a file, not a folder\n")


def test_cli_missing_config_file_is_misuse(site):
    site.add("phase1/1.1.md", task(1, 1))
    missing = site.root / "nope.toml"
    for command in (["build", str(site.content), "-o", str(site.out)], ["pdf", str(site.content)],
                    ["export", "json", str(site.content)]):
        r = CliRunner().invoke(main, [*command, "--config", str(missing)])
        assert r.exit_code == 2, r.output
        assert r.output.splitlines()[-1] == f"Error: Invalid value for '--config': File '{missing}' does not exist."
    assert not site.out.exists()


def test_cli_output_folder_that_cannot_be_made_is_one_line_and_exit_3(site, tmp_path, monkeypatch):
    site.add("phase1/1.1.md", task(1, 1))
    (tmp_path / "README.md").write_text("# notes\n")
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["build", str(site.content), "-o", "README.md/site"])
    assert (r.exit_code, r.output) == (3, f"error: cannot make the output folder {tmp_path}/README.md/site: "
                                          f"{tmp_path}/README.md is a file, not a folder\n")
    r = CliRunner().invoke(main, ["build", str(site.content), "-o", "README.md/a/b"])
    assert (r.exit_code, r.output) == (3, f"error: cannot make the output folder {tmp_path}/README.md/a/b: "
                                          f"{tmp_path}/README.md is a file, not a folder\n")
    need(Path("/proc/self").is_dir(), "a Linux /proc")
    r = CliRunner().invoke(main, ["build", str(site.content), "-o", "/proc/x"])
    assert (r.exit_code, r.output) == (3, "error: cannot make the output folder /proc/x: no folder can be made in "
                                          "/proc (No such file or directory)\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md", "content"]


def test_cli_pdf_and_export_into_a_file_exit_3(site, tmp_path, monkeypatch):
    site.add("phase1/1.1.md", task(1, 1))
    (tmp_path / "README.md").write_text("# notes\n")
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["export", "json", str(site.content), "-o", "README.md/x.json"])
    assert (r.exit_code, r.output) == (3, "error: cannot write README.md/x.json: Not a directory\n")
    r = CliRunner().invoke(main, ["pdf", str(site.content), "-o", "README.md/pdf", "--base-url", "https://a.gov/"])
    assert (r.exit_code, r.output) == (3, "error: cannot write the PDFs into README.md/pdf: Not a directory "
                                          "(README.md/pdf)\n")


def test_build_py_shim_and_module_entry_point(site):
    site.add("phase1/1.1.md", task(1, 1))
    for cmd in ([sys.executable, str(ROOT / "build.py")], [sys.executable, "-m", "playbook"]):
        r = subprocess.run([*cmd, "check", str(site.content)], capture_output=True, text=True, cwd=ROOT)
        assert r.returncode == 0, r.stderr
        assert r.stdout.startswith("check passed")


def test_program_exit_codes_output_and_exit_handlers_survive_the_quick_exit(site, tmp_path):
    site.add("phase1/1.1.md", task(1, 1))
    hook = tmp_path / "hook"
    hook.mkdir()
    # an exit handler registered at start-up (sitecustomize runs before the program) must still run
    (hook / "sitecustomize.py").write_text(
        "import atexit, pathlib\n"
        f"atexit.register(lambda: pathlib.Path({str(tmp_path / 'ran')!r}).write_text('yes'))\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(hook), str(ROOT)])}
    cmd = [sys.executable, "-m", "playbook"]
    ok = subprocess.run([*cmd, "build", str(site.content), "-o", str(site.out), "-q", "--no-search"],
                        capture_output=True, text=True, cwd=ROOT, env=env)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("built ") and ok.stdout.endswith(" s\n")  # flushed through a pipe
    assert (tmp_path / "ran").read_text() == "yes"
    site.add("phase1/1.2.md", task(1, 2, responsibleParty="nobody"))
    bad = subprocess.run([*cmd, "build", str(site.content), "-o", str(site.out), "-q", "--no-search"],
                         capture_output=True, text=True, cwd=ROOT, env=env)
    assert bad.returncode == 1 and "build failed: 1 error" in bad.stderr
    usage = subprocess.run([*cmd, "build", "--no-such-option"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert usage.returncode == 2 and "No such option" in usage.stderr


def test_missing_uswds_names_the_install_command(site, tmp_path, monkeypatch):
    site.add("phase1/1.1.md", task(1, 1))
    assert site.build().ok()
    before = tree(site.out)
    monkeypatch.setenv("PLAYBOOK_USWDS", str(tmp_path / "nowhere"))
    monkeypatch.chdir(tmp_path)
    import playbook.publish.assets as assets
    monkeypatch.setattr(assets, "__file__", str(tmp_path / "pkg" / "assets.py"))
    r = CliRunner().invoke(main, ["build", str(site.content), "-o", str(site.out)])
    assert r.exit_code == 3
    assert "USWDS assets not found" in r.output
    assert "run 'npm ci' in the project folder to install USWDS (pinned in package.json)" in r.output
    assert tree(site.out) == before


def test_only_the_uswds_files_the_site_needs_are_copied(site):
    site.add("phase1/1.1.md", task(1, 1))
    assert site.build().ok()
    files = sorted(p.relative_to(site.out / "assets" / "uswds").as_posix()
                   for p in (site.out / "assets" / "uswds").rglob("*") if p.is_file())
    assert "img/us_flag_small.png" in files and "css/uswds.min.css" not in files and "js/uswds.min.js" not in files
    assert "fonts/source-sans-pro/sourcesanspro-regular-webfont.woff2" in files  # named by static/css/uswds.css
    assert not any(f.startswith("fonts/merriweather/") or "light" in f for f in files)  # faces no rule uses
    assert 20 <= len(files) <= 30, len(files)  # 8 fonts, the icons the compiled components use, the banner's
    assert not any(f.startswith(("scss/", "components/")) or f.endswith(".map") for f in files)
