"""A whole 评分标准 read into one rule (phrases.py reads its segments): the forms found must make one
rule of one kind, every segment accounted for, or the criterion is unparsed.

Input names come from the formula's own words (实际支出资金, 计划工期, 正常运行率…); a name a shipped
rubric knows (as a name or alias) is spelled as that rubric spells it, and brings its keywords.
"""
from __future__ import annotations

import functools
import re
from decimal import Decimal

from perfeval import rubric as rubrics
from perfeval.numbers import normalize_text
from perfeval.score import bounds
from perfeval.score.bounds import NEUTRAL as _NEUTRAL, of as _of, rest as _rest, weight_ok as _weight_ok
from perfeval.score.phrases import Fact, Parsed, normalize, read_segment, segments, sentences, words

_RATE_FORMS = ("rate", "rate_over")


@functools.lru_cache(maxsize=1)
def vocabulary() -> dict[str, rubrics.Input]:
    """Every input of the shipped rubrics by its name and aliases (normalized, 、 dropped)."""
    out: dict[str, rubrics.Input] = {}
    for rubric in rubrics.builtin():
        for inp in rubric.inputs.values():
            out.setdefault(_key(inp.name), inp)
    for rubric in rubrics.builtin():              # a name wins over another input's alias
        for inp in rubric.inputs.values():
            for n in inp.aliases:
                out.setdefault(_key(n), inp)
    return out


def _key(name: str) -> str:
    return normalize_text(name).replace("、", "")


def canonical(name: str) -> str:
    known = vocabulary().get(_key(name))
    return known.name if known else name.replace("、", "")


def unit_of(name: str) -> str:
    known = vocabulary().get(_key(name))
    if known:
        return known.unit
    for end in sorted(words()["units"], key=len, reverse=True):
        if name.endswith(end):
            return words()["units"][end]
    return "count"


def _first(alternatives: str) -> str:
    return re.split(r"或|和|及", alternatives.strip("()[]"))[0]


def definitions(*texts: str) -> dict[str, dict]:
    """`X=A/B×100%` and `X=[(A-B)/A]×100%` anywhere in a text: {X: measure}."""
    out: dict[str, dict] = {}
    for text in texts:
        t = normalize(text)
        for m in re.finditer(r"([\u4e00-\u9fff]{2,16}?)=\[?\(([\u4e00-\u9fff]{2,20}?)-([\u4e00-\u9fff]{2,20}?)\)/\2", t):
            out.setdefault(m[1], {"saving": [canonical(m[2]), canonical(m[3])]})
        for m in re.finditer(r"([\u4e00-\u9fff]{2,16}?)=\(?([\u4e00-\u9fff]{2,20}?)/([\u4e00-\u9fff]{2,20}?)\)?(?:×100%|[。;,]|$)", t):
            out.setdefault(m[1], {"ratio": [canonical(_first(m[2])), canonical(_first(m[3]))]})
    return out


def bare_ratio(text: str) -> dict | None:
    """A description that is one ratio and nothing else (`系统上线运行数量/计划开发系统数量×100%`)."""
    m = re.fullmatch(r"\(?([\u4e00-\u9fff]{2,20})/([\u4e00-\u9fff]{2,20})\)?(?:×100%)?[。]?", normalize(text))
    return {"ratio": [canonical(m[1]), canonical(m[2])]} if m else None


