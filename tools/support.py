"""End of support: Chromebooks whose automatic updates end (AUE) in a window, by model.

Google fixes the end of updates per hardware platform, so it is a model's date, not a
device's age: "which Chromebooks go out of support next year?" is answered from each device's
AUE date alone. It is not the replacement date (``devices_due_for_replacement``: purchase date
plus the cycle, or the AUE when that comes first); a device with no AUE on file is counted in a
note, never given one.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import func, select, true
from sqlalchemy.orm import Session

from ingest.schema import Device, Location
from tools.assets import NONE_LABEL, device_filters, device_refs
from tools.base import ToolResult, ToolSpec
from tools.cues import Cue

ROW_CAP = 200


class EndOfSupportArgs(BaseModel):
    """A window of AUE dates, optionally for one model or school, and the grouping."""

    start: dt.date = Field(description="First AUE date to include (YYYY-MM-DD).")
    end: dt.date = Field(description="Last AUE date to include (YYYY-MM-DD).")
    model: str | None = Field(default=None, description="Only models whose name holds this.")
    school: str | None = Field(default=None, description="Only devices at this school.")
    group_by: Literal["model", "school"] = Field(
        default="model", description="Count per model (the default) or per school."
    )


class SupportGroup(BaseModel):
    """Chromebooks of one model (or school) whose AUE falls in the window."""

    name: str
    count: int
    first_aue: dt.date
    last_aue: dt.date


class SupportRow(BaseModel):
    """One active Chromebook reaching its AUE in the window."""

    serial: str
    model: str | None
    school: str | None
    aue_date: dt.date
    sources: list[str] = Field(default_factory=list)


class EndOfSupportResult(ToolResult):
    """Per model (or school), largest first; already past AUE and AUE unknown counted apart."""

    start: dt.date
    end: dt.date
    group_by: str
    groups: list[SupportGroup]
    rows: list[SupportRow]
    already_past: int = Field(description="Active devices whose AUE is before the window.")
    no_aue: int = Field(description="Active Chromebooks with no AUE date on file.")


def end_of_support(session: Session, args: EndOfSupportArgs) -> EndOfSupportResult:
    """Active devices with an AUE date in [start, end], grouped by model or school."""
    conds = [
        Device.is_active.is_(true()),
        *device_filters(session, model=args.model, school=args.school),
    ]
    window = [*conds, Device.aue_date >= args.start, Device.aue_date <= args.end]
    key: Any = Device.model if args.group_by == "model" else Location.name
    grouped = session.execute(
        select(key, func.count(Device.id), func.min(Device.aue_date), func.max(Device.aue_date))
        .select_from(Device)
        .outerjoin(Location, Location.id == Device.location_id)
        .where(*window)
        .group_by(key)
    ).all()
    groups = sorted(
        (SupportGroup(name=name or NONE_LABEL, count=n, first_aue=first, last_aue=last)
         for name, n, first, last in grouped),
        key=lambda g: (-g.count, g.first_aue, g.name),
    )  # fmt: skip
    found = session.execute(
        select(Device.id, Device.serial, Device.model, Device.aue_date, Location.name)
        .outerjoin(Location, Location.id == Device.location_id)
        .where(*window)
        .order_by(Device.aue_date, Device.serial)
        .limit(ROW_CAP)
    ).all()
    per_device, refs, systems = device_refs(session, [r.id for r in found])
    rows = [
        SupportRow(
            serial=r.serial,
            model=r.model,
            school=r.name,
            aue_date=r.aue_date,
            sources=per_device.get(r.id, []),
        )  # fmt: skip
        for r in found
    ]
    count = sum(g.count for g in groups)
    past = session.scalar(
        select(func.count(Device.id)).where(*conds, Device.aue_date < args.start)
    ) or 0  # fmt: skip
    chromebooks = device_filters(session, category="Chromebook")
    no_aue = session.scalar(
        select(func.count(Device.id)).where(*conds, *chromebooks, Device.aue_date.is_(None))
    ) or 0  # fmt: skip
    notes = [f"Showing the first {len(rows)} of {count} devices."] if count > len(rows) else []
    if no_aue:
        notes.append(
            f"{no_aue} active Chromebook{' has' if no_aue == 1 else 's have'} no AUE date on file "
            f"and {'is' if no_aue == 1 else 'are'} not counted."
        )
    return EndOfSupportResult(
        start=args.start, end=args.end, group_by=args.group_by, groups=groups, rows=rows,
        already_past=past, no_aue=no_aue, count=count, sources=refs, systems=systems,
        notes=notes,
    )  # fmt: skip


# End of updates, in the words people use for it: AUE, auto update (expiration), end of
# support or updates, "stop getting updates", "go out of support".
_ASKS_AUE = re.compile(
    r"\b(aues?|auto[- ]?updates?|end of (?:support|updates)|stops? (?:getting |receiving )?updates"
    r"|(?:out of|lose|losing|loses) (?:google )?(?:support|updates))\b"
)


# A question about end of support names it; one that does not is about something else.
_AUE_UNASKED = re.compile(
    r"^(?!.*\b(aues?|auto[- ]?updates?|updates?|support\w*|expir\w*|eol|end of life)\b)"
)


# The replacement date already counts the AUE: naming replacement asks for that schedule.
_REPLACEMENT_NAMED = re.compile(r"\b(replac\w*|refresh\w*)\b")


TOOLS = (
    ToolSpec(
        name="end_of_support",
        measures=("count", "list"),
        cues=(
            Cue("asks_aue", _ASKS_AUE),
            Cue("subject_unnamed", _AUE_UNASKED),
            Cue("replacement_named", _REPLACEMENT_NAMED),
        ),
        func=end_of_support,
        args_model=EndOfSupportArgs,
        description=(
            "Chromebooks whose end of automatic updates (AUE, Google's end of support for the "
            "hardware platform) falls in a date window, counted by model (or school) with the "
            "largest first and the AUE dates, with devices already past AUE and devices with no "
            "AUE on file apart. Not the replacement schedule."
        ),
        examples=(
            "which Chromebooks reach their AUE next year?",
            "how many Chromebooks stop getting updates before June 30?",
            "Chromebook end of support by model for FY2028",
            "what models lose Google updates in the next 12 months?",
            "which schools have Chromebooks hitting auto update expiration this school year?",
            "when do our 300e's go out of support?",
            "list Chromebooks whose auto-update expiration is in 2027",
            "how many Chromebooks at Westview expire on updates by next summer?",
        ),
        domain="devices",
        keywords=(
            "aue",
            "auto update",
            "auto-update",
            "end of support",
            "updates",
            "out of support",
        ),  # fmt: skip
        default_window="the next 12 months",
    ),
)
