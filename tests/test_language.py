"""Language at the edge: with --lang en, nothing perfeval writes holds Chinese except what it quotes.

What may stay Chinese in English output (DESIGN.md §2): text quoted from the sheet and the rubric's own
names. The scan strips those — quotes “…” and "…", file paths, the sheet's names and texts (unit,
project, sheet names, 扣分理由), the rubric's indicator, group, input, keyword and grade names, the
sheet's own labels (扣分理由, 总体评价, 基础数据), package labels (01包组) and dates as written (2016年9月)
— and then asserts that no CJK character (ideographs, CJK punctuation, full-width forms) is left.
"""
from __future__ import annotations

import json
import re
import tomllib
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from perfeval import catalogue, pipeline, rubric as rubrics
from perfeval.cli import main
from perfeval.model import Phrase, Status, Working
from perfeval.score.evidence import TEXT_LABELS
from perfeval import pipeline

SAMPLES = Path(__file__).parent.parent / "sample_workbooks"
CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\uff00-\uffef]")
QUOTES = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’")
AS_WRITTEN = re.compile(r"\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?|\d+包组|包组[一二三四五六七八九十\d]+")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def quoted() -> list[str]:
    """Every name and text the English output may quote, longest first."""
    names: set[str] = {*TEXT_LABELS, "基础数据"}
    for r in rubrics.builtin():
        names |= {r.title, *(b.grade for b in r.bands), *(g.name for g in r.groups)}
        for ind in r.indicators:
            names |= {ind.name, ind.level1, ind.level2, *ind.aliases}
        for inp in r.inputs.values():
            names |= {inp.name, *inp.aliases, *inp.keywords}
    for path in (rubrics.templates_dir() / "rubrics").glob("selfeval*.toml"):    # the forms' own words
        names |= {s for s in _strings(tomllib.loads(path.read_text(encoding="utf-8"))) if len(s) > 1 and CJK.search(s)}
    samples = sorted([*SAMPLES.glob("*.xlsx"), *SAMPLES.glob("*.xls")])        # 11 is a .xls
    for result in (r for path in samples for r in pipeline.check_file(path)):
        path = Path(result.path)
        p = result.project
        names |= {str(path), path.name, path.stem, result.sheet, result.where, result.title, p.unit, p.name, p.code,
                  result.grade_entered, result.grade_recomputed}
        for i in result.indicators:
            names |= {i.name, i.level1, i.level2, i.reason}
        names |= {v for f in result.findings for v in (f.entered, f.expected) if isinstance(v, str)}   # 满分
        if path.suffix == ".xlsx":
            names |= set(openpyxl.load_workbook(path, read_only=True).sheetnames)
    return sorted((n for n in names if n), key=len, reverse=True)


def _strings(value: object):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def leftover(text: str, quoted: list[str]) -> list[str]:
    """The CJK characters of `text` outside what it may quote, each with a little context."""
    text = QUOTES.sub(" ", text)
    for name in quoted:
        text = text.replace(name, " ")
    text = AS_WRITTEN.sub(" ", text)
    return [text[max(0, m.start() - 20):m.end() + 20] for m in CJK.finditer(text)]


def test_the_scan_catches_chinese(quoted):
    assert leftover("weights add to 95 （合计）", quoted)
    assert len(leftover("figures from 表头 I3", quoted)) == 2
    assert not leftover("预算执行率: the text says “资金执行率95.18%” (H16 扣分理由)", quoted)


def test_check_text_and_json_in_english(quoted):
    text = run("check", str(SAMPLES), "--lang", "en")
    assert text.exit_code == 1
    assert leftover(text.output, quoted) == []
    doc = run("check", str(SAMPLES), "--lang", "en", "--format", "json")
    files = json.loads(doc.output)["files"]
    assert any(f["working"] for x in files for f in x["findings"])
    for value in strings(json.loads(doc.output)):
        assert leftover(value, quoted) == [], value


