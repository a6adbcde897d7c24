"""The sample workbooks a new user tries first: every planted error is found at its indicator and cell."""
from decimal import Decimal
from pathlib import Path

import pytest

from checking import check_one
from perfeval import pipeline

SAMPLES = Path(__file__).resolve().parents[1] / "sample_workbooks"

PLANTED = {
    "01_金审工程二期_原表.xlsx": {
        ("reason-missing", "H9", "绩效指标明确性"), ("total-rounded", "G52", None),
        ("narrative-mismatch", "B55", None), ("input-substituted", "G16", "预算执行率")},
    "11_金审工程二期_旧版格式.xls": {        # sample 01 saved as .xls by LibreOffice: the same findings
        ("reason-missing", "H9", "绩效指标明确性"), ("total-rounded", "G52", None),
        ("narrative-mismatch", "B55", None), ("input-substituted", "G16", "预算执行率")},
    "02_评分错误示例.xlsx": {
        ("score-out-of-range", "G6", "立项依据充分性"), ("score-not-numeric", "G16", "实施规范性"),
        ("score-missing", "G21", "系统上线完成率"), ("total-mismatch", "G36", None), ("grade-mismatch", "G37", None),
        ("score-not-allowed", "G8", "绩效目标合理性"), ("reason-missing", "H9", "绩效指标明确性"),
        ("narrative-mismatch", "B39", None), ("input-substituted", "G12", "预算执行率")},
    "03_结构错误示例.xlsx": {
        ("weight-sum-mismatch", "B10", None), ("subtotal-mismatch", "G19", None), ("weight-sum-mismatch", "B37", None),
        ("grade-mismatch", "G41", None), ("reason-missing", "H9", "绩效指标明确性"),
        ("weight-mismatch", "D10", "预算编制科学性"), ("unknown-indicator", "G38", "数据共享开放度"),
        ("indicator-absent", None, "预算超支"), ("narrative-mismatch", "B43", None),
        ("input-substituted", "G13", "预算执行率")},
    "04_基础数据核算示例.xlsx": {("formula-mismatch", "I16", "预算执行率"), ("reason-missing", "J13", "绩效指标明确性"),
                             ("total-rounded", "I40", None)},
    "05_文字数据核算示例.xlsx": {
        ("stated-rate-mismatch", "H16", "预算执行率"), ("narrative-mismatch", "B55", None),
        ("reason-missing", "H9", "绩效指标明确性"), ("total-rounded", "G52", None),
        ("input-substituted", "G16", "预算执行率")},
}


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_sample_findings(name):
    result = check_one(SAMPLES / name)
    assert result.rubric == "egov-2019"
    found = {(f.code, f.cell, f.indicator) for f in result.findings if f.code != "inputs-missing"}
    assert found == PLANTED[name]


def test_seed_sample_has_no_error():
    result = check_one(SAMPLES / "01_金审工程二期_原表.xlsx")
    assert result.total_recomputed == Decimal("80.86") and result.grade_recomputed == "良"
    assert not [f for f in result.findings if f.severity.value == "error"]


def test_the_xls_sample_reads_as_the_xlsx_it_was_saved_from():
    facts = [[(f.code, f.cell, f.indicator, f.entered, f.expected) for f in check_one(SAMPLES / name).findings]
             for name in ("01_金审工程二期_原表.xlsx", "11_金审工程二期_旧版格式.xls")]
    assert facts[0] == facts[1]
    assert check_one(SAMPLES / "11_金审工程二期_旧版格式.xls").total_recomputed == Decimal("80.86")


def test_the_workbook_of_three_projects_gives_three_results_with_their_planted_errors():
    results = pipeline.check_file(SAMPLES / "10_多项目工作簿_三个项目.xlsx")
    assert [(r.sheet, r.project.code) for r in results] == [
        ("项目1", "2019-ZS-001"), ("项目2", "2019-ZS-002"), ("项目3", "2019-ZS-003")]
    errors = {(r.sheet, f.code, f.cell) for r in results for f in r.findings if f.severity.value == "error"}
    assert errors == {("项目2", "score-out-of-range", "G6"), ("项目2", "total-mismatch", "G52"),
                      ("项目3", "total-mismatch", "G52"),
                      ("项目3", "grade-mismatch", "G53")}
