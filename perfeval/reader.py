"""The only module that opens input files: finds the scoring table in any layout -> model.Sheet.

Layouts met in the field: the table starts anywhere below title rows; header words span up to four
rows; level-1/level-2 cells are merged, repeated on every row, or left blank below the first; level
weights are written `决策 (20)`, `决策（20分）` or not at all; the header repeats on every printed page;
scores are numbers or text (`3分`, `３`); 合计 may be a formula that no program ever cached.
"""
from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import openpyxl
import python_calamine
from defusedxml import DefusedXmlException
from openpyxl.cell.rich_text import CellRichText
from openpyxl.utils.cell import get_column_letter
from openpyxl.workbook.workbook import Workbook

from . import fidelity, formulas
from .model import Band, IndicatorRow, Project, Score, Sheet, Subtotal, Text
from .numbers import normalize_text, parse_number


class Unreadable(Exception):
    """The file is not a readable scoring sheet; str() is a one-line reason in Chinese."""


MAX_UNPACKED = 512 * 1024 * 1024        # a workbook that unpacks to more than this is refused
ENTITIES = "文件含 XML 实体声明（可能是恶意构造的文件），已拒绝读取"

ROLES: list[tuple[str, tuple[str, ...]]] = [
    ("level1", ("一级指标",)),
    ("level2", ("二级指标",)),
    ("level3", ("三级指标",)),
    ("reason", ("扣分理由", "扣分原因", "扣分说明", "扣分依据", "得分理由", "评分理由")),
    ("standard", ("评分标准", "评分细则", "评分依据", "评分方法")),
    ("description", ("指标说明", "指标解释", "指标内涵", "指标释义")),
    ("weight", ("权重", "分值", "标准分", "满分")),
]
_SCORE_WORDS = re.compile(r"^(评分|得分|实际得分|评价得分|专家评分|评审得分|复核得分)(\(分\))?$")
_OTHER_HEADER_WORDS = {"名称", "评价指标", "指标名称", "序号"}
_LEVEL_LABEL = re.compile(r"^(.*?)\((\d+(?:\.\d+)?)(?:分|%)?\)$")
FOOTER_LABELS = ("总体评价", "存在问题", "改进建议", "评审组", "机构名称", "日期")
HEADER_LABELS = {"unit": "项目单位", "code": "项目代码", "name": "项目名称", "budget": "预算金额"}
_TOTAL_WORDS = ("合计", "总分", "总计", "综合得分")


@lru_cache(maxsize=1 << 12)
def role_of(text: str) -> str | None:
    if not text:
        return None
    for role, words in ROLES:
        if any(w in text for w in words):
            return role
    if _SCORE_WORDS.match(text):
        return "score"
    return None


def _header_like(text: str) -> bool:
    return role_of(text) is not None or text in _OTHER_HEADER_WORDS


def split_level_label(text: str) -> tuple[str, Decimal | None]:
    """`决策 (20)`, `决策（20分）` -> ('决策', 20); `决策` -> ('决策', None)."""
    m = _LEVEL_LABEL.match(text)
    if m and m[1]:
        return m[1], Decimal(m[2])
    return text, None


_GRADE_WORD = re.compile(r"优秀|良好|中等|较差|优|良|中|低|差")
_GRADE_OF = {"优秀": "优", "良好": "良", "中等": "中", "较差": "差"}
_BELOW = re.compile(r"<|≤|以下|低于|不足|不到|未满|未达")


def parse_bands(text: str) -> tuple[Band, ...]:
    """`优(90-100)；良(80-89)；...`, `优≥90；80≤良<90；差<60`, `60分以下为差`, one band per line or
    several on a line split only by spaces -> bands, highest first."""
    bands = []
    lines = re.split(r"[;；,，、\n]", unicodedata.normalize("NFKC", text or ""))
    for part in (seg for line in lines for seg in _band_segments(normalize_text(line))):
        m = _GRADE_WORD.search(part)
        values = [Decimal(n) for n in re.findall(r"\d+(?:\.\d+)?", part)]
        if not m or not values:
            continue
        low = min(values)
        if len(set(values)) == 1 and _BELOW.search(part):
            low = Decimal(0)                # `差<60`, `60分以下为差`, `差(≤59)`: an upper bound only
        bands.append(Band(_GRADE_OF.get(m[0], m[0]), low))
    bands.sort(key=lambda b: b.min, reverse=True)
    return tuple(bands)


