"""Opening a district's store from settings: the database, migrated, with settings synced in.

Tools see only a read-only session, so the settings they need (labour rate, fiscal year start,
replacement policies) are copied into the store here, once per open.
"""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError

from assistant.settings import Settings
from ingest.db import Store, open_store, sync_district_settings
from ingest.errors import StoreError


def open_district_store(settings: Settings) -> Store:
    """Open (and migrate) the store the settings name, and sync the tools' settings into it."""
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # the district's alone
    # Answers wait this long for a locked SQLite file, then say "busy"; ingest keeps 30 s.
    store = open_store(
        settings.resolved_database_url, read_timeout=settings.database_busy_timeout_seconds
    )
    try:
        _sync(store, settings)
    except SQLAlchemyError as exc:
        raise StoreError(
            f"the database is not usable: {exc.__class__.__name__}: {exc.orig}"
        ) from exc
    return store


def _sync(store: Store, settings: Settings) -> None:
    sync_district_settings(
        store,
        {
            "labour_rate_per_hour": str(settings.labour_rate_per_hour),
            "fiscal_year_start": settings.fiscal_year_start,
            "timezone": settings.timezone,
            "vector_store": {
                "path": str(settings.data_dir / "chroma"),
                "host": settings.chroma_host,
                "port": settings.chroma_port,
            },
        },
        {
            category: (policy.cycle_years, policy.unit_cost)
            for category, policy in settings.replacement_policies.items()
        },
    )
