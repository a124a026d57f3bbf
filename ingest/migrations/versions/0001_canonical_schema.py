"""canonical schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 20:06:21.596042
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""

    op.create_table(
        "conflicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("fact_key", sa.String(length=255), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("chosen_system", sa.String(length=64), nullable=True),
        sa.Column("chosen_value", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflicts")),
        sa.UniqueConstraint(
            "table_name", "fact_key", "field", name=op.f("uq_conflicts_table_name")
        ),
    )
    op.create_table(
        "district_settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_district_settings")),
    )
    op.create_table(
        "ingest_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=1024), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("system", sa.String(length=64), nullable=False),
        sa.Column("record_type", sa.String(length=64), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("inserted", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ingest_files")),
        sa.UniqueConstraint("sha256", name=op.f("uq_ingest_files_sha256")),
    )
    op.create_table(
        "locations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_locations")),
        sa.UniqueConstraint("name", name=op.f("uq_locations_name")),
    )
    op.create_table(
        "replacement_policies",
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("cycle_years", sa.Integer(), nullable=False),
        sa.Column("unit_cost", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.PrimaryKeyConstraint("category", name=op.f("pk_replacement_policies")),
    )
    op.create_table(
        "vendors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vendors")),
        sa.UniqueConstraint("name", name=op.f("uq_vendors_name")),
    )
    op.create_table(
        "changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ingest_file_id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("fact_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["ingest_file_id"],
            ["ingest_files.id"],
            name=op.f("fk_changes_ingest_file_id_ingest_files"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_changes")),
    )
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_changes_ingest_file_id"), ["ingest_file_id"], unique=False
        )

    op.create_table(
        "location_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=255), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_location_aliases_location_id_locations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_location_aliases")),
        sa.UniqueConstraint("alias", name=op.f("uq_location_aliases_alias")),
    )
    with op.batch_alter_table("location_aliases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_location_aliases_location_id"), ["location_id"], unique=False
        )

    op.create_table(
        "rejects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ingest_file_id", sa.Integer(), nullable=False),
        sa.Column("file", sa.String(length=255), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("column", sa.String(length=255), nullable=True),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("is_row_rejected", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ingest_file_id"],
            ["ingest_files.id"],
            name=op.f("fk_rejects_ingest_file_id_ingest_files"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rejects")),
    )
    with op.batch_alter_table("rejects", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rejects_ingest_file_id"), ["ingest_file_id"], unique=False
        )

    op.create_table(
        "source_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ingest_file_id", sa.Integer(), nullable=False),
        sa.Column("system", sa.String(length=64), nullable=False),
        sa.Column("file", sa.String(length=255), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("raw", sa.JSON(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ingest_file_id"],
            ["ingest_files.id"],
            name=op.f("fk_source_records_ingest_file_id_ingest_files"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_records")),
        sa.UniqueConstraint("ingest_file_id", "row", name=op.f("uq_source_records_ingest_file_id")),
    )
    op.create_table(
        "vendor_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=255), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["vendor_id"], ["vendors.id"], name=op.f("fk_vendor_aliases_vendor_id_vendors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vendor_aliases")),
        sa.UniqueConstraint("alias", name=op.f("uq_vendor_aliases_alias")),
    )
    with op.batch_alter_table("vendor_aliases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_vendor_aliases_vendor_id"), ["vendor_id"], unique=False
        )

    op.create_table(
        "contracts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=False),
        sa.Column("vendor_as_written", sa.String(length=255), nullable=True),
        sa.Column("product", sa.String(length=255), nullable=False),
        sa.Column("occurrence", sa.Integer(), nullable=False),
        sa.Column("annual_cost", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("renewal_date", sa.Date(), nullable=True),
        sa.Column("term_months", sa.Integer(), nullable=True),
        sa.Column("auto_renew", sa.Boolean(), nullable=True),
        sa.Column("notice_days", sa.Integer(), nullable=True),
        sa.Column("notice_deadline", sa.Date(), nullable=True),
        sa.Column("funding_source", sa.String(length=128), nullable=True),
        sa.Column("department", sa.String(length=128), nullable=True),
        sa.Column("status", sa.String(length=64), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("source_record_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["source_record_id"],
            ["source_records.id"],
            name=op.f("fk_contracts_source_record_id_source_records"),
        ),
        sa.ForeignKeyConstraint(
            ["vendor_id"], ["vendors.id"], name=op.f("fk_contracts_vendor_id_vendors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contracts")),
        sa.UniqueConstraint(
            "vendor_id", "product", "occurrence", name=op.f("uq_contracts_vendor_id")
        ),
    )
    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contracts_notice_deadline"), ["notice_deadline"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_contracts_renewal_date"), ["renewal_date"], unique=False
        )

    op.create_table(
        "fact_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("fact_id", sa.Integer(), nullable=False),
        sa.Column("system", sa.String(length=64), nullable=False),
        sa.Column("source_record_id", sa.Integer(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_record_id"],
            ["source_records.id"],
            name=op.f("fk_fact_sources_source_record_id_source_records"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fact_sources")),
        sa.UniqueConstraint(
            "table_name", "fact_id", "system", name=op.f("uq_fact_sources_table_name")
        ),
    )
    with op.batch_alter_table("fact_sources", schema=None) as batch_op:
        batch_op.create_index("ix_fact_sources_fact", ["table_name", "fact_id"], unique=False)

    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.String(length=64), nullable=True),
        sa.Column("email", sa.String(length=255), nullable=True),
        sa.Column("name", sa.String(length=255), nullable=True),
        sa.Column("title", sa.String(length=255), nullable=True),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("in_roster", sa.Boolean(), nullable=False),
        sa.Column("source_record_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_people_location_id_locations")
        ),
        sa.ForeignKeyConstraint(
            ["source_record_id"],
            ["source_records.id"],
            name=op.f("fk_people_source_record_id_source_records"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("email", name=op.f("uq_people_email")),
        sa.UniqueConstraint("employee_id", name=op.f("uq_people_employee_id")),
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_people_end_date"), ["end_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_people_name"), ["name"], unique=False)

    op.create_table(
        "purchases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("po_number", sa.String(length=64), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("po_date", sa.Date(), nullable=True),
        sa.Column("vendor_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=True),
        sa.Column("unit_price", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("account_code", sa.String(length=64), nullable=True),
        sa.Column("fund", sa.String(length=128), nullable=True),
        sa.Column("source_record_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["source_record_id"],
            ["source_records.id"],
            name=op.f("fk_purchases_source_record_id_source_records"),
        ),
        sa.ForeignKeyConstraint(
            ["vendor_id"], ["vendors.id"], name=op.f("fk_purchases_vendor_id_vendors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchases")),
        sa.UniqueConstraint("po_number", "line", name=op.f("uq_purchases_po_number")),
    )
    op.create_table(
        "app_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.Column("product", sa.String(length=255), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=True),
        sa.Column("requester_id", sa.Integer(), nullable=True),
        sa.Column("requester", sa.String(length=255), nullable=True),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("request_date", sa.Date(), nullable=True),
        sa.Column("approval_status", sa.String(length=64), nullable=True),
        sa.Column("agreement_type", sa.String(length=64), nullable=True),
        sa.Column("annual_cost", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("source_record_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_app_requests_location_id_locations")
        ),
        sa.ForeignKeyConstraint(
            ["requester_id"], ["people.id"], name=op.f("fk_app_requests_requester_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["source_record_id"],
            ["source_records.id"],
            name=op.f("fk_app_requests_source_record_id_source_records"),
        ),
        sa.ForeignKeyConstraint(
            ["vendor_id"], ["vendors.id"], name=op.f("fk_app_requests_vendor_id_vendors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_requests")),
        sa.UniqueConstraint("request_id", name=op.f("uq_app_requests_request_id")),
    )
    op.create_table(
        "devices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("serial", sa.String(length=128), nullable=False),
        sa.Column("asset_tag", sa.String(length=128), nullable=True),
        sa.Column("name", sa.String(length=255), nullable=True),
        sa.Column("model", sa.String(length=255), nullable=True),
        sa.Column("manufacturer", sa.String(length=255), nullable=True),
        sa.Column("category", sa.String(length=64), nullable=True),
        sa.Column("purchase_date", sa.Date(), nullable=True),
        sa.Column("purchase_cost", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("warranty_end", sa.Date(), nullable=True),
        sa.Column("aue_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=64), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("source_record_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_devices_location_id_locations")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_devices_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["source_record_id"],
            ["source_records.id"],
            name=op.f("fk_devices_source_record_id_source_records"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_devices")),
        sa.UniqueConstraint("serial", name=op.f("uq_devices_serial")),
    )
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_devices_asset_tag"), ["asset_tag"], unique=False)
        batch_op.create_index(batch_op.f("ix_devices_category"), ["category"], unique=False)
        batch_op.create_index(batch_op.f("ix_devices_is_active"), ["is_active"], unique=False)
        batch_op.create_index(batch_op.f("ix_devices_location_id"), ["location_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_devices_model"), ["model"], unique=False)
        batch_op.create_index(batch_op.f("ix_devices_person_id"), ["person_id"], unique=False)

    op.create_table(
        "app_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("app_request_id", sa.Integer(), nullable=False),
        sa.Column("review", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=64), nullable=True),
        sa.Column("updated_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["app_request_id"],
            ["app_requests.id"],
            name=op.f("fk_app_reviews_app_request_id_app_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_reviews")),
        sa.UniqueConstraint("app_request_id", "review", name=op.f("uq_app_reviews_app_request_id")),
    )
    with op.batch_alter_table("app_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_app_reviews_state"), ["state"], unique=False)

    op.create_table(
        "tickets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("system", sa.String(length=64), nullable=False),
        sa.Column("external_id", sa.String(length=128), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=64), nullable=True),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("category", sa.String(length=128), nullable=True),
        sa.Column("category_as_written", sa.String(length=255), nullable=True),
        sa.Column("is_repair", sa.Boolean(), nullable=False),
        sa.Column("priority", sa.String(length=32), nullable=True),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("device_id", sa.Integer(), nullable=True),
        sa.Column("device_serial", sa.String(length=128), nullable=True),
        sa.Column("requester_id", sa.Integer(), nullable=True),
        sa.Column("requester", sa.String(length=255), nullable=True),
        sa.Column("assignee", sa.String(length=255), nullable=True),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("parts_cost", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("labor_minutes", sa.Integer(), nullable=True),
        sa.Column("source_record_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_tickets_device_id_devices")
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_tickets_location_id_locations")
        ),
        sa.ForeignKeyConstraint(
            ["requester_id"], ["people.id"], name=op.f("fk_tickets_requester_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["source_record_id"],
            ["source_records.id"],
            name=op.f("fk_tickets_source_record_id_source_records"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tickets")),
        sa.UniqueConstraint("system", "external_id", name=op.f("uq_tickets_system")),
    )
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tickets_category"), ["category"], unique=False)
        batch_op.create_index(batch_op.f("ix_tickets_device_id"), ["device_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tickets_is_open"), ["is_open"], unique=False)
        batch_op.create_index(batch_op.f("ix_tickets_is_repair"), ["is_repair"], unique=False)
        batch_op.create_index(batch_op.f("ix_tickets_location_id"), ["location_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tickets_opened_at"), ["opened_at"], unique=False)


def downgrade() -> None:
    """Revert this migration."""

    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tickets_opened_at"))
        batch_op.drop_index(batch_op.f("ix_tickets_location_id"))
        batch_op.drop_index(batch_op.f("ix_tickets_is_repair"))
        batch_op.drop_index(batch_op.f("ix_tickets_is_open"))
        batch_op.drop_index(batch_op.f("ix_tickets_device_id"))
        batch_op.drop_index(batch_op.f("ix_tickets_category"))

    op.drop_table("tickets")
    with op.batch_alter_table("app_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_app_reviews_state"))

    op.drop_table("app_reviews")
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_devices_person_id"))
        batch_op.drop_index(batch_op.f("ix_devices_model"))
        batch_op.drop_index(batch_op.f("ix_devices_location_id"))
        batch_op.drop_index(batch_op.f("ix_devices_is_active"))
        batch_op.drop_index(batch_op.f("ix_devices_category"))
        batch_op.drop_index(batch_op.f("ix_devices_asset_tag"))

    op.drop_table("devices")
    op.drop_table("app_requests")
    op.drop_table("purchases")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_people_name"))
        batch_op.drop_index(batch_op.f("ix_people_end_date"))

    op.drop_table("people")
    with op.batch_alter_table("fact_sources", schema=None) as batch_op:
        batch_op.drop_index("ix_fact_sources_fact")

    op.drop_table("fact_sources")
    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contracts_renewal_date"))
        batch_op.drop_index(batch_op.f("ix_contracts_notice_deadline"))

    op.drop_table("contracts")
    with op.batch_alter_table("vendor_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vendor_aliases_vendor_id"))

    op.drop_table("vendor_aliases")
    op.drop_table("source_records")
    with op.batch_alter_table("rejects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rejects_ingest_file_id"))

    op.drop_table("rejects")
    with op.batch_alter_table("location_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_location_aliases_location_id"))

    op.drop_table("location_aliases")
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_changes_ingest_file_id"))

    op.drop_table("changes")
    op.drop_table("vendors")
    op.drop_table("replacement_policies")
    op.drop_table("locations")
    op.drop_table("ingest_files")
    op.drop_table("district_settings")
    op.drop_table("conflicts")
