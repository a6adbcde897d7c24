"""The 自评表 in a roll-up: 执行率分布 (the recomputed 执行率 counted per band) and their 指标失分 rows named
by 二级指标 (their 三级指标 are per project)."""
from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pandas as pd

from perfeval.numbers import round_half_up

RATE_BANDS = ((Decimal(1), "100%及以上"), (Decimal("0.9"), "90%–100%"), (Decimal("0.8"), "80%–90%"),
              (Decimal("0.6"), "60%–80%"), (Decimal(0), "60%以下"))


def rates(files: pd.DataFrame) -> pd.DataFrame | None:
    """执行率分布 of the 自评表 counted (the recomputed 执行率 = 全年执行数 / 全年预算数), None when none."""
    rates = [r for r in files["rate"] if r is not None and r == r]
    if not rates:
        return None
    counts = Counter(next(name for low, name in RATE_BANDS if rate >= low) for rate in rates)
    rows = [(name, counts[name]) for _, name in RATE_BANDS]
    mean = round_half_up(sum(rates, Decimal(0)) / len(rates) * 100, 2)
    return _table([*rows, ("项目数", len(rates)), ("平均执行率(%)", mean)], ["执行率", "项目数"])


def _table(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    return frame.where(frame.notna(), None)


def by_level2(scores: pd.DataFrame, keys: set[int]) -> None:
    """The score rows of these results (自评表) renamed by their 二级指标, in place."""
    grouped = scores["key"].isin(keys) & scores["level2"].notna()
    scores.loc[grouped, "name"] = scores.loc[grouped, "level2"]
