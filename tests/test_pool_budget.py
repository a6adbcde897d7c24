"""Issue 15, failures 4 and 6: a per-file budget in the pool, and workers that die with their parent.
Built from the campaign: a file past its time or memory is `unreadable` with that reason and the batch
goes on; `kill -9` of the main process of `check --jobs 2` left both workers running (9 of 10 tries),
re-parented to init and holding stdout open, so whatever waited for the output hung."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from perfeval.batch import pool
from perfeval.catalogue import say
from seedbook import Changes, build


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("books")
    seed = build(d / "seed.xlsx", Changes())
    long_text = ('<row r="300"><c r="A300" t="inlineStr"><is><t>' + "长" * 12_000_000 + "</t></is></c></row>")
    with zipfile.ZipFile(seed) as zin, zipfile.ZipFile(d / "long.xlsx", "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():             # a 36 MB text cell: within the part limit, not the budget
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", long_text.encode() + b"</sheetData>", 1)
            zout.writestr(info, data)
    return {"seed": seed, "long": d / "long.xlsx"}


def _flat(files) -> list:
    return [r for results in files for r in results]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_file_past_its_time_is_unreadable_and_the_batch_goes_on(books, jobs):
    tight = pool.Budget(seconds=0.001)
    results = _flat(pool.run([books["seed"]] * 3, jobs=jobs, budget=tight))
    assert [r.status for r in results] == ["unreadable"] * 3
    assert all(say(r.error).startswith("处理超时") and "0.001 秒" in say(r.error) for r in results)
    again = _flat(pool.run([books["seed"]] * 3, jobs=jobs))
    assert all(r.status in ("ok", "flagged") for r in again)


def test_a_file_past_its_memory_is_unreadable_and_the_batch_goes_on(books):
    small = pool.Budget(memory=4 * 2**20)
    paths = [books["long"], books["seed"], books["long"], books["seed"]]
    results = _flat(pool.run(paths, jobs=2, budget=small))
    assert [r.path for r in results] == [str(p) for p in paths]
    assert [r.status for r in results][::2] == ["unreadable"] * 2
    assert all("内存" in say(r.error) for r in results[::2]), [say(r.error) for r in results]
    assert all(r.status in ("ok", "flagged") for r in results[1::2]), [r.error for r in results]
    assert _flat(pool.run([books["long"]] * 2, jobs=2))[0].status in ("ok", "flagged")


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").exists(), reason="reads /proc")
def test_kill_9_of_the_main_process_leaves_no_worker(books, tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(40):
        (folder / f"{i:02}.xlsx").write_bytes(books["seed"].read_bytes())
    main = subprocess.Popen([sys.executable, "-m", "perfeval", "check", str(folder), "--jobs", "2",
                             "--out", str(tmp_path / "out")], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    for _ in range(600):                        # until both workers run (or the batch ended)
        workers = _children(main.pid)
        if len(workers) >= 2 or main.poll() is not None:
            break
        time.sleep(0.05)
    assert len(workers) >= 2, "the workers never started"
    os.kill(main.pid, signal.SIGKILL)
    main.wait()
    for _ in range(200):                        # they notice within moments (PDEATHSIG: at once)
        if not any(_alive(w) for w in workers):
            break
        time.sleep(0.05)
    assert not any(_alive(w) for w in workers), "a worker outlived its parent"
    main.stdout.read()                          # EOF: nobody holds the pipe open any more
    main.stdout.close()
