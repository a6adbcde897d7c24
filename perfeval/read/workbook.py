"""The only module that opens input files: refuses what is not a sane workbook, loads it (openpyxl,
or python-calamine on the fast path), serves its cell values with formulas evaluated (合计 may be a
formula no program ever cached), and hands them to layout.py, which finds the scoring table."""
from __future__ import annotations

import datetime
import hashlib
import warnings
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Iterator

import openpyxl
import python_calamine
from defusedxml import DefusedXmlException
from openpyxl.cell.rich_text import CellRichText
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.merge import MergedCellRange

from perfeval.read import cached
from perfeval.read import fidelity
from perfeval.read import formulas
from perfeval.read import limits
from perfeval.read import selfeval
from perfeval.read import datasheet
from perfeval.read.layout import find_header, read_table
from perfeval.catalogue import say
from perfeval.model import Phrase, Sheet


class Unreadable(Exception):
    """The file is not a readable scoring sheet: `reason` says why in one line, as a catalogue Phrase
    rendered by the writers (str() is its Chinese rendering, for logs and tracebacks)."""

    def __init__(self, key: str, **params: object):
        self.reason = Phrase(f"reason.{key}", params)
        super().__init__(say(self.reason))


MAX_UNPACKED = 512 * 1024 * 1024        # a workbook that unpacks to more than this is refused
MAX_DEPTH = 64                          # formulas inside one another (a real sheet: 合计 of 小计 of scores, 3)
MAX_WORK = 1_000_000                    # cells looked up by all formulas of one workbook
ENTITIES = limits.ENTITIES


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
        raise Unreadable("cannot_open", detail=str(exc.strerror or exc)) from None
    if size == 0:
        raise Unreadable("empty")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise Unreadable("ole_here")        # .xls or encrypted: pipeline reads those through sources.prepared
    if not head.startswith(b"PK"):
        raise Unreadable("not_xlsx")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if "[Content_Types].xml" not in names or not any(n.startswith("xl/workbook") for n in names):
                raise Unreadable("no_workbook")
            if sum(i.file_size for i in infos) > MAX_UNPACKED:
                raise Unreadable("too_big_unpacked")
            uncached = limits.inspect(zf, scan_formulas)      # limits before work: nothing built yet
    except limits.Refused as exc:
        raise Unreadable(exc.key, **exc.params) from None
    except zipfile.BadZipFile:
        raise Unreadable("bad_zip") from None
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError) as exc:
        raise Unreadable("unzip", detail=str(exc)) from None
    except (OSError, EOFError, zlib.error):
        raise Unreadable(limits.DAMAGED) from None
    return uncached


def open_workbook(path: Path, data_only: bool = False) -> Workbook:
    """The workbook as openpyxl reads it, for values and formulas only: nothing is saved from it (the
    annotated copy edits the original package)."""
    keep_vba = path.suffix.lower() == ".xlsm"
    try:
        with _merged_ranges_unstyled():
            return openpyxl.load_workbook(path, data_only=data_only, keep_vba=keep_vba, keep_links=not data_only,
                                          rich_text=not data_only)
    except Unreadable:
        raise
    except Exception as exc:  # openpyxl raises many kinds on damaged parts
        if any(isinstance(e, MemoryError) for e in _chain(exc)):
            raise MemoryError from None             # past the memory budget: said as such, not as damage
        if any(isinstance(e, DefusedXmlException) for e in _chain(exc)):
            raise Unreadable(ENTITIES) from None     # DTD or entities deeper than preflight looked
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:120]     # one line, whatever openpyxl said
        raise Unreadable("damaged", detail=detail) from None


@contextmanager
def _merged_ranges_unstyled() -> Iterator[None]:
    """While loading, merged ranges get no borders (MergedCellRange.format: three quarters of loading a
    seed-sized sheet); their covered cells are still empty MergedCells."""
    format_range = MergedCellRange.format
    MergedCellRange.format = lambda self: None
    try:
        yield
    finally:
        MergedCellRange.format = format_range


