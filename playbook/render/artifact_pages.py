"""What the layouts need about artifacts: page list, helpers, and the tracker and flow files.

:class:`Views` is built by the renderer; its :meth:`~Views.globals` become Jinja
globals, :meth:`~Views.pages` lists the artifact pages (rendered through the
renderer like every other page), and :meth:`~Views.files` gives the tracker
(CSV, XLSX) and the flow picture (SVG).
"""
from __future__ import annotations

from functools import cached_property
from typing import NamedTuple

from markupsafe import Markup

from playbook.render import flow
from playbook.publish import tracker
from playbook.link.artifacts import LINKED, Artifact, ArtifactIndex, TaskLinks
from playbook.link.site import Site
from playbook.model.types import KeyTask
from playbook.link.names import plain
from playbook.urls import Urls

INLINE_FLOW_LIMIT = 200
"""Above this many key tasks the flow picture is offered as a download only, not drawn in the page."""


class Role(NamedTuple):
    """One task's part in an artifact's life, for the artifact page (a tuple: an artifact used by
    hundreds of tasks has as many, and a frozen dataclass takes three times as long to make)."""

    task: KeyTask
    marks: tuple
    """'Used' (it comes in first), then 'Created' or 'Updated'."""
    source: KeyTask | None = None
    """For a use: the task it takes the artifact from."""
    notes: tuple = ()
    """How the task's names for the artifact were matched, when a rule inferred it (see
    :meth:`playbook.link.artifacts.ArtifactIndex.notes`)."""


_ORDERS = {(used, created, updated): tuple(m for m, on in ((tracker.USED, used), (tracker.CREATED, created),
                                                           (tracker.UPDATED, updated)) if on)
           for used in (False, True) for created in (False, True) for updated in (False, True)}
"""(used, created, updated) -> the marks in the order a role shows them: the input first."""


