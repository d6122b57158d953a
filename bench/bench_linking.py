#!/usr/bin/env python3
"""Linking stays linear: build 1, 10 and 100 renumbered copies of the M3 corpus and time each phase.

    python3 bench/bench_linking.py [--copies 1 10 100] [--corpus ../shared/m3-corpus] [--check]

For each size, the copies are written by ../shared/bench-peers/corpus.py (copy c
of phase p becomes phase p + 6c; artifact names stay the same in every copy)
into a temporary folder, then built in this process with pipeline.build (no
search index). It prints seconds per phase (load, validate, link, render,
write), the artifact index's share of link, link as a percentage of the whole
build, and microseconds of linking per input or output reference, which stays
flat when linking is linear. On a machine other work keeps busy, wall times
swing; "cpu %" is link's CPU time over the whole build's (this process and its
render workers), which swings less. --check exits 1 when link takes 5% of the
build's wall time or more at the largest size.
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playbook.link import artifacts  # noqa: E402
from playbook.link import site as linking  # noqa: E402
from playbook import pipeline  # noqa: E402

SHARED = ROOT.parent / "shared"
LIMIT = 5.0
"""Link may take at most this percentage of the build."""


def make_corpus(src: Path, out: Path, copies: int) -> None:
    script = SHARED / "bench-peers" / "corpus.py"
    subprocess.run([sys.executable, str(script), str(src), str(out), "--copies", str(copies), "--layout", "plain"],
                   check=True, stdout=subprocess.DEVNULL)


def cpu() -> float:
    """CPU seconds of this process and of its children that have ended."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def build(content: Path, output: Path) -> tuple[pipeline.Result, float, int, float, float]:
    """Build once; returns the result, seconds in the artifact index, references linked, and the CPU
    seconds of link and of the whole build."""
    spent: list[float] = []
    refs: list[int] = []
    link_cpu: list[float] = []
    original, link = artifacts.build_index, linking.link

    def timed(playbook, diags, *args, **kwargs):
        t0 = time.perf_counter()
        index = original(playbook, diags, *args, **kwargs)
        spent.append(time.perf_counter() - t0)
        refs.append(sum(len(t.inputs) + len(t.outputs) + sum(1 for a in t.all_activities if a.output)
                        for t in playbook.tasks))
        return index

    def linked(*args, **kwargs):
        t0 = time.process_time()
        got = link(*args, **kwargs)
        link_cpu.append(time.process_time() - t0)
        return got

    artifacts.build_index, linking.link = timed, linked
    c0 = cpu()
    try:
        result = pipeline.build(pipeline.Options(content=content, output=output, search=False))
    finally:
        artifacts.build_index, linking.link = original, link
    return result, sum(spent), sum(refs), sum(link_cpu), cpu() - c0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--copies", type=int, nargs="+", default=[1, 10, 100])
    ap.add_argument("--corpus", type=Path, default=SHARED / "m3-corpus")
    ap.add_argument("--check", action="store_true", help=f"exit 1 when link takes {LIMIT}%% of the build or more")
    args = ap.parse_args()
    phases = ("load", "validate", "link", "render", "write")
    head = (f"{'copies':>6} {'tasks':>6} {'refs':>7} " + " ".join(f"{p:>9}" for p in phases)
            + f" {'index':>8} {'total':>8} {'link %':>7} {'us/ref':>7} {'workers':>7} {'cpu %':>6}")
    print(head)
    print("-" * len(head))
    last_pct = 0.0
    with tempfile.TemporaryDirectory(prefix="bench-linking-") as tmp:
        for k in args.copies:
            content, output = Path(tmp) / f"c{k}", Path(tmp) / f"out{k}"
            make_corpus(args.corpus, content, k)
            result, index_s, refs, link_cpu, build_cpu = build(content, output)
            if not result.ok():
                errors = [d.format() for d in result.diagnostics.sorted() if d.severity == "error"][:5]
                print(f"build of {k} copies failed: {result.fatal} {errors}", file=sys.stderr)
                return 2
            t = result.timings
            total = result.seconds
            last_pct = 100 * t["link"] / total
            tasks = sum(1 for _ in content.rglob("*.*.md"))
            print(f"{k:>6} {tasks:>6} {refs:>7} " + " ".join(f"{t.get(p, 0.0):>9.3f}" for p in phases)
                  + f" {index_s:>8.3f} {total:>8.2f} {last_pct:>6.2f}% {1e6 * t['link'] / refs:>7.1f}"
                  f" {result.workers:>7} {100 * link_cpu / build_cpu:>5.2f}%")
            if result.artifacts is not None:
                print(f"{'':>6} {result.artifacts.line()}")
                print(f"{'':>6} {result.artifacts.rules_line()}")
    verdict = "under" if last_pct < LIMIT else "OVER"
    print(f"link at {args.copies[-1]} copies: {last_pct:.2f}% of the build ({verdict} the {LIMIT:.0f}% limit)")
    return 1 if args.check and last_pct >= LIMIT else 0


if __name__ == "__main__":
    sys.exit(main())
