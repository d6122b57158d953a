"""One small golden site: its pages must not change unless we mean them to.

Regenerate after an intended change with
    PLAYBOOK_REGEN_GOLDEN=1 python3 -m pytest tests/test_golden.py
and read the diff of tests/golden/expected/ before committing it.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from playbook import pipeline

GOLDEN = Path(__file__).parent / "golden"
# Pages and data files; USWDS assets, scripts and styles are not ours to pin here.
KEEP = (".html", ".xml", ".txt", ".csv", ".svg")


def _site_files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.suffix in KEEP and not p.relative_to(out).as_posix().startswith("assets/")}


def test_golden_site(tmp_path, monkeypatch):
    content = tmp_path / "content"  # outside git, so no page shows a commit date
    shutil.copytree(GOLDEN / "content", content)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    out = tmp_path / "site"
    result = pipeline.build(pipeline.Options(content=content, output=out, base_url="/pb/"))
    assert result.ok(), [d.format() for d in result.diagnostics.sorted()]
    got = _site_files(out)
    expected_dir = GOLDEN / "expected"
    if os.environ.get("PLAYBOOK_REGEN_GOLDEN") == "1":
        shutil.rmtree(expected_dir, ignore_errors=True)
        for rel, data in got.items():
            (expected_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            (expected_dir / rel).write_bytes(data)
    expected = {p.relative_to(expected_dir).as_posix(): p.read_bytes()
                for p in sorted(expected_dir.rglob("*")) if p.is_file()}
    assert sorted(got) == sorted(expected)
    for rel in expected:
        assert got[rel].decode() == expected[rel].decode(), rel
