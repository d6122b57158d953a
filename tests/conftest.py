"""Shared fixtures: small sites written from dicts into tmp_path, and browser set-up."""
from __future__ import annotations

import os
import tempfile
import textwrap
from pathlib import Path

import pytest
import yaml

from playbook import pipeline
from playbook.diagnostics import Diagnostics
from playbook.link.site import link
from playbook.load.documents import load_tree
from playbook.model.validate import build_playbook

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("PLAYBOOK_TEST_DATA") or ROOT.parent / "shared")
"""Test data kept beside the repository, not in it: the M3 corpus, the seeds ("../shared")."""
CORPUS = SHARED / "m3-corpus"
IN_CI = os.environ.get("CI") == "true"
ON_GITHUB = os.environ.get("GITHUB_ACTIONS") == "true"
CHROMIUM = "/usr/bin/chromium"
# compiled layouts go to a folder of this test run, not the user's cache (CLI runs in subprocesses inherit it)
os.environ.setdefault("PLAYBOOK_CACHE_DIR", tempfile.mkdtemp(prefix="playbook-layouts-"))


def need(condition: bool, why: str) -> None:
    """Skip for a missing tool locally; in CI a missing tool is a failure, never a skip."""
    if not condition:
        if IN_CI:
            pytest.fail(f"required in CI: {why}")
        pytest.skip(why)


def need_shared(path: Path, what: str) -> None:
    """Skip where the test data beside the repository cannot be: on GitHub's runners, which check out
    the repository alone. Anywhere else it is like :func:`need` (in the project's CI, a failure)."""
    if not path.exists() and ON_GITHUB:
        pytest.skip(f"{what}: test data kept beside the repository ({SHARED}), which GitHub's runner does "
                    "not have; the project's own CI runs this test")
    need(path.exists(), f"{what} at {path}")


def front_matter(data: dict, body: str = "") -> str:
    """A content file: YAML front matter from a dict, then a Markdown body."""
    return "---\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True) + "---\n" + body


def linked(content: Path):
    """The content folder loaded, checked and linked, without rendering: (site, diagnostics)."""
    d = Diagnostics()
    return link(build_playbook(load_tree(content, d), d), d), d


def task_links(site, tid: str):
    """What the linked ``site`` shows about key task ``tid``'s inputs and outputs (a ``TaskLinks``)."""
    return site.artifacts.task_links(next(t for t in site.playbook.tasks if t.id == tid))


def task(phase: int = 1, number: int = 1, **over) -> dict:
    """A valid key task as a dict; keyword arguments override or add fields (None removes)."""
    d = {
        "phase": phase, "keyTask": number, "name": f"Task {phase}.{number}",
        "objective": f"Objective of {phase}.{number}.", "responsibleParty": "customer",
        "category": "programManagement",
        "activities": [{"text": f"Do the work of {phase}.{number}", "responsibleParty": "customer"}],
        "inputs": [], "outputs": [],
        "stakeholders": [{"text": "Program Manager", "responsibleParty": "customer"}],
        "bestPractice": [f"Lesson of {phase}.{number}"],
    }
    return overridden(d, over)


def overridden(d: dict, over: dict) -> dict:
    """``d`` with each field of ``over`` replaced in place, keeping the order of fields (None removes one)."""
    for k, v in over.items():
        if v is None:
            d.pop(k, None)
        else:
            d[k] = v
    return d


def phase(number: int = 1, **over) -> dict:
    """A valid phase file as a dict."""
    d = {"phase": number, "name": f"Phase name {number}", "objective": f"Goal of phase {number}."}
    d.update(over)
    return d


class SiteDir:
    """A content folder in tmp_path, written from dicts or text."""

    def __init__(self, root: Path):
        self.root = root
        self.content = root / "content"
        self.out = root / "_site"
        self.content.mkdir(parents=True, exist_ok=True)

    def add(self, rel: str, data: dict | str | bytes, body: str = "") -> Path:
        """Write one file: a dict becomes front matter; str and bytes are written as given."""
        p = self.content / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, dict):
            p.write_text(front_matter(data, body), encoding="utf-8")
        elif isinstance(data, str):
            p.write_text(textwrap.dedent(data) if data.startswith("\n") else data, encoding="utf-8")
        else:
            p.write_bytes(data)
        return p

    def options(self, **kw) -> pipeline.Options:
        return pipeline.Options(content=self.content, output=self.out, **kw)

    def build(self, **kw) -> pipeline.Result:
        return pipeline.build(self.options(**kw))

    def check(self, **kw) -> pipeline.Result:
        return pipeline.check(self.options(**kw))

    def messages(self, **kw) -> list[str]:
        """Every diagnostic of a check, formatted, with the content path made relative."""
        res = self.check(**kw)
        prefix = self.content.as_posix() + "/"
        return [d.format().replace(prefix, "") for d in res.diagnostics.sorted()]

    def page(self, site_path: str) -> str:
        rel = site_path.strip("/")
        return (self.out / rel / "index.html").read_text(encoding="utf-8") if not rel.endswith((".html", ".xml", ".txt")) \
            else (self.out / rel).read_text(encoding="utf-8")


@pytest.fixture
def site(tmp_path) -> SiteDir:
    """An empty content folder with a phase-1 file, ready for tasks."""
    s = SiteDir(tmp_path)
    s.add("phase1/_index.md", phase(1))
    return s


@pytest.fixture
def empty_site(tmp_path) -> SiteDir:
    """A content folder with nothing in it."""
    return SiteDir(tmp_path)


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The real M3 playbook files, unchanged."""
    need_shared(CORPUS, "the M3 corpus")
    return CORPUS


# --- Playwright: use Debian's Chromium, never a downloaded browser ---------------
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    need(Path(CHROMIUM).exists(), f"Chromium at {CHROMIUM} (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }
