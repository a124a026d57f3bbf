"""Examples for tools/dates.py: fiscal calendars and the time windows questions name.

Unless a test says otherwise, questions are asked on Monday, Nov 23, 2026 (in FY2027 Q2 with the
default July 1 fiscal year).
"""

from datetime import date

import pytest

from tools.dates import (
    FiscalCalendar,
    Window,
    format_day,
    month_window,
    parse_window,
    quarter_window,
)

AS_OF = date(2026, 11, 23)
JULY = FiscalCalendar()
TEXAS = FiscalCalendar(start_month=9)
FEDERAL = FiscalCalendar(start_month=10)


def d(text: str) -> date:
    """Shorthand for an ISO date in the example tables."""
    return date.fromisoformat(text)


def span(
    phrase: str, as_of: date = AS_OF, calendar: FiscalCalendar = JULY
) -> tuple[date, date] | None:
    """(start, end) of the window a question names, or None; the question wraps the phrase."""
    window = parse_window(f"How many Chromebooks {phrase}?", as_of, calendar)
    return (window.start, window.end) if window else None


def expect(start: str, end: str) -> tuple[date, date]:
    """The (start, end) pair a phrase should give."""
    return d(start), d(end)


# --------------------------------------------------------------------------------------------
# FiscalCalendar
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("calendar", "day", "fy"),
    [
        (JULY, "2026-06-30", 2026),
        (JULY, "2026-07-01", 2027),
        (JULY, "2026-11-23", 2027),
        (JULY, "2027-06-30", 2027),
        (TEXAS, "2026-08-31", 2026),
        (TEXAS, "2026-09-01", 2027),
        (FEDERAL, "2026-09-30", 2026),
        (FEDERAL, "2026-10-01", 2027),
        (FiscalCalendar(start_month=1), "2026-05-05", 2026),
        (FiscalCalendar(start_month=7, start_day=15), "2026-07-14", 2026),
        (FiscalCalendar(start_month=7, start_day=15), "2026-07-15", 2027),
    ],
)
def test_fiscal_year_is_named_by_the_year_it_ends(
    calendar: FiscalCalendar, day: str, fy: int
) -> None:
    assert calendar.fiscal_year(d(day)) == fy


@pytest.mark.parametrize(
    ("calendar", "fy", "start", "end"),
    [
        (JULY, 2027, "2026-07-01", "2027-06-30"),
        (JULY, 2028, "2027-07-01", "2028-06-30"),
        (TEXAS, 2027, "2026-09-01", "2027-08-31"),
        (FEDERAL, 2027, "2026-10-01", "2027-09-30"),
        (FiscalCalendar(start_month=1), 2026, "2026-01-01", "2026-12-31"),
    ],
)
def test_year_bounds(calendar: FiscalCalendar, fy: int, start: str, end: str) -> None:
    assert calendar.year_bounds(fy) == expect(start, end)


@pytest.mark.parametrize(
    ("calendar", "fy", "q", "start", "end"),
    [
        (JULY, 2027, 1, "2026-07-01", "2026-09-30"),
        (JULY, 2027, 2, "2026-10-01", "2026-12-31"),
        (JULY, 2027, 3, "2027-01-01", "2027-03-31"),
        (JULY, 2027, 4, "2027-04-01", "2027-06-30"),
        (JULY, 2028, 3, "2028-01-01", "2028-03-31"),
        (TEXAS, 2027, 1, "2026-09-01", "2026-11-30"),
        (TEXAS, 2027, 2, "2026-12-01", "2027-02-28"),
        (TEXAS, 2027, 3, "2027-03-01", "2027-05-31"),
        (TEXAS, 2027, 4, "2027-06-01", "2027-08-31"),
        (TEXAS, 2028, 2, "2027-12-01", "2028-02-29"),  # leap year
        (FEDERAL, 2027, 1, "2026-10-01", "2026-12-31"),
        (FEDERAL, 2027, 2, "2027-01-01", "2027-03-31"),
        (FEDERAL, 2027, 3, "2027-04-01", "2027-06-30"),
        (FEDERAL, 2027, 4, "2027-07-01", "2027-09-30"),
        (FiscalCalendar(start_month=7, start_day=15), 2027, 1, "2026-07-15", "2026-10-14"),
    ],
)
def test_quarter_bounds(calendar: FiscalCalendar, fy: int, q: int, start: str, end: str) -> None:
    assert calendar.quarter_bounds(fy, q) == expect(start, end)


