"""Reading a question's slots: the measure, grouping, numbers, serials, and follow-up cues.

Names come from ``assistant.entities`` and the window from ``tools.dates``; this module reads the
rest with small patterns, each tried on the whole question, and says how a follow-up's slots
combine with the previous question's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from assistant.entities import Unknown
from tools.dates import Window

NAME_SLOTS = ("school", "vendor", "product", "model", "manufacturer", "category",
              "ticket_category", "funding_source", "department", "system", "owner", "person",
              "serial",
              "asset_tag")  # fmt: skip


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
    department: str | None = None
    system: str | None = None
    owner: str | None = None
    person: str | None = None  # the person named, as the data writes the name (owner: e-mail)
    serial: str | None = None
    asset_tag: str | None = None
    review: str | None = None
    state: str | None = None
    status: str | None = None
    agreement: str | None = None
    group_by: str | None = None
    measure: str | None = None
    days: int | None = None
    years: int | None = None
    unknown: Unknown | None = None


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
    r"(?:device\s+|ticket\s+)?"
    r"(school|model|category|type|status|manufacturer|make|brand|assignee|technician|tech"
    r"|system|help ?desk|month|vendor|building|campus|site|funding source|fund|account"
    r"|department|dept)(?:e?s)?\b",
    re.I,
)
COMPARE = re.compile(r"\b(month over month|month by month|month to month|vs\.?|versus"
                      r"|compared? (to|with) last month)\b", re.I)  # fmt: skip
_WHICH = re.compile(r"\b(?:which|what)\s+(?:device\s+)?(school|model|vendor|manufacturer|brand"
                    r"|category|type)s?\b(?!\s+(?:review|of))", re.I)  # fmt: skip
_GROUP_WORD = {"building": "school", "campus": "school", "site": "school", "type": "category",
               "make": "manufacturer", "brand": "manufacturer", "technician": "assignee",
               "tech": "assignee", "helpdesk": "system", "help desk": "system",
               "fund": "funding_source", "funding source": "funding_source",
               "dept": "department"}  # fmt: skip


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


_WAITING = re.compile(
    r"\b(pending|waiting|awaiting|not (done|finished|complete\w*)( yet)?|still (need|require)s?"
    r"|unfinished|outstanding|in progress|incomplete)\b"
)


def find_state(question: str) -> str | None:
    """An app review state: 'denied', 'shot down' -> Denied; 'not required', "didn't need" -> Not
    Required; 'pending', 'waiting on' or 'not done yet' -> waiting (any state not finished);
    'approved', 'cleared', 'passed' -> Approved."""
    text = question.lower()
    if re.search(r"\b(denied|rejected|turned down|shot down|declined|refused)\b", text):
        return "Denied"
    if re.search(r"\bnot (?:even )?required\b|\b(?:did ?n[o']t|does ?n[o']t|did not|does not)"
                 r" (?:even )?(?:need|require)\b|\bnot needed\b|\bexempt\b", text):  # fmt: skip
        return "Not Required"
    if _WAITING.search(text):
        return "waiting"
    if re.search(r"\b(approved|cleared|passed|signed off)\b", text):
        return "Approved"
    return None


_RETIRED = re.compile(r"\b(retired|inactive|out of service|decommission\w*|disposed|surplus\w*"
                      r"|written off|no longer in (use|service))\b")  # fmt: skip


def find_status(question: str) -> str | None:
    """A device status: 'retired', 'inactive', 'out of service' -> retired; 'lost' or 'stolen'
    alone -> that word as written; 'including retired' or 'every device ever' -> all."""
    text = question.lower()
    if re.search(r"\b(including|with|and) (the )?(retired|inactive)\b|\bever (had|owned|bought)\b",
                 text):  # fmt: skip
        return "all"
    if _RETIRED.search(text):
        return "retired"
    if found := re.search(r"\b(lost|stolen)\b", text):
        return found.group(1)
    return None


def find_agreement(question: str) -> str | None:
    """An app's privacy agreement: 'vendor terms', 'DPA' / 'data privacy agreement', or none."""
    text = question.lower()
    if re.search(r"\bvendor('s)? (own )?(terms|tos|terms of service)\b", text):
        return "vendor terms"
    if re.search(r"\b(no|without( a| any)?) (dpa|data privacy agreement|privacy agreement|agreement)s?\b",
                 text):  # fmt: skip
        return "none"
    if re.search(r"\b(n?dpas?|data (privacy|protection) agreements?|privacy agreements?)\b", text):
        return "dpa"
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
# Bounded look-aheads: linear time on a long run of "1-1-1-..." (issue 22).
_CODE = re.compile(r"\b(?=[A-Za-z-]{0,64}\d)(?=[\d-]{0,64}[A-Za-z])[A-Za-z0-9][A-Za-z0-9-]{5,}\b")


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
                    r"(quarter|month|year|week) before|following (quarter|month|year|week)"
                    r"|previous (quarter|month|year|week))\b", re.I)  # fmt: skip


def is_follow_up(question: str) -> bool:
    """'and the quarter after?', 'what about the HP ones?', 'only at Lincoln', 'same for last year'."""
    return bool(_FOLLOW_UP.search(question))


def window_shift(question: str) -> int:
    """+1 for 'the quarter after' / 'after that', -1 for 'before that', else 0."""
    match = _SHIFT.search(question)
    if not match:
        return 0
    return 1 if re.search(r"after|following", match.group(0), re.I) else -1


def inherit(slots: Slots, previous: Slots) -> Slots:
    """The new slots over the previous ones (what the follow-up leaves out stays)."""
    keep = {"measure", "unknown"}
    merged = {
        f.name: getattr(slots, f.name)
        if getattr(slots, f.name) is not None or f.name in keep
        else getattr(previous, f.name)
        for f in fields(Slots)
    }
    return Slots(**merged)


# Everyday words for a ticket category are the ones ingest already maps help desk categories
# with (ingest/categories.py RULES: "spill" -> Liquid damage, "wifi" -> Network), tried on whole
# words only, and never on words that name a kind of device ("interactive display").
_DEVICE_WORDS = re.compile(
    r"\b(interactive (display|panel)s?|network switch(es)?|access points?|displays?|panels?"
    r"|printers? (cart|stand)|software (request|review)s?|app (request|review)s?)\b"
)
_NOT_A_CATEGORY = frozenset({"Other", "Software"})  # too general to read from everyday words


def everyday_ticket_category(question: str, categories: tuple[str, ...]) -> str | None:
    """The district's ticket category an everyday word means ('spilled juice' -> Liquid damage),
    if the district has that category; None when no word says one."""
    from ingest.categories import RULES

    text = _DEVICE_WORDS.sub(" ", question.lower().replace("_", " "))
    held = {c.lower(): c for c in categories}
    for name, pattern in RULES:
        if name in _NOT_A_CATEGORY or name.lower() not in held:
            continue
        if re.search(rf"\b(?:{pattern})\w*", text):
            return held[name.lower()]
    return None


_MONTH_WORD = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
               r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?:\s+\d{4})?")  # fmt: skip
_TWO_MONTHS = re.compile(
    rf"\b({_MONTH_WORD})\s*(?:vs\.?|versus|and|or|against|compared (?:to|with)|&)\s*"
    rf"({_MONTH_WORD})\b",
    re.I,
)


def two_months(question: str) -> tuple[str, str] | None:
    """'September vs October', 'March and April 2026': the two months a comparison names."""
    match = _TWO_MONTHS.search(question)
    return (match.group(1), match.group(2)) if match else None
