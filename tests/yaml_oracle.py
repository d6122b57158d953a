"""The front matter reader as it was before it read libyaml's events directly: a test oracle.

``parse_yaml`` here composes PyYAML's node tree with libyaml and walks it;
``playbook.load.parse_yaml`` builds the same values, lines and problems from
the parser's events in one pass. Tests hold the two equal on real and
generated front matter. Kept as it was (with the fix for an alias inside the
block it names), so it must not be edited to follow the new reader.
"""
from __future__ import annotations

import re

import yaml

from playbook.diagnostics import Diagnostics
from playbook.load.documents import _Loader, field_name

MAX_YAML_VALUES = 200_000
MAX_YAML_DEPTH = 40
_BIDI_HINT = "they can make text display differently from what it is"

# Bidirectional overrides and isolates make text display differently from what it
# is (as in "Trojan Source"); no output format needs them, so they go at load time.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
# Control characters (YAML lets "\x01" through as an escape) are invisible and break
# XML, spreadsheets and PDFs; tab and line breaks are kept.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Either of the two above: most text has neither, and is kept without further work.
_UNCLEAN = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _clean_text(value: str, rel: str, line: int, field: str, diags: Diagnostics, multiline: bool = False) -> str:
    """``value`` without bidi and control characters; a warning for each kind removed."""
    for rx, what, hint in ((_BIDI, "bidirectional control characters removed", _BIDI_HINT),
                           (_CONTROL, "control characters removed", "they are invisible and break some outputs")):
        m = rx.search(value)
        if m:
            at = line + value.count("\n", 0, m.start()) if multiline else line
            diags.warning(rel, at, field, what, hint)
            value = rx.sub("", value)
    return value

class _Builder:
    """Turns a composed YAML node tree into Python values plus a line map."""

    __slots__ = ("rel", "offset", "diags", "lines", "budget", "ctor", "open")

    def __init__(self, rel: str, offset: int, diags: Diagnostics):
        self.rel, self.offset, self.diags = rel, offset, diags
        self.lines: dict = {}
        self.budget = MAX_YAML_VALUES
        self.ctor = None  # a yaml.SafeLoader, for its scalar constructors; made when first needed
        self.open: set = set()
        """Lists and mappings being built, by id: an alias to one of them would repeat it forever."""

    def build(self, node, path: tuple):
        """Plain Python value of ``node``, recording the line of ``path`` and below."""
        self.budget -= 1
        if self.budget < 0:
            raise _TooBig
        self.lines[path] = node.start_mark.line + self.offset
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        if node.tag not in _PLAIN_TAGS:  # e.g. !!python/object on a list: never built, reported
            raise _BadTag(node)
        if id(node) in self.open:
            raise _Recursive(node)
        self.open.add(id(node))
        try:
            return self.collection(node, path)
        finally:
            self.open.discard(id(node))

    def collection(self, node, path: tuple):
        """Plain list or dict of a sequence or mapping node (see :meth:`build`)."""
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            out: dict = {}
            first_line: dict = {}
            for knode, vnode in node.value:
                if knode.tag == "tag:yaml.org,2002:merge":
                    self.diags.error(self.rel, knode.start_mark.line + self.offset, field_name(path),
                                     "YAML merge keys ('<<') are not supported", "write the fields out")
                    continue
                key = self.scalar(knode, path) if isinstance(knode, yaml.ScalarNode) else None
                kline = knode.start_mark.line + self.offset
                if not isinstance(key, (str, int)) or isinstance(key, bool):
                    self.diags.error(self.rel, kline, field_name(path), "a field name must be plain text")
                    continue
                key = str(key)
                if key in out:
                    self.duplicate(out, key, vnode, path, kline, first_line[key])
                    continue
                first_line[key] = kline
                out[key] = self.build(vnode, path + (key,))
                self.lines[path + (key,)] = kline
            return out
        raise _BadTag(node)  # pragma: no cover - composer yields only the three kinds

    def duplicate(self, out: dict, key: str, vnode, path: tuple, line: int, first: int) -> None:
        """A repeated key: lists are joined so nothing is lost (the real M3 files have
        one such slip); any other repeat is an error, where YAML keeps only the last."""
        where = field_name(path + (key,))
        message = f"duplicate key '{key}' (first defined on line {first})"
        if isinstance(out[key], list) and isinstance(vnode, yaml.SequenceNode):
            start = len(out[key])
            for i, child in enumerate(vnode.value):
                out[key].append(self.build(child, path + (key, start + i)))
            self.diags.warning(self.rel, line, where, message + "; the two lists were joined",
                               "merge them into one list")
        else:
            self.diags.error(self.rel, line, where, message, "remove one of them")

    def scalar(self, node, path):
        """A scalar's value: text as written; numbers, booleans and null as YAML resolves them."""
        tag = node.tag
        if tag == "tag:yaml.org,2002:str":
            value = node.value
            if not _UNCLEAN.search(value):
                return value
            return _clean_text(value, self.rel, node.start_mark.line + self.offset, field_name(path), self.diags)
        fn = yaml.SafeLoader.yaml_constructors.get(tag)
        if fn is None or tag in ("tag:yaml.org,2002:binary", "tag:yaml.org,2002:set",
                                 "tag:yaml.org,2002:omap", "tag:yaml.org,2002:pairs"):
            raise _BadTag(node)
        if self.ctor is None:
            self.ctor = yaml.SafeLoader("")
        value = fn(self.ctor, node)
        if tag == "tag:yaml.org,2002:timestamp":
            return node.value  # dates stay as the text the author wrote
        return value


