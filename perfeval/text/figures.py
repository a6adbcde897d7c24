"""Figures in free text: amounts, rates, counts, dates, durations, scores and grade words.

Pure functions over one text. `extract()` returns a Passage: the text and every figure in it, each with
its span, the precision it was written with (`ulp`, the unit of its last digit), whether it was hedged
(约, 左右) or is only a bound or a change (余, 以上, 超过, 增加 — `vague`, never bound to an input), and the
package it belongs to (01包组, 包组一). Nothing here knows the rubric: binding figures to inputs is
binding.py's job.

Canonical units: amounts in 万元, rates as fractions (93.18% -> 0.9318), durations in months (a month
counts 30 days), counts as numbers, dates as Day (maybe without its day), grades as the band word.
"""
from __future__ import annotations

import calendar
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property, lru_cache

from perfeval.read.words import sheet_words

TIME_KINDS = ("date", "duration")

_FULLWIDTH = str.maketrans("０１２３４５６７８９．％－～／", "0123456789.%-~/")
_NUM = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_CN_VALUE = {ch: i for i, ch in enumerate("零一二三四五六七八九")} | {"两": 2}
_CN_NUM = r"[零一二两三四五六七八九十百]+"
_CJK = r"\u4e00-\u9fff"

_DATE_CN = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月"
                      r"(?:\s*(?P<d>\d{1,2})\s*[日号]|(?P<end>底|末))?")
_DATE_NUM = re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d{2})(?P<sep>[-./])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\d.])")
_DATE_NO_YEAR = re.compile(r"(?<![\d年])\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?")
_DURATION = re.compile(r"(?<![\d.,])(?P<num>\d+(?:\.\d+)?|" + _CN_NUM + r"|半)\s*"
                       r"(?P<more>多)?(?P<u>个多月|个半月|个月|个工作日|工作日|个星期|星期|周|天|日|年半|年)(?!度|份)")
_AMOUNT = re.compile(r"(?<![\d.,])" + _NUM + r"\s*(?P<more>余|多)?\s*(?P<u>亿元|万元|元|万(?=[^" + _CJK + r"]|$|的|左右|余))")
_PERCENT = re.compile(r"(?<![\d.,])" + _NUM + r"\s*%")
_COUNT = re.compile(r"(?<![\d.,第])(?P<num>\d+|" + _CN_NUM + r")\s*(?P<more>余|多)?"
                    r"(?P<u>个|套|台|次|项|家|人|名|件|条|户|部|批)(?!月|百分点|工作日|星期|小时|季度|性|半月)")
_SCORE = re.compile(r"(?<![\d.,])" + _NUM + r"\s*分(?![之钟别析配包组期类布管散支值档数项摊享担辨歧工红流批解段局行公院队站成部])")

PACKAGE = re.compile(r"(?<![\d.])第?(?P<n1>\d{1,2}|[一二三四五六七八九十]{1,3})号?(?:包组|标段|标包|子包|包)"
                      r"|(?:包组|标段|标包|包)\s*(?P<n2>\d{1,2}(?!\d)|[一二三四五六七八九十]{1,3})")
_CLAUSE_END = "，,。；;！？!?\n"          # not 、: items of a list share their qualifier
_SENTENCE_END = "。；;！？!?\n"
_HEDGE_BEFORE = re.compile(r"(?:约为|约合|大约|大概|约|接近|将近|近)\s*$")
_HEDGE_AFTER = re.compile(r"^\s*(?:左右|上下)")
_VAGUE_BEFORE = re.compile(r"(?:超过|超出|逾|不足|不到|低于|高于|少于|多于|不少于|不低于|不高于|至少|最多|最高|最低|"
                           r"未达到|未达|达不到|增加了?|增长了?|提高了?|提升了?|下降了?|降低了?|减少了?|上升了?|"
                           r"扣除?|每|[<>≤≥＜＞]=?)\s*(?:约)?\s*$")
