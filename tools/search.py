"""Semantic search over free text, combined with filters: tickets, contracts and app requests.

"water damage tickets at Lincoln this school year" is the meaning of the words ("water damage")
plus filters (school, date window). The filters narrow the Chroma query through the metadata
``ingest.index`` stores with each vector; the hits come back as SQL rows with their similarity.

The vector store is optional: when it is missing, unreachable, broken or built by another model,
``search_text`` answers with no rows and the note "the search index is unavailable", never an
exception, so structured questions keep working. chromadb is imported only when a search runs.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field
from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.schema import AppRequest, Contract, Device, Location, SourceRecord, Ticket, Vendor
from tools.base import ToolResult, ToolSpec, district_setting, school_ids, sources_of
from tools.cues import Cue

if TYPE_CHECKING:
    from ingest.vectors import Vectors

Kind = Literal["tickets", "contracts", "app_requests"]
UNAVAILABLE = "the search index is unavailable"
# Unrelated text scores about 0.0-0.2 with this model; paraphrases 0.5-0.9 (evals/retrieval.py).
MIN_SCORE = 0.25
VECTOR_STORE_SETTING = "vector_store"  # {"path": ..., "host": ..., "port": ...}, synced by the app
_opened: dict[tuple[str | None, str | None, int], Vectors] = {}
_opened_lock = threading.Lock()


class SearchTextArgs(BaseModel):
    """What to look for, in which kind of text, and the filters that narrow it."""

    query: str = Field(min_length=1, description='What the text is about, e.g. "water damage".')
    kind: Kind = Field(default="tickets", description="tickets, contracts or app_requests.")
    school: str | None = Field(default=None, description="Only records at this school.")
    start: dt.date | None = Field(default=None, description="Earliest date (YYYY-MM-DD).")
    end: dt.date | None = Field(default=None, description="Latest date (YYYY-MM-DD).")
    model: str | None = Field(default=None, description="Only tickets about this device model.")
    category: str | None = Field(default=None, description="Only this ticket category.")
    system: str | None = Field(default=None, description='Only this source system, e.g. "zendesk".')
    vendor: str | None = Field(
        default=None, description="Only this vendor (device maker for tickets)."
    )
    limit: int = Field(default=10, ge=1, le=100, description="How many matches to return.")
    min_score: float = Field(
        default=MIN_SCORE, ge=-1, le=1, description="Leave out matches less similar than this."
    )


class TextHit(BaseModel):
    """One matching record: its SQL id, how close its text is to the query (cosine, -1..1)."""

    id: int
    score: float
    date: dt.date | None = None
    school: str | None = None
    source: str | None = None


class TicketHit(TextHit):
    """A matching ticket."""

    kind: Literal["tickets"] = "tickets"
    system: str
    external_id: str
    category: str | None
    status: str | None
    is_open: bool
    subject: str | None
    description: str | None
    model: str | None


class ContractHit(TextHit):
    """A matching contract (its date is the renewal date)."""

    kind: Literal["contracts"] = "contracts"
    vendor: str
    product: str
    renewal_date: dt.date | None
    notice_deadline: dt.date | None
    auto_renew: bool | None
    annual_cost: Decimal | None
    notes: str | None


class AppRequestHit(TextHit):
    """A matching app request (its date is the request date)."""

    kind: Literal["app_requests"] = "app_requests"
    request_id: str
    product: str
    vendor: str | None
    approval_status: str | None
    notes: str | None


Hit = TicketHit | ContractHit | AppRequestHit


class SearchTextResult(ToolResult):
    """The closest records, best first, as SQL rows with their similarity score."""

    query: str
    kind: Kind
    rows: list[Hit]
    is_index_available: bool = True


def search_text(
    session: Session, args: SearchTextArgs, vectors: Vectors | None = None
) -> SearchTextResult:
    """Records whose text means what the query says, within the filters, closest first.

    Args:
        session: A read-only SQL session.
        args: The query, the kind of text and the filters.
        vectors: The vector store; default: the one the store's settings name (see module doc).

    Returns:
        Up to ``limit`` SQL rows with scores. Never raises for a vector store problem: the result
        then has no rows, ``is_index_available`` false and a note saying the index is unavailable.
    """
    notes: list[str] = []
    where = _where(session, args, notes)
    if where is None:
        return _result(args, [], notes)
    try:
        found = (vectors or _vectors_for(session)).query(
            args.kind, args.query, where=where, limit=args.limit
        )
    except Exception as exc:  # any failure of Chroma or the model: answer, don't crash
        _forget(vectors)
        note = f"Semantic search: {UNAVAILABLE} ({_reason(exc)}); structured questions still work."
        return _result(args, [], [*notes, note], available=False)
    close = [(record_id, score) for record_id, score in found if score >= args.min_score]
    if weak := len(found) - len(close):
        notes.append(f"{weak} weaker matches (similarity under {args.min_score}) were left out.")
    rows, record_ids = _rows(session, args.kind, close)
    if missing := len(close) - len(rows):
        notes.append(f"{missing} indexed records are no longer in the database; re-run ingest.")
    if not rows:
        how = "closely enough" if weak else "these filters"
        notes.append(f"No {args.kind.replace('_', ' ')} match {how}.")
    refs, systems = sources_of(session, record_ids)
    by_record = _ref_map(session, record_ids)
    for row, record_id in zip(rows, record_ids, strict=True):
        row.source = by_record.get(record_id) if record_id is not None else None
    return _result(args, rows, notes, refs=refs, systems=systems)


def _result(
    args: SearchTextArgs,
    rows: list[Hit],
    notes: list[str],
    *,
    refs: list[str] | None = None,
    systems: list[str] | None = None,
    available: bool = True,
) -> SearchTextResult:
    return SearchTextResult(
        query=args.query, kind=args.kind, rows=rows, count=len(rows), sources=refs or [],
        systems=systems or [], notes=notes, is_index_available=available,
    )  # fmt: skip


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{exc.__class__.__name__}: {text}"[:200] if text else exc.__class__.__name__


# --- filters -----------------------------------------------------------------------------------


def _where(session: Session, args: SearchTextArgs, notes: list[str]) -> dict[str, Any] | None:
    """The Chroma metadata filter; None when a filter names something the data does not hold."""
    clauses: list[dict[str, Any]] = []
    wanted = {
        "school": (args.school, _school_names),
        "model": (args.model, _model_names),
        "category": (args.category, _category_names),
        "system": (args.system, _system_names),
        "vendor": (args.vendor, _vendor_names),
    }
    for key, (value, resolve) in wanted.items():
        if not value:
            continue
        names = resolve(session, args.kind, value)
        if not names:
            notes.append(f'No {key} named "{value}" is in the data.')
            return None
        clauses.append({key: {"$in": names}})
    if args.start:
        clauses.append({"date_int": {"$gte": _day_number(args.start)}})
    if args.end:
        clauses.append({"date_int": {"$lte": _day_number(args.end)}})
    if len(clauses) > 1:
        return {"$and": clauses}
    return clauses[0] if clauses else {}


def _day_number(day: dt.date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def _school_names(session: Session, _kind: str, school: str) -> list[str]:
    """Schools by name, alias or acronym, else every school whose name holds the words ("Lincoln")."""
    ids = school_ids(session, school)
    if ids:
        return list(session.scalars(select(Location.name).where(Location.id.in_(ids))))
    words = " ".join(school.lower().split())
    names = session.scalars(select(Location.name))
    return [name for name in names if words and f" {words} " in f" {name.lower()} "]


def _model_names(session: Session, _kind: str, model: str) -> list[str]:
    """Device models holding every word given, in any order ("300e", "dell 3100")."""
    words = model.lower().split()
    return [
        name for name in _distinct(session, Device.model) if all(w in name.lower() for w in words)
    ]


def _category_names(session: Session, _kind: str, category: str) -> list[str]:
    stored = _distinct(session, Ticket.category)
    hits = [name for name in stored if name.strip().lower() == category.strip().lower()]
    return hits or _fuzzy(category, stored, cutoff=85.0)


def _system_names(session: Session, kind: str, system: str) -> list[str]:
    column = Ticket.system if kind == "tickets" else SourceRecord.system
    wanted = _system_key(system)
    return [name for name in _distinct(session, column) if _system_key(name) == wanted]


def _system_key(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def _vendor_names(session: Session, kind: str, vendor: str) -> list[str]:
    """Vendors close to the name given; for tickets, device makers."""
    column = Device.manufacturer if kind == "tickets" else Vendor.name
    stored = _distinct(session, column)
    exact = [name for name in stored if name.strip().lower() == vendor.strip().lower()]
    return exact or _fuzzy(vendor, stored)


def _distinct(session: Session, column: Any) -> list[str]:
    """The distinct non-empty values of a text column."""
    return [value for value in session.scalars(select(column).distinct()) if value]


def _fuzzy(value: str, choices: list[str], cutoff: float = 80.0) -> list[str]:
    matches = process.extract(value, choices, scorer=fuzz.WRatio, score_cutoff=cutoff, limit=None)
    return [match for match, _, _ in matches]


# --- rows --------------------------------------------------------------------------------------


def _rows(
    session: Session, kind: str, found: list[tuple[str, float]]
) -> tuple[list[Hit], list[int | None]]:
    """The SQL rows of the hits, in the hits' order, with each row's source record id."""
    scores = {int(record_id): score for record_id, score in found if record_id.isdigit()}
    if not scores:
        return [], []
    built = _BUILDERS[kind](session, list(scores))
    rows: list[Hit] = []
    record_ids: list[int | None] = []
    for record_id, score in scores.items():
        if record_id in built:
            hit, source_record_id = built[record_id]
            hit.score = round(score, 4)
            rows.append(hit)
            record_ids.append(source_record_id)
    return rows, record_ids


def _same_names(record: Any, hit: type[TextHit], given: dict[str, Any]) -> dict[str, Any]:
    """The hit's fields the SQL row has under the same name, plus those given."""
    names = [n for n in hit.model_fields if n not in given and n not in {"kind", "source"}]
    return {**{n: getattr(record, n) for n in names if hasattr(record, n)}, **given}


