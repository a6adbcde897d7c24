"""formulas: the sums score sheets hold, evaluated without Excel; anything else falls back."""
from decimal import Decimal

import pytest

from perfeval.read import formulas
from perfeval.read.workbook import read

from workbooks import cache_values, edit_workbook
from checking import check_one

CELLS = {
    (None, "A1"): 3, (None, "A2"): Decimal("1.86"), (None, "A3"): None, (None, "A4"): "暂无",
    (None, "A5"): "2分", (None, "B1"): 5,
    ("基础数据", "B2"): Decimal("413.905"), ("基础数据", "B3"): Decimal("444.205"),
    ("基础 数据", "B2"): 7, ("It's", "A1"): 9,
}


def resolve(sheet, ref):
    return CELLS.get((sheet, ref))


@pytest.mark.parametrize("formula, expected", [
    ("=1+2", "3"), ("=A1", "3"), ("=A1+A2*2", "6.72"), ("=(A1+A2)*2", "9.72"), ("=-A1+10", "7"),
    ("=SUM(A1:A3)", "4.86"), ("=SUM(A1:A5)", "6.86"),         # blank 0, words skipped, "2分" read
    ("=SUM(A1,A2,B1)", "9.86"), ("=SUM(A1:B1)", "8"), ("=SUM($A$1:$A$2)", "4.86"), ("=sum(a1:a2)", "4.86"),
    ("=SUM(A1:A2)+SUM(B1)", "9.86"), ("=A3", "0"),
    ("=ROUND(SUM(A1:A2),0)", "5"), ("=ROUND(80.5,0)", "81"), ("=ROUND(2.675,2)", "2.68"),
    ("=ROUND(基础数据!B2/基础数据!B3*2,2)", "1.86"), ("='基础 数据'!B2+1", "8"), ("='It''s'!A1", "9"),
    ("=MIN(A1:A2)", "1.86"), ("=MAX(A1,B1)", "5"), ("=ABS(-A1)", "3"),
    ("=A1/B1", "0.6"), ("= SUM( A1:A2 )", "4.86"),
])
def test_evaluate(formula, expected):
    assert formulas.evaluate(formula, resolve) == Decimal(expected)


@pytest.mark.parametrize("formula", [
    "=IF(A1>0,1,0)", "=VLOOKUP(A1,B1:B2,1)", "=A1/A3", "=A1&A2", "=A4+1", "=SUM(A1:A2", "=A1 A2",
    "=AVERAGE(A1:A2)", "=A1:A2", "=ROUND(A1)", "={1,2}",
])
def test_evaluate_unsupported(formula):
    with pytest.raises(formulas.Unsupported):
        formulas.evaluate(formula, resolve)


def test_uncached_sums_are_evaluated_in_the_sheet(make_sheet):
    path = edit_workbook(make_sheet(), {"G16": "=ROUND(基础数据!B2/基础数据!B3*2,2)", "G52": "=ROUND(SUM(G6:G51),0)"})
    sheet = read(path).sheets[0]
    # no 基础数据 sheet here: the reference cannot be evaluated and nothing is cached -> no value
    assert {r.name: r.score.value for r in sheet.rows}["预算执行率"] is None
    assert sheet.total.value == 79          # ROUND(SUM) of the rest, evaluated without a cache


def test_cross_sheet_formula_score(make_sheet):
    path = make_sheet(basic_data=[("实际支出资金", 413.905), ("实际到位资金", 444.205)])
    edit_workbook(path, {"G16": "=ROUND(基础数据!B2/基础数据!B3*2,2)", "G52": "=ROUND(SUM(G6:G51),0)"})
    result = check_one(path)
    assert {i.name: i.entered for i in result.indicators}["预算执行率"] == Decimal("1.86")
    assert result.total_entered == 81
    assert not [f for f in result.findings if f.severity.value == "error"]


def test_unsupported_formula_falls_back_to_its_cached_value(make_sheet):
    path = edit_workbook(make_sheet(), {"G16": "=IF(1>0,1.86,0)", "G52": "=ROUND(SUM(G6:G51),0)"})
    cache_values(path, {"G16": "1.86"})
    sheet = read(path).sheets[0]
    assert {r.name: r.score.value for r in sheet.rows}["预算执行率"] == Decimal("1.86")
    assert sheet.total.value == 81          # the SUM itself is evaluated over the fallen-back value


def test_circular_reference_does_not_hang_or_crash(make_sheet):
    path = edit_workbook(make_sheet(), {"G52": "=G52+1"})
    result = check_one(path)
    assert result.status in ("ok", "flagged")
    assert any(f.code in ("total-missing", "total-mismatch") for f in result.findings)
