"""What every tool returns: the rows, the totals, and the source rows behind them.

Tools are plain typed functions ``(session, args) -> Result``. ``sources_of`` turns source
record ids into "file:row" references, so every answer can be traced to the export it came from.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.schema import SourceRecord


class ToolResult(BaseModel):
    """Fields every tool result has; each tool adds its own rows and totals."""

    count: int = Field(description="How many records the answer covers (not only those shown).")
    sources: list[str] = Field(default_factory=list, description="file:row of every record used.")
    systems: list[str] = Field(default_factory=list, description="Source systems of the records.")
    notes: list[str] = Field(default_factory=list, description="What a reader should know.")

    def row_dicts(self) -> list[dict[str, Any]]:
        """The rows as JSON-ready dicts (tools that have rows override ``rows``)."""
        rows = getattr(self, "rows", [])
        return [row.model_dump(mode="json") for row in rows]


def sources_of(session: Session, record_ids: Iterable[int | None]) -> tuple[list[str], list[str]]:
    """'file:row' references and system names for source record ids, in the order given."""
    ids = [i for i in dict.fromkeys(record_ids) if i is not None]
    found: dict[int, tuple[str, str]] = {}
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        query = select(SourceRecord.id, SourceRecord.file, SourceRecord.row, SourceRecord.system)
        for record_id, file, row, system in session.execute(
            query.where(SourceRecord.id.in_(chunk))
        ):
            found[record_id] = (f"{file}:{row}", system)
    refs = [found[i][0] for i in ids if i in found]
    systems = sorted({found[i][1] for i in ids if i in found})
    return refs, systems
