"""Render every page and make every generated file, in forked worker processes when the site is big enough.

The site is loaded, validated and linked once, in this process. Forking then
hands each worker that whole state for free (copy-on-write), so nothing is
pickled on the way in. The processes take jobs (pages, and the files Python
makes: downloads, sitemap, tracker) from one queue and write them into the
writer's temporary folder themselves; only small bookkeeping (file count, page
sources, the links made and the ids of the pages links point into, sizes of
the generated files) comes back through a pipe.

Every page is a pure function of the linked site, so the bytes written do not
depend on which process rendered them; a test holds serial and parallel
output equal.
"""
from __future__ import annotations

import gc
import os
import pickle
import struct
import sys
import traceback
from dataclasses import dataclass
from typing import Callable, Iterable

MIN_PAGES_PER_WORKER = 40
"""Below this many pages per extra worker, forking costs more than it saves (with the layouts
compiled once and cached, a second process already pays off for the 88 pages of the three-phase
corpus: 10 % off the build; 27 % off at 340 pages)."""


def worker_count(pages: int, requested: int | None = None) -> int:
    """How many processes to render ``pages`` pages with (1 = this process only)."""
    if requested is not None:
        return max(1, requested)
    env = os.environ.get("PLAYBOOK_WORKERS", "")
    if env.isdigit():
        return max(1, int(env))
    if not hasattr(os, "fork") or sys.platform == "win32":
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, pages // MIN_PAGES_PER_WORKER))


