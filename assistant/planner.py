"""The offline planner: a question and an as-of date -> one tool call, or an honest "no".

It reads slots from the question: the time window (the one periods module), the names the data
holds (``assistant.entities``), the measure (count, cost, rate, age, list), the grouping ("by
school") and a few numbers ("more than 30 days", "the next 5 years"). It scores every tool by
meaning (``assistant.routing``: the question's embedding against each tool's description and
examples), adds the tool's own cue words, and adjusts for slots: a serial calls for a device's
history, a name a tool cannot filter by counts against it. Below ``THRESHOLD`` it declines rather
than guess; a name that matches nothing in the data is declined by name. Follow-ups pass the
previous slots and tool, which fill whatever the new question leaves out.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, fields, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, get_args

from assistant.entities import EntityFinder, Unknown
from assistant.routing import Router
from tools.base import ToolSpec
from tools.catalog import KnownNames
from tools.dates import FiscalCalendar, Window, parse_window
from tools.registry import TOOLS, get_tool

THRESHOLD = 0.5
"""Least combined score to answer; calibrated on held-out phrasings (docs/planner.md)."""
CUE_BONUS = 0.08
"""Added when the question holds one of the tool's keywords."""
MISFIT_PENALTY = 0.06
"""Taken off for each name in the question the tool cannot filter by."""
OFF_TOPIC_PENALTY = 0.12
"""Taken off every tool when the question names nothing the data is about (no device, ticket...)."""
SWITCH_MARGIN = 0.1
"""A follow-up changes tool only when the new tool beats the previous one by this much."""

NAME_SLOTS = ("school", "vendor", "product", "model", "manufacturer", "category",
              "ticket_category", "funding_source", "system", "owner", "serial", "asset_tag")  # fmt: skip
# Tools whose ``category`` argument is a ticket category, not a device category.
TICKET_CATEGORY_TOOLS = frozenset({"open_tickets", "resolution_time", "ticket_volume_trend"})


@dataclass(frozen=True)
class Slots:
    """What the question is about, apart from which tool answers it."""

    window: Window | None = None
    school: str | None = None
    vendor: str | None = None
    product: str | None = None
    model: str | None = None
    manufacturer: str | None = None
    category: str | None = None
    ticket_category: str | None = None
    funding_source: str | None = None
    system: str | None = None
    owner: str | None = None
    serial: str | None = None
    asset_tag: str | None = None
    review: str | None = None
    state: str | None = None
    group_by: str | None = None
    measure: str | None = None
    days: int | None = None
    years: int | None = None
    unknown: Unknown | None = None


@dataclass(frozen=True)
class Plan:
    """The chosen tool call (``tool`` is None when the planner declines), and why."""

    tool: str | None
    args: dict[str, Any]
    confidence: float
    slots: Slots
    window_label: str | None = None
    scores: dict[str, float] = field(default_factory=dict)
    reason: str | None = None


