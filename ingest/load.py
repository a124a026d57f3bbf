"""The ingest pipeline: read -> map columns -> parse values -> resolve -> upsert, one transaction a file.

``ingest_paths`` is the single entry point the CLI, the demo and the tests use. A file loads
whole or not at all; a file whose exact content was loaded before is skipped, so re-loading is a
no-op; a row that cannot be loaded is listed with its row, column and reason.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager, nullcontext
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any

import orjson
import yaml
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from ingest import parse
from ingest.bounds import with_bounds
from ingest.column_match import SAMPLE_ROWS
from ingest.db import Store, insert_columns, reserve_ids
from ingest.errors import UnreadableFile
from ingest.fields import FIELDS, ROW_KEYS
from ingest.files import SUFFIXES, Table, read_grid, sha256_file, split_header
from ingest.indexes import defer_indexes, rebuild_indexes
from ingest.lock import DEFAULT_TIMEOUT_SECONDS as DEFAULT_LOCK_TIMEOUT
from ingest.lock import ingest_lock
from ingest.needs import MissingField, mapping_text, missing_fields, write_mapping_beside
from ingest.parse_worker import ParsingProcess
from ingest.runs import RunRecord, recorded_run
from ingest.saved_mappings import find_mapping, remember_mapping
from ingest.schema import IngestFile, Reject, SourceRecord
from ingest.sources import Plan, header_vocabulary, plan_file
from ingest.sources.base import ColumnMapping
from ingest.writers import PREPARE, WRITERS, LoadOptions, Parsed, WriteContext

# Load order inside one run, so tickets find their devices and devices their owners.
TYPE_ORDER = [
    "location", "person", "device", "ticket", "contract", "purchase", "app_request", "license"
]  # fmt: skip


_UNTIDY = re.compile("  |[\n\r\t\xa0\u200b\ufeff]")


def _fast_text(value: object) -> str | None:
    """Most cells are already clean text; only the others go through normalize_text."""
    if type(value) is str:
        text = value.strip()
        if not text:
            return None
        if _UNTIDY.search(text) is None:
            return text
    return parse.normalize_text(value)


def _fast_datetime(value: object) -> dt.datetime | None:
    """ISO timestamps (most help desk exports) skip the general date parser."""
    if type(value) is str and len(value) >= 16 and value[4] == "-" and value[10] in "T ":
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return parse.parse_datetime(value)
        if moment.tzinfo is None and 1980 <= moment.year <= 2100:
            return moment
    return parse.parse_datetime(value)


PARSERS: dict[str, Callable[[object], Any]] = {
    "text": _fast_text,
    "date": parse.parse_date,
    "datetime": _fast_datetime,
    "money": parse.parse_money,
    "bool": parse.parse_bool,
    "int": parse.parse_int,
    "days": parse.parse_days,
    "months": parse.parse_months,
    "serial": parse.normalize_serial,
}
CHUNK = 20_000
_BLANK = (None, "")
_NO_BAD: dict[str, Any] = {}
# A first cell starting like this cannot open a note row (see NOTE_PREFIXES): skip the check.
_PLAIN_START = re.compile(r"[^\s*tsgnuTSGNU]")
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
    # Fields the record type's answers need that no column provided (``ingest/needs.py``).
    missing: list[MissingField] = field(default_factory=list)
    mapping_written: str | None = None  # the ready-to-edit mapping.yaml written beside the file

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
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> list[FileReport]:
    """Load every file (folders are walked); one report per file, in the order they loaded.

    A load holds the database's ingest lock (``ingest/lock.py``): a second ingest waits up to
    ``lock_timeout`` seconds, then raises ``IngestBusy``. A dry run writes nothing and takes none.
    """
    options = options or LoadOptions()
    files = expand_paths(paths)
    with (
        nullcontext() if dry_run else ingest_lock(store, lock_timeout),
        closing(ParsingProcess()) as parsing,
    ):
        if not dry_run and any(_in_worker(path, options) for path in files):
            parsing.start()  # its imports overlap the planning in _ingest_paths
        with recorded_run(store, 0 if dry_run else len(files)) as run:
            return _ingest_paths(
                files, store, source, mapping, options, dry_run, on_progress, parsing, run
            )


def _ingest_paths(
    files: list[Path],
    store: Store,
    source: str | None,
    mapping: Mapping | None,
    options: LoadOptions,
    dry_run: bool,
    on_progress: Callable[[str, int, int], None] | None,
    parsing: ParsingProcess,
    run: RunRecord,
) -> list[FileReport]:
    prepared = [_prepare(path, source, mapping, store) for path in files]
    prepared.sort(key=lambda item: _type_rank(item[1]))
    reports = []
    for path, plan, head, error in prepared:
        if error is not None or plan is None or head is None:
            reports.append(FileReport(str(path), "unreadable", error=error))
            run.file_done()
            continue
        try:
            # Read again (only one file's rows are in memory at a time), unless the parsing
            # process will: then the header and encoding found when planning are all we need.
            table = head if not dry_run and _in_worker(path, options) else read_table(path)
            if dry_run:
                report = _planned(path, plan, table)
                report.rows_read = sum(1 for _ in table.rows)
                reports.append(report)
                continue
            reports.append(_load_file(path, plan, table, store, options, on_progress, parsing))
            if mapping is not None and reports[-1].status == "loaded":
                _remember(store, path, plan, table.headers)
        except UnreadableFile as exc:  # found past the header: its transaction was rolled back
            reports.append(FileReport(str(path), "unreadable", error=exc.reason))
        run.file_done()
    return reports


def _type_rank(plan: Plan | None) -> int:
    kind = plan.record_type if plan else ""
    return TYPE_ORDER.index(kind) if kind in TYPE_ORDER else len(TYPE_ORDER)


def _remember(store: Store, path: Path, plan: Plan, headers: list[str]) -> None:
    """A mapping given once is kept for the next export with the same headers."""
    columns = {c.header: c.field for c in plan.columns if str(c.header).strip()}
    with store.session() as session:
        remember_mapping(session, headers, plan.record_type, columns, path.name)


def _prepare(
    path: Path, source: str | None, mapping: Mapping | None, store: Store
) -> tuple[Path, Plan | None, Table | None, str | None]:
    """The file's plan, and its header and encoding (as a table with no rows), or why not.

    With no ``--source`` or ``--mapping``, a mapping remembered for the file's header set is used.
    """
    remembered_from = None
    try:
        table = read_table(path)
        sample = [cells for _, cells in islice(table.rows, SAMPLE_ROWS)]  # value evidence
        table.rows = iter(())  # only the header and a few rows were read; let the text go
        if mapping is None and source is None:
            with store.read_session() as session:
                found = find_mapping(session, table.headers)
            if found is not None:
                mapping = Mapping(record_type=found[0], columns=found[1])
                remembered_from = found[2] or "an earlier file"
        plan = plan_file(
            table.headers,
            source=source,
            record_type=mapping.record_type if mapping else None,
            overrides=mapping.columns if mapping else None,
            rows=sample,
            file_name=path.name,
        )
    except UnreadableFile as exc:
        return path, None, None, exc.reason
    except ValueError as exc:
        return path, None, None, str(exc)
    if remembered_from is not None:
        plan = replace(plan, decided=f"{plan.decided}, mapping remembered from {remembered_from}")
    if plan.record_type == "unknown" or not any(column.field for column in plan.columns):
        reason = "cannot tell what this file holds from its headers; give --source or --mapping"
        return path, None, None, reason
    return path, plan, table, None


def _in_worker(path: Path, options: LoadOptions) -> bool:
    """Large files are parsed in a second process, on machines with a second core."""
    return path.stat().st_size >= options.worker_min_bytes and (os.cpu_count() or 1) >= 2


def read_table(path: Path) -> Table:
    """Open a file and find its header row (not always the first in hand-made sheets)."""
    rows, encoding = read_grid(path)
    return split_header(path, rows, header_vocabulary(), encoding)


def _planned(path: Path, plan: Plan, table: Table) -> FileReport:
    return FileReport(
        str(path),
        "planned",
        system=plan.system,
        record_type=plan.record_type,
        decided=plan.decided,
        columns=plan.columns,
        missing=missing_fields(plan.record_type, plan.columns),
    )


def _load_file(
    path: Path,
    plan: Plan,
    table: Table,
    store: Store,
    options: LoadOptions,
    on_progress: Callable[[str, int, int], None] | None,
    parsing: ParsingProcess,
) -> FileReport:
    """Load one file in one transaction, chunk by chunk, so memory stays flat on large files."""
    report = _planned(path, plan, table)
    digest = sha256_file(path)
    with store.session() as session:
        if session.scalar(select(IngestFile.id).where(IngestFile.sha256 == digest)):
            report.status = "unchanged"
            rows = read_table(path).rows if _in_worker(path, options) else table.rows
            report.rows_read = report.unchanged = sum(1 for _ in rows)
            return report
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        file_row = IngestFile(
            path=str(path), name=path.name, sha256=digest, system=plan.system,
            record_type=plan.record_type, headers=table.headers, loaded_at=now,
        )  # fmt: skip
        session.add(file_row)
        session.flush()
        ctx = WriteContext(session, plan.system, file_row.id, options)
        writer = WRITERS[plan.record_type]
        deferred: list[str] = []
        with (
            _no_cycle_collection(),
            closing(_parsed_chunks(path, plan, table, report, options, parsing)) as chunks,
        ):
            for read, parsed in chunks:
                if not report.rows_read and (read == CHUNK or _in_worker(path, options)):
                    deferred = defer_indexes(session, plan.record_type)  # large: index at the end
                report.rows_read += read
                _store_source_records(session, file_row.id, path.name, plan.system, parsed, now)
                writer(ctx, parsed)
                if on_progress:
                    on_progress(path.name, report.rows_read, 0)
        # Before the writers finish: their summaries read the table and ANALYZE its indexes.
        rebuild_indexes(session, deferred)
        writer(ctx, [])  # the end of the file: writers finish what spans chunks
        _add_reader_rejects(report, table)
        _drop_rejected_records(session, file_row.id, ctx)
        file_row.missing = [asdict(m) for m in report.missing]
        _finish(session, report, file_row, ctx)
    report.status = "loaded"
    if report.missing:
        written = write_mapping_beside(
            path, mapping_text(plan.record_type, plan.columns, report.missing)
        )
        report.mapping_written = str(written) if written else None
    return report


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """No cyclic GC while a file loads: rows make no cycles, and each collection would walk
    every dict and tuple held for the file (a million keys), for a fifth of the CPU time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _parsed_chunks(
    path: Path,
    plan: Plan,
    table: Table,
    report: FileReport,
    options: LoadOptions,
    parsing: ParsingProcess | None = None,
) -> Iterator[tuple[int, list[Parsed]]]:
    """Rows read and rows to load, chunk by chunk; a large file is parsed in a second process.

    Parsing (reading cells, typing values, rejecting bad rows) needs no database, so on a
    machine with two cores it runs beside the writer: the worker parses chunk n+1 while this
    process writes chunk n. Results, rejects and their order are the same either way.
    """
    if not _in_worker(path, options):
        parser = RowParser(plan, report)
        for chunk in _chunks(table.rows, CHUNK):
            yield len(chunk), parser.parse(chunk)
        return
    table.rows = iter(())  # the worker reads the file itself
    with nullcontext(parsing) if parsing else closing(ParsingProcess()) as process:
        for item in process.parse(path, plan, table.encoding):
            if item[0] == "done":
                table.rejects = item[1]  # header notes and ragged rows, as its reader found them
                return
            if item[0] == "unreadable":
                raise UnreadableFile(item[1], item[2])
            if item[0] == "error":
                raise RuntimeError(f"parsing {path.name} failed: {item[1]}")
            read, rows, rejects, notes = item
            report.rejects += rejects
            report.skipped_notes += notes
            yield read, [Parsed(row, values, raw) for row, values, raw in rows]


