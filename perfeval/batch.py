"""Paths -> FileResults. One bad file never stops the batch; nothing here writes an input."""
from __future__ import annotations

import os
import signal
from collections import deque
from dataclasses import replace
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import annotate, checks, codes, recompute, rubric as rubrics, textchecks
from .model import FileResult, IndicatorResult, Severity, Sheet
from .numbers import round_half_up
from .reader import Opened, Unreadable, read, read_sheet

EXTENSIONS = (".xlsx", ".xlsm")


def is_skipped_name(path: Path) -> bool:
    """Office lock files (~$x.xlsx) and hidden files (.x.xlsx)."""
    return path.name.startswith(("~$", "."))


def expand(paths: Iterable[str | Path], skip: Path | None = None) -> list[Path]:
    """Files as given, folders searched (sorted) for .xlsx/.xlsm; hidden folders and the folder `skip`
    (where outputs go) are not entered."""
    out: list[Path] = []
    skipped = skip.resolve() if skip else None
    for p in map(Path, paths):
        if p.is_dir():
            found = []
            for root, dirs, files in os.walk(p):
                if skipped and Path(root).resolve() == skipped:
                    dirs[:] = []
                    continue
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [Path(root) / f for f in files if f.lower().endswith(EXTENSIONS)]
            out += sorted(found)
        else:
            out.append(p)
    return out


def evaluate(opened: Opened | Sheet, forced: rubrics.Rubric | None = None,
             available: list[rubrics.Rubric] | None = None) -> tuple[FileResult, recompute.Recomputation]:
    """read -> recompute -> check for one opened workbook (or a Sheet read without one)."""
    sheet = opened.sheet if isinstance(opened, Opened) else opened
    rubric = forced or rubrics.match(sheet.title, [r.name for r in sheet.rows],
                                     available if available is not None else rubrics.builtin())
    rc = recompute.run(sheet, rubric)
    findings = sorted([*checks.run(rc), *textchecks.run(rc)], key=lambda f: (f.severity.rank, _position(f.cell)))
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


def check_file(path: str | Path, rubric_choice: str | None = None, output: Path | None = None,
               lang: str = "zh", fast: bool = False) -> FileResult:
    """One file, never raising: unreadable files come back with their reason. With `output`, the
    annotated copy is written there; if that fails, the result keeps its findings and says why.
    With `fast` (no output), the Sheet alone is read, with python-calamine where it can serve."""
    path = Path(path)
    if is_skipped_name(path):
        return FileResult(str(path), "skipped", error="Office 临时锁定文件或隐藏文件，已跳过")
    try:
        forced = rubrics.resolve(rubric_choice) if rubric_choice else None
        if fast and output is None:
            return evaluate(read_sheet(path), forced)[0]
        opened = read(path)
        result, rc = evaluate(opened, forced)
        return _annotated(opened, result, rc, output, lang) if output is not None else result
    except Unreadable as exc:
        return FileResult(str(path), "unreadable", error=str(exc))
    except rubrics.RubricError as exc:
        return FileResult(str(path), "unreadable", error=str(exc))
    except MemoryError:
        return FileResult(str(path), "unreadable", error="文件过大，内存不足以读取")
    except Exception as exc:  # the promise: a clear reason, never a traceback
        return FileResult(str(path), "unreadable",
                          error=f"处理时出现内部错误（{type(exc).__name__}: {str(exc)[:120]}），请将此文件报告给维护人员")


def _annotated(opened: Opened, result: FileResult, rc: recompute.Recomputation, output: Path, lang: str) -> FileResult:
    try:
        annotate.write(opened, result, rc, output, lang)
    except Exception as exc:  # openpyxl cannot write back every workbook it reads
        reason = f"{type(exc).__name__}: {str(exc)[:160]}"
        return replace(result, output_error=codes.label("output.failed", lang, reason=reason))
    return replace(result, output=str(output))


def _quiet_worker() -> None:
    """Workers leave Ctrl-C to the parent, which stops after the files in hand."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run(paths: list[Path], rubric_choice: str | None = None, jobs: int = 1,
        outputs: list[Path] | None = None, lang: str = "zh",
        stopped: Callable[[], bool] = lambda: False, fast: bool = False) -> Iterator[FileResult]:
    """Results in input order; with jobs > 1 the files are checked in worker processes, a few at a
    time, so memory stays flat however many files there are. When `stopped()` turns true, no new
    file is started and the run ends after the files in hand."""
    outputs = outputs or [None] * len(paths)
    work = list(zip(paths, outputs))
    if jobs <= 1 or len(paths) <= 1:
        for p, out in work:
            if stopped():
                return
            yield check_file(p, rubric_choice, out, lang, fast)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_quiet_worker) as pool:
        window: deque = deque()
        items = iter(work)
        while True:
            while len(window) < 2 * jobs and not stopped():
                item = next(items, None)
                if item is None:
                    break
                window.append(pool.submit(check_file, item[0], rubric_choice, item[1], lang, fast))
            if not window:
                return
            yield window.popleft().result()
