"""Reader: every layout met in the field reads to the same numbers as the seed sheet."""
from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest

from perfeval.read.workbook import read
from seedbook import SEED, Changes, build, variant

from workbooks import edit_workbook
from layouts import VARIANTS
from checking import check_one



def reading(result):
    """What a check reads, by rubric indicator: (level1, level2, weight, entered score)."""
    return {i.name: (i.level1, i.level2, i.weight, i.entered) for i in result.indicators}


@pytest.fixture(scope="module")
def seed_result(tmp_path_factory):
    return check_one(build(tmp_path_factory.mktemp("seed") / "seed.xlsx", Changes()))


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_layout_reads_like_the_seed(tmp_path, seed_result, name):
    result = check_one(build(tmp_path / f"{name}.xlsx", Changes(), layout=VARIANTS[name]))
    assert result.status == "flagged", result.error
    assert result.rubric == "egov-2019"
    assert reading(result) == reading(seed_result)
    assert (result.total_entered, result.total_recomputed) == (81, Decimal("80.86"))
    assert (result.grade_entered, result.grade_recomputed) == ("良", "良")
    assert result.project == seed_result.project.__class__(**{**seed_result.project.__dict__,
                                                              "budget_cell": result.project.budget_cell})
    codes = sorted((f.code, f.indicator) for f in result.findings)
    assert codes == sorted((f.code, f.indicator) for f in seed_result.findings)


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_layout_reads_reasons_and_narrative(tmp_path, name):
    sheet = read(build(tmp_path / f"{name}.xlsx", Changes(), layout=VARIANTS[name])).sheets[0]
    assert len(sheet.rows) == 30
    reasons = {r.name: r.reason.value for r in sheet.rows if r.reason and r.reason.value}
    assert len(reasons) == 10
    assert reasons["预算执行率"].startswith("项目中标合同金额444.205万元")
    assert [label for label, _ in sheet.narrative] == ["总体评价", "存在问题", "改进建议", "评审组", "机构名称", "日期"]
    assert sheet.narrative_text("日期").value == "2020年10月"
    assert sheet.grade_standard.value == SEED["grade_standard"]
    assert [(b.grade, b.min) for b in sheet.bands] == [("优", 90), ("良", 80), ("中", 70), ("低", 60), ("差", 0)]
    assert sheet.total_weight.value == 100


@pytest.mark.parametrize("name", ["seed", "fullwidth", "repeated", "formulas"])
def test_level_weights_from_labels(tmp_path, name):
    sheet = read(build(tmp_path / "x.xlsx", Changes(), layout=VARIANTS[name])).sheets[0]
    weights = {(level, label): w for level, label, w, _ in sheet.level_weights}
    assert weights[(1, "决策")] == 20 and weights[(1, "效益")] == 30
    assert weights[(2, "项目立项")] == 6 and weights[(2, "项目效益")] == 25 and weights[(2, "满意度")] == 5


def test_no_weights_in_labels(tmp_path):
    sheet = read(build(tmp_path / "x.xlsx", Changes(), layout="blank")).sheets[0]
    assert sheet.level_weights == ()
    assert {r.level1 for r in sheet.rows} == {"决策", "过程", "产出", "效益"}


def test_scores_as_text_read_as_numbers(tmp_path):
    sheet = read(build(tmp_path / "x.xlsx", Changes(), layout="fullwidth")).sheets[0]
    raws = {type(r.score.raw) for r in sheet.rows}
    assert raws == {str}
    assert {r.name: r.score.value for r in sheet.rows}["预算执行率"] == Decimal("1.86")
    assert sheet.total.raw == "81分" and sheet.total.value == 81


def test_uncached_subtotals_and_total(tmp_path):
    sheet = read(build(tmp_path / "x.xlsx", Changes(), layout="formulas")).sheets[0]
    assert [(s.level, s.name, s.score.value) for s in sheet.subtotals] == [
        (1, "决策", 17), (1, "过程", Decimal("19.86")), (1, "产出", 25), (1, "效益", 19)]
    assert sheet.total.value == 81


def test_table_on_a_second_sheet(tmp_path):
    path = build(tmp_path / "x.xlsx", Changes())
    wb = openpyxl.load_workbook(path)
    cover = wb.create_sheet("封面", 0)
    cover["A1"] = "2018-2019年度电子政务信息化专项资金绩效评价报告"
    cover["A3"] = "评分"                 # a header word alone is no table
    cover["B5"] = "一级指标"
    wb.create_sheet("说明", 1)["A1"] = "评分说明"
    wb.save(path)
    result = check_one(path)
    assert result.sheet == "评分表"
    assert result.total_recomputed == Decimal("80.86")
    assert len(result.indicators) == 30


