"""The words of the sheet form itself (templates/sheet.toml), used before a rubric is matched or when
none is: grade words and their aliases (a sheet's own 等级标准, grades quoted in free text) and the labels
of the header block. A rubric's own bands and aliases win for the sheets it matches."""
from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from perfeval.model import Band, Bands
from perfeval.numbers import normalize_text
from perfeval.rubric import RubricError, _strings, templates_dir


@dataclass(frozen=True)
class SheetWords:
    """templates/sheet.toml: the words of the sheet form itself, used before (or without) a rubric."""
    grades: tuple[tuple[str, tuple[str, ...]], ...]     # (grade, its aliases), highest first
    header: dict[str, tuple[str, ...]] = field(hash=False)   # project field -> its labels in the header block
    draft_bands: str = ""           # band text `rubric draft` proposes when a sheet states none

    @functools.cached_property
    def grade_of(self) -> dict[str, str]:
        """Every grade word and alias -> the grade it names, longest word first (for alternations)."""
        pairs = [(w, g) for g, aliases in self.grades for w in (g, *aliases)]
        return dict(sorted(pairs, key=lambda p: -len(p[0])))

    def band(self, word: str, low: Decimal) -> Band:
        """A band a sheet's 等级标准 states with one of our words, with that grade's aliases."""
        grade = self.grade_of[word]
        return Band(grade, low, dict(self.grades)[grade])

    def label(self, field_name: str) -> str:
        """The header label of a project field, as the sheet form spells it first (预算金额 for budget)."""
        return self.header[field_name][0]


@functools.lru_cache(maxsize=1)
def sheet_words() -> SheetWords:
    path = templates_dir() / "sheet.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RubricError(f"{path}: {exc}") from None
    grades = tuple((g["name"], _strings(g.get("aliases", []), f"{path} [grade]", "aliases")) for g in data["grade"])
    header = {key: _strings(labels, f"{path} [header]", key) for key, labels in data["header"].items()}
    return SheetWords(grades, header, data.get("draft_bands", ""))


# ---- a sheet's own 等级标准 ---------------------------------------------------------------------------

_BELOW = re.compile(r"<|≤|以下|低于|不足|不到|未满|未达")


@functools.lru_cache(maxsize=1)
def _grade_word() -> re.Pattern:
    """Any grade word or alias of templates/sheet.toml, the longest first (优秀 before 优)."""
    return re.compile("|".join(map(re.escape, sheet_words().grade_of)))


def parse_bands(text: str) -> Bands:
    """`优(90-100)；良(80-89)；...`, `优≥90；80≤良<90；差<60`, `60分以下为差`, one band per line or
    several on a line split only by spaces -> bands, highest first, in the words of templates/sheet.toml."""
    bands = []
    lines = re.split(r"[;；,，、\n]", unicodedata.normalize("NFKC", text or ""))
    for part in (seg for line in lines for seg in _band_segments(normalize_text(line))):
        m = _grade_word().search(part)
        values = [Decimal(n) for n in re.findall(r"\d+(?:\.\d+)?", part)]
        if not m or not values:
            continue
        low = min(values)
        if len(set(values)) == 1 and _BELOW.search(part):
            low = Decimal(0)                # `差<60`, `60分以下为差`, `差(≤59)`: an upper bound only
        bands.append(sheet_words().band(m[0], low))
    return Bands(tuple(bands))


def _band_segments(line: str) -> list[str]:
    """One band per segment when a line holds several: cut before each grade word when the grade
    comes first (`优90-100良80-89`), after each when the numbers come first (`90以上为优80-89为良`)."""
    words = list(_grade_word().finditer(line))
    if len(words) < 2:
        return [line]
    digit = re.search(r"\d", line)
    if digit is None or words[0].start() < digit.start():
        cuts = [w.start() for w in words[1:]]
    else:
        cuts = [w.end() for w in words[:-1]]
    bounds = [0, *cuts, len(line)]
    return [line[a:b] for a, b in zip(bounds, bounds[1:])]
