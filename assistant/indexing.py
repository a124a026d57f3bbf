"""Keeping the free-text search index in step with the database, from the app's side.

After a load the CLI indexes in the foreground (with a progress bar); `serve` indexes in a
background thread so structured questions answer meanwhile. A broken or unreachable vector
store is a warning, never a failed ingest: search then says the index is unavailable.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from assistant.settings import Settings
from ingest.db import Store
from ingest.errors import StoreError

logger = logging.getLogger(__name__)
_building = threading.Event()
STILL_BUILDING = (
    "The search index is still being built, so this may miss records; ask again shortly."
)


def is_building() -> bool:
    """True while this process is bringing the search index up to date."""
    return _building.is_set()


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
    try:
        vectors = open_vectors(vector_path(settings), settings.chroma_host, settings.chroma_port)
        if progress:
            with RichProgress() as bar:
                report = index_store(store, vectors, progress=bar)
        else:
            report = index_store(store, vectors)
    except StoreError as exc:
        echo(f"Warning: the search index was not updated: {exc}")
        return False
    finally:
        _building.clear()
    embedded = sum(kind.embedded for kind in report.kinds)
    echo(f"Search index up to date ({embedded:,} texts embedded in {report.seconds:.1f} s).")
    return True


def index_in_background(store: Store, settings: Settings) -> threading.Thread:
    """Start indexing in a daemon thread (for `serve` and the interactive demo)."""
    thread = threading.Thread(
        target=index_now,
        args=(store, settings),
        kwargs={"echo": logger.info, "progress": False},
        name="search-index",
        daemon=True,
    )
    thread.start()
    return thread
