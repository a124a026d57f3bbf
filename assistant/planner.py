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
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, get_args

from assistant.entities import EntityFinder
from assistant.reading import normalise, refused_ask
from assistant.routing import Router
from assistant.slots import (
    COMPARE,
    NAME_SLOTS,
    Slots,
    everyday_ticket_category,
    find_agreement,
    find_days,
    find_grouping,
    find_measure,
    find_review,
    find_serial,
    find_state,
    find_status,
    find_years,
    inherit,
    is_follow_up,
    two_months,
    window_shift,
)
from tools.base import ToolSpec
from tools.catalog import KnownNames
from tools.cues import weight
from tools.dates import FiscalCalendar, Window, format_range, parse_window
from tools.registry import TOOLS, get_tool

_BETWEEN_NOW = re.compile(r"\bbetween (?:now|today) and\b", re.I)
THRESHOLD = weight("threshold")
"""Least combined score to answer; calibrated on held-out phrasings (docs/planner.md)."""
FAST_MARGIN = weight("fast_margin")
"""Word overlap alone answers when its best tool leads by this much (docs/planner.md)."""


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
        device_known: Whether a (serial, asset tag) is in the data; the serials are too many to
            hold as names, so they are looked up when a question names one.
    """

    def __init__(
        self,
        known: KnownNames,
        calendar: FiscalCalendar,
        cache_dir: Path | None = None,
        *,
        semantic: bool = True,
        device_known: Callable[[str | None, str | None], bool] | None = None,
    ) -> None:
        self.known = known
        self.device_known = device_known
        self.calendar = calendar
        self.entities = EntityFinder(known)
        self.router = Router(TOOLS, cache_dir, semantic=semantic)  # the model loads when needed
        self._find = lru_cache(maxsize=256)(self.entities.find)  # slots and scores both need it

    def _device_in_data(self, slots: Slots) -> bool:
        """Whether the serial or tag the question names is in the data (True when unchecked)."""
        if self.device_known is None or not (slots.serial or slots.asset_tag):
            return True
        return self.device_known(slots.serial, slots.asset_tag)

    def slots(self, question: str, as_of: dt.date) -> Slots:
        """The window, names, measure, grouping and numbers a question holds."""
        found = self._find(question)
        names = dict(found.names)
        serial, tag = find_serial(question, names)
        if "ticket_category" not in names:
            everyday = everyday_ticket_category(question, self.known.ticket_categories)
            if everyday is not None:
                names["ticket_category"] = everyday
        return Slots(
            window=self._window(question, as_of),
            **{k: v for k, v in names.items() if k in NAME_SLOTS},
            serial=serial,
            asset_tag=tag,
            review=find_review(question),
            state=find_state(question),
            status=find_status(question),
            agreement=find_agreement(question),
            group_by=find_grouping(question) or ("month" if two_months(question) else None),
            measure=find_measure(question),
            days=find_days(question),
            years=find_years(question),
            unknown=found.unknown,
        )

    def _window(self, question: str, as_of: dt.date) -> Window | None:
        """The time the question names; two months compared ("September vs October") span both,
        month by month."""
        pair = two_months(question)
        if pair is None:
            return parse_window(question, as_of, self.calendar)
        first, second = (parse_window(f"in {m}", as_of, self.calendar) for m in pair)
        if first is None or second is None:
            return parse_window(question, as_of, self.calendar)
        early, late = sorted((first, second), key=lambda w: w.start)
        if (late.end - early.start).days > 183:  # "October vs November" in November: this Nov
            early, late = sorted((early, late.shifted(-12, self.calendar)), key=lambda w: w.start)
        start, end = early.start, late.end
        return Window(start, end, format_range(start, end), "range")

    def scores(self, question: str, slots: Slots, *, lexical: bool = False) -> dict[str, float]:
        """Every tool's combined score: meaning, plus its cue words, adjusted for the slots.

        ``lexical`` scores meaning by word overlap with the examples (no model).
        """
        masked = self._find(question).masked or question
        meaning = self.router.lexical_scores(masked) if lexical else self.router.scores(masked)
        text = question.lower()
        # A school is no subject of its own: "students enrolled at Lincoln" is still off topic.
        named = any(getattr(slots, name) for name in NAME_SLOTS if name != "school")
        off_topic = 0.0 if named or _DOMAIN.search(text) else weight("off_topic")
        if off_topic and _NOT_OURS.search(text):
            off_topic = weight("not_ours")  # "students enrolled at Lincoln": no data on them
        filled = frozenset(f.name for f in fields(Slots) if getattr(slots, f.name) is not None)
        combined = {}
        for spec in TOOLS:
            score = meaning[spec.name]
            if any(keyword in text for keyword in spec.keywords):
                score += weight("keyword")
            combined[spec.name] = round(score + _slot_fit(spec, slots, text, filled) + off_topic, 3)
        return combined

    def clear_scores(self, question: str, slots: Slots) -> dict[str, float] | None:
        """Word-overlap scores when they leave no doubt (``FAST_MARGIN``), else None: use meaning.

        Free-text search needs the model anyway, and a decline is always left to meaning.
        """
        if not self.router.semantic:
            return None  # scores() is word overlap already
        scores = self.scores(question, slots, lexical=True)
        first, second = sorted(scores.values(), reverse=True)[:2]
        best = max(scores, key=lambda name: scores[name])
        if get_tool(best).domain == "search" or first < THRESHOLD or first - second < FAST_MARGIN:
            return None
        return scores

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
        question = normalise(_BETWEEN_NOW.sub("by", question))  # "between now and X" = "by X"
        slots = self.slots(question, as_of)
        follow_up = previous is not None and previous_tool is not None and is_follow_up(question)
        if follow_up and previous is not None:
            shift = window_shift(question)
            if shift and previous.window is not None:
                slots = replace(slots, window=previous.window.shifted(shift, self.calendar))
            slots = inherit(slots, previous)
        scores = None if follow_up else self.clear_scores(question, slots)
        if scores is None:  # not clear by word overlap (or a follow-up): score by meaning
            scores = self.scores(question, slots)
        best = max(scores, key=lambda name: scores[name])
        kept_previous = follow_up and previous_tool in scores
        if kept_previous:
            names_its_subject = any(k in question.lower() for k in get_tool(best).keywords)
            if (
                scores[best] < scores[previous_tool] + weight("switch_margin")
                or scores[best] < THRESHOLD
                or not names_its_subject  # "only Chromebooks" narrows; "what about warranties?" moves
            ):
                best = previous_tool
        if _PRICE_FORECAST.search(question) and not _ABOUT_RECORDS.search(question):
            # a forecast is declined however well a tool fits; "notes mentioning price
            # increases" asks what records say, not what prices will do
            return Plan(None, {}, scores[best], slots, scores=scores, reason=PRICE_FORECAST_REASON)
        if (refused := refused_ask(question)) is not None:  # "cancel the Zoom contract"
            return Plan(None, {}, scores[best], slots, scores=scores, reason=refused)
        if not kept_previous and scores[best] < THRESHOLD:
            return Plan(None, {}, scores[best], slots, scores=scores)
        if slots.unknown is not None:
            return Plan(None, {}, scores[best], slots, scores=scores, reason=slots.unknown.reason())
        if get_tool(best).has_slot_cue("serial") and not self._device_in_data(slots):
            written = slots.serial or slots.asset_tag
            reason = f"I don't see a device with serial or asset tag {written} in the data."
            return Plan(None, {}, scores[best], slots, scores=scores, reason=reason)
        args, label = _arguments(best, slots, question, as_of, self.calendar)
        return Plan(best, args, scores[best], slots, label, scores)


@cache
def _accepted(tool: str) -> frozenset[str]:
    """The argument names a tool takes (pydantic builds ``model_fields`` on every access)."""
    return frozenset(get_tool(tool).args_model.model_fields)


@cache
def _takes(tool: str) -> frozenset[str]:
    """The slots a tool's arguments take (``reads`` maps an argument to a slot of another name)."""
    spec = get_tool(tool)
    return frozenset({spec.slot_for(a) for a in _accepted(tool)} | {"owner"} & _accepted(tool))


