"""The annual roll-up: tables across many results (pandas), one DataFrame per sheet of rollup.xlsx.

Results come from workbooks (checked on the fast read path, no annotated copy written) or from a ledger,
and become three long tables (`Frames`): one row per file, per (file, level-3 indicator), and per error
or warning. Each project counts once per year: files of one year that share a 项目代码, or a 项目单位 +
项目名称, are one project, and only the latest counts; the others are listed as duplicates. The
statistics (等级分布, 指标失分, 单位汇总) cover the latest year present; 年度对比 sets the years side by side.

Sums run in float64 over whole columns and come back to Decimal with the binary noise cut at ten places
(numbers.from_float); means are then divided in Decimal and rounded half-up.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pandas as pd

from perfeval.read.sources import Password
from perfeval.files import expand
from perfeval.batch import pool
from perfeval import rubric as rubrics
from perfeval import rubric_selfeval
from perfeval.batch.ledger import Ledger
from perfeval.model import Bands, SheetResult, Phrase, Severity, Status, place_of
from perfeval.pipeline import Results
from perfeval.numbers import from_float, normalize_text, round_half_up
from perfeval.rollup.grades import NO_GRADE, band_grades, grade_order
from perfeval.rollup.rates import by_level2, rates as _rates
from perfeval.rollup.reasons import group_reasons

NO_UNIT = "（未填单位）"
STATUS = {s: Phrase(f"status.{s}") for s in ("ok", "flagged", "unreadable", "duplicate")}   # words: by the writers
LEVEL = {Severity.ERROR: Severity.ERROR, Severity.WARNING: Severity.WARNING}

FILES = ["key", "path", "status", "error", "year", "stamp", "rubric", "unit", "code", "name", "budget",
         "total_entered", "total_recomputed", "grade_entered", "grade_recomputed", "errors", "warnings", "notes", "rate",
         "file"]            # path: the file, or path[sheet] for a workbook of several scoring sheets
SCORES = ["key", "level1", "level2", "name", "weight", "score", "reason"]
FINDINGS = ["key", "cell", "level", "code", "indicator", "message"]


@dataclass
class Frames:
    """Results as long tables; `key` joins them. Scores are floats (NaN where missing)."""
    files: pd.DataFrame         # FILES; stamp = when the result was made (the latest of a project counts)
    scores: pd.DataFrame        # SCORES; score = the recomputed score, else the entered one
    findings: pd.DataFrame      # FINDINGS: errors and warnings, message in Chinese
    bands: dict[str, Bands] = field(default_factory=dict)   # rubric id -> its bands, beyond the shipped ones


@dataclass
class Rollup:
    year: int | None                    # the year of the statistics: the latest present
    years: list[int]
    projects: pd.DataFrame              # 项目总表
    grades: pd.DataFrame                # 等级分布
    indicators: pd.DataFrame            # 指标失分
    units: pd.DataFrame                 # 单位汇总
    findings: pd.DataFrame              # 问题清单 (errors and warnings)
    year_grades: pd.DataFrame | None = None        # 年度对比, when several years
    year_indicators: pd.DataFrame | None = None
    rates: pd.DataFrame | None = None              # 执行率分布, when 自评表 with a 执行率 are counted
    counts: dict = field(default_factory=dict)     # files, projects, this_year, unreadable, duplicates, notes


# ---- sources -------------------------------------------------------------------------------------

_SPAN = re.compile(r"(\d{4})年?[-~至到—–](\d{4})年")
_YEAR = re.compile(r"(\d{4})年")


@lru_cache(maxsize=1 << 12)
def year_of(title: str | None) -> int | None:
    """`2018-2019年度...` -> 2019 (the year the evaluation covers last); `2020年度...` -> 2020."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", title or ""))
    m = _SPAN.search(text) or _YEAR.search(text)
    return int(m.groups()[-1]) if m else None


def collect(sources: Iterable[str | Path], default_year: int | None = None, rubric: str | None = None,
            jobs: int = 1, progress: Callable[[Iterator[Results], int], Iterator[Results]] | None = None,
            password: Password | None = None) -> Frames:
    """Every source as Frames: a ledger (`*.db`) as recorded; folders and files checked on the fast read
    path, each scoring sheet a project. default_year stands for sheets whose title names no year;
    `progress(results, n)` wraps each file's results (the command's progress bar)."""
    parts, files = [], []
    for source in map(Path, sources):
        if source.is_file() and source.suffix.lower() == ".db":
            parts.append(from_ledger(source, default_year))
        else:
            files += expand([source])
    results = pool.run(files, rubric, jobs, fast=True, password=password)
    if progress is not None:
        results = progress(results, len(files))
    parts.append(from_results([(r, Path(r.path).stat().st_mtime) for rs in results for r in rs], default_year))
    offset, out = 0, []
    for part in parts:                                  # keys unique across the parts
        out.append([frame.assign(key=frame["key"] + offset) for frame in (part.files, part.scores, part.findings)])
        offset += len(part.files)
    forced = rubrics.resolve(rubric) if rubric else None
    return Frames(*(pd.concat(frames, ignore_index=True) for frames in zip(*out)),
                  bands={forced.id: forced.bands} if forced else {})


