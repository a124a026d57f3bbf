"""Ticket tools on two small help desk exports whose right answers are worked out here by hand.

Today (as_of) is Monday 2026-11-23. The tickets, with their ages on that day:

    system       id    opened            closed            school      category        assignee
    incident_iq  1001  2026-09-01 08:00  open              Lincoln     Cracked screen  Sam Tech   83 d
    incident_iq  1002  2026-11-20 10:00  open              Lincoln     Login/account   Sam Tech    3 d
    incident_iq  1003  2026-11-02 09:00  2026-11-04 09:00  Washington  Battery         Dana Fix   48 h
    incident_iq  1004  2026-06-29 08:00  2026-07-02 08:00  Washington  Liquid damage   Dana Fix   72 h
    incident_iq  1005  2026-10-15 12:00  open              Washington  Liquid damage   -          39 d
    incident_iq  1006  2026-11-24 09:00  open (after as_of) Lincoln    Login/account   Sam Tech
    zendesk       501  2026-11-09 10:00  open              Lincoln     Cracked screen  Sam Tech   14 d
    zendesk       502  2026-10-05 10:00  2026-10-05 22:00  Lincoln     Login/account   Sam Tech   12 h
    zendesk       503  2026-11-16 08:00  2026-11-17 08:00  Lincoln     Cracked screen  Sam Tech   24 h
    zendesk       504  (no date)         open              Washington  Battery         -
"""

from __future__ import annotations

import datetime as dt

import pytest

from ingest.load import ingest_paths
from tools.tickets import (
    TOOLS,
    OpenTicketsArgs,
    ResolutionTimeArgs,
    TicketVolumeTrendArgs,
    open_tickets,
    resolution_time,
    ticket_volume_trend,
)

AS_OF = dt.date(2026, 11, 23)
INCIDENT_IQ = (
    "TicketNumber,Subject,IssueDescription,CreatedDate,StartedDate,ClosedDate,IsClosed,"
    "WorkflowStep.StepName,Issue.Name,Location.Name,For.Name,AssignedToUser.Name,Priority,"
    "AssetTag,SerialNumber,Parts Cost,Labor Minutes",
    "1001,Screen cracked,Dropped it,2026-09-01 08:00,,,False,In Progress,Broken Screen,"
    "Lincoln Elementary School,Ann Lee,Sam Tech,High,,,,",
    "1002,Cannot log in,Forgot password,2026-11-20 10:00,,,False,New,Password Reset,"
    "Lincoln Elementary School,Bo Park,Sam Tech,Low,,,,",
    "1003,Battery dies,Won't hold a charge,2026-11-02 09:00,,2026-11-04 09:00,True,Resolved,"
    "Battery Issue,Washington Middle School,Cy Diaz,Dana Fix,Medium,,,35.00,30",
    "1004,Juice spill,Juice on keyboard,2026-06-29 08:00,,2026-07-02 08:00,True,Resolved,"
    "Liquid Spill,Washington Middle School,Di Moss,Dana Fix,High,,,80.00,45",
    "1005,Water damage,Left in the rain,2026-10-15 12:00,,,False,In Progress,Liquid Spill,"
    "Washington Middle School,Ed Gray,,High,,,,",
    "1006,Locked out,Account locked,2026-11-24 09:00,,,False,New,Password Reset,"
    "Lincoln Elementary School,Fay Wu,Sam Tech,Low,,,,",
)
ZENDESK = (
    "Id,Requester,Requester email,Assignee,Group,Subject,Description,Tags,Status,Priority,Via,"
    "Ticket type,Created at,Updated at,Solved at,Organization,Full resolution time in minutes,"
    "Device Serial [txt],Parts Cost [dec],Labor Minutes [int],Category [list]",
    "501,Gus Hill,gus@mvusd.org,Sam Tech,Support,Cracked screen,Screen broke,,open,normal,web,"
    "incident,2026-11-09 10:00,2026-11-10 10:00,,Lincoln Elem,,,,,cracked_screen",
    "502,Hal Ives,hal@mvusd.org,Sam Tech,Support,Login help,Cannot sign in,,solved,normal,email,"
    "question,2026-10-05 10:00,2026-10-05 22:00,2026-10-05 22:00,Lincoln Elem,720,,,,"
    "login_account",
    "503,Ivy Jones,ivy@mvusd.org,Sam Tech,Support,Screen cracked,Screen cracked,,closed,normal,"
    "web,incident,2026-11-16 08:00,2026-11-17 08:00,2026-11-17 08:00,Lincoln Elem,1440,,,,"
    "cracked_screen",
    "504,Jo King,jo@mvusd.org,,Support,Battery,Battery swollen,,pending,high,web,incident,,,,"
    "Washington Middle School,,,,,battery",
)


