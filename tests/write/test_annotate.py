"""The annotated copy: a faithful copy of the original, marks at exactly the flagged cells, the
复核结果 and 汇总 sheets, and the safety promises (inputs untouched, text stays text, nothing lost
silently)."""
from __future__ import annotations

import hashlib
from copy import copy
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.drawing.image import Image
from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries
from openpyxl.workbook.defined_name import DefinedName

import xlsx_parts
from corpus import sheet_settings
from conftest import CLEAN
from perfeval import __version__
from perfeval.batch.names import output_paths
from perfeval.read import fidelity
from perfeval.catalogue import label
from perfeval.cli import main
from paths import SAMPLES

RED, AMBER = "00FFC7CE", "00FFEB9C"


def check(*paths, out: Path, args=()) -> tuple[dict, int]:
    run = CliRunner().invoke(main, ["check", *map(str, paths), "--out", str(out), "--format", "json", *args])
    assert run.exit_code in (0, 1, 2), run.output
    return json.loads(run.stdout), run.exit_code


def load(path, **kw):
    return openpyxl.load_workbook(path, rich_text=True, **kw)


def anchors(doc_file: dict, ws) -> dict[str, str]:
    """Expected mark per cell: the top-left cell of a merge, the worst severity of its findings."""
    worst: dict[str, str] = {}
    for f in doc_file["findings"]:
        if f["severity"] == "info" or not f["cell"]:
            continue
        cell = next((m.start_cell.coordinate for m in ws.merged_cells.ranges if f["cell"] in m), f["cell"])
        if worst.get(cell) != "error":
            worst[cell] = f["severity"]
    return worst


def perfeval_comments(ws) -> set[str]:
    return {c.coordinate for row in ws.iter_rows() for c in row if c.comment and c.comment.author == "perfeval"}


def enrich(path: Path) -> Path:
    """The seed sheet with what real workbooks carry besides values: validation, conditional format,
    print titles and area, frozen panes, a defined name, rich text, comments, a second sheet."""
    wb = openpyxl.load_workbook(path, rich_text=True)
    ws = wb["评分表"]
    sheet_settings(ws)
    ws.page_setup.fitToWidth = 1
    ws.page_margins.left = 0.3
    ws["B56"] = CellRichText(["(一) ", TextBlock(InlineFont(b=True, color="FF0000"), "自评工作"), "有待加强。"])
    ws["A2"].comment = Comment("原作者的批注", "张三")
    ws["G6"].comment = Comment("评审时讨论过", "李四")
    wb.defined_names["预算"] = DefinedName("预算", attr_text="'评分表'!$H$2")
    extra = wb.create_sheet("附表")
    extra["A1"], extra["B1"] = 3, "=A1*2"
    extra["A2"] = "=SUM(评分表!G6:G10)"
    extra.column_dimensions["A"].width = 33
    extra.row_dimensions[2].height = 40
    extra.sheet_state = "hidden"
    wb.save(path)
    return path


def cell_state(c) -> tuple:
    styles = [copy(s) for s in (c.font, c.border, c.alignment, c.protection)]    # proxies -> objects
    return (c.value, c.data_type, c.number_format, *styles, c.hyperlink.target if c.hyperlink else None)


def test_copy_equals_the_original_cell_for_cell(make_sheet, tmp_path):
    src = enrich(make_sheet("原表.xlsx", scores={"立项依据充分性": 4}, grade="优"))
    doc, code = check(src, out=tmp_path / "out")
    (f,) = doc["files"]
    assert code == 1 and f["output"] == str(tmp_path / "out" / "原表.checked.xlsx")
    before, after = load(src), load(f["output"])
    assert after.sheetnames == ["评分表", "附表", "汇总", "复核结果"]     # ours after: every index kept
    marked = anchors(f, before["评分表"])
    for name in before.sheetnames:
        a, b = before[name], after[name]
        rows, cols = max(a.max_row, b.max_row), max(a.max_column, b.max_column)
        for r in range(1, rows + 1):
            for c in range(1, cols + 1):
                x, y = a.cell(row=r, column=c), b.cell(row=r, column=c)
                assert cell_state(x) == cell_state(y), (name, x.coordinate)
                if x.coordinate not in marked or name != "评分表":
                    assert copy(x.fill) == copy(y.fill), (name, x.coordinate)
                    assert (x.comment and x.comment.text) == (y.comment and y.comment.text), x.coordinate
        assert sorted(map(str, a.merged_cells.ranges)) == sorted(map(str, b.merged_cells.ranges))
        assert {k: d.width for k, d in a.column_dimensions.items()} == \
               {k: d.width for k, d in b.column_dimensions.items()}
        assert {k: d.height for k, d in a.row_dimensions.items()} == \
               {k: d.height for k, d in b.row_dimensions.items()}
        assert (a.page_setup, a.print_options, a.page_margins) == (b.page_setup, b.print_options, b.page_margins)
        assert (a.print_title_rows, a.print_area, a.freeze_panes, a.sheet_state) == \
               (b.print_title_rows, b.print_area, b.freeze_panes, b.sheet_state)
        assert [str(v.sqref) for v in a.data_validations.dataValidation] == \
               [str(v.sqref) for v in b.data_validations.dataValidation]
        assert [str(r.sqref) for r in a.conditional_formatting] == [str(r.sqref) for r in b.conditional_formatting]
    assert after.defined_names["预算"].attr_text == "'评分表'!$H$2"
    rich = after["评分表"]["B56"].value
    assert isinstance(rich, CellRichText) and rich[1].font.b and rich[1].text == "自评工作"


