"""OUTBOX/perfeval.db: every processed file, its result, every indicator and finding (SQLite).

A file is known by the SHA-256 of its content. The same content is not processed again unless the
tool version or the rubrics changed (the `key`), or the caller forces it. The schema carries its
version in `PRAGMA user_version` and migrates forward; rows round-trip to SheetResult exactly
(Decimals are stored as text).
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import astuple, replace
import sqlite3
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Iterator, NamedTuple

from perfeval import __version__
from perfeval.model import SheetResult, Figure, Finding, GroupResult, IndicatorResult, Phrase, Project, Severity, Working
from perfeval.rubric import templates_dir

MIGRATIONS: list[str] = [
    # 1: checks, their indicators and findings
    """
    CREATE TABLE checks (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL,
        path TEXT NOT NULL,
        checked_at TEXT NOT NULL,
        tool_version TEXT NOT NULL,
        rubric_key TEXT NOT NULL,
        rubric TEXT, status TEXT NOT NULL, error TEXT, sheet TEXT,
        unit TEXT, code TEXT, name TEXT, budget TEXT, budget_cell TEXT,
        total_entered TEXT, total_recomputed TEXT, grade_entered TEXT, grade_recomputed TEXT,
        output TEXT, output_error TEXT
    );
    CREATE INDEX checks_key ON checks (sha256, tool_version, rubric_key);
    CREATE INDEX checks_path ON checks (path);
    CREATE TABLE indicators (
        check_id INTEGER NOT NULL REFERENCES checks (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        level1 TEXT, level2 TEXT, name TEXT NOT NULL,
        weight TEXT, entered TEXT, recomputed TEXT, cell TEXT
    );
    CREATE INDEX indicators_check ON indicators (check_id);
    CREATE TABLE findings (
        check_id INTEGER NOT NULL REFERENCES checks (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        code TEXT NOT NULL, severity TEXT NOT NULL, sheet TEXT, cell TEXT, indicator TEXT,
        entered TEXT, expected TEXT, data TEXT NOT NULL
    );
    CREATE INDEX findings_check ON findings (check_id);
    """,
    # 2: the sheet's title (the roll-up reads the year from it) and each indicator's 扣分理由
    """
    ALTER TABLE checks ADD COLUMN title TEXT;
    ALTER TABLE indicators ADD COLUMN reason TEXT;
    """,
    # 3: the rest of the result record: the rubric's title, the group rows and the indicator tree (JSON)
    """
    ALTER TABLE checks ADD COLUMN rubric_title TEXT;
    ALTER TABLE checks ADD COLUMN groups TEXT;
    ALTER TABLE checks ADD COLUMN tree TEXT;
    """,
    # 4: a workbook holds several scoring sheets: the rows of one check of one file share `file_check`,
    # the id of the first of them (a check before this version has one row, its own); a 自评表's
    # recomputed 执行率, for the roll-up's 执行率分布
    """
    ALTER TABLE checks ADD COLUMN execution_rate TEXT;
    ALTER TABLE checks ADD COLUMN file_check INTEGER;
    UPDATE checks SET file_check = id;
    CREATE INDEX checks_file ON checks (file_check);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)
# the rows of the latest check of every path: every scoring sheet of that check
LATEST = ("SELECT id FROM checks WHERE file_check IN (SELECT MAX(file_check) FROM checks GROUP BY path)")


def rubric_key(choice: str | None) -> str:
    """What the result depends on besides the file: the rubric choice and every rubric's content."""
    digest = hashlib.sha256((choice or "auto").encode())
    paths = sorted((templates_dir() / "rubrics").glob("*.toml"))
    if choice and Path(choice).suffix == ".toml" and Path(choice).exists():
        paths.append(Path(choice))
    for p in paths:
        digest.update(p.name.encode() + b"\0" + p.read_bytes())
    return digest.hexdigest()[:16]


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _undec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _pack(value: object) -> object:
    """JSON-safe, with Decimals tagged so they come back as Decimals (and Phrases as Phrases)."""
    if isinstance(value, Decimal):
        return {"$d": str(value)}
    if isinstance(value, Phrase):
        return _pack(value.to_data())
    if isinstance(value, dict):
        return {k: _pack(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_pack(v) for v in value]
    return value


def _unpack(value: dict) -> object:
    """json object_hook: a Decimal tagged by _pack comes back as a Decimal."""
    if "$p" in value:
        return Phrase.from_data(value)
    return Decimal(value["$d"]) if len(value) == 1 and "$d" in value else value


def _words(words: object) -> str | None:
    """A reason for the ledger's text column: a Phrase as its JSON, so it renders in any language later."""
    return json.dumps(words.to_data(), ensure_ascii=False) if isinstance(words, Phrase) else words


def words_from_text(text: str | None) -> object:
    """A reason as the ledger keeps it: a Phrase (its JSON) or text."""
    return Phrase.from_data(json.loads(text)) if text and text.startswith('{"$p"') else text


def _finding_data(f: Finding) -> str:
    working = None
    if f.working is not None:
        working = {"steps": list(f.working.steps), "result": f.working.result,
                   "figures": [[x.name, x.value, x.source] for x in f.working.figures]}
    return json.dumps(_pack({"entered": f.entered, "expected": f.expected, "params": f.params,
                             "working": working}), ensure_ascii=False)


def _finding(row: sqlite3.Row) -> Finding:
    data = json.loads(row["data"], object_hook=_unpack)
    working = None
    if data["working"] is not None:
        w = data["working"]
        steps = tuple(w["steps"]) if "steps" in w else (Phrase("step.expr", {"text": w["formula"]}),)
        working = Working(steps, tuple(Figure(n, v, s) for n, v, s in w["figures"]), w.get("result"))
    return Finding(row["code"], Severity(row["severity"]), row["sheet"], row["cell"], row["indicator"],
                   data["entered"], data["expected"], data["params"], working)


class Ledger:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=30)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode = WAL")
        # WAL with synchronous NORMAL: a killed process never loses or tears a committed row; only a
        # power cut may lose the last few, which the next run then simply redoes
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute("PRAGMA foreign_keys = ON")
        self.migrate()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise RuntimeError(f"{self.path} 由更新版本的 perfeval 创建（结构版本 {version}），请升级 perfeval")
        for number in range(version, SCHEMA_VERSION):
            with self.db:
                self.db.executescript(MIGRATIONS[number])
                self.db.execute(f"PRAGMA user_version = {number + 1}")

    def done(self, sha256: str, key: str, version: str = __version__,
             path: str | None = None) -> tuple[SheetResult, ...] | None:
        """The latest check of this content under this tool version and rubric key (one result per
        scoring sheet), if any; that of `path` first, when the same content sits under several names."""
        row = self.db.execute(
            "SELECT file_check FROM checks WHERE sha256 = ? AND tool_version = ? AND rubric_key = ? "
            "ORDER BY path = ? DESC, id DESC LIMIT 1", (sha256, version, key, path)).fetchone()
        if row is None:
            return None
        rows = self.db.execute("SELECT * FROM checks WHERE file_check = ? ORDER BY id", (row[0],)).fetchall()
        return tuple(replace(self._result(r), several=len(rows) > 1) for r in rows)

    def record(self, sha256: str, key: str, results: tuple[SheetResult, ...], checked_at: datetime | None = None,
               version: str = __version__) -> int:
        """Store one check of one file (a result per scoring sheet) in one transaction: all or none.
        Returns the check's `file_check` id."""
        checked_at = checked_at or datetime.now(timezone.utc)
        first = None
        with self.db:
            for result in results:
                check_id = self._insert(sha256, key, result, checked_at, version)
                first = first or check_id
                self.db.execute("UPDATE checks SET file_check = ? WHERE id = ?", (first, check_id))
        return first

    def _insert(self, sha256: str, key: str, result: SheetResult, checked_at: datetime, version: str) -> int:
        p = result.project
        cur = self.db.execute(
            "INSERT INTO checks (sha256, path, checked_at, tool_version, rubric_key, rubric, status, error,"
            " sheet, unit, code, name, budget, budget_cell, total_entered, total_recomputed, grade_entered,"
            " grade_recomputed, output, output_error, title, rubric_title, groups, tree, execution_rate)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (sha256, result.path, checked_at.isoformat(timespec="seconds"), version, key, result.rubric,
             result.status.value, _words(result.error), result.sheet, p.unit, p.code, p.name, _dec(p.budget),
             p.budget_cell, _dec(result.total_entered), _dec(result.total_recomputed), result.grade_entered,
             result.grade_recomputed, result.output, _words(result.output_error), result.title, result.rubric_title,
             json.dumps(_pack([astuple(g) for g in result.groups]), ensure_ascii=False),
             json.dumps(result.tree, ensure_ascii=False), _dec(result.execution_rate)))
        check_id = cur.lastrowid
        self.db.executemany(
            "INSERT INTO indicators (check_id, position, level1, level2, name, weight, entered, recomputed,"
            " cell, reason) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [(check_id, i, x.level1, x.level2, x.name, _dec(x.weight), _dec(x.entered), _dec(x.recomputed),
              x.cell, x.reason) for i, x in enumerate(result.indicators)])
        self.db.executemany(
            "INSERT INTO findings (check_id, position, code, severity, sheet, cell, indicator, entered, expected,"
            " data) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [(check_id, i, f.code, f.severity.value, f.sheet, f.cell, f.indicator,
              str(f.entered) if f.entered is not None else None,
              str(f.expected) if f.expected is not None else None, _finding_data(f))
             for i, f in enumerate(result.findings)])
        return check_id

    def results(self) -> Iterator[SheetResult]:
        """The results of the latest check of every path ever checked (one per scoring sheet), in path
        order, one at a time."""
        ids = self.db.execute(f"SELECT id, file_check FROM checks WHERE id IN ({LATEST}) ORDER BY path, id").fetchall()
        sheets = Counter(file_check for _, file_check in ids)
        for check_id, file_check in ids:
            row = self.db.execute("SELECT * FROM checks WHERE id = ?", (check_id,)).fetchone()
            yield replace(self._result(row), several=sheets[file_check] > 1)

    def latest_rows(self) -> LatestRows:
        """The latest check of every path as plain rows, read in one snapshot, for reports over thousands
        of checks (a SheetResult each would cost more than the report itself): see LatestRows."""
        latest = LATEST
        self.db.execute("PRAGMA mmap_size = 268435456")
        self.db.execute("BEGIN")                  # one snapshot while a watcher writes
        try:
            checks = [_check_row(r) for r in self.db.execute(
                f"SELECT * FROM checks WHERE id IN ({latest}) ORDER BY path, id")]
            plain = self.db.cursor()
            plain.row_factory = None                # tuples: a Row each costs more than the report
            counts = {check_id: tuple(n) for check_id, *n in plain.execute(
                "SELECT check_id, SUM(severity = 'error'), SUM(severity = 'warning'), SUM(severity = 'info') "
                f"FROM findings WHERE check_id IN ({latest}) GROUP BY check_id")}
            indicators = plain.execute(
                "SELECT check_id, level1, level2, name, weight, recomputed, reason FROM indicators "
                f"WHERE check_id IN ({latest}) ORDER BY check_id, position").fetchall()
            findings = [(r["check_id"], _finding(r)) for r in self.db.execute(
                f"SELECT * FROM findings WHERE check_id IN ({latest}) AND severity != 'info' "
                "ORDER BY check_id, position")]
        finally:
            self.db.execute("ROLLBACK")
        return LatestRows(checks, counts, indicators, findings)

    def _result(self, row: sqlite3.Row) -> SheetResult:
        indicators = tuple(
            IndicatorResult(r["level1"], r["level2"], r["name"], _undec(r["weight"]), _undec(r["entered"]),
                            _undec(r["recomputed"]), r["cell"], r["reason"])
            for r in self.db.execute("SELECT * FROM indicators WHERE check_id = ? ORDER BY position", (row["id"],)))
        findings = tuple(_finding(r) for r in self.db.execute(
            "SELECT * FROM findings WHERE check_id = ? ORDER BY position", (row["id"],)))
        return SheetResult(
            path=row["path"], status=row["status"], error=words_from_text(row["error"]), sheet=row["sheet"], rubric=row["rubric"],
            project=Project(row["unit"], row["code"], row["name"], _undec(row["budget"]), row["budget_cell"]),
            total_entered=_undec(row["total_entered"]), total_recomputed=_undec(row["total_recomputed"]),
            grade_entered=row["grade_entered"], grade_recomputed=row["grade_recomputed"],
            findings=findings, indicators=indicators, output=row["output"], output_error=words_from_text(row["output_error"]),
            title=row["title"], sha256=row["sha256"], rubric_title=row["rubric_title"],
            groups=tuple(GroupResult(*g) for g in json.loads(row["groups"] or "[]", object_hook=_unpack)),
            tree=tuple(tuple(x) for x in json.loads(row["tree"] or "[]")),
            execution_rate=_undec(row["execution_rate"]))


