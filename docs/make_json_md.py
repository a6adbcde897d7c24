"""Rewrite the finding-code table of docs/json.md from the catalogue: python docs/make_json_md.py

tests/test_docs.py fails when the table in docs/json.md is not what this script would write.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from perfeval import catalogue

DOC = Path(__file__).with_name("json.md")
START, END = "<!-- codes:start (written by docs/make_json_md.py) -->", "<!-- codes:end -->"


def codes_table() -> str:
    rows = ["| code | severity | when | 说明 |", "|---|---|---|---|"]
    for code in catalogue.CATALOGUE.values():
        rows.append(f"| `{code.code}` | {code.severity.value} | {code.title['en']} | {code.title['zh']} |")
    return "\n".join(rows)


def rewrite(text: str) -> str:
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        raise SystemExit(f"{DOC}: markers {START} … {END} not found")
    return pattern.sub(lambda _: f"{START}\n{codes_table()}\n{END}", text)


if __name__ == "__main__":
    DOC.write_text(rewrite(DOC.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"{DOC}: {len(catalogue.CATALOGUE)} codes", file=sys.stderr)
