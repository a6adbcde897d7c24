"""Writers chosen from a dict: each turns FileResults into one output format. No format logic elsewhere."""
from __future__ import annotations

import json
from datetime import datetime
from dataclasses import asdict
from decimal import Decimal
from collections import Counter
from typing import Iterable, TextIO

from perfeval import catalogue
from perfeval.model import Figure, FileResult, Finding, Severity, Working
from perfeval.numbers import fmt as fmt_number, round_half_up

JSON_VERSION = 1


def number(value: object) -> object:
    """Decimal -> a plain JSON number (2 places, half-up); other values as they are."""
    if isinstance(value, Decimal):
        d = round_half_up(value, 2).normalize()
        return int(d) if d == d.to_integral_value() else float(d)
    return value


def working_dict(working: Working | None) -> dict | None:
    if working is None:
        return None
    return {"formula": working.formula, "figures": [figure_dict(f) for f in working.figures]}


def exact(value: Decimal) -> int | float:
    """A figure as it stands in its source cell (413.905 stays 413.905), as a plain JSON number."""
    return int(value) if value == value.to_integral_value() else float(value)


def figure_dict(f: Figure) -> dict:
    out = {"name": f.name, "value": exact(f.value), "source": f.source}
    if f.low is not None:               # a rough figure (约444.2万元, 2016年9月) and the range it stands for
        out.update(low=exact(f.low), high=exact(f.high))
    return out


def finding_dict(f: Finding, lang: str) -> dict:
    return {"code": f.code, "severity": f.severity.value, "sheet": f.sheet, "cell": f.cell,
            "indicator": f.indicator, "entered": number(f.entered), "expected": number(f.expected),
            "message": catalogue.render(f, lang), "working": working_dict(f.working)}


def file_dict(r: FileResult, lang: str) -> dict:
    project = asdict(r.project)
    project.pop("budget_cell", None)
    project["budget"] = number(project["budget"])
    return {
        "path": r.path, "status": r.status, "error": r.error, "sheet": r.sheet, "rubric": r.rubric,
        "project": project,
        "total": {"entered": number(r.total_entered), "recomputed": number(r.total_recomputed)},
        "grade": {"entered": r.grade_entered, "recomputed": r.grade_recomputed},
        "output": r.output,
        "findings": [finding_dict(f, lang) for f in r.findings],
    }


def text_line(r: FileResult, f: Finding, lang: str) -> str:
    where = f"{r.path}:{f.cell}" if f.cell else r.path
    indicator = f" {f.indicator}:" if f.indicator else ":"
    return f"{where} [{f.severity.value}] {f.code}{indicator} {catalogue.render(f, lang)}"


def text_lines(r: FileResult, lang: str) -> list[str]:
    """The lines one file contributes to the text report."""
    if r.status in ("unreadable", "skipped"):
        label = {"unreadable": ("无法读取", "unreadable"), "skipped": ("已跳过", "skipped")}[r.status]
        return [f"{r.path}: [{r.status}] {label[0] if lang == 'zh' else label[1]}: {r.error}"]
    lines = [text_line(r, f, lang) for f in r.findings]
    if r.output_error:
        lines.append(f"{r.path}: {r.output_error}")
    return lines


class Tally:
    """Counts over a batch, kept as results stream by (no result is held)."""

    def __init__(self) -> None:
        self.files = 0
        self.status = Counter()
        self.severity = Counter()
        self.output_errors = 0

    def add(self, r: FileResult) -> None:
        self.files += 1
        self.status[r.status] += 1
        self.severity.update(f.severity for f in r.findings)
        self.output_errors += bool(r.output_error)

    def line(self, lang: str) -> str:
        n, sev = self.status, self.severity
        if lang == "en":
            return (f"{self.files} files: {n['ok']} ok, {n['flagged']} flagged, {n['unreadable']} unreadable, "
                    f"{n['skipped']} skipped; {sev[Severity.ERROR]} errors, {sev[Severity.WARNING]} warnings, "
                    f"{sev[Severity.INFO]} notes")
        return (f"共 {self.files} 个文件：{n['ok']} 个无问题，{n['flagged']} 个有问题，{n['unreadable']} 个无法读取，"
                f"{n['skipped']} 个已跳过；错误 {sev[Severity.ERROR]} 处，警告 {sev[Severity.WARNING]} 处，"
                f"提示 {sev[Severity.INFO]} 处")


class TextReport:
    """One line per finding as each file finishes, then one summary line."""

    def __init__(self, out: TextIO, lang: str):
        self.out, self.lang, self.tally = out, lang, Tally()

    def add(self, r: FileResult) -> None:
        self.tally.add(r)
        for line in text_lines(r, self.lang):
            self.out.write(line + "\n")
        self.out.flush()

    def close(self) -> None:
        self.out.write(self.tally.line(self.lang) + "\n")


class JsonReport:
    """The version-1 document, written file by file."""

    def __init__(self, out: TextIO, lang: str):
        self.out, self.lang, self.tally = out, lang, Tally()
        self.out.write(f'{{"version": {JSON_VERSION},\n "files": [')

    def add(self, r: FileResult) -> None:
        if self.tally.files:
            self.out.write(",")
        self.tally.add(r)
        self.out.write("\n  " + json.dumps(file_dict(r, self.lang), ensure_ascii=False))

    def close(self) -> None:
        self.out.write("\n ]}\n")


WRITERS: dict[str, type] = {
    "text": TextReport,
    "json": JsonReport,
}


def write(fmt: str, results: Iterable[FileResult], out: TextIO, lang: str = "zh") -> Tally:
    report = WRITERS[fmt](out, lang)
    for r in results:
        report.add(r)
    report.close()
    return report.tally


def log_line(r: FileResult, lang: str) -> str:
    """One line per file for `watch`: time, file, status, total, grade, counts."""
    status = catalogue.label(f"status.{r.status}", lang)
    parts = [datetime.now().strftime("%Y-%m-%d %H:%M:%S"), r.path, status]
    if r.status in ("ok", "flagged"):
        words = ("合计", "等级", "错误", "警告", "提示") if lang == "zh" else ("total", "grade", "errors", "warnings",
                                                                          "notes")
        parts += [f"{words[0]} {fmt_number(r.total_entered)}→{fmt_number(r.total_recomputed)}",
                  f"{words[1]} {r.grade_entered or '—'}/{r.grade_recomputed or '—'}",
                  f"{words[2]} {r.count(Severity.ERROR)} {words[3]} {r.count(Severity.WARNING)} "
                  f"{words[4]} {r.count(Severity.INFO)}"]
    else:
        parts.append(r.error or "")
    return "  ".join(parts)
