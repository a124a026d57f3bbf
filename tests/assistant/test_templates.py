"""Every answer template on an empty, a one-row and a many-row result: no "None", no "1 devices".

The results are built from each tool's own Result model: every list holds 0, 1 or 12 items,
every count says as much, and every optional field is left empty (None), which is exactly what
real data leaves out ("no cost on file", "no date"). A template that prints a missing value as
"None", or a noun that does not agree with its number, fails here.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import types
import typing
from collections import defaultdict
from decimal import Decimal
from typing import Any, Literal, get_args, get_origin

import pytest
from pydantic import BaseModel

import prompts
from assistant.compose import compose
from tools.registry import TOOLS

SIZES = {"empty": 0, "one": 1, "many": 12}
# "1 tickets", "1 devices", but not "1 of 3", "$1 ...", "1.5 days", "11 days"
_DISAGREES = re.compile(r"(?<![\d.,$])\b1 (?!\w*ss\b)([a-z]+s)\b")


def _value(annotation: Any, n: int, name: str) -> Any:
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        if type(None) in args:
            return None  # what real data leaves out
        return _value(args[0], n, name)
    if origin is Literal:
        return args[0]
    if name == "sources":
        return [f"export.csv:{row + 2}" for row in range(n)]
    if origin in (list, tuple, set):
        return [_value(args[0], n, name) for _ in range(n)]
    if origin is dict:
        return defaultdict(lambda: n)  # any key a template reads
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return synthetic(annotation, n)
    if annotation is bool:
        return True
    if annotation is int:
        return n
    if annotation is float:
        return 2.5 * n
    if annotation is Decimal:
        return Decimal("125.50") * n
    if annotation is dt.date:
        return dt.date(2026, 11, 23)
    if annotation is dt.datetime:
        return dt.datetime(2026, 11, 23, 9, 30)
    if annotation is str:
        return f"{name.replace('_', ' ').title()} A"
    return None


def synthetic(model: type[BaseModel], n: int) -> BaseModel:
    """An instance of a result model with n rows, optional fields empty."""
    values = {}
    for name, field in model.model_fields.items():
        value = _value(field.annotation, n, name)
        if value is None and field.is_required() and type(None) not in get_args(field.annotation):
            continue
        values[name] = value
    values.setdefault("notes", [])
    return model.model_construct(**values)


def _result_model(spec: Any) -> type[BaseModel]:
    """The tool function's return model (named in its module; annotations are strings)."""
    module = sys.modules[spec.func.__module__]
    return getattr(module, spec.func.__annotations__["return"])


TEMPLATED = [t for t in TOOLS if prompts.exists(f"answers/{t.name}.md")]


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("spec", TEMPLATED, ids=lambda s: s.name)
def test_every_template_on_empty_one_and_many_rows(spec: Any, size: str) -> None:
    result = synthetic(_result_model(spec), SIZES[size])
    text = compose(spec.name, result, window="FY2027 Q3 (Jan 1, 2027 – Mar 31, 2027)")
    first = text.splitlines()[0]
    assert first.startswith("*") and first.endswith("*"), text  # the direct answer, first
    assert "None" not in text, text
    assert not _DISAGREES.search(text), text
    assert len([line for line in text.splitlines() if line.startswith("•")]) <= 10, text


def test_slack_shows_ten_bullets_and_two_notes() -> None:
    from assistant.answer import Answer
    from assistant.slack import answer_blocks

    text = "\n".join(
        ["*12 things.*", *(f"• thing {i}" for i in range(12)), *(f"_note {i}_" for i in range(4))]
    )
    blocks = answer_blocks(Answer(question="q", as_of=dt.date(2026, 11, 23), answer=text))
    body = "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    assert body.count("•") == 10 and "• thing 9" in body and "• thing 10" not in body
    assert "_note 1_" in body and "_note 2_" not in body
    assert "…and more: the CSV has them all." in body
    assert body.endswith("_…and 2 more notes in the full answer._")
