"""Replacement: which devices come due when, and what replacing them costs by fiscal year.

The replacement date is kept on each device by ingest (ingest/rollups.py): purchase date plus
the category's cycle, or for a Chromebook the earlier of that and its Auto Update Expiration.
Devices already past their date are overdue, reported apart; devices with no date are counted,
never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import Integer, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement

from ingest.schema import Device, DeviceSummary, Location
from ingest.schema import ReplacementPolicyRow as Policy
from tools.assets import NONE_LABEL, SOURCE_CAP, cap_note, device_filters, device_refs
from tools.base import (
    ToolResult,
    ToolSpec,
    district_setting,
    replacement_policies,
)
from tools.cues import Cue
from tools.dates import FiscalCalendar


def replacement_date() -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """The replacement date and its reason ("cycle" or "AUE"), kept on each device by ingest.

    purchase_date + cycle_years; for a Chromebook with an AUE date, the earlier of the two (a tie
    is reported as "cycle"). NULL when neither is known (ingest/rollups.py keeps it current).
    """
    return Device.replacement_date, Device.replacement_reason


def _policy_join() -> ColumnElement[bool]:
    return Policy.category == Device.category


@dataclass(frozen=True)
class _Bucketed:
    """Active devices of one bucket, category and school, with their category's policy."""

    bucket: str
    category: str
    cycle_years: int
    unit_cost: Decimal
    school: str | None
    n: int
    cost: Decimal


def _policy_map(session: Session) -> dict[str, Any]:
    """Policy rows by every spelling a device category may have ("Chromebook", "chromebook")."""
    found: dict[str, Any] = {}
    for category, policy in replacement_policies(session).items():
        for spelling in {category, category.title(), category.lower()}:
            found[spelling] = policy
    return found


def _summary(
    session: Session,
    conds: list[ColumnElement[bool]],
    buckets: list[tuple[str, Any]],
    by_school: bool = False,
) -> list[_Bucketed]:
    """Count and cost per bucket, category (with its policy) and school: a small result.

    ``buckets`` are (label, condition on the replacement date) tried in order; a NULL date is
    "no_date", a date matching none is "later". The query reads only the covering index of
    (is_active, category, replacement_date, location_id); policies and school names are small
    tables joined here. Grouping by the subquery's columns keeps bound parameters out of GROUP
    BY, which PostgreSQL needs.
    """
    policies = _policy_map(session)
    # Count per category, date and school first: that follows the covering index, no sort.
    keys: tuple[Any, ...] = (Device.category, Device.replacement_date)
    keys += (Device.location_id,) if by_school else (literal(None, Integer).label("location_id"),)
    per_day = (
        select(*keys, func.count().label("n"))
        .where(Device.is_active.is_(True), Device.category.in_(list(policies)), *conds)
        .group_by(*keys[: 3 if by_school else 2])
        .subquery()
    )
    day = per_day.c.replacement_date
    bucket = case((day.is_(None), "no_date"), *[(test(day), label) for label, test in buckets],
                  else_="later")  # fmt: skip
    inner = select(bucket.label("bucket"), per_day.c.category, per_day.c.location_id,
                   per_day.c.n).subquery()  # fmt: skip
    keys = (inner.c.bucket, inner.c.category, inner.c.location_id)
    grouped = session.execute(select(*keys, func.sum(inner.c.n)).group_by(*keys)).all()
    names = dict(session.execute(select(Location.id, Location.name)).all())
    out = []
    for bucket_name, category, location_id, n in grouped:
        policy = policies[category]
        out.append(_Bucketed(bucket_name, policy.category, policy.cycle_years, policy.unit_cost,
                             names.get(location_id), n, n * policy.unit_cost))  # fmt: skip
    return out


def _overdue_buckets(before: dt.date, as_of: dt.date) -> list[tuple[str, Any]]:
    return [
        ("overdue_past", lambda day: and_(day < before, day <= as_of)),
        ("overdue", lambda day: day < before),
    ]


