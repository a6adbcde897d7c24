"""Rubrics of the 项目支出绩效自评表 family (templates/rubrics/selfeval*.toml): load, validate, match.

A 自评表's indicators are per project, so these rubrics hold no indicator tree: they name the words of
the layout (markers, row and column words), the budget block's rule, the direction words of the
quantitative indicators, the bands of the qualitative ones and the grade bands. A province's variant is
another file with `family = "selfeval"`.
"""
from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from perfeval.model import Band, Bands
from perfeval.numbers import normalize_text
from perfeval.rubric import RubricError, read_toml, templates_dir

FAMILY = "selfeval"
BUDGET_ROLES = ("initial", "budget", "spent", "weight", "rate", "score")
INDICATOR_ROLES = ("level1", "level2", "level3", "direction", "target", "unit", "actual", "weight", "score",
                   "reason")
DIRECTIONS = ("positive", "negative", "equal")
BUDGET_RULES = ("proportional", "bands")


@dataclass(frozen=True)
class Degree:
    """Words that say how far a qualitative target was reached, and the share of 分值 they allow."""
    words: tuple[str, ...]
    low: Decimal
    high: Decimal


@dataclass(frozen=True)
class SelfEvalRubric:
    id: str
    title: str
    path: str
    markers: tuple[str, ...]
    tolerance: Decimal
    total: Decimal
    rescale: bool
    not_applicable: tuple[str, ...]
    budget_rows: tuple[str, ...]            # words of the total row
    source_rows: tuple[str, ...]
    budget_columns: dict[str, tuple[str, ...]] = field(hash=False)
    budget_rule: str = "proportional"
    budget_weight: Decimal = Decimal(10)
    budget_bands: tuple[tuple[Decimal, Decimal], ...] = ()     # (lowest 执行率, share of 分值), highest first
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    total_rows: tuple[str, ...] = ()
    grade_labels: tuple[str, ...] = ()
    directions: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    achieved: tuple[str, ...] = ()
    degrees: tuple[Degree, ...] = ()
    text_labels: tuple[str, ...] = ()
    bands: Bands = Bands()
    family: str = FAMILY
    indicators: tuple = ()                  # no fixed tree: the writers' lookups find nothing here

    def group(self, level: int, name: str) -> None:
        return None

    def find(self, written: str) -> None:
        return None


def _decimal(value: object, where: str) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise RubricError(f"{where}: “{value}” 不是数字 (not a number)") from None


