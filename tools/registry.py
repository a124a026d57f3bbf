"""The catalog: every tool with its name, description, argument model and example questions.

This list is the one source for the offline planner, the LLM agent (LangChain tools generated
from it), the REST API, the digest, docs/tools.md and the tests. A tool's function name is its
name everywhere.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ingest.db import Store
from tools import (
    apps,
    assets,
    commitments,
    contracts,
    notices,
    ownership,
    people,
    person_repairs,
    quality,
    repair_history,
    repair_spend,
    repairs,
    replacement,
    search,
    spend,
    support,
    ticket_lists,
    tickets,
)
from tools.base import ToolResult, ToolSpec

TOOLS: tuple[ToolSpec, ...] = (
    *contracts.TOOLS,
    *spend.TOOLS,
    *notices.TOOLS,
    *assets.TOOLS,
    *replacement.TOOLS,
    *commitments.TOOLS,
    *support.TOOLS,
    *repair_history.TOOLS,
    *person_repairs.TOOLS,
    *repairs.TOOLS,
    *repair_spend.TOOLS,
    *tickets.TOOLS,
    *ticket_lists.TOOLS,
    *people.TOOLS,
    *ownership.TOOLS,
    *apps.TOOLS,
    *search.TOOLS,
    *quality.TOOLS,
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
