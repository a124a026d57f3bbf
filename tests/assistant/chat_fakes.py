"""A scripted chat model for the agent's tests: LangChain's GenericFakeChatModel plus bind_tools.

It replaces only the external LLM. It replays its replies in order (tool calls included), and
records the tools it was offered and every message list it was sent, so tests can assert both.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatResult
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import Field

_ids = itertools.count(1)


class ScriptedChatModel(GenericFakeChatModel):
    """Replays scripted replies; ``bind_tools`` records the tool names and returns the model."""

    offered: dict[str, dict[str, Any]] = Field(default_factory=dict)
    received: list[list[BaseMessage]] = Field(default_factory=list)

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ScriptedChatModel:
        """What create_agent calls: remember the tools offered (name -> JSON schema of arguments)."""
        functions = [convert_to_openai_tool(tool)["function"] for tool in tools]
        self.offered = {f["name"]: f.get("parameters", {}) for f in functions}
        return self

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        self.received.append(list(messages))
        return super()._generate(messages, *args, **kwargs)


def scripted(*replies: AIMessage | str) -> ScriptedChatModel:
    """A model that answers with these replies, one per call."""
    return ScriptedChatModel(messages=iter(replies))


def calls(*tool_calls: tuple[str, dict[str, Any]]) -> AIMessage:
    """An assistant message asking for tool calls: ``calls(("open_tickets", {}))``."""
    return AIMessage(
        content="",
        tool_calls=[
            {"name": name, "args": args, "id": f"call_{next(_ids)}"} for name, args in tool_calls
        ],  # fmt: skip
    )
