"""Changes inside an original worksheet part: a flagged cell's style index (the cell element is added
when the sheet has none for it), the legacy drawing that shows comments, the selected tab; and the
questions the annotation policy asks of a sheet (which flagged cells lie under conditional formatting
that paints a fill of its own). Nothing else of the sheet is touched."""
from __future__ import annotations

import re

from lxml import etree
from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter, range_boundaries

from perfeval.write.xmlparts import R, q

# children of <worksheet> that come after <legacyDrawing>, in schema order
_AFTER_LEGACY = ("legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems",
                 "tableParts", "extLst")
_SELECTED = re.compile(rb'(<(?:\w+:)?sheetView\b[^>]*?)\s+tabSelected="(?:1|true)"')
_X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
_XM = "http://schemas.microsoft.com/office/excel/2006/main"
_ALWAYS_FILLED = ("colorScale", "dataBar")


def unselect_bytes(xml: bytes) -> bytes | None:
    """The sheet part with its tab no longer selected, or None when it was not selected."""
    changed = _SELECTED.sub(rb"\1", xml)
    return None if changed == xml else changed


def unselect(root) -> None:
    for view in root.iter(q("sheetView")):
        view.attrib.pop("tabSelected", None)


def restyle(root, marks: dict[str, str], styled) -> None:
    """Give each marked cell {A1: mark} the style `styled(old_index, mark)`."""
    if not marks:
        return
    cells = _cells(root, set(marks))
    for ref, mark in marks.items():
        cell = cells[ref] if ref in cells else _add_cell(root, ref)
        cell.set("s", str(styled(int(cell.get("s") or 0), mark)))


def _cells(root, wanted: set[str]) -> dict[str, etree._Element]:
    """A1 -> <c> for the wanted cells that have an element (rows and cells without r numbered as Excel
    would)."""
    out = {}
    data = root.find(q("sheetData"))
    row_no = 0
    for row in data if data is not None else ():
        row_no = int(row.get("r") or row_no + 1)
        last = None
        for c in row.iter(q("c")):
            ref = c.get("r")
            if ref is None:                 # numbered after the cell before it
                ref = _ref(row_no, coordinate_to_tuple(last)[1] + 1 if last else 1)
                c.set("r", ref)
            last = ref
            if ref in wanted:
                out[ref] = c
    return out


def _ref(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


def _add_cell(root, ref: str) -> etree._Element:
    """An empty cell element at its place in its row (the row is added when missing)."""
    row_no, col_no = coordinate_to_tuple(ref)
    data = root.find(q("sheetData"))
    if data is None:
        raise ValueError("worksheet without sheetData")
    row = None
    for i, candidate in enumerate(data):
        r = int(candidate.get("r") or 0)
        if r == row_no:
            row = candidate
            break
        if r > row_no:
            row = etree.Element(q("row"), r=str(row_no))
            data.insert(i, row)
            break
    if row is None:
        row = etree.SubElement(data, q("row"), r=str(row_no))
    cell = etree.Element(q("c"), r=ref)
    for i, other in enumerate(row.findall(q("c"))):
        if coordinate_to_tuple(other.get("r"))[1] > col_no:
            other.addprevious(cell)
            return cell
    row.append(cell)
    return cell


def add_legacy_drawing(root, rid: str) -> None:
    element = etree.Element(q("legacyDrawing"))
    element.set(f"{{{R}}}id", rid)
    for child in root:
        if isinstance(child.tag, str) and etree.QName(child).localname in _AFTER_LEGACY:
            child.addprevious(element)
            return
    root.append(element)


def legacy_drawing(root) -> str | None:
    element = root.find(q("legacyDrawing"))
    return element.get(f"{{{R}}}id") if element is not None else None


def under_filled_format(root, cells: list[str], dxf_fills: list[bool]) -> list[str]:
    """The cells that lie under a conditional format able to paint a fill over our mark."""
    ranges: list[str] = []
    for cf in root.findall(q("conditionalFormatting")):
        if any(_fills(rule, dxf_fills) for rule in cf.findall(q("cfRule"))):
            ranges += (cf.get("sqref") or "").split()
    for cf in root.iter(f"{{{_X14}}}conditionalFormatting"):
        if any(rule.find(f"{{{_X14}}}dxf/{q('fill')}") is not None or rule.get("type") in _ALWAYS_FILLED
               for rule in cf.findall(f"{{{_X14}}}cfRule")):
            sqref = cf.find(f"{{{_XM}}}sqref")
            ranges += (sqref.text or "").split() if sqref is not None else []
    bounds = [tuple(b if b is not None else (1, 1, 1 << 20, 1 << 20)[i] for i, b in enumerate(range_boundaries(r)))
              for r in ranges if r]
    out = []
    for cell in cells:
        row, col = coordinate_to_tuple(cell)
        if any(c1 <= col <= c2 and r1 <= row <= r2 for c1, r1, c2, r2 in bounds):
            out.append(cell)
    return out


def _fills(rule, dxf_fills: list[bool]) -> bool:
    if rule.get("type") in _ALWAYS_FILLED:
        return True
    dxf = rule.get("dxfId")
    return dxf is not None and dxf.isdigit() and int(dxf) < len(dxf_fills) and dxf_fills[int(dxf)]
