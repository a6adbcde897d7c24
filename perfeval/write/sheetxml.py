"""A new worksheet part written from a Grid: strings inline (no shared-strings table to touch, and never
a formula), numbers as numbers, then the sheet's view, columns, merges, filter, links and page setup
in the order the schema wants them."""
from __future__ import annotations

from typing import Callable

from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter

from perfeval.write.cells import Grid
from perfeval.write.xmlparts import MAIN, R, text


def worksheet(grid: Grid, xf: Callable[[str | None, str | None, str | None], int], selected: bool) -> bytes:
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" xmlns:r="{R}">']
    if grid.fit_width:
        out.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
    last = max(grid.cells, default=(1, 1), key=lambda rc: rc[0])[0]
    width = max((c for _, c in grid.cells), default=1)
    out.append(f'<dimension ref="A1:{get_column_letter(width)}{last}"/>')
    out.append(_view(grid, selected))
    out.append('<sheetFormatPr defaultRowHeight="15"/>')
    if grid.widths:
        out.append("<cols>" + "".join(f'<col min="{c}" max="{c}" width="{w}" customWidth="1"/>'
                                      for c, w in sorted(grid.widths.items())) + "</cols>")
    out.append(_data(grid, xf))
    if grid.autofilter:
        out.append(f'<autoFilter ref="{grid.autofilter}"/>')
    if grid.merges:
        out.append(f'<mergeCells count="{len(grid.merges)}">'
                   + "".join(f'<mergeCell ref="{m}"/>' for m in grid.merges) + "</mergeCells>")
    if grid.links:
        out.append("<hyperlinks>" + "".join(f'<hyperlink ref="{ref}" location="{_attr(where)}" display="{ref}"/>'
                                            for ref, where in grid.links.items()) + "</hyperlinks>")
    out.append('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>')
    if grid.fit_width:
        orientation = "landscape" if grid.landscape else "portrait"
        out.append(f'<pageSetup paperSize="9" orientation="{orientation}" fitToWidth="1" fitToHeight="0"/>')
    out.append("</worksheet>")
    return "".join(out).encode("utf-8")


def _attr(value: str) -> str:
    return text(value).replace('"', "&quot;")


def _view(grid: Grid, selected: bool) -> str:
    attrs = ' tabSelected="1"' if selected else ""
    if not grid.freeze:
        return f'<sheetViews><sheetView{attrs} workbookViewId="0"/></sheetViews>'
    row, col = coordinate_to_tuple(grid.freeze)
    split = (f' xSplit="{col - 1}"' if col > 1 else "") + (f' ySplit="{row - 1}"' if row > 1 else "")
    pane = "bottomRight" if row > 1 and col > 1 else "bottomLeft" if row > 1 else "topRight"
    return (f'<sheetViews><sheetView{attrs} workbookViewId="0"><pane{split} topLeftCell="{grid.freeze}" '
            f'activePane="{pane}" state="frozen"/><selection pane="{pane}" activeCell="{grid.freeze}" '
            f'sqref="{grid.freeze}"/></sheetView></sheetViews>')


def _data(grid: Grid, xf) -> str:
    rows: dict[int, list[tuple[int, object]]] = {}
    for (r, c), cell in grid.cells.items():
        rows.setdefault(r, []).append((c, cell))
    out = ["<sheetData>"]
    for r in sorted(rows):
        height = grid.heights.get(r)
        out.append(f'<row r="{r}"' + (f' ht="{height}" customHeight="1"' if height else "") + ">")
        for c, cell in sorted(rows[r], key=lambda item: item[0]):
            ref = f"{get_column_letter(c)}{r}"
            s = xf(cell.font, cell.fill, cell.alignment)
            style = f' s="{s}"' if s else ""
            value = cell.value
            if value is None:
                out.append(f'<c r="{ref}"{style}/>')
            elif isinstance(value, bool):
                out.append(f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, (int, float)):
                out.append(f'<c r="{ref}"{style}><v>{value!r}</v></c>')
            else:
                out.append(f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{text(str(value))}'
                           f'</t></is></c>')
        out.append("</row>")
    out.append("</sheetData>")
    return "".join(out)
