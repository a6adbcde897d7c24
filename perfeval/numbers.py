"""Reading numbers the way people type them into score sheets, and rounding them the way they mean."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_LARGEST = 308                  # the largest decimal exponent of a double: 1.8e308
_UNITS = ("万元", "元", "万", "分", "个月", "月", "天", "小时", "个", "套", "台", "次", "项", "人")
_TRUE = {"是", "有", "√", "✓", "yes", "y", "true", "通过", "已提供"}
_FALSE = {"否", "无", "×", "✗", "no", "n", "false", "未通过", "未提供"}


def normalize_text(value: object) -> str:
    """NFKC (full-width digits and brackets become ASCII) and every kind of whitespace removed."""
    if value is None:
        return ""
    return _normalized(value if isinstance(value, str) else str(value))


@lru_cache(maxsize=1 << 14)
def _normalized(text: str) -> str:
    # every sheet of a batch repeats the same labels and 评分标准 texts: normalize each once
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def from_float(value: float) -> Decimal:
    """The decimal a person typed: 1.86 stays 1.86, binary noise of a sum is cut at 10 places."""
    d = Decimal(repr(value))
    if d.as_tuple().exponent < -10:
        d = d.quantize(Decimal("1e-10"), rounding=ROUND_HALF_UP).normalize()
        if d == d.to_integral_value():
            d = d.quantize(Decimal(1))
    return d


def parse_number(value: object) -> Decimal | None:
    """A score or amount as entered: 3, 1.86, '3分', '３', ' 6 ', '81分', '1,234.5万元'.

    Returns None for anything that is not one plain number (empty, words, two numbers).
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return _held(Decimal(value))
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return from_float(value)
    if isinstance(value, Decimal):
        return _held(value) if value.is_finite() else None
    text = normalize_text(value).replace(",", "")
    for unit in _UNITS:
        if text.endswith(unit) and len(text) > len(unit):
            text = text[: -len(unit)]
            break
    if text.startswith("约"):
        text = text[1:]
    if not _NUMBER.match(text):
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return _held(number)


def _held(number: Decimal) -> Decimal | None:
    """None beyond what a spreadsheet can hold as a number (Excel keeps 1e400 typed in a cell as text)."""
    return number if number.adjusted() <= _LARGEST else None


def parse_figure(value: object, unit: str = "") -> Decimal | None:
    """A figure in a 基础数据 sheet: a number, '93.18%' (-> 0.9318), or 是/否 for flags."""
    if isinstance(value, str):
        text = normalize_text(value).replace(",", "")
        if text.lower() in _TRUE:
            return Decimal(1)
        if text.lower() in _FALSE:
            return Decimal(0)
        if text.endswith("%"):
            number = parse_number(text[:-1])
            return None if number is None else number / 100
    if isinstance(value, bool):
        return Decimal(int(value))
    number = parse_number(value)
    if number is not None and unit == "rate" and number > 1 and number <= 100:
        # a rate typed as 93.18 in a column of rates means 93.18 %
        return number / 100
    return number


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """Half-up to `places`, for any size: 1e117 or 10**30 keep every digit (the default context's 28
    digits would make quantize raise); NaN and infinities come back as they are."""
    if not value.is_finite():
        return value
    with localcontext() as ctx:
        ctx.prec = max(28, value.adjusted() + places + 2)
        ctx.Emax, ctx.Emin = max(ctx.Emax, value.adjusted() + 1), min(ctx.Emin, -places - 1)
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def plain(value: Decimal, places: int | None = 2) -> int | float | None:
    """A Decimal as a plain JSON/xlsx number (rounded half-up to `places`, None: kept as it is):
    an int when whole, else a float; None when no spreadsheet number can hold it (beyond 1.8e308,
    NaN, infinities: a quotient of absurd figures)."""
    if not value.is_finite():
        return None
    d = (value if places is None else round_half_up(value, places)).normalize()
    if d.adjusted() > _LARGEST or (d.adjusted() == _LARGEST and abs(d) > Decimal("1.7976931348623157e308")):
        return None
    return int(d) if d == d.to_integral_value() else float(d)


def fmt(value: Decimal | None, places: int = 2) -> str:
    """A number for people: half-up to `places`, trailing zeros dropped (1.8637 -> 1.86, 3.0 -> 3)."""
    if value is None:
        return "—"
    d = round_half_up(Decimal(value), places)
    if not d.is_finite() or d.adjusted() >= 16:
        return format(d.normalize(), ".6g")     # 1e117 as 1e+117, not 118 digits
    return format(d.normalize(), "f")


def fmt_rate(value: Decimal, places: int = 2) -> str:
    return fmt(value * 100, places) + "%"
