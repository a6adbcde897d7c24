"""The 评分标准 grammar: a criterion as written becomes a rule of the rubric's kinds, or stays unparsed.

A criterion is cut into sentences (numbered items, `。` `;`) and each sentence into segments that end
in an outcome (得3分, 不得分, 扣1分, 得分=…, 酌情扣分). Every segment must be one of the forms below, or the
whole criterion is unparsed and the first segment not understood is quoted: a rule is used only when
all of its text was read. The words each form accepts are data (templates/phrases.toml).

Forms: a definition (`X=A/B×100%`, `X=[(A-B)/A]×100%`); a rate (`得分=X×分值`, `得分=X/预期值×3分`); a full
mark (`X达到100%/预期值，得满分`); a floor (`X低于85%，得0分`); a step (`每降低5%扣1分`, `每超过预定时间10%扣1分`,
`每出现1次扣0.5分`); a tier (`≥10%得4分`, `5%（含）至10%得2分`, `低于5%不得分`); all or nothing (`否则不得分`);
a level (`…，得1-2分`); judgement (`酌情扣分`); a cap (`最高3分`); words that add nothing.
"""
from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from perfeval.rubric import templates_dir

NUM = r"\d+(?:\.\d+)?"
HAN = r"[\u4e00-\u9fff、]"


@functools.lru_cache(maxsize=1)
def words() -> dict:
    return tomllib.loads((templates_dir() / "phrases.toml").read_text(encoding="utf-8"))


def _alt(key: str) -> str:
    return "|".join(sorted(map(re.escape, words()[key]), key=len, reverse=True))


def normalize(text: str) -> str:
    t = unicodedata.normalize("NFKC", text or "")
    t = re.sub(r"\s+", "", t)
    for a, b in (("*", "×"), ("÷", "/"), (">=", "≥"), ("<=", "≤"), ("≧", "≥"), ("≦", "≤"), ("—", "-"),
                 ("–", "-"), ("~", "-"), ("〔", "["), ("〕", "]"), ("【", "["), ("】", "]")):
        t = t.replace(a, b)
    return re.sub(r"(?<=[\d)\]%])[xX](?=[\d(\[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])[xX](?=[\d\u4e00-\u9fff])", "×", t)


def _dec(text: str, percent: bool = False) -> Decimal:
    value = Decimal(text)
    return value / 100 if percent else value


@dataclass
class Fact:
    form: str
    data: dict = field(default_factory=dict)


@dataclass
class Parsed:
    """A criterion read into a rule: `spec` as a rubric indicator holds it (kind and its keys), the
    inputs it uses ({name: {unit, keywords}}); or `unparsed`, the part not understood."""
    spec: dict | None
    inputs: dict[str, dict] = field(default_factory=dict)
    unparsed: str | None = None


# ---- cutting -------------------------------------------------------------------------------------

_ITEM = re.compile(r"(?:(?<=^)|(?<=[。;,:\s]))\(?\d{1,2}[.、)](?!\d)|(?<=[。;:\s])[①-⑳]")
_OUTCOME = re.compile(r"得满分|满分|不得分|得" + NUM + r"(?:-" + NUM + r")?分|" + NUM + r"(?:-" + NUM + r")?分$|扣" + NUM
                      + r"分|×100%$|^本项目以|得分(?:=|等于|为)|评分(?:=|等于|为)|酌情|视.{0,6}情.{0,4}扣分|扣分")


def sentences(text: str) -> list[str]:
    """Numbered items (cut before whitespace goes), then `。` `;`; sentences that add nothing removed."""
    parts = []
    for item in _ITEM.split(unicodedata.normalize("NFKC", text or "")):
        item = normalize(item)
        for phrase in sorted(map(normalize, words()["ignore"]), key=len, reverse=True):
            item = item.replace(phrase + ",", "").replace(phrase, "")
        parts += [p.strip(",.、") for p in re.split(r"[。;]", item)]
    return [p for p in parts if p]


