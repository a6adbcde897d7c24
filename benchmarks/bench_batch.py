"""Batch speed and memory of `perfeval check --out`, next to the floor of a bare openpyxl load + save.

    python benchmarks/bench_batch.py [--n 1000] [--rss 100 5000] [--work DIR]

Generates N workbooks in the seed's layout (the seed's full 扣分理由 and 总体评价 texts) with varied
scores, then prints, side by side in one run: a bare openpyxl load + save of the same files (the
floor); in-process, the per-file cost of reading, of checking and of the annotated copy alone
(target <= 0.3x the floor); `check --out` at --jobs 1 as a whole process (target <= 1.0x the floor);
files/s at --jobs 1 and 2 (target speed-up >= 1.85x); `rollup --jobs 1` against a bare python-calamine
read of every cell, whole processes side by side (target <= 5x); peak RSS of `check --out --jobs 1` for each size
in --rss (target: flat). Figures are wall-clock on this machine, as measured.
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
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "support"))
from seedbook import LAYOUTS, Changes, build, seed_rows


def generate(folder: Path, n: int, seed: int = 2019) -> list[Path]:
    """n workbooks, each with its own scores (so no two share content)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    rows = seed_rows()
    layouts = list(LAYOUTS)
    paths = []
    for i in range(n):
        path = folder / f"{i:05}_评分表.xlsx"
        if not path.exists():
            scores = {}
            for row in rng.sample(rows, 6):
                weight = int(row["weight"])
                scores[row["name"]] = rng.choice([weight, weight - 1, round(rng.uniform(0, weight), 2)])
            build(path, Changes(scores=scores, total=rng.choice(["81", 80, 79.5]),
                                project={"name": f"项目{i}"}), layout=layouts[i % len(layouts)])
        paths.append(path)
    return paths


def floor_ms(paths: list[Path], scratch: Path) -> float:
    start = time.perf_counter()
    for p in paths:
        wb = openpyxl.load_workbook(p)
        wb.save(scratch / "floor.xlsx")
    return (time.perf_counter() - start) * 1000 / len(paths)


def steps_ms(paths: list[Path], scratch: Path) -> dict[str, float]:
    """Per-file milliseconds of each step of one file's work, in this process: read (openpyxl load and
    the table), evaluate (recompute and check), annotate (the copy, package edited and written)."""
    from perfeval import pipeline
    from perfeval.read.workbook import read
    from perfeval.write import annotate
    spent = {"read": 0.0, "evaluate": 0.0, "annotate": 0.0}
    for p in paths:
        t0 = time.perf_counter()
        opened = read(p)
        t1 = time.perf_counter()
        results = tuple(pipeline.evaluate(sheet)[0] for sheet in opened.sheets)
        t2 = time.perf_counter()
        annotate.write(opened, results, scratch / "annotated.xlsx")
        t3 = time.perf_counter()
        spent["read"] += t1 - t0
        spent["evaluate"] += t2 - t1
        spent["annotate"] += t3 - t2
    return {k: v * 1000 / len(paths) for k, v in spent.items()}


def run_check(inbox: Path, out: Path, jobs: int) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one `perfeval check --out` process."""
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "perfeval", "check", str(inbox), "--out", str(out),
                             "--jobs", str(jobs), "--format", "json"], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"perfeval check failed with {os.waitstatus_to_exitcode(status)}")
    return elapsed, usage.ru_maxrss


CALAMINE_READ = """
import sys, python_calamine
from pathlib import Path
for p in sorted(Path(sys.argv[1]).iterdir()):
    with python_calamine.CalamineWorkbook.from_path(str(p)) as wb:
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
"""


def whole_s(command: list[str], repeat: int = 3) -> float:
    """Best wall seconds of a whole process."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - start)
    return best


def rollup_ms(inbox: Path, small: Path, scratch: Path, n: int) -> tuple[float, float]:
    """ms per file beyond start-up, whole processes side by side: a bare python-calamine read of every
    cell of every sheet, and `perfeval rollup --jobs 1` (the difference between N files and 20)."""
    out = []
    for command in ([sys.executable, "-c", CALAMINE_READ], [sys.executable, "-m", "perfeval", "rollup", "--jobs", "1"]):
        times = []
        for folder in (inbox, small):
            extra = [str(folder)] if "rollup" not in command else [str(folder), "--out", str(scratch / "rollup.xlsx")]
            times.append(whole_s(command + extra))
        out.append((times[0] - times[1]) * 1000 / (n - 20))
    return out[0], out[1]


def startup_s() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "perfeval", "--version"], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--rss", type=int, nargs="*", default=[100, 5000])
    ap.add_argument("--work", type=Path, default=None, help="where to keep generated files (reused)")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="perfeval-bench-"))
    pool = work / "pool"
    t = time.perf_counter()
    generate(pool, max([args.n, *args.rss]))
    print(f"generated {max([args.n, *args.rss])} workbooks in {time.perf_counter() - t:.1f} s ({work})")

    def subset(n: int) -> Path:
        folder = work / f"in-{n}"
        if not folder.exists():
            folder.mkdir()
            for p in sorted(pool.iterdir())[:n]:
                os.link(p, folder / p.name)
        return folder

    inbox = subset(args.n)
    paths = sorted(inbox.iterdir())
    start = startup_s()
    for p in paths:                 # into the page cache before anything is timed
        p.read_bytes()
    floor = floor_ms(paths, work)
    steps = steps_ms(paths, work)
    one, _ = run_check(inbox, work / "out-1", 1)
    two, _ = run_check(inbox, work / "out-2", 2)
    per_file = (one - start) * 1000 / args.n
    print(f"files                          {args.n}")
    print(f"start-up (perfeval --version)  {start * 1000:.0f} ms")
    print(f"openpyxl load + save (floor)   {floor:.1f} ms/file")
    for step, ms in steps.items():
        print(f"  in-process {step:<10}        {ms:.1f} ms/file   {ms / floor:.2f}x floor")
    print(f"annotated copy alone           {steps['annotate'] / floor:.2f}x floor   (target <= 0.3)")
    print(f"check --out, --jobs 1          {per_file:.1f} ms/file (beyond start-up)")
    print(f"ratio to floor                 {per_file / floor:.2f}   (target <= 1.0)")
    print(f"files/s --jobs 1               {args.n / one:.1f}")
    print(f"files/s --jobs 2               {args.n / two:.1f}   speed-up {one / two:.2f}x (target >= 1.85x)")
    calamine, rollup = rollup_ms(inbox, subset(20), work, args.n)
    print(f"bare python-calamine read        {calamine:.2f} ms/file (whole process, beyond start-up)")
    print(f"rollup --jobs 1                  {rollup:.2f} ms/file   {rollup / calamine:.1f}x calamine (target <= 5)")
    for n in args.rss:
        elapsed, rss = run_check(subset(n), work / f"out-rss-{n}", 1)
        print(f"peak RSS, {n:5} files, --jobs 1  {rss / 1024:.0f} MiB  ({elapsed:.0f} s)")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
