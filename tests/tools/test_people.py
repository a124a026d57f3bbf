"""People tools on a small HR roster and two asset exports, with answers worked out by hand.

Today (as_of) is Monday 2026-11-23, so "the next 30 days" is Nov 24 - Dec 23, 2026. The asset
files load before the roster, so names in them match people only once the roster is in.

    roster      building    start       end         active devices, and the system naming them
    Ann Lee     Lincoln     2015-08-15  2026-12-18  5CD1234XY laptop, DMPX12AB iPad (Snipe-IT, by
                                                    e-mail); NXANN777 (Google, ann.lee+cb@: plus-
                                                    addressed); OLD999 is archived
    Bo Park     Washington  2018-08-01  2026-12-01  none
    Cy Diaz     Washington  2010-07-01  2027-06-30  NXABC123 Chromebook: Google by e-mail and
                                                    Snipe-IT by the name "Cy Diaz" (one device)
    Di Moss     Lincoln     2012-08-01  2026-10-31  PF2ABC laptop (left, still holds it)
    Ed Gray     Washington  2026-12-01  -           none (new hire)
    Fay Wu      Lincoln     2026-12-07  -           R9FAY1 laptop, ready before day one
    Gus Hill    Lincoln     2027-07-01  -           none (starts in the next fiscal year)
    Hana Ito    Washington  2014-08-01  2026-06-30  HANA01 laptop, Snipe-IT by "Ito, Hana" only
    zed.former@ (not in the roster)                 C02XYZ laptop; NXDEP999 deprovisioned
    s12345@students... (a student)                  NXSTU001 Chromebook (Google)
"""

from __future__ import annotations

import datetime as dt

import pytest

from ingest.load import ingest_paths
from tools.people import (
    TOOLS,
    DeparturesWithDevicesArgs,
    DevicesOfPeopleNotInRosterArgs,
    FormerStaffWithDevicesArgs,
    NewStaffWithoutDevicesArgs,
    departures_with_devices,
    devices_of_people_not_in_roster,
    former_staff_with_devices,
    new_staff_without_devices,
)

