"""rollup.html rendered by headless Chromium: the numbers on the page are the workbook's numbers."""
from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from rollup_projects import build_folder
from sheets import tables

from perfeval.cli import main

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class Page(HTMLParser):
    """Tables by id (rows of cell texts) and the texts of every SVG chart by id, from the rendered DOM."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.charts: dict[str, list[str]] = {}
        self.ids: dict[str, str] = {}
        self._table = self._chart = self._cell = None
        self._id = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._table = self.tables.setdefault(attrs["id"], [])
        elif tag == "svg":
            self._chart = self.charts.setdefault(attrs["id"], [])
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")
        elif tag == "b" and "id" in attrs:
            self._id = attrs["id"]

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        elif tag == "svg":
            self._chart = None
        elif tag in ("td", "th") and self._cell is not None:
            self._table[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "b":
            self._id = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        elif self._chart is not None and data.strip():
            self._chart.append(data.strip())
        elif self._id:
            self.ids[self._id] = data.strip()


def rendered(html: Path, tmp_path: Path) -> Page:
    if CHROMIUM is None:
        pytest.skip("Chromium not found: install Debian's chromium package (.ci/run does) to check rollup.html")
    done = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'chromium'}", "--dump-dom",
                           html.resolve().as_uri()], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "</html>" in done.stdout, done.stderr[-2000:]
    page = Page()
    page.feed(done.stdout)
    return page


def shown(value) -> str:
    """A workbook cell as the page shows it."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def test_html_numbers_in_chromium(tmp_path):
    folder = build_folder(tmp_path / "inbox")
    result = CliRunner().invoke(main, ["rollup", str(folder), "--out", str(tmp_path / "r.xlsx"),
                                       "--html", str(tmp_path / "r.html"), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert not re.search(r"<script|<link|@import|url\(|src=", html)       # nothing from outside, no script
    page = rendered(tmp_path / "r.html", tmp_path)

    assert page.ids == {"count-files": "9", "count-projects": "6", "count-unreadable": "1",
                        "count-duplicates": "2", "count-this-year": "4"}
    header, *grades = page.tables["grades"]
    assert header == ["等级", "填报", "重算"]
    assert grades == [["优", "1", "1"], ["良", "3", "2"], ["中", "0", "1"], ["低", "0", "0"], ["差", "0", "0"]]
    indicators = {row[2]: row for row in page.tables["indicators"][1:]}
    assert indicators["完成及时性"][3:9] == ["3", "4", "1.25", "58.33%", "4", "7"]
    assert indicators["完成及时性"][9].split("\n")[0] == "项目延期5个月。（3 项）"
    assert [row[0] for row in page.tables["units"][1:]] == ["市卫健委", "市审计局", "市财政局", "市教育局"]
    assert page.tables["year-grades"][-1] == ["平均得分", "79.36", "86.36"]

    # the chart texts: bar values, then category labels, then the legend
    assert page.charts["chart-grades"] == ["1", "1", "3", "2", "0", "1", "0", "0", "0", "0",
                                           "优", "良", "中", "低", "差", "填报", "重算"]
    bars = page.charts["chart-indicators"]
    assert bars[:9] == ["12", "9", "8", "7", "6", "5", "4", "3", "0.55"]
    assert bars[9:12] == ["系统利用率", "硬软件、服务器等故障率", "成本节约率"]

    # every table on the page holds the workbook's numbers
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    keys = {"项目总表": ["projects"], "等级分布": ["grades"], "单位汇总": ["units"], "问题清单": ["findings"],
            "年度对比": ["year-grades", "year-indicators"]}
    for sheet, ids in keys.items():
        for key, table in zip(ids, tables(book[sheet])):
            assert page.tables[key][1:] == [[shown(v) for v in row.values()] for row in table], key
