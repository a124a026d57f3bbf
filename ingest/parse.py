"""Parse raw cell values from real exports into typed Python values.

Every parser takes whatever a CSV or XLSX reader hands over (``str``, ``int``, ``float``,
``Decimal``, ``date``/``datetime``, pandas ``Timestamp``, numpy scalars, ``None``, ``NaN``,
``pandas.NA``/``NaT``) and returns a typed value, or ``None`` when the cell is empty.  When a
value cannot be understood the parser raises :class:`ValueError` whose message is a short,
human reason meant to be shown next to the file, row and column, e.g.
``'12.5k' is not an amount: shorthand like 'k' is ambiguous``.

The parsers run on millions of cells, so each string parser tries cheap exact forms first
(``datetime.fromisoformat``, a couple of anchored regular expressions) and keeps the general
parser (``dateutil.parser``) as the fallback.  String results are memoised with
:func:`functools.lru_cache`, failures included, because export columns repeat the same few
values over and over.

Choices worth knowing:

* Dates are US month/day/year.  A value that cannot be month/day (``13/01/2027``) is read
  day/month instead, as ``dateutil`` does; if neither works it is rejected.
* Two-digit years follow ``dateutil``: the year within 50 years of today.
* Time zones are dropped, not converted: ``2027-01-05T22:00:00-05:00`` is 22:00 on Jan 5, the
  wall-clock time written in the file.  Epoch numbers are UTC by definition.
* A month and year alone (``Jun 2028``, ``2028-06``, ``06/2028``) means the last day of that
  month, which is how vendors such as Google state the end of updates.
* Numbers as dates: 20000-80000 is an Excel serial day (1899-12-30 plus *n* days, the fraction
  is the time of day), 10 digits are epoch seconds, 12-13 digits epoch milliseconds, and 8
  digits ``YYYYMMDD``.
* Only years 1980-2100 are accepted; anything else is a typo or a wrong column.
* Placeholders ``n/a``, ``na``, ``none``, ``null``, ``-``, ``tbd``, ``#N/A`` ... mean "no
  value" and return ``None`` (but :func:`parse_bool` reads ``none`` as ``False``).  Other
  Excel error values (``#REF!``, ``#VALUE!``) are rejected.
* Money keeps two decimal places, rounding half up; Excel's accounting zero ``$ -`` is 0.00.
* Durations count a month as 30 days and a year as 365 days.
"""

from __future__ import annotations

import codecs
import math
import re
import sys
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from dateutil import parser as dateutil_parser
from dateutil.relativedelta import relativedelta

__all__ = [
    "DamagedSerial",
    "fix_mojibake",
    "is_blank",
    "normalize_serial",
    "normalize_text",
    "parse_bool",
    "parse_date",
    "parse_datetime",
    "parse_days",
    "parse_int",
    "parse_money",
    "parse_months",
]

MIN_YEAR = 1980
MAX_YEAR = 2100
DAYS_PER_MONTH = 30
# The largest whole number the schema stores (32-bit INTEGER); money is bounded per field in
# ingest/bounds.py, since what is absurd depends on what the amount is for.
INT_LIMIT = 2**31 - 1
DAYS_PER_YEAR = 365
DURATION_LIMIT_DAYS = 100 * DAYS_PER_YEAR
DURATION_LIMIT_MONTHS = 100 * 12

_CACHE_SIZE = 1 << 16

# Whitespace as str.isspace() sees it, plus zero-width characters and the byte-order mark,
# which exports leave at the start or end of cells.
_STRIP = (
    " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\u200b\u200c\u200d\u2060\ufeff"
)
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))

# Cell values that mean "nothing here" (compared lower-cased).
_PLACEHOLDERS = frozenset(
    {"n/a", "na", "n.a.", "none", "null", "nil", "nan", "nat", "-", "--", "---", "\u2013",
     "\u2014", "tbd", "tba", "unknown", "#n/a", "?"}
)  # fmt: skip
_EXCEL_ERRORS = frozenset(
    {
        "#value!",
        "#ref!",
        "#div/0!",
        "#name?",
        "#num!",
        "#null!",
        "#spill!",
        "#calc!",
        "#getting_data",
    }
)

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}

_EXCEL_EPOCH = datetime(1899, 12, 30)
_UNIX_EPOCH = datetime(1970, 1, 1)
_PARSERINFO = dateutil_parser.parserinfo()
# Two different defaults reveal which fields dateutil filled in by itself.
_DEFAULT_A = datetime(2000, 1, 1)
_DEFAULT_B = datetime(2004, 2, 2)

