"""What a user meets first: quiet and verbose text, --select/--ignore/--severity, the config file,
`perfeval explain`. Real workbooks, the real command."""
from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from perfeval import catalogue
from perfeval.cli import main
from perfeval.write.selection import Selection

from conftest import CLEAN


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def seed(make_sheet):
    """The seed as filed: reason-missing and narrative-mismatch warnings, 13 inputs-missing and two
    other info notes, no error."""
    return make_sheet("seed.xlsx")


def test_info_findings_are_one_line_per_file_unless_verbose(seed):
    default = run("check", str(seed)).output.splitlines()
    verbose = run("check", str(seed), "-v").output.splitlines()
    assert [line for line in default if "[warning]" in line] == [line for line in verbose if "[warning]" in line]
    infos = [line for line in default if "[info]" in line]
    assert infos == [f"{seed}: [info] 提示 15 处：input-substituted 1、inputs-missing 13、total-rounded 1（加 -v 逐条列出）"]
    assert len([line for line in verbose if "[info]" in line]) == 15
    assert default[-1] == verbose[-1]


def test_a_single_code_of_notes_is_named_with_its_title(make_sheet):
    path = make_sheet(total="80.86", **CLEAN, basic_data=[("实际支出资金", 413.905)])
    lines = run("check", str(path), "--lang", "en").output.splitlines()
    info = [line for line in lines if "[info]" in line]
    assert len(info) == 1 and "-v lists them" in info[0]


def test_quiet_prints_the_batch_line_only(seed):
    result = run("check", str(seed), "-q")
    assert result.exit_code == 0
    assert result.output.splitlines() == ["共 1 个文件：0 个无问题，1 个有问题，0 个无法读取，0 个已跳过；错误 0 处，警告 2 处，提示 15 处"]
    assert run("check", str(seed), "-q", "-v").exit_code == 2


def test_json_keeps_every_finding_whatever_the_verbosity(seed):
    doc = json.loads(run("check", str(seed), "--format", "json", "-q").output)
    assert len(doc["files"][0]["findings"]) == 17


def test_ignore_by_code_and_prefix_is_counted_and_the_status_follows(seed):
    result = run("check", str(seed), "--ignore", "reason-missing", "--ignore", "narrative,inputs")
    *lines, last = result.output.splitlines()
    assert not any("reason-missing" in line or "narrative-mismatch" in line for line in lines)
    assert result.output.splitlines()[-1] == ("共 1 个文件：1 个无问题，0 个有问题，0 个无法读取，0 个已跳过；错误 0 处，警告 0 处，"
                                              "提示 2 处；另有 15 处按设置忽略（inputs-missing、narrative-mismatch、reason-missing）")
    doc = json.loads(run("check", str(seed), "--format", "json", "--ignore", "reason-missing").output)
    assert doc["ignored"] == {"reason-missing": 1} and doc["files"][0]["status"] == "flagged"


def test_select_narrows_and_the_more_specific_selector_wins():
    s = Selection(select=("score",), ignore=("score-missing",))
    assert s.shown("score-out-of-range") and not s.shown("score-missing") and not s.shown("total-mismatch")
    s = Selection(select=("score-missing",), ignore=("score",))
    assert s.shown("score-missing") and not s.shown("score-out-of-range")
    assert not Selection(select=("total-mismatch",), ignore=("total-mismatch",)).shown("total-mismatch")


def test_severity_overrides_drive_the_exit_code(make_sheet, seed):
    assert run("check", str(seed), "--severity", "reason-missing=error").exit_code == 1
    wrong = make_sheet("wrong.xlsx", total="83", **CLEAN)
    assert run("check", str(wrong)).exit_code == 1
    result = run("check", str(wrong), "--severity", "total-mismatch=warning", "--lang", "en")
    assert result.exit_code == 0 and "[warning] total-mismatch" in result.output
    assert run("check", str(wrong), "--ignore", "total-mismatch").exit_code == 0


