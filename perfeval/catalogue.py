"""The finding catalogue as data: code -> severity, one-line title and message template per language.

Templates are filled with str.format from a finding's params plus `entered`, `expected` and
`indicator` rendered for people. Never rename a code once released; add new ones at the end.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from decimal import Decimal

from perfeval.model import Finding, Severity
from perfeval.numbers import fmt


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
    values = {k: show(v) for k, v in finding.params.items()}
    values.update(entered=show(finding.entered), expected=show(finding.expected),
                  indicator=finding.indicator or "")
    if finding.working is not None:
        values.setdefault("formula", finding.working.formula)
    return template.format_map(_Blank(values))


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "—"


def severity_label(severity: Severity, lang: str = "zh") -> str:
    return {"zh": {"error": "错误", "warning": "警告", "info": "提示"},
            "en": {"error": "error", "warning": "warning", "info": "info"}}[lang][severity.value]


# ---- labels of the workbooks perfeval writes (annotated copy, batch summary.xlsx) ----------------

LABELS: dict[str, tuple[str, str]] = {       # key -> (zh, en)
    "sheet.summary": ("汇总", "Summary"),
    "sheet.findings": ("复核结果", "Findings"),
    "sheet.files": ("文件", "Files"),
    "col.no": ("序号", "No."),
    "col.severity": ("严重程度", "Severity"),
    "col.code": ("代码", "Code"),
    "col.level1": ("一级指标", "Level 1"),
    "col.level2": ("二级指标", "Level 2"),
    "col.level3": ("三级指标", "Indicator"),
    "col.cell": ("单元格", "Cell"),
    "col.entered": ("填报值", "Entered"),
    "col.recomputed": ("复核值", "Recomputed"),
    "col.message": ("说明", "Message"),
    "col.working": ("算式与数据来源", "Working and sources"),
    "col.file": ("文件", "File"),
    "col.unit": ("项目单位", "Unit"),
    "col.project": ("项目名称", "Project"),
    "col.rubric": ("评分规则", "Rubric"),
    "col.total_entered": ("合计（填报）", "Total entered"),
    "col.total_recomputed": ("合计（复核）", "Total recomputed"),
    "col.grade_entered": ("等级（填报）", "Grade entered"),
    "col.grade_recomputed": ("等级（复核）", "Grade recomputed"),
    "col.errors": ("错误", "Errors"),
    "col.warnings": ("警告", "Warnings"),
    "col.status": ("状态", "Status"),
    "col.output": ("复核文件", "Annotated copy"),
    "col.note": ("备注", "Note"),
    "status.ok": ("无问题", "ok"),
    "status.flagged": ("有问题", "flagged"),
    "status.unreadable": ("无法读取", "unreadable"),
    "status.skipped": ("已跳过", "skipped"),
    "output.failed": ("未能生成复核文件：{reason}", "no annotated copy written: {reason}"),
    "sum.title": ("绩效评价评分表复核汇总", "Review summary of the scoring sheet"),
    "sum.code": ("项目代码", "Project code"),
    "sum.budget": ("预算金额（万元）", "Budget (10k yuan)"),
    "sum.sheet": ("评分表", "Scoring sheet"),
    "sum.no_rubric": ("未匹配到评分规则", "no rubric matched"),
    "sum.level": ("级次", "Level"),
    "sum.indicator": ("指标", "Indicator"),
    "sum.weight": ("权重", "Weight"),
    "sum.entered": ("填报得分", "Entered"),
    "sum.recomputed": ("复核得分", "Recomputed"),
    "sum.difference": ("差异", "Difference"),
    "sum.level1": ("一级", "level 1"),
    "sum.level2": ("二级", "level 2"),
    "sum.unplaced": ("（未归类）", "(unplaced)"),
    "sum.total": ("合计", "Total"),
    "sum.grade": ("评价等级", "Grade"),
    "sum.same": ("一致", "same"),
    "sum.differs": ("不一致", "differs"),
    "sum.counts": ("问题数量", "Findings"),
    "sum.losses": ("未能保留的原文件内容", "Not carried over from the original"),
    "sum.no_losses": ("无：原文件内容全部保留", "none: everything of the original was kept"),
    "sum.lost_n": ("原文件中的 {n} 个{what}未能保留", "{n} {what} of the original could not be kept"),
    "sum.lost": ("原文件中的{what}未能保留", "the original's {what} could not be kept"),
    "sum.reader_note": ("读取时的提示（openpyxl）：{text}", "note from openpyxl on reading: {text}"),
    "sum.file": ("原文件", "Original file"),
    "sum.sha256": ("原文件 SHA-256", "SHA-256 of the original"),
    "sum.tool": ("复核工具", "Checked with"),
    "sum.checked_at": ("复核时间", "Checked at"),
    "note.title": ("perfeval 复核：{n} 项", "perfeval review: {n} finding(s)"),
    "note.indicator": ("指标", "Indicator"),
    "note.formula": ("算式", "Formula"),
    "note.figures": ("数据", "Figures"),
    "note.original": ("原批注", "Original comment"),
    "feature.shape": ("形状", "shape(s)"),
    "feature.image": ("图片", "image(s)"),
    "feature.cell_image": ("单元格内图片", "in-cell image(s)"),
    "feature.chart": ("图表", "chart(s)"),
    "feature.header_image": ("工作表的页眉页脚图片", "sheet(s) with header/footer pictures"),
    "feature.background": ("工作表背景图片", "sheet background picture(s)"),
    "feature.other_drawing": ("其他绘图对象（如 SmartArt）", "other drawing object(s) (e.g. SmartArt)"),
    "feature.unreadable_drawing": ("无法解析的绘图部件", "unreadable drawing part(s)"),
    "feature.comment": ("批注", "comment(s)"),
    "feature.threaded_comment": ("新式批注（线程批注，其文字保留为普通批注）",
                                 "threaded comment(s) (their text stays as plain comments)"),
    "feature.form_control": ("表单控件（按钮、复选框等）", "form control(s) (buttons, check boxes)"),
    "feature.activex": ("ActiveX 控件", "ActiveX control(s)"),
    "feature.ole_object": ("嵌入对象（OLE）", "embedded OLE object(s)"),
    "feature.pivot_table": ("数据透视表", "pivot table(s)"),
    "feature.table": ("表格（列表对象）", "table(s)"),
    "feature.slicer": ("切片器", "slicer(s)"),
    "feature.timeline": ("日程表", "timeline(s)"),
    "feature.external_link": ("外部链接", "external link(s)"),
    "feature.vba": ("宏（VBA 工程）", "VBA project(s)"),
    "feature.signature": ("数字签名", "digital signature(s)"),
    "feature.printer_settings": ("打印机驱动专用设置（页面设置本身已保留）",
                                 "printer driver setting(s) (the page setup itself is kept)"),
    "feature.cached_value": ("公式的缓存计算结果（打开时重新计算）",
                             "cached formula result(s) (recalculated on opening)"),
    "feature.ext_conditional_formatting": ("扩展条件格式（Excel 2010 起的新规则）",
                                           "extended conditional formatting (Excel 2010+)"),
    "feature.ext_data_validation": ("扩展数据验证（如引用其他工作表的下拉列表）",
                                    "extended data validation (e.g. lists from other sheets)"),
    "feature.ext_sparkline": ("迷你图", "sparklines"),
    "feature.ext_protected_range": ("允许编辑区域", "protected ranges"),
    "feature.ext_ignored_error": ("忽略错误标记", "ignored-error marks"),
    "feature.ext_web": ("Web 加载项", "web extensions"),
    # text report
    "report.infos_one": ("{n} 处：{title}（加 -v 逐条列出）", "{n} findings: {title} (-v lists them)"),
    "report.infos": ("提示 {n} 处：{codes}（加 -v 逐条列出）", "{n} notes: {codes} (-v lists them)"),
    "report.list_sep": ("、", ", "),
    "report.ignored": ("；另有 {n} 处按设置忽略（{codes}）", "; {n} more ignored by the selection ({codes})"),
    # watch
    "watch.watching": ("正在监视 {path}（按 Ctrl-C 停止）", "watching {path} (Ctrl-C stops)"),
    "watch.stopped": ("已停止监视", "stopped watching"),
    "watch.polling": ("无法使用系统文件事件（{reason}），改为每 2 秒轮询一次",
                      "native file events unavailable ({reason}); polling every 2 seconds"),
    "watch.waiting": ("{n} 个文件刚放入，等待其复制完成（约 {seconds} 秒）…",
                      "{n} file(s) just dropped in; waiting about {seconds} s for the copy to finish…"),
    "watch.left_young": ("{path}：仍在复制（大小或修改时间仍在变化），留待下次处理",
                         "{path}: still being copied (size or time still changing); left for the next run"),
    "watch.left_incomplete": ("{path}：还不是完整的工作簿（可能尚未复制完），留待下次处理",
                              "{path}: not a complete workbook yet (perhaps still being copied); left for the next run"),
}


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
