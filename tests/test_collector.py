"""Builds raise the garbage collector's thresholds while they run and give the caller's back."""
from __future__ import annotations

import gc

import pytest

from playbook import pipeline
from playbook.serve import rebuild as devbuild
from playbook.link import site as link

from conftest import task


@pytest.fixture
def seen(monkeypatch) -> list:
    """The collector's thresholds each time the playbook is linked."""
    got: list = []
    real = link.link

    def linking(*a, **k):
        got.append(gc.get_threshold())
        return real(*a, **k)
    monkeypatch.setattr(link, "link", linking)
    return got


def test_build_check_and_serve_link_with_fewer_collections_then_restore(site, tmp_path, seen):
    site.add("phase1/1.1.md", task(1, 1))
    before = gc.get_threshold()
    assert site.build(search=False).ok() and site.check().ok()
    d = devbuild.DevBuild(site.options(search=False), tmp_path / "served")
    assert d.build().ok
    edited = site.add("phase1/1.2.md", task(1, 2))  # a new file: the whole playbook is linked again
    assert d.update([edited]).ok
    assert seen == [pipeline.THRESHOLDS] * 4
    assert gc.get_threshold() == before != pipeline.THRESHOLDS


def test_thresholds_come_back_when_a_build_fails_on_an_exception(site, monkeypatch):
    site.add("phase1/1.1.md", task(1, 1))
    before = gc.get_threshold()

    def broken(*_a, **_k):
        raise RuntimeError("linking broke")
    monkeypatch.setattr(link, "link", broken)
    with pytest.raises(RuntimeError, match="linking broke"):
        site.build(search=False)
    assert gc.get_threshold() == before
