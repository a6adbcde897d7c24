"""The finding catalogue as data: code -> severity, one-line title and message template per language.

Templates are filled with str.format from a finding's params plus `entered`, `expected` and
`indicator` rendered for people. Never rename a code once released; add new ones at the end.
"""
from __future__ import annotations

import tomllib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from decimal import Decimal

from perfeval.model import SEQUENCE, Finding, Phrase, Severity, Working
from perfeval.numbers import fmt
from perfeval.phrases import YEAR_WORDS, LABELS, ROLLUP_WORDS
from perfeval.phrases_help import HELP_EN


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    title: dict[str, str]
    message: dict[str, str]


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

CATALOGUE: dict[str, Code] = {c.code: c for c in [
    Code("score-missing", E,
         {"zh": "指标未填评分", "en": "an indicator has no score"},
         {"zh": "未填评分（权重 {weight} 分）",
          "en": "no score entered (weight {weight})"}),
    Code("score-not-numeric", E,
         {"zh": "评分不是数字", "en": "the score is text that is not a number"},
         {"zh": "评分“{entered}”不是数字", "en": "score \"{entered}\" is not a number"}),
    Code("score-out-of-range", E,
         {"zh": "评分小于 0 或超过权重", "en": "score below 0 or above the weight"},
         {"zh": "评分 {entered} 超出 0–{weight} 分的范围",
          "en": "score {entered} is outside 0–{weight}"}),
    Code("score-not-allowed", W,
         {"zh": "评分不在评分标准列出的档次中", "en": "score is not one of the levels the standard allows"},
         {"zh": "评分 {entered} 不在评分标准允许的分值 {allowed} 之中",
          "en": "score {entered} is not one of the allowed scores {allowed}"}),
    Code("formula-mismatch", E,
         {"zh": "评分与按公式重算的结果不符", "en": "score differs from the one recomputed from the figures"},
         {"zh": "按 {formula} 应得 {expected} 分，填报 {entered} 分",
          "en": "{formula} gives {expected}, entered {entered}"}),
    Code("inputs-missing", I,
         {"zh": "缺少重算所需数据，未重算", "en": "a formula indicator could not be recomputed"},
         {"zh": "未找到重算所需数据（{missing}），未核对公式",
          "en": "figures not found ({missing}); formula not checked"}),
    Code("stated-rate-mismatch", W,
         {"zh": "文字中的比率与旁边的金额不符", "en": "a rate in the text does not follow from its amounts"},
         {"zh": "文字写“{quote}”，按 {formula}，应为 {should}",
          "en": "the text says “{quote}”; {formula} gives {should}"}),
    Code("weight-sum-mismatch", E,
         {"zh": "权重合计不符", "en": "weights do not add up"},
         {"zh": "{scope}的权重合计为 {entered}，应为 {expected}",
          "en": "weights of {scope} add to {entered}, expected {expected}"}),
    Code("subtotal-mismatch", E,
         {"zh": "小计不等于所属指标评分之和", "en": "a subtotal is not the sum of its indicators"},
         {"zh": "{scope}小计填 {entered}，所属指标评分之和为 {expected}",
          "en": "subtotal of {scope} is {entered}, its indicators add to {expected}"}),
    Code("total-mismatch", E,
         {"zh": "合计不等于各项评分之和", "en": "the total is not the sum of the scores"},
         {"zh": "合计填 {entered} 分，各项评分之和为 {expected} 分",
          "en": "total entered {entered}, the scores add to {expected}"}),
    Code("total-rounded", I,
         {"zh": "合计为各项评分之和按表内精度取整", "en": "the total is the sum rounded to the sheet's precision"},
         {"zh": "各项评分之和为 {expected} 分，合计填 {entered} 分（四舍五入）",
          "en": "the scores add to {expected}; total entered {entered} (rounded)"}),
    Code("grade-mismatch", E,
         {"zh": "评价等级与总分所在档次不符", "en": "the grade is not the band of the total"},
         {"zh": "总分 {total} 分对应等级“{expected}”，填报“{entered}”",
          "en": "a total of {total} is grade \"{expected}\", entered \"{entered}\""}),
    Code("reason-missing", W,
         {"zh": "有扣分但未写扣分理由", "en": "score below the weight and no reason given"},
         {"zh": "评分 {entered} 低于权重 {weight} 分，但未写扣分理由",
          "en": "score {entered} is below the weight {weight} but no reason is given"}),
    Code("narrative-mismatch", W,
         {"zh": "总体评价引用的数字与表内不符", "en": "the narrative quotes a figure that differs from the table"},
         {"zh": "总体评价写“{quote}”，而{what}为 {should}（{where}）",
          "en": "the narrative says “{quote}”, but {what} is {should} ({where})"}),
    Code("unknown-indicator", W,
         {"zh": "评分表中有评分规则未列出的指标", "en": "a row's indicator is not in the rubric"},
         {"zh": "指标“{indicator}”不在评分规则 {rubric} 中",
          "en": "indicator \"{indicator}\" is not in rubric {rubric}"}),
    Code("indicator-absent", W,
         {"zh": "评分规则中的指标在表中缺失", "en": "a rubric indicator has no row in the sheet"},
         {"zh": "评分规则 {rubric} 的指标“{indicator}”在表中没有对应行",
          "en": "rubric {rubric} indicator \"{indicator}\" has no row in the sheet"}),
    Code("weight-mismatch", W,
         {"zh": "指标权重与评分规则不一致", "en": "an indicator's weight differs from the rubric"},
         {"zh": "权重填 {entered} 分，评分规则 {rubric} 为 {expected} 分",
          "en": "weight entered {entered}, rubric {rubric} has {expected}"}),
    Code("rubric-unmatched", I,
         {"zh": "未匹配到评分规则，只做了结构核对", "en": "no rubric matched; only structural checks ran"},
         {"zh": "未匹配到评分规则，公式与档次核对已跳过（可用 --rubric 指定）",
          "en": "no rubric matched; formula and level checks skipped (use --rubric)"}),
    Code("total-missing", E,
         {"zh": "未填合计", "en": "the total is not entered"},
         {"zh": "合计未填，各项评分之和为 {expected} 分",
          "en": "no total entered; the scores add to {expected}"}),
    Code("grade-missing", W,
         {"zh": "未填评价等级", "en": "the grade is not entered"},
         {"zh": "评价等级未填，总分 {total} 分对应“{expected}”",
          "en": "no grade entered; a total of {total} is \"{expected}\""}),
    Code("figure-conflict", I,
         {"zh": "同一数据在两处写法不一致，未择一采用", "en": "one figure is written two different ways; neither is picked"},
         {"zh": "{input}有两个不同的数：{first}（{first_where}）与 {second}（{second_where}）",
          "en": "{input} has two different values: {first} ({first_where}) and {second} ({second_where})"}),
    Code("input-substituted", I,
         {"zh": "缺少评分标准所用的数据，以替代数据重算", "en": "recomputed with a stand-in for a figure not given"},
         {"zh": "未给出{wanted}，以{used} {value}（{where}）代替重算",
          "en": "{wanted} not given; recomputed with {used} {value} ({where}) in its place"}),
    Code("rate-basis", I,
         {"zh": "文字中的比率未按评分标准的口径计算", "en": "a rate in the text is computed on another basis than the rubric's"},
         {"zh": "文字中的{input} {stated} 按{used}而非{wanted}计算：{formula}",
          "en": "the {input} of {stated} in the text is computed over {used}, not {wanted}: {formula}"}),
    Code("data-sheet-unassigned", W,
         {"zh": "基础数据工作表未指明所服务的评分表，其数据未用于重算",
          "en": "a 基础数据 sheet names no scoring sheet: its figures were not used"},
         {"zh": "工作表“{data}”的标题未指明服务本工作簿的哪个评分表，其数据未用于重算；请改名为“基础数据-评分表名”",
          "en": "the title of sheet “{data}” names none of this workbook's scoring sheets, so its figures were "
                "not used; rename it “基础数据-<scoring sheet name>”"}),
    Code("text-sum-mismatch", W,
         {"zh": "文字所列分项之和与所述总额不符", "en": "a text lists parts that do not add up to its total"},
         {"zh": "文字写“{quote}”，分项之和 {formula}（万元）",
          "en": "the text says “{quote}”; its parts add up to {formula} (10k yuan)"}),
    Code("budget-sum-mismatch", E,
         {"zh": "自评表年度资金总额不等于各资金来源之和", "en": "the budget total is not the sum of its sources"},
         {"zh": "{row}的{column}填 {entered}，各资金来源之和为 {formula}",
          "en": "{row} {column} is {entered}; its sources add to {formula}"}),
    Code("budget-rate-mismatch", E,
         {"zh": "自评表执行率与全年执行数/全年预算数不符", "en": "the execution rate does not follow from the amounts"},
         {"zh": "执行率填 {entered}，按 {formula} 应为 {expected}",
          "en": "execution rate entered {entered}; {formula} gives {expected}"}),
    Code("qualitative-out-of-band", W,
         {"zh": "定性指标得分不在完成程度对应的分值区间", "en": "a qualitative score is outside the band of its achievement"},
         {"zh": "完成值“{actual}”（{words}）对应分值的 {band}，即 {low}–{high} 分，填报 {entered} 分",
          "en": "achievement “{actual}” ({words}) allows {band} of the points, {low}–{high}; entered {entered}"}),
    Code("deviation-reason-missing", W,
         {"zh": "未达指标值或有扣分但未写偏差原因", "en": "target missed or points lost, and no reason for the deviation"},
         {"zh": "指标值“{target}”、完成值“{actual}”、得分 {entered}/{weight} 分，但未写偏差原因分析及改进措施",
          "en": "target “{target}”, achieved “{actual}”, score {entered} of {weight}, but no reason for the deviation"}),
    Code("rule-unparsed", I,
         {"zh": "评分标准未能整句读成规则，未按其公式核对", "en": "a 评分标准 could not be read whole into a rule; its formula was not rechecked"},
         {"zh": "评分标准（{where}）中“{quote}”未能读懂，未按该标准重算",
          "en": "“{quote}” in the 评分标准 ({where}) was not understood; the score was not recomputed from it"}),
]}

