"""Score the planner on a blind paraphrase set: right tool and every argument the question fixes.

A blind set (tests/data/blind/<set>/group-*.yaml, see its README) is written by helpers who never
saw the code. Each entry is a question, the tool that answers it (``null``: the data cannot) and
the arguments the question fixes. Every question is planned against the sample district as of
the set's date, as a first question of a conversation, and scored:

- an answerable question is right when the planner picks its tool and every listed argument
  matches: dates exactly, names as the district writes them (any case; a person by name or
  e-mail), numbers and flags exactly, free text (``query``, ``text``) when every word of the
  expected text is in the planner's. An argument the planner leaves out counts as the tool's
  default (an unset ``status`` is the inventory's active devices);
- an unanswerable question is right only when the planner declines.

A tool the set names that is not in the catalog yet is a miss; the report also gives the figure
over the tools that exist.

    python -m evals --no-index --work-dir /tmp/golden      # loads the sample district once
    python -m evals.blind tests/data/blind/paraphrase-a --work-dir /tmp/golden -v
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

AS_OF = dt.date(2026, 11, 23)
"""The date the paraphrase briefs give as today (COMMON.md)."""
FREE_TEXT = frozenset({"query", "text"})
PEOPLE = frozenset({"owner", "person"})
# Arguments whose unset value means a word the set may write ("status" unset means active devices).
UNSET_MEANS = {("status", "active")}
_STOP = frozenset("a an the of to in on for about with and or any all".split())


@dataclass(frozen=True)
class BlindCase:
    """One question of a blind set, with the tool and arguments its writer expects."""

    question: str
    tool: str | None
    args: dict[str, Any]
    group: str


@dataclass
class BlindOutcome:
    """How the planner did on one question."""

    case: BlindCase
    tool: str | None
    args: dict[str, Any]
    mismatches: list[str] = field(default_factory=list)
    reason: str | None = None  # why the planner declined, when it gave one

    @property
    def right(self) -> bool:
        """Refused when it should be; else the right tool with every expected argument."""
        if self.case.tool is None:
            return self.tool is None
        return self.tool == self.case.tool and not self.mismatches


def load_set(folder: Path) -> list[BlindCase]:
    """Every entry of every ``group-*.yaml`` in the folder, in file order."""
    cases = []
    for path in sorted(folder.glob("group-*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
            cases.append(BlindCase(str(entry["q"]), entry.get("tool"), dict(entry.get("args") or {}),
                                   path.stem))  # fmt: skip
    return cases


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP}


def _same_person(expected: str, actual: str, people: Iterable[tuple[str, str]]) -> bool:
    wanted, got = expected.strip().lower(), actual.strip().lower()
    if wanted == got:
        return True
    return any({wanted, got} <= {name.lower(), email.lower()} for name, email in people)


def _default(tool: str, name: str) -> Any:
    """The tool's default for an argument the planner left out (None: no such tool or default)."""
    from tools.registry import get_tool

    try:
        fields = get_tool(tool).args_model.model_fields
    except KeyError:
        return None
    if name not in fields or fields[name].is_required():
        return None
    return fields[name].get_default(call_default_factory=True)


def mismatches(
    tool: str, expected: dict[str, Any], actual: dict[str, Any], people: Iterable[tuple[str, str]]
) -> list[str]:
    """Each expected argument the planner's arguments do not carry, as 'name: want X, got Y'."""
    wrong = []
    for name, want in expected.items():
        got = actual[name] if name in actual else _default(tool, name)
        if isinstance(got, dt.date):
            got = got.isoformat()
        if isinstance(want, dt.date):
            want = want.isoformat()
        if got is None and (name, want) in UNSET_MEANS:
            ok = True
        elif name in FREE_TEXT and isinstance(want, str):
            ok = isinstance(got, str) and _words(want) <= _words(got)
        elif name in PEOPLE and isinstance(want, str):
            ok = isinstance(got, str) and _same_person(want, got, people)
        elif isinstance(want, str):
            ok = isinstance(got, str) and want.strip().lower() == got.strip().lower()
        else:
            ok = want == got
        if not ok:
            wrong.append(f"{name}: want {want!r}, got {got!r}")
    return wrong


