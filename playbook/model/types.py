"""The typed, immutable model of a playbook. No I/O and no validation here:
:mod:`playbook.validate` builds these objects from checked front matter.

Text fields hold the author's text as written (it may contain inline Markdown
or HTML); :mod:`playbook.text` turns it into safe HTML at render time.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

TASK_FILE_NAME = re.compile(r"^(\d+)\.(\d+)\.(?:md|markdown)$")
"""A key task's file name, such as ``1.6.md``: (phase, key task)."""
PARTIES = ("customer", "provider", "qsmo")
"""The named responsible parties, in display order."""
SHARED = "shared"
PARTY_LABELS = {"customer": "Customer", "provider": "Provider", "qsmo": "QSMO", SHARED: "Shared"}

WORKSTREAMS = ("programManagement", "workforce", "technology", "process")
"""The four workstreams, in display order."""
WORKSTREAM_LABELS = {
    "programManagement": "Program Management",
    "workforce": "Workforce, Organization, and Stakeholders",
    "technology": "Technology",
    "process": "Process",
}
WORKSTREAM_ALIASES = {"organization": "workforce"}
"""Other names the original phase files use for a workstream."""


@dataclass(frozen=True, slots=True)
class Responsibility:
    """Who carries out an activity or task."""

    parties: tuple[str, ...]
    """Named parties, a subset of :data:`PARTIES` in display order; empty for a bare 'shared'."""
    shared: bool
    """True when more than one party is named, or the author wrote 'shared'."""

    @property
    def key(self) -> str:
        """'customer', 'provider', 'qsmo' or 'shared': the filter bucket."""
        return SHARED if self.shared else (self.parties[0] if self.parties else SHARED)

    @property
    def label(self) -> str:
        """Human label: 'Customer', or 'Shared (Customer, QSMO)'."""
        names = ", ".join(PARTY_LABELS[p] for p in self.parties)
        if not self.shared:
            return names
        return f"Shared ({names})" if names else "Shared"


@dataclass(frozen=True, slots=True)
class ArtifactRef:
    """A named document that a task takes in or produces."""

    name: str
    """The artifact's name as written, e.g. 'Project Business Case'."""
    filename: str = ""
    """Template file name under the site's template folder, if any."""
    url: str = ""
    """Address of a template or reference, if any."""
    line: int = 0
    """Line in the source file."""


@dataclass(frozen=True, slots=True)
class Activity:
    """One step of a key task."""

    text: str
    """What is done (inline Markdown/HTML)."""
    responsibility: Responsibility
    """Who does it."""
    output: str = ""
    """The artifact this activity targets, if named."""
    template: str = ""
    """Template file name or address for that output."""
    example: str = ""
    """Example file name or address."""
    line: int = 0
    """Line in the source file."""


@dataclass(frozen=True, slots=True)
class ActivityGroup:
    """A titled run of activities (``activitiesGroups``)."""

    title: str
    """The group heading (inline Markdown/HTML)."""
    activities: tuple[Activity, ...]
    """The activities in the group."""
    line: int = 0
    """Line in the source file."""


@dataclass(frozen=True, slots=True)
class Stakeholder:
    """A role involved in a key task."""

    name: str
    """The role, e.g. 'Program Manager' (may carry a qualifier such as ', if on boarded')."""
    responsibility: Responsibility
    """The party the role belongs to."""
    line: int = 0
    """Line in the source file."""


@dataclass(frozen=True, slots=True)
class Extra:
    """A field the model does not know, kept so that nothing in a file is dropped."""

    name: str
    """The field name as written."""
    value: object
    """Its value (plain YAML data)."""


@dataclass(frozen=True, slots=True)
class KeyTask:
    """One key task, such as 1.6 Define Target Performance Metrics."""

    path: str
    """Source file as shown in diagnostics."""
    rel: str
    """Source file relative to the content folder."""
    phase: int
    """Phase number, 0-5 in the M3 playbook."""
    number: int
    """Number within the phase (``keyTask``)."""
    name: str
    """Task title."""
    objective: str
    """Why the task exists (inline Markdown/HTML)."""
    responsibility: Responsibility
    """The task's lead party."""
    workstream: str
    """One of :data:`WORKSTREAMS` (``category``)."""
    activities: tuple[Activity, ...] = ()
    """Ungrouped activities."""
    groups: tuple[ActivityGroup, ...] = ()
    """Grouped activities (``activitiesGroups``)."""
    activities_text: str = ""
    """Free text shown before the activities (``activitiesText``)."""
    inputs: tuple[ArtifactRef, ...] = ()
    """Artifacts the task needs."""
    outputs: tuple[ArtifactRef, ...] = ()
    """Artifacts the task produces or updates."""
    stakeholders: tuple[Stakeholder, ...] = ()
    """Roles involved."""
    best_practices: tuple[str, ...] = ()
    """Lessons learned (``bestPractice``)."""
    permalink: str = ""
    """URL path requested by the author, e.g. '/1.6/'; empty for the default."""
    description: str = ""
    """Meta description; the objective is used when empty."""
    related: tuple[str, ...] = ()
    """Slugs of plain pages this task links to."""
    body: str = ""
    """Markdown after the front matter."""
    extras: tuple[Extra, ...] = ()
    """Unknown fields, shown on the page and warned about."""
    line: int = 1
    """Line of the ``keyTask`` field (where duplicate ids are reported)."""

    @property
    def id(self) -> str:
        """'phase.keyTask', e.g. '1.6'."""
        return f"{self.phase}.{self.number}"

    @property
    def all_activities(self) -> tuple[Activity, ...]:
        """Ungrouped then grouped activities, in page order."""
        out = list(self.activities)
        for g in self.groups:
            out.extend(g.activities)
        return tuple(out)