def test_marks_sit_exactly_at_the_flagged_cells(tmp_path):
    src = SAMPLES / "02_评分错误示例.xlsx"
    doc, _ = check(src, out=tmp_path)
    (f,) = doc["files"]
    ws = load(f["output"])["评分表"]
    marked = anchors(f, ws)
    assert perfeval_comments(ws) == set(marked) and len(marked) >= 6
    for cell, severity in marked.items():
        assert ws[cell].fill.fgColor.rgb == {"error": RED, "warning": AMBER}[severity], cell
    info_only = {x["cell"] for x in f["findings"] if x["severity"] == "info"} - set(marked)
    assert info_only and all(ws[c].comment is None and ws[c].fill.fgColor.rgb != RED for c in info_only)
    # one comment lists every finding of its cell, with entered and recomputed values
    both = [x for x in f["findings"] if x["cell"] == "G21"]
    assert {x["code"] for x in both} == {"score-missing", "inputs-missing"}
    text = ws["G21"].comment.text
    assert "2 项" in text and "score-missing" in text and "inputs-missing" in text
    assert "填报值：" in ws["G36"].comment.text and "复核值：76.36" in ws["G36"].comment.text


def test_comment_gives_the_working_with_its_sources(make_sheet, tmp_path):
    src = make_sheet("x.xlsx", scores={"预算执行率": 1.95}, total=80.95,
                     basic_data=[("实际支出资金", 413.905), ("实际到位资金", 444.205)])
    doc, _ = check(src, out=tmp_path / "out")
    (f,) = doc["files"]
    finding = next(x for x in f["findings"] if x["code"] == "formula-mismatch")
    text = load(f["output"])["评分表"][finding["cell"]].comment.text
    assert "填报值：1.95" in text and "复核值：1.86" in text
    assert "实际支出资金 = 413.905（基础数据!B2）" in text and "实际到位资金 = 444.205（基础数据!B3）" in text
    assert "算式：413.905 ÷ 444.205" in text


def test_merged_cell_is_marked_at_its_top_left(make_sheet, tmp_path):
    src = make_sheet("merged.xlsx")
    wb = openpyxl.load_workbook(src)
    wb["评分表"].merge_cells("H8:H9")            # one reason cell over two rows: H9 reads as blank
    wb.save(src)
    doc, _ = check(src, out=tmp_path / "out")
    (f,) = doc["files"]
    assert any(x["code"] == "reason-missing" and x["cell"] == "H9" for x in f["findings"])
    wb = load(f["output"])
    ws = wb["评分表"]
    assert "H8" in perfeval_comments(ws) and ws["H8"].fill.fgColor.rgb == AMBER
    row = next(r for r in wb["复核结果"].iter_rows(min_row=2) if r[2].value == "reason-missing")
    assert row[6].value == "H9" and row[6].hyperlink.location == "'评分表'!H8"


def test_an_existing_comment_on_a_flagged_cell_is_kept_below_ours(make_sheet, tmp_path):
    src = enrich(make_sheet("c.xlsx", scores={"立项依据充分性": 4}))
    doc, _ = check(src, out=tmp_path / "out")
    ws = load(doc["files"][0]["output"])["评分表"]
    assert ws["G6"].comment.text.startswith("perfeval 复核") and ws["G6"].comment.text.endswith("评审时讨论过")
    assert "原批注（李四）" in ws["G6"].comment.text
    assert ws["A2"].comment.text == "原作者的批注" and ws["A2"].comment.author == "张三"


