"""Workbooks in the seed's layout, for sample_workbooks/, tests and the benchmark.

`build()` writes the seed sheet (2018-2019 电子政务信息化专项资金绩效评价评分意见表, 金审工程二期) as a
real .xlsx with openpyxl, optionally changed: other scores, reasons, total or grade, a 基础数据 sheet,
and every layout variant the reader must understand (merged / repeated / blank level cells, weights in
labels or not, scores as text, the table moved, 合计 as an uncached formula, 小计 rows).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils.cell import get_column_letter

from perfeval.write.template import row_height

SEED = json.loads((Path(__file__).parent / "seed_sheet.json").read_text(encoding="utf-8"))
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")
_HEAD = Alignment(wrap_text=True, vertical="center", horizontal="center")
_HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
_FONT = Font(name="宋体", size=10)


# The figures behind the seed's formula indicators, as an evaluator would list them.
SEED_FIGURES = [
    ("实际支出资金", 413.905), ("实际到位资金", 444.205), ("计划成本", 460), ("实际成本", 444.205),
    ("计划硬件采购数量", 12), ("实际硬件采购数量", 12), ("计划软件采购数量", 5), ("实际软件采购数量", 5),
    ("计划系统开发数量", 5), ("实际系统开发数量", 5), ("计划开发系统数量", 5), ("系统上线运行数量", 5),
    ("系统功能实现率", "100%"), ("系统正常运行率", "99.5%"), ("预期正常运行率", "99%"),
    ("等保测评备案证明", "是"), ("预期等保等级", 3), ("实际等保等级", 3),
    ("计划工期", 1), ("实际工期", 31), ("超时响应次数", 0), ("预算调整幅度", "0%"),
    ("满意度", "96%"), ("政策制度可持续", 1), ("人员机构可持续", 1), ("管理机制可持续", 1),
    ("资金投入可持续", 1), ("项目寿命环境可持续", 0),
]


@dataclass(frozen=True)
class Layout:
    levels: str = "merged"          # merged | repeated | blank  (level-1/2 cells)
    weights: str = "paren"          # paren `决策 (20)` | fullwidth `决策（20分）` | none
    scores: str = "number"          # number | text (`3分`, full-width digits, padded)
    page_headers: bool = True       # repeat the header band before every printed page
    names: str = "seed"             # seed (as the PDF had them) | clean | newline (broken by \n)
    start_row: int = 1
    start_col: int = 1
    title_rows: int = 1             # extra blank title rows above the title
    total_formula: bool = False     # 合计 as =SUM(...) with no cached value
    subtotals: bool = False         # a 小计 row after every level-1 group (as =SUM formulas)
    seed_pages: bool = True         # rows grouped by the seed's own pages (labels as the PDF moved them)


LAYOUTS: dict[str, Layout] = {
    "seed": Layout(),
    "repeated": Layout(levels="repeated", page_headers=False, start_row=4, start_col=3, title_rows=2),
    "blank": Layout(levels="blank", weights="none", names="newline"),
    "fullwidth": Layout(weights="fullwidth", scores="text", names="clean", seed_pages=False),
    "formulas": Layout(total_formula=True, subtotals=True, seed_pages=False, page_headers=False),
}

_CLEAN = {"资金配 合理性": "资金配置合理性", "资金使 用合规性": "资金使用合规性", "制度执 行有效 性": "制度执行有效性",
          "实施规 范性": "实施规范性", "项目监 管有效 性": "项目监管有效性"}
# the tree whose weights add up (the seed's pages moved two labels)
_TREE = {"资金配 合理性": ("决策 (20)", "资金投入 (6)"),
         "管理制度健全性": ("过程 (20)", "组织实施 (12)"),
         "系统故障响应或维护及时性": ("产出(30)", "产出时效(5)")}


def consistent_overall() -> str:
    """The seed's 总体评价 with its one disagreement mended: it has 包组一 完工 2015年6月15日 where
    完成及时性's 扣分理由 has 01包组 实际于2016年9月完成."""
    text = dict(SEED["narrative"])["总体评价"]
    return text.replace("2015年6月15日完工", "2016年9月完工")


def seed_rows() -> list[dict]:
    return [dict(row, page=i) for i, page in enumerate(SEED["pages"]) for row in page]


