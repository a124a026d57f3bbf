"""`ask --json` through langchain-openai against a local OpenAI-compatible stand-in (127.0.0.1).

The stand-in plays a district's own vLLM or llama.cpp server: it serves
``POST /v1/chat/completions`` with scripted replies (tool calls, then a final text, or an HTTP
error, or a reply too slow to wait for) and records every request, so the tests can check what the
model was sent: the system prompt, the tool schemas, the tool results. The same faults are then
seen from Slack: a signed mention gets the built-in answer with its note, never a stack trace.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

from assistant.agent import unquote
from assistant.api import create_app
from assistant.cli import app
from assistant.settings import Settings
from assistant.store import open_district_store
from ingest.load import ingest_paths
from tests.assistant.test_agent import COMPOSED_FIRST_LINE, GOOD_ANSWER, NEXT_QUARTER, TRACKER
from tests.scenarios.test_slack_events import SlackStandIn, answered, event_body, mention
from tests.scenarios.test_slack_events import post as post_signed
from tools.registry import TOOLS

API_KEY = "sk-local-test-7f3a9c"
SLACK_TOKEN = "xoxb-llm-test-0123456789"
SLACK_SECRET = "llm-test-signing-secret-9d2e"
FALLBACK = "_(the language model was unavailable, so this is the built-in answer)_"
PLANNER_FIRST_LINE = "*3 contracts renew in FY2027 Q3"
runner = CliRunner()


class StandIn(ThreadingHTTPServer):
    """An OpenAI-compatible chat completions endpoint that replays a script."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.script: list[dict[str, Any]] = []
        self.requests: list[dict[str, Any]] = []
        self.headers_seen: list[dict[str, str]] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class Handler(BaseHTTPRequestHandler):
    server: StandIn

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append(body)
        self.server.headers_seen.append({k.lower(): v for k, v in self.headers.items()})
        step = self.server.script.pop(0) if self.server.script else {"status": 500}
        time.sleep(step.get("sleep", 0))
        payload = json.dumps(step.get("body", {"error": {"message": "scripted failure"}}))
        try:
            self.send_response(step.get("status", 200))
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload.encode())
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting, as it should

    def log_message(self, *args: Any) -> None:
        pass


