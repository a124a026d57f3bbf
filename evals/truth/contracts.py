"""Renewals, notice deadlines, spend and contract lookups, from the truth's contracts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from evals.scoring import Fact, count, day, money, text
from evals.truth.common import as_date, fact
from ingest.sample import (
    SampleDistrict,
    TruthContract,
)

# --- contracts -------------------------------------------------------------------------------------


def _renewing(
    district: SampleDistrict, start: dt.date, end: dt.date, vendor: str | None, funding: str | None
) -> list[TruthContract]:
    found = [
        c
        for c in district.contracts
        if start <= c.renewal_date <= end
        and (vendor is None or c.vendor == vendor)
        and (funding is None or c.funding == funding)
    ]
    return sorted(found, key=lambda c: (c.renewal_date, c.row))


@fact
def renewals(
    district: SampleDistrict,
    as_of: dt.date,
    start: str,
    end: str,
    vendor: str | None = None,
    funding: str | None = None,
    deadlines: bool = False,
) -> list[Fact]:
    """Contracts renewing in [start, end]: how many and their annual cost (and cancel-by dates)."""
    found = _renewing(district, as_date(start), as_date(end), vendor, funding)  # type: ignore[arg-type]
    facts = [count(len(found), "contracts renewing")]
    if found:
        facts.append(money(sum((c.annual_cost for c in found), Decimal(0)), "total annual cost"))
    if deadlines:
        for c in found[:10]:
            if c.notice_days is not None:
                deadline = c.renewal_date - dt.timedelta(days=c.notice_days)
                facts.append(day(deadline, f"cancel-by date of {c.product}"))
    return facts


@fact
def next_renewal(district: SampleDistrict, as_of: dt.date, vendor: str) -> list[Fact]:
    """A vendor's soonest upcoming renewal: its date and product."""
    upcoming = sorted(
        (c for c in district.contracts if c.vendor == vendor and c.renewal_date > as_of),
        key=lambda c: (c.renewal_date, c.row),
    )
    if not upcoming:
        raise ValueError(f"{vendor} has no upcoming renewal: fix the case")
    first = upcoming[0]
    facts = [day(first.renewal_date, f"{vendor}'s next renewal"), text(first.product, "product")]
    if first.notice_days is not None:
        deadline = first.renewal_date - dt.timedelta(days=first.notice_days)
        facts.append(day(deadline, "its cancel-by date"))
    return facts