class Planner:
    """Plans tool calls against the names one database holds.

    Args:
        known: The names in the database.
        calendar: The district's fiscal calendar.
        cache_dir: Where the tool catalog's vectors are kept between runs (None: memory only).
        semantic: False routes by word overlap only (no embedding model).
    """

    def __init__(
        self,
        known: KnownNames,
        calendar: FiscalCalendar,
        cache_dir: Path | None = None,
        *,
        semantic: bool = True,
    ) -> None:
        self.known = known
        self.calendar = calendar
        self.entities = EntityFinder(known)
        self.router = Router(TOOLS, cache_dir, semantic=semantic)
        self._find = lru_cache(maxsize=256)(self.entities.find)  # slots and scores both need it

    def slots(self, question: str, as_of: dt.date) -> Slots:
        """The window, names, measure, grouping and numbers a question holds."""
        found = self._find(question)
        names = dict(found.names)
        serial, tag = find_serial(question, names)
        return Slots(
            window=parse_window(question, as_of, self.calendar),
            **{k: v for k, v in names.items() if k in NAME_SLOTS},
            serial=serial,
            asset_tag=tag,
            review=find_review(question),
            state=find_state(question),
            group_by=find_grouping(question),
            measure=find_measure(question),
            days=find_days(question),
            years=find_years(question),
            unknown=found.unknown,
        )

    def scores(self, question: str, slots: Slots) -> dict[str, float]:
        """Every tool's combined score: meaning, plus its cue words, adjusted for the slots."""
        masked = self._find(question).masked or question
        meaning = self.router.scores(masked)
        text = question.lower()
        named = any(getattr(slots, name) for name in NAME_SLOTS)
        off_topic = 0.0 if named or _DOMAIN.search(text) else OFF_TOPIC_PENALTY
        combined = {}
        for spec in TOOLS:
            score = meaning[spec.name]
            if any(keyword in text for keyword in spec.keywords):
                score += CUE_BONUS
            combined[spec.name] = round(score + _slot_fit(spec, slots, text) - off_topic, 3)
        return combined

    def plan(
        self,
        question: str,
        as_of: dt.date,
        previous: Slots | None = None,
        previous_tool: str | None = None,
    ) -> Plan:
        """The best tool call for the question, or a declining plan (with a reason when known).

        A follow-up in a conversation ("and the quarter after?", "only at Lincoln", "what about
        the HP ones?") asks the previous tool again, with the new slots over the old ones, unless
        it clearly asks something else.
        """
        slots = self.slots(question, as_of)
        follow_up = previous is not None and previous_tool is not None and is_follow_up(question)
        if follow_up and previous is not None:
            shift = _window_shift(question)
            if shift and previous.window is not None:
                slots = replace(slots, window=previous.window.shifted(shift, self.calendar))
            slots = _inherit(slots, previous)
        scores = self.scores(question, slots)
        best = max(scores, key=lambda name: scores[name])
        if follow_up and previous_tool in scores:
            if scores[best] < scores[previous_tool] + SWITCH_MARGIN or scores[best] < THRESHOLD:
                best = previous_tool
        elif scores[best] < THRESHOLD:
            return Plan(None, {}, scores[best], slots, scores=scores)
        if slots.unknown is not None:
            return Plan(None, {}, scores[best], slots, scores=scores, reason=slots.unknown.reason())
        args, label = _arguments(best, slots, question, as_of, self.calendar)
        return Plan(best, args, scores[best], slots, label, scores)


@cache
def _accepted(tool: str) -> frozenset[str]:
    """The argument names a tool takes (pydantic builds ``model_fields`` on every access)."""
    return frozenset(get_tool(tool).args_model.model_fields)


def _slot_fit(spec: ToolSpec, slots: Slots, text: str) -> float:
    """Slot cues: a serial means one device's history; a name the tool can't filter by is a misfit."""
    fit = 0.0
    accepted = _accepted(spec.name)
    if slots.window is not None and not ({"start", "years"} & accepted):
        fit -= MISFIT_PENALTY  # a time the tool cannot take
    if MEASURES.get(spec.name) == ("cost",) and slots.measure != "cost":
        fit -= 0.05  # a cost tool for a question that asks no cost
    if spec.name == "search_text" and _WORDING.search(text):
        fit += 0.2  # asks what records say: free-text search
    elif spec.name == "search_text" and _TOPIC.search(text):
        fit += 0.12
    if slots.serial or slots.asset_tag:
        fit += 0.2 if spec.name == "repair_history" else -0.05
    for name in ("school", "vendor", "model", "funding_source", "owner", "system"):
        if getattr(slots, name) and name not in accepted:
            if not (name == "vendor" and slots.manufacturer and "manufacturer" in accepted):
                fit -= MISFIT_PENALTY
    if slots.owner and "owner" in accepted:
        fit += 0.1  # a person's devices: only the inventory filters by owner
    if slots.review and "review" in accepted:
        fit += 0.05
    if slots.days and ({"days", "older_than_days"} & accepted):
        fit += 0.05
    if slots.measure and slots.measure in MEASURES.get(spec.name, ()):
        fit += 0.03
    return fit