def _slot_fit(spec: ToolSpec, slots: Slots, text: str, filled: frozenset[str]) -> float:
    """How the question's slots and wording fit the tool, from what the tool declares."""
    fit = 0.0
    accepted = _accepted(spec.name)
    if slots.window is not None and not ({"start", "years"} & accepted):
        fit += weight("misfit")  # a time the tool cannot take
    if spec.measures == ("cost",) and slots.measure != "cost":
        fit += weight("cost_unasked")
    groups: set[str] = set()
    for cue in spec.cues:
        if cue.group not in groups and cue.matches(text, filled):
            fit += weight(cue.weight)
            if cue.group is not None:
                groups.add(cue.group)
    if slots.group_by and not ({"group_by", "by"} & accepted):
        fit += weight("misfit")  # "by school": a grouping the tool cannot give
    if (slots.serial or slots.asset_tag) and not spec.has_slot_cue("serial"):
        fit += weight("device_elsewhere")
    takes = _takes(spec.name) | accepted
    for name in ("school", "vendor", "model", "funding_source", "owner", "system"):
        if getattr(slots, name) and name not in takes:
            if not (name == "vendor" and slots.manufacturer and "manufacturer" in accepted):
                fit += weight("misfit")
    if (slots.owner and "owner" in takes) or (slots.person and "person" in takes):
        fit += weight("owner_fits")  # a person's devices: only the inventory filters by owner
    if slots.status and "status" in takes:
        fit += weight("status_fits")  # "the retired ones", "marked lost": the inventory
    if slots.review and "review" in accepted:
        fit += weight("review_fits")
    if slots.agreement and "agreement" in accepted:
        fit += weight("agreement_fits")
    if slots.days and ({"days", "older_than_days"} & accepted):
        fit += weight("days_fits")
    if slots.measure and slots.measure in spec.measures:
        fit += weight("measure_fits")
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
    r"|turnaround|queue|technicians?|purchase\w*|po|pos|p\.o\.|funds?|funding|deadlines?"
    r"|departments?|commit\w*|open|closed|unresolved|outstanding|issues?|problems?|intake"
    r"|gear)\b"
)
# Subjects the district's technology data holds nothing on.
_NOT_OURS = re.compile(r"\b(enrol\w*|students?|pupils?|salar\w*|payroll|weather|scores?|gpa"
                       r"|attendance|absen\w*|inflation)\b")  # fmt: skip
