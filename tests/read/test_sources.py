"""Files known by their bytes: the seed as .xls, .ods, WPS .et (LibreOffice headless makes them) and as
an encrypted .xlsx (msoffcrypto-tool) reads to the same result as the .xlsx; an OLE2 file with no
workbook, a cut-off .xls, a missing or wrong password each get their own reason."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from checking import check_one
from corpus import run_soffice
from seedbook import Changes, build

from perfeval.batch import pool
from perfeval.catalogue import say
from perfeval.files import walk
from perfeval.read import sources
from perfeval.read.sources import Password

PASSWORD = "密码-Pw9!x"
XLS_PASSWORD = "xls-Pw9"
ENCRYPT_BASIC = """
Sub Encrypt(source As String, target As String, password As String)
  Dim opening(0) As New com.sun.star.beans.PropertyValue
  opening(0).Name = "Hidden" : opening(0).Value = True
  document = StarDesktop.loadComponentFromURL(ConvertToURL(source), "_blank", 0, opening())
  Dim saving(1) As New com.sun.star.beans.PropertyValue
  saving(0).Name = "FilterName" : saving(0).Value = "MS Excel 97"
  saving(1).Name = "Password" : saving(1).Value = password
  document.storeToURL(ConvertToURL(target), saving())
  document.close(True)
