"""Writers of the roll-up, chosen from a dict: rollup.xlsx (native charts) and rollup.html (inline SVG).

Both write to a temporary name beside the target and `os.replace` it into place. Text that came from
an input is written as text (a 扣分理由 `=HYPERLINK(...)` stays text); the HTML is autoescaped.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Callable

import jinja2
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font

from .numbers import fmt, fmt_rate
from .rollup import Rollup
from .rubric import templates_dir

PERCENT = {"平均失分率"}
REASONS = "常见扣分理由"
CHART_TOP = 20          # indicators drawn in the 指标失分 charts
WIDTHS = {"项目单位": 22, "项目名称": 30, "来源文件": 36, "备注": 40, "说明": 50, "三级指标": 24, REASONS: 60,
          "一级指标": 10, "二级指标": 12, "项目代码": 14}
WRAP = {"项目名称", "来源文件", "备注", "说明", REASONS}      # HTML columns whose text may wrap


@dataclass(frozen=True)
class Table:
    """One table of a sheet or an HTML section: a caption, a frame and the chart it carries."""
    key: str                    # html id
    caption: str
    frame: pd.DataFrame
    chart: str | None = None    # "grades" | "indicators"


def sheets(r: Rollup) -> dict[str, list[Table]]:
    """Sheet name -> its tables, in the order of the workbook and the page."""
    year = f"{r.year}年度" if r.year else "全部"
    out = {
        "项目总表": [Table("projects", f"项目总表：{r.counts['projects']} 个项目，无法读取 {r.counts['unreadable']} 个文件，"
                                     f"重复 {r.counts['duplicates']} 个（未计入）", r.projects)],
        "等级分布": [Table("grades", f"{year}等级分布（{r.counts['this_year']} 个项目，填报与重算）", r.grades, "grades")],
        "指标失分": [Table("indicators", f"{year}各三级指标失分（按失分合计排序）", r.indicators, "indicators")],
        "单位汇总": [Table("units", f"{year}各单位得分与等级（按重算得分）", r.units)],
        "问题清单": [Table("findings", f"问题清单：错误与警告 {len(r.findings)} 条（另有提示 {r.counts['notes']} 条，"
                                     f"逐项目计数见项目总表）", r.findings)],
    }
    if r.year_grades is not None:
        out["年度对比"] = [Table("year-grades", "各年度等级分布（重算）", r.year_grades),
                         Table("year-indicators", "各年度三级指标平均得分", r.year_indicators)]
    return out


def _text(column: str, value: object) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if column == REASONS:
        return "\n".join(f"{text}（{n} 项）" for text, n in value) or None
    if column in PERCENT and isinstance(value, Decimal):
        return fmt_rate(value)
    if isinstance(value, Decimal):
        return fmt(value)
    return str(value)


# ---- xlsx ----------------------------------------------------------------------------------------

def write_xlsx(r: Rollup, path: str | Path) -> None:
    wb = Workbook(write_only=True)
    for name, tables in sheets(r).items():
        ws = wb.create_sheet(name)
        columns = list(tables[0].frame.columns)
        for i, column in enumerate(columns, start=1):
            ws.column_dimensions[_letter(i)].width = WIDTHS.get(column, max(8, 2 * len(column) + 2))
        ws.freeze_panes = "A3"
        written = 0                                     # rows written so far
        for n, table in enumerate(tables):
            if n:
                ws.append([])
                written += 1
            ws.append([_styled(ws, table.caption, bold=True)])
            ws.append([_styled(ws, c, bold=True) for c in table.frame.columns])
            first = written + 3                         # first data row, below caption and header
            for values in table.frame.itertuples(index=False, name=None):
                ws.append([_cell(ws, c, v) for c, v in zip(table.frame.columns, values)])
            written = first + len(table.frame) - 1
            if table.chart and not (table.chart == "indicators" and _charted(table.frame).empty):
                ws.add_chart(*CHARTS[table.chart](ws, table.frame, first, len(columns)))
    _replace(path, wb.save)


def _letter(i: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(i)


def _styled(ws, value: str, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def _cell(ws, column: str, value: object):
    if value is None or (isinstance(value, float) and value != value):
        return None
    if column == REASONS:
        cell = _styled(ws, _text(column, value) or "")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        return cell
    if column in PERCENT:
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "0.00%"
        return cell
    if isinstance(value, str):
        return _styled(ws, value) if value.startswith("=") else value
    return value


def _grades_chart(ws, frame: pd.DataFrame, first: int, width: int):
    chart = BarChart()
    chart.type = "col"
    chart.title = "等级分布（项目数）"
    chart.y_axis.title = "项目数"
    last = first + len(frame) - 1
    chart.add_data(Reference(ws, min_col=2, max_col=3, min_row=first - 1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    _show_axes(chart)
    return chart, f"{_letter(width + 2)}2"


def _indicators_chart(ws, frame: pd.DataFrame, first: int, width: int):
    chart = BarChart()
    chart.type = "bar"
    shown = len(_charted(frame))
    chart.title = f"失分合计最多的三级指标（前 {shown} 项）"
    chart.x_axis.scaling.orientation = "maxMin"         # the most points lost on top
    last = first + shown - 1
    lost = list(frame.columns).index("失分合计") + 1
    name = list(frame.columns).index("三级指标") + 1
    chart.add_data(Reference(ws, min_col=lost, min_row=first - 1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=name, min_row=first, max_row=last))
    chart.height, chart.width = 4 + 0.6 * shown, 18
    chart.legend = None
    _show_axes(chart)
    return chart, f"{_letter(width + 2)}2"


def _charted(frame: pd.DataFrame) -> pd.DataFrame:
    """The indicators the 指标失分 chart draws: those that lost points, most first (the frame's order)."""
    return frame[frame["失分合计"].map(lambda v: v is not None and v > 0)].head(CHART_TOP)


def _show_axes(chart: BarChart) -> None:
    chart.x_axis.delete = False         # openpyxl 3.1 hides axes unless told
    chart.y_axis.delete = False


CHARTS = {"grades": _grades_chart, "indicators": _indicators_chart}


# ---- html ----------------------------------------------------------------------------------------

def write_html(r: Rollup, path: str | Path) -> None:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates_dir() / "reports"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    sections = []
    for name, tables in sheets(r).items():
        sections.append({"name": name, "tables": [{
            "key": t.key, "caption": t.caption, "columns": list(t.frame.columns),
            "numeric": [pd.api.types.is_numeric_dtype(t.frame[c]) or _all_numbers(t.frame[c]) for c in t.frame.columns],
            "rows": [[(_text(c, v) or "").split("\n") for c, v in zip(t.frame.columns, values)]
                     for values in t.frame.itertuples(index=False, name=None)],
            "wrap": [c in WRAP for c in t.frame.columns],
            "chart": _svg(t) if t.chart and not (t.chart == "indicators" and _charted(t.frame).empty) else None}
            for t in tables]})
    html = env.get_template("rollup.html.j2").render(rollup=r, sections=sections)
    _replace(path, lambda tmp: Path(tmp).write_text(html, encoding="utf-8"))


def _all_numbers(series: pd.Series) -> bool:
    values = series.dropna()
    return len(values) > 0 and all(isinstance(v, (int, Decimal)) and not isinstance(v, bool) for v in values)


def _svg(t: Table) -> dict:
    """Geometry of an inline SVG bar chart; the template draws it."""
    if t.chart == "grades":
        groups = [(g, [int(a), int(b)]) for g, a, b in t.frame[["等级", "填报", "重算"]].itertuples(index=False)]
        series = ["填报", "重算"]
    else:
        groups = [(n, [v]) for n, v in _charted(t.frame)[["三级指标", "失分合计"]].itertuples(index=False)]
        series = ["失分合计"]
    peak = max([v for _, values in groups for v in values] + [1])
    if t.chart == "grades":       # columns
        step, bar, height = 90, 30, 220
        bars = [{"x": 50 + i * step + j * bar, "y": 20 + (height - 60) * (1 - v / peak), "w": bar - 4,
                 "h": (height - 60) * v / peak, "value": fmt(Decimal(v)), "series": j}
                for i, (_, values) in enumerate(groups) for j, v in enumerate(values)]
        labels = [{"x": 50 + i * step + bar - 2, "y": height - 20, "text": g} for i, (g, _) in enumerate(groups)]
        return {"kind": "col", "width": 60 + step * len(groups), "height": height, "bars": bars, "labels": labels,
                "series": series}
    row, left, span = 22, 190, 420
    bars = [{"x": left, "y": 10 + i * row, "w": span * float(v) / float(peak), "h": row - 6,
             "value": fmt(Decimal(v)), "series": 0} for i, (_, (v,)) in enumerate(groups)]
    labels = [{"x": left - 6, "y": 10 + i * row + row / 2 + 1, "text": g} for i, (g, _) in enumerate(groups)]
    return {"kind": "bar", "width": left + span + 60, "height": 20 + row * len(groups), "bars": bars,
            "labels": labels, "series": series}


# ---- both ----------------------------------------------------------------------------------------

def _replace(path: str | Path, write: Callable[[str], None]) -> None:
    """Write through a temporary file in the target folder, then move it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp{path.suffix}")
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


WRITERS: dict[str, Callable[[Rollup, str | Path], None]] = {"xlsx": write_xlsx, "html": write_html}
