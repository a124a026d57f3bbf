"""The blind paraphrase scorer: what counts as a right argument, and the set's shape."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from evals.blind import BlindCase, BlindOutcome, load_set, mismatches, summary

SET_A = Path(__file__).parents[1] / "data" / "blind" / "paraphrase-a"
PEOPLE = (("Rosa Torres", "rosa.torres@maplevalleyusd.org"),)


def test_dates_are_exact_and_names_as_the_district_writes_them() -> None:
    want = {"start": dt.date(2027, 1, 1), "school": "Lincoln Elementary School"}
    got = {"start": dt.date(2027, 1, 1), "school": "lincoln elementary school"}
    assert mismatches("devices_list", want, got, PEOPLE) == []
    assert mismatches("devices_list", want, dict(got, start=dt.date(2027, 1, 2)), PEOPLE) == [
        "start: want '2027-01-01', got '2027-01-02'"
    ]
    assert mismatches("devices_list", want, dict(got, school="Lincoln"), PEOPLE)


def test_people_by_name_or_email_free_text_by_words_defaults_count() -> None:
    assert mismatches("devices_list", {"owner": "Rosa Torres"},
                      {"owner": "rosa.torres@maplevalleyusd.org"}, PEOPLE) == []  # fmt: skip
    assert mismatches("search_text", {"query": "the fan noise"},
                      {"query": "tickets about fan noise?"}, PEOPLE) == []  # fmt: skip
    assert mismatches("search_text", {"query": "fan noise"}, {"query": "fans"}, PEOPLE)
    assert mismatches("devices_list", {"status": "active"}, {}, PEOPLE) == []
    assert mismatches("devices_list", {"status": "retired"}, {}, PEOPLE)


def test_an_unanswerable_is_right_only_when_refused() -> None:
    refusal = BlindCase("what's the superintendent paid", None, {}, "g")
    assert BlindOutcome(refusal, None, {}).right
    assert not BlindOutcome(refusal, "devices_list", {}).right
    figures = summary([BlindOutcome(refusal, None, {})])
    assert (figures["refused"], figures["unanswerable"]) == (1, 1)


def test_set_a_has_ten_phrasings_per_tool_and_fifty_unanswerables() -> None:
    cases = load_set(SET_A)
    per_tool = Counter(case.tool for case in cases)
    assert per_tool.pop(None) >= 50
    assert min(per_tool.values()) >= 10 and sum(per_tool.values()) >= 200
