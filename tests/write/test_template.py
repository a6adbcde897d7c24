"""`perfeval template RUBRIC -o blank.xlsx`: the blank form validates scores as typed, locks its
structure, carries formulas with cached values, lists the figures formulas need, and a filled form
comes back from `perfeval check` clean."""
from __future__ import annotations

import json
from decimal import Decimal

import openpyxl
import pytest
from click.testing import CliRunner

from perfeval.cli import main
from perfeval.rubric import resolve
from perfeval.write.template import figures_of
from seedbook import SEED_FIGURES, seed_rows


@pytest.fixture(scope="module")
def blank(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "blank.xlsx"
    result = CliRunner().invoke(main, ["template", "egov-2019", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _score_cells(ws) -> dict[str, str]:
    """三级指标 -> its score cell (column G), read from the form."""
    return {ws.cell(r, 3).value: f"G{r}" for r in range(6, ws.max_row + 1)
            if ws.cell(r, 3).value and ws.cell(r, 4).value is not None and ws.cell(r, 1).value != "合计"}


def test_every_score_cell_is_validated(blank):
    ws = openpyxl.load_workbook(blank)["评分表"]
    rubric = resolve("egov-2019")
    cells = _score_cells(ws)
    assert set(cells) == {i.name for i in rubric.indicators}
    rules = {str(c): dv for dv in ws.data_validations.dataValidation for c in str(dv.sqref).split()}
    for ind in rubric.indicators:
        dv = rules[cells[ind.name]]
        allowed = ind.spec.get("allowed")
        if allowed and not any(isinstance(a, list) for a in allowed):
            assert dv.type == "list" and dv.formula1 == '"' + ",".join(str(a) for a in allowed) + '"'
        else:
            assert dv.type == "decimal" and dv.operator in (None, "between")     # between is the default
            assert (Decimal(dv.formula1), Decimal(dv.formula2)) == (0, ind.weight)
        assert dv.showErrorMessage and dv.error
    grade = [dv for dv in ws.data_validations.dataValidation if dv.type == "list" and "优" in dv.formula1]
    assert len(grade) == 1 and grade[0].formula1 == '"优,良,中,低,差"'


def test_structure_is_locked_and_only_inputs_are_open(blank):
    ws = openpyxl.load_workbook(blank)["评分表"]
    assert ws.protection.sheet and not ws.protection.formatRows
    cells = _score_cells(ws)
    for name, ref in cells.items():
        row = int(ref[1:])
        assert not ws[ref].protection.locked and not ws[f"H{row}"].protection.locked
        assert all(ws.cell(row, c).protection.locked for c in range(3, 7))
    assert ws["A1"].protection.locked and not ws["B2"].protection.locked       # the title; 项目单位's value


def test_subtotals_and_total_are_formulas_with_cached_values(blank):
    formulas = openpyxl.load_workbook(blank)["评分表"]
    cached = openpyxl.load_workbook(blank, data_only=True)["评分表"]
    sums = [c.coordinate for row in formulas.iter_rows(min_col=7, max_col=7) for c in row
            if isinstance(c.value, str) and c.value.startswith("=")]
    assert len(sums) == 5                                   # 4 小计 and the 合计
    assert formulas[sums[-1]].value == "=" + "+".join(sums[:-1])
    assert all(cached[ref].value == 0 for ref in sums)
    assert formulas.sheet_properties.pageSetUpPr.fitToPage and formulas.page_setup.fitToWidth in (None, 1)
    assert formulas.page_setup.fitToHeight == 0                 # one page wide, as many long as it takes
    assert formulas.print_title_rows == "$3:$5"


def test_basic_data_lists_every_figure_formulas_need(blank):
    ws = openpyxl.load_workbook(blank)["基础数据"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}
    rubric = resolve("egov-2019")
    needed = {n for i in rubric.indicators if i.is_formula for n in figures_of(rubric, i)}
    assert set(rows) == needed
    assert rows["实际支出资金"][2] == "万元" and "预算执行率" in rows["实际支出资金"][3]
    assert rows["系统正常运行率"][2] == "%"


def test_a_filled_form_checks_clean(blank, tmp_path):
    wb = openpyxl.load_workbook(blank)
    ws = wb["评分表"]
    rubric = resolve("egov-2019")
    cells = _score_cells(ws)
    for row in seed_rows():
        ind = rubric.find(row["name"])
        ref = cells[ind.name]
        ws[ref] = float(row["score"]) if "." in row["score"] else int(row["score"])
        ws[f"H{ref[1:]}"] = row["reason"] or ("指标未细化" if ind.name == "绩效指标明确性" else None)
    for label, value in zip(("B2", "D2", "F2", "H2"), ("中山市审计局", "", "中山市金审工程二期项目", 460)):
        ws[label] = value or None
    grade_row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 6).value == "评价等级")
    ws.cell(grade_row, 7, "良")
    figures = dict(SEED_FIGURES)
    bd = wb["基础数据"]
    for r in range(2, bd.max_row + 1):
        if bd.cell(r, 1).value in figures:
            bd.cell(r, 2, figures[bd.cell(r, 1).value])
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    result = CliRunner().invoke(main, ["check", str(filled), "--format", "json"])
    assert result.exit_code == 0, result.output
    (f,) = json.loads(result.stdout)["files"]
    assert f["status"] == "ok" and f["rubric"] == "egov-2019"
    assert f["total"] == {"entered": 80.86, "recomputed": 80.86} and f["grade"] == {"entered": "良", "recomputed": "良"}
    assert {x["code"] for x in f["findings"]} <= {"inputs-missing"}
    assert f["project"]["name"] == "中山市金审工程二期项目" and f["project"]["budget"] == 460


def test_a_rubric_file_and_an_unknown_rubric(tmp_path):
    rubric = resolve("egov-2019")
    result = CliRunner().invoke(main, ["template", rubric.path, "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 0 and (tmp_path / "x.xlsx").exists()
    result = CliRunner().invoke(main, ["template", "no-such-rubric", "-o", str(tmp_path / "y.xlsx")])
    assert result.exit_code == 2 and not (tmp_path / "y.xlsx").exists()
