"""The ingest pipeline: read -> map columns -> parse values -> resolve -> upsert, one transaction a file.

``ingest_paths`` is the single entry point the CLI, the demo and the tests use. A file loads
whole or not at all; a file whose exact content was loaded before is skipped, so re-loading is a
no-op; a row that cannot be loaded is listed with its row, column and reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ingest import parse
from ingest.db import Store
from ingest.errors import UnreadableFile
from ingest.fields import FIELDS
from ingest.files import SUFFIXES, Table, find_header_row, make_table, read_grid
from ingest.schema import IngestFile, Reject, SourceRecord
from ingest.sources import Plan, header_vocabulary, plan_file
from ingest.sources.base import ColumnMapping
from ingest.writers import WRITERS, LoadOptions, Parsed, WriteResult

# Load order inside one run, so tickets find their devices and devices their owners.
TYPE_ORDER = ["location", "person", "device", "ticket", "contract", "purchase", "app_request"]
PARSERS: dict[str, Callable[[object], Any]] = {
    "text": parse.normalize_text,
    "date": parse.parse_date,
    "datetime": parse.parse_datetime,
    "money": parse.parse_money,
    "bool": parse.parse_bool,
    "int": parse.parse_int,
    "days": parse.parse_days,
    "months": parse.parse_months,
    "serial": parse.normalize_serial,
}
NOTE_PREFIXES = ("total", "subtotal", "grand total", "*", "note", "notes:", "updated by")


@dataclass
class RejectInfo:
    """One rejected row, or one cell that was dropped from a row that still loaded."""

    row: int
    column: str | None
    value: str | None
    reason: str
    row_rejected: bool = True


@dataclass
class FileReport:
    """What happened to one file."""

    path: str
    status: str  # loaded | unchanged | unreadable | planned
    system: str = ""
    record_type: str = ""
    decided: str = ""
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    skipped_notes: int = 0
    rejects: list[RejectInfo] = field(default_factory=list)
    columns: list[ColumnMapping] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True unless the file could not be read at all."""
        return self.status != "unreadable"


@dataclass
class Mapping:
    """A mapping.yaml: settles what the generic reader finds ambiguous, per file name or for all."""

    record_type: str | None = None
    columns: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def from_file(cls, path: Path) -> Mapping:
        """Read ``record_type:`` and ``columns: {header: field or null}`` from YAML."""
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise UnreadableFile(str(path), "a mapping file must be a YAML mapping")
        columns = data.get("columns") or {}
        return cls(record_type=data.get("record_type"), columns=dict(columns))


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files given, with folders walked for every supported file (hidden files skipped)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in SUFFIXES
                and not p.name.startswith((".", "~$"))
            )
        else:
            found.append(path)
    return found


