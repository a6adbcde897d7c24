"""Grade bands belong to the rubric: a four-band rubric (the national 优 ≥90, 良 80-90, 中 60-80, 差 <60,
tests/rubrics/national-4.toml, loaded with --rubric) grades, checks and rolls up with its own bands and
synonyms, and a roll-up's 等级分布 columns are the bands of the rubrics in it."""
from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from perfeval.catalogue import say
from perfeval import pipeline, rubric
from perfeval.cli import main
from perfeval.model import Band, Bands
from perfeval.rollup import grades as rollup_grades
from perfeval.rollup import tables as rollup_tables
from perfeval.rubric import RubricError
from seedbook import Changes, build
from paths import TEST_RUBRICS
from checking import check_one

NATIONAL = str(TEST_RUBRICS / "national-4.toml")
# scores of the seed that bring its 80.86 down to 65, and to 59 (each with a reason)
AT_65 = {"系统功能合理性": 0, "其他经济社会效益": 0, "可持续发展": 0, "社会公众或服务对象满意度": 1.14}
AT_59 = {**AT_65, "资金使 用合规性": 0}
AT_89_5 = {"预算执行率": 1.5, "系统利用率": 5, "成本节约率": 2, "完成及时性": 2}


def sheet(tmp_path: Path, scores: dict | None = None, total: str = "81", grade: str | None = "良",
          narrative: dict | None = None, file: str = "s.xlsx", **project) -> Path:
    scores = scores or {}
    return build(tmp_path / file, Changes(scores=scores, reasons={n: "未达到预期" for n in scores}, total=total,
                                          grade=grade, narrative=narrative or {}, project=project))


def grade_findings(result):
    return [(f.code, f.entered, f.expected) for f in result.findings if f.code.startswith("grade")]


# ---- the Bands object ----------------------------------------------------------------------------

def test_bands_grade_a_total_lower_bound_inclusive():
    bands = rubric.load(NATIONAL).bands
    assert bands.grades == ("优", "良", "中", "差")
    for total, grade in [("100", "优"), ("90", "优"), ("89.99", "良"), ("80", "良"), ("79.5", "中"), ("65", "中"),
                         ("60", "中"), ("59.9", "差"), ("0", "差")]:
        assert bands.grade(D(total)) == grade, total
    assert Bands().grade(D(50)) is None and not Bands()


@pytest.mark.parametrize("written, grade", [
    ("优", "优"), ("优秀", "优"), ("良好", "良"), ("中等", "中"), ("较差", "差"), (" 良 ", "良"), ("良（80-89）", "良"),
    ("低", "低"), ("B", "B"),
])
def test_bands_read_an_entered_grade_with_its_synonyms(written, grade):
    assert rubric.load(NATIONAL).bands.entered(written) == grade


def test_bands_are_ordered_highest_first_whatever_the_file_order():
    bands = Bands((Band("差", D(0)), Band("优", D(90), ("优秀",)), Band("良", D(80))))
    assert bands.grades == ("优", "良", "差") and bands.lookup("优秀") == "优" and bands.lookup("中") is None


@pytest.mark.parametrize("grades, message", [
    ('[[grade]]\nname = "优"\nmin = 90\naliases = ["优秀"]\n[[grade]]\nname = "优秀"\nmin = 0\n', "word names two bands"),
    ('[[grade]]\nname = "优"\nmin = 90\n[[grade]]\nname = "良"\nmin = 90\n', "one lower bound"),
    ('[[grade]]\nname = "优"\n', "needs a name and a min"),
    ('grade = []\n', "no grade band"),
])
def test_bad_bands_are_refused(tmp_path, grades, message):
    text = Path(NATIONAL).read_text(encoding="utf-8")
    start, end = text.index("\n[[grade]]") + 1, text.index("# ---- inputs")
    path = tmp_path / "bad.toml"
    path.write_text(text[:start] + grades + "\n" + text[end:], encoding="utf-8")
    with pytest.raises(RubricError, match=message):
        rubric.load(path)


def test_header_figure_is_named_by_the_rubric(tmp_path):
    text = Path(NATIONAL).read_text(encoding="utf-8")
    path = tmp_path / "bad.toml"
    path.write_text(text.replace('header = "budget"', 'header = "name"'), encoding="utf-8")
    with pytest.raises(RubricError, match="bad header"):
        rubric.load(path)
    assert [i.name for i in rubric.load(NATIONAL).inputs.values() if i.header == "budget"] == ["预算金额"]


def test_header_budget_feeds_the_input_the_rubric_names(tmp_path):
    """Renamed in the rubric, the header's 预算金额 feeds the renamed input (no name in the code)."""
    text = Path(NATIONAL).read_text(encoding="utf-8").replace('"预算金额"', '"批复预算金额"')
    path = tmp_path / "renamed.toml"
    path.write_text(text, encoding="utf-8")
    from perfeval.read.workbook import read_sheets
    from perfeval.score.evidence import structured
    figures = structured(read_sheets(sheet(tmp_path))[0], rubric.load(path))
    assert figures["批复预算金额"].value == 460 and say(figures["批复预算金额"].source).startswith("表头 预算金额 ")
    assert "预算金额" not in figures


# ---- checks with four bands ----------------------------------------------------------------------

