"""perfeval watch INBOX --out OUTBOX: check every new or changed workbook dropped into INBOX.

Native file events (watchdog) only wake the loop early; every pass scans INBOX itself, so a missed
event costs a poll interval, never a file. `--poll` uses watchdog's PollingObserver (network shares),
and polling is the fallback when native events are unavailable. Ctrl-C (or SIGTERM) stops cleanly
after the file in hand. INBOX is never written.
"""
from __future__ import annotations

import signal
import threading
import time
from pathlib import Path
from typing import Callable

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from perfeval import catalogue
from perfeval.batch.inbox import Inbox, Waiting


class _Wake(FileSystemEventHandler):
    def __init__(self, event: threading.Event):
        self.event = event

    def on_any_event(self, event) -> None:
        self.event.set()


def start_observer(root: Path, poll: float | None, wake: threading.Event, log: Callable[[str], None],
                   lang: str = "zh"):
    """A running watchdog observer: native events unless --poll, polling where native ones fail."""
    handler = _Wake(wake)
    if poll is None:
        observer = Observer()
        try:
            observer.schedule(handler, str(root), recursive=True)
            observer.start()
            return observer
        except OSError as exc:
            log(catalogue.label("watch.polling", lang, reason=exc))
            poll = 2.0
    observer = PollingObserver(timeout=poll)
    observer.schedule(handler, str(root), recursive=True)
    observer.start()
    return observer


class Stopper:
    """Turns SIGINT/SIGTERM into a flag the loop reads between files; it also wakes the loop."""

    def __init__(self, wake: threading.Event) -> None:
        self.event = threading.Event()
        self.wake = wake
        self._old: dict[int, object] = {}

    def __enter__(self) -> Stopper:
        for sig in (signal.SIGINT, signal.SIGTERM):
            self._old[sig] = signal.signal(sig, self._handle)
        return self

    def _handle(self, signum, frame) -> None:
        self.event.set()
        self.wake.set()

    def __exit__(self, *exc) -> None:
        for sig, old in self._old.items():
            signal.signal(sig, old)

    @property
    def stopped(self) -> bool:
        return self.event.is_set()


def watch(inbox: Path, process: Callable[[list[Path], Callable[[], bool]], None], *, once: bool = False,
          poll: float | None = None, settle: float = 2.0, log: Callable[[str], None] = print,
          lang: str = "zh") -> None:
    """Hand every complete new or changed file to `process(paths, stopped)` until stopped.

    `process` checks the files in order, records each, and returns early when `stopped()` is true.
    """
    box = Inbox(inbox, settle=settle)
    if once:
        run_once(box, process, log, lang)
        return
    wake = threading.Event()
    with Stopper(wake) as stopper:
        observer = start_observer(inbox, poll, wake, log, lang)
        log(catalogue.label("watch.watching", lang, path=inbox))
        try:
            while not stopper.stopped:
                ready = box.ready()
                if ready:
                    process(ready, lambda: stopper.stopped)
                wake.clear()
                if not stopper.stopped:     # an event, Ctrl-C, or the settle interval wakes the next pass
                    wake.wait(timeout=max(0.2, min(settle, poll or settle)))
        finally:
            observer.stop()
            observer.join(timeout=5)
        log(catalogue.label("watch.stopped", lang))


def run_once(box: Inbox, process: Callable[[list[Path], Callable[[], bool]], None],
             log: Callable[[str], None] = print, lang: str = "zh", sleep: Callable[[float], None] = time.sleep,
             patience: float | None = None) -> list[Waiting]:
    """One pass for cron: check what is complete, wait out the settle interval of files still young
    (a copy that keeps changing is waited for `patience` seconds at most: 3 x settle + 5 by default),
    check those too, then name the files left for the next run and why. Returns those files."""
    patience = 3 * box.settle + 5 if patience is None else patience
    waited, told = 0.0, False
    while True:
        ready, waiting = box.scan()
        if ready:
            process(ready, lambda: False)
        young = [w for w in waiting if w.reason == "young"]
        if not young or waited >= patience:
            break
        pause = min(max(w.left for w in young) + 0.05, patience - waited)
        if not told:
            log(catalogue.label("watch.waiting", lang, n=len(young), seconds=f"{pause:.0f}"))
            told = True
        sleep(pause)
        waited += pause
    for w in waiting:
        log(catalogue.label(f"watch.left_{w.reason}", lang, path=w.path))
    return waiting