def completion(content: str | None = None, tool_calls: list[tuple[str, dict]] = ()) -> dict:
    """One scripted reply in the chat completions format."""
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if tool_calls:
        message["tool_calls"] = [
            {"id": f"call_{i}", "type": "function",
             "function": {"name": name, "arguments": json.dumps(args)}}
            for i, (name, args) in enumerate(tool_calls)
        ]  # fmt: skip
    return {"body": {
        "id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": "local-model",
        "choices": [{"index": 0, "message": message,
                     "finish_reason": "tool_calls" if tool_calls else "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }}  # fmt: skip


@pytest.fixture
def stand_in() -> Iterator[StandIn]:
    server = StandIn()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def district_dir(tmp_path: Path, write_csv) -> Path:
    data_dir = tmp_path / "district"
    store = open_district_store(Settings(data_dir=data_dir))
    ingest_paths([write_csv("contracts.csv", *TRACKER)], store)
    store.dispose()
    return data_dir


def ask_json(data_dir: Path, base_url: str, question: str, timeout: float = 10) -> dict:
    env = {
        "DISTRICT_ASSISTANT_LLM_PROVIDER": "openai-compatible",
        "DISTRICT_ASSISTANT_LLM_MODEL": "local-model",
        "DISTRICT_ASSISTANT_LLM_BASE_URL": base_url,
        "DISTRICT_ASSISTANT_LLM_API_KEY": API_KEY,
        "DISTRICT_ASSISTANT_LLM_TIMEOUT_SECONDS": str(timeout),
    }
    args = ["ask", question, "--as-of", "2026-11-23", "--json", "--data-dir", str(data_dir)]
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    assert API_KEY not in result.output
    return json.loads(result.stdout)


def test_a_good_turn_answers_from_the_tool_results(stand_in, district_dir) -> None:
    stand_in.script = [
        completion(tool_calls=[("contracts_renewing", NEXT_QUARTER)]),
        completion(GOOD_ANSWER),
    ]
    body = ask_json(district_dir, stand_in.base_url, "what renews next quarter?")
    assert body["answer"] == GOOD_ANSWER
    assert body["tools"] == [{"name": "contracts_renewing", "args": NEXT_QUARTER}]
    assert body["sources"] == ["contracts.csv:2", "contracts.csv:3", "contracts.csv:4"]
    assert body["agent"] == {
        "provider": "openai-compatible", "model": "local-model", "outcome": "answered",
        "reasons": [], "refused": [],
    }  # fmt: skip

    first, second = stand_in.requests
    assert first["model"] == "local-model"
    assert first["messages"][0]["role"] == "system"
    assert "Today is Nov 23, 2026 (2026-11-23)" in first["messages"][0]["content"]
    assert first["messages"][1] == {"role": "user", "content": "what renews next quarter?"}
    schemas = {tool["function"]["name"]: tool["function"]["parameters"] for tool in first["tools"]}
    assert set(schemas) == {spec.name for spec in TOOLS}  # every tool of the catalog
    assert {"start", "end", "vendor", "funding_source"} == set(
        schemas["contracts_renewing"]["properties"]
    )
    assert "as_of" not in schemas["open_tickets"]["properties"]
    tool_message = second["messages"][-1]
    assert tool_message["role"] == "tool" and tool_message["tool_call_id"] == "call_0"
    assert unquote(tool_message["content"])["total_annual_cost"] == "26300.00"
    assert stand_in.headers_seen[0]["authorization"] == f"Bearer {API_KEY}"


def test_a_hallucinated_figure_is_caught_by_the_guard(stand_in, district_dir) -> None:
    stand_in.script = [
        completion(tool_calls=[("contracts_renewing", NEXT_QUARTER)]),
        completion(GOOD_ANSWER.replace("$12,500.00", "$999,999.00")),
    ]
    body = ask_json(district_dir, stand_in.base_url, "what renews next quarter?")
    assert "$999,999" not in body["answer"]
    assert body["answer"].splitlines()[0] == COMPOSED_FIRST_LINE
    assert "Workspace Plus: renews Jan 15, 2027" in body["answer"]
    assert body["agent"]["outcome"] == "guarded"
    assert body["agent"]["reasons"] == ["number $999,999.00"]


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (500, "the provider answered HTTP 500"),
        (401, "the provider answered HTTP 401"),
    ],
)
def test_an_http_error_falls_back_to_the_planner_with_a_note(
    stand_in, district_dir, status: int, reason: str
) -> None:
    stand_in.script = [{"status": status}, {"status": status}]
    body = ask_json(district_dir, stand_in.base_url, "what renews next quarter?")
    assert body["answer"].startswith(PLANNER_FIRST_LINE)
    assert body["answer"].endswith(FALLBACK)
    assert body["tools"] == [{"name": "contracts_renewing", "args": NEXT_QUARTER}]
    assert body["agent"]["outcome"] == "fallback" and body["agent"]["reasons"] == [reason]
    assert 1 <= len(stand_in.requests) <= 2  # at most one retry


def test_a_slow_provider_falls_back_at_the_time_out(stand_in, district_dir) -> None:
    stand_in.script = [{"sleep": 3, **completion("late")}, {"sleep": 3, **completion("late")}]
    started = time.monotonic()
    body = ask_json(district_dir, stand_in.base_url, "what renews next quarter?", timeout=0.5)
    assert time.monotonic() - started < 3
    assert body["answer"].startswith(PLANNER_FIRST_LINE)
    assert body["answer"].endswith(
        "_(the language model did not answer within 0.5 seconds, so this is the built-in answer)_"
    )
    assert body["agent"]["reasons"] == ["no answer within 0.5 seconds"]


def test_a_closed_port_falls_back_to_the_planner(district_dir) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    body = ask_json(district_dir, f"http://127.0.0.1:{port}/v1", "what renews next quarter?")
    assert body["answer"].startswith(PLANNER_FIRST_LINE) and body["answer"].endswith(FALLBACK)
    assert body["agent"]["reasons"] == ["could not reach the provider"]


def test_the_human_answer_never_shows_a_stack_trace(stand_in, district_dir) -> None:
    stand_in.script = [{"status": 503}, {"status": 503}]
    env = {
        "DISTRICT_ASSISTANT_LLM_PROVIDER": "openai-compatible",
        "DISTRICT_ASSISTANT_LLM_MODEL": "local-model",
        "DISTRICT_ASSISTANT_LLM_BASE_URL": stand_in.base_url,
    }
    args = [
        "ask",
        "what renews next quarter?",
        "--as-of",
        "2026-11-23",
        "--data-dir",
        str(district_dir),
    ]
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 0
    assert "Traceback" not in result.output and result.stdout.rstrip().endswith(FALLBACK)


# --- the same faults seen from Slack -----------------------------------------------------------


@pytest.fixture
def slack_server(request, stand_in, district_dir) -> Iterator[tuple[str, SlackStandIn]]:
    """The app under uvicorn with the LLM pointed at the stand-in, and a Slack stand-in."""
    slack = SlackStandIn()
    timeout = getattr(request, "param", 5.0)
    settings = Settings(
        data_dir=district_dir, slack_bot_token=SLACK_TOKEN, slack_signing_secret=SLACK_SECRET,
        slack_api_url=f"{slack.url}/api/", llm_provider="openai-compatible",
        llm_model="local-model", llm_base_url=stand_in.base_url, llm_timeout_seconds=timeout,
    )  # fmt: skip
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=0, log_level="warning",
                            lifespan="off")  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}", slack
    server.should_exit = True
    thread.join(10)
    slack.stop()


