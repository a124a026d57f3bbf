"""Alembic environment: migrations run on the connection that ``ingest.db`` hands over."""

from __future__ import annotations

from alembic import context

from ingest.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only for `alembic revision --autogenerate` by hand
    raise SystemExit("run migrations through ingest.db.open_store(url)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
