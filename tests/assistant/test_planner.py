"""The offline planner: windows, names from the data, follow-ups, and saying no."""

from __future__ import annotations

import datetime as dt

from assistant.planner import PRICE_FORECAST_REASON, Planner
from assistant.slots import (
    find_agreement,
    find_days,
    find_grouping,
    find_serial,
    find_state,
    find_status,
    is_follow_up,
)
from tools.catalog import KnownNames
from tools.dates import FiscalCalendar

AS_OF = dt.date(2026, 11, 23)
KNOWN = KnownNames(
    vendors=("Google", "GoGuardian", "HP", "Dell Marketing", "Curriculum Associates"),
    schools=("Lincoln Elementary School", "Maple Valley High School", "Maple Valley Middle School"),
    categories=("Chromebook", "Laptop"),
    manufacturers=("HP", "Dell", "Lenovo"),
    models=("HP Chromebook 11 G9 EE", "Lenovo 300e Chromebook Gen 2", "Latitude 3440"),
    funding_sources=("E-Rate", "General Fund"),
    ticket_categories=("Cracked screen", "Liquid damage", "Battery"),
)
planner = Planner(KNOWN, FiscalCalendar())


def test_a_renewal_question_gets_its_fiscal_quarter() -> None:
    plan = planner.plan("what renews next quarter?", AS_OF)
    assert plan.tool == "contracts_renewing"
    assert (plan.args["start"], plan.args["end"]) == (dt.date(2027, 1, 1), dt.date(2027, 3, 31))


def test_names_come_from_the_data_not_the_question() -> None:
    plan = planner.plan("when does our google contract renew?", AS_OF)
    assert plan.args["vendor"] == "Google"
    assert planner.plan("which E-Rate contracts renew next year?", AS_OF).args == {
        "start": dt.date(2027, 7, 1), "end": dt.date(2028, 6, 30), "funding_source": "E-Rate"
    }  # fmt: skip


def test_a_name_the_data_does_not_hold_is_declined_by_name() -> None:
    plan = planner.plan("what does the Oracle contract cost?", AS_OF)
    assert plan.tool is None
    assert plan.reason is not None and plan.reason.startswith(
        "I don't see a vendor named Oracle in the data; vendors I know include"
    )
    school = planner.plan("how many chromebooks are at Springfield High?", AS_OF)
    assert school.tool is None and "school named Springfield High" in (school.reason or "")


def test_a_name_two_schools_share_is_asked_about_not_guessed() -> None:
    plan = planner.plan("how many devices are at Maple Valley?", AS_OF)
    assert plan.tool is None
    assert plan.reason == (
        "Maple Valley could be Maple Valley High School or Maple Valley Middle School; "
        "which school do you mean?"
    )


def test_ordinary_words_are_not_taken_for_names() -> None:
    for question in (
        "which software contracts renew next quarter?",
        "how reliable are our broken laptops?",
        "app requests from students in privacy review",
        "open tickets at the high school",
    ):
        plan = planner.plan(question, AS_OF)
        assert plan.tool is not None and plan.slots.unknown is None, question
    review = planner.plan("how many app requests are pending curriculum review?", AS_OF)
    assert (review.tool, review.args) == (
        "app_requests_by_review", {"review": "curriculum", "state": "waiting"}
    )  # fmt: skip
    dell = planner.plan("when does the dell contract renew?", AS_OF)
    assert dell.args["vendor"] == "Dell Marketing"  # a one-word form, written where a name goes


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
        plan = planner.plan(question, AS_OF)
        assert (plan.tool, plan.reason) == (None, None)


def test_follow_up_phrases() -> None:
    assert is_follow_up("and the quarter after?")
    assert is_follow_up("what about the HP ones?")
    assert is_follow_up("same for last year")
    assert is_follow_up("only at Lincoln")
    assert not is_follow_up("which contracts renew in the next 90 days?")


def test_groupings_and_categories_become_arguments() -> None:
    plan = planner.plan("how many chromebooks reach end of support next fiscal year?", AS_OF)
    assert plan.tool == "end_of_support"  # Google's end of updates, not the replacement cycle
    assert (plan.args["start"], plan.args["end"]) == (dt.date(2027, 7, 1), dt.date(2028, 6, 30))
    due = planner.plan("how many chromebooks are due for replacement next fiscal year?", AS_OF)
    assert (due.tool, due.args["category"]) == ("devices_due_for_replacement", "Chromebook")
    most = planner.plan("which school has the most devices due for replacement next year?", AS_OF)
    assert (most.tool, most.args["group_by"]) == ("devices_due_for_replacement", "school")
    assert planner.plan("open tickets by category", AS_OF).args["group_by"] == "category"
    assert planner.plan("replacement budget per school", AS_OF).args["by"] == "school"
    assert find_grouping("open tickets for each technician") == "assignee"
    assert find_grouping("device count by brand") == "manufacturer"