def _fork(work: Callable[[], object]) -> tuple[int, int]:
    """Start a worker process that runs ``work()``; returns (its pid, the read end of its report).

    The worker pickles ('ok', result), ('oserror', errno, strerror, filename)
    or ('error', traceback) into the pipe and leaves without cleanup handlers.
    """
    r, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        code = 0
        try:
            payload = ("ok", work())
        except OSError as exc:
            payload, code = ("oserror", exc.errno, exc.strerror, exc.filename), 1
        except BaseException:  # noqa: BLE001 - reported to the parent, which raises
            payload, code = ("error", traceback.format_exc()), 1
        try:
            with os.fdopen(wfd, "wb") as f:
                pickle.dump(payload, f, protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            os._exit(code)
    os.close(wfd)
    return pid, r


def _report(pid: int, r: int) -> tuple:
    """Wait for a worker started by :func:`_fork` and read its report."""
    with os.fdopen(r, "rb") as f:
        data = f.read()
    os.waitpid(pid, 0)
    try:
        return pickle.loads(data) if data else ("error", "worker exited without a report")
    except Exception:  # noqa: BLE001
        return ("error", "worker sent an unreadable report")


def _failure(payload: tuple, who: str) -> BaseException:
    """The exception to raise for a worker's failed report."""
    if payload[0] == "oserror":
        return OSError(payload[1], payload[2], payload[3])
    return RuntimeError(f"{who} failed:\n{payload[1]}")


def plan(renderer) -> list[tuple[str, str, dict]]:
    """Every page as (site path, template, context), without rendering any of them.

    ``Renderer.pages`` renders as it goes through ``_page``; shadowing that one
    method on this instance collects the calls instead, so page order and
    contexts stay defined in one place (render.py).
    """
    calls = []

    def defer(template, path, **ctx):
        calls.append((path, template, ctx))
        return path, ""

    renderer._page = defer
    try:
        for _ in renderer.pages():
            pass
    finally:
        del renderer._page
    return calls


def render_one(renderer, job) -> str:
    """Render one planned page."""
    path, template, ctx = job
    return renderer._page(template, path, **ctx)[1]


@dataclass(frozen=True)
class FileJob:
    """Files of the site that Python makes rather than a layout: the downloads, the sitemap, the tracker.

    They are handed out with the pages, so a big download is made by whichever
    process is free instead of before rendering starts.
    """

    make: Callable[[], Iterable[tuple[str, str | bytes]]]
    """Yields (output file relative to the site folder, its content) for each file the job writes."""


def _runner(renderer, writer, made: dict) -> Callable[[object], None]:
    """Does one job: renders a planned page and writes it, or writes a :class:`FileJob`'s files.

    ``made`` gets the size in bytes of every file a :class:`FileJob` wrote, by output file."""
    def run(job) -> None:
        if type(job) is FileJob:
            for rel, data in job.make():
                writer.write(rel, data)
                made[rel] = len(data.encode("utf-8") if isinstance(data, str) else data)
        else:
            writer.write(renderer.urls.output_file(job[0]), render_one(renderer, job))
    return run


def _run_slice(run, jobs, progress) -> None:
    for done, job in enumerate(jobs, 1):
        run(job)
        if progress:
            progress(done)


# Jobs handed out first: the index pages list the whole playbook and take longest, like the
# generated downloads; given out last, one of them could leave a single process working while
# the others wait.
_FIRST = {"activities.html": 0, "party.html": 0, "artifacts.html": 0, "artifact.html": 1}
_TOKEN = struct.Struct("<II")


def _rank(job) -> int:
    return 0 if type(job) is FileJob else _FIRST.get(job[1], 2)


def _fill_queue(total: int) -> int:
    """A pipe holding (start, count) runs of the positions 0..total-1 of the job order; returns its read end.

    Every process takes the next run with one read. A pipe read of a few bytes
    is never split between readers, so each job goes to exactly one process,
    and a process that finishes early just takes more: no job waits behind a
    long one.
    """
    r, w = os.pipe()
    runs = max(1, -(-total // 4096))  # at most 4,096 tokens: 32 KB, within a pipe's buffer
    data = b"".join(_TOKEN.pack(i, min(runs, total - i)) for i in range(0, total, runs))
    with os.fdopen(w, "wb") as f:
        f.write(data)
    return r


def _run_queued(run, jobs, order, queue: int, progress, step: int) -> int:
    done = 0
    while True:
        token = os.read(queue, _TOKEN.size)
        if len(token) < _TOKEN.size:
            return done
        start, count = _TOKEN.unpack(token)
        for i in order[start:start + count]:
            run(jobs[i])
            done += 1
            if progress:
                progress(done * step)


def render_pages(renderer, writer, workers: int | None = None,
                 progress: Callable[[int, int], None] | None = None) -> tuple[list[str], int]:
    """Render every page and write it with ``writer`` (a :class:`playbook.write.SiteWriter`).

    Returns (site paths in page order, processes used); see :func:`run_jobs`.
    """
    jobs = plan(renderer)
    return [j[0] for j in jobs], run_jobs(renderer, writer, jobs, workers, progress)[0]


def run_jobs(renderer, writer, jobs: list, workers: int | None = None,
             progress: Callable[[int, int], None] | None = None) -> tuple[int, dict[str, int]]:
    """Do every job (planned pages, see :func:`plan`, and :class:`FileJob`s), writing with ``writer``.

    Returns (processes used, the size of each file the file jobs wrote).
    ``progress(done, total)`` is called from this process only. What the
    workers' renderers record (the page sources, the links made, the ids of
    the pages fragment links point to) is added to this process's renderer.
    """
    # Layouts do not change while one build renders: asking the disk whether each included
    # layout changed (about twenty times a page) is left to `serve`, between its rebuilds.
    reload, renderer.env.auto_reload = renderer.env.auto_reload, False
    try:
        return _run_all(renderer, writer, jobs, workers, progress)
    finally:
        renderer.env.auto_reload = reload


def _run_all(renderer, writer, jobs, workers, progress) -> tuple[int, dict[str, int]]:
    urls = renderer.urls
    made: dict = {}
    run = _runner(renderer, writer, made)
    total = len(jobs)
    n = worker_count(sum(type(job) is not FileJob for job in jobs), workers)  # pages pay for a worker
    tick = (lambda d: progress(min(d, total), total)) if progress else None
    if n <= 1 or total < 2:
        _run_slice(run, jobs, tick)
        return 1, made
    # The linked site is read by every worker and never freed before the end: out of the
    # collector's sight, its objects are not walked by each collection, nor their pages
    # copied into every worker by the collector's writes (the gc module's advice for fork).
    gc.freeze()
    order = sorted(range(total), key=lambda i: _rank(jobs[i]))
    queue = _fill_queue(total)
    written = writer.count
    linked_before = set(urls.linked)

    def work():
        _run_queued(run, jobs, order, queue, None, 1)
        linked = {path: page for path, page in urls.linked.items() if path not in linked_before}
        return writer.count - written, renderer.sources, linked, renderer.anchors, made

    children = [_fork(work) for _ in range(1, n)]
    failure = None
    try:
        _run_queued(run, jobs, order, queue, tick, n)
    except BaseException as exc:  # still collect the workers before raising
        failure = exc
        while os.read(queue, 65536):  # leave the workers nothing more to take
            pass
    os.close(queue)
    for child in children:
        payload = _report(*child)
        if payload[0] == "ok":
            count, sources, linked, anchors, sizes = payload[1]
            writer.count += count  # files the worker wrote
            renderer.sources.update(sources)
            for path, page in linked.items():
                urls.linked.setdefault(path, page)
            renderer.anchors.update(anchors)
            made.update(sizes)
        elif failure is None:
            failure = _failure(payload, "a render worker")
    gc.unfreeze()
    if failure is not None:
        raise failure
    if progress:
        progress(total, total)
    return n, made
