"""Score the person matcher on labelled pairs of person records (the blind people-pairs set).

    PYTHONPATH=. python -m benchmarks.people_pairs [tests/data/blind/people-pairs/pairs.json] [--errors]

Prints precision and recall of ``ingest.people_match.same_person`` on the pairs, and with
``--errors`` every pair it gets wrong with the set's reason. No population is given: each pair
is judged on its two records alone, as the set's writer judged it.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ingest.people_match import PersonRecord, same_person

DEFAULT = Path(__file__).parent.parent / "tests/data/blind/people-pairs/pairs.json"


def to_record(raw: dict[str, Any]) -> PersonRecord:
    """A pair's record as the matcher sees it (the set's field names mapped to ours)."""

    def get(*keys: str) -> str | None:
        for key in keys:
            value = raw.get(key)
            if value not in (None, ""):
                return str(value)
        return None

    return PersonRecord(
        employee_id=get("employee_id", "employee_number"),
        email=get("email", "requester_email"),
        name=get("name", "requester_name", "requester"),
        first_name=get("first_name"),
        last_name=get("last_name"),
        username=get("username"),
        is_roster=raw.get("system") == "hr",
    )


def score(pairs: list[dict[str, Any]]) -> tuple[dict[str, float], list[dict[str, Any]]]:
    """Precision, recall and counts, and the pairs judged wrong."""
    tp = fp = fn = tn = 0
    wrong = []
    for pair in pairs:
        said = same_person(to_record(pair["a"]), to_record(pair["b"]))
        truth = bool(pair["same"])
        tp += said and truth
        fp += said and not truth
        fn += truth and not said
        tn += not said and not truth
        if said != truth:
            wrong.append(pair)
    figures = {
        "pairs": len(pairs), "same": tp + fn, "different": fp + tn, "tp": tp, "fp": fp,
        "fn": fn, "tn": tn,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
    }  # fmt: skip
    return figures, wrong


def main() -> None:
    """Print the score (and the errors with --errors)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--errors", action="store_true", help="print every pair judged wrong")
    options = parser.parse_args()
    pairs = json.loads(options.path.read_text(encoding="utf-8"))["pairs"]
    figures, wrong = score(pairs)
    print(json.dumps(figures, indent=1))
    if options.errors:
        for pair in wrong:
            print(json.dumps(pair, ensure_ascii=False))


if __name__ == "__main__":
    main()
