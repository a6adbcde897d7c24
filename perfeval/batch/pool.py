"""Paths -> SheetResults in worker processes. One bad file never stops the batch; nothing here writes an input.

Each file has a budget: wall time (Budget.seconds) and memory (Budget.memory, a worker-side
RLIMIT_AS above what the worker holds when it starts). A file past its time is `unreadable` with that
reason and its worker is killed and replaced; past its memory, the worker's MemoryError makes it
`unreadable` (a worker that dies outright is replaced the same way). Workers die with their parent:
PR_SET_PDEATHSIG where Linux has it, and a thread that watches the parent's pid everywhere, so a
`kill -9` of the main process leaves no worker behind holding its stdout.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass, replace
from multiprocessing.connection import wait
from pathlib import Path
from typing import Callable, Iterator

from perfeval import pipeline
from perfeval.model import Phrase
from perfeval.pipeline import Results, unreadable
from perfeval.read.sources import Password
from perfeval.read.workbook import Opened
from perfeval.write import annotate


@dataclass(frozen=True)
class Budget:
    seconds: float = 60.0                # wall time of one file (a real sheet takes well under 1 s)
    memory: int = 1024 * 2**20           # address space one file may add to its worker


DEFAULT = Budget()


def check_file(path: str | Path, rubric_choice: str | None = None, output: Path | None = None,
               lang: str = "zh", fast: bool = False, sha256: str | None = None,
               password: Password | None = None) -> Results:
    """pipeline.check_file, plus the annotated copy written to `output` when one is asked for."""
    finish = None if output is None else (lambda opened, results: _annotated(opened, results, output, lang))
    return pipeline.check_file(path, rubric_choice, fast, finish, sha256, password)


def _annotated(opened: Opened, results: Results, output: Path, lang: str) -> Results:
    """Every scoring sheet's result says where the one copy of its workbook went, or why it did not."""
    try:
        notes = annotate.write(opened, results, output, lang)
    except annotate.CopyRefused as exc:      # a package no faithful copy can be made of: its reason
        failed = Phrase("output.failed", {"reason": str(exc)})
    except Exception as exc:
        failed = Phrase("output.failed", {"reason": f"{type(exc).__name__}: {str(exc)[:160]}"})
    else:
        return tuple(replace(r, output=str(output), output_notes=tuple(notes)) for r in results)
    return tuple(replace(r, output_error=failed) for r in results)


def overtime(path: Path, budget: Budget) -> Results:
    return unreadable(path, Phrase("reason.timeout", {"seconds": f"{budget.seconds:g}"}))


def died(path: Path, code: int | None) -> Results:
    return unreadable(path, Phrase("reason.worker_died", {"code": code}))


# ---- worker side ---------------------------------------------------------------------------------

def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)     # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)
    threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:          # the parent died before prctl took hold
        os._exit(1)


def _limit_memory(extra: int) -> None:
    try:
        import resource
        with open("/proc/self/statm") as fh:
            held = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (held + extra, resource.getrlimit(resource.RLIMIT_AS)[1]))
    except (ImportError, OSError, ValueError):
        pass                            # no /proc or no RLIMIT_AS: the wall-time budget still holds


