"""Checks on figures read from text: stated rates against the amounts beside them, 总体评价 against the
table, and notes on figures that disagree or stand in for others. Each yields Findings; none does I/O.

Only figures bound to an input through the rubric's keywords are checked, and a rough figure is
checked at the precision it claims ("约3.4%" holds for 3.43%, "93.18%" only within 0.005 points).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from . import checks, rules
from .binding import Bound, first_conflict, most_precise
from .evidence import NARRATIVE, Evidence
from .model import Figure, Finding, Working
from .numbers import fmt, fmt_rate
from .recompute import Recomputation, cited
from .rubric import Input
from .textfigures import TIME_KINDS, package_label


def _show(value: Decimal, inp: Input) -> str:
    return fmt_rate(value) if inp.unit == "rate" else f"{fmt(value, 4)}{inp.unit if inp.unit == '万元' else ''}"


def _indicator_at(rc: Recomputation) -> dict[str, str]:
    """reason cell -> indicator name, to place text findings at their indicator."""
    return {p.row.reason.cell: p.name for p in rc.placed if p.row.reason}


def _quote(b: Bound) -> str:
    label = package_label(b.passage, b.figure.package)
    clause = b.clause
    return clause if not label or label in clause else f"{label}…{clause}"


# ---- stated values against their own arithmetic -------------------------------------------------

def _options(inp: Input) -> list:
    return inp.check if isinstance(inp.check, list) else [inp.check]


def verdict(b: Bound, inp: Input, figures: dict[str, Figure]):
    """("ok" | "basis" | "mismatch", first computable (option, measured), matching option or None).

    A stated value holds when its interval meets the range its figures allow. A part (其中包组2…30.3万元
    未支付) only has to stay within the whole; a part's rate says nothing of the project's.
    """
    computed = []
    for option in _options(inp):
        try:
            m = rules.measure(option, figures, as_rate=inp.unit == "rate")
        except rules.Missing:
            continue
        span = rules.at_corners(lambda moved: rules.measure(option, moved).value, figures, m.figures)
        computed.append((option, m, span or (m.value, m.value)))
    if not computed or (b.figure.partial and inp.unit != "万元"):
        return None
    low, high = b.figure.interval()

    def holds(span: tuple[Decimal, Decimal]) -> bool:
        return low <= span[1] and (b.figure.partial or span[0] <= high)

    if holds(computed[0][2]):
        return "ok", computed[0], None
    for other in computed[1:]:
        if holds(other[2]):
            return "basis", computed[0], other
    return "mismatch", computed[0], None


def _basis(rc: Recomputation, b: Bound, inp: Input, other, cell: str, indicator: str | None) -> Finding:
    """rate-basis: the stated value follows from another basis than the rubric's own (the first)."""
    names = lambda option: next(iter(option.values()))
    rubric_basis = _options(inp)[0]
    wanted = [n for n in names(rubric_basis) if n not in names(other[0])]
    used = [n for n in names(other[0]) if n not in names(rubric_basis)]
    m = other[1]
    return checks.finding(rc, "rate-basis", cell, indicator, entered=b.figure.text, input=inp.name,
                           wanted="、".join(wanted), used="、".join(used), formula=m.text + cited(m.figures),
                           working=Working(m.text + cited(m.figures), m.figures))


def check_stated(rc: Recomputation) -> Iterator[Finding]:
    """stated-rate-mismatch: a rate (or unpaid amount) in a 扣分理由 or 存在问题 that its amounts deny."""
    ev: Evidence | None = rc.evidence
    if ev is None:
        return
    at = _indicator_at(rc)
    for b in ev.table():
        inp = rc.rubric.inputs[b.input]
        if inp.check is None:
            continue
        found = verdict(b, inp, ev.beside(b).figures)
        if found is None or found[0] == "ok":
            continue
        cell, indicator = b.passage.cell, at.get(b.passage.cell)
        if found[0] == "basis":
            yield _basis(rc, b, inp, found[2], cell, indicator)
            continue
        _, m, span = found[1]
        formula = m.text + cited(m.figures)
        yield checks.finding(rc, "stated-rate-mismatch", cell, indicator, entered=b.figure.text,
                              expected=("≤ " if b.figure.partial else "") + _show(m.value, inp),
                              working=Working(formula, m.figures), quote=b.clause, formula=formula)


# ---- 总体评价 against the table -------------------------------------------------------------------

