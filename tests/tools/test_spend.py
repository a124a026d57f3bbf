"""The money tools on small exports whose right answers are worked out here by hand (issue 19).

Contracts (as of 2026-11-23; no term given means 12 months; Comcast's term is 24 months):

  row  vendor               cost    renews      auto notice fund (as written)  dept                       category      status
  2    Google LLC           12000   2027-01-15  Y    60     GF                 Technology                 Software      Active
  3    Google for Education  4000   2027-02-01  no   -      "general fund "    "technology "              Software      Active
  4    GoGuardian            9800   2027-03-31  yes  90     General Fund       Curriculum & Instruction   Software      Active
  5    Comcast              30000   2027-07-01  yes  120    E-Rate             Technology                 Connectivity  Active
  6    Clever                   -   2027-04-01  yes  30     Tech Levy          Curriculum and Instruction Software      Active
  7    Zoom                  1500   2026-12-31  yes  60     " tech levy"       Technology                 Software      Active
  8    Kahoot                2000   2027-05-01  no   30     Tech Levy          Technology                 -             Active
  9    OldCo                 5000   2026-06-30  no   30     General Fund       Technology                 Software      Expired

  In force on as_of: rows 2-8. By fund: General Fund 12000+4000+9800 = 25800 (three spellings),
  E-Rate 30000, Tech Levy 0+1500+2000 = 3500 (one unpriced; written "Tech Levy" twice). Total 59300.
  Notice deadlines: Google 2026-11-16 and Zoom 2026-11-01 already missed; GoGuardian 2026-12-31,
  Clever 2027-03-02, Comcast 2027-03-03, Kahoot 2027-04-01 to come; Google for Education none.

Purchase orders (fund three ways, a PO on June 30 and one on July 1, Dell spelled two ways):

  P26-001 2026-06-30 Dell Marketing L.P.  9000.00  GF                  (FY2026)
  P27-001 2026-07-01 Dell Inc.            4500.00  "general fund "     (FY2027)
  P27-002 2026-07-15 CDW Government LLC    490.00  Title 1
  P27-003 2026-08-03 Dell Marketing        600.00  General Fund
  P27-004 2026-09-10 Amazon                   -    (blank)
  FY2027: 4 lines, 5590.00 (one line with no amount); General Fund 5100.00, Title I 490.00.

Repairs (labour at $45 an hour), tickets opened in FY2026 with a cost:

  1001 2025-09-10 Broken Screen  5CD1001 Chromebook  $89  30 min  Lincoln
  1002 2025-10-01 Password Reset 5CD1001               -  15 min  Lincoln
  1003 2026-06-30 Broken Screen  HP2001  Laptop       $35  25 min  Washington
  1004 2026-07-01 Broken Screen  5CD1001             $89  30 min  (FY2027: left out)
  1005 2026-02-01 Broken Screen  ZZZ999 (no device)  $89  30 min  Washington
  parts 89+35+89 = 213; minutes 30+15+25+30 = 100 = $75.00; both 288.00, 4 tickets.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal

import pytest

from assistant.compose import compose
from ingest.load import ingest_paths
from tools.commitments import SpendCommitmentsArgs, spend_commitments
from tools.notices import NoticeDeadlinesArgs, notice_deadlines
from tools.repair_spend import RepairSpendArgs, repair_spend
from tools.replacement import BudgetArgs, replacement_budget
from tools.spend import ContractSpendArgs, PurchaseSpendArgs, contract_spend, purchase_spend

AS_OF = dt.date(2026, 11, 23)
FY2026 = {"start": dt.date(2025, 7, 1), "end": dt.date(2026, 6, 30)}
FY2027 = {"start": dt.date(2026, 7, 1), "end": dt.date(2027, 6, 30)}

TRACKER = (
    "Vendor,Product,Annual Cost,Renewal Date,Term (months),Auto Renew?,Notice Period,Funding,"
    "Dept Owner,Category,Status",
    "Google LLC,Workspace Plus,12000,2027-01-15,,Y,60 days,GF,Technology,Software,Active",
    "Google for Education,Chromebook licenses,4000,2027-02-01,,no,,general fund ,technology ,"
    "Software,Active",
    "GoGuardian,Admin,9800,2027-03-31,,yes,90,General Fund,Curriculum & Instruction,Software,Active",
    "Comcast,Internet circuit,30000,2027-07-01,24,yes,120,E-Rate,Technology,Connectivity,Active",
    "Clever,Secure Sync,,2027-04-01,,yes,30,Tech Levy,Curriculum and Instruction,Software,Active",
    "Zoom,Education,1500,2026-12-31,,yes,60, tech levy,Technology,Software,Active",
    "Kahoot,EDU,2000,2027-05-01,,no,30,Tech Levy,Technology,,Active",
    "OldCo,Legacy,5000,2026-06-30,,no,30,General Fund,Technology,Software,Expired",
)
POS = (
    "PO Number,PO Date,Vendor,Description,Quantity,Unit Price,Amount,Account Code,Fund",
    "P26-001,06/30/2026,Dell Marketing L.P.,Latitude 3440,10,900.00,9000.00,100-2230-0644,GF",
    "P27-001,07/01/2026,Dell Inc.,Latitude 3440,5,900.00,4500.00,100-2230-0644,general fund ",
    "P27-002,07/15/2026,CDW Government LLC,Chargers,20,24.50,490.00,211-2230-0610,Title 1",
    "P27-003,08/03/2026,Dell Marketing,Docking stations,4,150.00,600.00,263-2230-0610,General Fund",
    "P27-004,09/10/2026,Amazon,HDMI cables,30,9.00,,100-2230-0610,",
)
SNIPE_IT = (
    "Asset Tag,Asset Name,Serial,Model,Category,Manufacturer,Status,Location,Purchase Date,"
    "Purchase Cost",
    "A100,CB-1,5CD1001,Dell Chromebook 3100,Chromebook,Dell,Deployed,Lincoln Elementary,"
    "2022-11-23,300.00",
    "A101,CB-2,5CD1002,Dell Chromebook 3100,Chromebook,Dell,Deployed,Lincoln Elementary,"
    "2024-11-23,300.00",
    "L200,LT-1,HP2001,HP ProBook 450 G8,Laptop,HP,Deployed,Washington Middle,2022-11-23,900.00",
)
IIQ = (
    "TicketNumber,Subject,IssueDescription,CreatedDate,StartedDate,ClosedDate,IsClosed,"
    "WorkflowStep.StepName,Issue.Name,Location.Name,For.Name,AssignedToUser.Name,Priority,"
    "AssetTag,SerialNumber,Parts Cost,Labor Minutes",
    "1001,Screen cracked,Dropped,2025-09-10 08:00,,2025-09-12 10:00,true,Resolved,Broken Screen,"
    "Lincoln Elementary,Ava,Tech One,Medium,,5CD1001,89.00,30",
    "1002,Cannot log in,Forgot password,2025-10-01 09:00,,2025-10-01 09:20,true,Closed,"
    "Password Reset,Lincoln Elementary,Ava,Tech One,Low,,5CD1001,,15",
    "1003,Screen cracked,Dropped,2026-06-30 16:00,,2026-07-02 10:00,true,Resolved,Broken Screen,"
    "Washington Middle,Di,Tech One,Medium,,HP2001,35.00,25",
    "1004,Screen cracked,Again,2026-07-01 08:00,,2026-07-02 10:00,true,Resolved,Broken Screen,"
    "Lincoln Elementary,Ava,Tech One,Medium,,5CD1001,89.00,30",
    "1005,Screen cracked,Unknown device,2026-02-01 10:00,,2026-02-03 10:00,true,Resolved,"
    "Broken Screen,Washington Middle,Ed,Tech One,Medium,,ZZZ999,89.00,30",
)


@pytest.fixture
def loaded(store, write_csv):
    paths = [
        write_csv("contracts.csv", *TRACKER),
        write_csv("po_export.csv", *POS),
        write_csv("snipeit.csv", *SNIPE_IT),
        write_csv("iiq.csv", *IIQ),
    ]
    ingest_paths(paths, store)
    return store


def run(store, func, args):
    with store.read_session() as session:
        return func(session, args)


# --- contract_spend --------------------------------------------------------------------------


def test_contract_spend_by_fund_merges_three_spellings_and_names_what_it_counts(loaded) -> None:
    result = run(loaded, contract_spend, ContractSpendArgs(group_by="funding_source", as_of=AS_OF))
    assert [(r.group, r.count, r.amount, r.unpriced) for r in result.rows] == [
        ("E-Rate", 1, Decimal("30000.00"), 0),
        ("General Fund", 3, Decimal("25800.00"), 0),
        ("Tech Levy", 3, Decimal("3500.00"), 1),  # written "Tech Levy" twice, " tech levy" once
    ]
    assert (result.count, result.total_annual_cost) == (7, Decimal("59300.00"))
    assert "still in force on 2026-11-23" in result.definition
    assert result.notes[1] == "1 contract has no annual cost on file; the totals leave them out."


def test_contract_spend_by_department_folds_case_spaces_and_ampersands(loaded) -> None:
    result = run(loaded, contract_spend, ContractSpendArgs(group_by="department", as_of=AS_OF))
    assert [(r.group, r.count, r.amount) for r in result.rows] == [
        ("Technology", 5, Decimal("49500.00")),
        ("Curriculum & Instruction", 2, Decimal("9800.00")),  # tie: the first alphabetically
    ]


def test_contract_spend_filters_by_any_spelling_of_a_fund(loaded) -> None:
    result = run(loaded, contract_spend,
                 ContractSpendArgs(funding_source="gen fund", as_of=AS_OF))  # fmt: skip
    assert (result.count, result.total_annual_cost, result.rows) == (3, Decimal("25800.00"), [])


def test_contract_spend_in_a_renewal_window_by_vendor_and_by_category(loaded) -> None:
    window = {"start": dt.date(2027, 1, 1), "end": dt.date(2027, 3, 31)}
    by_vendor = run(loaded, contract_spend, ContractSpendArgs(group_by="vendor", **window))
    assert [(r.group, r.amount) for r in by_vendor.rows] == [
        ("Google", Decimal("16000.00")),
        ("GoGuardian", Decimal("9800.00")),
    ]
    by_category = run(loaded, contract_spend, ContractSpendArgs(group_by="category", as_of=AS_OF))
    assert [(r.group, r.amount) for r in by_category.rows] == [
        ("Connectivity", Decimal("30000.00")),
        ("Software", Decimal("27300.00")),
        ("(not on file)", Decimal("2000.00")),
    ]
    assert by_category.notes[-1] == "1 contract has no category on file."


def test_contract_spend_of_an_empty_window_is_zero(loaded) -> None:
    window = {"start": dt.date(2030, 1, 1), "end": dt.date(2030, 12, 31)}
    result = run(loaded, contract_spend, ContractSpendArgs(group_by="vendor", **window))
    assert (result.count, result.total_annual_cost, result.rows) == (0, Decimal(0), [])


# --- purchase_spend --------------------------------------------------------------------------


def export_sum(start: dt.date, end: dt.date) -> Decimal:
    """The export's own sum of Amount over the lines dated in [start, end]."""
    rows = csv.DictReader(POS)
    dated = (
        r for r in rows if start <= dt.datetime.strptime(r["PO Date"], "%m/%d/%Y").date() <= end
    )
    return sum((Decimal(r["Amount"]) for r in dated if r["Amount"]), Decimal(0))


