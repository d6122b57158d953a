"""The link checker (issue 7, point 6): every internal link, asset and #anchor resolves.

Runs at the end of every build (a broken link the generator made fails the
build and keeps the old site) and on a built folder with
``playbook check --links DIR``; external links only with ``--external``.
"""
from __future__ import annotations

import http.server
import shutil
import socket
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT, task
from playbook import cli
from playbook.publish import linkcheck
from playbook.diagnostics import Diagnostics


def link_messages(res, site) -> list[str]:
    """The link problems of a run: the generator's (field 'link') and the content's (their field's)."""
    prefix = site.content.as_posix() + "/"
    return [d.format().replace(prefix, "").replace(site.out.as_posix(), "OUT")
            for d in res.diagnostics.sorted()
            if d.field == "link" or "link '" in d.message or "anchor '" in d.message or "file '" in d.message]


def test_bundled_content_has_no_broken_internal_links(tmp_path):
    from playbook import pipeline
    res = pipeline.build(pipeline.Options(content=ROOT / "content", output=tmp_path / "out"))
    assert res.written, [d.format() for d in res.diagnostics.items if d.severity == "error"]
    broken = [d.format() for d in res.diagnostics.items
              if ("link" in d.message or "anchor" in d.message or "file '" in d.message)
              and not d.message.startswith("missing file")]
    assert broken == []


def test_clean_site_has_no_link_diagnostics(site):
    site.add("phase1/1.1.md", task(1, 1), "See [the next task](/1.2/#objective), [top](#top), "
                                          "[the glossary](/glossary/) and [1.2 again](/1.2).\n")
    site.add("phase1/1.2.md", task(1, 2))
    site.add("glossary.md", {"title": "Glossary", "sections": [
        {"name": "Roles", "terms": [{"name": "Program Manager", "description": "Runs it."}]}]})
    res = site.build()
    assert res.written
    assert link_messages(res, site) == []
    assert 'href="/1.2/"' in site.page("/1.1/")  # a page's address without its slash gets it back


def test_the_build_reads_no_page_back(site, monkeypatch):
    """Links are checked from what rendering recorded: no built page is parsed."""
    site.add("phase1/1.1.md", task(1, 1), "See [1.2](/1.2/#objective).\n")
    site.add("phase1/1.2.md", task(1, 2))

    def refuse(*args, **kwargs):
        raise AssertionError("a built page was read back")

    monkeypatch.setattr(linkcheck, "parse_page", refuse)
    monkeypatch.setattr(linkcheck._Reader, "feed", refuse)
    res = site.build()
    assert res.written and link_messages(res, site) == []


def test_broken_link_written_in_content_is_one_warning_at_its_line_in_check_and_build(site):
    site.add("phase1/1.1.md", task(1, 1), "Intro.\n\nGo on to [1.7](/1.7/).\n")
    site.add("phase1/1.2.md", task(1, 2, objective="Back to [1.7](/1.7/)."))
    want = ["phase1/1.1.md:21: warning: body: link '/1.7/' matches no page of the playbook "
            "(also at phase1/1.2.md:5); if it is a page of the site the playbook is part of, set host_url in "
            "playbook.toml"]
    res = site.build()
    assert res.written
    assert link_messages(res, site) == want
    assert [m for m in site.messages() if "link '" in m] == want


def test_broken_anchor_written_in_content(site):
    site.add("phase1/1.1.md", task(1, 1), 'See <a href="/1.1/#nowhere">below</a> and [1.2](/1.2/#nor-here).\n')
    site.add("phase1/1.2.md", task(1, 2, objective="[There](/1.1/#nowhere)"))
    res = site.build()
    assert link_messages(res, site) == [
        "phase1/1.1.md:19: warning: body: broken anchor '/1.1/#nowhere' (also at phase1/1.2.md:5); "
        "page /1.1/ has no element with id 'nowhere'",
        "phase1/1.1.md:19: warning: body: broken anchor '/1.2/#nor-here'; page /1.2/ has no element with id 'nor-here'"]
    assert not [m for m in site.messages() if "anchor" in m]  # check renders nothing, so it cannot tell


def test_strict_build_fails_on_broken_content_link_and_keeps_old_site(site):
    site.add("phase1/1.1.md", task(1, 1))
    assert site.build().written
    before = site.page("/1.1/")
    site.add("phase1/1.1.md", task(1, 1, name="Changed"), "[gone](/gone/)\n")
    res = site.build(strict=True)
    assert not res.written
    assert site.page("/1.1/") == before
    assert not list(site.root.glob("._site.tmp-*"))


