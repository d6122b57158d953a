"""Time the Pagefind search index on its own, over sites bench_peers.sh already built.

    python3 bench/bench_search.py $WORK 1 10 100

Indexes a copy of ``$WORK/custom-K/out`` (playbook's output, built with
--no-search) exactly as ``playbook build`` does, and prints the wall time.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playbook.publish import search  # noqa: E402


def main(work: Path, sizes: list[str]) -> None:
    print("\n| copies | pages indexed | Pagefind index s |")
    print("|---|---|---|")
    for k in sizes:
        site = work / f"custom-{k}" / "out"
        if not site.is_dir():
            print(f"| {k} | - | (no playbook output in {site}) |")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "site"
            shutil.copytree(site, copy)
            pages = sum(1 for _ in copy.rglob("*.html"))
            start = time.perf_counter()
            done = subprocess.run(search.command(copy, "pagefind"), capture_output=True, text=True)
            took = time.perf_counter() - start
            status = f"{took:.2f}" if done.returncode == 0 else f"failed: {done.stderr.strip()[-120:]}"
            print(f"| {k} | {pages} | {status} |")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2:] or ["1", "10", "100"])