def _no_policy(session: Session, school: str | None, category: str | None) -> dict[str, int]:
    """Active devices whose category has no replacement policy, per category (summed from the
    device summary)."""
    spellings = list(_policy_map(session))
    conds = device_filters(session, school=school, category=category, on=DeviceSummary)
    query = (
        select(DeviceSummary.category, func.sum(DeviceSummary.devices))
        .where(
            DeviceSummary.is_active.is_(True),
            or_(DeviceSummary.category.is_(None), DeviceSummary.category.not_in(spellings)),
            *conds,
        )
        .group_by(DeviceSummary.category)
    )
    return {category or "uncategorised": n for category, n in session.execute(query)}


def _no_policy_note(counts: dict[str, int]) -> list[str]:
    if not counts:
        return []
    parts = ", ".join(f"{category} {n}" for category, n in sorted(counts.items()))
    total = sum(counts.values())
    return [f"{total} active device(s) are in categories with no replacement policy and are not "
            f"counted ({parts})."]  # fmt: skip


def _no_date_note(n: int) -> list[str]:
    if not n:
        return []
    return [f"{n} active device(s) have no purchase date (and no AUE date), so no replacement "
            "date can be known; they are not counted."]  # fmt: skip


class PolicyUsed(BaseModel):
    """The replacement policy applied to one category."""

    cycle_years: int
    unit_cost: Decimal


def _policies(summary: list[Any], buckets: set[str]) -> dict[str, PolicyUsed]:
    return {
        row.category: PolicyUsed(cycle_years=row.cycle_years, unit_cost=row.unit_cost)
        for row in sorted(summary, key=lambda r: r.category)
        if row.bucket in buckets
    }


class DueArgs(BaseModel):
    """A window of replacement dates, optionally for one category or school."""

    start: dt.date = Field(description="First replacement date to include (YYYY-MM-DD).")
    end: dt.date = Field(description="Last replacement date to include (YYYY-MM-DD).")
    as_of: dt.date = Field(description="Today, for telling what is already past its date.")
    category: str | None = Field(default=None, description="Only this category (Chromebook).")
    school: str | None = Field(default=None, description="Only this school or site.")
    group_by: Literal["school", "category", "model"] | None = Field(
        default=None, description="Count devices due per school, category or model, most first."
    )
    limit: int = Field(default=200, ge=1, le=5000, description="Device rows to show at most.")


class DueGroup(BaseModel):
    """Devices due in the window in one school, category or model."""

    name: str
    count: int
    cost: Decimal


class DueRow(BaseModel):
    """One active device whose replacement date falls in the window."""

    serial: str
    model: str | None
    category: str
    school: str | None
    purchase_date: dt.date | None
    aue_date: dt.date | None
    replacement_date: dt.date
    reason: Literal["cycle", "AUE"]
    sources: list[str] = Field(default_factory=list)


class DueResult(ToolResult):
    """Devices due in the window, totals per category with the policy used, and what is not."""

    rows: list[DueRow]
    by_category: dict[str, int]
    cost_by_category: dict[str, Decimal]
    estimated_cost: Decimal
    policies: dict[str, PolicyUsed]
    overdue: int
    overdue_cost: Decimal
    overdue_by_as_of: int
    no_date: int
    no_policy: int
    start: dt.date
    end: dt.date
    as_of: dt.date
    group_by: str | None = None
    groups: list[DueGroup] = Field(
        default_factory=list, description="Per school, category or model, the most due first."
    )


