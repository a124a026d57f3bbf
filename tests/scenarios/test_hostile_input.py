"""Hostile and careless input over real HTTP, Slack and the CLI: refused fast, never a 500.

A small generated district is loaded once per backend; the app runs under uvicorn on 127.0.0.1
with Slack configured against the local Slack stand-in. Each test sends what an attacker or a
careless user would: a 100,000-character question, a body of megabytes, a lone surrogate, a date
in the year 9999, and checks the answer is a clear refusal, quick, while ``/health`` answers.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import uvicorn
from typer.testing import CliRunner

from assistant.api import check_exposure, create_app, is_loopback, server_config
from assistant.audit import recent
from assistant.cli import app as cli
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
)
from tests.scenarios.test_slack_events import post as signed_post

AS_OF = dt.date(2026, 11, 23)
API_TOKEN = "api-token-hostile-input-5e6f"
KIOSK_TOKEN = "kiosk-token-hostile-input-0a1b"
FINANCE_TOKEN = "finance-token-hostile-input-9c8d"
AUTH = {"Authorization": f"Bearer {API_TOKEN}"}
RENEWALS = "which contracts renew in the next 90 days?"
LONG = "which contracts renew next quarter? " + "1-a@" * 25_000  # 100,036 characters
TOO_LONG = "questions are limited to 2,000 characters"


@pytest.fixture(scope="module")
def slack(backend: str) -> Iterator[SlackStandIn]:
    stand_in = SlackStandIn()
    yield stand_in
    stand_in.stop()


@pytest.fixture(scope="module")
def settings(
    tmp_path_factory: pytest.TempPathFactory, slack: SlackStandIn, module_database: str | None
) -> Settings:
    """A small district, loaded once, with Slack and an API token set."""
    folder = tmp_path_factory.mktemp("hostile")
    settings = clean_settings(
        data_dir=folder, database_url=module_database, slack_bot_token=TOKEN,
        slack_signing_secret=SECRET, slack_api_url=f"{slack.url}/api/", api_token=API_TOKEN,
        api_tokens={"kiosk": KIOSK_TOKEN, "finance": FINANCE_TOKEN},
        finance_allowed_channels=["CFINANCE"], finance_allowed_users=["api:finance"],
    )  # fmt: skip
    district = build_district(anchor=AS_OF, devices=150, tickets=150, contracts=12)
    write_exports(district, folder / "exports")
    store = open_district_store(settings)
    reports = ingest_paths([folder / "exports"], store, options=load_options(settings))
    assert all(r.ok for r in reports)
    store.dispose()
    return settings


def start(settings: Settings) -> tuple[uvicorn.Server, threading.Thread, str]:
    """The app under uvicorn as ``serve`` configures it, on 127.0.0.1 and a port the OS picks."""
    app = create_app(settings)
    runner = uvicorn.Server(server_config(app, settings, "127.0.0.1", 0, log_level="warning",
                                          lifespan="off"))  # fmt: skip
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not runner.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert runner.started, "uvicorn did not start"
    return runner, thread, f"http://127.0.0.1:{runner.servers[0].sockets[0].getsockname()[1]}"


@pytest.fixture(scope="module")
def server(settings: Settings) -> Iterator[str]:
    runner, thread, url = start(settings)
    yield url
    runner.should_exit = True
    thread.join(10)


def ask(server: str, body: Any, **kwargs: Any) -> httpx.Response:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {**AUTH, "Content-Type": "application/json", **kwargs.pop("headers", {})}
    return httpx.post(f"{server}/ask", content=data, headers=headers, timeout=30, **kwargs)


# --- 1. bounded input ----------------------------------------------------------------------------


def test_a_100k_question_is_refused_in_under_0_2_s_while_health_answers(server: str) -> None:
    ask(server, {"question": "how many tickets are open?", "as_of": str(AS_OF)})  # warm: answers
    assert ask(server, {"question": "x" * 2001}).status_code == 422  # and the refusal's template
    health: list[int] = []
    stop = threading.Event()

    def poll() -> None:
        with httpx.Client(base_url=server, timeout=5) as client:
            while not stop.is_set():
                health.append(client.get("/health").status_code)
                time.sleep(0.01)

    poller = threading.Thread(target=poll)
    poller.start()
    times = []
    try:
        for _ in range(3):  # the best of three: a shared, busy test machine adds its own pauses
            started = time.perf_counter()
            response = ask(server, {"question": LONG, "as_of": str(AS_OF)})
            times.append(time.perf_counter() - started)
    finally:
        stop.set()
        poller.join(10)
    assert response.status_code == 422
    assert response.json() == {"ok": False, "status": 422, "error": response.json()["error"]}
    assert "100,036 characters long" in response.json()["error"]
    assert TOO_LONG in response.json()["error"]
    assert min(times) < 0.2 and max(times) < 2, times  # the quadratic pattern took 30 s and more
    assert health and set(health) == {200}


def test_a_body_over_the_limit_is_a_413_before_it_is_read(server: str) -> None:
    big = json.dumps({"question": "x" * 2_000_000}).encode()
    response = ask(server, big)
    assert response.status_code == 413
    assert response.json()["error"] == "the request body is larger than 1,048,576 bytes"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"question": "'
        for _ in range(40):
            yield b"y" * 65_536
        yield b'"}'

    chunked = httpx.post(f"{server}/ask", content=chunks(), headers=AUTH, timeout=30)
    assert chunked.status_code == 413


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"question": "how many tickets are open?", "as_of": "9999-12-31"}, "outside that range"),
        ({"question": "how many tickets are open?", "as_of": "0001-01-01"}, "outside that range"),
        ({"question": "how many tickets are open?", "as_of": "2026-02-30"}, "as_of"),
        ({"question": "tickets at \ud800 lincoln?"}, "U+D800"),
        ({"question": "tickets\x00 at lincoln?"}, "U+0000"),
    ],
    ids=["year-9999", "year-1", "feb-30", "lone-surrogate", "nul"],
)
def test_an_invalid_date_or_character_is_a_422_never_a_500(
    server: str, body: dict[str, str], words: str
) -> None:
    raw = json.dumps(body).encode()  # json.dumps writes a lone surrogate as \ud800, as a client may
    response = ask(server, raw)
    assert response.status_code == 422, response.text
    assert words in response.json()["error"]


def test_the_digest_of_year_9999_is_a_422(server: str) -> None:
    response = httpx.get(f"{server}/digest", params={"as_of": "9999-12-31"}, headers=AUTH)
    assert response.status_code == 422
    assert "outside that range" in response.json()["error"]


def test_the_cli_refuses_a_long_question_with_one_error_line(settings: Settings) -> None:
    started = time.perf_counter()
    result = CliRunner().invoke(cli, ["ask", LONG, "--data-dir", str(settings.data_dir),
                                      *db_option(settings)])  # fmt: skip
    assert time.perf_counter() - started < 5  # the CLI's own start-up included
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: That question is 100,036 characters long;")
    assert TOO_LONG in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_long_slack_message_is_answered_with_the_limit(server: str, slack: SlackStandIn) -> None:
    event = mention("CLONG", "what renews? " + "lincoln " * 5_000)  # Slack allows 40,000
    assert signed_post(server, event_body(event)).status_code == 200
    reply = slack.wait(lambda: answered(slack, "CLONG", event["ts"]))
    assert TOO_LONG in reply.params["text"]


def test_the_limit_is_a_setting(settings: Settings) -> None:
    narrow = Settings(data_dir=settings.data_dir, database_url=settings.database_url,
                      max_question_chars=20)  # fmt: skip
    from assistant.answer import Assistant
    from assistant.limits import QuestionRefused

    assistant = Assistant(open_district_store(narrow), narrow)
    with pytest.raises(QuestionRefused, match="limited to 20 characters"):
        assistant.ask("how many tickets are open right now?", as_of=AS_OF)
    assert assistant.ask("open tickets?", as_of=AS_OF).tools


def db_option(settings: Settings) -> list[str]:
    return ["--database-url", settings.database_url] if settings.database_url else []


# --- 2. the API is closed by default ---------------------------------------------------------------


def test_serve_refuses_a_public_host_without_a_token(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--data-dir", str(tmp_path),
                                      "--no-scheduler", "--no-index"])  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: --host 0.0.0.0 is reachable from other machines and "
                                    "DISTRICT_ASSISTANT_API_TOKEN is not set; set it")  # fmt: skip
    assert not (tmp_path / "district.db").exists()  # refused before anything opened


def test_exposure_is_judged_by_address() -> None:
    open_settings = Settings(data_dir=Path("/nonexistent"))
    assert [is_loopback(h) for h in ("127.0.0.1", "127.8.0.1", "::1", "[::1]", "localhost")] == [
        True
    ] * 5
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "10.0.0.5", "district.example.org"))
    assert "answers anyone on this machine" in (check_exposure(open_settings, "127.0.0.1") or "")
    token = Settings(data_dir=Path("/nonexistent"), api_tokens={"kiosk": KIOSK_TOKEN})
    assert check_exposure(token, "0.0.0.0") is None


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_finance_answers_over_the_api_follow_the_allowlist(server: str, settings: Settings) -> None:
    body = {"question": RENEWALS, "as_of": str(AS_OF)}
    allowed = ask(server, body, headers=bearer(FINANCE_TOKEN))
    assert allowed.status_code == 200, allowed.text
    assert allowed.json()["tools"][0]["name"] == "contracts_renewing"
    for token in (API_TOKEN, KIOSK_TOKEN):  # neither api nor api:kiosk is listed
        refused = ask(server, body, headers=bearer(token))
        assert refused.status_code == 403, refused.text
        assert "contract and budget answers are limited to <#CFINANCE>" in refused.json()["error"]
        assert "renew" not in json.dumps(refused.json()).replace(RENEWALS, "")
    plain = ask(server, {"question": "how many tickets are open?"}, headers=bearer(KIOSK_TOKEN))
    assert plain.status_code == 200
    digest = httpx.get(
        f"{server}/digest", params={"as_of": str(AS_OF)}, headers=bearer(KIOSK_TOKEN)
    )
    assert "renewals" not in [section["key"] for section in digest.json()["sections"]]
    store = open_district_store(settings)
    rows = [(r.user_id, r.outcome) for r in recent(store, days=1) if r.question == RENEWALS]
    store.dispose()
    assert ("api:kiosk@127.0.0.1", "not_allowed") in rows
    assert ("api:finance@127.0.0.1", "answered") in rows


def test_a_wrong_token_is_refused_whichever_tokens_exist(server: str) -> None:
    for headers in ({}, bearer("kiosk"), bearer(KIOSK_TOKEN + "x"), {"Authorization": KIOSK_TOKEN}):
        response = httpx.post(f"{server}/ask", json={"question": "open tickets?"}, headers=headers)
        assert response.status_code == 401


def asked_as(settings: Settings, question: str) -> str:
    store = open_district_store(settings)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            rows = [r.user_id for r in recent(store, days=1) if r.question == question]
            if rows:
                return rows[0] or ""
            time.sleep(0.05)
    finally:
        store.dispose()
    pytest.fail(f"no audit row for {question!r}")


def test_x_forwarded_for_is_trusted_only_from_a_configured_proxy(
    server: str, settings: Settings
) -> None:
    forged = {**bearer(KIOSK_TOKEN), "X-Forwarded-For": "203.0.113.9"}
    ask(server, {"question": "open tickets at lincoln?"}, headers=forged)
    assert asked_as(settings, "open tickets at lincoln?") == "api:kiosk@127.0.0.1"

    proxied = settings.model_copy(update={"api_trusted_proxies": ["127.0.0.1"]})
    runner, thread, url = start(proxied)
    try:
        ask(url, {"question": "open tickets at washington?"}, headers=forged)
    finally:
        runner.should_exit = True
        thread.join(10)
    assert asked_as(settings, "open tickets at washington?") == "api:kiosk@203.0.113.9"


# --- 4. secrets, permissions, database URLs ----------------------------------------------------

OPENAI_KEY = "sk-proj-openai-hostile-3f9a77"
ANTHROPIC_KEY = "sk-ant-api03-hostile-41bc"


def test_every_provider_key_is_masked_in_the_audit_log_and_the_logs(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
    monkeypatch.setenv("ANTHROPIC_API_KEY", ANTHROPIC_KEY)
    question = f"is {OPENAI_KEY} or {ANTHROPIC_KEY} in any ticket?"
    with caplog.at_level(logging.DEBUG):
        result = CliRunner().invoke(cli, ["ask", question, "--data-dir", str(settings.data_dir),
                                          *db_option(settings)])  # fmt: skip
        logging.getLogger("tests").warning("the key was %s", OPENAI_KEY)
    assert result.exit_code == 0, result.output
    store = open_district_store(settings)
    stored = [r.question for r in recent(store, days=1) if r.question.startswith("is [redacted]")]
    store.dispose()
    assert stored == ["is [redacted] or [redacted] in any ticket?"]
    assert OPENAI_KEY not in caplog.text and "the key was [redacted]" in caplog.text
    env_settings = Settings()
    assert env_settings.provider_key("openai").get_secret_value() == OPENAI_KEY  # type: ignore[union-attr]
    assert env_settings.provider_key("anthropic").get_secret_value() == ANTHROPIC_KEY  # type: ignore[union-attr]
    assert OPENAI_KEY not in repr(env_settings) and ANTHROPIC_KEY not in repr(env_settings)


@pytest.mark.sqlite_only(reason="file permissions of the SQLite database")
def test_the_data_folder_is_made_0700_and_the_database_0600(tmp_path: Path, backend: str) -> None:
    data = tmp_path / "fresh" / "district-data"
    result = CliRunner().invoke(cli, ["quality", "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "district.db").stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("url", "line"),
    [
        ("mysql://root:Hunter2-pw@db/district", "database_url: unsupported database 'mysql'; use "
         "sqlite:///PATH or postgresql://USER@HOST/DB"),
        ("oracle+cx_oracle://u:Hunter2-pw@h/x", "database_url: unsupported database 'oracle'"),
        ("not a url Hunter2-pw", "database_url: database_url must be a SQLAlchemy URL"),
    ],
)  # fmt: skip
def test_an_unsupported_database_url_is_a_one_line_error(
    tmp_path: Path, url: str, line: str
) -> None:
    result = CliRunner().invoke(
        cli, ["quality", "--data-dir", str(tmp_path), "--database-url", url]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: invalid settings: {line}")
    assert result.stderr.count("\n") == 1
    assert "Hunter2" not in result.stderr


# --- 7. Slack: replays and retries are handled once, by whichever worker -------------------------


def slash(slack: SlackStandIn, trigger: str, channel: str) -> str:
    reply_to = quote(f"{slack.url}/respond/{trigger}", safe="")
    return (f"command=%2Fdistrict&text=how+many+tickets+are+open%3F&channel_id={channel}"
            f"&user_id=U1&team_id=T1&trigger_id={trigger}&response_url={reply_to}")  # fmt: skip


def test_a_replayed_slash_command_is_answered_once(server: str, slack: SlackStandIn) -> None:
    body = slash(slack, "trigger-replay-1", "CREPLAY")
    first = signed_post(server, body, kind="application/x-www-form-urlencoded")
    assert first.status_code == 200 and "Looking" in first.text
    slack.wait(lambda: [c for c in slack.calls if c.path == "/respond/trigger-replay-1"])
    replay = signed_post(server, body, kind="application/x-www-form-urlencoded")
    assert replay.status_code == 200 and replay.text == ""  # acknowledged, not run again
    sentinel_command(server, slack)
    assert len([c for c in slack.calls if c.path == "/respond/trigger-replay-1"]) == 1


def sentinel_command(server: str, slack: SlackStandIn) -> None:
    """A fresh command, answered: anything sent before it has been handled too."""
    trigger = f"trigger-sentinel-{time.monotonic_ns()}"
    signed_post(server, slash(slack, trigger, "CSENT"), kind="application/x-www-form-urlencoded")
    slack.wait(lambda: [c for c in slack.calls if c.path == f"/respond/{trigger}"])


def test_two_workers_share_what_they_have_seen(
    server: str, settings: Settings, slack: SlackStandIn
) -> None:
    other, thread, second = start(settings)  # a second worker: its own app, store and memory
    try:
        event = mention("CWORKERS", "how many tickets are open?")
        body = event_body(event, event_id="EvSHARED1")
        assert signed_post(server, body).status_code == 200
        slack.wait(lambda: answered(slack, "CWORKERS", event["ts"]))
        assert signed_post(second, body, headers={"X-Slack-Retry-Num": "1",
                                                  "X-Slack-Retry-Reason": "http_error"}).status_code == 200  # fmt: skip
        command = slash(slack, "trigger-shared-1", "CWORKERS")
        kind = "application/x-www-form-urlencoded"
        assert signed_post(second, command, kind=kind).status_code == 200
        slack.wait(lambda: [c for c in slack.calls if c.path == "/respond/trigger-shared-1"])
        assert signed_post(server, command, kind=kind).text == ""
        sentinel_command(second, slack)
        sentinel_command(server, slack)
    finally:
        other.should_exit = True
        thread.join(10)
    assert len(slack.of("chat.postMessage", channel="CWORKERS", thread_ts=event["ts"])) == 1
    assert len([c for c in slack.calls if c.path == "/respond/trigger-shared-1"]) == 1
