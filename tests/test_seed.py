"""The done-when of the core issue: the seed sheet, in every layout, reads to the same result."""
import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

import seedbook
from perfeval.cli import main
from checking import check_one


@pytest.mark.parametrize("layout", sorted(seedbook.LAYOUTS))
def test_seed_in_every_layout(make_sheet, layout):
    result = check_one(make_sheet(f"{layout}.xlsx", layout=layout))
    assert result.status == "flagged"
    assert result.rubric == "egov-2019"
    assert result.total_entered == 81
    assert result.total_recomputed == Decimal("80.86")
    assert (result.grade_entered, result.grade_recomputed) == ("良", "良")
    assert not [f for f in result.findings if f.severity.value == "error"]
    codes = {(f.code, f.indicator) for f in result.findings if f.severity.value != "info"}
    # and the seed's own date disagreement: 总体评价 包组一 完工 2015-06-15, 完成及时性 01包组 2016年9月
    assert codes == {("reason-missing", "绩效指标明确性"), ("narrative-mismatch", None)}
    assert any(f.code == "total-rounded" for f in result.findings)
    assert result.project.unit == "中山市审计局"
    assert result.project.budget == Decimal("460.00")
    assert len(result.indicators) == 30


def test_seed_json_contract(make_sheet):
    path = make_sheet("seed.xlsx")
    run = CliRunner().invoke(main, ["check", str(path), "--format", "json"])
    assert run.exit_code == 0, run.output
    doc = json.loads(run.output)
    assert doc["version"] == 1
    (f,) = doc["files"]
    assert f["status"] == "flagged" and f["error"] is None and f["sheet"] == "评分表"
    assert f["total"] == {"entered": 81, "recomputed": 80.86}
    assert f["grade"] == {"entered": "良", "recomputed": "良"}
    assert f["project"] == {"unit": "中山市审计局", "code": None, "name": "中山市金审工程二期项目",
                            "budget": 460}
    reason = [x for x in f["findings"] if x["code"] == "reason-missing"]
    assert reason[0]["cell"] == "H9" and reason[0]["indicator"] == "绩效指标明确性"
