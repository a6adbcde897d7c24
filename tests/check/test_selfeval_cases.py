"""Case tables of the 项目支出绩效自评表 family: tests/cases_selfeval/<code>.toml holds, per finding code,
自评表 cases that must fire and near misses that must not, each built by selfevalbook.from_case (see
there for a case's keys; `expect`, `count`, `at`, `also` as in tests/test_cases.py)."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from perfeval import catalogue, pipeline
from selfevalbook import build, from_case
from cases import assert_case
from test_cases import SELFEVAL_ONLY
from checking import check_one

CASES = Path(__file__).resolve().parents[1] / "cases_selfeval"


def tables() -> dict[str, dict]:
    return {p.stem: tomllib.loads(p.read_text(encoding="utf-8")) for p in sorted(CASES.glob("*.toml"))}


def params():
    return [pytest.param(t["code"], kind, case, id=f"{stem}:{kind}:{case['name']}")
            for stem, t in tables().items() for kind in ("fire", "pass") for case in t.get(kind, [])]


@pytest.mark.parametrize("code, kind, case", params())
def test_case(tmp_path, code, kind, case):
    path = build(tmp_path / "case.xlsx", from_case(case))
    result = check_one(path)
    assert result.status in ("ok", "flagged"), result.error
    assert result.rubric and result.rubric.startswith("selfeval")
    assert_case(result, code, kind, case)


def test_tables_name_their_code_and_have_both_kinds():
    for stem, table in tables().items():
        assert stem == table["code"] and table["code"] in catalogue.CATALOGUE
        assert table.get("fire") and table.get("pass"), f"{stem} needs fire and pass cases"
        assert all(case.get("expect") for case in table["fire"]), stem


def test_selfeval_codes_have_tables():
    assert SELFEVAL_ONLY <= set(tables())