def segments(sentence: str) -> list[str]:
    """Commas join a condition to its outcome: cut after each piece holding an outcome."""
    out, pending = [], []
    for piece in sentence.split(","):
        pending.append(piece)
        if _OUTCOME.search(piece):
            out.append(",".join(pending))
            pending = []
    if pending:
        out.append(",".join(pending))
    return [s.strip(",") for s in out if s.strip(",")]


# ---- one segment ---------------------------------------------------------------------------------

def _forms():
    w = words()
    weight = rf"(?:(?P<w>{NUM})分|(?:{_alt('weight_words')}))"
    rate_x = rf"(?P<x>{HAN}{{0,14}}?(?:率|度))"
    expected = rf"(?:{_alt('expected_words')})"
    zero = rf"(?:{_alt('zero_words')})"
    full = rf"(?:{_alt('full_words')}|得(?P<n>{NUM})分)"
    cond_words = r"[^%=≥≤<>]*?"
    return [
        ("ignore", re.compile("|".join(re.escape(normalize(s)) for s in w["ignore"]))),
        ("cap", re.compile(rf"(?:最高(?:得)?{NUM}分|(?:{_alt('cap')}))(?:,?{_alt('ignore')})?")),
        ("note", re.compile(rf"本项目以[^,=]*?作为{HAN}+")),
        ("define", re.compile(rf"(?P<x>{HAN}{{2,16}}?)=\(?(?P<a>{HAN}{{2,20}}?)/(?P<b>{HAN}{{2,20}}?)\)?(?:×100%)?")),
        ("saving", re.compile(rf"(?P<x>{HAN}{{2,16}}?)=\[?\((?P<a>{HAN}{{2,20}}?)-(?P<b>{HAN}{{2,20}}?)\)/(?P=a)\]?(?:×100%)?")),
        ("rate", re.compile(rf"(?:(?:{_alt('otherwise')}),?)?(?:{HAN}{{0,14}}<{NUM}%,)?(?:得分|评分|分数)(?:=|等于|为)"
                            rf"{rate_x}(?:×|乘以){weight}")),
        ("rate_over", re.compile(rf"(?:(?:{_alt('otherwise')}),?)?(?:得分|评分)(?:=|等于|为){rate_x}/(?P<e>{expected})"
                                 rf"(?:×|乘以){weight}")),
        ("full", re.compile(rf"{cond_words}(?P<x>{HAN}{{0,14}}?(?:率|度))?(?:达到|≥|不低于|在|为)"
                            rf"(?:(?P<t>{NUM})%(?:\(含\))?(?:及?以上)?|(?P<e>{expected})(?:\(含\))?(?:之内|以内)?)(?:的)?,?{full}")),
        ("floor", re.compile(rf"(?:但)?,?{rate_x}(?:低于|<|不足|未达到)(?P<t>{NUM})%(?:的)?,?{zero}")),
        ("step", re.compile(rf"(?:[^每%=]{{0,40}}[的,])?每(?P<dir>{_alt('under_words')}|{_alt('over_words')})"
                            rf"(?P<what>{HAN}{{0,8}}?)(?P<n>{NUM}|一)(?P<u>%|个百分点|个分百点|个等级|个?(?:{_alt('count_units')}))?"
                            rf",?扣(?:减)?(?P<k>{NUM})分(?:,?(?:{_alt('ignore')}))?")),
        ("count", re.compile(rf"(?:(?P<cond>[^每%=]{{0,60}}?)(?:的,|的|,))?每(?:{_alt('count_words')})(?P<n>{NUM}|一)(?P<u>{_alt('count_units')})"
                             rf"(?P<what>{HAN}{{0,12}}?),?扣(?:减)?(?P<k>{NUM})分(?:,?(?:{_alt('ignore')}))?")),
        ("tier", re.compile(rf"(?P<cond>[^,=]*?(?:,[^,=]*?)*?%[^,=]*?(?:,[^,=]*?)*?),?(?:{full}|{zero})")),
        ("else0", re.compile(rf"(?:{_alt('otherwise')}),?(?:{zero})")),
        ("within", re.compile(rf"(?:(?:{_alt('limit_preamble')}),)?(?:{_alt('negations')})(?P<what>{_alt('limits')})"
                              rf"(?:的)?(?:情况|现象|行为|问题)?(?:的)?,?{full}")),
        ("discretionary", re.compile(rf"(?:{_alt('otherwise')})?,?[^%=]*?(?:的)?,?(?:{_alt('discretionary')})"
                                     rf"(?:,?{HAN}*(?:为止|0分))?")),
        ("stated", re.compile(rf"(?P<what>(?:(?!得)[\u4e00-\u9fff]){{2,16}})(?P<w>{NUM})分")),
        ("level", re.compile(rf"(?P<words>[^%≥≤<>=]*?)(?:的)?,?(?:得|为)?(?:(?P<lo>{NUM})(?:-(?P<hi>{NUM}))?分|"
                             rf"(?P<full>{_alt('full_words')})|(?P<zero>{_alt('zero_words')}))")),
    ]


