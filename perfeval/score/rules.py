"""One small function per rule kind: figures in, expected score and its working out.

Every function takes the indicator, its effective weight and the figures bound to input names, and
returns an Outcome. Written arithmetic uses neutral symbols (÷ × − ≥ →) so it reads in any language.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Callable

from perfeval.model import Figure, Phrase, Working
from perfeval.numbers import fmt, fmt_rate
from perfeval.rubric import Indicator


@dataclass(frozen=True)
class Outcome:
    expected: Decimal | None
    working: Working | None = None
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Measured:
    value: Decimal
    text: str                    # "413.905 ÷ 444.205 = 93.18%"
    figures: tuple[Figure, ...]


def expr(text: str) -> Phrase:
    """A step of pure arithmetic in neutral symbols: the same in every language."""
    return Phrase("step.expr", {"text": text})


def working(score: Decimal, figures: tuple[Figure, ...], *steps: Phrase | str) -> Working:
    return Working(tuple(expr(s) if isinstance(s, str) else s for s in steps), figures, score)


class Missing(Exception):
    def __init__(self, names: list[str]):
        super().__init__(", ".join(map(str, names)))
        self.names = names


def _need(figures: dict[str, Figure], *names: str) -> list[Figure]:
    absent = [n for n in names if n not in figures]
    if absent:
        raise Missing(absent)
    return [figures[n] for n in names]


def measure(spec: object, figures: dict[str, Figure], as_rate: bool = True) -> Measured:
    """Form a value as the rubric says: {input}, {ratio = [A, B]}, {saving = [A, B]}, or the first
    of a list whose figures are all present."""
    if isinstance(spec, list):
        missing: list[str] = []
        for option in spec:
            try:
                return measure(option, figures, as_rate)
            except Missing as exc:
                missing += [n for n in exc.names if n not in missing]
        raise Missing(missing)
    (how, args), = spec.items()
    show = fmt_rate if as_rate else (lambda v: fmt(v, 4))
    if how == "input":
        f, = _need(figures, args)
        return Measured(f.value, show(f.value), (f,))
    a, b = _need(figures, *args)
    divisor = {"ratio": b, "saving": a}.get(how)     # the figure each formula really divides by
    if divisor is not None and divisor.value == 0:
        raise Missing([Phrase("missing.zero", {"name": divisor.name})])
    if how == "ratio":
        value = a.value / b.value
        return Measured(value, f"{fmt(a.value, 4)} ÷ {fmt(b.value, 4)} = {fmt_rate(value)}", (a, b))
    if how == "difference":
        value = a.value - b.value
        return Measured(value, f"{fmt(a.value, 4)} − {fmt(b.value, 4)} = {fmt(value, 4)}", (a, b))
    if how == "saving":
        value = (a.value - b.value) / a.value
        return Measured(value, f"({fmt(a.value, 4)} − {fmt(b.value, 4)}) ÷ {fmt(a.value, 4)} = {fmt_rate(value)}",
                        (a, b))
    raise ValueError(how)


def at_corners(compute: Callable[[dict[str, Figure]], Decimal | None], figures: dict[str, Figure],
               used: tuple[Figure, ...]) -> tuple[Decimal, Decimal] | None:
    """The least and greatest result of `compute` with every rough figure among `used` (约444.2万元,
    2016年9月: a Figure with low/high) moved to either end of its range; None if nothing computes."""
    rough = [k for k, f in figures.items() if f.low is not None and any(f is u for u in used)]
    results = []
    for corner in itertools.product(*[(figures[k].low, figures[k].high) for k in rough]):
        moved = {**figures, **{k: replace(figures[k], value=v) for k, v in zip(rough, corner)}}
        try:
            results.append(compute(moved))
        except Missing:
            pass
    results = [r for r in results if r is not None]
    return (min(results), max(results)) if results else None


def _number_or_input(ref: object, figures: dict[str, Figure]) -> tuple[Decimal, tuple[Figure, ...]]:
    try:
        return Decimal(str(ref)), ()
    except ArithmeticError:
        f, = _need(figures, str(ref))
        return f.value, (f,)


def _clamp(value: Decimal, weight: Decimal) -> Decimal:
    return max(Decimal(0), min(value, weight))


def rate(ind: Indicator, weight: Decimal, figures: dict[str, Figure]) -> Outcome:
    """score = rate × weight, full marks at 100%; with deviation_cap, quantities that differ from the
    plan score at most cap × weight."""
    m = measure(ind.spec["value"], figures)
    score = _clamp(min(m.value, Decimal(1)) * weight, weight)
    steps: list = [f"{m.text} × {fmt(weight)} = {fmt(score)}" if m.value < 1 else f"{m.text} ≥ 100% → {fmt(score)}"]
    cap = ind.spec.get("deviation_cap")
    if cap is not None and "ratio" in _chosen(ind.spec["value"], m) and m.value != 1:
        limit = Decimal(str(cap)) * weight
        if score > limit:
            score = limit
            steps.append(Phrase("step.deviation_cap", {"cap": fmt(Decimal(str(cap)) * 100), "weight": fmt(weight),
                                                       "limit": fmt(limit)}))
    return Outcome(score, working(score, m.figures, *steps))


def _chosen(spec: object, m: Measured) -> dict:
    options = spec if isinstance(spec, list) else [spec]
    names = {f.name for f in m.figures}
    for option in options:
        (how, args), = option.items()
        if set([args] if how == "input" else args) == names:
            return option
    return {}


_BOUNDS = {"at_least": ("≥", lambda v, b: v >= b), "above": (">", lambda v, b: v > b),
           "at_most": ("≤", lambda v, b: v <= b), "below": ("<", lambda v, b: v < b)}


def tiers(ind: Indicator, weight: Decimal, figures: dict[str, Figure]) -> Outcome:
    """The first tier whose bound the value meets: {at_least = x}, {above = x} (exclusive), {at_most = x}
    or {below = x} (exclusive); a bare tier is the rest."""
    m = measure(ind.spec["value"], figures)
    for tier in ind.spec["tiers"]:
        score = Decimal(str(tier["score"]))
        key = next((k for k in ("above", "below") if k in tier), None)
        if key:
            sign, holds = _BOUNDS[key]
            if holds(m.value, Decimal(str(tier[key]))):
                return Outcome(score, working(score, m.figures,
                                              f"{m.text} {sign} {fmt_rate(Decimal(str(tier[key])))} → {fmt(score)}"))
            continue
        if "at_least" in tier and m.value >= Decimal(str(tier["at_least"])):
            return Outcome(score, working(score, m.figures,
                                          f"{m.text} ≥ {fmt_rate(Decimal(str(tier['at_least'])))} → {fmt(score)}"))
        if "at_most" in tier and m.value <= Decimal(str(tier["at_most"])):
            return Outcome(score, working(score, m.figures,
                                          f"{m.text} ≤ {fmt_rate(Decimal(str(tier['at_most'])))} → {fmt(score)}"))
        if not tier.keys() & _BOUNDS.keys():
            bounds = [Decimal(str(next(t[k] for k in _BOUNDS if k in t))) for t in ind.spec["tiers"]
                      if t.keys() & _BOUNDS.keys()]
            sign = "<" if any(t.keys() & {"at_least", "above"} for t in ind.spec["tiers"]) else ">"
            edge = min(bounds) if sign == "<" else max(bounds)
            return Outcome(score, working(score, m.figures, f"{m.text} {sign} {fmt_rate(edge)} → {fmt(score)}"))
    return Outcome(None)


def floor_rate(ind: Indicator, weight: Decimal, figures: dict[str, Figure]) -> Outcome:
    """Below the floor scores 0; else rate ÷ expected × weight, full marks at the expected rate."""
    m = measure(ind.spec["value"], figures)
    floor = Decimal(str(ind.spec.get("floor", "0")))
    if m.value < floor:
        return Outcome(Decimal(0), working(Decimal(0), m.figures, f"{m.text} < {fmt_rate(floor)} → 0"))
    expected, used = _number_or_input(ind.spec["expected"], figures)
    if expected == 0:
        raise Missing([Phrase("missing.zero", {"name": ind.spec["expected"]})])
    score = _clamp(m.value / expected * weight, weight)
    return Outcome(score, working(score, m.figures + used,
                                  f"{m.text} ÷ {fmt_rate(expected)} × {fmt(weight)} = {fmt(score)}"))


def deduct_per_step(ind: Indicator, weight: Decimal, figures: dict[str, Figure]) -> Outcome:
    """points off per full step the value is over (or under) the baseline, down to 0."""
    spec = ind.spec
    gate = spec.get("zero_unless")
    gate_figs: tuple[Figure, ...] = ()
    if gate:
        g, = _need(figures, gate)
        gate_figs = (g,)
        if g.value == 0:
            return Outcome(Decimal(0), working(Decimal(0), gate_figs, Phrase("step.gate_no", {"name": gate})))
    as_rate = Decimal(str(spec["step"])) < 1
    m = measure(spec["value"], figures, as_rate=as_rate)
    baseline, used = _number_or_input(spec["baseline"], figures)
    gap = m.value - baseline if spec["direction"] == "over" else baseline - m.value
    step, points = Decimal(str(spec["step"])), Decimal(str(spec["points"]))
    show = fmt_rate if as_rate else fmt
    over = spec["direction"] == "over"
    if gap <= 0:
        return Outcome(weight, working(weight, gate_figs + m.figures + used, Phrase(
            "step.not_over" if over else "step.not_under",
            {"measured": m.text, "baseline": show(baseline), "score": fmt(weight)})))
    steps = (gap / step).to_integral_value(rounding="ROUND_FLOOR")
    score = _clamp(weight - steps * points, weight)
    return Outcome(score, working(score, gate_figs + m.figures + used, Phrase(
        "step.over_by" if over else "step.under_by",
        {"measured": m.text, "baseline": show(baseline), "gap": show(gap), "step": show(step), "points": fmt(points),
         "weight": fmt(weight), "steps": fmt(steps, 0), "score": fmt(score)})))


def not_exceed(ind: Indicator, weight: Decimal, figures: dict[str, Figure]) -> Outcome:
    m = measure(ind.spec["value"], figures, as_rate=False)
    limit, = _need(figures, ind.spec["limit"])
    ok = m.value <= limit.value
    score = weight if ok else Decimal(0)
    return Outcome(score, working(score, m.figures + (limit,),
                                  f"{m.text} {'≤' if ok else '>'} {fmt(limit.value, 4)} → {fmt(score)}"))


def satisfaction(ind: Indicator, weight: Decimal, figures: dict[str, Figure]) -> Outcome:
    """Full marks at the expected rate (or the threshold when none is set); else rate × weight."""
    m = measure(ind.spec["value"], figures)
    expected_name = ind.spec.get("expected")
    if expected_name and expected_name in figures:
        target, used = figures[expected_name].value, (figures[expected_name],)
    else:
        target, used = Decimal(str(ind.spec.get("threshold", "1"))), ()
    if m.value >= target:
        return Outcome(weight, working(weight, m.figures + used, f"{m.text} ≥ {fmt_rate(target)} → {fmt(weight)}"))
    score = _clamp(m.value * weight, weight)
    return Outcome(score, working(score, m.figures + used, Phrase("step.below_target", {
        "measured": m.text, "target": fmt_rate(target), "rate": fmt_rate(m.value), "weight": fmt(weight),
        "score": fmt(score)})))


def items(ind: Indicator, weight: Decimal, figures: dict[str, Figure]) -> Outcome:
    """points for every item that holds (flags 1/0, or a part of a point)."""
    found = _need(figures, *ind.spec["items"])
    points = Decimal(str(ind.spec.get("points", "1")))
    score = _clamp(sum((min(f.value, Decimal(1)) * points for f in found), Decimal(0)), weight)
    text = " + ".join(fmt(min(f.value, Decimal(1)) * points) for f in found) + f" = {fmt(score)}"
    return Outcome(score, working(score, tuple(found), text))


RULES: dict[str, Callable[[Indicator, Decimal, dict[str, Figure]], Outcome]] = {
    "rate": rate, "tiers": tiers, "floor_rate": floor_rate, "deduct_per_step": deduct_per_step,
    "not_exceed": not_exceed, "satisfaction": satisfaction, "items": items,
}


def allowed_scores(ind: Indicator) -> list[Decimal | tuple[Decimal, Decimal]]:
    """The scores a levels indicator allows: numbers and inclusive [low, high] ranges."""
    out: list = []
    for item in ind.spec.get("allowed", []):
        if isinstance(item, list):
            out.append((Decimal(str(item[0])), Decimal(str(item[1]))))
        else:
            out.append(Decimal(str(item)))
    return out


def is_allowed(score: Decimal, allowed: list, tolerance: Decimal) -> bool:
    for item in allowed:
        if isinstance(item, tuple):
            if item[0] - tolerance <= score <= item[1] + tolerance:
                return True
        elif abs(score - item) <= tolerance:
            return True
    return False


def describe_allowed(allowed: list) -> str:
    return "/".join(f"{fmt(item[0])}–{fmt(item[1])}" if isinstance(item, tuple) else fmt(item)
                    for item in allowed)


def recompute(ind: Indicator, weight: Decimal, figures: dict[str, Figure]) -> Outcome:
    try:
        return RULES[ind.kind](ind, weight, figures)
    except Missing as exc:
        return Outcome(None, None, tuple(exc.names))
