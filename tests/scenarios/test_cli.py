"""The command line end to end, on the bundled sample district in a temporary data dir.

Expected figures come from the generator's own truth model, never from our tools.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from ingest.sample import build_district

AS_OF = "2026-11-23"
ANCHOR = dt.date(2026, 11, 23)
REFUSAL = "I can't answer that from the data I have"
runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None) -> object:
    result = runner.invoke(app, list(args), catch_exceptions=False, env=env)
    return result


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory, module_database: str | None) -> Path:
    """The sample district, loaded once through `demo` for every test in this module.

    Its tests find the database through DISTRICT_ASSISTANT_DATABASE_URL, as conftest sets it.
    """
    data_dir = tmp_path_factory.mktemp("demo")
    env = {"DISTRICT_ASSISTANT_DATABASE_URL": module_database} if module_database else None
    args = ("demo", "--data-dir", str(data_dir), "--as-of", AS_OF, "-q", "what renews?")
    result = run(*args, env=env)
    assert result.exit_code == 0, result.output
    return data_dir


@pytest.fixture(scope="module")
def truth():
    return build_district(anchor=ANCHOR)


def ask_json(data_dir: Path, question: str) -> dict:
    result = run("ask", question, "--as-of", AS_OF, "--json", "--data-dir", str(data_dir))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def renewing(truth, start: dt.date, end: dt.date) -> list:
    return [c for c in truth.contracts if start <= c.renewal_date <= end]


def money(value: Decimal) -> str:
    return f"${value:,.2f}"


def test_ask_json_has_every_key_of_the_contract(demo_dir: Path) -> None:
    body = ask_json(demo_dir, "what renews next quarter?")
    assert set(body) == {"question", "as_of", "answer", "rows", "tools", "sources"}
    assert body["question"] == "what renews next quarter?"
    assert body["as_of"] == AS_OF
    assert body["tools"] == [
        {"name": "contracts_renewing", "args": {"start": "2027-01-01", "end": "2027-03-31"}}
    ]
    assert all(source.startswith("Technology Contracts FY27.xlsx:") for source in body["sources"])
    assert {"vendor", "product", "renewal_date", "notice_deadline", "annual_cost"} <= set(
        body["rows"][0]
    )


@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        ("what renews next quarter?", "2027-01-01", "2027-03-31"),
        ("which contracts renew in the next 90 days?", "2026-11-24", "2027-02-21"),
        ("what renews before June 30?", "2026-11-24", "2027-06-30"),
    ],
)
def test_renewal_answers_match_the_sample_district(demo_dir, truth, question, start, end) -> None:
    expected = renewing(truth, dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    body = ask_json(demo_dir, question)
    first_line = body["answer"].splitlines()[0]
    assert first_line.startswith(f"*{len(expected)} contracts renew ")
    assert money(sum(c.annual_cost for c in expected)) in first_line
    assert len(body["rows"]) == len(expected)
    assert sorted(body["sources"]) == sorted(
        f"Technology Contracts FY27.xlsx:{c.row}" for c in expected
    )
    soonest = min(expected, key=lambda c: (c.renewal_date, c.row))
    assert body["rows"][0]["renewal_date"] == soonest.renewal_date.isoformat()


def test_each_listed_contract_shows_its_cancel_by_date(demo_dir, truth) -> None:
    body = ask_json(demo_dir, "what renews next quarter?")
    by_row = {c.row: c for c in truth.contracts}
    for row, source in zip(body["rows"], body["sources"], strict=True):
        contract = by_row[int(source.rsplit(":", 1)[1])]
        assert row["product"] == contract.product
        assert Decimal(row["annual_cost"]) == contract.annual_cost
        if contract.notice_days is None:
            assert row["notice_deadline"] is None
        else:
            deadline = contract.renewal_date - dt.timedelta(days=contract.notice_days)
            assert row["notice_deadline"] == deadline.isoformat()


def test_a_question_the_data_cannot_answer_says_so_and_invents_nothing(demo_dir) -> None:
    body = ask_json(demo_dir, "what is the superintendent's salary?")
    assert body["answer"].startswith(REFUSAL)
    assert (body["rows"], body["tools"], body["sources"]) == ([], [], [])
    assert "$" not in body["answer"]


def test_reingesting_the_sample_changes_nothing(demo_dir: Path) -> None:
    before = ask_json(demo_dir, "what renews before June 30?")
    result = run("ingest", str(demo_dir / "sample-district"), "--data-dir", str(demo_dir), "--json")
    assert result.exit_code == 0, result.output
    reports = json.loads(result.stdout)
    assert {r["status"] for r in reports} == {"unchanged"}
    assert sum(r["inserted"] + r["updated"] for r in reports) == 0
    assert ask_json(demo_dir, "what renews before June 30?") == before


def test_running_the_demo_again_loads_nothing_new(demo_dir: Path) -> None:
    result = run("demo", "--data-dir", str(demo_dir), "--as-of", AS_OF, "-q", "what renews?")
    assert result.exit_code == 0
    assert "(0 rows inserted or updated)" in result.stderr


def test_human_answer_leads_with_the_count_and_names_its_source(demo_dir) -> None:
    result = run("ask", "what renews next quarter?", "--as-of", AS_OF, "--data-dir", str(demo_dir))
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("*") and "contracts renew in FY2027 Q3" in lines[0]
    assert lines[-1].startswith("_from: spreadsheet — Technology Contracts FY27.xlsx")


def test_digest_prints_this_weeks_digest(demo_dir) -> None:
    result = run("digest", "--as-of", AS_OF, "--data-dir", str(demo_dir))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("*Weekly digest")


def test_quality_reports_the_planted_conflicts(demo_dir, truth) -> None:
    result = run("quality", "--json", "--data-dir", str(demo_dir))
    report = json.loads(result.stdout)
    planted = {serial for serial, *_ in truth.conflicts}  # school differs in two systems
    found = {c["key"] for c in report["conflicts"] if c["field"] == "location"}
    assert planted == found
    kept = {c["key"]: c["chosen_system"] for c in report["conflicts"] if c["field"] == "location"}
    assert set(kept.values()) == {"snipe_it"}  # Snipe-IT wins location by default
    assert report["summary"]["damaged serials"] == len(truth.damaged_serial_rows)


def test_python_dash_m_and_the_console_script_are_the_same_program() -> None:
    module = subprocess.run(
        [sys.executable, "-m", "assistant", "--version"], capture_output=True, text=True, check=True
    )
    script = Path(sys.executable).parent / "district-assistant"
    console = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=True)
    assert module.stdout == console.stdout
    assert module.stdout.startswith("district-assistant ")


def test_a_question_in_other_words_finds_tickets_by_meaning(demo_dir, truth) -> None:
    body = ask_json(demo_dir, "tickets that mention a kid spilling juice on the laptop")
    assert body["tools"][0]["name"] == "search_text"
    by_id = {(t.system, t.external_id): t for t in truth.tickets}
    found = [by_id[(row["system"], str(row["external_id"]))] for row in body["rows"]]
    assert found and all(t.category == "Liquid damage" for t in found[:5])
