"""What every source reader is: a name, a record type and a column mapping onto canonical fields.

A vendor reader is a ``VendorSource`` with its header names, compared by their words' stems
(``header_words.header_key``: API-style, spaced, abbreviated and plural forms all match) and an optional ``transform`` for values only that
system writes its own way (statuses, closed flags, custom fields).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ingest.files import normalize_header
from ingest.header_words import header_key

Record = dict[str, Any]


@dataclass(frozen=True)
class ColumnMapping:
    """How one header of a file was placed: the canonical field (or None) and how sure we are."""

    header: str
    field: str | None
    confidence: float
    how: str
    level: str = ""  # "sure" or "unsure" for a matched column; "" for exact or raw
    alternatives: tuple[tuple[str, float], ...] = ()  # the three best fields and their scores


@dataclass(frozen=True)
class VendorSource:
    """A known system's export: recognised by its header fingerprint, mapped exactly."""

    name: str
    record_type: str
    columns: dict[str, tuple[str, ...]]
    fingerprint: tuple[str, ...]
    transform: Callable[[Record], Record] | None = None
    label: str = ""
    _lookup: dict[str, str] = field(init=False, repr=False, compare=False)
    _exact: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lookup = {header_key(h): name for name, hs in self.columns.items() for h in hs}
        exact = {normalize_header(h): name for name, hs in self.columns.items() for h in hs}
        object.__setattr__(self, "_lookup", lookup)
        object.__setattr__(self, "_exact", exact)

    def detect(self, headers: list[str]) -> float:
        """Share of this system's fingerprint headers present (0.0 to 1.0)."""
        present = {header_key(h) for h in headers}
        hits = sum(1 for h in self.fingerprint if header_key(h) in present)
        return hits / len(self.fingerprint)

    def map_columns(self, headers: list[str]) -> list[ColumnMapping]:
        """Each header on its field by name: exact names first, then the same stems for fields
        still free (so "Licensed To Name" cannot take a field "License Name" already has).
        Unknown headers are kept in the raw record only."""
        targets: list[str | None] = [self._exact.get(normalize_header(h)) for h in headers]
        taken = {t for t in targets if t}
        for i, header in enumerate(headers):
            if targets[i] is None:
                target = self._lookup.get(header_key(header))
                if target and target not in taken:
                    targets[i] = target
                    taken.add(target)
        return [
            ColumnMapping(header, target, 1.0, f"{self.name} export column")
            if target
            else ColumnMapping(header, None, 0.0, "not a known column: kept raw")
            for header, target in zip(headers, targets, strict=True)
        ]


def first_word(text: str | None) -> str | None:
    """The first word of a model name, used as the manufacturer when none is given."""
    return text.split()[0] if text and text.split() else None
