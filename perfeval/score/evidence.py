"""Figures for formula indicators, bound to the rubric's input names, each with its source.

Sources in order of trust: the 基础数据 sheet (名称 | 数值) and the header block (预算金额) always win; then
figures read from text (textfigures.py finds them, binding.py names them): the indicator's own 扣分理由,
then the other 扣分理由 and 存在问题, then 总体评价. Within one source, candidates that disagree are not
picked between: the input stays unbound and the disagreement is kept as a Conflict for the checks.
Dates and durations belong to a package (01包组) when the text names one; other figures of a package
(其中包组2…) are parts and never stand for the project's figure.
An input the rubric gives a `default` for (计划成本 -> 预算金额) takes the default's figure when absent;
one it gives `derive` for (实际工期 = months from 开工日期 to 完成日期) is derived when not stated.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from perfeval.text.binding import Bound, bind, first_conflict, months_between, most_precise
from perfeval.model import Figure, IndicatorRow, Sheet
from perfeval.numbers import fmt, parse_figure
from perfeval.read.words import sheet_words
from perfeval.rubric import Indicator, Rubric
from perfeval.text.figures import TIME_KINDS, Passage, extract, package_label

NARRATIVE = "总体评价"
TEXT_LABELS = ("扣分理由", "存在问题", NARRATIVE)


def structured(sheet: Sheet, rubric: Rubric) -> dict[str, Figure]:
    """Figures from the header (an input with `header = "budget"` takes 预算金额) and the 基础数据 sheet;
    基础数据 wins over the header."""
    figures: dict[str, Figure] = {}
    for inp in rubric.inputs.values():
        value = getattr(sheet.project, inp.header) if inp.header else None
        if value is not None:
            cell = getattr(sheet.project, f"{inp.header}_cell") or ""
            figures[inp.name] = Figure(inp.name, value, f"表头 {sheet_words().label(inp.header)} {cell}".strip())
    for written, raw, cell in sheet.basic_data:
        inp = rubric.input_named(written)
        if inp is None:
            continue
        value = parse_figure(raw, inp.unit)
        if value is not None:
            figures[inp.name] = Figure(inp.name, value, cell)
    return figures


def with_defaults(figures: dict[str, Figure], rubric: Rubric) -> dict[str, Figure]:
    out = dict(figures)
    for inp in rubric.inputs.values():
        if inp.name not in out and inp.default and inp.default in out:
            source = out[inp.default]
            out[inp.name] = replace(source, name=inp.name, source=f"{source.source}（按{inp.default}）")
    return out


def gather(sheet: Sheet, rubric: Rubric) -> dict[str, Figure]:
    """The structured figures with defaults applied (no text)."""
    return with_defaults(structured(sheet, rubric), rubric)


@dataclass(frozen=True)
class Conflict:
    """Two different values for one input: a structured Figure or a Bound, then a Bound."""
    input: str
    first: Figure | Bound
    second: Bound


@dataclass(frozen=True)
class FigureSet:
    figures: dict[str, Figure]
    package: str = ""                     # "01包组" when the set is one package's
    conflicted: tuple[str, ...] = ()      # inputs left unbound because their candidates disagree
    from_text: frozenset = frozenset()    # inputs whose figure was read from text
    contested: frozenset = frozenset()    # inputs whose figure is a structured one some text contradicts

    def mixes_contested(self, used: tuple[Figure, ...]) -> list[str]:
        """Structured figures a text contradicts, used beside figures read from text: the text was
        written with other numbers, so the mix stands for neither (基础数据 alone is fine)."""
        names = [n for n, f in self.figures.items() if any(f is u for u in used)]
        if not any(n in self.from_text for n in names):
            return []
        return [n for n in names if n in self.contested]


def passages(sheet: Sheet) -> list[Passage]:
    """Every text figures are read from: each 扣分理由, 存在问题 and 总体评价."""
    out = [extract(r.reason.value, sheet.sheet, r.reason.cell, "扣分理由")
           for r in sheet.rows if r.reason and r.reason.value]
    for label in ("存在问题", NARRATIVE):
        text = sheet.narrative_text(label)
        if text and text.value:
            out.append(extract(text.value, sheet.sheet, text.cell, label))
    return out


def in_scope(b: Bound, package: int | None) -> bool:
    """Dates and durations must be of the same package; other figures must be the project's own."""
    if b.figure.kind in TIME_KINDS:
        return b.figure.package == package
    return not b.figure.partial