@pytest.mark.parametrize(
    ("calendar", "day", "fy", "q"),
    [
        (JULY, "2026-07-01", 2027, 1),
        (JULY, "2026-09-30", 2027, 1),
        (JULY, "2026-11-23", 2027, 2),
        (JULY, "2027-01-01", 2027, 3),
        (JULY, "2027-06-30", 2027, 4),
        (TEXAS, "2026-11-23", 2027, 1),
        (TEXAS, "2028-02-29", 2028, 2),
        (FEDERAL, "2026-11-23", 2027, 1),
        (FEDERAL, "2027-09-30", 2027, 4),
        (FiscalCalendar(start_month=7, start_day=15), "2026-10-14", 2027, 1),
        (FiscalCalendar(start_month=7, start_day=15), "2026-10-15", 2027, 2),
    ],
)
def test_quarter_of_a_day(calendar: FiscalCalendar, day: str, fy: int, q: int) -> None:
    assert calendar.quarter(d(day)) == (fy, q)


@pytest.mark.parametrize(("month", "day"), [(0, 1), (13, 1), (2, 29), (7, 0), (7, 31)])
def test_calendar_rejects_starts_that_do_not_exist_every_year(month: int, day: int) -> None:
    with pytest.raises(ValueError):
        FiscalCalendar(start_month=month, start_day=day)


@pytest.mark.parametrize("q", [0, 5])
def test_quarter_bounds_rejects_a_fifth_quarter(q: int) -> None:
    with pytest.raises(ValueError):
        JULY.quarter_bounds(2027, q)


# --------------------------------------------------------------------------------------------
# parse_window: quarters
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "start", "end"),
    [
        ("due next quarter", "2027-01-01", "2027-03-31"),
        ("bought this quarter", "2026-10-01", "2026-12-31"),
        ("bought in the current quarter", "2026-10-01", "2026-12-31"),
        ("bought last quarter", "2026-07-01", "2026-09-30"),
        ("bought in the previous quarter", "2026-07-01", "2026-09-30"),
        ("due the quarter after next", "2027-04-01", "2027-06-30"),
        ("bought the quarter before last", "2026-04-01", "2026-06-30"),
        ("renewing in Q3", "2027-01-01", "2027-03-31"),
        ("bought in Q1", "2026-07-01", "2026-09-30"),  # bare Qn is of the current fiscal year
        ("renewing in Q3 FY2027", "2027-01-01", "2027-03-31"),
        ("renewing in FY27 Q4", "2027-04-01", "2027-06-30"),
        ("renewing in FY2028-Q1", "2027-07-01", "2027-09-30"),
        ("renewing in the third quarter", "2027-01-01", "2027-03-31"),
        ("renewing in the first quarter of FY2028", "2027-07-01", "2027-09-30"),
        ("renewing in Q1 of next fiscal year", "2027-07-01", "2027-09-30"),
        ("renewing in the last quarter of FY2027", "2027-04-01", "2027-06-30"),
        ("renewing in Q2 2026", "2025-10-01", "2025-12-31"),  # a year after Qn is fiscal
    ],
)
def test_quarters(phrase: str, start: str, end: str) -> None:
    assert span(phrase) == expect(start, end)


