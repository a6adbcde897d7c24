"""Recompute: place every row in the rubric's tree, apply weight transfers, run each formula rule.

The result is plain data the checks read; nothing here decides what is wrong.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from . import evidence, rules
from .numbers import fmt
from .model import Figure, IndicatorRow, Recomputed, Sheet, Working
from .rubric import Indicator, Rubric


@dataclass
class Placed:
    """A sheet row with the rubric indicator it stands for (None when unknown or no rubric)."""
    row: IndicatorRow
    indicator: Indicator | None
    level1: str | None
    level2: str | None
    weight: Decimal | None          # effective weight the score is judged against
    recomputed: Recomputed | None = None

    @property
    def name(self) -> str:
        return self.indicator.name if self.indicator else self.row.name


@dataclass
class Recomputation:
    sheet: Sheet
    rubric: Rubric | None
    placed: list[Placed]
    figures: dict[str, Figure] = field(default_factory=dict)
    transfers: dict[str, str] = field(default_factory=dict)     # source -> target when applied

    def total(self) -> Decimal:
        """Sum of the scores with every recomputed one in place of the entered one."""
        total = Decimal(0)
        for p in self.placed:
            if p.recomputed is not None and p.recomputed.expected is not None:
                total += p.recomputed.expected
            elif p.row.score.value is not None:
                total += p.row.score.value
        return total


def run(sheet: Sheet, rubric: Rubric | None) -> Recomputation:
    if rubric is None:
        placed = [Placed(r, None, r.level1, r.level2, r.weight.value) for r in sheet.rows]
        return Recomputation(sheet, None, placed)
    figures = evidence.gather(sheet, rubric)
    placed = []
    for r in sheet.rows:
        ind = rubric.find(r.name)
        if ind is None:
            placed.append(Placed(r, None, r.level1, r.level2, r.weight.value))
        else:
            placed.append(Placed(r, ind, ind.level1, ind.level2, ind.weight))
    by_name = {p.indicator.name: p for p in placed if p.indicator}
    transfers = _transfers(rubric, by_name, figures)
    for source, target in transfers.items():
        by_name[target].weight += by_name[source].weight
        by_name[source].weight = Decimal(0)
    for p in placed:
        if p.indicator is None or not p.indicator.is_formula:
            continue
        if p.indicator.name in transfers and p.indicator.spec["transfer_when_zero"] in figures:
            f = figures[p.indicator.spec["transfer_when_zero"]]
            p.recomputed = Recomputed(p.name, Decimal(0), Decimal(0), Working(
                f"{f.name} = 0 → 0（{fmt(p.indicator.weight)} 分计入{transfers[p.indicator.name]}）", (f,)))
            continue
        outcome = rules.recompute(p.indicator, p.weight, figures)
        p.recomputed = Recomputed(p.name, p.weight, outcome.expected, outcome.working, outcome.missing)
    return Recomputation(sheet, rubric, placed, figures, transfers)


def _transfers(rubric: Rubric, by_name: dict[str, Placed], figures: dict[str, Figure]) -> dict[str, str]:
    """Weights that move: `transfer_to` applies when its input is 0 (no software planned), or, when
    that figure is absent, when the sheet itself scored the source 0 and the target above its weight,
    or wrote the moved weights (0 and weight + moved) in its weight column."""
    out: dict[str, str] = {}
    for ind in rubric.indicators:
        target = ind.spec.get("transfer_to")
        if not target or ind.name not in by_name or target not in by_name:
            continue
        flag = figures.get(ind.spec["transfer_when_zero"])
        if flag is not None:
            if flag.value == 0:
                out[ind.name] = target
            continue
        src, tgt = by_name[ind.name].row.score.value, by_name[target].row.score.value
        room = by_name[target].weight
        if src == 0 and tgt is not None and room < tgt <= room + ind.weight:
            out[ind.name] = target
        elif by_name[ind.name].row.weight.value == 0 and by_name[target].row.weight.value == room + ind.weight:
            out[ind.name] = target          # the sheet wrote the transfer into its weight column
    return out
