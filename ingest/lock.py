"""One ingest at a time per database: a second one waits, then gives up with a clear message.

Two loads at once would race on the same facts (both insert a device, both update a contract).
SQLite takes a lock file next to the database (``flock``, so a killed process releases it by
itself); PostgreSQL takes an advisory lock on a dedicated connection, released when that
connection closes. The holder writes who it is and since when, for the message the other sees.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from sqlalchemy import text
from sqlalchemy.engine import make_url

from ingest.db import Store
from ingest.errors import IngestBusy

DEFAULT_TIMEOUT_SECONDS = 600.0
# pg_advisory_lock(int, int): 'DAIN' (district-assistant ingest) and 1, the whole-load lock.
PG_KEY = (0x4441494E, 1)
POLL_SECONDS = 0.25
_APP_NAME = "district-assistant ingest"
log = logging.getLogger(__name__)


@contextmanager
def ingest_lock(store: Store, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold the database's ingest lock for the block; wait up to ``timeout`` seconds for it.

    Raises:
        IngestBusy: another ingest still holds the lock after ``timeout`` seconds.
    """
    url = make_url(store.url)
    if url.get_backend_name() == "postgresql":
        with _postgres_lock(store, timeout):
            yield
    elif url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        with _file_lock(Path(url.database), timeout):
            yield
    else:  # an in-memory database lives in one process: nothing else can write to it
        yield


def lock_path(database: Path) -> Path:
    """The lock file of a SQLite database: beside it, so every process using it finds the same."""
    return database.with_name(database.name + ".ingest-lock")


@contextmanager
def _file_lock(database: Path, timeout: float) -> Iterator[None]:
    path = lock_path(database)
    holder_file = path.with_name(path.name + ".json")
    lock = FileLock(str(path), timeout=timeout)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        holder = _read_holder(holder_file)
        if timeout > 0:
            log.warning("%s; waiting up to %g s", _describe(holder), timeout)
        try:
            lock.acquire(timeout=timeout)
        except Timeout:
            raise IngestBusy(_describe(_read_holder(holder_file) or holder)) from None
    try:
        # The lock is an flock: a killed holder leaves this file behind but never the lock.
        if stale := _read_holder(holder_file):
            log.warning(
                "took over the ingest lock of a load that stopped without finishing (%s)",
                _describe(stale).removeprefix("another ingest is running "),
            )
        holder_file.write_text(json.dumps(_me()), encoding="utf-8")
        yield
    finally:
        holder_file.unlink(missing_ok=True)
        lock.release()


@contextmanager
def _postgres_lock(store: Store, timeout: float) -> Iterator[None]:
    """A session-level advisory lock on a connection of its own, outside the load's transaction."""
    me = _me()
    name = f"{_APP_NAME} pid {me['pid']} since {me['since']}"[:63]
    with store.engine.connect() as connection:
        connection.execute(
            text("SELECT set_config('application_name', :name, false)"), {"name": name}
        )
        connection.commit()
        deadline = time.monotonic() + timeout
        warned = False
        while not connection.execute(
            text("SELECT pg_try_advisory_lock(:a, :b)"), {"a": PG_KEY[0], "b": PG_KEY[1]}
        ).scalar():
            connection.commit()
            holder = _postgres_holder(connection)
            if time.monotonic() >= deadline:
                raise IngestBusy(_describe(holder))
            if not warned and timeout > 0:
                log.warning("%s; waiting up to %g s", _describe(holder), timeout)
                warned = True
            time.sleep(POLL_SECONDS)
        connection.commit()
        try:
            yield
        finally:
            connection.execute(
                text(
                    "SELECT pg_advisory_unlock(:a, :b), set_config('application_name', '', false)"
                ),
                {"a": PG_KEY[0], "b": PG_KEY[1]},
            )
            connection.commit()


def _postgres_holder(connection: Any) -> dict[str, Any] | None:
    """Who holds the advisory lock, from the application name it set (pid and start time)."""
    query = text(
        "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = :a AND l.objid = :b "
        "AND l.objsubid = 2"
    )
    name = connection.execute(query, {"a": PG_KEY[0], "b": PG_KEY[1]}).scalar()
    if not name or not name.startswith(_APP_NAME):
        return None
    parts = name.removeprefix(_APP_NAME).split()
    try:
        return {"pid": int(parts[1]), "since": parts[3]}
    except (IndexError, ValueError):
        return None


def _me() -> dict[str, Any]:
    now = dt.datetime.now().astimezone()
    return {"pid": os.getpid(), "since": now.strftime("%Y-%m-%dT%H:%M")}


def _read_holder(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # not written yet, or being replaced: the message goes without it
    return data if isinstance(data, dict) else None


def _describe(holder: dict[str, Any] | None) -> str:
    """'another ingest is running since 14:05 (pid 4242)', or less when the holder is unknown."""
    if not holder:
        return "another ingest is running"
    since = str(holder.get("since", ""))
    clock = since[11:16] if len(since) >= 16 else since
    return f"another ingest is running since {clock} (pid {holder.get('pid')})"