class _Rule:
    """The inputs a rule being built names, each with the words that name it in a text."""
    def __init__(self, name: str, weight: Decimal, description: str, standard: str):
        self.name, self.weight = name, weight
        self.defs = definitions(description, standard)
        self.bare = bare_ratio(description)
        self.inputs: dict[str, dict] = {}

    def use(self, name: str, *written: str) -> str:
        name = canonical(name)
        entry = self.inputs.setdefault(name, {"unit": unit_of(name), "keywords": []})
        for w in (name, *written):
            w = w.replace("、", "")
            if w and len(w) >= 3 and w not in entry["keywords"]:
                entry["keywords"].append(w)
        return name

    def rate_name(self, x: str) -> str:
        x = re.sub(r"^(?:项目|若|如)", "", x.replace("、", ""))
        own = _key(self.name)
        rate = self.name.replace("、", "") if own.endswith(x) and own[-1] in "率度" else x
        if _key(rate) not in vocabulary():       # 硬软件服务器等故障率 is the 故障率 a rubric knows
            ends = [n for n, i in vocabulary().items() if i.unit == "rate" and len(n) >= 3 and rate.endswith(n)]
            if ends:
                return vocabulary()[max(ends, key=len)].name
        return rate

    def measure(self, x: str) -> object:
        """How the rate X is formed: its definition or the indicator's, else the input X itself."""
        rate = self.rate_name(x)
        x = re.sub(r"^(?:项目|若|如)", "", x)
        spec = self.defs.get(rate) or self.defs.get(x) or self.defs.get(self.name) or self.defs.get(canonical(rate))
        if spec is None and self.bare and rate == self.name:
            spec = self.bare
        if spec is None:
            for end, (a, b) in words()["ratio_names"].items():
                if rate.endswith(end) and len(rate) > len(end):
                    stem = rate[:-len(end)]
                    spec = {"ratio": [canonical(a.format(stem)), canonical(b.format(stem))]}
        if spec is None:        # 执行率 in the criterion, 预算执行率=… in the description
            spec = next((m for d, m in self.defs.items() if d.endswith(x) and len(x) >= 3), None)
        own = {"input": self.use(rate, x)}
        if spec is None:
            return own
        how, args = next(iter(spec.items()))
        return [{how: [self.use(a) for a in args]}, own]

    def expected(self, x: str) -> str:
        x = re.sub(r"^(?:项目|若|如)", "", x)
        for candidate in ("预期" + x.replace("、", ""), "预期" + canonical(self.rate_name(x))):
            if _key(candidate) in vocabulary():
                return self.use(candidate)
        return self.use("预期" + canonical(self.rate_name(x)))


def standards(rows) -> dict[int, str]:
    """Each row's 评分标准 with the clauses an earlier row of its group says apply below (`若硬件采购类别
    与预期数出现调整，则酌情扣分。（下同）`): a later row is read with them, so its rule is not taken whole
    when they add what it cannot recompute."""
    out: dict[int, str] = {}
    carried: list[str] = []
    group = None
    for row in rows:
        if (row.level1, row.level2) != group:
            group, carried = (row.level1, row.level2), []
        out[row.row] = "。".join([row.standard, *carried]) if carried and row.standard.strip() else row.standard
        text = normalize(row.standard)
        for m in re.finditer(rf"(?:{'|'.join(map(re.escape, words()['same_below']))})", text):
            before = [p for p in re.split(r"[。;]|(?<![\d.])\d{1,2}[.、](?!\d)", text[:m.start()]) if p.strip(",.")]
            if before:
                carried.append(before[-1].strip(","))
    return out


def parse(standard: str, name: str, weight: Decimal | None, description: str = "") -> Parsed:
    """The rule a criterion states, or the first segment that is not understood."""
    segs = [s for sentence in sentences(standard) for s in segments(sentence)]
    if not segs or weight is None:
        return Parsed(None, unparsed=normalize(standard)[:60])
    facts: list[Fact] = []
    for s in segs:
        fact = read_segment(s)
        if fact is None:
            return Parsed(None, unparsed=s)
        fact.data["text"] = s
        facts.append(fact)
    rule = _Rule(name, weight, description, standard)
    for build in (_rate, _steps, bounds.tiers, bounds.not_exceeded, _judgement):
        spec, rest = build(rule, facts)
        if spec is not None:
            if rest:
                return Parsed(None, unparsed=rest[0].data["text"])
            return Parsed(spec, rule.inputs)
    return Parsed(None, unparsed=_not_understood(facts))


def _not_understood(facts: list[Fact]) -> str:
    """The segment to quote when the forms make no one rule: judgement beside arithmetic, else the first."""
    formula = [f for f in facts if f.form not in _NEUTRAL + ("level", "discretionary")]
    judged = [f for f in facts if f.form in ("discretionary", "level")]
    pick = judged[0] if formula and judged else (formula or facts)[0]
    return pick.data["text"]


def _rate(rule: _Rule, facts: list[Fact]) -> tuple[dict | None, list[Fact]]:
    rates = _of(facts, *_RATE_FORMS)
    if not rates or not _weight_ok(rule, facts):
        return None, []
    x = rates[0].data["x"]
    fulls, floors = _of(facts, "full"), _of(facts, "floor")
    spec: dict = {"weight": rule.weight, "value": rule.measure(x)}
    if _of(facts, "rate_over") or floors:
        if not floors or not _of(facts, "rate_over"):
            return None, []
        spec.update(kind="floor_rate", expected=rule.expected(x),
                    floor=str(Decimal(floors[0].data["t"]) / 100))
        return spec, _rest(facts, "rate", "rate_over", "full", "floor")
    thresholds = [Decimal(f.data["t"]) / 100 for f in fulls if "t" in f.data]
    expected = [f for f in fulls if "e" in f.data]
    if any(t < 1 for t in thresholds) or (expected and len(rates) > 1):
        spec.update(kind="satisfaction", threshold=str(min(thresholds, default=Decimal(1))))
        if expected:
            spec["expected"] = rule.expected(x)
    else:
        spec["kind"] = "rate"
    return spec, _rest(facts, "rate", "full")


