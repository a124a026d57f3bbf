"""Scoring one answer: are the expected facts in its text, and is every figure in it backed?

An answer is *right* when the expected tool ran (or, for a question the data cannot answer, it
refused) and every expected fact appears in the answer text. Facts are compared after
normalising how people and templates write them: money ("$12,500.00", "$12,500", "12500.00"),
counts ("1,234"), dates ("2027-01-05", "Jan 5, 2027", "January 5, 2027", "1/5/2027") and
decimals shown to fewer places than computed ("12.34" for 12.3412).

A figure is *invented* when the answer text shows a number that neither the tool's full result,
its arguments, the rows, the question nor the as-of date holds (allowing display rounding and
the composer's "…and N more"). The "from:" provenance line is left out of that check.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

REFUSAL = "I can't answer that from the data I have"
EXAMPLES_HEADER = "I can answer questions like:"

_MONTHS = {
    name.lower(): i
    for i, names in enumerate(
        [
            ("Jan", "January"), ("Feb", "February"), ("Mar", "March"), ("Apr", "April"),
            ("May", "May"), ("Jun", "June"), ("Jul", "July"), ("Aug", "August"),
            ("Sep", "September", "Sept"), ("Oct", "October"), ("Nov", "November"),
            ("Dec", "December"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH_WORDS = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_PATTERNS = (
    (re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)"), "ymd"),
    (re.compile(rf"\b({_MONTH_WORDS})\.? (\d{{1,2}}), (\d{{4}})\b", re.I), "mdy_words"),
    (re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])"), "mdy"),
)
# A number standing alone: not part of a serial like 5CD123ABCD or a label like FY2027 / Q3.
_NUMBER = re.compile(
    r"(?<![A-Za-z0-9_.#\-])(\$?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(%?)(?![A-Za-z0-9_])"
)
_FISCAL_LABEL = re.compile(r"\bFY\d{2,4}(?: Q\d)?\b|\bQ[1-4]\b")


@dataclass(frozen=True)
class Fact:
    """One thing a right answer must say.

    ``kind`` is how it is matched: "count" (a whole number), "money" (to the cent), "date",
    "number" (a decimal, rounded to ``places``), "text" (case-insensitive, any of ``value``'s
    alternatives when it is a tuple) or "none" (the answer says there are none: a 0, "no ...",
    "nothing"). ``label`` says what the figure is, for the failure report.
    """

    kind: str
    value: Any
    label: str
    places: int = 2

    def shown(self) -> str:
        """The fact as a person reads it in the failure report."""
        if self.kind == "money":
            return f"{self.label} ${Decimal(self.value):,.2f}"
        if self.kind == "date":
            return f"{self.label} {self.value.isoformat()}"
        if self.kind == "text" and isinstance(self.value, tuple):
            return f"{self.label} one of {list(self.value)[:4]}"
        return f"{self.label} {self.value}"


def count(value: int, label: str) -> Fact:
    """A count; zero is matched as "none"."""
    return Fact("count", value, label) if value else Fact("none", 0, label)


def money(value: Decimal, label: str) -> Fact:
    """An amount of dollars, to the cent."""
    return Fact("money", Decimal(value).quantize(Decimal("0.01")), label)


def day(value: dt.date, label: str) -> Fact:
    """A calendar date."""
    return Fact("date", value, label)


def text(value: str | Iterable[str], label: str) -> Fact:
    """A name or phrase (any one of several, when given several)."""
    return Fact("text", value if isinstance(value, str) else tuple(value), label)


def number(value: float, label: str, places: int = 1) -> Fact:
    """A decimal figure shown rounded to ``places``."""
    return Fact("number", round(float(value), places), label, places)


# --- reading figures out of text -----------------------------------------------------------------


def dates_in(text_: str) -> set[dt.date]:
    """Every date written in the text, in any of the usual forms."""
    found: set[dt.date] = set()
    for pattern, form in _DATE_PATTERNS:
        for match in pattern.finditer(text_):
            a, b, c = match.groups()
            try:
                if form == "ymd":
                    found.add(dt.date(int(a), int(b), int(c)))
                elif form == "mdy_words":
                    found.add(dt.date(int(c), _MONTHS[a.lower()], int(b)))
                else:
                    found.add(dt.date(int(c), int(a), int(b)))
            except ValueError:
                continue
    return found


def strip_dates(text_: str) -> str:
    """The text with its dates and fiscal labels blanked out, so their parts are not numbers."""
    for pattern, _ in _DATE_PATTERNS:
        text_ = pattern.sub(" ", text_)
    return _FISCAL_LABEL.sub(" ", text_)


@dataclass(frozen=True)
class Figure:
    """A number as written in an answer: its value, its decimals, and whether it was money."""

    written: str
    value: Decimal
    places: int
    is_money: bool


def figures_in(text_: str) -> list[Figure]:
    """Every standalone number in the text (dates and fiscal labels excluded)."""
    out = []
    for match in _NUMBER.finditer(strip_dates(text_)):
        dollar, whole, fraction, _percent = match.groups()
        raw = whole.replace(",", "") + (fraction or "")
        try:
            value = Decimal(raw)
        except InvalidOperation:  # pragma: no cover - the pattern admits only digits
            continue
        places = len(fraction) - 1 if fraction else 0
        out.append(Figure(match.group(0), value, places, bool(dollar)))
    return out


# --- facts ---------------------------------------------------------------------------------------

_NONE_WORDS = re.compile(r"\b(no|none|nothing|zero|not any)\b", re.I)


def fact_found(fact: Fact, answer: str) -> bool:
    """Whether the answer text states the fact."""
    match fact.kind:
        case "count":
            return any(f.places == 0 and f.value == fact.value for f in figures_in(answer))
        case "money":
            return any(f.value == fact.value for f in figures_in(answer))
        case "number":
            return any(_same_shown(f, fact.value) for f in figures_in(answer))
        case "date":
            return fact.value in dates_in(answer)
        case "text":
            options = fact.value if isinstance(fact.value, tuple) else (fact.value,)
            flat = _flat(answer)
            return any(_flat(option) in flat for option in options)
        case "none":
            first = answer.strip().splitlines()[0] if answer.strip() else ""
            zero = any(f.value == 0 for f in figures_in(first))
            return zero or bool(_NONE_WORDS.search(first))
        case _:
            raise ValueError(f"Unsupported fact kind: {fact.kind!r}")


def _same_shown(figure: Figure, value: float) -> bool:
    """A decimal matches when either side, rounded to the other's places, is the same."""
    places = min(figure.places, 3)
    return round(float(figure.value), places) == round(value, places) or (
        abs(float(figure.value) - value) < 0.051
    )


