"""Load: find content files, split front matter, parse YAML with line numbers.

This module and :mod:`playbook.write` are the only ones that touch the disk.
Every problem becomes a :class:`~playbook.diagnostics.Diagnostic`; nothing here
raises on bad content.
"""
from __future__ import annotations

import os
import re
from fnmatch import fnmatchcase
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from playbook.load import yaml_lines
from playbook.diagnostics import Diagnostics

try:  # libyaml's C parser; the pure-Python one is a slow fallback
    _Base = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml is a declared requirement
    _Base = yaml.SafeLoader


class _Loader(_Base):
    """The safe loader, with a quicker answer to "which type is this plain scalar?".

    The C composer asks the Python resolver about every scalar, and most are
    text starting with a character that no implicit type (bool, int, float,
    null, timestamp) can start with; those are answered without trying the
    patterns. Every other scalar gets the safe loader's own answer.
    """

    # Characters an implicit type may start with; with a pattern for any start (None) or a path
    # resolver registered, no character is safe and every scalar takes the long way.
    _starts = (frozenset(k for k in _Base.yaml_implicit_resolvers if k)
               if None not in _Base.yaml_implicit_resolvers and not _Base.yaml_path_resolvers else None)

    def resolve(self, kind, value, implicit):
        starts = self._starts
        if starts is not None and kind is yaml.ScalarNode and implicit[0] and value and value[0] not in starts:
            return self.DEFAULT_SCALAR_TAG
        return super().resolve(kind, value, implicit)

MAX_FILE_BYTES = 2 * 1024 * 1024
"""Content files larger than this are refused: no real key task comes near it."""
MAX_YAML_VALUES = yaml_lines.MAX_VALUES
"""Bound on values built from one file, so YAML alias bombs stay cheap."""
MAX_YAML_DEPTH = yaml_lines.MAX_DEPTH
"""Bound on nesting of lists and mappings."""
CONTENT_SUFFIXES = (".md", ".markdown")
CONTENT_FILES = "assets/files"
"""Folder of the content tree whose files (templates, examples) are published under /assets/files/."""

KEY_TASK, PHASE, GLOSSARY, PAGE, REGISTRY, RESOURCES = "keyTask", "phase", "glossary", "page", "registry", "resources"

# Jekyll's `layout:` values in the original M3 files, and this project's own.
_LAYOUT_KIND = {
    "m3/keytask": KEY_TASK, "keytask": KEY_TASK, "key-task": KEY_TASK,
    "m3/phase": PHASE, "phase": PHASE,
    "m3/glossary": GLOSSARY, "glossary": GLOSSARY,
    "page": PAGE, "default": PAGE, "m3/page": PAGE, "m3/m3-layout": PAGE,
    "m3/m3resources": RESOURCES, "resources": RESOURCES,
}
INTRODUCTION_LAYOUT = "m3/m3-layout"
"""The ``layout:`` of the M3 site's introduction page (``m3.md``): a plain page, linked from the home page."""
# Bidirectional overrides and isolates make text display differently from what it
# is (as in "Trojan Source"); no output format needs them, so they go at load time.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_BIDI_HINT = "they can make text display differently from what it is"
# Control characters (YAML lets "\x01" through as an escape) are invisible and break
# XML, spreadsheets and PDFs; tab and line breaks are kept.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Either of the two above: most text has neither, and is kept without further work.
_UNCLEAN = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _removed(value: str) -> tuple[str, list[tuple[str, str, int]]]:
    """``value`` without bidi and control characters, and (message, hint, line breaks before the first)
    of each kind removed."""
    found = []
    for rx, what, hint in ((_BIDI, "bidirectional control characters removed", _BIDI_HINT),
                           (_CONTROL, "control characters removed", "they are invisible and break some outputs")):
        m = rx.search(value)
        if m:
            found.append((what, hint, value.count("\n", 0, m.start())))
            value = rx.sub("", value)
    return value, found


def _cleaned(value: str) -> tuple[str, list[tuple[str, str]]]:
    """A one-line text field's value without bidi and control characters, and what was removed."""
    value, found = _removed(value)
    return value, [(what, hint) for what, hint, _at in found]


