"""The ingest pipeline on small files written here: whole files, idempotence, rejects, updates."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from assistant.settings import Settings
from assistant.store import open_district_store
from ingest.db import Store
from ingest.errors import UnreadableFile
from ingest.load import CHUNK, FileReport, _parsed_chunks, ingest_paths, read_table
from ingest.parse_worker import FIRST_CHUNK, ParsingProcess
from ingest.schema import Change, Contract, Device, IngestFile, SourceRecord
from ingest.sources import plan_file
from ingest.writers import LoadOptions

SNIPE_HEADER = (
    "Asset Tag,Asset Name,Serial,Model,Model Number,Category,Manufacturer,Status,Location,"
    "Purchase Date,Purchase Cost,Supplier,Order Number,Warranty Months,Checked Out To: Email,Notes"
)


def count(store, model) -> int:
    with store.read_session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_newer_export_updates_in_place_and_records_what_changed(store, write_csv) -> None:
    header = "Vendor,Product,Annual Cost,Renewal Date,Notice Period"
    ingest_paths([write_csv("v1.csv", header, "Clever,Secure Sync,5000,2027-07-01,30")], store)
    (report,) = ingest_paths(
        [write_csv("v2.csv", header, "Clever,Secure Sync,5500,2027-07-01,30")], store
    )
    assert (report.inserted, report.updated) == (0, 1)
    assert count(store, Contract) == 1
    with store.read_session() as session:
        change = session.scalars(select(Change)).one()
    assert (change.field, change.old_value, change.new_value) == (
        "annual_cost",
        "5000.00",
        "5500.00",
    )


def test_the_same_file_twice_changes_nothing(store, write_csv) -> None:
    path = write_csv("contracts.csv", "Vendor,Product,Renewal Date", "Zoom,Education,2027-01-01")
    first, second = ingest_paths([path], store), ingest_paths([path], store)
    assert (first[0].status, second[0].status) == ("loaded", "unchanged")
    assert (count(store, IngestFile), count(store, SourceRecord)) == (1, 1)


def test_a_file_that_cannot_be_read_is_reported_and_loads_nothing(store, write_csv, tmp_path):
    garbage = tmp_path / "exports" / "assets.csv"
    garbage.parent.mkdir(parents=True, exist_ok=True)
    garbage.write_bytes(b"\x00\x01\x02PK\x00binary")
    good = write_csv("contracts.csv", "Vendor,Product,Renewal Date", "Zoom,Education,2027-01-01")
    reports = {r.path: r for r in ingest_paths([garbage, good], store)}
    assert reports[str(garbage)].status == "unreadable"
    assert "binary" in reports[str(garbage)].error
    assert reports[str(good)].status == "loaded"


def test_rejects_name_row_column_and_reason_and_keep_good_rows(store, write_csv) -> None:
    path = write_csv(
        "assets.csv",
        SNIPE_HEADER,
        "A1,Cart 1,5cd-123 4xy,HP 14,,Laptop,HP,Deployed,Lincoln Elementary School,8/15/2022,"
        "$1099.00,CDW,,36,,",
        "A2,Cart 2,6.37702E+15,HP 14,,Laptop,HP,Deployed,Lincoln Elementary School,8/15/2022,"
        "1099,CDW,,36,,",
        "A3,Cart 3,ZZZ999,HP 14,,Laptop,HP,Deployed,LES,soon,12.5k,CDW,,36,,",
    )
    (report,) = ingest_paths([path], store)
    assert report.decided.startswith("Snipe-IT")
    assert (report.inserted, report.rejected) == (2, 1)
    damaged, bad_date, bad_cost = report.rejects
    assert (damaged.row, damaged.column, damaged.row_rejected) == (3, "Serial", True)
    assert "damaged by Excel" in damaged.reason
    assert (bad_date.row, bad_date.column, bad_date.row_rejected) == (4, "Purchase Date", False)
    assert (bad_cost.column, bad_cost.value) == ("Purchase Cost", "12.5k")
    with store.read_session() as session:
        assert set(session.scalars(select(Device.serial))) == {"5CD1234XY", "ZZZ999"}


def test_latin1_and_bom_and_cr_line_endings_read_the_same(store, write_csv) -> None:
    header, row = "Vendor,Product,Renewal Date", "Café Software,Menu,2027-01-01"
    paths = [
        write_csv("latin1.csv", header, row, encoding="latin-1"),
        write_csv("bom.csv", header, row.replace("Menu", "Menu 2"), encoding="utf-8-sig"),
        write_csv("cr.csv", header, row.replace("Menu", "Menu 3"), newline="\r"),
    ]
    reports = ingest_paths(paths, store)
    assert [r.inserted for r in reports] == [1, 1, 1]
    with store.read_session() as session:
        assert set(session.scalars(select(Contract.vendor_as_written))) == {"Café Software"}


def test_dry_run_shows_the_mapping_and_loads_nothing(store, write_csv) -> None:
    path = write_csv("tracker.csv", "Title", "", "Vendor,Product,Cost/yr,Renewal", "Zoom,Ed,1,2027")
    (report,) = ingest_paths([path], store, dry_run=True)
    assert report.status == "planned"
    assert report.record_type == "contract"
    placed = {c.header: c.field for c in report.columns}
    assert placed["Vendor"] == "vendor" and placed["Renewal"] == "renewal_date"
    assert count(store, IngestFile) == 0


def index_definitions(store, table: str) -> set[str]:
    with store.read_session() as session:
        rows = session.execute(
            text("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :t"),
            {"t": table},
        )
        return {sql for (sql,) in rows if sql}


@pytest.mark.sqlite_only(reason="indexes are deferred on SQLite only")
def test_a_large_first_load_ends_with_every_index_as_defined(store, write_csv) -> None:
    before = index_definitions(store, "tickets")
    header = "Id,Subject,Status,Created at,Device Serial [txt]"
    lines = [
        f"{n},Screen,open,2026-01-{n % 28 + 1:02d}T08:00:00,SN{n % 50}" for n in range(CHUNK + 5)
    ]
    lines.append("7,Screen again,open,2026-02-01T08:00:00,SN7")  # a repeat of ticket 7
    (report,) = ingest_paths([write_csv("tickets.csv", header, *lines)], store)
    assert (report.status, report.inserted, report.rejected) == ("loaded", CHUNK + 5, 1)
    assert report.rejects[0].reason == "duplicate of row 9"
    assert len(before) >= 5 and index_definitions(store, "tickets") == before
    with store.read_session() as session:
        plan = session.execute(
            text("EXPLAIN QUERY PLAN SELECT id FROM tickets WHERE device_serial = 'SN7'")
        ).all()
        analyzed = session.scalars(text("SELECT idx FROM sqlite_stat1 WHERE tbl = 'tickets'"))
        assert "ix_tickets_device_serial" in set(analyzed)  # statistics taken with the indexes
    assert "ix_tickets_device_serial" in str(plan)


@pytest.fixture
def other(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A second, empty store on the same kind of database as ``store``."""
    if backend == "sqlite":
        url, server = f"sqlite:///{tmp_path / 'other.db'}", None
    else:
        server = request.getfixturevalue("postgres_server")
        url = server.create_database()
    opened = open_district_store(Settings(data_dir=tmp_path / "other", database_url=url))
    yield opened
    opened.dispose()
    if server is not None:
        server.drop_database(url)


