"""The output folder kept across runs: annotated copies, summary.xlsx and the ledger perfeval.db.

`check --out` and `watch` both go through `Outbox.process`: a file whose content (SHA-256) was already
checked under this tool version and these rubrics is not checked again (unless forced); everything
else is checked, its annotated copy put in place atomically, and only then recorded, each file in its
own transaction (a file whose copy could not be written is retried by the next run). A run killed at any moment leaves no half-written output, and the next run redoes
exactly the files that were not recorded.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterator

from perfeval.files import skip_reason, sweep
from perfeval.batch import names, pool
from perfeval.batch import ledger
from perfeval.write import summary
from perfeval.model import Status
from perfeval.pipeline import Results
from perfeval.read.sources import Password, awaits_password
from perfeval.read.workbook import sha256_of

DB_NAME = "perfeval.db"
STALE = ".perfeval-summary-stale"      # summary.xlsx lags the ledger (a run died before rewriting it)


class Outbox:
    def __init__(self, folder: Path, rubric_choice: str | None = None, lang: str = "zh", force: bool = False,
                 inbox: Path | None = None, password: Password | None = None):
        """`inbox`: the drop folder whose layout the copies mirror (watch); else copies sit side by side."""
        self.folder, self.inbox = Path(folder), inbox
        self.folder.mkdir(parents=True, exist_ok=True)
        self.rubric_choice, self.lang, self.force, self.password = rubric_choice, lang, force, password
        self.key = ledger.rubric_key(rubric_choice)
        self.ledger = ledger.Ledger(self.folder / DB_NAME)
        self.changed = (self.folder / STALE).exists()     # a run died before rewriting summary.xlsx
        sweep(self.folder)

    def close(self) -> None:
        self.ledger.close()

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def outputs(self, paths: list[Path]) -> list[Path]:
        """Where each input's annotated copy goes. Raises ValueError when one would overwrite an input."""
        if self.inbox is not None:
            return [names.mirrored_path(p, self.inbox, self.folder) for p in paths]
        return names.output_paths(paths, self.folder, reserved=(summary.NAME, DB_NAME))

    def process(self, paths: list[Path], jobs: int = 1,
                stopped: Callable[[], bool] = lambda: False) -> Iterator[tuple[Results, bool]]:
        """(each file's results, checked now?) in input order: from the ledger where the content is
        known, else checked now."""
        outputs = self.outputs(paths)
        known: dict[int, Results] = {}
        digests: list[str | None] = []
        for i, path in enumerate(paths):
            digest = None if skip_reason(path) else _digest(path)      # never opens a FIFO
            digests.append(digest)
            stored = self.ledger.done(digest, self.key, path=str(path)) if digest and not self.force else None
            if stored is not None and stored[0].status in (Status.OK, Status.FLAGGED) and not (
                    stored[0].output and Path(stored[0].output).exists()):
                stored = None                        # its copy failed or was deleted: make it again
            if stored is not None:
                known[i] = stored
        todo = [i for i in range(len(paths)) if i not in known]
        fresh = pool.run([paths[i] for i in todo], self.rubric_choice, jobs, [outputs[i] for i in todo],
                         self.lang, stopped, digests=[digests[i] for i in todo], password=self.password)
        for i, path in enumerate(paths):
            if i in known:
                stored = known[i]
                if stored[0].path != str(path):               # same content dropped under another name
                    stored = tuple(replace(r, path=str(path)) for r in stored)
                    self._record(digests[i], stored)
                yield stored, False
                continue
            results = next(fresh, None)
            if results is None:                               # stopped before this file
                return
            yield results, True
            # final only now that the report took it: a report that fails on a result never leaves a
            # row that makes every later run fail the same way; an internal error is never final, nor
            # a file that waits for its password (the next run may give it)
            if digests[i] is not None and results[0].status != Status.SKIPPED and not any(r.internal for r in results) \
                    and not awaits_password(results[0]):
                self._record(digests[i], results)

    def _record(self, digest: str, results: Results) -> None:
        self._stale()
        self.ledger.record(digest, self.key, results)
        self.changed = True

    def _stale(self) -> None:
        """Mark summary.xlsx out of date until it is rewritten: a run that dies before rewriting it
        leaves the mark, and the next run rewrites it even when it has nothing new to check."""
        try:
            (self.folder / STALE).touch()
        except OSError:
            pass

    def write_summary(self) -> Path:
        """summary.xlsx over every file this folder's ledger holds (the latest result of each path)."""
        self.changed = False
        written = summary.write(self.ledger.results(), self.folder / summary.NAME, self.lang)
        (self.folder / STALE).unlink(missing_ok=True)
        return written


def _digest(path: Path) -> str | None:
    try:
        return sha256_of(path)
    except OSError:
        return None
