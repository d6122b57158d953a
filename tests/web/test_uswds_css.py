"""The committed USWDS stylesheet is what `npm run build:css` makes from sass/uswds.scss today.

static/css/uswds.css is committed so that building a site needs no Node; this
test compiles it afresh with the exact command of package.json's build:css
script (into a temporary file) and fails when the two differ, e.g. after a
change to sass/uswds.scss or an update of USWDS or Sass without a recompile.
"""
from __future__ import annotations

import json
import shlex
import subprocess

from conftest import ROOT

from .conftest import node_tool

COMPILED = "static/css/uswds.css"


def test_committed_uswds_css_equals_a_fresh_compile(tmp_path):
    sass = node_tool("sass")
    script = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["scripts"]["build:css"]
    args = shlex.split(script)
    assert args[0] == "sass" and args[-1] == COMPILED, script
    fresh = tmp_path / "uswds.css"
    done = subprocess.run([str(sass), *args[1:-1], str(fresh)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    committed = (ROOT / COMPILED).read_bytes()
    assert fresh.read_bytes() == committed, f"{COMPILED} is stale: run 'npm run build:css' and commit the result"
    # only the components sass/uswds.scss forwards: far less than USWDS's whole 527 kB stylesheet
    assert 100_000 < len(committed) < 200_000
    assert b".usa-banner{" in committed and b".usa-nav{" not in committed and b"Merriweather" not in committed
