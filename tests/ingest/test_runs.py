"""A multi-file ingest killed part way is on record, and answers and ``quality`` say so.

A real process loads eight files and is killed (``os._exit``, no clean-up of any kind) while the
fifth is loading: four files are in, the run row still says ``running`` with four done. Answers
and the quality report then carry "the last ingest stopped after 4 of 8 files at ..."; the next
ingest takes over the left-behind lock with a message, marks the old run stopped, and once it
finishes the warning is gone.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from assistant.answer import Assistant
from assistant.cli import app as cli
from assistant.settings import Settings
from ingest.db import Store
from ingest.load import ingest_paths
from ingest.schema import IngestRun, Ticket
from tests.ingest.test_crash import write_tickets
from tools.ingest_runs import last_run_note

ROOT = Path(__file__).resolve().parents[2]
KILLED_IN_FIFTH = """
import os, sys
from pathlib import Path
from ingest.db import open_store
from ingest.load import ingest_paths
files = sorted(Path(sys.argv[2]).glob("*.csv"))
def die_in_the_fifth(name, rows, total):
    if name == files[4].name:
        os._exit(9)  # as a kill -9 or a power cut would: nothing is cleaned up
ingest_paths(files, open_store(sys.argv[1]), on_progress=die_in_the_fifth)
"""


def eight_files(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for n in range(1, 9):
        write_tickets(folder / f"tickets{n}.csv", 5, prefix=f"R{n}-")
    return folder


def kill_in_the_fifth_file(store: Store, folder: Path) -> None:
    done = subprocess.run([sys.executable, "-c", KILLED_IN_FIFTH, store.url, str(folder)],
                          cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 9, done.stderr


def test_a_killed_run_is_said_by_answers_and_quality_until_the_next_one_finishes(
    store: Store, settings: Settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = eight_files(tmp_path / "exports")
    kill_in_the_fifth_file(store, folder)

    with store.read_session() as session:
        run = session.scalars(select(IngestRun)).one()
        assert (run.status, run.files_done, run.files_total) == ("running", 4, 8)
        assert len(session.scalars(select(Ticket)).all()) == 20  # four files of five, no more
        note = last_run_note(session)
    assert note is not None and note.startswith("The last ingest stopped after 4 of 8 files at ")

    answer = Assistant(store, settings).ask("how many tickets are open?")
    assert answer.answer.splitlines()[-1] == f"_{note}_"
    quality = CliRunner().invoke(cli, ["quality", "--json", "--data-dir", str(settings.data_dir)])
    assert quality.exit_code == 0, quality.output
    assert json.loads(quality.stdout)["notes"] == [note]
    text = CliRunner().invoke(cli, ["quality", "--data-dir", str(settings.data_dir)])
    assert f"Warning: {note}" in " ".join(text.stdout.split())

    with caplog.at_level(logging.WARNING, logger="ingest.lock"):
        reports = ingest_paths([folder], store)
    assert all(r.ok for r in reports)
    if store.engine.dialect.name == "sqlite":  # PostgreSQL's advisory lock leaves nothing behind
        assert "took over the ingest lock of a load that stopped without finishing" in caplog.text
    with store.read_session() as session:
        runs = [
            (r.status, r.files_done)
            for r in session.scalars(select(IngestRun).order_by(IngestRun.id))
        ]
        assert runs == [("stopped", 4), ("finished", 8)]
        assert last_run_note(session) is None
    assert "ingest" not in Assistant(store, settings).ask("how many tickets are open?").answer


def test_a_one_file_load_records_no_run(store: Store, tmp_path: Path) -> None:
    ingest_paths([write_tickets(tmp_path / "one.csv", 3, prefix="S")], store)
    with store.read_session() as session:
        assert session.scalars(select(IngestRun)).all() == []
