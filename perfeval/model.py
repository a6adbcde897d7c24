"""Frozen records shared by every step: what was read, what was recomputed, what was found."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum, StrEnum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


class Status(StrEnum):
    """What became of one checked sheet; the value is what JSON and the ledger carry."""
    OK = "ok"
    FLAGGED = "flagged"
    UNREADABLE = "unreadable"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Phrase:
    """Words for people kept as a catalogue key and its params; writers render it in their language.

    Params are plain values (text, numbers already written out) or other Phrases; a list or tuple
    of them is rendered as an enumeration (、 in Chinese, ", " in English).
    """
    key: str
    params: dict = field(default_factory=dict, hash=False)

    def to_data(self) -> dict:
        return {"$p": self.key, "params": {k: _data(v) for k, v in self.params.items()}}

    @staticmethod
    def from_data(data: object) -> object:
        """The inverse of to_data for any value: Phrases (and lists of them) come back as Phrases."""
        if isinstance(data, dict) and "$p" in data:
            return Phrase(data["$p"], {k: Phrase.from_data(v) for k, v in data["params"].items()})
        if isinstance(data, list):
            return tuple(Phrase.from_data(v) for v in data)
        return data


def _data(value: object) -> object:
    if isinstance(value, Phrase):
        return value.to_data()
    if isinstance(value, (list, tuple)):
        return [_data(v) for v in value]
    return value


SEQUENCE = "seq"              # the Phrase key of parts rendered one after the other (a working's steps)
Words = str | Phrase          # text for people: as read from a sheet (str) or to be rendered (Phrase)


@dataclass(frozen=True)
class Text:
    """A piece of text read from the sheet and the cell it came from."""
    value: str
    cell: str


@dataclass(frozen=True)
class Project:
    unit: str | None = None
    code: str | None = None
    name: str | None = None
    budget: Decimal | None = None
    budget_cell: str | None = None


@dataclass(frozen=True)
class Score:
    """A number as entered: raw is what the cell held, value its reading (None when not a number)."""
    raw: object
    value: Decimal | None
    cell: str

    @property
    def missing(self) -> bool:
        return self.raw is None or (isinstance(self.raw, str) and not self.raw.strip())

    @property
    def places(self) -> int:
        """Decimal places the number was entered with (81 -> 0, 80.9 -> 1)."""
        if self.value is None:
            return 0
        return max(0, -self.value.as_tuple().exponent)


@dataclass(frozen=True)
class IndicatorRow:
    row: int
    level1: str | None          # label as it stands on the row (merged / repeated / filled down)
    level2: str | None
    name: str                   # 三级指标 with whitespace removed, as written
    weight: Score
    score: Score
    reason: Text | None
    standard: str = ""
    target: Text | None = None      # 自评表: 年度指标值 / 指标值 as written (`≥50个`, `≤90万元`, `效果明显`)
    actual: Text | None = None      # 自评表: 实际完成值 / 完成值 as written
    unit: str = ""                  # 自评表: 度量单位 column, when the form has one
    direction: str = ""             # 自评表: 指标性质 column (≥ ≤ =), when the form has one
    standard_cell: str = ""     # where the 评分标准 stands (rules read from it say so)
    description: str = ""       # 指标说明 (formulas are often defined there)


@dataclass(frozen=True)
class Subtotal:
    """A row that states the entered sum of a level-1 or level-2 group."""
    level: int                  # 1 or 2
    name: str
    score: Score


@dataclass(frozen=True)
class BudgetRow:
    """One row of a 自评表's budget block (年度资金总额, 其中：本年财政拨款, ...): its cells by role
    (initial, budget, spent, weight, rate, score)."""
    row: int
    label: str
    cells: tuple[tuple[str, Score], ...]

    def get(self, role: str) -> Score | None:
        return dict(self.cells).get(role)


@dataclass(frozen=True)
class BudgetBlock:
    """The 项目资金 / 预算执行情况 block of a 项目支出绩效自评表: the total row and its sources."""
    total: BudgetRow
    sources: tuple[BudgetRow, ...] = ()


@dataclass(frozen=True)
class Band:
    """One grade band: its grade word, its lower bound (inclusive) and the words that mean it (优秀 for 优)."""
    grade: str
    min: Decimal
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Bands:
    """Grade bands of any number, highest first; the rubric's or the sheet's own 等级标准."""
    bands: tuple[Band, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "bands", tuple(sorted(self.bands, key=lambda b: b.min, reverse=True)))

    def __bool__(self) -> bool:
        return bool(self.bands)

    def __iter__(self):
        return iter(self.bands)

    def __len__(self) -> int:
        return len(self.bands)

    @property
    def grades(self) -> tuple[str, ...]:
        """The grade words, highest band first (the roll-up's columns)."""
        return tuple(b.grade for b in self.bands)

    def grade(self, total: Decimal) -> str | None:
        """The band of a total, lower bound inclusive: with 良 80 and 优 90, 89.5 is 良."""
        for band in self.bands:
            if total >= band.min:
                return band.grade
        return None

    def lookup(self, word: str) -> str | None:
        """The grade a word names exactly (良 or 良好 -> 良), None when no band's."""
        return self._words.get(word)

    def entered(self, text: str) -> str:
        """An entered grade as its band names it: the word or a synonym, or text starting with one
        (良（80-89）), the longest word first; any other text comes back as it is (NFKC, no spaces)."""
        text = "".join(unicodedata.normalize("NFKC", text).split())
        word = self.lookup(text)
        if word is not None:
            return word
        for written, grade in self._words.items():
            if text.startswith(written):
                return grade
        return text

    @property
    def _words(self) -> dict[str, str]:
        """Every word of a band -> its grade, longest first."""
        words = self.__dict__.get("_words_cache")
        if words is None:
            pairs = [(w, b.grade) for b in self.bands for w in (b.grade, *b.aliases)]
            words = {}
            for w, g in sorted(pairs, key=lambda p: -len(p[0])):
                words.setdefault(w, g)
            object.__setattr__(self, "_words_cache", words)
        return words


@dataclass(frozen=True)
class Sheet:
    path: str
    sheet: str
    title: str | None
    project: Project
    rows: tuple[IndicatorRow, ...]
    subtotals: tuple[Subtotal, ...] = ()
    level_weights: tuple[tuple[int, str, Decimal, str], ...] = ()   # (level, name, weight, cell) from labels
    total: Score | None = None
    total_weight: Score | None = None
    grade: Text | None = None
    grade_standard: Text | None = None
    bands: Bands = Bands()
    narrative: tuple[tuple[str, Text], ...] = ()    # (label, text): 总体评价, 存在问题, ...
    basic_data: tuple[tuple[str, object, str], ...] = ()   # 基础数据 rows: (name, raw value, cell)
    unused_data: tuple[str, ...] = ()   # 基础数据 sheets of the workbook that serve no scoring sheet
    budget: BudgetBlock | None = None   # 自评表 only: its budget block (None on a 评分意见表)
    layout: str | None = None           # 自评表 only: the selfeval rubric whose layout was read

    def narrative_text(self, label: str) -> Text | None:
        return dict(self.narrative).get(label)


@dataclass(frozen=True)
class Figure:
    """One number used in a recomputation and where it came from."""
    name: str
    value: Decimal
    source: Words               # "基础数据!B3", "H16 扣分理由“实际已支付413.905万元”", or a Phrase
                                # (header figure, default, span of dates) rendered by the writers
    low: Decimal | None = None  # the values a rough figure stands for (约444.2万元, 2016年9月)
    high: Decimal | None = None


@dataclass(frozen=True)
class Working:
    """How a score was recomputed, as steps: each a catalogue template key and its params (the
    arithmetic in neutral symbols: "413.905 ÷ 444.205 = 93.18%"), rendered in a language by
    catalogue.working_text; the figures it used with their sources; and its result."""
    steps: tuple[Phrase, ...]
    figures: tuple[Figure, ...] = ()
    result: Decimal | None = None

    @property
    def text(self) -> Phrase:
        """The steps as one Phrase (for a finding's params): rendered one after the other."""
        return Phrase(SEQUENCE, {"parts": self.steps})

    def then(self, *steps: Phrase, figures: tuple[Figure, ...] = (), result: Decimal | None = None) -> Working:
        return Working(self.steps + steps, self.figures + figures, self.result if result is None else result)


@dataclass(frozen=True)
class Recomputed:
    """The recomputation of one formula indicator."""
    indicator: str
    weight: Decimal             # effective weight (after a weight transfer)
    expected: Decimal | None    # None when figures are missing
    working: Working | None = None
    missing: tuple[str, ...] = ()
    low: Decimal | None = None      # the range of scores rough figures (约, a month without its day)
    high: Decimal | None = None     # allow; None when the figures are exact
    substituted: tuple[tuple[str, Figure], ...] = ()    # (input the rubric wants, figure used instead)

    def accepts(self, score: Decimal, tolerance: Decimal) -> bool:
        if self.expected is None:
            return True
        low = self.expected if self.low is None else self.low
        high = self.expected if self.high is None else self.high
        return low - tolerance <= score <= high + tolerance


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    sheet: str | None = None
    cell: str | None = None
    indicator: str | None = None
    entered: object = None
    expected: object = None
    params: dict = field(default_factory=dict, compare=False, hash=False)
    working: Working | None = None


@dataclass(frozen=True)
class IndicatorResult:
    """One level-3 row after recomputation, placed in the rubric's tree when there is one."""
    level1: str | None
    level2: str | None
    name: str                   # rubric spelling when matched, else as written
    weight: Decimal | None
    entered: Decimal | None
    recomputed: Decimal | None  # the recomputed score, else the entered one
    cell: str
    reason: str | None = None   # 扣分理由 as written (None when blank)


@dataclass(frozen=True)
class GroupResult:
    """A level-1 or level-2 group of the checked sheet: its weight (the rubric's, else the sheet's label,
    else its rows' sum) and the sums of its indicators' entered and recomputed scores."""
    level: int
    name: str
    parent: str | None
    weight: Decimal | None
    entered: Decimal | None
    recomputed: Decimal | None


def place_of(path: str, sheet: str | None, several: bool) -> str:
    """A scoring sheet as reports name it: `path`, or `path[sheet]` beside other scoring sheets."""
    return f"{path}[{sheet}]" if several else path


@dataclass(frozen=True)
class SheetResult:
    path: str
    status: Status
    error: Words | None = None         # why the file could not be read (a Phrase, or text read elsewhere)
    sheet: str | None = None
    rubric: str | None = None
    project: Project = Project()
    total_entered: Decimal | None = None
    total_recomputed: Decimal | None = None
    grade_entered: str | None = None
    grade_recomputed: str | None = None
    findings: tuple[Finding, ...] = ()
    indicators: tuple[IndicatorResult, ...] = ()
    output: str | None = None          # the annotated copy, when one was asked for and written
    output_error: Words | None = None  # why no annotated copy could be written (the findings stand)
    output_notes: tuple[str, ...] = ()  # what the annotated copy could not do as for any workbook (its 汇总 says it too)
    title: str | None = None           # the sheet's title (`2018-2019年度...评分意见表`): the year comes from it
    sha256: str | None = None          # of the file's content, computed once (by the outbox or the reader)
    rubric_title: str | None = None
    groups: tuple[GroupResult, ...] = ()    # level-1 groups, each followed by its level-2 groups, sheet order
    tree: tuple[tuple[str, str | None, str | None], ...] = ()   # (indicator, level-1, level-2): rubric and rows
    execution_rate: Decimal | None = None   # 自评表: the recomputed 执行率 (全年执行数 / 全年预算数)
    internal: bool = False             # unreadable because of a bug of ours, not the file (exit code 3)
    several: bool = False              # its workbook holds several scoring sheets: reports name the sheet

    @property
    def where(self) -> str:
        """How reports name it: `path`, or `path[sheet]` when its workbook holds several scoring sheets."""
        return place_of(self.path, self.sheet, self.several)

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", Status(self.status))     # "ok" read back from the ledger

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)
