"""YAML text to plain Python values and the line of every field, in one pass over libyaml's events.

libyaml's C parser hands out events (a scalar, the start or end of a list or
mapping, an alias); the values are built straight from them, without first
composing PyYAML's tree of nodes, which took about as long again as parsing.
The values, the lines and the problems are those that composing the whole
text and then walking its nodes gives, and the problems come in that order of
precedence:

1. the text's syntax, and nesting deeper than :data:`MAX_DEPTH`, whichever
   comes first (for text known not to nest that deep, the syntax and what
   composing finds, whichever comes first); libyaml's own nesting bound is
   reported as nesting deeper than :data:`MAX_DEPTH`, on the same line;
2. what composing finds: an alias to no anchor, an anchor given twice, a
   second document;
3. one value that is not a mapping;
4. what building the values meets, in order: duplicate keys, merge keys, keys
   that are not text, control characters in text, and at most one problem
   that stops building (a value budget spent by aliases, an unsupported tag,
   an alias inside the block it names, a value YAML cannot construct).

An anchored block's events are kept as they come, and an alias replays them
where it stands, so the block is built again there, counted against the
budget, with the lines of the anchored block, as walking composed nodes did.
Nothing here recurses, so no nesting can exhaust the stack.
"""
from __future__ import annotations

import re
from typing import Callable

import yaml

MAX_VALUES = 200_000
"""Bound on values built from one text, so YAML alias bombs stay cheap."""
MAX_DEPTH = 40
"""Bound on nesting of lists and mappings."""

_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_MERGE, _TIMESTAMP = "tag:yaml.org,2002:merge", "tag:yaml.org,2002:timestamp"
_COLLECTION_TAGS = (None, "!", _SEQ, _MAP)
_NOT_BUILT = frozenset({"tag:yaml.org,2002:binary", "tag:yaml.org,2002:set", "tag:yaml.org,2002:omap",
                        "tag:yaml.org,2002:pairs"})
_Scalar, _Alias = yaml.ScalarEvent, yaml.AliasEvent
_SeqStart, _SeqEnd = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_MapStart, _MapEnd = yaml.MappingStartEvent, yaml.MappingEndEvent
_DocStart, _StreamEnd = yaml.DocumentStartEvent, yaml.StreamEndEvent
_LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"
"""The scanner's error past libyaml's own bound (1,000 levels, from libyaml 0.2.6 in PyYAML 6.0.4 on).

It looks ahead on a line while a token there may still turn out to be a key,
so it can meet that bound before handing out the event that passes
:data:`MAX_DEPTH`; that event starts on the same line, so the text gets the
same :class:`TooDeep` at the same line as with a libyaml that has no bound."""
_PLAIN_TEXT: dict = {}
"""Plain scalar -> whether YAML reads it as text, for short ones that start like another type."""
_LIST, _DICT, _SKIP = 0, 1, 2  # what a frame is: a list or mapping being built, or a block passed over
_KEY, _VALUE, _PASS = 0, 1, 2  # what a mapping frame takes next: a key, its value, or a value passed over


class TooBig(Exception):
    """More than :data:`MAX_VALUES` values."""


class TooDeep(Exception):
    """Nesting deeper than :data:`MAX_DEPTH`; ``mark`` is where it first goes too deep."""

    def __init__(self, mark):
        super().__init__(mark)
        self.mark = mark


class NotMapping(Exception):
    """The text's one value is not a mapping; it starts at ``mark``."""

    def __init__(self, mark):
        super().__init__(mark)
        self.mark = mark


class BadTag(Exception):
    """A tag that is never built (``!!python/...``, ``!!set``, ...) on the value at ``mark``."""

    def __init__(self, tag: str, mark):
        super().__init__(tag)
        self.tag, self.mark = tag, mark


class Recursive(Exception):
    """An alias inside the block it names (``a: &x [*x]``): the value would never end. ``mark``: the block."""

    def __init__(self, mark):
        super().__init__(mark)
        self.mark = mark


