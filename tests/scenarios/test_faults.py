"""Faults end to end: the vector store gone, the database locked or unreadable.

Each story runs the app under uvicorn on 127.0.0.1 with a local Slack stand-in, on its own copy
of a small generated district, and breaks one real component: Chroma at a closed port or a
corrupted Chroma folder, another process holding SQLite's lock, a database file overwritten.
The person asking always gets an answer or a clear sentence, never a stack trace.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from assistant.api import create_app
from assistant.audit import recent
from assistant.ingesting import load_options
from assistant.settings import Settings
from assistant.store import open_district_store
from ingest.load import ingest_paths
from ingest.sample import build_district, write_exports
from tests.scenarios.test_slack_events import (
    SECRET,
    TOKEN,
    SlackStandIn,
    answered,
    clean_settings,
    event_body,
    mention,
    post,
)

AS_OF = "2026-11-23"
SEARCH = "tickets that mention a cracked screen"
UNAVAILABLE = "the search index is unavailable"
BUSY = "The database is busy right now"
SORRY = "Sorry, something went wrong"


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small district loaded once; each story copies the folder and breaks its copy."""
    folder = tmp_path_factory.mktemp("faults-base")
    settings = clean_settings(data_dir=folder)
    write_exports(build_district(anchor=dt.date.fromisoformat(AS_OF), devices=300, tickets=400,
                                 contracts=20), folder / "exports")  # fmt: skip
    store = open_district_store(settings)
    ingest_paths([folder / "exports"], store, options=load_options(settings))
    store.dispose()
    return folder


@pytest.fixture(scope="module")
def slack() -> Iterator[SlackStandIn]:
    stand_in = SlackStandIn()
    yield stand_in
    stand_in.stop()


def copy_of(district: Path, tmp_path: Path, slack: SlackStandIn, **values: Any) -> Settings:
    folder = tmp_path / "data"
    shutil.copytree(district, folder, ignore=shutil.ignore_patterns("exports"))
    return clean_settings(data_dir=folder, slack_bot_token=TOKEN, slack_signing_secret=SECRET,
                          slack_api_url=f"{slack.url}/api/", **values)  # fmt: skip


@contextmanager
def serving(settings: Settings, app: FastAPI | None = None) -> Iterator[str]:
    """The app for these settings under uvicorn on 127.0.0.1, on a port the OS picks."""
    config = uvicorn.Config(app or create_app(settings), host="127.0.0.1", port=0,
                            log_level="warning", lifespan="off")  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)


def ask(url: str, question: str) -> httpx.Response:
    return httpx.post(f"{url}/ask", json={"question": question, "as_of": AS_OF}, timeout=30)


def slack_reply(url: str, slack: SlackStandIn, channel: str, question: str) -> str:
    event = mention(channel, question)
    assert post(url, event_body(event)).status_code == 200
    return slack.wait(lambda: answered(slack, channel, event["ts"]), timeout=30).params["text"]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def close_connections(app: FastAPI) -> None:
    """Write what the audit has queued and close the app's pooled connections.

    In WAL mode a reader is blocked only by a connection in exclusive locking mode, and such a
    connection can take its lock only while no other connection has the file open: a restore or
    a maintenance job that takes over the file, as the app's next connection finds it.
    """
    assert app.state.audit.flush()
    app.state.assistant.store.dispose()


@contextmanager
def locked(database: Path, seconds: float, *, readers_too: bool) -> Iterator[threading.Thread]:
    """Another connection holds SQLite's write lock (or, ``readers_too``, the whole file)."""
    ready = threading.Event()

    def hold() -> None:
        connection = sqlite3.connect(database, isolation_level=None, timeout=10)
        if readers_too:
            connection.execute("PRAGMA locking_mode=EXCLUSIVE")
        connection.execute("BEGIN EXCLUSIVE")
        connection.execute("CREATE TABLE lock_probe (x INTEGER)")  # takes the lock for real
        ready.set()
        time.sleep(seconds)
        connection.execute("ROLLBACK")
        connection.close()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    assert ready.wait(10), "could not take the lock"
    try:
        yield thread
    finally:
        thread.join(seconds + 10)


# --- the vector store --------------------------------------------------------------------------


def test_search_says_the_index_is_unavailable_when_chroma_is_unreachable(
    district: Path, tmp_path: Path, slack: SlackStandIn
) -> None:
    settings = copy_of(district, tmp_path, slack, chroma_host="127.0.0.1",
                       chroma_port=closed_port())  # fmt: skip
    with serving(settings) as url:
        searched = ask(url, SEARCH)
        assert searched.status_code == 200
        assert UNAVAILABLE in searched.json()["answer"]
        assert searched.json()["rows"] == []
        structured = ask(url, "how many tickets are open?")
        assert structured.status_code == 200 and "open ticket" in structured.json()["answer"]

        assert UNAVAILABLE in slack_reply(url, slack, "CCHROMA", SEARCH)
        assert "open ticket" in slack_reply(url, slack, "CCHROMA", "how many tickets are open?")


