"""The schema is created by migrations on first use, on a fresh SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import OperationalError

from ingest.db import open_store
from ingest.schema import Base, Location

CANONICAL = {
    "locations", "location_aliases", "people", "vendors", "vendor_aliases", "devices", "tickets",
    "contracts", "purchases", "app_requests", "app_reviews", "replacement_policies",
    "source_records", "fact_sources", "ingest_files", "rejects", "conflicts", "changes",
}  # fmt: skip


def test_migrations_create_every_table_on_a_fresh_file(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'new' / 'district.db'}")
    tables = set(inspect(store.engine).get_table_names())
    assert CANONICAL <= tables
    assert "alembic_version" in tables
    assert (tmp_path / "new" / "district.db").exists()


def test_migrated_schema_matches_the_models(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    store = open_store(f"sqlite:///{tmp_path / 'district.db'}")
    with store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_opening_twice_keeps_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'district.db'}"
    with open_store(url).session() as session:
        session.add(Location(name="Lincoln Elementary School"))
    with open_store(url).read_session() as session:
        assert session.scalar(text("select name from locations")) == "Lincoln Elementary School"


def test_every_fact_table_links_to_its_source_record(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'district.db'}")
    inspector = inspect(store.engine)
    for table in ("people", "devices", "tickets", "contracts", "purchases", "app_requests"):
        targets = {fk["referred_table"] for fk in inspector.get_foreign_keys(table)}
        assert "source_records" in targets, table


def test_read_session_cannot_write(store) -> None:
    with store.read_session() as session, pytest.raises(OperationalError, match="readonly"):
        session.execute(text("insert into vendors (name) values ('Sneaky')"))
        session.commit()
    with store.read_session() as session:
        assert session.scalar(text("select count(*) from vendors")) == 0