def from_results(results: list[tuple[SheetResult, float]], default_year: int | None = None) -> Frames:
    """(result, when it was made) pairs as Frames; skipped files (lock files) are left out."""
    files, scores, findings = [], [], []
    for key, (r, stamp) in enumerate((r, s) for r, s in results if r.status != Status.SKIPPED):
        p = r.project
        files.append((key, r.where, r.status, r.error, year_of(r.title) or default_year, stamp, r.rubric, p.unit,
                      p.code, p.name, p.budget, r.total_entered, r.total_recomputed, r.grade_entered, r.grade_recomputed,
                      r.count(Severity.ERROR), r.count(Severity.WARNING), r.count(Severity.INFO), r.execution_rate,
                      r.path))
        by2 = rubric_selfeval.is_selfeval(r.rubric)        # 自评表: 三级指标 are per project
        scores += [(key, x.level1, x.level2, (by2 and x.level2) or x.name, x.weight, x.recomputed, x.reason)
                   for x in r.indicators]
        findings += [(key, f.cell, LEVEL[f.severity], f.code, f.indicator, f)       # the writers render f
                     for f in r.findings if f.severity in LEVEL]
    return _frames(files, scores, findings)


def from_ledger(path: Path, default_year: int | None = None) -> Frames:
    """The latest result of every path in a ledger, read as rows (no SheetResult per check)."""
    with Ledger(path) as db:
        rows = db.latest_rows()
    checks = [c for c in rows.checks if c.status != Status.SKIPPED]
    keys = {c.id: k for k, c in enumerate(checks)}
    sheets = Counter(c.path for c in checks)         # a workbook of several scoring sheets: path[sheet]
    files = [(keys[c.id], place_of(c.path, c.sheet, sheets[c.path] > 1), c.status, c.error, year_of(c.title) or default_year, c.checked_at.timestamp(),
              c.rubric, c.project.unit, c.project.code, c.project.name, c.project.budget, c.total_entered,
              c.total_recomputed, c.grade_entered, c.grade_recomputed,
              *rows.counts.get(c.id, (0, 0, 0)), c.execution_rate, c.path) for c in checks]
    findings = [(keys[cid], f.cell, LEVEL[f.severity], f.code, f.indicator, f)
                for cid, f in rows.findings if cid in keys]
    frames = _frames(files, [], findings)
    scores = pd.DataFrame(rows.indicators, columns=SCORES)
    scores["key"] = scores["key"].map(keys)
    by_level2(scores, {keys[c.id] for c in checks if rubric_selfeval.is_selfeval(c.rubric)})
    scores = scores.dropna(subset=["key"]).reset_index(drop=True)
    frames.scores = scores.astype({"key": int, "weight": float, "score": float})
    return frames


def _frames(files: list[tuple], scores: list[tuple], findings: list[tuple]) -> Frames:
    score_frame = pd.DataFrame(scores, columns=SCORES)
    score_frame[["weight", "score"]] = score_frame[["weight", "score"]].astype(float)
    return Frames(pd.DataFrame(files, columns=FILES, dtype=object).astype({"key": int}), score_frame,
                  pd.DataFrame(findings, columns=FINDINGS, dtype=object).astype({"key": int}))


def dedupe(files: pd.DataFrame) -> pd.DataFrame:
    """files with `counted` (the one result per project and year that counts) and `kept` (for a
    duplicate: the path counted in its place)."""
    readable = files[files["status"].isin(["ok", "flagged"])]
    parent = {k: k for k in readable["key"]}

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    first: dict[tuple, int] = {}
    for k, year, unit, code, name in readable[["key", "year", "unit", "code", "name"]].itertuples(index=False):
        keys = [(year, "code", normalize_text(code))] if normalize_text(code) else []
        if normalize_text(unit) and normalize_text(name):
            keys.append((year, "name", normalize_text(unit), normalize_text(name)))
        for key in keys:
            if key in first:
                parent[root(k)] = root(first[key])
            else:
                first[key] = k
    groups: dict[int, list[tuple]] = {}
    for k, stamp, path in readable[["key", "stamp", "path"]].itertuples(index=False):
        groups.setdefault(root(k), []).append((stamp, path, k))
    counted, kept = set(), {}
    for group in groups.values():
        _, path, winner = max(group)
        counted.add(winner)
        kept.update({k: path for _, _, k in group if k != winner})
    return files.assign(counted=files["key"].isin(counted),
                        kept=pd.Series([kept.get(k) for k in files["key"]], index=files.index, dtype=object))


