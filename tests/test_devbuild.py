"""`playbook serve`'s incremental rebuild: after each save, the served pages equal a fresh full build."""
from __future__ import annotations

from pathlib import Path

import pytest

from playbook import devbuild, pipeline

from conftest import task


def pages(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.html"))}


def fresh(site, tmp: Path) -> dict[str, bytes]:
    dev = devbuild.DevBuild(site.options(search=False), tmp)
    assert dev.build().ok
    return pages(tmp)


@pytest.fixture
def dev(site, tmp_path):
    site.add("phase1/1.1.md", task(1, 1, outputs=["Business Case"]))
    site.add("phase1/1.2.md", task(1, 2, inputs=["Business Case"], outputs=["Plan"]))
    site.add("phase1/1.3.md", task(1, 3))
    site.add("phase1/1.4.md", task(1, 4, inputs=["Plan"]))
    site.add("phase2/_index.md", {"phase": 2, "name": "Later", "objective": "Go on."})
    site.add("phase2/2.1.md", task(2, 1, inputs=["Plan"]))
    d = devbuild.DevBuild(site.options(search=False), tmp_path / "served")
    first = d.build()
    assert first.ok and first.full, [x.format() for x in first.diagnostics]
    return d


def save(site, dev, rel, data):
    return dev.update([site.add(rel, data)])


def content_pages(rendered: list[str]) -> set[str]:
    """Key-task and phase pages among rendered site paths ('1.2', 'phase1'); indexes left out."""
    names = {p.strip("/") for p in rendered}
    return {n for n in names if n.startswith("phase") or n.replace(".", "").isdigit()}


@pytest.mark.parametrize("rel, data, expected", [
    ("phase1/1.3.md", task(1, 3, objective="New."), {"1.2", "1.3", "1.4", "phase1"}),
    ("phase1/1.3.md", task(1, 3, name="Renamed"), {"1.1", "1.2", "1.3", "1.4", "phase1"}),
    ("phase1/1.2.md", task(1, 2, inputs=["Business Case"], outputs=["Plan"], objective="New."),
     {"1.1", "1.2", "1.3", "1.4", "2.1", "phase1"}),
    ("phase2/2.1.md", task(2, 1, inputs=["Budget"]), {"1.4", "1.2", "2.1", "phase2"}),
])
def test_edit_renders_only_what_it_touches_and_equals_full_build(site, dev, tmp_path, rel, data, expected):
    out = save(site, dev, rel, data)
    assert out.ok and not out.full
    assert content_pages(out.rendered) == expected
    assert "/" in out.rendered and "/activities/" in out.rendered  # indexes always
    assert pages(dev.out) == fresh(site, tmp_path / "fresh")


def test_broken_save_keeps_pages_and_reports_then_recovers(site, dev, tmp_path):
    before = pages(dev.out)
    out = save(site, dev, "phase1/1.3.md", task(1, 3, responsibleParty="qsm0"))
    assert not out.ok and out.rendered == []
    errors = [d.format().replace(site.content.as_posix() + "/", "") for d in out.diagnostics if d.severity == "error"]
    assert errors == ["phase1/1.3.md:6: responsibleParty: unknown party 'qsm0'; did you mean 'qsmo'?"]
    assert pages(dev.out) == before
    fixed = save(site, dev, "phase1/1.3.md", task(1, 3, objective="Fixed."))
    assert fixed.ok and "/1.3/" in fixed.rendered
    assert pages(dev.out) == fresh(site, tmp_path / "fresh")


def test_new_file_renders_everything(site, dev, tmp_path):
    out = save(site, dev, "phase1/1.5.md", task(1, 5))
    assert out.ok and out.full
    assert pages(dev.out) == fresh(site, tmp_path / "fresh")
    (site.content / "phase1" / "1.5.md").unlink()
    gone = dev.update([site.content / "phase1" / "1.5.md"])
    assert gone.ok and gone.full
    assert "1.5/index.html" not in pages(dev.out)
    assert pages(dev.out) == fresh(site, tmp_path / "fresh2")


def test_deferred_indexes_render_later_and_equal_full_build(site, tmp_path):
    site.add("phase1/1.1.md", task(1, 1))
    site.add("phase1/1.2.md", task(1, 2))
    d = devbuild.DevBuild(site.options(search=False), tmp_path / "served", defer_indexes=True)
    assert d.build().ok
    out = save(site, d, "phase1/1.2.md", task(1, 2, activities=[{"text": "A new step", "responsibleParty": "qsmo"}]))
    assert out.ok and content_pages(out.rendered) == {"1.1", "1.2", "phase1"}
    assert "/activities/" in d.stale and out.deferred == len(d.stale)
    assert b"A new step" not in (d.out / "activities" / "index.html").read_bytes()
    assert d.render_stale("/activities/") == 1 and "/activities/" not in d.stale
    assert b"A new step" in (d.out / "activities" / "index.html").read_bytes()
    assert d.render_stale() == out.deferred - 1 and d.stale == {}
    assert pages(d.out) == fresh(site, tmp_path / "fresh")


def test_rename_of_a_second_producer_reaches_every_page_naming_it(site, tmp_path):
    site.add("phase1/1.1.md", task(1, 1, outputs=["Plan"]))
    site.add("phase1/1.2.md", task(1, 2))
    site.add("phase1/1.3.md", task(1, 3, outputs=["Plan"]))
    site.add("phase2/_index.md", {"phase": 2, "name": "Later", "objective": "Go on."})
    site.add("phase2/2.1.md", task(2, 1, inputs=["Plan"]))
    site.add("phase2/2.2.md", task(2, 2))
    d = devbuild.DevBuild(site.options(search=False), tmp_path / "served")
    assert d.build().ok
    out = save(site, d, "phase1/1.3.md", task(1, 3, outputs=["Plan"], name="Revise the plan"))
    assert out.ok and not out.full
    assert {"1.1", "2.1"} <= content_pages(out.rendered)
    assert "2.2" not in content_pages(out.rendered)
    assert pages(d.out) == fresh(site, tmp_path / "fresh")
