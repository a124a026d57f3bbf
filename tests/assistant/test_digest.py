"""The weekly digest on the sample district, checked against the generator's own truth."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from assistant.charts import render_png
from assistant.cli import app as cli
from assistant.digest import Digest, build_digest, digest_blocks, week_key
from assistant.ingesting import load_options
from assistant.settings import DIGEST_SECTIONS, Settings
from assistant.store import open_district_store
from ingest.db import Store
from ingest.load import ingest_paths
from ingest.sample import SampleDistrict, generate

AS_OF = dt.date(2026, 11, 23)
CLEARED = ("SLACK_", "DISTRICT_ASSISTANT_", "OPENAI_", "ANTHROPIC_", "CHROMA_", "DIGEST_")


def clean_settings(**values: Any) -> Settings:
    """Settings from keywords only: no developer's variables leak into the module fixtures."""
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith(CLEARED):
                patch.delenv(name)
        return Settings(**values)


@pytest.fixture(scope="module")
def district(
    tmp_path_factory: pytest.TempPathFactory, module_database: str | None
) -> Iterator[tuple[SampleDistrict, Store, Settings]]:
    folder = tmp_path_factory.mktemp("digest")
    settings = clean_settings(data_dir=folder, database_url=module_database)
    truth = generate(folder / "exports", anchor=AS_OF)
    store = open_district_store(settings)
    ingest_paths([folder / "exports"], store, options=load_options(settings))
    yield truth, store, settings
    store.dispose()


@pytest.fixture(scope="module")
def digest(district: tuple[SampleDistrict, Store, Settings]) -> Digest:
    _, store, settings = district
    return build_digest(store, settings, AS_OF)


def section(digest: Digest, key: str) -> Any:
    return next(s for s in digest.sections if s.key == key)


def test_every_section_in_the_order_of_the_setting(digest: Digest) -> None:
    assert [s.key for s in digest.sections] == list(DIGEST_SECTIONS)
    assert digest.week == week_key(AS_OF) == "2026-W48"
    assert digest.title == "Weekly digest, week of Nov 23, 2026"


def test_sections_are_a_setting(district: tuple[SampleDistrict, Store, Settings]) -> None:
    _, store, settings = district
    chosen = settings.model_copy(update={"digest_sections": ["tickets", "renewals"]})
    digest = build_digest(store, chosen, AS_OF)
    assert [s.key for s in digest.sections] == ["tickets", "renewals"]
    assert [c.key for c in digest.charts] == ["ticket_trend"]


def test_an_unknown_section_fails_by_name() -> None:
    with pytest.raises(ValidationError, match="Unsupported digest section"):
        clean_settings(digest_sections=["renewals", "weather"])


def test_renewals_in_30_60_90_days_match_the_truth(district, digest: Digest) -> None:
    truth, _, _ = district
    days = [(c.renewal_date - AS_OF).days for c in truth.contracts]
    figures = section(digest, "renewals").figures
    assert figures["count"] == sum(1 for d in days if 0 <= d <= 90)
    assert figures["next_30_days"]["count"] == sum(1 for d in days if 0 <= d <= 30)
    assert figures["days_31_to_60"]["count"] == sum(1 for d in days if 31 <= d <= 60)
    assert figures["days_61_to_90"]["count"] == sum(1 for d in days if 61 <= d <= 90)


def test_missed_deadlines_are_contracts_whose_notice_passed(district, digest: Digest) -> None:
    truth, _, _ = district
    missed = [
        c for c in truth.contracts
        if c.notice_days is not None and AS_OF <= c.renewal_date <= AS_OF + dt.timedelta(366)
        and c.renewal_date - dt.timedelta(days=c.notice_days) < AS_OF
    ]  # fmt: skip
    found = section(digest, "missed_deadlines")
    assert found.figures["count"] == len(missed) > 0
    assert found.figures["annual_cost"] == sum((c.annual_cost for c in missed), Decimal(0))
    assert "cancel-by was" in found.lines[0]