class Views:
    """Artifact helpers for one build."""

    def __init__(self, site: Site, urls: Urls, title: str, plain_text=plain):
        self.site, self.urls, self.title = site, urls, title
        self.plain_text = plain_text
        """Markup to plain text for phase names (the renderer's, as the pages and the downloads use)."""
        self.index: ArtifactIndex = site.artifacts
        self._urls: dict[str, str] = {}

    def globals(self) -> dict:
        return {"artifact_index": self.index, "artifact_links": self.links, "artifact_url": self.url,
                "artifact_named": self.index.lookup, "artifact_roles": self.roles, "tracker_rows": self.rows,
                "tracker_phases": self.phases, "flow_svg": self.inline_svg, "flow_rows": self.flow_rows}

    # --- helpers for layouts ----------------------------------------------------
    def links(self, task: KeyTask) -> TaskLinks:
        """A task's resolved inputs and outputs, and its neighbours."""
        return self.index.task_links(task)

    def url(self, artifact: Artifact) -> str:
        """Link to an artifact's page."""
        try:
            return self._urls[artifact.slug]
        except KeyError:  # every task page links its inputs and outputs to their artifacts' pages
            got = self._urls[artifact.slug] = self.urls.href(self.urls.artifact(artifact.slug))
            return got

    def phases(self) -> list[tuple[int, str]]:
        """(number, plain name) of every phase, in order."""
        return tracker.phases(self.site, self.plain_text)

    @cached_property
    def _table(self):
        return tracker.table(self.index, self.phases())

    @cached_property
    def workbook(self) -> bytes:
        """The document tracker as an Excel workbook, made once: the site offers it in two places."""
        return tracker.to_xlsx(self._table)

    @cached_property
    def _rows(self) -> list:
        return tracker.rows(self.index)

    def rows(self) -> list:
        """The tracker rows (see :func:`playbook.tracker.rows`)."""
        return self._rows

    def roles(self, a: Artifact) -> list[Role]:
        """Every task that creates, updates or uses ``a``, in playbook order."""
        tasks = self.index.tasks
        marks: dict[int, list] = {}  # position -> [used, created, updated]
        for i, p in enumerate(a.producers):
            marks.setdefault(p, [False, False, False])[1 if i == 0 else 2] = True
        for p in a.consumers:
            marks.setdefault(p, [False, False, False])[0] = True
        out = []
        notes = self.index.notes(a)
        for p in sorted(marks):
            t, (used, created, updated) = tasks[p], marks[p]
            source = None
            if used:
                source = next((x.producer for i in self.index.task_links(t).inputs for x in i.parts
                               if x.artifact is a and x.status in LINKED and x.producer is not t), None)
            out.append(Role(t, _ORDERS[used, created, updated], source, tuple(n for n in notes.get(p, ()) if n)))
        return out

    def flow_rows(self) -> list[tuple[KeyTask, list, list]]:
        """Per task: (task, [(artifact, from task)], [(artifact, [to tasks], more)]), the flow as a table."""
        out = []
        for t in self.index.tasks:
            links = self.index.task_links(t)
            takes = [(x.artifact, x.producer) for i in links.inputs for x in i.parts
                     if x.status in LINKED and x.producer is not t]
            gives = [(o.artifact, o.used_by, o.more_uses) for o in links.outputs if o.used_by]
            out.append((t, takes, gives))
        return out

    # --- the flow picture ---------------------------------------------------------
    def _columns(self) -> list:
        names = dict(self.phases())
        return [flow.Column(n, f"Phase {n}: {names.get(n, '')}".rstrip(": "), tuple(ts))
                for n, ts in sorted(self.site.tasks_by_phase.items())]

    @cached_property
    def svg(self) -> str:
        """The whole flow as SVG markup."""
        positions = {t.id: i for i, t in enumerate(self.index.tasks)}
        shown = {t.id for t in self.index.tasks if self.urls.has(t)}
        return flow.render(self._columns(), self.index.edges, positions,
                           lambda t: self.urls.href(self.urls.of(t)) if t.id in shown else self.urls.href("/"),
                           f"Artifact flow of the {self.title}")

    def inline_svg(self) -> Markup | None:
        """The flow picture for the page, or None when the playbook is too big to draw inline."""
        if len(self.index.tasks) > INLINE_FLOW_LIMIT:
            return None
        return Markup(self.svg)

    # --- pages and files ---------------------------------------------------------------
    def pages(self):
        """(template, site path, context) of the artifact index and every artifact page."""
        yield self.index_page()
        for a in self.index.artifacts:
            yield self.page(a)

    def index_page(self) -> tuple[str, str, dict]:
        """(template, site path, context) of the artifact index (tracker and flow)."""
        return "artifacts.html", self.urls.artifacts, {
            "title": "Artifacts and document tracker",
            "description": f"Every artifact of the {self.title}: which key tasks create, update and use it, "
                           "by phase, with the document tracker as CSV and Excel."}

    def page(self, a: Artifact) -> tuple[str, str, dict]:
        """(template, site path, context) of one artifact's page."""
        what = "An input from outside the playbook" if a.external else "An artifact"
        return "artifact.html", self.urls.artifact(a.slug), {
            "artifact": a, "title": a.name,
            "description": f"{what} of the {self.title}: {a.name}. "
                           "The key tasks that create, update and use it."}

    def artifact(self, slug: str) -> Artifact | None:
        """The artifact whose page is at ``slug``, if any."""
        return self._by_slug.get(slug)

    @cached_property
    def _by_slug(self) -> dict:
        return {a.slug: a for a in self.index.artifacts}

    def files(self):
        """(site path, bytes or text) of the tracker CSV and XLSX and the flow SVG."""
        yield self.urls.tracker_csv, tracker.to_csv(self._table)
        yield self.urls.tracker_xlsx, self.workbook
        css = flow.stylesheet(range(len(self.index.tasks)))
        yield self.urls.flow_svg, flow.document(self.svg, css)
        yield self.urls.flow_css, css
