"""device rollups

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 20:17:01.371744
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""

    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("replacement_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("replacement_reason", sa.String(length=16), nullable=True))
        batch_op.add_column(
            sa.Column("ticket_count", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("repair_count", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "parts_total", sa.Numeric(precision=12, scale=2), server_default="0", nullable=False
            )
        )
        batch_op.add_column(
            sa.Column("labor_minutes_total", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.create_index(
            batch_op.f("ix_devices_replacement_date"), ["replacement_date"], unique=False
        )
        batch_op.create_index(
            "ix_devices_replacement_cover",
            ["is_active", "category", "replacement_date", "location_id"],
            unique=False,
        )

    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_tickets_device_id")
        batch_op.create_index(
            "ix_tickets_device_repairs", ["device_id", "is_repair", "category"], unique=False
        )
        batch_op.create_index("ix_tickets_closed_at", ["closed_at"], unique=False)
        batch_op.create_index("ix_tickets_device_serial", ["device_serial"], unique=False)
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.create_index("ix_devices_warranty_end", ["warranty_end"], unique=False)


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_index("ix_devices_warranty_end")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_tickets_device_serial")
        batch_op.drop_index("ix_tickets_closed_at")
        batch_op.drop_index("ix_tickets_device_repairs")
        batch_op.create_index("ix_tickets_device_id", ["device_id"], unique=False)

    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_index("ix_devices_replacement_cover")
        batch_op.drop_index(batch_op.f("ix_devices_replacement_date"))
        batch_op.drop_column("labor_minutes_total")
        batch_op.drop_column("parts_total")
        batch_op.drop_column("repair_count")
        batch_op.drop_column("ticket_count")
        batch_op.drop_column("replacement_reason")
        batch_op.drop_column("replacement_date")
