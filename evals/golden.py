"""The golden eval: every question of ``golden.yaml`` asked of the sample district, and scored.

The sample district is generated, written as vendor exports and loaded through the real ingest
path into a data dir (a temporary one unless ``--work-dir`` keeps it), its free text indexed,
and every phrasing asked warm through ``Assistant.ask`` as of the golden date. Expected facts
come from ``evals/truth.py`` over the generator's truth model. See ``evals/scoring.py`` for what
counts as right, refused and invented.

    python -m evals                          # the whole golden set (minutes: indexing dominates)
    python -m evals -k renewals --verbose    # cases whose id or category says "renewals"
    python -m evals --json > score.json      # for machines; --strict exits 1 below target
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.answer import Answer, Assistant, Conversation
from assistant.ingesting import load_options
from assistant.settings import Settings
from assistant.store import open_district_store
from evals import scoring
from evals.scoring import Fact
from evals.truth import FACTS
from ingest.db import Store
from ingest.load import ingest_paths
from ingest.sample import SampleDistrict, build_district, write_exports
from tools.apps import DONE_STATES, WAITING
from tools.registry import get_tool

CASES_FILE = Path(__file__).with_name("golden.yaml")
FOLLOW_UPS = "follow-ups"
UNANSWERABLE = "unanswerable"
# truth parameter -> the tool argument that must carry it (for telling why an answer missed)
ENTITY_ARGS = {
    "vendor": "vendor", "funding": "funding_source", "school": "school", "category": "category",
    "manufacturer": "manufacturer", "email": "owner", "serial": "serial", "tag": "asset_tag",
    "review": "review", "system": "system", "group_by": "group_by",
}  # fmt: skip
NUMBER_ARGS = {"days": "days", "older_than_days": "older_than_days", "years": "years"}


@dataclass
class Case:
    """One golden question: its phrasings, the tool that should answer, and how to get the truth."""

    id: str
    category: str
    tool: str | None
    truth: dict[str, Any]
    ask: list[str]
    follow_ups: list[Case] = field(default_factory=list)
    parent: Case | None = None

    def facts(self, district: SampleDistrict, as_of: dt.date) -> list[Fact]:
        """The expected facts, from the truth model."""
        params = {k: v for k, v in self.truth.items() if k != "fn"}
        return FACTS[self.truth["fn"]](district, as_of, **params)


@dataclass(frozen=True)
class Question:
    """One phrasing to ask; a follow-up is asked after its case's first phrasing."""

    case: Case
    text: str
    setup: str | None = None

    @property
    def category(self) -> str:
        """Follow-ups are scored as their own category."""
        return FOLLOW_UPS if self.setup else self.case.category


@dataclass
class Outcome:
    """How one question went."""

    question: Question
    expected_tool: str | None
    tool: str | None
    args: dict[str, Any]
    answer: str
    right: bool
    refused: bool
    missing: list[Fact]
    invented: list[str]
    seconds: float
    cause: str | None = None


def load_cases(path: Path = CASES_FILE) -> tuple[dt.date, list[Case]]:
    """The golden date and the cases of a YAML file."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))

    def build(
        item: dict[str, Any], category: str | None = None, parent: Case | None = None
    ) -> Case:
        case = Case(id=item["id"], category=item.get("category", category or FOLLOW_UPS),
                    tool=item["tool"], truth=item["truth"], ask=list(item["ask"]), parent=parent)  # fmt: skip
        case.follow_ups = [build(f, FOLLOW_UPS, case) for f in item.get("follow_ups", [])]
        return case

    return raw["as_of"], [build(item) for item in raw["cases"]]


def questions(cases: list[Case]) -> Iterator[Question]:
    """Every phrasing of every case, then each follow-up phrasing after its case's first."""
    for case in cases:
        yield from (Question(case, text) for text in case.ask)
        for follow in case.follow_ups:
            yield from (Question(follow, text, setup=case.ask[0]) for text in follow.ask)


def select(cases: list[Case], pattern: str | None) -> list[Case]:
    """Cases whose id or category contains ``pattern`` (all without one)."""
    if not pattern:
        return cases
    wanted = pattern.lower()
    return [c for c in cases if wanted in c.id.lower() or wanted in c.category.lower()]


# --- the district ------------------------------------------------------------------------------


def prepare(
    district: SampleDistrict, folder: Path, *, index: bool, echo: Callable[[str], None]
) -> tuple[Store, Settings]:
    """Write the district's exports under ``folder``, load them as `demo` does, and index them."""
    settings = Settings(data_dir=folder)
    store = open_district_store(settings)
    started = time.perf_counter()
    write_exports(district, folder / "sample-district")
    reports = ingest_paths([folder / "sample-district"], store, options=load_options(settings))
    changed = sum(r.inserted + r.updated for r in reports)
    echo(f"Loaded {len(reports)} files ({changed:,} rows changed) in "
         f"{time.perf_counter() - started:.0f} s.")  # fmt: skip
    if index:
        from assistant.indexing import index_now

        index_now(store, settings, echo=echo, progress=False)
    return store, settings


# --- asking and scoring ------------------------------------------------------------------------


def ask(assistant: Assistant, question: Question, as_of: dt.date) -> tuple[Answer, float]:
    """The answer, asked warm in a fresh conversation (after the setup question, if any)."""
    conversation = Conversation()
    if question.setup:
        assistant.ask(question.setup, as_of=as_of, conversation=conversation)
    started = time.perf_counter()
    answer = assistant.ask(question.text, as_of=as_of, conversation=conversation)
    return answer, time.perf_counter() - started


