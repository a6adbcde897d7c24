"""The long fuzz run of issue 15: mutated and damaged workbooks (tests/support/mutations.py) through
the whole check, one at a time in this process, timed per file.

    python benchmarks/fuzz_campaign.py --n 3000 [--minutes 20] [--work DIR]

Prints files tried, internal errors (tracebacks would be among them: check_file never raises), files
over 5 s (the slowest listed) and the peak RSS of this process; then one `perfeval check --jobs 2 --out`
over every file kept, with its exit code and whether stderr held a traceback.
"""
from __future__ import annotations

import argparse
import io
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "support"))

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from mutations import cells_of, damaged_bytes, mutated_sheet  # noqa: E402
from perfeval import pipeline  # noqa: E402
from perfeval.write import formats  # noqa: E402
from seedbook import Changes, build  # noqa: E402


class TimeUp(Exception):
    pass


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--minutes", type=float, default=60)
    ap.add_argument("--work", type=Path)
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="perfeval-fuzz-"))
    folder = work / "files"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    seed = build(work / "seed.xlsx", Changes(basic_data=[("计划成本", 5), ("实际成本", 4)]))
    cells, data = cells_of(seed), seed.read_bytes()
    stop = time.monotonic() + args.minutes * 60
    tally = {"tried": 0, "internal": [], "slow": [], "status": {}}

    @settings(max_examples=args.n, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(st.one_of(mutated_sheet(seed, cells), damaged_bytes(data)))
    def one(content: bytes) -> None:
        if time.monotonic() > stop:
            raise TimeUp()                  # hypothesis would go on generating (each a workbook saved)
        path = folder / f"{tally['tried']:05}.xlsx"
        path.write_bytes(content)
        started = time.monotonic()
        results = pipeline.check_file(path, fast=tally["tried"] % 2 == 1)
        result = results[0]
        out = io.StringIO()
        counted = formats.write("json", list(results), out)
        took = time.monotonic() - started
        tally["tried"] += 1
        tally["status"][result.status] = tally["status"].get(result.status, 0) + 1
        if any(r.internal for r in results) or counted.internal:
            tally["internal"].append((path.name, result.error))
        if took > 5:
            tally["slow"].append((round(took, 1), path.name, result.status, (result.error or "")[:60]))
        if tally["tried"] % 250 == 0:
            print(f"  {tally['tried']} files, {len(tally['internal'])} internal errors, {len(tally['slow'])} over 5 s",
                  flush=True)

    try:
        one()
    except TimeUp:
        pass
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"files tried: {tally['tried']}  statuses: {tally['status']}")
    print(f"internal errors (tracebacks): {len(tally['internal'])}  {tally['internal'][:5]}")
    print(f"files over 5 s: {len(tally['slow'])}  slowest: {sorted(tally['slow'], reverse=True)[:5]}")
    print(f"peak RSS of the in-process run: {rss:.0f} MiB")
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "perfeval", "check", str(folder), "--jobs", "2", "--format", "json",
                          "--out", str(work / "out")], capture_output=True, text=True)
    print(f"perfeval check --jobs 2 --out over {tally['tried']} files: exit {run.returncode}, "
          f"{time.monotonic() - started:.0f} s, traceback on stderr: {'Traceback' in run.stderr}, "
          f"internal errors: {run.stdout.count('内部错误')}")


if __name__ == "__main__":
    main()
