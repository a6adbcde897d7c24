"""Paths -> FileResults. One bad file never stops the batch; nothing here writes an input."""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Iterator

from . import checks, recompute, rubric as rubrics
from .model import FileResult, IndicatorResult, Severity, Sheet
from .numbers import round_half_up
from .reader import Opened, Unreadable, read, read_sheet

EXTENSIONS = (".xlsx", ".xlsm")


def is_skipped_name(path: Path) -> bool:
    """Office lock files (~$x.xlsx) and hidden files (.x.xlsx)."""
    return path.name.startswith(("~$", "."))


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, folders searched (sorted) for .xlsx/.xlsm; hidden folders are not entered."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = []
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [Path(root) / f for f in files if f.lower().endswith(EXTENSIONS)]
            out += sorted(found)
        else:
            out.append(p)
    return out


def builtin_rubrics() -> list[rubrics.Rubric]:
    """The built-in rubrics, parsed again only when a rubric file changed (a parse costs milliseconds)."""
    global _builtin
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size)
                  for p in sorted((rubrics.templates_dir() / "rubrics").glob("*.toml")))
    if _builtin is None or _builtin[0] != stamp:
        _builtin = (stamp, rubrics.builtin())
    return _builtin[1]


_builtin: tuple[tuple, list[rubrics.Rubric]] | None = None


def evaluate(opened: Opened | Sheet, forced: rubrics.Rubric | None = None,
             available: list[rubrics.Rubric] | None = None) -> tuple[FileResult, recompute.Recomputation]:
    """read -> recompute -> check for one opened workbook (or a Sheet read without one)."""
    sheet = opened.sheet if isinstance(opened, Opened) else opened
    rubric = forced or rubrics.match(sheet.title, [r.name for r in sheet.rows],
                                     available if available is not None else builtin_rubrics())
    rc = recompute.run(sheet, rubric)
    findings = sorted(checks.run(rc), key=lambda f: (f.severity.rank, _position(f.cell)))
    total = sheet.total.value if sheet.total else None
    recomputed_total = rc.total()
    band_total = recomputed_total
    if total is not None and sheet.total.places < 2:
        band_total = round_half_up(recomputed_total, sheet.total.places)
    grade_bands = checks.bands(rc)
    result = FileResult(
        path=sheet.path,
        status="flagged" if any(f.severity != Severity.INFO for f in findings) else "ok",
        sheet=sheet.sheet, rubric=rubric.id if rubric else None, project=sheet.project,
        total_entered=total, total_recomputed=recomputed_total,
        grade_entered=checks.entered_grade(sheet.grade.value, grade_bands) if sheet.grade and sheet.grade.value
        else None,
        grade_recomputed=checks.band_of(band_total, grade_bands) if grade_bands else None,
        findings=tuple(findings),
        indicators=tuple(IndicatorResult(
            p.level1, p.level2, p.name, p.weight, p.row.score.value,
            p.recomputed.expected if p.recomputed and p.recomputed.expected is not None else p.row.score.value,
            p.row.score.cell, (p.row.reason.value or None) if p.row.reason else None) for p in rc.placed),
        title=sheet.title)
    return result, rc


def _position(cell: str | None) -> tuple[int, str]:
    if not cell:
        return (10**9, "")
    letters = "".join(ch for ch in cell if ch.isalpha())
    digits = "".join(ch for ch in cell if ch.isdigit())
    return (int(digits or 0), letters.rjust(3))


def check_file(path: str | Path, rubric_choice: str | None = None, fast: bool = False) -> FileResult:
    """One file, never raising: unreadable files come back with their reason.

    fast: read the Sheet alone (python-calamine where it can serve), for results that need no workbook.
    """
    path = Path(path)
    if is_skipped_name(path):
        return FileResult(str(path), "skipped", error="Office 临时锁定文件或隐藏文件，已跳过")
    try:
        forced = rubrics.resolve(rubric_choice) if rubric_choice else None
        result, _ = evaluate(read_sheet(path) if fast else read(path), forced)
        return result
    except Unreadable as exc:
        return FileResult(str(path), "unreadable", error=str(exc))
    except rubrics.RubricError as exc:
        return FileResult(str(path), "unreadable", error=str(exc))
    except MemoryError:
        return FileResult(str(path), "unreadable", error="文件过大，内存不足以读取")
    except Exception as exc:  # the promise: a clear reason, never a traceback
        return FileResult(str(path), "unreadable",
                          error=f"处理时出现内部错误（{type(exc).__name__}: {str(exc)[:120]}），请将此文件报告给维护人员")


def run(paths: list[Path], rubric_choice: str | None = None, jobs: int = 1,
        fast: bool = False) -> Iterator[FileResult]:
    """Results in input order; with jobs > 1 the files are checked in worker processes."""
    if jobs <= 1 or len(paths) <= 1:
        for p in paths:
            yield check_file(p, rubric_choice, fast)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(check_file, paths, [rubric_choice] * len(paths), [fast] * len(paths),
                            chunksize=16 if fast else 4)


def exit_code(results: list[FileResult]) -> int:
    if any(r.status == "unreadable" for r in results):
        return 2
    if any(f.severity == Severity.ERROR for r in results for f in r.findings):
        return 1
    return 0
