"""The W3C Nu HTML Checker finds no error on any page of the bundled or the corpus build (issue 18).

vnu-jar from npm, run by Debian's Java (default-jre-headless) once over each
whole output folder: every page, not a sample.
"""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import need

from .conftest import VNU_JAR, site_named


@pytest.mark.parametrize("name", ["bundled", "corpus"])
def test_nu_html_checker_finds_no_error(web_sites, name):
    need(VNU_JAR.is_file(), f"the Nu HTML Checker at {VNU_JAR} (run 'npm ci')")
    java = shutil.which("java")
    need(java is not None, "Java (apt-get install default-jre-headless)")
    site = site_named(web_sites, name)
    done = subprocess.run([java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--skip-non-html",
                           str(site.folder)], capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    report = json.loads(done.stderr or done.stdout)  # vnu writes its JSON report to stderr
    errors = [f"{m['url'].split(site.folder.name, 1)[-1]}:{m.get('lastLine', 0)}: {m['message']}"
              for m in report["messages"] if m["type"] in ("error", "non-document-error")]
    assert errors == [], f"{len(errors)} errors:\n" + "\n".join(errors[:40])
    assert done.returncode == 0
