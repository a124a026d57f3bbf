"""The optional LLM agent: a tool-calling loop over the same catalog, guarded, with fallbacks.

With ``llm_provider`` set, ``ask_with_agent`` runs one turn of a LangChain ``create_agent`` loop
whose tools are the catalog's tools on the store's read-only session, with today's date bound
(the model never picks ``as_of``). The final text is sent only if ``assistant.guard`` finds every
figure and name of it in that turn's tool results; otherwise the composer's answer from the last
tool result (or the offline planner's, if no tool ran) is sent. A provider that is down, refuses
the key, errs or is slower than ``llm_timeout_seconds`` gets the planner's answer with a note.
LangChain's provider packages are imported only here, and only when a provider is configured.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, SecretStr, ValidationError, create_model

import prompts
from assistant import compose, guard, indexing
from assistant.answer import AgentReport, Answer, Conversation, ToolCall
from assistant.answer import _filters as filters_of  # the same first-line filters as offline
from assistant.answer import _jsonable as jsonable
from assistant.settings import Settings
from ingest.db import Store
from tools.base import ToolResult, ToolSpec
from tools.dates import format_day
from tools.registry import TOOLS

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage
    from langchain_core.tools import BaseTool

    from assistant.answer import Assistant

logger = logging.getLogger(__name__)

PROVIDERS = ("openai", "anthropic", "ollama", "openai-compatible")
MAX_TOOL_CALLS = 6
# One retry for a dropped connection or a 429; the turn's deadline bounds the whole wait anyway.
MAX_RETRIES = 1
HISTORY_TURNS = 6  # earlier question-and-answer pairs of a thread the model reads
ROWS_FOR_MODEL = 50  # rows of one result the model reads; the guard and the answer see them all
_CATALOG = {spec.name for spec in TOOLS}


class TurnTimeout(TimeoutError):
    """The model did not finish its turn within ``llm_timeout_seconds``."""


@dataclass(frozen=True)
class ToolRun:
    """One catalog tool that ran in a turn: its name, the arguments as run, and its result."""

    name: str
    args: dict[str, Any]
    result: ToolResult


@dataclass
class Turn:
    """What one agent turn did: the tools that ran, the calls refused, and the final text."""

    runs: list[ToolRun] = field(default_factory=list)
    refused: list[ToolCall] = field(default_factory=list)
    final: str = ""
    calls_asked: int = 0


# --- the chat model and the tools --------------------------------------------------------------


def build_chat_model(settings: Settings) -> BaseChatModel:
    """The chat model the settings name, through LangChain's ``init_chat_model``.

    Raises:
        ValueError: an unknown provider, or a setting the provider needs is missing.
        ImportError: the provider's LangChain package is not installed (the ``llm`` extra).
    """
    from langchain.chat_models import init_chat_model

    provider = (settings.llm_provider or "").strip().lower()
    if not settings.llm_model:
        raise ValueError("llm_model is not set (DISTRICT_ASSISTANT_LLM_MODEL)")
    secret = settings.provider_key(provider)  # OPENAI_API_KEY too: read and masked as a setting
    key = secret.get_secret_value() if secret else None
    timeout = settings.llm_timeout_seconds
    common: dict[str, Any] = {"temperature": 0, "disable_streaming": True}
    match provider:
        case "openai":
            kwargs = dict(common, base_url=settings.llm_base_url, api_key=key, timeout=timeout,
                          max_retries=MAX_RETRIES)  # fmt: skip
        case "openai-compatible":
            if not settings.llm_base_url:
                raise ValueError("llm_base_url is not set (DISTRICT_ASSISTANT_LLM_BASE_URL)")
            # vLLM and llama.cpp take any key unless started with one; the client needs some.
            kwargs = dict(common, base_url=settings.llm_base_url, api_key=key or "none",
                          timeout=timeout, max_retries=MAX_RETRIES, use_responses_api=False)  # fmt: skip
            provider = "openai"
        case "anthropic":
            kwargs = dict(common, base_url=settings.llm_base_url, api_key=key, timeout=timeout,
                          max_retries=MAX_RETRIES)  # fmt: skip
        case "ollama":
            kwargs = dict(common, base_url=settings.llm_base_url,
                          client_kwargs={"timeout": timeout})  # fmt: skip
        case _:
            raise ValueError(
                f"Unsupported llm_provider: {provider!r}; use one of {', '.join(PROVIDERS)}"
            )
    kwargs = {name: value for name, value in kwargs.items() if value is not None}
    return init_chat_model(settings.llm_model, model_provider=provider, **kwargs)


def catalog_tools(store: Store, as_of: dt.date) -> list[BaseTool]:
    """The catalog as LangChain tools, each run read-only with ``as_of`` bound to today.

    A tool's arguments are validated by its own model; a refusal (bad arguments, a failed query)
    goes back to the model as an error message, never up as an exception.
    """
    from langchain_core.tools import StructuredTool

    return [
        StructuredTool.from_function(
            func=_bound(spec, store, as_of),
            name=spec.name,
            description=spec.description,
            args_schema=_model_facing_args(spec),
            response_format="content_and_artifact",
            handle_tool_error=True,
            handle_validation_error=_explain_arguments,
        )
        for spec in TOOLS
    ]


def _model_facing_args(spec: ToolSpec) -> type[BaseModel]:
    """The tool's arguments without ``as_of``: the turn's date is bound, not the model's choice."""
    fields: dict[str, Any] = {
        name: (info.annotation, info)
        for name, info in spec.args_model.model_fields.items()
        if name != "as_of"
    }
    model: type[BaseModel] = create_model(spec.args_model.__name__, **fields)
    model.__doc__ = spec.args_model.__doc__
    return model


