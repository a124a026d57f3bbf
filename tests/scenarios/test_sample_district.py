"""One picture across systems: the sample district loaded, checked against the generator's truth."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from sqlalchemy import func, select

from assistant.ingesting import load_options
from assistant.settings import Settings
from ingest.db import open_store
from ingest.load import ingest_paths
from ingest.sample import generate
from ingest.schema import Contract, Device, Location, Reject, Ticket, Vendor

ANCHOR = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory, module_database: str | None):
    folder = tmp_path_factory.mktemp("sample")
    truth = generate(folder / "exports", anchor=ANCHOR)
    settings = Settings(data_dir=folder, database_url=module_database)
    store = open_store(settings.resolved_database_url)
    reports = ingest_paths([folder / "exports"], store, options=load_options(settings))
    yield truth, store, reports
    store.dispose()


def test_every_file_loads(loaded) -> None:
    _, _, reports = loaded
    assert len(reports) == 8
    assert {r.status for r in reports} == {"loaded"}


def test_devices_from_two_systems_merge_by_serial(loaded) -> None:
    truth, store, _ = loaded
    with store.read_session() as session:
        assert session.scalar(select(func.count(Device.id))) == len(truth.devices) == 2400
        serials = set(session.scalars(select(Device.serial)))
    assert serials == {d.serial for d in truth.devices}


def test_schools_resolve_to_the_districts_names(loaded) -> None:
    truth, store, _ = loaded
    with store.read_session() as session:
        assert set(session.scalars(select(Location.name))) == set(truth.schools)
        rows = session.execute(select(Device.serial, Location.name).join(Location, isouter=True))
        device_school = {serial: school for serial, school in rows}
    assert device_school == {d.serial: d.school for d in truth.devices}


def test_tickets_from_both_help_desks_attach_to_their_devices(loaded) -> None:
    truth, store, _ = loaded
    with store.read_session() as session:
        rows = session.execute(
            select(Ticket.system, Ticket.external_id, Device.serial).join(Device, isouter=True)
        ).all()
    attached = {(system, ext): serial for system, ext, serial in rows}
    assert attached == {(t.system, t.external_id): t.device_serial for t in truth.tickets}


def test_location_conflicts_are_kept_with_both_sources(loaded) -> None:
    truth, store, _ = loaded
    from tools.quality import DataQualityArgs, data_quality

    with store.read_session() as session:
        report = data_quality(session, DataQualityArgs())
    conflicts = {c.key: c for c in report.conflicts}
    assert set(conflicts) == {serial for serial, *_ in truth.conflicts}
    for serial, _field, snipe_school, google_school in truth.conflicts:
        assert conflicts[serial].values == {"snipe_it": snipe_school, "google_admin": google_school}
        assert conflicts[serial].chosen_system == "snipe_it"


def test_damaged_serials_are_rejected_with_file_row_and_column(loaded) -> None:
    truth, store, _ = loaded
    with store.read_session() as session:
        rejects = session.execute(
            select(Reject.file, Reject.row, Reject.column, Reject.reason).where(
                Reject.reason.like("%damaged by Excel%")
            )
        ).all()
    assert {(f"snipe-it/{file}", row) for file, row, _, _ in rejects} == set(
        truth.damaged_serial_rows
    )
    assert {column for _, _, column, _ in rejects} == {"Serial"}


def test_vendor_spellings_merge_into_one_vendor_each(loaded) -> None:
    truth, store, _ = loaded
    with store.read_session() as session:
        rows = session.execute(select(Contract.vendor_as_written, Vendor.name).join(Vendor)).all()
    ours = defaultdict(set)
    for written, name in rows:
        ours[name].add(written)
    expected = defaultdict(set)
    for contract in truth.contracts:
        expected[contract.vendor].add(contract.vendor_as_written)
    assert sorted(map(sorted, ours.values())) == sorted(map(sorted, expected.values()))
