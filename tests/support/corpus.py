"""Real-looking workbooks for the fidelity tests of the annotated copy: what Excel, LibreOffice and WPS
put into packages besides cell values. Each builder starts from the seed sheet and adds parts the way
those programs write them; the results are ordinary .xlsx/.xlsm files."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import openpyxl
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.drawing.image import Image
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.hyperlink import Hyperlink

import xlsx_parts
from seedbook import Changes, build

FLAWED = Changes(scores={"立项依据充分性": 4})      # G6 above its weight: an error mark; H9 reason missing

TEXT_BOX = (
    b'<xdr:twoCellAnchor xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
    b'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:from><xdr:col>10</xdr:col>'
    b'<xdr:colOff>0</xdr:colOff><xdr:row>30</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to>'
    b'<xdr:col>14</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>34</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>'
    b'<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="91" name="TextBox 91"/><xdr:cNvSpPr txBox="1"/>'
    b'</xdr:nvSpPr><xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2400000" cy="720000"/></a:xfrm>'
    b'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr><xdr:txBody><a:bodyPr wrap="square"/>'
    b'<a:lstStyle/><a:p><a:r><a:rPr lang="zh-CN"/><a:t>\xe8\xaf\x84\xe5\xae\xa1\xe7\xbb\x84\xe5\xa4\x87\xe6\xb3\xa8'
    b'</a:t></a:r></a:p></xdr:txBody></xdr:sp><xdr:clientData/></xdr:twoCellAnchor>')


def drawings(path: Path) -> Path:
    """An image, a bar chart and a text box on the scoring sheet."""
    build(path, FLAWED)
    wb = openpyxl.load_workbook(path)
    ws = wb["评分表"]
    ws.add_image(Image(xlsx_parts.png()), "J2")
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=7, min_row=6, max_row=10))
    ws.add_chart(chart, "J12")
    wb.save(path)

    def change(name: str, data: bytes):
        if name == "xl/drawings/drawing1.xml":
            end = data.rindex(b"</")
            return data[:end] + TEXT_BOX + data[end:]
        return None if name == "" else data
    tmp = path.with_suffix(".tmp.xlsx")
    xlsx_parts.rewrite(path, tmp, change)
    tmp.replace(path)
    return path


def sheet_settings(ws) -> None:
    """What a real scoring sheet carries besides values: data validation and a conditional format on
    the score column, print titles and area, frozen panes."""
    dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="10")
    dv.add("G6:G51")
    ws.add_data_validation(dv)
    ws.conditional_formatting.add("G6:G51", CellIsRule(operator="lessThan", formula=["1"],
                                                       fill=PatternFill("solid", fgColor="DDDDDD")))
    ws.print_title_rows = "3:5"
    ws.print_area = "A1:H60"
    ws.freeze_panes = "C6"


def settings(path: Path) -> Path:
    """Data validation, conditional formatting over the flagged cell, defined names, print area and
    titles, hyperlinks (web and in-workbook), comments (one on a flagged cell), a hidden second sheet
    that is the selected tab, workbook structure protection."""
    build(path, FLAWED)
    wb = openpyxl.load_workbook(path)
    ws = wb["评分表"]
    sheet_settings(ws)
    ws["J3"] = "政策依据"
    ws["J3"].hyperlink = "http://www.mof.gov.cn/"
    ws["J4"] = "附表"
    ws["J4"].hyperlink = Hyperlink(ref="J4", location="'附表'!A1")
    ws["A2"].comment = Comment("原作者的批注", "张三")
    ws["G6"].comment = Comment("评审时讨论过", "李四")
    wb.defined_names["预算"] = DefinedName("预算", attr_text="'评分表'!$H$2")
    extra = wb.create_sheet("附表")
    extra["A1"], extra["B1"] = 3, "=A1*2"
    extra.defined_names["本表合计"] = DefinedName("本表合计", attr_text="'附表'!$B$1")
    wb.security = WorkbookProtection(lockStructure=True)
    wb.active = 1
    ws.sheet_view.tabSelected = False
    extra.sheet_view.tabSelected = True
    wb.save(path)
    return path


THREADED = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments" \
xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><threadedComment ref="G6" \
dT="2024-03-01T09:30:00.00" personId="{5C7B1A6E-1111-4D2B-9A3C-000000000001}" \
id="{A1B2C3D4-2222-4E5F-8A9B-000000000001}"><text>\xe8\xbf\x99\xe4\xb8\xaa\xe5\x88\x86\xe6\x95\xb0\xe8\xa6\x81\
\xe5\x86\x8d\xe7\x9c\x8b</text></threadedComment></ThreadedComments>"""
PERSONS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments" \
xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><person displayName="\xe7\x8e\x8b\xe4\xba\x94" \
id="{5C7B1A6E-1111-4D2B-9A3C-000000000001}" userId="wangwu" providerId="None"/></personList>"""
_MS = "http://schemas.microsoft.com/office/2017/10/relationships"


