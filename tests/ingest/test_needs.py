"""A file that lacks a field its answers need loads, and says so: on the report, in the database,
in a mapping.yaml beside it, and in the answer that depends on it (issue 18, point 3)."""

from __future__ import annotations

import datetime as dt
import json

import yaml
from sqlalchemy import select

from ingest.load import ingest_paths
from ingest.schema import IngestFile, License
from tools.contracts import ContractsRenewingArgs, contracts_renewing

TRACKER = (
    "Vendor,Product,Annual Cost,Qwerty",
    'Zoom,Zoom Pro,"$1,200.00",2027-03-31',
    'Gaggle,Safety,"$9,800.00",2027-02-15',
)


def test_a_tracker_without_a_renewal_column_loads_and_says_so(store, write_csv) -> None:
    path = write_csv("tracker.csv", *TRACKER)
    (report,) = ingest_paths([path], store)
    assert (report.status, report.record_type, report.inserted) == ("loaded", "contract", 2)
    (missing,) = report.missing
    assert missing.fields == ("renewal_date", "term_months")
    assert missing.column == "Qwerty" and missing.score > 0
    written = yaml.safe_load(path.with_name("tracker.mapping.yaml").read_text(encoding="utf-8"))
    assert written["record_type"] == "contract"
    assert written["columns"]["Vendor"] == "vendor" and written["columns"]["Qwerty"] is None
    with store.read_session() as session:
        (stored,) = session.scalars(select(IngestFile.missing)).all()
    assert stored[0]["column"] == "Qwerty"


def test_renewals_say_the_gap_instead_of_nothing_found(store, write_csv) -> None:
    ingest_paths([write_csv("tracker.csv", *TRACKER)], store)
    args = ContractsRenewingArgs(start=dt.date(2027, 1, 1), end=dt.date(2027, 3, 31))
    with store.read_session() as session:
        result = contracts_renewing(session, args)
    assert result.count == 0
    assert (
        "none of the 2 contracts has a renewal date on file: the column 'Qwerty' of tracker.csv "
        "was not recognised as one (district-assistant map tracker.csv)."
    ) in result.notes


def test_a_file_with_every_need_writes_no_mapping(store, write_csv) -> None:
    path = write_csv(
        "tracker.csv", "Vendor,Product,Annual Cost,Renewal Date", "Zoom,Pro,$1,2027-03-31"
    )
    (report,) = ingest_paths([path], store)
    assert report.missing == [] and report.mapping_written is None
    assert not path.with_name("tracker.mapping.yaml").exists()


def test_licenses_load_and_expire_beside_renewals(store, write_csv) -> None:
    path = write_csv(
        "software licenses.csv",
        "Software,Seats,Expiration Date,Purchase Cost,Product Key",
        'Adobe Creative Cloud,150,2027-02-28,"$4,500.00",AB12-CD34-EF56',
    )
    (report,) = ingest_paths([path], store)
    assert (report.record_type, report.inserted) == ("license", 1)
    args = ContractsRenewingArgs(start=dt.date(2027, 1, 1), end=dt.date(2027, 3, 31))
    with store.read_session() as session:
        assert session.scalar(select(License.seats)) == 150
        result = contracts_renewing(session, args)
    assert [(r.product, r.seats) for r in result.licenses] == [("Adobe Creative Cloud", 150)]
    assert (
        "1 software license expires in this window too: Adobe Creative Cloud (2027-02-28, 150 seats)."
        in result.notes
    )


def test_dry_run_json_shows_each_columns_field_score_evidence_and_the_gap(
    data_dir, write_csv
) -> None:
    from typer.testing import CliRunner

    from assistant.cli import app

    path = write_csv("tracker.csv", *TRACKER)
    result = CliRunner().invoke(
        app, ["ingest", str(path), "--dry-run", "--json", "--data-dir", str(data_dir)]
    )
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.stdout)
    vendor = next(c for c in report["columns"] if c["header"] == "Vendor")
    assert (vendor["field"], vendor["level"]) == ("vendor", "sure")
    assert vendor["confidence"] > 0.85 and vendor["how"].startswith("name 1.00 ('vendor')")
    assert [f for f, _ in vendor["alternatives"]][0] == "vendor"
    assert report["missing"] == [
        {
            "fields": ["renewal_date", "term_months"],
            "column": "Qwerty",
            "score": report["missing"][0]["score"],
        }
    ]
    assert not path.with_name("tracker.mapping.yaml").exists()  # a dry run writes nothing
