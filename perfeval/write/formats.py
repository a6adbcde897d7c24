"""Writers chosen from a dict: each turns SheetResults into one output format. No format logic elsewhere."""
from __future__ import annotations

import json
from datetime import datetime
from dataclasses import asdict
from decimal import Decimal
from collections import Counter
from typing import Iterable, TextIO

from perfeval import catalogue
from perfeval.model import Figure, SheetResult, Finding, Severity, Status, Working
from perfeval.numbers import fmt as fmt_number, plain
from perfeval.pipeline import internal_error
from perfeval.write.selection import EVERYTHING, Selection

JSON_VERSION = 1


def number(value: object) -> object:
    """Decimal -> a plain JSON number (2 places, half-up); other values as they are."""
    if isinstance(value, Decimal):
        return plain(value, 2)
    return value


def working_dict(working: Working | None, lang: str) -> dict | None:
    if working is None:
        return None
    return {"formula": catalogue.working_text(working, lang),
            "figures": [figure_dict(f, lang) for f in working.figures]}


def exact(value: Decimal) -> int | float:
    """A figure as it stands in its source cell (413.905 stays 413.905), as a plain JSON number."""
    return plain(value, None)


def figure_dict(f: Figure, lang: str) -> dict:
    out = {"name": f.name, "value": exact(f.value), "source": catalogue.say(f.source, lang)}
    if f.low is not None:               # a rough figure (约444.2万元, 2016年9月) and the range it stands for
        out.update(low=exact(f.low), high=exact(f.high))
    return out


def finding_dict(f: Finding, lang: str) -> dict:
    return {"code": f.code, "severity": f.severity.value, "sheet": f.sheet, "cell": f.cell,
            "indicator": f.indicator, "entered": number(f.entered), "expected": number(f.expected),
            "message": catalogue.render(f, lang), "working": working_dict(f.working, lang)}


def file_dict(r: SheetResult, lang: str) -> dict:
    project = asdict(r.project)
    project.pop("budget_cell", None)
    project["budget"] = number(project["budget"])
    out = {
        "path": r.path, "status": r.status.value, "error": _words(r.error, lang), "sheet": r.sheet, "rubric": r.rubric,
        "project": project,
        "total": {"entered": number(r.total_entered), "recomputed": number(r.total_recomputed)},
        "grade": {"entered": r.grade_entered, "recomputed": r.grade_recomputed},
        "output": r.output,
        "findings": [finding_dict(f, lang) for f in r.findings],
    }
    if r.output_notes:              # only when the annotated copy has something to say about itself
        out["output_notes"] = list(r.output_notes)
    return out


def _words(words: object, lang: str) -> str | None:
    return None if words is None else catalogue.say(words, lang)


def text_line(r: SheetResult, f: Finding, lang: str) -> str:
    where = f"{r.where}:{f.cell}" if f.cell else r.where
    indicator = f" {f.indicator}:" if f.indicator else ":"
    return f"{where} [{f.severity.value}] {f.code}{indicator} {catalogue.render(f, lang)}"


