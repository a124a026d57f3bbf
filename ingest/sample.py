"""A seeded, fictional school district: "Maple Valley Unified School District".

``build_district`` makes an in-memory *truth model* (every device, ticket, contract, person,
purchase and app request, with canonical values), and ``write_exports`` writes it out as the
vendor-style export files a real district has. The demo loads these files through the same
ingest path as real data; the eval suite computes expected answers from the truth model.
Everything is derived from ``random.Random(seed)`` and the ``anchor`` date ("today"): no global
random state, no clock, no network. The same seed and anchor give byte-identical files.

Files written under ``out_dir`` (relative paths):

1. ``snipe-it/assets.csv``: Snipe-IT asset export, UTF-8, CRLF line ends. Every non-Chromebook
   device plus about 60% of the Chromebooks.
2. ``google-admin/chromeos_devices.csv``: Google Admin console ChromeOS devices, UTF-8 *with
   BOM*. Every Chromebook.
3. ``incident-iq/tickets.csv``: Incident IQ tickets (about 60% of the tickets), ISO datetimes.
4. ``zendesk/tickets.csv``: Zendesk ticket export (about 40%), custom fields as "Name [type]".
5. ``contracts/Technology Contracts FY27.xlsx``: the coordinator's hand-made tracker, sheet
   "Contracts".
6. ``finance/po_export.csv``: purchase-order lines, including every device batch.
7. ``hr/roster.csv``: staff roster, *Windows-1252* encoded.
8. ``apps/app_requests.csv``: instructional-app requests and their review states.

Planted dirt (what a correct reader must cope with):

- School names: each system writes schools its own way: the canonical name ("Lincoln Elementary
  School") or an alias ("Lincoln Elem", "LINCOLN ELEMENTARY SCHOOL", "LES", "Lincoln ES");
  ``SampleDistrict.school_aliases`` lists them. Every alias is derivable without the list
  (case, "Elem"/"ES"/"MS"/"HS" abbreviations, an acronym that fits exactly one school). Google gives the school as the last segment of
  the Org Unit Path ("/Students/Lincoln Elementary School") when the annotated Location is blank,
  otherwise the annotated Location wins (deprovisioned devices sit in "/Deprovisioned").
- Serials: Snipe-IT sometimes writes them lower case or with a dash/space; Meraki serials always
  carry dashes ("Q2XX-ABCD-1234"). Canonical = upper case, no spaces or dashes
  (``canonical_serial``). Some display serials are 16-digit numbers.
- 3 Snipe-IT rows whose serial Excel turned into scientific notation ("6.37702E+15"): rejects,
  not in the truth devices, listed in ``damaged_serial_rows`` as (file, line; header = line 1).
- 2 blank rows in the Snipe-IT file (one empty line, one row of empty fields).
- A few Snipe-IT devices with a blank Purchase Date (truth ``purchase_date`` and
  ``warranty_end`` None). Purchase Cost as "1,099.00" or "$1,099.00". Dates m/d/Y.
- ~12 location conflicts: the same serial at a different school in Snipe-IT than in Google
  (``conflicts``: (serial, "school", Snipe-IT school, Google school), canonical names). Truth
  school = Snipe-IT's (Snipe-IT wins location). Nothing else conflicts between the two systems;
  Google may leave Asset ID blank where Snipe-IT has the tag.
- Chromebooks only in Google have no purchase data (truth purchase fields None); their asset
  tag is Google's Asset ID when present. AUE is written "Jun 2028"; truth = last day of month.
- Tickets: categories spelled per system (Incident IQ "Broken Screen", Zendesk
  "cracked_screen"; ``TICKET_CATEGORY_ALIASES``). Incident IQ names the requester only by full
  name (For.Name; roster names are unique) and the device by SerialNumber and/or AssetTag
  (serials sometimes lower case). Descriptions are worded many ways per problem; Zendesk ones
  may contain line breaks. Closed = IIQ IsClosed "True" / Zendesk status solved or closed.
- Contracts xlsx: title on row 1, "Updated by ..." on row 2, blank row 3, headers on row 4,
  data from row 5 with one blank row in the middle, then a "TOTAL" row (a plain number, no
  formula) and a footnote row "* notice periods per signed agreements". Annual Cost is a number
  cell or a string "$12,500.00"; dates are date cells or strings "1/5/2027"; Auto Renew? is
  "Y"/"Yes"/TRUE/"TRUE"/"N"/"no"/"No" or blank (None); Notice Period is 60, "60 days", "90d",
  "2 months" (= 60 days, a month counts 30) or blank (None); Funding is spelled variously
  (``FUNDING_ALIASES``, some with trailing spaces); vendors are written several ways
  (``VENDOR_ALIASES``). ``TruthContract.row`` is the spreadsheet row.
- Finance: Account Code "fff-ffff-oooo" (fund-function-object); ``FUND_CODES`` maps the fund
  code to the funding source. A Fund column names it too, spelled several ways per fund
  (``FUNDING_ALIASES``: "GF", "general fund ", "General Fund"). Vendors appear under their
  legal names (``VENDOR_ALIASES``).
  Device batch POs match Snipe-IT's Order Number, Supplier and Purchase Cost.
- Roster: Windows-1252 with accented names ("José Núñez", "Zoë Fischer"); staff who left (End
  Date in the past) but still own devices; staff leaving within 45 days; staff starting within
  30 days (no devices yet). Building as canonical name or alias.
- App requests: several stuck with the privacy review "In Review" for more than 30 days
  (Review Updated older than 30 days); "under 13" is stated in Notes ("under-13 users: yes").
  Annual Cost blank = free (None).
"""

from __future__ import annotations

import calendar
import csv
import io
import math
import random
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

__all__ = [
    "APP_REQUESTS_FILE",
    "CONTRACTS_FILE",
    "EXPORT_FILES",
    "FUNDING_ALIASES",
    "FUND_CODES",
    "GOOGLE_ADMIN_FILE",
    "HEADERS",
    "INCIDENT_IQ_FILE",
    "PO_FILE",
    "ROSTER_FILE",
    "SNIPE_IT_FILE",
    "TICKET_CATEGORY_ALIASES",
    "VENDOR_ALIASES",
    "ZENDESK_FILE",
    "SampleDistrict",
    "TruthAppRequest",
    "TruthContract",
    "TruthDevice",
    "TruthPerson",
    "TruthPurchase",
    "TruthTicket",
    "build_district",
    "canonical_serial",
    "generate",
    "next_fiscal_quarter",
    "write_exports",
]

DISTRICT_NAME = "Maple Valley Unified School District"
EMAIL_DOMAIN = "maplevalleyusd.org"

SNIPE_IT_FILE = "snipe-it/assets.csv"
GOOGLE_ADMIN_FILE = "google-admin/chromeos_devices.csv"
INCIDENT_IQ_FILE = "incident-iq/tickets.csv"
ZENDESK_FILE = "zendesk/tickets.csv"
CONTRACTS_FILE = "contracts/Technology Contracts FY27.xlsx"
PO_FILE = "finance/po_export.csv"
ROSTER_FILE = "hr/roster.csv"
APP_REQUESTS_FILE = "apps/app_requests.csv"
EXPORT_FILES = (
    SNIPE_IT_FILE,
    GOOGLE_ADMIN_FILE,
    INCIDENT_IQ_FILE,
    ZENDESK_FILE,
    CONTRACTS_FILE,
    PO_FILE,
    ROSTER_FILE,
    APP_REQUESTS_FILE,
)

HEADERS: dict[str, tuple[str, ...]] = {
    SNIPE_IT_FILE: (
        "Asset Tag", "Asset Name", "Serial", "Model", "Model Number", "Category",
        "Manufacturer", "Status", "Location", "Purchase Date", "Purchase Cost", "Supplier",
        "Order Number", "Warranty Months", "Checked Out To: Email", "Notes",
    ),
    GOOGLE_ADMIN_FILE: (
        "Serial Number", "Model", "Status", "Last Sync", "User", "Location", "Asset ID",
        "Org Unit Path", "Auto Update Expiration", "Notes",
    ),
    INCIDENT_IQ_FILE: (
        "TicketNumber", "Subject", "IssueDescription", "CreatedDate", "StartedDate",
        "ClosedDate", "IsClosed", "WorkflowStep.StepName", "Issue.Name", "Location.Name",
        "For.Name", "AssignedToUser.Name", "Priority", "AssetTag", "SerialNumber", "Parts Cost",
        "Labor Minutes",
    ),
    ZENDESK_FILE: (
        "Id", "Requester", "Requester email", "Assignee", "Group", "Subject", "Description",
        "Tags", "Status", "Priority", "Via", "Ticket type", "Created at", "Updated at",
        "Solved at", "Organization", "Full resolution time in minutes", "Device Serial [txt]",
        "Parts Cost [dec]", "Labor Minutes [int]", "Category [list]",
    ),
    CONTRACTS_FILE: (
        "Vendor", "Product", "Annual Cost", "Start Date", "Renewal Date", "Term (months)",
        "Auto Renew?", "Notice Period", "Funding", "Dept Owner", "Status", "Notes",
    ),
    PO_FILE: (
        "PO Number", "PO Date", "Vendor", "Description", "Quantity", "Unit Price", "Amount",
        "Account Code", "Fund",
    ),
    ROSTER_FILE: (
        "Employee ID", "Name", "Email", "Building", "Job Title", "Start Date", "End Date",
    ),
    APP_REQUESTS_FILE: (
        "Request ID", "Product", "Vendor", "Requester", "Requester Email", "Building",
        "Request Date", "Curriculum Review", "Privacy Review", "Accessibility Review",
        "Contract Review", "Funding Review", "Review Updated", "Approval Status",
        "Agreement Type", "Annual Cost", "Notes",
    ),
}  # fmt: skip

CONTRACTS_TITLE = "Maple Valley USD — Technology Contracts & Renewals"
CONTRACTS_SHEET = "Contracts"
CONTRACTS_HEADER_ROW = 4
CONTRACTS_FOOTNOTE = "* notice periods per signed agreements"

# ---------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _School:
    name: str
    level: str  # elementary | middle | high | office | transportation
    abbr: str
    aliases: tuple[str, ...]
    enrollment: int
    staff: int


def _school(name: str, level: str, abbr: str, short: str, enrollment: int, staff: int) -> _School:
    suffix = {"elementary": " ES", "middle": " MS", "high": " HS"}.get(level)
    stem = short.rsplit(" ", 1)[0]
    aliases = (short, name.upper(), abbr) + ((stem + suffix,) if suffix else ())
    return _School(name, level, abbr, aliases, enrollment, staff)


SCHOOLS: tuple[_School, ...] = (
    _school("Lincoln Elementary School", "elementary", "LES", "Lincoln Elem", 460, 34),
    _school("Washington Elementary School", "elementary", "WES", "Washington Elem", 420, 32),
    _school("Jefferson Elementary School", "elementary", "JES", "Jefferson Elem", 390, 31),
    _school("Franklin Elementary School", "elementary", "FES", "Franklin Elem", 510, 36),
    _school("Cedar Ridge Elementary School", "elementary", "CRES", "Cedar Ridge Elem", 440, 33),
    _school("Riverside Elementary School", "elementary", "RES", "Riverside Elem", 370, 30),
    _school("Oak Hill Elementary School", "elementary", "OHES", "Oak Hill Elem", 480, 35),
    _school("Maple Grove Elementary School", "elementary", "MGES", "Maple Grove Elem", 400, 31),
    _school("Hawthorne Middle School", "middle", "HMS", "Hawthorne Middle", 720, 54),
    _school("Maple Valley Middle School", "middle", "MVMS", "Maple Valley Middle", 780, 57),
    _school("Maple Valley High School", "high", "MVHS", "Maple Valley High", 1350, 84),
    _school("Westview High School", "high", "WHS", "Westview High", 1180, 76),
    _School("District Office", "office", "DO", ("DO", "DISTRICT OFFICE", "Dist. Office"), 0, 38),
    _School(
        "Transportation",
        "transportation",
        "TRANS",
        ("Transportation Dept", "TRANSPORTATION", "Transportation Dept."),
        0,
        24,
    ),
)
_SCHOOL_BY_NAME = {s.name: s for s in SCHOOLS}
_STUDENT_LEVELS = ("elementary", "middle", "high")

