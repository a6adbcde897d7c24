"""Structural and formula checks. Each check reads a Recomputation and yields Findings; none does I/O."""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Callable, Iterator

from perfeval.score import rules
from perfeval.catalogue import severity_of
from perfeval.model import Bands, Finding, Phrase, Score, Working
from perfeval.numbers import fmt, round_half_up
from perfeval.score.recompute import Placed, Recomputation

DEFAULT_TOLERANCE = Decimal("0.005")


def _finding(rc: Recomputation, code: str, cell: str | None, indicator: str | None = None,
             entered: object = None, expected: object = None, working=None, **params) -> Finding:
    return Finding(code, severity_of(code), rc.sheet.sheet, cell, indicator, entered, expected,
                   params, working)


finding = _finding          # for the other check modules (textchecks)


def tolerance(rc: Recomputation) -> Decimal:
    return rc.rubric.tolerance if rc.rubric else DEFAULT_TOLERANCE


def bands(rc: Recomputation) -> Bands:
    """The matched rubric's bands, else the sheet's own 等级标准."""
    return rc.rubric.bands if rc.rubric else rc.sheet.bands


def scored_sum(rc: Recomputation) -> Decimal:
    return sum((p.row.score.value for p in rc.placed if p.row.score.value is not None), Decimal(0))


# ---- rows ----------------------------------------------------------------------------------------

def check_scores(rc: Recomputation) -> Iterator[Finding]:
    tol = tolerance(rc)
    for p in rc.placed:
        score, name = p.row.score, p.name
        if score.missing:
            yield _finding(rc, "score-missing", score.cell, name, weight=p.weight)
            continue
        if score.value is None:
            yield _finding(rc, "score-not-numeric", score.cell, name, entered=str(score.raw).strip())
            continue
        if p.weight is not None and (score.value < 0 or score.value > p.weight + tol):
            yield _finding(rc, "score-out-of-range", score.cell, name, entered=score.value, weight=p.weight)
            continue
        if p.indicator is not None and p.indicator.kind == "levels":
            allowed = rules.allowed_scores(p.indicator)
            if not rules.is_allowed(score.value, allowed, tol):
                yield _finding(rc, "score-not-allowed", score.cell, name, entered=score.value,
                               allowed=rules.describe_allowed(allowed))
        if p.weight is not None and score.value < p.weight - tol and not (p.row.reason and p.row.reason.value):
            cell = p.row.reason.cell if p.row.reason else score.cell
            yield _finding(rc, "reason-missing", cell, name, entered=score.value, weight=p.weight)


def check_formulas(rc: Recomputation) -> Iterator[Finding]:
    tol = tolerance(rc)
    for p in rc.placed:
        r = p.recomputed
        if r is None:
            continue
        if r.expected is None:
            yield _finding(rc, "inputs-missing", p.row.score.cell, p.name, missing=r.missing)
            continue
        score = p.row.score.value
        if score is not None and not r.accepts(score, tol):
            yield _finding(rc, "formula-mismatch", p.row.score.cell, p.name, entered=score,
                           expected=r.expected, working=r.working)


# ---- rubric coverage -----------------------------------------------------------------------------

def check_coverage(rc: Recomputation) -> Iterator[Finding]:
    if rc.rubric is None:
        cell = rc.placed[0].row.score.cell if rc.placed else None
        yield _finding(rc, "rubric-unmatched", cell)
        return
    present = set()
    for p in rc.placed:
        if p.indicator is None:
            yield _finding(rc, "unknown-indicator", p.row.score.cell, p.row.name, rubric=rc.rubric.id)
        else:
            present.add(p.indicator.name)
            sheet_weight = p.row.weight.value
            if sheet_weight is not None and sheet_weight not in (p.indicator.weight, p.weight):
                yield _finding(rc, "weight-mismatch", p.row.weight.cell, p.name, entered=sheet_weight,
                               expected=p.indicator.weight, rubric=rc.rubric.id)
    for ind in rc.rubric.indicators:
        if ind.name not in present:
            yield _finding(rc, "indicator-absent", None, ind.name, rubric=rc.rubric.id)


# ---- weights -------------------------------------------------------------------------------------

def _groups(rc: Recomputation) -> tuple[dict, dict]:
    """Rows by level-1 and by (level-1, level-2) — the rubric's tree when matched, else the labels."""
    by1: dict[str, list[Placed]] = defaultdict(list)
    by2: dict[tuple[str, str], list[Placed]] = defaultdict(list)
    for p in rc.placed:
        if p.level1:
            by1[p.level1].append(p)
            if p.level2:
                by2[(p.level1, p.level2)].append(p)
    return by1, by2