def _serve(conn, parent: int, memory: int) -> None:
    """A worker: one file at a time, until the pipe closes or the parent dies."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)         # Ctrl-C is the parent's: it stops after the files in hand
    _die_with_parent(parent)
    _limit_memory(memory)
    try:
        _loop(conn)
    except BaseException:       # out of memory even to report it: the parent sees the pipe close and says why
        os._exit(70)


def _loop(conn) -> None:
    while True:
        try:
            args = conn.recv()
        except (EOFError, OSError):
            return
        if args is None:
            return
        try:
            results = check_file(*args)
        except MemoryError:
            results = unreadable(args[0], Phrase("reason.memory"))
        try:
            conn.send(results)
        except MemoryError:
            conn.send(unreadable(args[0], Phrase("reason.memory")))


# ---- parent side ---------------------------------------------------------------------------------

class _Worker:
    def __init__(self, ctx, budget: Budget):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, os.getpid(), budget.memory), daemon=True)
        self.process.start()
        child.close()
        self.task: tuple[int, Path, float] | None = None     # index, path, deadline

    def give(self, index: int, path: Path, args: tuple, seconds: float) -> None:
        self.task = (index, path, time.monotonic() + seconds)
        self.conn.send(args)

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                self.process.kill()
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def run(paths: list[Path], rubric_choice: str | None = None, jobs: int = 1,
        outputs: list[Path] | None = None, lang: str = "zh",
        stopped: Callable[[], bool] = lambda: False, fast: bool = False,
        digests: list[str | None] | None = None, budget: Budget = DEFAULT,
        password: Password | None = None) -> Iterator[Results]:
    """Each file's results (one per scoring sheet) in input order; with jobs > 1 the files are checked in worker processes, a few at a
    time, so memory stays flat however many files there are. When `stopped()` turns true, no new
    file is started and the run ends after the files in hand. `digests`: each file's SHA-256 when the
    caller has it already. `password` opens encrypted files (it travels to the workers, never shown)."""
    outputs = outputs or [None] * len(paths)
    work = [(p, (p, rubric_choice, out, lang, fast, digest, password))
            for p, out, digest in zip(paths, outputs, digests or [None] * len(paths))]
    if jobs <= 1 or len(paths) <= 1:
        for path, args in work:
            if stopped():
                return
            yield _in_process(path, args, budget)
        return
    yield from _pooled(work, jobs, stopped, budget)


def _pooled(work: list, jobs: int, stopped: Callable[[], bool], budget: Budget) -> Iterator[Results]:
    ctx = multiprocessing.get_context()
    workers = [_Worker(ctx, budget) for _ in range(min(jobs, len(work)))]
    done: dict[int, Results] = {}
    given = emitted = 0
    try:
        while True:
            for w in workers:
                if w.task is None and given < len(work) and given < emitted + 2 * jobs and not stopped():
                    w.give(given, work[given][0], work[given][1], budget.seconds)
                    given += 1
            while emitted in done:
                yield done.pop(emitted)
                emitted += 1
            busy = [w for w in workers if w.task is not None]
            if not busy:
                if given >= len(work) or stopped():
                    return
                continue
            timeout = max(0.0, min(w.task[2] for w in busy) - time.monotonic())
            ready = wait([w.conn for w in busy], timeout)
            for i, w in enumerate(workers):
                if w.task is None:
                    continue
                index, path, deadline = w.task
                if w.conn in ready:
                    try:
                        done[index] = w.conn.recv()
                        w.task = None
                        continue
                    except (EOFError, OSError):
                        w.process.join(1)
                        done[index] = died(path, w.process.exitcode)
                elif time.monotonic() >= deadline:
                    done[index] = overtime(path, budget)
                else:
                    continue
                w.stop(kill=True)                   # its file is over budget or it died: a fresh worker
                workers[i] = _Worker(ctx, budget)
    finally:
        for w in workers:
            w.stop(kill=w.task is not None)


class _Overtime(BaseException):
    """Raised by the timer in the main thread: not an Exception, so the pipeline cannot swallow it."""


def _in_process(path: Path, args: tuple, budget: Budget) -> Results:
    """--jobs 1: the file is checked here; its wall time is bounded by a timer where signals can be
    used (the main thread of a POSIX process). Memory is bounded only in workers."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        return check_file(*args)

    def ring(signum, frame):
        raise _Overtime()
    previous = signal.signal(signal.SIGALRM, ring)
    try:
        signal.setitimer(signal.ITIMER_REAL, budget.seconds)
        try:
            return check_file(*args)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Overtime:
        return overtime(path, budget)
    finally:
        signal.signal(signal.SIGALRM, previous)
