"""The shape of the package, read from its source: layers import only downward, no cycles, small
modules and functions. DESIGN.md's layers, lowest first."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "perfeval"

# a module's layer: its first dotted component below perfeval (a folder or a top-level module)
LAYERS = [
    {"__init__", "model", "numbers"},
    {"catalogue", "phrases", "phrases_help", "reasons", "rubric", "rubric_selfeval", "files"},
    {"read"},
    {"text"},
    {"score"},
    {"check"},
    {"pipeline"},
    {"write"},
    {"batch"},
    {"rollup"},
    {"cli", "__main__", "config", "options"},
]
MAX_MODULE_LINES = 360
MAX_FUNCTION_LINES = 65


def modules() -> dict[str, Path]:
    return {".".join(p.relative_to(PACKAGE).with_suffix("").parts): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> int:
    top = module.split(".")[0]
    for i, names in enumerate(LAYERS):
        if top in names:
            return i
    raise AssertionError(f"perfeval.{module} belongs to no layer: add it to LAYERS")


def imports(path: Path, module: str) -> set[str]:
    """perfeval modules imported by a module (absolute or relative), as dotted names below perfeval."""
    found = set()
    package = module.split(".")[:-1] if path.name != "__init__.py" else module.split(".")
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name.removeprefix("perfeval.") for a in node.names if a.name.startswith("perfeval.")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[:len(package) - node.level + 1] + ([node.module] if node.module else []))
            elif node.module and (node.module == "perfeval" or node.module.startswith("perfeval.")):
                base = node.module.removeprefix("perfeval").lstrip(".")
            else:
                continue
            for a in node.names:
                candidate = f"{base}.{a.name}".lstrip(".")
                found.add(candidate if candidate in modules() else base)
    return {m for m in found if m}


def test_every_module_has_a_layer_and_imports_only_downward():
    wrong = []
    for module, path in modules().items():
        for imported in imports(path, module):
            if imported in ("", "__init__"):
                continue
            if layer(imported) > layer(module):
                wrong.append(f"perfeval.{module} imports perfeval.{imported} from a layer above it")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycles():
    graph = {m: {i for i in imports(p, m) if i in modules() and i != m} for m, p in modules().items()}
    state: dict[str, int] = {}

    def visit(m: str, stack: list[str]) -> None:
        state[m] = 1
        for n in graph[m]:
            if state.get(n) == 1:
                raise AssertionError("import cycle: " + " -> ".join([*stack[stack.index(n):], n]))
            if n not in state:
                visit(n, [*stack, n])
        state[m] = 2

    for m in graph:
        if m not in state:
            visit(m, [m])


def test_modules_and_functions_stay_small():
    big = []
    for module, path in modules().items():
        source = path.read_text(encoding="utf-8")
        if len(source.splitlines()) > MAX_MODULE_LINES:
            big.append(f"perfeval.{module}: {len(source.splitlines())} lines (max {MAX_MODULE_LINES})")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = node.end_lineno - node.lineno + 1
                if n > MAX_FUNCTION_LINES:
                    big.append(f"perfeval.{module}.{node.name}: {n} lines (max {MAX_FUNCTION_LINES})")
    assert not big, "\n".join(big)
