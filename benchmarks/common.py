"""Shared by the benchmarks: the large generated district, made once and kept in a cache folder."""

from __future__ import annotations

import os
import platform
import tempfile
from pathlib import Path

from ingest.sample import build_district, write_exports

DEVICES = int(os.environ.get("BENCH_DEVICES", "100000"))
TICKETS = int(os.environ.get("BENCH_TICKETS", "1000000"))
CACHE = Path(os.environ.get("BENCH_CACHE", Path(tempfile.gettempdir()) / "district-bench"))


def large_exports() -> Path:
    """Exports of DEVICES devices and TICKETS tickets (generated once: about 2 minutes)."""
    folder = CACHE / f"exports-{DEVICES}-{TICKETS}"
    done = folder / ".complete"
    if not done.exists():
        district = build_district(devices=DEVICES, tickets=TICKETS)
        write_exports(district, folder)
        done.touch()
    return folder


def machine() -> str:
    """One line naming the machine the figures come from."""
    cores = os.cpu_count()
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        memory = f", {kib / 1024 / 1024:.0f} GiB"
    return f"{platform.processor() or platform.machine()}, {cores} cores{memory}, Python {platform.python_version()}"
