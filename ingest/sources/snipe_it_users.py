"""Snipe-IT users: the People export, the user import file and the API names (/api/v1/users).

The import file writes "Employee Number" and "Job Title", the export "Employee No." and "Title",
the API ``employee_num`` and ``jobtitle``. First and last name become one name. The system is
Snipe-IT, like its asset export; the files are told apart by their headers (names and usernames
here, asset tags and serials there).
"""

from __future__ import annotations

from ingest.sources.base import Record, VendorSource


def _transform(record: Record) -> Record:
    first, last = record.pop("first_name", None), record.pop("last_name", None)
    record["name"] = record.get("name") or " ".join(p for p in (first, last) if p) or None
    username = record.get("username")
    if not record.get("email") and username and "@" in username:
        record["email"] = username
    return record


SOURCE = VendorSource(
    name="snipe_it",
    label="Snipe-IT users",
    record_type="person",
    columns={
        "first_name": ("First Name", "first_name"),
        "last_name": ("Last Name", "last_name"),
        "name": ("Full Name", "Name"),
        "username": ("Username",),
        "email": ("Email",),
        "employee_id": ("Employee Number", "Employee No.", "Employee Num", "employee_num"),
        "title": ("Job Title", "Title", "jobtitle"),
        "location": ("Location", "location.name"),
        "department": ("Department", "department.name"),
        "manager": ("Manager", "manager.name"),
        "company": ("Company", "company.name"),
        "phone": ("Phone",),
        "start_date": ("Start Date", "start_date", "start_date.date"),
        "end_date": ("End Date", "end_date", "end_date.date"),
        "notes": ("Notes",),
    },
    fingerprint=(
        "First Name",
        "Last Name",
        "Username",
        "Email",
        "Employee Number",
        "Job Title",
        "Location",
        "Department",
    ),
    transform=_transform,
)

# The People export ("Employee No.", "Title") and the API's names.
EXPORT_FINGERPRINT = (
    "First Name",
    "Last Name",
    "Username",
    "Email",
    "Employee No.",
    "Title",
    "Location",
    "Department",
)
API_FINGERPRINT = (
    "first_name",
    "last_name",
    "username",
    "email",
    "employee_num",
    "jobtitle",
    "location.name",
    "department.name",
)
