"""Vendor readers on small exports written here: Jamf Pro, Freshservice, Zendesk JSON, Snipe-IT users
and Incident IQ assets; detection of every reader against every other's headers, and --source.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from assistant.settings import DEFAULT_FIELD_PRECEDENCE
from ingest.load import FileReport, ingest_paths
from ingest.sample import (
    APP_REQUESTS_FILE,
    CONTRACTS_FILE,
    GOOGLE_ADMIN_FILE,
    HEADERS,
    INCIDENT_IQ_FILE,
    PO_FILE,
    ROSTER_FILE,
    SNIPE_IT_FILE,
    ZENDESK_FILE,
)
from ingest.schema import (
    Conflict,
    Device,
    FactSource,
    IngestFile,
    Location,
    Person,
    SourceRecord,
    Ticket,
)
from ingest.sources import SOURCES, detect_source, plan_file, source_names
from ingest.writers import LoadOptions

D, T = dt.date, dt.datetime

# --------------------------------------------------------------------------------------------
# Headers of every reader's exports (spaced and API forms) and of files no reader knows
# --------------------------------------------------------------------------------------------

JAMF_CSV = (
    "Computer Name", "Serial Number", "Model", "Username", "Full Name", "Email Address",
    "Building", "PO Number", "PO Date", "Vendor", "Purchase Price", "Warranty Expiration",
    "Lease Expiration", "Life Expectancy", "Asset Tag", "Managed", "Retired",
)  # fmt: skip
JAMF_CLASSIC_API = (
    "general.name", "general.serial_number", "general.asset_tag",
    "general.remote_management.managed", "hardware.make", "hardware.model", "location.username",
    "location.real_name", "location.email_address", "location.building", "purchasing.po_number",
    "purchasing.po_date", "purchasing.vendor", "purchasing.purchase_price",
    "purchasing.warranty_expires", "purchasing.lease_expires", "purchasing.life_expectancy",
)  # fmt: skip
JAMF_PRO_API = (
    "general.name", "general.assetTag", "general.remoteManagement.managed",
    "hardware.serialNumber", "hardware.model", "userAndLocation.username",
    "userAndLocation.email", "userAndLocation.buildingId", "purchasing.poNumber",
    "purchasing.poDate", "purchasing.vendor", "purchasing.purchasePrice",
    "purchasing.warrantyDate", "purchasing.leaseDate", "purchasing.lifeExpectancy",
)  # fmt: skip
FRESHSERVICE_CSV = (
    "Ticket ID", "Subject", "Description", "Status", "Priority", "Category", "Sub-Category",
    "Requester Name", "Requester Email", "Agent", "Group", "Department", "Created Date",
    "Resolved Time", "Closed Time", "Due by Time", "Tags", "Asset Serial", "Parts Cost",
    "Labor Minutes",
)  # fmt: skip
FRESHSERVICE_API = (
    "id", "subject", "description", "description_text", "status", "priority", "source", "type",
    "category", "sub_category", "item_category", "requester_id", "responder_id", "group_id",
    "department_id", "created_at", "updated_at", "due_by", "fr_due_by", "fr_escalated",
    "is_escalated", "spam", "deleted", "tags", "custom_fields.asset_serial",
)  # fmt: skip
ZENDESK_API = (
    "url", "id", "external_id", "via.channel", "created_at", "updated_at", "type", "subject",
    "raw_subject", "description", "priority", "status", "recipient", "requester_id",
    "submitter_id", "assignee_id", "organization_id", "group_id", "has_incidents", "is_public",
    "due_at", "tags", "custom_fields", "brand_id", "ticket_form_id",
)  # fmt: skip
ZENDESK_JSON_EMBEDDED = (
    "id", "subject", "description", "status", "priority", "type", "requester.name",
    "requester.email", "assignee_id", "group_id", "organization_name", "tags", "created_at",
    "updated_at", "custom_fields",
)  # fmt: skip
SNIPE_USERS_IMPORT = (
    "First Name", "Last Name", "Username", "Email", "Employee Number", "Location", "Department",
    "Job Title", "Start Date", "End Date",
)  # fmt: skip
SNIPE_USERS_EXPORT = (
    "ID", "Name", "First Name", "Last Name", "Username", "Employee No.", "Email", "Title",
    "Manager", "Location", "Department", "Start Date", "End Date",
)  # fmt: skip
SNIPE_USERS_API = (
    "id", "name", "first_name", "last_name", "username", "employee_num", "jobtitle", "email",
    "location.name", "department.name", "start_date.date", "end_date.date",
)  # fmt: skip
IIQ_ASSETS = (
    "AssetTag", "SerialNumber", "Name", "AssetTypeName", "Model.Name", "Owner.Name",
    "Location.Name", "PurchasedDate", "PurchasePrice", "WarrantyExpirationDate",
    "StatusTypeName", "RetiredDate",
)  # fmt: skip
GOOGLE_API = (
    "serialNumber", "model", "status", "lastSync", "annotatedUser", "annotatedLocation",
    "annotatedAssetId", "orgUnitPath", "autoUpdateThrough", "notes",
)  # fmt: skip
# A Snipe-IT asset export that names the assignee's first and last name: still assets.
SNIPE_ASSETS_WITH_ASSIGNEE = (
    "Asset Tag", "Serial", "Model", "Category", "Status", "Location", "Username", "Email",
    "First Name", "Last Name",
)  # fmt: skip

EXPECTED: dict[str, tuple[tuple[str, ...], str | None]] = {
    "snipe_it": (HEADERS[SNIPE_IT_FILE], "snipe_it"),
    "snipe_it with assignee names": (SNIPE_ASSETS_WITH_ASSIGNEE, "snipe_it"),
    "google_admin console": (HEADERS[GOOGLE_ADMIN_FILE], "google_admin"),
    "google_admin API": (GOOGLE_API, "google_admin"),
    "incident_iq_tickets": (HEADERS[INCIDENT_IQ_FILE], "incident_iq_tickets"),
    "incident_iq_assets": (IIQ_ASSETS, "incident_iq_assets"),
    "zendesk CSV": (HEADERS[ZENDESK_FILE], "zendesk"),
    "zendesk API JSON": (ZENDESK_API, "zendesk"),
    "zendesk JSON, requester embedded": (ZENDESK_JSON_EMBEDDED, "zendesk"),
    "jamf CSV": (JAMF_CSV, "jamf"),
    "jamf Classic API": (JAMF_CLASSIC_API, "jamf"),
    "jamf Pro API": (JAMF_PRO_API, "jamf"),
    "freshservice CSV": (FRESHSERVICE_CSV, "freshservice"),
    "freshservice API": (FRESHSERVICE_API, "freshservice"),
    "snipe_it_users import": (SNIPE_USERS_IMPORT, "snipe_it_users"),
    "snipe_it_users export": (SNIPE_USERS_EXPORT, "snipe_it_users"),
    "snipe_it_users API": (SNIPE_USERS_API, "snipe_it_users"),
    "HR roster": (HEADERS[ROSTER_FILE], None),
    "contracts tracker": (HEADERS[CONTRACTS_FILE], None),
    "PO export": (HEADERS[PO_FILE], None),
    "app requests": (HEADERS[APP_REQUESTS_FILE], None),
}


@pytest.mark.parametrize("case", list(EXPECTED))
def test_each_export_is_read_as_its_own_system_and_no_other(case: str) -> None:
    headers, expected = EXPECTED[case]
    found, score = detect_source(list(headers))
    found_key = next((key for key, source in SOURCES.items() if source is found), None)
    assert found_key == expected, f"{case}: read as {found_key} ({score:.0%})"


def test_every_reader_is_named_for_source_and_can_be_forced() -> None:
    assert {"jamf", "freshservice", "snipe_it_users"} <= set(source_names())
    for key, source in SOURCES.items():
        plan = plan_file(["Serial Number", "Something Else"], source=key)
        assert (plan.system, plan.record_type) == (source.name, source.record_type)
        assert plan.decided == f"{source.label} (forced by --source)"


@pytest.mark.parametrize(
    ("key", "headers", "field"),
    [
        ("jamf", ("Serial Number", "SerialNumber", "serial_number", "general.serial_number",
                  "hardware.serialNumber", "hardware.serial_number"), "serial"),
        ("jamf", ("Warranty Expiration", "purchasing.warranty_expires", "purchasing.warrantyDate",
                  "purchasing.warrantyExpiresDate"), "warranty_end"),
        ("jamf", ("PO Date", "purchasing.po_date", "purchasing.poDate", "po_date"), "purchase_date"),
        ("jamf", ("Purchase Price", "purchasing.purchase_price", "purchasing.purchasePrice"),
         "purchase_cost"),
        ("jamf", ("Email Address", "location.email_address", "userAndLocation.email"),
         "owner_email"),
        ("freshservice", ("Ticket ID", "TicketID", "ticket_id", "id"), "external_id"),
        ("freshservice", ("Created Date", "created_at", "CreatedAt"), "opened_at"),
        ("freshservice", ("Resolved Time", "stats.resolved_at"), "closed_at"),
        ("freshservice", ("Sub-Category", "sub_category", "SubCategory"), "sub_category"),
        ("freshservice", ("Asset Serial", "custom_fields.asset_serial"), "serial"),
        ("freshservice", ("Requester Email", "requester.email"), "requester_email"),
        ("zendesk", ("Requester", "requester.name"), "requester"),
        ("zendesk", ("Solved at", "solved_at", "metric_set.solved_at"), "closed_at"),
        ("zendesk", ("Organization", "organization_name", "organization.name"), "location"),
        ("snipe_it_users", ("Employee Number", "Employee No.", "employee_num", "EmployeeNumber"),
         "employee_id"),
        ("snipe_it_users", ("Job Title", "Title", "jobtitle"), "title"),
        ("snipe_it_users", ("First Name", "first_name", "FirstName"), "first_name"),
        ("snipe_it_users", ("Start Date", "start_date", "start_date.date"), "start_date"),
        ("incident_iq_assets", ("SerialNumber", "Serial Number", "serial_number"), "serial"),
        ("incident_iq_assets", ("StatusTypeName", "Status"), "status"),
        ("incident_iq_assets", ("WarrantyExpirationDate", "Warranty Expiration Date"),
         "warranty_end"),
    ],
)  # fmt: skip
def test_api_names_and_spaced_headers_map_to_the_same_field(key, headers, field) -> None:
    mappings = SOURCES[key].map_columns(list(headers))
    assert [m.field for m in mappings] == [field] * len(headers)


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


@pytest.fixture
def write_json(tmp_path: Path):
    """Write a JSON (or JSON lines) export and return its path."""

    def write(name: str, payload: Any) -> Path:
        path = tmp_path / "exports" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if name.endswith((".jsonl", ".ndjson")):
            path.write_text("\n".join(json.dumps(item) for item in payload) + "\n")
        else:
            path.write_text(json.dumps(payload, indent=2))
        return path

    return write


def csv_line(*cells: object) -> str:
    """One CSV line; cells holding a comma are quoted."""
    return ",".join(f'"{c}"' if "," in str(c) else str(c) for c in cells)


def rejects(report: FileReport) -> list[tuple[int, str | None, str | None, bool]]:
    return [(r.row, r.column, r.value, r.row_rejected) for r in report.rejects]


def reason(report: FileReport, row: int) -> str:
    return next(r.reason for r in report.rejects if r.row == row)


def devices(store) -> dict[str, dict[str, Any]]:
    """Every device by serial, with its location and owner by name and its source file:row."""
    with store.read_session() as session:
        found = {}
        for device in session.scalars(select(Device)):
            values = {c.name: getattr(device, c.name) for c in Device.__table__.columns}
            values["location"] = _location(session, device.location_id)
            owner = session.get(Person, device.person_id) if device.person_id else None
            values["owner"] = (owner.email, owner.name) if owner else None
            values["source"] = _source(session, device.source_record_id)
            found[device.serial] = values
        return found


def tickets(store) -> dict[str, dict[str, Any]]:
    """Every ticket by system:external id, with location, requester email and source file:row."""
    with store.read_session() as session:
        found = {}
        for ticket in session.scalars(select(Ticket)):
            values = {c.name: getattr(ticket, c.name) for c in Ticket.__table__.columns}
            values["location"] = _location(session, ticket.location_id)
            person = session.get(Person, ticket.requester_id) if ticket.requester_id else None
            values["requester_email"] = person.email if person else None
            values["source"] = _source(session, ticket.source_record_id)
            found[f"{ticket.system}:{ticket.external_id}"] = values
        return found


def people(store) -> dict[str, dict[str, Any]]:
    with store.read_session() as session:
        found = {}
        for person in session.scalars(select(Person)):
            values = {c.name: getattr(person, c.name) for c in Person.__table__.columns}
            values["location"] = _location(session, person.location_id)
            values["source"] = _source(session, person.source_record_id)
            found[person.email] = values
        return found


def raw_of(store, file: str, row: int) -> dict[str, Any]:
    with store.read_session() as session:
        record = session.scalars(
            select(SourceRecord).where(SourceRecord.file == file, SourceRecord.row == row)
        ).one()
        headers = session.get(IngestFile, record.ingest_file_id).headers
        return dict(zip(headers, record.raw, strict=False))


def _location(session, location_id: int | None) -> str | None:
    return session.get(Location, location_id).name if location_id else None


def _source(session, record_id: int | None) -> str | None:
    record = session.get(SourceRecord, record_id) if record_id else None
    return f"{record.system}:{record.file}:{record.row}" if record else None


def subset(values: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    return {name: values[name] for name in expected}


# --------------------------------------------------------------------------------------------
# Jamf Pro
# --------------------------------------------------------------------------------------------


def jamf_csv(write_csv) -> Path:
    """Jamf's CSV download, saved by Excel on Windows: Windows-1252 text, a blank row."""
    return write_csv(
        "jamf_computers.csv",
        ",".join(JAMF_CSV),
        csv_line("LES-T-101", "C02XK1ABJG5H", "MacBook Air (M2, 2022)", "zoneil", "Zoë O’Neil",
                 "zoe.oneil@maplevalley.k12.us", "Peña Elementary", "PO-2301", "2023-08-15",
                 "Apple Inc.", "$1,099.00", "2026-08-15", "", "4", "MV-1001", "Managed", ""),
        "",
        csv_line("LES-LAB-IMAC", "C02YL2CDJV40", "iMac (24-inch, M1, 2021)", "", "", "",
                 "Lincoln Elementary School", "PO-2302", "soon", "Apple Inc.", "1499", "2024-06-01",
                 "", "6", "MV-1002", "Managed", "No"),
        csv_line("Cart iPad 7", "DMPXJ3K4Q1GC", "iPad (9th generation)", "", "", "",
                 "Lincoln Elementary School", "", "", "", "329.00", "", "", "", "MV-1003",
                 "Unmanaged", "Yes"),
        csv_line("LES-T-101 (old)", "c02x-k1ab-jg5h", "MacBook Air (M2, 2022)", "", "", "",
                 "Peña Elementary", "", "", "", "", "", "", "", "MV-0999", "Managed", ""),
        encoding="cp1252",
    )  # fmt: skip


