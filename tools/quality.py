"""Data quality: what a coordinator must fix in the source systems, per source.

Duplicates, conflicts between systems, devices with no owner or location, damaged serials and
values that could not be parsed, each counted in SQL and listed with where it came from.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ingest.schema import Device, Reject
from tools.base import ToolResult, ToolSpec
from tools.ingest_runs import last_run_note
from tools.ownership import has_no_owner, real_conflicts


class DataQualityArgs(BaseModel):
    """How many conflicts to list (all are counted)."""

    limit: int = Field(default=200, ge=1, le=10_000, description="Conflicts to list at most.")


class ConflictRow(BaseModel):
    """Two systems disagree about one field of one device."""

    key: str
    field: str
    values: dict[str, Any]
    chosen_system: str | None


class RejectGroup(BaseModel):
    """Rejects of one file for one reason."""

    file: str
    reason: str
    count: int
    rows_rejected: bool


class DataQualityResult(ToolResult):
    """Counts per check, the conflicts, and the rejects grouped by file and reason."""

    summary: dict[str, int]
    conflicts: list[ConflictRow]
    rejects: list[RejectGroup]


def _reason_kind(reason: str) -> str:
    """'duplicate serial of row 12' -> 'duplicate serial'; quoted values are cut off."""
    text = reason.split(" of row ")[0].split(" row ")[0]
    return text if "'" not in text else text.split("'")[0] + "…" + text.rsplit("'", 1)[-1]


def data_quality(session: Session, args: DataQualityArgs) -> DataQualityResult:
    """Every quality check over the whole store."""
    active = Device.is_active.is_(True)
    conflicts_found = real_conflicts(session)  # the rule device_conflicts answers by
    summary = {
        "devices": session.scalar(select(func.count(Device.id))) or 0,
        "active devices without a location": session.scalar(
            select(func.count(Device.id)).where(active, Device.location_id.is_(None))
        ) or 0,
        "active devices without an owner": session.scalar(
            select(func.count(Device.id)).where(active, has_no_owner())
        ) or 0,
        "conflicts between systems": len(conflicts_found),
        "rejected rows": session.scalar(
            select(func.count(Reject.id)).where(Reject.is_row_rejected.is_(True))
        ) or 0,
        "dropped values": session.scalar(
            select(func.count(Reject.id)).where(Reject.is_row_rejected.is_(False))
        ) or 0,
        "damaged serials": session.scalar(
            select(func.count(Reject.id)).where(Reject.reason.like("%damaged by Excel%"))
        ) or 0,
        "duplicates": session.scalar(
            select(func.count(Reject.id)).where(Reject.reason.like("duplicate%"))
        ) or 0,
    }  # fmt: skip
    conflicts = [
        ConflictRow(key=c.fact_key, field=c.field, values=c.values, chosen_system=c.chosen_system)
        for c in conflicts_found[: args.limit]
    ]
    groups: dict[tuple[str, str, bool], int] = {}
    for file, reason, whole in session.execute(
        select(Reject.file, Reject.reason, Reject.is_row_rejected)
    ):
        key = (file, _reason_kind(reason), whole)
        groups[key] = groups.get(key, 0) + 1
    rejects = [
        RejectGroup(file=f, reason=r, count=n, rows_rejected=w)
        for (f, r, w), n in sorted(groups.items(), key=lambda item: -item[1])
    ]
    return DataQualityResult(
        count=summary["conflicts between systems"] + summary["rejected rows"],
        summary=summary,
        conflicts=conflicts,
        rejects=rejects,
        notes=[note] if (note := last_run_note(session)) else [],
    )


TOOLS = (
    ToolSpec(
        name="data_quality",
        measures=("count", "list"),
        func=data_quality,
        args_model=DataQualityArgs,
        description=(
            "Data quality across the source systems: devices with no owner or location, "
            "conflicts between systems (two locations for one serial), rejected rows and dropped "
            "values per file, damaged serials and duplicates."
        ),
        examples=(
            "what's wrong with our data?",
            "show the data quality report",
            "which rows were rejected when we loaded the files?",
            "are there duplicate serial numbers?",
            "which devices are missing a school?",
            "what problems did the last import have?",
            "give me the data cleanup list for the asset systems",
            "how clean is our inventory data?",
        ),
        domain="quality",
        keywords=(
            "quality",
            "duplicate",
            "missing",
            "reject",
            "wrong with",
            "failed to import",
            "clean",
            "bad data",
        ),  # fmt: skip
    ),
)