def text_lines(r: SheetResult, lang: str, verbose: bool = True) -> list[str]:
    """The lines one file contributes to the text report: one per error and warning; info findings
    one line each when `verbose`, else one line for the file (a single one is shown whole)."""
    if r.status in (Status.UNREADABLE, Status.SKIPPED):
        return [f"{r.path}: [{r.status.value}] {catalogue.label(f'status.{r.status.value}', lang)}: "
                f"{_words(r.error, lang)}"]
    infos = [f for f in r.findings if f.severity == Severity.INFO]
    shown = r.findings if verbose or len(infos) < 2 else [f for f in r.findings if f.severity != Severity.INFO]
    lines = [text_line(r, f, lang) for f in shown]
    if len(shown) < len(r.findings):
        lines.append(info_line(r.where, infos, lang))
    if r.output_error:
        lines.append(f"{r.where}: {_words(r.output_error, lang)}")
    lines += [f"{r.where}: {note}" for note in r.output_notes]
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
        self.files = 0                      # a workbook of several scoring sheets is one file, several results
        self.sheets = 0
        self._last: str | None = None
        self.status = Counter()
        self.severity = Counter()
        self.output_errors = 0
        self.ignored = Counter()            # findings the selection left out, per code
        self.internal = 0                   # results that met a bug of ours (exit code 3)

    def add(self, r: SheetResult, ignored: Counter | None = None) -> None:
        self.ignored.update(ignored or {})
        self.sheets += 1
        self.files += not (r.several and r.path == self._last)     # its sheets come one after another
        self._last = r.path
        self.status[r.status] += 1
        self.severity.update(f.severity for f in r.findings)
        self.output_errors += bool(r.output_error)
        self.internal += bool(r.internal)

    def line(self, lang: str) -> str:
        ignored = sum(self.ignored.values())
        tail = catalogue.label("report.ignored", lang, n=ignored, codes=catalogue.label("report.list_sep", lang).join(
            sorted(self.ignored))) if ignored else ""
        return self._counts(lang) + tail

    def _counts(self, lang: str) -> str:
        n, sev = self.status, self.severity
        key = "report.tally_sheets" if self.sheets > self.files else "report.tally"
        return catalogue.label(key, lang, files=self.files, sheets=self.sheets, **{s.value: n[s] for s in Status},
                               errors=sev[Severity.ERROR], warnings=sev[Severity.WARNING], notes=sev[Severity.INFO])


class Report:
    """What every format shares: the selection applied to each result, the tally kept."""

    def __init__(self, out: TextIO, lang: str, verbosity: int = 0, selection: Selection = EVERYTHING):
        self.out, self.lang, self.verbosity, self.selection, self.tally = out, lang, verbosity, selection, Tally()

    def add(self, r: SheetResult) -> None:
        shown, ignored = self.selection.apply(r)
        rendered = self.render(shown)       # whole before anything is counted or written: may raise
        self.tally.add(shown, ignored)
        self.emit(rendered)

    def render(self, r: SheetResult):
        raise NotImplementedError

    def emit(self, rendered) -> None:
        raise NotImplementedError


class TextReport(Report):
    """One line per error and warning as each file finishes, info findings summed up per file (all
    of them with verbosity 1), then one summary line; verbosity -1 (quiet) prints the summary alone."""

    def render(self, r: SheetResult) -> list[str]:
        return [] if self.verbosity < 0 else text_lines(r, self.lang, verbose=self.verbosity > 0)

    def emit(self, lines: list[str]) -> None:
        for line in lines:
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

    def render(self, r: SheetResult) -> str:
        return json.dumps(file_dict(r, self.lang), ensure_ascii=False)

    def emit(self, text: str) -> None:
        if self.tally.sheets > 1:            # every result but the first follows a comma
            self.out.write(",")
        self.out.write("\n  " + text)

    def close(self) -> None:
        self.out.write("\n ],\n \"ignored\": " + json.dumps(dict(sorted(self.tally.ignored.items()))) + "}\n")


WRITERS: dict[str, type] = {
    "text": TextReport,
    "json": JsonReport,
}


def write(fmt: str, results: Iterable[SheetResult], out: TextIO, lang: str = "zh", verbosity: int = 0,
          selection: Selection = EVERYTHING) -> Tally:
    report = WRITERS[fmt](out, lang, verbosity, selection)
    for r in results:
        try:
            report.add(r)
        except Exception as exc:    # a bug of ours on this one result: said in one line, the batch goes on
            report.add(internal_error(r.path, exc))
    report.close()
    return report.tally


def log_line(r: SheetResult, lang: str) -> str:
    """One line per file for `watch`: time, file, status, total, grade, counts."""
    status = catalogue.label(f"status.{r.status.value}", lang)
    parts = [datetime.now().strftime("%Y-%m-%d %H:%M:%S"), r.where, status]
    if r.status in (Status.OK, Status.FLAGGED):
        parts.append(catalogue.label(
            "log.counts", lang, entered=fmt_number(r.total_entered), recomputed=fmt_number(r.total_recomputed),
            grade_entered=r.grade_entered or "—", grade_recomputed=r.grade_recomputed or "—",
            errors=r.count(Severity.ERROR), warnings=r.count(Severity.WARNING), notes=r.count(Severity.INFO)))
    else:
        parts.append(_words(r.error, lang) or "")
    return "  ".join(parts)