@pytest.mark.parametrize("args", [["--ignore", "no-such-code"], ["--select", "x"], ["--severity", "total-mismatch"],
                                  ["--severity", "total-mismatch=fatal"]])
def test_unknown_codes_and_levels_are_usage_errors(seed, args):
    result = run("check", str(seed), *args)
    assert result.exit_code == 2 and "perfeval rules" in result.output


def test_config_file_in_the_folder_or_a_parent_gives_defaults(seed, tmp_path):
    folder = tmp_path / "units" / "a"
    folder.mkdir(parents=True)
    shutil.copy(seed, folder / "seed.xlsx")
    (tmp_path / "perfeval.toml").write_text('ignore = ["reason-missing", "narrative"]\nlang = "en"\njobs = 1\n'
                                           'severity = {total-rounded = "warning"}\n', encoding="utf-8")
    result = run("check", str(folder))
    assert result.exit_code == 0
    assert "[warning] total-rounded" in result.output and "reason-missing" not in result.output.splitlines()[0]
    assert result.output.splitlines()[-1].endswith("; 2 more ignored by the selection (narrative-mismatch, reason-missing)")
    # the command line wins over the file
    assert "共 1 个文件" in run("check", str(folder), "--lang", "zh").output


def test_pyproject_tool_table_and_explicit_config(seed, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.perfeval]\nquiet = true\n', encoding="utf-8")
    result = run("check", str(seed))
    assert len(result.output.splitlines()) == 1
    other = tmp_path / "elsewhere.toml"
    other.write_text('select = ["reason-missing"]\n', encoding="utf-8")
    result = run("check", str(seed), "--config", str(other))
    assert [line for line in result.output.splitlines() if "[" in line][0].endswith("但未写扣分理由")
    assert "另有 16 处按设置忽略" in result.output


def test_unknown_config_keys_are_named(seed, tmp_path):
    (tmp_path / "perfeval.toml").write_text('ignores = ["reason-missing"]\njobs = 2\nfoo = 1\n', encoding="utf-8")
    result = run("check", str(seed))
    assert result.exit_code == 2 and "未知的设置项 foo, ignores" in result.output


def test_bad_config_values_are_usage_errors(seed, tmp_path):
    (tmp_path / "perfeval.toml").write_text('jobs = 0\n', encoding="utf-8")
    result = run("check", str(seed))
    assert result.exit_code == 2 and "jobs" in result.output


def test_config_paths_are_relative_to_the_file(seed, tmp_path):
    (tmp_path / "perfeval.toml").write_text('out = "checked"\n', encoding="utf-8")
    elsewhere = tmp_path.parent
    result = CliRunner().invoke(main, ["check", str(seed)], catch_exceptions=False)
    assert result.exit_code == 0 and (tmp_path / "checked" / "seed.checked.xlsx").exists()
    assert not (elsewhere / "checked").exists()


def test_explain_every_code_in_both_languages():
    for code in catalogue.CATALOGUE:
        for lang in catalogue.LANGS:
            texts = catalogue.explanations()[code][lang]
            assert set(texts) == set(catalogue.EXPLAIN_PARTS) and all(texts.values()), (code, lang)
    assert set(catalogue.explanations()) == set(catalogue.CATALOGUE)
    result = run("explain", "reason-missing", "--lang", "en")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "reason-missing [warning] score below the weight and no reason given"
    assert "What to do:" in result.output and "perfeval.toml" in result.output


def test_explain_an_unknown_code_suggests_close_ones():
    result = run("explain", "reason-mising")
    assert result.exit_code == 2 and "reason-missing" in result.output


def test_a_required_option_may_come_from_the_config_file(make_sheet, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    result = run("watch", str(inbox), "--once")
    assert result.exit_code == 2 and "--out" in result.output
    (tmp_path / "perfeval.toml").write_text('out = "outbox"\nsettle = 0\n', encoding="utf-8")
    result = run("watch", str(inbox), "--once")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "outbox" / "perfeval.db").exists()
