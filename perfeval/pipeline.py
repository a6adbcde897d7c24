"""One workbook in, its result out: read -> recompute -> check. Never raises for a user's file."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from perfeval import rubric as rubrics
from perfeval import rubric_selfeval
from perfeval.check import selfeval as selfeval_checks
from perfeval.check import sums as sum_checks
from perfeval.check import table as table_checks
from perfeval.check import text as text_checks
from perfeval.files import is_skipped_name
from perfeval.model import FileResult, IndicatorResult, Severity, Sheet
from perfeval.numbers import round_half_up
from perfeval.read.workbook import Opened, Unreadable, read, read_sheet
from perfeval.score import recompute
from perfeval.score import selfeval as selfeval_score


def evaluate(opened: Opened | Sheet, forced: rubrics.Rubric | None = None,
             available: list[rubrics.Rubric] | None = None) -> tuple[FileResult, recompute.Recomputation]:
    """read -> recompute -> check for one opened workbook (or a Sheet read without one)."""
    sheet = opened.sheet if isinstance(opened, Opened) else opened
    if sheet.layout is not None:        # a 项目支出绩效自评表: its own family of rubrics and checks
        rubric = forced if isinstance(forced, rubric_selfeval.SelfEvalRubric) else \
            next(r for r in rubric_selfeval.builtin() if r.id == sheet.layout)
        rc = selfeval_score.run(sheet, rubric)
        found = selfeval_checks.run(rc)
    else:
        rubric = forced if isinstance(forced, rubrics.Rubric) else rubrics.match(
            sheet.title, [r.name for r in sheet.rows], available if available is not None else rubrics.builtin())
        rc = recompute.run(sheet, rubric)
        found = [*table_checks.run(rc), *text_checks.run(rc)]
    findings = sorted([*found, *sum_checks.run(rc)], key=lambda f: (f.severity.rank, _position(f.cell)))
    total = sheet.total.value if sheet.total else None
    recomputed_total = rc.total()
    band_total = recomputed_total
    if total is not None and sheet.total.places < 2:
        band_total = round_half_up(recomputed_total, sheet.total.places)
    grade_bands = table_checks.bands(rc)
    result = FileResult(
        path=sheet.path,
        status="flagged" if any(f.severity != Severity.INFO for f in findings) else "ok",
        sheet=sheet.sheet, rubric=rubric.id if rubric else None, project=sheet.project,
        total_entered=total, total_recomputed=recomputed_total,
        grade_entered=table_checks.entered_grade(sheet.grade.value, grade_bands) if sheet.grade and sheet.grade.value
        else None,
        grade_recomputed=table_checks.band_of(band_total, grade_bands) if grade_bands else None,
        findings=tuple(findings),
        indicators=tuple(IndicatorResult(
            p.level1, p.level2, p.name, p.weight, p.row.score.value,
            p.recomputed.expected if p.recomputed and p.recomputed.expected is not None else p.row.score.value,
            p.row.score.cell, (p.row.reason.value or None) if p.row.reason else None) for p in rc.placed),
        title=sheet.title, execution_rate=getattr(getattr(rc, "budget", None), "rate", None))
    return result, rc


def _position(cell: str | None) -> tuple[int, str]:
    if not cell:
        return (10**9, "")
    letters = "".join(ch for ch in cell if ch.isalpha())
    digits = "".join(ch for ch in cell if ch.isdigit())
    return (int(digits or 0), letters.rjust(3))


def check_file(path: str | Path, rubric_choice: str | None = None, fast: bool = False,
               finish: Callable[[Opened, FileResult, recompute.Recomputation], FileResult] | None = None
               ) -> FileResult:
    """One file, never raising: unreadable files come back with their reason. With `fast`, the Sheet
    alone is read, with python-calamine where it can serve. `finish` (the batch's annotated copy) is
    given the opened workbook, the result and its recomputation, and returns the result to report."""
    path = Path(path)
    if is_skipped_name(path):
        return FileResult(str(path), "skipped", error="Office 临时锁定文件或隐藏文件，已跳过")
    try:
        forced = (rubric_selfeval.resolve(rubric_choice) or rubrics.resolve(rubric_choice)) if rubric_choice else None
        if fast and finish is None:
            return evaluate(read_sheet(path), forced)[0]
        opened = read(path)
        result, rc = evaluate(opened, forced)
        return finish(opened, result, rc) if finish is not None else result
    except Unreadable as exc:
        return FileResult(str(path), "unreadable", error=str(exc))
    except rubrics.RubricError as exc:
        return FileResult(str(path), "unreadable", error=str(exc))
    except MemoryError:
        return FileResult(str(path), "unreadable", error="文件过大，内存不足以读取")
    except Exception as exc:  # the promise: a clear reason, never a traceback
        return FileResult(str(path), "unreadable",
                          error=f"处理时出现内部错误（{type(exc).__name__}: {str(exc)[:120]}），请将此文件报告给维护人员")