# Words of what the data is about; a question with none of them (and no name) is off topic.
_DOMAIN = re.compile(
    r"\b(devices?|chromebooks?|laptops?|tablets?|ipads?|computers?|desktops?|projectors?|panels?"
    r"|displays?|equipment|hardware|machines?|fleet|inventory|models?|tickets?|help ?desk|backlog"
    r"|repairs?|repaired|fix\w*|broke\w*|break\w*|fail\w*|damage\w*|cracked|screens?|battery"
    r"|contracts?|subscriptions?|licen[cs]\w*|renew\w*|vendors?|agreements?|apps?|software"
    r"|requests?|reviews?|approv\w*|dpa|privacy|warrant\w*|serial|asset|replac\w*|refresh\w*"
    r"|aue|end of (life|support)|tco|ownership|data|records?|rows?|imports?|duplicates?"
    r"|conflict\w*|hires?|hired|onboard\w*|leaving|departing|roster|former|staff|resol\w*"
    r"|turnaround|queue|technicians?)\b"
)
_WORDING = re.compile(r"\b(mention\w*|describ\w*|talk(s|ing)? about|that says?|contain\w*"
                      r"|with the words?|search|find \w+ \w+ about|(tickets?|requests?|notes?) where"
                      r")\b")  # fmt: skip
_TOPIC = re.compile(r"\b(about a|about the|(tickets?|requests?|notes?) (about|regarding))\b")

# What each tool can measure; a question's measure word nudges towards tools that give it.
MEASURES: dict[str, tuple[str, ...]] = {
    "contracts_renewing": ("cost", "list", "count"),
    "devices_list": ("count", "list"),
    "warranty_expiring": ("count", "list"),
    "devices_due_for_replacement": ("count", "list", "cost"),
    "replacement_budget": ("cost",),
    "repair_history": ("list",),
    "break_fix_rate": ("rate",),
    "cost_of_ownership": ("cost",),
    "failure_categories": ("count",),
    "open_tickets": ("count", "age", "list"),
    "resolution_time": ("age",),
    "ticket_volume_trend": ("count", "rate"),
    "departures_with_devices": ("list", "count"),
    "new_staff_without_devices": ("list", "count"),
    "devices_of_people_not_in_roster": ("list", "count"),
    "app_requests_by_review": ("count", "list"),
    "app_requests_stuck": ("age", "list"),
    "approved_apps": ("list", "cost"),
    "search_text": ("list",),
    "data_quality": ("count", "list"),
}
_MEASURE = (
    ("cost", re.compile(r"\b(cost|costs|costing|spend|spending|spent|price|how much|budget|pay|"
                        r"dollars?|money|expensive)\b|\$")),
    ("rate", re.compile(r"\b(rate|how often|per device|reliab\w*|most often|frequency)\b")),
    ("age", re.compile(r"\b(how long|oldest|age|waiting|turnaround|time to|how fast|days)\b")),
    ("count", re.compile(r"\b(how many|number of|count|total number)\b")),
    ("list", re.compile(r"\b(which|list|show|who|what are)\b")),
)  # fmt: skip


def find_measure(question: str) -> str | None:
    """count / cost / rate / age / list: what the question wants to know of the records."""
    text = question.lower()
    return next((name for name, pattern in _MEASURE if pattern.search(text)), None)


_GROUPING = re.compile(
    r"\b(?:by|per|for each|each|across|for every|broken down by|split by)\s+(?:the\s+)?"
    r"(school|model|category|type|status|manufacturer|make|brand|assignee|technician|tech"
    r"|system|help ?desk|month|vendor|building|campus|site|funding source|fund)(?:e?s)?\b",
    re.I,
)
_COMPARE = re.compile(r"\b(month over month|month by month|month to month|vs\.?|versus"
                      r"|compared? (to|with) last month)\b", re.I)  # fmt: skip
_WHICH = re.compile(r"\b(?:which|what)\s+(school|model|vendor|manufacturer|brand)s\b", re.I)
_GROUP_WORD = {"building": "school", "campus": "school", "site": "school", "type": "category",
               "make": "manufacturer", "brand": "manufacturer", "technician": "assignee",
               "tech": "assignee", "helpdesk": "system", "help desk": "system",
               "fund": "funding_source", "funding source": "funding_source"}  # fmt: skip


def find_grouping(question: str) -> str | None:
    """'by school', 'per model', 'each school', 'by technician' -> the grouping asked for."""
    match = _GROUPING.search(question) or _WHICH.search(question)
    if not match:
        return None
    word = match.group(1).lower()
    return _GROUP_WORD.get(word, word)


