"""What every sheet perfeval adds to a workbook shares: a neutral description of its cells (value and
style role), table headers, links, print setup.

A Grid is only a description: the package editor (package.py) turns it into worksheet XML, with
strings written inline, so a string is always text - `=HYPERLINK(...)` from an input stays a string.
Every output is written through files.write_atomically.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl.utils.cell import get_column_letter, quote_sheetname

from perfeval.model import Severity
from perfeval.write.formats import number

# style roles, rendered into cell formats by styles.py
FILLS = {Severity.ERROR: "error", Severity.WARNING: "warning"}      # red, amber
HEADER_FILL = "header"
BOLD = "bold"
TITLE = "title"
LINK = "link"
WRAP = "wrap"
LEFT = "left"


@dataclass
class Cell:
    value: object = None            # str (always text), int, float, bool or None
    font: str | None = None         # bold | title | link
    fill: str | None = None         # header | error | warning
    alignment: str | None = None    # wrap | left


@dataclass
class Grid:
    """One new sheet: cells by (row, column), widths, heights, merges, links to cells, view and print."""
    title: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    merges: list[str] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)         # cell -> location ('Sheet'!A1)
    freeze: str | None = None                                   # top-left cell of the scrolling pane
    autofilter: str | None = None
    print_titles: str | None = None                             # rows repeated on every page: "1:1"
    landscape: bool = False
    fit_width: bool = False

    def cell(self, row: int, col: int) -> Cell:
        return self.cells.setdefault((row, col), Cell())

    @property
    def max_row(self) -> int:
        return max((r for r, _ in self.cells), default=0)


def put(ws: Grid, row: int, col: int, value: object, font: str | None = None, fill: str | None = None,
        alignment: str | None = None) -> Cell:
    """Write one cell. Decimals become plain numbers (2 places, half-up)."""
    cell = ws.cell(row, col)
    cell.value = number(value) if isinstance(value, Decimal) else value
    for name, attr in (("font", font), ("fill", fill), ("alignment", alignment)):
        if attr is not None:
            setattr(cell, name, attr)
    return cell


def table(ws: Grid, row: int, headers: list[str], widths: list[float]) -> None:
    """A bold header row and the column widths of a table."""
    for col, (text, width) in enumerate(zip(headers, widths), start=1):
        put(ws, row, col, text, font=BOLD, fill=HEADER_FILL, alignment=WRAP)
        ws.widths[col] = width


def finish_table(ws: Grid, header_row: int, columns: int) -> None:
    """Freeze the header, put an autofilter over the filled table, print it landscape with the header
    on every page."""
    ws.freeze = f"A{header_row + 1}"
    ws.autofilter = f"A{header_row}:{get_column_letter(columns)}{max(ws.max_row, header_row + 1)}"
    ws.print_titles = f"{header_row}:{header_row}"
    fit_to_width(ws, landscape=True)


def fit_to_width(ws: Grid, landscape: bool = False) -> None:
    """Print one page wide, as many pages tall as it takes (A4)."""
    ws.landscape, ws.fit_width = landscape, True


def location(sheet: str, coordinate: str) -> str:
    return f"{quote_sheetname(sheet)}!{coordinate}"


def link(ws: Grid, row: int, col: int, sheet: str, coordinate: str) -> None:
    """A hyperlink from a cell to a cell of this workbook."""
    ws.links[f"{get_column_letter(col)}{row}"] = location(sheet, coordinate)
    ws.cell(row, col).font = LINK
