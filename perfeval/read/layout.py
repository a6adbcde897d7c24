"""Where things sit on a scoring sheet, read from cell values: the header words that name the
columns, level labels with their weights, grade bands, the indicator table, the header block above it,
and the footer below it (the 基础数据 sheets: datasheet.py).

Layouts met in the field: the table starts anywhere below title rows; header words span up to four
rows; level-1/level-2 cells are merged, repeated on every row, or left blank below the first; level
weights are written `决策 (20)`, `决策（20分）` or not at all; the header repeats on every printed page;
scores are numbers or text (`3分`, `３`). Nothing here opens a file: cells come through a grid object
(workbook.Grids) that workbook.py builds.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, get_column_letter

from perfeval.model import Bands, IndicatorRow, Project, Score, Sheet, Subtotal, Text
from perfeval.numbers import normalize_text, parse_number
from perfeval.read.words import parse_bands, sheet_words


class Grids(Protocol):
    """Cell values of a workbook's sheets, as reader.py serves them (formulas already evaluated)."""
    sheetnames: list[str]

    def grid(self, title: str) -> list[tuple]: ...
    def value(self, title: str, row: int, col: int) -> object: ...
    def text(self, title: str, row: int, col: int) -> str: ...

ROLES: list[tuple[str, tuple[str, ...]]] = [
    ("level1", ("一级指标",)),
    ("level2", ("二级指标",)),
    ("level3", ("三级指标",)),
    ("reason", ("扣分理由", "扣分原因", "扣分说明", "扣分依据", "得分理由", "评分理由")),
    ("standard", ("评分标准", "评分细则", "评分依据", "评分方法")),
    ("description", ("指标说明", "指标解释", "指标内涵", "指标释义")),
    ("weight", ("权重", "分值", "标准分", "满分")),
]
_SCORE_WORDS = re.compile(r"^(评分|得分|实际得分|评价得分|专家评分|评审得分|复核得分)(\(分\))?$")
_OTHER_HEADER_WORDS = {"名称", "评价指标", "指标名称", "序号"}
_LEVEL_LABEL = re.compile(r"^(.*?)\((\d+(?:\.\d+)?)(?:分|%)?\)$")
FOOTER_LABELS = ("总体评价", "存在问题", "改进建议", "评审组", "机构名称", "日期")
_TOTAL_WORDS = ("合计", "总分", "总计", "综合得分")


@lru_cache(maxsize=1 << 12)
def role_of(text: str) -> str | None:
    if not text:
        return None
    for role, words in ROLES:
        if any(w in text for w in words):
            return role
    if _SCORE_WORDS.match(text):
        return "score"
    return None


def _header_like(text: str) -> bool:
    return role_of(text) is not None or text in _OTHER_HEADER_WORDS


def split_level_label(text: str) -> tuple[str, Decimal | None]:
    """`决策 (20)`, `决策（20分）` -> ('决策', 20); `决策` -> ('决策', None)."""
    m = _LEVEL_LABEL.match(text)
    if m and m[1]:
        return m[1], Decimal(m[2])
    return text, None


