"""Staff comings and goings against the devices they hold, from the HR roster and asset systems.

A device assigned to someone who has left is a device that may never come back; a new hire with
nothing assigned starts without a computer. The roster (people.in_roster) says who works here and
when they start and end; devices.person_id says who holds each device. Counts run in SQL; Python
only lays out the few rows shown.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, case, exists, false, func, or_, select, true
from sqlalchemy.orm import Session

from ingest.schema import Device, Location, Person, SourceRecord
from tools.base import ToolResult, ToolSpec, school_ids, sources_of
from tools.cues import Cue

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


def _has_active_device() -> ColumnElement[bool]:
    return exists().where(Device.person_id == Person.id, Device.is_active.is_(true()))


class StaffWindowArgs(BaseModel):
    """A window of HR dates, optionally for one school."""

    start: dt.date = Field(description="First day of the window (YYYY-MM-DD).")
    end: dt.date = Field(description="Last day of the window (inclusive).")
    school: str | None = Field(
        default=None, description="Only staff whose building is this school."
    )


# --- departures_with_devices -------------------------------------------------------------------


class DeparturesWithDevicesArgs(StaffWindowArgs):
    """Staff whose HR end date falls in [start, end]."""


class DepartureRow(BaseModel):
    """One leaver who still holds active devices."""

    name: str | None
    email: str | None
    school: str | None
    title: str | None
    end_date: dt.date
    device_count: int
    devices: list[str] = Field(description=f'Up to {DEVICES_SHOWN} as "SERIAL (Model)".')
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
    """Roster people whose end date falls in [start, end] and who still hold active devices.

    Leavers in the window with nothing assigned are counted in the notes, not listed.
    """
    notes: list[str] = []
    conditions = [
        Person.in_roster.is_(true()),
        Person.end_date >= args.start,
        Person.end_date <= args.end,
        *_at_school(session, Person.location_id, args.school, notes),
    ]
    # The leavers first (a few dozen by the end-date index), then only their devices: counting
    # every holder's devices first would read the whole device table on each question.
    leavers = session.execute(
        select(Person, Location.name)
        .outerjoin(Location, Location.id == Person.location_id)
        .where(*conditions)
        .order_by(Person.end_date, Person.name, Person.email)
    ).all()
    devices = _devices_of(session, [person.id for person, _ in leavers])
    found = [(p, school, len(devices[p.id])) for p, school in leavers if p.id in devices]
    if without := len(leavers) - len(found):
        notes.append(
            f"{_n(without, 'other person', 'other people')} "
            f"{'leaves' if without == 1 else 'leave'} in the window with no active device assigned."
        )
    if any(n > DEVICES_SHOWN for _, _, n in found):
        notes.append(f"Each row lists at most {DEVICES_SHOWN} devices; device_count has them all.")
    ids = [p.source_record_id for p, _, _ in found]
    ids += [d.source_record_id for held_devices in devices.values() for d in held_devices]
    refs, systems = _sources(session, ids, notes)
    ref_by_id = _ref_map(session, [p.source_record_id for p, _, _ in found])
    rows = [
        _departure_row(p, school, n, devices.get(p.id, []), ref_by_id.get(p.source_record_id or -1))
        for p, school, n in found
    ]
    return DeparturesWithDevicesResult(
        start=args.start, end=args.end, rows=rows, people=len(rows),
        devices=sum(r.device_count for r in rows), count=len(rows),
        sources=refs, systems=systems, notes=notes,
    )  # fmt: skip


def _devices_of(session: Session, person_ids: list[int]) -> dict[int, list[Device]]:
    """The active devices of these people, by person, in serial order."""
    query = (
        select(Device)
        .where(Device.person_id.in_(person_ids), Device.is_active.is_(true()))
        .order_by(Device.person_id, Device.serial)
    )
    held: dict[int, list[Device]] = {}
    for device in session.scalars(query):
        held.setdefault(device.person_id or 0, []).append(device)
    return held


def _departure_row(
    person: Person, school: str | None, n: int, devices: list[Device], source: str | None
) -> DepartureRow:
    shown = [f"{d.serial} ({d.model})" if d.model else d.serial for d in devices[:DEVICES_SHOWN]]
    assert person.end_date is not None
    return DepartureRow(
        name=person.name, email=person.email, school=school, title=person.title,
        end_date=person.end_date, device_count=n, devices=shown, source=source,
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
    """Roster people whose start date falls in [start, end] and who hold no active device.

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
        .where(*conditions, ~_has_active_device())
        .order_by(Person.start_date, Person.name, Person.email)
    ).all()
    equipped = session.scalar(
        select(func.count(Person.id)).where(*conditions, _has_active_device())
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
    """Which devices to check against the roster, and as of when."""

    school: str | None = Field(default=None, description="Only devices at this school.")
    as_of: dt.date = Field(description="Today: people whose end date is before it have left.")


class FormerOwnerRow(BaseModel):
    """One active device held by someone not (or no longer) on staff."""

    serial: str
    model: str | None
    school: str | None
    person_email: str | None
    person_name: str | None
    end_date: dt.date | None
    reason: str
    source: str | None = None


class DevicesOfPeopleNotInRosterResult(ToolResult):
    """Active devices assigned to people not in the HR roster or already gone."""

    as_of: dt.date
    rows: list[FormerOwnerRow]
    people: int
    not_in_roster: int = Field(description="Devices whose holder is not in the HR roster.")
    departed: int = Field(description="Devices whose holder's end date is before as_of.")


def devices_of_people_not_in_roster(
    session: Session, args: DevicesOfPeopleNotInRosterArgs
) -> DevicesOfPeopleNotInRosterResult:
    """Active devices whose person is not in the roster, or whose roster end date is before as_of.

    With no roster loaded at all, every holder would look like a stranger, so the answer is
    empty and says so. The school is the device's school.
    """
    notes: list[str] = []
    empty = DevicesOfPeopleNotInRosterResult(
        as_of=args.as_of, rows=[], people=0, not_in_roster=0, departed=0, count=0
    )
    if not session.scalar(select(func.count(Person.id)).where(Person.in_roster.is_(true()))):
        note = "No HR roster is loaded, so device holders cannot be checked against it."
        return empty.model_copy(update={"notes": [note]})
    gone = Person.in_roster.is_(false())
    conditions = [
        Device.is_active.is_(true()),
        or_(gone, Person.end_date < args.as_of),
        *_at_school(session, Device.location_id, args.school, notes),
    ]
    joined = select(Device.id).join(Person, Person.id == Device.person_id).where(*conditions)
    devices, people, strangers = session.execute(
        joined.with_only_columns(
            func.count(Device.id),
            func.count(Person.id.distinct()),
            func.coalesce(func.sum(case((gone, 1), else_=0)), 0),
        )
    ).one()
    found = session.execute(
        joined.with_only_columns(Device, Person, Location.name)
        .outerjoin(Location, Location.id == Device.location_id)
        .order_by(Person.in_roster, Person.name, Person.email, Device.serial)
        .limit(ROW_CAP)
    ).all()
    if devices > len(found):
        notes.append(f"Showing the first {len(found)} of {devices} devices.")
    if strangers:
        notes.append("The HR roster lists staff: devices held by students also show as not in it.")
    refs, systems = _sources(session, [d.source_record_id for d, _, _ in found], notes)
    ref_by_id = _ref_map(session, [d.source_record_id for d, _, _ in found])
    rows = [
        _former_row(d, p, school, ref_by_id.get(d.source_record_id or -1)) for d, p, school in found
    ]
    return empty.model_copy(update={
        "rows": rows, "people": people, "not_in_roster": strangers,
        "departed": devices - strangers, "count": devices, "sources": refs, "systems": systems,
        "notes": notes,
    })  # fmt: skip


def _former_row(
    device: Device, person: Person, school: str | None, source: str | None
) -> FormerOwnerRow:
    reason = "not in HR roster" if not person.in_roster else f"left on {person.end_date}"
    return FormerOwnerRow(
        serial=device.serial, model=device.model, school=school, person_email=person.email,
        person_name=person.name, end_date=person.end_date, reason=reason, source=source,
    )  # fmt: skip


# People already gone are not in the roster as leaving (another tool finds their devices).
_ALREADY_GONE = re.compile(r"\b(former|who (?:have |has |already )?left|already left|departed"
                           r"|no longer (?:work|employed|with|on|in)|ex-\w+)\b")  # fmt: skip


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
        name="devices_of_people_not_in_roster",
        measures=("list", "count"),
        func=devices_of_people_not_in_roster,
        args_model=DevicesOfPeopleNotInRosterArgs,
        description=(
            "Active devices still assigned to people who are not in the HR roster or whose end "
            "date has passed (former staff): serial, model, school, the person, their end date "
            "and the reason, with counts of devices and people."
        ),
        examples=(
            "which devices are assigned to people who no longer work here?",
            "do former employees still have laptops checked out?",
            "devices assigned to people not in the roster",
            "who left the district but still has a device?",
            "devices checked out to users missing from HR",
            "which assigned owners are not on the staff list?",
            "equipment still in the hands of people who already left",
            "orphaned devices whose owner has departed",
        ),
        domain="people",
        keywords=(
            "no longer",
            "not in the roster",
            "roster",
            "former",
            "left the district",
            "anymore",
            "not in hr",
            "have left",
            "has left",
            "already left",
            "ex-",
        ),
        default_window=None,
    ),
)
