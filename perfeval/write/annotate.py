"""The annotated copy of one workbook: marks on the flagged cells, sheet 复核结果 and sheet 汇总.

It works on the workbook reader.py loaded (the input is never reopened, never written) and saves the
copy through a temporary name in the target folder. It knows nothing of the command line.
"""
from __future__ import annotations

import unicodedata
from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from perfeval import __version__
from perfeval.read import fidelity
from perfeval.catalogue import CATALOGUE, label, render, severity_label, show
from perfeval.model import FileResult, Finding, Severity
from perfeval.read.workbook import Opened
from perfeval.write.cells import (BOLD, FILLS, HEADER_FILL, LEFT, WRAP, finish_table, fit_to_width, link, put,
                      save_atomically, table)

TITLE = Font(bold=True, size=14)
MARKED = (Severity.ERROR, Severity.WARNING)     # info findings leave the sheet unmarked
AUTHOR = "perfeval"


# ---- the copy ------------------------------------------------------------------------------------

def write(opened: Opened, result: FileResult, path: Path, lang: str = "zh") -> Path:
    """Annotate `opened.workbook` in place and save it as `path`."""
    wb = opened.workbook
    original = opened.original or fidelity.Original("")
    kept = fidelity.carried(wb)                 # before anything of ours is added
    levels = {name: (l1, l2) for name, l1, l2 in result.tree}
    findings = sorted(result.findings, key=lambda f: f.severity.rank)   # stable: position order kept
    ws = wb[result.sheet]
    merged = [(m.min_row, m.max_row, m.min_col, m.max_col, m.start_cell.coordinate) for m in ws.merged_cells.ranges]
    anchors = {f: _anchor(merged, f.cell) if f.cell and f.sheet == result.sheet else None for f in findings}
    _mark(ws, findings, anchors, lang)
    summary = wb.create_sheet(_free_title(wb, label("sheet.summary", lang)), 0)
    listing = wb.create_sheet(_free_title(wb, label("sheet.findings", lang)), 1)
    _findings_sheet(listing, findings, anchors, levels, result.sheet, lang)
    _summary_sheet(summary, result, original, kept, lang)
    _open_on(wb, summary)
    save_atomically(wb, path)
    return path


def _free_title(wb: Workbook, title: str) -> str:
    """`title`, or `title(2)`, ... when the original already has a sheet of that name."""
    taken = {t.casefold() for t in wb.sheetnames}
    n, candidate = 1, title
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{title}({n})"
    return candidate


def _open_on(wb: Workbook, sheet: Worksheet) -> None:
    """Make `sheet` the one the workbook opens on, and the only selected tab (no grouped sheets)."""
    wb.active = wb.index(sheet)
    for other in wb._sheets:
        views = getattr(other, "views", None) or getattr(other, "sheetViews", None)
        for view in views.sheetView if views else ():
            view.tabSelected = other is sheet
    for view in wb.views:
        view.firstSheet = 0


def _anchor(merged: list[tuple[int, int, int, int, str]], cell: str) -> str:
    """The cell that carries a mark: the top-left cell of a merged range, else the cell itself."""
    row, col = coordinate_to_tuple(cell)
    for min_row, max_row, min_col, max_col, top in merged:
        if min_row <= row <= max_row and min_col <= col <= max_col:
            return top
    return cell


# ---- marks on the scoring sheet ------------------------------------------------------------------

def _mark(ws: Worksheet, findings: list[Finding], anchors: dict, lang: str) -> None:
    at: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        if anchors[f]:
            at[anchors[f]].append(f)
    for coordinate, here in at.items():
        worst = min(here, key=lambda f: f.severity.rank).severity
        if worst not in MARKED:
            continue
        cell = ws[coordinate]
        cell.fill = FILLS[worst]
        text = _note(here, lang)
        if cell.comment is not None:       # keep the original's comment below ours
            text += f"\n\n{label('note.original', lang)}（{cell.comment.author or ''}）：\n{cell.comment.text}"
        cell.comment = _comment(text)


def _note(findings: list[Finding], lang: str) -> str:
    parts = [label("note.title", lang, n=len(findings))]
    for i, f in enumerate(findings, start=1):
        lines = [f"{i}.【{severity_label(f.severity, lang)}】{CATALOGUE[f.code].title[lang]}（{f.code}）"]
        if f.indicator:
            lines.append(f"{label('note.indicator', lang)}：{f.indicator}")
        lines.append(render(f, lang))
        lines.append(f"{label('col.entered', lang)}：{show(f.entered)}　"
                     f"{label('col.recomputed', lang)}：{show(f.expected)}")
        lines += _working_lines(f, lang)
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _working_lines(f: Finding, lang: str) -> list[str]:
    if f.working is None:
        return []
    lines = [f"{label('note.formula', lang)}：{f.working.formula}"]
    lines += [f"{label('note.figures', lang)}：{fig.name} = {_plain(fig.value)}（{fig.source}）"
              for fig in f.working.figures]
    return lines


