"""The audit log on a real SQLite file: one row per question, trimmed by age, never in the way."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from assistant.answer import Assistant
from assistant.audit import AuditedAssistant, AuditLog, Pending, count, local_user, recent
from assistant.cli import app as cli
from assistant.settings import Settings
from ingest.db import Store
from ingest.schema import AuditEntry

AS_OF = dt.date(2026, 11, 23)


def rows(store: Store) -> list[AuditEntry]:
    return recent(store, days=3650)


def old_row(store: Store, days_ago: int, question: str) -> None:
    asked = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=days_ago)
    with store.session() as session:
        session.add(AuditEntry(asked_at=asked, interface="api", question=question, tools=[],
                               outcome="answered", duration_ms=5))  # fmt: skip


def test_each_question_is_one_row_with_its_tools_and_outcome(store: Store, settings: Settings):
    log = AuditLog(store, retention_days=365)
    assistant = AuditedAssistant(Assistant(store, settings), log, "cli", "pat")

    assistant.ask("which contracts renew in the next 90 days?", as_of=AS_OF)
    assistant.ask("what is the weather on mars?", as_of=AS_OF)
    assert log.flush()

    refused, answered = rows(store)
    assert (answered.interface, answered.user_id, answered.channel_id) == ("cli", "pat", None)
    assert answered.question == "which contracts renew in the next 90 days?"
    assert (answered.tools, answered.outcome) == (["contracts_renewing"], "answered")
    assert answered.duration_ms is not None and 0 <= answered.duration_ms < 10_000
    assert (refused.tools, refused.outcome) == ([], "refused")


def test_a_failure_is_recorded_as_an_error_and_still_raised(store: Store) -> None:
    log = AuditLog(store, retention_days=365)
    with pytest.raises(ZeroDivisionError):
        with log.audited("slack", "how many tickets?", user_id="U1", channel_id="C1"):
            1 / 0  # noqa: B018 - the failure under test
    assert log.flush()
    (row,) = rows(store)
    assert (row.interface, row.user_id, row.channel_id, row.outcome) == (
        "slack", "U1", "C1", "error",
    )  # fmt: skip


def test_rows_older_than_the_retention_are_trimmed_when_writing(store: Store) -> None:
    old_row(store, 400, "last year")
    old_row(store, 10, "last week")
    log = AuditLog(store, retention_days=365)
    with log.audited("api", "today"):
        pass
    assert log.flush()
    assert [r.question for r in rows(store)] == ["today", "last week"]

    old_row(store, 500, "loaded after the trim")  # the next trim is an hour away
    with log.audited("api", "again"):
        pass
    assert log.flush()
    assert "loaded after the trim" in [r.question for r in rows(store)]


def test_zero_retention_keeps_every_row(store: Store) -> None:
    old_row(store, 4000, "long ago")
    log = AuditLog(store, retention_days=0)
    with log.audited("api", "today"):
        pass
    assert log.flush()
    assert count(store) == 2


def test_a_failing_write_is_logged_and_never_raised(
    store: Store, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    with store.engine.begin() as connection:
        connection.execute(text("DROP TABLE audit_log"))
    log = AuditLog(store, retention_days=365)
    assistant = AuditedAssistant(Assistant(store, settings), log, "api", "api@127.0.0.1")

    with caplog.at_level(logging.ERROR, logger="assistant.audit"):
        answer = assistant.ask("how many tickets are open?", as_of=AS_OF)
        assert log.flush()

    assert answer.tools[0].name == "open_tickets"
    assert "could not write 1 audit row(s)" in caplog.text
    assert "audit_log" in caplog.text  # the database's own words: no such table / relation


@pytest.mark.sqlite_only(reason="holds SQLite's file lock; PostgreSQL locks rows, not files")
def test_an_answer_does_not_wait_for_a_locked_database(store: Store, settings: Settings) -> None:
    assistant = AuditedAssistant(
        Assistant(store, settings), AuditLog(store, retention_days=365), "api", "api"
    )
    assistant.ask("how many tickets are open?", as_of=AS_OF)  # warm: planner and connections
    assert assistant.log.flush()
    writer = sqlite3.connect(
        settings.data_dir / "district.db", isolation_level=None, check_same_thread=False
    )
    writer.execute("BEGIN EXCLUSIVE")
    release = threading.Timer(1.0, lambda: writer.execute("ROLLBACK"))
    release.start()

    started = time.monotonic()
    assistant.ask("how many tickets are open?", as_of=AS_OF)
    took = time.monotonic() - started

    assert took < 0.5  # the row waits in the queue, the answer does not
    assert assistant.log.flush(timeout=20)
    release.join()
    writer.close()
    assert count(store) == 2


def test_the_cli_records_its_user_and_audit_prints_the_rows(data_dir) -> None:
    runner = CliRunner()
    asked = runner.invoke(cli, ["ask", "how many tickets are open?", "--data-dir", str(data_dir)])
    assert asked.exit_code == 0, asked.output

    shown = runner.invoke(cli, ["audit", "--json", "--data-dir", str(data_dir)])
    assert shown.exit_code == 0, shown.output
    (row,) = json.loads(shown.stdout)
    assert row["interface"] == "cli" and row["user_id"] == local_user()
    assert (row["question"], row["tools"], row["outcome"]) == (
        "how many tickets are open?", ["open_tickets"], "answered",
    )  # fmt: skip
    text = runner.invoke(cli, ["audit", "--data-dir", str(data_dir)])
    assert "UTC  cli  " in text.stdout and "open_tickets" in text.stdout


# --- nothing is lost: cleaned rows, one bad row costs only itself, a locked database waited out


@contextmanager
def locked(store: Store, settings: Settings) -> Iterator[None]:
    """Hold the audit table locked by another connection (SQLite: the whole file) while inside."""
    if store.engine.dialect.name == "sqlite":
        writer = sqlite3.connect(settings.data_dir / "district.db", isolation_level=None)
        writer.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            writer.execute("ROLLBACK")
            writer.close()
        return
    with store.engine.connect() as connection, connection.begin():
        connection.execute(text("LOCK TABLE audit_log IN ACCESS EXCLUSIVE MODE"))
        yield


def test_no_row_is_lost_under_a_locked_database_even_beside_a_bad_one(
    store: Store, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    log = AuditLog(store, retention_days=365)
    asked = [
        ("api", "how many tickets are open?", None),
        ("slack", "broken \ud800 surrogate and a NUL\x00 and a bell\x07", None),
        ("cli", "a row the database refuses", 2**70),  # no integer column holds it
        ("demo", "which contracts renew next quarter?", 12),
        ("slack", "who has C02XK1", 7),
    ]
    with caplog.at_level(logging.ERROR, logger="assistant.audit"), locked(store, settings):
        for interface, question, duration in asked:
            log.record(Pending(interface, question, user_id="U\udfffX"), duration_ms=duration)
            time.sleep(0.05)  # the writer takes the first row and waits on the lock
        time.sleep(1.0)
    assert log.flush(timeout=60)

    written = {row.question: row for row in rows(store)}
    assert set(written) == {
        "how many tickets are open?",
        "broken \ufffd surrogate and a NUL\ufffd and a bell\ufffd",
        "which contracts renew next quarter?",
        "who has C02XK1",
    }
    assert {row.user_id for row in written.values()} == {"U\ufffdX"}
    assert "could not write 1 audit row(s)" in caplog.text  # the bad row alone, said once
    assert caplog.text.count("could not write") == 2  # the batch, then the one row
