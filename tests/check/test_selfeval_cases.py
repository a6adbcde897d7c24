"""Case tables of the 项目支出绩效自评表 family: tests/cases_selfeval/<code>.toml holds, per finding code,
自评表 cases that must fire and near misses that must not, each built by selfevalbook.from_case (see
there for a case's keys; `expect`, `count`, `at`, `also` as in tests/test_cases.py)."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from perfeval import catalogue, pipeline
from selfevalbook import build, from_case
from cases import describe, matches
from test_cases import SELFEVAL_ONLY

CASES = Path(__file__).resolve().parents[1] / "cases_selfeval"


def tables() -> dict[str, dict]:
    return {p.stem: tomllib.loads(p.read_text(encoding="utf-8")) for p in sorted(CASES.glob("*.toml"))}


def params():
    return [pytest.param(t["code"], kind, case, id=f"{stem}:{kind}:{case['name']}")
            for stem, t in tables().items() for kind in ("fire", "pass") for case in t.get(kind, [])]


@pytest.mark.parametrize("code, kind, case", params())
def test_case(tmp_path, code, kind, case):
    path = build(tmp_path / "case.xlsx", from_case(case))
    result = pipeline.check_file(path)
    assert result.status in ("ok", "flagged"), result.error
    assert result.rubric and result.rubric.startswith("selfeval")
    found = [f for f in result.findings if f.code == code]
    if kind == "fire":
        assert found, f"{code} not reported; got:\n{describe(result.findings)}"
        for f in found:
            assert f.severity == catalogue.severity_of(code)
            assert catalogue.render(f, "zh") and catalogue.render(f, "en")
        unmatched = list(found)
        for want in case["expect"]:
            hit = next((f for f in unmatched if matches(f, want)), None)
            assert hit is not None, f"no {code} with {want}; got:\n{describe(found)}"
            unmatched.remove(hit)
        if "count" in case:
            assert len(found) == case["count"], describe(found)
    else:
        places = case.get("at")
        wrong = [f for f in found if places is None or any(matches(f, want) for want in places)]
        assert not wrong, f"{code} must not be reported here:\n{describe(wrong)}"
        for other in case.get("also", []):
            assert any(f.code == other for f in result.findings), \
                f"expected {other} instead; got:\n{describe(result.findings)}"


def test_tables_name_their_code_and_have_both_kinds():
    for stem, table in tables().items():
        assert stem == table["code"] and table["code"] in catalogue.CATALOGUE
        assert table.get("fire") and table.get("pass"), f"{stem} needs fire and pass cases"
        assert all(case.get("expect") for case in table["fire"]), stem


def test_selfeval_codes_have_tables():
    assert SELFEVAL_ONLY <= set(tables())
