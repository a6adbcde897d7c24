"""Rubric files (templates/rubrics/*.toml): loading, validation, and matching a sheet to one."""
from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from perfeval.model import Band, Bands
from perfeval.numbers import normalize_text

KINDS = {"levels", "discretionary", "rate", "tiers", "floor_rate", "deduct_per_step",
         "not_exceed", "satisfaction", "items", "from_text"}
# from_text: the rule is read from the row's own 评分标准 (score/criteria.py) when the sheet is checked
FORMULA_KINDS = KINDS - {"levels", "discretionary", "from_text"}
MEASURES = ("input", "ratio", "saving", "difference")
# units a figure read from text can carry, and the kind of text figure each one takes
TEXT_UNITS = {"万元": "amount", "rate": "percent", "count": "count", "months": "duration", "date": "date",
              "score": "score", "grade": "grade"}
# indicator keys that name an input (a literal number is allowed where marked)
_INPUT_KEYS = {"expected": False, "baseline": True, "limit": False,
               "zero_unless": False, "transfer_when_zero": False}
# fields of the sheet's header block (model.Project) that hold a figure an input can take (header = "budget")
HEADER_FIGURES = ("budget",)


def templates_dir() -> Path:
    """templates/ inside an installed package, or beside it in a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("templates/ not found next to the perfeval package")


class RubricError(ValueError):
    """A rubric file that cannot be used; the message names the file and the indicator."""


@dataclass(frozen=True)
class Indicator:
    name: str
    level1: str
    level2: str
    weight: Decimal
    kind: str
    spec: dict = field(compare=False, hash=False)   # the rule's own keys, as in the file
    aliases: tuple[str, ...] = ()

    @property
    def is_formula(self) -> bool:
        return self.kind in FORMULA_KINDS


@dataclass(frozen=True)
class Group:
    level: int
    name: str
    weight: Decimal
    parent: str | None


@dataclass(frozen=True)
class Input:
    name: str
    unit: str = ""
    aliases: tuple[str, ...] = ()
    default: str | None = None
    keywords: tuple[str, ...] = ()       # words that name this figure in free text (合同金额, 已支付)
    exclude: tuple[str, ...] = ()        # a clause holding one of these never names it (计划 for 完成日期)
    check: object = field(default=None, compare=False, hash=False)   # a measure a stated value must agree with (a rate's formula)
    derive: tuple[str, str] | None = None   # months between two date inputs, when not stated
    header: str | None = None               # the header block's figure that feeds it (budget)

    @property
    def kind(self) -> str | None:
        """The kind of text figure this input takes (amount, percent, date...), None if none."""
        return TEXT_UNITS.get(self.unit)


@dataclass(frozen=True)
class Rubric:
    id: str
    title: str
    path: str
    match_titles: tuple[str, ...]
    tolerance: Decimal
    bands: Bands
    inputs: dict[str, Input] = field(hash=False)
    groups: tuple[Group, ...]
    indicators: tuple[Indicator, ...]

    def find(self, written: str) -> Indicator | None:
        """The indicator a name on the sheet stands for (whitespace, aliases, a leading number such as
        `1.` `（1）` `①` and a trailing weight such as `（3分）` forgiven)."""
        key = normalize_text(written)
        return self._names.get(key) or self._names.get(_NUMBERING.sub("", key))

    @property
    def _names(self) -> dict[str, Indicator]:
        names = self.__dict__.get("_names_cache")
        if names is None:
            names = {}
            for ind in self.indicators:
                for n in (ind.name, *ind.aliases):
                    names[normalize_text(n)] = ind
            object.__setattr__(self, "_names_cache", names)
        return names

    def input_named(self, written: str) -> Input | None:
        """The input a 基础数据 name stands for: an input of that name, else one it is an alias of."""
        key = normalize_text(written)
        for inp in self.inputs.values():
            if key == normalize_text(inp.name):
                return inp
        for inp in self.inputs.values():
            if key in (normalize_text(n) for n in inp.aliases):
                return inp
        return None

    def group(self, level: int, name: str) -> Group | None:
        for g in self.groups:
            if g.level == level and g.name == name:
                return g
        return None


# after normalize_text (NFKC): `1.` `1、` `1)` `(1)` `①` `一、` before the name; `(3分)` `(3)` after it
_NUMBERING = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*[.、)]?|\(\d{1,2}\)|[\u2460-\u2473]|[一二三四五六七八九十]{1,3}[、.])"
                        r"|\(\d+(?:\.\d+)?分?\)$")


def _decimal(value: object, where: str) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise RubricError(f"{where}: “{value}” 不是数字 (not a number)") from None


def _measure_inputs(value: object, where: str) -> list[str]:
    options = value if isinstance(value, list) else [value]
    names: list[str] = []
    for option in options:
        if not isinstance(option, dict) or len(option) != 1 or next(iter(option)) not in MEASURES:
            raise RubricError(f"{where}: value 须为 {{input|ratio|saving = ...}} 之一 (bad value {option!r})")
        (how, args), = option.items()
        names.extend([args] if how == "input" else list(args))
    return names


def read_toml(path: Path) -> dict:
    """A rubric file's tables; a file that cannot be read is a RubricError naming it."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RubricError(f"{path}: 无法读取评分规则文件 (cannot read rubric): {exc}") from None