def test_purchase_spend_in_a_fiscal_year_equals_the_exports_own_sum(loaded) -> None:
    result = run(loaded, purchase_spend, PurchaseSpendArgs(group_by="fund", **FY2027))
    assert result.total_amount == export_sum(**FY2027) == Decimal("5590.00")
    assert result.count == 4  # July 1 is FY2027; June 30 is not
    assert [(r.group, r.count, r.amount) for r in result.rows] == [
        ("General Fund", 2, Decimal("5100.00")),
        ("Title I", 1, Decimal("490.00")),
        ("(not on file)", 1, Decimal("0")),
    ]
    assert result.notes == ["1 PO line has no amount; the total leaves them out.",
                            "1 PO line has no fund on file."]  # fmt: skip
    june = run(loaded, purchase_spend, PurchaseSpendArgs(**FY2026))
    assert (june.count, june.total_amount) == (1, Decimal("9000.00"))


def test_purchase_spend_with_one_vendor_matches_its_spellings(loaded) -> None:
    result = run(loaded, purchase_spend, PurchaseSpendArgs(vendor="Dell Marketing", **FY2027))
    assert (result.count, result.total_amount) == (2, Decimal("5100.00"))
    assert result.sources == ["po_export.csv:3", "po_export.csv:5"]


def test_purchase_spend_by_month_and_by_account(loaded) -> None:
    months = run(loaded, purchase_spend, PurchaseSpendArgs(group_by="month", **FY2027))
    assert [(r.group, r.amount) for r in months.rows] == [
        ("2026-07", Decimal("4990.00")), ("2026-08", Decimal("600.00")), ("2026-09", Decimal(0)),
    ]  # fmt: skip
    accounts = run(loaded, purchase_spend, PurchaseSpendArgs(group_by="account", **FY2027))
    assert accounts.rows[0].group == "100-2230-0644"
    assert sum(r.amount for r in accounts.rows) == accounts.total_amount