LANGS = ("zh", "en")


def severity_of(code: str) -> Severity:
    return CATALOGUE[code].severity


def show(value: object) -> str:
    """A finding's value for people: Decimal half-up to 2 places, None as a dash."""
    if isinstance(value, Decimal):
        return fmt(value)
    if value is None:
        return "—"
    return str(value)


def render(finding: Finding, lang: str = "zh") -> str:
    """The finding's message in `lang`, filled from its fields and params."""
    template = CATALOGUE[finding.code].message[lang]
    values = {k: say(v, lang) for k, v in finding.params.items()}
    values.update(entered=show(finding.entered), expected=show(finding.expected),
                  indicator=finding.indicator or "")
    if finding.working is not None:
        values.setdefault("formula", working_text(finding.working, lang))
    return template.format_map(_Blank(values))


def say(words: object, lang: str = "zh") -> str:
    """Any words for people in `lang`: a Phrase from its template, a Working as its steps, a list
    as an enumeration, text read from a sheet as it is, a number as show() writes it."""
    if isinstance(words, Phrase) and words.key == SEQUENCE:
        return "".join(say(part, lang) for part in words.params["parts"])
    if isinstance(words, Phrase):
        text = LABELS[words.key][LANGS.index(lang)]
        return text.format_map(_Blank({k: say(v, lang) for k, v in words.params.items()}))
    if isinstance(words, Working):
        return working_text(words, lang)
    if isinstance(words, (list, tuple)):
        return ("、" if lang == "zh" else ", ").join(say(w, lang) for w in words)
    return show(words)


