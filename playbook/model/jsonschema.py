"""JSON Schema files for editors, generated from :mod:`playbook.schema` (``playbook schema``).

The same spec objects that check content files produce these schemas, so an
editor's completion and warnings follow the build's own rules. The repository
ships the generated files in ``schemas/``; a test keeps them up to date.
"""
from __future__ import annotations

import json
from pathlib import Path

KINDS = ("keyTask", "phase", "glossary", "page", "resources")
"""Kinds of front matter with a schema, in the order they are written."""


def file_name(kind: str) -> str:
    """'keyTask' -> 'keyTask.schema.json'."""
    return f"{kind}.schema.json"


def render(kind: str) -> str:
    """One schema as stable, readable JSON text (sorted nothing: field order is the schema's)."""
    from playbook.model.schema import to_json_schema

    return json.dumps(to_json_schema(kind), indent=2, ensure_ascii=False) + "\n"


def write_all(folder: Path) -> list[Path]:
    """Write every schema into ``folder``; returns the files written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for kind in KINDS:
        p = folder / file_name(kind)
        p.write_text(render(kind), encoding="utf-8")
        out.append(p)
    return out