def test_purchase_spend_of_an_empty_window_and_an_unknown_fund(loaded) -> None:
    empty = run(loaded, purchase_spend, PurchaseSpendArgs(
        start=dt.date(2030, 7, 1), end=dt.date(2031, 6, 30)))  # fmt: skip
    assert (empty.count, empty.total_amount) == (0, Decimal(0))
    nothing = run(loaded, purchase_spend, PurchaseSpendArgs(fund="Title IV-A", **FY2027))
    assert nothing.count == 0


# --- notice_deadlines ------------------------------------------------------------------------


def notices(store, kind, **window):
    return run(store, notice_deadlines, NoticeDeadlinesArgs(kind=kind, as_of=AS_OF, **window))


def test_missed_deadlines_are_past_with_the_renewal_still_to_come(loaded) -> None:
    result = notices(loaded, "missed")
    assert [(r.vendor, r.notice_deadline, r.renewal_date, r.annual_cost) for r in result.rows] == [
        ("Zoom", dt.date(2026, 11, 1), dt.date(2026, 12, 31), Decimal("1500.00")),
        ("Google", dt.date(2026, 11, 16), dt.date(2027, 1, 15), Decimal("12000.00")),
    ]
    assert (result.total_annual_cost, result.auto_renewing) == (Decimal("13500.00"), 2)
    assert result.notes == ["1 contract still to renew has no notice period on file, so no "
                            "deadline to miss or meet; they are not in this list."]  # fmt: skip


