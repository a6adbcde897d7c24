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

from perfeval.catalogue import label, render, rollup_word, say, severity_label
from perfeval.model import Finding, Phrase, Severity
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
HTML_ORDER = ["grades", "indicators", "rates", "units", "years", "projects", "findings"]   # the long lists last


@dataclass(frozen=True)
class Table:
    """One table of a sheet or an HTML section: a caption, a frame and the chart it carries."""
    key: str                    # html id
    caption: str
    frame: pd.DataFrame
    chart: str | None = None    # "grades" | "indicators"


def sheets(r: Rollup, lang: str = "zh") -> dict[str, list[Table]]:
    """Sheet key -> its tables, in the order of the workbook and the page; captions in `lang`."""
    year = label("rollup.year", lang, year=r.year) if r.year else label("rollup.all_years", lang)
    c = r.counts
    out = {
        "projects": [Table("projects", label("rollup.cap.projects", lang, projects=c["projects"],
                                             unreadable=c["unreadable"], duplicates=c["duplicates"]), r.projects)],
        "grades": [Table("grades", label("rollup.cap.grades", lang, year=year, n=c["this_year"]), r.grades, "grades")],
        "indicators": [Table("indicators", label("rollup.cap.indicators", lang, year=year), r.indicators,
                             "indicators")],
        "units": [Table("units", label("rollup.cap.units", lang, year=year), r.units)],
        "findings": [Table("findings", label("rollup.cap.findings", lang, n=len(r.findings), notes=c["notes"]),
                           r.findings)],
    }
    if r.rates is not None:
        out["rates"] = [Table("rates", label("rollup.cap.rates", lang, year=year), r.rates)]
    if r.year_grades is not None:
        out["years"] = [Table("year-grades", label("rollup.cap.year_grades", lang), r.year_grades),
                        Table("year-indicators", label("rollup.cap.year_indicators", lang), r.year_indicators)]
    return out


def _cell(value: object, lang: str) -> object:
    """A value of the tables as written: words for people in `lang`, numbers as they are."""
    if isinstance(value, Finding):
        return render(value, lang)
    if isinstance(value, Severity):
        return severity_label(value, lang)
    if isinstance(value, Phrase):
        return say(value, lang)
    if isinstance(value, str):
        return rollup_word(value, lang)
    return value


def _text(column: str, value: object, lang: str = "zh") -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    value = _cell(value, lang)
    if column == REASONS:
        return "\n".join(label("rollup.reason_count", lang, text=text, n=n) for text, n in value) or None
    if column in PERCENT and isinstance(value, Decimal):
        return fmt_rate(value)
    if isinstance(value, Decimal):
        return fmt(value)
    return str(value)


# ---- xlsx ----------------------------------------------------------------------------------------

def write_xlsx(r: Rollup, path: str | Path, lang: str = "zh") -> None:
    write_atomically(Path(path), lambda tmp: _write_xlsx(r, tmp, lang))


def _write_xlsx(r: Rollup, path: str, lang: str) -> None:
    # every string is written as text: a 项目名称 or 扣分理由 `=HYPERLINK(...)` stays text
    wb = xlsxwriter.Workbook(path, {"strings_to_formulas": False, "strings_to_numbers": False,
                                    "strings_to_urls": False})
    bold = wb.add_format({"bold": True})
    formats = {**{c: wb.add_format({"num_format": "0.00%"}) for c in PERCENT},
               REASONS: wb.add_format({"text_wrap": True, "valign": "top"})}
    for key, tables in sheets(r, lang).items():
        name = label(f"rollup.sheet.{key}", lang)
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
                frame = frame.assign(**{REASONS: pd.Series([_text(REASONS, v, lang) for v in frame[REASONS]],
                                                           index=frame.index, dtype=object)})
            ws.write_string(row, 0, table.caption, bold)
            ws.write_row(row + 1, 0, [rollup_word(c, lang) for c in frame.columns], bold)
            first = row + 2
            for n, values in enumerate(frame.itertuples(index=False, name=None)):
                ws.write_row(first + n, 0, [_cell(v, lang) for v in values])
            for i, column in enumerate(frame.columns):
                for n, value in enumerate(frame[column] if column in formats else ()):
                    if value is not None:
                        ws.write(first + n, i, value, formats[column])
            row = first + len(frame) + 1
            if _has_chart(table):
                chart, beside = CHARTS[table.chart](wb, name, frame, first, lang)
                if beside:
                    ws.insert_chart(first - 2, len(frame.columns) + 1, chart)
                else:                                   # below the table, printed on a page of its own
                    ws.insert_chart(row + 1, 0, chart)
                    ws.set_h_pagebreaks([row + 1])
    wb.close()


def _grades_chart(wb, sheet: str, frame: pd.DataFrame, first: int, lang: str):
    chart = wb.add_chart({"type": "column"})
    last = first + len(frame) - 1
    for col in (1, 2):
        chart.add_series({"name": [sheet, first - 1, col], "categories": [sheet, first, 0, last, 0],
                          "values": [sheet, first, col, last, col], "data_labels": {"value": True}})
    chart.set_title({"name": label("rollup.chart.grades", lang)})
    chart.set_y_axis({"name": label("rollup.chart.projects", lang), "major_gridlines": {"visible": True}})
    return chart, True                                  # beside its small table


