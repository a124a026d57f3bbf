"""How long the offline planner takes: reading the names, the first plan, and warm plans.

    python benchmarks/planner.py                       # names from the large benchmark district
    python benchmarks/planner.py --db path/to/district.db

The database is opened read-only (never migrated). Warm plans embed every question afresh (the
question-vector cache is cleared each time), so the figure is the real per-question cost; the
target (issue 5, point 8) is a few ms of the 150 ms p95 budget of an offline answer.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import CACHE, DEVICES, TICKETS, machine  # noqa: E402

AS_OF = dt.date(2026, 11, 23)
QUESTIONS = (
    "what renews next quarter?",
    "when is the Google contract up for renewal?",
    "how many chromebooks are at Lincoln?",
    "which app requests are stuck in privacy review?",
    "what does it cost us to own a Chromebook?",
    "open ticket count by school",
    "which models have the highest repair rate?",
    "how long does it take us to close tickets?",
    "what does the Oracle contract cost?",
    "what's the superintendent's salary?",
)


def main() -> None:
    """Print the timings, one line each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=CACHE / f"district-{DEVICES}-{TICKETS}.db")
    parser.add_argument("--plans", type=int, default=1000)
    options = parser.parse_args()

    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from assistant import routing
    from assistant.planner import Planner
    from tools.catalog import known_names
    from tools.dates import FiscalCalendar

    engine = create_engine(f"sqlite:///file:{options.db}?mode=ro&uri=true")
    started = time.perf_counter()
    with Session(engine) as session:
        known = known_names(session)
    names_ms = (time.perf_counter() - started) * 1000
    cache = Path(tempfile.mkdtemp(prefix="planner-bench-"))
    started = time.perf_counter()
    planner = Planner(known, FiscalCalendar(), cache)
    index_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    planner.plan(QUESTIONS[0], AS_OF)  # embeds the whole catalog and writes the cache file
    uncached_ms = (time.perf_counter() - started) * 1000
    routing._catalogs.clear()  # as in a new process: the model and catalog are loaded again
    routing._model = None
    routing._question_vector.cache_clear()
    planner = Planner(known, FiscalCalendar(), cache)
    started = time.perf_counter()
    planner.plan(QUESTIONS[0], AS_OF)
    first_ms = (time.perf_counter() - started) * 1000
    shutil.rmtree(cache)
    times = []
    for i in range(options.plans):
        routing._question_vector.cache_clear()
        started = time.perf_counter()
        planner.plan(QUESTIONS[i % len(QUESTIONS)], AS_OF)
        times.append((time.perf_counter() - started) * 1000)
    p95 = statistics.quantiles(times, n=20)[-1]
    print(f"machine: {machine()}")
    print(f"database: {options.db} ({len(known.people)} people, {len(known.models)} models)")
    print(f"known names: {names_ms:.0f} ms; entity index: {index_ms:.0f} ms")
    print(
        f"first plan of a process: {first_ms:.0f} ms with the cached catalog vectors, "
        f"{uncached_ms:.0f} ms embedding the catalog (once per catalog change)"
    )
    print(
        f"warm plan over {options.plans}: p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms"
    )


if __name__ == "__main__":
    main()
