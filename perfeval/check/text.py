"""Checks on figures read from text: stated rates against the amounts beside them, 总体评价 against the
table, and notes on figures that disagree or stand in for others. Each yields Findings; none does I/O.

Only figures bound to an input through the rubric's keywords are checked, and a rough figure is
checked at the precision it claims ("约3.4%" holds for 3.43%, "93.18%" only within 0.005 points).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterator

from perfeval.check import table as table_checks
from perfeval.score import rules
from perfeval.text.binding import Bound, first_conflict, most_precise
from perfeval.score.evidence import Evidence, FigureSet
from perfeval.model import SEQUENCE, Finding, Phrase, Working
from perfeval.numbers import fmt, fmt_rate
from perfeval.score.recompute import Recomputation, cited
from perfeval.rubric import Input
from perfeval.text.figures import TIME_KINDS, package_label


def _show(value: Decimal, inp: Input) -> str | Phrase:
    if inp.unit == "rate":
        return fmt_rate(value)
    return Phrase("unit.wan_yuan", {"value": fmt(value, 4)}) if inp.unit == "万元" else fmt(value, 4)


def _plain(value: Decimal | str, inp: Input) -> Decimal | str:
    """entered/expected for JSON: a number in the unit people read (93.18 for 93.18%), else text."""
    if isinstance(value, Decimal):
        return value * 100 if inp.unit == "rate" else value
    return str(value)


def _stated(b: Bound) -> Decimal | str:
    return b.figure.value if isinstance(b.figure.value, Decimal) else b.figure.text


def _indicator_at(rc: Recomputation) -> dict[str, str]:
    """reason cell -> indicator name, to place text findings at their indicator."""
    return {p.row.reason.cell: p.name for p in rc.placed if p.row.reason}


def _quote(b: Bound) -> str:
    label = package_label(b.passage, b.figure.package)
    clause = b.clause
    return clause if not label or label in clause else f"{label}…{clause}"


# ---- stated values against their own arithmetic -------------------------------------------------

@dataclass(frozen=True)
class Computed:
    option: dict                # the measure, as the rubric's check writes it
    measured: rules.Measured
    low: Decimal                # the range rough figures allow
    high: Decimal

    @property
    def working(self) -> Working:
        return Working((rules.expr(self.measured.text), *cited(self.measured.figures)), self.measured.figures,
                       self.measured.value)

    @property
    def formula(self) -> Phrase:
        return self.working.text


@dataclass(frozen=True)
class Verdict:
    holds: bool
    computed: Computed                  # by the first basis the figures allow
    other_basis: Computed | None = None  # another basis the stated value does follow from


def _options(inp: Input) -> list:
    return inp.check if isinstance(inp.check, list) else [inp.check]


def verdict(b: Bound, inp: Input, found: FigureSet) -> Verdict | None:
    """Does a stated value follow from the figures? It holds when its interval meets the range they
    allow. A part (其中包组2…30.3万元未支付) only has to stay within the whole; a part's rate says nothing
    of the project's. None when the figures allow no check."""
    if b.figure.partial and inp.unit != "万元":
        return None
    computed = []
    figures = found.figures
    for option in _options(inp):
        try:
            m = rules.measure(option, figures, as_rate=inp.unit == "rate")
        except rules.Missing:
            continue
        if found.mixes_contested(m.figures):
            continue                    # 基础数据 the text contradicts, beside the text's own figures
        span = rules.at_corners(lambda moved: rules.measure(option, moved).value, figures, m.figures)
        computed.append(Computed(option, m, *(span or (m.value, m.value))))
    if not computed:
        return None
    low, high = b.figure.interval()

    def holds(c: Computed) -> bool:
        return low <= c.high and (b.figure.partial or c.low <= high)

    if holds(computed[0]):
        return Verdict(True, computed[0])
    return Verdict(False, computed[0], next((c for c in computed[1:] if holds(c)), None))


def _should(b: Bound, inp: Input, c: Computed) -> str | Phrase:
    shown = _show(c.measured.value, inp)
    return Phrase(SEQUENCE, {"parts": ("≤ ", shown)}) if b.figure.partial else shown


def _arithmetic(rc: Recomputation, b: Bound, inp: Input, cell: str, indicator: str | None, mismatch):
    """rate-basis when the stated value follows from another basis than the rubric's own (its check's
    first), else mismatch(verdict) when it follows from none; None when it holds."""
    v = verdict(b, inp, rc.evidence.beside(b))
    if v is None or v.holds:
        return None
    if v.other_basis is None:
        return mismatch(v)
    names = lambda option: next(iter(option.values()))
    own = names(_options(inp)[0])
    other = names(v.other_basis.option)
    return table_checks.finding(rc, "rate-basis", cell, indicator, entered=_plain(_stated(b), inp),
                          stated=b.figure.text, input=inp.name,
                          wanted=tuple(n for n in own if n not in other),
                          used=tuple(n for n in other if n not in own),
                          formula=v.other_basis.formula, working=v.other_basis.working)


def check_stated(rc: Recomputation) -> Iterator[Finding]:
    """stated-rate-mismatch: a rate (or unpaid amount) in a 扣分理由 or 存在问题 that its amounts deny."""
    if rc.evidence is None:
        return
    at = _indicator_at(rc)
    for b in rc.evidence.table():
        inp = rc.evidence.rubric.inputs[b.input]
        if inp.check is None:
            continue
        cell, indicator = b.passage.cell, at.get(b.passage.cell)
        finding = _arithmetic(rc, b, inp, cell, indicator, lambda v: table_checks.finding(
            rc, "stated-rate-mismatch", cell, indicator, entered=_plain(_stated(b), inp),
            expected=_plain(v.computed.measured.value, inp), working=v.computed.working, quote=b.clause,
            formula=v.computed.formula, should=_should(b, inp, v.computed)))
        if finding is not None:
            yield finding