def check_weights(rc: Recomputation) -> Iterator[Finding]:
    stated = {(level, name): (weight, cell) for level, name, weight, cell in rc.sheet.level_weights}
    by1, by2 = _groups(rc)
    absent = set()
    if rc.rubric:
        present = {p.indicator.name for p in rc.placed if p.indicator}
        absent = {(i.level1, i.level2) for i in rc.rubric.indicators if i.name not in present}

    def expected_weight(level: int, name: str) -> tuple[Decimal | None, str | None]:
        if (level, name) in stated:
            return stated[(level, name)]
        group = rc.rubric.group(level, name) if rc.rubric else None
        return (group.weight, None) if group else (None, None)

    level2_weights: dict[str, list[Decimal]] = defaultdict(list)
    for (l1, l2), rows in by2.items():
        weight, cell = expected_weight(2, l2)
        if weight is None:
            continue
        level2_weights[l1].append(weight)
        if (l1, l2) in absent or any(p.row.weight.value is None for p in rows):
            continue
        total = sum((p.row.weight.value for p in rows), Decimal(0))
        if total != weight:
            yield _finding(rc, "weight-sum-mismatch", cell or rows[0].row.weight.cell, None,
                           entered=total, expected=weight, scope=f"“{l2}”")
    level1_total = Decimal(0)
    for l1 in by1:
        weight, cell = expected_weight(1, l1)
        if weight is None:
            continue
        level1_total += weight
        subs = level2_weights.get(l1, [])
        if subs and len(subs) == len({l2 for (a, l2) in by2 if a == l1}) and sum(subs) != weight:
            yield _finding(rc, "weight-sum-mismatch", cell, None, entered=sum(subs), expected=weight,
                           scope=f"“{l1}”")
    if by1 and all(expected_weight(1, l1)[0] is not None for l1 in by1) and level1_total != 100 \
            and not absent:
        yield _finding(rc, "weight-sum-mismatch", None, None, entered=level1_total, expected=Decimal(100),
                       scope=Phrase("scope.level1"))
    tw = rc.sheet.total_weight
    if tw is not None and tw.value is not None and tw.value != 100:
        yield _finding(rc, "weight-sum-mismatch", tw.cell, None, entered=tw.value, expected=Decimal(100),
                       scope=Phrase("scope.total"))


# ---- sums and grade ------------------------------------------------------------------------------

def check_subtotals(rc: Recomputation) -> Iterator[Finding]:
    tol = tolerance(rc)
    by1, by2 = _groups(rc)
    for sub in rc.sheet.subtotals:
        if sub.level == 1:
            rows = by1.get(sub.name, [])
        else:
            rows = [p for (a, b), ps in by2.items() if b == sub.name for p in ps]
        if not rows or sub.score.value is None:
            continue
        total = sum((p.row.score.value for p in rows if p.row.score.value is not None), Decimal(0))
        if abs(total - sub.score.value) > tol:
            yield _finding(rc, "subtotal-mismatch", sub.score.cell, None, entered=sub.score.value,
                           expected=total, scope=f"“{sub.name}”")


def check_total(rc: Recomputation, scale: Decimal = Decimal(1), name: str = "合计") -> Iterator[Finding]:
    """The total against the sum of the entered scores (times `scale` where a form rescales it: a
    自评表 whose 不适用 rows are dropped); `name` is the total's label on the form."""
    total: Score | None = rc.sheet.total
    if not rc.placed:
        return
    added = scored_sum(rc) * scale
    scaled = {} if scale == 1 else {"formula": f"{fmt(scored_sum(rc))} × {fmt(scale, 4)}"}
    if total is None or total.missing:
        yield _finding(rc, "total-missing", total.cell if total else None, None, expected=added)
        return
    if total.value is None:
        yield _finding(rc, "score-not-numeric", total.cell, name, entered=str(total.raw).strip())
        return
    if abs(total.value - added) <= tolerance(rc):
        return
    if total.places < 2 and total.value == round_half_up(added, total.places):
        yield _finding(rc, "total-rounded", total.cell, None, entered=total.value, expected=added, **scaled)
    else:
        yield _finding(rc, "total-mismatch", total.cell, None, entered=total.value, expected=added,
                       working=Working((rules.expr(scaled["formula"]),)) if scaled else None)


def check_grade(rc: Recomputation) -> Iterator[Finding]:
    grade_bands = bands(rc)
    if not grade_bands or not rc.placed:
        return
    total = rc.sheet.total.value if rc.sheet.total and rc.sheet.total.value is not None else scored_sum(rc)
    expected = grade_bands.grade(total)
    grade = rc.sheet.grade
    if grade is None or not grade.value.strip():
        yield _finding(rc, "grade-missing", grade.cell if grade else None, None, expected=expected, total=total)
        return
    entered = grade_bands.entered(grade.value)
    if expected is not None and entered != expected:
        yield _finding(rc, "grade-mismatch", grade.cell, None, entered=grade.value.strip(), expected=expected,
                       total=total)


def check_criteria(rc: Recomputation) -> Iterator[Finding]:
    """A 评分标准 read for a rule (no rubric, or `from_text`) that was not understood whole."""
    for row, quote in rc.unparsed:
        yield _finding(rc, "rule-unparsed", row.standard_cell or row.score.cell, row.name, quote=quote,
                       where=row.standard_cell)


def check_data_sheets(rc: Recomputation) -> Iterator[Finding]:
    """A 基础数据 sheet that serves no scoring sheet of the workbook: its figures went unused."""
    for title in rc.sheet.unused_data:
        yield _finding(rc, "data-sheet-unassigned", None, None, data=title)


CHECKS: list[Callable[[Recomputation], Iterator[Finding]]] = [
    check_coverage, check_scores, check_formulas, check_weights, check_subtotals, check_total, check_grade,
    check_criteria, check_data_sheets,
]


def run(rc: Recomputation) -> list[Finding]:
    return [f for check in CHECKS for f in check(rc)]
