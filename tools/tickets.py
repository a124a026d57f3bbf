"""Help desk tickets: the open backlog, how long tickets take to close, and how many come in.

Tickets from every help desk sit in one table with canonical categories, so these answers cover
Incident IQ and Zendesk together. Counts and averages of a window read the per-day summaries
ingest keeps (``ticket_opened_days``, ``ticket_closed_days``: thousands of rows, not a million
tickets). Resolution medians are exact: ``ticket_closed_values`` keeps each day's sorted
resolution seconds per category, school and help desk, and the middle ranks are picked from the
joined cells of the window (numpy.partition). Open-ticket ages are whole days, so their medians
follow exactly from counts per opened day. Sources past 200 tickets are a sample, noted with
the total.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from statistics import mean
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, Field
from sqlalchemy import Select, case, func, literal, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement

from ingest.schema import (
    Location,
    SourceRecord,
    Ticket,
    TicketClosedDay,
    TicketClosedValues,
    TicketOpenedDay,
)
from tools.base import SOURCE_CAP, ToolResult, ToolSpec, sample_note, school_ids, sources_of
from tools.dates import format_range

SECONDS_PER_DAY = 86400
OLDEST_SHOWN = 10
ONE_DAY = dt.timedelta(days=1)
NO_VALUE = {"school": "(no school)", "category": "(no category)", "assignee": "(unassigned)"}


class TicketFilters(BaseModel):
    """Filters every ticket tool accepts."""

    school: str | None = Field(default=None, description="Only tickets at this school.")
    category: str | None = Field(
        default=None, description='Only this ticket category, e.g. "Cracked screen".'
    )
    system: str | None = Field(
        default=None, description='Only this help desk, e.g. "zendesk" or "incident_iq".'
    )


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


def _n(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _be(n: int) -> str:
    return "is" if n == 1 else "are"


def _was(n: int) -> str:
    return "was" if n == 1 else "were"


def _has(n: int) -> str:
    return "has" if n == 1 else "have"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _filters(
    session: Session,
    args: TicketFilters,
    notes: list[str],
    assignee: str | None = None,
    on: Any = Ticket,
) -> list[ColumnElement[bool]]:
    """SQL conditions for the filters given, on tickets or a ticket summary (``on``); a school
    the data does not know is noted."""
    conditions: list[ColumnElement[bool]] = []
    if args.school:
        ids = school_ids(session, args.school)
        if not ids:
            notes.append(f'No school named "{args.school}" is in the data.')
        conditions.append(on.location_id.in_(ids))
    if args.category:
        conditions.append(func.lower(on.category) == args.category.strip().lower())
    if args.system:
        system = args.system.strip().lower().replace(" ", "_").replace("-", "_")
        conditions.append(func.lower(on.system) == system)
    if assignee:
        wanted = assignee.strip().lower()
        conditions.append(func.lower(Ticket.assignee).contains(wanted, autoescape=True))
    return conditions


def _grain(summary: Any, per_school: bool) -> ColumnElement[bool]:
    """Rows per school when the question names or groups by a school, else the rows summed
    over the schools (the per-day summaries keep both; the sums are ten times fewer)."""
    return summary.all_schools.is_(not per_school)


def _from_tickets(*columns: Any, on: Any = Ticket) -> Select[Any]:
    return select(*columns).select_from(on).outerjoin(Location, Location.id == on.location_id)


def _middle(seconds: Any) -> list[float] | None:
    """The one (odd count) or two (even count) middle values of an array, in days."""
    n = len(seconds)
    if not n:
        return None
    ranks = sorted({(n - 1) // 2, n // 2})
    picked = np.partition(seconds, ranks)
    return [int(picked[rank]) / SECONDS_PER_DAY for rank in ranks]


def _medians(
    session: Session, key: Any, conditions: list[ColumnElement[bool]]
) -> tuple[dict[Any, list[float] | None], list[float] | None]:
    """Middle resolution values per key and overall, exact, from the packed per-day cells.

    Each cell holds the sorted resolution seconds of one closed day, category, school and help
    desk; joining the cells of the window per key and partitioning around the middle rank reads
    a few thousand rows, not every ticket closed in the window.
    """
    v = TicketClosedValues
    query = _from_tickets(key.label("key"), v.seconds, on=v).where(*conditions)
    parts: dict[Any, list[bytes]] = {}
    for group, packed in session.connection().execute(query):
        parts.setdefault(group, []).append(packed)
    arrays = {group: np.frombuffer(b"".join(blobs), dtype="<u4") for group, blobs in parts.items()}
    overall = np.concatenate(list(arrays.values())) if arrays else np.array([], dtype="<u4")
    return {group: _middle(values) for group, values in arrays.items()}, _middle(overall)


def _sources(
    session: Session, query: Select[Any], total: int, shown: Sequence[int | None], notes: list[str]
) -> tuple[list[str], list[str]]:
    """Every ticket counted, up to SOURCE_CAP; past it, those shown then the first in ``query``
    order (one column of source record ids, read off an index), with a note giving the total."""
    ids = [i for i in dict.fromkeys(shown) if i is not None]
    ids += session.scalars(query.limit(SOURCE_CAP))
    ids = list(dict.fromkeys(ids))[:SOURCE_CAP]
    notes += sample_note(len(ids), total, "tickets counted")
    return sources_of(session, ids)


def _ref_map(session: Session, ids: Sequence[int | None]) -> dict[int, str]:
    """'file:row' of each source record id (for the few rows shown)."""
    wanted = [i for i in ids if i is not None]
    query = select(SourceRecord.id, SourceRecord.file, SourceRecord.row)
    found = session.execute(query.where(SourceRecord.id.in_(wanted)))
    return {record_id: f"{file}:{row}" for record_id, file, row in found}


# --- open_tickets ------------------------------------------------------------------------------


class OpenTicketsArgs(TicketFilters):
    """How to group the open backlog, and which tickets to look at."""

    group_by: Literal["school", "category", "assignee", "system"] = Field(
        default="school",
        description="Group the open tickets by school, category, assignee or help desk.",
    )
    assignee: str | None = Field(default=None, description="Only tickets assigned to this person.")
    older_than_days: int | None = Field(
        default=None, ge=0, description="Only tickets open more than this many days."
    )
    as_of: dt.date = Field(description="Today, for ticket ages (YYYY-MM-DD).")


class OpenGroup(BaseModel):
    """Open tickets of one group."""

    group: str
    open_count: int
    oldest_age_days: int | None
    median_age_days: float | None


class OpenTicketRow(BaseModel):
    """One of the oldest open tickets."""

    system: str
    id: str
    opened: dt.datetime
    age_days: int
    school: str | None
    category: str | None
    subject: str | None
    assignee: str | None
    source: str | None = None


class OpenTicketsResult(ToolResult):
    """Open tickets per group, the overall totals, and the oldest open tickets."""

    group_by: str
    as_of: dt.date
    groups: list[OpenGroup]
    total: OpenGroup
    rows: list[OpenTicketRow]


def open_tickets(session: Session, args: OpenTicketsArgs) -> OpenTicketsResult:
    """Open tickets (tickets.is_open) per group: count, oldest and median age in whole days.

    Age = as_of minus the day the ticket was opened. Tickets opened after as_of are left out;
    tickets with no opened date are counted but have no age (with ``older_than_days`` they cannot
    qualify). Both are noted. Counts and medians come from open tickets counted per opened day.
    """
    notes: list[str] = []
    keys = {"school": Location.name, "category": Ticket.category,
            "assignee": Ticket.assignee, "system": Ticket.system}  # fmt: skip
    conditions = [Ticket.is_open.is_(true()), *_filters(session, args, notes, args.assignee)]
    next_day = _moment(args.as_of + ONE_DAY)
    _note_unaged(session, conditions, next_day, args.older_than_days is not None, notes)
    if args.older_than_days is None:
        conditions.append(or_(Ticket.opened_at < next_day, Ticket.opened_at.is_(None)))
    else:
        cutoff = _moment(args.as_of - dt.timedelta(days=args.older_than_days))
        conditions.append(Ticket.opened_at < cutoff)
    # One row per group and opened day: counts, oldest and medians of whole-day ages follow
    # exactly from these (the middle tickets' day is all an age needs), with no sort of tickets.
    per_day = (
        _from_tickets(keys[args.group_by].label("key"), func.date(Ticket.opened_at).label("day"))
        .where(*conditions)
        .subquery()
    )
    by_key: dict[Any, list[tuple[dt.date | None, int]]] = {}
    for key, day, n in session.execute(
        select(per_day.c.key, per_day.c.day, func.count()).group_by(per_day.c.key, per_day.c.day)
    ):
        by_key.setdefault(key, []).append((None if day is None else _as_day(day), n))
    empty = NO_VALUE.get(args.group_by, "(none)")
    groups = [
        _open_group(empty if key is None else str(key), days, args.as_of)
        for key, days in by_key.items()
    ]
    groups.sort(key=lambda g: (-g.open_count, g.group.lower()))
    total = _open_group("Total", [pair for days in by_key.values() for pair in days], args.as_of)
    oldest_rows = _oldest_open(session, conditions)
    shown_ids = [t.source_record_id for t, _ in oldest_rows]
    first = select(Ticket.source_record_id).where(*conditions).order_by(Ticket.opened_at)
    refs, systems = _sources(session, first, total.open_count, shown_ids, notes)
    ref_by_id = _ref_map(session, shown_ids)
    rows = [
        _open_row(t, school, args.as_of, ref_by_id.get(t.source_record_id or -1))
        for t, school in oldest_rows
    ]
    return OpenTicketsResult(
        group_by=args.group_by, as_of=args.as_of, groups=groups, total=total, rows=rows,
        count=total.open_count, sources=refs, systems=systems, notes=notes,
    )  # fmt: skip


def _note_unaged(
    session: Session,
    conditions: list[ColumnElement[bool]],
    next_day: dt.datetime,
    aged_only: bool,
    notes: list[str],
) -> None:
    """Say how many open tickets were opened after as_of, or have no opened date."""
    later = func.sum(case((Ticket.opened_at >= next_day, 1), else_=0))
    undated = func.sum(case((Ticket.opened_at.is_(None), 1), else_=0))
    n_later, n_undated = session.execute(select(later, undated).where(*conditions)).one()
    if n_later:
        notes.append(
            f"{_n(n_later, 'open ticket')} {_was(n_later)} opened after the as-of date and {_be(n_later)} left out."
        )
    if n_undated and aged_only:
        notes.append(
            f"{_n(n_undated, 'open ticket')} {_has(n_undated)} no opened date, so no age; not counted."
        )
    elif n_undated:
        notes.append(
            f"{_n(n_undated, 'open ticket')} {_has(n_undated)} no opened date: counted, with no age."
        )


def _age(opened: dt.datetime, as_of: dt.date) -> int:
    return (as_of - opened.date()).days


def _open_group(group: str, days: list[tuple[dt.date | None, int]], as_of: dt.date) -> OpenGroup:
    """Count, oldest and median age of one group from its open tickets per opened day."""
    dated = sorted((day, n) for day, n in days if day is not None)
    aged = sum(n for _, n in dated)
    ages, seen = [], 0
    wanted = sorted({(aged + 1) // 2, (aged + 2) // 2}) if aged else []
    for day, n in dated:
        seen += n
        while wanted and wanted[0] <= seen:
            ages.append((as_of - day).days)
            wanted.pop(0)
    return OpenGroup(
        group=group, open_count=sum(n for _, n in days),
        oldest_age_days=(as_of - dated[0][0]).days if dated else None,
        median_age_days=_round(mean(ages)) if ages else None,
    )  # fmt: skip


def _oldest_open(
    session: Session, conditions: list[ColumnElement[bool]]
) -> list[tuple[Ticket, str | None]]:
    query = (
        _from_tickets(Ticket, Location.name)
        .where(*conditions, Ticket.opened_at.is_not(None))
        .order_by(Ticket.opened_at, Ticket.system, Ticket.external_id)
        .limit(OLDEST_SHOWN)
    )
    return [(t, school) for t, school in session.execute(query)]


def _open_row(
    ticket: Ticket, school: str | None, as_of: dt.date, source: str | None
) -> OpenTicketRow:
    opened = ticket.opened_at or _moment(as_of)
    return OpenTicketRow(
        system=ticket.system, id=ticket.external_id, opened=opened, age_days=_age(opened, as_of),
        school=school, category=ticket.category, subject=ticket.subject,
        assignee=ticket.assignee, source=source,
    )  # fmt: skip


# --- resolution_time ---------------------------------------------------------------------------


class ResolutionTimeArgs(TicketFilters):
    """The period (tickets closed in it) and how to group them."""

    start: dt.date = Field(description="First day of the period; tickets closed from then.")
    end: dt.date = Field(description="Last day of the period (inclusive).")
    group_by: Literal["category", "school", "system", "month"] | None = Field(
        default="category", description="Group by category, school, help desk or calendar month."
    )
    compare_periods: bool = Field(
        default=False,
        description="Compare calendar months (this month vs last month...): one row per month.",
    )


class ResolutionRow(BaseModel):
    """Resolution time of one group."""

    group: str
    closed_count: int
    average_hours: float | None
    median_hours: float | None
    average_days: float | None
    median_days: float | None
    change_vs_previous_hours: float | None = None


class ResolutionTimeResult(ToolResult):
    """Average and median time from opened to closed, per group and overall."""

    start: dt.date
    end: dt.date
    group_by: str | None
    rows: list[ResolutionRow]
    total: ResolutionRow


def resolution_time(session: Session, args: ResolutionTimeArgs) -> ResolutionTimeResult:
    """Hours from opened to closed, averaged (and median) over tickets closed in [start, end].

    A ticket counts when its closed date falls in the period and it is closed now. Tickets
    reopened since, closed with no opened date or closed before they were opened are left out
    and noted. ``compare_periods`` (or ``group_by="month"``) gives one row per calendar month,
    months with no closed tickets included, each with its change from the month before.
    """
    notes: list[str] = []
    group_by = "month" if args.compare_periods else args.group_by
    per_school = bool(args.school) or group_by == "school"
    day_filters = [*_filters(session, args, notes, on=TicketClosedDay),
                   _grain(TicketClosedDay, per_school)]  # fmt: skip
    filters = _filters(session, args, [])
    days = [TicketClosedDay.day >= args.start, TicketClosedDay.day <= args.end]
    _note_unresolved(session, day_filters, days, notes)
    months = _months(args.start, args.end)
    # Counts and sums from the closed-day summary; grouping by its subquery's column keeps
    # bound parameters out of GROUP BY (PostgreSQL needs that).
    per_day = (
        _from_tickets(_resolution_key(group_by, months, TicketClosedDay.day).label("key"),
                      TicketClosedDay.timed.label("n"), TicketClosedDay.timed_seconds.label("s"),
                      on=TicketClosedDay)
        .where(*day_filters, *days, TicketClosedDay.timed > 0)
        .subquery()
    )  # fmt: skip
    grouped = session.execute(
        select(per_day.c.key, func.sum(per_day.c.n), func.sum(per_day.c.s)).group_by(per_day.c.key)
    ).all()
    window = [
        Ticket.closed_at >= _moment(args.start),
        Ticket.closed_at < _moment(args.end + ONE_DAY),
    ]
    in_cells = [TicketClosedValues.day >= args.start, TicketClosedValues.day <= args.end]
    middles, overall = _medians(
        session, _resolution_key(group_by, months, TicketClosedValues.day),
        [*_filters(session, args, [], on=TicketClosedValues), *in_cells,
         _grain(TicketClosedValues, per_school)],
    ) if grouped else ({}, None)  # fmt: skip
    found = {
        key: _resolution_row(key, n, seconds / n / SECONDS_PER_DAY, middles.get(key))
        for key, n, seconds in grouped
    }
    if group_by == "month":
        rows = _month_rows(found, months, args.start, args.end, notes)
    else:
        empty = NO_VALUE.get(group_by or "", "(none)")
        rows = [row.model_copy(update={"group": row.group or empty}) for row in found.values()]
        rows.sort(key=lambda r: (-r.closed_count, r.group.lower()))
    n = sum(count for _, count, _ in grouped)
    seconds = sum(total for _, _, total in grouped)
    average = seconds / n / SECONDS_PER_DAY if n else None
    total = _resolution_row("Total", n, average, overall)
    first = (
        select(Ticket.source_record_id)
        .where(*filters, *window, Ticket.resolution_seconds.is_not(None))
        .order_by(Ticket.closed_at)
    )
    refs, systems = _sources(session, first, total.closed_count, [], notes)
    return ResolutionTimeResult(
        start=args.start, end=args.end, group_by=group_by, rows=rows, total=total,
        count=total.closed_count, sources=refs, systems=systems, notes=notes,
    )  # fmt: skip


def _resolution_key(
    group_by: str | None, months: list[tuple[str, dt.date, dt.date]], closed: Any
) -> Any:
    """The grouping column, on tickets or the closed-day summary (``closed`` is its closed_at
    or day column); a month is the index of the first month boundary after closing."""
    on = closed.class_
    match group_by:
        case "category":
            return on.category
        case "school":
            return Location.name
        case "system":
            return on.system
        case "month" if months:
            day = closed.type.python_type is dt.date
            return case(
                *[(closed < (after if day else _moment(after)), i)
                  for i, (*_, after) in enumerate(months)]
            )  # fmt: skip
        case _:
            return literal("All tickets")


def _note_unresolved(
    session: Session,
    filters: list[ColumnElement[bool]],
    window: list[ColumnElement[bool]],
    notes: list[str],
) -> None:
    """Say which closed tickets cannot be timed: reopened, no opened date, closed before opened.

    Counted from the closed-day summary: ``filters`` and ``window`` are on ``ticket_closed_days``.
    """
    summed = (func.coalesce(func.sum(c), 0) for c in (TicketClosedDay.reopened,
              TicketClosedDay.closed_undated, TicketClosedDay.backwards))  # fmt: skip
    reopened, undated, backwards = session.execute(select(*summed).where(*filters, *window)).one()
    unplaced = session.scalar(
        select(func.coalesce(func.sum(TicketClosedDay.unplaced), 0)).where(
            *filters, TicketClosedDay.day.is_(None)
        )
    )
    texts = (
        (reopened, "closed in the period {be} open again; left out"),
        (undated, "closed in the period {has} no opened date; left out"),
        (backwards, "closed in the period {be} dated closed before opened; left out"),
        (unplaced, "marked closed {has} no closed date, so {be} in no period"),
    )
    for n, text in texts:
        if n:
            notes.append(f"{_n(n, 'ticket')} {text.format(be=_be(n), has=_has(n))}.")


def _months(start: dt.date, end: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """(label, first day, first day of the next month) of each calendar month the window touches."""
    months = []
    first = start.replace(day=1)
    while first <= end:
        after = (first + dt.timedelta(days=32)).replace(day=1)
        months.append((f"{_MONTHS[first.month - 1]} {first.year}", first, after))
        first = after
    return months


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _resolution_row(key: Any, n: int, average: Any, middle: list[Any] | None) -> ResolutionRow:
    """Hours and days from a mean and the middle value(s) in days (floats, or Decimals on PG)."""
    average = None if average is None else float(average)
    median = float(mean(middle)) if middle else None
    return ResolutionRow(
        group="" if key is None else str(key), closed_count=n,
        average_hours=_round(average * 24) if average is not None else None,
        median_hours=_round(median * 24) if median is not None else None,
        average_days=_round(average), median_days=_round(median),
    )  # fmt: skip


def _month_rows(
    found: dict[Any, ResolutionRow],
    months: list[tuple[str, dt.date, dt.date]],
    start: dt.date,
    end: dt.date,
    notes: list[str],
) -> list[ResolutionRow]:
    """One row per calendar month, in order, with the change in average hours from the last."""
    rows: list[ResolutionRow] = []
    for i, (label, first, after) in enumerate(months):
        row = found.get(i) or _resolution_row(label, 0, None, None)
        previous = rows[-1].average_hours if rows else None
        change = None
        if previous is not None and row.average_hours is not None:
            change = round(row.average_hours - previous, 1)
        rows.append(row.model_copy(update={"group": label, "change_vs_previous_hours": change}))
        covered = (max(first, start), min(after - ONE_DAY, end))
        if covered != (first, after - ONE_DAY):
            notes.append(f"{label} counts only {format_range(*covered)}.")
    return rows


# --- ticket_volume_trend -----------------------------------------------------------------------


class TicketVolumeTrendArgs(TicketFilters):
    """The window of opened dates to count per week."""

    start: dt.date = Field(description="First day tickets were opened (YYYY-MM-DD).")
    end: dt.date = Field(description="Last day tickets were opened (inclusive).")


class WeekRow(BaseModel):
    """Tickets opened in one Monday-Sunday week."""

    week_start: dt.date
    week_end: dt.date
    tickets: int
    days_in_window: int


class TicketVolumeTrendResult(ToolResult):
    """Tickets opened per week, with the weekly average and the last full week's change."""

    start: dt.date
    end: dt.date
    rows: list[WeekRow]
    total_tickets: int
    average_per_week: float | None = Field(description="Mean over the full weeks in the window.")
    last_week_start: dt.date | None = Field(description="Monday of the last full week.")
    last_week: int | None
    previous_week: int | None
    change_vs_previous_week: int | None
    change_percent: float | None