# --------------------------------------------------------------------------------------------
# parse_window: fiscal, school and calendar years
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "start", "end"),
    [
        ("bought this fiscal year", "2026-07-01", "2027-06-30"),
        ("bought this school year", "2026-07-01", "2027-06-30"),
        ("bought this FY", "2026-07-01", "2027-06-30"),
        ("bought in the current fiscal year", "2026-07-01", "2027-06-30"),
        ("budgeted for next fiscal year", "2027-07-01", "2028-06-30"),
        ("budgeted for next FY", "2027-07-01", "2028-06-30"),
        ("needed next school year", "2027-07-01", "2028-06-30"),
        ("bought last fiscal year", "2025-07-01", "2026-06-30"),
        ("bought in FY2027", "2026-07-01", "2027-06-30"),
        ("bought in FY27", "2026-07-01", "2027-06-30"),
        ("bought in FY 2027", "2026-07-01", "2027-06-30"),
        ("bought in fiscal 2027", "2026-07-01", "2027-06-30"),
        ("budgeted for fiscal year 2028", "2027-07-01", "2028-06-30"),
        ("budgeted for FY2026-27", "2026-07-01", "2027-06-30"),
        ("needed for the 2027-28 school year", "2027-07-01", "2028-06-30"),
        ("needed for the 2027-2028 school year", "2027-07-01", "2028-06-30"),
        ("needed for school year 2027-28", "2027-07-01", "2028-06-30"),
        ("needed for SY27-28", "2027-07-01", "2028-06-30"),
        ("budgeted for 2027-28", "2027-07-01", "2028-06-30"),  # consecutive years
        # "this year", "next year" and "last year" are fiscal years.
        ("bought this year", "2026-07-01", "2027-06-30"),
        ("needed next year", "2027-07-01", "2028-06-30"),
        ("bought last year", "2025-07-01", "2026-06-30"),
        # Calendar years have to say so.
        ("bought this calendar year", "2026-01-01", "2026-12-31"),
        ("needed next calendar year", "2027-01-01", "2027-12-31"),
        ("expiring in 2027", "2027-01-01", "2027-12-31"),
        ("bought during 2025", "2025-01-01", "2025-12-31"),
        ("bought in calendar year 2025", "2025-01-01", "2025-12-31"),
        ("bought in CY25", "2025-01-01", "2025-12-31"),
    ],
)
def test_years(phrase: str, start: str, end: str) -> None:
    assert span(phrase) == expect(start, end)


# --------------------------------------------------------------------------------------------
# parse_window: rolling spans, months and weeks
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "start", "end"),
    [
        # Forward spans run from tomorrow to as_of + N.
        ("expiring in the next 90 days", "2026-11-24", "2027-02-21"),
        ("expiring next 90 days", "2026-11-24", "2027-02-21"),
        ("expiring in the next 3 months", "2026-11-24", "2027-02-23"),
        ("expiring within 60 days", "2026-11-24", "2027-01-22"),
        ("expiring in the next two weeks", "2026-11-24", "2026-12-07"),
        ("expiring in the next 30 days", "2026-11-24", "2026-12-23"),
        ("expiring within a month", "2026-11-24", "2026-12-23"),
        ("expiring within the next month", "2026-11-24", "2026-12-23"),
        ("expiring in the next month", "2026-11-24", "2026-12-23"),
        ("expiring within a year", "2026-11-24", "2027-11-23"),
        ("expiring over the next twelve months", "2026-11-24", "2027-11-23"),
        ("expiring in the coming 10 days", "2026-11-24", "2026-12-03"),
        # Backward spans end today and include it.
        ("repaired in the past 30 days", "2026-10-25", "2026-11-23"),
        ("repaired in the last 30 days", "2026-10-25", "2026-11-23"),
        ("repaired in the past 3 months", "2026-08-24", "2026-11-23"),
        ("repaired in the last month", "2026-10-24", "2026-11-23"),
        ("repaired in the past year", "2025-11-24", "2026-11-23"),
        ("repaired over the past week", "2026-11-17", "2026-11-23"),
        # Calendar months.
        ("due next month", "2026-12-01", "2026-12-31"),
        ("due this month", "2026-11-01", "2026-11-30"),
        ("repaired last month", "2026-10-01", "2026-10-31"),
        ("repaired the previous month", "2026-10-01", "2026-10-31"),
        ("repaired the month before last", "2026-09-01", "2026-09-30"),
        ("due the month after next", "2027-01-01", "2027-01-31"),
        # Monday-Sunday weeks (Nov 23, 2026 is a Monday).
        ("repaired this week", "2026-11-23", "2026-11-29"),
        ("repaired last week", "2026-11-16", "2026-11-22"),
        ("due next week", "2026-11-30", "2026-12-06"),
    ],
)
def test_spans_months_and_weeks(phrase: str, start: str, end: str) -> None:
    assert span(phrase) == expect(start, end)


