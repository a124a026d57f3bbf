"""The offline planner: a question and an as-of date -> one tool call, or an honest "no".

It reads slots from the question (the time window, from the one periods module; vendor and
funding source names matched against what the database holds) and picks the tool whose keywords
and example questions fit best. Below ``THRESHOLD`` it declines rather than guess. Follow-ups
pass the previous slots, which fill whatever the new question leaves out.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from rapidfuzz import fuzz

from tools.base import ToolSpec
from tools.catalog import KnownNames
from tools.dates import FiscalCalendar, Window, parse_window
from tools.registry import TOOLS, get_tool

THRESHOLD = 0.55
_WORDS = re.compile(r"[a-z0-9][a-z0-9\-']*")


@dataclass(frozen=True)
class Slots:
    """What the question is about, apart from which tool answers it."""

    window: Window | None = None
    vendor: str | None = None
    funding_source: str | None = None
    school: str | None = None
    serial: str | None = None
    category: str | None = None
    group_by: str | None = None


@dataclass(frozen=True)
class Plan:
    """The chosen tool call (``tool`` is None when the planner declines), and why."""

    tool: str | None
    args: dict[str, Any]
    confidence: float
    slots: Slots
    window_label: str | None = None
    scores: dict[str, float] = field(default_factory=dict)


def score_tool(question: str, spec: ToolSpec) -> float:
    """0-1: half for a keyword of the tool's domain, half for the closest example question."""
    text = question.lower()
    cue = 1.0 if any(keyword in text for keyword in spec.keywords) else 0.0
    similarity = max(fuzz.token_set_ratio(text, example.lower()) for example in spec.examples)
    return 0.5 * cue + 0.5 * similarity / 100


def find_name(question: str, names: tuple[str, ...], *, plurals: bool = False) -> str | None:
    """The longest known name written in the question (whole words, case-insensitive)."""
    text = " ".join(_WORDS.findall(question.lower()))
    ending = "(?:e?s)?" if plurals else ""
    hits = [
        name
        for name in names
        if name and re.search(rf"(?<![a-z0-9]){re.escape(name.lower())}{ending}(?![a-z0-9])", text)
    ]
    if not hits:
        for name in names:
            if len(name) >= 6 and fuzz.partial_ratio(name.lower(), text) >= 92:
                hits.append(name)
    return max(hits, key=len) if hits else None


_GROUPING = re.compile(
    r"\b(?:by|per|for each|each|across)\s+(school|model|category|status|manufacturer|assignee"
    r"|system|month|vendor|building)s?\b",
    re.I,
)


def find_grouping(question: str) -> str | None:
    """'by school', 'per model', 'each school' -> the grouping asked for."""
    match = _GROUPING.search(question)
    if not match:
        return None
    word = match.group(1).lower()
    return "school" if word == "building" else word


_SERIAL = re.compile(
    r"\b(?:serial|sn|s/n|device|chromebook|laptop)\s*#?:?\s*([A-Za-z0-9][A-Za-z0-9-]{5,})", re.I
)


def find_serial(question: str) -> str | None:
    """A serial number written after 'serial', 'device' and the like ("serial 5CD1234XYZ")."""
    match = _SERIAL.search(question)
    if match and any(ch.isdigit() for ch in match.group(1)):
        return match.group(1)
    return None


