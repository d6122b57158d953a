"""Compiled layouts kept between builds, as Python keeps the bytecode of modules.

Compiling the Jinja layouts took about 0.25 s, most of a small playbook's
build. Jinja's bytecode cache stores each compiled layout under a key made of
its name and file, with a checksum of its source and Jinja's and Python's
versions, and compiles again whenever any of them differs. Only layouts go in
it; the content is read and rendered afresh on every build.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from jinja2 import BytecodeCache, FileSystemBytecodeCache

ENV = "PLAYBOOK_CACHE_DIR"
"""Environment variable naming the cache folder; set to "off" (or empty) to compile on every build."""


class _Cache(FileSystemBytecodeCache):
    """Jinja's file cache that gives up quietly when it cannot write (a full disk, a read-only home)."""

    def dump_bytecode(self, bucket) -> None:
        """Store one compiled layout; a failure only means compiling it again next time."""
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def folder() -> Path | None:
    """Where compiled layouts are kept: $PLAYBOOK_CACHE_DIR, else the user's cache folder; None: nowhere."""
    given = os.environ.get(ENV)
    if given is not None:
        return None if given.strip().lower() in ("", "off", "0", "no", "false") else Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "playbook" / "layouts"


def bytecode_cache() -> BytecodeCache | None:
    """The cache of compiled layouts, or None when there is no private folder to keep it in.

    Compiled code is loaded from it, so the folder must be the user's own and
    closed to everyone else (made so when created); otherwise layouts are
    compiled on every build.
    """
    where = folder()
    if where is None:
        return None
    try:
        where.mkdir(mode=stat.S_IRWXU, parents=True, exist_ok=True)
        st = os.lstat(where)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        return None
    return _Cache(str(where), "%s.jinja")