@pytest.mark.parametrize(
    ("phrase", "start", "end"),
    [
        ("due in January", "2027-01-01", "2027-01-31"),
        ("due in January 2027", "2027-01-01", "2027-01-31"),
        ("due in December", "2026-12-01", "2026-12-31"),
        ("due in November", "2026-11-01", "2026-11-30"),  # we are in it
        ("due in October", "2027-10-01", "2027-10-31"),  # already past: next year's
        ("due during March 2027", "2027-03-01", "2027-03-31"),
        ("due in Sept.", "2027-09-01", "2027-09-30"),
        ("for the March 2027 refresh", "2027-03-01", "2027-03-31"),
        ("due next January", "2027-01-01", "2027-01-31"),
        ("bought last March", "2026-03-01", "2026-03-31"),
        ("the December renewals", "2026-12-01", "2026-12-31"),
        ("March tickets", "2027-03-01", "2027-03-31"),
    ],
)
def test_named_months(phrase: str, start: str, end: str) -> None:
    assert span(phrase) == expect(start, end)


# --------------------------------------------------------------------------------------------
# parse_window: deadlines ("until" windows run from tomorrow through the deadline)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "start", "end"),
    [
        ("due before June 30", "2026-11-24", "2027-06-30"),
        ("due by June 30", "2026-11-24", "2027-06-30"),
        ("due by June 30th", "2026-11-24", "2027-06-30"),
        ("due until 6/30", "2026-11-24", "2027-06-30"),
        ("due before June 30 2028", "2026-11-24", "2028-06-30"),
        ("due no later than 6/30/2028", "2026-11-24", "2028-06-30"),
        ("due by 2027-01-15", "2026-11-24", "2027-01-15"),
        ("due by Dec 1", "2026-11-24", "2026-12-01"),
        ("due by Nov 1", "2026-11-24", "2027-11-01"),  # this year's is past: the next one
        ("due before the end of the fiscal year", "2026-11-24", "2027-06-30"),
        ("due by the end of the school year", "2026-11-24", "2027-06-30"),
        ("due by the end of next fiscal year", "2026-11-24", "2028-06-30"),
        ("due by the end of FY2028", "2026-11-24", "2028-06-30"),
        ("due by the end of the quarter", "2026-11-24", "2026-12-31"),
        ("due by the end of next quarter", "2026-11-24", "2027-03-31"),
        ("due before the end of the month", "2026-11-24", "2026-11-30"),
        ("due by the end of the calendar year", "2026-11-24", "2026-12-31"),
        ("due by year-end", "2026-11-24", "2027-06-30"),
        ("due before March", "2026-11-24", "2027-02-28"),
        ("due until March", "2026-11-24", "2027-02-28"),
        ("due before November", "2026-11-24", "2027-10-31"),
        ("due by March", "2026-11-24", "2027-03-31"),
        ("due by March 2027", "2026-11-24", "2027-03-31"),
        ("due by the end of March", "2026-11-24", "2027-03-31"),
        ("due by November", "2026-11-24", "2026-11-30"),
        ("due before the start of next school year", "2026-11-24", "2027-06-30"),
        ("due before the start of the quarter", "2026-11-24", "2026-12-31"),  # the next one
    ],
)
def test_deadlines(phrase: str, start: str, end: str) -> None:
    assert span(phrase) == expect(start, end)


def test_deadline_on_the_as_of_day_is_that_one_day() -> None:
    assert span("due by June 30", as_of=d("2027-06-30")) == expect("2027-06-30", "2027-06-30")
    assert span("due before the end of the fiscal year", as_of=d("2027-06-30")) == expect(
        "2027-06-30", "2027-06-30"
    )


@pytest.mark.parametrize(
    "phrase",
    [
        "due before June 30 2026",
        "due by March 2026",  # not read as the month "March 2026" either
        "due before the end of last quarter",
        "bought since Dec 1, 2027",  # "since" a day still to come
    ],
)
def test_deadline_already_past_names_no_window(phrase: str) -> None:
    assert span(phrase) is None


