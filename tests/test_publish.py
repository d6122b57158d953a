"""Publishing (issue 6): configuration, git dates and edit links, JSON/CSV/XLSX exports, the downloads page."""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from conftest import front_matter, need, task
from playbook import config
from playbook.publish import export
from playbook.load import history
from playbook.publish import downloads as publish
from playbook.cli import main
from playbook.diagnostics import Diagnostics

GIT = shutil.which("git")


def conf_messages(tmp_path, text: str, name: str = "playbook.toml") -> list[str]:
    (tmp_path / name).write_text(text, encoding="utf-8")
    diags = Diagnostics()
    config.load(tmp_path, diags)
    return [d.format().replace(str(tmp_path) + "/", "") for d in diags.sorted()]


# --- configuration --------------------------------------------------------------
def test_every_option_has_a_default(tmp_path):
    diags = Diagnostics()
    got = config.load(tmp_path, diags)
    assert got == config.Config() and not diags.items
    assert (got.base_url, got.repository, got.branch, got.dap, got.dap_agency, got.search, got.contact_email) == \
        ("/", "", "main", False, "GSA", True, "")


def test_unknown_option_names_it_with_did_you_mean(tmp_path):
    assert conf_messages(tmp_path, 'title = "X"\n\nserach = false\n') == [
        "playbook.toml:3: serach: unknown option 'serach'; did you mean 'search'?"]


def test_folder_list_and_address_options_are_checked(tmp_path):
    (tmp_path / "files").mkdir()
    assert conf_messages(tmp_path, 'files = "nope"\ncontent = "../elsewhere"\ninclude = "m3/*"\n'
                                   'exclude = [1]\nhost_url = "ussm.gsa.gov"\n') == [
        "playbook.toml:1: files: folder 'nope' does not exist",
        "playbook.toml:2: content: '../elsewhere' is outside the folder of this file; give a folder inside it",
        "playbook.toml:4: exclude: expected a list of globs such as [\"m3/*\"], found [1]",
        "playbook.toml:5: host_url: 'ussm.gsa.gov' is not an http(s) address"]
    (tmp_path / "playbook.toml").write_text('files = "files"\ninclude = "m3/*"\nhost_url = "https://x.gov/"\n')
    got = config.load(tmp_path, Diagnostics())
    assert (got.files, got.include, got.host_url) == ((tmp_path / "files").as_posix(), ("m3/*",), "https://x.gov")


def test_a_content_option_keeps_its_file_for_every_later_step(tmp_path):
    """Outside a Jekyll repository too: once ``content`` moved the folder, the configuration is still the file
    that moved it (serve's title, the base URL warning's file and line), not one looked for from the new folder."""
    from playbook import pipeline
    from playbook.serve.rebuild import DevBuild

    (tmp_path / "site" / "m3" / "phase1").mkdir(parents=True)
    (tmp_path / "site" / "m3" / "phase1" / "1.1.md").write_text(front_matter(task(1, 1)), encoding="utf-8")
    (tmp_path / "playbook.toml").write_text('title = "Custom Title"\ncontent = "site/m3"\nbase_url = "/m3/"\n')
    options, conf = pipeline.locate(pipeline.Options(content=tmp_path, output=tmp_path / "out", search=False),
                                    Diagnostics())
    assert conf.title == "Custom Title" and options.content == tmp_path / "site" / "m3"
    assert DevBuild(options, tmp_path / "served").conf == conf
    result = pipeline.build(pipeline.Options(content=tmp_path, output=tmp_path / "out", search=False))
    assert [d.format().replace(str(tmp_path) + "/", "") for d in result.diagnostics.items if d.field == "base_url"] == [
        "playbook.toml:3: warning: base_url: '/m3/' is a path, not a full address: robots.txt names no sitemap, "
        "and sitemap.xml lists paths, which search engines do not read; set base_url to the address the site is "
        "served at, e.g. 'https://agency.gov/m3/', in playbook.toml or with --base-url"]
    assert "Custom Title" in (tmp_path / "out" / "index.html").read_text()


def test_unknown_option_without_a_close_match_lists_the_options(tmp_path):
    assert conf_messages(tmp_path, 'colour = "blue"\n') == [
        "playbook.toml:1: colour: unknown option 'colour'; options are: title, description, agency, base_url, "
        "repository, branch, dap, dap_agency, search, contact_email, content, files, host_url, include, exclude"]


