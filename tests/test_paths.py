"""Paths from content never leave their folder (issue 7, point 2).

Permalinks, file names, template/example/url values and related slugs with
'..', absolute paths, drive letters or backslashes are refused with a
diagnostic; symbolic links out of the content folder are refused; nothing is
written outside the output folder; Unicode names and names with spaces work.
"""
from __future__ import annotations

import posixpath
from urllib.parse import unquote

import pytest

from conftest import task
from playbook import urls
from playbook.publish.writer import OutputError, SiteWriter

UNSAFE_HINT = ("give a file name such as 'Plan-Template.docx' (published from the content folder's "
               "assets/files/) or an https:// address")
DOTS = "must not contain '..', '.', backslashes, drive letters or control characters"


@pytest.mark.parametrize("value, why", [
    ("/../x/", DOTS),
    ("/a/../../x/", DOTS),
    ("/%2e%2e/x/", DOTS),
    ("/C:/x/", DOTS),
    ("/a\\b/", DOTS),
    ("../x", "must start with '/'"),
    ("C:/x/", "must start with '/'"),
    ("//evil.example/", "must be a path on this site, not an address"),
    ("/x\t/", DOTS),
])
def test_unsafe_permalink_is_refused(site, value, why):
    site.add("phase1/1.1.md", task(1, 1, permalink=value))
    shown = value.replace("\t", "\\x09")
    assert site.messages() == [f"phase1/1.1.md:18: permalink: unsafe permalink '{shown}': {why}; "
                               "use a path such as '/1.1/'"]


FILE_CASES = [
    ("../x.docx", "must not contain '..', '.' or empty folder names"),
    ("a/../../x.docx", "must not contain '..', '.' or empty folder names"),
    ("..", "must not contain '..', '.' or empty folder names"),
    ("/etc/passwd", "must be a file name, not an absolute path"),
    ("C:\\Templates\\x.docx", "must not start with a drive letter"),
    ("d:x.docx", "must not start with a drive letter"),
    ("sub\\x.docx", "must not contain backslashes"),
]


def _errors(site) -> list[str]:
    return [m for m in site.messages() if ": warning: " not in m and ": info: " not in m]


@pytest.mark.parametrize("value, why", FILE_CASES)
def test_unsafe_filename_is_refused(site, value, why):
    site.add("phase1/1.1.md", task(1, 1, outputs=[{"text": "Plan", "filename": value}]))
    assert _errors(site) == [f"phase1/1.1.md:14: outputs[0].filename: unsafe path '{value}': {why}; {UNSAFE_HINT}"]


@pytest.mark.parametrize("field", ["template", "example"])
@pytest.mark.parametrize("value, why", FILE_CASES)
def test_unsafe_template_and_example_are_refused(site, field, value, why):
    site.add("phase1/1.1.md", task(1, 1, activities=[
        {"text": "Do it", "responsibleParty": "customer", field: value}]))
    got = _errors(site)
    assert len(got) == 1
    assert got[0].endswith(f"activities[0].{field}: unsafe path '{value}': {why}; {UNSAFE_HINT}")
    assert got[0].startswith("phase1/1.1.md:")


@pytest.mark.parametrize("value, why", [
    ("/a/../../etc/passwd", DOTS),
    ("//evil.example/x", "must be a path on this site, not an address"),
    ("C:\\x.pdf", "must not start with a drive letter"),
])
def test_unsafe_url_and_download_are_refused(site, value, why):
    site.add("phase1/_index.md", {"phase": 1, "name": "P", "objective": "O", "downloads": {"guide": value}})
    site.add("phase1/1.1.md", task(1, 1, inputs=[{"text": "Plan", "url": value}]))
    got = _errors(site)
    assert f"phase1/_index.md:6: downloads.guide: unsafe path '{value}': {why}; {UNSAFE_HINT}" in got
    assert f"phase1/1.1.md:13: inputs[0].url: unsafe path '{value}': {why}; {UNSAFE_HINT}" in got
    assert len(got) == 2


