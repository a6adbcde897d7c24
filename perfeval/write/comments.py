"""Our notes merged into a sheet's comments part and its VML drawing: theirs kept as they are, ours
appended; on a cell that already has a note, ours goes first and theirs follows whole, in its own
formatting.

VML is a legacy format Excel itself writes loosely (unclosed tags are common), so it is never parsed:
shapes are added as text before its closing tag and the shape of a merged note is only resized.
"""
from __future__ import annotations

import re
import unicodedata

from lxml import etree

from perfeval.write.xmlparts import MAIN, clean, parse, q, serialize

_VML_ROOT = ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
             'xmlns:x="urn:schemas-microsoft-com:office:excel">')
_NAMESPACES = {"v": "urn:schemas-microsoft-com:vml", "o": "urn:schemas-microsoft-com:office:office",
               "x": "urn:schemas-microsoft-com:office:excel"}
_SHAPETYPE = ('<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
              'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
              '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>')
_SHAPE = ('<v:shape id="_x0000_s{id}" type="#_x0000_t202" style="position:absolute;margin-left:59.25pt;'
          'margin-top:1.5pt;width:{width}px;height:{height}px;z-index:{z};visibility:hidden" '
          'fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/>'
          '<v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>'
          '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>'
          '<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:AutoFill>False</x:AutoFill>'
          '<x:Row>{row}</x:Row><x:Column>{col}</x:Column></x:ClientData></v:shape>')
EMPTY = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns="{MAIN}"/>'.encode()
WIDTH = 380


def size(note: str) -> tuple[int, int]:
    """(width, height) in pixels of a box that shows the note (about 30 CJK characters a line)."""
    per_line = int(WIDTH / 6.5)
    lines = sum(max(1, -(-_display_width(line) // per_line)) for line in note.split("\n"))
    return WIDTH, min(900, 18 + 15 * lines)


def _display_width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def merge(xml: bytes | None, notes: dict[str, str], author: str, kept: str) -> tuple[bytes, dict[str, str]]:
    """The comments part with our notes: {cell: text} added; `kept` (a template with {author}) heads an
    existing note kept below ours. Returns the part and {cell: full text} of every note that is new."""
    root = parse(xml or EMPTY)
    authors = root.find(q("authors"))
    if authors is None:
        authors = etree.Element(q("authors"))
        root.insert(0, authors)
    names = [a.text or "" for a in authors]
    if author not in names:
        etree.SubElement(authors, q("author")).text = author
        names.append(author)
    listing = root.find(q("commentList"))
    if listing is None:
        listing = etree.SubElement(root, q("commentList"))
    existing = {c.get("ref"): c for c in listing}
    new: dict[str, str] = {}
    for cell, note in notes.items():
        comment = existing.get(cell)
        if comment is None:
            comment = etree.SubElement(listing, q("comment"), ref=cell, authorId=str(names.index(author)))
            _run(etree.SubElement(comment, q("text")), note, 0)
            new[cell] = note
            continue
        theirs = comment.find(q("text"))
        if theirs is None:
            theirs = etree.SubElement(comment, q("text"))
        index = int(comment.get("authorId") or 0)
        heading = kept.format(author=names[index] if index < len(names) else "")
        for bare in theirs.findall(q("t")):          # a plain note: its text becomes a run of its own
            run = etree.Element(q("r"))
            theirs.replace(bare, run)
            run.append(bare)
        _run(theirs, note + heading, 0)
        comment.set("authorId", str(names.index(author)))
        new[cell] = note + heading + plain(theirs)
    return serialize(root), new


def plain(text_element) -> str:
    """The text of a comment's <text> element (runs and plain text, not phonetic guides)."""
    parts = [t.text or "" for t in text_element.findall(q("t"))]
    parts += [t.text or "" for r in text_element.findall(q("r")) for t in r.findall(q("t"))]
    return "".join(parts)


def existing(xml: bytes | None) -> set[str]:
    """Cells that have a note in a comments part."""
    return {c.get("ref") for c in parse(xml).iter(q("comment"))} if xml else set()


def _run(parent, value: str, index: int) -> None:
    run = etree.Element(q("r"))
    props = etree.SubElement(run, q("rPr"))
    etree.SubElement(props, q("sz"), val="9")
    t = etree.SubElement(run, q("t"))
    t.text = clean(value)
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    parent.insert(index, run)


# ---- VML -----------------------------------------------------------------------------------------

def vml(drawing: bytes | None, notes: dict[str, tuple[int, int, str]], block: int) -> bytes:
    """The VML drawing with a note shape for each {cell: (row0, col0, text)} that has none; the shapes
    of notes already there are resized to their new text."""
    if drawing is None:
        doc = (f'{_VML_ROOT}<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{block}"/></o:shapelayout>'
               f"{_SHAPETYPE}</xml>")
    else:
        doc = drawing.decode("utf-8", errors="surrogateescape")
    doc = _declare(doc)
    if "_x0000_t202" not in doc:
        close = doc.rindex("</xml>")
        doc = doc[:close] + _SHAPETYPE + doc[close:]
    present = _shapes(doc)
    ids = [int(n) for n in re.findall(r'id="_x0000_s(\d+)"', doc)]
    next_id = max(ids + [block * 1024]) + 1
    added = []
    for row, col, note in notes.values():
        width, height = size(note)
        if (row, col) in present:
            doc = _resize(doc, present[(row, col)], width, height)
            present = _shapes(doc)
            continue
        added.append(_SHAPE.format(id=next_id, width=width, height=height, z=next_id, row=row, col=col))
        next_id += 1
    close = doc.rindex("</xml>")
    return (doc[:close] + "".join(added) + doc[close:]).encode("utf-8", errors="surrogateescape")


def _declare(doc: str) -> str:
    m = re.search(r"<xml\b[^>]*>", doc)
    if m is None:
        raise ValueError("VML drawing without its <xml> root")
    tag = m.group(0)
    missing = "".join(f' xmlns:{p}="{ns}"' for p, ns in _NAMESPACES.items() if f'xmlns:{p}="{ns}"' not in tag)
    return doc[:m.end() - 1] + missing + doc[m.end() - 1:] if missing else doc


_SHAPE_RE = re.compile(r"<v:shape\b[^>]*>.*?</v:shape>", re.S)


def _shapes(doc: str) -> dict[tuple[int, int], tuple[int, int]]:
    """(row0, col0) of every note shape -> its span in the document."""
    out = {}
    for m in _SHAPE_RE.finditer(doc):
        shape = m.group(0)
        if 'ObjectType="Note"' not in shape:
            continue
        row = re.search(r"<x:Row>\s*(\d+)\s*</x:Row>", shape)
        col = re.search(r"<x:Column>\s*(\d+)\s*</x:Column>", shape)
        if row and col:
            out[(int(row[1]), int(col[1]))] = m.span()
    return out


def _resize(doc: str, span: tuple[int, int], width: int, height: int) -> str:
    shape = doc[span[0]:span[1]]
    shape = re.sub(r"(width:)\s*[\d.]+\s*(pt|px)", rf"\g<1>{width}px", shape, count=1)
    shape = re.sub(r"(height:)\s*[\d.]+\s*(pt|px)", rf"\g<1>{height}px", shape, count=1)
    shape = re.sub(r"<x:Anchor>.*?</x:Anchor>", "", shape, flags=re.S)      # Excel re-anchors from the size
    return doc[:span[0]] + shape + doc[span[1]:]
