"""The canonical schema: one table per kind of fact, every fact linked to the source row it came from.

Tables are plural, classes singular. Money is Numeric(12, 2); dates are dates. A fact's
``source_record_id`` names the export row that last set it; ``fact_sources`` lists every row (from
every system) behind a merged fact, so an answer can always be traced to files and rows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

Money = Numeric(12, 2)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with constraint names that migrate the same on SQLite and PostgreSQL."""

    metadata = MetaData(naming_convention=NAMING)


class IngestFile(Base):
    """One export file as loaded: its content hash makes re-loading the same file a no-op."""

    __tablename__ = "ingest_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(String(1024))
    name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    system: Mapped[str] = mapped_column(String(64))
    record_type: Mapped[str] = mapped_column(String(64))
    headers: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Needs of its record type no column met: [{fields, column, score}] (ingest/needs.py).
    missing: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    inserted: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime)


class SavedMapping(Base):
    """A column mapping a person gave or confirmed, kept for the next export with these headers.

    Keyed by the file's header set (normalised, sorted, hashed), so next month's export of the
    same sheet loads with no flag; ``columns`` is {header as written: field or null}.
    """

    __tablename__ = "saved_mappings"

    id: Mapped[int] = mapped_column(primary_key=True)
    header_key: Mapped[str] = mapped_column(String(64), unique=True)
    record_type: Mapped[str] = mapped_column(String(64))
    columns: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    file_name: Mapped[str | None] = mapped_column(String(255))
    saved_at: Mapped[dt.datetime] = mapped_column(DateTime)


