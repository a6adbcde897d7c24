"""Limits checked on the package before openpyxl builds anything: every part is streamed once (so a
damaged deflate stream or CRC is found here), and each worksheet's rows, columns, cells and merged
ranges are counted from its XML. What openpyxl would expand - a merged range becomes one object per
covered cell, a grid is built to the last used row and column - is refused beyond the limits below,
with a reason that names the limit. Calibrated in README ("Limits"): a real scoring sheet has under
1,000 rows, 8 to 20 columns and a few hundred merged cells.
"""
from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass

from openpyxl.utils.cell import column_index_from_string

MAX_ROWS = 5_000                 # rows of one worksheet
MAX_COLUMNS = 200                # columns of one worksheet
MAX_CELLS = 100_000              # rows × columns of one worksheet's grid (what the reader builds)
MAX_BOOK_CELLS = 400_000         # the same over every worksheet of the workbook
MAX_MERGED = 100_000             # cells covered by the merged ranges of one worksheet
MAX_PART = 64 * 1024 * 1024      # one XML part, unpacked

_CHUNK = 1 << 20
_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d+)"')
_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Za-z]{1,3})(\d+)"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="\$?[A-Za-z]{1,3}\$?\d+:\$?([A-Za-z]{1,3})\$?(\d+)"')
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?([A-Za-z]{1,3})\$?(\d+))?"')
# a formula cell with no cached value: <f>..</f> or <f .../> followed by no <v> or an empty one
_UNCACHED = re.compile(rb"(?:</(?:\w+:)?f>|<(?:\w+:)?f\b[^>]*/>)\s*"
                       rb"(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>")


class Refused(Exception):
    """Beyond a limit, or damaged: `key` names the reason (reason.<key> in the catalogue), `params` fill it."""

    def __init__(self, key: str, **params: object):
        super().__init__(key, params)
        self.key, self.params = key, params


DAMAGED = "deflate_damaged"
ENTITIES = "entities"


@dataclass
class Sheet:
    """What one worksheet's XML declares."""
    rows: int = 0
    columns: int = 0
    merged: int = 0
    declared: tuple[int, int] = (0, 0)   # rows, columns of <dimension>: only named in a reason, never trusted

    def size(self, counted: int, index: int) -> tuple[str, str]:
        """(the count as declared, "") or (the count so far, "_at_least") when streaming stopped before the end."""
        declared = self.declared[index]
        return (f"{declared:,}", "") if declared >= counted else (f"{counted:,}", "_at_least")


# what may come before the root element: the XML declaration, processing instructions, comments, space
_PROLOG = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.S)


def _prolog_checked(head: bytes) -> bytes | None:
    """Refuse a DTD or entity before the root element, however long the prolog before it (a DTD hidden
    behind a long comment too: openpyxl may parse some parts with lxml, which does not refuse entity
    declarations as defusedxml does). Returns the head still to be read on, None once the root starts."""
    rest = head[_PROLOG.match(head).end():]
    if rest.startswith((b"<!DOCTYPE", b"<!ENTITY")):
        raise Refused(ENTITIES)
    if len(rest) >= 9 and not rest.startswith((b"<?", b"<!--")):
        return None
    return head


def inspect(zf: zipfile.ZipFile, scan_formulas: bool = False) -> bool:
    """Stream every part of the package; raise Refused past a limit, on damage or on a DTD; with
    scan_formulas, say whether a worksheet holds a formula without a cached value."""
    uncached = False
    cells = 0
    for info in zf.infolist():
        if info.is_dir():
            continue
        xml = info.filename.endswith((".xml", ".rels", ".vml"))
        if xml and info.file_size > MAX_PART:
            raise Refused("part_too_big", part=info.filename, size=f"{info.file_size / 2**20:,.0f}",
                          limit=MAX_PART // 2**20)
        sheet = Sheet() if info.filename.startswith("xl/worksheets/") and xml else None
        found = _stream(zf, info, xml, sheet, scan_formulas and not uncached)
        uncached = uncached or found
        if sheet is not None:
            _check(sheet)
            cells += sheet.rows * sheet.columns
            if cells > MAX_BOOK_CELLS:
                raise Refused("book_too_big", cells=f"{cells:,}", limit=f"{MAX_BOOK_CELLS:,}")
    return uncached


def _stream(zf: zipfile.ZipFile, info: zipfile.ZipInfo, xml: bool, sheet: Sheet | None, formulas: bool) -> bool:
    """Read one XML part to its end (CRC checked), chunk by chunk; tags cut by a chunk's end are carried
    over. Other parts (images, printer settings) are not read: damage there spoils no value, and the
    annotated copy, which carries them, says so when it meets it."""
    if not xml:
        return False
    uncached, carry, prolog = False, b"", b""          # prolog: kept until the root element starts
    try:
        with zf.open(info) as part:
            while chunk := part.read(_CHUNK):
                data = carry + chunk
                if prolog is not None:
                    prolog = _prolog_checked(prolog + chunk)
                cut = data.rfind(b"<")
                body, carry = (data[:cut], data[cut:]) if cut > 0 and len(data) - cut < 65536 else (data, b"")
                if sheet is not None:
                    _count(body, sheet)
                    uncached = uncached or (formulas and _UNCACHED.search(body) is not None)
            if sheet is not None and carry:
                _count(carry, sheet)
                uncached = uncached or (formulas and _UNCACHED.search(carry) is not None)
    except (zlib.error, EOFError, zipfile.BadZipFile, OSError):
        raise Refused(DAMAGED) from None
    return uncached


def _count(body: bytes, sheet: Sheet) -> None:
    if sheet.declared == (0, 0) and (m := _DIMENSION.search(body)):
        sheet.declared = (int(m[2]), column_index_from_string(m[1].decode().upper()))
    for m in _ROW.finditer(body):
        sheet.rows = max(sheet.rows, int(m[1]))
    rows = sheet.rows
    columns = sheet.columns
    for m in _CELL.finditer(body):
        columns = max(columns, column_index_from_string(m[1].decode().upper()))
        rows = max(rows, int(m[2]))
    sheet.rows, sheet.columns = rows, columns
    for m in _MERGE.finditer(body):
        c1 = column_index_from_string(m[1].decode().upper())
        c2 = column_index_from_string(m[3].decode().upper()) if m[3] else c1
        r1, r2 = int(m[2]), int(m[4] or m[2])
        sheet.merged += (abs(c2 - c1) + 1) * (abs(r2 - r1) + 1)
        if sheet.merged > MAX_MERGED:
            raise Refused("too_many_merged", merged=f"{sheet.merged:,}", limit=f"{MAX_MERGED:,}")
        sheet.rows, sheet.columns = max(sheet.rows, r1, r2), max(sheet.columns, c1, c2)
    _check(sheet)                       # at every chunk: a 1,000,000-row sheet stops at its first MB


def _check(sheet: Sheet) -> None:
    if sheet.rows > MAX_ROWS:
        n, at_least = sheet.size(sheet.rows, 0)
        raise Refused("too_many_rows" + at_least, n=n, limit=f"{MAX_ROWS:,}")
    if sheet.columns > MAX_COLUMNS:
        n, at_least = sheet.size(sheet.columns, 1)
        raise Refused("too_many_columns" + at_least, n=n, limit=f"{MAX_COLUMNS:,}")
    if sheet.rows * sheet.columns > MAX_CELLS:
        raise Refused("too_many_cells", rows=f"{sheet.rows:,}", columns=f"{sheet.columns:,}", limit=f"{MAX_CELLS:,}")
