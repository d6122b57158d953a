"""`playbook serve`: time from saving one key task to the rebuild finishing, at copies 100.

    python3 bench/bench_serve.py [--copies 100] [--edits 10] [--edit KIND]

KIND: objective, activity, name, add-activity, add-input, add-linked-input, add-output, add-shared-output.

Writes the renumbered corpus (../shared/bench-peers/corpus.py), does the
first build, then starts the same watcher `serve` uses and saves one key task
again and again (``--edit``: its objective, an activity's text, its name, a
new activity added and taken away again, which moves the lines of its inputs
and outputs, a new input added and taken away again, which links that task's
inputs again (one no task outputs, or one an earlier task does), or a new
output added and taken away again, which links that task's outputs again: one
no other task outputs, or one that earlier tasks output and later ones take,
which gives those later inputs another producer).
For each save it prints the time from just before the write to the end of the
rebuild, the rebuild alone, and the time until the pages left to the background
(index pages, and the pages that name a renamed task) are done too.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PEERS = ROOT.parent / "shared" / "bench-peers"

from playbook.serve import rebuild as devbuild
from playbook import pipeline
from playbook.serve import watch  # noqa: E402


EDITS = {"objective": "objective: ", "activity": "  - text: ", "name": "name: "}
"""Edit kind -> the first text in the file that each save extends."""
ADDED = "  - text: Check the new activity with the program office\n    responsibleParty: customer\n"
"""The activity that ``--edit add-activity`` puts before the inputs on every other save."""
INPUT = "  - Project Charter\n"
"""The input that ``--edit add-input`` adds on every other save (a name no task outputs: the hints
that name unmatched inputs are worked out again too)."""
LINKED_INPUT = "  - Vision Statement\n"
"""The input that ``--edit add-linked-input`` adds on every other save (an earlier task outputs it)."""
OUTPUT = "  - text: Metrics Review Notes\n"
"""The output that ``--edit add-output`` adds on every other save (a new artifact)."""
SHARED_OUTPUT = "  - Project Business Case\n"
"""The output that ``--edit add-shared-output`` adds on every other save: 0.2 creates it, and 1.7 to 1.14
(and every copy's tasks) take it, so those of the first copy take it from 1.6 instead."""
KINDS = ["add-activity", "add-input", "add-linked-input", "add-output", "add-shared-output"]
WAIT = 60
"""Seconds to wait for a save's rebuild and its background work (an edit that changes the numbers beside
an artifact most tasks take leaves a thousand and more pages to the background)."""


def edited(text: str, kind: str, i: int) -> str:
    """The task file of the i-th save."""
    if kind == "add-activity":
        return text.replace("\ninputs:", "\n" + ADDED + "inputs:", 1) if i % 2 == 0 else text
    if kind in ("add-input", "add-linked-input"):
        added = INPUT if kind == "add-input" else LINKED_INPUT
        return text.replace("\ninputs:\n", "\ninputs:\n" + added, 1) if i % 2 == 0 else text
    if kind in ("add-output", "add-shared-output"):
        added = OUTPUT if kind == "add-output" else SHARED_OUTPUT
        return text.replace("\noutputs:\n", "\noutputs:\n" + added, 1) if i % 2 == 0 else text
    key = EDITS[kind]
    return text.replace(key, f"{key}(edit {i}) ", 1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=100)
    ap.add_argument("--edits", type=int, default=10)
    ap.add_argument("--task", default="phase1/1.6.md", help="key task to save, below content/")
    ap.add_argument("--edit", choices=sorted(EDITS) + KINDS, default="objective",
                    help="what each save changes: the objective (the task page and its phase page show it), "
                         "an activity's text (the activities and party pages too), the name (every page "
                         "that links to the task), a new activity added and removed (the lines of the "
                         "inputs and outputs move), a new input added and removed (its inputs linked again: one no "
                         "task outputs, or one an earlier task does) or a new output (its outputs linked again: a new "
                         "artifact, or one earlier tasks make and later ones take)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="pb-serve-bench-") as tmp:
        content = Path(tmp) / "content"
        subprocess.run([sys.executable, str(PEERS / "corpus.py"), str(ROOT.parent / "shared" / "m3-corpus"),
                        str(content), "--copies", str(args.copies), "--layout", "plain"], check=True,
                       stdout=subprocess.DEVNULL)
        dev = devbuild.DevBuild(pipeline.Options(content=content, search=False), Path(tmp) / "served",
                                defer_indexes=True)  # as `playbook serve` runs it
        start = time.perf_counter()
        first = dev.build()
        print(f"copies {args.copies}: first build {len(first.rendered)} pages in {time.perf_counter() - start:.2f} s")
        done = threading.Event()
        results = []
        stop = threading.Event()

        def on_batch(paths):
            out = dev.update([Path(p) for p in paths if dev.is_content(Path(p))])
            t1 = time.perf_counter()
            dev.render_stale()  # what the server does next, in the background
            results.append((t1, out, time.perf_counter()))
            done.set()

        t = threading.Thread(target=watch.watch, args=([content], on_batch, stop), daemon=True)
        t.start()
        time.sleep(1.0)  # let the watcher settle
        target = content / args.task
        text = target.read_text()
        total, rebuild, pages, everything = [], [], [], []
        for i in range(args.edits):
            done.clear()
            results.clear()
            new = edited(text, args.edit, i)
            t0 = time.perf_counter()
            target.write_text(new)
            if not done.wait(WAIT):
                print(f"edit {i}: no rebuild and background work within {WAIT} s")
                continue
            t1, out, t2 = results[-1]
            total.append(1000 * (t1 - t0))
            everything.append(1000 * (t2 - t0))
            rebuild.append(1000 * out.seconds)
            pages.append(len(out.rendered))
            time.sleep(0.3)
        stop.set()
        t.join(WAIT)  # the served folder goes when this block ends: the watcher must be done with it
        print(f"{len(total)} saves of {args.task}: pages rendered per save {statistics.median(pages):.0f}, "
              f"then {out.deferred} more pages in the background")
        print(f"write -> rebuild finished: median {statistics.median(total):.0f} ms, "
              f"min {min(total):.0f}, max {max(total):.0f}")
        print(f"rebuild alone:             median {statistics.median(rebuild):.0f} ms, "
              f"min {min(rebuild):.0f}, max {max(rebuild):.0f}")
        print(f"write -> the rest too:     median {statistics.median(everything):.0f} ms, "
              f"min {min(everything):.0f}, max {max(everything):.0f}")


if __name__ == "__main__":
    main()