def _band_segments(line: str) -> list[str]:
    """One band per segment when a line holds several: cut before each grade word when the grade
    comes first (`优90-100良80-89`), after each when the numbers come first (`90以上为优80-89为良`)."""
    words = list(_GRADE_WORD.finditer(line))
    if len(words) < 2:
        return [line]
    digit = re.search(r"\d", line)
    if digit is None or words[0].start() < digit.start():
        cuts = [w.start() for w in words[1:]]
    else:
        cuts = [w.end() for w in words[:-1]]
    bounds = [0, *cuts, len(line)]
    return [line[a:b] for a, b in zip(bounds, bounds[1:])]


# a formula cell with no cached value: <f>..</f> or <f .../> followed by no <v> or an empty one
_UNCACHED = re.compile(rb"(?:</(?:\w+:)?f>|<(?:\w+:)?f\b[^>]*/>)\s*"
                       rb"(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>")


# ---- opening -------------------------------------------------------------------------------------

def preflight(path: Path, scan_formulas: bool = False) -> bool:
    """Refuse, with a reason, what is not an unencrypted, sane .xlsx/.xlsm before openpyxl sees it.

    With scan_formulas, also say whether a worksheet holds a formula without a cached value.
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise Unreadable(f"无法打开文件：{exc.strerror or exc}") from None
    if size == 0:
        raise Unreadable("文件为空（0 字节）")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise Unreadable("文件已加密（设有打开密码）或为旧版 .xls 格式，请去除密码或另存为 .xlsx 后再提交")
    if not head.startswith(b"PK"):
        raise Unreadable("不是 Excel 工作簿（.xlsx）：文件内容不是 xlsx 格式，可能是改了扩展名的 CSV 或其他文件")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if "[Content_Types].xml" not in names or not any(n.startswith("xl/workbook") for n in names):
                raise Unreadable("不是 Excel 工作簿：压缩包中没有工作簿内容")
            if sum(i.file_size for i in infos) > MAX_UNPACKED:
                raise Unreadable("文件解压后超过 512 MB，疑为异常构造的文件，已拒绝读取")
            uncached = False
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    with zf.open(info) as part:
                        prolog = part.read(4096)
                        if scan_formulas and not uncached and info.filename.startswith("xl/worksheets/"):
                            uncached = _UNCACHED.search(prolog + part.read()) is not None
                    if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
                        raise Unreadable(ENTITIES)
    except zipfile.BadZipFile:
        raise Unreadable("文件已损坏或不完整（zip 结构无法解析），可能未复制完整") from None
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError) as exc:
        raise Unreadable(f"文件无法解压：{exc}") from None
    return uncached


def open_workbook(path: Path, data_only: bool = False) -> Workbook:
    """The formula workbook keeps what an annotated copy must carry over: VBA, external links, rich text."""
    keep_vba = path.suffix.lower() == ".xlsm"
    try:
        return openpyxl.load_workbook(path, data_only=data_only, keep_vba=keep_vba, keep_links=not data_only,
                                      rich_text=not data_only)
    except Unreadable:
        raise
    except Exception as exc:  # openpyxl raises many kinds on damaged parts
        if any(isinstance(e, DefusedXmlException) for e in _chain(exc)):
            raise Unreadable(ENTITIES) from None     # DTD or entities deeper than preflight looked
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:120]     # one line, whatever openpyxl said
        raise Unreadable(f"工作簿无法打开（内容损坏）：{detail}") from None


def _chain(exc: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    while exc is not None and exc not in out:
        out.append(exc)
        exc = exc.__cause__ or exc.__context__
    return out


@dataclass
class Opened:
    """What reading one file yields: the Sheet for the checks, the workbook and the facts of the original
    file (digest, package inventory, load warnings) for the annotator."""
    sheet: Sheet
    workbook: Workbook
    original: fidelity.Original | None = None


def read(path: str | Path) -> Opened:
    path = Path(path)
    preflight(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        wb = open_workbook(path)
    sheet = _locate(path, _Grids(wb, path))
    return Opened(sheet, wb, _original(path, tuple(str(w.message) for w in caught)))


def read_sheet(path: str | Path) -> Sheet:
    """The Sheet alone, for reports that write no annotated copy: read with python-calamine (cached
    values, no openpyxl load) where it can serve, else with openpyxl as `read` does - when a formula has
    no cached value, or calamine fails or finds no table."""
    path = Path(path)
    if not preflight(path, scan_formulas=True):
        try:
            with python_calamine.CalamineWorkbook.from_path(str(path)) as wb:
                return _locate(path, _CalamineGrids(wb, path))
        except Exception:   # Unreadable, or anything calamine raises: openpyxl has the last word
            pass
    return read(path).sheet


def _locate(path: Path, grids: _Grids) -> Sheet:
    for title in grids.sheetnames:
        found = _find_header(grids.grid(title))
        if found is not None:
            return _read_sheet(path, title, grids, found)
    raise Unreadable("未找到评分表：没有一张工作表含“三级指标”“评分”等表头")


def _original(path: Path, load_warnings: tuple[str, ...]) -> fidelity.Original:
    with path.open("rb") as fh:
        digest = hashlib.file_digest(fh, "sha256").hexdigest()
    with zipfile.ZipFile(path) as zf:
        return fidelity.Original(digest, fidelity.inventory(zf), load_warnings)


# ---- cell values ---------------------------------------------------------------------------------

class Literal(str):
    """Text stored as text that merely begins with '=' (`=HYPERLINK(...)` typed as a 扣分理由): never
    evaluated as a formula."""


def _cell_value(cell) -> object:
    value = cell.value
    if isinstance(value, CellRichText):
        return str(value)
    if cell.data_type == "s" and isinstance(value, str) and value.startswith("="):
        return Literal(value)
    return value


_PLAIN = (int, float, bool, Decimal)


class _Grids:
    """Values of every sheet as lists of rows; formulas are evaluated, else their cached values used."""

    def __init__(self, wb: Workbook, path: Path):
        self.wb, self.path = wb, path
        self._grids: dict[str, list[tuple]] = {}
        self._cached: Workbook | None = None
        self._evaluating: set[tuple[str, str]] = set()

    @property
    def sheetnames(self) -> list[str]:
        """Worksheets only (chart sheets hold no cells)."""
        return [ws.title for ws in self.wb.worksheets]

    def grid(self, title: str) -> list[tuple]:
        if title not in self._grids:
            ws = self.wb[title]
            if ws.max_row * ws.max_column > 2_000_000:
                raise Unreadable(f"工作表“{title}”过大（{ws.max_row} 行 × {ws.max_column} 列）")
            self._grids[title] = [tuple(_cell_value(c) for c in r)
                                  for r in ws.iter_rows(min_row=1, min_col=1, max_row=ws.max_row,
                                                        max_col=ws.max_column)]
        return self._grids[title]

    def raw(self, title: str, row: int, col: int) -> object:
        grid = self._grids.get(title) or self.grid(title)
        if row < 1 or row > len(grid) or col < 1 or col > len(grid[row - 1]):
            return None
        return grid[row - 1][col - 1]

    def value(self, title: str, row: int, col: int) -> object:
        """The cell's value; a formula is evaluated (sums) or read from its cached value."""
        raw = self.raw(title, row, col)
        if raw is None or type(raw) in _PLAIN:
            return raw
        if isinstance(raw, str) and raw.startswith("=") and len(raw) > 1 and not isinstance(raw, Literal):
            return self._formula(title, row, col, raw)
        if isinstance(raw, (datetime.date, datetime.time)):
            return _date_text(raw)      # `1-2` typed into a score cell, turned into a date by Excel
        if raw is not None and not isinstance(raw, (str, int, float, bool, Decimal)):
            return self._cached_value(title, row, col)       # array formulas
        return raw

    def _formula(self, title: str, row: int, col: int, text: str) -> object:
        key = (title, f"{get_column_letter(col)}{row}")
        if key in self._evaluating:
            return None                                      # circular reference
        self._evaluating.add(key)
        try:
            return formulas.evaluate(text, lambda sheet, ref: self._ref(sheet or title, ref))
        except (formulas.Unsupported, ArithmeticError, ValueError):
            return self._cached_value(title, row, col)
        finally:
            self._evaluating.discard(key)

    def _ref(self, title: str, ref: str) -> object:
        if title not in self.sheetnames:
            raise formulas.Unsupported(f"no sheet {title}")
        m = re.match(r"([A-Za-z]+)(\d+)$", ref)
        from openpyxl.utils.cell import column_index_from_string
        return self.value(title, int(m[2]), column_index_from_string(m[1].upper()))

    def _cached_value(self, title: str, row: int, col: int) -> object:
        if self._cached is None:
            self._cached = open_workbook(self.path, data_only=True)
        value = self._cached[title].cell(row=row, column=col).value
        return value if isinstance(value, (str, int, float, bool)) else None

    def text(self, title: str, row: int, col: int) -> str:
        value = self.value(title, row, col)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()


