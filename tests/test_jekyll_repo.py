"""The M3 site's own Jekyll repository, built as it is (issue 17, items 1, 2 and 4).

``../shared/ussm-sample`` has the repository's shape: the playbook below
``_pages/m3/``, the template files in ``assets/files/`` and the introduction's
images in ``assets/images/`` at the root, and the host site's address in
``_config.yml``. Some files the pages link are missing, as in the repository,
and two files no page links.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from click.testing import CliRunner

from conftest import SHARED, need, need_shared
from playbook import cli, pipeline

SAMPLE = SHARED / "ussm-sample"
M3 = SAMPLE / "_pages" / "m3"
FILES = SAMPLE / "assets" / "files"
HOST = "https://ussm.gsa.gov"


@pytest.fixture(scope="module")
def sample() -> Path:
    need_shared(M3, "the M3 repository sample")
    return SAMPLE


@pytest.fixture(scope="module")
def built(sample, tmp_path_factory):
    """The sample built as it is, with no configuration: (result, output folder)."""
    out = tmp_path_factory.mktemp("ussm") / "site"
    return pipeline.build(pipeline.Options(content=M3, output=out)), out


def linked_names() -> tuple[set[str], set[str]]:
    """(files below assets/files/, files below assets/) that the sample's pages name, read from the sources
    on their own: file fields, and /assets/ links in text (with or without {{site.baseurl}})."""
    files, assets = set(), set()
    for p in M3.rglob("*.md"):
        text = p.read_text(encoding="utf-8")
        files |= {v.strip().strip("'\"") for v in re.findall(r"^\s*-?\s*(?:filename|template|example):\s*(.+)$",
                                                                 text, re.M)}
        # an <a href> or <img src> (an svg's <use xlink:href> is not shown, so not linked)
        for ref in re.findall(r"""(?<![\w:])(?:href|src)=["'](?:\{\{\s*site\.baseurl\s*\}\})?/assets/([^"'#]+)""",
                              text):
            ref = unquote(ref)
            if ref.startswith("files/"):
                files.add(ref[len("files/"):])
            else:
                assets.add(ref)
    return {f for f in files if "://" not in f}, assets


def messages(result) -> list[str]:
    return [d.format().replace(M3.as_posix() + "/", "") for d in result.diagnostics.sorted()]


def test_the_repository_builds_with_no_errors_and_no_configuration(built):
    result, out = built
    assert result.written, messages(result)
    assert result.diagnostics.count("error") == 0
    assert (out / "m3resources" / "index.html").is_file() and (out / "m3" / "index.html").is_file()
    # the built pages, read back as a browser would, hold no broken link the generator made
    read_back = pipeline.check_links(out)
    assert read_back.diagnostics.count("error") == 0, [d.format() for d in read_back.diagnostics.sorted()]


def test_every_linked_file_that_exists_is_published_byte_identical_and_nothing_else(built):
    result, out = built
    files, assets = linked_names()
    existing = {f for f in files if (FILES / f).is_file()}
    assert len(existing) >= 15
    for name in existing:
        assert (out / "assets" / "files" / name).read_bytes() == (FILES / name).read_bytes(), name
    published = {p.relative_to(out / "assets" / "files").as_posix() for p in (out / "assets" / "files").rglob("*")
                 if p.is_file()}
    assert published == existing
    images = {p.relative_to(out / "assets").as_posix() for p in (out / "assets" / "images").rglob("*") if p.is_file()}
    assert images == {a for a in assets if (SAMPLE / "assets" / a).is_file()} and "images/m3-logo-large.svg" in images
    for a in images:
        assert (out / "assets" / a).read_bytes() == (SAMPLE / "assets" / a).read_bytes()
    assert not (out / "assets" / "files" / "golden-data-test-set").exists()
    assert result.unlinked == 2  # the two golden-data-test-set files: left out, counted, never an error


