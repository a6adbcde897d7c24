"""Rubric files: the built-in one is whole; broken ones are refused naming the file and indicator;
a sheet that matches none still gets every structural check."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from perfeval.catalogue import say, working_text
from perfeval import rubric
from perfeval.cli import main
from seedbook import Changes, build, variant

from workbooks import edit_workbook
from checking import check_one

BUILTIN = rubric.templates_dir() / "rubrics" / "egov-2019.toml"


def test_builtin_rubric_is_the_seed_tree():
    r = rubric.load(BUILTIN)
    assert r.id == "egov-2019"
    assert [(g.name, g.weight) for g in r.groups if g.level == 1] == [
        ("决策", 20), ("过程", 20), ("产出", 30), ("效益", 30)]
    assert len([g for g in r.groups if g.level == 2]) == 11
    assert len(r.indicators) == 30
    assert sum(i.weight for i in r.indicators) == 100
    assert [(b.grade, b.min) for b in r.bands] == [("优", 90), ("良", 80), ("中", 70), ("低", 60), ("差", 0)]
    assert r.find("资金配 合理性").name == r.find("资金分配合理性").name == "资金配置合理性"
    assert r.find("制度执\n行有效 性").name == "制度执行有效性"
    assert r.input_named("中标价").name == "实际成本"
    assert r.inputs["计划成本"].default == "预算金额"


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = BUILTIN.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "broken-rubric.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


CASES = {
    "unknown_kind": ('name = "预算执行率"\nweight = 2\nkind = "rate"', 'name = "预算执行率"\nweight = 2\nkind = "ratio"',
                     "预算执行率", "ratio"),
    "missing_input": ('value = [{ ratio = ["实际支出资金", "实际到位资金"] }, { input = "预算执行率" }]',
                      'value = { ratio = ["实际支出资金", "实际到账资金"] }', "预算执行率", "实际到账资金"),
    "missing_item_input": ('"项目寿命环境可持续"]\npoints', '"项目寿命可持续"]\npoints', "可持续发展", "项目寿命可持续"),
    "weights_do_not_add": ('name = "立项依据充分性"\nweight = 3', 'name = "立项依据充分性"\nweight = 4', "项目立项", "7"),
    "unknown_transfer_target": ('transfer_to = "系统开发数量完成率"', 'transfer_to = "系统研发数量完成率"',
                                "软件采购数量完成率", "系统研发数量完成率"),
    "levels_without_allowed": ('kind = "levels"\nallowed = [3, 2, 1, 0]', 'kind = "levels"', "立项依据充分性", "allowed"),
    "bad_weight": ('name = "预算超支"\nweight = 1', 'name = "预算超支"\nweight = "一"', "预算超支", "weight"),
    "bad_toml": ('id = "egov-2019"', 'id = egov-2019', "broken-rubric.toml", ""),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_rubric_names_file_and_indicator(tmp_path, case):
    old, new, where, what = CASES[case]
    path = broken(tmp_path, old, new)
    with pytest.raises(rubric.RubricError) as err:
        rubric.load(path)
    message = str(err.value)
    assert str(path) in message and where in message and what in message
    assert "\n" not in message.strip() or case == "bad_toml"


@pytest.mark.parametrize("case", ["unknown_kind", "missing_input"])
def test_broken_rubric_on_the_command_line(tmp_path, make_sheet, case):
    old, new, where, what = CASES[case]
    path = broken(tmp_path, old, new)
    result = CliRunner().invoke(main, ["check", str(make_sheet()), "--rubric", str(path)])
    assert result.exit_code == 2
    assert str(path) in result.output and where in result.output and what in result.output
    assert "Traceback" not in result.output


def test_broken_rubric_in_check_file_is_unreadable_not_a_crash(tmp_path, make_sheet):
    path = broken(tmp_path, *CASES["unknown_kind"][:2])
    result = check_one(make_sheet(), str(path))
    assert result.status == "unreadable" and "预算执行率" in say(result.error)


def test_rubric_from_a_file_with_its_own_id(tmp_path, make_sheet):
    path = broken(tmp_path, 'id = "egov-2019"', 'id = "egov-2019-local"')
    result = check_one(make_sheet(), str(path))
    assert result.rubric == "egov-2019-local" and result.total_recomputed == Decimal("80.86")


RENAME = {"立项依据充分性": "政策依据", "立项程序规范性": "程序规范", "绩效目标合理性": "目标合理",
          "绩效指标明确性": "指标明确", "预算编制科学性": "编制科学", "预算执行率": "执行进度",
          "资金使 用合规性": "使用合规", "管理制度健全性": "制度健全", "完成及时性": "时效"}


def test_unmatched_sheet_gets_structural_checks(tmp_path):
    """Another template: no rubric matches, yet ranges, weight sums, subtotals, total, the sheet's own
    grade bands and reasons are all checked; levels and formulas only as its own 评分标准 state them."""
    path = build(tmp_path / "other.xlsx", Changes(
        title="某区2021年度部门项目支出绩效评价评分表",
        scores={"绩效目标合理性": 2.5, "资金使 用合规性": 7, "制度执 行有效 性": 2},
        reasons={"绩效目标合理性": "目标偏低"},
        weights={"预算编制科学性": 4}, subtotals={"过程": 21}, total="84", grade="优",
        basic_data=[("实际支出资金", 1), ("实际到位资金", 2)]),
        layout=variant("formulas", total_formula=False))
    edit_workbook(path, rename=RENAME)
    result = CliRunner().invoke(main, ["check", str(path), "--format", "json"])
    assert result.exit_code == 1
    (f,) = json.loads(result.output)["files"]
    assert f["rubric"] is None and f["status"] == "flagged"
    found = {(x["code"], x["indicator"], x["cell"]) for x in f["findings"]}
    assert [x["code"] for x in f["findings"]].count("rubric-unmatched") == 1
    assert ("score-out-of-range", "使用合规", "G14") in found
    assert ("reason-missing", "制度执行有效性", "H16") in found
    assert ("reason-missing", "指标明确", "H9") in found
    assert ("weight-sum-mismatch", None, "B10") in found              # 资金投入 (6) now adds to 7
    assert ("subtotal-mismatch", None, "G19") in found
    assert ("total-mismatch", None, "G40") in found
    assert ("grade-mismatch", None, "G41") in found                   # 84 is 良 by the sheet's own bands
    codes = {x["code"] for x in f["findings"]}
    assert not codes & {"unknown-indicator", "indicator-absent", "weight-mismatch"}
    # the sheet's own criteria: 目标合理 allows 4/3/1–2/0, 执行进度 is 执行率 × 2 (issue 13)
    assert ("score-not-allowed", "目标合理", "G8") in found
    mismatch = next(x for x in f["findings"] if x["code"] == "formula-mismatch")
    assert mismatch["indicator"] == "执行进度" and mismatch["expected"] == 1
    assert "评分标准" in mismatch["working"]["formula"]
