"""Hypothesis strategies that mutate a valid scoring sheet (for tests/test_fuzz.py and
benchmarks/fuzz_campaign.py): numbers of any size in score, weight and total cells, merges, formulas,
moved tables, and byte-level damage to the zip and to the XML inside it."""
from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
from hypothesis import strategies as st

from perfeval.read.workbook import read

NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.floats(min_value=-1e3, max_value=1e3),
    st.integers(min_value=-10**40, max_value=10**40), st.sampled_from([0, -0.0, 1e117, 10**30, -1e308, 5e-324]),
    st.decimals(allow_nan=False, allow_infinity=False).map(lambda d: float(d) if abs(d) < Decimal("1e300") else 1.0),
    st.from_regex(r"\A[+-]?[0-9０-９]{0,40}([.．][0-9]{0,40})?(e[+-]?[0-9]{1,4})?(分|万元|%)?\Z"),
    st.sampled_from(["NaN", "inf", "-Infinity", "1e400", "满分", "", " ", "=1/0", "=HYPERLINK(\"x\")"]),
)
REF = st.builds(lambda c, r: f"{c}{r}", st.sampled_from("ABCDGHZ"), st.integers(1, 80))


def _formula(depth: int = 0) -> st.SearchStrategy[str]:
    leaf = st.one_of(REF, st.integers(-100, 100).map(str), st.builds(lambda a, b: f"SUM({a}:{b})", REF, REF))
    if depth > 2:
        return leaf
    inner = _formula(depth + 1)
    return st.one_of(leaf, st.builds(lambda a, op, b: f"{a}{op}{b}", inner, st.sampled_from("+-*/"), inner),
                     st.builds(lambda a: f"({a})", inner), st.builds(lambda a, n: f"ROUND({a},{n})", inner,
                                                                       st.integers(-400, 400)),
                     st.builds(lambda n, a: "(" * n + a + ")" * n, st.integers(0, 300), inner))


FORMULAS = _formula().map(lambda f: "=" + f)
MERGE = st.tuples(st.integers(1, 70), st.integers(1, 12), st.integers(0, 40), st.integers(0, 6))


def cells_of(seed: Path) -> dict[str, list[str]]:
    sheet = read(seed).sheets[0]
    return {"score": [r.score.cell for r in sheet.rows], "weight": [r.weight.cell for r in sheet.rows],
            "total": [sheet.total.cell] if sheet.total else []}


@st.composite
def mutated_sheet(draw, seed: Path, cells: dict[str, list[str]]) -> bytes:
    """The seed workbook with a few cells, merges, formulas and its position changed."""
    wb = openpyxl.load_workbook(seed)
    ws = wb.worksheets[0]
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["score", "weight", "total", "formula", "merge", "move", "chain"]))
        if kind in cells and cells[kind]:
            _put(ws, draw(st.sampled_from(cells[kind])), draw(NUMBERS))
        elif kind == "formula":
            _put(ws, draw(st.sampled_from(cells["score"] + cells["total"])), draw(FORMULAS))
        elif kind == "merge":
            r, c, h, w = draw(MERGE)
            try:
                ws.merge_cells(start_row=r, start_column=c, end_row=r + h, end_column=c + w)
            except ValueError:
                pass
        elif kind == "move":
            if draw(st.booleans()):
                ws.insert_rows(1, draw(st.integers(1, 30)))
            else:
                ws.insert_cols(1, draw(st.integers(1, 5)))
        elif kind == "chain":
            depth = draw(st.integers(2, 120))
            for k in range(depth):
                _put(ws, f"Z{k + 1}", f"=SUM(Z{k + 2}:Z{k + 3})")
            _put(ws, draw(st.sampled_from(cells["total"] or ["A1"])), "=Z1")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _put(ws, ref: str, value) -> None:
    try:
        ws[ref] = value
    except (AttributeError, ValueError):       # a merged cell (after a merge or a move), or text openpyxl refuses
        pass


@st.composite
def damaged_bytes(draw, data: bytes) -> bytes:
    """Byte-level damage to the package: flips, cuts and insertions in the zip, or in one XML part."""
    if draw(st.booleans()):
        out = bytearray(data)
        for _ in range(draw(st.integers(1, 8))):
            how = draw(st.sampled_from(["flip", "cut", "insert"]))
            at = draw(st.integers(0, max(0, len(out) - 1)))
            if how == "flip":
                out[at] ^= draw(st.integers(1, 255))
            elif how == "cut":
                del out[at:at + draw(st.integers(1, 2000))]
            else:
                out[at:at] = draw(st.binary(min_size=1, max_size=64))
        return bytes(out)
    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        names = zin.namelist()
        target = draw(st.sampled_from([n for n in names if n.endswith(".xml")]))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zout:
            for name in names:
                part = zin.read(name)
                if name == target:
                    at = draw(st.integers(0, len(part)))
                    junk = draw(st.sampled_from([b"<", b"</x>", b"&amp", b"\x00", b'"', b"<row r=\"0\">",
                                                 b'<mergeCell ref="A1:XFD1048576"/>', b"<!DOCTYPE x>",
                                                 b'<c r="XFD9"><v>1</v></c>', b"\xff\xfe"]))
                    part = part[:at] + junk + part[at + draw(st.integers(0, 50)):]
                zout.writestr(name, part)
        return buffer.getvalue()
