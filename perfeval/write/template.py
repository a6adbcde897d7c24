"""`perfeval template RUBRIC -o blank.xlsx`: a rubric's blank fill-in form, in the layout perfeval reads.

The scoring sheet has the real form's header, its indicator table (level-1 and level-2 labels merged
and carrying their weights), a 小计 row per level-1 group and the 合计 row as SUM formulas with cached
values, the 等级标准 and 评价等级 rows and the narrative block. Every score cell is validated as it is
typed (0..weight, or a drop-down of the levels the standard allows), the grade is a drop-down of the
rubric's bands, and every cell but those to fill in is locked (the sheet is protected without a
password, so rows and columns can still be resized). A 基础数据 sheet lists each figure the formula
indicators need, with its unit and the indicators that use it. Labels and phrases come from
templates/forms/scoring-form.toml. Written with xlsxwriter, which stores formulas' cached values.
"""
from __future__ import annotations

import math
import tomllib
import unicodedata
from decimal import Decimal
from pathlib import Path

import xlsxwriter

from perfeval.numbers import fmt
from perfeval.rubric import Indicator, Rubric, templates_dir
from perfeval.files import write_atomically

WIDTHS = [10, 12, 16, 8, 36, 44, 8, 36]         # 一级 二级 三级 权重 指标说明 评分标准 评分 扣分理由
SCORE, REASON = 6, 7


def form() -> dict:
    return tomllib.loads((templates_dir() / "forms" / "scoring-form.toml").read_text(encoding="utf-8"))


def text_width(text: str) -> int:
    """Display width: CJK and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def row_height(texts_and_widths: list[tuple[str, float]], line: float = 15.0, least: float = 18.0) -> float:
    """The height (points) a row needs so wrapped text in each (text, column width) pair shows whole."""
    lines = 1
    for text, width in texts_and_widths:
        chars = max(1.0, width * 1.2)        # a column width unit holds about 1.2 half-width characters at 10 pt
        lines = max(lines, sum(max(1, math.ceil(text_width(part) / chars)) for part in str(text).split("\n")))
    return max(least, lines * line + 4)


def _num(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def figures_of(rubric: Rubric, ind: Indicator) -> list[str]:
    """The inputs a formula indicator's rule names, in the order it names them."""
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str) and value in rubric.inputs and value not in found:
            found.append(value)
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(k)
                walk(v)
        elif isinstance(value, (list, tuple)):
            for v in value:
                walk(v)
    walk(ind.spec)
    return found


def allowed_levels(ind: Indicator) -> list | None:
    """The levels of a levels indicator when all are single values (a drop-down), else None."""
    allowed = ind.spec.get("allowed") if ind.kind == "levels" else None
    if not allowed or any(isinstance(a, (list, tuple)) for a in allowed):
        return None
    return [_num(Decimal(str(a))) for a in allowed]


def _allowed_text(ind: Indicator) -> str:
    parts = [f"{fmt(Decimal(str(a[0])))}–{fmt(Decimal(str(a[1])))}" if isinstance(a, (list, tuple))
             else fmt(Decimal(str(a))) for a in ind.spec.get("allowed", [])]
    return "、".join(parts)


def standard_text(rubric: Rubric, ind: Indicator, phrases: dict) -> str:
    if ind.spec.get("standard"):
        return str(ind.spec["standard"])
    if ind.kind == "levels":
        return phrases["levels"].format(allowed=_allowed_text(ind))
    if ind.is_formula:
        return phrases["formula"].format(inputs="、".join(figures_of(rubric, ind)))
    return phrases["discretionary"].format(weight=fmt(ind.weight))


def write(rubric: Rubric, path: str | Path) -> Path:
    """The blank form of `rubric` at `path` (written atomically)."""
    path = Path(path)
    write_atomically(path, lambda tmp: _Form(rubric, form(), tmp).build())
    return path


