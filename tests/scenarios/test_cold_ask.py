"""A one-off ``ask`` in a fresh process imports only what its answer needs (issue #23).

Each question runs the real command in a subprocess with ``-X importtime``, which lists every
module the process imported, on the sample district loaded once for the module.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant import indexing
from assistant.cli import app

AS_OF = "2026-11-23"
# What a structured answer never needs: the search stack, the dataframe and migration libraries,
# the LLM and server stacks. (Alembic loads only when a migration is due.)
NOT_FOR_A_STRUCTURED_ANSWER = (
    "alembic",
    "chromadb",
    "fastapi",
    "ingest.embedding",
    "ingest.vectors",
    "langchain_core",
    "numpy",
    "onnxruntime",
    "pandas",
    "slack_bolt",
    "slack_sdk",
    "tokenizers",
    "uvicorn",
)
MODEL = ("numpy", "onnxruntime", "ingest.embedding")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, module_database: str | None) -> Path:
    data_dir = tmp_path_factory.mktemp("cold")
    env = {"DISTRICT_ASSISTANT_DATABASE_URL": module_database} if module_database else None
    args = ["demo", "--data-dir", str(data_dir), "--as-of", AS_OF, "--no-index", "-q", "hi"]
    result = CliRunner().invoke(app, args, catch_exceptions=False, env=env)
    assert result.exit_code == 0, result.output
    return data_dir


def imported_by(data_dir: Path, question: str) -> tuple[set[str], dict]:
    """The modules a cold ``ask --json`` imported, and its JSON answer."""
    command = [sys.executable, "-X", "importtime", "-m", "assistant", "ask", question]
    command += ["--as-of", AS_OF, "--json", "--data-dir", str(data_dir)]
    done = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy())
    assert done.returncode == 0, done.stderr[-2000:]
    modules = {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    return modules, json.loads(done.stdout)


def loaded(modules: set[str], names: tuple[str, ...]) -> set[str]:
    return {name for name in names if name in modules}


@pytest.mark.parametrize(
    ("question", "tool"),
    [
        ("what renews next quarter?", "contracts_renewing"),
        ("which devices are due for replacement next fiscal year?", "devices_due_for_replacement"),
    ],
)
def test_a_structured_question_imports_no_model_and_no_heavy_library(
    sample: Path, question: str, tool: str
) -> None:
    modules, body = imported_by(sample, question)
    assert body["tools"][0]["name"] == tool
    assert "sqlalchemy" in modules  # the listing is real: the answer did read the database
    assert loaded(modules, NOT_FOR_A_STRUCTURED_ANSWER) == set()


def test_a_free_text_question_loads_the_model(sample: Path) -> None:
    modules, body = imported_by(sample, "tickets that mention a kid spilling juice on the laptop")
    assert body["tools"][0]["name"] == "search_text"
    assert loaded(modules, MODEL) == set(MODEL)


def test_demo_answers_before_its_index_is_built_and_a_search_meanwhile_says_how_far_along(
    tmp_path: Path, module_database: str | None
) -> None:
    """A fresh demo prints its answer while the index is still being built beside it; a free-text
    question asked from another process then says how many texts are embedded so far."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if module_database:
        env["DISTRICT_ASSISTANT_DATABASE_URL"] = module_database
    data_dir = tmp_path / "fresh"
    command = [sys.executable, "-m", "assistant", "demo", "--data-dir", str(data_dir),
               "--as-of", AS_OF, "-q", "what renews next quarter?"]  # fmt: skip
    demo = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        first_line = demo.stdout.readline().decode() if demo.stdout else ""
        assert "contracts renew in FY2027 Q3" in first_line
        assert demo.poll() is None  # still running: the index is being built after the answer
        question = "tickets that mention a kid spilling juice on the laptop"
        ask = [sys.executable, "-m", "assistant", "ask", question, "--as-of", AS_OF, "--json",
               "--data-dir", str(data_dir)]  # fmt: skip
        done = subprocess.run(ask, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-2000:]
        answer = json.loads(done.stdout)["answer"]
        assert "The search index is still being built" in answer
        # with a count once the first texts are counted (before that, opening and reading)
        counted = re.search(
            r"[\d,]+ of [\d,]+ (ticket|contract|app request) texts embedded", answer
        )
        assert counted or indexing.STILL_BUILDING in answer
    finally:
        demo.kill()
        demo.wait()