def test_ticket_categories_go_to_ticket_tools_and_device_categories_to_device_tools() -> None:
    tickets = planner.plan("how many cracked screen tickets are open at Lincoln?", AS_OF)
    assert tickets.tool == "open_tickets"
    assert (tickets.args["category"], tickets.args["school"]) == (
        "Cracked screen", "Lincoln Elementary School",
    )  # fmt: skip
    failures = planner.plan("what problems do the Lenovo 300e Chromebooks have?", AS_OF)
    assert failures.tool == "failure_categories"
    assert failures.args["model"] == "Lenovo 300e Chromebook Gen 2"


def test_numbers_in_the_question_become_arguments() -> None:
    assert find_days("waiting more than 30 days") == 30
    assert find_days("no update in over a month") is None or find_days("over a month") == 30
    stuck = planner.plan("which app requests have been pending longer than 60 days?", AS_OF)
    assert (stuck.tool, stuck.args["days"]) == ("app_requests_stuck", 60)
    budget = planner.plan("what will device replacements cost over the next 5 years?", AS_OF)
    assert (budget.tool, budget.args["years"]) == ("replacement_budget", 5)


def test_serials_and_asset_tags_are_read_from_the_question() -> None:
    assert find_serial("what's happened to 5CD951SF5M?") == ("5CD951SF5M", "5CD951SF5M")
    assert find_serial("show every ticket for asset tag MV010520") == (None, "MV010520")
    assert find_serial("tickets in FY2027 Q3") == (None, None)
    plan = planner.plan("has ZZ99NOPE1 ever been repaired?", AS_OF)
    assert (plan.tool, plan.args) == (
        "repair_history", {"serial": "ZZ99NOPE1", "asset_tag": "ZZ99NOPE1"}
    )  # fmt: skip


def test_an_unknown_serial_is_declined_when_the_data_can_be_asked() -> None:
    known = {"5CD951SF5M"}
    asks = Planner(KNOWN, FiscalCalendar(), device_known=lambda serial, tag: serial in known)
    assert asks.plan("what's happened to 5CD951SF5M?", AS_OF).tool == "repair_history"
    plan = asks.plan("has ZZ99NOPE1 ever been repaired?", AS_OF)
    assert plan.tool is None
    assert plan.reason == "I don't see a device with serial or asset tag ZZ99NOPE1 in the data."


def test_price_forecasts_are_declined_but_replacement_costs_are_not() -> None:
    for question in (
        "how much will Chromebooks cost in 2030?",
        "which vendors will raise their prices next year?",
        "what will inflation do to our software costs?",
    ):
        plan = planner.plan(question, AS_OF)
        assert (plan.tool, plan.reason) == (None, PRICE_FORECAST_REASON), question
    assert planner.plan("what will replacing Chromebooks cost next year?", AS_OF).tool == (
        "replacement_budget"
    )


def test_review_states_device_statuses_and_agreements_are_read() -> None:
    assert find_state("which privacy reviews are still pending?") == "waiting"
    assert find_state("requests not done yet in accessibility") == "waiting"
    assert find_state("which requests were denied?") == "Denied"
    assert find_state("how many requests are there?") is None
    assert find_status("how many retired laptops do we have?") == "retired"
    assert find_status("devices out of service at Lincoln") == "retired"
    assert find_status("every Chromebook we ever had") == "all"
    assert find_status("which devices are lost?") == "lost"
    assert find_status("how many chromebooks at Lincoln?") is None
    assert find_agreement("which approved apps only have vendor terms?") == "vendor terms"
    assert find_agreement("approved apps without a DPA") == "none"
    assert find_agreement("approved apps with a data privacy agreement") == "dpa"
    assert find_agreement("which apps are approved?") is None


def test_wording_that_changes_which_tool_answers() -> None:
    assert planner.plan("what breaks most on Chromebooks?", AS_OF).tool == "failure_categories"
    assert planner.plan("which model breaks most?", AS_OF).tool == "break_fix_rate"
    aside = planner.plan("what should we set aside for replacing devices in FY28?", AS_OF)
    assert aside.tool == "replacement_budget"
    assert planner.plan("what needs replacing next year?", AS_OF).tool == (
        "devices_due_for_replacement"
    )
    former = planner.plan("which former employees still have laptops?", AS_OF)
    assert former.tool != "departures_with_devices"
