"""summary tables and indexes that keep every tool fast

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 22:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(precision=12, scale=2)


def upgrade() -> None:
    """Apply this migration: summaries ingest rebuilds, a timed-ticket column, covering indexes.

    A store that already holds data gets its summaries filled here, from its facts, by the same
    code ingest runs after every file (ingest/rollups.py), so answers stay right on upgrade.
    """
    op.create_table(
        "device_summary",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=255), nullable=True),
        sa.Column("category", sa.String(length=64), nullable=True),
        sa.Column("manufacturer", sa.String(length=255), nullable=True),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=64), nullable=True),
        sa.Column("devices", sa.Integer(), nullable=False),
        sa.Column("dated", sa.Integer(), nullable=False),
        sa.Column("costed", sa.Integer(), nullable=False),
        sa.Column("purchase_days", sa.Float(), nullable=False),
        sa.Column("latest_purchase", sa.Date(), nullable=True),
        sa.Column("purchase_total", MONEY, nullable=False),
        sa.Column("purchase_total_dated", MONEY, nullable=False),
        sa.Column("repairs", sa.Integer(), nullable=False),
        sa.Column("repairs_dated", sa.Integer(), nullable=False),
        sa.Column("parts_total", MONEY, nullable=False),
        sa.Column("parts_total_dated", MONEY, nullable=False),
        sa.Column("labor_minutes", sa.Integer(), nullable=False),
        sa.Column("labor_minutes_dated", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_summary")),
    )
    op.create_table(
        "repair_summary",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=255), nullable=True),
        sa.Column("device_category", sa.String(length=64), nullable=True),
        sa.Column("manufacturer", sa.String(length=255), nullable=True),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=128), nullable=True),
        sa.Column("linked", sa.Boolean(), nullable=False),
        sa.Column("repairs", sa.Integer(), nullable=False),
        sa.Column("costed", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repair_summary")),
    )
    op.create_table(
        "ticket_opened_days",
        *_day_keys(),
        sa.Column("tickets", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_opened_days")),
    )
    op.create_index(
        "ix_ticket_opened_days_day", "ticket_opened_days", ["all_schools", "day"], unique=False
    )
    op.create_table(
        "ticket_closed_days",
        *_day_keys(),
        sa.Column("timed", sa.Integer(), nullable=False),
        sa.Column("timed_seconds", sa.Float(), nullable=False),
        sa.Column("reopened", sa.Integer(), nullable=False),
        sa.Column("closed_undated", sa.Integer(), nullable=False),
        sa.Column("backwards", sa.Integer(), nullable=False),
        sa.Column("unplaced", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_closed_days")),
    )
    op.create_index(
        "ix_ticket_closed_days_day", "ticket_closed_days", ["all_schools", "day"], unique=False
    )
    op.create_table(
        "ticket_closed_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("all_schools", sa.Boolean(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("category", sa.String(length=128), nullable=True),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("system", sa.String(length=64), nullable=False),
        sa.Column("tickets", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_closed_values")),
    )
    op.create_index(
        "ix_ticket_closed_values_day", "ticket_closed_values", ["all_schools", "day"], unique=False
    )
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("resolution_seconds", sa.Integer(), nullable=True))
        batch_op.create_index(
            "ix_tickets_open_cover",
            ["is_open", "location_id", "opened_at", "category", "system"],
            unique=False,
        )
        # Boolean indexes: too unselective to help, and SQLite (no statistics) prefers them.
        batch_op.drop_index("ix_tickets_is_open")
        batch_op.drop_index("ix_tickets_is_repair")
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.create_index(
            "ix_devices_warranty_cover", ["is_active", "warranty_end", "category"], unique=False
        )
        batch_op.create_index(
            "ix_devices_holder", ["person_id", "is_active", "serial"], unique=False
        )
        batch_op.drop_index("ix_devices_replacement_date")
        batch_op.drop_index("ix_devices_is_active")
        batch_op.drop_index("ix_devices_category")
        batch_op.create_index("ix_devices_listing", ["category", "model", "serial"], unique=False)
        batch_op.create_index(
            "ix_devices_replacement_order", ["replacement_date", "serial"], unique=False
        )
    _fill_from_facts()


def _fill_from_facts() -> None:
    from sqlalchemy.orm import Session

    from ingest.rollups import refresh_device_summaries, refresh_resolution_seconds

    # The per-day ticket summaries are filled by 0009, whose columns today's rollup code writes.

    session = Session(bind=op.get_bind())
    refresh_resolution_seconds(session)
    refresh_device_summaries(session)
    session.flush()


def _day_keys() -> list[sa.Column]:
    """The key columns both per-day ticket summaries share (fresh objects for each table)."""
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("all_schools", sa.Boolean(), nullable=False),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("category", sa.String(length=128), nullable=True),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("system", sa.String(length=64), nullable=False),
    ]


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_index("ix_devices_replacement_order")
        batch_op.create_index("ix_devices_is_active", ["is_active"], unique=False)
        batch_op.drop_index("ix_devices_listing")
        batch_op.create_index("ix_devices_category", ["category"], unique=False)
        batch_op.create_index("ix_devices_replacement_date", ["replacement_date"], unique=False)
        batch_op.drop_index("ix_devices_holder")
        batch_op.drop_index("ix_devices_warranty_cover")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.create_index("ix_tickets_is_repair", ["is_repair"], unique=False)
        batch_op.create_index("ix_tickets_is_open", ["is_open"], unique=False)
        batch_op.drop_index("ix_tickets_open_cover")
        batch_op.drop_column("resolution_seconds")
    op.drop_index("ix_ticket_closed_values_day", table_name="ticket_closed_values")
    op.drop_table("ticket_closed_values")
    op.drop_index("ix_ticket_closed_days_day", table_name="ticket_closed_days")
    op.drop_table("ticket_closed_days")
    op.drop_index("ix_ticket_opened_days_day", table_name="ticket_opened_days")
    op.drop_table("ticket_opened_days")
    op.drop_table("repair_summary")
    op.drop_table("device_summary")
