"""Routing knowledge lives on each tool's ToolSpec: the planner names no tool, weights are one table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import assistant.planner
from evals.planner_scores import compare
from tools.cues import WEIGHTS, Cue, weight
from tools.registry import TOOLS

MEASURES = {"count", "cost", "rate", "age", "list"}


def test_the_planner_names_no_tool() -> None:
    source = Path(assistant.planner.__file__).read_text(encoding="utf-8")
    named = [spec.name for spec in TOOLS if re.search(rf"\b{spec.name}\b", source)]
    assert named == []


def test_every_tool_declares_what_it_measures_and_its_slots() -> None:
    for spec in TOOLS:
        assert spec.measures and set(spec.measures) <= MEASURES, spec.name
        for argument, _slot in spec.reads:
            assert argument in spec.args_model.model_fields, (spec.name, argument)
        for cue in spec.cues:
            assert cue.weight in WEIGHTS, (spec.name, cue.weight)


def test_a_cue_names_a_weight_of_the_table() -> None:
    with pytest.raises(KeyError, match="Unsupported weight"):
        Cue("no_such_weight", re.compile("x"))
    with pytest.raises(ValueError, match="pattern or slots"):
        Cue("keyword")
    assert weight("threshold") == WEIGHTS["threshold"].value


def test_the_weights_in_the_docs_are_the_table() -> None:
    page = (Path(__file__).parents[2] / "docs" / "planner.md").read_text(encoding="utf-8")
    for name, item in WEIGHTS.items():
        assert f"| `{name}` | {item.value:+g} |" in page, name


def test_score_dumps_compare_to_three_decimals() -> None:
    row = {"question": "q", "setup": None, "tool": "t", "args": {}, "scores": {"t": 0.5}}
    assert compare([row], [dict(row, scores={"t": 0.5004})]) == []
    assert compare([row], [dict(row, scores={"t": 0.501})]) == ["'q': t 0.5 -> 0.501"]
    assert compare([row], [dict(row, tool="u")]) == ["'q': tool 't' -> 'u'"]
