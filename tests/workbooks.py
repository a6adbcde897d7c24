"""Helpers that change or make real workbooks for tests (no mocks: everything is saved and read back)."""
from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl


def edit_workbook(path: Path, cells: dict | None = None, rename: dict | None = None,
                  sheet: str = "评分表") -> Path:
    """Change a built workbook in place: `cells` {A1: value}, `rename` {name as written: new name}."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    for ref, value in (cells or {}).items():
        ws[ref] = value
    if rename:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value in rename:
                    cell.value = rename[cell.value]
    wb.save(path)
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
