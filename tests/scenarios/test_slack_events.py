"""Slack end to end, over real HTTP: signed requests to the app under uvicorn, a Slack stand-in.

The FastAPI app runs under uvicorn on 127.0.0.1 (a free port), the Slack Web API is a local
``http.server`` on port 0 passed in as ``SLACK_API_URL`` that records every call, and every request
is signed with the signing secret the way Slack signs it. Both servers stop after the module.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import httpx
import pytest
import uvicorn
from pydantic import SecretStr
from slack_sdk.signature import SignatureVerifier
from typer.testing import CliRunner

from assistant.answer import Assistant
from assistant.api import create_app
from assistant.cli import app as cli
from assistant.ingesting import load_options
from assistant.settings import Settings
from assistant.slack import create_slack_app, rows_csv, socket_mode_handler
from assistant.store import open_district_store
from ingest.load import ingest_paths
from ingest.sample import generate

TOKEN = "xoxb-district-test-0123456789"
SECRET = "test-signing-secret-5f1c"
CLEARED = ("SLACK_", "DISTRICT_ASSISTANT_", "OPENAI_", "ANTHROPIC_", "CHROMA_", "DIGEST_")
WAIT = 20.0
_ids = itertools.count(1)


# --- the Slack stand-in ----------------------------------------------------------------------


@dataclass
class Call:
    """One request the stand-in received."""

    method: str
    path: str
    params: dict[str, Any]
    body: bytes
    authorization: str | None
    reply: dict[str, Any] | None = None


class SlackStandIn:
    """Slack's Web API on 127.0.0.1, port 0: records every call and answers ``ok``."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._lock = threading.Lock()
        self._ts = itertools.count(1)
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                stand_in._handle(self)

            do_GET = do_POST

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        body = request.rfile.read(int(request.headers.get("Content-Length") or 0))
        params: dict[str, Any] = dict(parse_qsl(parts.query))
        kind = request.headers.get("Content-Type") or ""
        segments = parts.path.strip("/").split("/")  # /api/chat.postMessage, /upload/F1, /respond/1
        method = segments[1] if segments[0] == "api" else segments[0]
        if method != "upload":  # an upload is raw file bytes, whatever its content type says
            if "json" in kind and body:
                params.update(json.loads(body))
            elif "x-www-form-urlencoded" in kind:
                params.update(parse_qsl(body.decode()))
        call = Call(method, parts.path, params, body, request.headers.get("Authorization"))
        with self._lock:
            call.reply = reply = self._reply(call)
            self.calls.append(call)
        data = json.dumps(reply).encode()
        request.send_response(200)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)

    def _reply(self, call: Call) -> dict[str, Any]:
        match call.method:
            case "auth.test":
                return {"ok": True, "team_id": "T1", "user_id": "UBOT", "bot_id": "BBOT",
                        "user": "district-assistant", "team": "District"}  # fmt: skip
            case "chat.postMessage" | "chat.update":
                ts = call.params.get("ts") or f"1800000000.{next(self._ts):06d}"
                return {"ok": True, "channel": call.params.get("channel"), "ts": ts}
            case "files.getUploadURLExternal":
                file_id = f"F{next(self._ts):06d}"
                return {
                    "ok": True,
                    "file_id": file_id,
                    "upload_url": f"{self.url}/upload/{file_id}",
                }
            case "files.completeUploadExternal":
                files = json.loads(call.params["files"])
                return {
                    "ok": True,
                    "files": [{"id": f["id"], "title": f.get("title")} for f in files],
                }
            case _:
                return {"ok": True}

    def of(self, method: str, **match: Any) -> list[Call]:
        """Calls of one method whose params include ``match``."""
        with self._lock:
            calls = list(self.calls)
        return [
            c for c in calls
            if c.method == method and all(c.params.get(k) == v for k, v in match.items())
        ]  # fmt: skip

    def wait(self, done: Callable[[], Any], timeout: float = WAIT) -> Any:
        """Poll until ``done()`` is truthy; fail the test after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if result := done():
                return result
            time.sleep(0.05)
        pytest.fail(f"timed out; calls so far: {[c.method for c in self.calls]}")


# --- fixtures --------------------------------------------------------------------------------


def clean_settings(**values: Any) -> Settings:
    """Settings from keywords only: no developer's SLACK_* or DISTRICT_ASSISTANT_* leaks in."""
    with pytest.MonkeyPatch.context() as patch:
        import os

        for name in list(os.environ):
            if name.startswith(CLEARED):
                patch.delenv(name)
        return Settings(**values)


