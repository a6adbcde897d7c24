"""The grade columns of a roll-up: the bands of the rubrics in it, merged in band order."""
from __future__ import annotations

from typing import Iterable

from perfeval.model import Bands
from perfeval.read.words import sheet_words

NO_GRADE = "未评定"


def band_grades(rubric_ids: Iterable[str | None], known: dict[str, Bands]) -> list[str]:
    """The grades of the rubrics in the roll-up, highest band first. Several rubrics: their union, each
    grade after the one above it in its own bands (优良中差 and 优良中低差 give 优良中低差); a rubric of
    more bands first, then by id, so the order is stable."""
    order: list[str] = []
    for rid in sorted({r for r in rubric_ids if r in known}, key=lambda r: (-len(known[r]), r)):
        _merge(order, known[rid].grades)
    return order


def _merge(order: list[str], grades: Iterable[str]) -> None:
    """Each grade new to `order` right after the grade above it, else right before the one below it, else
    at the end."""
    grades = list(grades)
    for i, grade in enumerate(grades):
        if grade not in order:
            above = [order.index(g) for g in grades[:i] if g in order]
            below = [order.index(g) for g in grades[i + 1:] if g in order]
            order.insert(max(above) + 1 if above else min(below) if below else len(order), grade)


def grade_order(bands: list[str], present: Iterable[str]) -> list[str]:
    """Band grades (always shown), then other grades present: those of templates/sheet.toml (sheets that
    no rubric matched, graded by their own 等级标准) in its order, the rest sorted, 未评定 last."""
    order, present = list(bands), set(present) - {NO_GRADE}
    _merge(order, [g for g, _ in sheet_words().grades if g in present])
    return [*order, *sorted(present - set(order)), NO_GRADE]