@pytest.fixture
def loaded(store, write_csv):
    reports = ingest_paths(
        [write_csv("iiq_tickets.csv", *INCIDENT_IQ), write_csv("zendesk.csv", *ZENDESK)], store
    )
    assert [r.rejected for r in reports] == [0, 0]
    return store


def run(store, tool, args):
    with store.read_session() as session:
        return tool(session, args)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# --- open_tickets ------------------------------------------------------------------------------


def test_backlog_by_school_counts_ages_and_medians(loaded) -> None:
    result = run(loaded, open_tickets, OpenTicketsArgs(as_of=AS_OF))
    by_school = {
        g.group: (g.open_count, g.oldest_age_days, g.median_age_days) for g in result.groups
    }
    # Lincoln: 1001 (83 d), 1002 (3 d), 501 (14 d): median 14.
    # Washington: 1005 (39 d) and 504 (no opened date: counted, no age).
    assert by_school == {
        "Lincoln Elementary School": (3, 83, 14.0),
        "Washington Middle School": (2, 39, 39.0),
    }
    assert [g.group for g in result.groups][0] == "Lincoln Elementary School"  # biggest first
    # Total: 5 open; ages 3, 14, 39, 83 -> median (14 + 39) / 2.
    assert (result.total.open_count, result.total.oldest_age_days) == (5, 83)
    assert result.total.median_age_days == 26.5
    assert result.count == 5
    assert result.notes == [
        "1 open ticket was opened after the as-of date and is left out.",
        "1 open ticket has no opened date: counted, with no age.",
    ]


def test_oldest_open_tickets_come_first_with_their_age(loaded) -> None:
    result = run(loaded, open_tickets, OpenTicketsArgs(as_of=AS_OF))
    assert [(r.system, r.id, r.age_days) for r in result.rows] == [
        ("incident_iq", "1001", 83),
        ("incident_iq", "1005", 39),
        ("zendesk", "501", 14),
        ("incident_iq", "1002", 3),
    ]
    first = result.rows[0]
    assert (first.school, first.category, first.assignee) == (
        "Lincoln Elementary School",
        "Cracked screen",
        "Sam Tech",
    )
    assert first.opened == dt.datetime(2026, 9, 1, 8, 0)
    assert first.source == "iiq_tickets.csv:2"


def test_older_than_30_days_and_unassigned_group(loaded) -> None:
    result = run(
        loaded, open_tickets, OpenTicketsArgs(as_of=AS_OF, older_than_days=30, group_by="assignee")
    )
    # Opened before Oct 24: 1001 (Sam Tech) and 1005 (nobody); 504 has no date, so cannot qualify.
    assert {g.group: g.open_count for g in result.groups} == {"Sam Tech": 1, "(unassigned)": 1}
    assert result.count == 2
    assert "1 open ticket has no opened date, so no age; not counted." in result.notes


def test_filters_school_by_alias_category_and_assignee(loaded) -> None:
    lincoln = run(loaded, open_tickets, OpenTicketsArgs(as_of=AS_OF, school="LINCOLN ELEM"))
    assert lincoln.count == 3
    screens = run(
        loaded,
        open_tickets,
        OpenTicketsArgs(as_of=AS_OF, category="cracked screen", group_by="system"),
    )
    assert {g.group: g.open_count for g in screens.groups} == {"incident_iq": 1, "zendesk": 1}
    sam = run(loaded, open_tickets, OpenTicketsArgs(as_of=AS_OF, assignee="sam"))
    assert sam.count == 3
    nowhere = run(loaded, open_tickets, OpenTicketsArgs(as_of=AS_OF, school="Atlantis High"))
    assert (nowhere.count, nowhere.rows) == (0, [])
    assert 'No school named "Atlantis High" is in the data.' in nowhere.notes


