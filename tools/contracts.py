"""Contracts and renewals: what renews when, and by when it must be cancelled.

The notice deadline (renewal date minus the notice period) is what matters: a reminder on the
renewal date itself comes too late to cancel an automatic renewal.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel, Field
from rapidfuzz import fuzz, process
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ingest.schema import Contract, Vendor
from tools.base import ToolResult, ToolSpec, sources_of
from tools.field_gaps import missing_field_note
from tools.licenses import LicenseRow, licenses_expiring, licenses_note


class ContractsRenewingArgs(BaseModel):
    """A renewal window, optionally narrowed to one vendor or funding source."""

    start: dt.date = Field(description="First renewal date to include (YYYY-MM-DD).")
    end: dt.date = Field(description="Last renewal date to include (YYYY-MM-DD).")
    vendor: str | None = Field(default=None, description="Only this vendor (fuzzy).")
    funding_source: str | None = Field(default=None, description="Only this funding source.")


class ContractRow(BaseModel):
    """One contract renewing in the window."""

    vendor: str
    product: str
    renewal_date: dt.date | None
    notice_deadline: dt.date | None
    notice_days: int | None
    auto_renew: bool | None
    annual_cost: Decimal | None
    funding_source: str | None
    department: str | None
    source: str | None = None


class ContractsRenewingResult(ToolResult):
    """Contracts renewing in the window, soonest first, with their total annual cost."""

    rows: list[ContractRow]
    total_annual_cost: Decimal
    start: dt.date
    end: dt.date
    licenses: list[LicenseRow] = Field(
        default_factory=list, description="Software licenses expiring in the same window."
    )


def contracts_renewing(session: Session, args: ContractsRenewingArgs) -> ContractsRenewingResult:
    """Contracts whose renewal date falls in [start, end], with notice deadlines and auto-renewal."""
    query = (
        select(Contract, Vendor.name)
        .join(Vendor, Vendor.id == Contract.vendor_id)
        .where(Contract.renewal_date >= args.start, Contract.renewal_date <= args.end)
        .order_by(Contract.renewal_date, Vendor.name, Contract.product)
    )
    if args.vendor:
        query = query.where(Vendor.id.in_(match_vendor_ids(session, args.vendor)))
    if args.funding_source:
        wanted = args.funding_source.strip().lower()
        query = query.where(func.lower(func.trim(Contract.funding_source)) == wanted)
    found = session.execute(query).all()
    refs, systems = sources_of(session, (c.source_record_id for c, _ in found))
    ref_by_id = dict(zip([c.source_record_id for c, _ in found], refs, strict=False))
    rows = [
        contract_row(contract, vendor, ref_by_id.get(contract.source_record_id))
        for contract, vendor in found
    ]
    total = sum((r.annual_cost or Decimal(0) for r in rows), Decimal(0))
    notes = []
    if missing := sum(1 for r in rows if r.notice_days is None):
        notes.append(f"{_of_these(missing)} no notice period on file, so no cancel-by date.")
    if unpriced := sum(1 for r in rows if r.annual_cost is None):
        notes.append(f"{_of_these(unpriced)} no annual cost on file; the total leaves them out.")
    gap = missing_field_note(
        session, Contract, Contract.renewal_date, "contract", "renewal_date", "a renewal date"
    )
    licenses = licenses_expiring(session, args.start, args.end)
    notes += [note for note in (gap, licenses_note(licenses)) if note]
    return ContractsRenewingResult(
        rows=rows, count=len(rows), total_annual_cost=total, start=args.start, end=args.end,
        sources=refs, systems=systems, notes=notes, licenses=licenses,
    )  # fmt: skip


def _of_these(n: int) -> str:
    return f"{n} of these {'has' if n == 1 else 'have'}"


def contract_row(contract: Contract, vendor: str, source: str | None) -> ContractRow:
    """One contract as every contract tool shows it (renewals, notice deadlines)."""
    return ContractRow(
        vendor=vendor, product=contract.product, renewal_date=contract.renewal_date,
        notice_deadline=contract.notice_deadline, notice_days=contract.notice_days,
        auto_renew=contract.auto_renew, annual_cost=contract.annual_cost,
        funding_source=contract.funding_source, department=contract.department, source=source,
    )  # fmt: skip


def match_vendor_ids(session: Session, name: str, cutoff: float = 80.0) -> list[int]:
    """Vendor ids whose name matches ``name`` fuzzily (all close matches, best first)."""
    vendors = {
        name: vendor_id for name, vendor_id in session.execute(select(Vendor.name, Vendor.id))
    }
    matches = process.extract(name, list(vendors), scorer=fuzz.WRatio, score_cutoff=cutoff)
    return [vendors[match] for match, _, _ in matches]


TOOLS = (
    ToolSpec(
        name="contracts_renewing",
        measures=("cost", "list", "count"),
        func=contracts_renewing,
        args_model=ContractsRenewingArgs,
        description=(
            "Contracts and subscriptions whose renewal date falls in a date window, with the "
            "notice deadline (last day to cancel), whether each auto-renews, the annual cost and "
            "the total. Optionally for one vendor or funding source."
        ),
        examples=(
            "what renews next quarter?",
            "which contracts renew in the next 90 days?",
            "what renews before June 30?",
            "which subscriptions are up for renewal this fiscal year?",
            "when does our Google contract renew?",
            "what do we need to cancel or renew next month?",
            "which software licenses expire this year?",
            "what's the cancel-by date for the Zoom contract?",
            "which contracts auto-renew in the next six months?",
            "how much is coming up for renewal in FY2028?",
            "what does our Adobe agreement cost per year and when does it end?",
            "which E-Rate funded contracts renew this spring?",
            "upcoming vendor renewals and their notice deadlines",
            "what do we pay Microsoft each year?",
        ),
        domain="contracts",
        keywords=("renew", "contract", "subscription", "cancel", "notice", "licens", "expir"),
        default_window="the next 12 months",
        sensitive=True,
    ),
)
