"""Search answers given while the index is still being built say so."""

from __future__ import annotations

import datetime as dt
import os

from assistant import indexing
from assistant.answer import Assistant
from ingest.load import ingest_paths

TICKETS = (
    "TicketNumber,Subject,IssueDescription,CreatedDate,ClosedDate,IsClosed,"
    "WorkflowStep.StepName,Issue.Name,Location.Name,For.Name,SerialNumber",
    "1001,Spill,Kid spilled juice on it,2026-10-01T09:00:00,,False,New,Liquid Spill,"
    "Lincoln Elementary School,Ana Diaz,5CD1",
)


def test_a_search_answer_during_indexing_says_the_index_is_still_being_built(
    store, settings, write_csv
) -> None:
    ingest_paths([write_csv("tickets.csv", *TICKETS)], store)
    assistant = Assistant(store, settings)
    question = "tickets that mention juice spilled on a laptop"
    indexing._building.set()
    try:
        answer = assistant.ask(question, as_of=dt.date(2026, 11, 23))
    finally:
        indexing._building.clear()
    assert answer.tools[0].name == "search_text"
    assert indexing.STILL_BUILDING in answer.answer
    later = assistant.ask(question, as_of=dt.date(2026, 11, 23))
    assert indexing.STILL_BUILDING not in later.answer


def test_a_search_while_another_process_indexes_says_how_far_along_it_is(
    store, settings, write_csv
) -> None:
    """The progress file a running index writes is read by a search in any process."""
    ingest_paths([write_csv("tickets.csv", *TICKETS)], store)
    assistant = Assistant(store, settings)
    question = "tickets that mention juice spilled on a laptop"
    tracker = indexing._Tracker(settings, None)
    tracker("tickets", 2300, 6210)  # as index_store reports a chunk done
    indexing._progress.clear()  # nothing in this process: only the file speaks
    try:
        answer = assistant.ask(question, as_of=dt.date(2026, 11, 23))
    finally:
        tracker.finish()
    assert "2,300 of 6,210 ticket texts embedded so far" in answer.answer
    assert not indexing.progress_path(settings).exists()
    later = assistant.ask(question, as_of=dt.date(2026, 11, 23))
    assert "embedded so far" not in later.answer


def test_the_progress_file_of_a_process_that_died_is_ignored(settings) -> None:
    import json
    import subprocess
    import sys

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    path = indexing.progress_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {"pid": int(gone.stdout), "kind": "tickets", "done": 1, "total": 9}
    path.write_text(json.dumps(state), encoding="utf-8")
    assert indexing.building_note(settings) is None
    state["pid"] = os.getpid()
    path.write_text(json.dumps(state), encoding="utf-8")
    assert "1 of 9 ticket texts" in (indexing.building_note(settings) or "")