def test_findings_sheet_lists_every_finding_sorted_and_linked(tmp_path):
    src = SAMPLES / "03_结构错误示例.xlsx"
    doc, _ = check(src, out=tmp_path)
    (f,) = doc["files"]
    wb = load(f["output"])
    ws = wb["复核结果"]
    rows = list(ws.iter_rows(min_row=2))
    assert [c.value for c in ws[1]][:7] == ["序号", "严重程度", "代码", "一级指标", "二级指标", "三级指标", "单元格"]
    assert len(rows) == len(f["findings"]) and [r[0].value for r in rows] == list(range(1, len(rows) + 1))
    rank = {"错误": 0, "警告": 1, "提示": 2}
    keys = [(rank[r[1].value], coordinate_to_tuple(r[6].value) if r[6].value != "—" else (10**9, 0))
            for r in rows]
    assert keys == sorted(keys)
    linked = 0
    for r in rows:
        if r[6].hyperlink is None:
            assert r[6].value == "—"
            continue
        sheet, cell = r[6].hyperlink.location.rsplit("!", 1)
        target = wb[sheet.strip("'")]
        min_col, min_row, _, _ = range_boundaries(cell)
        assert target.cell(row=min_row, column=min_col).coordinate == cell
        linked += 1
    assert linked == sum(1 for x in f["findings"] if x["cell"])
    subtotal = next(r for r in rows if r[2].value == "subtotal-mismatch")
    assert (subtotal[7].value, subtotal[8].value) == (20, 19.86)
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:K{len(rows) + 1}"
    assert ws.column_dimensions["J"].width >= 40


def test_the_copy_opens_on_its_summary_sheet_which_states_the_project(tmp_path):
    src = SAMPLES / "04_基础数据核算示例.xlsx"
    doc, _ = check(src, out=tmp_path)
    wb = load(doc["files"][0]["output"])
    ws = wb.active
    assert ws.title == "汇总" and wb.sheetnames == ["评分表", "基础数据", "汇总", "复核结果"]
    assert [s.title for s in wb.worksheets if s.sheet_view.tabSelected] == ["汇总"]
    pairs = {r[0].value: r[1].value for r in ws.iter_rows() if r[0].value}
    assert pairs["项目单位"] == "中山市审计局" and pairs["项目名称"] == "中山市金审工程二期项目"
    assert pairs["预算金额（万元）"] == 460 and pairs["评分规则"].startswith("egov-2019")
    assert pairs["原文件 SHA-256"] == hashlib.sha256(src.read_bytes()).hexdigest()
    assert pairs["复核工具"] == f"perfeval {__version__}"
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d\d:\d\d$", pairs["复核时间"])
    assert pairs["问题数量"] == "错误 1；警告 1；提示 3"       # formula-mismatch; reason-missing; infos
    assert pairs["未能保留的原文件内容"].startswith("无") and pairs["复核副本说明"] == "无"
    table = {(r[0].value, r[1].value.strip("\u3000")): [c.value for c in r[2:6]]
             for r in ws.iter_rows() if r[0].value in ("一级", "二级")}
    assert len([k for k in table if k[0] == "一级"]) == 4 and len([k for k in table if k[0] == "二级"]) == 11
    assert table[("一级", "过程")] == [20, 19.95, 19.86, -0.09]
    assert table[("二级", "资金管理")] == [8, 7.95, 7.86, -0.09]
    assert table[("二级", "满意度")] == [5, 5, 5, 0]
    total = next(r for r in ws.iter_rows() if r[0].value == "合计")
    grade = next(r for r in ws.iter_rows() if r[0].value == "评价等级")
    assert [c.value for c in total[2:6]] == [100, 81, 80.86, -0.14]
    assert [c.value for c in grade[3:6]] == ["良", "良", "一致"]