End Sub
"""
ENCRYPT_MODULE = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE script:module PUBLIC '
                  '"-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">\n<script:module '
                  'xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">'
                  + escape(ENCRYPT_BASIC, {'"': "&quot;"}) + "</script:module>\n")
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Path]:
    """The seed as .xlsx, and as .xls and .ods saved by LibreOffice (one soffice run, a profile of its own)."""
    folder = tmp_path_factory.mktemp("made")
    seed = build(folder / "seed.xlsx", Changes())
    files = {"xlsx": seed}
    if shutil.which("soffice"):
        run_soffice([seed], "xls", folder / "xls")
        run_soffice([seed], "ods", folder / "ods")
        files["xls"], files["ods"] = folder / "xls" / "seed.xls", folder / "ods" / "seed.ods"
        files["encrypted_xls"] = encrypted_xls(seed, folder / "encrypted.xls", XLS_PASSWORD)
    with seed.open("rb") as plain, (folder / "encrypted.xlsx").open("wb") as out:
        OOXMLFile(plain).encrypt(PASSWORD, out)
    files["encrypted"] = folder / "encrypted.xlsx"
    return files


def encrypted_xls(source: Path, target: Path, password: str) -> Path:
    """A .xls with an opening password, saved by LibreOffice through a Basic macro in a private profile
    (soffice --convert-to cannot set a password; msoffcrypto-tool encrypts OOXML only)."""
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile"
        soffice = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless"]
        subprocess.run([*soffice, "--convert-to", "csv", "--outdir", tmp, str(source)], capture_output=True,
                       timeout=300, check=True)                   # lays out the profile, its Standard library
        (profile / "user" / "basic" / "Standard" / "Module1.xba").write_text(ENCRYPT_MODULE, encoding="utf-8")
        shutil.rmtree(profile / "user" / "pack", ignore_errors=True)
        subprocess.run([*soffice, f'macro:///Standard.Module1.Encrypt("{source}","{target}","{password}")'],
                       capture_output=True, timeout=300, check=True)
    return target


def facts(result) -> tuple:
    return (result.status, result.total_recomputed, result.grade_recomputed,
            [(f.code, f.cell, f.indicator, f.entered, f.expected) for f in result.findings])


def leftovers() -> list[str]:
    return [n for n in os.listdir(tempfile.gettempdir()) if n.startswith(f"{sources.TEMP_PREFIX}{os.getpid()}-")]


@needs_soffice
@pytest.mark.parametrize("kind", ["xls", "ods"])
def test_the_seed_saved_by_libreoffice_reads_as_the_xlsx(made, kind):
    plain = check_one(made["xlsx"])
    other = check_one(made[kind])
    assert str(other.total_recomputed) == "80.86" and other.grade_recomputed == "良"
    assert facts(other) == facts(plain)
    assert other.path == str(made[kind]) and other.sha256 == sources_digest(made[kind])
    assert leftovers() == []


def sources_digest(path: Path) -> str:
    import hashlib
    return hashlib.sha256(path.read_bytes()).hexdigest()


@needs_soffice
def test_a_wps_et_or_misnamed_file_is_known_by_its_bytes(made, tmp_path):
    et = shutil.copy(made["xls"], tmp_path / "评分表.et")
    misnamed = shutil.copy(made["xls"], tmp_path / "评分表2.xlsx")
    ods_named_xls = shutil.copy(made["ods"], tmp_path / "评分表3.xls")
    plain = facts(check_one(made["xlsx"]))
    for path in (et, misnamed, ods_named_xls):
        assert facts(check_one(path)) == plain, path
    assert sources.classify(Path(et)) == sources.XLS and sources.classify(Path(ods_named_xls)) == sources.ODS


@needs_soffice
@pytest.mark.parametrize("kind", ["xls", "ods"])
def test_a_converted_file_gets_an_annotated_xlsx_copy_that_says_so(made, tmp_path, kind):
    before = made[kind].read_bytes()
    out = tmp_path / "seed.checked.xlsx"
    (result,) = pool.check_file(made[kind], output=out)
    assert result.output == str(out) and result.output_error is None
    assert any(f".{kind}" in note and "转换" in note for note in result.output_notes)
    wb = openpyxl.load_workbook(out)
    assert {"汇总", "复核结果"} <= set(wb.sheetnames)
    summary = "\n".join(str(c.value) for row in wb["汇总"].iter_rows() for c in row if c.value)
    assert f".{kind}" in summary and "公式" in summary and "格式" in summary
    assert made[kind].read_bytes() == before                   # the original is never written
    assert wb["评分表"]["H9"].comment is not None               # the marks are there
    original = openpyxl.load_workbook(made["xlsx"])["评分表"]
    if kind == "xls":                                          # merges from calamine, widths from COLINFO
        assert {str(r) for r in wb["评分表"].merged_cells.ranges} == {str(r) for r in original.merged_cells.ranges}
        assert {c: d.width for c, d in wb["评分表"].column_dimensions.items() if d.width} == \
            {c: d.width for c, d in original.column_dimensions.items() if d.width}
    run_soffice([out], "csv", tmp_path / "csv")                # LibreOffice opens the copy
    assert (tmp_path / "csv" / "seed.checked.csv").stat().st_size > 0
    assert leftovers() == []


def test_an_encrypted_workbook_opens_with_its_password_only(made):
    plain = facts(check_one(made["xlsx"]))
    assert facts(check_one(made["encrypted"], password=Password(PASSWORD))) == plain
    without = check_one(made["encrypted"])
    wrong = check_one(made["encrypted"], password=Password("not it"))
    assert without.status == wrong.status == "unreadable"
    assert without.error.key == "reason.password_needed" and "--password" in say(without.error)
    assert wrong.error.key == "reason.password_wrong"
    assert "PERFEVAL_PASSWORD" in say(without.error, "en") and say(wrong.error) != say(without.error)
    assert leftovers() == []


def test_the_password_never_shows(made):
    assert PASSWORD not in repr(Password(PASSWORD)) and PASSWORD not in str(Password(PASSWORD))


def test_the_password_is_written_nowhere(made, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(made["encrypted"], folder / "encrypted.xlsx")
    out = tmp_path / "out"
    code = "import sys; from perfeval.cli import main; sys.exit(main())"
    runs = [subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, encoding="utf-8",
                           env={**os.environ, **env}) for args, env in [
        (["check", str(folder), "--out", str(out), "--format", "json", "--password", PASSWORD], {}),
        (["check", str(folder), "--format", "text", "-v"], {"PERFEVAL_PASSWORD": PASSWORD}),
        (["rollup", str(folder), "--out", str(tmp_path / "rollup.xlsx")], {"PERFEVAL_PASSWORD": PASSWORD}),
        (["check", "--help"], {"PERFEVAL_PASSWORD": PASSWORD})]]
    doc = json.loads(runs[0].stdout)
    assert doc["files"][0]["status"] == "flagged" and doc["files"][0]["total"]["recomputed"] == 80.86
    assert any("密码" in n for n in doc["files"][0]["output_notes"])
    for run in runs:
        assert PASSWORD not in run.stdout + run.stderr
    assert "[unreadable]" not in runs[1].stdout
    written = [p for p in [*out.rglob("*"), tmp_path / "rollup.xlsx"] if p.is_file()]
    assert written
    for path in written:
        assert PASSWORD.encode() not in path.read_bytes() and PASSWORD.encode("utf-16-le") not in path.read_bytes()
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as zf:
                assert all(PASSWORD.encode() not in zf.read(n) for n in zf.namelist()), path
    copy = openpyxl.load_workbook(out / "encrypted.checked.xlsx")      # written without a password
    assert "汇总" in copy.sheetnames


@needs_soffice
def test_other_ole2_files_get_their_own_reasons(made, tmp_path):
    data = made["xls"].read_bytes()
    not_a_workbook = tmp_path / "document.xls"       # an OLE2 file whose one stream is not a workbook
    not_a_workbook.write_bytes(data.replace("Workbook".encode("utf-16-le"), "Document".encode("utf-16-le")))
    cut = tmp_path / "cut.xls"
    cut.write_bytes(data[: len(data) // 2])
    reasons = {p.name: check_one(p).error for p in (not_a_workbook, cut)}
    assert reasons["document.xls"].key == "reason.not_a_workbook_ole"
    assert reasons["cut.xls"].key == "reason.ole_damaged" and "损坏" in say(reasons["cut.xls"])
    assert len({say(r) for r in reasons.values()}) == 2
    assert leftovers() == []


def test_the_folder_search_finds_every_workbook_format(tmp_path):
    names = ["a.xlsx", "b.xlsm", "c.xls", "d.XLS", "e.et", "f.ett", "g.ods", "h.xlsb", "i.csv", "j.doc", "~$k.xls"]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in walk(tmp_path)] == ["a.xlsx", "b.xlsm", "c.xls", "d.XLS", "e.et", "f.ett", "g.ods",
                                                "h.xlsb"]


@needs_soffice
def test_an_encrypted_xls_opens_with_its_password_only(made):
    assert sources.classify(made["encrypted_xls"]) == sources.ENCRYPTED_XLS
    assert facts(check_one(made["encrypted_xls"], password=Password(XLS_PASSWORD))) == facts(check_one(made["xlsx"]))
    assert check_one(made["encrypted_xls"]).error.key == "reason.password_needed"
    assert check_one(made["encrypted_xls"], password=Password("not it")).error.key == "reason.password_wrong"
    assert leftovers() == []


def test_a_killed_workers_temporary_folder_is_swept_by_the_next(tmp_path):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()                                                 # a process that no longer runs
    orphan = Path(tempfile.gettempdir()) / f"{sources.TEMP_PREFIX}{gone.pid}-killed"
    orphan.mkdir()
    (orphan / "converted.xlsx").write_bytes(b"left behind")
    mine = Path(tempfile.mkdtemp(prefix=f"{sources.TEMP_PREFIX}{os.getpid()}-"))     # a live process's: kept
    try:
        sources._sweep_orphans()
        assert not orphan.exists() and mine.exists()
    finally:
        shutil.rmtree(orphan, ignore_errors=True)
        shutil.rmtree(mine, ignore_errors=True)
