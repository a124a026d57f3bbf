"""Zendesk tickets: the CSV export (spaced headers, custom fields as 'Name [type]') and JSON."""

from __future__ import annotations

from ingest.sources.base import Record, VendorSource


def _transform(record: Record) -> Record:
    record["is_closed"] = (record.get("status") or "").strip().lower() in {"solved", "closed"}
    return record


SOURCE = VendorSource(
    name="zendesk",
    label="Zendesk",
    record_type="ticket",
    columns={
        "external_id": ("Id", "id"),
        "requester": ("Requester", "requester"),
        "requester_email": ("Requester email",),
        "assignee": ("Assignee", "assignee"),
        "group": ("Group", "group"),
        "subject": ("Subject", "subject"),
        "description": ("Description", "description"),
        "tags": ("Tags", "tags"),
        "status": ("Status", "status"),
        "priority": ("Priority", "priority"),
        "via": ("Via", "via.channel"),
        "ticket_type": ("Ticket type", "type"),
        "opened_at": ("Created at", "created_at"),
        "updated_at": ("Updated at", "updated_at"),
        "closed_at": ("Solved at", "solved_at"),
        "location": ("Organization", "organization", "organization_name"),
        "resolution_minutes": ("Full resolution time in minutes",),
        "serial": ("Device Serial [txt]", "Device Serial"),
        "asset_tag": ("Asset Tag [txt]", "Asset Tag"),
        "parts_cost": ("Parts Cost [dec]", "Parts Cost"),
        "labor_minutes": ("Labor Minutes [int]", "Labor Minutes"),
        "category": ("Category [list]", "Category"),
    },
    fingerprint=(
        "Id",
        "Requester",
        "Via",
        "Ticket type",
        "Created at",
        "Solved at",
        "Organization",
    ),
    transform=_transform,
)

JSON_FINGERPRINT = ("id", "requester_id", "via.channel", "created_at", "status", "subject")
