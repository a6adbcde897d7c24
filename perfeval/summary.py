"""DIR/summary.xlsx for a batch: one row per input file (unreadable and skipped ones with their reason)
linked to its annotated copy, and a second sheet with every finding of the batch."""
from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook

from .codes import label, render, severity_label
from .model import FileResult, Severity
from .xlsxout import FILLS, WRAP, finish_table, link, put, save_atomically, table

NAME = "summary.xlsx"


def write(results: list[FileResult], path: Path, lang: str = "zh") -> Path:
    wb = Workbook()
    _files_sheet(wb.active, results, path.parent, lang)
    _findings_sheet(wb.create_sheet(), results, path.parent, lang)
    save_atomically(wb, path)
    return path


def _copy(result: FileResult, folder: Path) -> str | None:
    """The annotated copy relative to the summary's folder (the link target)."""
    return os.path.relpath(result.output, folder) if result.output else None


def _files_sheet(ws, results: list[FileResult], folder: Path, lang: str) -> None:
    ws.title = label("sheet.files", lang)
    headers = ["col.file", "col.unit", "col.project", "col.rubric", "col.total_entered", "col.total_recomputed",
               "col.grade_entered", "col.grade_recomputed", "col.errors", "col.warnings", "col.status",
               "col.output", "col.note"]
    table(ws, 1, [label(h, lang) for h in headers], [36, 20, 28, 12, 10, 10, 10, 10, 7, 7, 10, 30, 40])
    for r, result in enumerate(results, start=2):
        copy = _copy(result, folder)
        read = result.status not in ("unreadable", "skipped")
        values = [result.path, result.project.unit, result.project.name, result.rubric, result.total_entered,
                  result.total_recomputed, result.grade_entered, result.grade_recomputed,
                  result.count(Severity.ERROR) if read else None, result.count(Severity.WARNING) if read else None,
                  label(f"status.{result.status}", lang), copy, result.error or result.output_error]
        for c, value in enumerate(values, start=1):
            put(ws, r, c, value, alignment=WRAP)
        worst = Severity.ERROR if result.status == "unreadable" or result.count(Severity.ERROR) else (
            Severity.WARNING if result.status == "flagged" or result.output_error else None)
        if worst:
            ws.cell(row=r, column=11).fill = FILLS[worst]
        if copy:
            link(ws.cell(row=r, column=12), target=copy)
    finish_table(ws, 1, len(headers))


def _findings_sheet(ws, results: list[FileResult], folder: Path, lang: str) -> None:
    ws.title = label("sheet.findings", lang)
    headers = ["col.file", "col.severity", "col.code", "col.level1", "col.level2", "col.level3", "col.cell",
               "col.entered", "col.recomputed", "col.message"]
    table(ws, 1, [label(h, lang) for h in headers], [36, 9, 20, 12, 14, 22, 10, 10, 10, 56])
    r = 2
    for result in results:
        levels = {i.name: (i.level1, i.level2) for i in result.indicators}
        copy = _copy(result, folder)
        for f in result.findings:
            level1, level2 = levels.get(f.indicator, (None, None))
            values = [result.path, severity_label(f.severity, lang), f.code, level1, level2, f.indicator,
                      f.cell or "—", f.entered, f.expected, render(f, lang)]
            for c, value in enumerate(values, start=1):
                put(ws, r, c, value, alignment=WRAP)
            if f.severity in FILLS:
                ws.cell(row=r, column=2).fill = FILLS[f.severity]
            if copy and f.cell and f.sheet:
                link(ws.cell(row=r, column=7), target=copy, sheet=f.sheet, coordinate=f.cell)
            r += 1
    finish_table(ws, 1, len(headers))
