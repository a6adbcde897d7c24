"""The file system as perfeval uses it: the one folder walk with its skip rules (check, watch and
rollup all find workbooks through it), and the one atomic writer every output goes through.

Only regular files are read: a FIFO, device or socket is skipped with a reason (opening a FIFO would
block the batch forever; /dev/zero never ends). In a folder, a symbolic link is followed only when
what it points to lies inside that folder: a link in a drop folder cannot make perfeval read (and
publish the annotated copy of) a workbook elsewhere on the machine. A path named on the command line
is the user's choice and is followed wherever it points.
"""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import Callable, Iterable

from perfeval.model import Phrase

# what the folder search takes: OOXML, and what read/sources.py converts (.xls, .xlsb, .ods, WPS .et/.ett);
# what a file really is comes from its bytes, not this name
EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".et", ".ett")
TEMP_SUFFIXES = (".tmp", ".part", ".crdownload", ".partial")   # files still being copied or downloaded
TEMP_PREFIX = ".perfeval-"                                      # our own temporary outputs

_UMASK = os.umask(0)
os.umask(_UMASK)
_KINDS = ((stat.S_ISFIFO, "fifo"), (stat.S_ISCHR, "char_device"), (stat.S_ISBLK, "block_device"),
          (stat.S_ISSOCK, "socket"), (stat.S_ISDIR, "folder"))


def is_skipped_name(path: Path) -> bool:
    """Office lock files (~$x.xlsx) and hidden files (.x.xlsx)."""
    return path.name.startswith(("~$", "."))


def is_workbook_name(path: Path, with_skipped: bool = False) -> bool:
    """A workbook's name; lock and hidden files only `with_skipped` (check reports them as skipped)."""
    name = path.name.lower()
    return name.endswith(EXTENSIONS) and not name.endswith(TEMP_SUFFIXES) and (
        with_skipped or not is_skipped_name(path))


def not_regular(path: Path) -> Phrase | None:
    """Why `path` (links followed) is not a regular file perfeval may open, or None when it is one.
    Never opens the file (stat only), so a FIFO cannot block."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None                     # missing or unreadable: the reader says why
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "special")
    return Phrase("reason.not_regular", {"kind": Phrase(f"filekind.{kind}")})


def skip_reason(path: Path) -> Phrase | None:
    """Why a file is skipped rather than read: lock or hidden file, or not a regular file."""
    if is_skipped_name(path):
        return Phrase("reason.skipped")
    return not_regular(path)


def inside(path: Path, root: Path) -> bool:
    """Does `path`, links resolved, lie inside `root` (resolved)?"""
    try:
        return Path(os.path.realpath(path)).is_relative_to(Path(os.path.realpath(root)))
    except (OSError, ValueError):
        return False


def walk(root: Path, skip: Path | None = None, with_skipped: bool = False) -> list[Path]:
    """Workbooks under root, sorted: hidden folders and the folder `skip` (where outputs go) are not
    entered, nor linked folders; temporary files are left out, and so are lock and hidden files unless
    `with_skipped`; a linked file only when it points inside root. What is not a regular file (a FIFO
    named x.xlsx) is kept only `with_skipped`, for check to list as skipped with its reason."""
    found: list[Path] = []
    skipped = Path(os.path.realpath(skip)) if skip else None
    for folder, dirs, names in os.walk(root):
        if skipped and Path(os.path.realpath(folder)) == skipped:
            dirs[:] = []
            continue
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [p for p in (Path(folder) / n for n in names) if is_workbook_name(p, with_skipped)
                  and (not p.is_symlink() or inside(p, root)) and (with_skipped or not_regular(p) is None)]
    return sorted(found)


def expand(paths: Iterable[str | Path], skip: Path | None = None) -> list[Path]:
    """Files as given (links followed), folders walked; lock and hidden files and what is not a regular
    file are kept, for the report to list as skipped."""
    out: list[Path] = []
    for p in map(Path, paths):
        out += walk(p, skip, with_skipped=True) if p.is_dir() else [p]
    return out


def write_atomically(path: Path, write: Callable[[str], None]) -> None:
    """`write(name)` a hidden temporary file beside `path`, then os.replace it into place (with the
    permissions a plainly created file would get, not mkstemp's 0600). A failure leaves nothing."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX, suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def sweep(folder: Path) -> None:
    """Temporary files a killed run left behind in an output folder (outputs are only renamed into place)."""
    for tmp in Path(folder).rglob(f"{TEMP_PREFIX}*.tmp"):
        try:
            tmp.unlink()
        except OSError:
            pass