# ---- tables --------------------------------------------------------------------------------------

def build(frames: Frames) -> Rollup:
    files = dedupe(frames.files)
    counted = files[files["counted"]]
    years = sorted({int(y) for y in counted["year"] if y is not None})
    year = years[-1] if years else None
    this_year = _of_year(counted, year)
    scores = frames.scores.merge(counted[["key", "year"]].astype({"year": float}), on="key")
    known = (*rubrics.builtin(), *rubric_selfeval.builtin())
    bands = band_grades(counted["rubric"], {**{r.id: r.bands for r in known}, **frames.bands})
    rollup = Rollup(
        year=year, years=years, projects=_projects(files, frames.scores), grades=_grades(this_year, bands),
        indicators=_indicators(scores[scores["key"].isin(this_year["key"])]), units=_units(this_year, bands),
        findings=_findings(counted, frames.findings), rates=_rates(this_year),
        counts={"files": files["file"].nunique(), "projects": len(counted), "this_year": len(this_year),
                "unreadable": int((files["status"] == "unreadable").sum()),
                "duplicates": int(files["kept"].notna().sum()), "notes": int(counted["notes"].sum())})
    if len(years) > 1:
        rollup.year_grades = _year_grades(counted, years, bands)
        rollup.year_indicators = _year_indicators(scores, years)
    return rollup


def _of_year(files: pd.DataFrame, year: int | None) -> pd.DataFrame:
    return files[files["year"].map(lambda y: y == year).astype(bool)]      # a bool mask even when empty


@lru_cache(maxsize=1 << 16)
def _dec(value: float, places: int = 2) -> Decimal | None:
    """A float sum or score back to Decimal: binary noise cut, half-up (sums repeat: cached)."""
    return None if value != value else round_half_up(from_float(float(value)), places)


def _mean(total: float, n: int, places: int = 2) -> Decimal | None:
    return None if not n or pd.isna(total) else round_half_up(from_float(float(total)) / n, places)


def _table(rows: list[dict] | list[tuple], columns: list[str]) -> pd.DataFrame:
    """Cells as Python values (None, not NaN), as the writers want them."""
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    return frame.where(frame.notna(), None)


