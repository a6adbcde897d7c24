"""read_sheets: python-calamine where it can serve, the same Sheet as the openpyxl path."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

import cases
from layouts import VARIANTS
from workbooks import cache_values

from perfeval import pipeline
from perfeval.catalogue import say, working_text
from perfeval.read import workbook
from checking import check_one
from perfeval import pipeline

CASES = {
    "changed": dict(scores={"预算执行率": 1.95, "立项依据充分性": 2}, reasons={"完成及时性": "延期\n两个月"},
                    basic_data=[("实际支出资金", 413.905), ("实际到位资金", 444.205)], total=82, grade="优"),
    "blank": dict(scores={"系统上线完成率": None}, project={"code": "P-9", "budget": "1,234.5"}),
}


def no_openpyxl(monkeypatch) -> list[Path]:
    """Make every openpyxl load fail loudly; returns the paths it was asked for."""
    asked: list[Path] = []

    def refuse(path, data_only=False):
        asked.append(path)
        raise AssertionError("the fast path loaded the workbook with openpyxl")
    monkeypatch.setattr(workbook, "open_workbook", refuse)
    return asked


@pytest.mark.parametrize("layout", sorted(VARIANTS))
@pytest.mark.parametrize("case", ["seed", *CASES])
def test_same_sheet_as_openpyxl(make_sheet, layout, case):
    path = make_sheet(f"{layout}-{case}.xlsx", layout=VARIANTS[layout], **CASES.get(case, {}))
    assert workbook.read_sheets(path) == workbook.read_openpyxl(path)


@pytest.mark.parametrize("layout", sorted(name for name, v in VARIANTS.items() if not v.total_formula))
def test_values_need_no_openpyxl(make_sheet, monkeypatch, layout):
    path = make_sheet(f"{layout}.xlsx", layout=VARIANTS[layout], **CASES["changed"])
    expected = workbook.read_openpyxl(path)[0]
    no_openpyxl(monkeypatch)
    assert workbook.read_sheets(path)[0] == expected


def test_formula_without_cached_value_falls_back_to_openpyxl(make_sheet, monkeypatch):
    path = make_sheet("formulas.xlsx", layout="formulas")
    assert workbook.preflight(path, scan_formulas=True)
    sheet = workbook.read_sheets(path)[0]
    assert str(sheet.total.value) == "81" and all(s.score.value is not None for s in sheet.subtotals)
    asked = no_openpyxl(monkeypatch)
    with pytest.raises(AssertionError):
        workbook.read_sheets(path)[0]
    assert asked == [path]


def test_formulas_with_cached_values_are_read_by_calamine(make_sheet, monkeypatch):
    """合计 and 小计 as Excel saves them, formula and cached value: calamine reads the values."""
    path = make_sheet("formulas.xlsx", layout="formulas")
    expected = workbook.read_openpyxl(path)[0]
    cells = {s.score.cell: str(s.score.value) for s in expected.subtotals}
    cache_values(path, {**cells, expected.total.cell: str(expected.total.value)})
    assert not workbook.preflight(path, scan_formulas=True)
    no_openpyxl(monkeypatch)
    sheet = workbook.read_sheets(path)[0]
    assert sheet.rows == expected.rows and sheet.total.value == expected.total.value
    assert [s.score.value for s in sheet.subtotals] == [s.score.value for s in expected.subtotals]


@pytest.mark.parametrize("content", [b"", b"a,b\n1,2\n", b"PK\x03\x04truncated"])
def test_unreadable_files_get_the_same_reason(tmp_path, content):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    fast, full = check_one(path, fast=True), check_one(path)
    assert fast.status == full.status == "unreadable" and fast.error == full.error


def test_workbook_without_table_is_unreadable_on_both_paths(tmp_path):
    from openpyxl import Workbook
    wb = Workbook()
    wb.active["A1"] = "没有评分表"
    wb.save(tmp_path / "plain.xlsx")
    fast, full = check_one(tmp_path / "plain.xlsx", fast=True), check_one(tmp_path / "plain.xlsx")
    assert fast == full and fast.status == "unreadable" and "未找到评分表" in say(fast.error)


def openpyxl_read(monkeypatch, check, *args, **kwargs):
    """`check` with every workbook read by openpyxl (calamine serving none, as on a file it cannot read)."""
    with monkeypatch.context() as m:
        m.setattr(workbook, "_calamine_sheets", lambda path: None)
        return check(*args, **kwargs)


def test_fast_results_equal_full_results(make_sheet, monkeypatch):
    path = make_sheet("changed.xlsx", **CASES["changed"])
    assert check_one(path, fast=True) == check_one(path) == openpyxl_read(monkeypatch, check_one, path)


@pytest.mark.parametrize("code, kind, case", [p for p in cases.params() if p.values[1] != "later"])
def test_every_case_checks_the_same_on_the_fast_path(tmp_path, monkeypatch, code, kind, case):
    """The finding-case tables (tests/cases/*.toml) give the same results read either way."""
    path = cases.build_case(tmp_path / "case.xlsx", case)
    check = pipeline.check_file             # every sheet's result: a case may hold several scoring sheets
    assert check(path, case.get("rubric"), fast=True) == openpyxl_read(monkeypatch, check, path, case.get("rubric"))


def test_the_annotated_copy_needs_no_openpyxl(make_sheet, monkeypatch, tmp_path):
    """check --out reads each workbook once, with calamine: the copy takes sheet names and merged
    ranges from the package it edits."""
    from perfeval.batch import pool
    path = make_sheet("changed.xlsx", **CASES["changed"])
    expected = openpyxl_read(monkeypatch, pool.check_file, path, output=tmp_path / "expected.xlsx")
    no_openpyxl(monkeypatch)
    (result,) = pool.check_file(path, output=tmp_path / "copy.xlsx")
    assert result.output and not result.output_error and result.findings
    assert (result,) == tuple(replace(r, output=result.output) for r in expected)


def test_a_damaged_part_the_values_do_not_need_refuses_the_copy_with_its_reason(make_sheet, tmp_path):
    """calamine reads the values past a styles.xml openpyxl would refuse (the campaign's files: junk
    before its root element); the check stands and the copy is refused as damaged, never with a
    technical error."""
    from perfeval.batch import pool
    from xlsx_parts import rewrite
    src = make_sheet("changed.xlsx", **CASES["changed"])
    path = rewrite(src, tmp_path / "damaged.xlsx",
                   lambda name, data: b"junk" + data if name == "xl/styles.xml" else data or None)
    (result,) = pool.check_file(path, output=tmp_path / "copy.xlsx")
    assert result.status == "flagged" and result.findings
    assert result.output_error and not result.output
    assert say(result.output_error).startswith("未能生成复核文件：原文件的压缩包部件已损坏"), say(result.output_error)
    assert not (tmp_path / "copy.xlsx").exists()