def _flat(value: str) -> str:
    return " ".join(value.lower().replace("*", "").split())


def missing_facts(facts: Iterable[Fact], answer: str) -> list[Fact]:
    """The expected facts the answer does not state."""
    return [fact for fact in facts if not fact_found(fact, answer)]


# --- refusals and invented figures -----------------------------------------------------------------


def is_refusal(answer: str) -> bool:
    """The one honest refusal (prompts/cant_answer.md) leads the answer."""
    return answer.strip().startswith(REFUSAL)


def refusal_figures(answer: str) -> list[str]:
    """Numbers in a refusal before its canned example questions (there should be none)."""
    head = answer.split(EXAMPLES_HEADER)[0]
    return [f.written for f in figures_in(head)] + [d.isoformat() for d in dates_in(head)]


def backing(*sources: Any) -> tuple[set[Decimal], set[dt.date]]:
    """Every number and date held anywhere in the given values (results, rows, args, text)."""
    numbers: set[Decimal] = set()
    dates: set[dt.date] = set()
    lengths: list[int] = []

    def walk(value: Any) -> None:
        if isinstance(value, bool) or value is None:
            return
        if isinstance(value, int | float | Decimal):
            numbers.add(Decimal(str(value)))
        elif isinstance(value, dt.datetime):
            dates.add(value.date())
        elif isinstance(value, dt.date):
            dates.add(value)
        elif isinstance(value, str):
            dates.update(dates_in(value))
            dates.update(_iso_prefix(value))
            numbers.update(f.value for f in figures_in(value))
        elif isinstance(value, dict):
            lengths.append(len(value))
            for key, item in value.items():
                walk(key)
                walk(item)
        elif isinstance(value, list | tuple | set):
            lengths.append(len(value))
            for item in value:
                walk(item)

    for source in sources:
        walk(source)
    # The composer's "…and N more" after showing the first 10 (or 5, or 8) of a list or a count.
    for total in [*lengths, *(int(n) for n in numbers if n == int(n) and 0 < n < 10**7)]:
        numbers.update(Decimal(total - shown) for shown in (5, 8, 10) if total > shown)
    numbers.update(Decimal(n) for n in lengths)
    return numbers, dates


def _iso_prefix(value: str) -> set[dt.date]:
    """'2027-01-05T00:00:00' -> its day."""
    try:
        return {dt.date.fromisoformat(value[:10])} if len(value) >= 10 else set()
    except ValueError:
        return set()


_MONTH_YEAR = re.compile(rf"\b({_MONTH_WORDS}) (\d{{4}})\b", re.I)
_SPAN = re.compile(r"\b(next|past|last|coming) (\d+) (day|week|month|year)s?\b", re.I)
_UNIT_DAYS = {"day": 1.0, "week": 7.0, "month": 30.44, "year": 365.25}


def _span_backed(match: re.Match[str], window: tuple[dt.date, dt.date] | None) -> bool:
    """'the next 90 days' agrees with the window the tool was asked about (within one unit)."""
    if window is None:
        return False
    unit = _UNIT_DAYS[match.group(3).lower()]
    days = (window[1] - window[0]).days + 1
    return abs(days - int(match.group(2)) * unit) <= unit + 1


def invented_figures(
    answer: str,
    numbers: set[Decimal],
    dates: set[dt.date],
    window: tuple[dt.date, dt.date] | None = None,
) -> list[str]:
    """Numbers and dates in the answer text that nothing behind the answer holds.

    Besides plain figures and dates, a month label ("December 2026") must name a month some
    backing date falls in, and a span ("the next 90 days") must agree with the tool's window.
    """
    body = "\n".join(
        line for line in answer.splitlines() if not line.lstrip("_").startswith("from:")
    )
    bad = [d.isoformat() for d in sorted(dates_in(body)) if d not in dates]
    body = strip_dates(body)
    months = {(d.year, d.month) for d in dates}
    for match in _MONTH_YEAR.finditer(body):
        if (int(match.group(2)), _MONTHS[match.group(1).lower()]) not in months:
            bad.append(match.group(0))
    body = _MONTH_YEAR.sub(" ", body)
    for match in _SPAN.finditer(body):
        if not _span_backed(match, window):
            bad.append(match.group(0))
    body = _SPAN.sub(" ", body)
    floats = [float(n) for n in numbers]
    for figure in figures_in(body):
        if figure.value in numbers:
            continue
        tolerance = 0.5 * 10**-figure.places if figure.places else 0.5
        if any(abs(float(figure.value) - n) <= tolerance + 1e-9 for n in floats) and (
            figure.places > 0 or figure.value >= 100  # "4,281" shown for 4281.2 is rounding
        ):
            continue
        bad.append(figure.written)
    return bad
