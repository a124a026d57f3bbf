"""What a tool declares about the questions it answers, and the one table of routing weights.

Each tool's ``ToolSpec`` carries its own routing knowledge: what it measures, the slots its
arguments take, its cue words and cue patterns (each with a weight named here) and its example
questions. The planner (``assistant/planner.py``) holds no tool's name: it scores every tool by
the same rules from what the tool declares. Every number that tunes a score sits in ``WEIGHTS``
with the reason for its value; docs/planner.md shows the table, generated from it by cog.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Weight:
    """One tuning number and why it is what it is."""

    value: float
    why: str


WEIGHTS: dict[str, Weight] = {
    # -- deciding ---------------------------------------------------------------------------------
    "threshold": Weight(0.5, "Least combined score to answer: between the lowest answerable "
                        "phrasing (0.52) and the highest unanswerable one (0.48) when calibrated."),
    "fast_margin": Weight(0.25, "Scored by word overlap instead of meaning, a tool this far "
                          "ahead of every other (and past the threshold) answers without "
                          "loading the embedding model; at 0.15-0.2 one golden question "
                          "changed tool, at 0.1 four."),
    "switch_margin": Weight(0.1, "A follow-up changes tool only when the new tool beats the "
                            "previous one by this much."),
    "example_weight": Weight(0.8, "Share of meaning from a tool's closest example question; the "
                             "rest from its description (examples are nearer to how people ask)."),
    # -- every tool, from the question --------------------------------------------------------------
    "keyword": Weight(0.08, "The question holds one of the tool's cue words: enough to separate "
                      "neighbours, too little to lift an off-topic question over the threshold."),
    "misfit": Weight(-0.06, "For each name, time or grouping in the question the tool cannot "
                     "filter or group by."),
    "off_topic": Weight(-0.12, "Every tool, when the question names nothing the data is about."),
    "not_ours": Weight(-0.25, "Instead of off_topic, when the question names a subject we hold no "
                       "data on (students, salaries): refused even with a known school named."),
    "cost_unasked": Weight(-0.05, "A tool that only gives costs, for a question that asks none."),
    "device_elsewhere": Weight(-0.05, "A serial or asset tag named, for a tool not about one "
                               "device."),
    "owner_fits": Weight(0.1, "A person named and the tool filters by owner (a person's devices)."),
    "status_fits": Weight(0.1, "A device status named (retired, lost) and the tool filters by "
                          "it: as owner_fits, the one tool that can answer it."),
    "review_fits": Weight(0.05, "An app review named and the tool filters by review."),
    "agreement_fits": Weight(0.05, "A privacy agreement named and the tool filters by it."),
    "days_fits": Weight(0.05, "A number of days named and the tool takes one."),
    "measure_fits": Weight(0.03, "The tool gives the measure asked (count, cost, rate, age, list)."),
    # -- cues a tool declares -----------------------------------------------------------------------
    "one_device": Weight(0.2, "A serial or asset tag: the question is about one device's history."),
    "asks_wording": Weight(0.2, "The question asks what records say (mentioning, describing): "
                           "free-text search."),
    "asks_topic": Weight(0.12, "Records 'about' something: free-text search, less surely than "
                         "asks_wording."),
    "what_fails": Weight(0.25, "'What breaks most?' asks for the kind of failure, not the model."),
    "what_fails_not_rate": Weight(-0.1, "'What breaks most?' is not a rate per device."),
    "asks_aue": Weight(0.12, "End of automatic updates named (AUE, end of support): the "
                       "model's support date, not the replacement schedule."),
    "subject_unnamed": Weight(-0.1, "A tool with one narrow subject (end of updates; owners; "
                              "a person's repairs) "
                              "for a question that names none of its words asks something else."),
    "systems_compared": Weight(0.12, "Asset systems named (Snipe-IT, Google Admin) in a question "
                               "about their disagreements: the systems are its subject, which "
                               "outweighs the misfits of the system and vendor names."),
    "replacement_named": Weight(-0.2, "Replacing or a refresh named beside end of support: the "
                                "replacement date already counts the AUE, so the schedule is "
                                "asked, not the AUE alone (it offsets asks_aue and a keyword)."),
    "set_aside": Weight(0.1, "'Set aside', 'reserve', 'earmark' for replacing: the budget."),
    "asks_a_list": Weight(0.1, "'List', 'show', 'which tickets': the tickets themselves, not a "
                          "count, trend or backlog."),
    "asks_a_count": Weight(0.1, "'How many tickets ... opened/closed': a count of a window, not "
                           "the backlog open today or a weekly trend."),
    "open_now": Weight(0.15, "'Still open', 'unresolved', 'in X's queue': the backlog today, not "
                        "tickets opened in a window."),
    "already_gone": Weight(-0.06, "People who already left are former staff: not in the roster "
                           "as leaving, and not people the roster never held."),
    "renewals_listed": Weight(-0.2, "Contracts renewing in a window, with no grouping asked, "
                              "are the renewal list (with its total), not a spend breakdown: "
                              "enough to undo 'per year' (keyword) and a cost measure."),
    "window_on_renewals": Weight(-0.1, "'The contracts renewing in December': the window is on "
                                 "the renewal date, so the renewal list (with its deadlines) "
                                 "answers, not deadlines falling in December."),
    "renewals_and_refresh": Weight(0.15, "Contract renewals and device replacement named "
                                   "together: what both commit the district to."),
    "lifetime_cost": Weight(-0.1, "A cost over a device's life or of owning it is its total cost "
                            "of ownership, not the money spent on repairs in a window."),
}  # fmt: skip


def weight(name: str) -> float:
    """The value of a named weight.

    Raises:
        KeyError: no weight has that name (a cue naming a weight that does not exist).
    """
    if name not in WEIGHTS:
        raise KeyError(f"Unsupported weight: {name!r}")
    return WEIGHTS[name].value


@dataclass(frozen=True)
class Cue:
    """Evidence in a question that a tool answers it, worth the named weight (negative: against).

    A cue is a pattern tried on the lower-cased question, or slots that are filled (any of them).
    Cues of one tool that share a ``group`` count once: the first that matches.
    """

    weight: str
    pattern: re.Pattern[str] | None = None
    slots: tuple[str, ...] = ()
    group: str | None = None

    def __post_init__(self) -> None:
        weight(self.weight)  # a misspelt weight fails at import, not silently at zero
        if (self.pattern is None) == (not self.slots):
            raise ValueError("A cue has a pattern or slots, not both or neither")

    def matches(self, text: str, filled: frozenset[str]) -> bool:
        """Whether the question (lower-cased) or its filled slots show this cue."""
        if self.pattern is not None:
            return self.pattern.search(text) is not None
        return any(slot in filled for slot in self.slots)