def score(
    question: Question,
    answer: Answer,
    facts: list[Fact],
    store: Store,
    seconds: float,
) -> Outcome:
    """Right tool (or refusal) and every fact in the text; figures checked against the result."""
    case = question.case
    tool = answer.tools[0].name if answer.tools else None
    args = answer.tools[0].args if answer.tools else {}
    refused = scoring.is_refusal(answer.answer)
    result: dict[str, Any] = {}
    if case.tool is None:
        invented = scoring.refusal_figures(answer.answer) if refused else []
        if not refused:
            invented = _invented(answer, store, tool, args)
        right = refused and not invented and not answer.tools
        missing: list[Fact] = []
    else:
        if tool is not None:
            result = get_tool(tool).run(store, args).model_dump(mode="json")
        missing = scoring.missing_facts(facts, answer.answer)
        invented = _invented(answer, store, tool, args, result) if tool else []
        right = (
            tool == case.tool and not refused and not missing and not argument_mismatch(case, args)
        )
    outcome = Outcome(question, case.tool, tool, args, answer.answer, right, refused, missing,
                      invented, seconds)  # fmt: skip
    outcome.cause = None if right else cause(outcome, result)
    return outcome


def _invented(
    answer: Answer,
    store: Store,
    tool: str | None,
    args: dict[str, Any],
    result: dict[str, Any] | None = None,
) -> list[str]:
    if tool is None:
        return []
    if result is None:
        result = get_tool(tool).run(store, args).model_dump(mode="json")
    numbers, dates = scoring.backing(
        result, answer.rows, args, answer.sources, answer.question, answer.as_of
    )
    window = None
    if args.get("start") and args.get("end"):
        window = (dt.date.fromisoformat(args["start"]), dt.date.fromisoformat(args["end"]))
    return scoring.invented_figures(answer.answer, numbers, dates, window)


def cause(outcome: Outcome, result: dict[str, Any]) -> str:
    """Why an answer is wrong, most basic reason first."""
    case = outcome.question.case
    if case.tool is None:
        return "not refused" if not outcome.refused else "refused, but showed figures"
    if outcome.refused:
        return "refused an answerable question"
    if outcome.tool != case.tool:
        return "wrong tool"
    if mismatch := argument_mismatch(case, outcome.args):
        return mismatch
    in_result = json.dumps(result, default=str)
    if all(scoring.fact_found(fact, in_result) for fact in outcome.missing):
        return "composer missing the figure"
    return "tool result differs from the truth"


def argument_mismatch(case: Case, args: dict[str, Any]) -> str | None:
    """Whether the tool call carried what the question named: its filters, numbers and window.

    A figure found somewhere in an unfiltered list ("472 open tickets", then a line per school)
    does not answer "how many open tickets at Lincoln?", so a missing filter makes the answer
    wrong even when the number appears. Only arguments the expected tool has are checked.
    """
    assert case.tool is not None
    fields = get_tool(case.tool).args_model.model_fields
    truth = case.truth
    for name, arg in ENTITY_ARGS.items():
        wanted = truth.get(name)
        if wanted is not None and arg in fields and not _names_match(str(wanted), args.get(arg)):
            return "wrong grouping" if name == "group_by" else "missing entity filter"
    if truth.get("statuses") and "status" in fields:
        if str(args.get("status") or "active").lower() in ("active", "all", "any"):
            return "missing entity filter"
    if truth.get("states") and "state" in fields:
        states = {str(s).lower() for s in truth["states"]}
        state = args.get("state")
        if state is not None and not _state_matches(str(state).lower(), states):
            return "missing entity filter"
    for name, arg in NUMBER_ARGS.items():
        if name in truth and arg in fields and args.get(arg, fields[arg].default) != truth[name]:
            return "wrong number read from the question"
    start, end = truth.get("start"), truth.get("end")
    if start and end and {"start", "end"} <= set(fields):
        if (args.get("start"), args.get("end")) != (str(start), str(end)):
            return "wrong window"
    return None


def _state_matches(state: str, states: set[str]) -> bool:
    """A named state must be one of the truth's; "waiting" stands for every not-done state."""
    if state == WAITING:
        return not states & set(DONE_STATES)
    return state in states


def _names_match(wanted: str, got: Any) -> bool:
    """'Lincoln' ~ 'Lincoln Elementary School'; 'helen.powell@...' ~ 'Helen Powell'."""
    if got is None:
        return False
    a, b = (re.sub(r"[^a-z0-9]", "", str(v).lower()) for v in (wanted, got))
    return bool(a and b) and (a in b or b in a)


def run(
    cases: list[Case],
    district: SampleDistrict,
    store: Store,
    settings: Settings,
    as_of: dt.date,
    *,
    progress: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Ask and score every question of the cases (the assistant warmed up first)."""
    assistant = Assistant(store, settings)
    assistant.ask("what renews next quarter?", as_of=as_of)  # builds the planner: warm answers
    facts: dict[str, list[Fact]] = {}
    outcomes = []
    for question in questions(cases):
        if question.case.id not in facts:
            facts[question.case.id] = question.case.facts(district, as_of)
        answer, seconds = ask(assistant, question, as_of)
        outcome = score(question, answer, facts[question.case.id], store, seconds)
        outcomes.append(outcome)
        if progress:
            progress(outcome)
    return outcomes


def evaluate(
    cases: list[Case],
    as_of: dt.date,
    folder: Path,
    *,
    district: SampleDistrict | None = None,
    index: bool = True,
    echo: Callable[[str], None] = lambda _: None,
    progress: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Build (or take) the district, load it under ``folder``, and run the cases."""
    district = district or build_district(anchor=as_of)
    if not index:
        cases = [c for c in cases if c.tool != "search_text"]
    store, settings = prepare(district, folder, index=index, echo=echo)
    try:
        return run(cases, district, store, settings, as_of, progress=progress)
    finally:
        store.dispose()
