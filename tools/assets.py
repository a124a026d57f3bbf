"""Device inventory: what we have, where, with whom, and whose warranty runs out.

Shared device filters (school, model, category, status, owner) and the file:row references of
merged devices live here; replacement questions are in tools/replacement.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, cast

from pydantic import BaseModel, Field
from sqlalchemy import Select, and_, case, func, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement

from ingest.devices import normalize_category
from ingest.parse import normalize_serial
from ingest.schema import (
    Device,
    DeviceHolder,
    DeviceSummary,
    FactSource,
    Location,
    Person,
    SourceRecord,
)
from tools.base import (
    SOURCE_CAP,
    ToolResult,
    ToolSpec,
    sample_note,
    school_ids,
    sources_of,
)

NONE_LABEL = "(none)"


ACTIVE_WORDS = {"active": True, "retired": False, "inactive": False}


ALL_WORDS = {"all", "any"}


def device_filters(
    session: Session,
    *,
    school: str | None = None,
    model: str | None = None,
    category: str | None = None,
    manufacturer: str | None = None,
    owner: str | None = None,
    serial: str | None = None,
    on: Any = Device,
) -> list[ColumnElement[bool]]:
    """WHERE conditions on ``devices`` (or ``device_summary``, ``on``; it has no owner or
    serial) for the entity filters a question named."""
    conds: list[ColumnElement[bool]] = []
    if school:
        conds.append(on.location_id.in_(school_ids(session, school)))
    if model:
        conds.append(func.lower(on.model).contains(model.strip().lower(), autoescape=True))
    if category:
        wanted = {category.strip().lower(), (normalize_category(category, None) or "").lower()}
        conds.append(func.lower(on.category).in_(sorted(wanted - {""})))
    if manufacturer:
        wanted_maker = manufacturer.strip().lower()
        conds.append(func.lower(on.manufacturer).contains(wanted_maker, autoescape=True))
    if owner:
        who = owner.strip().lower()
        people = select(Person.id).where(
            or_(
                func.lower(Person.email) == who,
                func.lower(Person.name).contains(who, autoescape=True),
            )
        )
        # A person's devices are the union over every system (``device_holders``).
        held = select(DeviceHolder.device_id).where(DeviceHolder.person_id.in_(people))
        conds.append(or_(Device.person_id.in_(people), Device.id.in_(held)))
    if serial:
        conds.append(Device.serial == _serial_key(serial))
    return conds


def _serial_key(serial: str) -> str:
    try:
        return normalize_serial(serial) or serial.strip().upper()
    except ValueError:
        return serial.strip().upper()


def status_filter(
    status: str | None, *, default_active: bool = True, on: Any = Device
) -> list[ColumnElement[bool]]:
    """'active'/'retired' mean is_active; 'all' means no filter; other words match the status."""
    if status is None:
        return [on.is_active.is_(True)] if default_active else []
    word = status.strip().lower()
    if word in ALL_WORDS:
        return []
    if word in ACTIVE_WORDS:
        return [on.is_active.is_(ACTIVE_WORDS[word])]
    status = func.lower(on.status)
    # "lost" is also one half of a combined status such as Snipe-IT's "Lost/Stolen"
    halves = (
        status.startswith(f"{word}/", autoescape=True),
        status.endswith(f"/{word}", autoescape=True),
    )
    return [or_(status == word, *halves)]


def device_refs(
    session: Session, device_ids: list[int]
) -> tuple[dict[int, list[str]], list[str], list[str]]:
    """file:row of every system's record of each device (a merged device has several)."""
    pairs: list[tuple[int, int, str, int]] = []
    for start in range(0, len(device_ids), 5000):
        pairs += session.execute(
            select(FactSource.fact_id, SourceRecord.id, SourceRecord.file, SourceRecord.row)
            .join(SourceRecord, SourceRecord.id == FactSource.source_record_id)
            .where(FactSource.table_name == "devices")
            .where(FactSource.fact_id.in_(device_ids[start : start + 5000]))
            .order_by(FactSource.fact_id, SourceRecord.id)
        )
    per_device: dict[int, list[tuple[int, str]]] = {}
    for device_id, record_id, file, row in pairs:
        per_device.setdefault(device_id, []).append((record_id, f"{file}:{row}"))
    refs, systems = sources_of(session, (r for d in device_ids for r, _ in per_device.get(d, [])))
    return {d: [ref for _, ref in found] for d, found in per_device.items()}, refs, systems