_VAGUE_AFTER = re.compile(r"^\s*(?:以上|以下|之上|之下|以内|之内|内|多|余)")
_WITHIN = re.compile(r"^\s*(?:以内|之内|内)")
_CONNECTOR = re.compile(r"^\s*[-~—–至到]\s*$")
_BARE_RANGE = re.compile(r"\d\s*[-~—–至到]\s*$")          # 3-5个: the 3 has no unit of its own


@lru_cache(maxsize=1)
def _grade() -> re.Pattern:
    """A grade word after 等级/评为 (评价等级为“良”, 评定为良好等级), in the words of templates/sheet.toml."""
    words = "|".join(map(re.escape, sheet_words().grade_of))
    return re.compile(r"(?:等级|等次|评价结果|评为|评定为)\s*(?:为|是|:|：|评定为|评为)?\s*[“\"'‘「『]?"
                      r"(?P<g>" + words + r")[”\"'’」』]?(?=[^" + _CJK + r"]|$|等|级|档|次)")


@dataclass(frozen=True)
class Day:
    """A calendar date as written; `day` is None when the text gives only the month (2016年9月)."""
    year: int
    month: int
    day: int | None = None

    def first(self) -> date:
        return date(self.year, self.month, self.day or 1)

    def last(self) -> date:
        return date(self.year, self.month, self.day or calendar.monthrange(self.year, self.month)[1])

    def agrees(self, other: "Day") -> bool:
        return self.first() <= other.last() and other.first() <= self.last()


@dataclass(frozen=True)
class TextFigure:
    kind: str                   # amount | percent | count | duration | date | score | grade
    value: Decimal | Day | str
    start: int                  # span in the passage text, hedges and bounds included
    end: int
    text: str                   # the characters it came from
    ulp: Decimal = Decimal(0)   # the unit of the last digit written (0.001 for 444.205万元)
    approx: bool = False        # 约, 左右: holds within one ulp rather than half of one
    vague: bool = False         # a bound, a change or a range: never bound to an input
    package: int | None = None  # 01包组 -> 1: the package its sentence names
    partial: bool = False       # a non-time figure of a part (其中…, a package's amount)

    def interval(self) -> tuple[Decimal, Decimal]:
        """The true values the written number stands for."""
        half = self.ulp if self.approx else self.ulp / 2
        return self.value - half, self.value + half

    def agrees(self, other: "TextFigure") -> bool:
        if self.kind != other.kind:
            return False
        if self.kind == "date":
            return self.value.agrees(other.value)
        if self.kind == "grade":
            return self.value == other.value
        lo, hi = self.interval()
        olo, ohi = other.interval()
        return lo <= ohi and olo <= hi


@dataclass(frozen=True)
class Passage:
    """One text cell and the figures in it."""
    text: str
    sheet: str
    cell: str
    label: str                  # 扣分理由 | 总体评价 | 存在问题
    figures: tuple[TextFigure, ...] = ()
    packages: dict = field(default_factory=dict, compare=False, hash=False)   # number -> label as written

    @property
    def where(self) -> str:
        return f"{self.cell} {self.label}"

    def clause(self, pos: int) -> tuple[int, int]:
        return _bounds(self._clause_stops, pos, len(self.text))

    def sentence(self, pos: int) -> tuple[int, int]:
        return _bounds(self._sentence_stops, pos, len(self.text))

    # where clauses and sentences end, found once per passage (they are asked for every figure)
    @cached_property
    def _inside(self) -> frozenset[int]:
        return frozenset(i for f in self.figures for i in range(f.start, f.end))

    @cached_property
    def _clause_stops(self) -> list[int]:
        return _stops(self.text, _CLAUSE_END, self._inside)

    @cached_property
    def _sentence_stops(self) -> list[int]:
        return _stops(self.text, _SENTENCE_END, self._inside)


def normalize(text: str) -> str:
    """Full-width digits and signs to ASCII, one character for one, so spans stay valid."""
    return text.translate(_FULLWIDTH)


def cn_number(text: str) -> Decimal | None:
    """一 -> 1, 十二 -> 12, 二十四 -> 24, 两 -> 2, 半 -> 0.5, '12' -> 12; None for anything else."""
    if text.isdigit():
        return Decimal(text)
    if text == "半":
        return Decimal("0.5")
    total = current = 0
    for ch in text:
        if ch in _CN_VALUE:
            current = _CN_VALUE[ch]
        elif ch in "十百":
            total += (current or 1) * (10 if ch == "十" else 100)
            current = 0
        else:
            return None
    return Decimal(total + current)