def test_open_ticket_sources_are_the_tickets_counted(loaded) -> None:
    result = run(
        loaded, open_tickets, OpenTicketsArgs(as_of=AS_OF, school="Washington Middle School")
    )
    assert sorted(result.sources) == ["iiq_tickets.csv:6", "zendesk.csv:5"]
    assert result.systems == ["incident_iq", "zendesk"]


# --- resolution_time ---------------------------------------------------------------------------


def test_resolution_time_by_category_for_the_fall(loaded) -> None:
    args = ResolutionTimeArgs(start=day("2026-09-01"), end=day("2026-11-30"))
    result = run(loaded, resolution_time, args)
    # Closed Sep-Nov: 1003 Battery 48 h, 502 Login/account 12 h, 503 Cracked screen 24 h.
    assert [(r.group, r.closed_count, r.average_hours) for r in result.rows] == [
        ("Battery", 1, 48.0),
        ("Cracked screen", 1, 24.0),
        ("Login/account", 1, 12.0),
    ]
    # Overall: (48 + 12 + 24) / 3 = 28 h; median 24 h = 1 day.
    assert (result.total.closed_count, result.total.average_hours) == (3, 28.0)
    assert (result.total.median_hours, result.total.median_days) == (24.0, 1.0)
    assert sorted(result.sources) == ["iiq_tickets.csv:4", "zendesk.csv:3", "zendesk.csv:4"]


def test_this_month_vs_last_month_vs_the_month_before(loaded) -> None:
    args = ResolutionTimeArgs(start=day("2026-09-01"), end=day("2026-11-30"), compare_periods=True)
    result = run(loaded, resolution_time, args)
    assert result.group_by == "month"
    assert [
        (r.group, r.closed_count, r.average_hours, r.median_hours, r.change_vs_previous_hours)
        for r in result.rows
    ] == [
        ("Sep 2026", 0, None, None, None),
        ("Oct 2026", 1, 12.0, 12.0, None),
        ("Nov 2026", 2, 36.0, 36.0, 24.0),  # (48 + 24) / 2 = 36, up 24 h from October
    ]


def test_a_period_across_july_1_and_a_partial_month(loaded) -> None:
    args = ResolutionTimeArgs(start=day("2026-06-15"), end=day("2026-07-15"), group_by="month")
    result = run(loaded, resolution_time, args)
    # 1004 opened Jun 29, closed Jul 2 (the new fiscal year): 72 h, counted in July.
    assert [(r.group, r.closed_count, r.average_days) for r in result.rows] == [
        ("Jun 2026", 0, None),
        ("Jul 2026", 1, 3.0),
    ]
    assert "Jun 2026 counts only Jun 15, 2026 – Jun 30, 2026." in result.notes


def test_resolution_for_one_school_overall(loaded) -> None:
    args = ResolutionTimeArgs(
        start=day("2026-01-01"),
        end=day("2026-12-31"),
        group_by=None,
        school="washington middle school",
    )
    result = run(loaded, resolution_time, args)
    # 1003 (48 h) and 1004 (72 h).
    assert [(r.group, r.closed_count, r.average_hours) for r in result.rows] == [
        ("All tickets", 2, 60.0)
    ]
    assert result.total.median_hours == 60.0


def test_resolution_in_an_empty_period(loaded) -> None:
    result = run(
        loaded, resolution_time, ResolutionTimeArgs(start=day("2030-01-01"), end=day("2030-03-31"))
    )
    assert (result.count, result.rows, result.total.average_hours) == (0, [], None)
    assert result.sources == []


# --- ticket_volume_trend -----------------------------------------------------------------------