def ref(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


# ---- the table -----------------------------------------------------------------------------------

@dataclass
class _Header:
    first_row: int          # first header row
    data_row: int           # first row after the header band
    cols: dict[str, int]    # role -> 1-based column


def _row_texts(grid: list[tuple], r: int) -> list[str]:
    return [normalize_text(v) if isinstance(v, str) else "" for v in grid[r - 1]]


def find_header(grid: list[tuple]) -> _Header | None:
    for r in range(1, len(grid) + 1):
        texts = _row_texts(grid, r)
        if not any(role_of(t) for t in texts):
            continue
        cols: dict[str, int] = {}
        last = r
        for rr in range(r, min(r + 4, len(grid) + 1)):
            row_texts = _row_texts(grid, rr)
            if rr > r and not any(_header_like(t) for t in row_texts):
                break
            last = rr
            for c, t in enumerate(row_texts, start=1):
                role = role_of(t)
                if role and role not in cols:
                    cols[role] = c
        if "level3" in cols and "score" in cols:
            return _Header(r, last + 1, cols)
    return None


def _is_repeated_header(texts: list[str]) -> bool:
    filled = [t for t in texts if t]
    return bool(filled) and all(_header_like(t) for t in filled)


def _footer_start(texts: list[str]) -> bool:
    first = next((t for t in texts if t), "")
    return first.startswith(_TOTAL_WORDS + ("等级标准", "评价等级", "总体评价")) and len(first) <= 12


def read_table(path: Path, title: str, grids: Grids, header: _Header) -> Sheet:
    grid = grids.grid(title)
    cols = header.cols
    rows: list[IndicatorRow] = []
    subtotals: list[Subtotal] = []
    level_weights: list[tuple[int, str, Decimal, str]] = []
    current = {1: None, 2: None}
    footer_row = len(grid) + 1

    def cell_text(r: int, role: str) -> str:
        c = cols.get(role)
        return grids.text(title, r, c) if c else ""

    def score_at(r: int, role: str) -> Score:
        c = cols.get(role)
        if not c:
            return Score(None, None, "")
        value = grids.value(title, r, c)
        return Score(value, parse_number(value), ref(r, c))

    for r in range(header.data_row, len(grid) + 1):
        texts = [normalize_text(grids.text(title, r, c)) for c in range(1, len(grid[r - 1]) + 1)]
        if not any(texts):
            continue
        if _footer_start(texts):
            footer_row = r
            break
        if _is_repeated_header(texts):
            continue
        for level in (1, 2):
            label = normalize_text(cell_text(r, f"level{level}"))
            if label and not label.endswith("小计"):
                name, weight = split_level_label(label)
                if level == 1 and name != current[1]:
                    current[2] = None
                current[level] = name
                if weight is not None:
                    level_weights.append((level, name, weight, ref(r, cols[f"level{level}"])))
        name = normalize_text(cell_text(r, "level3"))
        weight, score = score_at(r, "weight"), score_at(r, "score")
        level1_text = normalize_text(cell_text(r, "level1"))
        level2_text = normalize_text(cell_text(r, "level2"))
        if name.endswith("小计") or (not name and not score.missing):
            scope = _subtotal_scope(name, level1_text, level2_text, current)
            subtotals.append(Subtotal(scope, current[scope] or "", score))
            continue
        if not name:
            continue
        reason_text = cell_text(r, "reason")
        reason_col = cols.get("reason")
        rows.append(IndicatorRow(
            row=r, level1=current[1], level2=current[2], name=name, weight=weight, score=score,
            reason=Text(reason_text, ref(r, reason_col)) if reason_col else None,
            standard=cell_text(r, "standard"),
            standard_cell=ref(r, cols["standard"]) if "standard" in cols else "",
            description=cell_text(r, "description")))

    sheet = Sheet(path=str(path), sheet=title, title=_title(grid, header.first_row),
                  project=_project(grids, title, header.first_row), rows=tuple(rows),
                  subtotals=tuple(subtotals), level_weights=_first_weights(level_weights))
    return _with_footer(sheet, grids, title, footer_row, cols)


def _subtotal_scope(name: str, level1_text: str, level2_text: str, current: dict) -> int:
    """Which group a 小计 row sums: the one its label names (`决策小计`), level 1 when `小计` stands in
    the 一级指标 or 二级指标 column (or the row has no level-2 group), else the current level-2 group."""
    label = next((t for t in (name, level2_text, level1_text) if t.endswith("小计")), "")
    prefix = split_level_label(label[:-2])[0] if label else ""
    for level in (1, 2):
        if prefix and prefix == current[level]:
            return level
    if level1_text.endswith("小计") or level2_text.endswith("小计") or current[2] is None:
        return 1
    return 2


def _first_weights(items: list[tuple[int, str, Decimal, str]]) -> tuple[tuple[int, str, Decimal, str], ...]:
    seen: dict[tuple[int, str], tuple[int, str, Decimal, str]] = {}
    for item in items:
        seen.setdefault(item[:2], item)
    return tuple(seen.values())


def _header_labels() -> tuple[str, ...]:
    """Every label of the header block (项目单位, ...), as templates/sheet.toml lists them."""
    return tuple(label for words in sheet_words().header.values() for label in words)


def _title(grid: list[tuple], header_row: int) -> str | None:
    fallback = None
    for r in range(1, header_row):
        for v in grid[r - 1]:
            if isinstance(v, str) and v.strip():
                t = v.strip().strip("*").strip()
                if any(w in t for w in ("评分", "评价", "绩效")) and not any(
                        l in t for l in _header_labels()):
                    return t
                fallback = fallback or t
    return fallback


def _labelled_value(grids: Grids, title: str, r: int, c: int, label: str,
                    stop_labels: tuple[str, ...]) -> Text | None:
    """The value written after a label: in the same cell (`项目单位：X`) or the next filled cell."""
    own = grids.text(title, r, c)
    rest = re.sub(r"^\s*" + "".join(ch + r"\s*" for ch in label) + r"(\([^)]*\)|（[^）]*）)?[:：]?", "", own)
    if rest.strip() and rest != own:
        return Text(rest.strip(), ref(r, c))
    width = len(grids.grid(title)[r - 1])
    for cc in range(c + 1, width + 1):
        text = grids.text(title, r, cc)
        if not text:
            continue
        if any(normalize_text(text).startswith(s) for s in stop_labels):
            return None
        return Text(text, ref(r, cc))
    return None


def _project(grids: Grids, title: str, header_row: int) -> Project:
    grid = grids.grid(title)
    found: dict[str, Text] = {}
    labels = _header_labels()
    for r in range(1, header_row):
        for c, v in enumerate(grid[r - 1], start=1):
            t = normalize_text(v) if isinstance(v, str) else ""
            for key, label in ((k, label) for k, words in sheet_words().header.items() for label in words):
                if t.startswith(label) and key not in found:
                    value = _labelled_value(grids, title, r, c, label, labels)
                    if value is not None:
                        found[key] = value
    budget = found.get("budget")
    return Project(
        unit=found["unit"].value if "unit" in found else None,
        code=found["code"].value if "code" in found else None,
        name=found["name"].value if "name" in found else None,
        budget=parse_number(budget.value) if budget else None,
        budget_cell=budget.cell if budget else None)


def _with_footer(sheet: Sheet, grids: Grids, title: str, start: int, cols: dict[str, int]) -> Sheet:
    grid = grids.grid(title)
    total = total_weight = grade = standard = None
    narrative: dict[str, Text] = {}
    stops = ("评价等级", "等级标准") + FOOTER_LABELS
    for r in range(start, len(grid) + 1):
        for c, v in enumerate(grid[r - 1], start=1):
            t = normalize_text(v) if isinstance(v, str) else ""
            if not t:
                continue
            if total is None and t.startswith(_TOTAL_WORDS) and len(t) <= 6:
                total, total_weight = _total_row(grids, title, r, c, cols)
            elif t.startswith("等级标准") and standard is None:
                standard = _labelled_value(grids, title, r, c, "等级标准", stops)
            elif t.startswith("评价等级") and grade is None:
                grade = _labelled_value(grids, title, r, c, "评价等级", stops)
                if grade is not None and len(parse_bands(grade.value)) >= 2:    # the bands, not the grade
                    standard = standard or grade
                    grade = _right_of(grids, title, r, grade.cell)
                if grade is None:       # left blank: the cell it belongs in, for the finding
                    grade = Text("", ref(r, cols["score"] if cols["score"] > c else c + 1))
            else:
                for label in FOOTER_LABELS:
                    if t.startswith(label) and label not in narrative and len(t) < 60:
                        value = _labelled_value(grids, title, r, c, label, stops)
                        if value is not None:
                            narrative[label] = value
    return Sheet(**{**sheet.__dict__, "total": total, "total_weight": total_weight, "grade": grade,
                    "grade_standard": standard,
                    "bands": parse_bands(standard.value) if standard else Bands(),
                    "narrative": tuple(narrative.items())})


def _right_of(grids: Grids, title: str, r: int, cell: str) -> Text | None:
    """The first filled cell right of `cell` on row r (the grade entered beside a band text)."""
    width = len(grids.grid(title)[r - 1])
    for cc in range(column_index_from_string(coordinate_from_string(cell)[0]) + 1, width + 1):
        if grids.text(title, r, cc):
            return Text(grids.text(title, r, cc), ref(r, cc))
    return None


def _total_row(grids: Grids, title: str, r: int, c: int, cols: dict[str, int]) -> tuple[Score, Score | None]:
    """合计: its score sits in the score column, else it is the last number on the row."""
    def at(col: int) -> Score:
        value = grids.value(title, r, col)
        return Score(value, parse_number(value), ref(r, col))

    width = len(grids.grid(title)[r - 1])
    numbers = [at(cc) for cc in range(c + 1, width + 1) if grids.text(title, r, cc)]
    # a blank score cell is a missing total; a value left of the score column (a merged cell) may stand
    # for it, but never the weight column's 100 nor a remark right of the score column
    elsewhere = [at(cc) for cc in range(c + 1, cols["score"])
                 if cc != cols.get("weight") and grids.text(title, r, cc)]
    score = at(cols["score"]) if not at(cols["score"]).missing else (elsewhere[-1] if elsewhere else
                                                                      Score(None, None, ref(r, cols["score"])))
    weight = None
    if "weight" in cols and not at(cols["weight"]).missing:
        weight = at(cols["weight"])
    elif len(numbers) >= 2:
        weight = numbers[0]
    return score, weight
