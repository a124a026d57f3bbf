"""Software licenses expiring in a window, answered beside contract renewals.

Not a tool of its own: ``contracts_renewing`` lists the licenses whose expiration falls in its
window (a Snipe-IT licenses export or a homemade license list, ``licenses`` table), since "what
renews next quarter?" means both.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.schema import License, Vendor


class LicenseRow(BaseModel):
    """One software license expiring in the window."""

    product: str
    vendor: str | None
    expiration_date: dt.date
    seats: int | None
    purchase_cost: Decimal | None


def licenses_expiring(session: Session, start: dt.date, end: dt.date) -> list[LicenseRow]:
    """Licenses whose expiration date falls in [start, end], soonest first."""
    query = (
        select(License, Vendor.name)
        .outerjoin(Vendor, Vendor.id == License.vendor_id)
        .where(License.expiration_date >= start, License.expiration_date <= end)
        .order_by(License.expiration_date, License.product)
    )
    return [
        LicenseRow(
            product=lic.product,
            vendor=vendor,
            expiration_date=lic.expiration_date,
            seats=lic.seats,
            purchase_cost=lic.purchase_cost,
        )  # fmt: skip
        for lic, vendor in session.execute(query)
        if lic.expiration_date is not None
    ]


def licenses_note(rows: list[LicenseRow]) -> str | None:
    """One note naming the licenses that expire in the window, or None."""
    if not rows:
        return None
    shown = "; ".join(
        f"{r.product} ({r.expiration_date.isoformat()}"
        + (f", {r.seats} seats" if r.seats is not None else "")
        + ")"
        for r in rows[:10]
    )
    more = f" and {len(rows) - 10} more" if len(rows) > 10 else ""
    noun = "license expires" if len(rows) == 1 else "licenses expire"
    return f"{len(rows)} software {noun} in this window too: {shown}{more}."
