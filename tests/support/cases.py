"""The case tables of tests/cases (see tests/check/test_cases.py): load them, build a case's workbook, check it."""
from __future__ import annotations

import tomllib
from dataclasses import fields
from decimal import Decimal
from pathlib import Path


from perfeval import catalogue, pipeline
from seedbook import LAYOUTS, Changes, build, variant

import pytest

from workbooks import copy_sheet, edit_workbook
from checking import check_one

CASES = Path(__file__).resolve().parents[1] / "cases"

# codes whose findings need figures read from free text: they come with a later issue
LATER: dict[str, str] = {}
CHANGE_FIELDS = {f.name for f in fields(Changes)}
CASE_KEYS = CHANGE_FIELDS | {"name", "layout", "blank_scores", "blank_total", "blank_grade", "cells",
                             "rename", "rubric", "expect", "count", "at", "also", "copies"}


def tables() -> dict[str, dict]:
    out = {}
    for path in sorted(CASES.glob("*.toml")):
        try:
            out[path.stem] = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{path.name}: {exc}") from None
    return out


def params():
    out = []
    for stem, table in tables().items():
        for kind in ("fire", "pass"):
            for case in table.get(kind, []):
                out.append(pytest.param(table["code"], kind, case, id=f"{stem}:{kind}:{case['name']}"))
    for code, why in LATER.items():
        out.append(pytest.param(code, "later", {}, id=f"{code}:later",
                                marks=pytest.mark.skip(reason=why)))
    return out


def layout_of(case: dict):
    layout = case.get("layout", "seed")
    if isinstance(layout, dict):
        layout = dict(layout)
        return variant(layout.pop("base", "seed"), **layout)
    return LAYOUTS[layout]


def changes_of(case: dict) -> Changes:
    kw = {k: case[k] for k in CHANGE_FIELDS if k in case}
    scores = dict(kw.get("scores", {}))
    for name in case.get("blank_scores", []):
        scores[name] = None
    kw["scores"] = scores
    if case.get("blank_total"):
        kw["total"] = None
    if case.get("blank_grade"):
        kw["grade"] = None
    kw["basic_data"] = [tuple(item) for item in kw.get("basic_data", [])]
    kw["drop"] = tuple(kw.get("drop", ()))
    return Changes(**kw)


def build_case(path: Path, case: dict) -> Path:
    """The workbook of a case: the seed sheet with the case's changes, edits and copies."""
    path = build(path, changes_of(case), layout=layout_of(case))
    if case.get("cells") or case.get("rename"):
        edit_workbook(path, case.get("cells"), case.get("rename"))
    if case.get("copies"):
        copy_sheet(path, case["copies"])
    return path


def check_case(tmp_path: Path, case: dict):
    unknown = set(case) - CASE_KEYS
    assert not unknown, f"unknown keys in case: {unknown}"
    path = build_case(tmp_path / "case.xlsx", case)
    if case.get("copies"):              # the scoring sheet copied as 项目2, 项目3...: its result is the first
        result = pipeline.check_file(path, case.get("rubric"))[0]
    else:
        result = check_one(path, case.get("rubric"))
    assert result.status in ("ok", "flagged"), result.error
    return result


def matches(finding, want: dict) -> bool:
    for key, value in want.items():
        got = getattr(finding, key)
        if key in ("entered", "expected") and isinstance(value, (int, float)):
            if not isinstance(got, Decimal) or abs(got - Decimal(str(value))) > Decimal("0.005"):
                return False
        elif got != value:
            return False
    return True


def describe(findings) -> str:
    return "\n".join(f"  {f.code} {f.cell} {f.indicator} entered={f.entered} expected={f.expected}"
                     for f in findings)


def assert_case(result, code: str, kind: str, case: dict) -> None:
    """A case that must fire finds every expected finding (each matched once, `count` if given); a case
    that must pass finds none at its places (`at`, default anywhere), and what it reports `also`."""
    found = [f for f in result.findings if f.code == code]
    if kind == "fire":
        assert found, f"{code} not reported; got:\n{describe(result.findings)}"
        for f in found:
            assert f.severity == catalogue.severity_of(code)
            assert catalogue.render(f, "zh") and catalogue.render(f, "en")
        unmatched = list(found)
        for want in case["expect"]:
            hit = next((f for f in unmatched if matches(f, want)), None)
            assert hit is not None, f"no {code} with {want}; got:\n{describe(found)}"
            unmatched.remove(hit)
        if "count" in case:
            assert len(found) == case["count"], describe(found)
    else:
        places = case.get("at")
        wrong = [f for f in found if places is None or any(matches(f, want) for want in places)]
        assert not wrong, f"{code} must not be reported here:\n{describe(wrong)}"
        for other in case.get("also", []):
            assert any(f.code == other for f in result.findings), \
                f"expected {other} instead; got:\n{describe(result.findings)}"