def test_wrong_types_and_values(tmp_path):
    assert conf_messages(tmp_path, 'dap = "yes"\ncontact_email = "nobody"\nrepository = "git@github.com:a/b"\n'
                                   'dap_agency = "G S A"\n') == [
        "playbook.toml:1: dap: expected true or false, found 'yes'",
        "playbook.toml:2: contact_email: 'nobody' is not an email address",
        "playbook.toml:3: repository: 'git@github.com:a/b' is not an http(s) address",
        "playbook.toml:4: dap_agency: 'G S A' is not an agency code such as 'GSA'",
    ]


def test_broken_toml_is_a_diagnostic(tmp_path):
    assert conf_messages(tmp_path, 'title = "X"\nsearch = \n') == [
        "playbook.toml:2: not valid TOML: Invalid value; see https://toml.io for the syntax"]


def test_pyproject_tool_table_and_its_lines(tmp_path):
    text = '[project]\nname = "x"\nsearch = 1\n\n[tool.playbook]\ntitle = "Agency playbook"\nserch = true\n'
    assert conf_messages(tmp_path, text, "pyproject.toml") == [
        "pyproject.toml:7: serch: unknown option 'serch'; did you mean 'search'?"]
    got = config.load(tmp_path, Diagnostics())
    assert got.title == "Agency playbook"


def test_pyproject_without_the_table_is_ignored(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert config.find(tmp_path) == (None, "")


def test_playbook_toml_wins_over_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.playbook]\ntitle = "From pyproject"\n')
    (tmp_path / "playbook.toml").write_text('title = "From playbook.toml"\n')
    assert config.load(tmp_path, Diagnostics()).title == "From playbook.toml"


def test_config_errors_fail_check_and_build(site):
    (site.root / "playbook.toml").write_text("serach = true\n")
    site.add("phase1/1.1.md", task(1, 1))
    assert f"{site.root}/playbook.toml:1: serach: unknown option 'serach'; did you mean 'search'?" in \
        [d.format() for d in site.check().diagnostics.sorted()]
    assert not site.build().ok()


def test_config_feeds_the_pages(site):
    (site.root / "playbook.toml").write_text(
        'title = "Agency Migration Guide"\nagency = "Office of Shared Services"\ncontact_email = "m3@agency.gov"\n'
        'dap = true\ndap_agency = "OSS"\nrepository = "https://github.com/agency/guide/"\nbranch = "live"\n')
    site.add("phase1/1.1.md", task(1, 1))
    site.add("pages/about.md", {"title": "About"}, "Text.\n")
    assert site.build().ok()
    home = site.page("/")
    assert "<title>Agency Migration Guide</title>" in home
    assert "A publication of the Office of Shared Services" in home
    assert '<a href="mailto:m3@agency.gov" class="usa-identifier__required-link usa-link">m3@agency.gov</a>' in home
    assert ('<script async id="_fed_an_ua_tag" src="https://dap.digitalgov.gov/Universal-Federated-Analytics-Min.js'
            '?agency=OSS"></script>') in home
    edit = 'href="https://github.com/agency/guide/edit/live/content/phase1/1.1.md"'
    assert edit in site.page("/1.1/")  # outside git: the path below the folder that holds the config
    assert 'href="https://github.com/agency/guide/edit/live/content/pages/about.md"' in site.page("/about/")


def test_defaults_show_no_analytics_edit_link_or_contact(site):
    site.add("phase1/1.1.md", task(1, 1))
    assert site.build().ok()
    page = site.page("/1.1/")
    assert "dap.digitalgov.gov" not in page and "Edit this page" not in page and "mailto:" not in page


def test_base_url_flag_wins_over_config(site):
    (site.root / "playbook.toml").write_text('base_url = "https://agency.gov/from-config/"\n')
    site.add("phase1/1.1.md", task(1, 1))
    assert site.build().ok()
    assert 'href="/from-config/1.1/"' in site.page("/phase1/")
    assert site.build(base_url="/flag/").ok()
    assert 'href="/flag/1.1/"' in site.page("/phase1/")


# --- dates from git -------------------------------------------------------------
def git(cwd, *args, when="2026-11-23T12:00:00+00:00"):
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.gov", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.gov"}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def test_parse_log_keeps_the_newest_date():
    out = "\x011700000300\0\nphase1/1.1.md\0\x011700000100\0\nphase1/1.1.md\0phase1/1.2.md\0"
    assert history.parse_log(out) == {"phase1/1.1.md": 1700000300, "phase1/1.2.md": 1700000100}


