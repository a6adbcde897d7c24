"""The annual roll-up: tables across many results (pandas), one DataFrame per sheet of rollup.xlsx.

Results come from workbooks (read on the fast path, no annotated copy) or from a ledger. Each project
counts once per year: results that share a 项目代码, or a 项目单位 + 项目名称, within one year are the
same project, and only the latest counts; the others are listed as duplicates. The statistics sheets
(等级分布, 指标失分, 单位汇总) cover the latest year present; 年度对比 sets the years side by side.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Iterable

import pandas as pd

from . import batch, codes
from .ledger import Ledger
from .model import FileResult, Severity
from .numbers import round_half_up

GRADES = ("优", "良", "中", "低", "差")
NO_GRADE = "未评定"
STATUS = {"ok": "无问题", "flagged": "有问题", "unreadable": "无法读取", "duplicate": "重复（未计入）"}
SEVERITY = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}
TOP_REASONS = 3


@dataclass(frozen=True)
class Entry:
    """One result with the year it counts for and when it was produced (the latest of a project wins)."""
    result: FileResult
    year: int | None
    stamp: float


@dataclass
class Rollup:
    year: int | None                    # the year of the statistics sheets: the latest present
    years: list[int]
    projects: pd.DataFrame              # 项目总表
    grades: pd.DataFrame                # 等级分布
    indicators: pd.DataFrame            # 指标失分
    units: pd.DataFrame                 # 单位汇总
    findings: pd.DataFrame              # 问题清单 (errors and warnings)
    year_grades: pd.DataFrame | None = None        # 年度对比, when several years
    year_indicators: pd.DataFrame | None = None
    counts: dict = field(default_factory=dict)     # projects, files, unreadable, duplicates, notes


# ---- sources -------------------------------------------------------------------------------------

_SPAN = re.compile(r"(\d{4})年?[-~至到—–－](\d{4})年")
_YEAR = re.compile(r"(\d{4})年")


def year_of(title: str | None) -> int | None:
    """`2018-2019年度...` -> 2019 (the year the evaluation covers last); `2020年度...` -> 2020."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", title or ""))
    m = _SPAN.search(text) or _YEAR.search(text)
    return int(m.groups()[-1]) if m else None


def collect(sources: Iterable[str | Path], default_year: int | None = None, rubric: str | None = None,
            jobs: int = 1) -> list[Entry]:
    """Results of every source: a ledger (`*.db`) read as recorded, folders and files checked on the fast
    read path. default_year stands for sheets whose title names no year."""
    entries: list[Entry] = []
    files: list[Path] = []
    for source in map(Path, sources):
        if source.is_file() and source.suffix.lower() == ".db":
            with Ledger(source) as ledger:
                entries += [_entry(r, default_year, _timestamp(at)) for r, at in ledger.latest()]
        else:
            files += batch.expand([source])
    for result in batch.run(files, rubric, jobs, fast=True):
        if result.status != "skipped":
            entries.append(_entry(result, default_year, Path(result.path).stat().st_mtime))
    return entries


def _entry(result: FileResult, default_year: int | None, stamp: float) -> Entry:
    return Entry(result, year_of(result.title) or default_year, stamp)