def _clean_text(value: str, rel: str, line: int, field: str, diags: Diagnostics, multiline: bool = False) -> str:
    """``value`` without bidi and control characters; a warning for each kind removed."""
    cleaned, found = _removed(value)
    for what, hint, breaks in found:
        diags.warning(rel, line + breaks if multiline else line, field, what, hint)
    return cleaned


_TASK_FILE = re.compile(r"^\d+\.\d+$")
_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)

Path_ = tuple  # a field path such as ("activities", 2, "text")


@dataclass(frozen=True, slots=True)
class RawDoc:
    """One content file after parsing, before validation."""

    path: str
    """Path as shown to the user: the content folder as given, then the file."""
    rel: str
    """Path relative to the content folder, with forward slashes."""
    kind: str
    """``keyTask``, ``phase``, ``glossary``, ``page``, ``resources`` or ``registry``."""
    data: dict
    """The front matter as plain Python values."""
    lines: dict = field(repr=False)
    """Map from field path tuple to the 1-based line it starts on."""
    body: str = ""
    """Markdown after the front matter."""
    body_line: int = 0
    """Line on which the body starts."""
    fm_line: int = 1
    """Line of the opening ``---``; used when a field has no line of its own."""

    def line(self, *path) -> int:
        """The line of a field, or of its nearest parent that has one."""
        p = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return self.fm_line


