"""A workbook with several project sheets (one tab per project, as consultants deliver them): every
scoring sheet is checked on its own and reported, marked, summarised, recorded and rolled up as one
project; sheets that are not scoring tables (a cover, 基础数据) are neither checked nor problems."""
from __future__ import annotations

import json
import sqlite3
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from perfeval import pipeline
from perfeval.cli import main
from perfeval.read.workbook import read
from seedbook import Changes, build, build_projects
from sheets import tables

PROJECTS = [
    ("项目1", Changes(project={"code": "P-001", "name": "金审工程二期"})),
    ("项目2", Changes(project={"code": "P-002", "name": "政务云平台"}, scores={"立项依据充分性": 4})),
    ("项目3", Changes(project={"code": "P-003", "name": "数据共享交换平台"}, total="70")),
]


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    return build_projects(tmp_path_factory.mktemp("several") / "三个项目.xlsx", PROJECTS, before=("封面",))


@pytest.fixture(scope="module")
def results(book):
    return pipeline.check_file(book)


def _cell(result, name: str) -> str:
    return next(i.cell for i in result.indicators if i.name == name)


def test_every_scoring_sheet_gives_its_own_result_in_workbook_order(book, results):
    assert [r.sheet for r in results] == ["项目1", "项目2", "项目3"]
    assert [r.project.code for r in results] == ["P-001", "P-002", "P-003"]
    assert all(r.path == str(book) and r.several for r in results)
    assert all(r.status == "flagged" for r in results)


def test_each_sheet_alone_gives_what_its_own_workbook_gives(tmp_path, results):
    for (title, changes), got in zip(PROJECTS, results):
        (alone,) = pipeline.check_file(build(tmp_path / f"{title}.xlsx", changes))
        assert [(f.code, f.cell, f.entered, f.expected) for f in got.findings] == \
            [(f.code, f.cell, f.entered, f.expected) for f in alone.findings]
        assert (got.total_recomputed, got.grade_recomputed) == (alone.total_recomputed, alone.grade_recomputed)


def test_the_planted_errors_of_sheets_2_and_3_are_found_at_their_cells(results):
    _, second, third = results
    over = [f for f in second.findings if f.code == "score-out-of-range"]
    assert [(f.sheet, f.cell, f.entered) for f in over] == [("项目2", _cell(second, "立项依据充分性"), D(4))]
    assert not any(f.code == "score-out-of-range" for f in third.findings)
    total = [f for f in third.findings if f.code == "total-mismatch"]
    assert len(total) == 1 and total[0].sheet == "项目3" and total[0].entered == D(70)
    assert not any(f.code == "total-mismatch" and f.entered == D(70) for f in second.findings)


def test_the_fast_read_gives_the_same_results(book, results):
    assert pipeline.check_file(book, fast=True) == results


def test_a_data_sheet_serves_the_sheet_it_names_or_the_only_one(tmp_path):
    figures = [("实际支出资金", 400), ("实际到位资金", 444.205)]
    named = build_projects(tmp_path / "named.xlsx", PROJECTS[:2], data={"基础数据-项目2": figures})
    first, second = read(named).sheets
    assert first.basic_data == () and [n for n, _, _ in second.basic_data] == ["实际支出资金", "实际到位资金"]
    assert second.basic_data[0][2] == "基础数据-项目2!B2"
    plain = build_projects(tmp_path / "plain.xlsx", PROJECTS[:2], data={"基础数据": figures})
    assert [s.basic_data for s in read(plain).sheets] == [(), ()]        # whose? neither is named
    said = [[f.params for f in r.findings if f.code == "data-sheet-unassigned"] for r in pipeline.check_file(plain)]
    assert said == [[{"data": "基础数据"}]] * 2
    only = build_projects(tmp_path / "only.xlsx", PROJECTS[:1], before=("说明",), data={"基础数据": figures})
    (sheet,) = read(only).sheets
    assert len(sheet.basic_data) == 2


