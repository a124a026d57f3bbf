"""Departures, new hires, orphaned devices, app requests, data quality and search facts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from evals.scoring import Fact, count, money, text
from evals.truth.common import DONE_STATES, as_date, devices_where, fact, find_school
from ingest.sample import (
    SampleDistrict,
    TruthDevice,
)

# --- people ----------------------------------------------------------------------------------------


def _holdings(district: SampleDistrict) -> dict[str, list[TruthDevice]]:
    held: dict[str, list[TruthDevice]] = defaultdict(list)
    for d in district.devices:
        if d.status == "active" and d.owner_email:
            held[d.owner_email].append(d)
    return held


@fact
def departures(
    district: SampleDistrict, as_of: dt.date, start: str, end: str, school: str | None = None
) -> list[Fact]:
    """Staff whose last day is in [start, end] and who still hold active devices."""
    held = _holdings(district)
    school_name = find_school(district, school)
    people = [
        p
        for p in district.people
        if p.end_date
        and as_date(start) <= p.end_date <= as_date(end)  # type: ignore[operator]
        and held.get(p.email)
        and (school_name is None or p.school == school_name)
    ]
    facts = [count(len(people), "people leaving with devices")]
    if people:
        facts.append(count(sum(len(held[p.email]) for p in people), "devices to collect"))
        facts += [text(p.name, "leaver") for p in people[:10]]
    return facts


@fact
def new_staff(
    district: SampleDistrict, as_of: dt.date, start: str, end: str, school: str | None = None
) -> list[Fact]:
    """New hires starting in [start, end] with no active device."""
    held = _holdings(district)
    school_name = find_school(district, school)
    people = sorted(
        (
            p
            for p in district.people
            if as_date(start) <= p.start_date <= as_date(end)  # type: ignore[operator]
            and not held.get(p.email)
            and (school_name is None or p.school == school_name)
        ),
        key=lambda p: (p.start_date, p.name),
    )
    return [count(len(people), "new hires without a device")] + [
        text(p.name, "new hire") for p in people[:10]
    ]


@fact
def orphaned(district: SampleDistrict, as_of: dt.date, school: str | None = None) -> list[Fact]:
    """Active devices held by people who are gone (end date before as_of) or not on the roster."""
    by_email = {p.email: p for p in district.people}
    school_name = find_school(district, school)
    found = [
        d
        for d in devices_where(district)
        if d.owner_email
        and (d.owner_email not in by_email or ((e := by_email[d.owner_email].end_date) and e < as_of))
        and (school_name is None or d.school == school_name)
    ]  # fmt: skip
    return [count(len(found), "devices"), count(len({d.owner_email for d in found}), "people")]


@fact
def former_staff(district: SampleDistrict, as_of: dt.date, school: str | None = None) -> list[Fact]:
    """Roster people whose end date is before as_of and who still hold active devices."""
    held = _holdings(district)
    school_name = find_school(district, school)
    people = [
        p
        for p in district.people
        if p.end_date
        and p.end_date < as_of
        and held.get(p.email)
        and (school_name is None or p.school == school_name)
    ]
    return [
        count(len(people), "former staff with devices"),
        count(sum(len(held[p.email]) for p in people), "devices to collect"),
    ]


@fact
def not_in_roster(
    district: SampleDistrict, as_of: dt.date, school: str | None = None
) -> list[Fact]:
    """Active devices held by people the roster never held (former staff are not among them)."""
    on_roster = {p.email for p in district.people}
    school_name = find_school(district, school)
    found = [
        d
        for d in devices_where(district)
        if d.owner_email
        and d.owner_email not in on_roster
        and (school_name is None or d.school == school_name)
    ]
    return [count(len(found), "devices held by people not on the roster")]


@fact
def person_repairs(district: SampleDistrict, as_of: dt.date, email: str) -> list[Fact]:
    """The person's name and each device they hold (the answer lists their tickets under them)."""
    person = next(p for p in district.people if p.email == email)
    serials = {d.serial for d in district.devices if d.owner_email == email}
    return [text(person.name, "the person"), *(text(s, "their device") for s in sorted(serials))]


