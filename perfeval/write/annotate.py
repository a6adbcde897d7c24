"""The annotated copy of one workbook: marks on the flagged cells, sheet 复核结果 and sheet 汇总.

It builds a neutral description of the annotation (marks, notes, two new sheets as cells with style
roles) and package.py writes it into a copy of the original package, through a temporary name in the
target folder; the input is never written. It knows nothing of the command line.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from openpyxl.utils.cell import coordinate_to_tuple

from perfeval import __version__
from perfeval.read import fidelity
from perfeval.catalogue import CATALOGUE, label, render, say, severity_label, show, working_text
from perfeval.model import SheetResult, Finding, Severity
from perfeval.numbers import round_half_up
from perfeval.read.workbook import Opened
from perfeval.write import package
from perfeval.write.cells import (BOLD, FILLS, HEADER_FILL, LEFT, TITLE, WRAP, Grid, finish_table, fit_to_width,
                                  link, put, table)

MARKED = (Severity.ERROR, Severity.WARNING)     # info findings leave the sheet unmarked
AUTHOR = "perfeval"


# ---- the copy ------------------------------------------------------------------------------------

def write(opened: Opened, results: tuple[SheetResult, ...], path: Path, lang: str = "zh") -> list[str]:
    """Write the annotated copy of the file `opened` was read from as `path`: the marks of every
    scoring sheet's `results` in one copy (package.py edits the original package; the input is never
    written). Returns the notes that say what the copy could not do as for any other workbook (also on
    its 汇总 sheet)."""
    original = opened.original or fidelity.Original("")
    levels = {(r.sheet, name): (l1, l2) for r in results for name, l1, l2 in r.tree}
    findings, anchors, marks, notes = [], {}, {}, {}
    try:
        with package.Package(Path(opened.source or results[0].path)) as pkg:
            for result in results:
                ordered = sorted(result.findings, key=lambda f: f.severity.rank)    # stable: position order kept
                merged = pkg.merged(result.sheet)
                here = {f: _anchor(merged, f.cell) if f.cell and f.sheet == result.sheet else None for f in ordered}
                marks[result.sheet], notes[result.sheet] = _mark(ordered, here, lang)
                findings += [(result.sheet, f) for f in ordered]
                anchors.update({(result.sheet, f): a for f, a in here.items()})
            summary = Grid(_free_title(pkg.titles, label("sheet.summary", lang)))
            listing = Grid(_free_title(pkg.titles + [summary.title], label("sheet.findings", lang)))
            stated = [say(n, lang) for n in opened.notes]       # converted from .xls, decrypted: said first
            stated += [_copy_note(n, lang) for n in pkg.survey({s: list(m) for s, m in marks.items()})]
            _findings_sheet(listing, findings, anchors, levels, len(results) > 1, lang)
            _summary_sheet(summary, results, original, stated, lang)
            pkg.save(path, package.Edits(
                marks=marks, notes=notes, sheets=[summary, listing], active=0,
                author=AUTHOR, kept="\n\n" + label("note.original_head", lang, label=label("note.original", lang),
                                                 author="{author}") + "\n"))
    except package.Refused as exc:
        raise CopyRefused(label(exc.key, lang, detail=exc.detail)) from None
    return stated


class CopyRefused(Exception):
    """No faithful annotated copy can be made of this file; str() says why, in the chosen language."""


def _copy_note(note: package.Note, lang: str) -> str:
    return label(note.key, lang, sheet=note.sheet, cells="、".join(note.cells) if lang == "zh" else
                 ", ".join(note.cells))


def _free_title(taken: list[str], title: str) -> str:
    """`title`, or `title(2)`, ... when the original already has a sheet of that name."""
    lower = {t.casefold() for t in taken}
    n, candidate = 1, title
    while candidate.casefold() in lower:
        n += 1
        candidate = f"{title}({n})"
    return candidate


def _anchor(merged: list[tuple[int, int, int, int, str]], cell: str) -> str:
    """The cell that carries a mark: the top-left cell of a merged range, else the cell itself."""
    row, col = coordinate_to_tuple(cell)
    for min_row, max_row, min_col, max_col, top in merged:
        if min_row <= row <= max_row and min_col <= col <= max_col:
            return top
    return cell


# ---- marks on the scoring sheet ------------------------------------------------------------------

def _mark(findings: list[Finding], anchors: dict, lang: str) -> tuple[dict[str, str], dict[str, str]]:
    """{cell: mark} and {cell: note} for every cell with an error or warning finding."""
    at: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        if anchors[f]:
            at[anchors[f]].append(f)
    marked, notes = {}, {}
    for coordinate, here in at.items():
        worst = min(here, key=lambda f: f.severity.rank).severity
        if worst not in MARKED:
            continue
        marked[coordinate] = FILLS[worst]
        notes[coordinate] = _note(here, lang)
    return marked, notes


def _note(findings: list[Finding], lang: str) -> str:
    parts = [label("note.title", lang, n=len(findings))]
    for i, f in enumerate(findings, start=1):
        lines = [label("note.head", lang, i=i, severity=severity_label(f.severity, lang),
                       title=CATALOGUE[f.code].title[lang], code=f.code)]
        if f.indicator:
            lines.append(label("note.line", lang, label=label("note.indicator", lang), value=f.indicator))
        lines.append(render(f, lang))
        lines.append(label("note.scores", lang, entered=label("col.entered", lang), entered_value=show(f.entered),
                           recomputed=label("col.recomputed", lang), recomputed_value=show(f.expected)))
        lines += _working_lines(f, lang)
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _working_lines(f: Finding, lang: str) -> list[str]:
    if f.working is None:
        return []
    lines = [label("note.line", lang, label=label("note.formula", lang), value=working_text(f.working, lang))]
    lines += [label("note.line", lang, label=label("note.figures", lang), value=label(
        "note.figure", lang, name=fig.name, value=_plain(fig.value), source=say(fig.source, lang)))
        for fig in f.working.figures]
    return lines


def _plain(value: Decimal) -> str:
    """A figure as it was given (413.905 stays 413.905; 460.00 is 460)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# ---- sheet 复核结果 ------------------------------------------------------------------------------

