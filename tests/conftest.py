"""Shared fixtures; tests/support (workbook builders, the seed sheet) goes on sys.path."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "support"))

import pytest

from seedbook import Changes, build, consistent_overall

# the seed with its two flaws mended (a reason for 绩效指标明确性, 总体评价's date in line): no warning
CLEAN = {"reasons": {"绩效指标明确性": "指标未细化"}, "narrative": {"总体评价": consistent_overall()}}


@pytest.fixture
def make_sheet(tmp_path):
    """Build a seed-layout workbook with changes: make_sheet(name, layout="seed", **changes) -> Path."""
    def make(name: str = "sheet.xlsx", layout="seed", **changes):
        return build(tmp_path / name, Changes(**changes), layout=layout)
    return make