def test_a_file_parsed_in_a_second_process_loads_exactly_the_same(store, other, write_csv):
    path = write_csv(
        "assets.csv",
        "Inventory export, printed 2026-11-01",  # a title above the header row
        SNIPE_HEADER,
        "A1,Cart 1,5cd-123 4xy,HP 14,,Laptop,HP,Deployed,Lincoln Elementary School,8/15/2022,"
        "$1099.00,CDW,,36,a@x.org,",
        "A2,Cart 2,6.37702E+15,HP 14,,Laptop,HP,Deployed,Lincoln Elementary School,8/15/2022,"
        "1099,CDW,,36,,",
        "A3,Cart 3,ZZZ999,HP 14,,Laptop,HP,Deployed,LES,soon,12.5k,CDW,,36,,",
        "A4,Cart 4,zzz-999,HP 14,,Laptop,HP,Deployed,LES,2022-08-15,900,CDW,,36,,",
        "Total,,,,,,,,,,3098.00",
    )
    (here,) = ingest_paths([path], store)
    (there,) = ingest_paths([path], other, options=LoadOptions(worker_min_bytes=0))
    assert (there.status, there.inserted, there.rejected, there.skipped_notes) == (
        "loaded", 2, 2, 1,
    )  # fmt: skip
    assert (here.rows_read, here.inserted, here.rejected, here.skipped_notes) == (
        there.rows_read, there.inserted, there.rejected, there.skipped_notes,
    )  # fmt: skip
    assert here.rejects == there.rejects
    for model in (Device, SourceRecord):
        with store.read_session() as a, other.read_session() as b:
            rows = [
                [
                    {
                        k: v
                        for k, v in vars(r).items()
                        if k not in {"_sa_instance_state", "ingested_at"}
                    }
                    for r in s.scalars(select(model).order_by(model.id))
                ]
                for s in (a, b)
            ]
        assert rows[0] == rows[1] and rows[0]


