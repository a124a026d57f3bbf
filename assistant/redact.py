"""Keeping secrets out of logs and error messages: one list of secret values, one scrubber.

``protect(settings)`` registers the settings' secrets (tokens, the signing secret, the LLM key,
the database password) and installs a log record factory, once per process, that masks them in
every log record's message, arguments and traceback before any handler formats it, whichever
library logged it (uvicorn, Bolt, SQLAlchemy). ``redact(text)`` masks them in any other text an
interface shows: CLI error lines and REST error bodies. Slack token and URL-password shapes are
masked even when their value was never registered.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

if TYPE_CHECKING:
    from assistant.settings import Settings

MASK = "[redacted]"
MIN_SECRET_LENGTH = 6  # shorter values would mask ordinary words
_SHAPES = (
    re.compile(r"\bxox[abporsce]-[A-Za-z0-9-]+"),  # Slack bot, user and config tokens
    re.compile(r"\bxapp-[A-Za-z0-9-]+"),  # Slack app-level tokens
)
_URL_PASSWORD = re.compile(  # a scheme starts only where its run of characters starts: linear
    r"((?<![a-z0-9+.-])[a-z][a-z0-9+.-]*://[^:/@\s]*:)([^@\s/]+)(@)", re.IGNORECASE
)
_SECRET_FIELDS = (
    "api_token",
    "slack_bot_token",
    "slack_signing_secret",
    "slack_app_token",
    "llm_api_key",
    "openai_api_key",
    "anthropic_api_key",
)

_secrets: set[str] = set()
_lock = threading.Lock()
_installed = False


def redact(text: str) -> str:
    """``text`` with every registered secret, Slack token and URL password masked."""
    with _lock:
        values = sorted(_secrets, key=len, reverse=True)
    for value in values:
        if value in text:
            text = text.replace(value, MASK)
    for shape in _SHAPES:
        text = shape.sub(MASK, text)
    return _URL_PASSWORD.sub(rf"\1{MASK}\3", text)


def secret_values(settings: Settings) -> list[str]:
    """The secret values in the settings, the database password included."""
    values = [getattr(settings, name) for name in _SECRET_FIELDS]
    found = [value.get_secret_value() for value in values if value is not None]
    found += [token.get_secret_value() for token in settings.api_tokens.values()]
    if settings.database_url:
        try:
            password = make_url(settings.database_url).password
        except ArgumentError:
            password = None
        if password:
            found.append(str(password))
    return found


def protect(settings: Settings) -> None:
    """Register the settings' secrets and scrub every log record from now on (idempotent)."""
    global _installed
    with _lock:
        _secrets.update(v for v in secret_values(settings) if len(v) >= MIN_SECRET_LENGTH)
        if _installed:
            return
        _installed = True
    make_record = logging.getLogRecordFactory()

    def scrubbed_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        _scrub(record)
        return record

    logging.setLogRecordFactory(scrubbed_record)


def _scrub(record: logging.LogRecord) -> None:
    """Mask secrets in a record in place, keeping the shape of its arguments for formatters."""
    if isinstance(record.msg, str):
        record.msg = redact(record.msg)
    if isinstance(record.args, dict):
        record.args = {key: _scrub_arg(value) for key, value in record.args.items()}
    elif record.args:
        record.args = tuple(_scrub_arg(value) for value in record.args)
    if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


def _scrub_arg(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    text = str(value)
    cleaned = redact(text)
    return value if cleaned == text else cleaned
