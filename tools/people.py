"""Staff comings and goings against the devices they hold, from the HR roster and asset systems.

A device assigned to someone who has left is a device that may never come back; a new hire with
nothing assigned starts without a computer. The roster (people.in_roster) says who works here and
when they start and end; each asset system says who holds each device (``tools.holders``: the
union over systems, matched to people by employee id, e-mail and name). People not in the
roster (students above all) are their own population, never "former staff". Counts run in SQL;
Python only lays out the few rows shown.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, false, func, or_, select, true
from sqlalchemy.orm import Session

from ingest.people_match import PersonRecord, Population, population_of
from ingest.schema import Device, DeviceHolder, FactSource, Location, Person, SourceRecord
from tools.base import ToolResult, ToolSpec, school_ids, sources_of
from tools.cues import Cue
from tools.holders import HeldDevice, held_devices, holds_active_device, system_label

SOURCE_CAP = 200
ROW_CAP = 200
DEVICES_SHOWN = 5


def _n(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {plural or noun + 's'}"


def _at_school(
    session: Session, column: Any, school: str | None, notes: list[str]
) -> list[ColumnElement[bool]]:
    """The school condition on ``column`` (none without a school); an unknown school is noted."""
    if not school:
        return []
    ids = school_ids(session, school)
    if not ids:
        notes.append(f'No school named "{school}" is in the data.')
    return [column.in_(ids)]


def _ref_map(session: Session, ids: Sequence[int | None]) -> dict[int, str]:
    """'file:row' of each source record id (for the rows shown)."""
    wanted = [i for i in dict.fromkeys(ids) if i is not None]
    query = select(SourceRecord.id, SourceRecord.file, SourceRecord.row)
    found = session.execute(query.where(SourceRecord.id.in_(wanted)))
    return {record_id: f"{file}:{row}" for record_id, file, row in found}


def _sources(
    session: Session, ids: Sequence[int | None], notes: list[str]
) -> tuple[list[str], list[str]]:
    """Sources of the records used, capped at SOURCE_CAP (and noted when capped)."""
    unique = [i for i in dict.fromkeys(ids) if i is not None]
    if len(unique) > SOURCE_CAP:
        notes.append(f"Sources list {SOURCE_CAP} of the {len(unique)} records used.")
        unique = unique[:SOURCE_CAP]
    return sources_of(session, unique)


class StaffWindowArgs(BaseModel):
    """A window of HR dates, optionally for one school."""

    start: dt.date = Field(description="First day of the window (YYYY-MM-DD).")
    end: dt.date = Field(description="Last day of the window (inclusive).")
    school: str | None = Field(
        default=None, description="Only staff whose building is this school."
    )


# --- departures_with_devices and former_staff_with_devices -----------------------------------


class DeparturesWithDevicesArgs(StaffWindowArgs):
    """Staff whose HR end date falls in [start, end]."""


class DepartureRow(BaseModel):
    """One leaver (or former employee) who still holds active devices in some system."""

    name: str | None
    email: str | None
    school: str | None
    title: str | None
    end_date: dt.date
    device_count: int
    devices: list[str] = Field(
        description=f'Up to {DEVICES_SHOWN} as "SERIAL (Model; systems that assign it)".'
    )
    held: list[HeldDevice] = Field(default_factory=list, description="The devices shown.")
    source: str | None = None


class DeparturesWithDevicesResult(ToolResult):
    """Leavers with devices still assigned, soonest first, and how many devices they hold."""

    start: dt.date
    end: dt.date
    rows: list[DepartureRow]
    people: int
    devices: int


def departures_with_devices(
    session: Session, args: DeparturesWithDevicesArgs
) -> DeparturesWithDevicesResult:
    """Roster people whose end date falls in [start, end] and who still hold active devices in
    any asset system (Snipe-IT, Google Admin, ...), each device with the systems that assign it.

    Leavers in the window with nothing assigned are counted in the notes, not listed.
    """
    notes: list[str] = []
    conditions = [
        Person.in_roster.is_(true()),
        Person.end_date >= args.start,
        Person.end_date <= args.end,
        *_at_school(session, Person.location_id, args.school, notes),
    ]
    rows, devices, without, refs, systems = _holders(session, conditions, notes)
    if without:
        notes.insert(0,
            f"{_n(without, 'other person', 'other people')} "
            f"{'leaves' if without == 1 else 'leave'} in the window with no active device assigned."
        )  # fmt: skip
    return DeparturesWithDevicesResult(
        start=args.start, end=args.end, rows=rows, people=len(rows), devices=devices,
        count=len(rows), sources=refs, systems=systems, notes=notes,
    )  # fmt: skip


class FormerStaffWithDevicesArgs(BaseModel):
    """Former staff (HR end date before today), optionally of one school."""

    as_of: dt.date = Field(description="Today: people whose end date is before it have left.")
    school: str | None = Field(
        default=None, description="Only former staff whose building was this school."
    )


class FormerStaffWithDevicesResult(ToolResult):
    """Former staff still holding devices, most recently gone first."""

    as_of: dt.date
    rows: list[DepartureRow]
    people: int
    devices: int


def former_staff_with_devices(
    session: Session, args: FormerStaffWithDevicesArgs
) -> FormerStaffWithDevicesResult:
    """Roster people whose end date is before as_of and who still hold active devices in any
    system. People not in the roster (students, contractors) are never former staff: they are
    ``devices_of_people_not_in_roster``'s answer.
    """
    notes: list[str] = []
    conditions = [
        Person.in_roster.is_(true()),
        Person.end_date < args.as_of,
        *_at_school(session, Person.location_id, args.school, notes),
    ]
    rows, devices, _, refs, systems = _holders(
        session, conditions, notes, newest_first=True, only_holders=True
    )
    return FormerStaffWithDevicesResult(
        as_of=args.as_of, rows=rows, people=len(rows), devices=devices, count=len(rows),
        sources=refs, systems=systems, notes=notes,
    )  # fmt: skip


def _holders(
    session: Session,
    conditions: list[ColumnElement[bool]],
    notes: list[str],
    *,
    newest_first: bool = False,
    only_holders: bool = False,
) -> tuple[list[DepartureRow], int, int, list[str], list[str]]:
    """Rows for the roster people meeting ``conditions`` who hold devices; the number of
    devices, of those people holding none (unless ``only_holders``), sources and systems."""
    order = Person.end_date.desc() if newest_first else Person.end_date
    query = (
        select(Person, Location.name)
        .outerjoin(Location, Location.id == Person.location_id)
        .where(*conditions)
        .order_by(order, Person.name, Person.email)
    )
    if only_holders:  # former staff are many; only those holding something are read
        query = query.where(holds_active_device(Person.id)).limit(ROW_CAP + 1)
    people = session.execute(query).all()
    if only_holders and len(people) > ROW_CAP:
        total = session.scalar(
            select(func.count(Person.id)).where(*conditions, holds_active_device(Person.id))
        )
        notes.append(f"Showing the first {ROW_CAP} of {total} people.")
        people = people[:ROW_CAP]
    held = held_devices(session, [person.id for person, _ in people])
    found = [(p, school) for p, school in people if held.get(p.id)]
    if any(len(held[p.id]) > DEVICES_SHOWN for p, _ in found):
        notes.append(f"Each row lists at most {DEVICES_SHOWN} devices; device_count has them all.")
    ids = [p.source_record_id for p, _ in found]
    ids += _device_records(session, [d.serial for p, _ in found for d in held[p.id]])
    refs, systems = _sources(session, ids, notes)
    ref_by_id = _ref_map(session, [p.source_record_id for p, _ in found])
    rows = [
        _departure_row(p, school, held[p.id], ref_by_id.get(p.source_record_id or -1))
        for p, school in found
    ]
    devices = sum(r.device_count for r in rows)
    return rows, devices, len(people) - len(found), refs, systems


def _device_records(session: Session, serials: list[str]) -> list[int | None]:
    """Every system's source row of these devices (the views the answer stands on)."""
    wanted = list(dict.fromkeys(serials))
    out: list[int | None] = []
    for start in range(0, len(wanted), 5000):
        # The devices by serial first, then their rows by (table_name, fact_id): joined on the
        # serials alone, SQLite walks every device's fact_sources row (127k at 100k devices).
        ids = select(Device.id).where(Device.serial.in_(wanted[start : start + 5000]))
        query = (
            select(FactSource.source_record_id)
            .join(Device, Device.id == FactSource.fact_id)
            .where(FactSource.table_name == "devices", FactSource.fact_id.in_(ids))
            .order_by(Device.serial, FactSource.system)
        )
        out += list(session.scalars(query))
    return out