def threaded(path: Path) -> Path:
    """A threaded comment (with the legacy note Excel writes beside it) on the flagged cell G6."""
    build(path, FLAWED)
    wb = openpyxl.load_workbook(path)
    wb["评分表"]["G6"].comment = Comment("[线程批注]\n你的 Excel 版本可读取此线程批注。\n注释:\n    这个分数要再看", "tc=王五")
    wb.save(path)

    def change(name: str, data: bytes):
        if name == "":
            return [("xl/threadedComments/threadedComment1.xml", THREADED), ("xl/persons/person.xml", PERSONS)]
        if name == "xl/worksheets/_rels/sheet1.xml.rels":
            return data.replace(b"</Relationships>", f'<Relationship Id="rIdTC1" Type="{_MS}/threadedComment" '
                                f'Target="../threadedComments/threadedComment1.xml"/></Relationships>'.encode())
        if name == "xl/_rels/workbook.xml.rels":
            return data.replace(b"</Relationships>", f'<Relationship Id="rIdP1" Type="{_MS}/person" '
                                f'Target="persons/person.xml"/></Relationships>'.encode())
        if name == "[Content_Types].xml":
            return data.replace(b"</Types>", b'<Override PartName="/xl/threadedComments/threadedComment1.xml" '
                                b'ContentType="application/vnd.ms-excel.threadedcomments+xml"/><Override '
                                b'PartName="/xl/persons/person.xml" ContentType="application/vnd.ms-excel.person+xml"/>'
                                b'</Types>')
        return data
    return _rewritten(path, change)


def custom_xml(path: Path) -> Path:
    """A custom XML data part with its properties, as document-management systems attach them."""
    build(path, FLAWED)
    item = '<?xml version="1.0" encoding="UTF-8"?><项目 xmlns="urn:example:oa"><编号>ZS-2019-017</编号></项目>'
    props = (b'<?xml version="1.0" encoding="UTF-8" standalone="no"?><ds:datastoreItem '
             b'ds:itemID="{6E0C1F2A-3333-4B5C-9D8E-000000000001}" '
             b'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs/>'
             b'</ds:datastoreItem>')
    item_rels = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships '
                 b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
                 b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps" '
                 b'Target="itemProps1.xml"/></Relationships>')

    def change(name: str, data: bytes):
        if name == "":
            return [("customXml/item1.xml", item.encode()), ("customXml/itemProps1.xml", props),
                    ("customXml/_rels/item1.xml.rels", item_rels)]
        if name == "xl/_rels/workbook.xml.rels":
            return data.replace(b"</Relationships>", b'<Relationship Id="rIdCX1" Type="http://schemas.openxml'
                                b'formats.org/officeDocument/2006/relationships/customXml" '
                                b'Target="../customXml/item1.xml"/></Relationships>')
        if name == "[Content_Types].xml":
            return data.replace(b"</Types>", b'<Override PartName="/customXml/itemProps1.xml" ContentType='
                                b'"application/vnd.openxmlformats-officedocument.customXmlProperties+xml"/></Types>')
        return data
    return _rewritten(path, change)


def xlsm(path: Path) -> Path:
    src = build(path.with_suffix(".src.xlsx"), FLAWED)
    return xlsx_parts.to_xlsm(src, path)


