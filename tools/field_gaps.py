"""Gaps said out loud: an answer that depends on a field no loaded file provided says so.

If no contract has a renewal date, "no contracts renew next quarter" would be a false answer
made from a data gap. Ingest records, per file, the needs of its record type no column met
(``ingest_files.missing``, with the likeliest column); a tool asks here for the sentence that
names the gap and the column that was probably meant.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ingest.schema import IngestFile


def _column_hint(session: Session, record_type: str, field: str) -> str:
    """': the column 'X' of tracker.xlsx was not recognised' from the newest file that lacked it."""
    files = session.execute(
        select(IngestFile.name, IngestFile.missing)
        .where(IngestFile.record_type == record_type)
        .order_by(IngestFile.loaded_at.desc())
    ).all()
    for name, missing in files:
        for need in missing or []:
            entry: dict[str, Any] = need
            if field in entry.get("fields", ()):
                if entry.get("column"):
                    return (
                        f": the column {entry['column']!r} of {name} was not recognised as one "
                        f"(district-assistant map {name})"
                    )
                return f": {name} has no such column"
    return ""


def missing_field_note(
    session: Session, model: Any, column: Any, record_type: str, field: str, what: str
) -> str | None:
    """A note when none, or only some, of the records of a table have ``column`` on file."""
    total = session.scalar(select(func.count()).select_from(model)) or 0
    if not total:
        return None
    present = (
        session.scalar(select(func.count()).select_from(model).where(column.is_not(None))) or 0
    )
    plural = f"{total:,} {record_type}s"
    if present == 0:
        hint = _column_hint(session, record_type, field)
        return f"none of the {plural} has {what} on file{hint}."
    if present < total:
        return f"{total - present:,} of the {plural} have no {what.split(' ', 1)[1]} on file, so no window can include them."
    return None
