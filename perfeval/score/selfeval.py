"""Recompute a 项目支出绩效自评表: the budget block (sums of sources, 执行率, its score) and every indicator
(quantitative from 指标值/完成值 by direction; qualitative as a band of 分值), 不适用 rows dropped.

The budget block becomes one more placed row (预算执行率, its 分值 and 得分), so 总分 and the roll-up
count its points like any indicator's. Nothing here decides what is wrong: the checks read this.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from perfeval.model import BudgetBlock, Figure, Phrase, IndicatorRow, Recomputed, Score, Sheet, Working
from perfeval.numbers import fmt, fmt_rate, normalize_text, parse_number, round_half_up
from perfeval.rubric_selfeval import SelfEvalRubric
from perfeval.score.recompute import Placed, Recomputation
from perfeval.score.rules import expr
from perfeval.text import targets

BUDGET_LEVEL1, BUDGET_NAME = "预算执行情况", "预算执行率"
FIGURE_ROLES = (("initial", "年初预算数"), ("budget", "全年预算数"), ("spent", "全年执行数"))


@dataclass(frozen=True)
class SumGap:
    """A column where 年度资金总额 is not the sum of its sources."""
    role: str
    label: str
    entered: Score
    expected: Decimal
    working: Working


@dataclass
class BudgetCheck:
    block: BudgetBlock
    gaps: list[SumGap] = field(default_factory=list)
    rate: Decimal | None = None             # recomputed 执行率
    rate_working: Working | None = None
    rate_entered: Score | None = None
    rate_value: Decimal | None = None       # the entered rate as a fraction
    rate_ulp: Decimal = Decimal(0)


@dataclass
class Judged:
    """How one indicator was read: quantitative (numbers) or qualitative (a band of 分值)."""
    kind: str                               # quantitative | qualitative | unparsed
    direction: str | None = None
    missed: bool = False                    # 完成值 misses 指标值
    band: tuple[Decimal, Decimal] | None = None     # qualitative: share of 分值 allowed
    band_words: str = ""
    why: str = ""                           # unparsed: what could not be read


@dataclass
class SelfEvalRecomputation(Recomputation):
    budget: BudgetCheck | None = None
    judged: dict[int, Judged] = field(default_factory=dict)    # sheet row -> how it was read
    dropped: list[IndicatorRow] = field(default_factory=list)  # 不适用
    scale: Decimal = Decimal(1)             # 总分 / (总分 - dropped weights) when the rubric rescales

    def total(self) -> Decimal:
        return super().total() * self.scale


def run(sheet: Sheet, rubric: SelfEvalRubric) -> SelfEvalRecomputation:
    placed, judged, dropped = [], {}, []
    budget = _budget(sheet.budget, rubric) if sheet.budget else None
    if budget is not None:
        placed.append(_budget_row(budget, rubric))
    for row in sheet.rows:
        if _not_applicable(row, rubric):
            dropped.append(row)
            continue
        p = Placed(row, None, row.level1, row.level2, row.weight.value)
        judged[row.row] = _judge(p, rubric)
        placed.append(p)
    scale = Decimal(1)
    gone = sum((r.weight.value or Decimal(0) for r in dropped), Decimal(0))
    if rubric.rescale and gone and rubric.total > gone:
        scale = rubric.total / (rubric.total - gone)
    return SelfEvalRecomputation(sheet, rubric, placed, budget=budget, judged=judged, dropped=dropped, scale=scale)


def _not_applicable(row: IndicatorRow, rubric: SelfEvalRubric) -> bool:
    cells = [row.target.value if row.target else "", row.actual.value if row.actual else "", row.score.raw]
    return any(normalize_text(c) in rubric.not_applicable for c in cells if c is not None and normalize_text(c))


# ---- the budget block ----------------------------------------------------------------------------

def _budget(block: BudgetBlock, rubric: SelfEvalRubric) -> BudgetCheck:
    out = BudgetCheck(block)
    used: dict[str, Figure] = {}
    for role, label in FIGURE_ROLES:
        entered = block.total.get(role)
        parts = [(s, s.get(role)) for s in block.sources if s.get(role) is not None]
        known = [(s, c) for s, c in parts if c.value is not None]
        if entered is None:
            continue
        if any(c.value for _, c in known):        # sources all 0 or blank: not broken down
            added = sum((c.value for _, c in known), Decimal(0))
            working = Working((expr(" + ".join(fmt(c.value, 4) for _, c in known) + f" = {fmt(added, 4)}"),),
                              tuple(Figure(f"{s.label}{label}", c.value, c.cell) for s, c in known))
            if entered.value is None or abs(entered.value - added) > Decimal("0.005"):
                out.gaps.append(SumGap(role, label, entered, added, working))
                used[role] = Figure(label, added, Phrase("source.sources_sum", {"cells": tuple(c.cell for _, c in known)}))
                continue
        if entered.value is not None:
            used[role] = Figure(label, entered.value, f"{entered.cell} {block.total.label}")
    if "budget" in used and "spent" in used and used["budget"].value > 0:
        b, s = used["budget"], used["spent"]
        out.rate = s.value / b.value
        out.rate_working = Working((Phrase("step.se_rate", {"spent": fmt(s.value, 4), "budget": fmt(b.value, 4)}),),
                                   (s, b))
    rate = block.total.get("rate")
    if rate is not None and not rate.missing:
        out.rate_entered = rate
        out.rate_value, out.rate_ulp = _rate(rate.raw)
    return out


def _rate(raw: object) -> tuple[Decimal | None, Decimal]:
    """An entered 执行率 as a fraction and the unit of its last digit: 0.95, `95%`, `95.24%`, 95."""
    text = normalize_text(raw)
    percent = text.endswith("%")
    value = parse_number(text[:-1] if percent else raw)
    if value is None:
        return None, Decimal(0)
    ulp = Decimal(1).scaleb(value.as_tuple().exponent)
    if percent or value > Decimal("1.5"):
        value, ulp = value / 100, ulp / 100
    return value, ulp


def _budget_row(budget: BudgetCheck, rubric: SelfEvalRubric) -> Placed:
    total = budget.block.total
    weight_cell = total.get("weight")
    weight = weight_cell.value if weight_cell is not None and weight_cell.value else rubric.budget_weight
    score = total.get("score") or Score(None, None, "")
    row = IndicatorRow(total.row, BUDGET_LEVEL1, BUDGET_NAME, BUDGET_NAME,
                       weight_cell or Score(rubric.budget_weight, rubric.budget_weight, ""), score, None)
    p = Placed(row, None, BUDGET_LEVEL1, BUDGET_NAME, weight)
    if budget.rate is None:
        p.recomputed = Recomputed(BUDGET_NAME, weight, None, missing=("全年预算数、全年执行数",))
        return p
    rate = budget.rate
    if rubric.budget_rule == "bands":
        share = next((s for low, s in rubric.budget_bands if rate >= low), Decimal(0))
        expected = share * weight
        steps = (*budget.rate_working.steps, Phrase("step.se_band", {"rate": fmt_rate(rate), "share": fmt(share, 4),
                                                                      "weight": fmt(weight)}))
    else:
        expected = min(rate, Decimal(1)) * weight
        steps = (*budget.rate_working.steps, Phrase("step.expr", {"text": f" × {fmt(weight)}"}),
                 *((Phrase("step.se_capped"),) if rate > 1 else ()))
    p.recomputed = _rounded(Recomputed(BUDGET_NAME, weight, expected,
                                       Working(steps, budget.rate_working.figures)))
    return p


def _rounded(r: Recomputed) -> Recomputed:
    """A score entered to one decimal place stands for the recomputed one rounded there."""
    near = round_half_up(r.expected, 1)
    return Recomputed(r.indicator, r.weight, r.expected, r.working, (), min(near, r.expected), max(near, r.expected))


# ---- the indicators ------------------------------------------------------------------------------

def _direction(row: IndicatorRow, target: targets.Value, rubric: SelfEvalRubric) -> str | None:
    if row.direction:
        for d, words in rubric.directions.items():
            if any(normalize_text(w) == row.direction for w in words):
                return d
        if target.number is None or "定性" in row.direction:
            return None
    return target.direction or ("positive" if target.number is not None else None)


def _judge(p: Placed, rubric: SelfEvalRubric) -> Judged:
    row = p.row
    target = targets.parse(row.target.value if row.target else "", rubric.directions, row.unit)
    actual = targets.parse(row.actual.value if row.actual else "", rubric.directions, row.unit)
    direction = _direction(row, target, rubric)
    if target.number is None or direction is None:
        return _qualitative(row, rubric)
    pair = targets.comparable(target, actual)
    if pair is None:
        why = (f"完成值“{actual.text}”不是数值" if actual.number is None else
               f"指标值“{target.text}”与完成值“{actual.text}”单位不同")
        if not actual.text:
            why = "完成值未填"
        p.recomputed = Recomputed(row.name, p.weight or Decimal(0), None, missing=(why,))
        return Judged("unparsed", direction, why=why)
    goal, done = pair
    if p.weight is None:
        return Judged("quantitative", direction)
    expected, steps, missed = _formula(direction, goal, done, p.weight)
    figures = (Figure("指标值", target.number, f"{row.target.cell} 指标值“{row.target.value}”"),
               Figure("完成值", actual.number, f"{row.actual.cell} 完成值“{row.actual.value}”"))
    p.recomputed = _rounded(Recomputed(row.name, p.weight, expected, Working(steps, figures)))
    return Judged("quantitative", direction, missed=missed)


def _formula(direction: str, goal: Decimal, done: Decimal, weight: Decimal) -> tuple[Decimal, tuple, bool]:
    """The score by direction, its working as steps, and whether 完成值 misses 指标值."""
    values = {"done": fmt(done, 4), "goal": fmt(goal, 4), "weight": fmt(weight)}
    if direction == "equal":
        met = done == goal
        return weight if met else Decimal(0), (Phrase("step.se_equal_met" if met else "step.se_equal_missed", values),), \
            not met
    if direction == "positive":
        missed = done < goal
        share = Decimal(1) if goal <= 0 else min(done / goal, Decimal(1))
    else:
        missed = done > goal
        share = Decimal(1) if done <= 0 else min(goal / done, Decimal(1))
    steps = (Phrase(f"step.se_{direction}", values), *((Phrase("step.se_capped"),) if share == 1 and done != goal else ()))
    return share * weight, steps, missed


def _qualitative(row: IndicatorRow, rubric: SelfEvalRubric) -> Judged:
    target = normalize_text(row.target.value if row.target else "")
    actual = normalize_text(row.actual.value if row.actual else "")
    if actual and actual == target:
        return Judged("qualitative", band=(Decimal(1), Decimal(1)), band_words=f"完成值与指标值一致（{actual}）")
    hits = sorted(((w, d) for d in rubric.degrees for w in d.words if w in actual), key=lambda x: -len(x[0]))
    if hits:
        word, degree = hits[0]
        return Judged("qualitative", missed=True, band=(degree.low, degree.high), band_words=word)
    achieved = [w for w in rubric.achieved if w in actual]
    if achieved:
        return Judged("qualitative", band=(Decimal(1), Decimal(1)), band_words=achieved[0])
    return Judged("qualitative")
