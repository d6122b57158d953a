"""The web's own checkers (issue 18): the bundled and the corpus site, each built once per session.

Each site is built with search into a session folder that a gzip-serving static
server (gzipserver.py) already serves on 127.0.0.1, and with that server's
address as its base URL, so robots.txt and sitemap.xml carry full addresses as
on a real host. The tools are the ones CI installs: the W3C Nu HTML Checker
(npm vnu-jar on Debian's Java), pa11y-ci and Lighthouse (npm, driving Debian's
Chromium). Without one of them a test skips locally and fails in CI (need()).
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from playbook import pipeline
from conftest import CHROMIUM, CORPUS, ON_GITHUB, ROOT, need, need_shared

from .gzipserver import serve

NODE_BIN = ROOT / "node_modules" / ".bin"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
RESULTS = ROOT / "test-artifacts"
"""Where the checkers' figures are written (Lighthouse scores per page type)."""
# One page of each type, as the issue lists them; the corpus has no plain page.
PAGE_TYPES = {
    "bundled": {"home": "/", "phase": "/m3phase1/", "key task": "/1.6/", "artifacts index": "/artifacts/",
                "artifact": "/artifacts/project-business-case/", "activities": "/activities/",
                "party": "/parties/provider/", "glossary": "/glossary/", "downloads": "/downloads/",
                "plain page": "/performance-management/"},
    "corpus": {"home": "/", "phase": "/m3phase2/", "key task": "/2.1/", "artifacts index": "/artifacts/",
               "artifact": "/artifacts/project-business-case/", "activities": "/activities/",
               "party": "/parties/shared/", "glossary": "/m3glossary/", "downloads": "/downloads/"},
}
CONTENT = {"bundled": ROOT / "content", "corpus": CORPUS}
# What tools that launch Chromium themselves need: Debian's binary, never a download of their own.
TOOL_ENV = {"CHROME_PATH": CHROMIUM, "PUPPETEER_EXECUTABLE_PATH": CHROMIUM, "PUPPETEER_SKIP_DOWNLOAD": "1"}


@dataclass
class Site:
    """A built site and the gzip-serving address it answers at."""

    name: str
    folder: Path
    root: str
    """Address of the site root, ending in '/'."""

    def url(self, site_path: str) -> str:
        return self.root + site_path.lstrip("/")

    def pages(self) -> list[Path]:
        """Every HTML page of the site (Pagefind's bundle has none)."""
        return sorted(p for p in self.folder.rglob("*.html") if "pagefind" not in p.relative_to(self.folder).parts)


def node_tool(name: str) -> Path:
    """An npm-installed command of the project, or a skip (a failure in CI) naming the install."""
    path = NODE_BIN / name
    need(path.exists() and shutil.which("node") is not None, f"{name} (run 'npm ci' in {ROOT})")
    return path


def tool_env() -> dict:
    return {**os.environ, **TOOL_ENV}


@pytest.fixture(scope="session")
def web_sites(tmp_path_factory) -> dict[str, Site]:
    """name -> Site for 'bundled' and 'corpus', built with search and served gzipped. On GitHub's runner,
    which has no ../shared, the corpus is left out (its tests skip there, see :func:`site_named`)."""
    if not (ON_GITHUB and not CORPUS.is_dir()):
        need(CORPUS.is_dir(), f"the M3 corpus at {CORPUS}")
    root = tmp_path_factory.mktemp("web-sites")
    servers, sites = [], {}
    for name, content in CONTENT.items():
        if not content.is_dir():
            continue
        folder = root / name
        folder.mkdir()
        server, address = serve(folder)
        servers.append(server)
        result = pipeline.build(pipeline.Options(content=content, output=folder, base_url=address, search=True))
        errors = [d.format() for d in result.diagnostics.sorted() if d.severity == "error"]
        assert result.ok(), f"build of {content} failed: {result.fatal} {errors[:5]}"
        sites[name] = Site(name, folder, address)
    yield sites
    for s in servers:
        s.shutdown()
        s.server_close()


def typed_pages(sites: dict) -> list[tuple[str, str, str]]:
    """(site, page type, site path) for one page of each type of each site built."""
    return [(site, kind, path) for site, kinds in PAGE_TYPES.items() if site in sites for kind, path in kinds.items()]


def site_named(sites: dict, name: str) -> Site:
    """The site built under ``name``; a skip on GitHub's runner for the corpus it cannot build there."""
    if name not in sites:
        need_shared(CORPUS, "the M3 corpus")
    return sites[name]
