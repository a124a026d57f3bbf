"""Jamf Pro computers: the inventory CSV download, the Classic API and the Jamf Pro API names.

The CSV download uses the display names of the inventory columns ("Computer Name", "PO Date",
"Warranty Expiration"); the Classic API writes ``general.serial_number``,
``location.email_address``, ``purchasing.warranty_expires``; the Jamf Pro API writes
``hardware.serialNumber``, ``userAndLocation.email``, ``purchasing.warrantyDate`` (mobile devices:
``warrantyExpiresDate``). Every device Jamf manages is an Apple one; the category is left to the
devices writer, which reads it from the model (MacBook -> Laptop, iMac -> Desktop, iPad -> Tablet).
"""

from __future__ import annotations

from ingest import parse
from ingest.sources.base import Record, VendorSource

# Jamf has no status of its own; districts add an extension attribute ("Status", "Retired").
RETIRED = {"retired", "disposed", "lost", "stolen", "lost/stolen", "recycled", "surplus"}


def _transform(record: Record) -> Record:
    record["manufacturer"] = record.get("manufacturer") or "Apple"
    username = record.pop("username", None)
    if username and "@" in username:
        record["owner_email"] = record.get("owner_email") or username
    elif username:
        record["owner_name"] = record.get("owner_name") or username
    status = (record.get("status") or "").strip().lower()
    record["is_active"] = status not in RETIRED and not _flag(record.get("retired"))
    return record


def _flag(value: object) -> bool:
    """A retired flag: "Yes", "TRUE", "1", or anything else written but "No" (a date retired)."""
    try:
        return bool(parse.parse_bool(value))
    except ValueError:
        return True


SOURCE = VendorSource(
    name="jamf",
    label="Jamf Pro",
    record_type="device",
    columns={
        "name": (
            "Computer Name",
            "general.name",
            "Display Name",
            "Mobile Device Name",
        ),
        "serial": (
            "Serial Number",
            "general.serial_number",
            "hardware.serial_number",
        ),
        "asset_tag": ("Asset Tag", "general.asset_tag"),
        "model": ("Model", "hardware.model"),
        "manufacturer": ("Make", "hardware.make"),
        "username": ("Username", "location.username", "userAndLocation.username"),
        "owner_name": (
            "Full Name",
            "Real Name",
            "location.realname",
            "location.real_name",
            "userAndLocation.realname",
        ),
        "owner_email": ("Email Address", "location.email_address", "userAndLocation.email"),
        "location": ("Building", "location.building"),
        "room": ("Room", "location.room", "userAndLocation.room"),
        "department": ("Department", "location.department"),
        "order_number": ("PO Number", "purchasing.po_number"),
        "purchase_date": ("PO Date", "purchasing.po_date"),
        "supplier": ("Vendor", "purchasing.vendor"),
        "purchase_cost": ("Purchase Price", "purchasing.purchase_price"),
        "warranty_end": (
            "Warranty Expiration",
            "purchasing.warranty_expires",
            "purchasing.warrantyDate",
            "purchasing.warrantyExpiresDate",
        ),
        "lease_end": (
            "Lease Expiration",
            "purchasing.lease_expires",
            "purchasing.leaseDate",
            "purchasing.leaseExpiresDate",
        ),
        "life_expectancy": ("Life Expectancy", "purchasing.life_expectancy"),
        "managed": (
            "Managed",
            "general.remote_management.managed",
            "general.remoteManagement.managed",
        ),
        "status": ("Status",),
        "retired": ("Retired",),
        "last_inventory": ("Last Inventory Update", "general.report_date"),
    },
    fingerprint=(
        "Computer Name",
        "Serial Number",
        "Model",
        "Username",
        "Email Address",
        "Building",
        "PO Number",
        "PO Date",
        "Warranty Expiration",
        "Managed",
    ),
    transform=_transform,
)

# A JSON dump of the Classic API (/JSSResource/computers) and of the Jamf Pro API
# (/api/v1/computers-inventory), flattened with "." between the levels.
CLASSIC_API_FINGERPRINT = (
    "general.name",
    "general.serial_number",
    "hardware.model",
    "location.username",
    "purchasing.po_number",
    "purchasing.warranty_expires",
)
PRO_API_FINGERPRINT = (
    "general.name",
    "hardware.serialNumber",
    "hardware.model",
    "userAndLocation.username",
    "purchasing.poNumber",
    "purchasing.warrantyDate",
)
