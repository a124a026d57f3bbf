"""Where the money goes: what contracts cost per year, and what purchase orders spent.

Two figures a business office keeps apart. Contract spend is the annual cost of the contracts on
file (one row per contract, de-duplicated by ingest), by default those still in force on the
as-of day. Purchase spend is the sum of the PO lines' Amount, exactly as the finance export
writes it, for the lines dated in a window. Fund and department names are grouped however they
are spelled (``tools.names``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ingest.schema import Contract, Purchase, Vendor
from tools.base import SOURCE_CAP, ToolResult, ToolSpec, sample_note, sources_of
from tools.contracts import match_vendor_ids
from tools.cues import Cue
from tools.names import labels, matches, name_key

NO_NAME = "(not on file)"
LAPSED = ("cancelled", "canceled", "terminated", "expired", "ended", "inactive")
"""Statuses of a contract no longer paid for, whatever its renewal date says."""


class SpendGroup(BaseModel):
    """One group's spend: how many records and what they add up to."""

    group: str
    count: int = Field(description="Contracts (or PO lines) in the group.")
    amount: Decimal = Field(description="Annual cost (contracts) or amount (PO lines).")
    unpriced: int = Field(default=0, description="Records with no cost on file, left out.")


# --- contract spend --------------------------------------------------------------------------


class ContractSpendArgs(BaseModel):
    """How to group contract spend, and which contracts to count."""

    group_by: Literal["funding_source", "department", "vendor", "category"] | None = Field(
        default=None, description="Break the annual cost down by this."
    )
    funding_source: str | None = Field(default=None, description="Only this funding source.")
    department: str | None = Field(default=None, description="Only this department.")
    vendor: str | None = Field(default=None, description="Only this vendor (fuzzy).")
    category: str | None = Field(default=None, description="Only this contract category.")
    start: dt.date | None = Field(
        default=None, description="Only contracts renewing from this day."
    )
    end: dt.date | None = Field(default=None, description="... through this day (YYYY-MM-DD).")
    as_of: dt.date | None = Field(
        default=None, description="Today: with no window, count the contracts still in force."
    )


class ContractSpendResult(ToolResult):
    """Annual contract cost per group, with the total and what was counted."""

    rows: list[SpendGroup]
    total_annual_cost: Decimal
    group_by: str | None
    start: dt.date | None
    end: dt.date | None
    definition: str = Field(description="What the figure includes, in words.")


def contract_spend(session: Session, args: ContractSpendArgs) -> ContractSpendResult:
    """Annual cost of the contracts on file, grouped and filtered (contracts are few: grouped here,
    after one query, because a fund's spellings are merged by key)."""
    query = select(Contract, Vendor.name).join(Vendor, Vendor.id == Contract.vendor_id)
    if args.start and args.end:
        query = query.where(Contract.renewal_date.between(args.start, args.end))
        definition = (
            f"annual cost of the contracts renewing {args.start.isoformat()} – "
            f"{args.end.isoformat()}"
        )
    elif args.as_of:
        query = query.where(
            or_(Contract.renewal_date.is_(None), Contract.renewal_date >= args.as_of),
            or_(Contract.status.is_(None), func.lower(func.trim(Contract.status)).not_in(LAPSED)),
        )
        definition = (
            f"annual cost of the contracts still in force on {args.as_of.isoformat()} (renewal "
            "on or after it, not cancelled or expired)"
        )
    else:
        definition = "annual cost of every contract on file"
    if args.vendor:
        query = query.where(Vendor.id.in_(match_vendor_ids(session, args.vendor)))
    found = [
        (c, vendor) for c, vendor in session.execute(query.order_by(Contract.id)) if _kept(c, args)
    ]
    groups: dict[str | None, list[tuple[Contract, str]]] = defaultdict(list)
    for contract, vendor in found:
        groups[_group_key(args.group_by, contract, vendor)].append((contract, vendor))
    shown = _contract_labels(args.group_by, found)
    rows = [
        SpendGroup(
            group=shown.get(key) or NO_NAME, count=len(members),
            amount=sum((c.annual_cost or Decimal(0) for c, _ in members), Decimal(0)),
            unpriced=sum(1 for c, _ in members if c.annual_cost is None),
        )
        for key, members in groups.items()
    ]  # fmt: skip
    rows.sort(key=lambda r: (r.group == NO_NAME, -r.amount, r.group))
    refs, systems = sources_of(session, (c.source_record_id for c, _ in found))
    total = sum((r.amount for r in rows), Decimal(0))
    return ContractSpendResult(
        rows=rows if args.group_by else [], total_annual_cost=total, group_by=args.group_by,
        start=args.start, end=args.end, definition=definition, count=len(found),
        sources=refs[:SOURCE_CAP], systems=systems,
        notes=_contract_notes(args.group_by, rows, definition),
    )  # fmt: skip


def _kept(contract: Contract, args: ContractSpendArgs) -> bool:
    wanted = (
        ("funding_source", args.funding_source, contract.funding_source),
        ("department", args.department, contract.department),
        ("category", args.category, contract.category),
    )
    return all(matches(kind, value, written) for kind, value, written in wanted if value)


