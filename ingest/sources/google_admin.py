"""Google Admin console ChromeOS devices: the console CSV download and the Directory API names."""

from __future__ import annotations

from ingest.sources.base import Record, VendorSource, first_word

ACTIVE = {"active", "provisioned"}


def _transform(record: Record) -> Record:
    record["category"] = "Chromebook"
    record["is_active"] = (record.get("status") or "").strip().lower() in ACTIVE
    record.setdefault("manufacturer", None)
    record["manufacturer"] = record["manufacturer"] or first_word(record.get("model"))
    org_unit = record.pop("org_unit", None)
    if not record.get("location") and org_unit:
        record["location"] = str(org_unit).rstrip("/").rsplit("/", 1)[-1] or None
    if not record.get("aue_date"):
        record["aue_date"] = record.pop("aue_epoch_ms", None)
    return record


SOURCE = VendorSource(
    name="google_admin",
    label="Google Admin console",
    record_type="device",
    columns={
        "serial": ("Serial Number", "serialNumber"),
        "model": ("Model", "model"),
        "status": ("Status", "status"),
        "last_sync": ("Last Sync", "lastSync"),
        "owner_email": ("User", "annotatedUser", "Annotated User"),
        "location": ("Location", "annotatedLocation", "Annotated Location"),
        "asset_tag": ("Asset ID", "annotatedAssetId", "Annotated Asset ID"),
        "org_unit": ("Org Unit Path", "orgUnitPath", "Org Unit"),
        "aue_date": ("Auto Update Expiration", "AUE", "autoUpdateThrough", "Auto Update Through"),
        "aue_epoch_ms": ("autoUpdateExpiration",),
        "notes": ("Notes", "notes"),
        "order_number": ("Order Number", "orderNumber"),
        "mac_address": ("MAC Address", "macAddress"),
        "os_version": ("OS Version", "osVersion"),
    },
    fingerprint=("Serial Number", "Org Unit Path", "Last Sync", "Auto Update Expiration", "Model"),
    transform=_transform,
)

# The Directory API names identify the file just as well as the console's spaced headers.
API_FINGERPRINT = ("serialNumber", "orgUnitPath", "lastSync", "annotatedAssetId", "model")
