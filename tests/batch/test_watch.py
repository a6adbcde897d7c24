"""perfeval watch, driven for real: files dropped while it runs, lock files, reruns of --once."""
import os
import signal
import sqlite3
import subprocess
import sys
import time

from click.testing import CliRunner

from perfeval.batch.inbox import Inbox
from perfeval.batch.watch import run_once
from perfeval.cli import main


def _age(folder, seconds=30):
    t = time.time() - seconds
    for p in folder.rglob("*"):
        os.utime(p, (t, t))


def _rows(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT path, status FROM checks").fetchall()
    except sqlite3.OperationalError:            # the ledger is there but its schema not yet written
        return []
    finally:
        con.close()


def _wait_for(predicate, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_a_file_copied_in_two_halves_is_checked_once_complete(make_sheet, tmp_path):
    whole = make_sheet("src/a.xlsx").read_bytes()
    inbox, outbox = tmp_path / "inbox", tmp_path / "outbox"
    (inbox / "sub").mkdir(parents=True)
    proc = subprocess.Popen([sys.executable, "-m", "perfeval", "watch", str(inbox), "--out", str(outbox),
                             "--settle", "1", "--jobs", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        target = inbox / "sub" / "a.xlsx"
        with open(target, "wb") as fh:
            fh.write(whole[: len(whole) // 2])
            fh.flush()
            (inbox / "sub" / "~$a.xlsx").write_bytes(b"lock")       # Excel's lock file beside it
            time.sleep(2.5)                                          # longer than the settle interval
            fh.write(whole[len(whole) // 2:])
        assert _wait_for(lambda: (outbox / "perfeval.db").exists() and _rows(outbox / "perfeval.db"))
        time.sleep(2)                                                # give it the chance to do it twice
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert _rows(outbox / "perfeval.db") == [(str(target), "flagged")]
    lines = [line for line in out.splitlines() if "a.xlsx" in line]
    assert len(lines) == 1 and "有问题" in lines[0] and "81→80.86" in lines[0]
    assert (outbox / "sub" / "a.checked.xlsx").exists()
    assert (outbox / "summary.xlsx").exists()
    assert not any("~$" in p.name for p in outbox.rglob("*"))
    assert "Traceback" not in err


def test_once_processes_what_is_there_and_a_rerun_writes_nothing(make_sheet, tmp_path):
    make_sheet("inbox/a.xlsx")
    make_sheet("inbox/b.xlsx", scores={"预算执行率": 2.5})
    (tmp_path / "inbox" / "~$a.xlsx").write_bytes(b"lock")
    _age(tmp_path / "inbox")
    before_inbox = {p: p.read_bytes() for p in (tmp_path / "inbox").iterdir()}
    outbox = tmp_path / "outbox"
    first = CliRunner().invoke(main, ["watch", str(tmp_path / "inbox"), "--out", str(outbox), "--once"])
    assert first.exit_code == 0, first.output
    assert len([line for line in first.output.splitlines() if ".xlsx" in line]) == 2
    assert sorted(p.name for p in outbox.iterdir() if not p.name.startswith("perfeval.db")) == \
        ["a.checked.xlsx", "b.checked.xlsx", "summary.xlsx"]
    stamps = {p: p.stat().st_mtime_ns for p in outbox.iterdir()}
    time.sleep(0.05)
    second = CliRunner().invoke(main, ["watch", str(tmp_path / "inbox"), "--out", str(outbox), "--once"])
    assert second.exit_code == 0 and ".xlsx" not in second.output
    assert {p: p.stat().st_mtime_ns for p in outbox.iterdir()} == stamps
    assert {p: p.read_bytes() for p in (tmp_path / "inbox").iterdir()} == before_inbox


def test_once_waits_for_files_just_copied_in_and_checks_them(make_sheet, tmp_path):
    make_sheet("inbox/a.xlsx")                                       # just written: not yet settled
    outbox = tmp_path / "outbox"
    run = CliRunner().invoke(main, ["watch", str(tmp_path / "inbox"), "--out", str(outbox), "--once",
                                    "--settle", "1"])
    assert run.exit_code == 0, run.output
    waiting, checked = run.output.splitlines()
    assert "1 个文件刚放入，等待其复制完成" in waiting
    assert "a.xlsx" in checked and "有问题" in checked
    assert (outbox / "a.checked.xlsx").exists()


def test_once_says_which_files_it_leaves_for_the_next_run_and_why(make_sheet, tmp_path):
    whole = make_sheet("inbox/whole.xlsx")
    (tmp_path / "inbox" / "half.xlsx").write_bytes(whole.read_bytes()[:2000])      # a copy cut short
    _age(tmp_path / "inbox", 5)
    outbox = tmp_path / "outbox"
    run = CliRunner().invoke(main, ["watch", str(tmp_path / "inbox"), "--out", str(outbox), "--once",
                                    "--settle", "1", "--lang", "en"])
    assert run.exit_code == 0, run.output
    lines = run.output.splitlines()
    assert len(lines) == 2 and "whole.xlsx" in lines[0]
    assert lines[1].endswith("half.xlsx: not a complete workbook yet (perhaps still being copied); left for the next run")
    assert not (outbox / "half.checked.xlsx").exists()


def test_once_gives_up_on_a_file_that_keeps_changing(make_sheet, tmp_path):
    """A copy still running when --once has waited long enough is named and left; the wait is bounded."""
    path = make_sheet("inbox/a.xlsx")
    box = Inbox(tmp_path / "inbox", settle=10)
    slept, said, done = [], [], []

    def sleep(seconds):                     # the file changes again while --once waits
        slept.append(seconds)
        os.utime(path, ns=(time.time_ns(), time.time_ns() + len(slept) * 1000))

    left = run_once(box, lambda paths, stopped: done.extend(paths), said.append, "zh", sleep, patience=25)
    assert done == [] and [w.path for w in left] == [path] and left[0].reason == "young"
    assert sum(slept) <= 25
    assert said[0].startswith("1 个文件刚放入") and said[-1] == f"{path}：仍在复制（大小或修改时间仍在变化），留待下次处理"


def test_outbox_inside_inbox_is_a_usage_error(tmp_path):
    run = CliRunner().invoke(main, ["watch", str(tmp_path), "--out", str(tmp_path / "out"), "--once"])
    assert run.exit_code == 2 and "不能" in run.output
