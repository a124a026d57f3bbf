"""The canonical fields of each record type: value kind, plain meaning, and the headers people use.

Vendor readers map their exact headers onto these fields; the column matcher
(``ingest/column_match.py``) weighs an unknown header against each field's names, its plain
description (by meaning, with the embedding model) and its value kind. One table, so a field's
name, kind and meaning are defined once. ``NEEDS`` says which fields a record type's answers
cannot do without, so a file that lacks one is reported, not silently loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "date", "datetime", "money", "bool", "int", "days", "months", "serial"]
# What a text column's values look like, beyond its parse kind (value evidence in column_values).
Looks = Literal["", "email", "person", "free_text", "code", "label", "place", "key", "name"]


@dataclass(frozen=True)
class FieldSpec:
    """A canonical field: how to parse it, what it means, what its values look like."""

    kind: Kind
    synonyms: tuple[str, ...] = ()
    required: bool = False
    description: str = ""
    looks: Looks = ""


def _f(
    kind: Kind, *synonyms: str, required: bool = False, means: str = "", looks: Looks = ""
) -> FieldSpec:
    return FieldSpec(kind, synonyms, required, means, looks)


# fmt: off
FIELDS: dict[str, dict[str, FieldSpec]] = {
    "location": {
        "name": _f("text", "school name", "school", "building name", "site name", required=True,
            means="the name of a school or site", looks="place"),
        "code": _f("text", "school number", "school code", "school id", "building code",
            means="the school's number or code", looks="code"),
        "abbreviation": _f("text", "abbreviation", "abbr", "short name", "initials",
            means="the school's short letters, its abbreviation", looks="code"),
        "kind": _f("text", "grade levels", "school type", "level", "type",
            means="the kind of school: elementary, middle, high, office", looks="label"),
    },
    "person": {
        "employee_id": _f("text", "employee id", "employee number", "emp id", "staff id",
            means="the person's employee number or staff id", looks="code"),
        "name": _f("text", "name", "full name", "employee name", "staff name",
            means="the person's full name in one column", looks="person"),
        "first_name": _f("text", "first name", "given name",
            means="the person's first name, given name", looks="name"),
        "last_name": _f("text", "last name", "surname", "family name",
            means="the person's last name, surname, family name", looks="name"),
        "email": _f("text", "email", "email address", "work email", "e-mail",
            means="the person's e-mail address", looks="email"),
        "location": _f("text", "building", "location", "school", "site", "campus",
            means="the building or school where the person works", looks="place"),
        "title": _f("text", "job title", "position", "title", "role",
            means="the person's job title or position", looks="label"),
        "start_date": _f("date", "start date", "hire date", "date hired", "start",
            means="the date the person was hired or started work"),
        "end_date": _f("date", "end date", "termination date", "separation date", "last day",
            means="the person's last day, termination or separation date"),
    },
    "device": {
        "serial": _f("serial", "serial", "serial number", "serial no", "sn",
            means="the manufacturer's serial number of the device", looks="key"),
        "asset_tag": _f("text", "asset tag", "asset id", "tag", "asset number",
            means="the district's own asset tag or inventory number", looks="key"),
        "name": _f("text", "asset name", "device name", "name", "hostname",
            means="the device name or computer host name", looks="key"),
        "model": _f("text", "model", "model name", means="the device's model", looks="label"),
        "manufacturer": _f("text", "manufacturer", "make", "brand",
            means="the company that made the device, its maker or brand", looks="label"),
        "category": _f("text", "category", "device type", "asset type", "type",
            means="the kind of device: Chromebook, laptop, tablet, display", looks="label"),
        "status": _f("text", "status", "state",
            means="the device's status: deployed, in storage, retired, lost", looks="label"),
        "location": _f("text", "location", "school", "building", "site",
            means="the school or site where the device is", looks="place"),
        "purchase_date": _f("date", "purchase date", "purchased", "date purchased",
            means="the date the device was purchased"),
        "purchase_cost": _f("money", "purchase cost", "cost", "price", "purchase price",
            means="what the device cost to purchase, its price"),
        "warranty_end": _f("date", "warranty end", "warranty expiration", "warranty expires",
            means="the date the device's warranty ends or expires"),
        "warranty_months": _f("int", "warranty months", "warranty",
            means="the length of the warranty in months"),
        "aue_date": _f("date", "auto update expiration", "aue", "aue date", "end of support",
            means="a Chromebook's automatic update expiration, its end of support"),
        "owner_email": _f("text", "owner email", "assigned to email", "user email", "email",
            means="the e-mail of the user the device is assigned to", looks="email"),
        "owner_name": _f("text", "owner", "assigned to", "user", "checked out to",
            means="the name of the person the device is assigned or checked out to",
            looks="person"),
        "owner_employee_id": _f("text", "owner employee id", "assigned to employee number",
            means="the employee number of the person the device is assigned to", looks="code"),
        "notes": _f("text", "notes", "comments", means="free text notes and comments",
            looks="free_text"),
    },
    "ticket": {
        "external_id": _f("text", "ticket id", "ticket number", "ticket", "id", required=True,
            means="the ticket's number or id in the help desk", looks="key"),
        "subject": _f("text", "subject", "title", "summary",
            means="the ticket's subject, its short title or summary", looks="free_text"),
        "description": _f("text", "description", "issue description", "details", "body",
            means="the full description of the problem, details", looks="free_text"),
        "opened_at": _f("datetime", "created", "created at", "created date", "opened", "date",
            means="the date and time the ticket was created or opened"),
        "closed_at": _f("datetime", "closed", "closed date", "resolved", "solved at", "completed",
            means="the date and time the ticket was closed or resolved"),
        "is_closed": _f("bool", "is closed", "closed?",
            means="yes or no: whether the ticket is closed"),
        "status": _f("text", "status", "state", "workflow step",
            means="the ticket's status: open, pending, resolved", looks="label"),
        "category": _f("text", "category", "issue type", "issue", "problem type", "type",
            means="the category or type of problem", looks="label"),
        "priority": _f("text", "priority", "urgency",
            means="the ticket's priority or urgency: low, medium, high", looks="label"),
        "location": _f("text", "location", "school", "building", "organization", "site",
            means="the school or site of the ticket", looks="place"),
        "requester": _f("text", "requester", "requested by", "for", "user",
            means="the name of the person who requested help, the requester", looks="person"),
        "requester_email": _f("text", "requester email", "email",
            means="the e-mail of the requester", looks="email"),
        "assignee": _f("text", "assignee", "assigned to", "technician", "agent",
            means="the technician or agent assigned to work on the ticket", looks="person"),
        "asset_tag": _f("text", "asset tag", "tag", means="the asset tag of the affected device",
            looks="key"),
        "serial": _f("serial", "serial", "serial number", "device serial",
            means="the serial number of the affected device", looks="key"),
        "parts_cost": _f("money", "parts cost", "parts", "repair cost",
            means="what the repair parts cost"),
        "labor_minutes": _f("int", "labor minutes", "labour minutes", "time spent", "minutes",
            means="the technician's labor time spent, in minutes"),
    },
    "contract": {
        "vendor": _f("text", "vendor", "supplier", "company", "vendor name", required=True,
            means="the vendor or company the district pays", looks="label"),
        "product": _f("text", "product", "service", "product name", "description", "item",
            means="the product, service or subscription's name", looks="label"),
        "annual_cost": _f("money", "annual cost", "cost", "annual amount", "amount", "price",
            means="what it costs per year, the annual cost"),
        "start_date": _f("date", "start date", "start", "begin date", "effective date",
            means="the date the current contract term began, its start"),
        "renewal_date": _f("date", "renewal date", "renewal", "end date", "expiration date",
            means="the date the current term ends: it renews or expires"),
        "term_months": _f("months", "term", "term months", "term (months)", "duration",
            means="the length of the contract term in months"),
        "auto_renew": _f("bool", "auto renew", "auto renew?", "auto-renew", "automatic renewal",
            means="yes or no: whether it renews automatically unless cancelled"),
        "notice_days": _f("days", "notice period", "notice", "notice days", "cancel notice",
            means="how many days of notice are needed to cancel"),
        "funding_source": _f("text", "funding", "funding source", "fund", "budget source",
            means="the fund, grant or budget that pays for it", looks="label"),
        "department": _f("text", "dept owner", "department", "owner", "dept",
            means="the department or person in the district that owns it", looks="label"),
        "category": _f("text", "category", "contract type", "contract category",
            means="the kind of contract: software, service, maintenance, connectivity",
            looks="label"),
        "status": _f("text", "status", means="the contract's status: active, cancelled, pending",
            looks="label"),
        "notes": _f("text", "notes", "comments", "remarks", means="free text notes and comments",
            looks="free_text"),
    },
    "purchase": {
        "po_number": _f("text", "po number", "po", "purchase order", "po #", required=True,
            means="the purchase order number", looks="key"),
        "po_date": _f("date", "po date", "order date", "date",
            means="the date of the purchase order"),
        "vendor": _f("text", "vendor", "supplier", "payee",
            means="the vendor or supplier it was bought from", looks="label"),
        "description": _f("text", "description", "item", "item description",
            means="a description of the item that was bought", looks="free_text"),
        "quantity": _f("int", "quantity", "qty", means="the quantity: how many were ordered"),
        "unit_price": _f("money", "unit price", "unit cost", "price",
            means="the price of one unit"),
        "amount": _f("money", "amount", "total", "extended amount", "line total",
            means="the line's total amount"),
        "account_code": _f("text", "account code", "account", "fund code", "gl account",
            means="the account string or GL code the line is charged to", looks="code"),
        "fund": _f("text", "fund", "fund name", "funding source",
            means="the fund that pays, a fund name or fund number", looks="label"),
    },
    "app_request": {
        "request_id": _f("text", "request id", "request #", "id", required=True,
            means="the request's number or id", looks="key"),
        "product": _f("text", "product", "app", "application", "tool name",
            means="the name of the app, website or tool requested", looks="label"),
        "vendor": _f("text", "vendor", "publisher", "company",
            means="the company or publisher that makes the app", looks="label"),
        "requester": _f("text", "requester", "requested by", "submitted by",
            means="the name of the teacher or person who requested it", looks="person"),
        "requester_email": _f("text", "requester email", "email",
            means="the e-mail of the requester", looks="email"),
        "location": _f("text", "building", "school", "location",
            means="the school or building it is for", looks="place"),
        "request_date": _f("date", "request date", "submitted", "date requested",
            means="the date it was requested or submitted"),
        "curriculum_review": _f("text", "curriculum review", "curriculum",
            means="the state of the curriculum review", looks="label"),
        "privacy_review": _f("text", "privacy review", "privacy", "dpa review", "privacy status",
            means="the state of the student data privacy review", looks="label"),
        "accessibility_review": _f("text", "accessibility review", "accessibility",
            means="the state of the accessibility review", looks="label"),
        "contract_review": _f("text", "contract review",
            means="the state of the contract or legal review", looks="label"),
        "funding_review": _f("text", "funding review",
            means="the state of the funding or budget review", looks="label"),
        "review_updated": _f("date", "review updated", "last updated", "updated",
            means="the date a review was last updated"),
        "approval_status": _f("text", "approval status", "status", "decision",
            means="the overall approval decision or status", looks="label"),
        "agreement_type": _f("text", "agreement type", "dpa type", "privacy agreement",
            means="the kind of data privacy agreement on file", looks="label"),
        "annual_cost": _f("money", "annual cost", "cost", "price",
            means="what the app costs per year"),
        "notes": _f("text", "notes", "comments", means="free text notes and comments",
            looks="free_text"),
    },
    "license": {
        "product": _f("text", "software", "product", "license name", required=True,
            means="the name of the licensed software", looks="label"),
        "vendor": _f("text", "vendor", "manufacturer", "publisher",
            means="the company that sells or makes the software", looks="label"),
        "seats": _f("int", "seats", "licenses", "quantity",
            means="how many seats or users the license covers"),
        "expiration_date": _f("date", "expiration date", "expires", "expiration",
            means="the date the license expires"),
        "purchase_cost": _f("money", "purchase cost", "cost", "price",
            means="what the license cost to purchase"),
        "purchase_date": _f("date", "purchase date", "purchased",
            means="the date the license was purchased"),
        "order_number": _f("text", "order number", "po number",
            means="the purchase order or order number", looks="code"),
        "product_key": _f("text", "product key", "license key", "serial",
            means="the license key or product key", looks="key"),
        "notes": _f("text", "notes", "comments", means="free text notes and comments",
            looks="free_text"),
    },
}
# fmt: on

# Fields that identify a row when its key field may be blank (a device: its serial, else its
# asset tag). A blank one is allowed; a damaged one (a serial Excel turned into 6.37702E+15)
# rejects the row, so it is never keyed by the other and listed twice.
ROW_KEYS: dict[str, tuple[str, ...]] = {"device": ("serial", "asset_tag")}

# What a file of each record type is, in plain words: the file's name is read against these.
RECORD_TYPES: dict[str, str] = {
    "contract": "a tracker of the district's contracts, subscriptions, agreements and renewals",
    "purchase": "purchase orders, PO lines, requisitions and spending from the finance system",
    "app_request": "requests to approve instructional apps and websites, app vetting",
    "ticket": "help desk tickets, work orders, repair tickets and support requests",
    "device": "an inventory of devices, assets, Chromebooks, laptops and hardware",
    "person": "a staff roster of employees from HR",
    "license": "software licenses, license keys, seats and license counts",
    "location": "a list of the district's schools, sites, buildings and campuses",
}

REVIEWS = ("curriculum", "privacy", "accessibility", "contract", "funding")

# The fields a record type's answers need: each entry is one need, met by any of its fields.
# A file that meets none of an entry's fields still loads, and ingest says which is missing.
NEEDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "contract": (("vendor",), ("renewal_date", "term_months"), ("annual_cost",)),
    "purchase": (("po_date",), ("amount",), ("fund", "account_code")),
    "app_request": (("product",), ("privacy_review", "approval_status")),
    "ticket": (("opened_at",), ("status", "is_closed", "closed_at"), ("location",)),
    "device": (("serial", "asset_tag"),),
    "person": (("name", "first_name", "last_name"), ("email", "employee_id")),
    "license": (("product",), ("expiration_date",)),
    "location": (("name",),),
}
