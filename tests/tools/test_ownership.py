"""Owners and conflicts across Snipe-IT and Google Admin, and a person's repairs, by hand.

    serial  Snipe-IT (location, owner, tag)          Google Admin (location, user, tag)
    AAA1    Lincoln, ann.lee@, MV-0001                Washington, Ann.Lee+cb@, mv0001
    AAA2    Lincoln, -, -                             (OU /Spares), bo.park@, -
    AAA3    Washington, -, - (a laptop)               -
    AAA4    Lincoln, -, -                             (OU /Carts/Cart 3), -, -
    AAA5    Lincoln, "Spare" (checked out to), -      -
    AAA6    Lincoln, -, - (archived)                  -
    AAA7    Washington, cy.diaz@, MV-0007             Washington, di.moss@, MV-0070

Conflicts that are real: AAA1 location (two schools), AAA7 owner and asset tag. Not: AAA1's
owner (one person, plus-addressed) and tag (case and dash), AAA2 and AAA4 (a spares unit and a
cart are no place). No owner in any system: AAA3, AAA4, AAA5 (active); AAA2 has one in Google.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ingest.load import ingest_paths
from tools.ownership import (
    DeviceConflictsArgs,
    DevicesWithoutOwnerArgs,
    device_conflicts,
    devices_without_owner,
)
from tools.person_repairs import PersonRepairsArgs, person_repairs
from tools.quality import DataQualityArgs, data_quality

SNIPE_IT = (
    "Asset Tag,Serial,Model,Category,Manufacturer,Status,Location,Purchase Date,Purchase Cost,"
    "Supplier,Checked Out To: Email,Checked Out To",
    "MV-0001,AAA1,Acer Chromebook 314,Chromebook,Acer,Deployed,Lincoln Elementary School,"
    "2023-08-01,289.00,CDW,ann.lee@mvusd.org,",
    "MV-0002,AAA2,Acer Chromebook 314,Chromebook,Acer,Deployed,Lincoln Elementary School,"
    "2023-08-01,289.00,CDW,,",
    "MV-0003,AAA3,Latitude 5440,Laptop,Dell,Deployed,Washington Middle School,"
    "2023-08-01,1099.00,CDW,,",
    "MV-0004,AAA4,Acer Chromebook 314,Chromebook,Acer,Deployed,Lincoln Elementary School,"
    "2023-08-01,289.00,CDW,,",
    "MV-0005,AAA5,Acer Chromebook 314,Chromebook,Acer,Deployed,Lincoln Elementary School,"
    "2023-08-01,289.00,CDW,,Spare",
    "MV-0006,AAA6,Acer Chromebook 314,Chromebook,Acer,Archived,Lincoln Elementary School,"
    "2019-08-01,289.00,CDW,,",
    "MV-0007,AAA7,Acer Chromebook 314,Chromebook,Acer,Deployed,Washington Middle School,"
    "2023-08-01,289.00,CDW,cy.diaz@mvusd.org,",
)
GOOGLE = (
    "Serial Number,Model,Status,Last Sync,User,Location,Asset ID,Org Unit Path,"
    "Auto Update Expiration",
    "AAA1,Acer Chromebook 314,ACTIVE,2026-11-20,Ann.Lee+cb@mvusd.org,Washington Middle School,"
    "mv0001,/Staff,Jun 2028",
    "AAA2,Acer Chromebook 314,ACTIVE,2026-11-20,bo.park@mvusd.org,,,/Spares,Jun 2028",
    "AAA4,Acer Chromebook 314,ACTIVE,2026-11-20,,,,/Carts/Cart 3,Jun 2028",
    "AAA7,Acer Chromebook 314,ACTIVE,2026-11-20,di.moss@mvusd.org,Washington Middle School,"
    "MV-0070,/Staff,Jun 2028",
)
ROSTER = (
    "Employee ID,Name,Email,Building,Job Title,Start Date,End Date",
    "E1,Ann Lee,ann.lee@mvusd.org,Lincoln Elementary School,Teacher,2015-08-15,",
    "E2,Bo Park,bo.park@mvusd.org,Washington Middle School,Counselor,2018-08-01,",
    "E9,Ann Lee,ann.lee2@mvusd.org,Washington Middle School,Aide,2020-08-01,",
)
ZENDESK = (
    "Id,Requester,Requester email,Subject,Status,Created at,Solved at,Via,Ticket type,"
    "Organization,Device Serial [txt],Parts Cost [dec],Category [list]",
    "101,Ann Lee,ann.lee@mvusd.org,Cracked screen,solved,2026-09-01 09:00,2026-09-03 10:00,web,"
    "incident,Lincoln Elementary School,AAA1,45.00,Cracked screen",
    "102,Bo Park,bo.park@mvusd.org,Keyboard sticky,open,2026-10-05 09:00,,web,incident,"
    "Lincoln Elementary School,AAA1,,Keyboard",
    "103,Ann Lee,ANN.LEE+phone@mvusd.org,Cannot log in,solved,2026-11-02 08:00,"
    "2026-11-02 09:00,email,question,Lincoln Elementary School,,,Login/account",
    "104,Cy Diaz,cy.diaz@mvusd.org,Battery,open,2026-11-10 08:00,,web,incident,"
    "Washington Middle School,AAA7,,Battery",
)


@pytest.fixture
def loaded(store, write_csv):
    files = [
        write_csv("snipe.csv", *SNIPE_IT),
        write_csv("chromeos.csv", *GOOGLE),
        write_csv("roster.csv", *ROSTER),
        write_csv("zendesk.csv", *ZENDESK),
    ]
    assert [r.rejected for r in ingest_paths(files, store)] == [0, 0, 0, 0]
    return store


def run(store, tool, args):
    with store.read_session() as session:
        return tool(session, args)


def test_a_device_has_no_owner_only_when_no_system_names_one(loaded) -> None:
    result = run(loaded, devices_without_owner, DevicesWithoutOwnerArgs())
    assert [(r.serial, r.category, r.school) for r in result.rows] == [
        ("AAA3", "Laptop", "Washington Middle School"),
        ("AAA4", "Chromebook", "Lincoln Elementary School"),
        ("AAA5", "Chromebook", "Lincoln Elementary School"),
    ]
    assert result.rows[1].systems == ["Google Admin console", "Snipe-IT"]
    assert (result.count, result.active_devices) == (3, 6)


def test_devices_without_owner_by_category_and_school(loaded) -> None:
    by_category = run(loaded, devices_without_owner, DevicesWithoutOwnerArgs(group_by="category"))
    assert [(g.name, g.count) for g in by_category.groups] == [("Chromebook", 2), ("Laptop", 1)]
    by_school = run(loaded, devices_without_owner, DevicesWithoutOwnerArgs(group_by="school"))
    assert [(g.name, g.count) for g in by_school.groups] == [
        ("Lincoln Elementary School", 2),
        ("Washington Middle School", 1),
    ]
    lincoln_laptops = run(
        loaded,
        devices_without_owner,
        DevicesWithoutOwnerArgs(school="Lincoln Elementary School", category="Laptop"),
    )
    assert lincoln_laptops.count == 0


def test_only_real_disagreements_are_conflicts(loaded) -> None:
    result = run(loaded, device_conflicts, DeviceConflictsArgs())
    assert [(r.serial, r.field) for r in result.rows] == [
        ("AAA7", "asset_tag"),
        ("AAA1", "location"),
        ("AAA7", "owner"),
    ]
    assert result.by_field == {"asset_tag": 1, "location": 1, "owner": 1}
    location = result.rows[1]
    assert {(v.system, v.value) for v in location.values} == {
        ("Snipe-IT", "Lincoln Elementary School"),
        ("Google Admin console", "Washington Middle School"),
    }
    assert location.sources == ["chromeos.csv:2", "snipe.csv:2"]
    owners = run(loaded, device_conflicts, DeviceConflictsArgs(field="owner"))
    assert [{v.value for v in r.values} for r in owners.rows] == [
        {"cy.diaz@mvusd.org", "di.moss@mvusd.org"}
    ]


def test_conflicts_at_a_school_and_the_quality_report_agrees(loaded) -> None:
    lincoln = run(loaded, device_conflicts, DeviceConflictsArgs(school="Lincoln Elementary School"))
    assert [(r.serial, r.field) for r in lincoln.rows] == [("AAA1", "location")]
    quality = run(loaded, data_quality, DataQualityArgs())
    assert quality.summary["conflicts between systems"] == 3
    assert quality.summary["active devices without an owner"] == 3
    assert sorted((c.key, c.field) for c in quality.conflicts) == [
        ("AAA1", "location"), ("AAA7", "asset_tag"), ("AAA7", "owner"),
    ]  # fmt: skip


def test_a_persons_repairs_over_every_system(loaded) -> None:
    result = run(loaded, person_repairs, PersonRepairsArgs(person="bo.park@mvusd.org"))
    # Bo holds AAA2 in Google only; his one ticket is about Ann's AAA1 (opened by him).
    assert [(d.serial, d.how, d.systems) for d in result.devices] == [
        ("AAA2", "holds now", ["Google Admin console"]),
        ("AAA1", "named on their ticket", []),
    ]
    # Every ticket on those devices, from any requester, newest first.
    assert [r.external_id for r in result.rows] == ["102", "101"]
    assert (result.count, result.repair_count, result.parts_total) == (2, 2, Decimal("45.00"))
    assert result.rows[1].opened == dt.datetime(2026, 9, 1, 9, 0)


def test_a_name_two_people_share_is_asked_about(loaded) -> None:
    both = run(loaded, person_repairs, PersonRepairsArgs(person="Lee, Ann"))
    assert both.count == 0 and len(both.candidates) == 2
    assert both.notes == [
        '2 people are named "Lee, Ann"; ask again with one of their e-mail addresses.'
    ]
    ann = run(loaded, person_repairs, PersonRepairsArgs(person="ann.lee@mvusd.org"))
    assert [(d.serial, d.how) for d in ann.devices] == [("AAA1", "holds now")]
    # Her plus-addressed login ticket is hers too.
    assert [r.external_id for r in ann.rows] == ["103", "102", "101"]
    nobody = run(loaded, person_repairs, PersonRepairsArgs(person="Zed Nobody"))
    assert nobody.notes == ['No one named "Zed Nobody" is in the roster or any system.']


def test_the_answers_read_right(loaded) -> None:
    from assistant.compose import compose

    unowned = compose("devices_without_owner", run(loaded, devices_without_owner,
                      DevicesWithoutOwnerArgs(group_by="category")))  # fmt: skip
    assert unowned.startswith("*3 of 6 active devices have no owner in any asset system.*")
    assert "• Chromebook: 2" in unowned
    conflicts = compose("device_conflicts", run(loaded, device_conflicts, DeviceConflictsArgs()))
    assert conflicts.startswith(
        "*3 disagreements between systems: asset tag 1, location 1, owner 1.*"
    )
    assert "Snipe-IT says Lincoln Elementary School" in conflicts
    assert "Google Admin console says Washington Middle School" in conflicts
    bo = compose("person_repairs", run(loaded, person_repairs, PersonRepairsArgs(person="Bo Park")))
    assert bo.startswith("*Bo Park: 2 devices, 2 tickets, 2 of them repairs; parts $45.00.*")
    assert bo.splitlines()[1:3] == [
        "• AAA2 (Acer Chromebook 314): holds now in Google Admin console",
        "• AAA1 (Acer Chromebook 314): named on their ticket",
    ]
    both = compose(
        "person_repairs", run(loaded, person_repairs, PersonRepairsArgs(person="Ann Lee"))
    )
    assert both.startswith('*More than one person is named "Ann Lee":*')
    for text in (unowned, conflicts, bo, both):
        assert "None" not in text


def test_a_requester_named_before_the_roster_knew_them_is_found(store, write_csv) -> None:
    # The help desk loads first: "Park, Bo" matches nobody then, and nothing re-reads tickets.
    zendesk = (
        ZENDESK[0],
        '201,"Park, Bo",,Projector dim,open,2026-11-01 08:00,,web,incident,'
        "Lincoln Elementary School,,,Other",
        "202,Ann Lee,,Printer jam,open,2026-11-02 08:00,,web,incident,"
        "Lincoln Elementary School,,,Printer",
    )
    files = [write_csv("zendesk.csv", *zendesk), write_csv("roster.csv", *ROSTER)]
    assert [r.rejected for r in ingest_paths(files, store)] == [0, 0]
    bo = run(store, person_repairs, PersonRepairsArgs(person="Bo Park"))
    assert [r.external_id for r in bo.rows] == ["201"]
    # Two Ann Lees: a ticket written "Ann Lee" could be either, so neither is asked about.
    for ann in ("ann.lee@mvusd.org", "ann.lee2@mvusd.org"):
        assert run(store, person_repairs, PersonRepairsArgs(person=ann)).rows == []


def test_the_totals_count_every_ticket_not_only_those_shown(store, write_csv) -> None:
    # 205 tickets opened by Bo: 200 are shown, newest first; the count, the repairs and the
    # parts total are over all 205 (they are summed in SQL, not over the rows read).
    rows = [
        f"{300 + i},Bo Park,bo.park@mvusd.org,Ticket {i},solved,"
        f"2026-{1 + i // 28:02d}-{1 + i % 28:02d} 08:00,,web,incident,"
        "Lincoln Elementary School,," + ("2.50,Cracked screen" if i % 2 == 0 else ",Login/account")
        for i in range(205)
    ]
    files = [write_csv("roster.csv", *ROSTER), write_csv("zendesk.csv", ZENDESK[0], *rows)]
    assert [r.rejected for r in ingest_paths(files, store)] == [0, 0]
    bo = run(store, person_repairs, PersonRepairsArgs(person="bo.park@mvusd.org"))
    assert (bo.count, len(bo.rows)) == (205, 200)
    assert (bo.repair_count, bo.parts_total) == (103, Decimal("257.50"))
    assert [r.external_id for r in bo.rows[:2]] == ["504", "503"]
    assert bo.rows[-1].external_id == "305"
    assert "Showing 200 of 205 tickets." in bo.notes