def _bound(spec: ToolSpec, store: Store, as_of: dt.date) -> Any:
    from langchain_core.tools import ToolException

    def call(**kwargs: Any) -> tuple[str, ToolRun]:
        args = {name: value for name, value in kwargs.items() if value is not None}
        if "as_of" in spec.args_model.model_fields:
            args["as_of"] = as_of
        try:
            result = spec.run(store, args)
        except ValidationError as exc:
            reason = exc.errors()[0]["msg"]
            raise ToolException(f"{spec.name} refused the arguments: {reason}") from exc
        except Exception as exc:  # a failed query must reach the model as text, not end the turn
            logger.warning("tool %s failed in an agent turn: %s", spec.name, type(exc).__name__)
            raise ToolException(f"{spec.name} failed ({type(exc).__name__})") from exc
        if spec.name == "search_text" and indexing.is_building():
            result.notes.insert(0, indexing.STILL_BUILDING)
        return _content_for_model(result, spec.name), ToolRun(spec.name, args, result)

    return call


def _explain_arguments(exc: Exception) -> str:
    """Which arguments a tool refused and why, so the model can correct its call."""
    errors = exc.errors() if isinstance(exc, ValidationError) else []
    found = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in errors[:5])
    return f"Invalid arguments: {found or type(exc).__name__}"


def _content_for_model(result: ToolResult, name: str = "tool") -> str:
    """The result as quoted data: JSON inside ``<tool_result>`` marks it cannot close.

    Every ``<`` in the JSON is written ``\\u003c`` (the same JSON), so a ticket that contains
    ``</tool_result>`` or an instruction dressed as a system message stays inside the quotation.
    """
    data = result.model_dump(mode="json")
    rows = data.get("rows")
    if isinstance(rows, list) and len(rows) > ROWS_FOR_MODEL:
        data["rows"] = rows[:ROWS_FOR_MODEL]
        data["rows_shown"] = ROWS_FOR_MODEL
    quoted = json.dumps(data, default=str).replace("<", "\\u003c")
    return f'<tool_result name="{name}">\n{quoted}\n</tool_result>'


def unquote(content: str) -> Any:
    """The JSON inside a ``<tool_result>`` (what the model read), for tests and debugging."""
    return json.loads(content.split("\n", 1)[1].rsplit("\n", 1)[0])


# --- one turn --------------------------------------------------------------------------------


def system_prompt(settings: Settings, as_of: dt.date) -> str:
    """prompts/system.md filled in: today, the fiscal periods around it, the catalog.

    The thread's earlier questions are not here: they go to the model as user and assistant
    turns (``run_turn``), so nothing a person typed is ever read as a system instruction.
    """
    return prompts.render(
        "system.md",
        today=format_day(as_of),
        today_iso=as_of.isoformat(),
        fiscal_year_start=settings.fiscal_year_start,
        periods=[
            (name, start.isoformat(), end.isoformat())
            for name, start, end in fiscal_periods(settings, as_of)
        ],  # fmt: skip
        tools=[(spec.name, spec.description) for spec in TOOLS],
        max_tool_calls=MAX_TOOL_CALLS,
    )


