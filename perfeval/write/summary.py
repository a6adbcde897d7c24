"""DIR/summary.xlsx: one row per file the output folder holds (unreadable ones with their reason)
linked to its annotated copy, and a second sheet with every finding.

Written by xlsxwriter in constant-memory mode from a stream of results: rows go to disk as they
are written and strings are stored inline, so a summary of thousands of files costs the memory of
one row. Links are HYPERLINK formulas, not hyperlink records, which a writer must keep until the end
(and Excel allows at most 65,530 per sheet).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

import xlsxwriter

from perfeval.catalogue import label, render, say, severity_label
from perfeval.model import SheetResult, Severity, Status
from perfeval.write.formats import number
from perfeval.files import write_atomically

NAME = "summary.xlsx"
MAX_LINK = 255              # the longest text a formula's string may hold; a longer target stays unlinked

FILE_COLUMNS = [("col.file", 36), ("col.unit", 20), ("col.project", 28), ("col.rubric", 12),
                ("col.total_entered", 10), ("col.total_recomputed", 10), ("col.grade_entered", 10),
                ("col.grade_recomputed", 10), ("col.errors", 7), ("col.warnings", 7), ("col.status", 10),
                ("col.output", 30), ("col.note", 40)]
FINDING_COLUMNS = [("col.file", 36), ("col.severity", 9), ("col.code", 20), ("col.level1", 12),
                   ("col.level2", 14), ("col.level3", 22), ("col.cell", 10), ("col.entered", 10),
                   ("col.recomputed", 10), ("col.message", 56)]
_WRAP = {"text_wrap": True, "valign": "top"}
_FILL = {Severity.ERROR: "#FFC7CE", Severity.WARNING: "#FFEB9C"}     # as the annotated copies


class _Table:
    """One sheet: bold header, widths, frozen header, autofilter, printed landscape one page wide."""

    def __init__(self, wb: xlsxwriter.Workbook, title: str, columns: list[tuple[str, float]], lang: str,
                 formats: dict):
        self.ws = wb.add_worksheet(title)
        self.formats = formats
        self.columns = len(columns)
        for col, (_, width) in enumerate(columns):
            self.ws.set_column(col, col, width)
        self.ws.freeze_panes(1, 0)
        self.ws.repeat_rows(0)
        self.ws.set_landscape()
        self.ws.set_paper(9)
        self.ws.fit_to_pages(1, 0)
        for col, (key, _) in enumerate(columns):
            self.ws.write_string(0, col, label(key, lang), formats["header"])
        self.row = 0

    def add(self, values: list[object], fills: dict[int, Severity] = {}, links: dict[int, str] = {}) -> None:
        """One row; text is always written as text (`=HYPERLINK(...)` from an input stays a string)."""
        self.row += 1
        for col, value in enumerate(values):
            fmt = self.formats[fills[col]] if col in fills else self.formats["wrap"]
            value = number(value)
            target = links.get(col)
            if target and value is not None and len(target) <= MAX_LINK and len(str(value)) <= MAX_LINK:
                self.ws.write_formula(self.row, col, f'=HYPERLINK("{_quoted(target)}","{_quoted(str(value))}")',
                                      self.formats["link"], str(value))
            elif value is None:
                self.ws.write_blank(self.row, col, None, fmt)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                self.ws.write_number(self.row, col, value, fmt)
            else:
                self.ws.write_string(self.row, col, str(value), fmt)

    def close(self) -> None:
        self.ws.autofilter(0, 0, max(self.row, 1), self.columns - 1)


def write(results: Iterable[SheetResult], path: Path, lang: str = "zh") -> Path:
    write_atomically(path, lambda tmp: _write(results, tmp, path.parent, lang))
    return path


def _write(results: Iterable[SheetResult], tmp: str, folder: Path, lang: str) -> None:
    wb = xlsxwriter.Workbook(tmp, {"constant_memory": True, "strings_to_formulas": False,
                                   "strings_to_urls": False, "tmpdir": str(folder)})
    formats = {"wrap": wb.add_format(_WRAP),
               "header": wb.add_format({**_WRAP, "bold": True, "bg_color": "#DDEBF7"}),
               "link": wb.add_format({**_WRAP, "font_color": "#0563C1", "underline": 1}),
               **{s: wb.add_format({**_WRAP, "bg_color": c}) for s, c in _FILL.items()}}
    files = _Table(wb, label("sheet.files", lang), FILE_COLUMNS, lang, formats)
    findings = _Table(wb, label("sheet.findings", lang), FINDING_COLUMNS, lang, formats)
    for result in results:
        copy = os.path.relpath(result.output, folder) if result.output else None
        _file_row(files, result, copy, lang)
        _finding_rows(findings, result, copy, lang)
    files.close()
    findings.close()
    wb.close()


def _quoted(text: str) -> str:
    return text.replace('"', '""')


def _file_row(table: _Table, result: SheetResult, copy: str | None, lang: str) -> None:
    read = result.status not in (Status.UNREADABLE, Status.SKIPPED)
    values = [result.where, result.project.unit, result.project.name, result.rubric, result.total_entered,
              result.total_recomputed, result.grade_entered, result.grade_recomputed,
              result.count(Severity.ERROR) if read else None, result.count(Severity.WARNING) if read else None,
              label(f"status.{result.status.value}", lang), copy,
              say(result.error or result.output_error, lang) if result.error or result.output_error else None]
    worst = Severity.ERROR if result.status == Status.UNREADABLE or result.count(Severity.ERROR) else (
        Severity.WARNING if result.status == Status.FLAGGED or result.output_error else None)
    table.add(values, fills={10: worst} if worst else {}, links={11: copy} if copy else {})


def _finding_rows(table: _Table, result: SheetResult, copy: str | None, lang: str) -> None:
    levels = {i.name: (i.level1, i.level2) for i in result.indicators}
    for f in result.findings:
        level1, level2 = levels.get(f.indicator, (None, None))
        values = [result.where, severity_label(f.severity, lang), f.code, level1, level2, f.indicator,
                  f.cell or "—", f.entered, f.expected, render(f, lang)]
        links = {}
        if copy and f.cell and f.sheet:
            links[6] = f"{copy}#'{f.sheet.replace(chr(39), chr(39) * 2)}'!{f.cell}"
        table.add(values, fills={1: f.severity} if f.severity in _FILL else {}, links=links)
