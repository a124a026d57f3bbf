"""What a parsed value may be beyond its type: amounts within sane bounds, text that fits its column.

A $10,000,000 laptop or a negative purchase cost is a typo or a shifted column, not a fact; a
300-character vendor name does not fit the column it goes to (PostgreSQL would refuse the whole
file). Such a cell is rejected with its reason like any other bad cell: the row keeps its other
values, or is rejected when the field is one the row cannot do without. The bounds are listed in
docs/ingest.md ("Bad input").
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import String

from ingest.fields import FIELDS

Parser = Callable[[object], Any]

# (record type, field) -> (lowest, highest, what the amount is), in dollars.
AMOUNTS: dict[tuple[str, str], tuple[Decimal, Decimal, str]] = {
    ("device", "purchase_cost"): (Decimal(0), Decimal(1_000_000), "a device's purchase cost"),
    ("ticket", "parts_cost"): (Decimal(0), Decimal(100_000), "a ticket's parts cost"),
    ("contract", "annual_cost"): (Decimal(0), Decimal(100_000_000), "a contract's annual cost"),
    ("app_request", "annual_cost"): (Decimal(0), Decimal(100_000_000), "an app's annual cost"),
    ("license", "purchase_cost"): (Decimal(0), Decimal(100_000_000), "a license's cost"),
    # Credits and returns on a purchase order are negative lines.
    ("purchase", "unit_price"): (Decimal(-100_000_000), Decimal(100_000_000), "a unit price"),
    ("purchase", "amount"): (Decimal(-100_000_000), Decimal(100_000_000), "a PO line amount"),
}
# Any other amount must fit Numeric(12, 2).
MONEY_LIMIT = Decimal("9999999999.99")
# Whole numbers that have a sane range.
COUNTS: dict[tuple[str, str], tuple[int, int, str]] = {
    ("ticket", "labor_minutes"): (0, 60 * 24 * 365, "a ticket's labour minutes"),
    ("device", "warranty_months"): (0, 240, "a warranty in months"),
    ("purchase", "quantity"): (-1_000_000, 1_000_000, "a PO line quantity"),
    ("license", "seats"): (0, 10_000_000, "a license's seats"),
}
# Text that goes to a String(n) column elsewhere than a same-named column (names of schools,
# vendors and people, serials) gets these lengths; Text columns (descriptions, notes) any length.
OTHER_TEXT_LIMIT = 255
SERIAL_LIMIT = 128
TEXT_KINDS = {"text", "serial"}


def with_bounds(record_type: str, parsers: dict[str, Parser]) -> dict[str, Parser]:
    """The parsers of one file's fields, each wrapped to refuse values out of its bounds."""
    return {name: _bounded(record_type, name, parse) for name, parse in parsers.items()}


def _bounded(record_type: str, name: str, parse: Parser) -> Parser:
    if (record_type, name) in AMOUNTS:
        low, high, what = AMOUNTS[(record_type, name)]
        return _range(parse, low, high, what, money=True)
    if (record_type, name) in COUNTS:
        low_count, high_count, what = COUNTS[(record_type, name)]
        return _range(parse, Decimal(low_count), Decimal(high_count), what, money=False)
    spec = FIELDS.get(record_type, {}).get(name)
    if spec is not None and spec.kind == "money":
        return _range(parse, -MONEY_LIMIT, MONEY_LIMIT, "an amount", money=True)
    limit = text_limit(record_type, name)
    return _length(parse, limit) if limit else parse


def _range(parse: Parser, low: Decimal, high: Decimal, what: str, *, money: bool) -> Parser:
    def show(number: Decimal) -> str:
        if not money:
            return f"{number:,}"
        return f"-${-number:,.2f}" if number < 0 else f"${number:,.2f}"

    def parse_in_range(cell: object) -> Any:
        value = parse(cell)
        if value is None or low <= value <= high:
            return value
        if value < 0 <= low:
            raise ValueError(f"{what} cannot be negative ({show(value)})")
        if value > high:
            raise ValueError(
                f"{show(value)} is more than {what} may be ({show(high)} at most): a typo?"
            )
        raise ValueError(
            f"{show(value)} is less than {what} may be ({show(low)} at least): a typo?"
        )

    return parse_in_range


def _length(parse: Parser, limit: int) -> Parser:
    def parse_short(cell: object) -> Any:
        value = parse(cell)
        if type(value) is str and len(value) > limit:
            raise ValueError(
                f"the text is {len(value):,} characters long; this column holds at most {limit}"
            )
        return value

    return parse_short


@cache
def text_limit(record_type: str, name: str) -> int | None:
    """The most characters a text field may hold: its column's length, None for unlimited Text."""
    from ingest.schema import (
        AppRequest,
        Contract,
        Device,
        License,
        Location,
        Person,
        Purchase,
        Ticket,
    )

    spec = FIELDS.get(record_type, {}).get(name)
    if spec is not None and (spec.kind not in TEXT_KINDS or spec.looks == "free_text"):
        return None  # free text (notes, descriptions) is never cut, whatever column holds it
    if name in ("serial", "device_serial") or (spec is not None and spec.kind == "serial"):
        return SERIAL_LIMIT
    if record_type == "ticket" and name == "category":
        return 128  # the canonical category keeps an unknown category as written
    models = {"location": Location, "person": Person, "device": Device, "ticket": Ticket,
              "contract": Contract, "purchase": Purchase, "app_request": AppRequest,
              "license": License}  # fmt: skip
    model = models.get(record_type)
    column = model.__table__.columns.get(name) if model is not None else None  # type: ignore[attr-defined]
    if column is None:
        return OTHER_TEXT_LIMIT
    return column.type.length if isinstance(column.type, String) else None
