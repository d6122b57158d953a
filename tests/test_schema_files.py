"""JSON Schema for editors: shipped files are current, and they agree with the checker."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from playbook import cli
from playbook.load import documents as load
from playbook.model import jsonschema as schemafiles
from playbook.diagnostics import Diagnostics

from conftest import ROOT, task

jsonschema = pytest.importorskip("jsonschema")


def validator(kind: str):
    return jsonschema.Draft202012Validator(json.loads(schemafiles.render(kind)))


def test_shipped_schemas_equal_generated():
    for kind in schemafiles.KINDS:
        shipped = (ROOT / "schemas" / schemafiles.file_name(kind)).read_text(encoding="utf-8")
        assert shipped == schemafiles.render(kind), f"run: python3 -m playbook schema -o schemas ({kind})"


def test_schemas_are_valid_json_schema():
    for kind in schemafiles.KINDS:
        jsonschema.Draft202012Validator.check_schema(json.loads(schemafiles.render(kind)))


def test_bundled_content_passes():
    docs = load.load_tree(ROOT / "content", Diagnostics())
    kinds = {d.kind for d in docs}
    assert {"keyTask", "phase", "glossary", "page"} <= kinds
    for doc in docs:
        errors = [e.message for e in validator(doc.kind).iter_errors(doc.data)]
        assert errors == [], doc.path


def test_wrong_party_fails():
    data = task(responsibleParty="qsm0")
    errors = list(validator("keyTask").iter_errors(data))
    assert [list(e.absolute_path) for e in errors] == [["responsibleParty"]]
    data = task(activities=[{"text": "Do it", "responsibleParty": "vendor"}])
    assert [list(e.absolute_path) for e in validator("keyTask").iter_errors(data)] == \
        [["activities", 0, "responsibleParty"]]


def test_missing_required_field_fails():
    errors = list(validator("keyTask").iter_errors(task(objective=None)))
    assert [e.message for e in errors] == ["'objective' is a required property"]


def test_valid_task_passes():
    assert list(validator("keyTask").iter_errors(yaml.safe_load(yaml.safe_dump(task())))) == []


def test_cli_writes_schema_files(tmp_path: Path):
    res = CliRunner().invoke(cli.main, ["schema", "-o", str(tmp_path / "s")])
    assert res.exit_code == 0, res.output
    names = sorted(p.name for p in (tmp_path / "s").iterdir())
    assert names == ["glossary.schema.json", "keyTask.schema.json", "page.schema.json", "phase.schema.json",
                     "resources.schema.json"]
    assert (tmp_path / "s" / "keyTask.schema.json").read_text() == schemafiles.render("keyTask")