def devices_due_for_replacement(session: Session, args: DueArgs) -> DueResult:
    """Active devices whose replacement date falls in [start, end]; overdue ones apart.

    Overdue = replacement date before ``start`` (``overdue_by_as_of`` of them on or before
    as_of); no_date = no purchase date and no AUE date. Cost = count x the category's unit cost.
    """
    conds = device_filters(session, school=args.school, category=args.category)
    buckets = [*_overdue_buckets(args.start, args.as_of), ("due", lambda day: day <= args.end)]
    summary = _summary(session, conds, buckets)
    tally = _tally(summary, "category")
    due = tally.get("due", {})
    rows, refs, systems = _due_rows(session, conds, args.start, args.end, args.limit)
    overdue_past, overdue_later = tally.get("overdue_past", {}), tally.get("overdue", {})
    overdue = _add(overdue_past, overdue_later)
    no_date = sum(n for n, _ in tally.get("no_date", {}).values())
    no_policy = _no_policy(session, args.school, args.category)
    count = sum(n for n, _ in due.values())
    notes = cap_note(len(rows), count, "devices due") + _overdue_note(
        overdue, overdue_past, args.start
    ) + _no_date_note(no_date) + _no_policy_note(no_policy)  # fmt: skip
    return DueResult(
        rows=rows, count=count, by_category={k: n for k, (n, _) in due.items()},
        cost_by_category={k: c for k, (_, c) in due.items()},
        estimated_cost=sum((c for _, c in due.values()), Decimal(0)),
        policies=_policies(summary, {"due", "overdue", "overdue_past"}),
        overdue=sum(n for n, _ in overdue.values()),
        overdue_cost=sum((c for _, c in overdue.values()), Decimal(0)),
        overdue_by_as_of=sum(n for n, _ in overdue_past.values()), no_date=no_date,
        no_policy=sum(no_policy.values()), start=args.start, end=args.end, as_of=args.as_of,
        sources=refs, systems=systems, notes=notes, group_by=args.group_by,
        groups=_due_groups(session, conds, args) if args.group_by else [],
    )  # fmt: skip


def _due_groups(
    session: Session, conds: list[ColumnElement[bool]], args: DueArgs
) -> list[DueGroup]:
    """Devices due in the window per school, category or model (cost by each one's category
    policy), the most first: "which school has the most devices due?" reads the first."""
    policies = _policy_map(session)
    key: Any = {"school": Location.name, "model": Device.model}.get(args.group_by or "", None)
    keys = (Device.category,) if key is None else (key, Device.category)
    query = (
        select(*keys, func.count(Device.id))
        .select_from(Device)
        .outerjoin(Location, Location.id == Device.location_id)
        .where(
            Device.is_active.is_(True),
            Device.category.in_(list(policies)),
            Device.replacement_date >= args.start,
            Device.replacement_date <= args.end,
            *conds,
        )
        .group_by(*keys)
    )
    totals: dict[str, tuple[int, Decimal]] = {}
    for *names, n in session.execute(query):
        name, category = (names[0], names[0]) if key is None else names
        policy = policies[category]
        label = policy.category if key is None else (name or NONE_LABEL)
        old_n, old_cost = totals.get(label, (0, Decimal(0)))
        totals[label] = (old_n + n, old_cost + n * policy.unit_cost)
    groups = [DueGroup(name=k, count=n, cost=c) for k, (n, c) in totals.items()]
    return sorted(groups, key=lambda g: (-g.count, g.name))


Tally = dict[str, dict[str, tuple[int, Decimal]]]


def _tally(summary: list[Any], by: str) -> Tally:
    """bucket -> group (category or school) -> (count, cost), largest count first."""
    tally: Tally = {}
    for row in summary:
        group = getattr(row, by) or NONE_LABEL
        n, cost = tally.setdefault(row.bucket, {}).get(group, (0, Decimal(0)))
        tally[row.bucket][group] = (n + row.n, cost + Decimal(row.cost or 0))
    return {
        bucket: dict(sorted(groups.items(), key=lambda item: (-item[1][0], item[0])))
        for bucket, groups in tally.items()
    }


def _add(*parts: dict[str, tuple[int, Decimal]]) -> dict[str, tuple[int, Decimal]]:
    total: dict[str, tuple[int, Decimal]] = {}
    for part in parts:
        for group, (n, cost) in part.items():
            old_n, old_cost = total.get(group, (0, Decimal(0)))
            total[group] = (old_n + n, old_cost + cost)
    return total


