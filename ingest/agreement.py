"""When two systems really disagree about a device, and when a value names nobody and nowhere.

A blank location, a spares shelf, a cart or a "Deprovisioned" organisational unit is not a
place: two systems that write one of them and a school do not disagree about where the device
is. An owner likewise: "Spare" or a blank names nobody, and ``maria.garcia+ipad@`` against
"Garcia, Maria" is one person. Asset tags compare without case, spaces and dashes. Ingest
records conflicts by this rule and the tools (``device_conflicts``, ``data_quality``) read
them through it, so a store loaded before the rule existed answers the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from itertools import combinations
from typing import Any

from ingest.people_match import PersonRecord, record_name, same_person

# Words of a location or an owner that name a holding state, not a school or a person. Each is
# a way asset systems park devices: spare pools and shelves, carts, storage and stock rooms,
# Google's deprovisioned or disabled units, devices out for repair or waiting to be assigned.
PLACEHOLDER_WORDS = (
    "spare", "spares", "cart", "carts", "deprovisioned", "deprovision", "disabled", "unassigned",
    "storage", "stock", "inventory", "loaner", "loaners", "pool", "surplus", "retired",
    "recycle", "recycled", "ewaste", "lost", "stolen", "repair", "repairs", "rma", "none",
    "n/a", "na", "unknown", "tbd", "null", "returned", "available", "ready to deploy",
)  # fmt: skip
_PLACEHOLDER = re.compile(
    r"(?<![a-z])(" + "|".join(re.escape(w) for w in PLACEHOLDER_WORDS) + r")(?![a-z])", re.I
)


def is_placeholder(value: Any) -> bool:
    """Blank, or a value that names a holding state ("Spares", "/Deprovisioned", "Cart 3")."""
    text = "" if value is None else str(value).strip()
    return not text or text in {"/", "-"} or bool(_PLACEHOLDER.search(text))


def is_real_place(value: Any) -> bool:
    """A location that names a school or site."""
    return not is_placeholder(value)


def is_real_owner(value: Any) -> bool:
    """An owner value that names a person."""
    return not is_placeholder(value)


def asset_tag_key(value: Any) -> str:
    """'mv-004512 ' -> 'MV004512'."""
    return re.sub(r"[\s\-_]", "", str(value)).upper()


def owner_record(value: Any) -> PersonRecord:
    """An owner value as a person record: an e-mail address, else a name."""
    text = str(value).strip()
    return PersonRecord(email=text) if "@" in text else PersonRecord(name=text)


def is_conflict(
    field: str, values: Mapping[str, Any], same_place: Callable[[Any, Any], bool] | None = None
) -> bool:
    """Whether these systems' values of one field disagree for real.

    ``same_place`` compares two locations (ingest resolves both to a school id); by default
    two names are the same place when they match without case and spaces.
    """
    match field:
        case "location":
            places = [v for v in values.values() if is_real_place(v)]
            same = same_place or (lambda a, b: str(a).strip().lower() == str(b).strip().lower())
            return any(not same(a, b) for a, b in combinations(places, 2))
        case "owner":
            owners = [owner_record(v) for v in values.values() if is_real_owner(v)]
            return any(not _one_owner(a, b) for a, b in combinations(owners, 2))
        case "asset_tag":
            tags = {asset_tag_key(v) for v in values.values() if not is_placeholder(v)}
            return len(tags) > 1
        case _:
            raise ValueError(f"Unsupported conflict field: {field!r}")


def _one_owner(a: PersonRecord, b: PersonRecord) -> bool:
    """Two owner values name one person, or cannot be told apart (an address against a name
    the address does not spell out is not evidence of two people)."""
    if same_person(a, b):
        return True
    return (a.email is None) != (b.email is None) and not _spelled(a, b)


def _spelled(a: PersonRecord, b: PersonRecord) -> bool:
    """An address spells a ``first.last`` name and the other value is a different full name."""
    name_a, name_b = record_name(a), record_name(b)
    return bool(name_a and name_b and name_a.key != name_b.key)
