"""Fiscal periods and the time windows that questions name, relative to an as-of date.

This is the one module that turns phrases such as "next quarter", "FY27 Q4", "the next 90 days",
"before June 30" or "the 2027-28 school year" into concrete, inclusive date windows. Every result
is computed from an explicit ``as_of`` date and a :class:`FiscalCalendar`; nothing reads the clock
or the environment, so the same question always gets the same window.

Conventions, written down so that nobody has to guess them:

* A fiscal year is named by the calendar year it ends in: with the default July 1 start, FY2027
  runs Jul 1, 2026 - Jun 30, 2027. Quarters are always fiscal quarters (Q1 opens the fiscal year),
  and a bare "Q3" is Q3 of the current fiscal year, even when it is already over.
* A school year is taken to be the fiscal year: "this school year" and "the 2026-27 school year"
  get the fiscal year's bounds, with kind ``"school_year"``.
* "this year", "next year" and "last year" mean fiscal years, because a district plans and buys by
  fiscal year. "this calendar year", "calendar 2027", "CY2027" and "in 2027" mean January-December
  (kind ``"calendar_year"``). A bare year counts only after "in"/"during" and within 20 years of
  as_of, so "in 2000 Chromebooks" stays a count.
* Forward spans ("the next 90 days", "within 3 months", "in the next two weeks") run from tomorrow
  to as_of + N; so do "within a month" and "in the next month", while a bare "next month" is the
  next calendar month. Deadlines ("before June 30", "by the end of the fiscal year") run from
  tomorrow to the named day, inclusive; a deadline falling on as_of itself gives the one-day
  window as_of, and a deadline already past gives None. "before March" ends on the last day of
  February, while "by March" and "until the end of March" end on March 31.
* Backward spans ("the past 30 days", "last 3 months", "the past month", "in the last year") end
  on as_of and include it. Without "the", "last month" and "last week" are the previous calendar
  month and Monday-Sunday week.
* A month or a day without a year means its next occurrence on or after as_of: "in January" is the
  coming January (this one while we are in it); "between Jan 1 and Mar 31" ends on the next
  March 31 and starts on the Jan 1 before it. "since July 1" looks back to the latest July 1.
* When a question holds several time phrases, the one that starts first wins, then the longer one.
  A number alone ("90 days notice"), serial numbers and dollar amounts never make a window.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from dateutil import parser as date_parser
from dateutil.relativedelta import relativedelta

ONE_DAY = timedelta(days=1)

KINDS = (
    "quarter",
    "fiscal_year",
    "month",
    "days",
    "week",
    "until",
    "range",
    "school_year",
    "calendar_year",
)
"""Every value :attr:`Window.kind` can take."""

_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


# --------------------------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------------------------


def format_day(d: date) -> str:
    """Format a day as "Jan 5, 2027".

    Spelled out by hand rather than with strftime("%b") so answers never depend on the locale.
    """
    return f"{_MONTH_ABBR[d.month - 1]} {d.day}, {d.year}"


def format_range(start: date, end: date) -> str:
    """Format an inclusive span as "Jan 1, 2027 – Mar 31, 2027", the form every label ends with."""
    return f"{format_day(start)} – {format_day(end)}"


def _label(name: str, start: date, end: date) -> str:
    """Join a period's name and its dates so answers always show exactly which days were used."""
    return f"{name} ({format_range(start, end)})"


def _name_of(window: Window) -> str:
    """Recover the name part of a label built by :func:`_label`, to reuse it in a longer phrase."""
    return window.label.partition(" (")[0]


# --------------------------------------------------------------------------------------------
# Fiscal calendar
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FiscalCalendar:
    """When a district's fiscal year starts; July 1 by default (September 1 in Texas, October 1
    for federal grants).

    Attributes:
        start_month: Month the fiscal year starts in, 1-12.
        start_day: Day of that month it starts on, 1-28, so every quarter start exists every year.
    """

    start_month: int = 7
    start_day: int = 1

    def __post_init__(self) -> None:
        """Reject starts that would make some fiscal year or quarter boundary not exist."""
        if not 1 <= self.start_month <= 12:
            raise ValueError(f"start_month must be 1-12, not {self.start_month}")
        if not 1 <= self.start_day <= 28:
            raise ValueError(f"start_day must be 1-28, not {self.start_day}")

    def _year_start(self, d: date) -> date:
        """First day of the fiscal year holding ``d``; the anchor for years and quarters."""
        start = date(d.year, self.start_month, self.start_day)
        return start if d >= start else start - relativedelta(years=1)

    def fiscal_year(self, d: date) -> int:
        """Fiscal year holding ``d``, named by the year it ends in (2026-07-01 -> 2027).

        Args:
            d: Any day.

        Returns:
            The fiscal year number.
        """
        start = self._year_start(d)
        return int((start + relativedelta(years=1) - ONE_DAY).year)

    def year_bounds(self, fy: int) -> tuple[date, date]:
        """First and last day of fiscal year ``fy`` (FY2027 -> 2026-07-01, 2027-06-30).

        Args:
            fy: Fiscal year number, named by the year it ends in.

        Returns:
            The inclusive (start, end) days.
        """
        # Only a January 1 start ends in the year it starts; every other start ends a year later.
        starts_in_previous_year = (self.start_month, self.start_day) != (1, 1)
        start = date(fy - 1 if starts_in_previous_year else fy, self.start_month, self.start_day)
        return start, start + relativedelta(years=1) - ONE_DAY

    def quarter(self, d: date) -> tuple[int, int]:
        """Fiscal year and quarter holding ``d``; with a July start, Jul-Sep is Q1.

        Args:
            d: Any day.

        Returns:
            (fiscal year, quarter in 1..4).
        """
        elapsed = relativedelta(d, self._year_start(d))
        return self.fiscal_year(d), (elapsed.years * 12 + elapsed.months) // 3 + 1

    def quarter_bounds(self, fy: int, q: int) -> tuple[date, date]:
        """First and last day of quarter ``q`` of fiscal year ``fy``.

        Args:
            fy: Fiscal year number.
            q: Quarter, 1..4.

        Returns:
            The inclusive (start, end) days.
        """
        if not 1 <= q <= 4:
            raise ValueError(f"quarter must be 1-4, not {q}")
        start = self.year_bounds(fy)[0] + relativedelta(months=3 * (q - 1))
        return start, start + relativedelta(months=3) - ONE_DAY


