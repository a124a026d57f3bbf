"""The fact registry and what every truth module shares: dates, school names, devices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal

from evals.scoring import Fact
from ingest.sample import (
    SampleDistrict,
    TruthDevice,
)

CENT = Decimal("0.01")
LABOUR_RATE = Decimal("45")  # Settings.labour_rate_per_hour's default

REPAIR_CATEGORIES = {"Liquid damage", "Cracked screen", "Battery", "Keyboard", "Charging port"}
DONE_STATES = {"approved", "denied", "not required", ""}
FactFn = Callable[..., list[Fact]]
FACTS: dict[str, FactFn] = {}


def fact(fn: FactFn) -> FactFn:
    """Register a fact function under its name, the ``fn`` of a case in golden.yaml."""
    FACTS[fn.__name__] = fn
    return fn


def as_date(value: str | dt.date | None) -> dt.date | None:
    """A date from YAML (already a date) or an ISO string."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def find_school(district: SampleDistrict, name: str | None) -> str | None:
    """'Lincoln' -> 'Lincoln Elementary School' (the one school whose name starts so)."""
    if name is None:
        return None
    hits = [s for s in district.schools if s.lower().startswith(name.lower())]
    if len(hits) != 1:
        raise ValueError(f"school {name!r} is not one school of the sample: {hits}")
    return hits[0]


def devices_where(
    district: SampleDistrict,
    *,
    category: str | None = None,
    school: str | None = None,
    manufacturer: str | None = None,
    statuses: Iterable[str] = ("active",),
) -> list[TruthDevice]:
    school_name = find_school(district, school)
    wanted = set(statuses)
    return [
        d
        for d in district.devices
        if d.status in wanted
        and (category is None or d.category == category)
        and (school_name is None or d.school == school_name)
        and (manufacturer is None or manufacturer.lower() in d.manufacturer.lower())
    ]
