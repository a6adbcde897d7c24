"""Recompute: place every row in the rubric's tree, apply weight transfers, run each formula rule.

The result is plain data the checks read; nothing here decides what is wrong.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from perfeval.score import evidence
from perfeval.score import rules
from perfeval.score import textrules
from perfeval.numbers import fmt
from perfeval.model import Figure, IndicatorRow, Phrase, Recomputed, Sheet, Working
from perfeval.catalogue import place
from perfeval.rubric import Indicator, Rubric


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
    evidence: evidence.Evidence | None = None
    unparsed: list[tuple[IndicatorRow, str]] = field(default_factory=list)   # criteria not read into a rule

    def total(self) -> Decimal:
        """Sum of the scores with every recomputed one in place of an entered one it does not accept."""
        tolerance = self.rubric.tolerance if self.rubric else Decimal(0)
        total = Decimal(0)
        for p in self.placed:
            score, r = p.row.score.value, p.recomputed
            if r is not None and r.expected is not None and (score is None or not r.accepts(score, tolerance)):
                total += r.expected
            elif score is not None:
                total += score
        return total


def run(sheet: Sheet, rubric: Rubric | None) -> Recomputation:
    """Place every row, read the rules the sheet's 评分标准 states where no rubric gives one, recompute."""
    text = textrules.read(sheet, rubric)
    if text.rubric is None:
        placed = [Placed(r, None, r.level1, r.level2, r.weight.value) for r in sheet.rows]
        return Recomputation(sheet, None, placed, unparsed=text.unparsed)
    found = evidence.Evidence(sheet, text.rubric)
    figures = found.figure_set([found.table(), found.narrative()]).figures
    placed = []
    for r in sheet.rows:
        ind = text.by_row.get(r.row) or (rubric.find(r.name) if rubric else None)
        if ind is None:
            placed.append(Placed(r, None, r.level1, r.level2, r.weight.value))
        elif rubric is None:
            placed.append(Placed(r, ind, r.level1, r.level2, r.weight.value))
        else:
            placed.append(Placed(r, ind, ind.level1, ind.level2, ind.weight))
    by_name = {p.indicator.name: p for p in placed if p.indicator}
    transfers = _transfers(rubric, by_name, figures) if rubric else {}
    for source, target in transfers.items():
        by_name[target].weight += by_name[source].weight
        by_name[source].weight = Decimal(0)
    for p in placed:
        if p.indicator is None or not p.indicator.is_formula:
            continue
        if p.indicator.name in transfers and p.indicator.spec["transfer_when_zero"] in figures:
            f = figures[p.indicator.spec["transfer_when_zero"]]
            p.recomputed = Recomputed(p.name, Decimal(0), Decimal(0), Working((Phrase("step.transferred", {
                "name": f.name, "weight": fmt(p.indicator.weight), "target": transfers[p.indicator.name]}),),
                (f,), Decimal(0)))
            continue
        for sets in found.for_row(p.row, p.indicator):
            p.recomputed = _recompute(p, sets)
            if p.recomputed.expected is not None:
                break
    return Recomputation(sheet, rubric, placed, figures, transfers, found, text.unparsed)


def _recompute(p: Placed, sets: list[evidence.FigureSet]) -> Recomputed:
    """One figure set, or one per package with the worst package counting."""
    results = [_one(p.indicator, p.weight, s) for s in sets]
    missing = [Phrase("missing.package", {"package": s.package, "name": m}) if s.package else m
               for s, r in zip(sets, results) for m in r.missing]
    if missing:
        return Recomputed(p.name, p.weight, None, missing=tuple(dict.fromkeys(missing)))
    if len(results) == 1:
        r = results[0]
    else:
        worst = min(x.expected for x in results)
        r = Recomputed(
            p.name, p.weight, worst,
            Working(tuple(step for i, (s, x) in enumerate(zip(sets, results))
                          for step in ((Phrase("step.next"),) if i else ()) + (
                              Phrase("step.package", {"package": s.package}),) + x.working.steps)
                    + (Phrase("step.lowest", {"score": fmt(worst)}),),
                    tuple(replace(f, name=f"{s.package}{f.name}") for s, x in zip(sets, results)
                          for f in x.working.figures), worst),
            low=min(x.low for x in results), high=min(x.high for x in results),
            substituted=tuple(sub for x in results for sub in x.substituted))
    if r.low == r.high == r.expected:
        r = replace(r, low=None, high=None)
    read_from = p.indicator.spec.get("from_text")
    note = (Phrase("step.read_from", {"cell": read_from}),) if read_from else ()
    return replace(r, working=r.working.then(*cited(r.working.figures), *note))


def _one(ind: Indicator, weight: Decimal, found: evidence.FigureSet) -> Recomputed:
    figures = dict(found.figures)
    stand_ins = {}
    for wanted, stand_in in ind.spec.get("substitutes", {}).items():
        if wanted not in figures and stand_in in figures:
            figures[wanted] = stand_ins[wanted] = figures[stand_in]
    outcome = rules.recompute(ind, weight, figures)
    if outcome.expected is None:
        return Recomputed(ind.name, weight, None, missing=tuple(
            Phrase("missing.conflict", {"name": m}) if m in found.conflicted else m for m in outcome.missing))
    used = outcome.working.figures
    optional = ind.spec.get("expected")
    if optional and optional not in figures and any(figures.get(n) in used for n in found.from_text):
        # a text that names no expected rate has not said there is none (满意度: 90% applies only then)
        return Recomputed(ind.name, weight, None, missing=(optional,))
    contested = found.mixes_contested(used)
    if contested:
        return Recomputed(ind.name, weight, None, missing=tuple(
            Phrase("missing.contested", {"name": n}) for n in contested))
    low, high = rules.at_corners(lambda moved: rules.recompute(ind, weight, moved).expected, figures, used) \
        or (outcome.expected, outcome.expected)
    substituted = tuple((w, f) for w, f in stand_ins.items() if any(f is u for u in used))
    return Recomputed(ind.name, weight, outcome.expected, outcome.working, (), low, high, substituted)


def cited(figures: tuple[Figure, ...]) -> tuple[Phrase, ...]:
    """The step that says where the figures of a working came from (数据来自 H16 扣分理由、表头 预算金额 I2)."""
    places = dict.fromkeys(place(f.source) for f in figures)
    return (Phrase("step.cited", {"places": tuple(places)}),) if places else ()


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