def test_jamf_csv_loads_every_field_and_reports_bad_cells_and_duplicates(store, write_csv):
    (report,) = ingest_paths([jamf_csv(write_csv)], store)

    assert (report.status, report.system, report.record_type) == ("loaded", "jamf", "device")
    assert report.decided == "Jamf Pro (header fingerprint 100%)"
    assert (report.rows_read, report.inserted, report.rejected) == (4, 3, 1)
    assert rejects(report) == [
        (4, "PO Date", "soon", False),
        (6, None, "C02XK1ABJG5H", True),
    ]
    assert "'soon' is not a date" in reason(report, 4)
    assert reason(report, 6) == "duplicate serial of row 2"

    found = devices(store)
    assert set(found) == {"C02XK1ABJG5H", "C02YL2CDJV40", "DMPXJ3K4Q1GC"}
    expected = {
        "asset_tag": "MV-1001", "name": "LES-T-101", "model": "MacBook Air (M2, 2022)",
        "manufacturer": "Apple", "category": "Laptop", "status": None, "is_active": True,
        "purchase_date": D(2023, 8, 15), "purchase_cost": Decimal("1099.00"),
        "warranty_end": D(2026, 8, 15), "aue_date": None, "location": "Peña Elementary",
        "owner": ("zoe.oneil@maplevalley.k12.us", "Zoë O’Neil"),
        "source": "jamf:jamf_computers.csv:2",
    }  # fmt: skip
    assert subset(found["C02XK1ABJG5H"], expected) == expected
    imac = found["C02YL2CDJV40"]
    assert (imac["category"], imac["manufacturer"], imac["is_active"]) == ("Desktop", "Apple", True)
    assert (imac["purchase_date"], imac["purchase_cost"]) == (None, Decimal("1499.00"))
    assert (imac["warranty_end"], imac["location"], imac["owner"]) == (
        D(2024, 6, 1),
        "Lincoln Elementary School",
        None,
    )
    assert imac["source"] == "jamf:jamf_computers.csv:4"
    ipad = found["DMPXJ3K4Q1GC"]
    assert (ipad["category"], ipad["is_active"], ipad["purchase_cost"]) == (
        "Tablet",
        False,
        Decimal("329.00"),
    )
    assert ipad["source"] == "jamf:jamf_computers.csv:5"
    raw = raw_of(store, "jamf_computers.csv", 2)
    assert (raw["Building"], raw["PO Number"], raw["Managed"]) == (
        "Peña Elementary",
        "PO-2301",
        "Managed",
    )


