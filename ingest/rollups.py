"""Per-device figures kept current by ingest, so questions over a million tickets stay fast.

The replacement date follows the policy in ``replacement_policies`` (synced from settings):
purchase date plus the category's cycle; for a Chromebook with an AUE date, the earlier of the
two (a tie counts as "cycle"); none when neither is known. Ticket rollups are counts and sums of
the tickets linked to each device. Both are recomputed in SQL at the end of a load and when the
policy changes; nothing here is read by ingest itself.
"""

from __future__ import annotations

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.orm import Session

from ingest.schema import Device, ReplacementPolicyRow, Ticket
from ingest.sqlfuncs import add_years


def refresh_replacement_dates(session: Session) -> None:
    """Recompute every device's replacement date and reason from the policy table."""
    cycle_years = (
        select(ReplacementPolicyRow.cycle_years)
        .where(func.lower(ReplacementPolicyRow.category) == func.lower(Device.category))
        .scalar_subquery()
    )
    cycle = add_years(Device.purchase_date, cycle_years)
    aue = case((func.lower(Device.category) == "chromebook", Device.aue_date))
    aue_first = and_(aue.is_not(None), or_(cycle.is_(None), aue < cycle))
    has_policy = cycle_years.is_not(None)
    session.execute(
        update(Device)
        .values(
            replacement_date=case((~has_policy, None), (aue_first, aue), else_=cycle),
            replacement_reason=case(
                (~has_policy, None), (aue_first, "AUE"), (cycle.is_not(None), "cycle"), else_=None
            ),
        )
        .execution_options(synchronize_session=False)
    )


def refresh_ticket_rollups(session: Session) -> None:
    """Recompute each device's ticket count, repair count, parts and labour from its tickets."""
    totals = (
        select(
            Ticket.device_id.label("device_id"),
            func.count().label("tickets"),
            func.sum(case((Ticket.is_repair.is_(True), 1), else_=0)).label("repairs"),
            func.coalesce(func.sum(Ticket.parts_cost), 0).label("parts"),
            func.coalesce(func.sum(Ticket.labor_minutes), 0).label("minutes"),
        )
        .where(Ticket.device_id.is_not(None))
        .group_by(Ticket.device_id)
        .subquery()
    )
    session.execute(
        update(Device)
        .where(Device.ticket_count != 0)
        .values(ticket_count=0, repair_count=0, parts_total=0, labor_minutes_total=0)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(Device)
        .where(Device.id == totals.c.device_id)
        .values(
            ticket_count=totals.c.tickets,
            repair_count=totals.c.repairs,
            parts_total=totals.c.parts,
            labor_minutes_total=totals.c.minutes,
        )
        .execution_options(synchronize_session=False)
    )
