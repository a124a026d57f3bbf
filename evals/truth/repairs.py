"""Repair history, break/fix rates, cost of ownership and failure kinds, from the truth."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from evals.scoring import Fact, count, money, text
from evals.truth.common import CENT, LABOUR_RATE, REPAIR_CATEGORIES, devices_where, fact
from ingest.sample import (
    SampleDistrict,
    TruthDevice,
    TruthTicket,
    canonical_serial,
)

# --- repairs ---------------------------------------------------------------------------------------


def is_repair(t: TruthTicket) -> bool:
    """A hardware failure category, or parts were used."""
    return t.category in REPAIR_CATEGORIES or t.parts_cost > 0


def _device_tickets(district: SampleDistrict) -> dict[str, list[TruthTicket]]:
    by_serial: dict[str, list[TruthTicket]] = defaultdict(list)
    for t in district.tickets:
        if t.device_serial:
            by_serial[t.device_serial].append(t)
    return by_serial


@fact
def repair_history(
    district: SampleDistrict, as_of: dt.date, serial: str | None = None, tag: str | None = None
) -> list[Fact]:
    """One device's tickets: how many, how many were repairs, and its serial."""
    device = next(
        d
        for d in district.devices
        if (serial and d.serial == canonical_serial(serial)) or (tag and d.asset_tag == tag)
    )
    tickets = _device_tickets(district)[device.serial]
    return [
        text(device.serial, "serial"),
        count(len(tickets), "tickets"),
        count(sum(map(is_repair, tickets)), "repairs"),
    ]


def _fleet(
    district: SampleDistrict,
    as_of: dt.date,
    category: str | None,
    manufacturer: str | None,
    school: str | None,
) -> list[TruthDevice]:
    """Every device (retired too) in service by as_of, for repair and cost figures."""
    found = devices_where(district, category=category, manufacturer=manufacturer, school=school,
                     statuses=("active", "retired", "lost"))  # fmt: skip
    return [d for d in found if d.purchase_date is None or d.purchase_date <= as_of]


@fact
def break_fix(
    district: SampleDistrict,
    as_of: dt.date,
    category: str | None = None,
    manufacturer: str | None = None,
    school: str | None = None,
    min_devices: int = 5,
) -> list[Fact]:
    """The model with the most repairs per device-year (models of min_devices or more)."""
    tickets = _device_tickets(district)
    stats: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0, 0])  # devices, repairs, yrs
    for d in _fleet(district, as_of, category, manufacturer, school):
        repairs = sum(1 for t in tickets.get(d.serial, []) if is_repair(t))
        row = stats[d.model]
        row[0] += 1
        row[1] += repairs
        if d.purchase_date:
            row[2] += max((as_of - d.purchase_date).days, 0) / 365.25
            row[3] += repairs
    ranked = sorted(
        ((m, r) for m, r in stats.items() if r[0] >= min_devices and r[2] > 0),
        key=lambda item: (-item[1][3] / item[1][2], item[0]),
    )
    model, (n, repairs, _, _) = ranked[0]
    return [text(model, "model breaking most"), count(int(repairs), f"repairs of {model}"),
            count(int(n), f"{model} devices")]  # fmt: skip


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@fact
def tco(
    district: SampleDistrict,
    as_of: dt.date,
    group_by: str = "model",
    category: str | None = None,
    manufacturer: str | None = None,
    want: str | None = None,
) -> list[Fact]:
    """Cost of ownership (purchase + parts + labour at the district rate) per device.

    The group costing most per device, or ``want``'s figure when the question is about one group.
    """
    tickets = _device_tickets(district)
    sums: dict[str, list[Any]] = defaultdict(lambda: [0, Decimal(0), Decimal(0), 0])
    end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
    for d in _fleet(district, as_of, category, manufacturer, None):
        row = sums[d.model if group_by == "model" else d.category]
        row[0] += 1
        row[1] += d.purchase_cost or 0
        for t in tickets.get(d.serial, []):
            if t.opened < end:
                row[2] += t.parts_cost
                row[3] += t.labor_minutes
    per_device = {
        group: _cents((_cents(cost) + _cents(parts) + _cents(Decimal(minutes) * LABOUR_RATE / 60)) / n)
        for group, (n, cost, parts, minutes) in sums.items()
    }  # fmt: skip
    group = want or max(per_device, key=lambda g: (per_device[g], g))
    return [text(group, "group"), money(per_device[group], f"TCO per device of {group}")]


@fact
def failures(
    district: SampleDistrict,
    as_of: dt.date,
    category: str | None = None,
    manufacturer: str | None = None,
) -> list[Fact]:
    """The most common repair category on the matching devices, and how many."""
    serials = {d.serial for d in devices_where(district, category=category, manufacturer=manufacturer,
                                          statuses=("active", "retired", "lost"))}  # fmt: skip
    counts = Counter(
        t.category for t in district.tickets if t.device_serial in serials and is_repair(t)
    )
    top, n = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0]
    return [text(top, "most common failure"), count(n, f"{top} repairs")]
