"""Per-device figures kept current by ingest, so questions over a million tickets stay fast.

The replacement date follows the policy in ``replacement_policies`` (synced from settings):
purchase date plus the category's cycle; for a Chromebook with an AUE date, the earlier of the
two (a tie counts as "cycle"); none when neither is known. Ticket rollups are counts and sums of
the tickets linked to each device. Both are recomputed in SQL at the end of a load and when the
policy changes; nothing here is read by ingest itself.

The summary tables are rebuilt from the facts in the same transaction as the file that changed
them, so a reader never sees them disagree with the facts: ``device_summary`` and
``repair_summary`` with the ticket rollups (end of every device or ticket file), the opened- and
closed-day ticket counts for the help desk of a ticket file (``write_tickets``). Rebuilding costs
a few seconds per file on a million tickets (docs/benchmarks.md); tools then read thousands of
summary rows instead of a million tickets.
"""

from __future__ import annotations

import datetime as dt
import sys
from array import array
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Date,
    Integer,
    and_,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from ingest.db import bulk_insert
from ingest.schema import (
    Base,
    Device,
    DeviceSummary,
    RepairSummary,
    ReplacementPolicyRow,
    Ticket,
    TicketClosedDay,
    TicketClosedValues,
    TicketOpenedDay,
)
from ingest.sqlfuncs import add_years, days_between

_DAY = itemgetter("day")

if TYPE_CHECKING:
    from ingest.timed_tickets import TimedTickets


def refresh_replacement_dates(session: Session) -> None:
    """Recompute every device's replacement date and reason from the policy table."""
    cycle_years = (
        select(ReplacementPolicyRow.cycle_years)
        .where(func.lower(ReplacementPolicyRow.category) == func.lower(Device.category))
        .scalar_subquery()
    )
    cycle = add_years(Device.purchase_date, cycle_years)
    aue = case((func.lower(Device.category) == "chromebook", Device.aue_date))
    aue_first = and_(aue.is_not(None), or_(cycle.is_(None), aue < cycle))
    has_policy = cycle_years.is_not(None)
    session.execute(
        update(Device)
        .values(
            replacement_date=case((~has_policy, None), (aue_first, aue), else_=cycle),
            replacement_reason=case(
                (~has_policy, None), (aue_first, "AUE"), (cycle.is_not(None), "cycle"), else_=None
            ),
        )
        .execution_options(synchronize_session=False)
    )


def refresh_ticket_rollups(session: Session) -> None:
    """Recompute each device's ticket count, repair count, parts and labour from its tickets."""
    totals = (
        select(
            Ticket.device_id.label("device_id"),
            func.count().label("tickets"),
            func.sum(case((Ticket.is_repair.is_(True), 1), else_=0)).label("repairs"),
            func.coalesce(func.sum(Ticket.parts_cost), 0).label("parts"),
            func.coalesce(func.sum(Ticket.labor_minutes), 0).label("minutes"),
        )
        .where(Ticket.device_id.is_not(None))
        .group_by(Ticket.device_id)
        .subquery()
    )
    session.execute(
        update(Device)
        .where(Device.ticket_count != 0)
        .values(ticket_count=0, repair_count=0, parts_total=0, labor_minutes_total=0)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(Device)
        .where(Device.id == totals.c.device_id)
        .values(
            ticket_count=totals.c.tickets,
            repair_count=totals.c.repairs,
            parts_total=totals.c.parts,
            labor_minutes_total=totals.c.minutes,
        )
        .execution_options(synchronize_session=False)
    )
    refresh_device_summaries(session)


# --- Summaries the tools read instead of scanning every device or ticket -----------------------

EPOCH = dt.date(1970, 1, 1)


def resolution_seconds(
    opened: dt.datetime | None, closed: dt.datetime | None, is_open: bool
) -> int | None:
    """Seconds from opened to closed for a closed ticket with both dates in order, else None.

    Ingest stores this on each ticket (``tickets.resolution_seconds``) as it writes it.
    """
    if is_open or opened is None or closed is None or closed < opened:
        return None
    return round((closed - opened).total_seconds())