def test_tickets_per_week_with_change_and_average(loaded) -> None:
    args = TicketVolumeTrendArgs(start=day("2026-11-02"), end=day("2026-11-22"))
    result = run(loaded, ticket_volume_trend, args)
    # Nov 2-8: 1003. Nov 9-15: 501. Nov 16-22: 503 and 1002.
    assert [(r.week_start, r.tickets) for r in result.rows] == [
        (day("2026-11-02"), 1),
        (day("2026-11-09"), 1),
        (day("2026-11-16"), 2),
    ]
    assert (result.total_tickets, result.average_per_week) == (4, 1.3)
    assert (result.last_week, result.previous_week, result.change_vs_previous_week) == (2, 1, 1)
    assert result.change_percent == 100.0
    assert result.notes == ["1 ticket has no opened date and is in no week."]
    assert sorted(result.sources) == [
        "iiq_tickets.csv:3",
        "iiq_tickets.csv:4",
        "zendesk.csv:2",
        "zendesk.csv:4",
    ]


def test_partial_weeks_and_weeks_with_none_across_july_1(loaded) -> None:
    # Sat Jun 27 - Wed Jul 8: weeks of Jun 22 (2 days), Jun 29 (1004), Jul 6 (3 days, none).
    args = TicketVolumeTrendArgs(
        start=day("2026-06-27"), end=day("2026-07-08"), category="Liquid damage"
    )
    result = run(loaded, ticket_volume_trend, args)
    assert [(r.week_start, r.tickets, r.days_in_window) for r in result.rows] == [
        (day("2026-06-22"), 0, 2),
        (day("2026-06-29"), 1, 7),
        (day("2026-07-06"), 0, 3),
    ]
    # Only the week of Jun 29 is whole: it is the last full week, with none before it.
    assert (result.last_week_start, result.last_week, result.previous_week) == (
        day("2026-06-29"),
        1,
        None,
    )
    assert (result.average_per_week, result.change_vs_previous_week) == (1.0, None)
    assert result.notes[0] == (
        "The week of 2026-06-22 is partial (2 of 7 days); the average and the weekly change "
        "use full weeks only."
    )
    assert len(result.notes) == 2


def test_a_window_ending_on_a_monday_compares_the_last_full_weeks(loaded) -> None:
    # "The past 3 weeks" on Monday Nov 23: Nov 3 - Nov 23. The week of Nov 23 has one day.
    args = TicketVolumeTrendArgs(start=day("2026-11-03"), end=AS_OF)
    result = run(loaded, ticket_volume_trend, args)
    assert [(r.week_start, r.tickets) for r in result.rows] == [
        (day("2026-11-02"), 0),  # 1003 opened Mon Nov 2, before the window
        (day("2026-11-09"), 1),
        (day("2026-11-16"), 2),
        (day("2026-11-23"), 0),
    ]
    assert (result.last_week_start, result.last_week, result.previous_week) == (
        day("2026-11-16"),
        2,
        1,
    )
    assert (result.average_per_week, result.change_percent) == (1.5, 100.0)


def test_trend_for_one_help_desk_and_an_empty_window(loaded) -> None:
    zendesk = run(
        loaded,
        ticket_volume_trend,
        TicketVolumeTrendArgs(start=day("2026-10-05"), end=day("2026-11-22"), system="Zendesk"),
    )
    assert zendesk.total_tickets == 3  # 502, 501, 503
    assert len(zendesk.rows) == 7
    empty = run(
        loaded,
        ticket_volume_trend,
        TicketVolumeTrendArgs(start=day("2030-01-07"), end=day("2030-01-20")),
    )
    assert (empty.total_tickets, empty.average_per_week, empty.change_vs_previous_week) == (
        0,
        0.0,
        0,
    )
    assert empty.sources == []


def test_every_tool_declares_itself_for_the_planner() -> None:
    assert [t.name for t in TOOLS] == ["open_tickets", "resolution_time", "ticket_volume_trend"]
    for tool in TOOLS:
        assert tool.func.__name__ == tool.name
        assert len(tool.description) >= 40 and len(tool.examples) >= 4
        assert all(
            description
            for description in (f.description for f in tool.args_model.model_fields.values())
        )
