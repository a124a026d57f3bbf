"""Shared fixtures: a real database per test, on SQLite and on PostgreSQL, and a clean environment.

Every test that touches a database (through ``database``, ``data_dir``, ``settings``, ``store`` or
``module_database``) runs twice, as ``[sqlite]`` and ``[postgresql]``; the rest run once.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.settings import Settings
from assistant.store import open_district_store
from ingest.db import Store
from tests.postgres import PostgresServer, postgres_binaries, postgres_server  # noqa: F401 - a fixture, used below

AS_OF = dt.date(2026, 11, 23)
BACKENDS = ("sqlite", "postgresql")
DATABASE_URL = "DISTRICT_ASSISTANT_DATABASE_URL"
CLEARED = ("SLACK_", "DISTRICT_ASSISTANT_", "OPENAI_", "ANTHROPIC_", "CHROMA_", "DIGEST_")


def pytest_report_header() -> list[str]:
    """The versions of the real components the suite runs against."""
    import sqlite3

    names = ("sqlalchemy", "alembic", "chromadb", "langchain-core", "pandas")
    versions = ", ".join(f"{n} {importlib.metadata.version(n)}" for n in names)
    return [f"SQLite {sqlite3.sqlite_version}; {versions}; PostgreSQL: {postgres_binaries()}"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the PostgreSQL cases (`-m "not postgres"` runs the SQLite half); skip `sqlite_only` ones there."""
    for item in items:
        params = getattr(item, "callspec", None)
        on_postgres = params is not None and params.params.get("backend") == "postgresql"
        if on_postgres or "postgres_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)
        if on_postgres and item.get_closest_marker("sqlite_only"):
            reason = item.get_closest_marker("sqlite_only").kwargs.get("reason", "SQLite only")
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def clean_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """No test sees a developer's tokens or data dir; each gets its own data dir and database.

    On PostgreSQL the test's database is also in DISTRICT_ASSISTANT_DATABASE_URL, so commands,
    subprocesses and servers the test starts use it too.
    """
    for name in list(os.environ):
        if name.startswith(CLEARED):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DISTRICT_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    for fixture in ("database", "module_database"):  # the test's own first
        if fixture in request.fixturenames:
            url = request.getfixturevalue(fixture)
            if url is not None:
                monkeypatch.setenv(DATABASE_URL, url)
            break


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database server this module's tests run against (each module runs on both)."""
    if request.param == "postgresql":
        request.getfixturevalue("postgres_server")
    return request.param


def _new_database(backend: str, request: pytest.FixtureRequest) -> Iterator[str | None]:
    if backend == "sqlite":
        yield None  # the default: district.db inside the data dir
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.create_database()
    yield url
    server.drop_database(url)


@pytest.fixture
def database(backend: str, request: pytest.FixtureRequest) -> Iterator[str | None]:
    """This test's own database URL: None on SQLite (the data dir's file), a fresh PG database."""
    yield from _new_database(backend, request)


@pytest.fixture(scope="module")
def module_database(backend: str, request: pytest.FixtureRequest) -> Iterator[str | None]:
    """One database for a module's shared fixtures (say, the sample district loaded once)."""
    yield from _new_database(backend, request)


@pytest.fixture
def data_dir(tmp_path: Path, database: str | None) -> Path:
    """The data dir every command in this test uses (its database may be on the PG server)."""
    return tmp_path / "data"


@pytest.fixture
def settings(data_dir: Path, database: str | None) -> Settings:
    """Settings pointing at the test's own data dir and database."""
    return Settings(data_dir=data_dir, database_url=database)


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    """A real database with every migration applied and the default settings synced."""
    opened = open_district_store(settings)
    yield opened
    opened.dispose()


@pytest.fixture
def write_csv(tmp_path: Path):
    """Write a CSV file from lines (text exactly as given) and return its path."""

    def write(name: str, *lines: str, encoding: str = "utf-8", newline: str = "\n") -> Path:
        path = tmp_path / "exports" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(newline.join(lines).encode(encoding) + newline.encode())
        return path

    return write