@functools.lru_cache(maxsize=1)
def forms():
    return _forms()


def read_segment(seg: str) -> Fact | None:
    for name, pattern in forms():
        m = pattern.fullmatch(seg)
        if m:
            return Fact(name, {k: v for k, v in m.groupdict().items() if v is not None})
    return None


_BOUND = re.compile(rf"(?P<op>≥|>|≤|<)?(?P<v>{NUM})%(?P<incl>\(含\))?(?P<tail>及?以上|以下|以内)?")


def tier_of(cond: str) -> tuple | None:
    """(low, low_inclusive, high, high_inclusive) from a tier's condition; None if not a tier."""
    c = re.sub(r"(低于|小于|不足|少于)", "<", cond)
    c = re.sub(r"(高于|大于|超过)", ">", c)
    c = re.sub(rf"^{HAN}*?在?(?=[≥≤<>\d])", "", c)
    m = re.fullmatch(rf"(?P<a>{NUM})%(?P<ai>\(含\))?(?:至|-|到)(?P<b>{NUM})%(?P<bi>\(含\))?(?:之间)?", c)
    if m:
        return (_dec(m["a"], True), bool(m["ai"]), _dec(m["b"], True), bool(m["bi"]))
    m = re.fullmatch(rf"(?P<b>{NUM})%(?P<bop>>|≥){HAN}*?(?P<aop>≥|>)(?P<a>{NUM})%", c)
    if m:
        return (_dec(m["a"], True), m["aop"] == "≥", _dec(m["b"], True), m["bop"] == "≥")
    m = re.fullmatch(rf"(?P<aop>>|≥)(?P<a>{NUM})%(?P<ai>\(含\))?在?(?P<b>{NUM})%(?P<bi>\(含\))?(?P<bt>以内|之内|以下)", c)
    if m:        # 大于5%，但在10%以内
        return (_dec(m["a"], True), m["aop"] == "≥" or bool(m["ai"]), _dec(m["b"], True),
                m["bt"] != "以下" or bool(m["bi"]))
    m = re.fullmatch(rf"(?P<op>≥|>|≤|<)?{HAN}*?(?P<v>{NUM})%(?P<incl>\(含\))?(?P<tail>及?以上|以下|以内)?", c)
    if not m or not (m["op"] or m["tail"]):
        return None
    v = _dec(m["v"], True)
    op = m["op"] or {"以上": "≥", "及以上": "≥", "以下": "<", "以内": "≤"}[m["tail"]]
    if m["incl"]:
        op = {"<": "≤", ">": "≥"}.get(op, op)
    if op in "≥>":
        return (v, op == "≥", None, False)
    return (None, False, v, op == "≤")
