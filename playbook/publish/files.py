"""The files content links: templates, examples and documents below /assets/files/, images below /assets/.

Content names files by a field (``template: Plan.docx``, ``filename:``) or
links them (``/assets/files/Plan%20Template.docx``, ``<img src="/assets/images/logo.svg">``).
They are looked up in two folders: the *files folder*, served at
/assets/files/, and the *assets folder*, whose other subfolders are served
below /assets/. Only files that some content links are published
(:func:`published`); the others are left out and counted.

Served from the site's own origin, an HTML, script or XML file would run with
the site's rights, so only documents and plain images are published, and an
SVG only when it holds no script, event handler, foreign content or link to
anything outside itself.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from playbook.link.refs import spelled_like

_KINDS = {".pdf": "PDF", ".doc": "Word document", ".docx": "Word document", ".xls": "Excel workbook",
          ".xlsx": "Excel workbook", ".xlsm": "Excel workbook with macros", ".ppt": "PowerPoint presentation",
          ".pptx": "PowerPoint presentation", ".csv": "CSV", ".txt": "Text file", ".zip": "ZIP archive",
          ".odt": "OpenDocument text", ".ods": "OpenDocument spreadsheet", ".odp": "OpenDocument presentation",
          ".png": "PNG image", ".jpg": "JPEG image", ".jpeg": "JPEG image", ".gif": "GIF image",
          ".webp": "WebP image", ".svg": "SVG image"}
"""Suffix -> the file's type as a reader knows it."""
PUBLISHED_FILE_TYPES = frozenset(_KINDS)
"""Suffixes of the files published: documents and plain images (SVG checked, see :func:`svg_problem`)."""
TEMPLATE_FILES = "/assets/files/"
"""Where the files folder is served."""
ASSETS = "/assets/"
"""Where the assets folder's other subfolders are served."""

MISSING, TYPE, OUTSIDE, ACTIVE_SVG, OWN = ("missing", "its type could run script on the site",
                                           "it is a symbolic link to a file outside its folder",
                                           "the SVG holds script, event handlers or links",
                                           "the site's own styles, scripts or images use that path")
_HINTS = {TYPE: "files may be " + ", ".join(sorted(PUBLISHED_FILE_TYPES)), OWN: "give the file another name",
          OUTSIDE: "copy the file into the folder instead",
          ACTIVE_SVG: "save it again as a plain SVG (shapes only), or as PNG"}


def kind_of(name: str) -> str:
    """'Excel workbook', 'PDF', ...: a file's type as a reader knows it, from its suffix."""
    return _KINDS.get(os.path.splitext(name)[1].lower(), "File")


def size_text(n: int) -> str:
    """'12 KB', '1.4 MB': shown beside a download so readers know what they fetch."""
    if n < 1024 * 1024:
        return f"{max(1, round(n / 1024))} KB"
    return f"{n / (1024 * 1024):.1f} MB"


@dataclass(frozen=True)
class Files:
    """The folders content files are published from (either may be None)."""

    files: Path | None = None
    """The files folder, served at /assets/files/."""
    assets: Path | None = None
    """The assets folder; its subfolders but files/ are served below /assets/."""
    files_shown: str = ""
    """How the files folder is named in messages."""
    assets_shown: str = ""
    """How the assets folder is named in messages."""
    reserved: frozenset = frozenset()
    """Site paths of the site's own files below /assets/ (styles, scripts, USWDS), never replaced."""

    def _folder(self, site_path: str) -> tuple[Path | None, str, str]:
        """(folder, path below it, name of the folder in messages) that serves a site path below /assets/."""
        if site_path.startswith(TEMPLATE_FILES):
            return self.files, site_path[len(TEMPLATE_FILES):], self.files_shown
        return self.assets, site_path[len(ASSETS):], self.assets_shown

    def name(self, site_path: str) -> str:
        """The file a site path names, as written below its folder."""
        return self._folder(site_path)[1]

    def folder_of(self, site_path: str) -> str:
        """The folder a site path's file would be published from, as shown in messages."""
        folder, _rel, shown = self._folder(site_path)
        return (shown.rstrip("/") + "/") if folder is not None else "the content folder's assets/files/"

    def find(self, site_path: str) -> tuple[Path | None, str]:
        """(the file that serves a site path below /assets/, '') or (None, why it is not published)."""
        folder, rel, _shown = self._folder(site_path)
        parts = rel.split("/")
        if site_path in self.reserved:
            return None, OWN
        if folder is None or not rel or any(p in ("", ".", "..") or p.startswith(".") for p in parts):
            return None, MISSING
        p = folder.joinpath(*parts)
        if not p.is_file():
            return None, MISSING
        try:
            p.resolve().relative_to(folder.resolve())
        except (ValueError, OSError, RuntimeError):
            return None, OUTSIDE
        suffix = p.suffix.lower()
        if suffix not in PUBLISHED_FILE_TYPES:
            return None, TYPE
        if suffix == ".svg" and svg_problem(p.read_bytes()):
            return None, ACTIVE_SVG
        return p, ""

    def closest(self, site_path: str) -> str | None:
        """The name of the file in the same folder most like the one a site path names (a did-you-mean)."""
        folder, rel, _shown = self._folder(site_path)
        if folder is None:
            return None
        here = folder.joinpath(*rel.split("/")[:-1])
        try:
            names = [e.name for e in os.scandir(here) if e.is_file() and not e.name.startswith(".")]
        except OSError:
            return None
        near = spelled_like(rel.rsplit("/", 1)[-1], sorted(names))
        return near and (rel.rsplit("/", 1)[0] + "/" + near if "/" in rel else near)

    @staticmethod
    def hint(problem: str) -> str:
        """How to fix why a file is not published."""
        return _HINTS.get(problem, "")

    def all(self) -> list[str]:
        """The site path of every file of the files folder (hidden ones and symbolic links to folders left
        out): the templates and documents a build may publish. The rest of the assets folder (the images,
        styles and scripts of a Jekyll site's other pages) is not counted."""
        folder, out = self.files, []
        if folder is None or not folder.is_dir():
            return out
        for dirpath, dirnames, filenames in os.walk(folder):
            here = Path(dirpath)
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not (here / d).is_symlink())
            rel = here.relative_to(folder).as_posix()
            out.extend(TEMPLATE_FILES + (f"{rel}/" if rel != "." else "") + name
                       for name in sorted(filenames) if not name.startswith("."))
        return out


def published(files: dict[str, Path]) -> list[tuple[Path, str]]:
    """(source, file below the output folder) of each linked file: what the build copies, sorted.

    ``files`` maps each site path that content links below /assets/ to the file found for it
    (:attr:`playbook.link.refs.Checked.files`)."""
    return [(src, path.lstrip("/")) for path, src in sorted(files.items())]


_SVG_ACTIVE = re.compile(rb"<\s*(?:script|foreignObject|iframe|embed|object|handler|listener|set|animate)\b"
                         rb"|\son[a-z]+\s*=|<!(?:DOCTYPE|ENTITY)|<\?xml-stylesheet|javascript:|data:|url\(\s*['\"]?(?!#)",
                         re.I)
_SVG_HREF = re.compile(rb"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)


def svg_problem(data: bytes) -> bool:
    """True when an SVG could do more than draw: script, event handlers, foreign content, entities,
    animation (which can set a link), or any link or reference to something outside the file."""
    if _SVG_ACTIVE.search(data):
        return True
    return any(not (a or b).strip().startswith(b"#") for a, b in _SVG_HREF.findall(data))
