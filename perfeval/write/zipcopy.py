"""A zip package copied member by member: untouched members as their original compressed bytes (never
inflated and deflated again), changed and new members deflated once.

zipfile has no public way to copy a member's compressed bytes, so the few lines of the ZIP format it
takes are written here, from the public ZipInfo fields: a member's data starts after its local header
(30 bytes + name + extra field, read from the source) and is `compress_size` bytes long; the copy gets
a fresh local header and central directory entry with the same CRC, sizes and method. Every copied
member's CRC is checked while copying (inflating is cheap; re-deflating is what costs), so a damaged
original is refused rather than carried into a copy Excel would have to repair.
"""
from __future__ import annotations

import struct
import zipfile
import zlib
from typing import BinaryIO


class Damaged(Exception):
    """A member of the source package cannot be copied whole; str() names it."""


_LOCAL = struct.Struct("<4s5H3L2H")          # local file header, without name and extra
_CENTRAL = struct.Struct("<4s6H3L5H2L")      # central directory entry, without name, extra, comment
_END = struct.Struct("<4s4H2LH")             # end of central directory record
_UTF8 = 0x800


def raw_member(zf: zipfile.ZipFile, fp: BinaryIO, info: zipfile.ZipInfo) -> bytes:
    """The member's compressed bytes, as stored in the source, after checking its CRC."""
    if info.flag_bits & 0x1:
        raise Damaged(f"{info.filename}: encrypted")
    fp.seek(info.header_offset)
    head = fp.read(_LOCAL.size)
    if len(head) != _LOCAL.size or head[:4] != b"PK\x03\x04":
        raise Damaged(f"{info.filename}: bad local header")
    name_len, extra_len = _LOCAL.unpack(head)[-2:]
    fp.seek(info.header_offset + _LOCAL.size + name_len + extra_len)
    raw = fp.read(info.compress_size)
    if len(raw) != info.compress_size:
        raise Damaged(f"{info.filename}: truncated")
    if info.compress_type == zipfile.ZIP_STORED:
        data = raw
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        try:
            data = zlib.decompress(raw, -15)
        except zlib.error:
            raise Damaged(f"{info.filename}: bad deflate stream") from None
    else:
        raise Damaged(f"{info.filename}: compression method {info.compress_type}")
    if zlib.crc32(data) != info.CRC or len(data) != info.file_size:
        raise Damaged(f"{info.filename}: CRC mismatch")
    return raw


class Writer:
    """Writes members in order, then the central directory (no zip64: inputs are capped far below)."""

    def __init__(self, fp: BinaryIO):
        self.fp = fp
        self.entries: list[bytes] = []
        self.count = 0

    def raw(self, info: zipfile.ZipInfo, raw: bytes) -> None:
        """Copy a member from its compressed bytes."""
        self._member(info.filename, info.date_time, info.compress_type, info.CRC, raw, info.file_size)

    def add(self, name: str, data: bytes, date_time=(1980, 1, 1, 0, 0, 0), level: int = 6) -> None:
        """A new or changed member, deflated."""
        packer = zlib.compressobj(level, zlib.DEFLATED, -15)
        raw = packer.compress(data) + packer.flush()
        self._member(name, date_time, zipfile.ZIP_DEFLATED, zlib.crc32(data), raw, len(data))

    def _member(self, name: str, date_time, method: int, crc: int, raw: bytes, size: int) -> None:
        encoded, flags = _encode(name)
        dos_time = (date_time[3] << 11) | (date_time[4] << 5) | (date_time[5] // 2)
        dos_date = ((max(date_time[0], 1980) - 1980) << 9) | (date_time[1] << 5) | date_time[2]
        offset = self.fp.tell()
        if offset > 0xFFFFFFFF or len(raw) > 0xFFFFFFFF:
            raise Damaged(f"{name}: package too large")
        self.fp.write(_LOCAL.pack(b"PK\x03\x04", 20, flags, method, dos_time, dos_date, crc, len(raw), size,
                                  len(encoded), 0))
        self.fp.write(encoded)
        self.fp.write(raw)
        self.entries.append(_CENTRAL.pack(b"PK\x01\x02", 20, 20, flags, method, dos_time, dos_date, crc,
                                          len(raw), size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded)

    def close(self) -> None:
        start = self.fp.tell()
        for entry in self.entries:
            self.fp.write(entry)
        size = self.fp.tell() - start
        n = len(self.entries)
        self.fp.write(_END.pack(b"PK\x05\x06", 0, 0, n, n, size, start, 0))


def _encode(name: str) -> tuple[bytes, int]:
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), _UTF8