def test_text_from_the_input_stays_text_everywhere(make_sheet, tmp_path):
    name = '=HYPERLINK("http://example.com/x","金审工程")'
    src = make_sheet("t.xlsx", project={"name": name, "unit": "=1+1"}, grade="=优",
                     reasons={"立项依据充分性": '=HYPERLINK("http://e.com/why","见附件")'})
    wb = openpyxl.load_workbook(src)
    wb["评分表"]["G7"] = '=HYPERLINK("http://e.com","3分")'       # 立项程序规范性
    for row in wb["评分表"].iter_rows():         # openpyxl took them for formulas: make them text
        for c in row:
            if isinstance(c.value, str) and c.value.startswith("="):
                c.data_type = "s"
    wb.save(src)
    doc, _ = check(src, out=tmp_path / "out")
    (f,) = doc["files"]
    assert {"score-not-numeric", "grade-mismatch"} <= {x["code"] for x in f["findings"]}
    out = load(f["output"])
    texts = [c for ws in out.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("=")]
    assert texts and all(c.data_type == "s" for c in texts)
    assert {c.parent.title for c in texts} == {"汇总", "复核结果", "评分表"}
    summary = load(tmp_path / "out" / "summary.xlsx")
    link_columns = {"文件": 12, "复核结果": 7}          # summary's own =HYPERLINK(...) to the copies
    cells = [c for ws in summary.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("=") and c.column != link_columns[ws.title]]
    assert {c.value for c in cells} >= {name, "=1+1"} and all(c.data_type == "s" for c in cells)


def test_xlsm_stays_xlsm_with_its_vba_project(make_sheet, tmp_path):
    src = xlsx_parts.to_xlsm(make_sheet("m.xlsx", narrative=CLEAN["narrative"]), tmp_path / "宏.xlsm")
    doc, _ = check(src, out=tmp_path / "out")
    out = Path(doc["files"][0]["output"])
    assert out.name == "宏.checked.xlsm"
    with zipfile.ZipFile(out) as zf:
        assert zf.read("xl/vbaProject.bin") == xlsx_parts.VBA_BYTES
        assert b"macroEnabled.main+xml" in zf.read("[Content_Types].xml")
        assert b"vbaProject" in zf.read("xl/_rels/workbook.xml.rels")
    wb = load(out, keep_vba=True)
    assert perfeval_comments(wb["评分表"]) == {"H9"}
    assert next(r[1].value for r in wb["汇总"].iter_rows() if r[0].value == "未能保留的原文件内容").startswith("无")


def test_images_charts_and_shapes_are_all_carried_over(make_sheet, tmp_path):
    src = make_sheet("pic.xlsx")
    wb = openpyxl.load_workbook(src)
    ws = wb["评分表"]
    ws.add_image(Image(xlsx_parts.png()), "J2")
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=7, min_row=6, max_row=10))
    ws.add_chart(chart, "J20")
    wb.save(src)
    src = xlsx_parts.add_shape(src, tmp_path / "图.xlsx")
    doc, _ = check(src, out=tmp_path / "out")
    out = Path(doc["files"][0]["output"])
    wb = load(out)
    assert len(wb["评分表"]._images) == 1 and len(wb["评分表"]._charts) == 1
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(out) as b:
        media = lambda zf: sorted(zf.read(n) for n in zf.namelist() if n.startswith("xl/media/"))
        assert media(a) == media(b)
        assert a.read("xl/drawings/drawing1.xml") == b.read("xl/drawings/drawing1.xml")
        before, after = fidelity.inventory(a), fidelity.inventory(b)
    assert before["shape"] == 1 and after["comment"] > before.get("comment", 0)
    assert {k: n for k, n in after.items() if k != "comment"} == {k: n for k, n in before.items() if k != "comment"}
    notes = next(r[1].value for r in wb["汇总"].iter_rows() if r[0].value == "未能保留的原文件内容")
    assert notes.startswith("无")


def test_same_stem_inputs_get_their_own_copies_on_every_run(make_sheet, tmp_path):
    a = make_sheet("a/评分表.xlsx", project={"unit": "甲单位"})
    b = make_sheet("b/评分表.xlsx", project={"unit": "乙单位"})
    names = []
    for _ in range(2):
        doc, _ = check(a, b, out=tmp_path / "out")
        names.append([Path(f["output"]).name for f in doc["files"]])
    assert names[0] == names[1] == ["评分表 (a).checked.xlsx", "评分表 (b).checked.xlsx"]
    units = [load(tmp_path / "out" / n)["汇总"]["B3"].value for n in names[0]]
    assert units == ["甲单位", "乙单位"]


def test_output_names(tmp_path):
    out = tmp_path / "out"
    names = lambda *ps: [p.name for p in output_paths([tmp_path / p for p in ps], out)]
    assert names("x/表.xlsx", "y/其他.XLSX", "y/表.xlsm") == ["表.checked.xlsx", "其他.checked.xlsx",
                                                               "表.checked.xlsm"]
    assert names("p/a/表.xlsx", "q/a/表.xlsx") == ["表 (p-a).checked.xlsx", "表 (q-a).checked.xlsx"]
    assert names("p/A.xlsx", "q/a.xlsx") == ["A (p).checked.xlsx", "a (q).checked.xlsx"]
    assert names("p/表.xlsx", "p/表.xlsx") == ["表.checked.xlsx", "表.checked.xlsx"]
    (tmp_path / "out").mkdir()
    with pytest.raises(ValueError):
        output_paths([tmp_path / "表.xlsx", out / "表.checked.xlsx"], out)