def test_a_second_process_that_cannot_read_the_file_reports_it(store, tmp_path) -> None:
    path = tmp_path / "tickets.csv"
    path.write_text("Id,Subject,Status\n1,Screen,open\n")
    table = read_table(path)
    path.write_bytes(b"\x00\x01binary now")  # changed between planning and loading
    report = FileReport(str(path), "planned")
    plan = plan_file(table.headers)
    with pytest.raises(UnreadableFile, match="binary"):
        list(_parsed_chunks(path, plan, table, report, LoadOptions(worker_min_bytes=0)))


@pytest.mark.parametrize(
    ("encoding", "newline"), [("utf-8-sig", "\r\n"), ("cp1252", "\r"), ("utf-8", "\n")]
)
def test_the_second_process_reads_encodings_and_line_ends_as_the_loader(
    store, other, write_csv, encoding, newline
) -> None:
    lines = [
        "Vendor\tProduct\tRenewal Date\tNotes",
        'Café Software\tMenu\t2027-01-01\t"two\r\nlines"',
        "Zoom\tEducation\t2027-02-01\tnone",
    ]
    path = write_csv("contracts.txt", *lines, encoding=encoding, newline=newline)
    ingest_paths([path], store)
    ingest_paths([path], other, options=LoadOptions(worker_min_bytes=0))
    with store.read_session() as a, other.read_session() as b:
        raws = [
            [r.raw for r in s.scalars(select(SourceRecord).order_by(SourceRecord.row))]
            for s in (a, b)
        ]
        notes = [sorted(s.scalars(select(Contract.notes))) for s in (a, b)]
    assert raws[0] == raws[1] and raws[0][0][0] == "Café Software"
    assert notes[0] == notes[1] and len(notes[0]) == 2


def test_one_parsing_process_serves_file_after_file_even_when_a_load_stops_part_way(
    write_csv,
) -> None:
    header = "Id,Subject,Status,Created at"
    rows = [f"{n},Screen,open,2026-01-05T08:00:00" for n in range(FIRST_CHUNK + 10)]
    big = write_csv("big.csv", header, *rows)
    small = write_csv("small.csv", header, "1,Screen,open,2026-01-05T08:00:00")
    plan = plan_file(read_table(big).headers)
    with closing(ParsingProcess()) as parsing:
        stopped = parsing.parse(big, plan, "utf-8-sig")
        read, first, _, _ = next(stopped)
        assert (read, len(first)) == (FIRST_CHUNK, FIRST_CHUNK)  # a small first chunk
        assert first[0][2] == '["0","Screen","open","2026-01-05T08:00:00"]'  # raw cells, as JSON
        stopped.close()  # the load stopped: this process is mid-answer and is let go
        for path, expected in ((small, [1]), (big, [FIRST_CHUNK, 10]), (small, [1])):
            items = list(parsing.parse(path, plan, "utf-8-sig"))
            assert items[-1][0] == "done"
            assert [item[0] for item in items[:-1]] == expected
