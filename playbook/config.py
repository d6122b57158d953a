"""Site configuration: one TOML file, every option with a default.

Where it is read from (the first that exists wins):

1. the file given with ``--config``;
2. ``playbook.toml``, or the ``[tool.playbook]`` table of ``pyproject.toml``,
   in the folder given as CONTENT (a project or repository root, whose
   ``content`` option names the content folder: ``playbook build .``);
3. the same in the folder that holds the content folder;
4. the same at the root of the Jekyll repository the content lives in
   (:mod:`playbook.load.jekyll`).

With none of these, every option keeps its default. Only these folders are
looked at, never the current directory, so a build does not change with where
it is started from. Options given on the command line (such as
``--base-url``) win over the file. Folder options (``content``, ``files``)
are relative to the file's own folder and must stay inside it.

A problem in the file is a Diagnostic like any content problem:
``playbook.toml:3: serach: unknown option 'serach'; did you mean 'search'?``.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

from playbook.diagnostics import Diagnostics, did_you_mean
from playbook.load import jekyll

_EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")
_HTTP = re.compile(r"^https?://[^\s<>\"]+$")
_AGENCY = re.compile(r"^[A-Za-z0-9-]{1,32}$")
_TOML_LINE = re.compile(r"at line (\d+)")


@dataclass(frozen=True)
class Config:
    """Site-wide settings; the layouts read them as ``info``."""

    title: str = "M3 Playbook"
    """Site title, shown in the header, in every page title and on the PDF cover."""
    description: str = ("The Modernization and Migration Management (M3) Playbook: phases, key tasks, "
                        "activities and artifacts for moving to shared services.")
    """What the site is, for the home page and meta description."""
    agency: str = "U.S. General Services Administration"
    """Agency named in the identifier and on the PDF cover."""
    base_url: str = "/"
    """Address or path the site is served under, e.g. https://agency.gov/m3/."""
    repository: str = ""
    """Address of the source repository, e.g. https://github.com/org/repo; empty hides "Edit this page"."""
    branch: str = "main"
    """Branch that "Edit this page" opens."""
    dap: bool = False
    """Include the Digital Analytics Program script."""
    dap_agency: str = "GSA"
    """The DAP script's ``agency`` parameter."""
    search: bool = True
    """Whether the site offers search."""
    contact_email: str = ""
    """Address shown in the footer for questions; empty shows none."""
    content: str = ""
    """The content folder, relative to this file's folder, when the folder given as CONTENT is this file's
    (``playbook build .`` from a repository root); empty: the folder given."""
    files: str = ""
    """Folder of the template and document files served at /assets/files/, relative to this file's folder;
    empty: the content folder's assets/files/, or the Jekyll repository's."""
    host_url: str = ""
    """Address of the site the playbook is part of: a root-relative link in content that matches no page of
    the playbook points there; empty: the url (and baseurl) of the Jekyll repository's _config.yml."""
    include: tuple = ()
    """Globs of the content files to read, below the content folder (``*`` also matches '/'); empty: all."""
    exclude: tuple = ()
    """Globs of content files to leave out, e.g. ["about.md", "drafts/*"]."""


OPTIONS = {f.name: f for f in dataclasses.fields(Config)}
FOLDERS = ("content", "files")
"""Options that name a folder: relative to the configuration file's folder, and inside it."""


