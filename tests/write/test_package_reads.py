"""What the annotator reads from the package it edits instead of from an openpyxl load: the sheet
names and a worksheet's merged ranges, the same as openpyxl gives them."""
from __future__ import annotations

import openpyxl

from perfeval.write import package
from layouts import VARIANTS


def test_titles_and_merged_ranges_are_openpyxl_s(make_sheet):
    for name, layout in sorted(VARIANTS.items()):
        path = make_sheet(f"{name}.xlsx", layout=layout)
        wb = openpyxl.load_workbook(path)
        with package.Package(path) as pkg:
            assert pkg.titles == wb.sheetnames
            for ws in wb.worksheets:
                expected = sorted((m.min_row, m.max_row, m.min_col, m.max_col, m.start_cell.coordinate)
                                  for m in ws.merged_cells.ranges)
                assert sorted(pkg.merged(ws.title)) == expected, (name, ws.title)
                assert expected or ws.title != wb.worksheets[0].title, "the scoring sheet has merged cells"