_US_DATE = re.compile(r"(\d{1,2})([/-])(\d{1,2})\2(\d{4}|\d{2})")
_NAME_DAY_YEAR = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_DAY_NAME_YEAR = re.compile(r"(\d{1,2})([-\s])([A-Za-z]{3,9})\.?\2(\d{4})")
_NAME_YEAR = re.compile(r"([A-Za-z]{3,9})\.?[\s,/-]+(\d{4})")
_YEAR_MONTH = re.compile(r"(\d{4})[-/](\d{1,2})")
_MONTH_YEAR = re.compile(r"(\d{1,2})[-/](\d{4})")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


class DamagedSerial(ValueError):
    """A serial number that Excel turned into scientific notation, losing digits.

    Attributes:
        value: The cell value as it was found.
    """

    def __init__(
        self,
        value: object = None,
        reason: str = "serial looks damaged by Excel (scientific notation)",
    ) -> None:
        """Create the error.

        Args:
            value: The damaged cell value.
            reason: The human reason shown to users.
        """
        super().__init__(reason)
        self.value = value


# --------------------------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------------------------


def is_blank(value: object) -> bool:
    """Tell whether a cell is empty.

    Args:
        value: Any cell value.

    Returns:
        True for ``None``, ``NaN`` (float, numpy or Decimal), ``pandas.NA``, ``pandas.NaT``
        and strings that hold only whitespace (including non-breaking and zero-width spaces).
        Placeholders such as ``"n/a"`` are not blank; the parsers decide what they mean.
    """
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip(_STRIP)
    if isinstance(value, float):
        return value != value
    pd = sys.modules.get("pandas")  # a pandas missing value exists only once pandas is loaded
    if pd is not None and (value is pd.NA or value is pd.NaT):
        return True
    try:
        return bool(value != value)
    except (TypeError, ValueError, ArithmeticError):
        return False


def _show(value: object) -> str:
    """Quote a value for an error message, shortened if long."""
    if isinstance(value, str):
        text = value.strip(_STRIP)
        if len(text) > 40:
            text = text[:37] + "..."
        return f"'{text}'"
    return str(value)


def _unwrap(value: object) -> object:
    """Turn numpy scalars into the matching Python objects."""
    if type(value).__module__ == "numpy":
        if type(value).__name__ == "datetime64":
            import pandas as pd  # numpy values come from a DataFrame: pandas is loaded already

            return pd.Timestamp(value)
        item = getattr(value, "item", None)
        if item is not None:
            return item()
    return value


def _clean_text(text: str) -> str | None:
    """Strip a string; None when it is blank or a placeholder.

    Raises:
        ValueError: For Excel error values such as ``#REF!``.
    """
    text = text.strip(_STRIP)
    if not text:
        return None
    lowered = text.lower()
    if lowered in _PLACEHOLDERS:
        return None
    if lowered in _EXCEL_ERRORS:
        raise ValueError(f"the cell holds the Excel error {text}")
    return text


def _check_year(moment: datetime) -> datetime:
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise ValueError(f"date {moment.date().isoformat()} is outside {MIN_YEAR}-{MAX_YEAR}")
    return moment


def _raise_if_failed(result: object) -> None:
    # The cached string parsers return the error reason as a str instead of raising, so
    # that failures are cached too (lru_cache does not remember exceptions).
    if isinstance(result, str):
        raise ValueError(result)


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------


def _end_of_month(year: int, month: int) -> datetime:
    return datetime(year, month, 1) + relativedelta(day=31)


def _datetime_from_number(number: float | int | Decimal, shown: str) -> datetime:
    """Read an Excel serial, epoch seconds/milliseconds or YYYYMMDD number."""
    if isinstance(number, float) and not math.isfinite(number):
        raise ValueError(f"{shown} is not a date")
    whole = int(number)
    integral = whole == number
    digits = len(str(abs(whole)))
    if 20000 <= number <= 80000:
        days = int(number)
        seconds = round((float(number) - days) * 86400)
        return _EXCEL_EPOCH + timedelta(days=days, seconds=seconds)
    if digits == 10 and whole > 0:
        return _UNIX_EPOCH + timedelta(seconds=float(number))
    if digits in (12, 13) and whole > 0:
        return _UNIX_EPOCH + timedelta(milliseconds=float(number))
    if digits == 8 and integral and whole > 0:
        try:
            return datetime.strptime(str(whole), "%Y%m%d")
        except ValueError:
            pass
    if digits == 4 and integral and MIN_YEAR <= whole <= MAX_YEAR:
        raise ValueError(f"{shown} is not a date: a year alone is not a date")
    raise ValueError(
        f"{shown} is not a date: a number must be an Excel serial (20000-80000), "
        "epoch seconds (10 digits) or milliseconds (12-13 digits)"
    )