FIRST_NAMES = (
    "Mary", "James", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
    "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Christopher", "Karen", "Daniel", "Lisa", "Matthew", "Nancy", "Anthony", "Betty", "Mark",
    "Sandra", "Donald", "Ashley", "Steven", "Kimberly", "Andrew", "Emily", "Paul", "Donna",
    "Joshua", "Michelle", "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Melissa", "Timothy",
    "Deborah", "Ronald", "Stephanie", "Jason", "Rebecca", "George", "Laura", "Edward", "Helen",
    "Jeffrey", "Sharon", "Ryan", "Cynthia", "Jacob", "Kathleen", "Nicholas", "Amy", "Gary",
    "Angela", "Eric", "Shirley", "Jonathan", "Brenda", "Stephen", "Emma", "Larry", "Anna",
    "Justin", "Pamela", "Scott", "Nicole", "Brandon", "Samantha", "Benjamin", "Katherine",
    "Samuel", "Christine", "Gregory", "Rachel", "Alexander", "Carolyn", "Patrick", "Janet",
    "Frank", "Maria", "Raymond", "Olivia", "Jack", "Heather", "Dennis", "Diane", "Jerry",
    "Julie", "Tyler", "Joyce", "Aaron", "Victoria", "Adam", "Kelly", "Nathan", "Christina",
    "Henry", "Lauren", "Zachary", "Megan", "Kyle", "Hannah", "Carlos", "Luis", "Juan", "Miguel",
    "Ana", "Rosa", "Priya", "Wei", "Mei", "Hiroshi", "Aisha", "Omar", "Fatima", "Kwame", "Tariq",
    "Lindsey", "Courtney", "Brittany", "Derek", "Marcus", "Jamal", "Keisha", "Tanya", "Leah",
    "Grace", "Noah", "Liam", "Ethan", "Mason", "Chloe", "Ava", "Mia", "Ella", "Sofia", "Diego",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
    "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
    "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez", "Phillips", "Evans",
    "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris",
    "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson",
    "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson",
    "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes", "Price",
    "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez", "Powell",
    "Jenkins", "Perry", "Russell", "Sullivan", "Bell", "Coleman", "Butler", "Henderson",
    "Barnes", "Fisher", "Vasquez", "Simmons", "Romero", "Jordan", "Patterson", "Hamilton",
    "Graham", "Reynolds", "Griffin", "Wallace", "Moreno", "West", "Cole", "Hayes", "Bryant",
    "Herrera", "Gibson", "Ellis", "Tran", "Medina", "Aguilar", "Stevens", "Murray", "Ford",
    "Castro", "Marshall", "Owens", "Harrison", "McDonald", "Woods", "Kennedy", "Wells", "Vargas",
    "Chen", "Freeman", "Webb", "Tucker", "Guzman", "Burns", "Crawford", "Olson", "Simpson",
    "Porter", "Hunter", "Gordon", "Mendez", "Silva", "Shaw", "Snyder", "Dixon", "Hunt", "Hicks",
    "Holmes", "Palmer", "Wagner", "Black", "Robertson", "Boyd", "Rose", "Stone", "Salazar", "Fox",
    "Warren", "Mills", "Meyer", "Rice", "Schmidt", "Garza", "Daniels", "Ferguson", "Nichols",
    "Stephens", "Soto", "Weaver", "Gardner", "Payne", "Grant", "Dunn", "Spencer", "Hawkins",
    "Arnold", "Pierce", "Hansen", "Peters", "Santos", "Hart", "Bradley", "Knight", "Elliott",
    "Cunningham", "Duncan", "Armstrong", "Hudson", "Carroll", "Lane", "Riley", "Andrews",
    "Alvarado", "Delgado", "Berry", "Perkins", "Hoffman", "Johnston", "Matthews", "Richards",
    "Willis", "Carpenter", "Lawrence", "Sandoval", "O'Brien", "O'Connor", "Nakamura",
    "Yamamoto", "Okafor", "Kowalski", "Novak", "Larsen", "Schultz", "Garcia-Lopez",
)  # fmt: skip
# Latin-1 only, so that every name survives the Windows-1252 roster.
ACCENTED_FIRST_NAMES = (
    "José", "Zoë", "Renée", "Chloé", "André", "Inés", "Martín", "Noémie", "Raúl", "Sofía",
    "Jesús", "Ramón", "Héctor", "Verónica", "Mónica", "Joël", "Léa", "Anaïs",
)  # fmt: skip
ACCENTED_LAST_NAMES = (
    "Núñez", "Peña", "Muñoz", "Ibáñez", "Gómez", "Hernández", "Rodríguez", "Côté", "Fernández",
    "Sánchez", "Pérez", "Jiménez", "Müller", "Böhm", "Søndergaard", "Gonçalves", "Ortíz",
)  # fmt: skip
_FIXED_NAMES = (("José", "Núñez"), ("Zoë", "Fischer"), ("Renée", "Côté"), ("Inés", "Peña"))
_COORDINATOR = ("Jordan", "Alvarez")

_IT_TITLES = (
    "IT Technician",
    "Help Desk Technician",
    "Network Administrator",
    "Systems Administrator",
)
_OFFICE_TITLES = frozenset(
    {
        "Office Manager", "Attendance Clerk", "Administrative Assistant", "Accountant",
        "Payroll Specialist", "HR Generalist", "Dispatcher", "School Nurse", "Librarian",
        "Counselor", "Purchasing Agent", "Business Manager", "Registrar",
    }
)  # fmt: skip
_NO_LAPTOP_TITLES = frozenset({"Custodian", "Bus Driver", "Mechanic", "Paraeducator"})
_FIXED_TITLES: dict[str, tuple[tuple[str, int], ...]] = {
    "elementary": (
        ("Principal", 1), ("Office Manager", 1), ("Librarian", 1), ("Counselor", 1),
        ("School Nurse", 1), ("Custodian", 2), ("Paraeducator", 5),
        ("Special Education Teacher", 2), ("Reading Specialist", 1), ("Music Teacher", 1),
        ("PE Teacher", 1),
    ),
    "middle": (
        ("Principal", 1), ("Assistant Principal", 2), ("Office Manager", 1),
        ("Attendance Clerk", 1), ("Counselor", 2), ("Librarian", 1), ("School Nurse", 1),
        ("Custodian", 3), ("Paraeducator", 6), ("Special Education Teacher", 4),
    ),
    "high": (
        ("Principal", 1), ("Assistant Principal", 3), ("Office Manager", 1),
        ("Attendance Clerk", 1), ("Registrar", 1), ("Counselor", 4), ("Librarian", 1),
        ("School Nurse", 1), ("Custodian", 4), ("Paraeducator", 6),
        ("Special Education Teacher", 5), ("Band Director", 1), ("Athletic Director", 1),
    ),
    "office": (
        ("Superintendent", 1), ("Assistant Superintendent", 1), ("Director of Technology", 1),
        ("Technology Coordinator", 1), ("Network Administrator", 1),
        ("Systems Administrator", 1), ("IT Technician", 8), ("Help Desk Technician", 2),
        ("Business Manager", 1), ("Accountant", 2), ("Payroll Specialist", 1),
        ("Purchasing Agent", 1), ("HR Director", 1), ("HR Generalist", 2),
        ("Director of Curriculum", 1), ("Instructional Technology Coach", 3),
        ("Special Education Director", 1), ("Data Privacy Officer", 1),
        ("Communications Coordinator", 1),
    ),
    "transportation": (
        ("Transportation Director", 1), ("Dispatcher", 1), ("Mechanic", 2),
    ),
}  # fmt: skip
_FILL_TITLES = {
    "elementary": (
        "Kindergarten Teacher", "Teacher, Grade 1", "Teacher, Grade 2", "Teacher, Grade 3",
        "Teacher, Grade 4", "Teacher, Grade 5",
    ),
    "middle": (
        "Math Teacher", "English Teacher", "Science Teacher", "Social Studies Teacher",
        "Spanish Teacher", "Art Teacher", "PE Teacher", "Teacher",
    ),
    "high": (
        "Math Teacher", "English Teacher", "Science Teacher", "Social Studies Teacher",
        "Spanish Teacher", "Art Teacher", "PE Teacher", "CTE Teacher", "Teacher",
    ),
    "office": ("Administrative Assistant",),
    "transportation": ("Bus Driver",),
}  # fmt: skip

CATEGORIES = (
    "Chromebook",
    "Laptop",
    "Desktop",
    "Tablet",
    "Interactive Display",
    "Projector",
    "Network Switch",
    "Access Point",
)
_CATEGORY_SHARE = {
    "Laptop": 0.19,
    "Desktop": 0.12,
    "Tablet": 0.09,
    "Interactive Display": 0.05,
    "Projector": 0.03,
    "Network Switch": 0.02,
    "Access Point": 0.04,
}  # the rest (~46%) are Chromebooks
_CATEGORY_CODE = {
    "Chromebook": "CB",
    "Laptop": "LT",
    "Desktop": "DT",
    "Tablet": "TB",
    "Interactive Display": "IFP",
    "Projector": "PJ",
    "Network Switch": "SW",
    "Access Point": "AP",
}
_BATCH_SIZE = {
    "Chromebook": (30, 110),
    "Laptop": (10, 60),
    "Desktop": (8, 40),
    "Tablet": (10, 40),
    "Interactive Display": (5, 24),
    "Projector": (4, 20),
    "Network Switch": (4, 18),
    "Access Point": (10, 40),
}
_OWNED_SHARE = {"Chromebook": 0.06, "Laptop": 0.85, "Desktop": 0.45, "Tablet": 0.3}


@dataclass(frozen=True)
class _Model:
    category: str
    manufacturer: str
    model: str
    model_number: str
    price: int
    warranty_months: int
    serial_kind: str
    age_years: tuple[float, float]
    weight: int
    suppliers: tuple[str, ...]
    funds: tuple[str, ...]
    aue: tuple[int, int] | None = None  # (offset from the anchor's fiscal-year-end year, month)


def _cb(
    maker: str,
    model: str,
    number: str,
    price: int,
    kind: str,
    age: tuple[float, float],
    aue: tuple[int, int],
    weight: int,
) -> _Model:
    suppliers = ("CDW-G", "SHI", maker if maker == "Dell" else "CDW-G")
    funds = ("General Fund", "ESSER", "Bond", "Title I")
    return _Model(
        "Chromebook", maker, model, number, price, 36, kind, age, weight, suppliers, funds, aue
    )


# AUE offsets are relative to the June that ends the anchor's fiscal year (FY27 -> 2027):
# two platforms already past, four in the next two fiscal years, one after, two in 2030+.
CHROMEBOOK_MODELS: tuple[_Model, ...] = (
    _cb("Lenovo", "Lenovo 300e Chromebook Gen 2", "81MB", 309, "lenovo", (5.6, 6.4), (-2, 6), 5),
    _cb("Dell", "Dell Chromebook 3100", "3100", 289, "dell", (4.6, 5.4), (-1, 6), 11),
    _cb("HP", "HP Chromebook 11 G8 EE", "11 G8 EE", 279, "hp", (3.8, 4.6), (0, 6), 14),
    _cb("Acer", "Acer Chromebook Spin 511", "R753T", 359, "acer", (3.4, 4.2), (0, 8), 9),
    _cb("Lenovo", "Lenovo 100e Chromebook Gen 3", "82J7", 259, "lenovo", (2.8, 3.6), (1, 6), 16),
    _cb("HP", "HP Chromebook 11 G9 EE", "11 G9 EE", 299, "hp", (2.0, 2.9), (1, 6), 14),
    _cb("Dell", "Dell Chromebook 3110", "3110", 329, "dell", (1.2, 2.2), (2, 6), 14),
    _cb("Lenovo", "Lenovo 500e Chromebook Gen 4", "83G3", 429, "lenovo", (0.5, 1.2), (6, 6), 5),
    _cb("HP", "HP Fortis 14 G11 Chromebook", "Fortis 14 G11", 389, "hp", (0.1, 0.6), (7, 6), 4),
)  # fmt: skip

_GF = ("General Fund",)
_INFRA_FUNDS = ("E-Rate", "Bond")
OTHER_MODELS: tuple[_Model, ...] = (
    _Model("Laptop", "Dell", "Latitude 3440", "3440", 899, 36, "dell", (0.3, 2.5), 10,
           ("Dell", "CDW-G"), _GF + ("ESSER",)),
    _Model("Laptop", "Dell", "Latitude 5420", "5420", 1099, 36, "dell", (2.5, 5.5), 8,
           ("Dell", "CDW-G"), _GF + ("ESSER",)),
    _Model("Laptop", "HP", "ProBook 440 G10", "440 G10", 949, 36, "hp", (0.3, 2.0), 6,
           ("CDW-G", "SHI"), _GF),
    _Model("Laptop", "Lenovo", "ThinkPad E14 Gen 5", "21JK", 879, 36, "lenovo", (0.3, 2.0), 5,
           ("SHI", "CDW-G"), _GF + ("Title IV-A",)),
    _Model("Laptop", "Apple", 'MacBook Air 13" M2', "A2681", 1049, 12, "apple", (0.5, 3.5), 4,
           ("Apple",), _GF),
    _Model("Desktop", "Dell", "OptiPlex 7010", "7010", 849, 36, "dell", (0.3, 3.0), 10,
           ("Dell", "CDW-G"), _GF + ("Bond",)),
    _Model("Desktop", "Dell", "OptiPlex 7080", "7080", 929, 36, "dell", (3.0, 6.0), 6,
           ("Dell",), _GF + ("Bond",)),
    _Model("Desktop", "HP", "ProDesk 400 G9", "400 G9", 799, 36, "hp", (0.3, 3.0), 6,
           ("CDW-G",), _GF),
    _Model("Desktop", "Apple", 'iMac 24" M3', "A2874", 1399, 12, "apple", (0.3, 2.0), 3,
           ("Apple",), ("Title IV-A", "General Fund")),
    _Model("Tablet", "Apple", "iPad (10th generation)", "A2696", 329, 12, "apple", (0.2, 2.0),
           10, ("Apple", "CDW-G"), ("Title I", "ESSER", "General Fund")),
    _Model("Tablet", "Apple", "iPad (9th generation)", "A2602", 299, 12, "apple", (2.0, 5.0), 8,
           ("Apple", "CDW-G"), ("Title I", "ESSER", "General Fund")),
    _Model("Tablet", "Samsung", "Galaxy Tab A8", "SM-X200", 229, 12, "samsung", (0.5, 3.0), 4,
           ("CDW-G",), _GF),
    _Model("Interactive Display", "Promethean", 'ActivPanel 9 75"', "AP9-B75", 3899, 60,
           "promethean", (0.5, 4.0), 10, ("CDW-G",), ("Bond", "Title IV-A", "ESSER")),
    _Model("Interactive Display", "ViewSonic", "ViewBoard IFP7550", "IFP7550", 2999, 36,
           "viewsonic", (1.0, 5.0), 5, ("CDW-G", "SHI"), ("Bond", "ESSER")),
    _Model("Interactive Display", "SMART Technologies", "SMART Board MX275-V4", "MX275-V4",
           4199, 60, "smart", (0.5, 3.0), 4, ("SHI",), ("Bond",)),
    _Model("Projector", "Epson", "PowerLite 1781W", "V11H794020", 749, 24, "epson", (2.0, 7.0),
           6, ("CDW-G",), _GF),
    _Model("Projector", "Epson", "BrightLink 725Wi", "V11H998520", 1899, 36, "epson",
           (1.0, 5.0), 4, ("CDW-G",), ("Bond", "General Fund")),
    _Model("Network Switch", "Cisco Meraki", "MS120-48LP", "MS120-48LP", 2899, 120, "meraki",
           (0.5, 5.0), 6, ("CDW-G", "SHI"), _INFRA_FUNDS),
    _Model("Network Switch", "Aruba", "2930F 48G PoE+", "JL256A", 3299, 60, "aruba", (1.0, 6.0),
           3, ("SHI",), _INFRA_FUNDS),
    _Model("Network Switch", "Cisco", "Catalyst 9200L-48P-4G", "C9200L-48P-4G", 4499, 60,
           "cisco", (0.5, 4.0), 3, ("CDW-G",), _INFRA_FUNDS),
    _Model("Access Point", "Cisco Meraki", "MR46", "MR46", 1199, 120, "meraki", (0.5, 5.0), 8,
           ("CDW-G", "SHI"), _INFRA_FUNDS),
    _Model("Access Point", "Aruba", "AP-515", "JZ357A", 899, 60, "aruba", (1.0, 6.0), 4,
           ("SHI",), _INFRA_FUNDS),
)  # fmt: skip
_PROMETHEAN = next(m for m in OTHER_MODELS if m.serial_kind == "promethean")

