"""The guard on a language model's answer: every figure and name must come from this turn's data.

``Evidence`` gathers what the turn may quote: the tool results (every value, number, date and
word in them, and the length of every list), the dates the model was told (today, the fiscal
year and quarters, the windows it asked the tools for) and the asker's own question. ``check``
reads the final answer and returns what it could not find there; an empty list means it passes.

What the answer is checked for, and the rules (docs/llm.md says the same to a district):

- **Dates** (``2027-01-05``, ``Jan 5, 2027``, ``January 5``, ``1/5/2027``, ``March 2027``) must
  be dates of the evidence; without a year the month and day must match one, without a day the
  month and year.
- **Numbers** (``45``, ``1,234``, ``$12,500.00``, ``12.5k``, ``$1.2M``, ``12.5%``, ``two``..
  ``twelve``) must equal a number of the evidence *at the precision written*: "$12.5k" passes for
  12,480 and "12.3%" for 0.1234 or 12.34, "45" for 45, never for 46. A sum or a difference the
  tools did not return fails: the model may quote, not compute.
- **Codes** (a token of letters and digits: serials, asset tags, "300e") must appear in the
  evidence text as written (any case). ``FY2027``/``FY27`` count as years and ``Q1``-``Q4`` as
  quarter names.
- **Names**: every capitalised word must be a word of the evidence (any case, singular or plural)
  or one of our own words (``GENERIC``: the wording of prompts/, the tool catalog, common English
  words and month names). A name is checked word by word, so a made-up school built only from
  words of real ones passes; its figures still have to match.
- Numbers and dates that the asker wrote in the question are allowed ("in the next 90 days"):
  they are the asker's, not the model's. No other number is exempt: list markers ("1.", "2)") at
  the start of a line are the only structural numbers, and they are removed before checking.
- Any secret value (tokens, keys) in the answer fails it, whatever the evidence says.
- **Links, e-mail addresses and instructions** to the reader must be ones the turn holds
  (``assistant.takeover``): a ticket cannot make the bot tell anyone to send a password.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property, lru_cache
from typing import Any

from assistant import takeover

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_US_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_MONTH_DAY = re.compile(
    rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{{4}})\b)?", re.I
)
_DAY_MONTH = re.compile(rf"\b(?P<day>\d{{1,2}})\s+{_MONTH}\s+(?P<year>\d{{4}})\b", re.I)
_MONTH_YEAR = re.compile(rf"\b{_MONTH}\s+(?P<year>\d{{4}})\b", re.I)
# Look-aheads bounded to 64 characters keep the scan linear on a long run of "1-1-1-...".
_CODE = re.compile(r"(?<![\w$])(?=[\w-]{0,64}\d)(?=[\w-]{0,64}[A-Za-z])[A-Za-z0-9][\w-]*")
_UNIT = re.compile(r"^(\d+(?:\.\d+)?)(k|m|st|nd|rd|th|d|h|hr|hrs|min|mins|yr|yrs|x|s)$", re.I)
_FISCAL_YEAR = re.compile(r"^(?:FY|CY)-?(\d{2}|\d{4})$", re.I)
_QUARTER = re.compile(r"^Q[1-4]$", re.I)
_NUMBER = re.compile(
    r"(?P<cur>\$)?\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<suf>%|percent\b|thousand\b|million\b|billion\b|[kK]\b|M\b|bn\b))?"
)
_SPELLED = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_SPELLED_WORD = re.compile(r"\b(" + "|".join(_SPELLED) + r")\b", re.I)
_CAPITALISED = re.compile(r"(?<![\w'’])[A-Z][A-Za-z'’]*")
_WORDS = re.compile(r"[a-z0-9]+")
_LIST_MARKER = re.compile(r"^\s*(?:[-•*>]|\d{1,2}[.)])\s+", re.M)
_SLACK_LINK = re.compile(r"<([^<>|]+)(?:\|([^<>]*))?>")  # no "<" inside: linear
_MULTIPLIERS = {
    "k": Decimal(1000), "thousand": Decimal(1000), "m": Decimal(10**6), "million": Decimal(10**6),
    "bn": Decimal(10**9), "billion": Decimal(10**9),
}  # fmt: skip

# Words that start sentences or label things in any answer: never names of the district's data.
COMMON_WORDS = frozenset(
    """a about above according across actually additionally after afterwards again against ago
    all almost along already also although always am among an and another any anyone anything
    are around as ask asked assuming at available average away back based be because become
    been before being below best better between both brief but by can cannot check checked
    compared consider could currently data date dates day days did different do does doing done
    down due during each earlier either else especially even every everything exactly
    finally first following for found from further generally given good great had happy has
    have having he hello hence her here hers hi highest how however i if important in including
    indeed instead into is it its just keep kind last later latest least less let like likely
    looking looks lowest made make many may maybe me meanwhile might more moreover most much
    must my near nearly neither never next no nobody none nor not note noted notes nothing now
    of off often ok okay on once one only or other others otherwise our out over overall own
    per perhaps please possibly previously probably quite rather really recently regarding
    remaining right roughly same second see seems several she should showing shown similarly
    since so some something soon sorry specifically still such summary sure than thank thanks
    that the their them then there therefore these they third this those though through thus
    to today together too top total totals under unfortunately unless until up upcoming us very
    was we well were what whatever when where whereas whether which while who whom whose why
    will with within without would yes yet you your answer answers overview result results
    record records row rows source sources list listed found count counts number numbers amount
    cost costs annual yearly monthly weekly daily fiscal quarter quarters year years month
    months week weeks fy cy monday tuesday wednesday thursday friday saturday sunday i'm i'll
    i've i'd can't don't won't isn't aren't doesn't didn't there's that's it's let's here's
    what's""".split()
) | frozenset(_MONTHS)