def test_upcoming_deadlines_and_auto_renewals_in_a_window(loaded) -> None:
    upcoming = notices(loaded, "upcoming", start=dt.date(2026, 11, 24), end=dt.date(2027, 3, 31))
    assert [r.vendor for r in upcoming.rows] == ["GoGuardian", "Clever", "Comcast"]
    auto = notices(loaded, "auto_renewing", start=dt.date(2027, 1, 1), end=dt.date(2027, 6, 30))
    assert [(r.vendor, r.renewal_date) for r in auto.rows] == [
        ("Google", dt.date(2027, 1, 15)), ("GoGuardian", dt.date(2027, 3, 31)),
        ("Clever", dt.date(2027, 4, 1)),
    ]  # fmt: skip
    assert auto.total_annual_cost == Decimal("21800.00")
    empty = notices(loaded, "upcoming", start=dt.date(2030, 1, 1), end=dt.date(2030, 3, 31))
    assert (empty.count, empty.total_annual_cost) == (0, Decimal(0))


# --- repair_spend ----------------------------------------------------------------------------


def test_repair_spend_keeps_parts_and_labour_apart(loaded) -> None:
    both = run(loaded, repair_spend, RepairSpendArgs(**FY2026))
    assert (both.count, both.parts, both.labour_minutes) == (4, Decimal("213.00"), 100)
    assert (both.labour, both.total) == (Decimal("75.00"), Decimal("288.00"))
    parts = run(loaded, repair_spend, RepairSpendArgs(cost="parts", **FY2026))
    assert (parts.count, parts.total, parts.labour) == (3, Decimal("213.00"), None)
    assert parts.notes[0].startswith("Repair spend here is parts only (no labour)")
    labour = run(loaded, repair_spend, RepairSpendArgs(cost="labour", **FY2026))
    assert (labour.count, labour.total, labour.parts) == (4, Decimal("75.00"), None)


def test_repair_spend_by_model_and_school(loaded) -> None:
    by_model = run(loaded, repair_spend, RepairSpendArgs(group_by="model", cost="parts", **FY2026))
    assert [(r.group, r.tickets, r.total) for r in by_model.rows] == [
        ("Dell Chromebook 3100", 1, Decimal("89.00")),
        ("HP ProBook 450 G8", 1, Decimal("35.00")),
        ("(no device linked)", 1, Decimal("89.00")),
    ]
    by_school = run(loaded, repair_spend, RepairSpendArgs(group_by="school", **FY2026))
    assert {r.group: r.total for r in by_school.rows} == {
        "Lincoln Elementary": Decimal("89.00") + Decimal("33.75"),  # 45 min
        "Washington Middle": Decimal("124.00") + Decimal("41.25"),  # 55 min
    }
    empty = run(loaded, repair_spend, RepairSpendArgs(start=dt.date(2030, 1, 1),
                                                      end=dt.date(2030, 1, 31)))  # fmt: skip
    assert (empty.count, empty.total) == (0, Decimal(0))


# --- spend_commitments and replacement_budget's years ----------------------------------------


