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

from conftest import ROOT, need, task

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


# --- yaml-language-server, set up as the README says ------------------------------
YLS = ROOT / "node_modules" / ".bin" / "yaml-language-server"


def readme_settings() -> dict:
    """The `.vscode/settings.json` the README's "Field completion in VS Code" section gives."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### Field completion in VS Code"):]
    return json.loads(section.split("```json\n", 1)[1].split("```", 1)[0])


def opened_as_yaml(settings: dict) -> list[Path]:
    """The content files VS Code opens as YAML with these settings: *.yaml, and the associated files."""
    import fnmatch

    globs = [g for g, language in settings["files.associations"].items() if language == "yaml"]
    return sorted(p for p in (ROOT / "content").rglob("*") if p.is_file() and (
        p.suffix in (".yaml", ".yml") or any(fnmatch.fnmatchcase(p.as_posix(), g) for g in globs)))


class LanguageServer:
    """yaml-language-server over stdio: the few messages an editor sends to have files checked."""

    def __init__(self, settings: dict):
        import subprocess

        self.yaml = {"validate": True, "schemas": settings["yaml.schemas"]}
        self.proc = subprocess.Popen([str(YLS), "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.request(1, "initialize", {"processId": None, "rootUri": ROOT.as_uri(), "capabilities": {
            "workspace": {"configuration": True}}, "workspaceFolders": [{"uri": ROOT.as_uri(), "name": "playbook"}]})
        self.send({"method": "initialized", "params": {}})
        self.send({"method": "workspace/didChangeConfiguration", "params": {"settings": {"yaml": self.yaml}}})

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.proc.stdin.flush()

    def receive(self) -> dict:
        length = 0
        while (line := self.proc.stdout.readline().strip()):
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        assert length, "yaml-language-server stopped"
        message = json.loads(self.proc.stdout.read(length))
        if message.get("method") == "workspace/configuration":  # the server asks for the editor's settings
            self.send({"id": message["id"], "result": [self.yaml if item.get("section") == "yaml" else None
                                                       for item in message["params"]["items"]]})
        elif "id" in message and "method" in message:
            self.send({"id": message["id"], "result": None})
        return message

    def request(self, number: int, method: str, params: dict) -> dict:
        self.send({"id": number, "method": method, "params": params})
        while (message := self.receive()).get("id") != number or "method" in message:
            pass
        return message

    def diagnostics(self, files: dict[Path, str]) -> dict[str, list[str]]:
        """Open each file as YAML; file name -> 'line: message' of each diagnostic the server publishes."""
        for path, text in files.items():
            self.send({"method": "textDocument/didOpen", "params": {"textDocument": {
                "uri": path.as_uri(), "languageId": "yaml", "version": 1, "text": text}}})
        names = {path.as_uri(): path.relative_to(ROOT).as_posix() for path in files}
        found: dict[str, list[str]] = {}
        while set(names) - set(found):
            message = self.receive()
            if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] in names:
                found[message["params"]["uri"]] = [f"{d['range']['start']['line'] + 1}: {d['message']}"
                                                   for d in message["params"]["diagnostics"]]
        return {names[uri]: problems for uri, problems in sorted(found.items())}

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()


@pytest.fixture(scope="module")
def language_server():
    import shutil

    need(YLS.is_file() and shutil.which("node") is not None,
         "yaml-language-server and Node.js (npm ci installs it from package.json)")
    settings = readme_settings()
    server = LanguageServer(settings)
    yield server, settings
    server.close()


def test_yaml_language_server_set_up_as_the_readme_says_finds_nothing_in_the_bundled_content(language_server):
    server, settings = language_server
    files = opened_as_yaml(settings)
    names = [p.relative_to(ROOT / "content").as_posix() for p in files]
    assert "glossary.md" in names and "phase1/_index.md" in names and "phase1/1.6.md" in names
    assert "artifacts.yaml" in names and "pages/performance-management.md" not in names  # a page has a body
    found = server.diagnostics({p: p.read_text(encoding="utf-8") for p in files})
    assert found == {p.relative_to(ROOT).as_posix(): [] for p in files}


def test_yaml_language_server_applies_the_schemas(language_server):
    server, _ = language_server
    text = (ROOT / "content" / "phase1" / "1.6.md").read_text(encoding="utf-8")
    wrong = text.replace("responsibleParty: customer", "responsibleParty: qsm0", 1)
    line = wrong.splitlines().index("responsibleParty: qsm0") + 1
    # opened as files that do not exist: the server checks the text it is given, matched by name
    found = server.diagnostics({ROOT / "content" / "phase1" / "9.1.md": wrong,
                                ROOT / "content" / "phase9" / "_index.md": "---\nphase: 9\n---\n"})
    assert found["content/phase1/9.1.md"] == [f'{line}: Value is not accepted. Valid values: "customer", "provider", '
                                              '"qsmo", "shared".']
    assert found["content/phase9/_index.md"] == ['2: Missing property "name".', '2: Missing property "objective".']
