"""项目支出绩效自评表 workbooks (national layout, 财预〔2020〕10号 附1, and a provincial layout), for
sample_workbooks/ and the tests: a correctly scored form by default, any part changed on request.

`build(path, Form(...))` writes one .xlsx with openpyxl. `national()` and `province()` give the clean
forms; `dataclasses.replace` and the helpers below change them (a row's fields, the budget rows).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")


@dataclass(frozen=True)
class Row:
    level1: str
    level2: str
    name: str
    target: object          # 年度指标值 as written (`≥50公里`), or the bare number when the form has 度量单位
    actual: object
    weight: object
    score: object
    reason: str = ""
    unit: str = ""          # provincial: 度量单位
    direction: str = ""     # provincial: 指标性质 (≥ ≤ =, 定性)


@dataclass(frozen=True)
class Form:
    layout: str                                     # national | province
    title: str
    name: str
    department: str
    unit: str
    budget: tuple[tuple[str, tuple], ...]           # (row label, (年初预算数, 全年预算数, 全年执行数))
    budget_entered: tuple = (10, 0.95, 9.5)         # 分值, 执行率, 得分 on the 年度资金总额 row
    goal: str = ""
    done: str = ""
    rows: tuple[Row, ...] = ()
    total: object = None
    grade: str | None = None
    note: str = ""


NATIONAL_ROWS = (
    Row("产出指标（50分）", "数量指标", "新建集中供水工程", "=8个", "8个", 10, 10),
    Row("产出指标（50分）", "数量指标", "维修改造供水管网", "≥50公里", "45公里", 10, 9,
        "部分管段因征地协调延期，已列入下年度计划"),
    Row("产出指标（50分）", "质量指标", "工程验收合格率", "≥90%", "100%", 10, 10),
    Row("产出指标（50分）", "时效指标", "工程按期完工率", "≥95%", "100%", 10, 10),
    Row("产出指标（50分）", "成本指标", "单位工程造价", "≤90万元", "95万元", 10, 9.47,
        "管材价格上涨，下年度加强造价控制"),
    Row("效益指标（30分）", "社会效益指标", "受益人口", "≥2万人", "2.1万人", 10, 10),
    Row("效益指标（30分）", "社会效益指标", "农村供水保障水平", "效果明显", "效果明显", 10, 10),
    Row("效益指标（30分）", "可持续影响指标", "工程长效运行机制", "建立健全", "基本建立", 10, 8.5,
        "管护制度尚待完善，下年度出台管护办法"),
    Row("满意度指标（10分）", "服务对象满意度指标", "受益群众满意度", "≥90%", "95%", 10, 10),
)


def national(**changes) -> Form:
    form = Form(
        layout="national", title="项目支出绩效自评表", name="2023年农村饮水安全巩固提升工程",
        department="某县水利局", unit="某县农村供水管理站",
        budget=(("年度资金总额", (200, 200, 190)), ("其中：本年财政拨款", (150, 150, 140)),
                ("上年结转资金", (50, 50, 50)), ("其他资金", (0, 0, 0))),
        goal="新建集中供水工程8处，维修改造供水管网50公里，保障2万农村人口饮水安全。",
        done="全年共执行资金190万元。其中：本年财政拨款140万元；上年结转资金50万元。新建集中供水工程8处，"
             "维修改造供水管网45公里，受益人口2.1万人。",
        rows=NATIONAL_ROWS, total=96.47)
    return replace(form, **changes)


PROVINCE_ROWS = (
    Row("产出指标（40分）", "数量指标", "培训基层农技人员", "≥", 500, 10, 10, unit="人次", direction="≥"),
    Row("产出指标（40分）", "数量指标", "建设示范基地", "=", 8, 10, 10, unit="个", direction="=") ,
    Row("产出指标（40分）", "质量指标", "培训考核合格率", "≥", 95, 10, 10, unit="%", direction="≥"),
    Row("产出指标（40分）", "成本指标", "人均培训成本", "≤", 1200, 10, 9.6,
        "场地租金上涨，下年度优先使用自有场地", unit="元", direction="≤"),
    Row("效益指标（30分）", "经济效益指标", "示范基地亩均增收", "≥", 300, 10, 10, unit="元", direction="≥"),
    Row("效益指标（30分）", "社会效益指标", "带动农户应用新技术", "≥", 2000, 10, 9,
        "部分农户观望，下年度加强现场指导", unit="户", direction="≥"),
    Row("效益指标（30分）", "可持续影响指标", "技术推广长效机制", "健全", "健全", 10, 10, direction="定性"),
    Row("满意度指标（20分）", "服务对象满意度指标", "参训人员满意度", "≥", 90, 10, 10, unit="%", direction="≥"),
    Row("满意度指标（20分）", "服务对象满意度指标", "示范户满意度", "≥", 90, 10, 10, unit="%", direction="≥"),
)
# 指标值 / 完成值 of PROVINCE_ROWS (the form writes 指标性质 and the number in separate columns)
PROVINCE_VALUES = {"培训基层农技人员": (500, 520), "建设示范基地": (8, 8), "培训考核合格率": (95, 98),
                   "人均培训成本": (1200, 1250), "示范基地亩均增收": (300, 320),
                   "带动农户应用新技术": (2000, 1800), "技术推广长效机制": ("健全", "健全"),
                   "参训人员满意度": (90, 96), "示范户满意度": (90, 93)}


def province(**changes) -> Form:
    rows = tuple(replace(r, target=PROVINCE_VALUES[r.name][0], actual=PROVINCE_VALUES[r.name][1])
                 for r in PROVINCE_ROWS)
    form = Form(
        layout="province", title="2023年度省级部门项目支出绩效自评表", name="基层农技推广体系改革与建设补助项目",
        department="某省农业农村厅", unit="某市农业技术推广中心",
        budget=(("年度资金总额", (300, 320, 304)), ("其中：财政拨款", (300, 300, 288)),
                ("其他资金", (0, 20, 16))),
        budget_entered=(10, 0.95, 9.5),
        done="项目调整后预算320万元，包括财政拨款300万元、其他资金20万元；全年培训基层农技人员520人次，"
             "建设示范基地8个。",
        rows=rows, total=98.1, grade="优", note="注：定量指标得分=完成值/指标值×权重（反向指标为指标值/完成值×权重），"
                                                 "最高不超过权重；预算执行率得分=预算执行率×10。")
    return replace(form, **changes)


def change_row(form: Form, name: str, **fields) -> Form:
    """The form with one indicator row changed."""
    assert any(r.name == name for r in form.rows), name
    return replace(form, rows=tuple(replace(r, **fields) if r.name == name else r for r in form.rows))


def change_budget(form: Form, label: str, values: tuple) -> Form:
    assert any(l == label for l, _ in form.budget), label
    return replace(form, budget=tuple((l, values if l == label else v) for l, v in form.budget))


def total_of(form: Form) -> float:
    """The sum of the entered scores with the budget block's (what a correct 总分 is)."""
    scores = [form.budget_entered[2], *(r.score for r in form.rows)]
    return round(sum(float(s) for s in scores if isinstance(s, (int, float))), 2)


