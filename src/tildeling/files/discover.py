"""Which files the user means: the paths named on the command line, folders walked.

Every command that takes several inputs (``evaluate``, ``validate``, ``test``, ``diff``)
turns its paths into inputs here, so that they all read the same files in the same order
and count them the same way:

* a file named directly is an input whatever its name;
* a folder is walked recursively, in sorted order, for ``*.yaml`` and ``*.yml``; links to
  folders are followed unless they lead back into a folder being walked;
* a path that cannot be an input — it does not exist, a link points nowhere or in a ring, a
  folder cannot be read, a folder or a device is named ``x.yaml`` — is a recorded
  :class:`InputFailure`, never silence and never an abort.

Each input is read once, even when it is named twice or reached through two paths, so that
``read = done + skipped + failed`` (:class:`Tally`) counts every file once.

>>> found = discover([Path("finnes-ikke.yaml")])
>>> found.files, [(f.file, f.code) for f in found.failures]
([], [('finnes-ikke.yaml', 'file-not-found')])
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from tildeling.core.diagnostics import Diagnostic, make

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class InputFailure:
    """One input that could not be handled: the file as the user names it and why (the
    diagnostics, with line and column where known). ``code`` is the first error's code."""

    file: str
    diagnostics: tuple[Diagnostic, ...]

    @property
    def code(self) -> str:
        errors = [d for d in self.diagnostics if d.severity == "error"] or list(self.diagnostics)
        return errors[0].code if errors else "invalid-input"


@dataclass
class Found:
    """The inputs found: files to read, in order, and the paths that failed already."""

    files: list[Path] = field(default_factory=list)
    failures: list[InputFailure] = field(default_factory=list)

    @property
    def read(self) -> int:
        return len(self.files) + len(self.failures)


@dataclass
class Tally:
    """``read = done + skipped + failed``: every input is counted once, as done, as skipped
    (a file that is plainly not a case, such as a service map) or as failed."""

    done: int = 0
    failed: int = 0
    skipped: int = 0
    records: bool = False  # some inputs are records of a corpus (JSON Lines lines, Parquet rows), not files

    @property
    def read(self) -> int:
        return self.done + self.skipped + self.failed

    def to_json(self) -> dict:
        return {"read": self.read, "done": self.done, "skipped": self.skipped, "failed": self.failed}


def failure(file: str, code: str, key: str, **args) -> InputFailure:
    """A failure of a whole input, with no position inside it."""
    return InputFailure(file, (make(code, "error", key, None, **args),))


def name_of(path: Path) -> str:
    """How an input is named in reports: the path as the user wrote it (POSIX slashes)."""
    return path.as_posix()


def discover(paths: Sequence[Path], suffixes: Iterable[str] = SUFFIXES) -> Found:
    """The inputs under ``paths``: named files first-come, folders walked in sorted order."""
    walker = _Walker(tuple(suffixes))
    for p in paths:
        walker.named(Path(p))
    return walker.found


class _Walker:
    def __init__(self, suffixes: tuple[str, ...]):
        self.suffixes = suffixes
        self.found = Found()
        self.seen: set[object] = set()  # (device, inode) of files read, paths of failures

    def _once(self, key: object) -> bool:
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def fail(self, path: Path, code: str, key: str, **args) -> None:
        if self._once(os.path.abspath(path)):
            self.found.failures.append(failure(name_of(path), code, key, **args))

    def add(self, path: Path, st: os.stat_result) -> None:
        if self._once((st.st_dev, st.st_ino)):
            self.found.files.append(path)

    def named(self, path: Path) -> None:
        problem = _link_problem(path) if path.is_symlink() else None
        if problem is not None:
            self.fail(path, *problem)
            return
        try:
            st = path.stat()
        except OSError as exc:
            if exc.errno in (errno.ENOENT, errno.ENOTDIR):
                self.fail(path, "file-not-found", "input.not_found")
            else:
                self.fail(path, "unreadable-file", "input.unreadable", reason=exc.strerror or str(exc))
            return
        if stat.S_ISDIR(st.st_mode):
            self.folder(path, ())
        else:
            # Named directly: a file, a device or a pipe is read (size limits apply there).
            self.add(path, st)

    def folder(self, path: Path, ancestors: tuple[tuple[int, int], ...]) -> None:
        try:
            st = path.stat()
            with os.scandir(path) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            self.fail(path, "unreadable-folder", "input.unreadable_folder", reason=exc.strerror or str(exc))
            return
        here = (st.st_dev, st.st_ino)
        if here in ancestors:
            self.fail(path, "link-loop", "input.folder_loop")
            return
        for entry in entries:
            self.entry(entry, Path(path, entry.name), ancestors + (here,))

    def entry(self, entry: os.DirEntry, path: Path, ancestors: tuple[tuple[int, int], ...]) -> None:
        wanted = entry.name.lower().endswith(self.suffixes)
        if entry.is_symlink():
            problem = _link_problem(path)
            if problem is not None:
                if wanted or problem[0] == "link-loop":
                    self.fail(path, *problem)
                return
        try:
            st = entry.stat()  # follows links; cached by scandir where it can
        except OSError as exc:
            if wanted:
                self.fail(path, "unreadable-file", "input.unreadable", reason=exc.strerror or str(exc))
            return
        if stat.S_ISDIR(st.st_mode):
            if wanted:
                self.fail(path, "not-a-file", "input.folder_named_yaml")
            self.folder(path, ancestors)
        elif not wanted:
            return
        elif not stat.S_ISREG(st.st_mode):
            self.fail(path, "not-a-file", "input.not_regular")
        else:
            self.add(path, st)


def _link_problem(path: Path) -> tuple[str, str] | None:
    """``(code, catalogue key)`` when the link ``path`` points nowhere or in a ring."""
    try:
        path.resolve(strict=True)
    except RuntimeError:  # pragma: no cover - Python < 3.13 raises this for a ring
        return ("link-loop", "input.link_loop")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return ("link-loop", "input.link_loop")
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return ("dangling-link", "input.dangling_link")
        return None  # unreadable: reported when it is read
    return None


__all__ = ["SUFFIXES", "InputFailure", "Found", "Tally", "discover", "failure", "name_of"]
