"""Front matter in the one plain shape most of it has, read line by line without libyaml.

Nearly every key task is block YAML of one shape: ``field: value`` lines,
``- item`` lists and ``- field: value`` lists of mappings, nested by
indentation, with one-line values (text, quoted or not, small whole numbers,
``[a, b]`` lists of plain values) and comment lines. :func:`read` reads that
shape in one pass over the lines and gives the values and field lines that
:func:`playbook.yaml_lines.read` gives; libyaml spent about three quarters of
that reader's time making event objects.

Anything else gives None, and the caller reads the text with libyaml: quoted
field names, quoted values with escapes, block scalars, flow mappings, comments
after a value, anchors, aliases, tags, a value over two lines, tabs, any
character YAML refuses or the loader cleans, a repeated field, a value of
another type (booleans, null words, dates, floats, octal numbers), a plain
value with ``: `` or `` #`` in it, and any indentation this shape does not
have. So a text this module reads is one libyaml reads the same way and finds
nothing wrong with; the tests hold both equal on generated and real texts.
"""
from __future__ import annotations

import re
from typing import Callable

_LINES = re.compile(r"^( *)(?:(-(?: +|$))(?:([A-Za-z_][A-Za-z0-9_-]{0,199}):(?: +|$))?"
                    r"|([A-Za-z_][A-Za-z0-9_-]{0,199}):(?: +|$))?(.*)$", re.M)
"""Each line: its indentation; a '- ' item with its spaces (and a 'field:' after them) or a 'field:';
the rest. (libyaml takes field names of up to 1024 characters without a '?'; longer ones are left to it.)"""
# What a line or a value may not hold: the characters outside those libyaml takes without a quote
# (tab, CR, C0 and C1 controls, NEL, line and paragraph separators, surrogates, BOM, non-characters).
# Written as the few it refuses: the class of all it takes cost 8 ms to compile at every start.
_ODD_CHARS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
# A value's first character may not be one of YAML's indicators; ': ' or ' #' inside one, or ':' at
# its end, would make it a mapping, a comment or an error.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_SPECIAL = re.compile(r"[\[\]{}:#'\"]")
_NUMBER = re.compile(r"0|[1-9][0-9]{0,17}")
_TAG_INT, _STR = "tag:yaml.org,2002:int", "tag:yaml.org,2002:str"
MAX_DEPTH = 20
"""Deeper nesting is left to the full reader, which bounds it."""


class _NotQuick(Exception):
    """The text is not of the plain shape."""


def read(text: str, offset: int, tag_of: Callable[[str], str], is_text: Callable[[str], bool],
         starts: frozenset, max_values: int) -> tuple[dict, dict] | None:
    """(value, lines) of a text of the plain shape, or None for any other text.

    ``tag_of(value)`` is the tag YAML resolves a plain scalar to; ``is_text``
    is a quicker answer to whether that tag is text (it may say False for some
    text, never True for a number); ``starts``: the first characters of the
    types other than text (a plain value starting with none of them is
    text); lines are counted from ``offset``, as
    :func:`playbook.yaml_lines.read` counts them. ``max_values``: more values
    than this give None, so the full reader reports them.
    """
    if _ODD_CHARS.search(text) is not None:
        return None
    try:
        return _Reader(offset, tag_of, is_text, max_values).run(_LINES.findall(text), _INDICATORS | starts)
    except _NotQuick:
        return None


