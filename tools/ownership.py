"""Owners and disagreements across asset systems: devices nobody holds, and real conflicts.

A device has no owner only when no system names one: Snipe-IT's "checked out to", Google's
annotated user, any other asset export (``device_holders``). Two systems disagree only by the
rule of ``ingest.agreement``: both must name a real place (a blank, spares, a cart or a
deprovisioned unit is no place), two different people, or two different asset tags. The
``data_quality`` tool and the ``quality`` command count by these same functions.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, exists, func, select, true
from sqlalchemy.orm import Session

from ingest.agreement import is_conflict
from ingest.schema import Conflict, Device, DeviceHolder, FactSource, Location, SourceRecord
from tools.assets import NONE_LABEL, device_filters
from tools.base import ToolResult, ToolSpec, school_ids, sources_of
from tools.cues import Cue
from tools.holders import system_label

ROW_CAP = 200


def has_no_owner() -> ColumnElement[bool]:
    """No system names a holder for the device (nor did its merged row)."""
    named = exists().where(DeviceHolder.device_id == Device.id)  # matched to a person or not
    return Device.person_id.is_(None) & ~named


def real_conflicts(session: Session, field: str | None = None) -> list[Conflict]:
    """The stored conflicts that are real by today's rule, by field then serial."""
    query = select(Conflict).where(Conflict.table_name == "devices")
    if field:
        query = query.where(Conflict.field == field)
    found = session.scalars(query.order_by(Conflict.field, Conflict.fact_key))
    return [c for c in found if is_conflict(c.field, c.values)]


# --- devices_without_owner ---------------------------------------------------------------------


class DevicesWithoutOwnerArgs(BaseModel):
    """Which active devices to check for an owner, and how to group them."""

    school: str | None = Field(default=None, description="Only devices at this school.")
    category: str | None = Field(default=None, description="Only this category (Chromebook).")
    group_by: Literal["school", "category"] | None = Field(
        default=None, description="Count per school or per category, largest first."
    )


class UnownedRow(BaseModel):
    """One active device no system assigns to anyone."""

    serial: str
    model: str | None
    category: str | None
    school: str | None
    systems: list[str] = Field(description="The asset systems that list the device.")


class OwnerGroup(BaseModel):
    """Devices without an owner in one school or category."""

    name: str
    count: int


class DevicesWithoutOwnerResult(ToolResult):
    """How many active devices have no owner in any system, grouped, and the first of them."""

    rows: list[UnownedRow]
    groups: list[OwnerGroup] = Field(default_factory=list)
    group_by: str | None = None
    active_devices: int = Field(description="Active devices checked (with the same filters).")


def devices_without_owner(
    session: Session, args: DevicesWithoutOwnerArgs
) -> DevicesWithoutOwnerResult:
    """Active devices that no asset system names an owner for, counted (by school or category)
    and listed in serial order."""
    conds = [
        Device.is_active.is_(true()),
        *device_filters(session, school=args.school, category=args.category),
    ]
    notes = _unknown_school(session, args.school)
    unowned = [*conds, has_no_owner()]
    active = session.scalar(select(func.count(Device.id)).where(*conds)) or 0
    groups: list[OwnerGroup] = []
    if args.group_by == "school":
        # Counted per location on ix_devices_owner_cover alone, then named: joining the 14
        # schools inside the count looked a school up once per device.
        per_place = (
            select(Device.location_id.label("place"), func.count(Device.id).label("n"))
            .where(*unowned)
            .group_by(Device.location_id)
            .subquery()
        )
        query = (
            select(Location.name, func.sum(per_place.c.n))
            .select_from(per_place)
            .outerjoin(Location, Location.id == per_place.c.place)
            .group_by(Location.name)
        )
        groups = _groups(session.execute(query))
    elif args.group_by == "category":
        groups = _groups(
            session.execute(select(Device.category, func.count(Device.id)).where(*unowned)
                            .group_by(Device.category))
        )  # fmt: skip
    if args.group_by:  # the groups partition the devices: their sum is the count
        count = sum(g.count for g in groups)
    else:
        count = session.scalar(select(func.count(Device.id)).where(*unowned)) or 0
    shown = (Device.id, Device.serial, Device.model, Device.category, Device.source_record_id)
    found = session.execute(  # the columns shown, not whole devices (200 rows of 22 columns)
        select(*shown, Location.name)
        .outerjoin(Location, Location.id == Device.location_id)
        .where(*unowned)
        .order_by(Device.serial)
        .limit(ROW_CAP)
    ).all()
    listing = _listing_systems(session, [d.id for d in found])
    rows = [
        UnownedRow(
            serial=d.serial,
            model=d.model,
            category=d.category,
            school=d.name,
            systems=listing.get(d.id, []),
        )  # fmt: skip
        for d in found
    ]
    if count > len(rows):
        notes.append(f"Showing the first {len(rows)} of {count} devices.")
    refs, systems = sources_of(session, [d.source_record_id for d in found])
    return DevicesWithoutOwnerResult(
        rows=rows, groups=groups, group_by=args.group_by, active_devices=active, count=count,
        sources=refs, systems=systems, notes=notes,
    )  # fmt: skip