def _findings_sheet(ws: Grid, findings: list[tuple[str, Finding]], anchors: dict, levels: dict, several: bool,
                    lang: str) -> None:
    """One row per finding of every scoring sheet; with several sheets the cell names its sheet."""
    headers = ["col.no", "col.severity", "col.code", "col.level1", "col.level2", "col.level3", "col.cell",
               "col.entered", "col.recomputed", "col.message", "col.working"]
    table(ws, 1, [label(h, lang) for h in headers], [6, 9, 20, 12, 14, 22, 10, 10, 10, 48, 48])
    for n, (sheet, f) in enumerate(findings, start=1):
        r = n + 1
        level1, level2 = levels.get((sheet, f.indicator), (None, None))
        cell = f"{f.sheet or sheet}!{f.cell}" if several and f.cell else f.cell or "—"
        values = [n, severity_label(f.severity, lang), f.code, level1, level2, f.indicator, cell,
                  f.entered, f.expected, render(f, lang), "\n".join(_working_lines(f, lang)) or None]
        for c, value in enumerate(values, start=1):
            put(ws, r, c, value, alignment=WRAP)
        if f.severity in FILLS:
            ws.cell(r, 2).fill = FILLS[f.severity]
        if anchors[(sheet, f)]:
            link(ws, r, 7, sheet=sheet, coordinate=anchors[(sheet, f)])
    finish_table(ws, 1, len(headers))


# ---- sheet 汇总 ----------------------------------------------------------------------------------