# --------------------------------------------------------------------------------------------
# parse_window: explicit ranges and days
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "start", "end"),
    [
        ("bought between Jan 1 and Mar 31", "2027-01-01", "2027-03-31"),
        ("bought from 2027-01-01 to 2027-03-31", "2027-01-01", "2027-03-31"),
        ("bought from 1/1/2027 through 3/31/2027", "2027-01-01", "2027-03-31"),
        ("bought between Nov 1 and Dec 31", "2026-11-01", "2026-12-31"),  # holds as_of
        ("bought from Dec 1 to Feb 28", "2026-12-01", "2027-02-28"),  # crosses New Year
        ("bought from Jan 1 to Mar 31, 2026", "2026-01-01", "2026-03-31"),
        ("bought from Mar 31, 2027 to Jan 1, 2027", "2027-01-01", "2027-03-31"),  # reversed
        ("bought from January to March", "2027-01-01", "2027-03-31"),
        ("bought between October and December", "2026-10-01", "2026-12-31"),
        ("bought from Oct 2025 to Feb 2026", "2025-10-01", "2026-02-28"),
        ("bought since July 1", "2026-07-01", "2026-11-23"),
        ("bought since Dec 1", "2025-12-01", "2026-11-23"),
        ("bought since August", "2026-08-01", "2026-11-23"),
        ("bought since the start of the school year", "2026-07-01", "2026-11-23"),
        ("bought year to date", "2026-07-01", "2026-11-23"),
        ("bought FYTD", "2026-07-01", "2026-11-23"),
        ("bought quarter-to-date", "2026-10-01", "2026-11-23"),
        ("due in the next two quarters", "2027-01-01", "2027-06-30"),  # starts next quarter
        ("bought in the past 2 quarters", "2026-04-01", "2026-09-30"),  # whole quarters
        ("delivered on June 30", "2027-06-30", "2027-06-30"),
        ("delivered on 2026-08-15", "2026-08-15", "2026-08-15"),
        ("ending on 12/31", "2026-12-31", "2026-12-31"),
    ],
)
def test_ranges(phrase: str, start: str, end: str) -> None:
    assert span(phrase) == expect(start, end)


# --------------------------------------------------------------------------------------------
# parse_window: kinds, labels, and reading a whole question
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "kind"),
    [
        ("next quarter", "quarter"),
        ("FY27 Q4", "quarter"),
        ("this fiscal year", "fiscal_year"),
        ("this year", "fiscal_year"),
        ("FY2027", "fiscal_year"),
        ("this school year", "school_year"),
        ("the 2027-28 school year", "school_year"),
        ("next month", "month"),
        ("in January", "month"),
        ("the next 90 days", "days"),
        ("the past 30 days", "days"),
        ("this week", "week"),
        ("before June 30", "until"),
        ("by the end of the fiscal year", "until"),
        ("between Jan 1 and Mar 31", "range"),
        ("this calendar year", "calendar_year"),
        ("in 2027", "calendar_year"),
    ],
)
def test_kinds(phrase: str, kind: str) -> None:
    window = parse_window(phrase, AS_OF)
    assert window is not None and window.kind == kind


@pytest.mark.parametrize(
    ("phrase", "label"),
    [
        ("next quarter", "FY2027 Q3 (Jan 1, 2027 – Mar 31, 2027)"),
        ("the next 90 days", "the next 90 days (Nov 24, 2026 – Feb 21, 2027)"),
        ("this fiscal year", "FY2027 (Jul 1, 2026 – Jun 30, 2027)"),
        ("this school year", "the 2026–27 school year (Jul 1, 2026 – Jun 30, 2027)"),
        ("next month", "December 2026 (Dec 1, 2026 – Dec 31, 2026)"),
        ("the past 30 days", "the past 30 days (Oct 25, 2026 – Nov 23, 2026)"),
        ("this week", "the week of Nov 23, 2026 (Nov 23, 2026 – Nov 29, 2026)"),
        ("before June 30", "until Jun 30, 2027 (Nov 24, 2026 – Jun 30, 2027)"),
        ("before March", "before March 2027 (Nov 24, 2026 – Feb 28, 2027)"),
        ("by the end of the fiscal year", "until the end of FY2027 (Nov 24, 2026 – Jun 30, 2027)"),
        ("between Jan 1 and Mar 31", "Jan 1, 2027 – Mar 31, 2027"),
        ("in 2027", "calendar year 2027 (Jan 1, 2027 – Dec 31, 2027)"),
    ],
)
def test_labels(phrase: str, label: str) -> None:
    window = parse_window(phrase, AS_OF)
    assert window is not None and window.label == label


