"""Repair spend: money spent on repairs in a window, parts and labour kept apart.

A repair's cost is what its ticket records: the parts cost, and the labour minutes priced at the
district's labour rate (setting ``labour_rate_per_hour``). A question decides what it includes:
parts only, labour only, or both; the answer says which, and with no word on it gives both,
side by side, never one figure that hides the mix. Tickets count in the window they were opened
in. By school or repair category the sums come from the opened-day summary that ingest keeps
(``ticket_opened_days``, one row per day, school and category); by device model or device
category from each device's tickets with a parts cost or labour minutes, through a partial index
of them (``ix_tickets_costed_device``, migration 0011).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import and_, case, func, literal_column, or_, select
from sqlalchemy.orm import Session

from ingest.schema import Device, Location, Ticket, TicketOpenedDay
from tools.assets import device_filters
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

NO_DEVICE = "(no device linked)"
NO_NAME = "(not on file)"


def costed() -> Any:
    """Tickets with a parts cost or labour minutes: the predicate of the partial index
    ``ix_tickets_costed`` (constants, not bound values, so the planner can match it)."""
    zero: Any = literal_column("0")
    return or_(Ticket.parts_cost > zero, Ticket.labor_minutes > zero)


class RepairSpendArgs(BaseModel):
    """A window of ticket dates, which costs to count, and how to break them down."""

    start: dt.date = Field(description="First day a ticket was opened (YYYY-MM-DD).")
    end: dt.date = Field(description="Last day a ticket was opened (YYYY-MM-DD).")
    cost: Literal["parts", "labour", "both"] = Field(
        default="both", description="parts only, labour only, or both kept apart."
    )
    group_by: Literal["model", "school", "category", "device_category"] | None = Field(
        default=None, description="Break down by device model, school, repair (ticket) category "
        "or device category.",
    )  # fmt: skip
    model: str | None = Field(default=None, description="Only devices of this model.")
    school: str | None = Field(default=None, description="Only tickets at this school.")
    category: str | None = Field(default=None, description="Only this ticket category.")
    device_category: str | None = Field(default=None, description="Only this device category.")


class RepairSpendRow(BaseModel):
    """One group's repair spend."""

    group: str
    tickets: int
    parts: Decimal | None
    labour_minutes: int | None
    labour: Decimal | None
    total: Decimal


class RepairSpendResult(ToolResult):
    """Parts and labour spend per group, the totals, and what the figure includes."""

    rows: list[RepairSpendRow]
    parts: Decimal | None
    labour_minutes: int | None
    labour: Decimal | None
    total: Decimal
    cost: str
    labour_rate_per_hour: Decimal
    includes: str = Field(description="What the total includes, in words.")
    start: dt.date
    end: dt.date


_INCLUDES = {
    "parts": "parts only (no labour)",
    "labour": "labour only (minutes at the labour rate; no parts)",
    "both": "parts plus labour (minutes at the labour rate), shown apart",
}


def repair_spend(session: Session, args: RepairSpendArgs) -> RepairSpendResult:
    """Parts cost and labour minutes summed per group over the costed tickets opened in the window."""
    rate = Decimal(str(district_setting(session, "labour_rate_per_hour", "45")))
    conds = _conditions(session, args)
    if _summarised(args):
        found = _from_days(session, args)
    else:
        found = _from_tickets(session, args, conds)
    schools = dict(session.execute(select(Location.id, Location.name)).all())
    merged: dict[str, list[Any]] = defaultdict(lambda: [0, Decimal(0), 0])
    for value, n, parts, minutes in found:
        if not n:
            continue
        value = schools.get(value) if args.group_by == "school" else value  # ids: index only
        label = value or (NO_DEVICE if args.group_by in ("model", "device_category") else NO_NAME)
        merged[label][0] += n
        merged[label][1] += Decimal(parts or 0)
        merged[label][2] += int(minutes or 0)
    rows = [_row(group, n, parts, minutes, rate, args.cost)
            for group, (n, parts, minutes) in merged.items()]  # fmt: skip
    rows.sort(key=lambda r: (r.group in (NO_DEVICE, NO_NAME), -r.total, r.group))
    tickets = sum(r.tickets for r in rows)
    whole = _row("all", tickets, sum((v[1] for v in merged.values()), Decimal(0)),
                 sum(v[2] for v in merged.values()), rate, args.cost)  # fmt: skip
    ids = list(session.scalars(
        _joined(select(Ticket.source_record_id), args).where(*conds)
        .order_by(Ticket.opened_at, Ticket.id).limit(SOURCE_CAP)
    ))  # fmt: skip
    refs, systems = sources_of(session, ids)
    includes = _INCLUDES[args.cost]
    notes = [f"Repair spend here is {includes}, on tickets opened "
             f"{args.start.isoformat()} – {args.end.isoformat()}"
             + (f"; labour at ${rate:,.2f} an hour." if args.cost != "parts" else ".")]  # fmt: skip
    notes += sample_note(len(refs), tickets, "tickets with a repair cost")
    return RepairSpendResult(
        rows=rows if args.group_by else [], parts=whole.parts,
        labour_minutes=whole.labour_minutes, labour=whole.labour, total=whole.total,
        cost=args.cost, labour_rate_per_hour=rate, includes=includes, start=args.start,
        end=args.end, count=tickets, sources=refs, systems=systems, notes=notes,
    )  # fmt: skip


