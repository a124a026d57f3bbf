"""One group per fund or department however a district spells it, shown as it writes it most.

A tracker writes "GF", "general fund" and "General Fund " for one fund and "Tech" beside
"technology " for one department. Spend is grouped by a key: the fund's usual name when it is a
known program (``ingest.funding``), else the words trimmed and case-folded with "&" read as
"and". The label shown is the spelling the district uses most for that key (ties: the first in
alphabetical order), so an answer reads the way the business office writes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from ingest.funding import funding_name

KINDS = ("funding_source", "fund", "department", "vendor", "category", "account")


def name_key(kind: str, text: str | None) -> str | None:
    """The grouping key of a written name; None when the cell is blank."""
    if text is None or not text.strip():
        return None
    if kind in ("funding_source", "fund"):
        text = funding_name(text) or text
    folded = text.casefold().replace("&", " and ")
    return " ".join(re.sub(r"[^\w]+", " ", folded).split())


def labels(kind: str, written: Iterable[tuple[str | None, int]]) -> dict[str | None, str]:
    """Each key's label: the spelling written most (weights: how many rows wrote it)."""
    counts: dict[str | None, Counter[str]] = {}
    for text, n in written:
        key = name_key(kind, text)
        shown = " ".join(text.split()) if text else ""
        counts.setdefault(key, Counter())[shown] += n
    return {
        key: min(spellings.items(), key=lambda item: (-item[1], item[0]))[0]
        for key, spellings in counts.items()
    }


def matches(kind: str, wanted: str, text: str | None) -> bool:
    """Whether a written name is the one asked for ("gen fund" asks for "General Fund ")."""
    key = name_key(kind, text)
    return key is not None and key == name_key(kind, wanted)