@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        (
            "Which Chromebook carts at Lincoln Elementary have warranties expiring in the "
            "NEXT 90 DAYS?",
            "2026-11-24",
            "2027-02-21",
        ),
        ("what's our spend on Securly Next Quarter, roughly", "2027-01-01", "2027-03-31"),
        # Several phrases: the first one wins.
        ("Compare FY2026 with next quarter", "2025-07-01", "2026-06-30"),
        ("Next quarter compared with FY2026", "2027-01-01", "2027-03-31"),
        # Phrases that contain other phrases resolve to the longer reading.
        ("What renews by March 2027?", "2026-11-24", "2027-03-31"),
        ("Any renewals in the 2027-28 school year?", "2027-07-01", "2028-06-30"),
        ("Renewals in Q3 FY2028 for serial 5CD1234XYZ", "2028-01-01", "2028-03-31"),
    ],
)
def test_phrase_found_inside_a_longer_question(question: str, start: str, end: str) -> None:
    window = parse_window(question, AS_OF)
    assert window is not None and (window.start, window.end) == expect(start, end)


@pytest.mark.parametrize(
    "question",
    [
        "How many Chromebooks do we have?",
        "Which vendors require a notice of 90 days?",
        "Devices with 90 days of warranty left",
        "Is a 3 year warranty worth it?",
        "Where is the laptop with serial 5CD1234XYZ?",
        "Who approved the $1,250.00 purchase?",
        "Why was $2027 charged?",
        "What does 6/30 mean on the invoice?",
        "Can we buy 2000 Chromebooks?",
        "Are there 2026 models in stock?",
        "Which 12 devices have no asset tag?",
        "Show the fiscal year 12 laptops",
        "Is Q5 a real quarter?",
        "Sort by 1/2 of the price",  # a fraction, not Jan 2
        "What happens on 1/2 of the carts?",
        "May renewals be cancelled by email?",  # "may" is a verb far more often than a month
        "Which 2027-08 invoices are open?",  # an ISO month without a window word
    ],
)
def test_no_time_named(question: str) -> None:
    assert parse_window(question, AS_OF) is None


def test_a_count_after_in_is_not_a_far_away_year() -> None:
    assert parse_window("What's in 2000 Chromebook boxes?", AS_OF) is None


# --------------------------------------------------------------------------------------------
# Fiscal years that do not start in July
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("calendar", "phrase", "start", "end"),
    [
        (TEXAS, "this fiscal year", "2026-09-01", "2027-08-31"),
        (TEXAS, "FY2027", "2026-09-01", "2027-08-31"),
        (TEXAS, "this quarter", "2026-09-01", "2026-11-30"),
        (TEXAS, "next quarter", "2026-12-01", "2027-02-28"),
        (TEXAS, "Q3", "2027-03-01", "2027-05-31"),
        (TEXAS, "FY28 Q2", "2027-12-01", "2028-02-29"),
        (TEXAS, "before the end of the fiscal year", "2026-11-24", "2027-08-31"),
        (TEXAS, "the 2027-28 school year", "2027-09-01", "2028-08-31"),
        (TEXAS, "this year", "2026-09-01", "2027-08-31"),
        (FEDERAL, "this fiscal year", "2026-10-01", "2027-09-30"),
        (FEDERAL, "this quarter", "2026-10-01", "2026-12-31"),
        (FEDERAL, "next quarter", "2027-01-01", "2027-03-31"),
        (FEDERAL, "last fiscal year", "2025-10-01", "2026-09-30"),
        (FEDERAL, "FY2027 Q4", "2027-07-01", "2027-09-30"),
        (FEDERAL, "the quarter after next", "2027-04-01", "2027-06-30"),
    ],
)
def test_other_fiscal_starts(calendar: FiscalCalendar, phrase: str, start: str, end: str) -> None:
    assert span(phrase, calendar=calendar) == expect(start, end)


