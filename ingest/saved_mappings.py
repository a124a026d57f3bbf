"""Mappings remembered: one given with --mapping or confirmed with ``map`` is kept in the database.

Keyed by the file's header set (normalised, sorted, hashed), so next month's export of the same
sheet (same headers, new rows, another name) is read the same way with no flag. The newest
mapping for a header set wins.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.files import normalize_header
from ingest.schema import SavedMapping


def header_key(headers: Sequence[str]) -> str:
    """The identity of a header set: its normalised, non-blank headers, sorted, hashed."""
    names = sorted({normalize_header(h) for h in headers if normalize_header(h)})
    return hashlib.sha256("\x1f".join(names).encode("utf-8")).hexdigest()


def find_mapping(
    session: Session, headers: Sequence[str]
) -> tuple[str, dict[str, str | None], str | None] | None:
    """The remembered (record type, columns, file it was made for) for this header set, if any."""
    row = session.scalar(select(SavedMapping).where(SavedMapping.header_key == header_key(headers)))
    return (row.record_type, dict(row.columns), row.file_name) if row else None


def remember_mapping(
    session: Session,
    headers: Sequence[str],
    record_type: str,
    columns: dict[str, str | None],
    file_name: str | None,
) -> None:
    """Keep (or replace) the mapping for this header set."""
    key = header_key(headers)
    row = session.scalar(select(SavedMapping).where(SavedMapping.header_key == key))
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    if row is None:
        session.add(SavedMapping(header_key=key, record_type=record_type, columns=columns,
                                 file_name=file_name, saved_at=now))  # fmt: skip
        return
    row.record_type, row.columns, row.file_name, row.saved_at = (
        record_type, columns, file_name, now
    )  # fmt: skip