def strings(value: object):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def test_written_workbooks_in_english(tmp_path, quoted):
    out = tmp_path / "out"
    result = run("check", str(SAMPLES), "--lang", "en", "--out", str(out))
    assert result.exit_code == 1, result.output
    book = openpyxl.load_workbook(out / "summary.xlsx")
    assert book.sheetnames == ["Files", "Findings"]
    for ws in book:
        for row in ws.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    assert leftover(value, quoted) == [], (ws.title, value)
    copy = openpyxl.load_workbook(next(out.glob("04_*.checked.xlsx")))
    assert copy.sheetnames[-2:] == ["Summary", "Findings"]
    for ws in copy.worksheets[-2:]:
        for row in ws.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    assert leftover(value, quoted) == [], (ws.title, value)
    comments = [c.comment.text for ws in copy.worksheets[:-2] for row in ws.iter_rows() for c in row if c.comment]
    assert comments
    for text in comments:
        assert leftover(text, quoted) == [], text


def test_rollup_in_english(tmp_path, quoted):
    result = run("rollup", str(SAMPLES), "--lang", "en", "--out", str(tmp_path / "r.xlsx"),
                 "--html", str(tmp_path / "r.html"))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("rolled up ")
    assert leftover(result.output, quoted) == []
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    assert leftover(html, quoted) == []
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert "Projects" in book.sheetnames
    for ws in book:
        assert not CJK.search(ws.title)
        for row in ws.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    assert leftover(value, quoted) == [], (ws.title, value)


def test_rollup_in_chinese_by_default(tmp_path):
    result = run("rollup", str(SAMPLES), "--out", str(tmp_path / "r.xlsx"))
    assert result.output.startswith("汇总 ")
    assert "项目总表" in openpyxl.load_workbook(tmp_path / "r.xlsx").sheetnames


@pytest.mark.parametrize("content, reason", [
    (b"", "the file is empty (0 bytes)"),
    (b"PK\x03\x04 not really a zip", "the file is damaged or incomplete"),
    (b"name,score\n", "not an Excel workbook (.xlsx)"),
])
def test_unreadable_reasons_in_both_languages(tmp_path, content, reason):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    en = json.loads(run("check", str(path), "--format", "json", "--lang", "en").output)["files"][0]
    zh = json.loads(run("check", str(path), "--format", "json").output)["files"][0]
    assert en["status"] == zh["status"] == "unreadable"
    assert en["error"].startswith(reason) and not CJK.search(en["error"])
    assert CJK.search(zh["error"])


def test_skipped_reason_in_english(tmp_path):
    shutil.copy(SAMPLES / "01_金审工程二期_原表.xlsx", tmp_path / "~$locked.xlsx")
    line = run("check", str(tmp_path / "~$locked.xlsx"), "--lang", "en").output.splitlines()[0]
    assert line.endswith("[skipped] skipped: an Office lock file or a hidden file: skipped")


def test_status_enum_keeps_its_json_strings():
    assert [s.value for s in Status] == ["ok", "flagged", "unreadable", "skipped"]
    assert json.dumps(Status.FLAGGED) == '"flagged"' and f"{Status.OK}" == "ok"


def test_working_renders_in_each_language():
    w = Working((Phrase("step.expr", {"text": "413.905 ÷ 444.205 = 93.18% × 2 = 1.86"}),
                 Phrase("step.cited", {"places": ("基础数据!B2", Phrase("source.header", {"name": "预算金额",
                                                                                        "cell": "I3"}))})))
    assert catalogue.working_text(w, "zh") == "413.905 ÷ 444.205 = 93.18% × 2 = 1.86（数据来自 基础数据!B2、表头 预算金额 I3）"
    assert catalogue.working_text(w, "en") == "413.905 ÷ 444.205 = 93.18% × 2 = 1.86 (figures from 基础数据!B2, header 预算金额 I3)"


def test_every_phrase_has_both_languages():
    for key, texts in catalogue.LABELS.items():
        assert len(texts) == 2 and all(texts), key
        fields = [set(re.findall(r"{(\w+)}", t)) for t in texts]
        assert fields[0] == fields[1], key
        assert not CJK.search(QUOTES.sub("", re.sub(r"{\w+}", "", texts[1]))), key


@pytest.mark.parametrize("command", [[], ["check"], ["watch"], ["rollup"], ["rules"], ["explain"], ["template"],
                                     ["rubric"], ["rubric", "draft"], ["rubric", "check"]])
def test_help_in_english_and_back(command):
    english = CliRunner().invoke(main, [*command, "--help", "--lang", "en"])
    assert english.exit_code == 0, english.output
    assert not CJK.search(english.output.replace("基础数据", "").replace("评分标准", "")), english.output
    chinese = CliRunner().invoke(main, [*command, "--help"])       # the next run is Chinese again
    assert CJK.search(chinese.output) and chinese.output != english.output
