"""A help desk's resolution seconds, gathered as its first file is written instead of read back.

``rollups.refresh_ticket_values`` reads every timed ticket of a help desk back through the
driver (half a million rows, about 1.5 s) to pack their resolution seconds per closed day,
category and school. When a file brings a help desk's first tickets, the rows it inserts are
all there is, so the same seconds are gathered here as those rows go by. The opened- and
closed-day counts stay in SQL (``INSERT ... SELECT``), which is faster than any Python loop.
tests/ingest/test_timed_tickets.py checks that both ways give the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class TimedTickets:
    """Resolution seconds by (closed day, category, school, help desk) of the rows inserted."""

    def __init__(self) -> None:
        self.cells: dict[tuple[Any, ...], list[int]] = {}

    def add(self, rows: Iterable[dict[str, Any]]) -> None:
        """Gather ticket rows as inserted (the ``tickets`` columns, before they are stored)."""
        cells = self.cells
        for row in rows:
            seconds = row["resolution_seconds"]
            if seconds is not None:  # closed, with both dates, in order: so closed_at is set
                key = (row["closed_at"].date(), row["category"], row["location_id"], row["system"])
                found = cells.get(key)
                if found is None:
                    cells[key] = [seconds]
                else:
                    found.append(seconds)
