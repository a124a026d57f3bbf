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

from ingest.errors import UnreadableFile

SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls", ".json", ".jsonl", ".ndjson"}
DELIMITED = {".csv", ".txt", ".tsv"}
_SNIFF = 1 << 16
# C0 controls but tab, line feed, vertical tab, form feed and carriage return; DEL; C1 controls.
_CONTROLS = frozenset(
    [chr(c) for c in range(32) if chr(c) not in "\t\n\x0b\x0c\r"]
    + [chr(c) for c in range(0x7F, 0xA0)]
)
# Real exports hold a stray control character or two; binary data is about one byte in eight.
_MAX_CONTROL_SHARE = 0.01
_MIN_CONTROLS = 16
_MAGIC = {
    b"PK\x03\x04": "a ZIP file (an Excel .xlsx workbook?)",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "an Office file (an Excel .xls workbook?)",
    b"%PDF": "a PDF document",
}
_RENAME = {
    "a ZIP file (an Excel .xlsx workbook?)": "if it is a workbook, name it .xlsx",
    "an Office file (an Excel .xls workbook?)": "if it is a workbook, name it .xls",
    "a PDF document": "export the data as CSV or XLSX instead",
}
# An encrypted .xlsx is an OLE compound file holding these streams instead of a ZIP.
_ENCRYPTED = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
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
    # Problems found while reading, as (row, column, value, reason, row_rejected); rows
    # rejected here are not in ``rows``. Filled as ``rows`` is consumed.
    rejects: list[tuple[int, str | None, str | None, str, bool]] = field(default_factory=list)


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
    _refuse_binary(data, path)
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text[:_SNIFF]):
            raise UnreadableFile(str(path), "this is not a text file (it looks like binary data)")
        if "\x00" in text:  # a stray NUL past the first 64 KiB: no database stores it in text
            text = text.replace("\x00", "")
        return text.replace("\r\n", "\n").replace("\r", "\n"), encoding
    raise UnreadableFile(str(path), "the text encoding is not UTF-8, Windows-1252 or latin-1")


def _refuse_binary(data: bytes, path: Path) -> None:
    """Workbooks, PDFs and other binary files given a text name get a reason a person can act on."""
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise UnreadableFile(str(path), f"this is {what}, not a text file: {_RENAME[what]}")
    if b"\x00" in data[:_SNIFF]:
        raise UnreadableFile(str(path), "this is not a text file (it contains binary data)")


def _looks_binary(text: str) -> bool:
    """Many control characters other than tabs and line breaks: binary data decoded as text."""
    controls = sum(1 for ch in text if ch in _CONTROLS)
    return controls >= _MIN_CONTROLS and controls > _MAX_CONTROL_SHARE * len(text)


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
    reader = csv.reader(_lines(text), delimiter=sep)
    try:
        yield from reader
    except csv.Error as exc:
        raise UnreadableFile(str(path), f"not a readable CSV file: {exc}") from exc


def _lines(text: str) -> Iterator[str]:
    """The lines of text (line ends already made LF), ends kept, as the csv module wants them.

    Lazily, unlike ``io.StringIO(text)``: that copies a 150 MB export (1.5 s) even when only its
    header is read, as when a file is planned.
    """
    start, find = 0, text.find
    while end := find("\n", start) + 1:
        yield text[start:end]
        start = end
    if start < len(text):
        yield text[start:]


def _looks_tab_separated(text: str) -> bool:
    first = text.split("\n", 1)[0]
    return first.count("\t") > first.count(",")


def _read_workbook(path: Path, data: bytes) -> list[list[Any]]:
    """The first sheet that has data, read with calamine (fast, typed cells)."""
    from python_calamine import CalamineWorkbook

    if data.startswith(b"\xd0\xcf\x11\xe0") and any(name in data for name in _ENCRYPTED):
        raise UnreadableFile(
            str(path),
            "the workbook is password-protected: open it in Excel, remove the password "
            "(File > Info > Protect Workbook), save it and load it again",
        )
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for name in workbook.sheet_names:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            if any(any(_filled(cell) for cell in row) for row in rows):
                return [list(row) for row in rows]
    except Exception as exc:  # calamine raises its own error types for damaged files
        if path.suffix.lower() != ".xls" and not data.startswith(b"PK\x03\x04"):
            reason = "not an Excel workbook (an .xlsx file is a ZIP archive; this is not one)"
        else:
            reason = "the workbook is damaged or incomplete (was the download cut short?)"
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
    import pandas as pd  # only JSON exports need it; hashing a file for a question does not

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
    rejects = _repeated_headers(headers, header_index + 1)
    body = chain(head[header_index + 1 :], rows)
    strict = path.suffix.lower() in DELIMITED
    numbered = _numbered(body, start=header_index + 2, headers=headers, strict=strict,
                         rejects=rejects)  # fmt: skip
    first = next(numbered, None)
    if first is None:
        if rejects and any(r[4] for r in rejects):
            first_row = next(r for r in rejects if r[4])
            raise UnreadableFile(str(path), f"row {first_row[0]}: {first_row[3]}")
        # A header alone is a valid empty export (a system with nothing to list): 0 rows.
        table = Table(path, headers, iter(()), header_index + 1, encoding)
        table.rejects = rejects
        return table
    table = Table(path, headers, chain([first], numbered), header_index + 1, encoding)
    table.rejects = rejects
    return table


def _repeated_headers(
    headers: list[str], row: int
) -> list[tuple[int, str | None, str | None, str, bool]]:
    """A header written twice: the first column is loaded, the other only kept in the raw record."""
    first: dict[str, int] = {}
    notes = []
    for position, header in enumerate(headers, start=1):
        key = normalize_header(header)
        if not key:
            continue
        if key in first:
            reason = (
                f"column {position} repeats the header of column {first[key]}: column "
                f"{first[key]} is loaded, column {position} is kept in the raw record only"
            )
            notes.append((row, header, None, reason, False))
        else:
            first[key] = position
    return notes


def _numbered(
    rows: Iterable[list[Any]],
    *,
    start: int,
    headers: list[str],
    strict: bool,
    rejects: list[tuple[int, str | None, str | None, str, bool]],
) -> Iterator[tuple[int, list[Any]]]:
    """Rows with their 1-based row number, blank rows left out, short rows padded to the header.

    In a CSV, a row with more filled cells than the header has is rejected: its values have
    shifted (an unquoted comma), so no cell of it can be trusted to be in its column.
    """
    width = len(headers)
    for number, row in enumerate(rows, start=start):
        if is_blank_row(row):
            continue
        if len(row) < width:
            row = list(row) + [None] * (width - len(row))
        elif strict and len(row) > width and not is_blank_row(row[width:]):
            extra = next(i for i in range(width, len(row)) if _filled(row[i]))
            reason = (
                f"the row has {len(row)} cells but the header has {width} (column {extra + 1} "
                "holds a value): its values may have shifted; a comma inside an unquoted value?"
            )
            rejects.append((number, None, str(row[extra])[:200], reason, True))
            continue
        yield number, row
