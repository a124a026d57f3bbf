"""The sample district: deterministic, big enough, exact headers, and a truth model that an
independent reader of the written files re-derives field for field."""

from __future__ import annotations

import csv
import io
import re
import time
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from ingest import sample
from ingest.sample import (
    APP_REQUESTS_FILE,
    CONTRACTS_FILE,
    EXPORT_FILES,
    FUND_CODES,
    FUNDING_ALIASES,
    GOOGLE_ADMIN_FILE,
    HEADERS,
    INCIDENT_IQ_FILE,
    PO_FILE,
    ROSTER_FILE,
    SNIPE_IT_FILE,
    TICKET_CATEGORY_ALIASES,
    VENDOR_ALIASES,
    ZENDESK_FILE,
    SampleDistrict,
    canonical_serial,
)

SCIENTIFIC = re.compile(r"^\d\.\d+E\+\d+$")
NOUNS = ("device", "Chromebook", "laptop", "desktop", "MacBook", "iPad", "tablet")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[SampleDistrict, Path, float]:
    out = tmp_path_factory.mktemp("district")
    started = time.perf_counter()
    district = sample.generate(out)
    return district, out, time.perf_counter() - started


@pytest.fixture(scope="module")
def district(generated: tuple[SampleDistrict, Path, float]) -> SampleDistrict:
    return generated[0]


@pytest.fixture(scope="module")
def out(generated: tuple[SampleDistrict, Path, float]) -> Path:
    return generated[1]


