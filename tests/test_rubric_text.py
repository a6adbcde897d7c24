"""The rubric keys text evidence adds — keywords, exclude, check, derive, substitutes, packages — are
validated when the file loads: a mistake is a clear error naming the file and the input or indicator."""
import re

import pytest

from perfeval import rubric

BASE = (rubric.templates_dir() / "rubrics" / "egov-2019.toml").read_text(encoding="utf-8")


def load_with(tmp_path, old: str, new: str):
    assert old in BASE
    path = tmp_path / "r.toml"
    path.write_text(BASE.replace(old, new, 1), encoding="utf-8")
    return rubric.load(path)


def test_builtin_inputs_carry_their_keywords():
    r = rubric.builtin()[0]
    assert "已支付" in r.inputs["实际支出资金"].keywords
    assert r.inputs["合同金额"].kind == "amount" and r.inputs["完成日期"].kind == "date"
    assert r.inputs["实际工期"].derive == ("开工日期", "完成日期")


@pytest.mark.parametrize("old,new,message", [
    ('keywords = ["实际到位资金",', 'keywords = ["已支付",', "同时属于输入"),
    ('keywords = ["实际成本"]', 'keywords = "实际成本"', "keywords 须为非空字符串列表"),
    ('keywords = ["实际成本"]', 'keywords = [""]', "keywords 须为非空字符串列表"),
    ('[input."政策制度可持续"]\nunit = "flag"', '[input."政策制度可持续"]\nunit = "flag"\nkeywords = ["政策"]',
     "有 keywords 的输入须为文字中可读出的单位"),
    ('derive = { months_between = ["开工日期", "完成日期"] }', 'derive = { months_between = ["开工日期", "预算金额"] }',
     "须为 date 单位"),
    ('derive = { months_between = ["开工日期", "完成日期"] }', 'derive = { months_between = ["开工日期"] }',
     "derive 须为"),
    ('check = { saving = ["计划成本", "实际成本"] }', 'check = { saving = ["计划成本", "中标成本"] }',
     "引用的输入 “中标成本” 未定义"),
    ('substitutes = { "实际到位资金" = "合同金额" }', 'substitutes = { "实际到位资金" = "合同价" }',
     "输入名 “合同价” 未在 [input] 中定义"),
    ('points = "1"\npackages = "worst"', 'points = "1"\npackages = "best"', "packages 只能为"),
])
def test_bad_text_keys_are_clear_errors(tmp_path, old, new, message):
    with pytest.raises(rubric.RubricError, match=re.escape(message)) as exc:
        load_with(tmp_path, old, new)
    assert "r.toml" in str(exc.value)
