"""``python -m evals`` and ``district-assistant eval``: run the golden set and print the score."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from evals.golden import CASES_FILE, evaluate, load_cases, select
from evals.report import meets_targets, print_report, report_json, summary


def main(argv: list[str] | None = None) -> int:
    """Run the golden eval; with ``--strict``, exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(prog="python -m evals", description=__doc__.split("\n")[0])
    parser.add_argument("-k", dest="pattern", help="only cases whose id or category has this")
    parser.add_argument("--cases", type=Path, default=CASES_FILE, help="golden YAML file")
    parser.add_argument("--work-dir", type=Path, help="keep the data dir here (re-runs reuse it)")
    parser.add_argument(
        "--no-index", action="store_true", help="skip search questions and indexing"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--strict", action="store_true", help="exit 1 below a target")
    parser.add_argument("-v", "--verbose", action="store_true", help="show right answers too")
    args = parser.parse_args(argv)
    as_of, cases = load_cases(args.cases)
    cases = select(cases, args.pattern)

    def echo(text: str) -> None:
        print(text, file=sys.stderr)

    with tempfile.TemporaryDirectory(prefix="golden-") as scratch:
        folder = args.work_dir or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        outcomes = evaluate(cases, as_of, folder, index=not args.no_index, echo=echo)
    if args.json:
        print(json.dumps(report_json(outcomes), indent=2, default=str))
    else:
        print_report(outcomes, verbose=args.verbose)
    return 1 if args.strict and not meets_targets(summary(outcomes)) else 0
