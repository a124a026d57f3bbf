"""The golden eval's score: accuracy by category, refusals, invented figures, latency, failures.

``summary`` is the one place the headline figures are computed; ``print_report`` shows them to
a person and ``report_json`` to a machine. The targets are issue #5's: at least 95% of questions
right, every unanswerable question refused, no invented figure.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from typing import Any

from evals.golden import UNANSWERABLE, Outcome

TARGET_ACCURACY = 0.95
TARGET_REFUSALS = 1.0
TARGET_INVENTED = 0


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]


def summary(outcomes: list[Outcome]) -> dict[str, Any]:
    """Accuracy overall and per category, tool choice, refusals, invented figures, latency."""
    by_category: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_category[outcome.question.category].append(outcome)
    unanswerable = by_category.get(UNANSWERABLE, [])
    latencies = [o.seconds * 1000 for o in outcomes]
    right = sum(o.right for o in outcomes)
    return {
        "questions": len(outcomes),
        "right": right,
        "accuracy": round(right / len(outcomes), 4) if outcomes else 0.0,
        "tool_accuracy": round(sum(o.tool == o.expected_tool for o in outcomes) / len(outcomes), 4)
        if outcomes
        else 0.0,  # fmt: skip
        "unanswerable": len(unanswerable),
        "refusal_rate": round(sum(o.right for o in unanswerable) / len(unanswerable), 4)
        if unanswerable
        else 1.0,
        "answers_with_invented_figures": sum(1 for o in outcomes if o.invented),
        "invented_figures": sum(len(o.invented) for o in outcomes),
        "latency_ms": {
            "p50": round(percentile(latencies, 0.5), 1),
            "p95": round(percentile(latencies, 0.95), 1),
            "max": round(max(latencies, default=0.0), 1),
        },
        "categories": {
            name: {
                "questions": len(items),
                "right": sum(o.right for o in items),
                "accuracy": round(sum(o.right for o in items) / len(items), 4),
                "tool_right": sum(o.tool == o.expected_tool for o in items),
                "p50_ms": round(statistics.median(o.seconds * 1000 for o in items), 1),
            }
            for name, items in sorted(by_category.items())
        },
        "failures_by_cause": dict(
            sorted(_count(o.cause for o in outcomes if o.cause).items(), key=lambda kv: -kv[1])
        ),
    }


def _count(items: Any) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for item in items:
        counts[item] += 1
    return counts


def meets_targets(figures: dict[str, Any]) -> bool:
    """Whether the score reaches every target."""
    return (
        figures["accuracy"] >= TARGET_ACCURACY
        and figures["refusal_rate"] >= TARGET_REFUSALS
        and figures["invented_figures"] <= TARGET_INVENTED
    )


def outcome_json(outcome: Outcome) -> dict[str, Any]:
    """One question's result, for --json."""
    q = outcome.question
    return {
        "id": q.case.id, "category": q.category, "question": q.text, "after": q.setup,
        "right": outcome.right, "cause": outcome.cause, "expected_tool": outcome.expected_tool,
        "tool": outcome.tool, "args": outcome.args,
        "missing": [fact.shown() for fact in outcome.missing], "invented": outcome.invented,
        "refused": outcome.refused, "ms": round(outcome.seconds * 1000, 1),
        "answer_first_line": _first_line(outcome.answer),
    }  # fmt: skip


def report_json(outcomes: list[Outcome]) -> dict[str, Any]:
    """The whole run: the summary, then every question."""
    return {"summary": summary(outcomes), "questions": [outcome_json(o) for o in outcomes]}


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def print_report(outcomes: list[Outcome], *, verbose: bool = False) -> None:
    """Per category, then the failures grouped by cause, then the headline against targets."""
    figures = summary(outcomes)
    print(
        f"{'category':22} {'questions':>9} {'right':>6} {'accuracy':>9} {'tool ok':>8} {'p50 ms':>8}"
    )
    for name, row in figures["categories"].items():
        print(f"{name:22} {row['questions']:9d} {row['right']:6d} {row['accuracy']:9.1%} "
              f"{row['tool_right']:8d} {row['p50_ms']:8.1f}")  # fmt: skip
    failures: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        if outcome.cause:
            failures[outcome.cause].append(outcome)
    for cause_name, items in sorted(failures.items(), key=lambda kv: -len(kv[1])):
        print(f"\n## {cause_name} ({len(items)})")
        for o in items:
            _print_failure(o)
    if verbose:
        print("\n## right")
        for o in outcomes:
            if o.right:
                print(f"  ok  [{o.question.case.id}] {o.question.text!r}: {_first_line(o.answer)}")
    invented = [o for o in outcomes if o.invented and not o.cause]
    if invented:
        print(f"\n## right, but with invented figures ({len(invented)})")
        for o in invented:
            _print_failure(o)
    latency = figures["latency_ms"]
    print(
        f"\n{figures['questions']} questions: {figures['right']} right "
        f"({figures['accuracy']:.1%}, target {TARGET_ACCURACY:.0%}); tool chosen right "
        f"{figures['tool_accuracy']:.1%}; unanswerable refused {figures['refusal_rate']:.1%} "
        f"of {figures['unanswerable']} (target 100%); invented figures "
        f"{figures['invented_figures']} in {figures['answers_with_invented_figures']} answers "
        f"(target 0); latency p50 {latency['p50']:.0f} ms, p95 {latency['p95']:.0f} ms."
    )


def _print_failure(o: Outcome) -> None:
    q = o.question
    after = f" (after {q.setup!r})" if q.setup else ""
    print(f"- [{q.case.id}] {q.text!r}{after}")
    print(f"    tool: {o.tool or 'none (refused)'}, expected {o.expected_tool or 'a refusal'}; "
          f"args {o.args}")  # fmt: skip
    if o.missing:
        print(f"    missing: {'; '.join(fact.shown() for fact in o.missing)}")
    if o.invented:
        print(f"    invented figures: {', '.join(o.invented[:8])}")
    print(f"    got: {_first_line(o.answer)[:160]}")
