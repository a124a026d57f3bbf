"""a contract's category, PO lines by date, costed tickets by date

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08 00:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration: contract spend by category, PO spend by date window.

    ``contracts.category`` keeps what a tracker calls the kind of contract (software,
    connectivity, maintenance) so spend can be grouped by it. Purchase spend reads the PO lines
    of a window: the index on ``po_date`` finds them without reading every line. The fund of a
    PO line (``purchases.fund``) has been a column since 0001; ingest now also reads it from a
    Fund column. Repair spend sums the parts and labour of the tickets opened in a window: a
    partial index holds only the tickets with a cost, with the columns the sums group by.
    """
    with op.batch_alter_table("contracts") as batch:
        batch.add_column(sa.Column("category", sa.String(length=128), nullable=True))
    op.create_index("ix_purchases_po_date", "purchases", ["po_date"])
    # Repair spend by school or category over a window reads the opened-day summary: the
    # costed tickets and their parts and labour, summed per day in the same pass as the counts.
    with op.batch_alter_table("ticket_opened_days") as batch:
        for name in ("costed", "parts_tickets", "labour_tickets", "labour_minutes"):
            batch.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("parts", sa.Numeric(12, 2), nullable=False, server_default="0"))
    # Repair spend over a window reads only the tickets with a cost, from the index alone.
    costed = sa.text("parts_cost > 0 OR labor_minutes > 0")
    op.create_index(
        "ix_tickets_costed",
        "tickets",
        ["opened_at", "location_id", "category", "device_id", "parts_cost", "labor_minutes"],
        sqlite_where=costed,
        postgresql_where=costed,
    )

    _fill_ticket_days()


def _fill_ticket_days() -> None:
    """Rebuild the per-day ticket summaries from the tickets, with the new columns, by the code
    ingest runs after every ticket file (it also fills them for a store coming from 0004)."""
    from sqlalchemy.orm import Session

    from ingest.rollups import refresh_ticket_days

    session = Session(bind=op.get_bind())
    refresh_ticket_days(session)
    session.flush()


def downgrade() -> None:
    """Revert this migration."""
    op.drop_index("ix_tickets_costed", table_name="tickets")
    op.drop_index("ix_purchases_po_date", table_name="purchases")
    with op.batch_alter_table("ticket_opened_days") as batch:
        for name in ("costed", "parts_tickets", "labour_tickets", "labour_minutes", "parts"):
            batch.drop_column(name)
    with op.batch_alter_table("contracts") as batch:
        batch.drop_column("category")
