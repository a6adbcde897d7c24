"""The one folder walk and its skip rules: which files in a folder are workbooks perfeval reads."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

EXTENSIONS = (".xlsx", ".xlsm")


def is_skipped_name(path: Path) -> bool:
    """Office lock files (~$x.xlsx) and hidden files (.x.xlsx)."""
    return path.name.startswith(("~$", "."))


def expand(paths: Iterable[str | Path], skip: Path | None = None) -> list[Path]:
    """Files as given, folders searched (sorted) for .xlsx/.xlsm; hidden folders and the folder `skip`
    (where outputs go) are not entered."""
    out: list[Path] = []
    skipped = skip.resolve() if skip else None
    for p in map(Path, paths):
        if p.is_dir():
            found = []
            for root, dirs, files in os.walk(p):
                if skipped and Path(root).resolve() == skipped:
                    dirs[:] = []
                    continue
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [Path(root) / f for f in files if f.lower().endswith(EXTENSIONS)]
            out += sorted(found)
        else:
            out.append(p)
    return out
