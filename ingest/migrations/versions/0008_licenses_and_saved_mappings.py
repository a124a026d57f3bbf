"""software licenses, and column mappings remembered by header set

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08 00:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration: ``licenses`` (Snipe-IT's licenses export) and ``saved_mappings``.

    ``ingest_files.missing`` keeps the fields a file lacked, so an answer can name the gap.
    A licenses export used to load as devices; its expirations are now answered beside contract
    renewals. A mapping a person gave once (``--mapping`` or ``map``) is kept for the next export
    with the same headers.
    """
    op.create_table(
        "licenses",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("product", sa.String(255), nullable=False),
        sa.Column("occurrence", sa.Integer(), nullable=False),
        sa.Column("vendor_id", sa.Integer(), sa.ForeignKey("vendors.id")),
        sa.Column("seats", sa.Integer()),
        sa.Column("expiration_date", sa.Date()),
        sa.Column("purchase_cost", sa.Numeric(12, 2)),
        sa.Column("purchase_date", sa.Date()),
        sa.Column("order_number", sa.String(128)),
        sa.Column("product_key", sa.Text()),
        sa.Column("notes", sa.Text()),
        sa.Column("source_record_id", sa.Integer(), sa.ForeignKey("source_records.id")),
        sa.UniqueConstraint("product", "occurrence"),
    )
    op.create_index("ix_licenses_expiration_date", "licenses", ["expiration_date"])
    op.add_column("ingest_files", sa.Column("missing", sa.JSON(), nullable=True))
    op.create_table(
        "saved_mappings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("header_key", sa.String(64), nullable=False, unique=True),
        sa.Column("record_type", sa.String(64), nullable=False),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("file_name", sa.String(255)),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    """Revert this migration."""
    op.drop_table("saved_mappings")
    # ALTER TABLE ... DROP COLUMN in place: a recreated ingest_files would break the foreign keys
    # of every source record pointing at it (SQLite 3.35+ drops a column without a copy).
    with op.batch_alter_table("ingest_files", recreate="never") as batch:
        batch.drop_column("missing")
    op.drop_index("ix_licenses_expiration_date", table_name="licenses")
    op.drop_table("licenses")
