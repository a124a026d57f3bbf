"""Tests for ingest.parse: every accepted form, the blanks, and the human error reasons."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from ingest.parse import (
    DamagedSerial,
    fix_mojibake,
    is_blank,
    normalize_serial,
    normalize_text,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_days,
    parse_int,
    parse_money,
    parse_months,
)

PARSERS = [
    parse_date,
    parse_datetime,
    parse_money,
    parse_bool,
    parse_int,
    parse_days,
    parse_months,
    normalize_serial,
    normalize_text,
]

BLANKS = [None, "", "   ", "\t\n", "\u00a0", "\ufeff", float("nan"), np.nan, pd.NA, pd.NaT]


def _reason(excinfo: pytest.ExceptionInfo[ValueError]) -> str:
    return str(excinfo.value)


def _assert_human(reason: str) -> None:
    """A reason users can read: short, one line, no Python or library internals."""
    assert reason
    assert len(reason) <= 130, reason
    assert "\n" not in reason
    for internal in ("Traceback", "Error", "Unknown string format", "invalid literal", "<"):
        assert internal not in reason, reason


# ---------------------------------------------------------------------------------------------
# Blanks
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("parser", PARSERS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("value", BLANKS, ids=repr)
def test_every_parser_returns_none_for_blank(parser, value):
    assert parser(value) is None


@pytest.mark.parametrize("value", BLANKS, ids=repr)
def test_is_blank_true(value):
    assert is_blank(value) is True


@pytest.mark.parametrize(
    "value", ["x", " 0 ", 0, 0.0, False, "n/a", Decimal("0"), date(2027, 1, 5)], ids=repr
)
def test_is_blank_false(value):
    assert is_blank(value) is False


def test_is_blank_decimal_nan():
    assert is_blank(Decimal("NaN")) is True


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------

JAN_5_2027 = date(2027, 1, 5)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # US month/day/year
        ("1/5/2027", JAN_5_2027),
        ("01/05/2027", JAN_5_2027),
        ("01/05/27", JAN_5_2027),
        ("1-5-2027", JAN_5_2027),
        ("  1/5/2027  ", JAN_5_2027),
        ("12/31/2027", date(2027, 12, 31)),
        # ISO 8601
        ("2027-01-05", JAN_5_2027),
        ("2027-01-05T10:30:00Z", JAN_5_2027),
        ("2027-01-05T10:30:00", JAN_5_2027),
        ("2027-01-05 10:30:00", JAN_5_2027),
        ("2027-01-05T23:30:00-05:00", JAN_5_2027),  # the date written, not converted to UTC
        ("2027-01-05T10:30:00.123456+00:00", JAN_5_2027),
        ("20270105", JAN_5_2027),
        ("2027/01/05", JAN_5_2027),
        ("2027-1-5", JAN_5_2027),
        # month names
        ("Jan 5 2027", JAN_5_2027),
        ("Jan. 5, 2027", JAN_5_2027),
        ("January 5, 2027", JAN_5_2027),
        ("january 5th, 2027", JAN_5_2027),
        ("5-Jan-2027", JAN_5_2027),
        ("5 Jan 2027", JAN_5_2027),
        ("05-JAN-27", JAN_5_2027),
        ("Tuesday, January 5, 2027", JAN_5_2027),
        ("Sept 30 2027", date(2027, 9, 30)),
        # leap day
        ("2/29/2028", date(2028, 2, 29)),
        ("2028-02-29", date(2028, 2, 29)),
        ("Feb 29 2028", date(2028, 2, 29)),
        # month and year only -> last day of the month
        ("Jun 2028", date(2028, 6, 30)),
        ("June 2028", date(2028, 6, 30)),
        ("June, 2028", date(2028, 6, 30)),
        ("2028-06", date(2028, 6, 30)),
        ("06/2028", date(2028, 6, 30)),
        ("Feb 2028", date(2028, 2, 29)),
        ("Feb 2027", date(2027, 2, 28)),
        ("Dec 2030", date(2030, 12, 31)),
        ("June of 2028", date(2028, 6, 30)),
        # 13/01/2027 cannot be month/day, so it is read day/month (as dateutil does)
        ("13/01/2027", date(2027, 1, 13)),
        ("31/12/2027", date(2027, 12, 31)),
        # Excel serial numbers
        (46392, JAN_5_2027),
        (46392.0, JAN_5_2027),
        (46392.75, JAN_5_2027),
        ("46392", JAN_5_2027),
        ("46392.5", JAN_5_2027),
        (np.int64(46392), JAN_5_2027),
        (np.float64(46392.0), JAN_5_2027),
        (Decimal("46392"), JAN_5_2027),
        # epoch seconds and milliseconds
        (1799145000, JAN_5_2027),
        ("1799145000", JAN_5_2027),
        (1799145000000, JAN_5_2027),
        ("1799145000000", JAN_5_2027),
        (1799145000000.0, JAN_5_2027),
        # objects
        (JAN_5_2027, JAN_5_2027),
        (datetime(2027, 1, 5, 10, 30), JAN_5_2027),
        (pd.Timestamp("2027-01-05 10:30"), JAN_5_2027),
        (pd.Timestamp("2027-01-05 23:30", tz="America/New_York"), JAN_5_2027),
        (np.datetime64("2027-01-05"), JAN_5_2027),
        # year limits are inclusive
        ("1/1/1980", date(1980, 1, 1)),
        ("12/31/2100", date(2100, 12, 31)),
    ],
    ids=repr,
)
def test_parse_date(value, expected):
    result = parse_date(value)
    assert result == expected
    assert type(result) is date


@pytest.mark.parametrize(
    "value", ["n/a", "N/A", "na", "NA", "none", "None", "-", "--", "tbd", "TBD", "#N/A", "null"]
)
def test_parse_date_placeholders_are_none(value):
    assert parse_date(value) is None
    assert parse_datetime(value) is None


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("soon", "'soon' is not a date"),
        ("someday maybe", "'someday maybe' is not a date"),
        ("2200-01-01", "date 2200-01-01 is outside 1980-2100"),
        ("1/1/1979", "date 1979-01-01 is outside 1980-2100"),
        (date(1900, 1, 1), "date 1900-01-01 is outside 1980-2100"),
        ("2/29/2027", "'2/29/2027' is not a valid date: day is out of range for month"),
        ("2027-02-30", "'2027-02-30' is not a valid date: day is out of range for month"),
        ("Feb 30 2027", "'Feb 30 2027' is not a valid date: day is out of range for month"),
        ("13/13/2027", "'13/13/2027' is not a valid date: month must be in 1..12"),
        ("Jan 5", "'Jan 5' is not a date: it has no year"),
        ("2027", "'2027' is not a date: a year alone is not a date"),
        ("#REF!", "the cell holds the Excel error #REF!"),
        (True, "True is not a date"),
        ([2027, 1, 5], "[2027, 1, 5] is not a date"),
    ],
    ids=repr,
)
def test_parse_date_rejects(value, reason):
    with pytest.raises(ValueError) as excinfo:
        parse_date(value)
    assert _reason(excinfo) == reason
    _assert_human(_reason(excinfo))


@pytest.mark.parametrize("value", [12345, "12345", 123456789, "12345678901", 99999999999999, -5])
def test_parse_date_rejects_numbers_that_are_no_known_encoding(value):
    with pytest.raises(ValueError, match="is not a date: a number must be an Excel serial"):
        parse_date(value)


def test_parse_date_excel_serial_beyond_2100_is_out_of_range():
    with pytest.raises(ValueError, match="outside 1980-2100"):
        parse_date(80000)


def test_parse_date_failures_are_cached_and_still_raise():
    for _ in range(3):
        with pytest.raises(ValueError, match="'not-a-date' is not a date"):
            parse_date("not-a-date")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2027-01-05T10:30:00Z", datetime(2027, 1, 5, 10, 30)),
        ("2027-01-05 10:30:00", datetime(2027, 1, 5, 10, 30)),
        ("2027-01-05T22:00:00-05:00", datetime(2027, 1, 5, 22, 0)),  # wall clock kept
        ("2027-01-05T10:30:00.250", datetime(2027, 1, 5, 10, 30, 0, 250000)),
        ("1/5/2027", datetime(2027, 1, 5)),
        ("Jan 5 2027 10:30 PM", datetime(2027, 1, 5, 22, 30)),
        ("1/5/2027 14:05", datetime(2027, 1, 5, 14, 5)),
        ("Jun 2028", datetime(2028, 6, 30)),
        (46392.75, datetime(2027, 1, 5, 18, 0)),
        ("46392.5", datetime(2027, 1, 5, 12, 0)),
        (1799145000, datetime(2027, 1, 5, 10, 30)),
        ("1799145000123", datetime(2027, 1, 5, 10, 30, 0, 123000)),
        (date(2027, 1, 5), datetime(2027, 1, 5)),
        (pd.Timestamp("2027-01-05 10:30"), datetime(2027, 1, 5, 10, 30)),
        (datetime(2027, 1, 5, 10, 30, tzinfo=UTC), datetime(2027, 1, 5, 10, 30)),
    ],
    ids=repr,
)
def test_parse_datetime(value, expected):
    result = parse_datetime(value)
    assert result == expected
    assert type(result) is datetime
    assert result.tzinfo is None


def test_parse_datetime_rejects_like_parse_date():
    with pytest.raises(ValueError, match="^date 2200-01-01 is outside 1980-2100$"):
        parse_datetime("2200-01-01T00:00:00")
    with pytest.raises(ValueError, match="^'soon' is not a date$"):
        parse_datetime("soon")


# ---------------------------------------------------------------------------------------------
# Money
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("$12,500.00", "12500.00"),
        ("12500", "12500.00"),
        ("12,500", "12500.00"),
        (" $ 12,500.5 ", "12500.50"),
        ("1,234,567.89", "1234567.89"),
        ("(1,200.00)", "-1200.00"),
        ("($1,200.00)", "-1200.00"),
        ("-1200", "-1200.00"),
        ("-$1,200", "-1200.00"),
        ("$-1,200", "-1200.00"),
        ("\u22121200", "-1200.00"),
        ("1,200.00-", "-1200.00"),
        ("+50", "50.00"),
        ("USD 300", "300.00"),
        ("usd300", "300.00"),
        ("300 USD", "300.00"),
        ("US$ 300", "300.00"),
        (".5", "0.50"),
        ("0.10", "0.10"),
        ("12.345", "12.35"),  # rounded half up to cents
        ("12.344", "12.34"),
        ("$ -", "0.00"),  # Excel accounting format's zero
        ("$-", "0.00"),
        (300, "300.00"),
        (-300, "-300.00"),
        (300.5, "300.50"),
        (0.1, "0.10"),
        (0.1 + 0.2, "0.30"),
        (np.float64(19.99), "19.99"),
        (np.int64(7), "7.00"),
        (Decimal("19.999"), "20.00"),
        (Decimal("-0.005"), "-0.01"),
        ("98,765,432,109,876.54", "98765432109876.54"),  # no float round trip
    ],
    ids=repr,
)
def test_parse_money(value, expected):
    result = parse_money(value)
    assert isinstance(result, Decimal)
    assert result == Decimal(expected)
    assert str(result) == expected  # exactly two places
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize("value", ["n/a", "-", "none", "TBD", "#N/A"])
def test_parse_money_placeholders_are_none(value):
    assert parse_money(value) is None


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("12.5k", "'12.5k' is not an amount: shorthand like 'k' is ambiguous"),
        ("1.2M", "'1.2M' is not an amount: shorthand like 'M' is ambiguous"),
        ("$3MM", "'$3MM' is not an amount: shorthand like 'MM' is ambiguous"),
        ("abc", "'abc' is not an amount: it has no digits"),
        ("$", "'$' is not an amount: it has no digits"),
        ("12,50", "'12,50' is not an amount: the commas are not thousands separators"),
        ("1,2345.00", "'1,2345.00' is not an amount: the commas are not thousands separators"),
        ("€300", "'€300' is not an amount in US dollars"),
        ("300 EUR", "'300 EUR' is not an amount in US dollars"),
        ("--5", "'--5' is not an amount: it has more than one sign"),
        ("(-5)", "'(-5)' is not an amount: it has more than one sign"),
        ("about $300", "'about $300' is not an amount"),
        ("1.2.3", "'1.2.3' is not an amount"),
        (True, "True is not an amount"),
        (float("inf"), "inf is not an amount"),
    ],
    ids=repr,
)
def test_parse_money_rejects(value, reason):
    with pytest.raises(ValueError) as excinfo:
        parse_money(value)
    assert _reason(excinfo) == reason
    _assert_human(_reason(excinfo))


# ---------------------------------------------------------------------------------------------
# Booleans
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["y", "Y", "yes", "YES", " Yes ", "true", "TRUE", "t", "1", "1.0", "x", "X", "\u2713",
     "\u2714", "auto", "Auto", "auto-renew", "Auto Renew", "autorenew", "auto_renew",
     "automatic", "on", "enabled", True, 1, 1.0, np.bool_(True), np.int64(1)],
    ids=repr,
)  # fmt: skip
def test_parse_bool_true(value):
    assert parse_bool(value) is True


@pytest.mark.parametrize(
    "value",
    ["n", "N", "no", "No", "false", "FALSE", "f", "0", "0.0", "manual", "Manual", "none",
     "None", "off", "disabled", "\u2717", False, 0, 0.0, np.bool_(False)],
    ids=repr,
)  # fmt: skip
def test_parse_bool_false(value):
    assert parse_bool(value) is False


@pytest.mark.parametrize("value", ["n/a", "NA", "-", "tbd", "unknown"])
def test_parse_bool_placeholders_are_none(value):
    assert parse_bool(value) is None


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("maybe", "'maybe' is not yes or no"),
        ("yes please", "'yes please' is not yes or no"),
        ("2", "'2' is not yes or no"),
        (2, "2 is not yes or no"),
        (0.5, "0.5 is not yes or no"),
    ],
    ids=repr,
)
def test_parse_bool_rejects(value, reason):
    with pytest.raises(ValueError) as excinfo:
        parse_bool(value)
    assert _reason(excinfo) == reason
    _assert_human(_reason(excinfo))


# ---------------------------------------------------------------------------------------------
# Integers
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1200", 1200),
        ("1,200", 1200),
        ("1,234,567", 1234567),
        (" 42 ", 42),
        ("-5", -5),
        ("+5", 5),
        ("12.0", 12),
        ("12.00", 12),
        ("12.", 12),
        (12, 12),
        (12.0, 12),
        (np.int64(12), 12),
        (np.float64(12.0), 12),
        (Decimal("12.000"), 12),
        ("0", 0),
    ],
    ids=repr,
)
def test_parse_int(value, expected):
    result = parse_int(value)
    assert result == expected
    assert type(result) is int


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("12.5", "'12.5' is not a whole number"),
        (12.5, "12.5 is not a whole number"),
        (Decimal("1.01"), "1.01 is not a whole number"),
        ("abc", "'abc' is not a number"),
        ("12 units", "'12 units' is not a number"),
        ("1,20", "'1,20' is not a number: the commas are not thousands separators"),
        (True, "True is not a number"),
        (float("inf"), "inf is not a number"),
    ],
    ids=repr,
)
def test_parse_int_rejects(value, reason):
    with pytest.raises(ValueError) as excinfo:
        parse_int(value)
    assert _reason(excinfo) == reason
    _assert_human(_reason(excinfo))


def test_parse_int_placeholder_is_none():
    assert parse_int("n/a") is None


# ---------------------------------------------------------------------------------------------
# Durations
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (60, 60),
        (60.0, 60),
        ("60", 60),
        ("60 days", 60),
        ("60 Days", 60),
        ("60d", 60),
        ("90d", 90),
        ("90 d.", 90),
        ("1 day", 1),
        ("60-day", 60),
        ("60 calendar days", 60),
        ("2 months", 60),  # a month counts as 30 days
        ("1 month", 30),
        ("3 mos", 90),
        ("8 weeks", 56),
        ("2 wks", 14),
        ("1 year", 365),
        ("30 days prior", 30),
        ("30 days prior to renewal", 30),
        ("60 days' notice", 60),
        ("60 days\u2019 notice", 60),
        ("45 days before renewal", 45),
        ("90 days in advance", 90),
        ("sixty days", 60),
        ("thirty days prior", 30),
        ("one month", 30),
        ("0", 0),
    ],
    ids=repr,
)
def test_parse_days(value, expected):
    assert parse_days(value) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("soon", "'soon' is not a number of days"),
        ("60 days or so", "'60 days or so' is not a number of days"),
        ("2 fortnights", "'2 fortnights' is not a number of days: unknown unit 'fortnights'"),
        ("1.5 weeks", "'1.5 weeks' is not a whole number of days"),
        ("10 business days", "'10 business days' is not a number of calendar days: business days vary"),
        ("-30 days", "'-30 days' is not a number of days"),
        (-30, "-30 is not a number of days"),
        (60.5, "60.5 is not a whole number"),
    ],
    ids=repr,
)  # fmt: skip
def test_parse_days_rejects(value, reason):
    with pytest.raises(ValueError) as excinfo:
        parse_days(value)
    assert _reason(excinfo) == reason
    _assert_human(_reason(excinfo))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12, 12),
        (12.0, 12),
        ("12", 12),
        ("12 months", 12),
        ("12 Months", 12),
        ("12-month", 12),
        ("36mo", 36),
        ("1 month", 1),
        ("1 year", 12),
        ("1 yr", 12),
        ("3 yrs", 36),
        ("3 years", 36),
        ("3-year", 36),
        ("1.5 years", 18),
        ("one year", 12),
        ("annual", 12),
        ("Annually", 12),
        ("yearly", 12),
        ("semi-annual", 6),
        ("quarterly", 3),
        ("monthly", 1),
    ],
    ids=repr,
)
def test_parse_months(value, expected):
    assert parse_months(value) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("90 days", "'90 days' is not a number of months: give the term in months or years"),
        ("8 weeks", "'8 weeks' is not a number of months: give the term in months or years"),
        ("1.5 months", "'1.5 months' is not a whole number of months"),
        ("multi-year", "'multi-year' is not a number of months"),
        ("forever", "'forever' is not a number of months"),
        (-12, "-12 is not a number of months"),
    ],
    ids=repr,
)
def test_parse_months_rejects(value, reason):
    with pytest.raises(ValueError) as excinfo:
        parse_months(value)
    assert _reason(excinfo) == reason
    _assert_human(_reason(excinfo))


@pytest.mark.parametrize("parser", [parse_days, parse_months, parse_int])
@pytest.mark.parametrize("value", ["n/a", "-", "TBD"])
def test_duration_placeholders_are_none(parser, value):
    assert parser(value) is None


# ---------------------------------------------------------------------------------------------
# Serial numbers
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (" 5cd-123 4xy ", "5CD1234XY"),
        ("5CD1234XY", "5CD1234XY"),
        ("5cd.123_4xy", "5CD1234XY"),
        ("5CD\u00a01234\tXY", "5CD1234XY"),
        ("\ufeff5cd1234xy", "5CD1234XY"),
        ("5CD\u20131234XY", "5CD1234XY"),  # en dash
        ("S/N: 5cd1234xy", "5CD1234XY"),
        ("SN#5CD1234XY", "5CD1234XY"),
        ("Serial No.: 5CD1234XY", "5CD1234XY"),
        ("SNX123", "SNX123"),  # a serial that starts with SN keeps it
        ("AA:BB:CC", "AA:BB:CC"),
        ("12E45", "12E45"),  # letters and digits, not scientific notation
        (123456789012, "123456789012"),
        (123456789012.0, "123456789012"),
        (np.int64(4242), "4242"),
        ("---", None),
    ],
    ids=repr,
)
def test_normalize_serial(value, expected):
    assert normalize_serial(value) == expected


@pytest.mark.parametrize(
    "value", ["6.37702E+15", "1.2345E+10", "1.2345e+10", " 6.37702E+15 ", "6,37702E+15", 6.37702e15]
)
def test_normalize_serial_detects_excel_damage(value):
    with pytest.raises(DamagedSerial) as excinfo:
        normalize_serial(value)
    assert isinstance(excinfo.value, ValueError)
    assert str(excinfo.value) == "serial looks damaged by Excel (scientific notation)"
    assert excinfo.value.value == value


@pytest.mark.parametrize("value", ["To Be Filled By O.E.M.", "Default string", "0123456789"])
def test_normalize_serial_rejects_bios_placeholders(value):
    with pytest.raises(ValueError, match="is a placeholder, not a serial number") as excinfo:
        normalize_serial(value)
    assert not isinstance(excinfo.value, DamagedSerial)


@pytest.mark.parametrize("value", ["n/a", "N/A", "none", "-", "unknown"])
def test_normalize_serial_placeholders_are_none(value):
    assert normalize_serial(value) is None


# ---------------------------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  Lincoln   Elementary  ", "Lincoln Elementary"),
        ("Lincoln\tElementary\nSchool", "Lincoln Elementary School"),
        ("Lincoln\u00a0Elementary", "Lincoln Elementary"),
        ("\u200bLincoln\ufeff", "Lincoln"),
        ("MiXeD Case", "MiXeD Case"),
        ("n/a", "n/a"),  # text keeps placeholders; only blanks are None
        (12, "12"),
        (12.0, "12"),
        (12.5, "12.5"),
        ("\u200b", None),
    ],
    ids=repr,
)
def test_normalize_text(value, expected):
    assert normalize_text(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Luts\u00e2\u20ac\u2122k", "Luts\u2019k"),  # "Lutsâ€™k" -> "Luts’k"
        ("caf\u00c3\u00a9", "caf\u00e9"),  # "cafÃ©" -> "café"
        ("\u00c3\u00a9t\u00c3\u00a9", "\u00e9t\u00e9"),
        ("\u00e2\u20ac\u0153quoted\u00e2\u20ac\x9d", "\u201cquoted\u201d"),
        ("\u00c3\x81lvarez", "\u00c1lvarez"),  # "Á" is C3 81; 0x81 is a hole in cp1252
        ("plain ascii", "plain ascii"),
        ("caf\u00e9", "caf\u00e9"),  # already right: cp1252 bytes are not UTF-8
        ("Luts\u2019k", "Luts\u2019k"),  # already right
        ("na\u00efve \u00c3\u00a9", "na\u00efve \u00c3\u00a9"),  # mixed: repair does not apply
        ("\u00c3", "\u00c3"),  # a lone lead byte
        ("\u4e2d\u6587", "\u4e2d\u6587"),  # not encodable as cp1252
    ],
    ids=repr,
)
def test_fix_mojibake(value, expected):
    assert fix_mojibake(value) == expected


# ---------------------------------------------------------------------------------------------
# Every reason is human
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parser", "value"),
    [
        (parse_date, "next spring"),
        (parse_date, "99/99/9999"),
        (parse_date, "#VALUE!"),
        (parse_datetime, "10:30"),
        (parse_money, "twelve dollars"),
        (parse_money, "1e5"),
        (parse_bool, "perhaps"),
        (parse_int, "1.2.3"),
        (parse_days, "a while"),
        (parse_months, "until cancelled"),
        (normalize_serial, "#REF!"),
    ],
    ids=lambda v: getattr(v, "__name__", repr(v)),
)
def test_reasons_are_human(parser, value):
    with pytest.raises(ValueError) as excinfo:
        parser(value)
    reason = _reason(excinfo)
    _assert_human(reason)
    shown = str(value).strip()
    assert shown in reason or re.search(r"(Excel|date|number|amount|yes or no)", reason)
