"""Indexing free text into the vector store, incrementally, from the SQL tables.

Three kinds of text, one Chroma collection each: ticket subjects and descriptions, contract notes,
app request notes. A record's id is its SQL row id; its metadata holds the filters the search tool
uses (school, date, model, category, system, vendor) and the SHA-256 of the text it was made from.
Re-indexing compares those hashes with SQL: unchanged text embeds nothing, changed text replaces
its vector, changed filters only update metadata, and rows gone from SQL are deleted from Chroma.
A run that stops half-way leaves what it finished, and the next run picks up the rest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import Executable

from ingest.db import Store
from ingest.schema import AppRequest, Contract, Device, Location, SourceRecord, Ticket, Vendor
from ingest.vectors import KINDS, Vectors

ProgressCallback = Callable[[str, int, int], None]
"""Called as ``progress(kind, texts_embedded_so_far, texts_to_embed)``."""

META_KEYS = ("school", "date", "date_int", "model", "category", "system", "vendor")
HASH_KEY = "text_sha"
EMBED_CHUNK = 512  # texts embedded and written to Chroma at a time
READ_PAGE = 5000  # records read back from Chroma at a time

Meta = dict[str, str | int | None]


@dataclass
class KindReport:
    """What indexing did to one collection."""

    kind: str
    total: int = 0
    embedded: int = 0  # records given a new vector
    distinct: int = 0  # distinct texts the model ran on (identical texts are embedded once)
    metadata_updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    rebuilt: bool = False


@dataclass
class IndexReport:
    """What one indexing run did, per kind, and how long it took."""

    kinds: list[KindReport] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def embedded(self) -> int:
        """Texts embedded in this run, all kinds together."""
        return sum(k.embedded for k in self.kinds)

    @property
    def distinct(self) -> int:
        """Distinct texts the model ran on in this run, all kinds together."""
        return sum(k.distinct for k in self.kinds)

    @property
    def deleted(self) -> int:
        """Records removed because their SQL row (or its text) is gone."""
        return sum(k.deleted for k in self.kinds)


def text_hash(text: str) -> str:
    """The content hash stored with each vector (first 32 hex digits of SHA-256)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def index_store(
    store: Store,
    vectors: Vectors,
    *,
    progress: ProgressCallback | None = None,
    kinds: tuple[str, ...] = KINDS,
) -> IndexReport:
    """Bring every collection in line with the SQL tables; embed only new or changed text.

    Args:
        store: The SQL store (read through a read-only session).
        vectors: The vector store and embedding function (``ingest.vectors.open_vectors``).
        progress: Called after each chunk of texts embedded (see ``RichProgress``).
        kinds: Which kinds of text to index.

    Returns:
        Counts per kind: embedded, metadata updated, deleted, unchanged, rebuilt.

    Raises:
        StoreError: the vector store or the embedding model is not usable.
    """
    started = time.perf_counter()
    report = IndexReport()
    for kind in kinds:
        report.kinds.append(_index_kind(store, vectors, kind, progress))
    report.seconds = time.perf_counter() - started
    return report


def _index_kind(
    store: Store, vectors: Vectors, kind: str, progress: ProgressCallback | None
) -> KindReport:
    collection, rebuilt = vectors.collection(kind)
    report = KindReport(kind=kind, rebuilt=rebuilt)
    known = {} if rebuilt else _indexed(collection)
    to_embed: list[tuple[str, str, Meta]] = []
    to_update: list[tuple[str, Meta]] = []
    with store.read_session() as session:
        for record_id, text, meta in ROWS[kind](session):
            if not text:
                continue
            report.total += 1
            sha = text_hash(text)
            before = known.pop(record_id, None)
            if before is None or before[0] != sha:
                to_embed.append((record_id, text, {**meta, HASH_KEY: sha}))
            elif before[1] != _present(meta):
                to_update.append((record_id, {**meta, HASH_KEY: sha}))
            else:
                report.unchanged += 1
    batch = vectors.client.get_max_batch_size()
    gone = list(known)
    for start in range(0, len(gone), batch):
        collection.delete(ids=gone[start : start + batch])
    report.deleted = len(gone)
    for start in range(0, len(to_update), batch):
        chunk = to_update[start : start + batch]
        collection.update(ids=[i for i, _ in chunk], metadatas=[m for _, m in chunk])
    report.metadata_updated = len(to_update)
    report.distinct = _embed_all(collection, vectors, kind, to_embed, progress)
    report.embedded = len(to_embed)
    return report


def _embed_all(
    collection: Any,
    vectors: Vectors,
    kind: str,
    items: list[tuple[str, str, Meta]],
    progress: ProgressCallback | None,
) -> int:
    """Embed each distinct text once and upsert every record holding it; returns texts embedded.

    Help desks repeat themselves ("Screen cracked", a template's description), so records are
    grouped by text first. Chunks of distinct texts are embedded and written in turn, so a long
    run shows progress, keeps what it finished, and can be searched while it goes on.
    """
    holders: dict[str, list[int]] = {}
    for n, (_, text, _) in enumerate(items):
        holders.setdefault(text, []).append(n)
    distinct = list(holders)
    if progress and items:
        progress(kind, 0, len(items))
    batch = vectors.client.get_max_batch_size()
    done = 0
    for start in range(0, len(distinct), EMBED_CHUNK):
        texts = distinct[start : start + EMBED_CHUNK]
        rows = [
            (items[n][0], vector, items[n][2])
            for text, vector in zip(texts, vectors.embed(texts), strict=True)
            for n in holders[text]
        ]
        for first in range(0, len(rows), batch):
            part = rows[first : first + batch]
            collection.upsert(
                ids=[i for i, _, _ in part],
                embeddings=[v for _, v, _ in part],
                metadatas=[m for _, _, m in part],
            )
        done += len(rows)
        if progress:
            progress(kind, done, len(items))
    return len(distinct)