@dataclass
class Evidence:
    """What one turn may quote: numbers, dates, words and text of its tool results and question."""

    numbers: list[Decimal] = field(default_factory=list)
    dates: set[dt.date] = field(default_factory=set)
    words: set[str] = field(default_factory=set)
    parts: list[str] = field(default_factory=list)
    keys: set[Any] = field(default_factory=set)
    question: str = ""

    @cached_property
    def text(self) -> str:
        """All the text, lower case, for finding codes (serials, asset tags) as written."""
        return " | ".join(self.parts)

    def add_value(self, value: Any) -> None:
        """Every number, date and word inside a JSON-like value (the length of lists too)."""
        if isinstance(value, Mapping):
            for key, item in value.items():
                if key not in self.keys:  # field names repeat on every row: read them once
                    self.keys.add(key)
                    self.add_text(str(key))
                self.add_value(item)
        elif isinstance(value, list | tuple | set):
            self.numbers.append(Decimal(len(value)))
            for item in value:
                self.add_value(item)
        elif isinstance(value, bool) or value is None:
            return
        elif isinstance(value, int | float | Decimal):
            self.numbers.append(Decimal(str(value)))
        elif isinstance(value, dt.date):
            self.add_date(value)
        else:
            self.add_text(str(value))

    def add_text(self, text: str) -> None:
        """A string's dates, numbers and words (a question, a cell, a note)."""
        lowered = text.lower()
        self.parts.append(lowered)
        self.words.update(_WORDS.findall(lowered))
        if lowered in _SPELLED:
            self.numbers.append(Decimal(_SPELLED[lowered]))
        if not any(ch.isdigit() for ch in text):
            return
        rest, dates, _ = _take_dates(text)
        for date in dates:
            if isinstance(date, dt.date):
                self.add_date(date)
        for number in re.findall(r"\d+(?:\.\d+)?", rest.replace(",", "")):
            self.numbers.append(Decimal(number))

    def add_date(self, date: dt.date) -> None:
        """A date; its year (and two-digit year) also counts as a number, for "FY2027"."""
        day = date.date() if isinstance(date, dt.datetime) else date
        self.dates.add(day)
        self.numbers.extend((Decimal(day.year), Decimal(day.year % 100)))


