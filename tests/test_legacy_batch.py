"""The .xls sample through the batch commands: `check --out`, `watch --once` and `rollup` find it in a
folder, check it like the .xlsx it was saved from, and name the user's file (never a temporary one)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from perfeval.cli import main

SAMPLES = Path(__file__).resolve().parents[1] / "sample_workbooks"
XLS = SAMPLES / "11_金审工程二期_旧版格式.xls"


def test_check_watch_and_rollup_take_the_xls(tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "财政局").mkdir(parents=True)
    shutil.copy(XLS, inbox / "财政局" / "旧表.xls")
    shutil.copy(XLS, inbox / "财政局" / "wps表.et")
    before = XLS.read_bytes()
    run = CliRunner().invoke(main, ["check", str(inbox), "--out", str(tmp_path / "out"), "--format", "json"])
    doc = json.loads(run.stdout)
    assert [(Path(f["path"]).name, f["status"], f["total"]["recomputed"]) for f in doc["files"]] == [
        ("wps表.et", "flagged", 80.86), ("旧表.xls", "flagged", 80.86)]
    assert sorted(p.name for p in (tmp_path / "out").glob("*.checked.*")) == ["wps表.checked.xlsx", "旧表.checked.xlsx"]
    files = openpyxl.load_workbook(tmp_path / "out" / "summary.xlsx").worksheets[0]
    assert any("旧表.xls" in str(c.value) for row in files.iter_rows() for c in row)

    watched = CliRunner().invoke(main, ["watch", str(inbox), "--out", str(tmp_path / "outbox"), "--once",
                                        "--settle", "0"])
    assert watched.exit_code == 0, watched.output
    assert (tmp_path / "outbox" / "财政局" / "旧表.checked.xlsx").exists()
    assert (tmp_path / "outbox" / "财政局" / "wps表.checked.xlsx").exists()

    rolled = CliRunner().invoke(main, ["rollup", str(inbox), "--out", str(tmp_path / "rollup.xlsx")])
    assert rolled.exit_code == 0, rolled.output
    assert "汇总 1 个项目" in rolled.output and "无法读取 0 个文件" in rolled.output      # the .et: a duplicate
    assert XLS.read_bytes() == before