AS_OF = dt.date(2026, 11, 23)
NEXT_30_DAYS = {"start": dt.date(2026, 11, 24), "end": dt.date(2026, 12, 23)}
ROSTER = (
    "Employee ID,Name,Email,Building,Job Title,Start Date,End Date",
    "E1,Ann Lee,ann.lee@mvusd.org,Lincoln Elementary School,Teacher,2015-08-15,2026-12-18",
    "E2,Bo Park,bo.park@mvusd.org,Washington Middle School,Counselor,2018-08-01,2026-12-01",
    "E3,Cy Diaz,cy.diaz@mvusd.org,Washington Middle School,Principal,2010-07-01,2027-06-30",
    "E4,Di Moss,di.moss@mvusd.org,Lincoln Elementary School,Teacher,2012-08-01,2026-10-31",
    "E5,Ed Gray,ed.gray@mvusd.org,Washington Middle School,Teacher,2026-12-01,",
    "E6,Fay Wu,fay.wu@mvusd.org,Lincoln Elementary School,Aide,2026-12-07,",
    "E7,Gus Hill,gus.hill@mvusd.org,Lincoln Elementary School,Teacher,2027-07-01,",
    "E8,Hana Ito,hana.ito@mvusd.org,Washington Middle School,Librarian,2014-08-01,2026-06-30",
)
SNIPE_IT = (
    "Asset Tag,Asset Name,Serial,Model,Model Number,Category,Manufacturer,Status,Location,"
    "Purchase Date,Purchase Cost,Supplier,Order Number,Warranty Months,Checked Out To: Email,Notes,"
    "Checked Out To",
    "MV1001,LT-ANN,5cd-123 4xy,Latitude 5440,,Laptop,Dell,Deployed,Lincoln Elementary School,"
    "2023-07-15,1099.00,CDW,PO1,36,ann.lee@mvusd.org,,",
    "MV1002,TAB-ANN,dmpx12ab,iPad 9th Gen,,Tablet,Apple,Deployed,Lincoln Elementary School,"
    ",329.00,Apple,PO2,12,ann.lee@mvusd.org,,",
    "MV1003,OLD-ANN,OLD-999,Latitude 3380,,Laptop,Dell,Archived,Lincoln Elementary School,"
    "2017-07-01,700.00,CDW,PO0,36,ann.lee@mvusd.org,,",
    "MV1004,LT-DI,PF2ABC,ThinkPad T14,,Laptop,Lenovo,Deployed,Lincoln Elementary School,"
    "2022-01-10,1200.00,CDW,PO3,36,di.moss@mvusd.org,,",
    "MV1005,LT-ZED,C02XYZ,MacBook Air,,Laptop,Apple,Deployed,Washington Middle School,"
    "2021-08-01,999.00,Apple,PO4,12,zed.former@mvusd.org,,",
    "MV1006,LT-FAY,R9FAY1,Latitude 5440,,Laptop,Dell,Ready to Deploy,Lincoln Elementary School,"
    "2026-10-01,1099.00,CDW,PO5,36,fay.wu@mvusd.org,,",
    "MV1007,LT-HANA,HANA01,Latitude 5420,,Laptop,Dell,Deployed,Washington Middle School,"
    '2021-08-01,1099.00,CDW,PO6,36,,,"Ito, Hana"',
    "MV2001,CB-CY,NXABC123,Acer Chromebook 314,,Chromebook,Acer,Deployed,Washington Middle School,"
    "2023-08-01,289.00,CDW,PO7,12,,,Cy Diaz",
)
GOOGLE = (
    "Serial Number,Model,Status,Last Sync,User,Location,Asset ID,Org Unit Path,"
    "Auto Update Expiration,Notes",
    "NXABC123,Acer Chromebook 314,ACTIVE,2026-11-20,cy.diaz@mvusd.org,Washington Middle School,"
    "MV2001,/Staff/Washington Middle School,Jun 2028,",
    "NXDEP999,Acer Chromebook 314,DEPROVISIONED,2025-01-10,zed.former@mvusd.org,,,/Deprovisioned,"
    "Jun 2026,",
    "NXANN777,Acer Chromebook 314,ACTIVE,2026-11-20,Ann.Lee+cb@mvusd.org,Lincoln Elementary School,"
    ",/Staff,Jun 2028,",
    "NXSTU001,Acer Chromebook 314,ACTIVE,2026-11-20,s12345@students.mvusd.org,"
    "Lincoln Elementary School,,/Students,Jun 2028,",
)


@pytest.fixture
def loaded(store, write_csv):
    files = [
        write_csv("snipe_assets.csv", *SNIPE_IT),
        write_csv("chromeos.csv", *GOOGLE),
        write_csv("roster.csv", *ROSTER),
    ]
    assert [r.rejected for r in ingest_paths(files, store)] == [0, 0, 0]
    return store


def run(store, tool, args):
    with store.read_session() as session:
        return tool(session, args)


def window(start: str, end: str) -> dict[str, dt.date]:
    return {"start": dt.date.fromisoformat(start), "end": dt.date.fromisoformat(end)}


# --- departures_with_devices -------------------------------------------------------------------


def test_leavers_in_the_next_30_days_who_still_hold_devices(loaded) -> None:
    result = run(loaded, departures_with_devices, DeparturesWithDevicesArgs(**NEXT_30_DAYS))
    # Ann leaves Dec 18 holding a laptop and an iPad (no purchase date: listed all the same);
    # her archived laptop does not count. Bo leaves Dec 1 with nothing: a note, not a row.
    assert [(r.name, r.end_date, r.device_count) for r in result.rows] == [
        ("Ann Lee", dt.date(2026, 12, 18), 3)
    ]
    ann = result.rows[0]
    # Her Chromebook is only in Google Admin, under a plus-addressed e-mail: still hers.
    assert ann.devices == [
        "5CD1234XY (Latitude 5440; Snipe-IT)",
        "DMPX12AB (iPad 9th Gen; Snipe-IT)",
        "NXANN777 (Acer Chromebook 314; Google Admin console)",
    ]
    assert (ann.email, ann.school, ann.title) == (
        "ann.lee@mvusd.org",
        "Lincoln Elementary School",
        "Teacher",
    )
    assert (result.people, result.devices, result.count) == (1, 3, 1)
    assert result.notes == ["1 other person leaves in the window with no active device assigned."]


