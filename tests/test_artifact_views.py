"""The artifact pages' roles: every task that creates, updates or uses an artifact, with what it does."""
from __future__ import annotations

from playbook import pipeline
from playbook.publish import tracker
from playbook.render.artifact_pages import Role, Views
from playbook.link.artifacts import LINKED
from playbook.diagnostics import Diagnostics


def _roles_as_written_first(index, a) -> list[Role]:
    """The roles by the first way they were worked out: a list of marks per task, then filtered in order."""
    marks: dict = {}
    for i, p in enumerate(a.producers):
        marks.setdefault(p, []).append(tracker.CREATED if i == 0 else tracker.UPDATED)
    for p in a.consumers:
        marks.setdefault(p, []).insert(0, tracker.USED)
    out = []
    notes = index.notes(a)
    for p in sorted(marks):
        t = index.tasks[p]
        source = None
        if tracker.USED in marks[p]:
            source = next((x.producer for x in index.task_links(t).inputs
                           if x.artifact is a and x.status in LINKED and x.producer is not t), None)
        out.append(Role(t, tuple(m for m in (tracker.USED, tracker.CREATED, tracker.UPDATED) if m in marks[p]),
                        source, tuple(n for n in notes.get(p, ()) if n)))
    return out


def test_roles_of_every_artifact_of_the_corpus(corpus):
    opts = pipeline.Options(content=corpus)
    site, urls = pipeline.read_site(opts, Diagnostics())
    views = Views(site, urls, "T")
    seen = set()
    for a in site.artifacts.artifacts:
        got = views.roles(a)
        assert got == _roles_as_written_first(site.artifacts, a), a.name
        seen.update(r.marks for r in got)
        assert all(r.source is None for r in got if tracker.USED not in r.marks)
    assert {("Used",), ("Created",), ("Used", "Created")} <= seen  # the corpus has these kinds, at least
    case = views.roles(site.artifacts.lookup("Project Business Case"))
    assert [(r.task.id, r.notes) for r in case if r.notes] == [
        ("1.14", ("\u201cCompleted Project Business Case\u201d matched as Project Business Case (version word)",))]


def test_a_task_that_outputs_an_artifact_twice_creates_and_updates_it():
    class A:
        producers, consumers = [0, 0, 1], [1]

    class Index:
        tasks = ("t0", "t1")

        @staticmethod
        def task_links(t):
            return type("L", (), {"inputs": ()})

        @staticmethod
        def notes(a):
            return {}

    views = Views.__new__(Views)
    views.index = Index
    assert views.roles(A) == [Role("t0", ("Created", "Updated")), Role("t1", ("Used", "Updated"))]