# canonical vendor -> the ways people write it; index 1 (if any) is the legal name finance uses.
_VENDOR_FORMS: dict[str, tuple[str, ...]] = {
    "Google": ("Google", "Google LLC", "Google for Education", "Google Inc."),
    "GoGuardian": ("GoGuardian", "Liminex, Inc. dba GoGuardian", "Go Guardian"),
    "Securly": ("Securly", "Securly, Inc.", "Securly Inc"),
    "Clever": ("Clever", "Clever Inc.", "Clever, Inc"),
    "PowerSchool": ("PowerSchool", "PowerSchool Group LLC", "Powerschool", "POWERSCHOOL"),
    "Instructure": ("Instructure", "Instructure, Inc.", "Canvas (Instructure)"),
    "Zoom": ("Zoom", "Zoom Video Communications, Inc.", "Zoom Video Communications"),
    "Microsoft": ("Microsoft", "Microsoft Corporation", "Microsoft Corp.", "MSFT"),
    "Adobe": ("Adobe", "Adobe Inc.", "Adobe Systems"),
    "Raptor Technologies": ("Raptor Technologies", "Raptor Technologies, LLC", "Raptor"),
    "Lightspeed Systems": ("Lightspeed Systems", "Lightspeed Solutions, LLC", "Lightspeed"),
    "Incident IQ": ("Incident IQ", "Incident IQ, LLC", "iiQ", "IncidentIQ"),
    "Grokability": ("Grokability", "Grokability, Inc.", "Snipe-IT (Grokability)"),
    "Cisco": ("Cisco", "Cisco Systems, Inc.", "Cisco Meraki", "Meraki"),
    "Fortinet": ("Fortinet", "Fortinet, Inc.", "Fortinet Inc"),
    "HPE Aruba": ("HPE Aruba", "Hewlett Packard Enterprise", "Aruba Networks", "Aruba"),
    "Zscaler": ("Zscaler", "Zscaler, Inc."),
    "Kami": ("Kami", "Kami Limited", "Kami App"),
    "Pear Deck": ("Pear Deck", "Pear Deck, Inc.", "PearDeck"),
    "Nearpod": ("Nearpod", "Nearpod Inc.", "Nearpod Inc"),
    "IXL Learning": ("IXL Learning", "IXL Learning, Inc.", "IXL"),
    "Newsela": ("Newsela", "Newsela, Inc.", "Newsela Inc"),
    "BrainPOP": ("BrainPOP", "BrainPOP LLC", "Brain POP"),
    "Seesaw": ("Seesaw", "Seesaw Learning, Inc.", "Seesaw Learning"),
    "Renaissance Learning": ("Renaissance Learning", "Renaissance Learning, Inc.", "Renaissance"),
    "Curriculum Associates": (
        "Curriculum Associates", "Curriculum Associates, LLC", "i-Ready (Curriculum Associates)"
    ),
    "Edpuzzle": ("Edpuzzle", "Edpuzzle, Inc.", "EdPuzzle"),
    "Gaggle": ("Gaggle", "Gaggle.Net, Inc.", "Gaggle.net"),
    "Dell": ("Dell", "Dell Marketing L.P.", "Dell Technologies", "Dell EMC"),
    "HP": ("HP", "HP Inc.", "Hewlett-Packard"),
    "Frontline Education": ("Frontline Education", "Frontline Technologies Group LLC",
                            "Frontline"),
    "Follett": ("Follett", "Follett School Solutions, LLC", "Follett School Solutions"),
    "Turnitin": ("Turnitin", "Turnitin, LLC"),
    "Discovery Education": ("Discovery Education", "Discovery Education, Inc.", "DE"),
    "Finalsite": ("Finalsite", "Finalsite LLC"),
    "Tyler Technologies": ("Tyler Technologies", "Tyler Technologies, Inc.", "Tyler Tech"),
    "Lexia Learning": ("Lexia Learning", "Lexia Learning Systems LLC", "Lexia"),
    "Savvas Learning": ("Savvas Learning", "Savvas Learning Company LLC", "Savvas"),
    "Verkada": ("Verkada", "Verkada Inc."),
    "CrowdStrike": ("CrowdStrike", "CrowdStrike, Inc."),
    "KnowBe4": ("KnowBe4", "KnowBe4, Inc."),
    "Veeam": ("Veeam", "Veeam Software Corporation"),
    "Comcast Business": ("Comcast Business", "Comcast Cable Communications Management, LLC",
                         "Comcast"),
    "Lumen": ("Lumen", "Lumen Technologies Group", "CenturyLink"),
    "T-Mobile": ("T-Mobile", "T-Mobile USA, Inc.", "TMobile"),
    "Kajeet": ("Kajeet", "Kajeet, Inc."),
    "Promethean": ("Promethean", "Promethean Inc.", "Promethean World"),
    "Apple": ("Apple", "Apple Inc.", "Apple Education"),
    "Jamf": ("Jamf", "JAMF Software, LLC", "Jamf Software"),
    "DocuSign": ("DocuSign", "DocuSign, Inc."),
    "1Password": ("1Password", "AgileBits Inc. dba 1Password"),
    "CDW-G": ("CDW-G", "CDW Government LLC", "CDW Government", "CDWG"),
    "SHI": ("SHI", "SHI International Corp.", "SHI International"),
    "Parts People": ("Parts People", "Parts People LLC", "PartsPeople.com"),
    "Amazon": ("Amazon", "Amazon Capital Services, Inc.", "Amazon Business"),
    "Staples": ("Staples", "Staples Contract & Commercial LLC", "Staples Business Advantage"),
}  # fmt: skip
VENDOR_ALIASES: dict[str, str] = {
    form: canonical for canonical, forms in _VENDOR_FORMS.items() for form in forms
}

FUND_CODES: dict[str, str] = {
    "100": "General Fund",
    "211": "Title I",
    "263": "Title IV-A",
    "282": "ESSER",
    "199": "E-Rate",
    "410": "Bond",
}
_FUND_CODE_BY_NAME = {name: code for code, name in FUND_CODES.items()}
_FUNDING_FORMS: dict[str, tuple[str, ...]] = {
    "General Fund": ("General Fund", "general fund ", "Gen Fund", "GF"),
    "Title I": ("Title I", "Title 1", "title I"),
    "Title IV-A": ("Title IV-A", "Title IVA", "Title 4A", "title iv-a "),
    "E-Rate": ("E-Rate", "Erate", "E-rate"),
    "ESSER": ("ESSER", "ESSER III", "esser"),
    "Bond": ("Bond", "Bond 2022", "bond "),
}
FUNDING_ALIASES: dict[str, str] = {
    form: canonical for canonical, forms in _FUNDING_FORMS.items() for form in forms
}

TICKET_CATEGORIES = (
    "Liquid damage",
    "Cracked screen",
    "Battery",
    "Keyboard",
    "Charging port",
    "Login/account",
    "Software",
    "Network",
    "Printer",
    "Other",
)
_REPAIR_CATEGORIES = frozenset(TICKET_CATEGORIES[:5])
_CATEGORY_WEIGHT = (8, 18, 8, 10, 7, 16, 12, 9, 6, 6)
_IIQ_ISSUE_NAMES: dict[str, tuple[str, ...]] = {
    "Liquid damage": ("Liquid Spill", "Liquid Damage"),
    "Cracked screen": ("Broken Screen", "Cracked/Broken Screen"),
    "Battery": ("Battery Issue", "Battery/Power"),
    "Keyboard": ("Keyboard/Trackpad", "Keys Missing/Broken"),
    "Charging port": ("Charging Port", "Charger/Charging Port"),
    "Login/account": ("Password Reset", "Account Locked", "Login Issue"),
    "Software": ("Software Install", "App Not Working"),
    "Network": ("No Internet / WiFi", "Network Outage"),
    "Printer": ("Printer Issue", "Printer Jam"),
    "Other": ("Other", "General Question"),
}
_ZENDESK_CATEGORY = {
    "Liquid damage": "liquid_damage",
    "Cracked screen": "cracked_screen",
    "Battery": "battery",
    "Keyboard": "keyboard_trackpad",
    "Charging port": "charging_port",
    "Login/account": "login_account",
    "Software": "software",
    "Network": "network_wifi",
    "Printer": "printer",
    "Other": "other",
}
TICKET_CATEGORY_ALIASES: dict[str, str] = {
    **{c: c for c in TICKET_CATEGORIES},
    **{name: c for c, names in _IIQ_ISSUE_NAMES.items() for name in names},
    **{value: c for c, value in _ZENDESK_CATEGORY.items()},
}

# Ticket wording. "{noun}" is the device ("Chromebook", "laptop", "iPad", ...).
_PROBLEM_PHRASES: dict[str, tuple[str, ...]] = {
    "Liquid damage": (
        "kid spilled juice on it and now it won't turn on",
        "water got into the keyboard",
        "a student knocked a water bottle over onto the {noun}",
        "coffee spilled across the keyboard during class",
        "the {noun} was left out in the rain at recess and is soaked",
        "there's sticky residue under the keys after someone spilled soda on it",
        "milk was spilled on it at lunch and now the screen flickers",
        "student says their little brother poured a drink on it",
        "a leaking bottle in the backpack got the {noun} wet",
        "a full cup of lemonade went over the {noun}",
        "it got dropped in a sink full of water",
        "liquid damage, the {noun} was sitting in a puddle of spilled tea",
    ),
    "Cracked screen": (
        "screen is shattered",
        "dropped it on the blacktop and the display cracked",
        "there's a spiderweb crack across the screen",
        "the LCD is broken, half the screen is black with lines",
        "student closed it on a pencil and cracked the screen",
        "the glass is busted in the corner and the crack is spreading",
        "display has a big crack and is bleeding ink",
        "fell off the desk and the screen smashed",
        "screen got stepped on, the panel is broken",
        "the {noun} display is cracked right down the middle",
        "a student sat on it and the screen is broken",
    ),
    "Battery": (
        "won't hold a charge",
        "battery drains in about an hour",
        "dies after 20 minutes even when it says fully charged",
        "the battery is swollen and the case is bulging",
        "shows 0% battery no matter how long it sits on the cart",
        "battery life is terrible, it can't last one class period",
        "shuts off randomly as soon as it is unplugged, battery seems shot",
        "keeps giving a battery health warning",
        "needs a new battery, it only lasts a couple hours",
        "the battery percentage jumps from 80% to 5% and the {noun} dies",
    ),
    "Keyboard": (
        "several keys are missing",
        "the space bar is stuck",
        "keys popped off and the student lost them",
        "keyboard types the wrong letters",
        "the trackpad doesn't click anymore",
        "half the keyboard doesn't respond",
        "the E and R keys were pried off",
        "touchpad cursor jumps all over the place",
        "the enter key is broken",
        "some keys stick and repeat when typing",
        "the shift key came off and won't snap back on",
    ),
    "Charging port": (
        "charger won't stay plugged in, the port is loose",
        "the charging port is bent",
        "the USB-C port is damaged and it only charges at an angle",
        "won't charge from any cable, the port looks broken",
        "the charging light doesn't come on when plugged in and the port wiggles",
        "a pin broke off inside the charge port",
        "the plug falls out of the side port",
        "the port is pushed in and the charger cable doesn't connect",
        "something is jammed in the charging port",
        "charger only works if you hold the cable at the port",
    ),
    "Login/account": (
        "forgot password",
        "account is locked out",
        "can't log in, it says the password is incorrect",
        "student can't sign into Google",
        "needs a password reset",
        "getting 'account disabled' when trying to log in",
        "new teacher doesn't have an account yet",
        "the two-factor code isn't arriving so I can't sign in",
        "login loops back to the sign-in page",
        "username is not recognized on the {noun}",
    ),
    "Software": (
        "an app keeps crashing",
        "need Zoom installed",
        "a Chrome extension is blocked that we need for class",
        "PowerSchool gradebook won't load",
        "Canvas page shows an error",
        "request to install software for a class",
        "the update failed and now the app won't open",
        "Microsoft Word keeps freezing",
    ),
    "Network": (
        "WiFi keeps dropping",
        "no internet in the classroom",
        "can't connect to the network",
        "internet is very slow this morning",
        "the access point in the hallway has a red light",
        "the wired port in the lab is dead",
    ),
    "Printer": (
        "printer jammed",
        "can't print to the copier",
        "toner is low on the office printer",
        "printer shows offline",
        "need the new printer added to my computer",
        "printing comes out blank",
    ),
    "Other": (
        "projector bulb is out",
        "need a document camera for my room",
        "question about the loaner policy",
        "need equipment moved to a new room",
        "sound is not working on the display",
        "requesting a second monitor",
    ),
}
_SUBJECTS: dict[str, tuple[str, ...]] = {
    "Liquid damage": ("Liquid spill", "Spilled drink on {noun}", "Water damage", "Wet {noun}"),
    "Cracked screen": ("Cracked screen", "Broken {noun} screen", "Screen damage", "Screen broken"),
    "Battery": ("Battery problem", "{noun} won't stay charged", "Battery dies fast", "Battery"),
    "Keyboard": ("Keyboard broken", "Missing keys", "Trackpad issue", "{noun} keyboard"),
    "Charging port": ("Charging port", "Won't charge - port", "Loose charger port", "Port"),
    "Login/account": ("Password reset", "Can't log in", "Account locked", "Login help"),
    "Software": ("Software request", "App not working", "Install request", "Software issue"),
    "Network": ("WiFi issue", "No internet", "Network down", "Slow internet"),
    "Printer": ("Printer issue", "Can't print", "Printer jam", "Toner"),
    "Other": ("Question", "Equipment request", "Help needed", "Classroom tech"),
}
_OPENERS = ("", "", "Hi, ", "Hello, ", "Good morning. ", "Hey team, ", "URGENT: ")
_CLOSERS = (
    "",
    "",
    " Thanks!",
    " Please advise.",
    " Can someone come by?",
    " Need a loaner in the meantime.",
    " Thank you.",
)
_CART_CONTEXT = (" It's from cart {cart}, slot {slot}.", " Cart {cart} device.", "", "")
_ROOM_CONTEXT = (" Happened in room {room}.", " Student is in room {room}.", "")
_OWNED_CONTEXT = (" This is my assigned {noun}.", " It's my work {noun}.", "")