_PLAIN_TAGS = ("tag:yaml.org,2002:seq", "tag:yaml.org,2002:map")


class _TooBig(Exception):
    pass


class _BadTag(Exception):
    def __init__(self, node):
        super().__init__(node.tag)
        self.node = node


class _Recursive(_BadTag):
    """An alias inside the block it names (``a: &x [*x]``): the value would never end."""


def _surely_shallow(text: str) -> bool:
    """True when the text cannot nest deeper than MAX_YAML_DEPTH, judged without parsing it.

    A block collection opens one level per column of indentation, or two
    where a sequence sits at its key's indentation, plus one per '- ', '? '
    or ': ' opening the line; flow collections one per bracket. Real front
    matter is a few levels deep, so this cheap bound spares parsing it twice.
    """
    lead = max(_LEAD.findall(text), key=len, default="")
    return 2 * len(lead) + text.count("[") + text.count("{") + 4 <= MAX_YAML_DEPTH


_LEAD = re.compile(r"^[ ?:-]*", re.M)


def _too_deep(text: str):
    """The mark where nesting first exceeds MAX_YAML_DEPTH, or None.

    The parser keeps its own stack, so this pass is safe on any input; the
    composer and everything after it recurse, and deep input would crash them.
    """
    if _surely_shallow(text):
        return None
    depth = 0
    step = _DEPTH_STEP.get
    for event in yaml.parse(text, Loader=_Loader):
        change = step(type(event))
        if change:
            depth += change
            if depth > MAX_YAML_DEPTH:
                return event.start_mark
    return None


_DEPTH_STEP = {yaml.SequenceStartEvent: 1, yaml.MappingStartEvent: 1, yaml.SequenceEndEvent: -1,
               yaml.MappingEndEvent: -1}


def parse_yaml(text: str, rel: str, first_line: int, diags: Diagnostics) -> tuple[dict, dict] | None:
    """Parse a YAML mapping; returns (data, line map) or None after recording the problem.

    ``first_line`` is the file line on which ``text`` starts, so marks map back to the file.
    """
    try:
        deep = _too_deep(text)
        if deep is not None:
            diags.error(rel, deep.line + first_line, "", f"front matter is nested more than {MAX_YAML_DEPTH} levels deep",
                        "content needs a few levels of lists and fields, no more")
            return None
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else first_line
        col = mark.column + 1 if mark else 0
        problem = exc.problem or exc.context or "invalid YAML"
        at = text.split("\n")[mark.line] if mark and mark.line < text.count("\n") + 1 else ""
        tab = "tab" in problem or "\\t" in problem or "\t" in at[: (mark.column + 1 if mark else 0)]
        hint = "indent with spaces, not tabs" if tab else "check indentation, colons and quotes around this line"
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
    if node is None:
        return {}, {}
    if not isinstance(node, yaml.MappingNode):
        diags.error(rel, node.start_mark.line + first_line, "", "front matter must be a mapping of fields",
                    "write 'field: value' lines")
        return None
    b = _Builder(rel, first_line, diags)
    try:
        data = b.build(node, ())
    except _TooBig:
        diags.error(rel, first_line, "", f"front matter expands to more than {MAX_YAML_VALUES} values",
                    "remove YAML aliases (*name) that repeat large blocks")
        return None
    except _Recursive as exc:
        diags.error(rel, exc.node.start_mark.line + first_line, "", "a YAML alias repeats the block that holds it",
                    "an alias (*name) may only repeat a block that ends before it; write the values out")
        return None
    except _BadTag as exc:
        diags.error(rel, exc.node.start_mark.line + first_line, "", f"unsupported YAML tag '{exc.node.tag}'",
                    "use plain text, numbers and lists")
        return None
    except (ValueError, yaml.YAMLError) as exc:
        diags.error(rel, first_line, "", f"invalid YAML value: {exc}")
        return None
    return data, b.lines