@pytest.fixture(scope="module")
def slack(backend: str) -> Iterator[SlackStandIn]:
    """A fresh stand-in per backend, so one half's recorded calls never answer the other's."""
    stand_in = SlackStandIn()
    yield stand_in
    stand_in.stop()


@pytest.fixture(scope="module")
def settings(
    tmp_path_factory: pytest.TempPathFactory, slack: SlackStandIn, module_database: str | None
) -> Settings:
    """The sample district, made for today, loaded into a temporary data dir."""
    folder = tmp_path_factory.mktemp("slack")
    values = dict(data_dir=folder, database_url=module_database, slack_bot_token=TOKEN, slack_signing_secret=SECRET,
                  slack_api_url=f"{slack.url}/api/", digest_channel="CDIGEST")  # fmt: skip
    settings = clean_settings(**values)
    generate(folder / "exports", anchor=settings.today())
    store = open_district_store(settings)
    ingest_paths([folder / "exports"], store, options=load_options(settings))
    return settings


@pytest.fixture(scope="module")
def server(settings: Settings) -> Iterator[str]:
    """The FastAPI app under uvicorn on 127.0.0.1, on a port the OS picks."""
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=0, log_level="warning",
                            lifespan="off")  # fmt: skip
    runner = uvicorn.Server(config)
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not runner.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert runner.started, "uvicorn did not start"
    port = runner.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    runner.should_exit = True
    thread.join(10)


@pytest.fixture(autouse=True)
def no_token_in_any_message(slack: SlackStandIn) -> Iterator[None]:
    """After every test: the bot token went only in the Authorization header, never in a body."""
    yield
    for call in list(slack.calls):
        assert TOKEN not in call.body.decode("utf-8", "replace"), call.method
        assert TOKEN not in json.dumps(call.params, default=str), call.method
        assert call.authorization in (None, f"Bearer {TOKEN}"), call.method


