"""Issue 15, item 7: mutated and damaged workbooks never give a traceback, an internal error or a
report that cannot be written. A few hundred cases here (CI); benchmarks/fuzz_campaign.py runs
thousands and reports files tried, internal errors, files over 5 s and peak RSS."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from mutations import cells_of, damaged_bytes, mutated_sheet
from perfeval.write import formats
from perfeval.catalogue import say
from seedbook import Changes, build
from checking import check_one

FUZZ = settings(max_examples=80, deadline=None, database=None, derandomize=True,
                phases=[Phase.explicit, Phase.generate],     # CI: no shrinking, the failing case is printed
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def seed(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("fuzz") / "seed.xlsx", Changes(basic_data=[("计划成本", 5), ("实际成本", 4)]))


def assert_handled(path: Path) -> None:
    """A result or a clear one-line reason; never an internal error; both reports render."""
    for fast in (False, True):
        result = check_one(path, fast=fast)
        assert result.status in ("ok", "flagged", "unreadable"), result
        assert not result.internal, result.error
        if result.status == "unreadable":
            reason = say(result.error)
            assert reason and "\n" not in reason and "内部错误" not in reason
        for fmt in ("json", "text"):
            out = io.StringIO()
            tally = formats.write(fmt, [result], out, "en" if fast else "zh")
            assert tally.internal == 0, out.getvalue()
        json.loads(formats_json(result))


def formats_json(result) -> str:
    out = io.StringIO()
    formats.write("json", [result], out)
    return out.getvalue()


def test_mutated_sheets(seed, tmp_path):
    cells = cells_of(seed)

    @FUZZ
    @given(mutated_sheet(seed, cells))
    def run(data: bytes) -> None:
        path = tmp_path / "mutated.xlsx"
        path.write_bytes(data)
        assert_handled(path)
    run()


def test_damaged_packages(seed, tmp_path):
    data = seed.read_bytes()

    @settings(FUZZ, max_examples=120)
    @given(damaged_bytes(data))
    def run(damaged: bytes) -> None:
        path = tmp_path / "damaged.xlsx"
        path.write_bytes(damaged)
        assert_handled(path)
    run()
