"""The record of each ingest run, so a load killed part way is visible to answers and ``quality``.

Every file of a load commits on its own (``ingest_paths``), so a run stopped between files leaves
some files loaded and others not. ``recorded_run`` writes an ``ingest_runs`` row when a load of
two or more files starts and commits its count after each file; a clean end marks it
``finished``, an exception ``stopped``. A process killed outright cannot write anything, so the
next ingest, which holds the lock and so knows no other load is running, marks every run still
``running`` as ``stopped``. Readers (``tools/ingest_runs.py``) say what the last run got through.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import insert, update

from ingest.db import Store
from ingest.schema import IngestRun


class RunRecord:
    """A run being recorded: ``file_done()`` after each file."""

    def __init__(self, store: Store | None, run_id: int | None) -> None:
        """Record into ``store``'s row ``run_id``; with None, record nothing (a one-file load)."""
        self.store, self.run_id, self.done = store, run_id, 0

    def file_done(self) -> None:
        """Count one more file handled (loaded, rejected or unreadable) and commit the count."""
        self.done += 1
        self._set(files_done=self.done)

    def _set(self, **values: object) -> None:
        if self.store is None or self.run_id is None:
            return
        with self.store.session() as session:
            session.execute(
                update(IngestRun)
                .where(IngestRun.id == self.run_id)
                .values(updated_at=_utcnow(), **values)
            )


@contextmanager
def recorded_run(store: Store, files: int) -> Iterator[RunRecord]:
    """Record a load of ``files`` files (two or more) for the block; call only under the lock."""
    if files < 2:
        yield RunRecord(None, None)
        return
    now = _utcnow()
    with store.session() as session:
        session.execute(
            update(IngestRun)
            .where(IngestRun.status == "running")
            .values(status="stopped")  # under the lock: no other load is running
        )
        run_id = session.execute(
            insert(IngestRun).returning(IngestRun.id),
            [dict(started_at=now, updated_at=now, files_total=files, files_done=0,
                  status="running", pid=os.getpid(), host=socket.gethostname()[:255])],
        ).scalar_one()  # fmt: skip
    record = RunRecord(store, run_id)
    try:
        yield record
    except BaseException:
        record._set(status="stopped")
        raise
    record._set(status="finished", finished_at=_utcnow())


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