def cap_note(shown: int, count: int, what: str) -> list[str]:
    if count <= shown:
        return []
    return [f"Showing {shown} of {count} {what}; sources list the records shown."]


GroupBy = Literal["model", "category", "school", "status", "manufacturer"]


GROUP_COLUMNS: dict[str, Any] = {
    "model": Device.model,
    "category": Device.category,
    "school": Location.name,
    "status": Device.status,
    "manufacturer": Device.manufacturer,
}


class DevicesListArgs(BaseModel):
    """Which devices to list or count, and how to group them."""

    model: str | None = Field(default=None, description="Model contains this (any case).")
    category: str | None = Field(default=None, description="Category, e.g. Chromebook, Laptop.")
    school: str | None = Field(default=None, description="School or site name, or its alias.")
    status: str | None = Field(
        default=None,
        description="Status as written (Deployed, Archived), or 'active', 'retired' or 'all'. "
        "Default: active devices (all statuses when grouping by status).",
    )
    manufacturer: str | None = Field(default=None, description="Manufacturer contains this.")
    owner: str | None = Field(default=None, description="Assigned person's email or name.")
    serial: str | None = Field(default=None, description="One serial number, as written.")
    group_by: GroupBy | None = Field(default=None, description="Count per model/category/...")
    limit: int = Field(default=50, ge=1, le=5000, description="Device rows to show at most.")


class DeviceRow(BaseModel):
    """One device."""

    serial: str
    asset_tag: str | None
    model: str | None
    category: str | None
    school: str | None
    status: str | None
    owner_email: str | None
    purchase_date: dt.date | None
    aue_date: dt.date | None
    sources: list[str] = Field(default_factory=list)


class DeviceGroup(BaseModel):
    """How many devices share one value of the grouping field."""

    group: str
    count: int


class DevicesListResult(ToolResult):
    """Devices (up to ``limit``) or one count per group; ``count`` is always the full count."""

    rows: list[DeviceRow]
    groups: list[DeviceGroup]
    group_by: str | None


def devices_list(session: Session, args: DevicesListArgs) -> DevicesListResult:
    """Devices matching the filters: a list (first ``limit``) or counts per group, largest first."""
    entity = device_filters(session, school=args.school, model=args.model,
                            category=args.category, manufacturer=args.manufacturer,
                            owner=args.owner, serial=args.serial)  # fmt: skip
    default_active = args.group_by != "status"
    conds = entity + status_filter(args.status, default_active=default_active)
    # Counts come from the device summary (~2,000 rows) unless a filter needs the devices.
    summed = args.owner is None and args.serial is None
    counting = _summary_counts(session, args, default_active) if summed else None
    if counting is not None:
        count, retired = counting
    else:
        count = session.scalar(_with_joins(select(func.count(Device.id)), conds)) or 0
        retired = _retired(session, entity)
    notes = _retired_note(retired) if args.status is None and default_active else []
    if args.group_by:
        groups, refs, systems, capped = _device_groups(session, args, conds, count, summed)
        notes += capped
        return DevicesListResult(rows=[], groups=groups, group_by=args.group_by, count=count,
                                 sources=refs, systems=systems, notes=notes)  # fmt: skip
    query = _with_joins(select(Device, Location.name, Person.email), conds).order_by(
        Device.category, Device.model, Device.serial
    )
    found = session.execute(query.limit(args.limit)).all()
    per_device, refs, systems = device_refs(session, [d.id for d, _, _ in found])
    rows = [
        DeviceRow(serial=d.serial, asset_tag=d.asset_tag, model=d.model, category=d.category,
                  school=school, status=d.status, owner_email=email,
                  purchase_date=d.purchase_date, aue_date=d.aue_date,
                  sources=per_device.get(d.id, []))
        for d, school, email in found
    ]  # fmt: skip
    notes += cap_note(len(rows), count, "devices")
    return DevicesListResult(rows=rows, groups=[], group_by=None, count=count, sources=refs,
                             systems=systems, notes=notes)  # fmt: skip


