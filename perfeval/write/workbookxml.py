"""workbook.xml and docProps/app.xml of the copy: names defined for our sheets, the tab the copy opens
on, our sheets' titles in the document properties. The original's own entries are left as they are."""
from __future__ import annotations

import re

from lxml import etree

from perfeval.write.xmlparts import parse, q, serialize

_ORDER = ("fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews", "sheets",
          "functionGroups", "externalReferences", "definedNames")
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"


def define(wb, name: str, sheet_index: int, text: str, hidden: bool = False) -> None:
    """A name local to the sheet at `sheet_index` (print titles, a filter's range)."""
    names = wb.find(q("definedNames"))
    if names is None:
        names = _child(wb, "definedNames")
    el = etree.SubElement(names, q("definedName"), name=name, localSheetId=str(sheet_index))
    if hidden:
        el.set("hidden", "1")
    el.text = text


def open_on(wb, sheet_index: int) -> None:
    """The copy opens on the sheet at `sheet_index`."""
    views = wb.find(q("bookViews"))
    if views is None:
        views = _child(wb, "bookViews")
    view = views.find(q("workbookView"))
    if view is None:
        view = etree.SubElement(views, q("workbookView"))
    view.set("activeTab", str(sheet_index))


def _child(wb, tag: str) -> etree._Element:
    """A new child of <workbook> at its place in the schema's order."""
    element = etree.Element(q(tag))
    before = _ORDER[:_ORDER.index(tag)]
    last = None
    for child in wb:
        if isinstance(child.tag, str) and etree.QName(child).localname in before:
            last = child
    if last is None:
        wb.insert(0, element)
    else:
        last.addnext(element)
    return element


def absolute(ref: str) -> str:
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    return f"${m[1]}${m[2]}" if m else ref


def app_titles(xml: bytes, titles: list[str]) -> bytes | None:
    """docProps/app.xml with our sheets' titles after the worksheets' in TitlesOfParts and the count of
    worksheets in HeadingPairs raised; None when it has no such lists (Excel does not need them)."""
    try:
        root = parse(xml)
    except etree.XMLSyntaxError:
        return None
    ns = etree.QName(root).namespace
    pairs = root.find(f"{{{ns}}}HeadingPairs/{{{_VT}}}vector")
    parts = root.find(f"{{{ns}}}TitlesOfParts/{{{_VT}}}vector")
    if pairs is None or parts is None or len(pairs) < 2:
        return None
    count = pairs[1].find(f"{{{_VT}}}i4")
    if count is None or not (count.text or "").strip().isdigit():
        return None
    n = int(count.text)
    for i, title in enumerate(titles):
        variant = etree.Element(f"{{{_VT}}}lpstr")
        variant.text = title
        parts.insert(n + i, variant)
    count.text = str(n + len(titles))
    parts.set("size", str(len(parts)))
    return serialize(root)
