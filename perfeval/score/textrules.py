"""Rules read from a sheet's own 评分标准, for sheets no rubric matches and for rubric indicators marked
`kind = "from_text"`: each row's criterion parsed (criteria.py), its inputs made rubric Inputs (a name a
shipped rubric knows brings that rubric's keywords, aliases, default, check and derive, and the inputs
those name), and a Rubric holding them that evidence.py can bind text figures to.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal

from perfeval import rubric as rubrics
from perfeval.model import IndicatorRow, Sheet
from perfeval.score import criteria

ID = "评分标准"


@dataclass
class TextRules:
    rubric: rubrics.Rubric | None                     # the rubric to recompute with (None: no rule at all)
    by_row: dict[int, rubrics.Indicator] = field(default_factory=dict)     # row number -> rule read
    unparsed: list[tuple[IndicatorRow, str]] = field(default_factory=list)  # row, part not understood


def wanted(row: IndicatorRow, rubric: rubrics.Rubric | None) -> rubrics.Indicator | None | bool:
    """The rubric indicator a row's rule is read for: True with no rubric, its from_text indicator, else False."""
    if rubric is None:
        return True
    ind = rubric.find(row.name)
    return ind if ind is not None and ind.kind == "from_text" else False


def read(sheet: Sheet, rubric: rubrics.Rubric | None) -> TextRules:
    """Every rule the sheet's criteria state where the rubric (if any) asks for one."""
    out = TextRules(rubric)
    inputs: dict[str, dict] = {}
    standards = criteria.standards(sheet.rows)
    for row in sheet.rows:
        target = wanted(row, rubric)
        if target is False or not row.standard.strip():
            continue
        ind = target if isinstance(target, rubrics.Indicator) else None
        weight = ind.weight if ind else row.weight.value
        parsed = criteria.parse(standards[row.row], ind.name if ind else row.name, weight, row.description)
        if parsed.spec is None:
            out.unparsed.append((row, parsed.unparsed or ""))
            continue
        spec = {k: v for k, v in parsed.spec.items() if k not in ("kind", "weight")}
        spec["from_text"] = row.standard_cell
        out.by_row[row.row] = rubrics.Indicator(
            ind.name if ind else row.name, ind.level1 if ind else (row.level1 or ""),
            ind.level2 if ind else (row.level2 or ""), weight, parsed.spec["kind"], spec,
            ind.aliases if ind else ())
        for name, entry in parsed.inputs.items():
            merged = inputs.setdefault(name, {"unit": entry["unit"], "keywords": []})
            merged["keywords"] += [k for k in entry["keywords"] if k not in merged["keywords"]]
    if not out.by_row:
        return out
    base = rubric.inputs if rubric else {}
    made = make_inputs(inputs, base)
    if rubric is not None:
        out.rubric = dataclasses.replace(rubric, inputs={**made, **base})
    else:
        out.rubric = rubrics.Rubric(
            id=ID, title=sheet.title or ID, path=sheet.path, match_titles=(), tolerance=Decimal("0.005"),
            bands=sheet.bands, inputs=made, groups=(), indicators=tuple(out.by_row.values()))
    return out


def make_inputs(wanted_inputs: dict[str, dict], base: dict[str, rubrics.Input]) -> dict[str, rubrics.Input]:
    """Inputs for the names rules read from text use: a known input as its rubric has it (with the
    inputs it refers to), else one named by the formula's words. A keyword two inputs of one kind
    would share names neither."""
    known = criteria.vocabulary()
    made: dict[str, rubrics.Input] = {}
    todo = list(wanted_inputs)
    while todo:
        name = todo.pop(0)
        if name in made or name in base:
            continue
        inp = known.get(criteria._key(name))
        if inp is not None and inp.name == name:
            made[name] = inp
            refs = [inp.default] if inp.default else []
            refs += list(inp.derive or ()) + (rubrics._measure_inputs(inp.check, name) if inp.check else [])
            todo += [r for r in refs if r]
            continue
        entry = wanted_inputs[name]
        unit = entry["unit"] if entry["unit"] in rubrics.TEXT_UNITS or not entry["keywords"] else "count"
        made[name] = rubrics.Input(name, unit, keywords=tuple(entry["keywords"]))
    extra = {n: i for n, i in made.items() if n in wanted_inputs and i not in criteria.vocabulary().values()}
    taken: dict[tuple, list[str]] = {}
    for inp in list(made.values()) + list(base.values()):
        for word in inp.keywords:
            taken.setdefault((inp.kind, word), []).append(inp.name)
    for name, inp in extra.items():
        keep = tuple(w for w in inp.keywords if len(set(taken[(inp.kind, w)])) == 1)
        made[name] = dataclasses.replace(inp, keywords=keep)
    return made
