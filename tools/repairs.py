"""Repairs across the fleet: which models break most, what they cost to own, how they fail.

A director deciding what to buy next needs the repair record per model, not per ticket: help desk
tickets from every system are joined to the merged devices they name, and counted, summed and
grouped in SQL. Repair = ``tickets.is_repair`` (a hardware failure category, or parts used), so a
password reset filed against a Chromebook is never a "break". Device-years are (as_of - purchase
date) / 365.25 per device; devices with no purchase date are left out of every per-year figure
and counted in notes, never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import Date, Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement

from ingest.devices import normalize_category
from ingest.schema import (
    Device,
    DeviceSummary,
    FactSource,
    RepairSummary,
    SourceRecord,
    Ticket,
)
from ingest.sqlfuncs import days_between
from tools.base import (
    SOURCE_CAP,
    ToolResult,
    ToolSpec,
    district_setting,
    sample_note,
    school_ids,
    sources_of,
)
from tools.cues import Cue

EPOCH = dt.date(1970, 1, 1)


DAYS_PER_YEAR = 365.25


ONE_DAY = dt.timedelta(days=1)


CENT = Decimal("0.01")


NONE_LABEL = {"model": "(no model)", "category": "(no category)"}


class DeviceFilters(BaseModel):
    """Which devices to look at; every filter is optional."""

    category: str | None = Field(default=None, description="Device category, e.g. Chromebook.")
    school: str | None = Field(default=None, description="The device's school or site, or alias.")
    manufacturer: str | None = Field(default=None, description="Manufacturer contains this.")
    model: str | None = Field(default=None, description="Model contains this (any case).")


@dataclass(frozen=True)
class _DeviceColumns:
    """Where a table keeps the device fields the filters test (devices or a summary)."""

    location_id: Any
    category: Any
    manufacturer: Any
    model: Any


DEVICES = _DeviceColumns(Device.location_id, Device.category, Device.manufacturer, Device.model)
SUMMARY = _DeviceColumns(DeviceSummary.location_id, DeviceSummary.category,
                         DeviceSummary.manufacturer, DeviceSummary.model)  # fmt: skip
REPAIRS = _DeviceColumns(RepairSummary.location_id, RepairSummary.device_category,
                         RepairSummary.manufacturer, RepairSummary.model)  # fmt: skip


def _device_conds(
    session: Session, f: DeviceFilters, notes: list[str], on: _DeviceColumns = DEVICES
) -> list[ColumnElement[bool]]:
    """WHERE conditions on ``devices`` (or a summary, ``on``) for the filters given; an unknown
    school is noted."""
    conds: list[ColumnElement[bool]] = []
    if f.school:
        ids = school_ids(session, f.school)
        if not ids:
            notes.append(f'No school named "{f.school}" is in the data.')
        conds.append(on.location_id.in_(ids))
    if f.category:
        wanted = {f.category.strip().lower(), (normalize_category(f.category, None) or "").lower()}
        conds.append(func.lower(on.category).in_(sorted(wanted - {""})))
    for column, value in ((on.manufacturer, f.manufacturer), (on.model, f.model)):
        if value:
            conds.append(func.lower(column).contains(value.strip().lower(), autoescape=True))
    return conds


def _window(start: dt.date | None, end: dt.date | None) -> list[ColumnElement[bool]]:
    """Tickets opened in [start, end] (inclusive days); no bound when not given."""
    conds = []
    if start:
        conds.append(Ticket.opened_at >= dt.datetime.combine(start, dt.time()))
    if end:
        conds.append(Ticket.opened_at < dt.datetime.combine(end + ONE_DAY, dt.time()))
    return conds


def _service_until(as_of: dt.date, end: dt.date | None) -> dt.date:
    """The day service stops counting: as_of, or the day after the window when that is sooner."""
    return as_of if end is None else min(as_of, end + ONE_DAY)


def _service_years(as_of: dt.date, start: dt.date | None = None, end: dt.date | None = None) -> Any:
    """Years each device served up to as_of (only inside [start, end] when given), as SQL.

    NULL when the device has no purchase date; 0 when it was bought after the span. A retired
    device counts to as_of too: the data holds no retirement date.
    """
    since: Any = Device.purchase_date
    if start is not None:
        since = case(
            (Device.purchase_date > start, Device.purchase_date), else_=literal(start, Date)
        )
    days = days_between(literal(_service_until(as_of, end), Date), since)
    years = case((days > 0, days / DAYS_PER_YEAR), else_=0.0)
    return case((Device.purchase_date.is_not(None), years))


def _in_service(as_of: dt.date, end: dt.date | None) -> ColumnElement[bool]:
    """Bought by as_of (and by the window's end), or purchase date unknown."""
    last = as_of if end is None else min(as_of, end)
    return or_(Device.purchase_date.is_(None), Device.purchase_date <= last)


def _late_note(
    session: Session, conds: list[ColumnElement[bool]], as_of: dt.date, end: dt.date | None
) -> list[str]:
    """Devices bought after the span were not in service; they are counted here, not dropped."""
    last = as_of if end is None else min(as_of, end)
    query = select(func.count(Device.id)).where(*conds, Device.purchase_date > last)
    if not (n := session.scalar(query) or 0):
        return []
    return [f"{n} device(s) bought after {last.isoformat()} were not yet in service and are "
            "not counted."]  # fmt: skip


def _unlinked_note(session: Session, conds: list[ColumnElement[bool]], what: str) -> list[str]:
    """Tickets that name no device in the asset systems cannot be counted for any model."""
    query = select(func.count(Ticket.id)).where(Ticket.device_id.is_(None), *conds)
    n = session.scalar(query) or 0
    return [f"{n} {what} name no device in the asset systems and are not counted."] if n else []


def _sample_sources(
    session: Session,
    device_conds: list[ColumnElement[bool]],
    ticket_conds: list[ColumnElement[bool]],
    totals: tuple[int | None, int],
    what: str,
    notes: list[str],
) -> list[int]:
    """Source records of the tickets and devices counted: every one up to SOURCE_CAP of each,
    else those of the first devices by id (a sample, noted with the totals).

    Walking devices in id order and reaching their tickets through the device-repairs index
    stops after SOURCE_CAP rows; ordering a million tickets by id would not.
    """
    tickets_total, devices_total = totals
    tickets = (
        select(Ticket.source_record_id)
        .select_from(Device)
        .join(Ticket, Ticket.device_id == Device.id)
        .where(*device_conds, *ticket_conds)
        .order_by(Device.id, Ticket.id)
    )
    ids = list(session.scalars(tickets.limit(SOURCE_CAP + 1)))
    if tickets_total is not None:
        notes += sample_note(min(len(ids), SOURCE_CAP), tickets_total,
                             f"{what} (those of the first devices by id)")  # fmt: skip
    elif len(ids) > SOURCE_CAP:
        notes.append(f"Sources list the first {SOURCE_CAP} {what} only.")
    ids = ids[:SOURCE_CAP]
    first = list(session.scalars(
        select(Device.id).where(*device_conds).order_by(Device.id).limit(SOURCE_CAP)
    ))  # fmt: skip
    records = list(session.execute(_device_records(first).add_columns(FactSource.fact_id)
                                   .limit(SOURCE_CAP)))  # fmt: skip
    listed = len({fact_id for _, fact_id in records})
    notes += sample_note(listed, devices_total, "devices counted (the first by id)")
    return ids + [record_id for record_id, _ in records]


def _device_records(device_ids: Any) -> Select[Any]:
    """Every asset system's record of the devices (a merged device has several)."""
    return (
        select(FactSource.source_record_id)
        .where(FactSource.table_name == "devices", FactSource.fact_id.in_(device_ids))
        .order_by(FactSource.fact_id, FactSource.source_record_id)
    )


def _ref_map(session: Session, ids: list[int | None]) -> dict[int, str]:
    """'file:row' of each source record id (for the few rows of one device)."""
    query = select(SourceRecord.id, SourceRecord.file, SourceRecord.row)
    found = session.execute(query.where(SourceRecord.id.in_([i for i in ids if i is not None])))
    return {record_id: f"{file}:{row}" for record_id, file, row in found}


def _money(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT, rounding=ROUND_HALF_UP)


def _ratio(top: Any, bottom: Any, places: int = 3) -> float | None:
    return round(float(top) / float(bottom), places) if bottom else None


def _group_cond(column: Any, keys: list[str | None]) -> ColumnElement[bool]:
    """The devices whose ``column`` is one of the group keys shown (None = no value)."""
    named = column.in_([k for k in keys if k is not None])
    return or_(named, column.is_(None)) if None in keys else named


class BreakFixArgs(DeviceFilters):
    """Which devices, which ticket window, and the smallest model worth ranking."""

    min_devices: int = Field(default=5, ge=1, description="Leave out models with fewer devices.")
    as_of: dt.date = Field(description="Today: service years run up to this day (YYYY-MM-DD).")
    start: dt.date | None = Field(
        default=None, description="First ticket opened day (default: all time)."
    )
    end: dt.date | None = Field(
        default=None, description="Last ticket opened day (default: all time)."
    )


class BreakFixRow(BaseModel):
    """One model's repair record."""

    model: str
    category: str | None
    devices: int
    retired_devices: int
    no_purchase_date: int = Field(description="Devices left out of device-years.")
    repairs: int
    repairs_per_device: float | None
    device_years: float
    repairs_per_device_year: float | None = Field(
        description="Repairs on devices with a purchase date / their device-years."
    )


class BreakFixResult(ToolResult):
    """Models by repairs per device-year, highest first, and the totals of the models shown."""

    rows: list[BreakFixRow]
    devices: int
    repairs: int
    device_years: float
    repairs_per_device: float | None
    repairs_per_device_year: float | None
    min_devices: int
    start: dt.date | None
    end: dt.date | None
    as_of: dt.date


def break_fix_rate(session: Session, args: BreakFixArgs) -> BreakFixResult:
    """Repair tickets per device and per device-year in service, per model.

    Device-years run from the purchase date to as_of; with a window, only the days inside it
    count (so a rate for one year compares with a rate for another). Retired devices count to
    as_of, since the data holds no retirement date; the notes say how many there are.
    """
    notes: list[str] = []
    entity = _device_conds(session, args, notes)
    conds = [*entity, _in_service(args.as_of, args.end)]
    window = _window(args.start, args.end)
    repair = and_(Ticket.is_repair.is_(True), *window)
    found = None if window else _break_from_summary(session, args)
    if found is None:
        per = _per_device(
            select(Ticket.device_id, func.count(Ticket.id).label("repairs")).where(repair),
            _service_years(args.as_of, args.start, args.end),
            conds,
            Device.model,
            None if window else {"repairs": Device.repair_count},
        )
        found = session.execute(select(
            per.c.grp, func.max(per.c.category).label("category"), func.count().label("devices"),
            func.sum(per.c.retired).label("retired"), func.sum(per.c.repairs).label("repairs"),
            func.sum(case((per.c.years.is_not(None), per.c.repairs), else_=0)).label("dated_repairs"),
            func.count(per.c.years).label("dated"), func.sum(per.c.years).label("years"),
        ).group_by(per.c.grp)).all()  # fmt: skip
        late = _late_note(session, entity, args.as_of, args.end)
        unlinked = _unlinked_note(
            session, [Ticket.is_repair.is_(True), *window], "repair ticket(s)"
        )
    else:
        late, unlinked = [], _unlinked_summed(session, RepairSummary.repairs, "repair ticket(s)")
    shown = [r for r in found if r.devices >= args.min_devices]
    rows = sorted((_break_row(r) for r in shown), key=_by_rate)
    notes += _small_note([r for r in found if r.devices < args.min_devices], args.min_devices)
    notes += late + _break_notes(rows) + unlinked
    devices, repairs = sum(r.devices for r in rows), sum(r.repairs for r in rows)
    keep = _group_cond(Device.model, [r.grp for r in shown])
    ids = _sample_sources(session, [keep, *conds], [repair], (repairs, devices), "repair tickets",
                          notes)  # fmt: skip
    refs, systems = sources_of(session, ids)
    years = sum(r.years or 0 for r in shown)
    return BreakFixResult(
        rows=rows, devices=devices, repairs=repairs, device_years=round(years, 2),
        repairs_per_device=_ratio(repairs, devices),
        repairs_per_device_year=_ratio(sum(r.dated_repairs or 0 for r in shown), years),
        min_devices=args.min_devices, start=args.start, end=args.end, as_of=args.as_of,
        count=devices, sources=refs, systems=systems, notes=notes,
    )  # fmt: skip


def _summed_years(as_of: dt.date) -> Any:
    """Device-years of the dated devices of summary rows, up to as_of: sum(as_of - purchase)."""
    day = (as_of - EPOCH).days
    return (
        func.sum(DeviceSummary.dated) * day - func.sum(DeviceSummary.purchase_days)
    ) / DAYS_PER_YEAR


def _all_bought_by(session: Session, conds: list[ColumnElement[bool]], as_of: dt.date) -> bool:
    """True when every device the summary rows count was bought by as_of (or has no date), so
    summing them is exact (no device to leave out as not yet in service)."""
    latest = session.scalar(select(func.max(DeviceSummary.latest_purchase)).where(*conds))
    return latest is None or _as_date(latest) <= as_of


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _break_from_summary(session: Session, args: BreakFixArgs) -> list[Any] | None:
    """Per model figures summed from the device summary (~2,000 rows), exact when no window is
    asked and no device was bought after as_of; None when the devices must be read."""
    conds = _device_conds(session, args, [], SUMMARY)
    if not _all_bought_by(session, conds, args.as_of):
        return None
    s = DeviceSummary
    retired = case((s.is_active.is_(False), s.devices), else_=0)
    return list(session.execute(select(
        s.model.label("grp"), func.max(s.category).label("category"),
        func.sum(s.devices).label("devices"), func.sum(retired).label("retired"),
        func.sum(s.repairs).label("repairs"), func.sum(s.repairs_dated).label("dated_repairs"),
        func.sum(s.dated).label("dated"), _summed_years(args.as_of).label("years"),
    ).where(*conds).group_by(s.model)).all())  # fmt: skip


def _unlinked_summed(session: Session, column: Any, what: str) -> list[str]:
    """The tickets naming no device (repairs or with parts/labour), from the repair summary."""
    query = select(func.coalesce(func.sum(column), 0)).where(RepairSummary.linked.is_(False))
    n = session.scalar(query) or 0
    return [f"{n} {what} name no device in the asset systems and are not counted."] if n else []


def _per_device(
    tickets: Any,
    years: Any,
    conds: list[ColumnElement[bool]],
    group: Any,
    rollups: dict[str, Any] | None = None,
) -> Any:
    """One row per device: group key, category, retired flag, service years and ticket sums.

    ``tickets`` selects device_id plus the sums wanted per device; they come out as 0 for a
    device with no tickets. When ``rollups`` is given (the same sums, as kept on each device by
    ingest) the million-row ticket table is not read at all. Grouping by the subquery's column
    keeps bound parameters out of GROUP BY, which PostgreSQL needs.
    """
    base = (group.label("grp"), Device.category.label("category"), Device.purchase_cost.label("cost"),
            case((Device.is_active.is_(False), 1), else_=0).label("retired"), years.label("years"))  # fmt: skip
    if rollups is not None:
        sums = [column.label(name) for name, column in rollups.items()]
        return select(*base, *sums).where(*conds).subquery()
    per_ticket = tickets.where(Ticket.device_id.is_not(None)).group_by(Ticket.device_id).subquery()
    sums = [func.coalesce(c, 0).label(c.name) for c in per_ticket.c if c.name != "device_id"]
    return (
        select(*base, *sums)
        .outerjoin(per_ticket, per_ticket.c.device_id == Device.id)
        .where(*conds)
        .subquery()
    )


def _no_ticket_after(session: Session, as_of: dt.date) -> bool:
    """True when no ticket was opened after as_of, so the per-device rollups count exactly."""
    latest = session.scalar(select(func.max(Ticket.opened_at)))
    return latest is None or latest < dt.datetime.combine(as_of + ONE_DAY, dt.time())


def _break_row(r: Any) -> BreakFixRow:
    return BreakFixRow(
        model=r.grp if r.grp is not None else NONE_LABEL["model"], category=r.category,
        devices=r.devices, retired_devices=r.retired or 0, no_purchase_date=r.devices - r.dated,
        repairs=r.repairs or 0, repairs_per_device=_ratio(r.repairs or 0, r.devices),
        device_years=round(r.years or 0, 2),
        repairs_per_device_year=_ratio(r.dated_repairs or 0, r.years),
    )  # fmt: skip


def _by_rate(row: BreakFixRow) -> tuple[bool, float, str]:
    return (row.repairs_per_device_year is None, -(row.repairs_per_device_year or 0), row.model)


def _small_note(left_out: list[Any], minimum: int) -> list[str]:
    if not left_out:
        return []
    devices, repairs = sum(r.devices for r in left_out), sum(r.repairs or 0 for r in left_out)
    return [f"{len(left_out)} model(s) with fewer than {minimum} devices ({devices} devices, "
            f"{repairs} repairs) are left out."]  # fmt: skip


def _break_notes(rows: list[BreakFixRow]) -> list[str]:
    notes = []
    if undated := sum(r.no_purchase_date for r in rows):
        notes.append(f"{undated} device(s) have no purchase date: counted in repairs per device, "
                     "left out of device-years and repairs per device-year.")  # fmt: skip
    if retired := sum(r.retired_devices for r in rows):
        notes.append(f"{retired} retired device(s) are counted, in service up to the as-of date "
                     "(the data holds no retirement date).")  # fmt: skip
    return notes


class CostOfOwnershipArgs(DeviceFilters):
    """How to group, which devices, and whether technician time counts."""

    group_by: Literal["model", "category"] = Field(
        default="model", description="Per model or per category."
    )
    include_labour: bool = Field(default=True, description="Add labour minutes x the labour rate.")
    as_of: dt.date = Field(
        description="Today: tickets and service years up to this day (YYYY-MM-DD)."
    )


class CostRow(BaseModel):
    """What one model (or category) has cost so far."""

    group: str
    devices: int
    no_purchase_cost: int = Field(description="Devices whose purchase cost is missing.")
    no_purchase_date: int = Field(description="Devices left out of device-years.")
    purchase_total: Decimal
    parts_total: Decimal
    labor_minutes: int
    labour_cost: Decimal
    total_cost: Decimal
    tco_per_device: Decimal | None
    device_years: float
    tco_per_device_year: Decimal | None = Field(
        description="Cost of the devices with a purchase date / their device-years."
    )


class CostOfOwnershipResult(ToolResult):
    """Groups by TCO per device, highest first, with the labour rate used and the totals."""

    group_by: str
    rows: list[CostRow]
    labour_rate_per_hour: Decimal
    include_labour: bool
    devices: int
    purchase_total: Decimal
    parts_total: Decimal
    labour_cost: Decimal
    total_cost: Decimal
    as_of: dt.date


def cost_of_ownership(session: Session, args: CostOfOwnershipArgs) -> CostOfOwnershipResult:
    """Purchase cost + parts + labour (minutes / 60 x rate) per model or category.

    Parts and labour come from every ticket linked to the device and opened by as_of (a password
    reset's technician time is a cost of owning the device too; only repairs have parts).
    """
    notes: list[str] = []
    rate = Decimal(str(district_setting(session, "labour_rate_per_hour", "45")))
    entity = _device_conds(session, args, notes)
    conds = [*entity, _in_service(args.as_of, None)]
    by_as_of = or_(
        Ticket.opened_at.is_(None),
        Ticket.opened_at < dt.datetime.combine(args.as_of + ONE_DAY, dt.time()),
    )
    sums = select(Ticket.device_id, func.sum(Ticket.parts_cost).label("parts"),
                  func.sum(Ticket.labor_minutes).label("minutes")).where(by_as_of)  # fmt: skip
    group = Device.model if args.group_by == "model" else Device.category
    rollups = {"parts": Device.parts_total, "minutes": Device.labor_minutes_total}
    exact = _no_ticket_after(session, args.as_of)
    found = _cost_from_summary(session, args) if exact else None
    if found is None:
        per = _per_device(
            sums, _service_years(args.as_of), conds, group, rollups if exact else None
        )
        dated = per.c.years.is_not(None)
        found = session.execute(select(
            per.c.grp, func.count().label("devices"), func.count(per.c.cost).label("costed"),
            func.sum(per.c.cost).label("cost"), func.sum(per.c.parts).label("parts"),
            func.sum(per.c.minutes).label("minutes"), func.sum(per.c.years).label("years"),
            func.count(per.c.years).label("dated"),
            *(func.sum(case((dated, c), else_=0)).label(f"dated_{c.name}") for c in (per.c.cost, per.c.parts, per.c.minutes)),
        ).group_by(per.c.grp)).all()  # fmt: skip
        late = _late_note(session, entity, args.as_of, None)
        unlinked = _unlinked_note(session, [by_as_of, or_(Ticket.parts_cost > 0, Ticket.labor_minutes > 0)],
                                  "ticket(s) with parts or labour")  # fmt: skip
    else:
        late = []
        unlinked = _unlinked_summed(session, RepairSummary.costed, "ticket(s) with parts or labour")
    labour = rate if args.include_labour else Decimal(0)
    rows = sorted((_cost_row(r, labour, args.group_by) for r in found),
                  key=lambda r: (r.tco_per_device is None, -(r.tco_per_device or 0), r.group))  # fmt: skip
    notes += late + _cost_notes(rows, rate, args.include_labour) + unlinked
    devices = sum(r.devices for r in rows)
    ids = _sample_sources(session, conds, [by_as_of], (None, devices), "tickets", notes)
    refs, systems = sources_of(session, ids)
    total = {k: sum((getattr(r, k) for r in rows), Decimal(0))
             for k in ("purchase_total", "parts_total", "labour_cost", "total_cost")}  # fmt: skip
    return CostOfOwnershipResult(
        group_by=args.group_by, rows=rows, labour_rate_per_hour=rate,
        include_labour=args.include_labour, devices=sum(r.devices for r in rows), **total,
        as_of=args.as_of, count=sum(r.devices for r in rows), sources=refs, systems=systems,
        notes=notes,
    )  # fmt: skip


def _cost_from_summary(session: Session, args: CostOfOwnershipArgs) -> list[Any] | None:
    """Per group costs summed from the device summary (~2,000 rows): exact when no ticket was
    opened after as_of (the caller checks) and no device bought after it; else None."""
    conds = _device_conds(session, args, [], SUMMARY)
    if not _all_bought_by(session, conds, args.as_of):
        return None
    s = DeviceSummary
    group = s.model if args.group_by == "model" else s.category
    return list(session.execute(select(
        group.label("grp"), func.sum(s.devices).label("devices"),
        func.sum(s.costed).label("costed"), func.sum(s.purchase_total).label("cost"),
        func.sum(s.parts_total).label("parts"), func.sum(s.labor_minutes).label("minutes"),
        _summed_years(args.as_of).label("years"), func.sum(s.dated).label("dated"),
        func.sum(s.purchase_total_dated).label("dated_cost"),
        func.sum(s.parts_total_dated).label("dated_parts"),
        func.sum(s.labor_minutes_dated).label("dated_minutes"),
    ).where(*conds).group_by(group)).all())  # fmt: skip


def _labour(minutes: Any, rate: Decimal) -> Decimal:
    return _money(Decimal(int(minutes or 0)) * rate / 60)


def _cost_row(r: Any, rate: Decimal, group_by: str) -> CostRow:
    labour = _labour(r.minutes, rate)
    total = _money(r.cost) + _money(r.parts) + labour
    dated_total = _money(r.dated_cost) + _money(r.dated_parts) + _labour(r.dated_minutes, rate)
    return CostRow(
        group=r.grp if r.grp is not None else NONE_LABEL[group_by], devices=r.devices,
        no_purchase_cost=r.devices - r.costed, no_purchase_date=r.devices - r.dated,
        purchase_total=_money(r.cost),
        parts_total=_money(r.parts), labor_minutes=int(r.minutes or 0), labour_cost=labour,
        total_cost=total, tco_per_device=_money(total / r.devices), device_years=round(r.years or 0, 2),
        tco_per_device_year=_money(dated_total / Decimal(str(r.years))) if r.years else None,
    )  # fmt: skip


def _cost_notes(rows: list[CostRow], rate: Decimal, include_labour: bool) -> list[str]:
    notes = []
    if missing := sum(r.no_purchase_cost for r in rows):
        notes.append(f"{missing} device(s) have no purchase cost: their purchase part is missing "
                     "from the totals, so TCO per device is understated.")  # fmt: skip
    if undated := sum(r.no_purchase_date for r in rows):
        notes.append(f"{undated} device(s) have no purchase date: counted in the totals and TCO "
                     "per device, left out of device-years and TCO per device-year.")  # fmt: skip
    notes.append(
        f"Labour at ${rate}/hour." if include_labour else "Labour left out (include_labour off)."
    )
    return notes


class FailureCategoriesArgs(DeviceFilters):
    """Which devices, which ticket window, and how many categories per model."""

    start: dt.date | None = Field(
        default=None, description="First ticket opened day (default: all time)."
    )
    end: dt.date | None = Field(
        default=None, description="Last ticket opened day (default: all time)."
    )
    top: int = Field(default=5, ge=1, le=50, description="Categories to show per model.")


class FailureRow(BaseModel):
    """One kind of failure of one model."""

    model: str
    category: str
    count: int
    model_repairs: int
    percent_of_model: float = Field(description="count / model_repairs x 100, 1 decimal.")


class DistrictFailure(BaseModel):
    """One kind of failure across every model."""

    category: str
    count: int
    percent: float = Field(description="Share of all repairs counted x 100, 1 decimal.")


class FailureCategoriesResult(ToolResult):
    """Top failure categories per model (model A-Z, then most frequent) and district-wide."""

    rows: list[FailureRow]
    district: list[DistrictFailure]
    top: int
    start: dt.date | None
    end: dt.date | None


def failure_categories(session: Session, args: FailureCategoriesArgs) -> FailureCategoriesResult:
    """Repair tickets linked to devices, counted per model and canonical ticket category.

    ``count`` is every repair counted; rows keep the ``top`` categories of each model and the
    notes say how many tickets the cut leaves out of the rows (they stay in the shares).
    """
    notes: list[str] = []
    window = _window(args.start, args.end)
    conds = [Ticket.is_repair.is_(True), *window, *_device_conds(session, args, notes)]
    if window:
        base = (
            select(Device.model.label("model"), Ticket.category.label("cat"))
            .join(Device, Device.id == Ticket.device_id)
            .where(*conds)
            .subquery()
        )
        pairs = session.execute(
            select(base.c.model, base.c.cat, func.count().label("n")).group_by(
                base.c.model, base.c.cat
            )
        ).all()
        district = session.execute(
            select(base.c.cat, func.count().label("n")).group_by(base.c.cat)
        ).all()
        unlinked = _unlinked_note(
            session, [Ticket.is_repair.is_(True), *window], "repair ticket(s)"
        )
    else:  # all time: the repair summary counts the same, per device model and ticket category
        r = RepairSummary
        summed = [r.linked.is_(True), *_device_conds(session, args, [], REPAIRS)]
        n = func.sum(r.repairs).label("n")
        pairs = session.execute(
            select(r.model.label("model"), r.category.label("cat"), n).where(*summed)
            .group_by(r.model, r.category)
        ).all()  # fmt: skip
        district = session.execute(
            select(r.category.label("cat"), n).where(*summed).group_by(r.category)
        ).all()
        unlinked = _unlinked_summed(session, r.repairs, "repair ticket(s)")
    rows, cut = _top_rows(pairs, args.top)
    total = sum(r.n for r in district)
    if cut:
        notes.append(f"{cut} repair(s) in categories beyond the top {args.top} of their model are "
                     "not in the rows (they count in the shares and district list).")  # fmt: skip
    notes += unlinked
    query = (
        select(Ticket.source_record_id)
        .select_from(Device)
        .join(Ticket, Ticket.device_id == Device.id)
        .where(*conds)
        .order_by(Device.id, Ticket.id)
    )
    ids = list(session.scalars(query.limit(SOURCE_CAP))) if total else []
    notes += sample_note(
        len(ids), total, "repair tickets counted (those of the first devices by id)"
    )
    refs, systems = sources_of(session, ids)
    return FailureCategoriesResult(
        rows=rows, district=[
            DistrictFailure(category=_cat(r.cat), count=r.n, percent=round(100 * r.n / total, 1))
            for r in sorted(district, key=lambda r: (-r.n, _cat(r.cat)))[: args.top]
        ], top=args.top, start=args.start, end=args.end, count=total, sources=refs,
        systems=systems, notes=notes,
    )  # fmt: skip


def _cat(category: str | None) -> str:
    return category if category is not None else NONE_LABEL["category"]


def _top_rows(pairs: Sequence[Any], top: int) -> tuple[list[FailureRow], int]:
    """The ``top`` categories of each model (ties by name) and how many repairs the cut drops."""
    per_model: dict[str, list[tuple[str, int]]] = {}
    for r in pairs:
        per_model.setdefault(r.model if r.model is not None else NONE_LABEL["model"], []).append(
            (_cat(r.cat), r.n)
        )
    rows, cut = [], 0
    for model in sorted(per_model, key=str.lower):
        ranked = sorted(per_model[model], key=lambda item: (-item[1], item[0]))
        repairs = sum(n for _, n in ranked)
        cut += sum(n for _, n in ranked[top:])
        rows += [FailureRow(model=model, category=cat, count=n, model_repairs=repairs,
                            percent_of_model=round(100 * n / repairs, 1)) for cat, n in ranked[:top]]  # fmt: skip
    return rows, cut


# "what breaks most?" asks for the kind of failure, not the model that breaks most often.
WHAT_FAILS = re.compile(r"\bwhat (?:usually |most often |commonly )?(?:breaks|fails|goes wrong"
                        r"|gets (?:broken|damaged))\b")  # fmt: skip


def _category_grouping(slots: Mapping[str, Any], question: str) -> dict[str, Any]:
    """'What does a Chromebook cost to own?' asks for the category's cost, not each model's."""
    if slots.get("category") and not (slots.get("model") or slots.get("group_by")):
        return {"group_by": "category"}
    return {}


TOOLS = (
    ToolSpec(
        name="break_fix_rate",
        measures=("rate",),
        cues=(Cue("what_fails_not_rate", WHAT_FAILS),),
        func=break_fix_rate,
        args_model=BreakFixArgs,
        description=(
            "Break/fix rate per device model: devices, repair tickets, repairs per device and "
            "repairs per device-year in service, highest rate first; optionally for one category, "
            "school or manufacturer and a window of ticket dates. Small models are left out."
        ),
        examples=(
            "which device models break the most?",
            "what is our break/fix rate by model?",
            "which Chromebook model fails most often?",
            "how reliable are our HP laptops?",
            "which devices broke the most last school year?",
            "repairs per device for each model",
            "which manufacturer's devices need fixing most often?",
            "what model has the worst repair record?",
            "how often do Lenovo Chromebooks come in for repair?",
        ),
        domain="repairs",
        keywords=(
            "break/fix",
            "breaks",
            "repair rate",
            "most often",
            "how often",
            "fail",
            "reliab",
            "broke",
        ),
        default_window=None,
    ),
    ToolSpec(
        name="cost_of_ownership",
        measures=("cost",),
        refine=_category_grouping,
        func=cost_of_ownership,
        args_model=CostOfOwnershipArgs,
        description=(
            "Total cost of ownership per model or category: purchase cost, repair parts and "
            "technician labour (minutes x the district labour rate), with TCO per device and per "
            "device-year, highest per device first, and the labour rate used."
        ),
        examples=(
            "what's the total cost of ownership per model?",
            "what does a Chromebook cost us to own?",
            "show TCO by device category including repair labour",
            "which model has the highest lifetime cost per device?",
            "purchase price plus repair costs for each model",
            "how much have our laptops cost us including repairs and labor?",
            "what is each device type really costing us per year?",
            "cost per device-year for our iPads",
        ),
        domain="repairs",
        keywords=(
            "cost of ownership",
            "tco",
            "to own",
            "ownership",
            "lifetime",
            "total cost",
            "including repair",
            "all-in",
        ),
        default_window=None,
        sensitive=True,
    ),
    ToolSpec(
        name="failure_categories",
        measures=("count",),
        cues=(Cue("what_fails", WHAT_FAILS),),
        func=failure_categories,
        args_model=FailureCategoriesArgs,
        description=(
            "The most common kinds of hardware failure (cracked screen, liquid damage, battery, "
            "keyboard...) per device model, with counts and each one's share of that model's "
            "repairs, plus a district-wide top list; optionally for a window of ticket dates."
        ),
        examples=(
            "what are the most common failures for our Dell Chromebooks?",
            "what goes wrong with our laptops?",
            "top repair issues by model this school year",
            "what problems do the HP ProBooks have?",
            "how do Chromebook repairs break down by failure type?",
            "what kinds of damage do we repair most?",
            "are cracked screens or batteries the bigger problem?",
            "leading reasons devices get sent for repair",
            "which failure types are most frequent on the Lenovo 300e?",
        ),
        domain="repairs",
        keywords=("common", "failure", "problem", "issues", "goes wrong", "kinds of", "cause"),
        default_window=None,
    ),
)
