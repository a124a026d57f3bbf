"""What the assistant refuses to read, checked before any pattern or model sees a question.

A question longer than ``max_question_chars`` (default 2,000) is refused in a few microseconds:
every later step (entity matching, date reading, the LLM's prompt) then runs on bounded text, and
one pasted megabyte cannot hold a server thread. A lone surrogate or a NUL cannot be stored as
text (PostgreSQL refuses it, JSON encoders choke), and an ``as_of`` outside the years the fiscal
calendar can count from (``9999-12-31`` + three fiscal years overflows) is refused by name. Each
interface shows the refusal its own way: ``Error:`` on the CLI, 422 over REST, the text in Slack.
"""

from __future__ import annotations

import datetime as dt
import re

import prompts
from ingest.errors import DistrictAssistantError

FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2199, 12, 31)
# Lone surrogates (not text in any encoding) and C0 controls other than tab, newline, return.
_NOT_TEXT = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class QuestionRefused(DistrictAssistantError):
    """A question (or its date) the assistant will not read; the message says what to do."""


def check_question(question: str, limit: int) -> None:
    """Refuse a question over ``limit`` characters or holding a character that is not text.

    Raises:
        QuestionRefused: with the sentence a person sees.
    """
    if len(question) > limit:
        text = prompts.render("refusals/too_long.md", length=len(question), limit=limit)
        raise QuestionRefused(text)
    if bad := _NOT_TEXT.search(question):
        code = f"U+{ord(bad.group(0)):04X}"
        raise QuestionRefused(prompts.render("refusals/bad_character.md", code=code))


def check_day(day: dt.date | None) -> None:
    """Refuse an ``as_of`` the fiscal calendar cannot count from.

    Raises:
        QuestionRefused: naming the range of days that work.
    """
    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        text = prompts.render("refusals/bad_date.md", first=FIRST_DAY, last=LAST_DAY, day=day)
        raise QuestionRefused(text)


def clean_text(text: str) -> str:
    """``text`` with lone surrogates and control characters replaced, safe for any database."""
    return _NOT_TEXT.sub("\ufffd", text)
