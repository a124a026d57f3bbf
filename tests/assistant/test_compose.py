"""Every tool's answer reads as a person would want it, on the sample district."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from assistant.answer import Assistant
from assistant.compose import compose
from assistant.ingesting import load_options
from assistant.settings import Settings
from assistant.store import open_district_store
from ingest.load import ingest_paths
from ingest.sample import generate
from tools.registry import TOOLS

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from benchmarks.tools import tool_args  # noqa: E402  (typical arguments for every tool)

AS_OF = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, module_database: str | None):
    folder = tmp_path_factory.mktemp("compose")
    truth = generate(folder / "exports", anchor=AS_OF)
    settings = Settings(data_dir=folder, database_url=module_database)
    store = open_district_store(settings)
    ingest_paths([folder / "exports"], store, options=load_options(settings))
    yield truth, store, settings
    store.dispose()


@pytest.mark.parametrize(
    "spec", [t for t in TOOLS if t.name != "search_text"], ids=lambda spec: spec.name
)
def test_every_answer_leads_with_a_bold_line_and_prints_no_none(sample, spec) -> None:
    _, store, _ = sample
    result = spec.run(store, tool_args(store)[spec.name])
    text = compose(spec.name, result, window="the window")
    assert text.splitlines()[0].startswith("*"), text
    assert "None" not in text


def test_the_chromebook_end_of_support_answer_matches_the_generator(sample) -> None:
    truth, store, settings = sample
    start, end = dt.date(2027, 7, 1), dt.date(2028, 6, 30)
    expected = sum(
        1
        for device in truth.devices
        if device.status == "active" and device.aue_date and start <= device.aue_date <= end
    )
    answer = Assistant(store, settings).ask(
        "how many chromebooks reach end of support next fiscal year?", as_of=AS_OF
    )
    first = answer.answer.splitlines()[0]
    assert first.startswith(f"*{expected:,} Chromebooks reach their end of automatic updates (AUE)")


def test_the_weekly_trend_leads_with_the_last_full_week_against_the_one_before() -> None:
    from tools.tickets import TicketVolumeTrendResult, WeekRow

    def week(monday: str, tickets: int) -> WeekRow:
        start = dt.date.fromisoformat(monday)
        return WeekRow(week_start=start, week_end=start + dt.timedelta(days=6), tickets=tickets,
                       days_in_window=7)  # fmt: skip

    result = TicketVolumeTrendResult(
        count=328, start=dt.date(2026, 11, 9), end=dt.date(2026, 11, 22), total_tickets=328,
        rows=[week("2026-11-09", 157), week("2026-11-16", 171)], average_per_week=164.0,
        last_week_start=dt.date(2026, 11, 16), last_week=171, previous_week=157,
        change_vs_previous_week=14, change_percent=8.9,
    )  # fmt: skip
    text = compose("ticket_volume_trend", result, window="the last two weeks")
    assert text.splitlines()[0] == (
        "*171 tickets were opened in the week of Nov 16, 2026, against 157 the week before (up); "
        "328 in the last two weeks, 164.0 a week on average.*"
    )
    assert "• week of Nov 9, 2026: 157" in text


def test_the_replacement_answer_says_how_many_are_overdue_today(sample) -> None:
    from evals.truth.assets import devices_where, replacement_date  # the generator's own model

    truth, store, settings = sample
    answer = Assistant(store, settings).ask(
        "how many devices are past their replacement date?", as_of=AS_OF
    )
    overdue_today = sum(
        1 for d in devices_where(truth) if (r := replacement_date(d)) and r < AS_OF
    )  # fmt: skip
    assert overdue_today > 0
    assert f"{overdue_today:,} devices are already past their replacement date today" in (
        answer.answer
    )


def test_one_search_hit_is_written_in_the_singular() -> None:
    from tools.search import SearchTextResult

    one = SearchTextResult(count=1, query="water damage", kind="tickets", rows=[])
    assert compose("search_text", one, window=None).startswith(
        "*1 ticket closest to “water damage”.*"
    )
    two = SearchTextResult(count=2, query="water damage", kind="app_requests", rows=[])
    assert compose("search_text", two, window=None).startswith("*2 app requests closest to")