@pytest.mark.parametrize("value", ["../../etc/passwd", "a/b", "C:\\x", "..", "/abs"])
def test_unsafe_related_slug_is_refused(site, value):
    site.add("phase1/1.1.md", task(1, 1, related=[value]))
    assert site.messages() == [
        f"phase1/1.1.md:19: related[0]: unsafe page slug '{value}': must be a file stem without folders, "
        "'..' or backslashes; name a page by its file name without '.md', such as 'glossary'"]


def test_template_file_url_never_leaves_the_files_folder():
    for name in ["../x", "..", "a/../../b", "/etc/passwd", "C:x", "a\\b", ".", "a//b", "x\x00"]:
        with pytest.raises(ValueError):
            urls.Urls.template_file(name)
    for name in ["Plan.docx", "Plan Template ü.docx", "sub/Plan.docx", "%2e%2e", "a?b#c.docx", "...docx"]:
        got = urls.Urls.template_file(name)
        path = posixpath.normpath(unquote(got.split("?")[0].split("#")[0]))
        assert path.startswith("/assets/files/"), (name, got)
        assert "?" not in got and "#" not in got


def test_symlinked_file_out_of_the_content_folder_is_refused(site, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("---\nphase: 1\nkeyTask: 1\nname: Secret\n---\n")
    (site.content / "phase1" / "1.1.md").symlink_to(secret)
    assert site.messages() == ["phase1/1.1.md: symbolic link points outside the content folder; "
                               "content must live inside the content folder"]


def test_symlinked_folder_is_not_followed(site, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "1.1.md").write_text("---\nphase: 1\n---\n")
    (site.content / "phase2").symlink_to(outside, target_is_directory=True)
    assert site.messages() == ["phase2: symbolic link points outside the content folder; "
                               "content must live inside the content folder"]


def test_symlinked_template_file_out_of_the_content_folder_is_refused(site, tmp_path):
    (tmp_path / "passwd").write_text("root:x:0:0\n")
    files = site.content / "assets" / "files"
    files.mkdir(parents=True)
    (files / "Plan.docx").symlink_to(tmp_path / "passwd")
    site.add("phase1/1.1.md", task(1, 1, outputs=[{"text": "Plan", "filename": "Plan.docx"}]))
    res = site.build()
    prefix = site.content.as_posix() + "/"
    msgs = [d.format().replace(prefix, "") for d in res.diagnostics.sorted()]
    assert "phase1/1.1.md:14: outputs[0].filename: file 'Plan.docx' is not published: it is a symbolic link to a " \
           "file outside its folder; copy the file into the folder instead" in msgs
    assert not res.written
    assert not site.out.exists()


def test_unicode_and_spaces_in_file_names(site):
    site.add("pages/Übersicht der Maßnahmen.md", {"title": "Übersicht"}, "Text.\n")
    site.add("assets/files/Plan Template – ü.docx", b"PK\x03\x04 template bytes")
    site.add("phase1/1.1 copy.md", task(1, 1, related=["Übersicht der Maßnahmen"],
                                        outputs=[{"text": "Plan", "filename": "Plan Template – ü.docx"}]))
    res = site.build()
    assert res.ok(), [d.format() for d in res.diagnostics.items]
    assert not [d for d in res.diagnostics.items if d.field == "link"]
    assert (site.out / "assets" / "files" / "Plan Template – ü.docx").read_bytes() == b"PK\x03\x04 template bytes"
    assert (site.out / "ubersicht-der-manahmen" / "index.html").is_file()
    page = site.page("/1.1/")
    assert 'href="/assets/files/Plan%20Template%20%E2%80%93%20%C3%BC.docx"' in page
    assert 'href="/ubersicht-der-manahmen/"' in page


def test_writer_refuses_paths_out_of_the_output_folder(tmp_path):
    w = SiteWriter(tmp_path / "_site")
    try:
        for rel in ["../escape.html", "a/../../escape.html", "/tmp/escape.html"]:
            with pytest.raises(OutputError, match="refusing to write outside the output folder"):
                w.write(rel, "x")
        (w.tmp / "link").symlink_to(tmp_path, target_is_directory=True)
        with pytest.raises(OutputError, match="refusing to write outside the output folder"):
            w.write("link/escape.html", "x")
    finally:
        w.abort()
    assert not (tmp_path / "escape.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_output_file_refuses_unsafe_site_paths():
    for bad in ["/../x/", "/a/../../b", "//host/x", "/C:/x", "/a\\b"]:
        with pytest.raises(ValueError):
            urls.Urls.output_file(bad)


def test_a_build_writes_only_inside_the_output_folder(site, tmp_path):
    site.add("phase1/1.1.md", task(1, 1, permalink="/deep/ünï code/1.1/"))
    site.add("phase1/1.2.md", task(1, 2, permalink="/../../escape/"))
    before = {p for p in tmp_path.rglob("*")}
    assert not site.build().written
    site.add("phase1/1.2.md", task(1, 2))
    res = site.build()
    assert res.written
    new = {p for p in tmp_path.rglob("*")} - before
    assert new and all(p == site.out or site.out in p.parents for p in new), \
        sorted(str(p) for p in new if site.out not in p.parents)[:5]
    assert (site.out / "deep" / "ünï code" / "1.1" / "index.html").is_file()
    assert not list(tmp_path.parent.glob("escape"))


@pytest.mark.parametrize("name", ["evil.html", "evil.SVG", "evil.js", "evil.xhtml", "evil.css", "README"])
def test_active_files_are_not_published_from_content(site, name):
    """An HTML, SVG or script file served from the site's origin would run with the site's rights."""
    site.add(f"assets/files/{name}", b"<svg><script>alert(1)</script></svg>")
    site.add("assets/files/Plan.docx", b"PK")
    site.add("phase1/1.1.md", task(1, 1))
    res = site.build()
    assert res.written and res.unlinked == 2  # linked by nothing: left out, never an error
    assert not (site.out / "assets" / "files").exists()
    site.add("phase1/1.1.md", task(1, 1, outputs=[{"text": "Plan", "filename": name}]))
    res = site.build()
    prefix = site.content.as_posix() + "/"
    msgs = [d.format().replace(prefix, "") for d in res.diagnostics.sorted() if d.severity == "error"]
    why = ("the SVG holds script, event handlers or links; save it again as a plain SVG (shapes only), or as PNG"
           if name.endswith("SVG") else "its type could run script on the site; files may be .csv, .doc, .docx, "
           ".gif, .jpeg, .jpg, .odp, .ods, .odt, .pdf, .png, .ppt, .pptx, .svg, .txt, .webp, .xls, .xlsm, .xlsx, .zip")
    assert msgs == [f"phase1/1.1.md:14: outputs[0].filename: file '{name}' is not published: {why}"]
    assert not (site.out / "assets" / "files").exists()


@pytest.mark.parametrize("svg", [
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    b'<svg><a href="https://x.example/"><rect/></a></svg>',
    b'<svg><use xlink:href="other.svg#x"/></svg>',
    b'<svg><foreignObject><p>x</p></foreignObject></svg>',
    b'<svg><set attributeName="href" to="javascript:alert(1)"/></svg>',
    b'<!DOCTYPE svg [<!ENTITY x "y">]><svg/>',
    b'<svg><style>@import url(https://x.example/a.css);</style></svg>'])
def test_an_svg_that_could_do_more_than_draw_is_refused(svg):
    from playbook.publish.files import svg_problem
    assert svg_problem(svg)


def test_a_plain_svg_image_is_published(site):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2 2"><style>.a{fill:#00f}</style>' \
          b'<defs><path id="p" d="M0 0h1v1z"/></defs><use href="#p" class="a"/></svg>'
    site.add("assets/images/logo.svg", svg)
    site.add("pages/about.md", {"title": "About"}, '<img src="/assets/images/logo.svg" alt="The logo">\n')
    res = site.build()
    assert res.ok(), [d.format() for d in res.diagnostics.sorted()]
    assert (site.out / "assets" / "images" / "logo.svg").read_bytes() == svg


def test_a_content_file_never_replaces_the_sites_own(site):
    site.add("assets/css/site.css", b"body{display:none}")
    site.add("pages/about.md", {"title": "About"}, '[style](/assets/css/site.css)\n')
    res = site.build()
    prefix = site.content.as_posix() + "/"
    assert [d.format().replace(prefix, "") for d in res.diagnostics.sorted() if d.severity == "error"] == [
        "pages/about.md:4: body: file 'css/site.css' is not published: the site's own styles, scripts or images use "
        "that path; give the file another name"]
