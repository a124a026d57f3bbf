"""What every tool returns: the rows, the totals, and the source rows behind them.

Tools are plain typed functions ``(session, args) -> Result``. ``sources_of`` turns source
record ids into "file:row" references, so every answer can be traced to the export it came from.
Past ``SOURCE_CAP`` records a tool lists a sample and says so (``sample_note``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.db import Store
from ingest.resolve import acronym, location_key
from ingest.schema import (
    DistrictSetting,
    Location,
    LocationAlias,
    ReplacementPolicyRow,
    SourceRecord,
)
from tools.cues import Cue


class ToolResult(BaseModel):
    """Fields every tool result has; each tool adds its own rows and totals."""

    count: int = Field(description="How many records the answer covers (not only those shown).")
    sources: list[str] = Field(
        default_factory=list,
        description="file:row of the records used: all of them up to 200, else a sample that a "
        "note says is one (the rows shown first).",
    )
    systems: list[str] = Field(default_factory=list, description="Source systems of the records.")
    notes: list[str] = Field(default_factory=list, description="What a reader should know.")

    def row_dicts(self) -> list[dict[str, Any]]:
        """The rows as JSON-ready dicts (tools that have rows override ``rows``)."""
        rows = getattr(self, "rows", [])
        return [row.model_dump(mode="json") for row in rows]


def sources_of(session: Session, record_ids: Iterable[int | None]) -> tuple[list[str], list[str]]:
    """'file:row' references and system names for source record ids, in the order given."""
    ids = [i for i in dict.fromkeys(record_ids) if i is not None]
    found: dict[int, tuple[str, str]] = {}
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        query = select(SourceRecord.id, SourceRecord.file, SourceRecord.row, SourceRecord.system)
        for record_id, file, row, system in session.execute(
            query.where(SourceRecord.id.in_(chunk))
        ):
            found[record_id] = (f"{file}:{row}", system)
    refs = [found[i][0] for i in ids if i in found]
    systems = sorted({found[i][1] for i in ids if i in found})
    return refs, systems


SOURCE_CAP = 200


def sample_note(listed: int, total: int, what: str) -> list[str]:
    """The note a sampled sources list carries, so a reader knows how much it leaves out.

    Aggregates over a million tickets list a bounded sample of their records (the rows shown
    first, then the first by date), never every id: the note gives the total behind the answer.
    """
    if total <= listed:
        return []
    return [f"Sources list {listed} of the {total} {what}; {total - listed} more are not listed."]


def district_setting(session: Session, key: str, default: Any) -> Any:
    """A setting the app synced into the store (labour rate, fiscal year start), else default."""
    value = session.get(DistrictSetting, key)
    return default if value is None else value.value


def replacement_policies(session: Session) -> dict[str, ReplacementPolicyRow]:
    """The replacement policy per device category, as synced from settings."""
    return {row.category: row for row in session.scalars(select(ReplacementPolicyRow))}


@dataclass(frozen=True)
class ToolSpec:
    """One read-only tool and what the planner and the agent need to know about it.

    ``default_window`` is a phrase ("the next 12 months") used when a question names no time;
    arguments named ``start``/``end`` take the window, and arguments named like a slot
    (``vendor``, ``school``, ``model``, ...) take the name the question mentioned.
    ``sensitive`` marks contract and budget answers (what the district pays, plans to pay or has
    signed), which the finance allowlist limits in Slack; ``sensitive_when`` marks them per call
    (search over contract notes), given the arguments as a dict.

    Routing knowledge (the planner names no tool; it reads these):

    - ``examples`` and ``description``: what the question is scored against by meaning.
    - ``measures``: what the tool gives (count, cost, rate, age, list).
    - ``keywords``: cue words; any one in the question adds the ``keyword`` weight.
    - ``cues``: cue patterns and slots, each with a weight named in ``tools.cues.WEIGHTS``.
    - ``reads``: (argument, slot) pairs where an argument takes a slot of another name (a ticket
      tool's ``category`` is the question's ticket category); other arguments take the slot of
      their own name.
    - ``refine``: arguments only this tool knows how to read, given the slot values (with
      ``group_by``) and the question; returns the arguments to add.
    """

    name: str
    func: Callable[[Session, Any], ToolResult]
    args_model: type[BaseModel]
    description: str
    examples: tuple[str, ...]
    domain: str
    keywords: tuple[str, ...] = ()
    default_window: str | None = None
    sensitive: bool = False
    sensitive_when: Callable[[dict[str, Any]], bool] | None = None
    measures: tuple[str, ...] = ()
    cues: tuple[Cue, ...] = ()
    reads: tuple[tuple[str, str], ...] = ()
    refine: Callable[[Mapping[str, Any], str], dict[str, Any]] | None = None

    def slot_for(self, argument: str) -> str:
        """The slot an argument takes: its own name unless ``reads`` says otherwise."""
        return dict(self.reads).get(argument, argument)

    def has_slot_cue(self, slot: str) -> bool:
        """Whether the tool declares a cue on this slot being filled (it is about that thing)."""
        return any(slot in cue.slots for cue in self.cues)

    def is_sensitive(self, args: dict[str, Any]) -> bool:
        """Whether a call with these arguments gives a contract or budget answer."""
        return self.sensitive or (self.sensitive_when is not None and self.sensitive_when(args))

    def run(self, store: Store, args: dict[str, Any] | BaseModel) -> ToolResult:
        """Validate the arguments and run the tool in a read-only session."""
        parsed = args if isinstance(args, self.args_model) else self.args_model.model_validate(args)
        with store.read_session() as session:
            return self.func(session, parsed)


def school_ids(session: Session, school: str) -> list[int]:
    """Locations a school name means: its name or an alias (any case), else the same normalised
    name ("Lincoln Elem") or acronym ("LES"). Every tool's ``school`` filter goes through here.
    """
    wanted = school.strip().lower()
    names = {i: name for i, name in session.execute(select(Location.id, Location.name))}
    hits = {i for i, name in names.items() if name.strip().lower() == wanted}
    hits |= set(
        session.scalars(select(LocationAlias.location_id).where(LocationAlias.alias == wanted))
    )
    if not hits:
        hits = {i for i, name in names.items() if location_key(name) == location_key(school)}
    token = school.strip()
    if not hits and token.isalpha() and 2 <= len(token) <= 5:
        hits = {i for i, name in names.items() if acronym(name) == token.upper()}
    return sorted(hits)