def check_narrative(rc: Recomputation) -> Iterator[Finding]:
    """narrative-mismatch: 总体评价 quotes a total, grade, amount, rate or date the table contradicts."""
    ev: Evidence | None = rc.evidence
    if ev is None:
        return
    seen = set()
    for b in ev.narrative():
        key = (b.input, b.figure.package)
        if key in seen or b.figure.partial and rc.rubric.inputs[b.input].check is None:
            continue
        seen.add(key)
        finding = _against_table(rc, ev, b)
        if finding is not None:
            yield finding


def _mismatch(rc: Recomputation, b: Bound, what: str, expected: str, where: str, working=None) -> Finding:
    return checks.finding(rc, "narrative-mismatch", b.passage.cell, None, entered=b.figure.text,
                           expected=expected, working=working, quote=_quote(b), what=what, where=where)


def _against_table(rc: Recomputation, ev: Evidence, b: Bound) -> Finding | None:
    inp = rc.rubric.inputs[b.input]
    low, high = (None, None) if inp.unit in ("date", "grade") else b.figure.interval()
    sheet = rc.sheet
    if inp.unit == "score":
        total = sheet.total.value if sheet.total and sheet.total.value is not None else None
        added = checks.scored_sum(rc)
        if any(v is not None and low <= v <= high for v in (total, added)):
            return None
        shown = total if total is not None else added
        return _mismatch(rc, b, "合计", f"{fmt(shown)} 分", sheet.total.cell if sheet.total else "各项评分之和")
    if inp.unit == "grade":
        bands = checks.bands(rc)
        entered = sheet.grade.value.strip() if sheet.grade and sheet.grade.value.strip() else None
        grade = checks.entered_grade(entered, bands) if entered else None
        if grade is None and sheet.total and sheet.total.value is not None:
            grade = checks.band_of(sheet.total.value, bands)
        if grade is None or grade[:1] == b.figure.value[:1]:      # 良 and 良好 are one grade
            return None
        return _mismatch(rc, b, "评价等级", grade, sheet.grade.cell if entered else "合计所在档次")
    if inp.check is not None:
        found = verdict(b, inp, ev.beside(b).figures)
        if found is None or found[0] == "ok":
            return None
        if found[0] == "basis":
            return _basis(rc, b, inp, found[2], b.passage.cell, None)
        _, m, _ = found[1]
        formula = m.text + cited(m.figures)
        return _mismatch(rc, b, inp.name, ("≤ " if b.figure.partial else "") + _show(m.value, inp), formula,
                         Working(formula, m.figures))
    fixed = ev.structured.get(b.input)
    if fixed is not None:
        if low <= fixed.value <= high:
            return None
        return _mismatch(rc, b, inp.name, _show(fixed.value, inp), fixed.source)
    package = b.figure.package if b.figure.kind in TIME_KINDS else None
    table = [t for t in ev.table() if t.input == b.input and not t.figure.partial
             and (t.figure.package == package or t.figure.kind not in TIME_KINDS)]
    if not table or first_conflict(table):
        return None
    ref = most_precise(table)
    if b.figure.agrees(ref.figure):
        return None
    label = package_label(ref.passage, ref.figure.package)
    return _mismatch(rc, b, f"{label}{inp.name}", ref.figure.text, f"{ref.passage.where}“{ref.clause}”")


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
            shown, where = _show(first.value, rc.rubric.inputs[c.input]), first.source
        yield checks.finding(rc, "figure-conflict", c.second.passage.cell, at.get(c.second.passage.cell),
                              input=c.input, first=shown, first_where=where, second=c.second.figure.text,
                              second_where=f"{c.second.passage.where}“{c.second.clause}”")


def check_substitutes(rc: Recomputation) -> Iterator[Finding]:
    """input-substituted: a score recomputed with a stand-in (合同金额 for 实际到位资金)."""
    for p in rc.placed:
        r = p.recomputed
        if r is None or r.expected is None:
            continue
        for wanted, figure in dict(r.substituted).items():
            yield checks.finding(rc, "input-substituted", p.row.score.cell, p.name, working=r.working,
                                  wanted=wanted, used=figure.name, value=fmt(figure.value, 4),
                                  where=figure.source)


CHECKS = [check_stated, check_narrative, check_conflicts, check_substitutes]


def run(rc: Recomputation) -> list[Finding]:
    return [f for check in CHECKS for f in check(rc)]