def test_departure_sources_are_the_roster_row_and_the_device_rows(loaded) -> None:
    result = run(loaded, departures_with_devices, DeparturesWithDevicesArgs(**NEXT_30_DAYS))
    assert result.rows[0].source == "roster.csv:2"
    assert result.sources == [
        "roster.csv:2", "snipe_assets.csv:2", "snipe_assets.csv:3", "chromeos.csv:4",
    ]  # fmt: skip
    assert result.systems == ["google_admin", "snipe_it", "spreadsheet"]


def test_leavers_at_the_end_of_the_fiscal_year(loaded) -> None:
    result = run(
        loaded,
        departures_with_devices,
        DeparturesWithDevicesArgs(**window("2027-06-15", "2027-07-15")),
    )
    # Cy's last day is Jun 30, 2027; Google names him by e-mail, Snipe-IT by name: one device.
    assert [(r.name, r.devices) for r in result.rows] == [
        ("Cy Diaz", ["NXABC123 (Acer Chromebook 314; Google Admin console, Snipe-IT)"])
    ]
    assert result.sources == ["roster.csv:4", "chromeos.csv:2", "snipe_assets.csv:9"]


def test_departures_filtered_by_school_and_in_an_empty_window(loaded) -> None:
    washington = run(
        loaded,
        departures_with_devices,
        DeparturesWithDevicesArgs(**NEXT_30_DAYS, school="washington middle school"),
    )
    assert washington.rows == []  # Ann is at Lincoln; Bo holds nothing
    assert washington.notes == [
        "1 other person leaves in the window with no active device assigned."
    ]
    empty = run(
        loaded,
        departures_with_devices,
        DeparturesWithDevicesArgs(**window("2030-01-01", "2030-12-31")),
    )
    assert (empty.count, empty.devices, empty.notes, empty.sources) == (0, 0, [], [])


# --- new_staff_without_devices -----------------------------------------------------------------


def test_new_hires_in_the_next_30_days_without_a_device(loaded) -> None:
    result = run(loaded, new_staff_without_devices, NewStaffWithoutDevicesArgs(**NEXT_30_DAYS))
    # Ed starts Dec 1 with nothing; Fay starts Dec 7 but her laptop is already assigned.
    assert [(r.name, r.start_date, r.school) for r in result.rows] == [
        ("Ed Gray", dt.date(2026, 12, 1), "Washington Middle School")
    ]
    assert result.notes == ["1 other person starting in the window already has a device assigned."]
    assert result.sources == ["roster.csv:6"]
    assert result.rows[0].source == "roster.csv:6"


def test_new_hires_for_the_new_fiscal_year_and_by_school(loaded) -> None:
    july = run(
        loaded,
        new_staff_without_devices,
        NewStaffWithoutDevicesArgs(**window("2027-06-15", "2027-07-15")),
    )
    assert [r.name for r in july.rows] == ["Gus Hill"]  # starts Jul 1, 2027
    lincoln = run(
        loaded,
        new_staff_without_devices,
        NewStaffWithoutDevicesArgs(**NEXT_30_DAYS, school="Lincoln Elementary School"),
    )
    assert lincoln.rows == []  # only Fay starts at Lincoln, and she has a laptop
    empty = run(
        loaded,
        new_staff_without_devices,
        NewStaffWithoutDevicesArgs(**window("2030-01-01", "2030-01-31")),
    )
    assert (empty.count, empty.notes) == (0, [])


# --- devices_of_people_not_in_roster -----------------------------------------------------------


def test_devices_of_people_not_in_the_roster_students_apart(loaded) -> None:
    result = run(loaded, devices_of_people_not_in_roster, DevicesOfPeopleNotInRosterArgs())
    # zed.former is in no roster; the student is their own population; Di and Hana have left
    # but are in the roster: former staff, not strangers. NXDEP999 is deprovisioned.
    assert [(r.serial, r.person_email, r.population, r.systems) for r in result.rows] == [
        ("C02XYZ", "zed.former@mvusd.org", "not in HR", ["Snipe-IT"]),
        ("NXSTU001", "s12345@students.mvusd.org", "student", ["Google Admin console"]),
    ]
    assert (result.count, result.people, result.students, result.others) == (2, 2, 1, 1)
    assert result.sources == ["snipe_assets.csv:6", "chromeos.csv:5"]
    lincoln = run(
        loaded,
        devices_of_people_not_in_roster,
        DevicesOfPeopleNotInRosterArgs(school="Lincoln Elementary School"),
    )
    assert [r.serial for r in lincoln.rows] == ["NXSTU001"]


