"""Reading a question before its slots: numbers in words, durations, shorthand, and asks we refuse.

People type "the next ninety days", "a fortnight", "past six wks", "thru", "this qtr". The slot
readers (``assistant.slots``, ``tools.dates``) read digits and full words, so this module first
rewrites the question into that form, once, and every reader sees the same text. It also tells
a request to act ("cancel the Zoom contract", "email the principal") or for advice ("should we
stop buying Lenovos?") from a question about the data: the assistant only reads, so those are
declined with a reason rather than answered with a nearby figure.
"""

from __future__ import annotations

import re

_UNITS = r"(?:business |school |calendar |fiscal |full )?(?:days?|weeks?|months?|years?|quarters?)"
_ONES = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
         "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}  # fmt: skip
_NUMBER_WORD = (
    r"(?:(?:" + "|".join(_TENS) + r")(?:[- ](?:" + "|".join(list(_ONES)[:9]) + r"))?"
    r"|" + "|".join(sorted(_ONES, key=len, reverse=True)) + r"|a hundred|one hundred|a dozen"
    r"|half a dozen|a couple(?: of)?|a few)"
)
# A number word counts where a number is expected: before a unit ("ninety days"), or after
# "top", "than", "least", "over", "under" ("more than three").
_IN_WORDS = re.compile(
    rf"\b((?:top|than|least|over|under) )?({_NUMBER_WORD})\b(?(1)|(?=\s+{_UNITS}\b))", re.I
)
_SHORTHAND = (
    (re.compile(r"\b(?:a |one )?fortnight\b", re.I), "2 weeks"),
    (re.compile(r"\b(\d+)\s*yrs?\b", re.I), r"\1 years"),
    (re.compile(r"\byrs\b", re.I), "years"),
    (re.compile(r"\byr\b", re.I), "year"),
    (re.compile(r"\b(\d+)\s*wks?\b", re.I), r"\1 weeks"),
    (re.compile(r"\bwks\b", re.I), "weeks"),
    (re.compile(r"\bwk\b", re.I), "week"),
    (re.compile(r"\b(\d+)\s*(?:mos|mo|mths|mth)\b", re.I), r"\1 months"),
    (re.compile(r"\b(?:mos|mths)\b", re.I), "months"),
    (re.compile(r"\bqtrs?\b", re.I), "quarter"),
    (re.compile(r"\bthru\b", re.I), "through"),
    (re.compile(r"\bw/o\b", re.I), "without"),
    (re.compile(r"\bw/(?=\s)", re.I), "with"),
    (re.compile(r"\btix\b", re.I), "tickets"),
    (re.compile(r"\btkts?\b", re.I), "tickets"),
)
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")  # fmt: skip
# "tickets from October" is October; "from October to March" and "from October on" are ranges.
_FROM_MONTH = re.compile(
    rf"\bfrom ({_MONTH})\b(?!\s*(?:\d|to\b|through\b|till\b|until\b|-|–|on\b|onwards?\b))", re.I
)


def _value(words: str) -> int:
    text = words.lower().replace("-", " ")
    if "dozen" in text:
        return 6 if "half" in text else 12
    if "hundred" in text:
        return 100
    if "couple" in text:
        return 2
    if "few" in text:
        return 3
    parts = text.split()
    return sum(_TENS.get(p, 0) + _ONES.get(p, 0) for p in parts)


def normalise(question: str) -> str:
    """The question with numbers in digits and shorthand spelled out, for every slot reader.

    'the next ninety days' -> 'the next 90 days'; 'a fortnight' -> '2 weeks'; 'past six wks' ->
    'past 6 weeks'; 'this qtr' -> 'this quarter'; 'tickets from October' -> 'tickets in October'.
    """
    text = question.replace("\u2019", "'")
    for pattern, written in _SHORTHAND:
        text = pattern.sub(written, text)
    text = _IN_WORDS.sub(lambda m: (m.group(1) or "") + str(_value(m.group(2))), text)
    return _FROM_MONTH.sub(lambda m: f"in {m.group(1)}", text)


# A request to do something, not to know something: the assistant only reads the data.
_ACTION = re.compile(
    r"^\s*(?:(?:can|could|would|will) you\s+|please\s+|pls\s+|go ahead and\s+)?"
    r"(cancel|e-?mail|send|message|call|notify|remind|mark|close out|close|delete|remove"
    r"|update|change|assign|reassign|order|buy|purchase|approve|deny|reject|renew|schedule|book"
    r"|escalate|merge|reset|create|disable|wipe|lock|move|transfer)\b"
    # a verb used as a noun's modifier ("purchase order spending", "order history") asks to know
    r"(?!\s+(?:by|in|on|within|between|from|date|dates|deadline|rate|rates|time|times|orders?"
    r"|requests?|history|lines?|totals?|numbers?|status|spend\w*|costs?|counts?)\b)",
    re.I,
)
# Asking for a judgement or a prediction no record holds.
_ADVICE = re.compile(
    r"\bshould (?:we|i) (?:stop|keep|switch|buy|drop|cancel|go with|choose|pick|consider|get rid"
    r"|move to|stick with|trust)\b|\bwhich (?:\w+ ){0,2}should (?:we|i) (?:buy|get|choose|pick)\b"
    r"|\b(?:would|do) you recommend\b|\bis it worth\b|\bresale value\b|\bshould (?:we|i) expect\b"
    r"|\bwill (?:\w+ ){0,2}charge\b|\bgoing to charge\b",
    re.I,
)
# Measures the district's technology data never holds, even when the question names devices or
# tickets: enrolment ratios, satisfaction, phone queues, payroll, reimbursements, family fees.
_UNHELD = re.compile(
    r"\b(?:students? (?:to|per) \w+|\w+ per (?:student|pupil|family|kid)s?|ratio|satisfaction"
    r"|csat|nps|hold times?|phone (?:line|queue)|overtime|payroll|reimburse\w*|famil(?:y|ies)"
    r"|internet at home)\b",
    re.I,
)
UNHELD_REASON = (
    "That needs figures the district's technology data doesn't hold (enrolment, satisfaction, "
    "phone, payroll or family records). I can answer from devices, tickets, contracts and apps."
)
ACTION_REASON = (
    "I only read the district's data; I can't {verb} anything. I can show you the records to "
    "act on."
)
ADVICE_REASON = (
    "That asks for a judgement or a prediction, which no record holds. I can show you the "
    "figures behind it (costs, repair rates, counts)."
)


def refused_ask(question: str) -> str | None:
    """Why a request to act, for advice or for a measure no record holds is declined, or None for
    a question the data may answer."""
    if action := _ACTION.search(question):
        return ACTION_REASON.format(verb=action.group(1).lower())
    if _ADVICE.search(question):
        return ADVICE_REASON
    if _UNHELD.search(question):
        return UNHELD_REASON
    return None
