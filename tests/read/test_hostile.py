"""Bad input: each file is `unreadable` with a one-line Chinese reason, never a traceback; the batch
goes on; no input file is written."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from perfeval.catalogue import say, working_text
from seedbook import Changes, build

from workbooks import digest
from checking import check_one

CHINESE = re.compile(r"[\u4e00-\u9fff]")
_LOL = "".join(f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1) if i > 1 else "lol") * 10}">' for i in range(1, 10))
BOMB_DTD = f'<!DOCTYPE lolz [<!ENTITY lol "lol">{_LOL}]>'


def _rezip(src: Path, dst: Path, part: str, change) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info, change(data) if info.filename == part else data)
    return dst


def _bomb(prolog_padding: int, part: str = "xl/worksheets/sheet1.xml"):
    def change(data: bytes) -> bytes:
        body = re.sub(rb"^<\?xml[^>]*\?>", b"", data)
        padding = ("<!--" + "x" * prolog_padding + "-->") if prolog_padding else ""
        body = body.replace(b"<sheetData>", b"<sheetData><row r=\"999\"><c r=\"A999\" t=\"inlineStr\"><is><t>"
                            b"&lol9;</t></is></c></row>", 1) if b"<sheetData>" in body else body
        return (f'<?xml version="1.0" encoding="UTF-8"?>{padding}{BOMB_DTD}').encode() + body
    return part, change


def make_truncated(tmp: Path, seed: Path) -> Path:
    data = seed.read_bytes()
    (tmp / "truncated.xlsx").write_bytes(data[: len(data) // 2])
    return tmp / "truncated.xlsx"


def make_csv(tmp: Path, seed: Path) -> Path:
    path = tmp / "renamed_csv.xlsx"
    path.write_text("一级指标,二级指标,三级指标,权重,评分\n决策,项目立项,立项依据充分性,3,3\n", encoding="utf-8")
    return path


def make_empty(tmp: Path, seed: Path) -> Path:
    (tmp / "empty.xlsx").write_bytes(b"")
    return tmp / "empty.xlsx"


def make_encrypted(tmp: Path, seed: Path) -> Path:
    path = tmp / "encrypted.xlsx"
    with seed.open("rb") as plain, path.open("wb") as out:
        OOXMLFile(plain).encrypt("密码123", out)
    return path


def make_no_table(tmp: Path, seed: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "2019年度项目支出明细"
    wb.active.append(["项目", "金额"])
    wb.active.append(["金审工程二期", 460])
    wb.save(tmp / "no_table.xlsx")
    return tmp / "no_table.xlsx"


def make_not_a_workbook_zip(tmp: Path, seed: Path) -> Path:
    with zipfile.ZipFile(tmp / "other_zip.xlsx", "w") as zf:
        zf.writestr("readme.txt", "不是工作簿")
    return tmp / "other_zip.xlsx"


def make_bomb(tmp: Path, seed: Path) -> Path:
    return _rezip(seed, tmp / "bomb.xlsx", *_bomb(0))


def make_bomb_behind_comment(tmp: Path, seed: Path) -> Path:
    """The DOCTYPE after a long comment: past any quick look at the first bytes of the part."""
    return _rezip(seed, tmp / "bomb_late.xlsx", *_bomb(20000))


def make_bomb_in_styles(tmp: Path, seed: Path) -> Path:
    return _rezip(seed, tmp / "bomb_styles.xlsx", "xl/styles.xml",
                  lambda data: (f'<?xml version="1.0"?><!--{"y" * 9000}-->{BOMB_DTD}').encode()
                  + re.sub(rb"^<\?xml[^>]*\?>", b"", data))


def make_damaged_part(tmp: Path, seed: Path) -> Path:
    return _rezip(seed, tmp / "damaged.xlsx", "xl/worksheets/sheet1.xml", lambda data: data[: len(data) // 3])


HOSTILE = {
    "truncated": make_truncated, "renamed_csv": make_csv, "empty": make_empty, "encrypted": make_encrypted,
    "no_table": make_no_table, "other_zip": make_not_a_workbook_zip, "bomb": make_bomb,
    "bomb_behind_comment": make_bomb_behind_comment, "bomb_in_styles": make_bomb_in_styles,
    "damaged_part": make_damaged_part,
}


@pytest.fixture
def seed(tmp_path) -> Path:
    return build(tmp_path / "seed" / "seed.xlsx", Changes())


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_unreadable_with_one_line_chinese_reason(tmp_path, seed, kind, monkeypatch):
    path = HOSTILE[kind](tmp_path, seed)
    before = digest(path)
    monkeypatch.chdir(tmp_path)             # a short path, so no detail is cut before its line break
    result = check_one(path.name)
    assert result.status == "unreadable"
    assert say(result.error) and "\n" not in say(result.error) and "\r" not in say(result.error)
    assert CHINESE.search(say(result.error)), say(result.error)
    assert "Traceback" not in say(result.error) and "内部错误" not in say(result.error), say(result.error)
    assert result.findings == ()
    assert digest(path) == before


def test_reasons_say_what_is_wrong(tmp_path, seed):
    reason = {kind: say(check_one(make(tmp_path, seed)).error) for kind, make in HOSTILE.items()}
    assert "加密" in reason["encrypted"]
    assert "空" in reason["empty"]
    assert "损坏" in reason["truncated"] or "不完整" in reason["truncated"]
    assert "CSV" in reason["renamed_csv"] or "不是" in reason["renamed_csv"]
    assert "评分表" in reason["no_table"]
    assert "损坏" in reason["damaged_part"]
    for kind in ("bomb", "bomb_behind_comment", "bomb_in_styles"):
        assert "实体" in reason[kind], reason[kind]


def _cli(*args: str) -> subprocess.CompletedProcess:
    code = "import sys; from perfeval.cli import main; sys.exit(main())"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          encoding="utf-8")


def test_batch_goes_on_and_exits_2(tmp_path, seed):
    folder = tmp_path / "inbox"
    folder.mkdir()
    good = build(folder / "01_good.xlsx", Changes())
    bad = [HOSTILE[kind](folder, seed) for kind in sorted(HOSTILE)]
    later_good = build(folder / "zz_good.xlsx", Changes())
    hashes = {p: digest(p) for p in [good, later_good, *bad]}

    run = _cli("check", str(folder), "--format", "json")
    assert run.returncode == 2
    assert "Traceback" not in run.stdout + run.stderr
    doc = json.loads(run.stdout)
    status = {Path(f["path"]).name: f["status"] for f in doc["files"]}
    assert status["01_good.xlsx"] == status["zz_good.xlsx"] == "flagged"
    assert all(status[p.name] == "unreadable" for p in bad)
    assert len(doc["files"]) == len(bad) + 2
    assert {p: digest(p) for p in hashes} == hashes

    text = _cli("check", str(folder))
    assert text.returncode == 2
    assert "Traceback" not in text.stdout + text.stderr
    for p in bad:
        (line,) = [ln for ln in text.stdout.splitlines() if ln.startswith(f"{p}:")]
        assert "[unreadable]" in line and CHINESE.search(line)
    assert {p: digest(p) for p in hashes} == hashes


def test_parallel_batch_gives_the_same(tmp_path, seed):
    folder = tmp_path / "inbox"
    folder.mkdir()
    build(folder / "good.xlsx", Changes())
    for kind in ("truncated", "encrypted", "bomb"):
        HOSTILE[kind](folder, seed)
    serial = json.loads(_cli("check", str(folder), "--format", "json").stdout)
    parallel = _cli("check", str(folder), "--format", "json", "--jobs", "3")
    assert parallel.returncode == 2
    assert json.loads(parallel.stdout) == serial
