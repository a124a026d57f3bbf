"""What the district is committed to spend, fiscal year by fiscal year: renewals plus refresh.

Two commitments a business office plans for, in one table:

* contract renewals: every contract still in force renews at its annual cost on its renewal
  date, then every term (12 months when the tracker gives no term, and the answer says so),
  until someone cancels it; each renewal counts in the fiscal year it falls in, at today's cost
  (no price is forecast);
* the device replacement budget: ``replacement_budget`` for the same fiscal years (count times
  the category's unit cost), devices already overdue apart.

By fund where the data says: contracts carry their funding source; devices carry none, so
replacements sit under "(fund not on file)".
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, Field
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ingest.schema import Contract
from tools.base import ToolResult, ToolSpec, sources_of
from tools.cues import Cue
from tools.names import labels, name_key
from tools.replacement import (
    BudgetArgs,
    FiscalYearTotal,
    _calendar,
    plan_years,
    replacement_budget,
)
from tools.spend import LAPSED

DEFAULT_TERM_MONTHS = 12
NO_FUND = "(fund not on file)"


class SpendCommitmentsArgs(BaseModel):
    """Which fiscal years, and whether to split them by fund."""

    as_of: dt.date = Field(description="Today; plans start with the next fiscal year.")
    start_fy: int | None = Field(default=None, description="First fiscal year (2028).")
    end_fy: int | None = Field(default=None, description="Last fiscal year (2032).")
    years: int = Field(default=5, ge=1, le=10, description="Fiscal years, when no end_fy.")
    by_fund: bool = Field(default=False, description="Split each year by funding source.")


class CommitmentRow(BaseModel):
    """One fiscal year (and fund, when split): renewals plus replacements."""

    fiscal_year: str
    start: dt.date
    end: dt.date
    fund: str | None = None
    renewals: int
    renewal_cost: Decimal
    devices: int
    replacement_cost: Decimal
    total: Decimal


class SpendCommitmentsResult(ToolResult):
    """Per fiscal year (and fund), what renewals and replacements commit the district to."""

    rows: list[CommitmentRow]
    total_renewal_cost: Decimal
    total_replacement_cost: Decimal
    total: Decimal
    by_fund: bool
    overdue_devices: int
    overdue_cost: Decimal


def spend_commitments(session: Session, args: SpendCommitmentsArgs) -> SpendCommitmentsResult:
    """Contract renewals projected over the fiscal years, plus the replacement budget."""
    calendar = _calendar(session)
    next_fy = calendar.fiscal_year(args.as_of) + 1
    first, last = plan_years(next_fy, args.start_fy, args.end_fy, args.years)
    budget = replacement_budget(session, BudgetArgs(
        as_of=args.as_of, start_fy=first, end_fy=last, years=min(last - first + 1, 6),
    ))  # fmt: skip
    plan_end = calendar.year_bounds(last)[1]
    contracts = session.scalars(
        select(Contract).where(
            Contract.renewal_date >= args.as_of, Contract.renewal_date <= plan_end,
            or_(Contract.status.is_(None), func.lower(func.trim(Contract.status)).not_in(LAPSED)),
        ).order_by(Contract.renewal_date, Contract.id)
    ).all()  # fmt: skip
    fund_label = labels("funding_source", ((c.funding_source, 1) for c in contracts))
    renewals: dict[tuple[int, str | None], list[Decimal]] = defaultdict(list)
    termless = unpriced = 0
    for contract in contracts:
        termless += contract.term_months is None
        unpriced += contract.annual_cost is None
        fund = name_key("funding_source", contract.funding_source) if args.by_fund else None
        for day in _renewals(contract, plan_end):
            fy = calendar.fiscal_year(day)
            if first <= fy <= last:
                renewals[(fy, fund)].append(contract.annual_cost or Decimal(0))
    rows = []
    for year in budget.years:
        fy = int(year.fiscal_year.removeprefix("FY"))
        if not args.by_fund:
            rows.append(_row(year, None, renewals.get((fy, None), []), year.count, year.cost))
            continue
        funded = sorted((fund_label[f], f) for y, f in renewals if y == fy and f is not None)
        rows += [_row(year, label, renewals[(fy, key)], 0, Decimal(0)) for label, key in funded]
        unfunded = renewals.get((fy, None), [])
        if unfunded or year.count:
            rows.append(_row(year, NO_FUND, unfunded, year.count, year.cost))
    refs, systems = sources_of(session, (c.source_record_id for c in contracts))
    total_renewals = sum((r.renewal_cost for r in rows), Decimal(0))
    return SpendCommitmentsResult(
        rows=rows, total_renewal_cost=total_renewals, total_replacement_cost=budget.total_cost,
        total=total_renewals + budget.total_cost, by_fund=args.by_fund,
        overdue_devices=budget.overdue.count, overdue_cost=budget.overdue.cost,
        count=len(contracts) + budget.total_count, sources=refs + budget.sources,
        systems=sorted(set(systems) | set(budget.systems)),
        notes=_notes(termless, unpriced, args.by_fund) + budget.notes,
    )  # fmt: skip


def _renewals(contract: Contract, until: dt.date) -> list[dt.date]:
    """The renewal date, then one every term, up to ``until``."""
    if contract.renewal_date is None:
        return []
    term = contract.term_months or DEFAULT_TERM_MONTHS
    days, step = [], 0
    while (day := contract.renewal_date + relativedelta(months=term * step)) <= until:
        days.append(day)
        step += 1
    return days


def _row(year: FiscalYearTotal, fund: str | None, costs: list[Decimal], devices: int,
         replacement: Decimal) -> CommitmentRow:  # fmt: skip
    renewal = sum(costs, Decimal(0))
    return CommitmentRow(
        fiscal_year=year.fiscal_year, start=year.start, end=year.end, fund=fund,
        renewals=len(costs),
        renewal_cost=renewal, devices=devices, replacement_cost=replacement,
        total=renewal + replacement,
    )  # fmt: skip


def _notes(termless: int, unpriced: int, by_fund: bool) -> list[str]:
    notes = [
        "Committed spend here is contract renewals (each contract still in force renewing at "
        "its annual cost, every term, until cancelled) plus the device replacement budget "
        "(count times the category's unit cost); today's costs, no price forecast."
    ]
    if termless:
        notes.append(f"{termless} contract{'' if termless == 1 else 's'} {'has' if termless == 1 else 'have'}"
                     f" no term on file; taken to renew every {DEFAULT_TERM_MONTHS} months.")  # fmt: skip
    if unpriced:
        notes.append(f"{unpriced} contract{'' if unpriced == 1 else 's'} "
                     f"{'has' if unpriced == 1 else 'have'} no annual cost on file; the totals "
                     "leave them out.")  # fmt: skip
    if by_fund:
        notes.append("Devices carry no funding source in the data, so the replacement budget "
                     f"is shown under {NO_FUND}.")  # fmt: skip
    return notes


_BOTH = re.compile(r"\b(renew\w*|contracts?|subscriptions?)\b.*\b(replac\w*|refresh\w*)"
                   r"|\b(replac\w*|refresh\w*)\b.*\b(renew\w*|contracts?|subscriptions?)\b")  # fmt: skip
_BY_FUND = re.compile(r"\b(by|per|each|split by|broken down by|across) (the )?(fund|funding)")


def _by_fund(slots: Mapping[str, Any], question: str) -> dict[str, Any]:
    """Split by fund when the question asks for it ("by fund", "per funding source")."""
    wants = slots.get("group_by") == "funding_source" or _BY_FUND.search(question.lower())
    return {"by_fund": True} if wants else {}


TOOLS = (
    ToolSpec(
        name="spend_commitments",
        func=spend_commitments,
        args_model=SpendCommitmentsArgs,
        description=(
            "What the district is committed to spend in each coming fiscal year: contract "
            "renewals at their annual cost plus the device replacement budget, per fiscal year "
            "and optionally by fund, in one table."
        ),
        examples=(
            "what are we committed to spend over the next five fiscal years?",
            "committed spending by fiscal year, contracts plus device replacement",
            "how much is already locked in for FY2029 by fund?",
            "what do renewals and refresh add up to each year through FY2031?",
            "multi-year contract and refresh commitments",
            "contract renewals plus device refresh for each fiscal year, split by fund",
        ),
        domain="budget",
        measures=("cost", "list"),
        refine=_by_fund,
        cues=(Cue("renewals_and_refresh", _BOTH),),
        keywords=(
            "committed",
            "commitment",
            "locked in",
            "obligat",
            "multi-year",
            "renewals and",
            "contracts plus",
            "contracts and replac",
            "on the hook",
        ),  # fmt: skip
        default_window=None,
        sensitive=True,
    ),
)