def _plain(value: Decimal) -> str:
    """A figure as it was given (413.905 stays 413.905; 460.00 is 460)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _comment(text: str) -> Comment:
    """A comment box sized to its text (about 30 CJK characters a line)."""
    width = 380
    per_line = width / 6.5                  # half-width characters that fit on one line
    lines = sum(max(1, -(-_display_width(line) // int(per_line))) for line in text.split("\n"))
    return Comment(text, AUTHOR, height=min(900, 18 + 15 * lines), width=width)


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# ---- sheet 复核结果 ------------------------------------------------------------------------------

def _findings_sheet(ws: Worksheet, findings: list[Finding], anchors: dict, levels: dict, sheet: str,
                    lang: str) -> None:
    headers = ["col.no", "col.severity", "col.code", "col.level1", "col.level2", "col.level3", "col.cell",
               "col.entered", "col.recomputed", "col.message", "col.working"]
    table(ws, 1, [label(h, lang) for h in headers], [6, 9, 20, 12, 14, 22, 10, 10, 10, 48, 48])
    for n, f in enumerate(findings, start=1):
        r = n + 1
        level1, level2 = levels.get(f.indicator, (None, None))
        values = [n, severity_label(f.severity, lang), f.code, level1, level2, f.indicator, f.cell or "—",
                  f.entered, f.expected, render(f, lang), "\n".join(_working_lines(f, lang)) or None]
        for c, value in enumerate(values, start=1):
            put(ws, r, c, value, alignment=WRAP)
        if f.severity in FILLS:
            ws.cell(row=r, column=2).fill = FILLS[f.severity]
        if anchors[f]:
            link(ws.cell(row=r, column=7), sheet=sheet, coordinate=anchors[f])
    finish_table(ws, 1, len(headers))


# ---- sheet 汇总 ----------------------------------------------------------------------------------

def _summary_sheet(ws: Worksheet, result: FileResult, original: fidelity.Original,
                   kept: dict[str, int], lang: str) -> None:
    for col, width in zip("ABCDEF", (22, 34, 10, 12, 12, 12)):
        ws.column_dimensions[col].width = width
    fit_to_width(ws)
    put(ws, 1, 1, label("sum.title", lang), font=TITLE)
    project = result.project
    rubric = f"{result.rubric}（{result.rubric_title}）" if result.rubric else label("sum.no_rubric", lang)
    r = _pairs(ws, 3, [
        (label("col.unit", lang), project.unit), (label("col.project", lang), project.name),
        (label("sum.code", lang), project.code), (label("sum.budget", lang), project.budget),
        (label("sum.sheet", lang), result.sheet), (label("col.rubric", lang), rubric)])
    r = _scores(ws, r + 1, result, lang)
    counts = "；".join(f"{severity_label(s, lang)} {result.count(s)}" for s in Severity)
    r = _pairs(ws, r + 1, [(label("sum.counts", lang), counts)])
    losses = [label("sum.lost_n" if n else "sum.lost", lang, n=n, what=label(f"feature.{feature}", lang))
              for feature, n in fidelity.losses(original, kept)]
    losses += [label("sum.reader_note", lang, text=t) for t in fidelity.reader_notes(original)]
    r = _pairs(ws, r, [(label("sum.losses", lang), "\n".join(losses) or label("sum.no_losses", lang))])
    _pairs(ws, r + 1, [
        (label("sum.file", lang), Path(result.path).name), (label("sum.sha256", lang), result.sha256),
        (label("sum.tool", lang), f"perfeval {__version__}"),
        (label("sum.checked_at", lang), datetime.now().astimezone().isoformat(sep=" ", timespec="seconds"))])


def _pairs(ws: Worksheet, row: int, pairs: list[tuple[str, object]]) -> int:
    """Label | value rows (the value spans the table's width); returns the next free row."""
    for key, value in pairs:
        put(ws, row, 1, key, font=BOLD, alignment=WRAP)
        put(ws, row, 2, value if value is not None else "—", alignment=LEFT)
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=6)
        if isinstance(value, str) and "\n" in value:
            ws.row_dimensions[row].height = 15 * (value.count("\n") + 1) + 4
        row += 1
    return row


def _scores(ws: Worksheet, row: int, result: FileResult, lang: str) -> int:
    """Weight, entered, recomputed and difference for every level-1 and level-2 group, total, grade."""
    headers = ["sum.level", "sum.indicator", "sum.weight", "sum.entered", "sum.recomputed", "sum.difference"]
    for c, key in enumerate(headers, start=1):
        put(ws, row, c, label(key, lang), font=BOLD, fill=HEADER_FILL)
    row += 1
    for g in result.groups:
        top = g.level == 1
        name = g.name or label("sum.unplaced", lang)
        put(ws, row, 2, name if top else "　" + name, font=BOLD if top else None)
        row = _value_row(ws, row, label(f"sum.level{g.level}", lang), g.weight, g.entered, g.recomputed, top)
    weights = [g.weight for g in result.groups if g.level == 1]
    total_weight = sum(w for w in weights if w is not None) if weights else None
    row = _value_row(ws, row, label("sum.total", lang), total_weight, result.total_entered,
                     result.total_recomputed, bold=True)
    same = result.grade_entered == result.grade_recomputed
    for c, value in enumerate([label("sum.grade", lang), None, None, result.grade_entered,
                               result.grade_recomputed, label("sum.same" if same else "sum.differs", lang)],
                              start=1):
        put(ws, row, c, value, font=BOLD)
    if not same:
        ws.cell(row=row, column=6).fill = FILLS[Severity.ERROR]
    return row + 1


def _value_row(ws: Worksheet, row: int, first: str, weight, entered, recomputed, bold: bool = False) -> int:
    difference = recomputed - entered if entered is not None and recomputed is not None else None
    put(ws, row, 1, first, font=BOLD if bold else None)
    for c, value in ((3, weight), (4, entered), (5, recomputed), (6, difference)):
        put(ws, row, c, value, font=BOLD if bold else None)
    if difference:
        ws.cell(row=row, column=6).fill = FILLS[Severity.ERROR]
    return row + 1