DEFAULT_CALENDAR = FiscalCalendar()
"""The July 1 fiscal year most US school districts use."""


# --------------------------------------------------------------------------------------------
# Windows
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """An inclusive span of days that a question asked about, with the label to echo back.

    Attributes:
        start: First day.
        end: Last day, inclusive.
        label: Human label for answers, e.g. "FY2027 Q3 (Jan 1, 2027 – Mar 31, 2027)".
        kind: One of :data:`KINDS`; decides what :meth:`shifted` steps by.
    """

    start: date
    end: date
    label: str
    kind: str

    def __post_init__(self) -> None:
        """Refuse empty windows so every consumer can rely on start <= end."""
        if self.end < self.start:
            raise ValueError(f"window ends ({self.end}) before it starts ({self.start})")
        if self.kind not in KINDS:
            raise ValueError(f"unknown window kind {self.kind!r}")

    @property
    def days(self) -> int:
        """Number of days covered, counting both ends; the unit equal-length shifts step by."""
        return (self.end - self.start).days + 1

    def contains(self, d: date) -> bool:
        """Whether ``d`` falls inside the window, ends included, for filtering records."""
        return self.start <= d <= self.end

    def shifted(self, n: int, calendar: FiscalCalendar = DEFAULT_CALENDAR) -> Window:
        """The same kind of period ``n`` steps later (or earlier when negative).

        Used for follow-ups such as "and the quarter after?". Quarters, fiscal and school years,
        calendar years, months and weeks step by their own length; "days" windows step by their
        length in days. "until" and "range" windows step by whole months when they cover whole
        months (Jan 1 - Mar 31 -> Apr 1 - Jun 30), otherwise by their length in days.

        Args:
            n: Number of periods to move; 0 returns the window unchanged.
            calendar: Fiscal calendar that defines quarters and fiscal years.

        Returns:
            The shifted window, of the same kind.
        """
        if n == 0:
            return self
        if self.kind == "quarter":
            fy, q = calendar.quarter(self.start)
            index = fy * 4 + (q - 1) + n
            return quarter_window(index // 4, index % 4 + 1, calendar)
        if self.kind == "fiscal_year":
            return fiscal_year_window(calendar.fiscal_year(self.start) + n, calendar)
        if self.kind == "school_year":
            return school_year_window(calendar.fiscal_year(self.start) + n, calendar)
        if self.kind == "calendar_year":
            return calendar_year_window(self.start.year + n)
        if self.kind == "month":
            moved = self.start + relativedelta(months=n)
            return month_window(moved.year, moved.month)
        if self.kind == "week":
            return week_window(self.start + timedelta(weeks=n))
        months = _whole_months(self.start, self.end)
        if self.kind != "days" and months:
            start = self.start + relativedelta(months=n * months)
            end = start + relativedelta(months=months) - ONE_DAY
            if months == 1:
                return replace(month_window(start.year, start.month), kind=self.kind)
            return Window(start, end, format_range(start, end), self.kind)
        start = self.start + timedelta(days=n * self.days)
        end = start + timedelta(days=self.days - 1)
        return Window(start, end, _label(f"{self.days} days", start, end), self.kind)


def _whole_months(start: date, end: date) -> int:
    """How many whole calendar months a span covers exactly, or 0 if it does not."""
    after = end + ONE_DAY
    if start.day != 1 or after.day != 1:
        return 0
    gap = relativedelta(after, start)
    return int(gap.years * 12 + gap.months)


def quarter_window(fy: int, q: int, calendar: FiscalCalendar = DEFAULT_CALENDAR) -> Window:
    """Window for one fiscal quarter, labelled "FY2027 Q3 (...)"."""
    start, end = calendar.quarter_bounds(fy, q)
    return Window(start, end, _label(f"FY{fy} Q{q}", start, end), "quarter")


def fiscal_year_window(fy: int, calendar: FiscalCalendar = DEFAULT_CALENDAR) -> Window:
    """Window for one fiscal year, labelled "FY2027 (...)"."""
    start, end = calendar.year_bounds(fy)
    return Window(start, end, _label(f"FY{fy}", start, end), "fiscal_year")


def fiscal_years_window(
    first: int, last: int, calendar: FiscalCalendar = DEFAULT_CALENDAR
) -> Window:
    """Window for whole fiscal years ``first`` to ``last``, labelled "FY2030–FY2034 (...)"; one
    year is that fiscal year's own window."""
    if first == last:
        return fiscal_year_window(first, calendar)
    start, end = calendar.year_bounds(first)[0], calendar.year_bounds(last)[1]
    return Window(start, end, _label(f"FY{first}–FY{last}", start, end), "range")


def school_year_window(fy: int, calendar: FiscalCalendar = DEFAULT_CALENDAR) -> Window:
    """Window for the school year that coincides with fiscal year ``fy``, labelled the way staff
    say it: "the 2026–27 school year (...)"."""
    start, end = calendar.year_bounds(fy)
    years = f"{start.year}–{end.year % 100:02d}" if start.year != end.year else str(end.year)
    return Window(start, end, _label(f"the {years} school year", start, end), "school_year")


def calendar_year_window(year: int) -> Window:
    """Window for January 1 - December 31 of ``year``."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    return Window(start, end, _label(f"calendar year {year}", start, end), "calendar_year")


def month_window(year: int, month: int) -> Window:
    """Window for one calendar month, labelled "December 2026 (...)"."""
    start = date(year, month, 1)
    end = start + relativedelta(months=1) - ONE_DAY
    return Window(start, end, _label(f"{_MONTH_NAMES[month - 1]} {year}", start, end), "month")


def week_window(d: date) -> Window:
    """Window for the Monday-Sunday week holding ``d``."""
    start = d - timedelta(days=d.weekday())
    end = start + timedelta(days=6)
    return Window(start, end, _label(f"the week of {format_day(start)}", start, end), "week")


# --------------------------------------------------------------------------------------------
# Regular-expression building blocks
# --------------------------------------------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_YEAR = r"(?:19|20)\d\d(?!\d)"
_ORDINAL = r"(?:st|nd|rd|th)?"
# An explicit day: ISO, US numeric (6/30, 6/30/2027), "June 30[, 2027]" or "30 June [2027]". The
# guards keep serial numbers ("5CD1234XYZ") and amounts ("$6/30") from looking like dates.
_DATE = (
    r"(?<![\w$/.])(?:"
    r"\d{4}-\d{1,2}-\d{1,2}"
    r"|\d{1,2}/\d{1,2}(?:/(?:\d{4}|\d{2}))?"
    rf"|{_MONTH}\s*\d{{1,2}}(?!\d){_ORDINAL}(?:,?\s*{_YEAR})?"
    rf"|\d{{1,2}}{_ORDINAL}\s+(?:of\s+)?{_MONTH}(?:,?\s*{_YEAR})?"
    r")(?![\w/])"
)
_NUMBER = r"\d{1,4}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|an?"
_UNIT = r"day|week|month|year"
_LEAD = r"(?:(?:with)?in\s+|over\s+|during\s+|for\s+)?"
_REL = r"this|current|present|next|following|coming|upcoming|last|previous|prior|past"
_PERIOD = r"fiscal\s+year|school\s+year|calendar\s+year|fiscal\s+quarter|quarter|month|week|fy|year"
_FY_EXPLICIT = r"(?:fy\s*[-']?\s*(?:\d{4}|\d{2})|fiscal\s+(?:year\s+)?\d{4})(?!\d)"
_FY_REF = (
    rf"(?:{_FY_EXPLICIT}"
    rf"|(?:{_REL})\s+(?:fiscal\s+year|school\s+year|fy|year)\b"
    r"|(?:fiscal\s+year|school\s+year|fy|year)\s+(?:after\s+next|before\s+last)\b)"
)
_CONNECTOR = r"\s*(?:to|through|thru|until|till|and|-|–|—)\s*"
_UNTIL = r"before|by|until|till|til|through|thru|prior\s+to|no\s+later\s+than"

_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_OFFSETS = {
    "this": 0,
    "current": 0,
    "present": 0,
    "next": 1,
    "following": 1,
    "coming": 1,
    "upcoming": 1,
    "last": -1,
    "previous": -1,
    "prior": -1,
    "past": -1,
}
_ORDINAL_QUARTERS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
}


# --------------------------------------------------------------------------------------------
# Small resolvers shared by the phrase handlers
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _DaySpec:
    """A day as written: month and day always, year only when the question gave one."""

    month: int
    day: int
    year: int | None


def _month_number(text: str) -> int:
    """Month number of a month name or abbreviation ("Sept." -> 9)."""
    return [m.lower() for m in _MONTH_ABBR].index(text.strip(". ").lower()[:3]) + 1


def _count(text: str) -> int:
    """Value of a count written as digits or as a word from one to twelve ("a" counts as one)."""
    return int(text) if text.isdigit() else _NUMBER_WORDS[text.lower()]


def _parse_day(token: str) -> _DaySpec | None:
    """Read an explicit day with dateutil, keeping track of whether a year was written.

    The default year is 2000, a leap year, so "Feb 29" without a year is still understood.
    """
    has_year = bool(re.search(r"\d{4}", token)) or token.count("/") == 2
    cleaned = re.sub(r"\bof\b", " ", token, flags=re.IGNORECASE).replace(".", " ")
    try:
        parsed = date_parser.parse(cleaned, default=datetime(2000, 1, 1))
    except (ValueError, OverflowError):
        return None
    return _DaySpec(parsed.month, parsed.day, parsed.year if has_year else None)


def _on_or_after(month: int, day: int, ref: date) -> date:
    """Next occurrence of month/day on or after ``ref``; skips years without a Feb 29."""
    for year in range(ref.year, ref.year + 9):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= ref:
            return candidate
    raise ValueError(f"no {month}/{day} after {ref}")


def _on_or_before(month: int, day: int, ref: date) -> date:
    """Latest occurrence of month/day on or before ``ref``; skips years without a Feb 29."""
    for year in range(ref.year, ref.year - 9, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= ref:
            return candidate
    raise ValueError(f"no {month}/{day} before {ref}")


def _resolve_day(spec: _DaySpec, as_of: date) -> date | None:
    """The day meant: as written when it has a year, else its next occurrence from as_of."""
    if spec.year is not None:
        try:
            return date(spec.year, spec.month, spec.day)
        except ValueError:
            return None
    return _on_or_after(spec.month, spec.day, as_of)


def _month_year_on_or_after(month: int, as_of: date) -> int:
    """Year of the next occurrence of ``month``, counting the current month as still to come."""
    return as_of.year if month >= as_of.month else as_of.year + 1


def _resolve_fy_ref(text: str, as_of: date, calendar: FiscalCalendar) -> int | None:
    """Fiscal year named by "FY27", "fiscal 2027", "next fiscal year", "2027" and the like."""
    text = " ".join(text.lower().split())
    if re.fullmatch(_YEAR, text):
        return int(text)
    explicit = re.fullmatch(r"(?:fy\s*[-']?\s*|fiscal\s+(?:year\s+)?)(\d{4}|\d{2})", text)
    if explicit:
        return _four_digit_year(explicit[1])
    current = calendar.fiscal_year(as_of)
    relative = re.fullmatch(rf"({_REL})\s+\D+", text)
    if relative:
        return current + _OFFSETS[relative[1]]
    if text.endswith("after next"):
        return current + 2
    if text.endswith("before last"):
        return current - 2
    return None


def _is_fraction(m: re.Match[str]) -> bool:
    """Whether a numeric "1/2" in the match is a fraction ("1/2 of the price"), not a day."""
    followed_by_of = re.match(r"\s+of\b", m.string[m.end() :], re.IGNORECASE) is not None
    return followed_by_of and re.fullmatch(r"\d{1,2}/\d{1,2}", m[1]) is not None


def _four_digit_year(text: str) -> int:
    """Expand a two-digit year to 20xx, the only century district questions talk about."""
    return int(text) if len(text) == 4 else 2000 + int(text)


def _period_window(unit: str, offset: int, as_of: date, calendar: FiscalCalendar) -> Window:
    """The fiscal/school/calendar year, quarter, month or week ``offset`` periods from as_of.

    "year" alone means the fiscal year (see the module docstring).
    """
    unit = " ".join(unit.lower().split())
    if unit in ("fiscal year", "fy", "year"):
        base = fiscal_year_window(calendar.fiscal_year(as_of), calendar)
    elif unit == "school year":
        base = school_year_window(calendar.fiscal_year(as_of), calendar)
    elif unit == "calendar year":
        base = calendar_year_window(as_of.year)
    elif unit in ("quarter", "fiscal quarter"):
        base = quarter_window(*calendar.quarter(as_of), calendar)
    elif unit == "month":
        base = month_window(as_of.year, as_of.month)
    else:
        base = week_window(as_of)
    return base.shifted(offset, calendar)


class _NoWindow:
    """Marker for a real time phrase that names no usable window, such as a deadline already
    past: the question gets None, and no shorter phrase inside it ("March 2026" in "by March
    2026") is read instead."""


_NO_WINDOW = _NoWindow()

_Found = Window | _NoWindow | None
"""What a phrase handler gives: a window, a phrase naming none, or no time phrase at all."""


def _until(end: date, as_of: date, name: str) -> Window | _NoWindow:
    """Window from tomorrow through a deadline; nothing once the deadline has passed."""
    if end < as_of:
        return _NO_WINDOW
    start = min(as_of + ONE_DAY, end)
    return Window(start, end, _label(name, start, end), "until")


def _to_date(start: date, as_of: date, name: str) -> Window | _NoWindow:
    """Window from a past day through as_of, for "since ..." and "... to date"."""
    if start > as_of:
        return _NO_WINDOW
    return Window(start, as_of, _label(name, start, as_of), "range")


# --------------------------------------------------------------------------------------------
# Phrase handlers. Each turns one regular-expression match into a window, _NO_WINDOW when the
# phrase names a time that gives no window, or None when the match is not a time phrase after
# all. Registration order breaks ties between matches of the same start and length.
# --------------------------------------------------------------------------------------------

_Handler = Callable[[re.Match[str], date, FiscalCalendar], _Found]
_HANDLERS: list[tuple[re.Pattern[str], _Handler]] = []


def _phrase(pattern: str) -> Callable[[_Handler], _Handler]:
    """Register a handler for the phrases ``pattern`` matches (case-insensitive)."""

    def register(handler: _Handler) -> _Handler:
        _HANDLERS.append((re.compile(pattern, re.IGNORECASE), handler))
        return handler

    return register


@_phrase(rf"\b(?:(?:from|between)\s+)?({_DATE}){_CONNECTOR}({_DATE})")
def _day_range(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "between Jan 1 and Mar 31", "from 2027-01-01 to 2027-03-31", "6/1 - 6/30"."""
    first, last = _parse_day(m[1]), _parse_day(m[2])
    if first is None or last is None:
        return None
    start = _resolve_day(first, as_of) if first.year is not None else None
    end = _resolve_day(last, as_of) if last.year is not None else None
    if (first.year is not None and start is None) or (last.year is not None and end is None):
        return None  # an impossible day such as Feb 30, 2027
    if start is None:
        if end is None:
            end = _on_or_after(last.month, last.day, as_of)
        start = _on_or_before(first.month, first.day, end)
    elif end is None:
        end = _on_or_after(last.month, last.day, start)
    start, end = min(start, end), max(start, end)
    return Window(start, end, format_range(start, end), "range")


@_phrase(
    rf"\b(?:from|between)\s+({_MONTH})(?:,?\s+({_YEAR}))?{_CONNECTOR}"
    rf"({_MONTH})(?:,?\s+({_YEAR}))?(?!\s*\d)"
)
def _month_range(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "from January to March", "between Oct 2026 and Dec 2026": whole months."""
    first, last = _month_number(m[1]), _month_number(m[3])
    if m[4]:
        last_year = int(m[4])
    elif m[2]:
        last_year = int(m[2]) + (1 if last < first else 0)
    else:
        last_year = _month_year_on_or_after(last, as_of)
    first_year = int(m[2]) if m[2] else last_year - (1 if first > last else 0)
    start = date(first_year, first, 1)
    end = date(last_year, last, 1) + relativedelta(months=1) - ONE_DAY
    if end < start:
        start, end = (
            date(last_year, last, 1),
            date(first_year, first, 1) + relativedelta(months=1, days=-1),
        )
    return Window(start, end, format_range(start, end), "range")


@_phrase(rf"\b(?:{_UNTIL}|up\s+to)\s+(?:on\s+)?(?:the\s+)?({_DATE})")
def _until_day(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "before June 30", "by 6/30/2028", "until June 30th": tomorrow through that day.

    "by 1/2 of the price" is a fraction, not a day.
    """
    if _is_fraction(m):
        return None
    spec = _parse_day(m[1])
    end = _resolve_day(spec, as_of) if spec else None
    return _until(end, as_of, f"until {format_day(end)}") if end else None


@_phrase(rf"\b(?:before|until|till|til|prior\s+to)\s+({_MONTH})(?:,?\s+({_YEAR}))?(?!\s*\d)")
def _before_month(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "before March", "until March 2027": tomorrow through the day before it starts."""
    month = _month_number(m[1])
    if m[2]:
        boundary = date(int(m[2]), month, 1)
    else:
        boundary = date(as_of.year, month, 1)
        if boundary <= as_of:
            boundary += relativedelta(years=1)
    return _until(boundary - ONE_DAY, as_of, f"before {_MONTH_NAMES[month - 1]} {boundary.year}")


@_phrase(
    rf"\b(?:by|through|thru|no\s+later\s+than|(?:{_UNTIL})\s+(?:the\s+)?end\s+of)\s+"
    rf"(?:the\s+month\s+of\s+)?({_MONTH})(?:,?\s+({_YEAR}))?(?!\s*\d)"
)
def _by_month(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "by March", "by March 2027", "before the end of March": through its last day."""
    month = _month_number(m[1])
    year = int(m[2]) if m[2] else _month_year_on_or_after(month, as_of)
    end = month_window(year, month).end
    return _until(end, as_of, f"by the end of {_MONTH_NAMES[month - 1]} {year}")


@_phrase(
    rf"\b(?:{_UNTIL})\s+(?:the\s+)?end\s+of\s+(?:the\s+)?(?:({_REL})\s+)?({_PERIOD})\b"
    r"(?!\s+(?:of|after|before)\b)"
)
def _until_period_end(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "before the end of the fiscal year", "by the end of next quarter" and the like."""
    offset = _OFFSETS[m[1].lower()] if m[1] else 0
    period = _period_window(m[2], offset, as_of, calendar)
    return _until(period.end, as_of, f"until the end of {_name_of(period)}")


@_phrase(rf"\b(?:{_UNTIL})\s+(?:the\s+)?end\s+of\s+(?:the\s+)?({_FY_REF})")
def _until_fy_end(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "by the end of FY2027", "before the end of fiscal 2028"."""
    fy = _resolve_fy_ref(m[1], as_of, calendar)
    if fy is None:
        return None
    period = fiscal_year_window(fy, calendar)
    return _until(period.end, as_of, f"until the end of {_name_of(period)}")


@_phrase(
    rf"\b(?:{_UNTIL})\s+(?:the\s+)?(?:({_REL})\s+)?"
    r"(fiscal\s+year|school\s+year|calendar\s+year|fy|year|quarter|month)[-\s]?end\b"
)
def _until_period_end_short(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "by year-end", "before fiscal year end", "by quarter end"."""
    offset = _OFFSETS[m[1].lower()] if m[1] else 0
    period = _period_window(m[2], offset, as_of, calendar)
    return _until(period.end, as_of, f"until the end of {_name_of(period)}")


@_phrase(
    rf"\b(?:before|until|till|prior\s+to|by)\s+(?:the\s+)?(?:start|beginning)\s+of\s+"
    rf"(?:the\s+)?(?:({_REL})\s+)?({_PERIOD})\b(?!\s+(?:of|after|before)\b)"
)
def _until_period_start(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "before the start of next school year": tomorrow through the day before it.

    Without "this"/"next", the period meant is the next one to start.
    """
    offset = _OFFSETS[m[1].lower()] if m[1] else 0
    period = _period_window(m[2], offset, as_of, calendar)
    if not m[1] and period.start <= as_of:
        period = period.shifted(1, calendar)
    return _until(period.start - ONE_DAY, as_of, f"before {_name_of(period)}")


@_phrase(
    rf"\b(?:(?:the\s+)?(?:sy\s*)?({_YEAR})\s*[-–/]\s*(\d{{4}}|\d{{2}})\s+school\s+year"
    rf"|school\s+year\s+({_YEAR})\s*[-–/]\s*(\d{{4}}|\d{{2}})"
    r"|sy\s*'?(\d{4}|\d{2})\s*[-–/]\s*(\d{4}|\d{2})"
    rf"|(?<![\w/.-])({_YEAR})\s*[-–]\s*(\d{{4}}|\d{{2}})(?![\w/]|-\d))(?!\d)"
)
def _school_year(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "the 2027-28 school year", "school year 2027-2028", "SY27-28" and a bare "2027-28"
    (consecutive years, so never an ISO month) as the fiscal year they name."""
    first_text, second_text = next((m[i], m[i + 1]) for i in (1, 3, 5, 7) if m[i] is not None)
    first = _four_digit_year(first_text)
    second = int(second_text) if len(second_text) == 4 else first // 100 * 100 + int(second_text)
    if second != first + 1:
        return None
    fy = calendar.fiscal_year(date(first, calendar.start_month, calendar.start_day))
    return school_year_window(fy, calendar)


@_phrase(rf"\bq(?:uarter\s*)?([1-4])\b(?:\s*(?:of\s+|in\s+)?(?:the\s+)?({_FY_REF}|{_YEAR}))?")
def _numbered_quarter(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "Q3", "Q3 FY2027", "Q1 of next fiscal year", "quarter 2": a fiscal quarter."""
    fy = _resolve_fy_ref(m[2], as_of, calendar) if m[2] else calendar.fiscal_year(as_of)
    return quarter_window(fy, int(m[1]), calendar) if fy else None


@_phrase(rf"\b({_FY_REF})\s*[-/]?\s*q(?:uarter\s*)?([1-4])\b")
def _fy_then_quarter(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "FY27 Q4", "FY2027-Q1", "next fiscal year Q2"."""
    fy = _resolve_fy_ref(m[1], as_of, calendar)
    return quarter_window(fy, int(m[2]), calendar) if fy else None


@_phrase(
    r"\b(first|second|third|fourth|1st|2nd|3rd|4th)\s+(?:fiscal\s+)?quarter\b"
    rf"(?:\s+(?:of|in)\s+(?:the\s+)?({_FY_REF}|{_YEAR}))?"
)
def _ordinal_quarter(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "third quarter", "the first quarter of FY2028"."""
    fy = _resolve_fy_ref(m[2], as_of, calendar) if m[2] else calendar.fiscal_year(as_of)
    return quarter_window(fy, _ORDINAL_QUARTERS[m[1].lower()], calendar) if fy else None


@_phrase(
    rf"\b(?:the\s+)?(?:last|final)\s+(?:fiscal\s+)?quarter\s+(?:of|in)\s+(?:the\s+)?"
    rf"({_FY_REF}|{_YEAR})"
)
def _final_quarter(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "the last quarter of FY2027" as its Q4, not as the quarter before this one."""
    fy = _resolve_fy_ref(m[1], as_of, calendar)
    return quarter_window(fy, 4, calendar) if fy else None


@_phrase(
    r"\b(?:fy|fiscal\s+(?:year\s+)?)\s*[-']?\s*(\d{4}|\d{2})(?!\d)"
    r"(?:\s*[-–/]\s*(\d{4}|\d{2})(?!\d))?"
)
def _fiscal_year(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "FY2027", "FY27", "FY 2027", "fiscal 2027", "fiscal year 2028", "FY2026-27"."""
    if m[0].lower().startswith("fiscal") and len(m[1]) == 2:
        return None  # "fiscal year 12 laptops" is a count, not a year
    fy = _four_digit_year(m[1])
    if m[2]:
        second = int(m[2]) if len(m[2]) == 4 else fy // 100 * 100 + int(m[2])
        if second == fy + 1:
            fy = second  # "FY2026-27" is the year that ends in 2027
    return fiscal_year_window(fy, calendar)


@_phrase(
    rf"\b{_LEAD}(?:the\s+)?(?:next|coming|upcoming|following)\s+({_NUMBER})\s+({_UNIT})s?\b"
    rf"|\bwithin\s+(?:the\s+)?(?:next\s+|coming\s+)?({_NUMBER})\s+({_UNIT})s?\b"
    rf"|\b(?:within\s+(?:the\s+)?|(?:in|over|during|for)\s+the\s+)(?:next|coming)\s+()"
    rf"({_UNIT})\b(?!\s+of\b)"
)
def _next_span(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "the next 90 days", "within 60 days", "in the next two weeks": tomorrow to as_of+N."""
    count_text, unit = next((m[i], m[i + 1]) for i in (1, 3, 5) if m[i + 1] is not None)
    count = _count(count_text) if count_text else 1
    if count == 0:
        return None
    unit = unit.lower()
    start, end = as_of + ONE_DAY, as_of + relativedelta(**{f"{unit}s": count})
    name = f"the next {count} {unit}s" if count != 1 else f"the coming {unit}"
    return Window(start, end, _label(name, start, end), "days")


@_phrase(
    rf"\b{_LEAD}(?:the\s+)?(?:past|last|previous|prior|preceding)\s+({_NUMBER})\s+({_UNIT})s?\b"
    rf"|\b{_LEAD}(?:the\s+past|past|the\s+last)\s+()(week|month|year)\b(?!\s+of\b)"
)
def _past_span(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "the past 30 days", "last 3 months", "in the last year": rolling, ending on as_of."""
    count_text, unit = (m[1], m[2]) if m[2] is not None else (m[3], m[4])
    count = _count(count_text) if count_text else 1
    if count == 0:
        return None
    unit = unit.lower()
    start = as_of - relativedelta(**{f"{unit}s": count}) + ONE_DAY
    name = f"the past {count} {unit}s" if count != 1 else f"the past {unit}"
    return Window(start, as_of, _label(name, start, as_of), "days")


@_phrase(
    rf"\b{_LEAD}(?:the\s+)?(next|coming|upcoming|following|past|last|previous|prior)\s+"
    rf"({_NUMBER})\s+(?:fiscal\s+)?quarters?\b"
)
def _several_quarters(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "the next two quarters" (starting with next quarter) and "the past 2 quarters" (the
    whole quarters before this one)."""
    count = _count(m[2])
    if count == 0:
        return None
    current = quarter_window(*calendar.quarter(as_of), calendar)
    forward = _OFFSETS[m[1].lower()] > 0
    first = current.shifted(1 if forward else -count, calendar)
    last = current.shifted(count if forward else -1, calendar)
    name = f"the {'next' if forward else 'past'} {count} quarter{'s' if count != 1 else ''}"
    return Window(first.start, last.end, _label(name, first.start, last.end), "range")


@_phrase(rf"\b(?:the\s+)?({_REL})\s+({_PERIOD})\b(?!\s+of\b)")
def _relative_period(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "next quarter", "this fiscal year", "last month", "next FY", "this week"."""
    return _period_window(m[2], _OFFSETS[m[1].lower()], as_of, calendar)


@_phrase(rf"\b(?:the\s+)?({_PERIOD})\s+(after\s+next|before\s+last)\b")
def _two_periods_away(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "the quarter after next", "the month before last"."""
    offset = 2 if m[2].lower().startswith("after") else -2
    return _period_window(m[1], offset, as_of, calendar)


@_phrase(
    rf"\b(?:in|during|for|over)\s+(?:the\s+month\s+of\s+)?({_MONTH})(?:,?\s+({_YEAR}))?"
    r"(?!\s*\d)"
)
def _in_month(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "in January", "in December", "during March 2027": that calendar month."""
    month = _month_number(m[1])
    year = int(m[2]) if m[2] else _month_year_on_or_after(month, as_of)
    return month_window(year, month)


@_phrase(
    rf"\b(?!may\b)({_MONTH})(?:'s)?\s+(?:renewals?|renewing|deadlines?|tickets?|expirations?"
    r"|repairs?|hires?|departures?|invoices?|payments?)\b"
)
def _month_as_adjective(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "the December renewals", "March tickets" as "in December" ("may" is too often a verb)."""
    month = _month_number(m[1])
    return month_window(_month_year_on_or_after(month, as_of), month)


@_phrase(rf"(?<!\d\s)\b({_MONTH})\s+({_YEAR})")
def _month_and_year(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "January 2027" with no preposition: the year makes it unambiguous."""
    return month_window(int(m[2]), _month_number(m[1]))


@_phrase(rf"\b(this|next|last|previous|coming)\s+({_MONTH})(?!\s*\d)")
def _relative_month(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "next January", "last March", "this December": the named month relative to now."""
    month, which = _month_number(m[2]), m[1].lower()
    if which in ("this", "coming"):
        year = _month_year_on_or_after(month, as_of)
    elif which == "next":
        year = as_of.year if month > as_of.month else as_of.year + 1
    else:
        year = as_of.year if month < as_of.month else as_of.year - 1
    return month_window(year, month)


@_phrase(
    rf"\b(?:in|during)\s+(?:calendar\s+(?:year\s+)?)?({_YEAR})\b(?!\s*[-–/]\s*\d)"
    rf"|\b(?:calendar\s+(?:year\s+)?|cy\s*)({_YEAR}|\d{{2}}(?!\d))(?!\s*[-–/]\s*\d)"
)
def _calendar_year(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "in 2027", "calendar year 2026", "CY27": January through December.

    Years more than 20 from as_of are taken as counts ("in 2000 Chromebooks"), not years.
    """
    year = _four_digit_year(m[1] or m[2])
    return calendar_year_window(year) if abs(year - as_of.year) <= 20 else None


_FY_NAMED = r"(?:fy\s*[-']?\s*|fiscal\s+(?:year\s+)?)(\d{4}|\d{2})(?!\d)"


@_phrase(
    rf"\b(?:(?:from|between)\s+)?{_FY_NAMED}\s*(?:to|through|thru|until|till|and|-|–|—)\s*"
    rf"{_FY_NAMED}"
)
def _fiscal_year_range(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "FY2030 to FY2034", "from FY28 through FY30", "FY2029-FY2031": whole fiscal years."""
    first, last = _four_digit_year(m[1]), _four_digit_year(m[2])
    if last < first:
        return None
    return fiscal_years_window(first, last, calendar)


@_phrase(rf"\b(?:through|thru|until|till|up\s+to)\s+{_FY_NAMED}")
def _through_fiscal_year(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "through FY2030", "until FY31": from tomorrow to the end of that fiscal year."""
    end = calendar.year_bounds(_four_digit_year(m[1]))[1]
    if end <= as_of:
        return _NO_WINDOW
    start = as_of + ONE_DAY
    return Window(start, end, _label(f"through FY{_four_digit_year(m[1])}", start, end), "range")


@_phrase(
    rf"\b(?:(?:from|between)\s+)?(?<![\w/.-])({_YEAR})\s*(?:to|through|thru|until|till|and|-|–|—)"
    rf"\s*({_YEAR})(?![\w/]|-\d)"
)
def _calendar_year_range(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "2029-2031", "from 2029 through 2031": January 1 of the first to December 31 of the
    last. Two consecutive years ("2027-2028") stay a school year (``_school_year``)."""
    first, last = int(m[1]), int(m[2])
    if last <= first or max(abs(first - as_of.year), abs(last - as_of.year)) > 20:
        return None
    start, end = date(first, 1, 1), date(last, 12, 31)
    return Window(start, end, _label(f"calendar years {first}–{last}", start, end), "range")


@_phrase(
    rf"\b{_LEAD}(?:the\s+)?(next|coming|upcoming|following|past|last|previous|prior)\s+"
    rf"({_NUMBER})\s+fiscal\s+years?\b"
)
def _several_fiscal_years(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "over the coming six fiscal years" (starting with next fiscal year) and "the past
    two fiscal years" (the whole fiscal years before this one)."""
    count = _count(m[2])
    if count == 0:
        return None
    current = calendar.fiscal_year(as_of)
    if _OFFSETS[m[1].lower()] > 0:
        return fiscal_years_window(current + 1, current + count, calendar)
    return fiscal_years_window(current - count, current - 1, calendar)


@_phrase(r"\b(?:(fiscal\s+)?(year|fy)|(quarter)|(month))[-\s]to[-\s]date\b|\b(f?ytd|qtd|mtd)\b")
def _to_date_phrase(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "year to date", "fiscal year-to-date", "FYTD", "QTD", "month to date"."""
    short = (m[5] or "").lower()
    if m[2] or short in ("ytd", "fytd"):
        period = _period_window("fiscal year", 0, as_of, calendar)
    elif m[3] or short == "qtd":
        period = _period_window("quarter", 0, as_of, calendar)
    else:
        period = _period_window("month", 0, as_of, calendar)
    return _to_date(period.start, as_of, f"{_name_of(period)} to date")


@_phrase(
    r"\bsince\s+the\s+(?:start|beginning)\s+of\s+(?:the\s+)?(?:(?:this|current)\s+)?"
    r"(fiscal\s+year|school\s+year|fy|year|quarter|month|week)\b"
)
def _since_period_start(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "since the start of the fiscal year": the period so far."""
    period = _period_window(m[1], 0, as_of, calendar)
    return _to_date(period.start, as_of, f"{_name_of(period)} to date")


@_phrase(rf"\bsince\s+({_DATE})")
def _since_day(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "since July 1", "since 2026-08-15": that day (latest occurrence) through as_of."""
    spec = _parse_day(m[1])
    if spec is None:
        return None
    if spec.year is None:
        start: date | None = _on_or_before(spec.month, spec.day, as_of)
    else:
        start = _resolve_day(spec, as_of)
    return _to_date(start, as_of, f"since {format_day(start)}") if start else None


@_phrase(rf"\bsince\s+({_MONTH})(?:,?\s+({_YEAR}))?(?!\s*\d)")
def _since_month(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "since July", "since August 2025": from that month's first day through as_of."""
    month = _month_number(m[1])
    start = date(int(m[2]), month, 1) if m[2] else _on_or_before(month, 1, as_of)
    return _to_date(start, as_of, f"since {format_day(start)}")


@_phrase(rf"\bon\s+({_DATE})")
def _on_day(m: re.Match[str], as_of: date, calendar: FiscalCalendar) -> _Found:
    """Reads "on June 30", "on 12/31", "on 2027-01-15" as that one day ("on 1/2 of" is not)."""
    if _is_fraction(m):
        return None
    spec = _parse_day(m[1])
    day = _resolve_day(spec, as_of) if spec else None
    return Window(day, day, format_day(day), "range") if day else None


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def parse_window(
    text: str, as_of: date, calendar: FiscalCalendar = DEFAULT_CALENDAR
) -> Window | None:
    """Find the time window a question names, anywhere in it, relative to ``as_of``.

    See the module docstring for the conventions ("this year" is the fiscal year, forward spans
    start tomorrow, a month without a year is its next occurrence, the first phrase wins).

    Phrases read, by family (kind in brackets):

    * quarters [quarter]: "next/this/last quarter", "the quarter after next", "Q3",
      "Q3 FY2027", "FY27 Q4", "third quarter (of FY2028)", "the last quarter of FY2027";
    * several years [range]: "FY2030 to FY2034", "2029-2031" (calendar years), "over the coming
      six fiscal years" (from next fiscal year), "the past two fiscal years";
    * years [fiscal_year, school_year, calendar_year]: "this/next/last fiscal year", "this FY",
      "this/next school year", "FY2027", "FY27", "fiscal year 2028", "FY2026-27",
      "the 2027-28 school year", "SY27-28", "this/next/last year", "this calendar year",
      "in 2027", "CY2027";
    * spans [days]: "the next 90 days", "within 60 days", "in the next two weeks",
      "within a month", "the past 30 days", "last 3 months", "in the last year";
    * months and weeks [month, week]: "next/this/last month", "the month before last",
      "in January (2027)", "January 2027", "next January", "this/last/next week";
    * deadlines [until]: "before/by/until June 30 (2028)", "by 6/30", "before March",
      "by March 2027", "by the end of the fiscal/school year", "by year-end",
      "before the start of next school year";
    * ranges [range]: "between Jan 1 and Mar 31", "from 2027-01-01 to 2027-03-31",
      "from January to March", "the next two quarters", "since July 1", "year to date",
      "FYTD", "on June 30".

    Args:
        text: The question, in any case.
        as_of: The day the question is asked about ("today" for the data).
        calendar: The district's fiscal calendar.

    Returns:
        The window, or None if the question names no time.
    """
    text = text.replace("\u2019", "'")
    best: tuple[tuple[int, int, int], Window | _NoWindow] | None = None
    for priority, (pattern, handler) in enumerate(_HANDLERS):
        for match in pattern.finditer(text):
            found = handler(match, as_of, calendar)
            if found is None:
                continue
            key = (match.start(), match.start() - match.end(), priority)
            if best is None or key < best[0]:
                best = (key, found)
    return best[1] if best and isinstance(best[1], Window) else None