def build(path: str | Path, form: Form) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "自评表"
    (_national if form.layout == "national" else _province)(ws, form)
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None:
                cell.alignment = _WRAP
    for col, width in zip("ABCDEFGHIJ", (14, 16, 14, 18, 14, 12, 12, 10, 10, 28)):
        ws.column_dimensions[col].width = width
    path = Path(path)
    wb.save(path)
    return path


def _put(ws, row: int, values: list, col: int = 1, bold: bool = False) -> None:
    for i, v in enumerate(values):
        if v is None:
            continue
        cell = ws.cell(row=row, column=col + i, value=v)
        if isinstance(v, str) and v.startswith("="):
            cell.data_type = "s"        # `=8个` typed as text, as the forms have it
        cell.border = _BOX
        if bold:
            cell.font = Font(bold=True)


def _budget_rows(ws, form: Form, start: int, entered_cols: int) -> int:
    r = start
    for label, values in form.budget:
        _put(ws, r, [label, *values], col=2)
        if label == "年度资金总额":
            _put(ws, r, list(form.budget_entered), col=6)
            ws.cell(row=r, column=7).number_format = "0.00%"
        else:
            _put(ws, r, ["—", "—", "—"], col=6)
        r += 1
    ws.merge_cells(start_row=start - 1, start_column=1, end_row=r - 1, end_column=1)
    return r


