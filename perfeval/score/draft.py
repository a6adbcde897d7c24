"""`perfeval rubric draft`: a rubric TOML drafted from a sheet (tree, weights, bands, each indicator's
rule as its 评分标准 states it, or a TODO quoting the criterion); `perfeval rubric check`: a rubric file
validated, each problem named with its file, line and indicator.
"""
from __future__ import annotations

import json
import re
import tomllib
from decimal import Decimal
from pathlib import Path

from perfeval import rubric as rubrics
from perfeval.files import write_atomically
from perfeval.model import Sheet
from perfeval.read import sources
from perfeval.read.workbook import Unreadable, read
from perfeval.score import criteria, textrules
from perfeval.read.layout import split_level_label
from perfeval.read.words import parse_bands, sheet_words


def _value(v: object) -> str:
    if isinstance(v, Decimal):
        return json.dumps(str(v.normalize()) if v != v.to_integral() else str(int(v)), ensure_ascii=False)
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + " }"
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, (int, float)):
        return str(v)
    return json.dumps(str(v), ensure_ascii=False)


def _key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else json.dumps(k, ensure_ascii=False)


def _number(v: Decimal | None) -> str:
    return "0" if v is None else (str(int(v)) if v == v.to_integral() else str(v))


def draft(sheet: Sheet) -> tuple[str, dict]:
    """The TOML text and counts {indicators, rules, formulas, todo}."""
    parsed: dict[int, criteria.Parsed] = {}
    inputs: dict[str, dict] = {}
    for row in sheet.rows:
        if row.weight.value is not None and row.standard.strip():
            parsed[row.row] = p = criteria.parse(row.standard, row.name, row.weight.value, row.description)
            for name, entry in (p.inputs if p.spec else {}).items():
                inputs.setdefault(name, entry)
    made = textrules.make_inputs(inputs, {})
    lines = [f"# Drafted by `perfeval rubric draft` from {Path(sheet.path).name} [{sheet.sheet}]: review every rule.",
             f"id = {_value(re.sub(r'[^A-Za-z0-9-]+', '-', Path(sheet.path).stem).strip('-').lower() or 'draft')}",
             f"title = {_value(sheet.title or '')}", f"match_titles = [{_value(sheet.title or '')}]",
             'tolerance = "0.005"', ""]
    if not sheet.bands:
        lines.append("# TODO: grade bands: the sheet's 等级标准 was not read; these are the national ones")
    for band in sheet.bands or parse_bands(sheet_words().draft_bands):
        lines += ["[[grade]]", f"name = {_value(band.grade)}", f"min = {_number(band.min)}"]
    lines.append("")
    for name, inp in made.items():
        lines.append(f"[input.{_key(name)}]")
        lines.append(f"unit = {_value(inp.unit)}")
        for field in ("aliases", "keywords", "exclude"):
            if getattr(inp, field):
                lines.append(f"{field} = {_value(list(getattr(inp, field)))}")
        if inp.default:
            lines.append(f"default = {_value(inp.default)}")
        if inp.derive:
            lines.append(f"derive = {{ months_between = {_value(list(inp.derive))} }}")
    counts = {"indicators": 0, "rules": 0, "formulas": 0, "todo": 0}
    weights = {(level, name): w for level, name, w, _ in sheet.level_weights}
    current: tuple[str | None, str | None] = (None, None)
    for row in sheet.rows:
        l1, l2 = split_level_label(row.level1 or "")[0], split_level_label(row.level2 or "")[0]
        if l1 != current[0]:
            lines += ["", "[[level1]]", f"name = {_value(l1)}", f"weight = {_number(weights.get((1, l1)))}"]
        if (l1, l2) != current:
            lines += ["", "[[level1.level2]]", f"name = {_value(l2)}", f"weight = {_number(weights.get((2, l2)))}"]
        current = (l1, l2)
        lines += ["", "[[level1.level2.indicator]]", f"name = {_value(row.name)}",
                  f"weight = {_number(row.weight.value)}"]
        counts["indicators"] += 1
        p = parsed.get(row.row)
        if p is not None and p.spec is not None:
            counts["rules"] += 1
            counts["formulas"] += p.spec["kind"] in rubrics.FORMULA_KINDS
            lines += [f"{_key(k)} = {_value(v)}" for k, v in p.spec.items() if k != "weight"]
        else:
            counts["todo"] += 1
            quote = (p.unparsed if p else "") or row.standard.strip()[:60]
            lines += [f"# TODO: rule not read from {row.standard_cell or 'the sheet'}: “{quote}”",
                      'kind = "discretionary"']
    return "\n".join(lines) + "\n", counts


class DraftProblem(ValueError):
    """The workbook cannot be drafted from (unreadable, or no scoring table on the sheet asked for)."""


def write(workbook: Path, sheet: str | None, out: Path) -> str:
    """Draft a rubric from `workbook` into `out` (written atomically); the one line to print."""
    try:
        with sources.prepared(Path(workbook)) as source:       # a .xls/.et/.ods: through a converted copy
            sheets = read(source.path).sheets
    except Unreadable as exc:
        raise DraftProblem(f"{workbook}: {exc}") from None
    found = next((s for s in sheets if s.sheet == sheet), None) if sheet else sheets[0]
    if found is None:
        names = "、".join(f"“{s.sheet}”" for s in sheets)
        raise DraftProblem(f"{workbook}: 工作表“{sheet}”不是评分表（评分表：{names}）")
    text, counts = draft(found)
    write_atomically(out, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    return (f"{out}: {counts['indicators']} 个指标，{counts['rules']} 个读出规则（其中公式 {counts['formulas']} 个），"
            f"{counts['todo']} 个 TODO")


def check(path: str | Path) -> list[str]:
    """Every problem of a rubric file, each as `file:line: [indicator] message`; [] when it loads.
    Inputs and indicators are validated one by one (so each bad one is named), then the file as a whole."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return [f"{path}: {exc}"]
    messages: list[str] = []
    inputs = {}
    for name, spec in data.get("input", {}).items():
        try:
            inputs[name] = rubrics._input(name, spec, f"[input.{name}]")
        except rubrics.RubricError as exc:
            messages.append(str(exc))
    for l1 in data.get("level1", []):
        for l2 in l1.get("level2", []):
            for spec in l2.get("indicator", []):
                try:
                    rubrics._indicator(spec, l1.get("name", ""), l2.get("name", ""), inputs, "")
                except rubrics.RubricError as exc:
                    messages.append(str(exc).strip())
    if not messages:
        try:
            rubrics.load(path)
        except rubrics.RubricError as exc:
            messages.append(str(exc).removeprefix(str(path)).strip())
    out = []
    for message in messages:
        m = re.search(r"\[([^\]]+)\]", message)
        line = _line_of(path, m[1] if m else None)
        out.append(f"{path}:{line}: {message.lstrip(' :')}" if line else f"{path}: {message.lstrip(' :')}")
    return out


def _line_of(path: Path, name: str | None) -> int | None:
    if not name:
        return None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    wanted = name.removeprefix("input.")
    for i, line in enumerate(lines, start=1):
        if re.fullmatch(rf"\s*name\s*=\s*\"{re.escape(wanted)}\"\s*", line) or \
                re.fullmatch(rf"\s*\[input\.\"?{re.escape(wanted)}\"?\]\s*", line):
            return i
    return None
