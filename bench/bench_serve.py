"""`playbook serve`: from saving one key task to its pages written, the browser told, and the background pass done.

    python3 bench/bench_serve.py [--copies 100] [--edits 8] [--edit KIND ...]

KIND: objective, name, input, output, new-output (all of them by default).

Writes the renumbered corpus (../shared/bench-peers/corpus.py), starts the
server as `playbook serve` runs it (HTTP on a free port, the watcher, the
background thread) and saves one key task again and again: its objective or
its name extended, or on every other save an input an earlier task outputs
("Vision Statement"), an output that earlier tasks make and later ones take
("Project Business Case"), or an output no task makes ("Metrics Review Notes")
added, and taken away on the next. For each save it measures, from just
before the file is written (so the watcher's wait counts):

- watch: until the watcher hands the save to the rebuild;
- pages: until the task's page and its phase page are both written (or found to hold that already);
- reload: until the rebuild returns and the browsers are told to reload;
- asked: a browser's request for the stale page the background thread would
  make last, sent as soon as the browser is told, until its answer is read;
- background: until no page or generated file is stale.

The CPU time this process used until the background pass ended is printed
too: on a busy machine (this VM's two cores are shared) wall times grow with
the load, CPU times much less.
"""
from __future__ import annotations

import argparse
import http.client
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

from playbook import pipeline  # noqa: E402
from playbook.serve import server as serve  # noqa: E402

ADDED = {"input": ("\ninputs:\n", "  - Vision Statement\n"),
         "output": ("\noutputs:\n", "  - Project Business Case\n"),
         "new-output": ("\noutputs:\n", "  - text: Metrics Review Notes\n")}
"""Kind -> (the line the added item goes after, the item) for edits that add an item on every other save."""
KINDS = ["objective", "name", *ADDED]
WAIT = 60
"""Seconds to wait for one save's pages and background pass."""


def edited(text: str, kind: str, i: int) -> str:
    """The task file of the i-th save."""
    if kind in ADDED:
        after, item = ADDED[kind]
        return text.replace(after, after + item, 1) if i % 2 == 0 else text
    key = f"{kind}: "
    return text.replace(key, f"{key}(edit {i}) ", 1)


def until(done, timeout: float = WAIT) -> float | None:
    """perf_counter() once ``done()`` holds (polled every millisecond), or None after ``timeout``."""
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        if done():
            return time.perf_counter()
        time.sleep(0.001)
    return None


def summary(label: str, ms: list[float]) -> str:
    if not ms:
        return f"{label}: none"
    return f"{label} median {statistics.median(ms):.0f} ms (min {min(ms):.0f}, max {max(ms):.0f})"


def run(srv, content: Path, task: str, kind: str, edits: int) -> dict[str, list[float]]:
    """Save ``task`` ``edits`` times with edits of ``kind``; the times of each step, in ms."""
    dev = srv.dev
    target = content / task
    shown = (dev.content / task).as_posix()
    t = next(x for x in dev.site.playbook.tasks if x.path == shown)
    mine = {dev.urls.output_file(dev.urls.of(t)), dev.urls.output_file(dev.urls.of(dev.site.phase_of[t.phase]))}
    written: dict[str, float] = {}
    real_put = dev._put

    def put(rel, data):  # written, or left as it was when it holds that already
        real_put(rel, data)
        if rel in mine:
            written.setdefault(rel, time.perf_counter())
    dev._put = put
    told: list[float] = []
    real_publish = srv.hub.publish

    def publish(outcome):
        real_publish(outcome)
        told.append(time.perf_counter())
    srv.hub.publish = publish
    entered: list[float] = []
    real_update = dev.update

    def update(changed):
        entered.append(time.perf_counter())
        return real_update(changed)
    dev.update = update
    port = srv.httpd.server_address[1]
    text = target.read_text(encoding="utf-8")
    got: dict[str, list[float]] = {"watch": [], "pages": [], "reload": [], "asked": [], "background": [],
                                   "background CPU": []}
    for i in range(edits):
        written.clear()
        told.clear()
        entered.clear()
        new = edited(text, kind, i)
        cpu, t0 = time.process_time(), time.perf_counter()
        target.write_text(new, encoding="utf-8")
        if until(lambda: told) is None:
            print(f"  save {i}: no rebuild within {WAIT} s")
            continue
        with dev.lock:
            last = next((rel for rel in reversed(dev.stale) if rel.endswith(".html")), None)
        asked = None
        if last is not None:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
            c.request("GET", "/" + last.removesuffix("index.html"))
            c.getresponse().read()
            asked = time.perf_counter()
        done = until(lambda: not dev.stale)
        if len(written) < len(mine) or done is None:
            print(f"  save {i}: pages {sorted(written)} written, stale left {len(dev.stale)}")
            continue
        got["watch"].append(1000 * (entered[0] - t0))
        got["pages"].append(1000 * (max(written.values()) - t0))
        got["reload"].append(1000 * (told[0] - t0))
        if asked is not None:
            got["asked"].append(1000 * (asked - told[0]))
        got["background"].append(1000 * (done - t0))
        got["background CPU"].append(1000 * (time.process_time() - cpu))
        time.sleep(0.3)
    target.write_text(text, encoding="utf-8")
    until(lambda: told and not dev.stale, 5)
    dev._put, srv.hub.publish, dev.update = real_put, real_publish, real_update
    return got


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=100)
    ap.add_argument("--edits", type=int, default=8)
    ap.add_argument("--task", default="phase1/1.6.md", help="key task to save, below content/")
    ap.add_argument("--edit", choices=KINDS, action="append", help="kinds of edit (default: all)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="pb-serve-bench-") as tmp:
        content = Path(tmp) / "content"
        subprocess.run([sys.executable, str(PEERS / "corpus.py"), str(ROOT.parent / "shared" / "m3-corpus"),
                        str(content), "--copies", str(args.copies), "--layout", "plain"], check=True,
                       stdout=subprocess.DEVNULL)
        srv = serve.Server(pipeline.Options(content=content, search=False), port=0, echo=lambda line: None,
                           out=Path(tmp) / "served")
        start = time.perf_counter()
        first = srv.first_build()
        print(f"copies {args.copies}: first build {len(first.rendered)} pages in {time.perf_counter() - start:.2f} s")
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        time.sleep(1.0)  # let the watcher settle
        for kind in args.edit or KINDS:
            got = run(srv, content, args.task, kind, args.edits)
            print(f"{kind} ({len(got['pages'])} saves of {args.task}):")
            for step in got:
                print("  " + summary(step, got[step]))
        srv.httpd.shutdown()  # serve_forever's thread closes the server and stops the watcher


if __name__ == "__main__":
    main()
