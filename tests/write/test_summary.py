"""DIR/summary.xlsx: one row per input (unreadable and skipped ones too), linked to the annotated copies,
and every finding of the batch on a second sheet."""
from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from perfeval.cli import main

from conftest import CLEAN


def run(*args) -> tuple[dict, int]:
    result = CliRunner().invoke(main, ["check", *map(str, args), "--format", "json"])
    return json.loads(result.stdout), result.exit_code


def test_one_row_per_input_with_links_to_the_copies(make_sheet, tmp_path):
    inbox = tmp_path / "inbox"
    make_sheet("inbox/01_好表.xlsx")
    make_sheet("inbox/02_错表.xlsx", scores={"立项依据充分性": 4}, grade="优", narrative=CLEAN["narrative"])
    (inbox / "03_不是表格.xlsx").write_text("项目,得分\nA,3\n", encoding="utf-8")
    (inbox / "~$01_好表.xlsx").write_bytes(b"lock")
    out = tmp_path / "out"
    doc, code = run(inbox, "--out", out, "--jobs", "2")
    assert code == 2
    statuses = [f["status"] for f in doc["files"]]
    assert statuses == ["flagged", "flagged", "unreadable", "skipped"]
    wb = openpyxl.load_workbook(out / "summary.xlsx")
    assert wb.sheetnames == ["文件", "复核结果"]
    ws = wb["文件"]
    header = [c.value for c in ws[1]]
    assert header == ["文件", "项目单位", "项目名称", "评分规则", "合计（填报）", "合计（复核）", "等级（填报）",
                      "等级（复核）", "错误", "警告", "状态", "复核文件", "备注"]
    rows = [dict(zip(header, [c.value for c in r])) for r in ws.iter_rows(min_row=2)]
    # the summary covers every file the output folder's ledger holds; lock files are not files to hold
    assert [r["文件"] for r in rows] == [f["path"] for f in doc["files"]][:3]
    assert [r["状态"] for r in rows] == ["有问题", "有问题", "无法读取"]
    good, bad, csv = rows
    assert (good["项目单位"], good["评分规则"], good["合计（填报）"], good["合计（复核）"]) == \
           ("中山市审计局", "egov-2019", 81, 80.86)
    # warnings: reason-missing, and 总体评价 saying 良 where the table says 优
    assert (bad["等级（填报）"], bad["等级（复核）"], bad["错误"], bad["警告"]) == ("优", "良", 3, 2)
    assert "不是 Excel 工作簿" in csv["备注"] and csv["复核文件"] is None and csv["错误"] is None
    for r, f in zip(ws.iter_rows(min_row=2, max_row=3), doc["files"]):
        target, shown = link(r[11])
        assert (out / target).resolve() == Path(f["output"]).resolve() and Path(f["output"]).exists()
        assert shown == target
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:M4"


def link(cell):
    """(target, text shown) of a =HYPERLINK("target","text") cell."""
    m = re.fullmatch(r'=HYPERLINK\("((?:[^"]|"")*)","((?:[^"]|"")*)"\)', cell.value)
    assert m, cell.value
    return m[1].replace('""', '"'), m[2].replace('""', '"')


def test_second_sheet_has_every_finding_linked_to_its_cell(make_sheet, tmp_path):
    a = make_sheet("a.xlsx", scores={"立项依据充分性": 4})
    b = make_sheet("b.xlsx", grade="中")
    out = tmp_path / "out"
    doc, _ = run(a, b, "--out", out)
    ws = openpyxl.load_workbook(out / "summary.xlsx")["复核结果"]
    rows = list(ws.iter_rows(min_row=2))
    expected = [(f["path"], x["code"], x["cell"]) for f in doc["files"] for x in f["findings"]]
    cells = [link(r[6])[1] if str(r[6].value).startswith("=") else r[6].value for r in rows]
    assert [(r[0].value, r[2].value, c if c != "—" else None) for r, c in zip(rows, cells)] == expected
    linked = [r for r in rows if str(r[6].value).startswith("=HYPERLINK")]
    assert len(linked) == sum(1 for _, _, cell in expected if cell)          # every finding with a cell
    for r in linked:
        target, shown = link(r[6])
        path, location = target.split("#")
        sheet, cell = location.rsplit("!", 1)
        copy = openpyxl.load_workbook(out / path)
        assert sheet.strip("'") in copy.sheetnames and cell == shown
    grade = next(r for r in rows if r[2].value == "grade-mismatch")
    assert (grade[7].value, grade[8].value, grade[1].value) == ("中", "良", "错误")
