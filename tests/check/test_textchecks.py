"""Recomputation from the figures in 扣分理由 / 总体评价, and the text finding codes, on real workbooks.

First the issue's done-when on the seed and its planted variants; then, for every code the text
evidence brings, the case tables of tests/cases/<code>.toml (the sqlfluff-style schema of the core's
case driver: cases that must fire, with what, and near misses that must not); then formula-mismatch
fed by text.
"""
import json
import tomllib
from dataclasses import fields
from decimal import Decimal

import pytest
from click.testing import CliRunner

from perfeval.catalogue import say, working_text
from perfeval import rubric
from perfeval import catalogue
from perfeval.score import recompute
from perfeval.cli import main
from perfeval.read.workbook import read
from seedbook import SEED, Changes
from paths import CASES as CASES_DIR
from checking import check_one

NARRATIVE = dict(SEED["narrative"])["总体评价"]
H16 = "项目中标合同金额444.205万元, 实际已支付413.905万元, 资金执行率支付率93.18%。"
TEXT_CODES = {"stated-rate-mismatch", "narrative-mismatch", "figure-conflict", "input-substituted", "rate-basis",
              "formula-mismatch"}


def findings(make_sheet, **changes):
    return check_one(make_sheet(**changes)).findings


def at(found, code):
    return [(f.cell, f.indicator) for f in found if f.code == code]


# ---- done when: the seed ------------------------------------------------------------------------

def test_seed_recomputes_from_its_text(make_sheet):
    path = make_sheet()
    rc = recompute.run(read(path).sheets[0], rubric.builtin()[0])
    got = {p.name: p.recomputed for p in rc.placed if p.recomputed and p.recomputed.expected is not None}
    assert got["预算执行率"].expected.quantize(Decimal("0.01")) == Decimal("1.86")
    assert working_text(got["预算执行率"].working) == "413.905 ÷ 444.205 = 93.18% × 2 = 1.86（数据来自 H16 扣分理由）"
    assert got["成本节约率"].expected == 0
    assert got["完成及时性"].expected == 0
    formula = working_text(got["完成及时性"].working)
    assert formula.startswith("01包组：30.82 ÷ 1") and "02包组：59.5 ÷ 24" in formula
    assert {f.name for f in got["完成及时性"].working.figures} == {"01包组实际工期", "01包组计划工期",
                                                                 "02包组实际工期", "02包组计划工期"}
    assert got["预算超支"].expected == 1


def test_seed_findings(make_sheet):
    found = findings(make_sheet)
    missing = {f.indicator for f in found if f.code == "inputs-missing"}
    assert not missing & {"预算执行率", "成本节约率", "完成及时性", "预算超支"}
    text = [(f.code, f.cell, f.indicator) for f in found if f.code in TEXT_CODES]
    assert text == [("narrative-mismatch", "B55", None), ("input-substituted", "G16", "预算执行率")]
    (date,) = [f for f in found if f.code == "narrative-mismatch"]
    message = catalogue.render(date)
    assert "2015年6月15日完工" in message and "实际于2016年9月完成" in message and "H33" in message


def test_seed_json_carries_the_working(make_sheet):
    run = CliRunner().invoke(main, ["check", str(make_sheet(scores={"预算执行率": 1.95}, total=81)),
                                    "--format", "json"])
    doc = json.loads(run.output)
    (f,) = [f for f in doc["files"][0]["findings"] if f["code"] == "formula-mismatch"]
    assert (f["cell"], f["indicator"], f["entered"], f["expected"]) == ("G16", "预算执行率", 1.95, 1.86)
    assert f["working"]["formula"] == "413.905 ÷ 444.205 = 93.18% × 2 = 1.86（数据来自 H16 扣分理由）"
    assert [x["source"] for x in f["working"]["figures"]] == ["H16 扣分理由“实际已支付413.905万元”",
                                                            "H16 扣分理由“中标合同金额444.205万元”"]
    assert run.exit_code == 1


# ---- done when: planted variants ----------------------------------------------------------------

PLANTED = [
    ("entered_1.95", dict(scores={"预算执行率": 1.95}, total=81), "formula-mismatch", ("G16", "预算执行率")),
    ("contract_400_scored_0", dict(reasons={"成本节约率": "项目预算总额为460万元，项目中标合同金额约400万元，成本节约率约13%。"}),
     "formula-mismatch", ("G41", "成本节约率")),
    ("stated_95.18", dict(reasons={"预算执行率": H16.replace("93.18%", "95.18%")}),
     "stated-rate-mismatch", ("H16", "预算执行率")),
    ("narrative_81_over_79", dict(scores={"其他经济社会效益": 1}, total=79, grade="中"),
     "narrative-mismatch", ("B55", None)),
]


@pytest.mark.parametrize("name,changes,code,where", PLANTED, ids=[p[0] for p in PLANTED])
def test_planted(make_sheet, name, changes, code, where):
    assert where in at(findings(make_sheet, **changes), code)


def test_narrative_81_over_79_names_total_and_grade(make_sheet):
    found = findings(make_sheet, scores={"其他经济社会效益": 1}, total=79, grade="中")
    messages = [catalogue.render(f) for f in found if f.code == "narrative-mismatch"]
    assert any("81分" in m and "合计为 79（G52）" in m for m in messages)
    assert any("等级为良" in m and "为 中" in m for m in messages)


# ---- every text code: must fire, must not (tests/cases/<code>.toml) -----------------------------

