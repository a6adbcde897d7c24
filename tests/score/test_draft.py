"""`perfeval rubric draft` of a table broken over pages: the tree cut by its stated weights."""
from __future__ import annotations

import json
from decimal import Decimal

from click.testing import CliRunner

from perfeval.cli import main
from perfeval.read.workbook import read
from perfeval.score import draft
from seedbook import build
from workbooks import edit_workbook

D = Decimal

# egov-2019's tree: the seed's pages moved three labels (资金配置合理性, 管理制度健全性, 系统故障响应…)
EGOV_GROUPS = {"资金配合理性": ("决策", "资金投入"), "管理制度健全性": ("过程", "组织实施"),
               "系统故障响应或维护及时性": ("产出", "产出时效"), "预算超支": ("产出", "产出成本"),
               "可持续发展": ("效益", "项目效益")}


def test_the_seed_as_printed_drafts_a_rubric_that_checks_and_reproduces_its_total(tmp_path):
    book = build(tmp_path / "seed.xlsx")                  # the seed's own pages, labels where the PDF put them
    out = tmp_path / "drafted.toml"
    runner = CliRunner()
    result = runner.invoke(main, ["rubric", "draft", str(book), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "30 个指标，26 个读出规则（其中公式 14 个），4 个 TODO" in result.output
    text = out.read_text(encoding="utf-8")
    for name, quote in (("硬件采购数量完成率", "则酌情扣分"), ("软件采购数量完成率", "其2分计入系统开发数量完成率中计算"),
                        ("系统开发数量完成率", "完成率×7分"), ("信息系统安全等级保护要求", "视同通过等保测评")):
        block = text[text.index(f'name = "{name}"'):].split("[[", 1)[0]
        assert "# TODO: rule not read from F" in block and quote in block, block     # a TODO, not a guess
    checked = runner.invoke(main, ["rubric", "check", str(out)])
    assert checked.exit_code == 0, checked.output
    result = runner.invoke(main, ["check", str(book), "--rubric", str(out), "--format", "json"])
    (sheet,) = json.loads(result.output)["files"]
    assert sheet["total"] == {"entered": 81, "recomputed": 80.86}
    assert sheet["grade"] == {"entered": "良", "recomputed": "良"}


def test_rows_at_a_page_top_go_to_the_group_their_weights_fill(tmp_path):
    sheet = read(build(tmp_path / "seed.xlsx")).sheets[0]
    groups = {row.name: (g1[0], g2[0]) for row, (g1, g2) in zip(sheet.rows, draft.tree(sheet))}
    for name, where in EGOV_GROUPS.items():
        assert groups[name] == where, name
    as_read = {row.name: row.level2 for row in sheet.rows}
    assert as_read["资金配合理性"] == "资金管理"           # as the PDF put it: the cut moved it


def test_weights_that_no_cut_fills_leave_the_tree_as_read_for_check_to_name(tmp_path):
    book = build(tmp_path / "seed.xlsx")
    edit_workbook(book, rename={"资金投入 (6)": "资金投入 (7)"})
    sheet = read(book).sheets[0]
    groups = [g2[0] for g2 in (g[1] for g in draft.tree(sheet))]
    assert groups == [row.level2 for row in sheet.rows]
    out = tmp_path / "drafted.toml"
    out.write_text(draft.draft(sheet)[0], encoding="utf-8")
    assert draft.check(out)                               # the tree as read does not add up: named, not mended


def test_cut():
    assert draft._cut([D(3), D(3), D(2), D(6)], [D(6), D(8)]) == [0, 0, 1, 1]
    assert draft._cut([D(3), D(3), D(2), D(5)], [D(6), D(8)]) is None        # 7 ≠ 8
    assert draft._cut([D(4), D(3)], [D(6), D(1)]) is None                    # 4 + 3 overshoots 6
    assert draft._cut([D(3), D(3)], [D(6), D(2)]) is None                    # a group left empty


def test_labels_without_weights_get_the_sum_of_their_rows_marked_for_review(tmp_path):
    from seedbook import variant
    sheet = read(build(tmp_path / "blank.xlsx", layout=variant("blank"))).sheets[0]     # labels carry no weight
    text = draft.draft(sheet)[0]
    assert text.count("# TODO: weight not stated on the sheet") == 15       # 4 level-1 + 11 level-2 groups
    out = tmp_path / "drafted.toml"
    out.write_text(text, encoding="utf-8")
    assert draft.check(out) == []
    seed = read(build(tmp_path / "seed.xlsx")).sheets[0]
    assert "# TODO: weight not stated" not in draft.draft(seed)[0]
