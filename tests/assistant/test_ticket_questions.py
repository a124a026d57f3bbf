"""Ticket questions reach the tool that answers them: a list, a count of a window, the backlog."""

from __future__ import annotations

import datetime as dt

from tests.assistant.test_planner import AS_OF, planner


def test_a_list_of_one_kind_at_one_school_in_one_month() -> None:
    plan = planner.plan("list the cracked screen tickets at Lincoln in October", AS_OF)
    assert plan.tool == "tickets_list"
    assert plan.args["category"] == "Cracked screen"
    assert plan.args["school"] == "Lincoln Elementary School"
    assert (plan.args["start"], plan.args["end"]) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


def test_a_list_reads_its_status_and_words_that_are_no_category() -> None:
    plan = planner.plan("show me the open battery tickets", AS_OF)
    assert (plan.tool, plan.args["status"], plan.args["category"]) == ("tickets_list", "open",
                                                                       "Battery")  # fmt: skip
    assert "text" not in plan.args
    plan = planner.plan("list the tickets at Lincoln in October about projector bulbs", AS_OF)
    assert (plan.tool, plan.args.get("text")) == ("tickets_list", "projector bulbs")


def test_a_count_of_a_past_month_is_not_the_backlog() -> None:
    plan = planner.plan("how many tickets were opened in March?", AS_OF)
    assert plan.tool == "ticket_counts"
    assert (plan.args["start"], plan.args["end"]) == (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    plan = planner.plan("how many tickets did we close last month?", AS_OF)
    assert (plan.tool, plan.args["event"]) == ("ticket_counts", "closed")
