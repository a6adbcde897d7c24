"""Paths -> FileResults in worker processes. One bad file never stops the batch; nothing here writes an input."""
from __future__ import annotations

import signal
from collections import deque
from dataclasses import replace
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable, Iterator

from perfeval import catalogue, pipeline
from perfeval.model import FileResult
from perfeval.read.workbook import Opened
from perfeval.write import annotate


def check_file(path: str | Path, rubric_choice: str | None = None, output: Path | None = None,
               lang: str = "zh", fast: bool = False, sha256: str | None = None) -> FileResult:
    """pipeline.check_file, plus the annotated copy written to `output` when one is asked for."""
    finish = None if output is None else (lambda opened, result: _annotated(opened, result, output, lang))
    return pipeline.check_file(path, rubric_choice, fast, finish, sha256)


def _annotated(opened: Opened, result: FileResult, output: Path, lang: str) -> FileResult:
    try:
        annotate.write(opened, result, output, lang)
    except Exception as exc:  # openpyxl cannot write back every workbook it reads
        reason = f"{type(exc).__name__}: {str(exc)[:160]}"
        return replace(result, output_error=catalogue.label("output.failed", lang, reason=reason))
    return replace(result, output=str(output))


def _quiet_worker() -> None:
    """Workers leave Ctrl-C to the parent, which stops after the files in hand."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run(paths: list[Path], rubric_choice: str | None = None, jobs: int = 1,
        outputs: list[Path] | None = None, lang: str = "zh",
        stopped: Callable[[], bool] = lambda: False, fast: bool = False,
        digests: list[str | None] | None = None) -> Iterator[FileResult]:
    """Results in input order; with jobs > 1 the files are checked in worker processes, a few at a
    time, so memory stays flat however many files there are. When `stopped()` turns true, no new
    file is started and the run ends after the files in hand. `digests`: each file's SHA-256 when the
    caller has it already."""
    outputs = outputs or [None] * len(paths)
    work = list(zip(paths, outputs, digests or [None] * len(paths)))
    if jobs <= 1 or len(paths) <= 1:
        for p, out, digest in work:
            if stopped():
                return
            yield check_file(p, rubric_choice, out, lang, fast, digest)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_quiet_worker) as pool:
        window: deque = deque()
        items = iter(work)
        while True:
            while len(window) < 2 * jobs and not stopped():
                item = next(items, None)
                if item is None:
                    break
                window.append(pool.submit(check_file, item[0], rubric_choice, item[1], lang, fast, item[2]))
            if not window:
                return
            yield window.popleft().result()