def test_updated_dates_and_edit_links_from_git(site, monkeypatch):
    need(GIT is not None, "git")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    site.add("phase1/1.1.md", task(1, 1))
    site.add("phase1/1.2.md", task(1, 2))
    (site.root / "playbook.toml").write_text('repository = "https://github.com/agency/guide"\n')
    git(site.root, "init", "-q", "-b", "main")
    git(site.root, "add", ".")
    git(site.root, "commit", "-qm", "one", when="2025-03-05T10:00:00+00:00")
    site.add("phase1/1.2.md", task(1, 2, name="Renamed"))
    git(site.root, "commit", "-qam", "two", when="2026-11-23T12:00:00+00:00")
    site.add("phase1/1.3.md", task(1, 3))  # not committed: no date
    assert site.build().ok()
    assert 'Updated <time datetime="2025-03-05">March 5, 2025</time>' in site.page("/1.1/")
    assert 'Updated <time datetime="2026-11-23">November 23, 2026</time>' in site.page("/1.2/")
    assert "Updated" not in site.page("/1.3/")
    assert 'href="https://github.com/agency/guide/edit/main/content/phase1/1.1.md"' in site.page("/1.1/")


def test_outside_git_the_date_is_stable(site, monkeypatch):
    site.add("phase1/1.1.md", task(1, 1))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    h = history.read(site.content, site.root)
    assert not h.in_git and h.updated("phase1/1.1.md") == "" and h.prefix == "content/"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1763856000")
    assert history.read(site.content, site.root).updated("phase1/1.1.md") == "November 23, 2025"
    assert site.build().ok()
    first = site.page("/1.1/")
    assert site.build().ok()
    assert site.page("/1.1/") == first and "Updated <time datetime=\"2025-11-23\">November 23, 2025</time>" in first


# --- exports ----------------------------------------------------------------------
@pytest.fixture
def two_tasks(site):
    site.add("phase1/1.1.md", task(1, 1, activities=[
        {"text": "Write the **charter** with <a href='/x/'>help</a>", "responsibleParty": ["customer", "qsmo"]},
        {"text": "=HYPERLINK(\"http://evil\")", "responsibleParty": "provider"}]))
    site.add("phase1/1.2.md", task(1, 2, activities=None, activitiesGroups=[
        {"group": "Plan", "activities": [{"text": "Plan it", "responsibleParty": "qsmo", "output": "Plan"}]}]))
    return site


def test_csv_has_one_plain_row_per_activity(two_tasks):
    res = CliRunner().invoke(main, ["export", "csv", str(two_tasks.content)])
    assert res.exit_code == 0, res.output
    assert "\r\n" in res.output or res.stdout_bytes.count(b"\r\n") == 4
    rows = list(csv.reader(io.StringIO(res.stdout_bytes.decode("utf-8"), newline="")))
    assert rows == [
        list(export.CSV_COLUMNS),
        ["1", "Phase name 1", "1.1", "Task 1.1", "Program Management", "", "Write the charter with help",
         "Shared (Customer, QSMO)", ""],
        ["1", "Phase name 1", "1.1", "Task 1.1", "Program Management", "", "'=HYPERLINK(\"http://evil\")",
         "Provider", ""],
        ["1", "Phase name 1", "1.2", "Task 1.2", "Program Management", "Plan", "Plan it", "QSMO", "Plan"],
    ]


def test_json_holds_the_whole_model_with_a_schema_version(two_tasks, tmp_path):
    out = tmp_path / "p.json"
    res = CliRunner().invoke(main, ["export", "json", str(two_tasks.content), "-o", str(out)])
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema_version"] == export.SCHEMA_VERSION
    assert [t["id"] for t in data["tasks"]] == ["1.1", "1.2"]
    t1 = data["tasks"][0]
    assert t1["activities"][0]["text"] == "Write the **charter** with <a href='/x/'>help</a>"
    assert t1["activities"][0]["responsibility"] == {"parties": ["customer", "qsmo"], "shared": True,
                                                     "label": "Shared (Customer, QSMO)"}
    assert t1["source"] == "phase1/1.1.md" and "path" not in t1 and "line" not in t1
    assert data["tasks"][1]["groups"][0]["title"] == "Plan"
    assert data["phases"][0]["name"] == "Phase name 1"
    assert str(tmp_path) not in out.read_text()  # nothing that depends on where the content lives


