"""The 项目支出绩效自评表 layout (财预〔2020〕10号 附1 and provincial variants): the header block, the
budget block (项目资金 / 预算执行情况), the free texts (预期目标, 实际完成情况), the indicator table
(一级/二级/三级指标, 指标值, 完成值, 分值, 得分, 偏差原因) and 总分 / 自评等级.

A sheet is a 自评表 when every marker of one selfeval rubric stands on it; the words of each column come
from that rubric, so a province's layout is a TOML file. The 评分意见表 path (layout.py) never sees
these sheets. Cells come through the same grid object as layout.py's.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from perfeval import rubric_selfeval
from perfeval.model import BudgetBlock, BudgetRow, IndicatorRow, Project, Score, Sheet, Text
from perfeval.numbers import normalize_text, parse_number
from perfeval.read.layout import Grids, ref, split_level_label

_PROJECT = {"name": ("项目名称",), "unit": ("实施单位", "项目单位"), "code": ("项目代码", "项目编码")}
_STOPS = ("项目名称", "主管部门", "实施单位", "项目单位", "项目负责人", "项目代码", "联系电话", "项目编码")


def detect(grids: Grids, title: str) -> rubric_selfeval.SelfEvalRubric | None:
    """The selfeval rubric whose markers all stand on this sheet, else None."""
    words = {normalize_text(v) for row in grids.grid(title) for v in row if isinstance(v, str) and v.strip()}
    return rubric_selfeval.match(words) if words else None


def _texts(grids: Grids, title: str, r: int) -> list[str]:
    return [normalize_text(grids.text(title, r, c)) for c in range(1, len(grids.grid(title)[r - 1]) + 1)]


def _columns(texts: list[str], words: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """role -> column: the first role whose word a header cell starts with (longest words first)."""
    cols: dict[str, int] = {}
    pairs = sorted(((w, role) for role, ws in words.items() for w in ws), key=lambda p: -len(p[0]))
    for c, t in enumerate(texts, start=1):
        for word, role in pairs:
            if t and t.startswith(word) and role not in cols:
                cols[role] = c
                break
    return cols


def _find_row(grids: Grids, title: str, start: int, words: dict[str, tuple[str, ...]],
              needed: tuple[str, ...]) -> tuple[int, dict[str, int]] | None:
    for r in range(start, len(grids.grid(title)) + 1):
        cols = _columns(_texts(grids, title, r), words)
        if all(role in cols for role in needed):
            return r, cols
    return None


def _score(grids: Grids, title: str, r: int, c: int | None) -> Score:
    if not c:
        return Score(None, None, "")
    value = grids.value(title, r, c)
    return Score(value, parse_number(value), ref(r, c))


def _label(texts: list[str], before: int) -> str:
    """The row's label: the last text left of the first figure column (`其中：本年财政拨款` -> 本年财政拨款)."""
    label = next((t for t in reversed(texts[:before - 1]) if t), "")
    for lead in ("其中:", "其中", "含:"):
        if label.startswith(lead):
            return label[len(lead):]
    return label


def _budget(grids: Grids, title: str, rubric, header: int, cols: dict[str, int], stop: int) -> BudgetBlock | None:
    first = min(cols.values())
    total, sources = None, []
    for r in range(header + 1, stop):
        label = _label(_texts(grids, title, r), first)
        if not label:
            continue
        cells = tuple((role, _score(grids, title, r, c)) for role, c in cols.items())
        row = BudgetRow(r, label, cells)
        figures = any(not row.get(role).missing for role in ("initial", "budget", "spent") if row.get(role))
        if total is None and any(label.startswith(w) for w in rubric.budget_rows):
            total = row
        elif total is not None and figures and len(label) <= 20 and any(w in label for w in rubric.source_rows):
            sources.append(row)
        elif total is not None and not figures:
            break               # the block ends at the first row with no figures
    return BudgetBlock(total, tuple(sources)) if total is not None else None


def read(path: Path, title: str, grids: Grids, rubric) -> Sheet | None:
    """The Sheet of a 自评表 laid out as `rubric` says; None when its indicator table is not found."""
    table = _find_row(grids, title, 1, rubric.columns, ("level1", "level3", "target", "actual", "score"))
    if table is None:
        return None
    head, cols = table
    found = _find_row(grids, title, 1, rubric.budget_columns, ("budget", "spent", "score"))
    budget = None
    if found is not None and found[0] < head:
        budget = _budget(grids, title, rubric, found[0], found[1], head)
    rows, level_weights, end = _indicators(grids, title, rubric, head, cols)
    total, total_weight, grade = _footer(grids, title, rubric, end, cols)
    top = found[0] if found is not None and found[0] < head else head
    return Sheet(path=str(path), sheet=title, title=_title(grids, title, top), project=_project(grids, title, top, budget),
                 rows=tuple(rows), level_weights=tuple(level_weights), total=total, total_weight=total_weight,
                 grade=grade, bands=rubric.bands, narrative=_narrative(grids, title, rubric, head),
                 budget=budget, layout=rubric.id)


