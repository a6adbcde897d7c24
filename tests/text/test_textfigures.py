"""Figures read from text: what is extracted from real-style phrases, and what binds to which input.

Two tables. EXTRACTED: every figure a phrase holds, with its kind, value in canonical units (万元,
fractions, months, dates) and flags (约 = approx, vague = a bound / change / range, pN = package N,
part = a part's figure). BOUND: which rubric input each phrase's figures bind to; {} means nothing may
bind (the ambiguous phrases precision demands we leave alone).
"""
from decimal import Decimal

import pytest

from perfeval import rubric
from perfeval.text.binding import bind, months_between
from perfeval.text.figures import Day, cn_number, extract

RUBRIC = rubric.builtin()[0]

EXTRACTED = [
    # amounts: 万元 / 元 / 亿元, 约, separators, full-width digits
    ("项目中标合同金额444.205万元", [("amount", "444.205", "")]),
    ("中标合同金额约444.2万元", [("amount", "444.2", "approx")]),
    ("合同价4,442,050元", [("amount", "444.205", "")]),
    ("合同金额４４４．２０５万元", [("amount", "444.205", "")]),
    ("总投资1.2亿元", [("amount", "12000", "")]),
    ("合同额400万，已付清", [("amount", "400", "")]),
    ("已支付400余万元", [("amount", "400", "vague")]),
    ("控制在460万元以内", [("amount", "460", "vague")]),
    ("单价3万元至5万元", [("amount", "3", "vague"), ("amount", "5", "vague")]),
    ("投资460万元左右", [("amount", "460", "approx")]),
    # rates
    ("资金执行率支付率93.18%", [("percent", "0.9318", "")]),
    ("成本节约率约3.4%", [("percent", "0.034", "approx")]),
    ("满意度９６％", [("percent", "0.96", "")]),
    ("执行率超过90%", [("percent", "0.9", "vague")]),
    ("审计覆盖面增加20%", [("percent", "0.2", "vague")]),
    ("利用率3-5%", [("percent", "0.05", "vague")]),
    # counts
    ("部署社保五险审计等5个应用", [("count", "5", "")]),
    ("超时响应3次", [("count", "3", "")]),
    ("采购服务器两台", [("count", "2", "")]),
    ("第2次验收", []),
    ("第一次", []),
    ("下降5个百分点", []),
    # dates in every written form
    ("2014年2月21日开工", [("date", "2014-02-21", "")]),
    ("实际于2016年9月完成", [("date", "2016-09", "")]),
    ("2018-12-31竣工", [("date", "2018-12-31", "")]),
    ("2018.12.31竣工", [("date", "2018-12-31", "")]),
    ("2018/12/31竣工", [("date", "2018-12-31", "")]),
    ("2016年9月底完成", [("date", "2016-09-30", "")]),
    ("9月30日完成", []),                                  # no year: not a date we use, nor 30 days
    ("2015年之前实施的项目", []),                          # a year, not 2015 years
    ("2018—2019年度", []),
    ("2019年2月30日", []),                                # no such day
    # durations
    ("合同约定1个月完成", [("duration", "1", "")]),
    ("合同约定2年完成", [("duration", "24", "")]),
    ("合同工期90天", [("duration", "3", "")]),
    ("合同约定一年半完成", [("duration", "18", "")]),
    ("建设期半年", [("duration", "6", "")]),
    ("约定90天内完成", [("duration", "3", "")]),             # 内 bounds a term: still the term
    ("工期3年以上", [("duration", "36", "vague")]),
    ("历时3个多月", [("duration", "3", "vague")]),
    ("延期两年多", [("duration", "24", "vague")]),
    ("90个工作日内完成", [("duration", "3", "vague")]),
    # scores and grades
    ("项目评价分数为81分", [("score", "81", "")]),
    ("扣1分", [("score", "1", "vague")]),
    ("分别扣0.5分", [("score", "0.5", "vague")]),
    ("等级为良", [("grade", "良", "")]),
    ("评价等级：“良好”", [("grade", "良", "")]),
    ("评为优秀", [("grade", "优", "")]),
    ("中山市审计局", []),
    ("等级标准为优(90-100)", []),
    # packages
    ("01包组2014年2月21日开工，合同约定1个月完成",
     [("date", "2014-02-21", "p1"), ("duration", "1", "p1")]),
    ("其中包组2还有10%（30.3万元）未支付",
     [("percent", "0.1", "p2 part"), ("amount", "30.3", "p2 part")]),
    ("包组一于2014年2月21日开工。项目预算460万元",
     [("date", "2014-02-21", "p1"), ("amount", "460", "")]),
    ("01包组合同金额100万元，已支付100万元。", [("amount", "100", "p1 part"), ("amount", "100", "p1 part")]),
    ("其中包组2还有（30.3万元）未支付，支出实现率约为93.18%",
     [("amount", "30.3", "p2 part"), ("percent", "0.9318", "approx")]),
]


def _value(f) -> str:
    if isinstance(f.value, Day):
        d = f.value
        return f"{d.year}-{d.month:02}" + (f"-{d.day:02}" if d.day else "")
    if isinstance(f.value, Decimal):
        return format(f.value.normalize(), "f")
    return f.value


def _flags(f) -> str:
    flags = ["approx"] * f.approx + ["vague"] * f.vague + ([f"p{f.package}"] if f.package else []) \
        + ["part"] * f.partial
    return " ".join(flags)


@pytest.mark.parametrize("phrase,expected", EXTRACTED, ids=[p for p, _ in EXTRACTED])
def test_extracted(phrase, expected):
    got = [(f.kind, _value(f), _flags(f)) for f in extract(phrase).figures]
    assert got == expected


