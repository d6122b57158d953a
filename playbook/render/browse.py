"""Browse: who does what, across the whole playbook. Pure functions over the linked site.

The playbook-wide activities view and the static page of each responsible party
are built from the same rows, so the filtered view in a browser and the page a
reader without JavaScript gets always agree.

Party semantics (the same in :func:`matches` and in ``static/js/filter.js``):
an activity matches a party when that party is named in its responsibility;
'shared' matches every shared activity, including a bare 'shared' that names no
party. So the provider filter shows provider work and work shared with the
provider, never a bare 'shared' activity.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from playbook.link.site import Site
from playbook.model.types import PARTIES, SHARED, Activity, KeyTask, Responsibility

FILTER_PARTIES = (*PARTIES, SHARED)
"""Every value the party filter takes, in display order."""


def party_keys(r: Responsibility) -> tuple[str, ...]:
    """The filter values a responsibility matches: ('customer', 'qsmo', 'shared')."""
    return r.parties + ((SHARED,) if r.shared else ())


def matches(r: Responsibility, party: str) -> bool:
    """True when the party filter ``party`` shows work with responsibility ``r``."""
    return party in party_keys(r)


@dataclass(frozen=True)
class TaskActivities:
    """One key task and the activities of it that a view lists."""

    task: KeyTask
    """The key task."""
    activities: tuple[tuple[str, Activity], ...]
    """(group title or '', activity) in page order."""
    lead: bool = False
    """True when the task's own responsibility matches the view's party."""


def _grouped(task: KeyTask) -> list[tuple[str, Activity]]:
    rows = [("", a) for a in task.activities]
    for g in task.groups:
        rows.extend((g.title, a) for a in g.activities)
    return rows


def task_activities(task: KeyTask, party: str | None = None) -> TaskActivities | None:
    """How the activities view (``party`` None) or a party's page lists a key task; None when it leaves it out."""
    rows = _grouped(task)
    if party is None:
        return TaskActivities(task, tuple(rows))
    shown = tuple((g, a) for g, a in rows if matches(a.responsibility, party))
    lead = matches(task.responsibility, party)
    return TaskActivities(task, shown, lead) if shown or lead else None


def all_activities(site: Site) -> list[tuple[int, list[TaskActivities]]]:
    """Every key task with all its activities, by phase: the playbook-wide view."""
    out = []
    for number in site.phase_numbers():
        tasks = [task_activities(t) for t in site.tasks_by_phase.get(number, ())]
        if tasks:
            out.append((number, tasks))
    return out


def for_party(site: Site, party: str) -> list[tuple[int, list[TaskActivities]]]:
    """Key tasks the party leads or takes part in, with only the activities it takes part in."""
    out = []
    for number in site.phase_numbers():
        tasks = [row for t in site.tasks_by_phase.get(number, ()) if (row := task_activities(t, party))]
        if tasks:
            out.append((number, tasks))
    return out


def count(listing: list[tuple[int, list[TaskActivities]]]) -> tuple[int, int]:
    """(key tasks, activities) in a listing."""
    tasks = sum(len(ts) for _, ts in listing)
    acts = sum(len(t.activities) for _, ts in listing for t in ts)
    return tasks, acts


def workstream_counts(tasks) -> dict[str, int]:
    """Key tasks per workstream."""
    return Counter(t.workstream for t in tasks)


def parties_of(task: KeyTask) -> tuple[str, ...]:
    """Every filter value a key task touches, itself or through an activity, in display order."""
    found = set(party_keys(task.responsibility))
    for a in task.all_activities:
        found.update(party_keys(a.responsibility))
    return tuple(p for p in FILTER_PARTIES if p in found)


def runs(rows) -> list[tuple[str, list[Activity]]]:
    """Consecutive activities under the same group title: [(title, [activity, ...])]."""
    out: list[tuple[str, list[Activity]]] = []
    for title, a in rows:
        if out and out[-1][0] == title:
            out[-1][1].append(a)
        else:
            out.append((title, [a]))
    return out


PARTY_INTROS = {
    "customer": "The customer is the agency that is modernizing or migrating.",
    "provider": "The provider is the shared service provider that will deliver the service.",
    "qsmo": "The QSMO is the Quality Service Management Office for the function.",
    SHARED: "Shared work is done by two or more parties together.",
}
"""One sentence on each party, for the top of its page."""
PARTY_WHO = {"customer": "the customer agency", "provider": "the shared service provider", "qsmo": "the QSMO",
             SHARED: "more than one party"}
"""Each party as a sentence names it."""