def test_jamf_classic_api_json_is_recognised_and_loaded(store, write_json) -> None:
    computer = {
        "general": {"name": "MVHS-Lab-07", "serial_number": "C02ZM1ABMD6T", "asset_tag": "MV-1101",
                    "remote_management": {"managed": True}},
        "hardware": {"make": "Apple", "model": "Mac mini (M2, 2023)"},
        "location": {"username": "pat.kim@maplevalley.k12.us", "real_name": "Pat Kim",
                     "email_address": "", "building": "Maple Valley High School"},
        "purchasing": {"po_number": "PO-2410", "po_date": "2023-07-01", "vendor": "CDW-G",
                       "purchase_price": "699.00", "warranty_expires": "2026-07-01",
                       "lease_expires": "", "life_expectancy": 6},
    }  # fmt: skip
    path = write_json("jamf_classic.json", {"computers": [computer]})
    (report,) = ingest_paths([path], store)
    assert report.decided == "Jamf Pro (header fingerprint 100%)"
    assert (report.inserted, report.rejects) == (1, [])
    device = devices(store)["C02ZM1ABMD6T"]
    assert subset(device, {"name", "asset_tag", "model", "manufacturer", "category"}) == {
        "name": "MVHS-Lab-07", "asset_tag": "MV-1101", "model": "Mac mini (M2, 2023)",
        "manufacturer": "Apple", "category": "Desktop",
    }  # fmt: skip
    assert (device["purchase_date"], device["purchase_cost"], device["warranty_end"]) == (
        D(2023, 7, 1),
        Decimal("699.00"),
        D(2026, 7, 1),
    )
    # The username is an email here and the email field is blank: the username is the owner.
    assert device["owner"] == ("pat.kim@maplevalley.k12.us", "Pat Kim")
    assert device["location"] == "Maple Valley High School"
    assert device["source"] == "jamf:jamf_classic.json:2"