def ticket_volume_trend(session: Session, args: TicketVolumeTrendArgs) -> TicketVolumeTrendResult:
    """Tickets opened per Monday week in [start, end], counted in SQL; weeks with none show 0.

    Weeks cut by the window (days_in_window < 7) are shown and noted, but the average and the
    change (last full week vs the full week before) use full weeks only, so a window ending on
    a Monday does not read as a collapse. Tickets with no opened date are in no week (noted).
    """
    notes: list[str] = []
    filters = [*_filters(session, args, notes, on=TicketOpenedDay),
               _grain(TicketOpenedDay, bool(args.school))]  # fmt: skip
    undated = session.scalar(
        select(func.coalesce(func.sum(TicketOpenedDay.tickets), 0)).where(
            *filters, TicketOpenedDay.day.is_(None)
        )
    )
    if undated:
        notes.append(
            f"{_n(undated, 'ticket')} {_has(undated)} no opened date and {_be(undated)} in no week."
        )
    per_day = session.execute(
        select(TicketOpenedDay.day, func.sum(TicketOpenedDay.tickets))
        .where(*filters, TicketOpenedDay.day >= args.start, TicketOpenedDay.day <= args.end)
        .group_by(TicketOpenedDay.day)
    ).all()
    counts: dict[dt.date, int] = {}
    for day, n in per_day:
        monday = _as_day(day) - dt.timedelta(days=_as_day(day).weekday())
        counts[monday] = counts.get(monday, 0) + n
    rows = _week_rows(args.start, args.end, counts)
    notes += [
        f"The week of {r.week_start} is partial ({r.days_in_window} of 7 days); the average "
        "and the weekly change use full weeks only."
        for r in rows
        if r.days_in_window < 7
    ]
    full = [r for r in rows if r.days_in_window == 7]
    last = full[-1] if full else None
    previous = full[-2].tickets if len(full) > 1 else None
    total = sum(r.tickets for r in rows)
    change = last.tickets - previous if last is not None and previous is not None else None
    first = (
        select(Ticket.source_record_id)
        .where(*_filters(session, args, []), Ticket.opened_at >= _moment(args.start),
               Ticket.opened_at < _moment(args.end + ONE_DAY))
        .order_by(Ticket.opened_at)
    )  # fmt: skip
    refs, systems = _sources(session, first, total, [], notes)
    return TicketVolumeTrendResult(
        start=args.start, end=args.end, rows=rows, total_tickets=total,
        average_per_week=round(sum(r.tickets for r in full) / len(full), 1) if full else None,
        last_week_start=last.week_start if last else None, last_week=last.tickets if last else None,
        previous_week=previous, change_vs_previous_week=change,
        change_percent=round(100 * change / previous, 1) if change is not None and previous else None,
        count=total, sources=refs, systems=systems, notes=notes,
    )  # fmt: skip