def _due_rows(
    session: Session, conds: list[ColumnElement[bool]], start: dt.date, end: dt.date, limit: int
) -> tuple[list[DueRow], list[str], list[str]]:
    """The first ``limit`` devices due in the window, read off the replacement-date index."""
    d = Device  # plain columns, not ORM objects: the rows are only read
    query = (
        select(
            d.id,
            d.serial,
            d.model,
            d.category,
            d.purchase_date,
            d.aue_date,
            d.replacement_date,
            d.replacement_reason,
            Location.name.label("school"),
        )
        .join(Policy, _policy_join())
        .outerjoin(Location, Location.id == Device.location_id)
        .where(
            Device.is_active.is_(True),
            Device.replacement_date >= start,
            Device.replacement_date <= end,
            *conds,
        )
        .order_by(Device.replacement_date, Device.serial)
        .limit(limit)
    )
    found = session.execute(query).all()
    per_device, refs, systems = device_refs(session, [r.id for r in found])
    rows = [
        DueRow(serial=r.serial, model=r.model, category=r.category, school=r.school,
               purchase_date=r.purchase_date, aue_date=r.aue_date,
               replacement_date=r.replacement_date, reason=r.replacement_reason,
               sources=per_device.get(r.id, []))
        for r in found
    ]  # fmt: skip
    return rows, refs, systems


def _overdue_note(
    overdue: dict[str, tuple[int, Decimal]], past: dict[str, tuple[int, Decimal]], start: dt.date
) -> list[str]:
    total = sum(n for n, _ in overdue.values())
    if not total:
        return []
    reached = sum(n for n, _ in past.values())
    parts = ", ".join(f"{group} {n}" for group, (n, _) in overdue.items())
    return [f"{total} active device(s) reach their replacement date before {start.isoformat()} "
            f"({parts}) and are reported as overdue, not in the window; {reached} of them had "
            "already reached it by the as-of date."]  # fmt: skip


class BudgetArgs(BaseModel):
    """How many fiscal years to plan, from the next one, and how to break the cost down."""

    as_of: dt.date = Field(description="Today; planning starts with the next fiscal year.")
    years: int = Field(default=3, ge=1, le=6, description="Fiscal years to plan, from next.")
    start_fy: int | None = Field(
        default=None, description="First fiscal year to show (2030); default the next one."
    )
    end_fy: int | None = Field(
        default=None, description="Last fiscal year to show (2034); default start_fy + years - 1."
    )
    by: Literal["category", "school"] = Field(
        default="category", description="Break each year down per category or per school."
    )
    category: str | None = Field(default=None, description="Only this category (Chromebook).")
    school: str | None = Field(default=None, description="Only this school or site.")


class BudgetRow(BaseModel):
    """Replacements of one category (or school) in one fiscal year."""

    fiscal_year: str
    start: dt.date
    end: dt.date
    group: str
    count: int
    unit_cost: Decimal | None = Field(description="Per unit, when broken down per category.")
    cost: Decimal


class FiscalYearTotal(BaseModel):
    """All replacements due in one fiscal year."""

    fiscal_year: str
    start: dt.date
    end: dt.date
    count: int
    cost: Decimal


class OverdueLine(BaseModel):
    """Devices whose replacement date falls before the first planned year, kept apart."""

    before: dt.date
    count: int
    cost: Decimal
    reached_by_as_of: int = Field(description="Of these, dated on or before as_of.")
    by_group: dict[str, int]


class BudgetResult(ToolResult):
    """Replacement count and cost per fiscal year and group, year totals and the overdue line."""

    rows: list[BudgetRow]
    years: list[FiscalYearTotal]
    overdue: OverdueLine
    total_count: int
    total_cost: Decimal
    policies: dict[str, PolicyUsed]
    later: int = Field(description="Active devices due after the last planned year.")
    no_date: int
    no_policy: int
    by: str
    as_of: dt.date


