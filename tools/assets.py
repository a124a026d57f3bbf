"""Device inventory: what we have, what comes due for replacement, what it will cost, and warranties.

A director plans refreshes by fiscal year, so replacement dates follow the district's policy
(purchase date + the category's cycle; for a Chromebook the earlier of that and its Auto Update
Expiration) and are computed in SQL from ``replacement_policies``. Devices whose date cannot be
known, or whose category has no policy, are counted and named in notes, never guessed or dropped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, cast

from pydantic import BaseModel, Field
from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement

from ingest.devices import normalize_category
from ingest.parse import normalize_serial
from ingest.schema import Device, FactSource, Location, Person, SourceRecord
from ingest.schema import ReplacementPolicyRow as Policy
from tools.base import (
    ToolResult,
    ToolSpec,
    district_setting,
    replacement_policies,
    school_ids,
    sources_of,
)
from tools.dates import FiscalCalendar

SOURCE_CAP = 200
NONE_LABEL = "(none)"
ACTIVE_WORDS = {"active": True, "retired": False, "inactive": False}
ALL_WORDS = {"all", "any"}

# --------------------------------------------------------------------------------------------
# Shared pieces: entity filters, the replacement date in SQL, sources of devices
# --------------------------------------------------------------------------------------------


def device_filters(
    session: Session,
    *,
    school: str | None = None,
    model: str | None = None,
    category: str | None = None,
    manufacturer: str | None = None,
    owner: str | None = None,
    serial: str | None = None,
) -> list[ColumnElement[bool]]:
    """WHERE conditions on ``devices`` for the entity filters a question named."""
    conds: list[ColumnElement[bool]] = []
    if school:
        conds.append(Device.location_id.in_(school_ids(session, school)))
    if model:
        conds.append(func.lower(Device.model).contains(model.strip().lower(), autoescape=True))
    if category:
        wanted = {category.strip().lower(), (normalize_category(category, None) or "").lower()}
        conds.append(func.lower(Device.category).in_(sorted(wanted - {""})))
    if manufacturer:
        wanted_maker = manufacturer.strip().lower()
        conds.append(func.lower(Device.manufacturer).contains(wanted_maker, autoescape=True))
    if owner:
        who = owner.strip().lower()
        people = select(Person.id).where(
            or_(
                func.lower(Person.email) == who,
                func.lower(Person.name).contains(who, autoescape=True),
            )
        )
        conds.append(Device.person_id.in_(people))
    if serial:
        conds.append(Device.serial == _serial_key(serial))
    return conds


def _serial_key(serial: str) -> str:
    try:
        return normalize_serial(serial) or serial.strip().upper()
    except ValueError:
        return serial.strip().upper()


def status_filter(status: str | None, *, default_active: bool = True) -> list[ColumnElement[bool]]:
    """'active'/'retired' mean is_active; 'all' means no filter; other words match the status."""
    if status is None:
        return [Device.is_active.is_(True)] if default_active else []
    word = status.strip().lower()
    if word in ALL_WORDS:
        return []
    if word in ACTIVE_WORDS:
        return [Device.is_active.is_(ACTIVE_WORDS[word])]
    return [func.lower(Device.status) == word]


def replacement_date() -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """The replacement date and its reason ("cycle" or "AUE"), kept on each device by ingest.

    purchase_date + cycle_years; for a Chromebook with an AUE date, the earlier of the two (a tie
    is reported as "cycle"). NULL when neither is known (ingest/rollups.py keeps it current).
    """
    return Device.replacement_date, Device.replacement_reason


def _policy_join() -> ColumnElement[bool]:
    return Policy.category == Device.category


@dataclass(frozen=True)
class _Bucketed:
    """Active devices of one bucket, category and school, with their category's policy."""

    bucket: str
    category: str
    cycle_years: int
    unit_cost: Decimal
    school: str | None
    n: int
    cost: Decimal


def _policy_map(session: Session) -> dict[str, Any]:
    """Policy rows by every spelling a device category may have ("Chromebook", "chromebook")."""
    found: dict[str, Any] = {}
    for category, policy in replacement_policies(session).items():
        for spelling in {category, category.title(), category.lower()}:
            found[spelling] = policy
    return found


