"""The one folder walk and its skip rules: which files in a folder are workbooks perfeval reads.

Only regular files are read: a FIFO, device or socket is skipped with a reason (opening a FIFO would
block the batch forever; /dev/zero never ends). In a folder, a symbolic link is followed only when
what it points to lies inside that folder: a link in a drop folder cannot make perfeval read (and
publish the annotated copy of) a workbook elsewhere on the machine. A path named on the command line
is the user's choice and is followed wherever it points.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Iterable, Iterator

EXTENSIONS = (".xlsx", ".xlsm")

_KINDS = ((stat.S_ISFIFO, "命名管道（FIFO）"), (stat.S_ISCHR, "字符设备"), (stat.S_ISBLK, "块设备"),
          (stat.S_ISSOCK, "套接字"), (stat.S_ISDIR, "文件夹"))


def is_skipped_name(path: Path) -> bool:
    """Office lock files (~$x.xlsx) and hidden files (.x.xlsx)."""
    return path.name.startswith(("~$", "."))


def not_regular(path: Path) -> str | None:
    """Why `path` (links followed) is not a regular file perfeval may open, or None when it is one.
    Never opens the file (stat only), so a FIFO cannot block."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None                     # missing or unreadable: the reader says why
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "特殊文件")
    return f"不是普通文件（{kind}），已跳过"


def skip_reason(path: Path) -> str | None:
    """Why a file is skipped rather than read: lock or hidden file, or not a regular file."""
    if is_skipped_name(path):
        return "Office 临时锁定文件或隐藏文件，已跳过"
    return not_regular(path)


def inside(path: Path, root: Path) -> bool:
    """Does `path`, links resolved, lie inside `root` (resolved)?"""
    try:
        return Path(os.path.realpath(path)).is_relative_to(Path(os.path.realpath(root)))
    except (OSError, ValueError):
        return False


def walk(root: Path, skip: Path | None = None) -> Iterator[Path]:
    """Workbook-named entries under `root`, sorted by folder then name. Hidden folders and the folder
    `skip` are not entered; linked folders are not entered; a linked file is given only when it points
    inside `root`."""
    skipped = Path(os.path.realpath(skip)) if skip else None
    for folder, dirs, files in os.walk(root):
        if skipped and Path(os.path.realpath(folder)) == skipped:
            dirs[:] = []
            continue
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            if name.lower().endswith(EXTENSIONS) and (not path.is_symlink() or inside(path, root)):
                yield path


def expand(paths: Iterable[str | Path], skip: Path | None = None) -> list[Path]:
    """Files as given (links followed), folders searched (sorted) for .xlsx/.xlsm by `walk`."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(walk(p, skip))
        else:
            out.append(p)
    return out
