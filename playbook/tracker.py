"""The document tracker: artifact x phase, with Created / Updated / Used marks, as rows, CSV and XLSX.

The public playbook keeps this table by hand as a spreadsheet; here it comes
from the artifact index. Both files are byte-identical between builds of the
same content: CSV is plain text, and the XLSX gets fixed document dates and
fixed zip entry times.
"""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

from .artifacts import ArtifactIndex, Artifact

CREATED, UPDATED, USED = "Created", "Updated", "Used"
MARKS = (CREATED, UPDATED, USED)
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
"""Zip entry time: the earliest a zip can hold, so no build's clock leaks into the file."""


@dataclass(frozen=True)
class Cell:
    """What happens to one artifact in one phase."""

    marks: dict = field(default_factory=dict)
    """'Created' / 'Updated' / 'Used' -> task ids, in playbook order."""

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
        for i, p in enumerate(a.producers):
            t = tasks[p]
            events.setdefault(t.phase, {}).setdefault(CREATED if i == 0 else UPDATED, []).append(t.id)
        for p in a.consumers:
            t = tasks[p]
            events.setdefault(t.phase, {}).setdefault(USED, []).append(t.id)
        cells = {ph: Cell({m: got[m] for m in MARKS if m in got}) for ph, got in sorted(events.items())}
        out.append(Row(a, kind_of(a), cells))
    return out


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


def _inert(value: str) -> str:
    """Text a spreadsheet will not run as a formula: a leading = + - @ gets an apostrophe."""
    return "'" + value if value[:1] in _FORMULA else value


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def to_csv(data: list[list[str]]) -> bytes:
    """RFC 4180 CSV, UTF-8, CRLF line ends; no cell starts like a formula."""
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows([_inert(v) for v in row] for row in data)
    return buf.getvalue().encode("utf-8")


def to_xlsx(data: list[list[str]], title: str = "Document tracker") -> bytes:
    """An XLSX workbook with one sheet; the same bytes for the same data, whenever it is made."""
    import datetime

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    for r, row in enumerate(data, 1):
        for c, value in enumerate(row, 1):
            cell = ws.cell(row=r, column=c, value=value or None)
            if value:
                cell.data_type = "s"  # never a formula, whatever the text starts with
    bold = Font(bold=True)
    for c in ws[1]:
        c.font = bold
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows(min_row=2):
        for c in row:
            c.alignment = wrap
    ws.freeze_panes = "C2"
    ws.column_dimensions["A"].width = 45
    ws.column_dimensions["B"].width = 14
    if data:
        for i in range(3, len(data[0]) + 1):
            ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = 22
    fixed = datetime.datetime(2000, 1, 1)
    wb.properties.created = wb.properties.modified = fixed
    wb.properties.creator = "playbook"
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()  # save_workbook would stamp the current time
    return _fixed_zip(raw.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry's time and attributes fixed, in the same order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            fixed.create_system = 3
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
