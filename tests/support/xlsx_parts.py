"""Real workbook features openpyxl cannot author itself, made by rewriting the parts of a saved package:
a VBA project (.xlsm), a drawing shape, a truncated image. Nothing here is a mock: the results are
ordinary .xlsx/.xlsm files that Excel's format allows."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from PIL import Image as PILImage

VBA_BYTES = b"\xcc\x61 perfeval test vbaProject " * 40

SHAPE_ANCHOR = (
    b'<xdr:twoCellAnchor xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
    b'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:from><xdr:col>10</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>10</xdr:row>'
    b'<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>13</xdr:col><xdr:colOff>0</xdr:colOff>'
    b'<xdr:row>14</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:sp macro="" textlink="">'
    b'<xdr:nvSpPr><xdr:cNvPr id="90" name="Rectangle 90"/><xdr:cNvSpPr/></xdr:nvSpPr>'
    b'<xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="1800000" cy="720000"/></a:xfrm>'
    b'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:sp><xdr:clientData/>'
    b'</xdr:twoCellAnchor>')


def png(color=(200, 30, 30), size=(40, 20)) -> io.BytesIO:
    buf = io.BytesIO()
    PILImage.new("RGB", size, color).save(buf, "PNG")
    buf.seek(0)
    return buf


def rewrite(src: Path, dst: Path, change) -> Path:
    """Copy a package part by part; change(name, data) -> new data, or None to drop the part."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info.filename))
            if data is not None:
                zout.writestr(info.filename, data)
        extra = change("", b"")
        if extra:
            for name, data in extra:
                zout.writestr(name, data)
    return dst


def to_xlsm(src: Path, dst: Path) -> Path:
    """The same workbook as a macro-enabled one carrying a VBA project part."""
    def change(name: str, data: bytes):
        if name == "":
            return [("xl/vbaProject.bin", VBA_BYTES)]
        if name == "[Content_Types].xml":
            data = data.replace(b"spreadsheetml.sheet.main+xml", b"PLACEHOLDER")
            data = data.replace(b"application/vnd.openxmlformats-officedocument.PLACEHOLDER",
                                b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
            return data.replace(b"</Types>", b'<Default Extension="bin" '
                                b'ContentType="application/vnd.ms-office.vbaProject"/></Types>')
        if name == "xl/_rels/workbook.xml.rels":
            return data.replace(b"</Relationships>", b'<Relationship Id="rIdVBA" Type="http://schemas.microsoft'
                                b'.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>'
                                b"</Relationships>")
        return data
    return rewrite(src, dst, change)


def add_shape(src: Path, dst: Path) -> Path:
    """Add a rectangle shape to the first drawing (the package must already have one)."""
    def change(name: str, data: bytes):
        if name == "xl/drawings/drawing1.xml":
            end = data.rindex(b"</")
            return data[:end] + SHAPE_ANCHOR + data[end:]
        return None if name == "" else data
    return rewrite(src, dst, change)


def truncate_images(src: Path, dst: Path) -> Path:
    """Replace every image by the first bytes of a BMP: openpyxl loads it, then cannot write it back."""
    buf = io.BytesIO()
    PILImage.new("RGB", (400, 200), (1, 2, 3)).save(buf, "BMP")
    return rewrite(src, dst, lambda name, data: None if name == "" else
                   buf.getvalue()[:200] if name.startswith("xl/media/") else data)


X14_VALIDATION = (
    b'<extLst><ext xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main" '
    b'uri="{CCE6A557-97BC-4B89-ADB6-D9C93CAAB3DF}"><x14:dataValidations '
    b'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main" count="1">'
    b'<x14:dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1">'
    b'<x14:formula1><xm:f>Lists!$A$2:$A$5</xm:f></x14:formula1>'
    b'<xm:sqref>H6:H51</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>')


def excel_extras(src: Path, dst: Path) -> Path:
    """What Excel writes and openpyxl cannot keep: a dropdown list drawn from another sheet (an x14
    extension) and cached results of formulas."""
    def change(name: str, data: bytes):
        if name == "xl/worksheets/sheet1.xml":
            data = data.replace(b"<v />", b"<v>80</v>").replace(b"<v/>", b"<v>80</v>")
            return data.replace(b"</worksheet>", X14_VALIDATION + b"</worksheet>")
        return None if name == "" else data
    return rewrite(src, dst, change)


def damage_member(src: Path, dst: Path, name: str) -> Path:
    """The package with one more member, stored, whose bytes no longer match its CRC (a bit flipped in
    transit): no reader of cell values touches it, a faithful copy cannot be made of it."""
    payload = b"\xff\xd8\xff\xe0 thumbnail " * 20
    rewrite(src, dst, lambda part, data: None if part == "" else data)
    with zipfile.ZipFile(dst, "a") as zf:
        zf.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)), payload, zipfile.ZIP_STORED)
    raw = bytearray(dst.read_bytes())
    at = bytes(raw).index(payload)
    raw[at + 5] ^= 0x01
    dst.write_bytes(bytes(raw))
    return dst
