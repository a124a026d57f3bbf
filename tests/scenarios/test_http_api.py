"""The REST API as a script would use it: the same objects as the CLI's JSON, one error shape."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from assistant.api import create_app
from assistant.cli import app as cli
from assistant.ingesting import load_options
from assistant.settings import Settings
from assistant.store import open_district_store
from ingest.load import ingest_paths
from ingest.sample import generate

AS_OF = "2026-11-23"
API_TOKEN = "api-token-for-tests-7d2e"
CLEARED = ("SLACK_", "DISTRICT_ASSISTANT_", "OPENAI_", "ANTHROPIC_", "CHROMA_", "DIGEST_")
AUTH = {"Authorization": f"Bearer {API_TOKEN}"}


def clean_settings(**values: Any) -> Settings:
    """Settings from keywords only: no developer's variables leak into the module fixtures."""
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith(CLEARED):
                patch.delenv(name)
        return Settings(**values)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, module_database: str | None) -> Path:
    """The sample district loaded once into a temporary data dir (and the module's database)."""
    folder = tmp_path_factory.mktemp("api")
    settings = clean_settings(data_dir=folder, database_url=module_database)
    generate(folder / "exports", anchor=dt.date.fromisoformat(AS_OF))
    store = open_district_store(settings)
    ingest_paths([folder / "exports"], store, options=load_options(settings))
    store.dispose()
    return folder


@pytest.fixture(scope="module")
def client(data_dir: Path, module_database: str | None) -> Iterator[TestClient]:
    """The API with a bearer token required."""
    settings = clean_settings(data_dir=data_dir, database_url=module_database, api_token=API_TOKEN)
    with TestClient(create_app(settings)) as c:
        yield c


@pytest.fixture(scope="module")
def open_client(data_dir: Path, module_database: str | None) -> Iterator[TestClient]:
    """The API with no token set, so no token is required."""
    with TestClient(
        create_app(clean_settings(data_dir=data_dir, database_url=module_database))
    ) as c:
        yield c


def cli_json(data_dir: Path, *args: str) -> Any:
    result = CliRunner().invoke(cli, [*args, "--json", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_health(open_client: TestClient) -> None:
    response = open_client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ask_returns_the_same_object_as_the_cli(client: TestClient, data_dir: Path) -> None:
    question = "which contracts renew in the next 90 days?"
    response = client.post("/ask", json={"question": question, "as_of": AS_OF}, headers=AUTH)
    assert response.status_code == 200
    assert response.json() == cli_json(data_dir, "ask", question, "--as-of", AS_OF)


def test_digest_returns_the_same_object_as_the_cli(client: TestClient, data_dir: Path) -> None:
    response = client.get("/digest", params={"as_of": AS_OF}, headers=AUTH)
    assert response.status_code == 200
    body = response.json()
    assert body == cli_json(data_dir, "digest", "--as-of", AS_OF)
    assert body["week"] == "2026-W48"
    assert [s["key"] for s in body["sections"]][:2] == ["renewals", "missed_deadlines"]
    assert {c["key"] for c in body["charts"]} == {"ticket_trend", "replacement_budget"}


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [("post", "/ask", {"question": "what renews?"}), ("get", "/digest", None)],
)
@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": API_TOKEN}]
)
def test_a_bearer_token_is_required_when_set(
    client: TestClient, method: str, path: str, body: Any, headers: dict[str, str]
) -> None:
    response = client.request(method.upper(), path, json=body, headers=headers)
    assert response.status_code == 401
    assert response.json() == {
        "ok": False,
        "error": "a valid bearer token is required",
        "status": 401,
    }


def test_no_token_is_needed_when_none_is_set(open_client: TestClient) -> None:
    response = open_client.post("/ask", json={"question": "what renews?", "as_of": AS_OF})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("post", "/ask", {"as_of": AS_OF}, 422),
        ("post", "/ask", {"question": "x", "as_of": "not a date"}, 422),
        ("get", "/digest?as_of=2026-13-45", None, 422),
        ("get", "/nowhere", None, 404),
        ("put", "/ask", None, 405),
    ],
)
def test_every_error_has_one_shape(
    open_client: TestClient, method: str, path: str, body: Any, status: int
) -> None:
    response = open_client.request(method.upper(), path, json=body)
    assert response.status_code == status
    payload = response.json()
    assert set(payload) == {"ok", "error", "status"}
    assert payload["ok"] is False and payload["status"] == status
    assert isinstance(payload["error"], str) and payload["error"]


def test_a_missing_question_names_the_field(open_client: TestClient) -> None:
    response = open_client.post("/ask", json={"as_of": AS_OF})
    assert response.json() == {"ok": False, "error": "body.question: Field required", "status": 422}


def test_an_unexpected_failure_is_a_500_without_a_traceback(
    data_dir: Path, module_database: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.answer import Assistant

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(Assistant, "ask", broken)
    api = create_app(clean_settings(data_dir=data_dir, database_url=module_database))
    with TestClient(api, raise_server_exceptions=False) as c:
        response = c.post("/ask", json={"question": "what renews?"})
    assert response.status_code == 500
    assert response.json() == {
        "ok": False, "error": "internal error; the server log has the details", "status": 500,
    }  # fmt: skip


def test_openapi_docs_list_the_routes(open_client: TestClient) -> None:
    assert open_client.get("/docs").status_code == 200
    paths = open_client.get("/openapi.json").json()["paths"]
    assert {"/health", "/ask", "/digest"} <= set(paths)
    assert "/slack/events" not in paths


def test_slack_events_are_mounted_only_when_slack_is_configured(
    open_client: TestClient, data_dir: Path, module_database: str | None
) -> None:
    assert open_client.post("/slack/events", content=b"{}").status_code == 404
    settings = clean_settings(data_dir=data_dir, database_url=module_database,
                              slack_bot_token="xoxb-test-1",
                              slack_signing_secret="signing-test-1",
                              slack_api_url="http://127.0.0.1:9/api/")  # fmt: skip
    with TestClient(create_app(settings)) as slack_client:
        response = slack_client.post("/slack/events", content=b"{}")
    assert response.status_code == 401  # mounted, and Bolt refuses an unsigned request