class _CalamineGrids(_Grids):
    """The same grids from python-calamine: cached values, laid out from A1 as openpyxl has them."""

    @property
    def sheetnames(self) -> list[str]:
        return [m.name for m in self.wb.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet]

    def grid(self, title: str) -> list[tuple]:
        if title not in self._grids:
            ws = self.wb.get_sheet_by_name(title)
            if ws.total_height * ws.total_width > 2_000_000:
                raise Unreadable(f"工作表“{title}”过大（{ws.total_height} 行 × {ws.total_width} 列）")
            self._grids[title] = [tuple(map(_as_openpyxl, row)) for row in ws.to_python(skip_empty_area=False)]
        return self._grids[title]

    def _cached_value(self, title: str, row: int, col: int) -> object:
        value = self.raw(title, row, col)
        return value if isinstance(value, (str, int, float, bool)) else None


def _as_openpyxl(value: object) -> object:
    """A calamine value as openpyxl gives it: empty is None, a whole number stored as 3 is int, and text
    that begins with '=' is a Literal (calamine gives formulas as their cached values, never as text)."""
    if value == "":
        return None
    if type(value) is float and value.is_integer():
        return int(value)
    if type(value) is str and value.startswith("="):
        return Literal(value)
    return value


def _date_text(value: datetime.date | datetime.time) -> str:
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        value = value.date()
    return value.isoformat()


