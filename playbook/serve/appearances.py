"""Where a key task appears besides its own page, and what of it each such page shows.

``playbook serve`` renders again only the pages an edit changes. A key task
shows on other pages in these ways (layouts/*.html, layouts/partials/*.html,
and the view code in browse.py, fragments.py, sidenav.py, artifact_views.py, flow.py and
tracker.py):

- every other key task page, every artifact page, the artifact index, the
  tracker and the flow picture show only its id, name, phase, address and
  artifact cross-links: what :func:`playbook.link.link_fields` covers, and
  the permalink;
- its phase page lists it with its lead party and a quick view (objective,
  activities and their parties, outputs): :func:`phase_card`;
- the activities page and the party pages list it with its workstream, lead
  and activities: :func:`listed`;
- the home page counts it in its workstream: :func:`counted`.

So after an edit that leaves the link fields alone, comparing these views of
the task before and after says which pages changed (:func:`index_pages`).
After one that changes them, :func:`relinked_pages` also compares what every
key task page shows of its cross-links, and every artifact page of its tasks.
"""
from __future__ import annotations

from typing import Callable, Iterable

from playbook.render import browse
from playbook.link import names
from playbook.link.site import Site
from playbook.model.types import KeyTask

PageMaker = Callable[[object], tuple]
"""Renderer -> (template, site path, context) of one page (see :mod:`playbook.render`)."""
FileMaker = Callable[[object], list]
"""Renderer -> [(site path, text or bytes)] of generated files."""


def phase_card(t: KeyTask) -> tuple:
    """What a key task's phase page shows of it: its line in the task list and its quick view."""
    return (t.name, t.workstream, t.responsibility, t.objective, tuple(o.name for o in t.outputs),
            tuple((a.text, a.responsibility) for a in t.all_activities))


def _activity(a) -> tuple:
    return a.text, a.responsibility, a.output, a.template, a.example


def listed(t: KeyTask, party: str | None = None) -> tuple | None:
    """What the activities page (``party`` None) or a party's page shows of a key task; None: not listed."""
    row = browse.task_activities(t, party)
    if row is None:
        return None
    return (t.name, t.workstream, t.responsibility, row.lead,
            tuple((title, _activity(a)) for title, a in row.activities))


def counted(t: KeyTask) -> str:
    """What the home page shows of a key task: the workstream it counts in."""
    return t.workstream


def index_pages(before: KeyTask, after: KeyTask, urls) -> dict[str, PageMaker]:
    """The home, activities and party pages that differ between two versions of a key task."""
    out: dict[str, PageMaker] = {}
    if counted(before) != counted(after):
        out[urls.home] = lambda r: r.home_page()
    if listed(before) != listed(after):
        out[urls.activities] = lambda r: r.activities_page()
    for party in browse.FILTER_PARTIES:
        if listed(before, party) != listed(after, party):
            out[urls.party(party)] = lambda r, party=party: r.party_page(party)
    return out


def _same_task(x, y) -> bool:
    return x is y or (x is not None and y is not None and x.id == y.id and x.name == y.name and x.path == y.path)


def _same_tasks(xs, ys) -> bool:
    return len(xs) == len(ys) and all(map(_same_task, xs, ys))


def _same_artifact(x, y) -> bool:
    return x is y or (x is not None and y is not None and x.slug == y.slug and x.name == y.name)


def _same_ref(x, y) -> bool:
    return x is y or (x.name == y.name and x.filename == y.filename and x.url == y.url)  # lines are never shown


def _same_neighbours(xs, ys) -> bool:
    return len(xs) == len(ys) and all(_same_task(x.task, y.task) and x.artifacts == y.artifacts
                                      and x.out_of_order == y.out_of_order for x, y in zip(xs, ys))


def same_cross_links(a, b) -> bool:
    """True when a key task page shows two :class:`playbook.artifacts.TaskLinks` alike.

    Tasks count as alike by id, name and file, artifacts by page and name;
    the walk stops at the first difference and makes nothing (it runs over
    every task of a big playbook).
    """
    if a is b:
        return True
    if a is None or b is None or len(a.inputs) != len(b.inputs) or len(a.outputs) != len(b.outputs) \
            or a.more_downstream != b.more_downstream:
        return False
    for x, y in zip(a.inputs, b.inputs):
        if not (x.status == y.status and x.more == y.more and x.loose == y.loose and _same_ref(x.ref, y.ref)
                and _same_artifact(x.artifact, y.artifact) and _same_task(x.producer, y.producer)
                and _same_tasks(x.others, y.others)):
            return False
    for x, y in zip(a.outputs, b.outputs):
        if not (x.created_here == y.created_here and x.more_updates == y.more_updates and x.more_uses == y.more_uses
                and x.from_activity == y.from_activity and _same_ref(x.ref, y.ref)
                and _same_artifact(x.artifact, y.artifact) and _same_task(x.created_by, y.created_by)
                and _same_tasks(x.updates, y.updates) and _same_tasks(x.used_by, y.used_by)):
            return False
    return _same_neighbours(a.upstream, b.upstream) and _same_neighbours(a.downstream, b.downstream)


