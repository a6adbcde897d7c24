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
    standards = criteria.standards(sheet.rows)
    for row in sheet.rows:
        if row.weight.value is not None and row.standard.strip():
            parsed[row.row] = p = criteria.parse(standards[row.row], row.name, row.weight.value, row.description)
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
    current: tuple[tuple | None, tuple | None] = (None, None)
    groups = tree(sheet)
    sums: dict[tuple, Decimal] = {}
    for row, (g1, g2) in zip(sheet.rows, groups):
        for key in ((1, g1), (2, g1, g2)):
            sums[key] = sums.get(key, Decimal(0)) + (row.weight.value or 0)
    for row, (g1, g2) in zip(sheet.rows, groups):
        if g1 != current[0]:
            lines += ["", "[[level1]]", f"name = {_value(g1[0])}", *_group_weight(g1[1], sums[(1, g1)])]
        if (g1, g2) != current:
            lines += ["", "[[level1.level2]]", f"name = {_value(g2[0])}", *_group_weight(g2[1], sums[(2, g1, g2)])]
        current = (g1, g2)
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


def _group_weight(stated: Decimal | None, total: Decimal) -> list[str]:
    """A group's weight as its label states it; a label with none gets the sum of its rows, marked."""
    if stated is not None:
        return [f"weight = {_number(stated)}"]
    return ["# TODO: weight not stated on the sheet: the sum of its indicators", f"weight = {_number(total)}"]


Group = tuple[str, Decimal | None, int]          # name, stated weight, position among its level's groups


def tree(sheet: Sheet) -> list[tuple[Group, Group]]:
    """Each row's (level-1, level-2) group. As read, unless the stated weights do not add up and a cut
    by the weights does: a table broken over pages repeats or moves its level labels (the label of a
    group that goes on over a page break stands at the next page's first row), so rows at a page's
    top are read into the wrong group. The cut is used only when every group sums exactly to its
    stated weight and no row moves further than to a neighbouring group."""
    read = [(split_level_label(r.level1 or "")[0], split_level_label(r.level2 or "")[0]) for r in sheet.rows]
    stated = {level: [(n, w) for lv, n, w, _ in sorted(sheet.level_weights, key=lambda x: _cell_row(x[3]))
                      if lv == level] for level in (1, 2)}
    weights = {(lv, n): w for lv, n, w, _ in sheet.level_weights}

    def as_read() -> list[tuple[Group, Group]]:
        out, seen = [], {1: [], 2: []}
        for l1, l2 in read:
            for lv, key in ((1, l1), (2, (l1, l2))):
                if not seen[lv] or seen[lv][-1] != key:
                    seen[lv].append(key)
            out.append(((l1, weights.get((1, l1)), len(seen[1])), (l2, weights.get((2, l2)), len(seen[2]))))
        return out

    row_weights = [r.weight.value for r in sheet.rows]
    if _adds_up(as_read(), row_weights) or None in row_weights:
        return as_read()
    cut2 = _cut(row_weights, [w for _, w in stated[2]])
    if cut2 is None:
        return as_read()
    group_weights = [w for _, w in stated[2]]
    cut1 = _cut(group_weights, [w for _, w in stated[1]])
    if cut1 is None:
        return as_read()
    names2 = [n for n, _ in stated[2]]
    if any(l2 not in names2 or abs(names2.index(l2) - g) > 1 for (_, l2), g in zip(read, cut2)):
        return as_read()                     # a row would move further than to a neighbouring group
    return [((stated[1][cut1[g]][0], stated[1][cut1[g]][1], cut1[g]), (stated[2][g][0], stated[2][g][1], g))
            for g in cut2]


def _cell_row(cell: str) -> int:
    m = re.search(r"\d+", cell or "")
    return int(m[0]) if m else 0


def _adds_up(groups: list[tuple[Group, Group]], row_weights: list) -> bool:
    sums: dict[tuple, Decimal] = {}
    stated: dict[tuple, Decimal | None] = {}
    for (g1, g2), w in zip(groups, row_weights):
        for key, g in (((1, g1[2]), g1), ((2, g2[2]), g2)):
            sums[key] = sums.get(key, Decimal(0)) + (w or 0)
            stated[key] = g[1]
    return all(stated[k] is not None and sums[k] == stated[k] for k in sums)


def _cut(weights: list, sizes: list) -> list[int] | None:
    """The group of each item when consecutive items fill each group's size exactly, in order; None if not."""
    if not sizes or None in sizes:
        return None
    out, group, filled = [], 0, Decimal(0)
    for w in weights:
        if group >= len(sizes):
            return None
        out.append(group)
        filled += w
        if filled > sizes[group]:
            return None
        if filled == sizes[group]:
            group, filled = group + 1, Decimal(0)
    return out if group == len(sizes) and filled == 0 else None


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
