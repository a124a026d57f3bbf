"""The digest schedule: cron parsing with day names, misfire grace, and one post per week."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import SecretStr
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from assistant.digest import build_digest
from assistant.scheduler import (
    JOB_ID,
    MISFIRE_GRACE_SECONDS,
    claim_week,
    digest_trigger,
    finish_week,
    post_by_hand,
    post_weekly_digest,
    start_scheduler,
)
from assistant.settings import Settings
from ingest.db import Store

CHICAGO = ZoneInfo("America/Chicago")
AS_OF = dt.date(2026, 11, 23)


class RecordingSlack:
    """Stands in for Slack's WebClient: records posts; can refuse like Slack does."""

    def __init__(self, fail: bool = False) -> None:
        self.posts: list[dict[str, Any]] = []
        self.uploads: list[dict[str, Any]] = []
        self.fail = fail
        self._lock = threading.Lock()

    def chat_postMessage(self, **kwargs: Any) -> dict[str, Any]:
        if self.fail:
            response = SlackResponse(client=None, http_verb="POST", api_url="", req_args={},
                                     data={"ok": False, "error": "not_in_channel"}, headers={},
                                     status_code=200)  # fmt: skip
            raise SlackApiError("not_in_channel", response)
        with self._lock:
            self.posts.append(kwargs)
        return {"ok": True, "ts": "1.000001"}

    def files_upload_v2(self, **kwargs: Any) -> dict[str, Any]:
        with self._lock:
            self.uploads.append(kwargs)
        return {"ok": True}


@pytest.fixture
def digest_settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"digest_channel": "CDIGEST", "slack_bot_token": SecretStr("xoxb-test-2")}
    )


def next_fire(cron: str, after: dt.datetime) -> dt.datetime:
    return digest_trigger(cron, "America/Chicago").get_next_fire_time(None, after)


def test_the_default_is_monday_at_seven_in_the_district_time_zone() -> None:
    trigger = digest_trigger("mon 07:00", "America/Chicago")
    assert str(trigger) == "cron[day_of_week='mon', hour='7', minute='0']"
    sunday = dt.datetime(2026, 11, 22, 12, 0, tzinfo=CHICAGO)
    assert next_fire("mon 07:00", sunday) == dt.datetime(2026, 11, 23, 7, 0, tzinfo=CHICAGO)


@pytest.mark.parametrize(
    ("cron", "expected"),
    [
        ("0 7 * * 1", dt.datetime(2026, 11, 23, 7, 0)),  # cron's 1 is Monday, not Tuesday
        ("0 7 * * mon", dt.datetime(2026, 11, 23, 7, 0)),
        ("30 6 * * 0", dt.datetime(2026, 11, 29, 6, 30)),  # cron's 0 is Sunday
        ("30 6 * * 7", dt.datetime(2026, 11, 29, 6, 30)),
        ("0 8 * * 2-4", dt.datetime(2026, 11, 24, 8, 0)),
        ("FRI 16:45", dt.datetime(2026, 11, 27, 16, 45)),
        ("mon,thu 07:30", dt.datetime(2026, 11, 23, 7, 30)),
    ],
)
def test_schedules_use_day_names(cron: str, expected: dt.datetime) -> None:
    sunday = dt.datetime(2026, 11, 22, 12, 0, tzinfo=CHICAGO)
    assert next_fire(cron, sunday) == expected.replace(tzinfo=CHICAGO)


@pytest.mark.parametrize("cron", ["sometimes", "mon 7am", "0 7 * *", "0 7 * * 9"])
def test_an_unusable_schedule_fails_by_name(cron: str) -> None:
    with pytest.raises(ValueError, match="DIGEST_CRON"):
        digest_trigger(cron, "America/Chicago")


def test_the_job_has_hours_of_grace_and_coalesces(settings: Settings) -> None:
    scheduler = start_scheduler(settings, lambda: None)
    try:
        job = scheduler.get_job(JOB_ID)
        assert job.misfire_grace_time == MISFIRE_GRACE_SECONDS >= 3600
        assert job.coalesce is True and job.max_instances == 1
        assert job.next_run_time.tzinfo is not None
        assert str(job.trigger) == "cron[day_of_week='mon', hour='7', minute='0']"
    finally:
        scheduler.shutdown(wait=False)


def test_a_digest_missed_during_a_restart_runs_at_start(settings: Settings) -> None:
    an_hour_ago = dt.datetime.now(CHICAGO) - dt.timedelta(hours=1)
    cron = f"{an_hour_ago:%a} {an_hour_ago:%H:%M}".lower()
    ran = threading.Event()
    scheduler = start_scheduler(settings.model_copy(update={"digest_cron": cron}), ran.set)
    try:
        assert ran.wait(10), "the missed run did not happen"
    finally:
        scheduler.shutdown(wait=False)


def test_a_week_is_claimed_once(store: Store) -> None:
    assert claim_week(store, "2026-W48", "CDIGEST") is True
    assert claim_week(store, "2026-W48", "CDIGEST") is False
    finish_week(store, "2026-W48", posted=False)  # a failed post gives the week back
    assert claim_week(store, "2026-W48", "CDIGEST") is True
    assert claim_week(store, "2026-W49", "CDIGEST") is True


def test_several_workers_post_the_week_once(store: Store, digest_settings: Settings) -> None:
    slack = RecordingSlack()

    def worker(_: int) -> bool:
        return post_weekly_digest(store, digest_settings, slack, as_of=AS_OF)  # type: ignore[arg-type]

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(worker, range(8)))
    assert results.count(True) == 1
    assert len(slack.posts) == 1 and slack.posts[0]["channel"] == "CDIGEST"
    assert [u["channel"] for u in slack.uploads] == ["CDIGEST"]
    assert post_weekly_digest(store, digest_settings, slack, as_of=AS_OF + dt.timedelta(7))


def test_a_refused_post_gives_the_week_back(store: Store, digest_settings: Settings) -> None:
    with pytest.raises(SlackApiError):
        post_weekly_digest(store, digest_settings, RecordingSlack(fail=True), as_of=AS_OF)  # type: ignore[arg-type]
    slack = RecordingSlack()
    assert post_weekly_digest(store, digest_settings, slack, as_of=AS_OF)  # type: ignore[arg-type]
    assert len(slack.posts) == 1


def test_a_post_by_hand_counts_as_the_weeks_run(store: Store, digest_settings: Settings) -> None:
    slack = RecordingSlack()
    post_by_hand(store, digest_settings, build_digest(store, digest_settings, AS_OF), slack)  # type: ignore[arg-type]
    post_by_hand(store, digest_settings, build_digest(store, digest_settings, AS_OF), slack)  # type: ignore[arg-type]
    assert len(slack.posts) == 2  # by hand always posts
    assert not post_weekly_digest(store, digest_settings, slack, as_of=AS_OF)  # type: ignore[arg-type]
    assert len(slack.posts) == 2


def test_posting_needs_a_channel(store: Store, settings: Settings) -> None:
    with pytest.raises(ValueError, match="DIGEST_CHANNEL"):
        post_weekly_digest(store, settings, RecordingSlack(), as_of=AS_OF)  # type: ignore[arg-type]