def refresh_resolution_seconds(session: Session) -> None:
    """Recompute ``tickets.resolution_seconds`` in SQL (the migration that adds it runs this)."""
    timed = and_(
        Ticket.is_open.is_(False),
        Ticket.opened_at.is_not(None),
        Ticket.closed_at.is_not(None),
        Ticket.closed_at >= Ticket.opened_at,
    )
    seconds = case(
        (timed, cast(func.round(days_between(Ticket.closed_at, Ticket.opened_at) * 86400), Integer))
    )
    session.execute(
        update(Ticket)
        .where(Ticket.resolution_seconds.is_distinct_from(seconds))
        .values(resolution_seconds=seconds)
        .execution_options(synchronize_session=False)
    )


def refresh_device_summaries(session: Session) -> None:
    """Rebuild the device and repair summaries (after the per-device rollups): ~2 s on 1M tickets."""
    refresh_device_summary(session)
    refresh_repair_summary(session)
    refresh_statistics(session, ("devices", "people", "locations"))


def refresh_statistics(session: Session, tables: tuple[str, ...]) -> None:
    """Let the query planner know the data (ANALYZE, in SQLite and PostgreSQL alike).

    Without statistics SQLite takes an index led by a yes/no column (``is_active``) for
    selective and reads 90,000 devices where an index on dates reads a few hundred; with them it
    picks the right index. Only ticket files analyze ``tickets``, from a sample (~0.1 s).
    """
    sqlite = session.connection().dialect.name == "sqlite"
    for table in tables:
        # A million tickets need no exact statistics, only their shape: sample 20,000 rows.
        big = sqlite and table == "tickets"
        if big:
            session.execute(text("PRAGMA analysis_limit=20000"))
        name = Base.metadata.tables[table].name  # only our own tables, never a caller's text
        session.execute(text(f"ANALYZE {name}"))
        if big:
            session.execute(text("PRAGMA analysis_limit=0"))


def refresh_device_summary(session: Session) -> None:
    """Devices per model, category, maker, school, active flag and status, with their totals."""
    dated = Device.purchase_date.is_not(None)

    def when_dated(column: Any) -> Any:
        return func.coalesce(func.sum(case((dated, column), else_=0)), 0)

    keys = (Device.model, Device.category, Device.manufacturer, Device.location_id,
            Device.is_active, Device.status)  # fmt: skip
    totals = select(
        *keys,
        func.count().label("devices"),
        func.count(Device.purchase_date).label("dated"),
        func.count(Device.purchase_cost).label("costed"),
        func.coalesce(func.sum(days_between(Device.purchase_date, literal(EPOCH, Date))), 0),
        func.max(Device.purchase_date),
        func.coalesce(func.sum(Device.purchase_cost), 0),
        when_dated(Device.purchase_cost),
        func.coalesce(func.sum(Device.repair_count), 0),
        when_dated(Device.repair_count),
        func.coalesce(func.sum(Device.parts_total), 0),
        when_dated(Device.parts_total),
        func.coalesce(func.sum(Device.labor_minutes_total), 0),
        when_dated(Device.labor_minutes_total),
    ).group_by(*keys)
    columns = ["model", "category", "manufacturer", "location_id", "is_active", "status",
               "devices", "dated", "costed", "purchase_days", "latest_purchase", "purchase_total",
               "purchase_total_dated", "repairs", "repairs_dated", "parts_total",
               "parts_total_dated", "labor_minutes", "labor_minutes_dated"]  # fmt: skip
    session.execute(delete(DeviceSummary))
    session.execute(insert(DeviceSummary).from_select(columns, totals))


