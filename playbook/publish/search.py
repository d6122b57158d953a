"""Search: the Pagefind index and its component UI, added to a written site.

An output-format module: :mod:`playbook.pipeline` hands it the temporary folder
of a build (before the swap), so the index is part of the atomic output and a
failed index leaves the old site in place. Pagefind reads the pages' own
``data-pagefind-*`` attributes (set by the layouts): which part of a page is
indexed, its result title, and the phase, workstream, party and type filters.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from playbook.publish import search_canon

INSTALL_HINT = "install it with: python3 -m pip install 'pagefind[bin]' (or build with --no-search)"
TIMEOUT = 300
"""Seconds an index may take; the M3 corpus takes well under one."""


class SearchError(Exception):
    """Pagefind is missing or failed; the build cannot include search."""


def command(site: Path, subdir: str) -> list[str]:
    """The Pagefind command line for a site folder (run with this Python, so the pip-installed one)."""
    return [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", subdir, "--silent"]


def index(site: Path, bundle_path: str) -> int:
    """Index the site in ``site``; the bundle goes to ``bundle_path`` ('/pagefind/'). Returns files written."""
    subdir = bundle_path.strip("/")
    try:
        done = subprocess.run(command(site, subdir), capture_output=True, text=True, timeout=TIMEOUT,
                              stdin=subprocess.DEVNULL, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchError(f"could not run Pagefind: {exc}; {INSTALL_HINT}") from exc
    out = site / subdir
    if done.returncode != 0 or not (out / "pagefind.js").is_file():
        detail = (done.stderr or done.stdout).strip().splitlines()
        reason = detail[-1] if detail else f"exit code {done.returncode}"
        if "No module named pagefind" in (done.stderr or ""):
            reason = "Pagefind is not installed"
        raise SearchError(f"search index failed: {reason}; {INSTALL_HINT}")
    try:  # Pagefind writes filter values in hash-map order; put them (and the names that follow) in one order
        search_canon.canonicalise(out)
    except (search_canon.CanonError, OSError, ValueError) as exc:
        raise SearchError(f"search index could not be made reproducible: {exc}") from exc
    return sum(1 for p in out.rglob("*") if p.is_file())
