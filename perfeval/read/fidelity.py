"""What an original workbook package holds, and what of it an annotated copy cannot carry.

The annotated copy is made by editing the original package (write/package.py): every part is carried
over except a digital signature, which cannot survive an edit. The package is counted here (reader.py
passes the open zip: it stays the only module that opens inputs), so 汇总 can name what the copy
lacks and tests can compare an original with its copy feature by feature.
"""
from __future__ import annotations

import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field

from defusedxml import ElementTree

# what the package editor cannot carry into a copy: the copy is not what was signed
DROPPED = ("signature",)
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


@dataclass(frozen=True)
class Original:
    """The original file as checked: its digest, what its package holds, what openpyxl said on load."""
    sha256: str
    parts: dict[str, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def inventory(zf: zipfile.ZipFile, features: tuple[str, ...] | None = None) -> dict[str, int]:
    """Count the features of a workbook package (input or output alike): all of them, or `features`."""
    names = zf.namelist()
    counts: Counter[str] = Counter()
    for feature, pattern in _PARTS.items():
        if features is None or feature in features:
            counts[feature] = sum(1 for n in names if re.fullmatch(pattern, n))
    for feature, (pattern, element) in _ELEMENTS.items():
        if features is None or feature in features:
            counts[feature] = sum(len(re.findall(element, zf.read(n))) for n in names if re.fullmatch(pattern, n))
    for name in names if features is None or {"shape", "image", "other_drawing"} & set(features) else ():
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




def losses(original: Original) -> list[tuple[str, int]]:
    """(feature, how many) for everything of the original the annotated copy does not hold."""
    return [(feature, original.parts[feature]) for feature in DROPPED if original.parts.get(feature)]