def _groups(found: Any) -> list[OwnerGroup]:
    """(name, count) rows as groups, largest first (a missing name under NONE_LABEL)."""
    groups = (OwnerGroup(name=name or NONE_LABEL, count=int(n)) for name, n in found)
    return sorted(groups, key=lambda g: (-g.count, g.name))


def _listing_systems(session: Session, device_ids: list[int]) -> dict[int, list[str]]:
    query = (
        select(FactSource.fact_id, FactSource.system)
        .where(FactSource.table_name == "devices", FactSource.fact_id.in_(device_ids))
        .order_by(FactSource.fact_id, FactSource.system)
    )
    out: dict[int, list[str]] = {}
    for device_id, system in session.execute(query):
        out.setdefault(device_id, []).append(system_label(system))
    return out


def _unknown_school(session: Session, school: str | None) -> list[str]:
    if school and not school_ids(session, school):
        return [f'No school named "{school}" is in the data.']
    return []


# --- device_conflicts --------------------------------------------------------------------------


class DeviceConflictsArgs(BaseModel):
    """Which disagreements to list."""

    field: Literal["location", "owner", "asset_tag"] | None = Field(
        default=None, description="Only disagreements on this field (all three by default)."
    )
    school: str | None = Field(
        default=None, description="Only devices at this school (in either system)."
    )


class SystemValue(BaseModel):
    """What one system says."""

    system: str
    value: str


class ConflictRow(BaseModel):
    """One device on which two systems disagree, with both values and both sources."""

    serial: str
    field: str
    values: list[SystemValue]
    kept: str | None = Field(description="The system whose value the device record shows.")
    sources: list[str] = Field(default_factory=list)


class DeviceConflictsResult(ToolResult):
    """Real disagreements between systems, by field, each with both values and sources."""

    rows: list[ConflictRow]
    by_field: dict[str, int]
    field: str | None = None


def device_conflicts(session: Session, args: DeviceConflictsArgs) -> DeviceConflictsResult:
    """Devices whose asset systems disagree on location, owner or asset tag, by the rule of
    ``ingest.agreement``: a blank, spares, a cart or a deprovisioned unit is no disagreement."""
    notes = _unknown_school(session, args.school)
    found = real_conflicts(session, args.field)
    if args.school:
        found = _at_school(session, found, args.school)
    by_field: dict[str, int] = {}
    for conflict in found:
        by_field[conflict.field] = by_field.get(conflict.field, 0) + 1
    shown = found[:ROW_CAP]
    views = _views(session, [c.fact_key for c in shown])
    rows = [
        ConflictRow(
            serial=c.fact_key,
            field=c.field,
            values=[SystemValue(system=system_label(s), value=str(v)) for s, v in c.values.items()],
            kept=system_label(c.chosen_system) if c.chosen_system else None,
            sources=[ref for s, ref, _ in views.get(c.fact_key, []) if s in c.values],
        )  # fmt: skip
        for c in shown
    ]
    if len(found) > len(rows):
        notes.append(f"Showing the first {len(rows)} of {len(found)} conflicts.")
    record_ids = [rid for c in shown for s, _, rid in views.get(c.fact_key, []) if s in c.values]
    refs, systems = sources_of(session, record_ids)
    return DeviceConflictsResult(
        rows=rows, by_field=by_field, field=args.field, count=len(found), sources=refs,
        systems=systems, notes=notes,
    )  # fmt: skip


