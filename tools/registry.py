"""The catalog: every tool with its name, description, argument model and example questions.

This list is the one source for the offline planner, the LLM agent (LangChain tools generated
from it), the REST API, the digest, docs/tools.md and the tests. A tool's function name is its
name everywhere.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from ingest.db import Store
from tools import contracts
from tools.base import ToolResult


@dataclass(frozen=True)
class ToolSpec:
    """One read-only tool and what the planner and the agent need to know about it."""

    name: str
    func: Callable[[Session, Any], ToolResult]
    args_model: type[BaseModel]
    description: str
    examples: tuple[str, ...]
    domain: str
    keywords: tuple[str, ...] = ()

    def run(self, store: Store, args: dict[str, Any] | BaseModel) -> ToolResult:
        """Validate the arguments and run the tool in a read-only session."""
        parsed = args if isinstance(args, self.args_model) else self.args_model.model_validate(args)
        with store.read_session() as session:
            return self.func(session, parsed)


TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec(
        name="contracts_renewing",
        func=contracts.contracts_renewing,
        args_model=contracts.ContractsRenewingArgs,
        description=(
            "Contracts and subscriptions whose renewal date falls in a date window, with the "
            "notice deadline (last day to cancel), whether each auto-renews, the annual cost and "
            "the total. Optionally for one vendor or funding source."
        ),
        examples=(
            "what renews next quarter?",
            "which contracts renew in the next 90 days?",
            "what renews before June 30?",
            "which subscriptions are up for renewal this fiscal year?",
            "when does our Google contract renew?",
            "what do we need to cancel or renew next month?",
        ),
        domain="contracts",
        keywords=("renew", "contract", "subscription", "cancel", "notice", "licens", "expir"),
    ),
)
_BY_NAME = {tool.name: tool for tool in TOOLS}


def get_tool(name: str) -> ToolSpec:
    """The tool of that name.

    Raises:
        KeyError: no tool has that name (the agent may not call anything outside the catalog).
    """
    if name not in _BY_NAME:
        raise KeyError(f"Unsupported tool: {name!r}")
    return _BY_NAME[name]


def langchain_tools(store: Store) -> list[Any]:
    """LangChain tools generated from the catalog; the artifact is the typed result."""
    from langchain_core.tools import StructuredTool

    def bind(spec: ToolSpec) -> Callable[..., tuple[str, ToolResult]]:
        def call(**kwargs: Any) -> tuple[str, ToolResult]:
            result = spec.run(store, kwargs)
            return json.dumps(result.model_dump(mode="json"), default=str), result

        return call

    return [
        StructuredTool.from_function(
            func=bind(spec),
            name=spec.name,
            description=spec.description,
            args_schema=spec.args_model,
            response_format="content_and_artifact",
        )
        for spec in TOOLS
    ]
