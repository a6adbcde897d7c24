"""numbers: reading scores and figures the way people type them, rounding the way they mean."""
from decimal import Decimal

import pytest

from perfeval.numbers import fmt, fmt_rate, normalize_text, parse_figure, parse_number, round_half_up


@pytest.mark.parametrize("raw, expected", [
    (3, "3"), (0, "0"), (1.86, "1.86"), (Decimal("1.86"), "1.86"),
    ("3分", "3"), ("３", "3"), (" 6 ", "6"), ("1.86", "1.86"), ("81分", "81"), ("１．８６", "1.86"),
    ("1,234.5万元", "1234.5"), ("1，234.5", "1234.5"), ("460.00", "460.00"), ("－1", "-1"), ("-0.5", "-0.5"),
    ("约3.4", "3.4"), (".5", "0.5"), ("12 分", "12"), ("3\n", "3"),
    ("12个月", "12"), ("31 个月", "31"), ("460万", "460"), ("45天", "45"), ("5套", "5"), ("12台", "12"),
    (80.86000000000001, "80.86"), (0.1 + 0.2, "0.3"),
])
def test_parse_number_reads(raw, expected):
    value = parse_number(raw)
    assert isinstance(value, Decimal)
    assert value == Decimal(expected)


def test_parse_number_keeps_the_places_typed():
    assert parse_number("80.90") == Decimal("80.90") and parse_number("80.90").as_tuple().exponent == -2
    assert parse_number(1.86).as_tuple().exponent == -2          # not binary noise of the float


@pytest.mark.parametrize("raw", [
    None, "", "   ", True, False, float("nan"), float("inf"), float("-inf"),
    "满分", "三", "3分/4分", "3-4", "1.2.3", "分", "万元", "abc", "=SUM(A1:A2)",
])
def test_parse_number_refuses(raw):
    assert parse_number(raw) is None


@pytest.mark.parametrize("raw, unit, expected", [
    ("93.18%", "rate", "0.9318"), ("93.18％", "rate", "0.9318"), (93.18, "rate", "0.9318"),
    (0.95, "rate", "0.95"), (1, "rate", "1"), ("100%", "", "1"),
    ("是", "flag", "1"), ("否", "flag", "0"), ("有", "flag", "1"), ("无", "flag", "0"), ("√", "flag", "1"),
    (True, "flag", "1"), (False, "flag", "0"),
    ("1,234.5万元", "万元", "1234.5"), (444.205, "万元", "444.205"), (93.18, "万元", "93.18"),
])
def test_parse_figure(raw, unit, expected):
    assert parse_figure(raw, unit) == Decimal(expected)


@pytest.mark.parametrize("raw", [None, "", "待定", "约百分之九十"])
def test_parse_figure_refuses(raw):
    assert parse_figure(raw, "rate") is None


def test_round_half_up_is_not_bankers_rounding():
    assert round_half_up(Decimal("2.675"), 2) == Decimal("2.68")
    assert round_half_up(Decimal("80.5"), 0) == Decimal("81")
    assert round_half_up(Decimal("89.45"), 1) == Decimal("89.5")
    assert round_half_up(Decimal("-2.5"), 0) == Decimal("-3")


def test_fmt_for_people():
    assert fmt(Decimal("1.8635765")) == "1.86"
    assert fmt(Decimal("3.0")) == "3"
    assert fmt(Decimal("413.905"), 4) == "413.905"
    assert fmt(None) == "—"
    assert fmt_rate(Decimal("0.931791")) == "93.18%"


def test_normalize_text():
    assert normalize_text("资金配 合理性") == "资金配合理性"
    assert normalize_text("制度执\n行有效 性") == "制度执行有效性"
    assert normalize_text("决策（20分）") == "决策(20分)"
    assert normalize_text("\u3000项目\t单位 ") == "项目单位"
    assert normalize_text(None) == ""