def test_jamf_pro_api_json_is_recognised_and_loaded(store, write_json) -> None:
    computer = {
        "id": "17",
        "general": {"name": "LES-T-204", "assetTag": "MV-1204",
                    "remoteManagement": {"managed": True}},
        "hardware": {"serialNumber": "FVFXC2ABHV2J", "model": "MacBook Pro (14-inch, 2021)"},
        "userAndLocation": {"username": "lee", "email": "lee@maplevalley.k12.us",
                            "buildingId": "3"},
        "purchasing": {"poNumber": "PO-2200", "poDate": "2022-01-10", "vendor": "Apple",
                       "purchasePrice": "1,999.00", "warrantyDate": "2025-01-10",
                       "leaseDate": None, "lifeExpectancy": 5},
    }  # fmt: skip
    path = write_json("computers-inventory.json", {"totalCount": 1, "results": [computer]})
    (report,) = ingest_paths([path], store)
    assert (report.system, report.inserted) == ("jamf", 1)
    device = devices(store)["FVFXC2ABHV2J"]
    assert (device["name"], device["asset_tag"], device["category"]) == (
        "LES-T-204",
        "MV-1204",
        "Laptop",
    )
    assert (device["purchase_cost"], device["warranty_end"]) == (Decimal("1999.00"), D(2025, 1, 10))
    assert device["owner"] == ("lee@maplevalley.k12.us", "lee")
    assert device["location"] is None  # buildingId is an id, not a name: kept raw only


# --------------------------------------------------------------------------------------------
# Freshservice
# --------------------------------------------------------------------------------------------


def freshservice_csv(write_csv) -> Path:
    """The UI export, with Windows line endings and a blank row."""
    return write_csv(
        "freshservice_tickets.csv",
        ",".join(FRESHSERVICE_CSV),
        csv_line("INC-101", "Cracked screen", "Dropped in the hallway", "Closed", "High",
                 "Hardware", "Cracked Screen", "Ana Ruiz", "ana.ruiz@maplevalley.k12.us",
                 "Sam Tech", "Field Techs", "Lincoln Elementary School", "2026-09-01 08:15:00",
                 "2026-09-03 14:00:00", "2026-09-05 14:00:00", "2026-09-04 08:15:00",
                 "chromebook screen", "c02x-k1ab-jg5h", "45.50", "30"),
        "",
        csv_line("INC-102", "Wi-Fi drops", "Cannot stay connected", "Open", "Low", "Network", "",
                 "Ben Ode", "ben.ode@maplevalley.k12.us", "", "Network Team",
                 "Maple Valley High School", "2026-09-10 09:00:00", "", "", "2026-09-12 09:00:00",
                 "", "", "12.5k", "15"),
        csv_line("INC-103", "Sticky keys", "Keys stick", "Closed", "Medium", "Hardware",
                 "Keyboard", "Ana Ruiz", "ana.ruiz@maplevalley.k12.us", "Sam Tech", "Field Techs",
                 "Lincoln Elementary School", "2026-09-15 10:00:00", "", "2026-09-21 10:00:00", "",
                 "", "", "", ""),
        csv_line("INC-101", "Cracked screen (again)", "", "Open", "High", "Hardware", "", "", "",
                 "", "", "", "2026-09-20 08:00:00", "", "", "", "", "", "", ""),
        newline="\r\n",
    )  # fmt: skip


