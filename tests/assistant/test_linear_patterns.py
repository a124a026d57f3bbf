"""Every regular expression the assistant and the tools run over text is linear in its length.

A pattern whose matches can start at every position of a long run and scan the rest of the run
each time (``[\\w.+-]+@...`` over 40,000 digits) is quadratic: one long question then holds a
server thread for minutes. This walks every module of ``assistant/`` and ``tools/``, runs each
compiled pattern it finds over hostile texts (long runs of the characters patterns repeat), and
fails any that takes more than half a second on 20,000 characters; quadratic ones took 3-8 s.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import time
from collections.abc import Iterator
from types import ModuleType

import pytest

import assistant
import tools

LENGTH = 20_000
LIMIT_SECONDS = 0.5
UNITS = ("a", "1", "a.", "a@", "1-", "1/", "a ", "x1-", "$1,", "<@U", "a:", "a://", ".", "@", "-",
         "'", "\t", "? ", "lincoln elementary ", "ab12-", "Ab1 ")  # fmt: skip


def _modules() -> Iterator[ModuleType]:
    for package in (assistant, tools):
        for info in pkgutil.iter_modules(package.__path__):
            if info.name != "__main__":
                yield importlib.import_module(f"{package.__name__}.{info.name}")


def _patterns_in(value: object) -> Iterator[re.Pattern[str]]:
    if isinstance(value, re.Pattern):
        yield value
    elif isinstance(value, tuple | list):
        for item in value:
            if isinstance(item, re.Pattern):
                yield item
            elif isinstance(item, tuple) and item and isinstance(item[0], re.Pattern):
                yield item[0]
    elif isinstance(value, dict):
        yield from (item for item in value.values() if isinstance(item, re.Pattern))


def _all_patterns() -> list[tuple[str, re.Pattern[str]]]:
    found: dict[str, re.Pattern[str]] = {}
    for module in _modules():
        for name, value in vars(module).items():
            for n, pattern in enumerate(_patterns_in(value)):
                if isinstance(pattern.pattern, str):
                    found[f"{module.__name__}.{name}[{n}]"] = pattern
    return sorted(found.items())


PATTERNS = _all_patterns()


def test_the_walk_finds_the_patterns_that_read_questions() -> None:
    names = {name.rsplit("[", 1)[0] for name, _ in PATTERNS}
    assert {
        "assistant.entities._EMAIL",
        "assistant.guard._CODE",
        "assistant.redact._URL_PASSWORD",
    } <= names


@pytest.mark.parametrize(("name", "pattern"), PATTERNS, ids=[name for name, _ in PATTERNS])
def test_a_pattern_scans_a_long_hostile_text_in_linear_time(
    name: str, pattern: re.Pattern[str]
) -> None:
    worst, worst_text = 0.0, ""
    for unit in UNITS:
        for text in (unit * (LENGTH // len(unit)), (unit * (LENGTH // len(unit))).upper()):
            took = _scan_seconds(pattern, text)
            if took > LIMIT_SECONDS:  # a pause of the machine, or the pattern? Ask twice more.
                took = min(took, _scan_seconds(pattern, text), _scan_seconds(pattern, text))
            if took > worst:
                worst, worst_text = took, unit
    assert worst < LIMIT_SECONDS, f"{name} took {worst:.2f} s on {worst_text!r} x {LENGTH:,}"


def _scan_seconds(pattern: re.Pattern[str], text: str) -> float:
    """One search and one findall over the text: a quadratic pattern takes seconds every time."""
    started = time.perf_counter()
    pattern.search(text)
    pattern.findall(text)
    return time.perf_counter() - started
