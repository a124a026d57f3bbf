"""A help desk's first file gathers its resolution seconds as it goes: the rows SQL would give."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from ingest import sample
from ingest.load import ingest_paths
from ingest.rollups import refresh_ticket_days
from ingest.schema import TicketClosedDay, TicketClosedValues, TicketOpenedDay

DAY_TABLES = (TicketOpenedDay, TicketClosedDay, TicketClosedValues)
HEADER = (
    "TicketNumber,Subject,CreatedDate,ClosedDate,IsClosed,WorkflowStep.StepName,Issue.Name,"
    "Location.Name"
)
ROWS = (
    "1,open,2026-09-01 08:00,,False,In Progress,Broken Screen,Lincoln Elementary School",
    "2,timed,2026-09-01 09:00,2026-09-03 09:00,True,Resolved,Broken Screen,Lincoln Elementary School",
    "3,timed elsewhere,2026-09-01 09:00,2026-09-03 10:00,True,Resolved,Broken Screen,Washington Middle School",
    "4,reopened,2026-09-02 08:00,2026-09-03 08:00,False,In Progress,Battery Issue,Lincoln Elementary School",
    "5,closed undated,,2026-09-03 08:00,True,Resolved,Battery Issue,",
    "6,backwards,2026-09-05 08:00,2026-09-03 08:00,True,Resolved,Battery Issue,Lincoln Elementary School",
    "7,no closed date,2026-09-01 08:00,,True,Resolved,,Lincoln Elementary School",
    "8,no school,2026-09-01 08:00,2026-09-01 18:00,True,Closed,Password Reset,",
    "9,repeat,2026-09-01 08:00,2026-09-01 18:00,True,Closed,Password Reset,",
    "9,a repeat of 9: not counted,2026-09-02 08:00,,False,New,Password Reset,",
)  # fmt: skip


def day_rows(store) -> list[list[tuple]]:
    with store.read_session() as session:
        return [
            sorted(
                (tuple(getattr(row, c.name) for c in model.__table__.columns if c.name != "id")
                 for row in session.scalars(select(model))),
                key=repr,
            )
            for model in DAY_TABLES
        ]  # fmt: skip


def recounted_in_sql(store, system: str) -> list[list[tuple]]:
    with store.session() as session:
        refresh_ticket_days(session, system)
    return day_rows(store)


def test_a_first_file_counts_every_kind_of_ticket_as_sql_would(store, write_csv) -> None:
    (report,) = ingest_paths([write_csv("tickets.csv", HEADER, *ROWS)], store)
    assert (report.inserted, report.rejected) == (9, 1)
    counted = day_rows(store)
    opened, closed, values = counted
    assert sum(row[-1] for row in opened if row[0] is False) == 9  # tickets, per school
    assert len(values) > 0 and len(closed) > 0
    assert recounted_in_sql(store, report.system) == counted


def test_the_sample_district_counts_as_sql_would(store, tmp_path: Path) -> None:
    sample.generate(tmp_path)
    ingest_paths([tmp_path], store)
    counted = day_rows(store)
    assert all(counted)
    systems = {row[4] for row in counted[0]}
    assert len(systems) >= 2  # every help desk of the sample
    for system in systems:
        assert recounted_in_sql(store, system) == counted


@pytest.mark.parametrize("second", ["same file again", "newer export"])
def test_a_later_file_of_the_same_desk_is_recounted_in_sql(store, write_csv, second) -> None:
    (first,) = ingest_paths([write_csv("tickets.csv", HEADER, *ROWS)], store)
    newer = ROWS[:3] if second == "newer export" else ROWS
    ingest_paths(
        [write_csv("tickets-2.csv", HEADER, *newer, "10,new,2026-09-09 08:00,,False,New,,")], store
    )
    counted = day_rows(store)
    assert sum(row[-1] for row in counted[0] if row[0] is False) == 10
    assert recounted_in_sql(store, first.system) == counted