# --- former_staff_with_devices -----------------------------------------------------------------


def test_former_staff_still_holding_devices(loaded) -> None:
    result = run(loaded, former_staff_with_devices, FormerStaffWithDevicesArgs(as_of=AS_OF))
    # Di left Oct 31 (Snipe-IT by e-mail); Hana left Jun 30 and Snipe-IT names her only as
    # "Ito, Hana", matched once the roster loaded. Most recently gone first.
    assert [(r.name, r.end_date, r.devices) for r in result.rows] == [
        ("Di Moss", dt.date(2026, 10, 31), ["PF2ABC (ThinkPad T14; Snipe-IT)"]),
        ("Hana Ito", dt.date(2026, 6, 30), ["HANA01 (Latitude 5420; Snipe-IT)"]),
    ]
    assert (result.people, result.devices) == (2, 2)
    on_her_last_day = run(
        loaded, former_staff_with_devices, FormerStaffWithDevicesArgs(as_of=dt.date(2026, 10, 31))
    )
    assert [r.name for r in on_her_last_day.rows] == ["Hana Ito"]
    washington = run(
        loaded,
        former_staff_with_devices,
        FormerStaffWithDevicesArgs(as_of=AS_OF, school="Washington Middle School"),
    )
    assert [r.name for r in washington.rows] == ["Hana Ito"]


def test_without_a_roster_nobody_is_called_a_stranger(store, write_csv) -> None:
    ingest_paths([write_csv("snipe_assets.csv", *SNIPE_IT)], store)
    result = run(store, devices_of_people_not_in_roster, DevicesOfPeopleNotInRosterArgs())
    assert (result.count, result.rows) == (0, [])
    assert result.notes == [
        "No HR roster is loaded, so device holders cannot be checked against it."
    ]


def test_every_tool_declares_itself_for_the_planner() -> None:
    assert [t.name for t in TOOLS] == [
        "departures_with_devices",
        "new_staff_without_devices",
        "former_staff_with_devices",
        "devices_of_people_not_in_roster",
    ]
    for tool in TOOLS:
        assert tool.func.__name__ == tool.name
        assert len(tool.description) >= 40 and len(tool.examples) >= 4
        assert all(f.description for f in tool.args_model.model_fields.values())


def test_the_answers_read_right(loaded) -> None:
    from assistant.compose import compose

    leaving = compose(
        "departures_with_devices",
        run(loaded, departures_with_devices, DeparturesWithDevicesArgs(**NEXT_30_DAYS)),
        window="the next 30 days",
    )
    assert leaving.startswith("*1 person leaving in the next 30 days still holds 3 devices.*")
    former = compose(
        "former_staff_with_devices",
        run(loaded, former_staff_with_devices, FormerStaffWithDevicesArgs(as_of=AS_OF)),
    )
    assert former.startswith("*2 former staff members still hold 2 devices.*")
    assert "• Hana Ito (Librarian, Washington Middle School) left Jun 30, 2026: HANA01" in former
    strangers = compose(
        "devices_of_people_not_in_roster",
        run(loaded, devices_of_people_not_in_roster, DevicesOfPeopleNotInRosterArgs()),
    )
    assert strangers.startswith(
        "*2 active devices are assigned to 2 people not in the HR roster (1 of them a student's).*"
    )
    for text in (leaving, former, strangers):
        assert "None" not in text


def test_a_persons_devices_in_the_inventory_are_the_union_over_systems(loaded) -> None:
    from tools.assets import DevicesListArgs, devices_list

    # Ann: two Snipe-IT devices by e-mail and a Chromebook Google names by a plus-address.
    ann = run(loaded, devices_list, DevicesListArgs(owner="ann.lee@mvusd.org"))
    assert sorted(r.serial for r in ann.rows) == ["5CD1234XY", "DMPX12AB", "NXANN777"]
    # Hana: Snipe-IT names her only as "Ito, Hana", so no merged owner, but a holder.
    hana = run(loaded, devices_list, DevicesListArgs(owner="hana.ito@mvusd.org"))
    assert [r.serial for r in hana.rows] == ["HANA01"]