def working_text(working: Working, lang: str = "zh") -> str:
    """The arithmetic of a recomputation written out in `lang`: its steps one after the other."""
    return say(working.text, lang)


def place(source: object) -> object:
    """Where a figure came from, without the words quoted there: "H16 扣分理由“…”" -> "H16 扣分理由";
    a date span or a default is placed where its first figure is."""
    if isinstance(source, Phrase):
        inner = source.params.get("source", source.params.get("start"))
        return source if inner is None else place(inner)
    return re.split(r"[“（]", source, maxsplit=1)[0].strip()


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "—"


def severity_label(severity: Severity, lang: str = "zh") -> str:
    return {"zh": {"error": "错误", "warning": "警告", "info": "提示"},
            "en": {"error": "error", "warning": "warning", "info": "info"}}[lang][severity.value]


def rollup_word(text: str, lang: str) -> str:
    """A column name or fixed value of the roll-up tables in `lang` (other text stays as it is)."""
    if lang == "zh":
        return text
    if text in ROLLUP_WORDS:
        return ROLLUP_WORDS[text]
    for pattern, template in YEAR_WORDS:
        m = pattern.match(text)
        if m:
            return template.format(*m.groups())
    return text


def label(key: str, lang: str = "zh", **values: object) -> str:
    """A label of the written workbooks in `lang`, filled with `values`."""
    text = LABELS[key][LANGS.index(lang)]
    return text.format(**values) if values else text


# ---- `perfeval explain CODE`: meaning, example and what to do, per code (data in explain.toml) --

EXPLAIN_FILE = Path(__file__).with_name("explain.toml")
EXPLAIN_PARTS = ("meaning", "example", "action")


@lru_cache(maxsize=1)
def explanations() -> dict[str, dict[str, dict[str, str]]]:
    """code -> lang -> {meaning, example, action}."""
    return tomllib.loads(EXPLAIN_FILE.read_text(encoding="utf-8"))


def explain(code: str, lang: str = "zh") -> str:
    """What `perfeval explain CODE` prints."""
    c = CATALOGUE[code]
    texts = explanations().get(code, {}).get(lang, {})
    heads = {"zh": ("含义", "示例", "怎么办"), "en": ("Meaning", "Example", "What to do")}[lang]
    lines = [f"{code} [{c.severity.value}] {c.title[lang]}", ""]
    for head, part in zip(heads, EXPLAIN_PARTS):
        lines += [head + ("：" if lang == "zh" else ":"), f"  {texts.get(part, '—')}", ""]
    return "\n".join(lines).rstrip("\n")


def help_text(text: str, lang: str) -> str:
    """A command's or option's --help text in `lang` (written in Chinese; HELP_EN has the English)."""
    if lang != "en" or not text:
        return text
    folded = re.sub(r"\s*\n\s*", "", text).strip()          # Chinese lines wrap without a space
    for zh in sorted(HELP_EN, key=len, reverse=True):      # whole texts first, then appended parts
        folded = folded.replace(zh, HELP_EN[zh])
    return folded