def outputs(folder):
    """Files in an output folder other than the ledger."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("perfeval.db"))


def test_a_workbook_no_sound_copy_can_be_made_of_keeps_its_findings(make_sheet, tmp_path):
    bad = xlsx_parts.damage_member(make_sheet("ok.xlsx"), tmp_path / "坏件.xlsx", "docProps/thumbnail.jpeg")
    doc, code = check(bad, out=tmp_path / "out")
    (f,) = doc["files"]
    assert code == 2 and f["output"] is None and f["status"] == "flagged"
    assert any(x["code"] == "reason-missing" for x in f["findings"])
    assert outputs(tmp_path / "out") == ["summary.xlsx"]    # no temp file left
    summary = load(tmp_path / "out" / "summary.xlsx")
    row = [c.value for c in summary["文件"][2]]
    assert row[0] == str(bad) and row[-2] is None
    assert "未能生成复核文件：原文件的压缩包部件已损坏（docProps/thumbnail.jpeg: CRC mismatch）" in row[-1]
    assert any(r[2].value == "reason-missing" for r in summary["复核结果"].iter_rows(min_row=2))


def test_inputs_are_never_written(make_sheet, tmp_path):
    paths = [make_sheet("a.xlsx"), make_sheet("b.xlsx")]
    paths.append(xlsx_parts.to_xlsm(paths[1], tmp_path / "b.xlsm"))
    before = [(p.read_bytes(), p.stat().st_mtime_ns) for p in paths]
    check(*paths, out=tmp_path / "out")
    check(tmp_path, out=tmp_path / "out")        # the output folder inside an input folder is not read
    assert [(p.read_bytes(), p.stat().st_mtime_ns) for p in paths] == before
    assert outputs(tmp_path / "out") == ["a.checked.xlsx", "b.checked.xlsm",
                                                                   "b.checked.xlsx", "summary.xlsx"]


def test_english_labels(make_sheet, tmp_path):
    doc, _ = check(make_sheet("e.xlsx"), out=tmp_path / "out", args=("--lang", "en"))
    wb = load(doc["files"][0]["output"])
    assert wb.sheetnames[-2:] == ["Summary", "Findings"] and wb.active.title == "Summary"
    assert wb["Findings"]["B1"].value == "Severity" and wb["Findings"]["B2"].value == "warning"
    assert wb["评分表"]["H9"].comment.text.startswith("perfeval review: 1 finding(s)")
    assert load(tmp_path / "out" / "summary.xlsx").sheetnames == ["Files", "Findings"]


def test_our_sheets_never_replace_an_original_sheet_of_the_same_name(make_sheet, tmp_path):
    src = make_sheet("s.xlsx")
    wb = openpyxl.load_workbook(src)
    wb.create_sheet("汇总")["A1"] = "原有的汇总表"
    wb.save(src)
    doc, _ = check(src, out=tmp_path / "out")
    out = load(doc["files"][0]["output"])
    assert out.sheetnames == ["评分表", "汇总", "汇总(2)", "复核结果"]
    assert out["汇总"]["A1"].value == "原有的汇总表" and out.active.title == "汇总(2)"


@pytest.mark.filterwarnings("ignore:Data Validation extension")    # the test's own load of the input
def test_what_openpyxl_cannot_read_is_still_carried_over(make_sheet, tmp_path):
    src = xlsx_parts.excel_extras(make_sheet("x.xlsx", layout="formulas"), tmp_path / "excel.xlsx")
    doc, _ = check(src, out=tmp_path / "out")
    (f,) = doc["files"]
    assert f["total"]["entered"] == 81               # the formulas are still read
    wb = load(f["output"])
    notes = next(r[1].value for r in wb["汇总"].iter_rows() if r[0].value == "未能保留的原文件内容")
    assert notes.startswith("无")
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(f["output"]) as b:
        before, after = a.read("xl/worksheets/sheet1.xml"), b.read("xl/worksheets/sheet1.xml")
    formula = re.compile(rb'<c r="(\w+)"[^>]*><f>([^<]*)</f>')
    assert xlsx_parts.X14_VALIDATION in after and formula.findall(after) == formula.findall(before) != []
