"""What each interface says when answering fails: one place that sorts failures into kinds.

A locked SQLite database (another process holds its lock longer than
``database_busy_timeout_seconds``) is ``busy``: the person is told to try again in a moment.
A question too long or not text is ``refused``: the person is told why (``assistant.limits``).
Anything else is ``error``: a polite sorry, and the detail only in the server log, scrubbed of
secrets (``assistant.redact``). The wording lives in ``prompts/slack/``.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy.exc import OperationalError

import prompts
from assistant.limits import QuestionRefused

Kind = Literal["busy", "refused", "error"]
_BUSY_WORDS = ("database is locked", "database is busy", "database table is locked")


def kind_of(exc: BaseException) -> Kind:
    """``busy`` for a database that stayed locked, ``refused`` for a question not read, else ``error``."""
    if isinstance(exc, QuestionRefused):
        return "refused"
    if isinstance(exc, OperationalError):
        detail = str(exc.orig or exc).lower()
        if any(words in detail for words in _BUSY_WORDS):
            return "busy"
    return "error"


def message_for(exc: BaseException) -> str:
    """The text a person sees for this failure (Slack mrkdwn, also the REST ``error``)."""
    if isinstance(exc, QuestionRefused):
        return str(exc)  # it says what to do
    return prompts.render(f"slack/{kind_of(exc)}.md")


def status_for(exc: BaseException) -> int:
    """The HTTP status for this failure: 503 while busy, 422 for a question refused, else 500."""
    return {"busy": 503, "refused": 422}.get(kind_of(exc), 500)
