"""A person's repair history: the devices they hold or held, and every ticket on them.

"What's been fixed on Ann Lee's laptop?" needs the person first (by e-mail or by name in
either order, ``tools.holders.find_people``), then their devices over every asset system (held
now, held before: an owner change a newer export recorded, or named on a ticket they opened),
then the tickets of every help desk on those devices and the tickets they opened themselves.
Two people of one name are never merged: the answer names both and asks which.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from pydantic import BaseModel, Field
from sqlalchemy import String, and_, cast, func, or_, select, true
from sqlalchemy.orm import Session

from ingest.people_match import PersonRecord, parse_name, record_name
from ingest.schema import Change, Device, DeviceHolder, Person, SourceRecord, Ticket
from tools.base import ToolResult, ToolSpec, sources_of
from tools.cues import Cue
from tools.holders import find_people, held_devices, system_label

ROW_CAP = 200


class PersonRepairsArgs(BaseModel):
    """The person, as a user writes them."""

    person: str = Field(description='A name ("Ann Lee", "Lee, Ann") or an e-mail address.')


class PersonDevice(BaseModel):
    """A device the person holds or held."""

    serial: str
    model: str | None
    how: str = Field(description='"holds now", "held before" or "named on their ticket".')
    systems: list[str] = Field(default_factory=list, description="Systems that assign it now.")


class PersonTicketRow(BaseModel):
    """One ticket on one of the person's devices, or opened by them, from any help desk."""

    system: str
    external_id: str
    opened: dt.datetime | None
    closed: dt.datetime | None
    status: str | None
    is_open: bool
    category: str | None
    is_repair: bool
    serial: str | None
    subject: str | None
    requester: str | None
    parts_cost: Decimal | None
    source: str | None = None


class PersonRepairsResult(ToolResult):
    """The person found (or the namesakes to choose from), their devices and the tickets."""

    person: str
    name: str | None = None
    email: str | None = None
    in_roster: bool | None = None
    candidates: list[str] = Field(default_factory=list, description="Namesakes, when several.")
    devices: list[PersonDevice] = Field(default_factory=list)
    rows: list[PersonTicketRow] = Field(default_factory=list)
    repair_count: int = 0
    parts_total: Decimal = Decimal(0)


def person_repairs(session: Session, args: PersonRepairsArgs) -> PersonRepairsResult:
    """The named person's devices (now and before) and every ticket on them, newest first."""
    people = find_people(session, args.person)
    empty = PersonRepairsResult(person=args.person, count=0)
    if not people:
        return empty.model_copy(
            update={"notes": [f'No one named "{args.person}" is in the roster or any system.']}
        )
    if len(people) > 1:
        shown = [f"{p.name or p.email} ({p.email or p.employee_id or 'no e-mail on file'})"
                 for p in people]  # fmt: skip
        note = (f'{len(people)} people are named "{args.person}"; ask again with one of their '
                "e-mail addresses.")  # fmt: skip
        return empty.model_copy(update={"candidates": shown, "notes": [note]})
    person = people[0]
    devices = _devices(session, person.id)
    serials = sorted({d.serial for d in devices})
    theirs = [
        Ticket.device_id.in_(select(Device.id).where(Device.serial.in_(serials))),
        Ticket.device_serial.in_(serials),
        Ticket.requester_id == person.id,
    ]
    if named := _named_requesters(session, person):
        theirs.append(and_(Ticket.requester_id.is_(None), Ticket.requester.in_(named)))
    # One pass in SQL over the person's tickets, reading only the columns the order and the
    # totals need: the first ROW_CAP ids, each carrying the count and sums over all of them
    # (window aggregates). Only the tickets shown are then loaded whole.
    # Newest first; undated tickets last; a tie in time by system, then id, both descending.
    first = session.execute(
        select(
            Ticket.id,
            func.count(Ticket.id).over(),
            func.count(Ticket.id).filter(Ticket.is_repair.is_(true())).over(),
            func.sum(Ticket.parts_cost).over(),
        )
        .where(or_(*theirs))
        .order_by(
            Ticket.opened_at.desc().nulls_last(), Ticket.system.desc(), Ticket.external_id.desc()
        )
        .limit(ROW_CAP)
    ).all()
    count, repair_count, parts_total = first[0][1:] if first else (0, 0, None)
    by_id = {
        t.id: t for t in session.scalars(select(Ticket).where(Ticket.id.in_([r[0] for r in first])))
    }
    shown = [by_id[r[0]] for r in first]
    refs, systems = sources_of(
        session, [person.source_record_id, *(t.source_record_id for t in shown)]
    )
    ref_of = _refs(session, [t.source_record_id for t in shown])
    notes = [] if count <= ROW_CAP else [f"Showing {ROW_CAP} of {count} tickets."]
    if not devices:
        notes.append("No asset system assigns a device to this person now or before.")
    rows = [_row(t, ref_of.get(t.source_record_id or -1)) for t in shown]
    return empty.model_copy(update={
        "name": person.name, "email": person.email, "in_roster": person.in_roster,
        "devices": devices, "rows": rows, "count": count, "repair_count": repair_count,
        "parts_total": parts_total or Decimal(0),  # a sum of zeros reads 0, as ever
        "sources": refs, "systems": systems, "notes": notes,
    })  # fmt: skip


