"""Reading an export file into rows of cells, whatever its format, encoding or line endings.

A ``Table`` keeps every row with its 1-based row number in the file (the header row counts), so a
reject can always name the row a person will find when they open the file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any

import pandas as pd

from ingest.errors import UnreadableFile

SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls", ".json", ".jsonl", ".ndjson"}
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SEPARATORS = re.compile(r"[\s._/:?#()\[\]\-]+")


@dataclass
class Table:
    """Cells of one sheet or file: the header row and the data rows after it.

    ``rows`` is consumed once, as the file is loaded in chunks: a million-row export is never
    held in memory whole.
    """

    path: Path
    headers: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    header_row: int = 1
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)


def sha256_file(path: Path) -> str:
    """The hex SHA-256 of a file, read in 1 MiB chunks (a loaded file's identity; model checks)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def normalize_header(header: object) -> str:
    """'Location.Name', 'SerialNumber', 'serial_number ' -> 'location name', 'serial number'."""
    text = _CAMEL.sub(" ", str(header or "").strip())
    return _SEPARATORS.sub(" ", text).strip().lower()


def decode_bytes(data: bytes, path: Path) -> tuple[str, str]:
    """Decode text the way districts' exports come: UTF-8 (with or without BOM), else Windows-1252."""
    if b"\x00" in data[:8192]:
        raise UnreadableFile(str(path), "this is not a text file (it contains binary data)")
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text.replace("\r\n", "\n").replace("\r", "\n"), encoding
    raise UnreadableFile(str(path), "the text encoding is not UTF-8, Windows-1252 or latin-1")


def read_grid(path: Path) -> tuple[Iterator[list[Any]], str | None]:
    """The rows of the file as lists of cells (no header handling yet), and the text encoding."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UnreadableFile(str(path), f"unsupported file type {suffix or '(none)'}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(str(path), f"cannot open the file: {exc.strerror}") from exc
    if not data.strip():
        raise UnreadableFile(str(path), "the file is empty")
    if suffix in {".xlsx", ".xlsm", ".xls"}:
        return iter(_read_workbook(path, data)), None
    text, encoding = decode_bytes(data, path)
    del data
    if suffix in {".json", ".jsonl", ".ndjson"}:
        return iter(_read_json(path, text)), encoding
    return _read_delimited(path, text), encoding


def _read_delimited(path: Path, text: str) -> Iterator[list[Any]]:
    """Rows of a CSV or TSV; the csv module keeps ragged rows that pandas' C reader refuses."""
    sep = "\t" if path.suffix.lower() == ".tsv" or _looks_tab_separated(text) else ","
    csv.field_size_limit(1 << 24)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        yield from reader
    except csv.Error as exc:
        raise UnreadableFile(str(path), f"not a readable CSV file: {exc}") from exc


def _looks_tab_separated(text: str) -> bool:
    first = text.split("\n", 1)[0]
    return first.count("\t") > first.count(",")


def _read_workbook(path: Path, data: bytes) -> list[list[Any]]:
    """The first sheet that has data, read with calamine (fast, typed cells)."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for name in workbook.sheet_names:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            if any(any(_filled(cell) for cell in row) for row in rows):
                return [list(row) for row in rows]
    except Exception as exc:  # calamine raises its own error types for damaged files
        reason = "not a readable Excel workbook (damaged, truncated or password-protected)"
        raise UnreadableFile(str(path), reason) from exc
    raise UnreadableFile(str(path), "the workbook has no data in any sheet")


def _read_json(path: Path, text: str) -> list[list[Any]]:
    """A JSON array of objects, an object holding one ({"tickets": [...]}), or JSON lines."""
    try:
        payload: Any = json.loads(text)
    except json.JSONDecodeError:
        try:
            payload = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            raise UnreadableFile(
                str(path), f"not valid JSON: {exc.msg} at line {exc.lineno}"
            ) from exc
    if isinstance(payload, dict):
        lists = [value for value in payload.values() if isinstance(value, list)]
        payload = lists[0] if lists else [payload]
    if not isinstance(payload, list) or not all(isinstance(item, dict) for item in payload):
        raise UnreadableFile(str(path), "JSON must be a list of records")
    frame = pd.json_normalize(payload, sep=".")
    headers = [str(column) for column in frame.columns]
    body = frame.astype(object).where(frame.notna(), None).to_numpy().tolist()
    return [headers, *[[_json_cell(cell) for cell in row] for row in body]]


def _json_cell(cell: Any) -> Any:
    if isinstance(cell, list):
        return " ".join(str(item) for item in cell)
    return cell


def _filled(cell: Any) -> bool:
    return cell is not None and str(cell).strip() != ""


def is_blank_row(cells: Iterable[Any]) -> bool:
    """True when no cell of the row holds anything."""
    return not any(_filled(cell) for cell in cells)


def find_header_row(grid: list[list[Any]], vocabulary: set[str], *, scan: int = 30) -> int:
    """The index of the row that looks most like a header (most cells naming known fields).

    Hand-made spreadsheets put a title and notes above the table; exports put headers first.
    """
    best_index, best_score = 0, 0
    for index, row in enumerate(grid[:scan]):
        cells = [normalize_header(cell) for cell in row if _filled(cell)]
        text_cells = [cell for cell in cells if cell and not cell.replace(" ", "").isdigit()]
        score = sum(1 for cell in text_cells if cell in vocabulary)
        if score > best_score or (best_score == 0 and len(text_cells) >= 3 and index == 0):
            best_index, best_score = index, score
    return best_index


def split_header(
    path: Path, rows: Iterator[list[Any]], vocabulary: set[str], encoding: str | None
) -> Table:
    """Find the header row among the first rows and return the table of rows after it."""
    head = list(islice(rows, 30))
    if not head:
        raise UnreadableFile(str(path), "the file has no rows")
    header_index = find_header_row(head, vocabulary)
    headers = [str(cell).strip() if _filled(cell) else "" for cell in head[header_index]]
    body = chain(head[header_index + 1 :], rows)
    numbered = _numbered(body, start=header_index + 2, width=len(headers))
    first = next(numbered, None)
    if first is None:
        raise UnreadableFile(str(path), "the file has a header but no data rows")
    return Table(path, headers, chain([first], numbered), header_index + 1, encoding)


def _numbered(
    rows: Iterable[list[Any]], *, start: int, width: int
) -> Iterator[tuple[int, list[Any]]]:
    """Rows with their 1-based row number, blank rows left out, short rows padded to the header."""
    for number, row in enumerate(rows, start=start):
        if is_blank_row(row):
            continue
        if len(row) < width:
            row = list(row) + [None] * (width - len(row))
        yield number, row