def _ticket_hits(session: Session, ids: list[int]) -> dict[int, tuple[Hit, int | None]]:
    query = (
        select(Ticket, Location.name, Device.model)
        .outerjoin(Location, Location.id == Ticket.location_id)
        .outerjoin(Device, Device.id == Ticket.device_id)
        .where(Ticket.id.in_(ids))
    )
    hits: dict[int, tuple[Hit, int | None]] = {}
    for t, school, model in session.execute(query):
        day = t.opened_at.date() if t.opened_at else None
        fields = _same_names(
            t, TicketHit, {"score": 0.0, "date": day, "school": school, "model": model}
        )
        hits[t.id] = (TicketHit(**fields), t.source_record_id)
    return hits


def _contract_hits(session: Session, ids: list[int]) -> dict[int, tuple[Hit, int | None]]:
    query = (
        select(Contract, Vendor.name)
        .join(Vendor, Vendor.id == Contract.vendor_id)
        .where(Contract.id.in_(ids))
    )
    hits: dict[int, tuple[Hit, int | None]] = {}
    for c, vendor in session.execute(query):
        fields = _same_names(
            c, ContractHit, {"score": 0.0, "date": c.renewal_date, "vendor": vendor}
        )
        hits[c.id] = (ContractHit(**fields), c.source_record_id)
    return hits


