"""Checks of a 项目支出绩效自评表: the budget block (sums, 执行率, its score), each indicator's score
against its 指标值/完成值 (or its qualitative band), 偏差原因, weights, 总分 and 自评等级.

Reads a SelfEvalRecomputation; yields Findings; no I/O. Codes shared with the 评分意见表 path keep their
meaning (formula-mismatch, score-out-of-range, total-mismatch ...).
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Iterator

from perfeval.check import table
from perfeval.check.table import finding
from perfeval.model import Finding
from perfeval.numbers import fmt, fmt_rate
from perfeval.score.selfeval import BUDGET_NAME, SelfEvalRecomputation


def check_budget(rc: SelfEvalRecomputation) -> Iterator[Finding]:
    b = rc.budget
    if b is None:
        return
    for gap in b.gaps:
        yield finding(rc, "budget-sum-mismatch", gap.entered.cell, None,
                      entered=gap.entered.value if gap.entered.value is not None else gap.entered.raw,
                      expected=gap.expected, working=gap.working, column=gap.label, row=b.block.total.label)
    if b.rate is None or b.rate_entered is None:
        return
    if b.rate_value is None:
        yield finding(rc, "score-not-numeric", b.rate_entered.cell, BUDGET_NAME, entered=str(b.rate_entered.raw))
        return
    slack = max(min(b.rate_ulp / 2, Decimal("0.005")), Decimal("0.00005"))   # at most half a percent point
    if abs(b.rate_value - b.rate) > slack:
        yield finding(rc, "budget-rate-mismatch", b.rate_entered.cell, BUDGET_NAME,
                      entered=fmt_rate(b.rate_value), expected=fmt_rate(b.rate), working=b.rate_working)


def check_scores(rc: SelfEvalRecomputation) -> Iterator[Finding]:
    """score-missing / score-not-numeric / score-out-of-range, then the qualitative band."""
    tol = table.tolerance(rc)
    for p in rc.placed:
        score = p.row.score
        if score.missing:
            yield finding(rc, "score-missing", score.cell or None, p.name, weight=p.weight)
            continue
        if score.value is None:
            yield finding(rc, "score-not-numeric", score.cell, p.name, entered=str(score.raw).strip())
            continue
        if p.weight is not None and (score.value < 0 or score.value > p.weight + tol):
            yield finding(rc, "score-out-of-range", score.cell, p.name, entered=score.value, weight=p.weight)
            continue
        judged = rc.judged.get(p.row.row)
        if judged is None or judged.band is None or p.weight is None:
            continue
        low, high = judged.band[0] * p.weight, judged.band[1] * p.weight
        if score.value < low - tol or score.value > high + tol:
            yield finding(rc, "qualitative-out-of-band", score.cell, p.name, entered=score.value,
                          actual=p.row.actual.value if p.row.actual else "", words=judged.band_words,
                          low=low, high=high, band=f"{fmt(judged.band[0] * 100)}%–{fmt(judged.band[1] * 100)}%")


def check_reasons(rc: SelfEvalRecomputation) -> Iterator[Finding]:
    """偏差原因 is required when 得分 < 分值 or 完成值 misses 指标值."""
    tol = table.tolerance(rc)
    for p in rc.placed:
        if p.row.reason is None or p.row.reason.value.strip():
            continue
        judged = rc.judged.get(p.row.row)
        low = p.row.score.value is not None and p.weight is not None and p.row.score.value < p.weight - tol
        missed = judged is not None and judged.missed
        if low or missed:
            why = "score" if low else "missed"
            yield finding(rc, "deviation-reason-missing", p.row.reason.cell, p.name, entered=p.row.score.value,
                          weight=p.weight, target=p.row.target.value if p.row.target else "",
                          actual=p.row.actual.value if p.row.actual else "", why=why)


def check_weights(rc: SelfEvalRecomputation) -> Iterator[Finding]:
    """Each level-1 label's points (`产出指标（50分）`) against its rows' 分值; all 分值 against 总分."""
    rows = [p for p in rc.placed if p.row.weight.value is not None]
    by1: dict[str, Decimal] = defaultdict(Decimal)
    for p in rows:
        by1[p.level1 or ""] += p.row.weight.value
    for level, name, weight, cell in rc.sheet.level_weights:
        if level == 1 and name in by1 and by1[name] != weight and not any(d.level1 == name for d in rc.dropped):
            yield finding(rc, "weight-sum-mismatch", cell, None, entered=by1[name], expected=weight, scope=f"“{name}”")
    added = sum((p.row.weight.value for p in rows), Decimal(0)) + \
        sum((d.weight.value or Decimal(0) for d in rc.dropped), Decimal(0))
    target = rc.rubric.total
    tw = rc.sheet.total_weight
    if tw is not None and tw.value is not None and tw.value != target:
        yield finding(rc, "weight-sum-mismatch", tw.cell, None, entered=tw.value, expected=target, scope="总分")
    elif rows and added != target and len(rows) == len(rc.placed):
        yield finding(rc, "weight-sum-mismatch", tw.cell if tw else None, None, entered=added, expected=target,
                      scope="分值（含预算执行率）")


def check_total(rc: SelfEvalRecomputation) -> Iterator[Finding]:
    """总分 against the entered scores, the budget block's included (rescaled when 不适用 rows dropped)."""
    yield from table.check_total(rc, rc.scale, "总分")


def check_grade(rc: SelfEvalRecomputation) -> Iterator[Finding]:
    if rc.sheet.grade is not None:          # most national forms have no 自评等级
        yield from table.check_grade(rc)


CHECKS = [check_budget, check_scores, table.check_formulas, check_reasons, check_weights, check_total, check_grade]


def run(rc: SelfEvalRecomputation) -> list[Finding]:
    return [f for check in CHECKS for f in check(rc)]
