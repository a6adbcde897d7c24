"""The annotated copy is the original package, edited: on a corpus of real-looking workbooks (drawings,
settings, comments old and threaded, custom XML, macros, LibreOffice- and WPS-made, signed), every part
the annotation has no reason to change is byte-identical, every original sheet keeps every value,
formula, merge and style, and the copy opens (openpyxl, python-calamine, LibreOffice headless)."""
from __future__ import annotations

import json
import posixpath
import re
import shutil
import zipfile
from copy import copy
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
import python_calamine
from click.testing import CliRunner

import corpus
from perfeval.cli import main
from perfeval.write import package

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# parts every annotation changes: the sheet list, formats, content types, the list of titles
ALWAYS = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
          "docProps/app.xml"}


@pytest.fixture(scope="module")
def annotated(tmp_path_factory) -> dict[str, tuple[Path, dict]]:
    """name -> (original, its JSON entry) for the whole corpus, checked in one run."""
    root = tmp_path_factory.mktemp("corpus")
    built = {}
    for name, builder in corpus.BUILDERS.items():
        folder = root / name
        folder.mkdir()
        path = builder(folder / f"{name}.{'xlsm' if name == 'xlsm' else 'xlsx'}")
        if path is not None:
            built[name] = path
    run = CliRunner().invoke(main, ["check", *map(str, built.values()), "--out", str(root / "out"),
                                    "--format", "json", "--jobs", "1"])
    assert run.exit_code in (0, 1), run.output
    entries = {Path(f["path"]).resolve(): f for f in json.loads(run.stdout)["files"]}
    return {name: (path, entries[path.resolve()]) for name, path in built.items()}


def _xml(zf: zipfile.ZipFile, name: str):
    return ElementTree.fromstring(zf.read(name))


def _parts_of_sheet(zf: zipfile.ZipFile, title: str) -> tuple[str, set[str]]:
    """The worksheet part of sheet `title` and the parts its relationships point to (comments, VML)."""
    rels = {r.get("Id"): r.get("Target") for r in _xml(zf, "xl/_rels/workbook.xml.rels")}
    sheet = next(s for s in _xml(zf, "xl/workbook.xml").iter(f"{MAIN}sheet") if s.get("name") == title)
    part = _resolve("xl/workbook.xml", rels[sheet.get(R_ID)])
    rels_part = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    linked = {rels_part}
    if rels_part in zf.namelist():
        linked |= {_resolve(part, r.get("Target")) for r in _xml(zf, rels_part) if r.get("TargetMode") != "External"}
    return part, linked


def _resolve(source: str, target: str) -> str:
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _selected(zf: zipfile.ZipFile) -> set[str]:
    """Sheet parts whose tab is selected."""
    return {n for n in zf.namelist() if re.fullmatch(r"xl/(work|chart)sheets/[^/]+\.xml", n)
            and re.search(rb'<(?:\w+:)?sheetView\b[^>]*tabSelected="(?:1|true)"', zf.read(n))}


@pytest.mark.parametrize("name", list(corpus.BUILDERS))
def test_untouched_parts_are_byte_identical(annotated, name):
    if name not in annotated:
        pytest.skip("LibreOffice (soffice) is not installed: no LibreOffice-made workbook to test")
    src, entry = annotated[name]
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(entry["output"]) as b:
        sheet, linked = _parts_of_sheet(a, entry["sheet"])
        changeable = ALWAYS | {sheet} | linked | _selected(a)
        if name == "signed":
            changeable |= {"_rels/.rels"}
        kept = [n for n in a.namelist() if n not in changeable and not n.startswith("_xmlsignatures/")]
        assert kept and all(a.read(n) == b.read(n) for n in kept), [n for n in kept if a.read(n) != b.read(n)]
        assert set(a.namelist()) - set(b.namelist()) == {n for n in a.namelist() if n.startswith("_xmlsignatures/")}
        for n in kept:        # copied as they were stored, not compressed again
            assert a.getinfo(n).compress_size == b.getinfo(n).compress_size, n


def _cell_state(c) -> tuple:
    styles = [copy(s) for s in (c.font, c.border, c.alignment, c.protection)]
    return (c.value, c.data_type, c.number_format, *styles, c.hyperlink and c.hyperlink.target,
            c.hyperlink and c.hyperlink.location)


