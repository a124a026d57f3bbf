"""Search answers given while the index is still being built say so."""

from __future__ import annotations

import datetime as dt

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
