"""A workbook openpyxl cannot open (.xls, .xlsb, .ods) as a plain .xlsx: what python-calamine reads.

Every worksheet's values (formulas as the values last computed and saved in the file: calamine reads
no formula), laid out from A1 as in the original, and its merged ranges where calamine gives them
(.xls and .xlsx; not .ods), and a .xls's column widths (read/biff.py: calamine gives none). Formatting,
row heights, comments, images and formulas are not carried: the annotated copy says so on its 汇总 sheet.
"""
from __future__ import annotations

from pathlib import Path

import python_calamine
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from perfeval.read import biff
from perfeval.read.workbook import Unreadable

MAX_CELLS = 2_000_000           # one sheet, as the ordinary reader's limit


def to_xlsx(source: Path, target: Path, kind: str) -> None:
    """Write the values of every worksheet of `source` (a `kind` file: .xls, .xlsb, .ods) to `target`,
    with merged ranges where calamine gives them and, from a BIFF8 file, column widths (biff.py)."""
    widths = biff.column_widths(source) if kind == ".xls" else {}
    try:
        with open(source, "rb") as fh:      # from a file object calamine goes by the bytes, not the name
            book = python_calamine.CalamineWorkbook.from_filelike(fh)
    except OSError as exc:
        raise Unreadable("cannot_open", detail=str(exc.strerror or exc)) from None
    except Exception as exc:        # calamine's errors name the damage; one line of it is enough
        raise Unreadable("legacy_unreadable", kind=kind, detail=_one_line(exc)) from None
    wb = Workbook()
    wb.remove(wb.active)
    with book:
        titles = [m.name for m in book.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet]
        for title in titles:
            try:
                sheet = book.get_sheet_by_name(title)
                if sheet.total_height * sheet.total_width > MAX_CELLS:
                    raise Unreadable("sheet_too_big", title=title, rows=sheet.total_height,
                                     columns=sheet.total_width)
                rows = sheet.to_python(skip_empty_area=False)
                merged = sheet.merged_cell_ranges or ()
            except Unreadable:
                raise
            except Exception as exc:
                raise Unreadable("legacy_unreadable", kind=kind, detail=_one_line(exc)) from None
            ws = wb.create_sheet(title)
            _fill(ws, rows, merged)
            for col, width in widths.get(title, {}).items():
                if col <= max(map(len, rows), default=0) and width > 0:     # not the filler up to column IV
                    ws.column_dimensions[get_column_letter(col)].width = width
    if not wb.worksheets:
        raise Unreadable("no_table")
    wb.save(target)


def _fill(ws, rows: list[list], merged) -> None:
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            value = _value(value)
            if value is None:
                continue
            cell = ws.cell(r, c, value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"        # text that begins with '=' stays text, as it was
    for (r0, c0), (r1, c1) in merged:
        if (r0, c0) != (r1, c1):
            ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)


def _value(value: object) -> object:
    """A calamine value as it goes into the copy: empty is no value, a whole number stored as 3.0 is 3."""
    if value == "" or value is None:
        return None
    if type(value) is float and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return _printable(value)
    return value


def _printable(text: str) -> str:
    """Control characters openpyxl refuses (a .xls may hold them) dropped; tabs and line breaks kept."""
    return "".join(ch for ch in text if ch >= " " or ch in "\t\n\r")


def _one_line(exc: BaseException) -> str:
    return " ".join(f"{type(exc).__name__}: {exc}".split())[:120]
