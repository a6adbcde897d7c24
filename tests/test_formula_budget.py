"""Issue 15, failures 2 and 4: formula evaluation is memoised per cell and has a depth and work budget.
Built from the campaign's files: a 合计 whose formula refers to cells whose formulas refer to the next
two cells (=SUM(Z2:Z3), ...) took 8 s at depth 20 and a quarter of an hour at depth 30; a chain of
3,000 formulas, or =(((...))) nested 500 deep, ended in RecursionError (内部错误)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from perfeval.read import formulas
from perfeval.read.workbook import MAX_DEPTH, read
from seedbook import Changes, build
from workbooks import edit_workbook
from checking import check_one


def _total_cell(path):
    return read(path).sheets[0].total.cell


def _fib_chain(depth: int) -> tuple[dict, int]:
    """Z2 = SUM(Z3:Z4), Z3 = SUM(Z4:Z5), ... down to two 1s: without memoising, 2**depth evaluations."""
    cells = {f"Z{k}": f"=SUM(Z{k + 1}:Z{k + 2})" for k in range(2, depth + 2)}
    cells[f"Z{depth + 2}"], cells[f"Z{depth + 3}"] = 1, 1
    a, b = 1, 1
    for _ in range(depth):
        a, b = a + b, a
    return cells, a


def test_exponential_sum_chain_is_evaluated_once_per_cell(tmp_path):
    path = build(tmp_path / "fib.xlsx", Changes())
    cells, expected = _fib_chain(28)          # 2**28 evaluations without the memo: hours
    edit_workbook(path, {_total_cell(path): "=SUM(Z2:Z3)", **cells})
    cells_total = read(path).sheets[0].total
    assert cells_total.value == Decimal(expected + _fib_chain(27)[1])
    result = check_one(path)
    assert result.status == "flagged" and any(f.code == "total-mismatch" for f in result.findings)


def test_a_chain_of_3000_formulas_is_a_finding_not_a_recursion_error(tmp_path):
    path = build(tmp_path / "chain.xlsx", Changes())
    cells = {f"Z{k}": f"=Z{k + 1}+0" for k in range(1, 3001)}
    cells["Z3001"] = 81
    edit_workbook(path, {_total_cell(path): "=Z1", **cells})
    result = check_one(path)
    assert result.status == "flagged", result.error
    total = [f for f in result.findings if f.cell == _total_cell(path)]
    assert total, "the 合计 past the budget is reported"


@pytest.mark.parametrize("depth", [40, 500, 5000])
def test_deep_parentheses_are_a_finding_not_a_recursion_error(tmp_path, depth):
    path = build(tmp_path / "parens.xlsx", Changes())
    edit_workbook(path, {_total_cell(path): "=" + "(" * depth + "81" + ")" * depth})
    result = check_one(path)
    assert result.status in ("ok", "flagged"), result.error


def test_shallow_parentheses_still_evaluate():
    assert formulas.evaluate("=" + "(" * 20 + "1+2" + ")" * 20, lambda s, r: None) == 3


@pytest.mark.parametrize("text", ["=" + "(" * 500 + "1" + ")" * 500, "=" + "-" * 5000 + "1",
                                  "=" + "SUM(" * 300 + "1" + ")" * 300])
def test_evaluate_refuses_past_its_nesting_budget(text):
    with pytest.raises(formulas.Budget):
        formulas.evaluate(text, lambda s, r: None)


def test_a_chain_past_the_budget_is_walked_once(tmp_path, monkeypatch):
    """Twenty score cells refer to one chain of 300 formulas (deeper than the budget): the chain fails
    once, and every formula that refers to it fails without walking it again - each formula cell is
    evaluated at most once, whatever happens."""
    path = build(tmp_path / "shared-chain.xlsx", Changes())
    score_cells = [r.score.cell for r in read(path).sheets[0].rows][:20]
    chain = {f"Z{k}": f"=Z{k + 1}+0" for k in range(1, 301)}
    chain["Z301"] = 1
    edit_workbook(path, {**chain, **{cell: f"=Z1+{i}" for i, cell in enumerate(score_cells)}})
    evaluated: list[str] = []
    real = formulas.evaluate

    def counted(text, resolve):
        evaluated.append(text)
        return real(text, resolve)
    monkeypatch.setattr(formulas, "evaluate", counted)
    result = check_one(path)
    assert result.status == "flagged", result.error
    assert evaluated and max(evaluated.count(t) for t in set(evaluated)) == 1
    assert len([t for t in evaluated if t in chain.values()]) <= MAX_DEPTH, "the chain is walked once, to the budget"
    flagged = {f.cell for f in result.findings if f.code == "score-not-numeric"}
    assert set(score_cells) <= flagged, "each score past the budget is a finding"