def _app_request_hits(session: Session, ids: list[int]) -> dict[int, tuple[Hit, int | None]]:
    query = (
        select(AppRequest, Location.name, Vendor.name)
        .outerjoin(Location, Location.id == AppRequest.location_id)
        .outerjoin(Vendor, Vendor.id == AppRequest.vendor_id)
        .where(AppRequest.id.in_(ids))
    )
    hits: dict[int, tuple[Hit, int | None]] = {}
    for r, school, vendor in session.execute(query):
        given = {"score": 0.0, "date": r.request_date, "school": school, "vendor": vendor}
        hits[r.id] = (AppRequestHit(**_same_names(r, AppRequestHit, given)), r.source_record_id)
    return hits


_BUILDERS = {
    "tickets": _ticket_hits,
    "contracts": _contract_hits,
    "app_requests": _app_request_hits,
}


def _ref_map(session: Session, record_ids: list[int | None]) -> dict[int, str]:
    wanted = [i for i in record_ids if i is not None]
    query = select(SourceRecord.id, SourceRecord.file, SourceRecord.row)
    found = session.execute(query.where(SourceRecord.id.in_(wanted)))
    return {record_id: f"{file}:{row}" for record_id, file, row in found}


# --- the vector store behind the tool ------------------------------------------------------------