def _add_reader_rejects(report: FileReport, table: Table) -> None:
    """Rows the reader refused (ragged rows) and its notes on the header, in row order."""
    if table.rejects:
        report.rejects += [RejectInfo(*reject) for reject in table.rejects]
        report.rejects.sort(key=lambda reject: reject.row)
        report.rows_read += sum(1 for reject in table.rejects if reject[4])


def _drop_rejected_records(session: Session, file_id: int, ctx: WriteContext) -> None:
    """Rows a writer refused (repeats, people with no email or id) keep no source record.

    Their source records were stored before the writer saw them; nothing refers to them, and a
    source record means a loaded row, so a rejected row has none, wherever it was refused.
    """
    rows = sorted({reject[0] for reject in ctx.result.rejects})
    for start in range(0, len(rows), 5000):
        session.execute(
            delete(SourceRecord).where(
                SourceRecord.ingest_file_id == file_id,
                SourceRecord.row.in_(rows[start : start + 5000]),
            )
        )


def _chunks(
    rows: Iterator[tuple[int, list[Any]]], size: int
) -> Iterator[list[tuple[int, list[Any]]]]:
    while chunk := list(islice(rows, size)):
        yield chunk


def _finish(session: Session, report: FileReport, file_row: IngestFile, ctx: WriteContext) -> None:
    result = ctx.result
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
    rows = [
        {"ingest_file_id": file_row.id, "file": Path(report.path).name, "row": r.row,
         "column": r.column, "value": r.value, "reason": r.reason,
         "is_row_rejected": r.row_rejected}
        for r in report.rejects
    ]  # fmt: skip
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(Reject.__table__), rows[start : start + CHUNK])


