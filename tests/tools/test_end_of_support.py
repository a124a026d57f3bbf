"""End of support (AUE) by model and school, and replacement due grouped, worked by hand.

Today is 2026-11-23; "the next 12 months" is Nov 24, 2026 - Nov 23, 2027; FY2028 is
Jul 1, 2027 - Jun 30, 2028. Default policies: Chromebook 4 years $300, laptop 5 years $1,100,
desktop 6 years $950.

    Google Admin (AUE)                          Snipe-IT (purchase date -> replacement date)
    G1 300e Gen 2, Lincoln, 2027-06-01          S1 Chromebook Spin 511, Lincoln, 2023-08-01 -> 2027-08-01
    G2 300e Gen 2, Washington, 2027-06-01       S2 Latitude 3440, Lincoln, 2022-09-01 -> 2027-09-01
    G3 300e Gen 2, Lincoln, 2027-06-01          S3 Latitude 3440, Washington, 2022-10-01 -> 2027-10-01
    G4 Chromebook 3100, Washington, 2027-02-01  S4 Latitude 3440, Washington, 2022-11-01 -> 2027-11-01
    G5 HP 11 G8 EE, Lincoln, 2029-06-01         S5 OptiPlex 7010, Lincoln, 2021-08-01 -> 2027-08-01
    G6 HP 11 G8 EE, Lincoln, 2025-06-01 (past)
    G7 300e Gen 2, deprovisioned

AUE in the next 12 months: 300e x3 (Lincoln 2, Washington 1), 3100 x1; G6 is already past;
S1 has no AUE on file. Due in FY2028: S1-S5 (the Google devices have no purchase date: their
replacement date is their AUE, none in FY2028).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ingest.load import ingest_paths
from tools.replacement import DueArgs, devices_due_for_replacement
from tools.support import TOOLS, EndOfSupportArgs, end_of_support

AS_OF = dt.date(2026, 11, 23)
NEXT_12_MONTHS = {"start": dt.date(2026, 11, 24), "end": dt.date(2027, 11, 23)}
GOOGLE = (
    "Serial Number,Model,Status,Last Sync,User,Location,Asset ID,Org Unit Path,"
    "Auto Update Expiration",
    "G1,Lenovo 300e Chromebook Gen 2,ACTIVE,2026-11-20,,Lincoln Elementary School,,/S,2027-06-01",
    "G2,Lenovo 300e Chromebook Gen 2,ACTIVE,2026-11-20,,Washington Middle School,,/S,2027-06-01",
    "G3,Lenovo 300e Chromebook Gen 2,ACTIVE,2026-11-20,,Lincoln Elementary School,,/S,2027-06-01",
    "G4,Dell Chromebook 3100,ACTIVE,2026-11-20,,Washington Middle School,,/S,2027-02-01",
    "G5,HP Chromebook 11 G8 EE,ACTIVE,2026-11-20,,Lincoln Elementary School,,/S,2029-06-01",
    "G6,HP Chromebook 11 G8 EE,ACTIVE,2026-11-20,,Lincoln Elementary School,,/S,2025-06-01",
    "G7,Lenovo 300e Chromebook Gen 2,DEPROVISIONED,2025-01-01,,,,/Deprovisioned,2027-06-01",
)
SNIPE_IT = (
    "Asset Tag,Serial,Model,Category,Manufacturer,Status,Location,Purchase Date,Purchase Cost,"
    "Supplier",
    "T1,S1,Acer Chromebook Spin 511,Chromebook,Acer,Deployed,Lincoln Elementary School,"
    "2023-08-01,300.00,CDW",
    "T2,S2,Latitude 3440,Laptop,Dell,Deployed,Lincoln Elementary School,2022-09-01,1100.00,CDW",
    "T3,S3,Latitude 3440,Laptop,Dell,Deployed,Washington Middle School,2022-10-01,1100.00,CDW",
    "T4,S4,Latitude 3440,Laptop,Dell,Deployed,Washington Middle School,2022-11-01,1100.00,CDW",
    "T5,S5,OptiPlex 7010,Desktop,Dell,Deployed,Lincoln Elementary School,2021-08-01,950.00,CDW",
)


@pytest.fixture
def loaded(store, write_csv):
    files = [write_csv("chromeos.csv", *GOOGLE), write_csv("snipe.csv", *SNIPE_IT)]
    assert [r.rejected for r in ingest_paths(files, store)] == [0, 0]
    return store


def run(store, tool, args):
    with store.read_session() as session:
        return tool(session, args)


def test_chromebooks_reaching_aue_by_model(loaded) -> None:
    result = run(loaded, end_of_support, EndOfSupportArgs(**NEXT_12_MONTHS))
    assert [(g.name, g.count, g.first_aue) for g in result.groups] == [
        ("Lenovo 300e Chromebook Gen 2", 3, dt.date(2027, 6, 1)),
        ("Dell Chromebook 3100", 1, dt.date(2027, 2, 1)),
    ]
    assert [r.serial for r in result.rows] == ["G4", "G1", "G2", "G3"]  # soonest first
    assert (result.count, result.already_past, result.no_aue) == (4, 1, 1)
    assert result.notes == ["1 active Chromebook has no AUE date on file and is not counted."]


def test_aue_by_school_and_for_one_model(loaded) -> None:
    by_school = run(loaded, end_of_support, EndOfSupportArgs(**NEXT_12_MONTHS, group_by="school"))
    # A tie of two each: the school whose first AUE comes sooner first.
    assert [(g.name, g.count) for g in by_school.groups] == [
        ("Washington Middle School", 2),
        ("Lincoln Elementary School", 2),
    ]
    lenovo = run(loaded, end_of_support, EndOfSupportArgs(**NEXT_12_MONTHS, model="300e"))
    assert (lenovo.count, [g.name for g in lenovo.groups]) == (3, ["Lenovo 300e Chromebook Gen 2"])
    later = run(
        loaded,
        end_of_support,
        EndOfSupportArgs(start=dt.date(2028, 7, 1), end=dt.date(2029, 6, 30)),
    )
    assert [(g.name, g.count) for g in later.groups] == [("HP Chromebook 11 G8 EE", 1)]


@pytest.mark.parametrize(
    ("group_by", "expected"),
    [
        ("school", [("Lincoln Elementary School", 3), ("Washington Middle School", 2)]),
        ("category", [("Laptop", 3), ("Chromebook", 1), ("Desktop", 1)]),
        ("model", [("Latitude 3440", 3), ("Acer Chromebook Spin 511", 1), ("OptiPlex 7010", 1)]),
    ],
)
def test_replacement_due_grouped_most_first(loaded, group_by, expected) -> None:
    fy2028 = {"start": dt.date(2027, 7, 1), "end": dt.date(2028, 6, 30)}
    result = run(
        loaded, devices_due_for_replacement, DueArgs(**fy2028, as_of=AS_OF, group_by=group_by)
    )
    assert [(g.name, g.count) for g in result.groups] == expected
    assert result.count == 5
    if group_by == "category":
        assert result.groups[0].cost == Decimal("3300.00")


def test_end_of_support_declares_itself() -> None:
    (tool,) = TOOLS
    assert tool.name == tool.func.__name__ == "end_of_support"
    assert len(tool.examples) >= 4 and all(
        f.description for f in tool.args_model.model_fields.values()
    )


def test_the_answers_read_right(loaded) -> None:
    from assistant.compose import compose

    aue = compose(
        "end_of_support",
        run(loaded, end_of_support, EndOfSupportArgs(**NEXT_12_MONTHS)),
        window="the next 12 months",
    )
    assert aue.startswith(
        "*4 Chromebooks reach their end of automatic updates (AUE) in the next 12 months, by model:*"
    )
    assert "• Lenovo 300e Chromebook Gen 2: 3, AUE Jun 1, 2027" in aue.splitlines()
    assert "_1 active device is already past its AUE before this window._" in aue
    due = compose(
        "devices_due_for_replacement",
        run(loaded, devices_due_for_replacement, DueArgs(start=dt.date(2027, 7, 1),
            end=dt.date(2028, 6, 30), as_of=AS_OF, group_by="school")),
        window="FY2028",
    )  # fmt: skip
    assert due.startswith(
        "*Lincoln Elementary School has the most devices due for replacement in FY2028: 3 of 5.*"
    )
    assert "None" not in aue + due
