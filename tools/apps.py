"""Instructional app requests: where each sits in its five reviews, what is stuck, what is approved.

Each request has one review row per kind of review (curriculum, privacy, accessibility, contract,
funding) with its state and the day it was last updated. The approval status of the request is
separate from its review states, as in LearnPlatform-style trackers. States are compared trimmed
and case-folded, so "In Review" and "in review" are one state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from ingest.fields import REVIEWS
from ingest.schema import AppRequest, AppReview, Location, SourceRecord, Vendor
from tools.base import ToolResult, ToolSpec, school_ids, sources_of
from tools.contracts import match_vendor_ids

ROW_CAP = 200
DONE_STATES = ("approved", "denied", "not required", "")
DECIDED = ("approved", "denied")
WAITING = "waiting"
"""The state word for "not done yet": any state outside ``DONE_STATES``."""
Review = Literal["curriculum", "privacy", "accessibility", "contract", "funding"]


def _request_filters(
    session: Session, school: str | None, notes: list[str], vendor: str | None = None
) -> list[ColumnElement[bool]]:
    """Conditions on app_requests for a school and a vendor (fuzzy); unknown names are noted."""
    conditions: list[ColumnElement[bool]] = []
    if school:
        ids = school_ids(session, school)
        if not ids:
            notes.append(f'No school named "{school}" is in the data.')
        conditions.append(AppRequest.location_id.in_(ids))
    if vendor:
        vendor_ids = match_vendor_ids(session, vendor)
        if not vendor_ids:
            notes.append(f'No vendor named like "{vendor}" is in the data.')
        conditions.append(AppRequest.vendor_id.in_(vendor_ids))
    return conditions


def _state_key(column: Any = AppReview.state) -> ColumnElement[str]:
    return func.lower(func.trim(column))


def _review_order() -> ColumnElement[int]:
    return case({name: i for i, name in enumerate(REVIEWS)}, value=AppReview.review)


def _ref_map(session: Session, ids: Sequence[int | None]) -> dict[int, str]:
    """'file:row' of each source record id (for the rows shown)."""
    wanted = [i for i in dict.fromkeys(ids) if i is not None]
    query = select(SourceRecord.id, SourceRecord.file, SourceRecord.row)
    found = session.execute(query.where(SourceRecord.id.in_(wanted)))
    return {record_id: f"{file}:{row}" for record_id, file, row in found}


def _capped(total: int, shown: int, notes: list[str]) -> None:
    if total > shown:
        notes.append(f"Showing the first {shown} of {total}; the counts cover all of them.")


# --- app_requests_by_review --------------------------------------------------------------------


class AppRequestsByReviewArgs(BaseModel):
    """Which reviews and states to count, optionally for one school."""

    review: Review | None = Field(default=None, description="Only this review.")
    state: str | None = Field(
        default=None,
        description='Only reviews in this state, e.g. "In Review" or "Pending"; "waiting" means '
        "any state not yet finished (not approved, denied or not required).",
    )
    school: str | None = Field(default=None, description="Only requests from this school.")


class ReviewCell(BaseModel):
    """How many requests are in one state of one review."""

    review: str
    state: str
    requests: int


class AppRequestRow(BaseModel):
    """One request with the state of each of its reviews."""

    request_id: str
    product: str
    vendor: str | None
    requester: str | None
    school: str | None
    request_date: dt.date | None
    approval_status: str | None
    curriculum: str | None
    privacy: str | None
    accessibility: str | None
    contract: str | None
    funding: str | None
    review_updated: dt.date | None
    source: str | None = None


class AppRequestsByReviewResult(ToolResult):
    """Requests per review and state (the grid), and the requests matching the filters."""

    grid: list[ReviewCell]
    rows: list[AppRequestRow]


def app_requests_by_review(
    session: Session, args: AppRequestsByReviewArgs
) -> AppRequestsByReviewResult:
    """Counts of requests per review and state, and the requests with a matching review.

    A request matches when one of its reviews matches ``review`` and ``state`` (every request
    matches when neither is given). A blank state is shown as "(blank)".
    """
    notes: list[str] = []
    on_request = _request_filters(session, args.school, notes)
    on_review: list[ColumnElement[bool]] = []
    if args.review:
        on_review.append(AppReview.review == args.review)
    if args.state and args.state.strip().lower() == WAITING:
        on_review.append(_state_key().not_in(DONE_STATES))
    elif args.state:
        on_review.append(_state_key() == args.state.strip().lower())
    cells = session.execute(
        select(AppReview.review, func.max(func.trim(AppReview.state)), func.count())
        .join(AppRequest, AppRequest.id == AppReview.app_request_id)
        .where(*on_request, *on_review)
        .group_by(AppReview.review, _state_key())
    ).all()
    grid = [ReviewCell(review=r, state=state or "(blank)", requests=n) for r, state, n in cells]
    grid.sort(key=lambda c: (REVIEWS.index(c.review), -c.requests, c.state.lower()))
    if on_review:
        matching = select(AppReview.app_request_id).where(*on_review)
        on_request.append(AppRequest.id.in_(matching))
    total = session.scalar(select(func.count(AppRequest.id)).where(*on_request)) or 0
    found = _requests_with_states(session, on_request)
    _capped(total, len(found), notes)
    rows = _request_rows(session, found)
    refs, systems = sources_of(session, [row[0].source_record_id for row in found])
    return AppRequestsByReviewResult(
        grid=grid, rows=rows, count=total, sources=refs, systems=systems, notes=notes
    )


def _requests_with_states(session: Session, conditions: list[ColumnElement[bool]]) -> list[Any]:
    """Each request with its vendor, school, the state of each review and the last update."""
    states = [func.max(case((AppReview.review == r, AppReview.state))) for r in REVIEWS]
    return list(
        session.execute(
            select(AppRequest, Vendor.name, Location.name, *states, func.max(AppReview.updated_on))
            .join(AppReview, AppReview.app_request_id == AppRequest.id)
            .outerjoin(Vendor, Vendor.id == AppRequest.vendor_id)
            .outerjoin(Location, Location.id == AppRequest.location_id)
            .where(*conditions)
            .group_by(AppRequest.id, Vendor.name, Location.name)
            .order_by(AppRequest.request_date, AppRequest.request_id)
            .limit(ROW_CAP)
        )
    )


def _request_rows(session: Session, found: list[Any]) -> list[AppRequestRow]:
    ref_by_id = _ref_map(session, [row[0].source_record_id for row in found])
    rows = []
    for request, vendor, school, *states, updated in found:
        rows.append(
            AppRequestRow(
                request_id=request.request_id,
                product=request.product,
                vendor=vendor,
                requester=request.requester,
                school=school,
                request_date=request.request_date,
                approval_status=request.approval_status,
                **dict(zip(REVIEWS, states, strict=True)),
                review_updated=updated,
                source=ref_by_id.get(request.source_record_id or -1),
            )  # fmt: skip
        )
    return rows


# --- app_requests_stuck ------------------------------------------------------------------------


class AppRequestsStuckArgs(BaseModel):
    """How long a review may wait before it counts as stuck."""

    review: Review | None = Field(default=None, description="Only this review.")
    days: int = Field(default=30, ge=0, description="Stuck when not updated for more than this.")
    school: str | None = Field(default=None, description="Only requests from this school.")
    as_of: dt.date = Field(description="Today, for how long each review has waited.")


class StuckRow(BaseModel):
    """One review still waiting on a request."""

    request_id: str
    product: str
    vendor: str | None
    requester: str | None
    school: str | None
    review: str
    state: str
    updated_on: dt.date
    days_waiting: int
    approval_status: str | None
    source: str | None = None


class AppRequestsStuckResult(ToolResult):
    """Reviews waiting longer than the limit, oldest first."""

    as_of: dt.date
    days: int
    rows: list[StuckRow]
    requests: int = Field(description="Distinct requests with a stuck review.")


def app_requests_stuck(session: Session, args: AppRequestsStuckArgs) -> AppRequestsStuckResult:
    """Reviews still pending (any state but Approved, Denied, Not Required or blank) whose last
    update is more than ``days`` days before as_of, oldest first; one row per review.

    Waiting reviews with no update date are counted in the notes; so are stuck reviews on
    requests whose approval status is already Approved or Denied.
    """
    notes: list[str] = []
    waiting = [
        AppReview.state.is_not(None),
        _state_key().not_in(DONE_STATES),
        *([AppReview.review == args.review] if args.review else []),
        *_request_filters(session, args.school, notes),
    ]
    base = select(AppReview.id).join(AppRequest, AppRequest.id == AppReview.app_request_id)
    undated = session.scalar(
        base.with_only_columns(func.count()).where(*waiting, AppReview.updated_on.is_(None))
    )
    if undated:
        have = "review has" if undated == 1 else "reviews have"
        notes.append(f"{undated} waiting {have} no update date, so cannot be aged; not listed.")
    cutoff = args.as_of - dt.timedelta(days=args.days)
    stuck = base.where(*waiting, AppReview.updated_on < cutoff)
    total, requests = session.execute(
        stuck.with_only_columns(func.count(), func.count(AppReview.app_request_id.distinct()))
    ).one()
    found = session.execute(
        stuck.with_only_columns(AppReview, AppRequest, Vendor.name, Location.name)
        .outerjoin(Vendor, Vendor.id == AppRequest.vendor_id)
        .outerjoin(Location, Location.id == AppRequest.location_id)
        .order_by(AppReview.updated_on, AppRequest.product, AppRequest.request_id, _review_order())
        .limit(ROW_CAP)
    ).all()
    _capped(total, len(found), notes)
    decided = sum(1 for _, r, _, _ in found if _state_key_of(r.approval_status) in DECIDED)
    if decided:
        belongs = "belongs to a request" if decided == 1 else "belong to requests"
        notes.append(f"{decided} of these {belongs} already marked Approved or Denied.")
    ref_by_id = _ref_map(session, [r.source_record_id for _, r, _, _ in found])
    rows = [
        _stuck_row(review, request, vendor, school, args.as_of, ref_by_id)
        for review, request, vendor, school in found
    ]
    refs, systems = sources_of(session, [r.source_record_id for _, r, _, _ in found])
    return AppRequestsStuckResult(
        as_of=args.as_of, days=args.days, rows=rows, requests=requests, count=total,
        sources=refs, systems=systems, notes=notes,
    )  # fmt: skip


def _state_key_of(text: str | None) -> str:
    return (text or "").strip().lower()


def _stuck_row(
    review: AppReview,
    request: AppRequest,
    vendor: str | None,
    school: str | None,
    as_of: dt.date,
    ref_by_id: dict[int, str],
) -> StuckRow:
    updated = review.updated_on or as_of
    return StuckRow(
        request_id=request.request_id, product=request.product, vendor=vendor,
        requester=request.requester, school=school, review=review.review,
        state=(review.state or "").strip(), updated_on=updated,
        days_waiting=(as_of - updated).days, approval_status=request.approval_status,
        source=ref_by_id.get(request.source_record_id or -1),
    )  # fmt: skip


# --- approved_apps -----------------------------------------------------------------------------


class ApprovedAppsArgs(BaseModel):
    """Which approved apps to list."""

    school: str | None = Field(default=None, description="Only apps requested by this school.")
    vendor: str | None = Field(default=None, description="Only this vendor (fuzzy).")
    agreement: str | None = Field(
        default=None,
        description='Only apps whose agreement type contains this (any case), e.g. "vendor terms" '
        'or "DPA"; "none" means no agreement on file.',
    )


class ApprovedAppRow(BaseModel):
    """One approved app with its cost and its privacy agreement."""

    request_id: str
    product: str
    vendor: str | None
    school: str | None
    requester: str | None
    annual_cost: Decimal | None
    agreement_type: str | None
    source: str | None = None


class ApprovedAppsResult(ToolResult):
    """Approved apps by product, with their total annual cost and agreements by type."""

    rows: list[ApprovedAppRow]
    total_annual_cost: Decimal
    by_agreement: dict[str, int] = Field(description="Approved apps per agreement type.")


def _agreement_filter(agreement: str | None) -> list[ColumnElement[bool]]:
    """Agreement type contains the words (any case); "none" is a blank agreement."""
    if not agreement or not agreement.strip():
        return []
    word = agreement.strip().lower()
    kind = func.lower(func.trim(AppRequest.agreement_type))
    if word == "none":
        return [func.coalesce(kind, "") == ""]
    return [kind.contains(word, autoescape=True)]


def approved_apps(session: Session, args: ApprovedAppsArgs) -> ApprovedAppsResult:
    """Requests whose approval status is "approved" (any case), with annual cost and agreement.

    Apps with no annual cost on file (free, or unknown) are listed and left out of the total.
    """
    notes: list[str] = []
    conditions = [
        _state_key(AppRequest.approval_status) == "approved",
        *_request_filters(session, args.school, notes, args.vendor),
        *_agreement_filter(args.agreement),
    ]
    total, cost, unpriced = session.execute(
        select(
            func.count(AppRequest.id),
            func.coalesce(func.sum(AppRequest.annual_cost), 0),
            func.coalesce(func.sum(case((AppRequest.annual_cost.is_(None), 1), else_=0)), 0),
        ).where(*conditions)
    ).one()
    agreement = func.trim(AppRequest.agreement_type)
    by_agreement = {
        kind or "(none on file)": n
        for kind, n in session.execute(
            select(agreement, func.count())
            .where(*conditions)
            .group_by(agreement)
            .order_by(agreement)
        )
    }
    found = session.execute(
        select(AppRequest, Vendor.name, Location.name)
        .outerjoin(Vendor, Vendor.id == AppRequest.vendor_id)
        .outerjoin(Location, Location.id == AppRequest.location_id)
        .where(*conditions)
        .order_by(AppRequest.product, AppRequest.request_id)
        .limit(ROW_CAP)
    ).all()
    _capped(total, len(found), notes)
    if unpriced:
        has, them = ("has", "it") if unpriced == 1 else ("have", "them")
        notes.append(
            f"{unpriced} of these {has} no annual cost on file (free or unknown); "
            f"the total leaves {them} out."
        )
    ref_by_id = _ref_map(session, [r.source_record_id for r, _, _ in found])
    rows = [
        ApprovedAppRow(
            request_id=r.request_id,
            product=r.product,
            vendor=vendor,
            school=school,
            requester=r.requester,
            annual_cost=r.annual_cost,
            agreement_type=r.agreement_type,
            source=ref_by_id.get(r.source_record_id or -1),
        )  # fmt: skip
        for r, vendor, school in found
    ]
    refs, systems = sources_of(session, [r.source_record_id for r, _, _ in found])
    return ApprovedAppsResult(
        rows=rows, total_annual_cost=Decimal(cost), by_agreement=by_agreement, count=total,
        sources=refs, systems=systems, notes=notes,
    )  # fmt: skip


TOOLS = (
    ToolSpec(
        name="app_requests_by_review",
        measures=("count", "list"),
        func=app_requests_by_review,
        args_model=AppRequestsByReviewArgs,
        description=(
            "Instructional app requests by review (curriculum, privacy/DPA, accessibility, "
            "contract, funding) and state: a grid of counts per review and state, and the "
            "requests matching a review, a state or a school, with each review's state."
        ),
        examples=(
            "how many app requests are in privacy review?",
            "which app requests are pending accessibility review?",
            "where do the app approval requests stand?",
            "show app requests from Lincoln and their review status",
            "which apps are still waiting on a DPA review?",
            "what's the status of the software request for Blooket?",
            "how many app requests were denied?",
            "app requests in curriculum review at the middle school",
            "which requested apps still need a funding review?",
        ),
        domain="apps",
        keywords=("app request", "approval", "status", "stand", "denied", "where do"),
        default_window=None,
    ),
    ToolSpec(
        name="app_requests_stuck",
        measures=("age", "list"),
        func=app_requests_stuck,
        args_model=AppRequestsStuckArgs,
        description=(
            "App request reviews that are stuck: still pending or in review with no update for "
            "more than N days (30 by default), oldest first, with product, vendor, requester, "
            "school, review, state and days waiting."
        ),
        examples=(
            "which app requests have been stuck in privacy review for more than 30 days?",
            "what app reviews are overdue?",
            "which app requests have been pending longer than 60 days?",
            "are any app approvals waiting too long?",
            "which software requests have had no update in over a month?",
            "app reviews that have been held up the longest",
            "which accessibility reviews are stalled?",
            "requests that have not moved in 45 days",
        ),
        domain="apps",
        keywords=("stuck", "stalled", "overdue", "too long", "longer than", "held up", "no update"),
        default_window=None,
    ),
    ToolSpec(
        name="approved_apps",
        measures=("list", "cost"),
        func=approved_apps,
        args_model=ApprovedAppsArgs,
        description=(
            "Approved instructional apps: each app's vendor, school, annual cost and privacy "
            "agreement type (NDPA, state DPA or vendor terms), with the total annual cost; "
            "optionally for one school or vendor."
        ),
        examples=(
            "which apps are approved?",
            "how much do our approved apps cost per year?",
            "list the approved apps at Washington Middle School",
            "which approved apps only have vendor terms and no DPA?",
            "what instructional software has been cleared for use?",
            "which approved apps have a signed data privacy agreement?",
            "what do we spend on approved apps from Google?",
            "can teachers use Kami? is it approved?",
        ),
        domain="apps",
        keywords=("approved", "passed", "cleared", "allowed", "permitted", "okay to use"),
        default_window=None,
        sensitive=True,
    ),
)
