"""Value evidence: what a column's sampled cells look like, and how well that fits a field.

A column of dates cannot be a vendor, a column of e-mails cannot be a cost. Each sampled cell is
tried with the same parsers that load it (``ingest/parse.py``), and a few shapes are measured
(e-mail, a person's name, a code, free text); a field's fit is the share of cells that look like
what it holds (``FieldSpec.kind`` and ``FieldSpec.looks``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ingest import parse
from ingest.fields import FieldSpec

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
_PERSON = re.compile(r"^[A-Z][a-z'\-]+\.?(?:,? [A-Z][a-z'\-]*\.?){1,3}$")
_WORD = re.compile(r"^[A-Z][a-z'\-]+$")
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9\-./_ ]{0,30}$", re.IGNORECASE)
_KEY = re.compile(r"^(?=.*\d)[A-Z0-9][A-Z0-9\-_]{3,}$", re.IGNORECASE)
_MONEY_MARK = re.compile(r"[$]|^\(?-?[\d,]+\.\d{2}\)?$|^\d{1,3}(,\d{3})+(\.\d+)?$")
_DIGITS = re.compile(r"^[-+]?\d+$")
# Words in the names of places a district has: a "Lincoln Elementary" is not a person.
PLACE_WORDS = frozenset({
    "school", "elementary", "middle", "high", "academy", "center", "centre", "campus", "office",
    "building", "district", "annex", "institute", "college", "program", "learning", "early",
    "primary", "intermediate", "junior", "senior", "magnet", "charter", "stem", "es", "ms", "hs",
    "jhs", "elem", "admin", "administration", "warehouse", "depot", "library", "room",
})  # fmt: skip


@dataclass(frozen=True)
class ValueProfile:
    """Shares (0-1) of a column's filled sampled cells that look like each kind of value."""

    filled: int
    date: float = 0.0
    time: float = 0.0
    money: float = 0.0
    money_mark: float = 0.0
    integer: float = 0.0
    boolean: float = 0.0
    duration: float = 0.0
    email: float = 0.0
    person: float = 0.0
    place: float = 0.0
    word: float = 0.0
    code: float = 0.0
    key: float = 0.0
    long_text: float = 0.0
    distinct: float = 0.0

    @property
    def numeric(self) -> float:
        """Cells that are numbers of some sort (money or counts)."""
        return max(self.money, self.integer)


def _parses(parser: Callable[[object], Any], cell: object) -> bool:
    try:
        return parser(cell) is not None
    except (ValueError, ArithmeticError, OverflowError):
        return False


def _is_date(cell: object) -> bool:
    if isinstance(cell, dt.date | dt.datetime):
        return True
    if isinstance(cell, str) and (_DIGITS.match(cell.strip()) or len(cell.strip()) < 6):
        return False  # a bare number in text is a count or an id, not an Excel date serial
    if isinstance(cell, int | float | Decimal):
        return False
    return _parses(parse.parse_date, cell)


def _placey(text: str) -> bool:
    return any(word in PLACE_WORDS for word in re.findall(r"[a-z]+", text.lower()))


def profile(cells: Sequence[object]) -> ValueProfile:
    """The profile of a column's sampled cells (blank cells are left out)."""
    filled = [c for c in cells if not parse.is_blank(c)]
    if not filled:
        return ValueProfile(0)
    texts = [str(c).strip() for c in filled]
    n = len(filled)

    def share(test: Callable[[Any], bool], items: Sequence[Any] = filled) -> float:
        return sum(1 for item in items if test(item)) / n

    return ValueProfile(
        filled=n,
        date=share(_is_date),
        time=share(lambda t: bool(re.search(r"\d:\d\d", t)), texts),
        money=share(lambda c: not _is_date(c) and _parses(parse.parse_money, c)),
        money_mark=share(lambda t: bool(_MONEY_MARK.search(t)), texts),
        integer=share(lambda c: not _is_date(c) and _parses(parse.parse_int, c)),
        boolean=share(lambda c: _parses(parse.parse_bool, c)),
        duration=share(lambda c: not _is_date(c) and _parses(parse.parse_days, c)),
        email=share(lambda t: bool(_EMAIL.match(t)), texts),
        person=share(
            lambda t: bool(_PERSON.match(t)) and len(t.split()) <= 4 and not _placey(t), texts
        ),
        place=share(_placey, texts),
        word=share(lambda t: bool(_WORD.match(t)), texts),
        code=share(lambda t: bool(_CODE.match(t)) and len(t) <= 24, texts),
        key=share(lambda t: bool(_KEY.match(t)), texts),
        long_text=share(lambda t: len(t) >= 40 or len(t.split()) >= 6, texts),
        distinct=len(set(texts)) / n,
    )


def fit(spec: FieldSpec, p: ValueProfile) -> float | None:
    """0-1: how well a column's values fit a field; None when no cell was sampled."""
    if not p.filled:
        return None
    match spec.kind:
        case "date" | "datetime":
            return p.date
        case "money":
            return p.money * (1 - p.date) * (0.6 + 0.4 * p.money_mark)
        case "int":
            return p.integer * (1 - p.date) * (1 - 0.6 * p.money_mark)
        case "days" | "months":
            return max(p.duration, p.integer) * (1 - p.date) * (1 - 0.8 * p.money_mark)
        case "bool":
            return p.boolean * (1 - p.integer * (1 - p.boolean))
        case "serial":
            return p.key * (1 - p.email)
        case _:
            return _text_fit(spec, p)


def _text_fit(spec: FieldSpec, p: ValueProfile) -> float:
    """Text fields: the shape the field's values take, and never dates, amounts or e-mails."""
    not_other = (1 - p.date) * (1 - p.money_mark) * (1 - p.boolean * 0.7)
    if spec.looks != "email":
        not_other *= 1 - p.email
    match spec.looks:
        case "email":
            return p.email
        case "person":
            return not_other * (0.3 + 0.7 * p.person) * (1 - 0.9 * p.integer) * (1 - 0.7 * p.place)
        case "name":
            return not_other * (0.2 + 0.8 * p.word)
        case "free_text":
            return not_other * (0.4 + 0.6 * p.long_text) * (1 - 0.5 * p.integer)
        case "key":
            return not_other * (0.3 + 0.7 * max(p.key, p.integer)) * (0.5 + 0.5 * p.distinct)
        case "code":
            return not_other * (0.4 + 0.6 * p.code) * (1 - 0.5 * p.long_text)
        case "place":  # ids are not names; people's names are not places
            return (
                not_other * (1 - 0.7 * p.long_text) * (1 - 0.9 * p.integer)
                * (1 - 0.8 * p.person) * (0.8 + 0.2 * p.place)
            )  # fmt: skip
        case "label":
            return not_other * (1 - 0.7 * p.long_text) * (1 - 0.5 * p.integer)
        case _:
            return not_other
