"""Zendesk tickets: the CSV export (spaced headers, custom fields as 'Name [type]') and JSON.

The JSON export (the API's ticket objects: an array, ``{"tickets": [...]}`` or JSON lines) is
flattened by the file reader, so an embedded requester reads as ``requester.name`` and
``requester.email``. ``custom_fields`` (a list of ``{id, value}``) names no field by its id, so it
stays in the raw record only. The incremental export has no ``solved_at``: when the file has no
solved-time column at all, a solved or closed ticket's ``closed_at`` is its ``updated_at``. That is
the ticket's last change, so it is the solve time when nothing happened after it and otherwise a
little late (a later comment, the automatic close). A file with a solved-time column keeps what
that column says, blanks included.
"""

from __future__ import annotations

from ingest.sources.base import Record, VendorSource


def _transform(record: Record) -> Record:
    closed = (record.get("status") or "").strip().lower() in {"solved", "closed"}
    record["is_closed"] = closed
    if "closed_at" not in record:  # no solved-time column in this file (incremental export)
        record["closed_at"] = record.get("updated_at") if closed else None
    return record


SOURCE = VendorSource(
    name="zendesk",
    label="Zendesk",
    record_type="ticket",
    columns={
        "external_id": ("Id", "id"),
        "requester": ("Requester", "requester", "requester.name"),
        "requester_email": ("Requester email", "requester.email"),
        "assignee": ("Assignee", "assignee", "assignee.name"),
        "group": ("Group", "group", "group.name"),
        "subject": ("Subject", "subject"),
        "description": ("Description", "description"),
        "tags": ("Tags", "tags"),
        "status": ("Status", "status"),
        "priority": ("Priority", "priority"),
        "via": ("Via", "via.channel"),
        "ticket_type": ("Ticket type", "type"),
        "opened_at": ("Created at", "created_at"),
        "updated_at": ("Updated at", "updated_at"),
        "closed_at": ("Solved at", "solved_at", "metric_set.solved_at"),
        "location": ("Organization", "organization", "organization_name", "organization.name"),
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

# The API's ticket objects. assignee_id, organization_id/_name and via.channel are Zendesk's own:
# Freshservice's JSON shares id, subject, status, created_at and requester_id, and stays below 60%.
JSON_FINGERPRINT = (
    "id",
    "subject",
    "status",
    "created_at",
    "assignee_id",
    "organization_id",
    "organization_name",
    "via.channel",
)
