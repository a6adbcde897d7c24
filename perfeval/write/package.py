"""The annotated copy made by editing the original package, not by rebuilding it.

Every part the annotation has no reason to change is copied as its original compressed bytes. What
changes: the flagged sheets (a style index per marked cell, the legacy drawing that shows comments,
the selected tab), their comments and VML drawing (ours appended, theirs kept), styles.xml (formats
appended), workbook.xml and its rels (our sheets appended, the active tab), [Content_Types].xml,
docProps/app.xml (the list of sheets), and - only when it was selected - another sheet's tab flag.

Our sheets go after the original ones, and the workbook opens on the first of them: every original
sheet keeps its index, so `Sheets(1)` in a macro, `definedName localSheetId`, print areas and
calcChain.xml (which names sheets by sheetId; we add no formula) stay right without being touched.

What cannot simply be carried is stated (`survey`), never dropped silently: a digital signature (the
copy differs from what was signed: the signature parts are removed), workbook structure protection
(kept; our sheets are added all the same), a flagged cell with a threaded comment (left alone: the
note goes to 复核结果 only), a flagged cell with a note (ours first, theirs kept below), conditional
formatting whose fill can cover a mark. A Strict OOXML or damaged package is refused (Refused).
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from perfeval.write import comments, marks, sheetxml, workbookxml, zipcopy
from perfeval.files import write_atomically
from perfeval.write.cells import Grid
from perfeval.write.styles import Styles
from perfeval.write.xmlparts import (MAIN, REL, STRICT, THREADED, TYPE, ContentTypes, Rels, free_name, parse,
                                     q, rels_name, serialize)
from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter, quote_sheetname, range_boundaries



class Refused(Exception):
    """No faithful copy can be made of this package: `key` names the catalogue label, `detail` the part."""

    def __init__(self, key: str, detail: str = ""):
        super().__init__(key, detail)
        self.key, self.detail = key, detail


@dataclass(frozen=True)
class Note:
    """What the copy could not do as for any other workbook: a catalogue label key and the cells concerned."""
    key: str
    sheet: str = ""
    cells: tuple[str, ...] = ()


@dataclass
class Edits:
    """The annotation, neutral: marks and notes per original sheet, new sheets appended after them."""
    marks: dict[str, dict[str, str]] = field(default_factory=dict)     # sheet -> {A1: "error" | "warning"}
    notes: dict[str, dict[str, str]] = field(default_factory=dict)     # sheet -> {A1: comment text}
    sheets: list[Grid] = field(default_factory=list)
    active: int = 0                     # which of `sheets` the copy opens on
    author: str = "perfeval"
    kept: str = "\n\n{author}:\n"       # heads an original note kept below ours


@dataclass
class _Sheet:
    title: str
    part: str
    kind: str


class Package:
    """One original package, opened for reading; `survey` states the policy cases, `save` writes the copy."""

    def __init__(self, path: Path):
        self.fp = open(path, "rb")
        try:
            self.zf = zipfile.ZipFile(self.fp)
            self.infos = self.zf.infolist()
            self.names = {i.filename.lower(): i.filename for i in self.infos}
            self._open_workbook()
        except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError) as exc:
            self.close()
            raise Refused("copy.damaged", str(exc)[:120]) from None
        except BaseException:
            self.close()
            raise
        self._trees: dict[str, etree._Element] = {}
        self._rels: dict[str, Rels] = {}
        self._styles: Styles | None = None
        self._threaded: dict[str, set[str]] = {}
        self.changed: dict[str, bytes] = {}
        self.added: dict[str, bytes] = {}
        self.dropped: set[str] = set()

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.fp.close()

    def read(self, name: str) -> bytes | None:
        real = self.names.get(name.lower())
        return self.zf.read(real) if real else None

    def _open_workbook(self) -> None:
        root_rels = Rels("", self.read("_rels/.rels"))
        office = [r for r in root_rels.all() if r.type.endswith("/officeDocument")]
        if any(r.type.startswith("http://purl.oclc.org/") for r in office):
            raise Refused("copy.strict")
        if not office:
            raise Refused("copy.damaged", "_rels/.rels")
        self.root_rels = root_rels
        self.wb_part = root_rels.part(office[0])
        self.wb = parse(self.read(self.wb_part))
        if etree.QName(self.wb).namespace == STRICT:
            raise Refused("copy.strict")
        self.wb_rels = Rels(self.wb_part, self.read(rels_name(self.wb_part)))
        self.sheets = []
        sheets = self.wb.find(q("sheets"))
        for el in sheets if sheets is not None else ():
            rel = self.wb_rels.by_id(el.get(f"{{{marks.R}}}id") or "")
            if rel is not None:
                self.sheets.append(_Sheet(el.get("name"), self.wb_rels.part(rel), rel.type.rsplit("/", 1)[-1]))

    @property
    def titles(self) -> list[str]:
        """Every sheet's name, in workbook order."""
        return [s.title for s in self.sheets]

    def merged(self, title: str) -> list[tuple[int, int, int, int, str]]:
        """(min_row, max_row, min_col, max_col, top-left cell) of every merged range of a worksheet, as
        its XML declares them (a ref that is no range is passed over)."""
        try:
            tree = self._tree(self._sheet(title).part)
        except (etree.XMLSyntaxError, StopIteration, TypeError, ValueError) as exc:
            raise Refused("copy.damaged", f"{title}: {exc}"[:120]) from None
        out = []
        for el in tree.iter(q("mergeCell")):
            try:
                min_col, min_row, max_col, max_row = range_boundaries(el.get("ref") or "")
            except (TypeError, ValueError):
                continue
            if None not in (min_col, min_row, max_col, max_row):
                out.append((min_row, max_row, min_col, max_col, f"{get_column_letter(min_col)}{min_row}"))
        return out

    # ---- parts of a sheet ----------------------------------------------------------------------

    def _sheet(self, title: str) -> _Sheet:
        return next(s for s in self.sheets if s.title == title)

    def _tree(self, part: str) -> etree._Element:
        if part not in self._trees:
            self._trees[part] = parse(self.read(part))
        return self._trees[part]

    def _rels_of(self, part: str) -> Rels:
        if part not in self._rels:
            self._rels[part] = Rels(part, self.read(rels_name(part)))
        return self._rels[part]

    def styles(self) -> Styles:
        if self._styles is None:
            rel = self.wb_rels.of_type(REL["styles"])
            self.styles_part = self.wb_rels.part(rel[0]) if rel else None
            self._styles = Styles(self.read(self.styles_part) if self.styles_part else None)
        return self._styles

    def _threaded_cells(self, part: str) -> set[str]:
        if part not in self._threaded:
            rels = self._rels_of(part)
            self._threaded[part] = {el.get("ref") for rel in rels.of_type(THREADED)
                                    for el in parse(self.read(rels.part(rel)) or b"<x/>").iter()
                                    if el.get("ref")}
        return self._threaded[part]

    def _comments_part(self, part: str) -> str | None:
        rel = self._rels_of(part).of_type(REL["comments"])
        return self._rels_of(part).part(rel[0]) if rel else None

    # ---- policy --------------------------------------------------------------------------------

    def survey(self, flagged: dict[str, list[str]]) -> list[Note]:
        """What this copy cannot do as for a plain workbook, for flagged {sheet: [cells]}."""
        try:
            return self._survey(flagged)
        except etree.XMLSyntaxError as exc:
            raise Refused("copy.damaged", str(exc)[:120]) from None

    def _survey(self, flagged: dict[str, list[str]]) -> list[Note]:
        notes = []
        if any(n.startswith("_xmlsignatures/") for n in self.names):
            notes.append(Note("copy.signature"))
        protection = self.wb.find(q("workbookProtection"))
        if protection is not None and protection.get("lockStructure") in ("1", "true"):
            notes.append(Note("copy.protected"))
        for title, cells in flagged.items():
            part = self._sheet(title).part
            threaded = [c for c in cells if c in self._threaded_cells(part)]
            noted = comments.existing(self.read(self._comments_part(part) or ""))
            kept = [c for c in cells if c in noted and c not in threaded]
            covered = marks.under_filled_format(self._tree(part), cells, self.styles().dxf_fills())
            for key, found in (("copy.threaded", threaded), ("copy.note_kept", kept), ("copy.cf_fill", covered)):
                if found:
                    notes.append(Note(key, title, tuple(found)))
        return notes

    # ---- the copy ------------------------------------------------------------------------------

    def save(self, path: Path, edits: Edits) -> None:
        """Write the copy; a part the copy must change that is not well-formed XML refuses it (the
        reader may have had no need of that part: python-calamine reads values past damaged styles)."""
        try:
            self._save(path, edits)
        except etree.XMLSyntaxError as exc:
            raise Refused("copy.damaged", str(exc)[:120]) from None

    def _save(self, path: Path, edits: Edits) -> None:
        self.types = ContentTypes(self.read("[Content_Types].xml"))
        self.taken = {i.filename for i in self.infos}
        styles = self.styles()
        for title in dict.fromkeys([*edits.marks, *edits.notes]):
            self._edit_sheet(self._sheet(title).part, edits, edits.marks.get(title, {}), edits.notes.get(title, {}))
        for sheet in self.sheets:
            if sheet.part not in self._trees:
                xml = self.read(sheet.part)
                unselected = marks.unselect_bytes(xml) if xml else None
                if unselected is not None:
                    self._put(sheet.part, unselected)
        self._add_sheets(edits, styles)
        if styles.changed:
            self._put_styles(styles)
        if any(n.startswith("_xmlsignatures/") for n in self.names):
            self._drop_signature()
        self._update_app([g.title for g in edits.sheets])
        self._put(self.wb_part, serialize(self.wb))
        self._put(rels_name(self.wb_part), self.wb_rels.xml())
        self.changed["[Content_Types].xml"] = self.types.xml()
        write_atomically(path, self._write)

    def _put(self, name: str, data: bytes) -> None:
        real = self.names.get(name.lower())
        if real:
            self.changed[real] = data
        else:
            self.added[name] = data

    def _edit_sheet(self, part: str, edits: Edits, marked: dict[str, str], notes: dict[str, str]) -> None:
        tree = self._tree(part)
        marks.restyle(tree, marked, self.styles().marked)
        notes = {c: t for c, t in notes.items() if c not in self._threaded_cells(part)}
        if notes:
            self._comment(part, tree, notes, edits)
        marks.unselect(tree)
        self._put(part, serialize(tree))

    def _comment(self, part: str, tree, notes: dict[str, str], edits: Edits) -> None:
        rels = self._rels_of(part)
        cpart = self._comments_part(part)
        xml, full = comments.merge(self.read(cpart) if cpart else None, notes, edits.author, edits.kept)
        if cpart is None:
            cpart = free_name(self.taken, "xl/comments{}.xml")
            rels.add(REL["comments"], cpart)
            self.types.override(cpart, TYPE["comments"])
        self._put(cpart, xml)
        rid = marks.legacy_drawing(tree)
        vpart = rels.part(rels.by_id(rid)) if rid and rels.by_id(rid) else None
        shapes = {}
        for cell, text in full.items():
            row, col = coordinate_to_tuple(cell)
            shapes[cell] = (row - 1, col - 1, text)
        vml = comments.vml(self.read(vpart) if vpart else None, shapes, self._vml_block())
        if vpart is None:
            vpart = free_name(self.taken, "xl/drawings/vmlDrawing{}.vml")
            marks.add_legacy_drawing(tree, rels.add(REL["vml"], vpart))
            self.types.override(vpart, TYPE["vml"])
        self._put(vpart, vml)
        self._put(rels_name(part), rels.xml())

    def _vml_block(self) -> int:
        """A shape-id block no VML drawing of the package uses yet."""
        used = [0]
        for name in [*self.names.values(), *self.added]:
            if name.lower().endswith(".vml"):
                data = self.added.get(name) or self.changed.get(name) or self.read(name) or b""
                for m in re.finditer(rb'idmap[^>]*data="([\d,\s]+)"', data):
                    used += [int(n) for n in re.split(rb"[,\s]+", m[1]) if n]
        return max(used) + 1

    def _add_sheets(self, edits: Edits, styles: Styles) -> None:
        sheets = self.wb.find(q("sheets"))
        next_id = max([int(el.get("sheetId") or 0) for el in sheets] + [0]) + 1
        first = len(sheets)
        for i, grid in enumerate(edits.sheets):
            part = free_name(self.taken, "xl/worksheets/sheet{}.xml")
            self.added[part] = sheetxml.worksheet(grid, styles.role, selected=i == edits.active)
            self.types.override(part, TYPE["worksheet"])
            el = etree.SubElement(sheets, q("sheet"), name=grid.title, sheetId=str(next_id + i))
            el.set(f"{{{marks.R}}}id", self.wb_rels.add(REL["worksheet"], part))
            where = quote_sheetname(grid.title)
            if grid.print_titles:
                top, bottom = grid.print_titles.split(":")
                workbookxml.define(self.wb, "_xlnm.Print_Titles", first + i, f"{where}!${top}:${bottom}")
            if grid.autofilter:
                start, end = grid.autofilter.split(":")
                workbookxml.define(self.wb, "_xlnm._FilterDatabase", first + i,
                                   f"{where}!{workbookxml.absolute(start)}:{workbookxml.absolute(end)}", hidden=True)
        workbookxml.open_on(self.wb, first + edits.active)

    def _put_styles(self, styles: Styles) -> None:
        if self.styles_part is None:
            self.styles_part = free_name(self.taken, "xl/styles.xml")
            self.wb_rels.add(REL["styles"], self.styles_part)
            self.types.override(self.styles_part, TYPE["styles"])
        self._put(self.styles_part, styles.xml())

    def _drop_signature(self) -> None:
        """The copy is not what was signed: the signature parts go (the original keeps its signature)."""
        self.dropped = {n for n in self.names.values() if n.lower().startswith("_xmlsignatures/")}
        self.root_rels.drop(REL["signature_origin"])
        self.changed["_rels/.rels"] = self.root_rels.xml()
        self.types.drop(self.dropped)

    def _update_app(self, titles: list[str]) -> None:
        xml = self.read("docProps/app.xml")
        if xml is None:
            return
        updated = workbookxml.app_titles(xml, titles)
        if updated is not None:
            self._put("docProps/app.xml", updated)

    def _write(self, tmp: str) -> None:
        with open(tmp, "wb") as out:
            writer = zipcopy.Writer(out)
            try:
                for info in self.infos:
                    name = info.filename
                    if name in self.dropped:
                        continue
                    if name in self.changed:
                        writer.add(name, self.changed[name], info.date_time)
                    else:
                        writer.raw(info, zipcopy.raw_member(self.zf, self.fp, info))
            except zipcopy.Damaged as exc:
                raise Refused("copy.damaged", str(exc)) from None
            for name, data in self.added.items():
                writer.add(name, data)
            writer.close()


__all__ = ["Edits", "Note", "Package", "Refused", "MAIN"]