class Planner:
    """Plans tool calls against the names one database holds."""

    def __init__(self, known: KnownNames, calendar: FiscalCalendar) -> None:
        self.known = known
        self.calendar = calendar

    def slots(self, question: str, as_of: dt.date) -> Slots:
        """The window and entities a question names."""
        return Slots(
            window=parse_window(question, as_of, self.calendar),
            vendor=find_name(question, self.known.vendors),
            funding_source=find_name(question, self.known.funding_sources),
            school=find_name(question, self.known.schools),
            serial=find_serial(question),
            category=find_name(question, self.known.categories, plurals=True),
            group_by=find_grouping(question),
        )

    def plan(
        self,
        question: str,
        as_of: dt.date,
        previous: Slots | None = None,
        previous_tool: str | None = None,
    ) -> Plan:
        """The best tool call for the question, or a declining plan below the threshold.

        A follow-up in a conversation ("and the quarter after?", "only at Lincoln") that names no
        tool of its own asks the previous tool again, with the new slots over the old ones.
        """
        slots = self.slots(question, as_of)
        shift = _window_shift(question)
        if previous is not None and shift and previous.window is not None:
            slots = replace(slots, window=previous.window.shifted(shift, self.calendar))
        if previous is not None and (shift or is_follow_up(question)):
            slots = _inherit(slots, previous)
        scores = {spec.name: round(score_tool(question, spec), 3) for spec in TOOLS}
        best = max(scores, key=lambda name: scores[name])
        if scores[best] < THRESHOLD and previous_tool and is_follow_up(question):
            best = previous_tool
        elif scores[best] < THRESHOLD:
            return Plan(None, {}, scores[best], slots, scores=scores)
        args, label = _arguments(best, slots, as_of, self.calendar)
        if "query" in get_tool(best).args_model.model_fields:
            args.update(_text_query(question))
            args.pop("category", None)  # a device category is not a ticket category
        return Plan(best, args, scores[best], slots, label, scores)


_FOLLOW_UP = re.compile(
    r"^\s*(and|also|what about|how about|only|just|same|now|then)\b"
    r"|\b(after that|before that|the (quarter|month|year|week) (after|before))\b",
    re.I,
)
_SHIFT = re.compile(r"\b(after that|(quarter|month|year|week) after|before that|"
                    r"(quarter|month|year|week) before)\b", re.I)  # fmt: skip


def is_follow_up(question: str) -> bool:
    """'and the quarter after?', 'what about the HP ones?', 'only at Lincoln'."""
    return bool(_FOLLOW_UP.search(question))


def _window_shift(question: str) -> int:
    """+1 for 'the quarter after' / 'after that', -1 for 'before that', else 0."""
    match = _SHIFT.search(question)
    if not match:
        return 0
    return 1 if "after" in match.group(0).lower() else -1


def _inherit(slots: Slots, previous: Slots) -> Slots:
    return replace(
        slots,
        window=slots.window or previous.window,
        vendor=slots.vendor or previous.vendor,
        funding_source=slots.funding_source or previous.funding_source,
        school=slots.school or previous.school,
        category=slots.category or previous.category,
    )


def _text_query(question: str) -> dict[str, Any]:
    """What a free-text search looks for, and in which kind of record."""
    text = question.lower()
    kind = "tickets"
    if "contract" in text or "subscription" in text:
        kind = "contracts"
    elif "request" in text or " app" in text:
        kind = "app_requests"
    return {"query": question.strip(), "kind": kind}


def _arguments(
    tool: str, slots: Slots, as_of: dt.date, calendar: FiscalCalendar
) -> tuple[dict[str, Any], str | None]:
    """Arguments from slots: the window into start/end, names into the fields named like them."""
    spec = get_tool(tool)
    fields = spec.args_model.model_fields
    args: dict[str, Any] = {}
    label = None
    window = slots.window
    if window is None and spec.default_window:
        window = parse_window(spec.default_window, as_of, calendar)
    if window is not None and {"start", "end"} <= set(fields):
        args.update(start=window.start, end=window.end)
        label = window.label
    for name, value in asdict(slots).items():
        if name != "window" and value is not None and name in fields:
            args[name] = value
    if "as_of" in fields:
        args["as_of"] = as_of
    if "group_by" in args and not _allowed(spec, "group_by", args["group_by"]):
        del args["group_by"]  # this tool cannot group that way; answer ungrouped
    return args, label


def _allowed(spec: ToolSpec, name: str, value: Any) -> bool:
    """Whether the tool's argument model accepts this value for that field."""
    from typing import get_args

    choices = {a for arg in get_args(spec.args_model.model_fields[name].annotation)
               for a in (get_args(arg) or (arg,))}  # fmt: skip
    return value in choices or not any(isinstance(c, str) for c in choices)