def _invalid(text: str, exc: Exception) -> str:
    reason = str(exc).split(":")[0]
    return f"'{text}' is not a valid date: {reason}"


def _datetime_from_dateutil(text: str) -> datetime:
    """The general fallback: dateutil, refusing values it would have to half-invent."""
    try:
        first = dateutil_parser.parse(text, default=_DEFAULT_A, ignoretz=True)
        second = dateutil_parser.parse(text, default=_DEFAULT_B, ignoretz=True)
    except (ValueError, OverflowError) as exc:
        message = str(exc)
        if "out of range" in message or "must be in" in message:
            raise ValueError(_invalid(text, exc)) from None
        raise ValueError(f"'{text}' is not a date") from None
    if first.year != second.year:
        raise ValueError(f"'{text}' is not a date: it has no year")
    if first.month != second.month:
        raise ValueError(f"'{text}' is not a date: it has no month")
    if first.day != second.day:  # month and year only: the end of that month
        return _end_of_month(first.year, first.month)
    return first


def _datetime_from_clean_text(text: str) -> datetime:
    """Parse a stripped, non-placeholder string; raise ValueError with a reason."""
    # Plain numbers: Excel serials, epoch times, YYYYMMDD.
    if text.isascii() and _NUMBER.fullmatch(text):
        number: float | int = int(text) if text.isdigit() else float(text)
        return _datetime_from_number(number, f"'{text}'")

    # ISO 8601, the commonest form in machine exports.
    if len(text) >= 10 and text[4] == "-" and text[:4].isdigit():
        try:
            return datetime.fromisoformat(text).replace(tzinfo=None)
        except ValueError as exc:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise ValueError(_invalid(text, exc)) from None

    match = _US_DATE.fullmatch(text)
    if match:
        month, day = int(match[1]), int(match[3])
        year_text = match[4]
        year = int(year_text)
        if len(year_text) == 2:
            year = _PARSERINFO.convertyear(year)
        if month > 12 and day <= 12:  # not month/day: read it day/month, as dateutil does
            month, day = day, month
        try:
            return datetime(year, month, day)
        except ValueError as exc:
            raise ValueError(_invalid(text, exc)) from None

    match = _NAME_DAY_YEAR.fullmatch(text)
    if match and match[1].lower() in _MONTHS:
        try:
            return datetime(int(match[3]), _MONTHS[match[1].lower()], int(match[2]))
        except ValueError as exc:
            raise ValueError(_invalid(text, exc)) from None

    match = _DAY_NAME_YEAR.fullmatch(text)
    if match and match[3].lower() in _MONTHS:
        try:
            return datetime(int(match[4]), _MONTHS[match[3].lower()], int(match[1]))
        except ValueError as exc:
            raise ValueError(_invalid(text, exc)) from None

    # Month and year only -> the last day of the month.
    match = _NAME_YEAR.fullmatch(text)
    if match and match[1].lower() in _MONTHS:
        return _end_of_month(int(match[2]), _MONTHS[match[1].lower()])
    match = _YEAR_MONTH.fullmatch(text)
    if match and 1 <= int(match[2]) <= 12:
        return _end_of_month(int(match[1]), int(match[2]))
    match = _MONTH_YEAR.fullmatch(text)
    if match and 1 <= int(match[1]) <= 12:
        return _end_of_month(int(match[2]), int(match[1]))

    return _datetime_from_dateutil(text)


@lru_cache(maxsize=_CACHE_SIZE)
def _datetime_from_text(value: str) -> datetime | str | None:
    """Cached string parser: a naive datetime, None for blank, or the error reason."""
    try:
        text = _clean_text(value)
        if text is None:
            return None
        return _check_year(_datetime_from_clean_text(text))
    except ValueError as exc:
        return str(exc)


def _datetime_from_object(value: object) -> datetime | None:
    if is_blank(value):
        return None
    value = _unwrap(value)
    if isinstance(value, datetime):  # also pandas Timestamp; must come before date
        return _check_year(datetime.combine(value.date(), value.time()))
    if isinstance(value, date):
        return _check_year(datetime(value.year, value.month, value.day))
    if isinstance(value, bool):
        raise ValueError(f"{value} is not a date")
    if isinstance(value, (int, float, Decimal)):
        return _check_year(_datetime_from_number(value, _show(value)))
    raise ValueError(f"{_show(value)} is not a date")