def field_name(path: Path_) -> str:
    """Render a field path tuple as ``activities[2].responsibleParty``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def selected(rel: str, include: tuple = (), exclude: tuple = ()) -> bool:
    """True when a content file (its path below the content folder) is read: it matches one of the
    ``include`` globs (when there are any) and none of the ``exclude`` globs; ``*`` also matches '/'."""
    return (not include or any(fnmatchcase(rel, g) for g in include)) and not any(fnmatchcase(rel, g) for g in exclude)


def find_content(root: Path, diags: Diagnostics, shown: str = "", include: tuple = (),
                 exclude: tuple = ()) -> list[Path]:
    """Every content file below ``root`` that :func:`selected` takes, sorted; symlinks out of ``root`` are refused."""
    root = root.resolve()
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        keep = []
        for d in sorted(dirnames):
            if d.startswith((".", "_site", "node_modules")) or (here == root and d == "assets"):
                continue  # assets/ holds files published as they are, never content
            p = here / d
            if p.is_symlink():
                _symlink_diag(root, p, diags, "folder", shown)
                continue
            keep.append(d)
        dirnames[:] = keep
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            p = here / name
            is_content = name.endswith(CONTENT_SUFFIXES) or name in ("artifacts.yaml", "artifacts.yml")
            if not is_content or not selected(p.relative_to(root).as_posix(), include, exclude):
                continue
            if p.is_symlink() and not _inside(root, p):
                _symlink_diag(root, p, diags, "file", shown)
                continue
            found.append(p)
    return found


def _inside(root: Path, p: Path) -> bool:
    try:
        p.resolve().relative_to(root)
        return True
    except (ValueError, OSError, RuntimeError):
        return False


def _symlink_diag(root: Path, p: Path, diags: Diagnostics, what: str, shown: str) -> None:
    rel = (Path(shown) / p.relative_to(root)).as_posix() if shown else p.relative_to(root).as_posix()
    if _inside(root, p):
        diags.warning(rel, 0, "", f"symbolic link to a {what} is not followed",
                      "copy the content into the content folder instead")
    else:
        diags.error(rel, 0, "", "symbolic link points outside the content folder",
                    "content must live inside the content folder")


def read_text(path: Path, rel: str, diags: Diagnostics) -> str | None:
    """Read a file as UTF-8 text with LF endings, or record why it cannot be read."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            diags.error(rel, 0, "", f"file is {size / 1048576:.1f} MB, over the {MAX_FILE_BYTES // 1048576} MB limit",
                        "split it or remove embedded data")
            return None
        raw = path.read_bytes()
    except OSError as exc:
        diags.error(rel, 0, "", f"cannot read file: {exc.strerror or exc}")
        return None
    if not raw.strip():
        diags.error(rel, 0, "", "file is empty", "a content file starts with a '---' front matter block")
        return None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        diags.error(rel, 0, "", "file is UTF-16, not UTF-8", "save the file as UTF-8")
        return None
    if b"\0" in raw:
        diags.error(rel, 0, "", "file is binary, not text", "content files are UTF-8 Markdown with YAML front matter")
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a BOM is harmless; editors on Windows add it
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        diags.error(rel, line, "", f"file is not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                    "save the file as UTF-8")
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def split_front_matter(text: str, rel: str, diags: Diagnostics) -> tuple[str, str, int] | None:
    """Split ``text`` into (front matter, body, body line); None when malformed."""
    if not text.startswith("---"):
        diags.error(rel, 1, "", "no front matter", "start the file with a line '---', then YAML fields, then '---'")
        return None
    first_nl = text.find("\n")
    if first_nl < 0 or text[:first_nl].rstrip() != "---":
        diags.error(rel, 1, "", "the opening '---' must be alone on its line")
        return None
    m = _FENCE.search(text, first_nl + 1)
    if not m:
        diags.error(rel, 1, "", "front matter is never closed", "add a line '---' after the last field")
        return None
    fm = text[first_nl + 1: m.start()]
    body_start = m.end() + 1
    body_line = text.count("\n", 0, body_start) + 1
    return fm, text[body_start:], body_line


def parse_yaml(text: str, rel: str, first_line: int, diags: Diagnostics) -> tuple[dict, dict] | None:
    """Parse a YAML mapping; returns (data, line map) or None after recording the problem.

    ``first_line`` is the file line on which ``text`` starts, so marks map back to the file.
    """
    try:
        got = yaml_lines.read(text, _Loader, first_line, _UNCLEAN.search, _cleaned)
    except yaml_lines.TooDeep as exc:
        diags.error(rel, exc.mark.line + first_line, "", f"front matter is nested more than {MAX_YAML_DEPTH} levels deep",
                    "content needs a few levels of lists and fields, no more")
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else first_line
        col = mark.column + 1 if mark else 0
        problem = exc.problem or exc.context or "invalid YAML"
        at = text.split("\n")[mark.line] if mark and mark.line < text.count("\n") + 1 else ""
        tab = "tab" in problem or "\\t" in problem or "\t" in at[: (mark.column + 1 if mark else 0)]
        hint = "indent with spaces, not tabs" if tab else "check indentation, colons and quotes around this line"
        if not tab and _unclosed(exc, text, rel, first_line, diags):
            return None
        diags.error(rel, line, "", f"invalid YAML: {problem} (column {col})", hint)
        return None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        line = text.count("\n", 0, exc.position) + first_line
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        diags.error(rel, line, "", f"invalid YAML: control character U+{ord(char):04X} is not allowed",
                    "remove it; only tabs and line breaks may appear in text")
        return None
    except yaml.YAMLError as exc:  # pragma: no cover - other errors carry marks
        diags.error(rel, first_line, "", f"invalid YAML: {str(exc).splitlines()[0]}")
        return None
    except yaml_lines.NotMapping as exc:
        diags.error(rel, exc.mark.line + first_line, "", "front matter must be a mapping of fields",
                    "write 'field: value' lines")
        return None
    for line, path, severity, message, hint in got.said:
        diags.add(rel, line, field_name(path), message, hint, severity)
    failure = got.failure
    if failure is None:
        return (got.value, got.lines) if got.value is not None else ({}, {})
    if isinstance(failure, yaml_lines.TooBig):
        diags.error(rel, first_line, "", f"front matter expands to more than {MAX_YAML_VALUES} values",
                    "remove YAML aliases (*name) that repeat large blocks")
    elif isinstance(failure, yaml_lines.Recursive):
        diags.error(rel, failure.mark.line + first_line, "", "a YAML alias repeats the block that holds it",
                    "an alias (*name) may only repeat a block that ends before it; write the values out")
    elif isinstance(failure, yaml_lines.BadTag):
        diags.error(rel, failure.mark.line + first_line, "", f"unsupported YAML tag '{failure.tag}'",
                    "use plain text, numbers and lists")
    else:
        diags.error(rel, first_line, "", f"invalid YAML value: {failure}")
    return None


_FLOW_CONTEXTS = ("while parsing a flow sequence", "while parsing a flow mapping", "while parsing a flow node")
_CLOSE = {"[": "end the list with ']', or put text that starts with '[' in quotes",
          "{": "end the mapping with '}', or put text that starts with '{' in quotes",
          '"': r"""end the text with '"', or write a '"' inside it as '\"'""",
          "'": r'''end the text with "'", or write a "'" inside it as "''"'''}
"""How to close each opener that libyaml can be left inside."""


def _unclosed(exc: yaml.MarkedYAMLError, text: str, rel: str, first_line: int, diags: Diagnostics) -> bool:
    """Report a bracket or quote left open at the line that opens it, naming the line where libyaml noticed.

    libyaml notices only where the text stops making sense, often lines later
    (at the next field, or at the end of the front matter); the mistake is at
    the opening. False (nothing reported) for any other error.
    """
    mark = exc.problem_mark
    if mark is None:
        return False
    if exc.context == "while scanning a quoted scalar":
        start = exc.context_mark
    elif exc.context in _FLOW_CONTEXTS:
        start = _open_flow(text, mark.index)
    else:
        return False
    if start is None or start.line >= mark.line:  # on one line, the error is not a missing end
        return False
    opener = text[start.index]
    shown = f'"{opener}"' if opener == "'" else f"'{opener}'"
    diags.error(rel, start.line + first_line, "",
                f"invalid YAML: {shown} at column {start.column + 1} is never closed (libyaml noticed at line "
                f"{mark.line + first_line}, column {mark.column + 1}: {exc.problem})", _CLOSE[opener])
    return True


def _open_flow(text: str, stop: int):
    """The mark of the innermost '[' or '{' still open where libyaml stopped (at ``stop``), or None."""
    opened = []
    try:
        for token in yaml.scan(text, Loader=_Base):
            if token.start_mark.index >= stop:
                break
            if isinstance(token, (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)):
                opened.append(token.start_mark)
            elif isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)) and opened:
                opened.pop()
    except yaml.YAMLError:
        pass  # the scanner may stop where the parser did: what was open by then is the answer
    return opened[-1] if opened else None


