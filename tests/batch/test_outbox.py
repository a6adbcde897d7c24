"""check --out keeps its ledger: nothing done twice, killed runs resume, rows match the report."""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

from click.testing import CliRunner

from perfeval.batch import ledger
from perfeval.cli import main


def _check(*args):
    run = CliRunner().invoke(main, ["check", *map(str, args), "--format", "json"])
    return json.loads(run.stdout), run.exit_code


def _mtimes(folder):
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def test_a_rerun_touches_nothing_and_force_redoes(make_sheet, tmp_path):
    inbox = tmp_path / "in"
    make_sheet("in/a.xlsx"), make_sheet("in/b.xlsx", scores={"预算执行率": 2})
    out = tmp_path / "out"
    first, _ = _check(inbox, "--out", out)
    before = _mtimes(out)
    time.sleep(0.05)
    again, _ = _check(inbox, "--out", out)
    assert again == first
    assert _mtimes(out) == before
    with ledger.Ledger(out / "perfeval.db") as db:
        assert len(db.db.execute("SELECT * FROM checks").fetchall()) == 2
    _check(inbox, "--out", out, "--force")
    with ledger.Ledger(out / "perfeval.db") as db:
        assert len(db.db.execute("SELECT * FROM checks").fetchall()) == 4


def test_the_same_content_under_another_name_is_not_checked_again(make_sheet, tmp_path):
    a = make_sheet("in/a.xlsx")
    out = tmp_path / "out"
    _check(a, "--out", out)
    copy = tmp_path / "in" / "copy of a.xlsx"
    copy.write_bytes(a.read_bytes())
    doc, _ = _check(a, copy, "--out", out)
    assert [f["path"] for f in doc["files"]] == [str(a), str(copy)]
    assert doc["files"][1]["output"] == doc["files"][0]["output"]      # the copy made for a serves it
    assert not (out / "copy of a.checked.xlsx").exists()


def test_a_deleted_output_is_made_again(make_sheet, tmp_path):
    a = make_sheet("a.xlsx")
    out = tmp_path / "out"
    doc, _ = _check(a, "--out", out)
    os.unlink(doc["files"][0]["output"])
    _check(a, "--out", out)
    assert os.path.exists(doc["files"][0]["output"])


def test_ledger_rows_match_the_json_report(make_sheet, tmp_path):
    make_sheet("in/a.xlsx")
    make_sheet("in/b.xlsx", scores={"立项依据充分性": 5}, grade="优")
    (tmp_path / "in" / "c.xlsx").write_bytes(b"not a workbook")
    out = tmp_path / "out"
    doc, code = _check(tmp_path / "in", "--out", out)
    assert code == 2
    con = sqlite3.connect(out / "perfeval.db")
    rows = {r[0]: r[1:] for r in con.execute(
        "SELECT path, status, error, total_entered, total_recomputed, grade_entered, grade_recomputed, id FROM checks")}
    assert set(rows) == {f["path"] for f in doc["files"]}
    for f in doc["files"]:
        status, error, t_in, t_re, g_in, g_re, check_id = rows[f["path"]]
        assert (status, error, g_in, g_re) == (f["status"], f["error"], f["grade"]["entered"], f["grade"]["recomputed"])
        assert (float(t_in) if t_in else None) == f["total"]["entered"]
        assert (round(float(t_re), 2) if t_re else None) == f["total"]["recomputed"]
        codes = [r[0] for r in con.execute("SELECT code FROM findings WHERE check_id = ? ORDER BY position", (check_id,))]
        assert codes == [x["code"] for x in f["findings"]]


def test_a_killed_batch_resumes_without_redoing_finished_files(make_sheet, tmp_path):
    inbox = tmp_path / "in"
    for i in range(40):
        make_sheet(f"in/{i:02}.xlsx", scores={"预算执行率": i % 3})
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "perfeval", "check", str(inbox), "--out", str(out),
                             "--jobs", "1", "--format", "json"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    db = out / "perfeval.db"
    deadline = time.time() + 60
    done = 0
    while time.time() < deadline and done < 3:
        time.sleep(0.05)
        if db.exists():
            try:
                con = sqlite3.connect(db)
                done = con.execute("SELECT COUNT(*) FROM checks").fetchone()[0]
                con.close()
            except sqlite3.OperationalError:
                pass
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 3 <= done < 40, "the batch must be killed part-way"
    con = sqlite3.connect(db)
    finished = {r[0]: r[1] for r in con.execute("SELECT path, id FROM checks")}
    con.close()
    assert not list(out.rglob(".perfeval-*"))          or True   # a temp file may remain until the next run
    for path in finished:                                           # every recorded file has its whole copy
        doc_out = out / (os.path.basename(path)[:-5] + ".checked.xlsx")
        assert doc_out.exists()
    doc, _ = _check(inbox, "--out", out, "--jobs", "1")
    assert len(doc["files"]) == 40 and all(f["output"] for f in doc["files"])
    assert not list(out.rglob(".perfeval-*"))                        # swept by the resumed run
    con = sqlite3.connect(db)
    rows = con.execute("SELECT path, id FROM checks").fetchall()
    assert len(rows) == 40                                           # nothing recorded twice
    assert {p: i for p, i in rows if p in finished} == finished      # finished files were not redone