def parse_datetime(value: object) -> datetime | None:
    """Parse a date and time of day from a cell.

    Accepts everything :func:`parse_date` accepts.  Time zones are dropped without
    conversion (the wall-clock time written in the file is kept); epoch numbers give UTC.
    Values without a time are midnight; month-year values are midnight on the month's last day.

    Args:
        value: A cell value.

    Returns:
        A naive datetime, or None for a blank cell or a placeholder such as ``"n/a"``.

    Raises:
        ValueError: If the value is not a date, or its year is outside 1980-2100.
    """
    if isinstance(value, str):
        result = _datetime_from_text(value)
        _raise_if_failed(result)
        return result  # type: ignore[return-value]
    return _datetime_from_object(value)


def parse_date(value: object) -> date | None:
    """Parse a calendar date from a cell.

    Accepts ``date``/``datetime``/pandas ``Timestamp`` objects; US month/day/year strings
    (``1/5/2027``, ``01/05/27``); ISO 8601 (``2027-01-05``, ``2027-01-05T10:30:00Z``,
    ``2027-01-05 10:30:00``); month names (``Jan 5 2027``, ``January 5, 2027``,
    ``5-Jan-2027``); Excel serial numbers (20000-80000, as numbers or strings); epoch seconds
    (10 digits) and milliseconds (12-13 digits); ``YYYYMMDD``; and month-year values
    (``Jun 2028``, ``June 2028``, ``2028-06``, ``06/2028``), which mean the last day of that
    month.  A string that cannot be month/day/year but can be day/month/year
    (``13/01/2027``) is read day-first, as ``dateutil`` does.  Anything else goes to
    ``dateutil.parser``, which must find a day, month and year (or a month and year).

    Args:
        value: A cell value.

    Returns:
        The date, or None for a blank cell or a placeholder (``n/a``, ``na``, ``none``, ``-``,
        ``tbd``).

    Raises:
        ValueError: If the value is not a date (``'soon' is not a date``), is not a valid
            date (``'2/30/2027' is not a valid date: day is out of range for month``) or its
            year is outside 1980-2100 (``date 2200-01-01 is outside 1980-2100``).
    """
    if isinstance(value, str):
        result = _datetime_from_text(value)
        _raise_if_failed(result)
    else:
        result = _datetime_from_object(value)
    return None if result is None else result.date()  # type: ignore[union-attr]


# --------------------------------------------------------------------------------------------
# Money
# --------------------------------------------------------------------------------------------

_CENT = Decimal("0.01")
_MONEY = re.compile(
    r"""
    (?P<lead>[-+\u2212])?\s*
    (?:US\$|USD|\$)?\s*
    (?P<sign>[-+\u2212])?\s*
    (?P<num>\d[\d,]*(?:\.\d*)?|\.\d+)
    \s*(?:USD)?
    \s*(?P<trail>-)?
    """,
    re.VERBOSE | re.IGNORECASE,
)
_GROUPED = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_SHORTHAND = re.compile(
    r"[(+\-\u2212]?\s*(?:US\$|USD|\$)?\s*\d[\d,]*(?:\.\d+)?\s*(k|m|mm|b|bn)\.?\s*\)?",
    re.IGNORECASE,
)
_FOREIGN = re.compile(r"[€£¥₹]|\b(?:EUR|GBP|CAD|AUD|MXN|JPY|CHF|CA\$|C\$)\b", re.IGNORECASE)
_ACCOUNTING_ZERO = re.compile(r"\(?\$?\s*-+\s*\)?")