def _by_input(layer: list[Bound]) -> dict[str, list[Bound]]:
    out: dict[str, list[Bound]] = {}
    for b in layer:
        out.setdefault(b.input, []).append(b)
    return out


class Evidence:
    def __init__(self, sheet: Sheet, rubric: Rubric):
        self.rubric = rubric
        self.structured = structured(sheet, rubric)
        self.passages = passages(sheet)
        self.bound = [b for p in self.passages for b in bind(p, rubric.inputs.values())]
        self._sets: dict[tuple, FigureSet] = {}
        # structured figures some text contradicts (a package's figure is not the project's)
        self.contested = frozenset(b.input for b in self.bound if b.input in self.structured
                                   and not b.figure.partial and b.figure.package is None
                                   and not _holds(b, self.structured[b.input]))

    # ---- layers ----------------------------------------------------------------------------------

    def in_cell(self, cell: str) -> list[Bound]:
        return [b for b in self.bound if b.passage.cell == cell]

    def table(self, besides: str | None = None) -> list[Bound]:
        return [b for b in self.bound if b.passage.label != NARRATIVE and b.passage.cell != besides]

    def narrative(self) -> list[Bound]:
        return [b for b in self.bound if b.passage.label == NARRATIVE]

    # ---- picking -----------------------------------------------------------------------------------

    @staticmethod
    def pick(name: str, layers: list[dict[str, list[Bound]]], package: int | None) -> tuple[Bound | None, bool]:
        """The first layer's candidate for `name` (the most precise of several that agree);
        (None, True) when that layer's candidates disagree. Layers are indexed by input name."""
        for layer in layers:
            found = [b for b in layer.get(name, ()) if in_scope(b, package)]
            if found:
                if first_conflict(found):
                    return None, True
                return most_precise(found), False
        return None, False

    def figure_set(self, layers: list[list[Bound]], package: int | None = None, label: str = "",
                   own: int = 0) -> FigureSet:
        """A figure per input: from the first `own` layers (a text's own arithmetic), then the
        structured figures, then the other layers; then derived ones and defaults. Rows whose own
        texts hold no figure ask for the same set: it is made once."""
        key = (tuple(tuple(map(id, layer)) for layer in layers), package, label, own)
        if key not in self._sets:
            self._sets[key] = self._figure_set(layers, package, label, own)
        return self._sets[key]

    def _figure_set(self, layers: list[list[Bound]], package: int | None, label: str, own: int) -> FigureSet:
        figures: dict[str, Figure] = {}
        conflicted: list[str] = []
        layers = [_by_input(layer) for layer in layers]
        for inp in self.rubric.inputs.values():
            if inp.unit in ("date", "grade", "score"):
                continue                        # dates only feed derive; 总分 and 评价等级 no rule
            bound, clash = self.pick(inp.name, layers[:own], package)
            if bound is None and not clash:
                if inp.name in self.structured:
                    figures[inp.name] = self.structured[inp.name]
                    continue
                bound, clash = self.pick(inp.name, layers[own:], package)
            if bound is not None:
                figures[inp.name] = bound.figure_as()
            elif clash:
                conflicted.append(inp.name)
        text = {n for n, f in figures.items() if f is not self.structured.get(n)}
        for inp in self.rubric.inputs.values():
            if inp.name in figures or not inp.derive:
                continue
            (start, c1), (end, c2) = (self.pick(n, layers, package) for n in inp.derive)
            if start is not None and end is not None and start.figure.value.first() <= end.figure.value.last():
                nominal, low, high = months_between(start.figure.value, end.figure.value)
                source = f"{start.source}至{end.source}"
                figures[inp.name] = Figure(inp.name, nominal, source) if low == high else \
                    Figure(inp.name, nominal, f"{source}（约 {fmt(nominal, 1)} 个月）", low, high)
                text.add(inp.name)
            elif c1 or c2:
                conflicted.append(inp.name)
        contested = {n for n in figures if n in self.contested and n not in text}
        completed = with_defaults(figures, self.rubric)
        for name in completed.keys() - figures.keys():          # 计划成本 <- 预算金额: the default's origin
            default = self.rubric.inputs[name].default
            text |= {name} if default in text else set()
            contested |= {name} if default in contested else set()
        conflicted += [i.name for i in self.rubric.inputs.values()
                       if i.name not in completed and i.default in conflicted]      # 实际成本 <- 合同金额
        return FigureSet(completed, label, tuple(conflicted), frozenset(text), frozenset(contested))

    def for_row(self, row: IndicatorRow, indicator: Indicator) -> list[list[FigureSet]]:
        """The figures an indicator may be recomputed from, most trusted first: the structured ones
        alone; with its own 扣分理由; with every text. Each is one set, or one per package its reason
        names when the indicator scores the worst package."""
        cell = row.reason.cell if row.reason else None
        own = self.in_cell(cell) if cell else []
        packages: list[int | None] = [None]
        if indicator.spec.get("packages") == "worst":
            packages = sorted({b.figure.package for b in own
                               if b.figure.kind in TIME_KINDS and b.figure.package is not None}) or [None]

        def sets(layers: list[list[Bound]]) -> list[FigureSet]:
            return [self.figure_set(layers, p, package_label(own[0].passage, p) if p else "") for p in packages]

        return [[self.figure_set([])], sets([own]), sets([own, self.table(besides=cell), self.narrative()])]

    def beside(self, b: Bound) -> FigureSet:
        """The figures a stated value is checked against: those of its own text first (its arithmetic
        is what is checked), then structured ones; for 总体评价, then the table's texts."""
        layers = [[x for x in self.in_cell(b.passage.cell) if x.input != b.input]]
        if b.passage.label == NARRATIVE:
            layers.append(self.table())
        return self.figure_set(layers, b.figure.package if b.figure.kind in TIME_KINDS else None, own=1)

    # ---- disagreements -------------------------------------------------------------------------

    def conflicts(self) -> list[Conflict]:
        """Per input and package: the table's texts against the structured figure or among themselves,
        and 总体评价 among itself. (总体评价 against the table is narrative-mismatch, not here.)"""
        out: list[Conflict] = []
        for layer, against_structured in ((self.table(), True), (self.narrative(), False)):
            groups: dict[tuple[str, int | None], list[Bound]] = {}
            for b in layer:
                if not b.figure.partial:
                    groups.setdefault((b.input, b.figure.package), []).append(b)
            for (name, package), found in groups.items():
                if self.rubric.inputs[name].unit in ("score", "grade"):
                    continue                    # not figures of a formula: 总体评价's are checked on their own
                fixed = self.structured.get(name)
                if fixed is not None and against_structured:
                    if package is not None:
                        continue                # a package's figure is not the project's 基础数据 figure
                    off = [b for b in found if not _holds(b, fixed)]
                    if off:
                        out.append(Conflict(name, fixed, off[0]))
                    continue
                pair = first_conflict(found)
                if pair:
                    out.append(Conflict(name, *pair))
        return out


def _holds(b: Bound, figure: Figure) -> bool:
    lo, hi = b.figure.interval()
    return lo <= figure.value <= hi
