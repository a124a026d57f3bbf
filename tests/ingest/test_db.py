"""The schema is created by migrations on first use, on a fresh SQLite file or PG database."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import DBAPIError

from ingest.db import open_store
from ingest.schema import Base, Location

CANONICAL = {
    "locations", "location_aliases", "people", "vendors", "vendor_aliases", "devices", "tickets",
    "contracts", "purchases", "app_requests", "app_reviews", "replacement_policies",
    "source_records", "fact_sources", "ingest_files", "rejects", "conflicts", "changes",
}  # fmt: skip


@pytest.fixture
def url(database: str | None, tmp_path: Path) -> str:
    """This test's database: a file in tmp_path, or its own database on the PG server."""
    return database or f"sqlite:///{tmp_path / 'district.db'}"


def test_migrations_create_every_table_on_a_fresh_file(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'new' / 'district.db'}")
    tables = set(inspect(store.engine).get_table_names())
    assert CANONICAL <= tables
    assert "alembic_version" in tables
    assert (tmp_path / "new" / "district.db").exists()


def test_migrations_create_every_table_in_an_empty_postgres_database(postgres_server) -> None:
    url = postgres_server.create_database(empty=True)
    store = open_store(url)
    tables = set(inspect(store.engine).get_table_names())
    store.dispose()
    postgres_server.drop_database(url)
    assert CANONICAL <= tables
    assert "alembic_version" in tables


def test_a_plain_postgresql_url_uses_psycopg_3(postgres_server) -> None:
    url = postgres_server.create_database()
    store = open_store(url.replace("postgresql+psycopg://", "postgresql://"))
    with store.read_session() as session:
        assert session.scalar(text("select count(*) from vendors")) == 0
    assert store.engine.dialect.driver == "psycopg"
    store.dispose()
    postgres_server.drop_database(url)


def test_migrated_schema_matches_the_models(url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    store = open_store(url)
    with store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_opening_twice_keeps_data(url: str) -> None:
    with open_store(url).session() as session:
        session.add(Location(name="Lincoln Elementary School"))
    with open_store(url).read_session() as session:
        assert session.scalar(text("select name from locations")) == "Lincoln Elementary School"


def test_every_fact_table_links_to_its_source_record(url: str) -> None:
    store = open_store(url)
    inspector = inspect(store.engine)
    for table in ("people", "devices", "tickets", "contracts", "purchases", "app_requests"):
        targets = {fk["referred_table"] for fk in inspector.get_foreign_keys(table)}
        assert "source_records" in targets, table


def test_read_session_cannot_write(store) -> None:
    with store.read_session() as session, pytest.raises(DBAPIError, match="readonly|read-only"):
        session.execute(text("insert into vendors (name) values ('Sneaky')"))
        session.commit()
    with store.read_session() as session:
        assert session.scalar(text("select count(*) from vendors")) == 0


def test_bulk_loads_keep_every_character(store, write_csv) -> None:
    """Tabs, backslashes, a literal \\N, quotes, line breaks and emoji survive the fast insert path."""
    from ingest.load import ingest_paths
    from ingest.schema import Contract, SourceRecord

    product = 'Café "Reading" 📚\tplus\\N and C:\\path\nsecond line'
    cell = '"' + product.replace('"', '""') + '"'
    path = write_csv("contracts.csv", "Vendor,Product,Renewal Date", f"Zoom,{cell},2027-01-01")
    (report,) = ingest_paths([path], store)
    assert report.inserted == 1
    with store.read_session() as session:
        assert session.scalars(select(SourceRecord.raw)).one() == ["Zoom", product, "2027-01-01"]
        assert session.scalars(select(Contract.product)).one() == " ".join(product.split())


def test_the_head_revision_read_from_the_files_is_alembics() -> None:
    from alembic.script import ScriptDirectory

    from ingest.db import alembic_config, head_revision

    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_a_store_behind_the_newest_migration_is_upgraded_when_opened(url: str) -> None:
    """Opening skips Alembic only when the store is at head; one revision behind still migrates."""
    from alembic import command

    from ingest import db

    store = open_store(url)
    with store.engine.begin() as connection:
        config = db.alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "-1")
        behind = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    store.dispose()
    assert behind != db.head_revision()
    db._migrated.clear()  # a new process: nothing opened yet
    store = open_store(url)
    with store.engine.connect() as connection:
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    store.dispose()
    assert version == db.head_revision()


def test_the_head_is_found_in_either_quote_style_and_refused_when_unclear(tmp_path: Path) -> None:
    """Alembic's template writes repr() (single quotes); ours double; an unreadable file: None."""
    from ingest.db import head_of

    (tmp_path / "0001_a.py").write_text('revision: str = "0001"\ndown_revision = None\n')
    (tmp_path / "0002_b.py").write_text(
        "revision: str = '0002'\ndown_revision: str | None = '0001'\n"
    )
    assert head_of(tmp_path) == "0002"
    (tmp_path / "0003_c.py").write_text("revision = make_id()\ndown_revision = '0002'\n")
    assert head_of(tmp_path) is None