# --------------------------------------------------------------------------------------------
# Edges: fiscal-year boundaries, last day of a quarter, leap years
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "phrase", "start", "end"),
    [
        # Windows that cross from FY2027 into FY2028.
        ("2027-05-15", "in the next 90 days", "2027-05-16", "2027-08-13"),
        ("2027-05-15", "next quarter", "2027-07-01", "2027-09-30"),
        ("2027-05-15", "the quarter after next", "2027-10-01", "2027-12-31"),
        ("2027-05-15", "between June 1 and Aug 31", "2027-06-01", "2027-08-31"),
        ("2027-06-10", "next month", "2027-07-01", "2027-07-31"),
        # as_of on the last day of a quarter (and of the fiscal year).
        ("2027-06-30", "this quarter", "2027-04-01", "2027-06-30"),
        ("2027-06-30", "next quarter", "2027-07-01", "2027-09-30"),
        ("2027-06-30", "last quarter", "2027-01-01", "2027-03-31"),
        ("2027-06-30", "this fiscal year", "2026-07-01", "2027-06-30"),
        ("2027-06-30", "next fiscal year", "2027-07-01", "2028-06-30"),
        ("2027-06-30", "the next 90 days", "2027-07-01", "2027-09-28"),
        ("2026-12-31", "this quarter", "2026-10-01", "2026-12-31"),
        ("2026-12-31", "next quarter", "2027-01-01", "2027-03-31"),
        ("2026-12-31", "the next 90 days", "2027-01-01", "2027-03-31"),
        ("2026-12-31", "this week", "2026-12-28", "2027-01-03"),
        ("2026-12-31", "next month", "2027-01-01", "2027-01-31"),
        ("2026-12-31", "by the end of the quarter", "2026-12-31", "2026-12-31"),
        ("2026-09-30", "next quarter", "2026-10-01", "2026-12-31"),
        # Leap years.
        ("2026-11-23", "by Feb 29", "2026-11-24", "2028-02-29"),
        ("2027-11-23", "before March", "2027-11-24", "2028-02-29"),
        ("2027-11-23", "in February", "2028-02-01", "2028-02-29"),
        ("2026-11-23", "in February 2028", "2028-02-01", "2028-02-29"),
        ("2028-01-31", "next month", "2028-02-01", "2028-02-29"),
        ("2028-01-31", "within a month", "2028-02-01", "2028-02-29"),
        ("2028-02-29", "this month", "2028-02-01", "2028-02-29"),
        ("2028-02-29", "the next 30 days", "2028-03-01", "2028-03-30"),
        ("2028-02-29", "the past year", "2027-03-01", "2028-02-29"),
        ("2027-03-01", "the past 30 days", "2027-01-31", "2027-03-01"),
        ("2028-03-01", "the past 30 days", "2028-02-01", "2028-03-01"),  # Feb 29 counts
        ("2028-03-01", "since Feb 29", "2028-02-29", "2028-03-01"),
    ],
)
def test_edges(as_of: str, phrase: str, start: str, end: str) -> None:
    assert span(phrase, as_of=d(as_of)) == expect(start, end)


# --------------------------------------------------------------------------------------------
# Window.shifted: follow-ups such as "and the quarter after?"
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "n", "start", "end"),
    [
        ("next quarter", 1, "2027-04-01", "2027-06-30"),
        ("next quarter", 2, "2027-07-01", "2027-09-30"),  # into FY2028
        ("next quarter", -3, "2026-04-01", "2026-06-30"),  # back into FY2026
        ("this fiscal year", 1, "2027-07-01", "2028-06-30"),
        ("this fiscal year", -1, "2025-07-01", "2026-06-30"),
        ("this school year", 1, "2027-07-01", "2028-06-30"),
        ("this calendar year", 1, "2027-01-01", "2027-12-31"),
        ("next month", 1, "2027-01-01", "2027-01-31"),
        ("this month", -2, "2026-09-01", "2026-09-30"),
        ("in January 2028", 1, "2028-02-01", "2028-02-29"),
        ("the next 90 days", 1, "2027-02-22", "2027-05-22"),
        ("the past 30 days", -1, "2026-09-25", "2026-10-24"),
        ("this week", 1, "2026-11-30", "2026-12-06"),
        ("before June 30", 1, "2027-07-01", "2028-02-04"),  # the next 219 days
        ("between Jan 1 and Mar 31", 1, "2027-04-01", "2027-06-30"),  # whole months
        ("from 2027-01-15 to 2027-01-24", 1, "2027-01-25", "2027-02-03"),  # 10 days
        ("from Jan 1 to Jan 31, 2028", 1, "2028-02-01", "2028-02-29"),  # one whole month
        ("the next two quarters", 1, "2027-07-01", "2027-12-31"),
    ],
)
def test_shifted(phrase: str, n: int, start: str, end: str) -> None:
    window = parse_window(phrase, AS_OF)
    assert window is not None
    moved = window.shifted(n, JULY)
    assert (moved.start, moved.end) == expect(start, end)
    assert moved.kind == window.kind


def test_shifted_days_keeps_the_length_and_follows_on() -> None:
    window = parse_window("before June 30", AS_OF)
    assert window is not None
    moved = window.shifted(1, JULY)
    assert moved.days == window.days == 219
    assert (moved.start - window.end).days == 1


