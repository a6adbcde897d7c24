"""perfeval rollup over a folder of varied projects across two years (see rollup_projects.py for the
projects and the hand-worked numbers): every sheet's numbers, the charts, duplicates, sources."""
from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timedelta, timezone
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from rollup_projects import build_folder

from perfeval.read.workbook import sha256_of
from perfeval.batch import ledger
from perfeval.rollup import tables as rollup_tables
from perfeval.cli import main
from seedbook import Changes, build
from sheets import tables
from checking import check_one

SHEETS = ["项目总表", "等级分布", "指标失分", "单位汇总", "问题清单", "年度对比"]


def run_rollup(*args: str) -> None:
    result = CliRunner().invoke(main, ["rollup", *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return build_folder(tmp_path_factory.mktemp("rollup") / "inbox")


@pytest.fixture(scope="module")
def book(folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    run_rollup(str(folder), "--out", str(out / "rollup.xlsx"), "--jobs", "1")
    return openpyxl.load_workbook(out / "rollup.xlsx")


def ref(data) -> str:
    """The cells a chart series' values or categories point at."""
    return (getattr(data, "strRef", None) or data.numRef).f.replace("'", "")


def by_file(rows: list[dict]) -> dict[str, dict]:
    return {Path(r["来源文件"]).name: r for r in rows}


def test_sheets_in_order(book):
    assert book.sheetnames == SHEETS


def test_projects_sheet(book):
    (rows,) = tables(book["项目总表"])
    got = by_file(rows)
    assert "~$2020_01_审计局.xlsx" not in got                 # lock files are not projects
    columns = ["年度", "合计(填报)", "合计(重算)", "等级(填报)", "等级(重算)", "决策", "过程", "产出", "效益", "错误",
               "警告", "状态"]
    expected = {
        "2019_01_审计局.xlsx": [2019, 81, 80.86, "良", "良", 17, 19.86, 25, 19, 0, 1, "有问题"],
        "2019_02_教育局.xlsx": [2019, 77.86, 77.86, "中", "中", 17, 19.86, 25, 16, 0, 1, "有问题"],
        "2020_01_审计局.xlsx": [2020, 87.86, 87.86, "良", "良", 17, 19.86, 27, 24, 0, 1, "有问题"],
        "2020_02_教育局.xlsx": [2020, 79.86, 79.86, "良", "中", 17, 19.86, 26, 17, 1, 1, "有问题"],
        "2020_03_卫健委.xlsx": [2020, 96.86, 96.86, "优", "优", 20, 19.86, 27, 30, 0, 0, "无问题"],
        "2020_06_财政局.xlsx": [2020, 81, 80.86, "良", "良", 17, 19.86, 25, 19, 0, 1, "有问题"],
        "2020_04_卫健委_旧.xlsx": [2020, 81, 80.86, "良", "良", 17, 19.86, 25, 19, 0, 1, "重复（未计入）"],
        "2020_05_教育局_无代码.xlsx": [2020, 81, 80.86, "良", "良", 17, 19.86, 25, 19, 0, 1, "重复（未计入）"],
    }
    assert {name: [got[name][c] for c in columns] for name in expected} == expected
    assert got["2020_03_卫健委.xlsx"]["项目代码"] == "P-003" and got["2020_03_卫健委.xlsx"]["预算金额(万元)"] == 460
    # the duplicate names the file counted in its place: same code, or same unit + name without a code
    assert "2020_03_卫健委.xlsx" in got["2020_04_卫健委_旧.xlsx"]["备注"]
    assert "2020_02_教育局.xlsx" in got["2020_05_教育局_无代码.xlsx"]["备注"]
    assert got["2020_07_坏文件.xlsx"]["状态"] == "无法读取"
    assert "不是 Excel 工作簿" in got["2020_07_坏文件.xlsx"]["备注"]
    # counted projects first (by year, unit, name), then duplicates, then unreadable files
    assert [r["状态"] for r in rows] == ["有问题"] * 2 + ["无问题"] + ["有问题"] * 3 + ["重复（未计入）"] * 2 + ["无法读取"]
    assert book["项目总表"]["A1"].value.startswith("项目总表：6 个项目，无法读取 1 个文件，重复 2 个")


def test_grades_sheet_and_chart(book):
    ws = book["等级分布"]
    (rows,) = tables(ws)
    assert "2020年度" in ws["A1"].value and "4 个项目" in ws["A1"].value
    # 2020: C 良, D 中 (entered 良), E 优, I 良
    assert [(r["等级"], r["填报"], r["重算"]) for r in rows] == [
        ("优", 1, 1), ("良", 3, 2), ("中", 0, 1), ("低", 0, 0), ("差", 0, 0)]
    (chart,) = ws._charts
    assert chart.tagname == "barChart" and chart.type == "col"
    assert [ref(s.val) for s in chart.series] == ["等级分布!$B$3:$B$7", "等级分布!$C$3:$C$7"]
    assert ref(chart.series[0].cat) == "等级分布!$A$3:$A$7"


def test_indicator_sheet_and_chart(book):
    ws = book["指标失分"]
    (rows,) = tables(ws)
    columns = ["三级指标", "权重", "项目数", "平均得分", "平均失分率", "失分项目数", "失分合计"]
    # 2020's four projects; points lost per project C, D, E, I in the comments
    assert [[r[c] for c in columns] for r in rows[:9]] == [
        ["系统利用率", 5, 4, 2, 0.6, 3, 12],                   # 2, 5, 0, 5
        ["硬软件、服务器等故障率", 5, 4, 2.75, 0.45, 3, 9],       # 3, 3, 0, 3
        ["成本节约率", 2, 4, 0, 1, 4, 8],                       # 2, 2, 2, 2
        ["完成及时性", 3, 4, 1.25, 0.5833, 4, 7],               # 1, 2, 1, 3: (1/3+2/3+1/3+1)/4
        ["绩效指标明确性", 4, 4, 2.5, 0.375, 3, 6],             # 2, 2, 0, 2
        ["可持续发展", 5, 4, 3.75, 0.25, 3, 5],                 # 1, 3, 0, 1
        ["其他经济社会效益", 5, 4, 4, 0.2, 2, 4],                # 0, 2, 0, 2
        ["绩效目标合理性", 4, 4, 3.25, 0.1875, 3, 3],            # 1, 1, 0, 1
        ["预算执行率", 2, 4, 1.86, 0.0682, 4, 0.55],            # 2 - 1.8636 = 0.1364 each
    ]
    assert all(r["失分合计"] == 0 for r in rows[9:]) and len(rows) == 30
    assert ws["E3"].number_format == "0.00%" or ws["G3"].number_format == "0.00%"
    # 项目延期5个月。/ 项目 延期 8 个月！/ 项目延期3个月完成。 are one reason; the seed's long one another
    reasons = next(r["常见扣分理由"] for r in rows if r["三级指标"] == "完成及时性").split("\n")
    assert reasons[0] == "项目延期5个月。（3 项）"
    assert reasons[1].startswith("01包组") and reasons[1].endswith("（1 项）") and len(reasons) == 2
    (chart,) = ws._charts
    assert chart.tagname == "barChart" and chart.type == "bar"
    assert ref(chart.series[0].val) == "指标失分!$I$3:$I$11"      # the 9 indicators that lost points
    assert ref(chart.series[0].cat) == "指标失分!$C$3:$C$11"


def test_units_sheet(book):
    (rows,) = tables(book["单位汇总"])
    assert [(r["项目单位"], r["项目数"], r["平均得分"], r["优"], r["良"], r["中"], r["错误"], r["警告"]) for r in rows] == [
        ("市卫健委", 1, 96.86, 1, 0, 0, 0, 0), ("市审计局", 1, 87.86, 0, 1, 0, 0, 1),
        ("市财政局", 1, 80.86, 0, 1, 0, 0, 1), ("市教育局", 1, 79.86, 0, 0, 1, 1, 1)]


def test_findings_sheet(book):
    ws = book["问题清单"]
    (rows,) = tables(ws)
    # every error and warning of the six counted projects, none of the duplicates'
    assert sorted((Path(r["来源文件"]).name, r["级别"], r["代码"]) for r in rows) == sorted(
        [(f, "警告", "reason-missing") for f in ("2019_01_审计局.xlsx", "2019_02_教育局.xlsx", "2020_01_审计局.xlsx",
                                                "2020_02_教育局.xlsx", "2020_06_财政局.xlsx")]
        + [("2020_02_教育局.xlsx", "错误", "grade-mismatch")])
    mismatch = next(r for r in rows if r["代码"] == "grade-mismatch")
    assert mismatch["说明"] == "总分 79.86 分对应等级“中”，填报“良”" and mismatch["年度"] == 2020
    assert "另有提示" in ws["A1"].value


def test_year_comparison_sheet(book):
    grades, indicators = tables(book["年度对比"])
    assert [(r["等级"], r["2019年"], r["2020年"]) for r in grades] == [
        ("优", 0, 1), ("良", 1, 2), ("中", 1, 1), ("低", 0, 0), ("差", 0, 0),
        ("项目数", 2, 4), ("平均得分", 79.36, 86.36)]          # (80.86+77.86)/2, (87.86+79.86+96.86+80.86)/4
    got = {r["三级指标"]: (r["2019年平均得分"], r["2020年平均得分"], r["变化"]) for r in indicators}
    assert got["完成及时性"] == (0, 1.25, 1.25)
    assert got["系统利用率"] == (0, 2, 2)
    assert got["可持续发展"] == (2.5, 3.75, 1.25)               # (4+1)/2 -> (4+2+5+4)/4
    assert got["立项依据充分性"] == (3, 3, 0) and len(got) == 30


def test_one_year_has_no_comparison(folder, tmp_path):
    only = tmp_path / "2019"
    only.mkdir()
    for f in folder.glob("2019_*.xlsx"):
        shutil.copy(f, only)
    run_rollup(str(only), "--out", str(tmp_path / "r.xlsx"))
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert wb.sheetnames == SHEETS[:-1]
    (rows,) = tables(wb["等级分布"])
    assert [(r["等级"], r["重算"]) for r in rows][:3] == [("优", 0), ("良", 1), ("中", 1)]


def _record(db: ledger.Ledger, path: Path, at: datetime) -> None:
    db.record(sha256_of(path), "k", (check_one(path),), checked_at=at)


def test_ledger_source_gives_the_same_workbook(folder, book, tmp_path):
    now = datetime.now(timezone.utc)
    with ledger.Ledger(tmp_path / "perfeval.db") as db:
        for path in sorted(folder.glob("*.xlsx")):
            older = "旧" in path.name or "无代码" in path.name      # recorded earlier, as the older files
            _record(db, path, now - timedelta(hours=1) if older else now)
    run_rollup(str(tmp_path / "perfeval.db"), "--out", str(tmp_path / "r.xlsx"))
    again = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert again.sheetnames == book.sheetnames
    for name in SHEETS:
        assert tables(again[name]) == tables(book[name]), name


def test_old_ledger_migrates_and_rolls_up(make_sheet, tmp_path):
    path = make_sheet("seed.xlsx", title="绩效评价评分表")          # no year in the title
    db_path = tmp_path / "perfeval.db"
    con = sqlite3.connect(db_path)
    con.executescript(ledger.MIGRATIONS[0])
    con.execute("PRAGMA user_version = 1")
    con.execute("INSERT INTO checks (id, sha256, path, checked_at, tool_version, rubric_key, status, unit, name,"
                " total_entered, total_recomputed, grade_entered, grade_recomputed)"
                " VALUES (1, 'x', 'old.xlsx', '2020-01-01T00:00:00+00:00', '0.1', 'k', 'ok', '旧单位', '旧项目',"
                " '90', '90', '优', '优')")
    con.execute("INSERT INTO indicators VALUES (1, 0, '决策', '项目立项', '立项依据充分性', '3', '2', '2', 'G6')")
    con.commit()
    con.close()
    with ledger.Ledger(db_path) as db:
        assert db.db.execute("PRAGMA user_version").fetchone()[0] == ledger.SCHEMA_VERSION == 4
        (old,) = db.results()
        assert old.title is None and old.indicators[0].reason is None and old.indicators[0].recomputed == D(2)
        _record(db, path, datetime.now(timezone.utc))
        new = next(r for r in db.results() if r.path == str(path))
        assert new.title == "绩效评价评分表" and new == check_one(path)
    run_rollup(str(db_path), "--out", str(tmp_path / "r.xlsx"), "--year", "2021")
    (rows,) = tables(openpyxl.load_workbook(tmp_path / "r.xlsx")["项目总表"])
    assert {r["项目名称"]: r["年度"] for r in rows} == {"旧项目": 2021, "中山市金审工程二期项目": 2021}


def test_year_from_title_or_default(make_sheet):
    titled = make_sheet("a.xlsx", title="2018-2019年度电子政务信息化专项资金绩效评价评分意见表")
    untitled = make_sheet("b.xlsx", title="绩效评价评分意见表")
    files = rollup_tables.collect([titled, untitled], default_year=2022).files
    assert {Path(p).name: y for p, y in zip(files["path"], files["year"])} == {"a.xlsx": 2019, "b.xlsx": 2022}


@pytest.mark.parametrize("title, year", [
    ("2018-2019年度电子政务信息化专项资金绩效评价评分意见表", 2019), ("2020年度项目绩效评价评分表", 2020),
    ("２０１８－２０１９年度评分表", 2019), ("2018年-2019年绩效评价", 2019), ("2018 至 2019 年度", 2019),
    ("绩效评价评分表", None), (None, None)])
def test_year_of(title, year):
    assert rollup_tables.year_of(title) == year


def test_near_duplicate_reasons_are_one():
    reasons = ["项目延期5个月。", "项目 延期 8 个月！", "项目延期3个月完成。", "未提供进度计划", "未提供进度计划。",
               "无故障率等数据说明。", "   "]
    assert rollup_tables.group_reasons(reasons) == [("项目延期5个月。", 3), ("未提供进度计划", 2), ("无故障率等数据说明。", 1)]
    assert rollup_tables.group_reasons([]) == []


def test_text_from_inputs_stays_text(tmp_path):
    path = build(tmp_path / "in" / "a.xlsx", Changes(title="2020年度评分表", project={"unit": "<b>单位</b>"}))
    wb = openpyxl.load_workbook(path)
    name = next(c.offset(column=1) for row in wb.active.iter_rows() for c in row if c.value == "项目名称")
    name.value = '=HYPERLINK("http://example.invalid","点我")'
    name.data_type = "s"                                  # text that looks like a formula, as typed with '
    wb.save(path)
    run_rollup(str(tmp_path / "in"), "--out", str(tmp_path / "r.xlsx"), "--html", str(tmp_path / "r.html"))
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx")["项目总表"]
    assert ws["C3"].value.startswith("=HYPERLINK") and ws["C3"].data_type == "s"
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;单位&lt;/b&gt;" in html and "<b>单位" not in html


def test_nothing_readable_still_gives_a_report(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.xlsx").write_bytes(b"")
    run_rollup(str(tmp_path / "in"), "--out", str(tmp_path / "r.xlsx"), "--html", str(tmp_path / "r.html"))
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert wb.sheetnames == SHEETS[:-1]
    ((row,),) = tables(wb["项目总表"])
    assert row["状态"] == "无法读取" and row["备注"] == "文件为空（0 字节）"
    assert tables(wb["等级分布"]) == [[]] and not wb["等级分布"]._charts      # no rubric in the roll-up: no band
    assert tables(wb["指标失分"]) == [[]] and not wb["指标失分"]._charts
    assert "无法读取 <b id=\"count-unreadable\">1</b>" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_the_files_checked_go_through_the_progress_bar(make_sheet):
    """The roll-up hands its stream of results to the same progress bar as check."""
    paths = [make_sheet("a.xlsx"), make_sheet("b.xlsx")]
    seen = []

    def progress(results, total):
        for rs in results:                      # each file's results, one per scoring sheet
            seen.append((Path(rs[0].path).name, total))
            yield rs
    files = rollup_tables.collect(paths, progress=progress).files
    assert seen == [("a.xlsx", 2), ("b.xlsx", 2)] and len(files) == 2
