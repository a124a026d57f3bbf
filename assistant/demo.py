"""The demo: write the bundled sample district as export files and load them like real data.

The sample goes through the same ``ingest_paths`` as a district's own exports, so a working demo
proves the real path. The interactive prompt keeps one conversation, so follow-ups work.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable

from sqlalchemy import select

from assistant.answer import Assistant, Conversation
from assistant.ingesting import load_options
from assistant.settings import Settings
from ingest.db import Store
from ingest.errors import DistrictAssistantError
from ingest.load import ingest_paths
from ingest.sample import generate
from ingest.schema import IngestFile

SAMPLE_FOLDER = "sample-district"
SEARCH_HEAD_START_SECONDS = 8.0
"""How long ``demo --question`` lets the index run before a free-text question is answered
from what is indexed by then (the sample's load takes about as long, inside the 20 s budget)."""
STARTERS = (
    "what renews next quarter?",
    "which contracts renew in the next 90 days?",
    "what renews before June 30?",
)


class NotADemoStore(DistrictAssistantError):
    """The data dir holds a district's own data; the demo will not mix sample data into it."""


def load_sample(
    store: Store, settings: Settings, *, anchor: dt.date, echo: Callable[[str], None]
) -> None:
    """Generate the sample district's exports in the data dir and ingest them (idempotent)."""
    folder = settings.data_dir / SAMPLE_FOLDER
    with store.read_session() as session:
        loaded = session.scalars(select(IngestFile.path)).all()
    if any(SAMPLE_FOLDER not in path for path in loaded):
        raise NotADemoStore(
            f"{settings.data_dir} already holds your own data; run the demo with "
            "--data-dir pointing at an empty folder"
        )
    district = generate(folder, anchor=anchor)
    echo(f"Sample district: {len(district.devices):,} devices, {len(district.tickets):,} tickets, "
         f"{len(district.contracts)} contracts, exports in {folder}")  # fmt: skip
    reports = ingest_paths([folder], store, options=load_options(settings))
    changed = sum(r.inserted + r.updated for r in reports)
    echo(f"Loaded {len(reports)} files ({changed:,} rows inserted or updated).")


def wait_for_search(
    assistant: Assistant, indexer: threading.Thread, question: str, as_of: dt.date
) -> None:
    """Give a free-text question's index a head start; a structured question waits for nothing.

    The question is planned, not answered (no tool runs); the answer then comes from what is
    indexed by the deadline and says how far along the index is.
    """
    if assistant.planner.plan(question, as_of).tool == "search_text":
        deadline = time.monotonic() + SEARCH_HEAD_START_SECONDS
        indexer.join(max(0.0, deadline - time.monotonic()))


def repl(assistant: Assistant, as_of: dt.date) -> None:
    """Ask questions until an empty line or end of input; one conversation throughout."""
    from rich.console import Console

    console = Console()
    console.print(f"Ask about the sample district as of {as_of}. Try:")
    for starter in STARTERS:
        console.print(f"  • {starter}")
    conversation = Conversation()
    while True:
        try:
            question = console.input("\n[bold]question>[/bold] ").strip()
        except (EOFError, KeyboardInterrupt):
            break
        if not question:
            break
        result = assistant.ask(question, as_of=as_of, conversation=conversation)
        console.print(result.answer, markup=False, highlight=False)