# Contract catalog: (vendor, product, (low, high) annual cost, department, funding choices)
_CONTRACT_CATALOG: tuple[tuple[str, str, tuple[int, int], str, tuple[str, ...]], ...] = (
    ("Google", "Google Workspace for Education Plus", (38000, 52000), "Technology", _GF),
    ("Google", "Chrome Education Upgrade licenses", (18000, 30000), "Technology",
     ("ESSER", "General Fund")),
    ("GoGuardian", "GoGuardian Admin", (14000, 22000), "Technology", _GF),
    ("GoGuardian", "GoGuardian Teacher", (9000, 15000), "Curriculum & Instruction",
     ("Title IV-A", "General Fund")),
    ("Securly", "Securly Filter", (12000, 18000), "Technology", _GF),
    ("Securly", "Securly Aware", (6000, 9000), "Student Services", ("ESSER", "General Fund")),
    ("Clever", "Clever Complete", (4000, 8000), "Technology", _GF),
    ("PowerSchool", "PowerSchool SIS", (60000, 90000), "Student Services", _GF),
    ("PowerSchool", "PowerSchool Special Programs", (14000, 21000), "Special Education", _GF),
    ("PowerSchool", "SchoolMessenger Communicate", (9000, 14000), "Communications", _GF),
    ("PowerSchool", "Naviance College & Career", (10000, 15000), "Student Services", _GF),
    ("Instructure", "Canvas LMS", (30000, 45000), "Curriculum & Instruction", _GF),
    ("Zoom", "Zoom for Education (200 licenses)", (6000, 9000), "Technology", _GF),
    ("Microsoft", "Microsoft 365 A3 (faculty)", (25000, 40000), "Technology", _GF),
    ("Microsoft", "Minecraft Education licenses", (2000, 4000), "Curriculum & Instruction",
     ("Title IV-A",)),
    ("Adobe", "Adobe Creative Cloud K-12 site license", (4000, 7000),
     "Curriculum & Instruction", ("Title IV-A", "General Fund")),
    ("Adobe", "Adobe Acrobat Pro (staff)", (8000, 12000), "Technology", _GF),
    ("Raptor Technologies", "Raptor Visitor Management", (9000, 14000), "Student Services",
     ("General Fund", "ESSER")),
    ("Lightspeed Systems", "Lightspeed Filter", (15000, 21000), "Technology", ("E-Rate",) + _GF),
    ("Lightspeed Systems", "Lightspeed Classroom Management", (8000, 12000),
     "Curriculum & Instruction", _GF),
    ("Incident IQ", "Incident IQ Help Desk & Asset Management", (11000, 16000), "Technology",
     _GF),
    ("Grokability", "Snipe-IT Hosting", (1500, 2500), "Technology", _GF),
    ("Cisco", "Meraki MR licensing (co-term)", (20000, 35000), "Technology", ("E-Rate",)),
    ("Cisco", "Meraki MS licensing (co-term)", (15000, 26000), "Technology", ("E-Rate",)),
    ("Cisco", "Cisco SmartNet", (12000, 25000), "Technology", ("E-Rate", "General Fund")),
    ("Fortinet", "FortiGate UTP bundle & FortiCare", (18000, 28000), "Technology",
     ("E-Rate", "General Fund")),
    ("HPE Aruba", "Aruba Central licensing", (8000, 15000), "Technology", ("E-Rate",)),
    ("Zscaler", "Zscaler Internet Access", (22000, 35000), "Technology", _GF),
    ("Kami", "Kami Leader district license", (7000, 12000), "Curriculum & Instruction",
     ("Title IV-A", "General Fund")),
    ("Pear Deck", "Pear Deck Premium", (6000, 10000), "Curriculum & Instruction",
     ("Title IV-A",)),
    ("Nearpod", "Nearpod Premium Plus", (12000, 20000), "Curriculum & Instruction",
     ("Title IV-A", "ESSER")),
    ("IXL Learning", "IXL Math & ELA", (15000, 28000), "Curriculum & Instruction", ("Title I",)),
    ("Newsela", "Newsela ELA & Social Studies", (10000, 18000), "Curriculum & Instruction",
     ("General Fund", "Title IV-A")),
    ("BrainPOP", "BrainPOP + BrainPOP Jr.", (8000, 12000), "Curriculum & Instruction", _GF),
    ("Seesaw", "Seesaw for Schools", (9000, 14000), "Curriculum & Instruction",
     ("Title I", "General Fund")),
    ("Renaissance Learning", "Renaissance Star Assessments", (20000, 30000),
     "Curriculum & Instruction", ("Title I",)),
    ("Renaissance Learning", "Accelerated Reader", (7000, 11000), "Curriculum & Instruction",
     ("Title I", "General Fund")),
    ("Curriculum Associates", "i-Ready Assessment & Personalized Instruction", (45000, 70000),
     "Curriculum & Instruction", ("Title I", "ESSER")),
    ("Edpuzzle", "Edpuzzle Pro Schools", (4000, 8000), "Curriculum & Instruction",
     ("Title IV-A",)),
    ("Gaggle", "Gaggle Safety Management", (15000, 25000), "Student Services",
     ("ESSER", "General Fund")),
    ("Dell", "Dell ProSupport Plus (Chromebook fleet)", (20000, 30000), "Technology",
     ("General Fund", "Bond")),
    ("Dell", "Dell ProSupport for Latitude", (9000, 16000), "Technology", _GF),
    ("HP", "HP Care Pack - Next Business Day", (8000, 14000), "Technology", _GF),
    ("Frontline Education", "Frontline Absence & Time", (15000, 22000), "Human Resources", _GF),
    ("Follett", "Follett Destiny Library Manager", (6000, 9000), "Curriculum & Instruction",
     _GF),
    ("Turnitin", "Turnitin Feedback Studio", (7000, 11000), "Curriculum & Instruction", _GF),
    ("Discovery Education", "Discovery Education Experience", (12000, 18000),
     "Curriculum & Instruction", ("Title IV-A", "General Fund")),
    ("Finalsite", "Finalsite website hosting", (9000, 15000), "Communications", _GF),
    ("Tyler Technologies", "Tyler Munis ERP", (40000, 60000), "Business Services", _GF),
    ("Lexia Learning", "Lexia Core5 Reading", (18000, 26000), "Curriculum & Instruction",
     ("Title I",)),
    ("Savvas Learning", "Savvas Realize (enVision Math)", (25000, 40000),
     "Curriculum & Instruction", _GF),
    ("Verkada", "Verkada camera licenses", (15000, 30000), "Operations", ("Bond",)),
    ("CrowdStrike", "CrowdStrike Falcon for Education", (20000, 30000), "Technology", _GF),
    ("KnowBe4", "KnowBe4 Security Awareness Training", (4000, 6000), "Technology", _GF),
    ("Veeam", "Veeam Backup licensing", (6000, 10000), "Technology", _GF),
    ("Comcast Business", "Internet circuit (1 Gbps)", (30000, 48000), "Technology",
     ("E-Rate",)),
    ("Lumen", "WAN fiber circuits", (60000, 90000), "Technology", ("E-Rate",)),
    ("T-Mobile", "T-Mobile EmpowerED hotspots", (9000, 15000), "Student Services", ("ESSER",)),
    ("Kajeet", "Kajeet SmartSpot hotspots", (10000, 20000), "Student Services", ("ESSER",)),
    ("Promethean", "Promethean ActivCare warranty", (5000, 9000), "Technology", ("Bond",)),
    ("Apple", "AppleCare for Enterprise", (6000, 10000), "Technology", _GF),
    ("Jamf", "Jamf School MDM", (4000, 7000), "Technology", _GF),
    ("DocuSign", "DocuSign eSignature", (3000, 6000), "Business Services", _GF),
    ("1Password", "1Password Business", (3000, 5000), "Technology", _GF),
    ("Microsoft", "Microsoft Defender for Endpoint", (9000, 15000), "Technology", _GF),
    ("Google", "Google Meet premium add-on", (4000, 8000), "Technology", ("ESSER",)),
)  # fmt: skip
_CONTRACT_NOTES = (
    "DPA signed 2025",
    "student data privacy addendum on file",
    "NDPA signed; exhibit E posted",
    "quote requested for next term",
    "co-termed with Meraki licensing",
    "PO issued each July",
    "3-yr price lock",
    "multi-year; invoiced annually",
    "E-Rate Category 2 eligible",
    "Board approved",
    "usage low - review before renewal",
    "price increase expected",
)

# App requests: (product, vendor, (low, high) annual cost or None if free, staff only)
_APP_CATALOG: tuple[tuple[str, str, tuple[int, int] | None, bool], ...] = (
    ("Blooket", "Blooket LLC", (600, 1500), False),
    ("Gimkit", "Gimkit Inc.", (650, 1000), False),
    ("Quizizz", "Quizizz Inc.", (1500, 4000), False),
    ("Padlet", "Wallwisher Inc.", (2000, 3500), False),
    ("Canva for Education", "Canva Pty Ltd", None, False),
    ("Duolingo for Schools", "Duolingo", None, False),
    ("Prodigy Math", "Prodigy Education", None, False),
    ("Khan Academy", "Khan Academy", None, False),
    ("CommonLit", "CommonLit", None, False),
    ("Epic!", "Epic Creations Inc.", None, False),
    ("Book Creator", "Tools for Schools Ltd", (1200, 3000), False),
    ("Tinkercad", "Autodesk", None, False),
    ("Desmos Classroom", "Amplify", None, False),
    ("GeoGebra", "GeoGebra GmbH", None, False),
    ("Typing.com", "Teaching.com", None, False),
    ("Kahoot! EDU", "Kahoot! ASA", (900, 2400), False),
    ("ReadWorks", "ReadWorks", None, False),
    ("Legends of Learning", "Legends of Learning", (2500, 6000), False),
    ("Wakelet", "Wakelet Ltd", None, False),
    ("Flocabulary", "Nearpod Inc.", (1500, 3000), False),
    ("Boddle Learning", "Boddle", None, False),
    ("Mentimeter", "Mentimeter AB", (700, 1500), False),
    ("Formative", "Goformative Inc.", (2000, 5000), False),
    ("Quill.org", "Quill.org", None, False),
    ("Zearn Math", "Zearn", None, False),
    ("Quizlet", "Quizlet Inc.", None, False),
    ("MagicSchool AI", "MagicSchool", (3000, 9000), True),
    ("Brisk Teaching", "Brisk Labs", (2500, 6000), True),
    ("Khanmigo for Teachers", "Khan Academy", None, True),
    ("Diffit", "Diffit", (1200, 3000), True),
    ("Curipod", "Curipod AS", (1500, 3500), False),
    ("Screencastify", "Screencastify LLC", (1800, 3600), False),
    ("WeVideo", "WeVideo Inc.", (2000, 4500), False),
    ("Soundtrap for Education", "Soundtrap AB", (600, 1500), False),
    ("Flip", "Microsoft", None, False),
    ("Scratch", "MIT Media Lab", None, False),
    ("Code.org CS Discoveries", "Code.org", None, False),
    ("Remind", "Remind101 Inc.", (3000, 7000), True),
    ("ClassDojo", "ClassDojo Inc.", None, False),
    ("Grammarly for Education", "Grammarly Inc.", (4000, 9000), False),
    ("Otus", "Otus LLC", (9000, 16000), False),
    ("Vocabulary.com", "IXL Learning", (900, 2000), False),
    ("Sora", "OverDrive Inc.", (1500, 4000), False),
    ("Tynker", "Tynker", (1000, 3000), False),
    ("Piktochart", "Piktochart Sdn Bhd", (800, 1600), True),
)
_APP_NOTES = (
    "",
    "",
    " Teacher wants it for reading centers.",
    " Vendor has not signed the NDPA yet.",
    " Waiting on the vendor's VPAT.",
    " Free tier only.",
    " Several teachers asked for this.",
    " Would replace a paid tool.",
    " Vendor privacy policy allows ad tracking.",
)
REVIEW_KEYS = ("curriculum", "privacy", "accessibility", "contract", "funding")

# ---------------------------------------------------------------------------------------------
# Truth model
# ---------------------------------------------------------------------------------------------


@dataclass
class TruthDevice:
    serial: str
    asset_tag: str | None
    category: str
    manufacturer: str
    model: str
    school: str
    status: str
    purchase_date: date | None
    purchase_cost: Decimal | None
    warranty_end: date | None
    aue_date: date | None
    owner_email: str | None
    systems: tuple[str, ...]


@dataclass
class TruthTicket:
    system: str
    external_id: str
    opened: datetime
    closed: datetime | None
    status: str
    is_open: bool
    category: str
    school: str
    device_serial: str | None
    requester_email: str | None
    assignee: str | None
    subject: str
    description: str
    parts_cost: Decimal
    labor_minutes: int


@dataclass
class TruthContract:
    row: int
    vendor: str
    vendor_as_written: str
    product: str
    annual_cost: Decimal
    start_date: date
    renewal_date: date
    term_months: int
    auto_renew: bool | None
    notice_days: int | None
    funding: str
    department: str
    status: str
    notes: str


@dataclass
class TruthPerson:
    employee_id: str
    name: str
    email: str
    school: str
    title: str
    start_date: date
    end_date: date | None


@dataclass
class TruthPurchase:
    po_number: str
    po_date: date
    vendor: str
    description: str
    quantity: int
    unit_price: Decimal
    amount: Decimal
    account_code: str
    fund: str


@dataclass
class TruthAppRequest:
    request_id: str
    product: str
    vendor: str
    requester_email: str
    school: str
    request_date: date
    reviews: dict[str, str]
    review_updated: date
    approval_status: str
    agreement_type: str | None
    annual_cost: Decimal | None
    under_13: bool
    notes: str