def refresh_repair_summary(session: Session) -> None:
    """Repair tickets per device model, device category, maker, device school, ticket category.

    Counted per device and ticket category first (the device-repairs index, in order), then
    per model: one join per device, not one per ticket.
    """
    per_device = (
        select(Ticket.device_id, Ticket.category, func.count().label("n"))
        .where(Ticket.device_id.is_not(None), Ticket.is_repair.is_(True))
        .group_by(Ticket.device_id, Ticket.category)
        .subquery()
    )
    keys = (Device.model, Device.category, Device.manufacturer, Device.location_id,
            per_device.c.category)  # fmt: skip
    counts = (
        select(*keys, literal(True), func.sum(per_device.c.n), literal(0))
        .select_from(per_device)
        .join(Device, Device.id == per_device.c.device_id)
        .group_by(*keys)
    )
    costed = or_(Ticket.parts_cost > 0, Ticket.labor_minutes > 0)
    unlinked = (
        select(Ticket.category, literal(False),
               func.sum(case((Ticket.is_repair.is_(True), 1), else_=0)),
               func.sum(case((costed, 1), else_=0)))
        .where(Ticket.device_id.is_(None))
        .group_by(Ticket.category)
    )  # fmt: skip
    columns = ["model", "device_category", "manufacturer", "location_id", "category", "linked",
               "repairs", "costed"]  # fmt: skip
    session.execute(delete(RepairSummary))
    session.execute(insert(RepairSummary).from_select(columns, counts))
    session.execute(insert(RepairSummary).from_select(columns[4:], unlinked))


def refresh_ticket_days(
    session: Session, system: str | None = None, timed: TimedTickets | None = None
) -> None:
    """Tickets per opened day and per closed day (category, school, help desk); one help desk's
    rows only when ``system`` is given (a ticket file changes only its own help desk's tickets).

    ``timed`` holds the resolution seconds gathered as a help desk's first file was written
    (``ingest/timed_tickets.py``): they are packed as they are instead of read back.
    """
    _count_ticket_days(session, system)
    if timed is not None:
        write_ticket_values(session, system, timed.cells)
    else:
        refresh_ticket_values(session, system)
    refresh_statistics(session, ("tickets", "ticket_opened_days", "ticket_closed_days",
                                 "ticket_closed_values"))  # fmt: skip


def _count_ticket_days(session: Session, system: str | None) -> None:
    closed = Ticket.is_open.is_(False)
    scope = [] if system is None else [Ticket.system == system]

    def count(*conditions: Any) -> Any:
        return func.sum(case((and_(*conditions), 1), else_=0))

    keys = (Ticket.category, Ticket.location_id, Ticket.system)
    opened_day = func.date(Ticket.opened_at)
    has_parts, has_labour = Ticket.parts_cost > 0, Ticket.labor_minutes > 0
    opened = (
        select(
            opened_day, *keys, func.count(), count(or_(has_parts, has_labour)), count(has_parts),
            count(has_labour), func.coalesce(func.sum(case((has_parts, Ticket.parts_cost))), 0),
            func.coalesce(func.sum(case((has_labour, Ticket.labor_minutes))), 0),
        )
        .where(*scope)
        .group_by(opened_day, *keys)
    )  # fmt: skip
    closed_day = func.date(Ticket.closed_at)
    ended = (
        select(
            closed_day, *keys, func.count(Ticket.resolution_seconds),
            func.coalesce(func.sum(Ticket.resolution_seconds), 0),
            count(Ticket.closed_at.is_not(None), Ticket.is_open.is_(True)),
            count(Ticket.closed_at.is_not(None), closed, Ticket.opened_at.is_(None)),
            count(closed, Ticket.closed_at < Ticket.opened_at),
            count(closed, Ticket.closed_at.is_(None)),
        )
        .where(or_(Ticket.closed_at.is_not(None), closed), *scope)
        .group_by(closed_day, *keys)
    )  # fmt: skip
    base = ["day", "category", "location_id", "system"]
    closed_columns = ["timed", "timed_seconds", "reopened", "closed_undated", "backwards",
                      "unplaced"]  # fmt: skip
    opened_columns = ["tickets", "costed", "parts_tickets", "labour_tickets", "parts",
                      "labour_minutes"]  # fmt: skip
    for model, query, columns in ((TicketOpenedDay, opened, opened_columns),
                                  (TicketClosedDay, ended, closed_columns)):  # fmt: skip
        session.execute(delete(model).where(*([] if system is None else [model.system == system])))
        per_school = query.add_columns(literal(False))
        session.execute(insert(model).from_select([*base, *columns, "all_schools"], per_school))
        # Summed over the schools, from the rows just written (ten times fewer to read).
        fine = select(model).where(model.all_schools.is_(False), *_desk(model, system)).subquery()
        keys = (fine.c.day, fine.c.category, fine.c.system)
        summed = select(*keys, *(func.sum(fine.c[c]) for c in columns), literal(True))
        summed = summed.group_by(*keys).order_by(fine.c.day)
        session.execute(insert(model).from_select(
            ["day", "category", "system", *columns, "all_schools"], summed
        ))  # fmt: skip


