"""Write: put the rendered site on disk, never outside its folder; for a build, atomically.

:class:`FolderWriter` writes into a folder in place (``serve``). A build's
:class:`SiteWriter` writes into a fresh temporary folder beside the output
folder, which is swapped in only when the whole site is written. A build that
fails or is killed leaves the previous site as it was; leftovers of a killed
build are removed by the next one. This module and :mod:`playbook.load` are the only
ones that touch the disk.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

MARKER = ".playbook-build"
"""File that marks a folder as a playbook build, so the swap never replaces anything else."""
_RENAME_EXCHANGE = 2


class OutputError(Exception):
    """The output folder cannot be written safely."""


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2); False where unsupported."""
    import ctypes  # only when there is an old site to swap out
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    rc = fn(at_fdcwd, os.fsencode(str(a)), at_fdcwd, os.fsencode(str(b)), _RENAME_EXCHANGE)
    return rc == 0


def check_output_dir(out: Path, content: Path) -> None:
    """Refuse output folders whose replacement would lose something."""
    out, content = out.absolute(), content.absolute()
    rout, rcontent = out.resolve(), content.resolve()
    if rout == rcontent or rcontent.is_relative_to(rout) or rout == Path(rout.anchor) or rout == Path.home():
        raise OutputError(f"output folder {out} would replace the content; pick another, such as _site")
    if out.is_symlink():
        raise OutputError(f"output folder {out} is a symbolic link; give the real folder")
    if out.exists():
        if not out.is_dir():
            raise OutputError(f"output path {out} exists and is not a folder")
        if any(out.iterdir()) and not (out / MARKER).exists():
            raise OutputError(f"output folder {out} is not empty and was not made by playbook; "
                              "remove it or pick another")
    _check_writable(out)


def _check_writable(out: Path) -> None:
    """Refuse an output folder that cannot be made: the build would fail only after all its work.

    The site is first written into a folder made beside ``out`` (or in the nearest existing folder
    above it, when ``out``'s parents are still to be made), so that is where a folder is tried."""
    above = out.parent
    while not above.exists() and not above.is_symlink() and above != above.parent:
        above = above.parent
    if not above.is_dir():
        raise OutputError(f"cannot make the output folder {out}: {above} is a file, not a folder")
    try:
        os.rmdir(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=above))
    except OSError as exc:
        raise OutputError(f"cannot make the output folder {out}: no folder can be made in {above} "
                          f"({exc.strerror or exc})") from None


class FolderWriter:
    """Writes the files of a site into one folder, never outside it: the interface every stage writes through.

    ``serve`` writes into its served folder in place with this class; ``build``
    writes through :class:`SiteWriter`, which adds the atomic swap.
    """

    def __init__(self, root: Path):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._root = self.root.resolve()
        self._top = str(self.root)
        self._dirs: set[str] = {self._top}
        """Folders known to lie inside the output folder, as paths below ``self.root``."""
        self.count = 0
        """Files written or copied."""

    def _target(self, rel: str) -> str:
        if rel.startswith("/") or ".." in rel.split("/"):
            raise OutputError(f"refusing to write outside the output folder: {rel}")
        target = os.path.join(self._top, rel)
        parent = os.path.dirname(target)
        if parent not in self._dirs:
            self._make_dir(parent, rel)
        return target

    def _make_dir(self, parent: str, rel: str) -> None:
        # A folder this writer made itself, inside one already known to lie in the output folder,
        # lies there too: only folders that were there before are resolved and checked.
        try:
            if os.path.dirname(parent) not in self._dirs:
                raise FileExistsError
            os.mkdir(parent)
        except FileExistsError:
            os.makedirs(parent, exist_ok=True)
            if not Path(parent).resolve().is_relative_to(self._root):
                raise OutputError(f"refusing to write outside the output folder: {rel}") from None
        self._dirs.add(parent)

    def write(self, rel: str, data: str | bytes) -> None:
        """Write one file, given its path relative to the output folder."""
        target = self._target(rel)
        if isinstance(data, str):
            data = data.encode("utf-8")
        with open(target, "wb") as f:
            f.write(data)
        self.count += 1

    def copy(self, src: Path, rel: str) -> None:
        """Copy one file into the site."""
        shutil.copyfile(src, self._target(rel))

    def remove(self, rel: str) -> None:
        """Delete one file of the site, and its folder once that is empty."""
        target = self._target(rel)
        try:
            os.unlink(target)
        except FileNotFoundError:
            pass
        parent = os.path.dirname(target)
        if parent != self._top:
            try:
                os.rmdir(parent)
            except OSError:  # not empty
                return
            self._dirs.discard(parent)


class SiteWriter(FolderWriter):
    """Collects the files of one build in a temporary folder, then swaps it in."""

    def __init__(self, out: Path):
        self.out = Path(out).absolute()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.prefix = f".{self.out.name}.tmp-"
        self.remove_leftovers()
        super().__init__(Path(tempfile.mkdtemp(prefix=self.prefix, dir=self.out.parent)))
        self.tmp = self.root
        """The temporary folder the site is written into."""

    def remove_leftovers(self) -> None:
        """Delete temporary folders that an interrupted build left behind.

        Where renameat2 is missing, the swap is two renames; a build killed
        between them leaves the old site in ``.NAME.tmp-*/old`` and no output
        folder. That site is put back first, so it is never lost.
        """
        leftovers = sorted(p for p in self.out.parent.glob(self.prefix + "*") if p.is_dir() and not p.is_symlink())
        if not self.out.exists() and not self.out.is_symlink():
            for p in leftovers:
                if (p / "old" / MARKER).is_file():
                    os.rename(p / "old", self.out)
                    break
        for p in leftovers:
            shutil.rmtree(p, ignore_errors=True)

    def commit(self) -> None:
        """Swap the finished site in for the old one; the old one is then deleted."""
        (self.tmp / MARKER).write_text("made by playbook; this folder is replaced on every build\n")
        os.chmod(self.tmp, 0o755)  # mkdtemp makes it private; a site is meant to be served
        if self.out.exists() and _exchange(self.tmp, self.out):
            shutil.rmtree(self.tmp, ignore_errors=True)
            return
        if self.out.exists():
            old = Path(tempfile.mkdtemp(prefix=self.prefix, dir=self.out.parent))
            os.rename(self.out, old / "old")
            os.rename(self.tmp, self.out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(self.tmp, self.out)

    def abort(self) -> None:
        """Throw the unfinished site away; the old one stays."""
        shutil.rmtree(self.tmp, ignore_errors=True)
