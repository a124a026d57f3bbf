"""Random tables through the generic reader: it never crashes, and a row it rejects is never loaded.

Hypothesis writes CSV files of random headers (canonical names, synonyms, junk) and random cells
(blank, unicode, numbers, dates, amounts, formula-like text, placeholders), loads each into a
fresh SQLite file through ``ingest_paths`` and checks the report against the database.
Derandomized, so CI sees the same examples every run.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from ingest.db import Store, open_store
from ingest.fields import FIELDS
from ingest.load import FileReport, ingest_paths, read_table
from ingest.schema import (
    AppRequest,
    Contract,
    Device,
    IngestFile,
    Person,
    Purchase,
    Reject,
    SourceRecord,
    Ticket,
)

FACTS = {"device": Device, "ticket": Ticket, "contract": Contract, "purchase": Purchase,
         "app_request": AppRequest, "person": Person}  # fmt: skip
CANONICAL = sorted({name for fields in FIELDS.values() for name in fields})
SYNONYMS = sorted(
    {s for fields in FIELDS.values() for spec in fields.values() for s in spec.synonyms}
)
JUNK = ["", "Col1", "??", "Notes 2", "Internal ref", "Unnamed: 3", "=A1", "Serial Serial"]

headers = st.one_of(
    st.sampled_from(CANONICAL), st.sampled_from(SYNONYMS), st.sampled_from(JUNK),
    st.text(max_size=12),
)  # fmt: skip
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2300, 12, 31))
cells = st.one_of(
    st.sampled_from(["", " ", "n/a", "NULL", "#REF!", "TBD", "-", "TOTAL", "Note: x", "yes"]),
    st.sampled_from(["=1+1", "+SUM(A1:A9)", "-2+3", "@cmd", '=HYPERLINK("http://x")', "+", "@"]),
    st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=40),
    st.sampled_from(["tab\there", "\x1a", "\x0b", "line\nbreak", "cr\ronly", "\ufeffbom"]),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
    st.decimals(min_value=-(10**9), max_value=10**9, places=2).map(lambda d: f"${d:,}"),
    dates.map(dt.date.isoformat),
    dates.map(lambda d: d.strftime("%m/%d/%Y")),
    dates.map(lambda d: d.strftime("%b %d %Y")),
    st.integers(min_value=0, max_value=99_999).map(lambda n: f"SN{n:05d}"),
)  # fmt: skip


@st.composite
def tables(draw: st.DrawFn) -> list[list[str]]:
    """A header row, mostly naming one record type's fields, and up to 12 rows of any width."""
    fields = FIELDS[draw(st.sampled_from(sorted(FIELDS)))]
    own = st.sampled_from(
        sorted({n for name, spec in fields.items() for n in (name, *spec.synonyms)})
    )
    header = draw(st.lists(st.one_of(own, own, own, headers), min_size=1, max_size=8))
    required = [name for name, spec in fields.items() if spec.required]
    if required and draw(st.booleans()):
        header.insert(draw(st.integers(0, len(header))), required[0])
    width = len(header)
    rows = draw(st.lists(st.lists(cells, max_size=width + 2), min_size=1, max_size=12))
    return [header, *rows]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty, migrated database, copied for each example (migrating each time is slow)."""
    path = tmp_path_factory.mktemp("template") / "district.db"
    open_store(f"sqlite:///{path}").dispose()
    return path


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("property")


def fresh_store(template: Path, workdir: Path) -> Store:
    """The template's copy at one fixed path (so it is migrated once), emptied per example."""
    database = workdir / "district.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, database)
    return open_store(f"sqlite:///{database}")


@settings(
    max_examples=80,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(table=tables())
def test_random_tables_never_crash_and_rejected_rows_are_never_loaded(
    table: list[list[str]], template: Path, workdir: Path
) -> None:
    path = workdir / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(table)
    store = fresh_store(template, workdir)
    try:
        # Not even our own errors: a file that cannot be loaded is a report, not an exception.
        (report,) = ingest_paths([path], store)
        check(report, store, path)
    finally:
        store.dispose()


def check(report: FileReport, store: Store, path: Path) -> None:
    """The report agrees with the database, and accounts for every row of the file."""
    event(f"{report.status} {report.record_type} {(report.error or '')[:40]}".strip())
    if report.rejects:
        event("with rejects")
    with store.read_session() as session:
        if report.status != "loaded":
            assert report.status == "unreadable" and report.error
            assert session.scalar(select(func.count(IngestFile.id))) == 0
            assert session.scalar(select(func.count(SourceRecord.id))) == 0
            return
        loaded = set(session.scalars(select(SourceRecord.row)))
        stored_rejects = session.execute(select(Reject.row, Reject.is_row_rejected)).all()
        fact_rows: set[int] = set()
        if (model := FACTS.get(report.record_type)) is not None:
            query = select(SourceRecord.row).join(model, model.source_record_id == SourceRecord.id)
            fact_rows = set(session.scalars(query))
    rejected = {r.row for r in report.rejects if r.row_rejected}
    assert sorted(stored_rejects) == sorted((r.row, r.row_rejected) for r in report.rejects)
    # A rejected row is neither a fact nor a source record, wherever it was refused.
    assert not (fact_rows | loaded) & rejected
    assert fact_rows <= loaded
    # Every data row is loaded, rejected or skipped as a note, and nothing else is counted.
    table = read_table(path)
    data = {number for number, _ in table.rows}
    data |= {row for row, *_, whole in table.rejects if whole}
    assert (loaded | rejected) <= data
    assert len(data) == len(loaded | rejected) + report.skipped_notes == report.rows_read
