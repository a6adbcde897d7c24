"""Benchmark of `perfeval rollup`: from workbooks (fast read path) and from a ledger of 10,000 projects.

    python benchmarks/bench_rollup.py [--files 1000] [--projects 10000] [--repeat 3] [--keep DIR]

1. Generates --files workbooks in the seed's layout: two years, a dozen units, varied scores and
   deduction reasons, a 总体评价 quoting the sheet's total and grade, some wrong totals and grades,
   a few duplicates.
2. From workbooks: times reading the cells alone (python-calamine; a full openpyxl load), then the
   whole command on all files and on the first 20; the difference divided by the difference in files
   is the cost per file beyond start-up. Both at --jobs 1 and --jobs 2.
3. From the ledger: checks the workbooks once, records their results under --projects distinct
   projects (each result again under other paths, codes and years), then times the whole command
   (start-up included) on the ledger, without and with --html.
Each time is the best of --repeat runs; the machine's load average is printed beside them.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from perfeval.batch import pool
from perfeval.batch import ledger
from perfeval.model import Project
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "support"))
from seedbook import Changes, build, seed_rows

UNITS = ["市审计局", "市教育局", "市卫健委", "市财政局", "市公安局", "市民政局", "市人社局", "市自然资源局",
         "市住建局", "市交通局", "市水务局", "市市场监管局"]
REASONS = ["{name}的佐证材料不足，缺{n}项。", "{name}未达到预期目标（差{n}%）", "{name}说明不充分。",
           "{name}：未提供相关数据，无法核实。", "项目{name}情况未在自评报告中说明。"]
TITLES = {2019: "2018-2019年度电子政务信息化专项资金绩效评价评分意见表",
          2020: "2019-2020年度电子政务信息化专项资金绩效评价评分意见表"}


def generate(folder: Path, n: int, seed: int = 6) -> list[Path]:
    rng = random.Random(seed)
    rows = seed_rows()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        year = 2019 if i % 2 else 2020
        unit = UNITS[i % len(UNITS)]
        number = i // 20 if i % 50 == 7 else i                  # every 50th file re-files an earlier project
        scores, reasons = {}, {}
        strictness = rng.uniform(0.05, 0.55)                    # how often this project loses points
        for row in rows:
            weight = Decimal(row["weight"])
            if rng.random() < strictness:
                score = max(Decimal(0), weight - rng.choice([Decimal("0.5"), Decimal(1), Decimal(2)]))
                if rng.random() < 0.9:
                    reason = rng.choice(REASONS).format(name=row["name"].replace(" ", ""), n=rng.randint(2, 9))
                else:
                    reason = ""
                reasons[row["name"]] = reason
            else:
                score, reasons[row["name"]] = weight, ""
            scores[row["name"]] = float(score)
        total = sum(Decimal(str(v)) for v in scores.values())
        if rng.random() < 0.1:
            total += 2                                          # a wrong 合计
        grade = next(g for g, low in (("优", 90), ("良", 80), ("中", 70), ("低", 60), ("差", 0)) if total >= low)
        if rng.random() < 0.05:
            grade = "优"                                        # a grade above the band
        path = folder / f"{year}_{unit}_{i:05d}.xlsx"
        narrative = {"总体评价": f"经评审，{unit}信息化项目{number}评价分数为{total}分，等级为{grade}。",
                     "存在问题": "部分绩效指标缺乏量化依据。", "改进建议": "完善绩效指标与佐证材料。"}
        build(path, Changes(scores=scores, reasons=reasons, total=float(total), grade=grade, title=TITLES[year],
                            narrative=narrative,
                            project={"unit": unit, "name": f"{unit}信息化项目{number}", "code": f"P{year}-{number:05d}",
                                     "budget": str(100 + i % 400)}))
        paths.append(path)
    return paths


def timed(args: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "from perfeval.cli import main; main()", "rollup", *args],
                       check=True, stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - start)
    return best


def read_floor(paths: list[Path]) -> tuple[float, float]:
    """ms per file to get the cell values at all: python-calamine, and a full openpyxl load."""
    import openpyxl
    import python_calamine

    for p in paths[:100]:
        p.read_bytes()                                  # from the page cache, as the timed runs read them
    start = time.perf_counter()
    for p in paths[:100]:
        with python_calamine.CalamineWorkbook.from_path(str(p)) as wb:
            wb.get_sheet_by_name(wb.sheet_names[0]).to_python(skip_empty_area=False)
    calamine = (time.perf_counter() - start) / min(len(paths), 100) * 1000
    start = time.perf_counter()
    for p in paths[:20]:
        openpyxl.load_workbook(p)
    return calamine, (time.perf_counter() - start) / min(len(paths), 20) * 1000


def build_ledger(db_path: Path, paths: list[Path], projects: int) -> None:
    results = [r for rs in pool.run(paths, None, jobs=2, fast=True) for r in rs]
    now = datetime.now(timezone.utc)
    with ledger.Ledger(db_path) as db:
        for k in range(projects):
            base = results[k % len(results)]
            copy = k // len(results)
            p = base.project
            result = replace(base, path=f"{base.path}#{copy}", project=Project(
                p.unit, f"{p.code}-{copy}", f"{p.name}（{copy}）", p.budget, p.budget_cell))
            db.record(f"{k:064x}", "bench", (result,), checked_at=now - timedelta(seconds=projects - k))


def load() -> str:
    return "load average %.2f %.2f %.2f" % os.getloadavg()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep the generated files here")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench_rollup_"))
    folder, small = work / "inbox", work / "small"
    try:
        start = time.perf_counter()
        paths = sorted(folder.glob("*.xlsx")) if folder.is_dir() else []
        if len(paths) != args.files:
            shutil.rmtree(folder, ignore_errors=True)
            paths = generate(folder, args.files)
        shutil.rmtree(small, ignore_errors=True)
        small.mkdir(parents=True)
        for p in paths[:20]:
            shutil.copy2(p, small)
        print(f"{len(paths)} workbooks ready in {time.perf_counter() - start:.0f} s; {load()}")

        calamine, full = read_floor(paths)
        print(f"reading the cells alone: python-calamine {calamine:.2f} ms per file, a full openpyxl load "
              f"{full:.1f} ms per file; {load()}")
        for jobs in (1, 2):
            whole = timed([str(folder), "--out", str(work / "rollup.xlsx"), "--jobs", str(jobs)], args.repeat)
            base = timed([str(small), "--out", str(work / "small.xlsx"), "--jobs", str(jobs)], args.repeat)
            per_file = (whole - base) / (len(paths) - 20) * 1000
            print(f"from workbooks, --jobs {jobs}: {len(paths)} files {whole:.2f} s, 20 files {base:.2f} s "
                  f"-> {per_file:.2f} ms per file beyond start-up (target <= 2 ms); {load()}")

        db_path = work / "perfeval.db"
        db_path.unlink(missing_ok=True)
        build_ledger(db_path, paths, args.projects)
        for extra in ([], ["--html", str(work / "rollup.html")]):
            seconds = timed([str(db_path), "--out", str(work / "ledger.xlsx"), *extra], args.repeat)
            what = "xlsx + html" if extra else "xlsx"
            print(f"from the ledger, {args.projects} projects, {what}: {seconds:.2f} s including start-up "
                  f"(target < 5 s); {load()}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