def replacement_budget(session: Session, args: BudgetArgs) -> BudgetResult:
    """Cost to replace active devices as they come due, per fiscal year from the next one.

    One query buckets every active device with a policy by its replacement date (overdue, each
    fiscal year, later, no date) and groups by bucket, category and school.
    """
    calendar = _calendar(session)
    next_fy = calendar.fiscal_year(args.as_of) + 1
    first, last = plan_years(next_fy, args.start_fy, args.end_fy, args.years)
    fys = [(f"FY{fy}", *calendar.year_bounds(fy)) for fy in range(first, last + 1)]
    conds = device_filters(session, school=args.school, category=args.category)
    plan_start = calendar.year_bounds(next_fy)[0]
    buckets = _overdue_buckets(plan_start, args.as_of)
    if first > next_fy:  # devices due between next year and the first year asked
        buckets.append(("before_plan", lambda day: day < fys[0][1]))
    buckets += [(label, _on_or_before(end)) for label, _, end in fys]
    summary = _summary(session, conds, buckets, by_school=args.by == "school")
    tally = _tally(summary, args.by)
    units = {row.category: row.unit_cost for row in summary}
    rows = [
        BudgetRow(fiscal_year=label, start=start, end=end, group=group, count=n, cost=cost,
                  unit_cost=units.get(group) if args.by == "category" else None)
        for label, start, end in fys
        for group, (n, cost) in tally.get(label, {}).items()
    ]  # fmt: skip
    years = [_year_total(label, start, end, tally.get(label, {})) for label, start, end in fys]
    overdue = _overdue_line(plan_start, tally)
    total = sum(y.count for y in years)
    ids = list(session.scalars(
        select(Device.id)
        .where(Device.is_active.is_(True), Device.category.in_(list(_policy_map(session))),
               Device.replacement_date.between(fys[0][1], fys[-1][2]), *conds)
        .order_by(Device.replacement_date, Device.serial).limit(SOURCE_CAP)
    ))  # fmt: skip
    _, refs, systems = device_refs(session, ids)
    later = sum(n for n, _ in tally.get("later", {}).values())
    no_date = sum(n for n, _ in tally.get("no_date", {}).values())
    no_policy = _no_policy(session, args.school, args.category)
    notes = _budget_notes(fys, overdue, later, total, f"FY{next_fy}") + _no_date_note(no_date)
    notes += _before_plan_note(tally, next_fy, first, args.start_fy)
    notes += _no_policy_note(no_policy)
    return BudgetResult(
        rows=rows, years=years, overdue=overdue, total_count=total,
        total_cost=sum((y.cost for y in years), Decimal(0)),
        policies=_policies(summary, {label for label, _, _ in fys} | {"overdue", "overdue_past"}),
        later=later, no_date=no_date, no_policy=sum(no_policy.values()), by=args.by,
        as_of=args.as_of, count=total, sources=refs, systems=systems, notes=notes,
    )  # fmt: skip


def _calendar(session: Session) -> FiscalCalendar:
    text = str(district_setting(session, "fiscal_year_start", "07-01"))
    month, day = (int(part) for part in text.split("-"))
    return FiscalCalendar(start_month=month, start_day=day)


def _on_or_before(end: dt.date) -> Any:
    return lambda day: day <= end


def _year_total(
    label: str, start: dt.date, end: dt.date, groups: dict[str, tuple[int, Decimal]]
) -> FiscalYearTotal:
    return FiscalYearTotal(fiscal_year=label, start=start, end=end,
                           count=sum(n for n, _ in groups.values()),
                           cost=sum((c for _, c in groups.values()), Decimal(0)))  # fmt: skip


def _overdue_line(before: dt.date, tally: Tally) -> OverdueLine:
    past = tally.get("overdue_past", {})
    both = _add(past, tally.get("overdue", {}))
    return OverdueLine(
        before=before, count=sum(n for n, _ in both.values()),
        cost=sum((c for _, c in both.values()), Decimal(0)),
        reached_by_as_of=sum(n for n, _ in past.values()),
        by_group={g: n for g, (n, _) in sorted(both.items(), key=lambda i: (-i[1][0], i[0]))},
    )  # fmt: skip


MAX_PLAN_YEARS = 10
"""The most fiscal years one budget answer plans."""


def plan_years(
    next_fy: int, start_fy: int | None, end_fy: int | None, years: int
) -> tuple[int, int]:
    """The first and last fiscal year to plan: from start_fy (never before next fiscal year,
    whose start is where "overdue" ends) to end_fy (at least the first), or ``years`` of them.

    Raises:
        ValueError: the span is longer than ``MAX_PLAN_YEARS``.
    """
    first = max(start_fy or next_fy, next_fy)
    last = max(end_fy, first) if end_fy is not None else first + years - 1
    if last - first >= MAX_PLAN_YEARS:
        raise ValueError(f"at most {MAX_PLAN_YEARS} fiscal years at once (FY{first}-FY{last})")
    return first, last