def _with_joins(query: Select, conds: list[ColumnElement[bool]]) -> Select:
    return (
        query.select_from(Device)
        .outerjoin(Location, Location.id == Device.location_id)
        .outerjoin(Person, Person.id == Device.person_id)
        .where(*conds)
    )


def _summary_filters(session: Session, args: DevicesListArgs) -> list[ColumnElement[bool]]:
    return device_filters(session, school=args.school, model=args.model, category=args.category,
                          manufacturer=args.manufacturer, on=DeviceSummary)  # fmt: skip


def _summary_counts(
    session: Session, args: DevicesListArgs, default_active: bool
) -> tuple[int, int]:
    """Devices matching the filters, and retired ones matching the entity filters, summed."""
    entity = _summary_filters(session, args)
    conds = status_filter(args.status, default_active=default_active, on=DeviceSummary)
    retired = case((DeviceSummary.is_active.is_(False), DeviceSummary.devices), else_=0)
    matching = case((and_(true(), *conds), DeviceSummary.devices), else_=0)
    count, retired_count = session.execute(
        select(func.coalesce(func.sum(matching), 0), func.coalesce(func.sum(retired), 0))
        .where(*entity)
    ).one()  # fmt: skip
    return int(count), int(retired_count)


def _retired(session: Session, entity: list[ColumnElement[bool]]) -> int:
    query = select(func.count(Device.id)).where(Device.is_active.is_(False), *entity)
    return session.scalar(query) or 0


def _retired_note(retired: int) -> list[str]:
    if not retired:
        return []
    return [f"Active devices only: {retired} retired device(s) matching the same filters are not "
            "counted (ask with status 'retired' or 'all' to see them)."]  # fmt: skip


def _device_groups(
    session: Session,
    args: DevicesListArgs,
    conds: list[ColumnElement[bool]],
    count: int,
    summed: bool,
) -> tuple[list[DeviceGroup], list[str], list[str], list[str]]:
    """Counts per group in SQL (off the device summary when the filters allow), and the
    sources of the first SOURCE_CAP devices counted."""
    group_by = args.group_by or "model"
    if summed:
        on = DeviceSummary
        column = Location.name if group_by == "school" else getattr(on, group_by)
        n: Any = func.sum(on.devices).label("n")
        where = _summary_filters(session, args) + status_filter(
            args.status, default_active=group_by != "status", on=on
        )
        query = (
            select(column, n).select_from(on)
            .outerjoin(Location, Location.id == on.location_id).where(*where)
        )  # fmt: skip
    else:
        column = GROUP_COLUMNS[group_by]
        n = func.count(Device.id).label("n")
        query = _with_joins(select(column, n), conds)
    query = query.group_by(column).order_by(n.desc(), column)
    groups = [
        DeviceGroup(group=value if value is not None else NONE_LABEL, count=k)
        for value, k in session.execute(query)
    ]
    ids = list(session.scalars(_with_joins(select(Device.id), conds)
                               .order_by(Device.id).limit(SOURCE_CAP)))  # fmt: skip
    _, refs, systems = device_refs(session, ids)
    capped = sample_note(len(ids), count, "devices counted (the first by id)")
    return groups, refs, systems, capped


class WarrantyArgs(BaseModel):
    """A window of warranty end dates, optionally for one category, school or model."""

    start: dt.date = Field(description="First warranty end date to include (YYYY-MM-DD).")
    end: dt.date = Field(description="Last warranty end date to include (YYYY-MM-DD).")
    category: str | None = Field(default=None, description="Only this category (Chromebook).")
    school: str | None = Field(default=None, description="Only this school or site.")
    model: str | None = Field(default=None, description="Model contains this (any case).")
    limit: int = Field(default=200, ge=1, le=5000, description="Device rows to show at most.")


class WarrantyRow(BaseModel):
    """One active device whose warranty ends in the window."""

    serial: str
    asset_tag: str | None
    model: str | None
    category: str | None
    school: str | None
    purchase_date: dt.date | None
    warranty_end: dt.date
    sources: list[str] = Field(default_factory=list)