def _quantize(amount: Decimal, shown: str) -> Decimal:
    if not amount.is_finite():
        raise ValueError(f"{shown} is not an amount")
    try:
        return amount.quantize(_CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise ValueError(f"{shown} is not an amount: it is too large") from None


def _money_from_clean_text(text: str) -> Decimal:
    shown = f"'{text}'"
    if _ACCOUNTING_ZERO.fullmatch(text) and "$" in text:
        return Decimal("0.00")  # Excel's accounting format shows zero as "$ -"
    negative = False
    body = text
    if body.startswith("(") and body.endswith(")"):
        negative, body = True, body[1:-1].strip(_STRIP)
    match = _MONEY.fullmatch(body)
    if not match:
        shorthand = _SHORTHAND.fullmatch(text)
        if shorthand:
            raise ValueError(
                f"{shown} is not an amount: shorthand like '{shorthand[1]}' is ambiguous"
            )
        if _FOREIGN.search(text):
            raise ValueError(f"{shown} is not an amount in US dollars")
        if not any(ch.isdigit() for ch in text):
            raise ValueError(f"{shown} is not an amount: it has no digits")
        raise ValueError(f"{shown} is not an amount")
    signs = [s for s in (match["lead"], match["sign"], match["trail"]) if s]
    if len(signs) > 1 or (signs and negative):
        raise ValueError(f"{shown} is not an amount: it has more than one sign")
    if signs and signs[0] != "+":
        negative = True
    number = match["num"]
    if "," in number:
        if not _GROUPED.fullmatch(number):
            raise ValueError(f"{shown} is not an amount: the commas are not thousands separators")
        number = number.replace(",", "")
    amount = _quantize(Decimal(number), shown)
    return -amount if negative else amount


@lru_cache(maxsize=_CACHE_SIZE)
def _money_from_text(value: str) -> Decimal | str | None:
    try:
        text = _clean_text(value)
        return None if text is None else _money_from_clean_text(text)
    except ValueError as exc:
        return str(exc)


def parse_money(value: object) -> Decimal | None:
    """Parse a US-dollar amount, kept to exactly two decimal places.

    Accepts ``$12,500.00``, ``12500``, ``12,500``, ``-1200``, ``$-1,200``, ``-$1,200``,
    accounting negatives ``(1,200.00)`` and ``1,200.00-``, ``USD 300``, ``300 USD``, and
    numbers (``300``, ``300.5`` -> ``Decimal("300.50")``).  Extra decimals are rounded half
    up to cents.  Floats go through their shortest ``repr`` so ``0.1`` stays ``0.10``.
    Excel's accounting zero ``$ -`` is ``0.00``.

    Args:
        value: A cell value.

    Returns:
        The amount, or None for a blank cell or a placeholder such as ``n/a`` or ``-``.

    Raises:
        ValueError: For shorthand (``12.5k``, ``1.2M``: ambiguous), other currencies, commas
            that are not thousands separators (``12,50``), a lone ``$`` and text.
    """
    if isinstance(value, str):
        result = _money_from_text(value)
        _raise_if_failed(result)
        return result  # type: ignore[return-value]
    if is_blank(value):
        return None
    value = _unwrap(value)
    if isinstance(value, bool):
        raise ValueError(f"{value} is not an amount")
    if isinstance(value, int):
        return _quantize(Decimal(value), str(value))
    if isinstance(value, float):
        return _quantize(Decimal(repr(value)), repr(value))
    if isinstance(value, Decimal):
        return _quantize(value, str(value))
    raise ValueError(f"{_show(value)} is not an amount")


# --------------------------------------------------------------------------------------------
# Booleans and integers
# --------------------------------------------------------------------------------------------

_TRUE = frozenset(
    {"y", "yes", "true", "t", "1", "1.0", "x", "on", "enabled", "auto", "autorenew",
     "autorenews", "autorenewal", "autorenewing", "automatic", "automatically",
     "\u2713", "\u2714", "\u2611", "\u2705"}
)  # fmt: skip
_FALSE = frozenset(
    {"n", "no", "false", "f", "0", "0.0", "off", "disabled", "manual", "manually", "none",
     "\u2717", "\u2718", "\u2610", "\u274c"}
)  # fmt: skip
_BOOL_SQUASH = str.maketrans("", "", " -_")


def parse_bool(value: object) -> bool | None:
    """Parse a yes/no cell.

    True: ``y``, ``yes``, ``true``, ``t``, ``1``, ``x``, ``on``, ``enabled``, check marks, and
    renewal wording ``auto``, ``auto-renew``, ``auto renew``, ``automatic``.
    False: ``n``, ``no``, ``false``, ``f``, ``0``, ``off``, ``disabled``, ``manual``, ``none``
    and cross marks.  Case, spaces, hyphens and underscores do not matter.

    Args:
        value: A cell value (``bool``, ``0``/``1`` numbers or text).

    Returns:
        The boolean, or None for a blank cell or a placeholder such as ``n/a`` or ``-``.

    Raises:
        ValueError: For anything else, e.g. ``'maybe' is not yes or no``.
    """
    if isinstance(value, str):
        token = value.strip(_STRIP).lower()
        squashed = token.translate(_BOOL_SQUASH)
        if squashed in _TRUE:
            return True
        if squashed in _FALSE:
            return False
        if _clean_text(value) is None:
            return None
        raise ValueError(f"{_show(value)} is not yes or no")
    if is_blank(value):
        return None
    value = _unwrap(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float, Decimal)) and value in (0, 1):
        return bool(value)
    raise ValueError(f"{_show(value)} is not yes or no")


