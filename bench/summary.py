"""Summarise one bench-peers run: per size and peer, wall, CPU, peak RSS, pages, ms/page and ratios to Hugo.

    python3 bench/summary.py $WORK     # the WORK folder of bench/bench_peers.sh

Reads the harness's results.tsv (every timed build) and checks.tsv (page and
cross-link counts); reports the median of the cold builds.
"""
from __future__ import annotations

import csv
import statistics
import sys
from pathlib import Path


def main(work: Path) -> None:
    rows = list(csv.DictReader(open(work / "results.tsv"), delimiter="\t"))
    checks = {(r["peer"], r["copies"]): r for r in csv.DictReader(open(work / "checks.tsv"), delimiter="\t")}
    cold: dict = {}
    for r in rows:
        if r["mode"] == "cold":
            cold.setdefault((int(r["copies"]), r["peer"]), []).append(r)
    print("| copies | peer | pages | wall s | CPU s | peak RSS MB | ms/page | wall / Hugo | CPU / Hugo | RSS / Hugo "
          "| runs |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for k in sorted({k for k, _ in cold}):
        hugo = cold.get((k, "hugo"))
        base = _medians(hugo) if hugo else None
        for peer in ("hugo", "jekyll", "custom"):
            rs = cold.get((k, peer))
            if not rs:
                continue
            wall, cpu, rss = _medians(rs)
            pages = int(checks.get((peer, str(k)), {}).get("html_pages") or 0)
            name = "playbook" if peer == "custom" else peer
            ratios = (f"{wall / base[0]:.2f} | {cpu / base[1]:.2f} | {rss / base[2]:.2f}" if base
                      else "- | - | -")
            print(f"| {k} | {name} | {pages} | {wall:.2f} | {cpu:.2f} | {rss / 1024:.0f} | "
                  f"{1000 * wall / max(pages, 1):.2f} | {ratios} | {len(rs)} |")
    ten, hundred = cold.get((10, "custom")), cold.get((100, "custom"))
    if ten and hundred:
        per = {}
        for k, rs in ((10, ten), (100, hundred)):
            pages = int(checks[("custom", str(k))]["html_pages"])
            per[k] = 1000 * statistics.median(float(r["wall_s"]) for r in rs) / pages
        print(f"\nplaybook ms/page at copies 100 / at copies 10: {per[100]:.2f} / {per[10]:.2f} = "
              f"{per[100] / per[10]:.2f}")


def _medians(rs: list[dict]) -> tuple[float, float, float]:
    """Median wall seconds, CPU seconds (user + system, all processes) and peak RSS in KB of some runs.

    CPU time says what a build costs when other work shares the machine's cores; wall time, what
    one waits."""
    return (statistics.median(float(r["wall_s"]) for r in rs),
            statistics.median(float(r["user_s"]) + float(r["sys_s"]) for r in rs),
            statistics.median(int(r["maxrss_kb"]) for r in rs))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/m3bench"))
