"""Issue 15, failure 7: what a folder holds besides files. Built from the campaign's files: a FIFO named
x.xlsx in a checked folder hung the whole batch forever; a link to /dev/zero was reported as 文件为空;
a symbolic link in a drop folder was followed wherever it pointed, so anyone who could write to the
inbox could make perfeval publish the annotated copy of a workbook elsewhere on the server."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from perfeval import files, pipeline
from perfeval.catalogue import say
from seedbook import Changes, build
from checking import check_one


def _check(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    # the timeout only keeps a regression from hanging the suite; it asserts nothing about speed
    return subprocess.run([sys.executable, "-m", "perfeval", "check", *args, "--format", "json", "--jobs", "1"],
                          capture_output=True, text=True, timeout=300, cwd=cwd)


@pytest.fixture
def folder(tmp_path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    build(d / "a.xlsx", Changes())
    return d


def test_a_fifo_in_a_folder_is_skipped_and_the_batch_goes_on(folder):
    os.mkfifo(folder / "x.xlsx")
    build(folder / "z.xlsx", Changes())
    run = _check(str(folder))
    entries = {Path(f["path"]).name: f for f in json.loads(run.stdout)["files"]}
    assert entries["x.xlsx"]["status"] == "skipped" and "命名管道" in entries["x.xlsx"]["error"]
    assert entries["z.xlsx"]["status"] in ("ok", "flagged")


def test_a_fifo_with_out_never_blocks_the_ledger(folder, tmp_path):
    os.mkfifo(folder / "x.xlsx")
    run = _check(str(folder), "--out", str(tmp_path / "out"))
    assert run.returncode in (0, 1), run.stderr
    assert {Path(f["path"]).name: f["status"] for f in json.loads(run.stdout)["files"]}["x.xlsx"] == "skipped"


def test_a_socket_and_a_device_are_not_regular_files(tmp_path):
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "s.xlsx"))
    try:
        assert "套接字" in say(files.not_regular(tmp_path / "s.xlsx"))
    finally:
        sock.close()
    assert "字符设备" in say(files.not_regular(Path("/dev/zero")))
    assert files.not_regular(tmp_path / "missing.xlsx") is None


def test_a_link_to_dev_zero_in_a_folder_is_not_followed(folder):
    (folder / "zero.xlsx").symlink_to("/dev/zero")
    assert [p.name for p in files.expand([folder])] == ["a.xlsx"]


def test_a_link_named_on_the_command_line_is_followed(folder, tmp_path):
    (tmp_path / "zero.xlsx").symlink_to("/dev/zero")
    result = check_one(tmp_path / "zero.xlsx")
    assert result.status == "skipped" and "字符设备" in say(result.error)
    (tmp_path / "link.xlsx").symlink_to(folder / "a.xlsx")
    assert check_one(tmp_path / "link.xlsx").status in ("ok", "flagged")


def test_links_inside_the_folder_are_followed_links_outside_are_not(folder, tmp_path):
    elsewhere = tmp_path / "secret"
    elsewhere.mkdir()
    build(elsewhere / "secret.xlsx", Changes())
    (folder / "out_link.xlsx").symlink_to(elsewhere / "secret.xlsx")
    (folder / "sub").mkdir()
    (folder / "sub" / "in_link.xlsx").symlink_to(folder / "a.xlsx")
    (folder / "dir_link").symlink_to(elsewhere, target_is_directory=True)
    assert sorted(p.name for p in files.expand([folder])) == ["a.xlsx", "in_link.xlsx"]
    assert sorted(p.name for p in files.walk(folder)) == ["a.xlsx", "in_link.xlsx"]


def test_watch_never_publishes_a_workbook_from_outside_the_inbox(folder, tmp_path):
    elsewhere = tmp_path / "secret"
    elsewhere.mkdir()
    build(elsewhere / "secret.xlsx", Changes())
    (folder / "leak.xlsx").symlink_to(elsewhere / "secret.xlsx")
    os.mkfifo(folder / "pipe.xlsx")
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "perfeval", "watch", str(folder), "--out", str(out), "--once",
                          "--settle", "0", "--jobs", "1"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert (out / "a.checked.xlsx").exists()
    assert not list(out.rglob("leak*")) and not list(out.rglob("pipe*"))