def _group_key(group_by: str | None, contract: Contract, vendor: str) -> str | None:
    if group_by is None:
        return "all"
    if group_by == "vendor":
        return vendor
    return name_key(group_by, getattr(contract, group_by))


def _contract_labels(
    group_by: str | None, found: list[tuple[Contract, str]]
) -> dict[str | None, str]:
    if group_by is None:
        return {"all": "all contracts"}
    if group_by == "vendor":
        return {vendor: vendor for _, vendor in found}
    return labels(group_by, ((getattr(c, group_by), 1) for c, _ in found))


def _contract_notes(group_by: str | None, rows: list[SpendGroup], definition: str) -> list[str]:
    notes = [f"Contract spend here is the {definition}; purchase orders are not in it."]
    if unpriced := sum(r.unpriced for r in rows):
        notes.append(f"{_n(unpriced, 'contract')} {_has(unpriced)} no annual cost on file; "
                     "the totals leave them out.")  # fmt: skip
    missing = next((r for r in rows if r.group == NO_NAME), None)
    if group_by and missing:
        what = group_by.replace("_", " ")
        notes.append(f"{_n(missing.count, 'contract')} {_has(missing.count)} no {what} on file.")
    return notes


# --- purchase spend --------------------------------------------------------------------------


class PurchaseSpendArgs(BaseModel):
    """A window of PO dates, how to group the spend, and which lines to count."""

    start: dt.date = Field(description="First PO date to include (YYYY-MM-DD).")
    end: dt.date = Field(description="Last PO date to include (YYYY-MM-DD).")
    group_by: Literal["fund", "vendor", "account", "month"] | None = Field(
        default=None, description="Break the spend down by this."
    )
    vendor: str | None = Field(
        default=None, description="Only this vendor, matched fuzzily (Dell Marketing, Dell Inc.)."
    )
    fund: str | None = Field(default=None, description="Only this fund (General Fund, Title I).")


class PurchaseSpendResult(ToolResult):
    """PO spend per group in the window, with the total (the export's own sum of Amount)."""

    rows: list[SpendGroup]
    total_amount: Decimal
    group_by: str | None
    start: dt.date
    end: dt.date
    vendors_matched: list[str] = Field(default_factory=list)
    fund: str | None = Field(default=None, description="The fund asked for, as asked.")


def purchase_spend(session: Session, args: PurchaseSpendArgs) -> PurchaseSpendResult:
    """Sum of the PO lines' Amount dated in [start, end], grouped in SQL.

    Funds are grouped in SQL as stored, then merged by key (a few spellings, a few rows).
    """
    conds: list[Any] = [Purchase.po_date.between(args.start, args.end)]
    matched: list[str] = []
    if args.vendor:
        ids = match_vendor_ids(session, args.vendor)
        matched = list(session.scalars(select(Vendor.name).where(Vendor.id.in_(ids))))
        conds.append(Purchase.vendor_id.in_(ids))
    column = _purchase_column(args.group_by)
    query = select(
        column, Purchase.fund, func.count(), func.sum(Purchase.amount), func.count(Purchase.amount)
    ).select_from(Purchase)
    query = query.outerjoin(Vendor, Vendor.id == Purchase.vendor_id).where(*conds)  # fmt: skip
    found: list[Any] = list(session.execute(query.group_by(column, Purchase.fund)).all())
    if args.fund:
        found = [r for r in found if matches("fund", args.fund, r[1])]
        fund_names = {r[1] for r in found}
    rows = _purchase_rows(args.group_by, found)
    lines = sum(r.count for r in rows)
    total = sum((r.amount for r in rows), Decimal(0))
    id_query = select(Purchase.source_record_id).where(*conds)
    if args.fund:
        id_query = id_query.where(Purchase.fund.in_([f for f in fund_names if f is not None]))
    ids = list(session.scalars(id_query.order_by(Purchase.po_date, Purchase.id).limit(SOURCE_CAP)))
    refs, systems = sources_of(session, ids)
    notes = sample_note(len(refs), lines, "PO lines counted")
    if args.vendor and not matched:
        notes.append(f"No vendor in the data matches {args.vendor!r}.")
    if unpriced := sum(r.unpriced for r in rows):
        notes.append(f"{_n(unpriced, 'PO line')} {_has(unpriced)} no amount; the total leaves "
                     "them out.")  # fmt: skip
    if args.group_by == "fund" and (blank := next((r for r in rows if r.group == NO_NAME), None)):
        notes.append(f"{_n(blank.count, 'PO line')} {_has(blank.count)} no fund on file.")
    return PurchaseSpendResult(
        rows=rows if args.group_by else [], total_amount=total, group_by=args.group_by,
        start=args.start, end=args.end, vendors_matched=sorted(matched), fund=args.fund,
        count=lines,
        sources=refs, systems=systems, notes=notes,
    )  # fmt: skip