class _Form:
    def __init__(self, rubric: Rubric, data: dict, target: str):
        self.rubric, self.data = rubric, data
        self.wb = xlsxwriter.Workbook(target)
        base = {"text_wrap": True, "valign": "vcenter", "border": 1, "font_name": "宋体", "font_size": 10}
        self.f = {
            "cell": self.wb.add_format(base),
            "head": self.wb.add_format({**base, "bold": True, "align": "center", "bg_color": "#F2F2F2"}),
            "title": self.wb.add_format({**base, "bold": True, "font_size": 14, "align": "center", "border": 0}),
            "input": self.wb.add_format({**base, "locked": False}),
            "score": self.wb.add_format({**base, "locked": False, "align": "center", "bg_color": "#FFFFE0"}),
            "number": self.wb.add_format({**base, "align": "center"}),
            "formula": self.wb.add_format({**base, "align": "center", "bold": True}),
        }
        self.ws = self.wb.add_worksheet("评分表")

    def build(self) -> None:
        ws, d = self.ws, self.data
        for c, width in enumerate(WIDTHS):
            ws.set_column(c, c, width)
        ws.merge_range(0, 0, 0, 7, self.rubric.title, self.f["title"])
        ws.set_row(0, 30)
        for i, (label, _) in enumerate(d["project"]):
            ws.write_string(1, 2 * i, label, self.f["head"])
            ws.write_blank(1, 2 * i + 1, None, self.f["input"])
        ws.set_row(1, 30)
        first = self._header(2)
        subtotals, r = self._table(first)
        self._footer(r, subtotals)
        ws.repeat_rows(2, first - 1)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.center_horizontally()
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.protect("", {"format_columns": True, "format_rows": True, "select_locked_cells": True,
                        "select_unlocked_cells": True})
        self._basic_data()
        self.wb.close()

    def _header(self, r: int) -> int:
        ws, cols, f = self.ws, self.data["columns"], self.f["head"]
        ws.merge_range(r, 0, r, 3, self.data["band"], f)
        for c in range(4, 8):
            ws.merge_range(r, c, r + 2, c, cols[c], f)
        for c in range(3):
            ws.write_string(r + 1, c, cols[c], f)
            ws.write_string(r + 2, c, self.data["name_row"], f)
        ws.merge_range(r + 1, 3, r + 2, 3, cols[3], f)
        return r + 3

    def _table(self, r: int) -> tuple[list[int], int]:
        ws, f = self.ws, self.f
        subtotals = []
        for g1 in [g for g in self.rubric.groups if g.level == 1]:
            start1 = r
            for g2 in [g for g in self.rubric.groups if g.level == 2 and g.parent == g1.name]:
                start2 = r
                for ind in [i for i in self.rubric.indicators if i.level1 == g1.name and i.level2 == g2.name]:
                    self._indicator(r, ind)
                    r += 1
                self._label(start2, r - 1, 1, f"{g2.name} ({fmt(g2.weight)})")
            self._label(start1, r - 1, 0, f"{g1.name} ({fmt(g1.weight)})")
            for c in range(8):
                ws.write_blank(r, c, None, f["cell"])
            ws.write_string(r, 1, self.data["subtotal"], f["head"])
            ws.write_formula(r, SCORE, f"=SUM(G{start1 + 1}:G{r})", f["formula"], 0)
            subtotals.append(r)
            r += 1
        return subtotals, r

    def _label(self, top: int, bottom: int, col: int, text: str) -> None:
        if bottom > top:
            self.ws.merge_range(top, col, bottom, col, text, self.f["cell"])
        else:
            self.ws.write_string(top, col, text, self.f["cell"])

    def _indicator(self, r: int, ind: Indicator) -> None:
        ws, f, v = self.ws, self.f, self.data["validation"]
        description = str(ind.spec.get("description", ""))
        standard = standard_text(self.rubric, ind, self.data["standard"])
        ws.write_string(r, 2, ind.name, f["cell"])
        ws.write_number(r, 3, _num(ind.weight), f["number"])
        ws.write_string(r, 4, description, f["cell"])
        ws.write_string(r, 5, standard, f["cell"])
        ws.write_blank(r, SCORE, None, f["score"])
        ws.write_blank(r, REASON, None, f["input"])
        weight = _num(ind.weight)
        levels = allowed_levels(ind)
        rule = {"validate": "list", "source": [str(x) for x in levels],
                "input_message": v["score_levels"].format(allowed="、".join(map(str, levels)))} if levels else \
            {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": weight,
             "input_message": v["score_range"].format(weight=fmt(ind.weight))}
        ws.data_validation(r, SCORE, r, SCORE, {**rule, "input_title": v["score_title"],
                                                "error_title": v["score_error_title"],
                                                "error_message": rule["input_message"]})
        ws.set_row(r, row_height([(ind.name, WIDTHS[2]), (description, WIDTHS[4]), (standard, WIDTHS[5])]))

    def _footer(self, r: int, subtotals: list[int]) -> None:
        ws, f, d = self.ws, self.f, self.data
        ws.merge_range(r, 0, r, 2, d["total"], f["head"])
        ws.write_number(r, 3, _num(sum((g.weight for g in self.rubric.groups if g.level == 1), Decimal(0))),
                        f["number"])
        for c in (4, 5, 7):
            ws.write_blank(r, c, None, f["cell"])
        ws.write_formula(r, SCORE, "=" + "+".join(f"G{s + 1}" for s in subtotals), f["formula"], 0)
        r += 1
        bands = sorted(self.rubric.bands, key=lambda b: b.min, reverse=True)
        highs = [Decimal(100)] + [b.min - 1 for b in bands[:-1]]
        standard = d["band_separator"].join(d["band_text"].format(grade=b.grade, low=fmt(b.min), high=fmt(h))
                                            for b, h in zip(bands, highs))
        ws.write_string(r, 0, d["grade_standard"], f["head"])
        ws.merge_range(r, 1, r, 4, standard, f["cell"])
        ws.write_string(r, 5, d["grade"], f["head"])
        ws.write_blank(r, SCORE, None, f["score"])
        ws.write_blank(r, REASON, None, f["cell"])
        grades = [b.grade for b in bands]
        v = d["validation"]
        ws.data_validation(r, SCORE, r, SCORE, {"validate": "list", "source": grades, "input_title": v["grade_title"],
                                                "input_message": v["grade_prompt"].format(grades="、".join(grades))})
        r += 1
        ws.write_string(r, 0, d["narrative_head"][0], f["head"])
        ws.merge_range(r, 1, r, 7, d["narrative_head"][1], f["head"])
        for label in d["narrative"]:
            r += 1
            ws.write_string(r, 0, label, f["head"])
            ws.merge_range(r, 1, r, 7, "", f["input"])
            ws.set_row(r, 90 if label == d["narrative"][0] else row_height([(label, WIDTHS[0])], least=30))

    def _basic_data(self) -> None:
        d, f = self.data["basic_data"], self.f
        uses: dict[str, list[str]] = {}
        for ind in self.rubric.indicators:
            if ind.is_formula:
                for name in figures_of(self.rubric, ind):
                    uses.setdefault(name, []).append(ind.name)
        ws = self.wb.add_worksheet(d["sheet"])
        for c, width in enumerate([22, 14, 10, 40, 50]):
            ws.set_column(c, c, width)
        for c, head in enumerate(d["columns"]):
            ws.write_string(0, c, head, f["head"])
        for r, (name, used) in enumerate(uses.items(), start=1):
            unit = d["units"].get(self.rubric.inputs[name].unit, self.rubric.inputs[name].unit)
            ws.write_string(r, 0, name, f["cell"])
            ws.write_blank(r, 1, None, f["score"])
            ws.write_string(r, 2, unit, f["cell"])
            ws.write_string(r, 3, "、".join(used), f["cell"])
        ws.write_string(0, 4, d["note"], self.wb.add_format({"text_wrap": True, "italic": True}))
        ws.freeze_panes(1, 0)
        ws.protect("", {"format_columns": True, "format_rows": True})
