"""Just enough of Excel's formula language to evaluate the sums score sheets hold.

Files written by programs other than Excel carry formulas without cached values; 合计 = SUM(G5:G34)
must still be read as a number. Supported: numbers, cell references (with $ and a sheet prefix),
ranges inside functions, + - * / and parentheses, SUM, ROUND, MIN, MAX, ABS. Anything else raises
Unsupported, and the caller falls back to the cached value. Nesting deeper than MAX_NESTING (brackets,
signs, function calls) raises Budget, so no formula can exhaust the stack.

Why hand-written and not pycel or formulas: both evaluate in binary floats (scores here are Decimals
rounded half-up: ROUND(2.675,2) must be 2.68), both build a graph of the whole workbook before the
first value (the work a hostile file makes huge), and `formulas` pulls numpy, scipy-style deps and
schedula for the six functions score sheets use. openpyxl's Tokenizer splits the full grammar, but
its tokens would still need this parser; the regex below covers the subset, and what it does not
cover is refused, not guessed.
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Callable

from openpyxl.utils.cell import column_index_from_string, get_column_letter

from perfeval.numbers import parse_number

# resolver(sheet_or_None, "B3") -> value of that cell (a Decimal, a string, or None for blank)
Resolver = Callable[[str | None, str], object]

_TOKEN = re.compile(r"""
    \s*(?:
      (?P<num>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)
    | (?P<ref>(?:(?:'(?:[^']|'')+'|[^\s!'(),:+\-*/^&=<>"]+)!)?\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?)
    | (?P<func>[A-Za-z][A-Za-z0-9.]*)\(
    | (?P<op>[-+*/(),])
    )""", re.VERBOSE)


MAX_NESTING = 40          # brackets, signs and calls inside one another; real sheets use 3 or 4


class Unsupported(ValueError):
    pass


class Budget(Unsupported):
    """Past the nesting, depth or work budget: the cell is not evaluated (its cached value, if any, stands)."""


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise Unsupported(text)
        kind = m.lastgroup
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


def _split_ref(ref: str) -> tuple[str | None, str]:
    if "!" in ref:
        sheet, cells = ref.rsplit("!", 1)
        if sheet.startswith("'"):
            sheet = sheet[1:-1].replace("''", "'")
        return sheet, cells.replace("$", "")
    return None, ref.replace("$", "")


def _cells_of_range(cells: str) -> list[str]:
    a, b = cells.split(":")
    ma, mb = re.match(r"([A-Z]+)(\d+)", a.upper()), re.match(r"([A-Z]+)(\d+)", b.upper())
    c1, c2 = sorted((column_index_from_string(ma[1]), column_index_from_string(mb[1])))
    r1, r2 = sorted((int(ma[2]), int(mb[2])))
    if (c2 - c1 + 1) * (r2 - r1 + 1) > 100_000:
        raise Unsupported("range too large")
    return [f"{get_column_letter(c)}{r}" for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]


def evaluate(formula: str, resolve: Resolver) -> Decimal:
    """Value of `=...`; blank cells count as 0, text inside SUM is skipped as Excel does."""
    parser = _Parser(formula, resolve)
    result = parser.expr()
    if parser.pos != len(parser.tokens):
        raise Unsupported(formula)
    return result


class _Parser:
    """A recursive-descent reader of one formula: + - * /, brackets, signs, cell references and calls."""

    def __init__(self, formula: str, resolve: Resolver):
        self.formula, self.resolve = formula, resolve
        self.tokens = _tokens(formula.lstrip("="))
        self.pos = 0
        self.depth = 0

    def nested(self, parse: Callable[[], object]) -> object:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise Budget(f"nesting deeper than {MAX_NESTING}")
        try:
            return parse()
        finally:
            self.depth -= 1

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        if self.pos >= len(self.tokens):
            raise Unsupported(self.formula)
        self.pos += 1
        return self.tokens[self.pos - 1]

    def number(self, value: object) -> Decimal:
        if value is None or value == "":
            return Decimal(0)
        n = parse_number(value)
        if n is None:
            raise Unsupported(f"text in arithmetic: {value!r}")
        return n

    def values_of(self, ref: str) -> list[object]:
        sheet, cells = _split_ref(ref)
        if ":" in cells:
            return [self.resolve(sheet, c) for c in _cells_of_range(cells)]
        return [self.resolve(sheet, cells)]

    def args(self) -> list[list[object]]:
        out: list[list[object]] = []
        if self.peek() == ("op", ")"):
            self.take()
            return out
        while True:
            tok = self.peek()
            if tok and tok[0] == "ref" and ":" in tok[1]:
                self.take()
                out.append(self.values_of(tok[1]))
            else:
                out.append([self.expr()])
            kind, text = self.take()
            if text == ")":
                return out
            if text != ",":
                raise Unsupported(self.formula)

    def factor(self) -> Decimal:
        kind, text = self.take()
        if kind == "num":
            return Decimal(text)
        if kind == "ref":
            if ":" in text:
                raise Unsupported(self.formula)
            return self.number(self.values_of(text)[0])
        if kind == "op" and text == "(":
            value = self.nested(self.expr)
            if self.take() != ("op", ")"):
                raise Unsupported(self.formula)
            return value
        if kind == "op" and text in "+-":
            value = self.nested(self.factor)
            return -value if text == "-" else value
        if kind == "func":
            return call(text.upper(), self.nested(self.args))
        raise Unsupported(self.formula)

    def term(self) -> Decimal:
        value = self.factor()
        while self.peek() in (("op", "*"), ("op", "/")):
            op = self.take()[1]
            right = self.factor()
            if op == "*":
                value *= right
            else:
                if right == 0:
                    raise Unsupported("division by zero")
                value /= right
        return value

    def expr(self) -> Decimal:
        value = self.term()
        while self.peek() in (("op", "+"), ("op", "-")):
            op = self.take()[1]
            right = self.term()
            value = value + right if op == "+" else value - right
        return value


def call(name: str, arguments: list[list[object]]) -> Decimal:
    flat = [v for group in arguments for v in group]
    if name == "SUM":
        return sum((v if isinstance(v, Decimal) else parse_number(v) or Decimal(0)
                    for v in flat if not (isinstance(v, str) and parse_number(v) is None)), Decimal(0))
    if name in ("MIN", "MAX"):
        numbers = [v if isinstance(v, Decimal) else parse_number(v) for v in flat]
        numbers = [n for n in numbers if n is not None]
        return (min if name == "MIN" else max)(numbers) if numbers else Decimal(0)
    if name == "ABS" and len(flat) == 1:
        return abs(_num(flat[0]))
    if name == "ROUND" and len(flat) == 2:
        places = int(_num(flat[1]))
        try:
            return _num(flat[0]).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        except InvalidOperation:
            raise Unsupported("ROUND") from None
    raise Unsupported(name)


def _num(value: object) -> Decimal:
    n = value if isinstance(value, Decimal) else parse_number(value)
    if n is None:
        raise Unsupported(repr(value))
    return n