BOUND = [
    # what binds, and to which input
    ("项目中标合同金额444.205万元", {"合同金额": "444.205"}),
    ("实际已支付413.905万元", {"实际支出资金": "413.905"}),
    ("已支付金额：413.905万元", {"实际支出资金": "413.905"}),
    ("实际到位资金444.205万元", {"实际到位资金": "444.205"}),
    ("中标价4,442,050元", {"合同金额": "444.205"}),
    ("招标控制价460万元", {"计划成本": "460"}),
    ("项目预算总额为460万元", {"预算金额": "460"}),
    ("资金执行率支付率93.18%", {"预算执行率": "0.9318"}),
    ("成本节约率约3.4%", {"成本节约率": "0.034"}),
    ("预期正常运行率为99%", {"预期正常运行率": "0.99"}),
    ("系统正常运行率99.5%", {"系统正常运行率": "0.995"}),
    ("满意度为95%", {"满意度": "0.95"}),
    ("超时响应3次", {"超时响应次数": "3"}),
    ("合同约定2年完成", {"计划工期": "24"}),
    ("合同约定一个月内完成", {"计划工期": "1"}),
    ("历时31个月", {"实际工期": "31"}),
    ("2014年2月21日开工", {"开工日期": "2014-02-21"}),
    ("开工日期为2018-03-01", {"开工日期": "2018-03-01"}),
    ("实际于2016年9月完成", {"完成日期": "2016-09"}),
    ("实际于2018年12月31日项目竣工", {"完成日期": "2018-12-31"}),
    ("2019年8月通过综合验收", {"验收日期": "2019-08"}),
    ("计划于2015年3月完成", {"计划完成日期": "2015-03"}),
    ("其中包组2还有10%（30.3万元）未支付", {"未支付金额": "30.3"}),
    ("项目评价分数为81分", {"总分": "81"}),
    ("项目总体得分85.5分", {"总分": "85.5"}),
    ("评价等级为“良好”", {"评价等级": "良"}),
    # what must not bind
    ("硬件合同金额100万元", {}),                               # a part's amount, not the contract
    ("2019年度实际支出300万元", {}),                           # one year's spending
    ("调整后预算480万元", {}),
    ("合同金额、已支付金额分别为444万元、413万元", {}),            # which is which is a guess
    ("已支付400余万元", {}),
    ("已支付3-5万元", {}),
    ("成本节约率低于5%", {}),                                 # the standard's threshold, not a rate
    ("执行率超过90%", {}),
    ("利用率下降5%", {}),
    ("满意度未达到90%", {}),
    ("中标价与预算相差15.8万元", {}),
    ("合同金额比预算减少15.8万元", {}),
    ("计划2015年3月完成", {}),                                # a plan, not the completion
    ("预计2015年3月完成", {}),
    ("2016年9月仍未完成", {}),
    ("2019年8月完成验收", {"验收日期": "2019-08"}),           # acceptance, not completion
    ("2019年3月完成初验", {}),
    ("2018年12月完成部署并上线试运行", {}),
    ("合同约定质保期3年", {}),                                # a warranty, not the term
    ("约定金额444万元", {}),                                  # 约定 names a term, not an amount
    ("审计覆盖面增加20%", {}),
    ("得分为81分", {}),                                       # whose score? not the total's words
    ("合同金额444万元已支付413万元", {"合同金额": "444"}),       # 413's clause starts with another figure
]


@pytest.mark.parametrize("phrase,expected", BOUND, ids=[p for p, _ in BOUND])
def test_bound(phrase, expected):
    got = {b.input: _value(b.figure) for b in bind(extract(phrase, "评分表", "H1", "扣分理由"),
                                                   RUBRIC.inputs.values())}
    assert got == expected


def test_a_bound_figure_keeps_its_source():
    (b,) = bind(extract("项目中标合同金额约444.2万元，", "评分表", "H41", "扣分理由"), RUBRIC.inputs.values())
    figure = b.figure_as()
    assert figure.source == "H41 扣分理由“中标合同金额约444.2万元”"
    assert (figure.low, figure.high) == (Decimal("444.1"), Decimal("444.3"))   # 约: one unit either way
    assert b.passage.sheet == "评分表" and b.clause == "项目中标合同金额约444.2万元"


@pytest.mark.parametrize("stated,other,agree", [
    ("444.205万元", "约444.2万元", True),
    ("444.205万元", "444.2万元", True),          # 444.2 is 444.205 to one place
    ("444.205万元", "444.3万元", False),
    ("约3.4%", "3.43%", True),
    ("93.18%", "93.16%", False),
    ("2016年9月", "2016年9月15日", True),
    ("2016年9月", "2015年6月15日", False),
])
def test_agreement_honours_written_precision(stated, other, agree):
    a, b = extract(stated).figures[0], extract(other).figures[0]
    assert a.agrees(b) is agree and b.agrees(a) is agree


def test_months_between_spans_a_month_given_without_its_day():
    nominal, low, high = months_between(Day(2014, 2, 21), Day(2016, 9))
    assert low < 31 < high and Decimal(30) < nominal < Decimal(32)       # the seed's ~31 months
    assert months_between(Day(2014, 1, 16), Day(2018, 12, 31))[0] == Decimal("59.50")
    assert months_between(Day(2014, 2, 21), Day(2014, 3, 21)) == (Decimal(1), Decimal(1), Decimal(1))


@pytest.mark.parametrize("text,value", [("一", 1), ("十二", 12), ("二十四", 24), ("两", 2), ("一百二十", 120),
                                        ("36", 36), ("五十", 50)])
def test_chinese_numerals(text, value):
    assert cn_number(text) == value
