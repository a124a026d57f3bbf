"""The retrieval eval runner works end to end on a few cases (the full eval is `python -m evals.retrieval`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from evals.retrieval import CASES_FILE, Case, evaluate, load_cases, print_report
from ingest.sample import build_district


def test_the_cases_file_has_at_least_40_queries_over_every_problem_type() -> None:
    cases = load_cases(CASES_FILE)
    assert len(cases) >= 40
    named = {"Liquid damage", "Cracked screen", "Battery", "Keyboard", "Charging port"}
    assert named | {"Login/account"} <= {case.category for case in cases}
    assert any(case.query == "kid spilled juice on it" for case in cases)
    assert any(case.school and case.start and case.end for case in cases)


def test_the_runner_scores_a_few_cases(tmp_path: Path, capsys) -> None:
    district = build_district(devices=300, tickets=200, contracts=10)
    juice = Case(query="kid spilled juice on it", category="Liquid damage")
    school = next(t.school for t in district.tickets if t.category == "Cracked screen")
    screen = Case(
        query="screen is smashed",
        category="Cracked screen",
        school=school,
        start=dt.date(2020, 1, 1),
        end=dt.date(2030, 1, 1),
    )
    password = Case(query="reset my password", category="Login/account")
    report = evaluate([juice, screen, password], district, tmp_path)
    assert [r.case for r in report.results] == [juice, screen, password]
    assert report.tickets == 200
    assert all(r.relevant > 0 for r in report.results)
    assert all(r.first_hit_relevant for r in report.results)
    assert report.recall_at_10 >= 0.8
    assert (tmp_path / "chroma").is_dir()
    print_report(report)
    assert "3 queries over 200 tickets" in capsys.readouterr().out


def test_the_blind_set_loads_as_its_writer_made_it() -> None:
    """Blind set A is a bare YAML list, kept byte for byte; 54 queries, six per category."""
    blind = Path(__file__).parents[1] / "data" / "blind" / "retrieval-a" / "queries.yaml"
    cases = load_cases(blind)
    assert len(cases) == 54
    by_category: dict[str, int] = {}
    for case in cases:
        by_category[case.category] = by_category.get(case.category, 0) + 1
    assert set(by_category.values()) == {6}
    assert sum(case.school is not None for case in cases) == 6
