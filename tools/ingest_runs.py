"""What the last ingest got through, said plainly when it stopped part way.

Each file of a load commits on its own, so a load killed between files leaves some files in and
others not, and every answer built on them is partial. ``last_run_note`` reads the newest
``ingest_runs`` row (``ingest/runs.py``) and returns the sentence answers and ``quality`` add:
"the last ingest stopped after 4 of 8 files at 22:56 on Dec 7, 2026 ...". A run still marked
``running`` is stopped when its process is gone (same host), under way when it is alive, and
"not finished" when it ran on another machine this one cannot look at.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.schema import IngestRun
from tools.base import district_setting
from tools.dates import format_day


def last_run_note(session: Session) -> str | None:
    """The warning about the newest ingest run, or None when it finished (or none is recorded)."""
    run = session.scalars(select(IngestRun).order_by(IngestRun.id.desc()).limit(1)).first()
    if run is None or run.status == "finished":
        return None
    when = _local(run.updated_at, str(district_setting(session, "timezone", "UTC")))
    at = f"at {when:%H:%M} on {format_day(when.date())}"
    count = f"{run.files_done} of {run.files_total} files"
    state = _state(run)
    if state == "under way":
        return f"An ingest is loading now: {count} so far ({at}); answers may change as it goes."
    if state == "unknown":
        return (
            f"The last ingest (on {run.host}) has not finished: {count} {at}; answers may miss "
            "what the other files hold."
        )
    return (
        f"The last ingest stopped after {count} {at}; answers may miss what the other files "
        "hold. Run the ingest again to finish it."
    )


def _state(run: IngestRun) -> str:
    if run.status != "running":
        return "stopped"
    if run.host != socket.gethostname()[:255]:
        return "unknown"
    try:
        os.kill(run.pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return "stopped"
    except PermissionError:
        return "under way"  # it exists, under another user
    return "under way"


def _local(moment: dt.datetime, timezone: str) -> dt.datetime:
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return moment.replace(tzinfo=dt.UTC).astimezone(zone)