def test_freshservice_csv_loads_every_field_and_reports_bad_cells_and_duplicates(store, write_csv):
    (report,) = ingest_paths([freshservice_csv(write_csv)], store)

    assert (report.status, report.system, report.record_type) == (
        "loaded",
        "freshservice",
        "ticket",
    )
    assert report.decided == "Freshservice (header fingerprint 100%)"
    assert (report.rows_read, report.inserted, report.rejected) == (4, 3, 1)
    assert rejects(report) == [
        (4, "Parts Cost", "12.5k", False),
        (6, None, "freshservice, INC-101", True),
    ]
    assert "12.5k" in reason(report, 4)
    assert reason(report, 6) == "duplicate of row 2"

    found = tickets(store)
    assert set(found) == {"freshservice:INC-101", "freshservice:INC-102", "freshservice:INC-103"}
    expected = {
        "subject": "Cracked screen", "description": "Dropped in the hallway", "status": "Closed",
        "is_open": False, "priority": "High", "category": "Cracked screen",
        "category_as_written": "Hardware / Cracked Screen", "is_repair": True,
        "opened_at": T(2026, 9, 1, 8, 15), "closed_at": T(2026, 9, 3, 14, 0),
        "requester": "Ana Ruiz", "requester_email": "ana.ruiz@maplevalley.k12.us",
        "assignee": "Sam Tech", "location": "Lincoln Elementary School",
        "device_serial": "C02XK1ABJG5H", "device_id": None, "parts_cost": Decimal("45.50"),
        "labor_minutes": 30, "source": "freshservice:freshservice_tickets.csv:2",
    }  # fmt: skip
    assert subset(found["freshservice:INC-101"], expected) == expected
    wifi = found["freshservice:INC-102"]
    assert (wifi["status"], wifi["is_open"], wifi["priority"], wifi["category"]) == (
        "Open",
        True,
        "Low",
        "Network",
    )
    assert (wifi["closed_at"], wifi["parts_cost"], wifi["labor_minutes"]) == (None, None, 15)
    assert wifi["source"] == "freshservice:freshservice_tickets.csv:4"
    # Closed without a resolved time: the closed time is when it closed.
    keys = found["freshservice:INC-103"]
    assert (keys["closed_at"], keys["category"], keys["is_repair"]) == (
        T(2026, 9, 21, 10, 0),
        "Keyboard",
        True,
    )
    raw = raw_of(store, "freshservice_tickets.csv", 2)
    assert (raw["Group"], raw["Due by Time"], raw["Tags"]) == (
        "Field Techs",
        "2026-09-04 08:15:00",
        "chromebook screen",
    )


def test_freshservice_api_json_numbers_become_words_and_html_becomes_text(store, write_json):
    common = {"requester_id": 5001, "responder_id": 7001, "group_id": 11, "department_id": 21,
              "source": 2, "type": "Incident", "fr_due_by": "2026-09-02T08:15:00Z",
              "due_by": "2026-09-04T08:15:00Z", "updated_at": "2026-09-03T14:00:00Z"}  # fmt: skip
    payload = {
        "tickets": [
            {**common, "id": 2001, "subject": "Screen", "status": 4, "priority": 3,
             "description": "<div>Screen <b>cracked</b> &amp; bent</div>",
             "description_text": "Screen cracked & bent", "category": "Hardware",
             "sub_category": "Chromebook", "item_category": "Screen",
             "created_at": "2026-09-01T08:15:00Z", "tags": ["chromebook", "screen"],
             "custom_fields": {"asset_serial": "DMPXJ3K4Q1GC", "parts_cost": 20,
                               "labor_minutes": 15},
             "stats": {"resolved_at": "2026-09-03T13:30:00Z", "closed_at": None}},
            {**common, "id": 2002, "subject": "Printer", "status": 2, "priority": 1,
             "description": "<p>Printer &lt;jammed&gt;<br>again</p>", "description_text": None,
             "category": "Printing", "sub_category": None, "item_category": None,
             "created_at": "2026-09-05T10:00:00Z", "tags": [], "custom_fields": {},
             "stats": {"resolved_at": None, "closed_at": None}},
            {**common, "id": 2003, "subject": "Account", "status": 5, "priority": 4,
             "description": "", "description_text": "Locked out", "category": "Accounts",
             "created_at": "2026-09-06T10:00:00Z",
             "stats": {"resolved_at": None, "closed_at": "2026-09-07T09:00:00Z"}},
        ]
    }  # fmt: skip
    (report,) = ingest_paths([write_json("freshservice.json", payload)], store)
    assert report.decided == "Freshservice (header fingerprint 100%)"
    assert (report.inserted, report.rejects) == (3, [])
    found = tickets(store)
    screen = found["freshservice:2001"]
    assert subset(screen, {"status", "priority", "is_open", "description", "category_as_written",
                           "category", "device_serial", "parts_cost", "labor_minutes",
                           "opened_at", "closed_at", "source"}) == {
        "status": "Resolved", "priority": "High", "is_open": False,
        "description": "Screen cracked & bent",
        "category_as_written": "Hardware / Chromebook / Screen", "category": "Cracked screen",
        "device_serial": "DMPXJ3K4Q1GC", "parts_cost": Decimal("20.00"), "labor_minutes": 15,
        "opened_at": T(2026, 9, 1, 8, 15), "closed_at": T(2026, 9, 3, 13, 30),
        "source": "freshservice:freshservice.json:2",
    }  # fmt: skip
    printer = found["freshservice:2002"]
    assert (printer["status"], printer["priority"], printer["is_open"]) == ("Open", "Low", True)
    assert printer["description"] == "Printer <jammed> again"
    account = found["freshservice:2003"]
    assert (account["status"], account["priority"], account["closed_at"]) == (
        "Closed",
        "Urgent",
        T(2026, 9, 7, 9, 0),
    )
    assert raw_of(store, "freshservice.json", 2)["tags"] == "chromebook screen"


# --------------------------------------------------------------------------------------------
# Zendesk JSON
# --------------------------------------------------------------------------------------------

