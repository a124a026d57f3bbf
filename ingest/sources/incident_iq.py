"""Incident IQ tickets and assets (API field names, and their spaced human forms)."""

from __future__ import annotations

from ingest.sources.base import Record, VendorSource

RETIRED = {"retired", "disposed", "lost", "stolen", "lost/stolen"}


def _ticket(record: Record) -> Record:
    return record


def _asset(record: Record) -> Record:
    status = (record.get("status") or "").strip().lower()
    record["is_active"] = status not in RETIRED and not record.get("retired_date")
    return record


TICKETS = VendorSource(
    name="incident_iq",
    label="Incident IQ",
    record_type="ticket",
    columns={
        "external_id": ("TicketNumber", "Ticket Number"),
        "subject": ("Subject",),
        "description": ("IssueDescription", "Issue Description"),
        "opened_at": ("CreatedDate", "Created Date"),
        "started_at": ("StartedDate", "Started Date"),
        "closed_at": ("ClosedDate", "Closed Date"),
        "is_closed": ("IsClosed", "Is Closed"),
        "status": ("WorkflowStep.StepName", "Status"),
        "category": ("Issue.Name", "Issue", "Issue Type"),
        "location": ("Location.Name", "Location"),
        "requester": ("For.Name", "Requester", "For"),
        "team": ("AssignedToTeam.TeamName", "Team"),
        "assignee": ("AssignedToUser.Name", "Assigned To", "Agent"),
        "priority": ("Priority",),
        "asset_tag": ("AssetTag", "Asset Tag"),
        "serial": ("SerialNumber", "Serial Number"),
        "parts_cost": ("Parts Cost", "PartsCost"),
        "labor_minutes": ("Labor Minutes", "LaborMinutes"),
    },
    fingerprint=(
        "TicketNumber",
        "IssueDescription",
        "WorkflowStep.StepName",
        "Issue.Name",
        "For.Name",
    ),
    transform=_ticket,
)

# The web UI's ticket export writes spaced headers ("Ticket Number", "Issue", "For"): these two
# together are Incident IQ's (header_key makes "TicketNumber" and "Ticket Number" one name).
SPACED_TICKETS_FINGERPRINT = ("Ticket Number", "Issue Description")

ASSETS = VendorSource(
    name="incident_iq",
    label="Incident IQ",
    record_type="device",
    columns={
        "asset_tag": ("AssetTag", "Asset Tag"),
        "serial": ("SerialNumber", "Serial Number"),
        "name": ("Name",),
        "category": ("AssetTypeName", "Asset Type"),
        "model": ("Model.Name", "Model"),
        "owner_name": ("Owner.Name", "Owner"),
        "location": ("Location.Name", "Location"),
        "room": ("LocationRoom.Name", "Room"),
        "notes": ("Notes",),
        "purchase_date": ("PurchasedDate", "Purchased Date"),
        "deployed_date": ("DeployedDate", "Deployed Date"),
        "retired_date": ("RetiredDate", "Retired Date"),
        "purchase_cost": ("PurchasePrice", "Purchase Price"),
        "order_number": ("PurchasePoNumber", "Purchase PO Number"),
        "warranty_end": ("WarrantyExpirationDate", "Warranty Expiration Date"),
        "supplier": ("Vendor",),
        "funding_source": ("FundingSource", "Funding Source"),
        "status": ("StatusTypeName", "Status"),
    },
    fingerprint=("AssetTag", "SerialNumber", "AssetTypeName", "Model.Name", "StatusTypeName"),
    transform=_asset,
)