@dataclass(frozen=True, slots=True)
class PhaseActivity:
    """A key task as a phase page lists it, by name."""

    name: str
    """The task name as the phase file writes it."""
    responsibility: Responsibility | None
    """Party given on the phase page, if any."""
    line: int = 0
    """Line in the source file."""


@dataclass(frozen=True, slots=True)
class Phase:
    """One phase of the playbook, from 0 Assessment to 5 Operations."""

    path: str
    """Source file as shown in diagnostics."""
    rel: str
    """Source file relative to the content folder."""
    number: int
    """Phase number (``phase``)."""
    name: str
    """Phase name, e.g. 'Readiness'."""
    objective: str = ""
    """What the phase achieves."""
    activities: tuple[tuple[str, tuple[PhaseActivity, ...]], ...] = ()
    """Key tasks by workstream, as listed in the phase file."""
    documentation_intro: str = ""
    """Text before the documentation list."""
    documentation: tuple[ArtifactRef, ...] = ()
    """Documents developed during the phase."""
    documentation_outro: str = ""
    """Text after the documentation list."""
    tollgate: tuple[str, ...] = ()
    """Tollgate review items (``tollgate``, or the original's ``tollageInfo``)."""
    exit_criteria: tuple[str, ...] = ()
    """Criteria to leave the phase (``exitCriteria``)."""
    downloads: tuple[tuple[str, str], ...] = ()
    """(label, address) pairs of phase downloads."""
    permalink: str = ""
    """URL path requested by the author."""
    description: str = ""
    """Meta description; the objective is used when empty."""
    body: str = ""
    """Markdown after the front matter."""
    extras: tuple[Extra, ...] = ()
    """Unknown fields, shown on the page and warned about."""
    line: int = 1
    """Line of the ``phase`` field."""


@dataclass(frozen=True, slots=True)
class GlossaryTerm:
    """One defined term."""

    name: str
    """The term."""
    description: str
    """Its definition (inline Markdown/HTML)."""
    line: int = 0
    """Line in the source file."""


@dataclass(frozen=True, slots=True)
class GlossarySection:
    """A titled list of terms."""

    name: str
    """Section title."""
    terms: tuple[GlossaryTerm, ...]
    """Terms in the order written."""


@dataclass(frozen=True, slots=True)
class Glossary:
    """The glossary page."""

    path: str
    """Source file as shown in diagnostics."""
    rel: str
    """Source file relative to the content folder."""
    title: str
    """Page title."""
    sections: tuple[GlossarySection, ...]
    """Sections of terms."""
    permalink: str = ""
    """URL path requested by the author."""
    body: str = ""
    """Markdown after the front matter."""
    extras: tuple[Extra, ...] = ()
    """Unknown fields."""


@dataclass(frozen=True, slots=True)
class Page:
    """A plain Markdown page."""

    path: str
    """Source file as shown in diagnostics."""
    rel: str
    """Source file relative to the content folder."""
    slug: str
    """File stem, used for the default URL and for ``related`` links."""
    title: str
    """Page title."""
    body: str
    """Markdown body."""
    description: str = ""
    """Meta description."""
    permalink: str = ""
    """URL path requested by the author."""
    body_line: int = 0
    """Line where the body starts."""
    extras: tuple[Extra, ...] = ()
    """Unknown fields."""
    introduction: bool = False
    """True for the M3 site's introduction page (``layout: m3/m3-layout``), which the home page links."""


@dataclass(frozen=True, slots=True)
class ResourceItem:
    """One download or link of the Resources page."""

    name: str
    """What it is, e.g. 'Governance Plan'."""
    filename: str = ""
    """File name below /assets/files/, if it is a file."""
    url: str = ""
    """Address or site path, if it is not a file."""
    line: int = 0
    """Line in the source file."""


@dataclass(frozen=True, slots=True)
class ResourceSection:
    """A titled list of downloads on the Resources page."""

    name: str
    """Section title."""
    description: str
    """Text before the list (inline Markdown/HTML); may be empty."""
    items: tuple[ResourceItem, ...]
    """The downloads, in the order written."""


@dataclass(frozen=True, slots=True)
class Resources:
    """The Resources page (the M3 site's ``m3/m3resources``): templates and documents to download."""

    path: str
    """Source file as shown in diagnostics."""
    rel: str
    """Source file relative to the content folder."""
    title: str
    """Page title."""
    sections: tuple[ResourceSection, ...]
    """Sections of downloads."""
    permalink: str = ""
    """URL path requested by the author."""
    description: str = ""
    """Meta description and introduction."""
    body: str = ""
    """Markdown after the front matter."""
    extras: tuple[Extra, ...] = ()
    """Unknown fields."""


@dataclass(frozen=True, slots=True)
class Playbook:
    """Everything loaded and validated, in playbook order."""

    phases: tuple[Phase, ...]
    """Phases by number."""
    tasks: tuple[KeyTask, ...]
    """Key tasks by (phase, number)."""
    glossary: Glossary | None = None
    """The glossary, if the content has one."""
    pages: tuple[Page, ...] = ()
    """Plain pages by slug."""
    resources: Resources | None = None
    """The Resources page, if the content has one."""
    registry: object = None
    """The artifact registry (:class:`playbook.artifacts.Registry`), if any."""
    sources: dict = field(default_factory=dict, compare=False)
    """Map from source path to its RawDoc, for diagnostics at link time."""