def _read_csv(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return [
            row for row in csv.DictReader(handle) if any((v or "").strip() for v in row.values())
        ]


def _aliases(district: SampleDistrict) -> dict[str, str]:
    table = {name.lower(): name for name in district.schools}
    for name, aliases in district.school_aliases.items():
        table.update({alias.lower(): name for alias in aliases})
    return table


def _mdy(text: str) -> date | None:
    return datetime.strptime(text, "%m/%d/%Y").date() if text.strip() else None


def _money(text: str) -> Decimal:
    return Decimal(text.replace("$", "").replace(",", "").strip())


# --- determinism, sizes, speed ---------------------------------------------------------------


def test_same_seed_gives_identical_bytes(out: Path, tmp_path: Path) -> None:
    again = sample.generate(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in again.files] == list(EXPORT_FILES)
    for relative in EXPORT_FILES:
        assert (out / relative).read_bytes() == (tmp_path / relative).read_bytes(), relative


def test_different_seed_gives_different_files(out: Path, tmp_path: Path) -> None:
    sample.generate(tmp_path, seed=99)
    for relative in EXPORT_FILES:
        assert (out / relative).read_bytes() != (tmp_path / relative).read_bytes(), relative


def test_build_is_pure(district: SampleDistrict) -> None:
    again = sample.build_district()
    assert again.devices == district.devices
    assert again.tickets == district.tickets
    assert again.contracts == district.contracts
    assert again.conflicts == district.conflicts


def test_minimum_sizes_and_speed(generated: tuple[SampleDistrict, Path, float]) -> None:
    district, _, seconds = generated
    assert len(district.devices) >= 2000
    assert len(district.tickets) >= 5000
    assert len(district.contracts) >= 80
    assert 550 <= len(district.people) <= 650
    assert 250 <= len(district.purchases) <= 400
    assert 100 <= len(district.app_requests) <= 140
    assert len(district.schools) == 14
    assert seconds < 10


def test_anchor_moves_everything(tmp_path: Path) -> None:
    later = sample.build_district(anchor=date(2027, 3, 1), devices=2000, tickets=5000)
    assert max(t.opened for t in later.tickets) < datetime(2027, 3, 1)
    assert min(t.opened for t in later.tickets) >= datetime(2025, 8, 1)


# --- headers and encodings -------------------------------------------------------------------


def test_csv_headers_exact(out: Path) -> None:
    for relative in EXPORT_FILES:
        if relative == CONTRACTS_FILE:
            continue
        encoding = {GOOGLE_ADMIN_FILE: "utf-8-sig", ROSTER_FILE: "cp1252"}.get(relative, "utf-8")
        with (out / relative).open(encoding=encoding, newline="") as handle:
            assert tuple(next(csv.reader(handle))) == HEADERS[relative], relative


def test_spelled_out_headers() -> None:
    assert ",".join(HEADERS[SNIPE_IT_FILE]).startswith("Asset Tag,Asset Name,Serial,Model,")
    assert HEADERS[GOOGLE_ADMIN_FILE][-2:] == ("Auto Update Expiration", "Notes")
    assert HEADERS[ZENDESK_FILE][-1] == "Category [list]"
    assert HEADERS[INCIDENT_IQ_FILE][0] == "TicketNumber"


def test_encodings_and_line_ends(out: Path) -> None:
    assert (out / GOOGLE_ADMIN_FILE).read_bytes().startswith(b"\xef\xbb\xbf")
    assert not (out / SNIPE_IT_FILE).read_bytes().startswith(b"\xef\xbb\xbf")
    snipe = (out / SNIPE_IT_FILE).read_bytes()
    assert snipe.count(b"\r\n") == snipe.count(b"\n")
    raw = (out / ROSTER_FILE).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("cp1252")
    assert "José Núñez" in text
    assert "Zoë" in text


def test_snipe_has_two_blank_rows(out: Path) -> None:
    lines = (out / SNIPE_IT_FILE).read_bytes().decode("utf-8").split("\r\n")
    assert lines.count("") == 2  # the empty line, plus the trailing newline
    assert lines.count("," * 15) == 1


def test_contracts_layout(out: Path, district: SampleDistrict) -> None:
    sheet = openpyxl.load_workbook(out / CONTRACTS_FILE)["Contracts"]
    assert sheet["A1"].value == "Maple Valley USD — Technology Contracts & Renewals"
    assert sheet["A2"].value == "Updated by J. Alvarez, Oct 2026"
    assert all(cell.value is None for cell in sheet[3])
    assert tuple(c.value for c in sheet[4]) == HEADERS[CONTRACTS_FILE]
    rows = [c.row for c in district.contracts]
    assert rows[0] == 5
    gaps = [r for r in range(5, rows[-1]) if r not in set(rows)]
    assert len(gaps) == 1 and all(cell.value is None for cell in sheet[gaps[0]])
    total_row = rows[-1] + 1
    assert sheet.cell(total_row, 1).value == "TOTAL"
    total = Decimal(str(sheet.cell(total_row, 3).value))
    assert total == sum(c.annual_cost for c in district.contracts)
    assert sheet.cell(sheet.max_row, 1).value == "* notice periods per signed agreements"


def test_school_aliases_are_unambiguous(district: SampleDistrict) -> None:
    acronyms = {"".join(w[0] for w in name.split()): name for name in district.schools}
    assert len(acronyms) == len(district.schools)
    seen: dict[str, str] = {}
    for name, aliases in district.school_aliases.items():
        for alias in [name, *aliases]:
            assert seen.setdefault(alias.lower(), name) == name, alias
            if alias.isupper() and alias != name.upper():
                assert acronyms[alias] == name


# --- planted dirt ----------------------------------------------------------------------------


def test_damaged_serials_at_recorded_rows(out: Path, district: SampleDistrict) -> None:
    assert len(district.damaged_serial_rows) == 3
    text = (out / SNIPE_IT_FILE).read_bytes().decode("utf-8")
    lines = text.split("\r\n")
    truth_serials = {d.serial for d in district.devices}
    for relative, line in district.damaged_serial_rows:
        assert relative == SNIPE_IT_FILE
        row = next(csv.reader([lines[line - 1]]))
        assert SCIENTIFIC.match(row[2]), row
        assert canonical_serial(row[2]) not in truth_serials
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert sum(1 for row in rows if len(row) > 2 and SCIENTIFIC.match(row[2])) == 3


def test_conflicts_present_in_both_files(out: Path, district: SampleDistrict) -> None:
    aliases = _aliases(district)
    snipe = {canonical_serial(r["Serial"]): r for r in _read_csv(out / SNIPE_IT_FILE)}
    google = {r["Serial Number"]: r for r in _read_csv(out / GOOGLE_ADMIN_FILE, "utf-8-sig")}
    assert 10 <= len(district.conflicts) <= 14
    truth = {d.serial: d for d in district.devices}
    for serial, field, snipe_value, google_value in district.conflicts:
        assert field == "school" and snipe_value != google_value
        assert aliases[snipe[serial]["Location"].lower()] == snipe_value
        assert _google_school(google[serial], aliases) == google_value
        assert truth[serial].school == snipe_value


def test_snipe_google_overlap(district: SampleDistrict) -> None:
    chromebooks = [d for d in district.devices if d.category == "Chromebook"]
    both = [d for d in chromebooks if d.systems == ("snipe_it", "google_admin")]
    assert 900 <= len(chromebooks) <= 1300
    assert 0.5 <= len(both) / len(chromebooks) <= 0.7
    assert all("google_admin" in d.systems for d in chromebooks)
    assert all(d.systems == ("snipe_it",) for d in district.devices if d.category != "Chromebook")


def test_people_dirt(district: SampleDistrict) -> None:
    anchor = district.anchor
    owners = Counter(d.owner_email for d in district.devices if d.status == "active")
    gone = [p for p in district.people if p.end_date and p.end_date < anchor]
    leaving = [p for p in district.people if p.end_date and anchor <= p.end_date]
    starting = [p for p in district.people if p.start_date > anchor]
    assert len(gone) >= 8 and all(owners[p.email] for p in gone)
    assert len(leaving) >= 12 and all(p.end_date <= anchor + timedelta(days=45) for p in leaving)
    assert sum(1 for p in leaving if owners[p.email]) >= 3
    assert len(starting) >= 8 and not any(owners[p.email] for p in starting)
    assert all(p.start_date <= anchor + timedelta(days=30) for p in starting)
    assert len({p.name for p in district.people}) == len(district.people)
    emails = {p.email for p in district.people}
    assert all(d.owner_email in emails for d in district.devices if d.owner_email)


def test_contract_renewal_spread(district: SampleDistrict) -> None:
    anchor = district.anchor
    days = [(c.renewal_date - anchor).days for c in district.contracts]
    assert sum(d < 0 for d in days) >= 4
    for low, high in ((0, 30), (31, 60), (61, 90)):
        assert any(low <= d <= high for d in days)
    q_start, q_end = sample.next_fiscal_quarter(anchor)
    assert (q_start, q_end) == (date(2027, 1, 1), date(2027, 3, 31))
    assert sum(q_start <= c.renewal_date <= q_end for c in district.contracts) >= 6
    assert (
        sum(
            1
            for c in district.contracts
            if c.notice_days
            and c.renewal_date - timedelta(days=c.notice_days) < anchor < c.renewal_date
        )
        >= 3
    )
    assert max(days) <= 800
    assert {
        c.vendor
        for c in district.contracts
        if c.vendor_as_written in ("Google LLC", "Google for Education")
    } <= {"Google"}


def test_tickets_spread(district: SampleDistrict) -> None:
    anchor_dt = datetime.combine(district.anchor, datetime.min.time())
    opened = [t.opened for t in district.tickets]
    assert min(opened) >= anchor_dt - timedelta(days=550) and max(opened) < anchor_dt
    open_tickets = [t for t in district.tickets if t.is_open]
    assert 0.05 <= len(open_tickets) / len(district.tickets) <= 0.11
    assert any(anchor_dt - t.opened > timedelta(days=30) for t in open_tickets)
    assert all(t.closed is None for t in open_tickets)
    assert all(t.opened < t.closed <= anchor_dt for t in district.tickets if t.closed)
    assert all(
        t.parts_cost == 0
        for t in district.tickets
        if t.category in ("Login/account", "Software", "Network", "Printer", "Other")
    )
    assert all(10 <= t.labor_minutes <= 120 for t in district.tickets)
    for category in (
        "Liquid damage",
        "Cracked screen",
        "Battery",
        "Keyboard",
        "Charging port",
        "Login/account",
    ):
        text = " ".join(t.description for t in district.tickets if t.category == category)
        used = {
            phrase
            for phrase in sample._PROBLEM_PHRASES[category]
            if any(phrase.format(noun=noun)[1:] in text for noun in NOUNS)
        }
        assert len(used) >= 8, category


def test_app_requests_stuck_in_privacy(district: SampleDistrict) -> None:
    stale = district.anchor - timedelta(days=30)
    stuck = [
        r
        for r in district.app_requests
        if r.reviews["privacy"] == "In Review" and r.review_updated < stale
    ]
    assert 5 <= len(stuck) <= 12


# --- an independent reader re-derives the truth ----------------------------------------------


def _google_school(row: dict[str, str], aliases: dict[str, str]) -> str:
    where = row["Location"] or row["Org Unit Path"].rstrip("/").rsplit("/", 1)[-1]
    return aliases[where.strip().lower()]


def _read_devices(out: Path, district: SampleDistrict) -> dict[str, sample.TruthDevice]:
    aliases = _aliases(district)
    snipe_status = {"Archived": "retired", "Lost/Stolen": "lost"}
    google_status = {"ACTIVE": "active", "DEPROVISIONED": "retired", "DISABLED": "lost"}
    devices: dict[str, sample.TruthDevice] = {}
    for row in _read_csv(out / SNIPE_IT_FILE):
        if SCIENTIFIC.match(row["Serial"]):
            continue
        purchased = _mdy(row["Purchase Date"])
        serial = canonical_serial(row["Serial"])
        warranty = int(row["Warranty Months"])
        devices[serial] = sample.TruthDevice(
            serial=serial,
            asset_tag=row["Asset Tag"] or None,
            category=row["Category"],
            manufacturer=row["Manufacturer"],
            model=row["Model"],
            school=aliases[row["Location"].lower()],
            status=snipe_status.get(row["Status"], "active"),
            purchase_date=purchased,
            purchase_cost=_money(row["Purchase Cost"]),
            warranty_end=sample._add_months(purchased, warranty) if purchased else None,
            aue_date=None,
            owner_email=row["Checked Out To: Email"] or None,
            systems=("snipe_it",),
        )
    for row in _read_csv(out / GOOGLE_ADMIN_FILE, "utf-8-sig"):
        aue = datetime.strptime(row["Auto Update Expiration"], "%b %Y").date()
        aue_date = sample._month_end(aue.year, aue.month)
        known = devices.get(row["Serial Number"])
        if known is not None:
            assert known.status == google_status[row["Status"]]
            assert known.owner_email == (row["User"] or None)
            assert row["Asset ID"] in ("", known.asset_tag)
            known.aue_date = aue_date
            known.systems = ("snipe_it", "google_admin")
            continue
        devices[row["Serial Number"]] = sample.TruthDevice(
            serial=row["Serial Number"],
            asset_tag=row["Asset ID"] or None,
            category="Chromebook",
            manufacturer=row["Model"].split()[0],
            model=row["Model"],
            school=_google_school(row, aliases),
            status=google_status[row["Status"]],
            purchase_date=None,
            purchase_cost=None,
            warranty_end=None,
            aue_date=aue_date,
            owner_email=row["User"] or None,
            systems=("google_admin",),
        )
    return devices


def test_reader_rederives_devices(out: Path, district: SampleDistrict) -> None:
    derived = _read_devices(out, district)
    truth = {d.serial: d for d in district.devices}
    assert derived.keys() == truth.keys()
    for serial, device in truth.items():
        assert derived[serial] == device, serial
    assert sum(d.purchase_date is None for d in district.devices if "snipe_it" in d.systems) >= 3


def test_reader_rederives_tickets(out: Path, district: SampleDistrict) -> None:
    aliases = _aliases(district)
    email_by_name = {p.name: p.email for p in district.people}
    serial_by_tag = {d.asset_tag: d.serial for d in district.devices if d.asset_tag}
    derived = []
    for row in _read_csv(out / INCIDENT_IQ_FILE):
        serial = canonical_serial(row["SerialNumber"]) if row["SerialNumber"] else None
        derived.append(sample.TruthTicket(
            system="incident_iq",
            external_id=row["TicketNumber"],
            opened=datetime.fromisoformat(row["CreatedDate"]),
            closed=datetime.fromisoformat(row["ClosedDate"]) if row["ClosedDate"] else None,
            status=row["WorkflowStep.StepName"],
            is_open=row["IsClosed"] == "False",
            category=TICKET_CATEGORY_ALIASES[row["Issue.Name"]],
            school=aliases[row["Location.Name"].lower()],
            device_serial=serial or serial_by_tag.get(row["AssetTag"]),
            requester_email=email_by_name.get(row["For.Name"]),
            assignee=row["AssignedToUser.Name"] or None,
            subject=row["Subject"],
            description=row["IssueDescription"],
            parts_cost=Decimal(row["Parts Cost"]),
            labor_minutes=int(row["Labor Minutes"]),
        ))  # fmt: skip
    for row in _read_csv(out / ZENDESK_FILE):
        derived.append(sample.TruthTicket(
            system="zendesk",
            external_id=row["Id"],
            opened=datetime.fromisoformat(row["Created at"]),
            closed=datetime.fromisoformat(row["Solved at"]) if row["Solved at"] else None,
            status=row["Status"],
            is_open=row["Status"] not in ("solved", "closed"),
            category=TICKET_CATEGORY_ALIASES[row["Category [list]"]],
            school=aliases[row["Organization"].lower()],
            device_serial=canonical_serial(row["Device Serial [txt]"]) or None,
            requester_email=row["Requester email"] or None,
            assignee=row["Assignee"] or None,
            subject=row["Subject"],
            description=row["Description"],
            parts_cost=Decimal(row["Parts Cost [dec]"]),
            labor_minutes=int(row["Labor Minutes [int]"]),
        ))  # fmt: skip
    assert derived == district.tickets


def _cell_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    return datetime.strptime(str(value), "%m/%d/%Y").date()


def _notice(value: object) -> int | None:
    if value is None:
        return None
    number = int(re.match(r"\d+", str(value)).group())  # type: ignore[union-attr]
    return number * 30 if "month" in str(value) else number


def test_reader_rederives_contracts(out: Path, district: SampleDistrict) -> None:
    sheet = openpyxl.load_workbook(out / CONTRACTS_FILE)["Contracts"]
    auto = {"y": True, "yes": True, "true": True, "n": False, "no": False, "false": False}
    derived = []
    for index, row in enumerate(sheet.iter_rows(min_row=5, values_only=True), start=5):
        if row[0] is None or row[0] == "TOTAL" or str(row[0]).startswith("*"):
            continue
        cost = row[2] if isinstance(row[2], float) else _money(str(row[2]))
        derived.append(sample.TruthContract(
            row=index,
            vendor=VENDOR_ALIASES[row[0]],
            vendor_as_written=row[0],
            product=row[1],
            annual_cost=Decimal(str(cost)).quantize(Decimal("0.01")),
            start_date=_cell_date(row[3]),
            renewal_date=_cell_date(row[4]),
            term_months=row[5],
            auto_renew=None if row[6] is None else auto[str(row[6]).lower()],
            notice_days=_notice(row[7]),
            funding=FUNDING_ALIASES[row[8]],
            department=row[9],
            status=row[10],
            notes=row[11] or "",
        ))  # fmt: skip
    assert derived == district.contracts


def test_reader_rederives_people_purchases_and_requests(
    out: Path, district: SampleDistrict
) -> None:
    aliases = _aliases(district)
    people = [
        sample.TruthPerson(r["Employee ID"], r["Name"], r["Email"], aliases[r["Building"].lower()],
                           r["Job Title"], _mdy(r["Start Date"]), _mdy(r["End Date"]))
        for r in _read_csv(out / ROSTER_FILE, "cp1252")
    ]  # fmt: skip
    assert sorted(people, key=lambda p: p.employee_id) == sorted(
        district.people, key=lambda p: p.employee_id
    )
    purchases = [
        sample.TruthPurchase(
            r["PO Number"], _mdy(r["PO Date"]), VENDOR_ALIASES[r["Vendor"]], r["Description"],
            int(r["Quantity"]), Decimal(r["Unit Price"]), Decimal(r["Amount"]),
            r["Account Code"], FUND_CODES[r["Account Code"].split("-")[0]],
        )
        for r in _read_csv(out / PO_FILE)
    ]  # fmt: skip
    assert purchases == district.purchases
    keys = ("Curriculum", "Privacy", "Accessibility", "Contract", "Funding")
    requests = [
        sample.TruthAppRequest(
            r["Request ID"], r["Product"], r["Vendor"], r["Requester Email"],
            aliases[r["Building"].lower()], _mdy(r["Request Date"]),
            {k.lower(): r[f"{k} Review"] for k in keys}, _mdy(r["Review Updated"]),
            r["Approval Status"], r["Agreement Type"] or None,
            _money(r["Annual Cost"]) if r["Annual Cost"] else None,
            "under-13 users: yes" in r["Notes"], r["Notes"],
        )
        for r in _read_csv(out / APP_REQUESTS_FILE)
    ]  # fmt: skip
    assert requests == district.app_requests


def test_device_batches_match_purchase_orders(out: Path, district: SampleDistrict) -> None:
    lines = {(p.po_number, p.unit_price) for p in district.purchases}
    for row in _read_csv(out / SNIPE_IT_FILE):
        assert (row["Order Number"], _money(row["Purchase Cost"])) in lines


def test_xlsx_is_readable_by_pandas(out: Path) -> None:
    pandas = pytest.importorskip("pandas")
    frame = pandas.read_excel(
        io.BytesIO((out / CONTRACTS_FILE).read_bytes()), header=3, engine="openpyxl"
    )
    assert list(frame.columns) == list(HEADERS[CONTRACTS_FILE])
