"""The names actually in the data (vendors, funding sources, schools...), for matching questions.

The planner matches words of a question against these, so "our Google contract" finds the vendor
the data calls "Google", and a name the data does not hold is never assumed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ingest.schema import Contract, Device, Location, Vendor


@dataclass(frozen=True)
class KnownNames:
    """Distinct names per kind of entity, as stored."""

    vendors: tuple[str, ...] = ()
    funding_sources: tuple[str, ...] = ()
    schools: tuple[str, ...] = ()
    products: tuple[str, ...] = field(default=())
    categories: tuple[str, ...] = ()


def known_names(session: Session) -> KnownNames:
    """Every vendor, funding source, school and product name in the database."""
    funding = session.scalars(
        select(func.trim(Contract.funding_source))
        .where(Contract.funding_source.is_not(None))
        .distinct()
    ).all()
    return KnownNames(
        vendors=tuple(session.scalars(select(Vendor.name).order_by(Vendor.name))),
        funding_sources=tuple(sorted({f for f in funding if f}, key=str.lower)),
        schools=tuple(session.scalars(select(Location.name).order_by(Location.name))),
        products=tuple(session.scalars(select(Contract.product).distinct())),
        categories=tuple(
            c for c in session.scalars(select(Device.category).distinct()) if c is not None
        ),
    )
