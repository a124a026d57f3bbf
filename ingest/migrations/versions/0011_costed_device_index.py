"""the costed tickets of each device by opened date

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08 01:55:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COSTED_LINKED = "device_id IS NOT NULL AND (parts_cost > 0 OR labor_minutes > 0)"


def upgrade() -> None:
    """Apply this migration: a partial index of the costed tickets linked to a device.

    Repair spend by device model walks the devices in model order and reads each device's
    costed tickets of the window from this index alone, so the sums stream per model instead of
    joining every ticket to its device and sorting a million rows by model.
    """
    op.create_index(
        "ix_tickets_costed_device",
        "tickets",
        ["device_id", "opened_at", "location_id", "category", "parts_cost", "labor_minutes"],
        sqlite_where=sa.text(COSTED_LINKED),
        postgresql_where=sa.text(COSTED_LINKED),
    )


def downgrade() -> None:
    """Revert this migration."""
    op.drop_index("ix_tickets_costed_device", table_name="tickets")