class SourceRecord(Base):
    """One row of one export file, its cells exactly as read (headers are on the file's row)."""

    __tablename__ = "source_records"
    __table_args__ = (UniqueConstraint("ingest_file_id", "row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ingest_file_id: Mapped[int] = mapped_column(ForeignKey("ingest_files.id"))
    system: Mapped[str] = mapped_column(String(64))
    file: Mapped[str] = mapped_column(String(255))
    row: Mapped[int] = mapped_column(Integer)
    raw: Mapped[list[Any]] = mapped_column(JSON)
    ingested_at: Mapped[dt.datetime] = mapped_column(DateTime)


class FactSource(Base):
    """Links a canonical row to every source record behind it (a merged device has several)."""

    __tablename__ = "fact_sources"
    __table_args__ = (
        UniqueConstraint("table_name", "fact_id", "system"),
        Index("ix_fact_sources_fact", "table_name", "fact_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    table_name: Mapped[str] = mapped_column(String(64))
    fact_id: Mapped[int] = mapped_column(Integer)
    system: Mapped[str] = mapped_column(String(64))
    source_record_id: Mapped[int] = mapped_column(ForeignKey("source_records.id"))
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Reject(Base):
    """A row (or a cell) that could not be loaded, with the reason a person can act on."""

    __tablename__ = "rejects"

    id: Mapped[int] = mapped_column(primary_key=True)
    ingest_file_id: Mapped[int] = mapped_column(ForeignKey("ingest_files.id"), index=True)
    file: Mapped[str] = mapped_column(String(255))
    row: Mapped[int] = mapped_column(Integer)
    column: Mapped[str | None] = mapped_column(String(255))
    value: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    is_row_rejected: Mapped[bool] = mapped_column(Boolean, default=True)


class Location(Base):
    """A school or site."""

    __tablename__ = "locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str | None] = mapped_column(String(64))


class LocationAlias(Base):
    """Another way a system writes a school's name ("Lincoln Elem", "LES"), normalised."""

    __tablename__ = "location_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    alias: Mapped[str] = mapped_column(String(255), unique=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)


class Vendor(Base):
    """A vendor, under one canonical name."""

    __tablename__ = "vendors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)


class VendorAlias(Base):
    """Another way a vendor's name is written ("Google LLC"), normalised."""

    __tablename__ = "vendor_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    alias: Mapped[str] = mapped_column(String(255), unique=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"), index=True)


class Person(Base):
    """Staff or a student, as device owner, requester or roster entry."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    email: Mapped[str | None] = mapped_column(String(255), unique=True)
    name: Mapped[str | None] = mapped_column(String(255), index=True)
    title: Mapped[str | None] = mapped_column(String(255))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    in_roster: Mapped[bool] = mapped_column(Boolean, default=False)
    source_record_id: Mapped[int | None] = mapped_column(ForeignKey("source_records.id"))


class Device(Base):
    """One physical device, keyed by its normalised serial, merged across asset systems."""

    __tablename__ = "devices"
    # Covers replacement questions: the budget reads this index alone, not the table.
    __table_args__ = (
        Index("ix_devices_replacement_cover", "is_active", "category", "replacement_date",
              "location_id"),
        # Warranty questions count and list from this index alone.
        Index("ix_devices_warranty_cover", "is_active", "warranty_end", "category"),
        # Device lists in their listed order (category, model, serial): the first 50 of 40,000
        # Chromebooks are read off the index, not sorted.
        Index("ix_devices_listing", "category", "model", "serial"),
        # Devices due in a window, in the order they are listed (date, then serial).
        Index("ix_devices_replacement_order", "replacement_date", "serial"),
        # A person's active devices, in serial order (departures, holders).
        Index("ix_devices_holder", "person_id", "is_active", "serial"),
        # Devices nobody holds (no person, active) counted per school or category off the index.
        Index("ix_devices_owner_cover", "person_id", "is_active", "location_id", "category"),
        # Chromebooks reaching AUE in a window, counted and listed in (date, serial) order from
        # this index alone (tools/support.py).
        Index("ix_devices_aue_cover", "is_active", "aue_date", "serial", "model", "category",
              "location_id"),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(128), unique=True)
    asset_tag: Mapped[str | None] = mapped_column(String(128), index=True)
    name: Mapped[str | None] = mapped_column(String(255))
    model: Mapped[str | None] = mapped_column(String(255), index=True)
    manufacturer: Mapped[str | None] = mapped_column(String(255))
    category: Mapped[str | None] = mapped_column(String(64))  # ix_devices_listing leads with it
    purchase_date: Mapped[dt.date | None] = mapped_column(Date)
    purchase_cost: Mapped[Decimal | None] = mapped_column(Money)
    warranty_end: Mapped[dt.date | None] = mapped_column(Date, index=True)
    aue_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str | None] = mapped_column(String(64))
    # Not indexed alone: nine devices in ten are active, and without statistics SQLite would
    # pick such an index over a selective one (composite indexes lead with it where it helps).
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    source_record_id: Mapped[int | None] = mapped_column(ForeignKey("source_records.id"))
    # Kept current by ingest (and when the replacement policy changes) so tools stay fast:
    replacement_date: Mapped[dt.date | None] = mapped_column(Date)
    replacement_reason: Mapped[str | None] = mapped_column(String(16))
    ticket_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    repair_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    parts_total: Mapped[Decimal] = mapped_column(Money, default=0, server_default="0")
    labor_minutes_total: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


COSTED = "parts_cost > 0 OR labor_minutes > 0"
"""A ticket with a repair cost on file (the partial index ``ix_tickets_costed``)."""
COSTED_LINKED = f"device_id IS NOT NULL AND ({COSTED})"
"""A costed ticket linked to a device (the partial index ``ix_tickets_costed_device``)."""


class DeviceHolder(Base):
    """Who one system says holds one device: the union over systems is who holds it.

    Snipe-IT may name the holder by name or employee number, Google Admin by e-mail; the person
    is matched by ``ingest.people_match`` when the row is written and again when a roster loads
    (a name means nobody until the roster has it).
    """

    __tablename__ = "device_holders"
    __table_args__ = (UniqueConstraint("device_id", "system"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"))
    system: Mapped[str] = mapped_column(String(64))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    owner_email: Mapped[str | None] = mapped_column(String(255))
    owner_name: Mapped[str | None] = mapped_column(String(255))
    owner_employee_id: Mapped[str | None] = mapped_column(String(64))
    source_record_id: Mapped[int | None] = mapped_column(ForeignKey("source_records.id"))


class Ticket(Base):
    """One help desk ticket from any system."""

    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("system", "external_id"),
        # Repair questions start from a device and need only these columns.
        Index("ix_tickets_device_repairs", "device_id", "is_repair", "category"),
        # The open backlog of a school, oldest first, from this index alone.
        Index("ix_tickets_open_cover", "is_open", "location_id", "opened_at", "category", "system"),
        # The oldest open tickets, district-wide, in the order they are shown: only the open
        # tickets (a tenth of all) are in it, so it costs ingest little.
        Index("ix_tickets_open_oldest", "opened_at", "system", "external_id",
              sqlite_where=text("is_open IS 1"), postgresql_where=text("is_open IS true")),
        # Repair spend in a window: only the tickets with a parts cost or labour minutes, with
        # every column the sums and groupings read (tools/repair_spend.py).
        Index("ix_tickets_costed", "opened_at", "location_id", "category", "device_id",
              "parts_cost", "labor_minutes", sqlite_where=text(COSTED),
              postgresql_where=text(COSTED)),
        # Repair spend by device model or category: the costed tickets of each device by opened
        # date, read per device in model order (migration 0011).
        Index("ix_tickets_costed_device", "device_id", "opened_at", "location_id", "category",
              "parts_cost", "labor_minutes", sqlite_where=text(COSTED_LINKED),
              postgresql_where=text(COSTED_LINKED)),
        # The tickets a person opened, and those naming a requester matched to nobody (NULL
        # id) by the name as written (tools/person_repairs.py).
        Index("ix_tickets_requester", "requester_id", "requester", "device_id"),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    system: Mapped[str] = mapped_column(String(64))
    external_id: Mapped[str] = mapped_column(String(128))
    opened_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)
    status: Mapped[str | None] = mapped_column(String(64))
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)  # ix_tickets_open_cover leads
    # Canonical ("Cracked screen"), so categories compare across help desks; as written beside it.
    category: Mapped[str | None] = mapped_column(String(128), index=True)
    category_as_written: Mapped[str | None] = mapped_column(String(255))
    is_repair: Mapped[bool] = mapped_column(Boolean, default=False)  # half of all: no index
    priority: Mapped[str | None] = mapped_column(String(32))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"), index=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    device_serial: Mapped[str | None] = mapped_column(String(128), index=True)
    requester_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    requester: Mapped[str | None] = mapped_column(String(255))
    assignee: Mapped[str | None] = mapped_column(String(255))
    subject: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    parts_cost: Mapped[Decimal | None] = mapped_column(Money)
    labor_minutes: Mapped[int | None] = mapped_column(Integer)
    source_record_id: Mapped[int | None] = mapped_column(ForeignKey("source_records.id"))
    # Kept by ingest (ingest/rollups.py): seconds from opened to closed for a closed ticket with
    # both dates in order, else NULL, so resolution questions need no date arithmetic per row.
    resolution_seconds: Mapped[int | None] = mapped_column(Integer)


class Contract(Base):
    """A contract or subscription; the notice deadline is derived at load time."""

    __tablename__ = "contracts"
    __table_args__ = (UniqueConstraint("vendor_id", "product", "occurrence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"))
    vendor_as_written: Mapped[str | None] = mapped_column(String(255))
    product: Mapped[str] = mapped_column(String(255))
    # A tracker can list two different contracts for one product (two license purchases); the
    # n-th distinct row of a vendor and product is its n-th contract.
    occurrence: Mapped[int] = mapped_column(Integer, default=1)
    annual_cost: Mapped[Decimal | None] = mapped_column(Money)
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    renewal_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    term_months: Mapped[int | None] = mapped_column(Integer)
    auto_renew: Mapped[bool | None] = mapped_column(Boolean)
    notice_days: Mapped[int | None] = mapped_column(Integer)
    notice_deadline: Mapped[dt.date | None] = mapped_column(Date, index=True)
    funding_source: Mapped[str | None] = mapped_column(String(128))
    department: Mapped[str | None] = mapped_column(String(128))
    # What kind of contract the tracker says it is (software, connectivity, maintenance).
    category: Mapped[str | None] = mapped_column(String(128))
    status: Mapped[str | None] = mapped_column(String(64))
    notes: Mapped[str | None] = mapped_column(Text)
    source_record_id: Mapped[int | None] = mapped_column(ForeignKey("source_records.id"))


class Purchase(Base):
    """One purchase order line from the finance export."""

    __tablename__ = "purchases"
    __table_args__ = (UniqueConstraint("po_number", "line"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    po_number: Mapped[str] = mapped_column(String(64))
    line: Mapped[int] = mapped_column(Integer)
    po_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    vendor_id: Mapped[int | None] = mapped_column(ForeignKey("vendors.id"))
    description: Mapped[str | None] = mapped_column(Text)
    quantity: Mapped[int | None] = mapped_column(Integer)
    unit_price: Mapped[Decimal | None] = mapped_column(Money)
    amount: Mapped[Decimal | None] = mapped_column(Money)
    account_code: Mapped[str | None] = mapped_column(String(64))
    # The fund as the export names it (a Fund column), else from the account code's fund segment.
    fund: Mapped[str | None] = mapped_column(String(128))
    source_record_id: Mapped[int | None] = mapped_column(ForeignKey("source_records.id"))


class License(Base):
    """A software license the district holds (a Snipe-IT licenses export, or a homemade list)."""

    __tablename__ = "licenses"
    __table_args__ = (UniqueConstraint("product", "occurrence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product: Mapped[str] = mapped_column(String(255))
    # The n-th distinct row naming one product is its n-th license (two purchases of one title).
    occurrence: Mapped[int] = mapped_column(Integer, default=1)
    vendor_id: Mapped[int | None] = mapped_column(ForeignKey("vendors.id"))
    seats: Mapped[int | None] = mapped_column(Integer)
    expiration_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    purchase_cost: Mapped[Decimal | None] = mapped_column(Money)
    purchase_date: Mapped[dt.date | None] = mapped_column(Date)
    order_number: Mapped[str | None] = mapped_column(String(128))
    product_key: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    source_record_id: Mapped[int | None] = mapped_column(ForeignKey("source_records.id"))


class AppRequest(Base):
    """A request to approve an app for classroom use."""

    __tablename__ = "app_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[str] = mapped_column(String(64), unique=True)
    product: Mapped[str] = mapped_column(String(255))
    vendor_id: Mapped[int | None] = mapped_column(ForeignKey("vendors.id"))
    requester_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    requester: Mapped[str | None] = mapped_column(String(255))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    request_date: Mapped[dt.date | None] = mapped_column(Date)
    approval_status: Mapped[str | None] = mapped_column(String(64))
    agreement_type: Mapped[str | None] = mapped_column(String(64))
    annual_cost: Mapped[Decimal | None] = mapped_column(Money)
    notes: Mapped[str | None] = mapped_column(Text)
    source_record_id: Mapped[int | None] = mapped_column(ForeignKey("source_records.id"))


class AppReview(Base):
    """One review of an app request (curriculum, privacy, accessibility, contract, funding)."""

    __tablename__ = "app_reviews"
    __table_args__ = (UniqueConstraint("app_request_id", "review"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    app_request_id: Mapped[int] = mapped_column(ForeignKey("app_requests.id"))
    review: Mapped[str] = mapped_column(String(32))
    state: Mapped[str | None] = mapped_column(String(64), index=True)
    updated_on: Mapped[dt.date | None] = mapped_column(Date)


class ReplacementPolicyRow(Base):
    """The replacement policy in force per category, as last synced from settings."""

    __tablename__ = "replacement_policies"

    category: Mapped[str] = mapped_column(String(64), primary_key=True)
    cycle_years: Mapped[int] = mapped_column(Integer)
    unit_cost: Mapped[Decimal] = mapped_column(Money)


class DistrictSetting(Base):
    """Settings the read-only tools need (labour rate, fiscal year start), synced by the app."""

    __tablename__ = "district_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class Conflict(Base):
    """Two systems disagree on one field of one fact; both values and sources are kept."""

    __tablename__ = "conflicts"
    __table_args__ = (UniqueConstraint("table_name", "fact_key", "field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    table_name: Mapped[str] = mapped_column(String(64))
    fact_key: Mapped[str] = mapped_column(String(255))
    field: Mapped[str] = mapped_column(String(64))
    values: Mapped[dict[str, Any]] = mapped_column(JSON)
    chosen_system: Mapped[str | None] = mapped_column(String(64))
    chosen_value: Mapped[str | None] = mapped_column(Text)


class Change(Base):
    """What a newer export changed in an existing fact, field by field."""

    __tablename__ = "changes"
    # A device's former holders: the owner changes whose old value names the person.
    __table_args__ = (Index("ix_changes_old_value", "table_name", "field", "old_value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ingest_file_id: Mapped[int] = mapped_column(ForeignKey("ingest_files.id"), index=True)
    table_name: Mapped[str] = mapped_column(String(64))
    fact_id: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)


class DigestRun(Base):
    """One week's digest run; the unique week key lets exactly one worker claim and post it.

    Written only by ``assistant.scheduler`` (the one write outside ingest), never by tools.
    """

    __tablename__ = "digest_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    week: Mapped[str] = mapped_column(String(16), unique=True)
    channel: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    posted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class AuditEntry(Base):
    """Who asked what, when, from which interface, and which tools ran: kept for the audit log.

    Written only by ``assistant.audit`` after an answer is sent; trimmed by the retention setting.
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_asked_at", "asked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    asked_at: Mapped[dt.datetime] = mapped_column(DateTime)
    interface: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str | None] = mapped_column(String(128))
    channel_id: Mapped[str | None] = mapped_column(String(128))
    question: Mapped[str] = mapped_column(Text)
    tools: Mapped[list[str]] = mapped_column(JSON, default=list)
    outcome: Mapped[str] = mapped_column(String(16))
    duration_ms: Mapped[int | None] = mapped_column(Integer)


# --- Summaries: rebuilt by ingest (ingest/rollups.py) at the end of every load -------------------


class DeviceSummary(Base):
    """Devices counted per model, category, maker, school, active flag and status, with totals.

    Fleet-wide questions (inventory by model, break/fix, cost of ownership) read these ~2,000
    rows instead of 100,000 devices. ``purchase_days`` sums the purchase dates as days since
    1970-01-01, so device-years up to any day after ``latest_purchase`` are one subtraction.
    ``*_dated`` columns cover only the devices with a purchase date (per-year figures).
    """

    __tablename__ = "device_summary"

    id: Mapped[int] = mapped_column(primary_key=True)
    model: Mapped[str | None] = mapped_column(String(255))
    category: Mapped[str | None] = mapped_column(String(64))
    manufacturer: Mapped[str | None] = mapped_column(String(255))
    location_id: Mapped[int | None] = mapped_column(Integer)
    is_active: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str | None] = mapped_column(String(64))
    devices: Mapped[int] = mapped_column(Integer)
    dated: Mapped[int] = mapped_column(Integer)
    costed: Mapped[int] = mapped_column(Integer)
    purchase_days: Mapped[float] = mapped_column(Float)
    latest_purchase: Mapped[dt.date | None] = mapped_column(Date)
    purchase_total: Mapped[Decimal] = mapped_column(Money)
    purchase_total_dated: Mapped[Decimal] = mapped_column(Money)
    repairs: Mapped[int] = mapped_column(Integer)
    repairs_dated: Mapped[int] = mapped_column(Integer)
    parts_total: Mapped[Decimal] = mapped_column(Money)
    parts_total_dated: Mapped[Decimal] = mapped_column(Money)
    labor_minutes: Mapped[int] = mapped_column(Integer)
    labor_minutes_dated: Mapped[int] = mapped_column(Integer)


