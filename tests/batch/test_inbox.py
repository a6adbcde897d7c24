import os
import time

from perfeval.batch.inbox import Inbox
from perfeval.files import walk as candidates


def _age(path, seconds):
    t = time.time() - seconds
    os.utime(path, (t, t))


def test_lock_hidden_and_temp_files_are_never_candidates(make_sheet, tmp_path):
    good = make_sheet("a.xlsx")
    for name in ("~$a.xlsx", ".hidden.xlsx", "b.xlsx.tmp", "notes.txt"):
        (tmp_path / name).write_bytes(good.read_bytes())
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.xlsx").write_bytes(good.read_bytes())
    assert candidates(tmp_path) == [good]


def test_a_settled_complete_file_is_taken_once(make_sheet, tmp_path):
    path = make_sheet("a.xlsx")
    _age(path, 10)
    inbox = Inbox(tmp_path, settle=2)
    assert inbox.ready() == [path]
    assert inbox.ready() == []          # same state: not again


def test_a_fresh_file_waits_for_the_settle_interval(make_sheet, tmp_path):
    path = make_sheet("a.xlsx")
    inbox = Inbox(tmp_path, settle=2)
    now = time.time()
    assert inbox.ready(now) == []
    assert inbox.ready(now + 3) == [path]


def test_a_half_copied_file_is_waited_for_not_taken(make_sheet, tmp_path):
    whole = make_sheet("src.xlsx").read_bytes()
    (tmp_path / "src.xlsx").unlink()
    half = tmp_path / "copy.xlsx"
    half.write_bytes(whole[: len(whole) // 2])
    _age(half, 10)                       # even with an old mtime (a share's clock), no zip: wait
    inbox = Inbox(tmp_path, settle=2, give_up=60)
    now = time.time()
    assert inbox.ready(now) == []
    half.write_bytes(whole)              # the rest arrives: a change observed now
    assert inbox.ready(now + 1) == []    # changed at now + 1: not yet settled
    assert inbox.ready(now + 4) == [half]


def test_a_file_that_never_becomes_a_workbook_is_taken_after_give_up(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"a,b\n1,2\n")
    inbox = Inbox(tmp_path, settle=2, give_up=30)
    now = time.time()
    assert inbox.ready(now + 5) == []
    assert inbox.ready(now + 31) == [bad]


def test_a_changed_file_is_taken_again(make_sheet, tmp_path):
    path = make_sheet("a.xlsx")
    inbox = Inbox(tmp_path, settle=2)
    now = time.time()
    assert inbox.ready(now + 3) == [path]
    make_sheet("a.xlsx", total=80)
    assert inbox.ready(now + 4) == []
    assert inbox.ready(now + 7) == [path]