def detect_kind(rel: str, data: dict) -> str:
    """Decide what a file is: from ``layout:``, then from its place in the tree."""
    layout = data.get("layout")
    if isinstance(layout, str) and layout.strip().lower() in _LAYOUT_KIND:
        return _LAYOUT_KIND[layout.strip().lower()]
    stem = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if stem == "_index":
        return PHASE
    if "keyTask" in data or _TASK_FILE.match(stem):
        return KEY_TASK
    if stem in ("glossary", "m3glossary") or "sections" in data:
        return GLOSSARY
    return PAGE


def load_file(path: Path, rel: str, diags: Diagnostics, shown: str | None = None) -> RawDoc | None:
    """Read and parse one content file; ``shown`` is the path used in diagnostics."""
    src = rel
    rel = shown or rel
    text = read_text(path, rel, diags)
    if text is None:
        return None
    if rel.endswith((".yaml", ".yml")):
        parsed = parse_yaml(text, rel, 1, diags)
        if parsed is None:
            return None
        return RawDoc(rel, src, REGISTRY, parsed[0], parsed[1])
    parts = split_front_matter(text, rel, diags)
    if parts is None:
        return None
    fm, body, body_line = parts
    body = _clean_text(body, rel, body_line, "", diags, multiline=True)
    parsed = parse_yaml(fm, rel, 2, diags)
    if parsed is None:
        return None
    data, lines = parsed
    return RawDoc(rel, src, detect_kind(src, data), data, lines, body, body_line)


def load_tree(root: Path, diags: Diagnostics, include: tuple = (), exclude: tuple = ()) -> list[RawDoc]:
    """Load every content file below ``root`` (those the ``include`` and ``exclude`` globs select), in a
    stable order (see :func:`find_content`)."""
    root = Path(root)
    if not root.is_dir():
        diags.error(str(root), 0, "", "content folder does not exist")
        return []
    base = root.resolve()
    docs = []
    for p in find_content(root, diags, root.as_posix(), include, exclude):
        rel = p.relative_to(base).as_posix()
        doc = load_file(p, rel, diags, (root / rel).as_posix())
        if doc is not None:
            docs.append(doc)
    return docs
