"""Name evidence: how close a header's words are to a field's names, after normalising them.

A header is split into words (camelCase, dots, underscores, symbols), its abbreviations are
spelled out from a table of general English and business abbreviations (``Qty``, ``Amt``,
``Exp.``, ``#``), and each word is reduced to a rough stem, so "Qty Ordered", "Exp. Date",
"Cost/yr" and "PO#" are compared with a field's names word by word. Words that name many fields
("date", "name") count for less than words that name few ("renewal", "serial").
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import fuzz

# General abbreviations of English and of school business offices (not any file's headers).
ABBREVIATIONS: dict[str, str] = {
    "#": "number", "no": "number", "num": "number", "nbr": "number", "nr": "number",
    "amt": "amount", "qty": "quantity", "quan": "quantity", "exp": "expiration",
    "expir": "expiration", "expires": "expiration", "expiry": "expiration",
    "yr": "year", "yrs": "year", "yrly": "annual", "ann": "annual", "annually": "annual",
    "yearly": "annual", "mo": "month", "mos": "month", "mth": "month", "mths": "month",
    "dt": "date", "desc": "description", "descr": "description", "dept": "department",
    "emp": "employee", "empl": "employee", "loc": "location", "bldg": "building",
    "mfr": "manufacturer", "mfg": "manufacturer", "manuf": "manufacturer", "sn": "serial",
    "acct": "account", "cat": "category", "pri": "priority", "req": "request",
    "tech": "technician", "auto": "automatic", "tot": "total", "ext": "extended",
    "canc": "cancel", "cxl": "cancel", "lic": "license", "licence": "license",
    "sw": "software", "hw": "hardware", "dev": "device", "org": "organization",
    "stat": "status", "wty": "warranty", "warr": "warranty", "purch": "purchase",
    "lbr": "labor", "labour": "labor", "hrs": "hour", "min": "minute", "mins": "minute",
    "inv": "invoice", "vend": "vendor", "svc": "service", "subscr": "subscription",
    "eff": "effective", "orig": "original", "addr": "address", "mgr": "manager",
    "ph": "phone", "tel": "telephone", "fy": "fiscal year", "gl": "general ledger",
    "po": "purchase order", "e": "", "mail": "email", "id": "identifier",
    "ident": "identifier", "ren": "renewal", "renew": "renewal", "approx": "approximate",
    "est": "estimated", "w": "with", "pct": "percent", "ea": "each", "util": "utilization",
    "asgn": "assigned", "assgn": "assigned", "sched": "schedule", "info": "information",
    "natl": "national", "dpa": "data privacy agreement", "ndpa": "data privacy agreement",
    "ferpa": "privacy", "coppa": "privacy", "$": "cost", "/": "per", "%": "percent",
}  # fmt: skip
# Words that carry no meaning of their own in a header.
FILLER = frozenset({"the", "of", "a", "an", "in", "on", "at", "to", "is", "by", "and", "or"})

# Single letters joined by "/" or ".": an acronym ("S/N", "P.O.") is one word ("sn", "po").
_ACRONYM = re.compile(r"(?<![A-Za-z])[A-Za-z](?:[/.][A-Za-z])+(?![A-Za-z])\.?")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_WORDS = re.compile(r"[a-z]+|[0-9]+|[#$%/]")
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ed", "es", "s")


def stem(word: str) -> str:
    """A rough stem: 'renewals' and 'renewal', 'expires' and 'expired', 'costs' and 'cost'."""
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            base = word[: -len(suffix)]
            return base[:-1] if suffix == "ies" or base.endswith(base[-1] * 2) else base
    return word.rstrip("e") if len(word) > 4 else word


@lru_cache(maxsize=4096)
def header_words(header: str) -> tuple[str, ...]:
    """A header's words, abbreviations spelled out, filler dropped, in order (not stemmed)."""
    text = _ACRONYM.sub(lambda m: m.group(0).replace("/", "").replace(".", ""), str(header or ""))
    text = _CAMEL.sub(" ", text.strip()).lower().replace("e-mail", "email")
    words: list[str] = []
    for raw in _WORDS.findall(text):
        expanded = ABBREVIATIONS.get(raw, raw)
        words += [w for w in expanded.split() if w and w not in FILLER]
    return _phrases(words)


# Two-word phrases that mean one word ("cost per year" is an annual cost).
PHRASES: dict[tuple[str, str], str] = {
    ("per", "year"): "annual", ("per", "annum"): "annual",
    ("each", "year"): "annual", ("per", "month"): "monthly", ("per", "unit"): "unit",
}  # fmt: skip


def _phrases(words: list[str]) -> tuple[str, ...]:
    out: list[str] = []
    for word in words:
        if out and (out[-1], word) in PHRASES:
            out[-1] = PHRASES[(out[-1], word)]
        else:
            out.append(word)
    return tuple(out)


@lru_cache(maxsize=4096)
def header_stems(header: str) -> tuple[str, ...]:
    """The stems of a header's words."""
    return tuple(stem(word) for word in header_words(header))


def spelled_out(header: str) -> str:
    """The header as plain words, for the meaning model ('Exp. Dt' -> 'expiration date')."""
    return " ".join(header_words(header)) or str(header)


class NameIndex:
    """Word weights over every field name of every record type, so shared words weigh less."""

    def __init__(self, names: Iterable[str]) -> None:
        counts: Counter[str] = Counter()
        total = 0
        for name in names:
            counts.update(set(header_stems(name)))
            total += 1
        self._weights = {s: 1.0 + math.log((1 + total) / (1 + n)) for s, n in counts.items()}
        self._default = 1.0 + math.log(1 + total)

    def weight(self, word: str) -> float:
        """How much a word says: more for words that name few fields."""
        return self._weights.get(word, self._default)

    def similarity(self, header: str, name: str) -> float:
        """0-1: weighted share of words the header and a field name have in common (F-measure).

        Words match when their stems are equal, or close by spelling (a typo) when both are
        long enough for a typo to be told from another word.
        """
        ours, theirs = header_stems(header), header_stems(name)
        if not ours or not theirs:
            return 0.0
        matched_ours = sum(self.weight(w) for w in ours if _found(w, theirs))
        matched_theirs = sum(self.weight(w) for w in theirs if _found(w, ours))
        precision = matched_ours / sum(self.weight(w) for w in ours)
        recall = matched_theirs / sum(self.weight(w) for w in theirs)
        return 0.0 if not precision or not recall else 2 * precision * recall / (precision + recall)


def _found(word: str, words: tuple[str, ...]) -> bool:
    if word in words:
        return True
    return len(word) >= 5 and any(
        len(other) >= 5 and fuzz.ratio(word, other) >= 85 for other in words
    )


@lru_cache(maxsize=8192)
def header_key(header: str) -> str:
    """A header's identity for exact lookups (vendor columns, fingerprints): its stems in order.

    "Serial #", "serial_number" and "SerialNumber" are one key; "Asset Tags" and "Asset Tag" too.
    """
    return " ".join(header_stems(str(header or "")))
