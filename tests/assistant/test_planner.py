"""The offline planner: windows, names from the data, follow-ups, and saying no."""

from __future__ import annotations

import datetime as dt

from assistant.planner import Planner, is_follow_up
from tools.catalog import KnownNames
from tools.dates import FiscalCalendar

AS_OF = dt.date(2026, 11, 23)
planner = Planner(
    KnownNames(vendors=("Google", "GoGuardian"), schools=("Lincoln Elementary School",),
               categories=("Chromebook", "Laptop")),
    FiscalCalendar(),
)  # fmt: skip


def test_a_renewal_question_gets_its_fiscal_quarter() -> None:
    plan = planner.plan("what renews next quarter?", AS_OF)
    assert plan.tool == "contracts_renewing"
    assert (plan.args["start"], plan.args["end"]) == (dt.date(2027, 1, 1), dt.date(2027, 3, 31))


def test_names_come_from_the_data_not_the_question() -> None:
    plan = planner.plan("when does our google contract renew?", AS_OF)
    assert plan.args["vendor"] == "Google"
    plan = planner.plan("when does our Oracle contract renew?", AS_OF)
    assert "vendor" not in plan.args


def test_a_follow_up_keeps_the_tool_and_shifts_the_window() -> None:
    first = planner.plan("what renews next quarter?", AS_OF)
    after = planner.plan("and the quarter after?", AS_OF, first.slots, first.tool)
    assert after.tool == "contracts_renewing"
    assert (after.args["start"], after.args["end"]) == (dt.date(2027, 4, 1), dt.date(2027, 6, 30))
    only = planner.plan("only the google ones", AS_OF, after.slots, after.tool)
    assert only.args["vendor"] == "Google"
    assert only.args["start"] == dt.date(2027, 4, 1)


def test_a_new_question_does_not_inherit_the_last_ones_names() -> None:
    first = planner.plan("when does our google contract renew?", AS_OF)
    fresh = planner.plan("what renews before June 30?", AS_OF, first.slots, first.tool)
    assert "vendor" not in fresh.args


def test_it_declines_what_no_tool_answers() -> None:
    for question in ("what is the superintendent's salary?", "what is the weather tomorrow?"):
        assert planner.plan(question, AS_OF).tool is None


def test_follow_up_phrases() -> None:
    assert is_follow_up("and the quarter after?")
    assert is_follow_up("what about the HP ones?")
    assert not is_follow_up("which contracts renew in the next 90 days?")


def test_groupings_and_categories_become_arguments() -> None:
    plan = planner.plan("how many chromebooks reach end of support next fiscal year?", AS_OF)
    assert plan.tool == "devices_due_for_replacement"
    assert plan.args["category"] == "Chromebook"
    assert (plan.args["start"], plan.args["end"]) == (dt.date(2027, 7, 1), dt.date(2028, 6, 30))
    assert planner.plan("open tickets by category", AS_OF).args["group_by"] == "category"
