"""tickets_list and ticket_counts on the two small help desk exports of test_tickets.py.

The tickets (see tests/tools/test_tickets.py for the whole table), as these tools see them:

    id    opened      closed      school      category
    1001  2026-09-01  open        Lincoln     Cracked screen
    1002  2026-11-20  open        Lincoln     Login/account
    1003  2026-11-02  2026-11-04  Washington  Battery
    1004  2026-06-29  2026-07-02  Washington  Liquid damage   subject "Juice spill"
    1005  2026-10-15  open        Washington  Liquid damage
    1006  2026-11-24  open        Lincoln     Login/account
     501  2026-11-09  open        Lincoln     Cracked screen
     502  2026-10-05  2026-10-05  Lincoln     Login/account
     503  2026-11-16  2026-11-17  Lincoln     Cracked screen
     504  (no date)   open        Washington  Battery
"""

from __future__ import annotations

import datetime as dt

import pytest

from ingest.load import ingest_paths
from tests.tools.test_tickets import INCIDENT_IQ, ZENDESK
from tools.ticket_lists import TicketCountsArgs, TicketListArgs, ticket_counts, tickets_list

NOV = {"start": dt.date(2026, 11, 1), "end": dt.date(2026, 11, 30)}


@pytest.fixture
def loaded(store, write_csv):
    reports = ingest_paths(
        [write_csv("iiq_tickets.csv", *INCIDENT_IQ), write_csv("zendesk.csv", *ZENDESK)], store
    )
    assert [r.rejected for r in reports] == [0, 0]
    return store


def listed(store, **args):
    with store.read_session() as session:
        return tickets_list(session, TicketListArgs(**args))


def counted(store, **args):
    with store.read_session() as session:
        return ticket_counts(session, TicketCountsArgs(**args))


def test_a_category_at_a_school_newest_first(loaded) -> None:
    result = listed(loaded, category="cracked screen", school="Lincoln Elementary School")
    assert [r.id for r in result.rows] == ["503", "501", "1001"]
    assert (result.count, result.open_count, result.closed_count) == (3, 2, 1)
    assert result.rows[0].opened == dt.date(2026, 11, 16)
    assert result.rows[0].closed == dt.date(2026, 11, 17)
    assert len(result.sources) == 3


def test_a_window_and_a_status(loaded) -> None:
    result = listed(loaded, status="closed", **NOV)
    assert [r.id for r in result.rows] == ["503", "1003"]
    assert [r.id for r in listed(loaded, status="open", **NOV).rows] == ["1006", "1002", "501"]


def test_free_text_words_and_the_limit(loaded) -> None:
    assert [r.id for r in listed(loaded, text="juice").rows] == ["1004"]
    assert [r.id for r in listed(loaded, text="spills").rows] == ["1004"]
    assert listed(loaded, text="juice unicorn").count == 0
    result = listed(loaded, limit=2)
    assert (result.count, len(result.rows)) == (10, 2)
    assert "Sources list 2 of the 10 tickets that match" in result.notes[0]


def test_an_unknown_school_is_said(loaded) -> None:
    result = listed(loaded, school="Springfield High")
    assert result.count == 0
    assert result.notes == ['No school named "Springfield High" is in the data.']


def test_counts_opened_in_a_window(loaded) -> None:
    result = counted(loaded, **NOV)
    assert (result.total, result.event, result.rows) == (5, "opened", [])


def test_two_months_side_by_side(loaded) -> None:
    result = counted(loaded, start=dt.date(2026, 10, 1), end=dt.date(2026, 11, 30),
                     group_by="month")  # fmt: skip
    assert [(r.group, r.tickets) for r in result.rows] == [("Oct 2026", 2), ("Nov 2026", 5)]
    assert result.total == 7


def test_counts_closed_per_school(loaded) -> None:
    result = counted(loaded, start=dt.date(2026, 10, 1), end=dt.date(2026, 11, 30),
                     event="closed", group_by="school")  # fmt: skip
    assert [(r.group, r.tickets) for r in result.rows] == [
        ("Lincoln Elementary School", 2),
        ("Washington Middle School", 1),
    ]
    assert counted(loaded, category="Battery", event="closed", **NOV).total == 1