def _pages(layout: Layout) -> list[list[dict]]:
    rows = seed_rows()
    if layout.seed_pages:
        pages: dict[int, list[dict]] = {}
        for row in rows:
            pages.setdefault(row["page"], []).append(row)
        return list(pages.values())
    # one logical table in tree order: labels filled in from the tree, not the PDF pages
    level1 = level2 = ""
    out = []
    for row in rows:
        level1, level2 = row["level1"] or level1, row["level2"] or level2
        l1, l2 = _TREE.get(row["name"], (level1, level2))
        if l2.startswith("产出成本"):
            l1 = "产出(30)"
        out.append(dict(row, level1=l1, level2=l2))
    order = ["决策", "过程", "产出", "效益"]
    out.sort(key=lambda r: order.index(r["level1"].replace(" ", "")[:2]))
    sub = ["项目立项", "绩效目标", "资金投入", "资金管理", "组织实施", "产出数量", "产出质量", "产出时效",
           "产出成本", "项目效益", "满意度"]
    out.sort(key=lambda r: sub.index(r["level2"].split("(")[0].split("（")[0].strip()))
    return [out]


def _label(text: str, layout: Layout) -> str:
    if not text:
        return text
    name, _, rest = text.replace("（", "(").partition("(")
    weight = rest.rstrip(")").strip()
    name = name.strip()
    if layout.weights == "none" or not weight:
        return name
    if layout.weights == "fullwidth":
        return f"{name}（{weight}分）"
    return f"{name} ({weight})"


def _name(text: str, layout: Layout) -> str:
    if layout.names == "clean":
        return _CLEAN.get(text, text)
    if layout.names == "newline":
        clean = _CLEAN.get(text, text)
        return clean[:3] + "\n" + clean[3:] if len(clean) > 4 else clean
    return text


_FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


def _score_value(text: str, layout: Layout, index: int):
    if text is None or text == "":
        return None
    if not isinstance(text, str):
        return text
    if layout.scores == "text":
        return [f"{text}分", text.translate(_FULLWIDTH), f" {text} "][index % 3]
    try:
        number = float(text)
    except ValueError:
        return text                 # typed as text ("3分", "满分"): written as it is
    return int(number) if number.is_integer() else number


@dataclass
class Changes:
    """What a built sheet changes from the seed."""
    scores: dict = field(default_factory=dict)       # indicator (as written) -> score (None = blank)
    reasons: dict = field(default_factory=dict)      # indicator (as written) -> 扣分理由
    weights: dict = field(default_factory=dict)      # indicator (as written) -> weight
    total: object = "81"
    grade: object = "良"
    basic_data: list = field(default_factory=list)   # [(名称, 数值)] -> sheet 基础数据
    data_title: str = "基础数据"                      # the title of that sheet
    narrative: dict = field(default_factory=dict)    # label -> text
    project: dict = field(default_factory=dict)
    title: str | None = None
    drop: tuple = ()                                 # indicators (as written) left out
    extra: list = field(default_factory=list)        # rows added at the end: dicts like seed rows
    subtotals: dict = field(default_factory=dict)    # level-1 name -> value typed over its =SUM