CASES = CASES_DIR
OWN_CODES = ["stated-rate-mismatch", "narrative-mismatch", "figure-conflict", "input-substituted", "rate-basis"]


def _cases():
    for code in OWN_CODES:
        table = tomllib.loads((CASES / f"{code}.toml").read_text(encoding="utf-8"))
        assert table["code"] == code and table["fire"] and table["pass"]
        for kind in ("fire", "pass"):
            for case in table[kind]:
                yield pytest.param(code, kind, case, id=f"{code}:{kind}:{case['name']}")


def _matches(finding, want: dict) -> bool:
    for key, value in want.items():
        got = getattr(finding, key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if not isinstance(got, Decimal) or abs(got - Decimal(str(value))) > Decimal("0.005"):
                return False
        elif got != value:
            return False
    return True


@pytest.mark.parametrize("code,kind,case", list(_cases()))
def test_case(make_sheet, code, kind, case):
    changes = {k: v for k, v in case.items() if k in {f.name for f in fields(Changes)}}
    found = [f for f in findings(make_sheet, **changes) if f.code == code]
    if kind == "fire":
        assert found, f"{code} not reported"
        for want in case["expect"]:
            assert any(_matches(f, want) for f in found), (want, found)
        assert len(found) == case.get("count", len(found))
        assert all(catalogue.render(f, "zh") and catalogue.render(f, "en") for f in found)
    else:
        places = case.get("at")
        assert not [f for f in found if places is None or any(_matches(f, w) for w in places)], found


# ---- formula-mismatch fed by text ---------------------------------------------------------------

FIRE = [
    ("completion_scored_full", dict(scores={"完成及时性": 3}, total=84, grade="良"), ("G33", "完成及时性")),
    ("own_stated_rate", dict(reasons={"预算执行率": "预算执行率为80%。"}, total=81), ("G16", "预算执行率")),
    ("satisfaction_below_its_expected_rate",
     dict(reasons={"社会公众或服务对象满意度": "满意度为80%，预期满意度为90%。"}), ("G51", "社会公众或服务对象满意度")),
    ("running_rate_below_floor",
     dict(reasons={"系统正常运行率": "系统正常运行率为80%，预期正常运行率为99%。"}), ("G31", "系统正常运行率")),
]

PASS = [
    ("seed", {}),
    ("own_stated_rate_before_other_texts",
     dict(reasons={"预算执行率": "预算执行率为100%。"}, scores={"预算执行率": 2}, total=81,
          narrative={"存在问题": "中标合同金额444.205万元，实际已支付413.905万元。"})),
    ("rough_dates_allow_either_score",
     dict(reasons={"完成及时性": "2019年1月1日开工，合同约定9个月完成，实际于2019年11月完成。"},
          scores={"完成及时性": 1}, total=82)),
    ("two_different_contracts_in_one_reason",
     dict(reasons={"成本节约率": "项目预算总额为460万元，中标合同金额为400万元，合同金额为444.2万元。"})),
    ("satisfaction_without_its_expected_rate",
     dict(reasons={"社会公众或服务对象满意度": "满意度为80%，达到评审报告确定的预期值。"})),
    ("satisfaction_at_its_expected_rate",
     dict(reasons={"社会公众或服务对象满意度": "满意度为96%，预期满意度为95%。"})),
    ("running_rate_at_its_expected_rate",
     dict(reasons={"系统正常运行率": "系统正常运行率99.5%，正常运行率预期值99%。"})),
    ("basic_data_against_the_reason_is_not_mixed_with_it", dict(basic_data=[["实际支出资金", 420]])),
    ("header_against_the_reason_is_not_mixed_with_it",
     dict(reasons={"成本节约率": "项目预算总额为480万元，项目中标合同金额约444.2万元，成本节约率约7.5%。"})),
]


@pytest.mark.parametrize("name,changes,where", FIRE, ids=[c[0] for c in FIRE])
def test_formula_mismatch_from_text(make_sheet, name, changes, where):
    assert where in at(findings(make_sheet, **changes), "formula-mismatch")


@pytest.mark.parametrize("name,changes", PASS, ids=[c[0] for c in PASS])
def test_no_formula_mismatch_from_text(make_sheet, name, changes):
    assert at(findings(make_sheet, **changes), "formula-mismatch") == []


def test_ambiguous_own_figures_leave_the_indicator_unrecomputed(make_sheet):
    found = findings(make_sheet, reasons={"成本节约率": "项目预算总额为460万元，中标合同金额为400万元，合同金额为444.2万元。"})
    (f,) = [f for f in found if f.code == "inputs-missing" and f.indicator == "成本节约率"]
    assert "文字中有两个不同的数" in catalogue.render(f)
    assert not [f for f in found if f.severity.value == "error"]


def test_rough_dates_give_a_range_of_scores(make_sheet):
    path = make_sheet(reasons={"完成及时性": "2019年1月1日开工，合同约定9个月完成，实际于2019年11月完成。"})
    rc = recompute.run(read(path).sheets[0], rubric.builtin()[0])
    (r,) = [p.recomputed for p in rc.placed if p.name == "完成及时性"]
    assert (r.low, r.high) == (Decimal(1), Decimal(2))
    found = findings(make_sheet, reasons={"完成及时性": "2019年1月1日开工，合同约定9个月完成，实际于2019年11月完成。"},
                     scores={"完成及时性": 3}, total=84)
    assert ("G33", "完成及时性") in at(found, "formula-mismatch")


