"""Prompt and answer templates, shipped as text files inside the package.

``render(name, **context)`` fills a Jinja template such as ``answers/contracts_renewing.md``.
Wording lives here, not in code, so it can be changed without touching the logic.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import jinja2


def load(name: str) -> str:
    """The text of a template file, e.g. ``load("system.md")``."""
    return (resources.files("prompts") / name).read_text(encoding="utf-8")


def exists(name: str) -> bool:
    """Whether a template file of that name ships with the package."""
    return (resources.files("prompts") / name).is_file()


@lru_cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FunctionLoader(load),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        undefined=jinja2.StrictUndefined,
        finalize=_shown,
    )


MISSING = "not on file"
"""What an answer prints for a value the data does not hold, never "None"."""


def _shown(value: Any) -> Any:
    """Every ``{{ value }}`` of a template: a missing value reads as missing, not as "None"."""
    return MISSING if value is None else value


def render(name: str, **context: Any) -> str:
    """Fill the template ``name`` with ``context``; blank runs of lines are collapsed."""
    text = _environment().get_template(name).render(**context)
    lines = [line.rstrip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out)
