"""The golden eval is a measuring instrument, so it is tested too: its cases, its scoring, its runner.

The whole eval is `python -m evals` (or `district-assistant eval`); here it runs on three cases of
a small district, and the scoring functions are checked on answers written by hand.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from evals import scoring
from evals.golden import FOLLOW_UPS, UNANSWERABLE, evaluate, load_cases, questions
from evals.report import print_report, summary
from evals.scoring import count, day, money, text
from ingest.sample import build_district
from tools.registry import TOOLS

AS_OF = dt.date(2026, 11, 23)
RIGHT = (
    "*18 contracts renew in FY2027 Q3 (Jan 1, 2027 – Mar 31, 2027), $292,298.77 a year in total.*\n"
    "• *Google* — Workspace: renews Jan 9, 2027, cancel by Nov 10, 2026, auto-renews, $2,633.00/yr\n"
    "…and 8 more.\n"
    "_from: spreadsheet — Technology Contracts FY27.xlsx (rows 5, 14 and 16 more)_"
)
RESULT = {
    "count": 18,
    "total_annual_cost": "292298.77",
    "rows": [
        {"renewal_date": "2027-01-09", "notice_deadline": "2026-11-10", "annual_cost": "2633.00"}
    ]
    + [{"annual_cost": "1.00"}] * 17,
}
ARGS = {"start": "2027-01-01", "end": "2027-03-31"}


def backed(answer: str) -> list[str]:
    numbers, dates = scoring.backing(RESULT, ARGS, "what renews next quarter?", AS_OF)
    window = (dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    return scoring.invented_figures(answer, numbers, dates, window)


def test_a_right_answer_states_every_fact_however_it_is_written() -> None:
    facts = [count(18, "contracts"), money(Decimal("292298.77"), "total"),
             day(dt.date(2026, 11, 10), "cancel by"), text("Google", "vendor")]  # fmt: skip
    assert scoring.missing_facts(facts, RIGHT) == []
    assert scoring.fact_found(money(Decimal("2633"), "cost"), "costs $2,633 a year")
    assert scoring.fact_found(day(dt.date(2027, 1, 9), "renews"), "renews 2027-01-09")
    assert scoring.fact_found(day(dt.date(2027, 1, 9), "renews"), "renews 1/9/2027")
    assert scoring.fact_found(count(0, "contracts"), "*No Google contracts renew in FY2027 Q3.*")
    assert backed(RIGHT) == []


def test_a_wrong_figure_is_a_missing_fact() -> None:
    wrong = RIGHT.replace("18 contracts", "17 contracts").replace("$292,298.77", "$292,298.70")
    missing = scoring.missing_facts(
        [count(18, "contracts"), money(Decimal("292298.77"), "total")], wrong
    )
    assert [fact.label for fact in missing] == ["contracts", "total"]
    assert not scoring.fact_found(count(2, "x"), "serial 5CD2ABC and FY2027 Q2")  # not numbers


def test_an_invented_figure_is_caught_but_rounding_and_labels_are_not() -> None:
    invented = RIGHT + "\nThat is 12% more than last year, about $31,000 extra, due Apr 2, 2027."
    assert backed(invented) == ["2027-04-02", "12%", "$31,000"]
    assert backed("*18 contracts, $292,299 a year; the next 30 days are quiet.*") == [
        "next 30 days"
    ]
    assert backed("*18 contracts renew in January 2027 and March 2027.*") == []
    assert backed("*18 contracts renew in May 2027.*") == ["May 2027"]


def test_a_refusal_is_recognised_and_its_examples_are_not_figures() -> None:
    refusal = (
        "I can't answer that from the data I have.\n"
        "I can answer questions like:\n• which contracts renew in the next 90 days?"
    )
    assert scoring.is_refusal(refusal)
    assert scoring.refusal_figures(refusal) == []
    assert scoring.refusal_figures(
        "I can't answer that from the data I have. It is $120,000.\n"
    ) == ["$120,000"]
    assert not scoring.is_refusal(RIGHT)


def test_the_golden_set_covers_what_issue_5_asks() -> None:
    as_of, cases = load_cases()
    asked = list(questions(cases))
    assert as_of == AS_OF
    assert len(asked) >= 150
    assert all(len(case.ask) >= 3 for case in cases)
    assert {tool.name for tool in TOOLS} <= {case.tool for case in cases}
    assert sum(len(case.follow_ups) for case in cases) >= 10
    assert sum(case.category == UNANSWERABLE for case in cases) >= 15
    assert {q.category for q in asked} >= {FOLLOW_UPS, UNANSWERABLE, "renewals", "search"}
    district = build_district(anchor=AS_OF)
    for case in cases:
        for one in (case, *case.follow_ups):
            facts = one.facts(district, as_of)
            assert facts or one.tool is None, one.id


def test_the_runner_scores_a_few_cases_end_to_end(tmp_path: Path, capsys) -> None:
    as_of, cases = load_cases()
    chosen = [c for c in cases if c.id in ("renewals-next-quarter", "no-salary", "devices-hp")]
    district = build_district(anchor=as_of, devices=300, tickets=200, contracts=40)
    outcomes = evaluate(chosen, as_of, tmp_path, district=district, index=False)
    assert len(outcomes) == 3 + 3 + 3 + 3 + 3  # 3 cases x 3 phrasings, 2 follow-ups x 3
    by_text = {o.question.text: o for o in outcomes}
    first = by_text["what renews next quarter?"]
    assert (first.right, first.tool, first.invented) == (True, "contracts_renewing", [])
    assert first.args == {"start": "2027-01-01", "end": "2027-03-31"}
    salary = by_text["what's the superintendent's salary?"]
    assert salary.right and salary.refused and salary.tool is None
    after = by_text["and the quarter after?"]
    assert after.question.setup == "what renews next quarter?" and after.right
    assert all(o.seconds > 0 for o in outcomes)
    assert all(o.cause is None for o in outcomes if o.right)
    assert all(o.cause for o in outcomes if not o.right)
    figures = summary(outcomes)
    assert figures["questions"] == 15
    assert figures["categories"][UNANSWERABLE]["questions"] == 3
    print_report(outcomes)
    assert "15 questions:" in capsys.readouterr().out


@pytest.mark.parametrize("pattern", ["renewals", "no-salary"])
def test_cases_are_selected_by_id_or_category(pattern: str) -> None:
    from evals.golden import select

    _, cases = load_cases()
    chosen = select(cases, pattern)
    assert chosen and all(pattern in c.id or pattern in c.category for c in chosen)