def test_shifted_labels_describe_the_new_period() -> None:
    quarter = quarter_window(2027, 3, JULY)
    assert quarter.shifted(2, JULY).label == "FY2028 Q1 (Jul 1, 2027 – Sep 30, 2027)"
    school = parse_window("this school year", AS_OF)
    assert school is not None
    assert school.shifted(1, JULY).label == "the 2027–28 school year (Jul 1, 2027 – Jun 30, 2028)"
    days = parse_window("the next 90 days", AS_OF)
    assert days is not None
    assert days.shifted(1, JULY).label == "90 days (Feb 22, 2027 – May 22, 2027)"


def test_shifted_uses_the_calendar_given() -> None:
    quarter = quarter_window(2027, 2, TEXAS)  # Dec 1, 2026 – Feb 28, 2027
    moved = quarter.shifted(1, TEXAS)
    assert (moved.start, moved.end) == expect("2027-03-01", "2027-05-31")


def test_shifted_by_zero_is_the_same_window() -> None:
    window = month_window(2026, 12)
    assert window.shifted(0, JULY) == window


# --------------------------------------------------------------------------------------------
# Window and format_day
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "text"),
    [
        ("2027-01-05", "Jan 5, 2027"),
        ("2026-12-31", "Dec 31, 2026"),
        ("2028-02-29", "Feb 29, 2028"),
        ("2026-09-01", "Sep 1, 2026"),
    ],
)
def test_format_day(day: str, text: str) -> None:
    assert format_day(d(day)) == text


def test_window_refuses_to_end_before_it_starts() -> None:
    with pytest.raises(ValueError):
        Window(d("2027-01-02"), d("2027-01-01"), "backwards", "range")


def test_window_contains_both_ends() -> None:
    window = quarter_window(2027, 3, JULY)
    assert window.contains(d("2027-01-01")) and window.contains(d("2027-03-31"))
    assert not window.contains(d("2027-04-01"))
    assert window.days == 90


# --------------------------------------------------------------------------------------------
# Several years at once (issue 19)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "start", "end", "kind"),
    [
        ("committed spend FY2030 to FY2034", "2029-07-01", "2034-06-30", "range"),
        ("from FY28 through FY30", "2027-07-01", "2030-06-30", "range"),
        ("FY2029-FY2031 budget", "2028-07-01", "2031-06-30", "range"),
        ("over the coming six fiscal years", "2027-07-01", "2033-06-30", "range"),
        ("the next three fiscal years", "2027-07-01", "2030-06-30", "range"),
        ("the past two fiscal years", "2024-07-01", "2026-06-30", "range"),
        ("renewals 2029-2031", "2029-01-01", "2031-12-31", "range"),
        ("between 2029 and 2031", "2029-01-01", "2031-12-31", "range"),
        ("PO spend in the prior fiscal year", "2025-07-01", "2026-06-30", "fiscal_year"),
        ("what did we spend in FY25", "2024-07-01", "2025-06-30", "fiscal_year"),
        ("2027-2028", "2027-07-01", "2028-06-30", "school_year"),  # consecutive: a school year
    ],
)
def test_year_ranges(question: str, start: str, end: str, kind: str) -> None:
    window = parse_window(question, AS_OF, JULY)
    assert window is not None
    assert (window.start, window.end, window.kind) == (d(start), d(end), kind)


def test_a_fiscal_year_range_is_labelled_by_its_years() -> None:
    window = parse_window("FY2030 to FY2034", AS_OF, JULY)
    assert window is not None and window.label.startswith("FY2030–FY2034 (Jul 1, 2029")


def test_a_backwards_range_of_years_is_read_as_its_first_year() -> None:
    window = parse_window("FY2034 to FY2030", AS_OF, JULY)
    assert window is not None and (window.start, window.end) == (d("2033-07-01"), d("2034-06-30"))


def test_through_a_fiscal_year_runs_from_tomorrow_to_its_end() -> None:
    window = parse_window("renewals and refresh through FY2030", AS_OF, JULY)
    assert window is not None
    assert (window.start, window.end, window.kind) == (d("2026-11-24"), d("2030-06-30"), "range")
    ranged = parse_window("from FY2028 through FY2030", AS_OF, JULY)
    assert ranged is not None and ranged.start == d("2027-07-01")  # the range, not "through"
