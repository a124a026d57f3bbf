"""Header eval: does ingest place the columns of files nobody here wrote on the right fields?

A blind header corpus (``tests/data/blind/headers-*/corpus.json``, written from a plain-language
brief by someone who never saw ``ingest/``) lists files as real districts and vendors write them:
each column's header, a few sample values and the field it means (or null). Each file is planned
exactly as ``ingest`` plans it (``ingest.sources.plan_file`` with the sample values as rows) and
compared with the corpus:

- **columns right**: the column went to its field, or was kept raw when it means none;
- **fielded right**: of the columns that mean a field, the share placed on it;
- **wrong at sure**: columns placed on a wrong field at the "sure" level (the target is none);
- **record type right**: files whose record type was inferred right.

    python -m evals.headers tests/data/blind/headers-a/corpus.json        # the summary
    python -m evals.headers tests/data/blind/headers-a/corpus.json -v     # every miss
"""

from __future__ import annotations

import argparse
import inspect
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.fields import FIELDS
from ingest.sources import plan_file

# Fields added after the corpus's brief was written: a column the brief's author had to leave
# null may rightly go to one of them, so such a column is not judged (counted in ``unjudged``).
NOT_IN_BRIEF: dict[str, frozenset[str]] = {"contract": frozenset({"category"})}


@dataclass
class Miss:
    """One column that went wrong: where, what it should be, what it became and why."""

    file: str
    header: str
    expected: str | None
    got: str | None
    level: str
    how: str


@dataclass
class HeaderScore:
    """The corpus's score; see the module docstring for each figure."""

    files: int = 0
    types_right: int = 0
    columns: int = 0
    columns_right: int = 0
    fielded: int = 0
    fielded_right: int = 0
    wrong_sure: int = 0
    unjudged: int = 0
    misses: list[Miss] = field(default_factory=list)
    by_type: Counter[str] = field(default_factory=Counter)
    right_by_type: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        """The figures in one paragraph."""
        lines = [
            f"record type right: {self.types_right}/{self.files} ({_pct(self.types_right, self.files)})",
            f"columns right: {self.columns_right}/{self.columns} ({_pct(self.columns_right, self.columns)})",
            f"fielded columns right: {self.fielded_right}/{self.fielded} ({_pct(self.fielded_right, self.fielded)})",
            f"wrong at sure: {self.wrong_sure}",
            f"not judged (a field the brief did not offer): {self.unjudged}",
        ]
        for record_type in sorted(self.by_type):
            right, total = self.right_by_type[record_type], self.by_type[record_type]
            lines.append(f"  {record_type}: {right}/{total} columns right ({_pct(right, total)})")
        return "\n".join(lines)


def _pct(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "n/a"


def plan_corpus_file(entry: dict[str, Any]) -> Any:
    """The plan ``ingest`` makes for one corpus file, from its headers and sample values."""
    columns = entry["columns"]
    headers = [str(c["header"]) for c in columns]
    depth = max((len(c.get("values") or []) for c in columns), default=0)
    rows = [
        [(c.get("values") or [])[i] if i < len(c.get("values") or []) else None for c in columns]
        for i in range(depth)
    ]
    if "rows" in inspect.signature(plan_file).parameters:
        return plan_file(headers, rows=rows, file_name=entry["name"])
    return plan_file(headers)  # a matcher that reads headers only (the score before #18)


def score_corpus(corpus: dict[str, Any]) -> HeaderScore:
    """Plan every file of a corpus and count what went right."""
    score = HeaderScore()
    for entry in corpus["files"]:
        plan = plan_corpus_file(entry)
        score.files += 1
        type_right = plan.record_type == entry["record_type"]
        score.types_right += type_right
        for column, mapped in zip(entry["columns"], plan.columns, strict=True):
            expected = column.get("field")
            # A known system's extra column (not a canonical field) is kept beside the record.
            fields = FIELDS.get(plan.record_type, {})
            canonical = mapped.field if mapped.field in fields else None
            got = (
                canonical if type_right or canonical is None else f"{plan.record_type}.{canonical}"
            )
            if expected is None and got in NOT_IN_BRIEF.get(entry["record_type"], ()):
                score.unjudged += 1
                continue
            right = got == expected
            score.columns += 1
            score.columns_right += right
            score.by_type[entry["record_type"]] += 1
            score.right_by_type[entry["record_type"]] += right
            if expected is not None:
                score.fielded += 1
                score.fielded_right += right
            level = getattr(mapped, "level", "") or ("sure" if mapped.confidence >= 1 else "")
            if not right and got is not None and level == "sure":  # exact vendor names are sure
                score.wrong_sure += 1
            if not right:
                score.misses.append(
                    Miss(entry["name"], column["header"], expected, got, level, mapped.how)
                )
    return score


def main(argv: list[str] | None = None) -> int:
    """Score a corpus; print the figures (and with -v every miss)."""
    parser = argparse.ArgumentParser(prog="python -m evals.headers", description=__doc__)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    score = score_corpus(json.loads(args.corpus.read_text(encoding="utf-8")))
    out = sys.stdout
    if args.verbose:
        for miss in score.misses:
            out.write(f"{miss.file} | {miss.header!r}: want {miss.expected}, got {miss.got}"
                      f" [{miss.level}] {miss.how}\n")  # fmt: skip
    out.write(score.summary() + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