def _summary(
    session: Session, conds: list[ColumnElement[bool]], buckets: list[tuple[str, Any]]
) -> list[_Bucketed]:
    """Count and cost per bucket, category (with its policy) and school: a small result.

    ``buckets`` are (label, condition on the replacement date) tried in order; a NULL date is
    "no_date", a date matching none is "later". The query reads only the covering index of
    (is_active, category, replacement_date, location_id); policies and school names are small
    tables joined here. Grouping by the subquery's columns keeps bound parameters out of GROUP
    BY, which PostgreSQL needs.
    """
    policies = _policy_map(session)
    day = Device.replacement_date
    bucket = case((day.is_(None), "no_date"), *[(test(day), label) for label, test in buckets],
                  else_="later")  # fmt: skip
    inner = (
        select(bucket.label("bucket"), Device.category.label("category"),
               Device.location_id.label("location_id"))
        .where(Device.is_active.is_(True), Device.category.in_(list(policies)), *conds)
        .subquery()
    )  # fmt: skip
    keys = (inner.c.bucket, inner.c.category, inner.c.location_id)
    grouped = session.execute(select(*keys, func.count()).group_by(*keys)).all()
    names = dict(session.execute(select(Location.id, Location.name)).all())
    out = []
    for bucket_name, category, location_id, n in grouped:
        policy = policies[category]
        out.append(_Bucketed(bucket_name, policy.category, policy.cycle_years, policy.unit_cost,
                             names.get(location_id), n, n * policy.unit_cost))  # fmt: skip
    return out


def _overdue_buckets(before: dt.date, as_of: dt.date) -> list[tuple[str, Any]]:
    return [
        ("overdue_past", lambda day: and_(day < before, day <= as_of)),
        ("overdue", lambda day: day < before),
    ]


def _no_policy(session: Session, conds: list[ColumnElement[bool]]) -> dict[str, int]:
    """Active devices whose category has no replacement policy, per category."""
    spellings = list(_policy_map(session))
    query = (
        select(Device.category, func.count(Device.id))
        .where(
            Device.is_active.is_(True),
            or_(Device.category.is_(None), Device.category.not_in(spellings)),
            *conds,
        )
        .group_by(Device.category)
    )
    return {category or "uncategorised": n for category, n in session.execute(query)}


def _no_policy_note(counts: dict[str, int]) -> list[str]:
    if not counts:
        return []
    parts = ", ".join(f"{category} {n}" for category, n in sorted(counts.items()))
    total = sum(counts.values())
    return [f"{total} active device(s) are in categories with no replacement policy and are not "
            f"counted ({parts})."]  # fmt: skip


def _no_date_note(n: int) -> list[str]:
    if not n:
        return []
    return [f"{n} active device(s) have no purchase date (and no AUE date), so no replacement "
            "date can be known; they are not counted."]  # fmt: skip


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


def _cap_note(shown: int, count: int, what: str) -> list[str]:
    if count <= shown:
        return []
    return [f"Showing {shown} of {count} {what}; sources list the records shown."]


class PolicyUsed(BaseModel):
    """The replacement policy applied to one category."""

    cycle_years: int
    unit_cost: Decimal


def _policies(summary: list[Any], buckets: set[str]) -> dict[str, PolicyUsed]:
    return {
        row.category: PolicyUsed(cycle_years=row.cycle_years, unit_cost=row.unit_cost)
        for row in sorted(summary, key=lambda r: r.category)
        if row.bucket in buckets
    }


# --------------------------------------------------------------------------------------------
# devices_list
# --------------------------------------------------------------------------------------------

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
    count = session.scalar(_with_joins(select(func.count(Device.id)), conds)) or 0
    notes = _retired_note(session, entity) if args.status is None and default_active else []
    if args.group_by:
        groups, refs, systems, capped = _device_groups(session, args.group_by, conds, count)
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
    notes += _cap_note(len(rows), count, "devices")
    return DevicesListResult(rows=rows, groups=[], group_by=None, count=count, sources=refs,
                             systems=systems, notes=notes)  # fmt: skip


def _with_joins(query: Select, conds: list[ColumnElement[bool]]) -> Select:
    return (
        query.select_from(Device)
        .outerjoin(Location, Location.id == Device.location_id)
        .outerjoin(Person, Person.id == Device.person_id)
        .where(*conds)
    )