def _departure_row(
    person: Person, school: str | None, held: list[HeldDevice], source: str | None
) -> DepartureRow:
    assert person.end_date is not None
    shown = held[:DEVICES_SHOWN]
    return DepartureRow(
        name=person.name, email=person.email, school=school, title=person.title,
        end_date=person.end_date, device_count=len(held), devices=[str(d) for d in shown],
        held=shown, source=source,
    )  # fmt: skip


# --- new_staff_without_devices -----------------------------------------------------------------


class NewStaffWithoutDevicesArgs(StaffWindowArgs):
    """Staff whose HR start date falls in [start, end]."""


class NewStaffRow(BaseModel):
    """One new hire with no active device assigned."""

    name: str | None
    email: str | None
    school: str | None
    title: str | None
    start_date: dt.date
    source: str | None = None


class NewStaffWithoutDevicesResult(ToolResult):
    """New hires starting in the window with nothing assigned yet, soonest first."""

    start: dt.date
    end: dt.date
    rows: list[NewStaffRow]


def new_staff_without_devices(
    session: Session, args: NewStaffWithoutDevicesArgs
) -> NewStaffWithoutDevicesResult:
    """Roster people whose start date falls in [start, end] and who hold no active device in
    any system.

    Starters who already have a device are counted in the notes, not listed.
    """
    notes: list[str] = []
    conditions = [
        Person.in_roster.is_(true()),
        Person.start_date >= args.start,
        Person.start_date <= args.end,
        *_at_school(session, Person.location_id, args.school, notes),
    ]
    found = session.execute(
        select(Person, Location.name)
        .outerjoin(Location, Location.id == Person.location_id)
        .where(*conditions, ~holds_active_device(Person.id))
        .order_by(Person.start_date, Person.name, Person.email)
    ).all()
    equipped = session.scalar(
        select(func.count(Person.id)).where(*conditions, holds_active_device(Person.id))
    )
    if equipped:
        notes.append(
            f"{_n(equipped, 'other person', 'other people')} starting in the window already "
            f"{'has' if equipped == 1 else 'have'} a device assigned."
        )
    refs, systems = _sources(session, [p.source_record_id for p, _ in found], notes)
    ref_by_id = _ref_map(session, [p.source_record_id for p, _ in found])
    rows = [
        NewStaffRow(
            name=p.name,
            email=p.email,
            school=school,
            title=p.title,
            start_date=p.start_date or args.start,
            source=ref_by_id.get(p.source_record_id or -1),
        )  # fmt: skip
        for p, school in found
    ]
    return NewStaffWithoutDevicesResult(
        start=args.start, end=args.end, rows=rows, count=len(rows),
        sources=refs, systems=systems, notes=notes,
    )  # fmt: skip


