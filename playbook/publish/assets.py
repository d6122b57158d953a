"""Assets: the files a site gets as they are, copied the same way by ``build`` and ``serve``.

The site's USWDS stylesheet is compiled from USWDS's Sass packages with only the
components the layouts use (``sass/uswds.scss``, ``npm run build:css``) and
committed as ``static/css/uswds.css``, so a build needs no Node. It refers to
USWDS's fonts and icons by ``url(../uswds/...)``; only those and the banner
images named by the layouts are copied from the package into ``assets/uswds/``,
not the whole 40 MB package. USWDS's script is not used: the banner's one
behaviour is static/js/banner.js.
Then ``static/`` and the content's published files (templates and examples).
"""
from __future__ import annotations

import os
import re
from pathlib import Path


USWDS_PACKAGE = "@uswds/uswds"
INSTALL_HINT = "run 'npm ci' in the project folder to install USWDS (pinned in package.json)"
STYLESHEET = Path(__file__).resolve().parents[2] / "static" / "css" / "uswds.css"
"""The compiled USWDS stylesheet, served as /assets/css/uswds.css."""
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]*?)['\"]?\s*\)")
# Named by the layouts (partials/banner.html) rather than by the stylesheet.
LAYOUT_FILES = ("img/us_flag_small.png", "img/icon-dot-gov.svg", "img/icon-https.svg")


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
        if (c / "fonts").is_dir() and (c / "img" / "us_flag_small.png").is_file():
            return c
    raise MissingAssets(f"USWDS assets not found (looked in {', '.join(str(c) for c in candidates)}); {INSTALL_HINT}")


def uswds_files(dist: Path, stylesheet: Path = STYLESHEET) -> list[tuple[Path, str]]:
    """(source, destination below assets/uswds/) for every file the site needs, sorted.

    ``stylesheet`` is served from assets/css/, so its ``url(../uswds/X)`` is X in ``dist``.
    """
    try:
        css = stylesheet.read_text(encoding="utf-8")
    except OSError as exc:
        raise MissingAssets(f"the compiled USWDS stylesheet {stylesheet} cannot be read ({exc.strerror or exc}); "
                            "run 'npm run build:css' in the project folder") from exc
    wanted = set(LAYOUT_FILES)
    for ref in _CSS_URL.findall(css):
        rel = os.path.normpath(os.path.join("css", ref.split("?")[0].split("#")[0])).replace(os.sep, "/")
        if rel.startswith("uswds/"):
            wanted.add(rel[len("uswds/"):])
    out = []
    for rel in sorted(wanted):
        src = dist / rel
        if not src.is_file():
            raise MissingAssets(f"USWDS file {rel} is missing from {dist}; {INSTALL_HINT}")
        out.append((src, rel))
    return out


def own_files(uswds: list[tuple[Path, str]], static: Path) -> list[tuple[Path, str]]:
    """(source, output file) of each file the site's own pages use: the USWDS files (:func:`uswds_files`)
    under assets/uswds/ and ``static/`` under assets/."""
    out = [(src, "assets/uswds/" + rel) for src, rel in uswds]
    static = Path(static)
    if static.is_dir():
        out += [(src, "assets/" + src.relative_to(static).as_posix())
                for src in sorted(p for p in static.rglob("*") if p.is_file())]
    return out


def copy_all(writer, uswds: list[tuple[Path, str]], static: Path, files: list[tuple[Path, str]]) -> None:
    """Copy the site's own files (:func:`own_files`) and the files content links
    (:func:`playbook.publish.files.published`) into ``writer`` (:class:`playbook.publish.writer.FolderWriter`)."""
    for src, rel in own_files(uswds, static) + files:
        writer.copy(src, rel)