def _vectors_for(session: Session) -> Vectors:
    """The vector store the app synced into the store's settings, else ``chroma/`` beside SQLite.

    Raises:
        StoreError: no vector store is configured, or none has been made yet.
    """
    from ingest.errors import StoreError
    from ingest.vectors import open_vectors

    where = district_setting(session, VECTOR_STORE_SETTING, None) or {}
    host, port = where.get("host"), int(where.get("port") or 8000)
    path = where.get("path")
    url = session.get_bind().engine.url
    if not host and not path and url.get_backend_name() == "sqlite" and url.database:
        path = str(Path(url.database).parent / "chroma")
    if not host and not (path and Path(path).is_dir()):
        raise StoreError("no vector store has been made yet; run ingest")
    key = (path, host, port)
    with _opened_lock:
        if key not in _opened:
            _opened[key] = open_vectors(Path(path) if path else None, host, port)
        return _opened[key]


def _forget(vectors: Vectors | None) -> None:
    """Drop cached stores after a failure, so the next search opens them afresh."""
    if vectors is None:
        with _opened_lock:
            _opened.clear()


# The question asks what records say, or what they are about: free-text search.
_WORDING = re.compile(r"\b(mention\w*|describ\w*|talk(s|ing)? about|that says?|contain\w*"
                      r"|with the words?|search|find \w+ \w+ about|(tickets?|requests?|notes?) where"
                      r")\b")  # fmt: skip
_TOPIC = re.compile(r"\b(about a|about the|(tickets?|requests?|notes?) (about|regarding))\b")


def _text_query(slots: Mapping[str, Any], question: str) -> dict[str, Any]:
    """What a free-text search looks for (the question), and in which kind of record."""
    text = question.lower()
    kind = "tickets"
    if "contract" in text or "subscription" in text:
        kind = "contracts"
    elif "request" in text or re.search(r"\bapps?\b", text):
        kind = "app_requests"
    return {"query": question.strip(), "kind": kind}


TOOLS = (
    ToolSpec(
        name="search_text",
        measures=("list",),
        cues=(Cue("asks_wording", _WORDING, group="text"), Cue("asks_topic", _TOPIC, group="text")),
        reads=(("category", "ticket_category"),),
        refine=_text_query,
        func=search_text,
        args_model=SearchTextArgs,
        description=(
            "Semantic search over free text: ticket subjects and descriptions, contract notes, "
            'app request notes. Finds records by meaning ("kid spilled juice on it" finds '
            "liquid damage), optionally only at one school, in a date window, for a device model, "
            "ticket category, source system or vendor. Returns the records with a similarity score."
        ),
        examples=(
            "water damage tickets at Lincoln this school year",
            "contracts that mention data privacy",
            "requests about reading intervention",
            "tickets where a student spilled something on a Chromebook",
            "which contracts auto-renew unless cancelled?",
            "find tickets that talk about a burning smell",
            "tickets mentioning the projector bulb",
            "any tickets describing a dog chewing a charger?",
            "search app requests for math practice",
            "contract notes about price increases",
        ),
        domain="search",
        keywords=(
            "mention",
            "spill",
            "describ",
            "says",
            "said",
            "wording",
            "talk about",
            "contain",
        ),
        default_window=None,
        sensitive_when=lambda args: args.get("kind") == "contracts",
    ),
)