def artifact_page(a) -> tuple:
    """What an artifact's page (and its tracker row) shows, but for the tasks at its positions.

    The tasks come in by position (producers, then consumers); each shows by
    id, name and file, and a consumer also by where its input comes from,
    which its cross-links say. So two versions of the page are alike when
    these are equal and none of those tasks was renamed or shows other
    cross-links.
    """
    return (a.slug, a.name, a.abbreviation, a.description, a.external, a.template, a.url, tuple(a.other_names),
            tuple(a.producers), tuple(a.consumers))


def relinked_pages(old: Site, new: Site, edits: list[tuple[KeyTask, KeyTask]], urls,
                   relinked: Iterable[int] | None = None, differ: Iterable[int] = (),
                   ) -> tuple[list, dict[str, PageMaker], dict[str, FileMaker]] | None:
    """Pages that differ after key task edits that changed link fields (same ids and addresses).

    ``relinked``, when given, holds the positions of the only tasks whose
    cross-links may differ, besides the edited ones and those at ``differ``,
    which are known to (the rest are not compared).
    Artifacts may come (a new output) and go (one taken away): their pages
    are made or deleted (a file maker giving None), and the sitemap with them.
    Returns (key tasks and phases to render, index pages by site path,
    generated files by site path), or None when a name now looks up another
    artifact: then any page may differ.
    """
    oi, ni = old.artifacts, new.artifacts
    if any(k in ni.keys and ni.keys[k].slug != a.slug for k, a in oi.keys.items()):
        return None
    # Names that look up nothing now, or looked up nothing before, are those of the artifacts that came
    # or went. Every output adds all of its name's keys, so an output elsewhere looks up what it did; a
    # phase's documentation list is the one other place that looks names up.
    came_or_went = oi.keys.keys() ^ ni.keys.keys()
    content: dict[str, object] = {}
    pages: dict[str, PageMaker] = {}
    renamed = False

    def add(obj) -> None:
        if obj is not None and urls.has(obj):
            content.setdefault(urls.of(obj), obj)

    if came_or_went:
        for ph in new.playbook.phases:
            if any(not came_or_went.isdisjoint(names.keys(ref.name)) for ref in ph.documentation):
                add(ph)
    for before, after in edits:
        add(after)
        add(new.phase_of.get(after.phase))
        if before.name != after.name:  # the pager of its neighbours and the side navigation of its phase
            renamed = True
            add(new.prev.get(after.id))
            add(new.next.get(after.id))
            for t in new.tasks_by_phase.get(after.phase, ()):
                add(t)
        pages.update(index_pages(before, after, urls))
    where = range(len(ni.tasks)) if relinked is None else \
        sorted({*relinked, *(ni.position(b.id) for _a, b in edits if ni.position(b.id) is not None)})
    moved = set(differ)
    moved.update(i for i in where if i not in moved
                 and not same_cross_links(oi.links.get(ni.tasks[i].id), ni.links.get(ni.tasks[i].id)))
    for i in moved:
        add(ni.tasks[i])
    linked = bool(moved)
    moved.update(i for i, t in enumerate(ni.tasks) if not _same_task(t, oi.tasks[i]))  # renamed
    was = {a.slug: a for a in oi.artifacts}
    for b in ni.artifacts:
        a = was.pop(b.slug, None)
        if a is None or (a is not b and artifact_page(a) != artifact_page(b)) or not moved.isdisjoint(b.producers) \
                or not moved.isdisjoint(b.consumers):
            pages[urls.artifact(b.slug)] = lambda r, slug=b.slug: r.artifacts.page(r.artifacts.artifact(slug))
            linked = True
    files: dict[str, FileMaker] = {}
    for slug in was:  # gone
        files[urls.artifact(slug)] = lambda r, path=urls.artifact(slug): [(path, None)]
    if len(oi.artifacts) != len(ni.artifacts) or was:
        files[urls.sitemap] = _sitemap
    if linked or renamed:  # the artifact index, tracker and flow show every task's name and links
        pages[urls.artifacts] = lambda r: r.artifacts.index_page()
        make = _artifact_files
        for path in (urls.tracker_csv, urls.tracker_xlsx, urls.flow_svg, urls.flow_css):
            files[path] = make
    return list(content.values()), pages, files


def _artifact_files(r) -> list:
    return list(r.artifacts.files())


def _sitemap(r) -> list:
    from playbook.render import parallel

    return [(r.urls.sitemap, r.sitemap([job[0] for job in parallel.plan(r)]))]
