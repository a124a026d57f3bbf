"""Freshservice tickets: the UI export (spaced headers) and the API names (/api/v2/tickets).

The API writes status and priority as numbers (status 2 Open, 3 Pending, 4 Resolved, 5 Closed;
priority 1 Low ... 4 Urgent); they become the words the UI export shows, so both forms of one
help desk read alike. ``description`` is HTML in the API (``description_text`` is the plain form,
preferred). A ticket closes when it is resolved: ``closed_at`` is the resolved time, else the
closed time. Category, sub-category and item are joined ("Hardware / Chromebook / Screen") so the
canonical category sees the most specific words. Freshservice tickets have no location of their
own: a "Location" column (a custom field) is used, else the requester's department, which K-12
instances usually set up one per school.
"""

from __future__ import annotations

import html
import re

from ingest import parse
from ingest.sources.base import Record, VendorSource

STATUSES = {"2": "Open", "3": "Pending", "4": "Resolved", "5": "Closed"}
PRIORITIES = {"1": "Low", "2": "Medium", "3": "High", "4": "Urgent"}
_TAG = re.compile(r"</?[A-Za-z][^>]*>")


def _transform(record: Record) -> Record:
    for name, words in (("status", STATUSES), ("priority", PRIORITIES)):
        value = record.get(name)
        if value is not None:
            record[name] = words.get(str(value).strip(), value)
    if record.get("external_id"):
        record["external_id"] = str(record["external_id"]).lstrip("#").strip() or None
    html_text = record.pop("description_html", None)
    if not record.get("description") and html_text:
        record["description"] = _plain(html_text)
    closed_time = record.pop("closed_time", None)
    if record.get("closed_at") is None and closed_time:
        record["closed_at"] = _datetime_or_none(closed_time)
    parts = [record.pop(k, None) for k in ("sub_category", "item_category")]
    category = " / ".join(p for p in (record.get("category"), *parts) if p)
    record["category"] = category or None
    requester = record.get("requester")
    if not record.get("requester_email") and requester and "@" in requester:
        record["requester_email"] = requester
    department = record.get("department")
    record["location"] = record.get("location") or department
    return record


def _plain(text: str) -> str | None:
    """The text of an HTML description (tags dropped, entities decoded)."""
    if _TAG.search(text):
        text = html.unescape(_TAG.sub(" ", text))
    return " ".join(text.split()) or None


def _datetime_or_none(text: str) -> object:
    """The closed time, parsed here (the loader reads only known fields as dates)."""
    try:
        return parse.parse_datetime(text)
    except ValueError:
        return None


SOURCE = VendorSource(
    name="freshservice",
    label="Freshservice",
    record_type="ticket",
    columns={
        "external_id": ("Ticket ID", "id", "Ticket Id"),
        "subject": ("Subject",),
        "description": ("description_text", "Description Text"),
        "description_html": ("Description",),
        "status": ("Status",),
        "priority": ("Priority",),
        "ticket_type": ("Type",),
        "source_channel": ("Source",),
        "category": ("Category",),
        "sub_category": ("Sub-Category", "sub_category"),
        "item_category": ("Item", "item_category"),
        "requester": ("Requester Name", "requester", "requester.name"),
        "requester_email": ("Requester Email", "requester.email", "email"),
        "assignee": ("Agent", "responder.name", "Responder"),
        "group": ("Group",),
        "department": ("Department", "department.name"),
        "location": ("Location", "Requester Location"),
        "opened_at": ("Created Date", "created_at", "Created Time"),
        "updated_at": ("Last Updated Time", "updated_at", "Last Update Time"),
        "closed_at": ("Resolved Time", "stats.resolved_at", "resolved_at"),
        "closed_time": ("Closed Time", "stats.closed_at", "closed_at"),
        "due_by": ("Due by Time", "due_by"),
        "tags": ("Tags",),
        "serial": (
            "Asset Serial",
            "custom_fields.asset_serial",
            "Serial Number",
            "custom_fields.serial_number",
        ),
        "asset_tag": ("Asset Tag", "custom_fields.asset_tag"),
        "parts_cost": ("Parts Cost", "custom_fields.parts_cost"),
        "labor_minutes": ("Labor Minutes", "custom_fields.labor_minutes"),
    },
    fingerprint=(
        "Ticket ID",
        "Subject",
        "Status",
        "Priority",
        "Requester Name",
        "Requester Email",
        "Agent",
        "Group",
        "Created Date",
        "Due by Time",
        "Resolved Time",
        "Closed Time",
    ),
    transform=_transform,
)

# The API's own field names: responder, department and first-response due date are Freshservice's.
API_FINGERPRINT = (
    "id",
    "subject",
    "status",
    "priority",
    "created_at",
    "requester_id",
    "responder_id",
    "department_id",
    "due_by",
    "fr_due_by",
    "description_text",
)
