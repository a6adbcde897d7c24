"""Batch speed and memory of `perfeval check --out`, next to the floor of a bare openpyxl load + save.

    python benchmarks/bench_batch.py [--n 1000] [--rss 100 5000] [--work DIR]

Generates N workbooks in the seed's layout with varied scores, then prints: per-file milliseconds of
`check --out` at --jobs 1 next to a bare openpyxl load + save of the same files and their ratio
(target <= 1.2); files/s at --jobs 1 and 2 (target speed-up >= 1.8x); peak RSS of `check --out
--jobs 1` for each size in --rss (target: flat). Figures are wall-clock on this machine, as measured.
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
    floor = floor_ms(paths, work)
    one, _ = run_check(inbox, work / "out-1", 1)
    two, _ = run_check(inbox, work / "out-2", 2)
    per_file = (one - start) * 1000 / args.n
    print(f"files                          {args.n}")
    print(f"start-up (perfeval --version)  {start * 1000:.0f} ms")
    print(f"openpyxl load + save (floor)   {floor:.1f} ms/file")
    print(f"check --out, --jobs 1          {per_file:.1f} ms/file (beyond start-up)")
    print(f"ratio to floor                 {per_file / floor:.2f}   (target <= 1.2)")
    print(f"files/s --jobs 1               {args.n / one:.1f}")
    print(f"files/s --jobs 2               {args.n / two:.1f}   speed-up {one / two:.2f}x (target >= 1.8x)")
    for n in args.rss:
        elapsed, rss = run_check(subset(n), work / f"out-rss-{n}", 1)
        print(f"peak RSS, {n:5} files, --jobs 1  {rss / 1024:.0f} MiB  ({elapsed:.0f} s)")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
