"""Binding text figures to rubric inputs through the keywords the rubric lists.

A figure is bound when a keyword of an input of its kind stands in the same clause, right before it
(合同金额444.205万元, 成本节约率约3.4%) or, failing that, right after it (2014年2月21日开工, 30.3万元）未支付),
with nothing between them but filler words (为, 约, 已, 项目...). Whatever else stands in the clause before
it must be filler too: 硬件合同金额 is not the 合同金额, 2019年度实际支出 not the 实际支出. The nearest,
then the longest keyword wins; two inputs tied bind nothing. Vague figures (余, 以上, 超过) never bind.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable

from perfeval.model import Figure
from perfeval.rubric import Input
from perfeval.text.figures import Day, Passage, TextFigure, PACKAGE, normalize


def _words(*words: str) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


_GAP_BEFORE = re.compile(r"(?:[\s:：(（“\"「]|" + _words(
    "约为", "约", "为", "是", "达到", "达", "共计", "共", "合计", "总计", "累计", "仅", "只有", "还有", "已", "人民币",
    "￥", "¥", "的", "金额", "总额", "资金", "计") + r")*")
_GAP_AFTER = re.compile(r"(?:[\s)）]|" + _words("项目", "通过", "正式", "全部", "的", "时", "已", "后", "并", "均",
                                                 "才", "已经") + r")*")
_FILLER = re.compile(r"(?:[\s:：,，(（)）“”\"]|" + _words(
    "本项目", "该项目", "此项目", "项目", "本", "该", "其中", "截至", "截止", "目前", "实际", "中标", "总", "的", "于", "在",
    "已", "共", "均", "还有", "另", "并", "且", "和", "及", "同样", "整体", "最终", "经", "已经", "主要") + r")*")


@dataclass(frozen=True)
class Bound:
    """A text figure bound to an input, with the passage it stands in."""
    input: str
    figure: TextFigure
    passage: Passage
    keyword: str                # the keyword that named it
    context: str                # from the keyword to the figure, as written: 实际已支付413.905万元

    @property
    def clause(self) -> str:
        """The clause the figure stands in, as written: 实际于2016年9月完成."""
        start, end = self.passage.clause(self.figure.start)
        return self.passage.text[start:end].strip()

    @property
    def source(self) -> str:
        return f"{self.passage.where}“{self.context}”"

    def figure_as(self, name: str | None = None) -> Figure:
        """A Figure for the rules; a hedged number (约444.2) carries the interval it stands for."""
        f = self.figure
        low = high = None
        if f.approx:
            low, high = f.interval()
        return Figure(name or self.input, f.value, self.source, low, high)


def bind(passage: Passage, inputs: Iterable[Input]) -> list[Bound]:
    norm = normalize(passage.text)
    by_kind: dict[str, list[Input]] = {}
    for inp in inputs:
        if inp.keywords and inp.kind:
            by_kind.setdefault(inp.kind, []).append(inp)
    out = []
    for f in passage.figures:
        if f.vague or f.kind not in by_kind:
            continue
        bound = _bind_one(passage, norm, f, by_kind[f.kind])
        if bound is not None:
            out.append(bound)
    return out


def _bind_one(passage: Passage, norm: str, f: TextFigure, inputs: list[Input]) -> Bound | None:
    cs, ce = passage.clause(f.start)
    clause = norm[cs:ce]
    eligible = [inp for inp in inputs if not any(word in clause for word in inp.exclude)]
    others = [g for g in passage.figures if g is not f and cs <= g.start < ce]
    found = [(inp, word, cs + at) for inp in eligible for word in inp.keywords for at in _occurrences(clause, word)]
    for side in ("before", "after"):
        best: list[tuple[int, int, Input, int]] = []       # (gap, -len(keyword), input, position)
        for inp, word, p in found:
            q = p + len(word)
            if side == "before" and q <= f.start:
                gap, pattern = (q, f.start), _GAP_BEFORE
            elif side == "after" and p >= f.end:
                gap, pattern = (f.end, p), _GAP_AFTER
            else:
                continue
            if any(gap[0] < g.end and g.start < gap[1] for g in others) \
                    or not pattern.fullmatch(norm[gap[0]:gap[1]]):
                continue
            best.append((gap[1] - gap[0], -len(word), inp, p))
        if not best:
            continue
        best.sort(key=lambda b: (b[0], b[1]))
        top = [b for b in best if b[:2] == best[0][:2]]
        if len({b[2].name for b in top}) > 1:
            return None                                     # two inputs equally near: do not guess
        _, negative_length, inp, p = best[0]
        q = p - negative_length
        if not _only_filler(norm, cs, min(p, f.start), others, inp):
            return None
        return Bound(inp.name, f, passage, norm[p:q], passage.text[min(p, f.start):max(q, f.end)])
    return None


def _occurrences(text: str, word: str) -> list[int]:
    """Where `word` stands in `text`, left to right, without overlaps (as re.finditer finds a literal)."""
    out, at = [], text.find(word)
    while at >= 0 and word:
        out.append(at)
        at = text.find(word, at + len(word))
    return out


def _only_filler(norm: str, start: int, end: int, others: list[TextFigure], inp: Input) -> bool:
    """Nothing but filler, package names, other figures and the input's own keywords before it."""
    text = list(norm[start:end])
    for g in others:
        for i in range(max(g.start, start), min(g.end, end)):
            text[i - start] = " "
    rest = "".join(text)
    rest = PACKAGE.sub(" ", rest)
    for word in sorted(inp.keywords, key=len, reverse=True):
        rest = rest.replace(word, " ")
    return bool(_FILLER.fullmatch(rest))


# ---- agreement between candidates ---------------------------------------------------------------

def first_conflict(bounds: list[Bound]) -> tuple[Bound, Bound] | None:
    for i, a in enumerate(bounds):
        for b in bounds[i + 1:]:
            if not a.figure.agrees(b.figure):
                return a, b
    return None


def most_precise(bounds: list[Bound]) -> Bound:
    """Of candidates that agree, the one written most exactly (444.205 over 约444.2; a day over a month)."""
    def key(b: Bound):
        f = b.figure
        if f.kind == "date":
            return (f.value.day is None, 0)
        return (f.approx, f.ulp)
    return min(bounds, key=key)


# ---- months between two dates --------------------------------------------------------------------

def months(a: date, b: date) -> Decimal:
    """Calendar months from a to b, the days left over counted as thirtieths of a month."""
    return Decimal((b.year - a.year) * 12 + (b.month - a.month)) + Decimal(b.day - a.day) / 30


def months_between(start: Day, end: Day) -> tuple[Decimal, Decimal, Decimal]:
    """(nominal, low, high): a date given without its day spans its whole month."""
    low, high = months(start.last(), end.first()), months(start.first(), end.last())
    if low == high:
        return low, low, high
    return ((low + high) / 2).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), low, high
