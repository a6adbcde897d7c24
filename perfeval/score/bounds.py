"""Rules by bounds, read from a 评分标准 (criteria.py builds the other kinds): tiers, written with signs
(`≥10%得2分，5%（含）至10%得1分，低于5%不得分`) or in words around the bounds (`未调整，得2分；有调整，但调整幅度
在5%以内，得1.5分；调整幅度大于5%，但在10%以内，得1分；…`), and a limit not exceeded (`未发生超预算的情况，得1分，
否则0分`). A clause in words is used only when it restates what the bounds say of the measured thing
(有调整 before a bound above 0, 未调整 for a tier at 0): any other condition leaves the criterion unparsed.
"""
from __future__ import annotations

import re
from decimal import Decimal

from perfeval.score.phrases import HAN, Fact, tier_of, words

NEUTRAL = ("ignore", "cap", "define", "saving", "stated", "note")


def of(facts: list[Fact], *forms: str) -> list[Fact]:
    return [f for f in facts if f.form in forms]


def rest(facts: list[Fact], *allowed: str) -> list[Fact]:
    return [f for f in facts if f.form not in allowed + NEUTRAL]


def weight_ok(rule, facts: list[Fact]) -> bool:
    return all(Decimal(f.data["w"]) == rule.weight for f in facts if "w" in f.data) and \
        all(Decimal(f.data["n"]) == rule.weight for f in facts if f.form == "full" and "n" in f.data)


def _alt(key: str) -> str:
    return "|".join(sorted(map(re.escape, words()[key]), key=len, reverse=True))


def stem_of(x: str | None) -> str | None:
    """The thing a measured amount is of: 调整幅度 -> 调整, 变更率 -> 变更."""
    if not x:
        return None
    stem = re.sub(r"(?:幅度|比例|率|度)$", "", x)
    return stem if len(stem) >= 2 and stem != x else None


def _changed(clause: str, stem: str) -> bool:
    """`项目预算和实施内容有调整`: says only that the measured thing is above 0."""
    return bool(re.fullmatch(rf"{HAN}*?(?:有|发生了?|存在|进行了?|作了?){re.escape(stem)}(?:的)?", clause))


def _unchanged(text: str, stem: str) -> bool:
    """`与预算申报时基本一致，也未调整`: the measured thing is 0 (its last clause a negated stem, any clause
    before it a word of sameness)."""
    clauses = [c for c in text.split(",") if c]
    if not clauses or not re.fullmatch(rf"(?:也|均|并|且)?(?:{_alt('negations')}){re.escape(stem)}(?:的)?", clauses[-1]):
        return False
    return all(re.fullmatch(rf"{HAN}*?(?:{_alt('same_words')})(?:的)?", c) for c in clauses[:-1])


def bound_of(cond: str, stem: str | None) -> tuple | None:
    """A tier's bounds from its condition, clauses in words allowed only where they restate a change."""
    clauses = [c for c in cond.split(",") if c]
    bounds = [re.sub(r"^(?:但|且|并且|而|则)", "", c) for c in clauses if "%" in c]
    others = [c for c in clauses if "%" not in c]
    if not bounds or (others and (stem is None or not all(_changed(c, stem) for c in others))):
        return None
    return tier_of("".join(bounds))


def _bare(full: Fact, stem: str | None) -> bool:
    """`节约率≥10%，得满分`: no condition before the bound but words that restate it (资料齐全，且节约率
    达到10%… is another condition, which a tier cannot hold)."""
    text = full.data["text"]
    cut = text.find(full.data["x"]) if full.data.get("x") else re.search(r"达到|≥|不低于|在|为", text).start()
    clauses = [c for c in re.split(r"[,]", re.sub(r"^(?:项目|若|如)", "", text[:max(cut, 0)])) if c.strip("的且并")]
    return all(stem and _changed(c, stem) for c in clauses)


def measured(facts: list[Fact]) -> str | None:
    for f in facts:
        m = re.search(r"([\u4e00-\u9fff、]{2,14}?(?:率|度|幅度))", f.data.get("cond", "") or f.data.get("x", ""))
        if m:
            return re.sub(r"^(?:但|且|并且|而|则)?(?:项目|若|如)?", "", m[1])
    return None


def _score(rule, f: Fact) -> Decimal:
    """得N分 as written; else full marks (得满分), or none (不得分, 为0分)."""
    if "n" in f.data:
        return Decimal(f.data["n"])
    if f.form == "tier" and re.search("|".join(map(re.escape, words()["zero_words"])), f.data["text"]):
        return Decimal(0)
    return rule.weight