def test_broken_link_made_by_a_layout_fails_the_build_once_per_target(site, tmp_path):
    layouts = tmp_path / "layouts"
    shutil.copytree(ROOT / "layouts", layouts)
    base = (layouts / "base.html").read_text()
    (layouts / "base.html").write_text(base.replace("</main>", '<a href="{{ href(\'/nowhere/\') }}">x</a>'
                                                               '<img src="{{ href(\'/assets/none.png\') }}" alt="">'
                                                               '<a href="{{ href(\'/#no-such-id\') }}">x</a>'
                                                               '</main>', 1))
    task_layout = (layouts / "task.html").read_text()
    (layouts / "task.html").write_text(task_layout.replace("{% block content %}", "{% block content %}"
                                                           "<a href=\"{{ href('/1.1/x/') }}\">x</a>", 1))
    site.add("phase1/1.1.md", task(1, 1))
    assert site.build().written
    before = site.page("/1.1/")
    res = site.build(layouts=layouts)
    assert not res.written
    assert link_messages(res, site) == [
        "OUT/index.html: link: broken anchor '/#no-such-id' on page /; page / has no element with id 'no-such-id'",
        "OUT/index.html: link: broken link '/assets/none.png' on page /; no file in the site answers to it",
        "OUT/index.html: link: broken link '/nowhere/' on page /; no file in the site answers to it",
        "phase1/1.1.md: link: broken link '/1.1/x/' on page /1.1/; no file in the site answers to it",
    ]
    assert site.page("/1.1/") == before
    assert not list(site.root.glob("._site.tmp-*"))


def test_missing_template_file_is_one_warning_and_shipped_files_are_published(site):
    site.add("phase1/1.1.md", task(1, 1, outputs=[{"text": "Plan", "filename": "Plan.docx"},
                                                  {"text": "Log", "filename": "Log.xlsx"}]))
    site.add("phase1/1.2.md", task(1, 2, inputs=[{"text": "Plan", "filename": "Plan.docx"}]))
    site.add("assets/files/Log.xlsx", b"PK\x03\x04")
    want = ["phase1/1.1.md:14: warning: outputs[0].filename: missing file 'Plan.docx' (also at phase1/1.2.md:13); "
            "add it to assets/files/ to publish it"]
    res = site.build()
    assert res.written
    assert link_messages(res, site) == want
    assert [m for m in site.messages() if "file '" in m] == want  # check names it too, without building
    assert (site.out / "assets" / "files" / "Log.xlsx").read_bytes() == b"PK\x03\x04"
    assert 'href="/assets/files/Plan.docx"' in site.page("/1.2/")  # still linked, for when it is added


def test_links_under_a_base_path(site):
    site.add("phase1/1.1.md", task(1, 1), "[next](/1.2/) and [rel](../1.2/#objective) and [pb](/m3/1.2/)\n")
    site.add("phase1/1.2.md", task(1, 2))
    res = site.build(base_url="https://agency.example/m3/")
    assert res.written
    assert link_messages(res, site) == []
    page = site.page("/1.1/")
    assert 'href="/m3/1.2/"' in page and 'href="../1.2/#objective"' in page and "/m3/m3/" not in page


# --- check --links on a built folder -------------------------------------------------

def built(site) -> Path:
    site.add("phase1/1.1.md", task(1, 1))
    site.add("phase1/1.2.md", task(1, 2))
    res = site.build()
    assert res.written
    return site.out


def run_check(*args):
    return CliRunner().invoke(cli.main, ["check", "--links", *map(str, args)])


def test_check_links_passes_on_a_fresh_build(site):
    out = built(site)
    result = run_check(out)
    assert result.exit_code == 0, result.output
    assert "check passed: 0 errors" in result.output


def test_check_links_names_the_content_file_of_the_page(site):
    out = built(site)
    shutil.rmtree(out / "1.2")
    result = run_check(out)
    assert result.exit_code == 1
    assert "content/phase1/1.1.md: link: broken link '/1.2/' on page /1.1/; no file in the site answers to it" \
        in result.output
    assert "check failed: " in result.output


def test_check_links_finds_unsafe_and_escaping_links(site):
    out = built(site)
    page = out / "1.1" / "index.html"
    html = page.read_text()
    html = html.replace("</main>", '<a href=" JaVa&#x09;ScRiPt:alert(1)">a</a><a href="../../../etc/passwd">b</a>'
                                   '<a href="/1.2/#no-such-id">c</a><img src="data:image/png;base64,AA==" alt="">'
                                   '</main>')
    page.write_text(html)
    result = run_check(out)
    assert result.exit_code == 1
    out_lines = result.output.splitlines()
    assert "content/phase1/1.1.md: link: unsafe link ' JaVa\\x09ScRiPt:alert(1)' on page /1.1/; " \
           "'javascript:' addresses are never allowed" in out_lines
    assert "content/phase1/1.1.md: link: broken link '../../../etc/passwd' on page /1.1/; " \
           "it leads above the site's root" in out_lines
    assert "content/phase1/1.1.md: link: broken anchor '/1.2/#no-such-id' on page /1.1/; " \
           "page /1.2/ has no element with id 'no-such-id'" in out_lines
    assert not any("data:image" in line for line in out_lines)


