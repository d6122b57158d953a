"""Data exports of the validated model: JSON (everything), CSV (one row per activity), XLSX (the tracker).

:data:`EXPORTS` lists them once, for both ``playbook export FORMAT`` and the
site's /downloads/. Every one is deterministic: keys sorted, fixed line
endings, no timestamps, so two builds of the same content give the same bytes.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable

from playbook.link.site import Site
from playbook.model.types import WORKSTREAM_LABELS, Responsibility

if TYPE_CHECKING:  # the command line lists the formats without loading the renderer's modules
    from playbook.render.renderer import Renderer
    from playbook.render.text import TextRenderer

SCHEMA_VERSION = 1
"""Bumped when a field of the JSON export is renamed or removed (adding one is not a change)."""

CSV_COLUMNS = ("phase", "phase_name", "task_id", "task_name", "workstream", "group", "activity", "parties",
               "output")
# Spreadsheet programs run a cell that starts with one of these as a formula; content is untrusted.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
# Fields that say where something was read from, not what it is: they differ between machines.
_DROP = {"path", "line", "body_line", "sources", "registry"}


def _data(value):
    """Model objects to plain JSON data, field by field, in declaration order."""
    kind = type(value)
    if kind in _PLAIN or value is None:
        return value
    if isinstance(value, Responsibility):
        return {"parties": list(value.parties), "shared": value.shared, "label": value.label}
    spec = _SPECS.get(kind)
    if spec is None:
        spec = _SPECS[kind] = _spec(kind)
    if spec is not False:
        names, with_id = spec
        out = {key: _data(getattr(value, name)) for name, key in names}
        if with_id and hasattr(value, "id"):
            out["id"] = value.id
        return out
    if isinstance(value, (list, tuple)):
        return [_data(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _data(v) for k, v in value.items()}
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)  # dates and other YAML scalars kept by Extra


_PLAIN = {str, int, float, bool}
_SPECS: dict = {}
"""Type -> ((field, JSON key) pairs, whether an 'id' property is added), or False for a non-dataclass.

Worked out once per type: asking :mod:`dataclasses` for every object took
about as long as writing the JSON (copies-100 benchmark)."""


def _spec(kind: type):
    if not dataclasses.is_dataclass(kind):
        return False
    names = tuple((f.name, "source" if f.name == "rel" else f.name)
                  for f in dataclasses.fields(kind) if f.name not in _DROP)
    with_id = "id" not in {k for _, k in names} and isinstance(getattr(kind, "id", None), property)
    return names, with_id


def to_json(site: Site) -> bytes:
    """The whole validated playbook as JSON, with ``schema_version``; text fields as the authors wrote them."""
    pb = site.playbook
    doc = {
        "schema_version": lambda: SCHEMA_VERSION,
        "phases": lambda: (_data(p) for p in pb.phases),
        "tasks": lambda: (_data(t) for t in pb.tasks),
        "glossary": lambda: _data(pb.glossary),
        "pages": lambda: (_data(p) for p in pb.pages),
    }
    # Written one phase, task or page at a time, one per line: the document as one dict doubled the
    # peak memory of a big build, and json's indenting encoder is pure Python, the compact one C
    # (it wrote the copies-100 JSON in a fifth of the time).
    out = ["{"]
    for n, key in enumerate(sorted(doc)):
        out.append((',\n  "' if n else '\n  "') + key + '": ')
        value = doc[key]()
        if isinstance(value, (int, dict)) or value is None:
            out.append(_json(value))
            continue
        first = True
        for item in value:
            out.append((b"[\n    " if first else b",\n    ") + _json(item).encode("utf-8"))
            first = False
        out.append("[]" if first else "\n  ]")
    out.append("\n}\n")
    return b"".join(x.encode("utf-8") if isinstance(x, str) else x for x in out)


def _json(value) -> str:
    """``value`` as one line of JSON, keys sorted."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


def safe_cell(text: str) -> str:
    """Text a spreadsheet program shows as text: one that starts like a formula (= + - @) gets an apostrophe."""
    return "'" + text if text.startswith(_FORMULA) else text


def csv_bytes(rows: Iterable[Iterable[str]]) -> bytes:
    """Rows as RFC 4180 CSV (UTF-8, CRLF line ends), every cell through :func:`safe_cell`."""
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows([safe_cell(c) for c in row] for row in rows)
    return buf.getvalue().encode("utf-8")


def activity_rows(site: Site, text: TextRenderer) -> list[tuple[str, ...]]:
    """One row per activity, in playbook order, as plain text (see :data:`CSV_COLUMNS`)."""
    rows = []
    for t in site.playbook.tasks:
        phase = site.phase_of.get(t.phase)
        phase_name = text.plain(phase.name) if phase else ""
        runs = [("", t.activities)] + [(text.plain(g.title), g.activities) for g in t.groups]
        for group, activities in runs:
            for a in activities:
                rows.append((str(t.phase), phase_name, t.id, text.plain(t.name), WORKSTREAM_LABELS[t.workstream],
                             group, text.plain(a.text), a.responsibility.label, text.plain(a.output)))
    return rows


def to_csv(site: Site, text: TextRenderer) -> bytes:
    """Activities as CSV, with a header row (see :data:`CSV_COLUMNS`)."""
    return csv_bytes([CSV_COLUMNS, *activity_rows(site, text)])


@dataclass(frozen=True)
class Export:
    """One data format of the playbook: a file of the site's /downloads/ and a ``playbook export`` FORMAT."""

    format: str
    """The command's name for it, e.g. 'csv'."""
    file: str
    """File name under /downloads/, e.g. 'activities.csv'."""
    label: str
    """Link text on the downloads page."""
    media: str
    """File type for readers, e.g. 'CSV'."""
    note: str
    """One line on what the file holds."""
    make: Callable[[Renderer], bytes]
    """Makes the file's bytes from a renderer of the linked site."""
    binary: bool = False
    """True when the bytes are not text: ``playbook export`` writes them to a file only, never to standard output."""


EXPORTS = (
    Export("json", "playbook.json", "The whole playbook as data (JSON)", "JSON",
           f"Every phase, key task, activity, glossary term and page; schema version {SCHEMA_VERSION}.",
           lambda renderer: to_json(renderer.site)),
    Export("csv", "activities.csv", "Every activity, one per row (CSV)", "CSV",
           "Phase, key task, workstream, activity and responsible parties, as plain text.",
           lambda renderer: to_csv(renderer.site, renderer.text)),
    Export("xlsx", "document-tracker.xlsx", "Document tracker (Excel workbook)", "Excel workbook",
           "Every artifact, the key tasks that produce and use it, with columns to track it.",
           lambda renderer: renderer.artifacts.workbook, binary=True),  # the artifacts page's, made once for both
)
"""Every data format, in the order the downloads page lists them."""