def _step_size(n: str, unit: str | None) -> tuple[Decimal, bool]:
    """(step, as a rate)."""
    value = Decimal(1) if n == "一" else Decimal(n)
    if unit in ("%", "个百分点", "个分百点"):
        return value / 100, True
    return value, False


def _full_by_words(rule: _Rule, facts: list[Fact]) -> list[Fact]:
    """`…在约定的时间内进行响应，得2分`: full marks stated in words, before a deduction per step."""
    return [f for f in facts if f.form == "level" and ("full" in f.data or
                                                       ("lo" in f.data and "hi" not in f.data and Decimal(f.data["lo"]) == rule.weight))]


def _steps(rule: _Rule, facts: list[Fact]) -> tuple[dict | None, list[Fact]]:
    steps, counts = _of(facts, "step"), _of(facts, "count")
    worded = _full_by_words(rule, facts)
    facts = [f for f in facts if not any(f is w for w in worded)]
    if len(steps) + len(counts) != 1 or not _weight_ok(rule, facts):
        return None, []
    spec: dict = {"kind": "deduct_per_step", "weight": rule.weight}
    if counts:
        c = counts[0].data
        # what is counted: the words after the count (每发现一项问题), else a short condition before it
        # (未及时完成的，每出现1次), else the indicator
        cond = c.get("cond", "")
        what = c.get("what") or (cond if re.fullmatch(r"[\u4e00-\u9fff]{2,8}", cond) else rule.name)
        spec.update(value={"input": rule.use(what + "次数", what)}, baseline="0", direction="over",
                    step=str(_step_size(c["n"], None)[0]), points=c["k"])
        return spec, _rest(facts, "count", "full")
    s = steps[0].data
    step, as_rate = _step_size(s["n"], s.get("u"))
    direction = "under" if s["dir"] in words()["under_words"] else "over"
    spec.update(direction=direction, step=str(step), points=s["k"])
    measures = words()["step_measures"]
    fulls = _of(facts, "full")
    measured = measures.get(s.get("what") or s["dir"])
    if measured:
        spec.update(value={"ratio": [rule.use(n) for n in measured]}, baseline="1")
        if "工期" in "".join(measured):
            spec["packages"] = "worst"
        return spec, _rest(facts, "step", "full")
    x = next((f.data["x"] for f in fulls if f.data.get("x")), None) or rule.name
    if not as_rate or rule.rate_name(x)[-1] not in "率度":
        return None, []
    spec["value"] = rule.measure(x)
    if any("e" in f.data for f in fulls):
        spec["baseline"] = rule.expected(x)
    else:
        t = next((Decimal(f.data["t"]) / 100 for f in fulls if "t" in f.data), None)
        if t is None and direction == "over":
            return None, []
        spec["baseline"] = str(t if t is not None else Decimal(1))
    return spec, _rest(facts, "step", "full")


def _judgement(rule: _Rule, facts: list[Fact]) -> tuple[dict | None, list[Fact]]:
    levels = _of(facts, "level")
    judged = _of(facts, "discretionary")
    if (not levels and not judged) or _rest(facts, "level", "discretionary", "else0"):
        return None, []
    points = [Decimal(f.data["lo"]) for f in levels if "lo" in f.data and "hi" not in f.data]
    names = [f.data.get("words", "").replace("、", "") for f in levels]
    if len(levels) >= 3 and len(set(points)) == 1 and len(points) == len(levels) \
            and points[0] * len(levels) == rule.weight and all(names) and len(set(names)) == len(names):
        return {"kind": "items", "weight": rule.weight, "items": [rule.use(n) for n in names],
                "points": str(points[0])}, _rest(facts, "level", "discretionary")
    if judged:
        return {"kind": "discretionary", "weight": rule.weight}, _rest(facts, "level", "discretionary")
    allowed: list = []
    for f in levels + _of(facts, "else0"):
        item = Decimal(0) if f.form == "else0" else \
             rule.weight if "full" in f.data else Decimal(0) if "zero" in f.data else \
            [Decimal(f.data["lo"]), Decimal(f.data["hi"])] if "hi" in f.data else Decimal(f.data["lo"])
        if item not in allowed:
            allowed.append(item)
    top = max(a[1] if isinstance(a, list) else a for a in allowed)
    if top != rule.weight:
        return None, []
    return {"kind": "levels", "weight": rule.weight, "allowed": allowed}, _rest(facts, "level", "else0")
