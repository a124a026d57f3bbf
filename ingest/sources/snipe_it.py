"""Snipe-IT asset export (and its import headers, which differ in places)."""

from __future__ import annotations

from ingest.sources.base import Record, VendorSource

RETIRED = {"archived", "lost/stolen", "lost", "stolen", "broken - not fixable", "retired"}


def _transform(record: Record) -> Record:
    status = (record.get("status") or "").strip().lower()
    record["is_active"] = status not in RETIRED
    return record


SOURCE = VendorSource(
    name="snipe_it",
    label="Snipe-IT",
    record_type="device",
    columns={
        "asset_tag": ("Asset Tag",),
        "name": ("Asset Name", "Item Name", "Name"),
        "serial": ("Serial", "Serial Number"),
        "model": ("Model", "Model Name"),
        "model_number": ("Model Number", "Model No."),
        "category": ("Category",),
        "manufacturer": ("Manufacturer",),
        "status": ("Status", "Status Label"),
        "location": ("Location", "Checked Out To: Location", "Default Location"),
        "purchase_date": ("Purchase Date",),
        "purchase_cost": ("Purchase Cost",),
        "supplier": ("Supplier",),
        "order_number": ("Order Number",),
        "warranty_months": ("Warranty", "Warranty Months"),
        "warranty_end": ("Warranty Expires",),
        "eol_date": ("EOL Date",),
        "owner_email": ("Checked Out To: Email", "Email"),
        "owner_name": ("Checked Out To", "Full Name", "Checked Out To: Username", "Username"),
        "owner_employee_id": ("Checked Out To: Employee Number", "Checked Out To: Employee No."),
        "notes": ("Notes", "Asset Notes"),
    },
    fingerprint=("Asset Tag", "Serial", "Model", "Category", "Status", "Purchase Cost", "Supplier"),
    transform=_transform,
)
