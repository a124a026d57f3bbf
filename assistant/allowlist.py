"""The finance allowlist: which Slack channels and users may see contract and budget answers.

A tool says whether its answer is about contracts or budget (``ToolSpec.sensitive``, or
``sensitive_when`` for search over contract notes); this module only compares the asker's channel
and user with the ``finance_allowed_channels`` and ``finance_allowed_users`` settings. Both empty
means no restriction. The digest channel always counts as allowed: the weekly digest already
posts renewals and the replacement budget there. Elsewhere the answer is replaced by a polite
refusal (``prompts/slack/not_allowed.md``), and ``/district digest`` leaves out the contract and
budget sections. The REST API (bearer token) and the CLI (local database access) are not limited.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import prompts
from tools.registry import get_tool

if TYPE_CHECKING:
    from assistant.answer import Answer
    from assistant.digest import Digest
    from assistant.settings import Settings

# The tools each digest section runs (assistant/digest.py); a section is sensitive when any is.
DIGEST_SECTION_TOOLS: dict[str, tuple[str, ...]] = {
    "renewals": ("contracts_renewing",),
    "missed_deadlines": ("notice_deadlines",),
    "replacements": ("devices_due_for_replacement", "replacement_budget"),
    "commitments": ("spend_commitments",),
    "tickets": ("open_tickets", "ticket_volume_trend"),
    "aging_tickets": ("open_tickets",),
    "departures": ("departures_with_devices",),
    "approvals": ("app_requests_stuck",),
    "data_quality": ("data_quality",),
}
DIGEST_CHART_TOOLS: dict[str, str] = {
    "replacement_budget": "replacement_budget",
    "ticket_trend": "ticket_volume_trend",
}


def is_sensitive_call(name: str, args: dict[str, Any]) -> bool:
    """Whether one tool call gives a contract or budget answer (unknown tools count as not)."""
    try:
        return get_tool(name).is_sensitive(args)
    except KeyError:
        return False


def _any_sensitive(names: Iterable[str] | None) -> bool:
    """Whether any of the tools is sensitive; an unlisted digest section (None) counts as one."""
    return names is None or any(is_sensitive_call(name, {}) for name in names)


@dataclass(frozen=True)
class FinanceAllowlist:
    """Channels and users that may see contract and budget answers; empty = everyone."""

    channels: frozenset[str] = frozenset()
    users: frozenset[str] = frozenset()
    digest_channel: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> FinanceAllowlist:
        """The allowlist the settings describe."""
        return cls(
            frozenset(settings.finance_allowed_channels),
            frozenset(settings.finance_allowed_users),
            settings.digest_channel,
        )

    @property
    def restricted(self) -> bool:
        """Whether any limit is set at all."""
        return bool(self.channels or self.users)

    def allows(self, channel: str | None, user: str | None) -> bool:
        """Whether this channel or this user may see contract and budget answers."""
        if not self.restricted:
            return True
        if channel is not None and (channel in self.channels or channel == self.digest_channel):
            return True
        return user is not None and user in self.users

    def allows_answer(self, answer: Answer, channel: str | None, user: str | None) -> bool:
        """Whether this answer may be shown here: no sensitive tool ran, or the asker may see it."""
        sensitive = any(is_sensitive_call(call.name, call.args) for call in answer.tools)
        return not sensitive or self.allows(channel, user)

    def refusal(self) -> str:
        """The polite refusal, naming where to ask instead."""
        channels = sorted(self.channels | ({self.digest_channel} if self.digest_channel else set()))
        return prompts.render("slack/not_allowed.md", channels=channels)

    def digest_for(self, digest: Digest, channel: str | None, user: str | None) -> Digest:
        """The digest as this channel may see it: without contract and budget sections if not."""
        if self.allows(channel, user):
            return digest
        sections = [
            s for s in digest.sections if not _any_sensitive(DIGEST_SECTION_TOOLS.get(s.key))
        ]
        charts = [
            c
            for c in digest.charts
            if not is_sensitive_call(DIGEST_CHART_TOOLS.get(c.key, c.key), {})
        ]
        return digest.model_copy(update={"sections": sections, "charts": charts})
