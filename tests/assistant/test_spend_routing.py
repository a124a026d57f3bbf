"""The spend tools are reached from questions, with the arguments the questions fix (issue 19).

The phrasings are written from the tools' purposes here, not taken from their example questions
or from any blind set; the names are a small district's.
"""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.planner import Planner
from tools.catalog import KnownNames
from tools.dates import FiscalCalendar
from tools.registry import TOOLS

AS_OF = dt.date(2026, 11, 23)
KNOWN = KnownNames(
    vendors=("Google", "Dell Marketing", "CDW-G", "GoGuardian"),
    schools=("Lincoln Elementary School", "Westview High School"),
    categories=("Chromebook", "Laptop"),
    manufacturers=("Dell", "HP"),
    models=("Latitude 3440",),
    funding_sources=("General Fund", "Title I", "E-Rate", "ESSER"),
    ticket_categories=("Cracked screen", "Battery"),
    departments=("Technology", "Curriculum & Instruction"),
)
planner = Planner(KNOWN, FiscalCalendar())
FY2026 = {"start": dt.date(2025, 7, 1), "end": dt.date(2026, 6, 30)}
FY2027 = {"start": dt.date(2026, 7, 1), "end": dt.date(2027, 6, 30)}

CASES = [
    (
        "yearly cost of our subscriptions broken down by fund",
        "contract_spend",
        {"group_by": "funding_source", "as_of": AS_OF},
    ),
    (
        "what does the Technology department pay for contracts every year?",
        "contract_spend",
        {"department": "Technology", "as_of": AS_OF},
    ),
    (
        "purchase order spending in the prior fiscal year by fund",
        "purchase_spend",
        {**FY2026, "group_by": "fund"},
    ),
    (
        "how much have we paid Dell Marketing on POs in FY25?",
        "purchase_spend",
        {"start": dt.date(2024, 7, 1), "end": dt.date(2025, 6, 30), "vendor": "Dell Marketing"},
    ),
    ("PO totals per month this fiscal year", "purchase_spend", {**FY2027, "group_by": "month"}),
    (
        "have we blown any cancellation deadlines?",
        "notice_deadlines",
        {"kind": "missed", "as_of": AS_OF},
    ),
    (
        "what notice deadlines fall in the next 30 days?",
        "notice_deadlines",
        {
            "kind": "upcoming",
            "as_of": AS_OF,
            "start": dt.date(2026, 11, 24),
            "end": dt.date(2026, 12, 23),
        },
    ),
    (
        "what did battery repairs cost this fiscal year, parts only?",
        "repair_spend",
        {**FY2027, "cost": "parts", "category": "Battery"},
    ),
    (
        "repair spending at Lincoln last fiscal year, without labour",
        "repair_spend",
        {**FY2026, "cost": "parts", "school": "Lincoln Elementary School"},
    ),
    (
        "what are we on the hook for from FY2030 to FY2034, renewals plus device refresh?",
        "spend_commitments",
        {"start_fy": 2030, "end_fy": 2034, "as_of": AS_OF},
    ),
    (
        "committed spend per fund over the coming six fiscal years",
        "spend_commitments",
        {"start_fy": 2028, "end_fy": 2033, "as_of": AS_OF, "by_fund": True},
    ),
]


@pytest.mark.parametrize(("question", "tool", "args"), CASES)
def test_a_money_question_gets_its_tool_and_arguments(question, tool, args) -> None:
    plan = planner.plan(question, AS_OF)
    assert plan.tool == tool, (question, plan.scores)
    assert {k: v for k, v in plan.args.items() if k in args} == args
    assert set(args) <= set(plan.args)


def test_none_of_these_phrasings_is_an_example_question() -> None:
    examples = {e.lower() for spec in TOOLS for e in spec.examples}
    assert not any(q.lower() in examples for q, _, _ in CASES)


def test_the_llm_agent_gets_the_same_tools() -> None:
    from tools.registry import langchain_tools

    names = {tool.name for tool in langchain_tools(store=None)}  # type: ignore[arg-type]
    wanted = {"contract_spend", "purchase_spend", "notice_deadlines", "repair_spend",
              "spend_commitments"}  # fmt: skip
    assert wanted <= names
