"""Rules read from a sheet's own 评分标准 (score/phrases.py, criteria.py, textrules.py)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from perfeval.catalogue import working_text
from perfeval import rubric as rubrics
from perfeval.score import criteria
from seedbook import SEED, Changes, build, seed_rows, variant
from workbooks import edit_workbook
from checking import check_one

D = Decimal


def parse(text: str, weight="2", name="指标", description=""):
    return criteria.parse(text, name, D(weight), description)


@pytest.mark.parametrize("text, weight, name, kind, keys", [
    # a rate and its formula; 分值 as a number or a word; ×, *, x; full-width signs
    ("执行率=实际支出资金/实际到位资金×100%；得分=执行率×分值", "2", "预算执行率", "rate",
     {"value": [{"ratio": ["实际支出资金", "实际到位资金"]}, {"input": "预算执行率"}]}),
    ("执行率＝（实际支出资金／实际到位资金）＊100％，得分＝执行率＊2分，最高不超过分值。", "2", "资金执行率", "rate",
     {"value": [{"ratio": ["实际支出资金", "实际到位资金"]}, {"input": "资金执行率"}]}),
    ("完成率达到100%，得满分；否则，得分=完成率x该项分值", "5", "设备购置数量完成率", "rate",
     {"value": [{"ratio": ["实际设备购置数量", "计划设备购置数量"]}, {"input": "设备购置数量完成率"}]}),
    # thresholds with steps
    ("利用率达到100%，得满分；每降低5个百分点扣1分，扣完为止。", "5", "系统利用率", "deduct_per_step",
     {"direction": "under", "step": "0.05", "points": "1", "baseline": "1"}),
    ("每超出预定时间10%扣1分，扣完为止", "3", "按期完成情况", "deduct_per_step",
     {"direction": "over", "step": "0.1", "value": {"ratio": ["实际工期", "计划工期"]}, "baseline": "1"}),
    ("项目按期完成得满分，每延期10%扣1分，扣完为止", "3", "时效", "deduct_per_step",
     {"direction": "over", "step": "0.1", "value": {"ratio": ["实际工期", "计划工期"]}}),
    # tiers, inclusive and exclusive ends as written
    ("节约率≥10%得4分，5%（含）至10%得2分，低于5%不得分", "4", "成本节约率", "tiers",
     {"tiers": [{"at_least": "0.1", "score": "4"}, {"at_least": "0.05", "score": "2"}, {"score": "0"}]}),
    ("节约率>10%得4分；5%至10%（含）得2分；5%（含）以下不得分", "4", "成本节约率", "tiers",
     {"tiers": [{"above": "0.1", "score": "4"}, {"above": "0.05", "score": "2"}, {"score": "0"}]}),
    # all or nothing; per item
    ("验收合格率达到100%得满分，否则不得分", "2", "验收合格率", "tiers",
     {"tiers": [{"at_least": "1", "score": "2"}, {"score": "0"}]}),
    ("每发现一项问题扣1分，扣完为止", "3", "资金使用合规性", "deduct_per_step",
     {"baseline": "0", "direction": "over", "step": "1", "points": "1"}),
    # judgement
    ("制度健全得3分；基本健全得2分；不健全得1-2分；无制度得0分", "3", "制度健全性", "levels",
     {"allowed": [D(3), D(2), [D(1), D(2)], D(0)]}),
    ("制度健全的得满分，否则酌情扣分", "3", "制度健全性", "discretionary", {}),
    ("满意度≥90%，得满分；满意度<90%，得分=满意度×5分", "5", "满意度", "satisfaction", {"threshold": "0.9"}),
    ("正常运行率达到预期值得满分，否则得分=正常运行率/预期值×3分，正常运行率低于85%的，得0分", "3", "系统正常运行率",
     "floor_rate", {"floor": "0.85", "expected": "预期正常运行率"}),
])
def test_phrasings(text, weight, name, kind, keys):
    p = parse(text, weight, name)
    assert p.spec is not None, p.unparsed
    assert p.spec["kind"] == kind
    for key, value in keys.items():
        assert p.spec[key] == value, (key, p.spec)


@pytest.mark.parametrize("text, quote", [
    ("完成率达到100%得满分；若采购类别调整，则酌情扣分", "若采购类别调整,则酌情扣分"),
    ("得分=完成率×3分", None),           # 3 points stated for a 2-point indicator: not used
    ("按照项目实际情况综合评定", "按照项目实际情况综合评定"),
])
def test_precision_first(text, quote):
    p = parse(text, "2", "完成率")
    assert p.spec is None
    if quote:
        assert p.unparsed == quote


# ---- a sheet of a rubric perfeval does not ship ------------------------------------------------

RENAME = {"立项依据充分性": "政策依据", "立项程序规范性": "程序规范", "绩效目标合理性": "目标合理",
          "绩效指标明确性": "指标明确", "预算编制科学性": "编制科学", "预算执行率": "资金执行率",
          "资金使 用合规性": "使用合规", "管理制度健全性": "制度健全", "完成及时性": "按期完成",
          "成本节约率": "成本控制", "系统利用率": "系统使用", "社会公众或服务对象满意度": "用户满意"}
STANDARD = {
    "预算执行率": "执行率＝实际支出资金／实际到位资金×100％；得分＝执行率×该项分值。",
    "完成及时性": "按期完成得满分；每超出预定时间10%扣1分，扣完为止。",
    "成本节约率": "成本节约率≥10%得2分，5%（含）至10%得1分，低于5%不得分。",
    "系统利用率": "利用率达到100%，得满分；每降低5个百分点扣1分，扣完为止。",
    "社会公众或服务对象满意度": "满意度≥90%，得满分；满意度<90%，得分=满意度×5分。",
}
REASON = {
    "预算执行率": "实际到位资金444.205万元，实际支出资金413.905万元。",
    "完成及时性": "计划工期10个月，实际工期13个月。",
    "成本节约率": "成本节约率为3.4%。",
    "系统利用率": "系统利用率为82%。",
    "社会公众或服务对象满意度": "满意度为95%。",
}


def foreign_sheet(tmp_path, scores: dict):
    by_name = {r["name"]: r for r in seed_rows()}
    path = build(tmp_path / "foreign.xlsx", Changes(title="某市2021年度信息化建设项目绩效评价评分表",
                                                     scores=scores, reasons=REASON),
                 layout=variant("seed", seed_pages=False, page_headers=False))
    rename = dict(RENAME)
    rename.update({by_name[n]["standard"]: text for n, text in STANDARD.items()})
    edit_workbook(path, rename=rename)
    return check_one(path)


def test_formula_mismatch_exactly_where_a_score_breaks_its_own_stated_rule(tmp_path):
    # right: 1.86; 0 (30% over: 3 − 3); 0 (3.4% < 5%); 2 (18 points short: 3 steps of 5); 5 (95% ≥ 90%)
    good = {"预算执行率": 1.86, "完成及时性": 0, "成本节约率": 0, "系统利用率": 2, "社会公众或服务对象满意度": 5}
    result = foreign_sheet(tmp_path, good)
    assert result.rubric is None
    assert not [f for f in result.findings if f.code == "formula-mismatch"], result.findings
    bad = dict(good, 预算执行率=1.95, 成本节约率=1, 系统利用率=4)
    result = foreign_sheet(tmp_path, bad)
    found = {f.indicator: f for f in result.findings if f.code == "formula-mismatch"}
    assert set(found) == {"资金执行率", "成本控制", "系统使用"}
    assert found["资金执行率"].expected.quantize(D("0.01")) == D("1.86")
    assert found["成本控制"].expected == 0 and found["系统使用"].expected == 2
    assert "（规则读自 F12 评分标准）" in working_text(found["资金执行率"].working)
    entered = sum(i.entered for i in result.indicators if i.entered is not None)
    corrections = sum(f.entered - f.expected for f in found.values())
    assert result.total_recomputed == entered - corrections
    recomputed = {i.name: i.recomputed for i in result.indicators}
    assert recomputed["成本控制"] == 0 and recomputed["系统使用"] == 2
    assert recomputed["资金执行率"].quantize(D("0.01")) == D("1.86")


def test_unparsed_criteria_are_info_and_never_checked(tmp_path):
    result = foreign_sheet(tmp_path, {})
    unparsed = [f for f in result.findings if f.code == "rule-unparsed"]
    assert unparsed and all(f.severity.value == "info" for f in unparsed)
    names = {f.indicator for f in unparsed}
    assert "软件采购数量完成率" in names            # its 2 points move to another indicator: not read
    assert not [f for f in result.findings if f.code == "formula-mismatch" and f.indicator in names]


# ---- the seed drafted from its own text ---------------------------------------------------------

# formula indicators of egov-2019 whose 评分标准 on the seed does not state the whole rule the rubric has
NOT_FROM_SEED_TEXT = {
    "硬件采购数量完成率": "adds 若…类别调整，则酌情扣分 and an alternative for 设备采购",
    "软件采购数量完成率": "moves its 2 points to 系统开发数量完成率 when nothing is bought",
    "系统开发数量完成率": "takes 7 points when software is moved to it",
    "信息系统安全等级保护要求": "a gate on a 备案证明 and a parenthetical exception",
    "预算超支": "states the condition in words only (未发生超预算的情况): levels 1/0",
    "预算调整": "tiers written as words around the 5%/10% bounds",
    "系统故障响应或维护及时性": "counts events; the rubric names the count 超时响应次数",
    "系统功能实现率": "the rubric also accepts 已实现功能模块数/计划功能模块数, which the text does not name",
    "可持续发展": "the text says 人员机构安排可持续 where the rubric says 人员机构可持续",
}


def _inputs(value) -> set[str]:
    out = set()
    for option in value if isinstance(value, list) else [value]:
        (how, args), = option.items()
        out |= {args} if how == "input" else set(args)
    return out


def test_seed_drafted_from_its_own_text_gives_egov_2019s_formula_rules():
    egov = rubrics.resolve("egov-2019")
    rows = {r["name"].replace(" ", ""): r for r in seed_rows()}
    checked = []
    for ind in egov.indicators:
        if not ind.is_formula or ind.name in NOT_FROM_SEED_TEXT:
            continue
        row = rows[ind.name] if ind.name in rows else next(rows[a] for a in ind.aliases if a in rows)
        p = criteria.parse(row["standard"], ind.name, D(row["weight"]), row["description"])
        assert p.spec is not None, (ind.name, p.unparsed)
        assert p.spec["kind"] == ind.kind, ind.name
        assert p.spec["weight"] == ind.weight
        for key in ("direction", "step", "points", "baseline", "floor", "expected", "threshold", "packages"):
            if key in ind.spec:
                assert str(p.spec.get(key)) == str(D(str(ind.spec[key])) if key in ("step", "points", "floor",
                                                    "threshold") else ind.spec[key]) or \
                    D(str(p.spec.get(key))) == D(str(ind.spec[key])), (ind.name, key, p.spec)
        if "tiers" in ind.spec:
            assert [{k: D(v) if k != "score" else D(v) for k, v in t.items()} for t in p.spec["tiers"]] == \
                [{k: D(str(v)) for k, v in t.items()} for t in ind.spec["tiers"]]
        if "value" in ind.spec:
            # the same inputs; the draft may also take the rate itself as a stated figure
            drafted, wanted = _inputs(p.spec["value"]), _inputs(ind.spec["value"])
            assert wanted <= drafted and drafted - wanted <= {ind.name}, (ind.name, p.spec["value"])
        checked.append(ind.name)
    assert len(checked) == 8, checked


def test_parses_at_least_this_many_seed_criteria():
    parsed = [r["name"] for r in seed_rows()
              if criteria.parse(r["standard"], r["name"], D(r["weight"]), r["description"]).spec]
    assert len(parsed) >= 23, parsed


# ---- perfeval rubric draft / check ---------------------------------------------------------------

def test_rubric_draft_and_check(tmp_path):
    from click.testing import CliRunner
    from perfeval.cli import main
    book = build(tmp_path / "seed.xlsx", layout=variant("seed", seed_pages=False, page_headers=False))
    out = tmp_path / "my.toml"
    result = CliRunner().invoke(main, ["rubric", "draft", str(book), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "30 个指标" in result.output
    text = out.read_text(encoding="utf-8")
    assert "# TODO: rule not read from F" in text and 'kind = "floor_rate"' in text
    checked = CliRunner().invoke(main, ["rubric", "check", str(out)])
    assert checked.exit_code == 0, checked.output
    drafted = rubrics.load(out)
    assert drafted.find("预算执行率").kind == "rate" and [b.grade for b in drafted.bands][:2] == ["优", "良"]
    broken = tmp_path / "broken.toml"
    broken.write_text(text.replace('name = "预算执行率"\nweight = 2', 'name = "预算执行率"\nweight = 3'), encoding="utf-8")
    checked = CliRunner().invoke(main, ["rubric", "check", str(broken)])
    assert checked.exit_code == 1
    line = text.splitlines().index('name = "资金管理"') + 1
    assert checked.output.startswith(f"{broken}:{line}: [资金管理]"), checked.output


# ---- the sheet's own bands, told apart from the grade entered beside them -----------------------

@pytest.mark.parametrize("entered, mismatch", [("良", False), ("优", True)])
def test_band_text_beside_the_entered_grade(tmp_path, entered, mismatch):
    path = build(tmp_path / "bands.xlsx", Changes(title="某市2021年度信息化建设项目绩效评价评分表", grade=entered),
                 layout=variant("seed", seed_pages=False, page_headers=False))
    # the footer row as some sheets have it: 评价等级 | the bands | the grade entered
    edit_workbook(path, rename=RENAME, cells={
        "A37": "评价等级", "B37": "90分（含）以上为优，80（含）-90分为良，60（含）-80分为中，60分以下为差", "F37": None})
    from perfeval.read.workbook import read
    sheet = read(path).sheets[0]
    assert [b.grade for b in sheet.bands] == ["优", "良", "中", "差"]
    assert sheet.grade.value == entered
    result = check_one(path)
    assert result.grade_entered == entered and result.grade_recomputed == "良"
    assert any(f.code == "grade-mismatch" for f in result.findings) == mismatch


# ---- a rubric indicator marked kind = "from_text" ------------------------------------------------

def test_rubric_indicator_from_text(tmp_path):
    text = (rubrics.templates_dir() / "rubrics" / "egov-2019.toml").read_text(encoding="utf-8")
    old = '''kind = "rate"
value = [{ ratio = ["实际支出资金", "实际到位资金"] }, { input = "预算执行率" }]
# texts often give the contract amount, not 实际到位资金: recompute over it and say so
substitutes = { "实际到位资金" = "合同金额" }'''
    assert old in text
    own = tmp_path / "own.toml"
    adjust = text[text.index('name = "预算调整"'):text.index("[[level1.level2.indicator]]", text.index('name = "预算调整"'))]
    text = text.replace(adjust, 'name = "预算调整"\nweight = 2\nkind = "from_text"\n\n')
    own.write_text(text.replace(old, 'kind = "from_text"').replace('id = "egov-2019"', 'id = "own"'), encoding="utf-8")
    assert rubrics.load(own).find("预算执行率").kind == "from_text"
    path = build(tmp_path / "seed.xlsx", Changes(scores={"预算执行率": 1.95},
                                                  basic_data=[("实际支出资金", 413.905), ("实际到位资金", 444.205)]))
    result = check_one(path, str(own))
    (f,) = [f for f in result.findings if f.code == "formula-mismatch"]
    assert f.indicator == "预算执行率" and f.expected.quantize(D("0.01")) == D("1.86")
    assert "（规则读自 F16 评分标准）" in working_text(f.working)
    (u,) = [f for f in result.findings if f.code == "rule-unparsed"]      # 预算调整: tiers in words
    assert u.indicator == "预算调整" and u.severity.value == "info"
    assert not [f for f in result.findings if f.code == "formula-mismatch" and f.indicator == "预算调整"]


def test_rubric_check_names_every_bad_indicator_with_its_line(tmp_path):
    from perfeval.score import draft
    text = (rubrics.templates_dir() / "rubrics" / "egov-2019.toml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('name = "预算超支"\nweight = 1\nkind = "not_exceed"',
                                'name = "预算超支"\nweight = 1\nkind = "not_exceeded"')
                   .replace('limit = "预算金额"', 'limit = "预算总金额"'), encoding="utf-8")
    problems = draft.check(bad)
    lines = bad.read_text(encoding="utf-8").splitlines()
    line = lines.index('name = "预算超支"') + 1
    assert len(problems) == 1 and problems[0].startswith(f"{bad}:{line}: [预算超支]"), problems
    bad.write_text(text.replace('kind = "not_exceed"', 'kind = "not_exceeded"')
                   .replace('name = "预算调整"\nweight = 2\nkind = "tiers"', 'name = "预算调整"\nweight = 2\nkind = "tier"'),
                   encoding="utf-8")
    problems = draft.check(bad)
    assert [p.split(": ", 1)[1][:6] for p in problems] == ["[预算超支]", "[预算调整]"], problems
    assert draft.check(rubrics.templates_dir() / "rubrics" / "egov-2019.toml") == []