class _Bad:
    """A cell value that failed to parse, with the reason (cached like good values)."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


class RowParser:
    """Parses a chunk column by column; each distinct cell of a column is parsed once.

    Export columns repeat a few values (statuses, schools, dates) or are all distinct (ids,
    descriptions); either way the chunk is transposed in C (``zip``), a column's distinct text
    cells are parsed by the same per-cell parsers, and the results are mapped back in C
    (``map``). Columns holding other cell types (numbers and dates from workbooks, where
    ``1 == 1.0 == True`` would share a dict key) are parsed cell by cell. A loaded row's values
    then go through its record type's ``writers.PREPARE`` step, if any (the writer's work that
    needs no database), so that work too runs beside the writer on large files.
    """

    def __init__(self, plan: Plan, report: FileReport) -> None:
        self.plan = plan
        self.report = report
        self.placed = [(i, m.header, m.field) for i, m in enumerate(plan.columns) if m.field]
        self.placed = [(i, header, name) for i, header, name in self.placed if name]
        kinds = _field_kinds(plan)
        self.parsers = {f: PARSERS[kinds.get(f, "text")] for _, _, f in self.placed if f}
        self.parsers = with_bounds(plan.record_type, self.parsers)  # sane amounts, text that fits
        self.headers = {name: header for _, header, name in self.placed}
        self.required = [n for n, s in FIELDS.get(plan.record_type, {}).items() if s.required]
        self.keys = ROW_KEYS.get(plan.record_type, ())  # a damaged one rejects the row
        self.transform = plan.source.transform if plan.source else None
        self.prepare = PREPARE.get(plan.record_type)

    def parse(self, chunk: list[tuple[int, list[Any]]]) -> list[Parsed]:
        """The loadable rows of a chunk; notes skipped, bad rows and cells reported."""
        rows = [
            (n, cells)
            for n, cells in chunk
            if (cells and type(cells[0]) is str and _PLAIN_START.match(cells[0]))
            or not _is_note_row(cells)
        ]
        self.report.skipped_notes += len(chunk) - len(rows)
        if not rows:
            return []
        grid = list(zip(*(cells for _, cells in rows), strict=False))  # rows padded to the header
        flagged: set[int] = set()
        columns = {
            name: self._column(name, grid[i] if i < len(grid) else [_cell(c, i) for _, c in rows],
                               flagged)
            for i, _, name in self.placed
        }  # fmt: skip
        names = list(columns)
        transform, required, prepare = self.transform, self.required, self.prepare
        out = []
        for index, values_tuple in enumerate(zip(*columns.values(), strict=True)):
            values = dict(zip(names, values_tuple, strict=True))
            bad = _NO_BAD
            if index in flagged:
                bad = {f: v for f, v in values.items() if type(v) is _Bad}
                for name in bad:
                    values[name] = None
            if transform:
                values = transform(values)
            whole = not bad
            for name in required:
                if values.get(name) in _BLANK:
                    whole = False
            if not whole and not self._keep(rows[index], values, bad):
                continue
            number, cells = rows[index]
            if prepare is not None:
                values = prepare(values, self.plan.system)
            out.append(Parsed(number, values, raw_json(cells)))
        return out

    def _keep(
        self, row: tuple[int, list[Any]], values: dict[str, Any], bad: dict[str, _Bad]
    ) -> bool:
        """Report a row's bad cells; False when the row itself is rejected."""
        number, cells = row
        fatal = [f for f in bad if f in self.required or f in self.keys]
        missing = [f for f in self.required if values.get(f) in _BLANK]
        if fatal or missing:
            self.report.rejects.append(self._row_reject(number, cells, fatal, missing, bad))
            return False
        self.report.rejects += [
            RejectInfo(
                number, self.headers[f], _show(_cell(cells, self._index(f))), b.reason, False
            )
            for f, b in bad.items()
        ]
        return True

    def _column(self, field: str, cells: Sequence[Any], flagged: set[int]) -> list[Any]:
        """One column parsed: distinct text cells once each, other cells one by one."""
        parse = self.parsers[field]
        distinct = dict.fromkeys(cells)
        if all(type(cell) is str or cell is None for cell in distinct):
            any_bad = False
            for cell in distinct:
                try:
                    distinct[cell] = parse(cell)
                except ValueError as exc:
                    distinct[cell] = _Bad(str(exc))
                    any_bad = True
            out = list(map(distinct.__getitem__, cells))
        else:
            out = []
            for cell in cells:
                try:
                    out.append(parse(cell))
                except ValueError as exc:
                    out.append(_Bad(str(exc)))
            any_bad = True
        if any_bad:
            flagged.update(i for i, value in enumerate(out) if type(value) is _Bad)
        return out

    def _index(self, field: str) -> int:
        return next(i for i, _, f in self.placed if f == field)

    def _row_reject(
        self, number: int, cells: list[Any], fatal: list[str], missing: list[str],
        bad: dict[str, _Bad],
    ) -> RejectInfo:  # fmt: skip
        if fatal:
            field = fatal[0]
            value = _show(_cell(cells, self._index(field)))
            return RejectInfo(number, self.headers[field], value, bad[field].reason, True)
        field = missing[0]
        header = self.headers.get(field, field)
        return RejectInfo(number, header, None, f"{field.replace('_', ' ')} is blank", True)