def test_export_with_bad_content_fails(site):
    site.add("phase1/1.1.md", task(1, 1, responsibleParty="nobody"))
    res = CliRunner().invoke(main, ["export", "json", str(site.content)])
    assert res.exit_code == 1 and "responsibleParty" in res.output


def test_xlsx_needs_a_file(two_tasks):
    res = CliRunner().invoke(main, ["export", "xlsx", str(two_tasks.content)])
    assert res.exit_code == 2 and "Error: xlsx is binary: give a file with -o" in res.output


def test_one_list_of_formats_makes_the_downloads_and_the_export_command(two_tasks, tmp_path):
    """Each entry of export.EXPORTS is a download, listed with its label, type and note, and a FORMAT of
    ``playbook export`` that writes the same bytes; the command takes no other."""
    assert [e.format for e in export.EXPORTS] == ["json", "csv", "xlsx"]
    assert two_tasks.build().ok()
    page = two_tasks.page("/downloads/")
    for e in export.EXPORTS:
        published = (two_tasks.out / "downloads" / e.file).read_bytes()
        size = publish.Download(e.file, "", "", e.media, published).size
        assert (f'<a href="/downloads/{e.file}" download>{e.label}</a> <span class="pb-muted">({e.media}, {size})'
                f'</span><br>{e.note}</li>') in page
        out = tmp_path / e.file
        res = CliRunner().invoke(main, ["export", e.format, str(two_tasks.content), "-o", str(out)])
        assert res.exit_code == 0, res.output
        assert out.read_bytes() == published, e.format
    res = CliRunner().invoke(main, ["export", "pdf", str(two_tasks.content)])
    assert res.exit_code == 2 and "'pdf' is not one of 'json', 'csv', 'xlsx'" in res.output


@pytest.mark.parametrize("workers", ["1", "3"])
def test_build_publishes_downloads_byte_identical(two_tasks, monkeypatch, workers):
    # with three processes the downloads are made by whichever takes them, the page that shows their sizes after
    monkeypatch.setenv("PLAYBOOK_WORKERS", workers)
    assert two_tasks.build().ok()
    out = two_tasks.out / "downloads"
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    assert {"index.html", "playbook.json", "activities.csv"} <= set(first)
    assert two_tasks.build().ok()
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first
    page = two_tasks.page("/downloads/")
    assert '<a href="/downloads/playbook.json" download>The whole playbook as data (JSON)</a>' in page
    assert '<a href="/downloads/activities.csv" download>Every activity, one per row (CSV)</a>' in page
    # the sizes shown are the written files' (the build lets the bytes go once they are written)
    for name, media in (("playbook.json", "JSON"), ("activities.csv", "CSV")):
        size = publish.Download(name, "", "", media, first[name]).size
        assert f'{name}" download>' in page and f"({media}, {size})" in page
    assert publish.Download("a.csv", "", "csv", "CSV", b"x" * 3000).written().size == "3 KB"
    assert ('<a href="/downloads/" class="usa-identifier__required-link usa-link">Downloads: spreadsheet and data</a>'
            in two_tasks.page("/"))
    res = CliRunner().invoke(main, ["export", "csv", str(two_tasks.content)])
    assert res.stdout_bytes == first["activities.csv"]  # the command and the build give the same bytes


def test_downloads_under_a_subpath(two_tasks):
    assert two_tasks.build(base_url="https://agency.gov/preview/branch-x/").ok()
    assert 'href="/preview/branch-x/downloads/activities.csv"' in two_tasks.page("/downloads/")


def test_xlsx_export_is_the_document_tracker(two_tasks, tmp_path):
    out = tmp_path / "t.xlsx"
    res = CliRunner().invoke(main, ["export", "xlsx", str(two_tasks.content), "-o", str(out)])
    assert res.exit_code == 0, res.output
    again = tmp_path / "u.xlsx"
    CliRunner().invoke(main, ["export", "xlsx", str(two_tasks.content), "-o", str(again)])
    assert out.read_bytes() == again.read_bytes()
    import openpyxl
    ws = openpyxl.load_workbook(out).active
    assert ws["A1"].value == "Artifact"
    assert two_tasks.build().ok()
    assert (two_tasks.out / "downloads" / "document-tracker.xlsx").read_bytes() == out.read_bytes()
