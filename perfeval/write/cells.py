"""What every workbook perfeval writes shares: text kept as text, table headers, links, atomic saves."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.cell import get_column_letter, quote_sheetname
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from perfeval.files import write_atomically
from perfeval.model import Severity
from perfeval.write.formats import number

FILLS = {Severity.ERROR: PatternFill("solid", fgColor="FFC7CE"),      # red
         Severity.WARNING: PatternFill("solid", fgColor="FFEB9C")}    # amber
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
BOLD = Font(bold=True)
LINK = Font(color="0563C1", underline="single")
WRAP = Alignment(wrap_text=True, vertical="top")
LEFT = Alignment(wrap_text=True, vertical="top", horizontal="left")


def put(ws: Worksheet, row: int, col: int, value: object, **style: object) -> Cell:
    """Write one cell. A string is always text, never a formula: `=HYPERLINK(...)` from an input stays
    a string. Decimals become plain numbers (2 places, half-up)."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
    else:
        cell.value = number(value) if isinstance(value, Decimal) else value
    for name, attr in style.items():
        if attr is not None:
            setattr(cell, name, attr)
    return cell


def table(ws: Worksheet, row: int, headers: list[str], widths: list[float]) -> None:
    """A bold header row and the column widths of a table."""
    for col, (text, width) in enumerate(zip(headers, widths), start=1):
        put(ws, row, col, text, font=BOLD, fill=HEADER_FILL, alignment=WRAP)
        ws.column_dimensions[get_column_letter(col)].width = width


def finish_table(ws: Worksheet, header_row: int, columns: int) -> None:
    """Freeze the header, put an autofilter over the filled table, print it landscape with the header
    on every page."""
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(columns)}{max(ws.max_row, header_row + 1)}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    fit_to_width(ws, landscape=True)


def fit_to_width(ws: Worksheet, landscape: bool = False) -> None:
    """Print one page wide, as many pages tall as it takes."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def location(sheet: str, coordinate: str) -> str:
    return f"{quote_sheetname(sheet)}!{coordinate}"


def link(cell: Cell, target: str | None = None, sheet: str | None = None, coordinate: str | None = None) -> None:
    """A hyperlink to a file (relative `target`), to a cell of this workbook, or to a cell in a file."""
    where = location(sheet, coordinate) if sheet and coordinate else None
    cell.hyperlink = Hyperlink(ref=cell.coordinate, target=target, location=where)
    cell.font = LINK


def save_atomically(wb: Workbook, path: Path) -> None:
    write_atomically(path, wb.save)
