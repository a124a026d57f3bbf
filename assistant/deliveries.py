"""Slack requests already handled, in the database, so every worker process agrees.

Slack redelivers an event it thinks was missed, and a captured slash command can be replayed
within its five signed minutes. Remembering ids in one process's memory stops neither once the
server runs more than one worker, or restarts. ``SeenDeliveries.first_time(key)`` inserts the key
into ``slack_deliveries``: the primary key makes exactly one insert win, in whichever process,
and the others learn they came second. Rows older than ``ttl`` are deleted at most once a minute.
Slack's acknowledgement waits at most 0.2 s for the insert; past that (a load holds SQLite's
lock), or with the database failing, this process's own memory decides.
This is the fourth small write outside ``ingest/``: it records requests, never facts.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeout

from sqlalchemy import delete, insert
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ingest.db import Store
from ingest.schema import SlackDelivery

logger = logging.getLogger(__name__)
TTL_SECONDS = 3600.0  # Slack retries within minutes; a slash command's signature lasts five
TRIM_EVERY_SECONDS = 60.0
KEY_LIMIT = 255
MEMORY_LIMIT = 10_000
WAIT_SECONDS = 0.2  # how long Slack's acknowledgement waits for the database to record a key


class SeenDeliveries:
    """Event ids and slash-command triggers handled recently, shared through the database."""

    def __init__(self, store: Store, ttl_seconds: float = TTL_SECONDS) -> None:
        """Remember keys in ``store`` for ``ttl_seconds``."""
        self.store, self.ttl = store, ttl_seconds
        self._last_trim = 0.0
        self._lock = threading.Lock()
        self._here: OrderedDict[str, float] = OrderedDict()  # seen by this process
        self._writer = ThreadPoolExecutor(2, thread_name_prefix="slack-seen")

    def first_time(self, key: str) -> bool:
        """True for the first delivery of ``key`` in any process, False for every later one.

        The database has ``WAIT_SECONDS`` to answer (Slack's acknowledgement waits on it); a
        database that is locked, slow or failing leaves the decision to this process's memory,
        and the insert finishes in the background for the other workers. A duplicate answer
        is better than none.
        """
        key = key[:KEY_LIMIT]
        with self._lock:
            if key in self._here:
                return False
            self._here[key] = time.monotonic()
            while len(self._here) > MEMORY_LIMIT:
                self._here.popitem(last=False)
        pending = self._writer.submit(self._insert, key)
        try:
            return pending.result(timeout=WAIT_SECONDS)
        except FuturesTimeout:
            logger.warning("the database did not record Slack delivery %s in time", key)
            return True

    def _insert(self, key: str) -> bool:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        try:
            with self.store.session() as session:
                session.execute(insert(SlackDelivery), [{"key": key, "seen_at": now}])
        except IntegrityError:
            return False
        except SQLAlchemyError as exc:
            logger.warning("could not record Slack delivery %s: %s", key, exc.__class__.__name__)
            return True
        self._trim(now)
        return True

    def _trim(self, now: dt.datetime) -> None:
        """Delete keys older than the ttl, at most once a minute (a failure is only logged)."""
        with self._lock:
            if time.monotonic() - self._last_trim < TRIM_EVERY_SECONDS:
                return
            self._last_trim = time.monotonic()
        cutoff = now - dt.timedelta(seconds=self.ttl)
        try:
            with self.store.session() as session:
                session.execute(delete(SlackDelivery).where(SlackDelivery.seen_at < cutoff))
        except SQLAlchemyError as exc:
            logger.error("could not trim Slack deliveries: %s", exc.__class__.__name__)
