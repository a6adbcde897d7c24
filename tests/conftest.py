import pytest

from perfeval.seedbook import Changes, build


@pytest.fixture
def make_sheet(tmp_path):
    """Build a seed-layout workbook with changes: make_sheet(name, layout="seed", **changes) -> Path."""
    def make(name: str = "sheet.xlsx", layout="seed", **changes):
        return build(tmp_path / name, Changes(**changes), layout=layout)
    return make
