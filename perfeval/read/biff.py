"""Column widths of a BIFF8 workbook (.xls, WPS .et), which python-calamine does not give: the COLINFO
records of each worksheet's substream, found through the BOUNDSHEET records of the Workbook stream.
Widths are a nicety of the converted copy: any surprise in the stream gives no widths, never an error."""
from __future__ import annotations

import struct
from pathlib import Path

import olefile

BOF, EOF, BOUNDSHEET, COLINFO = 0x0809, 0x000A, 0x0085, 0x007D
MAX_STREAM = 256 * 2**20


def column_widths(path: Path) -> dict[str, dict[int, float]]:
    """{sheet name: {column (1-based): width in characters}}; {} when the file gives none."""
    try:
        with olefile.OleFileIO(str(path)) as ole:
            name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
            if name is None or ole.get_size(name) > MAX_STREAM:
                return {}
            data = ole.openstream(name).read()
        return {title: _widths(data, offset) for title, offset in _sheets(data)}
    except Exception:       # a stream we do not understand: the copy goes without widths
        return {}


def _records(data: bytes, offset: int):
    while offset + 4 <= len(data):
        kind, size = struct.unpack_from("<HH", data, offset)
        yield kind, data[offset + 4: offset + 4 + size]
        offset += 4 + size


def _sheets(data: bytes) -> list[tuple[str, int]]:
    """(name, offset of its BOF) of every worksheet, from the workbook globals."""
    out = []
    for kind, body in _records(data, 0):
        if kind == EOF:
            break
        if kind == BOUNDSHEET and len(body) >= 8 and body[5] == 0:      # dt 0: a worksheet
            position, length, wide = struct.unpack_from("<I", body)[0], body[6], body[7] & 1
            text = body[8: 8 + length * (2 if wide else 1)]
            out.append((text.decode("utf-16-le" if wide else "latin-1"), position))
    return out


def _widths(data: bytes, offset: int) -> dict[int, float]:
    widths: dict[int, float] = {}
    for kind, body in _records(data, offset):
        if kind == EOF:
            break
        if kind == COLINFO and len(body) >= 6:
            first, last, width = struct.unpack_from("<HHH", body)
            for col in range(first, min(last, 255) + 1):
                widths[col + 1] = round(width / 256, 2)
    return widths