def test_a_missing_file_is_one_warning_at_the_line_that_links_it_in_check_and_build(built):
    result, _out = built
    want = [m for m in messages(result) if "missing file" in m]
    shown = FILES.as_posix()
    assert ("m3resources.md:30: warning: sections[3].items[0].filename: missing file 'Phase 1 Progress Review.pptx' "
            f"(also at phase/1.md:50); add it to {shown}/ to publish it") in want
    assert ("m3.md:225: warning: body: missing file 'images/test-paths.webp'; add it to "
            f"{SAMPLE.as_posix()}/assets/ to publish it") in want
    checked = pipeline.check(pipeline.Options(content=M3))
    assert [m for m in messages(checked) if "missing file" in m] == want
    assert checked.unlinked == result.unlinked
    everything = [d.format() for d in result.diagnostics.items]
    assert len(everything) == len(set(everything))  # each problem once, not once per built page


def test_the_resources_page_lists_every_item_with_its_type_and_size(built):
    _result, out = built
    data = yaml.safe_load((M3 / "m3resources.md").read_text(encoding="utf-8").split("---")[1])
    html = (out / "m3resources" / "index.html").read_text(encoding="utf-8")
    main = html[html.index("<main"):html.index("</main>")]
    items = [i.strip() for i in re.findall(r"<li>(?:<a[^>]*>)?([^<]+)", main)]
    assert items == [i["name"] for s in data["sections"] for i in s["items"]]
    assert [re.sub(r"\W", "", s["name"]) for s in data["sections"]] == re.findall(r'<h2 id="([^"]+)"', main)
    size = (FILES / "M3-Playbook-Governance-Plan-Template.docx").stat().st_size
    assert ('<li><a class="pb-download" href="/assets/files/M3-Playbook-Governance-Plan-Template.docx">Governance '
            f'Plan</a> <span class="pb-muted">(Word document, {round(size / 1024)} KB)</span></li>') in main
    assert '<li>Test Plan <span class="pb-muted">(Word document; not available)</span></li>' in main
    assert '<li><a href="/m3glossary/">View the Glossary</a></li>' in main
    assert '<a href="/m3resources/" aria-current="page">Resources</a>' in html[:html.index("<main")]  # the header
    assert '<li><a href="/m3resources/">Resources</a></li>' in (out / "index.html").read_text(encoding="utf-8")


def test_the_introduction_keeps_its_images_and_resolves_site_baseurl(built):
    result, out = built
    html = (out / "m3" / "index.html").read_text(encoding="utf-8")
    main = html[html.index("<main"):html.index("</main>")]
    assert '<img src="/assets/images/m3-logo-large.svg" alt="M3 Logo">' in main
    assert '<img src="/assets/images/m3/M3-thumbnail1.jpeg" alt="M3-Playbook Video Thumbnail">' in main
    assert "site.baseurl" not in main and "<iframe" not in main and "<svg" not in main
    assert 'href="/m3phase0/"' in main and 'href="/m3resources/#ProgressReviewTemplates"' in main
    assert not [m for m in messages(result) if "anchor" in m]  # the Resources page has the section's id
    assert [m for m in messages(result) if "Liquid" in m] == [
        "m3.md:198: warning: body: Liquid '{% include m3/categoryTag.html category='customer' %}' stays as text "
        "(also on lines 204, 210, 216); playbook runs no Liquid but {{ site.baseurl }}; write out the text it "
        "would make"]
    home = (out / "index.html").read_text(encoding="utf-8")
    assert ('<p>New to the playbook? Start with the <a href="/m3/">Introduction to Modernization and Migration '
            'Management (M3)</a>.</p>') in home


def test_links_to_the_host_site_leave_the_playbook_under_a_subpath(sample, tmp_path):
    result = pipeline.build(pipeline.Options(content=M3, output=tmp_path / "site", base_url="/m3/"))
    assert result.written, messages(result)
    task = (tmp_path / "site" / "0.1" / "index.html").read_text(encoding="utf-8")
    assert f'href="{HOST}/fibf-cw"' in task and 'href="/m3/fibf-cw"' not in task
    intro = (tmp_path / "site" / "m3" / "index.html").read_text(encoding="utf-8")
    assert 'href="/m3/m3phase0/"' in intro and f'href="{HOST}/m3phase5"' in intro
    assert '<img src="/m3/assets/images/m3-logo-large.svg"' in intro
    infos = [m for m in messages(pipeline.check(pipeline.Options(content=M3))) if "host site" in m]
    assert "keyTask/0.1.md:20: info: activities[3].text: link '/fibf-cw' goes to the host site: " \
           f"{HOST}/fibf-cw" in infos
    assert "m3.md:86: info: body: link '{{site.baseurl}}/m3phase5' goes to the host site: " \
           f"{HOST}/m3phase5" in infos
    assert len(infos) == len({m.split(": ", 1)[1] for m in infos})  # each once


