"""What every source reader is: a name, a record type and a column mapping onto canonical fields.

A vendor reader is a ``VendorSource`` with its header names, compared by their words' stems
(``header_words.header_key``: API-style, spaced, abbreviated and plural forms all match) and an optional ``transform`` for values only that
system writes its own way (statuses, closed flags, custom fields).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

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

    def __post_init__(self) -> None:
        lookup = {header_key(h): name for name, hs in self.columns.items() for h in hs}
        object.__setattr__(self, "_lookup", lookup)

    def detect(self, headers: list[str]) -> float:
        """Share of this system's fingerprint headers present (0.0 to 1.0)."""
        present = {header_key(h) for h in headers}
        hits = sum(1 for h in self.fingerprint if header_key(h) in present)
        return hits / len(self.fingerprint)

    def map_columns(self, headers: list[str]) -> list[ColumnMapping]:
        """Exact mapping of each header; unknown headers are kept in the raw record only."""
        mappings = []
        for header in headers:
            target = self._lookup.get(header_key(header))
            how = f"{self.name} export column" if target else "not a known column: kept raw"
            mappings.append(ColumnMapping(header, target, 1.0 if target else 0.0, how))
        return mappings


def first_word(text: str | None) -> str | None:
    """The first word of a model name, used as the manufacturer when none is given."""
    return text.split()[0] if text and text.split() else None
