"""The weekly digest: one object built from the tools, shown as text, JSON, Block Kit and charts.

``build_digest(store, settings, as_of)`` runs the same read-only tools as every answer and keeps
the sections the ``digest_sections`` setting names, in that order. ``Digest`` is what
``digest --json`` prints and ``GET /digest`` returns; ``post_digest`` sends it to Slack with the
charts as PNG files (``files_upload_v2``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field
from slack_sdk import WebClient

import prompts
from assistant import compose
from assistant.settings import DIGEST_SECTIONS, Settings
from ingest.db import Store
from tools.base import ToolResult
from tools.dates import format_range
from tools.quality import DataQualityArgs, data_quality
from tools.registry import get_tool

SHOWN = 5
TREND_WEEKS = 12
AGING_DAYS = 30
DEPARTED_DAYS = 60  # departures: people who left in the last 60 days ...
LEAVING_DAYS = 30  # ... or leave in the next 30, and still hold devices


class DigestSection(BaseModel):
    """One section: a headline, a few records, the figures behind them and where they came from."""

    key: str
    title: str
    summary: str = Field(description="The headline, Slack mrkdwn.")
    lines: list[str] = Field(default_factory=list, description=f"Up to {SHOWN} records.")
    more: int = Field(default=0, description="Records not shown in lines.")
    figures: dict[str, Any] = Field(default_factory=dict, description="The numbers, for scripts.")
    source: str = Field(default="", description="The 'from:' line: systems, files and rows.")


class ChartPoint(BaseModel):
    """One bar of a chart."""

    label: str
    value: float


class DigestChart(BaseModel):
    """The data of one chart; ``assistant.charts.render_png`` draws it."""

    key: str
    title: str
    y_label: str
    unit: Literal["count", "money"]
    filename: str
    points: list[ChartPoint]


class Digest(BaseModel):
    """This week's digest."""

    as_of: dt.date
    week: str = Field(description="ISO week, e.g. 2026-W48: the key that posts it once a week.")
    title: str
    sections: list[DigestSection]
    charts: list[DigestChart]

    def text(self) -> str:
        """The digest as Slack mrkdwn (what ``district-assistant digest`` prints)."""
        return prompts.render("digest.md", digest=self)


