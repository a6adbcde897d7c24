"""The finding catalogue as data: code -> severity, one-line title and message template per language.

Templates are filled with str.format from a finding's params plus `entered`, `expected` and
`indicator` rendered for people. Never rename a code once released; add new ones at the end.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from perfeval.model import SEQUENCE, Finding, Phrase, Severity, Working
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
    "status.duplicate": ("重复（未计入）", "duplicate (not counted)"),
    "sum.title": ("绩效评价评分表复核汇总", "Review summary of the scoring sheet"),
    "sum.code": ("项目代码", "Project code"),
    "sum.budget": ("预算金额（万元）", "Budget (10k yuan)"),
    "sum.sheet": ("评分表", "Scoring sheet"),
    "sum.rubric": ("{id}（{title}）", "{id} ({title})"),
    "sum.next": ("；", "; "),
    "sum.indent": ("　", "  "),
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
    "note.original_head": ("{label}（{author}）：", "{label} ({author}):"),
    "note.head": ("{i}.【{severity}】{title}（{code}）", "{i}. [{severity}] {title} ({code})"),
    "note.line": ("{label}：{value}", "{label}: {value}"),
    "note.scores": ("{entered}：{entered_value}　{recomputed}：{recomputed_value}",
                    "{entered}: {entered_value}  {recomputed}: {recomputed_value}"),
    "note.figure": ("{name} = {value}（{source}）", "{name} = {value} ({source})"),
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
}


# ---- words the recomputation, the reader and the pipeline leave for the writers (Phrase keys) -------

LABELS.update({
    # steps of a working; arithmetic comes in neutral symbols as params
    "step.expr": ("{text}", "{text}"),
    "step.deviation_cap": ("；实际数量与计划有偏差，最高 {cap}% × {weight} = {limit}",
                           "; the quantity differs from the plan: at most {cap}% × {weight} = {limit}"),
    "step.gate_no": ("{name} = 否 → 0", "{name} = no → 0"),
    "step.not_over": ("{measured}，未超过 {baseline} → {score}", "{measured}, not over {baseline} → {score}"),
    "step.not_under": ("{measured}，未低于 {baseline} → {score}", "{measured}, not under {baseline} → {score}"),
    "step.over_by": ("{measured}，超出 {baseline} {gap}，满 {step} 扣 {points} 分：{weight} − {steps} × {points} → {score}",
                     "{measured}, {gap} over {baseline}, {points} off per full {step}: "
                     "{weight} − {steps} × {points} → {score}"),
    "step.under_by": ("{measured}，低于 {baseline} {gap}，满 {step} 扣 {points} 分：{weight} − {steps} × {points} → {score}",
                      "{measured}, {gap} under {baseline}, {points} off per full {step}: "
                      "{weight} − {steps} × {points} → {score}"),
    "step.below_target": ("{measured} < {target}：{rate} × {weight} = {score}",
                          "{measured} < {target}: {rate} × {weight} = {score}"),
    "step.transferred": ("{name} = 0 → 0（{weight} 分计入{target}）",
                         "{name} = 0 → 0 ({weight} points moved to {target})"),
    "step.package": ("{package}：", "{package}: "),
    "step.next": ("；", "; "),
    "step.lowest": ("；取最低 → {score}", "; the lowest counts → {score}"),
    "step.cited": ("（数据来自 {places}）", " (figures from {places})"),
    # where a figure came from, beyond a cell and the sheet's own label
    "source.header": ("表头 {name} {cell}", "header {name} {cell}"),
    "source.header_only": ("表头 {name}", "header {name}"),
    "source.default": ("{source}（按{default}）", "{source} (taken as {default})"),
    "source.span": ("{start}至{end}", "{start} to {end}"),
    "source.about_months": ("{source}（约 {months} 个月）", "{source} (about {months} months)"),
    # figures a recomputation lacked, beyond an input's name
    "missing.zero": ("{name}（为 0）", "{name} (is 0)"),
    "missing.conflict": ("{name}（文字中有两个不同的数）", "{name} (the text gives two different values)"),
    "missing.contested": ("{name}（基础数据或表头与文字不一致）", "{name} (“基础数据” or the header differs from the text)"),
    "missing.package": ("{package}{name}", "{package} {name}"),
    # what a message speaks of
    "what.total": ("合计", "the total"),
    "what.grade": ("评价等级", "the grade"),
    "what.scores_sum": ("各项评分之和", "the sum of the scores"),
    "what.band_of_total": ("合计所在档次", "the band of the total"),
    "what.package_input": ("{package}{name}", "{package} {name}"),
    "scope.named": ("“{name}”", "“{name}”"),
    "scope.level1": ("一级指标", "the level-1 indicators"),
    "scope.total": ("合计", "the total"),
    # why a file gave no result
    "reason.skipped": ("Office 临时锁定文件或隐藏文件，已跳过", "an Office lock file or a hidden file: skipped"),
    "reason.memory": ("文件过大，内存不足以读取", "the file is too large to read in the memory available"),
    "reason.internal": ("处理时出现内部错误（{error}），请将此文件报告给维护人员",
                        "internal error while checking ({error}); please report this file to the maintainers"),
    "reason.cannot_open": ("无法打开文件：{detail}", "the file cannot be opened: {detail}"),
    "reason.empty": ("文件为空（0 字节）", "the file is empty (0 bytes)"),
    "reason.encrypted": ("文件已加密（设有打开密码）或为旧版 .xls 格式，请去除密码或另存为 .xlsx 后再提交",
                         "the file is encrypted (has an opening password) or is an old .xls file: remove the "
                         "password or save it as .xlsx, then submit it again"),
    "reason.not_xlsx": ("不是 Excel 工作簿（.xlsx）：文件内容不是 xlsx 格式，可能是改了扩展名的 CSV 或其他文件",
                        "not an Excel workbook (.xlsx): the content is not xlsx, perhaps a CSV or another file "
                        "renamed"),
    "reason.no_workbook": ("不是 Excel 工作簿：压缩包中没有工作簿内容",
                           "not an Excel workbook: the zip package holds no workbook"),
    "reason.too_big_unpacked": ("文件解压后超过 512 MB，疑为异常构造的文件，已拒绝读取",
                                "the file unpacks to more than 512 MB, likely a malformed file: refused"),
    "reason.entities": ("文件含 XML 实体声明（可能是恶意构造的文件），已拒绝读取",
                        "the file declares XML entities (possibly a malicious file): refused"),
    "reason.bad_zip": ("文件已损坏或不完整（zip 结构无法解析），可能未复制完整",
                       "the file is damaged or incomplete (its zip structure cannot be read): perhaps not fully "
                       "copied"),
    "reason.unzip": ("文件无法解压：{detail}", "the file cannot be unpacked: {detail}"),
    "reason.damaged": ("工作簿无法打开（内容损坏）：{detail}", "the workbook cannot be opened (damaged content): {detail}"),
    "reason.no_table": ("未找到评分表：没有一张工作表含“三级指标”“评分”等表头",
                        "no scoring sheet found: no worksheet has headers such as “三级指标” and “评分”"),
    "reason.sheet_too_big": ("工作表“{title}”过大（{rows} 行 × {columns} 列）",
                             "worksheet “{title}” is too large ({rows} rows × {columns} columns)"),
    # one-line outputs of the commands
    "report.tally": ("共 {files} 个文件：{ok} 个无问题，{flagged} 个有问题，{unreadable} 个无法读取，{skipped} 个已跳过；"
                     "错误 {errors} 处，警告 {warnings} 处，提示 {notes} 处",
                     "{files} files: {ok} ok, {flagged} flagged, {unreadable} unreadable, {skipped} skipped; "
                     "{errors} errors, {warnings} warnings, {notes} notes"),
    "log.counts": ("合计 {entered}→{recomputed}  等级 {grade_entered}/{grade_recomputed}  "
                   "错误 {errors} 警告 {warnings} 提示 {notes}",
                   "total {entered}→{recomputed}  grade {grade_entered}/{grade_recomputed}  "
                   "errors {errors} warnings {warnings} notes {notes}"),
    "reason.overwrite": ("输出文件会覆盖输入文件：{path}（请换一个 --out 文件夹）",
                         "the output would overwrite an input file: {path} (choose another --out folder)"),
})


# ---- the roll-up (rollup.xlsx, rollup.html, the command's line) ----------------------------------

LABELS.update({
    "rollup.title": ("绩效评价年度汇总", "Performance evaluation roll-up"),
    "rollup.title_year": ("绩效评价年度汇总（{year}年度）", "Performance evaluation roll-up ({year})"),
    "rollup.year": ("{year}年度", "{year}: "),
    "rollup.all_years": ("全部", "All years: "),
    "rollup.sheet.projects": ("项目总表", "Projects"),
    "rollup.sheet.grades": ("等级分布", "Grades"),
    "rollup.sheet.indicators": ("指标失分", "Indicators"),
    "rollup.sheet.units": ("单位汇总", "Units"),
    "rollup.sheet.findings": ("问题清单", "Findings"),
    "rollup.sheet.years": ("年度对比", "Years"),
    "rollup.cap.projects": ("项目总表：{projects} 个项目，无法读取 {unreadable} 个文件，重复 {duplicates} 个（未计入）",
                            "Projects: {projects} projects, {unreadable} files unreadable, {duplicates} duplicates "
                            "(not counted)"),
    "rollup.cap.grades": ("{year}等级分布（{n} 个项目，填报与重算）",
                          "{year}grades ({n} projects, entered and recomputed)"),
    "rollup.cap.indicators": ("{year}各三级指标失分（按失分合计排序）",
                              "{year}points lost per indicator (most points lost first)"),
    "rollup.cap.units": ("{year}各单位得分与等级（按重算得分）", "{year}scores and grades per unit (by recomputed score)"),
    "rollup.cap.findings": ("问题清单：错误与警告 {n} 条（另有提示 {notes} 条，逐项目计数见项目总表）",
                            "Findings: {n} errors and warnings (and {notes} notes, counted per project in Projects)"),
    "rollup.cap.year_grades": ("各年度等级分布（重算）", "Grades per year (recomputed)"),
    "rollup.cap.year_indicators": ("各年度三级指标平均得分", "Mean score per indicator and year"),
    "rollup.chart.grades": ("等级分布（项目数）", "Grades (projects)"),
    "rollup.chart.projects": ("项目数", "Projects"),
    "rollup.chart.indicators": ("失分合计最多的三级指标（前 {n} 项）", "Indicators losing the most points (top {n})"),
    "rollup.reason_count": ("{text}（{n} 项）", "{text} ({n})"),
    "rollup.duplicate_of": ("与 {path} 为同一项目，按较新的该文件计入",
                            "the same project as {path}, which is newer and counts"),
    "rollup.summary": ("共读取 {files} 个文件，计入项目 {projects} 个{years}；无法读取 {unreadable} 个，重复未计入 {duplicates} 个。"
                       "等级、指标与单位统计按{scope}（{this_year} 个项目）计。",
                       "{files} files read, {projects} projects counted{years}; {unreadable} unreadable, "
                       "{duplicates} duplicates not counted. Grades, indicators and units cover {scope} "
                       "({this_year} projects)."),
    "rollup.summary_years": ("（年度：{years}）", " (years: {years})"),
    "rollup.scope_year": (" {year} 年度", "the year {year}"),
    "rollup.scope_all": ("全部项目", "all projects"),
    "rollup.line": ("汇总 {projects} 个项目（年度：{years}），无法读取 {unreadable} 个文件，重复 {duplicates} 个未计入 → {out}",
                    "rolled up {projects} projects (years: {years}), {unreadable} files unreadable, "
                    "{duplicates} duplicates not counted → {out}"),
    "rollup.no_year": ("未注明", "not stated"),
    "progress": ("复核中", "Checking"),
    "watch.polling": ("无法使用系统文件事件（{error}），改为每 2 秒轮询一次",
                      "native file events unavailable ({error}): polling every 2 seconds"),
    "watch.watching": ("正在监视 {inbox}（按 Ctrl-C 停止）", "watching {inbox} (Ctrl-C stops)"),
    "watch.stopped": ("已停止监视", "stopped watching"),
    "watch.nested": ("--out 文件夹不能与 INBOX 相同，也不能互相包含",
                     "the --out folder must not be INBOX, inside it, or contain it"),
    "unit.wan_yuan": ("{value}万元", "{value} (10k yuan)"),
})

# roll-up table columns and the few values the tables write themselves, zh (their key) -> en
ROLLUP_WORDS: dict[str, str] = {
    "年度": "Year", "项目单位": "Unit", "项目名称": "Project", "项目代码": "Project code",
    "预算金额(万元)": "Budget (10k yuan)", "合计(填报)": "Total entered", "合计(重算)": "Total recomputed",
    "等级(填报)": "Grade entered", "等级(重算)": "Grade recomputed", "错误": "Errors", "警告": "Warnings",
    "提示": "Notes", "状态": "Status", "来源文件": "Source file", "备注": "Note", "等级": "Grade",
    "填报": "Entered", "重算": "Recomputed", "一级指标": "Level 1", "二级指标": "Level 2", "三级指标": "Indicator",
    "权重": "Weight", "项目数": "Projects", "平均得分": "Mean score", "平均失分率": "Mean share lost",
    "失分项目数": "Projects losing points", "失分合计": "Points lost", "常见扣分理由": "Common reasons for deductions",
    "单元格": "Cell", "级别": "Severity", "代码": "Code", "指标": "Indicator", "说明": "Message", "变化": "Change",
    "未评定": "not graded", "（未填单位）": "(no unit)",
}
_YEAR_WORDS = [(re.compile(r"^(\d{4})年$"), "{0}"), (re.compile(r"^(\d{4})年平均得分$"), "{0} mean score")]


def rollup_word(text: str, lang: str) -> str:
    """A column name or fixed value of the roll-up tables in `lang` (other text stays as it is)."""
    if lang == "zh":
        return text
    if text in ROLLUP_WORDS:
        return ROLLUP_WORDS[text]
    for pattern, template in _YEAR_WORDS:
        m = pattern.match(text)
        if m:
            return template.format(*m.groups())
    return text


def label(key: str, lang: str = "zh", **values: object) -> str:
    """A label of the written workbooks in `lang`, filled with `values`."""
    text = LABELS[key][LANGS.index(lang)]
    return text.format(**values) if values else text
