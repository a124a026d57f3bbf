"""The column matcher on the blind header corpus (tests/data/blind/headers-a): its score holds.

The corpus was written from a plain-language brief by a helper that never saw ingest/. The floors
below are the score reached when issue 18 closed, a little under it; a change that makes the
matcher worse on files nobody here wrote fails here. See docs/ingest.md for the figures.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.headers import main, score_corpus

CORPUS = Path(__file__).parents[1] / "data" / "blind" / "headers-a" / "corpus.json"
HELD_OUT = CORPUS.parents[1] / "headers-b" / "corpus.json"  # scored once, untouched, at merge
COLUMNS_RIGHT_FLOOR = 0.90
FIELDED_RIGHT_FLOOR = 0.90
TYPES_RIGHT_FLOOR = 0.98
WRONG_AT_SURE_CEILING = 8


@pytest.fixture(scope="module")
def score():
    return score_corpus(json.loads(CORPUS.read_text(encoding="utf-8")))


def test_the_corpus_is_what_its_readme_says() -> None:
    corpus = json.loads(CORPUS.read_text(encoding="utf-8"))
    assert len(corpus["files"]) == 55
    assert sum(len(f["columns"]) for f in corpus["files"]) == 768


def test_columns_go_to_their_field(score) -> None:
    assert score.columns_right / score.columns >= COLUMNS_RIGHT_FLOOR
    assert score.fielded_right / score.fielded >= FIELDED_RIGHT_FLOOR
    assert score.types_right / score.files >= TYPES_RIGHT_FLOOR


def test_few_columns_are_wrong_at_the_sure_level(score) -> None:
    assert score.wrong_sure <= WRONG_AT_SURE_CEILING


def test_the_script_prints_the_figures(capsys) -> None:
    assert main([str(CORPUS)]) == 0
    out = capsys.readouterr().out
    assert "columns right:" in out and "wrong at sure:" in out


def test_the_held_out_corpus_keeps_its_untouched_score() -> None:
    """Set B was scored once after #18 merged (88.5% of columns, 3 wrong at sure); not below."""
    held_out = score_corpus(json.loads(HELD_OUT.read_text(encoding="utf-8")))
    assert held_out.columns_right / held_out.columns >= 0.88
    assert held_out.types_right / held_out.files >= 0.96
    assert held_out.wrong_sure <= 3