def _before_plan_note(tally: Tally, next_fy: int, first: int, start_fy: int | None) -> list[str]:
    notes = []
    if start_fy is not None and start_fy < next_fy:
        notes.append(f"Planning starts with next fiscal year, FY{next_fy}; devices due before it "
                     "are counted as overdue.")  # fmt: skip
    if before := sum(n for n, _ in tally.get("before_plan", {}).values()):
        years = f"FY{next_fy}" if first - 1 == next_fy else f"FY{next_fy}–FY{first - 1}"
        notes.append(f"{before} active device(s) come due in {years}, before the years asked, "
                     "and are not in the plan.")  # fmt: skip
    return notes


def _budget_notes(
    fys: list[tuple[str, dt.date, dt.date]], overdue: OverdueLine, later: int, total: int,
    next_label: str,
) -> list[str]:  # fmt: skip
    notes = []
    if total > SOURCE_CAP:
        notes.append(f"Sources list the first {SOURCE_CAP} of the {total} devices planned.")
    if overdue.count:
        notes.append(
            f"{overdue.count} active device(s) (${overdue.cost:,.2f}) reach their replacement date "
            f"before {next_label} starts ({overdue.before.isoformat()}) and are shown apart as "
            f"overdue; {overdue.reached_by_as_of} of them had already reached it by the as-of date."
        )
    if later:
        notes.append(
            f"{later} active device(s) come due after {fys[-1][0]} and are not in the plan."
        )
    return notes


_SET_ASIDE = re.compile(r"\b(set aside|put aside|reserve|earmark|save up)\b")


TOOLS = (
    ToolSpec(
        name="devices_due_for_replacement",
        measures=("count", "list", "cost"),
        func=devices_due_for_replacement,
        args_model=DueArgs,
        description=(
            "Active devices whose replacement date (purchase date + the category's replacement "
            "cycle; for Chromebooks the earlier of that and the Auto Update Expiration) falls in "
            "a date window: one row per device with the reason (cycle or AUE), counts and "
            "estimated cost per category with the policy used, plus overdue devices and devices "
            "with no purchase date counted apart."
        ),
        examples=(
            "which devices are due for replacement next fiscal year?",
            "what needs to be refreshed at Lincoln Elementary this year?",
            "which laptops age out in the next 12 months?",
            "how many devices are past their replacement date?",
            "which computers are too old and should be replaced?",
            "list the devices that come due for refresh in FY2028",
            "how many tablets will need replacing by next summer?",
            "what needs replacing next year?",
            "what has to be replaced in FY2027?",
            "which school has the most devices due for replacement next year?",
            "how many Chromebooks hit their replacement date before June 30?",
            "devices due for refresh next fiscal year by model",
            "replacement due by category this school year",
        ),
        domain="devices",
        keywords=("replac", "refresh", "due", "age out", "eol", "end of life"),
        default_window="next fiscal year",
        sensitive=True,
    ),
    ToolSpec(
        name="replacement_budget",
        measures=("cost",),
        cues=(Cue("set_aside", _SET_ASIDE),),
        func=replacement_budget,
        args_model=BudgetArgs,
        description=(
            "Replacement budget by fiscal year, starting with next fiscal year: how many active "
            "devices come due each year and what replacing them costs (count x unit cost of the "
            "category policy), per category or per school, with year totals, the overdue "
            "backlog as a separate line, and devices with no purchase date counted in notes."
        ),
        examples=(
            "what will it cost to replace devices over the next three fiscal years?",
            "what's our device replacement budget for next year?",
            "how much should we plan for Chromebook replacements by fiscal year?",
            "replacement cost per school for the next 5 years",
            "what does the refresh plan look like by fiscal year?",
            "how much money will the device refresh need each year?",
            "forecast spending on replacement laptops through FY2030",
            "what will replacing aging hardware cost us, year by year?",
            "estimated capital cost of device refresh by school",
            "how much should we set aside for device replacement next year?",
            "what should we reserve for replacing laptops in FY2029?",
            "device replacement costs for FY2030 to FY2034",
        ),
        domain="devices",
        keywords=(
            "budget",
            "cost to replace",
            "replacement cost",
            "forecast",
            "year by year",
            "refresh plan",
            "plan for",
            "set aside",
            "reserve",
            "earmark",
        ),
        default_window=None,
        sensitive=True,
    ),
)
