"""The 基础数据 sheets of a workbook: which scoring sheet each serves, and its rows (名称 | 数值).

A 基础数据 sheet serves the scoring sheet its title names (`基础数据-项目2`, `项目2基础数据`), else the
only scoring sheet of the workbook. One that serves none (a plain `基础数据` beside several project
sheets) is named on every scoring sheet, so the check can say its figures went unused.
"""
from __future__ import annotations

from dataclasses import replace

from perfeval.model import Sheet
from perfeval.numbers import normalize_text
from perfeval.read.layout import Grids, ref

DATA_SHEET = "基础数据"
_HEAD_WORDS = ("名称", "指标", "项目")          # a header row of the data sheet, not a figure


def serve(sheets: list[Sheet], grids: Grids) -> list[Sheet]:
    """`sheets` with the rows of the 基础数据 sheet that serves each, and the data sheets serving none."""
    served: dict[str, str] = {}
    unused: list[str] = []
    for title in (t for t in grids.sheetnames if DATA_SHEET in normalize_text(t)):
        named = _strip_marks(normalize_text(title).replace(DATA_SHEET, ""))
        owners = [s.sheet for s in sheets if named and _strip_marks(normalize_text(s.sheet)) == named]
        if not owners and len(sheets) == 1:
            owners = [sheets[0].sheet]
        for owner in owners:
            served.setdefault(owner, title)
        if not owners:
            unused.append(title)
    return [replace(s, basic_data=_rows(grids, served[s.sheet]) if s.sheet in served else s.basic_data,
                    unused_data=tuple(unused)) if s.layout is None else s for s in sheets]


def _strip_marks(text: str) -> str:
    return text.strip(" -_—()（）[]【】:：·.")


def _rows(grids: Grids, title: str) -> tuple[tuple[str, object, str], ...]:
    """Rows of a 基础数据 sheet: (name, value as entered, cell of the value)."""
    out = []
    for r, row in enumerate(grids.grid(title), start=1):
        if len(row) < 2:
            continue
        name = normalize_text(row[0]) if row[0] is not None else ""
        if not name or name in _HEAD_WORDS:
            continue
        out.append((name, grids.value(title, r, 2), f"{title}!{ref(r, 2)}"))
    return tuple(out)
