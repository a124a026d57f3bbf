"""The canonical fields of each record type: their value kind and the header names people use.

Vendor readers map their exact headers onto these fields; the generic reader matches unknown
headers against the synonyms here. One table, so a field's name and kind are defined once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "date", "datetime", "money", "bool", "int", "days", "months", "serial"]


@dataclass(frozen=True)
class FieldSpec:
    """A canonical field: how to parse it and what headers mean it."""

    kind: Kind
    synonyms: tuple[str, ...] = ()
    required: bool = False


def _f(kind: Kind, *synonyms: str, required: bool = False) -> FieldSpec:
    return FieldSpec(kind=kind, synonyms=synonyms, required=required)


FIELDS: dict[str, dict[str, FieldSpec]] = {
    "location": {
        "name": _f("text", "school name", "school", "building name", "site name", required=True),
        "code": _f("text", "school number", "school code", "school id", "building code"),
        "abbreviation": _f("text", "abbreviation", "abbr", "short name", "initials"),
        "kind": _f("text", "grade levels", "school type", "level", "type"),
    },
    "person": {
        "employee_id": _f("text", "employee id", "employee number", "emp id", "staff id"),
        "name": _f("text", "name", "full name", "employee name", "staff name"),
        "email": _f("text", "email", "email address", "work email", "e-mail"),
        "location": _f("text", "building", "location", "school", "site", "campus"),
        "title": _f("text", "job title", "position", "title", "role"),
        "start_date": _f("date", "start date", "hire date", "date hired", "start"),
        "end_date": _f("date", "end date", "termination date", "separation date", "last day"),
    },
    "device": {
        "serial": _f("serial", "serial", "serial number", "serial no", "sn", required=True),
        "asset_tag": _f("text", "asset tag", "asset id", "tag", "asset number"),
        "name": _f("text", "asset name", "device name", "name", "hostname"),
        "model": _f("text", "model", "model name"),
        "manufacturer": _f("text", "manufacturer", "make", "brand"),
        "category": _f("text", "category", "device type", "asset type", "type"),
        "status": _f("text", "status", "state"),
        "location": _f("text", "location", "school", "building", "site"),
        "purchase_date": _f("date", "purchase date", "purchased", "date purchased"),
        "purchase_cost": _f("money", "purchase cost", "cost", "price", "purchase price"),
        "warranty_end": _f("date", "warranty end", "warranty expiration", "warranty expires"),
        "warranty_months": _f("int", "warranty months", "warranty"),
        "aue_date": _f("date", "auto update expiration", "aue", "aue date", "end of support"),
        "owner_email": _f("text", "owner email", "assigned to email", "user email", "email"),
        "owner_name": _f("text", "owner", "assigned to", "user", "checked out to"),
        "owner_employee_id": _f("text", "owner employee id", "assigned to employee number"),
        "notes": _f("text", "notes", "comments"),
    },
    "ticket": {
        "external_id": _f("text", "ticket id", "ticket number", "ticket", "id", required=True),
        "subject": _f("text", "subject", "title", "summary"),
        "description": _f("text", "description", "issue description", "details", "body"),
        "opened_at": _f("datetime", "created", "created at", "created date", "opened", "date"),
        "closed_at": _f("datetime", "closed", "closed date", "resolved", "solved at", "completed"),
        "is_closed": _f("bool", "is closed", "closed?"),
        "status": _f("text", "status", "state", "workflow step"),
        "category": _f("text", "category", "issue type", "issue", "problem type", "type"),
        "priority": _f("text", "priority", "urgency"),
        "location": _f("text", "location", "school", "building", "organization", "site"),
        "requester": _f("text", "requester", "requested by", "for", "user"),
        "requester_email": _f("text", "requester email", "email"),
        "assignee": _f("text", "assignee", "assigned to", "technician", "agent"),
        "asset_tag": _f("text", "asset tag", "tag"),
        "serial": _f("serial", "serial", "serial number", "device serial"),
        "parts_cost": _f("money", "parts cost", "parts", "repair cost"),
        "labor_minutes": _f("int", "labor minutes", "labour minutes", "time spent", "minutes"),
    },
    "contract": {
        "vendor": _f("text", "vendor", "supplier", "company", "vendor name", required=True),
        "product": _f("text", "product", "service", "product name", "description", "item"),
        "annual_cost": _f("money", "annual cost", "cost", "annual amount", "amount", "price"),
        "start_date": _f("date", "start date", "start", "begin date", "effective date"),
        "renewal_date": _f("date", "renewal date", "renewal", "end date", "expiration date"),
        "term_months": _f("months", "term", "term months", "term (months)", "duration"),
        "auto_renew": _f("bool", "auto renew", "auto renew?", "auto-renew", "automatic renewal"),
        "notice_days": _f("days", "notice period", "notice", "notice days", "cancel notice"),
        "funding_source": _f("text", "funding", "funding source", "fund", "budget source"),
        "department": _f("text", "dept owner", "department", "owner", "dept"),
        "status": _f("text", "status"),
        "notes": _f("text", "notes", "comments", "remarks"),
    },
    "purchase": {
        "po_number": _f("text", "po number", "po", "purchase order", "po #", required=True),
        "po_date": _f("date", "po date", "order date", "date"),
        "vendor": _f("text", "vendor", "supplier", "payee"),
        "description": _f("text", "description", "item", "item description"),
        "quantity": _f("int", "quantity", "qty"),
        "unit_price": _f("money", "unit price", "unit cost", "price"),
        "amount": _f("money", "amount", "total", "extended amount", "line total"),
        "account_code": _f("text", "account code", "account", "fund code", "gl account"),
    },
    "app_request": {
        "request_id": _f("text", "request id", "request #", "id", required=True),
        "product": _f("text", "product", "app", "application", "tool name"),
        "vendor": _f("text", "vendor", "publisher", "company"),
        "requester": _f("text", "requester", "requested by", "submitted by"),
        "requester_email": _f("text", "requester email", "email"),
        "location": _f("text", "building", "school", "location"),
        "request_date": _f("date", "request date", "submitted", "date requested"),
        "curriculum_review": _f("text", "curriculum review", "curriculum"),
        "privacy_review": _f("text", "privacy review", "privacy", "dpa review", "privacy status"),
        "accessibility_review": _f("text", "accessibility review", "accessibility"),
        "contract_review": _f("text", "contract review"),
        "funding_review": _f("text", "funding review"),
        "review_updated": _f("date", "review updated", "last updated", "updated"),
        "approval_status": _f("text", "approval status", "status", "decision"),
        "agreement_type": _f("text", "agreement type", "dpa type", "privacy agreement"),
        "annual_cost": _f("money", "annual cost", "cost", "price"),
        "notes": _f("text", "notes", "comments"),
    },
}

REVIEWS = ("curriculum", "privacy", "accessibility", "contract", "funding")
