"""Latency of every tool on a large generated district (100k devices, 1M tickets) on SQLite.

    python benchmarks/tools.py           # loads the district once into a cached database

Prints p50 and p95 per tool over repeated warm runs; the target (issue 4) is p95 <= 50 ms.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import CACHE, DEVICES, TICKETS, large_exports, machine  # noqa: E402

AS_OF = dt.date(2026, 11, 23)
RUNS = 20


def tool_args(store: Any) -> dict[str, dict[str, Any]]:
    """Typical arguments per tool (a school and a model taken from the data)."""
    from sqlalchemy import select

    from ingest.schema import Device, Location

    with store.read_session() as session:
        school = session.scalars(select(Location.name).limit(1)).one()
        model = session.scalars(select(Device.model).where(Device.model.is_not(None))).first()
        serial = session.scalars(select(Device.serial).limit(1).offset(500)).one()
    fy = {"start": dt.date(2027, 7, 1), "end": dt.date(2028, 6, 30)}
    return {
        "contracts_renewing": {"start": dt.date(2027, 1, 1), "end": dt.date(2027, 3, 31)},
        "devices_list": {"group_by": "model"},
        "devices_due_for_replacement": {**fy, "as_of": AS_OF},
        "replacement_budget": {"as_of": AS_OF, "years": 3},
        "warranty_expiring": {"start": AS_OF, "end": AS_OF + dt.timedelta(days=90)},
        "repair_history": {"serial": serial},
        "break_fix_rate": {"as_of": AS_OF},
        "cost_of_ownership": {"as_of": AS_OF},
        "failure_categories": {"model": model},
        "open_tickets": {"as_of": AS_OF, "school": school},
        "resolution_time": {"start": dt.date(2026, 8, 1), "end": dt.date(2026, 10, 31)},
        "ticket_volume_trend": {"start": dt.date(2026, 9, 1), "end": AS_OF},
        "departures_with_devices": {"start": AS_OF, "end": AS_OF + dt.timedelta(days=30)},
        "new_staff_without_devices": {"start": AS_OF, "end": AS_OF + dt.timedelta(days=30)},
        "devices_of_people_not_in_roster": {"as_of": AS_OF},
        "app_requests_by_review": {"review": "privacy"},
        "app_requests_stuck": {"as_of": AS_OF, "days": 30},
        "approved_apps": {},
        "data_quality": {},
    }


def open_large_store() -> Any:
    from assistant.ingesting import load_options
    from assistant.settings import Settings
    from assistant.store import open_district_store
    from ingest.load import ingest_paths

    db = CACHE / f"district-{DEVICES}-{TICKETS}.db"
    settings = Settings(data_dir=CACHE, database_url=f"sqlite:///{db}")
    fresh = not db.exists()
    store = open_district_store(settings)
    if fresh:
        print("loading the large district once (a few minutes)…", flush=True)
        ingest_paths([large_exports()], store, options=load_options(settings))
    return store


def main() -> None:
    from tools.registry import TOOLS

    store = open_large_store()
    print(f"machine: {machine()}")
    print(f"data: {DEVICES:,} devices, {TICKETS:,} tickets, SQLite; {RUNS} warm runs per tool\n")
    args = tool_args(store)
    print(f"{'tool':34} {'p50 ms':>8} {'p95 ms':>8}  rows")
    worst = 0.0
    for spec in TOOLS:
        if spec.name not in args:
            print(f"{spec.name:34} (needs the vector index; see benchmarks/embed.py)")
            continue
        spec.run(store, args[spec.name])  # warm the page cache
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            result = spec.run(store, args[spec.name])
            times.append((time.perf_counter() - start) * 1000)
        p50 = statistics.median(times)
        p95 = statistics.quantiles(times, n=20)[18]
        worst = max(worst, p95)
        flag = "" if p95 <= 50 else "  over 50 ms"
        print(f"{spec.name:34} {p50:8.1f} {p95:8.1f}  {result.count}{flag}")
    print(f"\nworst p95: {worst:.1f} ms (target <= 50 ms)")


if __name__ == "__main__":
    main()