ZENDESK_TICKETS: list[dict[str, Any]] = [
    {"id": 20501, "subject": "Cracked screen", "description": "Screen cracked in backpack",
     "status": "solved", "priority": "high", "type": "incident",
     "requester": {"name": "Ana Ruiz", "email": "ana.ruiz@maplevalley.k12.us"},
     "assignee_id": 9001, "group_id": 42, "organization_name": "Lincoln Elementary School",
     "tags": ["hardware", "screen"], "created_at": "2026-09-01T08:15:00Z",
     "updated_at": "2026-09-02T10:00:00Z",
     "custom_fields": [{"id": 360001, "value": "C02XK1ABJG5H"}, {"id": 360002, "value": None}]},
    {},
    {"id": 20502, "subject": "Password reset", "description": "Locked out", "status": "open",
     "priority": "normal", "type": "question",
     "requester": {"name": "Ben Ode", "email": "ben.ode@maplevalley.k12.us"},
     "assignee_id": None, "group_id": 42, "organization_name": "Maple Valley High School",
     "tags": [], "created_at": "2026-09-03T09:00:00Z", "updated_at": "2026-09-03T09:30:00Z",
     "custom_fields": []},
    {"id": 20503, "subject": "Projector", "description": "No signal", "status": "closed",
     "priority": None, "type": "problem", "requester": {"name": "Cara Lee", "email": None},
     "assignee_id": 9002, "group_id": 43, "organization_name": "Lincoln Elementary School",
     "tags": ["av"], "created_at": "soon", "updated_at": "2026-09-09T16:45:00Z",
     "custom_fields": []},
    {"id": 20501, "subject": "Cracked screen", "description": "Repeat", "status": "open",
     "priority": "high", "type": "incident", "requester": {"name": "Ana Ruiz", "email": None},
     "assignee_id": None, "group_id": 42, "organization_name": "Lincoln Elementary School",
     "tags": [], "created_at": "2026-09-04T08:15:00Z", "updated_at": "2026-09-04T08:15:00Z",
     "custom_fields": []},
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "payload"),
    [
        ("tickets.json", ZENDESK_TICKETS),
        ("export.json", {"tickets": ZENDESK_TICKETS, "next_page": None, "count": 5}),
        ("incremental.jsonl", ZENDESK_TICKETS),
    ],
    ids=["array", "tickets-object", "json-lines"],
)
def test_zendesk_json_in_every_shape_is_recognised_and_loaded(store, write_json, name, payload):
    (report,) = ingest_paths([write_json(name, payload)], store)

    assert (report.status, report.system, report.record_type) == ("loaded", "zendesk", "ticket")
    assert report.decided.startswith("Zendesk (header fingerprint")
    assert (report.rows_read, report.inserted, report.rejected) == (4, 3, 1)
    assert rejects(report) == [(5, "created_at", "soon", False), (6, None, "zendesk, 20501", True)]
    assert reason(report, 6) == "duplicate of row 2"

    found = tickets(store)
    assert set(found) == {"zendesk:20501", "zendesk:20502", "zendesk:20503"}
    expected = {
        "subject": "Cracked screen", "description": "Screen cracked in backpack",
        "status": "solved", "is_open": False, "priority": "high",
        "opened_at": T(2026, 9, 1, 8, 15), "closed_at": T(2026, 9, 2, 10, 0),
        "requester": "Ana Ruiz", "requester_email": "ana.ruiz@maplevalley.k12.us",
        "location": "Lincoln Elementary School", "device_serial": None,
        "source": f"zendesk:{name}:2",
    }  # fmt: skip
    assert subset(found["zendesk:20501"], expected) == expected
    still_open = found["zendesk:20502"]
    assert (still_open["is_open"], still_open["closed_at"], still_open["priority"]) == (
        True,
        None,
        "normal",
    )
    assert still_open["location"] == "Maple Valley High School"
    closed = found["zendesk:20503"]
    assert (closed["opened_at"], closed["closed_at"], closed["is_open"]) == (
        None,
        T(2026, 9, 9, 16, 45),
        False,
    )
    assert (closed["requester"], closed["requester_email"]) == ("Cara Lee", None)
    raw = raw_of(store, name, 2)
    assert raw["tags"] == "hardware screen"
    assert "360001" in raw["custom_fields"] and "C02XK1ABJG5H" in raw["custom_fields"]
    assert raw["assignee_id"] == 9001


def test_zendesk_json_with_a_solved_time_keeps_it(store, write_json) -> None:
    tickets_ = [
        {"id": 1, "subject": "a", "status": "solved", "created_at": "2026-09-01T08:00:00Z",
         "updated_at": "2026-09-10T08:00:00Z", "assignee_id": 5, "organization_id": 7,
         "via": {"channel": "web"}, "metric_set": {"solved_at": "2026-09-02T08:00:00Z"}},
        {"id": 2, "subject": "b", "status": "closed", "created_at": "2026-09-01T08:00:00Z",
         "updated_at": "2026-09-10T08:00:00Z", "assignee_id": 5, "organization_id": 7,
         "via": {"channel": "email"}, "metric_set": {"solved_at": None}},
    ]  # fmt: skip
    (report,) = ingest_paths([write_json("full_export.json", tickets_)], store)
    assert report.decided == "Zendesk (header fingerprint 88%)"
    found = tickets(store)
    assert found["zendesk:1"]["closed_at"] == T(2026, 9, 2, 8, 0)
    # The file has a solved-time column: a blank one stays blank, it is not guessed.
    assert (found["zendesk:2"]["closed_at"], found["zendesk:2"]["is_open"]) == (None, False)
    assert found["zendesk:1"]["location"] is None  # organization_id is an id, not a name


# --------------------------------------------------------------------------------------------
# Snipe-IT users
# --------------------------------------------------------------------------------------------


