"""The audit log: one ``audit_log`` row per question, from every interface, written off the path.

Who asked (a Slack user id, ``api@<address>`` for the REST API, the OS user for the CLI), in which
channel, the question, the tools that ran, the outcome (``answered``, ``refused``,
``not_allowed``, ``error``) and how long it took. Rows go through a queue to one writer thread
that uses the store's writing engine, in batches, so an answer never waits for the write and a
locked or failing database costs a log line, never an answer. The same thread deletes rows older
than ``audit_retention_days`` at most once an hour. This is the third small write outside
``ingest/``; it records use of the data, never facts.
"""

from __future__ import annotations

import atexit
import datetime as dt
import getpass
import logging
import queue
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from assistant import faults
from assistant.limits import QuestionRefused, clean_text
from assistant.redact import redact
from ingest.db import Store
from ingest.schema import AuditEntry

if TYPE_CHECKING:
    from assistant.answer import Answer, Assistant

logger = logging.getLogger(__name__)

Interface = Literal["slack", "api", "cli", "demo"]
Outcome = Literal["answered", "refused", "not_allowed", "error"]
BATCH = 200
TRIM_EVERY_SECONDS = 3600.0
QUESTION_LIMIT = 4000
WRITE_PATIENCE_SECONDS = 300.0  # how long a batch waits out a locked database before it is dropped
RETRY_SECONDS = 0.5


@dataclass
class Pending:
    """One question being answered: the interface fills in the answer or the outcome."""

    interface: Interface
    question: str
    user_id: str | None = None
    channel_id: str | None = None
    tools: list[str] = field(default_factory=list)
    outcome: Outcome = "error"
    asked_at: dt.datetime = field(default_factory=lambda: _utcnow())

    def answered(self, answer: Answer) -> None:
        """Record the answer's tools; an answer that ran no tool was a refusal."""
        self.tools = [call.name for call in answer.tools]
        self.outcome = "answered" if answer.tools else "refused"


class AuditLog:
    """Writes audit rows on one background thread; ``flush()`` waits for what is queued."""

    def __init__(
        self,
        store: Store,
        retention_days: int,
        *,
        trim_every: float = TRIM_EVERY_SECONDS,
        patience: float = WRITE_PATIENCE_SECONDS,
    ) -> None:
        """Write into ``store``; keep ``retention_days`` of rows (0 = forever).

        ``patience`` is how long a write waits out a locked database before giving up on it.
        """
        self.store, self.retention_days, self.trim_every = store, retention_days, trim_every
        self.patience = patience
        self._queue: queue.Queue[dict[str, Any]] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._last_trim: float | None = None

    @contextmanager
    def audited(
        self,
        interface: Interface,
        question: str,
        *,
        user_id: str | None = None,
        channel_id: str | None = None,
    ) -> Iterator[Pending]:
        """Time one answer and record it; an exception is recorded as ``error`` and re-raised."""
        pending = Pending(interface, question, user_id=user_id, channel_id=channel_id)
        started = time.monotonic()
        try:
            yield pending
        except QuestionRefused:
            pending.outcome = "refused"
            raise
        except BaseException:
            pending.outcome = "error"
            raise
        finally:
            self.record(pending, duration_ms=round((time.monotonic() - started) * 1000))

    def record(self, pending: Pending, *, duration_ms: int | None = None) -> None:
        """Queue one row for the writer thread; never raises, never blocks."""
        try:
            self._queue.put_nowait(
                {
                    "asked_at": pending.asked_at,
                    "interface": pending.interface,
                    "user_id": _clip(pending.user_id, 128),
                    "channel_id": _clip(pending.channel_id, 128),
                    "question": clean_text(redact(pending.question[: QUESTION_LIMIT * 2]))[
                        :QUESTION_LIMIT
                    ],
                    "tools": list(pending.tools),
                    "outcome": pending.outcome,
                    "duration_ms": duration_ms,
                }
            )
            self._ensure_writer()
        except Exception:  # the audit must never cost an answer
            logger.exception("could not queue an audit row")

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every queued row is written (or dropped after an error); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._queue.all_tasks_done:
            while self._queue.unfinished_tasks:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._queue.all_tasks_done.wait(left)
        return True

    def _ensure_writer(self) -> None:
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="audit-log", daemon=True)
                self._thread.start()
                atexit.register(self.flush, 5.0)

    def _run(self) -> None:
        while True:
            rows = [self._queue.get()]
            while len(rows) < BATCH:
                try:
                    rows.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                self._write(rows)
            finally:
                for _ in rows:
                    self._queue.task_done()

    def _write(self, rows: list[dict[str, Any]]) -> None:
        """Write a batch; if it fails, each row on its own, so one bad row costs only itself.

        A locked database is waited out (``_insert`` retries until ``WRITE_PATIENCE_SECONDS``):
        a batch is never dropped because a load or a backup held the lock for a while.
        """
        if self._insert(rows) or len(rows) == 1:
            return
        for row in rows:
            self._insert([row])

    def _insert(self, rows: list[dict[str, Any]]) -> bool:
        deadline = time.monotonic() + self.patience
        while True:
            try:
                with self.store.session() as session:
                    session.execute(insert(AuditEntry), rows)
                    if self._trim_due():
                        cutoff = _utcnow() - dt.timedelta(days=self.retention_days)
                        session.execute(delete(AuditEntry).where(AuditEntry.asked_at < cutoff))
                return True
            except OperationalError as exc:
                if faults.kind_of(exc) != "busy" or time.monotonic() >= deadline:
                    _log_failure(rows, exc)
                    return False
                time.sleep(RETRY_SECONDS)
            except SQLAlchemyError as exc:
                _log_failure(rows, exc)
                return False
            except Exception:
                logger.exception("could not write %d audit row(s)", len(rows))
                return False

    def _trim_due(self) -> bool:
        if self.retention_days <= 0:
            return False
        now = time.monotonic()
        if self._last_trim is not None and now - self._last_trim < self.trim_every:
            return False
        self._last_trim = now
        return True