# --- devices_of_people_not_in_roster -----------------------------------------------------------


class DevicesOfPeopleNotInRosterArgs(BaseModel):
    """Which devices to check against the roster."""

    school: str | None = Field(default=None, description="Only devices at this school.")


class StrangerRow(BaseModel):
    """One active device a system assigns to someone who is not in the HR roster."""

    serial: str
    model: str | None
    school: str | None
    person_email: str | None
    person_name: str | None
    population: str = Field(description='"student" (a student address) or "not in HR".')
    systems: list[str]
    source: str | None = None


class DevicesOfPeopleNotInRosterResult(ToolResult):
    """Active devices assigned to people the HR roster does not hold, students apart."""

    rows: list[StrangerRow]
    people: int
    students: int = Field(description="Devices whose holder has a student address.")
    others: int = Field(description="Devices whose holder is neither staff nor a student.")


def devices_of_people_not_in_roster(
    session: Session, args: DevicesOfPeopleNotInRosterArgs
) -> DevicesOfPeopleNotInRosterResult:
    """Active devices that some system assigns to a person not in the HR roster (matched by
    employee id, e-mail or name): students, contractors, unknown accounts. Former staff are in
    the roster and are ``former_staff_with_devices``'s answer. The school is the device's.

    With no roster loaded at all, every holder would look like a stranger, so the answer is
    empty and says so.
    """
    notes: list[str] = []
    empty = DevicesOfPeopleNotInRosterResult(rows=[], people=0, students=0, others=0, count=0)
    if not session.scalar(select(func.count(Person.id)).where(Person.in_roster.is_(true()))):
        note = "No HR roster is loaded, so device holders cannot be checked against it."
        return empty.model_copy(update={"notes": [note]})
    conditions = [
        Device.is_active.is_(true()),
        # On the holder rows' person_id index (no holder, or one of the people outside the
        # roster), not a walk of every device in serial order testing the joined person.
        or_(
            DeviceHolder.person_id.is_(None),
            DeviceHolder.person_id.in_(select(Person.id).where(Person.in_roster.is_(false()))),
        ),
        *_at_school(session, Device.location_id, args.school, notes),
    ]
    joined = (
        select(Device.id)
        .select_from(DeviceHolder)
        .join(Device, Device.id == DeviceHolder.device_id)
        .outerjoin(Person, Person.id == DeviceHolder.person_id)
        .where(*conditions)
    )
    # Per holder: how many devices, and whether the address is a student's (few thousand rows).
    holder = func.coalesce(func.lower(Person.email), func.lower(DeviceHolder.owner_email),
                           func.lower(DeviceHolder.owner_name))  # fmt: skip
    pairs = session.execute(joined.with_only_columns(Device.id, holder).distinct()).all()
    holders = {who for _, who in pairs}
    devices = len({device_id for device_id, _ in pairs})
    student_holders = {who for who in holders if _is_student(who)}  # each address read once
    students = len({device_id for device_id, who in pairs if who in student_holders})
    found = session.execute(
        joined.with_only_columns(Device, Person, DeviceHolder, Location.name)
        .outerjoin(Location, Location.id == Device.location_id)
        .order_by(Device.serial, DeviceHolder.system)
        .limit(ROW_CAP * 2)
    ).all()
    rows = _stranger_rows(session, found)[:ROW_CAP]
    if devices > len(rows):
        notes.append(f"Showing the first {len(rows)} of {devices} devices.")
    refs, systems = _sources(session, [h.source_record_id for _, _, h, _ in found], notes)
    return empty.model_copy(update={
        "rows": rows, "people": len(holders), "students": students,
        "others": devices - students, "count": devices, "sources": refs, "systems": systems,
        "notes": notes,
    })  # fmt: skip


