"""The batch commands as functions: `check` and `watch` take plain values, do the work and return the
exit code; cli.py only parses options into them. The exit-code contract lives here."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Iterator, TextIO

from perfeval.read.sources import Password
from perfeval.batch import pool
from perfeval.catalogue import label, say
from perfeval.batch.outbox import Outbox
from perfeval.files import expand
from perfeval.model import Severity
from perfeval.pipeline import Results
from perfeval.write import formats, summary
from perfeval.write.formats import Tally
from perfeval.write.selection import EVERYTHING, Selection

Progress = Callable[[Iterator[Results], int], Iterable[Results]]


class UsageProblem(ValueError):
    """The command was asked for something it cannot do (the message says what); exit code 2."""


INTERNAL = 3


def exit_code(tally: Tally) -> int:
    """0 no error-level finding and every file read; 1 some error finding; 2 some file unreadable or
    some output not written; 3 an internal error (a bug of ours, never a user's file)."""
    if tally.internal:
        return INTERNAL
    if tally.status["unreadable"] or tally.output_errors:
        return 2
    return 1 if tally.severity[Severity.ERROR] else 0


def check(paths: Iterable[str | Path], out: Path | None, stdout: TextIO, fmt: str = "text", jobs: int = 1,
          force: bool = False, rubric: str | None = None, lang: str = "zh",
          progress: Progress = lambda results, total: results, warn: Callable[[str], None] = print,
          verbosity: int = 0, selection: Selection = EVERYTHING, password: Password | None = None) -> int:
    """Check every workbook under `paths`, report on `stdout` (`verbosity` -1 quiet, 0, 1 verbose; the
    findings `selection` shows); with `out`, keep annotated copies, summary.xlsx and the ledger there."""
    files = expand(paths, skip=out)
    if out is None:
        results = (r for rs in progress(pool.run(files, rubric, jobs, lang=lang, password=password), len(files))
                   for r in rs)
        return exit_code(formats.write(fmt, results, stdout, lang, verbosity, selection))
    try:
        out.mkdir(parents=True, exist_ok=True)
        box = Outbox(out, rubric, lang, force, password=password)
    except OSError as exc:
        raise UsageProblem(str(exc)) from None
    with box:
        try:
            box.outputs(files)
        except ValueError as exc:           # an output would overwrite an input: a Phrase says which
            raise UsageProblem(say(exc.args[0], lang) if exc.args else str(exc)) from None
        results = (r for rs in progress((rs for rs, _ in box.process(files, jobs)), len(files)) for r in rs)
        code = exit_code(formats.write(fmt, results, stdout, lang, verbosity, selection))
        if box.changed or not (out / summary.NAME).exists():
            try:
                box.write_summary()
            except OSError as exc:
                warn(f"{out / summary.NAME}: {exc}")
                code = max(code, 2)
    return code


def watch(inbox: Path, outbox: Path, log: Callable[[str], None], once: bool = False, poll: float | None = None,
          settle: float = 2.0, jobs: int = 1, force: bool = False, rubric: str | None = None,
          lang: str = "zh", selection: Selection = EVERYTHING, password: Password | None = None) -> None:
    """Check every complete workbook dropped into `inbox`, copies and ledger in `outbox`, until stopped;
    each file's log line counts the findings `selection` shows."""
    from perfeval.batch import watch as watching       # watchdog: imported only by the command that needs it
    inbox_r, outbox_r = inbox.resolve(), outbox.resolve()
    if inbox_r == outbox_r or inbox_r in outbox_r.parents or outbox_r in inbox_r.parents:
        raise UsageProblem(label("watch.nested", lang))
    with Outbox(outbox, rubric, lang, force, inbox=inbox, password=password) as box:
        def process(paths: list[Path], stopped: Callable[[], bool]) -> None:
            for results, fresh in box.process(paths, jobs, stopped):
                for r in results if fresh else ():
                    log(formats.log_line(selection.apply(r)[0], lang))
            if box.changed:
                box.write_summary()

        watching.watch(inbox, process, once=once, poll=poll, settle=settle, log=log, lang=lang)
