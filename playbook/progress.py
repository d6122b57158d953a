"""A quiet progress bar for long builds, drawn on stderr only when a person watches.

Shown only when stderr is a terminal, ``CI`` is not ``true`` and the build has
already taken about a second, so short builds and CI logs stay clean. The CLI's
summary line is printed whatever happens here.
"""
from __future__ import annotations

import os
import sys
import time

DELAY_S = 1.0
"""Builds shorter than this never show a bar."""
WIDTH = 30


def wanted(stream=None) -> bool:
    """True when a bar may be drawn: a terminal, and not CI."""
    stream = stream or sys.stderr
    return os.environ.get("CI", "").lower() != "true" and hasattr(stream, "isatty") and stream.isatty()


class Bar:
    """Call with (done, total) as work advances; ``close`` clears the line."""

    def __init__(self, label: str = "rendering", stream=None, enabled: bool | None = None):
        self.stream = stream or sys.stderr
        self.enabled = wanted(self.stream) if enabled is None else enabled
        self.label = label
        self.start = time.perf_counter()
        self.drawn = False
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        now = time.perf_counter()
        # redraw at most ~20 times a second: drawing is slower than rendering a page
        if now - self.start < DELAY_S or (now - self._last < 0.05 and done < total):
            return
        self._last = now
        filled = WIDTH * done // total
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total}")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        """Erase the bar so the summary line starts on a clean line."""
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.drawn = False