@pytest.mark.parametrize("name", list(corpus.BUILDERS))
def test_every_original_sheet_keeps_values_formulas_merges_and_styles(annotated, name):
    if name not in annotated:
        pytest.skip("LibreOffice (soffice) is not installed: no LibreOffice-made workbook to test")
    src, entry = annotated[name]
    keep_vba = name == "xlsm"
    before = openpyxl.load_workbook(src, rich_text=True, keep_vba=keep_vba)
    after = openpyxl.load_workbook(entry["output"], rich_text=True, keep_vba=keep_vba)
    assert after.sheetnames[:len(before.sheetnames)] == before.sheetnames
    marked = {f["cell"] for f in entry["findings"] if f["severity"] != "info"}
    for title in before.sheetnames:
        a, b = before[title], after[title]
        assert (a.max_row, a.max_column) == (b.max_row, b.max_column)
        for row_a, row_b in zip(a.iter_rows(), b.iter_rows()):
            for x, y in zip(row_a, row_b):
                assert _cell_state(x) == _cell_state(y), (title, x.coordinate)
                if not (title == entry["sheet"] and x.coordinate in marked):
                    assert copy(x.fill) == copy(y.fill), (title, x.coordinate)
        assert sorted(map(str, a.merged_cells.ranges)) == sorted(map(str, b.merged_cells.ranges))
        assert (a.print_area, a.print_title_rows, a.freeze_panes) == (b.print_area, b.print_title_rows,
                                                                      b.freeze_panes)
    assert {n: d.attr_text for n, d in before.defined_names.items()} == \
           {n: d.attr_text for n, d in after.defined_names.items()}
    with python_calamine.CalamineWorkbook.from_path(str(src)) as a, \
            python_calamine.CalamineWorkbook.from_path(entry["output"]) as b:
        for title in before.sheetnames:
            assert a.get_sheet_by_name(title).to_python() == b.get_sheet_by_name(title).to_python(), title


def test_the_copies_open_in_libreoffice(annotated, tmp_path):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    copies = [Path(entry["output"]) for _, entry in annotated.values()]
    corpus.run_soffice(copies, "csv", tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(c.with_suffix(".csv").name for c in copies)
    assert all((tmp_path / c.with_suffix(".csv").name).stat().st_size > 1000 for c in copies)


def notes(entry) -> str:
    return "\n".join(entry.get("output_notes", []))


def test_what_cannot_simply_be_carried_is_stated(annotated):
    assert "数字签名" in notes(annotated["signed"][1])
    assert "结构保护" in notes(annotated["settings"][1])
    assert "G6" in notes(annotated["settings"][1]) and "原批注全文保留" in notes(annotated["settings"][1])
    assert "条件格式" in notes(annotated["settings"][1])
    assert "新式批注" in notes(annotated["threaded"][1])
    for name in ("drawings", "custom_xml", "xlsm", "wps"):
        assert "output_notes" not in annotated[name][1], name
    wb = openpyxl.load_workbook(annotated["signed"][1]["output"])
    summary = {r[0].value: r[1].value for r in wb["汇总"].iter_rows() if r[0].value}
    assert "数字签名" in summary["未能保留的原文件内容"] and "数字签名" in summary["复核副本说明"]


def test_a_threaded_comment_is_left_alone_and_the_cell_still_marked(annotated):
    src, entry = annotated["threaded"]
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(entry["output"]) as b:
        assert a.read("xl/threadedComments/threadedComment1.xml") == b.read("xl/threadedComments/threadedComment1.xml")
    ws = openpyxl.load_workbook(entry["output"])["评分表"]
    assert ws["G6"].comment.text.startswith("[线程批注]") and ws["G6"].fill.fgColor.rgb == "00FFC7CE"
    assert ws["H9"].comment.author == "perfeval"


def test_the_copy_opens_on_its_summary_and_only_that_tab_is_selected(annotated):
    src, entry = annotated["settings"]
    wb = openpyxl.load_workbook(entry["output"])
    assert wb.sheetnames == ["评分表", "附表", "汇总", "复核结果"] and wb.active.title == "汇总"
    assert [ws.title for ws in wb.worksheets if ws.sheet_view.tabSelected] == ["汇总"]
    assert wb.security.lockStructure
    assert wb["复核结果"].print_title_rows.replace("$", "") == "1:1"


def test_a_strict_ooxml_package_is_refused_with_its_reason(tmp_path):
    src = corpus.build(tmp_path / "s.xlsx", corpus.FLAWED)
    strict = corpus.xlsx_parts.rewrite(src, tmp_path / "strict.xlsx", lambda name, data: None if name == "" else
                                       data.replace(b"http://schemas.openxmlformats.org/officeDocument/2006/"
                                                    b"relationships/officeDocument",
                                                    b"http://purl.oclc.org/ooxml/officeDocument/relationships/"
                                                    b"officeDocument"))
    with pytest.raises(package.Refused) as refused:
        package.Package(strict)
    assert refused.value.key == "copy.strict"