def _indicators(grids: Grids, title: str, rubric, head: int, cols: dict[str, int]):
    grid = grids.grid(title)
    rows, weights, seen = [], [], set()
    current: dict[int, str | None] = {1: None, 2: None}

    def text(r: int, role: str) -> str:
        return grids.text(title, r, cols[role]) if role in cols else ""

    for r in range(head + 1, len(grid) + 1):
        texts = _texts(grids, title, r)
        first = next((t for t in texts if t), "")
        if any(first.startswith(w) for w in rubric.total_rows + rubric.grade_labels):
            return rows, weights, r
        if not any(texts) or _columns(texts, rubric.columns).keys() >= {"level3", "score"}:
            continue            # blank, or the header repeated on a new page
        for level in (1, 2):
            label = normalize_text(text(r, f"level{level}"))
            if label:
                name, weight = split_level_label(label)
                if level == 1 and name != current[1]:
                    current[2] = None
                current[level] = name
                if weight is not None and (level, name) not in seen:
                    seen.add((level, name))
                    weights.append((level, name, weight, ref(r, cols[f"level{level}"])))
        name = normalize_text(text(r, "level3"))
        if not name:
            continue
        reason_col = cols.get("reason")
        rows.append(IndicatorRow(
            row=r, level1=current[1], level2=current[2], name=name,
            weight=_score(grids, title, r, cols.get("weight")), score=_score(grids, title, r, cols["score"]),
            reason=Text(text(r, "reason"), ref(r, reason_col)) if reason_col else None,
            target=Text(text(r, "target"), ref(r, cols["target"])),
            actual=Text(text(r, "actual"), ref(r, cols["actual"])),
            unit=normalize_text(text(r, "unit")), direction=normalize_text(text(r, "direction"))))
    return rows, weights, len(grid) + 1


def _footer(grids: Grids, title: str, rubric, start: int, cols: dict[str, int]):
    total = total_weight = grade = None
    for r in range(start, len(grids.grid(title)) + 1):
        for c, t in enumerate(_texts(grids, title, r), start=1):
            if total is None and any(t.startswith(w) for w in rubric.total_rows) and len(t) <= 8:
                total = _score(grids, title, r, cols["score"])
                if "weight" in cols:
                    total_weight = _score(grids, title, r, cols["weight"])
            elif grade is None and any(t.startswith(w) for w in rubric.grade_labels):
                grade = _labelled(grids, title, r, c, t, rubric.grade_labels) or Text("", ref(r, c + 1))
    return total, total_weight, grade


def _labelled(grids: Grids, title: str, r: int, c: int, own: str, labels: tuple[str, ...]) -> Text | None:
    """The value after a label: in its own cell (`自评等级：优`) or the next filled cell on the row."""
    for label in labels:
        if own.startswith(label):
            rest = own[len(label):].lstrip(":：")
            rest = rest.split(")", 1)[1] if rest.startswith("(") and ")" in rest else rest
            if rest.strip(":："):
                return Text(rest.strip(":："), ref(r, c))
    width = len(grids.grid(title)[r - 1])
    for cc in range(c + 1, width + 1):
        t = grids.text(title, r, cc)
        if t:
            return None if normalize_text(t).startswith(_STOPS) else Text(t, ref(r, cc))
    return None


def _narrative(grids: Grids, title: str, rubric, head: int) -> tuple[tuple[str, Text], ...]:
    """The free texts above the indicator table: a label with its text beside it, or, where a row holds
    two labels (预期目标 | 实际完成情况), each text under its label."""
    out: dict[str, Text] = {}
    for r in range(1, head):
        texts = _texts(grids, title, r)
        hits = [(c, label) for c, t in enumerate(texts, start=1) for label in rubric.text_labels
                if t.startswith(label) and len(t) <= len(label) + 2]
        for c, label in hits:
            if label in out:
                continue
            below = next((Text(grids.text(title, rr, c), ref(rr, c)) for rr in range(r + 1, min(r + 3, head))
                          if grids.text(title, rr, c)), None)
            beside = None if len(hits) > 1 else _labelled(grids, title, r, c, texts[c - 1], (label,))
            value = beside or below
            if value is not None:
                out[label] = value
    return tuple(out.items())


def _title(grids: Grids, title: str, top: int) -> str | None:
    parts = []
    for r in range(1, top):
        for v in grids.grid(title)[r - 1]:
            if isinstance(v, str) and v.strip():
                t = normalize_text(v)
                if t.startswith(_STOPS):
                    return "".join(parts) or None
                parts.append(v.strip())
                break
    return "".join(parts) or None


def _project(grids: Grids, title: str, top: int, budget: BudgetBlock | None) -> Project:
    found: dict[str, Text] = {}
    for r in range(1, top):
        for c, t in enumerate(_texts(grids, title, r), start=1):
            for key, labels in _PROJECT.items():
                if key not in found and any(t.startswith(label) for label in labels):
                    value = _labelled(grids, title, r, c, t, labels)
                    if value is not None:
                        found[key] = value
    amount = budget.total.get("budget") if budget else None
    value = amount.value if amount else None
    if budget and not value:        # a zero 年度资金总额: the budget is its sources' (the checks say so)
        parts = [s.get("budget").value for s in budget.sources if s.get("budget") and s.get("budget").value]
        value = sum(parts, Decimal(0)) if parts else value
    return Project(unit=found["unit"].value if "unit" in found else None,
                   code=found["code"].value if "code" in found else None,
                   name=found["name"].value if "name" in found else None,
                   budget=value, budget_cell=amount.cell if amount else None)
