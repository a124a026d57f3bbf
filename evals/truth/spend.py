"""Contract spend, purchase spend, missed deadlines, repair spend and commitments, from the truth.

Written again over the truth model's plain objects (docs/definitions.md), never from the tools.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from evals.scoring import Fact, count, money
from evals.truth.common import as_date, fact
from ingest.sample import SampleDistrict, TruthContract

LAPSED = {"cancelled", "canceled", "expired"}


def _in_force(district: SampleDistrict, as_of: dt.date) -> list[TruthContract]:
    return [c for c in district.contracts
            if c.renewal_date >= as_of and c.status.lower() not in LAPSED]  # fmt: skip


@fact
def contract_spend(district: SampleDistrict, as_of: dt.date, group: str) -> list[Fact]:
    """The annual cost of the contracts in force, in all and for one funding source's group
    (``group``: a row of the breakdown, not a filter)."""
    found = _in_force(district, as_of)
    total = sum((c.annual_cost for c in found), Decimal(0))
    one = sum((c.annual_cost for c in found if c.funding == group), Decimal(0))
    return [money(total, "annual cost of contracts in force"), money(one, f"{group} share")]


@fact
def purchases(
    district: SampleDistrict, as_of: dt.date, start: str, end: str, fund: str | None = None
) -> list[Fact]:
    """PO lines dated in [start, end] (one fund's, when given): the sum of their amounts."""
    first, last = as_date(start), as_date(end)
    found = [p for p in district.purchases if first <= p.po_date <= last  # type: ignore[operator]
             and (fund is None or p.fund == fund)]  # fmt: skip
    return [money(sum((p.amount for p in found), Decimal(0)), "PO spend")]


@fact
def missed_deadlines(district: SampleDistrict, as_of: dt.date) -> list[Fact]:
    """Notice deadlines already passed on contracts that still renew: how many, at what cost."""
    found = [c for c in district.contracts if c.notice_days is not None
             and c.renewal_date >= as_of
             and c.renewal_date - dt.timedelta(days=c.notice_days) < as_of]  # fmt: skip
    return [count(len(found), "missed deadlines"),
            money(sum((c.annual_cost for c in found), Decimal(0)), "their annual cost")]  # fmt: skip


@fact
def repair_parts(district: SampleDistrict, as_of: dt.date, start: str, end: str) -> list[Fact]:
    """Parts spent on tickets opened in [start, end] (labour left out)."""
    first, last = as_date(start), as_date(end)
    parts = sum((t.parts_cost for t in district.tickets
                 if first <= t.opened.date() <= last and t.parts_cost > 0),  # type: ignore[operator]
                Decimal(0))  # fmt: skip
    return [money(parts, "repair parts")]


@fact
def renewals_committed(district: SampleDistrict, as_of: dt.date, fiscal_year: int) -> list[Fact]:
    """Contract renewals falling in one fiscal year (July start): each contract in force renews
    on its date and every term after (12 months with none on file)."""
    start, end = dt.date(fiscal_year - 1, 7, 1), dt.date(fiscal_year, 6, 30)
    total = Decimal(0)
    for c in _in_force(district, as_of):
        step = 0
        while (day := c.renewal_date + relativedelta(months=(c.term_months or 12) * step)) <= end:
            if day >= start:
                total += c.annual_cost
            step += 1
    return [money(total, f"FY{fiscal_year} contract renewals")]