class Result:
    """What one text gave."""

    __slots__ = ("value", "lines", "said", "failure")

    def __init__(self):
        self.value = None
        """The value (a dict when the text is front matter), or None for an empty text."""
        self.lines: dict = {}
        """Field path tuple ('activities', 2, 'text') -> the line it starts on, counted from ``offset``."""
        self.said: list = []
        """(line, field path, severity, message, hint) of each problem met while building, in order."""
        self.failure: Exception | None = None
        """What stopped building (TooBig, BadTag, Recursive, ValueError or a YAMLError), or None."""


def read(text: str, loader_class, offset: int, unclean: Callable[[str], object],
         clean: Callable[[str], tuple[str, list]]) -> Result:
    """Read one YAML text; lines are counted from ``offset`` (the file line the text starts on).

    ``loader_class`` is a CSafeLoader (its ``resolve`` types plain scalars).
    A text value for which ``unclean(text)`` is true goes through ``clean(text)``,
    which gives it without the unwanted characters, and the (message, hint) of
    what it removed.
    Raises the parser's and composer's errors (``yaml.MarkedYAMLError``,
    ``yaml.reader.ReaderError``), :class:`TooDeep` and :class:`NotMapping`.
    """
    loader = loader_class(text)
    try:
        return _Reader(loader, offset, surely_shallow(text), unclean, clean).run()
    finally:
        loader.dispose()


def surely_shallow(text: str) -> bool:
    """True when the text cannot nest deeper than :data:`MAX_DEPTH`, judged without parsing it.

    A block collection opens one level per column of indentation, or two
    where a sequence sits at its key's indentation, plus one per '- ', '? '
    or ': ' opening the line; flow collections one per bracket.
    """
    lead = max(_LEAD.findall(text), key=len, default="")
    return 2 * len(lead) + text.count("[") + text.count("{") + 4 <= MAX_DEPTH


_LEAD = re.compile(r"^[ ?:-]*", re.M)


class _Frame:
    """A list or mapping being built, or a block passed over."""

    __slots__ = ("kind", "out", "path", "anchor", "state", "key", "line", "first", "index", "joined")

    def __init__(self, kind: int, out=None, path: tuple = (), anchor=None):
        self.kind, self.out, self.path, self.anchor = kind, out, path, anchor
        self.state = _KEY
        self.key = None
        self.line = 0  # the line of ``key``
        self.first: dict = {}  # key -> the line it was first given on
        self.index = 0  # lists: the position of the next item
        self.joined = None  # a list carried on under a repeated key: (field path, line, message)


_PASSED = _Frame(_SKIP)


