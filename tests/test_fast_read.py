"""reader.read_sheet: python-calamine where it can serve, the same Sheet as the openpyxl path."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from perfeval import batch, reader
from perfeval.seedbook import LAYOUTS

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
    monkeypatch.setattr(reader, "open_workbook", refuse)
    return asked


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("case", ["seed", *CASES])
def test_same_sheet_as_openpyxl(make_sheet, layout, case):
    path = make_sheet(f"{layout}-{case}.xlsx", layout=layout, **CASES.get(case, {}))
    assert reader.read_sheet(path) == reader.read(path).sheet


@pytest.mark.parametrize("layout", sorted(set(LAYOUTS) - {"formulas"}))
def test_cached_values_need_no_openpyxl(make_sheet, monkeypatch, layout):
    path = make_sheet(f"{layout}.xlsx", layout=layout, **CASES["changed"])
    expected = reader.read(path).sheet
    no_openpyxl(monkeypatch)
    assert reader.read_sheet(path) == expected


def test_formula_without_cached_value_falls_back_to_openpyxl(make_sheet, monkeypatch):
    path = make_sheet("formulas.xlsx", layout="formulas")
    assert reader.preflight(path, scan_formulas=True)
    sheet = reader.read_sheet(path)
    assert str(sheet.total.value) == "81" and all(s.score.value is not None for s in sheet.subtotals)
    asked = no_openpyxl(monkeypatch)
    with pytest.raises(AssertionError):
        reader.read_sheet(path)
    assert asked == [path]


def test_formula_with_cached_value_is_read_by_calamine(make_sheet, monkeypatch, tmp_path):
    """合计 as Excel saves it: the formula and its cached value; calamine reads the value."""
    path = make_sheet("seed.xlsx")
    expected = reader.read(path).sheet
    total = expected.total.cell
    cached = tmp_path / "cached.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(cached, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rf'(<c r="{total}"[^>]*>)<v>81</v>'.encode(),
                                  rb"\1<f>ROUND(SUM(G6:G51),0)</f><v>81</v>", data)
                assert n == 1
            dst.writestr(item, data)
    assert not reader.preflight(cached, scan_formulas=True)
    no_openpyxl(monkeypatch)
    sheet = reader.read_sheet(cached)
    assert sheet.total == expected.total and sheet.rows == expected.rows


@pytest.mark.parametrize("content", [b"", b"a,b\n1,2\n", b"PK\x03\x04truncated"])
def test_unreadable_files_get_the_same_reason(tmp_path, content):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    fast, full = batch.check_file(path, fast=True), batch.check_file(path)
    assert fast.status == full.status == "unreadable" and fast.error == full.error


def test_workbook_without_table_is_unreadable_on_both_paths(tmp_path):
    from openpyxl import Workbook
    wb = Workbook()
    wb.active["A1"] = "没有评分表"
    wb.save(tmp_path / "plain.xlsx")
    fast, full = batch.check_file(tmp_path / "plain.xlsx", fast=True), batch.check_file(tmp_path / "plain.xlsx")
    assert fast == full and fast.status == "unreadable" and "未找到评分表" in fast.error


def test_fast_results_equal_full_results(make_sheet):
    path = make_sheet("changed.xlsx", **CASES["changed"])
    assert batch.check_file(path, fast=True) == batch.check_file(path)
