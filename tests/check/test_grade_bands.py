"""Grade bands from a sheet's own 等级标准 row (used when no rubric matches), and band arithmetic."""
from decimal import Decimal

import openpyxl
import pytest

from perfeval.model import Band, Bands
from perfeval.read.words import parse_bands
from seedbook import Changes, build, variant

from workbooks import edit_workbook
from checking import check_one

SEED_BANDS = [("优", 90), ("良", 80), ("中", 70), ("低", 60), ("差", 0)]
NATIONAL = [("优", 90), ("良", 80), ("中", 60), ("差", 0)]


@pytest.mark.parametrize("text, expected", [
    ("优(90-100)；良(80-89)；中(70-79)；低(60-69)；差(0-59)", SEED_BANDS),
    ("优（90-100）；良（80-89）；中（70-79）；低（60-69）；差（0-59）", SEED_BANDS),
    ("优≥90；80≤良<90；60≤中<80；差<60", NATIONAL),
    ("90分（含）以上为优，80（含）-90分为良，60（含）-80分为中，60分以下为差", NATIONAL),
    ("优：90分及以上；良：80分（含）-90分；中：60分（含）-80分；差：60分以下", NATIONAL),
    ("优（≥90）、良（80-89）、中（60-79）、差（≤59）", NATIONAL),
    ("优秀：≥90分；良好：80-89分；中等：60-79分；较差：<60分", NATIONAL),
    ("优 90-100\n良 80-89\n中 60-79\n差 60以下", NATIONAL),
    ("优 90-100 良 80-89 中 60-79 差 0-59", NATIONAL),
    ("90分以上为优 80-89分为良 60-79分为中 60分以下为差", NATIONAL),
])
def test_parse_bands(text, expected):
    assert [(b.grade, b.min) for b in parse_bands(text)] == [(g, Decimal(m)) for g, m in expected]


@pytest.mark.parametrize("text", ["", "见评价办法", "优良中差"])
def test_parse_bands_without_numbers(text):
    assert not parse_bands(text) and parse_bands(text).grades == ()


@pytest.mark.parametrize("total, grade", [
    ("90", "优"), ("89.99", "良"), ("89.5", "良"), ("80", "良"), ("79.5", "中"), ("60", "低"), ("59.9", "差"),
    ("0", "差"), ("100", "优"),
])
def test_band_of_lower_bound_inclusive(total, grade):
    bands = Bands(tuple(Band(g, Decimal(m)) for g, m in SEED_BANDS))
    assert bands.grade(Decimal(total)) == grade


RENAME = {"立项依据充分性": "政策依据", "立项程序规范性": "程序规范", "绩效目标合理性": "目标合理",
          "绩效指标明确性": "指标明确", "预算编制科学性": "编制科学", "预算执行率": "执行进度",
          "资金使 用合规性": "使用合规", "管理制度健全性": "制度健全", "完成及时性": "时效"}


def unmatched_sheet(tmp_path, standard: str, **changes):
    path = build(tmp_path / "own_bands.xlsx", Changes(title="某区2021年度项目支出绩效评价评分表", **changes),
                 layout=variant("seed", seed_pages=False, page_headers=False))
    ws = openpyxl.load_workbook(path)["评分表"]
    label = next(c for row in ws.iter_rows() for c in row if c.value == "等级标准")
    return edit_workbook(path, {label.offset(column=1).coordinate: standard}, RENAME)


@pytest.mark.parametrize("standard", [
    "优 90-100\n良 80-89\n中 60-79\n差 60以下",
    "90分（含）以上为优，80（含）-90分为良，60（含）-80分为中，60分以下为差",
])
def test_own_bands_right_grade_is_no_finding(tmp_path, standard):
    result = check_one(unmatched_sheet(tmp_path, standard))
    assert result.rubric is None
    assert not [f for f in result.findings if f.code.startswith("grade")]
    assert result.grade_recomputed == "良"


def test_own_bands_wrong_grade(tmp_path):
    result = check_one(unmatched_sheet(tmp_path, "优 90-100\n良 80-89\n中 60-79\n差 60以下", grade="中"))
    (f,) = [f for f in result.findings if f.code == "grade-mismatch"]
    assert (f.entered, f.expected) == ("中", "良")


def test_own_national_bands(tmp_path):
    # 65 is 中 under the sheet's own four bands (and would be 低 under egov-2019's five)
    scores = {"系统功能合理性": 0, "其他经济社会效益": 0, "可持续发展": 0, "社会公众或服务对象满意度": 1.14}
    reasons = {name: "未达到预期" for name in scores}
    result = check_one(unmatched_sheet(tmp_path, "优≥90；80≤良<90；60≤中<80；差<60",
                                              scores=scores, reasons=reasons, total="65", grade="中"))
    assert result.total_entered == 65 and result.total_recomputed == 65
    assert not [f for f in result.findings if f.code.startswith("grade")], result.findings