def _summary_sheet(ws: Grid, results: tuple[SheetResult, ...], original: fidelity.Original, stated: list[str],
                   lang: str) -> None:
    """One block per scoring sheet (project, scores by group, total, grade, counts), then what the copy
    carries and the file's facts once."""
    for col, width in enumerate((22, 34, 10, 12, 12, 12), start=1):
        ws.widths[col] = width
    fit_to_width(ws)
    put(ws, 1, 1, label("sum.title", lang), font=TITLE)
    r = 3
    for result in results:
        r = _project_block(ws, r, result, lang) + 1
    losses = [label("sum.lost_n" if n else "sum.lost", lang, n=n, what=label(f"feature.{feature}", lang))
              for feature, n in fidelity.losses(original)]
    r = _pairs(ws, r - 1, [(label("sum.losses", lang), "\n".join(losses) or label("sum.no_losses", lang)),
                           (label("sum.copy_notes", lang), "\n".join(stated) or label("sum.no_copy_notes", lang))])
    _pairs(ws, r + 1, [
        (label("sum.file", lang), Path(results[0].path).name), (label("sum.sha256", lang), results[0].sha256),
        (label("sum.tool", lang), f"perfeval {__version__}"),
        (label("sum.checked_at", lang), datetime.now().astimezone().isoformat(sep=" ", timespec="seconds"))])


def _project_block(ws: Grid, r: int, result: SheetResult, lang: str) -> int:
    project = result.project
    rubric = label("sum.rubric", lang, id=result.rubric, title=result.rubric_title) if result.rubric \
        else label("sum.no_rubric", lang)
    r = _pairs(ws, r, [
        (label("col.unit", lang), project.unit), (label("col.project", lang), project.name),
        (label("sum.code", lang), project.code), (label("sum.budget", lang), project.budget),
        (label("sum.sheet", lang), result.sheet), (label("col.rubric", lang), rubric)])
    r = _scores(ws, r + 1, result, lang)
    counts = label("sum.next", lang).join(f"{severity_label(s, lang)} {result.count(s)}" for s in Severity)
    return _pairs(ws, r + 1, [(label("sum.counts", lang), counts)])


def _pairs(ws: Grid, row: int, pairs: list[tuple[str, object]]) -> int:
    """Label | value rows (the value spans the table's width); returns the next free row."""
    for key, value in pairs:
        put(ws, row, 1, key, font=BOLD, alignment=WRAP)
        put(ws, row, 2, value if value is not None else "—", alignment=LEFT)
        ws.merges.append(f"B{row}:F{row}")
        if isinstance(value, str) and "\n" in value:
            ws.heights[row] = 15 * (value.count("\n") + 1) + 4
        row += 1
    return row


def _scores(ws: Grid, row: int, result: SheetResult, lang: str) -> int:
    """Weight, entered, recomputed and difference for every level-1 and level-2 group, total, grade."""
    headers = ["sum.level", "sum.indicator", "sum.weight", "sum.entered", "sum.recomputed", "sum.difference"]
    for c, key in enumerate(headers, start=1):
        put(ws, row, c, label(key, lang), font=BOLD, fill=HEADER_FILL)
    row += 1
    for g in result.groups:
        top = g.level == 1
        name = g.name or label("sum.unplaced", lang)
        put(ws, row, 2, name if top else label("sum.indent", lang) + name, font=BOLD if top else None)
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
        ws.cell(row, 6).fill = FILLS[Severity.ERROR]
    return row + 1


def _value_row(ws: Grid, row: int, first: str, weight, entered, recomputed, bold: bool = False) -> int:
    difference = recomputed - entered if entered is not None and recomputed is not None else None
    put(ws, row, 1, first, font=BOLD if bold else None)
    for c, value in ((3, weight), (4, entered), (5, recomputed), (6, difference)):
        put(ws, row, c, value, font=BOLD if bold else None)
    if difference and round_half_up(difference, 2):      # a difference the cell shows as 0.00 is none
        ws.cell(row, 6).fill = FILLS[Severity.ERROR]
    return row + 1
