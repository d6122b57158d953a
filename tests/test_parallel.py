"""Rendering in worker processes writes exactly what rendering in one process writes."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from playbook.render import parallel
from playbook import pipeline

from conftest import ROOT


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="workers need fork")
def test_serial_and_parallel_builds_are_byte_identical(tmp_path, monkeypatch):
    opts = dict(content=ROOT / "content", search=False)
    monkeypatch.setenv("PLAYBOOK_WORKERS", "1")
    one = pipeline.build(pipeline.Options(output=tmp_path / "one", **opts))
    monkeypatch.setenv("PLAYBOOK_WORKERS", "3")
    three = pipeline.build(pipeline.Options(output=tmp_path / "three", **opts))
    assert one.ok() and three.ok(), [d.format() for d in three.diagnostics.sorted()]
    assert (one.workers, three.workers) == (1, 3)
    assert (one.pages, one.files) == (three.pages, three.files)
    assert digest(tmp_path / "one") == digest(tmp_path / "three")


def test_two_builds_are_byte_identical(tmp_path):
    a = pipeline.build(pipeline.Options(content=ROOT / "content", output=tmp_path / "a", search=False))
    b = pipeline.build(pipeline.Options(content=ROOT / "content", output=tmp_path / "b", search=False))
    assert a.ok() and b.ok()
    assert digest(tmp_path / "a") == digest(tmp_path / "b")


def test_worker_count():
    assert parallel.worker_count(10, 4) == 4
    assert parallel.worker_count(10, 0) == 1
    assert parallel.worker_count(parallel.MIN_PAGES_PER_WORKER - 1) == 1


def test_side_navigation_stays_the_same_size_with_many_phases(site):
    """A page lists at most 13 phases, so pages do not grow with the playbook (a linear build)."""
    from conftest import phase, task

    for n in range(2, 31):
        site.add(f"phase{n}/_index.md", phase(n))
        site.add(f"phase{n}/{n}.1.md", task(n, 1))
    site.add("phase1/1.1.md", task(1, 1))
    assert site.build(search=False).ok()
    page = site.page("/20.1/")
    shown = [n for n in range(1, 31) if f">Phase {n}: Phase name {n}</a>" in page]
    assert shown == list(range(14, 27))
    assert ">All 30 phases</a>" in page
    few = site.page("/phase1/")
    assert [n for n in range(1, 31) if f">Phase {n}: Phase name {n}</a>" in few] == list(range(1, 14))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="workers need fork")
def test_a_worker_that_cannot_write_fails_the_build_and_keeps_the_old_site(tmp_path, monkeypatch):
    import errno

    from playbook.publish import writer as write

    opts = pipeline.Options(content=ROOT / "content", output=tmp_path / "site", search=False)
    assert pipeline.build(opts).written
    before = digest(tmp_path / "site")
    parent, real_write = os.getpid(), write.SiteWriter.write

    def full_in_workers(self, rel, data):
        if os.getpid() != parent:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.tmp / rel))
        return real_write(self, rel, data)

    monkeypatch.setattr(write.SiteWriter, "write", full_in_workers)
    monkeypatch.setenv("PLAYBOOK_WORKERS", "3")
    res = pipeline.build(opts)
    assert not res.written
    assert res.fatal.startswith("cannot write the site: No space left on device (")
    assert digest(tmp_path / "site") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


class _Writer:
    """The writer interface, into a folder, counting files like SiteWriter."""

    def __init__(self, root: Path):
        self.tmp, self.count = root, 0
        root.mkdir()

    def write(self, rel, data):
        (self.tmp / rel).parent.mkdir(parents=True, exist_ok=True)
        (self.tmp / rel).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        self.count += 1


@pytest.mark.skipif(not hasattr(os, "fork"), reason="workers need fork")
def test_file_jobs_are_shared_between_processes_and_report_their_sizes(tmp_path, monkeypatch):
    """Generated files are made by whichever process is free; their sizes and the file count come back."""
    import time

    from playbook.render import renderer as render
    from playbook.diagnostics import Diagnostics

    monkeypatch.delenv("PLAYBOOK_WORKERS", raising=False)
    site, urls = pipeline.read_site(pipeline.Options(content=ROOT / "content"), Diagnostics())
    renderer = render.Renderer(site, urls, pipeline.PROJECT / "layouts")

    def make(i):
        time.sleep(0.002)  # long enough that both processes take some
        return [(f"f{i}.txt", f"{os.getpid()}:" + "x" * i), (f"g{i}.bin", b"y" * i)]

    jobs = [parallel.FileJob(lambda i=i: make(i)) for i in range(200)]
    alone = _Writer(tmp_path / "alone")
    assert parallel.run_jobs(renderer, alone, jobs)[0] == 1, "file jobs alone do not pay for a second process"
    template, path, ctx = renderer.task_page(site.playbook.tasks[0])
    writer = _Writer(tmp_path / "two")
    workers, made = parallel.run_jobs(renderer, writer, jobs + [(path, template, ctx)], workers=2)
    assert workers == 2
    assert writer.count == 2 * 200 + 1  # the worker's files counted too
    sizes = {p.name: p.stat().st_size for p in (tmp_path / "two").iterdir() if p.suffix in (".txt", ".bin")}
    assert made == sizes and len(sizes) == 400
    makers = {(tmp_path / "two" / f"f{i}.txt").read_text().split(":")[0] for i in range(200)}
    assert len(makers) == 2, "both processes made files"
