"""The weekly digest on a schedule: APScheduler inside ``serve``, one post a week across workers.

Every worker that runs ``serve`` starts its own ``BackgroundScheduler``, so the schedule alone
would post once per worker. The run record (``digest_runs``, unique per ISO week) decides: the
worker whose insert succeeds posts, the others skip. The trigger is built from ``DIGEST_CRON``
with day *names* (APScheduler 3 counts Monday as 0, cron counts Sunday as 0), in the district's
time zone, with a misfire grace of hours and ``coalesce=True``: a digest due while the server was
restarting still goes out, once.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from slack_sdk import WebClient
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

from assistant.digest import Digest, build_digest, post_digest, week_key
from assistant.settings import Settings
from ingest.db import Store
from ingest.schema import DigestRun

logger = logging.getLogger(__name__)

JOB_ID = "weekly-digest"
MISFIRE_GRACE_SECONDS = 6 * 3600
_CRON_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SHORT = re.compile(r"(?<![a-z,\-*])(?P<days>[a-z,\-*]+)\s+(?P<hour>\d{1,2}):(?P<minute>\d{2})")


def digest_trigger(cron: str, timezone: str) -> CronTrigger:
    """The trigger for ``DIGEST_CRON``: 'mon 07:00', 'mon,thu 07:30' or five cron fields.

    Args:
        cron: 'DAYS HH:MM' with day names, or 'minute hour day month day-of-week' (cron's day
            numbers, Sunday = 0 or 7, are turned into names).
        timezone: The district's IANA time zone.

    Raises:
        ValueError: the schedule is neither form.
    """
    text, tz = cron.strip().lower(), ZoneInfo(timezone)
    if match := _SHORT.fullmatch(text):
        return CronTrigger(day_of_week=match["days"], hour=int(match["hour"]),
                           minute=int(match["minute"]), timezone=tz)  # fmt: skip
    fields = text.split()
    if len(fields) == 5:
        minute, hour, day, month, day_of_week = fields
        return CronTrigger(minute=minute, hour=hour, day=day, month=month,
                           day_of_week=_day_names(day_of_week), timezone=tz)  # fmt: skip
    raise ValueError(
        f"Unsupported DIGEST_CRON: {cron!r}; write 'mon 07:00' or five cron fields, '0 7 * * mon'"
    )


def _day_names(field: str) -> str:
    """Cron day numbers to names ('1-5' -> 'mon-fri'); step values ('*/2') stay numbers."""

    def name(match: re.Match[str]) -> str:
        number = int(match.group())
        if number > 7:
            raise ValueError(f"Unsupported day of week in DIGEST_CRON: {number}")
        return _CRON_DAYS[number]

    return re.sub(r"(?<![/\d])\d+", name, field)


# --- the run record: the one write outside ingest ----------------------------------------------


def claim_week(store: Store, week: str, channel: str | None) -> bool:
    """Record that this process posts ``week``'s digest; False when some process already has.

    This is the only write outside ``ingest/``, and deliberately tiny: several web workers each
    run a scheduler, and only a row in the shared database (unique week key, inserted in one
    transaction) can make exactly one of them post.
    """
    try:
        with store.session() as session:
            session.add(DigestRun(week=week, channel=channel, claimed_at=_now()))
    except IntegrityError:
        return False
    return True


def finish_week(store: Store, week: str, *, posted: bool) -> None:
    """Mark ``week`` posted, or drop the claim when posting failed so a later run can retry."""
    with store.session() as session:
        if posted:
            session.execute(
                update(DigestRun).where(DigestRun.week == week).values(posted_at=_now())
            )
        else:
            session.execute(delete(DigestRun).where(DigestRun.week == week))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# --- the job ---------------------------------------------------------------------------------


def post_weekly_digest(
    store: Store, settings: Settings, client: WebClient, *, as_of: dt.date | None = None
) -> bool:
    """Post this week's digest to ``DIGEST_CHANNEL`` unless another worker already has.

    Returns:
        True when this call posted it, False when the week was already claimed.

    Raises:
        ValueError: ``DIGEST_CHANNEL`` is not set.
        slack_sdk.errors.SlackApiError: Slack refused; the claim is dropped so a retry may post.
    """
    if not settings.digest_channel:
        raise ValueError("DIGEST_CHANNEL is not set: name the channel the digest goes to")
    as_of = as_of or settings.today()
    week = week_key(as_of)
    if not claim_week(store, week, settings.digest_channel):
        logger.info("the digest for %s was already posted by another worker", week)
        return False
    try:
        post_digest(client, build_digest(store, settings, as_of), settings.digest_channel)
    except Exception:
        finish_week(store, week, posted=False)
        raise
    finish_week(store, week, posted=True)
    return True


def post_by_hand(
    store: Store, settings: Settings, digest: Digest, client: WebClient | None = None
) -> None:
    """Post a digest now (``digest --post``); it counts as its week's run if none has posted yet.

    Raises:
        ValueError: ``DIGEST_CHANNEL`` or ``SLACK_BOT_TOKEN`` is not set.
        slack_sdk.errors.SlackApiError: Slack refused a call.
    """
    from assistant.slack import create_web_client

    if not settings.digest_channel or settings.slack_bot_token is None:
        raise ValueError("--post needs DIGEST_CHANNEL and SLACK_BOT_TOKEN")
    claimed = claim_week(store, digest.week, settings.digest_channel)
    try:
        post_digest(client or create_web_client(settings), digest, settings.digest_channel)
    except Exception:
        if claimed:
            finish_week(store, digest.week, posted=False)
        raise
    if claimed:
        finish_week(store, digest.week, posted=True)


def start_scheduler(settings: Settings, job: Callable[[], object]) -> BackgroundScheduler:
    """Start a background scheduler that runs ``job`` on ``DIGEST_CRON``.

    The first run time is computed from ``now - grace``: a run missed while the server was down
    (a restart at 07:05 on Monday) is due at once, and the run record keeps it to one post.
    """
    tz = ZoneInfo(settings.timezone)
    trigger = digest_trigger(settings.digest_cron, settings.timezone)
    now = dt.datetime.now(tz)
    first = trigger.get_next_fire_time(None, now - dt.timedelta(seconds=MISFIRE_GRACE_SECONDS))
    scheduler = BackgroundScheduler(timezone=tz)
    scheduler.add_job(
        _logged(job), trigger, id=JOB_ID, name="weekly digest", next_run_time=first,
        misfire_grace_time=MISFIRE_GRACE_SECONDS, coalesce=True, max_instances=1,
        replace_existing=True,
    )  # fmt: skip
    scheduler.start()
    return scheduler


def start_weekly_digest(settings: Settings, store: Store) -> BackgroundScheduler | None:
    """The scheduler ``serve`` runs, or None (logged) when Slack or the channel is not set."""
    from assistant.slack import create_web_client

    if not settings.digest_channel or settings.slack_bot_token is None:
        logger.info("weekly digest off: set DIGEST_CHANNEL and SLACK_BOT_TOKEN to post it")
        return None
    client = create_web_client(settings)
    return start_scheduler(settings, lambda: post_weekly_digest(store, settings, client))


def _logged(job: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        try:
            job()
        except Exception:
            logger.exception("the weekly digest failed")

    return run
