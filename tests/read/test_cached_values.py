"""Cached values of formulas perfeval does not evaluate (IF, VLOOKUP, past the budget) come from
python-calamine, not from a second openpyxl load; values are the ones openpyxl's data_only load gives,
error values (#DIV/0!) included."""
from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl

from perfeval import pipeline
from perfeval.read import workbook
from workbooks import cache_values, edit_workbook


def _loads(monkeypatch) -> list[bool]:
    """Count the openpyxl loads of the reader (each still made): the data_only flag of each."""
    loads: list[bool] = []
    real = workbook.open_workbook

    def counted(path, data_only=False):
        loads.append(data_only)
        return real(path, data_only=data_only)
    monkeypatch.setattr(workbook, "open_workbook", counted)
    return loads


def _cache_error(path: Path, ref: str, error: str) -> Path:
    """Give the formula cell `ref` a cached error value, as Excel saves it: <c r=.. t="e"><f>..</f><v>#..</v>."""
    with zipfile.ZipFile(path) as zin:
        items = [(info, zin.read(info.filename)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in items:
            if info.filename == "xl/worksheets/sheet1.xml":
                text, n = re.subn(rf'<c r="{ref}"([^>]*)>\s*(<f>[^<]*</f>)\s*(?:<v\s*/>|<v></v>)',
                                  rf'<c r="{ref}"\1 t="e">\2<v>{error}</v>', data.decode())
                assert n == 1
                data = text.encode()
            zout.writestr(info, data)
    return path


def _scores(path: Path) -> dict[str, object]:
    return {r.name: r.score.value for r in workbook.read(path).sheets[0].rows}


def test_cached_value_of_an_unsupported_formula_needs_no_second_load(make_sheet, monkeypatch):
    path = edit_workbook(make_sheet(), {"G16": "=IF(1>0,1.86,0)", "G17": "=VLOOKUP(1,A1:A2,1)",
                                        "G52": "=ROUND(SUM(G6:G51),0)"})
    cache_values(path, {"G16": "1.86", "G17": "2"})
    loads = _loads(monkeypatch)
    scores = _scores(path)
    assert loads == [False], "one openpyxl load, the formula one"
    assert scores["预算执行率"] == Decimal("1.86") and scores["预算执行率"] is not None
    row17 = [r for r in workbook.read(path).sheets[0].rows if r.score.cell == "G17"][0]
    assert row17.score.value == 2


def test_cached_values_are_those_openpyxl_gives(make_sheet):
    path = edit_workbook(make_sheet(), {"G16": "=IF(1>0,1.86,0)", "G17": "=IF(1>0,2,0)", "G18": "=IF(1,\"x\",0)",
                                        "G19": "=IF(1>0,3,0)"})
    cache_values(path, {"G16": "1.86", "G17": "2"})          # G18, G19: no cached value at all
    expected = openpyxl.load_workbook(path, data_only=True).worksheets[0]
    grids = workbook._Grids(openpyxl.load_workbook(path), path)
    for ref in ("G16", "G17", "G18", "G19", "A1", "ZZ999"):
        row, col = openpyxl.utils.cell.coordinate_to_tuple(ref)
        assert grids._cached_value(grids.sheetnames[0], row, col) == expected.cell(row=row, column=col).value, ref
        assert type(grids._cached_value(grids.sheetnames[0], row, col)) is type(expected[ref].value), ref


def test_a_cached_error_value_is_kept(make_sheet):
    """calamine gives #DIV/0! as empty: the reader still sees the error, as it did with openpyxl."""
    path = edit_workbook(make_sheet(), {"G16": "=IF(1>0,1/0,0)", "G17": "=IF(1>0,3,0)"})
    _cache_error(path, "G16", "#DIV/0!")
    expected = openpyxl.load_workbook(path, data_only=True).worksheets[0]
    grids = workbook._Grids(openpyxl.load_workbook(path), path)
    assert grids.value(grids.sheetnames[0], 16, 7) == "#DIV/0!" == expected["G16"].value
    assert grids.value(grids.sheetnames[0], 17, 7) is None is expected["G17"].value
    (result,) = pipeline.check_file(path)
    assert result.status == "flagged" and any(f.cell == "G16" for f in result.findings)
