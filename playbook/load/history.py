"""Git history of the content: when each file last changed, and where it lives in the repository.

One ``git log`` for the whole content folder (not one per file: a playbook of
2,500 files must still build in seconds), plus one ``git rev-parse`` for the
folder's place in the repository. Outside a repository, or for a file that has
no commit yet, the date falls back to ``SOURCE_DATE_EPOCH`` when that is set
(the reproducible-builds convention) and is otherwise left out, so two builds
of the same files are always byte-identical.
"""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

_TIMEOUT = 60


@dataclass(frozen=True)
class History:
    """Last-change dates of content files and the content folder's path in its repository."""

    dates: dict = field(default_factory=dict)
    """Path relative to the content folder ('phase1/1.6.md') -> Unix time of its last commit."""
    prefix: str = ""
    """The content folder relative to the repository root, with a trailing '/' ('content/'); '' at the root."""
    fallback: int | None = None
    """Time used for files git knows nothing about; None shows no date."""
    in_git: bool = False
    """True when the content folder is inside a git work tree."""

    def timestamp(self, rel: str) -> int | None:
        """Unix time a file last changed, or the fallback."""
        return self.dates.get(rel, self.fallback)

    def updated(self, rel: str) -> str:
        """'November 23, 2026' (UTC) for a content file, or '' when unknown."""
        ts = self.timestamp(rel)
        if ts is None:
            return ""
        d = datetime.fromtimestamp(ts, timezone.utc)
        return f"{d:%B} {d.day}, {d.year}"

    def iso(self, rel: str) -> str:
        """The same date as YYYY-MM-DD, for ``<time datetime>``; '' when unknown."""
        ts = self.timestamp(rel)
        return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%d") if ts is not None else ""

    def repo_path(self, rel: str) -> str:
        """A content file's path from the repository root."""
        return self.prefix + rel


def _fallback() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None


def _git(content: Path, *args: str) -> str | None:
    try:
        proc = subprocess.run(["git", "-C", str(content), "-c", "core.quotepath=off", *args],
                              capture_output=True, timeout=_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout.decode("utf-8", "surrogateescape") if proc.returncode == 0 else None


def parse_log(out: str) -> dict[str, int]:
    """Read ``git log -z --format=%x01%ct --name-only``: newest commit first, so first seen wins."""
    dates: dict[str, int] = {}
    for chunk in out.split("\x01"):
        if not chunk.strip():
            continue
        stamp, _, names = chunk.partition("\0")
        try:
            ts = int(stamp.strip())
        except ValueError:
            continue
        for name in names.split("\0"):
            name = name.strip("\n")
            if name:
                dates.setdefault(name, ts)
    return dates


def read(content: Path, project: Path | None = None) -> History:
    """The history of every file under ``content``; ``project`` is used as the repository root outside git."""
    fallback = _fallback()
    content = Path(content)
    prefix = _git(content, "rev-parse", "--show-prefix")
    if prefix is None:
        rel = ""
        if project is not None:
            try:
                rel = content.absolute().relative_to(Path(project).absolute()).as_posix()
            except ValueError:
                rel = ""
        return History({}, rel + "/" if rel and rel != "." else "", fallback, False)
    prefix = prefix.strip()
    out = _git(content, "log", "-z", "--format=%x01%ct", "--name-only", "--relative", "--no-renames", "--", ".")
    return History(parse_log(out or ""), prefix, fallback, True)
