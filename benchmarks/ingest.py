"""Ingest throughput on a large generated district, against a naive pandas load of the same files.

    python benchmarks/ingest.py          # 100k devices (two asset systems), 1M tickets (two desks)

Prints rows per second, total seconds and peak memory of `ingest_paths` (all parsing, merging
and source records), then the same files through `pandas.read_csv(...).to_sql(...)` into an
empty SQLite file, and the ratio. Targets (issue 3): whole load <= 60 s, >= 0.5x the naive
throughput, peak memory <= 2 GiB. Each side runs in its own process so peak memory is its own;
ours counts the parsing process it starts for large files too. CPU seconds are printed beside
the wall clock: on a shared machine the gap between them is time spent waiting for a core.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import DEVICES, TICKETS, large_exports, machine  # noqa: E402

LARGE = ("snipe-it", "google-admin", "incident-iq", "zendesk")


def ours(folder: Path, db: Path) -> dict[str, float]:
    from assistant.ingesting import load_options
    from assistant.settings import Settings
    from assistant.store import open_district_store
    from ingest.load import ingest_paths

    settings = Settings(data_dir=db.parent, database_url=f"sqlite:///{db}")
    store = open_district_store(settings)
    start = time.perf_counter()
    reports = ingest_paths([folder / name for name in LARGE], store, options=load_options(settings))
    seconds = time.perf_counter() - start
    assert all(r.status == "loaded" for r in reports), [(r.path, r.status) for r in reports]
    return {"rows": sum(r.rows_read for r in reports), "seconds": seconds}


def naive(folder: Path, db: Path) -> dict[str, float]:
    import sqlite3

    import pandas as pd

    connection = sqlite3.connect(db)
    start = time.perf_counter()
    rows = 0
    for name in LARGE:
        for path in sorted((folder / name).glob("*.csv")):
            frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
            frame.to_sql(path.stem + "_" + name.replace("-", "_"), connection, index=False)
            rows += len(frame)
    connection.commit()
    return {"rows": rows, "seconds": time.perf_counter() - start}


def child(kind: str, folder: str, db: str) -> None:
    sampler = RssSampler()
    sampler.start()
    cpu = time.process_time()
    result = (ours if kind == "ours" else naive)(Path(folder), Path(db))
    result["cpu_seconds"] = time.process_time() - cpu  # < seconds when the machine is shared
    sampler.stop()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    result["worker_cpu_seconds"] = children.ru_utime + children.ru_stime  # the parsing process
    # Peak RSS of this process and its children together, sampled every 20 ms; and the bound
    # the kernel's high-water marks give (own peak + largest child's peak, not simultaneous).
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result["peak_mib"] = max(sampler.peak_kib, own) / 1024
    result["peak_bound_mib"] = (own + children.ru_maxrss) / 1024
    print(json.dumps(result))


class RssSampler(threading.Thread):
    """The largest sum of resident memory of this process and its descendants, from /proc."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kib = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.02):
            self.peak_kib = max(self.peak_kib, tree_rss_kib(os.getpid()))

    def stop(self) -> None:
        self.done.set()
        self.join()


def tree_rss_kib(pid: int) -> int:
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(status.split("VmRSS:")[1].split()[0])
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, IndexError, ValueError):
            continue
    return total


def run(kind: str, folder: Path, work: Path) -> dict[str, float]:
    db = work / f"{kind}.db"
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(folder), str(db)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    folder = large_exports()
    print(f"machine: {machine()}, load average {os.getloadavg()[0]:.1f} at start")
    print(f"data: {DEVICES:,} devices, {TICKETS:,} tickets in {folder}")
    with tempfile.TemporaryDirectory() as tmp:
        mine = run("ours", folder, Path(tmp))
        theirs = run("naive", folder, Path(tmp))
    rate, naive_rate = mine["rows"] / mine["seconds"], theirs["rows"] / theirs["seconds"]
    print(
        f"district-assistant ingest: {mine['rows']:,.0f} rows in {mine['seconds']:.1f} s "
        f"= {rate:,.0f} rows/s, peak {mine['peak_mib']:,.0f} MiB "
        f"(CPU {mine['cpu_seconds']:.1f} s, parsing process {mine['worker_cpu_seconds']:.1f} s)"
    )
    print(
        f"naive pandas read_csv+to_sql: {theirs['rows']:,.0f} rows in {theirs['seconds']:.1f} s "
        f"= {naive_rate:,.0f} rows/s, peak {theirs['peak_mib']:,.0f} MiB "
        f"(CPU {theirs['cpu_seconds']:.1f} s)"
    )
    print(f"ratio (ours / naive throughput): {rate / naive_rate:.2f}x  (target >= 0.5x)")
    print(
        f"total seconds: {mine['seconds']:.1f} (target <= 60); peak memory "
        f"{mine['peak_mib'] / 1024:.2f} GiB (target <= 2 GiB; own + parser high-water marks: "
        f"{mine['peak_bound_mib'] / 1024:.2f} GiB)"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:5])
    else:
        main()