def evidence(
    values: Iterable[Any], *, question: str = "", dates: Iterable[dt.date] = ()
) -> Evidence:
    """The evidence of a turn: tool results (JSON-ready), the question, the dates it was told."""
    found = Evidence()
    for value in values:
        found.add_value(value)
    found.add_text(question)
    found.question = question
    for date in dates:
        found.add_date(date)
    return found


def check(answer: str, found: Evidence, *, secrets: Iterable[str] = ()) -> list[str]:
    """What in ``answer`` the evidence does not hold, one line each; empty when it all holds."""
    problems: list[str] = []
    for secret in secrets:
        if len(secret) >= 6 and secret in answer:
            problems = ["a secret value"]
            answer = answer.replace(secret, " ")  # so no other finding repeats it
    problems += takeover.problems(answer, found.text, found.question)
    text = _LIST_MARKER.sub(" ", _plain(answer))
    text, dates, partial = _take_dates(text)
    problems += [f"date {_show(d)}" for d in dates if not _date_holds(d, found)]
    problems += [f"date {_show(d)}" for d in partial if not _date_holds(d, found)]
    text, codes = _take_codes(text)
    for code in codes:
        problem = _code_problem(code, found)
        if problem:
            problems.append(problem)
    text, numbers = _take_numbers(text)
    problems += [f"number {shown}" for shown, value, places, scales in numbers
                 if not _number_holds(value, places, scales, found)]  # fmt: skip
    problems += [f"name {word}" for word in _names(text) if not _word_holds(word, found)]
    return list(dict.fromkeys(problems))


# --- reading the answer ----------------------------------------------------------------------


def _plain(text: str) -> str:
    """Slack mrkdwn without its marks: links keep their label, emphasis marks become spaces."""
    text = _SLACK_LINK.sub(lambda m: m.group(2) or "", text)
    text = re.sub(r"[*~`]", " ", text)
    return re.sub(r"(?<!\w)_|_(?!\w)", " ", text)


DateLike = dt.date | tuple[str, int, int]


def _take_dates(text: str) -> tuple[str, list[dt.date], list[DateLike]]:
    """Full dates, and partial ones ("Jan 5" -> ("md", 1, 5); "March 2027" -> ("ym", 2027, 3))."""
    full: list[dt.date] = []
    partial: list[DateLike] = []

    def keep(date: dt.date | None, raw: str) -> str:
        if date is None:
            return raw
        full.append(date)
        return " "

    def iso(m: re.Match[str]) -> str:
        return keep(_date(int(m[1]), int(m[2]), int(m[3])), m[0])

    def us(m: re.Match[str]) -> str:
        return keep(_date(int(m[3]), int(m[1]), int(m[2])), m[0])

    def month_day(m: re.Match[str]) -> str:
        month, day = _MONTHS[m["month"].lower()], int(m["day"])
        if m["year"]:
            return keep(_date(int(m["year"]), month, day), m[0])
        if not 1 <= day <= 31:
            return m[0]
        partial.append(("md", month, day))
        return " "

    def month_year(m: re.Match[str]) -> str:
        partial.append(("ym", int(m["year"]), _MONTHS[m["month"].lower()]))
        return " "

    text = _ISO_DATE.sub(iso, text)
    text = _US_DATE.sub(us, text)
    text = _DAY_MONTH.sub(month_day, text)
    text = _MONTH_DAY.sub(month_day, text)
    text = _MONTH_YEAR.sub(month_year, text)
    return text, full, partial


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _take_codes(text: str) -> tuple[str, list[str]]:
    codes: list[str] = []

    def take(m: re.Match[str]) -> str:
        unit = _UNIT.match(m[0])
        if unit and unit[2].lower() in {"k", "m"}:
            return m[0]  # 12k, 1.2M: a number with a multiplier, read below
        if unit:
            return unit[1]  # 48h, 90d, 3rd: the number alone
        codes.append(m[0].strip("-"))
        return " "

    return _CODE.sub(take, text), codes