def test_committed_spend_is_renewals_plus_replacements_for_three_years(district, digest) -> None:
    truth, _, _ = district
    found = section(digest, "commitments")
    years = found.figures["years"]
    assert [y["fiscal_year"] for y in years] == ["FY2028", "FY2029", "FY2030"]
    # FY2028 renewals from the truth: each contract in force renews every term from its date.
    start, end = dt.date(2027, 7, 1), dt.date(2028, 6, 30)
    lapsed = {"cancelled", "expired"}
    expected = Decimal(0)
    for c in truth.contracts:
        if c.renewal_date < AS_OF or c.status.lower() in lapsed:
            continue
        day, step = c.renewal_date, 0
        while day <= end:
            if day >= start:
                expected += c.annual_cost
            step += 1
            day = _months_later(c.renewal_date, (c.term_months or 12) * step)
    assert years[0]["renewals"] == expected > 0
    assert found.figures["total"] == sum(y["total"] for y in years)
    assert "committed over the next 3 fiscal years" in found.summary


def _months_later(day: dt.date, months: int) -> dt.date:
    from dateutil.relativedelta import relativedelta

    return day + relativedelta(months=months)


def test_tickets_compare_the_last_full_week_with_the_one_before(digest: Digest) -> None:
    figures = section(digest, "tickets").figures
    weeks = figures["weeks"]
    assert len(weeks) == 12 and all(w["week_start"].weekday() == 0 for w in weeks)
    assert weeks[-1]["week_start"] == AS_OF - dt.timedelta(days=7)
    assert figures["last_week"] == weeks[-1]["tickets"]
    assert figures["change_vs_previous_week"] == weeks[-1]["tickets"] - weeks[-2]["tickets"]


def test_aging_tickets_are_older_than_30_days(district, digest: Digest) -> None:
    truth, _, _ = district
    cutoff = dt.datetime.combine(AS_OF - dt.timedelta(days=30), dt.time())
    expected = sum(1 for t in truth.tickets if t.is_open and t.opened < cutoff)
    assert section(digest, "aging_tickets").figures["count"] == expected


def test_replacement_section_has_next_years_budget(digest: Digest) -> None:
    figures = section(digest, "replacements").figures
    assert [y["fiscal_year"] for y in figures["budget"]] == ["FY2028", "FY2029", "FY2030"]
    chart = next(c for c in digest.charts if c.key == "replacement_budget")
    assert [p.value for p in chart.points] == [float(y["cost"]) for y in figures["budget"]]


def test_both_charts_render_as_png(digest: Digest) -> None:
    assert {c.key for c in digest.charts} == {"ticket_trend", "replacement_budget"}
    for chart in digest.charts:
        png = render_png(chart)
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000


def test_text_and_blocks_show_every_section(digest: Digest) -> None:
    text = digest.text()
    blocks = digest_blocks(digest)
    assert text.startswith("*Weekly digest, week of Nov 23, 2026*")
    for s in digest.sections:
        assert f"*{s.title}*" in text
        assert s.summary in text
    assert blocks[0]["type"] == "header" and len(blocks) <= 50
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks if b["type"] == "section")


def test_the_cli_prints_the_digest_and_its_json(district, digest: Digest) -> None:
    _, _, settings = district
    args = ["digest", "--as-of", AS_OF.isoformat(), "--data-dir", str(settings.data_dir)]
    text = CliRunner().invoke(cli, args)
    assert text.exit_code == 0, text.output
    assert text.stdout.strip() == digest.text()
    as_json = CliRunner().invoke(cli, [*args, "--json"])
    assert json.loads(as_json.stdout) == json.loads(digest.model_dump_json())


def test_post_without_a_channel_fails_with_one_line(district) -> None:
    _, _, settings = district
    result = CliRunner().invoke(cli, ["digest", "--post", "--data-dir", str(settings.data_dir)])
    assert result.exit_code == 1
    assert result.stderr == "Error: --post needs DIGEST_CHANNEL and SLACK_BOT_TOKEN\n"