def _views(session: Session, serials: list[str]) -> dict[str, list[tuple[str, str, int]]]:
    """(system, 'file:row', record id) of every system's view of these devices."""
    query = (
        select(
            Device.serial, FactSource.system, SourceRecord.id, SourceRecord.file, SourceRecord.row
        )  # fmt: skip
        .join(FactSource, (FactSource.fact_id == Device.id) & (FactSource.table_name == "devices"))
        .join(SourceRecord, SourceRecord.id == FactSource.source_record_id)
        .where(Device.serial.in_(serials))
        .order_by(Device.serial, FactSource.system)
    )
    out: dict[str, list[tuple[str, str, int]]] = {}
    for serial, system, record_id, file, row in session.execute(query):
        out.setdefault(serial, []).append((system, f"{file}:{row}", record_id))
    return out


def _at_school(session: Session, found: list[Conflict], school: str) -> list[Conflict]:
    """Conflicts of devices at the school, or naming it as one system's location."""
    ids = school_ids(session, school)
    names = {n.lower() for n in session.scalars(select(Location.name).where(Location.id.in_(ids)))}
    serials = set(
        session.scalars(
            select(Device.serial).where(
                Device.serial.in_([c.fact_key for c in found]), Device.location_id.in_(ids)
            )
        )
    )
    return [
        c
        for c in found
        if c.fact_key in serials
        or (c.field == "location" and any(str(v).lower() in names for v in c.values.values()))
    ]


# A question about devices without an owner names owners, users or assignment somehow.
_OWNER_UNNAMED = re.compile(
    r"^(?!.*\b(owner\w*|owned|assign\w*|unassigned|users?|nobody|no ?one|anybody|anyone"
    r"|checked out|responsible|belongs?|holder|held)\b)"
)


TOOLS = (
    ToolSpec(
        name="devices_without_owner",
        measures=("count", "list"),
        cues=(Cue("subject_unnamed", _OWNER_UNNAMED),),
        func=devices_without_owner,
        args_model=DevicesWithoutOwnerArgs,
        description=(
            "Active devices that no asset system (Snipe-IT, Google Admin, ...) assigns to anyone: "
            "counted, optionally by school or category with the largest first, and listed with "
            "serial, model, category, school and the systems that list them."
        ),
        examples=(
            "how many devices have no owner?",
            "which Chromebooks aren't assigned to anybody?",
            "unassigned devices by school",
            "devices nobody is checked out to at Westview",
            "list laptops with no user in any system",
            "which category has the most devices without an assigned person?",
            "count of devices with no one responsible for them",
            "are there iPads sitting around with no user?",
        ),
        domain="quality",
        keywords=(
            "no owner",
            "without an owner",
            "unassigned",
            "not assigned",
            "no user",
            "nobody",
            "no one assigned",
            "without a user",
        ),  # fmt: skip
        default_window=None,
    ),
    ToolSpec(
        name="device_conflicts",
        measures=("list", "count"),
        refine=lambda values, question: _field_asked(question),
        cues=(Cue("systems_compared", slots=("system",)),),
        func=device_conflicts,
        args_model=DeviceConflictsArgs,
        description=(
            "Devices whose asset systems disagree (Snipe-IT against Google Admin) on location, "
            "owner or asset tag, each with both values and both source rows. Blank values, "
            "spares, carts and deprovisioned units are not disagreements."
        ),
        examples=(
            "which devices have a different location in Snipe-IT and Google?",
            "where do our two asset systems disagree on the owner?",
            "devices whose asset tag doesn't match between systems",
            "list location mismatches between Snipe-IT and the Google Admin console",
            "which Chromebooks show up at two different schools?",
            "conflicting owners for devices at Lincoln",
            "show me the devices the systems disagree about",
            "are there serials with two different asset tags?",
        ),
        domain="quality",
        keywords=(
            "conflict",
            "disagree",
            "mismatch",
            "don't match",
            "doesn't match",
            "two different",
            "inconsisten",
            "discrepanc",
        ),  # fmt: skip
        default_window=None,
    ),
)


def _field_asked(question: str) -> dict[str, Any]:
    """Which field a conflicts question is about ("owner", "asset tag", "location"), if one."""
    text = question.lower()
    asked = [
        field for field, words in (
            ("asset_tag", ("asset tag", "tag", "asset id", "asset number")),
            ("owner", ("owner", "user", "assigned", "checked out", "who has")),
            ("location", ("location", "school", "building", "site")),
        ) if any(word in text for word in words)
    ]  # fmt: skip
    return {"field": asked[0]} if len(asked) == 1 else {}
