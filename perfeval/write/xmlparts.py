"""XML of a workbook package as the package editor needs it: a safe parser, the namespaces, relationship
parts and the content types. lxml keeps every namespace declaration, prefix and unknown element of a
part it re-serializes (the standard library's ElementTree would drop unused declarations that
`mc:Ignorable` still names, and Excel would then refuse the part)."""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

from lxml import etree

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL = {
    "worksheet": f"{R}/worksheet",
    "styles": f"{R}/styles",
    "comments": f"{R}/comments",
    "vml": f"{R}/vmlDrawing",
    "office": f"{R}/officeDocument",
    "signature_origin": "http://schemas.openxmlformats.org/package/2006/relationships/digital-signature/origin",
}
THREADED = "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment"
TYPE = {
    "worksheet": "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
    "styles": "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml",
    "comments": "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml",
    "vml": "application/vnd.openxmlformats-officedocument.vmlDrawing",
}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False, huge_tree=False)


def q(tag: str, ns: str = MAIN) -> str:
    return f"{{{ns}}}{tag}"


def parse(xml: bytes) -> etree._Element:
    return etree.fromstring(xml, _PARSER)


def serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(value: str) -> str:
    """The text without the characters XML 1.0 forbids (control characters, lone surrogates)."""
    return _ILLEGAL.sub("", value)


def text(value: str) -> str:
    """Text safe inside an XML element: escaped, characters XML 1.0 forbids removed."""
    return escape(clean(value))


def rels_name(part: str) -> str:
    """The relationship part of a part: xl/worksheets/sheet1.xml -> xl/worksheets/_rels/sheet1.xml.rels."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


@dataclass
class Rel:
    id: str
    type: str
    target: str
    external: bool = False


class Rels:
    """A relationship part: read, looked up, appended to."""

    def __init__(self, owner: str, xml: bytes | None):
        self.owner = owner
        self.root = parse(xml) if xml else etree.Element(q("Relationships", PKG_RELS), nsmap={None: PKG_RELS})
        self.changed = False

    def all(self) -> list[Rel]:
        return [Rel(r.get("Id"), r.get("Type"), r.get("Target"), r.get("TargetMode") == "External")
                for r in self.root if isinstance(r.tag, str)]

    def part(self, rel: Rel) -> str:
        """The package name of a relationship's internal target."""
        if rel.target.startswith("/"):
            return rel.target.lstrip("/")
        return posixpath.normpath(posixpath.join(posixpath.dirname(self.owner), rel.target))

    def of_type(self, rel_type: str) -> list[Rel]:
        return [r for r in self.all() if r.type == rel_type]

    def by_id(self, rid: str) -> Rel | None:
        return next((r for r in self.all() if r.id == rid), None)

    def add(self, rel_type: str, part: str) -> str:
        """A new relationship to `part` (a package name); returns its id."""
        taken = {r.id for r in self.all()}
        n = len(taken) + 1
        while f"rId{n}" in taken:
            n += 1
        target = posixpath.relpath(part, posixpath.dirname(self.owner) or ".")
        etree.SubElement(self.root, q("Relationship", PKG_RELS), Id=f"rId{n}", Type=rel_type, Target=target)
        self.changed = True
        return f"rId{n}"

    def drop(self, rel_type: str) -> None:
        for r in list(self.root):
            if isinstance(r.tag, str) and r.get("Type") == rel_type:
                self.root.remove(r)
                self.changed = True

    def xml(self) -> bytes:
        return serialize(self.root)


class ContentTypes:
    def __init__(self, xml: bytes):
        self.root = parse(xml)

    def override(self, part: str, content_type: str) -> None:
        etree.SubElement(self.root, q("Override", CT), PartName="/" + part, ContentType=content_type)

    def drop(self, parts: set[str]) -> None:
        for el in list(self.root):
            if isinstance(el.tag, str) and el.get("PartName", "").lstrip("/") in parts:
                self.root.remove(el)

    def xml(self) -> bytes:
        return serialize(self.root)


def free_name(taken: set[str], pattern: str) -> str:
    """The first `pattern.format(n)` (n = 1, 2, ...) not in `taken` (compared without case); taken grows."""
    lower = {t.lower() for t in taken}
    n = 1
    while pattern.format(n).lower() in lower:
        n += 1
    taken.add(pattern.format(n))
    return pattern.format(n)