def fiscal_periods(settings: Settings, as_of: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """This and next fiscal year and quarter, and last quarter: the windows questions name most."""
    calendar = settings.fiscal_calendar
    fy, q = calendar.quarter(as_of)
    next_fy, next_q = (fy + 1, 1) if q == 4 else (fy, q + 1)
    last_fy, last_q = (fy - 1, 4) if q == 1 else (fy, q - 1)
    return [
        (f"this fiscal year, FY{fy}", *calendar.year_bounds(fy)),
        (f"next fiscal year, FY{fy + 1}", *calendar.year_bounds(fy + 1)),
        (f"this quarter, FY{fy} Q{q}", *calendar.quarter_bounds(fy, q)),
        (f"next quarter, FY{next_fy} Q{next_q}", *calendar.quarter_bounds(next_fy, next_q)),
        (f"last quarter, FY{last_fy} Q{last_q}", *calendar.quarter_bounds(last_fy, last_q)),
    ]


def run_turn(
    model: BaseChatModel,
    tools: list[BaseTool],
    system: str,
    question: str,
    *,
    timeout: float,
    history: list[tuple[str, str]] | None = None,
) -> Turn:
    """One question through the agent loop, within ``timeout`` seconds.

    The loop runs in a daemon thread so a hung provider cannot hold the answer past the deadline;
    the chat model's own request timeout ends that thread soon after.

    Raises:
        TurnTimeout: the turn took longer than ``timeout``.
        Exception: whatever the provider raised (connection, HTTP status, authentication).
    """
    from langchain.agents import create_agent
    from langchain.agents.middleware import ToolCallLimitMiddleware, before_model
    from langchain_core.messages import AIMessage, HumanMessage

    late = threading.Event()

    @before_model(can_jump_to=["end"])
    def stop_when_late(state: Any, runtime: Any) -> dict[str, Any] | None:
        # After the deadline the answer has gone out: ask the provider nothing more.
        return {"jump_to": "end"} if late.is_set() else None

    middleware: list[Any] = [
        ToolCallLimitMiddleware(run_limit=MAX_TOOL_CALLS, exit_behavior="end"),
        stop_when_late,
    ]
    agent = create_agent(model, tools, system_prompt=system, middleware=middleware)
    box: dict[str, Any] = {}
    earlier = [m for asked, said in history or [] for m in (HumanMessage(asked), AIMessage(said))]

    def work() -> None:
        try:
            state = agent.invoke(
                {"messages": [*earlier, HumanMessage(question)]},
                config={"recursion_limit": 4 * MAX_TOOL_CALLS + 8},
            )
            box["messages"] = state["messages"]
        except BaseException as exc:  # handed to the caller's thread below
            box["error"] = exc

    worker = threading.Thread(target=work, name="llm-turn", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        late.set()
        raise TurnTimeout(f"no answer within {timeout:g} seconds")
    if "error" in box:
        raise box["error"]
    return read_turn(box["messages"])


def read_turn(messages: list[BaseMessage]) -> Turn:
    """The tools that ran (catalog only), the calls refused, and the final text of a turn."""
    from langchain_core.messages import AIMessage, ToolMessage

    replies = {m.tool_call_id: m for m in messages if isinstance(m, ToolMessage)}
    turn = Turn()
    for message in messages:
        if not isinstance(message, AIMessage):
            continue
        for call in message.tool_calls:
            turn.calls_asked += 1
            reply = replies.get(call.get("id") or "")
            artifact = getattr(reply, "artifact", None)
            if call["name"] in _CATALOG and isinstance(artifact, ToolRun):
                turn.runs.append(artifact)
                continue
            why = "not in the catalog" if call["name"] not in _CATALOG else _reply_text(reply)
            turn.refused.append(ToolCall(name=call["name"], args=jsonable(call["args"]), error=why))
    last = messages[-1] if messages else None
    if isinstance(last, AIMessage) and not last.tool_calls:
        turn.final = last.text.strip()
    return turn


def _reply_text(reply: Any) -> str:
    text = str(getattr(reply, "content", "") or "no result")
    return text[:200]


# --- the answer ------------------------------------------------------------------------------


def ask_with_agent(
    assistant: Assistant,
    question: str,
    *,
    as_of: dt.date,
    conversation: Conversation | None = None,
) -> Answer:
    """Answer through the LLM agent; the guard and the fallbacks make it never worse than offline."""
    settings = assistant.settings
    report = AgentReport(provider=settings.llm_provider or "custom", model=settings.llm_model)
    history = list(conversation.turns[-HISTORY_TURNS:]) if conversation else []
    try:
        model = assistant.chat_model or build_chat_model(settings)
        assistant.chat_model = model
        tools = catalog_tools(assistant.store, as_of)
        system = system_prompt(settings, as_of)
        turn = run_turn(
            model, tools, system, question, timeout=settings.llm_timeout_seconds, history=history
        )
    except Exception as exc:  # any provider failure: the built-in answer, never a stack trace
        return _fallback(assistant, question, as_of, conversation, report, exc)
    report.refused = turn.refused
    problems = _problems(turn, question, as_of, settings)
    if problems:
        logger.info("LLM answer not sent, the guard found: %s", "; ".join(problems))
        report.outcome, report.reasons = "guarded", problems
    if problems and not turn.runs:
        answer = assistant.ask_offline(question, as_of=as_of, conversation=conversation)
        answer.agent = report
        return answer
    if problems:
        answer = _composed(question, as_of, turn.runs, report)
    else:
        answer = _answer(question, as_of, turn.final, turn.runs, report)
    if conversation is not None:
        conversation.history.append(question)
        conversation.turns.append((question, answer.answer))
        conversation.tool = turn.runs[-1].name if turn.runs else conversation.tool
    return answer


def _fallback(
    assistant: Assistant,
    question: str,
    as_of: dt.date,
    conversation: Conversation | None,
    report: AgentReport,
    exc: Exception,
) -> Answer:
    """The offline planner's answer, with a note that the model was not available, and why."""
    reason = describe_failure(exc)
    logger.warning("LLM unavailable: %s (%s); the planner answered", reason, type(exc).__name__)
    answer = assistant.ask_offline(question, as_of=as_of, conversation=conversation)
    timeout = assistant.settings.llm_timeout_seconds if isinstance(exc, TurnTimeout) else None
    note = prompts.render("llm_fallback.md", timeout=f"{timeout:g}" if timeout else None)
    answer.answer = f"{answer.answer}\n{note}"
    answer.agent = report.model_copy(update={"outcome": "fallback", "reasons": [reason]})
    return answer


def _composed(question: str, as_of: dt.date, runs: list[ToolRun], report: AgentReport) -> Answer:
    """The composer's answer from the turn's last tool result; ``tools`` still lists every run."""
    last = runs[-1]
    text = compose.compose(
        last.name, last.result, window=_window(last.args), filters=filters_of(last.args)
    )
    answer = _answer(question, as_of, text, [last], report)
    answer.tools = [ToolCall(name=run.name, args=jsonable(run.args)) for run in runs]
    return answer


def _problems(turn: Turn, question: str, as_of: dt.date, settings: Settings) -> list[str]:
    """Why the model's text may not be sent: the guard's findings, or a turn that did not finish."""
    if turn.calls_asked > MAX_TOOL_CALLS:
        return [f"more than {MAX_TOOL_CALLS} tool calls"]
    if not turn.final:
        return ["no final answer"]
    dates = [as_of] + [d for _, start, end in fiscal_periods(settings, as_of) for d in (start, end)]
    dates += [v for run in turn.runs for v in run.args.values() if isinstance(v, dt.date)]
    values = [run.result.model_dump(mode="json") for run in turn.runs]
    found = guard.evidence(values, question=question, dates=dates)
    return guard.check(turn.final, found, secrets=secret_values(settings))


def _answer(
    question: str, as_of: dt.date, text: str, runs: list[ToolRun], report: AgentReport
) -> Answer:
    sources = [ref for run in runs for ref in run.result.sources]
    return Answer(
        question=question,
        as_of=as_of,
        answer=text,
        rows=[row for run in runs for row in compose.render_rows(run.result)],
        tools=[ToolCall(name=run.name, args=jsonable(run.args)) for run in runs],
        sources=list(dict.fromkeys(sources)),
        agent=report,
    )


def _window(args: dict[str, Any]) -> str | None:
    start, end = args.get("start"), args.get("end")
    if isinstance(start, dt.date) and isinstance(end, dt.date):
        return f"between {format_day(start)} and {format_day(end)}"
    return None


def secret_values(settings: Settings) -> list[str]:
    """Every secret the settings hold (tokens, keys), so the guard can refuse to repeat one."""
    values = (getattr(settings, name) for name in type(settings).model_fields)
    return [
        v.get_secret_value() for v in values if isinstance(v, SecretStr) and v.get_secret_value()
    ]


def describe_failure(exc: BaseException) -> str:
    """A short, secret-free reason a provider call failed, for the log and ``ask --json``."""
    if isinstance(exc, TurnTimeout):
        return str(exc)
    if isinstance(exc, ImportError):
        return "the provider's package is not installed (pip install 'district-assistant[llm]')"
    if isinstance(exc, ValueError) and str(exc).startswith(("llm_", "Unsupported llm_provider")):
        return str(exc)
    status = getattr(exc, "status_code", None)
    if isinstance(status, int):
        return f"the provider answered HTTP {status}"
    name = type(exc).__name__
    if "timeout" in name.lower():
        return "the provider timed out"
    if "connect" in name.lower():
        return "could not reach the provider"
    return f"the provider call failed ({name})"