_INTEGER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?")


def _int_from_clean_text(text: str) -> int:
    match = _INTEGER.fullmatch(text)
    if not match:
        if re.fullmatch(r"[-+]?[\d,]+(?:\.\d*)?", text):
            raise ValueError(f"'{text}' is not a number: the commas are not thousands separators")
        raise ValueError(f"'{text}' is not a number")
    if match[1] and match[1].strip("0"):
        raise ValueError(f"'{text}' is not a whole number")
    return _check_int(int(text.split(".")[0].replace(",", "")), f"'{text}'")


def _check_int(number: int, shown: str) -> int:
    """Whole numbers fit a 32-bit INTEGER column (PostgreSQL refuses more, SQLite past 64 bits)."""
    if abs(number) > INT_LIMIT:
        raise ValueError(f"{shown} is not a count: it is larger than {INT_LIMIT:,}")
    return number


def _int_from_number(value: object) -> int:
    value = _unwrap(value)
    if isinstance(value, bool):
        raise ValueError(f"{value} is not a number")
    if isinstance(value, int):
        return _check_int(value, str(value))
    if isinstance(value, (float, Decimal)):
        if not (math.isfinite(value) if isinstance(value, float) else value.is_finite()):
            raise ValueError(f"{value} is not a number")
        if value != int(value):
            raise ValueError(f"{value} is not a whole number")
        return _check_int(int(value), str(value))
    raise ValueError(f"{_show(value)} is not a number")


@lru_cache(maxsize=_CACHE_SIZE)
def _int_from_text(value: str) -> int | str | None:
    try:
        text = _clean_text(value)
        return None if text is None else _int_from_clean_text(text)
    except ValueError as exc:
        return str(exc)


def parse_int(value: object) -> int | None:
    """Parse a whole number.

    Accepts ``1200``, ``1,200``, ``-5``, ``12.0`` (and the float ``12.0`` that pandas makes
    of integer columns with gaps).

    Args:
        value: A cell value.

    Returns:
        The integer, or None for a blank cell or a placeholder such as ``n/a``.

    Raises:
        ValueError: For fractions (``'12.5' is not a whole number``) and text.
    """
    if isinstance(value, str):
        result = _int_from_text(value)
        _raise_if_failed(result)
        return result  # type: ignore[return-value]
    if is_blank(value):
        return None
    return _int_from_number(value)


# --------------------------------------------------------------------------------------------
# Durations
# --------------------------------------------------------------------------------------------

_DAY_UNITS = {
    **dict.fromkeys(("d", "day", "days", "dy", "dys"), 1),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), 7),
    **dict.fromkeys(("mo", "mos", "mth", "mths", "month", "months"), DAYS_PER_MONTH),
    **dict.fromkeys(("y", "yr", "yrs", "year", "years"), DAYS_PER_YEAR),
}
_MONTH_UNITS = {
    **dict.fromkeys(("mo", "mos", "mth", "mths", "month", "months"), 1),
    **dict.fromkeys(("y", "yr", "yrs", "year", "years"), 12),
}
_MONTH_WORDS = {
    "annual": 12,
    "annually": 12,
    "yearly": 12,
    "monthly": 1,
    "quarterly": 3,
    "semiannual": 6,
    "semiannually": 6,
}
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
    "thirty": 30,
    "sixty": 60,
    "ninety": 90,
}
# Words that may follow a notice period: "30 days prior", "60 days' notice", ...
_NOTICE_TAIL = frozenset({"prior", "before", "notice", "in", "ahead", "advance", "written"})
_DURATION = re.compile(
    r"(?P<n>\d+(?:\.\d+)?|[a-z]+)\s*-?\s*(?:calendar\s+)?(?P<unit>[a-z]+)?\.?(?:\s+(?P<rest>.+))?"
)


