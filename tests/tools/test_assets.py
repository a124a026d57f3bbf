"""Device tools on a small Snipe-IT + Google Admin fixture whose answers are worked out by hand.

as_of is 2026-11-23, so this is FY2027 (Jul 1 2026 - Jun 30 2027) and the next fiscal year is
FY2028 (Jul 1 2027 - Jun 30 2028). Default policies: Chromebook 4y $300, Laptop 5y $1,100,
Desktop 6y $950, Tablet 4y $400, Interactive Display 8y $3,500, Projector 7y $900.

Every active device with a policy, and its replacement date:

    serial     category             school          purchase    AUE         replaced    reason
    CBAUE01    Chromebook           Lincoln         2024-08-15  2028-06-30  2028-06-30  AUE
    CB002      Chromebook           Lincoln (LES)   2023-09-01  2029-06-30  2027-09-01  cycle
    CBOLD      Chromebook           Mountain View   2021-03-01  -           2025-03-01  overdue
    CBGOOG9    Chromebook (Google)  Mountain View   -           2026-06-30  2026-06-30  overdue
    CBNEXT     Chromebook           Mountain View   2026-08-01  -           2030-08-01  later
    LTNODATE   Laptop               Lincoln         -           -           none        no date
    LTJUNE     Laptop               Mountain View   2022-06-15  -           2027-06-15  FY2027
    LT2030     Laptop               Lincoln         2025-01-15  -           2030-01-15  FY2030
    DTOLD      Desktop              Mountain View   2019-05-01  -           2025-05-01  overdue
    TBJULY     Tablet               Lincoln         2023-07-20  -           2027-07-20  FY2028
    IFP01      Interactive Display  Lincoln         2020-01-10  -           2028-01-10  FY2028
    PJ01       Projector            Mountain View   2022-03-01  -           2029-03-01  FY2029

Also: PR01 (Printers, active, no policy), LTRET (Snipe-IT "Archived") and CBDEPRO (Google
"DEPROVISIONED") are retired. CBAUE01 is written "cb-aue-01" in Snipe-IT and "CBAUE01" in Google.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ingest.load import ingest_paths
from tools.assets import DevicesListArgs, WarrantyArgs, devices_list, warranty_expiring
from tools.replacement import BudgetArgs, DueArgs, devices_due_for_replacement, replacement_budget

AS_OF = dt.date(2026, 11, 23)
D = dt.date.fromisoformat

SNIPE = (
    "Asset Tag,Asset Name,Serial,Model,Model Number,Category,Manufacturer,Status,Location,"
    "Purchase Date,Purchase Cost,Supplier,Order Number,Warranty Months,Checked Out To: Email,Notes",
    "A100,CB-1,cb-aue-01,Dell Chromebook 3110,3110,Chromebooks,Dell,Deployed,"
    "Lincoln Elementary School,2024-08-15,289.00,CDW,PO1,36,kim@district.org,",  # row 2
    "A101,CB-2,CB002,Dell Chromebook 3110,3110,Chromebooks,Dell,Deployed,LES,"
    "2023-09-01,289.00,CDW,PO2,36,lee@district.org,",  # row 3
    "A102,CB-3,CB-OLD,Dell Chromebook 3100,3100,Chromebooks,Dell,Deployed,"
    "Mountain View Middle School,2021-03-01,250.00,CDW,PO3,36,,",  # row 4
    "A200,LT-1,LT-NODATE,Dell Latitude 5440,5440,Laptops,Dell,Deployed,"
    "Lincoln Elementary School,,,CDW,PO4,,pat@district.org,",  # row 5
    "A201,LT-2,LT-RET,Dell Latitude 5420,5420,Laptops,Dell,Archived,"
    "Lincoln Elementary School,2019-01-10,900,CDW,PO5,100,,",  # row 6: warranty to 2027-05-10
    "A202,LT-3,LT-JUNE,Dell Latitude 5430,5430,Laptops,Dell,Deployed,"
    "Mountain View Middle School,2022-06-15,1050,CDW,PO6,60,,",  # row 7: warranty 2027-06-15
    "A300,DT-1,DT-OLD,Dell OptiPlex 7040,7040,Desktops,Dell,Deployed,"
    "Mountain View Middle School,2019-05-01,800,CDW,PO7,36,,",  # row 8
    "A400,TB-1,TB-JULY,Apple iPad 9th Gen,A2602,Tablets,Apple,Deployed,"
    "Lincoln Elementary School,2023-07-20,329,Apple,PO8,12,,",  # row 9
    "A500,IFP-1,IFP-01,Promethean ActivPanel 9,AP9,Interactive Displays,Promethean,Deployed,"
    "Lincoln Elementary School,2020-01-10,3200,CDW,PO9,84,,",  # row 10: warranty 2027-01-10
    "A600,PJ-1,PJ-01,Epson PowerLite 1781W,V11H,Projectors,Epson,Deployed,"
    "Mountain View Middle School,2022-03-01,850,CDW,PO10,60,,",  # row 11: warranty 2027-03-01
    "A700,PR-1,PR-01,HP LaserJet M404,M404,Printers,HP,Deployed,"
    "Lincoln Elementary School,2020-02-01,400,CDW,PO11,12,,",  # row 12
    "A103,CB-4,CB-NEXT,Dell Chromebook 3110,3110,Chromebooks,Dell,Deployed,"
    "Mountain View Middle School,2026-08-01,289,CDW,PO12,36,,",  # row 13
    "A203,LT-4,LT-2030,Dell Latitude 5440,5440,Laptops,Dell,Deployed,"
    "Lincoln Elementary School,2025-01-15,1100,CDW,PO13,36,,",  # row 14
)
GOOGLE = (
    "Serial Number,Model,Status,Last Sync,User,Location,Asset ID,Org Unit Path,"
    "Auto Update Expiration,Notes",
    "CBAUE01,Dell Chromebook 3110,ACTIVE,2026-11-20,kim@district.org,"
    "Lincoln Elementary School,A100,/Students/Lincoln,Jun 2028,",  # row 2
    "CB002,Dell Chromebook 3110,ACTIVE,2026-11-20,lee@district.org,"
    "Lincoln Elementary School,A101,/Students/Lincoln,Jun 2029,",  # row 3
    "CBGOOG9,HP Chromebook 11 G8,ACTIVE,2026-11-01,,Mountain View Middle School,,"
    "/Students/MV,Jun 2026,",  # row 4
    "CBDEPRO,HP Chromebook 11 G8,DEPROVISIONED,2025-06-01,,Mountain View Middle School,,"
    "/Students/MV,Jun 2026,",  # row 5
)


@pytest.fixture
def loaded(store, write_csv):
    ingest_paths([write_csv("snipe.csv", *SNIPE), write_csv("google.csv", *GOOGLE)], store)
    return store


def run(store, tool, args):
    with store.read_session() as session:
        return tool(session, args)


def due(store, start: str, end: str, **filters):
    return run(store, devices_due_for_replacement,
               DueArgs(start=D(start), end=D(end), as_of=AS_OF, **filters))  # fmt: skip


# ----------------------------------------------------------------------------- devices_list


def test_inventory_counts_active_devices_and_says_how_many_retired_are_left_out(loaded) -> None:
    # 13 Snipe-IT rows + 2 Google-only (CBGOOG9, CBDEPRO) = 15 devices; LTRET, CBDEPRO retired.
    result = run(loaded, devices_list, DevicesListArgs())
    assert result.count == 13
    assert len(result.rows) == 13
    assert any("2 retired device(s)" in note for note in result.notes)


def test_chromebooks_by_category_word_and_the_merged_device_appears_once(loaded) -> None:
    # CBAUE01, CB002, CBOLD, CBNEXT (Snipe-IT) and CBGOOG9 (Google only).
    result = run(loaded, devices_list, DevicesListArgs(category="chromebooks"))
    assert result.count == 5
    assert sorted(r.serial for r in result.rows) == [
        "CB002",
        "CBAUE01",
        "CBGOOG9",
        "CBNEXT",
        "CBOLD",
    ]
    merged = next(r for r in result.rows if r.serial == "CBAUE01")
    assert (merged.asset_tag, merged.owner_email) == ("A100", "kim@district.org")
    assert (merged.purchase_date, merged.aue_date) == (D("2024-08-15"), D("2028-06-30"))
    assert merged.school == "Lincoln Elementary School"
    assert sorted(merged.sources) == ["google.csv:2", "snipe.csv:2"]


def test_serial_filter_is_written_any_way(loaded) -> None:
    for written in ("cb-aue-01", " CB AUE 01 ", "CBAUE01"):
        result = run(loaded, devices_list, DevicesListArgs(serial=written))
        assert [r.serial for r in result.rows] == ["CBAUE01"]


def test_group_by_category_counts_in_sql_largest_first(loaded) -> None:
    result = run(loaded, devices_list, DevicesListArgs(group_by="category"))
    assert [(g.group, g.count) for g in result.groups] == [
        ("Chromebook", 5),
        ("Laptop", 3),  # LTNODATE, LTJUNE, LT2030 (LTRET is retired)
        ("Desktop", 1),
        ("Interactive Display", 1),
        ("Printers", 1),
        ("Projector", 1),
        ("Tablet", 1),
    ]
    assert result.count == 13 and result.rows == []


def test_group_by_status_shows_retired_statuses_too(loaded) -> None:
    # Google's status wins for the devices it knows (CBAUE01, CB002 are "ACTIVE").
    result = run(loaded, devices_list, DevicesListArgs(group_by="status"))
    assert {g.group: g.count for g in result.groups} == {
        "Deployed": 10, "ACTIVE": 3, "Archived": 1, "DEPROVISIONED": 1,
    }  # fmt: skip


def test_filters_school_alias_model_any_case_status_owner_manufacturer(loaded) -> None:
    def count(**filters) -> int:
        return run(loaded, devices_list, DevicesListArgs(**filters)).count

    # Lincoln active: CBAUE01, CB002, LTNODATE, TBJULY, IFP01, PR01, LT2030.
    assert count(school="LES") == count(school="lincoln elem") == 7
    assert count(school="Mountain View MS") == 6
    assert count(school="Nowhere High") == 0
    assert count(model="CHROMEBOOK 3110") == 3  # CBAUE01, CB002, CBNEXT
    assert count(status="retired") == 2
    assert count(status="archived") == 1
    assert count(status="all") == 15
    assert count(owner="KIM@district.org") == 1
    assert count(manufacturer="dell") == 8
    assert count(category="Chromebook", school="les") == 2


def test_a_status_word_matches_half_of_a_combined_status(store, write_csv) -> None:
    lost = "A900,LT-9,LT-LOST,Dell Latitude 5440,5440,Laptops,Dell,Lost/Stolen,LES,,,CDW,,,,"
    ingest_paths([write_csv("snipe.csv", SNIPE[0], lost)], store)

    def count(status: str) -> int:
        return run(store, devices_list, DevicesListArgs(status=status)).count

    assert count("lost") == count("Stolen") == count("lost/stolen") == 1
    assert count("lo") == count("deployed") == 0


def test_limit_shows_few_rows_but_counts_all(loaded) -> None:
    result = run(loaded, devices_list, DevicesListArgs(limit=2))
    assert (len(result.rows), result.count) == (2, 13)
    assert "Showing 2 of 13 devices; sources list the records shown." in result.notes


def test_devices_list_sources_point_at_the_rows(loaded) -> None:
    result = run(loaded, devices_list, DevicesListArgs(serial="LT-JUNE"))
    assert result.sources == ["snipe.csv:7"]
    assert result.systems == ["snipe_it"]


# -------------------------------------------------------------- devices_due_for_replacement


def test_next_fiscal_year_aue_before_cycle_and_cycle_before_aue(loaded) -> None:
    result = due(loaded, "2027-07-01", "2028-06-30")
    assert [(r.serial, r.replacement_date, r.reason) for r in result.rows] == [
        ("TBJULY", D("2027-07-20"), "cycle"),
        ("CB002", D("2027-09-01"), "cycle"),  # cycle 2027-09-01 before AUE 2029-06-30
        ("IFP01", D("2028-01-10"), "cycle"),
        ("CBAUE01", D("2028-06-30"), "AUE"),  # AUE Jun 2028 before cycle 2028-08-15
    ]
    assert result.count == 4
    assert result.by_category == {"Chromebook": 2, "Interactive Display": 1, "Tablet": 1}
    assert result.estimated_cost == Decimal("4500")  # 2 x 300 + 3,500 + 400
    assert result.cost_by_category["Chromebook"] == Decimal("600")
    assert result.policies["Chromebook"].cycle_years == 4
    assert result.policies["Interactive Display"].unit_cost == Decimal("3500")


def test_overdue_no_date_and_no_policy_are_reported_apart(loaded) -> None:
    result = due(loaded, "2027-07-01", "2028-06-30")
    # Before 2027-07-01: CBOLD 2025-03-01, DTOLD 2025-05-01, CBGOOG9 2026-06-30 (AUE, no
    # purchase date), LTJUNE 2027-06-15; the first three were past on 2026-11-23.
    assert (result.overdue, result.overdue_by_as_of) == (4, 3)
    assert result.overdue_cost == Decimal("2650")  # 300 + 950 + 300 + 1,100
    assert result.no_date == 1  # LTNODATE
    assert result.no_policy == 1  # PR01 (Printers)
    assert any("1 active device(s) have no purchase date" in note for note in result.notes)
    assert any("(Printers 1)" in note for note in result.notes)
    assert "Desktop" in result.policies  # named, though only overdue


def test_retired_devices_are_never_due(loaded) -> None:
    # LTRET (2019 laptop) and CBDEPRO (AUE Jun 2026) are retired: neither overdue nor due.
    result = due(loaded, "2020-01-01", "2031-12-31")
    assert result.count == 11  # every active dated device with a policy
    assert "LTRET" not in {r.serial for r in result.rows}
    assert "CBDEPRO" not in {r.serial for r in result.rows}
    assert result.overdue == 0


def test_a_window_across_july_first(loaded) -> None:
    result = due(loaded, "2027-06-01", "2027-07-31")
    assert [r.serial for r in result.rows] == ["LTJUNE", "TBJULY"]  # Jun 15 and Jul 20
    assert result.estimated_cost == Decimal("1500")  # 1,100 + 400
    assert result.overdue == 3


def test_an_empty_window(loaded) -> None:
    result = due(loaded, "2031-01-01", "2031-12-31")
    assert (result.count, result.rows, result.estimated_cost) == (0, [], Decimal(0))


def test_due_filters_school_alias_and_category(loaded) -> None:
    assert due(loaded, "2027-07-01", "2028-06-30", school="LES").count == 4
    mountain = due(loaded, "2027-07-01", "2028-06-30", school="mountain view ms")
    assert (mountain.count, mountain.overdue) == (0, 4)
    chromebooks = due(loaded, "2027-07-01", "2028-06-30", category="chromebook")
    assert [r.serial for r in chromebooks.rows] == ["CB002", "CBAUE01"]
    assert chromebooks.no_policy == 0 and chromebooks.no_date == 0


def test_due_sources_point_at_both_systems_of_a_merged_chromebook(loaded) -> None:
    result = due(loaded, "2028-06-01", "2028-06-30")
    assert [r.serial for r in result.rows] == ["CBAUE01"]
    assert sorted(result.sources) == ["google.csv:2", "snipe.csv:2"]
    assert result.systems == ["google_admin", "snipe_it"]


# ------------------------------------------------------------------------ replacement_budget


def test_budget_per_fiscal_year_and_category_with_the_default_policies(loaded) -> None:
    result = run(loaded, replacement_budget, BudgetArgs(as_of=AS_OF))
    assert [(y.fiscal_year, y.start, y.end, y.count, y.cost) for y in result.years] == [
        ("FY2028", D("2027-07-01"), D("2028-06-30"), 4, Decimal("4500")),
        ("FY2029", D("2028-07-01"), D("2029-06-30"), 1, Decimal("900")),  # PJ01
        ("FY2030", D("2029-07-01"), D("2030-06-30"), 1, Decimal("1100")),  # LT2030
    ]
    assert [(r.fiscal_year, r.group, r.count, r.unit_cost, r.cost) for r in result.rows] == [
        ("FY2028", "Chromebook", 2, Decimal("300"), Decimal("600")),
        ("FY2028", "Interactive Display", 1, Decimal("3500"), Decimal("3500")),
        ("FY2028", "Tablet", 1, Decimal("400"), Decimal("400")),
        ("FY2029", "Projector", 1, Decimal("900"), Decimal("900")),
        ("FY2030", "Laptop", 1, Decimal("1100"), Decimal("1100")),
    ]
    assert (result.total_count, result.total_cost) == (6, Decimal("6500"))
    assert result.count == 6


def test_budget_overdue_line_later_and_no_date(loaded) -> None:
    result = run(loaded, replacement_budget, BudgetArgs(as_of=AS_OF))
    line = result.overdue
    assert (line.before, line.count, line.cost, line.reached_by_as_of) == (
        D("2027-07-01"), 4, Decimal("2650"), 3,
    )  # fmt: skip
    assert line.by_group == {"Chromebook": 2, "Desktop": 1, "Laptop": 1}
    assert result.later == 1  # CBNEXT, 2030-08-01 is in FY2031
    assert (result.no_date, result.no_policy) == (1, 1)
    assert any("come due after FY2030" in note for note in result.notes)
    assert result.policies["Projector"].cycle_years == 7


def test_budget_per_school_and_filtered(loaded) -> None:
    result = run(loaded, replacement_budget, BudgetArgs(as_of=AS_OF, by="school"))
    assert [(r.fiscal_year, r.group, r.count, r.cost) for r in result.rows] == [
        ("FY2028", "Lincoln Elementary School", 4, Decimal("4500")),
        ("FY2029", "Mountain View Middle School", 1, Decimal("900")),
        ("FY2030", "Lincoln Elementary School", 1, Decimal("1100")),
    ]
    assert all(r.unit_cost is None for r in result.rows)
    lincoln = run(loaded, replacement_budget,
                  BudgetArgs(as_of=AS_OF, school="Lincoln Elem", category="chromebook"))  # fmt: skip
    assert [(y.count, y.cost) for y in lincoln.years] == [(2, Decimal("600")), (0, 0), (0, 0)]
    assert lincoln.overdue.count == 0


def test_budget_years_start_after_the_current_fiscal_year(loaded) -> None:
    # On 2027-07-01 FY2028 has begun, so the plan starts with FY2029; one year only.
    result = run(loaded, replacement_budget, BudgetArgs(as_of=D("2027-07-01"), years=1))
    assert [(y.fiscal_year, y.count) for y in result.years] == [("FY2029", 1)]
    assert result.overdue.count == 8  # the 4 above plus FY2028's 4


def test_budget_sources_point_at_the_planned_devices(loaded) -> None:
    result = run(loaded, replacement_budget, BudgetArgs(as_of=AS_OF, years=2))
    # TBJULY, CB002 (both files), IFP01, CBAUE01 (both files), PJ01.
    assert sorted(result.sources) == sorted([
        "snipe.csv:9", "snipe.csv:3", "google.csv:3", "snipe.csv:10", "snipe.csv:2",
        "google.csv:2", "snipe.csv:11",
    ])  # fmt: skip


# ------------------------------------------------------------------------- warranty_expiring


def test_warranties_ending_in_the_next_90_days(loaded) -> None:
    result = run(
        loaded, warranty_expiring, WarrantyArgs(start=D("2026-11-24"), end=D("2027-02-21"))
    )
    assert [(r.serial, r.warranty_end) for r in result.rows] == [("IFP01", D("2027-01-10"))]
    assert result.sources == ["snipe.csv:10"]
    # LTNODATE (no purchase date) and CBGOOG9 (Google only) have no warranty end.
    assert any("2 active device(s)" in note for note in result.notes)


def test_warranty_window_excludes_retired_and_counts_per_category(loaded) -> None:
    # LTRET's warranty ends 2027-05-10 but it is archived.
    result = run(
        loaded, warranty_expiring, WarrantyArgs(start=D("2027-01-01"), end=D("2027-06-30"))
    )
    assert [r.serial for r in result.rows] == ["IFP01", "PJ01", "LTJUNE"]
    assert result.by_category == {"Interactive Display": 1, "Laptop": 1, "Projector": 1}
    assert result.count == 3


def test_warranty_filters(loaded) -> None:
    def serials(**filters) -> list[str]:
        args = WarrantyArgs(start=D("2026-01-01"), end=D("2029-12-31"), **filters)
        return [r.serial for r in run(loaded, warranty_expiring, args).rows]

    assert serials(model="LATITUDE") == ["LTJUNE", "LT2030"]
    assert serials(category="Chromebook", school="LES") == ["CB002", "CBAUE01"]
    assert serials(school="Nowhere") == []
