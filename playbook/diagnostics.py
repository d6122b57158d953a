"""The one shape every problem takes: ``path:line: field: message; hint``.

Loader, validator and linker never raise on bad content; they append a
:class:`Diagnostic` to a :class:`Diagnostics` list, and the CLI prints them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

ERROR = "error"
WARNING = "warning"
INFO = "info"

_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")
_RANK = {ERROR: 0, WARNING: 1, INFO: 2}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in the content."""

    path: str
    """File the problem is in, relative to the content folder when possible."""
    line: int
    """1-based line number; 0 when the problem concerns the file as a whole."""
    field: str
    """Dotted path of the field, e.g. ``activities[2].responsibleParty``; may be empty."""
    message: str
    """What is wrong, naming what was found."""
    hint: str = ""
    """How to fix it, e.g. a did-you-mean; may be empty."""
    severity: str = ERROR
    """``error``, ``warning`` or ``info``."""

    def format(self) -> str:
        """Render as ``path:line: field: message; hint`` (parts left out when empty)."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        if self.severity != ERROR:
            text = f"{where}: {self.severity}: " + text[len(where) + 2:]
        text = f"{text}; {self.hint}" if self.hint else text
        # content is untrusted: control and bidi characters must not reach a terminal or CI log raw
        return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}" if ord(m.group()) > 0xff
                                else f"\\x{ord(m.group()):02x}", text)

    def sort_key(self) -> tuple:
        """Order by file, then line, then severity, so reports read top to bottom."""
        return (self.path, self.line, _RANK.get(self.severity, 3), self.field, self.message)


@dataclass
class Diagnostics:
    """A collector that every build phase appends to."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, path: str, line: int, field: str, message: str, hint: str = "",
            severity: str = ERROR) -> None:
        """Record one problem."""
        self.items.append(Diagnostic(path, line, field, message, hint, severity))

    def error(self, path: str, line: int, field: str, message: str, hint: str = "") -> None:
        """Record an error: the build fails."""
        self.add(path, line, field, message, hint, ERROR)

    def warning(self, path: str, line: int, field: str, message: str, hint: str = "") -> None:
        """Record a warning: the build goes on unless ``--strict``."""
        self.add(path, line, field, message, hint, WARNING)

    def info(self, path: str, line: int, field: str, message: str, hint: str = "") -> None:
        """Record a note that never fails a build."""
        self.add(path, line, field, message, hint, INFO)

    def extend(self, other: Iterable[Diagnostic]) -> None:
        """Append diagnostics gathered elsewhere."""
        self.items.extend(other)

    def sorted(self) -> list[Diagnostic]:
        """Every diagnostic, de-duplicated, in reading order."""
        return sorted(set(self.items), key=Diagnostic.sort_key)

    def count(self, severity: str) -> int:
        """How many diagnostics have this severity."""
        return sum(1 for d in self.items if d.severity == severity)

    def failed(self, strict: bool = False) -> bool:
        """True when the build must fail: any error, or any warning under ``strict``."""
        return any(d.severity == ERROR or (strict and d.severity == WARNING) for d in self.items)


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """A ``did you mean 'x'?`` hint for the closest choice, or ``''`` if none is close."""
    best = closest(value, choices)
    return f"did you mean '{best}'?" if best else ""


def closest(value: str, choices: Iterable[str], cutoff: float = 72) -> str | None:
    """The choice most like ``value`` (rapidfuzz, case-insensitive), or None below ``cutoff``."""
    from rapidfuzz import fuzz, process, utils  # only needed when something is wrong

    choices = [c for c in choices if c]
    if not choices or not str(value).strip():
        return None
    got = process.extractOne(str(value), choices, scorer=fuzz.WRatio, processor=utils.default_process,
                             score_cutoff=cutoff)
    return got[0] if got else None


def one_of(choices: Iterable[str]) -> str:
    """A hint listing the allowed values."""
    return "expected one of: " + ", ".join(sorted(choices))
