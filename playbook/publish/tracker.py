"""The document tracker: artifact x phase, with Created / Updated / Used marks, as rows, CSV and XLSX.

The public playbook keeps this table by hand as a spreadsheet; here it comes
from the artifact index. Both files are byte-identical between builds of the
same content: CSV is plain text, and the XLSX gets fixed document dates and
fixed zip entry times.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from playbook.link.artifacts import ArtifactIndex, Artifact
from playbook.publish.export import csv_bytes
from playbook.publish.xlsx import FIXED_TIME, workbook  # noqa: F401 - FIXED_TIME re-exported for callers and tests

CREATED, UPDATED, USED = "Created", "Updated", "Used"
MARKS = (CREATED, UPDATED, USED)


@dataclass(frozen=True)
class Cell:
    """What happens to one artifact in one phase."""

    marks: dict = field(default_factory=dict)
    """'Created' / 'Updated' / 'Used' -> task ids, in playbook order; a task whose name for the artifact a
    rule inferred has the note after its id: '1.8 “Final DMP” matched as Data Migration Plan (acronym,
    version word)'."""

    def text(self) -> str:
        """'Created 1.2; Used 1.4, 1.14' (empty when nothing happens)."""
        return "; ".join(f"{m} {', '.join(ids)}" for m, ids in self.marks.items())


@dataclass(frozen=True)
class Row:
    """One artifact across the phases."""

    artifact: Artifact
    kind: str
    """'Produced', 'External' or 'Not produced'."""
    cells: dict
    """Phase number -> :class:`Cell` (phases where nothing happens are left out)."""


def kind_of(a: Artifact) -> str:
    """'Produced', 'External' or 'Not produced'."""
    return "Produced" if a.producers else "External" if a.external else "Not produced"


def rows(index: ArtifactIndex) -> list[Row]:
    """One row per artifact in the index's order; linear in the number of references."""
    out = []
    tasks = index.tasks
    for a in index.artifacts:
        events: dict[int, dict[str, list]] = {}
        notes = index.notes(a)
        for i, p in enumerate(a.producers):
            t = tasks[p]
            events.setdefault(t.phase, {}).setdefault(CREATED if i == 0 else UPDATED, []).append(
                _labelled(t.id, notes.get(p, ("", ""))[1]))
        for p in a.consumers:
            t = tasks[p]
            events.setdefault(t.phase, {}).setdefault(USED, []).append(_labelled(t.id, notes.get(p, ("", ""))[0]))
        cells = {ph: Cell({m: got[m] for m in MARKS if m in got}) for ph, got in sorted(events.items())}
        out.append(Row(a, kind_of(a), cells))
    return out


def _labelled(task_id: str, note: str) -> str:
    """A task's id in a cell, with the note on how its name was matched, if any."""
    return f"{task_id} {note}" if note else task_id


def phases(site, plain) -> list[tuple[int, str]]:
    """(number, name as plain text by ``plain``) of every phase of a linked site, in order: the tracker's columns."""
    return [(n, plain(site.phase_of[n].name) if n in site.phase_of else "") for n in site.phase_numbers()]


def header(phases: list[tuple[int, str]]) -> list[str]:
    """Column titles: artifact, kind, one per phase, template."""
    return ["Artifact", "Kind"] + [f"Phase {n}: {name}" if name else f"Phase {n}" for n, name in phases] + ["Template"]


def table(index: ArtifactIndex, phases: list[tuple[int, str]]) -> list[list[str]]:
    """The tracker as rows of text, header first (what the CSV and XLSX hold)."""
    out = [header(phases)]
    for r in rows(index):
        cells = [r.cells[n].text() if n in r.cells else "" for n, _ in phases]
        out.append([r.artifact.name, r.kind, *cells, r.artifact.template or r.artifact.url])
    return out


def to_csv(data: list[list[str]]) -> bytes:
    """The tracker as CSV (see :func:`playbook.publish.export.csv_bytes`)."""
    return csv_bytes(data)


def to_xlsx(data: list[list[str]], title: str = "Document tracker") -> bytes:
    """An XLSX workbook with one sheet; the same bytes for the same data, whenever it is made.

    Header row bold, body cells wrapped and top-aligned, panes frozen at C2;
    every cell is text, so nothing that starts like a formula is run.
    """
    return workbook(data, title)
