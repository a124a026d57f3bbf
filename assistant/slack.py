"""Slack: the Bolt app factory, its listeners, and the Block Kit form of an answer.

``create_slack_app(settings, assistant)`` builds a Bolt ``App`` that never calls Slack while it is
built (``token_verification_enabled=False``), talks to ``SLACK_API_URL`` when set, and retries on
rate limits. Every listener acknowledges at once and does the work in a lazy listener on a worker
thread; ``process_before_response=True`` makes the ack run inline in ``dispatch`` (so it never
waits for a busy worker), and the lazy work runs after the response on the app's thread pool.
Retried deliveries, replayed slash commands and bots' messages are dropped in one middleware,
``SkipRetriesAndBots``, which shares what it has seen with every worker through the database.
Every question is recorded in the audit log; contract and budget answers go only where the
finance allowlist allows (``assistant.allowlist``); a failure is a polite message in the thread
(``assistant.faults``) with the detail, scrubbed of secrets, only in the server log.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

import prompts
from assistant import compose, faults
from assistant.allowlist import FinanceAllowlist, is_sensitive_call
from assistant.answer import Answer, Assistant, Conversation
from assistant.audit import AuditLog
from assistant.deliveries import SeenDeliveries
from assistant.digest import build_digest, post_digest
from assistant.redact import protect
from assistant.settings import Settings
from ingest.db import Store
from tools.registry import get_tool

if TYPE_CHECKING:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

logger = logging.getLogger(__name__)

LOOKING = "_looking…_"
CSV_ACTION = "district_csv"
TABLE_ROWS = 10
NOTES_SHOWN = 2  # a Slack answer shows two notes; the rest are in the full answer (ask --json)
BULLETS_SHOWN = 10
TABLE_COLUMNS = 5
CELL_WIDTH = 28
SECTION_LIMIT = 2900  # Slack allows 3,000 characters in a section's text
WORKERS = 8
_MENTION = re.compile(r"<@[A-Z0-9]+(\|[^>]*)?>")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def create_web_client(settings: Settings) -> WebClient:
    """A Web API client with the bot token, ``SLACK_API_URL`` if set, and rate-limit retries."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    base_url = (settings.slack_api_url or WebClient.BASE_URL).rstrip("/") + "/"
    handlers = [ConnectionErrorRetryHandler(), RateLimitErrorRetryHandler(max_retry_count=3)]
    return WebClient(token=token, base_url=base_url, retry_handlers=handlers)


def create_slack_app(
    settings: Settings,
    assistant: Assistant,
    *,
    socket_mode: bool = False,
    audit: AuditLog | None = None,
) -> App:
    """The Bolt app: mentions, direct messages, ``/district`` and the CSV button.

    Args:
        settings: Slack tokens and the API URL come from here; nothing is read from the environment.
        assistant: The one answering path every interface shares.
        socket_mode: Requests come over Socket Mode, so there is no HTTP signature to verify.
        audit: The audit log to record questions in (default: a new one on the assistant's store).

    Returns:
        The app; building it makes no network call.
    """
    protect(settings)
    secret = (
        settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    )
    app = App(
        client=create_web_client(settings),
        signing_secret=secret,
        token_verification_enabled=False,
        request_verification_enabled=not socket_mode,
        process_before_response=True,
        listener_executor=ThreadPoolExecutor(WORKERS, thread_name_prefix="slack-work"),
        name="district-assistant",
    )
    app.use(SkipRetriesAndBots(SeenDeliveries(assistant.store)))
    audit = audit or AuditLog(assistant.store, settings.audit_retention_days)
    listeners = _Listeners(assistant, _Threads(), settings, audit)
    app.event("app_mention")(ack=_ack, lazy=[listeners.answer_mention])
    app.event("message", matchers=[_is_direct_message])(ack=_ack, lazy=[listeners.answer_dm])
    app.command("/district")(ack=_ack_command, lazy=[listeners.run_command])
    app.action(CSV_ACTION)(ack=_ack, lazy=[listeners.send_csv])
    return app


