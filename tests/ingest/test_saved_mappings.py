"""Mappings are remembered by header set; a mapping naming a field the record type lacks is
refused with the fields it has; ``map FILE --yes`` keeps the best fields (issue 18, point 4)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from assistant.cli import app
from ingest.load import Mapping, ingest_paths
from ingest.saved_mappings import header_key
from ingest.schema import Contract, Purchase, SavedMapping

HEADERS = "Supplier Co,Thing,Cost/yr,Qwerty"


def test_a_given_mapping_is_remembered_for_next_months_export(store, write_csv) -> None:
    first = write_csv("renewals-nov.csv", HEADERS, "Zoom,Pro,$1200,2027-03-31")
    mapping = Mapping(record_type="contract", columns={"Qwerty": "renewal_date"})
    (report,) = ingest_paths([first], store, mapping=mapping)
    assert report.status == "loaded" and report.missing == []
    # Next month: same headers, other order and rows, another name, no flag.
    second = write_csv(
        "renewals-dec.csv", "Qwerty,Supplier Co,Thing,Cost/yr", "2027-06-30,Gaggle,Safety,$9800"
    )
    (report,) = ingest_paths([second], store)
    assert report.decided.endswith("mapping remembered from renewals-nov.csv")
    with store.read_session() as session:
        dates = dict(
            session.execute(select(Contract.vendor_as_written, Contract.renewal_date)).all()
        )
    assert str(dates["Gaggle"]) == "2027-06-30"


def test_a_field_the_record_type_lacks_is_refused_with_the_fields_it_has(store, write_csv) -> None:
    path = write_csv("po.csv", "PO Number,Vendor,Amount,Fund", "P-1,Dell,$10,General")
    mapping = Mapping(record_type="purchase", columns={"Fund": "funding_source"})
    (report,) = ingest_paths([path], store, mapping=mapping)
    assert report.status == "unreadable"
    assert report.error.startswith(
        "the mapping puts 'Fund' on 'funding_source', which a purchase does not have; "
        "its fields are account_code, amount, description, fund,"
    )
    with store.read_session() as session:
        assert session.scalar(select(Purchase.id)) is None


def test_a_purchase_fund_column_is_its_own_field(store, write_csv) -> None:
    path = write_csv(
        "po.csv", "PO Number,PO Date,Vendor,Amount,Fund", "P-1,2026-09-01,Dell,$10,Title I"
    )
    (report,) = ingest_paths([path], store)
    assert {c.header: c.field for c in report.columns}["Fund"] == "fund"
    with store.read_session() as session:
        assert session.scalar(select(Purchase.fund)) == "Title I"


def test_map_yes_keeps_the_best_fields_and_the_next_load_uses_them(
    data_dir: Path, write_csv
) -> None:
    path = write_csv("tracker.csv", HEADERS, "Zoom,Pro,$1200,2027-03-31")
    runner = CliRunner()
    result = runner.invoke(app, ["map", str(path), "--yes", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    assert "tracker.csv: contract," in result.output
    loaded = runner.invoke(
        app, ["ingest", str(path), "--data-dir", str(data_dir), "--no-index", "--json"]
    )
    (report,) = json.loads(loaded.stdout)
    assert report["decided"].endswith("mapping remembered from tracker.csv")


def test_the_header_key_ignores_order_case_and_spacing() -> None:
    assert header_key(["Vendor", "Cost/yr"]) == header_key([" cost/yr", "VENDOR", ""])
    assert header_key(["Vendor"]) != header_key(["Vendor", "Product"])
    assert SavedMapping.__tablename__ == "saved_mappings"
