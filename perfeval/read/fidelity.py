"""What an original workbook package holds, and what of it openpyxl carries into a copy.

openpyxl rewrites a workbook from its own model: whatever it does not model (shapes, form controls,
slicers, OLE objects, worksheet extensions, ...) is gone from the copy. The annotated copy must name
every such loss, so the original package is counted here (reader.py passes the open zip: it stays
the only module that opens inputs) and compared with what the loaded model will write.
"""
from __future__ import annotations

import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field

from defusedxml import ElementTree
from openpyxl.workbook.workbook import Workbook

_XDR = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"
_ANCHORS = {f"{_XDR}{a}" for a in ("twoCellAnchor", "oneCellAnchor", "absoluteAnchor")}
_SHAPES = {f"{_XDR}{s}" for s in ("sp", "cxnSp", "grpSp")}
_CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"

# feature -> pattern of the package parts that hold one item each
_PARTS = {
    "chart": r"xl/charts/chart(Ex)?\d+\.xml",
    "pivot_table": r"xl/pivotTables/pivotTable\d+\.xml",
    "table": r"xl/tables/table\d+\.xml",
    "external_link": r"xl/externalLinks/externalLink\d+\.xml",
    "form_control": r"xl/ctrlProps/ctrlProp\d+\.xml",
    "activex": r"xl/activeX/activeX\d+\.xml",
    "ole_object": r"xl/embeddings/[^/]+",
    "slicer": r"xl/slicers/slicer\d+\.xml",
    "timeline": r"xl/timelines/timeline\d+\.xml",
    "vba": r"xl/vbaProject\.bin",
    "signature": r"_xmlsignatures/sig\d+\.xml",
    "printer_settings": r"xl/printerSettings/[^/]+",        # the page setup itself is kept
}
# feature -> (parts to search, element that stands for one item)
_ELEMENTS = {
    "comment": (r"xl/comments\d*\.xml", rb"<comment "),
    "threaded_comment": (r"xl/threadedComments/[^/]+\.xml", rb"<threadedComment "),
    "cell_image": (r"xl/cellimages\.xml|xl/richData/rdrichvalue\.xml", rb"<(?:\w+:)?(?:pic|rv)\b"),
    "cached_value": (r"xl/worksheets/sheet\d+\.xml", rb"<f(?:\s[^>]*)?(?:/>|>[^<]*</f>)<v>"),
    "header_image": (r"xl/worksheets/sheet\d+\.xml", rb"<legacyDrawingHF\b"),
    "background": (r"xl/worksheets/sheet\d+\.xml", rb"<picture\b"),
}
# openpyxl's own words for worksheet extensions it removes on load
EXTENSIONS = {"Conditional Formatting": "ext_conditional_formatting", "Data Validation": "ext_data_validation",
              "Sparkline Group": "ext_sparkline", "Slicer List": "slicer", "Protected Range": "ext_protected_range",
              "Ignored Error": "ext_ignored_error", "Web Extension": "ext_web", "Timeline Ref": "timeline"}
_EXTENSION_WARNING = re.compile(r"^(.+) extension is not supported and will be removed$")
_HARMLESS = ("contains no default style", "contains no stylesheet")


@dataclass(frozen=True)
class Original:
    """The original file as checked: its digest, what its package holds, what openpyxl said on load."""
    sha256: str
    parts: dict[str, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def inventory(zf: zipfile.ZipFile) -> dict[str, int]:
    """Count the features of a workbook package (input or output alike)."""
    names = zf.namelist()
    counts: Counter[str] = Counter()
    for feature, pattern in _PARTS.items():
        counts[feature] = sum(1 for n in names if re.fullmatch(pattern, n))
    for feature, (pattern, element) in _ELEMENTS.items():
        counts[feature] = sum(len(re.findall(element, zf.read(n))) for n in names if re.fullmatch(pattern, n))
    for name in names:
        if re.fullmatch(r"xl/drawings/drawing\d+\.xml", name):
            counts.update(_drawing(zf.read(name)))
    return {k: v for k, v in counts.items() if v}


def _drawing(xml: bytes) -> Counter[str]:
    """Top-level anchors of a DrawingML part: shapes, pictures, charts, other frames (SmartArt...)."""
    counts: Counter[str] = Counter()
    try:
        root = ElementTree.fromstring(xml)
    except Exception:
        counts["unreadable_drawing"] += 1
        return counts
    for anchor in root:
        if anchor.tag not in _ANCHORS:
            continue                        # mc:AlternateContent: controls, counted by their parts
        for obj in anchor:
            if obj.tag in _SHAPES:
                counts["shape"] += 1
            elif obj.tag == f"{_XDR}pic":
                counts["image"] += 1
            elif obj.tag == f"{_XDR}graphicFrame" and not any(
                    el.get("uri") == _CHART_URI for el in obj.iter() if el.tag.endswith("graphicData")):
                counts["other_drawing"] += 1
    return counts


def carried(wb: Workbook) -> dict[str, int]:
    """What openpyxl will write back of each counted feature, from the loaded model."""
    sheets = wb.worksheets
    vba = wb.vba_archive is not None and "xl/vbaProject.bin" in wb.vba_archive.namelist()
    return {
        "image": sum(len(ws._images) for ws in sheets),
        "chart": sum(len(ws._charts) for ws in sheets + wb.chartsheets),
        "comment": sum(1 for ws in sheets for c in ws._cells.values() if c.comment),
        "pivot_table": sum(len(ws._pivots) for ws in sheets),
        "table": sum(len(ws.tables) for ws in sheets),
        "external_link": len(wb._external_links),
        "vba": int(vba),
    }


def losses(original: Original, kept: dict[str, int]) -> list[tuple[str, int | None]]:
    """(feature, how many) for everything of the original the copy will not hold; None = count unknown."""
    out: list[tuple[str, int | None]] = [(feature, n - kept.get(feature, 0)) for feature, n in
                                         original.parts.items() if n > kept.get(feature, 0)]
    counted = {feature for feature, _ in out}
    for text in original.warnings:
        m = _EXTENSION_WARNING.match(text)
        feature = EXTENSIONS.get(m[1]) if m else None
        if feature and feature not in counted:
            out.append((feature, None))
            counted.add(feature)
    return out


def reader_notes(original: Original) -> list[str]:
    """openpyxl's load warnings not already named as a loss (verbatim, deduplicated)."""
    notes = []
    for text in original.warnings:
        m = _EXTENSION_WARNING.match(text)
        if (m and m[1] in EXTENSIONS) or any(h in text for h in _HARMLESS) or text in notes:
            continue
        notes.append(text)
    return notes