def socket_mode_handler(settings: Settings, assistant: Assistant) -> SocketModeHandler:
    """A Socket Mode handler for the app (call ``.connect()`` or ``.start()`` on it).

    Raises:
        ValueError: ``SLACK_APP_TOKEN`` is not set.
    """
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    if settings.slack_app_token is None:
        raise ValueError("Socket Mode needs SLACK_APP_TOKEN (an app-level token, xapp-…)")
    app = create_slack_app(settings, assistant, socket_mode=True)  # its own audit log
    return SocketModeHandler(app, app_token=settings.slack_app_token.get_secret_value())


# --- one place for retries and bots ----------------------------------------------------------


class SkipRetriesAndBots(Middleware):
    """Acknowledges, and drops, events that must not be answered.

    Dropped: a second delivery of an event id, or of a slash command's ``trigger_id`` (a replay
    of a signed request), in any worker process (``assistant.deliveries``, in the database); a
    retry Slack sent because our first answer timed out (``X-Slack-Retry-Reason:
    http_timeout``: the first delivery reached some worker); messages from bots (``bot_id``,
    ``subtype: bot_message``) and edits, joins and other subtypes. Bolt's own middleware has
    already dropped the bot's own events.
    """

    def __init__(self, seen: SeenDeliveries) -> None:
        """Share one ``SeenDeliveries`` across requests."""
        self.seen = seen

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        """Answer 200 at once for a dropped event; otherwise go on."""
        body = req.body
        if body.get("type") == "event_callback" and self._drop(body, req.headers):
            return BoltResponse(status=200, body="")
        if body.get("command") and body.get("trigger_id"):
            if not self.seen.first_time(f"command:{body['trigger_id']}"):
                return BoltResponse(status=200, body="")  # a replay: acknowledged, not run
        return next()

    def _drop(self, body: dict[str, Any], headers: dict[str, Any]) -> bool:
        event = body.get("event") or {}
        if event.get("bot_id") or event.get("subtype"):
            return True
        reason = (headers.get("x-slack-retry-reason") or [None])[0]
        event_id = body.get("event_id")
        first = self.seen.first_time(f"event:{event_id}") if event_id else True
        return not first or (bool(headers.get("x-slack-retry-num")) and reason == "http_timeout")


# --- listeners -------------------------------------------------------------------------------


def _ack(ack: Callable[..., Any]) -> None:
    ack()


def _ack_command(ack: Callable[..., Any], command: dict[str, Any]) -> None:
    text = (command.get("text") or "").strip()
    ack(text=prompts.render("slack/usage.md") if not text else "Looking…")


def _is_direct_message(event: dict[str, Any]) -> bool:
    return event.get("channel_type") == "im"


class _Threads:
    """One ``Conversation`` per Slack thread (channel + thread ts), the most recent 1,000."""

    def __init__(self, limit: int = 1000) -> None:
        self._limit = limit
        self._items: OrderedDict[tuple[str, str], Conversation] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, channel: str, thread_ts: str) -> Conversation:
        with self._lock:
            key = (channel, thread_ts)
            conversation = self._items.pop(key, None) or Conversation()
            self._items[key] = conversation
            while len(self._items) > self._limit:
                self._items.popitem(last=False)
            return conversation