def _take_numbers(text: str) -> tuple[str, list[tuple[str, Decimal, int, tuple[Decimal, ...]]]]:
    """Each number as written, its value, its decimal places and the scales it may stand for."""
    numbers: list[tuple[str, Decimal, int, tuple[Decimal, ...]]] = []

    def take(m: re.Match[str]) -> str:
        raw = m["num"].replace(",", "")
        try:
            value = Decimal(raw)
        except InvalidOperation:
            return m[0]
        places = len(raw.partition(".")[2])
        suffix = (m["suf"] or "").lower()
        if suffix in {"%", "percent"}:
            scales: tuple[Decimal, ...] = (Decimal(1), Decimal(100))  # 12.5% of 0.125 or 12.5
        else:
            scales = (Decimal(1) / _MULTIPLIERS.get(suffix, Decimal(1)),)
        numbers.append((m[0].strip(), value, places, scales))
        return " "

    text = _NUMBER.sub(take, text)
    for word in _SPELLED_WORD.findall(text):
        numbers.append((word, Decimal(_SPELLED[word.lower()]), 0, (Decimal(1),)))
    return text, numbers


def _names(text: str) -> list[str]:
    words = [
        m[0].rstrip("'’").removesuffix("'s").removesuffix("’s") for m in _CAPITALISED.finditer(text)
    ]
    return [w for w in words if w and w.lower() not in generic_words()]


# --- holding it against the evidence ---------------------------------------------------------


def _date_holds(date: DateLike, found: Evidence) -> bool:
    if isinstance(date, dt.date):
        return date in found.dates
    kind, a, b = date
    if kind == "md":
        return any((d.month, d.day) == (a, b) for d in found.dates)
    return any((d.year, d.month) == (a, b) for d in found.dates)


def _number_holds(
    value: Decimal, places: int, scales: tuple[Decimal, ...], found: Evidence
) -> bool:
    """Whether some evidence number, at one of the scales, rounds to ``value`` at ``places``."""
    tolerance = Decimal(5) / Decimal(10) ** (places + 1) + Decimal("1e-9")
    return any(
        abs(abs(number) * scale - value) <= tolerance
        for number in found.numbers
        for scale in scales
    )


def _code_problem(code: str, found: Evidence) -> str | None:
    if _QUARTER.match(code):
        return None
    fiscal = _FISCAL_YEAR.match(code)
    if fiscal:
        year = Decimal(fiscal[1])
        return None if year in found.numbers else f"year {code}"
    return None if code.lower() in found.text else f"code {code}"


def _word_holds(word: str, found: Evidence) -> bool:
    parts = _WORDS.findall(word.lower())
    return all(_part_holds(part, found) for part in parts)


def _part_holds(part: str, found: Evidence) -> bool:
    forms = {part, part.removesuffix("s"), part.removesuffix("es"), part + "s"}
    return bool(forms & found.words) or bool(forms & generic_words())


@lru_cache
def generic_words() -> frozenset[str]:
    """Our own words: common English, month and day names, the wording of prompts/ and of the
    tool catalog (names, descriptions, argument descriptions; not the example questions, which
    name vendors). A capitalised word among them is not taken for a name.
    """
    import prompts
    from tools.registry import TOOLS

    texts: list[str] = []
    for name in ("system.md", "cant_answer.md", "sources.md", "llm_fallback.md"):
        if prompts.exists(name):
            texts.append(prompts.load(name))
    for spec in TOOLS:
        if prompts.exists(f"answers/{spec.name}.md"):
            texts.append(prompts.load(f"answers/{spec.name}.md"))
        texts += [spec.name, spec.description, *spec.keywords]
        texts += [f.description or "" for f in spec.args_model.model_fields.values()]
    words = {w for text in texts for w in _WORDS.findall(text.lower()) if not w.isdigit()}
    return frozenset(words) | COMMON_WORDS


def _show(date: DateLike) -> str:
    if isinstance(date, dt.date):
        return date.isoformat()
    kind, a, b = date
    return f"{a:02d}-{b:02d}" if kind == "md" else f"{a}-{b:02d}"
