"""Load: concurrent ``POST /ask`` against a real ``serve`` process on the large generated district.

    python benchmarks/load.py                                  # 2,000 requests, 50 clients
    BENCH_DEVICES=2000 BENCH_TICKETS=20000 python benchmarks/load.py --requests 300

Starts ``python -m assistant serve`` (one uvicorn process, as the contract runs it) on the cached
benchmark database (benchmarks/common.py; loaded once, like benchmarks/tools.py), with a bearer
token, no scheduler and no indexing. Sends one warm-up request per question, then ``--requests``
requests from ``--concurrency`` clients (httpx.AsyncClient) over a fixed mix of questions, and
prints errors (non-200 or transport failures), answers that ran another tool, p50/p95/max latency
per question and overall, and requests per second. The server's log goes to a file next to the
database; lines with "Traceback" or "ERROR" in it are counted. The target (issue #8) is zero errors.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import CACHE, DEVICES, TICKETS, machine  # noqa: E402

AS_OF = "2026-11-23"
# (question, the tool that should answer it, weight): mostly the everyday questions of a help
# desk and a technology office, with the fleet-wide aggregates less often.
MIX: tuple[tuple[str, str, int], ...] = (
    ("which contracts renew in the next 90 days?", "contracts_renewing", 6),
    ("how many tickets are open?", "open_tickets", 6),
    ("which contracts renew next quarter?", "contracts_renewing", 3),
    ("which approved apps do we pay for?", "approved_apps", 2),
    ("which app requests have been waiting longer than 30 days?", "app_requests_stuck", 2),
    ("who is leaving in the next 30 days and still has devices?", "departures_with_devices", 2),
    ("which warranties expire in the next 90 days?", "warranty_expiring", 2),
    ("what's our device replacement budget for next year?", "replacement_budget", 2),
    ("which devices are due for replacement next fiscal year?", "devices_due_for_replacement", 2),
    ("how many devices do we have by model?", "devices_list", 1),
    ("which models break most often?", "break_fix_rate", 1),
)


@dataclass
class Tally:
    """Latencies and failures of one question."""

    sent: int = 0
    times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wrong_tool: int = 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def prepare_database() -> Path:
    """The cached benchmark database, loaded on first use (benchmarks/tools.py does the same)."""
    from benchmarks.tools import open_large_store

    store = open_large_store()
    store.dispose()
    return CACHE / f"district-{DEVICES}-{TICKETS}.db"


def start_server(database: Path, port: int, token: str, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISTRICT_"))}
    env.update(PYTHONPATH=str(ROOT), DISTRICT_ASSISTANT_API_TOKEN=token,
               DISTRICT_ASSISTANT_DATA_DIR=str(CACHE))  # fmt: skip
    command = [sys.executable, "-m", "assistant", "serve", "--port", str(port), "--no-scheduler",
               "--no-index", "--database-url", f"sqlite:///{database}"]  # fmt: skip
    with log.open("wb") as sink:
        return subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT, cwd=ROOT)


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"serve exited with {process.returncode}; see its log")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit("serve did not answer /health in time")


def schedule(requests: int) -> list[int]:
    """Question indexes in a fixed interleaved order that follows the weights."""
    weighted = [i for i, (_, _, weight) in enumerate(MIX) for _ in range(weight)]
    return [weighted[(n * 7) % len(weighted)] for n in range(requests)]


async def run_load(
    url: str, token: str, requests: int, concurrency: int
) -> tuple[dict[int, Tally], float]:
    headers = {"Authorization": f"Bearer {token}"}
    tallies: dict[int, Tally] = defaultdict(Tally)
    queue: asyncio.Queue[int] = asyncio.Queue()
    for index in schedule(requests):
        queue.put_nowait(index)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits,
                                 timeout=httpx.Timeout(300)) as client:  # fmt: skip

        async def one_client() -> None:
            while True:
                try:
                    index = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                question, tool, _ = MIX[index]
                tally = tallies[index]
                tally.sent += 1
                started = time.perf_counter()
                try:
                    response = await client.post(
                        "/ask", json={"question": question, "as_of": AS_OF}
                    )
                except httpx.HTTPError as exc:
                    tally.errors.append(f"{exc.__class__.__name__}: {exc}")
                    continue
                tally.times.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    tally.errors.append(f"{response.status_code}: {response.text[:200]}")
                elif [t["name"] for t in response.json()["tools"]] != [tool]:
                    tally.wrong_tool += 1

        started = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return tallies, elapsed


def percentile(times: list[float], q: int) -> float:
    if len(times) < 2:
        return times[0] if times else float("nan")
    return statistics.quantiles(times, n=100, method="inclusive")[q - 1]


def report(tallies: dict[int, Tally], elapsed: float, requests: int, log: Path) -> int:
    print(f"\n{'question':62} {'n':>5} {'err':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    every: list[float] = []
    errors: list[str] = []
    wrong = 0
    for index, (question, _tool, _) in enumerate(MIX):
        tally = tallies.get(index, Tally())
        every += tally.times
        errors += tally.errors
        wrong += tally.wrong_tool
        print(f"{question[:62]:62} {tally.sent:5} {len(tally.errors):4} {percentile(tally.times, 50):8.0f} "
              f"{percentile(tally.times, 95):8.0f} {max(tally.times, default=0):8.0f}")  # fmt: skip
    logged = log.read_text(encoding="utf-8", errors="replace")
    problems = sum(1 for line in logged.splitlines() if "Traceback" in line or "ERROR" in line)
    print(f"\nall: {requests:,} requests, {len(errors)} errors, {wrong} answered by another tool; "
          f"p50 {percentile(every, 50):.0f} ms, p95 {percentile(every, 95):.0f} ms, "
          f"max {max(every, default=0):.0f} ms; {requests / elapsed:.1f} requests/s "
          f"({elapsed:.1f} s); server log: {problems} error lines ({log})")  # fmt: skip
    for error in errors[:5]:
        print(f"  error: {error}")
    return 1 if errors else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=50)
    options = parser.parse_args()

    database = prepare_database()
    token, port = secrets.token_urlsafe(24), free_port()
    url, log = f"http://127.0.0.1:{port}", CACHE / f"load-serve-{DEVICES}-{TICKETS}.log"
    print(f"machine: {machine()}")
    print(f"data: {DEVICES:,} devices, {TICKETS:,} tickets, SQLite; one `serve` process; "
          f"{options.requests:,} requests from {options.concurrency} clients")  # fmt: skip
    process = start_server(database, port, token, log)
    try:
        wait_until_up(url, process)
        warm = time.perf_counter()
        for question, _tool, _ in MIX:  # the planner's names, the page cache
            httpx.post(f"{url}/ask", json={"question": question, "as_of": AS_OF},
                       headers={"Authorization": f"Bearer {token}"}, timeout=300)  # fmt: skip
        print(f"warm-up: {len(MIX)} questions in {time.perf_counter() - warm:.1f} s")
        tallies, elapsed = asyncio.run(run_load(url, token, options.requests, options.concurrency))
    finally:
        process.terminate()
        process.wait(30)
    raise SystemExit(report(tallies, elapsed, options.requests, log))


if __name__ == "__main__":
    main()