def _timestamp(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()


def dedupe(entries: list[Entry]) -> tuple[list[Entry], list[tuple[Entry, Entry]]]:
    """(counted, [(duplicate, the entry counted in its place)]): one entry per project and year."""
    readable = [e for e in entries if e.result.status in ("ok", "flagged")]
    parent = list(range(len(readable)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[tuple, int] = {}
    for i, e in enumerate(readable):
        p = e.result.project
        keys = []
        if _clean(p.code):
            keys.append((e.year, "code", _clean(p.code)))
        if _clean(p.unit) and _clean(p.name):
            keys.append((e.year, "name", _clean(p.unit), _clean(p.name)))
        for key in keys:
            if key in first:
                parent[root(i)] = root(first[key])
            else:
                first[key] = i
    groups: dict[int, list[Entry]] = {}
    for i, e in enumerate(readable):
        groups.setdefault(root(i), []).append(e)
    counted, duplicates = [], []
    for group in groups.values():
        kept = max(group, key=lambda e: (e.stamp, e.result.path))
        counted.append(kept)
        duplicates += [(e, kept) for e in group if e is not kept]
    return counted, duplicates


def _clean(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


# ---- tables --------------------------------------------------------------------------------------

def build(entries: list[Entry]) -> Rollup:
    counted, duplicates = dedupe(entries)
    unreadable = [e for e in entries if e.result.status == "unreadable"]
    years = sorted({e.year for e in counted if e.year is not None})
    year = years[-1] if years else None
    this_year = [e for e in counted if e.year == year]
    rows = _indicator_rows(counted)
    rollup = Rollup(
        year=year, years=years,
        projects=_projects(counted, duplicates, unreadable, rows),
        grades=_grades(this_year),
        indicators=_indicators(rows[rows["年度"].eq(year) if year is not None else rows["年度"].isna()]),
        units=_units(this_year),
        findings=_findings(counted),
        counts={"files": len(entries), "projects": len(counted), "this_year": len(this_year),
                "unreadable": len(unreadable), "duplicates": len(duplicates),
                "notes": sum(e.result.count(Severity.INFO) for e in counted)})
    if len(years) > 1:
        rollup.year_grades = _year_grades(counted, years)
        rollup.year_indicators = _year_indicators(rows, years)
    return rollup


def _d2(value: Decimal | None) -> Decimal | None:
    return None if value is None else round_half_up(value, 2)


def _mean(total: Decimal, n: int, places: int = 2) -> Decimal | None:
    return round_half_up(total / n, places) if n else None


def _indicator_rows(entries: list[Entry]) -> pd.DataFrame:
    """One row per (project, level-3 indicator): its weight, score, points lost and 扣分理由."""
    data = []
    for e in entries:
        for x in e.result.indicators:
            score = x.recomputed
            lost = max(x.weight - score, Decimal(0)) if x.weight is not None and score is not None else None
            data.append((e.year, x.level1, x.level2, x.name, x.weight, score, lost,
                         (lost / x.weight) if lost is not None and x.weight else None, x.reason))
    return pd.DataFrame(data, columns=["年度", "一级指标", "二级指标", "三级指标", "权重", "得分",
                                       "失分", "失分率", "扣分理由"])


def _level1_names(rows: pd.DataFrame) -> list[str]:
    return [n for n in rows["一级指标"].drop_duplicates() if n]


def _projects(counted: list[Entry], duplicates: list[tuple[Entry, Entry]], unreadable: list[Entry],
              rows: pd.DataFrame) -> pd.DataFrame:
    level1 = _level1_names(rows)
    out = []

    def line(e: Entry, status: str, note: str | None) -> dict:
        r, p = e.result, e.result.project
        sums: dict[str, Decimal] = {}
        for x in r.indicators:
            if x.level1 and x.recomputed is not None:
                sums[x.level1] = sums.get(x.level1, Decimal(0)) + x.recomputed
        return {"年度": e.year, "项目单位": p.unit, "项目名称": p.name, "项目代码": p.code or None,
                "预算金额(万元)": p.budget, "合计(填报)": r.total_entered, "合计(重算)": _d2(r.total_recomputed),
                "等级(填报)": r.grade_entered, "等级(重算)": r.grade_recomputed,
                **{name: _d2(sums.get(name)) for name in level1},
                "错误": r.count(Severity.ERROR), "警告": r.count(Severity.WARNING), "提示": r.count(Severity.INFO),
                "状态": STATUS[status], "来源文件": r.path, "备注": note}

    out += [line(e, e.result.status, None) for e in sorted(counted, key=_sort_key)]
    for e, kept in sorted(duplicates, key=lambda d: _sort_key(d[0])):
        out.append(line(e, "duplicate", f"与 {kept.result.path} 为同一项目，按较新的该文件计入"))
    for e in sorted(unreadable, key=lambda e: e.result.path):
        r = e.result
        out.append({"年度": e.year, "状态": STATUS["unreadable"], "来源文件": r.path, "备注": r.error})
    columns = ["年度", "项目单位", "项目名称", "项目代码", "预算金额(万元)", "合计(填报)", "合计(重算)", "等级(填报)",
               "等级(重算)", *level1, "错误", "警告", "提示", "状态", "来源文件", "备注"]
    return _objects(pd.DataFrame(out, columns=columns, dtype=object))


def _objects(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells as Python values: None where pandas put NaN, ints kept ints."""
    return frame.astype(object).where(frame.notna(), None)


def _sort_key(e: Entry) -> tuple:
    p = e.result.project
    return (e.year or 0, p.unit or "", p.name or "", e.result.path)


def _grade_order(present: Iterable[str | None]) -> list[str]:
    extra = sorted({g for g in present if g and g not in GRADES})
    return [*GRADES, *extra, NO_GRADE]


def _grades(entries: list[Entry]) -> pd.DataFrame:
    entered = Counter(e.result.grade_entered or NO_GRADE for e in entries)
    recomputed = Counter(e.result.grade_recomputed or NO_GRADE for e in entries)
    order = _grade_order([*entered, *recomputed])
    table = pd.DataFrame({"等级": order, "填报": [entered[g] for g in order],
                          "重算": [recomputed[g] for g in order]})
    keep = table["等级"].isin(GRADES) | (table["填报"] + table["重算"] > 0)
    return table[keep].reset_index(drop=True)


def _indicators(rows: pd.DataFrame) -> pd.DataFrame:
    columns = ["一级指标", "二级指标", "三级指标", "权重", "项目数", "平均得分", "平均失分率", "失分项目数", "失分合计",
               "常见扣分理由"]
    scored = rows.dropna(subset=["得分"])
    if scored.empty:
        return pd.DataFrame(columns=columns)
    out = []
    for name, g in scored.groupby("三级指标", sort=False):
        weighted = g.dropna(subset=["失分率"])
        losing = g[g["失分"].fillna(Decimal(0)) > 0]
        out.append({
            "一级指标": g["一级指标"].iloc[0], "二级指标": g["二级指标"].iloc[0], "三级指标": name,
            "权重": g["权重"].mode().iloc[0] if g["权重"].notna().any() else None,
            "项目数": len(g), "平均得分": _mean(g["得分"].sum(), len(g)),
            "平均失分率": _mean(weighted["失分率"].sum(), len(weighted), 4),
            "失分项目数": len(losing), "失分合计": _d2(g["失分"].dropna().sum()) if g["失分"].notna().any() else None,
            "常见扣分理由": group_reasons(losing["扣分理由"].dropna().tolist())})
    table = pd.DataFrame(out, columns=columns)
    lost = table["失分合计"].map(lambda v: v if v is not None else Decimal(-1))
    return table.assign(_lost=lost).sort_values("_lost", ascending=False, kind="stable") \
        .drop(columns="_lost").reset_index(drop=True)


def _units(entries: list[Entry]) -> pd.DataFrame:
    columns = ["项目单位", "项目数", "平均得分", *GRADES, "错误", "警告"]
    by_unit: dict[str, list[Entry]] = {}
    for e in entries:
        by_unit.setdefault(e.result.project.unit or "（未填单位）", []).append(e)
    out = []
    for unit, group in by_unit.items():
        totals = [e.result.total_recomputed for e in group if e.result.total_recomputed is not None]
        grades = Counter(e.result.grade_recomputed for e in group)
        out.append({"项目单位": unit, "项目数": len(group), "平均得分": _mean(sum(totals, Decimal(0)), len(totals)),
                    **{g: grades[g] for g in GRADES},
                    "错误": sum(e.result.count(Severity.ERROR) for e in group),
                    "警告": sum(e.result.count(Severity.WARNING) for e in group)})
    table = pd.DataFrame(out, columns=columns)
    mean = table["平均得分"].map(lambda v: v if v is not None else Decimal(-1))
    return table.assign(_m=mean).sort_values(["_m", "项目单位"], ascending=[False, True], kind="stable") \
        .drop(columns="_m").reset_index(drop=True)


def _findings(entries: list[Entry]) -> pd.DataFrame:
    out = []
    for e in sorted(entries, key=_sort_key):
        p = e.result.project
        for f in e.result.findings:
            if f.severity == Severity.INFO:
                continue
            out.append((e.year, p.unit, p.name, e.result.path, f.cell, SEVERITY[f.severity], f.code, f.indicator,
                        codes.render(f, "zh")))
    return _objects(pd.DataFrame(out, dtype=object, columns=["年度", "项目单位", "项目名称", "来源文件", "单元格", "级别",
                                                          "代码", "指标", "说明"]))


def _year_grades(entries: list[Entry], years: list[int]) -> pd.DataFrame:
    order = _grade_order(e.result.grade_recomputed for e in entries)
    table: dict[str, list] = {"等级": [*order, "项目数", "平均得分"]}
    for year in years:
        group = [e for e in entries if e.year == year]
        grades = Counter(e.result.grade_recomputed or NO_GRADE for e in group)
        totals = [e.result.total_recomputed for e in group if e.result.total_recomputed is not None]
        table[f"{year}年"] = [*(grades[g] for g in order), len(group), _mean(sum(totals, Decimal(0)), len(totals))]
    out = pd.DataFrame(table)
    keep = out["等级"].isin([*GRADES, "项目数", "平均得分"]) | (out[[f"{y}年" for y in years]].sum(axis=1) > 0)
    return out[keep].reset_index(drop=True)


def _year_indicators(rows: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Mean score per indicator and year, and the change from the year before the latest."""
    scored = rows.dropna(subset=["得分", "年度"])
    means = {(name, int(year)): _mean(g["得分"].sum(), len(g))
             for (name, year), g in scored.groupby(["三级指标", "年度"], sort=False)}
    out = []
    for name in scored["三级指标"].drop_duplicates():
        line = {"三级指标": name, **{f"{y}年平均得分": means.get((name, y)) for y in years}}
        last, before = means.get((name, years[-1])), means.get((name, years[-2]))
        line["变化"] = last - before if last is not None and before is not None else None
        out.append(line)
    return pd.DataFrame(out, columns=["三级指标", *(f"{y}年平均得分" for y in years), "变化"])


# ---- deduction reasons ---------------------------------------------------------------------------

_NOISE = re.compile(r"[\s\W_]+")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
SIMILAR = 0.8           # Dice similarity of character bigrams at which two reasons are one
_MAX_GROUPS = 300       # beyond this many groups per indicator, further reasons are grouped exactly


def reason_key(text: str) -> str:
    """What two reasons that say the same thing share: no spacing or punctuation, every number as #."""
    text = unicodedata.normalize("NFKC", text)
    return _NOISE.sub("", _DIGITS.sub("#", text)).lower()


def _bigrams(key: str) -> frozenset[str]:
    return frozenset(key[i:i + 2] for i in range(max(len(key) - 1, 1)))


def group_reasons(reasons: list[str], top: int = TOP_REASONS) -> list[tuple[str, int]]:
    """The `top` most frequent reasons as (wording most used, count), near-duplicates counted as one."""
    texts: dict[str, Counter] = {}
    for reason in reasons:
        if reason and reason.strip():
            texts.setdefault(reason_key(reason), Counter())[reason.strip()] += 1
    groups: list[tuple[frozenset[str], Counter]] = []
    for key, wordings in sorted(texts.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
        grams = _bigrams(key)
        for gram_set, counter in groups if len(groups) < _MAX_GROUPS else ():
            if 2 * len(grams & gram_set) >= SIMILAR * (len(grams) + len(gram_set)):
                counter.update(wordings)
                break
        else:
            groups.append((grams, Counter(wordings)))
    ranked = sorted(groups, key=lambda g: -sum(g[1].values()))
    return [(counter.most_common(1)[0][0], sum(counter.values())) for _, counter in ranked[:top]]