def _retired_note(session: Session, entity: list[ColumnElement[bool]]) -> list[str]:
    query = select(func.count(Device.id)).where(Device.is_active.is_(False), *entity)
    retired = session.scalar(query) or 0
    if not retired:
        return []
    return [f"Active devices only: {retired} retired device(s) matching the same filters are not "
            "counted (ask with status 'retired' or 'all' to see them)."]  # fmt: skip


def _device_groups(
    session: Session, group_by: str, conds: list[ColumnElement[bool]], count: int
) -> tuple[list[DeviceGroup], list[str], list[str], list[str]]:
    """Counts per group in SQL, and the sources of the first SOURCE_CAP devices counted."""
    column = GROUP_COLUMNS[group_by]
    n = func.count(Device.id).label("n")
    query = _with_joins(select(column, n), conds).group_by(column).order_by(n.desc(), column)
    groups = [
        DeviceGroup(group=value if value is not None else NONE_LABEL, count=k)
        for value, k in session.execute(query)
    ]
    ids = list(session.scalars(_with_joins(select(Device.id), conds)
                               .order_by(Device.id).limit(SOURCE_CAP)))  # fmt: skip
    _, refs, systems = device_refs(session, ids)
    capped = []
    if count > SOURCE_CAP:
        capped = [f"Sources list the records of the first {SOURCE_CAP} of {count} devices."]
    return groups, refs, systems, capped


# --------------------------------------------------------------------------------------------
# devices_due_for_replacement
# --------------------------------------------------------------------------------------------


class DueArgs(BaseModel):
    """A window of replacement dates, optionally for one category or school."""

    start: dt.date = Field(description="First replacement date to include (YYYY-MM-DD).")
    end: dt.date = Field(description="Last replacement date to include (YYYY-MM-DD).")
    as_of: dt.date = Field(description="Today, for telling what is already past its date.")
    category: str | None = Field(default=None, description="Only this category (Chromebook).")
    school: str | None = Field(default=None, description="Only this school or site.")
    limit: int = Field(default=200, ge=1, le=5000, description="Device rows to show at most.")


class DueRow(BaseModel):
    """One active device whose replacement date falls in the window."""

    serial: str
    model: str | None
    category: str
    school: str | None
    purchase_date: dt.date | None
    aue_date: dt.date | None
    replacement_date: dt.date
    reason: Literal["cycle", "AUE"]
    sources: list[str] = Field(default_factory=list)


class DueResult(ToolResult):
    """Devices due in the window, totals per category with the policy used, and what is not."""

    rows: list[DueRow]
    by_category: dict[str, int]
    cost_by_category: dict[str, Decimal]
    estimated_cost: Decimal
    policies: dict[str, PolicyUsed]
    overdue: int
    overdue_cost: Decimal
    overdue_by_as_of: int
    no_date: int
    no_policy: int
    start: dt.date
    end: dt.date
    as_of: dt.date


def devices_due_for_replacement(session: Session, args: DueArgs) -> DueResult:
    """Active devices whose replacement date falls in [start, end]; overdue ones apart.

    Overdue = replacement date before ``start`` (``overdue_by_as_of`` of them on or before
    as_of); no_date = no purchase date and no AUE date. Cost = count x the category's unit cost.
    """
    conds = device_filters(session, school=args.school, category=args.category)
    buckets = [*_overdue_buckets(args.start, args.as_of), ("due", lambda day: day <= args.end)]
    summary = _summary(session, conds, buckets)
    tally = _tally(summary, "category")
    due = tally.get("due", {})
    rows, refs, systems = _due_rows(session, conds, args.start, args.end, args.limit)
    overdue_past, overdue_later = tally.get("overdue_past", {}), tally.get("overdue", {})
    overdue = _add(overdue_past, overdue_later)
    no_date = sum(n for n, _ in tally.get("no_date", {}).values())
    no_policy = _no_policy(session, conds)
    count = sum(n for n, _ in due.values())
    notes = _cap_note(len(rows), count, "devices due") + _overdue_note(
        overdue, overdue_past, args.start
    ) + _no_date_note(no_date) + _no_policy_note(no_policy)  # fmt: skip
    return DueResult(
        rows=rows, count=count, by_category={k: n for k, (n, _) in due.items()},
        cost_by_category={k: c for k, (_, c) in due.items()},
        estimated_cost=sum((c for _, c in due.values()), Decimal(0)),
        policies=_policies(summary, {"due", "overdue", "overdue_past"}),
        overdue=sum(n for n, _ in overdue.values()),
        overdue_cost=sum((c for _, c in overdue.values()), Decimal(0)),
        overdue_by_as_of=sum(n for n, _ in overdue_past.values()), no_date=no_date,
        no_policy=sum(no_policy.values()), start=args.start, end=args.end, as_of=args.as_of,
        sources=refs, systems=systems, notes=notes,
    )  # fmt: skip


