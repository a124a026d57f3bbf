"""App request tools on a small request tracker, with answers worked out by hand.

Today (as_of) is Monday 2026-11-23. The requests (C P A Co F = curriculum, privacy,
accessibility, contract and funding review; "-" blank; NR = Not Required):

    id    product              school      C          P          A        Co       F        updated     status    agreement     cost
    AR-1  Pear Deck            Lincoln     Approved   Approved   Approved Approved Approved 2026-09-01  Approved  NDPA          1500
    AR-2  Kahoot!              Washington  Approved   In Review  Pending  NR       NR       2026-10-01  Pending
    AR-3  Quizlet              Lincoln     Approved   In Review  Approved Approved Approved 2026-11-10  Pending
    AR-4  Nearpod              Washington  Approved   Approved   Approved Pending  Approved 2026-06-30  approved  State DPA     2400
    AR-5  Blooket              Lincoln     Approved   Denied     Approved NR       NR       2026-05-20  Denied
    AR-6  Canva for Education  Lincoln     Approved   Approved   Approved Approved Approved 2026-10-15  Approved  Vendor terms  (free)
    AR-7  Padlet               Washington  in review  Pending    -        -        -        2026-08-01  Pending
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ingest.load import ingest_paths
from tools.apps import (
    TOOLS,
    AppRequestsByReviewArgs,
    AppRequestsStuckArgs,
    ApprovedAppsArgs,
    app_requests_by_review,
    app_requests_stuck,
    approved_apps,
)

AS_OF = dt.date(2026, 11, 23)
LINCOLN, WASHINGTON = "Lincoln Elementary School", "Washington Middle School"
REQUESTS = (
    "Request ID,Product,Vendor,Requester,Requester Email,Building,Request Date,Curriculum Review,"
    "Privacy Review,Accessibility Review,Contract Review,Funding Review,Review Updated,"
    "Approval Status,Agreement Type,Annual Cost,Notes",
    f"AR-1,Pear Deck,GoGuardian,Ann Lee,ann@mvusd.org,{LINCOLN},2026-08-01,Approved,Approved,"
    "Approved,Approved,Approved,2026-09-01,Approved,NDPA,1500,",
    f"AR-2,Kahoot!,Kahoot,Bo Park,bo@mvusd.org,{WASHINGTON},2026-09-10,Approved,In Review,"
    "Pending,Not Required,Not Required,2026-10-01,Pending,,,",
    f"AR-3,Quizlet,Quizlet,Cy Diaz,cy@mvusd.org,{LINCOLN},2026-11-01,Approved,In Review,Approved,"
    "Approved,Approved,2026-11-10,Pending,,,",
    f"AR-4,Nearpod,Nearpod,Di Moss,di@mvusd.org,{WASHINGTON},2026-06-20,Approved,Approved,"
    'Approved,Pending,Approved,2026-06-30,approved,State DPA,"$2,400.00",',
    f"AR-5,Blooket,Blooket,Ed Gray,ed@mvusd.org,{LINCOLN},2026-05-01,Approved,Denied,Approved,"
    "Not Required,Not Required,2026-05-20,Denied,,,",
    f"AR-6,Canva for Education,Canva,Fay Wu,fay@mvusd.org,{LINCOLN},2026-10-01,Approved,Approved,"
    "Approved,Approved,Approved,2026-10-15,Approved,Vendor terms,,",
    f"AR-7,Padlet,Padlet,Gus Hill,gus@mvusd.org,{WASHINGTON},2026-07-15,in review,Pending,,,,"
    "2026-08-01,Pending,,,",
)


@pytest.fixture
def loaded(store, write_csv):
    reports = ingest_paths([write_csv("app_requests.csv", *REQUESTS)], store)
    assert (reports[0].record_type, reports[0].rejected) == ("app_request", 0)
    return store


def run(store, tool, args):
    with store.read_session() as session:
        return tool(session, args)


# --- app_requests_by_review --------------------------------------------------------------------


def test_the_grid_counts_requests_per_review_and_state(loaded) -> None:
    result = run(loaded, app_requests_by_review, AppRequestsByReviewArgs())
    grid = [(c.review, c.state, c.requests) for c in result.grid]
    assert grid == [
        ("curriculum", "Approved", 6),
        ("curriculum", "in review", 1),
        ("privacy", "Approved", 3),
        ("privacy", "In Review", 2),
        ("privacy", "Denied", 1),
        ("privacy", "Pending", 1),
        ("accessibility", "Approved", 5),
        ("accessibility", "(blank)", 1),
        ("accessibility", "Pending", 1),
        ("contract", "Approved", 3),
        ("contract", "Not Required", 2),
        ("contract", "(blank)", 1),
        ("contract", "Pending", 1),
        ("funding", "Approved", 4),
        ("funding", "Not Required", 2),
        ("funding", "(blank)", 1),
    ]
    assert result.count == 7  # no filter: every request


def test_requests_in_privacy_review_ignoring_case(loaded) -> None:
    result = run(
        loaded, app_requests_by_review, AppRequestsByReviewArgs(review="privacy", state="in review")
    )
    assert [(c.review, c.state, c.requests) for c in result.grid] == [("privacy", "In Review", 2)]
    assert [(r.request_id, r.product, r.privacy) for r in result.rows] == [
        ("AR-2", "Kahoot!", "In Review"),
        ("AR-3", "Quizlet", "In Review"),
    ]
    kahoot = result.rows[0]
    assert (kahoot.accessibility, kahoot.contract, kahoot.school) == (
        "Pending",
        "Not Required",
        WASHINGTON,
    )
    assert kahoot.review_updated == dt.date(2026, 10, 1)
    assert result.sources == ["app_requests.csv:3", "app_requests.csv:4"]
    assert kahoot.source == "app_requests.csv:3"


def test_any_review_pending_and_one_school(loaded) -> None:
    pending = run(loaded, app_requests_by_review, AppRequestsByReviewArgs(state="Pending"))
    # AR-2 (accessibility), AR-4 (contract), AR-7 (privacy), by request date.
    assert [r.request_id for r in pending.rows] == ["AR-4", "AR-7", "AR-2"]
    assert [(c.review, c.requests) for c in pending.grid] == [
        ("privacy", 1),
        ("accessibility", 1),
        ("contract", 1),
    ]
    lincoln = run(
        loaded,
        app_requests_by_review,
        AppRequestsByReviewArgs(review="privacy", school="lincoln elementary school"),
    )
    assert {c.state: c.requests for c in lincoln.grid} == {
        "Approved": 2,
        "In Review": 1,
        "Denied": 1,
    }
    assert lincoln.count == 4


def test_waiting_means_any_review_not_finished(loaded) -> None:
    waiting = run(loaded, app_requests_by_review, AppRequestsByReviewArgs(state="waiting"))
    # Pending or In Review anywhere: AR-4 and AR-7 (two each counted once), AR-2 and AR-3.
    assert [r.request_id for r in waiting.rows] == ["AR-4", "AR-7", "AR-2", "AR-3"]
    privacy = run(
        loaded, app_requests_by_review, AppRequestsByReviewArgs(review="privacy", state="waiting")
    )
    assert {c.state: c.requests for c in privacy.grid} == {"In Review": 2, "Pending": 1}


def test_a_state_nobody_is_in_gives_an_empty_answer(loaded) -> None:
    result = run(
        loaded, app_requests_by_review, AppRequestsByReviewArgs(review="funding", state="Denied")
    )
    assert (result.count, result.grid, result.rows, result.sources) == (0, [], [], [])


# --- app_requests_stuck ------------------------------------------------------------------------


def test_reviews_stuck_more_than_30_days_oldest_first(loaded) -> None:
    result = run(loaded, app_requests_stuck, AppRequestsStuckArgs(as_of=AS_OF))
    # Not updated since before Oct 24: AR-4 contract (Jun 30: 146 days), AR-7 curriculum and
    # privacy (Aug 1: 114 days), AR-2 privacy and accessibility (Oct 1: 53 days). AR-3's privacy
    # review moved on Nov 10; AR-7's blank reviews are not waiting.
    assert [(r.request_id, r.review, r.state, r.days_waiting) for r in result.rows] == [
        ("AR-4", "contract", "Pending", 146),
        ("AR-7", "curriculum", "in review", 114),
        ("AR-7", "privacy", "Pending", 114),
        ("AR-2", "privacy", "In Review", 53),
        ("AR-2", "accessibility", "Pending", 53),
    ]
    assert (result.count, result.requests) == (5, 3)
    assert result.notes == ["1 of these belongs to a request already marked Approved or Denied."]
    padlet = result.rows[1]
    assert (padlet.product, padlet.vendor, padlet.requester, padlet.school) == (
        "Padlet",
        "Padlet",
        "Gus Hill",
        WASHINGTON,
    )
    assert result.sources == ["app_requests.csv:5", "app_requests.csv:8", "app_requests.csv:3"]


def test_stuck_in_privacy_for_more_than_60_days(loaded) -> None:
    result = run(
        loaded, app_requests_stuck, AppRequestsStuckArgs(as_of=AS_OF, review="privacy", days=60)
    )
    assert [(r.product, r.days_waiting) for r in result.rows] == [("Padlet", 114)]


def test_stuck_across_july_1(loaded) -> None:
    # On Jul 2, 2026 AR-4's contract review (updated Jun 30, the last day of FY2026) has waited
    # 2 days; AR-5 was decided and nothing else had been requested yet.
    result = run(
        loaded, app_requests_stuck, AppRequestsStuckArgs(as_of=dt.date(2026, 7, 2), days=1)
    )
    assert [(r.product, r.review, r.days_waiting) for r in result.rows] == [
        ("Nearpod", "contract", 2)
    ]
    nothing = run(
        loaded, app_requests_stuck, AppRequestsStuckArgs(as_of=dt.date(2026, 7, 2), days=30)
    )
    assert (nothing.count, nothing.rows) == (0, [])


# --- approved_apps -----------------------------------------------------------------------------


def test_approved_apps_with_costs_and_agreements(loaded) -> None:
    result = run(loaded, approved_apps, ApprovedAppsArgs())
    # "approved" in any case: AR-1, AR-4 and AR-6; Canva is free (no cost on file).
    assert [(r.product, r.annual_cost, r.agreement_type) for r in result.rows] == [
        ("Canva for Education", None, "Vendor terms"),
        ("Nearpod", Decimal("2400.00"), "State DPA"),
        ("Pear Deck", Decimal("1500.00"), "NDPA"),
    ]
    assert result.total_annual_cost == Decimal("3900.00")
    assert result.by_agreement == {"NDPA": 1, "State DPA": 1, "Vendor terms": 1}
    assert result.notes == [
        "1 of these has no annual cost on file (free or unknown); the total leaves it out."
    ]
    assert result.sources == ["app_requests.csv:7", "app_requests.csv:5", "app_requests.csv:2"]


def test_approved_apps_for_one_school_or_vendor(loaded) -> None:
    lincoln = run(loaded, approved_apps, ApprovedAppsArgs(school=LINCOLN))
    assert [r.product for r in lincoln.rows] == ["Canva for Education", "Pear Deck"]
    assert lincoln.total_annual_cost == Decimal("1500.00")
    nearpod = run(loaded, approved_apps, ApprovedAppsArgs(vendor="nearpod"))
    assert [(r.product, r.vendor) for r in nearpod.rows] == [("Nearpod", "Nearpod")]
    nobody = run(loaded, approved_apps, ApprovedAppsArgs(vendor="Zzyzx Software"))
    assert (nobody.count, nobody.total_annual_cost) == (0, Decimal(0))
    assert nobody.notes == ['No vendor named like "Zzyzx Software" is in the data.']


def test_approved_apps_by_agreement_kind(loaded) -> None:
    def products(agreement: str) -> list[str]:
        return [
            r.product
            for r in run(loaded, approved_apps, ApprovedAppsArgs(agreement=agreement)).rows
        ]

    assert products("dpa") == ["Nearpod", "Pear Deck"]  # "NDPA" and "State DPA"
    assert products("Vendor Terms") == ["Canva for Education"]
    assert products("none") == []


def test_every_tool_declares_itself_for_the_planner() -> None:
    assert [t.name for t in TOOLS] == [
        "app_requests_by_review",
        "app_requests_stuck",
        "approved_apps",
    ]
    for tool in TOOLS:
        assert tool.func.__name__ == tool.name
        assert len(tool.description) >= 40 and len(tool.examples) >= 4
        assert all(f.description for f in tool.args_model.model_fields.values())