# A price in the future: no export holds one; the budget tools use today's unit costs.
_PRICE_FORECAST = re.compile(
    r"\binflation\b|\bprices? (?:go(?:es)? up|rise|rises|increase)|\braise (?:their |its )?prices?"
    r"|\bwill (?:a |an |the |our )?(?:chromebooks?|laptops?|devices?|ipads?|tablets?|computers?"
    r"|hardware|software|licen[cs]es?) cost\b(?!.*\b(?:replac|refresh))",
    re.I,
)
_ABOUT_RECORDS = re.compile(r"\b(mention\w*|notes?|says?|said|wording|written)\b", re.I)
PRICE_FORECAST_REASON = (
    "I don't forecast prices. I can tell you what contracts cost now, or what replacing devices "
    "will cost by fiscal year at today's unit costs."
)


_YEARS = ("fiscal_year", "school_year", "calendar_year", "range")
"""Windows a tool planning whole fiscal years (``start_fy``/``end_fy``) takes as those years."""


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
        and window.kind in ("month", "range")
        and window.start > as_of
        and (spec.looks_back or (spec.default_window or "").startswith("the past"))
    ):
        window = _a_year_earlier(window, calendar)  # "in October" of past data: the last October
    if window is None and spec.default_window:
        window = parse_window(spec.default_window, as_of, calendar)
    if window is not None and {"start", "end"} <= set(accepted):
        args.update(start=window.start, end=window.end)
        label = window.label
    values = {f.name: getattr(slots, f.name) for f in fields(Slots)}
    slot_names = {*NAME_SLOTS, "review", "state", "status", "agreement"}
    for name in accepted:
        slot = spec.slot_for(name)
        if slot in slot_names and values.get(slot) is not None:
            args[name] = values[slot]
    asked = slots.window
    if {"start_fy", "end_fy"} <= set(accepted) and asked is not None and asked.kind in _YEARS:
        args.update(start_fy=calendar.fiscal_year(asked.start),
                    end_fy=calendar.fiscal_year(asked.end))  # fmt: skip
    for argument, slot in spec.reads:  # an argument of another name than its slot ("person")
        if argument in accepted and argument not in args and values.get(slot) is not None:
            args[argument] = values[slot]
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
    if "compare_periods" in accepted and COMPARE.search(question):
        args.update(group_by="month", compare_periods=True)
    if slots.years is not None and "years" in accepted:
        args["years"] = max(1, min(slots.years, 10))
    elif "years" in accepted and slots.window is not None and slots.window.kind == "fiscal_year":
        args["years"] = 1  # "the budget for next year": that one fiscal year
    if "as_of" in accepted:
        args["as_of"] = as_of
    if spec.refine is not None:
        args.update(spec.refine(values, question))
    return args, label


def _a_year_earlier(window: Window, calendar: FiscalCalendar) -> Window:
    """The same months a year earlier ("January through March" of past tickets: the last ones)."""
    if window.kind == "month":
        return window.shifted(-12, calendar)
    start, end = window.start.replace(year=window.start.year - 1), window.end
    end = end.replace(year=end.year - 1, day=min(end.day, 28 if end.month == 2 else end.day))
    return replace(window, start=start, end=end, label=format_range(start, end))


def _allowed(spec: ToolSpec, name: str, value: Any) -> bool:
    """Whether the tool's argument model accepts this value for that field."""
    choices = {a for arg in get_args(spec.args_model.model_fields[name].annotation)
               for a in (get_args(arg) or (arg,))}  # fmt: skip
    return value in choices or not any(isinstance(c, str) for c in choices)
