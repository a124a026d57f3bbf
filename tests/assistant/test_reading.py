"""Reading a question before its slots: numbers in words, shorthand, and asks that are refused."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.reading import normalise, refused_ask
from tests.assistant.test_planner import AS_OF, planner


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("renewals in the next ninety days", "renewals in the next 90 days"),
        ("anything losing warranty in a fortnight?", "anything losing warranty in 2 weeks?"),
        ("open more than three weeks", "open more than 3 weeks"),
        ("past six wks", "past 6 weeks"),
        ("the top five models", "the top 5 models"),
        ("twenty-one days", "21 days"),
        ("this qtr thru march", "this quarter through march"),
        ("battery tickets from October", "battery tickets in October"),
        ("from October to March", "from October to March"),
        ("which one is oldest?", "which one is oldest?"),
    ],
)
def test_numbers_in_words_and_shorthand(written: str, read: str) -> None:
    assert normalise(written) == read


def test_durations_in_words_become_windows() -> None:
    plan = planner.plan("what renews in the next ninety days?", AS_OF)
    assert (plan.args["start"], plan.args["end"]) == (dt.date(2026, 11, 24), dt.date(2027, 2, 21))
    plan = planner.plan("warranties ending in the next fortnight", AS_OF)
    assert plan.args["end"] == dt.date(2026, 12, 7)


@pytest.mark.parametrize(
    "ask",
    ["cancel the Google contract", "email the principal the list of open tickets",
     "close out every ticket older than 90 days", "should we stop buying Lenovo laptops?",
     "how many tickets should we expect in January?",
     "what's the student to device ratio at Lincoln?", "help desk satisfaction scores this month",
     "average hold time on the help desk phone line"],
)  # fmt: skip
def test_acting_and_advice_are_declined_with_a_reason(ask: str) -> None:
    assert refused_ask(ask) is not None
    plan = planner.plan(ask, AS_OF)
    assert plan.tool is None and plan.reason


@pytest.mark.parametrize(
    "ask",
    ["closed tickets last month", "how much should we budget for device refresh?",
     "which devices should already have been replaced?", "renewals due by March"],
)  # fmt: skip
def test_questions_about_the_data_are_not_declined_as_acts(ask: str) -> None:
    assert refused_ask(ask) is None


def test_two_months_compared_span_both_month_by_month() -> None:
    plan = planner.plan("tickets opened in September vs October", AS_OF)
    assert (plan.tool, plan.args["group_by"]) == ("ticket_counts", "month")
    assert (plan.args["start"], plan.args["end"]) == (dt.date(2026, 9, 1), dt.date(2026, 10, 31))
    plan = planner.plan("resolution time october vs november", AS_OF)
    assert (plan.args["start"], plan.args["end"]) == (dt.date(2026, 10, 1), dt.date(2026, 11, 30))


def test_an_opening_verb_is_no_vendor_and_notes_about_prices_are_no_forecast() -> None:
    plan = planner.plan(
        "look thru contract notes for anything about a multi-year price lock", AS_OF
    )
    assert plan.slots.unknown is None and plan.reason is None and plan.tool is not None
    plan = planner.plan("any contract notes mentioning price increases?", AS_OF)
    assert plan.tool == "search_text"
    assert planner.plan("will software prices go up next year?", AS_OF).tool is None
