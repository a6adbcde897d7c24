"""Cached values of formula cells - what the program that saved the workbook computed - for the
formulas perfeval does not evaluate itself (IF, VLOOKUP, a chain past the budget).

Read with python-calamine, not with a second openpyxl load (data_only): on a seed-sized workbook 3 ms
against 175 ms. Values are given as openpyxl's data_only load gives them: empty is None, a whole
number is an int, anything but text, numbers and booleans (dates) is None. calamine gives an error
value (#DIV/0!) as empty, so a workbook whose worksheets hold error values is read, for an empty
cached value, with openpyxl as before; so is a workbook calamine cannot read.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Callable

import python_calamine
from openpyxl.workbook.workbook import Workbook

# a cell of type e (an error value): <c r="B3" s="2" t="e">
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\bt="e"')


class CachedValues:
    """The cached values of one workbook; `load_openpyxl` opens it with openpyxl (data_only) when
    calamine cannot answer exactly."""

    def __init__(self, path: Path, load_openpyxl: Callable[[], Workbook]):
        self.path, self._load = path, load_openpyxl
        self._grids: dict[str, list[list[object]]] = {}
        self._openpyxl: Workbook | None = None
        self._errors: bool | None = None

    def value(self, title: str, row: int, col: int) -> object:
        if self._openpyxl is None:
            try:
                grid = self._grid(title)
            except Exception:       # calamine cannot read it (or has no such sheet): openpyxl says
                grid = None
            value = _cell(grid, row, col) if grid is not None else ""
            if grid is not None and (value != "" or not self._has_errors()):
                return _plain(value)
            self._openpyxl = self._load()
        value = self._openpyxl[title].cell(row=row, column=col).value
        return value if isinstance(value, (str, int, float, bool)) else None

    def _grid(self, title: str) -> list[list[object]]:
        if title not in self._grids:
            with python_calamine.CalamineWorkbook.from_path(str(self.path)) as wb:
                self._grids[title] = wb.get_sheet_by_name(title).to_python(skip_empty_area=False)
        return self._grids[title]

    def _has_errors(self) -> bool:
        """Whether any worksheet holds an error value (read once, only when a cached value is empty)."""
        if self._errors is None:
            with zipfile.ZipFile(self.path) as zf:
                self._errors = any(_ERROR_CELL.search(zf.read(info))
                                   for info in zf.infolist() if info.filename.startswith("xl/worksheets/")
                                   and info.filename.endswith(".xml"))
        return self._errors


def _cell(grid: list[list[object]], row: int, col: int) -> object:
    if 0 < row <= len(grid) and 0 < col <= len(grid[row - 1]):
        return grid[row - 1][col - 1]
    return ""


def _plain(value: object) -> object:
    """A calamine value as openpyxl's data_only load has it."""
    if value == "":
        return None
    if type(value) is float and value.is_integer():
        return int(value)
    return value if isinstance(value, (str, int, float, bool)) else None