_REVIEWS = (("privacy", r"privacy|dpa|data protection"), ("accessibility", r"accessib\w*|ada"),
            ("curriculum", r"curricul\w*|instructional review"), ("funding", r"funding review"),
            ("contract", r"contract review|legal review"))  # fmt: skip


def find_review(question: str) -> str | None:
    """Which app review a question names (privacy, accessibility, curriculum, funding, contract)."""
    text = question.lower()
    for name, pattern in _REVIEWS:
        if re.search(rf"\b(?:{pattern})\b", text):
            return name
    return None


def find_state(question: str) -> str | None:
    """An app review state: 'denied' or 'rejected' -> Denied, 'not required' -> Not Required."""
    text = question.lower()
    if re.search(r"\b(denied|rejected|turned down)\b", text):
        return "Denied"
    if "not required" in text:
        return "Not Required"
    return None


_DAYS = re.compile(
    r"\b(?:more than|longer than|over|older than|at least|beyond|for)\s+(\d+|a|one|two|three"
    r"|six)\s+(day|week|month)s?\b",
    re.I,
)
_BARE_DAYS = re.compile(
    r"(?<!past )(?<!last )(?<!next )(?<!within )(?<!the )\b(\d+)\+?\s+(day|week)s?\b(?! ago)", re.I
)
_NUMBER = {"a": 1, "one": 1, "two": 2, "three": 3, "six": 6}


def find_days(question: str) -> int | None:
    """'more than 30 days', 'over a month', 'gone 90 days' -> a number of days (not 'past 30 days')."""
    match = _DAYS.search(question) or _BARE_DAYS.search(question)
    if not match:
        return None
    count = _NUMBER.get(match.group(1).lower()) or int(match.group(1))
    return count * {"day": 1, "week": 7, "month": 30}[match.group(2).lower()]


_YEARS = re.compile(r"\b(?:(?:next|coming|following)\s+(\d+|two|three|four|five|ten)\s+(?:fiscal\s+)?"
                    r"years|(\d+)[- ]year)\b", re.I)  # fmt: skip
_YEAR_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "ten": 10}


def find_years(question: str) -> int | None:
    """'over the next 5 years', 'the next three fiscal years' -> how many years to plan."""
    match = _YEARS.search(question)
    if not match:
        return None
    word = (match.group(1) or match.group(2)).lower()
    return _YEAR_WORDS.get(word) or int(word)


_SERIAL_AFTER = re.compile(
    r"\b(serial(?:\s+(?:number|no\.?))?|s/?n|asset\s+tag|asset|tag|device|chromebook|laptop|ipad)"
    r"\s*(?:#|:|number)?\s*([A-Za-z0-9][A-Za-z0-9 -]{3,18}[A-Za-z0-9])",
    re.I,
)
_CODE = re.compile(r"\b(?=[A-Za-z-]*\d)(?=[\d-]*[A-Za-z])[A-Za-z0-9][A-Za-z0-9-]{5,}\b")


def find_serial(
    question: str, names: dict[str, str] | None = None
) -> tuple[str | None, str | None]:
    """(serial, asset tag) written in the question: after 'serial'/'asset tag', or code-shaped.

    Only "asset tag X" is surely a tag; any other code is passed as both, and the device history
    tries it as a serial first, then as a tag ("MV010520" is a tag in one district, a serial in
    another). A code-shaped word (letters and digits, six or more) that is a known name is not one.
    """
    taken = {v.lower() for v in (names or {}).values()}
    for match in _SERIAL_AFTER.finditer(question):
        value = match.group(2).strip()
        value = re.split(r"\s+(?=[a-z]{2,}\b)", value)[0]  # stop at the next plain word
        if any(ch.isdigit() for ch in value) and len(value.replace(" ", "")) >= 5:
            if "tag" in match.group(1).lower() or "asset" in match.group(1).lower():
                return None, value
            return value, value
    for match in _CODE.finditer(question):
        word = match.group(0)
        if word.lower() not in taken and not any(word.lower() in t for t in taken):
            if not re.fullmatch(r"(?i)(fy|sy|cy|q)\d+(-\d+)?|\d{4}-\d{2}(-\d{2})?", word):
                return word, word
    return None, None


