"""Who holds which device, over every asset system, and finding a person by what a user typed.

Each asset system names a device's holder its own way (Snipe-IT by e-mail, name or employee
number, Google Admin by e-mail); ingest keeps each system's holder in ``device_holders``, matched
to a person by ``ingest.people_match``. A person's devices are the union: a device counts as
theirs when any system says so, and the answer names the systems that do.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, exists, func, or_, select, true
from sqlalchemy.orm import Session

from ingest.people_match import PersonRecord, email_key, parse_name, record_name
from ingest.schema import Device, DeviceHolder, Location, Person
from ingest.sources import SOURCES


@cache
def _labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for source in SOURCES.values():
        labels.setdefault(source.name, source.label)
    return labels


def system_label(system: str) -> str:
    """'google_admin' -> 'Google Admin console' (the name a person knows the system by)."""
    return _labels().get(system, system)


class HeldDevice(BaseModel):
    """One device a person holds, and the systems that say so."""

    serial: str
    model: str | None
    category: str | None
    school: str | None
    systems: list[str] = Field(description="The systems that assign it to the person.")

    def __str__(self) -> str:
        return f"{self.serial} ({self.model or 'no model'}; {', '.join(self.systems)})"


def holds_active_device(person: Any) -> ColumnElement[bool]:
    """The person holds an active device in some system."""
    in_a_system = exists().where(
        DeviceHolder.person_id == person,
        Device.id == DeviceHolder.device_id,
        Device.is_active.is_(true()),
    )
    merged = exists().where(Device.person_id == person, Device.is_active.is_(true()))
    return or_(in_a_system, merged)


def held_devices(session: Session, person_ids: Sequence[int]) -> dict[int, list[HeldDevice]]:
    """The active devices of these people, over every system, by person, in serial order.

    A device whose merged row names the person but no system's holder row does (a store
    loaded before holders were kept) counts too, with the system of its own source.
    """
    wanted = list(dict.fromkeys(person_ids))
    found: dict[tuple[int, int], set[str]] = {}
    for start in range(0, len(wanted), 5000):
        chunk = wanted[start : start + 5000]
        for person_id, device_id, system in session.execute(
            select(DeviceHolder.person_id, DeviceHolder.device_id, DeviceHolder.system)
            .join(Device, Device.id == DeviceHolder.device_id)
            .where(DeviceHolder.person_id.in_(chunk), Device.is_active.is_(true()))
        ):
            found.setdefault((person_id or 0, device_id), set()).add(system_label(system))
        for person_id, device_id in session.execute(
            select(Device.person_id, Device.id).where(
                Device.person_id.in_(chunk), Device.is_active.is_(true())
            )
        ):
            found.setdefault((person_id or 0, device_id), set())
    devices = _devices(session, [device_id for _, device_id in found])
    held: dict[int, list[HeldDevice]] = {}
    for (person_id, device_id), systems in found.items():
        device, school = devices[device_id]
        held.setdefault(person_id, []).append(
            HeldDevice(
                serial=device.serial,
                model=device.model,
                category=device.category,
                school=school,
                systems=sorted(systems) or ["merged record"],
            )  # fmt: skip
        )
    for items in held.values():
        items.sort(key=lambda d: d.serial)
    return held


def _devices(session: Session, ids: Sequence[int]) -> dict[int, tuple[Device, str | None]]:
    wanted = list(dict.fromkeys(ids))
    out: dict[int, tuple[Device, str | None]] = {}
    for start in range(0, len(wanted), 5000):
        query = (
            select(Device, Location.name)
            .outerjoin(Location, Location.id == Device.location_id)
            .where(Device.id.in_(wanted[start : start + 5000]))
        )
        out.update({device.id: (device, school) for device, school in session.execute(query)})
    return out


def find_people(session: Session, written: str) -> list[Person]:
    """The people a user's words name: an e-mail (any case, plus-addressed) or a name in
    either order. Two people of one name both come back, for the caller to say so.
    """
    wanted = _as_record(written)
    if (key := email_key(wanted.email)) is not None:
        local = key.split("@", 1)[0]
        query = select(Person).where(func.lower(Person.email).contains(local, autoescape=True))
        return [p for p in session.scalars(query) if email_key(p.email) == key]
    name = parse_name(written)
    if name is None:
        return []
    # The surname narrows it in SQL (a name or an address holding it); the matcher decides.
    query = select(Person).where(
        or_(
            func.lower(Person.name).contains(_surname_hint(written), autoescape=True),
            func.lower(Person.email).contains(name.last, autoescape=True),
        )
    )
    return [
        p
        for p in session.scalars(query)
        if (found := record_name(_record(p))) is not None and found.key == name.key
    ]


def _surname_hint(written: str) -> str:
    """A word of the typed name likely to be in the stored one ('lee' of 'Ann Lee', 'Lee, Ann')."""
    text = written.strip().lower()
    if "," in text:
        return text.split(",", 1)[0].strip().split()[-1] if text.split(",", 1)[0].strip() else text
    return text.split()[-1]


def _as_record(written: str) -> PersonRecord:
    text = written.strip()
    return PersonRecord(email=text) if "@" in text else PersonRecord(name=text)


def _record(person: Person) -> PersonRecord:
    return PersonRecord(
        employee_id=person.employee_id, email=person.email, name=person.name,
        is_roster=person.in_roster,
    )  # fmt: skip
