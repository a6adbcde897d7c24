"""Every rule kind of the egov-2019 rubric recomputed from a 基础数据 sheet, with its working.

Each case is built twice: once with the recomputed score entered (nothing to report at that
indicator) and once with a score off by half a point (formula-mismatch carrying the expected score,
the arithmetic written out and every figure with the cell it came from).
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from perfeval.catalogue import say, working_text
from perfeval import pipeline
from perfeval.write import formats
from perfeval.read.workbook import read
from seedbook import Changes, build

HEADER_BUDGET = "表头 预算金额 H2"

# (indicator, 基础数据 rows, expected score, fragments of the working, other score changes)
CASES = [
    # 预算执行率 = 实际支出/实际到位 × 2
    ("预算执行率", [("实际支出资金", 413.905), ("实际到位资金", 444.205)], "1.8636",
     ["413.905 ÷ 444.205", "93.18%", "× 2", "1.86"], {}),
    ("预算执行率", [("实际支出资金", 500), ("实际到位资金", 444.205)], "2", ["≥ 100%"], {}),
    # 成本节约率 tiers: ≥10% → 2, ≥5% → 1, else 0; 计划成本 defaults to 预算金额
    ("成本节约率", [("计划成本", 100), ("实际成本", 90)], "2", ["(100 − 90) ÷ 100", "10%", "≥ 10%"], {}),
    ("成本节约率", [("计划成本", 100), ("实际成本", 95)], "1", ["5%", "≥ 5%"], {}),
    ("成本节约率", [("计划成本", 100), ("实际成本", 95.01)], "0", ["4.99%", "< 5%"], {}),
    ("成本节约率", [("中标价", 400)], "2", ["(460 − 400) ÷ 460", "13.04%"], {}),
    # completion rates: rate × weight, the 80% cap when quantities deviate from the plan
    ("硬件采购数量完成率", [("计划硬件采购数量", 12), ("实际硬件采购数量", 12)], "3", ["12 ÷ 12", "100%"], {}),
    ("硬件采购数量完成率", [("计划硬件采购数量", 12), ("实际硬件采购数量", 9)], "2.25", ["9 ÷ 12", "75%", "× 3"], {}),
    ("硬件采购数量完成率", [("计划硬件采购数量", 12), ("实际硬件采购数量", 11)], "2.4", ["91.67%", "80%", "2.4"], {}),
    ("硬件采购数量完成率", [("计划硬件采购数量", 12), ("实际硬件采购数量", 14)], "2.4", ["116.67%", "80%"], {}),
    ("软件采购数量完成率", [("计划软件采购数量", 4), ("实际软件采购数量", 3)], "1.5", ["3 ÷ 4", "× 2"], {}),
    ("系统开发数量完成率", [("计划系统开发数量", 5), ("实际系统开发数量", 5)], "5", ["5 ÷ 5"], {}),
    # no software planned: its 2 points move to 系统开发 (weight 7)
    ("系统开发数量完成率", [("计划软件采购数量", 0), ("计划系统开发数量", 5), ("实际系统开发数量", 5)], "7",
     ["5 ÷ 5", "7"], {"软件采购数量完成率": 0}),
    ("系统开发数量完成率", [("计划软件采购数量", 0), ("计划系统开发数量", 5), ("实际系统开发数量", 4)], "5.6",
     ["4 ÷ 5", "80%", "× 7"], {"软件采购数量完成率": 0}),
    ("软件采购数量完成率", [("计划软件采购数量", 0)], "0", ["计划软件采购数量 = 0", "系统开发数量完成率"],
     {"系统开发数量完成率": 7}),
    ("系统上线完成率", [("计划开发系统数量", 5), ("系统上线运行数量", 4)], "1.6", ["4 ÷ 5", "80%", "× 2"], {}),
    ("系统上线完成率", [("计划上线系统数量", 5), ("上线系统数量", 5)], "2", ["5 ÷ 5"], {}),
    ("系统功能实现率", [("系统功能实现率", "90%")], "2.7", ["90%", "× 3"], {}),
    ("系统功能实现率", [("计划功能模块数", 20), ("已实现功能模块数", 18)], "2.7", ["18 ÷ 20", "90%"], {}),
    # 系统正常运行率: below 85% → 0, else rate ÷ expected × 3, capped at 3
    ("系统正常运行率", [("系统正常运行率", "84%"), ("预期正常运行率", "99%")], "0", ["84%", "< 85%"], {}),
    ("系统正常运行率", [("系统正常运行率", "95%"), ("预期正常运行率", "99%")], "2.8788", ["95% ÷ 99%", "× 3"], {}),
    ("系统正常运行率", [("系统正常运行率", "99.5%"), ("预期正常运行率", "99%")], "3", ["99.5% ÷ 99%"], {}),
    ("系统正常运行率", [("系统正常运行率", "85%"), ("预期正常运行率", "90%")], "2.8333", ["85% ÷ 90%"], {}),
    # 信息系统安全等级保护: −1 per level below the expected one; no 备案证明 → 0
    ("信息系统安全等级保护要求", [("等保测评备案证明", "是"), ("预期等保等级", 3), ("实际等保等级", 3)], "2",
     ["未低于 3"], {}),
    ("信息系统安全等级保护要求", [("等保测评备案证明", "是"), ("预期等保等级", 3), ("实际等保等级", 2)], "1",
     ["低于 3", "2 − 1 × 1"], {}),
    ("信息系统安全等级保护要求", [("等保备案证明", "否"), ("预期等保等级", 3), ("实际等保等级", 3)], "0",
     ["等保测评备案证明 = 否"], {}),
    # 完成及时性: −1 per full 10% overrun
    ("完成及时性", [("计划工期", 12), ("实际工期", 12)], "3", ["12 ÷ 12", "未超过"], {}),
    ("完成及时性", [("计划工期", 12), ("实际工期", 13)], "3", ["108.33%", "3 − 0 × 1"], {}),
    ("完成及时性", [("计划工期", 12), ("实际工期", 13.2)], "2", ["110%", "3 − 1 × 1"], {}),
    ("完成及时性", [("合同工期", 10), ("实际工期", 12.5)], "1", ["125%", "3 − 2 × 1"], {}),
    ("完成及时性", [("计划工期", 1), ("实际工期", 31)], "0", ["3100%"], {}),
    ("完成及时性", [("计划工期", "24个月"), ("实际工期", "30个月")], "1", ["125%", "3 − 2 × 1"], {}),
    # 系统故障响应: −0.5 per late response
    ("系统故障响应或维护及时性", [("超时响应次数", 0)], "2", ["未超过"], {}),
    ("系统故障响应或维护及时性", [("超时响应次数", 3)], "0.5", ["2 − 3 × 0.5"], {}),
    ("系统故障响应或维护及时性", [("未及时响应次数", 5)], "0", ["2 − 5 × 0.5"], {}),
    # 预算超支: spent within the budget (header 预算金额) → 1, else 0
    ("预算超支", [("实际支出资金", 413.905)], "1", ["413.905 ≤ 460"], {}),
    ("预算超支", [("实际支出资金", 470)], "0", ["470 > 460"], {}),
    ("预算超支", [("实际支出资金", 470), ("预算金额", 500)], "1", ["≤ 500"], {}),
    # 预算调整 tiers: 0 → 2, ≤5% → 1.5, ≤10% → 1, more → 0
    ("预算调整", [("预算调整幅度", "0%")], "2", ["0%"], {}),
    ("预算调整", [("预算调整幅度", "3%")], "1.5", ["3% ≤ 5%"], {}),
    ("预算调整", [("预算调整幅度", "5%")], "1.5", ["5% ≤ 5%"], {}),
    ("预算调整", [("预算调整幅度", "8%")], "1", ["8% ≤ 10%"], {}),
    ("预算调整", [("预算调整幅度", 0.1)], "1", ["10% ≤ 10%"], {}),
    ("预算调整", [("调整幅度", "12%")], "0", ["12% > 10%"], {}),
    # 系统利用率: −1 per full 5% short of 100%
    ("系统利用率", [("系统利用率", "100%")], "5", ["未低于"], {}),
    ("系统利用率", [("系统利用率", "96%")], "5", ["5 − 0 × 1"], {}),
    ("系统利用率", [("系统利用率", "95%")], "4", ["5 − 1 × 1"], {}),
    ("系统利用率", [("系统利用率", "89%")], "3", ["11%", "5 − 2 × 1"], {}),
    ("系统利用率", [("实际使用量", 90), ("预计使用量", 100)], "3", ["90 ÷ 100", "5 − 2 × 1"], {}),
    # 故障率: −1 per point over the expected rate
    ("硬软件、服务器等故障率", [("故障率", "0.5%"), ("预期故障率", "1%")], "5", ["未超过 1%"], {}),
    ("硬软件、服务器等故障率", [("故障率", "2%"), ("预期故障率", "1%")], "4", ["5 − 1 × 1"], {}),
    ("硬软件、服务器等故障率", [("故障率", "2.5%"), ("预期故障率", "1%")], "4", ["1.5%", "5 − 1 × 1"], {}),
    ("硬软件、服务器等故障率", [("故障率", "8%"), ("预期故障率", "1%")], "0", ["5 − 7 × 1"], {}),
    # 满意度: no expected rate → full at ≥90%, else rate × 5; an expected rate → full when reached
    ("社会公众或服务对象满意度", [("满意度", "96%")], "5", ["96% ≥ 90%"], {}),
    ("社会公众或服务对象满意度", [("满意度", "85%")], "4.25", ["85% < 90%", "85% × 5"], {}),
    ("社会公众或服务对象满意度", [("满意人数", 85), ("调查总人数", 100)], "4.25", ["85 ÷ 100"], {}),
    ("社会公众或服务对象满意度", [("满意度", "92%"), ("预期满意度", "95%")], "4.6", ["92% < 95%", "× 5"], {}),
    ("社会公众或服务对象满意度", [("满意度", "96%"), ("预期满意度", "95%")], "5", ["96% ≥ 95%"], {}),
    ("社会公众或服务对象满意度", [("满意率", "88%"), ("预期满意率", "85%")], "5", ["88% ≥ 85%"], {}),
    # 可持续发展: five items × 1
    ("可持续发展", [("政策制度可持续", 1), ("人员机构可持续", 1), ("管理机制可持续", "是"),
                ("资金投入可持续", 1), ("项目寿命环境可持续", 0)], "4", ["1 + 1 + 1 + 1 + 0 = 4"], {}),
    ("可持续发展", [("政策制度可持续", "是"), ("人员机构可持续", "是"), ("管理机制可持续", "是"),
                ("资金投入可持续", "否"), ("项目寿命环境可持续", "否")], "3", ["= 3"], {}),
]

ALIASES = {"中标价": "实际成本", "计划上线系统数量": "计划开发系统数量", "上线系统数量": "系统上线运行数量",
           "等保备案证明": "等保测评备案证明", "合同工期": "计划工期", "未及时响应次数": "超时响应次数",
           "调整幅度": "预算调整幅度", "满意率": "满意度", "预期满意率": "预期满意度"}


def _case_id(case) -> str:
    indicator, figures, expected = case[:3]
    return f"{indicator}-{expected}-" + "-".join(str(v) for _, v in figures)


def _evaluate(tmp_path, name, figures, score, others):
    scores = {**others, name: score}
    path = build(tmp_path / "rule.xlsx", Changes(scores=scores, basic_data=list(figures),
                                                  reasons={n: "见说明" for n in scores}))
    result, rc = pipeline.evaluate(read(path).sheets[0])
    return result, rc


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_rule_recomputed_from_basic_data(tmp_path, case):
    name, figures, expected, fragments, others = case
    expected = Decimal(expected)
    result, rc = _evaluate(tmp_path, name, figures, float(round(expected, 2)), others)
    placed = next(p for p in rc.placed if p.name == name)
    assert placed.recomputed is not None and placed.recomputed.expected is not None, placed.recomputed
    assert abs(placed.recomputed.expected - expected) < Decimal("0.0001")
    here = [f for f in result.findings if f.indicator == name]
    assert not [f for f in here if f.code in ("formula-mismatch", "inputs-missing", "score-out-of-range")], here


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_rule_mismatch_carries_its_working(tmp_path, case):
    name, figures, expected, fragments, others = case
    expected = Decimal(expected)
    wrong = expected - Decimal("0.5") if expected >= Decimal("0.5") else expected + Decimal("0.5")
    result, _ = _evaluate(tmp_path, name, figures, float(wrong), others)
    (f,) = [f for f in result.findings if f.code == "formula-mismatch" and f.indicator == name]
    assert f.cell and f.cell.startswith("G")
    assert abs(f.expected - expected) < Decimal("0.0001")
    assert f.entered == wrong
    for fragment in fragments:
        assert fragment in working_text(f.working), working_text(f.working)
    # every figure the rule used, with the cell it came from
    rows = {ALIASES.get(n, n): i for i, (n, _) in enumerate(figures, start=2)}
    sources = {fig.name: say(fig.source) for fig in f.working.figures}
    assert sources, "no figures in the working"
    for fig_name, source in sources.items():
        if fig_name in rows:
            assert source == f"基础数据!B{rows[fig_name]}"
        else:                                   # 预算金额 (or 计划成本 by default) from the header
            assert source.startswith(HEADER_BUDGET)
    # the finding as users see it: message and JSON working
    doc = formats.finding_dict(f, "zh")
    assert working_text(f.working) in doc["message"]
    assert {x["source"] for x in doc["working"]["figures"]} == set(sources.values())


def test_header_budget_is_planned_cost_when_absent(tmp_path):
    result, rc = _evaluate(tmp_path, "成本节约率", [("实际成本", 400)], 0, {})
    (f,) = [f for f in result.findings if f.code == "formula-mismatch"]
    sources = {fig.name: say(fig.source) for fig in f.working.figures}
    assert sources == {"计划成本": f"{HEADER_BUDGET}（按预算金额）", "实际成本": "基础数据!B2"}


def test_basic_data_wins_over_the_header(tmp_path):
    result, _ = _evaluate(tmp_path, "预算超支", [("实际支出资金", 470), ("预算总额", 480)], 0, {})
    (f,) = [f for f in result.findings if f.code == "formula-mismatch"]
    assert f.expected == 1
    assert {fig.name: say(fig.source) for fig in f.working.figures}["预算金额"] == "基础数据!B3"


def test_json_figures_keep_their_exact_value(tmp_path):
    result, _ = _evaluate(tmp_path, "预算执行率", [("实际支出资金", 413.905), ("实际到位资金", 444.205)], 1.95, {})
    (f,) = [f for f in result.findings if f.code == "formula-mismatch"]
    figures = formats.finding_dict(f, "zh")["working"]["figures"]
    assert [(x["name"], x["value"], x["source"]) for x in figures] == [
        ("实际支出资金", 413.905, "基础数据!B2"), ("实际到位资金", 444.205, "基础数据!B3")]