def _indexed(collection: Any) -> dict[str, tuple[str, Meta]]:
    """Every record already in the collection: id -> (text hash, filter metadata)."""
    found: dict[str, tuple[str, Meta]] = {}
    offset = 0
    while True:
        page = collection.get(include=["metadatas"], limit=READ_PAGE, offset=offset)
        for record_id, meta in zip(page["ids"], page["metadatas"] or [], strict=True):
            meta = dict(meta or {})
            found[record_id] = (str(meta.pop(HASH_KEY, "")), _present(meta))
        if len(page["ids"]) < READ_PAGE:
            return found
        offset += READ_PAGE


def _present(meta: Meta) -> Meta:
    """The metadata as Chroma keeps it: keys with no value are absent."""
    return {k: v for k, v in meta.items() if v is not None and k in META_KEYS}


def _meta(
    *,
    school: str | None = None,
    day: dt.date | dt.datetime | None = None,
    model: str | None = None,
    category: str | None = None,
    system: str | None = None,
    vendor: str | None = None,
) -> Meta:
    """Filter metadata: every key present (None removes a stale value on update)."""
    if isinstance(day, dt.datetime):
        day = day.date()
    return {
        "school": school,
        "date": day.isoformat() if day else None,
        "date_int": day.year * 10000 + day.month * 100 + day.day if day else None,
        "model": model,
        "category": category,
        "system": system,
        "vendor": vendor,
    }


def _join_text(*parts: str | None) -> str:
    return "\n".join(p.strip() for p in parts if p and p.strip())


def _stream(session: Session, query: Executable) -> Iterator[Any]:
    yield from session.execute(query.execution_options(yield_per=READ_PAGE))


def ticket_rows(session: Session) -> Iterator[tuple[str, str, Meta]]:
    """(id, subject + description, filters) of every ticket; vendor is the device's maker."""
    query = (
        select(
            Ticket.id,
            Ticket.subject,
            Ticket.description,
            Ticket.opened_at,
            Ticket.category,
            Ticket.system,
            Location.name,
            Device.model,
            Device.manufacturer,
        )
        .outerjoin(Location, Location.id == Ticket.location_id)
        .outerjoin(Device, Device.id == Ticket.device_id)
        .order_by(Ticket.id)
    )
    for row in _stream(session, query):
        text = _join_text(row.subject, row.description)
        meta = _meta(school=row.name, day=row.opened_at, model=row.model,
                     category=row.category, system=row.system, vendor=row.manufacturer)  # fmt: skip
        yield str(row.id), text, meta


def contract_rows(session: Session) -> Iterator[tuple[str, str, Meta]]:
    """(id, vendor, product and notes, filters) of every contract; its date is the renewal."""
    query = (
        select(
            Contract.id,
            Contract.product,
            Contract.notes,
            Contract.renewal_date,
            Vendor.name,
            SourceRecord.system,
        )
        .join(Vendor, Vendor.id == Contract.vendor_id)
        .outerjoin(SourceRecord, SourceRecord.id == Contract.source_record_id)
        .order_by(Contract.id)
    )
    for row in _stream(session, query):
        text = _join_text(f"{row.name}: {row.product}", row.notes)
        meta = _meta(day=row.renewal_date, system=row.system, vendor=row.name)
        yield str(row.id), text, meta


def app_request_rows(session: Session) -> Iterator[tuple[str, str, Meta]]:
    """(id, product and notes, filters) of every app request; its date is the request date."""
    vendor = aliased(Vendor)
    query = (
        select(
            AppRequest.id,
            AppRequest.product,
            AppRequest.notes,
            AppRequest.request_date,
            Location.name,
            vendor.name.label("vendor"),
            SourceRecord.system,
        )
        .outerjoin(Location, Location.id == AppRequest.location_id)
        .outerjoin(vendor, vendor.id == AppRequest.vendor_id)
        .outerjoin(SourceRecord, SourceRecord.id == AppRequest.source_record_id)
        .order_by(AppRequest.id)
    )
    for row in _stream(session, query):
        text = _join_text(row.product, row.notes)
        meta = _meta(school=row.name, day=row.request_date, system=row.system, vendor=row.vendor)
        yield str(row.id), text, meta


ROWS: dict[str, Callable[[Session], Iterator[tuple[str, str, Meta]]]] = {
    "tickets": ticket_rows,
    "contracts": contract_rows,
    "app_requests": app_request_rows,
}


class RichProgress:
    """A progress bar on stderr for long runs: ``with RichProgress() as p: index_store(..., progress=p)``.

    Kinds with fewer than ``min_texts`` texts to embed show no bar (a re-index that embeds a few
    changed tickets stays quiet).
    """

    def __init__(self, min_texts: int = 200) -> None:
        self.min_texts = min_texts
        self._bar: Any = None
        self._tasks: dict[str, Any] = {}

    def __enter__(self) -> RichProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def __call__(self, kind: str, done: int, total: int) -> None:
        """Advance the bar of ``kind`` (made on first call when the run is long enough)."""
        if total < self.min_texts:
            return
        if self._bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

            self._bar = Progress(
                "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                TimeRemainingColumn(), console=Console(stderr=True),
            )  # fmt: skip
            self._bar.start()
        if kind not in self._tasks:
            self._tasks[kind] = self._bar.add_task(f"embedding {kind}", total=total)
        self._bar.update(self._tasks[kind], completed=done)