def _number(text: str) -> tuple[Decimal, Decimal]:
    """'1,234.50' -> (1234.50, 0.01): the value and the unit of its last digit."""
    plain = text.replace(",", "")
    value = Decimal(plain)
    places = len(plain.partition(".")[2])
    return value, Decimal(1).scaleb(-places)


def _stops(text: str, ends: str, inside: frozenset[int] = frozenset()) -> list[int]:
    """Positions of the delimiters `ends` in text, in order, but for those inside figures (1,234)."""
    return [m.start() for m in _delimiters(ends).finditer(text) if m.start() not in inside]


@lru_cache(maxsize=4)
def _delimiters(ends: str) -> re.Pattern:
    return re.compile("[" + re.escape(ends) + "]")


def _bounds(stops: list[int], pos: int, length: int) -> tuple[int, int]:
    """The stretch around pos between two delimiters (their positions: `stops`, from _stops)."""
    k = bisect_left(stops, pos)
    return (stops[k - 1] + 1 if k else 0), (stops[k] if k < len(stops) else length)


def extract(text: str, sheet: str = "", cell: str = "", label: str = "") -> Passage:
    """Every figure in `text`, in order of appearance."""
    norm = normalize(text or "")
    taken: list[tuple[int, int]] = []
    found: list[dict] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    def add(m: re.Match, kind: str, value, ulp=Decimal(0), vague=False, span=None) -> None:
        s, e = span or m.span()
        if not free(s, e):
            return
        taken.append((s, e))
        found.append(dict(kind=kind, value=value, start=s, end=e, ulp=ulp, vague=vague))

    for pattern in (_DATE_CN, _DATE_NUM):
        for m in pattern.finditer(norm):
            day = _day(m["y"], m["m"], m["d"], bool(m.groupdict().get("end")))
            add(m, "date", day, vague=day is None)      # 2019年2月30日: consumed, never used
    for m in _DATE_NO_YEAR.finditer(norm):
        add(m, "date", None, vague=True)            # 9月30日: no year, consumed so 30日 is not a duration
    for m in _DURATION.finditer(norm):
        _duration(m, add)
    for m in _AMOUNT.finditer(norm):
        value, ulp = _number(m["num"])
        scale = {"亿元": Decimal(10000), "元": Decimal("0.0001")}.get(m["u"], Decimal(1))
        add(m, "amount", value * scale, ulp * scale, vague=bool(m["more"]))
    for m in _PERCENT.finditer(norm):
        value, ulp = _number(m["num"])
        add(m, "percent", value / 100, ulp / 100)
    for m in _COUNT.finditer(norm):
        value = cn_number(m["num"])
        if value is not None:
            add(m, "count", value, Decimal(1), vague=bool(m["more"]))
    for m in _SCORE.finditer(norm):
        value, ulp = _number(m["num"])
        add(m, "score", value, ulp)
    for m in _grade().finditer(norm):
        add(m, "grade", sheet_words().grade_of[m["g"]], span=m.span("g"))

    found.sort(key=lambda f: f["start"])
    sentences = _stops(norm, _SENTENCE_END)
    figures = [_qualify(norm, found, i, sentences) for i in range(len(found))]
    figures = [f for f in figures if f.value is not None]
    packages = {}
    for m in PACKAGE.finditer(norm):
        number = cn_number(m["n1"] or m["n2"])
        if number is not None and free(*m.span()):
            packages.setdefault(int(number), m.group(0))
    passage = Passage(text or "", sheet, cell, label, tuple(figures), packages)
    return Passage(passage.text, sheet, cell, label, tuple(_place(passage, norm, f) for f in figures), packages)


def _day(y: str, m: str, d: str | None, month_end: bool) -> Day | None:
    try:
        day = Day(int(y), int(m), int(d) if d else None)
        day.first()
        if month_end:
            day = Day(day.year, day.month, day.last().day)
        return day
    except ValueError:
        return None