def _cell(cells: list[Any], index: int) -> Any:
    return cells[index] if index < len(cells) else None


def _field_kinds(plan: Plan) -> dict[str, str]:
    kinds = {name: spec.kind for name, spec in FIELDS.get(plan.record_type, {}).items()}
    kinds.update(aue_epoch_ms="date", last_sync="datetime", started_at="datetime")
    kinds.update(updated_at="datetime", warranty_months="int", eol_date="date")
    kinds.update(retired_date="date", deployed_date="date")
    return kinds


def _is_note_row(cells: list[Any]) -> bool:
    """Totals, footnotes and 'updated by' lines in hand-made sheets are not records."""
    for cell in cells:
        if cell is not None:
            text = cell.strip() if type(cell) is str else str(cell).strip()
            if text:
                return text[:11].lower().startswith(NOTE_PREFIXES)
    return True


def _store_source_records(
    session: Session, file_id: int, name: str, system: str, parsed: list[Parsed], now: dt.datetime
) -> None:
    """One source record per loaded row (its cells as read); ids go back onto the rows."""
    if not parsed:
        return
    table, count = SourceRecord.__table__, len(parsed)
    ids = reserve_ids(session, table, count)
    columns = {
        "id": ids, "ingest_file_id": [file_id] * count, "system": [system] * count,
        "file": [name] * count, "row": [p.row for p in parsed], "raw": [p.raw for p in parsed],
        "ingested_at": [now] * count,
    }  # fmt: skip
    insert_columns(session, table, columns, serialized=("raw",))
    for item, record_id in zip(parsed, ids, strict=True):
        item.source_record_id = record_id


def raw_json(cells: list[Any]) -> str:
    """A row's cells as read, as the JSON text of its source record.

    Made where the row is parsed (in the parsing process, for large files): one string crosses
    to the loader instead of a list of cells, and the loader serialises nothing.
    """
    try:
        return orjson.dumps(cells, default=_jsonable).decode()
    except TypeError:  # an integer beyond 64 bits
        return json.dumps([_jsonable(cell) for cell in cells])


def _show(cell: Any) -> str | None:
    return None if cell is None else str(cell)[:200]


def _jsonable(cell: Any) -> Any:
    if cell is None or type(cell) is str or isinstance(cell, int | bool):
        return cell
    if isinstance(cell, float):
        return None if cell != cell else cell
    if isinstance(cell, dt.date | dt.datetime | dt.time):
        return cell.isoformat()
    if isinstance(cell, Decimal):
        return str(cell)
    return str(cell)