def _desk(model: Any, system: str | None) -> list[Any]:
    return [] if system is None else [model.system == system]


def refresh_ticket_values(session: Session, system: str | None = None) -> None:
    """The sorted resolution seconds of the timed tickets per closed day, category, school and
    help desk (one help desk's cells when ``system`` is given), packed for exact medians; and
    the same per day, category and help desk over every school (``all_schools``).

    Read through the driver, not ORM rows: ~0.4 million tickets per help desk file.
    """
    scope = [] if system is None else [Ticket.system == system]
    query = select(
        func.date(Ticket.closed_at), Ticket.category, Ticket.location_id, Ticket.system,
        Ticket.resolution_seconds,
    ).where(Ticket.resolution_seconds.is_not(None), *scope)  # fmt: skip
    connection = session.connection()
    sql = query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
    cursor = connection.connection.cursor()  # the driver's own: no per-row SQLAlchemy work
    try:
        cursor.execute(str(sql))
        found = cursor.fetchall()
    finally:
        cursor.close()
    cells: dict[tuple[Any, ...], list[int]] = {}
    for day, category, location_id, desk, seconds in found:
        cells.setdefault((day, category, location_id, desk), []).append(seconds)
    write_ticket_values(session, system, cells)


def write_ticket_values(
    session: Session, system: str | None, cells: dict[tuple[Any, ...], list[int]]
) -> None:
    """Replace the closed-value rows (of one help desk when ``system`` is given) with ``cells``:
    resolution seconds by (closed day, category, school, help desk), and their sums over schools.
    """
    summed: dict[tuple[Any, ...], list[int]] = {}
    for (day, category, _, desk), values in cells.items():
        summed.setdefault((day, category, None, desk), []).extend(values)
    rows = []
    for all_schools, found in ((False, cells), (True, summed)):
        part = [
            {"all_schools": all_schools,
             "day": day if isinstance(day, dt.date) else dt.date.fromisoformat(day),
             "category": category, "location_id": location_id, "system": desk,
             "tickets": len(values), "seconds": _packed(values)}
            for (day, category, location_id, desk), values in found.items()
        ]  # fmt: skip
        part.sort(key=_DAY)  # in day order, so a window's cells sit together on disk
        rows += part
    session.execute(delete(TicketClosedValues).where(*_desk(TicketClosedValues, system)))
    bulk_insert(session, TicketClosedValues.__table__, rows)


def _packed(values: list[int]) -> bytes:
    """Sorted, as little-endian unsigned 32-bit integers (what numpy reads as ``<u4``).

    The standard array, not numpy: most cells hold a handful of values, where numpy's per-call
    cost would dominate.
    """
    packed = array("I", sorted(values))
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()