def load(path: str | Path) -> Rubric:
    path = Path(path)
    data = read_toml(path)
    where = str(path)
    for key in ("id", "level1", "grade"):
        if key not in data:
            raise RubricError(f"{where}: 缺少 “{key}” (missing key)")
    inputs = {name: _input(name, spec, f"{where} [input.{name}]") for name, spec in data.get("input", {}).items()}
    _check_inputs(inputs, where)

    groups: list[Group] = []
    indicators: list[Indicator] = []
    total = Decimal(0)
    for l1 in data["level1"]:
        w1 = _decimal(l1.get("weight"), f"{where} [{l1.get('name')}] weight")
        groups.append(Group(1, l1["name"], w1, None))
        total += w1
        sum1 = Decimal(0)
        for l2 in l1.get("level2", []):
            w2 = _decimal(l2.get("weight"), f"{where} [{l2.get('name')}] weight")
            groups.append(Group(2, l2["name"], w2, l1["name"]))
            sum1 += w2
            sum2 = Decimal(0)
            for spec in l2.get("indicator", []):
                indicators.append(_indicator(spec, l1["name"], l2["name"], inputs, where))
                sum2 += indicators[-1].weight
            if sum2 != w2:
                raise RubricError(f"{where} [{l2['name']}]: 三级指标权重合计 {sum2} ≠ {w2} (weights do not add up)")
        if sum1 != w1:
            raise RubricError(f"{where} [{l1['name']}]: 二级指标权重合计 {sum1} ≠ {w1} (weights do not add up)")
    if total != 100:
        raise RubricError(f"{where}: 一级指标权重合计 {total} ≠ 100 (weights do not add up)")
    names = [i.name for i in indicators]
    for ind in indicators:
        target = ind.spec.get("transfer_to")
        if target and target not in names:
            raise RubricError(f"{where} [{ind.name}]: transfer_to “{target}” 不是本规则的指标 (unknown indicator)")
    bands = _bands(data["grade"], where)
    return Rubric(
        id=data["id"], title=data.get("title", data["id"]), path=str(path),
        match_titles=tuple(data.get("match_titles", [])),
        tolerance=_decimal(data.get("tolerance", "0.005"), f"{where} tolerance"),
        bands=bands, inputs=inputs, groups=tuple(groups), indicators=tuple(indicators))