def build(path: str | Path, changes: Changes | None = None, layout: Layout | str = "seed",
          **kw) -> Path:
    """Write the seed sheet with `changes` in `layout` to `path`; keyword args fill Changes."""
    changes = changes or Changes(**kw)
    layout = LAYOUTS[layout] if isinstance(layout, str) else layout
    wb = Workbook()
    ws = wb.active
    ws.title = "评分表"
    fill(ws, changes, layout)
    if changes.basic_data:
        data_sheet(wb, changes.basic_data, changes.data_title)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def build_projects(path: str | Path, projects: list[tuple[str, Changes]], before: tuple[str, ...] = (),
                   data: dict[str, list] | None = None) -> Path:
    """One workbook with a seed-layout scoring sheet per (sheet title, changes), after the sheets named
    in `before` (a cover, notes: text only), and a 基础数据 sheet per `data` title -> [(名称, 数值)]."""
    wb = Workbook()
    wb.remove(wb.active)
    for title in before:
        cover = wb.create_sheet(title)
        cover["A1"], cover["A3"] = f"{title}：电子政务项目绩效评价报告", "本工作簿每个项目一个工作表。"
    for title, changes in projects:
        fill(wb.create_sheet(title), changes, LAYOUTS["seed"])
    for title, rows in (data or {}).items():
        data_sheet(wb, rows, title)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def fill(ws, changes: Changes, layout: Layout) -> None:
    """Write the seed sheet with `changes` in `layout` into the worksheet `ws`."""
    r0, c0 = layout.start_row + layout.title_rows - 1, layout.start_col
    col = {k: c0 + i for i, k in enumerate(
        ["level1", "level2", "name", "weight", "description", "standard", "score", "reason"])}
    last_col = c0 + 7

    def put(r: int, c: int, value, merge_to: tuple[int, int] | None = None):
        cell = ws.cell(row=r, column=c, value=value)
        cell.alignment = _WRAP
        cell.border = _BOX
        cell.font = _FONT
        if merge_to and merge_to != (r, c):
            ws.merge_cells(start_row=r, start_column=c, end_row=merge_to[0], end_column=merge_to[1])
        return cell

    r = r0
    title = put(r, c0, changes.title or SEED["title"], (r, last_col))
    title.font, title.alignment = Font(name="宋体", bold=True, size=14), _HEAD
    ws.row_dimensions[r].height = 30
    r += 1
    project = {**SEED["project"], **changes.project}
    for i, (label, key) in enumerate([("项目单位", "unit"), ("项目代码", "code"), ("项目名称", "name"),
                                      ("预算金额(万元)", "budget")]):
        put(r, c0 + 2 * i, label)
        put(r, c0 + 2 * i + 1, project[key] or None)
    r += 1

    def head(r: int, c: int, value, merge_to: tuple[int, int] | None = None):
        cell = put(r, c, value, merge_to)
        cell.font, cell.alignment, cell.fill = Font(name="宋体", size=10, bold=True), _HEAD, _HEAD_FILL
        return cell

    def header_band(r: int) -> int:
        head(r, c0, "评价指标", (r, c0 + 3))
        for key, text in [("description", "指标说明"), ("standard", "评分标准"), ("score", "评分"),
                          ("reason", "扣分理由")]:
            head(r, col[key], text, (r + 2, col[key]))
        head(r + 1, col["level1"], "一级指标")
        head(r + 1, col["level2"], "二级指标")
        head(r + 1, col["name"], "三级指标")
        head(r + 1, col["weight"], "权重(%)", (r + 2, col["weight"]))
        for key in ("level1", "level2", "name"):
            head(r + 2, col[key], "名称")
        return r + 3

    r = header_band(r)
    data_rows: list[tuple[int, dict]] = []
    index = 0
    pages = _pages(layout)
    if changes.extra:
        last = pages[-1][-1]
        pages[-1] = pages[-1] + [dict({"level1": last["level1"], "level2": last["level2"], "description": "",
                                       "standard": "", "reason": ""}, **row) for row in changes.extra]
    for p, page in enumerate(pages):
        if p and layout.page_headers:
            r = header_band(r + 1)
        rows = [row for row in page if row["name"] not in changes.drop]
        spans: dict[str, list] = {"level1": [], "level2": []}
        carried = {"level1": "", "level2": ""}
        group_rows: dict[str, list[int]] = {}
        for i, row in enumerate(rows):
            for key in ("level1", "level2"):
                label = _label(row[key], layout)
                starts = bool(row[key]) and (layout.levels != "blank" or label != carried[key]) \
                    if layout.seed_pages else (i == 0 or row[key] != rows[i - 1][key])
                if starts:
                    carried[key] = label
                    spans[key].append([r, r, label])
                elif spans[key]:
                    spans[key][-1][1] = r
                if layout.levels == "repeated":
                    put(r, col[key], carried[key] or None)
                elif starts:
                    put(r, col[key], label)
                else:
                    put(r, col[key], None)
            name = row["name"]
            put(r, col["name"], _name(name, layout))
            put(r, col["weight"], _score_value(str(changes.weights.get(name, row["weight"])), layout, 0)
                if layout.scores != "text" else int(changes.weights.get(name, row["weight"])))
            put(r, col["description"], row["description"])
            put(r, col["standard"], row["standard"])
            score = changes.scores.get(name, row["score"])
            put(r, col["score"], _score_value(score if score is None or not isinstance(score, (int, float))
                                              else score, layout, index))
            put(r, col["reason"], changes.reasons.get(name, row["reason"]) or None)
            group_rows.setdefault(carried["level1"], []).append(r)
            data_rows.append((r, row))
            index += 1
            r += 1
            nxt = rows[i + 1] if i + 1 < len(rows) else None
            if layout.subtotals and (nxt is None or (nxt["level1"] and nxt["level1"] != row["level1"])):
                put(r, col["level2"], "小计")
                cells = group_rows[carried["level1"]]
                group = carried["level1"].replace("（", "(").split("(")[0].strip()
                put(r, col["score"], changes.subtotals.get(group, f"=SUM({get_column_letter(col['score'])}{cells[0]}:"
                                     f"{get_column_letter(col['score'])}{cells[-1]})"))
                r += 1
        if layout.levels == "merged":
            for key in ("level1", "level2"):
                for start, end, _ in spans[key]:
                    if end > start:
                        ws.merge_cells(start_row=start, start_column=col[key], end_row=end, end_column=col[key])

    # footer
    put(r, c0, "合计", (r, c0 + 2))
    put(r, col["weight"], 100)
    sc = get_column_letter(col["score"])
    if layout.total_formula:
        scored = [row_r for row_r, _ in data_rows]
        added = f"SUM({sc}{scored[0]}:{sc}{scored[-1]})" if not layout.subtotals else \
            "+".join(f"{sc}{x}" for x in scored)
        put(r, col["score"], f"=ROUND({added},0)")      # the seed rounds its 合计 to whole points
    else:
        put(r, col["score"], _score_value(changes.total, layout, 0) if isinstance(changes.total, str)
            else changes.total)
    r += 1
    put(r, c0, "等级标准")
    put(r, c0 + 1, SEED["grade_standard"], (r, c0 + 4))
    put(r, col["standard"], "评价等级")
    put(r, col["score"], changes.grade)
    r += 1
    put(r, c0, "内容")
    put(r, c0 + 1, "评价意见", (r, last_col))
    r += 1
    for label, text in SEED["narrative"]:
        key = label.split("（")[0].rstrip("：")
        put(r, c0, label)
        put(r, c0 + 1, changes.narrative.get(key, text), (r, last_col))
        r += 1

    widths = {"level1": 10, "level2": 12, "name": 16, "weight": 8, "description": 40, "standard": 50,
              "score": 8, "reason": 36}
    for key, width in widths.items():
        ws.column_dimensions[get_column_letter(col[key])].width = width
    _dress(ws, r0)


