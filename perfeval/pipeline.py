"""One workbook in, its result out: read -> recompute -> check. Never raises for a user's file."""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Callable

from perfeval import rubric as rubrics
from perfeval import rubric_selfeval
from perfeval.check import selfeval as selfeval_checks
from perfeval.check import sums as sum_checks
from perfeval.check import table as table_checks
from perfeval.check import text as text_checks
from perfeval.files import skip_reason
from perfeval.model import SheetResult, GroupResult, IndicatorResult, Phrase, Severity, Sheet, Status
from perfeval.numbers import round_half_up
from perfeval.read import sources
from perfeval.read.workbook import Opened, Unreadable, read, read_sheets, sha256_of
from perfeval.score import recompute
from perfeval.score import selfeval as selfeval_score


def evaluate(sheet: Sheet, forced: rubrics.Rubric | None = None,
             available: list[rubrics.Rubric] | None = None) -> tuple[SheetResult, recompute.Recomputation]:
    """recompute -> check for one scoring sheet."""
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
    result = SheetResult(
        path=sheet.path,
        status=Status.FLAGGED if any(f.severity != Severity.INFO for f in findings) else Status.OK,
        sheet=sheet.sheet, rubric=rubric.id if rubric else None, project=sheet.project,
        total_entered=total, total_recomputed=recomputed_total,
        grade_entered=grade_bands.entered(sheet.grade.value) if sheet.grade and sheet.grade.value else None,
        grade_recomputed=grade_bands.grade(band_total),
        findings=tuple(findings),
        indicators=tuple(IndicatorResult(
            p.level1, p.level2, p.name, p.weight, p.row.score.value,
            p.recomputed.expected if p.recomputed and p.recomputed.expected is not None else p.row.score.value,
            p.row.score.cell, (p.row.reason.value or None) if p.row.reason else None) for p in rc.placed),
        title=sheet.title, rubric_title=rubric.title if rubric else None,
        execution_rate=getattr(getattr(rc, "budget", None), "rate", None))
    return replace(result, groups=groups(rc, result.indicators), tree=tree(rc, result.indicators)), rc


def groups(rc: recompute.Recomputation, indicators: tuple[IndicatorResult, ...]) -> tuple[GroupResult, ...]:
    """Level-1 groups in sheet order, each followed by its level-2 groups, with weights and score sums."""
    nested: dict[str | None, dict[str | None, list[IndicatorResult]]] = {}
    for ind in indicators:
        nested.setdefault(ind.level1, {}).setdefault(ind.level2, []).append(ind)
    stated = {(level, name): weight for level, name, weight, _ in rc.sheet.level_weights}

    def group(level: int, name: str | None, parent: str | None, members: list[IndicatorResult]) -> GroupResult:
        known = rc.rubric.group(level, name) if rc.rubric and name else None
        weight = known.weight if known else stated.get((level, name), _sum(i.weight for i in members))
        return GroupResult(level, name, parent, weight, _sum(i.entered for i in members),
                           _sum(i.recomputed for i in members))

    out: list[GroupResult] = []
    for level1, subs in nested.items():
        out.append(group(1, level1, None, [i for members in subs.values() for i in members]))
        out += [group(2, level2, level1, members) for level2, members in subs.items() if level2]
    return tuple(out)


def tree(rc: recompute.Recomputation, indicators: tuple[IndicatorResult, ...]
         ) -> tuple[tuple[str, str | None, str | None], ...]:
    """(indicator, level-1, level-2) for every rubric indicator and every row (the row's placement wins)."""
    placed = {i.name: (i.level1, i.level2) for i in (rc.rubric.indicators if rc.rubric else ())}
    placed.update({i.name: (i.level1, i.level2) for i in indicators})
    return tuple((name, l1, l2) for name, (l1, l2) in placed.items())


def _sum(values) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def _position(cell: str | None) -> tuple[int, str]:
    if not cell:
        return (10**9, "")
    letters = "".join(ch for ch in cell if ch.isalpha())
    digits = "".join(ch for ch in cell if ch.isdigit())
    return (int(digits or 0), letters.rjust(3))


Results = tuple[SheetResult, ...]


def check_file(path: str | Path, rubric_choice: str | None = None, fast: bool = False,
               finish: Callable[[Opened, Results], Results] | None = None,
               sha256: str | None = None, password: sources.Password | None = None) -> Results:
    """One file, never raising: one result per scoring sheet (workbook order), or one result that says
    why the file could not be read. With `fast`, the Sheets alone are read, with python-calamine where
    it can serve. `finish` (the batch's annotated copy) is given the opened workbook and the results,
    and returns the results to report. `sha256` is the file's digest when the caller has it already.
    A .xls/.xlsb/.ods/.et file, or an encrypted one (`password`), is read through a converted or
    decrypted .xlsx (read/sources.py); the results name the user's file and its digest."""
    path = Path(path)
    reason = skip_reason(path)
    if reason:
        return (SheetResult(str(path), Status.SKIPPED, error=reason),)
    try:
        forced = (rubric_selfeval.resolve(rubric_choice) or rubrics.resolve(rubric_choice)) if rubric_choice else None
        with sources.prepared(path, password) as source:
            if source.path != path:
                sha256 = sha256 or sha256_of(path)
            if fast and finish is None:
                return _results(read_sheets(source.path), forced, sha256 or sha256_of(path), path)
            opened = replace(read(source.path, sha256), notes=source.notes)
            results = _results(opened.sheets, forced, opened.original.sha256, path)
            return finish(opened, results) if finish is not None else results
    except Unreadable as exc:
        return unreadable(path, exc.reason)
    except rubrics.RubricError as exc:
        return unreadable(path, str(exc))
    except MemoryError:
        return unreadable(path, Phrase("reason.memory"))
    except Exception as exc:  # the promise: a clear reason, never a traceback
        return (internal_error(path, exc),)


def _results(sheets: list[Sheet], forced, sha256: str, path: Path) -> Results:
    several = len(sheets) > 1
    return tuple(replace(evaluate(s, forced)[0], path=str(path), sha256=sha256, several=several) for s in sheets)


def unreadable(path: str | Path, reason: object) -> Results:
    """The one result of a file that gave none: why it could not be read."""
    return (SheetResult(str(path), Status.UNREADABLE, error=reason),)


def internal_error(path: str | Path, exc: BaseException) -> SheetResult:
    """A bug of ours met on this file: one line saying so, exit code 3, never recorded as final."""
    detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:120]
    return SheetResult(str(path), Status.UNREADABLE, internal=True, error=Phrase("reason.internal", {"error": detail}))
