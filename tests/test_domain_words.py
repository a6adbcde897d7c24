"""Domain facts live in data, not in Python: no grade word (优 良 中 低 差 and their aliases 优秀 良好 …), no
header label and no input the header feeds (预算金额) is written in perfeval/**/*.py outside comments and
docstrings. The words come from the data themselves (templates/sheet.toml and every rubric), so a word
added there is guarded here too.

A string literal is cut into its runs of CJK characters (`"优秀|良好|优"` -> 优秀, 良好, 优; `"表头 预算金额 "`
-> 表头, 预算金额); see hits() for when a word counts as written there. Ordinary words that merely contain a
grade character (中标, 差异, 低于) pass.
"""
from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "perfeval"
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")

# UI words, not data: a column title that happens to hold a header label. Each one is rendered from the
# catalogue or is a roll-up column title; none decides how a sheet is read or graded.
ALLOWED = {
    ("catalogue.py", "预算金额"),           # "预算金额（万元）": summary.xlsx / annotated copy column title
    ("rollup/tables.py", "预算金额"),       # "预算金额(万元)": rollup.xlsx 项目总表 column title
}


def _tomls() -> list[dict]:
    paths = [ROOT / "templates" / "sheet.toml", *sorted((ROOT / "templates" / "rubrics").glob("*.toml")),
             *sorted((ROOT / "tests" / "rubrics").glob("*.toml"))]
    return [tomllib.loads(p.read_text(encoding="utf-8")) for p in paths]


def grade_words() -> set[str]:
    return {w for data in _tomls() for g in data.get("grade", []) for w in (g["name"], *g.get("aliases", []))}


def header_words() -> set[str]:
    """The inputs a header figure feeds (预算金额) and that figure's labels. The other header labels (项目单位,
    项目名称) name no input: they are also column titles of every report, UI words."""
    tomls = _tomls()
    fed = {(name, spec["header"]) for data in tomls for name, spec in data.get("input", {}).items()
           if spec.get("header")}
    labels = {label for data in tomls for key, words in data.get("header", {}).items()
              if key in {f for _, f in fed} for label in words}
    return {name for name, _ in fed} | labels


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                found.add(id(first.value))
    return found


def literals(path: Path) -> list[tuple[int, int, str]]:
    """Every string constant of a module but its docstrings (comments are not in the tree), f-string parts
    included, with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    return sorted((node.lineno, node.col_offset, node.value) for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip)


def hits(text: str, words: set[str]) -> set[str]:
    """The words a literal holds as data: every CJK run of it being one of the words (`"优"`, `"优(90-100)"`,
    `"优秀|良好"`), a run holding a word of two characters or more (`评为优秀`), or a one-character word in
    a regex alternation (`评为(优|良)`). A message that merely ends on 中 (`不在评分规则 {rubric} 中`) is no hit."""
    runs = list(_CJK_RUN.finditer(text))
    found = {m[0] for m in runs} if runs and all(m[0] in words for m in runs) else set()
    for m in runs:
        found |= {w for w in words if len(w) > 1 and w in m[0]}
        around = text[max(m.start() - 1, 0):m.start()] + text[m.end():m.end() + 1]
        if m[0] in words and "|" in around:
            found.add(m[0])
    return found


def offences(words: set[str]) -> list[str]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE).as_posix()
        for line, _, text in literals(path):
            out += [f"perfeval/{module}:{line}: “{w}” in {text!r}" for w in sorted(hits(text, words))
                    if (module, w) not in ALLOWED]
    return out


def test_the_words_come_from_data():
    assert {"优", "良", "中", "低", "差", "优秀", "良好", "中等", "较差"} <= grade_words()
    assert header_words() == {"预算金额"}


def test_no_grade_word_in_the_code():
    found = offences(grade_words())
    assert not found, "\n".join(found)


def test_no_header_label_or_header_input_in_the_code():
    found = offences(header_words())
    assert not found, "\n".join(found)


def test_the_scan_sees_what_it_must(tmp_path):
    """The scanner itself: literals and f-string parts are seen, docstrings and comments are not."""
    path = tmp_path / "m.py"
    path.write_text('"""评为优秀。"""\nGRADES = ("优", "良")  # 差\nP = r"优秀|中等|较差"\nX = f"表头 预算金额 {1}"\n'
                    'def f():\n    """等级为良。"""\n    return "中标金额"\n', encoding="utf-8")
    seen = [run for _, _, text in literals(path) for run in _CJK_RUN.findall(text)]
    assert seen == ["优", "良", "优秀", "中等", "较差", "表头", "预算金额", "中标金额"]
    words = grade_words() | header_words()
    assert [sorted(hits(t, words)) for _, _, t in literals(path)] == [
        ["优"], ["良"], ["中等", "优秀", "较差"], ["预算金额"], []]
    assert hits("评为(优|良)", words) == {"优", "良"} and hits("优(90-100)", words) == {"优"}
    assert not hits("指标不在评分规则 {rubric} 中", words) and not hits("差异", words)
