"""Writers chosen from a dict: each turns FileResults into one output format. No format logic elsewhere."""
from __future__ import annotations

import json
from dataclasses import asdict
from decimal import Decimal
from typing import Callable, TextIO

from . import codes
from .model import Figure, FileResult, Finding, Severity, Working
from .numbers import round_half_up

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


def figure_dict(f: Figure) -> dict:
    out = {"name": f.name, "value": number(f.value) if abs(f.value) >= 1 else float(f.value), "source": f.source}
    if f.low is not None:               # a rough figure (约444.2万元, 2016年9月) and the range it stands for
        out.update(low=float(f.low), high=float(f.high))
    return out


def finding_dict(f: Finding, lang: str) -> dict:
    return {"code": f.code, "severity": f.severity.value, "sheet": f.sheet, "cell": f.cell,
            "indicator": f.indicator, "entered": number(f.entered), "expected": number(f.expected),
            "message": codes.render(f, lang), "working": working_dict(f.working)}


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


def write_json(results: list[FileResult], out: TextIO, lang: str) -> None:
    doc = {"version": JSON_VERSION, "files": [file_dict(r, lang) for r in results]}
    json.dump(doc, out, ensure_ascii=False, indent=1)
    out.write("\n")


def text_line(r: FileResult, f: Finding, lang: str) -> str:
    where = f"{r.path}:{f.cell}" if f.cell else r.path
    indicator = f" {f.indicator}:" if f.indicator else ":"
    return f"{where} [{f.severity.value}] {f.code}{indicator} {codes.render(f, lang)}"


def summary_line(results: list[FileResult], lang: str) -> str:
    n = {s: sum(1 for r in results if r.status == s) for s in ("ok", "flagged", "unreadable", "skipped")}
    sev = {s: sum(r.count(s) for r in results) for s in Severity}
    if lang == "en":
        return (f"{len(results)} files: {n['ok']} ok, {n['flagged']} flagged, {n['unreadable']} unreadable, "
                f"{n['skipped']} skipped; {sev[Severity.ERROR]} errors, {sev[Severity.WARNING]} warnings, "
                f"{sev[Severity.INFO]} notes")
    return (f"共 {len(results)} 个文件：{n['ok']} 个无问题，{n['flagged']} 个有问题，{n['unreadable']} 个无法读取，"
            f"{n['skipped']} 个已跳过；错误 {sev[Severity.ERROR]} 处，警告 {sev[Severity.WARNING]} 处，"
            f"提示 {sev[Severity.INFO]} 处")


def write_text(results: list[FileResult], out: TextIO, lang: str) -> None:
    for r in results:
        for line in text_lines(r, lang):
            out.write(line + "\n")
    out.write(summary_line(results, lang) + "\n")


def text_lines(r: FileResult, lang: str) -> list[str]:
    """The lines one file contributes to the text report (streamed as each file finishes)."""
    if r.status in ("unreadable", "skipped"):
        label = {"unreadable": ("无法读取", "unreadable"), "skipped": ("已跳过", "skipped")}[r.status]
        return [f"{r.path}: [{r.status}] {label[0] if lang == 'zh' else label[1]}: {r.error}"]
    return [text_line(r, f, lang) for f in r.findings]


WRITERS: dict[str, Callable[[list[FileResult], TextIO, str], None]] = {
    "text": write_text,
    "json": write_json,
}