def _summarised(args: RepairSpendArgs) -> bool:
    """Whether the opened-day summary answers (no device model or category in the question)."""
    return args.group_by in (None, "school", "category") and not (
        args.model or args.device_category
    )


_Rows = list[tuple[Any, int, Any, Any]]


def _from_days(session: Session, args: RepairSpendArgs) -> _Rows:
    """Sums per group from ``ticket_opened_days`` (thousands of rows, not a million tickets)."""
    d = TicketOpenedDay
    counted = {"both": d.costed, "parts": d.parts_tickets, "labour": d.labour_tickets}[args.cost]
    per_school = bool(args.school) or args.group_by == "school"
    conds: list[Any] = [d.all_schools.is_(not per_school), d.day >= args.start, d.day <= args.end]
    if args.school:
        conds.append(d.location_id.in_(school_ids(session, args.school)))
    if args.category:
        conds.append(func.lower(d.category) == args.category.strip().lower())
    sums = (func.sum(counted), func.sum(d.parts), func.sum(d.labour_minutes))
    if args.group_by is None:
        return [("all", *session.execute(select(*sums).where(*conds)).one())]
    key = d.location_id if args.group_by == "school" else d.category
    return list(session.execute(select(key, *sums).where(*conds).group_by(key)).all())


def _from_tickets(session: Session, args: RepairSpendArgs, conds: list[Any]) -> _Rows:
    """Sums per group from the costed tickets themselves (a device model or category asked).

    Only tickets linked to a device are read, device by device (``ix_tickets_costed_device``);
    by model or device category with no device filter, the tickets with no device (or a device
    not on file) are the window's whole, from the opened-day summary, less the linked ones.
    """
    parts = func.sum(case((Ticket.parts_cost > literal_column("0"), Ticket.parts_cost)))
    minutes = func.sum(case((Ticket.labor_minutes > literal_column("0"), Ticket.labor_minutes)))
    device_asked = bool(args.model or args.device_category)
    if args.group_by not in ("model", "device_category") and not device_asked:
        sums = (func.count(), parts, minutes)
        if args.group_by is None:  # one total: no GROUP BY (PostgreSQL refuses a constant)
            return [("all", *session.execute(_joined(select(*sums), args).where(*conds)).one())]
        key = _group_column(args.group_by)
        query = _joined(select(key, *sums), args).where(*conds).group_by(key)
        return list(session.execute(query).all())
    sums = (func.count(Ticket.id), parts, minutes)  # a device with no such ticket counts none
    on_tickets = _conditions(session, args, devices=False)
    on_devices = conds[len(on_tickets) :]
    if args.group_by not in ("model", "device_category"):
        keys: tuple[Any, ...] = () if args.group_by is None else (_group_column(args.group_by),)
        query = _linked(select(*keys, *sums), on_tickets).where(*on_devices)
        if not keys:
            return [("all", *session.execute(query).one())]
        return list(session.execute(query.group_by(*keys)).all())
    key = _group_column(args.group_by)
    query = _linked(select(key, *sums), on_tickets).where(*on_devices).group_by(key)
    found: _Rows = list(session.execute(query).all())
    if device_asked:  # a device asked: no ticket without one counts
        return found
    return [*found, _unlinked(session, args, found)]


def _linked(query: Any, on_tickets: list[Any]) -> Any:
    """Each device's costed tickets of the window, device by device.

    A LEFT JOIN with the ticket conditions in its ON clause keeps SQLite reading the devices
    first (in model order) and each one's tickets from ``ix_tickets_costed_device``; as an inner
    join it reads the window's tickets by date and looks up each one's device (650,000 lookups
    and a sort by model for a year of a large district).
    """
    ticket_side = and_(Ticket.device_id == Device.id, Ticket.device_id.is_not(None), *on_tickets)
    return query.select_from(Device).outerjoin(Ticket, ticket_side)


def _unlinked(session: Session, args: RepairSpendArgs, linked: _Rows) -> tuple[Any, ...]:
    """The tickets of the window on no device on file: the summary's whole less ``linked``."""
    _, n, parts, minutes = _from_days(session, args.model_copy(update={"group_by": None}))[0]
    return (
        None,
        int(n or 0) - sum(int(row[1] or 0) for row in linked),
        Decimal(parts or 0) - sum((Decimal(row[2] or 0) for row in linked), Decimal(0)),
        int(minutes or 0) - sum(int(row[3] or 0) for row in linked),
    )


