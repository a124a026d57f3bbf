"""Keeping the free-text search index in step with the database, from the app's side.

After a load the CLI indexes in the foreground (with a progress bar); `serve` and the demo index
in a background thread so questions answer meanwhile. A broken or unreachable vector store is a
warning, never a failed ingest: search then says the index is unavailable.

While an index is built, its progress (which kind, how many texts of how many) is kept in this
process and in ``cache/index-progress.json`` under the data dir, so a search answered meanwhile,
here or from another process (``ask`` while ``serve`` indexes), says how far along it is and
answers from what is indexed so far.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.settings import Settings
from ingest.db import Store
from ingest.errors import StoreError

logger = logging.getLogger(__name__)
_building = threading.Event()
STILL_BUILDING = (
    "The search index is still being built, so this may miss records; ask again shortly."
)


_progress: dict[str, Any] = {}
PROGRESS_FILE = "index-progress.json"


def is_building() -> bool:
    """True while this process is bringing the search index up to date."""
    return _building.is_set()


def progress_path(settings: Settings) -> Path:
    """Where a running index writes how far along it is (removed when it ends)."""
    return settings.data_dir / "cache" / PROGRESS_FILE


def building_note(settings: Settings) -> str | None:
    """The note for a search answered while an index is built (None when none is running).

    It names how many texts of the kind being embedded are done; the search itself answers from
    what is indexed so far.
    """
    state = dict(_progress) if _building.is_set() else _progress_of_another_process(settings)
    if state is None and not _building.is_set():
        return None
    if not state or not state.get("total"):
        return STILL_BUILDING
    kind = str(state["kind"]).replace("_", " ").removesuffix("s")  # "ticket", "app request"
    return (
        f"The search index is still being built: {state['done']:,} of {state['total']:,} "
        f"{kind} texts embedded so far, and this answer comes from those; ask again shortly."
    )


def _progress_of_another_process(settings: Settings) -> dict[str, Any] | None:
    """The progress file of a live indexing process (a dead one's file is stale: ignored)."""
    path = progress_path(settings)
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        os.kill(int(state["pid"]), 0)  # raises if that process is gone
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return dict(state)


class _Tracker:
    """The index's progress callback: keeps and writes the progress, then passes it on."""

    def __init__(self, settings: Settings, then: Callable[[str, int, int], None] | None) -> None:
        self.path = progress_path(settings)
        self.then = then

    def start(self) -> None:
        """Say an index is being built before anything is counted (opening Chroma, reading SQL)."""
        self._write({"pid": os.getpid(), "kind": None, "done": 0, "total": 0})

    def __call__(self, kind: str, done: int, total: int) -> None:
        _progress.update(kind=kind, done=done, total=total)
        self._write({"pid": os.getpid(), "kind": kind, "done": done, "total": total})
        if self.then is not None:
            self.then(kind, done, total)

    def _write(self, state: dict[str, Any]) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(json.dumps(state), encoding="utf-8")
            partial.replace(self.path)  # atomic: a reader never sees half a file
        except OSError as exc:  # progress is a courtesy; indexing goes on without it
            logger.info("index progress not written: %s", exc)

    def finish(self) -> None:
        _progress.clear()
        self.path.unlink(missing_ok=True)


def vector_path(settings: Settings) -> Path:
    """Where the embedded Chroma store lives: chroma/ inside the data dir."""
    return settings.data_dir / "chroma"


def index_now(
    store: Store, settings: Settings, *, echo: Callable[[str], None], progress: bool = True
) -> bool:
    """Embed new or changed text into the vector store; False (and a warning) when it cannot."""
    from ingest.index import RichProgress, index_store
    from ingest.vectors import open_vectors

    _building.set()
    tracker = _Tracker(settings, None)
    tracker.start()
    try:
        vectors = open_vectors(vector_path(settings), settings.chroma_host, settings.chroma_port)
        if progress:
            with RichProgress() as bar:
                tracker.then = bar
                report = index_store(store, vectors, progress=tracker)
        else:
            report = index_store(store, vectors, progress=tracker)
    except StoreError as exc:
        echo(f"Warning: the search index was not updated: {exc}")
        return False
    finally:
        tracker.finish()
        _building.clear()
    echo(
        f"Search index up to date ({report.embedded:,} records embedded, {report.distinct:,} "
        f"distinct texts, in {report.seconds:.1f} s)."
    )
    return True


def index_in_background(
    store: Store, settings: Settings, *, echo: Callable[[str], None] = logger.info
) -> threading.Thread:
    """Start indexing in a daemon thread (for `serve` and the demo); join it to wait for the end."""
    _building.set()  # at once: a question asked before the thread runs knows an index is coming
    thread = threading.Thread(
        target=index_now,
        args=(store, settings),
        kwargs={"echo": echo, "progress": False},
        name="search-index",
        daemon=True,
    )
    thread.start()
    return thread