class _Reader:
    """Builds the values from the lines, with a stack of the lists and mappings still open."""

    def __init__(self, offset: int, tag_of, is_text, max_values: int):
        self.offset, self.tag_of, self.is_text, self.budget = offset, tag_of, is_text, max_values
        self.lines: dict = {}

    def run(self, found: list, not_plain: frozenset) -> tuple[dict, dict]:
        lines, offset, scalar, is_text, tag_of = self.lines, self.offset, self.scalar, self.is_text, self.tag_of
        root: dict = {}
        # each open block: [column, the list or mapping, its field path, is a list, is a list at its
        # field's own column (which the next field there ends)]
        stack: list = []
        pending = None  # (column, path, is an item) of a field or item whose value starts on a later line
        budget = 0  # values built, from the lines; flow lists count theirs in self.budget
        for n, (indent, dash, inner, key, rest) in enumerate(found):
            if not dash and not key:
                if rest and rest[0] != "#":  # a comment alone on its line is nothing
                    raise _NotQuick  # a value carried on from the line before, or another shape
                continue
            column = len(indent)
            line = n + offset
            if pending is not None:
                p_column, p_path, p_item = pending
                pending = None
                if column > p_column or (column == p_column and dash and not p_item):
                    new: list | dict = [] if dash else {}
                    if p_item:
                        stack[-1][1].append(new)
                        lines[p_path] = line
                    else:
                        stack[-1][1][p_path[-1]] = new
                    if len(stack) > MAX_DEPTH:
                        raise _NotQuick
                    stack.append([column, new, p_path, bool(dash), column == p_column])
                elif p_item:
                    raise _NotQuick  # an empty item: null, at a line libyaml decides
                else:
                    stack[-1][1][p_path[-1]] = None
            elif not stack:
                if column or dash:
                    raise _NotQuick  # not a mapping at the left edge: the full reader says what it is
                stack.append([0, root, (), False, False])
                lines[()] = line
            top = stack[-1]
            while column < top[0] or (top[4] and not dash and column == top[0]):
                stack.pop()
                top = stack[-1]
            if column != top[0] or top[3] is not bool(dash):
                raise _NotQuick
            budget += 1
            out, path = top[1], top[2]
            if dash:
                here = path + (len(out),)
                if not inner:
                    if rest:
                        out.append(scalar(rest, here, line))
                        lines[here] = line
                    else:
                        pending = (column, here, True)
                    continue
                new = {}  # '- field: ...': a mapping at the field's column
                out.append(new)
                lines[here] = line
                if len(stack) > MAX_DEPTH:
                    raise _NotQuick
                column += len(dash)
                stack.append([column, new, here, False, False])
                out, path, key = new, here, inner
                budget += 1
            if key in out or (key[0] in not_plain and not is_text(key) and tag_of(key) != _STR):
                raise _NotQuick  # a repeated field, or one YAML reads as another type: the full reader
            here = path + (key,)
            lines[here] = line
            if rest:
                # most values: plain text that starts like no other type (scalar() as it would answer)
                if rest[-1] == " ":
                    rest = rest.rstrip(" ")
                if rest[0] in not_plain or ": " in rest or " #" in rest or rest[-1] == ":":
                    rest = scalar(rest, here, line)
                out[key] = rest
            else:
                pending = (column, here, False)
        if pending is not None:
            if pending[2]:
                raise _NotQuick
            stack[-1][1][pending[1][-1]] = None
        if not stack or self.budget - budget < 0:
            raise _NotQuick
        return root, lines

    def scalar(self, rest: str, path: tuple = (), line: int = 0):
        """A one-line value: quoted text, plain text, a whole number, or a flow list of plain values
        (whose items' lines, ``line``, are noted under ``path``)."""
        value = rest.rstrip(" ")
        first = value[0]
        if first == '"' or first == "'":
            inner = value[1:-1]
            if len(value) < 2 or value[-1] != first:
                raise _NotQuick
            if first == '"':
                if '"' in inner or "\\" in inner:
                    raise _NotQuick  # escapes
                return inner
            if "'" in inner.replace("''", ""):
                raise _NotQuick
            return inner.replace("''", "'")
        if first == "[" and value[-1] == "]":
            return self.flow(value[1:-1], path, line)
        if first in _INDICATORS or ": " in value or " #" in value or value[-1] == ":":
            raise _NotQuick
        if self.is_text(value):
            return value
        tag = self.tag_of(value)
        if tag == _STR:
            return value
        if tag == _TAG_INT and _NUMBER.fullmatch(value):
            return int(value)
        raise _NotQuick

    def flow(self, inner: str, path: tuple, line: int) -> list:
        """The items of a one-line ``[a, b]`` list of plain values."""
        if not inner.strip(" "):
            return []
        items = [part.strip(" ") for part in inner.split(",")]
        self.budget -= len(items)
        for part in items:
            # in a flow list, '[', ']', '{', '}' and ':' mean more than text; '#' may start a comment
            if not part or _FLOW_SPECIAL.search(part) is not None:
                raise _NotQuick
        lines = self.lines
        for i in range(len(items)):
            lines[path + (i,)] = line
        return [self.scalar(part) for part in items]
