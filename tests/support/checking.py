"""Checking a workbook of one scoring sheet in tests: its one result (pipeline.check_file gives one per sheet)."""
from __future__ import annotations

from perfeval import pipeline
from perfeval.model import SheetResult


def check_one(path, *args, **kwargs) -> SheetResult:
    """The result of a file that holds one scoring sheet, or of one that cannot be read."""
    (result,) = pipeline.check_file(path, *args, **kwargs)
    return result
