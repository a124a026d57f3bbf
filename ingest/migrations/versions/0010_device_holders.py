"""device_holders: who each system says holds each device

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 00:40:00.000000
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration: the table, filled from the systems' stored views of each device.

    A device's holder was only the one owner its merge picked, so an owner named by one system
    alone (a Snipe-IT "checked out to" name) was lost; every system's holder is kept now.
    """
    op.create_table(
        "device_holders",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("device_id", sa.Integer(), sa.ForeignKey("devices.id"), nullable=False),
        sa.Column("system", sa.String(64), nullable=False),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("people.id"), nullable=True),
        sa.Column("owner_email", sa.String(255), nullable=True),
        sa.Column("owner_name", sa.String(255), nullable=True),
        sa.Column("owner_employee_id", sa.String(64), nullable=True),
        sa.Column(
            "source_record_id", sa.Integer(), sa.ForeignKey("source_records.id"), nullable=True
        ),
        sa.UniqueConstraint("device_id", "system"),
    )
    op.create_index("ix_device_holders_person_id", "device_holders", ["person_id"])
    _backfill(op.get_bind())


def _backfill(bind: sa.Connection) -> None:
    from ingest.people_match import email_key, employee_key

    meta = sa.MetaData()
    views = sa.Table("fact_sources", meta, autoload_with=bind)
    people = sa.Table("people", meta, autoload_with=bind)
    holders = sa.Table("device_holders", meta, autoload_with=bind)
    by_email: dict[str, int] = {}
    by_employee: dict[str, int] = {}
    for person_id, email, employee_id in bind.execute(
        sa.select(people.c.id, people.c.email, people.c.employee_id)
    ):
        if key := email_key(email):
            by_email[key] = person_id
        if key := employee_key(employee_id):
            by_employee[key] = person_id
    rows: list[dict[str, Any]] = []
    query = sa.select(
        views.c.fact_id, views.c.system, views.c["values"], views.c.source_record_id
    ).where(views.c.table_name == "devices")
    for device_id, system, values, record_id in bind.execute(query):
        values = values or {}
        email, name = values.get("owner_email"), values.get("owner_name")
        employee_id = values.get("owner_employee_id")
        if not any(v not in (None, "") for v in (email, name, employee_id)):
            continue
        person = by_employee.get(employee_key(employee_id) or "") or by_email.get(
            email_key(email) or ""
        )
        rows.append({
            "device_id": device_id, "system": system, "person_id": person,
            "owner_email": email, "owner_name": name, "owner_employee_id": employee_id,
            "source_record_id": record_id,
        })  # fmt: skip
    for start in range(0, len(rows), 5000):
        bind.execute(sa.insert(holders), rows[start : start + 5000])


def downgrade() -> None:
    """Revert this migration."""
    op.drop_index("ix_device_holders_person_id", table_name="device_holders")
    op.drop_table("device_holders")