def _duration_from_clean_text(text: str, *, months: bool) -> int:
    what = "months" if months else "days"
    shown = f"'{text}'"
    lowered = text.lower().replace("'", "").replace("\u2019", "")
    if months and lowered.replace("-", "").replace(" ", "") in _MONTH_WORDS:
        return _MONTH_WORDS[lowered.replace("-", "").replace(" ", "")]
    if "business" in lowered or "working" in lowered:
        raise ValueError(f"{shown} is not a number of calendar days: business days vary")
    match = _DURATION.fullmatch(lowered)
    if not match:
        raise ValueError(f"{shown} is not a number of {what}")
    if match["n"][0].isdigit():
        count = Decimal(match["n"])
    elif match["n"] in _NUMBER_WORDS:
        count = Decimal(_NUMBER_WORDS[match["n"]])
    else:
        raise ValueError(f"{shown} is not a number of {what}")
    unit = match["unit"]
    units = _MONTH_UNITS if months else _DAY_UNITS
    if unit is None:
        factor = 1
    elif unit in units:
        factor = units[unit]
    elif months and unit in _DAY_UNITS:
        raise ValueError(f"{shown} is not a number of months: give the term in months or years")
    else:
        raise ValueError(f"{shown} is not a number of {what}: unknown unit '{unit}'")
    rest = match["rest"]
    if rest is not None and (months or rest.split()[0] not in _NOTICE_TAIL):
        raise ValueError(f"{shown} is not a number of {what}")
    total = count * factor
    if total != total.to_integral_value():
        raise ValueError(f"{shown} is not a whole number of {what}")
    return _check_duration(int(total), shown, months=months)


def _check_duration(number: int, shown: str, *, months: bool) -> int:
    """A term or notice period longer than a century is a typo (and would overflow dates)."""
    limit = DURATION_LIMIT_MONTHS if months else DURATION_LIMIT_DAYS
    if number > limit:
        what = "months" if months else "days"
        raise ValueError(f"{shown} is not a number of {what}: more than {limit:,} (100 years)")
    return number


@lru_cache(maxsize=4096)
def _duration_from_text(value: str, months: bool) -> int | str | None:
    try:
        text = _clean_text(value)
        return None if text is None else _duration_from_clean_text(text, months=months)
    except ValueError as exc:
        return str(exc)


def _parse_duration(value: object, *, months: bool) -> int | None:
    if isinstance(value, str):
        result = _duration_from_text(value, months)
        _raise_if_failed(result)
        return result  # type: ignore[return-value]
    if is_blank(value):
        return None
    number = _int_from_number(value)
    if number < 0:
        raise ValueError(f"{number} is not a number of {'months' if months else 'days'}")
    return _check_duration(number, str(number), months=months)


def parse_days(value: object) -> int | None:
    """Parse a notice period as a number of days.

    Accepts ``60``, ``"60"``, ``60 days``, ``60d``, ``60-day``, ``8 weeks`` (56), ``2 months``,
    ``1 year``, ``30 days prior``, ``60 days' notice``, ``sixty days``.  A month counts as
    30 days and a year as 365 days, so ``2 months`` is 60; notice clauses are written that way
    and a calendar-exact answer would depend on the renewal date.

    Args:
        value: A cell value; a bare number means days.

    Returns:
        The number of days, or None for a blank cell or a placeholder such as ``n/a``.

    Raises:
        ValueError: For text that is not a duration, unknown units, business days, negative
            numbers and fractions of a day.
    """
    return _parse_duration(value, months=False)


def parse_months(value: object) -> int | None:
    """Parse a contract term as a number of months.

    Accepts ``12``, ``12 months``, ``12-month``, ``36mo``, ``1 year`` (12), ``3 yrs`` (36),
    ``1.5 years`` (18), ``annual``/``yearly`` (12), ``quarterly`` (3), ``monthly`` (1).

    Args:
        value: A cell value; a bare number means months.

    Returns:
        The number of months, or None for a blank cell or a placeholder such as ``n/a``.

    Raises:
        ValueError: For text that is not a term, terms in days or weeks (months are not a
            fixed number of days), negative numbers and fractions of a month.
    """
    return _parse_duration(value, months=True)


# --------------------------------------------------------------------------------------------
# Text and serial numbers
# --------------------------------------------------------------------------------------------

_SERIAL_DROP = dict.fromkeys(map(ord, " \t\r\n\xa0-_.\u2010\u2011\u2012\u2013\u2014"))
_SERIAL_DROP.update(_ZERO_WIDTH)
_SCIENTIFIC = re.compile(r"\d(?:[.,]\d+)?\s*E\s*[+-]\s*\d{1,3}", re.IGNORECASE)
_SERIAL_PREFIX = re.compile(r"\A(?:S/?N|SERIAL(?:\s*(?:NO\.?|NUMBER|#))?)\s*[:#]\s*", re.IGNORECASE)
_BIOS_PLACEHOLDERS = frozenset(
    {"TOBEFILLEDBYOEM", "DEFAULTSTRING", "SYSTEMSERIALNUMBER", "CHASSISSERIALNUMBER",
     "NOTSPECIFIED", "NOTAPPLICABLE", "0123456789", "123456789", "INVALID"}
)  # fmt: skip


