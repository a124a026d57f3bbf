"""indexes for a person's tickets, a device's former holders and the Chromebooks' AUE dates

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08 01:55:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration: person_repairs and end_of_support without scanning whole tables.

    On a 100,000-device, 1,000,000-ticket store "what was fixed on Ann Lee's laptop?" read every
    ticket to find the ones she opened or that only name her (about 2 s), and "which Chromebooks
    reach AUE next year?" read every device three times (about 200 ms). ``tickets`` by requester
    (id, then the name as written, for tickets matched to nobody), ``changes`` by the field and
    the old value (a device's former holder) and the active devices in AUE order (holding what
    the counts and the first rows need) answer both from indexes.
    """
    op.create_index("ix_tickets_requester", "tickets", ["requester_id", "requester", "device_id"])
    op.create_index("ix_changes_old_value", "changes", ["table_name", "field", "old_value"])
    op.create_index(
        "ix_devices_aue_cover",
        "devices",
        ["is_active", "aue_date", "serial", "model", "category", "location_id"],
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite" and _analyzed(bind):
        # Beside statistics for the other indexes, an index with none looks too costly to use.
        op.execute("ANALYZE ix_tickets_requester")
        op.execute("ANALYZE ix_changes_old_value")
        op.execute("ANALYZE ix_devices_aue_cover")


def _analyzed(bind: sa.Connection) -> bool:
    has_stats = bind.execute(
        sa.text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
    ).first()
    if has_stats is None:
        return False
    return bind.execute(sa.text("SELECT 1 FROM sqlite_stat1 LIMIT 1")).first() is not None


def downgrade() -> None:
    """Revert this migration."""
    op.drop_index("ix_devices_aue_cover", table_name="devices")
    op.drop_index("ix_changes_old_value", table_name="changes")
    op.drop_index("ix_tickets_requester", table_name="tickets")