Tally = dict[str, dict[str, tuple[int, Decimal]]]


def _tally(summary: list[Any], by: str) -> Tally:
    """bucket -> group (category or school) -> (count, cost), largest count first."""
    tally: Tally = {}
    for row in summary:
        group = getattr(row, by) or NONE_LABEL
        n, cost = tally.setdefault(row.bucket, {}).get(group, (0, Decimal(0)))
        tally[row.bucket][group] = (n + row.n, cost + Decimal(row.cost or 0))
    return {
        bucket: dict(sorted(groups.items(), key=lambda item: (-item[1][0], item[0])))
        for bucket, groups in tally.items()
    }


def _add(*parts: dict[str, tuple[int, Decimal]]) -> dict[str, tuple[int, Decimal]]:
    total: dict[str, tuple[int, Decimal]] = {}
    for part in parts:
        for group, (n, cost) in part.items():
            old_n, old_cost = total.get(group, (0, Decimal(0)))
            total[group] = (old_n + n, old_cost + cost)
    return total


def _due_rows(
    session: Session, conds: list[ColumnElement[bool]], start: dt.date, end: dt.date, limit: int
) -> tuple[list[DueRow], list[str], list[str]]:
    """The first ``limit`` devices due in the window, read off the replacement-date index."""
    query = (
        select(Device, Location.name)
        .join(Policy, _policy_join())
        .outerjoin(Location, Location.id == Device.location_id)
        .where(
            Device.is_active.is_(True),
            Device.replacement_date >= start,
            Device.replacement_date <= end,
            *conds,
        )
        .order_by(Device.replacement_date, Device.serial)
        .limit(limit)
    )
    found = session.execute(query).all()
    per_device, refs, systems = device_refs(session, [d.id for d, _ in found])
    rows = [
        DueRow(serial=d.serial, model=d.model, category=d.category, school=school,
               purchase_date=d.purchase_date, aue_date=d.aue_date,
               replacement_date=d.replacement_date, reason=d.replacement_reason,
               sources=per_device.get(d.id, []))
        for d, school in found
    ]  # fmt: skip
    return rows, refs, systems


def _overdue_note(
    overdue: dict[str, tuple[int, Decimal]], past: dict[str, tuple[int, Decimal]], start: dt.date
) -> list[str]:
    total = sum(n for n, _ in overdue.values())
    if not total:
        return []
    reached = sum(n for n, _ in past.values())
    parts = ", ".join(f"{group} {n}" for group, (n, _) in overdue.items())
    return [f"{total} active device(s) reach their replacement date before {start.isoformat()} "
            f"({parts}) and are reported as overdue, not in the window; {reached} of them had "
            "already reached it by the as-of date."]  # fmt: skip


# --------------------------------------------------------------------------------------------
# replacement_budget
# --------------------------------------------------------------------------------------------


class BudgetArgs(BaseModel):
    """How many fiscal years to plan, from the next one, and how to break the cost down."""

    as_of: dt.date = Field(description="Today; planning starts with the next fiscal year.")
    years: int = Field(default=3, ge=1, le=6, description="Fiscal years to plan, from next.")
    by: Literal["category", "school"] = Field(
        default="category", description="Break each year down per category or per school."
    )
    category: str | None = Field(default=None, description="Only this category (Chromebook).")
    school: str | None = Field(default=None, description="Only this school or site.")