@pytest.mark.parametrize(
    ("slack_server", "script", "note"),
    [
        (5.0, [{"status": 500}, {"status": 500}], FALLBACK),
        (0.5, [{"sleep": 3, **completion("late")}] * 2,
         "_(the language model did not answer within 0.5 seconds, so this is the built-in answer)_"),
    ],
    ids=["provider-down", "provider-slow"],
    indirect=["slack_server"],
)  # fmt: skip
def test_slack_gets_the_built_in_answer_with_a_note(
    stand_in, slack_server, script: list[dict], note: str
) -> None:
    url, slack = slack_server
    stand_in.script = list(script)
    event = mention("CLLM", "what renews next quarter?")
    assert post_signed(url, event_body(event), secret=SLACK_SECRET).status_code == 200
    update = slack.wait(lambda: answered(slack, "CLLM", event["ts"]))
    text = update.params["text"]
    assert text.startswith(PLANNER_FIRST_LINE) and text.endswith(note)
    assert "Traceback" not in json.dumps(update.params)


def test_the_rest_api_gets_the_built_in_answer_when_the_provider_is_down(district_dir) -> None:
    from fastapi.testclient import TestClient

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = Settings(
        data_dir=district_dir, llm_provider="openai-compatible", llm_model="local-model",
        llm_base_url=f"http://127.0.0.1:{port}/v1",
    )  # fmt: skip
    with TestClient(create_app(settings)) as client:
        response = client.post(
            "/ask", json={"question": "what renews next quarter?", "as_of": "2026-11-23"}
        )
    assert response.status_code == 200
    body = response.json()
    assert body["answer"].startswith(PLANNER_FIRST_LINE) and body["answer"].endswith(FALLBACK)
    assert body["agent"]["outcome"] == "fallback"
