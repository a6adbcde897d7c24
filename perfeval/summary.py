"""DIR/summary.xlsx: one row per input file (unreadable ones with their reason) linked to its annotated
copy, and a second sheet with every finding.

Written in openpyxl's write-only mode from a stream of results, so its memory does not grow with the
number of files: the roll-up of thousands of files costs what one row costs.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils.cell import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink

from .codes import label, render, severity_label
from .model import FileResult, Severity
from .report import number
from .xlsxout import BOLD, FILLS, HEADER_FILL, LINK, WRAP, fit_to_width, location, save_atomically

NAME = "summary.xlsx"

FILE_COLUMNS = [("col.file", 36), ("col.unit", 20), ("col.project", 28), ("col.rubric", 12),
                ("col.total_entered", 10), ("col.total_recomputed", 10), ("col.grade_entered", 10),
                ("col.grade_recomputed", 10), ("col.errors", 7), ("col.warnings", 7), ("col.status", 10),
                ("col.output", 30), ("col.note", 40)]
FINDING_COLUMNS = [("col.file", 36), ("col.severity", 9), ("col.code", 20), ("col.level1", 12),
                   ("col.level2", 14), ("col.level3", 22), ("col.cell", 10), ("col.entered", 10),
                   ("col.recomputed", 10), ("col.message", 56)]


class _Table:
    """A write-only sheet: bold header, widths, frozen header, autofilter, printed landscape."""

    def __init__(self, wb: Workbook, title: str, columns: list[tuple[str, float]], lang: str):
        self.ws = wb.create_sheet(title)
        self.columns = len(columns)
        for col, (_, width) in enumerate(columns, start=1):
            self.ws.column_dimensions[get_column_letter(col)].width = width
        self.ws.freeze_panes = "A2"
        self.ws.print_title_rows = "1:1"
        fit_to_width(self.ws, landscape=True)
        self.rows = 0
        self.append([self._cell(label(key, lang), font=BOLD, fill=HEADER_FILL) for key, _ in columns])

    def _cell(self, value: object, **style: object) -> WriteOnlyCell:
        """Text stays text (`=HYPERLINK(...)` from an input is a string); Decimals become numbers."""
        cell = WriteOnlyCell(self.ws, value=number(value))
        if isinstance(value, str):
            cell.data_type = "s"
        cell.alignment = WRAP
        for name, attr in style.items():
            if attr is not None:
                setattr(cell, name, attr)
        return cell

    def append(self, cells: list[WriteOnlyCell]) -> None:
        self.rows += 1
        for col, cell in enumerate(cells, start=1):
            if cell.hyperlink is not None:
                cell.hyperlink.ref = f"{get_column_letter(col)}{self.rows}"
        self.ws.append(cells)

    def row(self, values: list[object], fills: dict[int, object] = {}, links: dict[int, Hyperlink] = {}) -> None:
        cells = [self._cell(v, fill=fills.get(c)) for c, v in enumerate(values, start=1)]
        for c, target in links.items():
            cells[c - 1].hyperlink = target
            cells[c - 1].font = LINK
        self.append(cells)

    def close(self) -> None:
        self.ws.auto_filter.ref = f"A1:{get_column_letter(self.columns)}{max(self.rows, 2)}"


def write(results: Iterable[FileResult], path: Path, lang: str = "zh") -> Path:
    wb = Workbook(write_only=True)
    files = _Table(wb, label("sheet.files", lang), FILE_COLUMNS, lang)
    findings = _Table(wb, label("sheet.findings", lang), FINDING_COLUMNS, lang)
    for result in results:
        copy = os.path.relpath(result.output, path.parent) if result.output else None
        _file_row(files, result, copy, lang)
        _finding_rows(findings, result, copy, lang)
    files.close()
    findings.close()
    save_atomically(wb, path)
    return path


def _file_row(table: _Table, result: FileResult, copy: str | None, lang: str) -> None:
    read = result.status not in ("unreadable", "skipped")
    values = [result.path, result.project.unit, result.project.name, result.rubric, result.total_entered,
              result.total_recomputed, result.grade_entered, result.grade_recomputed,
              result.count(Severity.ERROR) if read else None, result.count(Severity.WARNING) if read else None,
              label(f"status.{result.status}", lang), copy, result.error or result.output_error]
    worst = Severity.ERROR if result.status == "unreadable" or result.count(Severity.ERROR) else (
        Severity.WARNING if result.status == "flagged" or result.output_error else None)
    table.row(values, fills={11: FILLS[worst]} if worst else {},
              links={12: Hyperlink(ref="", target=copy)} if copy else {})


def _finding_rows(table: _Table, result: FileResult, copy: str | None, lang: str) -> None:
    levels = {i.name: (i.level1, i.level2) for i in result.indicators}
    for f in result.findings:
        level1, level2 = levels.get(f.indicator, (None, None))
        values = [result.path, severity_label(f.severity, lang), f.code, level1, level2, f.indicator,
                  f.cell or "—", f.entered, f.expected, render(f, lang)]
        links = {}
        if copy and f.cell and f.sheet:
            links[7] = Hyperlink(ref="", target=copy, location=location(f.sheet, f.cell))
        table.row(values, fills={2: FILLS[f.severity]} if f.severity in FILLS else {}, links=links)
