"""Repair tools on a small district whose right answers are worked out here by hand.

Two models. Dell Chromebook 3100 (Snipe-IT; two also in Google Admin):
  5CD1001 / A100  bought 2022-11-23  $300  1461 days to as_of 2026-11-23 = 4.0 device-years
  5CD1002 / A101  bought 2024-11-23  $300   730 days
  5CD1003 / A102  bought 2024-11-22  $250   731 days, Archived (retired)
  5CD1004 / A103  no purchase date, no cost
  dated: 730 + 731 + 1461 = 2922 days / 365.25 = 8.0 device-years (1461 days = 4 x 365.25)
HP ProBook 450 G8 (Snipe-IT):
  HP2001 / L200   bought 2022-11-23  $900   4.0 device-years
  HP2002 / L201   bought 2018-11-23  $1100  2922 days = 8.0 device-years  -> 12.0 in all

Tickets (R = repair: hardware category or parts used; Password Reset is not a repair):
  iiq 1001  2025-09-10  Broken Screen   "5cd 1001"        $89    30 min  R
  iiq 1002  2025-10-01  Password Reset  "5CD-1001"          -    15 min
  iiq 1003  2026-03-05  Liquid Spill    asset tag "a101"  $120   60 min  R (open)
  iiq 1004  2024-12-15  Battery Issue   "5CD1003"         $45    20 min  R
  iiq 1005  2026-06-30  Broken Screen   "5cd1004"         $89    30 min  R
  iiq 1006  2026-02-01  Broken Screen   "ZZZ999" (no such device) $89 30 min R, not counted
  zd  501   2026-07-01  cracked_screen  "5cd1001"         $89    45 min  R
  zd  502   2026-01-10  keyboard        "hp 2001"         $35    25 min  R
  zd  503   2026-02-01  password_reset  "HP2001"            -    10 min
  zd  504   2025-05-05  cracked_screen  "HP2002"          $150   60 min  R
  zd  505   2026-08-20  keyboard        "HP2002"          $35    25 min  R
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from pydantic import ValidationError

from ingest.load import ingest_paths
from tools import repair_history as history_module
from tools import repairs as repairs_module
from tools.repair_history import RepairHistoryArgs, repair_history
from tools.repairs import (
    BreakFixArgs,
    CostOfOwnershipArgs,
    FailureCategoriesArgs,
    break_fix_rate,
    cost_of_ownership,
    failure_categories,
)

TOOLS = (*history_module.TOOLS, *repairs_module.TOOLS)

AS_OF = dt.date(2026, 11, 23)
DELL, HP = "Dell Chromebook 3100", "HP ProBook 450 G8"

SNIPE_IT = (
    "Asset Tag,Asset Name,Serial,Model,Model Number,Category,Manufacturer,Status,Location,"
    "Purchase Date,Purchase Cost,Supplier,Order Number,Warranty Months,Checked Out To: Email,Notes",
    f"A100,CB-1,5CD1001,{DELL},3100,Chromebook,Dell,Deployed,Lincoln Elementary,2022-11-23,300.00,"
    "CDW,PO1,36,ava@district.org,",
    f"A101,CB-2,5CD1002,{DELL},3100,Chromebook,Dell,Deployed,Lincoln Elementary,2024-11-23,300.00,"
    "CDW,PO2,36,,",
    f"A102,CB-3,5CD1003,{DELL},3100,Chromebook,Dell,Archived,Washington Middle,2024-11-22,250.00,"
    "CDW,PO2,36,,",
    f"A103,CB-4,5CD1004,{DELL},3100,Chromebook,Dell,Deployed,Washington Middle,,,CDW,,,,",
    f"L200,LT-1,HP2001,{HP},450G8,Laptop,HP,Deployed,Washington Middle,2022-11-23,900.00,CDW,PO3,"
    "36,,",
    f"L201,LT-2,HP2002,{HP},450G8,Laptop,HP,Deployed,Lincoln Elementary,2018-11-23,1100.00,CDW,"
    "PO0,36,,",
)
GOOGLE = (
    "Serial Number,Model,Status,Last Sync,User,Location,Asset ID,Org Unit Path,"
    "Auto Update Expiration,Notes",
    f"5CD1001,{DELL},ACTIVE,2026-11-20,ava@district.org,,A100,/Students/Lincoln Elementary,"
    "Jun 2028,",
    f"5CD1002,{DELL},ACTIVE,2026-11-20,,,A101,/Students/Lincoln Elementary,Jun 2028,",
)
IIQ = (
    "TicketNumber,Subject,IssueDescription,CreatedDate,StartedDate,ClosedDate,IsClosed,"
    "WorkflowStep.StepName,Issue.Name,Location.Name,For.Name,AssignedToUser.Name,Priority,"
    "AssetTag,SerialNumber,Parts Cost,Labor Minutes",
    "1001,Screen cracked,Dropped,2025-09-10 08:00,,2025-09-12 10:00,true,Resolved,Broken Screen,"
    "Lincoln Elementary,Ava,Tech One,Medium,,5cd 1001,89.00,30",
    "1002,Cannot log in,Forgot password,2025-10-01 09:00,,2025-10-01 09:20,true,Closed,"
    "Password Reset,Lincoln Elementary,Ava,Tech One,Low,,5CD-1001,,15",
    "1003,Juice spilled,Sticky keys,2026-03-05 13:00,,,false,In Progress,Liquid Spill,"
    "Lincoln Elementary,Ben,Tech Two,High,a101,,120.00,60",
    "1004,Won't charge,Battery dead,2024-12-15 08:00,,2024-12-20 08:00,true,Resolved,"
    "Battery Issue,Washington Middle,Cy,Tech Two,Medium,,5CD1003,45.00,20",
    "1005,Screen cracked,Dropped,2026-06-30 10:00,,2026-07-02 10:00,true,Resolved,Broken Screen,"
    "Washington Middle,Di,Tech One,Medium,,5cd1004,89.00,30",
    "1006,Screen cracked,Unknown device,2026-02-01 10:00,,2026-02-03 10:00,true,Resolved,"
    "Broken Screen,Washington Middle,Ed,Tech One,Medium,,ZZZ999,89.00,30",
)
ZENDESK = (
    "Id,Requester,Requester email,Assignee,Group,Subject,Description,Tags,Status,Priority,Via,"
    "Ticket type,Created at,Updated at,Solved at,Organization,Full resolution time in minutes,"
    "Device Serial [txt],Parts Cost [dec],Labor Minutes [int],Category [list]",
    "501,Ava,ava@district.org,Tech One,Repairs,Cracked screen again,,screen,solved,normal,web,"
    "incident,2026-07-01 09:00,2026-07-03 09:00,2026-07-03 09:00,Lincoln Elementary,2880,"
    "5cd1001,89.00,45,cracked_screen",
    "502,Fay,fay@district.org,Tech Two,Repairs,Keys stuck,,keyboard,solved,normal,web,incident,"
    "2026-01-10 09:00,2026-01-11 09:00,2026-01-11 09:00,Washington Middle,1440,hp 2001,35.00,25,"
    "keyboard",
    "503,Fay,fay@district.org,Tech Two,Accounts,Password,,password,solved,low,web,question,"
    "2026-02-01 09:00,2026-02-01 10:00,2026-02-01 10:00,Washington Middle,60,HP2001,,10,"
    "password_reset",
    "504,Gus,gus@district.org,Tech One,Repairs,Screen broken,,screen,solved,high,web,incident,"
    "2025-05-05 09:00,2025-05-07 09:00,2025-05-07 09:00,Lincoln Elementary,2880,HP2002,150.00,60,"
    "cracked_screen",
    "505,Gus,gus@district.org,Tech One,Repairs,Keyboard dead,,keyboard,open,normal,web,incident,"
    "2026-08-20 09:00,2026-08-21 09:00,,Lincoln Elementary,,HP2002,35.00,25,keyboard",
)


@pytest.fixture
def loaded(store, write_csv):
    paths = [
        write_csv("zendesk.csv", *ZENDESK),
        write_csv("iiq.csv", *IIQ),
        write_csv("google.csv", *GOOGLE),
        write_csv("snipeit.csv", *SNIPE_IT),
    ]
    ingest_paths(paths, store)
    return store


def run(store, func, args):
    with store.read_session() as session:
        return func(session, args)


# --- repair_history ------------------------------------------------------------------------


def history(store, **args):
    return run(store, repair_history, RepairHistoryArgs(**args))


def test_history_by_a_serial_written_with_spaces_lists_every_help_desk_oldest_first(loaded):
    result = history(loaded, serial="5cd 1001")
    device = result.device
    assert (device.serial, device.asset_tag, device.model) == ("5CD1001", "A100", DELL)
    assert (device.school, device.owner, device.status) == (
        "Lincoln Elementary",
        "ava@district.org",
        "Deployed",
    )
    assert (device.purchase_date, device.purchase_cost) == (
        dt.date(2022, 11, 23),
        Decimal("300.00"),
    )
    assert device.aue_date == dt.date(2028, 6, 30)  # "Jun 2028" from Google Admin
    assert device.systems == ["google_admin", "snipe_it"]
    # iiq 1001 (Sep 10 2025), iiq 1002 (Oct 1 2025), Zendesk 501 (Jul 1 2026)
    assert [(r.system, r.external_id) for r in result.rows] == [
        ("incident_iq", "1001"),
        ("incident_iq", "1002"),
        ("zendesk", "501"),
    ]
    assert [r.category for r in result.rows] == [
        "Cracked screen",
        "Login/account",
        "Cracked screen",
    ]
    assert [r.is_repair for r in result.rows] == [
        True,
        False,
        True,
    ]  # a password reset is no repair
    # 3 tickets, 2 repairs, parts 89 + 89 = 178, labour 30 + 15 + 45 = 90 minutes
    assert (result.count, result.ticket_count, result.repair_count) == (3, 3, 2)
    assert (result.parts_total, result.labor_minutes_total) == (Decimal("178.00"), 90)
    assert result.notes == []


def test_history_sources_are_the_device_records_then_the_tickets(loaded):
    result = history(loaded, serial="5CD-1001")
    assert result.sources == [
        "google.csv:2",
        "snipeit.csv:2",
        "iiq.csv:2",
        "iiq.csv:3",
        "zendesk.csv:2",
    ]
    assert result.device.sources == ["google.csv:2", "snipeit.csv:2"]
    assert [r.source for r in result.rows] == ["iiq.csv:2", "iiq.csv:3", "zendesk.csv:2"]
    assert result.systems == ["google_admin", "incident_iq", "snipe_it", "zendesk"]


def test_history_by_asset_tag_in_lower_case_finds_a_ticket_that_named_only_the_tag(loaded):
    result = history(loaded, asset_tag="a101")
    assert result.device.serial == "5CD1002"
    assert [(r.external_id, r.category, r.is_open) for r in result.rows] == [
        ("1003", "Liquid damage", True)
    ]
    assert (result.repair_count, result.parts_total, result.labor_minutes_total) == (
        1,
        Decimal("120.00"),
        60,
    )


def test_history_of_a_retired_device_with_no_purchase_date(loaded):
    result = history(loaded, serial="5cd1003")
    assert (result.device.status, result.device.is_active) == ("Archived", False)
    undated = history(loaded, asset_tag="A103")
    assert undated.device.purchase_date is None
    assert [r.external_id for r in undated.rows] == ["1005"]


def test_an_unknown_serial_is_an_empty_answer_that_says_so(loaded):
    result = history(loaded, serial="zzz-999")
    assert (result.device, result.rows, result.count, result.ticket_count) == (None, [], 0, 0)
    assert result.notes == [
        "no device with serial ZZZ999",
        "1 ticket(s) name serial ZZZ999, which no asset system lists.",
    ]


def test_an_unknown_serial_falls_back_to_the_asset_tag(loaded):
    result = history(loaded, serial="NOPE1", asset_tag="L200")
    assert result.device.serial == "HP2001"
    assert result.notes == ["no device with serial NOPE1"]
    assert [r.external_id for r in result.rows] == ["502", "503"]


def test_history_needs_a_serial_or_an_asset_tag():
    with pytest.raises(ValidationError):
        RepairHistoryArgs()
    with pytest.raises(ValidationError):
        RepairHistoryArgs(serial="  ")


# --- break_fix_rate ------------------------------------------------------------------------


def rates(store, **args):
    args.setdefault("as_of", AS_OF)
    return run(store, break_fix_rate, BreakFixArgs(**args))


def test_break_fix_rate_per_model_all_time(loaded):
    result = rates(loaded, min_devices=1)
    dell, hp = result.rows  # Dell 0.5 per device-year before HP 0.25
    # Dell: 4 devices; repairs 1001, 501 (5CD1001), 1003 (A101), 1004 (5CD1003), 1005 (5CD1004)
    assert (dell.model, dell.devices, dell.repairs, dell.repairs_per_device) == (DELL, 4, 5, 1.25)
    # 5CD1004 has no purchase date: out of device-years (8.0) and of the 4 dated repairs
    assert (dell.no_purchase_date, dell.retired_devices) == (1, 1)
    assert (dell.device_years, dell.repairs_per_device_year) == (8.0, 0.5)
    # HP: repairs 502 (HP2001), 504 and 505 (HP2002); 503 is a password reset
    assert (hp.model, hp.devices, hp.repairs, hp.repairs_per_device) == (HP, 2, 3, 1.5)
    assert (hp.device_years, hp.repairs_per_device_year) == (12.0, 0.25)
    # totals: 8 repairs / 6 devices; 7 dated repairs / 20 device-years
    assert (result.count, result.devices, result.repairs) == (6, 6, 8)
    assert (result.repairs_per_device, result.device_years, result.repairs_per_device_year) == (
        1.333,
        20.0,
        0.35,
    )
    assert result.notes == [
        "1 device(s) have no purchase date: counted in repairs per device, left out of "
        "device-years and repairs per device-year.",
        "1 retired device(s) are counted, in service up to the as-of date (the data holds no "
        "retirement date).",
        "1 repair ticket(s) name no device in the asset systems and are not counted.",
    ]


def test_models_with_fewer_devices_than_the_minimum_are_left_out_and_counted(loaded):
    assert rates(loaded).rows == []  # default minimum 5: neither model qualifies
    assert "2 model(s) with fewer than 5 devices (6 devices, 8 repairs) are left out." in (
        rates(loaded).notes
    )
    result = rates(loaded, min_devices=3)
    assert [r.model for r in result.rows] == [DELL]
    assert (
        "1 model(s) with fewer than 3 devices (2 devices, 3 repairs) are left out." in result.notes
    )


def test_break_fix_window_across_the_fiscal_year_boundary(loaded):
    # Jun 1 - Jul 31 2026 holds 1005 (Jun 30, 5CD1004, undated) and 501 (Jul 1, 5CD1001)
    result = rates(loaded, min_devices=1, start=dt.date(2026, 6, 1), end=dt.date(2026, 7, 31))
    dell, hp = result.rows
    assert (dell.repairs, dell.repairs_per_device) == (2, 0.5)
    # service inside the window: Jun 1 -> Aug 1 = 61 days x 3 dated devices = 183 days = 0.501
    # years; 1 dated repair / 0.50103 = 1.996
    assert (dell.device_years, dell.repairs_per_device_year) == (0.5, 1.996)
    # HP: 2 x 61 = 122 days = 0.334 years, no repairs in the window
    assert (hp.repairs, hp.device_years, hp.repairs_per_device_year) == (0, 0.33, 0.0)


def test_break_fix_in_a_window_with_no_tickets(loaded):
    result = rates(loaded, min_devices=1, start=dt.date(2020, 1, 1), end=dt.date(2020, 12, 31))
    # only HP2002 (2018) and the undated 5CD1004 were in service in 2020; a model with no
    # dated device has no per-year rate and comes last
    assert [(r.model, r.devices, r.repairs) for r in result.rows] == [(HP, 1, 0), (DELL, 1, 0)]
    hp, dell = result.rows
    assert (hp.device_years, hp.repairs_per_device_year) == (1.0, 0.0)  # 366 days in 2020
    assert (dell.device_years, dell.repairs_per_device_year) == (0.0, None)
    assert "4 device(s) bought after 2020-12-31 were not yet in service and are not counted." in (
        result.notes
    )


def test_break_fix_filters(loaded):
    # Washington Middle: 5CD1003 (retired, 731 days), 5CD1004 (undated), HP2001 (4 years)
    by_school = rates(loaded, min_devices=1, school="washington middle")
    assert [(r.model, r.devices, r.repairs) for r in by_school.rows] == [(DELL, 2, 2), (HP, 1, 1)]
    assert [r.repairs_per_device_year for r in by_school.rows] == [0.5, 0.25]  # 1 / 2.0014; 1 / 4
    assert [r.model for r in rates(loaded, min_devices=1, manufacturer="hp").rows] == [HP]
    assert [r.model for r in rates(loaded, min_devices=1, category="chromebooks").rows] == [DELL]
    unknown = rates(loaded, min_devices=1, school="Nowhere High")
    assert unknown.rows == [] and 'No school named "Nowhere High" is in the data.' in unknown.notes


def test_break_fix_sources_are_the_repairs_and_devices_counted(loaded):
    result = rates(
        loaded,
        min_devices=1,
        category="Chromebook",
        start=dt.date(2026, 6, 1),
        end=dt.date(2026, 7, 31),
    )
    assert set(result.sources) == {
        "iiq.csv:6",  # 1005
        "zendesk.csv:2",  # 501
        "google.csv:2",
        "google.csv:3",
        "snipeit.csv:2",
        "snipeit.csv:3",
        "snipeit.csv:4",
        "snipeit.csv:5",
    }


# --- cost_of_ownership ---------------------------------------------------------------------


def costs(store, **args):
    args.setdefault("as_of", AS_OF)
    return run(store, cost_of_ownership, CostOfOwnershipArgs(**args))


def test_cost_of_ownership_per_model_with_labour_at_45_an_hour(loaded):
    result = costs(loaded)
    hp, dell = result.rows  # HP $1,155 per device before Dell $358
    assert result.labour_rate_per_hour == Decimal("45")
    # HP: purchase 900 + 1100; parts 35 + 150 + 35 = 220; 25 + 10 + 60 + 25 = 120 min = $90
    assert (hp.group, hp.devices, hp.purchase_total, hp.parts_total) == (
        HP,
        2,
        Decimal("2000.00"),
        Decimal("220.00"),
    )
    assert (hp.labor_minutes, hp.labour_cost, hp.total_cost) == (
        120,
        Decimal("90.00"),
        Decimal("2310.00"),
    )
    assert (hp.tco_per_device, hp.device_years, hp.tco_per_device_year) == (
        Decimal("1155.00"),
        12.0,
        Decimal("192.50"),  # 2310 / 12
    )
    # Dell: purchase 300 + 300 + 250 (A103 has none); parts 89+89+120+45+89 = 432;
    # labour 30+15+60+20+30+45 = 200 min = $150 (the password reset's 15 minutes count)
    assert (dell.purchase_total, dell.no_purchase_cost, dell.parts_total) == (
        Decimal("850.00"),
        1,
        Decimal("432.00"),
    )
    assert (dell.labour_cost, dell.total_cost, dell.tco_per_device) == (
        Decimal("150.00"),
        Decimal("1432.00"),
        Decimal("358.00"),  # 1432 / 4
    )
    # per device-year, dated devices only: 850 + (89+120+45+89) + 170 min ($127.50) = 1320.50
    # over 8.0 years = 165.0625
    assert (dell.device_years, dell.tco_per_device_year) == (8.0, Decimal("165.06"))
    assert (result.devices, result.total_cost) == (6, Decimal("3742.00"))
    assert (
        "1 device(s) have no purchase cost: their purchase part is missing from the totals, so TCO per device is understated."
        in result.notes
    )
    assert "Labour at $45/hour." in result.notes


def test_cost_of_ownership_without_labour(loaded):
    result = costs(loaded, include_labour=False)
    assert [(r.group, r.total_cost, r.tco_per_device) for r in result.rows] == [
        (HP, Decimal("2220.00"), Decimal("1110.00")),
        (DELL, Decimal("1282.00"), Decimal("320.50")),
    ]
    assert [r.labor_minutes for r in result.rows] == [120, 200]  # minutes still reported
    assert result.labour_cost == Decimal("0.00")


def test_cost_of_ownership_per_category_at_one_school(loaded):
    result = costs(loaded, group_by="category", school="Lincoln Elementary")
    laptop, chromebook = result.rows
    # Laptop: HP2002 1100 + parts 150 + 35, 85 min = $63.75 -> 1348.75 over 8.0 years
    assert (laptop.group, laptop.total_cost, laptop.tco_per_device_year) == (
        "Laptop",
        Decimal("1348.75"),
        Decimal("168.59"),
    )
    # Chromebook: 5CD1001 + 5CD1002: 600 + 89 + 89 + 120, 150 min = $112.50 -> 1010.50;
    # years (1461 + 730) / 365.25 = 5.9986 -> 168.46 a year
    assert (chromebook.group, chromebook.devices, chromebook.total_cost) == (
        "Chromebook",
        2,
        Decimal("1010.50"),
    )
    assert (chromebook.tco_per_device, chromebook.tco_per_device_year) == (
        Decimal("505.25"),
        Decimal("168.46"),
    )


def test_cost_of_ownership_uses_the_district_labour_rate(loaded):
    from ingest.schema import DistrictSetting

    with loaded.session() as session:
        session.merge(DistrictSetting(key="labour_rate_per_hour", value="60"))
    result = costs(loaded, model="3100")
    assert result.labour_rate_per_hour == Decimal("60")
    assert [(r.group, r.labour_cost) for r in result.rows] == [(DELL, Decimal("200.00"))]


def test_cost_of_ownership_sources(loaded):
    result = costs(loaded, model="ProBook")
    assert set(result.sources) == {
        "zendesk.csv:3",
        "zendesk.csv:4",
        "zendesk.csv:5",
        "zendesk.csv:6",
        "snipeit.csv:6",
        "snipeit.csv:7",
    }
    assert result.systems == ["snipe_it", "zendesk"]


# --- failure_categories --------------------------------------------------------------------


def failures(store, **args):
    return run(store, failure_categories, FailureCategoriesArgs(**args))


def test_failure_categories_per_model_and_district_wide(loaded):
    result = failures(loaded)
    # Dell 5 repairs: screens 1001, 1005, 501; liquid 1003; battery 1004. HP 3: keyboard 502,
    # 505; screen 504. Password resets are not repairs; 1006 names no device.
    assert [(r.model, r.category, r.count, r.percent_of_model) for r in result.rows] == [
        (DELL, "Cracked screen", 3, 60.0),
        (DELL, "Battery", 1, 20.0),
        (DELL, "Liquid damage", 1, 20.0),
        (HP, "Keyboard", 2, 66.7),
        (HP, "Cracked screen", 1, 33.3),
    ]
    assert [(d.category, d.count, d.percent) for d in result.district] == [
        ("Cracked screen", 4, 50.0),
        ("Keyboard", 2, 25.0),
        ("Battery", 1, 12.5),
        ("Liquid damage", 1, 12.5),
    ]
    assert result.count == 8
    assert result.notes == [
        "1 repair ticket(s) name no device in the asset systems and are not counted."
    ]


def test_top_categories_per_model(loaded):
    result = failures(loaded, top=1)
    assert [(r.model, r.category, r.count, r.model_repairs) for r in result.rows] == [
        (DELL, "Cracked screen", 3, 5),
        (HP, "Keyboard", 2, 3),
    ]
    assert [d.category for d in result.district] == ["Cracked screen"]
    assert result.notes[0].startswith("3 repair(s) in categories beyond the top 1")


def test_failure_categories_in_a_fiscal_year_and_across_its_boundary(loaded):
    from tools.dates import FiscalCalendar

    start, end = FiscalCalendar().year_bounds(2026)  # Jul 1 2025 - Jun 30 2026
    result = failures(loaded, start=start, end=end)
    # 1001 (Sep 10), 1003 (Mar 5), 1005 (Jun 30) for Dell; 502 (Jan 10) for HP
    assert [(r.model, r.category, r.count, r.percent_of_model) for r in result.rows] == [
        (DELL, "Cracked screen", 2, 66.7),
        (DELL, "Liquid damage", 1, 33.3),
        (HP, "Keyboard", 1, 100.0),
    ]
    across = failures(loaded, start=dt.date(2026, 6, 1), end=dt.date(2026, 7, 31))
    assert [(r.model, r.category, r.count) for r in across.rows] == [(DELL, "Cracked screen", 2)]


def test_failure_categories_empty_window_and_filters(loaded):
    empty = failures(loaded, start=dt.date(2030, 1, 1), end=dt.date(2030, 12, 31))
    assert (empty.count, empty.rows, empty.district) == (0, [], [])
    assert [r.model for r in failures(loaded, school="Washington Middle").rows] == [DELL, DELL, HP]
    assert {r.model for r in failures(loaded, category="Laptop").rows} == {HP}


def test_failure_categories_sources(loaded):
    result = failures(loaded, model="probook")
    assert set(result.sources) == {"zendesk.csv:3", "zendesk.csv:5", "zendesk.csv:6"}
    assert result.systems == ["zendesk"]


# --- the specs -----------------------------------------------------------------------------


def test_tool_specs():
    assert [t.name for t in TOOLS] == [
        "repair_history",
        "break_fix_rate",
        "cost_of_ownership",
        "failure_categories",
    ]
    for spec in TOOLS:
        assert spec.func.__name__ == spec.name
        assert len(spec.description) >= 40 and len(spec.examples) >= 4
        assert spec.default_window is None
        assert all(keyword == keyword.lower() for keyword in spec.keywords)