def _joined(query: Any, args: RepairSpendArgs) -> Any:
    """The tickets, joined to their devices only when a model or device category is asked."""
    query = query.select_from(Ticket)
    if args.model or args.device_category or args.group_by in ("model", "device_category"):
        query = query.outerjoin(Device, Device.id == Ticket.device_id)
    return query


def _conditions(session: Session, args: RepairSpendArgs, *, devices: bool = True) -> list[Any]:
    """The ticket conditions of the question, then (``devices``) those on the device."""
    conds: list[Any] = [
        costed(),
        Ticket.opened_at >= dt.datetime.combine(args.start, dt.time()),
        Ticket.opened_at < dt.datetime.combine(args.end + dt.timedelta(days=1), dt.time()),
    ]
    zero: Any = literal_column("0")
    if args.cost == "parts":
        conds.append(Ticket.parts_cost > zero)
    elif args.cost == "labour":
        conds.append(Ticket.labor_minutes > zero)
    if args.school:
        conds.append(Ticket.location_id.in_(school_ids(session, args.school)))
    if args.category:
        conds.append(func.lower(Ticket.category) == args.category.strip().lower())
    if devices and (args.model or args.device_category):
        conds += device_filters(session, model=args.model, category=args.device_category)
    return conds


def _group_column(group_by: str | None) -> Any:
    match group_by:
        case "model":
            return Device.model
        case "device_category":
            return Device.category
        case "school":
            return Ticket.location_id
        case "category":
            return Ticket.category
        case _:
            raise ValueError(f"Unsupported grouping: {group_by}")


def _row(
    group: str, tickets: int, parts: Decimal, minutes: int, rate: Decimal, cost: str
) -> RepairSpendRow:
    labour = (Decimal(minutes) * rate / 60).quantize(Decimal("0.01"))
    keep_parts, keep_labour = cost in ("parts", "both"), cost in ("labour", "both")
    return RepairSpendRow(
        group=group, tickets=tickets, parts=parts if keep_parts else None,
        labour_minutes=minutes if keep_labour else None, labour=labour if keep_labour else None,
        total=(parts if keep_parts else Decimal(0)) + (labour if keep_labour else Decimal(0)),
    )  # fmt: skip


_PARTS_ONLY = re.compile(r"\bparts? only\b|\bonly (the )?parts\b|\b(no|not|without|excluding|"
                         r"minus|leave out|leaving out|not counting|not including) (the )?labou?r\b")  # fmt: skip
_LABOUR_ONLY = re.compile(r"\blabou?r only\b|\bonly (the )?labou?r\b|\b(no|not|without|excluding|"
                          r"minus) (the )?parts\b")  # fmt: skip
_LABOUR = re.compile(r"\blabou?r\b|\btech(nician)? (time|hours)\b|\bhours\b")
_PARTS = re.compile(r"\bparts?\b")
_LIFETIME = re.compile(r"\b(lifetime|life ?span|over (its|their) li(fe|ves)|to own|ownership|tco"
                       r"|per device)\b")  # fmt: skip


def _cost_asked(slots: Mapping[str, Any], question: str) -> dict[str, Any]:
    """The cost the question defines: parts only, labour only, or (saying neither) both."""
    text = question.lower()
    if _PARTS_ONLY.search(text):
        return {"cost": "parts"}
    if _LABOUR_ONLY.search(text):
        return {"cost": "labour"}
    parts, labour = bool(_PARTS.search(text)), bool(_LABOUR.search(text))
    if parts != labour:
        return {"cost": "parts" if parts else "labour"}
    return {"cost": "both"}


TOOLS = (
    ToolSpec(
        name="repair_spend",
        func=repair_spend,
        args_model=RepairSpendArgs,
        description=(
            "Money spent on repairs in a window: parts cost and labour (minutes at the labour "
            "rate) on tickets opened in it, kept apart, by device model, school, repair "
            "category or device category; parts only or labour only when the question says so."
        ),
        examples=(
            "how much did we spend on repair parts this school year?",
            "repair costs by model last fiscal year, parts only",
            "what did screen repairs cost us since July?",
            "labour hours and cost on repairs at Lincoln Elementary last semester",
            "parts spend per school for the past 90 days",
            "how much have Chromebook repairs cost this year, parts and labor?",
            "which repair categories cost the most in parts last quarter?",
            "what have we spent fixing the Lenovo 300e this year?",
        ),
        domain="repairs",
        measures=("cost",),
        reads=(("category", "ticket_category"), ("device_category", "category")),
        refine=_cost_asked,
        cues=(Cue("lifetime_cost", _LIFETIME),),
        keywords=(
            "repair cost",
            "repair spend",
            "spent on repair",
            "spend on repair",
            "parts",
            "labor",
            "labour",
            "fixing",
        ),  # fmt: skip
        default_window="this fiscal year",
        sensitive=False,
    ),
)
