"""contracts_renewing on a small tracker whose right answers are spelled out here by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ingest.load import ingest_paths
from tools.contracts import ContractsRenewingArgs, contracts_renewing

TRACKER = (
    "Vendor,Product,Annual Cost,Renewal Date,Auto Renew?,Notice Period,Funding",
    'Google LLC,Workspace Plus,"$12,500.00",1/15/2027,Y,60 days,General Fund',
    "Google for Education,Chromebook licenses,4000,2027-02-01,no,,Title IV-A",
    "GoGuardian,Admin,9800,Mar 31 2027,yes,90d,ESSER",
    "Clever,Secure Sync,0,2027-04-01,yes,30,General Fund",
    "Zoom,Education,1500,2026-12-31,yes,2 months,general fund ",
)


@pytest.fixture
def loaded(store, write_csv):
    ingest_paths([write_csv("contracts.csv", *TRACKER)], store)
    return store


def renewing(store, start: str, end: str, **filters) -> object:
    args = ContractsRenewingArgs(
        start=dt.date.fromisoformat(start), end=dt.date.fromisoformat(end), **filters
    )
    with store.read_session() as session:
        return contracts_renewing(session, args)


def test_next_quarter_lists_each_contract_with_its_cancel_by_date(loaded) -> None:
    result = renewing(loaded, "2027-01-01", "2027-03-31")
    assert [(r.vendor, r.product) for r in result.rows] == [
        ("Google", "Workspace Plus"),
        ("Google", "Chromebook licenses"),
        ("GoGuardian", "Admin"),
    ]
    first = result.rows[0]
    assert first.renewal_date == dt.date(2027, 1, 15)
    assert first.notice_deadline == dt.date(2026, 11, 16)  # 60 days before
    assert first.auto_renew is True
    assert result.rows[2].notice_deadline == dt.date(2026, 12, 31)  # 90 days before Mar 31
    assert result.total_annual_cost == Decimal("26300.00")
    assert result.sources == ["contracts.csv:2", "contracts.csv:3", "contracts.csv:4"]


def test_a_contract_with_no_notice_period_has_no_deadline_and_says_so(loaded) -> None:
    result = renewing(loaded, "2027-02-01", "2027-02-01")
    assert result.rows[0].notice_deadline is None
    assert result.notes == ["1 of these has no notice period on file, so no cancel-by date."]


def test_window_across_the_fiscal_year_boundary(loaded) -> None:
    result = renewing(loaded, "2026-12-01", "2027-07-31")
    assert result.count == 5
    assert result.rows[0].product == "Education"  # Zoom, Dec 31 2026
    assert result.rows[0].notice_deadline == dt.date(2026, 11, 1)  # "2 months" = 60 days


def test_an_empty_window_is_an_empty_answer(loaded) -> None:
    result = renewing(loaded, "2030-01-01", "2030-12-31")
    assert (result.count, result.rows, result.total_annual_cost) == (0, [], Decimal(0))


def test_vendor_filter_is_fuzzy_and_merges_aliases(loaded) -> None:
    result = renewing(loaded, "2026-12-01", "2027-12-31", vendor="google")
    assert {r.product for r in result.rows} == {"Workspace Plus", "Chromebook licenses"}


def test_funding_filter_ignores_case_and_spaces(loaded) -> None:
    result = renewing(loaded, "2026-12-01", "2027-12-31", funding_source="General Fund")
    assert {r.vendor for r in result.rows} == {"Google", "Clever", "Zoom"}


def test_funding_spellings_of_one_program_count_as_that_program(store, write_csv) -> None:
    tracker = (
        "Vendor,Product,Annual Cost,Renewal Date,Auto Renew?,Notice Period,Funding",
        "Zoom,Education,1500,2027-01-10,yes,30,GF",
        "Clever,Secure Sync,1000,2027-01-11,yes,30,Gen Fund",
        "Kajeet,SmartSpot,2000,2027-01-12,yes,30,Erate",
        "Newsela,Pro,3000,2027-01-13,yes,30,Title 1",
        "Seesaw,Schools,4000,2027-01-14,yes,30,Local Foundation Grant",
    )
    ingest_paths([write_csv("tracker.csv", *tracker)], store)
    general = renewing(store, "2027-01-01", "2027-01-31", funding_source="General Fund")
    assert {r.vendor for r in general.rows} == {"Zoom", "Clever"}
    assert {r.funding_source for r in renewing(store, "2027-01-01", "2027-01-31").rows} == {
        "General Fund", "E-Rate", "Title I", "Local Foundation Grant",
    }  # fmt: skip