def find(project: Path) -> tuple[Path | None, str]:
    """The config file for a project folder and its table ('' or 'tool.playbook'); (None, '') if none."""
    toml = project / "playbook.toml"
    if toml.is_file():
        return toml, ""
    py = project / "pyproject.toml"
    if py.is_file():
        import tomllib  # only when there is a file to read

        try:
            data = tomllib.loads(py.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
            return None, ""  # someone else's broken pyproject is not ours to report
        if isinstance(data.get("tool"), dict) and "playbook" in data["tool"]:
            return py, "tool.playbook"
    return None, ""


def _line_of(lines: list[str], key: str, start: int) -> int:
    """Line (1-based) where ``key = ...`` is written at or after ``start``; tomllib keeps no lines."""
    pattern = re.compile(r"^\s*(?:" + re.escape(key) + r"|\"" + re.escape(key) + r"\"|'" + re.escape(key)
                         + r"')\s*=")
    for i in range(start, len(lines)):
        if pattern.match(lines[i]):
            return i + 1
    return 0


def _table_start(lines: list[str], table: str) -> int:
    """Index of the line after a ``[table]`` header (0 for the top level)."""
    if not table:
        return 0
    header = re.compile(r"^\s*\[\s*" + r"\s*\.\s*".join(map(re.escape, table.split("."))) + r"\s*\]")
    for i, text in enumerate(lines):
        if header.match(text):
            return i + 1
    return 0


def _check(name: str, value, default):
    """(value, problem) for one option: problem is '' when the value is usable."""
    if isinstance(default, bool):
        if not isinstance(value, bool):
            return default, f"expected true or false, found {value!r}"
        return value, ""
    if isinstance(default, tuple):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            return default, f"expected a list of globs such as [\"m3/*\"], found {value!r}"
        return tuple(v.strip() for v in value), ""
    if not isinstance(value, str):
        return default, f"expected a string, found {value!r}"
    value = value.strip()
    if name == "contact_email" and value and not _EMAIL.match(value):
        return default, f"'{value}' is not an email address"
    if name in ("repository", "host_url") and value and not _HTTP.match(value):
        return default, f"'{value}' is not an http(s) address"
    if name == "dap_agency" and not _AGENCY.match(value):
        return default, f"'{value}' is not an agency code such as 'GSA'"
    if name in ("title", "branch") and not value:
        return default, "must not be empty"
    if name in ("repository", "host_url"):
        value = value.rstrip("/")
    return value, ""


def where_set(path: Path | None, key: str) -> int:
    """The line of configuration file ``path`` that sets option ``key``, or 0 when it sets none."""
    if path is None:
        return 0
    table = "tool.playbook" if Path(path).name == "pyproject.toml" else ""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 0
    return _line_of(lines, key, _table_start(lines, table))


def _folder(base: Path, value: str) -> tuple[str, str]:
    """(the folder an option names, relative to ``base``, as a path; problem or '')."""
    if not value:
        return "", ""
    target = base / value
    try:
        inside = target.resolve().is_relative_to(base.resolve())
    except (OSError, RuntimeError):
        inside = False
    if Path(value).is_absolute() or not inside:
        return "", f"'{value}' is outside the folder of this file; give a folder inside it"
    if not target.is_dir():
        return "", f"folder '{value}' does not exist"
    return target.as_posix(), ""


def load(project: Path, diags: Diagnostics, path: Path | None = None) -> Config:
    """Read the configuration for the project folder (or ``path``); problems go to ``diags``."""
    table = ""
    if path is None:
        path, table = find(project)
        if path is None:
            return Config()
    shown = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        diags.error(shown, 0, "", f"cannot read the configuration: {getattr(exc, 'strerror', None) or exc}")
        return Config()
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_LINE.search(str(exc))
        diags.error(shown, int(m.group(1)) if m else 0, "", f"not valid TOML: {str(exc).split(' (at ')[0]}",
                    "see https://toml.io for the syntax")
        return Config()
    if path.name == "pyproject.toml" and not table:
        table = "tool.playbook"
    for part in table.split(".") if table else ():
        data = data.get(part, {}) if isinstance(data, dict) else {}
    lines = text.splitlines()
    start = _table_start(lines, table)
    values = {}
    for key, value in data.items():
        line = _line_of(lines, key, start)
        field = OPTIONS.get(key)
        if field is None:
            diags.error(shown, line, key, f"unknown option '{key}'",
                        did_you_mean(key, OPTIONS) or "options are: " + ", ".join(OPTIONS))
            continue
        value, problem = _check(key, value, field.default)
        if not problem and key in FOLDERS:
            value, problem = _folder(Path(path).parent, value)
        if problem:
            diags.error(shown, line, key, problem)
            continue
        values[key] = value
    return Config(**values)


def file_for(content: Path, given: Path | None = None) -> Path | None:
    """The configuration file of a content folder: ``given`` (``--config``), else the first of
    playbook.toml or ``[tool.playbook]`` in pyproject.toml found in the content folder, beside it, or at
    the root of the Jekyll repository it lives in; None when there is none."""
    if given is not None:
        return Path(given)
    root = jekyll.find_root(content)
    for folder in (content, content.parent, *([root] if root is not None else [])):
        path, _table = find(folder)
        if path is not None:
            return path
    return None


def settle(content: Path, given: Path | None, diags: Diagnostics) -> tuple[Path, Config, Path | None]:
    """(the content folder, its configuration, the file that holds it or None): the ``content`` option of
    a file kept in CONTENT itself moves the content folder there (``playbook build .`` with
    ``content = "_pages/m3"``), and a host address left empty is the Jekyll repository's, from its
    _config.yml."""
    path = file_for(content, given)
    conf = load(content, diags, path) if path is not None else Config()
    if conf.content and path is not None and _same(path.parent, content):
        content = Path(conf.content)
    if not conf.host_url:
        root = jekyll.find_root(content)
        if root is not None:
            conf = dataclasses.replace(conf, host_url=jekyll.host_address(root, diags))
    return content, conf, path


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False