def test_snipe_it_users_load_as_people_with_first_and_last_name_joined(store, write_csv):
    path = write_csv(
        "snipe_users.csv",
        ",".join(SNIPE_USERS_IMPORT),
        csv_line("Ana", "Ruiz", "aruiz", "Ana.Ruiz@maplevalley.k12.us", "E1001",
                 "Lincoln Elementary School", "Instruction", "Teacher", "8/15/2019", ""),
        "",
        csv_line("Ben", "Ode", "bode", "ben.ode@maplevalley.k12.us", "E1002",
                 "Maple Valley High School", "Technology", "Technician", "2021-07-01",
                 "someday"),
        csv_line("Cara", "Lee", "cara.lee@maplevalley.k12.us", "", "E1003",
                 "Lincoln Elementary School", "Instruction", "Aide", "", "2026-06-30"),
        csv_line("Ana", "Ruiz", "aruiz", "ana.ruiz@maplevalley.k12.us", "E1001",
                 "Lincoln Elementary School", "Instruction", "Teacher", "", ""),
    )  # fmt: skip
    (report,) = ingest_paths([path], store)

    assert (report.status, report.system, report.record_type) == ("loaded", "snipe_it", "person")
    assert report.decided == "Snipe-IT users (header fingerprint 100%)"
    assert (report.rows_read, report.inserted, report.rejected) == (4, 3, 1)
    assert rejects(report) == [
        (4, "End Date", "someday", False),
        (6, None, "E1001, ana.ruiz@maplevalley.k12.us", True),
    ]
    assert reason(report, 6) == "duplicate of row 2"

    found = people(store)
    assert set(found) == {
        "ana.ruiz@maplevalley.k12.us",
        "ben.ode@maplevalley.k12.us",
        "cara.lee@maplevalley.k12.us",
    }
    expected = {
        "employee_id": "E1001", "name": "Ana Ruiz", "title": "Teacher",
        "location": "Lincoln Elementary School", "start_date": D(2019, 8, 15), "end_date": None,
        "in_roster": True, "source": "snipe_it:snipe_users.csv:2",
    }  # fmt: skip
    assert subset(found["ana.ruiz@maplevalley.k12.us"], expected) == expected
    ben = found["ben.ode@maplevalley.k12.us"]
    assert (ben["name"], ben["start_date"], ben["end_date"], ben["source"]) == (
        "Ben Ode",
        D(2021, 7, 1),
        None,
        "snipe_it:snipe_users.csv:4",
    )
    # No email column value: the username is an email, so it is the email.
    cara = found["cara.lee@maplevalley.k12.us"]
    assert (cara["name"], cara["employee_id"], cara["end_date"]) == (
        "Cara Lee",
        "E1003",
        D(2026, 6, 30),
    )
    assert raw_of(store, "snipe_users.csv", 2)["Department"] == "Instruction"


def test_snipe_it_people_export_headers_are_read_too(store, write_csv) -> None:
    path = write_csv(
        "users_export.csv",
        ",".join(SNIPE_USERS_EXPORT),
        "12,Dana Park,Dana,Park,dpark,E2001,dana.park@maplevalley.k12.us,Principal,,"
        "Lincoln Elementary School,Administration,2018-07-01,",
    )
    (report,) = ingest_paths([path], store)
    assert report.decided == "Snipe-IT users (header fingerprint 100%)"
    dana = people(store)["dana.park@maplevalley.k12.us"]
    assert (dana["name"], dana["employee_id"], dana["title"], dana["start_date"]) == (
        "Dana Park",
        "E2001",
        "Principal",
        D(2018, 7, 1),
    )


# --------------------------------------------------------------------------------------------
# Incident IQ assets
# --------------------------------------------------------------------------------------------


def test_incident_iq_assets_load_with_retired_ones_inactive(store, write_csv) -> None:
    path = write_csv(
        "iiq_assets.csv",
        ",".join(IIQ_ASSETS),
        csv_line("MV-2001", "5CD-123-4XY", "Cart 1 #1", "Laptop", "HP ProBook 440 G9", "Ana Ruiz",
                 "Lincoln Elementary School", "2022-08-15", "$899.00", "2025-08-15",
                 "In Service", ""),
        "",
        csv_line("MV-2002", "NXHKAA00112233", "Lab 3", "Chromebook", "Acer Chromebook 311", "",
                 "Maple Valley High School", "13/45/2022", "279", "", "Retired", ""),
        csv_line("MV-2003", "R9XT12345", "Cart 2 #4", "Tablet", "Galaxy Tab A8", "",
                 "Lincoln Elementary School", "2021-01-05", "229", "", "In Service",
                 "2025-06-30"),
        csv_line("MV-2004", "5cd1234xy", "Cart 1 #1 dup", "Laptop", "HP ProBook 440 G9", "",
                 "Lincoln Elementary School", "", "", "", "In Service", ""),
    )  # fmt: skip
    (report,) = ingest_paths([path], store)

    assert (report.system, report.record_type) == ("incident_iq", "device")
    assert report.decided == "Incident IQ (header fingerprint 100%)"
    assert (report.rows_read, report.inserted, report.rejected) == (4, 3, 1)
    assert rejects(report) == [
        (4, "PurchasedDate", "13/45/2022", False),
        (6, None, "5CD1234XY", True),
    ]
    assert reason(report, 6) == "duplicate serial of row 2"

    found = devices(store)
    assert set(found) == {"5CD1234XY", "NXHKAA00112233", "R9XT12345"}
    expected = {
        "asset_tag": "MV-2001", "name": "Cart 1 #1", "model": "HP ProBook 440 G9",
        "manufacturer": None, "category": "Laptop", "status": "In Service", "is_active": True,
        "purchase_date": D(2022, 8, 15), "purchase_cost": Decimal("899.00"),
        "warranty_end": D(2025, 8, 15), "location": "Lincoln Elementary School",
        "source": "incident_iq:iiq_assets.csv:2",
    }  # fmt: skip
    assert subset(found["5CD1234XY"], expected) == expected
    retired = found["NXHKAA00112233"]
    assert (retired["status"], retired["is_active"], retired["purchase_date"]) == (
        "Retired",
        False,
        None,
    )
    assert (retired["category"], retired["source"]) == (
        "Chromebook",
        "incident_iq:iiq_assets.csv:4",
    )
    # In service by status, but a retired date says otherwise.
    assert found["R9XT12345"]["is_active"] is False
    assert found["R9XT12345"]["category"] == "Tablet"