def _projects(files: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    """Counted projects (by year, unit, name), then duplicates, then unreadable files."""
    level1 = list(dict.fromkeys(scores["level1"].dropna()))
    sums = scores.groupby(["key", "level1"], sort=False)["score"].sum(min_count=1).unstack()
    duplicate, unreadable = files["kept"].notna(), files["status"] == "unreadable"
    f = files.assign(rank=duplicate * 1 + unreadable * 2, sort=[
        (y or 0, u or "", n or "", p) for y, u, n, p in files[["year", "unit", "name", "path"]].itertuples(index=False)])
    f = f.sort_values(["rank", "sort"], kind="stable")
    duplicate, unreadable = f["kept"].notna(), f["status"] == "unreadable"
    table = pd.DataFrame({
        "年度": f["year"], "项目单位": f["unit"], "项目名称": f["name"], "项目代码": f["code"].map(lambda c: c or None),
        "预算金额(万元)": f["budget"], "合计(填报)": f["total_entered"],
        "合计(重算)": f["total_recomputed"].map(lambda d: None if d is None else round_half_up(d, 2)),
        "等级(填报)": f["grade_entered"], "等级(重算)": f["grade_recomputed"],
        **{name: f["key"].map(sums[name]).map(_dec) for name in level1},
        "错误": f["errors"], "警告": f["warnings"], "提示": f["notes"],
        "状态": f["status"].map(STATUS).where(~duplicate, STATUS["duplicate"]), "来源文件": f["path"],
        "备注": f["kept"].map(lambda kept: Phrase("rollup.duplicate_of", {"path": kept})).where(duplicate, f["error"])},
        dtype=object)
    keep = ["年度", "状态", "来源文件", "备注"]
    table.loc[unreadable.to_numpy(), [c for c in table.columns if c not in keep]] = None
    return table.where(table.notna(), None).reset_index(drop=True)


def _grades(files: pd.DataFrame, bands: list[str]) -> pd.DataFrame:
    entered = Counter(files["grade_entered"].fillna(NO_GRADE))
    recomputed = Counter(files["grade_recomputed"].fillna(NO_GRADE))
    rows = [(g, entered[g], recomputed[g]) for g in grade_order(bands, [*entered, *recomputed])
            if g in bands or entered[g] + recomputed[g]]
    return _table(rows, ["等级", "填报", "重算"])


def _indicators(scores: pd.DataFrame) -> pd.DataFrame:
    s = scores.dropna(subset=["score"])
    s = s.assign(lost=(s["weight"] - s["score"]).clip(lower=0))
    s = s.assign(share=s["lost"] / s["weight"].where(s["weight"] > 0), losing=s["lost"] > 0)
    g = s.groupby("name", sort=False)
    reasons = s[s["losing"] & s["reason"].notna()].groupby("name")["reason"].agg(list)
    table = pd.DataFrame({
        "level1": g["level1"].first(), "level2": g["level2"].first(),
        "weight": g["weight"].agg(lambda w: w.mode().iloc[0] if w.notna().any() else float("nan")),
        "n": g.size(), "score": g["score"].sum(), "share": g["share"].sum(min_count=1), "shared": g["share"].count(),
        "losing": g["losing"].sum(), "lost": g["lost"].sum(min_count=1)})
    table = table.sort_values("lost", ascending=False, kind="stable", na_position="last")
    rows = [(t.level1, t.level2, name, _dec(t.weight), t.n, _mean(t.score, t.n), _mean(t.share, t.shared, 4),
             int(t.losing), _dec(t.lost), group_reasons(reasons.get(name, [])))
            for name, t in zip(table.index, table.itertuples(index=False))]
    return _table(rows, ["一级指标", "二级指标", "三级指标", "权重", "项目数", "平均得分", "平均失分率", "失分项目数",
                         "失分合计", "常见扣分理由"])


def _totals(files: pd.DataFrame) -> pd.Series:
    return files["total_recomputed"].map(lambda d: float("nan") if d is None else float(d)).astype(float)


def _units(files: pd.DataFrame, bands: list[str]) -> pd.DataFrame:
    f = files.assign(unit=files["unit"].fillna(NO_UNIT), total=_totals(files))
    columns = grade_order(bands, f["grade_recomputed"].dropna())[:-1]
    grades = Counter(zip(f["unit"], f["grade_recomputed"]))
    g = f.groupby("unit", sort=False)
    table = pd.DataFrame({"n": g.size(), "total": g["total"].sum(), "totalled": g["total"].count(),
                          "errors": g["errors"].sum(), "warnings": g["warnings"].sum()})
    table["mean"] = [_mean(t, n) for t, n in zip(table["total"], table["totalled"])]
    table = table.assign(_m=table["mean"].map(lambda m: -1 if m is None else m)) \
        .sort_values(["_m"], ascending=False, kind="stable")
    rows = [(unit, t.n, t.mean, *(grades[unit, grade] for grade in columns), t.errors, t.warnings)
            for unit, t in zip(table.index, table.itertuples(index=False))]
    return _table(rows, ["项目单位", "项目数", "平均得分", *columns, "错误", "警告"])


def _findings(counted: pd.DataFrame, findings: pd.DataFrame) -> pd.DataFrame:
    merged = findings.merge(counted[["key", "year", "unit", "name", "path"]], on="key")
    merged = merged.assign(sort=[(y or 0, u or "", n or "", p) for y, u, n, p in
                                 merged[["year", "unit", "name", "path"]].itertuples(index=False)])
    merged = merged.sort_values("sort", kind="stable")
    return _table(merged[["year", "unit", "name", "path", "cell", "level", "code", "indicator", "message"]]
                  .itertuples(index=False, name=None),
                  ["年度", "项目单位", "项目名称", "来源文件", "单元格", "级别", "代码", "指标", "说明"])


def _year_grades(counted: pd.DataFrame, years: list[int], bands: list[str]) -> pd.DataFrame:
    grades = counted["grade_recomputed"].fillna(NO_GRADE)
    order = [g for g in grade_order(bands, grades) if g in bands or (grades == g).any()]
    columns: dict[str, list] = {"等级": [*order, "项目数", "平均得分"]}
    for year in years:
        group = _of_year(counted, year)
        seen = Counter(group["grade_recomputed"].fillna(NO_GRADE))
        totals = _totals(group)
        columns[f"{year}年"] = [*(seen[g] for g in order), len(group), _mean(totals.sum(), totals.count())]
    return _table(list(zip(*columns.values())), list(columns))


def _year_indicators(scores: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Mean score per indicator and year, and the change from the year before the latest."""
    s = scores.dropna(subset=["score", "year"])
    g = s.groupby(["name", "year"], sort=False)["score"]
    means = {key: _mean(total, n) for key, total, n in zip(g.sum().index, g.sum(), g.count())}
    rows = []
    for name in s["name"].drop_duplicates():
        by_year = [means.get((name, y)) for y in years]
        change = by_year[-1] - by_year[-2] if None not in by_year[-2:] else None
        rows.append((name, *by_year, change))
    return _table(rows, ["三级指标", *(f"{y}年平均得分" for y in years), "变化"])
