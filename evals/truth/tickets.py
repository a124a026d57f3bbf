"""Open tickets, resolution times and weekly volume, from the truth's tickets."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from evals.scoring import Fact, count, number, text
from evals.truth.common import as_date, fact, find_school
from ingest.sample import (
    SampleDistrict,
    TruthTicket,
)

# --- tickets ---------------------------------------------------------------------------------------


def _tickets(
    district: SampleDistrict,
    *,
    school: str | None = None,
    category: str | None = None,
    system: str | None = None,
) -> list[TruthTicket]:
    school_name = find_school(district, school)
    return [
        t
        for t in district.tickets
        if (school_name is None or t.school == school_name)
        and (category is None or t.category == category)
        and (system is None or t.system == system)
    ]


@fact
def open_tickets(
    district: SampleDistrict,
    as_of: dt.date,
    school: str | None = None,
    category: str | None = None,
    older_than_days: int | None = None,
    oldest: bool = False,
) -> list[Fact]:
    """Open tickets (optionally only those opened more than N days ago), and the oldest's age."""
    found = [t for t in _tickets(district, school=school, category=category) if t.is_open]
    if older_than_days is not None:
        found = [t for t in found if t.opened.date() < as_of - dt.timedelta(days=older_than_days)]
    facts = [count(len(found), "open tickets")]
    if oldest and found:
        facts.append(count((as_of - min(t.opened for t in found).date()).days, "oldest age (days)"))
    return facts


@fact
def open_by_school(district: SampleDistrict, as_of: dt.date) -> list[Fact]:
    """The school with the most open tickets, and how many."""
    counts = Counter(t.school for t in district.tickets if t.is_open)
    top, n = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0]
    return [text(top, "biggest backlog"), count(n, f"open at {top}")]


@fact
def resolution(
    district: SampleDistrict,
    as_of: dt.date,
    start: str,
    end: str,
    category: str | None = None,
    school: str | None = None,
) -> list[Fact]:
    """Tickets closed in [start, end]: how many, and the average days from opened to closed."""
    low = dt.datetime.combine(as_date(start), dt.time())  # type: ignore[arg-type]
    high = dt.datetime.combine(as_date(end) + dt.timedelta(days=1), dt.time())  # type: ignore[operator]
    found = [
        t
        for t in _tickets(district, school=school, category=category)
        if t.closed and low <= t.closed < high and t.closed >= t.opened
    ]
    days = [(t.closed - t.opened).total_seconds() / 86400 for t in found]  # type: ignore[operator]
    return [count(len(found), "tickets closed"), number(sum(days) / len(days), "average days")]


@fact
def opened(
    district: SampleDistrict,
    as_of: dt.date,
    start: str,
    end: str,
    school: str | None = None,
    category: str | None = None,
    system: str | None = None,
) -> list[Fact]:
    """Tickets opened in [start, end] (inclusive days)."""
    first, last = as_date(start), as_date(end)
    found = [
        t
        for t in _tickets(district, school=school, category=category, system=system)
        if first <= t.opened.date() <= last  # type: ignore[operator]
    ]
    return [count(len(found), "tickets opened")]


@fact
def last_full_weeks(district: SampleDistrict, as_of: dt.date) -> list[Fact]:
    """Tickets opened in the last full Monday-Sunday week before as_of, and the week before."""
    monday = as_of - dt.timedelta(days=as_of.weekday() + 7)
    if as_of.weekday() == 6:
        monday += dt.timedelta(days=7)

    def week(first: dt.date) -> int:
        return sum(
            1 for t in district.tickets if first <= t.opened.date() <= first + dt.timedelta(days=6)
        )

    return [count(week(monday), f"week of {monday}"),
            count(week(monday - dt.timedelta(days=7)), "the week before")]  # fmt: skip


@fact
def listed(
    district: SampleDistrict,
    as_of: dt.date,
    start: str,
    end: str,
    school: str | None = None,
    category: str | None = None,
) -> list[Fact]:
    """Tickets of one category at one school opened in [start, end], as a list answers: how many,
    and the newest one's id."""
    first, last = as_date(start), as_date(end)
    found = [
        t
        for t in _tickets(district, school=school, category=category)
        if first <= t.opened.date() <= last  # type: ignore[operator]
    ]
    newest = max(found, key=lambda t: t.opened)
    return [count(len(found), "tickets"), text(str(newest.external_id), "newest ticket")]