def _indicators_chart(wb, sheet: str, frame: pd.DataFrame, first: int, lang: str):
    shown = len(_charted(frame))
    columns = list(frame.columns)
    lost, name = columns.index("失分合计"), columns.index("三级指标")
    chart = wb.add_chart({"type": "bar"})
    last = first + shown - 1
    chart.add_series({"name": [sheet, first - 1, lost], "categories": [sheet, first, name, last, name],
                      "values": [sheet, first, lost, last, lost], "data_labels": {"value": True}})
    chart.set_title({"name": label("rollup.chart.indicators", lang, n=shown)})
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

def write_html(r: Rollup, path: str | Path, lang: str = "zh") -> None:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates_dir() / "reports"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    tables = sheets(r, lang)
    sections = [{"name": label(f"rollup.sheet.{key}", lang), "tables": [_html_table(t, lang) for t in tables[key]]}
                for key in HTML_ORDER if key in tables]
    html = env.get_template("rollup.html.j2").render(
        rollup=r, sections=sections, lang="zh-CN" if lang == "zh" else "en",
        title=label("rollup.title_year", lang, year=r.year) if r.year else label("rollup.title", lang),
        summary=_html_summary(r, lang))
    write_atomically(Path(path), lambda tmp: Path(tmp).write_text(html, encoding="utf-8"))


def _html_summary(r: Rollup, lang: str) -> list[dict]:
    """The paragraph under the title in pieces: text, and the counts the template marks up by id."""
    c = r.counts
    years = label("rollup.summary_years", lang, years=say(tuple(map(str, r.years)), lang)) if r.years else ""
    scope = label("rollup.scope_year", lang, year=r.year) if r.year else label("rollup.scope_all", lang)
    counts = {"files": c["files"], "projects": c["projects"], "unreadable": c["unreadable"],
              "duplicates": c["duplicates"], "this-year": c["this_year"]}
    text = label("rollup.summary", lang, years=years, scope=scope, this_year="\0this-year\0",
                 **{k: f"\0{k}\0" for k in ("files", "projects", "unreadable", "duplicates")})
    return [{"id": f"count-{part}", "value": counts[part]} if i % 2 else {"text": part}
            for i, part in enumerate(text.split("\0"))]


def _html_table(t: Table, lang: str = "zh") -> dict:
    """A table as the template wants it: cell texts (lines apart by newlines), which columns hold numbers
    (1-based, aligned right) and which may wrap, and its chart's geometry."""
    columns = list(t.frame.columns)
    texts = [t.frame[c].map(lambda v, c=c: _text(c, v, lang) or "") for c in columns]
    return {"key": t.key, "caption": t.caption, "columns": [rollup_word(c, lang) for c in columns],
            "rows": list(zip(*texts)),
            "numeric": [i for i, c in enumerate(columns, start=1) if _all_numbers(t.frame[c])],
            "wrap": [i for i, c in enumerate(columns, start=1) if c in WRAP],
            "chart": SVG[t.chart](t.frame, lang) if _has_chart(t) else None}


def _all_numbers(series: pd.Series) -> bool:
    values = series.dropna()
    return len(values) > 0 and all(isinstance(v, (int, Decimal)) and not isinstance(v, bool) for v in values)


def _grades_svg(frame: pd.DataFrame, lang: str) -> dict:
    """Geometry of the inline SVG column chart of 等级分布 (entered and recomputed side by side)."""
    groups = [(g, [int(a), int(b)]) for g, a, b in frame[["等级", "填报", "重算"]].itertuples(index=False)]
    peak = max([v for _, values in groups for v in values] + [1])
    step, bar, height = 90, 30, 220
    bars = [{"x": 50 + i * step + j * bar, "y": 20 + (height - 60) * (1 - v / peak), "w": bar - 4,
             "h": (height - 60) * v / peak, "value": str(v), "series": j}
            for i, (_, values) in enumerate(groups) for j, v in enumerate(values)]
    labels = [{"x": 50 + i * step + bar - 2, "y": height - 20, "text": rollup_word(g, lang)}
              for i, (g, _) in enumerate(groups)]
    return {"kind": "col", "width": 60 + step * len(groups), "height": height, "bars": bars, "labels": labels,
            "series": [rollup_word("填报", lang), rollup_word("重算", lang)]}


def _indicators_svg(frame: pd.DataFrame, lang: str) -> dict:
    """Geometry of the inline SVG bar chart of 指标失分 (points lost, most first)."""
    groups = list(_charted(frame)[["三级指标", "失分合计"]].itertuples(index=False, name=None))
    peak = max(float(v) for _, v in groups)
    row, left, span = 22, 190, 420
    bars = [{"x": left, "y": 10 + i * row, "w": span * float(v) / peak, "h": row - 6, "value": fmt(v), "series": 0}
            for i, (_, v) in enumerate(groups)]
    labels = [{"x": left - 6, "y": 10 + i * row + row / 2 + 1, "text": g} for i, (g, _) in enumerate(groups)]
    return {"kind": "bar", "width": left + span + 60, "height": 20 + row * len(groups), "bars": bars,
            "labels": labels, "series": [rollup_word("失分合计", lang)]}


SVG = {"grades": _grades_svg, "indicators": _indicators_svg}


WRITERS: dict[str, Callable[[Rollup, str | Path, str], None]] = {"xlsx": write_xlsx, "html": write_html}