def _words(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RubricError(f"{where}: 须为非空字符串列表 (must be a list of non-empty strings)")
    return tuple(normalize_text(v) for v in value)


def _columns(table: object, roles: tuple[str, ...], required: tuple[str, ...], where: str) -> dict:
    if not isinstance(table, dict):
        raise RubricError(f"{where}: 缺少列名表 (missing columns)")
    unknown = set(table) - set(roles)
    if unknown:
        raise RubricError(f"{where}: 未知的列 {sorted(unknown)} (unknown column role)")
    for role in required:
        if role not in table:
            raise RubricError(f"{where}: 缺少列 {role} (missing column)")
    return {role: _words(words, f"{where}.{role}") for role, words in table.items()}


def load(path: str | Path) -> SelfEvalRubric:
    path = Path(path)
    data = read_toml(path)
    where = str(path)
    if data.get("family") != FAMILY:
        raise RubricError(f"{where}: family 须为 “{FAMILY}” (not a 自评表 rubric)")
    for key in ("id", "markers", "budget", "indicators", "qualitative", "grade"):
        if key not in data:
            raise RubricError(f"{where}: 缺少 “{key}” (missing key)")
    budget, ind, qual = data["budget"], data["indicators"], data["qualitative"]
    rule = budget.get("rule", "proportional")
    if rule not in BUDGET_RULES:
        raise RubricError(f"{where} [budget]: rule 须为 {BUDGET_RULES} 之一 (unknown rule “{rule}”)")
    bands = tuple(sorted(((_decimal(b.get("min"), f"{where} [budget.band] min"),
                           _decimal(b.get("share"), f"{where} [budget.band] share")) for b in budget.get("band", [])),
                         reverse=True))
    if rule == "bands" and not bands:
        raise RubricError(f"{where} [budget]: rule = \"bands\" 需要 [[budget.band]] (missing bands)")
    directions = ind.get("directions", {})
    if set(directions) - set(DIRECTIONS):
        raise RubricError(f"{where} [indicators.directions]: 只能有 {DIRECTIONS} (unknown direction)")
    degrees = tuple(Degree(_words(d.get("words"), f"{where} [qualitative.degree] words"),
                           _decimal(d.get("min"), f"{where} [qualitative.degree] min"),
                           _decimal(d.get("max"), f"{where} [qualitative.degree] max"))
                    for d in qual.get("degree", []))
    for d in degrees:
        if not Decimal(0) <= d.low <= d.high <= Decimal(1):
            raise RubricError(f"{where} [qualitative.degree]: 须 0 ≤ min ≤ max ≤ 1 (bad band {d.low}–{d.high})")
    return SelfEvalRubric(
        id=data["id"], title=data.get("title", data["id"]), path=where,
        markers=_words(data["markers"], f"{where} markers"),
        tolerance=_decimal(data.get("tolerance", "0.01"), f"{where} tolerance"),
        total=_decimal(data.get("total", 100), f"{where} total"),
        rescale=bool(data.get("rescale_not_applicable", False)),
        not_applicable=_words(data.get("not_applicable", ["不适用"]), f"{where} not_applicable"),
        budget_rows=_words(budget.get("total_row"), f"{where} [budget] total_row"),
        source_rows=_words(budget.get("source_rows"), f"{where} [budget] source_rows"),
        budget_columns=_columns(budget.get("columns"), BUDGET_ROLES, ("budget", "spent", "score"),
                                f"{where} [budget.columns]"),
        budget_rule=rule, budget_weight=_decimal(budget.get("weight", 10), f"{where} [budget] weight"),
        budget_bands=bands,
        columns=_columns(ind.get("columns"), INDICATOR_ROLES, ("level1", "level3", "target", "actual", "score"),
                         f"{where} [indicators.columns]"),
        total_rows=_words(ind.get("total_row", ["总分"]), f"{where} [indicators] total_row"),
        grade_labels=_words(ind.get("grade_labels", ["自评等级"]), f"{where} [indicators] grade_labels"),
        directions={k: tuple(v) for k, v in directions.items()},
        achieved=_words(qual.get("achieved", []), f"{where} [qualitative] achieved"), degrees=degrees,
        text_labels=_words(data.get("texts", {}).get("labels", []), f"{where} [texts] labels") if data.get("texts")
        else (),
        bands=Bands(tuple(Band(g["name"], _decimal(g["min"], f"{where} grade"), tuple(g.get("aliases", ())))
                          for g in data["grade"])))


def is_selfeval_file(path: Path) -> bool:
    """A rubric file of this family (rubric.builtin leaves these out)."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")).get("family") == FAMILY
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


@functools.lru_cache(maxsize=1)
def builtin() -> tuple[SelfEvalRubric, ...]:
    return tuple(load(p) for p in sorted((templates_dir() / "rubrics").glob("selfeval*.toml")))


def is_selfeval(rubric_id: str | None) -> bool:
    return bool(rubric_id) and any(r.id == rubric_id for r in builtin()) or str(rubric_id or "").startswith(FAMILY)


def resolve(choice: str) -> SelfEvalRubric | None:
    """--rubric ID|FILE when it names a 自评表 rubric (None otherwise: rubric.resolve's to answer)."""
    path = Path(choice)
    if path.suffix == ".toml" and path.exists():
        return load(path) if is_selfeval_file(path) else None
    return next((r for r in builtin() if r.id == choice), None)


def match(words: set[str], rubrics: tuple[SelfEvalRubric, ...] | None = None) -> SelfEvalRubric | None:
    """The rubric all of whose markers stand among a sheet's normalized cell texts (substring), the one
    with most markers first."""
    options = builtin() if rubrics is None else rubrics
    best = None
    for rubric in options:
        if all(any(m in w for w in words) for m in rubric.markers):
            if best is None or len(rubric.markers) > len(best.markers):
                best = rubric
    return best