def _purchase_column(group_by: str | None) -> Any:
    match group_by:
        case None | "fund":
            return Purchase.fund.label("g")
        case "vendor":
            return Vendor.name.label("g")
        case "account":
            return Purchase.account_code.label("g")
        case "month":
            return Purchase.po_date.label("g")
        case _:
            raise ValueError(f"Unsupported grouping: {group_by}")


def _purchase_rows(group_by: str | None, found: list[Any]) -> list[SpendGroup]:
    """Fold the SQL groups (group value, fund) into the groups asked for."""
    if group_by == "fund":
        shown = labels("fund", ((fund, n) for _, fund, n, _, _ in found))
    merged: dict[Any, list[Any]] = defaultdict(lambda: [0, Decimal(0), 0])
    for value, fund, n, amount, priced in found:
        match group_by:
            case None:
                key: Any = "all"
            case "fund":
                key = name_key("fund", fund)
            case "month":
                key = value.strftime("%Y-%m") if value else None
            case _:
                key = value
        merged[key][0] += n
        merged[key][1] += Decimal(amount or 0)
        merged[key][2] += n - priced
    rows = [
        SpendGroup(
            group=(shown.get(key) if group_by == "fund" else key) or NO_NAME,
            count=n, amount=amount, unpriced=unpriced,
        )
        for key, (n, amount, unpriced) in merged.items()
    ]  # fmt: skip
    if group_by == "month":
        return sorted(rows, key=lambda r: (r.group == NO_NAME, r.group))
    return sorted(rows, key=lambda r: (r.group == NO_NAME, -r.amount, r.group))


_RENEWALS_UNGROUPED = re.compile(
    r"^(?!.*\b(by|per|each|across) (the )?(fund|funding|department|dept|vendor|category|type))"
    r".*\b(renew|up for renewal|expir)"
)


def _contract_grouping(slots: Mapping[str, Any], question: str) -> dict[str, Any]:
    """'By type' of contract is its category; one vendor named alone is shown as its own row."""
    if re.search(r"\b(by|per) (contract )?type\b", question.lower()):
        return {"group_by": "category"}
    if slots.get("vendor") and not slots.get("group_by"):
        return {"group_by": "vendor"}
    return {}


def _purchase_grouping(slots: Mapping[str, Any], question: str) -> dict[str, Any]:
    """PO spend groups by 'fund' (a question's "by funding source") and 'month' ("monthly")."""
    text = question.lower()
    if slots.get("group_by") == "funding_source":
        return {"group_by": "fund"}
    if re.search(r"\b(monthly|month by month|each month|per month)\b", text):
        return {"group_by": "month"}
    return {}


def _n(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _has(n: int) -> str:
    return "has" if n == 1 else "have"


TOOLS = (
    ToolSpec(
        name="contract_spend",
        func=contract_spend,
        args_model=ContractSpendArgs,
        description=(
            "What the district's contracts and subscriptions cost per year (annual cost), "
            "totalled and grouped by funding source, department, vendor or category; "
            "filtered by any of them, or to the contracts renewing in a window. Fund and "
            "department spellings are merged; the answer says which contracts it counted."
        ),
        examples=(
            "how much do our contracts cost per year by funding source?",
            "annual contract spend by department",
            "what does the technology department pay for subscriptions each year?",
            "how much of our software spend comes out of Title I?",
            "which vendors do we pay the most for contracts every year?",
            "total yearly cost of contracts paid from the general fund",
            "break down subscription costs by vendor",
            "what do the contracts renewing next fiscal year cost per year, by fund?",
        ),
        domain="contracts",
        measures=("cost",),
        refine=_contract_grouping,
        cues=(Cue("renewals_listed", _RENEWALS_UNGROUPED),),
        keywords=(
            "per year",
            "yearly",
            "contract spend",
            "contracts cost",
            "by fund",
            "by funding",
            "by department",
            "subscription cost",
        ),  # fmt: skip
        default_window=None,
        sensitive=True,
    ),
    ToolSpec(
        name="purchase_spend",
        func=purchase_spend,
        args_model=PurchaseSpendArgs,
        description=(
            "Money spent on purchase orders (PO lines from the finance export) in a fiscal "
            "year or any date window, totalled and grouped by fund, vendor, account code or "
            "month; one vendor's spend, the vendor matched however it is spelled. Totals are "
            "the export's own Amount column summed over the same lines."
        ),
        examples=(
            "how much did we spend on purchase orders last fiscal year by fund?",
            "what did we spend with Dell this fiscal year?",
            "PO spending by vendor since July 1",
            "how much have we spent out of ESSER this year?",
            "monthly purchase order totals for FY2026",
            "which vendors did we buy the most from last year?",
            "total spent by account code this fiscal year",
            "what did purchasing spend with CDW-G in the last 90 days?",
        ),
        domain="purchases",
        measures=("cost", "list"),
        reads=(("fund", "funding_source"),),
        refine=_purchase_grouping,
        keywords=(
            "purchase order",
            " po ",
            " pos ",
            "p.o.",
            "spent",
            "spend with",
            "bought",
            "purchas",
            "by account",
            "paid to",
            "invoice",
        ),  # fmt: skip
        default_window="this fiscal year",
        sensitive=True,
    ),
)
