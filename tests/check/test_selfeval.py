"""The 项目支出绩效自评表 family: samples with planted errors found at their cells, clean forms without an
error, the reader of both layouts, the selfeval rubrics and their rules as data, text sums."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from perfeval import pipeline, rubric, rubric_selfeval
from perfeval.cli import main
from perfeval.read.workbook import read, read_sheets
from perfeval.score import selfeval as score
from perfeval.text.sums import statements
from selfevalbook import build, change_budget, national, province, replace, total_of
from checking import check_one

SAMPLES = Path(__file__).resolve().parents[2] / "sample_workbooks"

PLANTED = {
    "06_自评表_全国格式_错误示例.xlsx": {
        ("budget-sum-mismatch", "C6", None), ("budget-sum-mismatch", "D6", None), ("budget-sum-mismatch", "E6", None),
        ("budget-rate-mismatch", "G6", "预算执行率"), ("formula-mismatch", "H6", "预算执行率"),
        ("formula-mismatch", "H14", "维修改造供水管网"), ("formula-mismatch", "H17", "单位工程造价"),
        ("deviation-reason-missing", "I20", "工程长效运行机制"), ("text-sum-mismatch", "F11", None)},
    "08_自评表_省级格式_错误示例.xlsx": {
        ("budget-sum-mismatch", "C5", None), ("budget-sum-mismatch", "D5", None), ("budget-sum-mismatch", "E5", None),
        ("budget-rate-mismatch", "G5", "预算执行率"), ("formula-mismatch", "H5", "预算执行率"),
        ("formula-mismatch", "I15", "带动农户应用新技术"), ("formula-mismatch", "I13", "人均培训成本"),
        ("deviation-reason-missing", "J16", "技术推广长效机制"), ("text-sum-mismatch", "B8", None)},
}


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_planted_errors_found_at_their_cells(name):
    result = check_one(SAMPLES / name)
    assert result.rubric.startswith("selfeval")
    assert {(f.code, f.cell, f.indicator) for f in result.findings} == PLANTED[name]


def test_zero_total_row_recomputed_total_counts_the_budget_points():
    result = check_one(SAMPLES / "06_自评表_全国格式_错误示例.xlsx")
    # entered: the indicators alone (budget 0); recomputed: 9.5 budget points, 45/50 → 9, 反向 → 10
    assert result.total_entered == Decimal("87.39")
    assert result.total_recomputed == Decimal("97.00")
    assert not any(f.code == "total-mismatch" for f in result.findings)
    assert result.project.budget == 200


@pytest.mark.parametrize("name", ["07_自评表_全国格式_正确示例.xlsx", "09_自评表_省级格式_正确示例.xlsx"])
def test_clean_samples_have_no_finding(name):
    result = check_one(SAMPLES / name)
    assert result.status == "ok" and result.findings == ()
    assert result.total_entered == result.total_recomputed
    assert result.indicators[0].name == "预算执行率" and result.indicators[0].weight == 10


def test_clean_forms_no_error_on_either_read_path(tmp_path):
    for form in (national(), province()):
        path = build(tmp_path / f"{form.layout}.xlsx", form)
        for fast in (False, True):
            result = check_one(path, fast=fast)
            assert result.status == "ok", [f.code for f in result.findings]


def test_reader_national(tmp_path):
    sheet = read(build(tmp_path / "n.xlsx", national())).sheets[0]
    assert sheet.layout == "selfeval-national"
    assert sheet.project.name == "2023年农村饮水安全巩固提升工程" and sheet.project.unit == "某县农村供水管理站"
    assert [s.label for s in sheet.budget.sources] == ["本年财政拨款", "上年结转资金", "其他资金"]
    assert sheet.budget.total.get("spent").cell == "E6"
    first = sheet.rows[0]
    assert (first.name, first.target.value, first.actual.value, first.level1, first.level2) == \
        ("新建集中供水工程", "=8个", "8个", "产出指标", "数量指标")
    assert [(n, w) for _, n, w, _ in sheet.level_weights] == [("产出指标", 50), ("效益指标", 30), ("满意度指标", 10)]
    assert dict(sheet.narrative)["实际完成情况"].cell == "F11"
    assert sheet.total.cell == "H22" and sheet.grade is None


def test_reader_province_same_on_both_paths(tmp_path):
    path = build(tmp_path / "p.xlsx", province())
    slow, fast = read(path).sheets[0], read_sheets(path)[0]
    assert slow == fast
    row = next(r for r in slow.rows if r.name == "人均培训成本")
    assert (row.direction, row.target.value, row.unit, row.actual.value) == ("≤", "1200", "元", "1250")
    assert slow.grade.value == "优" and slow.grade.cell == "B20"
    assert dict(slow.narrative)["年度绩效目标完成情况"].cell == "B8"


def test_evaluation_sheets_keep_their_path():
    assert check_one(SAMPLES / "01_金审工程二期_原表.xlsx").rubric == "egov-2019"
    assert [r.id for r in rubric.builtin()] == ["egov-2019"]
    assert {r.id for r in rubric_selfeval.builtin()} == {"selfeval-national", "selfeval-province"}


def test_json_output(tmp_path):
    path = build(tmp_path / "n.xlsx", change_budget(national(), "年度资金总额", (0, 0, 0)))
    out = CliRunner().invoke(main, ["check", str(path), "--format", "json"])
    assert out.exit_code == 1
    doc = json.loads(out.output)["files"][0]
    assert doc["rubric"] == "selfeval-national"
    assert {f["code"] for f in doc["findings"]} >= {"budget-sum-mismatch"}


# ---- rules as data ---------------------------------------------------------------------------

def _with(tmp_path, text_from: str, old: str, new: str) -> rubric_selfeval.SelfEvalRubric:
    source = (rubric.templates_dir() / "rubrics" / text_from).read_text(encoding="utf-8")
    source = "\n".join(line for line in source.splitlines() if not line.startswith("#"))
    assert old in source
    path = tmp_path / "variant.toml"
    path.write_text(source.replace(old, new), encoding="utf-8")
    return rubric_selfeval.load(path)


def test_budget_bands_rule_is_a_toml_change(tmp_path):
    banded = _with(tmp_path, "selfeval-province.toml", 'rule = "proportional"\nweight = 10',
                   'rule = "bands"\nweight = 10\n[[budget.band]]\nmin = "0.9"\nshare = "1"\n[[budget.band]]\nmin = "0.8"\n'
                   'share = "0.8"\n[[budget.band]]\nmin = "0"\nshare = "0"')
    sheet = read(build(tmp_path / "p.xlsx", province())).sheets[0]
    rc = score.run(sheet, banded)
    assert rc.placed[0].recomputed.expected == 10          # 95% is in the ≥ 90% band: full marks
    assert rc.total() == Decimal("98.6")


def test_rescale_is_a_toml_change(tmp_path):
    form = replace(province(), rows=tuple(replace(r, target="不适用", actual="不适用", score="不适用")
                                          if r.name == "示范户满意度" else r for r in province().rows))
    sheet = read(build(tmp_path / "p.xlsx", replace(form, total=total_of(form)))).sheets[0]
    kept = _with(tmp_path, "selfeval-province.toml", "rescale_not_applicable = true", "rescale_not_applicable = false")
    assert score.run(sheet, kept).total() == Decimal("88.1")
    assert round(score.run(sheet, rubric_selfeval.load(rubric.templates_dir() / "rubrics" / "selfeval-province.toml"))
                 .total(), 2) == Decimal("97.89")


@pytest.mark.parametrize("old, new, words", [
    ('rule = "proportional"', 'rule = "steps"', "rule"),
    ('rule = "proportional"', 'rule = "bands"', "budget.band"),
    ('family = "selfeval"', 'family = "other"', "family"),
    ('min = "0.8"\nmax = "1"', 'min = "0.9"\nmax = "0.8"', "min ≤ max"),
    ('level3 = ["三级指标"]\n', '', "level3"),
])
def test_bad_rubric_named(tmp_path, old, new, words):
    with pytest.raises(rubric.RubricError, match=words.replace(".", r"\.")):
        _with(tmp_path, "selfeval-national.toml", old, new)


# ---- text sums -------------------------------------------------------------------------------

@pytest.mark.parametrize("text, total, parts, partial, holds", [
    ("全年共执行资金90万元。其中：30万元用于A；30万元用于B；30万元用于C。", 90, [30, 30, 30], False, True),
    ("共支出90万元，其中设备购置30万元、安装调试20万元等。", 90, [30, 20], True, False),
    ("合计支付1,000,000元，其中首付款300,000元，进度款600,000元，尾款100,000元。", 100, [30, 60, 10], False, True),
    ("项目总投资460万元，其中硬件约200万元，软件260万元。", 460, [200, 260], True, True),
    ("资金共计90万元，其中A 40万元，B 60万元。", 90, [40, 60], False, False),
])
def test_statements(text, total, parts, partial, holds):
    (s,) = statements(text)
    assert (s.total.value, [p.value for p in s.parts], s.partial, s.holds) == \
        (Decimal(total), [Decimal(p) for p in parts], partial, holds)


@pytest.mark.parametrize("text", ["预算和执行分别为100万元、95万元。", "项目中标合同金额为444.2万元，其中包组2还有10%（30.3万元）未支付",
                                  "其中：A 30万元，B 60万元。"])
def test_no_statement(text):
    assert statements(text) == []


# ---- roll-up ---------------------------------------------------------------------------------

def test_rollup_counts_selfeval_forms_beside_evaluation_sheets(tmp_path):
    import shutil
    from perfeval.rollup import tables, writers
    for name in ["01_金审工程二期_原表.xlsx", *sorted(PLANTED), "07_自评表_全国格式_正确示例.xlsx",
                 "09_自评表_省级格式_正确示例.xlsx"]:
        shutil.copy(SAMPLES / name, tmp_path / name)
    r = tables.build(tables.collect([tmp_path], default_year=2023))
    names = set(r.projects["项目名称"])
    assert {"中山市金审工程二期项目", "基层农技推广体系改革与建设补助项目", "2023年农村饮水安全巩固提升工程"} <= names
    level3 = set(r.indicators["三级指标"])
    assert {"数量指标", "成本指标", "预算执行率"} <= level3          # 自评表 grouped by 二级指标
    assert "维修改造供水管网" not in level3 and "预算执行率" in level3
    rates = dict(zip(r.rates["执行率"], r.rates["项目数"]))
    assert rates["90%–100%"] == rates["项目数"] and rates["平均执行率(%)"] == Decimal("95.00")
    assert "rates" in writers.sheets(r)
    writers.write_xlsx(r, tmp_path / "rollup.xlsx")
    writers.write_html(r, tmp_path / "rollup.html")
    assert "执行率分布" in (tmp_path / "rollup.html").read_text(encoding="utf-8")


def test_the_ledger_keeps_the_execution_rate_for_the_rollup(tmp_path):
    import shutil
    from click.testing import CliRunner
    from perfeval.cli import main
    from perfeval.rollup import tables
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ["06_自评表_全国格式_错误示例.xlsx", "07_自评表_全国格式_正确示例.xlsx", "09_自评表_省级格式_正确示例.xlsx"]:
        shutil.copy(SAMPLES / name, inbox / name)
    CliRunner().invoke(main, ["check", str(inbox), "--out", str(tmp_path / "out"), "-q"])
    from_folder = tables.build(tables.collect([inbox], default_year=2023)).rates
    from_ledger = tables.build(tables.collect([tmp_path / "out" / "perfeval.db"], default_year=2023)).rates
    assert from_ledger is not None and from_ledger.equals(from_folder)


def test_forced_selfeval_rubric(tmp_path):
    path = build(tmp_path / "p.xlsx", province())
    assert check_one(path, "selfeval-national").rubric == "selfeval-national"
    variant = _with(tmp_path, "selfeval-province.toml", 'id = "selfeval-province"', 'id = "my-province"')
    assert check_one(path, variant.path).rubric == "my-province"
    assert check_one(SAMPLES / "01_金审工程二期_原表.xlsx", "egov-2019").rubric == "egov-2019"


def test_annotated_copy_of_a_selfeval_form(tmp_path):
    import openpyxl
    out = CliRunner().invoke(main, ["check", str(SAMPLES / "06_自评表_全国格式_错误示例.xlsx"), "--out", str(tmp_path)])
    assert out.exit_code == 1, out.output
    copy = tmp_path / "06_自评表_全国格式_错误示例.checked.xlsx"
    wb = openpyxl.load_workbook(copy)
    assert wb["自评表"]["D6"].comment is not None        # the zero 年度资金总额 cell carries its finding


def test_rollup_from_a_ledger_groups_selfeval_by_level2(tmp_path):
    import shutil
    from perfeval.rollup import tables
    inbox = tmp_path / "in"
    inbox.mkdir()
    for name in ["01_金审工程二期_原表.xlsx", "09_自评表_省级格式_正确示例.xlsx"]:
        shutil.copy(SAMPLES / name, inbox / name)
    out = CliRunner().invoke(main, ["check", str(inbox), "--out", str(tmp_path / "out")])
    assert out.exit_code in (0, 1), out.output
    frames = tables.collect([tmp_path / "out" / "perfeval.db"], default_year=2023)
    names = set(frames.scores["name"])
    assert {"数量指标", "预算执行率", "绩效指标明确性"} <= names and "建设示范基地" not in names
