"""The copy's styles.xml: the original's, with cell formats appended and none changed.

A marked cell gets a clone of its own cell format (font, border, number format, alignment,
protection kept) whose fill is the mark's colour: one clone per (original format, mark). The cells
of our own sheets get formats built on the workbook's default font, one per (font, fill, alignment)
role they use.
"""
from __future__ import annotations

import copy

from lxml import etree

from perfeval.write.xmlparts import MAIN, parse, q, serialize

FILL_RGB = {"error": "00FFC7CE", "warning": "00FFEB9C", "header": "00DDEBF7"}     # red, amber, pale blue
LINK_RGB = "FF0563C1"
_FONT_ORDER = ("b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign", "sz", "color",
               "name", "family", "charset", "scheme")
_ALIGN = {"wrap": {"vertical": "top", "wrapText": "1"},
          "left": {"horizontal": "left", "vertical": "top", "wrapText": "1"}}
MINIMAL = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           b'<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
           b'<fills count="2"><fill><patternFill patternType="none"/></fill>'
           b'<fill><patternFill patternType="gray125"/></fill></fills>'
           b'<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
           b'<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
           b'<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
           b'<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
           b'</styleSheet>')
_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs",
          "tableStyles", "colors", "extLst")


class Styles:
    def __init__(self, xml: bytes | None):
        self.root = parse(xml or MINIMAL)
        self.fonts = self._list("fonts")
        self.fills = self._list("fills")
        self.xfs = self._list("cellXfs")
        self._list("borders")
        self._list("cellStyleXfs")
        self.changed = xml is None
        self._marks: dict[tuple[int, str], int] = {}
        self._roles: dict[tuple, int] = {}
        self._fill_ids: dict[str, int] = {}
        self._font_ids: dict[str | None, int] = {}

    def _list(self, tag: str) -> etree._Element:
        """The container element, created (with one default child where Excel wants one) when absent."""
        found = self.root.find(q(tag))
        if found is None:
            found = etree.Element(q(tag))
            self._insert(found)
            template = parse(MINIMAL).find(q(tag))
            for child in template if template is not None else ():
                found.append(child)
        return found

    def _insert(self, element: etree._Element) -> None:
        later = _ORDER[_ORDER.index(etree.QName(element).localname) + 1:]
        for i, child in enumerate(self.root):
            if isinstance(child.tag, str) and etree.QName(child).localname in later:
                self.root.insert(i, element)
                return
        self.root.append(element)

    def dxf_fills(self) -> list[bool]:
        """For each differential format (conditional formatting), whether it sets a fill."""
        dxfs = self.root.find(q("dxfs"))
        return [dxf.find(q("fill")) is not None for dxf in (dxfs if dxfs is not None else ())]

    # ---- marks ---------------------------------------------------------------------------------

    def marked(self, xf: int, mark: str) -> int:
        """The index of the clone of cell format `xf` with the fill of `mark`."""
        key = (xf, mark)
        if key not in self._marks:
            source = self.xfs[xf] if 0 <= xf < len(self.xfs) else self.xfs[0]
            clone = copy.deepcopy(source)
            clone.set("fillId", str(self._fill(mark)))
            clone.set("applyFill", "1")
            self._marks[key] = self._append(self.xfs, clone)
        return self._marks[key]

    # ---- our sheets ----------------------------------------------------------------------------

    def role(self, font: str | None, fill: str | None, align: str | None) -> int:
        """The index of a cell format for our sheets' (font, fill, alignment) role; 0 for none."""
        key = (font, fill, align)
        if key == (None, None, None):
            return 0
        if key not in self._roles:
            xf = etree.Element(q("xf"), numFmtId="0", fontId=str(self._font(font)),
                               fillId=str(self._fill(fill) if fill else 0), borderId="0", xfId="0")
            if font:
                xf.set("applyFont", "1")
            if fill:
                xf.set("applyFill", "1")
            if align:
                xf.set("applyAlignment", "1")
                etree.SubElement(xf, q("alignment"), _ALIGN[align])
            self._roles[key] = self._append(self.xfs, xf)
        return self._roles[key]

    def _font(self, role: str | None) -> int:
        if role is None:
            return 0
        if role not in self._font_ids:
            base = {etree.QName(c).localname: c for c in self.fonts[0] if isinstance(c.tag, str)}
            font = etree.Element(q("font"))
            for name in _FONT_ORDER:
                if name in ("b",) and role in ("bold", "title"):
                    etree.SubElement(font, q("b"))
                elif name == "u" and role == "link":
                    etree.SubElement(font, q("u"))
                elif name == "sz":
                    etree.SubElement(font, q("sz"), val="14" if role == "title" else
                                     (base["sz"].get("val") if "sz" in base else "11"))
                elif name == "color" and role == "link":
                    etree.SubElement(font, q("color"), rgb=LINK_RGB)
                elif name in ("color", "name", "family", "charset", "scheme") and name in base:
                    font.append(copy.deepcopy(base[name]))
            self._font_ids[role] = self._append(self.fonts, font)
        return self._font_ids[role]

    def _fill(self, role: str) -> int:
        if role not in self._fill_ids:
            fill = etree.Element(q("fill"))
            pattern = etree.SubElement(fill, q("patternFill"), patternType="solid")
            etree.SubElement(pattern, q("fgColor"), rgb=FILL_RGB[role])
            etree.SubElement(pattern, q("bgColor"), indexed="64")
            self._fill_ids[role] = self._append(self.fills, fill)
        return self._fill_ids[role]

    def _append(self, container: etree._Element, child: etree._Element) -> int:
        container.append(child)
        container.set("count", str(len(container)))
        self.changed = True
        return len(container) - 1

    def xml(self) -> bytes:
        return serialize(self.root)


__all__ = ["Styles", "FILL_RGB", "MAIN"]