def tiers(rule, facts: list[Fact]) -> tuple[dict | None, list[Fact]]:
    x = measured(facts)
    stem = stem_of(x)
    found: list[tuple] = []
    at_zero = [f for f in of(facts, "level") if stem and "lo" in f.data and "hi" not in f.data
               and _unchanged(f.data.get("words", ""), stem)]
    for f in of(facts, "tier", "full", "else0", "floor") + at_zero:
        if f.form == "floor":
            found.append((None, False, Decimal(f.data["t"]) / 100, False, Decimal(0)))
        elif f.form == "else0":
            found.append((None, False, None, False, Decimal(0)))
        elif f.form == "level":
            found.append((None, False, Decimal(0), True, Decimal(f.data["lo"])))
        else:
            bound = bound_of(f.data["cond"], stem) if f.form == "tier" else \
                ((Decimal(f.data["t"]) / 100, True, None, False) if "t" in f.data and _bare(f, stem) else None)
            if bound is None:
                return None, []
            found.append((*bound, _score(rule, f)))
    if len(found) < 2 or max(t[4] for t in found) != rule.weight or not weight_ok(rule, facts):
        return None, []
    out = _ascending(found, rule.weight) if _lowest_is_best(found, rule.weight) else _descending(found)
    if out is None:
        return None, []
    zero_ids = {id(f) for f in at_zero}
    left = [f for f in rest(facts, "tier", "full", "else0", "floor") if id(f) not in zero_ids]
    return {"kind": "tiers", "weight": rule.weight, "value": rule.measure(x or rule.name), "tiers": out}, left


def _lowest_is_best(found: list[tuple], weight: Decimal) -> bool:
    """Full marks for the lowest values (an adjustment of 0): tiers read upwards by their upper bounds."""
    best = [t for t in found if t[4] == weight]
    return len(best) == 1 and best[0][0] is None and best[0][2] is not None


def _ascending(found: list[tuple], weight: Decimal) -> list[dict] | None:
    """`{at_most = 0}`, `{at_most = 0.05}`, …, the rest: each tier must begin where the one before ends
    (the bound in one of the two), and no higher value may score more."""
    ordered = sorted(found, key=lambda t: (t[2] is None, t[2] or 0))
    if sum(1 for t in ordered if t[2] is None) > 1:
        return None
    for before, after in zip(ordered, ordered[1:]):
        if after[4] > before[4]:
            return None
        if after[0] is not None and (after[0] != before[2] or after[1] == before[3]):
            return None
    out = [{"at_most" if t[3] else "below": str(t[2]), "score": str(t[4])} if t[2] is not None
           else {"score": str(t[4])} for t in ordered]
    if "at_most" in out[-1] or "below" in out[-1]:
        out[-1] = {"score": out[-1]["score"]}        # the last tier is the rest
    return out


def _descending(found: list[tuple]) -> list[dict] | None:
    out = []
    for low, low_in, high, high_in, score in sorted(found, key=lambda t: (t[0] is None, -(t[0] or 0))):
        if low is not None:
            out.append({"at_least" if low_in else "above": str(low), "score": str(score)})
        elif high is not None and not any(t[0] is not None for t in found):
            out.append({"at_most" if high_in else "below": str(high), "score": str(score)})
        else:
            out.append({"score": str(score)})
    if sum(1 for t in out if len(t) == 1) > 1:
        return None
    if not any(len(t) == 1 for t in out):
        out[-1] = {"score": out[-1]["score"]}        # the last tier is the rest
    return out


def not_exceeded(rule, facts: list[Fact]) -> tuple[dict | None, list[Fact]]:
    """`未发生超预算的情况，得1分，否则0分`: the limit a measured amount must not pass (words in phrases.toml)."""
    within, zero = of(facts, "within"), of(facts, "else0")
    if len(within) != 1 or len(zero) != 1:
        return None, []
    w = within[0].data
    if ("n" in w and Decimal(w["n"]) != rule.weight) or not weight_ok(rule, facts):
        return None, []
    value, limit = words()["limits"][w["what"]]
    return {"kind": "not_exceed", "weight": rule.weight, "value": {"input": rule.use(value)},
            "limit": rule.use(limit)}, rest(facts, "within", "else0")