def test_search_says_the_index_is_unavailable_when_its_folder_is_corrupted(
    district: Path, tmp_path: Path, slack: SlackStandIn
) -> None:
    settings = copy_of(district, tmp_path, slack)
    chroma = settings.data_dir / "chroma"
    chroma.mkdir()
    (chroma / "chroma.sqlite3").write_bytes(b"not a database at all " * 200)
    with serving(settings) as url:
        searched = ask(url, SEARCH)
        assert searched.status_code == 200 and UNAVAILABLE in searched.json()["answer"]
        assert UNAVAILABLE in slack_reply(url, slack, "CCORRUPT", SEARCH)
        assert ask(url, "which contracts renew in the next 90 days?").json()["tools"]


# --- the database locked ---------------------------------------------------------------------


def test_a_held_write_lock_does_not_stop_answers_and_the_audit_catches_up(
    district: Path, tmp_path: Path, slack: SlackStandIn
) -> None:
    settings = copy_of(district, tmp_path, slack)
    database = settings.data_dir / "district.db"
    with serving(settings) as url:
        ask(url, "how many tickets are open?")  # warm
        with locked(database, 1.0, readers_too=False):
            started = time.monotonic()
            response = ask(url, "how many tickets are open?")
            assert slack_reply(url, slack, "CWLOCK", "how many tickets are open?")
            took = time.monotonic() - started
        assert response.status_code == 200 and "open ticket" in response.json()["answer"]
        assert took < 1.0  # readers never waited for the writer (WAL)
        store = open_district_store(settings)
        deadline = time.monotonic() + 20
        while len(recent(store, days=1)) < 3:
            assert time.monotonic() < deadline, "the audit rows were not written after the lock"
            time.sleep(0.1)
        assert {r.interface for r in recent(store, days=1)} == {"api", "slack"}


def test_a_brief_lock_on_the_whole_file_is_waited_out(
    district: Path, tmp_path: Path, slack: SlackStandIn
) -> None:
    settings = copy_of(district, tmp_path, slack, database_busy_timeout_seconds=10)
    database = settings.data_dir / "district.db"
    app = create_app(settings)
    with serving(settings, app) as url:
        ask(url, "how many tickets are open?")  # warm
        close_connections(app)
        with locked(database, 1.0, readers_too=True):
            started = time.monotonic()
            response = ask(url, "how many tickets are open?")
            waited = time.monotonic() - started
            reply = slack_reply(url, slack, "CLOCK", "how many tickets are open?")
    assert response.status_code == 200 and "open ticket" in response.json()["answer"]
    assert 0.5 < waited < 10
    assert "open ticket" in reply


def test_a_lock_longer_than_the_timeout_is_a_clear_busy_message(
    district: Path, tmp_path: Path, slack: SlackStandIn
) -> None:
    settings = copy_of(district, tmp_path, slack, database_busy_timeout_seconds=0.3)
    database = settings.data_dir / "district.db"
    app = create_app(settings)
    with serving(settings, app) as url:
        ask(url, "how many tickets are open?")  # warm
        close_connections(app)
        with locked(database, 4.0, readers_too=True):
            started = time.monotonic()
            response = ask(url, "how many tickets are open?")
            took = time.monotonic() - started
            reply = slack_reply(url, slack, "CBUSYDB", "how many tickets are open?")
        assert "open ticket" in ask(url, "how many tickets are open?").json()["answer"]
    assert response.status_code == 503 and took < 3
    body = response.json()
    assert body["ok"] is False and body["status"] == 503 and body["error"].startswith(BUSY)
    assert reply.startswith(BUSY) and "Traceback" not in reply


# --- anything else -----------------------------------------------------------------------------


def test_an_unreadable_database_is_a_polite_sorry_and_a_logged_detail(
    district: Path, tmp_path: Path, slack: SlackStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    settings = copy_of(district, tmp_path, slack)
    with serving(settings) as url:
        for suffix in ("-wal", "-shm"):
            (settings.data_dir / f"district.db{suffix}").unlink(missing_ok=True)
        (settings.data_dir / "district.db").write_bytes(b"this is not a database " * 500)
        response = ask(url, "how many tickets are open?")
        reply = slack_reply(url, slack, "CUNREAD", "how many tickets are open?")
    assert response.status_code == 500
    assert response.json() == {
        "ok": False, "error": "internal error; the server log has the details", "status": 500,
    }  # fmt: skip
    assert reply.startswith(SORRY)
    posted = [json.dumps(c.params) for c in slack.of("chat.update", channel="CUNREAD")]
    assert posted and not any("Traceback" in text or "sqlite" in text for text in posted)
    assert "could not answer a question in CUNREAD" in caplog.text
    assert "file is not a database" in caplog.text
