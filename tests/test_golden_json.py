"""The JSON of every sample workbook and of every case workbook, pinned field for field.

The corpus (samples + one workbook per case of tests/cases) is checked in one `perfeval check
--format json` run per language and compared with tests/golden/<lang>.json. A change of the JSON
is a deliberate act: regenerate with `PERFEVAL_REGOLD=1 pytest tests/test_golden_json.py` and
review the diff.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from perfeval.cli import main
from cases import build_case, tables

GOLDEN = Path(__file__).parent / "golden"
SAMPLES = Path(__file__).resolve().parents[1] / "sample_workbooks"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for sample in sorted([*SAMPLES.glob("*.xlsx"), *SAMPLES.glob("*.xls")]):     # the .xls: committed bytes
        shutil.copy(sample, folder / sample.name)
    for stem, table in tables().items():
        for kind in ("fire", "pass"):
            for case in table.get(kind, []):
                build_case(folder / f"{stem}__{kind}__{case['name']}.xlsx", case)
    return folder


def run_json(folder: Path, lang: str) -> dict:
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        res = CliRunner().invoke(main, ["check", ".", "--format", "json", "--jobs", "1", "--lang", lang])
    finally:
        os.chdir(cwd)
    assert res.exit_code in (0, 1, 2), res.output
    doc = json.loads(res.stdout)
    for f in doc["files"]:
        f["path"] = Path(f["path"]).name
    return doc


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_json_of_the_corpus_is_pinned(corpus, lang):
    got = run_json(corpus, lang)
    golden = GOLDEN / f"{lang}.json"
    if os.environ.get("PERFEVAL_REGOLD"):
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    want = json.loads(golden.read_text(encoding="utf-8"))
    assert len(got["files"]) == len(want["files"])
    for g, w in zip(got["files"], want["files"]):
        assert g == w, g["path"]
    assert got == want
