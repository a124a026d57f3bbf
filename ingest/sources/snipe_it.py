"""Snipe-IT asset export (and its import headers, which differ in places)."""

from __future__ import annotations

from ingest.files import normalize_header
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


# Snipe-IT's licenses import/export form: "Item name" is the license, "serial number" its key,
# "Name"/"Email"/"Username" the person it is checked out to (kept raw).
LICENSES = VendorSource(
    name="snipe_it_licenses",
    label="Snipe-IT licenses",
    record_type="license",
    columns={
        "product": ("Item Name", "License"),
        "product_key": ("Serial Number", "Product Key"),
        "vendor": ("Manufacturer",),
        "seats": ("Seats", "Total Seats"),
        "expiration_date": ("Expiration Date",),
        "purchase_cost": ("Purchase Cost",),
        "purchase_date": ("Purchase Date",),
        "order_number": ("Order Number",),
        "notes": ("Notes",),
    },
    fingerprint=(
        "Item Name",
        "Serial Number",
        "Seats",
        "Expiration Date",
        "Reassignable",
        "Maintained",
        "Licensed To Name",
        "Licensed to Email",
    ),  # fmt: skip
)

# Snipe-IT exports this product does not load: refused by name, never read as devices. Each is
# recognised by the headers only it has (with most of its others present).
UNSUPPORTED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # kind: (headers that must all be there, its usual headers)
    "consumables": (("Item Number", "Min Amount"),
                    ("Company", "Name", "Category", "Supplier", "Manufacturer", "QTY", "Location",
                     "Order Number", "Model Number", "Purchase Cost")),
    "accessories": (("Min Amount",),
                    ("Company", "Name", "Category", "Supplier", "Manufacturer", "QTY", "Location",
                     "Order Number", "Model Number", "Purchase Cost")),
    "components": (("Item Name", "Quantity", "Serial Number"),
                   ("Purchase Date", "Purchase Cost", "Location", "Company", "Order Number",
                    "Category")),
}  # fmt: skip


def unsupported_kind(headers: list[str], file_name: str = "") -> str | None:
    """The Snipe-IT export this file is, if it is one this product does not load."""
    present = {normalize_header(h) for h in headers}
    if "asset tag" in present:
        return None  # an asset export with a custom field of that name
    for kind, (must, usual) in UNSUPPORTED.items():
        if all(normalize_header(h) in present for h in must):
            share = sum(1 for h in usual if normalize_header(h) in present) / len(usual)
            if share >= 0.6 or kind in file_name.lower():
                return kind
    return None