@dataclass
class _Rendered:
    """The files' contents, decided at build time so that row numbers are known in the truth."""

    csv_rows: dict[str, list[list[str]]]
    xlsx_rows: list[list[Any]]
    xlsx_stamp: datetime


@dataclass
class SampleDistrict:
    anchor: date
    schools: list[str]
    school_aliases: dict[str, list[str]]
    devices: list[TruthDevice]
    tickets: list[TruthTicket]
    contracts: list[TruthContract]
    people: list[TruthPerson]
    purchases: list[TruthPurchase]
    app_requests: list[TruthAppRequest]
    conflicts: list[tuple[str, str, str, str]]
    damaged_serial_rows: list[tuple[str, int]]
    files: list[Path] = field(default_factory=list)
    _rendered: _Rendered | None = field(default=None, repr=False, compare=False)


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------

_ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
_DIGITS = "0123456789"
_HEX = "0123456789ABCDEF"
_CENTS = (Decimal("0.00"), Decimal("0.00"), Decimal("0.99"), Decimal("0.50"))


def canonical_serial(value: str) -> str:
    """Upper case, without spaces or dashes: how every serial is compared."""
    return re.sub(r"[\s\-]", "", value).upper()


def _add_months(d: date, months: int) -> date:
    year, month0 = divmod(d.month - 1 + months, 12)
    year += d.year
    return date(year, month0 + 1, min(d.day, calendar.monthrange(year, month0 + 1)[1]))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _fiscal_year_end(d: date) -> int:
    """The calendar year in which d's fiscal year (July-June) ends."""
    return d.year + 1 if d.month >= 7 else d.year


