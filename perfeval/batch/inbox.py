"""Which files in a drop folder are complete and ready to check.

A file is taken only when it is whole: its size and mtime unchanged for the settle interval and its
zip directory opens. A half-copied file is waited for, never reported broken; a file that stays
unopenable long after it stopped changing (`give_up`) is taken anyway, so the check can say why it is
unreadable. Office lock files (~$x.xlsx), hidden files and temporary files are never taken.
"""
from __future__ import annotations

import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from perfeval.read import sources
from perfeval.files import walk


def zip_opens(path: Path) -> bool:
    """Is the file whole: a zip whose directory reads, or an OLE2 file (.xls, .et, an encrypted
    workbook) whose directory reads?"""
    try:
        with zipfile.ZipFile(path) as zf:
            zf.namelist()
        return True
    except (OSError, zipfile.BadZipFile, ValueError):
        return sources.ole_opens(path)


@dataclass(frozen=True)
class Waiting:
    """A file not taken yet: `young` (changed less than the settle interval ago, still being copied)
    or `incomplete` (quiet, but not a whole workbook yet); `left` seconds until that changes."""
    path: Path
    reason: str
    left: float


@dataclass
class Inbox:
    root: Path
    settle: float = 2.0
    give_up: float = 60.0
    _changed: dict[Path, tuple[tuple[int, int], float]] = field(default_factory=dict)  # state, changed at
    _taken: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def ready(self, now: float | None = None) -> list[Path]:
        """Files complete now that have not been taken in this state before."""
        return self.scan(now)[0]

    def scan(self, now: float | None = None) -> tuple[list[Path], list[Waiting]]:
        """(files complete now and not taken in this state before, files still waited for and why).

        A file's quiet time runs from its mtime when first seen (never from the future), and from the
        moment a change was observed after that, so a share's skewed clock cannot cut a copy short.
        """
        now = time.time() if now is None else now
        out: list[Path] = []
        waiting: list[Waiting] = []
        present = set()
        for path in walk(self.root):
            try:
                st = path.stat()
            except OSError:
                continue
            present.add(path)
            state = (st.st_size, st.st_mtime_ns)
            previous = self._changed.get(path)
            if previous is None:
                changed_at = min(now, st.st_mtime_ns / 1e9)
            elif previous[0] != state:
                changed_at = now
            else:
                changed_at = previous[1]
            self._changed[path] = (state, changed_at)
            if self._taken.get(path) == state:
                continue
            quiet = now - changed_at
            if quiet < self.settle:
                waiting.append(Waiting(path, "young", self.settle - quiet))
                continue
            if (st.st_size == 0 or not zip_opens(path)) and quiet < self.give_up:
                waiting.append(Waiting(path, "incomplete", self.give_up - quiet))
                continue
            self._taken[path] = state
            out.append(path)
        for gone in set(self._changed) - present:
            self._changed.pop(gone, None)
            self._taken.pop(gone, None)
        return out, waiting
