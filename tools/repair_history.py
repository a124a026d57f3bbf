"""One device's repair history, across every help desk and asset system that knows it.

Found by serial (written any way: spaces, dashes, lower case), else by asset tag.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel, Field, model_validator
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ingest.parse import normalize_serial
from ingest.schema import (
    Device,
    FactSource,
    Location,
    Person,
    Ticket,
)
from tools.base import ToolResult, ToolSpec, sources_of
from tools.cues import Cue
from tools.repairs import _device_records, _money, _ref_map


class RepairHistoryArgs(BaseModel):
    """One device, by serial (any case, spaces or dashes) or by asset tag."""

    serial: str | None = Field(default=None, description="Serial number, as written.")
    asset_tag: str | None = Field(default=None, description="Asset tag (any case).")

    @model_validator(mode="after")
    def _one_needed(self) -> RepairHistoryArgs:
        if not (self.serial and self.serial.strip()) and not (
            self.asset_tag and self.asset_tag.strip()
        ):
            raise ValueError("give a serial or an asset tag")
        return self


class DeviceInfo(BaseModel):
    """The device, as merged from every asset system that lists it."""

    serial: str
    asset_tag: str | None
    model: str | None
    manufacturer: str | None
    category: str | None
    school: str | None
    status: str | None
    is_active: bool
    owner: str | None
    purchase_date: dt.date | None
    purchase_cost: Decimal | None
    aue_date: dt.date | None
    warranty_end: dt.date | None
    systems: list[str] = Field(description="Asset systems that list the device.")
    sources: list[str] = Field(default_factory=list)


class HistoryRow(BaseModel):
    """One ticket about the device, from any help desk."""

    system: str
    external_id: str
    opened: dt.datetime | None
    closed: dt.datetime | None
    status: str | None
    is_open: bool
    category: str | None
    is_repair: bool
    subject: str | None
    parts_cost: Decimal | None
    labor_minutes: int | None
    source: str | None = None


class RepairHistoryResult(ToolResult):
    """The device (None when unknown) and its tickets, oldest first, with totals."""

    device: DeviceInfo | None
    rows: list[HistoryRow]
    ticket_count: int
    repair_count: int
    parts_total: Decimal
    labor_minutes_total: int


def _serial_key(serial: str) -> str:
    try:
        return normalize_serial(serial) or serial.strip().upper()
    except ValueError:
        return serial.strip().upper()


def _find_device(session: Session, args: RepairHistoryArgs, notes: list[str]) -> Device | None:
    """By normalised serial, else by asset tag (any case); misses are noted."""
    if args.serial and args.serial.strip():
        key = _serial_key(args.serial)
        if found := session.scalar(select(Device).where(Device.serial == key)):
            return found
        notes.append(f"no device with serial {key}")
        n = session.scalar(select(func.count(Ticket.id)).where(Ticket.device_serial == key)) or 0
        if n:
            notes.append(f"{n} ticket(s) name serial {key}, which no asset system lists.")
    if args.asset_tag and args.asset_tag.strip():
        tag = args.asset_tag.strip().upper()
        query = select(Device).where(func.upper(func.trim(Device.asset_tag)) == tag)
        found_all = session.scalars(query.order_by(Device.serial)).all()
        if len(found_all) > 1:
            serials = ", ".join(d.serial for d in found_all)
            notes.append(
                f"asset tag {tag} is on {len(found_all)} devices ({serials}); showing {found_all[0].serial}."
            )
        if found_all:
            return found_all[0]
        notes.append(f"no device with asset tag {tag}")
    return None


def device_known(session: Session, serial: str | None, asset_tag: str | None) -> bool:
    """Whether any asset system lists the device, or any ticket names its serial.

    The planner asks this before a device's history, so a serial that is nowhere in the data gets
    the honest "I can't answer that" rather than an empty history.
    """
    notes: list[str] = []
    if _find_device(session, RepairHistoryArgs(serial=serial, asset_tag=asset_tag), notes):
        return True
    if not (serial and serial.strip()):
        return False
    named = select(Ticket.id).where(Ticket.device_serial == _serial_key(serial)).limit(1)
    return session.scalar(named) is not None


def repair_history(session: Session, args: RepairHistoryArgs) -> RepairHistoryResult:
    """Every ticket linked to one device, from every help desk, oldest first, with totals."""
    notes: list[str] = []
    device = _find_device(session, args, notes)
    if device is None:
        return RepairHistoryResult(device=None, rows=[], ticket_count=0, repair_count=0,
                                   parts_total=Decimal(0), labor_minutes_total=0, count=0,
                                   notes=notes)  # fmt: skip
    linked = Ticket.device_id == device.id
    order = (Ticket.opened_at.is_(None), Ticket.opened_at, Ticket.system, Ticket.external_id)
    tickets = session.scalars(select(Ticket).where(linked).order_by(*order)).all()
    totals = session.execute(select(
        func.count(Ticket.id), func.sum(case((Ticket.is_repair.is_(True), 1), else_=0)),
        func.sum(Ticket.parts_cost), func.sum(Ticket.labor_minutes),
    ).where(linked)).one()  # fmt: skip
    record_ids = list(session.scalars(_device_records([device.id])))
    refs, systems = sources_of(session, [*record_ids, *(t.source_record_id for t in tickets)])
    ref_of = _ref_map(session, [*record_ids, *(t.source_record_id for t in tickets)])
    unlinked = select(func.count(Ticket.id)).where(
        Ticket.device_id.is_(None), Ticket.device_serial == device.serial
    )
    if n := session.scalar(unlinked):
        notes.append(f"{n} more ticket(s) name serial {device.serial} but are not linked to it "
                     "(loaded before the asset export); they are not listed.")  # fmt: skip
    rows = [_history_row(t, ref_of.get(t.source_record_id or 0)) for t in tickets]
    return RepairHistoryResult(
        device=_device_info(session, device, [ref_of[i] for i in record_ids if i in ref_of]),
        rows=rows, ticket_count=totals[0], repair_count=totals[1] or 0,
        parts_total=_money(totals[2]), labor_minutes_total=totals[3] or 0, count=len(rows),
        sources=refs, systems=systems, notes=notes,
    )  # fmt: skip


def _device_info(session: Session, d: Device, refs: list[str]) -> DeviceInfo:
    school = (
        session.scalar(select(Location.name).where(Location.id == d.location_id))
        if d.location_id
        else None
    )
    person = session.get(Person, d.person_id) if d.person_id else None
    systems = session.scalars(
        select(FactSource.system).where(FactSource.table_name == "devices", FactSource.fact_id == d.id)
        .order_by(FactSource.system)
    ).all()  # fmt: skip
    return DeviceInfo(
        serial=d.serial, asset_tag=d.asset_tag, model=d.model, manufacturer=d.manufacturer,
        category=d.category, school=school, status=d.status, is_active=d.is_active,
        owner=(person.email or person.name) if person else None, purchase_date=d.purchase_date,
        purchase_cost=d.purchase_cost, aue_date=d.aue_date, warranty_end=d.warranty_end,
        systems=list(systems), sources=refs,
    )  # fmt: skip


def _history_row(t: Ticket, source: str | None) -> HistoryRow:
    return HistoryRow(
        system=t.system, external_id=t.external_id, opened=t.opened_at, closed=t.closed_at,
        status=t.status, is_open=t.is_open, category=t.category, is_repair=t.is_repair,
        subject=t.subject, parts_cost=t.parts_cost, labor_minutes=t.labor_minutes, source=source,
    )  # fmt: skip


TOOLS = (
    ToolSpec(
        name="repair_history",
        measures=("list",),
        cues=(Cue("one_device", slots=("serial", "asset_tag")),),
        func=repair_history,
        args_model=RepairHistoryArgs,
        description=(
            "The full help desk history of one device, found by serial number (any case, spaces "
            "or dashes) or asset tag: the device (model, school, owner, purchase, AUE, which asset "
            "systems list it) and every ticket from every help desk, oldest first, with ticket and "
            "repair counts, parts cost and labour minutes."
        ),
        examples=(
            "what's the repair history of serial 5CD1234XY?",
            "show me every ticket for asset tag A10023",
            "what happened to the Chromebook with serial 5cd 123 4xy?",
            "has device A1023 been repaired before?",
            "tickets for serial NXHQEAA001",
            "how many times has MV012345 been in for repair?",
            "look up device 1NDJHRG",
            "what work has been done on asset MV010520?",
            "full ticket history for this serial: PF2ABC12",
        ),
        domain="repairs",
        keywords=("history", "repair", "serial", "asset tag", "what happened", "tickets for"),
        default_window=None,
    ),
)