def test_check_links_on_a_missing_folder(tmp_path):
    result = run_check(tmp_path / "nothing")
    assert result.exit_code == 2  # like any missing folder named on the command line: misuse
    assert result.output.splitlines()[-1] == f"Error: Invalid value for '[CONTENT]': folder '{tmp_path / 'nothing'}' " \
                                             "does not exist"


def test_resolution_rules(tmp_path):
    files = {"index.html": '<a href="a">dir</a><a href="a/">dir/</a><a href="./a/b.css">rel</a>'
                           '<a href="a/#x">anchor</a><a name="n"></a><a href="#n">named</a>'
                           '<a href="?q=1">query</a><a href="">self</a><a href="mailto:x@y.example">mail</a>'
                           '<link rel="stylesheet" href="a/b.css"><script src="/a/missing.js"></script>'
                           '<img srcset="/a/b.css 1x, /a/none.png 2x" alt="">',
             "a/index.html": '<h2 id="x">X</h2><a href="../index.html#n">up</a><a href="../../up.html">too far</a>',
             "a/b.css": "body{}"}
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    diags = Diagnostics()
    site = linkcheck.Site(tmp_path, linkcheck.list_files(tmp_path), shown="S")
    linkcheck.check_site(site, diags)
    assert [d.format() for d in diags.sorted()] == [
        "S/a/index.html: link: broken link '../../up.html' on page /a/; it leads above the site's root",
        "S/index.html: link: broken link '/a/missing.js' on page /; no file in the site answers to it",
        "S/index.html: link: broken link '/a/none.png' on page /; no file in the site answers to it",
    ]