def test_header_block(tmp_path):
    sheet = read(build(tmp_path / "x.xlsx", Changes(project={"code": "2019-ZS-0042", "budget": "460万元"}))).sheets[0]
    assert sheet.title == SEED["title"]
    assert sheet.project.unit == "中山市审计局"
    assert sheet.project.code == "2019-ZS-0042"
    assert sheet.project.name == "中山市金审工程二期项目"
    assert sheet.project.budget == 460 and sheet.project.budget_cell == "H2"


def test_header_values_in_the_label_cell(tmp_path):
    path = edit_workbook(build(tmp_path / "x.xlsx", Changes()), {
        "A2": "项目单位：中山市审计局", "B2": None, "C2": "项目代码: A-1", "D2": None,
        "E2": "项目名称：金审工程二期", "F2": None, "G2": "预算金额（万元）：460", "H2": None})
    project = read(path).sheets[0].project
    assert (project.unit, project.code, project.name, project.budget) == ("中山市审计局", "A-1", "金审工程二期", 460)
    assert project.budget_cell == "G2"


def test_empty_header_values(tmp_path):
    project = read(build(tmp_path / "x.xlsx", Changes(project={"unit": "", "budget": ""}))).sheets[0].project
    assert project.unit is None and project.code is None and project.budget is None
    assert project.name == "中山市金审工程二期项目"


def test_footer_fields(tmp_path):
    sheet = read(build(tmp_path / "x.xlsx", Changes(grade="良好", total="81分",
                                                     narrative={"总体评价": "项目评价分数为81分，等级为良。"}))).sheets[0]
    assert (sheet.total.cell, sheet.total.value) == ("G52", 81)
    assert (sheet.grade.cell, sheet.grade.value) == ("G53", "良好")
    assert sheet.narrative_text("总体评价").value == "项目评价分数为81分，等级为良。"
    assert sheet.narrative_text("评审组").value == "李文海 江碧安 何正华"
    assert sheet.narrative_text("机构名称").value == "广东海捷诚信信息有限公司"
    assert sheet.narrative_text("存在问题").value.startswith("(一) 自评工作质量方面")
    assert sheet.narrative_text("改进建议").cell == "B57"


def test_total_label_with_spaces(tmp_path):
    path = edit_workbook(build(tmp_path / "x.xlsx", Changes()), {"A52": "合  计"})
    sheet = read(path).sheets[0]
    assert sheet.total.value == 81 and len(sheet.rows) == 30


def test_header_rows_repeated_per_page_are_skipped(tmp_path):
    sheet = read(build(tmp_path / "x.xlsx", Changes(), layout="seed")).sheets[0]
    names = [r.name for r in sheet.rows]
    assert not {"名称", "三级指标", "评价指标"} & set(names)
    assert names[5] == "资金配合理性"                 # first row after the second page's header band


def test_header_synonyms(tmp_path):
    path = edit_workbook(build(tmp_path / "x.xlsx", Changes()),
                         rename={"评分": "得分", "权重(%)": "分值", "扣分理由": "扣分原因", "评分标准": "评分细则"})
    result = check_one(path)
    assert result.total_recomputed == Decimal("80.86") and len(result.indicators) == 30
    assert {(f.code, f.cell) for f in result.findings if f.severity.value == "warning"} == {
        ("reason-missing", "H9"), ("narrative-mismatch", "B55")}


def test_numbered_rows_in_a_first_column(tmp_path):
    path = build(tmp_path / "x.xlsx", Changes(), layout=variant("seed", start_col=2))
    wb = openpyxl.load_workbook(path)
    ws = wb["评分表"]
    n = 0
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, 4).value == "三级指标":
            ws.cell(r, 1).value = "序号"
        elif isinstance(ws.cell(r, 5).value, int) and ws.cell(r, 5).value < 10:
            n += 1
            ws.cell(r, 1).value = n
    wb.save(path)
    assert n == 30
    result = check_one(path)
    assert len(result.indicators) == 30 and result.total_entered == 81
    assert {(f.code, f.cell) for f in result.findings if f.severity.value != "info"} == {
        ("reason-missing", "I9"), ("narrative-mismatch", "C55")}


@pytest.mark.parametrize("style", ["{i}.{name}", "（{i}）{name}", "{i}、{name}", "{name}（{w}分）"])
def test_numbered_indicator_names_match_the_rubric(tmp_path, seed_result, style):
    from seedbook import seed_rows
    names = {row["name"]: style.format(i=i, name=row["name"], w=row["weight"])
             for i, row in enumerate(seed_rows(), start=1)}
    result = check_one(edit_workbook(build(tmp_path / "x.xlsx", Changes()), rename=names))
    assert result.rubric == "egov-2019"
    assert reading(result) == reading(seed_result)
    assert sorted((f.code, f.indicator) for f in result.findings) == \
        sorted((f.code, f.indicator) for f in seed_result.findings)