def next_fiscal_quarter(anchor: date) -> tuple[date, date]:
    """First and last day of the fiscal quarter (Jul/Oct/Jan/Apr starts) after the anchor's."""
    start_month = ((anchor.month - 1) // 3) * 3 + 1
    start = _add_months(date(anchor.year, start_month, 1), 3)
    return start, _add_months(start, 3) - timedelta(days=1)


def _mdy(d: date | None) -> str:
    return "" if d is None else f"{d.month}/{d.day}/{d.year}"


def _money(value: Decimal, dollar: bool = False) -> str:
    return f"{'$' if dollar else ''}{value:,.2f}"


def _rand_chars(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _price(rng: random.Random, base: float, low: float = 0.92, high: float = 1.05) -> Decimal:
    return Decimal(round(base * rng.uniform(low, high))) + rng.choice(_CENTS)


def _pick(rng: random.Random, items: tuple[Any, ...] | list[Any], weights: Any) -> Any:
    return rng.choices(items, weights=weights)[0]


def _fold(text: str) -> str:
    """ASCII form of a name for an email address."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z\-]", "", ascii_text.lower())


def _school_alias(rng: random.Random, school: str, canonical_share: float) -> str:
    if rng.random() < canonical_share:
        return school
    return rng.choice(_SCHOOL_BY_NAME[school].aliases)


def _make_serial(rng: random.Random, kind: str) -> str:
    if kind == "dell":
        return _rand_chars(rng, _ALNUM, 7)
    if kind == "hp":
        return "5CD" + _rand_chars(rng, _DIGITS, 3) + _rand_chars(rng, _ALNUM, 4)
    if kind == "lenovo":
        return rng.choice(("PF", "LR", "MP")) + _rand_chars(rng, _ALNUM, 6)
    if kind == "acer":
        return (
            "NX"
            + _rand_chars(rng, _ALNUM, 3)
            + "AA00"
            + _rand_chars(rng, _DIGITS, 3)
            + _rand_chars(rng, _HEX, 7)
            + "7600"
        )
    if kind == "apple":
        return rng.choice(("C02", "DMP", "F9F", "")) + _rand_chars(rng, _ALNUM, 9)
    if kind == "samsung":
        return "R9" + _rand_chars(rng, _ALNUM, 9)
    if kind == "promethean":
        return "63770" + _rand_chars(rng, _DIGITS, 11)
    if kind == "viewsonic":
        return "W8Y" + _rand_chars(rng, _ALNUM, 9)
    if kind == "smart":
        return "SBMX" + _rand_chars(rng, _DIGITS, 10)
    if kind == "epson":
        return "X4K" + _rand_chars(rng, _ALNUM, 7)
    if kind == "meraki":
        return "Q2" + _rand_chars(rng, _ALNUM, 10)
    if kind == "aruba":
        return "CN" + _rand_chars(rng, _ALNUM, 8)
    return "FOC" + _rand_chars(rng, _DIGITS, 4) + _rand_chars(rng, _ALNUM, 4)


# ---------------------------------------------------------------------------------------------
# Build: working records
# ---------------------------------------------------------------------------------------------


@dataclass
class _Batch:
    model: _Model
    purchased: date
    supplier: str
    unit_cost: Decimal
    fund: str
    size: int
    po_number: str = ""


@dataclass
class _Dev:
    serial: str
    model: _Model
    batch: _Batch
    school: str = ""
    status: str = "active"
    owner: TruthPerson | None = None
    asset_tag: str | None = None
    in_snipe: bool = True
    in_google: bool = False
    blank_purchase_date: bool = False
    google_school: str | None = None
    google_shows_tag: bool = True

    @property
    def category(self) -> str:
        return self.model.category


@dataclass
class _Po:
    po_date: date
    vendor: str
    lines: list[tuple[str, int, Decimal, str, str]]  # description, qty, unit, account, fund
    batch: _Batch | None = None


class _Builder:
    """Builds the truth model; one random stream, consumed in a fixed order."""

    def __init__(self, seed: int, anchor: date) -> None:
        self.rng = random.Random(seed)
        self.anchor = anchor
        self.now = datetime.combine(anchor, time())
        self.people: list[TruthPerson] = []
        self.by_school: dict[str, list[TruthPerson]] = {}
        self.techs: list[TruthPerson] = []
        self.devs: list[_Dev] = []
        self.rejects: list[_Dev] = []
        self.batches: list[_Batch] = []
        self._device_index: dict[tuple[str, str], list[_Dev]] = {}
        self._tech_for_school: dict[str, TruthPerson] = {}

    def days_ago(self, days: int) -> date:
        return self.anchor - timedelta(days=days)

    # -- people -------------------------------------------------------------------------------

    def build_people(self) -> list[TruthPerson]:
        rng = self.rng
        slots = [(s.name, title) for s in SCHOOLS for title in self._titles(s)]
        names = self._unique_names([title for _, title in slots])
        emails = self._emails(names)
        people = [
            TruthPerson(
                "",
                f"{first} {last}",
                email,
                school,
                title,
                self.days_ago(rng.randint(60, 9000)),
                None,
            )
            for (school, title), (first, last), email in zip(slots, names, emails, strict=True)
        ]
        self._plant_staff_changes(people)
        for person, employee_id in zip(
            people, self._employee_ids([p.start_date for p in people]), strict=True
        ):
            person.employee_id = employee_id  # numbered in hiring order, new hires last
        self.people = people
        for p in people:
            self.by_school.setdefault(p.school, []).append(p)
        self.techs = [p for p in people if p.title in _IT_TITLES]
        return people

    def _titles(self, school: _School) -> list[str]:
        titles = [t for t, n in _FIXED_TITLES[school.level] for _ in range(n)]
        fill = _FILL_TITLES[school.level]
        while len(titles) < school.staff:
            titles.append(fill[len(titles) % len(fill)])
        return titles

    def _unique_names(self, titles: list[str]) -> list[tuple[str, str]]:
        rng = self.rng
        n = len(titles)
        taken = {_FIXED_NAMES[i] for i in range(len(_FIXED_NAMES))} | {_COORDINATOR}
        names: list[tuple[str, str]] = []
        while len(names) < n:
            first_pool = ACCENTED_FIRST_NAMES if rng.random() < 0.04 else FIRST_NAMES
            last_pool = ACCENTED_LAST_NAMES if rng.random() < 0.05 else LAST_NAMES
            name = (rng.choice(first_pool), rng.choice(last_pool))
            if name not in taken:
                taken.add(name)
                names.append(name)
        teachers = [i for i, title in enumerate(titles) if "Teacher" in title]
        for index, name in zip(rng.sample(teachers, len(_FIXED_NAMES)), _FIXED_NAMES, strict=True):
            names[index] = name
        return names

    def _emails(self, names: list[tuple[str, str]]) -> list[str]:
        seen: set[str] = set()
        emails = []
        for first, last in names:
            local = f"{_fold(first)}.{_fold(last)}"
            candidate, n = local, 1
            while candidate in seen:
                n += 1
                candidate = f"{local}{n}"
            seen.add(candidate)
            emails.append(f"{candidate}@{EMAIL_DOMAIN}")
        return emails

    def _employee_ids(self, starts: list[date]) -> list[str]:
        order = sorted(range(len(starts)), key=lambda i: (starts[i], i))
        ids = [""] * len(starts)
        number = 10000 + self.rng.randint(0, 400)
        for i in order:
            number += self.rng.randint(1, 9)
            ids[i] = f"E{number}"
        return ids

    def _plant_staff_changes(self, people: list[TruthPerson]) -> None:
        rng = self.rng
        coordinator = next(p for p in people if p.title == "Technology Coordinator")
        coordinator.name = " ".join(_COORDINATOR)
        coordinator.email = f"{_fold(_COORDINATOR[0])}.{_fold(_COORDINATOR[1])}@{EMAIL_DOMAIN}"
        coordinator.start_date = self.days_ago(rng.randint(6 * 365, 9 * 365))
        movable = [
            p for p in people if p.title not in _IT_TITLES and p is not coordinator
        ]  # keeps the help desk and the tracker's author in place
        chosen = rng.sample(movable, 35)
        for p in chosen[:15]:  # leaving within 45 days
            p.end_date = self.anchor + timedelta(days=rng.randint(1, 45))
        for p in chosen[15:25]:  # already gone
            p.end_date = self.days_ago(rng.randint(3, 200))
            p.start_date = min(p.start_date, p.end_date - timedelta(days=rng.randint(200, 2000)))
        for p in chosen[25:]:  # starting within 30 days
            p.start_date = self.anchor + timedelta(days=rng.randint(1, 30))
        for p in (p for p in people if p.title in _IT_TITLES):
            p.start_date = min(p.start_date, self.days_ago(800))

    def employed(self, person: TruthPerson, on: date) -> bool:
        return person.start_date <= on and (person.end_date is None or person.end_date >= on)

    # -- devices ------------------------------------------------------------------------------

    def build_devices(self, total: int) -> None:
        counts = {c: round(total * share) for c, share in _CATEGORY_SHARE.items()}
        counts = {"Chromebook": total - sum(counts.values()), **counts}
        serials: set[str] = set()
        for category in CATEGORIES:
            for batch in self._batches(category, counts[category]):
                self.batches.append(batch)
                for _ in range(batch.size):
                    self.devs.append(
                        _Dev(self._new_serial(batch.model, serials), batch.model, batch)
                    )
        self._add_rejects(serials)
        self._assign_status_and_schools()
        self._plant_departed_owners()
        self._assign_systems_and_tags()

    def _batches(self, category: str, count: int) -> list[_Batch]:
        rng = self.rng
        models = (
            CHROMEBOOK_MODELS
            if category == "Chromebook"
            else tuple(m for m in OTHER_MODELS if m.category == category)
        )
        batches: list[_Batch] = []
        remaining = count
        while remaining > 0:
            if category == "Interactive Display" and not batches:
                model = _PROMETHEAN  # the rejects below belong to a Promethean batch
            else:
                model = _pick(rng, models, [m.weight for m in models])
            size = min(remaining, rng.randint(*_BATCH_SIZE[category]))
            remaining -= size
            age = rng.uniform(*model.age_years)
            purchased = self.days_ago(int(age * 365.25))
            purchased -= timedelta(days=max(0, purchased.weekday() - 4))
            batches.append(
                _Batch(
                    model,
                    purchased,
                    rng.choice(model.suppliers),
                    _price(rng, model.price),
                    rng.choice(model.funds),
                    size,
                )
            )
        return batches

    def _new_serial(self, model: _Model, serials: set[str]) -> str:
        while True:
            serial = _make_serial(self.rng, model.serial_kind)
            if serial not in serials:
                serials.add(serial)
                return serial

    def _add_rejects(self, serials: set[str]) -> None:
        batch = next(b for b in self.batches if b.model is _PROMETHEAN)
        for _ in range(3):
            batch.size += 1
            dev = _Dev(self._new_serial(_PROMETHEAN, serials), _PROMETHEAN, batch)
            dev.school = self._weighted_school(lambda s: s.staff * (s.level != "transportation"))
            self.rejects.append(dev)

    def _weighted_school(self, weight: Any) -> str:
        weights = [weight(s) for s in SCHOOLS]
        return _pick(self.rng, [s.name for s in SCHOOLS], weights)

    def _assign_status_and_schools(self) -> None:
        rng = self.rng
        pools = self._owner_pools()
        laptop_cycle = list(pools["Laptop"])
        rng.shuffle(laptop_cycle)
        for dev in self.devs:
            dev.status = self._device_status(dev)
            owned_share = _OWNED_SHARE.get(dev.category, 0.0)
            keeps_owner = dev.status == "active" or (dev.status == "lost" and rng.random() < 0.3)
            if keeps_owner and rng.random() < owned_share:
                if dev.category == "Laptop":
                    if not laptop_cycle:
                        laptop_cycle = list(pools["Laptop"])
                        rng.shuffle(laptop_cycle)
                    dev.owner = laptop_cycle.pop()
                else:
                    dev.owner = rng.choice(pools[dev.category])
                dev.school = dev.owner.school
            else:
                dev.school = self._unowned_school(dev.category)

    def _owner_pools(self) -> dict[str, list[TruthPerson]]:
        hired = [p for p in self.people if p.start_date <= self.anchor]
        return {
            "Laptop": [p for p in hired if p.title not in _NO_LAPTOP_TITLES],
            "Desktop": [p for p in hired if p.title in _OFFICE_TITLES],
            "Tablet": [p for p in hired if "Teacher" in p.title or p.title == "Bus Driver"],
            "Chromebook": [p for p in hired if p.title == "Paraeducator" or "Teacher" in p.title],
        }

    def _device_status(self, dev: _Dev) -> str:
        age_days = (self.anchor - dev.batch.purchased).days
        retire = 0.3 if age_days > 4.5 * 365 else 0.03
        if dev.model.aue is not None and self._aue_date(dev.model) < self.anchor:
            retire = 0.35
        roll = self.rng.random()
        if roll < retire:
            return "retired"
        return "lost" if roll < retire + 0.025 else "active"

    def _unowned_school(self, category: str) -> str:
        def weight(s: _School) -> float:
            if category == "Chromebook":
                return s.enrollment
            if category == "Laptop":
                return s.staff
            if category == "Desktop":
                return s.enrollment + {"office": 200, "transportation": 30}.get(s.level, 0)
            if category == "Tablet":
                return s.enrollment * (s.level == "elementary") + 300 * (
                    s.level == "transportation"
                )
            if category in ("Interactive Display", "Projector"):
                return s.staff * (s.level != "transportation")
            return s.enrollment + 150

        return self._weighted_school(weight)

    def _aue_date(self, model: _Model) -> date:
        assert model.aue is not None
        offset, month = model.aue
        return _month_end(_fiscal_year_end(self.anchor) + offset, month)

    def _plant_departed_owners(self) -> None:
        """Every departed person still holds a device; most leavers soon do too."""
        rng = self.rng
        gone = [p for p in self.people if p.end_date and p.end_date < self.anchor]
        leaving = [p for p in self.people if p.end_date and p.end_date >= self.anchor]
        owners = {id(d.owner) for d in self.devs if d.owner and d.status == "active"}
        spare = [
            d
            for d in self.devs
            if d.status == "active"
            and d.owner is None
            and d.category in ("Laptop", "Tablet", "Desktop")
        ]
        rng.shuffle(spare)
        for person in gone + leaving[:6]:
            if id(person) not in owners and spare:
                dev = spare.pop()
                dev.owner = person
                dev.school = person.school

    def _assign_systems_and_tags(self) -> None:
        rng = self.rng
        tag_number = 10000 + rng.randint(0, 500)
        ordered = sorted(self.devs + self.rejects, key=lambda d: d.batch.purchased)
        for dev in ordered:
            if dev.category == "Chromebook":
                dev.in_google = True
                dev.in_snipe = rng.random() < 0.6
            tag_number += rng.choice((1, 1, 1, 2))
            if dev.in_snipe or rng.random() < 0.7:
                dev.asset_tag = f"MV{tag_number:06d}"
            dev.google_shows_tag = dev.in_google and (not dev.in_snipe or rng.random() < 0.85)
        in_snipe = [d for d in self.devs if d.in_snipe]
        for dev in rng.sample(in_snipe, min(5, len(in_snipe))):
            dev.blank_purchase_date = True

    def plant_conflicts(self, n: int = 12) -> list[tuple[str, str, str, str]]:
        rng = self.rng
        candidates = [
            d
            for d in self.devs
            if d.in_snipe and d.in_google and d.status == "active" and d.owner is None
        ]
        conflicts = []
        for dev in rng.sample(candidates, min(n, len(candidates))):
            level = _SCHOOL_BY_NAME[dev.school].level
            others = [s.name for s in SCHOOLS if s.level == level and s.name != dev.school]
            dev.google_school = rng.choice(others)
            conflicts.append((dev.serial, "school", dev.school, dev.google_school))
        return conflicts

    def truth_device(self, dev: _Dev) -> TruthDevice:
        snipe = dev.in_snipe
        purchased = dev.batch.purchased if snipe and not dev.blank_purchase_date else None
        warranty = _add_months(purchased, dev.model.warranty_months) if purchased else None
        systems = tuple(s for s, on in (("snipe_it", snipe), ("google_admin", dev.in_google)) if on)
        return TruthDevice(
            serial=dev.serial,
            asset_tag=dev.asset_tag,
            category=dev.category,
            manufacturer=dev.model.manufacturer,
            model=dev.model.model,
            school=dev.school,
            status=dev.status,
            purchase_date=purchased,
            purchase_cost=dev.batch.unit_cost if snipe else None,
            warranty_end=warranty,
            aue_date=self._aue_date(dev.model) if dev.model.aue else None,
            owner_email=dev.owner.email if dev.owner else None,
            systems=systems,
        )

    # -- tickets ------------------------------------------------------------------------------

    def build_tickets(self, total: int) -> list[TruthTicket]:
        n_iiq = round(total * 0.6)
        self._device_index = self._index_devices()
        self._tech_for_school = {s.name: self.rng.choice(self.techs) for s in SCHOOLS}
        drafts = [self._ticket("incident_iq" if i < n_iiq else "zendesk") for i in range(total)]
        tickets: list[TruthTicket] = []
        for system, first in (("incident_iq", 104000), ("zendesk", 20500)):
            mine = sorted((t for t in drafts if t.system == system), key=lambda t: t.opened)
            number = first + self.rng.randint(0, 300)
            for t in mine:
                number += self.rng.choice((1, 1, 1, 2, 3))
                t.external_id = str(number)
            tickets.extend(mine)
        return tickets

    def _index_devices(self) -> dict[tuple[str, str], list[_Dev]]:
        index: dict[tuple[str, str], list[_Dev]] = {}
        for dev in self.devs:
            index.setdefault((dev.school, dev.category), []).append(dev)
        return index

    def _ticket(self, system: str) -> TruthTicket:
        rng = self.rng
        category = _pick(rng, TICKET_CATEGORIES, _CATEGORY_WEIGHT)
        is_open = rng.random() < 0.08
        opened = self._ticket_opened(is_open)
        school = self._weighted_school(lambda s: s.enrollment + 4 * s.staff)
        device = self._ticket_device(category, school, opened.date())
        requester = self._requester(school, device, opened.date())
        if system == "incident_iq" and rng.random() < 0.03:
            requester = None
        closed = None if is_open else self._ticket_closed(category, opened)
        status = self._ticket_status(system, category, is_open, closed)
        unassigned = status in ("New", "new")
        repair = category in _REPAIR_CATEGORIES
        noun = _device_noun(device)
        return TruthTicket(
            system=system,
            external_id="",
            opened=opened,
            closed=closed,
            status=status,
            is_open=is_open,
            category=category,
            school=school,
            device_serial=device.serial if device else None,
            requester_email=requester.email if requester else None,
            assignee=None if unassigned else self._assignee(school).name,
            subject=_first_upper(rng.choice(_SUBJECTS[category]).format(noun=noun)),
            description=self._description(system, category, device, requester),
            parts_cost=self._parts_cost(category, device)
            if repair and not unassigned
            else Decimal("0.00"),
            labor_minutes=rng.randint(20, 120) if repair else rng.randint(10, 60),
        )

    def _ticket_day(self, low: int, high: int) -> date:
        weights = {6: 0.5, 7: 0.25, 8: 0.9, 12: 0.7}
        while True:
            day = self.days_ago(self.rng.randint(low, high))
            keep = weights.get(day.month, 1.0) * (0.08 if day.weekday() >= 5 else 1.0)
            if self.rng.random() < keep:
                return day

    def _ticket_opened(self, is_open: bool) -> datetime:
        rng = self.rng
        if is_open:
            day = self._ticket_day(1, 30) if rng.random() < 0.65 else self._ticket_day(31, 240)
        else:
            day = self._ticket_day(1, 548)
        minutes = rng.randint(7 * 60, 16 * 60 + 30)
        if rng.random() < 0.08:
            minutes = rng.randint(17 * 60, 22 * 60)
        return datetime.combine(day, time(minutes // 60, minutes % 60))

    def _ticket_closed(self, category: str, opened: datetime) -> datetime:
        rng = self.rng
        hi = 30000 if category in _REPAIR_CATEGORIES else 7000
        minutes = int(math.exp(rng.uniform(3.4, 10.3 if hi > 10000 else 8.85)))
        room = int((self.now - opened).total_seconds() // 60) - 1
        if minutes > room:
            minutes = rng.randint(1, max(1, room))
        return opened + timedelta(minutes=max(1, minutes))

    def _ticket_status(
        self, system: str, category: str, is_open: bool, closed: datetime | None
    ) -> str:
        rng = self.rng
        if system == "incident_iq":
            if not is_open:
                return "Resolved" if rng.random() < 0.3 else "Closed"
            steps = ["New", "In Progress"] + (
                ["Waiting on Parts"] if category in _REPAIR_CATEGORIES else []
            )
            return rng.choice(steps)
        if not is_open:
            assert closed is not None
            return "solved" if closed > self.now - timedelta(days=4) else "closed"
        return _pick(rng, ("new", "open", "pending", "hold"), (20, 45, 20, 15))

    def _ticket_device(self, category: str, school: str, on: date) -> _Dev | None:
        rng = self.rng
        if category in _REPAIR_CATEGORIES and rng.random() < 0.08:
            return None  # the requester never said which device
        if category in _REPAIR_CATEGORIES:
            kinds = (
                ("Chromebook", "Laptop")
                if category == "Keyboard"
                else ("Chromebook", "Laptop", "Tablet")
            )
            kind = _pick(rng, kinds, (70, 20, 10)[: len(kinds)])
        elif category == "Software" and rng.random() < 0.3:
            kind = rng.choice(("Laptop", "Desktop"))
        else:
            return None
        for candidate_kind in (kind, "Laptop", "Chromebook"):
            pool = self._device_index.get((school, candidate_kind), [])
            for _ in range(8 if pool else 0):
                dev = rng.choice(pool)
                if dev.batch.purchased <= on:
                    return dev
        return None

    def _requester(self, school: str, device: _Dev | None, on: date) -> TruthPerson | None:
        if device and device.owner and self.employed(device.owner, on):
            return device.owner
        staff = self.by_school[school]
        for _ in range(30):
            person = self.rng.choice(staff)
            if self.employed(person, on):
                return person
        return None

    def _assignee(self, school: str) -> TruthPerson:
        if self.rng.random() < 0.8:
            return self._tech_for_school[school]
        return self.rng.choice(self.techs)

    def _parts_cost(self, category: str, device: _Dev | None) -> Decimal:
        rng = self.rng
        if rng.random() < 0.15:
            return Decimal("0.00")  # warranty or no part needed
        kind = device.category if device else "Chromebook"
        ranges = {
            "Cracked screen": {"Chromebook": (38, 89), "Laptop": (95, 220), "Tablet": (79, 149)},
            "Liquid damage": {"Chromebook": (40, 260), "Laptop": (120, 420), "Tablet": (99, 249)},
            "Battery": {"Chromebook": (35, 75), "Laptop": (55, 129), "Tablet": (69, 99)},
            "Keyboard": {"Chromebook": (29, 79), "Laptop": (45, 119)},
            "Charging port": {"Chromebook": (15, 45), "Laptop": (25, 65), "Tablet": (29, 59)},
        }[category]
        low, high = ranges.get(kind, ranges["Chromebook"])
        return Decimal(rng.randint(low, high)) + rng.choice(_CENTS)

    def _description(
        self, system: str, category: str, device: _Dev | None, requester: TruthPerson | None
    ) -> str:
        rng = self.rng
        noun = _device_noun(device)
        phrase = rng.choice(_PROBLEM_PHRASES[category]).format(noun=noun)
        if device is None:
            context = ""
        elif device.owner is not None and requester is device.owner:
            context = rng.choice(_OWNED_CONTEXT).format(noun=noun)
        elif device.category == "Chromebook":
            context = rng.choice(_CART_CONTEXT).format(
                cart=rng.randint(1, 12), slot=rng.randint(1, 36)
            )
        else:
            context = rng.choice(_ROOM_CONTEXT).format(room=rng.randint(100, 240))
        if system == "zendesk" and requester and rng.random() < 0.35:
            first = requester.name.split(" ")[0]
            return f"Hi,\n\n{_first_upper(phrase)}.{context}\n\nThanks,\n{first}"
        opener = rng.choice(_OPENERS)
        if opener in ("", "Good morning. ", "URGENT: "):
            phrase = _first_upper(phrase)
        return f"{opener}{phrase}.{context}{rng.choice(_CLOSERS)}"

    # -- contracts ----------------------------------------------------------------------------

    def build_contracts(self, total: int) -> list[TruthContract]:
        rng = self.rng
        offsets = self._renewal_plan(total)
        entries = [_CONTRACT_CATALOG[i % len(_CONTRACT_CATALOG)] for i in range(total)]
        rng.shuffle(entries)
        contracts = []
        middle = total // 2
        for i, (entry, (renewal, notice_passed)) in enumerate(zip(entries, offsets, strict=True)):
            row = CONTRACTS_HEADER_ROW + 1 + i + (1 if i >= middle else 0)
            contracts.append(self._contract(i, entry, renewal, notice_passed, row))
        return contracts

    def _renewal_plan(self, total: int) -> list[tuple[date, bool]]:
        """Renewal dates in planted buckets around the anchor, shuffled into the rows."""
        rng = self.rng
        q_start, q_end = next_fiscal_quarter(self.anchor)
        q_days = ((q_start - self.anchor).days, (q_end - self.anchor).days)
        plan: list[tuple[int, int, bool, int]] = [
            (-300, -3, False, max(6, total // 12)),  # renewal already past
            (15, 45, True, 5),  # notice deadline passed, renewal not yet
            (3, 30, False, 4),
            (31, 60, False, 5),
            (61, 90, False, 5),
            (q_days[0], q_days[1], False, 7),  # next fiscal quarter
        ]
        fixed = sum(n for *_, n in plan)
        plan.append((91, 730, False, max(0, total - fixed)))
        dates: list[tuple[date, bool]] = []
        for low, high, notice_passed, n in plan:
            for _ in range(n):
                day = self.anchor + timedelta(days=rng.randint(low, high))
                if low > 90 and not notice_passed and rng.random() < 0.3:
                    day = date(day.year, rng.choice((7, 8)), 1)
                    day = day if day > self.anchor else date(day.year + 1, day.month, 1)
                dates.append((day, notice_passed))
        rng.shuffle(dates)
        return dates[:total]

    def _contract(
        self,
        index: int,
        entry: tuple[str, str, tuple[int, int], str, tuple[str, ...]],
        renewal: date,
        notice_passed: bool,
        row: int,
    ) -> TruthContract:
        rng = self.rng
        vendor, product, (low, high), department, funds = entry
        if index >= len(_CONTRACT_CATALOG):
            school = rng.choice([s for s in SCHOOLS if s.level in _STUDENT_LEVELS])
            product = f"{product} ({school.aliases[-1]} site license)"
            low, high = low // 6, high // 5
        terms = [
            (t, w)
            for t, w in ((12, 60), (24, 15), (36, 25))
            if _add_months(renewal, -t) <= self.anchor
        ]
        term = _pick(rng, [t for t, _ in terms], [w for _, w in terms])
        auto_renew, notice = self._renewal_terms(renewal, notice_passed)
        cost = Decimal(rng.randrange(low, high, 50))
        if rng.random() < 0.2:
            cost += Decimal(rng.randint(1, 99)) / 100
        return TruthContract(
            row=row,
            vendor=vendor,
            vendor_as_written=rng.choice(_VENDOR_FORMS[vendor]),
            product=product,
            annual_cost=cost.quantize(Decimal("0.01")),
            start_date=_add_months(renewal, -term),
            renewal_date=renewal,
            term_months=term,
            auto_renew=auto_renew,
            notice_days=notice,
            funding=rng.choice(funds),
            department=department,
            status=self._contract_status(renewal),
            notes=self._contract_notes(auto_renew, notice),
        )

    def _renewal_terms(self, renewal: date, notice_passed: bool) -> tuple[bool | None, int | None]:
        rng = self.rng
        if notice_passed:
            days_left = (renewal - self.anchor).days
            return True, 60 if days_left < 55 and rng.random() < 0.5 else 90
        auto = _pick(rng, (True, False, None), (45, 35, 20))
        if auto is True:
            return auto, _pick(rng, (60, 90, 30, None), (40, 25, 20, 15))
        if auto is False:
            return auto, _pick(rng, (None, 30, 60), (50, 25, 25))
        return auto, _pick(rng, (None, 60), (80, 20))

    def _contract_status(self, renewal: date) -> str:
        rng = self.rng
        days = (renewal - self.anchor).days
        if days < 0:
            return _pick(rng, ("Expired", "Active", "Cancelled"), (50, 30, 20))
        if days <= 90:
            return _pick(rng, ("Pending Renewal", "Active", "Under Review"), (50, 35, 15))
        return _pick(rng, ("Active", "Under Review"), (90, 10))

    def _contract_notes(self, auto_renew: bool | None, notice: int | None) -> str:
        rng = self.rng
        parts = []
        if auto_renew and notice and rng.random() < 0.4:
            parts.append(f"auto-renews unless cancelled {notice} days prior")
        if rng.random() < 0.45:
            parts.append(rng.choice(_CONTRACT_NOTES))
        return "; ".join(parts)

    # -- purchases ----------------------------------------------------------------------------

    def build_purchases(self, contracts: list[TruthContract]) -> list[TruthPurchase]:
        pos = [self._batch_po(b) for b in self.batches]
        pos += self._contract_pos(contracts)
        lines = sum(len(po.lines) for po in pos)
        pos += self._misc_pos(max(20, 300 - lines))
        pos.sort(key=lambda po: (po.po_date, po.vendor))
        purchases = []
        counters: dict[int, int] = {}
        for po in pos:
            fy = _fiscal_year_end(po.po_date)
            counters[fy] = counters.get(fy, 100 + self.rng.randint(0, 200)) + self.rng.randint(1, 6)
            number = f"P{fy % 100:02d}-{counters[fy]:05d}"
            if po.batch is not None:
                po.batch.po_number = number
            for description, qty, unit, account, fund in po.lines:
                purchases.append(
                    TruthPurchase(
                        number,
                        po.po_date,
                        po.vendor,
                        description,
                        qty,
                        unit,
                        unit * qty,
                        account,
                        fund,
                    )
                )
        return purchases

    def _batch_po(self, batch: _Batch) -> _Po:
        rng = self.rng
        model = batch.model
        label = (
            model.model
            if model.category == "Chromebook"
            else (f"{model.manufacturer} {model.model}")
        )
        account = f"{_FUND_CODE_BY_NAME[batch.fund]}-2230-0644"
        lines = [
            (
                f"{label} ({model.category.lower()})",
                batch.size,
                batch.unit_cost,
                account,
                batch.fund,
            )
        ]
        if model.category == "Chromebook" and rng.random() < 0.5:
            lines.append(("Protective cases", batch.size, _price(rng, 19), account, batch.fund))
        if model.category in ("Laptop", "Desktop") and rng.random() < 0.3:
            lines.append(
                ("Extended warranty (years 4-5)", batch.size, _price(rng, 89), account, batch.fund)
            )
        return _Po(batch.purchased, batch.supplier, lines, batch)

    def _contract_pos(self, contracts: list[TruthContract]) -> list[_Po]:
        pos = []
        window_start = self.days_ago(548)
        for c in contracts:
            billed = c.start_date
            while billed <= self.anchor:
                if billed >= window_start:
                    account = f"{_FUND_CODE_BY_NAME[c.funding]}-2230-0653"
                    description = f"{c.product} - annual subscription"
                    pos.append(
                        _Po(billed, c.vendor, [(description, 1, c.annual_cost, account, c.funding)])
                    )
                billed = _add_months(billed, 12)
        return pos

    def _misc_pos(self, n_lines: int) -> list[_Po]:
        rng = self.rng
        items = (
            ("Parts People", "Replacement LCD panels - {cb}", 38, (10, 50), "0439"),
            ("Parts People", "Replacement batteries - {cb}", 42, (10, 40), "0439"),
            ("Parts People", "Keyboard/palmrest assemblies - {cb}", 49, (10, 40), "0439"),
            ("Parts People", "USB-C charging port boards - {cb}", 22, (10, 40), "0439"),
            ("CDW-G", "USB-C 65W chargers", 24, (50, 200), "0610"),
            ("CDW-G", "Chromebook sleeves", 16, (50, 200), "0610"),
            ("CDW-G", "Charging cart, 36-bay", 1650, (1, 6), "0644"),
            ("CDW-G", "IPEVO V4K document cameras", 109, (5, 30), "0610"),
            ("Amazon", "HDMI cables 6ft", 9, (20, 100), "0610"),
            ("Amazon", "Headphones with mic (class set)", 11, (30, 150), "0610"),
            ("Staples", "Toner cartridges", 119, (5, 30), "0610"),
        )
        pos = []
        while n_lines > 0:
            vendor, text, price, qty_range, obj = rng.choice(items)
            fund = _pick(rng, ("General Fund", "ESSER", "Title I"), (70, 20, 10))
            account = f"{_FUND_CODE_BY_NAME[fund]}-2230-{obj}"
            description = text.format(cb=rng.choice(CHROMEBOOK_MODELS).model)
            line = (description, rng.randint(*qty_range), _price(rng, price), account, fund)
            pos.append(_Po(self.days_ago(rng.randint(5, 700)), vendor, [line]))
            n_lines -= 1
        return pos

    # -- app requests -------------------------------------------------------------------------

    def build_app_requests(self, total: int = 120) -> list[TruthAppRequest]:
        rng = self.rng
        stuck = set(rng.sample(range(total), 8))
        drafts = [self._app_request(i in stuck) for i in range(total)]
        drafts.sort(key=lambda r: (r.request_date, r.product))
        counters: dict[int, int] = {}
        for r in drafts:
            counters[r.request_date.year] = counters.get(r.request_date.year, 0) + 1
            r.request_id = f"AR-{r.request_date.year}-{counters[r.request_date.year]:03d}"
        return drafts

    def _app_request(self, stuck: bool) -> TruthAppRequest:
        rng = self.rng
        product, vendor, cost_range, staff_only = rng.choice(_APP_CATALOG)
        school = self._weighted_school(lambda s: s.staff * (s.level != "transportation"))
        fate = "pending" if stuck else _pick(rng, ("approved", "denied", "pending"), (65, 10, 25))
        requested, updated = self._app_dates(fate, stuck)
        requester = self._requester(school, None, requested) or self.by_school[school][0]
        cost = (
            None
            if cost_range is None
            else Decimal(rng.randrange(*cost_range, 50)) + Decimal("0.00")
        )
        reviews = self._reviews(fate, stuck, staff_only, cost is None)
        level = _SCHOOL_BY_NAME[school].level
        under_13 = not staff_only and level in ("elementary", "middle")
        band = {"elementary": "K-5", "middle": "6-8", "high": "9-12"}.get(level, "K-12")
        head = "Staff only" if staff_only else f"Grades {band}"
        notes = f"{head}; under-13 users: {'yes' if under_13 else 'no'}.{rng.choice(_APP_NOTES)}"
        return TruthAppRequest(
            request_id="",
            product=product,
            vendor=vendor,
            requester_email=requester.email,
            school=school,
            request_date=requested,
            reviews=reviews,
            review_updated=updated,
            approval_status={"approved": "Approved", "denied": "Denied"}.get(fate, "Pending"),
            agreement_type=self._agreement(fate),
            annual_cost=cost,
            under_13=under_13,
            notes=notes,
        )

    def _app_dates(self, fate: str, stuck: bool) -> tuple[date, date]:
        rng = self.rng
        if stuck:
            updated = self.days_ago(rng.randint(35, 120))
            return updated - timedelta(days=rng.randint(3, 40)), updated
        if fate == "pending":
            requested = self.days_ago(rng.randint(2, 150))
            age = (self.anchor - requested).days
            return requested, self.days_ago(rng.randint(0, min(25, age)))
        requested = self.days_ago(rng.randint(30, 420))
        age = (self.anchor - requested).days
        return requested, requested + timedelta(days=rng.randint(3, min(60, age)))

    def _reviews(self, fate: str, stuck: bool, staff_only: bool, free: bool) -> dict[str, str]:
        rng = self.rng
        reviews = {key: "Approved" for key in REVIEW_KEYS}
        if staff_only:
            reviews["curriculum"] = "Not Required"
        if free:
            reviews["funding"] = "Not Required"
            reviews["contract"] = rng.choice(("Not Required", "Approved"))
        if fate == "denied":
            reviews[rng.choice(("privacy", "privacy", "accessibility", "curriculum"))] = "Denied"
        elif fate == "pending":
            for key in REVIEW_KEYS[1:]:
                if reviews[key] != "Not Required":
                    reviews[key] = _pick(rng, ("Approved", "Pending", "In Review"), (3, 4, 2))
            if stuck:
                reviews["privacy"] = "In Review"
            elif all(v in ("Approved", "Not Required") for v in reviews.values()):
                reviews["accessibility"] = "Pending"
        return reviews

    def _agreement(self, fate: str) -> str | None:
        if fate == "approved":
            return _pick(self.rng, ("NDPA", "State DPA", "Vendor terms"), (50, 30, 20))
        return _pick(self.rng, (None, "NDPA", "Vendor terms"), (70, 15, 15))


def _fund_as_written(p: TruthPurchase) -> str:
    """The fund as the finance export spells it: one of its spellings, fixed per PO number (no
    draw from the generator's random stream, so nothing else in the sample moves)."""
    forms = _FUNDING_FORMS[p.fund]
    return forms[sum(map(ord, p.po_number)) % len(forms)]


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _device_noun(device: _Dev | None) -> str:
    if device is None:
        return "device"
    if device.category == "Tablet":
        return "iPad" if device.model.manufacturer == "Apple" else "tablet"
    if device.category in ("Laptop", "Desktop"):
        return "MacBook" if device.model.manufacturer == "Apple" else device.category.lower()
    return device.category


# ---------------------------------------------------------------------------------------------
# Render: the files' rows (all cosmetic choices come from a second random stream)
# ---------------------------------------------------------------------------------------------


class _Renderer:
    def __init__(self, seed: int, builder: _Builder, district: SampleDistrict) -> None:
        self.rng = random.Random(f"{seed}:render")
        self.b = builder
        self.d = district
        self.anchor = district.anchor
        self.now = builder.now
        self.devs_by_serial = {dev.serial: dev for dev in builder.devs}
        self.name_by_email = {p.email: p.name for p in district.people}

    def render(self) -> _Rendered:
        rows = {
            SNIPE_IT_FILE: self.snipe_rows(),
            GOOGLE_ADMIN_FILE: self.google_rows(),
            INCIDENT_IQ_FILE: [
                self.iiq_row(t) for t in self.d.tickets if t.system == "incident_iq"
            ],
            ZENDESK_FILE: [self.zendesk_row(t) for t in self.d.tickets if t.system == "zendesk"],
            PO_FILE: [self.po_row(p) for p in self.d.purchases],
            ROSTER_FILE: self.roster_rows(),
            APP_REQUESTS_FILE: [self.app_row(r) for r in self.d.app_requests],
        }
        stamp = datetime.combine(self.anchor - timedelta(days=30), time(16, 5))
        return _Rendered(rows, self.contract_rows(), stamp)

    # -- Snipe-IT -----------------------------------------------------------------------------

    def snipe_rows(self) -> list[list[str]]:
        rng = self.rng
        devs = sorted((d for d in self.b.devs if d.in_snipe), key=lambda d: d.asset_tag or "")
        rows = [self.snipe_row(d) for d in devs]
        damaged: list[list[str]] = []
        for dev in self.b.rejects:
            row = self.snipe_row(dev)
            row[2] = f"{float(dev.serial):.5E}"  # what Excel shows for a 16-digit number
            damaged.append(row)
            rows.insert(rng.randint(10, len(rows) - 10), row)
        rows.insert(rng.randint(len(rows) // 4, len(rows) // 2), [])
        rows.insert(rng.randint(len(rows) // 2, len(rows) - 5), [""] * 16)
        for row in damaged:
            line = next(i for i, r in enumerate(rows) if r is row) + 2  # header is line 1
            self.d.damaged_serial_rows.append((SNIPE_IT_FILE, line))
        self.d.damaged_serial_rows.sort(key=lambda item: item[1])
        return rows

    def snipe_row(self, dev: _Dev) -> list[str]:
        rng = self.rng
        model = dev.model
        tag = dev.asset_tag or ""
        if dev.owner:
            local = dev.owner.email.split("@")[0].replace(".", "")[:12].upper()
            name = f"{local}-{_CATEGORY_CODE[dev.category]}"
        else:
            name = f"{_SCHOOL_BY_NAME[dev.school].abbr}-{_CATEGORY_CODE[dev.category]}-{tag[-4:]}"
        purchased = "" if dev.blank_purchase_date else _mdy(dev.batch.purchased)
        cost = _money(dev.batch.unit_cost, dollar=rng.random() < 0.4)
        supplier_forms = _VENDOR_FORMS[dev.batch.supplier]
        supplier = (
            supplier_forms[1]
            if len(supplier_forms) > 1 and rng.random() < 0.7
            else (supplier_forms[0])
        )
        return [
            tag,
            name,
            self.snipe_serial(dev),
            model.model,
            model.model_number,
            dev.category,
            model.manufacturer,
            self.snipe_status(dev),
            _school_alias(rng, dev.school, 0.6),
            purchased,
            cost,
            supplier,
            dev.batch.po_number,
            str(model.warranty_months),
            dev.owner.email if dev.owner else "",
            self.snipe_notes(dev),
        ]

    def snipe_serial(self, dev: _Dev) -> str:
        serial = dev.serial
        if dev.model.serial_kind == "meraki":
            return f"{serial[:4]}-{serial[4:8]}-{serial[8:]}"
        roll = self.rng.random()
        if roll < 0.05:
            return serial.lower()
        if roll < 0.08 and len(serial) > 5:
            cut = self.rng.randint(2, len(serial) - 2)
            return f"{serial[:cut]}{self.rng.choice(('-', ' '))}{serial[cut:]}"
        return serial

    def snipe_status(self, dev: _Dev) -> str:
        if dev.status == "retired":
            return "Archived"
        if dev.status == "lost":
            return "Lost/Stolen"
        if dev.owner:
            return "Deployed"
        return _pick(self.rng, ("Deployed", "Ready to Deploy", "Pending"), (65, 28, 7))

    def snipe_notes(self, dev: _Dev) -> str:
        rng = self.rng
        if rng.random() > 0.12:
            return ""
        if dev.category == "Chromebook" and dev.owner is None:
            return f"Cart {rng.randint(1, 12)}"
        return rng.choice(("Spare", "Screen replaced", "Reimaged", "Loaner pool", "Room 112"))

    # -- Google Admin -------------------------------------------------------------------------

    def google_rows(self) -> list[list[str]]:
        devs = [d for d in self.b.devs if d.in_google]
        self.rng.shuffle(devs)
        return [self.google_row(d) for d in devs]

    def google_row(self, dev: _Dev) -> list[str]:
        rng = self.rng
        school = dev.google_school or dev.school
        status = {"active": "ACTIVE", "retired": "DEPROVISIONED", "lost": "DISABLED"}[dev.status]
        if status == "ACTIVE":
            branch = "Staff" if dev.owner else "Students"
            annotated = _school_alias(rng, school, 0.3) if rng.random() < 0.5 else ""
            ou = f"/{branch}/{_school_alias(rng, school, 0.8) if not annotated else school}"
            if annotated and branch == "Students" and rng.random() < 0.5:
                ou += "/Carts"
            synced = self.now - timedelta(minutes=rng.randint(60, 14 * 1440))
            if rng.random() < 0.08:
                synced -= timedelta(days=rng.randint(30, 150))
        else:
            ou = "/Deprovisioned" if status == "DEPROVISIONED" else "/Disabled"
            annotated = _school_alias(rng, school, 0.4)
            synced = self.now - timedelta(minutes=rng.randint(200 * 1440, 900 * 1440))
        assert dev.model.aue is not None
        aue = self.b._aue_date(dev.model)
        notes = rng.choice(("", "", "", "", "Loaner", f"Cart {rng.randint(1, 12)}", "Repaired"))
        return [
            dev.serial,
            dev.model.model,
            status,
            synced.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            dev.owner.email if dev.owner else "",
            annotated,
            dev.asset_tag if dev.google_shows_tag and dev.asset_tag else "",
            ou,
            f"{calendar.month_abbr[aue.month]} {aue.year}",
            notes,
        ]

    # -- tickets ------------------------------------------------------------------------------

    def iiq_row(self, t: TruthTicket) -> list[str]:
        rng = self.rng
        started = ""
        if t.status != "New":
            end = t.closed or self.now
            gap = max(1, int((end - t.opened).total_seconds() // 60))
            started = _iso(t.opened + timedelta(minutes=rng.randint(1, min(gap, 600))))
        tag, serial = self.device_refs(t.device_serial)
        requester = self.name_by_email.get(t.requester_email or "", "")
        return [
            t.external_id,
            t.subject,
            t.description,
            _iso(t.opened),
            started,
            _iso(t.closed) if t.closed else "",
            "False" if t.is_open else "True",
            t.status,
            rng.choice(_IIQ_ISSUE_NAMES[t.category]),
            _school_alias(rng, t.school, 0.8),
            requester,
            t.assignee or "",
            _pick(rng, ("Low", "Medium", "High"), (30, 55, 15)),
            tag,
            serial,
            f"{t.parts_cost:.2f}",
            str(t.labor_minutes),
        ]

    def device_refs(self, serial: str | None) -> tuple[str, str]:
        if serial is None:
            return "", ""
        dev = self.devs_by_serial[serial]
        written = serial.lower() if self.rng.random() < 0.1 else serial
        if dev.asset_tag is None:
            return "", written
        roll = self.rng.random()
        if roll < 0.5:
            return dev.asset_tag, written
        return (dev.asset_tag, "") if roll < 0.7 else ("", written)

    def zendesk_row(self, t: TruthTicket) -> list[str]:
        rng = self.rng
        solved = t.closed
        updated = solved or min(self.now, t.opened + timedelta(minutes=rng.randint(5, 20000)))
        if solved and t.status == "closed":
            updated = min(self.now, solved + timedelta(days=4))
        noun = _device_noun(self.devs_by_serial.get(t.device_serial or ""))
        tags = [_ZENDESK_CATEGORY[t.category], _SCHOOL_BY_NAME[t.school].abbr.lower()]
        if t.device_serial:
            tags.insert(0, noun.lower())
        if t.category in _REPAIR_CATEGORIES:
            tags.append("repair")
        group = (
            "Device Repair"
            if t.category in _REPAIR_CATEGORIES
            else ("Network" if t.category == "Network" else "Help Desk")
        )
        resolution = str(int((solved - t.opened).total_seconds() // 60)) if solved else ""
        return [
            t.external_id,
            self.name_by_email.get(t.requester_email or "", ""),
            t.requester_email or "",
            t.assignee or "",
            group,
            t.subject,
            t.description,
            " ".join(tags),
            t.status,
            _pick(rng, ("low", "normal", "high", "urgent"), (20, 60, 17, 3)),
            _pick(rng, ("Web form", "Email", "Phone call (incoming)", "Chat"), (45, 35, 12, 8)),
            "question"
            if t.category in ("Other", "Login/account") and rng.random() < 0.4
            else "incident",
            _zd(t.opened),
            _zd(updated),
            _zd(solved) if solved else "",
            _school_alias(rng, t.school, 0.0),
            resolution,
            t.device_serial or "",
            f"{t.parts_cost:.2f}",
            str(t.labor_minutes),
            _ZENDESK_CATEGORY[t.category],
        ]

    # -- contracts ----------------------------------------------------------------------------

    def contract_rows(self) -> list[list[Any]]:
        month = _add_months(self.anchor, -1)
        rows: list[list[Any]] = [
            [CONTRACTS_TITLE],
            [f"Updated by J. Alvarez, {calendar.month_abbr[month.month]} {month.year}"],
            [],
            list(HEADERS[CONTRACTS_FILE]),
        ]
        for c in self.d.contracts:
            while len(rows) + 1 < c.row:
                rows.append([])
            rows.append(self.contract_row(c))
        total = sum((c.annual_cost for c in self.d.contracts), Decimal("0"))
        rows.append(["TOTAL", None, float(total)])
        rows.append([])
        rows.append([CONTRACTS_FOOTNOTE])
        return rows

    def contract_row(self, c: TruthContract) -> list[Any]:
        rng = self.rng
        cost: Any = float(c.annual_cost) if rng.random() < 0.75 else _money(c.annual_cost, True)
        return [
            c.vendor_as_written,
            c.product,
            cost,
            self.xlsx_date(c.start_date),
            self.xlsx_date(c.renewal_date),
            c.term_months,
            self.auto_renew(c.auto_renew),
            self.notice(c.notice_days),
            rng.choice(_FUNDING_FORMS[c.funding]),
            c.department,
            c.status,
            c.notes or None,
        ]

    def xlsx_date(self, d: date) -> Any:
        return _mdy(d) if self.rng.random() < 0.15 else d

    def auto_renew(self, value: bool | None) -> Any:
        if value is None:
            return None
        forms: tuple[Any, ...] = ("Y", "Yes", True, "TRUE") if value else ("N", "no", "No")
        return self.rng.choice(forms)

    def notice(self, days: int | None) -> Any:
        if days is None:
            return None
        months = days // 30
        forms = (
            days,
            str(days),
            f"{days} days",
            f"{days}d",
            f"{months} month{'s' if months > 1 else ''}",
        )
        return self.rng.choice(forms)

    # -- finance, roster, app requests ---------------------------------------------------------

    def po_row(self, p: TruthPurchase) -> list[str]:
        forms = _VENDOR_FORMS[p.vendor]
        return [
            p.po_number,
            p.po_date.strftime("%m/%d/%Y"),
            forms[1] if len(forms) > 1 else forms[0],
            p.description,
            str(p.quantity),
            f"{p.unit_price:.2f}",
            f"{p.amount:.2f}",
            p.account_code,
            _fund_as_written(p),
        ]

    def roster_rows(self) -> list[list[str]]:
        people = sorted(self.d.people, key=lambda p: p.employee_id)
        return [
            [
                p.employee_id,
                p.name,
                p.email,
                _school_alias(self.rng, p.school, 0.5),
                p.title,
                _mdy(p.start_date),
                _mdy(p.end_date),
            ]
            for p in people
        ]

    def app_row(self, r: TruthAppRequest) -> list[str]:
        cost = _money(r.annual_cost, dollar=True) if r.annual_cost is not None else ""
        return [
            r.request_id,
            r.product,
            r.vendor,
            self.name_by_email[r.requester_email],
            r.requester_email,
            _school_alias(self.rng, r.school, 0.5),
            _mdy(r.request_date),
            *(r.reviews[k] for k in REVIEW_KEYS),
            _mdy(r.review_updated),
            r.approval_status,
            r.agreement_type or "",
            cost,
            r.notes,
        ]


def _iso(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S")


def _zd(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def build_district(
    seed: int = 2027,
    anchor: date = date(2026, 11, 23),
    *,
    devices: int = 2400,
    tickets: int = 6000,
    contracts: int = 90,
) -> SampleDistrict:
    """Build the truth model (and, privately, the exact contents of every export file)."""
    b = _Builder(seed, anchor)
    people = b.build_people()
    b.build_devices(devices)
    conflicts = b.plant_conflicts()
    truth_tickets = b.build_tickets(tickets)
    truth_contracts = b.build_contracts(contracts)
    purchases = b.build_purchases(truth_contracts)
    app_requests = b.build_app_requests()
    district = SampleDistrict(
        anchor=anchor,
        schools=[s.name for s in SCHOOLS],
        school_aliases={s.name: list(s.aliases) for s in SCHOOLS},
        devices=[b.truth_device(d) for d in b.devs],
        tickets=truth_tickets,
        contracts=truth_contracts,
        people=people,
        purchases=purchases,
        app_requests=app_requests,
        conflicts=conflicts,
        damaged_serial_rows=[],
    )
    district._rendered = _Renderer(seed, b, district).render()
    return district


def write_exports(district: SampleDistrict, out_dir: Path) -> list[Path]:
    """Write the eight export files under out_dir; returns their paths in EXPORT_FILES order."""
    rendered = district._rendered
    if rendered is None:
        raise ValueError("district was not made by build_district()")
    out_dir = Path(out_dir)
    encodings = {GOOGLE_ADMIN_FILE: "utf-8-sig", ROSTER_FILE: "cp1252"}
    paths = []
    for relative in EXPORT_FILES:
        path = out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if relative == CONTRACTS_FILE:
            _write_xlsx(path, rendered.xlsx_rows, rendered.xlsx_stamp)
        else:
            terminator = "\r\n" if relative == SNIPE_IT_FILE else "\n"
            with path.open("w", encoding=encodings.get(relative, "utf-8"), newline="") as handle:
                writer = csv.writer(handle, lineterminator=terminator)
                writer.writerow(HEADERS[relative])
                writer.writerows(rendered.csv_rows[relative])
        paths.append(path)
    district.files = paths
    return paths


def generate(
    out_dir: Path, *, seed: int = 2027, anchor: date = date(2026, 11, 23)
) -> SampleDistrict:
    """Build the district and write its exports under out_dir."""
    district = build_district(seed, anchor)
    write_exports(district, out_dir)
    return district


def _write_xlsx(path: Path, rows: list[list[Any]], stamp: datetime) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.xml.functions import tostring

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = CONTRACTS_SHEET
    for row in rows:
        sheet.append(row)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"].font = Font(italic=True)
    for cell in sheet[CONTRACTS_HEADER_ROW]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for row in sheet.iter_rows(min_row=CONTRACTS_HEADER_ROW + 1):
        for cell in row:
            if isinstance(cell.value, datetime | date):
                cell.number_format = "m/d/yyyy"
            elif cell.column == 3 and isinstance(cell.value, float):
                cell.number_format = '"$"#,##0.00'
    widths = (28, 44, 14, 12, 13, 9, 11, 13, 14, 24, 16, 48)
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = f"A{CONTRACTS_HEADER_ROW + 1}"
    workbook.properties.creator = "J. Alvarez"
    buffer = io.BytesIO()
    workbook.save(buffer)
    workbook.properties.created = workbook.properties.modified = stamp
    core = tostring(workbook.properties.to_tree())
    # Re-pack with fixed timestamps so the same seed gives the same bytes.
    with (
        zipfile.ZipFile(buffer) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = core if info.filename == "docProps/core.xml" else source.read(info.filename)
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, data)