@pytest.mark.parametrize("scores, total, grade, expected", [
    (AT_65, "65", "中", "中"),          # 中 under four bands (低 under egov-2019's five)
    (AT_65, "65", "中等", "中"),
    ({}, "81", "良好", "良"),
    (AT_59, "59", "差", "差"),
    (AT_59, "59", "较差", "差"),
    (AT_89_5, "89.5", "良", "良"),
])
def test_four_bands_accept_the_right_grade(tmp_path, scores, total, grade, expected):
    result = check_one(sheet(tmp_path, scores, total, grade), NATIONAL)
    assert result.rubric == "national-4" and result.total_entered == D(total)
    assert grade_findings(result) == []
    assert (result.grade_entered, result.grade_recomputed) == (expected, expected)


@pytest.mark.parametrize("scores, total, grade, expected", [
    (AT_65, "65", "低", "中"),          # 低 is no band of this rubric
    (AT_59, "59", "中", "差"),
    (AT_89_5, "89.5", "优", "良"),
    ({}, "81", "优秀", "良"),
])
def test_four_bands_flag_a_wrong_grade(tmp_path, scores, total, grade, expected):
    result = check_one(sheet(tmp_path, scores, total, grade), NATIONAL)
    assert grade_findings(result) == [("grade-mismatch", grade, expected)]


def test_egov_2019_grades_the_same_total_in_its_own_band(tmp_path):
    result = check_one(sheet(tmp_path, AT_65, "65", "中"))
    assert result.rubric == "egov-2019" and grade_findings(result) == [("grade-mismatch", "中", "低")]


@pytest.mark.parametrize("quoted, flagged", [("中等", False), ("中", False), ("低", True), ("良", True)])
def test_narrative_grade_words_read_with_the_rubrics_bands(tmp_path, quoted, flagged):
    text = f"项目评价分数为65分，评价等级为{quoted}。"
    result = check_one(sheet(tmp_path, AT_65, "65", "中", narrative={"总体评价": text}), NATIONAL)
    found = [(f.entered, f.expected) for f in result.findings
             if f.code == "narrative-mismatch" and say(f.params.get("what")) == "评价等级"]
    assert found == ([(quoted, "中")] if flagged else [])


# ---- roll-up -------------------------------------------------------------------------------------

def roll_up(tmp_path: Path, *args: str) -> openpyxl.Workbook:
    result = CliRunner().invoke(main, ["rollup", *args, "--out", str(tmp_path / "r.xlsx"),
                                       "--html", str(tmp_path / "r.html"), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(tmp_path / "r.xlsx")


def rows(ws) -> list[tuple]:
    return [r for r in ws.iter_rows(values_only=True) if any(v is not None for v in r)]


def four_band_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    sheet(folder, AT_65, "65", "中", file="a.xlsx", unit="甲局")
    sheet(folder, {}, "81", "良", file="b.xlsx", unit="乙局")
    sheet(folder, AT_59, "59", "差", file="c.xlsx", unit="丙局")
    return folder


def test_four_band_rollup_has_no_empty_low_column(tmp_path):
    book = roll_up(tmp_path, str(four_band_folder(tmp_path)), "--rubric", NATIONAL)
    grades = rows(book["等级分布"])[2:]
    assert grades == [("优", 0, 0), ("良", 1, 1), ("中", 1, 1), ("差", 1, 1)]
    header = rows(book["单位汇总"])[1]
    assert header[3:7] == ("优", "良", "中", "差") and "低" not in header
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert ">低<" not in html and ">中<" in html


def test_mixed_rubrics_roll_up_to_the_union_of_their_bands_in_band_order(tmp_path):
    folder = four_band_folder(tmp_path)
    national = [(check_one(p, NATIONAL), 1.0) for p in sorted(folder.glob("*.xlsx"))]
    egov = [(check_one(sheet(tmp_path, AT_65, "65", "低", file="d.xlsx", unit="丁局")), 1.0)]
    frames = rollup_tables.from_results(national + egov)
    frames.bands = {"national-4": rubric.load(NATIONAL).bands}
    r = rollup_tables.build(frames)
    assert [tuple(x) for x in r.grades.itertuples(index=False)] == [
        ("优", 0, 0), ("良", 1, 1), ("中", 1, 1), ("低", 1, 1), ("差", 1, 1)]
    assert list(r.units.columns[3:8]) == ["优", "良", "中", "低", "差"]


def test_band_union_is_stable_whatever_the_order_met():
    five = rubric.resolve("egov-2019").bands
    four = rubric.load(NATIONAL).bands
    for known in ({"a": four, "b": five}, {"a": five, "b": four}):
        assert rollup_grades.band_grades(["a", "b", None, "unknown"], known) == ["优", "良", "中", "低", "差"]
    odd = Bands((Band("A", D(90)), Band("B", D(60)), Band("C", D(0))))
    assert rollup_grades.band_grades(["x", "y"], {"x": four, "y": odd}) == ["优", "良", "中", "差", "A", "B", "C"]
    top = Bands((Band("优+", D(95)), Band("优", D(90)), Band("良", D(0))))
    assert rollup_grades.band_grades(["x", "y"], {"x": four, "y": top}) == ["优+", "优", "良", "中", "差"]