class CheckRow(NamedTuple):
    """One recorded check, without its indicators and findings."""
    id: int
    path: str
    sheet: str | None
    status: str
    error: object                # a reason: Phrase (key and params) or text
    title: str | None
    checked_at: datetime
    rubric: str | None
    project: Project
    total_entered: Decimal | None
    total_recomputed: Decimal | None
    grade_entered: str | None
    grade_recomputed: str | None
    execution_rate: Decimal | None


def _check_row(r: sqlite3.Row) -> CheckRow:
    return CheckRow(r["id"], r["path"], r["sheet"], r["status"], words_from_text(r["error"]), r["title"], datetime.fromisoformat(r["checked_at"]), r["rubric"],
                    Project(r["unit"], r["code"], r["name"], _undec(r["budget"]), r["budget_cell"]),
                    _undec(r["total_entered"]), _undec(r["total_recomputed"]), r["grade_entered"],
                    r["grade_recomputed"], _undec(r["execution_rate"]))


class LatestRows(NamedTuple):
    checks: list[CheckRow]                      # in path order
    counts: dict[int, tuple[int, int, int]]     # check id -> numbers of errors, warnings, infos
    indicators: list[tuple]                     # (check id, level1, level2, name, weight, recomputed, reason)
    findings: list[tuple[int, Finding]]         # (check id, finding) of every error and warning