def _as_day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _week_rows(start: dt.date, end: dt.date, counts: dict[dt.date, int]) -> list[WeekRow]:
    rows = []
    monday = start - dt.timedelta(days=start.weekday())
    while monday <= end:
        sunday = monday + dt.timedelta(days=6)
        days = (min(sunday, end) - max(monday, start)).days + 1
        rows.append(WeekRow(week_start=monday, week_end=sunday, tickets=counts.get(monday, 0),
                            days_in_window=days))  # fmt: skip
        monday += dt.timedelta(days=7)
    return rows


TOOLS = (
    ToolSpec(
        name="open_tickets",
        measures=("count", "age", "list"),
        reads=(("category", "ticket_category"),),
        func=open_tickets,
        args_model=OpenTicketsArgs,
        description=(
            "The open help desk ticket backlog, grouped by school, category, assignee or help "
            "desk: open count, oldest and median age in days per group, a total line, and the "
            "10 oldest open tickets. Optionally only tickets older than N days."
        ),
        examples=(
            "how many tickets are open right now?",
            "which schools have the biggest ticket backlog?",
            "what are the oldest open tickets?",
            "how many tickets have been waiting more than 30 days?",
            "show the open ticket queue by technician",
            "how many unresolved cracked screen tickets are there at Lincoln?",
            "what is each tech's open workload?",
            "open help desk requests by category",
            "which tickets have been sitting unanswered the longest?",
            "how many Zendesk tickets are still not closed?",
        ),
        domain="tickets",
        keywords=("open", "backlog", "oldest", "waiting", "unresolved", "queue"),
        default_window=None,
    ),
    ToolSpec(
        name="resolution_time",
        measures=("age",),
        reads=(("category", "ticket_category"),),
        func=resolution_time,
        args_model=ResolutionTimeArgs,
        description=(
            "How long tickets take to resolve: average and median hours and days from opened to "
            "closed for tickets closed in a period, per category, school, help desk or calendar "
            "month, with counts; month by month comparisons show the change from the month before."
        ),
        examples=(
            "what's our average resolution time this quarter?",
            "how long does it take to fix a cracked screen?",
            "how long do tickets take to close at each school?",
            "what was our turnaround this month vs last month vs the month before?",
            "how fast did we resolve tickets last month, by category?",
            "median days to close a help desk request",
            "are we closing tickets faster than last month?",
            "how many hours on average until a ticket is solved?",
            "time to resolution by help desk system this school year",
        ),
        domain="tickets",
        keywords=("resolution", "how long", "resolve", "close", "turnaround", "time to fix"),
        default_window="the past 90 days",
    ),
    ToolSpec(
        name="ticket_volume_trend",
        measures=("count", "rate"),
        reads=(("category", "ticket_category"),),
        func=ticket_volume_trend,
        args_model=TicketVolumeTrendArgs,
        description=(
            "Ticket volume trend: how many help desk tickets were opened each week (Monday "
            "weeks) in a window, with the weekly average and the change from the previous week; "
            "optionally for one school, category or help desk."
        ),
        examples=(
            "how many tickets came in per week this semester?",
            "is ticket volume going up?",
            "weekly ticket trend for the past 12 weeks",
            "how many Zendesk tickets did we get each week last month?",
            "show the trend of liquid damage tickets at the high school",
            "did we get more help desk requests after winter break?",
            "new tickets opened each week since August",
            "is the number of incoming requests going down?",
            "week by week count of tickets submitted at Lincoln",
        ),
        domain="tickets",
        keywords=(
            "trend",
            "volume",
            "per week",
            "weekly",
            "each week",
            "tickets came in",
            "going up",
            "going down",
            "rising",
            "increasing",
            "decreasing",
        ),
        default_window="the past 12 weeks",
    ),
)