# --- apps ------------------------------------------------------------------------------------------


@fact
def app_reviews(
    district: SampleDistrict,
    as_of: dt.date,
    review: str | None = None,
    states: list[str] | None = None,
    school: str | None = None,
) -> list[Fact]:
    """App requests with a review in one of the states (and from one school)."""
    school_name = find_school(district, school)
    wanted = {s.lower() for s in states or ()}
    found = [
        r
        for r in district.app_requests
        if (school_name is None or r.school == school_name)
        and (
            not wanted
            or any(
                state.lower() in wanted
                for key, state in r.reviews.items()
                if review is None or key == review
            )
        )
    ]
    return [count(len(found), "app requests")]


@fact
def stuck(
    district: SampleDistrict,
    as_of: dt.date,
    days: int = 30,
    review: str | None = None,
    school: str | None = None,
) -> list[Fact]:
    """Reviews still waiting whose last update is more than ``days`` days old; their requests."""
    school_name = find_school(district, school)
    cutoff = as_of - dt.timedelta(days=days)
    reviews = [
        (r.request_id, key)
        for r in district.app_requests
        if r.review_updated < cutoff and (school_name is None or r.school == school_name)
        for key, state in r.reviews.items()
        if state.strip().lower() not in DONE_STATES and (review is None or key == review)
    ]
    return [count(len({rid for rid, _ in reviews}), "requests stuck")]


@fact
def approved(
    district: SampleDistrict,
    as_of: dt.date,
    school: str | None = None,
    agreement: str | None = None,
    total: bool = False,
) -> list[Fact]:
    """Approved apps (of one school, or with one agreement type), and their annual cost."""
    school_name = find_school(district, school)
    found = [
        r
        for r in district.app_requests
        if r.approval_status == "Approved"
        and (school_name is None or r.school == school_name)
        and (agreement is None or r.agreement_type == agreement)
    ]
    facts = [count(len(found), "approved apps")]
    if total:
        facts.append(money(sum((r.annual_cost or Decimal(0) for r in found), Decimal(0)), "total"))
    return facts


# --- data quality and search -------------------------------------------------------------------------


@fact
def quality(district: SampleDistrict, as_of: dt.date, owners: bool = False) -> list[Fact]:
    """Planted conflicts and damaged serials (and active devices with no owner)."""
    facts = [count(len(district.conflicts), "location conflicts")]
    if owners:
        no_owner = sum(1 for d in district.devices if d.status == "active" and not d.owner_email)
        facts.append(count(no_owner, "active devices without an owner"))
    else:
        facts.append(count(len(district.damaged_serial_rows), "damaged serials"))
    return facts


@fact
def no_owner(district: SampleDistrict, as_of: dt.date) -> list[Fact]:
    """Active devices no system assigns to anyone."""
    found = sum(1 for d in district.devices if d.status == "active" and not d.owner_email)
    return [count(found, "active devices without an owner")]


@fact
def conflicts(district: SampleDistrict, as_of: dt.date) -> list[Fact]:
    """How many devices two systems place at different schools, and one of their serials."""
    serials = [serial for serial, *_ in district.conflicts]
    return [count(len(serials), "conflicts"), text(serials, "a conflicting serial")]


@fact
def search_tickets(district: SampleDistrict, as_of: dt.date, meaning: str) -> list[Fact]:
    """Ticket search: the matches shown are of the category meant."""
    return [text(meaning, "ticket category found")]


@fact
def search_notes(
    district: SampleDistrict, as_of: dt.date, kind: str, words: list[str]
) -> list[Fact]:
    """Contract or app-request search: one record whose notes say one of ``words`` is shown."""
    records = district.contracts if kind == "contracts" else district.app_requests
    products = [r.product for r in records if any(w in r.notes.lower() for w in words)]
    if not products:
        raise ValueError(f"no {kind} notes mention {words}: fix the case")
    return [text(products, f"a {kind} record mentioning {words[0]}")]


@fact
def nothing(district: SampleDistrict, as_of: dt.date) -> list[Fact]:
    """Unanswerable: no facts; the answer must be the refusal."""
    return []