def test_commitments_project_renewals_by_term_and_add_the_replacement_budget(loaded) -> None:
    result = run(loaded, spend_commitments, SpendCommitmentsArgs(as_of=AS_OF, years=2))
    assert [(r.fiscal_year, r.renewals, r.renewal_cost, r.devices, r.replacement_cost)
            for r in result.rows] == [
        ("FY2028", 7, Decimal("59300.00"), 1, Decimal("1100.00")),  # HP2001: 2022-11-23 + 5 y
        ("FY2029", 6, Decimal("29300.00"), 1, Decimal("300.00")),  # 5CD1002: 2024-11-23 + 4 y;
        # Comcast renews every 24 months, so not in FY2029
    ]  # fmt: skip
    assert result.total == Decimal("90000.00")
    assert "6 contracts have no term on file; taken to renew every 12 months." in result.notes


def test_commitments_by_fund_where_the_data_says(loaded) -> None:
    args = SpendCommitmentsArgs(as_of=AS_OF, start_fy=2028, end_fy=2028, by_fund=True)
    result = run(loaded, spend_commitments, args)
    assert [(r.fund, r.renewal_cost, r.replacement_cost) for r in result.rows] == [
        ("E-Rate", Decimal("30000.00"), Decimal(0)),
        ("General Fund", Decimal("25800.00"), Decimal(0)),
        ("Tech Levy", Decimal("3500.00"), Decimal(0)),
        ("(fund not on file)", Decimal(0), Decimal("1100.00")),
    ]


def test_replacement_budget_for_named_fiscal_years(loaded) -> None:
    later = run(loaded, replacement_budget,
                BudgetArgs(as_of=AS_OF, start_fy=2029, end_fy=2030))  # fmt: skip
    assert [y.fiscal_year for y in later.years] == ["FY2029", "FY2030"]
    assert (
        "1 active device(s) come due in FY2028, before the years asked, and are not in the plan."
        in later.notes
    )
    clamped = run(loaded, replacement_budget, BudgetArgs(as_of=AS_OF, start_fy=2027, end_fy=2027))
    assert [(y.fiscal_year, y.count) for y in clamped.years] == [("FY2028", 1)]
    assert clamped.notes[-1].startswith("Planning starts with next fiscal year, FY2028")


# --- answers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tool", "func", "args"),
    [
        (
            "contract_spend",
            contract_spend,
            ContractSpendArgs(group_by="funding_source", as_of=AS_OF),
        ),
        ("purchase_spend", purchase_spend, PurchaseSpendArgs(group_by="fund", **FY2027)),
        ("notice_deadlines", notice_deadlines, NoticeDeadlinesArgs(kind="missed", as_of=AS_OF)),
        ("repair_spend", repair_spend, RepairSpendArgs(group_by="model", **FY2026)),
        ("spend_commitments", spend_commitments, SpendCommitmentsArgs(as_of=AS_OF, years=2)),
    ],
)
def test_answers_read_without_none_and_with_plurals_right(loaded, tool, func, args) -> None:
    text = compose(tool, run(loaded, func, args))
    assert "None" not in text and " 1 contracts" not in text and " 1 lines" not in text
    assert "$" in text


def test_singular_answers(loaded) -> None:
    june = compose("purchase_spend", run(loaded, purchase_spend, PurchaseSpendArgs(**FY2026)))
    assert "$9,000.00 spent on purchase orders from Jun 1" not in june
    assert ": 1 PO line.*" in june
    missed = compose("notice_deadlines", run(loaded, notice_deadlines, NoticeDeadlinesArgs(
        kind="missed", as_of=dt.date(2026, 11, 10))))  # fmt: skip
    assert missed.startswith(
        "*1 notice deadline has passed on a contract that still renews, "
        "$1,500.00 a year; it auto-renews.*"
    )


def test_repair_spend_from_the_day_summary_equals_the_tickets(loaded) -> None:
    """By school or category the summary answers; forced through the tickets, the same sums."""
    from tools import repair_spend as module

    for cost in ("both", "parts", "labour"):
        for group_by in (None, "school", "category"):
            args = RepairSpendArgs(cost=cost, group_by=group_by, **FY2026)
            assert module._summarised(args)
            with loaded.read_session() as session:
                summed = module._from_days(session, args)
                direct = module._from_tickets(session, args, module._conditions(session, args))
            assert _shown(summed, cost) == _shown(direct, cost), (cost, group_by)


def _shown(rows, cost: str) -> list:
    """The figures an answer shows for that cost: parts unless labour only, and the reverse."""
    parts, labour = cost != "labour", cost != "parts"
    return sorted((str(v), n, Decimal(p or 0) if parts else None, int(m or 0) if labour else None)
                  for v, n, p, m in rows if n)  # fmt: skip
