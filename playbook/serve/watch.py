"""Watch content, layouts and static files for saves (``playbook serve``), with watchfiles.

The changes are sorted into what the rebuild needs to know: content files to
read again, whether a layout changed, and files to copy as they are.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

STEP_MS = 10
"""How long the watcher waits for more changes before reporting; kept short so a save shows at once."""
DEBOUNCE_MS = 400
"""Longest time a burst of changes (a branch switch) is gathered into one rebuild."""

_EDITOR_JUNK = ("~", ".swp", ".swx", ".tmp", ".part", "4913")


@dataclass
class Batch:
    """One burst of changes, sorted by what they mean for the site."""

    content: list[Path] = field(default_factory=list)
    """Content files saved, added or removed."""
    layouts: bool = False
    """True when a layout changed: every page renders again."""
    files: list[Path] = field(default_factory=list)
    """Static or published files to copy (or remove) as they are."""

    def __bool__(self) -> bool:
        return bool(self.content or self.layouts or self.files)


def sort_changes(paths: Iterable[str], is_content: Callable[[Path], bool], layouts: Path,
                 file_roots: Iterable[Path]) -> Batch:
    """Sort changed paths into a :class:`Batch`; editor swap files and other noise are dropped."""
    batch = Batch()
    layouts = Path(layouts).resolve()
    roots = [Path(r).resolve() for r in file_roots]
    for raw in sorted(set(paths)):
        p = Path(raw)
        if p.name.startswith(".") or p.name.endswith(_EDITOR_JUNK):
            continue
        rp = p.resolve()
        if rp.is_relative_to(layouts):
            batch.layouts = True
        elif any(rp.is_relative_to(r) for r in roots):
            batch.files.append(p)
        elif is_content(p):
            batch.content.append(p)
    return batch


def watch(folders: list[Path], on_batch: Callable[[set[str]], None], stop: threading.Event) -> None:
    """Call ``on_batch(paths)`` for every burst of changes below ``folders`` until ``stop`` is set."""
    from watchfiles import watch as _watch

    existing = [str(f) for f in folders if Path(f).exists()]
    for changes in _watch(*existing, stop_event=stop, step=STEP_MS, debounce=DEBOUNCE_MS,
                          raise_interrupt=False, yield_on_timeout=False):
        on_batch({path for _, path in changes})
