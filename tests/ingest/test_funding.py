"""Funding sources as trackers write them, and the one name each program is stored under."""

from __future__ import annotations

import pytest

from ingest.funding import funding_name


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("General Fund", "General Fund"), ("general fund ", "General Fund"), ("GF", "General Fund"),
        ("Gen Fund", "General Fund"), ("Title 1", "Title I"), ("title I", "Title I"),
        ("Title IIA", "Title II-A"), ("Title 4A", "Title IV-A"), ("title iv-a ", "Title IV-A"),
        ("Erate", "E-Rate"), ("E-rate", "E-Rate"), ("ESSER III", "ESSER"), ("esser", "ESSER"),
        ("Bond 2022", "Bond"), ("bond ", "Bond"), ("Levy", "Levy"),
        ("  Local   Foundation Grant ", "Local Foundation Grant"), ("", None), (None, None),
    ],
)  # fmt: skip
def test_each_spelling_is_stored_under_the_programs_usual_name(
    written: str | None, stored: str | None
) -> None:
    assert funding_name(written) == stored
