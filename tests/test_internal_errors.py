"""Issue 15, failure 1 and item 6: a crash of the writer or of one file never poisons the output folder.
The campaign met a report writer that crashed on one result after the ledger had recorded it, so every
later run into that folder crashed again, with exit code 1 like "error findings". Now a result is final
in the ledger only once the report took it, an internal error is never final, summary.xlsx left stale
by a crash is rewritten by the next run, and an internal error exits with 3 and one line.

The bugs are planted with monkeypatch (a bug of ours cannot be provoked by a workbook once it is fixed);
the workbooks are real."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from perfeval import cli
from perfeval.batch import commands, ledger as ledgers
from perfeval.score import recompute
from perfeval.write import formats, summary
from seedbook import Changes, build


@pytest.fixture
def inbox(tmp_path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    build(d / "a.xlsx", Changes())
    build(d / "b_bug.xlsx", Changes(total="80"))
    build(d / "c.xlsx", Changes())
    return d


def _check(inbox: Path, out: Path | None, fmt: str = "json") -> tuple[int, str]:
    stdout = io.StringIO()
    code = commands.check([inbox], out, stdout, fmt, jobs=1)
    return code, stdout.getvalue()


def _plant_bug_in_recompute(monkeypatch):
    real = recompute.run

    def buggy(sheet, rubric):
        if sheet.path.endswith("b_bug.xlsx"):
            raise KeyError("planted bug")
        return real(sheet, rubric)
    monkeypatch.setattr(recompute, "run", buggy)


def test_an_internal_error_on_one_file_exits_3_and_the_batch_goes_on(inbox, tmp_path, monkeypatch):
    _plant_bug_in_recompute(monkeypatch)
    code, text = _check(inbox, tmp_path / "out")
    files = {Path(f["path"]).name: f for f in json.loads(text)["files"]}
    assert code == 3
    assert files["b_bug.xlsx"]["status"] == "unreadable" and "内部错误" in files["b_bug.xlsx"]["error"]
    assert "\n" not in files["b_bug.xlsx"]["error"]
    assert files["a.xlsx"]["status"] == files["c.xlsx"]["status"] == "flagged"
    with ledgers.Ledger(tmp_path / "out" / "perfeval.db") as db:
        assert sorted(Path(r.path).name for r in db.results()) == ["a.xlsx", "c.xlsx"]   # never final
    monkeypatch.undo()
    code, text = _check(inbox, tmp_path / "out")
    assert code == 1 and all(f["status"] == "flagged" for f in json.loads(text)["files"])


def test_a_writer_crash_on_one_result_never_poisons_the_folder(inbox, tmp_path, monkeypatch):
    real = formats.file_dict

    def buggy(r, lang):
        if r.path.endswith("b_bug.xlsx") and not r.internal:
            raise ValueError("planted writer bug")
        return real(r, lang)
    monkeypatch.setattr(formats, "file_dict", buggy)
    code, text = _check(inbox, tmp_path / "out")
    files = {Path(f["path"]).name: f for f in json.loads(text)["files"]}     # still one valid document
    assert code == 3 and "内部错误" in files["b_bug.xlsx"]["error"] and len(files) == 3
    monkeypatch.undo()
    for _ in range(2):                          # the next runs complete, and the file is really checked
        code, text = _check(inbox, tmp_path / "out")
        files = {Path(f["path"]).name: f for f in json.loads(text)["files"]}
        assert code == 1 and files["b_bug.xlsx"]["status"] == "flagged"


def test_a_crash_writing_the_summary_exits_3_and_the_next_run_rewrites_it(inbox, tmp_path, monkeypatch):
    out = tmp_path / "out"
    runner = CliRunner()
    first = runner.invoke(cli.main, ["check", str(inbox), "--out", str(out), "--jobs", "1"])
    assert first.exit_code == 1 and (out / "summary.xlsx").exists()
    build(inbox / "d.xlsx", Changes(total="79"))

    def broken(*args, **kwargs):
        raise RuntimeError("planted summary bug")
    monkeypatch.setattr(summary, "write", broken)
    crashed = runner.invoke(cli.main, ["check", str(inbox), "--out", str(out), "--jobs", "1"])
    assert crashed.exit_code == 3
    assert "Traceback" not in crashed.output
    assert [line for line in crashed.output.splitlines() if "内部错误" in line] == [
        "perfeval: 内部错误（RuntimeError: planted summary bug），请报告给维护人员"]
    monkeypatch.undo()
    before = (out / "summary.xlsx").stat().st_mtime_ns
    again = runner.invoke(cli.main, ["check", str(inbox), "--out", str(out), "--jobs", "1"])
    assert again.exit_code == 1
    assert (out / "summary.xlsx").stat().st_mtime_ns != before     # nothing new to check, yet rewritten
    import openpyxl
    names = [row[0] for row in openpyxl.load_workbook(out / "summary.xlsx").worksheets[0].iter_rows(values_only=True)]
    assert any("d.xlsx" in str(n) for n in names)