class WarrantyResult(ToolResult):
    """Devices whose warranty ends in the window, soonest first, with a count per category."""

    rows: list[WarrantyRow]
    by_category: dict[str, int]
    start: dt.date
    end: dt.date


def warranty_expiring(session: Session, args: WarrantyArgs) -> WarrantyResult:
    """Active devices whose warranty_end falls in [start, end]."""
    entity = device_filters(session, school=args.school, category=args.category, model=args.model)
    conds = [Device.is_active.is_(True), *entity]
    window = [*conds, Device.warranty_end >= args.start, Device.warranty_end <= args.end]
    n = func.count(Device.id).label("n")
    per_category = session.execute(
        select(Device.category, n).where(*window).group_by(Device.category)
        .order_by(n.desc(), Device.category)
    ).all()  # fmt: skip
    by_category = {category or NONE_LABEL: k for category, k in per_category}
    query = (
        select(Device, Location.name)
        .outerjoin(Location, Location.id == Device.location_id)
        .where(*window)
        .order_by(Device.warranty_end, Device.serial)
        .limit(args.limit)
    )
    found = session.execute(query).all()
    per_device, refs, systems = device_refs(session, [d.id for d, _ in found])
    rows = [
        WarrantyRow(serial=d.serial, asset_tag=d.asset_tag, model=d.model, category=d.category,
                    school=school, purchase_date=d.purchase_date, warranty_end=cast(dt.date, d.warranty_end),
                    sources=per_device.get(d.id, []))
        for d, school in found
    ]  # fmt: skip
    count = sum(by_category.values())
    unknown = session.scalar(
        select(func.count(Device.id)).where(*conds, Device.warranty_end.is_(None))
    ) or 0  # fmt: skip
    notes = cap_note(len(rows), count, "devices")
    if unknown:
        notes.append(f"{unknown} active device(s) matching the filters have no warranty end date "
                     "on file and cannot be checked.")  # fmt: skip
    return WarrantyResult(rows=rows, count=count, by_category=by_category, start=args.start,
                          end=args.end, sources=refs, systems=systems, notes=notes)  # fmt: skip


TOOLS = (
    ToolSpec(
        name="devices_list",
        measures=("count", "list"),
        func=devices_list,
        args_model=DevicesListArgs,
        description=(
            "Device inventory: lists or counts devices by model, category, school, status, "
            "manufacturer or assigned owner, optionally grouped (count per model, category, "
            "school, status or manufacturer). Returns serial, asset tag, model, school, status, "
            "owner, purchase and AUE dates, and the full count. Active devices by default."
        ),
        examples=(
            "how many Chromebooks do we have?",
            "how many devices are at Lincoln Elementary?",
            "list the laptops assigned to kim@district.org",
            "what's our device inventory by model?",
            "how many devices does each school have?",
            "how many devices are retired?",
            "how many iPads are deployed at the middle school?",
            "count our Dell laptops",
            "what models of projectors do we own?",
            "which devices are checked out to Maria Lopez?",
            "break down our fleet by manufacturer",
            "total number of tablets in the district",
            "what equipment is in the District Office?",
        ),
        domain="devices",
        # Entity words (chromebook, laptop) and "how many" are slots, not this tool's intent.
        keywords=(
            "inventory",
            "assigned to",
            "fleet",
            "count",
            "how many",
            "do we have",
            "do we own",
        ),
        default_window=None,
    ),
    ToolSpec(
        name="warranty_expiring",
        measures=("count", "list"),
        func=warranty_expiring,
        args_model=WarrantyArgs,
        description=(
            "Active devices whose warranty ends in a date window, soonest first, with serial, "
            "model, school and warranty end date, the count and a count per category; "
            "optionally for one category, school or model."
        ),
        examples=(
            "which warranties expire in the next 90 days?",
            "what devices go out of warranty this school year?",
            "how many Chromebook warranties end before June 30?",
            "are any interactive panel warranties expiring at Lincoln Elementary?",
            "which laptops lose warranty coverage next month?",
            "devices whose warranty ends this quarter",
            "when do the warranties on our HP laptops run out?",
            "what's coming off warranty soon?",
            "list devices with warranty ending before the end of the year",
        ),
        domain="devices",
        keywords=("warrant",),
        default_window="the next 90 days",
    ),
)
