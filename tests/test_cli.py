"""The command-line contract of DESIGN.md §3: exit codes, JSON document, text lines, skipped files."""
from __future__ import annotations

import json
import re
import shutil

import pytest
from click.testing import CliRunner

from perfeval import catalogue
from seedbook import consistent_overall
from perfeval.cli import main

from conftest import CLEAN
from workbooks import digest

TEXT_LINE = re.compile(r"^(?P<path>.+?\.xlsx)(?::(?P<cell>[A-Z]{1,3}\d+))? \[(?P<severity>error|warning|info)\] "
                       r"(?P<code>[a-z-]+)(?: (?P<indicator>[^:]+))?: (?P<message>.+)$")


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_exit_0_without_errors(make_sheet):
    path = make_sheet(**CLEAN)
    result = run("check", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    (f,) = json.loads(result.output)["files"]
    assert f["status"] == "ok"
    assert {x["severity"] for x in f["findings"]} == {"info"}


def test_exit_0_with_warnings_only(make_sheet):
    result = run("check", str(make_sheet()))
    assert result.exit_code == 0
    assert "reason-missing" in result.output


def test_exit_1_with_an_error(make_sheet):
    result = run("check", str(make_sheet(total="83")))
    assert result.exit_code == 1
    assert "[error] total-mismatch" in result.output


def test_exit_2_beats_1(make_sheet, tmp_path):
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    result = run("check", str(make_sheet(total="83")), str(empty))
    assert result.exit_code == 2


@pytest.mark.parametrize("args", [
    ["check", "{sheet}", "--rubric", "no-such-rubric"],
    ["check", "{sheet}", "--rubric", "{tmp}/missing.toml"],
    ["check", "{tmp}/does-not-exist.xlsx"],
    ["check", "{sheet}", "--format", "yaml"],
    ["check", "{sheet}", "--lang", "fr"],
    ["check"],
    ["bogus"],
])
def test_usage_errors_exit_2(make_sheet, tmp_path, args):
    sheet = make_sheet()
    result = run(*[a.format(sheet=sheet, tmp=tmp_path) for a in args])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_unknown_rubric_names_the_known_ones(make_sheet):
    result = run("check", str(make_sheet()), "--rubric", "no-such-rubric")
    assert "no-such-rubric" in result.output and "egov-2019" in result.output


def test_json_document_shape(make_sheet):
    path = make_sheet(scores={"预算执行率": 1.95}, total="81",
                      basic_data=[("实际支出资金", 413.905), ("实际到位资金", 444.205)])
    result = run("check", str(path), "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert set(doc) == {"version", "files", "ignored"} and doc["version"] == 1 and doc["ignored"] == {}
    (f,) = doc["files"]
    assert set(f) == {"path", "status", "error", "sheet", "rubric", "project", "total", "grade", "output",
                      "findings"}
    assert f["path"] == str(path) and f["status"] == "flagged" and f["rubric"] == "egov-2019"
    assert set(f["project"]) == {"unit", "code", "name", "budget"}
    assert f["total"] == {"entered": 81, "recomputed": 80.86}
    for finding in f["findings"]:
        assert set(finding) >= {"code", "severity", "sheet", "cell", "indicator", "entered", "expected", "message"}
        assert finding["code"] in catalogue.CATALOGUE
        assert finding["severity"] == catalogue.severity_of(finding["code"]).value
        assert finding["sheet"] == "评分表"
        assert finding["cell"] is None or re.fullmatch(r"[A-Z]{1,3}\d+", finding["cell"])
        for key in ("entered", "expected"):
            assert not isinstance(finding[key], str) or finding["code"] in (
                "score-not-numeric", "grade-mismatch", "narrative-mismatch")
    (mismatch,) = [x for x in f["findings"] if x["code"] == "formula-mismatch"]
    assert mismatch == {
        "code": "formula-mismatch", "severity": "error", "sheet": "评分表", "cell": "G16", "indicator": "预算执行率",
        "entered": 1.95, "expected": 1.86,
        "message": "按 413.905 ÷ 444.205 = 93.18% × 2 = 1.86（数据来自 基础数据!B2、基础数据!B3） 应得 1.86 分，"
                   "填报 1.95 分",
        "working": {"formula": "413.905 ÷ 444.205 = 93.18% × 2 = 1.86（数据来自 基础数据!B2、基础数据!B3）",
                    "figures": [
            {"name": "实际支出资金", "value": 413.905, "source": "基础数据!B2"},
            {"name": "实际到位资金", "value": 444.205, "source": "基础数据!B3"}]}}
    errors = [x for x in f["findings"] if x["severity"] == "error"]
    assert f["findings"][: len(errors)] == errors            # errors first


def test_json_unreadable_and_skipped_entries(tmp_path, make_sheet):
    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(make_sheet("a.xlsx"), folder / "金审二期.xlsx")
    shutil.copy(folder / "金审二期.xlsx", folder / "~$金审二期.xlsx")
    shutil.copy(folder / "金审二期.xlsx", folder / ".hidden.xlsx")
    (folder / "notes.txt").write_text("not a workbook", encoding="utf-8")
    (folder / "broken.xlsx").write_bytes(b"PK\x03\x04broken")
    hidden_dir = folder / ".cache"
    hidden_dir.mkdir()
    shutil.copy(folder / "金审二期.xlsx", hidden_dir / "copy.xlsx")
    hashes = {p: digest(p) for p in folder.rglob("*") if p.is_file()}

    result = run("check", str(folder), "--format", "json")
    assert result.exit_code == 2
    files = {f["path"].rsplit("/", 1)[-1]: f for f in json.loads(result.output)["files"]}
    assert set(files) == {"金审二期.xlsx", "~$金审二期.xlsx", ".hidden.xlsx", "broken.xlsx"}
    for name in ("~$金审二期.xlsx", ".hidden.xlsx"):
        assert files[name]["status"] == "skipped" and files[name]["findings"] == []
    assert files["broken.xlsx"]["status"] == "unreadable"
    assert files["broken.xlsx"]["error"] and "\n" not in files["broken.xlsx"]["error"]
    assert files["broken.xlsx"]["findings"] == [] and files["broken.xlsx"]["total"] == {"entered": None,
                                                                                       "recomputed": None}
    assert files["金审二期.xlsx"]["status"] == "flagged"
    assert {p: digest(p) for p in hashes} == hashes


def test_skipped_files_alone_exit_0(tmp_path, make_sheet):
    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(make_sheet(total="83"), folder / "~$locked.xlsx")
    result = run("check", str(folder), "--format", "json")
    assert result.exit_code == 0
    assert [f["status"] for f in json.loads(result.output)["files"]] == ["skipped"]


def test_text_format(make_sheet):
    path = make_sheet(scores={"立项依据充分性": 4}, total="82", grade="优",
                      narrative={"总体评价": consistent_overall()})
    result = run("check", str(path), "-v")
    assert result.exit_code == 1
    *lines, summary = result.output.rstrip("\n").split("\n")
    assert lines
    parsed = [TEXT_LINE.match(line) for line in lines]
    assert all(parsed), [line for line, m in zip(lines, parsed) if not m]
    by_code = {m["code"]: m for m in parsed}
    assert by_code["score-out-of-range"]["cell"] == "G6"
    assert by_code["score-out-of-range"]["indicator"] == "立项依据充分性"
    assert by_code["score-out-of-range"]["message"] == "评分 4 超出 0–3 分的范围"
    assert by_code["grade-mismatch"]["cell"] == "G53" and by_code["grade-mismatch"]["indicator"] is None
    assert all(m["path"] == str(path) for m in parsed)
    severities = [m["severity"] for m in parsed]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    # warnings: reason-missing, and 总体评价 still quoting 81分/良 over a table of 82/优
    assert summary == "共 1 个文件：0 个无问题，1 个有问题，0 个无法读取，0 个已跳过；错误 2 处，警告 3 处，提示 15 处"


def test_text_summary_counts_every_status(tmp_path, make_sheet):
    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(make_sheet("a.xlsx", **CLEAN), folder / "ok.xlsx")
    shutil.copy(make_sheet("b.xlsx"), folder / "warned.xlsx")
    shutil.copy(make_sheet("c.xlsx"), folder / "~$ok.xlsx")
    (folder / "empty.xlsx").write_bytes(b"")
    result = run("check", str(folder))
    assert result.exit_code == 2
    lines = result.output.rstrip("\n").split("\n")
    assert lines[-1].startswith("共 4 个文件：1 个无问题，1 个有问题，1 个无法读取，1 个已跳过；")
    assert any(line.startswith(str(folder / "empty.xlsx") + ":") and "[unreadable]" in line for line in lines)


def test_english(make_sheet):
    path = make_sheet(total="83", narrative={"总体评价": consistent_overall()})
    result = run("check", str(path), "--lang", "en")
    assert result.exit_code == 1
    assert "total entered 83, the scores add to 80.86" in result.output
    assert "score 2 is below the weight 4 but no reason is given" in result.output
    assert re.search(r"^1 files: 0 ok, 1 flagged, 0 unreadable, 0 skipped; 1 errors, 1 warnings, \d+ notes$",
                     result.output, re.M)
    for word in ("评分", "合计", "未找到", "共 1 个文件"):      # 扣分理由 may stand as the name of a source column
        assert word not in result.output
    doc = json.loads(run("check", str(path), "--lang", "en", "--format", "json").output)
    messages = [f["message"] for f in doc["files"][0]["findings"]]
    assert "total entered 83, the scores add to 80.86" in messages


def test_english_unreadable_reason_stays_chinese_but_labels_english(tmp_path):
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    result = run("check", str(empty), "--lang", "en")
    assert result.exit_code == 2
    assert f"{empty}: [unreadable] unreadable:" in result.output


def test_rules_lists_every_code():
    result = run("rules")
    assert result.exit_code == 0
    lines = result.output.strip().split("\n")
    assert len(lines) == len(catalogue.CATALOGUE)
    for line, code in zip(lines, catalogue.CATALOGUE.values()):
        name, severity, title = line.split(None, 2)
        assert (name, severity, title) == (code.code, code.severity.value, code.title["zh"])
    english = run("rules", "--lang", "en").output
    assert "the total is not the sum of the scores" in english


def test_rubric_forced_by_id_and_by_file(make_sheet):
    path = make_sheet()
    by_id = json.loads(run("check", str(path), "--format", "json", "--rubric", "egov-2019").output)
    from perfeval.rubric import templates_dir
    toml = templates_dir() / "rubrics" / "egov-2019.toml"
    by_file = json.loads(run("check", str(path), "--format", "json", "--rubric", str(toml)).output)
    assert by_id["files"][0]["rubric"] == by_file["files"][0]["rubric"] == "egov-2019"
    assert by_id["files"][0]["findings"] == by_file["files"][0]["findings"]
