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
from perfeval.write.selection import EVERYTHING, Selection

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


def text_lines(r: FileResult, lang: str, verbose: bool = True) -> list[str]:
    """The lines one file contributes to the text report: one per error and warning; info findings
    one line each when `verbose`, else one line for the file (a single one is shown whole)."""
    if r.status in ("unreadable", "skipped"):
        label = {"unreadable": ("无法读取", "unreadable"), "skipped": ("已跳过", "skipped")}[r.status]
        return [f"{r.path}: [{r.status}] {label[0] if lang == 'zh' else label[1]}: {r.error}"]
    infos = [f for f in r.findings if f.severity == Severity.INFO]
    shown = r.findings if verbose or len(infos) < 2 else [f for f in r.findings if f.severity != Severity.INFO]
    lines = [text_line(r, f, lang) for f in shown]
    if len(shown) < len(r.findings):
        lines.append(info_line(r.path, infos, lang))
    if r.output_error:
        lines.append(f"{r.path}: {r.output_error}")
    return lines


def info_line(path: str, infos: list[Finding], lang: str) -> str:
    """`a.xlsx: [info] inputs-missing: 13 处：缺少重算所需数据，未重算（加 -v 逐条列出）`, or for several
    codes `a.xlsx: [info] 提示 15 处：inputs-missing 13、total-rounded 2（加 -v 逐条列出）`."""
    codes = Counter(f.code for f in infos)
    if len(codes) == 1:
        code = next(iter(codes))
        return f"{path}: [info] {code}: " + catalogue.label(
            "report.infos_one", lang, n=len(infos), title=catalogue.CATALOGUE[code].title[lang])
    listed = catalogue.label("report.list_sep", lang).join(f"{c} {n}" for c, n in codes.items())
    return f"{path}: [info] " + catalogue.label("report.infos", lang, n=len(infos), codes=listed)


class Tally:
    """Counts over a batch, kept as results stream by (no result is held)."""

    def __init__(self) -> None:
        self.files = 0
        self.status = Counter()
        self.severity = Counter()
        self.output_errors = 0
        self.ignored = Counter()            # findings the selection left out, per code

    def add(self, r: FileResult, ignored: Counter | None = None) -> None:
        self.ignored.update(ignored or {})
        self.files += 1
        self.status[r.status] += 1
        self.severity.update(f.severity for f in r.findings)
        self.output_errors += bool(r.output_error)

    def line(self, lang: str) -> str:
        ignored = sum(self.ignored.values())
        tail = catalogue.label("report.ignored", lang, n=ignored, codes=catalogue.label("report.list_sep", lang).join(
            sorted(self.ignored))) if ignored else ""
        return self._counts(lang) + tail

    def _counts(self, lang: str) -> str:
        n, sev = self.status, self.severity
        if lang == "en":
            return (f"{self.files} files: {n['ok']} ok, {n['flagged']} flagged, {n['unreadable']} unreadable, "
                    f"{n['skipped']} skipped; {sev[Severity.ERROR]} errors, {sev[Severity.WARNING]} warnings, "
                    f"{sev[Severity.INFO]} notes")
        return (f"共 {self.files} 个文件：{n['ok']} 个无问题，{n['flagged']} 个有问题，{n['unreadable']} 个无法读取，"
                f"{n['skipped']} 个已跳过；错误 {sev[Severity.ERROR]} 处，警告 {sev[Severity.WARNING]} 处，"
                f"提示 {sev[Severity.INFO]} 处")


class Report:
    """What every format shares: the selection applied to each result, the tally kept."""

    def __init__(self, out: TextIO, lang: str, verbosity: int = 0, selection: Selection = EVERYTHING):
        self.out, self.lang, self.verbosity, self.selection, self.tally = out, lang, verbosity, selection, Tally()

    def add(self, r: FileResult) -> None:
        shown, ignored = self.selection.apply(r)
        self.tally.add(shown, ignored)
        self.emit(shown, ignored)

    def emit(self, r: FileResult, ignored: Counter) -> None:
        raise NotImplementedError


class TextReport(Report):
    """One line per error and warning as each file finishes, info findings summed up per file (all
    of them with verbosity 1), then one summary line; verbosity -1 (quiet) prints the summary alone."""

    def emit(self, r: FileResult, ignored: Counter) -> None:
        if self.verbosity < 0:
            return
        for line in text_lines(r, self.lang, verbose=self.verbosity > 0):
            self.out.write(line + "\n")
        self.out.flush()

    def close(self) -> None:
        self.out.write(self.tally.line(self.lang) + "\n")


class JsonReport(Report):
    """The version-1 document, written file by file; every finding the selection shows, whatever the
    verbosity. `ignored` counts, per code, the findings the selection left out."""

    def __init__(self, out: TextIO, lang: str, verbosity: int = 0, selection: Selection = EVERYTHING):
        super().__init__(out, lang, verbosity, selection)
        self.out.write(f'{{"version": {JSON_VERSION},\n "files": [')

    def emit(self, r: FileResult, ignored: Counter) -> None:
        if self.tally.files > 1:
            self.out.write(",")
        self.out.write("\n  " + json.dumps(file_dict(r, self.lang), ensure_ascii=False))

    def close(self) -> None:
        self.out.write("\n ],\n \"ignored\": " + json.dumps(dict(sorted(self.tally.ignored.items()))) + "}\n")


WRITERS: dict[str, type] = {
    "text": TextReport,
    "json": JsonReport,
}


def write(fmt: str, results: Iterable[FileResult], out: TextIO, lang: str = "zh", verbosity: int = 0,
          selection: Selection = EVERYTHING) -> Tally:
    report = WRITERS[fmt](out, lang, verbosity, selection)
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