def _named_requesters(session: Session, person: Person) -> list[str]:
    """Requesters written only as this person's name and matched to nobody (a help desk loaded
    before the roster named them), as written. The name must be theirs alone."""
    name = record_name(
        PersonRecord(employee_id=person.employee_id, email=person.email, name=person.name)
    )
    if name is None or len(find_people(session, f"{name.first} {name.last}")) != 1:
        return []
    # Each distinct spelling is parsed once, not each of its tickets.
    query = (
        select(Ticket.requester)
        .where(
            Ticket.requester_id.is_(None),
            func.lower(Ticket.requester).contains(name.last[:4], autoescape=True),
        )
        .distinct()
    )
    return sorted(
        written
        for written in session.scalars(query)
        if (parsed := parse_name(written)) and parsed.key == name.key
    )


def _devices(session: Session, person_id: int) -> list[PersonDevice]:
    """Held now (any system), held before (an owner change), named on the person's tickets."""
    now = held_devices(session, [person_id]).get(person_id, [])
    out = {d.serial: PersonDevice(serial=d.serial, model=d.model, how="holds now",
                                  systems=d.systems) for d in now}  # fmt: skip
    inactive = session.execute(
        select(Device.serial, Device.model, DeviceHolder.system)
        .join(DeviceHolder, DeviceHolder.device_id == Device.id)
        .where(DeviceHolder.person_id == person_id, Device.serial.not_in(list(out)))
    ).all()
    for serial, model, system in inactive:  # retired devices still named to them
        device = out.setdefault(serial, PersonDevice(serial=serial, model=model, how="holds now"))
        device.systems = sorted({*device.systems, system_label(system)})
    before = session.execute(
        select(Device.serial, Device.model)
        .join(Change, Change.fact_id == Device.id)
        .where(
            Change.table_name == "devices",
            Change.field == "person_id",
            Change.old_value == cast(person_id, String),
        )
    ).all()
    for serial, model in before:
        if serial not in out:
            out[serial] = PersonDevice(serial=serial, model=model, how="held before")
    on_tickets = session.execute(
        select(Device.serial, Device.model)
        .join(Ticket, Ticket.device_id == Device.id)
        .where(Ticket.requester_id == person_id)
        .distinct()
    ).all()
    for serial, model in on_tickets:
        if serial not in out:
            out[serial] = PersonDevice(serial=serial, model=model, how="named on their ticket")
    return sorted(out.values(), key=lambda d: (d.how != "holds now", d.serial))


def _refs(session: Session, ids: list[int | None]) -> dict[int, str]:
    """'file:row' of each source record id (for the rows shown)."""
    wanted = [i for i in dict.fromkeys(ids) if i is not None]
    query = select(SourceRecord.id, SourceRecord.file, SourceRecord.row)
    return {i: f"{file}:{row}" for i, file, row in
            session.execute(query.where(SourceRecord.id.in_(wanted)))}  # fmt: skip


def _row(ticket: Ticket, source: str | None) -> PersonTicketRow:
    return PersonTicketRow(
        system=system_label(ticket.system), external_id=ticket.external_id,
        opened=ticket.opened_at, closed=ticket.closed_at, status=ticket.status,
        is_open=ticket.is_open, category=ticket.category, is_repair=ticket.is_repair,
        serial=ticket.device_serial, subject=ticket.subject, requester=ticket.requester,
        parts_cost=ticket.parts_cost, source=source,
    )  # fmt: skip


# A question about a person's repairs names repairs, tickets or trouble somehow.
_REPAIRS_UNNAMED = re.compile(
    r"^(?!.*\b(repair\w*|tickets?|fix\w*|broke\w*|break\w*|problems?|issues?|history"
    r"|damage\w*|happened|wrong|trouble|work orders?)\b)"
)


TOOLS = (
    ToolSpec(
        name="person_repairs",
        measures=("list", "count"),
        reads=(("person", "owner"),),
        cues=(Cue("subject_unnamed", _REPAIRS_UNNAMED),),
        func=person_repairs,
        args_model=PersonRepairsArgs,
        description=(
            "The repair history of one person's devices: find the person by name or e-mail, the "
            "devices any asset system assigns to them now or did before, and every help desk "
            "ticket on those devices or opened by them, newest first, with repair count and "
            "parts cost."
        ),
        examples=(
            "what repairs have been done on Ann Lee's devices?",
            "show the ticket history for ann.lee@district.org's laptop",
            "how many times has Mr. Kelly's Chromebook been fixed?",
            "list every ticket on the devices assigned to Rosa Torres",
            "has Grace Simmons had problems with her laptop?",
            "repair history for the teacher Nathan Delgado",
            "what's been broken on devices checked out to Ella McDonald?",
            "tickets for whatever device Rachel Aguilar has",
        ),
        domain="repairs",
        keywords=(
            "'s laptop",
            "'s chromebook",
            "'s device",
            "'s ipad",
            "her laptop",
            "his laptop",
            "repairs",
            "tickets",
            "fixed",
            "broken",
        ),  # fmt: skip
        default_window=None,
    ),
)
