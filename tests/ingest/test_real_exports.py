"""Real exports are kept whole (issue 18, point 5): Snipe-IT licenses become licenses, its
accessories, consumables and components are refused by name, long notes are never cut."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from ingest.load import ingest_paths
from ingest.schema import Device, License, SourceRecord

LICENSES = (
    "Name,Email,Username,Item name,serial number,manufacturer,purchase date,purchase cost,"
    "order number,Licensed To Name,Licensed to Email,expiration date,maintained,reassignable,seats,"
    "company,supplier,notes",
    "Ann Lee,alee@d.org,alee,Adobe Creative Cloud,AB-12-CD,Adobe,07/13/2025,$79.66,386436062,"
    "Ann Lee,alee@d.org,06/30/2027,false,no,80,District,CDW,renewed by the art dept",
)


def test_a_snipe_it_licenses_export_loads_as_licenses_not_devices(store, write_csv) -> None:
    (report,) = ingest_paths([write_csv("licenses.csv", *LICENSES)], store)
    assert (report.system, report.record_type, report.inserted) == (
        "snipe_it_licenses",
        "license",
        1,
    )
    with store.read_session() as session:
        row = session.execute(select(License)).scalar_one()
        assert session.scalar(select(Device.id)) is None
    assert (row.product, row.product_key, row.seats, str(row.expiration_date)) == (
        "Adobe Creative Cloud", "AB-12-CD", 80, "2027-06-30",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "lines"),
    [
        ("accessories", ("Company,Name,Category,Supplier,Manufacturer,QTY,Location,Order Number,"
                         "Min Amount,Model Number,Notes,Purchase Date,Purchase Cost",
                         "District,USB-C dock,Docks,CDW,Dell,40,HS,PO-1,5,WD19,,2025-08-01,189.00")),
        ("consumables", ("Company,Name,Category,Supplier,Manufacturer,QTY,Location,Order Number,"
                         "Min Amount,Model Number,Item Number,Notes,Purchase Date,Purchase Cost",
                         "District,Toner,Ink,CDW,HP,50,HS,PO-2,10,CF258A,88,,2025-08-01,95.00")),
        ("components", ("Item Name,Purchase Date,Purchase Cost,Location,Company,Order Number,"
                        "Serial number,Category,Quantity",
                        "8GB RAM,2025-01-01,40.00,HS,District,2790,RAM123456,Memory,10")),
    ],
)  # fmt: skip
def test_other_snipe_it_exports_are_refused_by_name(store, write_csv, kind, lines) -> None:
    (report,) = ingest_paths([write_csv(f"{kind}-export.csv", *lines)], store)
    assert report.status == "unreadable"
    assert report.error.startswith(f"this is a Snipe-IT {kind} export; {kind} are not supported")
    with store.read_session() as session:
        assert session.scalar(select(Device.id)) is None


def test_a_long_note_is_never_cut(store, write_csv) -> None:
    note = "Screen replaced twice; " * 30  # about 690 characters
    path = write_csv(
        "assets.csv",
        "Asset Tag,Serial,Model,Category,Status,Purchase Cost,Supplier,Notes",
        f"MV-1,SN0001,Chromebook 3110,Chromebook,Deployed,$300,CDW,{note}",
    )
    (report,) = ingest_paths([path], store)
    assert report.inserted == 1 and report.rejects == []
    with store.read_session() as session:
        raw = session.scalar(select(SourceRecord.raw))
    cells = raw if isinstance(raw, list) else json.loads(raw)
    assert note.strip() in [str(cell).strip() for cell in cells]


def test_a_header_only_export_is_a_valid_empty_file(store, write_csv) -> None:
    path = write_csv("renewals.csv", "Vendor,Product,Annual Cost,Renewal Date")
    (report,) = ingest_paths([path], store)
    assert (report.status, report.rows_read, report.inserted) == ("loaded", 0, 0)


def test_a_device_with_an_asset_tag_and_no_serial_is_kept_and_merged_by_tag(
    store, write_csv
) -> None:
    tagged = write_csv(
        "av equipment.csv",
        "Asset Tag,Device Name,Model,Location",
        "AV-0042,Gym projector,Epson 1781W,High School",
        ",Loose cable,,High School",
    )
    (report,) = ingest_paths([tagged], store)
    assert (report.record_type, report.inserted) == ("device", 1)
    assert [(r.row, r.reason) for r in report.rejects] == [(3, "no serial or asset tag")]
    with store.read_session() as session:
        assert session.scalar(select(Device.serial)) == "TAG:AV-0042"
    # Later, an export that names the same tag with its serial: one device, now by serial.
    both = write_csv(
        "projectors.csv",
        "Asset Tag,Serial Number,Model,Status",
        "AV-0042,X4KE123456,Epson 1781W,Deployed",
    )
    ingest_paths([both], store)
    with store.read_session() as session:
        found = session.execute(select(Device.serial, Device.asset_tag, Device.model)).all()
    assert found == [("X4KE123456", "AV-0042", "Epson 1781W")]
