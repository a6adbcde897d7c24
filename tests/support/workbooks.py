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


def copy_sheet(path: Path, copies: int, sheet: str = "评分表") -> Path:
    """Copy a built workbook's scoring sheet `copies` times, as 项目2, 项目3... (one tab per project)."""
    wb = openpyxl.load_workbook(path)
    for n in range(2, copies + 2):
        wb.copy_worksheet(wb[sheet]).title = f"项目{n}"
    wb.save(path)
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def cache_values(path: Path, values: dict[str, str], part: str = "xl/worksheets/sheet1.xml") -> Path:
    """Give formula cells the cached value Excel would have saved (openpyxl writes none, as `<v/>`, or
    `<v></v>` when it writes with lxml): {A1: "1.86"}."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as zin:
        items = [(info, zin.read(info.filename)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in items:
            if info.filename == part:
                text = data.decode("utf-8")
                for ref, value in values.items():
                    text, n = re.subn(rf'(<c r="{ref}"[^>]*>\s*<f>[^<]*</f>)\s*(?:<v\s*/>|<v></v>)', rf"\1<v>{value}</v>", text)
                    assert n == 1, f"no formula cell {ref} in {part}"
                data = text.encode("utf-8")
            zout.writestr(info, data)
    return path