def _national(ws, form: Form) -> None:
    ws["A1"] = form.title
    ws["A1"].font = Font(bold=True, size=16)
    ws.merge_cells("A1:I1")
    ws["A2"] = "（2023年度）"
    ws.merge_cells("A2:I2")
    _put(ws, 3, ["项目名称", form.name])
    ws.merge_cells("B3:I3")
    _put(ws, 4, ["主管部门", form.department, None, None, "实施单位", form.unit])
    _put(ws, 5, ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"], bold=True)
    r = _budget_rows(ws, form, 6, 3)
    _put(ws, r, ["年度总体目标", "预期目标", None, None, None, "实际完成情况"], bold=True)
    _put(ws, r + 1, [None, form.goal, None, None, None, form.done])
    ws.merge_cells(start_row=r, start_column=1, end_row=r + 1, end_column=1)
    ws.merge_cells(start_row=r + 1, start_column=2, end_row=r + 1, end_column=5)
    ws.merge_cells(start_row=r + 1, start_column=6, end_row=r + 1, end_column=9)
    head = r + 2
    _put(ws, head, ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                    "偏差原因分析及改进措施"], bold=True)
    r = _indicator_rows(ws, form, head + 1, lambda x: [x.name, x.target, x.actual, x.weight, x.score, x.reason],
                        level_col=2)
    ws.merge_cells(start_row=head, start_column=1, end_row=r - 1, end_column=1)
    _put(ws, r, ["总分", None, None, None, None, None, 100, form.total])
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=6)
    if form.grade is not None:
        _put(ws, r + 1, ["自评等级", form.grade])


def _province(ws, form: Form) -> None:
    ws["A1"] = form.title
    ws["A1"].font = Font(bold=True, size=16)
    ws.merge_cells("A1:J1")
    _put(ws, 2, ["项目名称", form.name, None, None, "主管部门", form.department])
    _put(ws, 3, ["实施单位", form.unit, None, None, "项目负责人", "王某"])
    _put(ws, 4, ["预算执行情况（10分）", None, "年初预算数", "调整后预算数", "预算执行数", "权重", "预算执行率", "得分"],
         bold=True)
    r = _budget_rows(ws, form, 5, 3)
    _put(ws, r, ["年度绩效目标完成情况", form.done])
    ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=10)
    head = r + 1
    _put(ws, head, ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分",
                    "未完成原因分析"], bold=True)
    r = _indicator_rows(ws, form, head + 1, lambda x: [x.name, x.direction, x.target, x.unit, x.actual, x.weight,
                                                        x.score, x.reason], level_col=1)
    _put(ws, r, ["合计", None, None, None, None, None, None, 100, form.total])
    if form.grade is not None:
        _put(ws, r + 1, ["自评等级", form.grade])
    if form.note:
        ws.cell(row=r + 2, column=1, value=form.note)
        ws.merge_cells(start_row=r + 2, start_column=1, end_row=r + 2, end_column=10)


def _indicator_rows(ws, form: Form, start: int, cells, level_col: int) -> int:
    """Rows from `start`; level-1 and level-2 cells merged over their group, as the forms have them."""
    r = start
    spans: dict[tuple[int, str], list[int]] = {}
    for x in form.rows:
        for level, label in ((1, x.level1), (2, (x.level1, x.level2))):
            spans.setdefault((level, label), []).append(r)
        _put(ws, r, [None if x is None else v for v in cells(x)], col=level_col + 2)
        r += 1
    for (level, label), rows in spans.items():
        col = level_col + level - 1
        ws.cell(row=rows[0], column=col, value=label if level == 1 else label[1]).border = _BOX
        if len(rows) > 1:
            ws.merge_cells(start_row=rows[0], start_column=col, end_row=rows[-1], end_column=col)
    return r


CASE_KEYS = {"name", "form", "budget", "budget_entered", "rows", "drop", "set", "total", "expect", "count", "at",
             "also"}


def from_case(case: dict) -> Form:
    """A form from a case of tests/cases_selfeval: `form` (national | province), `budget` ({row label =
    [年初预算数, 全年预算数, 全年执行数]}), `budget_entered` ([分值, 执行率, 得分]), `rows` ({indicator = {field =
    value}}), `drop` (indicators left out), `set` (other Form fields: done, goal, grade ...) and `total`
    (a number, "blank", or absent: the sum of the entered scores, so only what the case plants is wrong)."""
    unknown = set(case) - CASE_KEYS
    assert not unknown, f"unknown keys in case: {unknown}"
    form = national() if case.get("form", "national") == "national" else province()
    for label, values in case.get("budget", {}).items():
        form = change_budget(form, label, tuple(values))
    if "budget_entered" in case:
        form = replace(form, budget_entered=tuple(case["budget_entered"]))
    for name, fields in case.get("rows", {}).items():
        form = change_row(form, name, **fields)
    if case.get("drop"):
        form = replace(form, rows=tuple(r for r in form.rows if r.name not in case["drop"]))
    form = replace(form, **case.get("set", {}))
    total = case.get("total")
    return replace(form, total=None if total == "blank" else (total_of(form) if total is None else total))
