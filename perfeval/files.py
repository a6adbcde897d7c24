"""The file system as perfeval uses it: the one folder walk with its skip rules (check, watch and
rollup all find workbooks through it), and the one atomic writer every output goes through."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable, Iterable

EXTENSIONS = (".xlsx", ".xlsm")
TEMP_SUFFIXES = (".tmp", ".part", ".crdownload", ".partial")   # files still being copied or downloaded
TEMP_PREFIX = ".perfeval-"                                      # our own temporary outputs

_UMASK = os.umask(0)
os.umask(_UMASK)


def is_skipped_name(path: Path) -> bool:
    """Office lock files (~$x.xlsx) and hidden files (.x.xlsx)."""
    return path.name.startswith(("~$", "."))


def is_workbook_name(path: Path, with_skipped: bool = False) -> bool:
    """A workbook's name; lock and hidden files only `with_skipped` (check reports them as skipped)."""
    name = path.name.lower()
    return name.endswith(EXTENSIONS) and not name.endswith(TEMP_SUFFIXES) and (
        with_skipped or not is_skipped_name(path))


def walk(root: Path, skip: Path | None = None, with_skipped: bool = False) -> list[Path]:
    """Workbooks under root, sorted: hidden folders and the folder `skip` (where outputs go) are not
    entered; temporary files are left out, and so are lock and hidden files unless `with_skipped`."""
    found: list[Path] = []
    skipped = skip.resolve() if skip else None
    for folder, dirs, names in os.walk(root):
        if skipped and Path(folder).resolve() == skipped:
            dirs[:] = []
            continue
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [p for p in (Path(folder) / n for n in names) if is_workbook_name(p, with_skipped)]
    return sorted(found)


def expand(paths: Iterable[str | Path], skip: Path | None = None) -> list[Path]:
    """Files as given, folders walked; lock and hidden files are kept, for the report to list as skipped."""
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
