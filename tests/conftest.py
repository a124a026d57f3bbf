"""Shared fixtures: real SQLite files in temporary folders, and a clean environment per test."""

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

AS_OF = dt.date(2026, 11, 23)
CLEARED = ("SLACK_", "DISTRICT_ASSISTANT_", "OPENAI_", "ANTHROPIC_", "CHROMA_", "DIGEST_")


def pytest_report_header() -> list[str]:
    """The versions of the real components the suite runs against."""
    import sqlite3

    names = ("sqlalchemy", "alembic", "chromadb", "langchain-core", "pandas")
    versions = ", ".join(f"{n} {importlib.metadata.version(n)}" for n in names)
    return [f"SQLite {sqlite3.sqlite_version}; {versions}"]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees a developer's tokens or data dir; each gets its own data dir."""
    for name in list(os.environ):
        if name.startswith(CLEARED):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DISTRICT_ASSISTANT_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """The data dir every command in this test uses."""
    return tmp_path / "data"


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    """Settings pointing at the test's own data dir."""
    return Settings(data_dir=data_dir)


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    """A real SQLite file with every migration applied and the default settings synced."""
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