def _duration(m: re.Match, add) -> None:
    number = cn_number(m["num"])
    unit = m["u"]
    if number is None or (m["num"] == "半" and unit not in ("年", "个月")):
        return
    if unit in ("年", "年半") and number >= 100:
        return                                      # 2015年: a year, not two thousand years
    months = {"年": Decimal(12), "年半": Decimal(12), "个月": Decimal(1), "个多月": Decimal(1),
              "个半月": Decimal(1), "天": Decimal(1) / 30, "日": Decimal(1) / 30, "个工作日": Decimal(1) / 30,
              "工作日": Decimal(1) / 30, "周": Decimal(7) / 30, "星期": Decimal(7) / 30,
              "个星期": Decimal(7) / 30}[unit]
    value = number * months + (6 if unit == "年半" else 0) + (Decimal("0.5") if unit == "个半月" else 0)
    # 3个多月 is a bound; 90个工作日 is no number of calendar months
    add(m, "duration", value, months, vague=bool(m["more"]) or unit == "个多月" or "工作日" in unit)


def _qualify(norm: str, found: list[dict], i: int, sentences: list[int]) -> TextFigure:
    """Hedges (约), bounds (超过, 以上), changes (增加) and ranges (3-5个) around a figure."""
    f = found[i]
    s, e = f["start"], f["end"]
    after = norm[e:e + 6]
    vague = f["vague"]
    hedge = _HEDGE_BEFORE.search(norm[max(0, s - 8):s])
    if hedge:
        s -= len(hedge.group(0))
    approx = bool(hedge) or bool(_HEDGE_AFTER.match(after))
    if _VAGUE_BEFORE.search(norm[max(0, s - 8):s]):
        vague = True
    if _VAGUE_AFTER.match(after) and not (f["kind"] == "duration" and _WITHIN.match(after)):
        vague = True                                # 以内 bounds an amount, but 90天内 is a contracted term
    if f["kind"] not in ("date", "grade") and (_in_range(norm, found, i) or _BARE_RANGE.search(norm[:s])):
        vague = True
    sentence_start = _bounds(sentences, f["start"], len(norm))[0]
    if "分别" in norm[sentence_start:f["start"]]:
        vague = True                                # 分别为 A、B: which is which is not ours to guess
    return TextFigure(f["kind"], f["value"], s, e, norm[s:e], f["ulp"], approx, vague)


def _in_range(norm: str, found: list[dict], i: int) -> bool:
    """3万元至5万元: a figure joined to its neighbour of the same kind by a range sign."""
    for j in (i - 1, i + 1):
        if 0 <= j < len(found) and found[j]["kind"] == found[i]["kind"]:
            a, b = sorted((found[i], found[j]), key=lambda f: f["start"])
            if _CONNECTOR.match(norm[a["end"]:b["start"]]):
                return True
    return False


def _place(passage: Passage, norm: str, f: TextFigure) -> TextFigure:
    """The package a figure belongs to, and whether it is the figure of a part.

    A package named in a sentence (01包组…开工，合同约定…，实际于…完成) holds to its end, except one
    named in passing (其中包组2还有…未支付), which holds to the end of its clause only."""
    clause_start = passage.clause(f.start)[0]
    package = None
    for m in PACKAGE.finditer(norm, passage.sentence(f.start)[0], f.start):
        number = cn_number(m["n1"] or m["n2"])
        if number is None or any(g.start <= m.start() < g.end for g in passage.figures):
            continue
        marker_clause = passage.clause(m.start())[0]
        if marker_clause != clause_start and "其中" in norm[marker_clause:m.start()]:
            continue
        package = int(number)
    partial = f.kind not in TIME_KINDS and (package is not None or "其中" in norm[clause_start:f.start])
    return TextFigure(f.kind, f.value, f.start, f.end, f.text, f.ulp, f.approx, f.vague, package, partial)


def package_label(passage: Passage, number: int | None) -> str:
    """How the passage wrote the package ("01包组"), for messages."""
    if number is None:
        return ""
    return passage.packages.get(number, f"{number}包")