def post(url: str, body: str, *, kind: str = "application/json", secret: str = SECRET,
         timestamp: int | None = None, headers: dict[str, str] | None = None) -> httpx.Response:  # fmt: skip
    """POST ``body`` to /slack/events signed the way Slack signs it."""
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    sent = {"Content-Type": kind, "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature, **(headers or {})}  # fmt: skip
    return httpx.post(f"{url}/slack/events", content=body.encode(), headers=sent, timeout=10)


def event_body(event: dict[str, Any], event_id: str | None = None) -> str:
    return json.dumps({
        "token": "unused", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
        "event_id": event_id or f"Ev{next(_ids):08d}", "event_time": int(time.time()),
        "event": event,
    })  # fmt: skip


def mention(channel: str, text: str, ts: str | None = None) -> dict[str, Any]:
    ts = ts or f"1700000000.{next(_ids):06d}"
    return {"type": "app_mention", "user": "U1", "text": f"<@UBOT> {text}", "ts": ts,
            "channel": channel, "event_ts": ts}  # fmt: skip


def dm(channel: str, text: str, **extra: Any) -> dict[str, Any]:
    ts = f"1700000000.{next(_ids):06d}"
    return {"type": "message", "channel_type": "im", "user": "U1", "text": text, "ts": ts,
            "channel": channel, "event_ts": ts, **extra}  # fmt: skip


def answered(slack: SlackStandIn, channel: str, ts: str) -> Call | None:
    """The chat.update that replaced the "looking…" reply to message ``ts``, once it exists."""
    looking = slack.of("chat.postMessage", channel=channel, thread_ts=ts)
    if not looking:
        return None
    updates = slack.of("chat.update", channel=channel, ts=looking[0].reply["ts"])
    return updates[0] if updates else None


def sentinel(url: str, slack: SlackStandIn, channel: str) -> None:
    """A message that is answered; once it is, anything sent before it was handled too."""
    event = dm(channel, "how many tickets are open?")
    assert post(url, event_body(event)).status_code == 200
    slack.wait(lambda: answered(slack, channel, event["ts"]))


# --- the stories -----------------------------------------------------------------------------


def test_building_the_app_calls_nothing(settings: Settings, slack: SlackStandIn) -> None:
    offline = settings.model_copy(update={"slack_api_url": "http://127.0.0.1:9/api/"})
    assistant = Assistant(open_district_store(settings), settings)
    before = len(slack.calls)
    create_slack_app(offline, assistant)
    assert len(slack.calls) == before


def test_url_verification_returns_the_challenge(server: str) -> None:
    body = json.dumps({"token": "unused", "challenge": "c-123", "type": "url_verification"})
    response = post(server, body)
    assert response.status_code == 200
    assert response.json() == {"challenge": "c-123"}


def test_a_mention_is_answered_in_its_thread(server: str, slack: SlackStandIn, settings) -> None:
    event = mention("CMENTION", "which contracts renew in the next 90 days?")
    started = time.monotonic()
    response = post(server, event_body(event))
    assert response.status_code == 200
    assert time.monotonic() - started < 3
    update = slack.wait(lambda: answered(slack, "CMENTION", event["ts"]))
    looking = slack.of("chat.postMessage", channel="CMENTION", thread_ts=event["ts"])
    assert [c.params["text"] for c in looking] == ["_looking…_"]
    assistant = Assistant(open_district_store(settings), settings)
    expected = assistant.ask("which contracts renew in the next 90 days?")
    assert update.params["text"] == expected.answer
    blocks = update.params["blocks"]
    assert blocks[0]["text"]["text"] == expected.answer.splitlines()[0]
    assert blocks[1]["text"]["text"].startswith("```")
    assert any(b["type"] == "context" and "from:" in b["elements"][0]["text"] for b in blocks)
    button = blocks[-1]["elements"][0]
    assert button["action_id"] == "district_csv"
    assert json.loads(button["value"])["tool"] == "contracts_renewing"


def test_a_direct_message_is_answered_in_its_thread(server: str, slack: SlackStandIn) -> None:
    event = dm("DIRECT1", "how many tickets are open?")
    assert post(server, event_body(event)).status_code == 200
    update = slack.wait(lambda: answered(slack, "DIRECT1", event["ts"]))
    assert "open ticket" in update.params["text"]


def test_a_follow_up_in_the_thread_keeps_the_question(server: str, slack: SlackStandIn) -> None:
    first = dm("DIRECT2", "which contracts renew in the next 90 days?")
    assert post(server, event_body(first)).status_code == 200
    slack.wait(lambda: answered(slack, "DIRECT2", first["ts"]))
    follow = dm("DIRECT2", "and the quarter after?", thread_ts=first["ts"])
    assert post(server, event_body(follow)).status_code == 200
    looking = slack.wait(lambda: len(slack.of("chat.update", channel="DIRECT2")) == 2)
    assert looking
    replies = slack.of("chat.postMessage", channel="DIRECT2", thread_ts=first["ts"])
    assert len(replies) == 2  # both answers in the first message's thread


def test_the_slash_command_acks_at_once_and_answers_in_the_channel(
    server: str, slack: SlackStandIn
) -> None:
    body = ("command=%2Fdistrict&text=how+many+tickets+are+open%3F&channel_id=CCMD&user_id=U1"
            f"&team_id=T1&trigger_id=t1&response_url={quote(slack.url + '/respond/cmd1', safe='')}")  # fmt: skip
    started = time.monotonic()
    response = post(server, body, kind="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert time.monotonic() - started < 3
    assert "Looking" in response.text
    reply = slack.wait(lambda: slack.of("respond"))[0]
    assert reply.params["response_type"] == "in_channel"
    assert "open ticket" in reply.params["text"]
    assert reply.params["blocks"][0]["type"] == "section"


def test_an_empty_slash_command_explains_itself(server: str) -> None:
    body = "command=%2Fdistrict&text=&channel_id=CCMD&user_id=U1&team_id=T1&trigger_id=t2"
    response = post(server, body, kind="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert "/district digest" in response.text


def test_slash_digest_posts_the_digest_with_its_images(server: str, slack: SlackStandIn) -> None:
    body = ("command=%2Fdistrict&text=digest&channel_id=CDIGEST2&user_id=U1&team_id=T1"
            f"&trigger_id=t3&response_url={quote(slack.url + '/respond/cmd2', safe='')}")  # fmt: skip
    assert post(server, body, kind="application/x-www-form-urlencoded").status_code == 200
    done = slack.wait(lambda: slack.of("files.completeUploadExternal", channel_id="CDIGEST2"))
    message = slack.of("chat.postMessage", channel="CDIGEST2")[0]
    assert message.params["blocks"][0]["type"] == "header"
    assert "Renewals" in message.params["text"]
    assert_two_png_uploads(slack, done[0])


def assert_two_png_uploads(slack: SlackStandIn, completion: Call) -> None:
    """Both charts went through files.getUploadURLExternal, the upload URL, and the completion."""
    files = json.loads(completion.params["files"])
    titles = {f["title"] for f in files}
    assert titles == {"Tickets opened per week", "Replacement budget by fiscal year"}
    for f in files:
        assert [c for c in slack.of("files.getUploadURLExternal") if c.reply["file_id"] == f["id"]]
        (upload,) = [c for c in slack.of("upload") if c.path == f"/upload/{f['id']}"]
        assert upload.body.startswith(b"\x89PNG\r\n\x1a\n")


def test_digest_post_from_the_command_line(settings: Settings, slack: SlackStandIn,
                                           monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("SLACK_API_URL", f"{slack.url}/api/")
    monkeypatch.setenv("DIGEST_CHANNEL", "CWEEKLY")
    result = CliRunner().invoke(cli, ["digest", "--post", "--data-dir", str(settings.data_dir)])
    assert result.exit_code == 0, result.output
    assert "Posted the digest to CWEEKLY." in result.stderr
    assert slack.of("chat.postMessage", channel="CWEEKLY")
    assert_two_png_uploads(slack, slack.of("files.completeUploadExternal", channel_id="CWEEKLY")[0])


def test_a_bad_signature_gets_401_and_no_post(server: str, slack: SlackStandIn) -> None:
    event = mention("CBAD", "how many tickets are open?")
    response = post(server, event_body(event), secret="not-the-secret")
    assert response.status_code == 401
    sentinel(server, slack, "CBAD")
    assert not slack.of("chat.postMessage", channel="CBAD", thread_ts=event["ts"])


def test_a_stale_timestamp_is_rejected(server: str, slack: SlackStandIn) -> None:
    event = mention("CSTALE", "how many tickets are open?")
    response = post(server, event_body(event), timestamp=int(time.time()) - 600)
    assert response.status_code == 401
    sentinel(server, slack, "CSTALE")
    assert not slack.of("chat.postMessage", channel="CSTALE", thread_ts=event["ts"])


def test_a_retried_delivery_is_answered_once(server: str, slack: SlackStandIn) -> None:
    event = mention("CRETRY", "how many tickets are open?")
    body = event_body(event, event_id="EvRETRY1")
    assert post(server, body).status_code == 200
    slack.wait(lambda: answered(slack, "CRETRY", event["ts"]))
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error"}
    assert post(server, body, headers=retry).status_code == 200
    timed_out = mention("CRETRY", "how many tickets are open?")
    timeout = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert post(server, event_body(timed_out), headers=timeout).status_code == 200
    sentinel(server, slack, "CRETRY")
    assert len(slack.of("chat.postMessage", channel="CRETRY", thread_ts=event["ts"])) == 1
    assert not slack.of("chat.postMessage", channel="CRETRY", thread_ts=timed_out["ts"])


def test_own_and_other_bots_messages_are_ignored(server: str, slack: SlackStandIn) -> None:
    own = dm("DBOTS", "how many tickets are open?", user="UBOT", bot_id="BBOT")
    other = dm("DBOTS", "how many tickets are open?", bot_id="BOTHER", subtype="bot_message")
    edited = dm("DBOTS", "how many tickets are open?", subtype="message_changed")
    for event in (own, other, edited):
        assert post(server, event_body(event)).status_code == 200
    sentinel(server, slack, "DBOTS")
    assert len(slack.of("chat.postMessage", channel="DBOTS")) == 1


def test_twenty_concurrent_mentions_are_each_answered_once(
    server: str, slack: SlackStandIn
) -> None:
    events = [mention("CBUSY", "how many tickets are open?") for _ in range(20)]
    with ThreadPoolExecutor(20) as pool:
        statuses = list(pool.map(lambda e: post(server, event_body(e)).status_code, events))
    assert statuses == [200] * 20
    slack.wait(lambda: all(answered(slack, "CBUSY", e["ts"]) for e in events), timeout=60)
    time.sleep(0.3)
    for event in events:
        looking = slack.of("chat.postMessage", channel="CBUSY", thread_ts=event["ts"])
        assert len(looking) == 1
        assert len(slack.of("chat.update", channel="CBUSY", ts=looking[0].reply["ts"])) == 1


def test_the_csv_button_uploads_the_full_list_in_the_thread(
    server: str, slack: SlackStandIn
) -> None:
    event = mention("CCSV", "which contracts renew in the next 90 days?")
    assert post(server, event_body(event)).status_code == 200
    update = slack.wait(lambda: answered(slack, "CCSV", event["ts"]))
    value = update.params["blocks"][-1]["elements"][0]["value"]
    payload = {
        "type": "block_actions", "user": {"id": "U1"}, "team": {"id": "T1"}, "api_app_id": "A1",
        "channel": {"id": "CCSV"}, "trigger_id": "t4",
        "container": {"type": "message", "message_ts": update.params["ts"], "channel_id": "CCSV"},
        "message": {"ts": update.params["ts"], "thread_ts": event["ts"], "text": "…"},
        "response_url": f"{slack.url}/respond/act1",
        "actions": [{"type": "button", "action_id": "district_csv", "block_id": "b1",
                     "value": value, "action_ts": "1"}],
    }  # fmt: skip
    body = "payload=" + quote(json.dumps(payload))
    assert post(server, body, kind="application/x-www-form-urlencoded").status_code == 200
    done = slack.wait(lambda: slack.of("files.completeUploadExternal", channel_id="CCSV"))
    assert done[0].params["thread_ts"] == event["ts"]
    csv_text = slack.of("upload")[-1].body.decode()
    header, *rows = csv_text.strip().splitlines()
    assert header.startswith("vendor,product,renewal_date")
    count = int(update.params["text"].split()[0].strip("*"))
    assert len(rows) == count


def test_an_error_is_a_polite_message_in_the_thread(
    server: str, slack: SlackStandIn, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: Assistant, question: str, **_kwargs: Any) -> None:
        raise RuntimeError(f"database exploded; token {TOKEN}")

    monkeypatch.setattr(Assistant, "ask", broken)
    event = mention("CERROR", "how many tickets are open?")
    assert post(server, event_body(event)).status_code == 200
    update = slack.wait(lambda: answered(slack, "CERROR", event["ts"]))
    assert update.params["text"].startswith("Sorry, something went wrong")
    assert "Traceback" not in update.params["text"] and "exploded" not in update.params["text"]


def test_socket_mode_needs_the_app_token(settings: Settings) -> None:
    assistant = Assistant(open_district_store(settings), settings)
    with pytest.raises(ValueError, match="SLACK_APP_TOKEN"):
        socket_mode_handler(settings, assistant)
    handler = socket_mode_handler(
        settings.model_copy(update={"slack_app_token": SecretStr("xapp-1-test")}), assistant
    )
    assert handler.app_token == "xapp-1-test"
    assert handler.app.client.base_url == settings.slack_api_url


def test_csv_cells_that_look_like_formulas_are_escaped() -> None:
    rows = [{"name": "=HYPERLINK(\"x\")", "note": "+1", "who": "@me", "dash": "-2", "ok": "fine",
             "n": 3, "devices": ["A", "B"]}]  # fmt: skip
    text = rows_csv(rows)
    assert text.splitlines()[1] == '"\'=HYPERLINK(""x"")",\'+1,\'@me,\'-2,fine,3,A; B'


def test_settings_tokens_never_print(settings: Settings) -> None:
    assert TOKEN not in repr(settings) and SECRET not in str(settings)
