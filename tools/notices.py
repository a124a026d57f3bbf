"""Notice deadlines as questions: the cancel-by dates already missed, coming up, or at stake.

A contract that auto-renews is cancelled only by giving notice before its notice deadline
(renewal date minus the notice period). Three questions follow, each answered with the renewal
date, the deadline and the annual cost of every contract:

* missed: the deadline is before today and the renewal date is not (the contract still renews,
  and it is too late to cancel it without the vendor's goodwill);
* upcoming: the deadline falls in a window;
* auto_renewing: the contract auto-renews and renews in a window.

The weekly digest's "Deadlines missed" section is this tool's ``missed`` answer.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ingest.schema import Contract, Vendor
from tools.base import ToolResult, ToolSpec, sources_of
from tools.contracts import ContractRow, contract_row, match_vendor_ids
from tools.cues import Cue

UPCOMING_DAYS = 90
"""The window of an 'upcoming' question that names none: the next 90 days."""


class NoticeDeadlinesArgs(BaseModel):
    """Which deadlines: missed ones, those in a window, or auto-renewals in a window."""

    kind: Literal["missed", "upcoming", "auto_renewing"] = Field(
        default="upcoming",
        description="missed: deadline passed, contract still renews; upcoming: deadline in "
        "[start, end]; auto_renewing: auto-renewing contracts renewing in [start, end].",
    )
    as_of: dt.date = Field(description="Today (YYYY-MM-DD).")
    start: dt.date | None = Field(default=None, description="Window start (not for missed).")
    end: dt.date | None = Field(default=None, description="Window end (not for missed).")
    vendor: str | None = Field(default=None, description="Only this vendor (fuzzy).")


class NoticeDeadlinesResult(ToolResult):
    """The contracts, soonest deadline (or renewal) first, with their total annual cost."""

    rows: list[ContractRow]
    total_annual_cost: Decimal
    kind: str
    as_of: dt.date
    start: dt.date | None
    end: dt.date | None
    auto_renewing: int = Field(description="Of the rows, how many auto-renew.")


def notice_deadlines(session: Session, args: NoticeDeadlinesArgs) -> NoticeDeadlinesResult:
    """Contracts by notice deadline: missed, upcoming in a window, or auto-renewing in one."""
    start, end = args.start, args.end
    query = select(Contract, Vendor.name).join(Vendor, Vendor.id == Contract.vendor_id)
    match args.kind:
        case "missed":
            start = end = None
            query = query.where(
                Contract.notice_deadline < args.as_of, Contract.renewal_date >= args.as_of
            ).order_by(Contract.notice_deadline, Contract.renewal_date)
        case "upcoming":
            start = start or args.as_of + dt.timedelta(days=1)
            end = end or args.as_of + dt.timedelta(days=UPCOMING_DAYS)
            query = query.where(Contract.notice_deadline.between(start, end)).order_by(
                Contract.notice_deadline, Contract.renewal_date
            )
        case "auto_renewing":
            start = start or args.as_of + dt.timedelta(days=1)
            end = end or args.as_of + dt.timedelta(days=UPCOMING_DAYS)
            query = query.where(
                Contract.auto_renew.is_(True), Contract.renewal_date.between(start, end)
            ).order_by(Contract.renewal_date, Contract.notice_deadline)
        case _:
            raise ValueError(f"Unsupported kind of notice deadline: {args.kind}")
    if args.vendor:
        query = query.where(Vendor.id.in_(match_vendor_ids(session, args.vendor)))
    found = session.execute(query.order_by(Vendor.name, Contract.product)).all()
    refs, systems = sources_of(session, (c.source_record_id for c, _ in found))
    ref_by_id = dict(zip([c.source_record_id for c, _ in found], refs, strict=False))
    rows = [contract_row(c, vendor, ref_by_id.get(c.source_record_id)) for c, vendor in found]
    return NoticeDeadlinesResult(
        rows=rows, total_annual_cost=sum((r.annual_cost or Decimal(0) for r in rows), Decimal(0)),
        kind=args.kind, as_of=args.as_of, start=start, end=end,
        auto_renewing=sum(1 for r in rows if r.auto_renew), count=len(rows), sources=refs,
        systems=systems, notes=_notes(session, args, rows),
    )  # fmt: skip


def _notes(session: Session, args: NoticeDeadlinesArgs, rows: list[ContractRow]) -> list[str]:
    """What the answer cannot show: contracts with no notice period have no deadline at all."""
    notes = []
    if unpriced := sum(1 for r in rows if r.annual_cost is None):
        notes.append(f"{unpriced} of these {'has' if unpriced == 1 else 'have'} no annual cost on "
                     "file; the total leaves them out.")  # fmt: skip
    if args.kind == "auto_renewing":
        if blank := sum(1 for r in rows if r.notice_deadline is None):
            notes.append(f"{blank} of these {'has' if blank == 1 else 'have'} no notice period "
                         "on file, so no cancel-by date.")  # fmt: skip
        return notes
    count = session.scalar(
        select(func.count())
        .select_from(Contract)
        .where(Contract.notice_deadline.is_(None), Contract.renewal_date >= args.as_of)
    )
    if count:
        notes.append(f"{count} contract{'' if count == 1 else 's'} still to renew "
                     f"{'has' if count == 1 else 'have'} no notice period on file, so no "
                     "deadline to miss or meet; they are not in this list.")  # fmt: skip
    return notes


_MISSED = re.compile(r"\b(miss(ed)?|too late|already (passed|past|gone)|pass(ed)?|blown|blew)\b")
_AUTO = re.compile(r"\bauto[- ]?renew\w*|\brenews? (on its own|automatically)|\bevergreen\b")


_RENEWING_IN = re.compile(r"\b(contracts?|subscriptions?|licen[cs]es?|agreements?|those|ones)\s+"
                         r"(renewing|that renew|which renew|up for renewal|expiring|that expire)\b")  # fmt: skip


def _kind(slots: Mapping[str, Any], question: str) -> dict[str, Any]:
    """Which deadlines the question asks for: missed ones, auto-renewals, or those coming up."""
    text = question.lower()
    if _MISSED.search(text):
        return {"kind": "missed"}
    if _AUTO.search(text):
        return {"kind": "auto_renewing"}
    return {"kind": "upcoming"}


TOOLS = (
    ToolSpec(
        name="notice_deadlines",
        func=notice_deadlines,
        args_model=NoticeDeadlinesArgs,
        description=(
            "Cancel-by (notice) deadlines of contracts: those already missed on contracts that "
            "still renew, those falling in a window, or auto-renewing contracts that renew in "
            "a window; each with the renewal date, the deadline, the notice period and the "
            "annual cost."
        ),
        examples=(
            "which notice deadlines have we already missed?",
            "is it too late to cancel anything that renews soon?",
            "what cancel-by dates come up in the next 60 days?",
            "which contracts auto-renew next quarter unless we give notice?",
            "what do we have to give notice on before the end of January?",
            "which auto-renewals are coming up this spring?",
            "did we miss the window to cancel any subscriptions?",
            "deadlines to opt out of contracts this month",
        ),
        domain="contracts",
        measures=("list", "cost", "count"),
        refine=_kind,
        cues=(Cue("window_on_renewals", _RENEWING_IN),),
        keywords=(
            "notice",
            "cancel-by",
            "cancel by",
            "deadline",
            "too late",
            "opt out",
            "auto-renew",
            "auto renew",
            "missed",
        ),  # fmt: skip
        default_window="the next 90 days",
        sensitive=True,
    ),
)