def score(cases: list[BlindCase], work_dir: Path, as_of: dt.date = AS_OF) -> list[BlindOutcome]:
    """Plan every question against the sample district loaded in ``work_dir``, and score it."""
    from assistant.answer import Assistant
    from assistant.settings import Settings
    from assistant.store import open_district_store

    settings = Settings(data_dir=work_dir)
    store = open_district_store(settings)
    try:
        planner = Assistant(store, settings).planner
        outcomes = []
        for case in cases:
            plan = planner.plan(case.question, as_of)
            outcome = BlindOutcome(case, plan.tool, dict(plan.args), reason=plan.reason)
            if case.tool is not None and plan.tool == case.tool:
                outcome.mismatches = mismatches(
                    case.tool, case.args, plan.args, planner.known.people
                )
            outcomes.append(outcome)
        return outcomes
    finally:
        store.dispose()


def summary(outcomes: list[BlindOutcome]) -> dict[str, Any]:
    """The figures: overall, over the tools that exist, per tool, and refusals."""
    from tools.registry import TOOLS

    existing = {spec.name for spec in TOOLS}
    answerable = [o for o in outcomes if o.case.tool is not None]
    present = [o for o in answerable if o.case.tool in existing]
    refusals = [o for o in outcomes if o.case.tool is None]
    per_tool: dict[str, list[int]] = {}
    for o in answerable:
        counts = per_tool.setdefault(str(o.case.tool), [0, 0, 0])
        counts[0] += o.right
        counts[1] += o.tool == o.case.tool
        counts[2] += 1
    return {
        "answerable": len(answerable),
        "right": sum(o.right for o in answerable),
        "right_tool": sum(o.tool == o.case.tool for o in answerable),
        "existing_tools_answerable": len(present),
        "existing_tools_right": sum(o.right for o in present),
        "existing_tools_right_tool": sum(o.tool == o.case.tool for o in present),
        # Misses declined because a name or device the writer made up is not in the data: the
        # honest answer on this district, though the set expected the tool.
        "declined_not_in_data": sum(
            1 for o in answerable if o.tool is None and (o.reason or "").startswith("I don't see")
        ),
        "unanswerable": len(refusals),
        "refused": sum(o.right for o in refusals),
        "per_tool": {
            tool: {"right": r, "right_tool": t, "of": n, "exists": tool in existing}
            for tool, (r, t, n) in sorted(per_tool.items())
        },
    }


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.1f}%)" if whole else "0/0"


def print_report(outcomes: list[BlindOutcome], *, verbose: bool = False) -> None:
    """Per tool, then the totals; with ``verbose`` every miss and why."""
    figures = summary(outcomes)
    print(f"{'tool':34} {'right':>6} {'tool ok':>8} {'of':>4}")
    for tool, row in figures["per_tool"].items():
        mark = "" if row["exists"] else "  (not built yet)"
        print(f"{tool:34} {row['right']:>6} {row['right_tool']:>8} {row['of']:>4}{mark}")
    print()
    print("all answerable:      right " + _share(figures["right"], figures["answerable"])
          + ", right tool " + _share(figures["right_tool"], figures["answerable"]))  # fmt: skip
    print("tools that exist:    right "
          + _share(figures["existing_tools_right"], figures["existing_tools_answerable"])
          + ", right tool "
          + _share(figures["existing_tools_right_tool"], figures["existing_tools_answerable"]))  # fmt: skip
    print("unanswerable refused: " + _share(figures["refused"], figures["unanswerable"]))
    print(f"answerable declined as not in the data: {figures['declined_not_in_data']}")
    if verbose:
        print()
        for o in outcomes:
            if o.right:
                continue
            args = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in o.args.items()}
            why = "; ".join(o.mismatches) or f"tool {o.tool} (want {o.case.tool})"
            why += f" [{o.reason}]" if o.reason else ""
            print(f"- [{o.case.group}] {o.case.question!r}\n    {why}\n    args {args}")


def main(argv: list[str] | None = None) -> int:
    """Score a blind set and print the report (``--json`` for the figures)."""
    parser = argparse.ArgumentParser(
        prog="python -m evals.blind", description=__doc__.split("\n")[0]
    )
    parser.add_argument("folder", type=Path, help="a blind set folder with group-*.yaml")
    parser.add_argument("--work-dir", type=Path, required=True,
                        help="a data dir the golden eval loaded (python -m evals --work-dir)")  # fmt: skip
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=AS_OF)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    options = parser.parse_args(argv)
    outcomes = score(load_set(options.folder), options.work_dir, options.as_of)
    if options.json:
        print(json.dumps(summary(outcomes), indent=2))
    else:
        print_report(outcomes, verbose=options.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
