"""The contract users read lives in the project and keeps in step with the code: docs/json.md's code
table is the catalogue's, every field of a real JSON document is described there, README links to it
and names nothing outside the project."""
from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

from click.testing import CliRunner

from perfeval import catalogue
from perfeval.cli import main

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "json.md"


def _generator():
    spec = importlib.util.spec_from_file_location("make_json_md", ROOT / "docs" / "make_json_md.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_code_table_is_the_catalogue():
    text = DOC.read_text(encoding="utf-8")
    assert _generator().rewrite(text) == text, "docs/json.md is out of date: run python docs/make_json_md.py"
    for code in catalogue.CATALOGUE:
        assert f"| `{code}` |" in text


def _keys(value, found: set[str]) -> set[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            found.add(k)
            _keys(v, found)
    elif isinstance(value, list):
        for v in value:
            _keys(v, found)
    return found


def test_every_field_of_a_real_document_is_described(make_sheet, tmp_path):
    paths = [make_sheet("a.xlsx", scores={"预算执行率": 1.95}, total="83", grade="优",
                        basic_data=[("实际支出资金", 413.905), ("实际到位资金", "约444.2万元")]),
             make_sheet("b.xlsx", narrative={"总体评价": "项目资金约444.2万元，实际支出413.905万元。"})]
    (tmp_path / "empty.xlsx").write_bytes(b"")
    result = CliRunner().invoke(main, ["check", *map(str, paths), str(tmp_path / "empty.xlsx"), "--format", "json",
                                       "--out", str(tmp_path / "out"), "--ignore", "reason-missing"])
    doc = json.loads(result.stdout)
    text = DOC.read_text(encoding="utf-8")
    described = set(re.findall(r"`([a-z_]+)`", text))
    missing = _keys(doc, set()) - described - set(doc["ignored"])
    assert not missing, f"fields not described in docs/json.md: {sorted(missing)}"


def test_exit_codes_are_documented():
    text = DOC.read_text(encoding="utf-8")
    for code in ("0", "1", "2", "3"):
        assert re.search(rf"^\| {code} \| ", text, re.M)


def test_readme_links_the_contract_and_names_nothing_outside_the_project():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/json.md" in readme
    assert "../" not in readme and "DESIGN.md" not in readme and "/work/" not in readme
    for link in re.findall(r"\]\(([^)#]+)\)", readme):
        if not link.startswith(("http://", "https://")):
            assert (ROOT / link).exists(), link
