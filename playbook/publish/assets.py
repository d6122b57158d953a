"""Assets: the files a site gets as they are, copied the same way by ``build`` and ``serve``.

USWDS comes from node_modules: ``uswds.min.css`` refers to fonts and icons by
``url(...)``; only those, the script and the banner images named by the
layouts are copied, not the whole 40 MB package. Then ``static/`` and the
content's published files (templates and examples).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from playbook.diagnostics import Diagnostics
from playbook.load import documents as load

USWDS_PACKAGE = "@uswds/uswds"
INSTALL_HINT = "run 'npm ci' in the project folder to install USWDS (pinned in package.json)"
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+?)['\"]?\s*\)")
# Named by layouts/partials/banner.html rather than by the stylesheet.
LAYOUT_IMAGES = ("img/us_flag_small.png", "img/icon-dot-gov.svg", "img/icon-https.svg")


class MissingAssets(Exception):
    """USWDS is not installed where the build looks for it."""


def find_uswds(start: Path | None = None) -> Path:
    """The ``dist`` folder of the installed USWDS package."""
    candidates = []
    if os.environ.get("PLAYBOOK_USWDS"):
        candidates.append(Path(os.environ["PLAYBOOK_USWDS"]))
    here = Path(__file__).resolve().parents[2]
    for base in [start, Path.cwd(), here]:
        if base is not None:
            candidates.append(Path(base) / "node_modules" / USWDS_PACKAGE / "dist")
    for c in candidates:
        if (c / "css" / "uswds.min.css").is_file() and (c / "js" / "uswds.min.js").is_file():
            return c
    raise MissingAssets(f"USWDS assets not found (looked in {', '.join(str(c) for c in candidates)}); {INSTALL_HINT}")


def uswds_files(dist: Path) -> list[tuple[Path, str]]:
    """(source, destination below assets/uswds/) for every file the site needs, sorted."""
    css = (dist / "css" / "uswds.min.css").read_text(encoding="utf-8")
    wanted = {"css/uswds.min.css", "js/uswds.min.js", *LAYOUT_IMAGES}
    for ref in _CSS_URL.findall(css):
        if ref.startswith(("data:", "http:", "https:", "#")):
            continue
        rel = os.path.normpath(os.path.join("css", ref.split("?")[0].split("#")[0])).replace(os.sep, "/")
        if not rel.startswith(".."):
            wanted.add(rel)
    out = []
    for rel in sorted(wanted):
        src = dist / rel
        if not src.is_file():
            raise MissingAssets(f"USWDS file {rel} is missing from {dist}; {INSTALL_HINT}")
        out.append((src, rel))
    return out


def copy_all(writer, uswds: list[tuple[Path, str]], static: Path, content: Path, diags: Diagnostics) -> None:
    """Copy the USWDS files (:func:`uswds_files`) under /assets/uswds/, ``static/`` under /assets/ and the
    content's published files under /assets/files/ into ``writer`` (:class:`playbook.publish.writer.FolderWriter`)."""
    for src, rel in uswds:
        writer.copy(src, "assets/uswds/" + rel)
    static = Path(static)
    if static.is_dir():
        for src in sorted(p for p in static.rglob("*") if p.is_file()):
            writer.copy(src, "assets/" + src.relative_to(static).as_posix())
    copy_content_files(writer, content, diags)


def copy_content_files(writer, content: Path, diags: Diagnostics) -> None:
    """Copy the files the content folder publishes (its assets/files/) under /assets/files/."""
    for src, rel in load.find_files(content, load.CONTENT_FILES, diags):
        writer.copy(src, "assets/files/" + rel)
