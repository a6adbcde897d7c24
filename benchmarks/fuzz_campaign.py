"""The long fuzz run of issue 15: mutated and damaged workbooks (tests/support/mutations.py) through
the whole check, one at a time, timed per file; run in chunks that can be resumed.

    python benchmarks/fuzz_campaign.py --work DIR --chunks 0 8 [--n 500]   # chunks 0..7, 500 files each
    python benchmarks/fuzz_campaign.py --work DIR --report [--whole]

Each chunk runs in a process of its own (its peak RSS is that of one chunk) with its own hypothesis
seed, so a chunk run again makes the same files; a chunk whose tally is complete is not run again.
Even files go through `check --out` in-process (read, checks, annotated copy), odd ones through the
fast read (python-calamine) as `check` without --out and `rollup` do; both reports are rendered.
--report prints files tried, statuses, internal errors (tracebacks would be among them: check_file
never raises), copies that failed for a reason other than a refusal, files over 5 s (the slowest
listed) and the peak RSS of a chunk; --whole adds one `perfeval check --jobs 1 --out` over every
file kept, with its exit code and whether stderr held a traceback.
"""
from __future__ import annotations

import argparse
import io
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "support"))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from mutations import cells_of, damaged_bytes, mutated_sheet  # noqa: E402
from perfeval.batch import pool  # noqa: E402
from perfeval.catalogue import say  # noqa: E402
from perfeval.write import formats  # noqa: E402
from seedbook import Changes, build  # noqa: E402

SLOW = 5.0


def run_chunk(work: Path, chunk: int, n: int) -> None:
    folder = work / "files" / f"{chunk:03}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    copies = work / "copies"
    copies.mkdir(exist_ok=True)
    base = build(work / "seed.xlsx", Changes(basic_data=[("计划成本", 5), ("实际成本", 4)]))
    cells, data = cells_of(base), base.read_bytes()
    tally = (work / f"tally-{chunk:03}.jsonl").open("w", encoding="utf-8")
    count = [0]

    @seed(chunk)
    @settings(max_examples=n, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(st.one_of(mutated_sheet(base, cells), damaged_bytes(data)))
    def one(content: bytes) -> None:
        path = folder / f"{chunk:03}-{count[0]:05}.xlsx"
        count[0] += 1
        path.write_bytes(content)
        fast = count[0] % 2 == 0
        started = time.monotonic()
        results = pool.check_file(path, output=None if fast else copies / "copy.xlsx", fast=fast)
        rendered = formats.write("json", list(results), io.StringIO())
        took = time.monotonic() - started
        result = results[0]
        reason = say(result.error) if result.error else ""
        copy_error = say(result.output_error) if result.output_error else ""
        line = {"file": path.name, "fast": fast, "status": str(result.status.value), "sheets": len(results),
                "seconds": round(took, 3), "internal": any(r.internal for r in results) or bool(rendered.internal),
                "reason": reason[:100], "copy_error": copy_error[:160]}
        tally.write(json.dumps(line, ensure_ascii=False) + "\n")
        tally.flush()

    one()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tally.write(json.dumps({"done": count[0], "peak_rss_mib": round(rss)}) + "\n")
    tally.close()


def _done(work: Path, chunk: int) -> bool:
    path = work / f"tally-{chunk:03}.jsonl"
    if not path.exists():
        return False
    lines = path.read_text(encoding="utf-8").splitlines()
    return bool(lines) and "done" in json.loads(lines[-1])


def report(work: Path, whole: bool) -> None:
    files, chunks = [], []
    for path in sorted(work.glob("tally-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            (chunks if "done" in record else files).append(record)
    statuses: dict[str, int] = {}
    for f in files:
        statuses[f["status"]] = statuses.get(f["status"], 0) + 1
    internal = [(f["file"], f["reason"]) for f in files if f["internal"]]
    copy_errors = sorted({f["copy_error"] for f in files if f["copy_error"]})
    slow = sorted(((f["seconds"], f["file"], f["status"], f["reason"][:60]) for f in files if f["seconds"] > SLOW),
                  reverse=True)
    slowest = max(files, key=lambda f: f["seconds"]) if files else None
    print(f"chunks complete: {len(chunks)}  files tried: {len(files)}  statuses: {statuses}")
    print(f"internal errors (tracebacks): {len(internal)}  {internal[:5]}")
    print(f"copies not written ({sum(1 for f in files if f['copy_error'])} files), reasons: {copy_errors[:8]}")
    print(f"files over {SLOW:g} s: {len(slow)}  {slow[:5]}")
    if slowest:
        print(f"slowest: {slowest['seconds']} s ({slowest['file']}, {slowest['status']}); "
              f"median {sorted(f['seconds'] for f in files)[len(files) // 2]} s")
    print(f"peak RSS of a chunk: {max((c['peak_rss_mib'] for c in chunks), default=0)} MiB")
    if whole:
        started = time.monotonic()
        run = subprocess.run([sys.executable, "-m", "perfeval", "check", str(work / "files"), "--jobs", "1",
                              "--format", "json", "--out", str(work / "out")], capture_output=True, text=True)
        print(f"perfeval check --jobs 1 --out over {len(files)} files: exit {run.returncode}, "
              f"{time.monotonic() - started:.0f} s, traceback on stderr: {'Traceback' in run.stderr}, "
              f"internal errors: {run.stdout.count('内部错误')}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--n", type=int, default=500, help="files per chunk")
    ap.add_argument("--chunks", type=int, nargs=2, metavar=("FIRST", "END"), help="run chunks FIRST..END-1")
    ap.add_argument("--chunk", type=int, help=argparse.SUPPRESS)     # one chunk, in this process
    ap.add_argument("--report", action="store_true")
    ap.add_argument("--whole", action="store_true")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    if args.chunk is not None:
        run_chunk(args.work, args.chunk, args.n)
    elif args.chunks:
        for chunk in range(*args.chunks):
            if not _done(args.work, chunk):
                started = time.monotonic()
                subprocess.run([sys.executable, __file__, "--work", str(args.work), "--n", str(args.n),
                                "--chunk", str(chunk)], check=True)
                print(f"chunk {chunk} done in {time.monotonic() - started:.0f} s", flush=True)
    if args.report:
        report(args.work, args.whole)


if __name__ == "__main__":
    main()