def test_each_kind_of_address_on_several_pages(tmp_path, monkeypatch):
    """What an address means is worked out once; what it says on each page stays the page's own."""
    files = {
        "index.html": '<h2 id="x">X</h2><div id="a b"></div>'
                      '<a href="#x">1</a><a href="#missing">2</a><a href="#missing">3</a><a href="#top">4</a>'
                      '<a href="#">5</a><a href="#a%20b">6</a><a href=" #x ">7</a><a href="#Missing">8</a>'
                      '<a href="https://ext.example/p#frag">9</a><script src="//cdn.example/lib.js"></script>'
                      '<a href="mailto:x@y.example">10</a><a href="javascript:alert(1)">11</a>'
                      '<img src="data:image/png;base64,AA==" alt=""><a href="data:text/html,x">12</a>'
                      '<a href="sub/">13</a><a href="sub/page.html#y">14</a><a href="/sub/page.html#nope">15</a>',
        "sub/index.html": '<a href="#missing">16</a><a href="page.html">17</a>',
        "sub/page.html": '<p id="y">Y</p><a href="#missing">18</a><a href="../index.html#x">19</a>'
                         '<a href="index.html#x">20</a><a href="https://ext.example/p">21</a>'
                         '<a href="javascript:alert(1)">22</a><a href="/sub/page.html#nope">23</a><a href="#y">24</a>'
                         '<a href="#x">25</a><b id="p%20q"></b><a href="#p%20q">26</a>',
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    requested = {}
    monkeypatch.setattr(linkcheck, "check_external",
                        lambda site, outside, diags, timeout, workers: requested.update(outside))
    diags = Diagnostics()
    site = linkcheck.Site(tmp_path, linkcheck.list_files(tmp_path), shown="S", content_links=frozenset({"#Missing"}))
    assert linkcheck.check_site(site, diags, external=True) == 28
    assert [d.format() for d in diags.items] == [
        "S/index.html: link: broken anchor '#missing' on page /; page / has no element with id 'missing'",
        "S/index.html: warning: link: broken anchor '#Missing' on page /; page / has no element with id 'Missing'",
        "S/index.html: link: unsafe link 'javascript:alert(1)' on page /; 'javascript:' addresses are never allowed",
        "S/index.html: link: unsafe link 'data:text/html,x' on page /; 'data:' addresses are never allowed",
        "S/index.html: link: broken anchor '/sub/page.html#nope' on page /; "
        "page /sub/page.html has no element with id 'nope'",
        "S/sub/index.html: link: broken anchor '#missing' on page /sub/; page /sub/ has no element with id 'missing'",
        "S/sub/page.html: link: broken anchor '#missing' on page /sub/page.html; "
        "page /sub/page.html has no element with id 'missing'",
        "S/sub/page.html: link: broken anchor 'index.html#x' on page /sub/page.html; "
        "page /sub/ has no element with id 'x'",
        "S/sub/page.html: link: unsafe link 'javascript:alert(1)' on page /sub/page.html; "
        "'javascript:' addresses are never allowed",
        "S/sub/page.html: link: broken anchor '/sub/page.html#nope' on page /sub/page.html; "
        "page /sub/page.html has no element with id 'nope'",
        "S/sub/page.html: link: broken anchor '#x' on page /sub/page.html; "
        "page /sub/page.html has no element with id 'x'",
        "S/sub/page.html: link: broken anchor '#p%20q' on page /sub/page.html; "
        "page /sub/page.html has no element with id 'p q'",
    ]
    assert {url: sorted(set(rels)) for url, rels in requested.items()} == {
        "https://ext.example/p": ["index.html", "sub/page.html"], "//cdn.example/lib.js": ["index.html"]}


# --- external links: opt-in, only ever against a local server ---------------------------

class _Handler(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self):
        if self.path == "/no-head":
            self.send_response(405)
        else:
            self.send_response(200 if self.path in ("/ok", "/no-head-get") else 404)
        self.end_headers()

    def do_GET(self):
        self.send_response(200 if self.path in ("/ok", "/no-head") else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def silent_port():
    """A port that accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    yield sock.getsockname()[1]
    sock.close()


def test_external_links_only_when_asked(site, local_server, silent_port):
    silent = f"http://127.0.0.1:{silent_port}/hang"
    site.add("phase1/1.1.md", task(1, 1, objective=f'<a href="{local_server}/ok">ok</a> '
                                                   f'<a href="{local_server}/missing">missing</a> '
                                                   f'<a href="{local_server}/no-head">get only</a> '
                                                   f'<a href="{silent}">silent</a>'))
    res = site.build()
    assert res.written and link_messages(res, site) == []
    assert run_check(site.out).exit_code == 0
    result = CliRunner().invoke(cli.main, ["check", "--links", str(site.out), "--external", "--timeout", "1"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"content/phase1/1.1.md: link: broken external link '{local_server}/missing' on page /1.1/; HTTP 404" \
        in lines
    assert f"content/phase1/1.1.md: link: broken external link '{silent}' on page /1.1/; no answer (timed out)" \
        in lines
    assert not any("/ok'" in line or "/no-head'" in line for line in lines)


def test_external_needs_links(site):
    result = CliRunner().invoke(cli.main, ["check", str(site.content), "--external"])
    assert result.exit_code == 2
    assert "--external needs --links" in result.output


def test_list_files_takes_regular_files_only_and_never_follows_links(tmp_path):
    root = tmp_path / "site"
    (root / "a" / "b").mkdir(parents=True)
    (root / "index.html").write_text("x", encoding="utf-8")
    (root / "a" / "b" / "page.html").write_text("x", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.html").write_text("x", encoding="utf-8")
    (root / "linked.html").symlink_to(outside / "secret.html")
    (root / "folder").symlink_to(outside, target_is_directory=True)
    (root / "a" / "closed").mkdir()
    (root / "a" / "closed" / "hidden.html").write_text("x", encoding="utf-8")
    (root / "a" / "closed").chmod(0)
    try:
        got = linkcheck.list_files(root)
    finally:
        (root / "a" / "closed").chmod(0o755)
    want = {"index.html", "a/b/page.html"}
    assert got == want | ({"a/closed/hidden.html"} if got - want else set())  # root may read a closed folder


def test_links_and_anchors_recorded_by_render_workers_are_checked(site, monkeypatch):
    """Pages rendered in other processes send back the links they made and the ids links point to."""
    monkeypatch.setenv("PLAYBOOK_WORKERS", "2")
    for n in range(1, 13):
        site.add(f"phase1/1.{n}.md", task(1, n))
    site.add("phase1/1.12.md", task(1, 12, objective="See [1.3](/1.3/#objective) and [1.4](/1.4/#nope)."))
    site.add("glossary.md", {"title": "Glossary", "sections": [
        {"name": "Roles", "terms": [{"name": "Program Manager", "description": "Runs it."}]}]})
    res = site.build()
    assert res.workers == 2
    assert link_messages(res, site) == [
        "phase1/1.12.md:5: warning: objective: broken anchor '/1.4/#nope'; page /1.4/ has no element with id 'nope'"]
    assert 'href="/glossary/#program-manager"' in site.page("/1.12/")