def test_a_workbook_without_any_scoring_table_stays_unreadable(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "封面"
    wb.active["A1"] = "绩效评价报告"
    wb.create_sheet("说明")["A1"] = "本工作簿没有评分表"
    wb.save(tmp_path / "cover.xlsx")
    (result,) = pipeline.check_file(tmp_path / "cover.xlsx")
    assert result.status == "unreadable" and result.error.key == "reason.no_table"


def test_text_names_the_sheet_of_every_finding_and_json_has_an_entry_per_sheet(book, results):
    text = CliRunner().invoke(main, ["check", str(book), "-v"]).output
    assert f"{book}[项目2]:{_cell(results[1], '立项依据充分性')} [error] score-out-of-range" in text
    assert f"{book}[项目3]:" in text and f"{book}:" not in text.replace(f"{book}[", "")
    files = json.loads(CliRunner().invoke(main, ["check", str(book), "--format", "json"]).output)["files"]
    assert [(f["path"], f["sheet"], f["project"]["code"]) for f in files] == \
        [(str(book), f"项目{i}", f"P-00{i}") for i in (1, 2, 3)]


def test_a_single_sheet_workbook_is_reported_as_before(tmp_path):
    path = build(tmp_path / "one.xlsx", Changes(scores={"立项依据充分性": 4}))
    text = CliRunner().invoke(main, ["check", str(path)]).output
    assert f"{path}:" in text and f"{path}[" not in text


@pytest.fixture(scope="module")
def out(book, tmp_path_factory):
    inbox = tmp_path_factory.mktemp("inbox")
    (inbox / book.name).write_bytes(book.read_bytes())
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(main, ["check", str(inbox), "--out", str(out), "--format", "json"])
    assert result.exit_code == 1, result.output
    return inbox, out, json.loads(result.output)["files"]


def test_one_annotated_copy_marks_every_sheet(out, results):
    _, folder, files = out
    assert len({f["output"] for f in files}) == 1
    copy = openpyxl.load_workbook(files[0]["output"])
    assert copy.sheetnames == ["封面", "项目1", "项目2", "项目3", "汇总", "复核结果"]
    assert copy["项目2"][_cell(results[1], "立项依据充分性")].comment is not None
    total_cell = next(f.cell for f in results[2].findings if f.code == "total-mismatch")
    assert copy["项目3"][total_cell].comment is not None
    assert copy["项目1"][_cell(results[1], "立项依据充分性")].comment is None
    summary = [c.value for c in copy["汇总"]["A"]]
    assert summary.count("评分表") == 3
    sheets = [v for v in (c.value for c in copy["汇总"]["B"]) if v in ("项目1", "项目2", "项目3")]
    assert sheets == ["项目1", "项目2", "项目3"]
    cells = [c.value for c in copy["复核结果"]["G"]][1:]
    assert f"项目2!{_cell(results[1], '立项依据充分性')}" in cells and all("!" in c for c in cells if c != "—")


def test_summary_and_ledger_have_a_row_per_sheet_and_a_rerun_checks_nothing(out):
    inbox, folder, _ = out
    header, *rows = openpyxl.load_workbook(folder / "summary.xlsx").worksheets[0].iter_rows(values_only=True)
    assert [dict(zip(header, r))["文件"] for r in rows] == [f"{inbox / '三个项目.xlsx'}[项目{i}]" for i in (1, 2, 3)]
    with sqlite3.connect(folder / "perfeval.db") as db:
        checks = db.execute("SELECT sheet, file_check FROM checks ORDER BY id").fetchall()
    assert [s for s, _ in checks] == ["项目1", "项目2", "项目3"] and len({f for _, f in checks}) == 1
    again = CliRunner().invoke(main, ["check", str(inbox), "--out", str(folder), "--format", "json"])
    assert [f["sheet"] for f in json.loads(again.output)["files"]] == ["项目1", "项目2", "项目3"]
    with sqlite3.connect(folder / "perfeval.db") as db:
        assert db.execute("SELECT COUNT(*) FROM checks").fetchone()[0] == 3       # nothing checked again


@pytest.mark.parametrize("source", ["folder", "ledger"])
def test_the_rollup_counts_each_sheet_as_a_project(out, tmp_path, source):
    inbox, folder, _ = out
    target = tmp_path / "rollup.xlsx"
    given = inbox if source == "folder" else folder / "perfeval.db"
    result = CliRunner().invoke(main, ["rollup", str(given), "--out", str(target), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    (rows,) = tables(openpyxl.load_workbook(target)["项目总表"])
    assert sorted(r["项目名称"] for r in rows) == ["政务云平台", "数据共享交换平台", "金审工程二期"]
    assert all(r["状态"] != "重复（未计入）" for r in rows)
    assert sorted(Path(r["来源文件"]).name for r in rows) == [f"三个项目.xlsx[项目{i}]" for i in (1, 2, 3)]


def test_a_blank_form_beside_a_filled_sheet_is_no_project(tmp_path):
    path = build_projects(tmp_path / "blank.xlsx", PROJECTS[:1])
    wb = openpyxl.load_workbook(path)
    blank = wb.copy_worksheet(wb["项目1"])
    blank.title = "空白表"
    for row in blank.iter_rows(min_row=6):
        for cell in row:
            if type(cell).__name__ == "Cell":
                cell.value = None
    wb.save(path)
    assert [s.sheet for s in read(path).sheets] == ["项目1"]


def test_a_chart_sheet_is_passed_over_and_kept_in_the_copy(tmp_path):
    from openpyxl.chart import BarChart, Reference
    path = build_projects(tmp_path / "chart.xlsx", PROJECTS[:2], before=("封面",))
    wb = openpyxl.load_workbook(path)
    chart = BarChart()
    chart.add_data(Reference(wb["项目1"], min_col=4, min_row=6, max_row=10))
    wb.create_chartsheet("图表", 1).add_chart(chart)
    wb.save(path)
    for fast in (False, True):
        assert [r.sheet for r in pipeline.check_file(path, fast=fast)] == ["项目1", "项目2"]
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["check", str(path), "--out", str(out), "--format", "json"])
    assert [f["sheet"] for f in json.loads(result.output)["files"]] == ["项目1", "项目2"]
    assert openpyxl.load_workbook(out / "chart.checked.xlsx").sheetnames == \
        ["封面", "图表", "项目1", "项目2", "汇总", "复核结果"]


def test_the_rollup_counts_one_file_and_three_projects(out, tmp_path):
    from perfeval.rollup import tables as rollup_tables
    inbox, folder, _ = out
    for source in (inbox, folder / "perfeval.db"):
        counts = rollup_tables.build(rollup_tables.collect([source])).counts
        assert (counts["files"], counts["projects"]) == (1, 3)
