"""The answer composer: a tool result -> the text a person reads (Slack mrkdwn).

The first line is the direct answer; then up to ``TOP_N`` records with "and K more", the totals,
notes, and a "from:" line naming the systems and files the records came from. Every figure
shown comes from the result object, formatted here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

import prompts
from tools.base import ToolResult
from tools.dates import format_day

TOP_N = 10
SYSTEM_LABELS = {
    "snipe_it": "Snipe-IT",
    "google_admin": "Google Admin",
    "incident_iq": "Incident IQ",
    "zendesk": "Zendesk",
    "jamf": "Jamf Pro",
    "freshservice": "Freshservice",
    "spreadsheet": "spreadsheet",
}


def money(value: Decimal | float | int | None) -> str:
    """$12,500.00, or 'no cost on file'."""
    if value is None:
        return "no cost on file"
    return f"${Decimal(value):,.2f}"


def number(value: int | float | None) -> str:
    """1,234 (or 'none')."""
    return "none" if value is None else f"{value:,}"


def count(value: int | None, noun: str, plural: str | None = None) -> str:
    """'1 ticket', '3 tickets', '1,204 devices': a number with its noun agreeing."""
    if value is None:
        return f"no {plural or noun + 's'} on file"
    return f"{value:,} {noun if value == 1 else (plural or noun + 's')}"


def noun(value: int | None, word: str, plural: str | None = None) -> str:
    """The noun that agrees with a number: 'device' for 1, 'devices' otherwise."""
    return word if value == 1 else (plural or word + "s")


def clip(text: str | None, width: int = 110) -> str:
    """A long free-text cell cut to one readable line."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def day(value: dt.date | None) -> str:
    """Jan 5, 2027, or 'no date'."""
    return format_day(value) if value else "no date"


def renews_how(auto_renew: bool | None) -> str:
    """How a contract renews, in words."""
    return {True: "auto-renews", False: "renews only if we act"}.get(
        auto_renew, "renewal terms not on file"
    )  # type: ignore[arg-type]


def compose(tool: str, result: ToolResult, *, window: str | None = None, filters: str = "") -> str:
    """The full answer text for one tool result; ``filters`` names what narrowed it ("Google")."""
    rows = getattr(result, "rows", [])
    if not prompts.exists(f"answers/{tool}.md"):
        return "\n".join(
            part for part in (_generic(tool, result, window), from_line(result)) if part
        )
    body = prompts.render(
        f"answers/{tool}.md",
        result=result,
        shown=rows[:TOP_N],
        more=max(len(rows) - TOP_N, 0),
        window=window or "the window asked",
        windowed=bool(window),
        when=when(window),
        filters=filters,
        money=money,
        day=day,
        renews_how=renews_how,
        n=number,
        count=count,
        noun=noun,
        clip=clip,
    )
    return "\n".join(part for part in (_at_most(body, TOP_N), from_line(result)) if part)


def _at_most(body: str, bullets: int) -> str:
    """The body with at most ``bullets`` bullet lines, and a line saying there are more (lines
    are not records, so no count: the rows, the CSV and ``ask --json`` hold them all)."""
    lines = body.splitlines()
    shown = [i for i, line in enumerate(lines) if line.startswith("•")]
    if len(shown) <= bullets:
        return body
    cut = set(shown[bullets:])
    kept = [line for i, line in enumerate(lines) if i not in cut]
    kept.insert(shown[bullets], "…and more in the full list.")
    return "\n".join(kept)


def when(window: str | None) -> str:
    """'in FY2027 Q3 (...)', but 'until Jun 30, 2027 (...)' as it stands."""
    if not window:
        return "in the window asked"
    starts = ("until", "before", "by ", "between", "from", "through", "since")
    return window if window.lower().startswith(starts) else f"in {window}"


def _generic(tool: str, result: ToolResult, window: str | None) -> str:
    """Any tool without its own template: the count, then each row's fields as they are."""
    rows = result.row_dicts()
    table = [_row_text(row) for row in rows[:TOP_N]]
    title = tool.replace("_", " ")
    return prompts.render(
        "answers/_generic.md", result=result, table=table, more=max(len(rows) - TOP_N, 0),
        window=window, when=when(window), title=title,
    )  # fmt: skip


def _row_text(row: dict[str, Any]) -> str:
    parts = []
    for name, value in row.items():
        if value in (None, "", [], {}) or name in {"source", "sources"}:
            continue
        shown = money(Decimal(str(value))) if "cost" in name or "total" in name else value
        parts.append(f"{name.replace('_', ' ')}: {shown}")
    return ", ".join(str(part) for part in parts[:8])


def from_line(result: ToolResult) -> str:
    """'from: spreadsheet — contracts.xlsx (rows 5, 9, 12)': where the records came from."""
    by_file: dict[str, list[int]] = defaultdict(list)
    for ref in result.sources:
        file, _, row = ref.rpartition(":")
        by_file[file].append(int(row))
    files = [(name, _rows_text(rows)) for name, rows in by_file.items()]
    systems = ", ".join(SYSTEM_LABELS.get(s, s) for s in result.systems)
    return prompts.render("sources.md", files=files, systems=systems)


def _rows_text(rows: list[int]) -> str:
    rows = sorted(set(rows))
    shown = ", ".join(str(r) for r in rows[:8])
    word = "row" if len(rows) == 1 else "rows"
    return f"{word} {shown}" + (f" and {len(rows) - 8} more" if len(rows) > 8 else "")


def cant_answer(examples: list[str], reason: str | None = None) -> str:
    """The one honest refusal, with what can be answered instead."""
    return prompts.render("cant_answer.md", examples=examples, reason=reason)


def render_rows(result: ToolResult) -> list[dict[str, Any]]:
    """The records behind the answer, as JSON-ready dicts."""
    return result.row_dicts()
