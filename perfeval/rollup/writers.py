"""Writers of the roll-up, chosen from a dict: rollup.xlsx (native charts) and rollup.html (inline SVG).

Both write to a temporary name beside the target and `os.replace` it into place. Text that came from
an input is written as text (a 扣分理由 `=HYPERLINK(...)` stays text); the HTML is autoescaped.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Callable

import jinja2
import pandas as pd
import xlsxwriter

from perfeval.numbers import fmt, fmt_rate
from perfeval.rollup.tables import Rollup
from perfeval.files import write_atomically
from perfeval.rubric import templates_dir

PERCENT = {"平均失分率"}
REASONS = "常见扣分理由"
CHART_TOP = 20          # indicators drawn in the 指标失分 charts
WIDTHS = {"项目单位": 22, "项目名称": 30, "来源文件": 36, "备注": 40, "说明": 50, "三级指标": 24, REASONS: 60,
          "一级指标": 10, "二级指标": 12, "项目代码": 14}
WRAP = {"项目名称", "来源文件", "备注", "说明", REASONS}      # HTML columns whose text may wrap
HTML_ORDER = ["等级分布", "指标失分", "单位汇总", "年度对比", "项目总表", "问题清单"]   # the long lists last


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
    write_atomically(Path(path), lambda tmp: _write_xlsx(r, tmp))


def _write_xlsx(r: Rollup, path: str) -> None:
    # every string is written as text: a 项目名称 or 扣分理由 `=HYPERLINK(...)` stays text
    wb = xlsxwriter.Workbook(path, {"strings_to_formulas": False, "strings_to_numbers": False,
                                    "strings_to_urls": False})
    bold = wb.add_format({"bold": True})
    formats = {**{c: wb.add_format({"num_format": "0.00%"}) for c in PERCENT},
               REASONS: wb.add_format({"text_wrap": True, "valign": "top"})}
    for name, tables in sheets(r).items():
        ws = wb.add_worksheet(name)
        for i, column in enumerate(tables[0].frame.columns):
            ws.set_column(i, i, WIDTHS.get(column, max(8, 2 * len(column) + 2)))
        ws.freeze_panes(2, 0)
        ws.set_landscape()                      # printed: one page wide, the header on every page
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(1)
        row = 0
        for table in tables:
            frame = table.frame
            if REASONS in frame:
                frame = frame.assign(**{REASONS: pd.Series([_text(REASONS, v) for v in frame[REASONS]],
                                                           index=frame.index, dtype=object)})
            ws.write_string(row, 0, table.caption, bold)
            ws.write_row(row + 1, 0, list(frame.columns), bold)
            first = row + 2
            for n, values in enumerate(frame.itertuples(index=False, name=None)):
                ws.write_row(first + n, 0, values)
            for i, column in enumerate(frame.columns):
                for n, value in enumerate(frame[column] if column in formats else ()):
                    if value is not None:
                        ws.write(first + n, i, value, formats[column])
            row = first + len(frame) + 1
            if _has_chart(table):
                chart, beside = CHARTS[table.chart](wb, name, frame, first)
                if beside:
                    ws.insert_chart(first - 2, len(frame.columns) + 1, chart)
                else:                                   # below the table, printed on a page of its own
                    ws.insert_chart(row + 1, 0, chart)
                    ws.set_h_pagebreaks([row + 1])
    wb.close()


def _grades_chart(wb, sheet: str, frame: pd.DataFrame, first: int):
    chart = wb.add_chart({"type": "column"})
    last = first + len(frame) - 1
    for col in (1, 2):
        chart.add_series({"name": [sheet, first - 1, col], "categories": [sheet, first, 0, last, 0],
                          "values": [sheet, first, col, last, col], "data_labels": {"value": True}})
    chart.set_title({"name": "等级分布（项目数）"})
    chart.set_y_axis({"name": "项目数", "major_gridlines": {"visible": True}})
    return chart, True                                  # beside its small table


def _indicators_chart(wb, sheet: str, frame: pd.DataFrame, first: int):
    shown = len(_charted(frame))
    columns = list(frame.columns)
    lost, name = columns.index("失分合计"), columns.index("三级指标")
    chart = wb.add_chart({"type": "bar"})
    last = first + shown - 1
    chart.add_series({"name": [sheet, first - 1, lost], "categories": [sheet, first, name, last, name],
                      "values": [sheet, first, lost, last, lost], "data_labels": {"value": True}})
    chart.set_title({"name": f"失分合计最多的三级指标（前 {shown} 项）"})
    chart.set_y_axis({"reverse": True})                # category axis of a bar chart: most points lost on top
    chart.set_legend({"none": True})
    chart.set_size({"width": 720, "height": 120 + 24 * shown})
    return chart, False                                 # below its wide table


CHARTS = {"grades": _grades_chart, "indicators": _indicators_chart}


def _has_chart(t: Table) -> bool:
    """A chart when it has something to draw: no band (nothing graded) or no indicator that lost points,
    no chart."""
    return t.chart is not None and not t.frame.empty and not (t.chart == "indicators" and _charted(t.frame).empty)


def _charted(frame: pd.DataFrame) -> pd.DataFrame:
    """The indicators the 指标失分 chart draws: those that lost points, most first (the frame's order)."""
    return frame[frame["失分合计"].map(lambda v: v is not None and v > 0)].head(CHART_TOP)


# ---- html ----------------------------------------------------------------------------------------

def write_html(r: Rollup, path: str | Path) -> None:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates_dir() / "reports"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    tables = sheets(r)
    sections = [{"name": name, "tables": [_html_table(t) for t in tables[name]]}
                for name in HTML_ORDER if name in tables]
    html = env.get_template("rollup.html.j2").render(rollup=r, sections=sections)
    write_atomically(Path(path), lambda tmp: Path(tmp).write_text(html, encoding="utf-8"))


def _html_table(t: Table) -> dict:
    """A table as the template wants it: cell texts (lines apart by newlines), which columns hold numbers
    (1-based, aligned right) and which may wrap, and its chart's geometry."""
    columns = list(t.frame.columns)
    texts = [t.frame[c].map(lambda v, c=c: _text(c, v) or "") for c in columns]
    return {"key": t.key, "caption": t.caption, "columns": columns, "rows": list(zip(*texts)),
            "numeric": [i for i, c in enumerate(columns, start=1) if _all_numbers(t.frame[c])],
            "wrap": [i for i, c in enumerate(columns, start=1) if c in WRAP],
            "chart": SVG[t.chart](t.frame) if _has_chart(t) else None}


def _all_numbers(series: pd.Series) -> bool:
    values = series.dropna()
    return len(values) > 0 and all(isinstance(v, (int, Decimal)) and not isinstance(v, bool) for v in values)


def _grades_svg(frame: pd.DataFrame) -> dict:
    """Geometry of the inline SVG column chart of 等级分布 (entered and recomputed side by side)."""
    groups = [(g, [int(a), int(b)]) for g, a, b in frame[["等级", "填报", "重算"]].itertuples(index=False)]
    peak = max([v for _, values in groups for v in values] + [1])
    step, bar, height = 90, 30, 220
    bars = [{"x": 50 + i * step + j * bar, "y": 20 + (height - 60) * (1 - v / peak), "w": bar - 4,
             "h": (height - 60) * v / peak, "value": str(v), "series": j}
            for i, (_, values) in enumerate(groups) for j, v in enumerate(values)]
    labels = [{"x": 50 + i * step + bar - 2, "y": height - 20, "text": g} for i, (g, _) in enumerate(groups)]
    return {"kind": "col", "width": 60 + step * len(groups), "height": height, "bars": bars, "labels": labels,
            "series": ["填报", "重算"]}


def _indicators_svg(frame: pd.DataFrame) -> dict:
    """Geometry of the inline SVG bar chart of 指标失分 (points lost, most first)."""
    groups = list(_charted(frame)[["三级指标", "失分合计"]].itertuples(index=False, name=None))
    peak = max(float(v) for _, v in groups)
    row, left, span = 22, 190, 420
    bars = [{"x": left, "y": 10 + i * row, "w": span * float(v) / peak, "h": row - 6, "value": fmt(v), "series": 0}
            for i, (_, v) in enumerate(groups)]
    labels = [{"x": left - 6, "y": 10 + i * row + row / 2 + 1, "text": g} for i, (g, _) in enumerate(groups)]
    return {"kind": "bar", "width": left + span + 60, "height": 20 + row * len(groups), "bars": bars,
            "labels": labels, "series": ["失分合计"]}


SVG = {"grades": _grades_svg, "indicators": _indicators_svg}


WRITERS: dict[str, Callable[[Rollup, str | Path], None]] = {"xlsx": write_xlsx, "html": write_html}
