"""Real `ingest` processes: killed mid-file it leaves nothing; two at once never corrupt anything.

The slow ones run ``python -m assistant ingest`` in subprocesses on files big enough to take a few
seconds, and read the database afterwards like anyone else would.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ingest.db import open_store
from ingest.errors import IngestBusy
from ingest.load import CHUNK, ingest_paths
from ingest.lock import ingest_lock
from ingest.schema import IngestFile, Reject, SourceRecord, Ticket

ROOT = Path(__file__).resolve().parents[2]
HEADER = "Ticket ID,Subject,Description,Created,Status,Category,Requester Email"
# Read at import: the per-test clean environment clears DISTRICT_ASSISTANT_* variables.


def write_tickets(path: Path, rows: int, *, prefix: str, bad_every: int = 0) -> Path:
    """A generic ticket export; every ``bad_every``-th row has a blank ticket id (a reject)."""
    lines = [HEADER]
    for i in range(rows):
        ticket_id = "" if bad_every and i % bad_every == 0 else f"{prefix}{i:07d}"
        lines.append(
            f"{ticket_id},Screen broken {i},The screen of cart laptop {i % 97} is cracked,"
            f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T08:{i % 60:02d}:00,"
            f"{'open' if i % 3 else 'closed'},Hardware,user{i % 500}@district.org"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def start_ingest(path: Path, data_dir: Path, *options: str, **env: str) -> subprocess.Popen[str]:
    """`python -m assistant ingest PATH --data-dir D --no-index` in its own process."""
    return subprocess.Popen(
        [sys.executable, "-m", "assistant", "ingest", str(path), "--data-dir", str(data_dir),
         "--no-index", *options],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def ingest(path: Path, data_dir: Path) -> str:
    """Run one ingest to the end; its stderr."""
    process = start_ingest(path, data_dir)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return err


def wait_for_line(process: subprocess.Popen[str], needle: str, timeout: float = 60) -> str:
    """Read stderr until a line holds ``needle`` (a progress line proves the load is under way)."""
    deadline = time.monotonic() + timeout
    assert process.stderr is not None
    for line in process.stderr:
        if needle in line:
            return line
        assert time.monotonic() < deadline, f"no {needle!r} on stderr in {timeout} s"
    raise AssertionError(f"the process ended without printing {needle!r}: {process.wait()}")


def counts(data_dir: Path, name: str) -> dict[str, int]:
    """Rows that came from the file called ``name``, table by table."""
    store = open_store(f"sqlite:///{data_dir / 'district.db'}")
    try:
        with store.read_session() as session:
            files = select(IngestFile.id).where(IngestFile.name == name).scalar_subquery()
            records = select(SourceRecord.id).where(SourceRecord.ingest_file_id.in_(files))
            return {
                "ingest_files": session.scalar(select(func.count()).where(IngestFile.name == name)),
                "source_records": session.scalar(
                    select(func.count()).where(SourceRecord.ingest_file_id.in_(files))
                ),
                "rejects": session.scalar(select(func.count()).where(Reject.file == name)),
                "tickets": session.scalar(
                    select(func.count()).where(Ticket.source_record_id.in_(records))
                ),
            }
    finally:
        store.dispose()


@pytest.mark.slow
def test_an_ingest_killed_mid_file_leaves_nothing_and_the_next_run_loads_it_whole(tmp_path):
    data_dir = tmp_path / "data"
    ingest(write_tickets(tmp_path / "small.csv", 10, prefix="S"), data_dir)
    rows = 3 * CHUNK  # three chunks: killed after the first, two are still to come
    big = write_tickets(tmp_path / "big.csv", rows, prefix="B", bad_every=1000)

    process = start_ingest(big, data_dir)
    line = wait_for_line(process, "rows read")
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert line.strip() == f"big.csv: {CHUNK:,} rows read"  # mid-file: 1 chunk of 3 written

    nothing = {"ingest_files": 0, "source_records": 0, "rejects": 0, "tickets": 0}
    assert counts(data_dir, "big.csv") == nothing
    assert counts(data_dir, "small.csv") == {**nothing, "ingest_files": 1, "source_records": 10,
                                             "tickets": 10}  # fmt: skip

    err = ingest(big, data_dir)
    assert "another ingest" not in err  # the killed run's lock died with it: no wait
    rejected = rows // 1000
    assert counts(data_dir, "big.csv") == {
        "ingest_files": 1,
        "source_records": rows - rejected,
        "rejects": rejected,
        "tickets": rows - rejected,
    }


@pytest.mark.slow
def test_two_ingests_at_once_wait_for_each_other_or_the_second_is_refused(tmp_path) -> None:
    data_dir = tmp_path / "data"
    first = write_tickets(tmp_path / "first.csv", 8 * CHUNK, prefix="F")  # long enough to overlap
    second = write_tickets(tmp_path / "second.csv", 1000, prefix="G")

    running = start_ingest(first, data_dir)
    wait_for_line(running, "rows read")  # it holds the lock and is writing
    impatient = start_ingest(second, data_dir, DISTRICT_ASSISTANT_INGEST_LOCK_TIMEOUT_SECONDS="0")
    patient = start_ingest(second, data_dir)

    _, refused = impatient.communicate(timeout=60)
    assert impatient.returncode == 1
    assert f"(pid {running.pid}); try again later" in refused
    assert refused.startswith("Error: another ingest is running since ")
    assert "Traceback" not in refused

    assert running.wait(timeout=120) == 0
    _, waited = patient.communicate(timeout=120)
    assert patient.returncode == 0, waited
    assert "another ingest is running since" in waited and "waiting up to 600 s" in waited
    assert counts(data_dir, "first.csv")["tickets"] == 8 * CHUNK
    assert counts(data_dir, "second.csv")["tickets"] == 1000


def test_a_load_while_the_lock_is_held_is_refused_naming_the_holder(store, write_csv) -> None:
    path = write_csv("contracts.csv", "Vendor,Product,Renewal Date", "Zoom,Education,2027-01-01")
    holder = rf"another ingest is running since \d\d:\d\d \(pid {os.getpid()}\); try again later"
    with ingest_lock(store, timeout=0):
        with pytest.raises(IngestBusy, match=holder):
            ingest_paths([path], store, lock_timeout=0)
        (planned,) = ingest_paths([path], store, dry_run=True)  # a dry run writes nothing: no lock
        assert planned.status == "planned"
    (report,) = ingest_paths([path], store, lock_timeout=0)
    assert report.status == "loaded"


def test_on_postgresql_the_advisory_lock_makes_a_second_ingest_wait_or_refuses_it(
    tmp_path, postgres_server
):
    url = postgres_server.create_database()
    store = open_store(url)
    unique = f"P{time.time_ns()}-"
    path = write_tickets(tmp_path / "pg.csv", 50, prefix=unique)
    data_dir = tmp_path / "data"
    try:
        with ingest_lock(store, timeout=0):  # as if another ingest were running, in this process
            impatient = start_ingest(path, data_dir, "--database-url", url,
                                     DISTRICT_ASSISTANT_INGEST_LOCK_TIMEOUT_SECONDS="0")  # fmt: skip
            _, refused = impatient.communicate(timeout=60)
            assert impatient.returncode == 1
            assert refused.startswith("Error: another ingest is running since ")
            assert f"(pid {os.getpid()}); try again later" in refused
            patient = start_ingest(path, data_dir, "--database-url", url,
                                   DISTRICT_ASSISTANT_INGEST_LOCK_TIMEOUT_SECONDS="60")  # fmt: skip
            wait_for_line(patient, "waiting up to 60 s")
        _, err = patient.communicate(timeout=120)  # the lock is free: it goes on and loads
        assert patient.returncode == 0, err
        with store.read_session() as session:
            loaded = session.scalar(
                select(func.count()).where(Ticket.external_id.startswith(unique))
            )
        assert loaded == 50
    finally:
        store.dispose()
