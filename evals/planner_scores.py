"""Every golden phrasing's per-tool planner scores, dumped or compared: the proof a refactor is pure.

A change meant to move routing knowledge without changing behaviour must leave every score, the
chosen tool and its arguments exactly as they were. Dump them before the change, then compare
after::

    python -m evals --no-index --work-dir /tmp/golden          # loads the sample district once
    python -m evals.planner_scores --work-dir /tmp/golden dump before.jsonl
    # ... refactor ...
    python -m evals.planner_scores --work-dir /tmp/golden compare before.jsonl

Scores are compared to three decimals (the planner rounds them so). Follow-ups are planned after
their case's first phrasing, with its slots and tool, as a conversation would.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from evals.golden import CASES_FILE, load_cases, questions


def plans(cases_file: Path, work_dir: Path) -> Iterator[dict[str, Any]]:
    """One record per phrasing: the question, its setup, the tool, arguments and every score."""
    from assistant.answer import Assistant
    from assistant.settings import Settings
    from assistant.store import open_district_store

    as_of, cases = load_cases(cases_file)
    settings = Settings(data_dir=work_dir)
    store = open_district_store(settings)
    planner = Assistant(store, settings).planner
    try:
        for question in questions(cases):
            previous = previous_tool = None
            if question.setup:
                first = planner.plan(question.setup, as_of)
                previous, previous_tool = first.slots, first.tool
            plan = planner.plan(question.text, as_of, previous, previous_tool)
            yield {
                "question": question.text,
                "setup": question.setup,
                "tool": plan.tool,
                "args": {k: _plain(v) for k, v in plan.args.items()},
                "scores": {k: round(v, 3) for k, v in sorted(plan.scores.items())},
            }
    finally:
        store.dispose()


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def compare(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[str]:
    """Every difference between two dumps, one line each (none: the change was pure)."""
    differences = []
    if len(before) != len(after):
        differences.append(f"{len(before)} phrasings before, {len(after)} after")
    for old, new in zip(before, after, strict=False):
        where = f"{old['question']!r}" + (f" (after {old['setup']!r})" if old["setup"] else "")
        for key in ("question", "tool", "args"):
            if old[key] != new[key]:
                differences.append(f"{where}: {key} {old[key]!r} -> {new[key]!r}")
        for tool in sorted(set(old["scores"]) | set(new["scores"])):
            a, b = old["scores"].get(tool), new["scores"].get(tool)
            if a is None or b is None or abs(a - b) > 0.0005:
                differences.append(f"{where}: {tool} {a} -> {b}")
    return differences


def main(argv: list[str] | None = None) -> int:
    """Dump the scores to a file, or compare the planner now with a dump (exit 1 on a change)."""
    parser = argparse.ArgumentParser(prog="python -m evals.planner_scores")
    parser.add_argument("--work-dir", type=Path, required=True, help="a loaded golden data dir")
    parser.add_argument("--cases", type=Path, default=CASES_FILE)
    parser.add_argument("action", choices=["dump", "compare"])
    parser.add_argument("file", type=Path)
    options = parser.parse_args(argv)
    now = list(plans(options.cases, options.work_dir))
    if options.action == "dump":
        options.file.write_text("".join(json.dumps(r, sort_keys=True) + "\n" for r in now))
        print(f"{len(now)} phrasings written to {options.file}", file=sys.stderr)
        return 0
    before = [json.loads(line) for line in options.file.read_text().splitlines() if line]
    differences = compare(before, now)
    for line in differences:
        print(line)
    print(f"{len(now)} phrasings, {len(differences)} differences", file=sys.stderr)
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
