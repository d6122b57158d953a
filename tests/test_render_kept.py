"""What the renderer works out once per build: partials the same on every page (Renderer.once) and macros
called with the same arguments (Renderer.kept_macro), never one page's values on all, and links to template
files."""
from __future__ import annotations

import jinja2
import pytest

from playbook import pipeline
from playbook.diagnostics import Diagnostics
from playbook.publish.downloads import Download


def renderer(site, layouts=None):
    opts = site.options(**({"layouts": layouts} if layouts else {}))
    return pipeline.prepare(opts, Diagnostics())


def counting(site, tmp_path, **files):
    """A renderer over layouts written from ``files`` (name -> text), and the calls its ``calls()`` global saw."""
    layouts = tmp_path / "layouts"
    layouts.mkdir()
    for name, text in files.items():
        (layouts / name.replace("_", ".")).write_text(text)
    r = renderer(site, layouts)
    seen: list = []
    r.env.globals["calls"] = lambda: seen.append(1) or len(seen)
    return r, seen


def test_once_renders_a_partial_once_with_the_globals(site, tmp_path):
    r, seen = counting(site, tmp_path, count_html="{{ calls() }}\n", page_html='{% include "count.html" %}|{{ current }}')
    assert r.once("count.html") == "1\n"
    assert r.once("count.html") == "1\n" and seen == [1]
    # the bytes an include writes in its place
    assert r.env.get_template("page.html").render(current="/x/") == "2\n|/x/"


def test_once_refuses_a_partial_that_reads_the_page(site, tmp_path):
    r, _ = counting(site, tmp_path, mine_html="<p>{{ current }}</p>")
    with pytest.raises(jinja2.UndefinedError):
        r.once("mine.html")


def test_the_footer_is_made_again_when_the_downloads_change(site):
    r = renderer(site)
    before = r.once("partials/footer.html")
    assert "Downloads:" not in before
    r.downloads = (Download("playbook.pdf", "All (PDF)", "pdf", "PDF", b"%PDF", group="document"),)
    after = r.once("partials/footer.html")
    assert "Downloads: PDF, spreadsheet and data" in after
    assert r.once("partials/footer.html") is after


def test_a_template_link_is_worked_out_once(site, monkeypatch):
    r = renderer(site)
    asked = []
    real = r.urls.template_file
    monkeypatch.setattr(r.urls, "template_file", lambda v: asked.append(v) or real(v))
    assert r.link_for("Plan.docx") == "/assets/files/Plan.docx"
    assert r.link_for("Plan.docx") == "/assets/files/Plan.docx" and asked == ["Plan.docx"]
    assert r.link_for(" /pages/x/ ") == "/pages/x/"
    assert r.link_for("https://example.com/t") is None and r.link_for("") is None
    assert r.link_for("ftp://x.gov/t") is None and r.link_for("www.x.gov") == "https://www.x.gov"


def test_a_kept_macro_is_called_once_per_arguments(site, tmp_path):
    r, seen = counting(site, tmp_path, m_html="{% macro box(n, word='x') %}<b>{{ n }} {{ word }} {{ calls() }}</b>"
                       "{% endmacro %}", page_html='{% from "m.html" import box %}{{ box(1) }}')
    box = r.kept_macro("m.html", "box")
    assert box(1) == "<b>1 x 1</b>" and box(1) == "<b>1 x 1</b>"
    assert box(2, "y") == "<b>2 y 2</b>" and len(seen) == 2
    assert r.env.get_template("page.html").render() == "<b>1 x 3</b>"  # what an import writes


def test_a_kept_macro_cannot_read_the_page(site, tmp_path):
    r, _ = counting(site, tmp_path, m_html="{% macro here() %}{{ current }}{% endmacro %}")
    with pytest.raises(jinja2.UndefinedError):
        r.kept_macro("m.html", "here")()