def _is_student(who: str | None) -> bool:
    return bool(who) and population_of(PersonRecord(email=who)) is Population.STUDENT


def _stranger_rows(session: Session, found: Sequence[Any]) -> list[StrangerRow]:
    """One row per device, with every system that assigns it to someone not in the roster."""
    refs = _ref_map(session, [h.source_record_id for _, _, h, _ in found])
    rows: dict[str, StrangerRow] = {}
    for device, person, holder, school in found:
        email = person.email if person else holder.owner_email
        name = (person.name if person else None) or holder.owner_name
        row = rows.setdefault(device.serial, StrangerRow(
            serial=device.serial, model=device.model, school=school, person_email=email,
            person_name=name, population="student" if _is_student(email) else "not in HR",
            systems=[], source=refs.get(holder.source_record_id or -1),
        ))  # fmt: skip
        row.systems.append(system_label(holder.system))
    return list(rows.values())


# People already gone are not in the roster as leaving (another tool finds their devices).
_ALREADY_GONE = re.compile(r"\b(former|who (?:have |has |already )?left|already left|departed"
                           r"|no longer|ex-\w+|any ?more)\b")  # fmt: skip


TOOLS = (
    ToolSpec(
        name="departures_with_devices",
        measures=("list", "count"),
        cues=(Cue("already_gone", _ALREADY_GONE),),
        func=departures_with_devices,
        args_model=DeparturesWithDevicesArgs,
        description=(
            "Staff leaving the district in a window (HR end date) who still have active devices "
            "assigned: name, email, school, title, last day, how many devices and their serials "
            "and models, with the number of people and of devices to collect."
        ),
        examples=(
            "who is leaving in the next 30 days and still has a laptop?",
            "which departing staff still have devices assigned?",
            "whose last day is before winter break and still has equipment?",
            "staff separating this month who haven't returned their devices",
            "who is quitting at Lincoln and still has a Chromebook?",
            "which retiring teachers need to hand in their devices?",
            "what devices do we need to collect from people leaving this month?",
            "employees with an end date coming up who have district laptops",
            "resignations in the next two weeks with equipment to recover",
        ),
        domain="people",
        keywords=(
            "leaving",
            "departing",
            "last day",
            "separat",
            "quitting",
            "resign",
            "retir",
            "end date",
            "exit",
        ),
        default_window="the next 30 days",
    ),
    ToolSpec(
        name="new_staff_without_devices",
        measures=("list", "count"),
        func=new_staff_without_devices,
        args_model=NewStaffWithoutDevicesArgs,
        description=(
            "New hires from the HR roster whose start date falls in a window and who have no "
            "active device assigned yet: name, email, school, title and start date."
        ),
        examples=(
            "which new hires starting in the next 30 days don't have a device yet?",
            "who is starting next month without a laptop?",
            "new staff at Washington Middle School who still need a computer",
            "what onboarding device setups do we need to do this month?",
            "which new teachers have no device assigned?",
            "new employees starting soon who need equipment issued",
            "who joins the district next month and has nothing assigned?",
            "list upcoming hires that need a laptop provisioned",
        ),
        domain="people",
        keywords=(
            "new hire",
            "hired",
            "starting",
            "new staff",
            "new employee",
            "incoming",
            "onboard",
            "without a device",
            "joining",
            "new teacher",
        ),
        default_window="the next 30 days",
    ),
    ToolSpec(
        name="former_staff_with_devices",
        measures=("list", "count"),
        func=former_staff_with_devices,
        args_model=FormerStaffWithDevicesArgs,
        description=(
            "Former staff: people in the HR roster whose end date has passed and who still hold "
            "active devices in any asset system: name, school, title, last day, and each device "
            "with the system (Snipe-IT, Google Admin) that still assigns it."
        ),
        examples=(
            "which former employees still have devices?",
            "who already left the district but never returned their laptop?",
            "staff who are gone but still show a Chromebook assigned",
            "ex-teachers still holding equipment",
            "people whose employment ended and still have district devices",
            "has everyone who left handed their devices back?",
            "former staff at Lincoln with devices still checked out",
            "which retired teachers still have a laptop on their name?",
            "devices still checked out to people who are no longer on the staff roster",
        ),
        domain="people",
        keywords=(
            "former",
            "already left",
            "who left",
            "ex-",
            "no longer work",
            "terminated",
            "used to work",
        ),  # fmt: skip
        default_window=None,
    ),
    ToolSpec(
        name="devices_of_people_not_in_roster",
        measures=("list", "count"),
        cues=(Cue("already_gone", _ALREADY_GONE),),
        func=devices_of_people_not_in_roster,
        args_model=DevicesOfPeopleNotInRosterArgs,
        description=(
            "Active devices assigned (in any asset system) to people who are not on the HR "
            "roster at all: students, contractors, unknown or shared accounts. Serial, model, "
            "school, the holder and the systems, with how many are students' devices."
        ),
        examples=(
            "devices assigned to people not in the roster",
            "devices checked out to users missing from HR",
            "which assigned owners are not on the staff list?",
            "how many devices are assigned to accounts HR doesn't know?",
            "devices held by contractors or unknown users",
            "which device holders aren't employees?",
            "devices checked out to students and other non-staff at Westview",
            "whose devices can't be matched to anyone in the HR file?",
        ),
        domain="people",
        keywords=(
            "not in the roster",
            "not on the roster",
            "not in hr",
            "missing from",
            "non-staff",
            "not on the staff list",
            "contractor",
            "unknown user",
            "not employees",
        ),  # fmt: skip
        default_window=None,
    ),
)