def data_sheet(wb, rows: list, title: str = "基础数据") -> None:
    bd = wb.create_sheet(title)
    bd.append(["名称", "数值"])
    for name, value in rows:
        bd.append([name, value])
    bd.column_dimensions["A"].width = 20
    bd.column_dimensions["B"].width = 12
    for row in bd.iter_rows():
        for cell in row:
            cell.border, cell.font = _BOX, _FONT


def _dress(ws, title_row: int) -> None:
    """What makes the sheet look like the printed form: every row as tall as its wrapped text needs
    (merged cells counted over their width), printed landscape on A4, one page wide, centred."""
    spans = {(m.min_row, m.min_col): m for m in ws.merged_cells.ranges}
    width = {c: ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, ws.max_column + 1)}
    for r in range(title_row + 1, ws.max_row + 1):
        texts = []
        for cell in ws[r]:
            if not isinstance(cell.value, (str, int, float)) or (cell.row, cell.column) in spans and \
                    spans[(cell.row, cell.column)].max_row > r:
                continue
            m = spans.get((cell.row, cell.column))
            texts.append((str(cell.value), sum(width[c] for c in range(cell.column, (m.max_col if m else cell.column) + 1))))
        if texts:
            ws.row_dimensions[r].height = row_height(texts, line=13.5)
    ws.row_dimensions[title_row].height = 30
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4


def variant(base: str = "seed", **kw) -> Layout:
    return replace(LAYOUTS[base], **kw)