class _Listeners:
    """The lazy halves of the listeners: the work done after Slack has its acknowledgement."""

    def __init__(
        self, assistant: Assistant, threads: _Threads, settings: Settings, audit: AuditLog
    ) -> None:
        self.assistant, self.threads, self.settings = assistant, threads, settings
        self.audit, self.allowlist = audit, FinanceAllowlist.from_settings(settings)

    def answer_mention(self, event: dict[str, Any], client: WebClient) -> None:
        """An @mention: answer in its thread."""
        self._answer_in_thread(client, event)

    def answer_dm(self, event: dict[str, Any], client: WebClient) -> None:
        """A direct message: answer in its thread."""
        self._answer_in_thread(client, event)

    def _answer_in_thread(self, client: WebClient, event: dict[str, Any]) -> None:
        channel, thread_ts = event["channel"], event.get("thread_ts") or event["ts"]
        question = _MENTION.sub("", event.get("text") or "").strip()
        try:
            if not question:
                text = prompts.render("slack/usage.md")
                client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text)
                return
            looking = client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=LOOKING)
        except Exception:  # Slack refused or could not be reached: nowhere to say sorry
            logger.exception("could not post in %s", channel)
            return
        try:
            conversation = self.threads.get(channel, thread_ts)
            message, _shown = self._answer(question, channel, event.get("user"), conversation)
        except Exception as exc:
            if faults.kind_of(exc) != "refused":  # a question too long is the asker's, not a bug
                logger.exception("could not answer a question in %s", channel)
            message = {"text": faults.message_for(exc)}
        try:
            client.chat_update(channel=channel, ts=looking["ts"], **message)
        except Exception:
            logger.exception("could not post the answer in %s", channel)

    def _answer(
        self,
        question: str,
        channel: str | None,
        user: str | None,
        conversation: Conversation | None = None,
    ) -> tuple[dict[str, Any], bool]:
        """The message for a question, audited, and whether it may be shown to the channel.

        A contract or budget answer where the allowlist does not allow it becomes the refusal.
        """
        with self.audit.audited("slack", question, user_id=user, channel_id=channel) as pending:
            answer = self.assistant.ask(question, conversation=conversation)
            pending.answered(answer)
            if not self.allowlist.allows_answer(answer, channel, user):
                pending.outcome = "not_allowed"
                return {"text": self.allowlist.refusal()}, False
        return answer_message(answer), True

    def run_command(self, command: dict[str, Any], client: WebClient, respond: Any) -> None:
        """``/district QUESTION`` answers in the channel; ``/district digest`` posts the digest."""
        text = (command.get("text") or "").strip()
        channel, user = command["channel_id"], command.get("user_id")
        if not text:
            return
        try:
            if text.lower() == "digest":
                digest = build_digest(self.assistant.store, self.settings)
                post_digest(client, self.allowlist.digest_for(digest, channel, user), channel)
            else:
                message, shown = self._answer(text, channel, user)
                respond(response_type="in_channel" if shown else "ephemeral", **message)
        except SlackApiError as exc:
            logger.exception("could not post for /district")
            name = "not_in_channel" if exc.response.get("error") == "not_in_channel" else "error"
            respond(text=prompts.render(f"slack/{name}.md"), response_type="ephemeral")
        except Exception as exc:
            if faults.kind_of(exc) != "refused":
                logger.exception("could not answer /district")
            respond(text=faults.message_for(exc), response_type="ephemeral")

    def send_csv(self, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        """The CSV button: the answer's full list of records as a file in the thread."""
        channel = (body.get("channel") or {}).get("id")
        message = body.get("message") or {}
        thread_ts = message.get("thread_ts") or message.get("ts")
        thread_ts = thread_ts or (body.get("container") or {}).get("message_ts")
        user = (body.get("user") or {}).get("id")
        try:
            call = json.loads(action["value"])
            if is_sensitive_call(call["tool"], call["args"]) and not self.allowlist.allows(
                channel, user
            ):
                if channel:
                    text = self.allowlist.refusal()
                    client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text)
                return
            rows = full_rows(self.assistant.store, call["tool"], call["args"])
            client.files_upload_v2(
                channel=channel, thread_ts=thread_ts, filename=f"{call['tool']}.csv",
                content=rows_csv(rows), title=f"{call['tool']} ({len(rows)} rows)",
                initial_comment=f"The full list: {len(rows)} rows.",
            )  # fmt: skip
        except Exception as exc:
            logger.exception("could not send the CSV in %s", channel)
            if channel:
                text = faults.message_for(exc)
                client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text)


# --- Block Kit -------------------------------------------------------------------------------


def answer_message(answer: Answer) -> dict[str, Any]:
    """``text`` (the full answer, for notifications) and ``blocks`` for ``chat.postMessage``."""
    return {"text": answer.answer, "blocks": answer_blocks(answer)}


