"""Figures for formula indicators, bound to the rubric's input names, each with its source.

Sources in order of trust: the 基础数据 sheet (名称 | 数值), then the header block (预算金额). An input
the rubric gives a `default` for (计划成本 -> 预算金额) takes the default's figure when absent.
"""
from __future__ import annotations

from .model import Figure, Sheet
from .numbers import parse_figure
from .rubric import Rubric


def gather(sheet: Sheet, rubric: Rubric) -> dict[str, Figure]:
    figures: dict[str, Figure] = {}
    budget = rubric.inputs.get("预算金额")
    if budget is not None and sheet.project.budget is not None:
        figures[budget.name] = Figure(budget.name, sheet.project.budget,
                                      f"表头 预算金额 {sheet.project.budget_cell or ''}".strip())
    for written, raw, cell in sheet.basic_data:
        inp = rubric.input_named(written)
        if inp is None:
            continue
        value = parse_figure(raw, inp.unit)
        if value is not None:
            figures[inp.name] = Figure(inp.name, value, cell)     # 基础数据 wins over the header
    for inp in rubric.inputs.values():
        if inp.name not in figures and inp.default and inp.default in figures:
            source = figures[inp.default]
            figures[inp.name] = Figure(inp.name, source.value, f"{source.source}（按{inp.default}）")
    return figures
