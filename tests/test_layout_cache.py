"""Compiled layouts are kept between builds, in a private folder, and never change what a build writes."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import jinja2
import pytest

from playbook.render import layout_cache

from conftest import task


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def compiled(monkeypatch) -> list[str]:
    """Names of the layouts Jinja compiles from source from now on."""
    names: list[str] = []
    real = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        names.append(name)
        return real(self, source, name, filename, raw, defer_init)
    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return names


def _fill(site) -> None:
    site.add("phase1/1.1.md", task(1, 1, outputs=["Plan"]))
    site.add("phase1/1.2.md", task(1, 2, inputs=["Plan"]))


def test_second_build_loads_every_layout_from_the_cache_and_writes_the_same_bytes(site, tmp_path, monkeypatch,
                                                                                 compiled):
    monkeypatch.setenv(layout_cache.ENV, str(tmp_path / "cache"))
    _fill(site)
    assert site.build(search=False).ok()
    first = _files(site.out)
    assert "task.html" in compiled and len(list((tmp_path / "cache").iterdir())) == len(set(compiled))
    compiled.clear()
    assert site.build(search=False).ok()
    assert compiled == [] and _files(site.out) == first


def test_an_edited_layout_is_compiled_again(site, tmp_path, monkeypatch, compiled):
    layouts = tmp_path / "layouts"
    shutil.copytree(Path(__file__).resolve().parent.parent / "layouts", layouts)
    monkeypatch.setenv(layout_cache.ENV, str(tmp_path / "cache"))
    _fill(site)
    assert site.build(search=False, layouts=layouts).ok()
    page = layouts / "task.html"
    page.write_text(page.read_text(encoding="utf-8") + "{# edited #}\n", encoding="utf-8")
    compiled.clear()
    assert site.build(search=False, layouts=layouts).ok()
    assert compiled == ["task.html"]


def test_a_damaged_cache_file_is_compiled_again(site, tmp_path, monkeypatch, compiled):
    cache = tmp_path / "cache"
    monkeypatch.setenv(layout_cache.ENV, str(cache))
    _fill(site)
    assert site.build(search=False).ok()
    first = _files(site.out)
    for f in cache.iterdir():
        f.write_bytes(b"not a compiled layout")
    compiled.clear()
    assert site.build(search=False).ok()
    assert "task.html" in compiled and _files(site.out) == first


@pytest.mark.parametrize("setting", ["off", ""])
def test_the_cache_can_be_turned_off(monkeypatch, setting):
    monkeypatch.setenv(layout_cache.ENV, setting)
    assert layout_cache.bytecode_cache() is None


def test_a_folder_others_can_write_is_not_used(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cache.mkdir()
    cache.chmod(0o777)
    monkeypatch.setenv(layout_cache.ENV, str(cache))
    assert layout_cache.bytecode_cache() is None
    cache.chmod(0o700)
    assert layout_cache.bytecode_cache() is not None


def test_no_folder_to_keep_it_in_still_builds(site, tmp_path, monkeypatch, compiled):
    blocked = tmp_path / "a-file"
    blocked.write_text("x", encoding="utf-8")
    monkeypatch.setenv(layout_cache.ENV, str(blocked / "cache"))
    assert layout_cache.bytecode_cache() is None
    _fill(site)
    assert site.build(search=False).ok() and "task.html" in compiled


def test_the_default_folder_is_the_users_cache(tmp_path, monkeypatch):
    monkeypatch.delenv(layout_cache.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert layout_cache.folder() == tmp_path / "playbook" / "layouts"
    assert layout_cache.bytecode_cache() is not None
    assert (tmp_path / "playbook" / "layouts").stat().st_mode & 0o777 == 0o700
    assert os.getuid() == (tmp_path / "playbook" / "layouts").stat().st_uid