class RepairSummary(Base):
    """Repair tickets linked to devices, counted per device model, category, maker, school and
    ticket category: failure categories over all time read ~1,000 rows, not 500,000 tickets.

    Rows with ``linked`` false count the tickets that name no known device, per ticket category:
    ``repairs`` of them are repairs, ``costed`` have parts or labour (the "not counted" notes).
    """

    __tablename__ = "repair_summary"

    id: Mapped[int] = mapped_column(primary_key=True)
    model: Mapped[str | None] = mapped_column(String(255))
    device_category: Mapped[str | None] = mapped_column(String(64))
    manufacturer: Mapped[str | None] = mapped_column(String(255))
    location_id: Mapped[int | None] = mapped_column(Integer)
    category: Mapped[str | None] = mapped_column(String(128))
    linked: Mapped[bool] = mapped_column(Boolean)
    repairs: Mapped[int] = mapped_column(Integer)
    costed: Mapped[int] = mapped_column(Integer)


class TicketOpenedDay(Base):
    """Tickets opened per day, category, school and help desk (the weekly volume trend).

    Each day summary holds every row twice: per school (``all_schools`` false) and summed over
    the schools (``all_schools`` true, no ``location_id``), so a question that names no school
    reads ten times fewer rows.

    The row with no day counts the tickets with no opened date. The repair-cost columns sum the
    tickets with parts or labour (``costed``), those with parts and those with labour, and their
    parts cost and labour minutes (only positive values), for repair spend by school or category.
    """

    __tablename__ = "ticket_opened_days"
    __table_args__ = (Index("ix_ticket_opened_days_day", "all_schools", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    all_schools: Mapped[bool] = mapped_column(Boolean)
    day: Mapped[dt.date | None] = mapped_column(Date)
    category: Mapped[str | None] = mapped_column(String(128))
    location_id: Mapped[int | None] = mapped_column(Integer)
    system: Mapped[str] = mapped_column(String(64))
    costed: Mapped[int] = mapped_column(Integer, default=0)
    parts_tickets: Mapped[int] = mapped_column(Integer, default=0)
    labour_tickets: Mapped[int] = mapped_column(Integer, default=0)
    parts: Mapped[Decimal] = mapped_column(Money, default=0)
    labour_minutes: Mapped[int] = mapped_column(Integer, default=0)
    tickets: Mapped[int] = mapped_column(Integer)  # last: readers take a row's count from the end


class TicketClosedDay(Base):
    """Tickets per closed day, category, school and help desk (resolution time).

    ``timed`` counts tickets closed that day with an opened date not later (``timed_seconds``
    sums their resolution); ``reopened`` those open again, ``closed_undated`` those with no
    opened date, ``backwards`` those closed before opened. The row with no day counts closed
    tickets with no closed date (``unplaced``).
    """

    __tablename__ = "ticket_closed_days"
    __table_args__ = (Index("ix_ticket_closed_days_day", "all_schools", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    all_schools: Mapped[bool] = mapped_column(Boolean)
    day: Mapped[dt.date | None] = mapped_column(Date)
    category: Mapped[str | None] = mapped_column(String(128))
    location_id: Mapped[int | None] = mapped_column(Integer)
    system: Mapped[str] = mapped_column(String(64))
    timed: Mapped[int] = mapped_column(Integer)
    timed_seconds: Mapped[float] = mapped_column(Float)
    reopened: Mapped[int] = mapped_column(Integer)
    closed_undated: Mapped[int] = mapped_column(Integer)
    backwards: Mapped[int] = mapped_column(Integer)
    unplaced: Mapped[int] = mapped_column(Integer)


class TicketClosedValues(Base):
    """The resolution of every timed ticket of one closed day, category, school and help desk.

    ``seconds`` holds their ``resolution_seconds``, sorted, packed as little-endian unsigned
    32-bit integers (``tickets`` of them). Exact medians over any window and filters join the
    cells of the window (a few thousand rows) and pick the middle values, instead of sorting
    every ticket closed in it.
    """

    __tablename__ = "ticket_closed_values"
    __table_args__ = (Index("ix_ticket_closed_values_day", "all_schools", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    all_schools: Mapped[bool] = mapped_column(Boolean)
    day: Mapped[dt.date] = mapped_column(Date)
    category: Mapped[str | None] = mapped_column(String(128))
    location_id: Mapped[int | None] = mapped_column(Integer)
    system: Mapped[str] = mapped_column(String(64))
    tickets: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[bytes] = mapped_column(LargeBinary)


# --- Runs and deliveries: what a load got through, and which Slack requests were handled -----------


class IngestRun(Base):
    """One multi-file ingest: how many files it was given and how many it got through.

    Written by ``ingest/runs.py`` as the load goes, one committed update per file, so a run killed
    part way is still on record with its count; the next ingest marks it ``stopped``.
    """

    __tablename__ = "ingest_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    files_total: Mapped[int] = mapped_column(Integer)
    files_done: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))  # running, finished, stopped
    pid: Mapped[int] = mapped_column(Integer)
    host: Mapped[str] = mapped_column(String(255))


class SlackDelivery(Base):
    """A Slack event id or slash-command trigger already handled, shared by every worker process."""

    __tablename__ = "slack_deliveries"
    __table_args__ = (Index("ix_slack_deliveries_seen_at", "seen_at"),)

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime)
