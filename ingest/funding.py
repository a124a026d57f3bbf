"""Funding sources under one name each: "GF", "Gen Fund" and "general fund " are all General Fund.

Trackers spell the same federal or local program many ways; a director asking about "Title I"
means "Title 1" too. Known programs get their usual name; anything else is kept as written
(trimmed). The raw cell stays in the source record.
"""

from __future__ import annotations

import re

# Keys are the spelling squeezed to lower-case letters and digits (see ``_squeeze``).
_PROGRAMS: dict[str, str] = {
    "generalfund": "General Fund", "genfund": "General Fund", "gf": "General Fund",
    "title1": "Title I", "titlei": "Title I", "title1a": "Title I", "titleia": "Title I",
    "title2": "Title II-A", "titleii": "Title II-A", "title2a": "Title II-A",
    "titleiia": "Title II-A",
    "title3": "Title III", "titleiii": "Title III",
    "title4": "Title IV-A", "titleiv": "Title IV-A", "title4a": "Title IV-A",
    "titleiva": "Title IV-A",
    "erate": "E-Rate",
    "idea": "IDEA", "ideab": "IDEA",
}  # fmt: skip
# Programs written with a round or year after them: "ESSER III", "Bond 2022", "Levy 2019".
_FAMILIES = (
    (re.compile(r"^esser(i{1,3}|[123])?$"), "ESSER"),
    (re.compile(r"^bond(\d{2,4})?$"), "Bond"),
    (re.compile(r"^levy(\d{2,4})?$"), "Levy"),
)


def _squeeze(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.casefold())


def funding_name(text: str | None) -> str | None:
    """The usual name of a funding source as written in a tracker; unknown ones trimmed."""
    if text is None or not text.strip():
        return None
    key = _squeeze(text)
    if key in _PROGRAMS:
        return _PROGRAMS[key]
    for pattern, name in _FAMILIES:
        if pattern.match(key):
            return name
    return " ".join(text.split())
