"""Device counts, replacement dates and budgets, warranties, from the truth's devices."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from decimal import Decimal

from assistant.settings import DEFAULT_POLICIES
from evals.scoring import Fact, count, money, text
from evals.truth.common import as_date, devices_where, fact
from ingest.sample import (
    SampleDistrict,
    TruthDevice,
)


@fact
def devices(
    district: SampleDistrict,
    as_of: dt.date,
    category: str | None = None,
    school: str | None = None,
    manufacturer: str | None = None,
    statuses: list[str] | None = None,
) -> list[Fact]:
    """How many devices match (active ones unless statuses say otherwise)."""
    found = devices_where(district, category=category, school=school, manufacturer=manufacturer,
                     statuses=statuses or ("active",))  # fmt: skip
    return [count(len(found), "devices")]


@fact
def devices_per_school(district: SampleDistrict, as_of: dt.date) -> list[Fact]:
    """Active devices in all, and the school with the most."""
    found = devices_where(district)
    top, n = Counter(d.school for d in found).most_common(1)[0]
    return [count(len(found), "active devices"), text(top, "school with most"), count(n, top)]


@fact
def owner_devices(
    district: SampleDistrict, as_of: dt.date, email: str, category: str | None = None
) -> list[Fact]:
    """The serials of a person's active devices."""
    found = [d for d in devices_where(district, category=category) if d.owner_email == email]
    return [count(len(found), "devices")] + [text(d.serial, "serial") for d in found]


# --- replacement ---------------------------------------------------------------------------------


def _add_years(value: dt.date, years: int) -> dt.date:
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # Feb 29 -> Feb 28
        return value.replace(year=value.year + years, day=28)


def replacement_date(d: TruthDevice) -> dt.date | None:
    """Purchase + the category's cycle; for a Chromebook, the earlier of that and its AUE."""
    policy = DEFAULT_POLICIES.get(d.category)
    if policy is None:
        return None
    cycle = _add_years(d.purchase_date, policy.cycle_years) if d.purchase_date else None
    if d.category == "Chromebook" and d.aue_date and (cycle is None or d.aue_date < cycle):
        return d.aue_date
    return cycle


def _cost(found: Iterable[TruthDevice]) -> Decimal:
    return sum((DEFAULT_POLICIES[d.category].unit_cost for d in found), Decimal(0))


@fact
def due(
    district: SampleDistrict,
    as_of: dt.date,
    start: str,
    end: str,
    category: str | None = None,
    school: str | None = None,
) -> list[Fact]:
    """Active devices whose replacement date falls in [start, end], and their cost."""
    first, last = as_date(start), as_date(end)
    found = [
        d
        for d in devices_where(district, category=category, school=school)
        if (r := replacement_date(d)) and first <= r <= last  # type: ignore[operator]
    ]
    facts = [count(len(found), "devices due")]
    if found:
        facts.append(money(_cost(found), "replacement cost"))
    return facts


@fact
def due_most(
    district: SampleDistrict, as_of: dt.date, start: str, end: str, group_by: str
) -> list[Fact]:
    """Devices due in [start, end] per school, category or model: the one with the most."""
    first, last = as_date(start), as_date(end)
    found = [
        d
        for d in devices_where(district)
        if (r := replacement_date(d)) and first <= r <= last  # type: ignore[operator]
    ]
    (top, n), *_ = Counter(getattr(d, group_by) for d in found).most_common(1)
    return [text(top, f"{group_by} with the most due"), count(n, top)]


@fact
def aue(district: SampleDistrict, as_of: dt.date, start: str, end: str) -> list[Fact]:
    """Active Chromebooks whose AUE falls in [start, end], and the model with the most."""
    first, last = as_date(start), as_date(end)
    found = [
        d
        for d in devices_where(district)
        if d.aue_date and first <= d.aue_date <= last  # type: ignore[operator]
    ]
    facts = [count(len(found), "Chromebooks reaching AUE")]
    if found:
        (top, n), *_ = Counter(d.model for d in found).most_common(1)
        facts += [text(top, "model with the most"), count(n, top)]
    return facts


@fact
def overdue(district: SampleDistrict, as_of: dt.date, category: str | None = None) -> list[Fact]:
    """Active devices already past their replacement date (before today)."""
    found = [
        d
        for d in devices_where(district, category=category)
        if (r := replacement_date(d)) and r < as_of
    ]
    return [count(len(found), "devices past their replacement date")]


def _fiscal_year(value: dt.date) -> int:
    return value.year + 1 if value.month >= 7 else value.year


@fact
def budget(
    district: SampleDistrict, as_of: dt.date, years: int, category: str | None = None
) -> list[Fact]:
    """Replacement cost per fiscal year from next year: the first year's and the total."""
    first_fy = _fiscal_year(as_of) + 1
    per_year: dict[int, list[TruthDevice]] = defaultdict(list)
    for d in devices_where(district, category=category):
        r = replacement_date(d)
        if r and first_fy <= _fiscal_year(r) < first_fy + years:
            per_year[_fiscal_year(r)].append(d)
    facts = [money(_cost(per_year[first_fy]), f"FY{first_fy} cost")]
    if years > 1:
        total = sum((_cost(v) for v in per_year.values()), Decimal(0))
        facts.append(money(total, f"{years}-year total"))
    return facts


@fact
def warranty(
    district: SampleDistrict,
    as_of: dt.date,
    start: str,
    end: str,
    category: str | None = None,
    school: str | None = None,
) -> list[Fact]:
    """Active devices whose warranty ends in [start, end]."""
    first, last = as_date(start), as_date(end)
    found = [
        d
        for d in devices_where(district, category=category, school=school)
        if d.warranty_end and first <= d.warranty_end <= last  # type: ignore[operator]
    ]
    return [count(len(found), "warranties ending")]
