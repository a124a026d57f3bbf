"""The single entry point from a question to an answer, used by the CLI, REST, Slack and evals.

``answer()`` plans one tool call, runs it read-only, and composes the text from the result; with
an LLM provider configured, ``assistant.agent`` answers instead (guarded, falling back to this).
The same ``Answer`` object is what ``ask --json`` prints and ``POST /ask`` returns.
"""

from __future__ import annotations

import datetime as dt
import gc
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from assistant import compose, indexing
from assistant.limits import check_day, check_question
from assistant.planner import Planner, Slots
from assistant.settings import Settings
from ingest.db import Store
from tools.catalog import known_names
from tools.ingest_runs import last_run_note
from tools.registry import TOOLS, get_tool
from tools.repair_history import device_known

EXAMPLES_SHOWN = 6


def _unset(value: Any) -> bool:
    return value is None


class ToolCall(BaseModel):
    """A tool that ran for an answer, with its arguments (or a call refused, and why)."""

    name: str
    args: dict[str, Any]
    error: str | None = Field(default=None, exclude_if=_unset)


class AgentReport(BaseModel):
    """What the LLM agent did for an answer (only with a provider configured)."""

    provider: str
    model: str | None = None
    outcome: Literal["answered", "guarded", "fallback"] = Field(
        default="answered",
        description="answered: the model's text was sent; guarded: the guard refused it and the "
        "composer's answer was sent; fallback: the provider failed, the planner answered.",
    )
    reasons: list[str] = Field(default_factory=list, description="Why it was guarded or fell back.")
    refused: list[ToolCall] = Field(
        default_factory=list,
        description="Tool calls refused: outside the catalog or bad arguments.",
    )


class Answer(BaseModel):
    """The answer to one question, exactly as every interface shows it."""

    question: str
    as_of: dt.date
    answer: str = Field(description="Slack mrkdwn text, the direct answer first.")
    rows: list[dict[str, Any]] = Field(default_factory=list)
    tools: list[ToolCall] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list, description="file:row of each record used.")
    agent: AgentReport | None = Field(default=None, exclude_if=_unset)


@dataclass
class Conversation:
    """What a thread remembers between questions: the previous slots, for follow-ups."""

    slots: Slots | None = None
    tool: str | None = None
    history: list[str] = field(default_factory=list)
    turns: list[tuple[str, str]] = field(default_factory=list)  # (question, answer text)


@dataclass
class Assistant:
    """A store, its settings and a planner that knows the store's names; build once, ask often."""

    store: Store
    settings: Settings
    _planner: Planner | None = None
    chat_model: Any = None  # a LangChain chat model; built from the settings on first LLM use

    @property
    def planner(self) -> Planner:
        """The planner, built on first use from the names in the database."""
        if self._planner is None:
            with self.store.read_session() as session:
                known = known_names(session)
            self._planner = Planner(
                known,
                self.settings.fiscal_calendar,
                self.settings.data_dir / "cache",
                device_known=self._device_known,
            )
        return self._planner

    def warm_up(self) -> None:
        """Build the planner and load its model now, then freeze what start-up allocated.

        For a long-running ``serve``: the first question then costs what the others do, and
        ``gc.freeze()`` takes the ~160k objects of the imported libraries out of the cyclic
        collector, whose full passes over them otherwise add 35-80 ms to a random answer.
        """
        self.planner.router.warm()
        gc.freeze()

    def _device_known(self, serial: str | None, asset_tag: str | None) -> bool:
        with self.store.read_session() as session:
            return device_known(session, serial, asset_tag)

    def ask(
        self,
        question: str,
        *,
        as_of: dt.date | None = None,
        conversation: Conversation | None = None,
    ) -> Answer:
        """Answer one question as of a date (default: today in the district's time zone).

        Raises:
            QuestionRefused: the question is too long or not text, or ``as_of`` is out of range.
        """
        check_question(question, self.settings.max_question_chars)  # before any pattern reads it
        check_day(as_of)
        as_of = as_of or self.settings.today()
        if self.chat_model is not None or self.settings.llm_provider:
            from assistant.agent import ask_with_agent  # LangChain loads only when an LLM is set

            answer = ask_with_agent(self, question, as_of=as_of, conversation=conversation)
        else:
            answer = self.ask_offline(question, as_of=as_of, conversation=conversation)
        if answer.tools:  # figures from a load that stopped part way are partial: say so
            with self.store.read_session() as session:
                if note := last_run_note(session):
                    answer.answer = f"{answer.answer}\n_{note}_"
        return answer

    def ask_offline(
        self, question: str, *, as_of: dt.date, conversation: Conversation | None = None
    ) -> Answer:
        """The offline planner's answer: one tool call, composed from a template."""
        previous = conversation.slots if conversation else None
        previous_tool = conversation.tool if conversation else None
        plan = self.planner.plan(question, as_of, previous, previous_tool)
        if plan.tool is None:
            return Answer(question=question, as_of=as_of, answer=_refusal(plan.reason))
        try:
            result = get_tool(plan.tool).run(self.store, plan.args)
        except ValidationError as exc:
            # The planner read the question into arguments the tool refuses: say so, never crash.
            field = ".".join(str(part) for part in exc.errors()[0]["loc"]) or "a detail"
            reason = f"I could not tell the {field.replace('_', ' ')} from the question."
            return Answer(question=question, as_of=as_of, answer=_refusal(reason))
        note = indexing.building_note(self.settings) if plan.tool == "search_text" else None
        if note:
            result.notes.insert(0, note)
        if conversation is not None:
            conversation.slots = plan.slots
            conversation.tool = plan.tool
            conversation.history.append(question)
        text = compose.compose(
            plan.tool, result, window=plan.window_label, filters=_filters(plan.args)
        )
        if conversation is not None:
            conversation.turns.append((question, text))
        return Answer(
            question=question,
            as_of=as_of,
            answer=text,
            rows=compose.render_rows(result),
            tools=[ToolCall(name=plan.tool, args=_jsonable(plan.args))],
            sources=result.sources,
        )


def answer(question: str, *, as_of: dt.date | None, store: Store, settings: Settings) -> Answer:
    """Answer one question (a one-off ``Assistant``; keep an Assistant to answer many)."""
    return Assistant(store, settings).ask(question, as_of=as_of)


def _refusal(reason: str | None = None) -> str:
    examples = [example for spec in TOOLS for example in spec.examples[:3]][:EXAMPLES_SHOWN]
    return compose.cant_answer(examples, reason)


def _filters(args: dict[str, Any]) -> str:
    """The names that narrowed a question, for the answer's first line ("Google, E-Rate")."""
    names = ("manufacturer", "model", "category", "device_category", "vendor", "funding_source",
             "fund", "department", "school")  # fmt: skip
    return ", ".join(str(args[k]) for k in names if args.get(k))


def _jsonable(args: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in args.items()}
