"""Issue 15, failures 3 and 5: limits before work, and damaged deflate data. Built from the campaign's
files: one <mergeCell ref="J1:XFD1048576"/> in a 13 KB file made openpyxl create every merged cell
(11.5 GB and climbing); A1:Z100000 cost 40 s and 775 MB before being refused; a 1,000,000-row sheet
18 s and 500 MB; damaged deflate data was reported as 内部错误 instead of 文件已损坏."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from perfeval.read import limits
from perfeval.read.workbook import read_sheets
from perfeval.catalogue import say
from seedbook import Changes, build
from checking import check_one

SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture(scope="module")
def seed(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("seed") / "seed.xlsx", Changes())


def _rezip(src: Path, dst: Path, change) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info, change(data) if info.filename == SHEET else data)
    return dst


def _merge(ref: str):
    return lambda d: d.replace(b"</mergeCells>", f'<mergeCell ref="{ref}"/></mergeCells>'.encode(), 1)


def _rows(last: int, dimension: str | None = None):
    def change(d: bytes) -> bytes:
        rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (r, r) for r in range(200, last + 1))
        d = d.replace(b"</sheetData>", rows + b"</sheetData>", 1)
        return re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), d) if dimension else d
    return change


def _check_both(path: Path):
    """The full read (check --out) and the fast read (rollup) refuse it the same way."""
    result = check_one(path)
    assert result.status == "unreadable"
    assert check_one(path, fast=True).error == result.error
    return say(result.error)


@pytest.mark.parametrize("ref", ["J1:XFD1048576", "A1:Z100000"])
def test_a_huge_merged_range_is_refused_before_loading(tmp_path, seed, ref):
    path = _rezip(seed, tmp_path / "merge.xlsx", _merge(ref))
    assert path.stat().st_size < 20_000
    error = _check_both(path)
    assert error.startswith("合并单元格过多") and f"上限 {limits.MAX_MERGED:,} 个" in error


def test_a_million_row_sheet_is_refused_naming_the_limit(tmp_path, seed):
    path = _rezip(seed, tmp_path / "rows.xlsx", _rows(1_000_000, "A1:H1000000"))
    assert _check_both(path) == f"工作表过大：1,000,000 行，上限 {limits.MAX_ROWS:,} 行"


def test_rows_past_the_limit_without_a_dimension_are_refused(tmp_path, seed):
    path = _rezip(seed, tmp_path / "rows.xlsx", lambda d: re.sub(rb"<dimension[^>]*/>", b"", _rows(200_000)(d)))
    error = _check_both(path)
    assert error.startswith("工作表过大：至少 ") and error.endswith(f"上限 {limits.MAX_ROWS:,} 行")


def test_a_far_column_is_refused(tmp_path, seed):
    path = _rezip(seed, tmp_path / "cols.xlsx",
                  lambda d: d.replace(b"</sheetData>", b'<row r="300"><c r="XFD300"><v>1</v></c></row></sheetData>'))
    error = _check_both(path)
    assert error.startswith("工作表过大：") and "16,384 列" in error and error.endswith(f"上限 {limits.MAX_COLUMNS:,} 列")


def test_a_sheet_within_the_limits_is_read(tmp_path, seed):
    path = _rezip(seed, tmp_path / "ok.xlsx", _rows(limits.MAX_ROWS - 10))
    assert check_one(path).status in ("ok", "flagged")
    assert read_sheets(path)[0].title


def test_damaged_deflate_data_is_a_damaged_file_not_an_internal_error(tmp_path, seed):
    data = bytearray(seed.read_bytes())
    with zipfile.ZipFile(seed) as zf:
        info = zf.getinfo(SHEET)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(16):
        data[start + info.compress_size // 2 + i] ^= 0xFF
    path = tmp_path / "deflate.xlsx"
    path.write_bytes(bytes(data))
    assert _check_both(path).startswith("文件已损坏")


def test_a_corrupt_crc_is_a_damaged_file(tmp_path, seed):
    data = bytearray(seed.read_bytes())
    with zipfile.ZipFile(seed) as zf:
        info = zf.getinfo(SHEET)
    local = info.header_offset
    data[local + 14] ^= 0xFF                            # CRC-32 in the local file header
    cd = bytes(data).find(b"PK\x01\x02", local)
    while cd != -1:
        name_len = int.from_bytes(data[cd + 28:cd + 30], "little")
        if data[cd + 46:cd + 46 + name_len] == SHEET.encode():
            data[cd + 16] ^= 0xFF                       # CRC-32 in the central directory
        cd = bytes(data).find(b"PK\x01\x02", cd + 4)
    path = tmp_path / "crc.xlsx"
    path.write_bytes(bytes(data))
    assert _check_both(path).startswith("文件已损坏")
