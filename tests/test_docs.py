"""The repository checks its own promises: import direction, documented commands and settings."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from assistant.cli import app
from assistant.settings import Settings
from tools.registry import TOOLS

ROOT = Path(__file__).resolve().parents[1]
# A layer may import only the layers listed for it (assistant -> tools -> ingest).
ALLOWED = {
    "ingest": {"ingest"},
    "tools": {"tools", "ingest"},
    "prompts": {"prompts"},
    "assistant": {"assistant", "tools", "ingest", "prompts"},
}
LAYERS = {"ingest", "tools", "assistant", "prompts", "evals"}
# The CLI's `eval` command runs the golden eval: the one import from above the assistant layer.
EXCEPTIONS = {"assistant/cli.py": {"evals"}}


def imported_layers(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & LAYERS


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_imports_go_one_way(layer: str) -> None:
    for path in (ROOT / layer).rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        wrong = imported_layers(path) - ALLOWED[layer] - EXCEPTIONS.get(relative, set())
        assert not wrong, f"{path.relative_to(ROOT)} imports {wrong}"


def test_every_command_is_in_the_readme_and_the_cli_docs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    cli_doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        assert f"district-assistant {name}" in cli_doc, name
        assert name in readme, name


def test_every_setting_is_documented() -> None:
    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        assert f"`{name}`" in doc, name
        assert field.description, name


def test_every_tool_has_a_description_and_three_example_questions() -> None:
    for tool in TOOLS:
        assert len(tool.description) > 40, tool.name
        assert len(tool.examples) >= 3, tool.name
        assert tool.func.__name__ == tool.name


def test_readme_has_exactly_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    blocks = setup.split("```")[1::2]
    assert len(blocks) == 2
