"""Data exports of the validated model: JSON (everything), CSV (one row per activity), XLSX (the tracker).

Every function returns bytes and is deterministic: keys sorted, fixed line
endings, no timestamps, so two builds of the same content give the same files.
The caller decides where they go (the site's /downloads/ or ``playbook export``).
"""
from __future__ import annotations

import csv
import dataclasses
import io
import json

from playbook.link.site import Site
from playbook.model.types import WORKSTREAM_LABELS, Responsibility
from playbook.render.text import TextRenderer

SCHEMA_VERSION = 1
"""Bumped when a field of the JSON export is renamed or removed (adding one is not a change)."""

FORMATS = ("json", "csv", "xlsx")

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


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA) else text


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
    """Activities as CSV (RFC 4180: CRLF line ends, UTF-8), with a header row."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for row in activity_rows(site, text):
        w.writerow([_cell(c) for c in row])
    return buf.getvalue().encode("utf-8")


def to_xlsx(site: Site, text: TextRenderer) -> bytes | None:
    """The document tracker (:mod:`playbook.tracker`) as a workbook; None until the artifact index exists."""
    try:
        from playbook.publish import tracker
    except ImportError:  # the tracker ships with the artifact index (issue 3)
        return None
    if site.artifacts is None:
        return None
    return tracker.to_xlsx(tracker.table(site.artifacts, tracker.phases(site, text.plain)))