class BudgetRow(BaseModel):
    """Replacements of one category (or school) in one fiscal year."""

    fiscal_year: str
    start: dt.date
    end: dt.date
    group: str
    count: int
    unit_cost: Decimal | None = Field(description="Per unit, when broken down per category.")
    cost: Decimal


class FiscalYearTotal(BaseModel):
    """All replacements due in one fiscal year."""

    fiscal_year: str
    start: dt.date
    end: dt.date
    count: int
    cost: Decimal


class OverdueLine(BaseModel):
    """Devices whose replacement date falls before the first planned year, kept apart."""

    before: dt.date
    count: int
    cost: Decimal
    reached_by_as_of: int = Field(description="Of these, dated on or before as_of.")
    by_group: dict[str, int]


class BudgetResult(ToolResult):
    """Replacement count and cost per fiscal year and group, year totals and the overdue line."""

    rows: list[BudgetRow]
    years: list[FiscalYearTotal]
    overdue: OverdueLine
    total_count: int
    total_cost: Decimal
    policies: dict[str, PolicyUsed]
    later: int = Field(description="Active devices due after the last planned year.")
    no_date: int
    no_policy: int
    by: str
    as_of: dt.date


def replacement_budget(session: Session, args: BudgetArgs) -> BudgetResult:
    """Cost to replace active devices as they come due, per fiscal year from the next one.

    One query buckets every active device with a policy by its replacement date (overdue, each
    fiscal year, later, no date) and groups by bucket, category and school.
    """
    calendar = _calendar(session)
    first = calendar.fiscal_year(args.as_of) + 1
    fys = [(f"FY{fy}", *calendar.year_bounds(fy)) for fy in range(first, first + args.years)]
    conds = device_filters(session, school=args.school, category=args.category)
    buckets = _overdue_buckets(fys[0][1], args.as_of) + [
        (label, _on_or_before(end)) for label, _, end in fys
    ]
    summary = _summary(session, conds, buckets)
    tally = _tally(summary, args.by)
    units = {row.category: row.unit_cost for row in summary}
    rows = [
        BudgetRow(fiscal_year=label, start=start, end=end, group=group, count=n, cost=cost,
                  unit_cost=units.get(group) if args.by == "category" else None)
        for label, start, end in fys
        for group, (n, cost) in tally.get(label, {}).items()
    ]  # fmt: skip
    years = [_year_total(label, start, end, tally.get(label, {})) for label, start, end in fys]
    overdue = _overdue_line(fys[0][1], tally)
    total = sum(y.count for y in years)
    ids = list(session.scalars(
        select(Device.id)
        .where(Device.is_active.is_(True), Device.category.in_(list(_policy_map(session))),
               Device.replacement_date.between(fys[0][1], fys[-1][2]), *conds)
        .order_by(Device.replacement_date, Device.id).limit(SOURCE_CAP)
    ))  # fmt: skip
    _, refs, systems = device_refs(session, ids)
    later = sum(n for n, _ in tally.get("later", {}).values())
    no_date = sum(n for n, _ in tally.get("no_date", {}).values())
    no_policy = _no_policy(session, conds)
    notes = _budget_notes(fys, overdue, later, total) + _no_date_note(no_date)
    notes += _no_policy_note(no_policy)
    return BudgetResult(
        rows=rows, years=years, overdue=overdue, total_count=total,
        total_cost=sum((y.cost for y in years), Decimal(0)),
        policies=_policies(summary, {label for label, _, _ in fys} | {"overdue", "overdue_past"}),
        later=later, no_date=no_date, no_policy=sum(no_policy.values()), by=args.by,
        as_of=args.as_of, count=total, sources=refs, systems=systems, notes=notes,
    )  # fmt: skip


def _calendar(session: Session) -> FiscalCalendar:
    text = str(district_setting(session, "fiscal_year_start", "07-01"))
    month, day = (int(part) for part in text.split("-"))
    return FiscalCalendar(start_month=month, start_day=day)


def _on_or_before(end: dt.date) -> Any:
    return lambda day: day <= end


def _year_total(
    label: str, start: dt.date, end: dt.date, groups: dict[str, tuple[int, Decimal]]
) -> FiscalYearTotal:
    return FiscalYearTotal(fiscal_year=label, start=start, end=end,
                           count=sum(n for n, _ in groups.values()),
                           cost=sum((c for _, c in groups.values()), Decimal(0)))  # fmt: skip


