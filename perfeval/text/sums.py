"""Texts that state a total and then its parts: `全年共执行资金90万元。其中：A30万元；B30万元；C30万元。`,
`调整后预算320万元，包括财政拨款300万元、其他资金20万元`, `…分别为30万元、60万元`.

`statements()` finds each such statement in a text: the total (an amount after a total word such as 共 or
合计, or the amount just before the marker in its own sentence), the parts (every amount after 其中 /
包括 / 分别为 up to the sentence's end) and whether the list says it is partial (等, 主要, ……), in which
case it is not to be checked. Amounts are in 万元 (元 and 亿元 converted), with their rounding.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from perfeval.text.figures import Passage, TextFigure, extract, normalize

_MARKER = re.compile(r"其中[:：]?|包括[:：]?|分别为|分别是")
_TOTAL_WORD = re.compile(r"(?:共计|合计|总计|总额|累计|共|总)")
_PARTIAL = re.compile(r"等|主要|……|\.\.\.|…|部分|包含但不限于|以及其他|其他各项")
_ROUGH = re.compile(r"约|近|余|多|以上|以下|左右|超过|不足|逾")
_SENTENCE_END = "。！？!?\n"


@dataclass(frozen=True)
class Statement:
    total: TextFigure
    parts: tuple[TextFigure, ...]
    partial: bool
    text: str                   # the statement as written (normalized), total to last part

    @property
    def added(self) -> Decimal:
        return sum((p.value for p in self.parts), Decimal(0))

    @property
    def slack(self) -> Decimal:
        """How far the parts may miss the total by their rounding: half a last digit each."""
        return (self.total.ulp + sum((p.ulp for p in self.parts), Decimal(0))) / 2

    @property
    def holds(self) -> bool:
        return abs(self.added - self.total.value) <= self.slack


def _sentence(text: str, pos: int) -> tuple[int, int]:
    start = max((text.rfind(ch, 0, pos) for ch in _SENTENCE_END), default=-1) + 1
    ends = [i for i in (text.find(ch, pos) for ch in _SENTENCE_END) if i >= 0]
    return start, min(ends) if ends else len(text)


def statements(text: str | Passage) -> list[Statement]:
    """The statements of a text, or of a Passage already read from it (its figures are not read again)."""
    passage = text if isinstance(text, Passage) else extract(text or "")
    norm = normalize(passage.text)
    amounts = [f for f in passage.figures if f.kind == "amount"]
    out = []
    for m in _MARKER.finditer(norm):
        start, end = _sentence(norm, m.start())
        nxt = _MARKER.search(norm, m.end())
        stop = min(end, nxt.start()) if nxt else end
        parts = tuple(f for f in amounts if m.end() <= f.start and f.end <= stop)
        total = _total(norm, amounts, start, m.start())
        if total is None or len(parts) < 2:
            continue
        region = norm[max(start, m.start() - 4):stop]        # `主要包括`: the words just before count
        partial = bool(_PARTIAL.search(region)) or any(f.approx or _ROUGH.search(f.text) for f in (total, *parts))
        out.append(Statement(total, parts, partial, norm[total.start:parts[-1].end]))
    return out


def _total(norm: str, amounts: list[TextFigure], start: int, marker: int) -> TextFigure | None:
    """The amount the parts add up to: the last one before the marker in its sentence; when the
    marker opens a sentence, the last amount of the sentence before it if that one names a total."""
    before = [f for f in amounts if start <= f.start and f.end <= marker]
    if before:
        return before[-1]
    prev_start, _ = _sentence(norm, max(start - 1, 0))
    earlier = [f for f in amounts if prev_start <= f.start and f.end <= start]
    if earlier and _TOTAL_WORD.search(norm[prev_start:earlier[-1].start]):
        return earlier[-1]
    return None
