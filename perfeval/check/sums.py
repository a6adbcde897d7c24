"""Parts that must add up: a text (总体评价, 扣分理由, 实际完成情况 ...) that states a total and then lists
its parts is checked; a list that says it is partial (等, 主要, ……) is not. Runs on every form."""
from __future__ import annotations

from typing import Iterator

from perfeval.check.table import finding
from perfeval.model import Finding, Text, Working
from perfeval.numbers import fmt
from perfeval.score.recompute import Recomputation
from perfeval.score.rules import expr
from perfeval.text.sums import statements


def texts(rc: Recomputation) -> list[tuple[str | None, Text]]:
    """Every free text of the sheet with the indicator it belongs to (None for the sheet's own texts)."""
    out: list[tuple[str | None, Text]] = [(None, t) for _, t in rc.sheet.narrative]
    out += [(p.name, p.row.reason) for p in rc.placed if p.row.reason and p.row.reason.value]
    return out


def check_sums(rc: Recomputation) -> Iterator[Finding]:
    read = {(p.cell, p.text): p for p in rc.evidence.passages} if rc.evidence else {}   # each text read once
    for indicator, text in texts(rc):
        for s in statements(read.get((text.cell, text.value)) or text.value):
            if s.partial or s.holds:
                continue
            parts = " + ".join(fmt(p.value, 4) for p in s.parts)
            yield finding(rc, "text-sum-mismatch", text.cell, indicator, entered=s.total.value, expected=s.added,
                          working=Working((expr(f"{parts} = {fmt(s.added, 4)} ≠ {fmt(s.total.value, 4)}"),)),
                          quote=s.text, parts=parts)


def run(rc: Recomputation) -> list[Finding]:
    return list(check_sums(rc))
