"""The real M3 playbook files build unchanged, and nothing in them (or in the bundled
content) is dropped from the pages."""
from __future__ import annotations

import pytest

from conftest import ROOT
from pagetext import plain, visible_text
from playbook.load import documents as load
from playbook import pipeline
from playbook.model import validate
from playbook.diagnostics import Diagnostics


def _build(content, tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "site"
    result = pipeline.build(pipeline.Options(content=content, output=out))
    assert result.ok(), [d.format() for d in result.diagnostics.sorted() if d.severity == "error"]
    docs = load.load_tree(content, Diagnostics())
    playbook = validate.build_playbook(docs, Diagnostics())
    return out, playbook, docs


@pytest.fixture(scope="module")
def built(corpus, tmp_path_factory):
    return _build(corpus, tmp_path_factory)


@pytest.fixture(scope="module", params=["corpus", "bundled"])
def any_built(request, tmp_path_factory):
    if request.param == "corpus":
        return _build(request.getfixturevalue("corpus"), tmp_path_factory)
    return _build(ROOT / "content", tmp_path_factory)


def page_text(out, path):
    return visible_text((out / path.strip("/") / "index.html").read_text(encoding="utf-8"))


def test_every_file_is_recognised(built):
    _, playbook, docs = built
    kinds = sorted(d.kind for d in docs)
    assert kinds.count("keyTask") == 25 and kinds.count("phase") == 3 and kinds.count("glossary") == 1
    assert len(playbook.tasks) == 25 and len(playbook.phases) == 3


def test_every_key_task_page_exists_at_its_permalink(built):
    out, playbook, _ = built
    for t in playbook.tasks:
        assert t.permalink == f"/{t.id}/"
        assert (out / t.id / "index.html").is_file(), t.id


def test_every_value_of_every_task_is_on_its_page(any_built):
    out, playbook, _ = any_built
    for t in playbook.tasks:
        text = page_text(out, t.permalink)
        expected = [t.name, t.objective, t.activities_text]
        expected += [a.text for a in t.all_activities] + [g.title for g in t.groups]
        expected += [r.name for r in (*t.inputs, *t.outputs)]
        expected += [s.name for s in t.stakeholders] + list(t.best_practices)
        expected += [a.output for a in t.all_activities]
        for value in expected:
            if value:
                assert plain(value) in text, (t.id, value)


def test_activity_groups_of_2_1_are_both_kept(built):
    out, playbook, _ = built
    t = next(t for t in playbook.tasks if t.id == "2.1")
    assert [len(g.activities) for g in t.groups] == [4, 4]
    text = page_text(out, "/2.1/")
    assert "Draft Request for Proposal (RFP)" in text and "Interested providers align provided services" in text


def test_every_value_of_every_phase_is_on_its_page(any_built):
    out, playbook, _ = any_built
    for p in playbook.phases:
        text = page_text(out, p.permalink)
        values = [p.name, p.objective, p.documentation_intro, p.documentation_outro, *p.tollgate, *p.exit_criteria]
        values += [d.name for d in p.documentation]
        for value in values:
            if value:
                assert plain(value) in text, (p.number, value)


def test_every_glossary_term_has_an_anchor(built):
    out, playbook, _ = built
    page = (out / "m3glossary" / "index.html").read_text(encoding="utf-8")
    from playbook.urls import slugify
    for section in playbook.glossary.sections:
        for term in section.terms:
            assert f'id="{slugify(term.name)}"' in page, term.name
            assert plain(term.description) in visible_text(page)


def test_original_html_in_fields_is_rendered_not_escaped(built):
    out, _, _ = built
    page = (out / "1.1" / "index.html").read_text(encoding="utf-8")
    assert '<a href="https://ussm.gsa.gov/qsmo/" rel="noopener noreferrer">QSMOs</a>' in page
    assert "&lt;a href" not in page