def test_incident_iq_assets_with_spaced_headers_load_with_source(store, write_csv) -> None:
    path = write_csv(
        "iiq_assets_ui.csv",
        "Asset Tag,Serial Number,Asset Type,Model,Owner,Location,Room,Purchased Date,"
        "Purchase Price,Warranty Expiration Date,Status",
        "MV-3001,JX7K2L9,Chromebook,Dell Chromebook 3110,,Lincoln Elementary School,12,"
        "2023-08-01,$289.00,2026-08-01,Retired",
    )
    (report,) = ingest_paths([path], store, source="incident_iq_assets")
    assert report.decided == "Incident IQ (forced by --source)"
    device = devices(store)["JX7K2L9"]
    assert (device["category"], device["is_active"], device["purchase_cost"]) == (
        "Chromebook",
        False,
        Decimal("289.00"),
    )
    assert (device["warranty_end"], device["location"]) == (
        D(2026, 8, 1),
        "Lincoln Elementary School",
    )


# --------------------------------------------------------------------------------------------
# --source and across systems
# --------------------------------------------------------------------------------------------


def test_source_forces_a_reader_the_headers_alone_would_not_pick(store, write_csv) -> None:
    path = write_csv(
        "macs.csv", "Computer Name,Serial Number,Model", "Lab-1,C02AB1CDEF12,iMac (24-inch)"
    )
    (guessed,) = ingest_paths([path], store, dry_run=True)
    assert guessed.system == "spreadsheet"
    (forced,) = ingest_paths([path], store, source="jamf")
    assert (forced.system, forced.decided) == ("jamf", "Jamf Pro (forced by --source)")
    device = devices(store)["C02AB1CDEF12"]
    assert (device["manufacturer"], device["category"], device["name"]) == (
        "Apple",
        "Desktop",
        "Lab-1",
    )


def test_a_jamf_mac_and_the_same_serial_in_snipe_it_are_one_device(store, write_csv) -> None:
    snipe = write_csv(
        "snipe_assets.csv",
        "Asset Tag,Asset Name,Serial,Model,Category,Manufacturer,Status,Location,Purchase Date,"
        "Purchase Cost,Supplier,Checked Out To: Email",
        "MV-1001,Teacher laptop,C02X-K1AB-JG5H,MacBook Air 13,Laptop,Apple,Deployed,"
        "Lincoln Elementary School,2023-08-15,1099.00,CDW-G,zoe.oneil@maplevalley.k12.us",
    )
    options = LoadOptions(field_precedence=DEFAULT_FIELD_PRECEDENCE)
    ingest_paths([snipe], store, options=options)
    (report,) = ingest_paths([jamf_csv(write_csv)], store, options=options)
    assert (report.inserted, report.updated) == (2, 1)

    found = devices(store)
    assert len(found) == 3
    mac = found["C02XK1ABJG5H"]
    # Snipe-IT wins location and owner by precedence; Jamf alone knows the warranty.
    assert (mac["location"], mac["owner"][0], mac["warranty_end"], mac["status"]) == (
        "Lincoln Elementary School",
        "zoe.oneil@maplevalley.k12.us",
        D(2026, 8, 15),
        "Deployed",
    )
    assert mac["source"] == "jamf:jamf_computers.csv:2"
    with store.read_session() as session:
        systems = {
            system: _source(session, record_id)
            for system, record_id in session.execute(
                select(FactSource.system, FactSource.source_record_id)
                .join(Device, Device.id == FactSource.fact_id)
                .where(FactSource.table_name == "devices", Device.serial == "C02XK1ABJG5H")
            )
        }
        conflict = session.scalars(
            select(Conflict).where(Conflict.fact_key == "C02XK1ABJG5H")
        ).one()
    assert systems == {
        "snipe_it": "snipe_it:snipe_assets.csv:2",
        "jamf": "jamf:jamf_computers.csv:2",
    }
    assert (conflict.field, conflict.chosen_system) == ("location", "snipe_it")
    assert conflict.values == {
        "snipe_it": "Lincoln Elementary School",
        "jamf": "Peña Elementary",
    }


def test_freshservice_and_zendesk_tickets_attach_to_devices_by_serial(store, write_csv) -> None:
    zendesk_csv = write_csv(
        "zendesk_tickets.csv",
        ",".join(HEADERS[ZENDESK_FILE]),
        csv_line("20601", "Ana Ruiz", "ana.ruiz@maplevalley.k12.us", "Sam Tech", "Techs",
                 "Battery", "Will not hold a charge", "", "solved", "normal", "Web form",
                 "incident", "2026-09-01 08:00", "2026-09-03 08:00", "2026-09-02 08:00",
                 "Lincoln Elementary School", "1440", "dmpx-j3k4-q1gc", "", "", "Battery"),
    )  # fmt: skip
    paths = [freshservice_csv(write_csv), zendesk_csv, jamf_csv(write_csv)]
    reports = ingest_paths(paths, store)
    assert [r.system for r in reports] == ["jamf", "freshservice", "zendesk"]  # devices first

    by_serial = {serial: values["id"] for serial, values in devices(store).items()}
    found = tickets(store)
    assert found["freshservice:INC-101"]["device_id"] == by_serial["C02XK1ABJG5H"]
    assert found["zendesk:20601"]["device_id"] == by_serial["DMPXJ3K4Q1GC"]
    assert found["zendesk:20601"]["closed_at"] == T(2026, 9, 2, 8, 0)
    assert found["freshservice:INC-102"]["device_id"] is None