def ref(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


# ---- the table -----------------------------------------------------------------------------------

@dataclass
class _Header:
    first_row: int          # first header row
    data_row: int           # first row after the header band
    cols: dict[str, int]    # role -> 1-based column


def _row_texts(grid: list[tuple], r: int) -> list[str]:
    return [normalize_text(v) if isinstance(v, str) else "" for v in grid[r - 1]]


def _find_header(grid: list[tuple]) -> _Header | None:
    for r in range(1, len(grid) + 1):
        texts = _row_texts(grid, r)
        if not any(role_of(t) for t in texts):
            continue
        cols: dict[str, int] = {}
        last = r
        for rr in range(r, min(r + 4, len(grid) + 1)):
            row_texts = _row_texts(grid, rr)
            if rr > r and not any(_header_like(t) for t in row_texts):
                break
            last = rr
            for c, t in enumerate(row_texts, start=1):
                role = role_of(t)
                if role and role not in cols:
                    cols[role] = c
        if "level3" in cols and "score" in cols:
            return _Header(r, last + 1, cols)
    return None


def _is_repeated_header(texts: list[str]) -> bool:
    filled = [t for t in texts if t]
    return bool(filled) and all(_header_like(t) for t in filled)


def _footer_start(texts: list[str]) -> bool:
    first = next((t for t in texts if t), "")
    return first.startswith(_TOTAL_WORDS + ("等级标准", "评价等级", "总体评价")) and len(first) <= 12


def _read_sheet(path: Path, title: str, grids: _Grids, header: _Header) -> Sheet:
    grid = grids.grid(title)
    cols = header.cols
    rows: list[IndicatorRow] = []
    subtotals: list[Subtotal] = []
    level_weights: list[tuple[int, str, Decimal, str]] = []
    current = {1: None, 2: None}
    footer_row = len(grid) + 1

    def cell_text(r: int, role: str) -> str:
        c = cols.get(role)
        return grids.text(title, r, c) if c else ""

    def score_at(r: int, role: str) -> Score:
        c = cols.get(role)
        if not c:
            return Score(None, None, "")
        value = grids.value(title, r, c)
        return Score(value, parse_number(value), ref(r, c))

    for r in range(header.data_row, len(grid) + 1):
        texts = [normalize_text(grids.text(title, r, c)) for c in range(1, len(grid[r - 1]) + 1)]
        if not any(texts):
            continue
        if _footer_start(texts):
            footer_row = r
            break
        if _is_repeated_header(texts):
            continue
        for level in (1, 2):
            label = normalize_text(cell_text(r, f"level{level}"))
            if label and not label.endswith("小计"):
                name, weight = split_level_label(label)
                if level == 1 and name != current[1]:
                    current[2] = None
                current[level] = name
                if weight is not None:
                    level_weights.append((level, name, weight, ref(r, cols[f"level{level}"])))
        name = normalize_text(cell_text(r, "level3"))
        weight, score = score_at(r, "weight"), score_at(r, "score")
        level1_text = normalize_text(cell_text(r, "level1"))
        level2_text = normalize_text(cell_text(r, "level2"))
        if name.endswith("小计") or (not name and not score.missing):
            scope = _subtotal_scope(name, level1_text, level2_text, current)
            subtotals.append(Subtotal(scope, current[scope] or "", score))
            continue
        if not name:
            continue
        reason_text = cell_text(r, "reason")
        reason_col = cols.get("reason")
        rows.append(IndicatorRow(
            row=r, level1=current[1], level2=current[2], name=name, weight=weight, score=score,
            reason=Text(reason_text, ref(r, reason_col)) if reason_col else None,
            standard=cell_text(r, "standard")))

    sheet = Sheet(path=str(path), sheet=title, title=_title(grid, header.first_row),
                  project=_project(grids, title, header.first_row), rows=tuple(rows),
                  subtotals=tuple(subtotals), level_weights=_first_weights(level_weights),
                  basic_data=_basic_data(grids))
    return _with_footer(sheet, grids, title, footer_row, cols)


def _subtotal_scope(name: str, level1_text: str, level2_text: str, current: dict) -> int:
    """Which group a 小计 row sums: the one its label names (`决策小计`), level 1 when `小计` stands in
    the 一级指标 or 二级指标 column (or the row has no level-2 group), else the current level-2 group."""
    label = next((t for t in (name, level2_text, level1_text) if t.endswith("小计")), "")
    prefix = split_level_label(label[:-2])[0] if label else ""
    for level in (1, 2):
        if prefix and prefix == current[level]:
            return level
    if level1_text.endswith("小计") or level2_text.endswith("小计") or current[2] is None:
        return 1
    return 2


def _first_weights(items: list[tuple[int, str, Decimal, str]]) -> tuple[tuple[int, str, Decimal, str], ...]:
    seen: dict[tuple[int, str], tuple[int, str, Decimal, str]] = {}
    for item in items:
        seen.setdefault(item[:2], item)
    return tuple(seen.values())


def _title(grid: list[tuple], header_row: int) -> str | None:
    fallback = None
    for r in range(1, header_row):
        for v in grid[r - 1]:
            if isinstance(v, str) and v.strip():
                t = v.strip().strip("*").strip()
                if any(w in t for w in ("评分", "评价", "绩效")) and not any(
                        l in t for l in HEADER_LABELS.values()):
                    return t
                fallback = fallback or t
    return fallback


def _labelled_value(grids: _Grids, title: str, r: int, c: int, label: str,
                    stop_labels: tuple[str, ...]) -> Text | None:
    """The value written after a label: in the same cell (`项目单位：X`) or the next filled cell."""
    own = grids.text(title, r, c)
    rest = re.sub(r"^\s*" + "".join(ch + r"\s*" for ch in label) + r"(\([^)]*\)|（[^）]*）)?[:：]?", "", own)
    if rest.strip() and rest != own:
        return Text(rest.strip(), ref(r, c))
    width = len(grids.grid(title)[r - 1])
    for cc in range(c + 1, width + 1):
        text = grids.text(title, r, cc)
        if not text:
            continue
        if any(normalize_text(text).startswith(s) for s in stop_labels):
            return None
        return Text(text, ref(r, cc))
    return None


def _project(grids: _Grids, title: str, header_row: int) -> Project:
    grid = grids.grid(title)
    found: dict[str, Text] = {}
    labels = tuple(HEADER_LABELS.values())
    for r in range(1, header_row):
        for c, v in enumerate(grid[r - 1], start=1):
            t = normalize_text(v) if isinstance(v, str) else ""
            for key, label in HEADER_LABELS.items():
                if t.startswith(label) and key not in found:
                    value = _labelled_value(grids, title, r, c, label, labels)
                    if value is not None:
                        found[key] = value
    budget = found.get("budget")
    return Project(
        unit=found["unit"].value if "unit" in found else None,
        code=found["code"].value if "code" in found else None,
        name=found["name"].value if "name" in found else None,
        budget=parse_number(budget.value) if budget else None,
        budget_cell=budget.cell if budget else None)


def _with_footer(sheet: Sheet, grids: _Grids, title: str, start: int, cols: dict[str, int]) -> Sheet:
    grid = grids.grid(title)
    total = total_weight = grade = standard = None
    narrative: dict[str, Text] = {}
    stops = ("评价等级", "等级标准") + FOOTER_LABELS
    for r in range(start, len(grid) + 1):
        for c, v in enumerate(grid[r - 1], start=1):
            t = normalize_text(v) if isinstance(v, str) else ""
            if not t:
                continue
            if total is None and t.startswith(_TOTAL_WORDS) and len(t) <= 6:
                total, total_weight = _total_row(grids, title, r, c, cols)
            elif t.startswith("等级标准") and standard is None:
                standard = _labelled_value(grids, title, r, c, "等级标准", stops)
            elif t.startswith("评价等级") and grade is None:
                grade = _labelled_value(grids, title, r, c, "评价等级", stops)
                if grade is None:       # left blank: the cell it belongs in, for the finding
                    grade = Text("", ref(r, cols["score"] if cols["score"] > c else c + 1))
            else:
                for label in FOOTER_LABELS:
                    if t.startswith(label) and label not in narrative and len(t) < 60:
                        value = _labelled_value(grids, title, r, c, label, stops)
                        if value is not None:
                            narrative[label] = value
    return Sheet(**{**sheet.__dict__, "total": total, "total_weight": total_weight, "grade": grade,
                    "grade_standard": standard,
                    "bands": parse_bands(standard.value) if standard else (),
                    "narrative": tuple(narrative.items())})


def _total_row(grids: _Grids, title: str, r: int, c: int, cols: dict[str, int]) -> tuple[Score, Score | None]:
    """合计: its score sits in the score column, else it is the last number on the row."""
    def at(col: int) -> Score:
        value = grids.value(title, r, col)
        return Score(value, parse_number(value), ref(r, col))

    width = len(grids.grid(title)[r - 1])
    numbers = [at(cc) for cc in range(c + 1, width + 1) if grids.text(title, r, cc)]
    # a blank score cell is a missing total; a value left of the score column (a merged cell) may stand
    # for it, but never the weight column's 100 nor a remark right of the score column
    elsewhere = [at(cc) for cc in range(c + 1, cols["score"])
                 if cc != cols.get("weight") and grids.text(title, r, cc)]
    score = at(cols["score"]) if not at(cols["score"]).missing else (elsewhere[-1] if elsewhere else
                                                                      Score(None, None, ref(r, cols["score"])))
    weight = None
    if "weight" in cols and not at(cols["weight"]).missing:
        weight = at(cols["weight"])
    elif len(numbers) >= 2:
        weight = numbers[0]
    return score, weight


def _basic_data(grids: _Grids) -> tuple[tuple[str, object, str], ...]:
    """Rows of the 基础数据 sheet: (name, value as entered, cell of the value)."""
    title = next((t for t in grids.sheetnames if normalize_text(t) == "基础数据"), None)
    if title is None:
        return ()
    out = []
    for r, row in enumerate(grids.grid(title), start=1):
        if len(row) < 2:
            continue
        name = normalize_text(row[0]) if row[0] is not None else ""
        if not name or name in ("名称", "指标", "项目"):
            continue
        out.append((name, grids.value(title, r, 2), f"{title}!{ref(r, 2)}"))
    return tuple(out)