class AuditedAssistant:
    """An ``Assistant`` whose every ``ask`` is recorded as one interface and user (CLI, demo)."""

    def __init__(
        self, assistant: Assistant, log: AuditLog, interface: Interface, user_id: str | None
    ) -> None:
        """Wrap ``assistant``; rows say ``interface`` and ``user_id``."""
        self.assistant, self.log, self.interface, self.user_id = (
            assistant,
            log,
            interface,
            user_id,
        )

    @property
    def store(self) -> Store:
        """The wrapped assistant's store."""
        return self.assistant.store

    def ask(self, question: str, **kwargs: Any) -> Answer:
        """``Assistant.ask``, audited."""
        with self.log.audited(self.interface, question, user_id=self.user_id) as pending:
            answer = self.assistant.ask(question, **kwargs)
            pending.answered(answer)
        return answer


def local_user() -> str | None:
    """The OS user running the CLI, or None where the platform cannot tell."""
    try:
        return getpass.getuser()
    except Exception:  # getpass raises OSError, KeyError or ImportError depending on platform
        return None


def recent(store: Store, days: int, limit: int = 1000) -> list[AuditEntry]:
    """The audit rows of the last ``days`` days, newest first."""
    cutoff = _utcnow() - dt.timedelta(days=days)
    query = (
        select(AuditEntry)
        .where(AuditEntry.asked_at >= cutoff)
        .order_by(AuditEntry.asked_at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    with store.read_session() as session:
        rows = list(session.scalars(query))
        session.expunge_all()
    return rows


def count(store: Store) -> int:
    """How many rows the audit log holds."""
    with store.read_session() as session:
        return int(session.scalar(select(func.count(AuditEntry.id))) or 0)


def _log_failure(rows: list[dict[str, Any]], exc: SQLAlchemyError) -> None:
    logger.error(
        "could not write %d audit row(s): %s: %s",
        len(rows),
        exc.__class__.__name__,
        getattr(exc, "orig", None) or "",
    )


def _clip(value: str | None, limit: int) -> str | None:
    return None if value is None else clean_text(value[:limit])


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