def ingest_paths(
    paths: Iterable[Path],
    store: Store,
    *,
    source: str | None = None,
    mapping: Mapping | None = None,
    options: LoadOptions | None = None,
    dry_run: bool = False,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> list[FileReport]:
    """Load every file (folders are walked); one report per file, in the order they loaded."""
    options = options or LoadOptions()
    prepared = [_prepare(path, source, mapping) for path in expand_paths(paths)]
    prepared.sort(key=lambda item: _type_rank(item[1]))
    reports = []
    for path, plan, table, error in prepared:
        if error is not None or plan is None or table is None:
            reports.append(FileReport(str(path), "unreadable", error=error))
            continue
        if dry_run:
            reports.append(_planned(path, plan, table))
            continue
        reports.append(_load_file(path, plan, table, store, options, on_progress))
    return reports


def _type_rank(plan: Plan | None) -> int:
    kind = plan.record_type if plan else ""
    return TYPE_ORDER.index(kind) if kind in TYPE_ORDER else len(TYPE_ORDER)


def _prepare(
    path: Path, source: str | None, mapping: Mapping | None
) -> tuple[Path, Plan | None, Table | None, str | None]:
    try:
        table = read_table(path)
        plan = plan_file(
            table.headers,
            source=source,
            record_type=mapping.record_type if mapping else None,
            overrides=mapping.columns if mapping else None,
        )
    except UnreadableFile as exc:
        return path, None, None, exc.reason
    except ValueError as exc:
        return path, None, None, str(exc)
    if plan.record_type == "unknown":
        reason = "cannot tell what this file holds from its headers; give --source or --mapping"
        return path, None, None, reason
    return path, plan, table, None


def read_table(path: Path) -> Table:
    """Read a file and find its header row (not always the first in hand-made sheets)."""
    grid, encoding = read_grid(path)
    if not grid:
        raise UnreadableFile(str(path), "the file has no rows")
    header_index = find_header_row(grid, header_vocabulary())
    table = make_table(path, grid, header_index, encoding)
    if not table.rows:
        raise UnreadableFile(str(path), "the file has a header but no data rows")
    return table


def _planned(path: Path, plan: Plan, table: Table) -> FileReport:
    return FileReport(
        str(path),
        "planned",
        system=plan.system,
        record_type=plan.record_type,
        decided=plan.decided,
        rows_read=len(table.rows),
        columns=plan.columns,
    )


def _load_file(
    path: Path,
    plan: Plan,
    table: Table,
    store: Store,
    options: LoadOptions,
    on_progress: Callable[[str, int, int], None] | None,
) -> FileReport:
    report = _planned(path, plan, table)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with store.session() as session:
        if session.scalar(select(IngestFile.id).where(IngestFile.sha256 == digest)):
            report.status = "unchanged"
            report.unchanged = len(table.rows)
            return report
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        file_row = IngestFile(
            path=str(path), name=path.name, sha256=digest, system=plan.system,
            record_type=plan.record_type, loaded_at=now,
        )  # fmt: skip
        session.add(file_row)
        session.flush()
        parsed = list(_parse_rows(table, plan, report))
        _store_source_records(session, file_row.id, path.name, plan.system, parsed, now)
        writer = WRITERS[plan.record_type]
        result: WriteResult = writer(session, parsed, plan.system, file_row.id, options)
        _finish(session, report, file_row, result)
        if on_progress:
            on_progress(path.name, len(parsed), len(table.rows))
    report.status = "loaded"
    return report


def _finish(
    session: Session, report: FileReport, file_row: IngestFile, result: WriteResult
) -> None:
    report.inserted, report.updated, report.unchanged = (
        result.inserted,
        result.updated,
        result.unchanged,
    )
    report.rejects += [RejectInfo(r, c, v, why) for r, c, v, why in result.rejects]
    report.rejected = len({r.row for r in report.rejects if r.row_rejected})
    file_row.rows_read = report.rows_read
    file_row.inserted, file_row.updated = report.inserted, report.updated
    file_row.rejected = report.rejected
    if report.rejects:
        session.execute(
            insert(Reject),
            [
                {
                    "ingest_file_id": file_row.id,
                    "file": Path(report.path).name,
                    "row": r.row,
                    "column": r.column,
                    "value": r.value,
                    "reason": r.reason,
                    "is_row_rejected": r.row_rejected,
                }
                for r in report.rejects
            ],
        )


def _parse_rows(table: Table, plan: Plan, report: FileReport) -> Iterator[Parsed]:
    """Each data row as canonical values; bad cells are dropped with a reason, bad rows rejected."""
    placed = [(i, m) for i, m in enumerate(plan.columns) if m.field]
    kinds = _field_kinds(plan)
    required = [n for n, spec in FIELDS.get(plan.record_type, {}).items() if spec.required]
    for row_number, cells in table.rows:
        if _is_note_row(cells):
            report.skipped_notes += 1
            continue
        values: dict[str, Any] = {}
        problems: list[RejectInfo] = []
        for index, mapping in placed:
            assert mapping.field is not None
            cell = cells[index] if index < len(cells) else None
            try:
                values[mapping.field] = PARSERS[kinds.get(mapping.field, "text")](cell)
            except ValueError as exc:
                problems.append(
                    RejectInfo(row_number, mapping.header, _show(cell), str(exc), False)
                )
        if plan.source and plan.source.transform:
            values = plan.source.transform(values)
        missing = [name for name in required if values.get(name) in (None, "")]
        fatal = [p for p in problems if _field_of(plan, p.column) in required]
        if missing or fatal:
            report.rejects += _row_reject(row_number, plan, missing, fatal)
            continue
        report.rejects += problems
        raw = {h: _jsonable(c) for h, c in zip(table.headers, cells, strict=False) if h}
        yield Parsed(row=row_number, values=values, raw=raw)


def _row_reject(
    row: int, plan: Plan, missing: list[str], fatal: list[RejectInfo]
) -> list[RejectInfo]:
    if fatal:
        return [RejectInfo(p.row, p.column, p.value, p.reason, True) for p in fatal]
    header = next((m.header for m in plan.columns if m.field == missing[0]), missing[0])
    return [RejectInfo(row, header, None, f"{missing[0].replace('_', ' ')} is blank", True)]


def _field_of(plan: Plan, header: str | None) -> str | None:
    return next((m.field for m in plan.columns if m.header == header), None)


def _field_kinds(plan: Plan) -> dict[str, str]:
    kinds = {name: spec.kind for name, spec in FIELDS.get(plan.record_type, {}).items()}
    kinds.update(aue_epoch_ms="date", last_sync="datetime", started_at="datetime")
    kinds.update(updated_at="datetime", warranty_months="int", eol_date="date")
    kinds.update(retired_date="date", deployed_date="date")
    return kinds


def _is_note_row(cells: list[Any]) -> bool:
    """Totals, footnotes and 'updated by' lines in hand-made sheets are not records."""
    filled = [str(c).strip() for c in cells if c is not None and str(c).strip()]
    if not filled:
        return True
    return filled[0].lower().startswith(NOTE_PREFIXES)


def _store_source_records(
    session: Session, file_id: int, name: str, system: str, parsed: list[Parsed], now: dt.datetime
) -> None:
    """One source record per loaded row; their ids go back onto the parsed rows."""
    if not parsed:
        return
    rows = [
        {"ingest_file_id": file_id, "system": system, "file": name, "row": p.row, "raw": p.raw,
         "ingested_at": now}
        for p in parsed
    ]  # fmt: skip
    statement = insert(SourceRecord).returning(SourceRecord.id, sort_by_parameter_order=True)
    ids = session.scalars(statement, rows).all()
    for item, record_id in zip(parsed, ids, strict=True):
        item.source_record_id = record_id


def _show(cell: Any) -> str | None:
    return None if cell is None else str(cell)[:200]


def _jsonable(cell: Any) -> Any:
    if cell is None or isinstance(cell, str | int | bool):
        return cell
    if isinstance(cell, float):
        return None if cell != cell else cell
    if isinstance(cell, dt.date | dt.datetime | dt.time):
        return cell.isoformat()
    if isinstance(cell, Decimal):
        return str(cell)
    return str(cell)
