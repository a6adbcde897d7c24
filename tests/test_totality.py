"""Issue 15, failures 1 and 4: any number a cell can hold ends as a value or a finding, never an
exception; every division is guarded on the divisor it really uses. Built from the campaign's files:
a weight or score of 1e117, 10**30 or -1e308 crashed the report writer (and every later run into the
same output folder); 计划成本 = 0 raised DivisionByZero in the saving formula."""
from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from perfeval.model import Figure
from perfeval.score import rules
from perfeval.numbers import fmt, parse_figure, parse_number, plain, round_half_up
from perfeval.write import formats
from seedbook import Changes, build
from checking import check_one

HUGE = [1e117, 10**30, -1e308, 1.7976931348623157e308]
ODD = [*HUGE[:3], 5e-324, -0.0, "NaN", "9" * 400, "0." + "0" * 400 + "1"]


@pytest.mark.parametrize("value", [Decimal("1e117"), Decimal(10**30), Decimal("-1e308"), Decimal("5e-324"),
                                   Decimal("-0"), Decimal("0." + "0" * 400 + "1"), Decimal("1e-999999")])
def test_rounding_is_total(value):
    rounded = round_half_up(value, 2)
    assert rounded == value.quantize(Decimal("0.01")) if abs(value) < 10**20 else rounded == value
    assert fmt(value)                                  # a short text for people
    assert len(fmt(value)) < 20
    plain(value)                                       # a JSON number or None, never an exception


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity"), Decimal("1e400")])
def test_what_no_cell_number_can_hold_has_no_plain_number(value):
    assert plain(value) is None
    assert fmt(value)


@pytest.mark.parametrize("raw", ["NaN", "nan", "inf", "-Infinity", "1e400", "9" * 400, 10**400, Decimal("NaN"),
                                 Decimal("sNaN"), float("nan"), float("-inf")])
def test_no_number_from_what_is_not_a_spreadsheet_number(raw):
    assert parse_number(raw) is None
    assert parse_figure(raw) is None


@pytest.mark.parametrize("raw, expected", [(1e117, Decimal("1e117")), (10**30, Decimal(10**30)),
                                           (-1e308, Decimal("-1e308")), (-0.0, Decimal(0)), (5e-324, Decimal(0))])
def test_huge_and_tiny_cell_numbers_are_values(raw, expected):
    assert parse_number(raw) == expected


@pytest.mark.parametrize("value", ODD)
@pytest.mark.parametrize("where", ["scores", "weights", "total", "basic_data"])
def test_odd_numbers_give_findings_not_internal_errors(tmp_path, value, where):
    changes = {"scores": {"立项依据充分性": value}, "weights": {"立项依据充分性": value}, "total": value,
               "basic_data": [("计划成本", value), ("实际成本", 3)]}[where]
    path = build(tmp_path / "odd.xlsx", Changes(**{where: changes}))
    result = check_one(path)
    assert result.status in ("ok", "flagged"), result.error
    for lang in ("zh", "en"):
        for fmt_name in ("json", "text"):
            out = _Sink()
            formats.write(fmt_name, [result], out, lang)
        json.loads(_json(result, lang))


def test_planned_cost_zero_is_a_note_not_a_division_by_zero(tmp_path):
    path = build(tmp_path / "zero.xlsx", Changes(basic_data=[("计划成本", 0), ("实际成本", 3)]))
    result = check_one(path)
    assert result.status in ("ok", "flagged"), result.error
    figures = {"计划成本": Figure("计划成本", Decimal(0), "基础数据"), "实际成本": Figure("实际成本", Decimal(3), "基础数据")}
    with pytest.raises(rules.Missing, match="missing.zero"):
        rules.measure({"saving": ["计划成本", "实际成本"]}, figures)
    with pytest.raises(rules.Missing, match="missing.zero"):
        rules.measure({"ratio": ["实际成本", "计划成本"]}, figures)
    assert rules.measure({"ratio": ["计划成本", "实际成本"]}, figures).value == 0
    assert rules.measure({"saving": ["实际成本", "计划成本"]}, figures).value == 1     # (3 - 0) / 3


def test_a_huge_score_never_poisons_the_output_folder(tmp_path):
    """The crash the campaign met: with --out, the first run stopped at the file and every later run
    into that folder crashed again. Now each run ends, the summary is written, the exit code is 1."""
    src = tmp_path / "in"
    src.mkdir()
    for i, value in enumerate(HUGE):
        build(src / f"{i}_weight.xlsx", Changes(weights={"立项依据充分性": value}))
        build(src / f"{i}_score.xlsx", Changes(scores={"立项依据充分性": value}))
    build(src / "z_last.xlsx", Changes())
    for _ in range(2):
        for fmt_name in ("json", "text"):
            run = subprocess.run([sys.executable, "-m", "perfeval", "check", str(src), "--out", str(tmp_path / "out"),
                                  "--format", fmt_name, "--jobs", "1"], capture_output=True, text=True)
            assert run.returncode == 1, run.stderr
            assert "Traceback" not in run.stderr
            if fmt_name == "json":
                files = json.loads(run.stdout)["files"]
                assert len(files) == 9 and all(f["status"] in ("ok", "flagged") for f in files)
    assert (tmp_path / "out" / "summary.xlsx").exists()
    assert (tmp_path / "out" / "z_last.checked.xlsx").exists()


class _Sink:
    def __init__(self):
        self.parts = []

    def write(self, text):
        self.parts.append(text)

    def flush(self):
        pass


def _json(result, lang) -> str:
    out = _Sink()
    formats.write("json", [result], out, lang)
    return "".join(out.parts)
