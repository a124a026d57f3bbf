"""Tickets as a list (ids, dates, subjects) and as counts opened or closed in a window.

"Show me the cracked screen tickets at Lincoln in October" wants the tickets themselves, not a
weekly trend or the open backlog; "how many tickets were opened in March" wants a count of that
window, not what is open today. Categories are the canonical ones ingest keeps (``Cracked
screen`` for Incident IQ's "Broken Screen" and Zendesk's "cracked_screen"), so both help desks
count together; ``text`` searches subjects and descriptions for words that are no category.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.orm import Session

from ingest.schema import Device, Location, Ticket, TicketClosedDay, TicketOpenedDay
from tools.base import SOURCE_CAP, ToolResult, ToolSpec, sample_note, school_ids, sources_of
from tools.cues import Cue

ONE_DAY = dt.timedelta(days=1)
LIST_LIMIT = 50
_WORD = re.compile(r"[\w'/-]+")


class TicketListArgs(BaseModel):
    """Which tickets to list."""

    category: str | None = Field(default=None, description='Ticket category, e.g. "Battery".')
    school: str | None = Field(default=None, description="Only tickets at this school.")
    start: dt.date | None = Field(default=None, description="Opened on or after this day.")
    end: dt.date | None = Field(default=None, description="Opened on or before this day.")
    status: Literal["open", "closed", "any"] = Field(
        default="any", description="open, closed or any (default)."
    )
    model: str | None = Field(default=None, description="Only tickets on devices of this model.")
    text: str | None = Field(
        default=None,
        description="Words every listed ticket's subject or description holds (not a category).",
    )
    limit: int = Field(default=LIST_LIMIT, ge=1, le=500, description="Most tickets listed.")


class TicketListRow(BaseModel):
    """One ticket."""

    system: str
    id: str
    opened: dt.date | None
    closed: dt.date | None
    status: str | None
    category: str | None
    school: str | None
    model: str | None
    subject: str | None
    source: str | None = None


class TicketListResult(ToolResult):
    """The tickets that match, newest first (``count`` is all of them, ``rows`` the first)."""

    rows: list[TicketListRow]
    open_count: int
    closed_count: int


def _conditions(
    session: Session,
    notes: list[str],
    *,
    school: str | None,
    category: str | None,
    model: str | None = None,
    text: str | None = None,
) -> list[ColumnElement[bool]]:
    """SQL conditions on tickets; a school the data does not know is noted, never dropped."""
    conditions: list[ColumnElement[bool]] = []
    if school:
        ids = school_ids(session, school)
        if not ids:
            notes.append(f'No school named "{school}" is in the data.')
        conditions.append(Ticket.location_id.in_(ids))
    if category:
        conditions.append(func.lower(Ticket.category) == category.strip().lower())
    if model:
        conditions.append(func.lower(Device.model) == model.strip().lower())
    for word in _WORD.findall(text or ""):
        stem = word.lower()[:-1] if len(word) > 4 and word.lower().endswith("s") else word.lower()
        pattern = f"%{stem}%"  # "bulbs" finds "bulb" and "bulbs"
        conditions.append(
            or_(
                func.lower(Ticket.subject).like(pattern),
                func.lower(Ticket.description).like(pattern),
            )
        )
    return conditions


def _opened_between(start: dt.date | None, end: dt.date | None) -> list[ColumnElement[bool]]:
    window: list[ColumnElement[bool]] = []
    if start is not None:
        window.append(Ticket.opened_at >= dt.datetime.combine(start, dt.time()))
    if end is not None:
        window.append(Ticket.opened_at < dt.datetime.combine(end + ONE_DAY, dt.time()))
    return window


def tickets_list(session: Session, args: TicketListArgs) -> TicketListResult:
    """Tickets matching every filter given, newest opened first, with open and closed counts."""
    notes: list[str] = []
    conditions = _conditions(session, notes, school=args.school, category=args.category,
                             model=args.model, text=args.text)  # fmt: skip
    conditions += _opened_between(args.start, args.end)
    if args.status != "any":
        conditions.append(Ticket.is_open.is_(args.status == "open"))
    base = (
        select(Ticket, Location.name, Device.model)
        .outerjoin(Location, Location.id == Ticket.location_id)
        .outerjoin(Device, Device.id == Ticket.device_id)
        .where(*conditions)
    )
    counted = base.with_only_columns(
        func.count(), func.sum(case((Ticket.is_open.is_(True), 1), else_=0))
    )
    total, opened = session.execute(counted).one()
    total, opened = int(total or 0), int(opened or 0)
    found = session.execute(
        base.order_by(Ticket.opened_at.desc(), Ticket.system, Ticket.external_id).limit(args.limit)
    ).all()
    ids = [t.source_record_id for t, _, _ in found]
    refs, systems = sources_of(session, ids[:SOURCE_CAP])
    by_id = dict(zip([i for i in dict.fromkeys(ids) if i is not None], refs, strict=False))
    rows = [_row(t, school, model, by_id.get(t.source_record_id or -1))
            for t, school, model in found]  # fmt: skip
    notes += sample_note(len(rows), total, "tickets that match")
    return TicketListResult(rows=rows, open_count=opened, closed_count=total - opened, count=total,
                            sources=refs, systems=systems, notes=notes)  # fmt: skip


def _row(
    ticket: Ticket, school: str | None, model: str | None, source: str | None
) -> TicketListRow:
    return TicketListRow(
        system=ticket.system, id=ticket.external_id,
        opened=ticket.opened_at.date() if ticket.opened_at else None,
        closed=ticket.closed_at.date() if ticket.closed_at else None,
        status=ticket.status or ("open" if ticket.is_open else "closed"),
        category=ticket.category, school=school, model=model, subject=ticket.subject, source=source,
    )  # fmt: skip


class TicketCountsArgs(BaseModel):
    """The window, which event to count, and how to group."""

    start: dt.date = Field(description="First day of the window (YYYY-MM-DD).")
    end: dt.date = Field(description="Last day of the window (inclusive).")
    event: Literal["opened", "closed"] = Field(
        default="opened", description="Count tickets opened (default) or closed in the window."
    )
    category: str | None = Field(default=None, description='Ticket category, e.g. "Network".')
    school: str | None = Field(default=None, description="Only tickets at this school.")
    group_by: Literal["category", "school", "month"] | None = Field(
        default=None, description="One count per category, school or calendar month."
    )


class TicketCountRow(BaseModel):
    """The count of one group."""

    group: str
    tickets: int


class TicketCountsResult(ToolResult):
    """How many tickets, in total and per group."""

    event: str
    start: dt.date
    end: dt.date
    total: int
    group_by: str | None
    rows: list[TicketCountRow]


def ticket_counts(session: Session, args: TicketCountsArgs) -> TicketCountsResult:
    """Tickets opened (or closed) in [start, end], counted per group when asked.

    The counts come from the per-day summaries ingest keeps (``ticket_opened_days``,
    ``ticket_closed_days``: thousands of rows, not a million tickets); only the first tickets,
    for the sources, are read from the tickets themselves. Months are calendar months, each
    listed even with no tickets, so two months compare side by side. Tickets with no date of
    that event are in no window.
    """
    notes: list[str] = []
    column = Ticket.opened_at if args.event == "opened" else Ticket.closed_at
    conditions = _conditions(session, notes, school=args.school, category=args.category)
    conditions += [column >= dt.datetime.combine(args.start, dt.time()),
                   column < dt.datetime.combine(args.end + ONE_DAY, dt.time())]  # fmt: skip
    if args.event == "closed":
        conditions.append(Ticket.is_open.is_(False))
    counts: dict[Any, int] = {}
    for group, n in _day_counts(session, args):
        counts[group] = counts.get(group, 0) + int(n or 0)
    total = sum(counts.values())
    rows = _count_rows(args, counts)
    first = select(Ticket.source_record_id).where(*conditions).order_by(column).limit(SOURCE_CAP)
    refs, systems = sources_of(session, session.scalars(first))
    notes += sample_note(len(refs), total, f"tickets {args.event}")
    return TicketCountsResult(event=args.event, start=args.start, end=args.end, total=total,
                              group_by=args.group_by, rows=rows, count=total, sources=refs,
                              systems=systems, notes=notes)  # fmt: skip


def _day_counts(session: Session, args: TicketCountsArgs) -> list[tuple[Any, Any]]:
    """(group, count) pairs from the opened- or closed-day summary of the window.

    A ticket closed in the window and not open again is, in ``ticket_closed_days``, timed (an
    opened date not later), closed with no opened date, or closed before it was opened: the three
    counts sum to the closed tickets. Schools are grouped by name, as the answer names them.
    """
    d: Any = TicketOpenedDay if args.event == "opened" else TicketClosedDay
    n = d.tickets if args.event == "opened" else d.timed + d.closed_undated + d.backwards
    per_school = bool(args.school) or args.group_by == "school"
    conds: list[Any] = [d.all_schools.is_(not per_school), d.day >= args.start, d.day <= args.end]
    if args.school:
        conds.append(d.location_id.in_(school_ids(session, args.school)))
    if args.category:
        conds.append(func.lower(d.category) == args.category.strip().lower())
    if args.group_by is None:
        return [("Total", session.execute(select(func.sum(n)).where(*conds)).scalar())]
    key = {"category": d.category, "school": d.location_id, "month": d.day}[args.group_by]
    found = session.execute(select(key, func.sum(n)).where(*conds).group_by(key)).all()
    if args.group_by == "month":  # per day here: a date (PostgreSQL) or 'YYYY-MM-DD' (SQLite)
        return [(str(day)[:7], count) for day, count in found if day is not None]
    if args.group_by == "school":
        names = dict(session.execute(select(Location.id, Location.name)).all())
        return [(names.get(school), count) for school, count in found]
    return [(category, count) for category, count in found]


def _count_rows(args: TicketCountsArgs, counts: dict[Any, int]) -> list[TicketCountRow]:
    if args.group_by is None:
        return []
    if args.group_by == "month":
        months, day = [], args.start.replace(day=1)
        while day <= args.end:
            months.append(day.strftime("%Y-%m"))
            day = (day + dt.timedelta(days=32)).replace(day=1)
        return [TicketCountRow(group=dt.date.fromisoformat(m + "-01").strftime("%b %Y"),
                               tickets=counts.get(m, 0)) for m in months]  # fmt: skip
    named = {"category": "(no category)", "school": "(no school)"}[args.group_by]
    rows = [TicketCountRow(group=str(k) if k is not None else named, tickets=n)
            for k, n in counts.items()]  # fmt: skip
    return sorted(rows, key=lambda r: (-r.tickets, r.group.lower()))


# "opened"/"submitted"/"came in" count the window's new tickets; "closed"/"resolved" its closures.
_COUNT_WORDS = re.compile(
    r"\b(how many|number of|count|total)\b.*\b(opened|submitted|came in|logged|filed|created"
    r"|received|had|got|gotten|seen|clos(e|ed)|resolved|solved)\b(?! (?:yet|right now|today))"
)
_LIST_WORDS = re.compile(r"^\s*(list|show|give|pull|get|find)\b|\b(which|what) tickets\b")


_ABOUT = re.compile(
    r"\b(?:about|mentioning|mention|mentions|saying|that say|says|with the words?|regarding)\s+"
    r"(.+?)(?=\s+(?:at|in|from|on|since|during|this|last|over|for|opened|between)\b|[?.!]|$)"
)
_NOT_TEXT = frozenset("a an the any anything something them it tickets ticket".split())


def _ticket_list_refine(slots: Any, question: str) -> dict[str, Any]:
    """A list's status from its words ('open', 'closed'; else any), and the words it is about
    when they are no category ('tickets about the projector bulb')."""
    text = question.lower()
    found: dict[str, Any] = {}
    if re.search(r"\b(still open|open|unresolved|outstanding)\b", text):
        found["status"] = "open"
    elif re.search(r"\b(closed|resolved|fixed|done)\b", text):
        found["status"] = "closed"
    about = _ABOUT.search(text)
    if about and not slots.get("ticket_category"):
        words = [w for w in about.group(1).split() if w not in _NOT_TEXT]
        if words:
            found["text"] = " ".join(words)
    return found


def _ticket_counts_refine(slots: Any, question: str) -> dict[str, Any]:
    """Closed or resolved tickets are counted by their closing day."""
    if re.search(
        r"\b(clos(e|ed|ing)|resolv\w*|completed|fixed|finished|solved)\b", question.lower()
    ):
        return {"event": "closed"}
    return {}


TOOLS = (
    ToolSpec(
        name="tickets_list",
        func=tickets_list,
        args_model=TicketListArgs,
        description=(
            "A list of help desk tickets matching filters: ticket category (the district's own "
            "categories), school, the window they were opened in, open or closed, device model "
            "and words in the subject; each with its id, opened and closed dates and subject."
        ),
        examples=(
            "list the cracked screen tickets at Lincoln from October",
            "show me the battery tickets opened this month",
            "which tickets were opened at the high school last week?",
            "give me every liquid damage ticket on the 300e this school year",
            "what network tickets came in at Hawthorne yesterday?",
            "tickets mentioning the projector bulb at Westview",
            "pull up the closed keyboard tickets from September",
            "the login tickets for Jefferson in the past 30 days",
        ),
        domain="tickets",
        keywords=("list the", "show me the", "ticket numbers", "which tickets"),
        default_window=None,
        measures=("list",),
        cues=(Cue("asks_a_list", _LIST_WORDS),),
        reads=(("category", "ticket_category"), ("status", "ticket_status")),
        refine=_ticket_list_refine,
        looks_back=True,
    ),
    ToolSpec(
        name="ticket_counts",
        func=ticket_counts,
        args_model=TicketCountsArgs,
        description=(
            "How many help desk tickets were opened (or closed) in a window, in total or per "
            "category, school or calendar month, so two months or two schools compare side by "
            "side."
        ),
        examples=(
            "how many tickets were opened in March?",
            "how many tickets did we close last month?",
            "number of battery tickets at Lincoln this school year",
            "tickets opened in September vs October",
            "how many help desk requests came in last quarter by school?",
            "count of network tickets per month since July",
            "how many tickets were submitted at the middle school in the fall?",
            "total tickets resolved this fiscal year by category",
        ),
        domain="tickets",
        keywords=("tickets opened", "tickets closed", "opened in", "closed in"),
        default_window="this month",
        looks_back=True,
        measures=("count",),
        cues=(Cue("asks_a_count", _COUNT_WORDS),),
        reads=(("category", "ticket_category"),),
        refine=_ticket_counts_refine,
    ),
)
