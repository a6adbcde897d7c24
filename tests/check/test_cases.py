"""sqlfluff-style case tables: tests/cases/<code>.toml holds, per finding code, cases that must fire
and near misses that must not. Each case is one real workbook built by perfeval.seedbook.

A case table:

    code = "total-rounded"

    [[fire]]                      # the code must be reported ...
    name = "seed_81_over_80_86"
    total = "81"                  # any perfeval.seedbook.Changes field
    expect = [{ cell = "G52", entered = 81, expected = 80.86 }]   # ... with these (each matched once)
    count = 1                     # optional: exactly this many findings of the code

    [[pass]]                      # the code must not be reported ...
    name = "exact_sum"
    total = "80.86"
    at = [{ indicator = "预算执行率" }]   # optional: ... at these places (default: anywhere)
    also = ["total-mismatch"]     # optional: what is reported instead

Besides the Changes fields a case may give: `layout` (a seedbook.LAYOUTS name, or a table
`{ base = "seed", levels = "blank", ... }` for seedbook.variant), `blank_scores` (indicators whose
score cell is left empty), `blank_total`, `blank_grade`, `cells` ({A1 = value} written afterwards on
评分表), `rename` ({name as written = new name}) and `rubric` (forced --rubric).
"""
from __future__ import annotations

import pytest

from perfeval import catalogue
from cases import LATER, assert_case, check_case, params, tables


@pytest.mark.parametrize("code, kind, case", params())
def test_case(tmp_path, code, kind, case):
    result = check_case(tmp_path, case)
    assert_case(result, code, kind, case)


def test_every_code_has_cases_that_fire_and_that_pass():
    by_code = {t["code"]: t for t in tables().values()}
    for stem, table in tables().items():
        assert stem == table["code"], f"{stem}.toml holds cases of {table['code']}"
        assert table["code"] in catalogue.CATALOGUE
    for code in catalogue.CATALOGUE:
        if code in SELFEVAL_ONLY:
            continue
        if code in LATER:
            assert code not in by_code, f"{code} is marked for later but has cases"
            continue
        assert code in by_code, f"no case table for {code}"
        assert by_code[code].get("fire") and by_code[code].get("pass"), f"{code} needs fire and pass cases"
        for case in by_code[code]["fire"]:
            assert case.get("expect"), f"{code}:{case['name']} names no expected finding"


# codes only a 项目支出绩效自评表 can raise: their cases are in tests/cases_selfeval (test_selfeval_cases.py)
SELFEVAL_ONLY = {"budget-sum-mismatch", "budget-rate-mismatch", "qualitative-out-of-band", "deviation-reason-missing"}


def test_every_code_of_the_catalogue_has_a_case_table():
    assert not LATER
    assert set(tables()) | SELFEVAL_ONLY == set(catalogue.CATALOGUE)