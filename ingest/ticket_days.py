"""A help desk's ticket day rollups, counted as its first file is written instead of after.

``rollups.refresh_ticket_days`` recomputes a help desk's opened-day, closed-day and closed-value
rows from its stored tickets: about 4 s for half a million. When a file brings a help desk's
first tickets, its stored tickets are exactly the rows the file inserts, so the same figures are
counted here as those rows go by (under a second) and written in the same shape.
tests/ingest/test_ticket_days.py checks that both ways give the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from ingest.db import bulk_insert
from ingest.schema import TicketClosedDay, TicketOpenedDay

# The closed-day measures, in the order of TicketDays.closed's lists.
CLOSED_MEASURES = ("timed", "timed_seconds", "reopened", "closed_undated", "backwards", "unplaced")
Cell = tuple[dt.date | None, str | None, int | None]  # day, category, school


class TicketDays:
    """Opened and closed counts and resolution seconds per day, category and school of one desk."""

    def __init__(self, system: str) -> None:
        self.system = system
        self.opened: Counter[Cell] = Counter()
        self.closed: dict[Cell, list[int]] = {}
        self.values: dict[Cell, list[int]] = {}

    def add(self, rows: Iterable[dict[str, Any]]) -> None:
        """Count ticket rows as inserted (the ``tickets`` columns, before they are stored)."""
        opened_counts, closed_cells, values = self.opened, self.closed, self.values
        for row in rows:
            opened, closed_at, is_open = row["opened_at"], row["closed_at"], row["is_open"]
            category, school = row["category"], row["location_id"]
            opened_counts[(opened.date() if opened is not None else None, category, school)] += 1
            if closed_at is None and is_open:
                continue  # on no closed day: still open and never closed
            key = (closed_at.date() if closed_at is not None else None, category, school)
            cell = closed_cells.get(key)
            if cell is None:
                cell = closed_cells[key] = [0, 0, 0, 0, 0, 0]
            seconds = row["resolution_seconds"]
            if seconds is not None:
                cell[0] += 1
                cell[1] += seconds
                values.setdefault(key, []).append(seconds)
            if is_open:
                cell[2] += 1  # a closed date, but open again: reopened
            elif closed_at is None:
                cell[5] += 1  # closed, with no closed date
            elif opened is None:
                cell[3] += 1  # closed, with no opened date
            elif closed_at < opened:
                cell[4] += 1  # closed before it was opened

    def write(self, session: Session) -> None:
        """Replace this desk's rows of the three day tables with what was counted."""
        from ingest.rollups import write_ticket_values

        system = self.system
        opened = {key: [count] for key, count in self.opened.items()}
        for model, cells, columns in ((TicketOpenedDay, opened, ("tickets",)),
                                      (TicketClosedDay, self.closed, CLOSED_MEASURES)):  # fmt: skip
            session.execute(delete(model).where(model.system == system))
            per_school = [
                {"all_schools": False, "day": day, "category": category, "location_id": school,
                 "system": system, **dict(zip(columns, measures, strict=True))}
                for (day, category, school), measures in sorted(cells.items(), key=_in_order)
            ]  # fmt: skip
            summed: dict[Cell, list[int]] = {}
            for (day, category, _), measures in cells.items():
                total = summed.setdefault((day, category, None), [0] * len(columns))
                for index, value in enumerate(measures):
                    total[index] += value
            over_schools = [
                {"all_schools": True, "day": day, "category": category, "location_id": None,
                 "system": system, **dict(zip(columns, measures, strict=True))}
                for (day, category, _), measures in sorted(summed.items(), key=_in_order)
            ]  # fmt: skip
            bulk_insert(session, model.__table__, per_school)
            bulk_insert(session, model.__table__, over_schools)
        write_ticket_values(
            session,
            system,
            {(day, category, school, system): seconds
             for (day, category, school), seconds in self.values.items()},
        )  # fmt: skip


def _in_order(item: tuple[Cell, list[int]]) -> tuple[str, str, int]:
    """Cells in day order (no day first), so a window's cells sit together on disk."""
    (day, category, school), _ = item
    return (day.isoformat() if day else "", category or "", school or 0)