# ---- 总体评价 against the table -------------------------------------------------------------------

def check_narrative(rc: Recomputation) -> Iterator[Finding]:
    """narrative-mismatch: 总体评价 quotes a total, grade, amount, rate or date the table contradicts."""
    ev: Evidence | None = rc.evidence
    if ev is None:
        return
    seen = set()
    for b in ev.narrative():       # the first mention of a figure speaks for the others
        key = (b.input, b.figure.package)
        if key in seen or b.figure.partial and rc.evidence.rubric.inputs[b.input].check is None:
            continue
        seen.add(key)
        finding = _against_table(rc, ev, b)
        if finding is not None:
            yield finding


def _mismatch(rc: Recomputation, b: Bound, what: object, expected: object, should: str, where: object,
              working=None) -> Finding:
    inp = rc.evidence.rubric.inputs[b.input]
    return table_checks.finding(rc, "narrative-mismatch", b.passage.cell, None, entered=_plain(_stated(b), inp),
                          expected=_plain(expected, inp), working=working, quote=_quote(b), what=what,
                          should=should, where=where)


def _against_table(rc: Recomputation, ev: Evidence, b: Bound) -> Finding | None:
    inp = rc.evidence.rubric.inputs[b.input]
    low, high = (None, None) if inp.unit in ("date", "grade") else b.figure.interval()
    sheet = rc.sheet
    if inp.unit == "score":
        total = sheet.total.value if sheet.total and sheet.total.value is not None else None
        added = table_checks.scored_sum(rc)
        if any(v is not None and low <= v <= high for v in (total, added)):
            return None
        shown = total if total is not None else added
        return _mismatch(rc, b, Phrase("what.total"), shown, fmt(shown),
                         sheet.total.cell if sheet.total else Phrase("what.scores_sum"))
    if inp.unit == "grade":
        bands = table_checks.bands(rc)
        entered = sheet.grade.value.strip() if sheet.grade and sheet.grade.value.strip() else None
        grade = bands.entered(entered) if entered else None
        if grade is None and sheet.total and sheet.total.value is not None:
            grade = bands.grade(sheet.total.value)
        if grade is None or bands.entered(b.figure.value) == grade:     # 良 and 良好 are one grade
            return None
        return _mismatch(rc, b, Phrase("what.grade"), grade, grade,
                         sheet.grade.cell if entered else Phrase("what.band_of_total"))
    if inp.check is not None:
        return _arithmetic(rc, b, inp, b.passage.cell, None, lambda v: _mismatch(
            rc, b, inp.name, v.computed.measured.value, _should(b, inp, v.computed), v.computed.formula,
            v.computed.working))
    fixed = ev.structured.get(b.input)
    if fixed is not None:
        if low <= fixed.value <= high:
            return None
        return _mismatch(rc, b, inp.name, fixed.value, _show(fixed.value, inp), fixed.source)
    package = b.figure.package if b.figure.kind in TIME_KINDS else None
    table = [t for t in ev.table() if t.input == b.input and not t.figure.partial
             and (t.figure.package == package or t.figure.kind not in TIME_KINDS)]
    if not table or first_conflict(table):
        return None
    ref = most_precise(table)
    if b.figure.agrees(ref.figure):
        return None
    label = package_label(ref.passage, ref.figure.package)
    return _mismatch(rc, b, Phrase("what.package_input", {"package": label, "name": inp.name}) if label
                     else inp.name, _stated(ref), ref.figure.text,
                     f"{ref.passage.where}“{ref.clause}”")


# ---- notes ---------------------------------------------------------------------------------------

def check_conflicts(rc: Recomputation) -> Iterator[Finding]:
    """figure-conflict: one input, two different values in the texts (or text against 基础数据)."""
    ev: Evidence | None = rc.evidence
    if ev is None:
        return
    at = _indicator_at(rc)
    for c in ev.conflicts():
        first = c.first
        if isinstance(first, Bound):
            shown, where = first.figure.text, f"{first.passage.where}“{first.clause}”"
        else:
            shown, where = _show(first.value, rc.evidence.rubric.inputs[c.input]), first.source
        yield table_checks.finding(rc, "figure-conflict", c.second.passage.cell, at.get(c.second.passage.cell),
                              input=c.input, first=shown, first_where=where, second=c.second.figure.text,
                              second_where=f"{c.second.passage.where}“{c.second.clause}”")


def check_substitutes(rc: Recomputation) -> Iterator[Finding]:
    """input-substituted: a score recomputed with a stand-in (合同金额 for 实际到位资金)."""
    for p in rc.placed:
        r = p.recomputed
        if r is None or r.expected is None:
            continue
        for wanted, figure in dict(r.substituted).items():
            yield table_checks.finding(rc, "input-substituted", p.row.score.cell, p.name, working=r.working,
                                  wanted=wanted, used=figure.name, value=fmt(figure.value, 4),
                                  where=figure.source)


CHECKS = [check_stated, check_narrative, check_conflicts, check_substitutes]


def run(rc: Recomputation) -> list[Finding]:
    return [f for check in CHECKS for f in check(rc)]