def _chain(exc: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    while exc is not None and exc not in out:
        out.append(exc)
        exc = exc.__cause__ or exc.__context__
    return out


@dataclass
class Opened:
    """What reading one file yields: every scoring sheet for the checks (workbook order) and the facts
    of the original file (digest, package inventory) for the annotator, which reads what else it needs
    (sheet names, merged ranges) from the package it edits."""
    sheets: list[Sheet]
    original: fidelity.Original | None = None
    source: Path | None = None          # the package the copy is made from (a converted or decrypted one)
    notes: tuple[Phrase, ...] = ()      # what was done to read it (sources.Source.notes), for 汇总


def read(path: str | Path, sha256: str | None = None) -> Opened:
    """Read a workbook once (see read_sheets); `sha256`: its digest when the caller already has it."""
    return Opened(read_sheets(path), _original(Path(path), sha256), Path(path))


def read_sheets(path: str | Path) -> list[Sheet]:
    """The Sheets: read with python-calamine (cached values, no openpyxl load) where it can serve, else
    with openpyxl - when a formula has no cached value (it is evaluated), or calamine fails or finds no
    table."""
    path = Path(path)
    uncached = preflight(path, scan_formulas=True)
    return (None if uncached else _calamine_sheets(path)) or read_openpyxl(path)


def _calamine_sheets(path: Path) -> list[Sheet] | None:
    try:
        with python_calamine.CalamineWorkbook.from_path(str(path)) as wb:
            return _locate(path, _CalamineGrids(wb, path))
    except Exception:   # Unreadable, or anything calamine raises: openpyxl has the last word
        return None


def read_openpyxl(path: Path) -> list[Sheet]:
    """The Sheets read with openpyxl, formulas evaluated (after preflight): where calamine cannot serve,
    and what the tests hold the calamine read to."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")         # what openpyxl does not model is the annotator's business
        wb = open_workbook(path)
    return _locate(path, _Grids(wb, path))


def _locate(path: Path, grids: _Grids) -> list[Sheet]:
    """Every sheet that holds a scoring table, in workbook order; the others (封面, 说明, 基础数据, our
    own 汇总 and 复核结果 of an earlier check) are not scoring sheets and are passed over, and so is a
    table with no indicator row (a blank form) when another sheet has one."""
    sheets = [sheet for title in grids.sheetnames if (sheet := _scoring_sheet(path, grids, title)) is not None]
    if not sheets:
        raise Unreadable("no_table")
    filled = [s for s in sheets if s.rows]          # a blank copy of the form beside filled ones is no project
    return datasheet.serve(filled or sheets[:1], grids)


def _scoring_sheet(path: Path, grids: _Grids, title: str) -> Sheet | None:
    layout = selfeval.detect(grids, title)         # a 项目支出绩效自评表: its own layout
    sheet = selfeval.read(path, title, grids, layout) if layout else None
    if sheet is not None:
        return sheet
    found = find_header(grids.grid(title))
    return read_table(path, title, grids, found) if found is not None else None


def sha256_of(path: str | Path) -> str:
    """The SHA-256 of a file's content: what 汇总 shows and what the ledger knows a file by."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _original(path: Path, sha256: str | None) -> fidelity.Original:
    with zipfile.ZipFile(path) as zf:
        return fidelity.Original(sha256 or sha256_of(path), fidelity.inventory(zf, fidelity.DROPPED))


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
        self._cached: cached.CachedValues | None = None      # read when a formula is not evaluated
        self._evaluating: list[tuple[str, int, int]] = []     # the formula cells being evaluated, outermost first
        self._memo: dict[tuple[str, int, int], object] = {}   # each formula cell evaluated once
        self._failed: set[tuple[str, int, int]] = set()        # ... or failed once (past a budget)
        self._work = 0                                        # cells looked up by formulas, this workbook

    @property
    def sheetnames(self) -> list[str]:
        """Worksheets only (chart sheets hold no cells)."""
        return [ws.title for ws in self.wb.worksheets]

    def grid(self, title: str) -> list[tuple]:
        if title not in self._grids:
            ws = self.wb[title]
            if ws.max_row * ws.max_column > 2_000_000:
                raise Unreadable("sheet_too_big", title=title, rows=ws.max_row, columns=ws.max_column)
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
        """Evaluated at most once per cell, whatever happens. Past the depth (MAX_DEPTH) or work (MAX_WORK)
        budget, each formula of the chain is remembered as failed, and so fails any formula that refers
        to one, without walking the chain again. A failed cell read for itself keeps its cached value,
        or, with none, stands as its formula text (score-not-numeric)."""
        key = (title, row, col)
        if key in self._failed:
            if self._evaluating:
                raise formulas.Budget("refers to a formula past the budget")
            return self._over_budget(title, row, col, text)
        if key in self._memo:
            return self._memo[key]
        if key in self._evaluating:
            return None                                      # circular reference
        if len(self._evaluating) >= MAX_DEPTH:
            raise formulas.Budget(f"formulas nested deeper than {MAX_DEPTH}")
        self._evaluating.append(key)
        try:
            value = formulas.evaluate(text, lambda sheet, ref: self._ref(sheet or title, ref))
        except (formulas.Budget, RecursionError) as exc:     # RecursionError: a backstop, the budgets keep well below it
            self._failed.add(key)
            if len(self._evaluating) > 1:
                raise formulas.Budget(str(exc)) from None    # up to the outermost formula
            return self._over_budget(title, row, col, text)
        except (formulas.Unsupported, ArithmeticError, ValueError):
            value = self._cached_value(title, row, col)
        finally:
            self._evaluating.pop()
        self._memo[key] = value
        return value

    def _over_budget(self, title: str, row: int, col: int, text: str) -> object:
        cached = self._cached_value(title, row, col)
        return Literal(text) if cached is None else cached

    def _ref(self, title: str, coordinate: str) -> object:
        if title not in self.sheetnames:
            raise formulas.Unsupported(f"no sheet {title}")
        self._work += 1
        if self._work > MAX_WORK:
            raise formulas.Budget(f"more than {MAX_WORK} cells looked up")
        row, col = coordinate_to_tuple(coordinate.upper())
        return self.value(title, row, col)

    def _cached_value(self, title: str, row: int, col: int) -> object:
        if self._cached is None:
            self._cached = cached.CachedValues(self.path, lambda: open_workbook(self.path, data_only=True))
        return self._cached.value(title, row, col)

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
                raise Unreadable("sheet_too_big", title=title, rows=ws.total_height, columns=ws.total_width)
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