def normalize_serial(value: object) -> str | None:
    """Normalise a device serial number for matching across systems.

    Trims, upper-cases and removes spaces, dashes, dots and underscores:
    ``" 5cd-123 4xy "`` -> ``"5CD1234XY"``.  A leading label such as ``S/N:`` is dropped.
    Integral numbers (serials read as numbers) become their digits.

    Args:
        value: A cell value.

    Returns:
        The normalised serial, or None for a blank cell or a placeholder such as ``n/a``.

    Raises:
        DamagedSerial: If Excel has turned the serial into scientific notation
            (``6.37702E+15``), or it is a float too large to keep every digit.
        ValueError: For BIOS placeholders such as ``To Be Filled By O.E.M.``.
    """
    if isinstance(value, str):
        text = _clean_text(value)
        if text is None:
            return None
    elif is_blank(value):
        return None
    else:
        value = _unwrap(value)
        if isinstance(value, float):
            if abs(value) >= 1e15 or "e" in repr(value):
                raise DamagedSerial(value)
            text = str(int(value)) if value.is_integer() else repr(value)
        else:
            text = str(value)
    if _SCIENTIFIC.fullmatch(text):
        raise DamagedSerial(value)
    text = _SERIAL_PREFIX.sub("", text, count=1) if ":" in text or "#" in text else text
    serial = text.translate(_SERIAL_DROP).upper()
    if not serial:
        return None
    if serial in _BIOS_PLACEHOLDERS:
        raise ValueError(f"{_show(value)} is a placeholder, not a serial number")
    return serial


def normalize_text(value: object) -> str | None:
    """Trim a text cell and collapse its internal whitespace, keeping case.

    Zero-width characters and the byte-order mark are removed.  Integral floats (which pandas
    makes of number-like text columns with gaps) lose their ``.0``; other values become ``str``.

    Args:
        value: A cell value.

    Returns:
        The text, or None for a blank cell.
    """
    if is_blank(value):
        return None
    value = _unwrap(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = value if isinstance(value, str) else str(value)
    text = " ".join(text.translate(_ZERO_WIDTH).split())
    return text or None


# Windows-1252 leaves bytes 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined; Windows and browsers
# pass them through as the C1 controls U+0081 ... U+009D, so "”" (E2 80 9D) shows up as
# "â€\x9d".  These handlers let the codec do the same in both directions.
_CP1252_HOLES = frozenset((0x81, 0x8D, 0x8F, 0x90, 0x9D))
_SLOPPY = "district_assistant.sloppy_cp1252"


def _sloppy_cp1252(error: UnicodeError) -> tuple[str | bytes, int]:
    if isinstance(error, UnicodeEncodeError):
        chunk = error.object[error.start : error.end]
        if all(ord(ch) in _CP1252_HOLES for ch in chunk):
            return chunk.encode("latin-1"), error.end
    elif isinstance(error, UnicodeDecodeError):
        chunk = error.object[error.start : error.end]
        if all(byte in _CP1252_HOLES for byte in chunk):
            return bytes(chunk).decode("latin-1"), error.end
    raise error


codecs.register_error(_SLOPPY, _sloppy_cp1252)


def fix_mojibake(text: str) -> str:
    """Repair UTF-8 text that was decoded as Windows-1252.

    ``"Lutsâ€™k"`` -> ``"Luts’k"``, ``"cafÃ©"`` -> ``"café"``.  The repair is applied only
    when it round-trips: the text must encode to Windows-1252 bytes that are valid UTF-8, and
    the repaired text must turn back into the original when mis-decoded again.  The five bytes
    Windows-1252 leaves undefined are accepted as the C1 controls Windows passes them through
    as (so ``"â€\\x9d"`` becomes ``"”"``).  Anything else is returned unchanged.

    Args:
        text: The possibly damaged text.

    Returns:
        The repaired text, or ``text`` itself.
    """
    if text.isascii():
        return text
    try:
        repaired = text.encode("cp1252", errors=_SLOPPY).decode("utf-8")
        if repaired.encode("utf-8").decode("cp1252", errors=_SLOPPY) != text:
            return text
    except UnicodeError:
        return text
    return repaired
