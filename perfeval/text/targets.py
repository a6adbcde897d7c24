"""年度指标值 and 实际完成值 of a 自评表 as written: `≥50个`, `≥100百分比`, `≤90万元`, `=8个`, `≥90%`, `100%`,
`不低于95%`, bare numbers (the unit in its own column) and qualitative words (`效果明显`, `合规`, `及时`).

Pure functions: the direction words come from the rubric (rubric_selfeval), nothing here knows a form.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from perfeval.numbers import normalize_text

_NUMBER = re.compile(r"^(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<unit>[^\d]*)$")
_PERCENT_UNITS = {"%", "百分比", "百分之", "‰"}
# units one of which is a multiple of the other: unit -> (base, factor)
_SCALES = {"万元": ("元", Decimal(10000)), "亿元": ("元", Decimal(10**8)), "千元": ("元", Decimal(1000)),
           "万人": ("人", Decimal(10000)), "万人次": ("人次", Decimal(10000)), "公里": ("米", Decimal(1000)),
           "千米": ("米", Decimal(1000)), "万亩": ("亩", Decimal(10000)), "万户": ("户", Decimal(10000))}


@dataclass(frozen=True)
class Value:
    """One cell's value: direction by its operator word (None when it has none), the number and unit
    when it is quantitative (None when it is words)."""
    text: str
    direction: str | None
    number: Decimal | None
    unit: str


def parse(text: object, directions: dict[str, tuple[str, ...]], unit_column: str = "") -> Value:
    """`≥50个` -> (positive, 50, 个); `95%` -> (None, 95, %); `效果明显` -> (None, None, '')."""
    raw = normalize_text(text)
    rest, direction = raw, None
    words = sorted(((w, d) for d, ws in directions.items() for w in ws), key=lambda p: -len(p[0]))
    for word, d in words:
        w = normalize_text(word)
        if w and rest.startswith(w):
            rest, direction = rest[len(w):], d
            break
    m = _NUMBER.match(rest)
    if not m:
        return Value(raw, direction, None, "")
    unit = m["unit"] or normalize_text(unit_column)
    if unit in _PERCENT_UNITS:
        unit = "%"
    return Value(raw, direction, Decimal(m["num"].replace(",", "")), unit)


def comparable(target: Value, actual: Value) -> tuple[Decimal, Decimal] | None:
    """The two numbers in one unit (万元 and 元, 万人 and 人 scaled), None when their units differ.
    A value written without a unit takes the other's."""
    if target.number is None or actual.number is None:
        return None
    if not target.unit or not actual.unit or target.unit == actual.unit:
        return target.number, actual.number
    t_base, t_factor = _SCALES.get(target.unit, (target.unit, Decimal(1)))
    a_base, a_factor = _SCALES.get(actual.unit, (actual.unit, Decimal(1)))
    if t_base != a_base:
        return None
    return target.number * t_factor, actual.number * a_factor