_FOLLOW_UP = re.compile(
    r"^\s*(and|also|what about|how about|only|just|same|now|then|but|ok|okay)\b"
    r"|^\s*(at|for|in|from|by|per|grouped by|broken down by) [^?]{1,40}\??\s*$"
    r"|\b(after that|before that|the (quarter|month|year|week) (after|before)|same for"
    r"|the same|those|these|them)\b",
    re.I,
)
_SHIFT = re.compile(r"\b(after that|(quarter|month|year|week) after|before that|"
                    r"(quarter|month|year|week) before)\b", re.I)  # fmt: skip


def is_follow_up(question: str) -> bool:
    """'and the quarter after?', 'what about the HP ones?', 'only at Lincoln', 'same for last year'."""
    return bool(_FOLLOW_UP.search(question))


def _window_shift(question: str) -> int:
    """+1 for 'the quarter after' / 'after that', -1 for 'before that', else 0."""
    match = _SHIFT.search(question)
    if not match:
        return 0
    return 1 if "after" in match.group(0).lower() else -1


def _inherit(slots: Slots, previous: Slots) -> Slots:
    """The new slots over the previous ones (what the follow-up leaves out stays)."""
    keep = {"measure", "unknown"}
    merged = {
        f.name: getattr(slots, f.name)
        if getattr(slots, f.name) is not None or f.name in keep
        else getattr(previous, f.name)
        for f in fields(Slots)
    }
    return Slots(**merged)


def _text_query(question: str) -> dict[str, Any]:
    """What a free-text search looks for, and in which kind of record."""
    text = question.lower()
    kind = "tickets"
    if "contract" in text or "subscription" in text:
        kind = "contracts"
    elif "request" in text or re.search(r"\bapps?\b", text):
        kind = "app_requests"
    return {"query": question.strip(), "kind": kind}


def _arguments(
    tool: str, slots: Slots, question: str, as_of: dt.date, calendar: FiscalCalendar
) -> tuple[dict[str, Any], str | None]:
    """Arguments from slots: the window into start/end, names into the fields named like them."""
    spec = get_tool(tool)
    accepted = spec.args_model.model_fields
    args: dict[str, Any] = {}
    label = None
    window = slots.window
    if (
        window is not None
        and window.kind == "month"
        and window.start > as_of
        and (spec.default_window or "").startswith("the past")
    ):
        window = window.shifted(-12, calendar)  # "in October" of past data: the last October
    if window is None and spec.default_window:
        window = parse_window(spec.default_window, as_of, calendar)
    if window is not None and {"start", "end"} <= set(accepted):
        args.update(start=window.start, end=window.end)
        label = window.label
    values = {f.name: getattr(slots, f.name) for f in fields(Slots)}
    if tool in TICKET_CATEGORY_TOOLS or tool == "search_text":
        values["category"] = slots.ticket_category
    for name in (*NAME_SLOTS, "review", "state"):
        if values.get(name) is not None and name in accepted:
            args[name] = values[name]
    if slots.group_by:
        for key in ("group_by", "by"):
            if key in accepted and _allowed(spec, key, slots.group_by):
                args[key] = slots.group_by
    if slots.days is not None:
        for key in ("days", "older_than_days"):
            if key in accepted:
                args[key] = slots.days
                if key == "older_than_days":
                    args.pop("start", None), args.pop("end", None)
    if "compare_periods" in accepted and _COMPARE.search(question):
        args.update(group_by="month", compare_periods=True)
    if slots.years is not None and "years" in accepted:
        args["years"] = max(1, min(slots.years, 10))
    if "as_of" in accepted:
        args["as_of"] = as_of
    if tool == "search_text":
        args.update(_text_query(question))
    return args, label


def _allowed(spec: ToolSpec, name: str, value: Any) -> bool:
    """Whether the tool's argument model accepts this value for that field."""
    choices = {a for arg in get_args(spec.args_model.model_fields[name].annotation)
               for a in (get_args(arg) or (arg,))}  # fmt: skip
    return value in choices or not any(isinstance(c, str) for c in choices)
