"""Canonical ticket categories, so "Broken Screen" (Incident IQ) and "cracked_screen" (Zendesk)
count as one kind of failure. The category as written is kept beside it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

# First rule that matches wins; the order settles words two rules share ("Charger/Battery").
RULES: tuple[tuple[str, str], ...] = (
    ("Liquid damage", r"liquid|spill|water|juice|wet|soda|coffee"),
    ("Cracked screen", r"screen|display|lcd|crack|shatter"),
    ("Charging port", r"charging|charger|port|power jack|usb"),
    ("Battery", r"battery|power|hold(s)? (a )?charge"),
    ("Keyboard", r"keyboard|keys?\b|trackpad|touchpad"),
    ("Login/account", r"password|log ?in|account|sign ?in|mfa|2fa|locked"),
    ("Network", r"network|wi-?fi|internet|wireless|outage"),
    ("Printer", r"print|toner"),
    ("Software", r"software|app\b|apps\b|install|update|program"),
    ("Other", r"general|question|other|misc"),
)
HARDWARE = {"Liquid damage", "Cracked screen", "Charging port", "Battery", "Keyboard"}
_COMPILED = tuple((name, re.compile(pattern)) for name, pattern in RULES)


@lru_cache(maxsize=4096)
def canonical_category(written: str | None) -> str | None:
    """The canonical category of a category as written; unknown ones are kept, title-cased."""
    if not written or not written.strip():
        return None
    text = written.replace("_", " ").lower()
    for name, pattern in _COMPILED:
        if pattern.search(text):
            return name
    return written.strip()


def is_repair(category: str | None, parts_cost: Decimal | None) -> bool:
    """A break/fix ticket: a hardware failure category, or parts were used."""
    return category in HARDWARE or bool(parts_cost and parts_cost > 0)