def copy_sample(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(SAMPLE, repo)
    return repo


def test_from_the_repository_root_with_content_in_playbook_toml(sample, tmp_path, monkeypatch):
    repo = copy_sample(tmp_path)
    (repo / "playbook.toml").write_text('content = "_pages/m3"\nhost_url = "https://www.example.gov/"\n')
    monkeypatch.chdir(repo)
    r = CliRunner().invoke(cli.main, ["build", ".", "-o", str(tmp_path / "out"), "--no-search", "-q"])
    assert r.exit_code == 0, r.output
    assert re.search(r"built 89 pages \(\d+ files\) into .*: 0 errors, \d+ warnings, [\d.]+ s; 2 files no page "
                     r"links left out$", r.output.strip().splitlines()[-1]), r.output
    assert "_pages/m3/m3resources.md:30: warning: sections[3].items[0].filename: missing file 'Phase 1 Progress " \
           "Review.pptx' (also at _pages/m3/phase/1.md:50); add it to assets/files/ to publish it" in r.output
    assert 'href="https://www.example.gov/fibf-cw"' in (tmp_path / "out" / "0.1" / "index.html").read_text()
    r = CliRunner().invoke(cli.main, ["check", "."])
    assert r.exit_code == 0 and "check passed: 0 errors" in r.output and "2 files no page links left out" in r.output


def test_include_and_exclude_keep_the_other_pages_of_the_site_out(sample, tmp_path):
    repo = copy_sample(tmp_path)
    (repo / "playbook.toml").write_text('content = "_pages"\nexclude = ["about.md", "faq.md"]\n')
    result = pipeline.build(pipeline.Options(content=repo, output=tmp_path / "out", search=False))
    assert result.written, messages(result)
    assert (tmp_path / "out" / "performance-management" / "index.html").is_file()
    assert not (tmp_path / "out" / "about").exists() and not (tmp_path / "out" / "faq").exists()
    (repo / "playbook.toml").write_text('content = "_pages"\ninclude = ["m3/*"]\n')
    result = pipeline.build(pipeline.Options(content=repo, output=tmp_path / "out", search=False))
    assert result.written and result.pages == 89
    assert not (tmp_path / "out" / "performance-management").exists()


def test_a_files_option_names_another_folder(sample, tmp_path):
    repo = copy_sample(tmp_path)
    (repo / "downloads").mkdir()
    (repo / "downloads" / "M3-Playbook.pdf").write_bytes(b"%PDF-1.7 sample")
    (repo / "playbook.toml").write_text('files = "downloads"\n')
    result = pipeline.build(pipeline.Options(content=repo / "_pages" / "m3", output=tmp_path / "out", search=False))
    assert result.written
    assert (tmp_path / "out" / "assets" / "files" / "M3-Playbook.pdf").read_bytes() == b"%PDF-1.7 sample"
    assert sorted(p.name for p in (tmp_path / "out" / "assets" / "files").iterdir()) == ["M3-Playbook.pdf"]
    assert result.unlinked == 0


# --- small repositories written from dicts --------------------------------------------

def test_resources_page_problems_are_named_by_line_and_field(site):
    from conftest import task
    site.add("phase1/1.1.md", task(1, 1))
    site.add("resources.md", {"layout": "m3/m3resources", "title": "Resources", "sections": [
        {"name": "Templates", "items": [{"name": "Plan"}, {"name": "Log", "filename": "Log.xlsx", "size": 3},
                                        {"filename": "x.docx"}]},
        {"name": "Links", "description": "Elsewhere", "items": "not a list"}]})
    site.add("more/resources.md", {"layout": "m3/m3resources", "sections": [{"name": "A", "items": []}]})
    assert site.messages() == [
        "more/resources.md:1: a second Resources page (the first is resources.md); keep every download in one "
        "Resources page",
        "resources.md:7: sections[0].items[0]: needs a 'filename' or a 'url'; add 'filename:' (a file in "
        "assets/files/) or 'url:' (an address or a path on this site)",
        "resources.md:9: warning: sections[0].items[1].filename: missing file 'Log.xlsx'; add it to assets/files/ "
        "to publish it",
        "resources.md:10: warning: sections[0].items[1].size: unknown field; it is shown on the page as written",
        "resources.md:11: sections[0].items[2].name: required field 'name' is missing; add 'name:' (What it is, "
        "shown as the link)",
        "resources.md:11: warning: sections[0].items[2].filename: missing file 'x.docx'; add it to assets/files/ to "
        "publish it",
        "resources.md:14: sections[1].items: expected a mapping of fields, found text 'not a list'"]


def test_liquid_other_than_site_baseurl_is_one_warning_per_file(site):
    from conftest import task
    site.add("phase1/1.1.md", task(1, 1, objective="{{ page.title }} and [x]({{site.baseurl}}/1.1/)"),
             "Text {% include a.html %}\n\nMore {{ site.data.x }}\n")
    assert [m for m in site.messages() if "Liquid" in m] == [
        "phase1/1.1.md:5: warning: objective: Liquid '{{ page.title }}' stays as text (also on lines 19, 21); "
        "playbook runs no Liquid but {{ site.baseurl }}; write out the text it would make"]
    assert site.build().written
    assert 'href="/1.1/"' in site.page("/1.1/") and "{{ page.title }}" in site.page("/1.1/")


def test_a_broken_config_yml_is_a_warning_and_links_stay_in_the_playbook(tmp_path):
    from conftest import SiteDir, task
    repo = SiteDir(tmp_path / "repo")
    (tmp_path / "repo" / "_config.yml").write_text('url: "ftp://ussm.gsa.gov"\n')
    (tmp_path / "repo" / "_pages").mkdir()
    repo.content = tmp_path / "repo" / "_pages" / "m3"
    repo.add("phase1/1.1.md", task(1, 1, objective="See [FIBF](/fibf/)."))
    msgs = [m.replace(repo.content.as_posix() + "/", "").replace((tmp_path / "repo").as_posix() + "/", "")
            for m in repo.messages()]
    assert "_config.yml:1: warning: url: 'ftp://ussm.gsa.gov' is not an http(s) address; links to the host site " \
           "stay under the playbook's base path; set host_url in playbook.toml" in msgs
    assert "phase1/1.1.md:5: warning: objective: link '/fibf/' matches no page of the playbook; if it is a page of " \
           "the site the playbook is part of, set host_url in playbook.toml" in msgs
    (tmp_path / "repo" / "_config.yml").write_text("url: [unclosed\n")
    msgs = [m.replace((tmp_path / "repo").as_posix() + "/", "") for m in repo.messages()]
    assert [m for m in msgs if m.startswith("_config.yml")] == [
        "_config.yml:1: warning: invalid YAML: '[' at column 6 is never closed (libyaml noticed at line 2, column 1: "
        "did not find expected ',' or ']'); the host site's address is not read from it; end the list with ']', or "
        "put text that starts with '[' in quotes"]


def test_the_resources_page_passes_its_json_schema(sample):
    import json

    try:
        import jsonschema
    except ImportError:
        jsonschema = None
    need(jsonschema is not None, "the jsonschema package (pip install -e '.[test]')")
    from playbook.model import jsonschema as schemafiles

    schema = json.loads(schemafiles.render("resources"))
    data = yaml.safe_load((M3 / "m3resources.md").read_text(encoding="utf-8").split("---")[1])
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []
    bad = {"sections": [{"name": "A", "items": [{"name": "no file"}]}]}
    assert [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(bad)] == [
        "{'name': 'no file'} is not valid under any of the given schemas"]