class _Reader:
    def __init__(self, loader, offset: int, shallow: bool, unclean, clean):
        self.loader, self.offset, self.shallow = loader, offset, shallow
        self.unclean, self.clean = unclean, clean
        self.result = Result()
        self.budget = MAX_VALUES
        self.started: dict = {}
        """Anchor -> (mark, kind of event) where it was given, for every anchor read so far."""
        self.anchors: dict = {}
        """Anchor -> its block's events, once the block has ended."""
        self.recording: list = []
        """[anchor, events, depth before it] of each anchored block still open, innermost last."""
        self.building: list = []
        """Anchors of the blocks being built, innermost last."""
        self.ctor = None  # a yaml.SafeLoader, for its scalar constructors; made when first needed

    def run(self) -> Result:
        get = self.loader.get_event
        get()  # the stream's start
        stack: list = []
        replay: list = []  # events of aliased blocks being built again, innermost last
        recording = self.recording
        step = self.step
        lines, offset, unclean = self.result.lines, self.offset, self.unclean
        # the first characters an implicit type (number, boolean, null, date) may start with: plain text
        # starting with any other is text; without them (a resolver for any start), the loader decides
        quick = getattr(self.loader, "_starts", None) or ()
        plain_text = self.plain_text if quick else (lambda value: False)
        depth = documents = 0
        error = None  # what composing found first
        root = None  # the root value's first event, once met
        building = True
        while True:
            if replay:
                ev = next(replay[-1], None)
                if ev is None:
                    replay.pop()
                    continue
                kind = type(ev)
            else:
                try:
                    ev = get()
                except (yaml.MarkedYAMLError, yaml.reader.ReaderError) as exc:
                    if getattr(exc, "problem", None) == _LIBYAML_TOO_DEEP:
                        raise TooDeep(exc.problem_mark) from None
                    if error is not None and self.shallow:
                        raise error from None  # composing stops at its error, before the parser's
                    raise
                kind = type(ev)
                if kind is _Scalar:
                    if error is not None:
                        continue  # past what composing found, only the syntax and the nesting are read
                    if recording:
                        self.record(ev, kind, depth)
                    if ev.anchor is not None:
                        error = self.composed(ev, kind, depth)
                elif kind is _SeqEnd or kind is _MapEnd:
                    depth -= 1
                    if error is not None:
                        continue
                    if recording:
                        self.record(ev, kind, depth)
                elif kind is _SeqStart or kind is _MapStart:
                    depth += 1
                    if depth > MAX_DEPTH:
                        raise TooDeep(ev.start_mark)
                    if error is not None:
                        continue
                    if recording:
                        self.record(ev, kind, depth)
                    if ev.anchor is not None:
                        error = self.composed(ev, kind, depth)
                elif kind is _Alias:
                    if error is not None:
                        continue
                    if recording:
                        self.record(ev, kind, depth)
                    error = self.composed(ev, kind, depth)
                elif kind is _StreamEnd:
                    break
                elif kind is _DocStart:
                    documents += 1
                    if documents > 1 and error is None:
                        error = yaml.composer.ComposerError("expected a single document in the stream", None,
                                                            "but found another document", ev.start_mark)
                    else:
                        continue
                else:
                    continue  # a document's end
                if error is not None:
                    if self.shallow:
                        raise error
                    continue
            if not building:
                continue
            if root is None:
                root = ev
                if kind is not _MapStart:
                    building = False
                    continue
            try:
                # The common events, built here as step() would: plain text (no tag, nothing to
                # clean), and lists and mappings with no tag and no anchor, in a list or under a new key.
                if stack:
                    top = stack[-1]
                    if kind is _SeqEnd or kind is _MapEnd:
                        if top.anchor is None and top.joined is None:
                            stack.pop()
                            continue
                    elif top.kind is not _SKIP and kind is not _Alias and ev.tag is None:
                        new = None
                        if kind is _Scalar:
                            value = ev.value
                            if (not ev.implicit[0] or (value and (value[0] not in quick or plain_text(value)))) \
                                    and not unclean(value):
                                if top.kind is _DICT and top.state is _KEY:
                                    top.state, top.key, top.line = _VALUE, value, ev.start_mark.line + offset
                                    continue
                                new = value
                        elif ev.anchor is None:
                            new = [] if kind is _SeqStart else {}
                        if new is not None:
                            if top.kind is _LIST:
                                path = top.path + (top.index,)
                                top.index += 1
                                top.out.append(new)
                                lines[path] = ev.start_mark.line + offset
                            elif top.state is _VALUE and top.key not in top.out:
                                key = top.key
                                path = top.path + (key,)
                                top.out[key] = new
                                lines[path] = top.first[key] = top.line
                                top.state = _KEY
                            else:
                                step(ev, kind, stack, replay)
                                continue
                            self.budget -= 1
                            if self.budget < 0:
                                raise TooBig
                            if kind is not _Scalar:
                                stack.append(_Frame(_LIST if kind is _SeqStart else _DICT, new, path))
                            continue
                step(ev, kind, stack, replay)
            except (TooBig, BadTag, Recursive, ValueError, yaml.YAMLError) as exc:
                self.result.failure = exc
                building = False
                replay.clear()
        if error is not None:
            raise error
        if root is not None and type(root) is not _MapStart:
            raise NotMapping(root.start_mark)
        return self.result

    # -- what composing does: anchors and aliases --------------------------------------------
    def record(self, ev, kind, depth: int) -> None:
        """Keep an event of the text in every anchored block still open; a block that ends is kept whole."""
        for r in self.recording:
            r[1].append(ev)
        if (kind is _SeqEnd or kind is _MapEnd) and self.recording[-1][2] == depth:
            anchor, events, _depth = self.recording.pop()
            self.anchors[anchor] = events

    def composed(self, ev, kind, depth: int):
        """The composer's error for an alias or an anchor of the text, or None once the anchor is noted."""
        anchor = ev.anchor
        if kind is _Alias:
            if anchor not in self.started:
                return yaml.composer.ComposerError(None, None, "found undefined alias", ev.start_mark)
            return None
        if anchor in self.started:
            return yaml.composer.ComposerError("found duplicate anchor; first occurrence", self.started[anchor][0],
                                               "second occurrence", ev.start_mark)
        self.started[anchor] = (ev.start_mark, kind)
        if kind is _Scalar:
            self.anchors[anchor] = [ev]
        else:
            self.recording.append([anchor, [ev], depth - 1])
        return None

    def aliased(self, ev):
        """The first event of an alias's block and the rest of its events; (None, None) while it is open."""
        events = self.anchors.get(ev.anchor)
        if events is None:
            return None, None
        return events[0], events[1:]

    # -- building ----------------------------------------------------------------------------
    def step(self, ev, kind, stack: list, replay: list) -> None:
        """Build what one event adds."""
        if not stack:
            self.result.value = self.value(ev, kind, (), stack, replay)
            return
        top = stack[-1]
        if kind is _SeqEnd or kind is _MapEnd:
            stack.pop()
            if top.anchor is not None:
                self.building.pop()
            if top.joined is not None:
                path, line, message = top.joined
                self.say(line, path, "warning", message + "; the two lists were joined", "merge them into one list")
            return
        if top.kind is _SKIP:
            if kind is _SeqStart or kind is _MapStart:
                stack.append(_PASSED)
            return
        if top.kind is _LIST:
            path = top.path + (top.index,)
            top.index += 1
            top.out.append(self.value(ev, kind, path, stack, replay))
            return
        state = top.state
        if state is _KEY:
            self.key(ev, kind, top, stack)
            return
        top.state = _KEY
        if state is _PASS:
            if kind is _SeqStart or kind is _MapStart:
                stack.append(_PASSED)
            return
        key = top.key
        if key in top.out:
            self.duplicate(ev, kind, top, key, stack, replay)
            return
        top.first[key] = top.line
        path = top.path + (key,)
        top.out[key] = self.value(ev, kind, path, stack, replay)
        self.result.lines[path] = top.line

    def value(self, ev, kind, path: tuple, stack: list, replay: list):
        """The start of a value: its scalar, or a new list or mapping that later events fill."""
        rest = None
        if kind is _Alias:
            first, rest = self.aliased(ev)
            if first is None:  # its block is still open: this alias is inside it
                self.spend()
                raise Recursive(self.started[ev.anchor][0])
            ev, kind = first, type(first)
        self.spend()
        self.result.lines[path] = ev.start_mark.line + self.offset
        if kind is _Scalar:
            return self.scalar(ev, path)
        if ev.tag not in _COLLECTION_TAGS:  # e.g. !!python/object on a list: never built, reported
            raise BadTag(ev.tag, ev.start_mark)
        anchor = ev.anchor
        if anchor is not None:
            if anchor in self.building:
                raise Recursive(ev.start_mark)
            self.building.append(anchor)
        out = [] if kind is _SeqStart else {}
        stack.append(_Frame(_LIST if kind is _SeqStart else _DICT, out, path, anchor))
        if rest is not None:
            replay.append(iter(rest))
        return out

    def spend(self) -> None:
        self.budget -= 1
        if self.budget < 0:
            raise TooBig

    def key(self, ev, kind, top: _Frame, stack: list) -> None:
        """A mapping's key: taken, or refused, and then its value is passed over."""
        top.state = _PASS
        if kind is _Alias:
            first, _rest = self.aliased(ev)
            if first is None:  # an open block given as a key: a list or mapping
                self.say(self.started[ev.anchor][0].line + self.offset, top.path, "error",
                         "a field name must be plain text", "")
                return
            ev, kind = first, type(first)
        elif kind is _SeqStart or kind is _MapStart:
            stack.append(_PASSED)  # the key's own block
        line = ev.start_mark.line + self.offset
        if kind is not _Scalar:
            self.say(line, top.path, "error", "a field name must be plain text", "")
            return
        tag = self.tag_of(ev)
        if tag == _MERGE:
            self.say(line, top.path, "error", "YAML merge keys ('<<') are not supported", "write the fields out")
            return
        key = self.scalar(ev, top.path, tag)
        if not isinstance(key, (str, int)) or isinstance(key, bool):
            self.say(line, top.path, "error", "a field name must be plain text", "")
            return
        top.state, top.key, top.line = _VALUE, str(key), line

    def duplicate(self, ev, kind, top: _Frame, key: str, stack: list, replay: list) -> None:
        """A repeated key: lists are joined so nothing is lost (the real M3 files have one such slip);
        any other repeat is an error, where YAML keeps only the last."""
        path = top.path + (key,)
        message = f"duplicate key '{key}' (first defined on line {top.first[key]})"
        first, rest = ev, None
        if kind is _Alias:
            first, rest = self.aliased(ev)
            if first is None:  # an open block: joining a list that holds this key would never end
                mark, opened = self.started[ev.anchor]
                if type(top.out[key]) is list and opened is _SeqStart:
                    raise Recursive(mark)
                self.say(top.line, path, "error", message, "remove one of them")
                return
        if type(top.out[key]) is list and type(first) is _SeqStart:
            frame = _Frame(_LIST, top.out[key], path)
            frame.index = len(frame.out)
            frame.joined = (path, top.line, message)
            stack.append(frame)
            if rest is not None:
                replay.append(iter(rest))
            return
        self.say(top.line, path, "error", message, "remove one of them")
        if kind is _SeqStart or kind is _MapStart:
            stack.append(_PASSED)

    def plain_text(self, value: str) -> bool:
        """True when a plain scalar that starts like a number, boolean or null is text after all ('text')."""
        known = _PLAIN_TEXT.get(value)
        if known is None:
            known = self.loader.resolve(yaml.ScalarNode, value, (True, False)) == _STR
            if len(value) <= 40:  # keys and short values repeat; long text would only fill the table
                if len(_PLAIN_TEXT) > 50_000:
                    _PLAIN_TEXT.clear()
                _PLAIN_TEXT[value] = known
        return known

    def tag_of(self, ev) -> str:
        """A scalar's tag: as written, or as YAML resolves a plain one."""
        tag = ev.tag
        if tag is None or tag == "!":
            return self.loader.resolve(yaml.ScalarNode, ev.value, ev.implicit)
        return tag

    def scalar(self, ev, path: tuple, tag: str | None = None):
        """A scalar's value: text as written; numbers, booleans and null as YAML resolves them."""
        tag = tag or self.tag_of(ev)
        if tag == _STR:
            value = ev.value
            if not self.unclean(value):
                return value
            value, removed = self.clean(value)
            for message, hint in removed:
                self.say(ev.start_mark.line + self.offset, path, "warning", message, hint)
            return value
        fn = yaml.SafeLoader.yaml_constructors.get(tag)
        if fn is None or tag in _NOT_BUILT:
            raise BadTag(tag, ev.start_mark)
        if self.ctor is None:
            self.ctor = yaml.SafeLoader("")
        try:
            value = fn(self.ctor, yaml.ScalarNode(tag, ev.value, ev.start_mark, ev.end_mark, ev.style))
        except (ValueError, yaml.YAMLError):
            raise
        except Exception:  # PyYAML's constructors fail on some text outside their own errors ('!!int ""')
            raise ValueError(f"{tag.rsplit(':', 1)[-1]} '{ev.value}' cannot be read") from None
        return ev.value if tag == _TIMESTAMP else value  # dates stay as the text the author wrote

    def say(self, line: int, path: tuple, severity: str, message: str, hint: str) -> None:
        self.result.said.append((line, path, severity, message, hint))
