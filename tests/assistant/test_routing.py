"""Routing by meaning: the same question asked five ways gets the same call; the rest is declined.

None of the phrasings below is one of the tools' example questions (a test checks that), so they
show how the planner does on wording nobody wrote down. The names are the sample district's.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from pathlib import Path

import numpy as np
import pytest

from assistant.answer import Assistant, Conversation
from assistant.planner import THRESHOLD, Planner
from assistant.routing import Router
from ingest.load import ingest_paths
from tools.catalog import KnownNames
from tools.dates import FiscalCalendar
from tools.registry import TOOLS

AS_OF = dt.date(2026, 11, 23)
KNOWN = KnownNames(
    vendors=("Google", "Microsoft", "HP", "Dell Marketing", "Zoom Video Communications", "Kami"),
    schools=("Lincoln Elementary School", "Westview High School", "Hawthorne Middle School"),
    categories=("Chromebook", "Laptop", "Tablet", "Interactive Display"),
    manufacturers=("HP", "Dell", "Lenovo", "Apple"),
    models=("HP Chromebook 11 G9 EE", "Lenovo 300e Chromebook Gen 2", "Latitude 3440"),
    funding_sources=("E-Rate", "General Fund", "ESSER"),
    ticket_categories=("Cracked screen", "Liquid damage", "Battery", "Keyboard"),
    systems=("incident_iq", "zendesk", "snipe_it", "google_admin"),
    people=(("Nathan Delgado", "nathan.delgado@maplevalleyusd.org"),),
    products=(("Zoom for Education", "Zoom Video Communications"), ("Blooket", "Blooket")),
)
planner = Planner(KNOWN, FiscalCalendar())
NEXT_QUARTER = {"start": dt.date(2027, 1, 1), "end": dt.date(2027, 3, 31)}
NEXT_FY = {"start": dt.date(2027, 7, 1), "end": dt.date(2028, 6, 30)}
NEXT_12_MONTHS = {"start": dt.date(2026, 11, 24), "end": dt.date(2027, 11, 23)}
NEXT_30_DAYS = {"start": dt.date(2026, 11, 24), "end": dt.date(2026, 12, 23)}

FIVE_WAYS = [
    ("contracts_renewing", {**NEXT_12_MONTHS, "vendor": "Google"}, (
        "when is the Google contract up for renewal?",
        "what's the renewal date on our Google subscription?",
        "when do we have to renew with Google?",
        "Google contract renewal date?",
        "when does Google's agreement come up for renewal?",
    )),
    ("contracts_renewing", NEXT_QUARTER, (
        "what contracts come up for renewal next quarter?",
        "which subscriptions renew in the next quarter?",
        "anything up for renewal next quarter?",
        "list next quarter's renewals",
        "what agreements expire next quarter?",
    )),
    ("devices_due_for_replacement", {**NEXT_FY, "as_of": AS_OF}, (
        "what devices need replacing next fiscal year?",
        "which machines are due to be swapped out next fiscal year?",
        "what hardware should we refresh next fiscal year?",
        "how many devices reach end of life next fiscal year?",
        "which computers hit their replacement date next fiscal year?",
    )),
    ("devices_list", {"school": "Lincoln Elementary School", "category": "Chromebook"}, (
        "how many chromebooks are at Lincoln?",
        "chromebook count at Lincoln Elementary",
        "what's the number of chromebooks at Lincoln?",
        "how many chromebooks does Lincoln have?",
        "count the chromebooks at Lincoln Elementary School",
    )),
    ("open_tickets", {"group_by": "school", "as_of": AS_OF}, (
        "how many tickets are still open at each school?",
        "open ticket count by school",
        "which schools have the most unresolved tickets?",
        "what's the backlog of open tickets per school?",
        "show me open help desk tickets by building",
    )),
    ("resolution_time", {"start": dt.date(2026, 8, 26), "end": AS_OF}, (
        "how long does it take us to close tickets?",
        "what's the average time to resolve a ticket?",
        "how quickly are tickets getting fixed?",
        "average ticket resolution time",
        "what's our mean time to resolution?",
    )),
    ("break_fix_rate", {"as_of": AS_OF}, (
        "which models have the highest repair rate?",
        "what devices break most often?",
        "repair rate per model",
        "which device model needs the most repairs?",
        "which models are the least reliable?",
    )),
    ("cost_of_ownership", {"category": "Chromebook", "group_by": "category", "as_of": AS_OF}, (
        "what does it cost us to own a Chromebook?",
        "total cost of ownership for chromebooks",
        "how much do chromebooks cost over their lifetime including repairs?",
        "what's the all-in cost of a chromebook?",
        "chromebook TCO",
    )),
    ("app_requests_stuck", {"review": "privacy", "as_of": AS_OF}, (
        "which app requests are stuck in privacy review?",
        "what apps have been sitting in privacy review too long?",
        "privacy reviews that are overdue",
        "which privacy reviews have stalled?",
        "app requests waiting a long time on privacy review",
    )),
    ("departures_with_devices", NEXT_30_DAYS, (
        "which staff are leaving and still have a device?",
        "departing employees who haven't turned in their laptops",
        "who's leaving soon with district equipment still checked out?",
        "people with an upcoming last day who still hold devices",
        "staff exiting soon who still have devices to collect",
    )),
    ("warranty_expiring", {"start": dt.date(2026, 11, 24), "end": dt.date(2027, 2, 21),
                           "category": "Chromebook"}, (
        "which chromebooks are going out of warranty soon?",
        "chromebook warranties ending soon",
        "what chromebook warranty coverage is about to lapse?",
        "are any of our chromebooks about to lose warranty coverage?",
        "list chromebooks whose warranty runs out soon",
    )),
    ("former_staff_with_devices", {"as_of": AS_OF}, (
        "which devices belong to people who have left?",
        "devices still assigned to ex-employees",
        "are there laptops checked out to people no longer on staff?",
        "equipment assigned to staff who aren't in HR anymore",
        "former staff who still have district devices",
    )),
    ("repair_history", {"serial": "5CD951SF5M", "asset_tag": "5CD951SF5M"}, (
        "show the repair history for serial 5CD951SF5M",
        "has 5CD951SF5M ever been fixed?",
        "tickets for device 5CD951SF5M",
        "what's happened to 5CD951SF5M?",
        "5CD951SF5M repair record",
    )),
]  # fmt: skip

# One more phrasing per tool, written after the tools' examples and kept out of tuning at first
# (27 of these 30 were right before; the three misses taught the owner cue and "gone 90 days").
ACROSS_THE_CATALOG = [
    ("contracts_renewing", "which of our software deals are set to auto-renew before summer?"),
    ("contracts_renewing", "when does the Zoom agreement expire?"),
    ("contracts_renewing", "what's the total cost of contracts renewing this fiscal year?"),
    ("devices_list", "how many desktops are in the district?"),
    ("devices_list", "which devices are assigned to Nathan Delgado?"),
    ("devices_list", "number of devices per manufacturer"),
    ("warranty_expiring", "when do the warranties run out on the Westview laptops?"),
    ("warranty_expiring", "list warranties expiring in the next 6 months"),
    ("devices_due_for_replacement", "what's due for refresh in FY2028?"),
    ("devices_due_for_replacement", "which iPads are past end of life?"),
    ("replacement_budget", "how much should we budget for new chromebooks over the next 3 years?"),
    ("replacement_budget", "what's the 5-year refresh cost by school?"),
    ("repair_history", "what repairs has MV013169 had?"),
    ("break_fix_rate", "what's our repair rate for Dell devices?"),
    ("break_fix_rate", "which model goes to the repair shop most often?"),
    ("cost_of_ownership", "which device category costs the most to keep running?"),
    ("failure_categories", "what's the most common thing that breaks on chromebooks?"),
    ("open_tickets", "how big is the ticket backlog right now?"),
    ("open_tickets", "which unresolved tickets are the oldest at Westview?"),
    ("resolution_time", "average days to close a ticket by school this year"),
    ("resolution_time", "how long are keyboard repairs taking?"),
    ("ticket_volume_trend", "how many new tickets did we get each week this fall?"),
    ("departures_with_devices", "who has a last day coming up and still holds a chromebook?"),
    ("new_staff_without_devices", "are new hires getting their devices in time?"),
    (
        "devices_of_people_not_in_roster",
        "which laptops are assigned to people missing from the HR roster?",
    ),
    ("app_requests_by_review", "how many app requests are waiting on privacy?"),
    ("app_requests_stuck", "which app requests have gone 90 days with no movement?"),
    ("approved_apps", "which approved apps lack a DPA?"),
    ("search_text", "tickets that say the camera is blurry"),
]

OUT_OF_CATALOG = (
    "what's the superintendent's salary?",
    "how many students are enrolled?",
    "what's the weather?",
    "who won the game?",
    "which teacher has the best test scores?",
    "what's for lunch today?",
    "when is the next board meeting?",
    "how many buses do we run?",
    "what's the attendance rate at Lincoln?",
    "tell me a joke",
    "how many teachers do we employ?",
    "what is our total annual budget?",
)


def test_no_phrasing_here_is_a_tool_example() -> None:
    examples = {example.lower() for spec in TOOLS for example in spec.examples}
    assert not {q.lower() for _, _, qs in FIVE_WAYS for q in qs} & examples


@pytest.mark.parametrize(("tool", "args", "phrasings"), FIVE_WAYS, ids=[f[0] for f in FIVE_WAYS])
def test_the_same_question_asked_five_ways_gets_the_same_call(tool, args, phrasings) -> None:
    for question in phrasings:
        plan = planner.plan(question, AS_OF)
        assert (plan.tool, plan.args) == (tool, args), question


@pytest.mark.parametrize(("tool", "question"), ACROSS_THE_CATALOG)
def test_one_more_phrasing_per_tool_finds_its_tool(tool, question) -> None:
    assert planner.plan(question, AS_OF).tool == tool


def test_names_numbers_and_groupings_of_those_phrasings() -> None:
    def args(question: str) -> dict:
        return planner.plan(question, AS_OF).args

    assert args("which devices are assigned to Nathan Delgado?")["owner"] == (
        "nathan.delgado@maplevalleyusd.org"
    )
    assert args("which app requests have gone 90 days with no movement?")["days"] == 90
    assert args("what's the 5-year refresh cost by school?")["years"] == 5
    assert args("what's the 5-year refresh cost by school?")["by"] == "school"
    assert args("when does the Zoom agreement expire?")["vendor"] == "Zoom Video Communications"
    assert args("number of devices per manufacturer")["group_by"] == "manufacturer"
    assert args("how long are keyboard repairs taking?")["category"] == "Keyboard"
    trend = args("how many tickets came in each week in October?")
    assert (trend["start"], trend["end"]) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


@pytest.mark.parametrize("question", OUT_OF_CATALOG)
def test_questions_the_data_cannot_answer_are_declined(question) -> None:
    plan = planner.plan(question, AS_OF)
    assert plan.tool is None
    assert max(plan.scores.values()) < THRESHOLD


def test_the_threshold_separates_every_phrasing_here_from_every_refusal() -> None:
    lowest_answered = min(
        max(planner.plan(q, AS_OF).scores.values()) for _, _, qs in FIVE_WAYS for q in qs
    )
    highest_declined = max(max(planner.plan(q, AS_OF).scores.values()) for q in OUT_OF_CATALOG)
    assert highest_declined < THRESHOLD <= lowest_answered


def test_follow_ups_keep_the_previous_slots() -> None:
    first = planner.plan("how reliable are our chromebooks?", AS_OF)
    assert (first.tool, first.args["category"]) == ("break_fix_rate", "Chromebook")
    hp = planner.plan("what about the HP ones?", AS_OF, first.slots, first.tool)
    assert hp.tool == "break_fix_rate"
    assert (hp.args["category"], hp.args["manufacturer"]) == ("Chromebook", "HP")
    lincoln = planner.plan("only at Lincoln", AS_OF, hp.slots, hp.tool)
    assert lincoln.tool == "break_fix_rate"
    assert (lincoln.args["manufacturer"], lincoln.args["school"]) == (
        "HP", "Lincoln Elementary School",
    )  # fmt: skip


def test_same_for_last_year_and_the_quarter_after() -> None:
    first = planner.plan("how many cracked screen tickets came in per week this year?", AS_OF)
    assert first.tool == "ticket_volume_trend"
    assert (first.args["start"], first.args["category"]) == (dt.date(2026, 7, 1), "Cracked screen")
    last_year = planner.plan("same for last year", AS_OF, first.slots, first.tool)
    assert last_year.tool == "ticket_volume_trend"
    assert (last_year.args["start"], last_year.args["end"]) == (
        dt.date(2025, 7, 1), dt.date(2026, 6, 30),
    )  # fmt: skip
    assert last_year.args["category"] == "Cracked screen"
    renewals = planner.plan("which E-Rate contracts renew next quarter?", AS_OF)
    after = planner.plan("and the quarter after?", AS_OF, renewals.slots, renewals.tool)
    assert after.args == {"start": dt.date(2027, 4, 1), "end": dt.date(2027, 6, 30),
                          "funding_source": "E-Rate"}  # fmt: skip


def test_a_follow_up_that_asks_something_new_changes_tool_but_keeps_the_school() -> None:
    first = planner.plan("how many devices are at Westview High?", AS_OF)
    assert (first.tool, first.args["school"]) == ("devices_list", "Westview High School")
    then = planner.plan("and which of them go out of warranty in the next 90 days?", AS_OF,
                        first.slots, first.tool)  # fmt: skip
    assert (then.tool, then.args["school"]) == ("warranty_expiring", "Westview High School")


def test_a_follow_up_can_ask_for_a_grouping_or_a_neighbouring_tool() -> None:
    first = planner.plan("how many tickets are open at Westview?", AS_OF)
    grouped = planner.plan("by category", AS_OF, first.slots, first.tool)
    assert (grouped.tool, grouped.args["group_by"]) == ("open_tickets", "category")
    assert grouped.args["school"] == "Westview High School"
    closing = planner.plan("and how long do they take to close?", AS_OF, first.slots, first.tool)
    assert (closing.tool, closing.args["school"]) == ("resolution_time", "Westview High School")


def test_an_unknown_name_in_a_follow_up_is_declined_by_name() -> None:
    first = planner.plan("how many chromebooks are at Lincoln?", AS_OF)
    other = planner.plan("what about at Springfield Elementary?", AS_OF, first.slots, first.tool)
    assert other.tool is None
    assert other.reason is not None and "school named Springfield Elementary" in other.reason


def test_planning_takes_a_few_milliseconds_once_warm() -> None:
    questions = [q for _, _, qs in FIVE_WAYS for q in qs]
    for question in questions:
        planner.plan(question, AS_OF)
    started = time.perf_counter()
    for question in questions:
        planner.plan(question + " ", AS_OF)  # a new string: no cached question vector
    per_plan = (time.perf_counter() - started) / len(questions)
    assert per_plan < 0.05  # typically 3-8 ms on two cores; generous for a busy CI machine


def test_the_catalog_vectors_are_cached_on_disk_and_reused(tmp_path: Path) -> None:
    first = Router(TOOLS, tmp_path).scores("what renews next quarter?")
    (cached,) = tmp_path.glob("planner-*.npy")
    examples = sum(len(spec.examples) for spec in TOOLS)
    assert np.load(cached).shape == (examples + len(TOOLS), 384)
    stamp = cached.stat().st_mtime_ns
    assert Router(TOOLS, tmp_path).scores("what renews next quarter?") == first
    assert cached.stat().st_mtime_ns == stamp  # read, not written again


def test_without_the_model_it_still_routes_by_words() -> None:
    lexical = Planner(KNOWN, FiscalCalendar(), semantic=False)
    plan = lexical.plan("what renews next quarter?", AS_OF)
    assert (plan.tool, plan.args) == ("contracts_renewing", NEXT_QUARTER)
    assert lexical.plan("who won the game?", AS_OF).tool is None


TRACKER = (
    "Vendor,Product,Annual Cost,Renewal Date,Auto Renew?,Notice Period,Funding",
    'Google LLC,Workspace Plus,"$12,500.00",1/15/2027,Y,60 days,General Fund',
    "GoGuardian,Admin,9800,Mar 31 2027,yes,90d,ESSER",
)


def test_the_answer_names_what_is_missing_and_what_is_there(store, settings, write_csv) -> None:
    ingest_paths([write_csv("contracts.csv", *TRACKER)], store)
    assistant = Assistant(store, settings)
    answer = assistant.ask("what does the Oracle contract cost?", as_of=AS_OF)
    assert answer.answer.startswith("I can't answer that from the data I have.")
    assert "I don't see a vendor named Oracle in the data; vendors I know include" in answer.answer
    assert "GoGuardian" in answer.answer and (answer.tools, answer.rows) == ([], [])
    conversation = Conversation()
    google = assistant.ask("what does our Google contract cost?", as_of=AS_OF,
                           conversation=conversation)  # fmt: skip
    assert google.tools[0].args["vendor"] == "Google" and len(google.rows) == 1
    assert (settings.data_dir / "cache").is_dir()  # the catalog's vectors, for the next process


def test_warm_up_builds_the_planner_and_freezes_start_up_objects(store, settings) -> None:
    assistant = Assistant(store, settings)
    try:
        assistant.warm_up()
        assert gc.get_freeze_count() > 0  # the collector no longer walks them
        assert assistant.planner.router.scores("what renews next quarter?")  # already loaded
    finally:
        gc.unfreeze()