def week_key(day: dt.date) -> str:
    """The ISO week of a day, '2026-W48'."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class _Run:
    """The store, the date and a cache, so sections that share a tool call run it once."""

    store: Store
    settings: Settings
    as_of: dt.date
    charts: list[DigestChart] = field(default_factory=list)
    _cache: dict[str, ToolResult] = field(default_factory=dict)

    def tool(self, name: str, **args: Any) -> Any:
        key = f"{name}:{sorted(args.items())}"
        if key not in self._cache:
            self._cache[key] = get_tool(name).run(self.store, args)
        return self._cache[key]

    def days(self, n: int) -> dt.date:
        return self.as_of + dt.timedelta(days=n)


def build_digest(store: Store, settings: Settings, as_of: dt.date | None = None) -> Digest:
    """The digest as of a day (default: today in the district's time zone)."""
    run = _Run(store, settings, as_of or settings.today())
    sections = [_BUILDERS[key](run) for key in settings.digest_sections]
    return Digest(
        as_of=run.as_of, week=week_key(run.as_of), sections=sections, charts=run.charts,
        title=f"Weekly digest, week of {compose.day(run.as_of - dt.timedelta(run.as_of.weekday()))}",
    )  # fmt: skip


# --- sections --------------------------------------------------------------------------------


def _renewals(run: _Run) -> DigestSection:
    result = run.tool("contracts_renewing", start=run.as_of, end=run.days(90))
    buckets = {"next_30_days": (0, 30), "days_31_to_60": (31, 60), "days_61_to_90": (61, 90)}
    figures: dict[str, Any] = {"count": result.count, "annual_cost": result.total_annual_cost}
    for name, (low, high) in buckets.items():
        rows = [r for r in result.rows if low <= (r.renewal_date - run.as_of).days <= high]
        figures[name] = {"count": len(rows), "annual_cost": _total(r.annual_cost for r in rows)}
    summary = (
        f"*{_n(result.count, 'contract')} renew in the next 90 days*, "
        f"{compose.money(result.total_annual_cost)} a year: "
        f"{figures['next_30_days']['count']} within 30 days, "
        f"{figures['days_31_to_60']['count']} in 31–60, {figures['days_61_to_90']['count']} in 61–90."
    )
    return _section("renewals", "Renewals", summary, [_contract(r) for r in result.rows],
                    figures, compose.from_line(result))  # fmt: skip


def _missed_deadlines(run: _Run) -> DigestSection:
    result = run.tool("notice_deadlines", kind="missed", as_of=run.as_of)
    missed = result.rows
    cost = _total(r.annual_cost for r in missed)
    auto = sum(1 for r in missed if r.auto_renew)
    summary = (
        f"*{_n(len(missed), 'notice deadline')} {'has' if len(missed) == 1 else 'have'} passed* "
        "on contracts that still renew, "
        f"{compose.money(cost)} a year; {auto} of them auto-renew."
        if missed
        else "*No notice deadline has passed* on a contract that still renews."
    )
    lines = [
        f"*{r.vendor}* — {r.product}: cancel-by was {compose.day(r.notice_deadline)}, renews "
        f"{compose.day(r.renewal_date)}, {compose.renews_how(r.auto_renew)}, {_per_year(r.annual_cost)}"
        for r in missed
    ]
    figures = {"count": len(missed), "annual_cost": cost, "auto_renew": auto}
    return _section("missed_deadlines", "Deadlines missed", summary, lines, figures,
                    compose.from_line(result) if missed else "")  # fmt: skip


def _replacements(run: _Run) -> DigestSection:
    calendar = run.settings.fiscal_calendar
    fy, quarter = calendar.quarter(run.as_of)
    first = 1 if quarter <= 2 else 3
    start, end = calendar.quarter_bounds(fy, first)[0], calendar.quarter_bounds(fy, first + 1)[1]
    due = run.tool(
        "devices_due_for_replacement", start=start, end=end, as_of=run.as_of, limit=SHOWN
    )
    budget = run.tool("replacement_budget", as_of=run.as_of, years=3)
    following = budget.years[0]
    summary = (
        f"*{_n(due.count, 'device')} reach replacement or AUE this term* "
        f"({format_range(start, end)}), about {compose.money(due.estimated_cost)}. "
        f"Next fiscal year ({following.fiscal_year}): {_n(following.count, 'device')}, "
        f"{compose.money(following.cost)}."
    )
    if due.overdue:
        summary += f" {_n(due.overdue, 'more device')} are already past their date."
    lines = [
        f"{category}: {n} ({compose.money(due.cost_by_category.get(category))})"
        for category, n in sorted(due.by_category.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    years = [{"fiscal_year": y.fiscal_year, "count": y.count, "cost": y.cost} for y in budget.years]
    run.charts.append(DigestChart(
        key="replacement_budget", title="Replacement budget by fiscal year", y_label="dollars",
        unit="money", filename="replacement-budget.png",
        points=[ChartPoint(label=y.fiscal_year, value=float(y.cost)) for y in budget.years],
    ))  # fmt: skip
    figures = {"count": due.count, "estimated_cost": due.estimated_cost, "overdue": due.overdue,
               "by_category": due.by_category, "budget": years}  # fmt: skip
    return _section("replacements", "Device replacement", summary, lines, figures,
                    compose.from_line(due))  # fmt: skip


COMMITMENT_YEARS = 3


def _commitments(run: _Run) -> DigestSection:
    """One line: renewals plus replacements the next fiscal years commit the district to."""
    result = run.tool("spend_commitments", as_of=run.as_of, years=COMMITMENT_YEARS)
    years = ", ".join(f"{r.fiscal_year} {compose.money(r.total)}" for r in result.rows)
    summary = (
        f"*{compose.money(result.total)} committed over the next {_n(len(result.rows), 'fiscal year')}*"
        f" ({years}): {compose.money(result.total_renewal_cost)} in contract renewals, "
        f"{compose.money(result.total_replacement_cost)} in device replacement."
    )
    figures = {"total": result.total, "renewals": result.total_renewal_cost,
               "replacements": result.total_replacement_cost,
               "years": [{"fiscal_year": r.fiscal_year, "renewals": r.renewal_cost,
                          "replacements": r.replacement_cost, "total": r.total}
                         for r in result.rows]}  # fmt: skip
    return _section(
        "commitments", "Committed spend", summary, [], figures, compose.from_line(result)
    )


def _tickets(run: _Run) -> DigestSection:
    backlog = run.tool("open_tickets", as_of=run.as_of, group_by="school")
    monday = run.as_of - dt.timedelta(days=run.as_of.weekday())
    trend = run.tool("ticket_volume_trend", start=monday - dt.timedelta(weeks=TREND_WEEKS),
                     end=run.as_of)  # fmt: skip
    total = backlog.total
    summary = f"*{_n(total.open_count, 'open ticket')}*"
    if total.oldest_age_days is not None:
        summary += f", the oldest {total.oldest_age_days} days old"
    summary += "."
    if trend.last_week is not None and trend.change_vs_previous_week is not None:
        percent = f", {trend.change_percent:+.1f}%" if trend.change_percent is not None else ""
        summary += (
            f" {trend.last_week} opened in the week of {compose.day(trend.last_week_start)}, "
            f"{trend.change_vs_previous_week:+d} against the week before{percent}."
        )
    lines = [f"{g.group}: {g.open_count} open, oldest {g.oldest_age_days} days"
             for g in backlog.groups]  # fmt: skip
    full = [row for row in trend.rows if row.days_in_window == 7]
    run.charts.append(DigestChart(
        key="ticket_trend", title="Tickets opened per week", y_label="tickets", unit="count",
        filename="ticket-trend.png",
        points=[ChartPoint(label=row.week_start.strftime("%b %d"), value=row.tickets) for row in full],
    ))  # fmt: skip
    figures = {"open": total.open_count, "oldest_age_days": total.oldest_age_days,
               "last_week": trend.last_week, "previous_week": trend.previous_week,
               "change_vs_previous_week": trend.change_vs_previous_week,
               "weeks": [{"week_start": r.week_start, "tickets": r.tickets} for r in full]}  # fmt: skip
    return _section("tickets", "Ticket backlog", summary, lines, figures,
                    compose.from_line(backlog))  # fmt: skip


def _aging_tickets(run: _Run) -> DigestSection:
    aged = run.tool("open_tickets", as_of=run.as_of, older_than_days=AGING_DAYS, group_by="school")
    summary = f"*{_n(aged.count, 'ticket')} open more than {AGING_DAYS} days.*"
    lines = [
        f"{t.id} ({compose.SYSTEM_LABELS.get(t.system, t.system)}), {t.school or 'no school'}: "
        f"{t.subject or t.category or 'no subject'}, {t.age_days} days"
        for t in aged.rows
    ]
    return _section("aging_tickets", f"Tickets older than {AGING_DAYS} days", summary, lines,
                    {"count": aged.count}, compose.from_line(aged), more=aged.count - SHOWN)  # fmt: skip


def _departures(run: _Run) -> DigestSection:
    start, end = run.days(-DEPARTED_DAYS), run.days(LEAVING_DAYS)
    result = run.tool("departures_with_devices", start=start, end=end)
    summary = (
        f"*{_n(result.people, 'person')} leaving or recently gone still hold "
        f"{_n(result.devices, 'device')}* ({format_range(start, end)})."
    )
    lines = [
        f"{r.name or r.email} ({r.school or 'no school'}), "
        f"{'left' if r.end_date < run.as_of else 'leaves'} {compose.day(r.end_date)}: "
        f"{', '.join(r.devices)}"
        for r in result.rows
    ]
    figures = {"people": result.people, "devices": result.devices}
    return _section("departures", "Departures with devices", summary, lines, figures,
                    compose.from_line(result))  # fmt: skip


def _approvals(run: _Run) -> DigestSection:
    result = run.tool("app_requests_stuck", as_of=run.as_of)
    summary = (
        f"*{_n(result.requests, 'app request')} waiting on a review*: "
        f"{_n(result.count, 'review')} not updated in more than {result.days} days."
    )
    lines = [
        f"{r.product} ({r.requester or 'unknown requester'}, {r.school or 'no school'}): "
        f"{r.review} review {r.state}, {r.days_waiting} days"
        for r in result.rows
    ]
    figures = {"requests": result.requests, "reviews": result.count, "days": result.days}
    return _section("approvals", "Approvals waiting", summary, lines, figures,
                    compose.from_line(result), more=result.count - SHOWN)  # fmt: skip


def _data_quality(run: _Run) -> DigestSection:
    with run.store.read_session() as session:
        report = data_quality(session, DataQualityArgs(limit=SHOWN))
    problems = {name: n for name, n in report.summary.items() if name != "devices" and n}
    summary = (
        f"*{_n(sum(problems.values()), 'data quality issue')}* to fix in the source systems."
        if problems
        else "*No data quality issues.*"
    )
    lines = [f"{name}: {n:,}" for name, n in problems.items()]
    return _section("data_quality", "Data quality", summary, lines, dict(report.summary), "")


_BUILDERS: dict[str, Callable[[_Run], DigestSection]] = {
    "renewals": _renewals,
    "missed_deadlines": _missed_deadlines,
    "replacements": _replacements,
    "commitments": _commitments,
    "tickets": _tickets,
    "aging_tickets": _aging_tickets,
    "departures": _departures,
    "approvals": _approvals,
    "data_quality": _data_quality,
}
assert tuple(_BUILDERS) == DIGEST_SECTIONS, "every digest section needs a builder"


def _section(
    key: str, title: str, summary: str, lines: list[str], figures: dict[str, Any], source: str,
    *, more: int | None = None,
) -> DigestSection:  # fmt: skip
    more = max(len(lines) - SHOWN if more is None else more, 0)
    return DigestSection(key=key, title=title, summary=summary, lines=lines[:SHOWN], more=more,
                         figures=figures, source=source)  # fmt: skip


def _contract(row: Any) -> str:
    deadline = (
        f"cancel by {compose.day(row.notice_deadline)}"
        if row.notice_deadline
        else "no notice period on file"
    )
    return (f"*{row.vendor}* — {row.product}: renews {compose.day(row.renewal_date)}, {deadline}, "
            f"{_per_year(row.annual_cost)}")  # fmt: skip


def _per_year(cost: Decimal | None) -> str:
    return f"{compose.money(cost)}/yr" if cost is not None else "no cost on file"


def _total(values: Any) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))


def _n(n: int, noun: str) -> str:
    if n == 1:
        return f"1 {noun}"
    plural = noun[:-6] + "people" if noun.endswith("person") else noun + "s"
    return f"{n:,} {plural}"


# --- Slack -----------------------------------------------------------------------------------


def digest_blocks(digest: Digest) -> list[dict[str, Any]]:
    """Block Kit: a header, then per section its text and a "from:" context line."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": digest.title[:150]}}
    ]
    for section in digest.sections:
        text = "\n".join(
            [f"*{section.title}*", section.summary, *(f"• {x}" for x in section.lines)]
        )
        if section.more:
            text += f"\n…and {section.more} more."
        blocks += [
            {"type": "divider"},
            {"type": "section", "text": {"type": "mrkdwn", "text": text[:2900]}},
        ]
        if section.source:
            blocks.append(
                {"type": "context", "elements": [{"type": "mrkdwn", "text": section.source[:2900]}]}
            )
    return blocks


def post_digest(client: WebClient, digest: Digest, channel: str) -> str:
    """Post the digest to a channel, then its charts as PNG files; returns the message ts.

    Raises:
        slack_sdk.errors.SlackApiError: Slack refused a call (e.g. not_in_channel).
    """
    from assistant.charts import render_png

    posted = client.chat_postMessage(
        channel=channel, text=digest.text(), blocks=digest_blocks(digest)
    )
    if digest.charts:
        uploads = [{"file": render_png(c), "filename": c.filename, "title": c.title, "alt_txt": c.title}
                   for c in digest.charts]  # fmt: skip
        client.files_upload_v2(channel=channel, file_uploads=uploads,
                               initial_comment=f"Charts for the {digest.title.lower()}")  # fmt: skip
    return str(posted["ts"])