def _overdue_line(before: dt.date, tally: Tally) -> OverdueLine:
    past = tally.get("overdue_past", {})
    both = _add(past, tally.get("overdue", {}))
    return OverdueLine(
        before=before, count=sum(n for n, _ in both.values()),
        cost=sum((c for _, c in both.values()), Decimal(0)),
        reached_by_as_of=sum(n for n, _ in past.values()),
        by_group={g: n for g, (n, _) in sorted(both.items(), key=lambda i: (-i[1][0], i[0]))},
    )  # fmt: skip


def _budget_notes(
    fys: list[tuple[str, dt.date, dt.date]], overdue: OverdueLine, later: int, total: int
) -> list[str]:
    notes = []
    if total > SOURCE_CAP:
        notes.append(f"Sources list the first {SOURCE_CAP} of the {total} devices planned.")
    if overdue.count:
        notes.append(
            f"{overdue.count} active device(s) (${overdue.cost:,.2f}) reach their replacement date "
            f"before {fys[0][0]} starts ({overdue.before.isoformat()}) and are shown apart as "
            f"overdue; {overdue.reached_by_as_of} of them had already reached it by the as-of date."
        )
    if later:
        notes.append(
            f"{later} active device(s) come due after {fys[-1][0]} and are not in the plan."
        )
    return notes


# --------------------------------------------------------------------------------------------
# warranty_expiring
# --------------------------------------------------------------------------------------------


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
    notes = _cap_note(len(rows), count, "devices")
    if unknown:
        notes.append(f"{unknown} active device(s) matching the filters have no warranty end date "
                     "on file and cannot be checked.")  # fmt: skip
    return WarrantyResult(rows=rows, count=count, by_category=by_category, start=args.start,
                          end=args.end, sources=refs, systems=systems, notes=notes)  # fmt: skip


TOOLS = (
    ToolSpec(
        name="devices_list",
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
        ),
        domain="devices",
        # Entity words (chromebook, laptop) and "how many" are slots, not this tool's intent.
        keywords=("device", "inventory", "assigned", "how many devices", "fleet"),
        default_window=None,
    ),
    ToolSpec(
        name="devices_due_for_replacement",
        func=devices_due_for_replacement,
        args_model=DueArgs,
        description=(
            "Active devices whose replacement date (purchase date + the category's replacement "
            "cycle; for Chromebooks the earlier of that and the Auto Update Expiration) falls in "
            "a date window: one row per device with the reason (cycle or AUE), counts and "
            "estimated cost per category with the policy used, plus overdue devices and devices "
            "with no purchase date counted apart."
        ),
        examples=(
            "which devices are due for replacement next fiscal year?",
            "how many Chromebooks hit end of support (AUE) before June 30?",
            "what needs to be refreshed at Lincoln Elementary this year?",
            "which laptops age out in the next 12 months?",
            "how many devices are past their replacement date?",
        ),
        domain="devices",
        keywords=(
            "replac",
            "end of support",
            "aue",
            "refresh",
            "due",
            "age out",
            "eol",
            "end of life",
        ),  # fmt: skip
        default_window="next fiscal year",
    ),
    ToolSpec(
        name="replacement_budget",
        func=replacement_budget,
        args_model=BudgetArgs,
        description=(
            "Replacement budget by fiscal year, starting with next fiscal year: how many active "
            "devices come due each year and what replacing them costs (count x unit cost of the "
            "category policy), per category or per school, with year totals, the overdue "
            "backlog as a separate line, and devices with no purchase date counted in notes."
        ),
        examples=(
            "what will it cost to replace devices over the next three fiscal years?",
            "what's our device replacement budget for next year?",
            "how much should we plan for Chromebook replacements by fiscal year?",
            "replacement cost per school for the next 5 years",
            "what does the refresh plan look like by fiscal year?",
        ),
        domain="devices",
        keywords=("budget", "cost to replace", "replacement cost", "plan", "fiscal year"),
        default_window=None,
    ),
    ToolSpec(
        name="warranty_expiring",
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
        ),
        domain="devices",
        keywords=("warrant",),
        default_window="the next 90 days",
    ),
)