def _strings(value: object, here: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RubricError(f"{here}: {key} 须为非空字符串列表 (must be a list of non-empty strings)")
    return tuple(value)


def _input(name: str, spec: dict, here: str) -> Input:
    unit = spec.get("unit", "")
    keywords = _strings(spec.get("keywords", []), here, "keywords")
    if keywords and unit not in TEXT_UNITS:
        raise RubricError(f"{here}: 有 keywords 的输入须为文字中可读出的单位 {sorted(TEXT_UNITS)} (unit “{unit}”)")
    derive = spec.get("derive")
    if derive is not None:
        if unit != "months" or not isinstance(derive, dict) or list(derive) != ["months_between"] \
                or len(derive["months_between"]) != 2:
            raise RubricError(f"{here}: derive 须为 {{months_between = [开始日期, 结束日期]}}，单位 months (bad derive)")
        derive = tuple(derive["months_between"])
    check = spec.get("check")
    if check is not None:
        _measure_inputs(check, here)
    header = spec.get("header")
    if header is not None and header not in HEADER_FIGURES:
        raise RubricError(f"{here}: header 须为表头中的数字字段 {list(HEADER_FIGURES)} (bad header “{header}”)")
    return Input(name, unit, tuple(spec.get("aliases", ())), spec.get("default"), keywords,
                 _strings(spec.get("exclude", []), here, "exclude"), check, derive, header)


def _bands(grades: object, where: str) -> Bands:
    """[[grade]] name, min (lower bound, inclusive) and aliases: bands of any number, no word twice."""
    if not isinstance(grades, list) or not grades:
        raise RubricError(f"{where}: [[grade]] 须至少有一档 (no grade band)")
    bands, seen = [], set()
    for g in grades:
        if not isinstance(g, dict) or not isinstance(g.get("name"), str) or not g["name"].strip() or "min" not in g:
            raise RubricError(f"{where} [[grade]]: 每档须有 name 与 min (a band needs a name and a min)")
        aliases = _strings(g.get("aliases", []), f"{where} [grade {g['name']}]", "aliases")
        for word in (g["name"], *aliases):
            if word in seen:
                raise RubricError(f"{where} [grade {g['name']}]: “{word}” 已属于另一档 (word names two bands)")
            seen.add(word)
        bands.append(Band(g["name"], _decimal(g["min"], f"{where} grade"), aliases))
    if len({b.min for b in bands}) != len(bands):
        raise RubricError(f"{where} [[grade]]: 两档的 min 相同 (two bands with one lower bound)")
    return Bands(tuple(bands))


def _check_inputs(inputs: dict[str, Input], where: str) -> None:
    """Every name an input refers to exists, and no keyword names two inputs of one kind."""
    owner: dict[tuple[str, str], str] = {}
    for inp in inputs.values():
        here = f"{where} [input.{inp.name}]"
        refs = [inp.default] if inp.default else []
        refs += list(inp.derive or ()) + (_measure_inputs(inp.check, here) if inp.check is not None else [])
        for ref in refs:
            if ref not in inputs:
                raise RubricError(f"{here}: 引用的输入 “{ref}” 未定义 (unknown input)")
        for ref in inp.derive or ():
            if inputs[ref].unit != "date":
                raise RubricError(f"{here}: derive 引用的 “{ref}” 须为 date 单位 (not a date input)")
        if inp.header and owner.setdefault(("header", inp.header), inp.name) != inp.name:
            raise RubricError(f"{here}: header “{inp.header}” 同时属于输入 {owner['header', inp.header]} (two inputs)")
        for word in inp.keywords:
            other = owner.setdefault((inp.kind, word), inp.name)
            if other != inp.name:
                raise RubricError(f"{here}: 关键词 “{word}” 同时属于输入 {other} (keyword names two inputs)")


def _indicator(spec: dict, level1: str, level2: str, inputs: dict, where: str) -> Indicator:
    name = spec.get("name")
    here = f"{where} [{name}]"
    if not name:
        raise RubricError(f"{where} [{level2}]: 指标缺少 name (indicator without a name)")
    kind = spec.get("kind")
    if kind not in KINDS:
        raise RubricError(f"{here}: 未知的规则类型 kind = “{kind}” (unknown rule kind; one of {sorted(KINDS)})")
    weight = _decimal(spec.get("weight"), f"{here} weight")
    used: list[str] = []
    if kind in FORMULA_KINDS - {"items"}:
        if "value" not in spec:
            raise RubricError(f"{here}: 规则 {kind} 需要 value (missing value)")
        used += _measure_inputs(spec["value"], here)
    for key, literal_ok in _INPUT_KEYS.items():
        if key in spec:
            ref = str(spec[key])
            if not (literal_ok and _is_number(ref)):
                used.append(ref)
    used += list(spec.get("items", []))
    substitutes = spec.get("substitutes", {})
    if not isinstance(substitutes, dict):
        raise RubricError(f"{here}: substitutes 须为 {{缺少的输入 = 代替的输入}} (bad substitutes)")
    used += list(substitutes) + list(substitutes.values())
    if spec.get("packages", "worst") != "worst":
        raise RubricError(f"{here}: packages 只能为 \"worst\" (按最差的包组计分)")
    if kind == "items" and not spec.get("items"):
        raise RubricError(f"{here}: 规则 items 需要 items 列表 (missing items)")
    if kind == "tiers" and not spec.get("tiers"):
        raise RubricError(f"{here}: 规则 tiers 需要 tiers 列表 (missing tiers)")
    if kind == "levels" and not spec.get("allowed"):
        raise RubricError(f"{here}: 规则 levels 需要 allowed 列表 (missing allowed)")
    if kind == "deduct_per_step":
        for key in ("step", "points", "direction"):
            if key not in spec:
                raise RubricError(f"{here}: 规则 deduct_per_step 需要 {key} (missing {key})")
    for ref in used:
        if ref not in inputs:
            raise RubricError(f"{here}: 输入名 “{ref}” 未在 [input] 中定义 (missing input name)")
    return Indicator(name, level1, level2, weight, kind, spec, tuple(spec.get("aliases", ())))


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
        return True
    except InvalidOperation:
        return False


@functools.lru_cache(maxsize=1)
def builtin() -> tuple[Rubric, ...]:
    """The rubrics shipped in templates/rubrics, loaded once per process (自评表 rubrics, `family =
    "selfeval"`, are rubric_selfeval.py's)."""
    return tuple(load(p) for p in sorted((templates_dir() / "rubrics").glob("*.toml"))
                 if "family" not in tomllib.loads(p.read_text(encoding="utf-8")))


def resolve(choice: str) -> Rubric:
    """--rubric ID|FILE."""
    path = Path(choice)
    if path.suffix == ".toml" and path.exists():
        return load(path)
    for rubric in builtin():
        if rubric.id == choice:
            return rubric
    known = ", ".join(r.id for r in builtin())
    raise RubricError(f"未找到评分规则 “{choice}”（可用：{known}，或给出 .toml 文件路径）")


def match(title: str | None, names: list[str], rubrics: tuple[Rubric, ...] | list[Rubric]) -> Rubric | None:
    """The rubric whose title the sheet carries and whose indicators it mostly uses.

    A title match needs a third of the sheet's indicator names; without one, three quarters.
    """
    best, best_share = None, Decimal(0)
    if not names:
        return None
    wanted_title = normalize_text(title or "")
    for rubric in rubrics:
        share = Decimal(sum(1 for n in names if rubric.find(n))) / len(names)
        titled = any(normalize_text(t) in wanted_title for t in rubric.match_titles)
        if share >= (Decimal("0.34") if titled else Decimal("0.75")) and share > best_share:
            best, best_share = rubric, share
    return best
