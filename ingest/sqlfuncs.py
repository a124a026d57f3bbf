"""Date arithmetic that SQLite and PostgreSQL spell differently, as SQLAlchemy expressions.

Tools aggregate in SQL; these constructs compile to each dialect, so the same query runs on the
embedded SQLite store and on a PostgreSQL server.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date, Float
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement


class days_between(FunctionElement[float]):  # noqa: N801 - reads like the SQL function it is
    """days_between(later, earlier): days from earlier to later, with fractions (NULL if either is)."""

    type = Float()
    inherit_cache = True


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return f"(julianday({compiler.process(later, **kw)}) - julianday({compiler.process(earlier, **kw)}))"


@compiles(days_between, "postgresql")
def _days_between_pg(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return (
        f"(EXTRACT(EPOCH FROM (CAST({compiler.process(later, **kw)} AS TIMESTAMP) - "
        f"CAST({compiler.process(earlier, **kw)} AS TIMESTAMP))) / 86400.0)"
    )


class add_years(FunctionElement[Any]):  # noqa: N801
    """add_years(date, n): the date n years later (n may be a column)."""

    type = Date()
    inherit_cache = True


@compiles(add_years, "sqlite")
def _add_years_sqlite(element: add_years, compiler: Any, **kw: Any) -> str:
    day, years = list(element.clauses)
    return (
        f"date({compiler.process(day, **kw)}, '+' || {compiler.process(years, **kw)} || ' years')"
    )


@compiles(add_years, "postgresql")
def _add_years_pg(element: add_years, compiler: Any, **kw: Any) -> str:
    day, years = list(element.clauses)
    return (
        f"CAST({compiler.process(day, **kw)} + make_interval(years => "
        f"CAST({compiler.process(years, **kw)} AS INTEGER)) AS DATE)"
    )


class week_start(FunctionElement[Any]):  # noqa: N801
    """week_start(timestamp): the Monday of its week, as a date."""

    type = Date()
    inherit_cache = True


@compiles(week_start, "sqlite")
def _week_start_sqlite(element: week_start, compiler: Any, **kw: Any) -> str:
    (moment,) = list(element.clauses)
    return f"date({compiler.process(moment, **kw)}, '-6 days', 'weekday 1')"


@compiles(week_start, "postgresql")
def _week_start_pg(element: week_start, compiler: Any, **kw: Any) -> str:
    (moment,) = list(element.clauses)
    return f"CAST(date_trunc('week', {compiler.process(moment, **kw)}) AS DATE)"
