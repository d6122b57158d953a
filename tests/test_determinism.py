"""Determinism (issue 7, point 7): the same input builds to the same bytes.

Each site is built twice by separate processes: into different folders, from
different working directories (the corpus also from a copy in another place;
the bundled content's git history is part of its input, for page dates), with
different PYTHONHASHSEED values and at least a second apart. Every file of the output tree is compared byte for byte,
and so is the list of files, so outputs added later (search index, CSV, XLSX,
PDF) are covered as soon as they exist. That includes Pagefind's search index:
its filter files, meta file and entry, which Pagefind itself writes in
hash-map order, are put in one order by playbook.search_canon. The order in which the generator
writes files is compared too.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT, need_shared


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (sorted by path) with its bytes; symbolic links as their target."""
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.is_symlink():
            out[rel] = b"-> " + os.readlink(p).encode()
        elif p.is_file():
            out[rel] = p.read_bytes()
    return out


def build(content: Path, out: Path, cwd: Path, seed: str, *extra: str) -> None:
    env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "playbook", "build", str(content), "-o", str(out), "-q", *extra],
                          cwd=cwd, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    out = [f"only in first: {k}" for k in sorted(set(a) - set(b))]
    out += [f"only in second: {k}" for k in sorted(set(b) - set(a))]
    for k in sorted(set(a) & set(b)):
        if a[k] != b[k]:
            x, y = a[k], b[k]
            i = next((i for i in range(min(len(x), len(y))) if x[i] != y[i]), min(len(x), len(y)))
            out.append(f"{k}: differs at byte {i}: {x[max(0, i - 40):i + 40]!r} vs {y[max(0, i - 40):i + 40]!r}")
    return out


@pytest.mark.parametrize("which", ["bundled", "corpus", "bundled with PDF"])
def test_two_builds_are_byte_identical(which, tmp_path):
    content = CORPUS if which == "corpus" else ROOT / "content"
    extra = ("--pdf",) if "PDF" in which else ()
    if which == "corpus":
        need_shared(content, "the M3 corpus")
    (tmp_path / "a" / "cwd").mkdir(parents=True)
    (tmp_path / "elsewhere" / "b" / "cwd").mkdir(parents=True)
    first = tmp_path / "a" / "site"
    second = tmp_path / "elsewhere" / "b" / "other-name"
    build(content.resolve(), first, tmp_path / "a" / "cwd", "1", *extra)
    time.sleep(1.1)  # a clock read anywhere in the build would now differ
    if which == "corpus":  # same input, another place (the bundled content's git history is input too)
        moved = tmp_path / "elsewhere" / "src" / content.name
        shutil.copytree(content, moved)
    else:
        moved = content.resolve()
    build(moved, second, tmp_path / "elsewhere" / "b" / "cwd", "4242", *extra)
    a, b = tree(first), tree(second)
    assert len(a) > 20
    assert any(k.startswith("pagefind/filter/") for k in a), "the search index (with its filters) is compared too"
    if extra:
        assert any(k.endswith(".pdf") for k in a), "the PDFs are compared too"
    assert differences(a, b) == []


def test_write_order_is_stable(tmp_path, monkeypatch):
    """The generator writes files in the same order every time (archives and indexes depend on it)."""
    from playbook import pipeline
    from playbook.publish import writer as write

    orders = []
    for run in range(2):
        seen: list[str] = []
        real_write, real_copy = write.SiteWriter.write, write.SiteWriter.copy

        def rec_write(self, rel, data, _seen=seen, _real=real_write):
            _seen.append(rel)
            return _real(self, rel, data)

        def rec_copy(self, src, rel, _seen=seen, _real=real_copy):
            _seen.append(rel)
            return _real(self, src, rel)

        with monkeypatch.context() as m:
            m.setattr(write.SiteWriter, "write", rec_write)
            m.setattr(write.SiteWriter, "copy", rec_copy)
            res = pipeline.build(pipeline.Options(content=ROOT / "content", output=tmp_path / f"site{run}"))
        assert res.written
        orders.append(seen)
    assert orders[0] == orders[1]
    assert len(orders[0]) == len(set(orders[0])), "a file was written twice"