def wps(path: Path) -> Path:
    """As WPS 表格 saves: its own custom document properties and application name, 宋体 throughout."""
    build(path, FLAWED)
    custom = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.'
              'openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxml'
              'formats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-'
              '08002B2CF9AE}" pid="2" name="ICV"><vt:lpwstr>0F5E8A1C2B3D4E5F</vt:lpwstr></property><property '
              'fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="KSOProductBuildVer"><vt:lpwstr>'
              '2052-12.1.0.16120</vt:lpwstr></property></Properties>').encode()

    def change(name: str, data: bytes):
        if name == "":
            return [("docProps/custom.xml", custom)]
        if name == "_rels/.rels":
            return data.replace(b"</Relationships>", b'<Relationship Id="rId9" Type="http://schemas.openxml'
                                b'formats.org/officeDocument/2006/relationships/custom-properties" '
                                b'Target="docProps/custom.xml"/></Relationships>')
        if name == "[Content_Types].xml":
            return data.replace(b"</Types>", b'<Override PartName="/docProps/custom.xml" ContentType="application/'
                                b'vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>')
        if name == "docProps/app.xml":
            return data.replace(b"Microsoft Excel", b"WPS \xe8\xa1\xa8\xe6\xa0\xbc")
        if name == "xl/styles.xml":
            return data.replace(b'val="Calibri"', "val=\"宋体\"".encode()).replace(b"<scheme val=\"minor\"/>", b"")
        return data
    return _rewritten(path, change)


def signed(path: Path) -> Path:
    """A digitally signed workbook (the signature parts as Office writes them)."""
    build(path, FLAWED)
    sig = (b'<?xml version="1.0" encoding="UTF-8"?><Signature xmlns="http://www.w3.org/2000/09/xmldsig#" '
           b'Id="idPackageSignature"><SignedInfo/><SignatureValue>AAAA</SignatureValue></Signature>')
    origin_rels = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.'
                   b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                   b'openxmlformats.org/package/2006/relationships/digital-signature/signature" '
                   b'Target="sig1.xml"/></Relationships>')

    def change(name: str, data: bytes):
        if name == "":
            return [("_xmlsignatures/origin.sigs", b""), ("_xmlsignatures/sig1.xml", sig),
                    ("_xmlsignatures/_rels/origin.sigs.rels", origin_rels)]
        if name == "_rels/.rels":
            return data.replace(b"</Relationships>", b'<Relationship Id="rIdSig" Type="http://schemas.openxml'
                                b'formats.org/package/2006/relationships/digital-signature/origin" '
                                b'Target="_xmlsignatures/origin.sigs"/></Relationships>')
        if name == "[Content_Types].xml":
            return data.replace(b"</Types>", b'<Default Extension="sigs" ContentType="application/vnd.openxml'
                                b'formats-package.digital-signature-origin"/><Override PartName="/_xmlsignatures/'
                                b'sig1.xml" ContentType="application/vnd.openxmlformats-package.digital-'
                                b'signature-xmlsignature+xml"/></Types>')
        return data
    return _rewritten(path, change)


def libreoffice(path: Path) -> Path | None:
    """The seed sheet as LibreOffice Calc saves it; None when LibreOffice is not installed."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        src = build(Path(tmp) / "in" / path.name, FLAWED)
        run_soffice([src], "xlsx", Path(tmp) / "out")
        shutil.copy(Path(tmp) / "out" / path.name, path)
    return path


def run_soffice(files: list[Path], target: str, out: Path) -> subprocess.CompletedProcess:
    """LibreOffice headless, with a profile of its own (other LibreOffice processes may be running)."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                               "--convert-to", target, "--outdir", str(out), *map(str, files)],
                              capture_output=True, timeout=300, check=True)


def _rewritten(path: Path, change) -> Path:
    tmp = path.with_name(path.stem + ".tmp" + path.suffix)
    xlsx_parts.rewrite(path, tmp, change)
    tmp.replace(path)
    return path


BUILDERS = {"drawings": drawings, "settings": settings, "threaded": threaded, "custom_xml": custom_xml,
            "xlsm": xlsm, "wps": wps, "signed": signed, "libreoffice": libreoffice}