def answer_blocks(answer: Answer) -> list[dict[str, Any]]:
    """The direct answer, a table of up to 10 records, "and K more", totals, "from:", CSV button."""
    lines = [line for line in answer.answer.splitlines() if line.strip()]
    if not lines:
        return []
    first, rest = lines[0], lines[1:]
    source = [line for line in rest if line.startswith("_from:")]
    rest = [line for line in rest if line not in source]
    if answer.rows:  # the table replaces the composer's bullet list
        rest = [line for line in rest if not line.startswith(("•", "…and "))]
    rest = _at_most_in_slack(rest)
    blocks: list[dict[str, Any]] = [_section(first)]
    if answer.rows:
        blocks.append(_section(records_table(answer.rows)))
        if (more := len(answer.rows) - TABLE_ROWS) > 0:
            blocks.append(_context(f"…and {more} more. The CSV has them all."))
    if rest:
        blocks.append(_section("\n".join(rest)))
    if source:
        blocks.append(_context(source[0]))
    if button := _csv_button(answer):
        blocks.append({"type": "actions", "elements": [button]})
    return blocks


def _at_most_in_slack(lines: list[str]) -> list[str]:
    """At most ten bullets and two notes; what is cut is said (the CSV and the JSON hold it)."""
    kept: list[str] = []
    bullets = notes = hidden_notes = 0
    last_bullet = None
    for line in lines:
        if line.startswith("•"):
            bullets += 1
            if bullets > BULLETS_SHOWN:
                continue
            last_bullet = len(kept)
        elif line.startswith("_") and line.endswith("_"):
            notes += 1
            if notes > NOTES_SHOWN:
                hidden_notes += 1
                continue
        kept.append(line)
    if bullets > BULLETS_SHOWN and last_bullet is not None:
        kept.insert(last_bullet + 1, "…and more: the CSV has them all.")
    if hidden_notes:
        kept.append(f"_…and {hidden_notes} more {'note' if hidden_notes == 1 else 'notes'} in the "
                    "full answer._")  # fmt: skip
    return kept


def records_table(rows: list[dict[str, Any]], limit: int = TABLE_ROWS) -> str:
    """A fixed-width table of the first ``limit`` rows in a code block, at most five columns."""
    shown = rows[:limit]
    columns = [
        key
        for key in shown[0]
        if key not in {"source", "sources"} and any(_cell(row.get(key), key) for row in shown)
    ][:TABLE_COLUMNS]
    header = [key.replace("_", " ") for key in columns]
    cells = [[_cell(row.get(key), key) for key in columns] for row in shown]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(header)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip()
             for r in [header, *cells]]  # fmt: skip
    table = "\n".join(lines)
    return f"```\n{table[: SECTION_LIMIT - 10]}\n```"


def _cell(value: Any, key: str) -> str:
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = json.dumps(value, default=str)
    elif "cost" in key and isinstance(value, int | float | str):
        value = _money(value)
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T[\d:.]+", text):
        text = text[:10]
    return text if len(text) <= CELL_WIDTH else text[: CELL_WIDTH - 1] + "…"


def _money(value: int | float | str) -> str:
    try:
        return compose.money(Decimal(str(value)))
    except ArithmeticError:
        return str(value)


def _section(text: str) -> dict[str, Any]:
    if len(text) > SECTION_LIMIT:
        text = text[: SECTION_LIMIT - 1] + "…"
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:SECTION_LIMIT]}]}


def _csv_button(answer: Answer) -> dict[str, Any] | None:
    if not answer.rows or not answer.tools:
        return None
    value = json.dumps({"tool": answer.tools[0].name, "args": answer.tools[0].args}, default=str)
    if len(value) > 2000:  # Slack's limit for a button value
        return None
    return {
        "type": "button",
        "action_id": CSV_ACTION,
        "text": {"type": "plain_text", "text": "Full list as CSV"},
        "value": value,
    }


# --- CSV -------------------------------------------------------------------------------------


def full_rows(store: Store, tool: str, args: dict[str, Any]) -> list[dict[str, Any]]:
    """Rerun the answer's tool call with its largest row limit, for the complete list."""
    spec = get_tool(tool)
    args = dict(args)
    field = spec.args_model.model_fields.get("limit")
    if field is not None:
        largest = [m.le for m in field.metadata if getattr(m, "le", None) is not None]
        if largest:
            args["limit"] = largest[0]
    return compose.render_rows(spec.run(store, args))


def rows_csv(rows: list[dict[str, Any]]) -> str:
    """Rows as CSV text; a cell that a spreadsheet would run as a formula starts with '."""
    columns = list(dict.fromkeys(key for row in rows for key in row))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(row.get(key)) for key in columns])
    return out.getvalue()


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = json.dumps(value, default=str)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
